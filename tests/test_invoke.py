"""End-to-end: each function's `sam build` artifact, run through the real Lambda Java runtime interface client by
tools/invoke.py (the Docker-free `sam local invoke`), with its sample event from events/, against the emulator."""
import json
import os
import subprocess
import sys
import urllib.request

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EVENTS = os.path.join(ROOT, "events")
ACCOUNT = "123456789012"


def invoke(function, event, endpoint, **env):
    """Runs tools/invoke.py; returns (exit code, parsed stdout or None, stderr). The credentials, and running as the
    function's role, come from conftest.as_function_roles; the S3 function's role covers the events' bucket."""
    full_env = dict(os.environ, AWS_ENDPOINT_URL=endpoint, AWS_REGION="us-east-1", AWS_MAX_ATTEMPTS="2",
                    ATREST_PARAM_BucketNames="atrest-demo-bucket")
    full_env.update(env)
    event_arg = event if os.path.isabs(event) or event == "-" else os.path.join(EVENTS, event)
    proc = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "invoke.py"), function, event_arg],
                          env=full_env, capture_output=True, text=True, timeout=300)
    body = None
    if proc.stdout.strip():
        body = json.loads(proc.stdout)
    return proc.returncode, body, proc.stderr


@pytest.fixture
def target_key(client):
    kms = client("kms")
    key = kms.create_key(Description="atrest e2e target")["KeyMetadata"]
    kms.create_alias(AliasName="alias/atrest-e2e", TargetKeyId=key["KeyId"])
    return key["Arn"]


def test_s3_put_event_reencrypts_the_url_decoded_key(client, endpoint, target_key):
    s3 = client("s3")
    s3.create_bucket(Bucket="atrest-demo-bucket")
    key = "reports/2026 Q3/résumé final.csv"  # events/s3-put.json has it URL-encoded, '+' for space
    s3.put_object(Bucket="atrest-demo-bucket", Key=key, Body=b"a,b\n1,2\n", ServerSideEncryption="AES256")

    code, body, err = invoke("S3ReencryptFunction", "s3-put.json", endpoint,
                             DRY_RUN="false", TARGET_KMS_KEY_ARN=target_key)
    assert code == 0, err
    assert body["function"] == "S3ReencryptFunction"
    head = s3.head_object(Bucket="atrest-demo-bucket", Key=key)
    assert head["ServerSideEncryption"] == "aws:kms"
    assert head["SSEKMSKeyId"] == target_key
    assert s3.get_object(Bucket="atrest-demo-bucket", Key=key)["Body"].read() == b"a,b\n1,2\n"


def test_s3_dry_run_is_the_template_default_and_changes_nothing(client, endpoint, target_key):
    s3 = client("s3")
    s3.create_bucket(Bucket="atrest-demo-bucket")
    s3.put_object(Bucket="atrest-demo-bucket", Key="invoices/2026/nov 20.pdf", Body=b"%PDF-", ServerSideEncryption="AES256")
    code, body, err = invoke("S3ReencryptFunction", "eventbridge-object-created.json", endpoint,
                             TARGET_KMS_KEY_ARN=target_key)
    assert code == 0, err
    assert body["dryRun"] is True
    head = s3.head_object(Bucket="atrest-demo-bucket", Key="invoices/2026/nov 20.pdf")
    assert head["ServerSideEncryption"] == "AES256"


def test_kms_create_key_event_enables_rotation(client, endpoint, tmp_path):
    kms = client("kms")
    key_id = kms.create_key(Description="no rotation yet")["KeyMetadata"]["KeyId"]
    event = json.load(open(os.path.join(EVENTS, "cloudtrail-create-key.json")))
    event["detail"]["responseElements"]["keyMetadata"]["keyId"] = key_id
    event["detail"]["responseElements"]["keyMetadata"]["arn"] = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/{key_id}"
    path = tmp_path / "create-key.json"
    path.write_text(json.dumps(event))

    code, body, err = invoke("KmsRotationFunction", str(path), endpoint, DRY_RUN="false")
    assert code == 0, err
    assert body["function"] == "KmsRotationFunction"
    assert kms.get_key_rotation_status(KeyId=key_id)["KeyRotationEnabled"] is True


