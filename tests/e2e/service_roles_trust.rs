//! A service role's trust policy, as MediaConvert assumes it for a job: its conditions are
//! evaluated in the context AWS gives a service principal acting for a resource
//! (`aws:SourceAccount`, the submitting account; `aws:SourceArn`, the job's queue, as the
//! MediaConvert User Guide's "Cross-service confused deputy prevention" says), and a Deny whose
//! conditions hold wins. A role MediaConvert may not assume ends the job in ERROR.

use crate::common::TestServer;

use aws_sdk_mediaconvert::types::{
    ContainerSettings, ContainerType, FileGroupSettings, Input, JobSettings, JobStatus, Output,
    OutputGroup, OutputGroupSettings, OutputGroupType, VideoCodec, VideoCodecSettings,
    VideoDescription,
};
use aws_sdk_mediaconvert::Client;
use server::{Config, Transitions};

const ACCOUNT: &str = "000000000000";
const S3_ACCESS: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::media-in/*"},{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::media-out/*"}]}"#;
/// AWS's words for a job whose role MediaConvert cannot assume (the AWS CLI's get-job example).
const ASSUME_ROLE_FAILED: &str = "Unable to open input file [s3://media-in/a.mp4]: [Failed \
                                  probe/open: [Failed to read data: AssumeRole failed]]";

/// A trust statement for MediaConvert: `effect`, with `condition` (a JSON object, or none).
fn statement(effect: &str, condition: Option<&str>) -> String {
    let condition = condition.map_or(String::new(), |c| format!(r#","Condition":{c}"#));
    format!(
        r#"{{"Effect":"{effect}","Principal":{{"Service":"mediaconvert.amazonaws.com"}},"Action":"sts:AssumeRole"{condition}}}"#
    )
}

/// A role trusting as `statements` say, allowed to read `media-in` and write `media-out`.
async fn role(server: &TestServer, name: &str, statements: &[String]) -> String {
    let iam = server.iam_root().await;
    let trust = format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        statements.join(",")
    );
    iam.create_role()
        .role_name(name)
        .assume_role_policy_document(trust)
        .send()
        .await
        .expect("create role");
    iam.put_role_policy()
        .role_name(name)
        .policy_name("s3")
        .policy_document(S3_ACCESS)
        .send()
        .await
        .expect("role policy");
    format!("arn:aws:iam::{ACCOUNT}:role/{name}")
}

fn settings() -> JobSettings {
    let video = VideoDescription::builder()
        .width(1280)
        .height(720)
        .codec_settings(
            VideoCodecSettings::builder()
                .codec(VideoCodec::H264)
                .build(),
        )
        .build();
    let group = OutputGroup::builder()
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
        .outputs(
            Output::builder()
                .name_modifier("_720p")
                .container_settings(
                    ContainerSettings::builder()
                        .container(ContainerType::Mp4)
                        .build(),
                )
                .video_description(video)
                .build(),
        )
        .build();
    JobSettings::builder()
        .inputs(Input::builder().file_input("s3://media-in/a.mp4").build())
        .output_groups(group)
        .build()
}

/// Submits a job as `role` (to `queue`, or the default queue) and answers how it ended.
async fn job(mc: &Client, role: &str, queue: Option<&str>) -> aws_sdk_mediaconvert::types::Job {
    mc.create_job()
        .role(role)
        .set_queue(queue.map(str::to_string))
        .settings(settings())
        .send()
        .await
        .expect("create job")
        .job
        .expect("job")
}

fn assume_role_failed(job: &aws_sdk_mediaconvert::types::Job) {
    assert_eq!(job.status, Some(JobStatus::Error));
    assert_eq!(job.error_code, Some(1434));
    assert_eq!(job.error_message.as_deref(), Some(ASSUME_ROLE_FAILED));
}

async fn server() -> TestServer {
    let mut config = Config::for_tests();
    config.transitions = Transitions::Instant;
    TestServer::start_with(config).await
}

#[tokio::test]
async fn a_trust_policy_guarded_by_the_source_account_trusts_only_for_that_account() {
    let server = server().await;
    let mc = Client::new(&server.root_config().await);
    // The MediaConvert User Guide's guard: the account, and the resource by ARN pattern.
    let own = role(
        &server,
        "OwnAccount",
        &[statement(
            "Allow",
            Some(&format!(
                r#"{{"StringEquals":{{"aws:SourceAccount":"{ACCOUNT}"}},"ArnLike":{{"aws:SourceArn":"arn:aws:mediaconvert:*:{ACCOUNT}:*"}}}}"#
            )),
        )],
    )
    .await;
    let done = job(&mc, &own, None).await;
    assert_eq!(done.status, Some(JobStatus::Complete));
    // Trusted only when MediaConvert acts for another account: not for this one.
    let other = role(
        &server,
        "OtherAccount",
        &[statement(
            "Allow",
            Some(r#"{"StringEquals":{"aws:SourceAccount":"111122223333"}}"#),
        )],
    )
    .await;
    assume_role_failed(&job(&mc, &other, None).await);
    // The job's queue is the source ARN: a role for one queue fails a job on another.
    mc.create_queue().name("Other").send().await.unwrap();
    let one_queue = role(
        &server,
        "OneQueue",
        &[statement(
            "Allow",
            Some(&format!(
                r#"{{"ArnEquals":{{"aws:SourceArn":"arn:aws:mediaconvert:us-west-2:{ACCOUNT}:queues/Other"}}}}"#
            )),
        )],
    )
    .await;
    assert_eq!(
        job(&mc, &one_queue, Some("Other")).await.status,
        Some(JobStatus::Complete)
    );
    assume_role_failed(&job(&mc, &one_queue, None).await);
}

#[tokio::test]
async fn a_conditioned_deny_in_the_trust_policy_fails_the_job() {
    let server = server().await;
    let mc = Client::new(&server.root_config().await);
    mc.create_queue().name("Other").send().await.unwrap();
    let guarded = role(
        &server,
        "DenyDefault",
        &[
            statement("Allow", None),
            statement(
                "Deny",
                Some(r#"{"ArnLike":{"aws:SourceArn":"arn:aws:mediaconvert:*:*:queues/Default"}}"#),
            ),
        ],
    )
    .await;
    // The Deny's condition holds for the default queue: it wins over the Allow.
    assume_role_failed(&job(&mc, &guarded, None).await);
    // Not for another queue.
    assert_eq!(
        job(&mc, &guarded, Some("Other")).await.status,
        Some(JobStatus::Complete)
    );
    // A Deny conditioned on keys a service principal's request has, and one whose key the
    // request lacks (a plain operator on it does not hold; its IfExists form does).
    let by_service = role(
        &server,
        "DenyMediaConvert",
        &[
            statement("Allow", None),
            statement(
                "Deny",
                Some(
                    r#"{"StringEquals":{"aws:PrincipalServiceName":"mediaconvert.amazonaws.com"},"Bool":{"aws:PrincipalIsAWSService":"true"}}"#,
                ),
            ),
        ],
    )
    .await;
    assume_role_failed(&job(&mc, &by_service, None).await);
    let absent = |op: &str| format!(r#"{{"{op}":{{"aws:SourceVpc":"vpc-1"}}}}"#);
    let plain = role(
        &server,
        "DenyVpc",
        &[
            statement("Allow", None),
            statement("Deny", Some(&absent("StringNotEquals"))),
        ],
    )
    .await;
    // StringNotEquals on a missing key holds (nothing in the request equals the value).
    assume_role_failed(&job(&mc, &plain, None).await);
    let if_exists = role(
        &server,
        "DenyVpcIfExists",
        &[
            statement("Allow", None),
            statement("Deny", Some(&absent("StringEqualsIfExists"))),
        ],
    )
    .await;
    // IfExists on a missing key holds too: the Deny wins.
    assume_role_failed(&job(&mc, &if_exists, None).await);
    let equals = role(
        &server,
        "DenyVpcEquals",
        &[
            statement("Allow", None),
            statement("Deny", Some(&absent("StringEquals"))),
        ],
    )
    .await;
    // A plain StringEquals on a missing key does not hold: the Deny does not apply.
    assert_eq!(
        job(&mc, &equals, None).await.status,
        Some(JobStatus::Complete)
    );
}
