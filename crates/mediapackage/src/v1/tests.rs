//! Unit tests of v1 through its handlers and the authorization engine.

use super::*;
use service::{Access, Principal};

fn svc() -> Arc<MediaPackage> {
    MediaPackage::new(Arc::new(Runtime::for_tests()))
}

fn ctx(account: &str) -> RequestContext {
    let mut c = RequestContext::new("r", Arc::new(Principal::root(account, "k")), "us-east-1");
    c.host = Some("127.0.0.1:9".into());
    c
}

/// An ISO 8601 time `secs` seconds before now (after now when negative).
fn ago(secs: i64) -> String {
    (time::OffsetDateTime::now_utc() - time::Duration::seconds(secs))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap()
}

fn accesses(s: &MediaPackage, c: &RequestContext, op: &str, input: Value) -> Vec<Access> {
    match authz::authorize(s, c, op, &input).unwrap() {
        authz::Authorization::Required(a) => a,
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_operation_list_matches_the_model() {
    kit::check_against_model::<MediaPackage>().unwrap();
}

#[test]
fn channels_endpoints_and_jobs() {
    let s = svc();
    let c = ctx("111111111111");
    let ch = s
        .handle(
            &c,
            "CreateChannel",
            json!({"Id": "sports", "Tags": {"k": "v"}}),
        )
        .unwrap();
    let arn = ch["Arn"].as_str().unwrap().to_string();
    assert!(arn.starts_with("arn:aws:mediapackage:us-east-1:111111111111:channels/"));
    assert!(!arn.ends_with("/sports"), "the ARN carries the internal ID");
    let endpoints = ch["HlsIngest"]["IngestEndpoints"].as_array().unwrap();
    assert_eq!(endpoints.len(), 2);
    let first = endpoints[0]["Id"].as_str().unwrap().to_string();
    let old = endpoints[0]["Password"].clone();
    let rotated = s
        .handle(
            &c,
            "RotateIngestEndpointCredentials",
            json!({"Id": "sports", "IngestEndpointId": first}),
        )
        .unwrap();
    assert_ne!(rotated["HlsIngest"]["IngestEndpoints"][0]["Password"], old);
    let e = s
        .handle(&c, "CreateChannel", json!({"Id": "sports"}))
        .unwrap_err();
    assert_eq!(e.code, "UnprocessableEntityException");

    let err = s
        .handle(
            &c,
            "CreateOriginEndpoint",
            json!({"Id": "e", "ChannelId": "sports"}),
        )
        .unwrap_err();
    assert_eq!(err.code, "UnprocessableEntityException");
    let ep = s
        .handle(
            &c,
            "CreateOriginEndpoint",
            json!({"Id": "e", "ChannelId": "sports", "StartoverWindowSeconds": 86400,
        "HlsPackage": {"PlaylistType": "EVENT"}}),
        )
        .unwrap();
    assert_eq!(ep["HlsPackage"]["SegmentDurationSeconds"], 6);
    assert!(ep["Url"]
        .as_str()
        .unwrap()
        .starts_with("http://127.0.0.1:9/out/v1/"));
    assert!(ep["Url"].as_str().unwrap().ends_with("/index.m3u8"));
    let err = s
        .handle(&c, "DeleteChannel", json!({"Id": "sports"}))
        .unwrap_err();
    assert_eq!(err.code, "UnprocessableEntityException");

    let job = s.handle(&c, "CreateHarvestJob", json!({"Id": "j", "OriginEndpointId": "e",
        "StartTime": ago(1200), "EndTime": ago(600),
        "S3Destination": {"BucketName": "b", "ManifestKey": "k/index.m3u8", "RoleArn": "arn:aws:iam::111111111111:role/r"}})).unwrap();
    assert_eq!(job["Status"], "SUCCEEDED");
    assert_eq!(job["ChannelId"], "sports");

    // Authorization: the internal ARN, the passed role.
    let a = accesses(&s, &c, "DescribeChannel", json!({"Id": "sports"}));
    assert_eq!(a[0].resource, arn);
    assert!(a[0].context.contains(&(
        "aws:ResourceTag/k".into(),
        service::ContextValue::String("v".into())
    )));
    let a = accesses(
        &s,
        &c,
        "CreateHarvestJob",
        json!({"Id": "j2", "OriginEndpointId": "e",
        "StartTime": "2020-01-01T00:00:00Z", "EndTime": "2020-01-01T00:10:00Z",
        "S3Destination": {"BucketName": "b", "ManifestKey": "k", "RoleArn": "arn:aws:iam::111111111111:role/r"}}),
    );
    assert_eq!(a.last().unwrap().action, "iam:PassRole");

    // Another account sees nothing; the journal replays.
    let other = ctx("222222222222");
    assert_eq!(
        s.handle(&other, "DescribeChannel", json!({"Id": "sports"}))
            .unwrap_err()
            .code,
        "NotFoundException"
    );
    let replica = svc();
    for (_, r) in c.journal.take() {
        replica.restore(&r).unwrap();
    }
    assert_eq!(replica.records(), s.records());
    // The replica finds resources by Id and endpoints by their egress ID.
    let d = replica
        .handle(&c, "DescribeOriginEndpoint", json!({"Id": "e"}))
        .unwrap();
    let path = d["Url"]
        .as_str()
        .unwrap()
        .trim_start_matches("http://127.0.0.1:9")
        .to_string();
    assert!(replica.object_route("GET", &path).is_some(), "{path}");
}

#[test]
fn a_harvest_role_must_be_a_role_arn() {
    let s = svc();
    let c = ctx("111111111111");
    s.handle(&c, "CreateChannel", json!({"Id": "c"})).unwrap();
    s.handle(
        &c,
        "CreateOriginEndpoint",
        json!({"Id": "e", "ChannelId": "c", "HlsPackage": {}}),
    )
    .unwrap();
    let input = json!({"Id": "j", "OriginEndpointId": "e",
        "StartTime": "2020-01-01T00:00:00Z", "EndTime": "2020-01-01T00:10:00Z",
        "S3Destination": {"BucketName": "b", "ManifestKey": "k", "RoleArn": "not-a-role"}});
    assert!(accesses(&s, &c, "CreateHarvestJob", input.clone())
        .iter()
        .all(|a| a.action != "iam:PassRole"));
    let err = s.handle(&c, "CreateHarvestJob", input).unwrap_err();
    assert_eq!(err.code, "UnprocessableEntityException");
}

#[test]
fn channel_updates_rotation_and_logs() {
    let s = svc();
    let c = ctx("111111111111");
    let ch = s
        .handle(
            &c,
            "CreateChannel",
            json!({"Id": "c", "Description": "old"}),
        )
        .unwrap();
    let endpoints = |ch: &Value| -> Vec<(Value, Value, Value)> {
        ch["HlsIngest"]["IngestEndpoints"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["Id"].clone(),
                    e["Username"].clone(),
                    e["Password"].clone(),
                )
            })
            .collect()
    };
    let before = endpoints(&ch);
    // The first endpoint's ID is the channel's own (the AWS CLI's create-channel example).
    let internal = ch["Arn"].as_str().unwrap().rsplit('/').next().unwrap();
    assert_eq!(before[0].0, internal);
    assert_ne!(before[1].0, internal);
    // "Changes the Channel's first IngestEndpoint's username and password" (the model).
    let rotated = s
        .handle(&c, "RotateChannelCredentials", json!({"Id": "c"}))
        .unwrap();
    let after = endpoints(&rotated);
    assert_eq!(after[0].0, before[0].0);
    assert!(after[0].1 != before[0].1 && after[0].2 != before[0].2);
    assert_eq!(after[1], before[1]);
    // "Rotate the IngestEndpoint's username and password" of the one named.
    let second = s
        .handle(
            &c,
            "RotateIngestEndpointCredentials",
            json!({"Id": "c", "IngestEndpointId": before[1].0}),
        )
        .unwrap();
    let last = endpoints(&second);
    assert_eq!(last[0], after[0]);
    assert!(last[1].1 != before[1].1 && last[1].2 != before[1].2);
    let updated = s
        .handle(
            &c,
            "UpdateChannel",
            json!({"Id": "c", "Description": "new"}),
        )
        .unwrap();
    assert_eq!(updated["Description"], "new");
    let err = s
        .handle(
            &c,
            "ConfigureLogs",
            json!({"Id": "c", "IngressAccessLogs": {"LogGroupName": "/elsewhere"}}),
        )
        .unwrap_err();
    assert_eq!(err.code, "UnprocessableEntityException");
    let logs = s
        .handle(
            &c,
            "ConfigureLogs",
            json!({"Id": "c", "IngressAccessLogs": {}}),
        )
        .unwrap();
    assert_eq!(
        logs["IngressAccessLogs"]["LogGroupName"],
        "/aws/MediaPackage/IngressAccessLogs"
    );
    let err = s
        .handle(
            &c,
            "RotateIngestEndpointCredentials",
            json!({"Id": "c", "IngestEndpointId": "nope"}),
        )
        .unwrap_err();
    assert_eq!(err.code, "NotFoundException");
    let err = s
        .handle(&c, "CreateChannel", json!({"Id": "bad id!"}))
        .unwrap_err();
    assert_eq!(err.code, "UnprocessableEntityException");
}

