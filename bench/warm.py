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
    with urllib.request.urlopen(endpoint + "/_atrest/requests") as r:
        return json.load(r)


def clear_log(endpoint):
    urllib.request.urlopen(urllib.request.Request(endpoint + "/_atrest/requests", method="DELETE"))


def count_during(endpoint, action, service):
    """Runs action() and returns ({operation: count}, total) for `service` requests it caused."""
    clear_log(endpoint)
    action()
    ops = collections.Counter(e["operation"] for e in requests_log(endpoint) if e["service"] == service)
    return dict(ops), sum(ops.values())


def _event_file(tmp, name, mutate):
    with open(os.path.join(ROOT, "events", name)) as f:
        event = json.load(f)
    mutate(event)
    path = os.path.join(tmp, name)
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
        ops, total = count_during(endpoint, lambda: invoke("KmsRotationFunction", sweep, endpoint, DRY_RUN="false"),
                                  "kms")
        out["sweep_50_keys_half_fixed"] = {"requests": total, "per_key": round(total / n, 2), "operations": ops}
    return out


def measure(endpoint):
    from run import run_invoke

    def invoke(function, event, endpoint, **env):
        return run_invoke(function, event, endpoint, env=env)[1]
    return {"kms": kms(endpoint, invoke)}
