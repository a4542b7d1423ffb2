"""Throughput at scale, each run through the built function (tools/invoke.py, one fresh JVM per run): wall time
includes the JVM's start, `durationMs` is the function's own measure of its work."""
import collections
import json
import os
import tempfile
import time
import urllib.request

from atrest_emulator import process
from warm import _client, clear_log, requests_log

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REGION = "us-east-1"


def _admin(endpoint, path, payload):
    req = urllib.request.Request(endpoint + path, data=json.dumps(payload).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=600) as r:
        return json.load(r)


def _timed(invoke, function, event, endpoint, **env):
    clear_log(endpoint)
    started = time.monotonic()
    summary = invoke(function, event, endpoint, **env)
    wall = time.monotonic() - started
    ops = collections.Counter(f"{e['service']}:{e['operation']}" for e in requests_log(endpoint))
    return summary, round(wall, 2), dict(ops)


def s3_batch(endpoint, invoke, objects=2000):
    process.reset(endpoint)
    s3, kms = _client(endpoint, "s3"), _client(endpoint, "kms")
    target = kms.create_key()["KeyMetadata"]["Arn"]
    bucket = "atrest-bench"
    s3.create_bucket(Bucket=bucket)
    for i in range(objects):
        s3.put_object(Bucket=bucket, Key=f"obj/{i:05d}.bin", Body=b"x" * 256, ServerSideEncryption="AES256")
    event = {"invocationSchemaVersion": "2.0", "invocationId": "bench", "job": {"id": "bench-job", "userArguments": {}},
             "tasks": [{"taskId": f"t{i}", "s3Key": f"obj/{i:05d}.bin", "s3VersionId": None, "s3Bucket": bucket}
                       for i in range(objects)]}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(event, f)
        path = f.name
    response, wall, ops = _timed(invoke, "S3ReencryptFunction", path, endpoint, DRY_RUN="false",
                                 TARGET_KMS_KEY_ARN=target)
    os.unlink(path)
    codes = collections.Counter(r["resultCode"] for r in response["results"])
    return {"objects": objects, "wall_s": wall, "objects_per_s": round(objects / wall, 1),
            "result_codes": dict(codes), "requests": sum(ops.values()), "operations": ops,
            "note": "one Batch Operations invocation carrying every task, one fresh JVM; the function's own "
                    "concurrency bound applies"}


def audit(endpoint, invoke, volumes=10000, snapshots=5000, file_systems=1000, buckets=500):
    process.reset(endpoint)
    _admin(endpoint, "/_atrest/ec2/seed", {"region": REGION, "volumes": [
        {"count": volumes // 2, "encrypted": False}, {"count": volumes - volumes // 2, "encrypted": True}],
        "snapshots": [{"count": snapshots // 2, "encrypted": False},
                      {"count": snapshots - snapshots // 2, "encrypted": True}]})
    _admin(endpoint, "/_atrest/efs/seed", {"region": REGION, "fileSystems": [
        {"count": file_systems // 2, "encrypted": False}, {"count": file_systems - file_systems // 2, "encrypted": True}]})
    s3 = _client(endpoint, "s3")
    for i in range(buckets):
        s3.create_bucket(Bucket=f"atrest-bench-{i:04d}")
    _client(endpoint, "securityhub").enable_security_hub()
    sweep = os.path.join(ROOT, "events", "scheduled-event.json")
    summary, wall, ops = _timed(invoke, "StorageAuditFunction", sweep, endpoint, SECURITY_HUB_ENABLED="true")
    return {"account": f"{volumes} volumes, {snapshots} snapshots, {file_systems} EFS, {buckets} buckets",
            "volumes": volumes, "snapshots": snapshots, "file_systems": file_systems, "buckets": buckets,
            "wall_s": wall, "function_ms": summary.get("durationMs"), "requests": sum(ops.values()),
            "operations": ops}


def sweep(endpoint, invoke, keys=2000):
    process.reset(endpoint)
    kms = _client(endpoint, "kms")
    for i in range(keys):
        key = kms.create_key()["KeyMetadata"]["KeyId"]
        if i % 2:
            kms.enable_key_rotation(KeyId=key, RotationPeriodInDays=365)
    event = os.path.join(ROOT, "events", "scheduled-event.json")
    summary, wall, ops = _timed(invoke, "KmsRotationFunction", event, endpoint, DRY_RUN="false")
    requests = sum(ops.values())
    return {"keys": keys, "wall_s": wall, "function_ms": summary.get("durationMs"), "counts": summary.get("counts"),
            "requests": requests, "per_key": round(requests / keys, 2), "operations": ops}


def measure(endpoint):
    from run import run_invoke

    def invoke(function, event, endpoint, **env):
        return run_invoke(function, event, endpoint, env=env)[1]
    return {"s3_batch_2000": s3_batch(endpoint, invoke), "audit_large_account": audit(endpoint, invoke),
            "kms_sweep_2000": sweep(endpoint, invoke)}
