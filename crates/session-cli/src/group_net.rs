//! `group create`, `group send`, `group read`, `group invite`, `group remove` and
//! `group promote`: closed groups (v2) on the network, through `session::Client::groups`.
//!
//! Every run is a fresh process, so each first takes the account's groups up again: its
//! UserGroups config (synced from its swarm) holds the seed of each group it administers
//! and the auth data of each it joined, and one poll of a group loads its keys, Info and
//! Members. What a command changes in UserGroups is pushed before it returns, so that the
//! next run (or another device) finds it.

use std::time::Duration;

use serde::Serialize;
use session::config::user::NOT_REMOVED;
use session::swarm::groups::{GroupError, GroupEvent, GroupMessage, GroupSummary};
use session::{Client, SessionId};
use tokio::time::Instant;

use crate::cli::{
    AccountArgs, GroupCreateArgs, GroupMembersArgs, GroupPromoteArgs, GroupReadArgs,
    GroupRemoveArgs, GroupSendArgs,
};
use crate::connect;
use crate::error::CliError;
use crate::input;

/// The pause between two polls while `group read` waits.
const POLL_PAUSE: Duration = Duration::from_millis(250);

/// What `group create` prints.
#[derive(Debug, Serialize)]
pub(crate) struct Created {
    /// The new group's `03` ID.
    group_id: String,
    /// The members whose invite was delivered.
    invited: Vec<String>,
    /// The members whose invite could not be delivered (they are members; `group invite`
    /// them again).
    failed: Vec<String>,
}

/// What `group send` prints.
#[derive(Debug, Serialize)]
pub(crate) struct Posted {
    /// The message's hash in the group's swarm (what `group read` prints for it).
    hash: String,
    /// Its sent timestamp, ms.
    timestamp: u64,
}

/// What `group read` prints.
#[derive(Debug, Serialize)]
pub(crate) struct Read {
    /// The group's messages, oldest first.
    messages: Vec<Posting>,
}

/// One message of a group.
#[derive(Debug, Serialize)]
struct Posting {
    /// The sender's `05` Session ID, from the key that signed the message.
    sender: String,
    /// When the sender sent it, ms.
    timestamp: u64,
    /// What the message is: `visible`, `reaction`, ...
    kind: &'static str,
    /// The text of a visible message; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<String>,
    /// Its hash in the group's swarm.
    hash: String,
}

/// A decrypted group message, as `group read` prints it.
impl From<&GroupMessage> for Posting {
    fn from(message: &GroupMessage) -> Self {
        Self {
            sender: message.sender.to_string(),
            timestamp: message.sent_at_ms,
            kind: message.message.kind.name(),
            text: message.text().map(str::to_owned),
            hash: message.hash.clone(),
        }
    }
}

/// What `group invite` prints.
#[derive(Debug, Serialize)]
pub(crate) struct Invited {
    /// The members whose invite was delivered.
    invited: Vec<String>,
    /// The members whose invite could not be delivered.
    failed: Vec<String>,
}

/// What `group remove` prints.
#[derive(Debug, Serialize)]
pub(crate) struct Removed {
    /// The members removed (those given that the Members config listed).
    removed: Vec<String>,
}

/// What `group promote` prints.
#[derive(Debug, Serialize)]
pub(crate) struct Promoted {
    /// The member now an admin (the group seed was delivered to it).
    promoted: String,
}

/// `group create`.
pub(crate) fn create(args: &GroupCreateArgs) -> Result<Created, CliError> {
    let members = members(&args.member)?;
    connect::runtime()?.block_on(async {
        let client = open(&args.account).await?;
        let report = client.groups().create(&args.name, &members).await?;
        client.configs().push().await?;
        // The library skips ourselves and repeats; so does the list of the invited.
        let mut invited: Vec<SessionId> = Vec::new();
        for member in &members {
            if member != client.session_id()
                && !invited.contains(member)
                && !report.failed.contains(member)
            {
                invited.push(*member);
            }
        }
        Ok(Created {
            group_id: report.group.to_string(),
            invited: strings(&invited),
            failed: strings(&report.failed),
        })
    })
}

