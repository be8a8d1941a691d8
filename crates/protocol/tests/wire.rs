//! Round trips of each protocol feature against the real models.

use protocol::{HttpRequest, HttpResponse, Model, Registry};
use serde_json::{json, Value};
use service::ServiceError;
use std::sync::OnceLock;

fn registry() -> &'static Registry {
    static R: OnceLock<Registry> = OnceLock::new();
    R.get_or_init(Registry::embedded)
}

fn model(name: &str) -> &'static Model {
    registry().model(name).unwrap()
}

fn parse(
    model: &Model,
    method: &str,
    path: &str,
    query: &str,
    headers: &[(&str, &[u8])],
    body: &[u8],
) -> Result<(String, Value), ServiceError> {
    let req = HttpRequest {
        method,
        path,
        query,
        headers,
        body,
    };
    model
        .parse_request(&req)
        .map(|(op, v)| (op.name.clone(), v))
}

fn json_body(r: &HttpResponse) -> Value {
    serde_json::from_slice(&r.body).unwrap()
}

fn text(r: &HttpResponse) -> String {
    String::from_utf8(r.body.clone()).unwrap()
}

const JSON: &[(&str, &[u8])] = &[("Content-Type", b"application/json")];
const FORM: &[(&str, &[u8])] = &[("Content-Type", b"application/x-www-form-urlencoded")];

