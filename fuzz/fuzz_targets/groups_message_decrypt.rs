#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| session_groups::fuzzing::decrypt_group_message(data));