/// `group send`.
pub(crate) fn send(args: &GroupSendArgs) -> Result<Posted, CliError> {
    let group = input::group_session_id("--group-id", &args.group_id)?;
    connect::runtime()?.block_on(async {
        let client = open(&args.account).await?;
        take_up(&client, &group).await?;
        let sent = client
            .groups()
            .send_text(&group, args.text.as_str())
            .await?;
        client.configs().push().await?;
        Ok(Posted {
            hash: sent.hash,
            timestamp: sent.timestamp_ms,
        })
    })
}

/// `group invite`.
pub(crate) fn invite(args: &GroupMembersArgs) -> Result<Invited, CliError> {
    let group = input::group_session_id("--group-id", &args.group_id)?;
    let members = members(&args.member)?;
    connect::runtime()?.block_on(async {
        let client = open(&args.account).await?;
        take_up(&client, &group).await?;
        let report = client.groups().invite(&group, &members).await?;
        client.configs().push().await?;
        let invited: Vec<SessionId> = members
            .iter()
            .copied()
            .filter(|m| !report.failed.contains(m))
            .collect();
        Ok(Invited {
            invited: strings(&invited),
            failed: strings(&report.failed),
        })
    })
}

/// `group remove`.
pub(crate) fn remove(args: &GroupRemoveArgs) -> Result<Removed, CliError> {
    let group = input::group_session_id("--group-id", &args.members.group_id)?;
    let members = members(&args.members.member)?;
    connect::runtime()?.block_on(async {
        let client = open(&args.members.account).await?;
        take_up(&client, &group).await?;
        // The library removes only the members listed; say which those were.
        let listed: Vec<SessionId> = client
            .groups()
            .members(&group)
            .await?
            .into_iter()
            .filter(|m| !m.is_removed() && members.contains(&m.session_id))
            .map(|m| m.session_id)
            .collect();
        client
            .groups()
            .remove(&group, &members, args.delete_messages)
            .await?;
        client.configs().push().await?;
        Ok(Removed {
            removed: strings(&listed),
        })
    })
}

/// `group promote`.
pub(crate) fn promote(args: &GroupPromoteArgs) -> Result<Promoted, CliError> {
    let group = input::group_session_id("--group-id", &args.group_id)?;
    let member = input::standard_session_id("--member", &args.member)?;
    connect::runtime()?.block_on(async {
        let client = open(&args.account).await?;
        take_up(&client, &group).await?;
        client.groups().promote(&group, &member).await?;
        client.configs().push().await?;
        Ok(Promoted {
            promoted: member.to_string(),
        })
    })
}

/// `group read`: polls until the group has at least one message for us or the wait is
/// over. A group we were invited to but did not join is joined first: its invite is
/// looked for in our 1:1 inbox when no config lists the group.
pub(crate) fn read(args: &GroupReadArgs) -> Result<Read, CliError> {
    let group = input::group_session_id("--group-id", &args.group_id)?;
    connect::runtime()?.block_on(async {
        let client = open(&args.account).await?;
        let deadline = Instant::now() + Duration::from_millis(args.wait_ms);
        // A removal another run learned is final: the invite still in the inbox must not
        // bring the group back.
        let gone = client
            .configs()
            .joined_groups()
            .await?
            .iter()
            .any(|g| g.id == group && g.removed_status != NOT_REMOVED);
        if gone {
            return Err(removed(&group));
        }
        let mut messages = Vec::new();
        let outcome = loop {
            match read_once(&client, &group).await {
                Ok(Step::Kicked) => break Err(removed(&group)),
                Ok(Step::Read(mut found)) => messages.append(&mut found),
                Ok(Step::Unknown) => {}
                // A network failure may pass while there is time left.
                Err(Failure::Network(_)) if Instant::now() + POLL_PAUSE < deadline => {}
                Err(Failure::Network(error)) | Err(Failure::Other(error)) => break Err(error),
            }
            let known = summary(&client, &group).await?.is_some();
            let now = Instant::now();
            if !messages.is_empty() || now >= deadline {
                break if known {
                    Ok(())
                } else {
                    Err(CliError::input(format!(
                        "not in group {group}, and no invite to it arrived"
                    )))
                };
            }
            tokio::time::sleep(POLL_PAUSE.min(deadline - now)).await;
        };
        // Joining or learning of a removal changed UserGroups: the next run needs it.
        client.configs().push().await?;
        outcome?;
        messages.sort_by_key(|m: &Posting| m.timestamp);
        Ok(Read { messages })
    })
}

