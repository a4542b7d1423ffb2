"""Least privilege, proven: each function runs in the end-to-end tests as its own role, made in the emulator from the
built template's policy for it (conftest.as_function_roles, tools/function_role.py), and the emulator enforces IAM
(emulator/atrest_emulator/authorization.py). Here: the policies resolve as CloudFormation would resolve them, the
functions really call AWS as their roles, a missing permission fails the call that needs it, and the conditions
moto does not evaluate are checked statically.

moto ignores IAM conditions: a statement's Condition block is treated as met (kms:ViaService, aws:TagKeys,
aws:SourceArn, aws:SourceAccount, aws:ResourceTag/..., s3:RequestObjectTagKeys and every other key). It does not
evaluate resource-based policies (queue, topic, key and bucket policies) either, and S3 never calls KMS with the
caller's credentials there. test_conditions_moto_ignores_hold_statically checks each such condition in the template
instead; tests/test_least_privilege.py checks the actions the emulator never authorises (S3's calls to KMS).
"""
import json
import os
import sys
import urllib.request

import pytest

from template_model import ROOT, functions, resources, translated
from test_invoke import EVENTS, invoke

sys.path.insert(0, os.path.join(ROOT, "tools"))
import function_role  # noqa: E402
from invoke import TemplateEnvironment  # noqa: E402

ACCOUNT = "123456789012"
REGION = "us-east-1"
BUCKET = "atrest-demo-bucket"


def environment(**params):
    return TemplateEnvironment(None, REGION, params, template=translated())


def policies(function_id, **params):
    return function_role.role_policies(environment(**params), function_id)[1]


def statements(function_id, **params):
    return [s for _, document in policies(function_id, **params) for s in document["Statement"]]


def granted(function_id, **params):
    found = {}
    for s in statements(function_id, **params):
        actions = [s["Action"]] if isinstance(s["Action"], str) else s["Action"]
        resources_ = [s["Resource"]] if isinstance(s["Resource"], str) else s["Resource"]
        for action in actions:
            found.setdefault(action, set()).update(resources_)
    return found


def _unresolved(node):
    if isinstance(node, dict):
        return any(k == "Ref" or k.startswith("Fn::") or _unresolved(v) for k, v in node.items())
    if isinstance(node, list):
        return any(_unresolved(v) for v in node)
    return False


# ---------------------------------------------------------------- the policies, resolved

@pytest.mark.parametrize("function_id", sorted(functions()))
def test_every_function_role_resolves_to_plain_policies(function_id):
    role_id, found = function_role.role_policies(environment(), function_id)
    assert found, function_id
    for name, document in found:
        assert not _unresolved(document), (name, document)
        assert document["Version"] == "2012-10-17"
        for s in document["Statement"]:
            # moto evaluates Action and Resource, not NotAction or NotResource.
            assert s["Effect"] in ("Allow", "Deny") and s["Action"] and s["Resource"], (name, s)
    assert environment().physical(role_id, "Arn") == f"arn:aws:iam::{ACCOUNT}:role/atrest-local-{role_id}"


@pytest.mark.parametrize("function_id", sorted(functions()))
def test_sam_grants_the_on_failure_destination_and_nothing_else_unasked(function_id):
    """What SAM adds to the role besides the template's Policies: sqs:SendMessage on an SQS on-failure destination
    (Lambda sends with the function's role), and the logging managed policy, left out of the emulator's role."""
    destination = functions()[function_id]["Properties"].get("EventInvokeConfig", {}) \
        .get("DestinationConfig", {}).get("OnFailure", {})
    env = environment()
    role = env.template["Resources"][f"{function_id}Role"]["Properties"]
    assert role["ManagedPolicyArns"] == ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]
    added = [(n, d) for n, d in policies(function_id) if not n.startswith(f"{function_id}RolePolicy")]
    if destination.get("Type") == "SQS":
        queue = env.resolve(destination["Destination"])
        send = {"Action": "sqs:SendMessage", "Effect": "Allow", "Resource": queue}
        assert added == [(f"{function_id}EventInvokeConfigOnFailureSQSPolicy",
                          {"Version": "2012-10-17", "Statement": [send]})]
    else:
        assert added == [], added


