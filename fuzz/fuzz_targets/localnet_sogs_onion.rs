#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| session_localnet::fuzzing::sogs_onion(data));
