//! Turning protocol responses into HTTP responses with the headers every answer carries.

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{HeaderName, HeaderValue, CONTENT_TYPE, DATE};
use hyper::{Response, StatusCode};
use std::time::SystemTime;

/// The body type of every response.
pub type Body = Full<Bytes>;

/// Builds a response, adding `Date` (SDKs read clock skew from it) and the request ID
/// under both the restJson and query header names, as AWS does. The fixed names are
/// pre-parsed (HTTP/1 sends header names in lower case either way) and the request ID's value
/// is made once for both headers.
pub fn build(
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    request_id: &str,
) -> Response<Body> {
    let mut r = Response::new(Full::new(Bytes::from(body)));
    let Ok(status) = StatusCode::from_u16(status) else {
        return unbuildable();
    };
    *r.status_mut() = status;
    let map = r.headers_mut();
    // The service's headers and the four added below, without regrowing the map.
    map.reserve(headers.len() + 4);
    for (name, value) in headers {
        let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(&value),
        ) else {
            return unbuildable();
        };
        map.append(name, value);
    }
    let Ok(id) = HeaderValue::from_str(request_id) else {
        return unbuildable();
    };
    const AMZN_REQUEST_ID: HeaderName = HeaderName::from_static("x-amzn-requestid");
    const AMZ_REQUEST_ID: HeaderName = HeaderName::from_static("x-amz-request-id");
    if !map.contains_key(AMZN_REQUEST_ID) {
        map.append(AMZN_REQUEST_ID, id.clone());
    }
    if !map.contains_key(CONTENT_TYPE) {
        map.append(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    }
    map.append(AMZ_REQUEST_ID, id);
    if let Some(date) = date_header(SystemTime::now()) {
        map.append(DATE, date);
    }
    r
}

/// The `Date` header for `now`: made once per second per thread (it names whole seconds),
/// then shared.
fn date_header(now: SystemTime) -> Option<HeaderValue> {
    thread_local! {
        static KEPT: std::cell::RefCell<Option<(u64, HeaderValue)>> = const { std::cell::RefCell::new(None) };
    }
    let second = now
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    KEPT.with(|kept| {
        let mut kept = kept.borrow_mut();
        if let Some((s, v)) = kept.as_ref() {
            if *s == second {
                return Some(v.clone());
            }
        }
        let v = HeaderValue::from_str(&httpdate::fmt_http_date(now)).ok()?;
        *kept = Some((second, v.clone()));
        Some(v)
    })
}

/// The answer when a response cannot be built (a header the protocol layer produced is not
/// valid HTTP).
fn unbuildable() -> Response<Body> {
    let mut r = Response::new(Full::new(Bytes::from_static(
        b"{\"message\":\"mediamock could not build this response\"}",
    )));
    *r.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
    r
}

/// A JSON response (admin endpoints).
pub fn json(status: u16, value: &serde_json::Value, request_id: &str) -> Response<Body> {
    build(
        status,
        vec![("content-type".into(), "application/json".into())],
        serde_json::to_vec(value).unwrap_or_default(),
        request_id,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn the_date_header_is_the_seconds_http_date_kept_or_not() {
        let base = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        for t in [
            base,
            base + Duration::from_millis(999),
            base + Duration::from_secs(1),
            base,
            base + Duration::from_secs(86_400),
        ] {
            let expected = httpdate::fmt_http_date(t);
            assert_eq!(date_header(t).unwrap().to_str().unwrap(), expected);
        }
        let r = build(200, vec![], b"{}".to_vec(), "rid");
        let date = r.headers().get(DATE).unwrap().to_str().unwrap();
        assert!(httpdate::parse_http_date(date).is_ok(), "{date}");
        assert_eq!(r.headers().get("x-amzn-requestid").unwrap(), "rid");
    }
}