def test_storage_audit_reports_unencrypted_volume(client, endpoint):
    ec2 = client("ec2")
    volume = ec2.create_volume(AvailabilityZone="us-east-1a", Size=1, Encrypted=False)["VolumeId"]
    code, body, err = invoke("StorageAuditFunction", "scheduled-event.json", endpoint)
    assert code == 0, err
    assert body["function"] == "StorageAuditFunction"
    assert volume in json.dumps(body)


def test_s3_backfill_dry_run_counts_the_bucket_and_never_confirms(client, endpoint, target_key, tmp_path):
    s3 = client("s3")
    s3.create_bucket(Bucket="atrest-demo-bucket")
    s3.create_bucket(Bucket="atrest-local-backfillreportbucket")  # the report bucket's local stand-in
    for i in range(5):
        s3.put_object(Bucket="atrest-demo-bucket", Key=f"old/{i}", Body=b"x", ServerSideEncryption="AES256")
    env = {"TARGET_KMS_KEY_ARN": target_key, "BUCKET_NAMES": "atrest-demo-bucket"}

    code, body, err = invoke("S3BackfillFunction", "backfill-start.json", endpoint, **env)
    assert code == 0, err
    assert body["function"] == "S3BackfillFunction" and body["dryRun"] is True
    started = {i["details"]["kind"]: i["details"]["jobId"] for i in body["items"] if i["action"] == "START_JOB"}
    assert set(started) == {"sse-s3", "not-sse"}

    # EventBridge's delivery of the job's status change, as the emulator recorded it.
    with urllib.request.urlopen(endpoint + "/_atrest/s3control/events") as r:
        events = json.load(r)
    suspended = [e for e in events if e["detail"]["eventName"] == "JobStatusChanged"
                 and e["detail"]["serviceEventDetails"]["jobId"] == started["sse-s3"]
                 and e["detail"]["serviceEventDetails"]["status"] == "Suspended"]
    path = tmp_path / "suspended.json"
    path.write_text(json.dumps(suspended[0]))
    code, body, err = invoke("S3BackfillFunction", str(path), endpoint, **env)
    assert code == 0, err
    [count] = [i for i in body["items"] if i["action"] == "DRY_RUN_COUNT"]
    assert count["details"]["totalTasks"] == 5
    with urllib.request.urlopen(f"{endpoint}/_atrest/s3control/jobs/{started['sse-s3']}") as r:
        assert json.load(r)["status"] == "Suspended"
    assert s3.head_object(Bucket="atrest-demo-bucket", Key="old/0")["ServerSideEncryption"] == "AES256"


@pytest.mark.parametrize("function", ["S3ReencryptFunction", "KmsRotationFunction", "StorageAuditFunction",
                                      "S3BackfillFunction"])
def test_malformed_event_is_a_function_error_not_a_crash(function, endpoint, tmp_path, target_key):
    path = tmp_path / "truncated.json"
    path.write_text('{"Records": [')
    code, body, err = invoke(function, str(path), endpoint, TARGET_KMS_KEY_ARN=target_key)
    assert code == 1, err
    assert body is None
    assert "not valid JSON" in err


def test_invalid_configuration_fails_init_naming_the_variable(endpoint, target_key):
    code, body, err = invoke("KmsRotationFunction", "scheduled-event.json", endpoint, ROTATION_PERIOD_DAYS="30")
    assert code == 2, err
    assert "ROTATION_PERIOD_DAYS" in err


def test_artifacts_use_the_lambda_java_layout():
    for function in ("S3ReencryptFunction", "KmsRotationFunction", "StorageAuditFunction", "S3BackfillFunction"):
        lib = os.path.join(ROOT, ".aws-sam", "build", function, "lib")
        jars = os.listdir(lib)
        assert any(j.startswith("atrest-core-") for j in jars), jars
        # One lean HTTP client: the SDK's Apache and Netty clients must not be packaged.
        assert not [j for j in jars if j.startswith(("apache-client", "apache5-client", "netty-nio-client"))], jars


def test_artifacts_stay_under_60_mb_unzipped():
    """The artifact target, in decimal megabytes, measured as bench/run.py does: plain SDK service jars, well
    inside Lambda's 250 MB unzipped limit."""
    sys.path.insert(0, os.path.join(ROOT, "bench"))
    sys.path.insert(0, os.path.join(ROOT, "emulator"))
    import run as bench
    for function, size in bench.artifacts(unit=1_000_000).items():
        assert size["unzipped_mb"] < 60, (function, size)
