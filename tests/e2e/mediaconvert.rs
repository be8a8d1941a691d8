//! MediaConvert end to end with the AWS SDK for Rust: a job from submission to COMPLETE with
//! its progress observed on the manual clock, jobs from templates, idempotent submission,
//! cancel, paused queues, the job role (PassRole, trust, S3 access), the account input policy
//! and the `mediaconvert:HttpInputsAllowed` condition key, the exact AccessDenied messages, and
//! the names, job metadata tags and request tokens AWS refuses, and queues that run only as
//! many jobs at once as they have reserved slots, the highest priority first, and jobs that
//! hop to another queue after waiting, across a restart too; and one time for all a request's
//! steps.

use crate::common;

use aws_sdk_mediaconvert::types::{
    AccelerationMode, AccelerationSettings, AccelerationStatus, Commitment, ContainerSettings,
    ContainerType, FileGroupSettings, HlsGroupSettings, HopDestination, Input, InputPolicy,
    JobSettings, JobStatus, JobTemplateSettings, Output, OutputGroup, OutputGroupSettings,
    OutputGroupType, Policy, PresetListBy, PricingPlan, QueueStatus, RenewalType,
    ReservationPlanSettings, VideoCodec, VideoCodecSettings, VideoDescription,
};
use aws_sdk_mediaconvert::Client;
use common::{code_of, TestServer};
use server::{Config, Transitions};

