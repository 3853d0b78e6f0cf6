#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

// Sans-IO core: addresses, signing, requests, responses, messages, DMs, polling.
pub mod auth;
pub mod decode;
mod dm;
mod endpoints;
mod error;
mod percent;
pub mod poll;
mod post;
mod received;
mod request;
mod response;
pub mod types;
mod url;

// The async driver.
mod client;

#[doc(hidden)]
pub mod fuzzing;

pub use auth::{AuthHeaders, AuthKey, AuthMode, sign_request, signed_message};
pub use client::{CommunityClient, DirectOptions, PollOptions, Poller, Transport};
pub use dm::{RawDm, ReceivedDm, decode_dm_rows, open_dm, seal_dm};
pub use endpoints::MessageQuery;
pub use error::{Error, Result};
pub use poll::{PollEvent, PollMachine, PollOutcome, PollPlan, PollState, RoomPollState};
pub use post::{Post, SignedPost, sign_post};
pub use received::{
    CommunityMessage, MessageRow, Reaction, decode_message, decode_message_rows,
    verify_post_signature,
};
pub use request::{Body, Request};
pub use response::{Response, decode_batch};
pub use types::{
    Capabilities, DeletedEverywhere, DownloadedFile, FuturePermission, PermissionChange,
    PermissionOverride, PinnedMessage, PollInfo, PostedMessage, ReactionChange, Reactor, Role,
    Room, RoomUpdate, Scope, SentDm, UploadedFile,
};
pub use url::{RoomUrl, Server};

/// A `/batch` or `/sequence` sub-request: any [`Request`].
pub type SubRequest = Request;
/// A `/batch` or `/sequence` sub-response.
pub type SubResponse = Response;
