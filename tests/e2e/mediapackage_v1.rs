//! MediaPackage v1 end to end with the real `aws-sdk-mediapackage`: channels with ingest
//! credentials, origin endpoints with packages, harvest jobs that pass a role, tags, errors.

use crate::common;

use aws_sdk_mediapackage as mp;
use aws_sdk_mediapackage::error::ProvideErrorMetadata;
use aws_sdk_mediapackage::types::{DashPackage, HlsPackage, S3Destination, Status};
use common::{TestServer, REGION};

/// A SPEKE key provider for DRM system `system_id` at https://example.com/speke, role
/// `speke`, resource `r`; the caller adds what its test needs and builds it.
fn speke(system_id: &str) -> mp::types::builders::SpekeKeyProviderBuilder {
    mp::types::SpekeKeyProvider::builder()
        .resource_id("r")
        .role_arn("arn:aws:iam::000000000000:role/speke")
        .system_ids(system_id)
        .url("https://example.com/speke")
}

/// A SPEKE 2.0 key provider with an encryption contract (preset 1 for audio and video), built
/// without a rotation interval.
fn speke20() -> mp::types::SpekeKeyProvider {
    use mp::types::{EncryptionContractConfiguration, PresetSpeke20Audio, PresetSpeke20Video};
    speke("edef8ba9-79d6-4ace-a3c8-27dcd51d21ed")
        .encryption_contract_configuration(
            EncryptionContractConfiguration::builder()
                .preset_speke20_audio(PresetSpeke20Audio::PresetAudio1)
                .preset_speke20_video(PresetSpeke20Video::PresetVideo1)
                .build(),
        )
        .build()
}

async fn root(server: &TestServer) -> mp::Client {
    mp::Client::new(&server.root_config().await)
}

/// An unsigned `GET path`, as a player or CDN sends it to an endpoint's URL.
async fn unsigned_get(server: &TestServer, path: String) -> common::RawResponse {
    let host = server.endpoint.trim_start_matches("http://");
    let req = format!("GET {path} HTTP/1.1\r\nhost: {host}\r\nconnection: close\r\n\r\n");
    server.raw(req.as_bytes()).await
}

#[tokio::test]
async fn channels_endpoints_and_tags() {
    let server = TestServer::start().await;
    let mp = root(&server).await;
    let ch = mp
        .create_channel()
        .id("sports")
        .description("live")
        .tags("team", "a")
        .send()
        .await
        .unwrap();
    let arn = ch.arn().unwrap().to_string();
    assert!(arn.starts_with(&format!(
        "arn:aws:mediapackage:{REGION}:000000000000:channels/"
    )));
    let ingest = ch.hls_ingest().unwrap().ingest_endpoints();
    assert_eq!(ingest.len(), 2);
    assert!(ingest[0].url().unwrap().starts_with(&server.endpoint));
    let before = ingest[0].password().unwrap().to_string();
    let rotated = mp
        .rotate_ingest_endpoint_credentials()
        .id("sports")
        .ingest_endpoint_id(ingest[0].id().unwrap())
        .send()
        .await
        .unwrap();
    assert_ne!(
        rotated.hls_ingest().unwrap().ingest_endpoints()[0]
            .password()
            .unwrap(),
        before
    );
    let logs = mp
        .configure_logs()
        .id("sports")
        .egress_access_logs(mp::types::EgressAccessLogs::builder().build())
        .send()
        .await
        .unwrap();
    assert_eq!(
        logs.egress_access_logs().unwrap().log_group_name(),
        Some("/aws/MediaPackage/EgressAccessLogs")
    );

    let err = mp.create_channel().id("sports").send().await.unwrap_err();
    assert_eq!(err.code(), Some("UnprocessableEntityException"));
    let err = mp.describe_channel().id("nope").send().await.unwrap_err();
    assert_eq!(err.code(), Some("NotFoundException"));

    let hls = mp
        .create_origin_endpoint()
        .id("hls")
        .channel_id("sports")
        .hls_package(HlsPackage::builder().segment_duration_seconds(4).build())
        .send()
        .await
        .unwrap();
    assert!(hls.url().unwrap().starts_with(&server.endpoint));
    assert!(hls.url().unwrap().ends_with("/index.m3u8"));
    assert_eq!(
        hls.hls_package().unwrap().segment_duration_seconds(),
        Some(4)
    );
    let dash = mp
        .create_origin_endpoint()
        .id("dash")
        .channel_id("sports")
        .dash_package(DashPackage::builder().build())
        .send()
        .await
        .unwrap();
    assert!(dash.url().unwrap().ends_with(".mpd"));
    let both = mp
        .create_origin_endpoint()
        .id("both")
        .channel_id("sports")
        .hls_package(HlsPackage::builder().build())
        .dash_package(DashPackage::builder().build())
        .send()
        .await
        .unwrap_err();
    assert_eq!(both.code(), Some("UnprocessableEntityException"));
    let listed = mp
        .list_origin_endpoints()
        .channel_id("sports")
        .send()
        .await
        .unwrap();
    assert_eq!(listed.origin_endpoints().len(), 2);

    mp.tag_resource()
        .resource_arn(&arn)
        .tags("env", "prod")
        .send()
        .await
        .unwrap();
    let tags = mp
        .list_tags_for_resource()
        .resource_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(tags.tags().unwrap().len(), 2);
    mp.untag_resource()
        .resource_arn(&arn)
        .tag_keys("team")
        .send()
        .await
        .unwrap();

    let err = mp.delete_channel().id("sports").send().await.unwrap_err();
    assert_eq!(err.code(), Some("UnprocessableEntityException"));
    mp.delete_origin_endpoint().id("hls").send().await.unwrap();
    mp.delete_origin_endpoint().id("dash").send().await.unwrap();
    mp.delete_channel().id("sports").send().await.unwrap();
    assert!(mp
        .list_channels()
        .send()
        .await
        .unwrap()
        .channels()
        .is_empty());
}

