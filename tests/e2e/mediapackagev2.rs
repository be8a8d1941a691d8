//! MediaPackage v2 end to end with the real `aws-sdk-mediapackagev2`: every resource's
//! lifecycle, harvest jobs to completion with the waiter, policies, and egress of manifests
//! authorized through the same stage as API calls (anonymous, cross-account, `aws:SourceIp`).

use crate::common;

use aws_sdk_mediapackagev2 as mp;
use aws_sdk_mediapackagev2::client::Waiters;
use aws_sdk_mediapackagev2::error::ProvideErrorMetadata;
use aws_sdk_mediapackagev2::primitives::DateTime;
use aws_sdk_mediapackagev2::types::{
    ContainerType, CreateDashManifestConfiguration, CreateHlsManifestConfiguration, Destination,
    HarvestJobStatus, HarvestedHlsManifest, HarvestedManifests, HarvesterScheduleConfiguration,
    InputType, S3DestinationConfig,
};
use common::{RawResponse, TestServer, REGION};
use std::time::{Duration, SystemTime};

async fn client(server: &TestServer, key: &str, secret: &str) -> mp::Client {
    mp::Client::new(&server.sdk_config(key, secret).await)
}

/// A group `g`, CMAF channel `c` and endpoint `e` with HLS manifest `index` and DASH `dash`;
/// returns the endpoint's ARN and HLS URL.
async fn endpoint(mp: &mp::Client) -> (String, String) {
    mp.create_channel_group()
        .channel_group_name("g")
        .send()
        .await
        .unwrap();
    mp.create_channel()
        .channel_group_name("g")
        .channel_name("c")
        .input_type(InputType::Cmaf)
        .send()
        .await
        .unwrap();
    let e = mp
        .create_origin_endpoint()
        .channel_group_name("g")
        .channel_name("c")
        .origin_endpoint_name("e")
        .container_type(ContainerType::Cmaf)
        .hls_manifests(
            CreateHlsManifestConfiguration::builder()
                .manifest_name("index")
                .build()
                .unwrap(),
        )
        .dash_manifests(
            CreateDashManifestConfiguration::builder()
                .manifest_name("dash")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    (e.arn().to_string(), e.hls_manifests()[0].url().to_string())
}

/// The path part of an egress URL.
fn path_of(url: &str) -> String {
    let rest = url.trim_start_matches("http://");
    rest[rest.find('/').unwrap()..].to_string()
}

async fn anonymous_get(server: &TestServer, path: &str, extra: &str) -> RawResponse {
    let host = server.endpoint.trim_start_matches("http://");
    let req = format!("GET {path} HTTP/1.1\r\nhost: {host}\r\n{extra}connection: close\r\n\r\n");
    server.raw(req.as_bytes()).await
}

fn policy(principal: &str, arn: &str, condition: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{principal},"Action":"mediapackagev2:GetObject","Resource":"{arn}"{condition}}}]}}"#
    )
}

