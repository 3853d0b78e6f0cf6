//! A Session community server (SOGS) double that behaves like pysogs where clients can see
//! it: the same routes, X-SOGS-* authentication with the same checks and error texts, the
//! same JSON (Flask's sorted compact layout, float timestamps), batches and sequences, and
//! v4 onions posted to `/oxen/v4/lsrpc`. State lives in memory; the clock is the host's
//! plus an offset a test can set.
//!
//! It runs inside every [`crate::LocalNet`] (see [`crate::LocalNet::sogs`]) and on its own
//! as [`RunningSogs`]:
//!
//! ```no_run
//! # async fn demo() -> session_localnet::Result<()> {
//! use session_localnet::{RunningSogs, SogsOptions};
//! let sogs = RunningSogs::start(SogsOptions::default()).await?;
//! let room_url = sogs.admin().add_room("test", "Test room")?;
//! assert!(room_url.starts_with(&sogs.info().url));
//! sogs.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! Layers, bottom up: `json`, `reply`, `request`, `state` (data and pysogs' model rules);
//! `ctx` (per-request checks) and `views` (JSON shapes); one module of routes per area
//! (`general`, `rooms`, `permissions`, `messages`, `pins`, `reactions`, `files`, `users`,
//! `dms`); `routes` (the table), `auth`, `batch`, `onion`; `server` on top.

mod auth;
mod batch;
mod ctx;
mod dms;
mod files;
mod general;
mod json;
mod messages;
mod onion;
mod permissions;
mod pins;
mod reactions;
mod reply;
mod request;
mod rooms;
mod routes;
mod server;
mod state;
mod users;
mod views;

#[cfg(test)]
mod tests;

use std::sync::{Arc, Mutex, PoisonError};

use session_crypto::X25519Secret;
use tokio::net::TcpListener;

use crate::error::{Error, Result};
use crate::http::{ServerTask, TlsIdentity, serve};

use server::SogsServer;
use state::{Config, State};

/// The room every double starts with.
pub(crate) const LOBBY: (&str, &str) = ("lobby", "Lobby");

/// How a SOGS double behaves.
#[derive(Clone, Debug)]
pub struct SogsOptions {
    require_blind_keys: bool,
    blind25: bool,
    rate_limit: bool,
    tls: bool,
}

impl Default for SogsOptions {
    /// pysogs' defaults: blinded ids required, `25` ids rejected, posts rate limited; served
    /// over plain HTTP.
    fn default() -> Self {
        Self {
            require_blind_keys: true,
            blind25: false,
            rate_limit: true,
            tls: false,
        }
    }
}

impl SogsOptions {
    /// Whether only blinded (`15`) ids may authenticate (`[users] require_blind_keys`);
    /// also adds the `blind` capability.
    #[must_use]
    pub const fn require_blind_keys(mut self, required: bool) -> Self {
        self.require_blind_keys = required;
        self
    }

    /// Whether `25`-blinded ids are accepted too (pysogs rejects them); adds the `blind25`
    /// capability.
    #[must_use]
    pub const fn blind25(mut self, accepted: bool) -> Self {
        self.blind25 = accepted;
        self
    }

    /// Whether non-admins are limited to 5 posts per 16 s (429 beyond).
    #[must_use]
    pub const fn rate_limit(mut self, enabled: bool) -> Self {
        self.rate_limit = enabled;
        self
    }

    /// Whether to serve HTTPS with a fresh self-signed certificate (in [`SogsInfo`]).
    #[must_use]
    pub const fn tls(mut self, enabled: bool) -> Self {
        self.tls = enabled;
        self
    }

    const fn config(&self) -> Config {
        Config {
            require_blind_keys: self.require_blind_keys,
            blind25: self.blind25,
            rate_limit: self.rate_limit,
        }
    }
}

/// Where a SOGS double listens and the keys clients need.
#[derive(Clone, Debug)]
pub struct SogsInfo {
    /// `http://127.0.0.1:<port>` (`https` with TLS): the base URL of room URLs.
    pub url: String,
    /// Its port on 127.0.0.1.
    pub port: u16,
    /// Its X25519 public key (the `public_key` of room URLs, the onion target, the blinding
    /// input).
    pub x25519: [u8; 32],
    /// Its certificate in PEM, when serving TLS.
    pub cert_pem: Option<String>,
    /// Its certificate in DER, when serving TLS.
    pub cert_der: Option<Vec<u8>>,
}

