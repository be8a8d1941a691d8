//! Amazon IVS end to end: the real `aws-sdk-ivs` against mediamock. Every resource family's
//! lifecycle, pagination over 250 channels, streams started and ended through the admin API,
//! PutMetadata, and errors' codes and messages as the SDK surfaces them.

use crate::common;

use aws_sdk_ivs::error::ProvideErrorMetadata;
use aws_sdk_ivs::types::{
    ChannelType, DestinationConfiguration, MediaTailorPlaybackConfiguration,
    S3DestinationConfiguration, StreamFilters, StreamHealth, TranscodePreset,
};
use common::{code_of, TestServer};
use serde_json::json;
use std::collections::BTreeSet;

/// An ECDSA P-384 public key (test material generated with openssl).
const P384_KEY: &str = "-----BEGIN PUBLIC KEY-----
MHYwEAYHKoZIzj0CAQYFK4EEACIDYgAE51UUncBpcjDPqSf6IQTiQ6N1hNztxqFL
wpOYwYTogKu16DzQG0V07a+bO9kVu7iuT2ix+KnQCfpRoDpRGgrZe13UcPm0TVRv
41z+So5C0zzTEjTJndqsS1zvih0JkqEy
-----END PUBLIC KEY-----
";

/// An ECDSA P-256 public key: the wrong curve for IVS.
const P256_KEY: &str = "-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEN2v+Ve/skqK6TFmn/u4hYPy4ZUN/
ouAr1Kwea1Qvsg/jlnF861DWnawwlnC9GZJmI3EobR0C89ZK6AUFD1ecLg==
-----END PUBLIC KEY-----
";

/// Starts or ends a stream through the admin API; returns the status and body.
async fn stream_admin(
    server: &TestServer,
    channel_arn: &str,
    action: &str,
    health: Option<&str>,
) -> (u16, serde_json::Value) {
    let mut body = json!({"channelArn": channel_arn, "action": action});
    if let Some(h) = health {
        body["health"] = json!(h);
    }
    server
        .admin("POST", "/_mediamock/ivs/streams", body, "test", "test")
        .await
}