async fn put_policy(mp: &mp::Client, doc: &str) {
    mp.put_origin_endpoint_policy()
        .channel_group_name("g")
        .channel_name("c")
        .origin_endpoint_name("e")
        .policy(doc)
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn resources_live_and_die_with_aws_semantics() {
    let server = TestServer::start().await;
    let mp = client(&server, common::ROOT_KEY, common::ROOT_SECRET).await;
    let (arn, url) = endpoint(&mp).await;
    assert!(
        arn.ends_with(":channelGroup/g/channel/c/originEndpoint/e"),
        "{arn}"
    );
    assert!(
        url.starts_with(&server.endpoint),
        "{url} points at this server"
    );
    assert!(url.ends_with("/g/c/e/index.m3u8"));

    let group = mp
        .get_channel_group()
        .channel_group_name("g")
        .send()
        .await
        .unwrap();
    assert!(group.egress_domain().contains(".egress."));
    let channel = mp
        .get_channel()
        .channel_group_name("g")
        .channel_name("c")
        .send()
        .await
        .unwrap();
    assert_eq!(channel.ingest_endpoints().len(), 2);
    assert_eq!(channel.input_type(), Some(&InputType::Cmaf));

    // Updates honour the entity tag.
    let etag = channel.e_tag().unwrap().to_string();
    let err = mp
        .update_channel()
        .channel_group_name("g")
        .channel_name("c")
        .e_tag("stale")
        .description("x")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ConflictException"));
    let updated = mp
        .update_channel()
        .channel_group_name("g")
        .channel_name("c")
        .e_tag(&etag)
        .description("news")
        .send()
        .await
        .unwrap();
    assert_eq!(updated.description(), Some("news"));
    assert_ne!(updated.e_tag(), Some(etag.as_str()));

    // v2's error shapes.
    let err = mp
        .get_channel()
        .channel_group_name("g")
        .channel_name("nope")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ResourceNotFoundException"));
    let svc = err.into_service_error();
    match svc {
        mp::operation::get_channel::GetChannelError::ResourceNotFoundException(e) => {
            assert_eq!(
                e.resource_type_not_found().map(|t| t.as_str()),
                Some("CHANNEL")
            );
        }
        other => panic!("{other:?}"),
    }
    let err = mp
        .create_origin_endpoint()
        .channel_group_name("g")
        .channel_name("c")
        .origin_endpoint_name("ts")
        .container_type(ContainerType::Ts)
        .dash_manifests(
            CreateDashManifestConfiguration::builder()
                .manifest_name("d")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap_err();
    match err.into_service_error() {
        mp::operation::create_origin_endpoint::CreateOriginEndpointError::ValidationException(
            e,
        ) => {
            assert_eq!(
                e.validation_exception_type().map(|t| t.as_str()),
                Some("TS_CONTAINER_TYPE_WITH_DASH_MANIFEST")
            );
        }
        other => panic!("{other:?}"),
    }
    let err = mp
        .delete_channel_group()
        .channel_group_name("g")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ConflictException"));

    // Tags, reset, listings.
    mp.tag_resource()
        .resource_arn(&arn)
        .tags("team", "video")
        .send()
        .await
        .unwrap();
    let tags = mp
        .list_tags_for_resource()
        .resource_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(
        tags.tags().unwrap().get("team").map(String::as_str),
        Some("video")
    );
    mp.untag_resource()
        .resource_arn(&arn)
        .tag_keys("team")
        .send()
        .await
        .unwrap();
    let reset = mp
        .reset_origin_endpoint_state()
        .channel_group_name("g")
        .channel_name("c")
        .origin_endpoint_name("e")
        .send()
        .await
        .unwrap();
    assert_eq!(reset.arn(), arn);
    let listed = mp
        .list_origin_endpoints()
        .channel_group_name("g")
        .channel_name("c")
        .send()
        .await
        .unwrap();
    assert_eq!(listed.items().len(), 1);
    assert_eq!(
        listed.items()[0].hls_manifests()[0].url(),
        Some(url.as_str())
    );
    let groups = mp.list_channel_groups().send().await.unwrap();
    assert_eq!(groups.items().len(), 1);

    // Teardown in order.
    mp.delete_origin_endpoint()
        .channel_group_name("g")
        .channel_name("c")
        .origin_endpoint_name("e")
        .send()
        .await
        .unwrap();
    mp.delete_channel()
        .channel_group_name("g")
        .channel_name("c")
        .send()
        .await
        .unwrap();
    mp.delete_channel_group()
        .channel_group_name("g")
        .send()
        .await
        .unwrap();
    assert!(mp
        .list_channel_groups()
        .send()
        .await
        .unwrap()
        .items()
        .is_empty());
}

/// Creates harvest job `name` of endpoint `g/c/e`'s `index` manifest, harvesting `start` to
/// `end` into `s3://bucket/clips/`.
async fn harvest(
    mp: &mp::Client,
    name: &str,
    start: SystemTime,
    end: SystemTime,
) -> mp::operation::create_harvest_job::CreateHarvestJobOutput {
    harvest_request(mp, "e", name, start, end)
        .send()
        .await
        .unwrap()
}

/// The CreateHarvestJob request [`harvest`] sends, of endpoint `g/c/ENDPOINT`.
fn harvest_request(
    mp: &mp::Client,
    endpoint: &str,
    name: &str,
    start: SystemTime,
    end: SystemTime,
) -> mp::operation::create_harvest_job::builders::CreateHarvestJobFluentBuilder {
    mp.create_harvest_job()
        .channel_group_name("g")
        .channel_name("c")
        .origin_endpoint_name(endpoint)
        .harvest_job_name(name)
        .harvested_manifests(
            HarvestedManifests::builder()
                .hls_manifests(
                    HarvestedHlsManifest::builder()
                        .manifest_name("index")
                        .build()
                        .unwrap(),
                )
                .build(),
        )
        .schedule_configuration(
            HarvesterScheduleConfiguration::builder()
                .start_time(DateTime::from(start))
                .end_time(DateTime::from(end))
                .build()
                .unwrap(),
        )
        .destination(
            Destination::builder()
                .s3_destination(
                    S3DestinationConfig::builder()
                        .bucket_name("bucket")
                        .destination_path("clips/")
                        .build()
                        .unwrap(),
                )
                .build(),
        )
}

#[tokio::test]
async fn harvest_jobs_finish_and_the_waiter_sees_it() {
    let server = TestServer::start().await;
    let mp = client(&server, common::ROOT_KEY, common::ROOT_SECRET).await;
    endpoint(&mp).await;
    let now = SystemTime::now();
    let job = harvest(
        &mp,
        "j",
        now - Duration::from_secs(600),
        now - Duration::from_secs(60),
    )
    .await;
    assert!(job.arn().ends_with("/originEndpoint/e/harvestJob/j"));
    let done = mp
        .wait_until_harvest_job_finished()
        .channel_group_name("g")
        .channel_name("c")
        .origin_endpoint_name("e")
        .harvest_job_name("j")
        .wait(Duration::from_secs(30))
        .await
        .unwrap();
    assert_eq!(
        done.as_result().unwrap().status(),
        &HarvestJobStatus::Completed
    );
    let listed = mp
        .list_harvest_jobs()
        .channel_group_name("g")
        .send()
        .await
        .unwrap();
    assert_eq!(listed.items().len(), 1);
    let err = mp
        .cancel_harvest_job()
        .channel_group_name("g")
        .channel_name("c")
        .origin_endpoint_name("e")
        .harvest_job_name("j")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ValidationException"));
}

#[tokio::test]
async fn anonymous_egress_needs_a_policy_that_allows_everyone() {
    let server = TestServer::start().await;
    let mp = client(&server, common::ROOT_KEY, common::ROOT_SECRET).await;
    let (arn, url) = endpoint(&mp).await;
    let path = path_of(&url);

    let denied = anonymous_get(&server, &path, "").await;
    assert_eq!(denied.status, 403, "{}", denied.text());
    assert_eq!(
        denied.header("x-amzn-errortype"),
        Some("AccessDeniedException")
    );
    assert_eq!(
        denied.json()["Message"],
        format!("User: anonymous is not authorized to perform: mediapackagev2:GetObject on resource: {arn} because no resource-based policy allows the mediapackagev2:GetObject action")
    );

    put_policy(&mp, &policy(r#""*""#, &arn, "")).await;
    let got = mp
        .get_origin_endpoint_policy()
        .channel_group_name("g")
        .channel_name("c")
        .origin_endpoint_name("e")
        .send()
        .await
        .unwrap();
    assert!(got.policy().contains("mediapackagev2:GetObject"));

    let top = anonymous_get(&server, &path, "").await;
    assert_eq!(top.status, 200, "{}", top.text());
    let text = top.text();
    assert!(text.starts_with("#EXTM3U"), "{text}");
    let child = text.lines().last().unwrap();
    let media = anonymous_get(&server, &path.replace("index.m3u8", child), "").await;
    assert_eq!(media.status, 200);
    let media = media.text();
    assert!(
        media.contains("#EXT-X-MAP:URI=\"segment_1_init.mp4\""),
        "{media}"
    );
    let segment = media.lines().last().unwrap();
    let seg = anonymous_get(&server, &path.replace("index.m3u8", segment), "").await;
    assert_eq!(seg.status, 200);
    assert_eq!(seg.header("content-type"), Some("video/mp4"));
    let dash = anonymous_get(&server, &path.replace("index.m3u8", "dash.mpd"), "").await;
    assert_eq!(dash.status, 200);
    assert!(dash.text().contains("<MPD"));
    let missing = anonymous_get(&server, &path.replace("index.m3u8", "nope.m3u8"), "").await;
    assert_eq!(missing.status, 404);

    // A signature for another service does not open the endpoint.
    let wrong = server
        .signed(
            "GET",
            &path,
            &[],
            b"",
            "mediapackage",
            common::ROOT_KEY,
            common::ROOT_SECRET,
            SystemTime::now(),
        )
        .await;
    assert_eq!(wrong.status, 403, "{} {:?}", wrong.text(), wrong.headers);
    assert_eq!(
        wrong.json()["message"],
        "Credential should be scoped to correct service: 'mediapackagev2'. ",
        "{}",
        wrong.text()
    );

    // HEAD is GetHeadObject, which this policy does not allow.
    let host = server.endpoint.trim_start_matches("http://");
    let head = server
        .raw(
            format!("HEAD {path} HTTP/1.1\r\nhost: {host}\r\nconnection: close\r\n\r\n").as_bytes(),
        )
        .await;
    assert_eq!(head.status, 403);

    // Deleting the policy closes the door again.
    mp.delete_origin_endpoint_policy()
        .channel_group_name("g")
        .channel_name("c")
        .origin_endpoint_name("e")
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous_get(&server, &path, "").await.status, 403);
}

#[tokio::test]
async fn a_source_ip_condition_decides_anonymous_egress() {
    let server = TestServer::start().await;
    let mp = client(&server, common::ROOT_KEY, common::ROOT_SECRET).await;
    let (arn, url) = endpoint(&mp).await;
    let path = path_of(&url);
    let only = |cidr: &str| {
        policy(
            r#"{"AWS":"*"}"#,
            &arn,
            &format!(r#","Condition":{{"IpAddress":{{"aws:SourceIp":"{cidr}"}}}}"#),
        )
    };
    put_policy(&mp, &only("10.0.0.0/8")).await;
    assert_eq!(anonymous_get(&server, &path, "").await.status, 403);
    put_policy(&mp, &only("127.0.0.0/8")).await;
    assert_eq!(anonymous_get(&server, &path, "").await.status, 200);

    // An explicit deny wins over the allow, and HEAD is its own action.
    let both = format!(
        r#"{{"Version":"2012-10-17","Statement":[
            {{"Effect":"Allow","Principal":"*","Action":["mediapackagev2:GetObject","mediapackagev2:GetHeadObject"],"Resource":"{arn}"}},
            {{"Effect":"Deny","Principal":"*","Action":"mediapackagev2:GetObject","Resource":"{arn}","Condition":{{"IpAddress":{{"aws:SourceIp":"127.0.0.0/8"}}}}}}]}}"#
    );
    put_policy(&mp, &both).await;
    let denied = anonymous_get(&server, &path, "").await;
    assert_eq!(denied.status, 403);
    assert_eq!(
        denied.json()["Message"],
        format!("User: anonymous is not authorized to perform: mediapackagev2:GetObject on resource: {arn} with an explicit deny in a resource-based policy")
    );
    let host = server.endpoint.trim_start_matches("http://");
    let head = server
        .raw(
            format!("HEAD {path} HTTP/1.1\r\nhost: {host}\r\nconnection: close\r\n\r\n").as_bytes(),
        )
        .await;
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert!(
        head.header("content-length").is_some_and(|l| l != "0"),
        "{:?}",
        head.headers
    );
}

#[tokio::test]
async fn policies_are_validated_as_aws_does() {
    let server = TestServer::start().await;
    let mp = client(&server, common::ROOT_KEY, common::ROOT_SECRET).await;
    let (arn, _) = endpoint(&mp).await;
    for bad in [
        "{not json".to_string(),
        policy(r#"{"AWS":"arn:aws:iam::1234*:root"}"#, &arn, ""),
        policy(r#""*""#, &arn.replace("/e", "/other"), ""),
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"*","Resource":"{arn}"}}]}}"#
        ),
    ] {
        let err = mp
            .put_origin_endpoint_policy()
            .channel_group_name("g")
            .channel_name("c")
            .origin_endpoint_name("e")
            .policy(&bad)
            .send()
            .await
            .unwrap_err();
        match err.into_service_error() {
            mp::operation::put_origin_endpoint_policy::PutOriginEndpointPolicyError::ValidationException(e) => {
                assert_eq!(e.validation_exception_type().map(|t| t.as_str()), Some("INVALID_POLICY"), "{bad}");
            }
            other => panic!("{bad}: {other:?}"),
        }
    }
    let err = mp
        .get_origin_endpoint_policy()
        .channel_group_name("g")
        .channel_name("c")
        .origin_endpoint_name("e")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ResourceNotFoundException"));
}

/// Another account's user reaches the endpoint only when both its own identity policy and the
/// endpoint's policy allow it.
#[tokio::test]
async fn cross_account_egress_needs_both_sides() {
    let path = std::env::temp_dir().join(format!("mediamock-mpv2-{}.toml", std::process::id()));
    std::fs::write(
        &path,
        r#"
[[accounts]]
id = "222222222222"
root_access_key = "AKIAROOT222222222222"
root_secret_key = "rootsecret2"
"#,
    )
    .unwrap();
    let mut config = server::Config::for_tests();
    config.bootstrap = Some(path.clone());
    let server = TestServer::start_with(config).await;
    let owner = client(&server, common::ROOT_KEY, common::ROOT_SECRET).await;
    let (arn, url) = endpoint(&owner).await;
    let egress = path_of(&url);

    // Users of the other account: one allowed by its identity policy, one with no policy.
    let iam2 = aws_sdk_iam::Client::new(
        &server
            .sdk_config("AKIAROOT222222222222", "rootsecret2")
            .await,
    );
    let mut keys = Vec::new();
    for (name, doc) in [
        (
            "viewer",
            Some(
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"mediapackagev2:GetObject","Resource":"*"}]}"#,
            ),
        ),
        ("nobody", None),
    ] {
        iam2.create_user().user_name(name).send().await.unwrap();
        if let Some(doc) = doc {
            iam2.put_user_policy()
                .user_name(name)
                .policy_name("p")
                .policy_document(doc)
                .send()
                .await
                .unwrap();
        }
        let k = iam2
            .create_access_key()
            .user_name(name)
            .send()
            .await
            .unwrap()
            .access_key
            .unwrap();
        keys.push((k.access_key_id, k.secret_access_key));
    }
    let get = |i: usize| {
        let (k, s) = keys[i].clone();
        let server = &server;
        let egress = egress.clone();
        async move {
            server
                .signed(
                    "GET",
                    &egress,
                    &[],
                    b"",
                    "mediapackagev2",
                    &k,
                    &s,
                    SystemTime::now(),
                )
                .await
        }
    };

    // No endpoint policy: the identity policy alone cannot reach another account.
    let r = get(0).await;
    assert_eq!(r.status, 403, "{}", r.text());
    assert_eq!(
        r.json()["Message"],
        format!("User: arn:aws:iam::222222222222:user/viewer is not authorized to perform: mediapackagev2:GetObject on resource: {arn} because no resource-based policy allows the mediapackagev2:GetObject action")
    );

    // A policy naming someone else does not help.
    owner_policy(
        &owner,
        &policy(r#"{"AWS":"arn:aws:iam::333333333333:root"}"#, &arn, ""),
    )
    .await;
    assert_eq!(get(0).await.status, 403);

    // A policy naming the account: allowed for the user whose own policy allows it…
    owner_policy(
        &owner,
        &policy(r#"{"AWS":"arn:aws:iam::222222222222:root"}"#, &arn, ""),
    )
    .await;
    let r = get(0).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.text().starts_with("#EXTM3U"));
    // …and not for the one whose own policy does not.
    let r = get(1).await;
    assert_eq!(r.status, 403, "{}", r.text());
    assert_eq!(
        r.json()["Message"],
        format!("User: arn:aws:iam::222222222222:user/nobody is not authorized to perform: mediapackagev2:GetObject on resource: {arn} because no identity-based policy allows the mediapackagev2:GetObject action")
    );

    // The other account's control plane sees none of the owner's resources.
    let other = client(&server, "AKIAROOT222222222222", "rootsecret2").await;
    let err = other
        .get_channel_group()
        .channel_group_name("g")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ResourceNotFoundException"));
    let _ = std::fs::remove_file(&path);
    let _ = REGION;
}

