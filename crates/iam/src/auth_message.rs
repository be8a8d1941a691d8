//! Encoded authorization messages (what `sts:DecodeAuthorizationMessage` decodes): the
//! decision's JSON, base64url-encoded and MAC'd with the runtime's token key so only
//! messages mediamock made decode.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

const DOMAIN: &[u8] = b"mediamock-authorization-message\0";
const MAC_LEN: usize = 16;

fn mac(key: &[u8; 32], data: &[u8]) -> Vec<u8> {
    let Ok(mut m) = <Hmac<Sha256> as Mac>::new_from_slice(key) else {
        return Vec::new();
    };
    m.update(DOMAIN);
    m.update(data);
    m.finalize()
        .into_bytes()
        .iter()
        .take(MAC_LEN)
        .copied()
        .collect()
}

/// Encodes a decoded-message JSON text.
pub fn encode(key: &[u8; 32], json: &str) -> String {
    let mut bytes = json.as_bytes().to_vec();
    bytes.extend(mac(key, json.as_bytes()));
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes a message made by [`encode`]; `None` for anything else.
pub fn decode(key: &[u8; 32], encoded: &str) -> Option<String> {
    let bytes = URL_SAFE_NO_PAD.decode(encoded.trim()).ok()?;
    let split = bytes.len().checked_sub(MAC_LEN)?;
    let (body, tag) = bytes.split_at(split);
    let expected = mac(key, body);
    if subtle_eq(tag, &expected) {
        String::from_utf8(body.to_vec()).ok()
    } else {
        None
    }
}

fn subtle_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The decoded message AWS gives for a decision, in its JSON layout.
pub fn describe(
    principal: &service::Principal,
    action: &str,
    resource: &str,
    decision: &policy::Decision,
) -> serde_json::Value {
    serde_json::json!({
        "allowed": decision.allowed(),
        "explicitDeny": decision.decision == policy::EvalDecision::ExplicitDeny,
        "matchedStatements": {"items": decision.matched.iter().map(|m| serde_json::json!({
            "statementId": m.sid.as_deref().unwrap_or_default(),
            "effect": if m.effect_allow { "ALLOW" } else { "DENY" },
            "source": &*m.source.id,
        })).collect::<Vec<_>>()},
        "failures": {"items": []},
        "context": {
            "principal": {"id": principal.user_id, "arn": principal.arn},
            "action": action,
            "resource": resource,
            "conditions": {"items": []},
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_garbage() {
        let k = [9u8; 32];
        let e = encode(&k, "{\"allowed\":false}");
        assert_eq!(decode(&k, &e).as_deref(), Some("{\"allowed\":false}"));
        assert_eq!(decode(&[1u8; 32], &e), None);
        assert_eq!(decode(&k, "garbage!"), None);
        assert_eq!(decode(&k, ""), None);
    }
}
