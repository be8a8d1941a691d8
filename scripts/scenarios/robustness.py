"""Every operation of every service, called with junk input through botocore: each answer is
an AWS error botocore parses (a 4xx, or 501 NotImplemented for an operation mediamock
declares it does not implement), never a 5xx, an unparseable body or a dropped connection."""
import random

import botocore
import botocore.exceptions
from botocore.config import Config

from scenarios_boto3 import REGION

SERVICES = ["ivs", "mediaconnect", "mediaconvert", "mediapackage", "mediapackagev2", "iam", "sts"]
CALLS_PER_OPERATION = 4
ODD_VALUES = [None, 0, -1, "", "x" * 300, [], {}, True, 1e308, "arn:aws:x", "../..", "\u0000",
              "a\u001bb", "%00", "a/b?c#d", "ünïcødé"]
STRINGS = ["a", "ab-c", "arn:aws:mediaconvert:us-west-2:000000000000:queues/Default", "*", " ",
           "\u0000", "x" * 129]


def junk(rng, shape, depth=0):
    """A value for `shape`, often of the wrong type or out of its bounds."""
    if rng.random() < 0.15:
        return rng.choice(ODD_VALUES)
    kind = shape.type_name
    if kind == "structure":
        if depth > 4:
            return {}
        return {k: junk(rng, v, depth + 1) for k, v in shape.members.items() if rng.random() < 0.6}
    if kind == "list":
        return [junk(rng, shape.member, depth + 1) for _ in range(rng.randint(0, 3))]
    if kind == "map":
        return {f"{rng.choice(['k', 'a-b', ''])}{i}": junk(rng, shape.value, depth + 1)
                for i in range(rng.randint(0, 2))}
    if kind == "string":
        if shape.enum and rng.random() < 0.7:
            return rng.choice(shape.enum)
        return rng.choice(STRINGS)
    if kind in ("integer", "long"):
        return rng.choice([0, 1, -5, 2**31, 2**63 - 1])
    if kind in ("double", "float"):
        return rng.choice([0.5, -1.0, 1e10])
    if kind == "boolean":
        return rng.choice([True, False])
    if kind == "timestamp":
        return rng.choice([0, 1700000000])
    return b"\x00\x01"


def scenario_every_operation_answers_junk_with_an_aws_error(ep):
    rng = random.Random(20)
    config = Config(parameter_validation=False, retries={"max_attempts": 1}, read_timeout=10)
    problems = []
    calls = 0
    for service in SERVICES:
        c = botocore.session.get_session().create_client(
            service, endpoint_url=ep, region_name=REGION, aws_access_key_id="test",
            aws_secret_access_key="test", config=config)
        model = c.meta.service_model
        for name in model.operation_names:
            op = model.operation_model(name)
            for _ in range(CALLS_PER_OPERATION):
                params = junk(rng, op.input_shape) if op.input_shape else {}
                if not isinstance(params, dict):
                    params = {}
                try:
                    getattr(c, botocore.xform_name(name))(**params)
                except botocore.exceptions.ClientError as e:
                    status = e.response["ResponseMetadata"].get("HTTPStatusCode")
                    code = e.response["Error"].get("Code")
                    if status is None or not code or (status >= 500 and (status, code) != (501, "NotImplemented")):
                        problems.append(f"{service}:{name} {status} {code} {params!r:.200}")
                except (botocore.exceptions.ParamValidationError, TypeError, ValueError, AttributeError,
                        KeyError, OverflowError):
                    continue  # botocore could not serialize the junk; nothing was sent
                except Exception as e:  # an unparseable answer, a timeout, a dropped connection
                    problems.append(f"{service}:{name} {type(e).__name__}: {e!s:.200} {params!r:.200}")
                calls += 1
    assert calls > 1000, f"only {calls} calls were sent"
    assert not problems, "\n".join(problems[:20])
    # The control character that once made IAM's error document unparseable, deliberately.
    iam = botocore.session.get_session().create_client(
        "iam", endpoint_url=ep, region_name=REGION, aws_access_key_id="test",
        aws_secret_access_key="test", config=config)
    try:
        iam.get_user(UserName="a\u0000b")
    except botocore.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == "ValidationError", e.response
    else:
        raise AssertionError("GetUser accepted a name with U+0000")


SCENARIOS = [scenario_every_operation_answers_junk_with_an_aws_error]
