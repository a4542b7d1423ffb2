"""End-to-end: the EMF documents the built functions print (tools/invoke.py, the real Lambda Java runtime interface
client, a Lambda-like environment) carry the dimension sets the template's alarms use. An alarm with any other
dimension set watches a metric nobody publishes and never fires; so each function is driven into a failure and
its printed metrics are matched against the alarms."""
import json
import os
import urllib.request

import pytest

from template_model import functions, resources, service_name, source
from test_invoke import EVENTS, invoke


def _emf(stderr):
    """(namespace, metric names, dimension sets, dimension values) of each EMF document in the function's output."""
    found = []
    for line in stderr.splitlines():
        line = line.strip()
        if not (line.startswith("{") and '"_aws"' in line):
            continue
        document = json.loads(line)
        for directive in document["_aws"]["CloudWatchMetrics"]:
            keys = {k for dims in directive["Dimensions"] for k in dims}
            found.append((directive["Namespace"], {m["Name"] for m in directive["Metrics"]},
                          [tuple(d) for d in directive["Dimensions"]], {k: document[k] for k in keys}))
    return found


def _fault(endpoint, **rule):
    request = urllib.request.Request(endpoint + "/_atrest/faults", data=json.dumps({"rules": [rule]}).encode(),
                                     method="POST", headers={"Content-Type": "application/json"})
    urllib.request.urlopen(request).read()


def _alarmed_atrest_metrics(service):
    """metric name -> dimension names of each alarm on the function's own metrics."""
    out = {}
    for alarm in resources(source(), "AWS::CloudWatch::Alarm").values():
        props = alarm["Properties"]
        if props.get("Namespace") == "atrest":
            dims = {d["Name"]: d["Value"] for d in props["Dimensions"]}
            if dims.get("Service") == service:
                out[props["MetricName"]] = tuple(dims)
    return out


def _check(function_id, printed, must_print):
    service = service_name(function_id)
    ours = [p for p in printed if p[0] == "atrest"]
    assert ours, f"{function_id} printed no EMF in namespace atrest"
    for namespace, names, dimension_sets, values in ours:
        # Every document: [Service] = the function's POWERTOOLS_SERVICE_NAME, nothing Powertools or the EMF
        # library would add on its own (LogGroup, ServiceName, ServiceType).
        assert ("Service",) in dimension_sets and values["Service"] == service, (function_id, dimension_sets)
        assert set(dimension_sets) <= {("Service",), ("Check", "Region")}, (function_id, dimension_sets)
    published = {name: {s for n, names, sets, _ in ours if name in names for s in sets} for _, names, _, _ in ours
                 for name in names}
    alarmed = _alarmed_atrest_metrics(service)
    assert alarmed, function_id
    for metric in must_print:
        assert metric in published, f"{function_id} did not print {metric}: {sorted(published)}"
    for metric, dimensions in alarmed.items():
        if metric in published:
            assert dimensions in published[metric], (function_id, metric, dimensions, published[metric])


def test_s3_function_metrics_match_its_alarms(client, endpoint, target_key):
    s3 = client("s3")
    s3.create_bucket(Bucket="atrest-demo-bucket")
    s3.put_object(Bucket="atrest-demo-bucket", Key="invoices/2026/nov 20.pdf", Body=b"%PDF-", ServerSideEncryption="AES256")
    _fault(endpoint, service="s3", operation="HeadObject", count=-1, status=403, code="AccessDenied")
    code, body, err = invoke("S3ReencryptFunction", "eventbridge-object-created.json", endpoint,
                             TARGET_KMS_KEY_ARN=target_key)
    assert code == 0, err
    assert body["counts"] == {"FAILED": 1}, body
    _check("S3ReencryptFunction", _emf(err), ["ItemsFAILED", "ObjectsFailed", "ObjectsCritical"])


def test_kms_function_metrics_match_its_alarms(client, endpoint, tmp_path):
    key_id = client("kms").create_key(Description="no rotation yet")["KeyMetadata"]["KeyId"]
    event = json.load(open(os.path.join(EVENTS, "cloudtrail-create-key.json")))
    event["detail"]["responseElements"]["keyMetadata"]["keyId"] = key_id
    event["detail"]["responseElements"]["keyMetadata"]["arn"] = f"arn:aws:kms:us-east-1:123456789012:key/{key_id}"
    path = tmp_path / "create-key.json"
    path.write_text(json.dumps(event))
    _fault(endpoint, service="kms", operation="DescribeKey", count=-1, status=400, code="AccessDeniedException")
    code, body, err = invoke("KmsRotationFunction", str(path), endpoint)
    assert code == 0, err
    assert body["counts"] == {"FAILED": 1}, body
    _check("KmsRotationFunction", _emf(err), ["ItemsFAILED", "KeysFailed"])


def test_audit_metrics_match_its_alarms(client, endpoint):
    client("ec2").create_volume(AvailabilityZone="us-east-1a", Size=1, Encrypted=False)
    _fault(endpoint, service="ec2", operation="DescribeSnapshots", count=-1, status=403, code="UnauthorizedOperation")
    code, body, err = invoke("StorageAuditFunction", "scheduled-event.json", endpoint)
    assert code == 0, err
    # The snapshot check, and the key check that needs every dependent the snapshots could name.
    failed = sorted(i["resource"] for i in body["items"] if i["outcome"] == "FAILED")
    assert failed == ["us-east-1/ebs-snapshot-encrypted", "us-east-1/kms-key-protects-data"], body
    printed = _emf(err)
    _check("StorageAuditFunction", printed, ["ItemsFAILED", "AuditFailures", "NonCompliantResources"])
    # Per check and Region for the dashboard, and [Service] (the total) for the alarms, in one document.
    scoped = [p for p in printed if "NonCompliantResources" in p[1] or "AuditFailures" in p[1]]
    assert scoped and all(p[2] == [("Service",), ("Check", "Region")] for p in scoped), scoped
    volumes = [p for p in scoped if p[3]["Check"] == "ebs-volume-encrypted" and "NonCompliantResources" in p[1]]
    assert [p[3]["Region"] for p in volumes] == ["us-east-1"]


def test_backfill_metrics_match_its_alarms(client, endpoint, target_key):
    s3 = client("s3")
    s3.create_bucket(Bucket="atrest-demo-bucket")
    s3.create_bucket(Bucket="atrest-local-backfillreportbucket")
    s3.put_object(Bucket="atrest-demo-bucket", Key="old/0", Body=b"x", ServerSideEncryption="AES256")
    _fault(endpoint, service="s3control", operation="CreateJob", count=-1, status=403, code="AccessDenied")
    code, body, err = invoke("S3BackfillFunction", "backfill-start.json", endpoint, TARGET_KMS_KEY_ARN=target_key,
                             BUCKET_NAMES="atrest-demo-bucket")
    assert code == 0, err
    assert body["counts"].get("FAILED", 0) >= 1, body
    _check("S3BackfillFunction", _emf(err), ["ItemsFAILED"])


@pytest.fixture
def target_key(client):
    key = client("kms").create_key(Description="atrest e2e target")["KeyMetadata"]
    return key["Arn"]


def test_every_function_is_covered():
    """A new function gets its own test above (a failure provoked, its metrics matched to its alarms)."""
    assert sorted(functions()) == ["KmsRotationFunction", "S3BackfillFunction", "S3ReencryptFunction",
                                   "StorageAuditFunction"]
