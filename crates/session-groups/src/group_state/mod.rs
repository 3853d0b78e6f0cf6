//! The sans-IO group state an I/O driver runs: [`Group`] (Keys, Info and Members of one group
//! for one user), the operations of admins and members, ingestion of what the group's swarm
//! holds, and the pushes and messages it asks the driver to store or send.

mod admin;
mod dump;
mod group;
mod ingest;
mod member;
mod outputs;
mod push;

pub use group::Group;
pub use outputs::{
    ConfigPush, DirectUpdate, GroupEvent, InfoUpdate, Invitation, Promotion, ReceivedMessage,
    Removal, SwarmAuth,
};
