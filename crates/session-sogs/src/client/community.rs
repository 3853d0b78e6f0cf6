//! [`CommunityClient`]: one method per endpoint, signing each request afresh (new nonce,
//! current clock) with the identity the server's capabilities call for.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use session_identity::{IdPrefix, Keypair, SessionId};
use session_protocol::message::{Message, VisibleMessage};
use session_protocol::proto::Content;

use crate::auth::{AuthKey, AuthMode, sign_request};
use crate::client::transport::{Carrier, Transport};
use crate::decode;
use crate::dm::{ReceivedDm, open_dm, seal_dm};
use crate::endpoints::MessageQuery;
use crate::error::{Error, Result};
use crate::post::{Post, sign_post};
use crate::received::{CommunityMessage, MessageRow};
use crate::request::Request;
use crate::response::{Response, decode_batch};
use crate::types::{
    Capabilities, DeletedEverywhere, DownloadedFile, FuturePermission, PermissionChange,
    PermissionOverride, PollInfo, PostedMessage, ReactionChange, Reactor, Role, Room, RoomUpdate,
    Scope, SentDm, UploadedFile,
};
use crate::url::Server;

/// A client of one community server for one account. Cheap to clone.
#[derive(Clone)]
pub struct CommunityClient {
    inner: Arc<Inner>,
}

struct Inner {
    server: Server,
    keypair: Keypair,
    carrier: Carrier,
    /// The last capabilities seen.
    capabilities: Mutex<Option<Capabilities>>,
    /// Set when the server demanded blinding that its capabilities did not announce.
    forced_mode: Mutex<Option<AuthMode>>,
}

impl core::fmt::Debug for CommunityClient {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("CommunityClient")
            .field("server", &self.inner.server)
            .field("transport", &self.inner.carrier)
            .finish_non_exhaustive()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// 16 or 24 or 64 random bytes from the OS.
fn random<const N: usize>() -> Result<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|_| Error::Random)?;
    Ok(bytes)
}

impl CommunityClient {
    /// A client of `server` for `keypair` over `transport`.
    ///
    /// # Errors
    ///
    /// [`Error::Url`] if the server cannot be an onion destination, [`Error::Http`] if the
    /// direct HTTP client cannot be set up (e.g. an extra root that is not a certificate).
    pub fn new(server: Server, keypair: Keypair, transport: Transport) -> Result<Self> {
        let carrier = Carrier::new(&server, transport)?;
        Ok(Self {
            inner: Arc::new(Inner {
                server,
                keypair,
                carrier,
                capabilities: Mutex::new(None),
                forced_mode: Mutex::new(None),
            }),
        })
    }

    /// The server.
    pub fn server(&self) -> &Server {
        &self.inner.server
    }

    /// The network-adjusted time (onion) or system time (direct), unix milliseconds.
    pub fn now_ms(&self) -> u64 {
        self.inner.carrier.now_ms()
    }

    // ---- plumbing ---------------------------------------------------------------------

    /// The identity to sign with, asking the server's capabilities the first time.
    async fn auth_mode(&self) -> Result<AuthMode> {
        if let Some(mode) = *lock(&self.inner.forced_mode) {
            return Ok(mode);
        }
        let known = lock(&self.inner.capabilities)
            .as_ref()
            .map(Capabilities::auth_mode);
        match known {
            Some(mode) => Ok(mode),
            None => Ok(self.capabilities().await?.auth_mode()),
        }
    }

    /// The signing key for the current mode.
    pub async fn auth_key(&self) -> Result<AuthKey> {
        let mode = self.auth_mode().await?;
        Ok(AuthKey::new(
            &self.inner.keypair,
            self.inner.server.pubkey(),
            mode,
        ))
    }

    /// Records capabilities seen (e.g. in a poll).
    pub(crate) fn learn_capabilities(&self, capabilities: Capabilities) {
        *lock(&self.inner.capabilities) = Some(capabilities);
    }

