#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| session_testkit::fuzz::onion_peel(data));
