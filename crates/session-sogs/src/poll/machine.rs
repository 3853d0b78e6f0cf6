//! One poll as data: [`PollMachine::plan`] lists the sub-requests, [`PollMachine::ingest`]
//! turns their answers into events and advances the state.

use session_identity::Keypair;

use crate::decode;
use crate::dm::open_dm;
use crate::endpoints::MessageQuery;
use crate::error::{Error, Result};
use crate::poll::event::PollEvent;
use crate::poll::state::PollState;
use crate::received::MessageRow;
use crate::request::Request;
use crate::response::Response;
use crate::types::Capabilities;

/// The server's default page size: a full page means more are waiting.
const DEFAULT_PAGE: usize = 100;

/// What each sub-request of a poll was.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Slot {
    Capabilities,
    PollInfo(String),
    Messages { room: String, recent: bool },
    Inbox,
    Outbox,
}

/// The layout of one poll's `/batch`, to read its answers back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollPlan {
    slots: Vec<Slot>,
}

/// What one poll found.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct PollOutcome {
    /// Events, in order: room infos and messages per room, then DMs.
    pub events: Vec<PollEvent>,
    /// The capabilities, if asked.
    pub capabilities: Option<Capabilities>,
    /// A message page was full: poll again at once.
    pub more: bool,
    /// Sub-requests that failed (room gone, banned...), with what they were for.
    pub errors: Vec<(String, Error)>,
    /// The state after the poll.
    pub state: PollState,
}

/// The poll state machine of one server.
#[derive(Debug, Clone)]
pub struct PollMachine {
    rooms: Vec<String>,
    state: PollState,
    reactors: u32,
}

impl PollMachine {
    /// Polls `rooms`, resuming from `state`.
    pub fn new(rooms: Vec<String>, state: PollState) -> Self {
        Self {
            rooms,
            state,
            reactors: 5,
        }
    }

    /// The current state.
    pub fn state(&self) -> &PollState {
        &self.state
    }

    /// The next poll's sub-requests; inbox and outbox only when `blinded`.
    ///
    /// # Errors
    ///
    /// [`Error::Url`] for an invalid room token.
    pub fn plan(&self, blinded: bool) -> Result<(Vec<Request>, PollPlan)> {
        let mut requests = vec![Request::capabilities(&[])];
        let mut slots = vec![Slot::Capabilities];
        let query = MessageQuery::poll().reactors(self.reactors);
        for room in &self.rooms {
            let state = self.state.room(room);
            requests.push(Request::poll_info(room, state.info_updates)?);
            slots.push(Slot::PollInfo(room.clone()));
            match state.seqno {
                Some(seqno) => requests.push(Request::messages_since(room, seqno, query)?),
                None => requests.push(Request::messages_recent(room, query)?),
            }
            slots.push(Slot::Messages {
                room: room.clone(),
                recent: state.seqno.is_none(),
            });
        }
        if blinded {
            requests.push(Request::inbox(self.state.inbox_last_id));
            slots.push(Slot::Inbox);
            requests.push(Request::outbox(self.state.outbox_last_id));
            slots.push(Slot::Outbox);
        }
        Ok((requests, PollPlan { slots }))
    }

    /// Reads a poll's answers (in plan order), returning its events; DMs are opened with
    /// `keypair` for the server `server_pk`.
    ///
    /// # Errors
    ///
    /// [`Error::Decode`] if the answer count does not match the plan (then nothing
    /// changes).
    pub fn ingest(
        &mut self,
        plan: &PollPlan,
        responses: &[Response],
        keypair: &Keypair,
        server_pk: &[u8; 32],
    ) -> Result<PollOutcome> {
        if responses.len() != plan.slots.len() {
            return Err(Error::Decode(format!(
                "{} answers to a poll of {}",
                responses.len(),
                plan.slots.len()
            )));
        }
        let mut outcome = PollOutcome::default();
        for (slot, response) in plan.slots.iter().zip(responses) {
            if let Err((what, error)) =
                self.ingest_one(slot, response, keypair, server_pk, &mut outcome)
            {
                outcome.errors.push((what, error));
            }
        }
        outcome.state = self.state.clone();
        Ok(outcome)
    }