#[test]
fn rest_json_body_and_validation_messages() {
    let ivs = model("ivs");
    let (op, input) = parse(
        ivs,
        "POST",
        "/CreateChannel",
        "",
        JSON,
        br#"{"name":"show","type":"BASIC","tags":{"team":"a"},"unknown":1}"#,
    )
    .unwrap();
    assert_eq!(op, "CreateChannel");
    assert_eq!(
        input,
        json!({"name": "show", "type": "BASIC", "tags": {"team": "a"}})
    );

    let err = parse(
        ivs,
        "POST",
        "/CreateChannel",
        "",
        JSON,
        br#"{"name":"bad name","type":"HUGE"}"#,
    )
    .unwrap_err();
    assert_eq!(err.code, "ValidationException");
    assert_eq!(
        err.message,
        "2 validation errors detected: Value 'bad name' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9-_]*; Value 'HUGE' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [BASIC, STANDARD, ADVANCED_SD, ADVANCED_HD]"
    );
    let long = format!(r#"{{"name":"{}"}}"#, "a".repeat(129));
    let err = parse(ivs, "POST", "/CreateChannel", "", JSON, long.as_bytes()).unwrap_err();
    assert!(
        err.message
            .ends_with("Member must have length less than or equal to 128"),
        "{}",
        err.message
    );

    let err = parse(ivs, "POST", "/GetChannel", "", JSON, b"{}").unwrap_err();
    assert_eq!(err.message, "1 validation error detected: Value null at 'arn' failed to satisfy constraint: Member must not be null");
}

#[test]
fn malformed_and_mistyped_bodies_are_client_errors() {
    let ivs = model("ivs");
    let err = parse(ivs, "POST", "/CreateChannel", "", JSON, b"{not json").unwrap_err();
    assert_eq!(
        (err.code.as_str(), err.status),
        ("SerializationException", Some(400))
    );
    let err = parse(
        ivs,
        "POST",
        "/CreateChannel",
        "",
        JSON,
        br#"{"authorized":"yes"}"#,
    )
    .unwrap_err();
    assert_eq!(err.code, "SerializationException");
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let err = parse(ivs, "POST", "/CreateChannel", "", JSON, deep.as_bytes()).unwrap_err();
    assert_eq!(err.code, "SerializationException");
    let err = parse(model("mediaconnect"), "POST", "/v1/flows", "", JSON, b"[1]").unwrap_err();
    assert_eq!(err.code, "BadRequestException");
    let err = parse(
        model("mediapackage"),
        "POST",
        "/channels",
        "",
        JSON,
        b"nope",
    )
    .unwrap_err();
    assert_eq!(err.code, "UnprocessableEntityException");
}

#[test]
fn labels_are_percent_decoded_and_query_params_typed() {
    let mc = model("mediaconnect");
    let arn = "arn:aws:mediaconnect:us-east-1:123456789012:flow:1-abc:Flow1";
    let path = format!("/v1/flows/{}", arn.replace(':', "%3A"));
    let (op, input) = parse(mc, "GET", &path, "", &[], b"").unwrap();
    assert_eq!(op, "DescribeFlow");
    assert_eq!(input, json!({"FlowArn": arn}));

    let (op, input) = parse(
        mc,
        "GET",
        "/v1/flows",
        "maxResults=5&nextToken=abc",
        &[],
        b"",
    )
    .unwrap();
    assert_eq!(op, "ListFlows");
    assert_eq!(input, json!({"MaxResults": 5, "NextToken": "abc"}));
    let err = parse(mc, "GET", "/v1/flows", "maxResults=five", &[], b"").unwrap_err();
    assert_eq!(err.code, "BadRequestException");
    let err = parse(
        model("mediaconvert"),
        "GET",
        "/2017-08-29/jobs",
        "maxResults=21",
        &[],
        b"",
    )
    .unwrap_err();
    // MediaConvert words it as its schema validator does (see `amendments`).
    assert_eq!(
        err.message,
        "/maxResults: Should be less than or equal to 20"
    );
}

#[test]
fn query_lists_are_repeated_parameters() {
    let ivs = model("ivs");
    let arn = "arn%3Aaws%3Aivs%3Aus-east-1%3A123456789012%3Achannel%2Fabc";
    let (op, input) = parse(
        ivs,
        "DELETE",
        &format!("/tags/{arn}"),
        "tagKeys=a&tagKeys=b",
        &[],
        b"",
    )
    .unwrap();
    assert_eq!(op, "UntagResource");
    assert_eq!(input["tagKeys"], json!(["a", "b"]));
    assert_eq!(
        input["resourceArn"],
        json!("arn:aws:ivs:us-east-1:123456789012:channel/abc")
    );
}

#[test]
fn headers_bind_members_and_idempotency_tokens_are_filled() {
    let mp = model("mediapackagev2");
    let headers: &[(&str, &[u8])] = &[
        ("Content-Type", b"application/json"),
        ("X-Amzn-Client-Token", b"tok-1"),
    ];
    let (_, input) = parse(
        mp,
        "POST",
        "/channelGroup",
        "",
        headers,
        br#"{"ChannelGroupName":"g1"}"#,
    )
    .unwrap();
    assert_eq!(input["ClientToken"], json!("tok-1"));
    let (_, input) = parse(
        mp,
        "POST",
        "/channelGroup",
        "",
        JSON,
        br#"{"ChannelGroupName":"g1"}"#,
    )
    .unwrap();
    assert_eq!(input["ClientToken"].as_str().map(str::len), Some(36));
    assert_eq!(
        mp.operation("CreateChannelGroup")
            .unwrap()
            .idempotency_token_members(),
        ["ClientToken"]
    );
}

#[test]
fn timestamps_are_parsed_and_formatted_per_model() {
    let mc = model("mediaconvert");
    let (_, input) = parse(
        mc,
        "POST",
        "/2017-08-29/jobs",
        "",
        JSON,
        br#"{"role":"r","settings":{}}"#,
    )
    .unwrap();
    assert_eq!(input["ClientRequestToken"].as_str().map(str::len), Some(36));
    let op = mc.operation("CreateJob").unwrap();
    let out = json!({"Job": {"Role": "r", "Settings": {}, "CreatedAt": "2023-11-14T22:13:20Z", "Timing": {"StartTime": 1700000000.5}}});
    let r = mc.serialize_output(op, &out, "req-1");
    assert_eq!(r.status, 201);
    let body = json_body(&r);
    assert_eq!(body["job"]["createdAt"], json!(1700000000));
    assert_eq!(body["job"]["timing"]["startTime"], json!(1700000000.5));
    assert_eq!(r.header("x-amzn-RequestId"), Some("req-1"));

    // IVS models StreamStartTime as iso8601.
    let ivs = model("ivs");
    let op = ivs.operation("GetStream").unwrap();
    let r = ivs.serialize_output(op, &json!({"stream": {"startTime": 1700000000}}), "r");
    assert_eq!(
        json_body(&r)["stream"]["startTime"],
        json!("2023-11-14T22:13:20Z")
    );
}

#[test]
fn status_codes_and_empty_outputs() {
    let mc = model("mediaconnect");
    let op = mc.operation("DeleteFlow").unwrap();
    let r = mc.serialize_output(op, &json!({"FlowArn": "a", "Status": "DELETING"}), "r");
    assert_eq!(r.status, 202);
    assert_eq!(json_body(&r), json!({"flowArn": "a", "status": "DELETING"}));
    let ivs = model("ivs");
    let r = ivs.serialize_output(ivs.operation("DeleteChannel").unwrap(), &Value::Null, "r");
    assert_eq!(r.status, 204);
    assert!(r.body.is_empty());
}

#[test]
fn query_protocol_parses_lists_maps_and_nested_members() {
    let iam = model("iam");
    let body = b"Action=CreateUser&Version=2010-05-08&UserName=alice&Path=%2Fteam%2F&Tags.member.1.Key=k1&Tags.member.1.Value=v1&Tags.member.2.Key=k2&Tags.member.2.Value=v2";
    let (op, input) = parse(iam, "POST", "/", "", FORM, body).unwrap();
    assert_eq!(op, "CreateUser");
    assert_eq!(
        input,
        json!({"Path": "/team/", "UserName": "alice", "Tags": [{"Key": "k1", "Value": "v1"}, {"Key": "k2", "Value": "v2"}]})
    );
    let (_, input) = parse(
        iam,
        "GET",
        "/",
        "Action=ListUsers&Version=2010-05-08&MaxItems=10",
        &[],
        b"",
    )
    .unwrap();
    assert_eq!(input, json!({"MaxItems": 10}));
    let (_, input) = parse(
        iam,
        "POST",
        "/",
        "",
        FORM,
        b"Action=CreateUser&UserName=bob&Tags=",
    )
    .unwrap();
    assert_eq!(input["Tags"], json!([]));

    let err = parse(
        iam,
        "POST",
        "/",
        "",
        FORM,
        b"Action=CreateUser&Version=2010-05-08&UserName=bad+name",
    )
    .unwrap_err();
    assert_eq!(
        (err.code.as_str(), err.status),
        ("ValidationError", Some(400))
    );
    // IAM words an invalid name itself (AWS's answers; see `amendments::OWN_PATTERN_MESSAGES`).
    assert_eq!(
        err.message,
        "The specified value for userName is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_-"
    );
    let err = parse(
        iam,
        "POST",
        "/",
        "",
        FORM,
        b"Action=CreateUser&Tags.member.1.Value=v",
    )
    .unwrap_err();
    assert_eq!(
        err.message,
        "2 validation errors detected: Value at 'userName' failed to satisfy constraint: Member must not be null; Value at 'tags.1.member.key' failed to satisfy constraint: Member must not be null"
    );
}

#[test]
fn query_protocol_unknown_actions() {
    let sts = model("sts");
    let err = parse(
        sts,
        "POST",
        "/",
        "",
        FORM,
        b"Action=Nope&Version=2011-06-15",
    )
    .unwrap_err();
    assert_eq!(err.code, "InvalidAction");
    assert_eq!(
        err.message,
        "Could not find operation Nope for version 2011-06-15"
    );
    let err = parse(
        sts,
        "POST",
        "/",
        "",
        FORM,
        b"Action=GetCallerIdentity&Version=2010-05-08",
    )
    .unwrap_err();
    assert_eq!(
        err.message,
        "Could not find operation GetCallerIdentity for version 2010-05-08"
    );
    let r = sts.serialize_error(&err, "rid");
    assert_eq!(r.status, 400);
    assert_eq!(
        text(&r),
        "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>Could not find operation GetCallerIdentity for version 2010-05-08</Message></Error><RequestId>rid</RequestId></ErrorResponse>"
    );
}

#[test]
fn a_query_protocol_answer_is_json_for_a_client_that_asks_for_it() {
    let sts = model("sts");
    let op = sts.operation("GetSessionToken").unwrap();
    let out = json!({"Credentials": {"AccessKeyId": "ASIA", "SecretAccessKey": "s",
        "SessionToken": "t", "Expiration": 1700000000}});
    let headers: &[(&str, &[u8])] = &[("Accept", b"application/json")];
    let req = HttpRequest {
        method: "POST",
        path: "/",
        query: "",
        headers,
        body: b"",
    };
    let r = sts.serialize_rendered_for(&req, op, service::Output::from(out.clone()), "rid");
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(
        serde_json::from_slice::<Value>(&r.body).unwrap(),
        json!({"GetSessionTokenResponse": {
            "GetSessionTokenResult": {"Credentials": {"AccessKeyId": "ASIA",
                "SecretAccessKey": "s", "SessionToken": "t", "Expiration": 1700000000}},
            "ResponseMetadata": {"RequestId": "rid"}}})
    );
    // SDKs (no Accept, or */*) and XML clients get XML.
    for accept in [&b"*/*"[..], b"application/xml, application/json"] {
        let headers: &[(&str, &[u8])] = &[("Accept", accept)];
        let req = HttpRequest { headers, ..req };
        let r = sts.serialize_rendered_for(&req, op, service::Output::from(out.clone()), "rid");
        assert_eq!(r.header("content-type"), Some("text/xml"));
    }
}

#[test]
fn query_protocol_xml_output_lists_maps_and_timestamps() {
    let iam = model("iam");
    let op = iam.operation("ListUsers").unwrap();
    let out = json!({"Users": [{"UserName": "a&b", "Path": "/", "UserId": "AIDA", "Arn": "arn", "CreateDate": 1700000000}], "IsTruncated": false});
    let r = iam.serialize_output(op, &out, "rid");
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("text/xml"));
    assert_eq!(
        text(&r),
        "<ListUsersResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><ListUsersResult><Users><member><Path>/</Path><UserName>a&amp;b</UserName><UserId>AIDA</UserId><Arn>arn</Arn><CreateDate>2023-11-14T22:13:20Z</CreateDate></member></Users><IsTruncated>false</IsTruncated></ListUsersResult><ResponseMetadata><RequestId>rid</RequestId></ResponseMetadata></ListUsersResponse>"
    );
    let op = iam.operation("GetAccountSummary").unwrap();
    let r = iam.serialize_output(op, &json!({"SummaryMap": {"Users": 3}}), "rid");
    assert!(
        text(&r)
            .contains("<SummaryMap><entry><key>Users</key><value>3</value></entry></SummaryMap>"),
        "{}",
        text(&r)
    );
    let op = iam.operation("DeleteUser").unwrap();
    let r = iam.serialize_output(op, &Value::Null, "rid");
    assert_eq!(
        text(&r),
        "<DeleteUserResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><ResponseMetadata><RequestId>rid</RequestId></ResponseMetadata></DeleteUserResponse>"
    );
}