    /// Sends `request` signed with `key`.
    async fn send_with(&self, request: &Request, key: &AuthKey) -> Result<Response> {
        let nonce = random::<16>()?;
        let headers = sign_request(
            key,
            self.inner.server.pubkey(),
            &nonce,
            self.inner.carrier.now_s(),
            request.method,
            &request.endpoint,
            &request.body_bytes(),
        );
        self.inner
            .carrier
            .send(&request.to_server_request(Some(&headers)))
            .await
    }

    /// Sends `request` signed; if an unblinded request meets "this server requires the use
    /// of blinded ids", switches to blinding and signs it again (fresh nonce).
    pub async fn send(&self, request: &Request) -> Result<Response> {
        let key = self.auth_key().await?;
        let response = self.send_with(request, &key).await?;
        let blinding_required =
            response.status == 400 && matches!(response.check(), Err(Error::BlindingRequired));
        if blinding_required && !key.mode().is_blinded() {
            tracing::debug!("server requires blinded ids; switching to blind15");
            *lock(&self.inner.forced_mode) = Some(AuthMode::Blind15);
            let key = self.auth_key().await?;
            return self.send_with(request, &key).await;
        }
        Ok(response)
    }

    /// Sends an already-built v4 request exactly as it is (for callers that sign with
    /// [`crate::sign_request`] themselves).
    pub async fn send_raw(&self, request: &session_onion::ServerRequest) -> Result<Response> {
        self.inner.carrier.send(request).await
    }

    /// Signs with `mode` whatever the capabilities say (`None`: follow them again). A
    /// server that requires blinding still switches an unblinded client to `15`.
    pub fn force_auth_mode(&self, mode: Option<AuthMode>) {
        *lock(&self.inner.forced_mode) = mode;
    }

    /// The unix time (seconds) request signatures use now.
    pub fn now_s(&self) -> u64 {
        self.inner.carrier.now_s()
    }

    /// Sends `request` without auth headers (anonymous).
    pub async fn send_anonymous(&self, request: &Request) -> Result<Response> {
        self.inner
            .carrier
            .send(&request.to_server_request(None))
            .await
    }

    // ---- general ----------------------------------------------------------------------

    /// `GET /capabilities` (anonymous), remembered for choosing the identity.
    pub async fn capabilities(&self) -> Result<Capabilities> {
        let response = self.send_anonymous(&Request::capabilities(&[])).await?;
        let capabilities = decode::capabilities(&response)?;
        self.learn_capabilities(capabilities.clone());
        Ok(capabilities)
    }

    /// The id we appear as on this server: `15`/`25` blinded, or our `05` id on a server
    /// that does not blind.
    pub async fn blinded_id(&self) -> Result<SessionId> {
        let key = self.auth_key().await?;
        Ok(match key.mode() {
            AuthMode::Unblinded => self.inner.keypair.session_id(),
            _ => key.session_id(),
        })
    }

    /// `POST /batch`: every sub-request runs; answers in order.
    pub async fn batch(&self, requests: Vec<Request>) -> Result<Vec<Response>> {
        decode_batch(&self.send(&Request::batch(&requests)).await?)
    }

    /// `POST /sequence`: in order, stopping after the first failure (included).
    pub async fn sequence(&self, requests: Vec<Request>) -> Result<Vec<Response>> {
        decode_batch(&self.send(&Request::sequence(&requests)).await?)
    }

    // ---- rooms ------------------------------------------------------------------------

    /// `GET /rooms`.
    pub async fn rooms(&self) -> Result<Vec<Room>> {
        decode::rooms(&self.send(&Request::rooms()).await?)
    }

    /// `GET /room/R`.
    pub async fn room(&self, room: &str) -> Result<Room> {
        decode::room(&self.send(&Request::room(room)?).await?)
    }

    /// `GET /room/R/pollInfo/{info_updates}`.
    pub async fn poll_info(&self, room: &str, info_updates: u64) -> Result<PollInfo> {
        decode::poll_info(&self.send(&Request::poll_info(room, info_updates)?).await?)
    }

    /// `PUT /room/R` (admins): the room's new `info_updates`.
    pub async fn update_room(&self, room: &str, update: &RoomUpdate) -> Result<u64> {
        decode::info_updates(&self.send(&Request::update_room(room, update)?).await?)
    }

    // ---- messages ---------------------------------------------------------------------

