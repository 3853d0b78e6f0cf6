//! `config show`: the account's user configs as its swarm holds them, synced once through
//! `session::Client::configs` (so what another device or another run pushed is there).

use serde::Serialize;

use crate::cli::ConfigShowArgs;
use crate::config::{CommunityJson, ContactJson, GroupJson};
use crate::connect;
use crate::error::CliError;

/// What `config show` prints.
#[derive(Debug, Serialize)]
pub(crate) struct Shown {
    /// The UserProfile config.
    profile: ProfileJson,
    /// The Contacts config, in Session ID order.
    contacts: Vec<ContactJson>,
    /// The closed groups (`03`) UserGroups lists, in group ID order.
    groups: Vec<GroupJson>,
    /// The communities UserGroups lists.
    communities: Vec<CommunityJson>,
}

/// The profile, with the field names of `config read --kind user-profile` (the picture's
/// key is a secret of the account's and stays out).
#[derive(Debug, Serialize)]
struct ProfileJson {
    /// The display name.
    name: Option<String>,
    /// The profile picture's URL.
    profile_pic_url: Option<String>,
}

/// `config show`.
pub(crate) fn show(args: &ConfigShowArgs) -> Result<Shown, CliError> {
    let account = &args.account;
    connect::runtime()?.block_on(async {
        let client =
            connect::connect(&account.network, &account.source, account.store.as_deref()).await?;
        client.configs().sync().await?;
        Ok(client
            .configs()
            .read(|c| Shown {
                profile: ProfileJson {
                    name: c.profile.name(),
                    profile_pic_url: c.profile.profile_pic().map(|p| p.url.clone()),
                },
                contacts: c.contacts.iter().map(|c| ContactJson::from(&c)).collect(),
                groups: c.user_groups.groups().iter().map(GroupJson::from).collect(),
                communities: c
                    .user_groups
                    .communities()
                    .iter()
                    .map(CommunityJson::from)
                    .collect(),
            })
            .await?)
    })
}
