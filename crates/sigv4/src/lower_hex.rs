//! Lower-case hex of digests and signatures, by table into a fixed array: `hex::encode` goes
//! through a `char` iterator and a `String`, which showed in the per-request profile (three
//! encodes per signed request).

const DIGITS: &[u8; 16] = b"0123456789abcdef";

/// Each byte's two hex digits, so that a byte costs one lookup.
const PAIRS: [[u8; 2]; 256] = {
    let mut pairs = [[0u8; 2]; 256];
    let mut b = 0;
    while b < 256 {
        pairs[b] = [DIGITS[b >> 4], DIGITS[b & 0x0f]];
        b += 1;
    }
    pairs
};

/// The lower-case hex of a 32-byte SHA-256 digest or HMAC, held in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Hex64([u8; 64]);

impl Hex64 {
    /// `bytes` as lower-case hexadecimal.
    pub(crate) fn of(bytes: &[u8; 32]) -> Self {
        let mut out = [0u8; 64];
        for (pair, &b) in out.chunks_exact_mut(2).zip(bytes) {
            pair.copy_from_slice(&PAIRS[usize::from(b)]);
        }
        Self(out)
    }

    /// The hex digits.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The hex digits as text.
    pub(crate) fn as_str(&self) -> &str {
        // Only ASCII digits were written.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_hex_crate_for_every_byte() {
        let all: Vec<u8> = (0..=255u8).collect();
        for chunk in all.chunks_exact(32) {
            let bytes: [u8; 32] = chunk.try_into().unwrap();
            assert_eq!(Hex64::of(&bytes).as_str(), hex::encode(chunk));
        }
        let mut edge = [0u8; 32];
        edge[0] = 0x0f;
        edge[31] = 0xa0;
        assert_eq!(
            Hex64::of(&edge).as_str(),
            format!("0f{}a0", "00".repeat(30))
        );
    }
}
