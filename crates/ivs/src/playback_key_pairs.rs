//! Playback key pairs: imported ECDSA P-384 public keys that verify viewer tokens.

use crate::crud::{no_check, ResourceSpec};
use crate::input::{conflict, object, opt_str, req_str, tags, validation};
use crate::state::Kind;
use crate::Ivs;
use md5::{Digest, Md5};
use serde_json::Value;
use service::{RequestContext, ServiceError};
use spki::{ObjectIdentifier, SubjectPublicKeyInfoRef};

/// Members of `PlaybackKeyPairSummary`.
const SUMMARY: &[&str] = &["arn", "name", "tags"];

/// `id-ecPublicKey` (RFC 5480).
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
/// `secp384r1`, the curve IVS requires.
const SECP384R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");

/// Parses PEM `SubjectPublicKeyInfo` text and checks it is an ECDSA P-384 public key;
/// returns the DER.
pub(crate) fn parse_p384_public_key(material: &str) -> Result<Vec<u8>, ServiceError> {
    let invalid = |why: &str| {
        validation(format!(
            "publicKeyMaterial is not a valid ECDSA P-384 public key: {why}"
        ))
    };
    let block = pem::parse(material.trim()).map_err(|_| invalid("not PEM"))?;
    if block.tag() != "PUBLIC KEY" {
        return Err(invalid("expected a PEM block labelled PUBLIC KEY"));
    }
    let der = block.contents();
    let spki = SubjectPublicKeyInfoRef::try_from(der)
        .map_err(|_| invalid("not a SubjectPublicKeyInfo"))?;
    if spki.algorithm.oid != EC_PUBLIC_KEY {
        return Err(invalid("not an elliptic-curve key"));
    }
    if spki.algorithm.parameters_oid().ok() != Some(SECP384R1) {
        return Err(invalid("the curve is not P-384 (secp384r1)"));
    }
    let point = spki
        .subject_public_key
        .as_bytes()
        .ok_or_else(|| invalid("malformed public key bits"))?;
    // SEC 1 encodings of a P-384 point: uncompressed (0x04 ‖ X ‖ Y) or compressed (0x02/0x03 ‖ X).
    let well_formed = matches!(point.first(), Some(0x04)) && point.len() == 97
        || matches!(point.first(), Some(0x02 | 0x03)) && point.len() == 49;
    if !well_formed {
        return Err(invalid("malformed curve point"));
    }
    Ok(der.to_vec())
}

