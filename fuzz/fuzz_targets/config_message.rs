#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| session_config::fuzzing::config_message(data));
