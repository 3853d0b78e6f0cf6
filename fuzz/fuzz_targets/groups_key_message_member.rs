#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| session_groups::fuzzing::load_key_message_as_member(data));
