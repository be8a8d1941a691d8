//! Unit tests of the v2 service through its handlers and the authorization engine.

use super::*;
use serde_json::json;
use service::{Access, Principal};
use std::time::Duration;

fn svc() -> Arc<MediaPackageV2> {
    MediaPackageV2::new(Arc::new(Runtime::for_tests()))
}

fn ctx(account: &str) -> RequestContext {
    let mut c = RequestContext::new("r", Arc::new(Principal::root(account, "k")), "us-east-1");
    c.host = Some("127.0.0.1:9".into());
    c
}

fn call(
    s: &MediaPackageV2,
    c: &RequestContext,
    op: &str,
    input: Value,
) -> Result<Value, ServiceError> {
    s.handle(c, op, input)
}

fn accesses(s: &MediaPackageV2, c: &RequestContext, op: &str, input: Value) -> Vec<Access> {
    match authz::authorize(s, c, op, &input).unwrap() {
        authz::Authorization::Required(a) => a,
        other => panic!("{other:?}"),
    }
}

fn setup(s: &MediaPackageV2, c: &RequestContext) {
    call(
        s,
        c,
        "CreateChannelGroup",
        json!({"ChannelGroupName": "g", "Tags": {"team": "a"}}),
    )
    .unwrap();
    call(
        s,
        c,
        "CreateChannel",
        json!({"ChannelGroupName": "g", "ChannelName": "c", "InputType": "CMAF"}),
    )
    .unwrap();
    call(
        s,
        c,
        "CreateOriginEndpoint",
        json!({"ChannelGroupName": "g", "ChannelName": "c",
        "OriginEndpointName": "e", "ContainerType": "CMAF",
        "HlsManifests": [{"ManifestName": "index"}], "DashManifests": [{"ManifestName": "dash"}]}),
    )
    .unwrap();
}

/// CreateHarvestJob's input for job `name` of endpoint g/c/e, harvesting its `index` HLS
/// manifest from `start` to `end` into s3://bucket/p/.
fn harvest_request(name: &str, start: f64, end: f64) -> Value {
    json!({"ChannelGroupName": "g", "ChannelName": "c", "OriginEndpointName": "e",
        "HarvestJobName": name,
        "HarvestedManifests": {"HlsManifests": [{"ManifestName": "index"}]},
        "ScheduleConfiguration": {"StartTime": start, "EndTime": end},
        "Destination": {"S3Destination": {"BucketName": "bucket", "DestinationPath": "p/"}}})
}

#[test]
fn the_operation_list_matches_the_model() {
    kit::check_against_model::<MediaPackageV2>().unwrap();
}

#[test]
fn lifecycle_of_groups_channels_endpoints() {
    let s = svc();
    let c = ctx("111111111111");
    setup(&s, &c);
    let e = call(
        &s,
        &c,
        "GetOriginEndpoint",
        json!({"ChannelGroupName": "g", "ChannelName": "c", "OriginEndpointName": "e"}),
    )
    .unwrap();
    assert_eq!(e["Segment"]["SegmentDurationSeconds"], 6);
    assert_eq!(
        e["HlsManifests"][0]["Url"],
        "http://127.0.0.1:9/out/v1/111111111111/us-east-1/g/c/e/index.m3u8"
    );
    assert_eq!(
        e["DashManifests"][0]["Url"],
        "http://127.0.0.1:9/out/v1/111111111111/us-east-1/g/c/e/dash.mpd"
    );
    let ch = call(
        &s,
        &c,
        "GetChannel",
        json!({"ChannelGroupName": "g", "ChannelName": "c"}),
    )
    .unwrap();
    assert_eq!(ch["IngestEndpoints"].as_array().unwrap().len(), 2);
    // A CMAF input's URL ends in `/`, where the encoder puts its streams (AWS's MediaLive User
    // Guide: `…/in/v1/curling-channel-group/1/curling-channel/`); an HLS input's in `/index`.
    assert_eq!(
        ch["IngestEndpoints"][1]["Url"],
        "http://127.0.0.1:9/in/v1/111111111111/us-east-1/g/2/c/"
    );
    let hls = call(
        &s,
        &c,
        "CreateChannel",
        json!({"ChannelGroupName": "g", "ChannelName": "h"}),
    )
    .unwrap();
    assert_eq!(
        hls["IngestEndpoints"][0]["Url"],
        "http://127.0.0.1:9/in/v1/111111111111/us-east-1/g/1/h/index"
    );
    call(
        &s,
        &c,
        "DeleteChannel",
        json!({"ChannelGroupName": "g", "ChannelName": "h"}),
    )
    .unwrap();
    // Duplicates, missing parents, in-use deletes.
    let err = call(
        &s,
        &c,
        "CreateChannelGroup",
        json!({"ChannelGroupName": "g"}),
    )
    .unwrap_err();
    assert_eq!(err.code, "ConflictException");
    assert_eq!(
        err.fields["ConflictExceptionType"],
        "RESOURCE_ALREADY_EXISTS"
    );
    let err = call(
        &s,
        &c,
        "CreateChannel",
        json!({"ChannelGroupName": "nope", "ChannelName": "c"}),
    )
    .unwrap_err();
    assert_eq!(err.code, "ResourceNotFoundException");
    assert_eq!(err.fields["ResourceTypeNotFound"], "CHANNEL_GROUP");
    let err = call(
        &s,
        &c,
        "DeleteChannel",
        json!({"ChannelGroupName": "g", "ChannelName": "c"}),
    )
    .unwrap_err();
    assert_eq!(err.fields["ConflictExceptionType"], "RESOURCE_IN_USE");
    // Another account sees nothing.
    let other = ctx("222222222222");
    let err = call(
        &s,
        &other,
        "GetChannelGroup",
        json!({"ChannelGroupName": "g"}),
    )
    .unwrap_err();
    assert_eq!(err.code, "ResourceNotFoundException");
    // Listing, then teardown.
    let l = call(
        &s,
        &c,
        "ListOriginEndpoints",
        json!({"ChannelGroupName": "g", "ChannelName": "c"}),
    )
    .unwrap();
    assert_eq!(l["Items"][0]["OriginEndpointName"], "e");
    call(
        &s,
        &c,
        "DeleteOriginEndpoint",
        json!({"ChannelGroupName": "g", "ChannelName": "c", "OriginEndpointName": "e"}),
    )
    .unwrap();
    call(
        &s,
        &c,
        "DeleteChannel",
        json!({"ChannelGroupName": "g", "ChannelName": "c"}),
    )
    .unwrap();
    call(
        &s,
        &c,
        "DeleteChannelGroup",
        json!({"ChannelGroupName": "g"}),
    )
    .unwrap();
    assert!(
        call(&s, &c, "ListChannelGroups", json!({})).unwrap()["Items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn endpoint_rules_and_etags() {
    let s = svc();
    let c = ctx("111111111111");
    setup(&s, &c);
    let base = json!({"ChannelGroupName": "g", "ChannelName": "c", "OriginEndpointName": "x"});
    let with = |extra: Value| {
        let mut v = base.clone();
        v.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        v
    };
    let kind =
        |r: Result<Value, ServiceError>| r.unwrap_err().fields["ValidationExceptionType"].clone();
    assert_eq!(
        kind(call(
            &s,
            &c,
            "CreateOriginEndpoint",
            with(json!({"ContainerType": "TS", "DashManifests": [{"ManifestName": "d"}]}))
        )),
        "TS_CONTAINER_TYPE_WITH_DASH_MANIFEST"
    );
    assert_eq!(
        kind(call(
            &s,
            &c,
            "CreateOriginEndpoint",
            with(json!({"ContainerType": "CMAF",
        "HlsManifests": [{"ManifestName": "a"}], "DashManifests": [{"ManifestName": "a"}]}))
        )),
        "MANIFEST_NAME_COLLISION"
    );
    let e = call(
        &s,
        &c,
        "GetOriginEndpoint",
        json!({"ChannelGroupName": "g", "ChannelName": "c", "OriginEndpointName": "e"}),
    )
    .unwrap();
    let etag = e["ETag"].as_str().unwrap().to_string();
    let upd = |etag: &str, container: &str| {
        call(
            &s,
            &c,
            "UpdateOriginEndpoint",
            json!({"ChannelGroupName": "g",
        "ChannelName": "c", "OriginEndpointName": "e", "ContainerType": container, "ETag": etag,
        "HlsManifests": [{"ManifestName": "index"}]}),
        )
    };
    assert_eq!(kind(upd(&etag, "TS")), "CONTAINER_TYPE_IMMUTABLE");
    let err = upd("stale", "CMAF").unwrap_err();
    assert_eq!(err.fields["ConflictExceptionType"], "CONFLICTING_OPERATION");
    let out = upd(&etag, "CMAF").unwrap();
    assert_ne!(out["ETag"], json!(etag));
    assert!(out.get("DashManifests").is_none());
}

#[test]
fn idempotent_creates_replay_and_refuse_other_parameters() {
    let s = svc();
    let c = ctx("111111111111");
    let first = call(
        &s,
        &c,
        "CreateChannelGroup",
        json!({"ChannelGroupName": "g", "ClientToken": "t"}),
    )
    .unwrap();
    let again = call(
        &s,
        &c,
        "CreateChannelGroup",
        json!({"ChannelGroupName": "g", "ClientToken": "t"}),
    )
    .unwrap();
    assert_eq!(first, again);
    let err = call(
        &s,
        &c,
        "CreateChannelGroup",
        json!({"ChannelGroupName": "h", "ClientToken": "t"}),
    )
    .unwrap_err();
    assert_eq!(
        err.fields["ConflictExceptionType"],
        "IDEMPOTENT_PARAMETER_MISMATCH"
    );
}

#[test]
fn harvest_jobs_complete_and_cancel() {
    let s = svc();
    let c = ctx("111111111111");
    setup(&s, &c);
    let job = |name: &str, manifest: &str| {
        call(&s, &c, "CreateHarvestJob", {
            let mut r = harvest_request(name, 1000.0, 1600.0);
            r["HarvestedManifests"] = json!({"HlsManifests": [{"ManifestName": manifest}]});
            r
        })
    };
    let err = job("j0", "missing").unwrap_err();
    assert_eq!(
        err.fields["ValidationExceptionType"],
        "HARVESTED_MANIFEST_NOT_FOUND_ON_ENDPOINT"
    );
    let out = job("j1", "index").unwrap();
    // The test runtime's clock settles lifecycles at once.
    assert_eq!(out["Status"], "COMPLETED");
    let err = call(
        &s,
        &c,
        "CancelHarvestJob",
        json!({"ChannelGroupName": "g", "ChannelName": "c",
        "OriginEndpointName": "e", "HarvestJobName": "j1"}),
    )
    .unwrap_err();
    assert_eq!(
        err.fields["ValidationExceptionType"],
        "HARVEST_JOB_INELIGIBLE_FOR_CANCELLATION"
    );
    let listed = call(
        &s,
        &c,
        "ListHarvestJobs",
        json!({"ChannelGroupName": "g", "Status": "COMPLETED"}),
    )
    .unwrap();
    assert_eq!(listed["Items"].as_array().unwrap().len(), 1);
    let none = call(
        &s,
        &c,
        "ListHarvestJobs",
        json!({"ChannelGroupName": "g", "Status": "QUEUED"}),
    )
    .unwrap();
    assert!(none["Items"].as_array().unwrap().is_empty());
}

#[test]
fn policies_are_validated_stored_and_attached_to_accesses() {
    let s = svc();
    let c = ctx("111111111111");
    setup(&s, &c);
    let arn =
        "arn:aws:mediapackagev2:us-east-1:111111111111:channelGroup/g/channel/c/originEndpoint/e";
    let doc = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":"*","Action":"mediapackagev2:GetObject","Resource":"{arn}"}}]}}"#
    );
    let names = json!({"ChannelGroupName": "g", "ChannelName": "c", "OriginEndpointName": "e"});
    let mut put = names.clone();
    put["Policy"] = json!("{not json");
    let err = call(&s, &c, "PutOriginEndpointPolicy", put.clone()).unwrap_err();
    assert_eq!(err.fields["ValidationExceptionType"], "INVALID_POLICY");
    put["Policy"] = json!(doc);
    call(&s, &c, "PutOriginEndpointPolicy", put).unwrap();
    let got = call(&s, &c, "GetOriginEndpointPolicy", names.clone()).unwrap();
    assert_eq!(got["Policy"], json!(doc));
    // Egress is authorized on the endpoint, with its policy attached.
    let anon = RequestContext::new("r", Principal::anonymous(), "us-east-1");
    let req = egress::route("GET", "/out/v1/111111111111/us-east-1/g/c/e/index.m3u8").unwrap();
    let a = accesses(&s, &anon, req.action, req.input.clone());
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].action, "mediapackagev2:GetObject");
    assert_eq!(a[0].resource, arn);
    assert_eq!(a[0].resource_policy.as_ref().unwrap().text(), doc);
    let served = s.serve_object(&anon, &req).unwrap();
    assert_eq!(served.status, 200);
    assert!(String::from_utf8(served.body)
        .unwrap()
        .starts_with("#EXTM3U"));
    call(&s, &c, "DeleteOriginEndpointPolicy", names.clone()).unwrap();
    let err = call(&s, &c, "GetOriginEndpointPolicy", names).unwrap_err();
    assert_eq!(err.code, "ResourceNotFoundException");
}

