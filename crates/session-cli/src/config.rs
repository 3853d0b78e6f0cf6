//! `config read`: the user configs (libsession-util.md §11) as the account's swarm stores
//! them, merged as a device merges them, through `session::config`.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::Serialize;
use session::config::user::{
    CommunityInfo, Contact, Contacts, ConvoInfoVolatile, GroupInfo, UserGroups, UserProfile,
};
use session::config::{ConfigBase, Ed25519Seed};

use crate::cli::{ConfigKindArg, ConfigReadArgs};
use crate::error::CliError;
use crate::input;

/// What `config read` prints.
#[derive(Debug, Serialize)]
pub(crate) struct ConfigRead {
    /// The merged config's seqno.
    seqno: i64,
    /// Hex BLAKE2b-32 of the merged config message (the hash merges order messages by).
    hash: String,
    /// Whether a device holding these messages would push a merged one (the pushes
    /// conflicted).
    needs_push: bool,
    /// The config's contents, by kind.
    config: Contents,
}

/// The contents of each kind of config.
#[derive(Debug, Serialize)]
#[serde(untagged)]
enum Contents {
    /// `user-profile`.
    Profile {
        /// The display name.
        name: Option<String>,
        /// The profile picture's URL.
        profile_pic_url: Option<String>,
        /// The profile picture's 32-byte key, hex.
        profile_pic_key: Option<String>,
    },
    /// `contacts`.
    Contacts {
        /// Every contact, in Session ID order.
        contacts: Vec<ContactJson>,
    },
    /// `user-groups`.
    Groups {
        /// The communities joined.
        communities: Vec<CommunityJson>,
        /// The closed groups (`03`).
        groups: Vec<GroupJson>,
    },
    /// `convo-info-volatile`.
    Convos {
        /// The 1:1 conversations' read state.
        one_to_one: Vec<OneToOneJson>,
    },
}

/// One contact (also what `config show` lists).
#[derive(Debug, Serialize)]
pub(crate) struct ContactJson {
    session_id: String,
    name: String,
    nickname: String,
    approved: bool,
    approved_me: bool,
    blocked: bool,
    priority: i64,
}

/// One community (also what `config show` lists).
#[derive(Debug, Serialize)]
pub(crate) struct CommunityJson {
    base_url: String,
    room: String,
    pubkey: String,
}

/// One closed group (also what `config show` lists).
#[derive(Debug, Serialize)]
pub(crate) struct GroupJson {
    group_id: String,
    name: String,
}

/// A contact as the JSON prints it.
impl From<&Contact> for ContactJson {
    fn from(c: &Contact) -> Self {
        Self {
            session_id: c.session_id.to_string(),
            name: c.name.clone(),
            nickname: c.nickname.clone(),
            approved: c.approved,
            approved_me: c.approved_me,
            blocked: c.blocked,
            priority: c.priority,
        }
    }
}

/// A community as the JSON prints it (the key in hex).
impl From<&CommunityInfo> for CommunityJson {
    fn from(c: &CommunityInfo) -> Self {
        Self {
            base_url: c.base_url.clone(),
            room: c.room.clone(),
            pubkey: hex::encode(c.pubkey),
        }
    }
}

/// A closed group as the JSON prints it (its seed or auth data stay out).
impl From<&GroupInfo> for GroupJson {
    fn from(g: &GroupInfo) -> Self {
        Self {
            group_id: g.id.to_string(),
            name: g.name.clone(),
        }
    }
}

/// One 1:1 conversation.
#[derive(Debug, Serialize)]
struct OneToOneJson {
    session_id: String,
    last_read: i64,
    unread: bool,
}

/// `config read`: merges the pushes given and prints the result.
pub(crate) fn read(args: &ConfigReadArgs) -> Result<ConfigRead, CliError> {
    let seed = Ed25519Seed::from_bytes(*input::secret_hex::<32>("--seed", &args.seed)?);
    let pushes = args
        .data_base64
        .iter()
        .enumerate()
        .map(|(i, text)| {
            STANDARD.decode(text.trim()).map_err(|error| {
                CliError::input(format!("--data-base64 #{} is not base64: {error}", i + 1))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    // The swarm's hashes are not needed to read a config: the position stands in for them.
    let names: Vec<String> = (0..pushes.len()).map(|i| i.to_string()).collect();
    let messages: Vec<(&str, &[u8])> = names
        .iter()
        .map(String::as_str)
        .zip(pushes.iter().map(Vec::as_slice))
        .collect();
    // Multipart sets expire relative to the time given; 0 keeps every part.
    let merge = |base: &mut ConfigBase| -> Result<(), CliError> {
        if base.merge(&messages, 0).is_empty() {
            return Err(CliError::input(
                "no --data-base64 message is a config of this --kind readable with this --seed",
            ));
        }
        Ok(())
    };
    let ((seqno, hash, needs_push), config) = match args.kind {
        ConfigKindArg::UserProfile => {
            let mut profile = UserProfile::new(&seed);
            merge(profile.base_mut())?;
            let pic = profile.profile_pic();
            let config = Contents::Profile {
                name: profile.name(),
                profile_pic_url: pic.as_ref().map(|p| p.url.clone()),
                profile_pic_key: pic.as_ref().map(|p| hex::encode(p.key)),
            };
            (summary(profile.base_mut()), config)
        }
        ConfigKindArg::Contacts => {
            let mut contacts = Contacts::new(&seed);
            merge(contacts.base_mut())?;
            let config = Contents::Contacts {
                contacts: contacts.iter().map(|c| ContactJson::from(&c)).collect(),
            };
            (summary(contacts.base_mut()), config)
        }
        ConfigKindArg::UserGroups => {
            let mut groups = UserGroups::new(&seed);
            merge(groups.base_mut())?;
            let config = Contents::Groups {
                communities: groups
                    .communities()
                    .iter()
                    .map(CommunityJson::from)
                    .collect(),
                groups: groups.groups().iter().map(GroupJson::from).collect(),
            };
            (summary(groups.base_mut()), config)
        }
        ConfigKindArg::ConvoInfoVolatile => {
            let mut convos = ConvoInfoVolatile::new(&seed);
            merge(convos.base_mut())?;
            let config = Contents::Convos {
                one_to_one: convos
                    .one_to_ones()
                    .into_iter()
                    .map(|(id, state)| OneToOneJson {
                        session_id: id.to_string(),
                        last_read: state.last_read,
                        unread: state.unread,
                    })
                    .collect(),
            };
            (summary(convos.base_mut()), config)
        }
    };
    Ok(ConfigRead {
        seqno,
        hash,
        needs_push,
        config,
    })
}

/// The seqno, hex hash and push state of a merged config.
fn summary(base: &mut ConfigBase) -> (i64, String, bool) {
    (
        base.seqno(),
        hex::encode(base.current_hash()),
        base.needs_push(),
    )
}
