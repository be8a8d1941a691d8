//! Fuzz target: a request signed by the official `aws-sigv4` signer always verifies, and any
//! single-byte change to what the signature covers (method, path, query, a signed header, the
//! body, the date, the signature itself) never does. Cases: `PROPTEST_CASES` (`make fuzz`).

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use proptest::prelude::*;
use sigv4::{Credential, RequestParts, Verifier};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const KEY: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

fn lookup(id: &str) -> Option<Credential> {
    (id == KEY).then(|| Credential {
        secret_access_key: SECRET.into(),
        session_token: None,
        expires_at: None,
    })
}

/// A request as the wire carries it.
#[derive(Debug, Clone)]
struct Wire {
    method: String,
    path: String,
    query: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Wire {
    fn verifies(&self, now: SystemTime) -> bool {
        let headers: Vec<(&str, &[u8])> = self
            .headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_bytes()))
            .collect();
        let req = RequestParts {
            method: &self.method,
            path: &self.path,
            query: &self.query,
            headers: &headers,
            body: &self.body,
        };
        Verifier::new(Duration::from_secs(300))
            .verify(&req, &lookup, now)
            .is_ok()
    }
}

/// Signs `unsigned` with `aws-sigv4` at `now` and adds the signature's headers.
fn signed(mut wire: Wire, now: SystemTime) -> Wire {
    let identity = Credentials::new(KEY, SECRET, None, None, "fuzz").into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region("us-east-1")
        .name("ivs")
        .time(now)
        .settings(SigningSettings::default())
        .build()
        .expect("signing params")
        .into();
    let url = if wire.query.is_empty() {
        format!("https://example.com{}", wire.path)
    } else {
        format!("https://example.com{}?{}", wire.path, wire.query)
    };
    let signable = SignableRequest::new(
        &wire.method,
        &url,
        wire.headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        SignableBody::Bytes(&wire.body),
    )
    .expect("signable");
    let (instructions, _) = sign(signable, &params).expect("sign").into_parts();
    let (headers, _) = instructions.into_parts();
    for h in headers {
        wire.headers
            .push((h.name().to_string(), h.value().to_string()));
    }
    wire
}

fn unsigned() -> impl Strategy<Value = Wire> {
    (
        prop_oneof![Just("GET"), Just("POST"), Just("PUT"), Just("DELETE")],
        proptest::collection::vec("[A-Za-z0-9]{1,8}", 0..5),
        proptest::collection::vec(("[A-Za-z0-9]{1,6}", "[A-Za-z0-9]{0,8}"), 0..4),
        proptest::collection::vec(("[a-z]{1,6}", "[A-Za-z0-9]{1,12}"), 0..4),
        proptest::collection::vec(any::<u8>(), 0..64),
    )
        .prop_map(|(method, segments, query, extra, body)| {
            let mut headers = vec![("host".to_string(), "example.com".to_string())];
            for (i, (name, value)) in extra.into_iter().enumerate() {
                headers.push((format!("x-f{i}-{name}"), value));
            }
            let query = query
                .iter()
                .enumerate()
                .map(|(i, (k, v))| format!("q{i}{k}={v}"))
                .collect::<Vec<_>>()
                .join("&");
            Wire {
                method: method.to_string(),
                path: format!("/{}", segments.join("/")),
                query,
                headers,
                body,
            }
        })
}

/// Another character of the same class: the byte changes and stays valid where it sits.
fn bump(b: u8) -> u8 {
    match b {
        b'0'..=b'9' => b'0' + (b - b'0' + 1) % 10,
        b'a'..=b'z' => b'a' + (b - b'a' + 1) % 26,
        b'A'..=b'Z' => b'A' + (b - b'A' + 1) % 26,
        other => other ^ 0x01,
    }
}

/// Changes one alphanumeric byte of `s`, picked by `at`; false when `s` has none.
fn bump_in(s: &mut String, at: usize) -> bool {
    let spots: Vec<usize> = s
        .bytes()
        .enumerate()
        .filter(|(_, b)| b.is_ascii_alphanumeric())
        .map(|(i, _)| i)
        .collect();
    if spots.is_empty() {
        return false;
    }
    let mut bytes = std::mem::take(s).into_bytes();
    let i = spots[at % spots.len()];
    bytes[i] = bump(bytes[i]);
    *s = String::from_utf8(bytes).expect("ascii stays utf-8");
    true
}

/// One single-byte change to something the signature covers; false when the part is empty.
fn tamper(wire: &mut Wire, part: u8, at: usize) -> bool {
    let header = |w: &mut Wire, name: &str| {
        w.headers
            .iter()
            .position(|(k, _)| k.eq_ignore_ascii_case(name))
    };
    match part {
        0 => bump_in(&mut wire.method, at),
        1 => bump_in(&mut wire.path, at),
        2 => bump_in(&mut wire.query, at),
        3 => {
            // A signed header other than the signature's own.
            let signed: Vec<usize> = (0..wire.headers.len())
                .filter(|i| {
                    let k = &wire.headers[*i].0;
                    !k.eq_ignore_ascii_case("authorization")
                        && !k.eq_ignore_ascii_case("x-amz-date")
                })
                .collect();
            let i = signed[at % signed.len()];
            bump_in(&mut wire.headers[i].1, at / signed.len())
        }
        4 => {
            if wire.body.is_empty() {
                return false;
            }
            let i = at % wire.body.len();
            wire.body[i] ^= 1 << (at % 8);
            true
        }
        5 => {
            let i = header(wire, "x-amz-date").expect("signed with x-amz-date");
            bump_in(&mut wire.headers[i].1, at)
        }
        _ => {
            let i = header(wire, "authorization").expect("signed in a header");
            let value = &wire.headers[i].1;
            let start = value.rfind("Signature=").expect("a signature") + "Signature=".len();
            let mut sig = value[start..].to_string();
            bump_in(&mut sig, at);
            wire.headers[i].1 = format!("{}{sig}", &value[..start]);
            true
        }
    }
}

proptest! {
    // A tamper with nothing to change is rejected (`prop_assume!`), about one case in
    // sixteen: allow as many rejects as cases, or `make fuzz`'s 50,000 cases stop at
    // proptest's default of 1,024 rejects.
    #![proptest_config(ProptestConfig {
        max_global_rejects: ProptestConfig::default().cases.max(1024),
        ..ProptestConfig::default()
    })]

    #[test]
    fn fuzz_signed_by_aws_sigv4_always_verifies(
        wire in unsigned(),
        secs in 1_000_000_000u64..4_000_000_000,
    ) {
        let now = UNIX_EPOCH + Duration::from_secs(secs);
        let wire = signed(wire, now);
        prop_assert!(wire.verifies(now), "{wire:?}");
    }

    #[test]
    fn fuzz_any_single_byte_change_never_verifies(
        wire in unsigned(),
        secs in 1_000_000_000u64..4_000_000_000,
        part in 0u8..7,
        at in any::<usize>(),
    ) {
        let now = UNIX_EPOCH + Duration::from_secs(secs);
        let mut wire = signed(wire, now);
        prop_assume!(tamper(&mut wire, part, at));
        prop_assert!(!wire.verifies(now), "part {part}: {wire:?}");
    }
}