async fn owner_policy(mp: &mp::Client, doc: &str) {
    put_policy(mp, doc).await;
}

#[tokio::test]
async fn identity_policies_see_tags_on_v2_resources() {
    let server = TestServer::start().await;
    let root = client(&server, common::ROOT_KEY, common::ROOT_SECRET).await;
    root.create_channel_group()
        .channel_group_name("mine")
        .tags("Owner", "alice")
        .send()
        .await
        .unwrap();
    root.create_channel_group()
        .channel_group_name("theirs")
        .tags("Owner", "bob")
        .send()
        .await
        .unwrap();
    let (k, s) = server
        .user_with_policy(
            "alice",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"mediapackagev2:GetChannelGroup","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/Owner":"${aws:username}"}}}]}"#,
        )
        .await;
    let alice = client(&server, &k, &s).await;
    alice
        .get_channel_group()
        .channel_group_name("mine")
        .send()
        .await
        .unwrap();
    let err = alice
        .get_channel_group()
        .channel_group_name("theirs")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("AccessDeniedException"));
    assert_eq!(
        err.message(),
        Some(format!("User: arn:aws:iam::000000000000:user/alice is not authorized to perform: mediapackagev2:GetChannelGroup on resource: arn:aws:mediapackagev2:{REGION}:000000000000:channelGroup/theirs because no identity-based policy allows the mediapackagev2:GetChannelGroup action").as_str())
    );
}

#[tokio::test]
async fn resources_policies_and_jobs_survive_a_restart() {
    let dir = common::temp_dir("mediamock-mpv2-durable");
    let config = || {
        let mut c = server::Config::for_tests();
        c.data_dir = Some(dir.clone());
        c
    };
    let server = TestServer::start_with(config()).await;
    let mp = client(&server, common::ROOT_KEY, common::ROOT_SECRET).await;
    let (arn, _) = endpoint(&mp).await;
    let doc = policy(r#""*""#, &arn, "");
    put_policy(&mp, &doc).await;
    mp.tag_resource()
        .resource_arn(&arn)
        .tags("k", "v")
        .send()
        .await
        .unwrap();
    server.stop().await;

    let server = TestServer::start_with(config()).await;
    let mp = client(&server, common::ROOT_KEY, common::ROOT_SECRET).await;
    let e = mp
        .get_origin_endpoint()
        .channel_group_name("g")
        .channel_name("c")
        .origin_endpoint_name("e")
        .send()
        .await
        .unwrap();
    assert_eq!(e.tags().unwrap().get("k").map(String::as_str), Some("v"));
    let got = mp
        .get_origin_endpoint_policy()
        .channel_group_name("g")
        .channel_name("c")
        .origin_endpoint_name("e")
        .send()
        .await
        .unwrap();
    assert_eq!(got.policy(), doc);
    // The restored policy still decides egress (the URL points at the new port).
    let url = e.hls_manifests()[0].url().to_string();
    assert_eq!(anonymous_get(&server, &path_of(&url), "").await.status, 200);
    server.stop().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn ingest_is_authorized_against_the_channel_policy() {
    let server = TestServer::start().await;
    let mp = client(&server, common::ROOT_KEY, common::ROOT_SECRET).await;
    endpoint(&mp).await;
    let channel = mp
        .get_channel()
        .channel_group_name("g")
        .channel_name("c")
        .send()
        .await
        .unwrap();
    let url = channel.ingest_endpoints()[0].url().unwrap().to_string();
    // A CMAF input's URL ends in `/`: its streams' files go beneath it.
    assert!(url.ends_with("/1/c/"), "{url}");
    let path = path_of(&url);
    let host = server.endpoint.trim_start_matches("http://");
    let put = |path: String| {
        let req = format!("PUT {path} HTTP/1.1\r\nhost: {host}\r\ncontent-length: 4\r\nconnection: close\r\n\r\nG@@@");
        let server = &server;
        async move { server.raw(req.as_bytes()).await }
    };
    assert_eq!(put(format!("{path}seg1.ts")).await.status, 403);
    let carn = channel.arn().to_string();
    mp.put_channel_policy()
        .channel_group_name("g")
        .channel_name("c")
        .policy(format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":"*","Action":"mediapackagev2:PutObject","Resource":"{carn}"}}]}}"#
        ))
        .send()
        .await
        .unwrap();
    let r = put(format!("{path}seg1.ts")).await;
    assert_eq!(r.status, 201, "{}", r.text());
}

/// A GET signed with temporary credentials (an assumed role's session).
async fn session_get(
    server: &TestServer,
    path: &str,
    key: &str,
    secret: &str,
    token: &str,
) -> RawResponse {
    use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
    use aws_sigv4::sign::v4;
    let host = server.endpoint.trim_start_matches("http://").to_string();
    let identity =
        aws_credential_types::Credentials::new(key, secret, Some(token.to_string()), None, "t")
            .into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(REGION)
        .name("mediapackagev2")
        .time(SystemTime::now())
        .settings(SigningSettings::default())
        .build()
        .unwrap()
        .into();
    let url = format!("{}{path}", server.endpoint);
    let headers = [("host".to_string(), host.clone())];
    let signable = SignableRequest::new(
        "GET",
        &url,
        headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        SignableBody::Bytes(b""),
    )
    .unwrap();
    let (instructions, _) = sign(signable, &params).unwrap().into_parts();
    let (signed, _) = instructions.into_parts();
    let mut text = format!("GET {path} HTTP/1.1\r\nhost: {host}\r\n");
    for h in signed {
        text.push_str(&format!("{}: {}\r\n", h.name(), h.value()));
    }
    text.push_str("connection: close\r\n\r\n");
    server.raw(text.as_bytes()).await
}

/// A role of another account reaches the endpoint only when the endpoint's policy names it (or
/// its account) and the role's own policy allows it; every decision is counted.
#[tokio::test]
async fn a_role_of_another_account_needs_its_own_policy_too() {
    let file =
        std::env::temp_dir().join(format!("mediamock-mpv2-role-{}.toml", std::process::id()));
    std::fs::write(
        &file,
        "[[accounts]]\nid = \"222222222222\"\nroot_access_key = \"AKIAROOT222222222223\"\nroot_secret_key = \"rootsecret3\"\n",
    )
    .unwrap();
    let mut config = server::Config::for_tests();
    config.bootstrap = Some(file.clone());
    let server = TestServer::start_with(config).await;
    let owner = client(&server, common::ROOT_KEY, common::ROOT_SECRET).await;
    let (arn, url) = endpoint(&owner).await;
    let egress = path_of(&url);
    let other = server
        .sdk_config("AKIAROOT222222222223", "rootsecret3")
        .await;
    let iam2 = aws_sdk_iam::Client::new(&other);
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":"sts:AssumeRole"}]}"#;
    for name in ["player", "idle"] {
        iam2.create_role()
            .role_name(name)
            .assume_role_policy_document(trust)
            .send()
            .await
            .unwrap();
    }
    iam2.put_role_policy()
        .role_name("player")
        .policy_name("p")
        .policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"mediapackagev2:GetObject","Resource":"*"}]}"#)
        .send()
        .await
        .unwrap();
    owner_policy(
        &owner,
        &policy(r#"{"AWS":["arn:aws:iam::222222222222:role/player","arn:aws:iam::222222222222:role/idle"]}"#, &arn, ""),
    )
    .await;
    // Root may not assume roles (AWS refuses it): a user of that account does.
    iam2.create_user().user_name("caller").send().await.unwrap();
    iam2.put_user_policy()
        .user_name("caller")
        .policy_name("assume")
        .policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}"#)
        .send()
        .await
        .unwrap();
    let key = iam2
        .create_access_key()
        .user_name("caller")
        .send()
        .await
        .unwrap()
        .access_key
        .unwrap();
    let caller = server
        .sdk_config(&key.access_key_id, &key.secret_access_key)
        .await;
    let sts = aws_sdk_sts::Client::new(&caller);
    let mut statuses = Vec::new();
    for name in ["player", "idle"] {
        let creds = sts
            .assume_role()
            .role_arn(format!("arn:aws:iam::222222222222:role/{name}"))
            .role_session_name("sess")
            .send()
            .await
            .unwrap()
            .credentials
            .unwrap();
        let r = session_get(
            &server,
            &egress,
            &creds.access_key_id,
            &creds.secret_access_key,
            &creds.session_token,
        )
        .await;
        statuses.push((
            r.status,
            r.json()["Message"].as_str().unwrap_or_default().to_string(),
        ));
    }
    assert_eq!(statuses[0].0, 200, "{statuses:?}");
    assert_eq!(statuses[1].0, 403, "{statuses:?}");
    assert!(
        statuses[1].1.starts_with("User: arn:aws:sts::222222222222:assumed-role/idle/sess is not authorized to perform: mediapackagev2:GetObject"),
        "{statuses:?}"
    );
    // Egress decisions are counted with API decisions.
    let metrics = anonymous_get(&server, "/_mediamock/metrics", "")
        .await
        .text();
    assert!(
        metrics.contains("mediamock_authorization_decisions_total{result=\"denied\"}"),
        "{metrics}"
    );
    let _ = std::fs::remove_file(&file);
}

