#!/usr/bin/env python3
"""`make demo`: starts the local emulator, seeds an account that needs atrest, runs the four built functions
through the Docker-free invoke (tools/invoke.py: the real Lambda Java runtime interface client), prints what each
did, and stops the emulator. Nothing here talks to AWS.

The backfill part plays what AWS does around S3BackfillFunction: the emulator runs the Batch Operations jobs and
records their status changes, which the demo delivers to the function as EventBridge would, and it answers the
jobs' LambdaInvoke tasks by running the built S3ReencryptFunction on each, as Lambda would.

The emulator enforces IAM: the demo seeds as an administrator, and each function runs with the credentials of its
own role, made from the built template's policy for it with the demo's parameters (tools/function_role.py)."""
import json
import os
import subprocess
import sys
import tempfile
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "emulator"))

import boto3  # noqa: E402
from botocore.config import Config  # noqa: E402

from atrest_emulator import process  # noqa: E402
from atrest_emulator.fixtures import without_account_host  # noqa: E402

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


ARCHIVE = "atrest-demo-archive"
REPORTS = "atrest-local-backfillreportbucket"  # the report bucket's local stand-in (tools/invoke.py)
# The statuses the template's rule delivers, less Active (progress only): each delivery is a fresh JVM here.
DELIVERED = ("Suspended", "Complete", "Failed", "Cancelled")


