import json
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