/// An endpoint configured to force errors on a STALE_MANIFEST answers 404 to its manifest and
/// segment requests until its channel receives ingest, and again once ingest stops for three
/// segment durations; the channel's other endpoint serves throughout.
#[tokio::test]
async fn a_forced_stale_manifest_error_follows_the_channels_ingest() {
    use aws_sdk_mediapackagev2::types::{EndpointErrorCondition, ForceEndpointErrorConfiguration};
    let mut config = server::Config::for_tests();
    config.transitions = server::Transitions::Manual;
    let server = TestServer::start_with(config).await;
    let mp = client(&server, common::ROOT_KEY, common::ROOT_SECRET).await;
    let (_, plain_url) = endpoint(&mp).await;
    let stale = mp
        .create_origin_endpoint()
        .channel_group_name("g")
        .channel_name("c")
        .origin_endpoint_name("stale")
        .container_type(ContainerType::Cmaf)
        .hls_manifests(
            CreateHlsManifestConfiguration::builder()
                .manifest_name("index")
                .build()
                .unwrap(),
        )
        .force_endpoint_error_configuration(
            ForceEndpointErrorConfiguration::builder()
                .endpoint_error_conditions(EndpointErrorCondition::StaleManifest)
                .build(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        stale
            .force_endpoint_error_configuration()
            .unwrap()
            .endpoint_error_conditions(),
        [EndpointErrorCondition::StaleManifest]
    );
    let manifest = path_of(stale.hls_manifests()[0].url());
    let child = manifest.replace("index.m3u8", "index_1.m3u8");
    let get = |path: String| {
        let server = &server;
        async move {
            server
                .signed(
                    "GET",
                    &path,
                    &[],
                    b"",
                    "mediapackagev2",
                    common::ROOT_KEY,
                    common::ROOT_SECRET,
                    SystemTime::now(),
                )
                .await
                .status
        }
    };
    // Nothing ingested yet: the manifest is stale.
    assert_eq!(get(manifest.clone()).await, 404);
    assert_eq!(get(child.clone()).await, 404);
    assert_eq!(
        get(path_of(&plain_url)).await,
        200,
        "the plain endpoint serves"
    );

    let channel = mp
        .get_channel()
        .channel_group_name("g")
        .channel_name("c")
        .send()
        .await
        .unwrap();
    let ingest = path_of(channel.ingest_endpoints()[0].url().unwrap());
    let r = server
        .signed(
            "PUT",
            &format!("{ingest}seg1.mp4"),
            &[],
            b"G@@@",
            "mediapackagev2",
            common::ROOT_KEY,
            common::ROOT_SECRET,
            SystemTime::now(),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(get(manifest.clone()).await, 200, "ingest arrived");
    assert_eq!(get(child.clone()).await, 200);

    // 18 s (three 6-second segments) without ingest is not yet stale; a second more is.
    let advance = |seconds: u64| {
        let server = &server;
        async move {
            let (code, _) = server
                .admin(
                    "POST",
                    "/_mediamock/clock/advance",
                    serde_json::json!({ "seconds": seconds }),
                    common::ROOT_KEY,
                    common::ROOT_SECRET,
                )
                .await;
            assert_eq!(code, 200);
        }
    };
    advance(18).await;
    assert_eq!(get(manifest.clone()).await, 200);
    advance(1).await;
    assert_eq!(get(manifest.clone()).await, 404, "ingest stopped");
    assert_eq!(get(child).await, 404);
    assert_eq!(get(path_of(&plain_url)).await, 200);

    // A reset removes the channel's content: stale again until the next ingest.
    let put = server
        .signed(
            "PUT",
            &format!("{ingest}seg2.mp4"),
            &[],
            b"G@@@",
            "mediapackagev2",
            common::ROOT_KEY,
            common::ROOT_SECRET,
            SystemTime::now(),
        )
        .await;
    assert_eq!(put.status, 201);
    assert_eq!(get(manifest.clone()).await, 200);
    mp.reset_channel_state()
        .channel_group_name("g")
        .channel_name("c")
        .send()
        .await
        .unwrap();
    assert_eq!(get(manifest).await, 404, "reset");
}

/// UpdateOriginEndpoint's `StreamNameOutputMode` "must match the current value. You can't
/// change the stream name output mode after you create the endpoint" (the model); an update
/// without it keeps the mode.
#[tokio::test]
async fn the_stream_name_output_mode_is_fixed_at_creation() {
    use aws_sdk_mediapackagev2::types::StreamNameOutputMode;
    let server = TestServer::start().await;
    let mp = client(&server, common::ROOT_KEY, common::ROOT_SECRET).await;
    mp.create_channel_group()
        .channel_group_name("g3")
        .send()
        .await
        .unwrap();
    mp.create_channel()
        .channel_group_name("g3")
        .channel_name("hl")
        .input_type(InputType::Hls)
        .send()
        .await
        .unwrap();
    let manifest = || {
        CreateHlsManifestConfiguration::builder()
            .manifest_name("d")
            .build()
            .unwrap()
    };
    let created = mp
        .create_origin_endpoint()
        .channel_group_name("g3")
        .channel_name("hl")
        .origin_endpoint_name("y11")
        .container_type(ContainerType::Cmaf)
        .hls_manifests(manifest())
        .stream_name_output_mode(StreamNameOutputMode::Index)
        .send()
        .await
        .unwrap();
    assert_eq!(
        created.stream_name_output_mode(),
        Some(&StreamNameOutputMode::Index)
    );
    let update = || {
        mp.update_origin_endpoint()
            .channel_group_name("g3")
            .channel_name("hl")
            .origin_endpoint_name("y11")
            .container_type(ContainerType::Cmaf)
            .hls_manifests(manifest())
    };
    let err = update()
        .stream_name_output_mode(StreamNameOutputMode::PassthroughName)
        .send()
        .await
        .unwrap_err();
    match err.into_service_error() {
        mp::operation::update_origin_endpoint::UpdateOriginEndpointError::ValidationException(
            e,
        ) => {
            assert_eq!(
                e.validation_exception_type(),
                Some(&mp::types::ValidationExceptionType::StreamNameOutputModeImmutable)
            );
        }
        other => panic!("{other:?}"),
    }
    let got = mp
        .get_origin_endpoint()
        .channel_group_name("g3")
        .channel_name("hl")
        .origin_endpoint_name("y11")
        .send()
        .await
        .unwrap();
    assert_eq!(
        got.stream_name_output_mode(),
        Some(&StreamNameOutputMode::Index)
    );
    // The current value, or none, is accepted and keeps the mode.
    update()
        .stream_name_output_mode(StreamNameOutputMode::Index)
        .send()
        .await
        .unwrap();
    let kept = update().description("no mode").send().await.unwrap();
    assert_eq!(
        kept.stream_name_output_mode(),
        Some(&StreamNameOutputMode::Index)
    );
}

/// A NON_EPOCH_LOCKED channel "does not support cross-region synchronization or failover"
/// (the model's OutputLockingMode), so its endpoints take no failover settings
/// (`ForceEndpointErrorConfiguration`); an EPOCH_LOCKED channel's do.
#[tokio::test]
async fn a_non_epoch_locked_channel_refuses_forced_endpoint_errors() {
    use aws_sdk_mediapackagev2::types::{
        EndpointErrorCondition, ForceEndpointErrorConfiguration, OutputLockingMode,
    };
    let server = TestServer::start().await;
    let mp = client(&server, common::ROOT_KEY, common::ROOT_SECRET).await;
    mp.create_channel_group()
        .channel_group_name("g3")
        .send()
        .await
        .unwrap();
    for (name, mode) in [
        ("ne", OutputLockingMode::NonEpochLocked),
        ("el", OutputLockingMode::EpochLocked),
    ] {
        mp.create_channel()
            .channel_group_name("g3")
            .channel_name(name)
            .input_type(InputType::Cmaf)
            .output_locking_mode(mode)
            .send()
            .await
            .unwrap();
    }
    let create = |channel: &'static str| {
        mp.create_origin_endpoint()
            .channel_group_name("g3")
            .channel_name(channel)
            .origin_endpoint_name("f1")
            .container_type(ContainerType::Cmaf)
            .hls_manifests(
                CreateHlsManifestConfiguration::builder()
                    .manifest_name("a")
                    .build()
                    .unwrap(),
            )
            .force_endpoint_error_configuration(
                ForceEndpointErrorConfiguration::builder()
                    .endpoint_error_conditions(EndpointErrorCondition::StaleManifest)
                    .build(),
            )
            .send()
    };
    let err = create("ne").await.unwrap_err();
    match err.into_service_error() {
        mp::operation::create_origin_endpoint::CreateOriginEndpointError::ValidationException(
            e,
        ) => {
            assert_eq!(
                e.validation_exception_type(),
                Some(
                    &mp::types::ValidationExceptionType::NonEpochLockedWithForceEndpointErrorConfiguration
                )
            );
        }
        other => panic!("{other:?}"),
    }
    create("el").await.unwrap();
}

/// A harvest job whose EndTime is ten minutes ahead is accepted and stays IN_PROGRESS (and
/// cancellable) while its window is still being recorded, through a restart on the same data
/// dir; once the manual clock passes the end it exports and completes, which the
/// HarvestJobFinished waiter sees.
#[tokio::test]
async fn a_harvest_job_ending_in_the_future_runs_until_its_end() {
    let dir = common::temp_dir("mediamock-mpv2-future-harvest");
    let config = || {
        let mut c = server::Config::for_tests();
        c.transitions = server::Transitions::Manual;
        c.data_dir = Some(dir.clone());
        c
    };
    let server = TestServer::start_with(config()).await;
    let mp = client(&server, common::ROOT_KEY, common::ROOT_SECRET).await;
    endpoint(&mp).await;
    let now = SystemTime::now();
    for name in ["live", "dropped"] {
        let job = harvest(
            &mp,
            name,
            now - Duration::from_secs(600),
            now + Duration::from_secs(600),
        )
        .await;
        assert_eq!(job.status(), &HarvestJobStatus::Queued);
    }
    let status = |mp: mp::Client, name: &'static str| async move {
        mp.get_harvest_job()
            .channel_group_name("g")
            .channel_name("c")
            .origin_endpoint_name("e")
            .harvest_job_name(name)
            .send()
            .await
            .unwrap()
            .status()
            .clone()
    };
    server.advance_clock(60).await;
    assert_eq!(
        status(mp.clone(), "live").await,
        HarvestJobStatus::InProgress
    );
    mp.cancel_harvest_job()
        .channel_group_name("g")
        .channel_name("c")
        .origin_endpoint_name("e")
        .harvest_job_name("dropped")
        .send()
        .await
        .unwrap();
    server.stop().await;

    let server = TestServer::start_with(config()).await;
    let mp = client(&server, common::ROOT_KEY, common::ROOT_SECRET).await;
    assert_eq!(
        status(mp.clone(), "dropped").await,
        HarvestJobStatus::Cancelled
    );
    server.advance_clock(500).await;
    assert_eq!(
        status(mp.clone(), "live").await,
        HarvestJobStatus::InProgress
    );
    server.advance_clock(60).await;
    let done = mp
        .wait_until_harvest_job_finished()
        .channel_group_name("g")
        .channel_name("c")
        .origin_endpoint_name("e")
        .harvest_job_name("live")
        .wait(Duration::from_secs(30))
        .await
        .unwrap();
    assert_eq!(
        done.as_result().unwrap().status(),
        &HarvestJobStatus::Completed
    );
    server.stop().await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// CreateOriginEndpoint `name` on the `endpoint` helper's channel (CMAF unless `f` says
/// otherwise): `None` if created, else the ValidationException's `ValidationExceptionType`.
async fn refusal(
    mp: &mp::Client,
    name: &str,
    f: impl FnOnce(
        mp::operation::create_origin_endpoint::builders::CreateOriginEndpointFluentBuilder,
    )
        -> mp::operation::create_origin_endpoint::builders::CreateOriginEndpointFluentBuilder,
) -> Option<String> {
    use mp::operation::create_origin_endpoint::CreateOriginEndpointError;
    let request = mp
        .create_origin_endpoint()
        .channel_group_name("g")
        .channel_name("c")
        .origin_endpoint_name(name)
        .container_type(ContainerType::Cmaf);
    match f(request).send().await {
        Ok(_) => None,
        Err(e) => match e.into_service_error() {
            CreateOriginEndpointError::ValidationException(v) => {
                let reason = v.validation_exception_type().unwrap().as_str().to_string();
                assert!(!v.message().unwrap_or_default().is_empty(), "{reason}");
                Some(reason)
            }
            other => panic!("{other:?}"),
        },
    }
}

/// SPEKE encryption with `method`, `drm` systems, presets and key provider `url`.
fn speke(
    method: mp::types::EncryptionMethod,
    drm: mp::types::DrmSystem,
    (audio, video): (mp::types::PresetSpeke20Audio, mp::types::PresetSpeke20Video),
    url: &str,
) -> mp::types::builders::EncryptionBuilder {
    use mp::types::{EncryptionContractConfiguration, SpekeKeyProvider};
    mp::types::Encryption::builder()
        .encryption_method(method)
        .speke_key_provider(
            SpekeKeyProvider::builder()
                .resource_id("r")
                .drm_systems(drm)
                .role_arn("arn:aws:iam::000000000000:role/SpekeAccess")
                .url(url)
                .encryption_contract_configuration(
                    EncryptionContractConfiguration::builder()
                        .preset_speke20_audio(audio)
                        .preset_speke20_video(video)
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap(),
        )
}

/// The SPEKE key provider URL's host may not be loopback, unspecified or multicast (as it
/// may not be link-local), by the model's URL_* reasons.
#[tokio::test]
async fn speke_urls_refuse_loopback_local_and_multicast_hosts() {
    use mp::types::{
        CmafEncryptionMethod, DrmSystem, EncryptionMethod, PresetSpeke20Audio, PresetSpeke20Video,
        Segment,
    };
    let server = TestServer::start().await;
    let mp = client(&server, common::ROOT_KEY, common::ROOT_SECRET).await;
    endpoint(&mp).await;
    let cbcs = EncryptionMethod::builder()
        .cmaf_encryption_method(CmafEncryptionMethod::Cbcs)
        .build();
    let shared = (PresetSpeke20Audio::Shared, PresetSpeke20Video::Shared);
    for (i, (url, reason)) in [
        ("https://127.0.0.1/speke", Some("URL_LOOPBACK_ADDRESS")),
        ("https://localhost/speke", Some("URL_LOOPBACK_ADDRESS")),
        ("https://[::1]/speke", Some("URL_LOOPBACK_ADDRESS")),
        ("https://127.1/speke", Some("URL_LOOPBACK_ADDRESS")),
        ("https://2130706433/speke", Some("URL_LOOPBACK_ADDRESS")),
        ("https://0.0.0.0/speke", Some("URL_LOCAL_ADDRESS")),
        ("https://239.1.2.3/speke", Some("URL_MULTICAST_ADDRESS")),
        (
            "https://169.254.169.254/speke",
            Some("URL_LINK_LOCAL_ADDRESS"),
        ),
        ("https://speke.example.com/copyProtection", None),
    ]
    .into_iter()
    .enumerate()
    {
        let encryption = speke(cbcs.clone(), DrmSystem::Widevine, shared.clone(), url).build();
        let got = refusal(&mp, &format!("s{i}"), |r| {
            r.segment(Segment::builder().encryption(encryption).build())
                .hls_manifests(
                    CreateHlsManifestConfiguration::builder()
                        .manifest_name("m")
                        .build()
                        .unwrap(),
                )
        })
        .await;
        assert_eq!(got.as_deref(), reason, "{url}");
    }
}

/// Encryption combinations the model names reasons for: CENC with a constant IV, TS with
/// separate audio and video keys but no audio rendition group, DASH DrmSignaling on
/// unencrypted segments.
#[tokio::test]
async fn encryption_combinations_the_model_flags_are_refused() {
    use mp::types::{
        CmafEncryptionMethod, DashDrmSignaling, DrmSystem, EncryptionMethod, PresetSpeke20Audio,
        PresetSpeke20Video, Segment, TsEncryptionMethod,
    };
    let server = TestServer::start().await;
    let mp = client(&server, common::ROOT_KEY, common::ROOT_SECRET).await;
    endpoint(&mp).await;
    let url = "https://speke.example.com/copyProtection";
    let hls = || {
        CreateHlsManifestConfiguration::builder()
            .manifest_name("m")
            .build()
            .unwrap()
    };
    let cmaf = |method| {
        EncryptionMethod::builder()
            .cmaf_encryption_method(method)
            .build()
    };
    let shared = (PresetSpeke20Audio::Shared, PresetSpeke20Video::Shared);
    for (name, method, reason) in [
        (
            "cenc",
            CmafEncryptionMethod::Cenc,
            Some("CENC_IV_INCOMPATIBLE"),
        ),
        ("cbcs", CmafEncryptionMethod::Cbcs, None),
    ] {
        let encryption = speke(cmaf(method), DrmSystem::Widevine, shared.clone(), url)
            .constant_initialization_vector("0123456789abcdef0123456789abcdef")
            .build();
        let got = refusal(&mp, name, |r| {
            r.segment(Segment::builder().encryption(encryption).build())
                .hls_manifests(hls())
        })
        .await;
        assert_eq!(got.as_deref(), reason, "{name}");
    }
    let separate = (
        PresetSpeke20Audio::PresetAudio1,
        PresetSpeke20Video::PresetVideo1,
    );
    for (name, presets, group, reason) in [
        (
            "ts1",
            separate.clone(),
            false,
            Some("ENCRYPTION_CONTRACT_WITHOUT_AUDIO_RENDITION_INCOMPATIBLE"),
        ),
        ("ts2", separate, true, None),
        ("ts3", shared.clone(), false, None),
    ] {
        let sample_aes = EncryptionMethod::builder()
            .ts_encryption_method(TsEncryptionMethod::SampleAes)
            .build();
        let encryption = speke(sample_aes, DrmSystem::Fairplay, presets, url).build();
        let got = refusal(&mp, name, |r| {
            r.container_type(ContainerType::Ts)
                .segment(
                    Segment::builder()
                        .ts_use_audio_rendition_group(group)
                        .encryption(encryption)
                        .build(),
                )
                .hls_manifests(hls())
        })
        .await;
        assert_eq!(got.as_deref(), reason, "{name}");
    }
    let signaled = || {
        CreateDashManifestConfiguration::builder()
            .manifest_name("d")
            .drm_signaling(DashDrmSignaling::Referenced)
            .build()
            .unwrap()
    };
    assert_eq!(
        refusal(&mp, "plain", |r| r.dash_manifests(signaled()))
            .await
            .as_deref(),
        Some("DRM_SIGNALING_MISMATCH_SEGMENT_ENCRYPTION_STATUS")
    );
    let encryption = speke(
        cmaf(CmafEncryptionMethod::Cenc),
        DrmSystem::Widevine,
        shared,
        url,
    )
    .build();
    assert_eq!(
        refusal(&mp, "drm", |r| {
            r.segment(Segment::builder().encryption(encryption).build())
                .dash_manifests(signaled())
        })
        .await,
        None
    );
}

/// A manifest's ManifestFilter and DrmSettings follow the User Guide's syntax.
#[tokio::test]
async fn manifest_filters_and_drm_settings_are_validated() {
    use mp::types::FilterConfiguration;
    let server = TestServer::start().await;
    let mp = client(&server, common::ROOT_KEY, common::ROOT_SECRET).await;
    endpoint(&mp).await;
    for (i, (filter, reason)) in [
        (
            FilterConfiguration::builder()
                .manifest_filter("video_height:1-720;audio_codec:AACL,ec-3"),
            None,
        ),
        (
            FilterConfiguration::builder().manifest_filter("garbage!!"),
            Some("INVALID_MANIFEST_FILTER"),
        ),
        (
            FilterConfiguration::builder().manifest_filter("video_height:0-720"),
            Some("INVALID_MANIFEST_FILTER"),
        ),
        (
            FilterConfiguration::builder().drm_settings("exclude_session_keys"),
            None,
        ),
        (
            FilterConfiguration::builder().drm_settings("garbage!!"),
            Some("INVALID_DRM_SETTINGS"),
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let manifest = CreateHlsManifestConfiguration::builder()
            .manifest_name("m")
            .filter_configuration(filter.build())
            .build()
            .unwrap();
        let got = refusal(&mp, &format!("f{i}"), |r| r.hls_manifests(manifest)).await;
        assert_eq!(got.as_deref(), reason, "{i}");
    }
    // The garbage is not stored: the endpoint that was refused does not exist.
    assert!(mp
        .get_origin_endpoint()
        .channel_group_name("g")
        .channel_name("c")
        .origin_endpoint_name("f1")
        .send()
        .await
        .is_err());
}

/// SPEKE content key period timing with start and end times needs SPEKE V2_1 and key
/// rotation (the model's ContentKeyPeriodConfiguration and ContentKeyPeriodTiming docs).
#[tokio::test]
async fn content_key_period_timing_needs_speke_v2_1_and_key_rotation() {
    use mp::types::{
        CmafEncryptionMethod, ContentKeyPeriodConfiguration, ContentKeyPeriodTiming, DrmSystem,
        EncryptionMethod, PresetSpeke20Audio, PresetSpeke20Video, Segment, SpekeVersion,
    };
    let server = TestServer::start().await;
    let mp = client(&server, common::ROOT_KEY, common::ROOT_SECRET).await;
    endpoint(&mp).await;
    let cbcs = EncryptionMethod::builder()
        .cmaf_encryption_method(CmafEncryptionMethod::Cbcs)
        .build();
    let shared = (PresetSpeke20Audio::Shared, PresetSpeke20Video::Shared);
    let url = "https://speke.example.com/copyProtection";
    for (i, (timing, version, rotation, reason)) in [
        (
            ContentKeyPeriodTiming::StartEndOnly,
            None,
            Some(300),
            Some("CONTENT_KEY_PERIOD_TIMING_REQUIRES_SPEKE_V2_1"),
        ),
        (
            ContentKeyPeriodTiming::IndexWithStartEnd,
            Some(SpekeVersion::V20),
            Some(300),
            Some("CONTENT_KEY_PERIOD_TIMING_REQUIRES_SPEKE_V2_1"),
        ),
        (
            ContentKeyPeriodTiming::StartEndOnly,
            Some(SpekeVersion::V21),
            None,
            Some("CONTENT_KEY_PERIOD_TIMING_WITHOUT_KEY_ROTATION"),
        ),
        (
            ContentKeyPeriodTiming::IndexWithStartEnd,
            Some(SpekeVersion::V21),
            Some(600),
            None,
        ),
        (ContentKeyPeriodTiming::IndexOnly, None, None, None),
    ]
    .into_iter()
    .enumerate()
    {
        let mut encryption = speke(cbcs.clone(), DrmSystem::Widevine, shared.clone(), url);
        let mut provider = encryption.get_speke_key_provider().clone().unwrap();
        provider.content_key_period_configuration = Some(
            ContentKeyPeriodConfiguration::builder()
                .content_key_period_timing(timing.clone())
                .build(),
        );
        provider.speke_version = version;
        encryption = encryption
            .speke_key_provider(provider)
            .set_key_rotation_interval_seconds(rotation);
        let got = refusal(&mp, &format!("k{i}"), |r| {
            r.segment(Segment::builder().encryption(encryption.build()).build())
                .hls_manifests(
                    CreateHlsManifestConfiguration::builder()
                        .manifest_name("m")
                        .build()
                        .unwrap(),
                )
        })
        .await;
        assert_eq!(got.as_deref(), reason, "{timing:?}");
    }
}

/// An HLS or low-latency HLS manifest with DATERANGE ad markers needs a
/// ProgramDateTimeIntervalSeconds (the model's AdMarkerHls doc).
#[tokio::test]
async fn daterange_ad_markers_need_a_program_date_time_interval() {
    use mp::types::{AdMarkerHls, CreateLowLatencyHlsManifestConfiguration, ScteHls};
    let server = TestServer::start().await;
    let mp = client(&server, common::ROOT_KEY, common::ROOT_SECRET).await;
    endpoint(&mp).await;
    let daterange = || {
        ScteHls::builder()
            .ad_marker_hls(AdMarkerHls::Daterange)
            .build()
    };
    let hls = |pdt: Option<i32>| {
        CreateHlsManifestConfiguration::builder()
            .manifest_name("m")
            .scte_hls(daterange())
            .set_program_date_time_interval_seconds(pdt)
            .build()
            .unwrap()
    };
    let got = refusal(&mp, "h1", |r| r.hls_manifests(hls(None))).await;
    assert_eq!(got.as_deref(), Some("MEMBER_MISSING"));
    let got = refusal(&mp, "l1", |r| {
        r.low_latency_hls_manifests(
            CreateLowLatencyHlsManifestConfiguration::builder()
                .manifest_name("m")
                .scte_hls(daterange())
                .build()
                .unwrap(),
        )
    })
    .await;
    assert_eq!(got.as_deref(), Some("MEMBER_MISSING"));
    assert_eq!(
        refusal(&mp, "h2", |r| r.hls_manifests(hls(Some(60)))).await,
        None
    );
    let e = mp
        .get_origin_endpoint()
        .channel_group_name("g")
        .channel_name("c")
        .origin_endpoint_name("h2")
        .send()
        .await
        .unwrap();
    let m = &e.hls_manifests()[0];
    assert_eq!(m.program_date_time_interval_seconds(), Some(60));
    assert_eq!(
        m.scte_hls().unwrap().ad_marker_hls(),
        Some(&AdMarkerHls::Daterange)
    );
}

/// An ISM (MSS) endpoint's encryption is PlayReady only, with SHARED presets and no constant
/// IV ("MSS encryption and DRM in AWS Elemental MediaPackage").
#[tokio::test]
async fn ism_encryption_is_playready_with_shared_presets() {
    use mp::types::{
        CreateMssManifestConfiguration, DrmSystem, EncryptionMethod, IsmEncryptionMethod,
        PresetSpeke20Audio, PresetSpeke20Video, Segment,
    };
    let server = TestServer::start().await;
    let mp = client(&server, common::ROOT_KEY, common::ROOT_SECRET).await;
    endpoint(&mp).await;
    let cenc = EncryptionMethod::builder()
        .ism_encryption_method(IsmEncryptionMethod::Cenc)
        .build();
    let url = "https://speke.example.com/copyProtection";
    let shared = (PresetSpeke20Audio::Shared, PresetSpeke20Video::Shared);
    let separate = (
        PresetSpeke20Audio::PresetAudio1,
        PresetSpeke20Video::PresetVideo1,
    );
    for (i, (drm, presets, iv, reason)) in [
        (DrmSystem::Playready, shared.clone(), false, None),
        (
            DrmSystem::Widevine,
            shared.clone(),
            false,
            Some("DRM_SYSTEMS_ENCRYPTION_METHOD_INCOMPATIBLE"),
        ),
        (
            DrmSystem::Playready,
            separate,
            false,
            Some("ENCRYPTION_CONTRACT_WITH_ISM_CONTAINER_INCOMPATIBLE"),
        ),
        (
            DrmSystem::Playready,
            shared,
            true,
            Some("CENC_IV_INCOMPATIBLE"),
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let mut encryption = speke(cenc.clone(), drm.clone(), presets, url);
        if iv {
            encryption =
                encryption.constant_initialization_vector("0123456789abcdef0123456789abcdef");
        }
        let got = refusal(&mp, &format!("i{i}"), |r| {
            r.container_type(ContainerType::Ism)
                .segment(Segment::builder().encryption(encryption.build()).build())
                .mss_manifests(
                    CreateMssManifestConfiguration::builder()
                        .manifest_name("m")
                        .build()
                        .unwrap(),
                )
        })
        .await;
        assert_eq!(got.as_deref(), reason, "{drm:?} {iv}");
    }
}

/// UpdateOriginEndpointRequest.UriSeparator: "If you don't specify a value in the update
/// request, the current value is preserved" (the model).
#[tokio::test]
async fn an_update_without_a_uri_separator_keeps_it() {
    use aws_sdk_mediapackagev2::types::UriSeparator;
    let server = TestServer::start().await;
    let mp = client(&server, common::ROOT_KEY, common::ROOT_SECRET).await;
    endpoint(&mp).await;
    let update = || {
        mp.update_origin_endpoint()
            .channel_group_name("g")
            .channel_name("c")
            .origin_endpoint_name("e")
            .container_type(ContainerType::Cmaf)
    };
    let set = update()
        .uri_separator(UriSeparator::Underscore)
        .send()
        .await
        .unwrap();
    assert_eq!(set.uri_separator(), Some(&UriSeparator::Underscore));
    let kept = update().send().await.unwrap();
    assert_eq!(kept.uri_separator(), Some(&UriSeparator::Underscore));
    let got = mp
        .get_origin_endpoint()
        .channel_group_name("g")
        .channel_name("c")
        .origin_endpoint_name("e")
        .send()
        .await
        .unwrap();
    assert_eq!(got.uri_separator(), Some(&UriSeparator::Underscore));
}

/// UpdateChannel and UpdateOriginEndpoint of reset resources answer as their output shapes
/// (which have no ResetAt) allow; GetChannel and GetOriginEndpoint still carry ResetAt.
#[tokio::test]
async fn resources_reset_then_updated_still_update() {
    let server = TestServer::start().await;
    let mp = client(&server, common::ROOT_KEY, common::ROOT_SECRET).await;
    endpoint(&mp).await;
    let reset = mp
        .reset_channel_state()
        .channel_group_name("g")
        .channel_name("c")
        .send()
        .await
        .unwrap();
    mp.reset_origin_endpoint_state()
        .channel_group_name("g")
        .channel_name("c")
        .origin_endpoint_name("e")
        .send()
        .await
        .unwrap();
    let updated = mp
        .update_channel()
        .channel_group_name("g")
        .channel_name("c")
        .description("after a reset")
        .send()
        .await
        .unwrap();
    assert_eq!(updated.description(), Some("after a reset"));
    mp.update_origin_endpoint()
        .channel_group_name("g")
        .channel_name("c")
        .origin_endpoint_name("e")
        .container_type(ContainerType::Cmaf)
        .description("after a reset")
        .send()
        .await
        .unwrap();
    let got = mp
        .get_channel()
        .channel_group_name("g")
        .channel_name("c")
        .send()
        .await
        .unwrap();
    assert_eq!(got.reset_at(), Some(reset.reset_at()));
    let got = mp
        .get_origin_endpoint()
        .channel_group_name("g")
        .channel_name("c")
        .origin_endpoint_name("e")
        .send()
        .await
        .unwrap();
    assert!(got.reset_at().is_some());
    assert_eq!(got.description(), Some("after a reset"));
}

/// DashAvailabilityStartTimeConfiguration.FixedAvailabilityStartTime: on the hour, on or after
/// 2024-01-01T00:00:00Z and at least 14 days before now (the model).
#[tokio::test]
async fn a_fixed_dash_availability_start_time_follows_the_models_rules() {
    use mp::types::DashAvailabilityStartTimeConfiguration;
    let server = TestServer::start().await;
    let mp = client(&server, common::ROOT_KEY, common::ROOT_SECRET).await;
    endpoint(&mp).await;
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let old_enough = (now - 15 * 86_400) / 3600 * 3600;
    let dash = |secs: i64| {
        CreateDashManifestConfiguration::builder()
            .manifest_name("dash")
            .availability_start_time_configuration(
                DashAvailabilityStartTimeConfiguration::FixedAvailabilityStartTime(
                    DateTime::from_secs(secs),
                ),
            )
            .build()
            .unwrap()
    };
    for (i, bad) in [
        old_enough + 1800,
        1_704_067_200 - 3600,
        (now - 13 * 86_400) / 3600 * 3600,
    ]
    .into_iter()
    .enumerate()
    {
        assert_eq!(
            refusal(&mp, &format!("bad{i}"), |r| r.dash_manifests(dash(bad))).await,
            Some("MEMBER_INVALID".to_string()),
            "{bad}"
        );
    }
    assert_eq!(
        refusal(&mp, "good", |r| r.dash_manifests(dash(old_enough))).await,
        None
    );
    let got = mp
        .get_origin_endpoint()
        .channel_group_name("g")
        .channel_name("c")
        .origin_endpoint_name("good")
        .send()
        .await
        .unwrap();
    assert_eq!(
        got.dash_manifests()[0].availability_start_time_configuration(),
        Some(
            &DashAvailabilityStartTimeConfiguration::FixedAvailabilityStartTime(
                DateTime::from_secs(old_enough)
            )
        )
    );
}

/// A content key encryption certificate must be "in the same Region and Account that you run
/// MediaPackage" (User Guide); another Region's is RESOURCE_NOT_IN_SAME_REGION (the model's).
#[tokio::test]
async fn a_content_key_encryption_certificate_of_another_region_is_refused() {
    use mp::types::{
        CmafEncryptionMethod, DrmSystem, Encryption, EncryptionContractConfiguration,
        EncryptionMethod, PresetSpeke20Audio, PresetSpeke20Video, Segment, SpekeKeyProvider,
    };
    let server = TestServer::start().await;
    let mp = client(&server, common::ROOT_KEY, common::ROOT_SECRET).await;
    endpoint(&mp).await;
    let segment = |region: &str| {
        Segment::builder()
            .encryption(
                Encryption::builder()
                    .encryption_method(
                        EncryptionMethod::builder()
                            .cmaf_encryption_method(CmafEncryptionMethod::Cbcs)
                            .build(),
                    )
                    .speke_key_provider(
                        SpekeKeyProvider::builder()
                            .resource_id("r")
                            .drm_systems(DrmSystem::Fairplay)
                            .role_arn("arn:aws:iam::000000000000:role/SpekeAccess")
                            .url("https://speke.example.com/copyProtection")
                            .certificate_arn(format!(
                                "arn:aws:acm:{region}:000000000000:certificate/abc-123"
                            ))
                            .encryption_contract_configuration(
                                EncryptionContractConfiguration::builder()
                                    .preset_speke20_audio(PresetSpeke20Audio::Shared)
                                    .preset_speke20_video(PresetSpeke20Video::Shared)
                                    .build()
                                    .unwrap(),
                            )
                            .build()
                            .unwrap(),
                    )
                    .build(),
            )
            .build()
    };
    let hls = || {
        CreateHlsManifestConfiguration::builder()
            .manifest_name("index")
            .build()
            .unwrap()
    };
    assert_eq!(
        refusal(&mp, "away", |r| r
            .segment(segment("eu-west-1"))
            .hls_manifests(hls()))
        .await,
        Some("RESOURCE_NOT_IN_SAME_REGION".to_string())
    );
    assert_eq!(
        refusal(&mp, "home", |r| r
            .segment(segment(REGION))
            .hls_manifests(hls()))
        .await,
        None
    );
}

/// CreateHarvestJobRequest.HarvestJobName: "This name must be unique within the channel" (the
/// model): a second endpoint of the channel can't reuse a job name.
#[tokio::test]
async fn a_harvest_job_name_is_unique_within_the_channel() {
    use mp::operation::create_harvest_job::CreateHarvestJobError;
    let server = TestServer::start().await;
    let mp = client(&server, common::ROOT_KEY, common::ROOT_SECRET).await;
    endpoint(&mp).await;
    mp.create_origin_endpoint()
        .channel_group_name("g")
        .channel_name("c")
        .origin_endpoint_name("e2")
        .container_type(ContainerType::Cmaf)
        .hls_manifests(
            CreateHlsManifestConfiguration::builder()
                .manifest_name("index")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let now = SystemTime::now();
    let (start, end) = (
        now - Duration::from_secs(600),
        now - Duration::from_secs(60),
    );
    harvest(&mp, "j", start, end).await;
    let err = harvest_request(&mp, "e2", "j", start, end)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    match err {
        CreateHarvestJobError::ConflictException(c) => assert_eq!(
            c.conflict_exception_type().map(|t| t.as_str()),
            Some("RESOURCE_ALREADY_EXISTS")
        ),
        other => panic!("{other:?}"),
    }
}

/// AWS's not-found and in-use words, as moto's `aws_verified` tests check them against AWS
/// (tests/test_mediapackagev2: test_get_channel_unknown, test_delete_channel_group_thats_not_empty).
#[tokio::test]
async fn not_found_and_in_use_messages_are_aws_words() {
    let server = TestServer::start().await;
    let mp = client(&server, common::ROOT_KEY, common::ROOT_SECRET).await;
    let err = mp
        .get_channel()
        .channel_group_name("g")
        .channel_name("c")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(err.code(), Some("ResourceNotFoundException"));
    assert_eq!(err.message(), Some("MediaPackage can't process your request because we can't find your channel group. Verify your channel group name or add a channel group and then try again"));
    endpoint(&mp).await;
    let err = mp
        .get_channel()
        .channel_group_name("g")
        .channel_name("nope")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(err.message(), Some("MediaPackage can't process your request because we can't find your channel. Verify your channel name or add a channel and then try again"));
    let err = mp
        .delete_channel_group()
        .channel_group_name("g")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(err.code(), Some("ConflictException"));
    assert_eq!(err.message(), Some("The channel group you tried to delete has channels attached to it. If you want to delete this channel group, you must first delete the channels attached to it"));
}

/// Deletes are idempotent: the model lists no ResourceNotFoundException for them, and moto's
/// `aws_verified` tests record AWS answering a repeated or unknown DeleteChannelGroup and
/// DeleteChannel with success.
#[tokio::test]
async fn deletes_of_missing_resources_succeed() {
    let server = TestServer::start().await;
    let mp = client(&server, common::ROOT_KEY, common::ROOT_SECRET).await;
    mp.delete_channel_group()
        .channel_group_name("unknown")
        .send()
        .await
        .unwrap();
    endpoint(&mp).await;
    for _ in 0..2 {
        mp.delete_origin_endpoint_policy()
            .channel_group_name("g")
            .channel_name("c")
            .origin_endpoint_name("e")
            .send()
            .await
            .unwrap();
        mp.delete_origin_endpoint()
            .channel_group_name("g")
            .channel_name("c")
            .origin_endpoint_name("e")
            .send()
            .await
            .unwrap();
        mp.delete_channel_policy()
            .channel_group_name("g")
            .channel_name("c")
            .send()
            .await
            .unwrap();
        mp.delete_channel()
            .channel_group_name("g")
            .channel_name("c")
            .send()
            .await
            .unwrap();
    }
    mp.delete_channel()
        .channel_group_name("g")
        .channel_name("unknown")
        .send()
        .await
        .unwrap();
    mp.delete_channel_group()
        .channel_group_name("g")
        .send()
        .await
        .unwrap();
    mp.delete_channel_group()
        .channel_group_name("g")
        .send()
        .await
        .unwrap();
    let err = mp
        .get_channel_group()
        .channel_group_name("g")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_resource_not_found_exception());
}

/// A channel created with only its names answers as AWS does (moto's `aws_verified`
/// test_create_channel / test_get_channel): MQCS switching and publishing answered off, and
/// InputType only from GetChannel (HLS).
#[tokio::test]
async fn a_plain_channel_answers_its_mqcs_settings_off() {
    let server = TestServer::start().await;
    let mp = client(&server, common::ROOT_KEY, common::ROOT_SECRET).await;
    mp.create_channel_group()
        .channel_group_name("g")
        .send()
        .await
        .unwrap();
    let created = mp
        .create_channel()
        .channel_group_name("g")
        .channel_name("c")
        .send()
        .await
        .unwrap();
    assert_eq!(created.input_type(), None);
    assert_eq!(
        created
            .input_switch_configuration()
            .and_then(|s| s.mqcs_input_switching()),
        Some(false)
    );
    assert_eq!(
        created
            .output_header_configuration()
            .and_then(|h| h.publish_mqcs()),
        Some(false)
    );
    let got = mp
        .get_channel()
        .channel_group_name("g")
        .channel_name("c")
        .send()
        .await
        .unwrap();
    assert_eq!(got.input_type(), Some(&InputType::Hls));
    assert_eq!(
        got.input_switch_configuration()
            .and_then(|s| s.mqcs_input_switching()),
        Some(false)
    );
    assert_eq!(
        got.output_header_configuration()
            .and_then(|h| h.publish_mqcs()),
        Some(false)
    );
}

/// An egress domain is `xxxxxx.egress.yyyyyy.mediapackagev2.REGION.amazonaws.com`, as moto's
/// `aws_verified` test_create_channel_group checks AWS's.
#[tokio::test]
async fn a_channel_group_egress_domain_is_shaped_as_aws_ones() {
    let server = TestServer::start().await;
    let mp = client(&server, common::ROOT_KEY, common::ROOT_SECRET).await;
    let g = mp
        .create_channel_group()
        .channel_group_name("g")
        .send()
        .await
        .unwrap();
    let domain = g.egress_domain();
    let labels: Vec<&str> = domain.split('.').collect();
    assert_eq!(labels.len(), 7, "{domain}");
    assert_eq!(labels[1], "egress");
    assert_eq!(
        labels[3..].join("."),
        format!("mediapackagev2.{REGION}.amazonaws.com")
    );
    for l in [labels[0], labels[2]] {
        assert!(
            l.len() == 6
                && l.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()),
            "{domain}"
        );
    }
}

/// Endpoint g/c/e (CMAF, its `index` HLS manifest) with a startover window of `seconds`.
async fn set_startover_window(mp: &mp::Client, seconds: i32) {
    mp.update_origin_endpoint()
        .channel_group_name("g")
        .channel_name("c")
        .origin_endpoint_name("e")
        .container_type(ContainerType::Cmaf)
        .startover_window_seconds(seconds)
        .hls_manifests(
            CreateHlsManifestConfiguration::builder()
                .manifest_name("index")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
}

/// "If the endpoint has a window of 5 hours and the start time is 6 hours ago, the harvest job
/// fails" (v2 User Guide, live-to-vod.html): such a job is accepted, ends FAILED with an
/// `ErrorMessage`, and the HarvestJobFinished waiter reports the failure; a job inside the
/// window completes.
#[tokio::test]
async fn a_harvest_job_starting_before_the_startover_window_fails() {
    let server = TestServer::start().await;
    let mp = client(&server, common::ROOT_KEY, common::ROOT_SECRET).await;
    endpoint(&mp).await;
    set_startover_window(&mp, 5 * 3600).await;
    let now = SystemTime::now();
    let old = now - Duration::from_secs(6 * 3600);
    let job = harvest(&mp, "old", old, old + Duration::from_secs(600)).await;
    assert_eq!(job.status(), &HarvestJobStatus::Failed);
    assert!(job.error_message().unwrap().contains("startover window"));
    let err = mp
        .wait_until_harvest_job_finished()
        .channel_group_name("g")
        .channel_name("c")
        .origin_endpoint_name("e")
        .harvest_job_name("old")
        .wait(Duration::from_secs(30))
        .await
        .unwrap_err();
    assert!(format!("{err:?}").contains("FailureState"), "{err:?}");
    let got = mp
        .get_harvest_job()
        .channel_group_name("g")
        .channel_name("c")
        .origin_endpoint_name("e")
        .harvest_job_name("old")
        .send()
        .await
        .unwrap();
    assert_eq!(got.error_message(), job.error_message());
    let recent = now - Duration::from_secs(4 * 3600);
    let ok = harvest(&mp, "recent", recent, recent + Duration::from_secs(600)).await;
    assert_eq!(ok.status(), &HarvestJobStatus::Completed);
    assert_eq!(ok.error_message(), None);
}

/// "The harvest job expires within 15 days of job creation" and "You can reuse the name after
/// the harvest job expires from your account" (v2 User Guide, live-to-vod.html): on the manual
/// clock, 15 days on the job is gone from GetHarvestJob and ListHarvestJobs and its name
/// harvests again.
#[tokio::test]
async fn a_harvest_job_record_expires_after_15_days_and_its_name_is_free() {
    let mut config = server::Config::for_tests();
    config.transitions = server::Transitions::Manual;
    let server = TestServer::start_with(config).await;
    let mp = client(&server, common::ROOT_KEY, common::ROOT_SECRET).await;
    endpoint(&mp).await;
    let now = SystemTime::now();
    let (start, end) = (
        now - Duration::from_secs(600),
        now - Duration::from_secs(60),
    );
    harvest(&mp, "j", start, end).await;
    let get = || {
        mp.get_harvest_job()
            .channel_group_name("g")
            .channel_name("c")
            .origin_endpoint_name("e")
            .harvest_job_name("j")
            .send()
    };
    let listed = || mp.list_harvest_jobs().channel_group_name("g").send();
    server.advance_clock(15 * 86_400 - 1).await;
    assert_eq!(get().await.unwrap().status(), &HarvestJobStatus::Completed);
    let err = harvest_request(&mp, "e", "j", start, end)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ConflictException"));
    server.advance_clock(1).await;
    let err = get().await.unwrap_err();
    assert_eq!(err.code(), Some("ResourceNotFoundException"));
    assert!(listed().await.unwrap().items().is_empty());
    let again = harvest(&mp, "j", start, end).await;
    assert_eq!(again.status(), &HarvestJobStatus::Queued);
    assert_eq!(listed().await.unwrap().items().len(), 1);
}

/// In instant mode (the test server's) a job whose EndTime is still to come ("The end time can
/// be in the future", "Real-time harvesting is supported for ongoing streams", v2 User Guide,
/// live-to-vod.html) is IN_PROGRESS and cancellable until that time has passed; then the
/// HarvestJobFinished waiter sees it complete.
#[tokio::test]
async fn instant_mode_keeps_a_future_harvest_job_in_progress_until_its_end() {
    let server = TestServer::start().await;
    let mp = client(&server, common::ROOT_KEY, common::ROOT_SECRET).await;
    endpoint(&mp).await;
    let now = SystemTime::now();
    let start = now - Duration::from_secs(600);
    let later = harvest(&mp, "later", start, now + Duration::from_secs(600)).await;
    assert_eq!(later.status(), &HarvestJobStatus::InProgress);
    mp.cancel_harvest_job()
        .channel_group_name("g")
        .channel_name("c")
        .origin_endpoint_name("e")
        .harvest_job_name("later")
        .send()
        .await
        .unwrap();
    let soon = harvest(&mp, "soon", start, now + Duration::from_secs(1)).await;
    assert_eq!(soon.status(), &HarvestJobStatus::InProgress);
    let done = mp
        .wait_until_harvest_job_finished()
        .channel_group_name("g")
        .channel_name("c")
        .origin_endpoint_name("e")
        .harvest_job_name("soon")
        .wait(Duration::from_secs(30))
        .await
        .unwrap();
    assert_eq!(
        done.as_result().unwrap().status(),
        &HarvestJobStatus::Completed
    );
    assert!(SystemTime::now() >= now + Duration::from_secs(1));
}

/// "The length of the asset can't exceed the startover window on the endpoint. The end time can
/// be in the future" (v2 User Guide, live-to-vod.html): a job that starts inside a one-hour
/// window but ends 45 minutes from now (75 minutes long) fails with an `ErrorMessage`; a
/// 50-minute one runs.
#[tokio::test]
async fn a_harvest_job_longer_than_the_startover_window_fails() {
    let server = TestServer::start().await;
    let mp = client(&server, common::ROOT_KEY, common::ROOT_SECRET).await;
    endpoint(&mp).await;
    set_startover_window(&mp, 3600).await;
    let now = SystemTime::now();
    let start = now - Duration::from_secs(1800);
    let long = harvest(&mp, "long", start, now + Duration::from_secs(2700)).await;
    assert_eq!(long.status(), &HarvestJobStatus::Failed);
    assert!(long
        .error_message()
        .unwrap()
        .contains("exceeds the origin endpoint's startover window of 3600 seconds"));
    let fits = harvest(&mp, "fits", start, now + Duration::from_secs(1200)).await;
    assert_eq!(fits.status(), &HarvestJobStatus::InProgress);
    assert_eq!(fits.error_message(), None);
}
