//! The service end to end below the wire: the operation list against the model, handlers
//! through `Service::handle`, authorization through the engine, tenancy and the journal.

use super::*;
use serde_json::json;
use service::{Access, Principal, RoleTrust, Transitions};
use std::time::Duration;

const ROLE: &str = "arn:aws:iam::111111111111:role/convert";
const UNTRUSTING: &str = "arn:aws:iam::111111111111:role/ec2only";

/// IAM as the tests need it: `convert` trusts MediaConvert, may read `in` and write `out`.
struct Roles;

impl ServiceRoles for Roles {
    fn role_trust(&self, role: &str, _: &str) -> RoleTrust {
        match role {
            ROLE => RoleTrust::Trusted,
            UNTRUSTING => RoleTrust::NotTrusted,
            _ => RoleTrust::NoSuchRole,
        }
    }
    fn role_allows(&self, _: &str, action: &str, resource: &str) -> bool {
        (action == "s3:GetObject" && resource.starts_with("arn:aws:s3:::in/"))
            || (action == "s3:PutObject" && resource.starts_with("arn:aws:s3:::out/"))
    }
}

fn service(mode: Transitions) -> Arc<MediaConvert> {
    MediaConvert::new(
        Arc::new(Runtime::new(mode, Some(1), [9; 32])),
        Arc::new(Roles),
    )
}

/// The service on `runtime` (quotas, throttling), with the tests' IAM.
pub(crate) fn service_on(runtime: Runtime) -> Arc<MediaConvert> {
    MediaConvert::new(Arc::new(runtime), Arc::new(Roles))
}

/// Runs `op` as the root of account 111111111111.
pub(crate) fn call(s: &MediaConvert, op: &str, input: Value) -> Result<Value, ServiceError> {
    s.handle(&ctx("111111111111"), op, input)
}

/// Runs `op` as the root of account 111111111111 and expects success.
pub(crate) fn ok(s: &MediaConvert, op: &str, input: Value) -> Value {
    call(s, op, input).unwrap_or_else(|e| panic!("{op} failed: {e}"))
}

pub(crate) fn ctx(account: &str) -> RequestContext {
    RequestContext::new("r", Arc::new(Principal::root(account, "k")), "us-west-2")
}

fn settings(input: &str, dest: &str) -> Value {
    json!({
        "Inputs": [{"FileInput": input}],
        "OutputGroups": [{
            "OutputGroupSettings": {"Type": "FILE_GROUP_SETTINGS",
                "FileGroupSettings": {"Destination": dest}},
            "Outputs": [{"ContainerSettings": {"Container": "MP4"},
                "VideoDescription": {"Width": 1280, "Height": 720,
                    "CodecSettings": {"Codec": "H_264"}}}]
        }]
    })
}

fn job_input() -> Value {
    json!({"Role": ROLE, "Settings": settings("s3://in/cat.mov", "s3://out/")})
}

fn accesses(s: &MediaConvert, c: &RequestContext, op: &str, input: Value) -> Vec<Access> {
    match authz::authorize(s, c, op, &input).unwrap() {
        authz::Authorization::Required(a) => a,
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_operation_list_matches_the_model() {
    kit::check_against_model::<MediaConvert>().unwrap();
}

#[test]
fn a_job_runs_to_complete_on_the_manual_clock() {
    let s = service(Transitions::Manual);
    let c = ctx("111111111111");
    let job = s.handle(&c, "CreateJob", job_input()).unwrap()["Job"].clone();
    assert_eq!(job["Status"], "SUBMITTED");
    // What AWS answers for a job that asked for no acceleration.
    assert_eq!(job["AccelerationSettings"], json!({"Mode": "DISABLED"}));
    assert_eq!(job["AccelerationStatus"], "NOT_APPLICABLE");
    assert_eq!(
        job["Queue"],
        "arn:aws:mediaconvert:us-west-2:111111111111:queues/Default"
    );
    let id = job["Id"].as_str().unwrap().to_string();
    assert!(job["Arn"]
        .as_str()
        .unwrap()
        .ends_with(&format!(":jobs/{id}")));
    s.runtime.clock.advance(Duration::from_secs(4));
    let got = s.handle(&c, "GetJob", json!({"Id": id})).unwrap()["Job"].clone();
    assert_eq!(got["Status"], "PROGRESSING");
    assert_eq!(got["CurrentPhase"], "TRANSCODING");
    assert_eq!(got["JobPercentComplete"], 25);
    s.runtime.clock.advance(Duration::from_secs(10));
    let done = s.handle(&c, "GetJob", json!({"Id": id})).unwrap()["Job"].clone();
    assert_eq!(done["Status"], "COMPLETE");
    assert_eq!(
        done["OutputGroupDetails"][0]["OutputDetails"][0]["VideoDetails"],
        json!({"WidthInPx": 1280, "HeightInPx": 720})
    );
    // Another account sees no such job.
    let e = s
        .handle(&ctx("222222222222"), "GetJob", json!({"Id": id}))
        .unwrap_err();
    assert_eq!(e.code, "NotFoundException");
    let e = s.handle(&c, "CancelJob", json!({"Id": id})).unwrap_err();
    assert_eq!(e.code, "ConflictException");
}

#[test]
fn roles_and_s3_access_decide_how_jobs_end() {
    let s = service(Transitions::Instant);
    let c = ctx("111111111111");
    let run = |input: Value| s.handle(&c, "CreateJob", input).unwrap()["Job"].clone();
    let mut untrusting = job_input();
    untrusting["Role"] = json!(UNTRUSTING);
    let j = run(untrusting);
    assert_eq!(
        (j["Status"].as_str(), j["ErrorCode"].as_i64()),
        (Some("ERROR"), Some(1434))
    );
    let mut missing = job_input();
    missing["Role"] = json!("arn:aws:iam::111111111111:role/nope");
    assert_eq!(run(missing)["Status"], "ERROR");
    let mut unreadable = job_input();
    unreadable["Settings"] = settings("s3://secret/cat.mov", "s3://out/");
    let j = run(unreadable);
    assert_eq!(j["ErrorCode"], 1434);
    assert!(j["ErrorMessage"]
        .as_str()
        .unwrap()
        .contains("s3://secret/cat.mov"));
    let mut unwritable = job_input();
    unwritable["Settings"] = settings("s3://in/cat.mov", "s3://elsewhere/x/");
    let j = run(unwritable);
    assert_eq!(j["ErrorCode"], 1401);
    assert!(j["ErrorMessage"]
        .as_str()
        .unwrap()
        .contains("s3://elsewhere/x/cat.mp4"));
    // The input policy: HTTP disallowed refuses HTTP jobs (User Guide: a 400, and the job
    // "will not appear in your job history"), not HTTPS ones.
    s.handle(
        &c,
        "PutPolicy",
        json!({"Policy": {"HttpInputs": "DISALLOWED"}}),
    )
    .unwrap();
    assert_eq!(
        s.handle(&c, "GetPolicy", json!({})).unwrap()["Policy"],
        json!({"HttpInputs": "DISALLOWED", "HttpsInputs": "ALLOWED", "S3Inputs": "ALLOWED"})
    );
    let mut http = job_input();
    http["Settings"] = settings("http://media.example.com/cat.mov", "s3://out/");
    let listed = || {
        ok(&s, "ListJobs", json!({}))["Jobs"]
            .as_array()
            .unwrap()
            .len()
    };
    let before = listed();
    let e = s.handle(&c, "CreateJob", http.clone()).unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        (
            "BadRequestException",
            "You specified an input location that your policy disallows. Specify an allowed \
             input location and resubmit your job."
        )
    );
    assert_eq!(listed(), before, "a refused job is not stored");
    http["Settings"] = settings("https://media.example.com/cat.mov", "s3://out/");
    assert_eq!(run(http)["Status"], "COMPLETE");
    s.handle(&c, "DeletePolicy", json!({})).unwrap();
    assert_eq!(
        s.handle(&c, "GetPolicy", json!({})).unwrap_err().code,
        "NotFoundException"
    );
}

#[test]
fn bad_jobs_are_refused_with_aws_errors() {
    let s = service(Transitions::Instant);
    let c = ctx("111111111111");
    let mut no_outputs = job_input();
    no_outputs["Settings"]["OutputGroups"] = json!([]);
    let e = s.handle(&c, "CreateJob", no_outputs).unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        (
            "BadRequestException",
            "/outputGroups: Should have at least 1 items"
        )
    );
    let mut bad_role = job_input();
    bad_role["Role"] = json!("convert");
    assert_eq!(
        s.handle(&c, "CreateJob", bad_role).unwrap_err().code,
        "BadRequestException"
    );
    let mut queue = job_input();
    queue["Queue"] = json!("nope");
    assert_eq!(
        s.handle(&c, "CreateJob", queue).unwrap_err().code,
        "NotFoundException"
    );
    let mut template = job_input();
    template["JobTemplate"] = json!("nope");
    assert_eq!(
        s.handle(&c, "CreateJob", template).unwrap_err().code,
        "NotFoundException"
    );
}

#[test]
fn templates_presets_and_idempotent_jobs() {
    let s = service(Transitions::Instant);
    let c = ctx("111111111111");
    s.handle(&c, "CreateQueue", json!({"Name": "fast"}))
        .unwrap();
    s.handle(
        &c,
        "CreatePreset",
        json!({"Name": "p720", "Settings": {"ContainerSettings": {"Container": "MOV"},
              "VideoDescription": {"Width": 1280, "Height": 720}}}),
    )
    .unwrap();
    let mut t_settings = settings("s3://unused/x.mov", "s3://out/t/");
    t_settings["Inputs"] = json!([]);
    t_settings["OutputGroups"][0]["Outputs"] = json!([{"Preset": "p720"}]);
    let t = s
        .handle(
            &c,
            "CreateJobTemplate",
            json!({"Name": "t", "Queue": "fast", "Priority": 5, "Settings": t_settings}),
        )
        .unwrap();
    assert_eq!(
        t["JobTemplate"]["Queue"],
        "arn:aws:mediaconvert:us-west-2:111111111111:queues/fast"
    );
    // A custom template answers the members it defaults (a system one does not).
    assert_eq!(
        (
            &t["JobTemplate"]["Type"],
            &t["JobTemplate"]["Priority"],
            &t["JobTemplate"]["StatusUpdateInterval"]
        ),
        (&json!("CUSTOM"), &json!(5), &json!("SECONDS_60"))
    );
    let job = s
        .handle(
            &c,
            "CreateJob",
            json!({"Role": ROLE, "JobTemplate": "t",
                   "Settings": {"Inputs": [{"FileInput": "s3://in/dog.mp4"}]}}),
        )
        .unwrap()["Job"]
        .clone();
    assert_eq!(job["Status"], "COMPLETE");
    assert_eq!(job["Priority"], 5);
    assert!(job["Queue"].as_str().unwrap().ends_with("queues/fast"));
    assert_eq!(
        job["Settings"]["OutputGroups"][0]["Outputs"][0]["Preset"],
        "p720"
    );
    // A template's job must still name its input.
    let e = s
        .handle(
            &c,
            "CreateJob",
            json!({"Role": ROLE, "JobTemplate": "t", "Settings": {}}),
        )
        .unwrap_err();
    assert_eq!(e.message, "/inputs: Should have at least 1 items");
    // ClientRequestToken: the same token within a minute answers the first job.
    let mut input = job_input();
    input["ClientRequestToken"] = json!("tok-1");
    let a = s.handle(&c, "CreateJob", input.clone()).unwrap();
    let b = s.handle(&c, "CreateJob", input.clone()).unwrap();
    assert_eq!(a["Job"]["Id"], b["Job"]["Id"]);
    // Restored (as after a restart), the token still answers the first job.
    let replica = service(Transitions::Manual);
    for r in s.records() {
        replica.restore(&r).unwrap();
    }
    let after = replica.handle(&c, "CreateJob", input).unwrap();
    assert_eq!(after["Job"]["Id"], a["Job"]["Id"]);
    // System presets: listable by category, read-only.
    let hls = s
        .handle(
            &c,
            "ListPresets",
            json!({"ListBy": "SYSTEM", "Category": "HLS"}),
        )
        .unwrap();
    let names: Vec<&str> = hls["Presets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["Name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 10);
    assert!(names.iter().all(|n| n.starts_with("System-Avc_")));
    let e = s
        .handle(&c, "DeletePreset", json!({"Name": names[0]}))
        .unwrap_err();
    assert_eq!(e.code, "BadRequestException");
}

#[test]
fn system_presets_and_templates_are_listed_apart_used_by_jobs_and_read_only() {
    let s = service(Transitions::Manual);
    ok(
        &s,
        "CreatePreset",
        json!({"Name": "mine", "Settings": {
        "ContainerSettings": {"Container": "MP4"},
        "VideoDescription": {"CodecSettings": {"Codec": "H_264"}}}}),
    );
    // As AWS lists them: by default an account's own, with ListBy=SYSTEM the system ones.
    let names = |out: &Value, list: &str| -> Vec<String> {
        out[list]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["Name"].as_str().unwrap().to_string())
            .collect()
    };
    let own = ok(&s, "ListPresets", json!({}));
    assert_eq!(names(&own, "Presets"), ["mine"]);
    let system = ok(
        &s,
        "ListPresets",
        json!({"ListBy": "SYSTEM", "MaxResults": 20}),
    );
    assert!(names(&system, "Presets")
        .iter()
        .all(|n| n.starts_with("System-")));
    assert!(system["NextToken"].is_string());
    let templates = ok(&s, "ListJobTemplates", json!({"ListBy": "SYSTEM"}));
    let listed = names(&templates, "JobTemplates");
    assert_eq!(listed.len(), 7);
    assert!(listed.contains(&"System-Ott_Hls_Ts_Avc_Aac".to_string()));
    assert_eq!(templates["JobTemplates"][0]["Type"], "SYSTEM");
    // AWS's answer shows a system template without Priority, StatusUpdateInterval or
    // AccelerationSettings (the AWS CLI's list-job-templates example).
    for k in ["Priority", "StatusUpdateInterval", "AccelerationSettings"] {
        assert!(templates["JobTemplates"][0].get(k).is_none(), "{k}");
    }
    assert!(names(&ok(&s, "ListJobTemplates", json!({})), "JobTemplates").is_empty());
    let hls = ok(
        &s,
        "ListJobTemplates",
        json!({"ListBy": "SYSTEM", "Category": "OTT-HLS"}),
    );
    assert_eq!(names(&hls, "JobTemplates").len(), 2);
    // A job from a system template, named or by ARN: the template's group has no
    // destination, so the job gives the group with one (as a job built from the template in
    // the console does); without it the job is refused as any job without a destination.
    let template = ok(
        &s,
        "GetJobTemplate",
        json!({"Name": "System-Ott_Hls_Ts_Avc_Aac"}),
    );
    let mut groups = template["JobTemplate"]["Settings"]["OutputGroups"].clone();
    groups[0]["OutputGroupSettings"]["HlsGroupSettings"]["Destination"] = json!("s3://out/hls/");
    let arn = "arn:aws:mediaconvert:us-west-2:111111111111:jobTemplates/System-Ott_Hls_Ts_Avc_Aac";
    for name in ["System-Ott_Hls_Ts_Avc_Aac", arn] {
        let job = ok(
            &s,
            "CreateJob",
            json!({"Role": ROLE, "JobTemplate": name,
            "Settings": {"Inputs": [{"FileInput": "s3://in/cat.mov"}], "OutputGroups": groups}}),
        );
        let outputs = &job["Job"]["Settings"]["OutputGroups"][0]["Outputs"];
        assert_eq!(outputs.as_array().unwrap().len(), 8, "{job}");
        assert_eq!(job["Job"]["JobTemplate"], name);
        assert_eq!(
            job["Job"]["Settings"]["AdAvailOffset"], 0,
            "the template's settings apply"
        );
    }
    let e = call(
        &s,
        "CreateJob",
        json!({"Role": ROLE, "JobTemplate": "System-Ott_Hls_Ts_Avc_Aac",
        "Settings": {"Inputs": [{"FileInput": "s3://in/cat.mov"}]}}),
    )
    .unwrap_err();
    assert!(
        e.message.ends_with("destination is a required property"),
        "{e}"
    );
    let mut input = job_input();
    input["Settings"]["OutputGroups"][0]["Outputs"] = json!([
        {"Preset": "System-Avc_16x9_720p_29_97fps_3500kbps", "NameModifier": "_720"},
        {"Preset": "System-Avc_16x9_270p_14_99fps_400kbps", "NameModifier": "_270"}]);
    ok(&s, "CreateJob", input.clone());
    // A preset or template the caller does not have: AWS's NotFoundException and wording.
    input["Settings"]["OutputGroups"][0]["Outputs"][1]["Preset"] = json!("System-Avc_16x9_720p");
    let e = call(&s, "CreateJob", input.clone()).unwrap_err();
    assert_eq!(e.code, "NotFoundException");
    assert_eq!(
        e.message,
        "The specified preset was not found: presetArn=arn:aws:mediaconvert:us-west-2:111111111111:presets/System-Avc_16x9_720p."
    );
    input["JobTemplate"] = json!("mine");
    let e = call(&s, "CreateJob", input).unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        ("NotFoundException", "The specified job template was not found: jobTemplateArn=arn:aws:mediaconvert:us-west-2:111111111111:jobTemplates/mine.")
    );
    let got = ok(
        &s,
        "GetJobTemplate",
        json!({"Name": "System-Ott_Dash_Mp4_Avc_Aac"}),
    );
    assert_eq!(got["JobTemplate"]["Category"], "OTT-DASH");
    assert!(got["JobTemplate"]["Arn"]
        .as_str()
        .unwrap()
        .ends_with(":jobTemplates/System-Ott_Dash_Mp4_Avc_Aac"));
    for op in ["DeleteJobTemplate", "UpdateJobTemplate"] {
        let e = call(&s, op, json!({"Name": "System-Ott_Hls_Ts_Avc_Aac"})).unwrap_err();
        assert_eq!(e.code, "BadRequestException", "{op}");
    }
    // A system template's name, like every name that begins with `System-`, is not one a
    // template of the caller's can take.
    let e = call(
        &s,
        "CreateJobTemplate",
        json!({"Name": "System-Ott_Hls_Ts_Avc_Aac", "Settings": {"OutputGroups": groups}}),
    )
    .unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        (
            "BadRequestException",
            "'System-Ott_Hls_Ts_Avc_Aac' is not a valid name, the name cannot begin with 'System-'."
        )
    );
}