#[test]
fn control_plane_accesses_name_the_most_specific_resource_with_its_tags() {
    let s = svc();
    let c = ctx("111111111111");
    setup(&s, &c);
    let a = accesses(&s, &c, "GetChannelGroup", json!({"ChannelGroupName": "g"}));
    assert_eq!(a.len(), 1);
    assert_eq!(
        a[0].resource,
        "arn:aws:mediapackagev2:us-east-1:111111111111:channelGroup/g"
    );
    assert!(a[0].context.contains(&(
        "aws:ResourceTag/team".into(),
        service::ContextValue::String("a".into())
    )));
    let a = accesses(
        &s,
        &c,
        "GetOriginEndpoint",
        json!({"ChannelGroupName": "g", "ChannelName": "c", "OriginEndpointName": "e"}),
    );
    assert_eq!(a.len(), 1);
    assert!(a[0]
        .resource
        .ends_with("channelGroup/g/channel/c/originEndpoint/e"));
    let a = accesses(&s, &c, "ListChannelGroups", json!({}));
    assert_eq!(a[0].resource, "*");
    let a = accesses(
        &s,
        &c,
        "CreateChannel",
        json!({"ChannelGroupName": "g", "ChannelName": "n", "Tags": {"k": "v"}}),
    );
    assert_eq!(a.len(), 1);
    assert!(a[0].resource.ends_with("channelGroup/g/channel/n"));
    assert!(a[0].context.contains(&(
        "aws:TagKeys".into(),
        service::ContextValue::Strings(vec!["k".into()])
    )));
    let a = accesses(
        &s,
        &c,
        "TagResource",
        json!({"ResourceArn": "arn:aws:mediapackagev2:us-east-1:111111111111:channelGroup/g/channel/c", "Tags": {"k": "v"}}),
    );
    assert_eq!(a.len(), 1);
    assert!(a[0].resource.ends_with("channelGroup/g/channel/c"));
}

#[test]
fn the_journal_replays_into_the_same_state() {
    let s = svc();
    let c = ctx("111111111111");
    setup(&s, &c);
    let replica = svc();
    for (_, r) in c.journal.take() {
        replica.restore(&r).unwrap();
    }
    assert_eq!(replica.records(), s.records());
}

#[test]
fn dash_settings_round_trip_and_dvb_needs_its_profile() {
    let s = svc();
    let c = ctx("111111111111");
    setup(&s, &c);
    let dash = json!({"ManifestName": "d2", "Profiles": ["DVB_DASH"], "BandwidthReportingMode": "MAX",
        "BaseUrls": [{"Url": "https://cdn.example.com/", "DvbPriority": 1}],
        "ProgramInformation": {"Title": "t", "LanguageCode": "en"},
        "SubtitleConfiguration": {"TtmlConfiguration": {"TtmlProfile": "IMSC_1"}}});
    let out = call(
        &s,
        &c,
        "CreateOriginEndpoint",
        json!({"ChannelGroupName": "g", "ChannelName": "c",
        "OriginEndpointName": "x", "ContainerType": "CMAF", "DashManifests": [dash]}),
    )
    .unwrap();
    let got = &out["DashManifests"][0];
    assert_eq!(got["BandwidthReportingMode"], "MAX");
    assert_eq!(got["BaseUrls"][0]["DvbPriority"], 1);
    assert_eq!(got["ProgramInformation"]["LanguageCode"], "en");
    assert_eq!(
        got["SubtitleConfiguration"]["TtmlConfiguration"]["TtmlProfile"],
        "IMSC_1"
    );
    let err = call(
        &s,
        &c,
        "CreateOriginEndpoint",
        json!({"ChannelGroupName": "g", "ChannelName": "c",
        "OriginEndpointName": "y", "ContainerType": "CMAF",
        "DashManifests": [{"ManifestName": "d", "DvbSettings": {}}]}),
    )
    .unwrap_err();
    assert_eq!(
        err.fields["ValidationExceptionType"],
        "DASH_DVB_ATTRIBUTES_WITHOUT_DVB_DASH_PROFILE"
    );
}

#[test]
fn speke_and_cdn_roles_are_passed_to_the_service() {
    let s = svc();
    let c = ctx("111111111111");
    setup(&s, &c);
    let role = "arn:aws:iam::111111111111:role/speke";
    let a = accesses(
        &s,
        &c,
        "CreateOriginEndpoint",
        json!({"ChannelGroupName": "g", "ChannelName": "c",
        "OriginEndpointName": "enc", "ContainerType": "CMAF",
        "Segment": {"Encryption": {"EncryptionMethod": {"CmafEncryptionMethod": "CBCS"},
            "SpekeKeyProvider": {"EncryptionContractConfiguration": {"PresetSpeke20Audio": "SHARED", "PresetSpeke20Video": "SHARED"},
                "ResourceId": "r", "DrmSystems": ["FAIRPLAY"], "RoleArn": role, "Url": "https://speke.example.com"}}}}),
    );
    let pass = a
        .iter()
        .find(|x| x.action == "iam:PassRole")
        .expect("PassRole");
    assert_eq!(pass.resource, role);
    assert_eq!(
        pass.context,
        vec![(
            "iam:PassedToService".into(),
            service::ContextValue::String("mediapackagev2.amazonaws.com".into())
        )]
    );
}

#[test]
fn client_tokens_survive_a_replay_of_the_journal() {
    let s = svc();
    let c = ctx("111111111111");
    let first = call(
        &s,
        &c,
        "CreateChannelGroup",
        json!({"ChannelGroupName": "g", "ClientToken": "t"}),
    )
    .unwrap();
    let replica = svc();
    for (_, r) in c.journal.take() {
        replica.restore(&r).unwrap();
    }
    let again = call(
        &replica,
        &c,
        "CreateChannelGroup",
        json!({"ChannelGroupName": "g", "ClientToken": "t"}),
    )
    .unwrap();
    assert_eq!(first, again);
}

/// A service whose configuration lowers v2 quota `name` to `value`.
fn svc_with(name: &str, value: u64) -> Arc<MediaPackageV2> {
    let mut rt = Runtime::for_tests();
    rt.quotas
        .entry("mediapackagev2".into())
        .or_default()
        .insert(name.into(), value);
    MediaPackageV2::new(Arc::new(rt))
}

#[test]
fn quotas_are_enforced_per_scope_as_configured() {
    let s = svc_with("ChannelGroups", 1);
    let c = ctx("111111111111");
    call(
        &s,
        &c,
        "CreateChannelGroup",
        json!({"ChannelGroupName": "a"}),
    )
    .unwrap();
    let e = call(
        &s,
        &c,
        "CreateChannelGroup",
        json!({"ChannelGroupName": "b"}),
    )
    .unwrap_err();
    assert_eq!(e.code, "ServiceQuotaExceededException");
    assert_eq!(
        e.message,
        "You've reached the limit for this resource. Quota: ChannelGroups, limit: 1"
    );
    call(
        &s,
        &ctx("222222222222"),
        "CreateChannelGroup",
        json!({"ChannelGroupName": "b"}),
    )
    .unwrap();

    let s = svc_with("ChannelsPerChannelGroup", 1);
    setup(&s, &c);
    let e = call(
        &s,
        &c,
        "CreateChannel",
        json!({"ChannelGroupName": "g", "ChannelName": "d"}),
    )
    .unwrap_err();
    assert!(
        e.message.ends_with("ChannelsPerChannelGroup, limit: 1"),
        "{e}"
    );
    call(
        &s,
        &c,
        "CreateChannelGroup",
        json!({"ChannelGroupName": "h"}),
    )
    .unwrap();
    call(
        &s,
        &c,
        "CreateChannel",
        json!({"ChannelGroupName": "h", "ChannelName": "d"}),
    )
    .unwrap();

    let s = svc_with("OriginEndpointsPerChannel", 1);
    setup(&s, &c);
    let e = call(
        &s,
        &c,
        "CreateOriginEndpoint",
        json!({"ChannelGroupName": "g", "ChannelName": "c",
        "OriginEndpointName": "e2", "ContainerType": "TS"}),
    )
    .unwrap_err();
    assert_eq!(e.code, "ServiceQuotaExceededException");
    assert!(
        e.message.ends_with("OriginEndpointsPerChannel, limit: 1"),
        "{e}"
    );
}

#[test]
fn harvest_job_and_manifest_quotas() {
    let mut rt = Runtime::new(service::Transitions::Manual, Some(7), [7; 32]);
    for (name, value) in [
        ("ActiveHarvestJobsPerChannelGroup", 1),
        ("ManifestsPerOriginEndpoint", 2),
    ] {
        rt.quotas
            .entry("mediapackagev2".into())
            .or_default()
            .insert(name.into(), value);
    }
    let s = MediaPackageV2::new(Arc::new(rt));
    let c = ctx("111111111111");
    setup(&s, &c);
    let job = |name: &str| {
        call(
            &s,
            &c,
            "CreateHarvestJob",
            harvest_request(name, 1000.0, 1600.0),
        )
    };
    assert_eq!(job("j1").unwrap()["Status"], "QUEUED");
    let e = job("j2").unwrap_err();
    assert_eq!(e.code, "ServiceQuotaExceededException");
    assert_eq!(
        e.message,
        "You've reached the limit for this resource. Quota: ActiveHarvestJobsPerChannelGroup, limit: 1"
    );
    // A cancelled job is no longer active.
    call(
        &s,
        &c,
        "CancelHarvestJob",
        json!({"ChannelGroupName": "g", "ChannelName": "c",
        "OriginEndpointName": "e", "HarvestJobName": "j1"}),
    )
    .unwrap();
    job("j2").unwrap();

    // The setup's endpoint has 2 manifests: a third is refused on create and on update.
    let three = json!({"ChannelGroupName": "g", "ChannelName": "c",
        "OriginEndpointName": "e2", "ContainerType": "CMAF",
        "HlsManifests": [{"ManifestName": "a"}, {"ManifestName": "b"}],
        "DashManifests": [{"ManifestName": "d"}]});
    let e = call(&s, &c, "CreateOriginEndpoint", three.clone()).unwrap_err();
    assert!(
        e.message
            .ends_with("Quota: ManifestsPerOriginEndpoint, limit: 2"),
        "{e}"
    );
    let mut update = three;
    update["OriginEndpointName"] = json!("e");
    let e = call(&s, &c, "UpdateOriginEndpoint", update).unwrap_err();
    assert_eq!(e.code, "ServiceQuotaExceededException");
}