def test_the_s3_role_covers_exactly_the_watched_buckets():
    found = granted("S3ReencryptFunction", BucketNames="one,two")
    # Any partition: CloudFormation takes no function in a Join delimiter (the template says why).
    assert found["s3:UpdateObjectEncryption"] == {"arn:*:s3:::one/*", "arn:*:s3:::two/*"}
    assert found["s3:ListBucket"] == {"arn:*:s3:::one", "arn:*:s3:::two"}
    assert not any(action.startswith("s3:") and "s3:::*" in str(r) for action, r in found.items())
    assert "s3:GetBucketTagging" not in found


def test_the_s3_role_uses_the_target_key_to_encrypt_and_other_keys_only_to_decrypt():
    key = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    any_key = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/*"
    for function_id in ("S3ReencryptFunction", "S3BackfillFunction"):
        by_arn = granted(function_id, TargetKmsKeyArn=key)
        assert by_arn["kms:DescribeKey"] == {key}, function_id
    by_arn = granted("S3ReencryptFunction", TargetKmsKeyArn=key)
    for action in ("kms:GenerateDataKey", "kms:Encrypt", "kms:ReEncryptTo"):
        assert by_arn[action] == {key}, action
    assert by_arn["kms:ReEncryptFrom"] == {any_key}
    assert by_arn["kms:Decrypt"] == {key, any_key}
    # By alias ARN IAM cannot name the key: any key of the account and Region that carries the alias.
    by_alias = {tuple(sorted(s["Action"] if isinstance(s["Action"], list) else [s["Action"]])): s
                for s in statements("S3ReencryptFunction")}
    describe = by_alias[("kms:DescribeKey",)]
    assert describe["Resource"] == any_key
    assert describe["Condition"] == {"ForAnyValue:StringEquals": {"kms:ResourceAliases": "alias/atrest"}}
    encrypt = by_alias[("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:ReEncryptTo")]
    assert encrypt["Resource"] == any_key
    assert encrypt["Condition"]["ForAnyValue:StringEquals"] == {"kms:ResourceAliases": "alias/atrest"}


def test_every_bucket_of_the_account_is_granted_only_with_all_but_opted_out():
    found = granted("S3ReencryptFunction", BucketScope="all-but-opted-out")
    assert found["s3:UpdateObjectEncryption"] == {"arn:*:s3:::*/*"}
    assert found["s3:GetBucketTagging"] == found["s3:GetBucketLocation"] == {"arn:*:s3:::*"}
    backfill = granted("S3BackfillFunction", BucketScope="all-but-opted-out")
    assert backfill["s3:ListAllMyBuckets"] == {"*"} and backfill["s3:GetBucketTagging"] == {"arn:*:s3:::*"}
    assert "s3:ListAllMyBuckets" not in granted("S3BackfillFunction")
    notifications = granted("S3BackfillFunction", EnableBucketEventBridge="true", BucketNames="one")
    assert notifications["s3:PutBucketNotification"] == notifications["s3:GetBucketNotification"] == \
        {"arn:*:s3:::one"}
    assert "s3:PutBucketNotification" not in granted("S3BackfillFunction")


def test_optional_permissions_follow_their_parameters():
    topic = f"arn:aws:sns:{REGION}:{ACCOUNT}:findings"
    assert "sns:Publish" not in granted("KmsRotationFunction")
    assert granted("KmsRotationFunction", FindingsTopicArn=topic)["sns:Publish"] == {topic}
    off = granted("StorageAuditFunction")
    assert not {"securityhub:BatchImportFindings", "sns:Publish", "ec2:CreateTags", "ec2:DeleteTags",
                "elasticfilesystem:TagResource", "ec2:EnableEbsEncryptionByDefault"} & set(off)
    on = granted("StorageAuditFunction", SecurityHubEnabled="true", FindingsTopicArn=topic, TagResources="true",
                 EnableEbsDefaultEncryption="true")
    assert {"securityhub:BatchImportFindings", "ec2:CreateTags", "ec2:DeleteTags", "elasticfilesystem:TagResource",
            "ec2:EnableEbsEncryptionByDefault"} <= set(on)
    assert on["sns:Publish"] == {topic}
    assert all(":volume/" in r or ":snapshot/" in r for r in on["ec2:CreateTags"]), on["ec2:CreateTags"]