#[tokio::test]
async fn harvest_jobs_need_pass_role_and_succeed() {
    let server = TestServer::start().await;
    let mp = root(&server).await;
    mp.create_channel().id("c").send().await.unwrap();
    // A harvest needs startover on its endpoint and a time range in the past, within the
    // startover window (the user guide's live-to-VOD requirements).
    mp.create_origin_endpoint()
        .id("e")
        .channel_id("c")
        .startover_window_seconds(86400)
        .hls_package(HlsPackage::builder().build())
        .send()
        .await
        .unwrap();
    let role = "arn:aws:iam::000000000000:role/harvester";
    let dest = S3Destination::builder()
        .bucket_name("bucket")
        .manifest_key("clips/index.m3u8")
        .role_arn(role)
        .build();

    let ago = |secs: u64| {
        let at = std::time::SystemTime::now() - std::time::Duration::from_secs(secs);
        mp::primitives::DateTime::from(at)
            .fmt(mp::primitives::DateTimeFormat::DateTime)
            .unwrap()
    };
    let (start, end) = (ago(40 * 60), ago(10 * 60));

    // A user allowed to create harvest jobs but not to pass the role is refused.
    let (k, s) = server
        .user_with_policy(
            "harvester",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"mediapackage:*","Resource":"*"}]}"#,
        )
        .await;
    let user = mp::Client::new(&server.sdk_config(&k, &s).await);
    let err = user
        .create_harvest_job()
        .id("j")
        .origin_endpoint_id("e")
        .start_time(&start)
        .end_time(&end)
        .s3_destination(dest.clone())
        .send()
        .await
        .unwrap_err();
    assert!(
        err.message()
            .unwrap_or_default()
            .contains(&format!("iam:PassRole on resource: {role}"))
            && err.code() == Some("AccessDeniedException"),
        "{err:?}"
    );

    let job = mp
        .create_harvest_job()
        .id("j")
        .origin_endpoint_id("e")
        .start_time(&start)
        .end_time(&end)
        .s3_destination(dest)
        .send()
        .await
        .unwrap();
    assert_eq!(job.channel_id(), Some("c"));
    let got = mp.describe_harvest_job().id("j").send().await.unwrap();
    assert_eq!(got.status(), Some(&Status::Succeeded));
    let listed = mp
        .list_harvest_jobs()
        .include_status("SUCCEEDED")
        .send()
        .await
        .unwrap();
    assert_eq!(listed.harvest_jobs().len(), 1);
    // "Valid values are IN_PROGRESS, SUCCEEDED, and FAILED" (the API Reference's
    // includeStatus): v2's COMPLETED is refused, not answered with no jobs.
    let err = mp
        .list_harvest_jobs()
        .include_status("COMPLETED")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("UnprocessableEntityException"));
    assert!(
        err.message()
            .unwrap_or_default()
            .contains("Value 'COMPLETED' at 'includeStatus'"),
        "{err:?}"
    );
    let err = mp
        .create_harvest_job()
        .id("bad")
        .origin_endpoint_id("e")
        .start_time(&end)
        .end_time(&start)
        .s3_destination(
            S3Destination::builder()
                .bucket_name("b")
                .manifest_key("k")
                .role_arn(role)
                .build(),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("UnprocessableEntityException"));
}

