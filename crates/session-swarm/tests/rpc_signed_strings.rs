//! The exact strings signed, written by hand from the storage-server notes (§5.1, §6),
//! checked against both `rpc::signed` and the signatures inside rendered requests.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use session_crypto::Ed25519Seed;
use session_identity::Keypair;
use session_swarm::rpc::{
    Account, Auth, Bulk, Call, Delete, Expire, ExpireMode, GetExpiries, Lifetime, NamespaceScope,
    Retrieve, Revocation, Signer, Store, SubaccountFlags, SubaccountToken, signed,
};

const TS: u64 = 1_700_000_000_123;
const H1: &str = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
const H2: &str = "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";

fn keypair(byte: u8) -> Keypair {
    Keypair::from_ed25519_seed(&Ed25519Seed::from_bytes([byte; 32]))
}

/// Verifies the request's `signature` over `expected` with `key`.
fn assert_signed(call: &impl Call, key: &[u8; 32], expected: &[u8]) {
    let params = call.request().params();
    let signature: [u8; 64] = STANDARD
        .decode(params["signature"].as_str().unwrap())
        .unwrap()
        .try_into()
        .unwrap();
    session_crypto::ed25519::verify(&signature, key, expected).unwrap_or_else(|_| {
        panic!(
            "{} not signed over {:?}",
            call.request().method(),
            String::from_utf8_lossy(expected)
        )
    });
}

#[test]
fn client_signed_strings_match_the_server() {
    assert_eq!(signed::store(0, TS), b"store1700000000123");
    assert_eq!(signed::store(2, TS), b"store21700000000123");
    assert_eq!(signed::retrieve(0, TS), b"retrieve1700000000123");
    assert_eq!(signed::retrieve(-11, TS), b"retrieve-111700000000123");
    assert_eq!(
        signed::retrieve(i16::MIN, TS),
        b"retrieve-327681700000000123"
    );
    assert_eq!(
        signed::delete(&[H1, H2]),
        format!("delete{H1}{H2}").as_bytes()
    );
    assert_eq!(
        signed::delete_all(NamespaceScope::All, TS),
        b"delete_allall1700000000123"
    );
    assert_eq!(
        signed::delete_all(NamespaceScope::One(0), TS),
        b"delete_all1700000000123"
    );
    assert_eq!(
        signed::delete_before(NamespaceScope::One(-10), TS),
        b"delete_before-101700000000123"
    );
    assert_eq!(
        signed::expire_all(NamespaceScope::One(3), TS),
        b"expire_all31700000000123"
    );
    assert_eq!(
        signed::expire(ExpireMode::Any, &[TS], &[H1]),
        format!("expire1700000000123{H1}").as_bytes()
    );
    assert_eq!(
        signed::expire(ExpireMode::Shorten, &[TS], &[H1, H2]),
        format!("expireshorten1700000000123{H1}{H2}").as_bytes()
    );
    assert_eq!(
        signed::expire(ExpireMode::Extend, &[1, 22], &[H1, H2]),
        format!("expireextend122{H1}{H2}").as_bytes()
    );
    assert_eq!(
        signed::get_expiries(TS, &[H1]),
        format!("get_expiries1700000000123{H1}").as_bytes()
    );
    let token = SubaccountToken::new(0x03, SubaccountFlags::READ, &[9; 32]);
    let mut revoke = b"revoke_subaccount1700000000123".to_vec();
    revoke.extend_from_slice(&[0x03, 0x01, 0, 0]);
    revoke.extend_from_slice(&[9; 32]);
    assert_eq!(signed::revoke_subaccount(TS, &[token]), revoke);
    let mut unrevoke = b"unrevoke_subaccount1700000000123".to_vec();
    unrevoke.extend_from_slice(token.as_bytes());
    assert_eq!(signed::unrevoke_subaccount(TS, &[token]), unrevoke);
}