#[test]
fn errors_use_each_services_message_field() {
    let not_found = |code: &str| ServiceError::new(code, "gone");
    let r = model("ivs").serialize_error(&not_found("ResourceNotFoundException"), "rid");
    assert_eq!(
        (r.status, json_body(&r)),
        (404, json!({"exceptionMessage": "gone", "message": "gone"}))
    );
    assert_eq!(
        r.header("x-amzn-ErrorType"),
        Some("ResourceNotFoundException")
    );
    let r = model("mediaconnect").serialize_error(&not_found("NotFoundException"), "rid");
    assert_eq!((r.status, json_body(&r)), (404, json!({"message": "gone"})));
    let r = model("mediapackagev2").serialize_error(
        &not_found("ResourceNotFoundException").with_field("ResourceTypeNotFound", "CHANNEL"),
        "rid",
    );
    assert_eq!(
        (r.status, json_body(&r)),
        (
            404,
            json!({"Message": "gone", "ResourceTypeNotFound": "CHANNEL"})
        )
    );
    let r =
        model("mediapackage").serialize_error(&not_found("UnprocessableEntityException"), "rid");
    assert_eq!(r.status, 422);
    let r = model("ivs").serialize_error(&ServiceError::not_implemented("ivs", "X"), "rid");
    assert_eq!(
        (r.status, json_body(&r)["message"].clone()),
        (501, json!("mediamock does not implement ivs:X yet"))
    );

    let iam = model("iam");
    for code in ["NoSuchEntity", "NoSuchEntityException"] {
        let r = iam.serialize_error(&not_found(code), "rid");
        assert_eq!(r.status, 404);
        assert!(
            text(&r).contains("<Code>NoSuchEntity</Code><Message>gone</Message>"),
            "{}",
            text(&r)
        );
    }
    let r = iam.serialize_error(&ServiceError::internal("boom"), "rid");
    assert_eq!(r.status, 500);
    assert!(text(&r).contains("<Type>Receiver</Type><Code>InternalFailure</Code>"));
}

