//! Replays the committed corpus of this crate's fuzz targets (`fuzz/corpus/sogs_*`, and any
//! crash cargo-fuzz saved in `fuzz/artifacts/`) on stable, and writes the seed corpus
//! (`cargo test -p session-sogs --test fuzz_corpus -- --ignored write_seed_corpus`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use session_testkit::corpus;

use session_sogs::fuzzing;

const TARGETS: [(&str, corpus::Target); 6] = [
    ("sogs_messages", fuzzing::messages),
    ("sogs_room", fuzzing::room),
    ("sogs_poll_info", fuzzing::poll_info),
    ("sogs_batch", fuzzing::batch),
    ("sogs_dms", fuzzing::dms),
    ("sogs_room_url", fuzzing::room_url),
];

#[test]
fn corpus_replays_without_failures() {
    corpus::replay(&TARGETS);
}

const AUTHOR: &str = "15d2ad010eeb72d72e561d9de7bd7b6989af77dcabffa03a5111a6c859ae5c3a72";

fn message(id: u64) -> String {
    format!(
        r#"{{"id":{id},"session_id":"{AUTHOR}","posted":1700000000.25,"seqno":{id},"data":"CgQKAmhpgA==","signature":"{}","reactions":{{"👍":{{"index":0,"count":2,"reactors":["{AUTHOR}"],"you":true}}}}}}"#,
        "A".repeat(86) + "=="
    )
}

fn room() -> String {
    format!(
        r#"{{"token":"lobby","name":"Lobby","info_updates":3,"message_sequence":9,"created":1700000000.5,"active_users":1,"active_users_cutoff":604800,"moderators":["{AUTHOR}"],"admins":[],"read":true,"write":true,"upload":false,"pinned_messages":[{{"id":1,"pinned_at":1700000001.0,"pinned_by":"{AUTHOR}"}}]}}"#
    )
}

fn seeds(name: &str) -> Vec<String> {
    match name {
        "sogs_messages" => vec![
            format!("[{},{}]", message(1), message(2)),
            format!(r#"[{{"id":3,"session_id":"{AUTHOR}","posted":1.0,"seqno":4,"data":null,"deleted":true}}]"#),
            r#"[{"id":5,"seqno":6,"reactions":{}}]"#.to_owned(),
            "[]".to_owned(),
            "{".to_owned(),
        ],
        "sogs_room" => vec![room(), format!("[{}]", room()), r#"{"token":1}"#.to_owned()],
        "sogs_poll_info" => vec![
            format!(r#"{{"token":"lobby","active_users":2,"read":true,"write":false,"upload":false,"details":{}}}"#, room()),
            r#"{"token":"lobby","active_users":2,"read":true,"write":true,"upload":true}"#.to_owned(),
        ],
        "sogs_batch" => vec![
            format!(r#"[{{"code":200,"headers":{{"content-type":"application/json"}},"body":[{}]}},{{"code":304,"headers":{{}},"body":""}},{{"code":404,"headers":{{"content-type":"text/html"}},"body":"PGgxPk5vdCBGb3VuZDwvaDE+"}}]"#, message(7)),
            r#"[{"code":"x"}]"#.to_owned(),
        ],
        "sogs_dms" => vec![
            format!(r#"[{{"id":1,"posted_at":1700000000.1,"expires_at":1701296000.1,"sender":"{AUTHOR}","recipient":"{AUTHOR}","message":"AAECAw=="}}]"#),
            "[{}]".to_owned(),
        ],
        "sogs_room_url" => vec![
            "https://example.com/SomeRoom?public_key=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef".to_owned(),
            "http://example.com:80/r/someroom?public_key=ASNFZ4mrze8BI0VniavN7wEjRWeJq83vASNFZ4mrze8".to_owned(),
            "http://example.com:80/r/someroom?public_key=yrtwk3hjixg66yjdeiuauk6p7hy1gtm8tgih55abrpnsxnpm3zzo".to_owned(),
            "HTTPS://EXAMPLE.com:443/r/x?public_key=00&other=1".to_owned(),
            "example.com/room".to_owned(),
        ],
        _ => Vec::new(),
    }
}

#[test]
#[ignore = "writes the seed corpus into fuzz/corpus"]
fn write_seed_corpus() {
    for (name, _) in TARGETS {
        let seeds: Vec<Vec<u8>> = seeds(name).into_iter().map(String::into_bytes).collect();
        corpus::write_seeds(name, &seeds);
    }
}