/// A handle on a running double's state, for tests to set things up.
#[derive(Clone)]
pub struct SogsAdmin {
    state: Arc<Mutex<State>>,
    url: String,
}

impl std::fmt::Debug for SogsAdmin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SogsAdmin")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

/// A room token as pysogs allows them: `[\w-]{1,64}`.
fn valid_token(token: &str) -> bool {
    (1..=64).contains(&token.chars().count())
        && token
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

fn valid_session_id(session_id: &str) -> Result<String> {
    ctx::parse_session_id(session_id)
        .map_err(|_| Error::Config("a session id is 05, 15 or 25 followed by 64 hex digits"))
}

impl SogsAdmin {
    fn with<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        f(&mut state)
    }

    /// Adds a room (everyone may read, write and upload); returns its URL
    /// `{url}/{token}?public_key={hex}`.
    ///
    /// # Errors
    /// [`Error::Config`] for a token outside `[\w-]{1,64}` or one already used.
    pub fn add_room(&self, token: &str, name: &str) -> Result<String> {
        if !valid_token(token) {
            return Err(Error::Config("a room token is 1 to 64 of [A-Za-z0-9_-]"));
        }
        self.with(|state| {
            if state.rooms.contains_key(token) {
                return Err(Error::Config("a room with that token exists"));
            }
            let now = state.now();
            state.add_room(token, name, now);
            Ok(format!(
                "{}/{token}?public_key={}",
                self.url,
                hex::encode(state.server_pk)
            ))
        })
    }

    /// Sets or (with `None`) removes a room's description.
    ///
    /// # Errors
    /// [`Error::Config`] for an unknown room.
    pub fn set_room_description(&self, token: &str, description: Option<&str>) -> Result<()> {
        self.with(|state| {
            let room = state
                .rooms
                .get_mut(token)
                .ok_or(Error::Config("no such room"))?;
            room.description = description.filter(|d| !d.is_empty()).map(str::to_owned);
            room.info_updates += 1;
            Ok(())
        })
    }

    /// Sets a room's default permissions.
    ///
    /// # Errors
    /// [`Error::Config`] for an unknown room.
    pub fn set_default_permissions(
        &self,
        token: &str,
        read: bool,
        write: bool,
        upload: bool,
        accessible: bool,
    ) -> Result<()> {
        self.with(|state| {
            let room = state
                .rooms
                .get_mut(token)
                .ok_or(Error::Config("no such room"))?;
            room.default_read = read;
            room.default_write = write;
            room.default_upload = upload;
            room.default_accessible = accessible;
            Ok(())
        })
    }

    /// Makes `session_id` a moderator (or admin) of `room`, or globally with `None`. With
    /// blinding required, a `05` id applies to its `15` user (now or when it first shows).
    ///
    /// # Errors
    /// [`Error::Config`] for an unknown room or a malformed id.
    pub fn add_moderator(
        &self,
        room: Option<&str>,
        session_id: &str,
        admin: bool,
        visible: bool,
    ) -> Result<()> {
        let session_id = valid_session_id(session_id)?;
        self.with(|state| {
            let now = state.now();
            if room.is_some_and(|token| !state.rooms.contains_key(token)) {
                return Err(Error::Config("no such room"));
            }
            let uid = state.target_user(&session_id, now);
            match room {
                None => state.set_global(uid, |user| {
                    user.global_moderator = true;
                    user.global_admin = admin;
                    user.global_visible = visible;
                }),
                Some(token) => {
                    if let Some(room) = state.rooms.get_mut(token) {
                        let settings = room.overrides.entry(uid).or_default();
                        settings.moderator = true;
                        settings.admin = admin;
                        settings.visible = visible;
                        room.info_updates += 1;
                    }
                }
            }
            Ok(())
        })
    }

    /// Bans `session_id` from `room`, or from the whole server with `None`.
    ///
    /// # Errors
    /// [`Error::Config`] for an unknown room or a malformed id.
    pub fn ban(&self, room: Option<&str>, session_id: &str) -> Result<()> {
        let session_id = valid_session_id(session_id)?;
        self.with(|state| {
            let now = state.now();
            if room.is_some_and(|token| !state.rooms.contains_key(token)) {
                return Err(Error::Config("no such room"));
            }
            let uid = state.target_user(&session_id, now);
            match room {
                None => {
                    if let Some(user) = state.user_mut(uid) {
                        user.banned = true;
                        user.ban_expires = None;
                    }
                }
                Some(token) => {
                    if let Some(room) = state.rooms.get_mut(token) {
                        let settings = room.overrides.entry(uid).or_default();
                        settings.banned = true;
                        settings.ban_expires = None;
                    }
                }
            }
            Ok(())
        })
    }

    /// Skews the server clock by `offset` seconds (positive = ahead).
    pub fn set_clock_offset_s(&self, offset: i64) {
        self.with(|state| state.offset_s = offset);
    }

    /// How many live (not deleted) posts `token` holds; 0 for an unknown room.
    pub fn message_count(&self, token: &str) -> usize {
        self.with(|state| {
            state.rooms.get(token).map_or(0, |room| {
                room.messages
                    .values()
                    .filter(|message| message.data.is_some())
                    .count()
            })
        })
    }
}

