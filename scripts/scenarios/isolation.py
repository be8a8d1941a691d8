"""No account reaches another's state: a second account's root calls every operation of the
seven services with the first account's ARNs, IDs and names filled in. Every answer is an
error or concerns the caller's own account: no success shows anything of the first account
that the caller did not send itself, and the first account's exported state is the same
afterwards. (Nothing here is shared the ways AWS allows: no entitlement names the second
account, no resource policy grants it anything.) Then the first account's own root does the
same from another region: regional resources stay in theirs."""
import json
import os
import tempfile
import urllib.request

import botocore.auth
import botocore.awsrequest
import botocore.credentials
import botocore.exceptions

from scenarios_boto3 import REGION, SERVICES, call_every_operation, fault, raw_client, serve

VICTIM = "000000000000"
INTRUDER = "111111111111"
INTRUDER_KEY, INTRUDER_SECRET = "AKIAINTRUDER00000001", "intruder-secret"
# A tag value and a description only the victim's resources carry: no answer to the intruder
# may show them.
MARK = "victim-mark-7f3e"


def export(ep):
    """The victim account's state (`GET /_mediamock/state`, signed as its root)."""
    req = botocore.awsrequest.AWSRequest(method="GET", url=f"{ep}/_mediamock/state")
    botocore.auth.SigV4Auth(botocore.credentials.Credentials("test", "test"), "mediamock", REGION).add_auth(req)
    r = urllib.request.urlopen(urllib.request.Request(req.url, headers=dict(req.headers), method="GET"))
    return json.loads(r.read())