    fn ingest_one(
        &mut self,
        slot: &Slot,
        response: &Response,
        keypair: &Keypair,
        server_pk: &[u8; 32],
        outcome: &mut PollOutcome,
    ) -> Result<(), (String, Error)> {
        match slot {
            Slot::Capabilities => {
                let caps =
                    decode::capabilities(response).map_err(|e| ("capabilities".into(), e))?;
                outcome.capabilities = Some(caps);
            }
            Slot::PollInfo(room) => {
                let info = decode::poll_info(response).map_err(|e| (room.clone(), e))?;
                if let Some(details) = info.details {
                    self.state
                        .rooms
                        .entry(room.clone())
                        .or_default()
                        .info_updates = details.info_updates;
                    outcome.events.push(PollEvent::RoomInfo {
                        room: room.clone(),
                        info: Box::new(details),
                    });
                }
            }
            Slot::Messages { room, recent } => {
                let mut rows = decode::message_rows(response).map_err(|e| (room.clone(), e))?;
                outcome.more |= !recent && rows.len() >= DEFAULT_PAGE;
                if *recent {
                    // `recent` is newest first; deliver in seqno order like `since`.
                    rows.sort_by_key(MessageRow::seqno);
                }
                let entry = self.state.rooms.entry(room.clone()).or_default();
                let mut high = entry.seqno;
                for row in rows {
                    let seqno = row.seqno();
                    if entry.seqno.is_some_and(|seen| seqno <= seen) {
                        continue;
                    }
                    high = Some(high.map_or(seqno, |h| h.max(seqno)));
                    outcome.events.push(match row {
                        MessageRow::Message(message) if message.deleted => PollEvent::Deleted {
                            room: room.clone(),
                            id: message.id,
                            seqno,
                        },
                        MessageRow::Message(message) => PollEvent::Message {
                            room: room.clone(),
                            message: *message,
                        },
                        MessageRow::Reactions {
                            id,
                            seqno,
                            reactions,
                        } => PollEvent::Reactions {
                            room: room.clone(),
                            id,
                            seqno,
                            reactions,
                        },
                    });
                }
                // An empty room stays at "recent" until it has a message; afterwards
                // `since` continues from the highest seqno.
                entry.seqno = high;
            }
            Slot::Inbox | Slot::Outbox => {
                let inbox = *slot == Slot::Inbox;
                let what = if inbox { "inbox" } else { "outbox" };
                let rows = decode::dm_rows(response).map_err(|e| (what.into(), e))?;
                let last = if inbox {
                    &mut self.state.inbox_last_id
                } else {
                    &mut self.state.outbox_last_id
                };
                for raw in rows {
                    if last.is_some_and(|seen| raw.id <= seen) {
                        continue;
                    }
                    *last = Some(last.map_or(raw.id, |l| l.max(raw.id)));
                    let dm = open_dm(keypair, server_pk, raw);
                    outcome.events.push(if inbox {
                        PollEvent::Dm(dm)
                    } else {
                        PollEvent::OutboxDm(dm)
                    });
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn ok(status: u16, body: &str) -> Response {
        Response {
            status,
            headers: BTreeMap::new(),
            body: body.as_bytes().to_vec(),
        }
    }

    fn keypair() -> Keypair {
        Keypair::from_ed25519_seed(&session_crypto::Ed25519Seed::from_bytes([1; 32]))
    }

    fn row(id: u64, seqno: u64) -> String {
        format!(
            r#"{{"id":{id},"session_id":"15{}","posted":1.0,"seqno":{seqno},"data":"gA==","signature":"{}","reactions":{{}}}}"#,
            "44".repeat(32),
            "A".repeat(86) + "=="
        )
    }

    #[test]
    fn first_poll_is_recent_then_since() {
        let mut machine = PollMachine::new(vec!["lobby".into()], PollState::default());
        let (requests, plan) = machine.plan(true).unwrap();
        let paths: Vec<_> = requests.iter().map(|r| r.endpoint.as_str()).collect();
        assert_eq!(
            paths,
            [
                "/capabilities",
                "/room/lobby/pollInfo/0",
                "/room/lobby/messages/recent?reactors=5",
                "/inbox",
                "/outbox"
            ]
        );
        let room = r#"{"token":"lobby","name":"L","info_updates":2,"message_sequence":3}"#;
        let answers = [
            ok(200, r#"{"capabilities":["blind","sogs"]}"#),
            ok(200, &format!(r#"{{"token":"lobby","details":{room}}}"#)),
            ok(200, &format!("[{},{}]", row(2, 3), row(1, 1))),
            ok(304, ""),
            ok(200, "[]"),
        ];
        let outcome = machine
            .ingest(&plan, &answers, &keypair(), &[0; 32])
            .unwrap();
        assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
        assert!(matches!(&outcome.events[0], PollEvent::RoomInfo { .. }));
        let ids: Vec<_> = outcome.events[1..]
            .iter()
            .map(|e| match e {
                PollEvent::Message { message, .. } => message.id,
                _ => 0,
            })
            .collect();
        assert_eq!(ids, [1, 2]);
        assert_eq!(
            outcome.state.room("lobby"),
            crate::RoomPollState {
                seqno: Some(3),
                info_updates: 2
            }
        );

        let (requests, plan) = machine.plan(false).unwrap();
        assert_eq!(requests[1].endpoint, "/room/lobby/pollInfo/2");
        assert_eq!(
            requests[2].endpoint,
            "/room/lobby/messages/since/3?t=r&reactors=5"
        );
        assert_eq!(requests.len(), 3);

        // Deletions and reaction-only rows; a repeated seqno is not redelivered.
        let tomb = format!(
            r#"{{"id":1,"session_id":"15{}","posted":1.0,"seqno":4,"data":null,"deleted":true}}"#,
            "44".repeat(32)
        );
        let answers = [
            ok(200, r#"{"capabilities":["sogs"]}"#),
            ok(200, r#"{"token":"lobby"}"#),
            ok(
                200,
                &format!(
                    r#"[{},{tomb},{{"id":2,"seqno":5,"reactions":{{}}}}]"#,
                    row(2, 3)
                ),
            ),
        ];
        let outcome = machine
            .ingest(&plan, &answers, &keypair(), &[0; 32])
            .unwrap();
        assert!(matches!(
            outcome.events[..],
            [
                PollEvent::Deleted {
                    id: 1,
                    seqno: 4,
                    ..
                },
                PollEvent::Reactions {
                    id: 2,
                    seqno: 5,
                    ..
                }
            ]
        ));
        assert_eq!(machine.state().room("lobby").seqno, Some(5));
    }

    #[test]
    fn sub_errors_are_reported_and_counts_checked() {
        let mut machine = PollMachine::new(vec!["gone".into()], PollState::default());
        let (_, plan) = machine.plan(false).unwrap();
        let outcome = machine
            .ingest(
                &plan,
                &[ok(200, r#"{"capabilities":[]}"#), ok(404, ""), ok(404, "")],
                &keypair(),
                &[0; 32],
            )
            .unwrap();
        assert_eq!(outcome.errors.len(), 2);
        assert!(machine.ingest(&plan, &[], &keypair(), &[0; 32]).is_err());
    }
}