    /// `GET /room/R/messages/since/{seqno}`: messages and tombstones (reaction-only rows
    /// are left out; see [`CommunityClient::updates_since`]).
    pub async fn messages_since(
        &self,
        room: &str,
        seqno: u64,
        query: MessageQuery,
    ) -> Result<Vec<CommunityMessage>> {
        decode::messages(
            &self
                .send(&Request::messages_since(room, seqno, query)?)
                .await?,
        )
    }

    /// `GET /room/R/messages/since/{seqno}`, every row (with `t=r` in `query`: reaction
    /// updates too).
    pub async fn updates_since(
        &self,
        room: &str,
        seqno: u64,
        query: MessageQuery,
    ) -> Result<Vec<MessageRow>> {
        decode::message_rows(
            &self
                .send(&Request::messages_since(room, seqno, query)?)
                .await?,
        )
    }

    /// `GET /room/R/messages/recent`, newest first.
    pub async fn messages_recent(
        &self,
        room: &str,
        query: MessageQuery,
    ) -> Result<Vec<CommunityMessage>> {
        decode::messages(&self.send(&Request::messages_recent(room, query)?).await?)
    }

    /// `GET /room/R/messages/before/{id}`, newest first.
    pub async fn messages_before(
        &self,
        room: &str,
        id: u64,
        query: MessageQuery,
    ) -> Result<Vec<CommunityMessage>> {
        decode::messages(
            &self
                .send(&Request::messages_before(room, id, query)?)
                .await?,
        )
    }

    /// `GET /room/R/message/{id}`.
    pub async fn message(&self, room: &str, id: u64) -> Result<CommunityMessage> {
        decode::message(&self.send(&Request::message(room, id)?).await?)
    }

    /// `POST /room/R/message`: pads and signs `post` as the identity we sign requests
    /// with.
    pub async fn post(&self, room: &str, post: Post) -> Result<PostedMessage> {
        let key = self.auth_key().await?;
        let signed = sign_post(&key, &post, &random::<64>()?);
        decode::posted(&self.send(&Request::post_message(room, &signed)?).await?)
    }

    /// Posts a text message timestamped now.
    pub async fn post_text(&self, room: &str, text: &str) -> Result<PostedMessage> {
        self.post(room, Post::text(text, self.now_ms())).await
    }

    /// `PUT /room/R/message/{id}`: replaces our message.
    pub async fn edit(&self, room: &str, id: u64, post: Post) -> Result<()> {
        let key = self.auth_key().await?;
        let signed = sign_post(&key, &post, &random::<64>()?);
        decode::empty(
            &self
                .send(&Request::edit_message(room, id, &signed)?)
                .await?,
        )
    }

    /// `DELETE /room/R/message/{id}`.
    pub async fn delete_message(&self, room: &str, id: u64) -> Result<()> {
        decode::empty(&self.send(&Request::delete_message(room, id)?).await?)
    }

    /// `DELETE /room/R/all/{sid}`: all of a user's posts in the room.
    pub async fn delete_all_from(&self, room: &str, session_id: &SessionId) -> Result<()> {
        decode::empty(
            &self
                .send(&Request::delete_all_from(room, session_id)?)
                .await?,
        )
    }

    // ---- reactions --------------------------------------------------------------------

    /// `PUT /room/R/reaction/{id}/{emoji}`.
    pub async fn add_reaction(&self, room: &str, id: u64, emoji: &str) -> Result<ReactionChange> {
        let response = self.send(&Request::add_reaction(room, id, emoji)?).await?;
        decode::reaction_change(&response, "added")
    }

    /// `DELETE /room/R/reaction/{id}/{emoji}`.
    pub async fn remove_reaction(
        &self,
        room: &str,
        id: u64,
        emoji: &str,
    ) -> Result<ReactionChange> {
        let response = self
            .send(&Request::remove_reaction(room, id, emoji)?)
            .await?;
        decode::reaction_change(&response, "removed")
    }