#[test]
fn rendered_requests_carry_those_signatures() {
    let user = keypair(1);
    let me = Signer::user(user.clone());
    let ed = *user.ed25519_public();

    let store = Store::new(Auth::Signed(&me), 0, b"x", Lifetime::Ttl(60_000), TS).unwrap();
    assert_signed(&store, &ed, b"store1700000000123");
    let params = store.request().params();
    assert_eq!(params["pubkey"], user.session_id().to_string());
    assert_eq!(params["pubkey_ed25519"], hex::encode(ed));
    assert_eq!(params["data"], "eA==");
    assert!(params.get("sig_timestamp").is_none());

    let late = Store::with_timestamp(
        Auth::Signed(&me),
        -11,
        b"x",
        Lifetime::Ttl(60_000),
        1_600_000_000_000,
        TS,
    )
    .unwrap();
    assert_signed(&late, &ed, b"store-111700000000123");
    assert_eq!(late.request().params()["sig_timestamp"], TS);

    assert_signed(
        &Retrieve::new(Auth::Signed(&me), 0, TS).unwrap(),
        &ed,
        b"retrieve1700000000123",
    );
    assert_signed(
        &Delete::new(&me, &[H1, H2]).unwrap(),
        &ed,
        format!("delete{H1}{H2}").as_bytes(),
    );
    assert_signed(
        &Bulk::delete_all(&me, NamespaceScope::All, TS),
        &ed,
        b"delete_allall1700000000123",
    );
    assert_eq!(
        Bulk::delete_all(&me, NamespaceScope::All, TS)
            .request()
            .params()["namespace"],
        "all"
    );
    assert_signed(
        &Bulk::delete_before(&me, NamespaceScope::One(5), TS),
        &ed,
        b"delete_before51700000000123",
    );
    assert_signed(
        &Bulk::expire_all(&me, NamespaceScope::One(0), TS),
        &ed,
        b"expire_all1700000000123",
    );
    let expire = Expire::new(&me, &[H1], TS, ExpireMode::Extend).unwrap();
    assert_signed(
        &expire,
        &ed,
        format!("expireextend1700000000123{H1}").as_bytes(),
    );
    assert_eq!(expire.request().params()["extend"], true);
    let multi = Expire::multi(&me, &[H1, H2], &[5, 6], ExpireMode::Any).unwrap();
    assert_signed(&multi, &ed, format!("expire56{H1}{H2}").as_bytes());
    assert_signed(
        &GetExpiries::new(&me, &[H2], TS).unwrap(),
        &ed,
        format!("get_expiries1700000000123{H2}").as_bytes(),
    );

    // A group admin signs with the group key and sends no pubkey_ed25519.
    let group = keypair(2);
    let admin = Signer::group_admin(group.clone());
    let token = SubaccountToken::new(0x03, SubaccountFlags::READ, &[7; 32]);
    let revoke = Revocation::revoke(&admin, &[token], TS).unwrap();
    let mut message = b"revoke_subaccount1700000000123".to_vec();
    message.extend_from_slice(token.as_bytes());
    assert_signed(&revoke, group.ed25519_public(), &message);
    assert_eq!(
        revoke.request().params()["pubkey"],
        format!("03{}", hex::encode(group.ed25519_public()))
    );
    assert!(revoke.request().params().get("pubkey_ed25519").is_none());

    // A subaccount: its own key signs; token and owner signature travel as base64.
    let sub_key = keypair(3);
    let token = SubaccountToken::new(
        0x03,
        SubaccountFlags::READ | SubaccountFlags::WRITE,
        sub_key.ed25519_public(),
    );
    assert_eq!(token.as_bytes()[..4], [0x03, 0x03, 0, 0]);
    let token_sig = group.sign(token.as_bytes());
    let member = Signer::subaccount(*admin.account(), token, token_sig, sub_key.clone());
    let retrieve = Retrieve::new(Auth::Signed(&member), 11, TS).unwrap();
    assert_signed(
        &retrieve,
        sub_key.ed25519_public(),
        b"retrieve111700000000123",
    );
    let params = retrieve.request().params();
    assert_eq!(params["subaccount"], STANDARD.encode(token.as_bytes()));
    assert_eq!(params["subaccount_sig"], STANDARD.encode(token_sig));
}

#[test]
fn builders_refuse_what_the_server_would() {
    let me = Signer::user(keypair(1));
    let anyone = Auth::Anonymous(Account::new(0x05, &[1; 32]));
    assert!(Store::new(anyone, 2, b"x", Lifetime::Ttl(60_000), TS).is_err());
    assert!(Store::new(anyone, 0, b"x", Lifetime::Ttl(60_000), TS).is_ok());
    assert!(Store::new(anyone, 0, b"x", Lifetime::Ttl(15 * 86_400_000), TS).is_err());
    assert!(
        Store::new(
            Auth::Signed(&me),
            2,
            b"x",
            Lifetime::Ttl(15 * 86_400_000),
            TS
        )
        .is_ok()
    );
    assert!(Store::new(Auth::Signed(&me), 2, b"x", Lifetime::Ttl(9_999), TS).is_err());
    assert!(Store::new(Auth::Signed(&me), 2, b"x", Lifetime::Expiry(TS - 1), TS).is_err());
    assert!(
        Store::new(
            Auth::Signed(&me),
            2,
            &[0; 76_801],
            Lifetime::Ttl(60_000),
            TS
        )
        .is_err()
    );
    assert!(Retrieve::new(anyone, 0, TS).is_err());
    assert!(Retrieve::new(anyone, -10, TS).is_ok());
    assert!(Retrieve::new(anyone, -21, TS).is_ok());
    assert!(Delete::new(&me, &[] as &[&str]).is_err());
    assert!(Expire::multi(&me, &[H1], &[1, 2], ExpireMode::Any).is_err());
    let tokens = vec![SubaccountToken::from_bytes([0; 36]); 51];
    assert!(Revocation::revoke(&me, &tokens, TS).is_err());
    assert!(Revocation::unrevoke(&me, &tokens, TS).is_ok());
}
