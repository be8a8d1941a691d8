"""MediaConvert with boto3 and the AWS CLI: a job through its lifecycle to COMPLETE, a job
from a template, the job role refused (PassRole) and failing (no S3 access), the input policy,
system presets by category. The server runs with fast transitions (a job takes ~10 s)."""
import json
import os
import subprocess
import time

from scenarios_boto3 import REGION, client, expect_error

ACCOUNT = "000000000000"
TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "mediaconvert.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}
S3 = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::boto-in/*"},
        {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::boto-out/*"},
    ],
}


def role(ep, name, s3=True):
    iam = client("iam", ep)
    iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(TRUST))
    if s3:
        iam.put_role_policy(RoleName=name, PolicyName="s3", PolicyDocument=json.dumps(S3))
    return f"arn:aws:iam::{ACCOUNT}:role/{name}"


def settings(file_input, destination):
    return {
        "Inputs": [{"FileInput": file_input}],
        "OutputGroups": [{
            "OutputGroupSettings": {"Type": "FILE_GROUP_SETTINGS", "FileGroupSettings": {"Destination": destination}},
            "Outputs": [{
                "NameModifier": "_720p",
                "ContainerSettings": {"Container": "MP4"},
                "VideoDescription": {"Width": 1280, "Height": 720, "CodecSettings": {"Codec": "H_264"}},
            }],
        }],
    }


def wait_for(mc, job_id, statuses, seconds=30):
    deadline = time.time() + seconds
    while True:
        job = mc.get_job(Id=job_id)["Job"]
        if job["Status"] in statuses or time.time() > deadline:
            return job
        time.sleep(0.5)


def scenario_mediaconvert_job_lifecycle(ep):
    mc = client("mediaconvert", ep)
    arn = role(ep, "boto-mc-role")
    job = mc.create_job(Role=arn, Settings=settings("s3://boto-in/cat.mov", "s3://boto-out/"))["Job"]
    assert job["Status"] == "SUBMITTED", job["Status"]
    assert job["Queue"].endswith(":queues/Default"), job["Queue"]
    seen = set()
    deadline = time.time() + 30
    while time.time() < deadline:
        j = mc.get_job(Id=job["Id"])["Job"]
        seen.add(j["Status"])
        if j["Status"] == "PROGRESSING":
            assert 0 <= j["JobPercentComplete"] <= 99 and j["CurrentPhase"] in ("PROBING", "TRANSCODING", "UPLOADING"), j
        if j["Status"] == "COMPLETE":
            break
        time.sleep(0.5)
    assert seen >= {"PROGRESSING", "COMPLETE"}, seen
    details = j["OutputGroupDetails"][0]["OutputDetails"][0]["VideoDetails"]
    assert (details["WidthInPx"], details["HeightInPx"]) == (1280, 720), details
    assert "FinishTime" in j["Timing"], j["Timing"]
    # A job from a template, and a paginated, filtered listing.
    mc.create_job_template(Name="boto-tmpl", Settings={"OutputGroups": settings("s3://x/y", "s3://boto-out/t/")["OutputGroups"]})
    from_template = mc.create_job(Role=arn, JobTemplate="boto-tmpl", Settings={"Inputs": [{"FileInput": "s3://boto-in/dog.mp4"}]})["Job"]
    assert from_template["JobTemplate"] == "boto-tmpl"
    jobs = [j for page in mc.get_paginator("list_jobs").paginate(PaginationConfig={"PageSize": 1}) for j in page["Jobs"]]
    assert [j["Id"] for j in jobs][:2] == [from_template["Id"], job["Id"]], "newest first"
    mc.cancel_job(Id=from_template["Id"])
    assert mc.get_job(Id=from_template["Id"])["Job"]["Status"] == "CANCELED"
    expect_error(lambda: mc.cancel_job(Id=from_template["Id"]), "ConflictException")
    expect_error(lambda: mc.delete_queue(Name="Default"), "BadRequestException")


def scenario_mediaconvert_job_role(ep):
    iam = client("iam", ep)
    arn = role(ep, "boto-mc-nos3", s3=False)
    iam.create_user(UserName="boto-mcv-user")
    iam.put_user_policy(UserName="boto-mcv-user", PolicyName="p", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "mediaconvert:*", "Resource": "*"}]}))
    key = iam.create_access_key(UserName="boto-mcv-user")["AccessKey"]
    user = client("mediaconvert", ep, key["AccessKeyId"], key["SecretAccessKey"])
    expect_error(
        lambda: user.create_job(Role=arn, Settings=settings("s3://boto-in/a.mp4", "s3://boto-out/")),
        "AccessDeniedException",
        f"User: arn:aws:iam::{ACCOUNT}:user/boto-mcv-user is not authorized to perform: iam:PassRole "
        f"on resource: {arn} because no identity-based policy allows the iam:PassRole action",
    )
    mc = client("mediaconvert", ep)
    job = mc.create_job(Role=arn, Settings=settings("s3://boto-in/a.mp4", "s3://boto-out/"))["Job"]
    failed = wait_for(mc, job["Id"], ("ERROR", "COMPLETE"))
    assert failed["Status"] == "ERROR" and failed["ErrorCode"] == 1434, failed
    assert failed["ErrorMessage"].startswith("Unable to open input file [s3://boto-in/a.mp4]"), failed["ErrorMessage"]


def scenario_mediaconvert_policy_and_presets(ep):
    mc = client("mediaconvert", ep)
    mc.put_policy(Policy={"HttpInputs": "DISALLOWED"})
    assert mc.get_policy()["Policy"] == {"HttpInputs": "DISALLOWED", "HttpsInputs": "ALLOWED", "S3Inputs": "ALLOWED"}
    arn = f"arn:aws:iam::{ACCOUNT}:role/boto-mc-role"
    # A disallowed input location is refused with a 400, and no job is stored (User Guide).
    expect_error(
        lambda: mc.create_job(Role=arn, Settings=settings("http://media.example.com/a.mp4", "s3://boto-out/")),
        "BadRequestException",
        "You specified an input location that your policy disallows. "
        "Specify an allowed input location and resubmit your job.",
    )
    mc.delete_policy()
    expect_error(lambda: mc.get_policy(), "NotFoundException")
    hls = mc.list_presets(ListBy="SYSTEM", Category="HLS")["Presets"]
    assert hls and all(p["Category"] == "HLS" and p["Type"] == "SYSTEM" for p in hls), hls
    # The default listing is the account's own presets, as AWS's CLI example shows.
    assert all(p["Type"] == "CUSTOM" for p in mc.list_presets()["Presets"])


EXAMPLES = os.path.join(os.path.dirname(__file__), "fixtures", "mediaconvert-examples")


def scenario_mediaconvert_aws_documented_jobs_and_system_presets(ep):
    """AWS's example jobs from the User Guide, and the system presets and job templates real
    code names, are accepted as AWS accepts them."""
    mc = client("mediaconvert", ep)
    role = f"arn:aws:iam::{ACCOUNT}:role/boto-mc-role"
    for name in sorted(f for f in os.listdir(EXAMPLES) if f.endswith(".json")):
        with open(os.path.join(EXAMPLES, name)) as f:
            job = json.load(f)
        job["Role"] = role
        created = mc.create_job(**job)["Job"]
        assert created["Status"] == "SUBMITTED", (name, created)
        assert created["Settings"]["OutputGroups"] == job["Settings"]["OutputGroups"], name
    ladder = ["System-Avc_16x9_1080p_29_97fps_8500kbps", "System-Avc_16x9_720p_29_97fps_5000kbps",
              "System-Avc_16x9_540p_29_97fps_3500kbps", "System-Avc_16x9_360p_29_97fps_1200kbps",
              "System-Avc_16x9_270p_14_99fps_400kbps"]
    group = {"Name": "Apple HLS", "OutputGroupSettings": {"Type": "HLS_GROUP_SETTINGS", "HlsGroupSettings": {
        "SegmentLength": 10, "MinSegmentLength": 0, "Destination": "s3://boto-out/hls/"}},
        "Outputs": [{"Preset": p, "NameModifier": p[-8:]} for p in ladder]}
    job = mc.create_job(Role=role, Settings={"Inputs": [{"FileInput": "s3://boto-in/a.mp4"}], "OutputGroups": [group]})
    assert job["Job"]["Status"] == "SUBMITTED"
    preset = mc.get_preset(Name=ladder[0])["Preset"]
    assert preset["Description"] == "Wifi, 1920x1080, 16:9, 29.97fps, 8500kbps", preset
    names = [t["Name"] for t in mc.get_paginator("list_job_templates").paginate(ListBy="SYSTEM").build_full_result()["JobTemplates"]]
    assert "System-Ott_Hls_Ts_Avc_Aac" in names and "System-Generic_Mp4_Hev1_Avc_Aac_Sdr_Qvbr" in names, names
    expect_error(lambda: mc.delete_job_template(Name="System-Ott_Hls_Ts_Avc_Aac"), "BadRequestException")


def scenario_mediaconvert_cli(ep):
    env = dict(os.environ, AWS_ENDPOINT_URL=ep, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", AWS_DEFAULT_REGION=REGION)

    def aws(*args):
        out = subprocess.run(["aws", "mediaconvert", *args], env=env, capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout) if out.stdout.strip() else {}

    aws("create-queue", "--name", "cli-queue", "--tags", "team=cli")
    queues = [q["Name"] for q in aws("list-queues")["Queues"]]
    assert "Default" in queues and "cli-queue" in queues, queues
    job = aws(
        "create-job", "--role", f"arn:aws:iam::{ACCOUNT}:role/boto-mc-role", "--queue", "cli-queue",
        "--settings", json.dumps(settings("s3://boto-in/cli.mp4", "s3://boto-out/cli/")),
    )["Job"]
    assert job["Queue"].endswith(":queues/cli-queue"), job
    assert aws("get-job", "--id", job["Id"])["Job"]["Id"] == job["Id"]
    out = subprocess.run(["aws", "mediaconvert", "get-queue", "--name", "nope"], env=env, capture_output=True, text=True)
    assert out.returncode != 0 and "NotFoundException" in out.stderr, out.stderr


SCENARIOS = [
    scenario_mediaconvert_job_lifecycle,
    scenario_mediaconvert_job_role,
    scenario_mediaconvert_policy_and_presets,
    scenario_mediaconvert_aws_documented_jobs_and_system_presets,
    scenario_mediaconvert_cli,
]