/// A double made but not yet listening (the local network needs its certificate before it
/// makes the nodes' HTTP clients).
pub(crate) struct PreparedSogs {
    server: Arc<SogsServer>,
    state: Arc<Mutex<State>>,
    x25519: [u8; 32],
    tls: Option<TlsIdentity>,
}

impl PreparedSogs {
    /// A double with the X25519 key `secret` and the lobby room.
    ///
    /// # Errors
    /// When a TLS certificate cannot be made.
    pub(crate) fn new(options: &SogsOptions, secret: [u8; 32]) -> Result<Self> {
        let secret = X25519Secret::from_bytes(secret);
        let x25519 = secret.public_key();
        let mut state = State::new(x25519, options.config());
        let now = state.now();
        state.add_room(LOBBY.0, LOBBY.1, now);
        let state = Arc::new(Mutex::new(state));
        let tls = if options.tls {
            Some(TlsIdentity::generate()?)
        } else {
            None
        };
        Ok(Self {
            server: Arc::new(SogsServer::new(secret, state.clone())),
            state,
            x25519,
            tls,
        })
    }

    /// Answers one request without a socket (the fuzz targets).
    pub(crate) fn respond(
        &self,
        request: &hyper::Request<bytes::Bytes>,
    ) -> hyper::Response<bytes::Bytes> {
        self.server.respond(request).into_http()
    }

    /// The certificate clients (and nodes) must trust, when serving TLS.
    pub(crate) fn cert_der(&self) -> Option<Vec<u8>> {
        self.tls.as_ref().map(|tls| tls.cert_der().to_vec())
    }

    /// Starts serving on `listener`.
    ///
    /// # Errors
    /// When the listener has no local address.
    pub(crate) fn serve(self, listener: TcpListener) -> Result<(SogsInfo, SogsAdmin, ServerTask)> {
        let port = listener.local_addr()?.port();
        let scheme = if self.tls.is_some() { "https" } else { "http" };
        let url = format!("{scheme}://127.0.0.1:{port}");
        let info = SogsInfo {
            url: url.clone(),
            port,
            x25519: self.x25519,
            cert_pem: self.tls.as_ref().map(|tls| tls.cert_pem().to_owned()),
            cert_der: self.cert_der(),
        };
        let task = serve(
            listener,
            self.tls.as_ref().map(|tls| tls.acceptor().clone()),
            self.server,
        );
        let admin = SogsAdmin {
            state: self.state,
            url,
        };
        Ok((info, admin, task))
    }
}

/// A standalone double on 127.0.0.1 (a free port), with no storage nodes: for tests that
/// talk to it over HTTP directly.
#[derive(Debug)]
pub struct RunningSogs {
    info: SogsInfo,
    admin: SogsAdmin,
    task: ServerTask,
}

impl RunningSogs {
    /// Starts a double with a random key and the room `lobby` ("Lobby").
    ///
    /// # Errors
    /// When no port can be bound or no certificate made.
    pub async fn start(options: SogsOptions) -> Result<Self> {
        let mut secret = [0u8; 32];
        getrandom::fill(&mut secret).map_err(|_| Error::Config("no OS randomness for a key"))?;
        let prepared = PreparedSogs::new(&options, secret)?;
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let (info, admin, task) = prepared.serve(listener)?;
        Ok(Self { info, admin, task })
    }

    /// Its address and keys.
    pub const fn info(&self) -> &SogsInfo {
        &self.info
    }

    /// A handle on its state.
    pub fn admin(&self) -> SogsAdmin {
        self.admin.clone()
    }

    /// Stops listening and closes every connection.
    pub async fn shutdown(self) {
        self.task.stop().await;
    }
}