/// A service whose configuration lowers v1 quota `name` to `value`.
fn svc_with(name: &str, value: u64) -> Arc<MediaPackage> {
    let mut rt = Runtime::for_tests();
    rt.quotas
        .entry("mediapackage".into())
        .or_default()
        .insert(name.into(), value);
    MediaPackage::new(Arc::new(rt))
}

#[test]
fn quotas_are_enforced_as_configured() {
    let s = svc_with("Channels", 1);
    let c = ctx("111111111111");
    s.handle(&c, "CreateChannel", json!({"Id": "a"})).unwrap();
    let e = s
        .handle(&c, "CreateChannel", json!({"Id": "b"}))
        .unwrap_err();
    assert_eq!(e.code, "TooManyRequestsException");
    assert_eq!(
        e.message,
        "Resource limit exceeded. Quota: Channels, limit: 1"
    );
    s.handle(&ctx("222222222222"), "CreateChannel", json!({"Id": "b"}))
        .unwrap();

    let s = svc_with("OriginEndpointsPerChannel", 1);
    s.handle(&c, "CreateChannel", json!({"Id": "a"})).unwrap();
    s.handle(&c, "CreateChannel", json!({"Id": "b"})).unwrap();
    let hls = json!({"PlaylistType": "EVENT"});
    s.handle(
        &c,
        "CreateOriginEndpoint",
        json!({"Id": "e1", "ChannelId": "a", "HlsPackage": hls}),
    )
    .unwrap();
    let e = s
        .handle(
            &c,
            "CreateOriginEndpoint",
            json!({"Id": "e2", "ChannelId": "a", "HlsPackage": hls}),
        )
        .unwrap_err();
    assert!(
        e.message.ends_with("OriginEndpointsPerChannel, limit: 1"),
        "{e}"
    );
    s.handle(
        &c,
        "CreateOriginEndpoint",
        json!({"Id": "e3", "ChannelId": "b", "HlsPackage": hls}),
    )
    .unwrap();
}

#[test]
fn concurrent_harvest_jobs_quota_counts_jobs_in_progress() {
    let mut rt = Runtime::new(service::Transitions::Manual, Some(7), [7; 32]);
    rt.quotas
        .entry("mediapackage".into())
        .or_default()
        .insert("ConcurrentHarvestJobs".into(), 1);
    let s = MediaPackage::new(Arc::new(rt));
    let c = ctx("111111111111");
    s.handle(&c, "CreateChannel", json!({"Id": "a"})).unwrap();
    s.handle(
        &c,
        "CreateOriginEndpoint",
        json!({"Id": "e", "ChannelId": "a", "HlsPackage": {"PlaylistType": "EVENT"}}),
    )
    .unwrap();
    let job = |id: &str| {
        json!({"Id": id, "OriginEndpointId": "e",
        "StartTime": "2020-01-01T00:00:00Z", "EndTime": "2020-01-01T00:10:00Z",
        "S3Destination": {"BucketName": "b", "ManifestKey": "k/index.m3u8", "RoleArn": "arn:aws:iam::111111111111:role/r"}})
    };
    s.handle(&c, "CreateHarvestJob", job("j1")).unwrap();
    let e = s.handle(&c, "CreateHarvestJob", job("j2")).unwrap_err();
    assert_eq!(e.code, "TooManyRequestsException");
    assert_eq!(
        e.message,
        "Resource limit exceeded. Quota: ConcurrentHarvestJobs, limit: 1"
    );
    // Once the first job has succeeded, another may run.
    s.runtime.clock.advance(std::time::Duration::from_secs(5));
    s.handle(&c, "CreateHarvestJob", job("j2")).unwrap();
}

#[test]
fn a_cmaf_endpoints_urls_are_its_manifests_under_their_ids() {
    // AWS's answers (the AWS CLI's describe-origin-endpoint example) put a CMAF HLS manifest at
    // `/out/v1/INTERNAL/ID/NAME.m3u8`, its name defaulting to the endpoint's ("If not
    // specified, defaults to the manifestName for the OriginEndpoint"), and give the
    // endpoint itself an empty `Url`.
    let s = svc();
    let c = ctx("111111111111");
    s.handle(&c, "CreateChannel", json!({"Id": "live"}))
        .unwrap();
    let create = |id: &str, extra: Value| {
        let mut input = json!({"Id": id, "ChannelId": "live", "CmafPackage": {
            "HlsManifests": [{"Id": "cmaf"}, {"Id": "named", "ManifestName": "alt"}]}});
        if let (Some(m), Value::Object(x)) = (input.as_object_mut(), extra) {
            m.extend(x);
        }
        s.handle(&c, "CreateOriginEndpoint", input).unwrap()
    };
    let tails = |e: &Value| -> Vec<String> {
        e["CmafPackage"]["HlsManifests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                let url = m["Url"].as_str().unwrap();
                url.splitn(7, '/').nth(6).unwrap().to_string()
            })
            .collect()
    };
    let e1 = create("e1", json!({}));
    assert_eq!(tails(&e1), ["cmaf/index.m3u8", "named/alt.m3u8"]);
    assert_eq!(e1["Url"], "");
    let m = &e1["CmafPackage"]["HlsManifests"][0];
    assert_eq!(
        (
            &m["AdMarkers"],
            &m["PlaylistType"],
            &m["PlaylistWindowSeconds"]
        ),
        (&json!("NONE"), &json!("EVENT"), &json!(60))
    );
    let e2 = create("e2", json!({"ManifestName": "live"}));
    assert_eq!(tails(&e2), ["cmaf/live.m3u8", "named/alt.m3u8"]);

    // The manifests are served there, and what they name beside them.
    let get = |url: &str| {
        let path = &url[url.find("/out/v1/").unwrap()..];
        let req = s.egress_route("GET", path).unwrap();
        s.serve_egress(&c, &req).unwrap()
    };
    let first = e1["CmafPackage"]["HlsManifests"][0]["Url"]
        .as_str()
        .unwrap();
    let top = get(first);
    assert_eq!(top.status, 200);
    let child = String::from_utf8(top.body).unwrap();
    let child = child.lines().last().unwrap();
    let media = get(&format!("{}/{child}", first.rsplit_once('/').unwrap().0));
    assert_eq!(media.status, 200, "{child}");
    let other = e1["CmafPackage"]["HlsManifests"][1]["Url"]
        .as_str()
        .unwrap();
    assert_eq!(get(other).status, 200);
    assert_eq!(get(&other.replace("/named/", "/cmaf/")).status, 404);
}

