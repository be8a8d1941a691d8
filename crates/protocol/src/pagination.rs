//! Opaque, tamper-evident `NextToken`s.
//!
//! A token carries the sort key of the last item served (so it stays valid while items are
//! added or removed) plus a MAC under the runtime's token key (so a client cannot forge or
//! edit one). The key is stable across restarts on the same data directory.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

const MAC_LEN: usize = 16;

/// Encodes `cursor` (the last served sort key, plus anything that scopes the listing such as
/// its filters) into a token.
pub fn encode_token(key: &[u8; 32], cursor: &str) -> String {
    let mut bytes = cursor.as_bytes().to_vec();
    bytes.extend_from_slice(&mac(key, cursor.as_bytes()));
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes a token made by [`encode_token`]; `None` if it is malformed or was tampered with.
pub fn decode_token(key: &[u8; 32], token: &str) -> Option<String> {
    let bytes = URL_SAFE_NO_PAD.decode(token.trim()).ok()?;
    if bytes.len() < MAC_LEN {
        return None;
    }
    let (cursor, tag) = bytes.split_at(bytes.len() - MAC_LEN);
    let expected = mac(key, cursor);
    if subtle::ConstantTimeEq::ct_eq(tag, &expected[..]).into() {
        String::from_utf8(cursor.to_vec()).ok()
    } else {
        None
    }
}

fn mac(key: &[u8; 32], data: &[u8]) -> [u8; MAC_LEN] {
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("any key length works");
    m.update(b"mediamock-next-token\0");
    m.update(data);
    let full = m.finalize().into_bytes();
    let mut out = [0u8; MAC_LEN];
    out.copy_from_slice(&full[..MAC_LEN]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let k = [1u8; 32];
        let t = encode_token(&k, "channel/abc|filter=x");
        assert_eq!(
            decode_token(&k, &t).as_deref(),
            Some("channel/abc|filter=x")
        );
    }

    #[test]
    fn rejects_tampering_and_other_keys() {
        let k = [1u8; 32];
        let t = encode_token(&k, "abc");
        assert_eq!(decode_token(&[2u8; 32], &t), None);
        let mut bytes = URL_SAFE_NO_PAD.decode(&t).unwrap();
        bytes[0] ^= 1;
        assert_eq!(decode_token(&k, &URL_SAFE_NO_PAD.encode(bytes)), None);
        assert_eq!(decode_token(&k, "not a token!"), None);
        assert_eq!(decode_token(&k, ""), None);
    }
}
