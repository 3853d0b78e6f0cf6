//! Storing pushed config messages: one `sequence` per 20 subrequests, the stores first and
//! the deletion of the obsolete hashes last, so nothing is deleted before its replacement
//! is stored.

use session_config::Push;

use crate::client::SwarmClient;
use crate::configs::error::ConfigError;
use crate::configs::options::ConfigOptions;
use crate::configs::user_configs::UserConfig;
use crate::rpc::batch::MAX_SUBREQUESTS;
use crate::rpc::{Auth, Call, Delete, Lifetime, Reply, Request, Signer, Store, StoreResult};

/// One config's push, waiting to be stored.
#[derive(Debug)]
pub(crate) struct Pending {
    pub(crate) config: UserConfig,
    pub(crate) seqno: i64,
    messages: Vec<Vec<u8>>,
    obsolete: Vec<String>,
}

impl Pending {
    pub(crate) fn new(config: UserConfig, push: Push) -> Self {
        Self {
            config,
            seqno: push.seqno,
            messages: push.messages,
            obsolete: push.obsolete,
        }
    }
}

/// One message to store, and which pending push it belongs to.
struct Part<'a> {
    owner: usize,
    namespace: i16,
    data: &'a [u8],
}

/// Stores every pending push; returns, per push, its messages' hashes and expiries, or why
/// it is not confirmed.
pub(crate) async fn store_all(
    client: &SwarmClient,
    signer: &Signer,
    options: &ConfigOptions,
    pending: &[Pending],
) -> Vec<Result<Vec<(String, u64)>, ConfigError>> {
    let parts: Vec<Part<'_>> = pending
        .iter()
        .enumerate()
        .flat_map(|(owner, p)| {
            p.messages.iter().map(move |data| Part {
                owner,
                namespace: p.config.namespace(),
                data,
            })
        })
        .collect();
    let obsolete: Vec<&str> = pending
        .iter()
        .flat_map(|p| p.obsolete.iter().map(String::as_str))
        .collect();
    let mut results: Vec<Result<Vec<(String, u64)>, ConfigError>> =
        pending.iter().map(|_| Ok(Vec::new())).collect();
    // The last sequence keeps a slot for the deletion.
    let chunk = MAX_SUBREQUESTS - 1;
    let chunks: Vec<&[Part<'_>]> = parts.chunks(chunk).collect();
    for (index, parts) in chunks.iter().enumerate() {
        let delete = if index + 1 == chunks.len() && !obsolete.is_empty() {
            Some(obsolete.as_slice())
        } else {
            None
        };
        match store_chunk(client, signer, options, parts, delete).await {
            Ok(outcomes) => {
                for (part, outcome) in parts.iter().zip(outcomes) {
                    let slot = &mut results[part.owner];
                    match (slot.as_mut(), outcome) {
                        (Ok(hashes), Ok(stored)) => hashes.push(stored),
                        (Ok(_), Err(error)) => *slot = Err(error),
                        (Err(_), _) => {}
                    }
                }
            }
            Err(error) => {
                // The first config of the chunk carries the error; the others were not
                // confirmed by anyone.
                let mut error = Some(ConfigError::Swarm(error));
                for part in parts.iter() {
                    if results[part.owner].is_ok() {
                        results[part.owner] =
                            Err(error.take().unwrap_or(ConfigError::Unconfirmed {
                                namespace: part.namespace,
                                confirmed: 0,
                                members: 0,
                                needed: 1,
                            }));
                    }
                }
            }
        }
    }
    results
}

/// One sequence: the stores of `parts`, then the deletion.
async fn store_chunk(
    client: &SwarmClient,
    signer: &Signer,
    options: &ConfigOptions,
    parts: &[Part<'_>],
    delete: Option<&[&str]>,
) -> crate::Result<Vec<Result<(String, u64), ConfigError>>> {
    let lifetime = Lifetime::Ttl(options.ttl_ms());
    let answer = client
        .sequence(signer.account(), |now_ms| {
            let mut requests: Vec<Request> = parts
                .iter()
                .map(|part| {
                    Store::new(
                        Auth::Signed(signer),
                        part.namespace,
                        part.data,
                        lifetime,
                        now_ms,
                    )
                    .map(|store| store.request().clone())
                })
                .collect::<crate::Result<_>>()?;
            if let Some(hashes) = delete {
                requests.push(Delete::new(signer, hashes)?.request().clone());
            }
            Ok(requests)
        })
        .await?;
    let now_ms = client.now_ms();
    let mut outcomes = Vec::with_capacity(parts.len());
    for (index, part) in parts.iter().enumerate() {
        let Some(sub) = answer.results.get(index) else {
            // A sequence stops at its first failure; the rest did not run.
            outcomes.push(Err(ConfigError::Swarm(crate::Error::NotStored {
                members: 0,
            })));
            continue;
        };
        let parser = Store::new(
            Auth::Signed(signer),
            part.namespace,
            part.data,
            lifetime,
            now_ms,
        )?;
        outcomes.push(match parser.parse_reply(sub.reply())? {
            Reply::Ok(stored) => confirmed(options, part.namespace, &stored),
            other => other
                .into_result()
                .map(|_| (String::new(), 0))
                .map_err(ConfigError::Swarm),
        });
    }
    if delete.is_some()
        && let Some(sub) = answer.results.get(parts.len())
        && !(200..300).contains(&sub.code)
    {
        // The obsolete messages expire on their own; a failed deletion costs space only.
        tracing::debug!(code = sub.code, "deleting obsolete config messages failed");
    }
    Ok(outcomes)
}

/// The stored hash and its latest confirmed expiry, if enough members confirmed.
fn confirmed(
    options: &ConfigOptions,
    namespace: i16,
    stored: &StoreResult,
) -> Result<(String, u64), ConfigError> {
    let members = stored.members.len();
    let confirmed = stored.members.verified().count();
    let needed = if options.majority_confirmation {
        members / 2 + 1
    } else {
        1
    };
    if confirmed < needed || confirmed == 0 {
        return Err(ConfigError::Unconfirmed {
            namespace,
            confirmed,
            members,
            needed,
        });
    }
    let expiry = stored
        .members
        .verified()
        .map(|(_, entry)| entry.expiry)
        .max()
        .unwrap_or(0);
    Ok((stored.hash.clone(), expiry))
}
