"""Warm cost: AWS requests per item for each path, counted from the emulator's request log (real HTTP requests
that reached it, retries included), running the built functions through tools/invoke.py."""
import collections
import json
import os
import tempfile
import urllib.request

import boto3
from botocore.config import Config

from atrest_emulator import process

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ACCOUNT = "123456789012"
REGION = "us-east-1"


def _client(endpoint, service):
    return boto3.client(service, endpoint_url=endpoint, region_name=REGION, aws_access_key_id="testing",
                        aws_secret_access_key="testing", config=Config(s3={"addressing_style": "path"}))


def requests_log(endpoint):
    """The requests atrest's functions made: the Java SDK's. tools/invoke.py's own STS GetCallerIdentity (the account
    of the function ARN) and the bench's boto3 calls share the emulator, and are not the function's cost."""
    with urllib.request.urlopen(endpoint + "/_atrest/requests") as r:
        return [e for e in json.load(r) if e.get("client", "").startswith("aws-sdk-java/")]


def clear_log(endpoint):
    urllib.request.urlopen(urllib.request.Request(endpoint + "/_atrest/requests", method="DELETE"))


def count_during(endpoint, action, service, *more_services):
    """Runs action() and returns ({operation: count}, total) for the requests of the services it caused."""
    services = {service, *more_services}
    clear_log(endpoint)
    action()
    ops = collections.Counter(e["operation"] for e in requests_log(endpoint) if e["service"] in services)
    return dict(ops), sum(ops.values())


def _event_file(tmp, name, mutate, out_name=None):
    with open(os.path.join(ROOT, "events", name)) as f:
        event = json.load(f)
    mutate(event)
    path = os.path.join(tmp, out_name or name)
    with open(path, "w") as f:
        json.dump(event, f)
    return path


def kms(endpoint, invoke):
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        process.reset(endpoint)
        kms_client = _client(endpoint, "kms")
        key = kms_client.create_key()["KeyMetadata"]

        def create_key_event(event):
            event["detail"]["responseElements"]["keyMetadata"]["keyId"] = key["KeyId"]
            event["detail"]["responseElements"]["keyMetadata"]["arn"] = key["Arn"]
        path = _event_file(tmp, "cloudtrail-create-key.json", create_key_event)
        ops, total = count_during(endpoint, lambda: invoke("KmsRotationFunction", path, endpoint, DRY_RUN="false"),
                                  "kms")
        out["event_key_fixed"] = {"requests": total, "operations": ops}
        ops, total = count_during(endpoint, lambda: invoke("KmsRotationFunction", path, endpoint, DRY_RUN="false"),
                                  "kms")
        out["event_key_compliant"] = {"requests": total, "operations": ops}

        process.reset(endpoint)
        kms_client = _client(endpoint, "kms")
        n = 50
        for i in range(n):
            k = kms_client.create_key()["KeyMetadata"]["KeyId"]
            if i % 2:
                kms_client.enable_key_rotation(KeyId=k, RotationPeriodInDays=365)
        sweep = os.path.join(ROOT, "events", "scheduled-event.json")
        # The sweep reads exempt tags through the Tagging API too.
        ops, total = count_during(endpoint, lambda: invoke("KmsRotationFunction", sweep, endpoint, DRY_RUN="false"),
                                  "kms", "tagging")
        out["sweep_50_keys_half_fixed"] = {"requests": total, "per_key": round(total / n, 2), "operations": ops}
    out.update(kms_sweep_mix(endpoint, invoke))
    return out


# The 306-key Region an earlier sweep was measured on (dry run: 680 requests, DescribeKey 306,
# GetKeyRotationStatus 260, ListResourceTags 110, ListKeys 4): 46 keys that cannot rotate or are out of service,
# 260 that can (150 compliant, 40 rotating too seldom, 60 not rotating, 10 exempt), 200 carrying a team tag.
# KmsRotationFunction's SweepRequestsEmulatorTest runs the same mix scaled down.
SWEEP_MIX = {"aws_managed": 14, "rsa": 8, "hmac": 6, "ecc": 4, "imported": 4, "cloudhsm": 2, "pending_deletion": 2,
             "disabled": 6, "compliant": 150, "too_long": 40, "rotation_off": 60, "exempt": 10, "team_tagged": 200}