#[test]
fn every_system_preset_and_template_passes_the_settings_checks() {
    let s = service(Transitions::Manual);
    for p in crate::system_presets::SYSTEM_PRESETS {
        let mut output = p.settings();
        output["NameModifier"] = json!("_x");
        let mut input = job_input();
        // A preset of a streaming package's container goes in a group of that package.
        let group = match output["ContainerSettings"]["Container"].as_str() {
            Some("M3U8") => Some(("HLS_GROUP_SETTINGS", "HlsGroupSettings")),
            Some("CMFC") => Some(("CMAF_GROUP_SETTINGS", "CmafGroupSettings")),
            Some("MPD") => Some(("DASH_ISO_GROUP_SETTINGS", "DashIsoGroupSettings")),
            Some("ISMV") => Some(("MS_SMOOTH_GROUP_SETTINGS", "MsSmoothGroupSettings")),
            _ => None,
        };
        if let Some((ty, member)) = group {
            input["Settings"]["OutputGroups"][0]["OutputGroupSettings"] =
                json!({"Type": ty, member: {"Destination": "s3://out/abr/"}});
        }
        input["Settings"]["OutputGroups"][0]["Outputs"] = json!([output]);
        call(&s, "CreateJob", input).unwrap_or_else(|e| panic!("{}: {e}", p.name));
        let mut input = job_input();
        input["Settings"]["OutputGroups"][0]["Outputs"] = json!([{"Preset": p.name}]);
        call(&s, "CreateJob", input).unwrap_or_else(|e| panic!("{} by name: {e}", p.name));
    }
    for t in crate::system_templates::SYSTEM_TEMPLATES {
        call(
            &s,
            "CreateJobTemplate",
            json!({"Name": format!("copy-{}", t.name),
            "Settings": t.settings()}),
        )
        .unwrap_or_else(|e| panic!("{}: {e}", t.name));
    }
}

#[test]
fn concurrent_create_jobs_with_one_token_make_one_job() {
    for round in 0..20 {
        let s = service(Transitions::Manual);
        let mut input = job_input();
        input["ClientRequestToken"] = json!(format!("race-{round}"));
        let ids: Vec<Value> = std::thread::scope(|scope| {
            let calls: Vec<_> = (0..4)
                .map(|_| scope.spawn(|| ok(&s, "CreateJob", input.clone())["Job"]["Id"].clone()))
                .collect();
            calls.into_iter().map(|c| c.join().unwrap()).collect()
        });
        assert!(ids.windows(2).all(|w| w[0] == w[1]), "{ids:?}");
        let listed = ok(&s, "ListJobs", json!({}));
        assert_eq!(listed["Jobs"].as_array().unwrap().len(), 1);
    }
}

