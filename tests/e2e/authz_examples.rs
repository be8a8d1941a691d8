//! AWS's published policy examples replayed with the SDK for Rust: what each example says it
//! allows is allowed, and what it does not is refused with AWS's AccessDenied message naming
//! the action and resource.

use crate::common;

use aws_sdk_mediaconvert::error::ProvideErrorMetadata;
use aws_sdk_mediaconvert::types::{
    FileGroupSettings, Input, JobSettings, JobTemplateSettings, Output, OutputGroup,
    OutputGroupSettings, OutputGroupType,
};
use common::TestServer;
use std::time::SystemTime;

const TRUST_MEDIACONVERT: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"mediaconvert.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;

/// One file output group writing to `media-out`, its output made with `preset` if given.
fn output_group(preset: Option<&str>) -> OutputGroup {
    let mut output = Output::builder().name_modifier("_o");
    if let Some(p) = preset {
        output = output.preset(p);
    }
    OutputGroup::builder()
        .output_group_settings(
            OutputGroupSettings::builder()
                .r#type(OutputGroupType::FileGroupSettings)
                .file_group_settings(
                    FileGroupSettings::builder()
                        .destination("s3://media-out/")
                        .build(),
                )
                .build(),
        )
        .outputs(output.build())
        .build()
}

fn job_settings(preset: Option<&str>) -> JobSettings {
    JobSettings::builder()
        .inputs(Input::builder().file_input("s3://media-in/a.mov").build())
        .output_groups(output_group(preset))
        .build()
}

/// The MediaConvert User Guide's "Example policy: Resource-level access control" (account
/// 000000000000 for 012345678910), with the `iam:PassRole` a job needs: jobs go to `myQueue`
/// referencing presets whose names start with `allow`. A system preset's ARN is in the
/// caller's account, as AWS lists it, so a job or template naming one is outside the example.
#[tokio::test]
async fn mediaconvert_resource_level_example_covers_only_allow_presets() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    iam.create_role()
        .role_name("MediaConvertRole")
        .assume_role_policy_document(TRUST_MEDIACONVERT)
        .send()
        .await
        .expect("role");
    let role = "arn:aws:iam::000000000000:role/MediaConvertRole";
    let root = aws_sdk_mediaconvert::Client::new(&server.root_config().await);
    root.create_queue()
        .name("myQueue")
        .send()
        .await
        .expect("queue");
    // A custom preset, made raw (the SDK's debug-build reader of preset settings needs more
    // than a test thread's stack).
    let made = server
        .signed(
            "POST",
            "/2017-08-29/presets",
            &[("content-type", "application/json")],
            br#"{"name":"allowHd","settings":{"containerSettings":{"container":"MP4"},"videoDescription":{"codecSettings":{"codec":"H_264"}}}}"#,
            "mediaconvert",
            "test",
            "test",
            SystemTime::now(),
        )
        .await;
    assert_eq!(made.status, 201, "{}", made.text());
    let (key, secret) = server
        .user_with_policy(
            "editor",
            &format!(
                r#"{{"Version":"2012-10-17","Statement":[
                {{"Sid":"AllowListQueues","Effect":"Allow","Action":"mediaconvert:ListQueues","Resource":"*"}},
                {{"Sid":"AllowListJobsInQueue","Effect":"Allow","Action":"mediaconvert:ListJobs","Resource":"arn:*:mediaconvert:*:000000000000:queues/myQueue"}},
                {{"Sid":"AllowCreateLimitedJobs","Effect":"Allow","Action":["mediaconvert:CreateJob","mediaconvert:CreateJobTemplate"],
                  "Resource":["arn:*:mediaconvert:*:000000000000:queues/myQueue","arn:*:mediaconvert:*:000000000000:presets/allow*","arn:*:mediaconvert:*:000000000000:jobTemplates/*"]}},
                {{"Effect":"Allow","Action":"iam:PassRole","Resource":"{role}"}}]}}"#
            ),
        )
        .await;
    let editor = aws_sdk_mediaconvert::Client::new(&server.sdk_config(&key, &secret).await);
    editor
        .create_job()
        .role(role)
        .queue("myQueue")
        .settings(job_settings(Some("allowHd")))
        .send()
        .await
        .expect("an allow* preset in myQueue");
    let system = "System-Avc_16x9_1080p_29_97fps_8500kbps";
    let denied = |action: &str| {
        format!(
            "User: arn:aws:iam::000000000000:user/editor is not authorized to perform: mediaconvert:{action} on resource: arn:aws:mediaconvert:us-west-2:000000000000:presets/{system} because no identity-based policy allows the mediaconvert:{action} action"
        )
    };
    let err = editor
        .create_job()
        .role(role)
        .queue("myQueue")
        .settings(job_settings(Some(system)))
        .send()
        .await
        .expect_err("a system preset is not an allow* preset");
    assert_eq!(err.code(), Some("AccessDeniedException"));
    assert_eq!(err.message(), Some(denied("CreateJob").as_str()));
    let err = editor
        .create_job_template()
        .name("t")
        .queue("myQueue")
        .settings(
            JobTemplateSettings::builder()
                .output_groups(output_group(Some(system)))
                .build(),
        )
        .send()
        .await
        .expect_err("nor in a template");
    assert_eq!(err.code(), Some("AccessDeniedException"));
    assert_eq!(err.message(), Some(denied("CreateJobTemplate").as_str()));
    // Nothing refused was stored.
    let templates = root.list_job_templates().send().await.unwrap();
    assert!(templates.job_templates().is_empty());
    let jobs = root.list_jobs().send().await.unwrap();
    assert_eq!(jobs.jobs().len(), 1);
}

/// The Service Authorization Reference's API operations table for MediaPackage v1 maps
/// ConfigureLogs to `mediapackage:UpdateChannel`: a policy allowing only
/// `mediapackage:ConfigureLogs` is refused, naming UpdateChannel and the channel's ARN, and one
/// allowing UpdateChannel configures the logs.
#[tokio::test]
async fn mediapackage_configure_logs_is_authorized_as_update_channel() {
    let server = TestServer::start().await;
    let root = aws_sdk_mediapackage::Client::new(&server.root_config().await);
    let channel = root
        .create_channel()
        .id("live")
        .send()
        .await
        .expect("channel")
        .arn
        .unwrap();
    let client = |name: &'static str, action: &'static str| {
        let server = &server;
        async move {
            let (key, secret) = server
                .user_with_policy(
                    name,
                    &format!(
                        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"{action}","Resource":"*"}}]}}"#
                    ),
                )
                .await;
            aws_sdk_mediapackage::Client::new(&server.sdk_config(&key, &secret).await)
        }
    };
    let logs_only = client("logs", "mediapackage:ConfigureLogs").await;
    let err = logs_only
        .configure_logs()
        .id("live")
        .send()
        .await
        .expect_err("ConfigureLogs alone is not enough");
    assert_eq!(err.code(), Some("AccessDeniedException"));
    assert_eq!(
        err.message(),
        Some(format!("User: arn:aws:iam::000000000000:user/logs is not authorized to perform: mediapackage:UpdateChannel on resource: {channel} because no identity-based policy allows the mediapackage:UpdateChannel action").as_str())
    );
    let updater = client("updater", "mediapackage:UpdateChannel").await;
    updater
        .configure_logs()
        .id("live")
        .send()
        .await
        .expect("UpdateChannel allows ConfigureLogs");
}