AWS_MANAGED_SERVICES = ["acm", "dynamodb", "ebs", "elasticfilesystem", "es", "glue", "kinesisvideo", "lambda", "rds",
                        "redshift", "s3", "secretsmanager", "ssm", "xray"]


def seed_sweep_mix(kms_client, mix=SWEEP_MIX):
    """Creates the mix's keys; returns how many."""
    for service in AWS_MANAGED_SERVICES[:mix["aws_managed"]]:
        kms_client.describe_key(KeyId=f"alias/aws/{service}")
    for _ in range(mix["rsa"]):
        kms_client.create_key(KeySpec="RSA_2048", KeyUsage="ENCRYPT_DECRYPT")
    for _ in range(mix["hmac"]):
        kms_client.create_key(KeySpec="HMAC_256", KeyUsage="GENERATE_VERIFY_MAC")
    for _ in range(mix["ecc"]):
        kms_client.create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")
    for _ in range(mix["imported"]):
        kms_client.create_key(Origin="EXTERNAL")
    for _ in range(mix["cloudhsm"]):
        kms_client.create_key(Origin="AWS_CLOUDHSM", CustomKeyStoreId="cks-0123456789abcdef0")
    for _ in range(mix["pending_deletion"]):
        kms_client.schedule_key_deletion(KeyId=kms_client.create_key()["KeyMetadata"]["KeyId"], PendingWindowInDays=7)
    for _ in range(mix["disabled"]):
        kms_client.disable_key(KeyId=kms_client.create_key()["KeyMetadata"]["KeyId"])
    eligible = mix["compliant"] + mix["too_long"] + mix["rotation_off"] + mix["exempt"]
    for i in range(eligible):
        tags = [{"TagKey": "team", "TagValue": f"t{i % 7}"}] if i < mix["team_tagged"] else []
        key = kms_client.create_key(**({"Tags": tags} if tags else {}))["KeyMetadata"]["KeyId"]
        if i < mix["compliant"]:
            kms_client.enable_key_rotation(KeyId=key, RotationPeriodInDays=365 if i % 2 == 0 else 180)
        elif i < mix["compliant"] + mix["too_long"]:
            kms_client.enable_key_rotation(KeyId=key, RotationPeriodInDays=1000)
        elif i >= eligible - mix["exempt"]:
            kms_client.tag_resource(KeyId=key, Tags=[{"TagKey": "atrest:exempt", "TagValue": "x"}])
    return sum(v for k, v in mix.items() if k != "team_tagged")


def kms_sweep_mix(endpoint, invoke):
    """The sweep of the 306-key mix, dry run then live: every request it makes (KMS and the Tagging API)."""
    process.reset(endpoint)
    keys = seed_sweep_mix(_client(endpoint, "kms"))
    sweep = os.path.join(ROOT, "events", "scheduled-event.json")
    out = {}
    for name, dry_run in (("dry_run", "true"), ("live", "false")):
        clear_log(endpoint)
        invoke("KmsRotationFunction", sweep, endpoint, DRY_RUN=dry_run)
        ops = collections.Counter(f"{e['service']}:{e['operation']}" for e in requests_log(endpoint))
        total = sum(ops.values())
        out[f"sweep_{keys}_keys_mix_{name}"] = {"requests": total, "per_key": round(total / keys, 2),
                                                "operations": dict(ops)}
    return out