#[test]
fn packages_answer_awss_defaults() {
    // As AWS's answers show a package created without them (the AWS CLI's
    // list-origin-endpoints example).
    let s = svc();
    let c = ctx("111111111111");
    s.handle(&c, "CreateChannel", json!({"Id": "test"}))
        .unwrap();
    let hls = s
        .handle(
            &c,
            "CreateOriginEndpoint",
            json!({"Id": "tester", "ChannelId": "test", "HlsPackage": {}}),
        )
        .unwrap();
    let all = json!({"MaxVideoBitsPerSecond": 2147483647, "MinVideoBitsPerSecond": 0, "StreamOrder": "ORIGINAL"});
    assert_eq!(
        hls["HlsPackage"],
        json!({"AdMarkers": "NONE", "IncludeIframeOnlyStream": false, "PlaylistType": "EVENT",
            "PlaylistWindowSeconds": 60, "ProgramDateTimeIntervalSeconds": 0,
            "SegmentDurationSeconds": 6, "StreamSelection": all, "UseAudioRenditionGroup": false})
    );
    assert!(hls["Url"].as_str().unwrap().ends_with("/index.m3u8"));
    let dash = s
        .handle(
            &c,
            "CreateOriginEndpoint",
            json!({"Id": "tester2", "ChannelId": "test",
                "DashPackage": {"StreamSelection": {"StreamOrder": "VIDEO_BITRATE_ASCENDING"}}}),
        )
        .unwrap();
    assert_eq!(
        dash["DashPackage"],
        json!({"ManifestLayout": "FULL", "ManifestWindowSeconds": 60, "MinBufferTimeSeconds": 30,
            "MinUpdatePeriodSeconds": 15, "PeriodTriggers": [], "Profile": "NONE",
            "SegmentDurationSeconds": 2, "SegmentTemplateFormat": "NUMBER_WITH_TIMELINE",
            "StreamSelection": {"MaxVideoBitsPerSecond": 2147483647, "MinVideoBitsPerSecond": 0,
                "StreamOrder": "VIDEO_BITRATE_ASCENDING"},
            "SuggestedPresentationDelaySeconds": 25})
    );
}

#[test]
fn list_channels_is_authorized_on_the_accounts_channels() {
    let s = svc();
    let a = accesses(&s, &ctx("111111111111"), "ListChannels", json!({}));
    let got: Vec<(&str, &str)> = a
        .iter()
        .map(|x| (x.action.as_str(), x.resource.as_str()))
        .collect();
    assert_eq!(
        got,
        [(
            "mediapackage:ListChannels",
            "arn:aws:mediapackage:us-east-1:111111111111:channels/*"
        )]
    );
}

#[test]
fn harvest_jobs_follow_the_user_guides_rules() {
    let s = svc();
    let c = ctx("111111111111");
    s.handle(&c, "CreateChannel", json!({"Id": "c"})).unwrap();
    // A three-day startover window, and an endpoint without startover.
    s.handle(
        &c,
        "CreateOriginEndpoint",
        json!({"Id": "e", "ChannelId": "c", "StartoverWindowSeconds": 259200, "HlsPackage": {}}),
    )
    .unwrap();
    s.handle(
        &c,
        "CreateOriginEndpoint",
        json!({"Id": "off", "ChannelId": "c", "HlsPackage": {}}),
    )
    .unwrap();
    let job = |id: &str, endpoint: &str, start: String, end: String| {
        s.handle(&c, "CreateHarvestJob", json!({"Id": id, "OriginEndpointId": endpoint,
            "StartTime": start, "EndTime": end,
            "S3Destination": {"BucketName": "b", "ManifestKey": "k/index.m3u8", "RoleArn": "arn:aws:iam::111111111111:role/r"}}))
    };
    const HOUR: i64 = 3600;

    // "Your harvested live-to-VOD asset can have a maximum duration of 24 hours."
    let e = job("long", "e", ago(25 * HOUR + 1), ago(HOUR)).unwrap_err();
    assert_eq!(e.code, "UnprocessableEntityException");
    assert_eq!(
        e.message,
        "The harvest job's duration (EndTime minus StartTime) must not exceed 24 hours"
    );
    let day = job("day", "e", ago(25 * HOUR), ago(HOUR)).unwrap();
    assert_eq!(day["Status"], "SUCCEEDED");

    // "The end time must be in the past."
    let e = job("future", "e", ago(600), ago(-600)).unwrap_err();
    assert_eq!(e.code, "UnprocessableEntityException");
    assert_eq!(e.message, "EndTime must be in the past");
    let e = job("backwards", "e", ago(600), ago(1200)).unwrap_err();
    assert_eq!(e.message, "EndTime must be later than StartTime");

    // Startover must be enabled, and the job must fall within the window: accepted, then FAILED.
    let off = job("off", "off", ago(1200), ago(600)).unwrap();
    assert_eq!(off["Status"], "FAILED");
    let old = job("old", "e", ago(4 * 24 * HOUR), ago(4 * 24 * HOUR - 600)).unwrap();
    assert_eq!(old["Status"], "FAILED");
    let failed = s
        .handle(&c, "ListHarvestJobs", json!({"IncludeStatus": "FAILED"}))
        .unwrap();
    let mut ids: Vec<&str> = failed["HarvestJobs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["Id"].as_str().unwrap())
        .collect();
    ids.sort_unstable();
    assert_eq!(ids, ["off", "old"]);
    let got = s
        .handle(&c, "DescribeHarvestJob", json!({"Id": "day"}))
        .unwrap();
    assert_eq!(got["Status"], "SUCCEEDED");
}

#[test]
fn a_failing_harvest_job_is_in_progress_until_it_fails() {
    let s = MediaPackage::new(Arc::new(Runtime::new(
        service::Transitions::Manual,
        Some(7),
        [7; 32],
    )));
    let c = ctx("111111111111");
    s.handle(&c, "CreateChannel", json!({"Id": "c"})).unwrap();
    s.handle(
        &c,
        "CreateOriginEndpoint",
        json!({"Id": "off", "ChannelId": "c", "HlsPackage": {}}),
    )
    .unwrap();
    let job = s.handle(&c, "CreateHarvestJob", json!({"Id": "j", "OriginEndpointId": "off",
        "StartTime": ago(1200), "EndTime": ago(600),
        "S3Destination": {"BucketName": "b", "ManifestKey": "k", "RoleArn": "arn:aws:iam::111111111111:role/r"}}))
        .unwrap();
    assert_eq!(job["Status"], "IN_PROGRESS");
    s.runtime.clock.advance(std::time::Duration::from_secs(5));
    let got = s
        .handle(&c, "DescribeHarvestJob", json!({"Id": "j"}))
        .unwrap();
    assert_eq!(got["Status"], "FAILED");
}

#[test]
fn time_delay_is_off_or_5_to_86400_seconds_and_shorter_than_startover() {
    let s = svc();
    let c = ctx("111111111111");
    s.handle(&c, "CreateChannel", json!({"Id": "c"})).unwrap();
    let create = |id: &str, delay: i64, window: Option<i64>| {
        let mut input =
            json!({"Id": id, "ChannelId": "c", "TimeDelaySeconds": delay, "HlsPackage": {}});
        if let Some(w) = window {
            input["StartoverWindowSeconds"] = json!(w);
        }
        s.handle(&c, "CreateOriginEndpoint", input)
    };
    let range = "timeDelaySeconds must be 0 (no delay) or between 5 and 86400";
    for bad in [1, 4, 86401, -1] {
        let e = create("bad", bad, None).unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            ("UnprocessableEntityException", range),
            "{bad}"
        );
    }
    assert_eq!(create("zero", 0, None).unwrap()["TimeDelaySeconds"], 0);
    create("five", 5, None).unwrap();
    create("day", 86400, None).unwrap();
    // With a startover window, the delay must be shorter than it.
    let e = create("equal", 60, Some(60)).unwrap_err();
    assert_eq!(e.code, "UnprocessableEntityException");
    assert_eq!(
        e.message,
        "timeDelaySeconds (60) must be less than startoverWindowSeconds (60)"
    );
    create("shorter", 59, Some(60)).unwrap();
    create("no-delay", 0, Some(60)).unwrap();

    // An update is the endpoint's new configuration (what it leaves out is reset), checked
    // whole; a refused one changes nothing.
    let e = s
        .handle(
            &c,
            "UpdateOriginEndpoint",
            json!({"Id": "day", "TimeDelaySeconds": 86400, "StartoverWindowSeconds": 3600}),
        )
        .unwrap_err();
    assert_eq!(
        e.message,
        "timeDelaySeconds (86400) must be less than startoverWindowSeconds (3600)"
    );
    let got = s
        .handle(&c, "DescribeOriginEndpoint", json!({"Id": "day"}))
        .unwrap();
    assert_eq!(
        (&got["TimeDelaySeconds"], &got["StartoverWindowSeconds"]),
        (&json!(86400), &json!(0))
    );
    let e = s
        .handle(
            &c,
            "UpdateOriginEndpoint",
            json!({"Id": "shorter", "TimeDelaySeconds": 2}),
        )
        .unwrap_err();
    assert_eq!(e.message, range);
    let ok = s
        .handle(
            &c,
            "UpdateOriginEndpoint",
            json!({"Id": "day", "TimeDelaySeconds": 86400, "StartoverWindowSeconds": 86401}),
        )
        .unwrap();
    assert_eq!(
        (&ok["TimeDelaySeconds"], &ok["StartoverWindowSeconds"]),
        (&json!(86400), &json!(86401))
    );
}

