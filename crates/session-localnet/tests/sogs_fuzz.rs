//! The SOGS fuzz entry points on stable: hand-picked inputs and a few thousand seeded random
//! mutations of valid requests must all get an answer with a known status (never a panic).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use session_localnet::fuzzing::{sogs_batch, sogs_onion, sogs_request};

const SEEDS: &[&[u8]] = &[
    b"GET /capabilities?required=sogs,blind\n\n",
    b"GET /room/lobby/messages/since/0?t=r&reactors=25&limit=-4\n\n",
    b"PUT /room/lobby/reaction/1/%F0%9F%91%8D\ncontent-type: application/json\n\n{}",
    b"POST /room/lobby/message\ncontent-type: application/json\n\n{\"data\":\"AA==\",\"signature\":\"\"}",
    b"GET /auth_test/whoami\nX-SOGS-Pubkey: 15ff\nX-SOGS-Nonce: a\nX-SOGS-Timestamp: 1\nX-SOGS-Signature: x\n\n",
    b"POST /batch\ncontent-type: application/json\n\n[{\"method\":\"GET\",\"path\":\"/rooms\"}]",
    b"GET /room/lobby/file/99999999999999999999999\n\n",
    b"DELETE /rooms/all/05\n\n",
];

/// A small deterministic generator (xorshift64), enough to mutate inputs.
struct Xorshift(u64);

impl Xorshift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % u64::try_from(n).unwrap()).unwrap()
    }

    fn byte(&mut self) -> u8 {
        self.next().to_le_bytes()[0]
    }
}

#[test]
fn sogs_parsers_never_panic() {
    let mut rng = Xorshift(0x5065_5065);
    let mut ran = 0;
    for seed in SEEDS {
        sogs_request(seed);
        sogs_batch(seed);
        sogs_onion(seed);
        for _ in 0..300 {
            let mut input = seed.to_vec();
            for _ in 0..1 + rng.below(5) {
                let at = rng.below(input.len());
                match rng.below(3) {
                    0 => input[at] = rng.byte(),
                    1 => {
                        input.remove(at);
                    }
                    _ => input.insert(at, rng.byte()),
                }
                if input.is_empty() {
                    input.push(b'/');
                }
            }
            sogs_request(&input);
            sogs_batch(&input);
            ran += 1;
        }
    }
    sogs_batch(br#"[{"method":"POST","path":"/room/lobby/message","json":{"data":"AA=="}}]"#);
    sogs_batch(br#"[{"method":"GET","path":"/inbox/since/0"},{"method":"PUT","path":"/room/x","b64":"!!"}]"#);
    assert!(ran > 2000);
}
