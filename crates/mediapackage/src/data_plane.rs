//! What both versions' data planes share: an object request names a resource by ARN and a file
//! of it, which the authorize stage locates and the service then serves.

use serde_json::{json, Value};
use service::ObjectRequest;

/// The input of an object request for `file` of the resource `arn`.
pub(crate) fn object_input(arn: &str, file: &str) -> Value {
    json!({"Arn": arn, "File": file})
}

/// The resource ARN and the file an object request names (empty if it names none).
pub(crate) fn object_of(req: &ObjectRequest) -> (&str, &str) {
    let member = |name| {
        req.input
            .get(name)
            .and_then(Value::as_str)
            .unwrap_or_default()
    };
    (member("Arn"), member("File"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_names_what_its_input_was_made_with() {
        let req = ObjectRequest {
            action: "GetObject",
            region: "us-west-2".into(),
            input: object_input(
                "arn:aws:mediapackage:us-west-2:1:origin_endpoints/x",
                "i.m3u8",
            ),
        };
        assert_eq!(
            object_of(&req),
            (
                "arn:aws:mediapackage:us-west-2:1:origin_endpoints/x",
                "i.m3u8"
            )
        );
        let empty = ObjectRequest {
            action: "GetObject",
            region: String::new(),
            input: Value::Null,
        };
        assert_eq!(object_of(&empty), ("", ""));
    }
}
