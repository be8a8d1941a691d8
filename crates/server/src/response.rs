//! Turning protocol responses into HTTP responses with the headers every answer carries.

use bytes::Bytes;
use http_body_util::Full;
use hyper::Response;

/// The body type of every response.
pub type Body = Full<Bytes>;

/// Builds a response, adding `Date` (SDKs read clock skew from it) and the request ID
/// under both the restJson and query header names, as AWS does.
pub fn build(
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    request_id: &str,
) -> Response<Body> {
    let mut builder = Response::builder().status(status);
    let mut has_request_id = false;
    let mut has_type = false;
    for (name, value) in &headers {
        has_request_id |= name.eq_ignore_ascii_case("x-amzn-requestid");
        has_type |= name.eq_ignore_ascii_case("content-type");
        builder = builder.header(name.as_str(), value.as_str());
    }
    if !has_request_id {
        builder = builder.header("x-amzn-RequestId", request_id);
    }
    if !has_type {
        builder = builder.header("content-type", "application/json");
    }
    builder = builder.header("x-amz-request-id", request_id).header(
        "date",
        httpdate::fmt_http_date(std::time::SystemTime::now()),
    );
    builder
        .body(Full::new(Bytes::from(body)))
        .unwrap_or_else(|_| {
            let mut r = Response::new(Full::new(Bytes::from_static(
                b"{\"message\":\"mediamock could not build this response\"}",
            )));
            *r.status_mut() = hyper::StatusCode::INTERNAL_SERVER_ERROR;
            r
        })
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