    /// `GET /room/R/reactors/{id}/{emoji}`, oldest first.
    pub async fn reactors(
        &self,
        room: &str,
        id: u64,
        emoji: &str,
        limit: Option<u32>,
    ) -> Result<Vec<Reactor>> {
        decode::reactors(
            &self
                .send(&Request::reactors(room, id, emoji, limit)?)
                .await?,
        )
    }

    /// `DELETE /room/R/reactions/{id}[/{emoji}]` (moderators): how many were removed.
    pub async fn clear_reactions(&self, room: &str, id: u64, emoji: Option<&str>) -> Result<u64> {
        decode::reactions_cleared(
            &self
                .send(&Request::clear_reactions(room, id, emoji)?)
                .await?,
        )
    }

    // ---- pins -------------------------------------------------------------------------

    /// `POST /room/R/pin/{id}` (admins): the room's new `info_updates`.
    pub async fn pin(&self, room: &str, id: u64) -> Result<u64> {
        decode::info_updates(&self.send(&Request::pin(room, id)?).await?)
    }

    /// `POST /room/R/unpin/{id}` (admins): the room's new `info_updates`.
    pub async fn unpin(&self, room: &str, id: u64) -> Result<u64> {
        decode::info_updates(&self.send(&Request::unpin(room, id)?).await?)
    }

    /// `POST /room/R/unpin/all` (admins): the room's new `info_updates`.
    pub async fn unpin_all(&self, room: &str) -> Result<u64> {
        decode::info_updates(&self.send(&Request::unpin_all(room)?).await?)
    }

    // ---- files ------------------------------------------------------------------------

    /// `POST /room/R/file`.
    pub async fn upload_file(
        &self,
        room: &str,
        bytes: Vec<u8>,
        filename: Option<&str>,
    ) -> Result<UploadedFile> {
        let id = decode::uploaded(
            &self
                .send(&Request::upload_file(room, bytes, filename)?)
                .await?,
        )?;
        Ok(UploadedFile {
            id,
            url: format!("{}/room/{room}/file/{id}", self.inner.server.base_url()),
        })
    }

    /// `GET /room/R/file/{id}`.
    pub async fn download_file(&self, room: &str, id: u64) -> Result<DownloadedFile> {
        decode::downloaded(&self.send(&Request::download_file(room, id)?).await?)
    }

    // ---- moderation -------------------------------------------------------------------

    /// `POST /user/{sid}/ban`, for `timeout` if given.
    pub async fn ban(
        &self,
        session_id: &SessionId,
        scope: Scope,
        timeout: Option<Duration>,
    ) -> Result<()> {
        decode::empty(
            &self
                .send(&Request::ban(session_id, &scope, timeout))
                .await?,
        )
    }

    /// `POST /user/{sid}/unban`.
    pub async fn unban(&self, session_id: &SessionId, scope: Scope) -> Result<()> {
        decode::empty(&self.send(&Request::unban(session_id, &scope)).await?)
    }

    /// `POST /user/{sid}/moderator`.
    pub async fn set_moderator(
        &self,
        session_id: &SessionId,
        scope: Scope,
        role: Role,
    ) -> Result<()> {
        decode::empty(
            &self
                .send(&Request::set_moderator(session_id, &scope, role))
                .await?,
        )
    }

    /// `POST /room/R/permissions/{sid}`; with `timeout`, also schedules the opposite change
    /// (`futurePermissions`) for when it ends, both in one `/sequence`.
    pub async fn set_permissions(
        &self,
        room: &str,
        session_id: &SessionId,
        change: PermissionChange,
        timeout: Option<Duration>,
    ) -> Result<()> {
        let now = Request::set_permissions(room, session_id, change)?;
        let Some(timeout) = timeout else {
            return decode::empty(&self.send(&now).await?);
        };
        let undo = PermissionChange {
            read: change.read.map(|b| !b),
            write: change.write.map(|b| !b),
            upload: change.upload.map(|b| !b),
            accessible: None,
        };
        let later = Request::future_permissions(room, session_id, undo, timeout)?;
        let answers = self.sequence(vec![now, later]).await?;
        if answers.len() != 2 {
            return answers
                .iter()
                .find_map(|a| a.check().err())
                .map_or_else(|| Err(Error::Decode("short /sequence answer".into())), Err);
        }
        answers.iter().try_for_each(decode::empty)
    }

