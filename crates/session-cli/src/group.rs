//! `group rekey`, `group load-keys`, `group decrypt`, `group subaccount` and
//! `group sign-request`: closed groups (v2) offline, through `session::groups`
//! (libsession-util.md §12).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::Serialize;
use session::crypto::Ed25519Seed;
use session::groups::subaccount::{self, AuthData, SubaccountFlags};
use session::groups::{GroupIdentity, GroupKeys, Rekey};
use session::{IdPrefix, Keypair, SessionId};

use crate::cli::{
    GroupDecryptArgs, GroupLoadKeysArgs, GroupRekeyArgs, GroupSignRequestArgs, GroupSubaccountArgs,
    KeyMessageArgs,
};
use crate::error::CliError;
use crate::input;

/// What `group rekey` prints.
#[derive(Debug, Serialize)]
pub(crate) struct Rekeyed {
    /// The group's `03` ID.
    group_id: String,
    /// The key message to store in namespace 12, standard base64.
    key_message_base64: String,
    /// The new group key (secret), hex.
    group_key_hex: String,
}

/// What `group load-keys` prints.
#[derive(Debug, Serialize)]
pub(crate) struct LoadedKeys {
    /// Every key the messages gave us, newest first (secret), hex.
    keys_hex: Vec<String>,
}

/// What `group decrypt` prints.
#[derive(Debug, Serialize)]
pub(crate) struct Decrypted {
    /// The sender's `05` Session ID, from the key that signed the message.
    sender: String,
    /// The decrypted (and decompressed) plaintext, hex: for namespace-11 messages, the
    /// protobuf `Envelope`.
    plaintext_hex: String,
}

/// What `group subaccount` prints.
#[derive(Debug, Serialize)]
pub(crate) struct Subaccount {
    /// The member's 100-byte authentication data (for the invite), hex.
    auth_data_hex: String,
    /// The 36-byte subaccount token (what revocations name), hex.
    token_hex: String,
}

/// What `group sign-request` prints: the storage RPC's parameters, standard base64.
#[derive(Debug, Serialize)]
pub(crate) struct SignedRequest {
    /// `subaccount`: the token.
    subaccount: String,
    /// `subaccount_sig`: the group's signature over the token.
    subaccount_sig: String,
    /// `signature`: the member's signature over the request.
    signature: String,
}

/// The key pair of a 32-byte Ed25519 seed given as hex by `option`.
fn keypair(option: &str, text: &str) -> Result<Keypair, CliError> {
    let seed = input::secret_hex::<32>(option, text)?;
    Ok(Keypair::from_ed25519_seed(&Ed25519Seed::from_bytes(*seed)))
}

/// `05` members given by `--member`.
fn members(texts: &[String]) -> Result<Vec<SessionId>, CliError> {
    texts
        .iter()
        .map(|t| input::standard_session_id("--member", t))
        .collect()
}

/// `group rekey`: the key message of a generation, deterministic.
pub(crate) fn rekey(args: &GroupRekeyArgs) -> Result<Rekeyed, CliError> {
    let seed = input::secret_hex::<32>("--group-seed", &args.group_seed)?;
    let group = GroupIdentity::from_seed(&Ed25519Seed::from_bytes(*seed));
    let rekey = Rekey::build(group.keypair(), &members(&args.member)?, args.generation)?;
    Ok(Rekeyed {
        group_id: group.id().to_string(),
        key_message_base64: STANDARD.encode(&rekey.message),
        group_key_hex: hex::encode(rekey.key.expose_secret()),
    })
}