#[test]
fn paused_queues_hold_jobs_and_default_is_permanent() {
    let s = service(Transitions::Manual);
    let c = ctx("111111111111");
    s.handle(&c, "CreateQueue", json!({"Name": "q", "Status": "PAUSED"}))
        .unwrap();
    let mut input = job_input();
    input["Queue"] = json!("q");
    let id = s.handle(&c, "CreateJob", input).unwrap()["Job"]["Id"]
        .as_str()
        .unwrap()
        .to_string();
    s.runtime.clock.advance(Duration::from_secs(100));
    let status = |s: &MediaConvert| {
        s.handle(&c, "GetJob", json!({"Id": id})).unwrap()["Job"]["Status"].clone()
    };
    assert_eq!(status(&s), "SUBMITTED");
    let q = s.handle(&c, "GetQueue", json!({"Name": "q"})).unwrap();
    assert_eq!(q["Queue"]["SubmittedJobsCount"], 1);
    let e = s
        .handle(&c, "DeleteQueue", json!({"Name": "q"}))
        .unwrap_err();
    assert_eq!(e.code, "ConflictException");
    s.handle(&c, "UpdateQueue", json!({"Name": "q", "Status": "ACTIVE"}))
        .unwrap();
    s.runtime.clock.advance(Duration::from_secs(20));
    assert_eq!(status(&s), "COMPLETE");
    // The journal replays into the same state, mid-lifecycle included.
    let replica = service(Transitions::Manual);
    for (_, r) in c.journal.take() {
        replica.restore(&r).unwrap();
    }
    assert_eq!(replica.records(), s.records());
    let e = s
        .handle(&c, "DeleteQueue", json!({"Name": "Default"}))
        .unwrap_err();
    assert_eq!(e.code, "BadRequestException");
    let list = s.handle(&c, "ListQueues", json!({})).unwrap();
    let names: Vec<&str> = list["Queues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["Name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Default", "q"]);
}

#[test]
fn queues_count_hold_and_guard_only_unfinished_jobs() {
    let s = service(Transitions::Manual);
    let c = ctx("111111111111");
    s.handle(&c, "CreateQueue", json!({"Name": "q", "Status": "PAUSED"}))
        .unwrap();
    let mut held = job_input();
    held["Queue"] = json!("q");
    for _ in 0..3 {
        s.handle(&c, "CreateJob", held.clone()).unwrap();
    }
    for _ in 0..1030 {
        s.handle(&c, "CreateJob", job_input()).unwrap();
    }
    let counts = |s: &MediaConvert, c: &RequestContext, q: &str| {
        let v = s.handle(c, "GetQueue", json!({ "Name": q })).unwrap();
        (
            v["Queue"]["SubmittedJobsCount"].as_i64().unwrap(),
            v["Queue"]["ProgressingJobsCount"].as_i64().unwrap(),
        )
    };
    assert_eq!(counts(&s, &c, "Default"), (1030, 0));
    s.runtime.clock.advance(Duration::from_secs(4));
    // The Default queue runs 100 at once (its `ConcurrentJobs`); the rest wait.
    assert_eq!(counts(&s, &c, "Default"), (930, 100));
    s.runtime.clock.advance(Duration::from_secs(100));
    assert_eq!(counts(&s, &c, "Default"), (0, 0));
    // The set was pruned from 1,024 jobs on (none finished then), a step per job submitted;
    // the next prune, once it has doubled, drops the 1,030 finished ones.
    for _ in 1033..2600 {
        s.handle(&c, "CreateJob", job_input()).unwrap();
    }
    assert_eq!(s.jobs.read().active.len(), 3 + 1567);
    assert_eq!(counts(&s, &c, "Default"), (1567, 0));
    assert_eq!(counts(&s, &c, "q"), (3, 0));
    let listed = s.handle(&c, "ListQueues", json!({})).unwrap();
    let submitted: Vec<i64> = listed["Queues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["SubmittedJobsCount"].as_i64().unwrap())
        .collect();
    assert_eq!(submitted, [1567, 3]);
    // Another account, and this account in another region, count none of them.
    assert_eq!(counts(&s, &ctx("222222222222"), "Default"), (0, 0));
    let mut elsewhere = ctx("111111111111");
    elsewhere.region = "eu-west-1".into();
    assert_eq!(counts(&s, &elsewhere, "Default"), (0, 0));
    // Restored jobs are counted, held and released like those submitted here.
    let replica = service(Transitions::Manual);
    replica.runtime.clock.advance(Duration::from_secs(104));
    for (_, r) in c.journal.take() {
        replica.restore(&r).unwrap();
    }
    assert_eq!(counts(&replica, &c, "q"), (3, 0));
    assert_eq!(counts(&replica, &c, "Default"), (1567, 0));
    let e = replica
        .handle(&c, "DeleteQueue", json!({"Name": "q"}))
        .unwrap_err();
    assert_eq!(e.code, "ConflictException");
    replica
        .handle(&c, "UpdateQueue", json!({"Name": "q", "Status": "ACTIVE"}))
        .unwrap();
    replica.runtime.clock.advance(Duration::from_secs(20));
    assert_eq!(counts(&replica, &c, "q"), (0, 0));
    replica
        .handle(&c, "DeleteQueue", json!({"Name": "q"}))
        .unwrap();
    // An account's reset forgets its jobs in the set too.
    s.reset_account("111111111111").unwrap();
    assert_eq!(s.jobs.read().active.len(), 0);
}

#[test]
fn list_jobs_filters_orders_and_pages() {
    let s = service(Transitions::Instant);
    let c = ctx("111111111111");
    let mut ids = Vec::new();
    for _ in 0..5 {
        let j = s.handle(&c, "CreateJob", job_input()).unwrap();
        ids.push(j["Job"]["Id"].as_str().unwrap().to_string());
        std::thread::sleep(Duration::from_millis(2));
    }
    let first = s.handle(&c, "ListJobs", json!({"MaxResults": 3})).unwrap();
    let page: Vec<&str> = first["Jobs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["Id"].as_str().unwrap())
        .collect();
    assert_eq!(page, [&ids[4], &ids[3], &ids[2]], "newest first");
    let rest = s
        .handle(
            &c,
            "ListJobs",
            json!({"MaxResults": 3, "NextToken": first["NextToken"]}),
        )
        .unwrap();
    assert_eq!(rest["Jobs"].as_array().unwrap().len(), 2);
    assert!(rest.get("NextToken").is_none());
    let e = s
        .handle(
            &c,
            "ListJobs",
            json!({"Status": "ERROR", "NextToken": first["NextToken"]}),
        )
        .unwrap_err();
    assert_eq!(
        e.code, "BadRequestException",
        "a token is bound to its filters"
    );
    let none = s
        .handle(&c, "ListJobs", json!({"Status": "ERROR"}))
        .unwrap();
    assert_eq!(none["Jobs"], json!([]));
    let found = s
        .handle(
            &c,
            "SearchJobs",
            json!({"InputFile": "cat", "Order": "ASCENDING"}),
        )
        .unwrap();
    assert_eq!(found["Jobs"][0]["Id"], ids[0].as_str());
    let q = s
        .handle(
            &c,
            "StartJobsQuery",
            json!({"FilterList": [{"Key": "status", "Values": ["COMPLETE"]},
                                  {"Key": "videoCodec", "Values": ["H_264"]}]}),
        )
        .unwrap();
    let r = s
        .handle(&c, "GetJobsQueryResults", json!({"Id": q["Id"]}))
        .unwrap();
    assert_eq!(r["Status"], "COMPLETE");
    assert_eq!(r["Jobs"].as_array().unwrap().len(), 5);
    let e = s
        .handle(
            &ctx("222222222222"),
            "GetJobsQueryResults",
            json!({"Id": q["Id"]}),
        )
        .unwrap_err();
    assert_eq!(e.code, "NotFoundException");
}

#[test]
fn job_shares_are_rate_limited() {
    let s = service(Transitions::Instant);
    let c = ctx("111111111111");
    let id = |s: &MediaConvert| {
        s.handle(&c, "CreateJob", job_input()).unwrap()["Job"]["Id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (a, b) = (id(&s), id(&s));
    let share = |job: &str| {
        s.handle(
            &c,
            "CreateResourceShare",
            json!({"JobId": job, "SupportCaseId": "case-1"}),
        )
    };
    share(&a).unwrap();
    assert_eq!(share(&b).unwrap_err().code, "TooManyRequestsException");
    let got = s.handle(&c, "GetJob", json!({"Id": a})).unwrap();
    assert_eq!(got["Job"]["ShareStatus"], "INITIATED");
    // Another account has its own allowance, and cannot share this account's jobs.
    let other = ctx("222222222222");
    let e = s
        .handle(
            &other,
            "CreateResourceShare",
            json!({"JobId": b, "SupportCaseId": "case-2"}),
        )
        .unwrap_err();
    assert_eq!(e.code, "NotFoundException");
}

#[test]
fn tags_on_every_resource_kind() {
    let s = service(Transitions::Instant);
    let c = ctx("111111111111");
    let job = s.handle(&c, "CreateJob", {
        let mut i = job_input();
        i["Tags"] = json!({"team": "a"});
        i
    });
    let arn = job.unwrap()["Job"]["Arn"].as_str().unwrap().to_string();
    let default_arn = "arn:aws:mediaconvert:us-west-2:111111111111:queues/Default";
    for a in [arn.as_str(), default_arn] {
        s.handle(&c, "TagResource", json!({"Arn": a, "Tags": {"env": "dev"}}))
            .unwrap();
        s.handle(&c, "UntagResource", json!({"Arn": a, "TagKeys": ["team"]}))
            .unwrap();
        let t = s
            .handle(&c, "ListTagsForResource", json!({"Arn": a}))
            .unwrap();
        assert_eq!(t["ResourceTags"]["Tags"], json!({"env": "dev"}));
        let e = s
            .handle(
                &ctx("222222222222"),
                "ListTagsForResource",
                json!({"Arn": a}),
            )
            .unwrap_err();
        assert_eq!(e.code, "NotFoundException");
    }
}

#[test]
fn the_engine_authorizes_jobs_with_queue_template_presets_and_input_policy() {
    let s = service(Transitions::Instant);
    let c = ctx("111111111111");
    s.handle(
        &c,
        "CreateQueue",
        json!({"Name": "q", "Tags": {"team": "video"}}),
    )
    .unwrap();
    s.handle(
        &c,
        "PutPolicy",
        json!({"Policy": {"HttpInputs": "DISALLOWED"}}),
    )
    .unwrap();
    let mut input = job_input();
    input["Queue"] = json!("q");
    input["Tags"] = json!({"cost": "x"});
    input["Settings"]["OutputGroups"][0]["Outputs"] = json!([{"Preset": "mine"}]);
    let a = accesses(&s, &c, "CreateJob", input);
    let create: Vec<&Access> = a
        .iter()
        .filter(|x| x.action == "mediaconvert:CreateJob")
        .collect();
    let resources: Vec<&str> = create.iter().map(|x| x.resource.as_str()).collect();
    assert_eq!(
        resources,
        [
            "arn:aws:mediaconvert:us-west-2:111111111111:presets/mine",
            "arn:aws:mediaconvert:us-west-2:111111111111:queues/q"
        ]
    );
    let queue_access = create[1];
    for (k, v) in [
        ("aws:ResourceTag/team", ContextValue::String("video".into())),
        ("aws:RequestTag/cost", ContextValue::String("x".into())),
        ("mediaconvert:HttpInputsAllowed", ContextValue::Bool(false)),
        ("mediaconvert:HttpsInputsAllowed", ContextValue::Bool(true)),
        ("mediaconvert:S3InputsAllowed", ContextValue::Bool(true)),
    ] {
        assert!(
            queue_access.context.contains(&(k.to_string(), v.clone())),
            "{k} in {:?}",
            queue_access.context
        );
    }
    let pass = a.iter().find(|x| x.action == "iam:PassRole").unwrap();
    assert_eq!(pass.resource, ROLE);
    assert_eq!(
        pass.context,
        vec![(
            "iam:PassedToService".to_string(),
            ContextValue::String(PRINCIPAL.into())
        )]
    );
    // Without a queue the job goes to (and is authorized on) the Default queue.
    let d = accesses(&s, &c, "CreateJob", job_input());
    assert_eq!(
        d[0].resource,
        "arn:aws:mediaconvert:us-west-2:111111111111:queues/Default"
    );
    // A template names its queue and presets; its own name is not a queue.
    let t = accesses(
        &s,
        &c,
        "CreateJobTemplate",
        json!({"Name": "tmpl", "Settings": {}}),
    );
    assert_eq!(t.len(), 1);
    assert_eq!(t[0].resource, "*");
    let g = accesses(&s, &c, "GetJob", json!({"Id": "1-abc"}));
    assert_eq!(
        g[0].resource,
        "arn:aws:mediaconvert:us-west-2:111111111111:jobs/1-abc"
    );
    let l = accesses(&s, &c, "ListJobs", json!({"Queue": "q"}));
    assert_eq!(
        l[0].resource,
        "arn:aws:mediaconvert:us-west-2:111111111111:queues/q"
    );
    let q = accesses(&s, &c, "StartJobsQuery", json!({}));
    assert_eq!(
        (q[0].action.as_str(), q[0].resource.as_str()),
        ("mediaconvert:StartJobsQuery", "*")
    );
}

/// A system preset is a Preset in the caller's account, as AWS lists it
/// (`arn:aws:mediaconvert:us-west-2:123456789012:presets/System-…`): a job or template naming
/// one is authorized on that ARN, so the User Guide's `presets/allow*` policy does not cover it.
#[test]
fn jobs_and_templates_are_authorized_on_the_system_presets_they_name() {
    let s = service(Transitions::Instant);
    let c = ctx("111111111111");
    let system = "System-Avc_16x9_1080p_29_97fps_8500kbps";
    let arn = format!("arn:aws:mediaconvert:us-west-2:111111111111:presets/{system}");
    let mut input = job_input();
    input["Settings"]["OutputGroups"][0]["Outputs"] = json!([{"Preset": system}]);
    let job: Vec<String> = accesses(&s, &c, "CreateJob", input)
        .into_iter()
        .filter(|x| x.action == "mediaconvert:CreateJob")
        .map(|x| x.resource)
        .collect();
    assert_eq!(
        job,
        [
            arn.clone(),
            "arn:aws:mediaconvert:us-west-2:111111111111:queues/Default".to_string()
        ]
    );
    let template = accesses(
        &s,
        &c,
        "CreateJobTemplate",
        json!({"Name": "t", "Settings": {"OutputGroups": [{"Outputs": [{"Preset": system}]}]}}),
    );
    assert_eq!(template.len(), 1);
    assert_eq!(template[0].resource, arn);
}

#[test]
fn describe_endpoints_points_here_and_probe_answers() {
    let s = service(Transitions::Instant);
    let mut c = ctx("111111111111");
    c.host = Some("127.0.0.1:4566".into());
    let e = s.handle(&c, "DescribeEndpoints", json!({})).unwrap();
    assert_eq!(e["Endpoints"][0]["Url"], "http://127.0.0.1:4566");
    let p = s
        .handle(
            &c,
            "Probe",
            json!({"InputFiles": [{"FileUrl": "s3://in/a.mp4"}]}),
        )
        .unwrap();
    assert_eq!(p["ProbeResults"][0]["Container"]["Format"], "mp4");
    let v = s.handle(&c, "ListVersions", json!({})).unwrap();
    assert!(!v["Versions"].as_array().unwrap().is_empty());
    let cert = "arn:aws:acm:us-west-2:111111111111:certificate/abc";
    s.handle(&c, "AssociateCertificate", json!({"Arn": cert}))
        .unwrap();
    assert_eq!(
        s.handle(&c, "AssociateCertificate", json!({"Arn": cert}))
            .unwrap_err()
            .code,
        "ConflictException"
    );
    s.handle(&c, "DisassociateCertificate", json!({"Arn": cert}))
        .unwrap();
    assert_eq!(
        s.handle(&c, "DisassociateCertificate", json!({"Arn": cert}))
            .unwrap_err()
            .code,
        "NotFoundException"
    );
}

/// Resident memory of this process, bytes (Linux).
fn rss() -> usize {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: usize = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    pages * 4096
}

/// Memory per stored job (run with `--ignored --nocapture`): jobs of the typical shape used
/// throughout these tests, tags and user metadata included.
#[test]
#[ignore = "measurement"]
fn memory_per_job() {
    let s = service(Transitions::Instant);
    let c = ctx("111111111111");
    let n = 20_000;
    let mut input = job_input();
    if std::env::var("BARE").is_err() {
        input["Tags"] = json!({"team": "video"});
        input["UserMetadata"] = json!({"project": "cats"});
    }
    let before = rss();
    for _ in 0..n {
        s.handle(&c, "CreateJob", input.clone()).unwrap();
        c.journal.take();
    }
    let after = rss();
    let t = std::time::Instant::now();
    for _ in 0..100 {
        s.handle(&c, "ListJobs", json!({"MaxResults": 20})).unwrap();
    }
    println!("ListJobs, first page of {n} jobs: {:?}", t.elapsed() / 100);
    let record = serde_json::to_string(&s.records()[1].value).unwrap().len();
    println!(
        "size_of Stored<Job> {}, Job {}",
        std::mem::size_of::<kit::Stored<model::Job>>(),
        std::mem::size_of::<model::Job>()
    );
    println!(
        "{} bytes of memory per job; a job's journal record is {record} bytes",
        (after - before) / n
    );
}

#[test]
fn create_job_answers_what_get_job_reads_on_every_placement_path() {
    let s = service(Transitions::Manual);
    let c = ctx("111111111111");
    let created = |input: Value| -> Value {
        let job = s.handle(&c, "CreateJob", input).unwrap()["Job"].clone();
        let read = s.handle(&c, "GetJob", json!({"Id": job["Id"]})).unwrap()["Job"].clone();
        // The answer is built from the parsed settings outside the lock; GetJob from the
        // stored text: the same job either way.
        assert_eq!(job, read);
        job
    };
    // The account's first job makes its Default queue under the write lock.
    let first = created(job_input());
    assert_eq!(first["Status"], "SUBMITTED");
    assert!(first["Queue"].as_str().unwrap().ends_with("queues/Default"));
    let mut metadata = job_input();
    metadata["UserMetadata"] = json!({"b": "2", "a": "1"});
    metadata["AccelerationSettings"] = json!({"Mode": "PREFERRED"});
    let second = created(metadata);
    assert_eq!(second["UserMetadata"], json!({"a": "1", "b": "2"}));
    // AWS: "AccelerationStatus is IN_PROGRESS initially".
    assert_eq!(second["AccelerationStatus"], "IN_PROGRESS");
    s.handle(
        &c,
        "CreateQueue",
        json!({"Name": "held", "Status": "PAUSED"}),
    )
    .unwrap();
    let mut input = job_input();
    input["Queue"] = json!("held");
    let held = created(input);
    assert_eq!(held["Status"], "SUBMITTED");
    s.handle(
        &c,
        "UpdateQueue",
        json!({"Name": "held", "Status": "ACTIVE"}),
    )
    .unwrap();
    s.runtime.clock.advance(Duration::from_secs(3));
    let status =
        |id: &Value| s.handle(&c, "GetJob", json!({"Id": id})).unwrap()["Job"]["Status"].clone();
    assert_eq!(status(&held["Id"]), "PROGRESSING", "released when resumed");
    let mut missing = job_input();
    missing["Queue"] = json!("nope");
    let e = s.handle(&c, "CreateJob", missing).unwrap_err();
    assert_eq!(e.code, "NotFoundException");
    let listed = s.handle(&c, "ListJobs", json!({})).unwrap();
    assert_eq!(
        listed["Jobs"].as_array().unwrap().len(),
        3,
        "the refused job is not stored"
    );
}

#[test]
fn the_first_refused_s3_permission_in_check_order_decides_the_error() {
    let s = service(Transitions::Instant);
    let outcome = |input: &str, more: &str, dest: &str| {
        let mut settings = settings(input, dest);
        settings["Inputs"]
            .as_array_mut()
            .unwrap()
            .push(json!({"FileInput": more}));
        let job = ok(&s, "CreateJob", json!({"Role": ROLE, "Settings": settings}))["Job"].clone();
        let got = ok(&s, "GetJob", json!({"Id": job["Id"]}))["Job"].clone();
        (
            got["ErrorCode"].as_i64(),
            got["ErrorMessage"].as_str().map(str::to_string),
        )
    };
    assert_eq!(
        outcome("s3://in/a.mov", "s3://in/b.mov", "s3://out/"),
        (None, None)
    );
    // The second input's read is refused before the output's write is considered.
    let (code, message) = outcome("s3://in/a.mov", "s3://elsewhere/b.mov", "s3://elsewhere/");
    assert_eq!(code, Some(job_access::INPUT_DENIED));
    assert!(message.unwrap().contains("s3://elsewhere/b.mov"));
    // An unsupported second input fails before a refused output.
    let (code, _) = outcome("s3://in/a.mov", "ftp://h/b.mov", "s3://elsewhere/");
    assert_eq!(code, Some(job_access::INPUT_ERROR));
    let (code, message) = outcome("s3://in/a.mov", "https://h/b.mov", "s3://elsewhere/");
    assert_eq!(code, Some(job_access::ACCESS_DENIED));
    assert!(message.unwrap().contains("s3://elsewhere/"));
}

#[test]
fn queues_are_listed_by_creation_date_unless_by_name() {
    // The model: "If you don't specify, the service will list them by creation date".
    let s = service(Transitions::Manual);
    let names = |input: Value| -> Vec<String> {
        ok(&s, "ListQueues", input)["Queues"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| q["Name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(names(json!({})), ["Default"]);
    for q in ["Zulu", "Alpha"] {
        s.runtime.clock.advance(std::time::Duration::from_secs(2));
        ok(&s, "CreateQueue", json!({ "Name": q }));
    }
    assert_eq!(names(json!({})), ["Default", "Zulu", "Alpha"]);
    assert_eq!(
        names(json!({"ListBy": "CREATION_DATE"})),
        ["Default", "Zulu", "Alpha"]
    );
    assert_eq!(
        names(json!({"ListBy": "NAME"})),
        ["Alpha", "Default", "Zulu"]
    );
}

#[test]
fn describe_endpoints_is_authorized_on_the_accounts_endpoints() {
    let s = service(Transitions::Manual);
    let c = ctx("111111111111");
    let a = accesses(&s, &c, "DescribeEndpoints", json!({}));
    let got: Vec<(&str, &str)> = a
        .iter()
        .map(|x| (x.action.as_str(), x.resource.as_str()))
        .collect();
    assert_eq!(
        got,
        [(
            "mediaconvert:DescribeEndpoints",
            "arn:aws:mediaconvert:us-west-2:111111111111:endpoints/*"
        )]
    );
}

#[test]
fn hop_destinations_need_a_wait_and_another_queue_the_caller_has() {
    let s = service(Transitions::Manual);
    ok(&s, "CreateQueue", json!({"Name": "h1"}));
    let q = "arn:aws:mediaconvert:us-west-2:111111111111:queues/";
    let job = |queue: Option<&str>, hops: Value| {
        let mut input = job_input();
        if let Some(q) = queue {
            input["Queue"] = json!(q);
        }
        input["HopDestinations"] = hops;
        call(&s, "CreateJob", input)
    };
    let refused = |queue: Option<&str>, hops: Value| {
        let e = job(queue, hops).unwrap_err();
        (e.code, e.message)
    };
    let bad = |m: &str| ("BadRequestException".to_string(), m.to_string());
    assert_eq!(
        refused(None, json!([{"WaitMinutes": 10}])),
        bad(
            "/hopDestinations/0: queue is a required property when the job is submitted to the \
             default queue"
        )
    );
    assert_eq!(
        refused(
            Some("h1"),
            json!([{"WaitMinutes": 10, "Queue": format!("{q}h1")}])
        ),
        bad(
            "/hopDestinations/0/queue: h1 is the queue the job is submitted to; the destination \
             queue cannot be the original queue"
        )
    );
    assert_eq!(
        refused(None, json!([{"WaitMinutes": 10, "Queue": "Default"}])).1,
        "/hopDestinations/0/queue: Default is the queue the job is submitted to; the destination \
         queue cannot be the original queue"
    );
    for wait in [0, 4321] {
        assert_eq!(
            refused(
                Some("h1"),
                json!([{"WaitMinutes": wait, "Queue": format!("{q}Default")}])
            ),
            bad(&format!(
                "/hopDestinations/0/waitMinutes: {wait} is not valid; the valid range is 1 to \
                 4320 minutes, inclusive"
            ))
        );
    }
    assert_eq!(
        refused(Some("h1"), json!([{"Queue": format!("{q}Default")}])),
        bad("/hopDestinations/0: waitMinutes is a required property")
    );
    assert_eq!(
        refused(
            Some("h1"),
            json!([{"WaitMinutes": 10, "Queue": format!("{q}nosuchq")}])
        ),
        (
            "NotFoundException".to_string(),
            "Queue nosuchq does not exist".to_string()
        )
    );
    // From a queue other than Default the destination may be left out (it is Default).
    for (queue, hops) in [
        (Some("h1"), json!([{"WaitMinutes": 1}])),
        (
            Some("h1"),
            json!([{"WaitMinutes": 4320, "Queue": "Default", "Priority": 5}]),
        ),
        (
            None,
            json!([{"WaitMinutes": 10, "Queue": format!("{q}h1")}]),
        ),
    ] {
        let made = job(queue, hops.clone()).unwrap_or_else(|e| panic!("{hops}: {e}"));
        assert_eq!(made["Job"]["HopDestinations"], hops);
    }
    // A template's hops are checked against the template's queue (Default if none), when it
    // is made and when either changes.
    let mut tsettings = settings("s3://in/a.mov", "s3://out/");
    tsettings.as_object_mut().unwrap().remove("Inputs");
    let e = call(
        &s,
        "CreateJobTemplate",
        json!({"Name": "t", "Settings": tsettings.clone(),
               "HopDestinations": [{"WaitMinutes": 5}]}),
    )
    .unwrap_err();
    assert!(
        e.message
            .starts_with("/hopDestinations/0: queue is a required property"),
        "{e}"
    );
    ok(
        &s,
        "CreateJobTemplate",
        json!({"Name": "t", "Settings": tsettings.clone(), "Queue": "h1",
               "HopDestinations": [{"WaitMinutes": 5}]}),
    );
    let e = call(
        &s,
        "UpdateJobTemplate",
        json!({"Name": "t", "HopDestinations": [{"WaitMinutes": 5, "Queue": "h1"}]}),
    )
    .unwrap_err();
    assert!(e.message.contains("cannot be the original queue"), "{e}");
    let e = call(
        &s,
        "UpdateJobTemplate",
        json!({"Name": "t", "Queue": "Default"}),
    )
    .unwrap_err();
    assert!(
        e.message
            .starts_with("/hopDestinations/0: queue is a required property"),
        "{e}"
    );
    let e = call(
        &s,
        "UpdateJobTemplate",
        json!({"Name": "t", "HopDestinations": [{"WaitMinutes": 5, "Queue": "gone"}]}),
    )
    .unwrap_err();
    assert_eq!(e.code, "NotFoundException");
    ok(
        &s,
        "UpdateJobTemplate",
        json!({"Name": "t", "Queue": "Default", "HopDestinations": [{"WaitMinutes": 5, "Queue": "h1"}]}),
    );
    // A job from the template: its hops are checked against the job's queue.
    let mut input = job_input();
    input["JobTemplate"] = json!("t");
    input["Queue"] = json!("h1");
    let e = call(&s, "CreateJob", input).unwrap_err();
    assert!(e.message.contains("cannot be the original queue"), "{e}");
}

/// A job's `Status`, `AccelerationStatus` and `ErrorCode`.
type JobEnd = (String, String, Option<i64>);

#[test]
fn accelerated_jobs_need_on_demand_queues_and_video_in_every_output() {
    let s = service(Transitions::Manual);
    let c = ctx("111111111111");
    ok(
        &s,
        "CreateQueue",
        json!({"Name": "r1", "PricingPlan": "RESERVED",
               "ReservationPlanSettings": {"Commitment": "ONE_YEAR",
                   "RenewalType": "AUTO_RENEW", "ReservedSlots": 1}}),
    );
    let accelerated = |mode: &str, queue: Option<&str>, audio_only: bool| {
        let mut input = job_input();
        input["AccelerationSettings"] = json!({"Mode": mode});
        if let Some(q) = queue {
            input["Queue"] = json!(q);
        }
        if audio_only {
            let outputs = &mut input["Settings"]["OutputGroups"][0]["Outputs"];
            outputs[0]["NameModifier"] = json!("_v");
            outputs
                .as_array_mut()
                .unwrap()
                .push(json!({"NameModifier": "_a",
                "ContainerSettings": {"Container": "MP4"},
                "AudioDescriptions": [{"CodecSettings": {"Codec": "AAC"}}]}));
        }
        call(&s, "CreateJob", input)
    };
    // "Reserved queues cannot run accelerated jobs": ENABLED is refused, PREFERRED runs
    // without acceleration.
    let e = accelerated("ENABLED", Some("r1"), false).unwrap_err();
    assert_eq!(e.code, "BadRequestException");
    assert_eq!(
        e.message,
        "/accelerationSettings/mode: Reserved queues cannot run accelerated jobs: queue r1 is a \
         reserved queue. Submit the job to an on-demand queue, or set mode to PREFERRED to run it \
         without acceleration"
    );
    let status = |job: &Value| {
        let got = s
            .handle(&c, "GetJob", json!({"Id": job["Job"]["Id"]}))
            .unwrap()["Job"]
            .clone();
        (
            got["Status"].as_str().unwrap().to_string(),
            got["AccelerationStatus"].as_str().unwrap().to_string(),
            got["ErrorCode"].as_i64(),
        )
    };
    let jobs: Vec<(&str, Value)> = vec![
        ("enabled", accelerated("ENABLED", None, false).unwrap()),
        ("preferred", accelerated("PREFERRED", None, false).unwrap()),
        (
            "reserved",
            accelerated("PREFERRED", Some("r1"), false).unwrap(),
        ),
        ("enabled audio", accelerated("ENABLED", None, true).unwrap()),
        (
            "preferred audio",
            accelerated("PREFERRED", None, true).unwrap(),
        ),
    ];
    // IN_PROGRESS from submission on, while the service determines compatibility.
    for (what, job) in &jobs {
        assert_eq!(job["Job"]["AccelerationStatus"], "IN_PROGRESS", "{what}");
        assert_eq!(
            status(job),
            ("SUBMITTED".into(), "IN_PROGRESS".into(), None),
            "{what}"
        );
    }
    s.runtime.clock.advance(Duration::from_secs(60));
    let ends: Vec<(&str, JobEnd)> = jobs
        .iter()
        .map(|(what, job)| (*what, status(job)))
        .collect();
    let done = |a: &str| ("COMPLETE".to_string(), a.to_string(), None);
    assert_eq!(
        ends,
        [
            ("enabled", done("ACCELERATED")),
            ("preferred", done("ACCELERATED")),
            ("reserved", done("NOT_ACCELERATED")),
            (
                "enabled audio",
                (
                    "ERROR".into(),
                    "NOT_ACCELERATED".into(),
                    Some(job_access::NOT_ACCELERABLE)
                )
            ),
            ("preferred audio", done("NOT_ACCELERATED")),
        ]
    );
    let failed = s
        .handle(&c, "GetJob", json!({"Id": jobs[3].1["Job"]["Id"]}))
        .unwrap()["Job"]
        .clone();
    assert_eq!(
        failed["ErrorMessage"],
        "Job settings are not compatible with accelerated transcoding: output \
         [s3://out/cat_a.mp4] has no video, and accelerated transcoding doesn't support \
         audio-only outputs. Set AccelerationSettings Mode to PREFERRED to run such jobs without \
         acceleration, or to DISABLED"
    );
    // Without acceleration, audio-only outputs are fine.
    let mut input = job_input();
    input["Settings"]["OutputGroups"][0]["Outputs"][0] = json!({"ContainerSettings":
        {"Container": "MP4"}, "AudioDescriptions": [{"CodecSettings": {"Codec": "AAC"}}]});
    let plain = ok(&s, "CreateJob", input);
    s.runtime.clock.advance(Duration::from_secs(60));
    assert_eq!(
        status(&plain),
        ("COMPLETE".into(), "NOT_APPLICABLE".into(), None)
    );
}

#[test]
fn authorizing_a_job_and_checking_its_token_do_not_wait_while_another_job_is_stored() {
    let s = service(Transitions::Manual);
    let c = ctx("111111111111");
    ok(&s, "CreateQueue", json!({"Name": "q"}));
    let queue = model::arn(&c, "queues", "q");
    let mut input = job_input();
    input["ClientRequestToken"] = json!("tok-1");
    ok(&s, "CreateJob", input);
    // A job being stored holds the job table; what authorization reads (the queue, its
    // facts, the input policy) is in the other lock, and so are the request tokens.
    let storing = s.jobs.write();
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::scope(|scope| {
        scope.spawn(|| {
            let mut input = job_input();
            input["Queue"] = json!("q");
            let read = accesses(&s, &c, "CreateJob", input);
            let facts = s.stored(&c, &queue).is_some();
            let now = s.runtime.clock.now();
            let tokens = (
                s.token_slot(&c, "tok-1", now),
                s.token_slot(&c, "tok-2", now),
            );
            done.send((read.len(), facts, tokens)).unwrap();
        });
        let read = finished.recv_timeout(Duration::from_secs(30));
        // Released before any assertion, so a failure ends the test instead of hanging it.
        drop(storing);
        let (accesses, facts, tokens) = read.expect("authorization waited for the job table");
        assert!(accesses > 0 && facts);
        assert!(tokens.0.is_some() && tokens.1.is_none(), "{tokens:?}");
    });
}

#[test]
fn jobs_submitted_while_their_queue_is_paused_and_resumed_end_placed_as_it_is() {
    for round in 0..10 {
        let s = service(Transitions::Manual);
        let c = ctx("111111111111");
        ok(&s, "CreateQueue", json!({"Name": "q"}));
        let mut input = job_input();
        input["Queue"] = json!("q");
        std::thread::scope(|scope| {
            for _ in 0..3 {
                scope.spawn(|| {
                    for _ in 0..20 {
                        s.handle(&c, "CreateJob", input.clone()).unwrap();
                    }
                });
            }
            scope.spawn(|| {
                for i in 0..21 {
                    let status = if i % 2 == 0 { "PAUSED" } else { "ACTIVE" };
                    s.handle(&c, "UpdateQueue", json!({"Name": "q", "Status": status}))
                        .unwrap();
                }
            });
        });
        // The queue ended paused: every job, however its submission met the toggles, is held.
        s.runtime.clock.advance(Duration::from_secs(1000));
        let q = ok(&s, "GetQueue", json!({"Name": "q"}));
        assert_eq!(q["Queue"]["Status"], "PAUSED");
        assert_eq!(q["Queue"]["SubmittedJobsCount"], 60, "round {round}: {q}");
    }
}

#[test]
fn a_prune_of_the_unfinished_jobs_walks_a_step_per_job_submitted() {
    let s = service(Transitions::Manual);
    for _ in 0..1023 {
        ok(&s, "CreateJob", job_input());
    }
    s.runtime.clock.advance(Duration::from_secs(200));
    let kept = |s: &MediaConvert| s.jobs.read().active.len();
    // The 1,024th job starts the prune: its step drops 16 finished jobs, not all 1,023.
    ok(&s, "CreateJob", job_input());
    assert_eq!(kept(&s), 1024 - 16);
    ok(&s, "CreateJob", job_input());
    assert_eq!(kept(&s), 1025 - 32);
    // The walk catches up with the jobs submitted meanwhile and ends with only them.
    for _ in 0..70 {
        ok(&s, "CreateJob", job_input());
    }
    assert_eq!(kept(&s), 72);
    let q = ok(&s, "GetQueue", json!({"Name": "Default"}));
    assert_eq!(q["Queue"]["SubmittedJobsCount"], 72);
}

#[test]
fn a_token_slot_answers_only_with_a_job_that_carries_the_token() {
    let s = service(Transitions::Manual);
    let c = ctx("111111111111");
    let mut input = job_input();
    input["ClientRequestToken"] = json!("tok-a");
    let a = ok(&s, "CreateJob", input)["Job"]["Id"].clone();
    let arn = model::arn(&c, "jobs", a.as_str().unwrap());
    // As if another token's slot hashed to the same number: it points at a's job.
    {
        let jobs = s.jobs.read();
        let key = jobs.store.key(&arn).unwrap();
        let now = s.runtime.clock.now();
        s.request_tokens
            .lock()
            .insert("111111111111", "us-west-2", "tok-b", key.clone(), now);
        assert!(jobs.with_token(&c, &key, "tok-a").is_some());
        assert_eq!(s.token_slot(&c, "tok-b", now).as_ref(), Some(&key));
        assert!(jobs.with_token(&c, &key, "tok-b").is_none());
    }
    let mut input = job_input();
    input["ClientRequestToken"] = json!("tok-b");
    let b = ok(&s, "CreateJob", input)["Job"]["Id"].clone();
    assert_ne!(a, b, "a token answered with a job it did not create");
}

#[test]
fn written_job_answers_are_the_models_serialization_of_their_views() {
    // `handle_output` writes the answers about jobs straight to text; debug builds (this test)
    // check it against the model's serialization of the view and answer an internal error
    // if the two differ. Jobs in every state an answer can show, with every member set.
    for mode in [Transitions::Manual, Transitions::Instant] {
        let s = service(mode);
        let c = ctx("111111111111");
        ok(&s, "CreateQueue", json!({"Name": "hop"}));
        ok(
            &s,
            "CreateQueue",
            json!({"Name": "held", "Status": "PAUSED"}),
        );
        let mut rich = job_input();
        rich["Queue"] = json!("held");
        rich["Priority"] = json!(-7);
        // Letters of other scripts in the metadata; a quote and a backslash, which metadata may
        // not hold, in the token (any ASCII), so the writer's escapes are still exercised.
        rich["UserMetadata"] = json!({"b": "é and 値: 3", "a": "1"});
        rich["StatusUpdateInterval"] = json!("SECONDS_10");
        rich["AccelerationSettings"] = json!({"Mode": "PREFERRED"});
        rich["HopDestinations"] = json!([{"WaitMinutes": 5, "Queue": "hop", "Priority": 3}]);
        rich["BillingTagsSource"] = json!("JOB");
        rich["SimulateReservedQueue"] = json!("DISABLED");
        rich["ElementalInferenceSettings"] = json!({"FeedConfigurationSource":
            {"FeedArn": "arn:aws:elemental-inference:us-west-2:111111111111:feed/abcdefghij012345678"}});
        rich["ClientRequestToken"] = json!("tok \"written\" \\ \t");
        rich["JobEngineVersion"] = json!(crate::endpoints::ENGINE_VERSIONS[1].0);
        rich["Tags"] = json!({"k": "v"});
        let mut unwritable = job_input();
        unwritable["Settings"] = settings("s3://in/cat.mov", "s3://elsewhere/");
        let mut untrusting = job_input();
        untrusting["Role"] = json!(UNTRUSTING);
        let mut templated = job_input();
        templated["JobTemplate"] = json!("System-Ott_Hls_Ts_Avc_Aac");
        templated["AccelerationSettings"] = json!({"Mode": "ENABLED"});
        let mut first_rich = None;
        for (name, input) in [
            ("plain", job_input()),
            ("rich", rich.clone()),
            ("retried", rich),
            ("unwritable", unwritable),
            ("untrusting", untrusting),
            ("templated", templated),
        ] {
            let out = s
                .handle_output(&c, "CreateJob", input)
                .unwrap_or_else(|e| panic!("{mode:?} {name}: {e}"));
            // A retry's answer, the first job's, is written too.
            let m = out.member.as_ref().expect("CreateJob's job written");
            assert_eq!(m.member(), "Job");
            let job: Value = serde_json::from_slice(m.text()).unwrap();
            let id = job["id"].as_str().map(str::to_string);
            let id = id.unwrap_or_else(|| panic!("{mode:?} {name}: no id"));
            if name == "retried" {
                assert_eq!(Some(&id), first_rich.as_ref(), "{mode:?}: the retry's job");
            }
            if name == "rich" {
                first_rich = Some(id.clone());
            }
            // GetJob's written answer (checked the same way) says what its view says.
            let view = ok(&s, "GetJob", json!({"Id": id}));
            let got = s
                .handle_output(&c, "GetJob", json!({"Id": id}))
                .unwrap_or_else(|e| panic!("{mode:?} {name} GetJob: {e}"));
            let m = got.member.as_ref().expect("GetJob's job written");
            assert_eq!(m.member(), "Job");
            let job: Value = serde_json::from_slice(m.text()).unwrap();
            assert_eq!(job["id"], view["Job"]["Id"], "{mode:?} {name}");
            assert_eq!(job["status"], view["Job"]["Status"], "{mode:?} {name}");
        }
        // The listings write each of those jobs the same way (each checked alike): their
        // bodies are the model's serialization of their views, token and status included.
        let model = protocol::Registry::shared().model("mediaconvert").unwrap();
        let query = ok(
            &s,
            "StartJobsQuery",
            json!({"FilterList": [{"Key": "queue", "Values": ["held", "Default"]}]}),
        );
        let listings = [
            ("ListJobs", json!({})),
            ("ListJobs", json!({"MaxResults": 2, "Order": "ASCENDING"})),
            ("SearchJobs", json!({"InputFile": "cat", "MaxResults": 3})),
            (
                "GetJobsQueryResults",
                json!({"Id": query["Id"], "MaxResults": 4}),
            ),
        ];
        for (operation, input) in listings {
            let views = ok(&s, operation, input.clone());
            let written = s
                .handle_output(&c, operation, input.clone())
                .unwrap_or_else(|e| panic!("{mode:?} {operation}: {e}"));
            let list = written.rendered.as_ref().expect("the jobs written");
            assert_eq!(list.member(), "Jobs");
            assert_eq!(list.len(), views["Jobs"].as_array().unwrap().len());
            let empty = input.get("InputFile") == Some(&json!("no such input"));
            assert_eq!(list.len() < 2, empty, "{mode:?} {operation}: {views}");
            let op = model.operation(operation).unwrap();
            assert_eq!(
                model.serialize_rendered(op, written, "rid"),
                model.serialize_output(op, &views, "rid"),
                "{mode:?} {operation}"
            );
        }
    }
    // An unknown job: GetJob's NotFoundException, as from the view's path.
    let s = service(Transitions::Manual);
    let c = ctx("111111111111");
    let e = s
        .handle_output(&c, "GetJob", json!({"Id": "1700000000000-abcdef"}))
        .expect_err("no such job");
    assert_eq!(e.code, "NotFoundException");
}

/// The journal record `s` holds of `key`.
fn record_of(s: &MediaConvert, key: &str) -> Record {
    let record = s.records().into_iter().find(|r| r.key == key);
    record.unwrap_or_else(|| panic!("no record of {key}"))
}

/// A copy of a job CreateJob just stored (its settings the test input's), and its ARN.
fn a_stored_job(s: &MediaConvert) -> (model::Job, String) {
    let c = ctx("111111111111");
    let id = ok(s, "CreateJob", job_input())["Job"]["Id"].clone();
    let arn = model::arn(&c, "jobs", id.as_str().unwrap());
    let job = s.jobs.read().store.get(&arn).unwrap().value.clone();
    (job, arn)
}

#[test]
fn getjob_and_createjob_answer_jobs_of_one_shape() {
    // GetJob's answer is written with CreateJob's renderers: the model serializes a job's
    // view the same under both operations' `Job` members.
    let s = service(Transitions::Manual);
    let (job, arn) = a_stored_job(&s);
    let view = job.view(&arn, &s.runtime.clock);
    static CELL: std::sync::OnceLock<Option<[protocol::ItemRenderer<'static>; 2]>> =
        std::sync::OnceLock::new();
    let [create, get] = kit::model_renderer(&CELL, "mediaconvert", |m| {
        Some([
            m.member_renderer("CreateJob", "Job")?,
            m.member_renderer("GetJob", "Job")?,
        ])
    })
    .expect("both operations answer a Job");
    assert_eq!(create.render(&view), get.render(&view));
}

#[test]
fn a_job_journaled_with_its_settings_by_member_name_restores_with_them_rendered() {
    // Journals before `wire_settings` hold a job's settings as the text of its member-named
    // value under `settings`: restored, the job answers as the job it was.
    let s = service(Transitions::Manual);
    let (job, arn) = a_stored_job(&s);
    let before = ok(&s, "GetJob", json!({"Id": job.id}));
    let view = job.view(&arn, &s.runtime.clock);
    let mut record = record_of(&s, &arn);
    let value = record.value.as_mut().unwrap();
    let members = value.as_object_mut().unwrap();
    assert_eq!(
        members.remove("wire_settings"),
        Some(json!(
            String::from_utf8(job.settings.as_bytes().to_vec()).unwrap()
        ))
    );
    members.insert("settings".into(), json!(view["Settings"].to_string()));
    let replica = service(Transitions::Manual);
    replica.restore(&record).unwrap();
    let restored = replica.jobs.read().store.get(&arn).unwrap().value.clone();
    assert_eq!(restored.settings, job.settings);
    assert_eq!(restored.older_settings, None);
    assert_eq!(ok(&replica, "GetJob", json!({"Id": job.id})), before);
    // A record with neither form of the settings is refused, not restored empty.
    let mut bare = record.clone();
    bare.value
        .as_mut()
        .unwrap()
        .as_object_mut()
        .unwrap()
        .remove("settings");
    let e = service(Transitions::Manual).restore(&bare).unwrap_err();
    assert!(e.contains("a job without settings"), "{e}");
    // Journaled again, it is in the current shape.
    let again = record_of(&replica, &arn);
    let again = again.value.unwrap();
    assert!(again.get("settings").is_none() && again.get("wire_settings").is_some());
}

#[test]
fn a_journaled_job_restores_with_its_words_static_and_journals_the_same_record() {
    // A job's vocabulary words (interval, codecs, engine version) are journaled as their
    // text, as they were when they were `String`s: a record of that shape restores to the
    // same job, the known words as static text, and is journaled again unchanged.
    let s = service(Transitions::Manual);
    let c = ctx("111111111111");
    let mut input = job_input();
    input["StatusUpdateInterval"] = json!("SECONDS_120");
    input["UserMetadata"] = json!({"b": "2", "a": "1"});
    input["Settings"]["OutputGroups"][0]["Outputs"][0]["AudioDescriptions"] =
        json!([{"CodecSettings": {"Codec": "AAC"}}, {"CodecSettings": {"Codec": "AC3"}}]);
    input["Settings"]["OutputGroups"][0]["Outputs"][0]["VideoDescription"]["CodecSettings"] =
        json!({"Codec": "H_265"});
    let id = ok(&s, "CreateJob", input)["Job"]["Id"].clone();
    let arn = model::arn(&c, "jobs", id.as_str().unwrap());
    let job = s.jobs.read().store.get(&arn).unwrap().value.clone();
    let record = record_of(&s, &arn);
    let value = record.value.clone().unwrap();
    // The record's shape, as journals before `Word` have it.
    assert_eq!(value["status_update_interval"], json!("SECONDS_120"));
    assert_eq!(value["video_codecs"], json!(["H_265"]));
    assert_eq!(value["audio_codecs"], json!(["AAC", "AC3"]));
    // Boxed slices are journaled as the Vecs were.
    assert_eq!(value["user_metadata"], json!([["a", "1"], ["b", "2"]]));
    assert_eq!(value["inputs"], json!(["s3://in/cat.mov"]));
    assert_eq!(value["output_groups"][0][0]["frame"], json!([1280, 720]));
    assert_eq!(
        value["engine_used"],
        json!(model::Word::new("2025-06-01").as_str())
    );
    let replica = service(Transitions::Manual);
    replica.restore(&record).unwrap();
    let restored = replica.jobs.read().store.get(&arn).unwrap().value.clone();
    assert_eq!(restored, job);
    let words = restored
        .video_codecs
        .iter()
        .chain(&restored.audio_codecs)
        .chain([&restored.status_update_interval])
        .chain(&restored.engine_used);
    assert!(words.clone().all(model::Word::is_static));
    assert_eq!(words.count(), 5);
    let again = record_of(&replica, &arn);
    assert_eq!(again.value, Some(value.clone()));
    assert_eq!(
        ok(&replica, "GetJob", json!({"Id": id})),
        ok(&s, "GetJob", json!({"Id": id}))
    );
    // A word no vocabulary here knows is kept as given.
    let mut other = record.clone();
    let members = other.value.as_mut().unwrap();
    members["video_codecs"] = json!(["H_266"]);
    members["status_update_interval"] = json!("SECONDS_7");
    let replica = service(Transitions::Manual);
    replica.restore(&other).unwrap();
    let restored = replica.jobs.read().store.get(&arn).unwrap().value.clone();
    assert_eq!(*restored.video_codecs, [model::Word::new("H_266")]);
    assert!(!restored.video_codecs[0].is_static());
    assert_eq!(restored.status_update_interval.as_str(), "SECONDS_7");
    let again = record_of(&replica, &arn);
    assert_eq!(again.value, other.value);
}

#[test]
fn jobs_share_their_queues_arn_with_the_queue_store() {
    // A job keeps its queue's ARN as the queue store's key, not a copy of its own; what it
    // answers and journals is the same text.
    let s = service(Transitions::Manual);
    let c = ctx("111111111111");
    ok(&s, "CreateQueue", json!({"Name": "q"}));
    let mut named = job_input();
    named["Queue"] = json!("q");
    for (input, queue) in [(job_input(), "Default"), (named, "q")] {
        let queue = model::arn(&c, "queues", queue);
        let first = ok(&s, "CreateJob", input.clone())["Job"].clone();
        let id = ok(&s, "CreateJob", input)["Job"]["Id"].clone();
        let arn = model::arn(&c, "jobs", id.as_str().unwrap());
        let key = s.state.read().queues.key(&queue).unwrap();
        let jobs = s.jobs.read();
        let job = &jobs.store.get(&arn).unwrap().value;
        assert!(job.queue.shares(&key), "{queue}");
        assert_eq!(job.queue.as_str(), queue);
        assert_eq!(first["Queue"], json!(queue));
        drop(jobs);
        assert_eq!(
            ok(&s, "GetJob", json!({"Id": id}))["Job"]["Queue"],
            json!(queue)
        );
        let record = record_of(&s, &arn);
        assert_eq!(record.value.unwrap()["queue"], json!(queue));
    }
    // Restored after their queues (as a journal has them), the jobs share the keys again.
    let replica = service(Transitions::Manual);
    for record in s.records() {
        replica.restore(&record).unwrap();
    }
    let state = replica.state.read();
    let jobs = replica.jobs.read();
    let mut restored = 0;
    for (_, j) in jobs.store.iter_in(&c) {
        let key = state.queues.key(&j.value.queue).unwrap();
        assert!(j.value.queue.shares(&key), "{}", j.value.queue.as_str());
        restored += 1;
    }
    assert_eq!(restored, 4);
}

#[test]
fn a_written_answer_off_its_output_shape_is_refused_in_debug_builds() {
    // The server's path writes the answers about jobs as text; their views still pass the
    // output shape check every answer passes (here a status update interval off its enum).
    let s = service(Transitions::Manual);
    let (job, arn) = a_stored_job(&s);
    let r = job_wire::renderers().unwrap();
    let clock = &s.runtime.clock;
    let mut off = job.clone();
    off.status_update_interval = "SECONDS_7".into();
    for operation in [
        "CreateJob",
        "GetJob",
        "ListJobs",
        "SearchJobs",
        "GetJobsQueryResults",
    ] {
        let answer = |job| match operation {
            "CreateJob" | "GetJob" => job_wire::answer(operation, job, &arn, clock, r),
            _ => job_wire::list_answer(operation, &[(&arn, job)], clock, serde_json::Map::new(), r),
        };
        assert!(answer(&job).is_ok(), "{operation}");
        let e = answer(&off).unwrap_err();
        assert!(
            e.message.contains("off its output shape"),
            "{operation}: {e}"
        );
    }
}

#[test]
fn jobs_submitted_with_the_same_settings_keep_one_text_and_answer_alike() {
    let s = service(Transitions::Manual);
    let c = ctx("111111111111");
    let stored = |id: &Value| {
        let arn = model::arn(&c, "jobs", id.as_str().unwrap());
        s.jobs.read().store.get(&arn).unwrap().value.clone()
    };
    let first = ok(&s, "CreateJob", job_input())["Job"].clone();
    let second = ok(&s, "CreateJob", job_input())["Job"].clone();
    let mut other_input = job_input();
    other_input["Settings"] = settings("s3://in/dog.mov", "s3://out/");
    let other = ok(&s, "CreateJob", other_input)["Job"].clone();
    let third = ok(&s, "CreateJob", job_input())["Job"].clone();
    let (a, b, o, d) = (
        stored(&first["Id"]),
        stored(&second["Id"]),
        stored(&other["Id"]),
        stored(&third["Id"]),
    );
    assert!(a.settings.shares(&b.settings), "equal settings, one text");
    assert!(!a.settings.shares(&o.settings) && a.settings != o.settings);
    // Only the last stored text is shared: after another job's settings, a new copy.
    assert!(!a.settings.shares(&d.settings) && a.settings == d.settings);
    assert_eq!(first["Settings"], second["Settings"]);
    assert_eq!(
        ok(&s, "GetJob", json!({"Id": second["Id"]}))["Job"]["Settings"],
        first["Settings"]
    );
    assert_eq!(
        other["Settings"]["Inputs"][0]["FileInput"],
        "s3://in/dog.mov"
    );
    // Restored from the journal, jobs with equal settings share them again; the journal
    // holds each job's text whole.
    let replica = service(Transitions::Manual);
    let records = s.records();
    let record_of = |job: &model::Job| records.iter().find(|r| r.key.ends_with(&*job.id));
    for r in records.iter().filter(|r| !r.key.contains(":jobs/")) {
        replica.restore(r).unwrap();
    }
    for job in [&a, &b] {
        replica.restore(record_of(job).unwrap()).unwrap();
    }
    let restored = |job: &model::Job| {
        let arn = model::arn(&c, "jobs", &job.id);
        replica.jobs.read().store.get(&arn).unwrap().value.clone()
    };
    let (ra, rb) = (restored(&a), restored(&b));
    assert!(ra.settings.shares(&rb.settings) && ra.settings == a.settings);
    assert_eq!(
        record_of(&b).unwrap().value.as_ref().unwrap()["wire_settings"],
        json!(String::from_utf8(a.settings.as_bytes().to_vec()).unwrap())
    );
}

/// A preset's settings that pass `check_settings`.
fn preset_settings() -> Value {
    json!({"ContainerSettings": {"Container": "MP4"},
           "VideoDescription": {"CodecSettings": {"Codec": "H_264"}}})
}

#[test]
fn new_names_may_not_be_empty_or_begin_with_system() {
    let s = service(Transitions::Manual);
    let mut t_settings = settings("s3://unused/x.mov", "s3://out/t/");
    t_settings["Inputs"] = json!([]);
    let create = |op: &str, name: &str| -> Result<Value, ServiceError> {
        let input = match op {
            "CreateQueue" => json!({"Name": name}),
            "CreatePreset" => json!({"Name": name, "Settings": preset_settings()}),
            _ => json!({"Name": name, "Settings": t_settings}),
        };
        call(&s, op, input)
    };
    // AWS's names (the system catalog's) all take the prefix, so none of the caller's can
    // be taken for one of them.
    assert!(system_presets::SYSTEM_PRESETS
        .iter()
        .map(|p| p.name)
        .chain(system_templates::SYSTEM_TEMPLATES.iter().map(|t| t.name))
        .all(|n| n.starts_with(rules::SYSTEM_PREFIX)));
    for op in ["CreateQueue", "CreatePreset", "CreateJobTemplate"] {
        for (name, message) in [
            (
                "System-Generic_Mp4_Hev1_Avc_Aac_Sdr_Qvbr-abcvod-dev",
                "'System-Generic_Mp4_Hev1_Avc_Aac_Sdr_Qvbr-abcvod-dev' is not a valid name, the \
                 name cannot begin with 'System-'.",
            ),
            (
                "System-Avc_16x9_720p_29_97fps_3500kbps",
                "'System-Avc_16x9_720p_29_97fps_3500kbps' is not a valid name, the name cannot \
                 begin with 'System-'.",
            ),
            ("", "'' is not a valid name, the name cannot be empty."),
        ] {
            let e = create(op, name).unwrap_err();
            assert_eq!(
                (e.code.as_str(), e.message.as_str()),
                ("BadRequestException", message),
                "{op} {name:?}"
            );
        }
        // Nothing was made: not even the empty name's unreachable ARN.
        assert!(create(op, "system-mine").is_ok(), "{op}");
        assert!(create(op, "Mine-System-x").is_ok(), "{op}");
    }
    let listed = |op: &str, list: &str| -> Vec<String> {
        ok(&s, op, json!({}))[list]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["Name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        listed("ListPresets", "Presets"),
        ["Mine-System-x", "system-mine"]
    );
    assert_eq!(
        listed("ListJobTemplates", "JobTemplates"),
        ["Mine-System-x", "system-mine"]
    );
    let mut queues = listed("ListQueues", "Queues");
    queues.sort();
    assert_eq!(queues, ["Default", "Mine-System-x", "system-mine"]);
}

#[test]
fn updates_look_names_up_and_keep_changing_resources_named_before_the_rule() {
    // A journal from before the name rule may hold resources named `System-…`: restored, they
    // are still read, changed and deleted by name; a name nobody has is not found.
    let s = service(Transitions::Manual);
    let mut t_settings = settings("s3://unused/x.mov", "s3://out/t/");
    t_settings["Inputs"] = json!([]);
    ok(&s, "CreateQueue", json!({"Name": "legacy"}));
    ok(
        &s,
        "CreatePreset",
        json!({"Name": "legacy", "Settings": preset_settings()}),
    );
    ok(
        &s,
        "CreateJobTemplate",
        json!({"Name": "legacy", "Settings": t_settings}),
    );
    let replica = service(Transitions::Manual);
    for mut r in s.records() {
        if let Some(rest) = r.key.strip_suffix("/legacy") {
            r.key = format!("{rest}/System-legacy");
            r.value.as_mut().unwrap()["name"] = json!("System-legacy");
        }
        replica.restore(&r).unwrap();
    }
    let s = replica;
    for (kind, get, update, delete) in [
        ("Queue", "GetQueue", "UpdateQueue", "DeleteQueue"),
        ("Preset", "GetPreset", "UpdatePreset", "DeletePreset"),
        (
            "JobTemplate",
            "GetJobTemplate",
            "UpdateJobTemplate",
            "DeleteJobTemplate",
        ),
    ] {
        let named = json!({"Name": "System-legacy"});
        assert_eq!(ok(&s, get, named.clone())[kind]["Name"], "System-legacy");
        let changed = ok(
            &s,
            update,
            json!({"Name": "System-legacy", "Description": "kept"}),
        );
        assert_eq!(changed[kind]["Description"], "kept", "{update}");
        assert!(changed[kind]["Arn"]
            .as_str()
            .unwrap()
            .ends_with("/System-legacy"));
        let e = call(
            &s,
            update,
            json!({"Name": "System-nobody", "Description": "x"}),
        )
        .unwrap_err();
        assert_eq!(e.code, "NotFoundException", "{update}");
        ok(&s, delete, named.clone());
        assert_eq!(
            call(&s, get, named).unwrap_err().code,
            "NotFoundException",
            "{get}"
        );
    }
}

#[test]
fn job_user_metadata_and_request_tokens_are_checked_before_anything_is_made() {
    let s = service(Transitions::Instant);
    let c = ctx("111111111111");
    let refused = |member: &str, value: Value| -> String {
        let mut input = job_input();
        input[member] = value;
        // Both CreateJob paths: the answer as a value and as wire text.
        let e = s.handle(&c, "CreateJob", input.clone()).unwrap_err();
        let wire = s.handle_output(&c, "CreateJob", input).unwrap_err();
        assert_eq!((&e.code, &e.message), (&wire.code, &wire.message));
        assert_eq!(e.code, "BadRequestException");
        e.message
    };
    let eleven: serde_json::Map<String, Value> =
        (0..11).map(|i| (format!("k{i}"), json!("v"))).collect();
    assert_eq!(
        refused("UserMetadata", Value::Object(eleven)),
        "/userMetadata: Should have at most 10 properties; metadata tags on a job are limited \
         to 10"
    );
    assert!(
        refused("UserMetadata", json!({"k".repeat(129): "v"})).starts_with("/userMetadata: kkkk")
    );
    assert!(refused("UserMetadata", json!({"k": "v".repeat(257)}))
        .starts_with("/userMetadata/k: the value is not a valid value; it has 257 characters"));
    assert!(refused("UserMetadata", json!({"k!*": "v"}))
        .starts_with("/userMetadata: k!* is not a valid key; '!' is not allowed"));
    assert!(refused("ClientRequestToken", json!("x".repeat(65)))
        .starts_with("/clientRequestToken: the token has 65 characters"));
    assert!(refused("ClientRequestToken", json!("é"))
        .starts_with("/clientRequestToken: 'é' is not an ASCII character"));
    assert_eq!(s.jobs.read().store.len(), 0);
    // At the limits the job is made, its metadata and token kept.
    let mut input = job_input();
    let ten: serde_json::Map<String, Value> = (0..10)
        .map(|i| (format!("k{i} {}", "é".repeat(120)), json!("v".repeat(256))))
        .collect();
    input["UserMetadata"] = Value::Object(ten.clone());
    input["ClientRequestToken"] = json!("t".repeat(64));
    let job = ok(&s, "CreateJob", input)["Job"].clone();
    assert_eq!(job["UserMetadata"], Value::Object(ten));
    assert_eq!(job["ClientRequestToken"], "t".repeat(64));
}

/// Submits a job to `queue` with `priority`; its ID.
fn submit_to(s: &MediaConvert, queue: &str, priority: i64) -> String {
    submit_as(s, &ctx("111111111111"), queue, priority)
}

/// Submits a job to `queue` with `priority` in the request context `c`; its ID.
fn submit_as(s: &MediaConvert, c: &RequestContext, queue: &str, priority: i64) -> String {
    let mut input = job_input();
    input["Queue"] = json!(queue);
    input["Priority"] = json!(priority);
    s.handle(c, "CreateJob", input).unwrap()["Job"]["Id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Each job's status, in order.
fn statuses(s: &MediaConvert, ids: &[String]) -> Vec<String> {
    ids.iter()
        .map(|id| {
            ok(s, "GetJob", json!({ "Id": id }))["Job"]["Status"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

/// GetQueue's (SubmittedJobsCount, ProgressingJobsCount), checked against ListQueues'.
fn queue_counts(s: &MediaConvert, name: &str) -> (i64, i64) {
    let counted = |q: &Value| {
        (
            q["SubmittedJobsCount"].as_i64().unwrap(),
            q["ProgressingJobsCount"].as_i64().unwrap(),
        )
    };
    let got = counted(&ok(s, "GetQueue", json!({ "Name": name }))["Queue"]);
    let listed = ok(s, "ListQueues", json!({}));
    let q = listed["Queues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["Name"] == name)
        .expect("listed");
    assert_eq!(counted(q), got, "ListQueues counts as GetQueue does");
    got
}

fn reserved_queue(s: &MediaConvert, name: &str, slots: i64) {
    ok(
        s,
        "CreateQueue",
        json!({"Name": name, "PricingPlan": "RESERVED",
            "ReservationPlanSettings": {"Commitment": "ONE_YEAR",
                "RenewalType": "EXPIRE", "ReservedSlots": slots}}),
    );
}

/// An on-demand queue that runs `concurrent` jobs at once.
fn on_demand_queue(s: &MediaConvert, name: &str, concurrent: i64) {
    ok(
        s,
        "CreateQueue",
        json!({"Name": name, "ConcurrentJobs": concurrent}),
    );
}

fn advance(s: &MediaConvert, seconds: u64) {
    s.runtime.clock.advance(Duration::from_secs(seconds));
}

const S: &str = "SUBMITTED";
const P: &str = "PROGRESSING";
const C: &str = "COMPLETE";
const X: &str = "CANCELED";

#[test]
fn a_reserved_queue_runs_as_many_jobs_as_it_has_slots_by_priority_then_submission() {
    let s = service(Transitions::Manual);
    reserved_queue(&s, "r2", 2);
    // "If you send five jobs to a reserved queue with two RTS, MediaConvert immediately
    // begins processing the first two jobs that you submit, and it holds the other three."
    let ids: Vec<String> = [0, 0, 0, 0, 10]
        .iter()
        .map(|p| submit_to(&s, "r2", *p))
        .collect();
    assert_eq!(queue_counts(&s, "r2"), (5, 0));
    advance(&s, 2);
    assert_eq!(statuses(&s, &ids), [P, P, S, S, S]);
    assert_eq!(queue_counts(&s, "r2"), (3, 2));
    advance(&s, 7);
    assert_eq!(statuses(&s, &ids), [P, P, S, S, S]);
    // The first two finish: the next two start at once, the later job of priority 10
    // before the earlier one of priority 0.
    advance(&s, 1);
    assert_eq!(statuses(&s, &ids), [C, C, P, S, P]);
    let job = |id: &str| ok(&s, "GetJob", json!({ "Id": id }))["Job"].clone();
    let started = job(&ids[4]);
    assert_eq!(started["JobPercentComplete"], 0);
    assert!(started["Timing"]["StartTime"].is_i64());
    assert!(job(&ids[3])["Timing"].get("StartTime").is_none());
    assert_eq!(queue_counts(&s, "r2"), (1, 2));
    advance(&s, 8);
    assert_eq!(statuses(&s, &ids), [C, C, C, P, C]);
    advance(&s, 8);
    assert_eq!(statuses(&s, &ids), [C, C, C, C, C]);
    assert_eq!(queue_counts(&s, "r2"), (0, 0));
    // Another queue's jobs do not wait for these.
    let other = submit_to(&s, "Default", 0);
    advance(&s, 2);
    assert_eq!(statuses(&s, &[other]), [P]);
}

#[test]
fn an_on_demand_queue_runs_its_concurrent_jobs_and_more_when_raised() {
    let s = service(Transitions::Manual);
    on_demand_queue(&s, "od1", 1);
    let ids: Vec<String> = (0..4).map(|_| submit_to(&s, "od1", 0)).collect();
    advance(&s, 3);
    assert_eq!(statuses(&s, &ids), [P, S, S, S]);
    assert_eq!(queue_counts(&s, "od1"), (3, 1));
    advance(&s, 7);
    assert_eq!(statuses(&s, &ids), [C, P, S, S]);
    // Two more slots: the waiting jobs start at once, not a SUBMITTED step later.
    ok(
        &s,
        "UpdateQueue",
        json!({"Name": "od1", "ConcurrentJobs": 3}),
    );
    assert_eq!(statuses(&s, &ids), [C, P, P, P]);
    assert_eq!(queue_counts(&s, "od1"), (0, 3));
    // A queue without `ConcurrentJobs` runs every job at once, as before.
    ok(&s, "CreateQueue", json!({"Name": "open"}));
    let open: Vec<String> = (0..3).map(|_| submit_to(&s, "open", 0)).collect();
    advance(&s, 2);
    assert_eq!(statuses(&s, &open), [P, P, P]);
}

#[test]
fn a_canceled_job_frees_its_slot_or_its_place_at_once() {
    let s = service(Transitions::Manual);
    on_demand_queue(&s, "od1", 1);
    let ids: Vec<String> = (0..4).map(|_| submit_to(&s, "od1", 0)).collect();
    advance(&s, 3);
    assert_eq!(statuses(&s, &ids), [P, S, S, S]);
    // The running job canceled: the next starts now.
    ok(&s, "CancelJob", json!({"Id": ids[0]}));
    assert_eq!(statuses(&s, &ids), [X, P, S, S]);
    // A waiting job canceled: the one behind it moves up.
    ok(&s, "CancelJob", json!({"Id": ids[2]}));
    advance(&s, 7);
    assert_eq!(statuses(&s, &ids), [X, P, X, S]);
    advance(&s, 1);
    assert_eq!(statuses(&s, &ids), [X, C, X, P]);
    let canceled = ok(&s, "GetJob", json!({"Id": ids[2]}))["Job"].clone();
    assert!(canceled["Timing"].get("StartTime").is_none(), "{canceled}");
}

#[test]
fn a_resumed_queue_starts_its_held_jobs_by_priority_in_its_slots() {
    let s = service(Transitions::Manual);
    reserved_queue(&s, "r1", 1);
    let ids: Vec<String> = [0, 0, 5].iter().map(|p| submit_to(&s, "r1", *p)).collect();
    advance(&s, 3);
    assert_eq!(statuses(&s, &ids), [P, S, S]);
    ok(&s, "UpdateQueue", json!({"Name": "r1", "Status": "PAUSED"}));
    // The running job carries on; the others are held however long the pause lasts.
    advance(&s, 30);
    assert_eq!(statuses(&s, &ids), [C, S, S]);
    assert_eq!(queue_counts(&s, "r1"), (2, 0));
    ok(&s, "UpdateQueue", json!({"Name": "r1", "Status": "ACTIVE"}));
    advance(&s, 2);
    assert_eq!(statuses(&s, &ids), [C, S, P]);
    advance(&s, 8);
    assert_eq!(statuses(&s, &ids), [C, P, C]);
    // A job submitted while paused waits in the queue's order once resumed.
    ok(&s, "UpdateQueue", json!({"Name": "r1", "Status": "PAUSED"}));
    let late = submit_to(&s, "r1", 0);
    ok(&s, "UpdateQueue", json!({"Name": "r1", "Status": "ACTIVE"}));
    advance(&s, 8);
    assert_eq!(statuses(&s, &[ids[1].clone(), late.clone()]), [C, P]);
}

#[test]
fn instant_transitions_finish_every_job_whatever_the_slots() {
    let s = service(Transitions::Instant);
    reserved_queue(&s, "r1", 1);
    let ids: Vec<String> = (0..3).map(|_| submit_to(&s, "r1", 0)).collect();
    assert_eq!(statuses(&s, &ids), [C, C, C]);
    assert_eq!(queue_counts(&s, "r1"), (0, 0));
}

#[test]
fn restored_jobs_keep_their_places_and_later_jobs_queue_behind_them() {
    let s = service(Transitions::Manual);
    let c = ctx("111111111111");
    s.handle(
        &c,
        "CreateQueue",
        json!({"Name": "r2", "PricingPlan": "RESERVED",
            "ReservationPlanSettings": {"Commitment": "ONE_YEAR",
                "RenewalType": "EXPIRE", "ReservedSlots": 2}}),
    )
    .unwrap();
    // The priority-3 job outranks jobs waiting: its queue is placed again, and journaled.
    let mut ids: Vec<String> = [0, 0, 0, 0, 3]
        .iter()
        .map(|p| submit_as(&s, &c, "r2", *p))
        .collect();
    advance(&s, 3);
    assert_eq!(statuses(&s, &ids), [P, P, S, S, S]);
    let replica = service(Transitions::Manual);
    advance(&replica, 3);
    for (_, r) in c.journal.take() {
        replica.restore(&r).unwrap();
    }
    assert_eq!(replica.records(), s.records());
    // The same submissions after the restart land in the same places: one of priority 3
    // goes before the priority-0 jobs waiting, one of priority 0 after every one of them.
    let mut replica_ids = ids.clone();
    for p in [3, 0] {
        ids.push(submit_to(&s, "r2", p));
        replica_ids.push(submit_to(&replica, "r2", p));
    }
    for step in 0..5 {
        let seen = statuses(&s, &ids);
        assert_eq!(statuses(&replica, &replica_ids), seen, "step {step}");
        advance(&s, 4);
        advance(&replica, 4);
    }
    // At 23: 0 and 1 ran 2-10; 4 (priority 3) and the later priority-3 job 10-18; 2 and 3
    // run 18-26; the later priority-0 job waits until 26.
    assert_eq!(statuses(&s, &ids), [C, C, P, P, C, C, S]);
    assert_eq!(statuses(&replica, &replica_ids), [C, C, P, P, C, C, S]);
}

#[test]
fn a_slot_freed_while_the_next_job_was_about_to_take_it_is_taken_at_once() {
    // One slot: the first job runs from 2 s to 10 s, the second is chosen for the slot at
    // 8 s. The first canceled at 9 s: the second starts then, not at 10 s.
    let s = service(Transitions::Manual);
    on_demand_queue(&s, "od1", 1);
    let ids: Vec<String> = (0..3).map(|_| submit_to(&s, "od1", 0)).collect();
    advance(&s, 9);
    assert_eq!(statuses(&s, &ids), [P, S, S]);
    ok(&s, "CancelJob", json!({"Id": ids[0]}));
    assert_eq!(statuses(&s, &ids), [X, P, S]);
    assert_eq!(queue_counts(&s, "od1"), (1, 1));
    advance(&s, 7);
    assert_eq!(statuses(&s, &ids), [X, P, S]);
    advance(&s, 1);
    assert_eq!(statuses(&s, &ids), [X, C, P]);
}

/// Submits a job to `queue` that may hop as `hops` says, in the request context `c`; its ID.
fn submit_hopping(s: &MediaConvert, c: &RequestContext, queue: &str, hops: Value) -> String {
    let mut input = job_input();
    input["Queue"] = json!(queue);
    input["HopDestinations"] = hops;
    s.handle(c, "CreateJob", input).unwrap()["Job"]["Id"]
        .as_str()
        .unwrap()
        .to_string()
}

fn queue_arn(name: &str) -> String {
    format!("arn:aws:mediaconvert:us-west-2:111111111111:queues/{name}")
}

#[test]
fn a_job_waiting_past_its_wait_hops_to_its_destination_and_runs_there() {
    let s = service(Transitions::Manual);
    let c = ctx("111111111111");
    on_demand_queue(&s, "od1", 1);
    on_demand_queue(&s, "hd", 1);
    // Eight jobs ahead in a one-slot queue: the ninth would start only at 64 s.
    let ahead: Vec<String> = (0..8).map(|_| submit_to(&s, "od1", 0)).collect();
    let hopper = submit_hopping(
        &s,
        &c,
        "od1",
        json!([{"Queue": "hd", "WaitMinutes": 1, "Priority": 7}]),
    );
    // One job already waits in the destination, with priority 5.
    let (_, hd_first) = (submit_to(&s, "hd", 0), submit_to(&s, "hd", 5));
    let job = |id: &str| ok(&s, "GetJob", json!({ "Id": id }))["Job"].clone();
    let submitted = job(&hopper);
    assert!(submitted.get("QueueTransitions").is_none(), "{submitted}");
    advance(&s, 59);
    assert_eq!(statuses(&s, std::slice::from_ref(&hopper)), [S]);
    assert!(job(&hopper).get("QueueTransitions").is_none());
    assert_eq!(queue_counts(&s, "od1"), (1, 1));
    // At 60 s it hops: its Queue and Priority stay as submitted, the hop is its history.
    advance(&s, 1);
    let hopped = job(&hopper);
    assert_eq!(hopped["Status"], S);
    assert_eq!(hopped["Queue"], queue_arn("od1"));
    assert_eq!(hopped["Priority"], 0);
    let submit_time = hopped["Timing"]["SubmitTime"].as_i64().unwrap();
    assert_eq!(
        hopped["QueueTransitions"],
        json!([{"DestinationQueue": queue_arn("hd"), "SourceQueue": queue_arn("od1"),
                "Timestamp": submit_time + 60}])
    );
    assert_eq!(queue_counts(&s, "od1"), (0, 1));
    assert_eq!(queue_counts(&s, "hd"), (1, 0));
    // ListJobs by queue finds it where it is now.
    let listed = ok(&s, "ListJobs", json!({"Queue": "hd"}));
    assert!(listed["Jobs"]
        .as_array()
        .unwrap()
        .iter()
        .any(|j| j["Id"] == hopper.as_str()));
    // The destination's jobs ran 2-10, 10-18 ... long ago: its slot is free, so it starts
    // after its SUBMITTED step there, at 62 s.
    assert_eq!(statuses(&s, &[hd_first]), [C]);
    advance(&s, 2);
    assert_eq!(statuses(&s, std::slice::from_ref(&hopper)), [P]);
    advance(&s, 8);
    assert_eq!(statuses(&s, std::slice::from_ref(&hopper)), [C]);
    // The jobs it left behind lost nothing, and none of them hopped.
    advance(&s, 60);
    assert_eq!(statuses(&s, &ahead), [C; 8]);
    assert!(ahead
        .iter()
        .all(|id| job(id).get("QueueTransitions").is_none()));
}

#[test]
fn a_hopped_job_competes_in_its_destination_with_its_hop_priority() {
    let s = service(Transitions::Manual);
    let c = ctx("111111111111");
    on_demand_queue(&s, "src", 1);
    on_demand_queue(&s, "dst", 1);
    // The source is busy until 66 s; the destination's ten jobs of priority 5 start at 2,
    // 10, ..., 74 s.
    let _busy: Vec<String> = (0..8).map(|_| submit_to(&s, "src", 0)).collect();
    let dst: Vec<String> = (0..10).map(|_| submit_to(&s, "dst", 5)).collect();
    let urgent = submit_hopping(
        &s,
        &c,
        "src",
        json!([{"Queue": "dst", "WaitMinutes": 1, "Priority": 9}]),
    );
    let plain = submit_hopping(&s, &c, "src", json!([{"Queue": "dst", "WaitMinutes": 1}]));
    // Both hop at 60 s. In `dst` the one given priority 9 takes the slot freeing at 66 s
    // ahead of the waiting priority-5 jobs; the other keeps priority 0 and goes last.
    advance(&s, 67);
    assert_eq!(
        statuses(&s, &[urgent.clone(), dst[8].clone(), plain.clone()]),
        [P, S, S]
    );
    advance(&s, 8);
    assert_eq!(
        statuses(&s, &[urgent.clone(), dst[8].clone(), plain.clone()]),
        [C, P, S]
    );
    advance(&s, 16);
    assert_eq!(statuses(&s, &[dst[9].clone(), plain.clone()]), [C, P]);
    let job = ok(&s, "GetJob", json!({ "Id": urgent }))["Job"].clone();
    // "The values for the settings queue and priority remain how you set them."
    assert_eq!(
        (job["Queue"].clone(), job["Priority"].clone()),
        (json!(queue_arn("src")), json!(0))
    );
}

#[test]
fn jobs_do_not_hop_from_a_paused_queue_and_hop_on_resume_only_if_jobs_are_ahead() {
    let s = service(Transitions::Manual);
    let c = ctx("111111111111");
    on_demand_queue(&s, "hs", 1);
    on_demand_queue(&s, "hd", 5);
    ok(&s, "UpdateQueue", json!({"Name": "hs", "Status": "PAUSED"}));
    let ids: Vec<String> = (0..3)
        .map(|_| submit_hopping(&s, &c, "hs", json!([{"Queue": "hd", "WaitMinutes": 1}])))
        .collect();
    advance(&s, 300);
    // Held: no hop however long the pause lasts.
    assert_eq!(statuses(&s, &ids), [S, S, S]);
    assert_eq!(queue_counts(&s, "hs"), (3, 0));
    assert_eq!(queue_counts(&s, "hd"), (0, 0));
    // Resumed: the first has no job ahead and runs where it is; the others hop at once.
    ok(&s, "UpdateQueue", json!({"Name": "hs", "Status": "ACTIVE"}));
    assert_eq!(queue_counts(&s, "hs"), (1, 0));
    assert_eq!(queue_counts(&s, "hd"), (2, 0));
    advance(&s, 2);
    assert_eq!(statuses(&s, &ids), [P, P, P]);
    let hops = |id: &str| {
        ok(&s, "GetJob", json!({ "Id": id }))["Job"]
            .get("QueueTransitions")
            .map(|t| t.as_array().unwrap().len())
    };
    assert_eq!(
        ids.iter().map(|i| hops(i)).collect::<Vec<_>>(),
        [None, Some(1), Some(1)]
    );
    // Paused and resumed within the wait: the pause changes nothing; the job still hops
    // when its wait ends.
    advance(&s, 10);
    let _ahead: Vec<String> = (0..8).map(|_| submit_to(&s, "hs", 0)).collect();
    let late = submit_hopping(&s, &c, "hs", json!([{"Queue": "hd", "WaitMinutes": 1}]));
    ok(&s, "UpdateQueue", json!({"Name": "hs", "Status": "PAUSED"}));
    advance(&s, 5);
    ok(&s, "UpdateQueue", json!({"Name": "hs", "Status": "ACTIVE"}));
    advance(&s, 54);
    assert_eq!(hops(&late), None);
    advance(&s, 1);
    assert_eq!(hops(&late), Some(1));
}

#[test]
fn a_job_hops_freely_to_a_paused_queue_and_waits_there() {
    let s = service(Transitions::Manual);
    let c = ctx("111111111111");
    on_demand_queue(&s, "src", 1);
    ok(
        &s,
        "CreateQueue",
        json!({"Name": "held", "Status": "PAUSED"}),
    );
    let _busy: Vec<String> = (0..8).map(|_| submit_to(&s, "src", 0)).collect();
    let id = submit_hopping(&s, &c, "src", json!([{"Queue": "held", "WaitMinutes": 1}]));
    advance(&s, 100);
    let job = ok(&s, "GetJob", json!({ "Id": id }))["Job"].clone();
    assert_eq!(job["Status"], S);
    assert_eq!(
        job["QueueTransitions"][0]["DestinationQueue"],
        queue_arn("held")
    );
    assert_eq!(queue_counts(&s, "held"), (1, 0));
    ok(
        &s,
        "UpdateQueue",
        json!({"Name": "held", "Status": "ACTIVE"}),
    );
    advance(&s, 2);
    assert_eq!(statuses(&s, &[id]), [P]);
}

#[test]
fn a_hop_is_called_off_when_a_slot_frees_in_time_or_its_destination_is_gone() {
    let s = service(Transitions::Manual);
    let c = ctx("111111111111");
    on_demand_queue(&s, "src", 1);
    on_demand_queue(&s, "dst", 1);
    on_demand_queue(&s, "gone", 1);
    let busy: Vec<String> = (0..8).map(|_| submit_to(&s, "src", 0)).collect();
    let saved = submit_hopping(&s, &c, "src", json!([{"Queue": "dst", "WaitMinutes": 1}]));
    let orphan = submit_hopping(&s, &c, "src", json!([{"Queue": "gone", "WaitMinutes": 1}]));
    // A job ahead canceled: `saved` is chosen for a slot (at 56 s) before its wait ends,
    // and stays.
    ok(&s, "CancelJob", json!({"Id": busy[7]}));
    ok(&s, "DeleteQueue", json!({"Name": "gone"}));
    advance(&s, 61);
    let job = |id: &str| ok(&s, "GetJob", json!({ "Id": id }))["Job"].clone();
    assert!(job(&saved).get("QueueTransitions").is_none());
    // The destination was deleted: `orphan` waits on in its queue and runs there after
    // `saved`.
    assert!(job(&orphan).get("QueueTransitions").is_none());
    assert_eq!(statuses(&s, &[saved.clone(), orphan.clone()]), [P, S]);
    advance(&s, 8);
    assert_eq!(statuses(&s, &[saved, orphan]), [C, P]);
}

#[test]
fn a_planned_hop_survives_a_restart_from_the_journal() {
    let s = service(Transitions::Manual);
    let c = ctx("111111111111");
    for (name, n) in [("src", 1), ("dst", 2)] {
        s.handle(
            &c,
            "CreateQueue",
            json!({"Name": name, "ConcurrentJobs": n}),
        )
        .unwrap();
    }
    let mut ids: Vec<String> = (0..8).map(|_| submit_as(&s, &c, "src", 0)).collect();
    ids.push(submit_hopping(
        &s,
        &c,
        "src",
        json!([{"Queue": "dst", "WaitMinutes": 1}]),
    ));
    advance(&s, 30);
    let replica = service(Transitions::Manual);
    advance(&replica, 30);
    for (_, r) in c.journal.take() {
        replica.restore(&r).unwrap();
    }
    assert_eq!(replica.records(), s.records());
    for step in 0..6 {
        assert_eq!(statuses(&replica, &ids), statuses(&s, &ids), "step {step}");
        advance(&s, 10);
        advance(&replica, 10);
    }
    let hopped = |s: &MediaConvert| {
        ok(s, "GetJob", json!({ "Id": ids[8] }))["Job"]["QueueTransitions"].clone()
    };
    assert_eq!(hopped(&replica), hopped(&s));
    assert_eq!(hopped(&s)[0]["DestinationQueue"], queue_arn("dst"));
    assert_eq!(statuses(&s, &ids[8..]), [C]);
}

#[test]
fn an_expired_engine_version_runs_a_regular_job_and_an_invalid_one_is_refused() {
    let s = service(Transitions::Instant);
    let with_version = |v: &str| {
        let mut input = job_input();
        input["JobEngineVersion"] = json!(v);
        call(&s, "CreateJob", input)
    };
    let job = with_version("2020-01-01").unwrap()["Job"].clone();
    assert_eq!(job["JobEngineVersionRequested"], "2020-01-01");
    assert!(job.get("JobEngineVersionUsed").is_none(), "{job}");
    let id = job["Id"].as_str().unwrap();
    let got = ok(&s, "GetJob", json!({ "Id": id }))["Job"].clone();
    assert_eq!(got["Status"], "COMPLETE");
    assert!(got.get("JobEngineVersionUsed").is_none(), "{got}");
    let listed = crate::endpoints::ENGINE_VERSIONS[1].0;
    let job = with_version(listed).unwrap()["Job"].clone();
    assert_eq!(job["JobEngineVersionUsed"], listed);
    for invalid in ["2030-01-01", "2021-02-30", "latest"] {
        let e = with_version(invalid).unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            (
                "BadRequestException",
                format!(
                    "/jobEngineVersion: Job engine version {invalid} is not available; \
                     ListVersions lists the available versions"
                )
                .as_str()
            )
        );
    }
}

#[test]
fn search_jobs_refuses_an_input_file_longer_than_300_characters() {
    let s = service(Transitions::Instant);
    ok(&s, "CreateJob", job_input());
    let search = |f: String| call(&s, "SearchJobs", json!({ "InputFile": f }));
    let e = search("x".repeat(301)).unwrap_err();
    assert_eq!(e.code, "BadRequestException");
    assert_eq!(
        e.message,
        "/inputFile: the input file has 301 characters; the maximum length for an input file \
         is 300 characters"
    );
    // Characters, not bytes: 300 two-byte characters are allowed.
    assert_eq!(search("é".repeat(300)).unwrap()["Jobs"], json!([]));
    let found = search(format!("{}cat.mov", "s3://in/")).unwrap();
    assert_eq!(found["Jobs"].as_array().unwrap().len(), 1);
}

#[test]
fn a_preferred_job_that_hops_from_a_reserved_queue_to_an_on_demand_one_runs_accelerated() {
    let s = service(Transitions::Manual);
    let c = ctx("111111111111");
    reserved_queue(&s, "r1", 1);
    on_demand_queue(&s, "od", 5);
    let _ahead: Vec<String> = (0..8).map(|_| submit_to(&s, "r1", 0)).collect();
    let submit = |hops: Value| {
        let mut input = job_input();
        input["Queue"] = json!("r1");
        input["AccelerationSettings"] = json!({"Mode": "PREFERRED"});
        input["HopDestinations"] = hops;
        s.handle(&c, "CreateJob", input).unwrap()["Job"]["Id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let hopper = submit(json!([{"Queue": "od", "WaitMinutes": 1}]));
    let stays = submit(json!([]));
    advance(&s, 200);
    let job = |id: &str| ok(&s, "GetJob", json!({ "Id": id }))["Job"].clone();
    let (hopped, stayed) = (job(&hopper), job(&stays));
    assert_eq!(hopped["Status"], C);
    assert_eq!(
        hopped["QueueTransitions"][0]["DestinationQueue"],
        queue_arn("od")
    );
    // "If the job hops to an on-demand queue, it will run with acceleration enabled."
    assert_eq!(hopped["AccelerationStatus"], "ACCELERATED");
    // Without a hop it runs in the reserved queue, which cannot accelerate.
    assert!(stayed.get("QueueTransitions").is_none());
    assert_eq!(stayed["AccelerationStatus"], "NOT_ACCELERATED");
}

#[test]
fn canceling_a_hopped_job_frees_its_slot_in_the_queue_it_hopped_to() {
    let s = service(Transitions::Manual);
    let c = ctx("111111111111");
    on_demand_queue(&s, "src", 1);
    on_demand_queue(&s, "dst", 1);
    let _ahead: Vec<String> = (0..8).map(|_| submit_to(&s, "src", 0)).collect();
    let hopper = submit_hopping(&s, &c, "src", json!([{"Queue": "dst", "WaitMinutes": 1}]));
    advance(&s, 61);
    // It hopped at 60 and was given `dst`'s free slot: it starts at 62. A job submitted to
    // `dst` now waits for it.
    let next = submit_to(&s, "dst", 0);
    advance(&s, 2);
    assert_eq!(statuses(&s, &[hopper.clone(), next.clone()]), [P, S]);
    assert_eq!(queue_counts(&s, "dst"), (1, 1));
    // Canceled, it frees that slot at once, not one in the queue it was submitted to.
    ok(&s, "CancelJob", json!({ "Id": hopper }));
    assert_eq!(statuses(&s, &[hopper, next]), [X, P]);
}

#[test]
fn a_written_answer_is_checked_again_when_the_clock_ticks_between_its_two_renders() {
    // Fast clock, a job a second into its run: its percentage moves every 80 ms, and debug
    // builds render it twice per answer (written text, view). A tick between the two is no
    // mismatch; before the renders were tried again, about one answer in a few thousand was
    // an internal error.
    let s = service(Transitions::Fast);
    let (mut job, arn) = a_stored_job(&s);
    let now = s.runtime.clock.lifecycle_now();
    job.phase = kit::Phase {
        state: "PROGRESSING".into(),
        since: now - 1.0,
    };
    let r = job_wire::renderers().unwrap();
    let started = std::time::Instant::now();
    let mut answers = 0;
    while started.elapsed() < Duration::from_millis(1500) && answers < 100_000 {
        job_wire::answer("GetJob", &job, &arn, &s.runtime.clock, r)
            .unwrap_or_else(|e| panic!("answer {answers}: {e}"));
        answers += 1;
    }
    assert!(answers > 1000, "{answers} answers");
}

#[test]
fn a_job_with_two_hop_destinations_hops_again_after_waiting_in_the_first() {
    let s = service(Transitions::Manual);
    let c = ctx("111111111111");
    for name in ["a", "b", "c"] {
        on_demand_queue(&s, name, 1);
    }
    // `a` is busy until 66 s, `b` until 130 s.
    let _a: Vec<String> = (0..8).map(|_| submit_to(&s, "a", 0)).collect();
    let _b: Vec<String> = (0..16).map(|_| submit_to(&s, "b", 0)).collect();
    let id = submit_hopping(
        &s,
        &c,
        "a",
        json!([{"Queue": "b", "WaitMinutes": 1}, {"Queue": "c", "WaitMinutes": 1}]),
    );
    let hops = |s: &MediaConvert| {
        ok(s, "GetJob", json!({ "Id": id }))["Job"]
            .get("QueueTransitions")
            .cloned()
            .unwrap_or(json!([]))
    };
    advance(&s, 119);
    assert_eq!(hops(&s).as_array().unwrap().len(), 1);
    // Its wait in `b` counts from when it got there (60 s): it hops on at 120 s.
    advance(&s, 1);
    let h = hops(&s);
    let pairs: Vec<(String, String)> = h
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["SourceQueue"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_string(),
                t["DestinationQueue"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_string(),
            )
        })
        .collect();
    assert_eq!(
        pairs,
        [
            ("a".to_string(), "b".to_string()),
            ("b".to_string(), "c".to_string())
        ]
    );
    assert_eq!(
        h[1]["Timestamp"].as_i64().unwrap() - h[0]["Timestamp"].as_i64().unwrap(),
        60
    );
    advance(&s, 2);
    assert_eq!(statuses(&s, std::slice::from_ref(&id)), [P]);
    assert_eq!(queue_counts(&s, "c"), (0, 1));
}

#[test]
fn a_job_that_may_hop_is_appended_like_any_other_when_its_queue_selects_it_in_time() {
    let s = service(Transitions::Manual);
    let (mut job, _) = a_stored_job(&s);
    job.anchor_lifecycle = 0.0;
    job.hopping = Some(Box::new(model::Hopping::new(vec![model::HopTarget {
        queue: queue_arn("dst"),
        wait: 60.0,
        priority: None,
    }])));
    let mut jobs = s.jobs.write();
    let clock = &s.runtime.clock;
    // One slot, a job runs 8 s: the first eight are selected by 56 s, within the wait, and
    // appended in O(log capacity); the ninth would be selected only at 64 s, past it: it is
    // placed with the queue's waiting jobs (`place` asks for that).
    let placed: Vec<bool> = (0..9)
        .map(|_| jobs.place(&queue_arn("one"), Some(1), &mut job.clone(), clock))
        .collect();
    assert_eq!(
        placed,
        [false, false, false, false, false, false, false, false, true]
    );
}

#[test]
fn a_job_from_a_template_hops_as_the_template_says() {
    let s = service(Transitions::Manual);
    let c = ctx("111111111111");
    on_demand_queue(&s, "src", 1);
    on_demand_queue(&s, "dst", 1);
    let mut tsettings = settings("s3://in/a.mov", "s3://out/");
    tsettings.as_object_mut().unwrap().remove("Inputs");
    ok(
        &s,
        "CreateJobTemplate",
        json!({"Name": "hopper", "Settings": tsettings, "Queue": "src",
               "HopDestinations": [{"Queue": "dst", "WaitMinutes": 1, "Priority": 3}]}),
    );
    let _ahead: Vec<String> = (0..8).map(|_| submit_to(&s, "src", 0)).collect();
    let mut input = job_input();
    input["JobTemplate"] = json!("hopper");
    let id = s.handle(&c, "CreateJob", input).unwrap()["Job"]["Id"]
        .as_str()
        .unwrap()
        .to_string();
    advance(&s, 60);
    let job = ok(&s, "GetJob", json!({ "Id": id }))["Job"].clone();
    assert_eq!(job["Queue"], queue_arn("src"));
    assert_eq!(
        job["QueueTransitions"][0]["DestinationQueue"],
        queue_arn("dst")
    );
    assert_eq!(queue_counts(&s, "dst"), (1, 0));
}

#[test]
fn a_due_hop_is_made_and_journaled_by_whichever_request_comes_first() {
    let s = service(Transitions::Manual);
    let c = ctx("111111111111");
    on_demand_queue(&s, "src", 1);
    on_demand_queue(&s, "dst", 1);
    let _ahead: Vec<String> = (0..8).map(|_| submit_to(&s, "src", 0)).collect();
    let id = submit_hopping(&s, &c, "src", json!([{"Queue": "dst", "WaitMinutes": 1}]));
    advance(&s, 61);
    // Another account's request makes the hop, and its journal carries the job's records.
    let other = ctx("222222222222");
    s.handle(&other, "ListQueues", json!({})).unwrap();
    let records = other.journal.take();
    assert!(
        records
            .iter()
            .any(|(_, r)| r.account == "111111111111" && r.key.ends_with(&id)),
        "{records:?}"
    );
    // It was made once: the job's own account sees the one hop.
    let job = ok(&s, "GetJob", json!({ "Id": id }))["Job"].clone();
    assert_eq!(job["QueueTransitions"].as_array().map(Vec::len), Some(1));
}

#[test]
fn elemental_inference_settings_are_kept_on_templates_and_jobs() {
    // The model's `Job.ElementalInferenceSettings` ("The Elemental Inference settings used in
    // this job") and `JobTemplate.ElementalInferenceSettings` answer what was given.
    let s = service(Transitions::Manual);
    let feed = |id: &str| {
        json!({"FeedConfigurationSource":
            {"FeedArn": format!("arn:aws:elemental-inference:us-west-2:111111111111:feed/{id}")}})
    };
    let mut input = job_input();
    input["ElementalInferenceSettings"] = feed("abcdefghij012345678");
    let job = ok(&s, "CreateJob", input)["Job"].clone();
    assert_eq!(
        job["ElementalInferenceSettings"],
        feed("abcdefghij012345678")
    );
    let read = ok(&s, "GetJob", json!({"Id": job["Id"]}))["Job"].clone();
    assert_eq!(
        read["ElementalInferenceSettings"],
        feed("abcdefghij012345678")
    );
    // Without it, none is shown.
    let plain = ok(&s, "CreateJob", job_input())["Job"].clone();
    assert!(plain.get("ElementalInferenceSettings").is_none(), "{plain}");

    let mut template = json!({"Name": "t", "Settings": settings("s3://in/cat.mov", "s3://out/"),
        "ElementalInferenceSettings": feed("aaaaaaaaaaaaaaaaaaa")});
    template["Settings"]
        .as_object_mut()
        .unwrap()
        .remove("Inputs");
    let t = ok(&s, "CreateJobTemplate", template)["JobTemplate"].clone();
    assert_eq!(t["ElementalInferenceSettings"], feed("aaaaaaaaaaaaaaaaaaa"));
    // An update that does not name it leaves it; one that does replaces it.
    let t = ok(
        &s,
        "UpdateJobTemplate",
        json!({"Name": "t", "Description": "d"}),
    )["JobTemplate"]
        .clone();
    assert_eq!(t["ElementalInferenceSettings"], feed("aaaaaaaaaaaaaaaaaaa"));
    let t = ok(
        &s,
        "UpdateJobTemplate",
        json!({"Name": "t", "ElementalInferenceSettings": feed("bbbbbbbbbbbbbbbbbbb")}),
    )["JobTemplate"]
        .clone();
    assert_eq!(t["ElementalInferenceSettings"], feed("bbbbbbbbbbbbbbbbbbb"));
    let got = ok(&s, "GetJobTemplate", json!({"Name": "t"}))["JobTemplate"].clone();
    assert_eq!(
        got["ElementalInferenceSettings"],
        feed("bbbbbbbbbbbbbbbbbbb")
    );
    // A job from the template takes the template's, unless it gives its own.
    let from = |own: Option<Value>| {
        let mut input = json!({"Role": ROLE, "JobTemplate": "t",
            "Settings": {"Inputs": [{"FileInput": "s3://in/cat.mov"}]}});
        if let Some(own) = own {
            input["ElementalInferenceSettings"] = own;
        }
        ok(&s, "CreateJob", input)["Job"]["ElementalInferenceSettings"].clone()
    };
    assert_eq!(from(None), feed("bbbbbbbbbbbbbbbbbbb"));
    assert_eq!(
        from(Some(feed("ccccccccccccccccccc"))),
        feed("ccccccccccccccccccc")
    );
}

#[test]
fn a_job_is_shared_by_its_id_or_its_arn() {
    // The model: `JobId` "Specify MediaConvert Job ID or ARN to share".
    let s = service(Transitions::Instant);
    let c = ctx("111111111111");
    let job = ok(&s, "CreateJob", job_input())["Job"].clone();
    let arn = job["Arn"].as_str().unwrap();
    let input = json!({"JobId": arn, "SupportCaseId": "case-1"});
    // Authorized on the job itself, not on an ARN made of its ARN.
    let a = accesses(&s, &c, "CreateResourceShare", input.clone());
    assert_eq!(a.len(), 1, "{a:?}");
    assert_eq!(a[0].action, "mediaconvert:CreateResourceShare");
    assert_eq!(a[0].resource, arn);
    let by_id = accesses(
        &s,
        &c,
        "CreateResourceShare",
        json!({"JobId": job["Id"], "SupportCaseId": "case-1"}),
    );
    assert_eq!(by_id[0].resource, arn);
    ok(&s, "CreateResourceShare", input.clone());
    let got = ok(&s, "GetJob", json!({"Id": job["Id"]}));
    assert_eq!(got["Job"]["ShareStatus"], "INITIATED");
    // Another account cannot share it by its ARN either.
    let e = s
        .handle(&ctx("222222222222"), "CreateResourceShare", input)
        .unwrap_err();
    assert_eq!(e.code, "NotFoundException");
}

#[test]
fn more_reserved_slots_start_a_new_twelve_month_commitment_and_a_renewal_change_does_not() {
    let s = service(Transitions::Manual);
    let c = ctx("111111111111");
    reserved_queue(&s, "r1", 1);
    // As if the plan had been bought a day ago.
    let arn = model::arn(&c, "queues", "r1");
    let aged: Option<Result<(), ServiceError>> = s.state.write().queues.update(&c, &arn, |q| {
        q.value.reservation.as_mut().expect("reserved").purchased_at -= 86_400.0;
        Ok(())
    });
    aged.expect("queue").unwrap();
    let plan = |v: &Value| -> (i64, i64, i64) {
        let p = &v["Queue"]["ReservationPlan"];
        let at = |k: &str| p[k].as_f64().expect(k) as i64;
        (
            at("PurchasedAt"),
            at("ExpiresAt"),
            p["ReservedSlots"].as_i64().unwrap(),
        )
    };
    let before = plan(&ok(&s, "GetQueue", json!({"Name": "r1"})));
    // A new renewal type with the same slots keeps the term.
    let settings = |slots: i64| {
        json!({"Name": "r1", "ReservationPlanSettings": {"Commitment": "ONE_YEAR",
            "RenewalType": "AUTO_RENEW", "ReservedSlots": slots}})
    };
    let same = plan(&ok(&s, "UpdateQueue", settings(1)));
    assert_eq!(same, before);
    // More slots: "you extend the term of your commitment to 12 months from when you add
    // capacity" (the model's UpdateQueue ReservationPlanSettings).
    let more = ok(&s, "UpdateQueue", settings(2));
    let (purchased, expires, slots) = plan(&more);
    let now = s.runtime.clock.now() as i64;
    assert!((purchased - now).abs() <= 1, "{more}");
    assert_eq!(
        expires,
        queues::twelve_months_after(purchased as f64) as i64
    );
    assert_eq!(slots, 2);
    assert_eq!(
        plan(&ok(&s, "GetQueue", json!({"Name": "r1"}))),
        (purchased, expires, 2)
    );
}

#[test]
fn a_reservation_plan_expires_on_the_same_date_a_year_later() {
    use queues::twelve_months_after;
    // The AWS CLI's list-queues example: bought 2019-07-25T14:50:03Z, expires
    // 2020-07-25T14:50:03Z, 366 days later across 2020-02-29.
    assert_eq!(twelve_months_after(1_564_066_203.0), 1_595_688_603.0);
    // 2021-03-01T00:00:00Z to 2022-03-01T00:00:00Z: 365 days.
    assert_eq!(twelve_months_after(1_614_556_800.0), 1_646_092_800.0);
    // 2023-12-31T23:59:59Z to 2024-12-31T23:59:59Z: 366 days.
    assert_eq!(twelve_months_after(1_704_067_199.0), 1_735_689_599.0);
    // 2024-02-29T12:00:00Z ends on 2025-02-28T12:00:00Z.
    assert_eq!(twelve_months_after(1_709_208_000.0), 1_740_744_000.0);
    // Fractions of a second are kept.
    assert_eq!(twelve_months_after(1_564_066_203.5), 1_595_688_603.5);
    // A restored record's nonsense neither panics nor overflows.
    for odd in [1e300, -1e300, f64::MAX, f64::MIN, f64::INFINITY] {
        let _ = twelve_months_after(odd);
    }
    assert!(twelve_months_after(f64::NAN).is_nan());
    assert_eq!(twelve_months_after(-86_400.0), 365.0 * 86_400.0 - 86_400.0);
    // A reserved queue shows it.
    let s = service(Transitions::Manual);
    let c = ctx("111111111111");
    reserved_queue(&s, "r1", 1);
    let arn = model::arn(&c, "queues", "r1");
    let bought: Option<Result<(), ServiceError>> = s.state.write().queues.update(&c, &arn, |q| {
        q.value.reservation.as_mut().expect("reserved").purchased_at = 1_564_066_203.0;
        Ok(())
    });
    bought.expect("queue").unwrap();
    let plan = ok(&s, "GetQueue", json!({"Name": "r1"}))["Queue"]["ReservationPlan"].clone();
    assert_eq!(plan["PurchasedAt"], json!(1_564_066_203));
    assert_eq!(plan["ExpiresAt"], json!(1_595_688_603));
}

/// Sets queue `name`'s reservation plan as if bought at `purchased` with `renewal`.
fn age_plan(s: &MediaConvert, name: &str, purchased: f64, renewal: &str) {
    let c = ctx("111111111111");
    let arn = model::arn(&c, "queues", name);
    let aged: Option<Result<(), ServiceError>> = s.state.write().queues.update(&c, &arn, |q| {
        let r = q.value.reservation.as_mut().expect("reserved");
        r.purchased_at = purchased;
        r.renewal = renewal.to_string();
        Ok(())
    });
    aged.expect("queue").unwrap();
}

#[test]
fn a_plan_past_its_term_expires_or_renews_and_an_expired_one_can_be_replaced_or_deleted() {
    // Bought 2019-07-25T14:50:03Z, as AWS's list-queues example.
    const BOUGHT: f64 = 1_564_066_203.0;
    let s = service(Transitions::Manual);
    let plan =
        |name: &str| ok(&s, "GetQueue", json!({"Name": name}))["Queue"]["ReservationPlan"].clone();
    let now = s.runtime.clock.now();
    // "When your pricing plan term expires, your reserved queue persists" (the user guide's
    // "About Reserved Queues"): EXPIRED, its dates those of the term that ended.
    reserved_queue(&s, "expire", 2);
    age_plan(&s, "expire", BOUGHT, "EXPIRE");
    let p = plan("expire");
    assert_eq!(p["Status"], json!("EXPIRED"), "{p}");
    assert_eq!(p["PurchasedAt"], json!(1_564_066_203));
    assert_eq!(p["ExpiresAt"], json!(1_595_688_603));
    let listed = ok(&s, "ListQueues", json!({"ListBy": "NAME"}))["Queues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["Name"] == "expire")
        .unwrap()["ReservationPlan"]
        .clone();
    assert_eq!(listed, p);
    // "If auto renew is enabled at that time, you automatically commit to another 12-month
    // term": ACTIVE, in the term that runs now.
    reserved_queue(&s, "renew", 1);
    age_plan(&s, "renew", BOUGHT, "AUTO_RENEW");
    let p = plan("renew");
    assert_eq!(p["Status"], json!("ACTIVE"), "{p}");
    let (start, end) = (
        p["PurchasedAt"].as_f64().unwrap(),
        p["ExpiresAt"].as_f64().unwrap(),
    );
    assert!(start <= now && now < end, "{p} at {now}");
    assert_eq!(end, queues::twelve_months_after(start));
    assert_eq!((start - BOUGHT) % 1.0, 0.0);
    // Turning auto renew off keeps the term in force: it ends when it would have renewed.
    let settings = |slots: i64, renewal: &str| json!({"Commitment": "ONE_YEAR", "RenewalType": renewal, "ReservedSlots": slots});
    let off = ok(
        &s,
        "UpdateQueue",
        json!({"Name": "renew", "ReservationPlanSettings": settings(1, "EXPIRE")}),
    )["Queue"]["ReservationPlan"]
        .clone();
    assert_eq!(
        (&off["Status"], &off["PurchasedAt"], &off["ExpiresAt"]),
        (&json!("ACTIVE"), &p["PurchasedAt"], &p["ExpiresAt"]),
        "{off}"
    );
    // An expired plan is replaced by a new 12-month plan from now, of any size.
    let new = ok(
        &s,
        "UpdateQueue",
        json!({"Name": "expire", "ReservationPlanSettings": settings(1, "EXPIRE")}),
    )["Queue"]["ReservationPlan"]
        .clone();
    assert_eq!(
        (&new["Status"], &new["ReservedSlots"]),
        (&json!("ACTIVE"), &json!(1)),
        "{new}"
    );
    assert!(
        (new["PurchasedAt"].as_f64().unwrap() - now).abs() <= 2.0,
        "{new}"
    );
    // "You can't delete a reserved queue that has an active pricing plan": one expired can go.
    let e = call(&s, "DeleteQueue", json!({"Name": "renew"})).unwrap_err();
    assert_eq!(e.code, "ConflictException");
    reserved_queue(&s, "gone", 1);
    age_plan(&s, "gone", BOUGHT, "EXPIRE");
    ok(&s, "DeleteQueue", json!({"Name": "gone"}));
    assert_eq!(
        call(&s, "GetQueue", json!({"Name": "gone"}))
            .unwrap_err()
            .code,
        "NotFoundException"
    );
}

#[test]
fn job_records_are_deleted_ninety_days_after_submission() {
    // "After a job record is three months old, MediaConvert automatically deletes it"; "Jobs,
    // and the tags on them, persist for only 90 days" (the user guide).
    const DAY: u64 = 86_400;
    let s = service(Transitions::Manual);
    let c = ctx("111111111111");
    let other = ctx("222222222222");
    ok(&s, "CreateQueue", json!({"Name": "q", "Status": "PAUSED"}));
    let id = |v: Value| v["Job"]["Id"].as_str().unwrap().to_string();
    let mut tagged = job_input();
    tagged["Tags"] = json!({"team": "a"});
    let done = id(ok(&s, "CreateJob", tagged));
    let mut to_q = job_input();
    to_q["Queue"] = json!("q");
    let held = id(ok(&s, "CreateJob", to_q));
    let elsewhere = id(s.handle(&other, "CreateJob", job_input()).unwrap());
    advance(&s, 89 * DAY);
    let later = id(ok(&s, "CreateJob", job_input()));
    advance(&s, DAY - 1);
    let get =
        |s: &MediaConvert, c: &RequestContext, id: &str| s.handle(c, "GetJob", json!({ "Id": id }));
    assert_eq!(get(&s, &c, &done).unwrap()["Job"]["Status"], "COMPLETE");
    let listed = |s: &MediaConvert, op: &str| -> Vec<String> {
        ok(s, op, json!({}))["Jobs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|j| j["Id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(listed(&s, "ListJobs").len(), 3);
    c.journal.take();
    // Ninety days on, the two first jobs' records are gone: found by nothing.
    advance(&s, 1);
    for job in [&done, &held] {
        let e = get(&s, &c, job).unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            ("NotFoundException", &*format!("Job {job} does not exist"))
        );
        let e = call(&s, "CancelJob", json!({ "Id": job })).unwrap_err();
        assert_eq!(e.code, "NotFoundException");
    }
    assert_eq!(listed(&s, "ListJobs"), [later.as_str()]);
    assert_eq!(listed(&s, "SearchJobs"), [later.as_str()]);
    let arn = model::arn(&c, "jobs", &done);
    let e = call(&s, "ListTagsForResource", json!({ "Arn": arn })).unwrap_err();
    assert_eq!(e.code, "NotFoundException");
    // The held job no longer counts in (or keeps) its queue.
    let q = ok(&s, "GetQueue", json!({"Name": "q"}));
    assert_eq!(q["Queue"]["SubmittedJobsCount"], 0);
    ok(&s, "DeleteQueue", json!({"Name": "q"}));
    // Every account's: the other account's job went with them, and the deletions are journaled.
    let e = get(&s, &other, &elsewhere).unwrap_err();
    assert_eq!(e.code, "NotFoundException");
    assert_eq!(s.jobs.read().store.len(), 1);
    let deleted: Vec<String> = c
        .journal
        .take()
        .into_iter()
        .filter(|(_, r)| r.table == "job" && r.value.is_none())
        .map(|(_, r)| r.key)
        .collect();
    assert_eq!(deleted.len(), 3, "{deleted:?}");
    // The later job goes ninety days after its own submission, and nothing is due after it.
    advance(&s, 89 * DAY - 1);
    assert_eq!(get(&s, &c, &later).unwrap()["Job"]["Id"], json!(later));
    advance(&s, 1);
    assert_eq!(get(&s, &c, &later).unwrap_err().code, "NotFoundException");
    assert!(s.jobs.read().store.is_empty());
    assert_eq!(
        f64::from_bits(s.expiry_due.load(Ordering::Acquire)),
        f64::INFINITY
    );
}

#[test]
fn a_queue_whose_plan_has_expired_holds_its_jobs_until_a_new_plan() {
    // "When your pricing plan term expires, your reserved queue persists. You can still send
    // jobs to it, but AWS Elemental MediaConvert doesn't run them" (the user guide).
    const BOUGHT: f64 = 1_564_066_203.0;
    let s = service(Transitions::Manual);
    reserved_queue(&s, "lapsed", 1);
    age_plan(&s, "lapsed", BOUGHT, "EXPIRE");
    let sent = submit_to(&s, "lapsed", 0);
    advance(&s, 100);
    assert_eq!(statuses(&s, std::slice::from_ref(&sent)), [S]);
    let q = ok(&s, "GetQueue", json!({"Name": "lapsed"}))["Queue"].clone();
    assert_eq!(
        (&q["Status"], &q["SubmittedJobsCount"]),
        (&json!("ACTIVE"), &json!(1))
    );
    // A job hopping there from a queue it waited in is held there too.
    on_demand_queue(&s, "busy", 1);
    let ahead: Vec<String> = (0..10).map(|_| submit_to(&s, "busy", 0)).collect();
    let mut hopper = job_input();
    hopper["Queue"] = json!("busy");
    hopper["HopDestinations"] = json!([{"Queue": "lapsed", "WaitMinutes": 1}]);
    let hopper = ok(&s, "CreateJob", hopper)["Job"]["Id"]
        .as_str()
        .unwrap()
        .to_string();
    advance(&s, 70);
    let got = ok(&s, "GetJob", json!({ "Id": hopper }))["Job"].clone();
    let hop = &got["QueueTransitions"][0]["DestinationQueue"];
    assert!(hop.as_str().unwrap().ends_with("/lapsed"), "{got}");
    advance(&s, 100);
    assert_eq!(statuses(&s, &[ahead[9].clone(), hopper.clone()]), [C, S]);
    let plan = |renewal: &str| {
        json!({"Name": "lapsed", "ReservationPlanSettings":
            {"Commitment": "ONE_YEAR", "RenewalType": renewal, "ReservedSlots": 2}})
    };
    // An UpdateQueue without plan settings does not revive an expired plan.
    ok(
        &s,
        "UpdateQueue",
        json!({"Name": "lapsed", "Status": "ACTIVE"}),
    );
    advance(&s, 100);
    assert_eq!(statuses(&s, &[sent.clone(), hopper.clone()]), [S, S]);
    // A new plan: "To begin processing jobs through the queue again, you can set up a new
    // pricing plan".
    ok(&s, "UpdateQueue", plan("EXPIRE"));
    advance(&s, 20);
    assert_eq!(statuses(&s, &[sent, hopper]), [C, C]);

    // A plan that ends while jobs wait in its queue (here: restored past its term) holds
    // those that have not started; the running one finishes.
    reserved_queue(&s, "ending", 1);
    let first = submit_to(&s, "ending", 0);
    let second = submit_to(&s, "ending", 0);
    advance(&s, 3);
    assert_eq!(statuses(&s, &[first.clone(), second.clone()]), [P, S]);
    age_plan(&s, "ending", BOUGHT, "EXPIRE");
    let replica = service(Transitions::Manual);
    replica
        .runtime
        .clock
        .restore_lifecycle(s.runtime.clock.lifecycle_now());
    for r in s.records() {
        replica.restore(&r).unwrap();
    }
    assert_eq!(statuses(&replica, &[first.clone(), second.clone()]), [P, S]);
    advance(&replica, 100);
    assert_eq!(statuses(&replica, &[first, second.clone()]), [C, S]);
    advance(&replica, 100);
    assert_eq!(statuses(&replica, &[second]), [S]);
}

#[test]
fn a_tag_key_with_the_reserved_prefix_is_refused_with_mediaconverts_message() {
    // MediaConvert's words (quoted in aws/aws-cdk#29755), for a key in any letter case.
    const MESSAGE: &str =
        "One or more tag keys start with the reserved prefix 'aws:' (case insensitive).";
    let s = service(Transitions::Instant);
    let tagged = |mut input: Value, key: &str| {
        input["Tags"] = json!({ "team": "a", key: "b" });
        input
    };
    let mut preset = json!({"Name": "p", "Settings": preset_settings()});
    let groups = settings("s3://in/a.mov", "s3://out/")["OutputGroups"].clone();
    let mut template = json!({"Name": "t", "Settings": {"OutputGroups": groups}});
    for (op, input) in [
        ("CreateQueue", json!({"Name": "q"})),
        ("CreatePreset", preset.take()),
        ("CreateJobTemplate", template.take()),
        ("CreateJob", job_input()),
    ] {
        for key in ["aws:owner", "AWS:owner", "Aws:"] {
            let e = call(&s, op, tagged(input.clone(), key)).unwrap_err();
            assert_eq!(
                (e.code.as_str(), e.message.as_str()),
                ("BadRequestException", MESSAGE),
                "{op} {key}"
            );
        }
        // Nothing was made; the same request without the key is accepted.
        ok(&s, op, tagged(input, "owner"));
    }
    assert_eq!(s.jobs.read().store.len(), 1);
    let arn = model::arn(&ctx("111111111111"), "queues", "q");
    let e = call(
        &s,
        "TagResource",
        json!({"Arn": arn, "Tags": {"aws:x": "y"}}),
    )
    .unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        ("BadRequestException", MESSAGE)
    );
    let tags = ok(&s, "ListTagsForResource", json!({ "Arn": arn }));
    assert_eq!(
        tags["ResourceTags"]["Tags"],
        json!({"team": "a", "owner": "b"})
    );
    // Other broken rules keep their own message.
    let long = "k".repeat(129);
    let e = call(&s, "TagResource", json!({"Arn": arn, "Tags": {long: "y"}})).unwrap_err();
    assert_ne!(e.message, MESSAGE);
}

#[test]
fn jobs_submitted_in_one_millisecond_are_deleted_each_at_its_own_time() {
    // Job IDs order jobs of one millisecond by their random ends: a later job may sort
    // first. Here the manual clock moved 89 days between two jobs given one millisecond.
    const DAY: u64 = 86_400;
    let s = service(Transitions::Manual);
    let id = |v: Value| v["Job"]["Id"].as_str().unwrap().to_string();
    let first = id(ok(&s, "CreateJob", job_input()));
    advance(&s, 89 * DAY);
    let second = id(ok(&s, "CreateJob", job_input()));
    let (old, new) = ("1700000000000-zzzzzz", "1700000000000-aaaaaa");
    let replica = service(Transitions::Manual);
    replica
        .runtime
        .clock
        .restore_lifecycle(s.runtime.clock.lifecycle_now());
    for mut r in s.records() {
        if r.table == "job" {
            let (from, to) = if r.key.ends_with(&first) {
                (&first, old)
            } else {
                (&second, new)
            };
            r.key = r.key.replace(from.as_str(), to);
            if let Some(v) = &mut r.value {
                v["id"] = json!(to);
            }
        }
        replica.restore(&r).unwrap();
    }
    advance(&replica, DAY);
    let e = call(&replica, "GetJob", json!({ "Id": old })).unwrap_err();
    assert_eq!(e.code, "NotFoundException");
    assert_eq!(
        ok(&replica, "GetJob", json!({ "Id": new }))["Job"]["Id"],
        new
    );
}

#[test]
fn jobs_with_the_same_settings_read_the_presets_they_name_each_time() {
    // Settings that name a preset are checked, and their outputs sized, by the caller's
    // presets as they are at each submission.
    let s = service(Transitions::Instant);
    let preset = |op: &str, width: i64| {
        ok(
            &s,
            op,
            json!({"Name": "p", "Settings": {"ContainerSettings": {"Container": "MP4"},
                "VideoDescription": {"Width": width, "Height": 360}}}),
        )
    };
    let mut input = job_input();
    input["Settings"]["OutputGroups"][0]["Outputs"] = json!([{"Preset": "p"}]);
    let width = |job: &Value| {
        job["Job"]["OutputGroupDetails"][0]["OutputDetails"][0]["VideoDetails"]["WidthInPx"].clone()
    };
    preset("CreatePreset", 640);
    assert_eq!(width(&ok(&s, "CreateJob", input.clone())), json!(640));
    preset("UpdatePreset", 1920);
    assert_eq!(width(&ok(&s, "CreateJob", input.clone())), json!(1920));
    ok(&s, "DeletePreset", json!({"Name": "p"}));
    let e = call(&s, "CreateJob", input).unwrap_err();
    assert_eq!(
        e.message,
        "The specified preset was not found: presetArn=arn:aws:mediaconvert:us-west-2:111111111111:presets/p."
    );
    // The same settings submitted again are checked again: refused each time.
    let mut bad = job_input();
    bad["Settings"]["Inputs"] = json!([]);
    for _ in 0..2 {
        let e = call(&s, "CreateJob", bad.clone()).unwrap_err();
        assert_eq!(e.message, "/inputs: Should have at least 1 items");
        assert!(call(&s, "CreateJob", job_input()).is_ok());
    }
}

#[test]
fn a_queue_deleted_leaves_the_other_queues_schedules_as_they_were() {
    // The job table finds the schedule of the queue it placed a job in last where it was;
    // a deleted queue's schedule moves another into its place, which must not be taken for it.
    let s = service(Transitions::Manual);
    for q in ["a", "b", "c"] {
        on_demand_queue(&s, q, 1);
    }
    let first: Vec<String> = ["a", "b", "c", "a"]
        .iter()
        .map(|q| submit_to(&s, q, 0))
        .collect();
    advance(&s, 3);
    assert_eq!(statuses(&s, &first), [P, P, P, S]);
    advance(&s, 30);
    assert_eq!(statuses(&s, &first), [C, C, C, C]);
    ok(&s, "DeleteQueue", json!({"Name": "a"}));
    let next: Vec<String> = ["b", "c", "c", "b"]
        .iter()
        .map(|q| submit_to(&s, q, 0))
        .collect();
    advance(&s, 3);
    assert_eq!(statuses(&s, &next), [P, P, S, S]);
    assert_eq!(queue_counts(&s, "b"), (1, 1));
    assert_eq!(queue_counts(&s, "c"), (1, 1));
}

#[test]
fn jobs_queries_filter_by_engine_versions_requested_and_used_and_by_codecs() {
    let s = service(Transitions::Manual);
    let c = ctx("111111111111");
    let (newest, older) = (
        crate::endpoints::ENGINE_VERSIONS[0].0,
        crate::endpoints::ENGINE_VERSIONS[1].0,
    );
    let id = |out: Value| out["Job"]["Id"].as_str().unwrap().to_string();
    let plain = id(ok(&s, "CreateJob", job_input()));
    let mut pinned = job_input();
    pinned["JobEngineVersion"] = json!(older);
    pinned["Settings"]["OutputGroups"][0]["Outputs"][0]["AudioDescriptions"] =
        json!([{"CodecSettings": {"Codec": "AC4"}}]);
    let pinned = id(ok(&s, "CreateJob", pinned));
    let query = |key: &str, values: &[&str]| -> Vec<String> {
        let q = ok(
            &s,
            "StartJobsQuery",
            json!({"FilterList": [{"Key": key, "Values": values}]}),
        );
        let r = s
            .handle(&c, "GetJobsQueryResults", json!({"Id": q["Id"]}))
            .unwrap();
        assert_eq!(r["Status"], "COMPLETE");
        let mut ids: Vec<String> = r["Jobs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|j| j["Id"].as_str().unwrap().to_string())
            .collect();
        ids.sort();
        ids
    };
    let mut both = [plain.as_str(), pinned.as_str()];
    both.sort();
    assert_eq!(query("jobEngineVersionUsed", &[older]), [pinned.as_str()]);
    assert_eq!(query("jobEngineVersionUsed", &[newest]), [plain.as_str()]);
    assert_eq!(
        query("jobEngineVersionUsed", &["nope", newest, older]),
        both
    );
    assert_eq!(
        query("jobEngineVersionUsed", &["nope"]),
        Vec::<String>::new()
    );
    assert_eq!(
        query("jobEngineVersionRequested", &[older]),
        [pinned.as_str()]
    );
    assert_eq!(
        query("jobEngineVersionRequested", &[newest]),
        Vec::<String>::new()
    );
    assert_eq!(query("audioCodec", &["AC4"]), [pinned.as_str()]);
}

/// CreateJob's wire body with `settings` (wire names) and the members every job here shares.
fn create_job_request(settings: &Value) -> protocol::sample::OwnedRequest {
    protocol::sample::OwnedRequest {
        method: "POST".into(),
        path: "/2017-08-29/jobs".into(),
        query: String::new(),
        headers: vec![("content-type".into(), b"application/json".to_vec())],
        body: json!({
            "role": ROLE,
            "settings": settings,
            "userMetadata": {"b": "2", "a": "1"},
            "tags": {"team": "media"},
            "priority": 7,
            "statusUpdateInterval": "SECONDS_10",
        })
        .to_string()
        .into_bytes(),
    }
}

/// The job a view shows, without what differs between two jobs of one request.
fn comparable(mut view: Value) -> Value {
    let mut job = view["Job"].take();
    for member in ["Id", "Arn", "CreatedAt", "Timing", "ClientRequestToken"] {
        job.as_object_mut().map(|j| j.shift_remove(member));
    }
    job
}

#[test]
fn settings_read_apart_make_the_job_their_value_makes() {
    let model = protocol::Registry::shared()
        .model("mediaconvert")
        .expect("model");
    let s = service(Transitions::Instant);
    let group = |ty: &str, member: &str, dest: &str, outputs: Value| {
        json!({
            "name": ty,
            "outputGroupSettings": {"type": ty, member: {"destination": dest}},
            "outputs": outputs,
        })
    };
    let video = |w: i64, codec: &str| {
        json!({"width": w, "height": w * 9 / 16, "codecSettings": {"codec": codec,
            "h264Settings": {"rateControlMode": "QVBR", "maxBitrate": 5_000_000,
                "qvbrSettings": {"qvbrQualityLevel": 8}}}})
    };
    let all_settings = [
        json!({
            "inputs": [{"fileInput": "s3://in/a.mov"}],
            "outputGroups": [group("FILE_GROUP_SETTINGS", "fileGroupSettings", "s3://out/", json!([
                {"containerSettings": {"container": "MP4"}, "videoDescription": video(1280, "H_264")}
            ]))],
        }),
        json!({
            "timecodeConfig": {"source": "ZEROBASED"},
            "inputs": [
                {"fileInput": "s3://in/a.mov", "inputClippings": [
                    {"startTimecode": "00:00:01:00", "endTimecode": "00:00:05:00"}],
                 "audioSelectors": {"Audio Selector 1": {"defaultSelection": "DEFAULT"}}},
                {"fileInput": "https://example.com/b.mp4"},
            ],
            "outputGroups": [
                group("FILE_GROUP_SETTINGS", "fileGroupSettings", "s3://out/files/", json!([
                    {"nameModifier": "_hd", "containerSettings": {"container": "MP4"},
                     "videoDescription": video(1920, "H_264"),
                     "audioDescriptions": [{"codecSettings": {"codec": "AAC",
                        "aacSettings": {"bitrate": 96000, "codingMode": "CODING_MODE_2_0",
                            "sampleRate": 48000}}}]},
                    {"nameModifier": "_sd", "preset": "System-Generic_Sd_Mp4_Avc_Aac_4x3_640x480p_24Hz_1.5Mbps"},
                    {"nameModifier": "_audio", "containerSettings": {"container": "MP4"},
                     "audioDescriptions": [{"codecSettings": {"codec": "AAC"}}]},
                ])),
                group("HLS_GROUP_SETTINGS", "hlsGroupSettings", "s3://out/hls/", json!([
                    {"nameModifier": "_720", "containerSettings": {"container": "M3U8"},
                     "videoDescription": video(1280, "H_265")},
                ])),
            ],
        }),
    ];
    for (i, settings) in all_settings.iter().enumerate() {
        let req = create_job_request(settings);
        let (_, whole) = req.with(|r| model.parse_request(r)).expect("a valid job");
        let (_, apart, doc) = req
            .with(|r| model.parse_request_apart(r, &|op| s.doc_member(op)))
            .expect("a valid job");
        assert!(doc.is_some(), "job {i}: its settings read apart");
        assert!(apart.get("Settings").is_none());
        let from_value = s.handle(&ctx("111111111111"), "CreateJob", whole);
        let mut read_apart = ctx("111111111111");
        read_apart.doc_member = doc;
        let from_doc = s.handle(&read_apart, "CreateJob", apart);
        let (from_value, from_doc) = (from_value.expect("job"), from_doc.expect("job"));
        assert_eq!(comparable(from_value), comparable(from_doc), "job {i}");
    }
    // Refused alike, for what the settings say: no inputs, then a container a file group
    // does not take.
    let refusals = [
        json!({"outputGroups": []}),
        json!({"inputs": [{"fileInput": "s3://in/a.mov"}],
        "outputGroups": [group("FILE_GROUP_SETTINGS", "fileGroupSettings", "s3://out/", json!([
            {"containerSettings": {"container": "M3U8"}, "videoDescription": video(640, "H_264")}
        ]))]}),
    ];
    for settings in &refusals {
        let req = create_job_request(settings);
        let (_, whole) = req.with(|r| model.parse_request(r)).expect("parsed");
        let (_, apart, doc) = req
            .with(|r| model.parse_request_apart(r, &|op| s.doc_member(op)))
            .expect("parsed");
        let mut read_apart = ctx("111111111111");
        read_apart.doc_member = doc;
        let from_value = s.handle(&ctx("111111111111"), "CreateJob", whole);
        let from_doc = s.handle(&read_apart, "CreateJob", apart);
        assert_eq!(
            from_value.expect_err("refused"),
            from_doc.expect_err("refused")
        );
    }
}