#[tokio::test]
async fn channel_and_stream_key_lifecycle() {
    let server = TestServer::start().await;
    let ivs = server.ivs_root().await;
    let created = ivs
        .create_channel()
        .name("demo")
        .tags("team", "video")
        .send()
        .await
        .unwrap();
    let channel = created.channel().unwrap();
    let arn = channel.arn().unwrap().to_string();
    assert!(arn.starts_with("arn:aws:ivs:us-west-2:000000000000:channel/"));
    assert_eq!(channel.name(), Some("demo"));
    assert_eq!(channel.r#type(), Some(&ChannelType::StandardChannelType));
    assert!(!channel.authorized());
    assert!(channel.playback_url().unwrap().ends_with(".m3u8"));
    assert!(channel
        .ingest_endpoint()
        .unwrap()
        .ends_with(".global-contribute.live-video.net"));
    let key = created.stream_key().unwrap();
    assert_eq!(key.channel_arn(), Some(arn.as_str()));
    assert!(key.value().unwrap().starts_with("sk_us-west-2_"));
    // AWS's keys: `sk_REGION_` then 12 and 30 characters joined by `_` (56 in all here).
    assert_eq!(key.value().unwrap().len(), 56);
    assert_eq!(key.value().unwrap().matches('_').count(), 3);
    // AWS's multitrack defaults (the AWS CLI's create-channel examples).
    let multitrack = channel.multitrack_input_configuration().unwrap();
    assert!(!multitrack.enabled());
    assert_eq!(
        multitrack.maximum_resolution(),
        Some(&aws_sdk_ivs::types::MultitrackMaximumResolution::FullHd)
    );
    assert_eq!(
        multitrack.policy(),
        Some(&aws_sdk_ivs::types::MultitrackPolicy::Allow)
    );
    let key_arn = key.arn().unwrap().to_string();

    let got = ivs.get_channel().arn(&arn).send().await.unwrap();
    assert_eq!(got.channel().unwrap().tags().unwrap()["team"], "video");

    // One stream key per channel.
    assert_eq!(
        code_of(ivs.create_stream_key().channel_arn(&arn).send().await).as_deref(),
        Some("ServiceQuotaExceededException")
    );
    let keys = ivs
        .list_stream_keys()
        .channel_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(keys.stream_keys().len(), 1);
    assert_eq!(keys.stream_keys()[0].arn(), Some(key_arn.as_str()));
    ivs.delete_stream_key().arn(&key_arn).send().await.unwrap();
    let new_key = ivs
        .create_stream_key()
        .channel_arn(&arn)
        .send()
        .await
        .unwrap();
    let new_key_arn = new_key.stream_key().unwrap().arn().unwrap().to_string();
    let batch = ivs
        .batch_get_stream_key()
        .arns(&new_key_arn)
        .arns(&key_arn)
        .send()
        .await
        .unwrap();
    assert_eq!(batch.stream_keys().len(), 1);
    assert_eq!(batch.errors().len(), 1);
    assert_eq!(batch.errors()[0].arn(), Some(key_arn.as_str()));

    // Update: preset only for ADVANCED types; defaults follow the type.
    assert_eq!(
        code_of(
            ivs.update_channel()
                .arn(&arn)
                .preset(TranscodePreset::ConstrainedBandwidthTranscodePreset)
                .send()
                .await
        )
        .as_deref(),
        Some("ValidationException")
    );
    let updated = ivs
        .update_channel()
        .arn(&arn)
        .r#type(ChannelType::AdvancedHdChannelType)
        .send()
        .await
        .unwrap();
    assert_eq!(
        updated.channel().unwrap().preset(),
        Some(&TranscodePreset::HigherBandwidthTranscodePreset)
    );

    let missing = "arn:aws:ivs:us-west-2:000000000000:channel/doesnotexist";
    let batch = ivs
        .batch_get_channel()
        .arns(&arn)
        .arns(missing)
        .send()
        .await
        .unwrap();
    assert_eq!(batch.channels().len(), 1);
    assert_eq!(batch.errors()[0].code(), Some("ResourceNotFoundException"));

    ivs.delete_channel().arn(&arn).send().await.unwrap();
    let err = ivs.get_channel().arn(&arn).send().await.unwrap_err();
    assert_eq!(err.code(), Some("ResourceNotFoundException"));
    assert!(err.message().unwrap().contains(&arn));
    assert_eq!(
        code_of(ivs.get_stream_key().arn(&new_key_arn).send().await).as_deref(),
        Some("ResourceNotFoundException")
    );
    server.stop().await;
}

#[tokio::test]
async fn pagination_over_250_channels() {
    let server = TestServer::start().await;
    let ivs = server.ivs_root().await;
    let mut created = BTreeSet::new();
    for i in 0..250 {
        let out = ivs
            .create_channel()
            .name(format!("ch-{i}"))
            .send()
            .await
            .unwrap();
        created.insert(out.channel().unwrap().arn().unwrap().to_string());
    }
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    let mut pages = 0;
    loop {
        let out = ivs
            .list_channels()
            .max_results(100)
            .set_next_token(token.clone())
            .send()
            .await
            .unwrap();
        pages += 1;
        seen.extend(out.channels().iter().map(|c| c.arn().unwrap().to_string()));
        match out.next_token() {
            Some(t) => token = Some(t.to_string()),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen.len(), 250);
    assert_eq!(seen.into_iter().collect::<BTreeSet<_>>(), created);

    // The SDK's paginator sees the same.
    let pages: Vec<_> = ivs
        .list_channels()
        .max_results(40)
        .into_paginator()
        .send()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 7);
    assert_eq!(pages.iter().map(|p| p.channels().len()).sum::<usize>(), 250);

    // A forged token is refused.
    let first = ivs.list_channels().max_results(10).send().await.unwrap();
    let mut forged = first.next_token().unwrap().to_string();
    forged.replace_range(0..1, if forged.starts_with('A') { "B" } else { "A" });
    assert_eq!(
        code_of(ivs.list_channels().next_token(forged).send().await).as_deref(),
        Some("ValidationException")
    );

    // Filters are exclusive.
    assert_eq!(
        code_of(
            ivs.list_channels()
                .filter_by_name("ch-1")
                .filter_by_recording_configuration_arn(
                    "arn:aws:ivs:us-west-2:000000000000:recording-configuration/abc",
                )
                .send()
                .await
        )
        .as_deref(),
        Some("ConflictException")
    );
    let named = ivs
        .list_channels()
        .filter_by_name("ch-7")
        .send()
        .await
        .unwrap();
    assert_eq!(named.channels().len(), 1);
    server.stop().await;
}

#[tokio::test]
async fn streams_start_stop_and_metadata() {
    let server = TestServer::start().await;
    let ivs = server.ivs_root().await;
    let arn = ivs
        .create_channel()
        .send()
        .await
        .unwrap()
        .channel()
        .unwrap()
        .arn()
        .unwrap()
        .to_string();

    let offline = ivs
        .get_stream()
        .channel_arn(&arn)
        .send()
        .await
        .expect_err("offline")
        .into_service_error();
    assert!(offline.is_channel_not_broadcasting());
    assert_eq!(
        offline.message(),
        Some(format!("Channel: {arn} is not currently online").as_str())
    );
    assert_eq!(
        code_of(
            ivs.put_metadata()
                .channel_arn(&arn)
                .metadata("hello")
                .send()
                .await
        )
        .as_deref(),
        Some("ChannelNotBroadcasting")
    );

    let (status, body) = stream_admin(&server, &arn, "start", Some("STARVING")).await;
    assert_eq!(status, 200, "{body}");
    let stream_id = body["stream"]["streamId"].as_str().unwrap().to_string();
    assert!(stream_id.starts_with("st-"));

    let stream = ivs.get_stream().channel_arn(&arn).send().await.unwrap();
    let stream = stream.stream().unwrap();
    assert_eq!(stream.stream_id(), Some(stream_id.as_str()));
    assert_eq!(stream.health(), Some(&StreamHealth::Starving));
    assert_eq!(stream.viewer_count(), 0);

    let listed = ivs
        .list_streams()
        .filter_by(
            StreamFilters::builder()
                .health(StreamHealth::Starving)
                .build(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(listed.streams().len(), 1);
    let healthy = ivs
        .list_streams()
        .filter_by(
            StreamFilters::builder()
                .health(StreamHealth::StreamHealthy)
                .build(),
        )
        .send()
        .await
        .unwrap();
    assert!(healthy.streams().is_empty());

    ivs.put_metadata()
        .channel_arn(&arn)
        .metadata("{\"question\": 1}")
        .send()
        .await
        .unwrap();
    assert_eq!(
        code_of(
            ivs.put_metadata()
                .channel_arn(&arn)
                .metadata("x".repeat(1025))
                .send()
                .await
        )
        .as_deref(),
        Some("ValidationException")
    );

    // Live channels cannot be deleted.
    assert_eq!(
        code_of(ivs.delete_channel().arn(&arn).send().await).as_deref(),
        Some("ConflictException")
    );

    ivs.stop_stream().channel_arn(&arn).send().await.unwrap();
    assert_eq!(
        code_of(ivs.stop_stream().channel_arn(&arn).send().await).as_deref(),
        Some("ChannelNotBroadcasting")
    );
    let session = ivs
        .get_stream_session()
        .channel_arn(&arn)
        .send()
        .await
        .unwrap();
    let session = session.stream_session().unwrap();
    assert_eq!(session.stream_id(), Some(stream_id.as_str()));
    assert!(session.end_time().is_some());
    assert!(!session.truncated_events().is_empty());

    // Start and end again through the admin API.
    let (status, _) = stream_admin(&server, &arn, "start", None).await;
    assert_eq!(status, 200);
    let (status, body) = stream_admin(&server, &arn, "end", None).await;
    assert_eq!(status, 200, "{body}");
    let sessions = ivs
        .list_stream_sessions()
        .channel_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(sessions.stream_sessions().len(), 2);
    assert_eq!(
        sessions.stream_sessions()[1].stream_id(),
        Some(stream_id.as_str())
    );
    let (status, _) = stream_admin(&server, &arn, "end", None).await;
    assert!(status >= 400);
    ivs.delete_channel().arn(&arn).send().await.unwrap();
    server.stop().await;
}

#[tokio::test]
async fn configurations_lifecycle_and_in_use_checks() {
    let server = TestServer::start().await;
    let ivs = server.ivs_root().await;

    let rc = ivs
        .create_recording_configuration()
        .name("rec")
        .destination_configuration(
            DestinationConfiguration::builder()
                .s3(S3DestinationConfiguration::builder()
                    .bucket_name("my-bucket")
                    .build()
                    .unwrap())
                .build(),
        )
        .send()
        .await
        .unwrap();
    let rc = rc.recording_configuration().unwrap();
    let rc_arn = rc.arn().to_string();
    assert_eq!(
        rc.thumbnail_configuration()
            .unwrap()
            .target_interval_seconds(),
        Some(60)
    );

    let policy = ivs
        .create_playback_restriction_policy()
        .allowed_countries("US")
        .allowed_origins("https://example.com")
        .send()
        .await
        .unwrap();
    let policy_arn = policy
        .playback_restriction_policy()
        .unwrap()
        .arn()
        .to_string();

    let ad = ivs
        .create_ad_configuration()
        .media_tailor_playback_configurations(
            MediaTailorPlaybackConfiguration::builder()
                .playback_configuration_arn(
                    "arn:aws:mediatailor:us-west-2:000000000000:playbackConfiguration/pc",
                )
                .build(),
        )
        .send()
        .await
        .unwrap();
    let ad_arn = ad.ad_configuration().unwrap().arn().to_string();

    let slate = ivs
        .create_failover_slate_configuration()
        .max_slate_display_seconds(90)
        .send()
        .await
        .unwrap();
    let slate_arn = slate
        .failover_slate_configuration()
        .unwrap()
        .arn()
        .to_string();

    let channel = ivs
        .create_channel()
        .recording_configuration_arn(&rc_arn)
        .playback_restriction_policy_arn(&policy_arn)
        .ad_configuration_arn(&ad_arn)
        .failover_slate_configuration_arn(&slate_arn)
        .send()
        .await
        .unwrap();
    let channel_arn = channel.channel().unwrap().arn().unwrap().to_string();

    let by_rc = ivs
        .list_channels()
        .filter_by_recording_configuration_arn(&rc_arn)
        .send()
        .await
        .unwrap();
    assert_eq!(by_rc.channels().len(), 1);

    assert_eq!(
        code_of(
            ivs.delete_recording_configuration()
                .arn(&rc_arn)
                .send()
                .await
        )
        .as_deref(),
        Some("ConflictException")
    );
    assert_eq!(
        code_of(
            ivs.delete_playback_restriction_policy()
                .arn(&policy_arn)
                .send()
                .await
        )
        .as_deref(),
        Some("ConflictException")
    );
    assert_eq!(
        code_of(ivs.delete_ad_configuration().arn(&ad_arn).send().await).as_deref(),
        Some("ConflictException")
    );
    assert_eq!(
        code_of(
            ivs.delete_failover_slate_configuration()
                .arn(&slate_arn)
                .send()
                .await
        )
        .as_deref(),
        Some("ConflictException")
    );

    // Ad breaks need a live stream.
    assert_eq!(
        code_of(
            ivs.insert_ad_break()
                .channel_arn(&channel_arn)
                .duration_seconds(30)
                .send()
                .await
        )
        .as_deref(),
        Some("ChannelNotBroadcasting")
    );
    let (status, _) = stream_admin(&server, &channel_arn, "start", None).await;
    assert_eq!(status, 200);
    let ad_break = ivs
        .insert_ad_break()
        .channel_arn(&channel_arn)
        .duration_seconds(30)
        .send()
        .await
        .unwrap();
    assert_eq!(ad_break.ad_break_id().map(str::len), Some(12));
    // A target time no wire format can write back is refused, never rewritten to 1970; the
    // last millisecond of year 9999 is kept (to the second IVS answers with).
    for (target, status, expected) in [
        ("1e12", 400, None),
        (r#""+33658-09-27T01:46:40Z""#, 400, None),
        (
            r#""9999-12-31T23:59:59.999999999Z""#,
            200,
            Some("9999-12-31T23:59:59Z"),
        ),
    ] {
        let body = format!(
            r#"{{"channelArn":"{channel_arn}","durationSeconds":30,"targetStartAt":{target}}}"#
        );
        let r = server
            .signed(
                "POST",
                "/InsertAdBreak",
                &[("content-type", "application/json")],
                body.as_bytes(),
                "ivs",
                common::ROOT_KEY,
                common::ROOT_SECRET,
                std::time::SystemTime::now(),
            )
            .await;
        assert_eq!(r.status, status, "{target}: {}", r.text());
        match expected {
            Some(at) => assert_eq!(r.json()["targetStartAt"], at, "{target}"),
            None => {
                assert_eq!(
                    r.header("x-amzn-errortype"),
                    Some("SerializationException"),
                    "{target}"
                );
                assert!(r.text().contains("targetStartAt"), "{}", r.text());
            }
        }
    }
    let session = ivs
        .get_stream_session()
        .channel_arn(&channel_arn)
        .send()
        .await
        .unwrap();
    assert_eq!(
        session
            .stream_session()
            .unwrap()
            .recording_configuration()
            .unwrap()
            .arn(),
        rc_arn
    );
    ivs.stop_stream()
        .channel_arn(&channel_arn)
        .send()
        .await
        .unwrap();

    let updated = ivs
        .update_playback_restriction_policy()
        .arn(&policy_arn)
        .enable_strict_origin_enforcement(true)
        .send()
        .await
        .unwrap();
    assert!(updated
        .playback_restriction_policy()
        .unwrap()
        .enable_strict_origin_enforcement()
        .unwrap());
    let updated = ivs
        .update_failover_slate_configuration()
        .arn(&slate_arn)
        .min_slate_display_seconds(5)
        .send()
        .await
        .unwrap();
    assert_eq!(
        updated
            .failover_slate_configuration()
            .unwrap()
            .min_slate_display_seconds(),
        Some(5)
    );
    ivs.update_ad_configuration()
        .arn(&ad_arn)
        .name("ads")
        .send()
        .await
        .unwrap();

    assert_eq!(
        ivs.list_recording_configurations()
            .send()
            .await
            .unwrap()
            .recording_configurations()
            .len(),
        1
    );
    assert_eq!(
        ivs.list_ad_configurations()
            .send()
            .await
            .unwrap()
            .ad_configurations()
            .len(),
        1
    );
    assert_eq!(
        ivs.list_failover_slate_configurations()
            .send()
            .await
            .unwrap()
            .failover_slate_configurations()
            .len(),
        1
    );
    assert_eq!(
        ivs.list_playback_restriction_policies()
            .max_results(10)
            .send()
            .await
            .unwrap()
            .playback_restriction_policies()
            .len(),
        1
    );

    ivs.delete_channel().arn(&channel_arn).send().await.unwrap();
    ivs.delete_recording_configuration()
        .arn(&rc_arn)
        .send()
        .await
        .unwrap();
    ivs.delete_playback_restriction_policy()
        .arn(&policy_arn)
        .send()
        .await
        .unwrap();
    ivs.delete_ad_configuration()
        .arn(&ad_arn)
        .send()
        .await
        .unwrap();
    ivs.delete_failover_slate_configuration()
        .arn(&slate_arn)
        .send()
        .await
        .unwrap();
    assert_eq!(
        code_of(ivs.get_recording_configuration().arn(&rc_arn).send().await).as_deref(),
        Some("ResourceNotFoundException")
    );
    server.stop().await;
}

#[tokio::test]
async fn playback_key_pairs_and_tags() {
    let server = TestServer::start().await;
    let ivs = server.ivs_root().await;
    assert_eq!(
        code_of(
            ivs.import_playback_key_pair()
                .public_key_material(P256_KEY)
                .send()
                .await
        )
        .as_deref(),
        Some("ValidationException")
    );
    let pair = ivs
        .import_playback_key_pair()
        .public_key_material(P384_KEY)
        .name("viewer-tokens")
        .send()
        .await
        .unwrap();
    let pair = pair.key_pair().unwrap();
    let arn = pair.arn().unwrap().to_string();
    assert!(arn.contains(":playback-key/"));
    assert!(pair.fingerprint().is_some());
    assert_eq!(
        code_of(
            ivs.import_playback_key_pair()
                .public_key_material(P384_KEY)
                .send()
                .await
        )
        .as_deref(),
        Some("ConflictException")
    );
    let listed = ivs.list_playback_key_pairs().send().await.unwrap();
    assert_eq!(listed.key_pairs().len(), 1);

    ivs.tag_resource()
        .resource_arn(&arn)
        .tags("env", "test")
        .tags("owner", "me")
        .send()
        .await
        .unwrap();
    ivs.untag_resource()
        .resource_arn(&arn)
        .tag_keys("owner")
        .send()
        .await
        .unwrap();
    let tags = ivs
        .list_tags_for_resource()
        .resource_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(tags.tags().len(), 1);
    assert_eq!(tags.tags()["env"], "test");
    assert_eq!(
        code_of(
            ivs.tag_resource()
                .resource_arn(&arn)
                .tags("aws:reserved", "x")
                .send()
                .await
        )
        .as_deref(),
        Some("ValidationException")
    );

    ivs.delete_playback_key_pair()
        .arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(
        code_of(ivs.get_playback_key_pair().arn(&arn).send().await).as_deref(),
        Some("ResourceNotFoundException")
    );
    assert_eq!(
        code_of(ivs.list_tags_for_resource().resource_arn(&arn).send().await).as_deref(),
        Some("ResourceNotFoundException")
    );
    server.stop().await;
}

#[tokio::test]
async fn viewer_session_revocation() {
    let server = TestServer::start().await;
    let ivs = server.ivs_root().await;
    let arn = ivs
        .create_channel()
        .authorized(true)
        .send()
        .await
        .unwrap()
        .channel()
        .unwrap()
        .arn()
        .unwrap()
        .to_string();
    ivs.start_viewer_session_revocation()
        .channel_arn(&arn)
        .viewer_id("viewer-1")
        .send()
        .await
        .unwrap();
    let missing = "arn:aws:ivs:us-west-2:000000000000:channel/doesnotexist";
    assert_eq!(
        code_of(
            ivs.start_viewer_session_revocation()
                .channel_arn(missing)
                .viewer_id("viewer-1")
                .send()
                .await
        )
        .as_deref(),
        Some("ResourceNotFoundException")
    );
    let out = ivs
        .batch_start_viewer_session_revocation()
        .viewer_sessions(viewer_session(&arn, "a"))
        .viewer_sessions(viewer_session(missing, "b"))
        .send()
        .await
        .unwrap();
    assert_eq!(out.errors().len(), 1);
    assert_eq!(out.errors()[0].viewer_id(), "b");
    server.stop().await;
}

#[tokio::test]
async fn a_null_inside_a_list_or_map_is_a_serialization_error() {
    let server = TestServer::start().await;
    for (path, body) in [
        ("/BatchGetChannel", &br#"{"arns":[null]}"#[..]),
        ("/CreateChannel", br#"{"name":"n","tags":{"team":null}}"#),
    ] {
        let r = server
            .signed(
                "POST",
                path,
                &[("content-type", "application/json")],
                body,
                "ivs",
                common::ROOT_KEY,
                common::ROOT_SECRET,
                std::time::SystemTime::now(),
            )
            .await;
        assert_eq!(r.status, 400, "{path}: {}", r.text());
        assert_eq!(
            r.header("x-amzn-errortype"),
            Some("SerializationException"),
            "{path}"
        );
    }
    let ivs = server.ivs_root().await;
    assert!(ivs
        .list_channels()
        .send()
        .await
        .unwrap()
        .channels()
        .is_empty());
}

/// One channel-and-viewer pair of a batch revocation.
pub(crate) fn viewer_session(
    channel: &str,
    viewer: &str,
) -> aws_sdk_ivs::types::BatchStartViewerSessionRevocationViewerSession {
    aws_sdk_ivs::types::BatchStartViewerSessionRevocationViewerSession::builder()
        .channel_arn(channel)
        .viewer_id(viewer)
        .build()
        .unwrap()
}

/// AWS's IVS samples send `preset: ""` for BASIC and STANDARD channels, and AWS accepts it
/// (the API Reference's value for channels without a preset), though the model's enum lists
/// only the two presets.
#[tokio::test]
async fn an_empty_preset_is_accepted_as_no_preset() {
    let server = TestServer::start().await;
    let ivs = server.ivs_root().await;
    let empty = TranscodePreset::from("");
    let created = ivs
        .create_channel()
        .name("ugc")
        .r#type(aws_sdk_ivs::types::ChannelType::BasicChannelType)
        .preset(empty.clone())
        .send()
        .await
        .expect("an empty preset")
        .channel
        .unwrap();
    assert_eq!(created.preset().map(|p| p.as_str()), Some(""));
    let arn = created.arn.unwrap();
    let updated = ivs
        .update_channel()
        .arn(&arn)
        .r#type(aws_sdk_ivs::types::ChannelType::AdvancedHdChannelType)
        .preset(empty)
        .send()
        .await
        .expect("an empty preset on update")
        .channel
        .unwrap();
    assert_eq!(
        updated.preset(),
        Some(&TranscodePreset::HigherBandwidthTranscodePreset),
        "an advanced channel's default"
    );
    let err = ivs
        .update_channel()
        .arn(&arn)
        .preset(TranscodePreset::from("FASTEST"))
        .send()
        .await
        .expect_err("not a preset");
    assert_eq!(err.code(), Some("ValidationException"));
    server.stop().await;
}

/// AWS's GetStreamSession example (API Reference, `aws ivs get-stream-session`): the
/// deprecated `avcProfile`/`avcLevel` appear in `ingestConfiguration.video` only; the
/// `ingestConfigurations.videoConfigurations` entries carry `profile`/`level` alone.
#[tokio::test]
async fn stream_session_video_configurations_leave_out_the_deprecated_avc_members() {
    let server = TestServer::start().await;
    let ivs = server.ivs_root().await;
    let arn = ivs
        .create_channel()
        .name("avc")
        .send()
        .await
        .unwrap()
        .channel
        .unwrap()
        .arn
        .unwrap();
    let (status, _) = stream_admin(&server, &arn, "start", None).await;
    assert_eq!(status, 200);
    let session = ivs
        .get_stream_session()
        .channel_arn(&arn)
        .send()
        .await
        .unwrap()
        .stream_session
        .unwrap();
    let old = session.ingest_configuration().unwrap().video().unwrap();
    assert_eq!(old.avc_profile(), Some("Main"));
    assert_eq!(old.avc_level(), Some("4.1"));
    let videos = session
        .ingest_configurations()
        .unwrap()
        .video_configurations();
    assert_eq!(videos.len(), 1);
    assert_eq!(videos[0].avc_profile(), None);
    assert_eq!(videos[0].avc_level(), None);
    assert_eq!(videos[0].profile(), Some("Main"));
    assert_eq!(videos[0].level(), Some("4.1"));
    server.stop().await;
}

/// Terraform's `aws_ivs_playback_key_pair` acceptance test, run against AWS, asserts the
/// fingerprint is the MD5 of the key's DER `SubjectPublicKeyInfo` in colon-separated hex.
#[tokio::test]
async fn a_playback_key_pairs_fingerprint_is_the_md5_of_its_der_public_key() {
    let server = TestServer::start().await;
    let ivs = server.ivs_root().await;
    let imported = ivs
        .import_playback_key_pair()
        .public_key_material(P384_KEY)
        .send()
        .await
        .unwrap();
    // `openssl pkey -pubin -outform DER | openssl md5 -c` of P384_KEY.
    let expected = "cb:1f:60:78:a9:31:bf:d6:6b:cc:92:ad:d8:3d:20:19";
    let pair = imported.key_pair().unwrap();
    assert_eq!(pair.fingerprint(), Some(expected));
    let got = ivs
        .get_playback_key_pair()
        .arn(pair.arn().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(got.key_pair().unwrap().fingerprint(), Some(expected));
}