#[test]
fn a_cmaf_packages_segment_prefix_defaults_to_the_channel_id() {
    // CmafPackageCreateOrUpdateParameters.SegmentPrefix: "If not specified, it defaults to the
    // ChannelId"; the AWS CLI's describe-origin-endpoint example (endpoint cmaf_sports on
    // channel sportschannel) answers "SegmentPrefix": "sportschannel".
    let s = svc();
    let c = ctx("111111111111");
    s.handle(&c, "CreateChannel", json!({"Id": "sportschannel"}))
        .unwrap();
    let create = |id: &str, package: Value| {
        s.handle(
            &c,
            "CreateOriginEndpoint",
            json!({"Id": id, "ChannelId": "sportschannel", "CmafPackage": package}),
        )
        .unwrap()
    };
    let e = create(
        "cmaf_sports",
        json!({"HlsManifests": [{"Id": "cmaf_sports_endpoint"}], "SegmentDurationSeconds": 2}),
    );
    assert_eq!(e["CmafPackage"]["SegmentPrefix"], "sportschannel");
    let got = s
        .handle(&c, "DescribeOriginEndpoint", json!({"Id": "cmaf_sports"}))
        .unwrap();
    assert_eq!(got["CmafPackage"]["SegmentPrefix"], "sportschannel");
    // A prefix given is kept.
    let own = create(
        "own",
        json!({"HlsManifests": [{"Id": "m"}], "SegmentPrefix": "seg"}),
    );
    assert_eq!(own["CmafPackage"]["SegmentPrefix"], "seg");
    // An update's package replaces the endpoint's, with the same default.
    let upd = s
        .handle(
            &c,
            "UpdateOriginEndpoint",
            json!({"Id": "own", "CmafPackage": {"HlsManifests": [{"Id": "m"}]}}),
        )
        .unwrap();
    assert_eq!(upd["CmafPackage"]["SegmentPrefix"], "sportschannel");
    // The other packages have no such member or default.
    let hls = s
        .handle(
            &c,
            "CreateOriginEndpoint",
            json!({"Id": "hls", "ChannelId": "sportschannel", "HlsPackage": {}}),
        )
        .unwrap();
    assert!(hls["HlsPackage"].get("SegmentPrefix").is_none());
    // The segments of its manifests are named with it.
    let url = e["CmafPackage"]["HlsManifests"][0]["Url"].as_str().unwrap();
    let get = |url: &str| {
        let path = &url[url.find("/out/v1/").unwrap()..];
        let req = s.egress_route("GET", path).unwrap();
        let out = s.serve_egress(&c, &req).unwrap();
        assert_eq!(out.status, 200, "{path}");
        String::from_utf8(out.body).unwrap()
    };
    let top = get(url);
    let child = top.lines().last().unwrap();
    let media = get(&format!("{}/{child}", url.rsplit_once('/').unwrap().0));
    assert!(
        media
            .lines()
            .any(|l| !l.starts_with('#') && l.contains("sportschannel")),
        "{media}"
    );
}

#[test]
fn harvest_jobs_are_listed_by_a_documented_status_only() {
    // The v1 API Reference (harvest_jobs, GET): includeStatus "Valid values are IN_PROGRESS,
    // SUCCEEDED, and FAILED".
    let s = svc();
    let c = ctx("111111111111");
    s.handle(&c, "CreateChannel", json!({"Id": "c"})).unwrap();
    s.handle(
        &c,
        "CreateOriginEndpoint",
        json!({"Id": "off", "ChannelId": "c", "HlsPackage": {}}),
    )
    .unwrap();
    s.handle(&c, "CreateHarvestJob", json!({"Id": "j", "OriginEndpointId": "off",
        "StartTime": ago(1200), "EndTime": ago(600),
        "S3Destination": {"BucketName": "b", "ManifestKey": "k", "RoleArn": "arn:aws:iam::111111111111:role/r"}}))
        .unwrap();
    let list = |status: &str| s.handle(&c, "ListHarvestJobs", json!({"IncludeStatus": status}));
    for bad in ["BOGUS", "COMPLETED", ""] {
        let e = list(bad).unwrap_err();
        assert_eq!(e.code, "UnprocessableEntityException", "{bad}");
        assert_eq!(
            e.message,
            format!("1 validation error detected: Value '{bad}' at 'includeStatus' failed to satisfy constraint: Member must satisfy enum value set: [IN_PROGRESS, SUCCEEDED, FAILED]")
        );
    }
    let count = |status: &str| {
        list(status).unwrap()["HarvestJobs"]
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!(count("FAILED"), 1);
    assert_eq!(count("failed"), 1, "v1's enums ignore letter case");
    assert_eq!(count("SUCCEEDED"), 0);
    assert_eq!(count("IN_PROGRESS"), 0);
}

#[test]
fn daterange_ad_markers_need_a_program_date_time_interval() {
    // The model's AdMarkers (HlsPackage and HlsManifestCreateOrUpdateParameters): "DATERANGE
    // ... For this option, you must set a programDateTimeIntervalSeconds value that is greater
    // than 0."
    let s = svc();
    let c = ctx("111111111111");
    s.handle(&c, "CreateChannel", json!({"Id": "c"})).unwrap();
    let create = |id: &str, package: Value| {
        let mut input = json!({"Id": id, "ChannelId": "c"});
        input
            .as_object_mut()
            .unwrap()
            .extend(package.as_object().unwrap().clone());
        s.handle(&c, "CreateOriginEndpoint", input)
    };
    let message =
        "programDateTimeIntervalSeconds must be greater than 0 when adMarkers is DATERANGE";
    for (id, package) in [
        ("hls", json!({"HlsPackage": {"AdMarkers": "DATERANGE"}})),
        (
            "hls0",
            json!({"HlsPackage": {"AdMarkers": "DATERANGE", "ProgramDateTimeIntervalSeconds": 0}}),
        ),
        (
            "cmaf",
            json!({"CmafPackage": {"HlsManifests": [{"Id": "m", "AdMarkers": "DATERANGE"}]}}),
        ),
    ] {
        let e = create(id, package).unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            ("UnprocessableEntityException", message),
            "{id}"
        );
    }
    let ok = create(
        "ok",
        json!({"HlsPackage": {"AdMarkers": "DATERANGE", "ProgramDateTimeIntervalSeconds": 60}}),
    )
    .unwrap();
    assert_eq!(ok["HlsPackage"]["AdMarkers"], "DATERANGE");
    create(
        "cmaf-ok",
        json!({"CmafPackage": {"HlsManifests": [{"Id": "m", "AdMarkers": "DATERANGE",
            "ProgramDateTimeIntervalSeconds": 10}]}}),
    )
    .unwrap();
    // Other ad markers need no interval.
    create(
        "scte",
        json!({"HlsPackage": {"AdMarkers": "SCTE35_ENHANCED"}}),
    )
    .unwrap();
    // An update's package replaces the endpoint's; a refused one changes nothing.
    let e = s
        .handle(
            &c,
            "UpdateOriginEndpoint",
            json!({"Id": "scte", "HlsPackage": {"AdMarkers": "DATERANGE"}}),
        )
        .unwrap_err();
    assert_eq!(e.message, message);
    let got = s
        .handle(&c, "DescribeOriginEndpoint", json!({"Id": "scte"}))
        .unwrap();
    assert_eq!(got["HlsPackage"]["AdMarkers"], "SCTE35_ENHANCED");
}

