#!/usr/bin/env python3
"""`make demo`: starts the local emulator, seeds an account that needs atrest, runs the three built functions
through the Docker-free invoke (tools/invoke.py: the real Lambda Java runtime interface client), prints what each
did, and stops the emulator. Nothing here talks to AWS.

The emulator enforces IAM: the demo seeds as an administrator, and each function runs with the credentials of its
own role, made from the built template's policy for it with the demo's parameters (tools/function_role.py)."""
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "emulator"))

import boto3  # noqa: E402
from botocore.config import Config  # noqa: E402

from atrest_emulator import process  # noqa: E402

BUCKET = "atrest-demo-bucket"
ACCOUNT = "123456789012"
REGION = "us-east-1"


def clients(endpoint):
    def make(service):
        # The administrator's credentials, from the environment (main).
        return boto3.client(service, endpoint_url=endpoint, region_name=REGION,
                            config=Config(s3={"addressing_style": "path"}))
    return make


def seed(make):
    s3, kms, ec2, efs = make("s3"), make("kms"), make("ec2"), make("efs")
    target = kms.create_key(Description="atrest target key (customer-managed)")["KeyMetadata"]
    kms.create_alias(AliasName="alias/atrest", TargetKeyId=target["KeyId"])
    kms.enable_key_rotation(KeyId=target["KeyId"])
    unrotated = kms.create_key(Description="a key someone created without rotation")["KeyMetadata"]
    s3.create_bucket(Bucket=BUCKET)
    objects = {"reports/2026 Q3/résumé final.csv": b"quarter,revenue\nQ3,42\n",
               "invoices/2026/nov 20.pdf": b"%PDF-1.7 demo",
               "backfill/old object.bin": b"\x00\x01\x02 legacy bytes"}
    for key, body in objects.items():
        s3.put_object(Bucket=BUCKET, Key=key, Body=body, ServerSideEncryption="AES256",
                      Metadata={"owner": "finance"}, ContentType="application/octet-stream")
    volume = ec2.create_volume(AvailabilityZone=f"{REGION}a", Size=8, Encrypted=False)["VolumeId"]
    ec2.create_volume(AvailabilityZone=f"{REGION}a", Size=8, Encrypted=True, KmsKeyId=target["Arn"])
    fs = efs.create_file_system(CreationToken="atrest-demo", Encrypted=False)["FileSystemId"]
    make("securityhub").enable_security_hub()
    sns, sqs = make("sns"), make("sqs")
    topic = sns.create_topic(Name="atrest-findings")["TopicArn"]
    queue = sqs.create_queue(QueueName="atrest-findings-inbox")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn, Attributes={"RawMessageDelivery": "true"})
    return {"target": target, "unrotated": unrotated, "objects": objects, "volume": volume, "fs": fs,
            "topic": topic, "queue": queue}


def invoke(function, event_path, endpoint, **env):
    full_env = dict(os.environ, AWS_ENDPOINT_URL=endpoint, AWS_REGION=REGION, **env)
    proc = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "invoke.py"), function, event_path],
                          env=full_env, capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        print(proc.stderr[-3000:], file=sys.stderr)
        raise SystemExit(f"demo: {function} failed with exit code {proc.returncode}")
    return json.loads(proc.stdout)


def event_file(tmp, name, mutate):
    with open(os.path.join(ROOT, "events", name)) as f:
        event = json.load(f)
    mutate(event)
    path = os.path.join(tmp, name)
    with open(path, "w") as f:
        json.dump(event, f)
    return path


def show(title, summary):
    print(f"\n=== {title}: {summary.get('function')} (dryRun={summary.get('dryRun')}, "
          f"{summary.get('durationMs')} ms) counts={json.dumps(summary.get('counts', {}))}")
    items = summary.get("items") or summary.get("results") or []
    for item in items:
        details = item.get("details") or {}
        extra = ", ".join(f"{k}={v}" for k, v in details.items() if k in (
            "before", "after", "method", "period", "rotationPeriodInDays", "control", "severity", "region", "principal"))
        print(f"  - {item.get('resource')}: {item.get('action')} -> {item.get('outcome')}"
              f"{' (' + item['reason'] + ')' if item.get('reason') else ''}{' [' + extra + ']' if extra else ''}")
    for error in summary.get("errors", []):
        print(f"  ! {error}")


