"""IAM and STS with boto3 and the AWS CLI: the policy simulator and its context keys, IAM's
paginator and waiter, an IAM user's own IAM/STS calls, instance profiles and policy tags, a
user's SSH keys, signing certificates and service-specific credentials, the root user's own
access keys and signing certificates, service last accessed reports, `--output table`, and
the CLI's exit status on errors."""
import json
import os
import subprocess

from scenarios_boto3 import REGION, client, expect_error

ACCOUNT = "000000000000"
FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "crates", "iam", "fixtures")


def scenario_iam_simulate_custom_policy(ep):
    iam = client("iam", ep)
    policy = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "ivs:*", "Resource": "*"},
        {"Effect": "Deny", "Action": "ivs:DeleteChannel", "Resource": "*"}]}
    results = iam.simulate_custom_policy(
        PolicyInputList=[json.dumps(policy)],
        ActionNames=["ivs:GetChannel", "ivs:DeleteChannel", "mediaconnect:ListFlows"],
    )["EvaluationResults"]
    decisions = {r["EvalActionName"]: r["EvalDecision"] for r in results}
    assert decisions == {
        "ivs:GetChannel": "allowed",
        "ivs:DeleteChannel": "explicitDeny",
        "mediaconnect:ListFlows": "implicitDeny",
    }, decisions
    expect_error(
        lambda: iam.simulate_custom_policy(PolicyInputList=["{nope"], ActionNames=["ivs:GetChannel"]),
        "MalformedPolicyDocument",
    )


