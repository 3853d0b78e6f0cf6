//! Desktop's attachment size buckets: before the default scheme encrypts, the plaintext is
//! zero-padded up to the next power of 1.05, so the file server sees only coarse sizes.
//!
//! Rule (session-desktop `ts/session/crypto/BufferPadding.ts`, `addAttachmentPadding`,
//! commit `17c842303886da7bdbd95ec8fb96a1fcb4c047a6`):
//! `max(541, floor(1.05 ^ ceil(ln(len) / ln(1.05))))`, and if that exceeds the 10,000,000-byte
//! upload limit while `len` does not, exactly 10,000,000. It is computed in `f64` exactly as
//! JavaScript does (`Math.log`, `Math.pow`, `Math.floor`); the result is never below `len`.

/// The smallest padded size (also what an empty attachment pads to).
pub const MIN_PADDED_SIZE: usize = 541;
/// The file server's upload limit, `MAX_ATTACHMENT_FILESIZE_BYTES` in desktop's
/// `ts/session/constants.ts`; padding never pushes a file that fits over it.
pub const MAX_ATTACHMENT_SIZE: usize = 10_000_000;

/// The size desktop pads a `len`-byte attachment to.
///
/// ```
/// use session_protocol::attachment::padding::padded_size;
///
/// assert_eq!(padded_size(0), 541);
/// assert_eq!(padded_size(10), 541);
/// assert_eq!(padded_size(1000), 1020);
/// assert_eq!(padded_size(9_999_999), 10_000_000);
/// ```
pub fn padded_size(len: usize) -> usize {
    // `len as f64` is exact for every length below 2^53.
    let exponent = ((len as f64).ln() / 1.05f64.ln()).ceil();
    let bucket = 1.05f64.powf(exponent).floor();
    // Casting a float to an integer saturates, and `ln(0)` gives a bucket of 0.
    let mut padded = (bucket as usize).max(MIN_PADDED_SIZE);
    if padded > MAX_ATTACHMENT_SIZE && len <= MAX_ATTACHMENT_SIZE {
        padded = MAX_ATTACHMENT_SIZE;
    }
    // Desktop would throw on a bucket below the length; never hand back less than `len`.
    padded.max(len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn desktop_cases() {
        // ts/test/session/unit/padding/Padding_test.ts
        assert_eq!(padded_size(10), 541);
        assert_eq!(padded_size(MAX_ATTACHMENT_SIZE), MAX_ATTACHMENT_SIZE);
        assert_eq!(padded_size(MAX_ATTACHMENT_SIZE - 1), MAX_ATTACHMENT_SIZE);
        let over = MAX_ATTACHMENT_SIZE + 1;
        let expected = 1.05f64
            .powf(((over as f64).ln() / 1.05f64.ln()).ceil())
            .floor() as usize;
        assert_eq!(padded_size(over), expected);
        assert!(expected > over);
    }

    #[test]
    fn matches_javascript() {
        // Desktop's expression evaluated by Node.js (V8 `Math.log`/`Math.pow`/`Math.floor`)
        // at sample lengths and on both sides of bucket boundaries floor(1.05^k).
        const NODE: [(usize, usize); 60] = [
            (0, 541),
            (1, 541),
            (10, 541),
            (25, 541),
            (541, 541),
            (542, 568),
            (569, 596),
            (570, 596),
            (1000, 1020),
            (4096, 4201),
            (65536, 67789),
            (100000, 100155),
            (1048576, 1093831),
            (5000000, 5212040),
            (9999999, 10000000),
            (10000000, 10000000),
            (10000001, 10319484),
            (10485760, 10835458),
            (541, 541),
            (542, 568),
            (881, 881),
            (882, 925),
            (1436, 1436),
            (1437, 1507),
            (2339, 2339),
            (2340, 2456),
            (3810, 3810),
            (3811, 4001),
            (6207, 6207),
            (6208, 6517),
            (10110, 10110),
            (10111, 10616),
            (16469, 16469),
            (16470, 17292),
            (26826, 26826),
            (26827, 28167),
            (43697, 43697),
            (43698, 45882),
            (71178, 71178),
            (71179, 74737),
            (115942, 115942),
            (115943, 121739),
            (188858, 188858),
            (188859, 198300),
            (307629, 307629),
            (307630, 323011),
            (501096, 501096),
            (501097, 526151),
            (816233, 816233),
            (816234, 857045),
            (1329558, 1329558),
            (1329559, 1396036),
            (2165710, 2165710),
            (2165711, 2273996),
            (3527714, 3527714),
            (3527715, 3704100),
            (5746274, 5746274),
            (5746275, 6033588),
            (9360076, 9360076),
            (9360077, 9828080),
        ];
        for (len, padded) in NODE {
            assert_eq!(padded_size(len), padded, "len {len}");
        }
    }

    #[test]
    fn monotonic_and_never_short() {
        let mut previous = 0;
        for len in 0..20_000 {
            let padded = padded_size(len);
            assert!(padded >= len && padded >= previous);
            previous = padded;
        }
    }
}