def main():
    with tempfile.TemporaryDirectory() as tmp, process.running(os.path.join(tmp, "emulator.log"), iam=True) as endpoint:
        print(f"atrest demo: local emulator at {endpoint} (moto + atrest extensions, IAM enforced); no AWS account "
              "involved")
        # The demo and tools/invoke.py act as the administrator; every function runs as its own role, which covers
        # the demo's bucket.
        admin = process.create_admin(endpoint)
        os.environ.pop("AWS_SESSION_TOKEN", None)
        os.environ.update(AWS_ACCESS_KEY_ID=admin["aws_access_key_id"],
                          AWS_SECRET_ACCESS_KEY=admin["aws_secret_access_key"], ATREST_AS_FUNCTION_ROLE="1",
                          ATREST_PARAM_BucketNames=BUCKET)
        make = clients(endpoint)
        state = seed(make)
        print(f"seeded: bucket {BUCKET} with {len(state['objects'])} SSE-S3 objects, KMS key "
              f"{state['unrotated']['KeyId']} without rotation, unencrypted EBS volume {state['volume']}, "
              f"unencrypted EFS {state['fs']}")
        live = {"DRY_RUN": "false", "TARGET_KMS_KEY_ARN": f"arn:aws:kms:{REGION}:{ACCOUNT}:alias/atrest"}

        s3_event = invoke("S3ReencryptFunction", os.path.join(ROOT, "events", "s3-put.json"), endpoint, **live)
        show("S3 notification (s3-put.json)", s3_event)
        eb_event = invoke("S3ReencryptFunction", os.path.join(ROOT, "events", "eventbridge-object-created.json"),
                          endpoint, **live)
        show("EventBridge Object Created", eb_event)
        batch = invoke("S3ReencryptFunction", os.path.join(ROOT, "events", "s3-batch-v2.json"), endpoint, **live)
        print(f"\n=== S3 Batch Operations (s3-batch-v2.json): {json.dumps(batch.get('results', batch))}")
        s3 = make("s3")
        print("\nobjects after re-encryption:")
        for key, body in state["objects"].items():
            head = s3.head_object(Bucket=BUCKET, Key=key)
            same = s3.get_object(Bucket=BUCKET, Key=key)["Body"].read() == body
            print(f"  {key!r}: {head.get('ServerSideEncryption')} {head.get('SSEKMSKeyId', '')} "
                  f"bucketKey={head.get('BucketKeyEnabled')} contentUnchanged={same}")

        key_id = state["unrotated"]["KeyId"]

        def retarget(event):
            meta = event["detail"]["responseElements"]["keyMetadata"]
            meta["keyId"] = key_id
            meta["arn"] = state["unrotated"]["Arn"]
        kms_summary = invoke("KmsRotationFunction", event_file(tmp, "cloudtrail-create-key.json", retarget),
                             endpoint, DRY_RUN="false")
        show("CloudTrail CreateKey", kms_summary)
        sweep = invoke("KmsRotationFunction", os.path.join(ROOT, "events", "scheduled-event.json"), endpoint,
                       DRY_RUN="false")
        show("Scheduled rotation sweep", sweep)
        status = make("kms").get_key_rotation_status(KeyId=key_id)
        print(f"  key {key_id}: rotation enabled={status['KeyRotationEnabled']} "
              f"period={status.get('RotationPeriodInDays')} days")

        audit = invoke("StorageAuditFunction", os.path.join(ROOT, "events", "scheduled-event.json"), endpoint,
                       SECURITY_HUB_ENABLED="true", FINDINGS_TOPIC_ARN=state["topic"])
        show("Storage audit", audit)
        findings = make("securityhub").get_findings(MaxResults=100)["Findings"]
        print(f"\nSecurity Hub now holds {len(findings)} atrest finding(s):")
        for f in findings:
            print(f"  [{f['Severity']['Label']}] {f.get('ProductFields', {}).get('atrest/ControlId', '-')} "
                  f"{f['Resources'][0]['Id']}: {f['Title']}")
        messages = make("sqs").receive_message(QueueUrl=state["queue"], MaxNumberOfMessages=1).get("Messages", [])
        if messages:
            print("\nSNS summary received through the subscribed queue:")
            print("  " + messages[0]["Body"][:1200].replace("\n", "\n  "))
        print("\ndemo finished; the emulator is stopped")


if __name__ == "__main__":
    main()
