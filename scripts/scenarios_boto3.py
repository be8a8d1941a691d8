#!/usr/bin/env python3
"""The end-to-end scenarios again, with boto3 and the AWS CLI (a second pair of real clients).

Starts the mediamock binary given as argv[1] (default target/debug/mediamock) on a free port,
runs every scenario, and prints one line per scenario plus a closing 'N passed, N failed'.
"""
import json
import os
import socket
import subprocess
import sys
import time
import traceback

import boto3
import botocore
import botocore.config
import botocore.exceptions
import botocore.session

BINARY = sys.argv[1] if len(sys.argv) > 1 else "target/debug/mediamock"
REGION = "us-west-2"
# Every service mediamock emulates, by botocore's names.
SERVICES = ["ivs", "mediaconnect", "mediaconvert", "mediapackage", "mediapackagev2", "iam", "sts"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def client(service, endpoint, key="test", secret="test", token=None):
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        aws_session_token=token,
        config=botocore.config.Config(retries={"max_attempts": 1}),
    )


def raw_client(service, endpoint, key="test", secret="test", region=REGION):
    """A botocore client that sends whatever it is given: no parameter validation, no retries."""
    config = botocore.config.Config(parameter_validation=False, retries={"max_attempts": 1}, read_timeout=10)
    return botocore.session.get_session().create_client(
        service, endpoint_url=endpoint, region_name=region, aws_access_key_id=key,
        aws_secret_access_key=secret, config=config)


# What botocore raises for an input it cannot serialize: nothing was sent.
UNSENDABLE = (botocore.exceptions.ParamValidationError, TypeError, ValueError, AttributeError, KeyError,
              OverflowError)


def call_every_operation(client, inputs_for):
    """Calls every operation of `client` with each input `inputs_for(operation model)` gives;
    yields (operation name, input, the answer or the exception raised). Inputs botocore cannot
    send are skipped."""
    model = client.meta.service_model
    for name in model.operation_names:
        for params in inputs_for(model.operation_model(name)):
            try:
                outcome = getattr(client, botocore.xform_name(name))(**params)
            except UNSENDABLE:
                continue
            except Exception as e:  # an AWS error, or an unparseable answer, a dropped connection
                outcome = e
            yield name, params, outcome


def fault(outcome):
    """Why an outcome is not an answer or an AWS error a client can act on (a 5xx other than a
    declared NotImplemented, an error without status or code, an unparseable answer, a dropped
    connection), or None."""
    if isinstance(outcome, botocore.exceptions.ClientError):
        status = outcome.response["ResponseMetadata"].get("HTTPStatusCode")
        code = outcome.response["Error"].get("Code")
        if status is None or not code or (status >= 500 and (status, code) != (501, "NotImplemented")):
            return f"{status} {code}"
        return None
    if isinstance(outcome, Exception):
        return f"{type(outcome).__name__}: {outcome!s:.200}"
    return None


def expect_error(fn, code, message=None):
    try:
        fn()
    except botocore.exceptions.ClientError as e:
        got = e.response["Error"]
        assert got["Code"] == code, f"expected {code}, got {got}"
        if message is not None:
            assert got.get("Message") == message, f"expected {message!r}, got {got.get('Message')!r}"
        return got
    raise AssertionError(f"expected {code}, but the call succeeded")


def scenario_identity(ep):
    me = client("sts", ep).get_caller_identity()
    assert me["Account"] == "000000000000" and me["Arn"] == "arn:aws:iam::000000000000:root", me
    expect_error(lambda: client("sts", ep, secret="wrong").get_caller_identity(), "SignatureDoesNotMatch")
    expect_error(
        lambda: client("sts", ep, key="AKIANOSUCHKEY0000000").get_caller_identity(),
        "InvalidClientTokenId",
        "The security token included in the request is invalid.",
    )


def scenario_least_privilege(ep):
    iam = client("iam", ep)
    iam.create_user(UserName="boto-alice")
    key = iam.create_access_key(UserName="boto-alice")["AccessKey"]
    ivs = client("ivs", ep, key["AccessKeyId"], key["SecretAccessKey"])
    err = expect_error(lambda: ivs.list_channels(), "AccessDeniedException")
    assert err["Message"] == (
        "User: arn:aws:iam::000000000000:user/boto-alice is not authorized to perform: "
        "ivs:ListChannels on resource: arn:aws:ivs:us-west-2:000000000000:channel/* "
        "because no identity-based policy allows the ivs:ListChannels action"
    ), err
    iam.attach_user_policy(UserName="boto-alice", PolicyArn="arn:aws:iam::aws:policy/IVSReadOnlyAccess")
    ivs.list_channels()
    expect_error(lambda: ivs.create_channel(name="nope"), "AccessDeniedException")
    expect_error(lambda: iam.get_user(UserName="nobody"), "NoSuchEntity", "The user with name nobody cannot be found.")


