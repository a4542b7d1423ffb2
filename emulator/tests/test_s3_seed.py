"""s3_seed: the bulk seeding the benchmarks use makes the objects a PutObject would make."""
import json
import urllib.error
import urllib.request

import pytest


def _seed(endpoint, body):
    request = urllib.request.Request(endpoint + "/_atrest/s3/seed", data=json.dumps(body).encode(), method="POST")
    try:
        with urllib.request.urlopen(request) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, json.load(e)


def test_seeded_objects_are_ordinary_objects(endpoint, client):
    s3 = client("s3")
    status, answer = _seed(endpoint, {"bucket": "seeded", "count": 250, "prefix": "obj/", "size": 16})
    assert status == 200 and answer["created"] == 250
    keys = [o["Key"] for page in s3.get_paginator("list_objects_v2").paginate(Bucket="seeded")
            for o in page["Contents"]]
    assert len(keys) == 250 and keys[0] == "obj/000000" and keys[-1] == "obj/000249"
    head = s3.head_object(Bucket="seeded", Key="obj/000007")
    assert head["ServerSideEncryption"] == "AES256" and head["ContentLength"] == 16
    assert s3.get_object(Bucket="seeded", Key="obj/000007")["Body"].read() == b"x" * 16


def test_seeding_into_an_existing_bucket_and_without_encryption(endpoint, client):
    s3 = client("s3")
    s3.create_bucket(Bucket="existing")
    s3.put_object(Bucket="existing", Key="kept", Body=b"k")
    status, _ = _seed(endpoint, {"bucket": "existing", "count": 3, "prefix": "plain-", "encryption": None})
    assert status == 200
    assert "ServerSideEncryption" not in s3.head_object(Bucket="existing", Key="plain-000002")
    assert s3.get_object(Bucket="existing", Key="kept")["Body"].read() == b"k"


def test_seeded_objects_are_what_a_generated_manifest_filters(endpoint, client):
    s3, sc = client("s3"), client("s3control")
    s3.create_bucket(Bucket="reports")
    _seed(endpoint, {"bucket": "mixed", "count": 5, "prefix": "s3-"})
    _seed(endpoint, {"bucket": "mixed", "count": 2, "prefix": "none-", "encryption": None})
    job = sc.create_job(AccountId="123456789012", ConfirmationRequired=True, Priority=1, ClientRequestToken="t",
                        RoleArn="arn:aws:iam::123456789012:role/r",
                        Operation={"S3UpdateObjectEncryption": {"ObjectEncryption": {"SSEKMS": {
                            "KMSKeyArn": "arn:aws:kms:us-east-1:123456789012:key/k"}}}},
                        Report={"Enabled": False},
                        ManifestGenerator={"S3JobManifestGenerator": {
                            "SourceBucket": "arn:aws:s3:::mixed", "EnableManifestOutput": False,
                            "Filter": {"MatchAnyObjectEncryption": [{"SSES3": {}}]}}})["JobId"]
    described = sc.describe_job(AccountId="123456789012", JobId=job)["Job"]
    assert described["Status"] == "Suspended"
    assert described["ProgressSummary"]["TotalNumberOfTasks"] == 5


@pytest.mark.parametrize("body, message", [
    ({}, "bucket"),
    ({"bucket": "b", "count": -1}, "count"),
    ({"bucket": "b", "count": "10"}, "count"),
    ({"bucket": "b", "size": 2 ** 21}, "size"),
    ({"bucket": "b", "encryption": "SSE-C"}, "encryption"),
])
def test_bad_requests_are_refused(endpoint, body, message):
    status, answer = _seed(endpoint, body)
    assert status == 400 and message in answer["error"]