/// The key's fingerprint: the MD5 of its DER `SubjectPublicKeyInfo`, as colon-separated
/// lower-case hex. Terraform's acceptance test of `aws_ivs_playback_key_pair`, run against AWS,
/// asserts exactly this value (`acctest.TLSECDSAPublicKeyPEM`: `md5.Sum` of
/// `x509.MarshalPKIXPublicKey`, joined with ':').
pub(crate) fn fingerprint(der: &[u8]) -> String {
    Md5::digest(der)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// The type's wire names and rules, for the shared operations in [`crate::crud`].
pub(crate) const SPEC: ResourceSpec = ResourceSpec {
    kind: Kind::PlaybackKeyPair,
    one: "keyPair",
    many: "keyPairs",
    summary: SUMMARY,
    default_page: 100,
    settable: &[],
    check: no_check,
    channel_member: None,
    quota: Some(crate::quotas::PLAYBACK_KEY_PAIRS),
};

impl Ivs {
    /// ImportPlaybackKeyPair: ConflictException for a key already imported,
    /// ServiceQuotaExceededException beyond the per-region quota (checked by `create_one`).
    pub(crate) fn import_playback_key_pair(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let material = req_str(input, "publicKeyMaterial")?;
        let tags = tags(input, "tags")?;
        let der = parse_p384_public_key(material)?;
        let print = fingerprint(&der);
        {
            let state = self.state.read();
            let mine: Vec<_> = state.store(Kind::PlaybackKeyPair).iter_in(ctx).collect();
            if mine.iter().any(|(_, r)| r.str("fingerprint") == print) {
                return Err(conflict("The public key has already been imported"));
            }
        }
        let body = object([
            ("name", Value::from(opt_str(input, "name").unwrap_or(""))),
            ("fingerprint", Value::from(print)),
        ]);
        self.create_one(ctx, &SPEC, body, tags)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::*;
    use serde_json::json;

    #[test]
    fn only_p384_public_keys_are_accepted() {
        assert!(parse_p384_public_key(P384_KEYS[0]).is_ok());
        assert!(parse_p384_public_key(P256_KEY).is_err());
        assert!(parse_p384_public_key("not a key").is_err());
        let wrong_label = P384_KEYS[0].replace("PUBLIC KEY", "CERTIFICATE");
        assert!(parse_p384_public_key(&wrong_label).is_err());
    }

    #[test]
    fn fingerprints_are_colon_hex_and_distinct() {
        let a = fingerprint(&parse_p384_public_key(P384_KEYS[0]).unwrap());
        let b = fingerprint(&parse_p384_public_key(P384_KEYS[1]).unwrap());
        assert_eq!(a.len(), 16 * 3 - 1);
        assert!(a.split(':').all(|h| h.len() == 2));
        assert_ne!(a, b);
    }

    #[test]
    fn the_fingerprint_is_the_md5_of_the_der_public_key() {
        // `openssl pkey -pubin -outform DER | openssl md5 -c` of P384_KEYS[0].
        let der = parse_p384_public_key(P384_KEYS[0]).unwrap();
        assert_eq!(
            fingerprint(&der),
            "0a:36:9c:f2:9b:2d:79:f4:af:c3:a8:7f:40:0c:f6:05"
        );
    }

    #[test]
    fn lifecycle_duplicates_and_quota() {
        let ivs = ivs();
        let out = ok(
            &ivs,
            "ImportPlaybackKeyPair",
            json!({"publicKeyMaterial": P384_KEYS[0], "name": "k0", "tags": {"a": "b"}}),
        );
        let arn = s(&out, "/keyPair/arn");
        assert!(arn.starts_with("arn:aws:ivs:us-west-2:000000000000:playback-key/"));
        assert!(!s(&out, "/keyPair/fingerprint").is_empty());
        err(
            &ivs,
            "ImportPlaybackKeyPair",
            json!({"publicKeyMaterial": P384_KEYS[0]}),
            "ConflictException",
        );
        err(
            &ivs,
            "ImportPlaybackKeyPair",
            json!({"publicKeyMaterial": P256_KEY}),
            "ValidationException",
        );
        ok(
            &ivs,
            "ImportPlaybackKeyPair",
            json!({"publicKeyMaterial": P384_KEYS[1]}),
        );
        ok(
            &ivs,
            "ImportPlaybackKeyPair",
            json!({"publicKeyMaterial": P384_KEYS[2]}),
        );
        err(
            &ivs,
            "ImportPlaybackKeyPair",
            json!({"publicKeyMaterial": P384_KEYS[3]}),
            "ServiceQuotaExceededException",
        );
        let list = ok(&ivs, "ListPlaybackKeyPairs", json!({}));
        assert_eq!(list["keyPairs"].as_array().unwrap().len(), 3);
        assert!(list["keyPairs"][0].get("fingerprint").is_none());
        let got = ok(&ivs, "GetPlaybackKeyPair", json!({ "arn": arn }));
        assert_eq!(got["keyPair"], out["keyPair"]);
        ok(&ivs, "DeletePlaybackKeyPair", json!({ "arn": arn }));
        err(
            &ivs,
            "GetPlaybackKeyPair",
            json!({ "arn": arn }),
            "ResourceNotFoundException",
        );
        ok(
            &ivs,
            "ImportPlaybackKeyPair",
            json!({"publicKeyMaterial": P384_KEYS[3]}),
        );
    }
}