#[test]
fn mediapackage_v2_validation_exception_type() {
    let mp = model("mediapackagev2");
    let err = parse(mp, "POST", "/channelGroup", "", JSON, b"{}").unwrap_err();
    assert_eq!(err.code, "ValidationException");
    assert_eq!(
        err.fields.get("ValidationExceptionType"),
        Some(&json!("MEMBER_MISSING"))
    );
    let r = mp.serialize_error(&err, "rid");
    assert_eq!(r.status, 400);
    assert_eq!(
        json_body(&r)["ValidationExceptionType"],
        json!("MEMBER_MISSING")
    );
    assert!(json_body(&r)["Message"]
        .as_str()
        .unwrap()
        .contains("'channelGroupName'"));
}

#[test]
fn unknown_rest_routes() {
    let err = parse(model("ivs"), "GET", "/no/such/thing", "", &[], b"").unwrap_err();
    assert_eq!(
        (err.code.as_str(), err.status),
        ("UnknownOperationException", Some(404))
    );
    let r = model("ivs").serialize_error(&err, "rid");
    assert_eq!(r.status, 404);
}

#[test]
fn the_model_says_which_operations_are_served_unsigned() {
    let sts = model("sts");
    let unsigned: Vec<&str> = sts
        .operations()
        .filter(|op| op.allows_unsigned())
        .map(|op| op.name.as_str())
        .collect();
    assert_eq!(
        unsigned,
        ["AssumeRoleWithSAML", "AssumeRoleWithWebIdentity"]
    );
    assert!(!model("ivs").operations().any(|op| op.allows_unsigned()));
}

