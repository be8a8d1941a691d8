//! Verifying a typical signed POST: with the signing key cached, and cold (derived every time).

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use sigv4::{
    canonicalize, derive_signing_key, parse_amz_date, signature, CanonicalOptions, Credential,
    CredentialScope, RequestParts, Verifier,
};
use std::time::Duration;

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const BODY: &[u8] =
    br#"{"name":"channel-1","latencyMode":"LOW","type":"STANDARD","tags":{"env":"bench"}}"#;
const CREDENTIAL: &str = "AKIDEXAMPLE/20150830/us-west-2/ivs/aws4_request";
const SIGNED: &str = "content-type;host;x-amz-date;x-amz-user-agent";

fn lookup(_: &str) -> Option<Credential> {
    Some(Credential {
        secret_access_key: SECRET.into(),
        session_token: None,
        expires_at: None,
    })
}

/// The headers an SDK sends for a JSON POST, with `signature` in the Authorization header.
fn headers(signature: &str) -> Vec<(String, Vec<u8>)> {
    let auth = format!(
        "AWS4-HMAC-SHA256 Credential={CREDENTIAL}, SignedHeaders={SIGNED}, Signature={signature}"
    );
    vec![
        ("host".into(), b"ivs.us-west-2.amazonaws.com".to_vec()),
        ("content-type".into(), b"application/json".to_vec()),
        ("x-amz-date".into(), b"20150830T123600Z".to_vec()),
        (
            "x-amz-user-agent".into(),
            b"aws-sdk-rust/1.0 os/linux lang/rust".to_vec(),
        ),
        ("authorization".into(), auth.into_bytes()),
    ]
}

fn borrow(h: &[(String, Vec<u8>)]) -> Vec<(&str, &[u8])> {
    h.iter().map(|(n, v)| (n.as_str(), v.as_slice())).collect()
}

fn parts<'a>(headers: &'a [(&'a str, &'a [u8])]) -> RequestParts<'a> {
    RequestParts {
        method: "POST",
        path: "/CreateChannel",
        query: "",
        headers,
        body: BODY,
    }
}

fn bench(c: &mut Criterion) {
    let unsigned = headers("00");
    let unsigned = borrow(&unsigned);
    let sts = canonicalize(&parts(&unsigned), CanonicalOptions::default())
        .expect("canonicalize")
        .string_to_sign;
    let scope = CredentialScope {
        date: "20150830".into(),
        region: "us-west-2".into(),
        service: "ivs".into(),
    };
    let signed = headers(&signature(&derive_signing_key(SECRET, &scope), &sts));
    let signed = borrow(&signed);
    let req = parts(&signed);
    let now = parse_amz_date("20150830T123700Z").expect("date");

    let verifier = Verifier::new(Duration::from_secs(300));
    verifier
        .verify(&req, &lookup, now)
        .expect("the benchmark request verifies");
    c.bench_function("verify signed POST (cached key)", |b| {
        b.iter(|| verifier.verify(black_box(&req), &lookup, now))
    });
    c.bench_function("verify signed POST (cold key)", |b| {
        b.iter(|| {
            verifier.signing_keys().clear();
            verifier.verify(black_box(&req), &lookup, now)
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
