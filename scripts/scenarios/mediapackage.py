"""MediaPackage v1 and v2 with boto3, the AWS CLI and plain curl egress."""
import json
import os
import subprocess

from scenarios_boto3 import REGION, client, expect_error


def _curl(url, method="GET"):
    """Status and body of an unsigned request, as a player or CDN would send it."""
    out = subprocess.run(
        ["curl", "-s", "-X", method, "-o", "-", "-w", "\n%{http_code}", url],
        capture_output=True, text=True, check=True,
    )
    body, _, status = out.stdout.rpartition("\n")
    return int(status), body


def scenario_mediapackagev2_egress(ep):
    mp = client("mediapackagev2", ep)
    mp.create_channel_group(ChannelGroupName="boto-g", Tags={"team": "video"})
    mp.create_channel(ChannelGroupName="boto-g", ChannelName="live", InputType="CMAF")
    e = mp.create_origin_endpoint(
        ChannelGroupName="boto-g", ChannelName="live", OriginEndpointName="web",
        ContainerType="CMAF", HlsManifests=[{"ManifestName": "index"}],
        DashManifests=[{"ManifestName": "dash"}],
    )
    url = e["HlsManifests"][0]["Url"]
    assert url.startswith(ep) and url.endswith("/boto-g/live/web/index.m3u8"), url
    status, body = _curl(url)
    assert status == 403 and "mediapackagev2:GetObject" in body, (status, body)
    policy = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": "*", "Action": "mediapackagev2:GetObject", "Resource": e["Arn"]}]}
    mp.put_origin_endpoint_policy(
        ChannelGroupName="boto-g", ChannelName="live", OriginEndpointName="web", Policy=json.dumps(policy))
    status, body = _curl(url)
    assert status == 200 and body.startswith("#EXTM3U"), (status, body)
    status, body = _curl(url.replace("index.m3u8", "dash.mpd"))
    assert status == 200 and "<MPD" in body, (status, body)
    bad = expect_error(
        lambda: mp.put_origin_endpoint_policy(
            ChannelGroupName="boto-g", ChannelName="live", OriginEndpointName="web", Policy="{nope"),
        "ValidationException",
    )
    assert bad is not None
    expect_error(lambda: mp.delete_channel_group(ChannelGroupName="boto-g"), "ConflictException")
    expect_error(lambda: mp.get_channel(ChannelGroupName="boto-g", ChannelName="nope"), "ResourceNotFoundException")


def scenario_mediapackagev2_harvest(ep):
    mp = client("mediapackagev2", ep)
    mp.create_channel_group(ChannelGroupName="boto-h")
    mp.create_channel(ChannelGroupName="boto-h", ChannelName="c")
    mp.create_origin_endpoint(
        ChannelGroupName="boto-h", ChannelName="c", OriginEndpointName="e",
        ContainerType="TS", HlsManifests=[{"ManifestName": "index"}])
    import datetime
    now = datetime.datetime.now(datetime.timezone.utc)
    mp.create_harvest_job(
        ChannelGroupName="boto-h", ChannelName="c", OriginEndpointName="e", HarvestJobName="clip",
        HarvestedManifests={"HlsManifests": [{"ManifestName": "index"}]},
        ScheduleConfiguration={"StartTime": now - datetime.timedelta(minutes=10),
                               "EndTime": now - datetime.timedelta(minutes=1)},
        Destination={"S3Destination": {"BucketName": "bucket", "DestinationPath": "clips/"}},
    )
    mp.get_waiter("harvest_job_finished").wait(
        ChannelGroupName="boto-h", ChannelName="c", OriginEndpointName="e", HarvestJobName="clip",
        WaiterConfig={"Delay": 1, "MaxAttempts": 30})
    pages = mp.get_paginator("list_harvest_jobs").paginate(ChannelGroupName="boto-h")
    assert sum(len(p["Items"]) for p in pages) == 1
    # Clean up: an account holds at most 3 channel groups (AWS's default quota).
    mp.delete_origin_endpoint(ChannelGroupName="boto-h", ChannelName="c", OriginEndpointName="e")
    mp.delete_channel(ChannelGroupName="boto-h", ChannelName="c")
    mp.delete_channel_group(ChannelGroupName="boto-h")


