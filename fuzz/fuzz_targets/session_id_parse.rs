#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| session_testkit::fuzz::session_id_parse(data));