/// What one round of `group read` found.
enum Step {
    /// The group's messages (possibly none).
    Read(Vec<Posting>),
    /// We were removed from the group.
    Kicked,
    /// Neither a config nor an invite names the group (yet).
    Unknown,
}

/// Why a round of `group read` failed: the network (worth another try) or anything else.
enum Failure {
    /// The network failed.
    Network(CliError),
    /// Anything else: the store, the configs, a refused operation.
    Other(CliError),
}

/// A group poll's network failure is worth another try.
impl From<GroupError> for Failure {
    fn from(error: GroupError) -> Self {
        match error {
            GroupError::Swarm(_) => Self::Network(error.into()),
            other => Self::Other(other.into()),
        }
    }
}

/// So is the inbox poll's.
impl From<session::Error> for Failure {
    fn from(error: session::Error) -> Self {
        match error {
            session::Error::Swarm(_) => Self::Network(error.into()),
            other => Self::Other(other.into()),
        }
    }
}

/// The tool's own errors are final.
impl From<CliError> for Failure {
    fn from(error: CliError) -> Self {
        Self::Other(error)
    }
}

/// One round: poll the groups; if the group is not ours yet, look in the inbox for its
/// invite; accept a pending invite and poll again.
async fn read_once(client: &Client, group: &SessionId) -> Result<Step, Failure> {
    let mut events = client.groups().poll_once().await?;
    let mut known = summary(client, group).await?;
    if known.is_none() {
        // Only now, so that the 1:1 messages this poll records as delivered (with a
        // --store, `receive` will not print them) are taken only when an invite is needed.
        client.receive_once().await?;
        known = summary(client, group).await?;
    }
    let Some(known) = known else {
        return Ok(Step::Unknown);
    };
    if known.invited {
        client.groups().accept(group).await?;
        events.extend(client.groups().poll_once().await?);
    }
    let kicked = events
        .iter()
        .any(|e| matches!(e, GroupEvent::Kicked { group: g } if g == group));
    if kicked || summary(client, group).await?.is_some_and(|s| s.kicked) {
        return Ok(Step::Kicked);
    }
    Ok(Step::Read(
        events
            .iter()
            .filter_map(|e| match e {
                GroupEvent::Message(m) if m.group == *group => Some(Posting::from(&**m)),
                _ => None,
            })
            .collect(),
    ))
}

/// Connects the account and syncs its configs, whose UserGroups lists its groups.
async fn open(account: &AccountArgs) -> Result<Client, CliError> {
    let client =
        connect::connect(&account.network, &account.source, account.store.as_deref()).await?;
    client.configs().sync().await?;
    Ok(client)
}

/// Takes the account's groups up (one poll each) and checks that `group` is one we are in.
async fn take_up(client: &Client, group: &SessionId) -> Result<(), CliError> {
    client.groups().poll_once().await?;
    match summary(client, group).await? {
        Some(known) if known.kicked => Err(removed(group)),
        Some(_) => Ok(()),
        None => Err(GroupError::UnknownGroup(*group).into()),
    }
}

/// The group `group` as the account holds it, if it does.
async fn summary(client: &Client, group: &SessionId) -> Result<Option<GroupSummary>, CliError> {
    Ok(client
        .groups()
        .list()
        .await?
        .into_iter()
        .find(|g| g.id == *group))
}

/// The error of a group we were removed from.
fn removed(group: &SessionId) -> CliError {
    GroupError::Removed(*group).into()
}

/// The `05` members given by `--member`.
fn members(texts: &[String]) -> Result<Vec<SessionId>, CliError> {
    texts
        .iter()
        .map(|t| input::standard_session_id("--member", t))
        .collect()
}

/// Session IDs as hex.
fn strings(ids: &[SessionId]) -> Vec<String> {
    ids.iter().map(SessionId::to_string).collect()
}
