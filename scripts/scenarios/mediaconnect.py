"""MediaConnect with boto3 and the AWS CLI: a flow's life with botocore's waiters, outputs and
their rules, an entitlement used by a second identity's flow, least privilege with PassRole."""

import json
import os
import subprocess

from scenarios_boto3 import REGION, client, expect_error

RTP_SOURCE = {"Name": "src", "Protocol": "rtp", "IngestPort": 5000, "WhitelistCidr": "10.0.0.0/16"}
FAST = {"Delay": 1, "MaxAttempts": 30}


def scenario_mediaconnect_flow_life(ep):
    mc = client("mediaconnect", ep)
    flow = mc.create_flow(Name="boto-game", Source=RTP_SOURCE)["Flow"]
    arn = flow["FlowArn"]
    assert flow["Status"] == "STANDBY", flow
    out = mc.add_flow_outputs(
        FlowArn=arn,
        Outputs=[
            {"Name": "rtp", "Protocol": "rtp-fec", "Destination": "198.51.100.5", "Port": 5020},
            {"Name": "srt", "Protocol": "srt-listener", "Port": 5021, "CidrAllowList": ["203.0.113.0/24"]},
        ],
    )["Outputs"]
    # A flow's parts carry the flow's own ID: flow:1-X-Y:boto-game has output:1-X-Y:rtp.
    flow_id = arn.split(":")[6]
    assert out[0]["OutputArn"] == f"arn:aws:mediaconnect:{REGION}:000000000000:output:{flow_id}:rtp", out
    expect_error(
        lambda: mc.add_flow_outputs(FlowArn=arn, Outputs=[{"Name": "x", "Protocol": "rtp", "Port": 5030}]),
        "BadRequestException",
        "Destination is required for protocol rtp.",
    )
    assert mc.start_flow(FlowArn=arn)["Status"] == "STARTING"
    mc.get_waiter("flow_active").wait(FlowArn=arn, WaiterConfig=FAST)
    expect_error(lambda: mc.delete_flow(FlowArn=arn), "BadRequestException")
    mc.stop_flow(FlowArn=arn)
    mc.get_waiter("flow_standby").wait(FlowArn=arn, WaiterConfig=FAST)
    mc.delete_flow(FlowArn=arn)
    mc.get_waiter("flow_deleted").wait(FlowArn=arn, WaiterConfig=FAST)
    expect_error(lambda: mc.describe_flow(FlowArn=arn), "NotFoundException")


def scenario_mediaconnect_entitlement_and_pass_role(ep):
    mc = client("mediaconnect", ep)
    iam = client("iam", ep)
    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "mediaconnect.amazonaws.com"}, "Action": "sts:AssumeRole"}],
    }
    role = iam.create_role(RoleName="boto-mc", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    arn = mc.create_flow(Name="boto-origin", Source=RTP_SOURCE, FlowTags={"team": "news"})["Flow"]["FlowArn"]
    ent = mc.grant_flow_entitlements(
        FlowArn=arn, Entitlements=[{"Name": "partner", "Subscribers": ["000000000000"], "DataTransferSubscriberFeePercent": 5}]
    )["Entitlements"][0]
    listed = mc.list_entitlements()["Entitlements"]
    assert any(e["EntitlementArn"] == ent["EntitlementArn"] for e in listed), listed
    sub = mc.create_flow(Name="boto-sub", Source={"Name": "in", "EntitlementArn": ent["EntitlementArn"]})["Flow"]
    assert sub["Source"]["DataTransferSubscriberFeePercent"] == 5, sub

    iam.create_user(UserName="boto-mc-user")
    key = iam.create_access_key(UserName="boto-mc-user")["AccessKey"]
    # Tagged flows only; a new output has no tags yet, so its ARN pattern is allowed apart.
    policy = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "mediaconnect:*", "Resource": "*",
         "Condition": {"StringEquals": {"aws:ResourceTag/team": "news"}}},
        {"Effect": "Allow", "Action": "mediaconnect:AddFlowOutputs", "Resource": "arn:aws:mediaconnect:*:*:output:*"}]}
    iam.put_user_policy(UserName="boto-mc-user", PolicyName="p", PolicyDocument=json.dumps(policy))
    user = client("mediaconnect", ep, key["AccessKeyId"], key["SecretAccessKey"])
    user.describe_flow(FlowArn=arn)
    encrypted = {"Name": "enc", "Protocol": "zixi-push", "Destination": "198.51.100.5", "Port": 2088,
                 "Encryption": {"RoleArn": role, "Algorithm": "aes256", "KeyType": "static-key",
                                "SecretArn": f"arn:aws:secretsmanager:{REGION}:000000000000:secret:k"}}
    err = expect_error(lambda: user.add_flow_outputs(FlowArn=arn, Outputs=[encrypted]), "AccessDeniedException")
    assert f"iam:PassRole on resource: {role}" in err["Message"], err
    expect_error(lambda: user.describe_flow(FlowArn=sub["FlowArn"]), "AccessDeniedException")
    pass_role = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "iam:PassRole", "Resource": role,
         "Condition": {"StringEquals": {"iam:PassedToService": "mediaconnect.amazonaws.com"}}}]}
    iam.put_user_policy(UserName="boto-mc-user", PolicyName="pass", PolicyDocument=json.dumps(pass_role))
    user.add_flow_outputs(FlowArn=arn, Outputs=[encrypted])


