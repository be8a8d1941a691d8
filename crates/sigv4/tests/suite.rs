//! Every case of AWS's SigV4 test suite (tests/fixtures/sigv4-test-suite/v4), in header and
//! presigned-query form: the canonical request and string to sign match the suite's files, and the
//! verifier accepts the signed request at the case's timestamp.
//!
//! Cases that cannot apply to non-S3 verification, and why:
//! - `normalize: false` cases: non-S3 services always normalize the path, so the verifier's
//!   canonical request differs from the suite's wherever normalization changes the path; there we
//!   check the canonical request with normalization off, and that the verifier refuses the
//!   signature (`SignatureMismatch`). Where normalization changes nothing it must accept.
//! - `omit_session_token: true` (post-sts-header-after), query form: the client adds the token
//!   after signing, which services that sign every query parameter (all of ours) refuse; we check
//!   that our canonical query includes the token and that verification fails with
//!   `SignatureMismatch`. The header form applies (an unsigned token header is still checked).
//! - `double-url-encode` and `double-encode-path` are older-format cases without `context.json`:
//!   the first is verified with the suite's usual key at its own timestamp; the second's canonical
//!   request was produced at a different time than its request, so only its canonical URI applies.

use sigv4::{canonicalize, CanonicalOptions, Credential, RequestParts, SigV4Error, Verifier};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

fn suite_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/sigv4-test-suite/v4")
}

/// A request read from the suite's HTTP/1.1 text form.
struct Http {
    method: String,
    path: String,
    query: String,
    headers: Vec<(String, Vec<u8>)>,
    body: Vec<u8>,
}

impl Http {
    fn read(file: &Path) -> Http {
        let bytes = std::fs::read(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let text = String::from_utf8(bytes).expect("suite files are UTF-8");
        let mut lines = text.split('\n');
        let request_line = lines.next().expect("request line");
        let (method, rest) = request_line.split_once(' ').expect("method");
        // The older-format cases sometimes omit the HTTP version.
        let target = rest.rfind(" HTTP/").map_or(rest, |end| &rest[..end]);
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let mut headers: Vec<(String, Vec<u8>)> = Vec::new();
        let mut body_lines = Vec::new();
        let mut in_body = false;
        for line in lines {
            let line = line.strip_suffix('\r').unwrap_or(line);
            if in_body {
                body_lines.push(line);
            } else if line.is_empty() {
                in_body = true;
            } else if line.starts_with([' ', '\t']) {
                // Obsolete line folding: the continuation belongs to the previous header.
                let last = headers.last_mut().expect("folded line follows a header");
                last.1.push(b'\n');
                last.1.extend_from_slice(line.as_bytes());
            } else {
                let (name, value) = line.split_once(':').expect("header line");
                headers.push((name.to_string(), value.as_bytes().to_vec()));
            }
        }
        Http {
            method: method.to_string(),
            path: path.to_string(),
            query: query.to_string(),
            headers,
            body: body_lines.join("\n").into_bytes(),
        }
    }

    fn with_parts<T>(&self, f: impl FnOnce(&RequestParts) -> T) -> T {
        let headers: Vec<(&str, &[u8])> = self
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_slice()))
            .collect();
        let parts = RequestParts {
            method: &self.method,
            path: &self.path,
            query: &self.query,
            headers: &headers,
            body: &self.body,
        };
        f(&parts)
    }
}

fn read_text(file: &Path) -> String {
    std::fs::read_to_string(file)
        .unwrap_or_else(|e| panic!("{}: {e}", file.display()))
        .trim_end_matches('\n')
        .to_string()
}

fn timestamp(iso_extended: &str) -> SystemTime {
    let basic: String = iso_extended
        .chars()
        .filter(|c| *c != '-' && *c != ':')
        .collect();
    sigv4::parse_amz_date(&basic).expect("suite timestamp")
}

struct Context {
    key_id: String,
    secret: String,
    token: Option<String>,
    normalize: bool,
    omit_session_token: bool,
    now: SystemTime,
}

fn context(dir: &Path) -> Context {
    let json: serde_json::Value =
        serde_json::from_str(&read_text(&dir.join("context.json"))).expect("context.json");
    let creds = &json["credentials"];
    Context {
        key_id: creds["access_key_id"].as_str().expect("key").to_string(),
        secret: creds["secret_access_key"]
            .as_str()
            .expect("secret")
            .to_string(),
        token: creds["token"].as_str().map(str::to_string),
        normalize: json["normalize"].as_bool().unwrap_or(true),
        omit_session_token: json["omit_session_token"].as_bool().unwrap_or(false),
        now: timestamp(json["timestamp"].as_str().expect("timestamp")),
    }
}