def test_a_test_can_take_one_action_out_of_a_policy():
    before = policies("KmsRotationFunction")
    after = function_role.without_actions(before, ["kms:EnableKeyRotation", "kms:ListKeys"])
    names = {a for _, d in after for s in d["Statement"] for a in ([s["Action"]] if isinstance(s["Action"], str)
                                                                   else s["Action"])}
    assert "kms:EnableKeyRotation" not in names and "kms:ListKeys" not in names
    assert "kms:DescribeKey" in names
    assert policies("KmsRotationFunction") == before  # the original is left as it was


# ---------------------------------------------------------------- conditions moto does not evaluate

def _all_statements(node):
    """Every statement under node, in both branches of each Fn::If (whatever the parameters)."""
    if isinstance(node, dict):
        if "Effect" in node:
            yield node
            return
        for value in node.values():
            yield from _all_statements(value)
    elif isinstance(node, list):
        for value in node:
            yield from _all_statements(value)


def _policy_documents(template):
    """(where, document) of each identity policy of a function role and each resource policy of the template."""
    for role_id, role in resources(template, "AWS::IAM::Role").items():
        for policy in _all_statements(role["Properties"].get("Policies", [])):
            yield role_id, policy
    for kind in ("AWS::SQS::QueuePolicy", "AWS::SNS::TopicPolicy", "AWS::S3::BucketPolicy", "AWS::KMS::Key"):
        for logical_id, resource in resources(template, kind).items():
            document = resource["Properties"].get("PolicyDocument") or resource["Properties"].get("KeyPolicy")
            for statement in _all_statements(document or {}):
                yield logical_id, statement


def _rule_arn(env, value):
    """A rule of this template (or several: a queue that is the dead-letter queue of more than one rule)."""
    arns = {env.physical(k, "Arn") for k in resources(env.template, "AWS::Events::Rule")}
    return all(v in arns for v in (value if isinstance(value, list) else [value]))


# Each condition key a statement of the template uses, with what it must say. moto treats every condition as met,
# so these are the only checks they get; a new key fails the test until it has one here.
CONDITION_CHECKS = {
    # SSE-KMS keys are used only through S3 in this Region.
    "kms:ViaService": lambda env, op, value, s: op == "StringEquals" and value == f"s3.{REGION}.amazonaws.com"
    and all(a.startswith("kms:") for a in s["Action"]),
    # Tag writes name atrest's own tag key and nothing else, and must name one (ForAllValues holds for none).
    "aws:TagKeys": lambda env, op, value, s: (op, value) in (
        ("ForAllValues:StringEquals", ["atrest:encryption-finding"]), ("Null", "false")),
    # A queue takes dead letters only from this template's rules, in this account.
    "aws:SourceArn": lambda env, op, value, s: op == "ArnEquals" and _rule_arn(env, value),
    "aws:SourceAccount": lambda env, op, value, s: op == "StringEquals" and value == ACCOUNT,
    # S3's encryption context names the object (or, with a Bucket Key, the bucket): the watched buckets only.
    "kms:EncryptionContext:aws:s3:arn": lambda env, op, value, s: op == "StringLike"
    and sorted(value) == sorted(f"arn:*:s3:::{b}{suffix}" for b in env.resolve({"Ref": "BucketNames"})
                                for suffix in ("", "/*")) and all(a.startswith("kms:") for a in s["Action"]),
    # A target key named by alias: the key that alias points to.
    "kms:ResourceAliases": lambda env, op, value, s: op == "ForAnyValue:StringEquals"
    and value == env.resolve({"Ref": "TargetKmsKeyArn"}).split(":", 5)[5] and value.startswith("alias/"),
    # The report bucket refuses every request that is not over TLS: a Deny, for everyone.
    "aws:SecureTransport": lambda env, op, value, s: (op, value) == ("Bool", "false") and s["Effect"] == "Deny"
    and s["Principal"] == "*",
    # The created target key is used by this account's principals only (with kms:ViaService: only through S3).
    "kms:CallerAccount": lambda env, op, value, s: op == "StringEquals" and value == ACCOUNT
    and "kms:ViaService" in s["Condition"]["StringEquals"],
}


