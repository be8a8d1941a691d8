//! Turning protocol responses into HTTP responses with the headers every answer carries.

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{HeaderName, HeaderValue, CONTENT_TYPE, DATE};
use hyper::{Response, StatusCode};
use protocol::HeaderText;
use std::time::SystemTime;

/// The body type of every response.
pub type Body = Full<Bytes>;

/// Builds a response, adding `Date` (SDKs read clock skew from it) and the request ID
/// under both the restJson and query header names, as AWS does. The fixed names are
/// pre-parsed (HTTP/1 sends header names in lower case either way) and the request ID's value
/// is made once for both headers.
pub fn build(
    status: u16,
    headers: Vec<(HeaderText, HeaderText)>,
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
    let Ok(id) = HeaderValue::from_str(request_id) else {
        return unbuildable();
    };
    // Whether the service's headers name these two, noted while adding them rather than
    // looked up (hashed) afterwards.
    let (mut has_request_id, mut has_content_type) = (false, false);
    for (name, value) in headers {
        let Some((name, value)) = header(&name, value, &id) else {
            return unbuildable();
        };
        has_request_id |= name == AMZN_REQUEST_ID;
        has_content_type |= name == CONTENT_TYPE;
        map.append(name, value);
    }
    if !has_request_id {
        map.append(AMZN_REQUEST_ID, id.clone());
    }
    if !has_content_type {
        map.append(CONTENT_TYPE, HeaderValue::from_static(JSON));
    }
    map.append(AMZ_REQUEST_ID, id);
    if let Some(date) = date_header(SystemTime::now()) {
        map.append(DATE, date);
    }
    r
}

const AMZN_REQUEST_ID: HeaderName = HeaderName::from_static("x-amzn-requestid");
const AMZ_REQUEST_ID: HeaderName = HeaderName::from_static("x-amz-request-id");
const JSON: &str = "application/json";

/// One of the service's headers as HTTP, or `None` when it is not valid HTTP. The two every
/// JSON answer carries (its content type, and its request ID, whose value `id` already holds)
/// take their pre-parsed name and their value without parsing or copying either again
/// (names compared exactly: `eq_ignore_ascii_case` goes byte by byte, costing more than the
/// parse it would save). A request ID the service made its own copy of becomes the header's
/// bytes as it is (a clone of `id` would allocate to share it).
fn header(name: &str, value: HeaderText, id: &HeaderValue) -> Option<(HeaderName, HeaderValue)> {
    // The spellings the protocol layer and the admin endpoints use; any other spelling is
    // parsed below, to the same name.
    match name {
        "Content-Type" | "content-type" if value == JSON => {
            return Some((CONTENT_TYPE, HeaderValue::from_static(JSON)));
        }
        "x-amzn-RequestId" | "x-amzn-requestid" if value.as_bytes() == id.as_bytes() => {
            let value = match value {
                HeaderText::Owned(own) => HeaderValue::from_maybe_shared(Bytes::from(own)).ok()?,
                HeaderText::Borrowed(_) => id.clone(),
            };
            return Some((AMZN_REQUEST_ID, value));
        }
        _ => {}
    }
    let name = HeaderName::from_bytes(name.as_bytes()).ok()?;
    let value = HeaderValue::from_str(&value).ok()?;
    Some((name, value))
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

    #[test]
    fn service_headers_come_out_as_parsed_whatever_way_they_are_taken() {
        let given = [
            ("Content-Type", "application/json"),
            ("content-type", "application/x-amz-json-1.1"),
            ("x-amzn-RequestId", "rid"),
            ("X-Amzn-RequestId", "other"),
            ("x-amzn-ErrorType", "AccessDeniedException"),
        ];
        for (name, value) in given {
            let r = build(
                200,
                vec![(name.into(), value.into())],
                b"{}".to_vec(),
                "rid",
            );
            let values: Vec<_> = r.headers().get_all(name).iter().collect();
            let expected = HeaderValue::from_str(value).unwrap();
            assert_eq!(values[0], &expected, "{name}");
            // The request ID and content type are added only when the service gave none.
            assert_eq!(r.headers().get_all("x-amzn-requestid").iter().count(), 1);
            assert_eq!(r.headers().get_all(CONTENT_TYPE).iter().count(), 1);
            assert_eq!(r.headers().get("x-amz-request-id").unwrap(), "rid");
        }
        // The request ID as the protocol layer gives it, a copy of its own: taken as it is.
        let own = build(
            200,
            vec![("x-amzn-RequestId".into(), String::from("rid").into())],
            vec![],
            "rid",
        );
        let ids: Vec<_> = own.headers().get_all("x-amzn-requestid").iter().collect();
        assert_eq!(ids, [&HeaderValue::from_static("rid")]);
        assert_eq!(own.headers().get("x-amz-request-id").unwrap(), "rid");
        let bad = build(200, vec![("bad name".into(), "v".into())], vec![], "rid");
        assert_eq!(bad.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let bad = build(200, vec![("x-a".into(), "v\n".into())], vec![], "rid");
        assert_eq!(bad.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }
}