def victim_resources(ep):
    """Creates one of everything in the victim account; returns {member name: [values]}."""
    c = lambda s: raw_client(s, ep)
    tags = {"owner": MARK}
    iam = c("iam")
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {
        "Service": "mediaconvert.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    role = iam.create_role(RoleName="victim-role", AssumeRolePolicyDocument=json.dumps(trust),
                           Description=MARK, Tags=[{"Key": "owner", "Value": MARK}])["Role"]["Arn"]
    iam.create_user(UserName="victim-user", Tags=[{"Key": "owner", "Value": MARK}])
    iam.create_group(GroupName="victim-group")
    policy = iam.create_policy(PolicyName="victim-policy", Description=MARK, PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ivs:*", "Resource": "*"}]})
    )["Policy"]["Arn"]
    iam.tag_policy(PolicyArn=policy, Tags=[{"Key": "owner", "Value": MARK}])
    iam.create_instance_profile(InstanceProfileName="victim-ip", Tags=[{"Key": "owner", "Value": MARK}])
    iam.add_role_to_instance_profile(InstanceProfileName="victim-ip", RoleName="victim-role")
    fixtures = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "crates", "iam", "fixtures")
    with open(os.path.join(fixtures, "ssh-rsa-3072.pub")) as f:
        ssh_key = iam.upload_ssh_public_key(UserName="victim-user", SSHPublicKeyBody=f.read())["SSHPublicKey"]
    with open(os.path.join(fixtures, "signing-cert-3.pem")) as f:
        cert = iam.upload_signing_certificate(UserName="victim-user", CertificateBody=f.read())["Certificate"]
    git = iam.create_service_specific_credential(UserName="victim-user", ServiceName="codecommit.amazonaws.com")
    with open(os.path.join(fixtures, "server-cert.pem")) as f, open(os.path.join(fixtures, "server-cert.key")) as k:
        iam.upload_server_certificate(ServerCertificateName="victim-cert", CertificateBody=f.read(),
                                      PrivateKey=k.read(), Tags=[{"Key": "owner", "Value": MARK}])
    issuer = iam.enable_outbound_web_identity_federation()["IssuerIdentifier"]
    user_arn = f"arn:aws:iam::{VICTIM}:user/victim-user"
    report = iam.generate_service_last_accessed_details(Arn=user_arn)["JobId"]

    ivs = c("ivs")
    created = ivs.create_channel(name="victim-ch", tags=tags)
    channel, key = created["channel"]["arn"], created["streamKey"]["arn"]
    rc = ivs.create_recording_configuration(
        name="victim-rc", destinationConfiguration={"s3": {"bucketName": "victim-bucket"}}, tags=tags
    )["recordingConfiguration"]["arn"]
    prp = ivs.create_playback_restriction_policy(name="victim-prp", tags=tags)["playbackRestrictionPolicy"]["arn"]

    mcn = c("mediaconnect")
    flow = mcn.create_flow(Name="victim-flow", Source={"Name": "src", "Protocol": "rtp", "IngestPort": 5000,
                                                       "WhitelistCidr": "10.0.0.0/16", "Description": MARK},
                           Outputs=[{"Name": "out", "Protocol": "rtp", "Destination": "198.51.100.5",
                                     "Port": 5020, "Description": MARK}],
                           FlowTags=tags)["Flow"]
    ent = mcn.grant_flow_entitlements(FlowArn=flow["FlowArn"], Entitlements=[
        {"Name": "victim-ent", "Subscribers": ["222222222222"], "Description": MARK}])["Entitlements"][0]

    mcv = c("mediaconvert")
    queue = mcv.create_queue(Name="victim-queue", Description=MARK, Tags=tags)["Queue"]["Arn"]
    preset = mcv.create_preset(Name="victim-preset", Description=MARK, Tags=tags, Settings={
        "ContainerSettings": {"Container": "MP4"},
        "VideoDescription": {"CodecSettings": {"Codec": "H_264"}}})["Preset"]["Arn"]
    settings = {"Inputs": [{"FileInput": "s3://victim-in/a.mp4"}], "OutputGroups": [{
        "OutputGroupSettings": {"Type": "FILE_GROUP_SETTINGS",
                                "FileGroupSettings": {"Destination": "s3://victim-out/"}},
        "Outputs": [{"Preset": "victim-preset"}]}]}
    template = mcv.create_job_template(Name="victim-template", Description=MARK, Tags=tags,
                                       Settings={"OutputGroups": settings["OutputGroups"]})["JobTemplate"]["Arn"]
    job = mcv.create_job(Role=role, Settings=settings, Tags=tags, UserMetadata={"owner": MARK})["Job"]

    mp1 = c("mediapackage")
    mp1.create_channel(Id="victim-mp1", Description=MARK, Tags=tags)
    ep1 = mp1.create_origin_endpoint(ChannelId="victim-mp1", Id="victim-mp1-ep", Description=MARK,
                                     HlsPackage={}, Tags=tags)["Arn"]

    mp2 = c("mediapackagev2")
    group = mp2.create_channel_group(ChannelGroupName="victim-g", Description=MARK, Tags=tags)["Arn"]
    ch2 = mp2.create_channel(ChannelGroupName="victim-g", ChannelName="victim-c", Description=MARK, Tags=tags)["Arn"]
    ep2 = mp2.create_origin_endpoint(ChannelGroupName="victim-g", ChannelName="victim-c",
                                     OriginEndpointName="victim-e", ContainerType="TS", Description=MARK,
                                     HlsManifests=[{"ManifestName": "index"}], Tags=tags)["Arn"]

    ivs_arns = [channel, key, rc, prp]
    mc_arns = [queue, preset, template, job["Arn"]]
    flow_arns = [flow["FlowArn"], ent["EntitlementArn"], flow["Outputs"][0]["OutputArn"], flow["Source"]["SourceArn"]]
    mp_arns = [ep1, group, ch2, ep2]
    return {
        "arn": ivs_arns + mc_arns + [user_arn, policy],
        "jobid": [report],
        # Not a member: the victim's outbound federation issuer, which no answer to the
        # intruder may show.
        "__issuer": [issuer],
        "arns": [ivs_arns],
        "channelarn": [channel],
        "resourcearn": ivs_arns + mc_arns + flow_arns + mp_arns,
        "flowarn": [flow["FlowArn"]],
        "entitlementarn": [ent["EntitlementArn"]],
        "entitlementarns": [[ent["EntitlementArn"]]],
        "outputarn": [flow["Outputs"][0]["OutputArn"]],
        "sourcearn": [flow["Source"]["SourceArn"]],
        "id": [job["Id"], "victim-mp1", "victim-mp1-ep"],
        "name": ["victim-queue", "victim-preset", "victim-template"],
        "queue": ["victim-queue", queue],
        "jobtemplate": ["victim-template", template],
        "preset": ["victim-preset", preset],
        "channelid": ["victim-mp1"],
        "channelgroupname": ["victim-g"],
        "channelname": ["victim-c"],
        "originendpointname": ["victim-e"],
        "username": ["victim-user"],
        "rolename": ["victim-role"],
        "groupname": ["victim-group"],
        "instanceprofilename": ["victim-ip"],
        "sshpublickeyid": [ssh_key["SSHPublicKeyId"]],
        "certificateid": [cert["CertificateId"]],
        "servercertificatename": ["victim-cert"],
        "servicespecificcredentialid": [git["ServiceSpecificCredential"]["ServiceSpecificCredentialId"]],
        "policyarn": [policy],
        "policysourcearn": [user_arn, role],
        "rolearn": [role],
        "role": [role],
    }