def scenario_iam_paginator_waiter_and_user(ep):
    iam = client("iam", ep)
    for i in range(5):
        iam.create_user(UserName=f"boto-page-{i}", Path="/paged/")
    iam.get_waiter("user_exists").wait(UserName="boto-page-4", WaiterConfig={"Delay": 1, "MaxAttempts": 5})
    pages = list(iam.get_paginator("list_users").paginate(PathPrefix="/paged/", PaginationConfig={"PageSize": 2}))
    assert [len(p["Users"]) for p in pages] == [2, 2, 1], [len(p["Users"]) for p in pages]
    assert [u["UserName"] for p in pages for u in p["Users"]] == [f"boto-page-{i}" for i in range(5)]
    # An IAM user: STS always answers who it is; IAM needs a policy.
    key = iam.create_access_key(UserName="boto-page-0")["AccessKey"]
    creds = dict(key=key["AccessKeyId"], secret=key["SecretAccessKey"])
    me = client("sts", ep, **creds).get_caller_identity()
    assert me["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/paged/boto-page-0", me
    user_iam = client("iam", ep, **creds)
    expect_error(
        lambda: user_iam.list_users(),
        "AccessDenied",
        f"User: arn:aws:iam::{ACCOUNT}:user/paged/boto-page-0 is not authorized to perform: iam:ListUsers "
        f"on resource: arn:aws:iam::{ACCOUNT}:user/ because no identity-based policy allows the iam:ListUsers action",
    )
    expect_error(lambda: user_iam.get_user(UserName="boto-page-1"), "AccessDenied")
    iam.attach_user_policy(UserName="boto-page-0", PolicyArn="arn:aws:iam::aws:policy/IAMReadOnlyAccess")
    assert user_iam.get_user(UserName="boto-page-1")["User"]["Path"] == "/paged/"
    expect_error(lambda: user_iam.create_user(UserName="boto-nope"), "AccessDenied")


def scenario_iam_instance_profiles_and_policy_tags(ep):
    iam = client("iam", ep)
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {
        "Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    iam.create_role(RoleName="boto-ec2", AssumeRolePolicyDocument=json.dumps(trust))
    for name in ("boto-ip-a", "boto-ip-b", "boto-ip-c"):
        iam.create_instance_profile(InstanceProfileName=name, Path="/boto/")
    iam.add_role_to_instance_profile(InstanceProfileName="boto-ip-b", RoleName="boto-ec2")
    expect_error(lambda: iam.add_role_to_instance_profile(InstanceProfileName="boto-ip-b", RoleName="boto-ec2"),
                 "LimitExceeded", "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1")
    pages = list(iam.get_paginator("list_instance_profiles").paginate(
        PathPrefix="/boto/", PaginationConfig={"PageSize": 2}))
    assert [len(p["InstanceProfiles"]) for p in pages] == [2, 1], pages
    held = iam.list_instance_profiles_for_role(RoleName="boto-ec2")["InstanceProfiles"]
    assert [p["InstanceProfileName"] for p in held] == ["boto-ip-b"], held
    assert held[0]["Roles"][0]["Arn"] == f"arn:aws:iam::{ACCOUNT}:role/boto-ec2", held
    expect_error(lambda: iam.delete_role(RoleName="boto-ec2"), "DeleteConflict",
                 "Cannot delete entity, must remove roles from instance profile first.")
    iam.remove_role_from_instance_profile(InstanceProfileName="boto-ip-b", RoleName="boto-ec2")
    iam.delete_role(RoleName="boto-ec2")
    for name in ("boto-ip-a", "boto-ip-b", "boto-ip-c"):
        iam.delete_instance_profile(InstanceProfileName=name)
    expect_error(lambda: iam.get_instance_profile(InstanceProfileName="boto-ip-a"), "NoSuchEntity",
                 "Instance Profile boto-ip-a cannot be found.")

    policy = iam.create_policy(PolicyName="boto-tagged", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ivs:GetChannel", "Resource": "*",
                                                 "Condition": {"StringEquals": {"aws:RequestedRegion": "us-west-2"}}}]}
    ))["Policy"]["Arn"]
    iam.tag_policy(PolicyArn=policy, Tags=[{"Key": "team", "Value": "video"}])
    assert iam.list_policy_tags(PolicyArn=policy)["Tags"] == [{"Key": "team", "Value": "video"}]
    expect_error(lambda: iam.tag_policy(PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess",
                                        Tags=[{"Key": "team", "Value": "video"}]),
                 "InvalidInput", "Tags not supported for policies in this domain")
    doc = iam.get_policy_version(PolicyArn=policy, VersionId="v1")["PolicyVersion"]["Document"]
    keys = iam.get_context_keys_for_custom_policy(PolicyInputList=[json.dumps(doc)])["ContextKeyNames"]
    assert keys == ["aws:RequestedRegion"], keys

    # Which of a user's policies may grant each service; the STS token version preference.
    iam.create_user(UserName="boto-access")
    iam.attach_user_policy(UserName="boto-access", PolicyArn=policy)
    granting = iam.list_policies_granting_service_access(
        Arn=f"arn:aws:iam::{ACCOUNT}:user/boto-access", ServiceNamespaces=["ivs", "s3"])["PoliciesGrantingServiceAccess"]
    assert [(g["ServiceNamespace"], [p["PolicyName"] for p in g["Policies"]]) for g in granting] == \
        [("ivs", ["boto-tagged"]), ("s3", [])], granting
    iam.detach_user_policy(UserName="boto-access", PolicyArn=policy)
    iam.delete_user(UserName="boto-access")
    iam.set_security_token_service_preferences(GlobalEndpointTokenVersion="v2Token")
    assert iam.get_account_summary()["SummaryMap"]["GlobalEndpointTokenVersion"] == 2
    iam.set_security_token_service_preferences(GlobalEndpointTokenVersion="v1Token")