/// GetOriginEndpoint's body as the server makes it (rendered whole, kept), checked byte for
/// byte against the value path's; `Err` with the error code when both fail alike.
fn got_endpoint(s: &MediaPackageV2, c: &RequestContext) -> Result<String, String> {
    let input = json!({"ChannelGroupName": "g", "ChannelName": "c", "OriginEndpointName": "e"});
    kit::rendered_as_plain(s, c, "GetOriginEndpoint", input, |o| o.body.is_some())
}

#[test]
fn a_rendered_endpoint_is_the_value_byte_for_byte_and_follows_every_change() {
    let s = svc();
    let c = ctx("111111111111");
    assert_eq!(
        got_endpoint(&s, &c),
        Err("ResourceNotFoundException".into())
    );
    setup(&s, &c);
    let first = got_endpoint(&s, &c).unwrap();
    assert!(first.contains("http://127.0.0.1:9/out/v1/"), "{first}");
    assert_eq!(got_endpoint(&s, &c).unwrap(), first);
    // The same endpoint asked for through another host names that host.
    let mut elsewhere = ctx("111111111111");
    elsewhere.host = Some("media.example:4566".into());
    let there = got_endpoint(&s, &elsewhere).unwrap();
    assert!(
        there.contains("http://media.example:4566/out/v1/"),
        "{there}"
    );
    assert_eq!(got_endpoint(&s, &c).unwrap(), first);
    // Another account sees nothing of it.
    assert_eq!(
        got_endpoint(&s, &ctx("222222222222")),
        Err("ResourceNotFoundException".into())
    );
    // Every change shows at once.
    let arn =
        "arn:aws:mediapackagev2:us-east-1:111111111111:channelGroup/g/channel/c/originEndpoint/e";
    call(
        &s,
        &c,
        "TagResource",
        json!({"ResourceArn": arn, "Tags": {"stage": "blue"}}),
    )
    .unwrap();
    let tagged = got_endpoint(&s, &c).unwrap();
    assert!(tagged.contains(r#""stage":"blue""#), "{tagged}");
    call(
        &s,
        &c,
        "UpdateOriginEndpoint",
        json!({"ChannelGroupName": "g", "ChannelName": "c", "OriginEndpointName": "e",
        "ContainerType": "CMAF", "Description": "second",
        "HlsManifests": [{"ManifestName": "other"}]}),
    )
    .unwrap();
    let updated = got_endpoint(&s, &c).unwrap();
    assert!(
        updated.contains("other.m3u8") && !updated.contains("index.m3u8"),
        "{updated}"
    );
    call(
        &s,
        &c,
        "DeleteOriginEndpoint",
        json!({"ChannelGroupName": "g", "ChannelName": "c", "OriginEndpointName": "e"}),
    )
    .unwrap();
    assert_eq!(
        got_endpoint(&s, &c),
        Err("ResourceNotFoundException".into())
    );
}

/// The `ValidationExceptionType` of a refused call, or "ok".
fn verdict(r: Result<Value, ServiceError>) -> String {
    match r {
        Ok(_) => "ok".into(),
        Err(e) => {
            assert_eq!(e.code, "ValidationException", "{e}");
            e.fields["ValidationExceptionType"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        }
    }
}

/// CreateOriginEndpoint "x" on the setup's channel with `extra` members.
fn create_x(s: &MediaPackageV2, c: &RequestContext, extra: Value) -> Result<Value, ServiceError> {
    let mut input = json!({"ChannelGroupName": "g", "ChannelName": "c", "OriginEndpointName": "x"});
    input
        .as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    let out = call(s, c, "CreateOriginEndpoint", input);
    if out.is_ok() {
        call(
            s,
            c,
            "DeleteOriginEndpoint",
            json!({"ChannelGroupName": "g", "ChannelName": "c", "OriginEndpointName": "x"}),
        )
        .unwrap();
    }
    out
}

/// An encrypted endpoint's members: `container` with `method`, SPEKE `drm` systems, presets
/// `audio`/`video`, key provider `url` and `role`.
fn encrypted(
    container: &str,
    method: &str,
    drm: &[&str],
    (audio, video): (&str, &str),
    url: &str,
    role: &str,
) -> Value {
    let method_member = match container {
        "TS" => "TsEncryptionMethod",
        "CMAF" => "CmafEncryptionMethod",
        _ => "IsmEncryptionMethod",
    };
    let manifests = if container == "ISM" {
        json!({"MssManifests": [{"ManifestName": "m"}]})
    } else {
        json!({"HlsManifests": [{"ManifestName": "m"}]})
    };
    let mut v = json!({"ContainerType": container,
        "Segment": {"Encryption": {"EncryptionMethod": {method_member: method},
            "SpekeKeyProvider": {"EncryptionContractConfiguration":
                {"PresetSpeke20Audio": audio, "PresetSpeke20Video": video},
                "ResourceId": "r", "DrmSystems": drm, "RoleArn": role, "Url": url}}}});
    v.as_object_mut()
        .unwrap()
        .extend(manifests.as_object().unwrap().clone());
    v
}

const ROLE: &str = "arn:aws:iam::111111111111:role/SpekeAccess";
const URL: &str = "https://speke.example.com/copyProtection";
const SHARED: (&str, &str) = ("SHARED", "SHARED");

#[test]
fn drm_systems_must_support_the_container_and_encryption_method() {
    let s = svc();
    let c = ctx("111111111111");
    setup(&s, &c);
    let try_ = |container: &str, method: &str, drm: &[&str]| {
        verdict(create_x(
            &s,
            &c,
            encrypted(container, method, drm, SHARED, URL, ROLE),
        ))
    };
    const BAD: &str = "DRM_SYSTEMS_ENCRYPTION_METHOD_INCOMPATIBLE";
    // TS: FairPlay with SAMPLE-AES, ClearKey with AES-128, nothing else.
    assert_eq!(try_("TS", "SAMPLE_AES", &["FAIRPLAY"]), "ok");
    assert_eq!(try_("TS", "AES_128", &["CLEAR_KEY_AES_128"]), "ok");
    assert_eq!(try_("TS", "AES_128", &["FAIRPLAY"]), BAD);
    assert_eq!(try_("TS", "SAMPLE_AES", &["CLEAR_KEY_AES_128"]), BAD);
    for drm in ["WIDEVINE", "PLAYREADY", "IRDETO"] {
        assert_eq!(try_("TS", "SAMPLE_AES", &[drm]), BAD, "{drm}");
        assert_eq!(try_("TS", "AES_128", &[drm]), BAD, "{drm}");
    }
    // CMAF: FairPlay cbcs; Widevine and PlayReady cbcs and cenc; Irdeto cenc; no ClearKey.
    assert_eq!(
        try_("CMAF", "CBCS", &["FAIRPLAY", "WIDEVINE", "PLAYREADY"]),
        "ok"
    );
    assert_eq!(
        try_("CMAF", "CENC", &["WIDEVINE", "PLAYREADY", "IRDETO"]),
        "ok"
    );
    assert_eq!(try_("CMAF", "CENC", &["WIDEVINE", "FAIRPLAY"]), BAD);
    assert_eq!(try_("CMAF", "CBCS", &["IRDETO"]), BAD);
    assert_eq!(try_("CMAF", "CBCS", &["CLEAR_KEY_AES_128"]), BAD);
    assert_eq!(try_("CMAF", "CENC", &["CLEAR_KEY_AES_128"]), BAD);
    let err = create_x(
        &s,
        &c,
        encrypted("CMAF", "CENC", &["FAIRPLAY"], SHARED, URL, ROLE),
    )
    .unwrap_err();
    assert_eq!(
        err.message,
        "The Apple FairPlay DRM system doesn't support the CENC encryption method with the CMAF container type"
    );
}

#[test]
fn speke_presets_combine_as_aws_documents() {
    let s = svc();
    let c = ctx("111111111111");
    setup(&s, &c);
    let try_ = |presets: (&str, &str)| {
        verdict(create_x(
            &s,
            &c,
            encrypted("CMAF", "CBCS", &["WIDEVINE"], presets, URL, ROLE),
        ))
    };
    for (presets, answer) in [
        (("SHARED", "SHARED"), "ok"),
        (("PRESET_AUDIO_1", "PRESET_VIDEO_3"), "ok"),
        (("UNENCRYPTED", "PRESET_VIDEO_1"), "ok"),
        (("PRESET_AUDIO_2", "UNENCRYPTED"), "ok"),
        (
            ("UNENCRYPTED", "UNENCRYPTED"),
            "ENCRYPTION_CONTRACT_UNENCRYPTED",
        ),
        (("UNENCRYPTED", "SHARED"), "ENCRYPTION_CONTRACT_UNENCRYPTED"),
        (("SHARED", "UNENCRYPTED"), "ENCRYPTION_CONTRACT_UNENCRYPTED"),
        (("SHARED", "PRESET_VIDEO_1"), "ENCRYPTION_CONTRACT_SHARED"),
        (("PRESET_AUDIO_1", "SHARED"), "ENCRYPTION_CONTRACT_SHARED"),
    ] {
        assert_eq!(try_(presets), answer, "{presets:?}");
    }
}

#[test]
fn speke_key_provider_url_and_role_arn_are_checked() {
    let s = svc();
    let c = ctx("111111111111");
    setup(&s, &c);
    let try_ = |url: &str, role: &str| {
        verdict(create_x(
            &s,
            &c,
            encrypted("CMAF", "CBCS", &["WIDEVINE"], SHARED, url, role),
        ))
    };
    assert_eq!(try_(URL, ROLE), "ok");
    assert_eq!(try_("http://speke.example.com/x", ROLE), "URL_SCHEME");
    assert_eq!(
        try_("https://me:secret@speke.example.com/x", ROLE),
        "URL_USER_INFO"
    );
    assert_eq!(
        try_("https://169.254.169.254/latest/meta-data", ROLE),
        "URL_LINK_LOCAL_ADDRESS"
    );
    assert_eq!(
        try_("https://127.0.0.1/speke", ROLE),
        "URL_LOOPBACK_ADDRESS"
    );
    assert_eq!(
        try_("https://224.1.2.3/speke", ROLE),
        "URL_MULTICAST_ADDRESS"
    );
    for role in [
        "SpekeAccess",
        "arn:aws:iam::111111111111:user/SpekeAccess",
        "arn:aws:iam::1111:role/SpekeAccess",
        "arn:aws:s3:::bucket",
    ] {
        assert_eq!(try_(URL, role), "ROLE_ARN_INVALID_FORMAT", "{role}");
    }
    // The same rules hold on update.
    let mut update = encrypted("CMAF", "CBCS", &["WIDEVINE"], SHARED, "http://k", ROLE);
    let m = update.as_object_mut().unwrap();
    for (k, v) in [
        ("ChannelGroupName", "g"),
        ("ChannelName", "c"),
        ("OriginEndpointName", "e"),
    ] {
        m.insert(k.into(), json!(v));
    }
    assert_eq!(
        verdict(call(&s, &c, "UpdateOriginEndpoint", update)),
        "URL_SCHEME"
    );
}

#[test]
fn encryption_combinations_aws_flags_are_refused() {
    let s = svc();
    let c = ctx("111111111111");
    setup(&s, &c);
    // CENC with a constant IV; CBCS may have one.
    let mut cenc = encrypted("CMAF", "CENC", &["WIDEVINE"], SHARED, URL, ROLE);
    cenc["Segment"]["Encryption"]["ConstantInitializationVector"] =
        json!("0123456789abcdef0123456789abcdef");
    assert_eq!(verdict(create_x(&s, &c, cenc)), "CENC_IV_INCOMPATIBLE");
    let mut cbcs = encrypted("CMAF", "CBCS", &["WIDEVINE"], SHARED, URL, ROLE);
    cbcs["Segment"]["Encryption"]["ConstantInitializationVector"] =
        json!("0123456789abcdef0123456789abcdef");
    assert_eq!(verdict(create_x(&s, &c, cbcs)), "ok");
    // TS with separate audio and video keys needs the audio rendition group.
    let ts = |presets: (&str, &str), group: Option<bool>| {
        let mut v = encrypted("TS", "SAMPLE_AES", &["FAIRPLAY"], presets, URL, ROLE);
        if let Some(g) = group {
            v["Segment"]["TsUseAudioRenditionGroup"] = json!(g);
        }
        verdict(create_x(&s, &c, v))
    };
    const NO_GROUP: &str = "ENCRYPTION_CONTRACT_WITHOUT_AUDIO_RENDITION_INCOMPATIBLE";
    assert_eq!(
        ts(("PRESET_AUDIO_1", "PRESET_VIDEO_1"), Some(false)),
        NO_GROUP
    );
    assert_eq!(ts(("UNENCRYPTED", "PRESET_VIDEO_1"), Some(false)), NO_GROUP);
    assert_eq!(ts(("PRESET_AUDIO_1", "PRESET_VIDEO_1"), Some(true)), "ok");
    assert_eq!(ts(("PRESET_AUDIO_1", "PRESET_VIDEO_1"), None), "ok");
    assert_eq!(ts(SHARED, Some(false)), "ok");
    // DrmSignaling only on encrypted segments.
    let dash = json!([{"ManifestName": "d", "DrmSignaling": "REFERENCED"}]);
    assert_eq!(
        verdict(create_x(
            &s,
            &c,
            json!({"ContainerType": "CMAF", "DashManifests": dash.clone()})
        )),
        "DRM_SIGNALING_MISMATCH_SEGMENT_ENCRYPTION_STATUS"
    );
    let mut signaled = encrypted("CMAF", "CENC", &["WIDEVINE"], SHARED, URL, ROLE);
    signaled["DashManifests"] = dash;
    assert_eq!(verdict(create_x(&s, &c, signaled)), "ok");
}

#[test]
fn content_key_period_timing_needs_speke_v2_1_and_key_rotation() {
    let s = svc();
    let c = ctx("111111111111");
    setup(&s, &c);
    let try_ = |timing: &str, version: Option<&str>, rotation: Option<i64>| {
        let mut v = encrypted("CMAF", "CBCS", &["WIDEVINE"], SHARED, URL, ROLE);
        let e = &mut v["Segment"]["Encryption"];
        e["SpekeKeyProvider"]["ContentKeyPeriodConfiguration"] =
            json!({"ContentKeyPeriodTiming": timing});
        if let Some(version) = version {
            e["SpekeKeyProvider"]["SpekeVersion"] = json!(version);
        }
        if let Some(r) = rotation {
            e["KeyRotationIntervalSeconds"] = json!(r);
        }
        verdict(create_x(&s, &c, v))
    };
    const V21: &str = "CONTENT_KEY_PERIOD_TIMING_REQUIRES_SPEKE_V2_1";
    const ROTATION: &str = "CONTENT_KEY_PERIOD_TIMING_WITHOUT_KEY_ROTATION";
    for timing in ["START_END_ONLY", "INDEX_WITH_START_END"] {
        assert_eq!(try_(timing, Some("V2_1"), Some(300)), "ok", "{timing}");
        // V2_0 is the default version.
        assert_eq!(try_(timing, None, Some(300)), V21, "{timing}");
        assert_eq!(try_(timing, Some("V2_0"), Some(300)), V21, "{timing}");
        assert_eq!(try_(timing, Some("V2_1"), None), ROTATION, "{timing}");
    }
    // INDEX_ONLY goes with either version, with or without rotation.
    assert_eq!(try_("INDEX_ONLY", None, None), "ok");
    assert_eq!(try_("INDEX_ONLY", Some("V2_1"), Some(600)), "ok");
    // The same rule holds on update, and the endpoint is kept as it was.
    let before = call(
        &s,
        &c,
        "GetOriginEndpoint",
        json!({"ChannelGroupName": "g", "ChannelName": "c", "OriginEndpointName": "e"}),
    )
    .unwrap();
    let mut update = encrypted("CMAF", "CBCS", &["WIDEVINE"], SHARED, URL, ROLE);
    update["Segment"]["Encryption"]["SpekeKeyProvider"]["ContentKeyPeriodConfiguration"] =
        json!({"ContentKeyPeriodTiming": "START_END_ONLY"});
    let m = update.as_object_mut().unwrap();
    for (k, v) in [
        ("ChannelGroupName", "g"),
        ("ChannelName", "c"),
        ("OriginEndpointName", "e"),
    ] {
        m.insert(k.into(), json!(v));
    }
    assert_eq!(verdict(call(&s, &c, "UpdateOriginEndpoint", update)), V21);
    let after = call(
        &s,
        &c,
        "GetOriginEndpoint",
        json!({"ChannelGroupName": "g", "ChannelName": "c", "OriginEndpointName": "e"}),
    )
    .unwrap();
    assert_eq!(before, after);
}

#[test]
fn daterange_ad_markers_need_a_program_date_time_interval() {
    // The model's AdMarkerHls: "If you use DATERANGE, you must set a
    // programDateTimeIntervalSeconds value of 1 or higher."
    let s = svc();
    let c = ctx("111111111111");
    setup(&s, &c);
    let manifest = |pdt: Option<i64>, marker: &str| {
        let mut m = json!({"ManifestName": "m", "ScteHls": {"AdMarkerHls": marker}});
        if let Some(p) = pdt {
            m["ProgramDateTimeIntervalSeconds"] = json!(p);
        }
        m
    };
    for member in ["HlsManifests", "LowLatencyHlsManifests"] {
        let try_ = |pdt: Option<i64>, marker: &str| {
            verdict(create_x(
                &s,
                &c,
                json!({"ContainerType": "CMAF", member: [manifest(pdt, marker)]}),
            ))
        };
        assert_eq!(try_(None, "DATERANGE"), "MEMBER_MISSING", "{member}");
        assert_eq!(try_(Some(1), "DATERANGE"), "ok", "{member}");
        assert_eq!(try_(None, "SCTE35_ENHANCED"), "ok", "{member}");
    }
    let e = create_x(
        &s,
        &c,
        json!({"ContainerType": "TS", "HlsManifests": [manifest(None, "DATERANGE")]}),
    )
    .unwrap_err();
    assert_eq!(
        e.message,
        "The manifest m uses DATERANGE ad markers, which need a programDateTimeIntervalSeconds value of 1 or higher"
    );
    // An update is checked too, and a refused one changes nothing.
    let key = json!({"ChannelGroupName": "g", "ChannelName": "c", "OriginEndpointName": "e"});
    let before = call(&s, &c, "GetOriginEndpoint", key.clone()).unwrap();
    let mut update = key.clone();
    update["ContainerType"] = json!("CMAF");
    update["HlsManifests"] = json!([manifest(None, "DATERANGE")]);
    assert_eq!(
        verdict(call(&s, &c, "UpdateOriginEndpoint", update)),
        "MEMBER_MISSING"
    );
    assert_eq!(call(&s, &c, "GetOriginEndpoint", key).unwrap(), before);
}

#[test]
fn ism_encryption_is_playready_with_shared_presets_and_no_constant_iv() {
    // "MSS encryption and DRM in AWS Elemental MediaPackage" (mss-encryption.html): "Only
    // PlayReady DRM is supported for MSS content", "Key rotation and constant IV ... are not
    // supported", "Video and audio presets must be set to SHARED".
    let s = svc();
    let c = ctx("111111111111");
    setup(&s, &c);
    let try_ = |drm: &[&str], presets: (&str, &str), iv: bool| {
        let mut v = encrypted("ISM", "CENC", drm, presets, URL, ROLE);
        if iv {
            v["Segment"]["Encryption"]["ConstantInitializationVector"] =
                json!("0123456789abcdef0123456789abcdef");
        }
        verdict(create_x(&s, &c, v))
    };
    assert_eq!(try_(&["PLAYREADY"], SHARED, false), "ok");
    for drm in ["WIDEVINE", "FAIRPLAY", "IRDETO", "CLEAR_KEY_AES_128"] {
        assert_eq!(
            try_(&["PLAYREADY", drm], SHARED, false),
            "DRM_SYSTEMS_ENCRYPTION_METHOD_INCOMPATIBLE",
            "{drm}"
        );
    }
    for presets in [
        ("PRESET_AUDIO_1", "PRESET_VIDEO_1"),
        ("UNENCRYPTED", "PRESET_VIDEO_2"),
        ("PRESET_AUDIO_1", "UNENCRYPTED"),
    ] {
        assert_eq!(
            try_(&["PLAYREADY"], presets, false),
            "ENCRYPTION_CONTRACT_WITH_ISM_CONTAINER_INCOMPATIBLE",
            "{presets:?}"
        );
    }
    assert_eq!(try_(&["PLAYREADY"], SHARED, true), "CENC_IV_INCOMPATIBLE");
    let e = create_x(
        &s,
        &c,
        encrypted("ISM", "CENC", &["WIDEVINE"], SHARED, URL, ROLE),
    )
    .unwrap_err();
    assert_eq!(
        e.message,
        "The Google Widevine DRM system doesn't support the CENC encryption method with the ISM container type"
    );
}

#[test]
fn manifest_filters_and_drm_settings_are_parsed() {
    let s = svc();
    let c = ctx("111111111111");
    setup(&s, &c);
    let try_ = |list: &str, filter: Value| {
        verdict(create_x(
            &s,
            &c,
            json!({"ContainerType": "CMAF",
                list: [{"ManifestName": "m", "FilterConfiguration": filter}]}),
        ))
    };
    for list in ["HlsManifests", "LowLatencyHlsManifests", "DashManifests"] {
        assert_eq!(
            try_(
                list,
                json!({"ManifestFilter": "video_height:1-720;audio_language:fr,en-US"})
            ),
            "ok"
        );
        assert_eq!(
            try_(list, json!({"ManifestFilter": "garbage!!"})),
            "INVALID_MANIFEST_FILTER"
        );
        assert_eq!(
            try_(list, json!({"DrmSettings": "exclude_session_keys"})),
            "ok"
        );
        assert_eq!(
            try_(list, json!({"DrmSettings": "garbage!!"})),
            "INVALID_DRM_SETTINGS"
        );
    }
}

#[test]
fn start_tag_offsets_fit_the_manifest_window_and_segment_duration() {
    let s = svc();
    let c = ctx("111111111111");
    setup(&s, &c);
    let try_ = |list: &str, offset: f64, window: Option<i64>, segment: Option<i64>| {
        let mut manifest = json!({"ManifestName": "m", "StartTag": {"TimeOffset": offset}});
        if let Some(w) = window {
            manifest["ManifestWindowSeconds"] = json!(w);
        }
        let mut extra = json!({"ContainerType": "CMAF", list: [manifest]});
        if let Some(d) = segment {
            extra["Segment"] = json!({"SegmentDurationSeconds": d});
        }
        verdict(create_x(&s, &c, extra))
    };
    const BAD: &str = "START_TAG_TIME_OFFSET_INVALID";
    for list in ["HlsManifests", "LowLatencyHlsManifests"] {
        // Defaults: a 60-second window and 6-second segments, so 0 < offset < 42 and
        // 18 < -offset < 60.
        assert_eq!(try_(list, 0.0, None, None), "ok");
        assert_eq!(try_(list, 41.5, None, None), "ok");
        assert_eq!(try_(list, 42.0, None, None), BAD);
        assert_eq!(try_(list, -18.5, None, None), "ok");
        assert_eq!(try_(list, -59.0, None, None), "ok");
        assert_eq!(try_(list, -18.0, None, None), BAD);
        assert_eq!(try_(list, -60.0, None, None), BAD);
        // Explicit window and segment duration.
        assert_eq!(try_(list, 60.0, Some(120), Some(10)), "ok");
        assert_eq!(try_(list, 90.0, Some(120), Some(10)), BAD);
        assert_eq!(try_(list, -31.0, Some(120), Some(10)), "ok");
        assert_eq!(try_(list, -25.0, Some(120), Some(10)), BAD);
    }
}

#[test]
fn time_delay_is_smaller_than_the_startover_window() {
    let s = svc();
    let c = ctx("111111111111");
    setup(&s, &c);
    let try_ = |delay: i64, startover: Option<i64>| {
        let filter = json!({"FilterConfiguration": {"TimeDelaySeconds": delay}});
        let mut hls = filter.clone();
        hls["ManifestName"] = json!("h");
        let mut dash = filter;
        dash["ManifestName"] = json!("d");
        let mut extra =
            json!({"ContainerType": "CMAF", "HlsManifests": [hls], "DashManifests": [dash]});
        if let Some(w) = startover {
            extra["StartoverWindowSeconds"] = json!(w);
        }
        verdict(create_x(&s, &c, extra))
    };
    assert_eq!(try_(599, Some(600)), "ok");
    assert_eq!(try_(600, Some(600)), "INVALID_TIME_DELAY_SECONDS");
    assert_eq!(try_(700_000, Some(1_209_600)), "ok");
    // Without a startover window (absent or 0), AWS allows up to 24 hours.
    assert_eq!(try_(86_400, None), "ok");
    assert_eq!(try_(86_401, None), "INVALID_TIME_DELAY_SECONDS");
    assert_eq!(try_(86_401, Some(0)), "INVALID_TIME_DELAY_SECONDS");
    // MSS manifests too.
    let ism = json!({"ContainerType": "ISM", "StartoverWindowSeconds": 60,
        "MssManifests": [{"ManifestName": "m", "FilterConfiguration": {"TimeDelaySeconds": 60}}]});
    assert_eq!(verdict(create_x(&s, &c, ism)), "INVALID_TIME_DELAY_SECONDS");
}

#[test]
fn harvest_jobs_start_in_the_past_and_harvest_unfiltered_manifests() {
    let s = svc();
    let c = ctx("111111111111");
    setup(&s, &c);
    let now = s.runtime.clock.now();
    let job = |name: &str, manifests: Value, start: f64, end: f64| {
        verdict(call(&s, &c, "CreateHarvestJob", {
            let mut r = harvest_request(name, start, end);
            r["HarvestedManifests"] = manifests;
            r
        }))
    };
    let index = json!({"HlsManifests": [{"ManifestName": "index"}]});
    assert_eq!(
        job("future", index.clone(), now + 60.0, now + 600.0),
        "INVALID_HARVEST_JOB_DURATION"
    );
    let err = call(
        &s,
        &c,
        "CreateHarvestJob",
        json!({"ChannelGroupName": "g", "ChannelName": "c", "OriginEndpointName": "e",
        "HarvestedManifests": index, "ScheduleConfiguration": {"StartTime": now + 60.0, "EndTime": now + 600.0},
        "Destination": {"S3Destination": {"BucketName": "bucket", "DestinationPath": "p/"}}}),
    )
    .unwrap_err();
    assert_eq!(
        err.message,
        "The start time of the harvest job must be in the past"
    );
    // The existing window checks still hold.
    assert_eq!(
        job("long", index.clone(), now - 90_000.0, now - 10.0),
        "INVALID_HARVEST_JOB_DURATION"
    );
    assert_eq!(
        job("backwards", index.clone(), now - 60.0, now - 600.0),
        "INVALID_HARVEST_JOB_DURATION"
    );
    assert_eq!(job("ok", index, now - 600.0, now - 60.0), "ok");
    // An endpoint whose manifests fix start, end or clip start in their filters.
    call(
        &s,
        &c,
        "UpdateOriginEndpoint",
        json!({"ChannelGroupName": "g", "ChannelName": "c", "OriginEndpointName": "e",
        "ContainerType": "CMAF", "StartoverWindowSeconds": 3600,
        "HlsManifests": [{"ManifestName": "index"},
            {"ManifestName": "clip", "FilterConfiguration": {"ClipStartTime": now - 3000.0}}],
        "LowLatencyHlsManifests": [{"ManifestName": "ll", "FilterConfiguration": {"Start": now - 3000.0}}],
        "DashManifests": [{"ManifestName": "dash", "FilterConfiguration": {"End": now - 10.0}},
            {"ManifestName": "delayed", "FilterConfiguration": {"TimeDelaySeconds": 30}}]}),
    )
    .unwrap();
    const FILTERED: &str = "HARVESTED_MANIFEST_HAS_START_END_FILTER_CONFIGURATION";
    for (i, manifests) in [
        json!({"HlsManifests": [{"ManifestName": "index"}, {"ManifestName": "clip"}]}),
        json!({"LowLatencyHlsManifests": [{"ManifestName": "ll"}]}),
        json!({"DashManifests": [{"ManifestName": "dash"}]}),
    ]
    .into_iter()
    .enumerate()
    {
        assert_eq!(
            job(&format!("f{i}"), manifests, now - 600.0, now - 60.0),
            FILTERED
        );
    }
    // Other filters (a time delay) don't matter.
    assert_eq!(
        job(
            "delayed",
            json!({"HlsManifests": [{"ManifestName": "index"}], "DashManifests": [{"ManifestName": "delayed"}]}),
            now - 600.0,
            now - 60.0
        ),
        "ok"
    );
}

/// A job whose EndTime is still to come harvests in real time: IN_PROGRESS (and cancellable)
/// until the end has passed on the lifecycle clock, then it exports and completes; a journal
/// replay (a restart with a data dir) keeps the wait.
#[test]
fn a_harvest_job_ending_in_the_future_runs_until_its_end_has_passed() {
    let s = MediaPackageV2::new(Arc::new(Runtime::new(
        service::Transitions::Manual,
        Some(7),
        [7; 32],
    )));
    let c = ctx("111111111111");
    setup(&s, &c);
    let now = s.runtime.clock.now();
    let job = |name: &str, end: f64| {
        call(
            &s,
            &c,
            "CreateHarvestJob",
            harvest_request(name, now - 600.0, end),
        )
        .unwrap()
    };
    let names = |name: &str| {
        json!({"ChannelGroupName": "g", "ChannelName": "c",
        "OriginEndpointName": "e", "HarvestJobName": name})
    };
    let status = |s: &MediaPackageV2, name: &str| {
        call(s, &c, "GetHarvestJob", names(name)).unwrap()["Status"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(job("past", now - 60.0)["Status"], "QUEUED");
    assert_eq!(job("future", now + 600.0)["Status"], "QUEUED");
    assert_eq!(job("doomed", now + 600.0)["Status"], "QUEUED");
    s.runtime.clock.advance(Duration::from_secs(3));
    assert_eq!(status(&s, "past"), "COMPLETED");
    assert_eq!(status(&s, "future"), "IN_PROGRESS");
    let listed = call(
        &s,
        &c,
        "ListHarvestJobs",
        json!({"ChannelGroupName": "g", "Status": "IN_PROGRESS"}),
    )
    .unwrap();
    assert_eq!(listed["Items"].as_array().unwrap().len(), 2);
    // Still recording, so it can be cancelled.
    call(&s, &c, "CancelHarvestJob", names("doomed")).unwrap();
    assert_eq!(status(&s, "doomed"), "CANCELLED");
    // A restart replays the journal onto a clock restored to the same lifecycle time.
    let replica = MediaPackageV2::new(Arc::new(Runtime::new(
        service::Transitions::Manual,
        Some(7),
        [7; 32],
    )));
    replica.runtime.clock.restore_lifecycle(3.0);
    for (_, r) in c.journal.take() {
        replica.restore(&r).unwrap();
    }
    for svc in [&s, &replica] {
        svc.runtime.clock.advance(Duration::from_secs(596));
        assert_eq!(status(svc, "future"), "IN_PROGRESS");
        // The end passes at 600 s; exporting takes 2 s more.
        svc.runtime.clock.advance(Duration::from_secs(2));
        assert_eq!(status(svc, "future"), "IN_PROGRESS");
        svc.runtime.clock.advance(Duration::from_millis(1500));
        assert_eq!(status(svc, "future"), "COMPLETED");
    }
}

#[test]
fn cdn_auth_secrets_are_secret_arns_of_the_endpoint_region_and_account() {
    let s = svc();
    let c = ctx("111111111111");
    setup(&s, &c);
    let arn =
        "arn:aws:mediapackagev2:us-east-1:111111111111:channelGroup/g/channel/c/originEndpoint/e";
    let doc = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":"*","Action":"mediapackagev2:GetObject","Resource":"{arn}"}}]}}"#
    );
    let role = "arn:aws:iam::111111111111:role/CdnSecrets";
    let secret = "arn:aws:secretsmanager:us-east-1:111111111111:secret:cdn/auth-AbCdEf";
    let put = |secrets: &[&str], role: &str| {
        verdict(call(
            &s,
            &c,
            "PutOriginEndpointPolicy",
            json!({"ChannelGroupName": "g", "ChannelName": "c", "OriginEndpointName": "e",
            "Policy": doc, "CdnAuthConfiguration": {"CdnIdentifierSecretArns": secrets, "SecretsRoleArn": role}}),
        ))
    };
    for malformed in [
        "not-an-arn",
        "arn:aws:secretsmanager:us-east-1:111111111111:cdn-auth",
        "arn:aws:secretsmanager:us-east-1:111111111111:secret:",
        "arn:aws:ssm:us-east-1:111111111111:secret:cdn-auth",
        "arn:aws:secretsmanager::111111111111:secret:cdn-auth",
        "arn:aws:secretsmanager:us-east-1:1111:secret:cdn-auth",
    ] {
        assert_eq!(
            put(&[malformed], role),
            "MALFORMED_SECRET_ARN",
            "{malformed}"
        );
    }
    assert_eq!(
        put(
            &["arn:aws:secretsmanager:eu-west-1:111111111111:secret:cdn-auth"],
            role
        ),
        "SECRET_FROM_DIFFERENT_REGION"
    );
    assert_eq!(
        put(
            &["arn:aws:secretsmanager:us-east-1:222222222222:secret:cdn-auth"],
            role
        ),
        "SECRET_FROM_DIFFERENT_ACCOUNT"
    );
    assert_eq!(put(&[secret, secret], role), "DUPLICATED_SECRET");
    for bad_role in ["CdnSecrets", "arn:aws:iam::111111111111:user/CdnSecrets"] {
        assert_eq!(put(&[secret], bad_role), "INVALID_ROLE_ARN", "{bad_role}");
    }
    // Nothing refused was stored.
    let names = json!({"ChannelGroupName": "g", "ChannelName": "c", "OriginEndpointName": "e"});
    assert_eq!(
        call(&s, &c, "GetOriginEndpointPolicy", names.clone())
            .unwrap_err()
            .code,
        "ResourceNotFoundException"
    );
    let other = "arn:aws:secretsmanager:us-east-1:111111111111:secret:cdn-auth-2";
    assert_eq!(put(&[secret, other], role), "ok");
    let got = call(&s, &c, "GetOriginEndpointPolicy", names).unwrap();
    assert_eq!(
        got["CdnAuthConfiguration"]["CdnIdentifierSecretArns"],
        json!([secret, other])
    );
}

#[test]
fn a_duplicate_origin_endpoint_is_an_origin_endpoint() {
    let s = svc();
    let c = ctx("111111111111");
    setup(&s, &c);
    let err = call(
        &s,
        &c,
        "CreateOriginEndpoint",
        json!({"ChannelGroupName": "g", "ChannelName": "c", "OriginEndpointName": "e",
        "ContainerType": "CMAF"}),
    )
    .unwrap_err();
    assert_eq!(
        err.message,
        "MediaPackage can't create the origin endpoint because an origin endpoint with that name already exists"
    );
    let err = call(
        &s,
        &c,
        "CreateChannel",
        json!({"ChannelGroupName": "g", "ChannelName": "c"}),
    )
    .unwrap_err();
    assert_eq!(
        err.message,
        "MediaPackage can't create the channel because a channel with that name already exists"
    );
}

#[test]
fn the_stream_name_output_mode_cannot_be_changed_by_an_update() {
    // UpdateOriginEndpointRequest.StreamNameOutputMode: "If you provide a value, it must match
    // the current value. You can't change the stream name output mode after you create the
    // endpoint."
    let s = svc();
    let c = ctx("111111111111");
    setup(&s, &c);
    call(
        &s,
        &c,
        "CreateChannel",
        json!({"ChannelGroupName": "g", "ChannelName": "hl", "InputType": "HLS"}),
    )
    .unwrap();
    let names =
        |e: &str| json!({"ChannelGroupName": "g", "ChannelName": "hl", "OriginEndpointName": e});
    let with = |base: Value, extra: Value| {
        let mut v = base;
        v.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        v
    };
    let manifests = json!({"ContainerType": "CMAF", "HlsManifests": [{"ManifestName": "d"}]});
    call(
        &s,
        &c,
        "CreateOriginEndpoint",
        with(
            with(names("named"), manifests.clone()),
            json!({"StreamNameOutputMode": "PASSTHROUGH_NAME"}),
        ),
    )
    .unwrap();
    call(
        &s,
        &c,
        "CreateOriginEndpoint",
        with(names("plain"), manifests.clone()),
    )
    .unwrap();
    let update = |e: &str, mode: Option<&str>| {
        let mut input = with(names(e), manifests.clone());
        if let Some(m) = mode {
            input["StreamNameOutputMode"] = json!(m);
        }
        call(&s, &c, "UpdateOriginEndpoint", input)
    };
    let mode = |e: &str| {
        call(&s, &c, "GetOriginEndpoint", names(e)).unwrap()["StreamNameOutputMode"].clone()
    };

    let err = update("named", Some("INDEX")).unwrap_err();
    assert_eq!(err.code, "ValidationException");
    assert_eq!(
        err.fields["ValidationExceptionType"],
        "STREAM_NAME_OUTPUT_MODE_IMMUTABLE"
    );
    assert_eq!(
        err.message,
        "The stream name output mode of an origin endpoint can't be changed: it is PASSTHROUGH_NAME, not INDEX"
    );
    assert_eq!(
        mode("named"),
        "PASSTHROUGH_NAME",
        "a refused update changes nothing"
    );
    // The same value, or none, keeps the mode.
    update("named", Some("PASSTHROUGH_NAME")).unwrap();
    let out = update("named", None).unwrap();
    assert_eq!(out["StreamNameOutputMode"], "PASSTHROUGH_NAME");
    assert_eq!(mode("named"), "PASSTHROUGH_NAME");

    // An endpoint created without one has the default, INDEX.
    assert_eq!(
        verdict(update("plain", Some("PASSTHROUGH_NAME"))),
        "STREAM_NAME_OUTPUT_MODE_IMMUTABLE"
    );
    assert_eq!(verdict(update("plain", Some("INDEX"))), "ok");

    // On a CMAF channel the member itself is refused, whatever the endpoint has.
    let cmaf = json!({"ChannelGroupName": "g", "ChannelName": "c", "OriginEndpointName": "e",
        "ContainerType": "CMAF", "HlsManifests": [{"ManifestName": "index"}],
        "StreamNameOutputMode": "PASSTHROUGH_NAME"});
    assert_eq!(
        verdict(call(&s, &c, "UpdateOriginEndpoint", cmaf)),
        "ONLY_HLS_INPUT_TYPE_ALLOW_STREAM_NAME_OUTPUT_MODE"
    );
}

#[test]
fn a_non_epoch_locked_channel_has_no_forced_endpoint_errors() {
    // OutputLockingMode NON_EPOCH_LOCKED "does not support cross-region synchronization or
    // failover"; ForceEndpointErrorConfiguration is "the failover settings for the endpoint".
    let s = svc();
    let c = ctx("111111111111");
    setup(&s, &c);
    for (name, mode) in [
        ("ne", Some("NON_EPOCH_LOCKED")),
        ("el", Some("EPOCH_LOCKED")),
        ("dflt", None),
    ] {
        let mut input = json!({"ChannelGroupName": "g", "ChannelName": name, "InputType": "CMAF"});
        if let Some(m) = mode {
            input["OutputLockingMode"] = json!(m);
        }
        call(&s, &c, "CreateChannel", input).unwrap();
    }
    let create = |channel: &str, name: &str, conditions: Value| {
        let mut input = json!({"ChannelGroupName": "g", "ChannelName": channel,
            "OriginEndpointName": name, "ContainerType": "CMAF",
            "HlsManifests": [{"ManifestName": "a"}]});
        if !conditions.is_null() {
            input["ForceEndpointErrorConfiguration"] =
                json!({"EndpointErrorConditions": conditions});
        }
        call(&s, &c, "CreateOriginEndpoint", input)
    };
    let stale = json!(["STALE_MANIFEST"]);
    let err = create("ne", "f1", stale.clone()).unwrap_err();
    assert_eq!(
        err.fields["ValidationExceptionType"],
        "NON_EPOCH_LOCKED_WITH_FORCE_ENDPOINT_ERROR_CONFIGURATION"
    );
    assert_eq!(
        err.message,
        "Force endpoint error configuration is not available for channels with the NON_EPOCH_LOCKED output locking mode"
    );
    assert_eq!(verdict(create("el", "f1", stale.clone())), "ok");
    assert_eq!(verdict(create("dflt", "f1", stale.clone())), "ok");
    // Without conditions there is nothing to force, as on other input types.
    assert_eq!(verdict(create("ne", "none", json!([]))), "ok");
    assert_eq!(verdict(create("ne", "plain", Value::Null)), "ok");
    // An update is held to the same rule.
    let update = json!({"ChannelGroupName": "g", "ChannelName": "ne", "OriginEndpointName": "plain",
        "ContainerType": "CMAF", "HlsManifests": [{"ManifestName": "a"}],
        "ForceEndpointErrorConfiguration": {"EndpointErrorConditions": ["INCOMPLETE_MANIFEST"]}});
    assert_eq!(
        verdict(call(&s, &c, "UpdateOriginEndpoint", update)),
        "NON_EPOCH_LOCKED_WITH_FORCE_ENDPOINT_ERROR_CONFIGURATION"
    );
}

#[test]
fn an_output_timestamp_mode_needs_a_non_epoch_locked_channel_and_stays_as_created() {
    // Segment.OutputTimestampMode: "only configurable on channels with OutputLockingMode set
    // to NON_EPOCH_LOCKED. This value is immutable after endpoint creation."
    let s = svc();
    let c = ctx("111111111111");
    setup(&s, &c);
    call(
        &s,
        &c,
        "CreateChannel",
        json!({"ChannelGroupName": "g", "ChannelName": "nel", "InputType": "CMAF",
            "OutputLockingMode": "NON_EPOCH_LOCKED"}),
    )
    .unwrap();
    let endpoint = |channel: &str, name: &str, mode: Option<&str>| {
        let mut v = json!({"ChannelGroupName": "g", "ChannelName": channel, "OriginEndpointName": name,
            "ContainerType": "CMAF", "HlsManifests": [{"ManifestName": "d"}], "Segment": {}});
        if let Some(m) = mode {
            v["Segment"]["OutputTimestampMode"] = json!(m);
        }
        v
    };
    // On an epoch-locked channel (the default) the member is refused.
    let e = call(
        &s,
        &c,
        "CreateOriginEndpoint",
        endpoint("c", "e", Some("PASSTHROUGH")),
    )
    .unwrap_err();
    assert_eq!(
        e.fields["ValidationExceptionType"],
        "ONLY_NON_EPOCH_LOCKED_ALLOW_OUTPUT_TIMESTAMP_MODE"
    );
    call(
        &s,
        &c,
        "CreateOriginEndpoint",
        endpoint("nel", "set", Some("PASSTHROUGH")),
    )
    .unwrap();
    call(
        &s,
        &c,
        "CreateOriginEndpoint",
        endpoint("nel", "unset", None),
    )
    .unwrap();
    for name in ["set", "unset"] {
        let e = call(
            &s,
            &c,
            "UpdateOriginEndpoint",
            endpoint("nel", name, Some("REBASED_TO_ZERO")),
        )
        .unwrap_err();
        assert_eq!(
            e.fields["ValidationExceptionType"],
            "OUTPUT_TIMESTAMP_MODE_IMMUTABLE"
        );
        assert!(e.message.contains("it is PASSTHROUGH"), "{e}");
        // The same value, or none, is an update that keeps it.
        call(
            &s,
            &c,
            "UpdateOriginEndpoint",
            endpoint("nel", name, Some("PASSTHROUGH")),
        )
        .unwrap();
    }
    call(&s, &c, "UpdateOriginEndpoint", endpoint("nel", "set", None)).unwrap();
    let got = call(
        &s,
        &c,
        "GetOriginEndpoint",
        json!({"ChannelGroupName": "g", "ChannelName": "nel", "OriginEndpointName": "set"}),
    )
    .unwrap();
    assert_eq!(got["Segment"]["OutputTimestampMode"], "PASSTHROUGH");
}

#[test]
fn an_update_without_a_uri_separator_keeps_the_current_one() {
    // UpdateOriginEndpointRequest.UriSeparator: "If you don't specify a value in the update
    // request, the current value is preserved. This setting applies to all manifest types."
    let (s, c) = (svc(), ctx("111111111111"));
    setup(&s, &c);
    let ep = |extra: Value| {
        let mut input = json!({"ChannelGroupName": "g", "ChannelName": "c",
            "OriginEndpointName": "u", "ContainerType": "CMAF",
            "HlsManifests": [{"ManifestName": "index"}]});
        for (k, v) in extra.as_object().unwrap() {
            input[k] = v.clone();
        }
        input
    };
    let made = call(
        &s,
        &c,
        "CreateOriginEndpoint",
        ep(json!({"UriSeparator": "UNDERSCORE"})),
    )
    .unwrap();
    assert_eq!(made["UriSeparator"], "UNDERSCORE");
    let kept = call(&s, &c, "UpdateOriginEndpoint", ep(json!({}))).unwrap();
    assert_eq!(kept["UriSeparator"], "UNDERSCORE");
    let got = call(&s, &c, "GetOriginEndpoint", ep(json!({}))).unwrap();
    assert_eq!(got["UriSeparator"], "UNDERSCORE");
    let changed = call(
        &s,
        &c,
        "UpdateOriginEndpoint",
        ep(json!({"UriSeparator": "HYPHEN"})),
    )
    .unwrap();
    assert_eq!(changed["UriSeparator"], "HYPHEN");
    let kept = call(&s, &c, "UpdateOriginEndpoint", ep(json!({}))).unwrap();
    assert_eq!(kept["UriSeparator"], "HYPHEN");
}

#[test]
fn updates_after_a_reset_answer_their_own_output_shape() {
    // UpdateChannelResponse and UpdateOriginEndpointResponse have no ResetAt (GetChannel,
    // GetOriginEndpoint and the Reset*State outputs do): an update of a reset resource
    // answered a member its shape lacks, which debug builds refuse as an internal error.
    let (s, c) = (svc(), ctx("111111111111"));
    setup(&s, &c);
    let channel = json!({"ChannelGroupName": "g", "ChannelName": "c"});
    let endpoint = json!({"ChannelGroupName": "g", "ChannelName": "c",
        "OriginEndpointName": "e", "ContainerType": "CMAF",
        "HlsManifests": [{"ManifestName": "index"}]});
    call(&s, &c, "ResetChannelState", channel.clone()).unwrap();
    call(&s, &c, "ResetOriginEndpointState", endpoint.clone()).unwrap();
    let updated = call(&s, &c, "UpdateChannel", channel.clone()).unwrap();
    assert!(updated.get("ResetAt").is_none(), "{updated}");
    let updated = call(&s, &c, "UpdateOriginEndpoint", endpoint.clone()).unwrap();
    assert!(updated.get("ResetAt").is_none(), "{updated}");
    // The Gets still tell when the resources were reset.
    assert!(call(&s, &c, "GetChannel", channel).unwrap()["ResetAt"].is_string());
    assert!(call(&s, &c, "GetOriginEndpoint", endpoint).unwrap()["ResetAt"].is_string());
}

#[test]
fn a_fixed_dash_availability_start_is_on_the_hour_since_2024_and_14_days_old() {
    // DashAvailabilityStartTimeConfiguration.FixedAvailabilityStartTime: "hourly granularity
    // ... on or after 2024-01-01T00:00:00Z and must be at least 14 days before the current
    // time" (the model).
    let (s, c) = (svc(), ctx("111111111111"));
    setup(&s, &c);
    let now = s.runtime.clock.now();
    let hour = |t: f64| (t / 3600.0).floor() * 3600.0;
    let endpoint = |name: &str, start: f64| {
        json!({"ChannelGroupName": "g", "ChannelName": "c", "OriginEndpointName": name,
            "ContainerType": "CMAF", "DashManifests": [{"ManifestName": "dash",
            "AvailabilityStartTimeConfiguration": {"FixedAvailabilityStartTime": start}}]})
    };
    let old_enough = hour(now - 15.0 * 86_400.0);
    for bad in [
        old_enough + 1800.0,         // not on the hour
        old_enough + 0.5,            // fractional seconds
        1_704_067_200.0 - 3600.0,    // 2023-12-31T23:00:00Z
        hour(now - 13.0 * 86_400.0), // less than 14 days ago
        hour(now + 86_400.0),        // in the future
    ] {
        assert_eq!(
            verdict(call(&s, &c, "CreateOriginEndpoint", endpoint("a", bad))),
            "MEMBER_INVALID",
            "{bad}"
        );
        // A refused update leaves the endpoint as it was.
        assert_eq!(
            verdict(call(&s, &c, "UpdateOriginEndpoint", endpoint("e", bad))),
            "MEMBER_INVALID",
            "{bad}"
        );
    }
    let got = call(&s, &c, "GetOriginEndpoint", endpoint("e", 0.0)).unwrap();
    assert!(got["DashManifests"][0]
        .get("AvailabilityStartTimeConfiguration")
        .is_none());
    call(&s, &c, "CreateOriginEndpoint", endpoint("a", old_enough)).unwrap();
    call(
        &s,
        &c,
        "CreateOriginEndpoint",
        endpoint("b", 1_704_067_200.0),
    )
    .unwrap();
    call(&s, &c, "UpdateOriginEndpoint", endpoint("e", old_enough)).unwrap();
}

#[test]
fn a_content_key_encryption_certificate_is_in_the_endpoints_region() {
    // User Guide (drm-content-key-encryption.html): "You must provide a certificate stored in
    // AWS Certificate Manager (ACM) in the same Region and Account that you run MediaPackage";
    // the model's reason: RESOURCE_NOT_IN_SAME_REGION.
    let (s, c) = (svc(), ctx("111111111111"));
    setup(&s, &c);
    let with_certificate = |arn: &str| {
        let mut v = encrypted(
            "CMAF",
            "CBCS",
            &["FAIRPLAY"],
            ("SHARED", "SHARED"),
            "https://speke.example.com/k",
            "arn:aws:iam::111111111111:role/speke",
        );
        v["Segment"]["Encryption"]["SpekeKeyProvider"]["CertificateArn"] = json!(arn);
        v
    };
    let elsewhere = "arn:aws:acm:eu-west-1:111111111111:certificate/abc-123";
    let here = "arn:aws:acm:us-east-1:111111111111:certificate/abc-123";
    assert_eq!(
        verdict(create_x(&s, &c, with_certificate(elsewhere))),
        "RESOURCE_NOT_IN_SAME_REGION"
    );
    assert_eq!(verdict(create_x(&s, &c, with_certificate(here))), "ok");
    let mut update = with_certificate(elsewhere);
    for (k, v) in [
        ("ChannelGroupName", "g"),
        ("ChannelName", "c"),
        ("OriginEndpointName", "e"),
    ] {
        update[k] = json!(v);
    }
    assert_eq!(
        verdict(call(&s, &c, "UpdateOriginEndpoint", update)),
        "RESOURCE_NOT_IN_SAME_REGION"
    );
    // The refused update left the endpoint unencrypted.
    let got = call(
        &s,
        &c,
        "GetOriginEndpoint",
        json!({"ChannelGroupName": "g",
        "ChannelName": "c", "OriginEndpointName": "e"}),
    )
    .unwrap();
    assert!(got["Segment"].get("Encryption").is_none(), "{got}");
}

#[test]
fn a_harvest_job_name_is_unique_within_its_channel() {
    // CreateHarvestJobRequest.HarvestJobName: "This name must be unique within the channel."
    let (s, c) = (svc(), ctx("111111111111"));
    setup(&s, &c);
    call(
        &s,
        &c,
        "CreateOriginEndpoint",
        json!({"ChannelGroupName": "g", "ChannelName": "c", "OriginEndpointName": "e2",
            "ContainerType": "CMAF", "HlsManifests": [{"ManifestName": "index"}]}),
    )
    .unwrap();
    let job = |endpoint: &str, name: &str| {
        call(
            &s,
            &c,
            "CreateHarvestJob",
            json!({"ChannelGroupName": "g", "ChannelName": "c",
            "OriginEndpointName": endpoint, "HarvestJobName": name,
            "HarvestedManifests": {"HlsManifests": [{"ManifestName": "index"}]},
            "ScheduleConfiguration": {"StartTime": 1000.0, "EndTime": 1600.0},
            "Destination": {"S3Destination": {"BucketName": "bucket", "DestinationPath": "p/"}}}),
        )
    };
    job("e", "j").unwrap();
    let err = job("e2", "j").unwrap_err();
    assert_eq!(err.code, "ConflictException", "{err}");
    assert_eq!(
        err.fields["ConflictExceptionType"],
        "RESOURCE_ALREADY_EXISTS"
    );
    // Nothing was stored for the refused job; another name is fine.
    let got = call(
        &s,
        &c,
        "GetHarvestJob",
        json!({"ChannelGroupName": "g", "ChannelName": "c",
            "OriginEndpointName": "e2", "HarvestJobName": "j"}),
    );
    assert_eq!(got.unwrap_err().code, "ResourceNotFoundException");
    job("e2", "k").unwrap();
}

#[test]
fn not_found_and_in_use_messages_are_aws_words() {
    // moto's aws_verified tests (tests/test_mediapackagev2): test_get_channel_group_unknown,
    // test_get_channel_unknown and test_delete_channel_group_thats_not_empty.
    let s = svc();
    let c = ctx("111111111111");
    let e = call(
        &s,
        &c,
        "GetChannelGroup",
        json!({"ChannelGroupName": "nope"}),
    )
    .unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        ("ResourceNotFoundException", "MediaPackage can't process your request because we can't find your channel group. Verify your channel group name or add a channel group and then try again")
    );
    // A channel, endpoint or job in a group that does not exist: the group is what is missing.
    let group_missing = "MediaPackage can't process your request because we can't find your channel group. Verify your channel group name or add a channel group and then try again";
    for (op, input) in [
        (
            "GetChannel",
            json!({"ChannelGroupName": "nope", "ChannelName": "c"}),
        ),
        (
            "GetOriginEndpoint",
            json!({"ChannelGroupName": "nope", "ChannelName": "c",
            "OriginEndpointName": "e"}),
        ),
        (
            "GetHarvestJob",
            json!({"ChannelGroupName": "nope", "ChannelName": "c",
            "OriginEndpointName": "e", "HarvestJobName": "j"}),
        ),
        (
            "GetChannelPolicy",
            json!({"ChannelGroupName": "nope", "ChannelName": "c"}),
        ),
    ] {
        let e = call(&s, &c, op, input).unwrap_err();
        assert_eq!(e.message, group_missing, "{op}");
        assert_eq!(e.fields["ResourceTypeNotFound"], "CHANNEL_GROUP", "{op}");
    }
    setup(&s, &c);
    let e = call(
        &s,
        &c,
        "GetOriginEndpoint",
        json!({"ChannelGroupName": "g", "ChannelName": "nope", "OriginEndpointName": "e"}),
    )
    .unwrap_err();
    assert_eq!(e.fields["ResourceTypeNotFound"], "CHANNEL");
    let e = call(
        &s,
        &c,
        "GetChannel",
        json!({"ChannelGroupName": "g", "ChannelName": "nope"}),
    )
    .unwrap_err();
    assert_eq!(e.message, "MediaPackage can't process your request because we can't find your channel. Verify your channel name or add a channel and then try again");
    let e = call(
        &s,
        &c,
        "GetOriginEndpoint",
        json!({"ChannelGroupName": "g", "ChannelName": "c", "OriginEndpointName": "nope"}),
    )
    .unwrap_err();
    assert_eq!(e.message, "MediaPackage can't process your request because we can't find your origin endpoint. Verify your origin endpoint name or add an origin endpoint and then try again");
    let e = call(
        &s,
        &c,
        "GetHarvestJob",
        json!({"ChannelGroupName": "g", "ChannelName": "c", "OriginEndpointName": "e",
            "HarvestJobName": "nope"}),
    )
    .unwrap_err();
    assert_eq!(e.message, "MediaPackage can't process your request because we can't find your harvest job. Verify your harvest job name and try again");
    let e = call(
        &s,
        &c,
        "DeleteChannelGroup",
        json!({"ChannelGroupName": "g"}),
    )
    .unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        ("ConflictException", "The channel group you tried to delete has channels attached to it. If you want to delete this channel group, you must first delete the channels attached to it")
    );
}

#[test]
fn deletes_are_idempotent() {
    // The model lists no ResourceNotFoundException for any Delete operation; moto's
    // aws_verified test_delete_channel_group / test_delete_channel: "Operation is idempotent",
    // "Deleting unknown channels is also fine".
    let s = svc();
    let c = ctx("111111111111");
    let ep = json!({"ChannelGroupName": "g", "ChannelName": "c", "OriginEndpointName": "e"});
    let ch = json!({"ChannelGroupName": "g", "ChannelName": "c"});
    let g = json!({"ChannelGroupName": "g"});
    // Nothing exists yet: every delete answers as if it had deleted.
    for (op, input) in [
        ("DeleteOriginEndpointPolicy", &ep),
        ("DeleteOriginEndpoint", &ep),
        ("DeleteChannelPolicy", &ch),
        ("DeleteChannel", &ch),
        ("DeleteChannelGroup", &g),
    ] {
        assert_eq!(call(&s, &c, op, input.clone()).unwrap(), json!({}), "{op}");
    }
    setup(&s, &c);
    // A delete that is refused is still refused: the group has channels.
    let e = call(&s, &c, "DeleteChannelGroup", g.clone()).unwrap_err();
    assert_eq!(e.code, "ConflictException");
    // Twice each, in order: the second finds nothing and succeeds.
    for (op, input) in [
        ("DeleteOriginEndpointPolicy", &ep),
        ("DeleteOriginEndpoint", &ep),
        ("DeleteChannelPolicy", &ch),
        ("DeleteChannel", &ch),
        ("DeleteChannelGroup", &g),
    ] {
        for _ in 0..2 {
            assert_eq!(call(&s, &c, op, input.clone()).unwrap(), json!({}), "{op}");
        }
    }
    let e = call(&s, &c, "GetChannelGroup", g).unwrap_err();
    assert_eq!(e.code, "ResourceNotFoundException");
}

#[test]
fn a_channel_answer_is_shaped_as_aws_answers_it() {
    // moto's aws_verified test_create_channel and test_get_channel: a channel created with only
    // its names answers `InputSwitchConfiguration: {MQCSInputSwitching: false}` and
    // `OutputHeaderConfiguration: {PublishMQCS: false}`, and no InputType, which GetChannel
    // then answers as HLS; otherwise the two answers are the same.
    let s = svc();
    let c = ctx("111111111111");
    call(
        &s,
        &c,
        "CreateChannelGroup",
        json!({"ChannelGroupName": "g"}),
    )
    .unwrap();
    let names = json!({"ChannelGroupName": "g", "ChannelName": "plain"});
    let mut created = call(&s, &c, "CreateChannel", names.clone()).unwrap();
    assert!(created.get("InputType").is_none(), "{created}");
    assert_eq!(
        created["InputSwitchConfiguration"],
        json!({"MQCSInputSwitching": false})
    );
    assert_eq!(
        created["OutputHeaderConfiguration"],
        json!({"PublishMQCS": false})
    );
    let mut got = call(&s, &c, "GetChannel", names).unwrap();
    assert_eq!(
        got.as_object_mut().unwrap().remove("InputType"),
        Some(json!("HLS"))
    );
    created.as_object_mut().unwrap().remove("ETag");
    got.as_object_mut().unwrap().remove("ETag");
    assert_eq!(created, got);
    // Asked for, InputType is answered; set members keep their values.
    let cmaf = call(
        &s,
        &c,
        "CreateChannel",
        json!({"ChannelGroupName": "g", "ChannelName": "cmaf", "InputType": "CMAF",
            "InputSwitchConfiguration": {"PreferredInput": 1},
            "OutputHeaderConfiguration": {"PublishMQCS": true}}),
    )
    .unwrap();
    assert_eq!(cmaf["InputType"], "CMAF");
    assert_eq!(
        cmaf["InputSwitchConfiguration"],
        json!({"MQCSInputSwitching": false, "PreferredInput": 1})
    );
    assert_eq!(
        cmaf["OutputHeaderConfiguration"],
        json!({"PublishMQCS": true})
    );
}

#[test]
fn an_egress_domain_has_two_six_character_labels() {
    // moto's aws_verified test_create_channel_group:
    // `[a-z0-9]{6}\.egress\.[a-z0-9]{6}\.mediapackagev2\.REGION\.amazonaws\.com`.
    let s = svc();
    let c = ctx("111111111111");
    let g = call(
        &s,
        &c,
        "CreateChannelGroup",
        json!({"ChannelGroupName": "g"}),
    )
    .unwrap();
    let domain = g["EgressDomain"].as_str().unwrap().to_string();
    let labels: Vec<&str> = domain.split('.').collect();
    assert_eq!(labels.len(), 7, "{domain}");
    assert_eq!(
        &labels[1..],
        [
            "egress",
            labels[2],
            "mediapackagev2",
            "us-east-1",
            "amazonaws",
            "com"
        ]
    );
    for l in [labels[0], labels[2]] {
        assert!(
            l.len() == 6
                && l.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()),
            "{domain}"
        );
    }
    let got = call(&s, &c, "GetChannelGroup", json!({"ChannelGroupName": "g"})).unwrap();
    assert_eq!(got["EgressDomain"], domain.as_str());
}

/// "If the endpoint has a window of 5 hours and the start time is 6 hours ago, the harvest job
/// fails" (v2 User Guide, live-to-vod.html): accepted, then FAILED with an `ErrorMessage`
/// ("Error messages for failed jobs will be returned in the ErrorMessage field"); a job inside
/// the window completes without one.
#[test]
fn a_harvest_job_starting_before_the_startover_window_fails_with_an_error_message() {
    let s = svc();
    let c = ctx("111111111111");
    setup(&s, &c);
    call(
        &s,
        &c,
        "UpdateOriginEndpoint",
        json!({"ChannelGroupName": "g", "ChannelName": "c", "OriginEndpointName": "e",
        "ContainerType": "CMAF", "StartoverWindowSeconds": 5 * 3600,
        "HlsManifests": [{"ManifestName": "index"}]}),
    )
    .unwrap();
    let now = s.runtime.clock.now();
    let job = |name: &str, start: f64| {
        call(
            &s,
            &c,
            "CreateHarvestJob",
            harvest_request(name, start, start + 600.0),
        )
        .unwrap()
    };
    let out = job("old", now - 6.0 * 3600.0);
    assert_eq!(out["Status"], "FAILED");
    assert_eq!(
        out["ErrorMessage"],
        "The harvest job's start time is outside the origin endpoint's startover window of 18000 seconds"
    );
    let got = call(
        &s,
        &c,
        "GetHarvestJob",
        json!({"ChannelGroupName": "g", "ChannelName": "c",
        "OriginEndpointName": "e", "HarvestJobName": "old"}),
    )
    .unwrap();
    assert_eq!(got["Status"], "FAILED");
    assert_eq!(got["ErrorMessage"], out["ErrorMessage"]);
    let listed = call(
        &s,
        &c,
        "ListHarvestJobs",
        json!({"ChannelGroupName": "g", "Status": "FAILED"}),
    )
    .unwrap();
    assert_eq!(listed["Items"][0]["HarvestJobName"], "old");
    assert_eq!(listed["Items"][0]["ErrorMessage"], out["ErrorMessage"]);
    let ok = job("recent", now - 4.0 * 3600.0);
    assert_eq!(ok["Status"], "COMPLETED");
    assert!(ok.get("ErrorMessage").is_none());
}

/// "The harvest job expires within 15 days of job creation", "You can reuse the name after the
/// harvest job expires from your account" (v2 User Guide, live-to-vod.html): on lifecycle time,
/// the record is gone from Get, List, Cancel and the tag calls, and its name is free again.
#[test]
fn a_harvest_job_record_expires_after_15_days() {
    let s = MediaPackageV2::new(Arc::new(Runtime::new(
        service::Transitions::Manual,
        Some(7),
        [7; 32],
    )));
    let c = ctx("111111111111");
    setup(&s, &c);
    let now = s.runtime.clock.now();
    let job = || {
        call(&s, &c, "CreateHarvestJob", {
            let mut r = harvest_request("j", now - 600.0, now - 60.0);
            r["Tags"] = json!({"k": "v"});
            r
        })
    };
    let arn = job().unwrap()["Arn"].as_str().unwrap().to_string();
    let names = json!({"ChannelGroupName": "g", "ChannelName": "c",
        "OriginEndpointName": "e", "HarvestJobName": "j"});
    let listed = |s: &MediaPackageV2| {
        call(s, &c, "ListHarvestJobs", json!({"ChannelGroupName": "g"})).unwrap()["Items"]
            .as_array()
            .unwrap()
            .len()
    };
    s.runtime
        .clock
        .advance(Duration::from_secs(15 * 86_400 - 1));
    assert_eq!(
        call(&s, &c, "GetHarvestJob", names.clone()).unwrap()["Status"],
        "COMPLETED"
    );
    assert_eq!(listed(&s), 1);
    let err = job().unwrap_err();
    assert_eq!(
        err.fields["ConflictExceptionType"],
        "RESOURCE_ALREADY_EXISTS"
    );
    assert!(s.stored(&c, &arn).is_some());
    s.runtime.clock.advance(Duration::from_secs(1));
    // Authorization finds nothing of it either (its tags no longer answer conditions).
    assert!(s.stored(&c, &arn).is_none());
    let err = call(&s, &c, "GetHarvestJob", names.clone()).unwrap_err();
    assert_eq!(err.code, "ResourceNotFoundException");
    assert_eq!(listed(&s), 0);
    let err = call(&s, &c, "CancelHarvestJob", names.clone()).unwrap_err();
    assert_eq!(err.code, "ResourceNotFoundException");
    let err = call(&s, &c, "ListTagsForResource", json!({"ResourceArn": arn})).unwrap_err();
    assert_eq!(err.code, "ResourceNotFoundException");
    let err = call(
        &s,
        &c,
        "TagResource",
        json!({"ResourceArn": arn, "Tags": {"a": "b"}}),
    )
    .unwrap_err();
    assert_eq!(err.code, "ResourceNotFoundException");
    // The name is free again: a new job of that name, with its own record.
    let again = job().unwrap();
    assert_eq!(again["Status"], "QUEUED");
    assert_eq!(listed(&s), 1);
    let tags = call(&s, &c, "ListTagsForResource", json!({"ResourceArn": arn})).unwrap();
    assert_eq!(tags["Tags"], json!({"k": "v"}));
}

/// Instant mode completes the service's own steps at once, but not the stream: a job whose
/// EndTime is still to come ("The end time can be in the future", "Real-time harvesting is
/// supported for ongoing streams", live-to-vod.html) is IN_PROGRESS, and cancellable, until
/// that time has passed on the wall clock; then it completes at once.
#[test]
fn instant_mode_keeps_a_harvest_job_in_progress_until_its_end_has_passed() {
    let s = svc();
    assert_eq!(s.runtime.clock.mode(), service::Transitions::Instant);
    let c = ctx("111111111111");
    setup(&s, &c);
    let now = s.runtime.clock.now();
    let job = |name: &str, end: f64| {
        call(
            &s,
            &c,
            "CreateHarvestJob",
            harvest_request(name, now - 600.0, end),
        )
        .unwrap()
    };
    let names = |name: &str| {
        json!({"ChannelGroupName": "g", "ChannelName": "c",
        "OriginEndpointName": "e", "HarvestJobName": name})
    };
    let status = |name: &str| {
        call(&s, &c, "GetHarvestJob", names(name)).unwrap()["Status"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(job("past", now - 60.0)["Status"], "COMPLETED");
    assert_eq!(job("later", now + 600.0)["Status"], "IN_PROGRESS");
    assert_eq!(job("soon", now + 0.3)["Status"], "IN_PROGRESS");
    call(&s, &c, "CancelHarvestJob", names("later")).unwrap();
    assert_eq!(status("later"), "CANCELLED");
    std::thread::sleep(Duration::from_millis(400));
    assert_eq!(status("soon"), "COMPLETED");
}

/// "The length of the asset can't exceed the startover window on the endpoint. The end time can
/// be in the future" (v2 User Guide, live-to-vod.html): a job inside the window whose end,
/// still to come, makes it longer than the window fails as one starting before it does; a
/// shorter one runs.
#[test]
fn a_harvest_job_longer_than_the_startover_window_fails() {
    let s = svc();
    let c = ctx("111111111111");
    setup(&s, &c);
    call(
        &s,
        &c,
        "UpdateOriginEndpoint",
        json!({"ChannelGroupName": "g", "ChannelName": "c", "OriginEndpointName": "e",
        "ContainerType": "CMAF", "StartoverWindowSeconds": 3600,
        "HlsManifests": [{"ManifestName": "index"}]}),
    )
    .unwrap();
    let now = s.runtime.clock.now();
    let job = |name: &str, end: f64| {
        call(
            &s,
            &c,
            "CreateHarvestJob",
            harvest_request(name, now - 1800.0, end),
        )
        .unwrap()
    };
    let long = job("long", now + 2700.0);
    assert_eq!(long["Status"], "FAILED");
    assert_eq!(
        long["ErrorMessage"],
        "The harvest job's duration (4500 seconds) exceeds the origin endpoint's startover window of 3600 seconds"
    );
    let fits = job("fits", now + 1200.0);
    assert_eq!(fits["Status"], "IN_PROGRESS");
    assert!(fits.get("ErrorMessage").is_none());
}
