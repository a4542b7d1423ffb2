"""Least privilege: each function's IAM actions in template.yaml are exactly the AWS operations its code calls.

The operations are read from the Java sources: a file that imports an SDK client (e.g. KmsClient) is scanned for
calls whose method name is one of that service's operations (botocore's service model gives the list; the Java
SDK's method is the camelCase name, or name + "Paginator"). Core's classes count for a function only where the
function's sources name them. Each operation maps to the IAM actions AWS documents for it.

The storage audit is not scanned: its checks declare their actions (reads, and the tagging and remediation writes
with the setting that turns each on). Its Java tests hold those declarations to the template statement by condition
(AuditPermissionsTest) and to the calls each check really makes (CheckPermissionsEmulatorTest); here its granted
actions are checked to be real IAM actions, which neither Java test can tell.
"""
import os
import re
import sys

import botocore.session
import pytest
import yaml

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tools"))
from invoke import _CfnLoader  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODULES = {"S3ReencryptFunction": "s3-reencrypt", "KmsRotationFunction": "kms-rotation",
           "S3BackfillFunction": "s3-backfill"}
AUDIT = "StorageAuditFunction"
AUDIT_PERMISSION_TESTS = [os.path.join(ROOT, "functions", "storage-audit", "src", "test", "java", "dev", "atrest",
                                       "audit", name) for name in ("AuditPermissionsTest.java",
                                                                   "CheckPermissionsEmulatorTest.java")]
# IAM prefix -> botocore service name, for the audit's services.
IAM_SERVICES = {"ec2": "ec2", "elasticfilesystem": "efs", "fsx": "fsx", "kms": "kms", "s3": "s3",
                "securityhub": "securityhub", "sns": "sns"}
# SDK client class -> (botocore service name, IAM prefix)
CLIENTS = {"S3Client": ("s3", "s3"), "KmsClient": ("kms", "kms"), "Ec2Client": ("ec2", "ec2"),
           "EfsClient": ("efs", "elasticfilesystem"), "SecurityHubClient": ("securityhub", "securityhub"),
           "SnsClient": ("sns", "sns"), "StsClient": ("sts", "sts"),
           "ResourceGroupsTaggingApiClient": ("resourcegroupstaggingapi", "tag"),
           "AccountClient": ("account", "account"),
           # S3 Control's job operations are authorised as s3:<Operation> (CreateJob, DescribeJob, ListJobs, ...).
           "S3ControlClient": ("s3control", "s3")}
# Operations whose IAM action is not prefix:OperationName (AWS Service Authorization Reference for S3).
S3_ACTIONS = {
    "HeadObject": {"s3:GetObject"},
    "GetObject": {"s3:GetObject"},
    "CopyObject": {"s3:GetObject", "s3:PutObject"},
    "UploadPartCopy": {"s3:GetObject", "s3:PutObject"},
    "CreateMultipartUpload": {"s3:PutObject"},
    "CompleteMultipartUpload": {"s3:PutObject"},
    "AbortMultipartUpload": {"s3:AbortMultipartUpload"},
    "ListParts": {"s3:ListMultipartUploadParts"},
    "GetObjectTagging": {"s3:GetObjectTagging"},
    "PutObjectTagging": {"s3:PutObjectTagging"},
    "GetBucketEncryption": {"s3:GetEncryptionConfiguration"},
    "PutBucketEncryption": {"s3:PutEncryptionConfiguration"},
    "ListBuckets": {"s3:ListAllMyBuckets"},
    "GetObjectAttributes": {"s3:GetObject", "s3:GetObjectAttributes"},
    "UpdateObjectEncryption": {"s3:UpdateObjectEncryption"},
    "GetObjectAcl": {"s3:GetObjectAcl"},
    "GetBucketAcl": {"s3:GetBucketAcl"},
    "ListObjectVersions": {"s3:ListBucketVersions"},
    "ListMultipartUploads": {"s3:ListBucketMultipartUploads"},
    "GetBucketNotificationConfiguration": {"s3:GetBucketNotification"},
    "PutBucketNotificationConfiguration": {"s3:PutBucketNotification"},
}
# Granted but not called by the code, each for a documented reason.
INDIRECT = {
    "S3ReencryptFunction": {
        # The version-specific forms of the object actions: S3 authorises HeadObject/CopyObject/GetObjectTagging
        # on a named version with these instead of the plain ones.
        "s3:GetObjectVersion", "s3:GetObjectVersionTagging",
        # S3 calls KMS with the function's credentials to write and read SSE-KMS objects (kms:ViaService).
        # UpdateObjectEncryption re-encrypts the data key under the new KMS key (kms:ReEncrypt*).
        "kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:ReEncryptFrom", "kms:ReEncryptTo",
        # CopyObject with TaggingDirective COPY needs the tagging actions on both sides.
        "s3:GetObjectTagging", "s3:PutObjectTagging",
        # GetObjectAcl of a named version is authorised as s3:GetObjectVersionAcl.
        "s3:GetObjectVersionAcl",
        # HeadObject shows Object Lock settings only to a caller with these; CopyObject and CreateMultipartUpload
        # with x-amz-grant-* and x-amz-object-lock-* headers need the Put ones (Service Authorization Reference,
        # "API operations defined by Amazon S3").
        "s3:GetObjectRetention", "s3:GetObjectLegalHold",
        "s3:PutObjectAcl", "s3:PutObjectRetention", "s3:PutObjectLegalHold",
        # HeadObject of a deleted object: S3 answers 404 only to a caller that may list the bucket, 403 otherwise.
        "s3:ListBucket",
    },
}


