#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| session_localnet::fuzzing::storage_rpc(data));
