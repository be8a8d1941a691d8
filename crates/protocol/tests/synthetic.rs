//! Protocol features the seven embedded models do not use (greedy labels, header maps,
//! jsonvalue headers, payloads, status-code members, query maps and flattened lists), checked
//! against small hand-written models.

use protocol::{HttpRequest, Model};
use serde_json::{json, Value};

fn rest_model() -> Model {
    let model = json!({
        "metadata": {"protocol": "rest-json", "apiVersion": "2024-01-01", "signingName": "demo", "endpointPrefix": "demo"},
        "operations": {
            "PutObject": {"name": "PutObject", "http": {"method": "PUT", "requestUri": "/buckets/{Bucket}/objects/{Key+}?tagging", "responseCode": 200},
                          "input": {"shape": "PutObjectRequest"}, "output": {"shape": "PutObjectResponse"}},
            "GetObject": {"name": "GetObject", "http": {"method": "PUT", "requestUri": "/buckets/{Bucket}/objects/{Key+}", "responseCode": 200},
                          "input": {"shape": "GetObjectRequest"}, "output": {"shape": "GetObjectResponse"}}
        },
        "shapes": {
            "PutObjectRequest": {"type": "structure", "required": ["Bucket", "Key"], "payload": "Body", "members": {
                "Bucket": {"shape": "Name", "location": "uri", "locationName": "Bucket"},
                "Key": {"shape": "String", "location": "uri", "locationName": "Key"},
                "Meta": {"shape": "StringMap", "location": "headers", "locationName": "x-meta-"},
                "Doc": {"shape": "String", "location": "header", "locationName": "x-doc", "jsonvalue": true},
                "When": {"shape": "Time", "location": "header", "locationName": "x-when"},
                "Since": {"shape": "Time", "location": "querystring", "locationName": "since"},
                "Ids": {"shape": "IntList", "location": "querystring", "locationName": "id"},
                "Flag": {"shape": "Bool", "location": "header", "locationName": "x-flag"},
                "Body": {"shape": "Bytes"}
            }},
            "PutObjectResponse": {"type": "structure", "members": {
                "Code": {"shape": "Int", "location": "statusCode"},
                "ETag": {"shape": "String", "location": "header", "locationName": "ETag"},
                "Modified": {"shape": "Time", "location": "header", "locationName": "Last-Modified"},
                "Extra": {"shape": "StringMap", "location": "headers", "locationName": "x-extra-"},
                "Items": {"shape": "IntList", "locationName": "items"}
            }},
            "GetObjectRequest": {"type": "structure", "required": ["Bucket", "Key"], "members": {
                "Bucket": {"shape": "Name", "location": "uri", "locationName": "Bucket"},
                "Key": {"shape": "String", "location": "uri", "locationName": "Key"},
                "Params": {"shape": "StringMap", "location": "querystring"}
            }},
            "GetObjectResponse": {"type": "structure", "payload": "Body", "members": {"Body": {"shape": "Bytes"}}},
            "Name": {"type": "string", "min": 3},
            "String": {"type": "string"},
            "Bytes": {"type": "blob"},
            "Time": {"type": "timestamp"},
            "Int": {"type": "integer"},
            "Bool": {"type": "boolean"},
            "IntList": {"type": "list", "member": {"shape": "Int"}},
            "StringMap": {"type": "map", "key": {"shape": "String"}, "value": {"shape": "String"}}
        }
    });
    Model::from_botocore(model.to_string().as_bytes(), None).unwrap()
}

#[test]
fn rest_json_bindings_round_trip() {
    let m = rest_model();
    let headers: &[(&str, &[u8])] = &[
        ("X-Meta-Color", b"blue"),
        ("x-doc", b"eyJhIjpbMSwyXX0="),
        ("x-when", b"Tue, 14 Nov 2023 22:13:20 GMT"),
        ("x-flag", b"true"),
    ];
    let req = HttpRequest {
        method: "PUT",
        path: "/buckets/my-bucket/objects/a/b%20c/d.txt",
        query: "tagging&since=2023-11-14T22%3A13%3A20Z&id=1&id=2",
        headers,
        body: b"raw bytes",
    };
    let (op, input) = m.parse_request(&req).unwrap();
    assert_eq!(op.name, "PutObject");
    assert_eq!(
        input,
        json!({"Body": "cmF3IGJ5dGVz", "Bucket": "my-bucket", "Key": "a/b c/d.txt", "Meta": {"color": "blue"},
               "Doc": {"a": [1, 2]}, "When": 1700000000.0, "Since": 1700000000.0, "Ids": [1, 2], "Flag": true})
    );

    // Without `?tagging` the other operation matches; a map takes unbound parameters.
    let req = HttpRequest {
        query: "x=1&y=2",
        headers: &[],
        body: b"",
        ..req
    };
    let (op, input) = m.parse_request(&req).unwrap();
    assert_eq!(op.name, "GetObject");
    assert_eq!(input["Params"], json!({"x": "1", "y": "2"}));

    let bad = HttpRequest {
        path: "/buckets/ab/objects/k",
        ..req
    };
    let err = m.parse_request(&bad).unwrap_err();
    assert_eq!(
        err.message,
        "1 validation error detected: Value 'ab' at 'bucket' failed to satisfy constraint: Member must have length greater than or equal to 3"
    );
}

