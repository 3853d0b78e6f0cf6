#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| session_swarm::fuzzing::file_server_answer(data));
