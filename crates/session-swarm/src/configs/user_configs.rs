//! The four user configs of one account, held together (sans-IO).

use session_config::user::{Contacts, ConvoInfoVolatile, UserGroups, UserProfile};
use session_config::{ConfigBase, Ed25519Seed, Push};

/// One of the four user configs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum UserConfig {
    /// The profile: name, picture, Note-to-Self settings (namespace 2).
    Profile,
    /// The contacts (namespace 3).
    Contacts,
    /// Last-read times and unread marks (namespace 4).
    ConvoInfo,
    /// The groups and communities the account is in (namespace 5).
    UserGroups,
}

impl UserConfig {
    /// All four, in namespace order.
    pub const ALL: [Self; 4] = [
        Self::Profile,
        Self::Contacts,
        Self::ConvoInfo,
        Self::UserGroups,
    ];

    /// The namespace its messages live in.
    pub const fn namespace(self) -> i16 {
        match self {
            Self::Profile => UserProfile::KIND.namespace,
            Self::Contacts => Contacts::KIND.namespace,
            Self::ConvoInfo => ConvoInfoVolatile::KIND.namespace,
            Self::UserGroups => UserGroups::KIND.namespace,
        }
    }

    /// The config stored in `namespace`, if it holds one.
    pub fn from_namespace(namespace: i16) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.namespace() == namespace)
    }
}

/// The account's user configs, each `session-config`'s typed API.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct UserConfigs {
    /// UserProfile.
    pub profile: UserProfile,
    /// Contacts.
    pub contacts: Contacts,
    /// ConvoInfoVolatile.
    pub convo_info: ConvoInfoVolatile,
    /// UserGroups.
    pub user_groups: UserGroups,
}

impl UserConfigs {
    /// Empty configs encrypted with the account's seed.
    pub fn new(seed: &Ed25519Seed) -> Self {
        Self {
            profile: UserProfile::new(seed),
            contacts: Contacts::new(seed),
            convo_info: ConvoInfoVolatile::new(seed),
            user_groups: UserGroups::new(seed),
        }
    }

    /// The configs restored from their dumps (`dump(config)`, `None` for a config never
    /// saved).
    ///
    /// # Errors
    ///
    /// A dump that does not load.
    pub fn load(
        seed: &Ed25519Seed,
        mut dump: impl FnMut(UserConfig) -> Option<Vec<u8>>,
    ) -> session_config::Result<Self> {
        let mut configs = Self::new(seed);
        if let Some(bytes) = dump(UserConfig::Profile) {
            configs.profile = UserProfile::load(seed, &bytes)?;
        }
        if let Some(bytes) = dump(UserConfig::Contacts) {
            configs.contacts = Contacts::load(seed, &bytes)?;
        }
        if let Some(bytes) = dump(UserConfig::ConvoInfo) {
            configs.convo_info = ConvoInfoVolatile::load(seed, &bytes)?;
        }
        if let Some(bytes) = dump(UserConfig::UserGroups) {
            configs.user_groups = UserGroups::load(seed, &bytes)?;
        }
        Ok(configs)
    }

    /// The generic config object of `config`.
    pub fn base(&self, config: UserConfig) -> &ConfigBase {
        match config {
            UserConfig::Profile => self.profile.base(),
            UserConfig::Contacts => self.contacts.base(),
            UserConfig::ConvoInfo => self.convo_info.base(),
            UserConfig::UserGroups => self.user_groups.base(),
        }
    }

    /// The generic config object of `config`, mutably.
    pub fn base_mut(&mut self, config: UserConfig) -> &mut ConfigBase {
        match config {
            UserConfig::Profile => self.profile.base_mut(),
            UserConfig::Contacts => self.contacts.base_mut(),
            UserConfig::ConvoInfo => self.convo_info.base_mut(),
            UserConfig::UserGroups => self.user_groups.base_mut(),
        }
    }

    /// Whether any config has changes to push.
    pub fn needs_push(&self) -> bool {
        UserConfig::ALL.iter().any(|c| self.base(*c).needs_push())
    }

    /// Pushes `config` (ConvoInfoVolatile prunes stale entries first, at `now_ms`).
    ///
    /// # Errors
    ///
    /// As [`ConfigBase::push`].
    pub fn push(&mut self, config: UserConfig, now_ms: u64) -> session_config::Result<Push> {
        match config {
            UserConfig::ConvoInfo => self
                .convo_info
                .push(i64::try_from(now_ms).unwrap_or(i64::MAX)),
            other => self.base_mut(other).push(),
        }
    }

    /// Merges fetched `(namespace, hash, data)` messages at `now_ms`; returns, per config
    /// whose data changed, its new seqno, and the hashes accepted.
    pub fn merge<'a>(
        &mut self,
        messages: impl IntoIterator<Item = (i16, &'a str, &'a [u8])> + Clone,
        now_ms: u64,
    ) -> (Vec<(UserConfig, i64)>, Vec<String>) {
        let mut changed = Vec::new();
        let mut accepted = Vec::new();
        for config in UserConfig::ALL {
            let batch: Vec<(&str, &[u8])> = messages
                .clone()
                .into_iter()
                .filter(|(ns, _, _)| *ns == config.namespace())
                .map(|(_, hash, data)| (hash, data))
                .collect();
            if batch.is_empty() {
                continue;
            }
            let base = self.base_mut(config);
            let before = base.data().clone();
            let good = base.merge(&batch, now_ms);
            accepted.extend(good);
            if *base.data() != before {
                changed.push((config, base.seqno()));
            }
        }
        (changed, accepted)
    }

    /// The dumps of the configs that changed since their last dump.
    pub fn take_dumps(&mut self) -> Vec<(UserConfig, Vec<u8>)> {
        let mut dumps = Vec::new();
        for config in UserConfig::ALL {
            if self.base(config).needs_dump() {
                dumps.push((config, self.base_mut(config).dump()));
            }
        }
        dumps
    }
}