#[test]
fn rest_json_output_bindings() {
    let m = rest_model();
    let op = m.operation("PutObject").unwrap();
    let out = json!({"Code": 206, "ETag": "\"abc\"", "Modified": 1700000000, "Extra": {"k": "v"}, "Items": [1]});
    let r = m.serialize_output(op, &out, "rid");
    assert_eq!(r.status, 206);
    assert_eq!(r.header("ETag"), Some("\"abc\""));
    assert_eq!(
        r.header("Last-Modified"),
        Some("Tue, 14 Nov 2023 22:13:20 GMT")
    );
    assert_eq!(r.header("x-extra-k"), Some("v"));
    assert_eq!(
        serde_json::from_slice::<Value>(&r.body).unwrap(),
        json!({"items": [1]})
    );
    let op = m.operation("GetObject").unwrap();
    let r = m.serialize_output(op, &json!({"Body": "cmF3"}), "rid");
    assert_eq!(r.body, b"raw");
}

fn query_model() -> Model {
    let model = json!({
        "metadata": {"protocol": "query", "apiVersion": "2024-01-01", "endpointPrefix": "demoq", "xmlNamespace": "https://demo/"},
        "operations": {
            "Configure": {"name": "Configure", "http": {"method": "POST", "requestUri": "/"},
                          "input": {"shape": "ConfigureInput"}, "output": {"shape": "ConfigureOutput", "resultWrapper": "ConfigureResult"}}
        },
        "shapes": {
            "ConfigureInput": {"type": "structure", "required": ["Attributes"], "members": {
                "Attributes": {"shape": "Attrs"},
                "Names": {"shape": "Names", "flattened": true},
                "Settings": {"shape": "Settings"}
            }},
            "ConfigureOutput": {"type": "structure", "members": {
                "Attributes": {"shape": "Attrs"},
                "Names": {"shape": "Names", "flattened": true},
                "Settings": {"shape": "Settings"}
            }},
            "Settings": {"type": "structure", "members": {"Depth": {"shape": "Int"}, "Enabled": {"shape": "Bool"}}},
            "Attrs": {"type": "map", "key": {"shape": "Str"}, "value": {"shape": "Str"}},
            "Names": {"type": "list", "member": {"shape": "Str", "locationName": "Name"}},
            "Str": {"type": "string"},
            "Int": {"type": "integer", "max": 5},
            "Bool": {"type": "boolean"}
        }
    });
    Model::from_botocore(model.to_string().as_bytes(), None).unwrap()
}

#[test]
fn query_maps_flattened_lists_and_nesting() {
    let m = query_model();
    let form: &[(&str, &[u8])] = &[("content-type", b"application/x-www-form-urlencoded")];
    let body = b"Action=Configure&Version=2024-01-01&Attributes.entry.1.key=a&Attributes.entry.1.value=1&Attributes.entry.2.key=b&Attributes.entry.2.value=2&Names.1=x&Names.2=y&Settings.Depth=3&Settings.Enabled=false";
    let req = HttpRequest {
        method: "POST",
        path: "/",
        query: "",
        headers: form,
        body,
    };
    let (op, input) = m.parse_request(&req).unwrap();
    assert_eq!(op.name, "Configure");
    assert_eq!(
        input,
        json!({"Attributes": {"a": "1", "b": "2"}, "Names": ["x", "y"], "Settings": {"Depth": 3, "Enabled": false}})
    );

    let r = m.serialize_output(op, &input, "rid");
    assert_eq!(
        String::from_utf8(r.body).unwrap(),
        "<ConfigureResponse xmlns=\"https://demo/\"><ConfigureResult><Attributes><entry><key>a</key><value>1</value></entry><entry><key>b</key><value>2</value></entry></Attributes><Names>x</Names><Names>y</Names><Settings><Depth>3</Depth><Enabled>false</Enabled></Settings></ConfigureResult><ResponseMetadata><RequestId>rid</RequestId></ResponseMetadata></ConfigureResponse>"
    );

    let body = b"Action=Configure&Settings.Depth=9";
    let err = m.parse_request(&HttpRequest { body, ..req }).unwrap_err();
    assert_eq!(
        err.message,
        "2 validation errors detected: Value null at 'attributes' failed to satisfy constraint: Member must not be null; Value '9' at 'settings.depth' failed to satisfy constraint: Member must have value less than or equal to 5"
    );
    let body = b"Action=Configure&Attributes.entry.1.key=a&Settings.Depth=deep";
    let err = m.parse_request(&HttpRequest { body, ..req }).unwrap_err();
    assert_eq!(err.code, "ValidationError");
}