/// The Keys state of `--seed` after loading every `--key-message-base64`. A seed whose key is
/// the group's own reads as admin (the `K` copies), any other as a member.
fn load(args: &KeyMessageArgs) -> Result<GroupKeys, CliError> {
    let user = keypair("--seed", &args.seed)?;
    let group_id = SessionId::parse_hex(args.group_id.trim())?;
    if group_id.prefix() != IdPrefix::Group {
        return Err(CliError::input(format!(
            "--group-id must be a {} ID, got prefix {}",
            IdPrefix::Group,
            group_id.prefix()
        )));
    }
    let mut keys = if user.ed25519_public() == group_id.key_bytes() {
        GroupKeys::new_admin(user.clone(), user)?
    } else {
        GroupKeys::new_member(user, *group_id.key_bytes())?
    };
    for (i, spec) in args.key_message_base64.iter().enumerate() {
        let n = i + 1;
        let (data, hash, timestamp_ms) = key_message(spec, n)?;
        keys.load_key_message(hash, &data, timestamp_ms)
            .map_err(|error| CliError::input(format!("--key-message-base64 #{n}: {error}")))?;
    }
    Ok(keys)
}

/// Splits `<base64>:<hash>:<timestamp_ms>` (base64 and storage hashes hold no `:`).
fn key_message(spec: &str, n: usize) -> Result<(Vec<u8>, &str, i64), CliError> {
    let bad = |what: &str| {
        CliError::input(format!(
            "--key-message-base64 #{n} must be <base64>:<hash>:<timestamp_ms>: {what}"
        ))
    };
    let mut parts = spec.trim().splitn(3, ':');
    let (Some(data), Some(hash), Some(timestamp)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(bad("expected three parts"));
    };
    let data = STANDARD
        .decode(data)
        .map_err(|_| bad("the message is not base64"))?;
    if hash.is_empty() {
        return Err(bad("the hash is empty"));
    }
    let timestamp = timestamp
        .parse()
        .map_err(|_| bad("the timestamp is not an integer"))?;
    Ok((data, hash, timestamp))
}

/// `group load-keys`: the keys a user gets from key messages.
pub(crate) fn load_keys(args: &GroupLoadKeysArgs) -> Result<LoadedKeys, CliError> {
    let keys = load(&args.keys)?;
    Ok(LoadedKeys {
        keys_hex: keys
            .group_keys()
            .iter()
            .map(|k| hex::encode(k.expose_secret()))
            .collect(),
    })
}

/// `group decrypt`: a group message, decrypted with every key the key messages give.
pub(crate) fn decrypt(args: &GroupDecryptArgs) -> Result<Decrypted, CliError> {
    let keys = load(&args.keys)?;
    let data = STANDARD
        .decode(args.data_base64.trim())
        .map_err(|error| CliError::input(format!("--data-base64 is not base64: {error}")))?;
    let message = keys.decrypt_message(&data)?;
    Ok(Decrypted {
        sender: message.sender.to_string(),
        plaintext_hex: hex::encode(&message.plaintext),
    })
}

/// `group subaccount`: a member's authentication data and token (read and write, plus
/// delete with `--delete`).
pub(crate) fn subaccount(args: &GroupSubaccountArgs) -> Result<Subaccount, CliError> {
    let group = keypair("--group-seed", &args.group_seed)?;
    let member = input::standard_session_id("--member", &args.member)?;
    let flags = SubaccountFlags::new(true, args.delete);
    let auth = subaccount::make_auth_data(&group, &member, flags)?;
    let token = subaccount::make_token(&group, &member, flags)?;
    Ok(Subaccount {
        auth_data_hex: hex::encode(auth.as_bytes()),
        token_hex: hex::encode(token.0),
    })
}

/// `group sign-request`: a member's storage request signature as a subaccount.
pub(crate) fn sign_request(args: &GroupSignRequestArgs) -> Result<SignedRequest, CliError> {
    let user = keypair("--seed", &args.seed)?;
    let auth_bytes = input::secret_hex::<100>("--auth-data-hex", &args.auth_data_hex)?;
    let auth = AuthData::from_slice(auth_bytes.as_slice())?;
    let message = input::hex_bytes("--message-hex", &args.message_hex)?;
    let [subaccount, subaccount_sig, signature] =
        subaccount::sign(&user, &auth, &message)?.to_base64();
    Ok(SignedRequest {
        subaccount,
        subaccount_sig,
        signature,
    })
}