def admin(endpoint, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(endpoint + "/_atrest/s3control" + path, data=data,
                                     method="GET" if body is None else "POST")
    with urllib.request.urlopen(request) as r:
        return json.load(r)


class Events:
    """The job status changes the emulator recorded, handed out once each, as EventBridge delivers them."""

    def __init__(self, endpoint):
        self.endpoint, self.seen = endpoint, 0

    def new(self):
        events = admin(self.endpoint, "/events")
        fresh, self.seen = events[self.seen:], len(events)
        return [e for e in fresh if e["detail"]["eventName"] == "JobStatusChanged"
                and e["detail"]["serviceEventDetails"]["status"] in DELIVERED]


def show_backfill(title, summary):
    print(f"\n=== {title}: {summary.get('function')} (dryRun={summary.get('dryRun')}, trigger {summary.get('trigger')})")
    for item in summary.get("items", []):
        d = item.get("details") or {}
        facts = ", ".join(f"{k}={d[k]}" for k in ("kind", "jobId", "status", "totalTasks", "succeeded", "failed",
                                                   "durationSeconds", "failedByReason", "count") if k in d)
        print(f"  - {item['action']} -> {item['outcome']}: {item['reason']}" + (f" [{facts}]" if facts else ""))


def deliver(events, endpoint, tmp, env):
    for n, event in enumerate(events.new()):
        path = os.path.join(tmp, f"job-event-{n}.json")
        with open(path, "w") as f:
            json.dump(event, f)
        status = event["detail"]["serviceEventDetails"]["status"]
        show_backfill(f"Job status changed to {status}", invoke("S3BackfillFunction", path, endpoint, **env))


def lambda_path(endpoint, job_id, tmp):
    """Runs the built S3 function on each task the LambdaInvoke job waits on, and hands its answers to the job."""
    answers = []
    for n, task_event in enumerate(admin(endpoint, f"/jobs/{job_id}/invocations")):
        path = os.path.join(tmp, f"batch-task-{n}.json")
        with open(path, "w") as f:
            json.dump(task_event, f)
        answers.append(invoke("S3ReencryptFunction", path, endpoint, DRY_RUN="false",
                              TARGET_KMS_KEY_ARN=f"arn:aws:kms:{REGION}:{ACCOUNT}:alias/atrest"))
    if answers:
        admin(endpoint, f"/jobs/{job_id}/invocations", answers)
    print(f"  (Lambda: S3ReencryptFunction answered {len(answers)} task(s) of job {job_id}: "
          f"{[r['results'][0]['resultCode'] for r in answers]})")


def backfill(make, endpoint, tmp):
    s3 = make("s3")
    s3.create_bucket(Bucket=ARCHIVE)
    s3.create_bucket(Bucket=REPORTS)
    for i in range(50):
        s3.put_object(Bucket=ARCHIVE, Key=f"2019/invoice {i:03d}.pdf", Body=b"%PDF-1.4 old", ServerSideEncryption="AES256")
    for key in ("legacy/unencrypted one.csv", "legacy/unencrypted two.csv"):
        s3.put_object(Bucket=ARCHIVE, Key=key, Body=b"a,b\n")  # from before S3 encrypted every new object
    print(f"\n### Backfill: bucket {ARCHIVE} holds 50 SSE-S3 and 2 unencrypted objects written before atrest")
    events = Events(endpoint)
    env = {"BUCKET_NAMES": f"{BUCKET},{ARCHIVE}", "TARGET_KMS_KEY_ARN": f"arn:aws:kms:{REGION}:{ACCOUNT}:alias/atrest"}
    start = os.path.join(tmp, "backfill-start.json")
    with open(start, "w") as f:
        json.dump({"buckets": [ARCHIVE]}, f)

    show_backfill("Backfill start, dry run", invoke("S3BackfillFunction", start, endpoint, DRY_RUN="true", **env))
    deliver(events, endpoint, tmp, {"DRY_RUN": "true", **env})

    blocked = invoke("S3BackfillFunction", start, endpoint, DRY_RUN="false", **env)
    show_backfill("Backfill start, DryRun=false, while the dry-run jobs wait", blocked)
    # A person has read the counts and cancels the waiting jobs (confirming them would run them instead).
    control = make("s3control")
    control.meta.events.register("before-call.s3-control", without_account_host)
    for job in control.list_jobs(AccountId=ACCOUNT, JobStatuses=["Suspended"])["Jobs"]:
        control.update_job_status(AccountId=ACCOUNT, JobId=job["JobId"], RequestedJobStatus="Cancelled",
                                  StatusUpdateReason="reviewed the dry run")
        print(f"  (a person cancels the waiting dry-run job {job['JobId']}: aws s3control update-job-status "
              f"--requested-job-status Cancelled)")
    deliver(events, endpoint, tmp, {"DRY_RUN": "false", **env})

    started = invoke("S3BackfillFunction", start, endpoint, DRY_RUN="false", **env)
    show_backfill("Backfill start, DryRun=false", started)
    for item in started["items"]:
        if item["action"] == "START_JOB" and item["details"]["kind"] == "not-sse":
            lambda_path(endpoint, item["details"]["jobId"], tmp)
    deliver(events, endpoint, tmp, {"DRY_RUN": "false", **env})
    remaining = [o["Key"] for o in s3.list_objects_v2(Bucket=ARCHIVE)["Contents"]
                 if s3.head_object(Bucket=ARCHIVE, Key=o["Key"]).get("ServerSideEncryption") != "aws:kms"]
    print(f"\nobjects of {ARCHIVE} not yet SSE-KMS: {len(remaining)}")

    again = invoke("S3BackfillFunction", start, endpoint, DRY_RUN="true", **env)
    show_backfill("Backfill dry run again: is the bucket converged?", again)
    deliver(events, endpoint, tmp, {"DRY_RUN": "true", **env})


def main():
    with tempfile.TemporaryDirectory() as tmp, process.running(os.path.join(tmp, "emulator.log"), iam=True) as endpoint:
        print(f"atrest demo: local emulator at {endpoint} (moto + atrest extensions, IAM enforced); no AWS account "
              "involved")
        # The demo and tools/invoke.py act as the administrator; every function runs as its own role, which covers
        # the demo's buckets (the watched ones: the functions act on configured buckets only).
        admin = process.create_admin(endpoint)
        os.environ.pop("AWS_SESSION_TOKEN", None)
        os.environ.update(AWS_ACCESS_KEY_ID=admin["aws_access_key_id"],
                          AWS_SECRET_ACCESS_KEY=admin["aws_secret_access_key"], ATREST_AS_FUNCTION_ROLE="1",
                          ATREST_PARAM_BucketNames=f"{BUCKET},{ARCHIVE}")
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
        backfill(make, endpoint, tmp)
        print("\ndemo finished; the emulator is stopped")


if __name__ == "__main__":
    main()