#[test]
fn no_model_lets_a_signed_body_go_unsigned() {
    // UNSIGNED-PAYLOAD is for operations whose model says so (botocore `v4-unsigned-body`
    // or `unsignedPayload`); none of ours does, so every signature covers its body.
    for m in registry().models() {
        let allowed: Vec<&str> = m
            .operations()
            .filter(|op| op.allows_unsigned_payload())
            .map(|op| op.name.as_str())
            .collect();
        assert!(allowed.is_empty(), "{}: {allowed:?}", m.signing_name());
    }
}

#[test]
fn a_query_protocol_get_takes_its_parameters_from_the_query_string_only() {
    let sts = model("sts");
    // A presigned GetCallerIdentity URL sent with a form body naming another action.
    let (op, _) = parse(
        sts,
        "GET",
        "/",
        "Action=GetCallerIdentity&Version=2011-06-15",
        FORM,
        b"Action=GetSessionToken&Version=2011-06-15",
    )
    .unwrap();
    assert_eq!(op, "GetCallerIdentity");
    let req = HttpRequest {
        method: "GET",
        path: "/",
        query: "",
        headers: FORM,
        body: b"Action=GetSessionToken&Version=2011-06-15",
    };
    assert!(sts.route(&req).is_none(), "a GET's body names no action");
    // A POST still takes its form body, which wins over the query string.
    let (op, _) = parse(
        sts,
        "POST",
        "/",
        "Action=GetCallerIdentity",
        FORM,
        b"Action=GetSessionToken&Version=2011-06-15",
    )
    .unwrap();
    assert_eq!(op, "GetSessionToken");
}

