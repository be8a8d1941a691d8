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
    if let Ok(date) = HeaderValue::from_str(&httpdate::fmt_http_date(SystemTime::now())) {
        map.append(DATE, date);
    }
    r
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