const ACCOUNT: &str = "000000000000";
const TRUST_MEDIACONVERT: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"mediaconvert.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
const TRUST_EC2: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
const S3_ACCESS: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::media-in/*"},{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::media-out/*"}]}"#;

fn role_arn(name: &str) -> String {
    format!("arn:aws:iam::{ACCOUNT}:role/{name}")
}

async fn server(transitions: Transitions) -> TestServer {
    let mut config = Config::for_tests();
    config.transitions = transitions;
    TestServer::start_with(config).await
}

/// A role with `trust` and (if `s3`) read access to `media-in`, write access to `media-out`.
async fn role(server: &TestServer, name: &str, trust: &str, s3: bool) -> String {
    let iam = server.iam_root().await;
    iam.create_role()
        .role_name(name)
        .assume_role_policy_document(trust)
        .send()
        .await
        .expect("create role");
    if s3 {
        iam.put_role_policy()
            .role_name(name)
            .policy_name("s3")
            .policy_document(S3_ACCESS)
            .send()
            .await
            .expect("role policy");
    }
    role_arn(name)
}

async fn root(server: &TestServer) -> Client {
    Client::new(&server.root_config().await)
}

async fn user(server: &TestServer, name: &str, policy: &str) -> Client {
    let (key, secret) = server.user_with_policy(name, policy).await;
    Client::new(&server.sdk_config(&key, &secret).await)
}

/// A job of `s3://media-in/cat.mov` rendered to `s3://media-out/renders/` as `role`, in the
/// default queue.
async fn submit_cat(mc: &Client, role: &str) -> aws_sdk_mediaconvert::types::Job {
    mc.create_job()
        .role(role)
        .settings(settings("s3://media-in/cat.mov", "s3://media-out/renders/"))
        .send()
        .await
        .unwrap()
        .job
        .unwrap()
}

async fn advance(server: &TestServer, seconds: u64) {
    server.advance_clock(seconds).await;
}

fn output_group(destination: &str) -> OutputGroup {
    let video = VideoDescription::builder()
        .width(1280)
        .height(720)
        .codec_settings(
            VideoCodecSettings::builder()
                .codec(VideoCodec::H264)
                .build(),
        )
        .build();
    OutputGroup::builder()
        .output_group_settings(
            OutputGroupSettings::builder()
                .r#type(OutputGroupType::FileGroupSettings)
                .file_group_settings(
                    FileGroupSettings::builder()
                        .destination(destination)
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
        .build()
}

fn settings(input: &str, destination: &str) -> JobSettings {
    JobSettings::builder()
        .inputs(Input::builder().file_input(input).build())
        .output_groups(output_group(destination))
        .build()
}

/// A timestamp the answer must carry, in whole seconds.
fn secs(t: Option<&aws_sdk_mediaconvert::primitives::DateTime>) -> i64 {
    t.unwrap().secs()
}

/// Creates reserved queue `name` with `slots` reserved transcoding slots.
async fn reserved_queue(mc: &Client, name: &str, slots: i32) {
    mc.create_queue()
        .name(name)
        .pricing_plan(PricingPlan::Reserved)
        .reservation_plan_settings(
            ReservationPlanSettings::builder()
                .commitment(Commitment::OneYear)
                .renewal_type(RenewalType::Expire)
                .reserved_slots(slots)
                .build(),
        )
        .send()
        .await
        .unwrap();
}

async fn status(mc: &Client, id: &str) -> aws_sdk_mediaconvert::types::Job {
    mc.get_job().id(id).send().await.unwrap().job.unwrap()
}

/// With the manual clock advanced past a job's run, its Timing is when the clock says it
/// started and finished, and does not move between reads while real time catches up.
#[tokio::test]
async fn a_finished_jobs_timing_follows_the_manual_clock_and_stays_fixed() {
    let server = server(Transitions::Manual).await;
    let role = role(&server, "MediaConvertRole", TRUST_MEDIACONVERT, true).await;
    let mc = root(&server).await;
    let id = submit_cat(&mc, &role).await.id.unwrap();
    advance(&server, 600).await;
    let first = status(&mc, &id).await;
    assert_eq!(first.status, Some(JobStatus::Complete));
    let timing = first.timing.unwrap();
    let submit = secs(timing.submit_time.as_ref());
    let start = secs(timing.start_time.as_ref());
    let finish = secs(timing.finish_time.as_ref());
    assert_eq!((start - submit, finish - start), (2, 8));
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let again = status(&mc, &id).await.timing.unwrap();
    assert_eq!(
        (
            secs(again.start_time.as_ref()),
            secs(again.finish_time.as_ref())
        ),
        (start, finish)
    );
}

/// A job held while its queue was paused starts after the queue resumes, and its Timing says
/// so even with the manual clock far ahead of real time.
#[tokio::test]
async fn a_job_held_by_a_paused_queue_is_timed_from_the_resume() {
    let server = server(Transitions::Manual).await;
    let role = role(&server, "MediaConvertRole", TRUST_MEDIACONVERT, true).await;
    let mc = root(&server).await;
    mc.create_queue()
        .name("one")
        .concurrent_jobs(1)
        .send()
        .await
        .unwrap();
    let id = mc
        .create_job()
        .role(&role)
        .queue("one")
        .settings(settings("s3://media-in/cat.mov", "s3://media-out/renders/"))
        .send()
        .await
        .unwrap()
        .job
        .unwrap()
        .id
        .unwrap();
    advance(&server, 1).await;
    for (status, then) in [(QueueStatus::Paused, 300), (QueueStatus::Active, 30)] {
        mc.update_queue()
            .name("one")
            .status(status)
            .send()
            .await
            .unwrap();
        advance(&server, then).await;
    }
    let job = status(&mc, &id).await;
    assert_eq!(job.status, Some(JobStatus::Complete));
    let timing = job.timing.unwrap();
    let submit = secs(timing.submit_time.as_ref());
    let start = secs(timing.start_time.as_ref());
    let finish = secs(timing.finish_time.as_ref());
    // Resumed 301 s after submission, then 2 s SUBMITTED and an 8 s run.
    assert_eq!((start - submit, finish - start), (303, 8));
}

#[tokio::test]
async fn a_job_runs_from_submitted_to_complete_with_progress() {
    let server = server(Transitions::Manual).await;
    let role = role(&server, "MediaConvertRole", TRUST_MEDIACONVERT, true).await;
    let mc = root(&server).await;
    let job = mc
        .create_job()
        .role(&role)
        .settings(settings("s3://media-in/cat.mov", "s3://media-out/renders/"))
        .user_metadata("project", "cats")
        .send()
        .await
        .unwrap()
        .job
        .unwrap();
    assert_eq!(job.status, Some(JobStatus::Submitted));
    let id = job.id.clone().unwrap();
    assert_eq!(
        job.arn.as_deref(),
        Some(format!("arn:aws:mediaconvert:us-west-2:{ACCOUNT}:jobs/{id}").as_str())
    );
    assert_eq!(
        job.queue.as_deref(),
        Some(format!("arn:aws:mediaconvert:us-west-2:{ACCOUNT}:queues/Default").as_str())
    );
    assert!(job.timing.as_ref().unwrap().submit_time.is_some());
    assert_eq!(
        job.acceleration_settings
            .as_ref()
            .and_then(|a| a.mode())
            .map(|m| m.as_str()),
        Some("DISABLED"),
        "AWS's answer for a job that asked for none"
    );
    advance(&server, 4).await;
    let running = status(&mc, &id).await;
    assert_eq!(running.status, Some(JobStatus::Progressing));
    assert_eq!(running.job_percent_complete, Some(25));
    assert_eq!(
        running.current_phase.as_ref().unwrap().as_str(),
        "TRANSCODING"
    );
    assert!(running.timing.as_ref().unwrap().start_time.is_some());
    advance(&server, 10).await;
    let done = status(&mc, &id).await;
    assert_eq!(done.status, Some(JobStatus::Complete));
    assert!(done.timing.as_ref().unwrap().finish_time.is_some());
    let details = &done.output_group_details.unwrap()[0]
        .output_details
        .clone()
        .unwrap()[0];
    let video = details.video_details.as_ref().unwrap();
    assert_eq!(
        (video.width_in_px, video.height_in_px),
        (Some(1280), Some(720))
    );
    assert!(details.duration_in_ms.unwrap() >= 10_000);
    assert_eq!(
        done.user_metadata
            .unwrap()
            .get("project")
            .map(String::as_str),
        Some("cats")
    );
    // Listed newest first, filtered by status.
    let listed = mc
        .list_jobs()
        .status(JobStatus::Complete)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.jobs.unwrap()[0].id.as_deref(), Some(id.as_str()));
}

#[tokio::test]
async fn a_clipped_input_makes_outputs_as_long_as_the_clip() {
    let server = server(Transitions::Instant).await;
    let role = role(&server, "MediaConvertRole", TRUST_MEDIACONVERT, true).await;
    let mc = root(&server).await;
    // Every synthetic input lasts at least 10 s; the clip keeps 2.5 s to 10 s of it.
    let clip = aws_sdk_mediaconvert::types::InputClipping::builder()
        .start_timecode("00:00:02:15")
        .end_timecode("00:00:10:00")
        .build();
    let settings = JobSettings::builder()
        .inputs(
            Input::builder()
                .file_input("s3://media-in/cat.mov")
                .input_clippings(clip)
                .build(),
        )
        .output_groups(output_group("s3://media-out/renders/"))
        .build();
    let job = mc
        .create_job()
        .role(&role)
        .settings(settings)
        .send()
        .await
        .unwrap()
        .job
        .unwrap();
    let done = status(&mc, job.id().unwrap()).await;
    assert_eq!(done.status, Some(JobStatus::Complete));
    let details = &done.output_group_details()[0].output_details()[0];
    assert_eq!(details.duration_in_ms, Some(7_500));
}

#[tokio::test]
async fn templates_idempotency_and_bad_requests() {
    let server = server(Transitions::Instant).await;
    let role = role(&server, "MediaConvertRole", TRUST_MEDIACONVERT, true).await;
    let mc = root(&server).await;
    mc.create_queue().name("batch").send().await.unwrap();
    let template = mc
        .create_job_template()
        .name("hd")
        .queue("batch")
        .priority(10)
        .settings(
            JobTemplateSettings::builder()
                .output_groups(output_group("s3://media-out/hd/"))
                .build(),
        )
        .send()
        .await
        .unwrap()
        .job_template
        .unwrap();
    assert!(template.queue.unwrap().ends_with(":queues/batch"));
    let job = mc
        .create_job()
        .role(&role)
        .job_template("hd")
        .settings(
            JobSettings::builder()
                .inputs(Input::builder().file_input("s3://media-in/dog.mp4").build())
                .build(),
        )
        .send()
        .await
        .unwrap()
        .job
        .unwrap();
    assert_eq!(job.status, Some(JobStatus::Complete));
    assert_eq!(job.priority, Some(10));
    assert!(job.queue.unwrap().ends_with(":queues/batch"));
    assert_eq!(job.job_template.as_deref(), Some("hd"));
    // The same ClientRequestToken within a minute answers the first job.
    let submit = || {
        mc.create_job()
            .role(&role)
            .client_request_token("retry-1")
            .settings(settings("s3://media-in/a.mp4", "s3://media-out/"))
            .send()
    };
    let a = submit().await.unwrap().job.unwrap();
    let b = submit().await.unwrap().job.unwrap();
    assert_eq!(a.id, b.id);
    // Settings AWS refuses: a job without output groups, an unknown queue.
    let err = mc
        .create_job()
        .role(&role)
        .settings(
            JobSettings::builder()
                .inputs(Input::builder().file_input("s3://media-in/a.mp4").build())
                .build(),
        )
        .send()
        .await
        .unwrap_err();
    let svc = err.into_service_error();
    assert!(svc.is_bad_request_exception(), "{svc:?}");
    assert_eq!(
        aws_sdk_mediaconvert::error::ProvideErrorMetadata::message(&svc),
        Some("/outputGroups: Should have at least 1 items")
    );
    // A value outside the model's range, in MediaConvert's schema validator's words (AWS's
    // answer quoted in guidance-for-media2cloud-on-aws#8), not Coral's.
    let tracks = aws_sdk_mediaconvert::types::AudioSelector::builder()
        .tracks(0)
        .build();
    let mut bad = settings("s3://media-in/a.mp4", "s3://media-out/");
    bad.inputs = Some(vec![Input::builder()
        .file_input("s3://media-in/a.mp4")
        .audio_selectors("Audio Selector 1", tracks)
        .build()]);
    let err = mc
        .create_job()
        .role(&role)
        .settings(bad)
        .send()
        .await
        .unwrap_err();
    let svc = err.into_service_error();
    assert!(svc.is_bad_request_exception(), "{svc:?}");
    assert_eq!(
        aws_sdk_mediaconvert::error::ProvideErrorMetadata::message(&svc),
        Some("/inputs/0/audioSelectors/Audio Selector 1/tracks/0: Should be greater than or equal to 1")
    );
    let err = mc
        .create_job()
        .role(&role)
        .priority(51)
        .settings(settings("s3://media-in/a.mp4", "s3://media-out/"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        aws_sdk_mediaconvert::error::ProvideErrorMetadata::message(&err.into_service_error()),
        Some("/priority: Should be less than or equal to 50")
    );
    let err = mc
        .create_job()
        .role(&role)
        .queue("missing")
        .settings(settings("s3://media-in/a.mp4", "s3://media-out/"))
        .send()
        .await
        .unwrap_err();
    assert!(err.into_service_error().is_not_found_exception());
    // The Default queue cannot be deleted; system presets list by category.
    assert_eq!(
        code_of(mc.delete_queue().name("Default").send().await).as_deref(),
        Some("BadRequestException")
    );
    let hls = mc
        .list_presets()
        .list_by(PresetListBy::System)
        .category("HLS")
        .send()
        .await
        .unwrap()
        .presets
        .unwrap();
    assert!(!hls.is_empty());
    assert!(hls.iter().all(|p| p.category.as_deref() == Some("HLS")));
}

#[tokio::test]
async fn reserved_names_job_metadata_and_request_tokens_are_refused_as_aws_refuses_them() {
    let server = server(Transitions::Instant).await;
    let role = role(&server, "MediaConvertRole", TRUST_MEDIACONVERT, true).await;
    let mc = root(&server).await;
    // Names AWS keeps for itself: none of the caller's may begin with `System-`, in AWS's
    // words; an empty name is refused too.
    let message = |e: aws_sdk_mediaconvert::Error| -> (Option<String>, Option<String>) {
        use aws_sdk_mediaconvert::error::ProvideErrorMetadata;
        (
            e.code().map(str::to_string),
            e.message().map(str::to_string),
        )
    };
    let refused = |name: &str| {
        (
            Some("BadRequestException".to_string()),
            Some(format!(
                "'{name}' is not a valid name, the name cannot begin with 'System-'."
            )),
        )
    };
    let name = "System-Generic_Mp4_Hev1_Avc_Aac_Sdr_Qvbr-abcvod-dev";
    let e = mc
        .create_job_template()
        .name(name)
        .settings(
            JobTemplateSettings::builder()
                .output_groups(output_group("s3://media-out/hd/"))
                .build(),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(message(e.into()), refused(name));
    let preset = aws_sdk_mediaconvert::types::PresetSettings::builder()
        .container_settings(
            ContainerSettings::builder()
                .container(ContainerType::Mp4)
                .build(),
        )
        .video_description(
            VideoDescription::builder()
                .codec_settings(
                    VideoCodecSettings::builder()
                        .codec(VideoCodec::H264)
                        .build(),
                )
                .build(),
        )
        .build();
    let e = mc
        .create_preset()
        .name("System-mine")
        .settings(preset)
        .send()
        .await
        .unwrap_err();
    assert_eq!(message(e.into()), refused("System-mine"));
    let e = mc
        .create_queue()
        .name("System-mine")
        .send()
        .await
        .unwrap_err();
    assert_eq!(message(e.into()), refused("System-mine"));
    let e = mc.create_queue().name("").send().await.unwrap_err();
    assert_eq!(
        message(e.into()),
        (
            Some("BadRequestException".to_string()),
            Some("'' is not a valid name, the name cannot be empty.".to_string())
        )
    );
    // A name with the prefix elsewhere is the caller's to take; updating a name nobody has
    // is a lookup that finds nothing.
    // (A queue: the SDK's debug-build reader of a preset's video settings needs more than a
    // test thread's stack.)
    mc.create_queue()
        .name("mine-System-x")
        .send()
        .await
        .expect("a name with System- inside");
    let e = mc
        .update_preset()
        .name("System-nobody")
        .description("x")
        .send()
        .await;
    assert_eq!(code_of(e).as_deref(), Some("NotFoundException"));
    // A job's metadata tags: at most 10, keys up to 128 characters, values up to 256, of
    // letters, numbers, spaces and `_ . : / = + - @`; a request token of up to 64 ASCII
    // characters.
    let job_with = |metadata: Vec<(String, String)>, token: Option<String>| {
        let mut create = mc
            .create_job()
            .role(&role)
            .set_client_request_token(token)
            .settings(settings("s3://media-in/a.mp4", "s3://media-out/"));
        for (k, v) in metadata {
            create = create.user_metadata(k, v);
        }
        create.send()
    };
    let bad_request = |e: aws_sdk_mediaconvert::Error| {
        let (code, message) = message(e);
        assert_eq!(code.as_deref(), Some("BadRequestException"), "{message:?}");
        message.unwrap_or_default()
    };
    let eleven = (0..11)
        .map(|i| (format!("k{i}"), "v".to_string()))
        .collect();
    let e = job_with(eleven, None).await.unwrap_err();
    assert_eq!(
        bad_request(e.into()),
        "/userMetadata: Should have at most 10 properties; metadata tags on a job are limited \
         to 10"
    );
    let e = job_with(vec![("k".repeat(129), "v".into())], None)
        .await
        .unwrap_err();
    assert!(
        bad_request(e.into()).ends_with("it has 129 characters, and a key can have at most 128")
    );
    let e = job_with(vec![("k".into(), "v".repeat(257))], None)
        .await
        .unwrap_err();
    assert!(bad_request(e.into()).starts_with("/userMetadata/k: the value is not a valid value"));
    let e = job_with(vec![("k!*".into(), "v".into())], None)
        .await
        .unwrap_err();
    assert!(bad_request(e.into()).starts_with("/userMetadata: k!* is not a valid key; '!'"));
    let e = job_with(Vec::new(), Some("x".repeat(65)))
        .await
        .unwrap_err();
    assert!(bad_request(e.into()).starts_with("/clientRequestToken: the token has 65 characters"));
    let e = job_with(Vec::new(), Some("é".into())).await.unwrap_err();
    assert!(bad_request(e.into()).starts_with("/clientRequestToken: 'é' is not an ASCII character"));
    let ten: Vec<(String, String)> = (0..10)
        .map(|i| (format!("Schlüssel {i}: a/b=c+d-e@f_g.h"), "値".repeat(256)))
        .collect();
    let job = job_with(ten.clone(), Some("t".repeat(64)))
        .await
        .expect("metadata and a token at the limits")
        .job
        .unwrap();
    assert_eq!(job.user_metadata, Some(ten.into_iter().collect()));
    assert_eq!(job.client_request_token, Some("t".repeat(64)));
    server.stop().await;
}

#[tokio::test]
async fn cancel_and_paused_queues() {
    let server = server(Transitions::Manual).await;
    let role = role(&server, "MediaConvertRole", TRUST_MEDIACONVERT, true).await;
    let mc = root(&server).await;
    let submit = |queue: Option<&'static str>| {
        mc.create_job()
            .role(&role)
            .set_queue(queue.map(str::to_string))
            .settings(settings("s3://media-in/a.mp4", "s3://media-out/"))
            .send()
    };
    let job = submit(None).await.unwrap().job.unwrap();
    let id = job.id.unwrap();
    mc.cancel_job().id(&id).send().await.unwrap();
    assert_eq!(status(&mc, &id).await.status, Some(JobStatus::Canceled));
    assert_eq!(
        code_of(mc.cancel_job().id(&id).send().await).as_deref(),
        Some("ConflictException")
    );
    assert_eq!(
        code_of(mc.cancel_job().id("1700000000000-abcdef").send().await).as_deref(),
        Some("NotFoundException")
    );
    mc.create_queue()
        .name("held")
        .status(QueueStatus::Paused)
        .send()
        .await
        .unwrap();
    let held = submit(Some("held")).await.unwrap().job.unwrap().id.unwrap();
    advance(&server, 120).await;
    assert_eq!(status(&mc, &held).await.status, Some(JobStatus::Submitted));
    let q = mc
        .get_queue()
        .name("held")
        .send()
        .await
        .unwrap()
        .queue
        .unwrap();
    assert_eq!(q.submitted_jobs_count, Some(1));
    mc.update_queue()
        .name("held")
        .status(QueueStatus::Active)
        .send()
        .await
        .unwrap();
    advance(&server, 20).await;
    assert_eq!(status(&mc, &held).await.status, Some(JobStatus::Complete));
}

/// "If you send five jobs to a reserved queue with two RTS, MediaConvert immediately begins
/// processing the first two jobs that you submit, and it holds the other three in the
/// queue… When a job in a reserved queue finishes, MediaConvert selects the next job to
/// process based on the job's priority" (User Guide, working with reserved queues).
#[tokio::test]
async fn a_reserved_queue_runs_jobs_in_its_slots_by_priority() {
    let server = server(Transitions::Manual).await;
    let role = role(&server, "MediaConvertRole", TRUST_MEDIACONVERT, true).await;
    let mc = root(&server).await;
    reserved_queue(&mc, "res2", 2).await;
    let mut ids = Vec::new();
    for priority in [0, 0, 0, 0, 10] {
        let job = mc
            .create_job()
            .role(&role)
            .queue("res2")
            .priority(priority)
            .settings(settings("s3://media-in/a.mp4", "s3://media-out/"))
            .send()
            .await
            .unwrap()
            .job
            .unwrap();
        assert_eq!(job.status, Some(JobStatus::Submitted));
        ids.push(job.id.unwrap());
    }
    let statuses = || async {
        let mut out = Vec::new();
        for id in &ids {
            out.push(status(&mc, id).await.status.unwrap());
        }
        out
    };
    let counts = || async {
        let q = mc
            .get_queue()
            .name("res2")
            .send()
            .await
            .unwrap()
            .queue
            .unwrap();
        (q.submitted_jobs_count, q.progressing_jobs_count)
    };
    use JobStatus::{Canceled as X, Complete as C, Progressing as P, Submitted as S};
    advance(&server, 2).await;
    assert_eq!(statuses().await, [P, P, S, S, S]);
    assert_eq!(counts().await, (Some(3), Some(2)));
    // The first two finish: the later job of priority 10 starts before the earlier ones.
    advance(&server, 8).await;
    assert_eq!(statuses().await, [C, C, P, S, P]);
    let started = status(&mc, &ids[4]).await;
    assert!(started.timing.unwrap().start_time.is_some());
    assert!(status(&mc, &ids[3])
        .await
        .timing
        .unwrap()
        .start_time
        .is_none());
    // A running job canceled frees its slot: the last one waiting starts at once.
    mc.cancel_job().id(&ids[4]).send().await.unwrap();
    assert_eq!(statuses().await, [C, C, P, P, X]);
    assert_eq!(counts().await, (Some(0), Some(2)));
    advance(&server, 8).await;
    assert_eq!(statuses().await, [C, C, C, C, X]);
    assert_eq!(counts().await, (Some(0), Some(0)));
}

#[tokio::test]
async fn the_job_role_must_be_passable_trusted_and_allowed_s3() {
    let server = server(Transitions::Instant).await;
    let good = role(&server, "MediaConvertRole", TRUST_MEDIACONVERT, true).await;
    let ec2 = role(&server, "Ec2Role", TRUST_EC2, true).await;
    let no_s3 = role(&server, "NoS3Role", TRUST_MEDIACONVERT, false).await;
    // A user who may use MediaConvert but pass no role.
    let alice = user(
        &server,
        "alice",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"mediaconvert:*","Resource":"*"}]}"#,
    )
    .await;
    let err = alice
        .create_job()
        .role(&good)
        .settings(settings("s3://media-in/a.mp4", "s3://media-out/"))
        .send()
        .await
        .unwrap_err();
    let svc = err.into_service_error();
    assert_eq!(
        aws_sdk_mediaconvert::error::ProvideErrorMetadata::code(&svc),
        Some("AccessDeniedException")
    );
    assert_eq!(
        aws_sdk_mediaconvert::error::ProvideErrorMetadata::message(&svc),
        Some(format!(
            "User: arn:aws:iam::{ACCOUNT}:user/alice is not authorized to perform: iam:PassRole on resource: {good} because no identity-based policy allows the iam:PassRole action"
        ).as_str())
    );
    // PassRole granted, but only to MediaConvert: the job runs as the role.
    let bob = user(
        &server,
        "bob",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"mediaconvert:*","Resource":"*"},
            {"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":"mediaconvert.amazonaws.com"}}}]}"#,
    )
    .await;
    let run = |role: String, input: &'static str, dest: &'static str| {
        let bob = bob.clone();
        async move {
            bob.create_job()
                .role(role)
                .settings(settings(input, dest))
                .send()
                .await
                .unwrap()
                .job
                .unwrap()
        }
    };
    let ok = run(good.clone(), "s3://media-in/a.mp4", "s3://media-out/").await;
    assert_eq!(ok.status, Some(JobStatus::Complete));
    // A role that does not trust MediaConvert.
    let untrusted = run(ec2, "s3://media-in/a.mp4", "s3://media-out/").await;
    assert_eq!(untrusted.status, Some(JobStatus::Error));
    // AWS's code and words for it (the AWS CLI's get-job example).
    assert_eq!(untrusted.error_code, Some(1434));
    assert_eq!(
        untrusted.error_message.as_deref(),
        Some(
            "Unable to open input file [s3://media-in/a.mp4]: [Failed probe/open: [Failed to \
             read data: AssumeRole failed]]"
        )
    );
    assert_eq!(untrusted.user_metadata().map(|m| m.len()), Some(0));
    // A role without S3 access fails the job, naming the file.
    let denied = run(no_s3, "s3://media-in/a.mp4", "s3://media-out/").await;
    assert_eq!(denied.status, Some(JobStatus::Error));
    assert_eq!(denied.error_code, Some(1434));
    assert!(denied
        .error_message
        .unwrap()
        .starts_with("Unable to open input file [s3://media-in/a.mp4]"));
    let unwritable = run(good, "s3://media-in/a.mp4", "s3://elsewhere/out/").await;
    assert_eq!(unwritable.error_code, Some(1401));
    assert_eq!(
        unwritable.error_message.as_deref(),
        Some("Unable to write to output file [s3://elsewhere/out/a_720p.mp4]: [Failed to write data: Access Denied]")
    );
}

#[tokio::test]
async fn the_input_policy_and_its_condition_keys() {
    let server = server(Transitions::Instant).await;
    let role = role(&server, "MediaConvertRole", TRUST_MEDIACONVERT, true).await;
    let mc = root(&server).await;
    assert_eq!(
        code_of(mc.get_policy().send().await).as_deref(),
        Some("NotFoundException")
    );
    mc.put_policy()
        .policy(
            Policy::builder()
                .http_inputs(InputPolicy::Disallowed)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let p = mc.get_policy().send().await.unwrap().policy.unwrap();
    assert_eq!(p.http_inputs, Some(InputPolicy::Disallowed));
    assert_eq!(p.https_inputs, Some(InputPolicy::Allowed));
    // The policy refuses a job with an HTTP input: a 400, and no job is stored (User Guide,
    // "How to allow or disallow input location types using a policy").
    let refused = mc
        .create_job()
        .role(&role)
        .settings(settings(
            "http://media.example.com/a.mp4",
            "s3://media-out/",
        ))
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    use aws_sdk_mediaconvert::error::ProvideErrorMetadata;
    assert_eq!(refused.code(), Some("BadRequestException"));
    assert_eq!(
        refused.message(),
        Some(
            "You specified an input location that your policy disallows. Specify an allowed \
             input location and resubmit your job."
        )
    );
    let jobs = mc
        .list_jobs()
        .send()
        .await
        .unwrap()
        .jobs
        .unwrap_or_default();
    assert!(jobs.is_empty(), "{jobs:?}");
    // An IAM policy conditioned on mediaconvert:HttpInputsAllowed decides CreateJob.
    let carol = user(
        &server,
        "carol",
        r#"{"Version":"2012-10-17","Statement":[
            {"Effect":"Allow","Action":["mediaconvert:*","iam:PassRole"],"Resource":"*"},
            {"Effect":"Deny","Action":"mediaconvert:CreateJob","Resource":"*","Condition":{"Bool":{"mediaconvert:HttpInputsAllowed":"true"}}}]}"#,
    )
    .await;
    let submit = || {
        carol
            .create_job()
            .role(&role)
            .settings(settings("s3://media-in/a.mp4", "s3://media-out/"))
            .send()
    };
    submit().await.expect("HTTP inputs are disallowed: allowed");
    mc.delete_policy().send().await.unwrap();
    let err = submit().await.unwrap_err().into_service_error();
    let message = aws_sdk_mediaconvert::error::ProvideErrorMetadata::message(&err).unwrap();
    assert_eq!(
        message,
        format!(
            "User: arn:aws:iam::{ACCOUNT}:user/carol is not authorized to perform: mediaconvert:CreateJob on resource: arn:aws:mediaconvert:us-west-2:{ACCOUNT}:queues/Default with an explicit deny in an identity-based policy"
        )
    );
}

#[tokio::test]
async fn queue_tags_decide_access_and_accounts_stay_apart() {
    let server = server(Transitions::Instant).await;
    let mc = root(&server).await;
    mc.create_queue()
        .name("team-a")
        .tags("team", "a")
        .send()
        .await
        .unwrap();
    mc.create_queue()
        .name("team-b")
        .tags("team", "b")
        .send()
        .await
        .unwrap();
    let dave = user(
        &server,
        "dave",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"mediaconvert:GetQueue","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/team":"a"}}}]}"#,
    )
    .await;
    dave.get_queue().name("team-a").send().await.unwrap();
    let err = dave
        .get_queue()
        .name("team-b")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(
        aws_sdk_mediaconvert::error::ProvideErrorMetadata::message(&err),
        Some(format!(
            "User: arn:aws:iam::{ACCOUNT}:user/dave is not authorized to perform: mediaconvert:GetQueue on resource: arn:aws:mediaconvert:us-west-2:{ACCOUNT}:queues/team-b because no identity-based policy allows the mediaconvert:GetQueue action"
        ).as_str())
    );
    let tags = mc
        .list_tags_for_resource()
        .arn(format!(
            "arn:aws:mediaconvert:us-west-2:{ACCOUNT}:queues/team-a"
        ))
        .send()
        .await
        .unwrap()
        .resource_tags
        .unwrap();
    assert_eq!(
        tags.tags.unwrap().get("team").map(String::as_str),
        Some("a")
    );
    // DescribeEndpoints (deprecated, still answered) names this server.
    #[allow(deprecated)]
    let endpoints = mc
        .describe_endpoints()
        .send()
        .await
        .unwrap()
        .endpoints
        .unwrap();
    assert_eq!(endpoints[0].url.as_deref(), Some(server.endpoint.as_str()));
}

#[tokio::test]
async fn a_restart_keeps_everything_and_jobs_carry_on() {
    let dir = common::temp_dir("mediamock-mc-restart");
    let config = || {
        let mut c = Config::for_tests();
        c.data_dir = Some(dir.clone());
        c.transitions = Transitions::Fast;
        c
    };
    let server = TestServer::start_with(config()).await;
    let role = role(&server, "MediaConvertRole", TRUST_MEDIACONVERT, true).await;
    let mc = root(&server).await;
    mc.create_queue()
        .name("kept")
        .tags("team", "a")
        .send()
        .await
        .unwrap();
    mc.create_job_template()
        .name("t")
        .settings(
            JobTemplateSettings::builder()
                .output_groups(output_group("s3://media-out/t/"))
                .build(),
        )
        .send()
        .await
        .unwrap();
    mc.put_policy()
        .policy(
            Policy::builder()
                .http_inputs(InputPolicy::Disallowed)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let job = mc
        .create_job()
        .role(&role)
        .queue("kept")
        .job_template("t")
        .settings(
            JobSettings::builder()
                .inputs(Input::builder().file_input("s3://media-in/a.mp4").build())
                .build(),
        )
        .send()
        .await
        .unwrap()
        .job
        .unwrap();
    let id = job.id.clone().unwrap();
    let submitted = job.timing.unwrap().submit_time;
    assert_eq!(job.status, Some(JobStatus::Submitted));
    // The settings as the template and the job made them (the template's output group).
    let settings = job.settings.clone().unwrap();
    assert_eq!(settings.output_groups().len(), 1, "{settings:?}");
    server.stop().await;

    let server = TestServer::start_with(config()).await;
    let mc = root(&server).await;
    let q = mc
        .get_queue()
        .name("kept")
        .send()
        .await
        .unwrap()
        .queue
        .unwrap();
    let tags = mc
        .list_tags_for_resource()
        .arn(q.arn.unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(
        tags.resource_tags
            .unwrap()
            .tags
            .unwrap()
            .get("team")
            .map(String::as_str),
        Some("a")
    );
    mc.get_job_template().name("t").send().await.unwrap();
    let p = mc.get_policy().send().await.unwrap().policy.unwrap();
    assert_eq!(p.http_inputs, Some(InputPolicy::Disallowed));
    // The job continues where the clock says it is, to COMPLETE.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let done = loop {
        let j = status(&mc, &id).await;
        assert_eq!(j.timing.as_ref().unwrap().submit_time, submitted);
        if j.status == Some(JobStatus::Complete) || std::time::Instant::now() > deadline {
            break j;
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    };
    assert_eq!(done.status, Some(JobStatus::Complete));
    assert!(done.timing.unwrap().finish_time.is_some());
    // Its settings came back from the journal as they were answered, in GetJob and ListJobs.
    assert_eq!(done.settings.as_ref(), Some(&settings));
    let listed = mc.list_jobs().queue("kept").send().await.unwrap();
    assert_eq!(listed.jobs().len(), 1);
    assert_eq!(listed.jobs()[0].settings.as_ref(), Some(&settings));
    server.stop().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn the_account_specific_host_form_is_served() {
    let server = server(Transitions::Instant).await;
    // Older SDK code sends to the URL DescribeEndpoints gave it: an account-specific host.
    let host = "abcd1234.mediaconvert.us-west-2.amazonaws.com";
    let url = format!("https://{host}/2017-08-29/queues");
    let headers = vec![("host".to_string(), host.to_string())];
    let signed = common::sign(
        "GET",
        &url,
        &headers,
        b"",
        "mediaconvert",
        "test",
        "test",
        std::time::SystemTime::now(),
    );
    let mut request = "GET /2017-08-29/queues HTTP/1.1\r\n".to_string();
    for (k, v) in headers.iter().chain(signed.iter()) {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    request.push_str("connection: close\r\n\r\n");
    let response = server.raw(request.as_bytes()).await;
    assert_eq!(response.status, 200, "{}", response.text());
    let body = response.json();
    assert_eq!(body["queues"][0]["name"], "Default", "{body}");
}

/// ListQueues reports the account's concurrent jobs across on-demand queues and how many no
/// queue holds; a queue asking for more than that is refused with a 429, as AWS refuses a
/// queue over its quota.
#[tokio::test]
async fn list_queues_reports_total_and_unallocated_concurrent_jobs() {
    let mut config = Config::for_tests();
    config
        .quotas
        .entry("mediaconvert".into())
        .or_default()
        .insert("ConcurrentJobsPerAccount".into(), 150);
    let server = TestServer::start_with(config).await;
    let mc = root(&server).await;
    let totals = |l: &aws_sdk_mediaconvert::operation::list_queues::ListQueuesOutput| {
        (l.total_concurrent_jobs(), l.unallocated_concurrent_jobs())
    };
    let listed = mc.list_queues().send().await.unwrap();
    assert_eq!(totals(&listed), (Some(150), Some(50)), "Default holds 100");
    let q = mc
        .create_queue()
        .name("fast")
        .concurrent_jobs(30)
        .send()
        .await
        .unwrap();
    assert_eq!(q.queue().unwrap().concurrent_jobs(), Some(30));
    let listed = mc.list_queues().send().await.unwrap();
    assert_eq!(totals(&listed), (Some(150), Some(20)));
    let err = mc
        .create_queue()
        .name("greedy")
        .concurrent_jobs(21)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        aws_sdk_mediaconvert::error::ProvideErrorMetadata::code(&err),
        Some("TooManyRequestsException")
    );
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(429));
    // Every page carries the totals.
    let page = mc.list_queues().max_results(1).send().await.unwrap();
    assert_eq!(page.queues().len(), 1);
    assert!(page.next_token().is_some());
    assert_eq!(totals(&page), (Some(150), Some(20)));
    mc.update_queue()
        .name("Default")
        .concurrent_jobs(60)
        .send()
        .await
        .unwrap();
    let listed = mc.list_queues().send().await.unwrap();
    assert_eq!(totals(&listed), (Some(150), Some(60)));
}

/// ListJobs pages walk from their cursor (newest first by default, oldest first with
/// `ASCENDING`) and together list every job once, in ID order; each CreateJob answer
/// is what GetJob reads.
#[tokio::test]
async fn list_jobs_pages_cover_every_job_once_in_either_order() {
    use aws_sdk_mediaconvert::types::Order;
    let server = server(Transitions::Manual).await;
    let role = role(&server, "MediaConvertRole", TRUST_MEDIACONVERT, true).await;
    let mc = root(&server).await;
    let mut created = Vec::new();
    for _ in 0..7 {
        let job = mc
            .create_job()
            .role(&role)
            .settings(settings("s3://media-in/a.mp4", "s3://media-out/"))
            .send()
            .await
            .expect("create job")
            .job
            .unwrap();
        let read = status(&mc, job.id().unwrap()).await;
        assert_eq!(job, read);
        created.push(job.id().unwrap().to_string());
    }
    // IDs start with the submission time in milliseconds: ID order is submission order
    // (jobs of the same millisecond in their random suffix's order).
    created.sort();
    for (order, expected) in [
        (None, created.iter().rev().cloned().collect::<Vec<_>>()),
        (Some(Order::Ascending), created.clone()),
        (
            Some(Order::Descending),
            created.iter().rev().cloned().collect(),
        ),
    ] {
        let mut pages = mc
            .list_jobs()
            .set_order(order.clone())
            .max_results(3)
            .into_paginator()
            .send();
        let mut seen = Vec::new();
        let mut count = 0;
        while let Some(page) = pages.next().await {
            let page = page.expect("page");
            count += 1;
            seen.extend(page.jobs().iter().map(|j| j.id().unwrap().to_string()));
        }
        assert_eq!(seen, expected, "{order:?}");
        assert_eq!(count, 3, "{order:?}: 3 + 3 + 1");
    }
}

#[tokio::test]
async fn system_presets_real_code_names_and_system_job_templates() {
    let server = server(Transitions::Manual).await;
    let role = role(&server, "mc-system", TRUST_MEDIACONVERT, true).await;
    let mc = root(&server).await;
    // The HLS ladder many applications name (AWS's own Video on Demand solution among them).
    let ladder = [
        "System-Avc_16x9_1080p_29_97fps_8500kbps",
        "System-Avc_16x9_720p_29_97fps_3500kbps",
        "System-Avc_16x9_360p_29_97fps_1200kbps",
        "System-Avc_16x9_270p_14_99fps_400kbps",
    ];
    let hls = OutputGroup::builder()
        .name("Apple HLS")
        .output_group_settings(
            OutputGroupSettings::builder()
                .r#type(OutputGroupType::HlsGroupSettings)
                .hls_group_settings(
                    HlsGroupSettings::builder()
                        .segment_length(10)
                        .min_segment_length(0)
                        .destination("s3://media-out/hls/")
                        .build(),
                )
                .build(),
        )
        .set_outputs(Some(
            ladder
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    Output::builder()
                        .preset(*p)
                        .name_modifier(format!("_{i}"))
                        .build()
                })
                .collect(),
        ))
        .build();
    // Outputs of one group write files named from their name modifiers: each needs its own.
    let mut shared = hls.clone();
    shared.outputs = shared.outputs.map(|outputs| {
        outputs
            .into_iter()
            .map(|mut o| {
                o.name_modifier = Some("_x".into());
                o
            })
            .collect()
    });
    let e = mc
        .create_job()
        .role(&role)
        .settings(
            JobSettings::builder()
                .inputs(Input::builder().file_input("s3://media-in/a.mp4").build())
                .output_groups(shared)
                .build(),
        )
        .send()
        .await
        .expect_err("outputs of one group sharing a name modifier")
        .into_service_error();
    assert_eq!(
        aws_sdk_mediaconvert::error::ProvideErrorMetadata::code(&e),
        Some("BadRequestException")
    );
    assert_eq!(
        aws_sdk_mediaconvert::error::ProvideErrorMetadata::message(&e),
        Some(
            "/outputGroups/0/outputs/1/nameModifier: _x is also the name modifier of \
             /outputGroups/0/outputs/0; outputs of one output group need distinct name modifiers"
        )
    );
    let job = mc
        .create_job()
        .role(&role)
        .settings(
            JobSettings::builder()
                .inputs(Input::builder().file_input("s3://media-in/a.mp4").build())
                .output_groups(hls)
                .build(),
        )
        .send()
        .await
        .expect("a job naming system presets")
        .job
        .unwrap();
    assert_eq!(job.status, Some(JobStatus::Submitted));
    // A name no system preset has: AWS's NotFoundException (404) and wording.
    let e = mc
        .create_job()
        .role(&role)
        .settings(
            JobSettings::builder()
                .inputs(Input::builder().file_input("s3://media-in/a.mp4").build())
                .output_groups(
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
                        .outputs(Output::builder().preset("System-Avc_16x9_720p").build())
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap_err();
    let raw = e.raw_response().map(|r| r.status().as_u16());
    assert_eq!(raw, Some(404));
    assert_eq!(
        e.as_service_error()
            .and_then(aws_sdk_mediaconvert::error::ProvideErrorMetadata::message),
        Some("The specified preset was not found: presetArn=arn:aws:mediaconvert:us-west-2:000000000000:presets/System-Avc_16x9_720p.")
    );
    // GetPreset as AWS's CLI example shows it.
    let p = mc
        .get_preset()
        .name(ladder[0])
        .send()
        .await
        .unwrap()
        .preset
        .unwrap();
    assert_eq!(p.category.as_deref(), Some("HLS"));
    assert_eq!(
        p.description.as_deref(),
        Some("Wifi, 1920x1080, 16:9, 29.97fps, 8500kbps")
    );
    assert_eq!(p.r#type, Some(aws_sdk_mediaconvert::types::Type::System));
    // The default listing holds the account's own presets only.
    let own = mc.list_presets().send().await.unwrap();
    assert!(own.presets.unwrap_or_default().is_empty());
    let system = mc
        .list_presets()
        .list_by(PresetListBy::System)
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap();
    assert!(system.len() > 50, "{}", system.len());
    // System job templates: listed, read, applied, and read-only.
    let templates = mc
        .list_job_templates()
        .list_by(aws_sdk_mediaconvert::types::JobTemplateListBy::System)
        .send()
        .await
        .unwrap()
        .job_templates
        .unwrap();
    assert!(templates
        .iter()
        .any(|t| t.name.as_deref() == Some("System-Ott_Hls_Ts_Avc_Aac")));
    let t = mc
        .get_job_template()
        .name("System-Ott_Cmaf_Cmfc_Avc_Aac_Sdr_Qvbr")
        .send()
        .await
        .unwrap()
        .job_template
        .unwrap();
    let mut groups = t.settings.unwrap().output_groups.unwrap();
    assert_eq!(groups[0].outputs.as_ref().map(Vec::len), Some(12));
    // The template's group with a destination, as a job built from it in the console has.
    let ogs = groups[0].output_group_settings.take().unwrap();
    let cmaf = ogs.cmaf_group_settings.clone().unwrap();
    groups[0].output_group_settings = Some(
        OutputGroupSettings::builder()
            .r#type(OutputGroupType::CmafGroupSettings)
            .cmaf_group_settings(
                aws_sdk_mediaconvert::types::CmafGroupSettings::builder()
                    .set_segment_length(cmaf.segment_length)
                    .set_fragment_length(cmaf.fragment_length)
                    .destination("s3://media-out/cmaf/")
                    .build(),
            )
            .build(),
    );
    let job = mc
        .create_job()
        .role(&role)
        .job_template("System-Ott_Cmaf_Cmfc_Avc_Aac_Sdr_Qvbr")
        .settings(
            JobSettings::builder()
                .inputs(Input::builder().file_input("s3://media-in/a.mp4").build())
                .set_output_groups(Some(groups))
                .build(),
        )
        .send()
        .await
        .expect("a job from a system template")
        .job
        .unwrap();
    assert_eq!(
        job.job_template.as_deref(),
        Some("System-Ott_Cmaf_Cmfc_Avc_Aac_Sdr_Qvbr")
    );
    let e = mc
        .delete_job_template()
        .name("System-Ott_Hls_Ts_Avc_Aac")
        .send()
        .await;
    assert_eq!(code_of(e).as_deref(), Some("BadRequestException"));
    server.stop().await;
}

/// DescribeEndpoints has no resource type in the reference, yet AWS authorizes it on the
/// account's endpoints: its denial names `arn:aws:mediaconvert:REGION:ACCOUNT:endpoints/*`
/// (as users quote it), and a policy naming those endpoints allows it.
#[tokio::test]
#[allow(deprecated)]
async fn describe_endpoints_is_authorized_on_the_accounts_endpoints() {
    let server = server(Transitions::Manual).await;
    let nobody = user(
        &server,
        "nobody",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"mediaconvert:ListQueues","Resource":"*"}]}"#,
    )
    .await;
    let err = nobody
        .describe_endpoints()
        .send()
        .await
        .expect_err("not allowed");
    use aws_sdk_mediaconvert::error::ProvideErrorMetadata;
    assert_eq!(
        err.message(),
        Some(format!("User: arn:aws:iam::{ACCOUNT}:user/nobody is not authorized to perform: mediaconvert:DescribeEndpoints on resource: arn:aws:mediaconvert:us-west-2:{ACCOUNT}:endpoints/* because no identity-based policy allows the mediaconvert:DescribeEndpoints action").as_str())
    );
    let scoped = user(
        &server,
        "scoped",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"mediaconvert:DescribeEndpoints","Resource":"arn:aws:mediaconvert:*:*:endpoints/*"}]}"#,
    )
    .await;
    scoped
        .describe_endpoints()
        .send()
        .await
        .expect("allowed on the endpoints");
}

#[tokio::test]
async fn a_waiting_job_hops_to_its_destination_queue_and_a_restart_keeps_the_plan() {
    let dir = common::temp_dir("mediamock-mc-hops");
    let config = || {
        let mut c = Config::for_tests();
        c.data_dir = Some(dir.clone());
        c.transitions = Transitions::Manual;
        c
    };
    let server = TestServer::start_with(config()).await;
    let role = role(&server, "MediaConvertRole", TRUST_MEDIACONVERT, true).await;
    let mc = root(&server).await;
    for (name, slots) in [("busy", 1), ("spare", 2)] {
        mc.create_queue()
            .name(name)
            .concurrent_jobs(slots)
            .send()
            .await
            .unwrap();
    }
    let submit = |hop: Option<HopDestination>| {
        let mc = mc.clone();
        let role = role.clone();
        async move {
            mc.create_job()
                .role(role)
                .queue("busy")
                .set_hop_destinations(hop.map(|h| vec![h]))
                .settings(settings("s3://media-in/a.mp4", "s3://media-out/"))
                .send()
                .await
                .unwrap()
                .job
                .unwrap()
        }
    };
    // Eight jobs ahead in a one-slot queue: the ninth would start only at 66 s; it may hop
    // to `spare` after a minute, with priority 20 there.
    for _ in 0..8 {
        submit(None).await;
    }
    let hopper = submit(Some(
        HopDestination::builder()
            .queue("spare")
            .wait_minutes(1)
            .priority(20)
            .build(),
    ))
    .await;
    let id = hopper.id.clone().unwrap();
    let busy_arn = hopper.queue.clone().unwrap();
    assert!(hopper.queue_transitions().is_empty());
    advance(&server, 30).await;
    server.stop().await;

    // Restarted mid-wait, the job still hops when its minute is up.
    let server = TestServer::start_with(config()).await;
    let mc = root(&server).await;
    advance(&server, 29).await;
    let waiting = status(&mc, &id).await;
    assert_eq!(waiting.status, Some(JobStatus::Submitted));
    assert!(waiting.queue_transitions().is_empty());
    advance(&server, 1).await;
    let hopped = status(&mc, &id).await;
    assert_eq!(hopped.status, Some(JobStatus::Submitted));
    // Its Queue and Priority stay as submitted; the hop is in its history.
    assert_eq!(hopped.queue.as_deref(), Some(busy_arn.as_str()));
    assert_eq!(hopped.priority, Some(0));
    let spare_arn = busy_arn.replace("queues/busy", "queues/spare");
    let transitions = hopped.queue_transitions();
    assert_eq!(transitions.len(), 1, "{transitions:?}");
    assert_eq!(transitions[0].source_queue(), Some(busy_arn.as_str()));
    assert_eq!(transitions[0].destination_queue(), Some(spare_arn.as_str()));
    let submitted = secs(hopped.timing.as_ref().unwrap().submit_time.as_ref());
    assert_eq!(
        transitions[0].timestamp().map(|t| t.secs()),
        Some(submitted + 60)
    );
    let spare = mc
        .get_queue()
        .name("spare")
        .send()
        .await
        .unwrap()
        .queue
        .unwrap();
    assert_eq!(spare.submitted_jobs_count, Some(1));
    let listed = mc.list_jobs().queue("spare").send().await.unwrap();
    assert_eq!(listed.jobs().len(), 1);
    assert_eq!(listed.jobs()[0].queue_transitions().len(), 1);
    // It takes a free slot in `spare` and runs there.
    advance(&server, 2).await;
    assert_eq!(status(&mc, &id).await.status, Some(JobStatus::Progressing));
    advance(&server, 8).await;
    assert_eq!(status(&mc, &id).await.status, Some(JobStatus::Complete));
    server.stop().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn jobs_held_past_their_wait_hop_on_resume_when_jobs_are_ahead() {
    let server = server(Transitions::Manual).await;
    let role = role(&server, "MediaConvertRole", TRUST_MEDIACONVERT, true).await;
    let mc = root(&server).await;
    mc.create_queue()
        .name("hs")
        .concurrent_jobs(1)
        .status(QueueStatus::Paused)
        .send()
        .await
        .unwrap();
    mc.create_queue().name("hd").send().await.unwrap();
    let mut ids = Vec::new();
    for _ in 0..3 {
        let job = mc
            .create_job()
            .role(&role)
            .queue("hs")
            .hop_destinations(
                HopDestination::builder()
                    .queue("hd")
                    .wait_minutes(1)
                    .build(),
            )
            .settings(settings("s3://media-in/a.mp4", "s3://media-out/"))
            .send()
            .await
            .unwrap()
            .job
            .unwrap();
        ids.push(job.id.unwrap());
    }
    // "Jobs don't hop from a queue while it's paused."
    advance(&server, 300).await;
    for id in &ids {
        let j = status(&mc, id).await;
        assert_eq!(j.status, Some(JobStatus::Submitted));
        assert!(j.queue_transitions().is_empty());
    }
    // Resumed: the first has no job ahead and runs in `hs`; the two behind it hop.
    mc.update_queue()
        .name("hs")
        .status(QueueStatus::Active)
        .send()
        .await
        .unwrap();
    advance(&server, 2).await;
    let mut hops = Vec::new();
    for id in &ids {
        let j = status(&mc, id).await;
        assert_eq!(j.status, Some(JobStatus::Progressing));
        hops.push(
            j.queue_transitions()
                .iter()
                .filter_map(|t| {
                    t.destination_queue()
                        .map(|q| q.rsplit('/').next().unwrap().to_string())
                })
                .collect::<Vec<_>>(),
        );
    }
    assert_eq!(
        hops,
        [vec![], vec!["hd".to_string()], vec!["hd".to_string()]]
    );
}

#[tokio::test]
async fn an_expired_engine_version_runs_a_regular_job_and_a_long_search_is_refused() {
    let server = server(Transitions::Instant).await;
    let role = role(&server, "MediaConvertRole", TRUST_MEDIACONVERT, true).await;
    let mc = root(&server).await;
    let job = mc
        .create_job()
        .role(&role)
        .job_engine_version("2020-01-01")
        .settings(settings("s3://media-in/a.mp4", "s3://media-out/"))
        .send()
        .await
        .unwrap()
        .job
        .unwrap();
    assert_eq!(
        job.job_engine_version_requested.as_deref(),
        Some("2020-01-01")
    );
    assert_eq!(job.job_engine_version_used, None);
    let done = status(&mc, job.id.as_deref().unwrap()).await;
    assert_eq!(done.status, Some(JobStatus::Complete));
    let refused = mc
        .create_job()
        .role(&role)
        .job_engine_version("2099-01-01")
        .settings(settings("s3://media-in/a.mp4", "s3://media-out/"))
        .send()
        .await;
    assert_eq!(code_of(refused).as_deref(), Some("BadRequestException"));
    // "The maximum length for an input file is 300 characters."
    let e = mc
        .search_jobs()
        .input_file("x".repeat(301))
        .send()
        .await
        .unwrap_err();
    {
        use aws_sdk_mediaconvert::error::ProvideErrorMetadata;
        assert_eq!(e.code(), Some("BadRequestException"));
        assert_eq!(
            e.message(),
            Some(
                "/inputFile: the input file has 301 characters; the maximum length for an \
                 input file is 300 characters"
            )
        );
    }
    let found = mc
        .search_jobs()
        .input_file("media-in/a.mp4")
        .send()
        .await
        .unwrap();
    assert_eq!(found.jobs().len(), 1);
}

#[tokio::test]
async fn a_preferred_job_hopping_from_a_reserved_queue_runs_accelerated_on_demand() {
    let server = server(Transitions::Manual).await;
    let role = role(&server, "MediaConvertRole", TRUST_MEDIACONVERT, true).await;
    let mc = root(&server).await;
    reserved_queue(&mc, "res1", 1).await;
    mc.create_queue().name("od").send().await.unwrap();
    let mut ids = Vec::new();
    for i in 0..9 {
        let mut job = mc
            .create_job()
            .role(&role)
            .queue("res1")
            .settings(settings("s3://media-in/a.mp4", "s3://media-out/"));
        if i == 8 {
            job = job
                .acceleration_settings(
                    AccelerationSettings::builder()
                        .mode(AccelerationMode::Preferred)
                        .build(),
                )
                .hop_destinations(
                    HopDestination::builder()
                        .queue("od")
                        .wait_minutes(1)
                        .build(),
                );
        }
        ids.push(job.send().await.unwrap().job.unwrap().id.unwrap());
    }
    advance(&server, 200).await;
    let hopped = status(&mc, &ids[8]).await;
    assert_eq!(hopped.status, Some(JobStatus::Complete));
    assert_eq!(hopped.queue_transitions().len(), 1);
    // "If the job hops to an on-demand queue, it will run with acceleration enabled."
    assert_eq!(
        hopped.acceleration_status,
        Some(AccelerationStatus::Accelerated)
    );
}

#[tokio::test]
async fn canceling_a_hopped_job_frees_its_slot_in_its_new_queue() {
    let server = server(Transitions::Manual).await;
    let role = role(&server, "MediaConvertRole", TRUST_MEDIACONVERT, true).await;
    let mc = root(&server).await;
    for name in ["src", "dst"] {
        mc.create_queue()
            .name(name)
            .concurrent_jobs(1)
            .send()
            .await
            .unwrap();
    }
    let submit = |queue: &'static str, hop: bool| {
        let (mc, role) = (mc.clone(), role.clone());
        async move {
            let mut job = mc
                .create_job()
                .role(role)
                .queue(queue)
                .settings(settings("s3://media-in/a.mp4", "s3://media-out/"));
            if hop {
                job = job.hop_destinations(
                    HopDestination::builder()
                        .queue("dst")
                        .wait_minutes(1)
                        .build(),
                );
            }
            job.send().await.unwrap().job.unwrap().id.unwrap()
        }
    };
    for _ in 0..8 {
        submit("src", false).await;
    }
    let hopper = submit("src", true).await;
    advance(&server, 61).await;
    let next = submit("dst", false).await;
    advance(&server, 2).await;
    assert_eq!(
        status(&mc, &hopper).await.status,
        Some(JobStatus::Progressing)
    );
    assert_eq!(status(&mc, &next).await.status, Some(JobStatus::Submitted));
    mc.cancel_job().id(&hopper).send().await.unwrap();
    assert_eq!(
        status(&mc, &next).await.status,
        Some(JobStatus::Progressing)
    );
}

/// CreateResourceShare's `JobId` is "MediaConvert Job ID or ARN": by ARN the job is found and
/// authorized on its own ARN.
#[tokio::test]
async fn a_job_is_shared_by_its_arn() {
    let server = server(Transitions::Instant).await;
    let mc = root(&server).await;
    let role = role(&server, "share-role", TRUST_MEDIACONVERT, true).await;
    let job = mc
        .create_job()
        .role(&role)
        .settings(settings("s3://media-in/a.mov", "s3://media-out/"))
        .send()
        .await
        .unwrap()
        .job
        .unwrap();
    let arn = job.arn.clone().unwrap();
    let erin = user(
        &server,
        "erin",
        &format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"mediaconvert:CreateResourceShare","Resource":"{arn}"}}]}}"#
        ),
    )
    .await;
    erin.create_resource_share()
        .job_id(&arn)
        .support_case_id("case-1")
        .send()
        .await
        .expect("shared by ARN");
    let got = status(&mc, job.id.as_deref().unwrap()).await;
    assert_eq!(got.share_status.unwrap().as_str(), "INITIATED");
}

/// Probe names each container its documentation lists with the model's `Format`, and tracks
/// in codecs that container carries.
#[tokio::test]
async fn probe_reports_each_containers_format_and_codecs() {
    use aws_sdk_mediaconvert::types::{Codec, Format, ProbeInputFile};
    let server = server(Transitions::Instant).await;
    let mc = root(&server).await;
    let cases = [
        (
            "s3://media-in/a.webm",
            Format::Webm,
            vec![Codec::Vp9, Codec::Opus],
        ),
        (
            "s3://media-in/a.3gp",
            Format::ThreeGp,
            vec![Codec::Avc, Codec::Aac],
        ),
        ("s3://media-in/a.wav", Format::Wave, vec![Codec::Pcm]),
        (
            "s3://media-in/a.mpg",
            Format::Mpegps,
            vec![Codec::Mpeg2, Codec::Mp2],
        ),
        ("s3://media-in/a.wma", Format::Asf, vec![Codec::Wma2]),
    ];
    for (url, format, codecs) in cases {
        let out = mc
            .probe()
            .input_files(ProbeInputFile::builder().file_url(url).build())
            .send()
            .await
            .unwrap();
        let result = &out.probe_results()[0];
        let container = result.container().unwrap();
        assert_eq!(container.format(), Some(&format), "{url}");
        let got: Vec<Codec> = container
            .tracks()
            .iter()
            .filter_map(|t| t.codec().cloned())
            .collect();
        assert_eq!(got, codecs, "{url}");
    }
}

/// Job IDs are as AWS's: 13 digits of milliseconds, `-`, six lowercase letters and digits
/// (`1515368087458-qnoxtd`), not only hex digits.
#[tokio::test]
async fn job_ids_end_in_lowercase_letters_and_digits() {
    let server = server(Transitions::Manual).await;
    let mc = root(&server).await;
    let role = role(&server, "id-role", TRUST_MEDIACONVERT, true).await;
    let mut suffixes = String::new();
    for _ in 0..10 {
        let id = mc
            .create_job()
            .role(&role)
            .settings(settings("s3://media-in/a.mov", "s3://media-out/"))
            .send()
            .await
            .unwrap()
            .job
            .unwrap()
            .id
            .unwrap();
        let (ms, suffix) = id.split_once('-').unwrap();
        assert!(
            ms.len() == 13 && ms.bytes().all(|c| c.is_ascii_digit()),
            "{id}"
        );
        assert!(
            suffix.len() == 6
                && suffix
                    .bytes()
                    .all(|c| c.is_ascii_digit() || c.is_ascii_lowercase()),
            "{id}"
        );
        suffixes.push_str(suffix);
    }
    assert!(suffixes.bytes().any(|c| c > b'f'), "{suffixes}");
}

/// More reserved slots start a new 12-month commitment from when they are added (the
/// model's UpdateQueue `ReservationPlanSettings`); a renewal change alone keeps the term.
#[tokio::test]
async fn adding_reserved_slots_restarts_the_plans_twelve_month_term() {
    let server = server(Transitions::Manual).await;
    let mc = root(&server).await;
    reserved_queue(&mc, "grow", 1).await;
    let plan_of = |q: aws_sdk_mediaconvert::types::Queue| {
        let p = q.reservation_plan.expect("plan");
        (
            secs(p.purchased_at.as_ref()),
            secs(p.expires_at.as_ref()),
            p.reserved_slots,
        )
    };
    let update = |slots: i32| {
        mc.update_queue().name("grow").reservation_plan_settings(
            ReservationPlanSettings::builder()
                .commitment(Commitment::OneYear)
                .renewal_type(RenewalType::AutoRenew)
                .reserved_slots(slots)
                .build(),
        )
    };
    let first = plan_of(
        mc.get_queue()
            .name("grow")
            .send()
            .await
            .unwrap()
            .queue
            .unwrap(),
    );
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let renewed = plan_of(update(1).send().await.unwrap().queue.unwrap());
    assert_eq!(renewed, first);
    let grown = update(3).send().await.unwrap().queue.unwrap();
    let updated = secs(grown.last_updated.as_ref());
    let (purchased, expires, slots) = plan_of(grown);
    assert!(purchased > first.0, "{purchased} after {}", first.0);
    assert_eq!(purchased, updated);
    // Twelve months: the same time of day a year later.
    let term = expires - purchased;
    assert_eq!(term % 86_400, 0, "{term}");
    assert!((365..=366).contains(&(term / 86_400)), "{term}");
    assert_eq!(slots, Some(3));
}

/// A reservation plan's term ends on the same date a year later: AWS's list-queues example
/// shows one bought 2019-07-25T14:50:03Z expiring 2020-07-25T14:50:03Z, 366 days on.
#[tokio::test]
async fn a_reservation_plan_bought_before_a_leap_day_expires_366_days_later() {
    let server = server(Transitions::Manual).await;
    let mc = root(&server).await;
    reserved_queue(&mc, "transcode-library", 1).await;
    // The plan as if bought when AWS's example was.
    backdate_plan(&server, "transcode-library", 1_564_066_203.0, "EXPIRE").await;
    let queue = mc
        .get_queue()
        .name("transcode-library")
        .send()
        .await
        .unwrap()
        .queue
        .unwrap();
    let plan = queue.reservation_plan.expect("plan");
    assert_eq!(secs(plan.purchased_at.as_ref()), 1_564_066_203);
    assert_eq!(secs(plan.expires_at.as_ref()), 1_595_688_603);
}

/// Sets reserved queue `name`'s plan as bought at `purchased` with `renewal`: the state
/// export, changed, imported.
async fn backdate_plan(server: &TestServer, name: &str, purchased: f64, renewal: &str) {
    let (status, mut state) = server
        .admin(
            "GET",
            "/_mediamock/state",
            serde_json::Value::Null,
            "test",
            "test",
        )
        .await;
    assert_eq!(status, 200, "{state}");
    let suffix = format!(":queues/{name}");
    let records = state["records"].as_array_mut().expect("records");
    records.retain(|r| {
        r["store"] == "mediaconvert"
            && r["record"]["table"] == "queue"
            && r["record"]["key"]
                .as_str()
                .is_some_and(|k| k.ends_with(&suffix))
    });
    assert_eq!(records.len(), 1, "{state}");
    let plan = &mut state["records"][0]["record"]["value"]["reservation"];
    plan["purchased_at"] = serde_json::json!(purchased);
    plan["renewal"] = serde_json::json!(renewal);
    let (status, body) = server
        .admin("PUT", "/_mediamock/state", state, "test", "test")
        .await;
    assert_eq!(status, 200, "{body}");
}

/// A plan past its 12-month term: EXPIRED (the queue persists, and can then be deleted), or
/// renewed for another term when auto renew is on (the user guide's "About Reserved Queues").
#[tokio::test]
async fn a_reservation_plan_past_its_term_expires_or_renews() {
    use aws_sdk_mediaconvert::types::ReservationPlanStatus;
    let server = server(Transitions::Manual).await;
    let mc = root(&server).await;
    let plan = |q: Option<aws_sdk_mediaconvert::types::Queue>| q.unwrap().reservation_plan.unwrap();
    reserved_queue(&mc, "ended", 2).await;
    backdate_plan(&server, "ended", 1_564_066_203.0, "EXPIRE").await;
    let ended = plan(mc.get_queue().name("ended").send().await.unwrap().queue);
    assert_eq!(ended.status, Some(ReservationPlanStatus::Expired));
    assert_eq!(secs(ended.expires_at.as_ref()), 1_595_688_603);
    reserved_queue(&mc, "renewed", 1).await;
    backdate_plan(&server, "renewed", 1_564_066_203.0, "AUTO_RENEW").await;
    let renewed = plan(mc.get_queue().name("renewed").send().await.unwrap().queue);
    assert_eq!(renewed.status, Some(ReservationPlanStatus::Active));
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let (start, end) = (
        secs(renewed.purchased_at.as_ref()),
        secs(renewed.expires_at.as_ref()),
    );
    assert!(start <= now && now < end, "{start}..{end} at {now}");
    // Same time of day as the purchase, a whole number of years on.
    assert_eq!((start - 1_564_066_203) % 86_400, 0);
    // A reserved queue with an active plan can't be deleted; one whose plan expired can.
    let refused = mc.delete_queue().name("renewed").send().await;
    assert_eq!(code_of(refused).as_deref(), Some("ConflictException"));
    mc.delete_queue().name("ended").send().await.unwrap();
    let gone = mc.get_queue().name("ended").send().await;
    assert_eq!(code_of(gone).as_deref(), Some("NotFoundException"));
}

/// A restored plan bought at a nonsense time still answers (no panic, no 500).
#[tokio::test]
async fn a_plan_restored_with_a_nonsense_purchase_time_still_answers() {
    let server = server(Transitions::Manual).await;
    let mc = root(&server).await;
    reserved_queue(&mc, "odd", 1).await;
    for purchased in [1e300, -1e300] {
        backdate_plan(&server, "odd", purchased, "AUTO_RENEW").await;
        let queue = mc
            .get_queue()
            .name("odd")
            .send()
            .await
            .unwrap()
            .queue
            .unwrap();
        assert!(queue.reservation_plan.is_some());
        mc.list_queues().send().await.unwrap();
    }
}

/// A job's record is deleted 90 days after its submission ("After a job record is three
/// months old, MediaConvert automatically deletes it", the user guide): GetJob answers
/// NotFoundException and the listings leave it out.
#[tokio::test]
async fn a_job_record_is_deleted_ninety_days_after_submission() {
    use aws_sdk_mediaconvert::error::ProvideErrorMetadata;
    const DAY: u64 = 86_400;
    let server = server(Transitions::Manual).await;
    let mc = root(&server).await;
    let role = role(&server, "retention-role", TRUST_MEDIACONVERT, true).await;
    let submit = || async {
        mc.create_job()
            .role(&role)
            .settings(settings("s3://media-in/a.mov", "s3://media-out/"))
            .send()
            .await
            .unwrap()
            .job
            .unwrap()
            .id
            .unwrap()
    };
    let old = submit().await;
    advance(&server, 30 * DAY).await;
    let newer = submit().await;
    advance(&server, 60 * DAY - 1).await;
    assert_eq!(status(&mc, &old).await.status, Some(JobStatus::Complete));
    advance(&server, 1).await;
    let gone = mc.get_job().id(&old).send().await.unwrap_err();
    assert_eq!(gone.code(), Some("NotFoundException"));
    assert_eq!(gone.message(), Some(&*format!("Job {old} does not exist")));
    let ids = |jobs: Option<Vec<aws_sdk_mediaconvert::types::Job>>| -> Vec<String> {
        jobs.unwrap_or_default()
            .into_iter()
            .filter_map(|j| j.id)
            .collect()
    };
    let listed = mc.list_jobs().send().await.unwrap();
    assert_eq!(ids(listed.jobs), std::slice::from_ref(&newer));
    let searched = mc.search_jobs().send().await.unwrap();
    assert_eq!(ids(searched.jobs), std::slice::from_ref(&newer));
    advance(&server, 30 * DAY).await;
    let listed = mc.list_jobs().send().await.unwrap();
    assert!(ids(listed.jobs).is_empty());
}

/// A reserved queue whose plan has expired keeps the jobs sent to it SUBMITTED ("You can
/// still send jobs to it, but AWS Elemental MediaConvert doesn't run them", the user guide)
/// until a new plan is set up; one that ends while jobs wait holds those not started.
#[tokio::test]
async fn a_queue_whose_reserved_plan_expired_holds_its_jobs_until_a_new_plan() {
    let server = server(Transitions::Manual).await;
    let mc = root(&server).await;
    let role = role(&server, "lapsed-role", TRUST_MEDIACONVERT, true).await;
    let submit = |queue: &'static str| {
        let (mc, role) = (&mc, &role);
        async move {
            mc.create_job()
                .role(role)
                .queue(queue)
                .settings(settings("s3://media-in/a.mov", "s3://media-out/"))
                .send()
                .await
                .unwrap()
                .job
                .unwrap()
                .id
                .unwrap()
        }
    };
    reserved_queue(&mc, "lapsed", 1).await;
    backdate_plan(&server, "lapsed", 1_564_066_203.0, "EXPIRE").await;
    let sent = submit("lapsed").await;
    advance(&server, 100).await;
    assert_eq!(status(&mc, &sent).await.status, Some(JobStatus::Submitted));
    let queue = mc.get_queue().name("lapsed").send().await.unwrap();
    assert_eq!(queue.queue.unwrap().submitted_jobs_count, Some(1));
    // A new 12-month plan: the queue runs its jobs again.
    mc.update_queue()
        .name("lapsed")
        .reservation_plan_settings(
            ReservationPlanSettings::builder()
                .commitment(Commitment::OneYear)
                .renewal_type(RenewalType::Expire)
                .reserved_slots(1)
                .build(),
        )
        .send()
        .await
        .unwrap();
    advance(&server, 20).await;
    assert_eq!(status(&mc, &sent).await.status, Some(JobStatus::Complete));
    // The plan of a queue with a job running and one waiting ends.
    reserved_queue(&mc, "ending", 1).await;
    let (first, second) = (submit("ending").await, submit("ending").await);
    advance(&server, 3).await;
    backdate_plan(&server, "ending", 1_564_066_203.0, "EXPIRE").await;
    assert_eq!(
        status(&mc, &first).await.status,
        Some(JobStatus::Progressing)
    );
    assert_eq!(
        status(&mc, &second).await.status,
        Some(JobStatus::Submitted)
    );
    advance(&server, 100).await;
    assert_eq!(status(&mc, &first).await.status, Some(JobStatus::Complete));
    assert_eq!(
        status(&mc, &second).await.status,
        Some(JobStatus::Submitted)
    );
}

/// A tag key with the reserved prefix `aws:` is refused with MediaConvert's own words
/// (quoted in aws/aws-cdk#29755), and nothing is made.
#[tokio::test]
async fn a_reserved_tag_key_is_refused_with_mediaconverts_message() {
    use aws_sdk_mediaconvert::error::ProvideErrorMetadata;
    let server = server(Transitions::Instant).await;
    let mc = root(&server).await;
    let refused = mc
        .create_queue()
        .name("tagged")
        .tags("AWS:team", "media")
        .send()
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Some("BadRequestException"));
    assert_eq!(
        refused.message(),
        Some("One or more tag keys start with the reserved prefix 'aws:' (case insensitive).")
    );
    let gone = mc.get_queue().name("tagged").send().await;
    assert_eq!(code_of(gone).as_deref(), Some("NotFoundException"));
    let made = mc.create_queue().name("tagged").send().await.unwrap();
    let arn = made.queue.unwrap().arn.unwrap();
    let refused = mc
        .tag_resource()
        .arn(&arn)
        .tags("aws:cloudformation:stack-name", "s")
        .send()
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Some("BadRequestException"));
    assert!(refused
        .message()
        .unwrap()
        .starts_with("One or more tag keys"));
}

/// Outputs of one group need names of their own, not a name modifier each: AWS's Media2Cloud
/// transcode job writes a MOV output as `.mp4` and an audio-only MP4 as `.m4a` with no
/// modifier, and AWS's Amplify Video DASH template gives its audio output none beside video
/// outputs that have theirs. Both run to COMPLETE and answer the outputs as sent; two outputs
/// that would write one file are still refused.
#[tokio::test]
async fn outputs_without_name_modifiers_run_when_their_files_are_named_apart() {
    use aws_sdk_mediaconvert::error::ProvideErrorMetadata;
    use aws_sdk_mediaconvert::types::{
        AudioCodec, AudioCodecSettings, AudioDescription, DashIsoGroupSettings,
    };
    let server = server(Transitions::Instant).await;
    let mc = root(&server).await;
    let role = role(&server, "m2c", TRUST_MEDIACONVERT, true).await;
    let video = || {
        VideoDescription::builder()
            .width(960)
            .height(540)
            .codec_settings(
                VideoCodecSettings::builder()
                    .codec(VideoCodec::H264)
                    .build(),
            )
            .build()
    };
    let audio = || {
        AudioDescription::builder()
            .codec_settings(AudioCodecSettings::builder().codec(AudioCodec::Aac).build())
            .build()
    };
    let container = |c: ContainerType| ContainerSettings::builder().container(c).build();
    let aiml = OutputGroup::builder()
        .custom_name("aiml")
        .name("File Group")
        .output_group_settings(
            OutputGroupSettings::builder()
                .r#type(OutputGroupType::FileGroupSettings)
                .file_group_settings(
                    FileGroupSettings::builder()
                        .destination("s3://media-out/transcode/aiml/")
                        .build(),
                )
                .build(),
        )
        .outputs(
            Output::builder()
                .extension("mp4")
                .container_settings(container(ContainerType::Mov))
                .video_description(video())
                .audio_descriptions(audio())
                .build(),
        )
        .outputs(
            Output::builder()
                .extension("m4a")
                .container_settings(container(ContainerType::Mp4))
                .audio_descriptions(audio())
                .build(),
        )
        .build();
    let dash = OutputGroup::builder()
        .name("DASH ISO")
        .output_group_settings(
            OutputGroupSettings::builder()
                .r#type(OutputGroupType::DashIsoGroupSettings)
                .dash_iso_group_settings(
                    DashIsoGroupSettings::builder()
                        .destination("s3://media-out/dash/")
                        .segment_length(30)
                        .fragment_length(2)
                        .build(),
                )
                .build(),
        )
        .outputs(
            Output::builder()
                .name_modifier("_3000")
                .container_settings(container(ContainerType::Mpd))
                .video_description(video())
                .build(),
        )
        .outputs(
            Output::builder()
                .container_settings(container(ContainerType::Mpd))
                .audio_descriptions(audio())
                .build(),
        )
        .build();
    let job = mc
        .create_job()
        .role(&role)
        .settings(
            JobSettings::builder()
                .inputs(Input::builder().file_input("s3://media-in/a.mov").build())
                .output_groups(aiml.clone())
                .output_groups(dash)
                .build(),
        )
        .send()
        .await
        .expect("outputs named apart by extension or by one modifier")
        .job
        .unwrap();
    let done = status(&mc, job.id().unwrap()).await;
    assert_eq!(done.status, Some(JobStatus::Complete));
    let groups = done.settings.unwrap().output_groups.unwrap();
    let outputs = groups[0].outputs.as_deref().unwrap();
    assert_eq!(outputs[0].extension.as_deref(), Some("mp4"));
    assert_eq!(outputs[1].extension.as_deref(), Some("m4a"));
    assert_eq!(outputs[1].name_modifier, None);
    assert_eq!(groups[1].outputs.as_deref().unwrap()[1].name_modifier, None);
    // The same extension for both: one file name.
    let mut twins = aiml;
    twins.outputs = twins.outputs.map(|outputs| {
        outputs
            .into_iter()
            .map(|mut o| {
                o.extension = Some("mp4".into());
                o
            })
            .collect()
    });
    let refused = mc
        .create_job()
        .role(&role)
        .settings(
            JobSettings::builder()
                .inputs(Input::builder().file_input("s3://media-in/a.mov").build())
                .output_groups(twins)
                .build(),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Some("BadRequestException"));
    assert_eq!(
        refused.message(),
        Some(
            "/outputGroups/0/outputs/1: nameModifier is a required property when an output \
             group has more than one output"
        )
    );
}

/// A job naming a template merges its output groups, and their outputs, with the template's
/// by position, as its inputs: Amplify Video's input function (AWS's) submits its template's
/// job with an HLS group giving only the destination and `Outputs: []`. The job runs to
/// COMPLETE with the template's outputs under the job's destination.
#[tokio::test]
async fn a_job_giving_a_templates_output_group_its_destination_keeps_the_templates_outputs() {
    let server = server(Transitions::Instant).await;
    let mc = root(&server).await;
    let role = role(&server, "amplify", TRUST_MEDIACONVERT, true).await;
    let hls = |destination: Option<&str>, outputs: Vec<Output>| {
        let mut settings = HlsGroupSettings::builder()
            .segment_length(3)
            .min_segment_length(0);
        if let Some(d) = destination {
            settings = settings.destination(d);
        }
        OutputGroup::builder()
            .name("Apple HLS")
            .output_group_settings(
                OutputGroupSettings::builder()
                    .r#type(OutputGroupType::HlsGroupSettings)
                    .hls_group_settings(settings.build())
                    .build(),
            )
            .set_outputs(Some(outputs))
            .build()
    };
    let preset = |name: &str, modifier: &str| {
        Output::builder()
            .preset(name)
            .name_modifier(modifier)
            .build()
    };
    mc.create_job_template()
        .name("Amplify_Video_HLS")
        .settings(
            JobTemplateSettings::builder()
                .output_groups(hls(
                    None,
                    vec![
                        preset(
                            "System-Ott_Hls_Ts_Avc_Aac_16x9_1280x720p_30Hz_3.5Mbps",
                            "_720p",
                        ),
                        preset(
                            "System-Ott_Hls_Ts_Avc_Aac_16x9_640x360p_30Hz_1.2Mbps",
                            "_360p",
                        ),
                    ],
                ))
                .build(),
        )
        .send()
        .await
        .expect("template");
    let job = mc
        .create_job()
        .role(&role)
        .job_template("Amplify_Video_HLS")
        .settings(
            JobSettings::builder()
                .inputs(Input::builder().file_input("s3://media-in/cat.mp4").build())
                .output_groups(hls(Some("s3://media-out/cat/"), vec![]))
                .build(),
        )
        .send()
        .await
        .expect("the template's outputs fill the job's output group")
        .job
        .unwrap();
    let done = status(&mc, job.id().unwrap()).await;
    assert_eq!(done.status, Some(JobStatus::Complete));
    let group = &done.settings.unwrap().output_groups.unwrap()[0];
    let settings = group
        .output_group_settings
        .as_ref()
        .unwrap()
        .hls_group_settings
        .as_ref()
        .unwrap();
    assert_eq!(settings.destination.as_deref(), Some("s3://media-out/cat/"));
    let modifiers: Vec<_> = group
        .outputs
        .as_deref()
        .unwrap()
        .iter()
        .map(|o| o.name_modifier.as_deref().unwrap())
        .collect();
    assert_eq!(modifiers, ["_720p", "_360p"]);
}

/// A request's steps see the time it arrived (`service::at_request_time`): the CreateJob and
/// PassRole decisions IAM logs and the job stored carry one time, to the sub-microsecond
/// digits of the state export, where each step reading the clock itself would differ.
#[tokio::test]
async fn a_requests_authorization_and_its_job_carry_one_time() {
    let server = server(Transitions::Fast).await;
    let role = role(&server, "MediaConvertRole", TRUST_MEDIACONVERT, true).await;
    let mc = root(&server).await;
    let id = submit_cat(&mc, &role).await.id.unwrap();
    let job = server
        .exported_record(|r| {
            r["record"]["table"] == "job" && r["record"]["value"]["id"] == id.as_str()
        })
        .await;
    let created = job["record"]["value"]["created_at"].as_f64().unwrap();
    assert!(created.fract() != 0.0, "{created}");
    let (status, decisions) = server
        .root_admin("GET", "/_mediamock/decisions", serde_json::Value::Null)
        .await;
    assert_eq!(status, 200, "{decisions}");
    let time_of = |action: &str| {
        decisions
            .as_array()
            .unwrap()
            .iter()
            .rev()
            .find(|d| d["action"] == action)
            .unwrap_or_else(|| panic!("no {action} decision: {decisions}"))["time"]
            .as_f64()
            .unwrap()
    };
    assert_eq!(time_of("mediaconvert:CreateJob"), created, "{decisions}");
    assert_eq!(time_of("iam:PassRole"), created, "{decisions}");
}
