//! Fuzz targets for the federation parsers: the JWT decoder and verifier, the SAML metadata
//! and response readers and the XML-signature verifier never panic on any input; a genuine
//! token or response verifies, a token with any one character changed never does, and a
//! response with any one byte changed, inserted or removed either fails or yields exactly
//! the signed content the genuine one does (nothing unsigned is ever trusted).
//! Cases: `PROPTEST_CASES` (`make fuzz` runs many).

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use iam::jwt::Jwt;
use iam::{saml, xmldsig};
use proptest::prelude::*;
use serde_json::Value;
use std::sync::OnceLock;

const TOKEN: &str = include_str!("../fixtures/oidc-rsa.token");
const SIGNED: &str = include_str!("../fixtures/saml-signed-response.xml");
const SIGNED_ROOT: &str = include_str!("../fixtures/saml-signed-root.xml");

fn jwks() -> Value {
    serde_json::from_str(include_str!("../fixtures/oidc-rsa.jwks.json")).expect("jwks")
}

fn certificate() -> Vec<String> {
    vec![include_str!("../fixtures/saml-idp-cert.pem")
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect()]
}

/// What the genuine responses' signatures cover.
fn genuine(xml: &'static str) -> &'static str {
    static SIGNED_CONTENT: OnceLock<(String, String)> = OnceLock::new();
    let (a, b) = SIGNED_CONTENT.get_or_init(|| {
        (
            xmldsig::verify(SIGNED, &certificate()).expect("the fixture verifies"),
            xmldsig::verify(SIGNED_ROOT, &certificate()).expect("the fixture verifies"),
        )
    });
    if xml == SIGNED {
        a
    } else {
        b
    }
}

fn bump(b: u8) -> u8 {
    match b {
        b'0'..=b'9' => b'0' + (b - b'0' + 1) % 10,
        b'a'..=b'z' => b'a' + (b - b'a' + 1) % 26,
        b'A'..=b'Z' => b'A' + (b - b'A' + 1) % 26,
        b'-' => b'_',
        b'_' => b'-',
        other => other,
    }
}

fn json_text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(r#"{"alg":"RS256","kid":"test-rsa"}"#.to_string()),
        Just(r#"{"alg":"none"}"#.to_string()),
        Just(r#"{"alg":"HS256","kid":"test-rsa"}"#.to_string()),
        Just(r#"{"iss":"https://x","aud":["a"],"exp":1e308,"nbf":"x"}"#.to_string()),
        "\\{(\"[a-z]{1,4}\":(\\d{1,3}|\"[^\"]{0,6}\"|\\[\\]|null|true),?){0,4}\\}",
        ".{0,30}",
    ]
}

/// Edits one byte of `xml`: replace, insert or remove.
fn edit(xml: &str, at: usize, op: u8, byte: u8) -> Option<String> {
    let mut bytes = xml.as_bytes().to_vec();
    let i = at % bytes.len();
    match op % 3 {
        0 if bytes[i] != byte => bytes[i] = byte,
        0 => return None,
        1 => bytes.insert(i, byte),
        _ => {
            bytes.remove(i);
        }
    }
    String::from_utf8(bytes).ok()
}

proptest! {
    #[test]
    fn fuzz_jwt_never_panics(header in json_text(), claims in json_text(), sig in proptest::collection::vec(any::<u8>(), 0..300), raw in ".{0,80}") {
        let token = format!(
            "{}.{}.{}",
            URL_SAFE_NO_PAD.encode(&header),
            URL_SAFE_NO_PAD.encode(&claims),
            URL_SAFE_NO_PAD.encode(&sig)
        );
        let jwks = jwks();
        for t in [token.as_str(), raw.as_str()] {
            if let Ok(jwt) = Jwt::decode(t) {
                let _ = (jwt.audiences(), jwt.time_claim("exp"), jwt.claim("iss"));
                prop_assert!(jwt.verify(&jwks).is_err(), "{t} verified");
            }
        }
    }

    #[test]
    fn fuzz_jwt_any_changed_character_never_verifies(at in any::<usize>()) {
        let token = TOKEN.trim();
        let jwks = jwks();
        prop_assert!(Jwt::decode(token).expect("decodes").verify(&jwks).is_ok());
        let mut bytes = token.as_bytes().to_vec();
        let spots: Vec<usize> = (0..bytes.len()).filter(|i| bytes[*i] != b'.').collect();
        let i = spots[at % spots.len()];
        bytes[i] = bump(bytes[i]);
        let changed = String::from_utf8(bytes).expect("ascii");
        let verified = Jwt::decode(&changed).map(|j| j.verify(&jwks));
        prop_assert!(!matches!(verified, Ok(Ok(()))), "{changed} verified");
    }

    #[test]
    fn fuzz_saml_readers_never_panic(text in ".{0,300}", b64 in any::<bool>()) {
        let _ = saml::parse_metadata(&text);
        let _ = saml::parse_signed(&text);
        let _ = xmldsig::verify(&text, &certificate());
        let encoded = if b64 { STANDARD.encode(&text) } else { text.clone() };
        let _ = saml::parse_response(&encoded);
    }

    #[test]
    fn fuzz_saml_one_byte_edit_never_changes_what_is_trusted(
        root in any::<bool>(),
        at in any::<usize>(),
        op in any::<u8>(),
        byte in prop_oneof![Just(b' '), Just(b'"'), Just(b'<'), Just(b'>'), Just(b'/'), Just(b'='), Just(b'x'), Just(b'1'), any::<u8>().prop_map(|b| b & 0x7f)],
    ) {
        let xml = if root { SIGNED_ROOT } else { SIGNED };
        let Some(edited) = edit(xml, at, op, byte) else { return Ok(()) };
        let _ = saml::parse_signed(&edited);
        if let Ok(content) = xmldsig::verify(&edited, &certificate()) {
            prop_assert_eq!(content.as_str(), genuine(xml), "an edited response verified with other content");
        }
    }
}