#[test]
fn a_harvest_job_from_an_mss_or_number_with_duration_dash_endpoint_fails() {
    // ltov-reqmts.html (endpoint requirements): "Your endpoint must serve either clear
    // (unencrypted) or encrypted DASH or HLS content" and "Your DASH endpoint must use either
    // the Number with timeline or Time with timeline segment template format".
    let s = MediaPackage::new(Arc::new(Runtime::new(
        service::Transitions::Manual,
        Some(7),
        [7; 32],
    )));
    let c = ctx("111111111111");
    s.handle(&c, "CreateChannel", json!({"Id": "c"})).unwrap();
    for (id, package) in [
        ("mss", json!({"MssPackage": {}})),
        (
            "dash-duration",
            json!({"DashPackage": {"SegmentTemplateFormat": "NUMBER_WITH_DURATION"}}),
        ),
        (
            "dash-time",
            json!({"DashPackage": {"SegmentTemplateFormat": "TIME_WITH_TIMELINE"}}),
        ),
        ("dash", json!({"DashPackage": {}})),
        ("hls", json!({"HlsPackage": {}})),
        (
            "cmaf",
            json!({"CmafPackage": {"HlsManifests": [{"Id": "m"}]}}),
        ),
    ] {
        let mut input = json!({"Id": id, "ChannelId": "c", "StartoverWindowSeconds": 3600});
        input
            .as_object_mut()
            .unwrap()
            .extend(package.as_object().unwrap().clone());
        s.handle(&c, "CreateOriginEndpoint", input).unwrap();
        let job = s.handle(&c, "CreateHarvestJob", json!({"Id": format!("j-{id}"),
            "OriginEndpointId": id, "StartTime": ago(1200), "EndTime": ago(600),
            "S3Destination": {"BucketName": "b", "ManifestKey": "k", "RoleArn": "arn:aws:iam::111111111111:role/r"}}))
            .unwrap();
        assert_eq!(job["Status"], "IN_PROGRESS", "{id}");
    }
    s.runtime.clock.advance(std::time::Duration::from_secs(5));
    for (id, status) in [
        ("mss", "FAILED"),
        ("dash-duration", "FAILED"),
        ("dash-time", "SUCCEEDED"),
        ("dash", "SUCCEEDED"),
        ("hls", "SUCCEEDED"),
        ("cmaf", "SUCCEEDED"),
    ] {
        let got = s
            .handle(&c, "DescribeHarvestJob", json!({"Id": format!("j-{id}")}))
            .unwrap();
        assert_eq!(got["Status"], status, "{id}");
    }
}

#[test]
fn a_hybridcast_dash_package_has_no_period_triggers() {
    // endpoints-dash-packager.html: "If you enable the Hybridcast profile ..., you can't use
    // DASH Period triggers."
    let s = svc();
    let c = ctx("111111111111");
    s.handle(&c, "CreateChannel", json!({"Id": "c"})).unwrap();
    let message = "periodTriggers can't be used with the HYBRIDCAST profile";
    for profile in ["HYBRIDCAST", "hybridcast"] {
        let e = s
            .handle(
                &c,
                "CreateOriginEndpoint",
                json!({"Id": "h", "ChannelId": "c",
                    "DashPackage": {"Profile": profile, "PeriodTriggers": ["ADS"]}}),
            )
            .unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            ("UnprocessableEntityException", message),
            "{profile}"
        );
    }
    let ok = s
        .handle(
            &c,
            "CreateOriginEndpoint",
            json!({"Id": "h", "ChannelId": "c",
                "DashPackage": {"Profile": "HYBRIDCAST", "PeriodTriggers": []}}),
        )
        .unwrap();
    assert_eq!(ok["DashPackage"]["Profile"], "HYBRIDCAST");
    // Other profiles may trigger periods on ads.
    s.handle(
        &c,
        "CreateOriginEndpoint",
        json!({"Id": "d", "ChannelId": "c",
            "DashPackage": {"Profile": "DVB_DASH_2014", "PeriodTriggers": ["ADS"]}}),
    )
    .unwrap();
    // A refused update changes nothing.
    let e = s
        .handle(
            &c,
            "UpdateOriginEndpoint",
            json!({"Id": "d", "DashPackage": {"Profile": "HYBRIDCAST", "PeriodTriggers": ["ADS"]}}),
        )
        .unwrap_err();
    assert_eq!(e.message, message);
    let got = s
        .handle(&c, "DescribeOriginEndpoint", json!({"Id": "d"}))
        .unwrap();
    assert_eq!(got["DashPackage"]["Profile"], "DVB_DASH_2014");
    assert_eq!(got["DashPackage"]["PeriodTriggers"], json!(["ADS"]));
}

#[test]
fn a_number_with_duration_endpoint_keeps_its_segment_duration() {
    // endpoints-dash-packager.html: "If you enable Number with duration in Segment template
    // format, you can't change the segment duration after you've created the endpoint."
    let s = svc();
    let c = ctx("111111111111");
    s.handle(&c, "CreateChannel", json!({"Id": "c"})).unwrap();
    let nwd = |secs: Option<i64>| {
        let mut p = json!({"SegmentTemplateFormat": "NUMBER_WITH_DURATION"});
        if let Some(secs) = secs {
            p["SegmentDurationSeconds"] = json!(secs);
        }
        p
    };
    s.handle(
        &c,
        "CreateOriginEndpoint",
        json!({"Id": "d", "ChannelId": "c", "DashPackage": nwd(Some(4))}),
    )
    .unwrap();
    let update = |package: Value| {
        s.handle(
            &c,
            "UpdateOriginEndpoint",
            json!({"Id": "d", "DashPackage": package}),
        )
    };
    for package in [
        nwd(Some(6)),
        // A package given replaces the endpoint's: the default, 2 seconds, is a change too.
        nwd(None),
        json!({"SegmentTemplateFormat": "number_with_duration", "SegmentDurationSeconds": 2}),
    ] {
        let e = update(package.clone()).unwrap_err();
        assert_eq!(e.code, "UnprocessableEntityException", "{package}");
        assert!(
            e.message
                .starts_with("segmentDurationSeconds can't change from 4 to "),
            "{}",
            e.message
        );
    }
    let got = s
        .handle(&c, "DescribeOriginEndpoint", json!({"Id": "d"}))
        .unwrap();
    assert_eq!(got["DashPackage"]["SegmentDurationSeconds"], 4);
    // The same duration, other members and members outside the package may change.
    let ok = update(json!({"SegmentTemplateFormat": "NUMBER_WITH_DURATION",
        "SegmentDurationSeconds": 4, "ManifestWindowSeconds": 120}))
    .unwrap();
    assert_eq!(ok["DashPackage"]["ManifestWindowSeconds"], 120);
    s.handle(
        &c,
        "UpdateOriginEndpoint",
        json!({"Id": "d", "Description": "kept"}),
    )
    .unwrap();
    // A timeline template has no such limit.
    s.handle(
        &c,
        "CreateOriginEndpoint",
        json!({"Id": "t", "ChannelId": "c", "DashPackage": {"SegmentDurationSeconds": 4}}),
    )
    .unwrap();
    let ok = s
        .handle(
            &c,
            "UpdateOriginEndpoint",
            json!({"Id": "t", "DashPackage": {"SegmentDurationSeconds": 6}}),
        )
        .unwrap();
    assert_eq!(ok["DashPackage"]["SegmentDurationSeconds"], 6);
}