def test_conditions_moto_ignores_hold_statically():
    template = translated()
    # Every optional statement resolvable: a report location, so the report's statements (behind a condition
    # that is false by default, whose branch CloudFormation never resolves) can be read too.
    env = environment(ReportLocation="s3://atrest-reports/findings/")
    seen = set()
    for where, statement in _policy_documents(template):
        resolved = env.resolve(statement)
        if "Action" in resolved and isinstance(resolved["Action"], str):
            resolved["Action"] = [resolved["Action"]]
        for op, block in resolved.get("Condition", {}).items():
            for key, value in block.items():
                assert key in CONDITION_CHECKS, f"{where}: condition key {key} has no static check; moto ignores it"
                assert CONDITION_CHECKS[key](env, op, value, resolved), (where, op, key, value)
                seen.add(key)
        if "aws:TagKeys" in json.dumps(resolved.get("Condition", {})):
            # Both halves, or a DeleteTags without tags would remove every tag of the resource.
            assert {"ForAllValues:StringEquals", "Null"} <= set(resolved["Condition"]), (where, resolved)
    assert seen == set(CONDITION_CHECKS), f"checks for keys the template no longer uses: {set(CONDITION_CHECKS) - seen}"


# ---------------------------------------------------------------- the functions run as their roles

def _log(endpoint):
    with urllib.request.urlopen(endpoint + "/_atrest/requests") as r:
        return json.load(r)


def _item(body):
    items = body.get("items") or body.get("results") or []
    assert len(items) == 1, body
    return items[0]


@pytest.fixture
def target_key(client):
    return client("kms").create_key(Description="atrest target")["KeyMetadata"]["Arn"]


@pytest.fixture
def target_alias(client, target_key):
    """The target key by its alias ARN, as the template's default names it: the S3 function resolves it with
    kms:DescribeKey, which KMS authorises on the key."""
    client("kms").create_alias(AliasName="alias/atrest", TargetKeyId=target_key)
    return f"arn:aws:kms:{REGION}:{ACCOUNT}:alias/atrest"


def test_what_the_policy_does_not_grant_is_denied(client, endpoint, target_key, tmp_path):
    """Two Batch Operations tasks, one role: the policy without s3:UpdateObjectEncryption (taken out for this test)
    and scoped to the watched bucket. The object in the watched bucket is read but its write is denied; the object
    in another bucket cannot even be read. Both are reported FAILED and left as they were."""
    s3 = client("s3")
    objects = {BUCKET: "reports/q3 final.csv", "another-bucket": "data/x.bin"}
    for bucket, key in objects.items():
        s3.create_bucket(Bucket=bucket)
        s3.put_object(Bucket=bucket, Key=key, Body=b"a,b\n", ServerSideEncryption="AES256")
    event = json.load(open(os.path.join(EVENTS, "s3-batch-v2.json")))
    event["tasks"] = [{"taskId": f"t{i}", "s3Bucket": bucket, "s3Key": key.replace(" ", "%20"), "s3VersionId": None}
                      for i, (bucket, key) in enumerate(objects.items())]
    path = tmp_path / "batch.json"
    path.write_text(json.dumps(event))

    event["tasks"].append({"taskId": "t2", "s3Bucket": BUCKET, "s3Key": "deleted/after-its-event.csv",
                           "s3VersionId": None})
    path.write_text(json.dumps(event))
    code, body, err = invoke("S3ReencryptFunction", str(path), endpoint, DRY_RUN="false",
                             TARGET_KMS_KEY_ARN=target_key, ATREST_ROLE_WITHOUT_ACTIONS="s3:UpdateObjectEncryption")
    assert code == 0, err
    assert [r["resultCode"] for r in body["results"]] == ["PermanentFailure", "Succeeded", "Succeeded"], body
    update, outside, deleted = (r["resultString"] for r in body["results"])
    assert "AccessDenied" in update, body
    # Another bucket is never asked (the policy would deny it: test_the_s3_role_covers_exactly_the_watched_buckets).
    assert "not one of the configured buckets" in outside, body
    # With s3:ListBucket S3 says 404 for a deleted object, not 403 (the emulator answers as S3 does).
    assert "object no longer exists" in deleted, body
    log = _log(endpoint)
    denied = {(r["operation"], r["path"], tuple(r["authorization"]["actions"])) for r in log if r["denied"]}
    assert denied == {("UpdateObjectEncryption", f"/{BUCKET}/{objects[BUCKET]}", ("s3:UpdateObjectEncryption",))}
    assert not [r for r in log if r["path"].startswith("/another-bucket") and r["authorization"]
                and "assumed-role" in r["authorization"]["principal"]]
    for bucket, key in objects.items():
        assert s3.head_object(Bucket=bucket, Key=key)["ServerSideEncryption"] == "AES256"