def scenario_mediaconnect_user_and_paginator(ep):
    iam = client("iam", ep)
    iam.create_user(UserName="boto-mc-none")
    key = iam.create_access_key(UserName="boto-mc-none")["AccessKey"]
    user = client("mediaconnect", ep, key["AccessKeyId"], key["SecretAccessKey"])
    expect_error(
        lambda: user.list_flows(),
        "AccessDeniedException",
        "User: arn:aws:iam::000000000000:user/boto-mc-none is not authorized to perform: mediaconnect:ListFlows "
        "because no identity-based policy allows the mediaconnect:ListFlows action",
    )
    iam.attach_user_policy(UserName="boto-mc-none", PolicyArn="arn:aws:iam::aws:policy/AWSElementalMediaConnectReadOnlyAccess")
    mc = client("mediaconnect", ep)
    for i in range(5):
        mc.create_flow(Name=f"boto-page-{i}", Source=RTP_SOURCE)
    pages = list(user.get_paginator("list_flows").paginate(PaginationConfig={"PageSize": 2}))
    arns = [f["FlowArn"] for p in pages for f in p["Flows"]]
    assert len(arns) == len(set(arns)) == len(mc.list_flows()["Flows"]) >= 5, arns
    assert all(len(p["Flows"]) <= 2 for p in pages) and len(pages) >= 3, [len(p["Flows"]) for p in pages]
    expect_error(lambda: user.create_flow(Name="nope", Source=RTP_SOURCE), "AccessDeniedException")


def scenario_mediaconnect_cli(ep):
    env = dict(os.environ, AWS_ENDPOINT_URL=ep, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", AWS_DEFAULT_REGION=REGION)

    def aws(*args, check=True):
        return subprocess.run(["aws", "mediaconnect", *args], env=env, capture_output=True, text=True, check=check)

    flow = json.loads(aws("create-flow", "--name", "cli-flow", "--source", json.dumps(RTP_SOURCE)).stdout)["Flow"]
    listed = json.loads(aws("list-flows").stdout)["Flows"]
    assert any(f["FlowArn"] == flow["FlowArn"] for f in listed), listed
    bad = aws("describe-flow", "--flow-arn", flow["FlowArn"] + "x", check=False)
    assert bad.returncode != 0 and "NotFoundException" in bad.stderr, bad.stderr


SCENARIOS = [
    scenario_mediaconnect_flow_life,
    scenario_mediaconnect_entitlement_and_pass_role,
    scenario_mediaconnect_user_and_paginator,
    scenario_mediaconnect_cli,
]