#[test]
fn an_encryption_contract_is_for_dash_or_cmaf_without_key_rotation() {
    // The model's EncryptionContractConfiguration: "can be used for DASH or CMAF endpoints that
    // use SPEKE 2.0" and "You must disable key rotation for this endpoint by setting
    // keyRotationIntervalSeconds to 0."
    let s = svc();
    let c = ctx("111111111111");
    s.handle(&c, "CreateChannel", json!({"Id": "c"})).unwrap();
    let encryption = |rotation: Option<i64>| {
        let mut e = json!({"SpekeKeyProvider": {
            "ResourceId": "r", "RoleArn": "arn:aws:iam::111111111111:role/speke",
            "SystemIds": ["edef8ba9-79d6-4ace-a3c8-27dcd51d21ed"],
            "Url": "https://example.com/speke",
            "EncryptionContractConfiguration": {
                "PresetSpeke20Audio": "PRESET-AUDIO-1", "PresetSpeke20Video": "PRESET-VIDEO-1"}}});
        if let Some(r) = rotation {
            e["KeyRotationIntervalSeconds"] = json!(r);
        }
        e
    };
    let create = |id: &str, package: &str, rotation: Option<i64>| {
        s.handle(
            &c,
            "CreateOriginEndpoint",
            json!({"Id": id, "ChannelId": "c", package: {"Encryption": encryption(rotation)}}),
        )
    };
    for (package, kind) in [("HlsPackage", "HLS"), ("MssPackage", "MSS")] {
        let e = create("x", package, Some(0)).unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.message),
            (
                "UnprocessableEntityException",
                format!(
                    "encryptionContractConfiguration can be used only for DASH or CMAF endpoints, not {kind}"
                )
            )
        );
    }
    let rotating =
        "keyRotationIntervalSeconds must be 0 when encryptionContractConfiguration is set";
    for package in ["DashPackage", "CmafPackage"] {
        let e = create("x", package, Some(60)).unwrap_err();
        assert_eq!(e.message, rotating, "{package}");
        // Left out, the interval is AWS's default of 60 seconds: rotation is still on.
        let e = create("x", package, None).unwrap_err();
        assert_eq!(e.message, rotating, "{package} without an interval");
    }
    create("dash", "DashPackage", Some(0)).unwrap();
    create("cmaf", "CmafPackage", Some(0)).unwrap();
    // A refused update changes nothing.
    let e = s
        .handle(
            &c,
            "UpdateOriginEndpoint",
            json!({"Id": "dash", "DashPackage": {"Encryption": encryption(Some(300))}}),
        )
        .unwrap_err();
    assert_eq!(e.message, rotating);
    let got = s
        .handle(&c, "DescribeOriginEndpoint", json!({"Id": "dash"}))
        .unwrap();
    assert_eq!(
        got["DashPackage"]["Encryption"]["KeyRotationIntervalSeconds"],
        0
    );
    // Without a contract, key rotation and HLS are as before.
    s.handle(
        &c,
        "CreateOriginEndpoint",
        json!({"Id": "hls", "ChannelId": "c", "HlsPackage": {"Encryption": {
            "KeyRotationIntervalSeconds": 60,
            "SpekeKeyProvider": {"ResourceId": "r",
                "RoleArn": "arn:aws:iam::111111111111:role/speke",
                "SystemIds": ["81376844-f976-481e-a84e-cc25d39b0b33"],
                "Url": "https://example.com/speke"}}}}),
    )
    .unwrap();
}

#[test]
fn a_cmaf_constant_iv_is_32_hex_characters() {
    // The model's CmafEncryption.ConstantInitializationVector: "An optional 128-bit, 16-byte
    // hex value represented by a 32-character string".
    let s = svc();
    let c = ctx("111111111111");
    s.handle(&c, "CreateChannel", json!({"Id": "c"})).unwrap();
    let cmaf = |iv: &str| {
        json!({"Encryption": {"ConstantInitializationVector": iv, "SpekeKeyProvider": {
            "ResourceId": "r", "RoleArn": "arn:aws:iam::111111111111:role/speke",
            "SystemIds": ["edef8ba9-79d6-4ace-a3c8-27dcd51d21ed"],
            "Url": "https://example.com/speke"}}})
    };
    let create = |id: &str, iv: &str| {
        s.handle(
            &c,
            "CreateOriginEndpoint",
            json!({"Id": id, "ChannelId": "c", "CmafPackage": cmaf(iv)}),
        )
    };
    for iv in ["xyz", &"0".repeat(31), &"0".repeat(33), &"g".repeat(32)] {
        let e = create("x", iv).unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.message),
            (
                "UnprocessableEntityException",
                format!(
                    "constantInitializationVector {iv} is not a 32-character hex string (128 bits)"
                )
            )
        );
    }
    let iv = "0123456789abcdefABCDEF0123456789";
    let ok = create("ok", iv).unwrap();
    assert_eq!(
        ok["CmafPackage"]["Encryption"]["ConstantInitializationVector"],
        iv
    );
    // A refused update changes nothing.
    let e = s
        .handle(
            &c,
            "UpdateOriginEndpoint",
            json!({"Id": "ok", "CmafPackage": cmaf("nothex")}),
        )
        .unwrap_err();
    assert_eq!(e.code, "UnprocessableEntityException");
    let got = s
        .handle(&c, "DescribeOriginEndpoint", json!({"Id": "ok"}))
        .unwrap();
    assert_eq!(
        got["CmafPackage"]["Encryption"]["ConstantInitializationVector"],
        iv
    );
}