def test_the_function_knows_its_own_writes_by_its_role_not_by_a_session_name(client, endpoint, target_key, tmp_path):
    """The role the emulator made for the function has its own unique id, passed to it as FUNCTION_ROLE_ID (as the
    template passes GetAtt S3ReencryptFunctionRole.RoleId): a notification naming a session of that role is skipped
    without a request; the same session name under another role is processed."""
    s3 = client("s3")
    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key="mine.csv", Body=b"a", ServerSideEncryption="AES256")
    s3.put_object(Bucket=BUCKET, Key="theirs.csv", Body=b"b", ServerSideEncryption="AES256")
    event = json.load(open(os.path.join(EVENTS, "s3-put.json")))
    record = event["Records"][0]
    path = tmp_path / "first.json"
    record["s3"]["object"]["key"] = "theirs.csv"
    record["userIdentity"]["principalId"] = "AWS:AROAOTHERROLE1234567:S3ReencryptFunction"
    path.write_text(json.dumps(event))
    code, body, err = invoke("S3ReencryptFunction", str(path), endpoint, DRY_RUN="false", TARGET_KMS_KEY_ARN=target_key)
    assert code == 0, err
    assert _item(body)["outcome"] == "CHANGED", body
    role_id = client("iam").get_role(RoleName="atrest-local-S3ReencryptFunctionRole")["Role"]["RoleId"]
    record["s3"]["object"]["key"] = "mine.csv"
    record["userIdentity"]["principalId"] = f"AWS:{role_id}:S3ReencryptFunction"
    path.write_text(json.dumps(event))
    before = len(_log(endpoint))
    code, body, err = invoke("S3ReencryptFunction", str(path), endpoint, DRY_RUN="false", TARGET_KMS_KEY_ARN=target_key)
    assert code == 0, err
    assert (_item(body)["outcome"], _item(body)["reason"]) == ("SKIPPED", "event caused by this function's own write")
    assert not [r for r in _log(endpoint)[before:] if r["service"] == "s3"]
    assert s3.head_object(Bucket=BUCKET, Key="mine.csv")["ServerSideEncryption"] == "AES256"


