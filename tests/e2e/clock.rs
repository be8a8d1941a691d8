//! The lifecycle clock end to end: with `--transitions manual` a recording configuration
//! stays CREATING until `POST /_mediamock/clock/advance`; with `fast` it becomes ACTIVE on
//! its own within a couple of seconds.

use crate::common;

use aws_sdk_ivs::types::{
    DestinationConfiguration, RecordingConfigurationState, S3DestinationConfiguration,
};
use common::TestServer;
use server::{Config, Transitions};
use std::time::{Duration, Instant};

async fn server_with(transitions: Transitions) -> (TestServer, aws_sdk_ivs::Client) {
    let mut config = Config::for_tests();
    config.transitions = transitions;
    let server = TestServer::start_with(config).await;
    let ivs = server.ivs_root().await;
    (server, ivs)
}

/// Creates a recording configuration; returns its ARN and the state it was created in.
async fn create(ivs: &aws_sdk_ivs::Client) -> (String, RecordingConfigurationState) {
    let s3 = S3DestinationConfiguration::builder()
        .bucket_name("recordings")
        .build()
        .unwrap();
    let out = ivs
        .create_recording_configuration()
        .destination_configuration(DestinationConfiguration::builder().s3(s3).build())
        .send()
        .await
        .unwrap()
        .recording_configuration
        .unwrap();
    (out.arn, out.state)
}

async fn state(ivs: &aws_sdk_ivs::Client, arn: &str) -> RecordingConfigurationState {
    ivs.get_recording_configuration()
        .arn(arn)
        .send()
        .await
        .unwrap()
        .recording_configuration
        .unwrap()
        .state
}

#[tokio::test]
async fn the_manual_clock_holds_a_transition_until_advanced() {
    let (server, ivs) = server_with(Transitions::Manual).await;
    let (arn, created) = create(&ivs).await;
    assert_eq!(created, RecordingConfigurationState::Creating);
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(
        state(&ivs, &arn).await,
        RecordingConfigurationState::Creating,
        "wall time moved a manual clock"
    );
    let body = server.advance_clock(60).await;
    assert_eq!(body["mode"], "manual");
    assert_eq!(state(&ivs, &arn).await, RecordingConfigurationState::Active);
}

#[tokio::test]
async fn the_fast_clock_completes_a_transition_within_seconds() {
    let (_server, ivs) = server_with(Transitions::Fast).await;
    let (arn, created) = create(&ivs).await;
    assert_eq!(created, RecordingConfigurationState::Creating);
    let started = Instant::now();
    loop {
        if state(&ivs, &arn).await == RecordingConfigurationState::Active {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "still CREATING after {:?}",
            started.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