#[test]
fn an_update_resets_what_it_leaves_out_but_keeps_the_package() {
    // The API Reference (UpdateOriginEndpoint): "If you send only the updated attributes, then
    // all modifiable attributes that weren't specifically included in the request will reset to
    // default values." The CLI's update-origin-endpoint example (only --time-delay-seconds)
    // answers ManifestName index, StartoverWindowSeconds 0 and no Description, with the CMAF
    // package still there.
    let s = svc();
    let c = ctx("111111111111");
    s.handle(&c, "CreateChannel", json!({"Id": "sports"}))
        .unwrap();
    let created = s
        .handle(
            &c,
            "CreateOriginEndpoint",
            json!({"Id": "cmaf_sports", "ChannelId": "sports",
                "Description": "cmaf output of sports", "ManifestName": "sports_channel",
                "StartoverWindowSeconds": 300, "TimeDelaySeconds": 10,
                "Whitelist": ["10.0.0.0/8"], "Origination": "DENY",
                "Authorization": {"CdnIdentifierSecret":
                    "arn:aws:secretsmanager:us-east-1:111111111111:secret:cdn",
                    "SecretsRoleArn": "arn:aws:iam::111111111111:role/secrets"},
                "CmafPackage": {"SegmentDurationSeconds": 2,
                    "HlsManifests": [{"Id": "cmaf_sports_endpoint"}]}}),
        )
        .unwrap();
    let updated = s
        .handle(
            &c,
            "UpdateOriginEndpoint",
            json!({"Id": "cmaf_sports", "TimeDelaySeconds": 0}),
        )
        .unwrap();
    for (member, value) in [
        ("ManifestName", json!("index")),
        ("StartoverWindowSeconds", json!(0)),
        ("TimeDelaySeconds", json!(0)),
        ("Whitelist", json!([])),
        ("Origination", json!("ALLOW")),
    ] {
        assert_eq!(updated[member], value, "{member}");
    }
    assert!(updated.get("Description").is_none());
    assert!(updated.get("Authorization").is_none());
    // The package is kept; its manifest's URL now names the endpoint's default manifest name,
    // as in the example ("…/cmaf_sports_endpoint/index.m3u8").
    let manifest_url = |v: &Value| v["CmafPackage"]["HlsManifests"][0]["Url"].clone();
    assert!(manifest_url(&created)
        .as_str()
        .unwrap()
        .ends_with("/cmaf_sports_endpoint/sports_channel.m3u8"));
    assert!(manifest_url(&updated)
        .as_str()
        .unwrap()
        .ends_with("/cmaf_sports_endpoint/index.m3u8"));
    let without_urls = |v: &Value| {
        let mut p = v["CmafPackage"].clone();
        p["HlsManifests"][0].as_object_mut().unwrap().remove("Url");
        p
    };
    assert_eq!(without_urls(&updated), without_urls(&created));
    let described = s
        .handle(&c, "DescribeOriginEndpoint", json!({"Id": "cmaf_sports"}))
        .unwrap();
    assert_eq!(described, updated);
    // A package given replaces the stored one, of whatever kind.
    let hls = s
        .handle(
            &c,
            "UpdateOriginEndpoint",
            json!({"Id": "cmaf_sports", "HlsPackage": {}, "Description": "d"}),
        )
        .unwrap();
    assert!(hls.get("CmafPackage").is_none());
    assert_eq!(hls["HlsPackage"]["SegmentDurationSeconds"], 6);
    assert_eq!(hls["Description"], "d");
}

#[test]
fn a_harvest_job_record_expires_after_90_days_and_frees_its_id() {
    // ltov.html: "The job runs once, then MediaPackage keeps a record of it on your account
    // for 90 days"; hj-create-basic.html: "You can reuse the ID when the harvest job expires
    // from your account."
    let s = MediaPackage::new(Arc::new(Runtime::new(
        service::Transitions::Manual,
        Some(7),
        [7; 32],
    )));
    let c = ctx("111111111111");
    s.handle(&c, "CreateChannel", json!({"Id": "c"})).unwrap();
    s.handle(
        &c,
        "CreateOriginEndpoint",
        json!({"Id": "e", "ChannelId": "c", "StartoverWindowSeconds": 3600, "HlsPackage": {}}),
    )
    .unwrap();
    let job = |bucket: &str| {
        json!({"Id": "j", "OriginEndpointId": "e", "StartTime": ago(1200), "EndTime": ago(600),
            "S3Destination": {"BucketName": bucket, "ManifestKey": "k",
                "RoleArn": "arn:aws:iam::111111111111:role/r"}})
    };
    let first = s.handle(&c, "CreateHarvestJob", job("first")).unwrap();
    let arn = first["Arn"].as_str().unwrap().to_string();
    let day = std::time::Duration::from_secs(86_400);
    s.runtime.clock.advance(day * 89);
    // Still on record on day 89: described, listed, taggable, and its ID taken.
    let got = s
        .handle(&c, "DescribeHarvestJob", json!({"Id": "j"}))
        .unwrap();
    assert_eq!(got["Status"], "SUCCEEDED");
    let listed = s.handle(&c, "ListHarvestJobs", json!({})).unwrap();
    assert_eq!(listed["HarvestJobs"].as_array().unwrap().len(), 1);
    s.handle(&c, "ListTagsForResource", json!({"ResourceArn": arn}))
        .unwrap();
    let e = s.handle(&c, "CreateHarvestJob", job("second")).unwrap_err();
    assert_eq!(e.message, "Harvest job already exists with id j");
    let got = s
        .handle(&c, "DescribeHarvestJob", json!({"Id": "j"}))
        .unwrap();
    assert_eq!(
        got["S3Destination"]["BucketName"], "first",
        "the refusal kept it"
    );
    // Day 90: gone.
    s.runtime.clock.advance(day);
    let e = s
        .handle(&c, "DescribeHarvestJob", json!({"Id": "j"}))
        .unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        ("NotFoundException", "HarvestJob j not found")
    );
    let listed = s.handle(&c, "ListHarvestJobs", json!({})).unwrap();
    assert_eq!(listed["HarvestJobs"], json!([]));
    let e = s
        .handle(&c, "ListTagsForResource", json!({"ResourceArn": arn}))
        .unwrap_err();
    assert_eq!(e.code, "NotFoundException");
    // Its ID is free again.
    let second = s.handle(&c, "CreateHarvestJob", job("second")).unwrap();
    assert_eq!(second["Status"], "IN_PROGRESS");
    let got = s
        .handle(&c, "DescribeHarvestJob", json!({"Id": "j"}))
        .unwrap();
    assert_eq!(got["S3Destination"]["BucketName"], "second");
    let listed = s.handle(&c, "ListHarvestJobs", json!({})).unwrap();
    assert_eq!(listed["HarvestJobs"].as_array().unwrap().len(), 1);
    assert_eq!(s.resource_counts()[2], ("harvest_job", 1));
}

#[test]
fn cdn_authorization_names_a_secret_of_the_endpoint_region_and_account_and_a_role() {
    // The model's Authorization: "The Amazon Resource Name (ARN) for the secret in Secrets
    // Manager" and "... for the IAM role"; cdn-auth-setup.html: "The secret must use the same
    // AWS account and Region settings as your MediaPackage resources."
    let s = svc();
    let c = ctx("111111111111");
    s.handle(&c, "CreateChannel", json!({"Id": "c"})).unwrap();
    let create = |id: &str, secret: &str, role: &str| {
        s.handle(
            &c,
            "CreateOriginEndpoint",
            json!({"Id": id, "ChannelId": "c", "HlsPackage": {},
                "Authorization": {"CdnIdentifierSecret": secret, "SecretsRoleArn": role}}),
        )
    };
    let role = "arn:aws:iam::111111111111:role/secrets";
    let secret = "arn:aws:secretsmanager:us-east-1:111111111111:secret:cdn-AbC123";
    for (bad_secret, bad_role, message) in [
        ("x", role, "The secret ARN x is not valid. Valid format: arn:aws:secretsmanager:{region}:{accountID}:secret:{name}".to_string()),
        ("arn:aws:secretsmanager:eu-west-1:111111111111:secret:cdn", role,
            "The secret arn:aws:secretsmanager:eu-west-1:111111111111:secret:cdn must be in the origin endpoint's Region (us-east-1)".to_string()),
        ("arn:aws:secretsmanager:us-east-1:222222222222:secret:cdn", role,
            "The secret arn:aws:secretsmanager:us-east-1:222222222222:secret:cdn must belong to the origin endpoint's account".to_string()),
        (secret, "arn:aws:iam::111111111111:user/u",
            "The secrets role ARN arn:aws:iam::111111111111:user/u is not valid. Valid format: arn:aws:iam::{accountID}:role/{name}".to_string()),
    ] {
        let e = create("bad", bad_secret, bad_role).unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.message),
            ("UnprocessableEntityException", message)
        );
    }
    let listed = s.handle(&c, "ListOriginEndpoints", json!({})).unwrap();
    assert_eq!(listed["OriginEndpoints"], json!([]), "nothing was created");
    let ok = create("ok", secret, role).unwrap();
    assert_eq!(ok["Authorization"]["CdnIdentifierSecret"], secret);
    // A refused update keeps the stored authorization.
    let e = s
        .handle(
            &c,
            "UpdateOriginEndpoint",
            json!({"Id": "ok", "Authorization": {"CdnIdentifierSecret": "x", "SecretsRoleArn": role}}),
        )
        .unwrap_err();
    assert_eq!(e.code, "UnprocessableEntityException");
    let got = s
        .handle(&c, "DescribeOriginEndpoint", json!({"Id": "ok"}))
        .unwrap();
    assert_eq!(got["Authorization"]["CdnIdentifierSecret"], secret);
}