INDIRECT["S3BackfillFunction"] = {
    # CreateJob with tags is also authorised as s3:PutJobTagging, and passes the job role (iam:PassRole).
    "s3:PutJobTagging", "iam:PassRole",
    # Lets S3 answer 404 instead of 403 for a completion report that was never written.
    "s3:ListBucket",
}

# The backfill's job role: what the S3 User Guide documents for an UpdateObjectEncryption job with a generated
# manifest (s3:PutInventoryConfiguration on the source bucket) and a completion report, the target key's KMS actions,
# and LambdaInvoke of the S3 function for what UpdateObjectEncryption does not take.
JOB_ROLE_ACTIONS = {
    "s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:UpdateObjectEncryption", "s3:PutInventoryConfiguration",
    "s3:GetBucketLocation", "kms:Decrypt", "kms:GenerateDataKey", "kms:Encrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo",
    "lambda:InvokeFunction",
}

# Operations AWS authorises without any IAM permission.
NO_PERMISSION_NEEDED = {"sts:GetCallerIdentity"}


def _operations(service):
    model = botocore.session.get_session().get_service_model(service)
    return {name[0].lower() + name[1:]: name for name in model.operation_names}


def _java_files(directory):
    for d, _, files in os.walk(directory):
        for f in files:
            if f.endswith(".java"):
                yield os.path.join(d, f)


def called_actions(function):
    module_src = os.path.join(ROOT, "functions", MODULES[function], "src", "main", "java")
    core_src = os.path.join(ROOT, "functions", "core", "src", "main", "java")
    module_files = list(_java_files(module_src))
    module_text = "\n".join(open(f).read() for f in module_files)
    files = module_files + [f for f in _java_files(core_src)
                            if re.search(r"\b" + os.path.basename(f)[:-5] + r"\b", module_text)]
    actions, calls = set(), {}
    for path in files:
        text = open(path).read()
        for client, (service, prefix) in CLIENTS.items():
            if not re.search(r"import software\.amazon\.awssdk\.services\.\w+\." + client + ";", text):
                continue
            for method, operation in _operations(service).items():
                if re.search(r"\.\s*" + method + r"(Paginator)?\(", text):
                    mapped = S3_ACTIONS.get(operation, {f"s3:{operation}"}) if prefix == "s3" else {f"{prefix}:{operation}"}
                    actions |= mapped
                    calls.setdefault(operation, set()).add(os.path.relpath(path, ROOT))
    return actions, calls


def granted_actions(function):
    with open(os.path.join(ROOT, "template.yaml")) as f:
        template = yaml.load(f, Loader=_CfnLoader)
    granted = set()

    def walk(node):
        if isinstance(node, dict):
            if "Action" in node and "Effect" in node:
                acts = node["Action"]
                granted.update([acts] if isinstance(acts, str) else acts)
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
    walk(template["Resources"][function]["Properties"].get("Policies", []))
    return granted


@pytest.mark.parametrize("function", list(MODULES))
def test_granted_actions_are_exactly_the_called_ones(function):
    called, calls = called_actions(function)
    granted = granted_actions(function)
    missing = called - granted - NO_PERMISSION_NEEDED
    extra = granted - called - INDIRECT.get(function, set())
    assert not missing, f"{function} calls operations its role may not: {sorted(missing)} (calls: {calls})"
    assert not extra, f"{function} is granted actions its code never calls: {sorted(extra)}"


def _iam_actions(prefix):
    """The IAM actions of a service: prefix:Operation, except S3 operations whose action has another name."""
    operations = set(_operations(IAM_SERVICES[prefix]).values())
    if prefix != "s3":
        return {f"{prefix}:{op}" for op in operations}
    return {f"s3:{op}" for op in operations if op not in S3_ACTIONS} | set().union(*S3_ACTIONS.values())


def test_storage_audit_grants_only_real_actions_and_its_java_tests_prove_the_rest():
    granted = granted_actions(AUDIT)
    assert granted, f"{AUDIT} is granted nothing"
    unknown = sorted(a for a in granted if a.split(":")[0] not in IAM_SERVICES
                     or a not in _iam_actions(a.split(":")[0]))
    assert not unknown, f"{AUDIT} is granted actions no AWS operation has: {unknown}"
    for path in AUDIT_PERMISSION_TESTS:
        with open(path) as f:
            assert "permissions()" in f.read(), f"{path} no longer checks the checks' declared permissions"


def _template():
    with open(os.path.join(ROOT, "template.yaml")) as f:
        return yaml.load(f, Loader=_CfnLoader)


def test_backfill_job_role_has_exactly_the_documented_permissions_and_trusts_only_batch_operations():
    role = _template()["Resources"]["BackfillJobRole"]["Properties"]
    trust = role["AssumeRolePolicyDocument"]["Statement"]
    assert [(t["Effect"], t["Principal"], t["Action"]) for t in trust] == [
        ("Allow", {"Service": "batchoperations.s3.amazonaws.com"}, "sts:AssumeRole")]
    granted = set()
    for policy in role["Policies"]:
        for statement in policy["PolicyDocument"]["Statement"]:
            assert statement["Effect"] == "Allow"
            assert statement["Resource"] != "*", statement
            actions = statement["Action"]
            granted.update([actions] if isinstance(actions, str) else actions)
    assert granted == JOB_ROLE_ACTIONS


def test_backfill_function_may_pass_the_job_role_only():
    statements = _template()["Resources"]["S3BackfillFunction"]["Properties"]["Policies"][0]["Statement"]
    passing = [st for st in statements if "iam:PassRole" in ([st["Action"]] if isinstance(st["Action"], str)
                                                             else st["Action"])]
    assert [st["Resource"] for st in passing] == [{"Fn::GetAtt": ["BackfillJobRole", "Arn"]}]