def s3(endpoint, invoke):
    """One object per path, each through the S3 notification sample rewritten to name it."""
    out = {}
    bucket = "atrest-demo-bucket"
    with tempfile.TemporaryDirectory() as tmp:
        def run_path(name, key, body_kwargs, env, principal="AWS:AROAEXAMPLEROLEID:alice"):
            process.reset(endpoint)
            kms_client, s3_client = _client(endpoint, "kms"), _client(endpoint, "s3")
            target = kms_client.create_key()["KeyMetadata"]["Arn"]
            s3_client.create_bucket(Bucket=bucket)
            if body_kwargs.get("SSEKMSKeyId") == "TARGET":
                body_kwargs = dict(body_kwargs, SSEKMSKeyId=target)
            s3_client.put_object(Bucket=bucket, Key=key, Body=b"x" * 1024, **body_kwargs)

            def mutate(event):
                record = event["Records"][0]
                record["s3"]["object"]["key"] = key
                record["userIdentity"]["principalId"] = principal
            path = _event_file(tmp, "s3-put.json", mutate, f"s3-{name}.json")
            ops, total = count_during(endpoint, lambda: invoke("S3ReencryptFunction", path, endpoint, DRY_RUN="false",
                                                               TARGET_KMS_KEY_ARN=target, **env), "s3")
            out[name] = {"requests": total, "operations": ops}
        run_path("compliant", "a.bin", {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": "TARGET",
                                        "BucketKeyEnabled": True}, {})
        run_path("sse_s3_update_object_encryption", "b.bin", {"ServerSideEncryption": "AES256"}, {})
        run_path("sse_s3_update_no_verify", "b2.bin", {"ServerSideEncryption": "AES256"}, {"VERIFY_AFTER_WRITE": "false"})
        run_path("copy_fallback", "c.bin", {"ServerSideEncryption": "AES256"}, {"REENCRYPT_METHOD": "copy"})
        run_path("unencrypted_copy", "d.bin", {}, {})
        # The function knows its own writes by its role's unique id (FUNCTION_ROLE_ID), not by a session name,
        # which whoever assumes a role chooses: the same session name under another role is processed.
        run_path("self_caused_event", "e.bin", {"ServerSideEncryption": "AES256"},
                 {"FUNCTION_ROLE_ID": "AROAATRESTFUNCTIONROLE"}, principal="AWS:AROAATRESTFUNCTIONROLE:any-session")
        run_path("session_name_only", "f.bin", {"ServerSideEncryption": "AES256"},
                 {"FUNCTION_ROLE_ID": "AROAATRESTFUNCTIONROLE"}, principal="AWS:AROAEXAMPLEROLEID:S3ReencryptFunction")
    return out


def audit(endpoint, invoke):
    process.reset(endpoint)
    ec2, efs, s3_client = _client(endpoint, "ec2"), _client(endpoint, "efs"), _client(endpoint, "s3")
    for i in range(20):
        ec2.create_volume(AvailabilityZone=f"{REGION}a", Size=1, Encrypted=bool(i % 2))
    for i in range(5):
        efs.create_file_system(CreationToken=f"fs{i}", Encrypted=bool(i % 2))
        s3_client.create_bucket(Bucket=f"bucket-{i}")
    _client(endpoint, "securityhub").enable_security_hub()
    sweep = os.path.join(ROOT, "events", "scheduled-event.json")
    per_service = {}
    clear_log(endpoint)
    invoke("StorageAuditFunction", sweep, endpoint, SECURITY_HUB_ENABLED="true")
    for e in requests_log(endpoint):
        per_service.setdefault(e["service"], collections.Counter())[e["operation"]] += 1
    return {"account": "20 volumes, 5 EFS, 5 buckets, 1 region, Security Hub on",
            "requests": sum(sum(c.values()) for c in per_service.values()),
            "by_service": {k: dict(v) for k, v in per_service.items()}}


def measure(endpoint):
    from run import run_invoke

    def invoke(function, event, endpoint, **env):
        return run_invoke(function, event, endpoint, env=env)[1]
    return {"s3_per_object": s3(endpoint, invoke), "kms": kms(endpoint, invoke), "audit_run": audit(endpoint, invoke)}