def test_the_copy_paths_run_under_their_policy(client, endpoint, target_key, target_alias, tmp_path):
    """ReencryptMethod=copy on named versions, as a Batch Operations task names them: HeadObject reads the version
    (s3:GetObjectVersion); CopyObject copies the current object, guarded by its ETag (s3:GetObject, s3:PutObject);
    above the multipart threshold the copy reads the version's tags (s3:GetObjectVersionTagging), CreateMultipartUpload
    sets them (s3:PutObject, s3:PutObjectTagging) and UploadPartCopy copies (s3:GetObject, s3:PutObject). All of it
    granted on the watched buckets only."""
    s3 = client("s3")
    s3.create_bucket(Bucket=BUCKET)
    s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
    bodies = {"small one.txt": b"small", "large one.bin": os.urandom(5 * 1024 * 1024 + 1)}
    versions = {key: s3.put_object(Bucket=BUCKET, Key=key, Body=body, ServerSideEncryption="AES256",
                                   Tagging="team=finance")["VersionId"] for key, body in bodies.items()}
    event = json.load(open(os.path.join(EVENTS, "s3-batch-v2.json")))
    event["tasks"] = [{"taskId": f"t{i}", "s3Bucket": BUCKET, "s3Key": key.replace(" ", "%20"),
                       "s3VersionId": versions[key]} for i, key in enumerate(bodies)]
    path = tmp_path / "batch.json"
    path.write_text(json.dumps(event))

    code, body, err = invoke("S3ReencryptFunction", str(path), endpoint, DRY_RUN="false",
                             TARGET_KMS_KEY_ARN=target_alias, REENCRYPT_METHOD="copy",
                             MULTIPART_THRESHOLD_BYTES=str(5 * 1024 * 1024))
    assert code == 0, err
    assert [r["resultCode"] for r in body["results"]] == ["Succeeded", "Succeeded"], body
    for key, content in bodies.items():
        head = s3.head_object(Bucket=BUCKET, Key=key)
        assert (head["ServerSideEncryption"], head["SSEKMSKeyId"]) == ("aws:kms", target_key)
        assert s3.get_object(Bucket=BUCKET, Key=key)["Body"].read() == content
        assert s3.get_object_tagging(Bucket=BUCKET, Key=key)["TagSet"] == [{"Key": "team", "Value": "finance"}]
    calls = [r for r in _log(endpoint) if r["authorization"] and "assumed-role" in r["authorization"]["principal"]]
    assert {r["authorization"]["principal"] for r in calls} == {
        f"arn:aws:sts::{ACCOUNT}:assumed-role/atrest-local-S3ReencryptFunctionRole/S3ReencryptFunction"}
    assert not any(r["denied"] for r in calls)
    actions = {(r["operation"], tuple(r["authorization"]["actions"])) for r in calls}
    assert {("DescribeKey", ("kms:DescribeKey",)),
            ("HeadObject", ("s3:GetObjectVersion",)), ("CopyObject", ("s3:GetObject", "s3:PutObject")),
            ("GetObjectTagging", ("s3:GetObjectVersionTagging",)),
            ("CreateMultipartUpload", ("s3:PutObject", "s3:PutObjectTagging")),
            ("UploadPartCopy", ("s3:GetObject", "s3:PutObject")),
            ("CompleteMultipartUpload", ("s3:PutObject",))} <= actions, actions


def test_rotation_fails_without_enable_key_rotation(client, endpoint):
    key_id = client("kms").create_key(Description="no rotation")["KeyMetadata"]["KeyId"]
    code, body, err = invoke("KmsRotationFunction", "scheduled-event.json", endpoint, DRY_RUN="false",
                             ATREST_ROLE_WITHOUT_ACTIONS="kms:EnableKeyRotation")
    assert code == 0, err
    assert body["counts"] == {"FAILED": 1}, body
    assert "AccessDeniedException" in _item(body)["reason"]
    assert client("kms").get_key_rotation_status(KeyId=key_id)["KeyRotationEnabled"] is False