#[test]
fn a_content_key_encryption_certificate_is_in_the_endpoint_region() {
    // drm-content-key-encryption.html: "You must import a suitable certificate into AWS
    // Certificate Manager (ACM) in the same Region that you run MediaPackage."
    let s = svc();
    let c = ctx("111111111111");
    s.handle(&c, "CreateChannel", json!({"Id": "c"})).unwrap();
    let encryption = |region: &str| {
        json!({"SpekeKeyProvider": {"ResourceId": "r",
            "RoleArn": "arn:aws:iam::111111111111:role/speke",
            "SystemIds": ["81376844-f976-481e-a84e-cc25d39b0b33"],
            "Url": "https://example.com/speke",
            "CertificateArn": format!("arn:aws:acm:{region}:111111111111:certificate/abc")}})
    };
    for package in ["HlsPackage", "DashPackage", "CmafPackage", "MssPackage"] {
        let e = s
            .handle(
                &c,
                "CreateOriginEndpoint",
                json!({"Id": "x", "ChannelId": "c", package: {"Encryption": encryption("eu-west-1")}}),
            )
            .unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            (
                "UnprocessableEntityException",
                "The certificate arn:aws:acm:eu-west-1:111111111111:certificate/abc must be in the origin endpoint's Region (us-east-1)"
            ),
            "{package}"
        );
    }
    let ok = s
        .handle(
            &c,
            "CreateOriginEndpoint",
            json!({"Id": "ok", "ChannelId": "c", "HlsPackage": {"Encryption": encryption("us-east-1")}}),
        )
        .unwrap();
    let kept = "arn:aws:acm:us-east-1:111111111111:certificate/abc";
    assert_eq!(
        ok["HlsPackage"]["Encryption"]["SpekeKeyProvider"]["CertificateArn"],
        kept
    );
    // A refused update keeps the stored certificate.
    s.handle(
        &c,
        "UpdateOriginEndpoint",
        json!({"Id": "ok", "HlsPackage": {"Encryption": encryption("eu-west-1")}}),
    )
    .unwrap_err();
    let got = s
        .handle(&c, "DescribeOriginEndpoint", json!({"Id": "ok"}))
        .unwrap();
    assert_eq!(
        got["HlsPackage"]["Encryption"]["SpekeKeyProvider"]["CertificateArn"],
        kept
    );
}

#[test]
fn encryption_contract_presets_go_together_as_cloudformation_documents() {
    // CloudFormation's AWS::MediaPackage::OriginEndpoint EncryptionContractConfiguration: "You
    // cannot combine an UNENCRYPTED preset with UNENCRYPTED or SHARED presets across
    // presetSpeke20Audio and presetSpeke20Video" and "When you use a SHARED preset, you must use
    // it for both presetSpeke20Audio and presetSpeke20Video."
    let s = svc();
    let c = ctx("111111111111");
    s.handle(&c, "CreateChannel", json!({"Id": "c"})).unwrap();
    let dash = |audio: &str, video: &str| {
        json!({"DashPackage": {"Encryption": {"KeyRotationIntervalSeconds": 0, "SpekeKeyProvider": {
            "ResourceId": "r", "RoleArn": "arn:aws:iam::111111111111:role/speke",
            "SystemIds": ["edef8ba9-79d6-4ace-a3c8-27dcd51d21ed"],
            "Url": "https://example.com/speke",
            "EncryptionContractConfiguration": {
                "PresetSpeke20Audio": audio, "PresetSpeke20Video": video}}}}})
    };
    let create = |id: &str, audio: &str, video: &str| {
        let mut req = dash(audio, video);
        req["Id"] = json!(id);
        req["ChannelId"] = json!("c");
        s.handle(&c, "CreateOriginEndpoint", req)
    };
    for (audio, video) in [
        ("UNENCRYPTED", "UNENCRYPTED"),
        ("UNENCRYPTED", "SHARED"),
        ("SHARED", "UNENCRYPTED"),
    ] {
        let e = create("x", audio, video).unwrap_err();
        assert_eq!(e.code, "UnprocessableEntityException", "{audio}/{video}");
        assert!(
            e.message.contains("UNENCRYPTED preset can't go with"),
            "{}",
            e.message
        );
    }
    for (audio, video) in [("SHARED", "PRESET-VIDEO-1"), ("PRESET-AUDIO-1", "SHARED")] {
        let e = create("x", audio, video).unwrap_err();
        assert!(
            e.message.contains("SHARED preset must be used for both"),
            "{}",
            e.message
        );
    }
    create("a", "UNENCRYPTED", "PRESET-VIDEO-1").unwrap();
    create("b", "PRESET-AUDIO-2", "UNENCRYPTED").unwrap();
    create("s", "SHARED", "SHARED").unwrap();
    // A refused update keeps the stored contract.
    let e = s
        .handle(&c, "UpdateOriginEndpoint", {
            let mut u = dash("SHARED", "PRESET-VIDEO-1");
            u["Id"] = json!("s");
            u
        })
        .unwrap_err();
    assert!(e.message.contains("SHARED preset"), "{}", e.message);
    let got = s
        .handle(&c, "DescribeOriginEndpoint", json!({"Id": "s"}))
        .unwrap();
    let contract =
        &got["DashPackage"]["Encryption"]["SpekeKeyProvider"]["EncryptionContractConfiguration"];
    assert_eq!(contract["PresetSpeke20Video"], "SHARED");
}

/// A version-4 UUID's 32 hex digits without hyphens.
fn is_uuid4_hex(id: &str) -> bool {
    id.len() == 32
        && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        && id.as_bytes()[12] == b'4'
        && matches!(id.as_bytes()[16], b'8' | b'9' | b'a' | b'b')
}

#[test]
fn internal_ids_are_version_4_uuids_without_hyphens() {
    // The AWS CLI's mediapackage examples: channels/6d345804ec3f46c9b454a91d4a80d0e0, ingest
    // endpoint 2daa32878af24803b24183727211b8ff, origin_endpoints/1dc6718be36f4f34bb9cd86bc50925e6.
    let s = svc();
    let c = ctx("111111111111");
    for n in 0..20 {
        let ch = s
            .handle(&c, "CreateChannel", json!({"Id": format!("c{n}")}))
            .unwrap();
        let arn = ch["Arn"].as_str().unwrap();
        assert!(is_uuid4_hex(internal_of(arn)), "{arn}");
        for e in ch["HlsIngest"]["IngestEndpoints"].as_array().unwrap() {
            let id = e["Id"].as_str().unwrap();
            assert!(is_uuid4_hex(id), "{id}");
        }
        let ep = s
            .handle(
                &c,
                "CreateOriginEndpoint",
                json!({"ChannelId": format!("c{n}"), "Id": format!("e{n}"), "HlsPackage": {}}),
            )
            .unwrap();
        let arn = ep["Arn"].as_str().unwrap();
        assert!(is_uuid4_hex(internal_of(arn)), "{arn}");
    }
}