def scenario_iam_user_credentials_and_force_destroy(ep):
    """SSH keys, signing certificates and service-specific credentials, then the cleanup a
    Terraform `force_destroy` runs before DeleteUser."""
    iam = client("iam", ep)
    iam.create_user(UserName="boto-git")
    ssh_path = os.path.join(FIXTURES, "ssh-rsa-2048.pub")
    with open(os.path.join(FIXTURES, "ssh-rsa-2048.pem")) as f:
        pem = f.read()
    with open(os.path.join(FIXTURES, "signing-cert-2.pem")) as f:
        cert = f.read()
    # The AWS CLI reads the key from a file, as its documentation shows.
    env = dict(os.environ, AWS_ENDPOINT_URL=ep, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test",
               AWS_DEFAULT_REGION=REGION)
    out = subprocess.run(["aws", "iam", "upload-ssh-public-key", "--user-name", "boto-git",
                          "--ssh-public-key-body", f"file://{ssh_path}"], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    key = json.loads(out.stdout)["SSHPublicKey"]
    assert key["Fingerprint"] == "6d:f2:74:35:56:e6:ed:e3:98:69:b6:47:15:f8:5c:d1", key
    got = iam.get_ssh_public_key(UserName="boto-git", SSHPublicKeyId=key["SSHPublicKeyId"], Encoding="PEM")
    assert got["SSHPublicKey"]["SSHPublicKeyBody"] == pem, got
    expect_error(lambda: iam.upload_ssh_public_key(UserName="boto-git", SSHPublicKeyBody=pem),
                 "DuplicateSSHPublicKey", "The SSH public key is already associated with the specified IAM user.")
    iam.update_ssh_public_key(UserName="boto-git", SSHPublicKeyId=key["SSHPublicKeyId"], Status="Inactive")
    uploaded = iam.upload_signing_certificate(UserName="boto-git", CertificateBody=cert)["Certificate"]
    assert uploaded["Status"] == "Active" and uploaded["UserName"] == "boto-git", uploaded
    expect_error(lambda: iam.upload_signing_certificate(UserName="boto-git", CertificateBody="not a certificate"),
                 "MalformedCertificate")
    made = iam.create_service_specific_credential(UserName="boto-git", ServiceName="codecommit.amazonaws.com")
    assert made["ServiceSpecificCredential"]["ServiceUserName"] == f"boto-git-at-{ACCOUNT}", made
    expect_error(lambda: iam.delete_user(UserName="boto-git"), "DeleteConflict",
                 "Cannot delete entity, must delete certificates first.")
    # force_destroy: every kind listed and deleted, then the user.
    for k in iam.list_ssh_public_keys(UserName="boto-git")["SSHPublicKeys"]:
        iam.delete_ssh_public_key(UserName="boto-git", SSHPublicKeyId=k["SSHPublicKeyId"])
    for c in iam.list_signing_certificates(UserName="boto-git")["Certificates"]:
        iam.delete_signing_certificate(UserName="boto-git", CertificateId=c["CertificateId"])
    creds = iam.list_service_specific_credentials(UserName="boto-git")["ServiceSpecificCredentials"]
    assert [c["ServiceName"] for c in creds] == ["codecommit.amazonaws.com"] and "ServicePassword" not in creds[0]
    for c in creds:
        iam.delete_service_specific_credential(UserName="boto-git",
                                               ServiceSpecificCredentialId=c["ServiceSpecificCredentialId"])
    iam.delete_user(UserName="boto-git")
    expect_error(lambda: iam.list_ssh_public_keys(UserName="boto-git"), "NoSuchEntity",
                 "The user with name boto-git cannot be found.")
    # A server certificate: its key must match; the key is never given back.
    with open(os.path.join(FIXTURES, "server-cert.pem")) as f, open(os.path.join(FIXTURES, "server-cert.key")) as k:
        body, key = f.read(), k.read()
    expect_error(lambda: iam.upload_server_certificate(ServerCertificateName="boto-cdn", CertificateBody=cert,
                                                       PrivateKey=key), "KeyPairMismatch")
    meta = iam.upload_server_certificate(ServerCertificateName="boto-cdn", CertificateBody=body,
                                         PrivateKey=key)["ServerCertificateMetadata"]
    assert meta["Arn"] == f"arn:aws:iam::{ACCOUNT}:server-certificate/boto-cdn", meta
    got = iam.get_server_certificate(ServerCertificateName="boto-cdn")["ServerCertificate"]
    assert got["CertificateBody"] == body.strip() and "PRIVATE KEY" not in json.dumps(got, default=str), got
    iam.delete_server_certificate(ServerCertificateName="boto-cdn")


def scenario_iam_service_last_accessed(ep):
    """An access review as scripts do it: generate, poll until COMPLETED, page on Marker; the
    CLI reads the group's entities."""
    iam = client("iam", ep)
    policy = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["ivs:List*", "mediapackagev2:*"], "Resource": "*"}]}
    iam.create_user(UserName="boto-advisor")
    iam.put_user_policy(UserName="boto-advisor", PolicyName="media", PolicyDocument=json.dumps(policy))
    iam.create_group(GroupName="boto-advisors")
    iam.put_group_policy(GroupName="boto-advisors", PolicyName="media", PolicyDocument=json.dumps(policy))
    iam.add_user_to_group(GroupName="boto-advisors", UserName="boto-advisor")
    key = iam.create_access_key(UserName="boto-advisor")["AccessKey"]
    client("ivs", ep, key=key["AccessKeyId"], secret=key["SecretAccessKey"]).list_channels()
    arn = f"arn:aws:iam::{ACCOUNT}:user/boto-advisor"
    job = iam.generate_service_last_accessed_details(Arn=arn)["JobId"]
    services, kwargs = [], {"JobId": job, "MaxItems": 1}
    for _ in range(50):
        page = iam.get_service_last_accessed_details(**kwargs)
        if page["JobStatus"] == "IN_PROGRESS":
            continue
        assert page["JobStatus"] == "COMPLETED", page
        services += page["ServicesLastAccessed"]
        if not page["IsTruncated"]:
            break
        kwargs["Marker"] = page["Marker"]
    by_ns = {s["ServiceNamespace"]: s for s in services}
    assert sorted(by_ns) == ["ivs", "mediapackagev2"], sorted(by_ns)
    assert by_ns["ivs"]["LastAuthenticatedEntity"] == arn and by_ns["ivs"]["TotalAuthenticatedEntities"] == 1
    assert by_ns["ivs"]["LastAuthenticated"].tzinfo is not None, by_ns["ivs"]
    assert "LastAuthenticated" not in by_ns["mediapackagev2"], by_ns["mediapackagev2"]
    expect_error(lambda: iam.generate_service_last_accessed_details(Arn=f"arn:aws:iam::{ACCOUNT}:group/none"),
                 "NoSuchEntity", "The group with name none cannot be found.")
    group_job = iam.generate_service_last_accessed_details(Arn=f"arn:aws:iam::{ACCOUNT}:group/boto-advisors")["JobId"]
    env = dict(os.environ, AWS_ENDPOINT_URL=ep, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test",
               AWS_DEFAULT_REGION=REGION)
    out = subprocess.run(["aws", "iam", "get-service-last-accessed-details-with-entities", "--job-id", group_job,
                          "--service-namespace", "ivs"], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    entities = json.loads(out.stdout)["EntityDetailsList"]
    assert [e["EntityInfo"]["Name"] for e in entities] == ["boto-advisor"], entities
    assert entities[0]["EntityInfo"]["Type"] == "USER" and "LastAuthenticated" in entities[0], entities


def scenario_iam_root_manages_its_own_credentials(ep):
    """Without a user name, root manages its own access keys and signing certificates, as AWS
    documents ("you can use this operation to manage AWS account root user credentials")."""
    iam = client("iam", ep)
    key = iam.create_access_key()["AccessKey"]
    assert "UserName" not in key and key["Status"] == "Active", key
    mine = client("sts", ep, key["AccessKeyId"], key["SecretAccessKey"]).get_caller_identity()
    assert mine["Arn"] == f"arn:aws:iam::{ACCOUNT}:root", mine
    expect_error(lambda: iam.create_access_key(), "LimitExceeded", "Cannot exceed quota for AccessKeysPerUser: 2")
    env = dict(os.environ, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", AWS_DEFAULT_REGION=REGION)
    out = subprocess.run(["aws", "--endpoint-url", ep, "iam", "update-access-key", "--access-key-id",
                          key["AccessKeyId"], "--status", "Inactive"], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    listed = {k["AccessKeyId"]: k["Status"] for k in iam.list_access_keys()["AccessKeyMetadata"]}
    assert listed == {"test": "Active", key["AccessKeyId"]: "Inactive"}, listed
    expect_error(lambda: client("sts", ep, key["AccessKeyId"], key["SecretAccessKey"]).get_caller_identity(),
                 "InvalidClientTokenId")
    iam.delete_access_key(AccessKeyId=key["AccessKeyId"])
    assert [k["AccessKeyId"] for k in iam.list_access_keys()["AccessKeyMetadata"]] == ["test"]

    with open(os.path.join(FIXTURES, "signing-cert-2.pem")) as f:
        body = f.read()
    cert = iam.upload_signing_certificate(CertificateBody=body)["Certificate"]
    assert "UserName" not in cert and cert["Status"] == "Active", cert
    assert iam.get_account_summary()["SummaryMap"]["AccountSigningCertificatesPresent"] == 1
    iam.update_signing_certificate(CertificateId=cert["CertificateId"], Status="Inactive")
    certs = iam.list_signing_certificates()["Certificates"]
    assert [(c["CertificateId"], c["Status"]) for c in certs] == [(cert["CertificateId"], "Inactive")], certs
    iam.delete_signing_certificate(CertificateId=cert["CertificateId"])
    assert iam.list_signing_certificates()["Certificates"] == []


def scenario_cli_table_and_exit_status(ep):
    env = dict(os.environ, AWS_ENDPOINT_URL=ep, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test",
               AWS_DEFAULT_REGION=REGION)
    run = lambda *args: subprocess.run(["aws", *args], env=env, capture_output=True, text=True)
    out = run("sts", "get-caller-identity", "--output", "table")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert "GetCallerIdentity" in lines[1] and f"arn:aws:iam::{ACCOUNT}:root" in out.stdout, out.stdout
    out = run("ivs", "create-channel", "--name", "cli-table", "--output", "table")
    assert out.returncode == 0 and "CreateChannel" in out.stdout and "cli-table" in out.stdout, out
    out = run("mediaconnect", "list-flows", "--output", "table")
    assert out.returncode == 0, out.stderr
    # Errors: the AWS CLI v1 (the one pip installs) exits 255 on a service error, with the code
    # and message as botocore parsed them; 2 when it refuses the command line itself.
    out = run("ivs", "get-channel", "--arn", f"arn:aws:ivs:{REGION}:{ACCOUNT}:channel/nope1234abcd")
    assert out.returncode == 255 and "(ResourceNotFoundException)" in out.stderr, (out.returncode, out.stderr)
    out = run("mediapackagev2", "get-channel-group", "--channel-group-name", "nope")
    assert out.returncode == 255 and "(ResourceNotFoundException)" in out.stderr, (out.returncode, out.stderr)
    bad_env = dict(env, AWS_SECRET_ACCESS_KEY="wrong")
    out = subprocess.run(["aws", "mediaconvert", "list-queues"], env=bad_env, capture_output=True, text=True)
    assert out.returncode == 255 and "ListQueues operation" in out.stderr, (out.returncode, out.stderr)
    out = run("ivs", "create-channel", "--type", "NO_SUCH_TYPE")
    assert out.returncode == 255 and "(ValidationException)" in out.stderr, (out.returncode, out.stderr)
    out = run("ivs", "get-channel")
    assert out.returncode == 2 and "--arn" in out.stderr, (out.returncode, out.stderr)


SCENARIOS = [
    scenario_iam_simulate_custom_policy,
    scenario_iam_paginator_waiter_and_user,
    scenario_iam_instance_profiles_and_policy_tags,
    scenario_iam_user_credentials_and_force_destroy,
    scenario_iam_service_last_accessed,
    scenario_iam_root_manages_its_own_credentials,
    scenario_cli_table_and_exit_status,
]
