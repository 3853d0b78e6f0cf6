//! Community addresses: a server (base URL and X25519 key) and a room on it, as users share
//! them (`{base}/{room}?public_key={key}`).

mod pubkey;
mod room_url;
mod server;

pub use room_url::RoomUrl;
pub use server::Server;

pub(crate) use room_url::check_room_token;
