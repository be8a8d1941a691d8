"""Every operation of every service, called with junk input through botocore: each answer is
an AWS error botocore parses (a 4xx, or 501 NotImplemented for an operation mediamock
declares it does not implement), never a 5xx, an unparseable body or a dropped connection."""
import random

import botocore.exceptions

from scenarios_boto3 import SERVICES, call_every_operation, fault, raw_client

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

    def inputs_for(op):
        out = []
        for _ in range(CALLS_PER_OPERATION):
            params = junk(rng, op.input_shape) if op.input_shape else {}
            out.append(params if isinstance(params, dict) else {})
        return out

    problems = []
    calls = 0
    for service in SERVICES:
        for name, params, outcome in call_every_operation(raw_client(service, ep), inputs_for):
            calls += 1
            why = fault(outcome)
            if why:
                problems.append(f"{service}:{name} {why} {params!r:.200}")
    assert calls > 1000, f"only {calls} calls were sent"
    assert not problems, "\n".join(problems[:20])
    # The control character that once made IAM's error document unparseable, deliberately.
    try:
        raw_client("iam", ep).get_user(UserName="a\u0000b")
    except botocore.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == "ValidationError", e.response
    else:
        raise AssertionError("GetUser accepted a name with U+0000")


SCENARIOS = [scenario_every_operation_answers_junk_with_an_aws_error]