#[test]
fn a_null_inside_a_list_or_map_is_a_serialization_error() {
    let ivs = model("ivs");
    for (path, body, at) in [
        (
            "/BatchGetChannel",
            &br#"{"arns":[null]}"#[..],
            "arns.1.member",
        ),
        (
            "/BatchGetChannel",
            br#"{"arns":["arn:aws:ivs:us-west-2:000000000000:channel/abcdABCDefgh",null]}"#,
            "arns.2.member",
        ),
        (
            "/CreateChannel",
            br#"{"name":"a","tags":{"team":null}}"#,
            "tags.team.value",
        ),
    ] {
        let err = parse(ivs, "POST", path, "", JSON, body).unwrap_err();
        assert_eq!(
            (err.code.as_str(), err.status),
            ("SerializationException", Some(400)),
            "{}",
            err.message
        );
        assert!(err.message.contains(&format!("'{at}'")), "{}", err.message);
    }
    // A null member of a structure is still simply absent.
    let (_, input) = parse(ivs, "POST", "/CreateChannel", "", JSON, br#"{"name":null}"#).unwrap();
    assert_eq!(input.get("name"), None);
}

#[test]
fn an_unreadable_or_out_of_range_timestamp_is_refused_not_rewritten() {
    let ivs = model("ivs");
    let arn = "arn:aws:ivs:us-west-2:000000000000:channel/abcdABCDefgh";
    for at in [
        "1e12",
        "253402300800",
        "-1e300",
        r#""10000-01-01T00:00:00Z""#,
        r#""not a time""#,
    ] {
        let body = format!(r#"{{"channelArn":"{arn}","durationSeconds":30,"targetStartAt":{at}}}"#);
        let err = parse(ivs, "POST", "/InsertAdBreak", "", JSON, body.as_bytes()).unwrap_err();
        assert_eq!(
            (err.code.as_str(), err.status),
            ("SerializationException", Some(400)),
            "{at}: {}",
            err.message
        );
        assert!(err.message.contains("'targetStartAt'"), "{}", err.message);
    }
    let body = format!(
        r#"{{"channelArn":"{arn}","durationSeconds":30,"targetStartAt":"9999-12-31T23:59:59.999999999Z"}}"#
    );
    let (_, input) = parse(ivs, "POST", "/InsertAdBreak", "", JSON, body.as_bytes()).unwrap();
    assert_eq!(input["targetStartAt"], json!(253_402_300_799.999));
}

#[test]
fn which_unsigned_requests_may_be_worth_reading_the_body_of() {
    let r = registry();
    let req = |method, path, query| HttpRequest {
        method,
        path,
        query,
        headers: &[],
        body: b"",
    };
    // STS names its unsigned actions in a POST body, or in a GET's query string.
    assert!(r.may_serve_unsigned(&req("POST", "/", "")));
    assert!(r.may_serve_unsigned(&req(
        "GET",
        "/",
        "Action=AssumeRoleWithWebIdentity&Version=2011-06-15"
    )));
    assert!(!r.may_serve_unsigned(&req("GET", "/", "Action=GetCallerIdentity")));
    assert!(!r.may_serve_unsigned(&req("GET", "/", "")));
    assert!(!r.may_serve_unsigned(&req("POST", "/ListChannels", "")));
    assert!(!r.may_serve_unsigned(&req("POST", "/elsewhere", "")));
}

#[test]
fn a_union_that_sets_no_member_or_several_is_refused() {
    // SDKs cannot read back a union with no member or several ("Tagged Union members MUST
    // provide one and only one member in the response. Values such as null, {}, or multiple
    // keys are not valid", botocore #2516), so such a request is refused, not stored and
    // echoed.
    let mc = model("mediaconnect");
    let ni = "arn:aws:mediaconnect:us-west-2:111122223333:routerNetworkInterface:abcdefghijkl";
    let body = |protocol: &str| {
        format!(
            r#"{{"name":"in","maximumBitrate":10000000,"routingScope":"REGIONAL","tier":"INPUT_20",
            "configuration":{{"standard":{{"networkInterfaceArn":"{ni}","protocolConfiguration":{protocol}}}}}}}"#
        )
    };
    for bad in [
        "{}",
        r#"{"rtp":{"port":5000},"rist":{"port":5002,"recoveryLatencyMilliseconds":100}}"#,
        r#"{"rtp":null}"#,
    ] {
        let err = parse(
            mc,
            "POST",
            "/v1/routerInput",
            "",
            JSON,
            body(bad).as_bytes(),
        )
        .unwrap_err();
        assert_eq!(err.code, "BadRequestException", "{bad}");
        assert!(
            err.message
                .contains("at 'configuration.standard.protocolConfiguration' failed to satisfy constraint: Member must set exactly one of its members"),
            "{}",
            err.message
        );
    }
    let (op, input) = parse(
        mc,
        "POST",
        "/v1/routerInput",
        "",
        JSON,
        body(r#"{"rtp":{"port":5000}}"#).as_bytes(),
    )
    .unwrap();
    assert_eq!(op, "CreateRouterInput");
    assert_eq!(
        input["Configuration"]["Standard"]["ProtocolConfiguration"],
        json!({"Rtp": {"Port": 5000}})
    );
    // An endpoint's networking configuration is a union too.
    let endpoint = r#"{"configuration":{"standard":{"name":"cam","sourceNetworkingConfiguration":{},
        "protocolConfiguration":{"rtp":{"destinationIngestPort":5000,"forwardErrorCorrectionState":"DISABLED"}}}}}"#;
    let err = parse(
        mc,
        "POST",
        "/v1/sourceEndpoint",
        "",
        JSON,
        endpoint.as_bytes(),
    )
    .unwrap_err();
    assert!(
        err.message
            .contains("'configuration.standard.sourceNetworkingConfiguration'"),
        "{}",
        err.message
    );
    // IAM's policy exclusion identifier is a union its operation reads itself (InvalidInput).
    let both = b"Action=SimulatePrincipalPolicy&Version=2010-05-08&PolicySourceArn=arn%3Aaws%3Aiam%3A%3A000000000000%3Auser%2Fu&ActionNames.member.1=s3%3AGetObject&PolicyExclusionList.member.1.PolicyType=inline&PolicyExclusionList.member.1.PolicyArn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2Fx";
    let (op, _) = parse(model("iam"), "POST", "/", "", FORM, both).unwrap();
    assert_eq!(op, "SimulatePrincipalPolicy");
}