def scenario_mediapackage_v1(ep):
    mp = client("mediapackage", ep)
    ch = mp.create_channel(Id="boto-sports")
    assert len(ch["HlsIngest"]["IngestEndpoints"]) == 2, ch
    ep1 = mp.create_origin_endpoint(Id="boto-hls", ChannelId="boto-sports", HlsPackage={})
    assert ep1["Url"].startswith(ep) and ep1["Url"].endswith("/index.m3u8"), ep1["Url"]
    status, body = _curl(ep1["Url"])
    assert status == 200 and body.startswith("#EXTM3U"), (status, body)
    mp.update_origin_endpoint(Id="boto-hls", Whitelist=["10.0.0.0/8"])
    status, _ = _curl(ep1["Url"])
    assert status == 403, status
    expect_error(lambda: mp.create_channel(Id="boto-sports"), "UnprocessableEntityException")
    expect_error(lambda: mp.describe_channel(Id="nope"), "NotFoundException")
    expect_error(lambda: mp.delete_channel(Id="boto-sports"), "UnprocessableEntityException")
    mp.delete_origin_endpoint(Id="boto-hls")
    mp.delete_channel(Id="boto-sports")


def scenario_mediapackage_users_and_paginator(ep):
    iam = client("iam", ep)
    iam.create_user(UserName="boto-mp")
    key = iam.create_access_key(UserName="boto-mp")["AccessKey"]
    creds = dict(key=key["AccessKeyId"], secret=key["SecretAccessKey"])
    v1, v2 = client("mediapackage", ep, **creds), client("mediapackagev2", ep, **creds)
    # List* actions have no resource type, so AWS's message names no resource, except for v1's
    # ListChannels, which AWS authorizes on the account's channels (the User Guide's
    # troubleshooting example).
    denied = "User: arn:aws:iam::000000000000:user/boto-mp is not authorized to perform: {0} " \
             "because no identity-based policy allows the {0} action"
    channels = "arn:aws:mediapackage:us-west-2:000000000000:channels/*"
    expect_error(lambda: v1.list_channels(), "AccessDeniedException",
                 denied.format("mediapackage:ListChannels").replace(
                     "ListChannels because", f"ListChannels on resource: {channels} because"))
    expect_error(lambda: v2.list_channel_groups(), "AccessDeniedException",
                 denied.format("mediapackagev2:ListChannelGroups"))
    policy = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["mediapackage:*", "mediapackagev2:*"], "Resource": "*"}]}
    iam.put_user_policy(UserName="boto-mp", PolicyName="mp", PolicyDocument=json.dumps(policy))
    for i in range(5):
        v1.create_channel(Id=f"boto-page-{i}")
    pages = list(v1.get_paginator("list_channels").paginate(PaginationConfig={"PageSize": 2}))
    ids = [c["Id"] for p in pages for c in p["Channels"]]
    assert {f"boto-page-{i}" for i in range(5)} <= set(ids) and len(ids) == len(set(ids)), ids
    assert all(len(p["Channels"]) <= 2 for p in pages), [len(p["Channels"]) for p in pages]
    v2.create_channel_group(ChannelGroupName="boto-user-g")
    assert v2.get_channel_group(ChannelGroupName="boto-user-g")["Arn"].endswith(":channelGroup/boto-user-g")
    v2.delete_channel_group(ChannelGroupName="boto-user-g")


def scenario_mediapackage_cli(ep):
    env = dict(os.environ, AWS_ENDPOINT_URL=ep, AWS_ACCESS_KEY_ID="test",
               AWS_SECRET_ACCESS_KEY="test", AWS_DEFAULT_REGION=REGION)
    run = lambda *args: subprocess.run(["aws", *args], env=env, capture_output=True, text=True)
    out = run("mediapackagev2", "create-channel-group", "--channel-group-name", "cli-g")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["ChannelGroupName"] == "cli-g", out.stdout
    out = run("mediapackagev2", "list-channel-groups")
    assert any(g["ChannelGroupName"] == "cli-g" for g in json.loads(out.stdout)["Items"]), out.stdout
    out = run("mediapackagev2", "get-channel", "--channel-group-name", "cli-g", "--channel-name", "nope")
    assert out.returncode != 0 and "ResourceNotFoundException" in out.stderr, out.stderr
    out = run("mediapackage", "create-channel", "--id", "cli-channel")
    assert out.returncode == 0 and json.loads(out.stdout)["Id"] == "cli-channel", out.stderr


SCENARIOS = [
    scenario_mediapackagev2_egress,
    scenario_mediapackagev2_harvest,
    scenario_mediapackage_v1,
    scenario_mediapackage_users_and_paginator,
    scenario_mediapackage_cli,
]