def scenario_assume_role(ep):
    iam = client("iam", ep)
    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::000000000000:root"}, "Action": "sts:AssumeRole"}],
    }
    iam.create_role(RoleName="boto-streamer", AssumeRolePolicyDocument=json.dumps(trust))
    iam.attach_role_policy(RoleName="boto-streamer", PolicyArn="arn:aws:iam::aws:policy/IVSFullAccess")
    role_arn = "arn:aws:iam::000000000000:role/boto-streamer"
    # Root may not assume roles; an IAM user needs the trust policy and an identity policy.
    expect_error(
        lambda: client("sts", ep).assume_role(RoleArn=role_arn, RoleSessionName="root"),
        "AccessDenied",
        "Roles may not be assumed by root accounts.",
    )
    iam.create_user(UserName="boto-assumer")
    key = iam.create_access_key(UserName="boto-assumer")["AccessKey"]
    sts = client("sts", ep, key["AccessKeyId"], key["SecretAccessKey"])
    expect_error(
        lambda: sts.assume_role(RoleArn=role_arn, RoleSessionName="demo"),
        "AccessDenied",
        f"User: arn:aws:iam::000000000000:user/boto-assumer is not authorized to perform: sts:AssumeRole on resource: {role_arn}",
    )
    allow = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": role_arn}]}
    iam.put_user_policy(UserName="boto-assumer", PolicyName="assume", PolicyDocument=json.dumps(allow))
    creds = sts.assume_role(RoleArn=role_arn, RoleSessionName="demo")["Credentials"]
    session = dict(key=creds["AccessKeyId"], secret=creds["SecretAccessKey"], token=creds["SessionToken"])
    me = client("sts", ep, **session).get_caller_identity()
    assert me["Arn"] == "arn:aws:sts::000000000000:assumed-role/boto-streamer/demo", me
    client("ivs", ep, **session).create_channel(name="from-role")


def scenario_ivs_lifecycle(ep):
    ivs = client("ivs", ep)
    created = ivs.create_channel(name="boto-demo", tags={"Owner": "me"})
    arn = created["channel"]["arn"]
    assert created["streamKey"]["value"].startswith("sk_us-west-2_"), created["streamKey"]
    assert ivs.get_channel(arn=arn)["channel"]["name"] == "boto-demo"
    for i in range(30):
        ivs.create_channel(name=f"page-{i}")
    seen = []
    for page in ivs.get_paginator("list_channels").paginate(PaginationConfig={"PageSize": 7}):
        seen += [c["arn"] for c in page["channels"]]
    assert len(seen) == len(set(seen)) and len(seen) >= 31, len(seen)
    expect_error(lambda: ivs.create_channel(name="bad name!"), "ValidationException")
    expect_error(lambda: ivs.put_metadata(channelArn=arn, metadata="hi"), "ChannelNotBroadcasting")
    ivs.delete_channel(arn=arn)
    expect_error(lambda: ivs.get_channel(arn=arn), "ResourceNotFoundException")


def scenario_cli(ep):
    env = dict(os.environ, AWS_ENDPOINT_URL=ep, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", AWS_DEFAULT_REGION=REGION)
    out = subprocess.run(["aws", "sts", "get-caller-identity"], env=env, capture_output=True, text=True, check=True)
    assert json.loads(out.stdout)["Account"] == "000000000000", out.stdout
    out = subprocess.run(["aws", "ivs", "create-channel", "--name", "cli-demo"], env=env, capture_output=True, text=True, check=True)
    assert json.loads(out.stdout)["channel"]["name"] == "cli-demo", out.stdout
    out = subprocess.run(["aws", "iam", "get-user", "--user-name", "nobody"], env=env, capture_output=True, text=True)
    assert out.returncode != 0 and "NoSuchEntity" in out.stderr, out.stderr


SCENARIOS = [
    scenario_identity,
    scenario_least_privilege,
    scenario_assume_role,
    scenario_ivs_lifecycle,
    scenario_cli,
]


def service_scenarios():
    """Scenarios of each service live in scripts/scenarios/<service>.py, each with a SCENARIOS
    list of functions taking the endpoint; they import their helpers from this module."""
    import importlib.util
    import pathlib

    found = []
    folder = pathlib.Path(__file__).parent / "scenarios"
    for path in sorted(folder.glob("*.py")):
        spec = importlib.util.spec_from_file_location(f"scenarios.{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        found.extend(module.SCENARIOS)
    return found


def serve(*args, seed=3, log="warn"):
    """Starts BINARY on a free port with `args` and waits until it accepts connections;
    returns the process and its endpoint URL."""
    port = free_port()
    server = subprocess.Popen([BINARY, "serve", "--port", str(port), "--seed", str(seed), "--log", log, *args])
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            time.sleep(0.05)
    return server, f"http://127.0.0.1:{port}"


def main():
    server, ep = serve()
    try:
        passed = failed = 0
        for scenario in SCENARIOS + service_scenarios():
            try:
                scenario(ep)
                passed += 1
                print(f"ok   {scenario.__name__}")
            except Exception:
                failed += 1
                print(f"FAIL {scenario.__name__}")
                traceback.print_exc()
        print(f"boto3: {passed} passed, {failed} failed")
        return 1 if failed else 0
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