def filler(shape, depth=0):
    """A plausible value of `shape` (its required members only)."""
    kind = shape.type_name
    if kind == "structure":
        if depth > 3:
            return {}
        return {k: filler(shape.members[k], depth + 1) for k in shape.required_members}
    if kind == "list":
        return []
    if kind == "map":
        return {}
    if kind == "string":
        return shape.enum[0] if shape.enum else "intruder-1"
    if kind in ("integer", "long"):
        return 1
    if kind in ("double", "float"):
        return 1.0
    if kind == "boolean":
        return False
    if kind == "timestamp":
        return 1700000000
    return b"x"


def inputs(op, table):
    """Inputs for `op`: every member the table knows filled with the victim's values (one call
    per value of the longest list), the other required members with plausible values."""
    shape = op.input_shape
    if shape is None:
        return [{}]
    base = filler(shape)
    known = {m: table[m.lower()] for m in shape.members if m.lower() in table}
    if not known:
        return [base]
    calls = []
    for i in range(max(len(v) for v in known.values())):
        params = dict(base)
        for m, values in known.items():
            v = values[i % len(values)]
            if shape.members[m].type_name == "list" and not isinstance(v, list):
                v = [v]
            params[m] = v
        calls.append(params)
    return calls


def leaked(answer, sent, markers):
    """The victim's markers in an answer that the request did not carry itself."""
    text, asked = json.dumps(answer, default=str), json.dumps(sent, default=str)
    return [m for m in markers if m in text and m not in asked]


def sweep(ep, services, key, secret, region, table, markers):
    """Every operation of `services` called as `key` in `region` with the victim's values;
    returns (problems, calls, successes)."""
    problems, calls, succeeded = [], 0, 0
    for service in services:
        client = raw_client(service, ep, key, secret, region)
        for name, params, outcome in call_every_operation(client, lambda op: inputs(op, table)):
            calls += 1
            why = fault(outcome)
            if why:
                problems.append(f"{service}:{name} {why} {params!r:.160}")
            if isinstance(outcome, botocore.exceptions.ClientError):
                found = leaked(outcome.response.get("Error", {}), params, markers)
                if found:
                    problems.append(f"{service}:{name} error shows {found}: {outcome!s:.200}")
            elif isinstance(outcome, dict):
                succeeded += 1
                outcome.pop("ResponseMetadata", None)
                found = leaked(outcome, params, markers)
                if found:
                    problems.append(f"{service}:{name} answered {found}: {json.dumps(outcome, default=str):.300}")
    return problems, calls, succeeded


def in_region(state, region):
    """The records of an export that belong to `region` (regional resources' keys name it)."""
    return [r for r in state["records"] if f":{region}:" in r["record"]["key"]]


def scenario_no_account_reaches_another(_ep):
    with tempfile.TemporaryDirectory() as d:
        bootstrap = os.path.join(d, "bootstrap.json")
        with open(bootstrap, "w") as f:
            json.dump({"accounts": [{"id": INTRUDER, "root_access_key": INTRUDER_KEY,
                                     "root_secret_key": INTRUDER_SECRET}]}, f)
        server, ep = serve("--bootstrap", bootstrap, seed=5, log="error")
        try:
            table = victim_resources(ep)
            before = export(ep)
            problems, calls, succeeded = sweep(ep, SERVICES, INTRUDER_KEY, INTRUDER_SECRET, REGION, table,
                                               (MARK, f":{VICTIM}:", f"::{VICTIM}:",
                                                table["__issuer"][0].removeprefix("https://")))
            assert calls > 800, f"only {calls} calls were made"
            assert succeeded > 40, f"only {succeeded} calls succeeded: the sweep reached too little"
            assert not problems, "\n".join(problems[:20])
            assert export(ep) == before, "the victim's state changed"
            # The victim itself, in another region: regional resources stay in theirs (IAM and
            # STS are global, so they are left out here).
            problems, calls, succeeded = sweep(ep, SERVICES[:5], "test", "test", "eu-west-1", table, (MARK,))
            assert calls > 500 and succeeded > 20, (calls, succeeded)
            assert not problems, "\n".join(problems[:20])
            assert in_region(export(ep), REGION) == in_region(before, REGION), "the victim's region changed"
        finally:
            server.terminate()
            server.wait(timeout=10)


SCENARIOS = [scenario_no_account_reaches_another]
