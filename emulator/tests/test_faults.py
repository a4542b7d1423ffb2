import json
import urllib.error
import urllib.request

import pytest
from botocore.exceptions import ClientError


def _configure(endpoint, config):
    req = urllib.request.Request(endpoint + "/_atrest/faults", data=json.dumps(config).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    urllib.request.urlopen(req)


def _stats(endpoint):
    with urllib.request.urlopen(endpoint + "/_atrest/faults") as r:
        return json.load(r)


def test_counted_json_fault_is_parsed_by_the_sdk_then_clears(endpoint, client):
    _configure(endpoint, {"rules": [{"service": "kms", "operation": "ListKeys", "count": 1, "status": 400,
                                      "code": "ThrottlingException", "message": "Rate exceeded"}]})
    kms = client("kms")
    with pytest.raises(ClientError) as err:
        kms.list_keys()
    assert err.value.response["Error"]["Code"] == "ThrottlingException"
    assert kms.list_keys()["Keys"] == []  # second call passes: count was 1
    assert _stats(endpoint)["injected"] == 1


@pytest.mark.parametrize("service,call,code,status", [
    ("s3", lambda c: c.list_buckets(), "SlowDown", 503),
    ("ec2", lambda c: c.describe_volumes(), "RequestLimitExceeded", 503),
    ("efs", lambda c: c.describe_file_systems(), "ThrottlingException", 429),
    ("sns", lambda c: c.list_topics(), "Throttling", 400),
])
def test_error_format_matches_each_protocol(endpoint, client, service, call, code, status):
    scope = {"efs": "elasticfilesystem"}.get(service, service)
    _configure(endpoint, {"rules": [{"service": scope, "count": 1, "status": status, "code": code}]})
    with pytest.raises(ClientError) as err:
        call(client(service))
    assert err.value.response["Error"]["Code"] == code
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == status


def test_rate_is_seeded_and_region_scoped(endpoint, client):
    _configure(endpoint, {"seed": 3, "rules": [{"service": "ec2", "region": "eu-west-1", "rate": 0.5,
                                                 "status": 503, "code": "Unavailable"}]})
    failures = 0
    for _ in range(40):
        try:
            client("ec2", "eu-west-1").describe_volumes()
        except ClientError:
            failures += 1
    client("ec2", "us-east-1").describe_volumes()  # other region never faulted
    assert 8 <= failures <= 32
    assert _stats(endpoint)["injected"] == failures


def test_reset_clears_rules(endpoint, client):
    _configure(endpoint, {"rules": [{"service": "kms", "count": -1, "status": 500, "code": "InternalFailure"}]})
    urllib.request.urlopen(urllib.request.Request(endpoint + "/moto-api/reset", method="POST"))
    assert client("kms").list_keys()["Keys"] == []


def test_dropped_connection_is_retried_by_the_sdk(endpoint, client):
    import boto3
    from botocore.config import Config
    _configure(endpoint, {"rules": [{"service": "kms", "operation": "ListKeys", "count": 1, "drop": True}]})
    kms = boto3.client("kms", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="t",
                       aws_secret_access_key="t", config=Config(retries={"total_max_attempts": 3, "mode": "standard"}))
    assert kms.list_keys()["Keys"] == []  # the first attempt's connection was dropped, the retry succeeded
    assert _stats(endpoint)["injected"] == 1


def test_dropped_connection_without_retries_fails(endpoint, client):
    from botocore.exceptions import ConnectionClosedError, EndpointConnectionError
    _configure(endpoint, {"rules": [{"service": "kms", "operation": "ListKeys", "count": 1, "drop": True}]})
    with pytest.raises((ConnectionClosedError, EndpointConnectionError, ConnectionError)):
        client("kms").list_keys()


def test_dropped_answer_after_the_write_is_committed(endpoint, client):
    from botocore.exceptions import ConnectionClosedError, EndpointConnectionError
    s3 = client("s3")
    s3.create_bucket(Bucket="lost-answers")
    _configure(endpoint, {"rules": [{"service": "s3", "operation": "PutObject", "count": 1, "drop": "after"}]})
    with pytest.raises((ConnectionClosedError, EndpointConnectionError, ConnectionError)):
        s3.put_object(Bucket="lost-answers", Key="k", Body=b"committed")  # the fixture's client does not retry
    assert s3.get_object(Bucket="lost-answers", Key="k")["Body"].read() == b"committed"
    assert _stats(endpoint)["injected"] == 1


def test_a_retry_after_a_lost_answer_meets_its_own_write(endpoint, client):
    import boto3
    from botocore.config import Config
    _configure(endpoint, {"rules": [{"service": "kms", "operation": "CreateKey", "count": 1, "drop": "after"}]})
    kms = boto3.client("kms", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="t",
                       aws_secret_access_key="t", config=Config(retries={"total_max_attempts": 3, "mode": "standard"}))
    kms.create_key()
    # CreateKey is not idempotent: the lost answer's key exists beside the retry's.
    assert len(kms.list_keys()["Keys"]) == 2


def _admin(endpoint, path, body=None, method=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(endpoint + path, data=data, method=method or ("POST" if data else "GET"),
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, json.load(e)


def _in_thread(call):
    import threading
    outcome = {}

    def run():
        try:
            outcome["result"] = call()
        except Exception as e:  # noqa: BLE001 - the test inspects it
            outcome["error"] = e
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


@pytest.mark.parametrize("write, copies", [("content", False), ("metadata", True)])
def test_a_held_copy_lets_a_write_land_between_head_and_copy(endpoint, client, write, copies):
    s3 = client("s3")
    s3.create_bucket(Bucket="held")
    s3.put_object(Bucket="held", Key="k", Body=b"v1", Metadata={"m": "1"})
    seen = s3.head_object(Bucket="held", Key="k")["ETag"]
    _configure(endpoint, {"rules": [{"service": "s3", "operation": "CopyObject", "bucket": "held", "key": "k",
                                      "count": 1, "hold": "copy"}]})
    thread, outcome = _in_thread(lambda: client("s3").copy_object(
        Bucket="held", Key="k", CopySource={"Bucket": "held", "Key": "k"}, CopySourceIfMatch=seen,
        ServerSideEncryption="AES256"))
    assert _admin(endpoint, "/_atrest/faults/held?hold=copy&count=1&timeout_ms=5000") == (200, {"held": 1})
    if write == "content":
        s3.put_object(Bucket="held", Key="k", Body=b"v2", Metadata={"m": "2"})
    else:  # a metadata-only change keeps the ETag: the held copy's condition still holds
        s3.copy_object(Bucket="held", Key="k", CopySource={"Bucket": "held", "Key": "k"},
                       MetadataDirective="REPLACE", Metadata={"m": "2"})
    assert "result" not in outcome and "error" not in outcome  # still held
    assert _admin(endpoint, "/_atrest/faults/release", {"hold": "copy"}) == (200, {"released": 1})
    thread.join(10)
    if copies:
        assert "result" in outcome, outcome
        assert s3.head_object(Bucket="held", Key="k")["Metadata"] == {"m": "2"}
    else:
        assert outcome["error"].response["Error"]["Code"] == "PreconditionFailed"
        assert s3.get_object(Bucket="held", Key="k")["Body"].read() == b"v2"
    assert _stats(endpoint)["released"] == {"copy": 1}


def test_a_hold_times_out_and_replacing_the_rules_releases_it(endpoint, client):
    s3 = client("s3")
    s3.create_bucket(Bucket="held")
    _configure(endpoint, {"rules": [{"service": "s3", "operation": "CreateMultipartUpload", "count": 1,
                                      "hold": "create", "hold_timeout_ms": 200}]})
    s3.create_multipart_upload(Bucket="held", Key="k")  # goes on after 200 ms
    assert _stats(endpoint)["hold_timeouts"] == 1
    assert _admin(endpoint, "/_atrest/faults/held?hold=create&count=1&timeout_ms=100") == (408, {"held": 0})
    _configure(endpoint, {"rules": [{"service": "s3", "operation": "CreateMultipartUpload", "count": 1,
                                      "hold": "create"}]})
    thread, outcome = _in_thread(lambda: client("s3").create_multipart_upload(Bucket="held", Key="k"))
    assert _admin(endpoint, "/_atrest/faults/held?hold=create&count=1&timeout_ms=5000") == (200, {"held": 1})
    _configure(endpoint, {"rules": []})
    thread.join(10)
    assert "UploadId" in outcome["result"]


def test_a_delay_applies_to_the_named_operation_only(endpoint, client):
    import time
    s3 = client("s3")
    s3.create_bucket(Bucket="slow")
    s3.put_object(Bucket="slow", Key="k", Body=b"x")
    _configure(endpoint, {"rules": [{"service": "s3", "operation": "UploadPartCopy", "count": -1, "delay_ms": 300}]})
    upload = s3.create_multipart_upload(Bucket="slow", Key="k")["UploadId"]
    started = time.monotonic()
    s3.head_object(Bucket="slow", Key="k")
    fast = time.monotonic() - started
    started = time.monotonic()
    s3.upload_part_copy(Bucket="slow", Key="k", UploadId=upload, PartNumber=1,
                        CopySource={"Bucket": "slow", "Key": "k"})
    slow = time.monotonic() - started
    assert slow >= 0.3 > fast
    assert _stats(endpoint)["delayed"] == 1
