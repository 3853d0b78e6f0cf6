//! The local dump of a config object, for persistence between runs.
//!
//! It follows libsession's layout (so dumps are familiar to anyone reading both), a bencoded
//! dictionary:
//!
//! | key | value |
//! | --- | --- |
//! | `!` | state: 0 clean, 1 dirty, 2 waiting |
//! | `$` | the serialized config message, unsigned (a verified signature is kept) |
//! | `(` | list of the current message hashes |
//! | `)` | list of obsolete hashes still to delete from the swarm |
//! | `*` | multipart sets: `{final_hash32: {"#": part count (0 once done), "T": expiry ms (absent until known), "p": [{"#": index, "M": message hash, "d": chunk}]}}` |
//!
//! libsession also writes `+`, type-specific extra data; none of the user configs has any, so
//! it is not written (and ignored when present).
//!
//! Loading refuses anything else than this layout (wrong types, a state outside 0..=2,
//! hashes that are not UTF-8) with [`Error::InvalidDump`].

use std::collections::BTreeSet;

use session_bt::{Kind, write_bytes, write_int, write_uint};

use crate::error::{Error, Result};
use crate::multipart::{Multiparts, Part, PartialSet};

/// The state of a config object (libsession-util.md §11.10).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum State {
    /// Nothing to push: the current message is on the swarm.
    Clean,
    /// Changed locally (or merged with a conflict): needs a push.
    Dirty,
    /// Pushed, waiting for `confirm_pushed`.
    Waiting,
}

impl State {
    fn code(self) -> i64 {
        match self {
            Self::Clean => 0,
            Self::Dirty => 1,
            Self::Waiting => 2,
        }
    }

    fn from_code(code: i64) -> Option<Self> {
        match code {
            0 => Some(Self::Clean),
            1 => Some(Self::Dirty),
            2 => Some(Self::Waiting),
            _ => None,
        }
    }
}

/// The parts of a dump (no `Debug`: the config inside may hold secrets).
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Dump {
    pub(crate) state: State,
    pub(crate) config: Vec<u8>,
    pub(crate) current: BTreeSet<String>,
    pub(crate) old: BTreeSet<String>,
    pub(crate) multiparts: Multiparts,
}

fn write_hashes(out: &mut Vec<u8>, hashes: &BTreeSet<String>) {
    out.push(b'l');
    for h in hashes {
        write_bytes(out, h.as_bytes());
    }
    out.push(b'e');
}

impl Dump {
    pub(crate) fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.config.len() + 64);
        out.push(b'd');
        write_bytes(&mut out, b"!");
        write_int(&mut out, self.state.code());
        write_bytes(&mut out, b"$");
        write_bytes(&mut out, &self.config);
        write_bytes(&mut out, b"(");
        write_hashes(&mut out, &self.current);
        write_bytes(&mut out, b")");
        write_hashes(&mut out, &self.old);
        write_bytes(&mut out, b"*");
        out.push(b'd');
        for (hash, set) in &self.multiparts.sets {
            write_bytes(&mut out, hash);
            out.push(b'd');
            write_bytes(&mut out, b"#");
            write_uint(&mut out, u64::from(set.count));
            if let Some(expiry) = set.expiry_ms {
                write_bytes(&mut out, b"T");
                write_uint(&mut out, expiry);
            }
            write_bytes(&mut out, b"p");
            out.push(b'l');
            for part in &set.parts {
                out.push(b'd');
                write_bytes(&mut out, b"#");
                write_uint(&mut out, u64::from(part.index));
                write_bytes(&mut out, b"M");
                write_bytes(&mut out, part.message_hash.as_bytes());
                write_bytes(&mut out, b"d");
                write_bytes(&mut out, &part.data);
                out.push(b'e');
            }
            out.push(b'e');
            out.push(b'e');
        }
        out.push(b'e');
        out.push(b'e');
        out
    }

    pub(crate) fn decode(bytes: &[u8]) -> Result<Self> {
        let bad = Error::InvalidDump;
        let value = session_bt::decode(bytes).map_err(|_| bad("not bencode"))?;
        let dict = value.as_dict().ok_or(bad("not a dict"))?;
        let state = dict
            .get(b"!")
            .and_then(|v| v.as_i64())
            .and_then(State::from_code)
            .ok_or(bad("missing or invalid state"))?;
        let config = dict
            .get(b"$")
            .and_then(|v| v.as_bytes())
            .ok_or(bad("missing config"))?
            .to_vec();
        let hashes = |key: &[u8]| -> Result<BTreeSet<String>> {
            match dict.get(key).map(|v| v.kind()) {
                None => Ok(BTreeSet::new()),
                Some(Kind::List(items)) => items
                    .iter()
                    .map(|i| {
                        i.as_str()
                            .map(str::to_owned)
                            .ok_or(bad("hash is not UTF-8"))
                    })
                    .collect(),
                _ => Err(bad("hashes are not a list")),
            }
        };
        let current = hashes(b"(")?;
        let old = hashes(b")")?;
        let mut multiparts = Multiparts::default();
        if let Some(sets) = dict.get(b"*") {
            let sets = sets.as_dict().ok_or(bad("multiparts are not a dict"))?;
            for (hash, set) in sets.iter() {
                let hash: [u8; 32] = hash.try_into().map_err(|_| bad("multipart key"))?;
                let count = set
                    .get(b"#")
                    .and_then(|v| v.as_u64())
                    .and_then(|n| u8::try_from(n).ok())
                    .ok_or(bad("multipart count"))?;
                let expiry_ms = match set.get(b"T") {
                    None => None,
                    Some(t) => Some(t.as_u64().ok_or(bad("multipart expiry"))?),
                };
                let mut parts = Vec::new();
                for part in set.get(b"p").and_then(|p| p.as_list()).unwrap_or_default() {
                    let index = part
                        .get(b"#")
                        .and_then(|v| v.as_u64())
                        .and_then(|n| u8::try_from(n).ok())
                        .ok_or(bad("part index"))?;
                    let message_hash = part
                        .get(b"M")
                        .and_then(|v| v.as_str())
                        .ok_or(bad("part hash"))?
                        .to_owned();
                    let data = part
                        .get(b"d")
                        .and_then(|v| v.as_bytes())
                        .ok_or(bad("part data"))?
                        .to_vec();
                    if parts.last().is_some_and(|p: &Part| p.index >= index) {
                        return Err(bad("parts out of order"));
                    }
                    parts.push(Part {
                        index,
                        message_hash,
                        data,
                    });
                }
                let done = count == 0;
                multiparts.sets.insert(
                    hash,
                    PartialSet {
                        count,
                        parts,
                        done,
                        expiry_ms,
                    },
                );
            }
        }
        Ok(Self {
            state,
            config,
            current,
            old,
            multiparts,
        })
    }
}