def test_optional_writes_need_their_parameters(client, endpoint):
    """The audit told to tag, import findings and turn on EBS default encryption (TAG_RESOURCES,
    SECURITY_HUB_ENABLED, ENABLE_EBS_DEFAULT_ENCRYPTION) by a stack that was not (TagResources, SecurityHubEnabled,
    EnableEbsDefaultEncryption false) has none of those permissions: each of those writes is denied and nothing is
    written. With the parameters on, the same run tags and untags volumes and file systems, imports the findings,
    publishes its summary and turns encryption by default on, under the policy those parameters add."""
    sh = client("securityhub")
    sh.enable_security_hub()
    ec2, efs = client("ec2"), client("efs")
    key = client("kms").create_key()["KeyMetadata"]["Arn"]
    marker = [{"Key": "atrest:encryption-finding", "Value": "EC2.3"}]
    volume = ec2.create_volume(AvailabilityZone=f"{REGION}a", Size=1, Encrypted=False)["VolumeId"]
    fixed = ec2.create_volume(AvailabilityZone=f"{REGION}a", Size=1, Encrypted=True, KmsKeyId=key,
                              TagSpecifications=[{"ResourceType": "volume", "Tags": marker}])["VolumeId"]
    file_system = efs.create_file_system(CreationToken="plain", Encrypted=False)["FileSystemId"]
    client("s3").create_bucket(Bucket=BUCKET)
    topic = client("sns").create_topic(Name="atrest-findings")["TopicArn"]
    asked = dict(DRY_RUN="false", TAG_RESOURCES="true", SECURITY_HUB_ENABLED="true", FINDINGS_TOPIC_ARN=topic,
                 ENABLE_EBS_DEFAULT_ENCRYPTION="true", EBS_DEFAULT_KMS_KEY_ARN=key,
                 REQUIRE_CUSTOMER_MANAGED_KEY="true")  # which reads each volume's key with kms:DescribeKey
    optional = {"ec2:CreateTags", "ec2:DeleteTags", "elasticfilesystem:TagResource",
                "elasticfilesystem:UntagResource", "securityhub:BatchImportFindings", "securityhub:GetFindings",
                "ec2:EnableEbsEncryptionByDefault", "ec2:ModifyEbsDefaultKmsKeyId"}

    code, body, err = invoke("StorageAuditFunction", "scheduled-event.json", endpoint, **asked,
                             ATREST_PARAM_TagResources="false", ATREST_PARAM_SecurityHubEnabled="false",
                             ATREST_PARAM_EnableEbsDefaultEncryption="false")
    assert code == 0, err
    denied = {a for r in _log(endpoint) if r["denied"] for a in r["authorization"]["actions"]}
    assert {"ec2:CreateTags", "ec2:DeleteTags", "elasticfilesystem:TagResource", "securityhub:GetFindings",
            "ec2:ModifyEbsDefaultKmsKeyId"} <= denied <= optional, denied
    assert not ec2.describe_volumes(VolumeIds=[volume])["Volumes"][0].get("Tags")
    assert ec2.describe_volumes(VolumeIds=[fixed])["Volumes"][0]["Tags"] == marker
    assert sh.get_findings()["Findings"] == []
    assert ec2.get_ebs_encryption_by_default()["EbsEncryptionByDefault"] is False

    first_run = len(_log(endpoint))
    code, body, err = invoke("StorageAuditFunction", "scheduled-event.json", endpoint, **asked)
    assert code == 0, err
    second = _log(endpoint)[first_run:]
    assert not [r for r in second if r["denied"]]
    used = {a for r in second if r["authorization"] for a in r["authorization"]["actions"]}
    assert {"ec2:CreateTags", "ec2:DeleteTags", "elasticfilesystem:TagResource", "securityhub:BatchImportFindings",
            "sns:Publish", "ec2:EnableEbsEncryptionByDefault", "ec2:ModifyEbsDefaultKmsKeyId", "kms:DescribeKey",
            "s3:GetEncryptionConfiguration"} <= used, used
    assert [t["Key"] for t in ec2.describe_volumes(VolumeIds=[volume])["Volumes"][0]["Tags"]] == [marker[0]["Key"]]
    assert not ec2.describe_volumes(VolumeIds=[fixed])["Volumes"][0].get("Tags")
    assert [t["Key"] for t in efs.describe_file_systems(FileSystemId=file_system)["FileSystems"][0]["Tags"]] == \
        [marker[0]["Key"]]
    assert volume in json.dumps(sh.get_findings()["Findings"])
    assert ec2.get_ebs_encryption_by_default()["EbsEncryptionByDefault"] is True