    /// `GET /room/R/permissions` (moderators): every explicit override, by session id.
    pub async fn permissions(
        &self,
        room: &str,
    ) -> Result<std::collections::BTreeMap<String, PermissionOverride>> {
        decode::json(&self.send(&Request::permissions(room, None)?).await?)
    }

    /// `GET /room/R/permissions/{sid}` (moderators).
    pub async fn user_permissions(
        &self,
        room: &str,
        session_id: &SessionId,
    ) -> Result<PermissionOverride> {
        decode::json(
            &self
                .send(&Request::permissions(room, Some(session_id))?)
                .await?,
        )
    }

    /// `GET /room/R/futurePermissions[/{sid}]` (moderators): scheduled changes.
    pub async fn scheduled_permissions(
        &self,
        room: &str,
        session_id: Option<&SessionId>,
    ) -> Result<Vec<FuturePermission>> {
        decode::json(
            &self
                .send(&Request::scheduled_permissions(room, session_id)?)
                .await?,
        )
    }

    /// `POST /room/R/futurePermissions/{sid}`: `change` applied `after` from now; the
    /// user's schedule after it.
    pub async fn schedule_permissions(
        &self,
        room: &str,
        session_id: &SessionId,
        change: PermissionChange,
        after: Duration,
    ) -> Result<Vec<FuturePermission>> {
        let request = Request::future_permissions(room, session_id, change, after)?;
        decode::json(&self.send(&request).await?)
    }

    /// `DELETE /rooms/all/{sid}`: a user's posts in every room we moderate.
    pub async fn delete_all_everywhere(&self, session_id: &SessionId) -> Result<DeletedEverywhere> {
        decode::json(
            &self
                .send(&Request::delete_all_everywhere(session_id))
                .await?,
        )
    }

    // ---- direct messages --------------------------------------------------------------

    /// `POST /inbox/{id}`: seals `content` to the blinded id `to` (`15` or `25`).
    pub async fn send_dm(&self, to: &SessionId, content: &Content) -> Result<SentDm> {
        if !matches!(to.prefix(), IdPrefix::Blinded15 | IdPrefix::Blinded25) {
            return Err(Error::InvalidRequest("DMs go to 15 or 25 ids".into()));
        }
        let sealed = seal_dm(
            &self.inner.keypair,
            self.inner.server.pubkey(),
            to,
            content,
            &random::<24>()?,
        )?;
        decode::sent_dm(&self.send(&Request::send_dm(to, &sealed)).await?)
    }

    /// Sends a text DM timestamped now.
    pub async fn send_dm_text(&self, to: &SessionId, text: &str) -> Result<SentDm> {
        let content = Message::new(VisibleMessage::text(text), self.now_ms()).to_content();
        self.send_dm(to, &content).await
    }

    /// `GET /inbox[/since/{id}]`, decrypted (a 304 is an empty list).
    pub async fn inbox(&self, since: Option<u64>) -> Result<Vec<ReceivedDm>> {
        self.dms(Request::inbox(since)).await
    }

    /// `GET /outbox[/since/{id}]`, decrypted.
    pub async fn outbox(&self, since: Option<u64>) -> Result<Vec<ReceivedDm>> {
        self.dms(Request::outbox(since)).await
    }

    async fn dms(&self, request: Request) -> Result<Vec<ReceivedDm>> {
        let rows = decode::dm_rows(&self.send(&request).await?)?;
        Ok(rows.into_iter().map(|raw| self.open_dm(raw)).collect())
    }

    /// Opens an inbox/outbox row with our keys.
    pub(crate) fn open_dm(&self, raw: crate::dm::RawDm) -> ReceivedDm {
        open_dm(&self.inner.keypair, self.inner.server.pubkey(), raw)
    }

    /// Our keys, for the poll machine.
    pub(crate) fn keypair(&self) -> &Keypair {
        &self.inner.keypair
    }

    /// `DELETE /inbox`: how many were deleted.
    pub async fn delete_inbox(&self) -> Result<u64> {
        decode::deleted_count(&self.send(&Request::delete_inbox()).await?)
    }
}
