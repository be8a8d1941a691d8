//! Arbitrary client input never panics the verifier, the canonicalizer or the scope peek.

use proptest::prelude::*;
use sigv4::{canonicalize, peek_scope, CanonicalOptions, Credential, RequestParts, Verifier};
use std::time::{Duration, UNIX_EPOCH};

fn lookup(id: &str) -> Option<Credential> {
    (!id.contains('x')).then(|| Credential {
        secret_access_key: "secret".into(),
        session_token: id.contains('K').then(|| "tok".into()),
        expires_at: Some(UNIX_EPOCH + Duration::from_secs(1_440_938_160)),
    })
}

/// Strings biased towards the characters SigV4 parsing cares about.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[A-Za-z0-9%/=&;,. _~+\\-]{0,40}",
        Just("AWS4-HMAC-SHA256 Credential=AK/20150830/us-east-1/ivs/aws4_request, SignedHeaders=host;x-amz-date, Signature=00".to_string()),
        Just("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AK%2F20150830%2Fus-east-1%2Fivs%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-SignedHeaders=host&X-Amz-Signature=00&X-Amz-Expires=9".to_string()),
        Just("20150830T123600Z".to_string()),
        Just("%".to_string()),
        Just("/../..//./".to_string()),
    ]
}

proptest! {
    #[test]
    fn fuzz_verifier_never_panics(
        auth in proptest::option::of(fragment()),
        amz_date in proptest::option::of(fragment()),
        date in proptest::option::of(fragment()),
        token in proptest::option::of(fragment()),
        path in fragment(),
        query in fragment(),
        suffix in fragment(),
        raw_header in proptest::collection::vec(any::<u8>(), 0..16),
        body in proptest::collection::vec(any::<u8>(), 0..32),
        now_secs in 0u64..4_000_000_000,
    ) {
        let auth = auth.map(|a| format!("{a}{suffix}"));
        let mut headers: Vec<(&str, &[u8])> = vec![("host", b"example.com"), ("x-raw", &raw_header)];
        if let Some(a) = &auth { headers.push(("Authorization", a.as_bytes())); }
        if let Some(d) = &amz_date { headers.push(("X-Amz-Date", d.as_bytes())); }
        if let Some(d) = &date { headers.push(("Date", d.as_bytes())); }
        if let Some(t) = &token { headers.push(("X-Amz-Security-Token", t.as_bytes())); }
        let query = format!("{query}{suffix}");
        let req = RequestParts { method: "POST", path: &path, query: &query, headers: &headers, body: &body };
        let now = UNIX_EPOCH + Duration::from_secs(now_secs);
        let verifier = Verifier::new(Duration::from_secs(300));
        if let Err(e) = verifier.verify(&req, &lookup, now) {
            // Every error renders and has a real status.
            prop_assert!(!e.code(false).is_empty() && !e.code(true).is_empty());
            prop_assert!(e.status() == 400 || e.status() == 403);
            let _ = e.message_for(true);
        }
        let _ = canonicalize(&req, CanonicalOptions { normalize_path: false, ..CanonicalOptions::default() });
        let _ = peek_scope(&req);
    }
}