fn check_case(dir: &Path, form: &str) -> Result<(), String> {
    let name = format!(
        "{} ({form})",
        dir.file_name().unwrap_or_default().to_string_lossy()
    );
    let ctx = context(dir);
    let request = Http::read(&dir.join(format!("{form}-signed-request.txt")));
    let expected_canonical = read_text(&dir.join(format!("{form}-canonical-request.txt")));
    let expected_sts = read_text(&dir.join(format!("{form}-string-to-sign.txt")));
    let options = CanonicalOptions {
        normalize_path: ctx.normalize,
        ..CanonicalOptions::default()
    };
    let ours = request
        .with_parts(|p| canonicalize(p, options))
        .map_err(|e| format!("{name}: canonicalize failed: {e}"))?;
    let normalized = request
        .with_parts(|p| canonicalize(p, CanonicalOptions::default()))
        .map_err(|e| format!("{name}: canonicalize failed: {e}"))?;
    let token_added_after_signing = ctx.omit_session_token && form == "query";
    if token_added_after_signing {
        if ours.canonical_request == expected_canonical {
            return Err(format!(
                "{name}: expected the late token in our canonical query"
            ));
        }
    } else {
        if ours.canonical_request != expected_canonical {
            return Err(format!(
                "{name}: canonical request\n--- ours\n{}\n--- suite\n{expected_canonical}",
                ours.canonical_request
            ));
        }
        if ours.string_to_sign != expected_sts {
            return Err(format!(
                "{name}: string to sign\n--- ours\n{}\n--- suite\n{expected_sts}",
                ours.string_to_sign
            ));
        }
    }
    let lookup = |id: &str| {
        (id == ctx.key_id).then(|| Credential {
            secret_access_key: ctx.secret.clone(),
            session_token: ctx.token.clone(),
            expires_at: None,
        })
    };
    let verifier = Verifier::default();
    let result = request.with_parts(|p| verifier.verify(p, &lookup, ctx.now));
    let should_pass = !token_added_after_signing && normalized == ours;
    match (should_pass, result) {
        (true, Ok(v)) => {
            if v.access_key_id != ctx.key_id || v.presigned != (form == "query") {
                return Err(format!("{name}: wrong result {v:?}"));
            }
            if v.request_time != ctx.now || v.scope.region != "us-east-1" {
                return Err(format!("{name}: wrong time or scope {v:?}"));
            }
            Ok(())
        }
        (false, Err(SigV4Error::SignatureMismatch(_))) => Ok(()),
        (expected, got) => Err(format!("{name}: expected pass={expected}, got {got:?}")),
    }
}

#[test]
fn every_suite_case_verifies_in_header_and_query_form() {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(suite_dir())
        .expect("suite directory")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.join("context.json").exists())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 38, "found only {} cases", dirs.len());
    let failures: Vec<String> = dirs
        .iter()
        .flat_map(|d| [check_case(d, "header"), check_case(d, "query")])
        .filter_map(Result::err)
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn double_url_encode_case_verifies() {
    let dir = suite_dir().join("double-url-encode");
    let request = Http::read(&dir.join("header-signed-request.txt"));
    let ours = request
        .with_parts(|p| canonicalize(p, CanonicalOptions::default()))
        .expect("canonicalize");
    assert_eq!(
        ours.canonical_request,
        read_text(&dir.join("header-canonical-request.txt"))
    );
    assert_eq!(
        ours.string_to_sign,
        read_text(&dir.join("header-string-to-sign.txt"))
    );
    let lookup = |id: &str| {
        (id == "AKIDEXAMPLE").then(|| Credential {
            secret_access_key: SECRET.into(),
            session_token: None,
            expires_at: None,
        })
    };
    let now = sigv4::parse_amz_date("20210511T154045Z").expect("date");
    let verified = request
        .with_parts(|p| Verifier::default().verify(p, &lookup, now))
        .expect("verifies");
    assert_eq!(verified.scope.service, "lambda");
}

#[test]
fn double_encode_path_case_canonical_uri() {
    let dir = suite_dir().join("double-encode-path");
    let request = Http::read(&dir.join("request.txt"));
    let expected = read_text(&dir.join("header-canonical-request.txt"));
    let expected_uri = expected.lines().nth(1).expect("uri line");
    assert_eq!(sigv4::canonical_uri(&request.path, true), expected_uri);
}