#[tokio::test]
async fn v1_resources_survive_a_restart() {
    let dir = common::temp_dir("mediamock-mpv1-durable");
    let config = || {
        let mut c = server::Config::for_tests();
        c.data_dir = Some(dir.clone());
        c
    };
    let server = TestServer::start_with(config()).await;
    let mp = root(&server).await;
    let ch = mp
        .create_channel()
        .id("kept")
        .tags("k", "v")
        .send()
        .await
        .unwrap();
    mp.create_origin_endpoint()
        .id("kept-hls")
        .channel_id("kept")
        .hls_package(HlsPackage::builder().build())
        .send()
        .await
        .unwrap();
    server.stop().await;

    let server = TestServer::start_with(config()).await;
    let mp = root(&server).await;
    let again = mp.describe_channel().id("kept").send().await.unwrap();
    assert_eq!(again.arn(), ch.arn());
    assert_eq!(
        again.hls_ingest().unwrap().ingest_endpoints()[0].password(),
        ch.hls_ingest().unwrap().ingest_endpoints()[0].password()
    );
    assert_eq!(
        again.tags().unwrap().get("k").map(String::as_str),
        Some("v")
    );
    let e = mp
        .describe_origin_endpoint()
        .id("kept-hls")
        .send()
        .await
        .unwrap();
    assert_eq!(e.channel_id(), Some("kept"));
    server.stop().await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// v1 playback is not IAM-authorized: the endpoint's allow list and origination decide.
#[tokio::test]
async fn v1_egress_follows_the_endpoint_settings() {
    let server = TestServer::start().await;
    let mp = root(&server).await;
    mp.create_channel().id("c").send().await.unwrap();
    let e = mp
        .create_origin_endpoint()
        .id("e")
        .channel_id("c")
        .hls_package(HlsPackage::builder().build())
        .send()
        .await
        .unwrap();
    let url = e.url().unwrap().to_string();
    let path = url.trim_start_matches(&server.endpoint).to_string();
    let get = |p: String| unsigned_get(&server, p);
    let r = get(path.clone()).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let text = r.text();
    assert!(text.starts_with("#EXTM3U"), "{text}");
    let child = text.lines().last().unwrap().to_string();
    let media = get(path.replace("index.m3u8", &child)).await;
    assert_eq!(media.status, 200);
    assert!(media.text().contains("#EXT-X-TARGETDURATION:6"));

    mp.update_origin_endpoint()
        .id("e")
        .whitelist("10.0.0.0/8")
        .send()
        .await
        .unwrap();
    assert_eq!(get(path.clone()).await.status, 403);
    mp.update_origin_endpoint()
        .id("e")
        .whitelist("127.0.0.0/8")
        .send()
        .await
        .unwrap();
    assert_eq!(get(path.clone()).await.status, 200);
    mp.update_origin_endpoint()
        .id("e")
        .origination(mp::types::Origination::Deny)
        .send()
        .await
        .unwrap();
    assert_eq!(get(path.clone()).await.status, 403);
    mp.delete_origin_endpoint().id("e").send().await.unwrap();
    assert_ne!(get(path).await.status, 200);
}

#[tokio::test]
async fn a_cmaf_endpoint_answers_and_serves_its_manifests_under_their_ids() {
    // AWS's shape (the AWS CLI's describe-origin-endpoint example): the endpoint's own `Url` is
    // empty, each HLS manifest is at `/out/v1/INTERNAL/ID/NAME.m3u8`, its name the endpoint's.
    let server = TestServer::start().await;
    let mp = root(&server).await;
    mp.create_channel().id("c").send().await.unwrap();
    let e = mp
        .create_origin_endpoint()
        .id("cmaf")
        .channel_id("c")
        .manifest_name("live")
        .cmaf_package(
            mp::types::CmafPackageCreateOrUpdateParameters::builder()
                .hls_manifests(
                    mp::types::HlsManifestCreateOrUpdateParameters::builder()
                        .id("hls")
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(e.url(), Some(""));
    // "If not specified, it defaults to the ChannelId" (the model's SegmentPrefix).
    assert_eq!(e.cmaf_package().unwrap().segment_prefix(), Some("c"));
    let manifest = &e.cmaf_package().unwrap().hls_manifests()[0];
    assert_eq!(manifest.ad_markers(), Some(&mp::types::AdMarkers::None));
    assert_eq!(manifest.playlist_window_seconds(), Some(60));
    let url = manifest.url().unwrap().to_string();
    let path = url.trim_start_matches(&server.endpoint).to_string();
    assert!(
        path.starts_with("/out/v1/") && path.ends_with("/hls/live.m3u8"),
        "{path}"
    );
    let get = |p: String| unsigned_get(&server, p);
    let r = get(path.clone()).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let child = r.text().lines().last().unwrap().to_string();
    let media = get(path.replace("live.m3u8", &child)).await;
    assert_eq!(media.status, 200, "{child}");
    assert!(media.text().contains("#EXT-X-TARGETDURATION:6"));
    let described = mp
        .describe_origin_endpoint()
        .id("cmaf")
        .send()
        .await
        .unwrap();
    assert_eq!(
        described.cmaf_package().unwrap().hls_manifests()[0].url(),
        Some(url.as_str())
    );
    assert_eq!(
        described.cmaf_package().unwrap().segment_prefix(),
        Some("c")
    );
}

/// AWS's Live Streaming workshop sends MediaPackage v1 enums in lower case (`event`, `none`,
/// `original`); they are accepted and answered in the model's spelling. Other values are
/// still refused.
#[tokio::test]
async fn enums_in_any_letter_case_are_answered_in_the_models_spelling() {
    use mp::types::{AdMarkers, PlaylistType, StreamOrder, StreamSelection};
    let server = TestServer::start().await;
    let client = root(&server).await;
    client.create_channel().id("live").send().await.unwrap();
    let hls = |playlist: &str| {
        HlsPackage::builder()
            .playlist_type(PlaylistType::from(playlist))
            .ad_markers(AdMarkers::from("none"))
            .stream_selection(
                StreamSelection::builder()
                    .stream_order(StreamOrder::from("original"))
                    .build(),
            )
            .build()
    };
    let created = client
        .create_origin_endpoint()
        .channel_id("live")
        .id("live-hls")
        .manifest_name("index")
        .startover_window_seconds(3600)
        .hls_package(hls("event"))
        .send()
        .await
        .expect("lower case is accepted");
    let package = created.hls_package().unwrap();
    assert_eq!(package.playlist_type(), Some(&PlaylistType::Event));
    assert_eq!(package.ad_markers(), Some(&AdMarkers::None));
    assert_eq!(
        package.stream_selection().and_then(|s| s.stream_order()),
        Some(&StreamOrder::Original)
    );
    assert!(created.url().unwrap().ends_with("/index.m3u8"));
    let err = client
        .create_origin_endpoint()
        .channel_id("live")
        .id("live-bad")
        .hls_package(hls("sometimes"))
        .send()
        .await
        .expect_err("not a playlist type");
    assert_eq!(err.code(), Some("UnprocessableEntityException"));
    assert!(
        err.message()
            .unwrap()
            .contains("Value 'sometimes' at 'hlsPackage.playlistType'"),
        "{err:?}"
    );
}

/// An HLS package (or a CMAF package's HLS manifest) with DATERANGE ad markers needs a
/// ProgramDateTimeIntervalSeconds greater than 0 (the model's AdMarkers doc).
#[tokio::test]
async fn daterange_ad_markers_need_a_program_date_time_interval() {
    use mp::types::{
        AdMarkers, CmafPackageCreateOrUpdateParameters, HlsManifestCreateOrUpdateParameters,
    };
    let server = TestServer::start().await;
    let mp = root(&server).await;
    mp.create_channel().id("c").send().await.unwrap();
    let err = mp
        .create_origin_endpoint()
        .channel_id("c")
        .id("hls")
        .hls_package(
            HlsPackage::builder()
                .ad_markers(AdMarkers::Daterange)
                .build(),
        )
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(err.code(), Some("UnprocessableEntityException"));
    assert_eq!(
        err.message(),
        Some("programDateTimeIntervalSeconds must be greater than 0 when adMarkers is DATERANGE")
    );
    let err = mp
        .create_origin_endpoint()
        .channel_id("c")
        .id("cmaf")
        .cmaf_package(
            CmafPackageCreateOrUpdateParameters::builder()
                .hls_manifests(
                    HlsManifestCreateOrUpdateParameters::builder()
                        .id("m")
                        .ad_markers(AdMarkers::Daterange)
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(err.code(), Some("UnprocessableEntityException"));
    let ok = mp
        .create_origin_endpoint()
        .channel_id("c")
        .id("hls")
        .hls_package(
            HlsPackage::builder()
                .ad_markers(AdMarkers::Daterange)
                .program_date_time_interval_seconds(60)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let p = ok.hls_package().unwrap();
    assert_eq!(p.ad_markers(), Some(&AdMarkers::Daterange));
    assert_eq!(p.program_date_time_interval_seconds(), Some(60));
}

/// A harvest job from an MSS endpoint or a DASH endpoint with the NUMBER_WITH_DURATION
/// template is accepted and fails: the user guide's live-to-VOD endpoint requirements ask for
/// DASH or HLS content and, for DASH, a template with a timeline.
#[tokio::test]
async fn a_harvest_job_from_an_unharvestable_package_fails() {
    use mp::types::{MssPackage, SegmentTemplateFormat};
    let server = TestServer::start().await;
    let mp = root(&server).await;
    mp.create_channel().id("c").send().await.unwrap();
    let endpoint = || {
        mp.create_origin_endpoint()
            .channel_id("c")
            .startover_window_seconds(86400)
    };
    endpoint()
        .id("mss")
        .mss_package(MssPackage::builder().build())
        .send()
        .await
        .unwrap();
    for (id, template) in [
        ("duration", SegmentTemplateFormat::NumberWithDuration),
        ("timeline", SegmentTemplateFormat::NumberWithTimeline),
    ] {
        endpoint()
            .id(id)
            .dash_package(
                DashPackage::builder()
                    .segment_template_format(template)
                    .build(),
            )
            .send()
            .await
            .unwrap();
    }
    let ago = |secs: u64| {
        let at = std::time::SystemTime::now() - std::time::Duration::from_secs(secs);
        mp::primitives::DateTime::from(at)
            .fmt(mp::primitives::DateTimeFormat::DateTime)
            .unwrap()
    };
    for (endpoint, status) in [
        ("mss", Status::Failed),
        ("duration", Status::Failed),
        ("timeline", Status::Succeeded),
    ] {
        let job = mp
            .create_harvest_job()
            .id(format!("j-{endpoint}"))
            .origin_endpoint_id(endpoint)
            .start_time(ago(40 * 60))
            .end_time(ago(10 * 60))
            .s3_destination(
                S3Destination::builder()
                    .bucket_name("bucket")
                    .manifest_key("clips/index.m3u8")
                    .role_arn("arn:aws:iam::000000000000:role/harvester")
                    .build(),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(job.origin_endpoint_id(), Some(endpoint));
        let got = mp
            .describe_harvest_job()
            .id(format!("j-{endpoint}"))
            .send()
            .await
            .unwrap();
        assert_eq!(got.status(), Some(&status), "{endpoint}");
    }
}

/// The user guide's DASH packager settings: "If you enable the Hybridcast profile ..., you
/// can't use DASH Period triggers."
#[tokio::test]
async fn a_hybridcast_dash_endpoint_has_no_period_triggers() {
    use mp::types::{PeriodTriggersElement, Profile};
    let server = TestServer::start().await;
    let mp = root(&server).await;
    mp.create_channel().id("c").send().await.unwrap();
    let err = mp
        .create_origin_endpoint()
        .channel_id("c")
        .id("h")
        .dash_package(
            DashPackage::builder()
                .profile(Profile::Hybridcast)
                .period_triggers(PeriodTriggersElement::Ads)
                .build(),
        )
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(err.code(), Some("UnprocessableEntityException"));
    assert_eq!(
        err.message(),
        Some("periodTriggers can't be used with the HYBRIDCAST profile")
    );
    let ok = mp
        .create_origin_endpoint()
        .channel_id("c")
        .id("h")
        .dash_package(DashPackage::builder().profile(Profile::Hybridcast).build())
        .send()
        .await
        .unwrap();
    assert_eq!(
        ok.dash_package().unwrap().profile(),
        Some(&Profile::Hybridcast)
    );
    // Adding the trigger later is refused too, and leaves the endpoint as it was.
    let err = mp
        .update_origin_endpoint()
        .id("h")
        .dash_package(
            DashPackage::builder()
                .profile(Profile::Hybridcast)
                .period_triggers(PeriodTriggersElement::Ads)
                .build(),
        )
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(err.code(), Some("UnprocessableEntityException"));
    let got = mp.describe_origin_endpoint().id("h").send().await.unwrap();
    assert!(got.dash_package().unwrap().period_triggers().is_empty());
}

/// The user guide's DASH packager settings: "If you enable Number with duration in Segment
/// template format, you can't change the segment duration after you've created the endpoint."
#[tokio::test]
async fn a_number_with_duration_endpoint_keeps_its_segment_duration() {
    use mp::types::SegmentTemplateFormat;
    let server = TestServer::start().await;
    let mp = root(&server).await;
    mp.create_channel().id("c").send().await.unwrap();
    let dash = |secs: i32| {
        DashPackage::builder()
            .segment_template_format(SegmentTemplateFormat::NumberWithDuration)
            .segment_duration_seconds(secs)
            .build()
    };
    mp.create_origin_endpoint()
        .channel_id("c")
        .id("d")
        .dash_package(dash(4))
        .send()
        .await
        .unwrap();
    let err = mp
        .update_origin_endpoint()
        .id("d")
        .dash_package(dash(6))
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(err.code(), Some("UnprocessableEntityException"));
    assert!(
        err.message()
            .unwrap()
            .starts_with("segmentDurationSeconds can't change from 4 to 6"),
        "{err:?}"
    );
    let got = mp.describe_origin_endpoint().id("d").send().await.unwrap();
    assert_eq!(
        got.dash_package().unwrap().segment_duration_seconds(),
        Some(4)
    );
    // Keeping the duration, the rest of the package may change.
    let ok = mp
        .update_origin_endpoint()
        .id("d")
        .dash_package(
            DashPackage::builder()
                .segment_template_format(SegmentTemplateFormat::NumberWithDuration)
                .segment_duration_seconds(4)
                .manifest_window_seconds(120)
                .build(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        ok.dash_package().unwrap().manifest_window_seconds(),
        Some(120)
    );
}

/// The model's EncryptionContractConfiguration (SPEKE 2.0): "can be used for DASH or CMAF
/// endpoints" and "You must disable key rotation for this endpoint by setting
/// keyRotationIntervalSeconds to 0".
#[tokio::test]
async fn an_encryption_contract_is_for_dash_or_cmaf_without_key_rotation() {
    use mp::types::{DashEncryption, HlsEncryption};
    let server = TestServer::start().await;
    let mp = root(&server).await;
    mp.create_channel().id("c").send().await.unwrap();
    let speke = speke20;
    let err = mp
        .create_origin_endpoint()
        .channel_id("c")
        .id("hls")
        .hls_package(
            HlsPackage::builder()
                .encryption(
                    HlsEncryption::builder()
                        .key_rotation_interval_seconds(0)
                        .speke_key_provider(speke())
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(err.code(), Some("UnprocessableEntityException"));
    assert_eq!(
        err.message(),
        Some(
            "encryptionContractConfiguration can be used only for DASH or CMAF endpoints, not HLS"
        )
    );
    let dash = |rotation: i32| {
        DashPackage::builder()
            .encryption(
                DashEncryption::builder()
                    .key_rotation_interval_seconds(rotation)
                    .speke_key_provider(speke())
                    .build(),
            )
            .build()
    };
    let err = mp
        .create_origin_endpoint()
        .channel_id("c")
        .id("dash")
        .dash_package(dash(60))
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(err.code(), Some("UnprocessableEntityException"));
    assert_eq!(
        err.message(),
        Some("keyRotationIntervalSeconds must be 0 when encryptionContractConfiguration is set")
    );
    let ok = mp
        .create_origin_endpoint()
        .channel_id("c")
        .id("dash")
        .dash_package(dash(0))
        .send()
        .await
        .unwrap();
    let e = ok.dash_package().unwrap().encryption().unwrap();
    assert_eq!(e.key_rotation_interval_seconds(), Some(0));
    assert!(e
        .speke_key_provider()
        .unwrap()
        .encryption_contract_configuration()
        .is_some());
}

/// The model's CmafEncryption.ConstantInitializationVector: "An optional 128-bit, 16-byte hex
/// value represented by a 32-character string".
#[tokio::test]
async fn a_cmaf_constant_iv_is_32_hex_characters() {
    use mp::types::{CmafEncryption, CmafPackageCreateOrUpdateParameters};
    let server = TestServer::start().await;
    let mp = root(&server).await;
    mp.create_channel().id("c").send().await.unwrap();
    let cmaf = |iv: &str| {
        CmafPackageCreateOrUpdateParameters::builder()
            .encryption(
                CmafEncryption::builder()
                    .constant_initialization_vector(iv)
                    .speke_key_provider(speke("edef8ba9-79d6-4ace-a3c8-27dcd51d21ed").build())
                    .build(),
            )
            .build()
    };
    let err = mp
        .create_origin_endpoint()
        .channel_id("c")
        .id("cmaf")
        .cmaf_package(cmaf("0123"))
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(err.code(), Some("UnprocessableEntityException"));
    assert_eq!(
        err.message(),
        Some("constantInitializationVector 0123 is not a 32-character hex string (128 bits)")
    );
    let iv = "0123456789abcdef0123456789ABCDEF";
    let ok = mp
        .create_origin_endpoint()
        .channel_id("c")
        .id("cmaf")
        .cmaf_package(cmaf(iv))
        .send()
        .await
        .unwrap();
    let e = ok.cmaf_package().unwrap().encryption().unwrap();
    assert_eq!(e.constant_initialization_vector(), Some(iv));
}

/// The API Reference (UpdateOriginEndpoint): "If you send only the updated attributes, then all
/// modifiable attributes that weren't specifically included in the request will reset to
/// default values." The CLI's update-origin-endpoint example, replayed: only a time delay is
/// sent, and the answer has no description, manifest name `index` and startover window 0,
/// with the CMAF package kept.
#[tokio::test]
async fn an_update_resets_what_it_leaves_out_but_keeps_the_package() {
    use mp::types::{CmafPackageCreateOrUpdateParameters, HlsManifestCreateOrUpdateParameters};
    let server = TestServer::start().await;
    let mp = root(&server).await;
    mp.create_channel()
        .id("sportschannel")
        .send()
        .await
        .unwrap();
    let created = mp
        .create_origin_endpoint()
        .channel_id("sportschannel")
        .id("cmaf_sports")
        .description("cmaf output of sports")
        .manifest_name("sports_channel")
        .startover_window_seconds(300)
        .time_delay_seconds(10)
        .whitelist("10.0.0.0/8")
        .cmaf_package(
            CmafPackageCreateOrUpdateParameters::builder()
                .segment_duration_seconds(2)
                .hls_manifests(
                    HlsManifestCreateOrUpdateParameters::builder()
                        .id("cmaf_sports_endpoint")
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(created.description(), Some("cmaf output of sports"));
    let updated = mp
        .update_origin_endpoint()
        .id("cmaf_sports")
        .time_delay_seconds(0)
        .send()
        .await
        .unwrap();
    assert_eq!(updated.description(), None);
    assert_eq!(updated.manifest_name(), Some("index"));
    assert_eq!(updated.startover_window_seconds(), Some(0));
    assert_eq!(updated.time_delay_seconds(), Some(0));
    assert!(updated.whitelist().is_empty());
    let cmaf = updated.cmaf_package().unwrap();
    assert_eq!(cmaf.segment_duration_seconds(), Some(2));
    assert_eq!(cmaf.segment_prefix(), Some("sportschannel"));
    let manifest = &cmaf.hls_manifests()[0];
    assert_eq!(manifest.id(), Some("cmaf_sports_endpoint"));
    assert!(manifest
        .url()
        .unwrap()
        .ends_with("/cmaf_sports_endpoint/index.m3u8"));
    let described = mp
        .describe_origin_endpoint()
        .id("cmaf_sports")
        .send()
        .await
        .unwrap();
    assert_eq!(described.description(), None);
    assert_eq!(described.manifest_name(), Some("index"));
}

/// An encryption contract with `KeyRotationIntervalSeconds` left out keeps AWS's default
/// rotation ("By default, rotation is set to 60 seconds. Set to 0 to disable key rotation",
/// CloudFormation's AWS::MediaPackage::OriginEndpoint DashEncryption), which the model's
/// EncryptionContractConfiguration forbids ("You must disable key rotation").
#[tokio::test]
async fn an_encryption_contract_without_a_rotation_interval_is_refused() {
    use mp::types::{CmafEncryption, CmafPackageCreateOrUpdateParameters, DashEncryption};
    let server = TestServer::start().await;
    let mp = root(&server).await;
    mp.create_channel().id("c").send().await.unwrap();
    let speke = speke20;
    let rotating =
        Some("keyRotationIntervalSeconds must be 0 when encryptionContractConfiguration is set");
    let err = mp
        .create_origin_endpoint()
        .channel_id("c")
        .id("dash")
        .dash_package(
            DashPackage::builder()
                .encryption(
                    DashEncryption::builder()
                        .speke_key_provider(speke())
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(err.code(), Some("UnprocessableEntityException"));
    assert_eq!(err.message(), rotating);
    let err = mp
        .create_origin_endpoint()
        .channel_id("c")
        .id("cmaf")
        .cmaf_package(
            CmafPackageCreateOrUpdateParameters::builder()
                .encryption(
                    CmafEncryption::builder()
                        .speke_key_provider(speke())
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(err.code(), Some("UnprocessableEntityException"));
    assert_eq!(err.message(), rotating);
    let listed = mp.list_origin_endpoints().send().await.unwrap();
    assert!(listed.origin_endpoints().is_empty(), "nothing was created");
}

/// "The job runs once, then MediaPackage keeps a record of it on your account for 90 days"
/// (ltov.html), and "You can reuse the ID when the harvest job expires from your account"
/// (hj-create-basic.html). Aged on the manual lifecycle clock.
#[tokio::test]
async fn a_harvest_job_record_expires_after_90_days_and_its_id_is_reusable() {
    let mut config = server::Config::for_tests();
    config.transitions = server::Transitions::Manual;
    let server = TestServer::start_with(config).await;
    let mp = root(&server).await;
    mp.create_channel().id("c").send().await.unwrap();
    mp.create_origin_endpoint()
        .id("e")
        .channel_id("c")
        .startover_window_seconds(86400)
        .hls_package(HlsPackage::builder().build())
        .send()
        .await
        .unwrap();
    let ago = |secs: u64| {
        let at = std::time::SystemTime::now() - std::time::Duration::from_secs(secs);
        mp::primitives::DateTime::from(at)
            .fmt(mp::primitives::DateTimeFormat::DateTime)
            .unwrap()
    };
    let create = |bucket: &'static str| {
        mp.create_harvest_job()
            .id("clip")
            .origin_endpoint_id("e")
            .start_time(ago(40 * 60))
            .end_time(ago(10 * 60))
            .s3_destination(
                S3Destination::builder()
                    .bucket_name(bucket)
                    .manifest_key("clips/index.m3u8")
                    .role_arn("arn:aws:iam::000000000000:role/harvester")
                    .build(),
            )
            .send()
    };
    create("first").await.unwrap();
    server.advance_clock(89 * 86_400).await;
    let got = mp.describe_harvest_job().id("clip").send().await.unwrap();
    assert_eq!(got.status(), Some(&Status::Succeeded));
    let err = create("second").await.unwrap_err().into_service_error();
    assert_eq!(err.code(), Some("UnprocessableEntityException"));
    server.advance_clock(86_400).await;
    let err = mp
        .describe_harvest_job()
        .id("clip")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(err.code(), Some("NotFoundException"));
    let listed = mp.list_harvest_jobs().send().await.unwrap();
    assert!(listed.harvest_jobs().is_empty());
    let again = create("second").await.unwrap();
    assert_eq!(again.status(), Some(&Status::InProgress));
    let got = mp.describe_harvest_job().id("clip").send().await.unwrap();
    assert_eq!(got.s3_destination().unwrap().bucket_name(), Some("second"));
}

/// CDN authorization names a Secrets Manager secret of the endpoint's Region and account and
/// an IAM role (the model's Authorization; cdn-auth-setup.html: "The secret must use the same
/// AWS account and Region settings as your MediaPackage resources").
#[tokio::test]
async fn cdn_authorization_needs_a_secret_of_the_same_region_and_account() {
    use mp::types::Authorization;
    let server = TestServer::start().await;
    let mp = root(&server).await;
    mp.create_channel().id("c").send().await.unwrap();
    let auth = |secret: &str| {
        Authorization::builder()
            .cdn_identifier_secret(secret)
            .secrets_role_arn("arn:aws:iam::000000000000:role/secrets")
            .build()
    };
    let create = |id: &'static str, secret: &str| {
        mp.create_origin_endpoint()
            .channel_id("c")
            .id(id)
            .hls_package(HlsPackage::builder().build())
            .authorization(auth(secret))
            .send()
    };
    let err = create(
        "e",
        "arn:aws:secretsmanager:eu-west-1:000000000000:secret:cdn",
    )
    .await
    .unwrap_err()
    .into_service_error();
    assert_eq!(err.code(), Some("UnprocessableEntityException"));
    assert_eq!(
        err.message(),
        Some(
            format!(
                "The secret arn:aws:secretsmanager:eu-west-1:000000000000:secret:cdn must be in the origin endpoint's Region ({REGION})"
            )
            .as_str()
        )
    );
    let err = create("e", "not-an-arn")
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(err.code(), Some("UnprocessableEntityException"));
    let secret = format!("arn:aws:secretsmanager:{REGION}:000000000000:secret:cdn-AbC123");
    let ok = create("e", &secret).await.unwrap();
    assert_eq!(
        ok.authorization().and_then(|a| a.cdn_identifier_secret()),
        Some(secret.as_str())
    );
}

/// "You must import a suitable certificate into AWS Certificate Manager (ACM) in the same Region
/// that you run MediaPackage" (drm-content-key-encryption.html).
#[tokio::test]
async fn a_content_key_encryption_certificate_of_another_region_is_refused() {
    use mp::types::HlsEncryption;
    let server = TestServer::start().await;
    let mp = root(&server).await;
    mp.create_channel().id("c").send().await.unwrap();
    let hls = |region: &str| {
        HlsPackage::builder()
            .encryption(
                HlsEncryption::builder()
                    .speke_key_provider(
                        speke("81376844-f976-481e-a84e-cc25d39b0b33")
                            .certificate_arn(format!(
                                "arn:aws:acm:{region}:000000000000:certificate/abc"
                            ))
                            .build(),
                    )
                    .build(),
            )
            .build()
    };
    let err = mp
        .create_origin_endpoint()
        .channel_id("c")
        .id("e")
        .hls_package(hls("eu-west-1"))
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(err.code(), Some("UnprocessableEntityException"));
    assert_eq!(
        err.message(),
        Some(
            format!(
                "The certificate arn:aws:acm:eu-west-1:000000000000:certificate/abc must be in the origin endpoint's Region ({REGION})"
            )
            .as_str()
        )
    );
    let ok = mp
        .create_origin_endpoint()
        .channel_id("c")
        .id("e")
        .hls_package(hls(REGION))
        .send()
        .await
        .unwrap();
    let speke = ok
        .hls_package()
        .and_then(|p| p.encryption())
        .and_then(|e| e.speke_key_provider())
        .unwrap();
    assert_eq!(
        speke.certificate_arn(),
        Some(format!("arn:aws:acm:{REGION}:000000000000:certificate/abc").as_str())
    );
}

/// CloudFormation's AWS::MediaPackage::OriginEndpoint EncryptionContractConfiguration: "You
/// cannot combine an UNENCRYPTED preset with UNENCRYPTED or SHARED presets" and "When you use a
/// SHARED preset, you must use it for both"; other combinations are made.
#[tokio::test]
async fn encryption_contract_presets_go_together() {
    use mp::types::{
        DashEncryption, EncryptionContractConfiguration, PresetSpeke20Audio as A,
        PresetSpeke20Video as V,
    };
    let server = TestServer::start().await;
    let mp = root(&server).await;
    mp.create_channel().id("c").send().await.unwrap();
    let create = |id: &'static str, audio: A, video: V| {
        mp.create_origin_endpoint()
            .channel_id("c")
            .id(id)
            .dash_package(
                DashPackage::builder()
                    .encryption(
                        DashEncryption::builder()
                            .key_rotation_interval_seconds(0)
                            .speke_key_provider(
                                speke("edef8ba9-79d6-4ace-a3c8-27dcd51d21ed")
                                    .encryption_contract_configuration(
                                        EncryptionContractConfiguration::builder()
                                            .preset_speke20_audio(audio)
                                            .preset_speke20_video(video)
                                            .build(),
                                    )
                                    .build(),
                            )
                            .build(),
                    )
                    .build(),
            )
            .send()
    };
    for (audio, video) in [
        (A::Unencrypted, V::Unencrypted),
        (A::Unencrypted, V::Shared),
        (A::Shared, V::PresetVideo1),
    ] {
        let err = create("x", audio, video)
            .await
            .unwrap_err()
            .into_service_error();
        assert_eq!(err.code(), Some("UnprocessableEntityException"), "{err:?}");
    }
    assert!(mp
        .list_origin_endpoints()
        .send()
        .await
        .unwrap()
        .origin_endpoints()
        .is_empty());
    create("clear-audio", A::Unencrypted, V::PresetVideo1)
        .await
        .unwrap();
    create("shared", A::Shared, V::Shared).await.unwrap();
}
