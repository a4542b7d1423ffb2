"""Object Lock on the copy path: a new version (copy, multipart, put) has only the lock its own request (or the
bucket's default retention) gives it; locked versions stay; retention and legal hold read back as set."""
import base64
import datetime
import hashlib
import zlib

import pytest
from botocore.exceptions import ClientError

BUCKET = "lock-bucket"


def _error(err):
    return err.value.response["ResponseMetadata"]["HTTPStatusCode"], err.value.response["Error"]["Code"]


def _later(**delta):
    return (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(**delta)).replace(microsecond=0)


@pytest.fixture
def s3(client):
    s3 = client("s3")
    s3.create_bucket(Bucket=BUCKET, ObjectLockEnabledForBucket=True)
    return s3


def _locked_source(s3, mode="GOVERNANCE", hold="ON"):
    return s3.put_object(Bucket=BUCKET, Key="src", Body=b"locked", ObjectLockMode=mode,
                         ObjectLockRetainUntilDate=_later(days=1), ObjectLockLegalHoldStatus=hold)["VersionId"]


def _no_lock_configuration(call):
    with pytest.raises(ClientError) as err:
        call()
    assert _error(err) == (404, "NoSuchObjectLockConfiguration")


def test_retention_and_legal_hold_read_back_on_head_and_their_own_operations(s3):
    until = _later(days=2)
    version = s3.put_object(Bucket=BUCKET, Key="k", Body=b"x", ObjectLockMode="COMPLIANCE",
                            ObjectLockRetainUntilDate=until, ObjectLockLegalHoldStatus="ON")["VersionId"]
    head = s3.head_object(Bucket=BUCKET, Key="k", VersionId=version)
    assert (head["ObjectLockMode"], head["ObjectLockRetainUntilDate"], head["ObjectLockLegalHoldStatus"]) == (
        "COMPLIANCE", until, "ON")
    retention = s3.get_object_retention(Bucket=BUCKET, Key="k", VersionId=version)["Retention"]
    assert (retention["Mode"], retention["RetainUntilDate"]) == ("COMPLIANCE", until)
    assert s3.get_object_legal_hold(Bucket=BUCKET, Key="k", VersionId=version)["LegalHold"] == {"Status": "ON"}


def test_a_version_without_lock_settings_has_no_lock_configuration(s3):
    s3.put_object(Bucket=BUCKET, Key="plain", Body=b"x")
    head = s3.head_object(Bucket=BUCKET, Key="plain")
    assert not {"ObjectLockMode", "ObjectLockRetainUntilDate", "ObjectLockLegalHoldStatus"} & set(head)
    _no_lock_configuration(lambda: s3.get_object_retention(Bucket=BUCKET, Key="plain"))
    _no_lock_configuration(lambda: s3.get_object_legal_hold(Bucket=BUCKET, Key="plain"))


def test_lock_operations_on_a_bucket_without_object_lock(client):
    s3 = client("s3")
    s3.create_bucket(Bucket="no-lock")
    s3.put_object(Bucket="no-lock", Key="k", Body=b"x")
    for call in (lambda: s3.get_object_retention(Bucket="no-lock", Key="k"),
                 lambda: s3.get_object_legal_hold(Bucket="no-lock", Key="k"),
                 lambda: s3.put_object(Bucket="no-lock", Key="k", Body=b"x", ObjectLockLegalHoldStatus="ON")):
        with pytest.raises(ClientError) as err:
            call()
        assert _error(err) == (400, "InvalidRequest")


def test_missing_keys_and_versions_are_404_not_500(s3):
    for call, code in ((lambda: s3.put_object_retention(Bucket=BUCKET, Key="absent", Retention={
                            "Mode": "GOVERNANCE", "RetainUntilDate": _later(days=1)}), "NoSuchKey"),
                       (lambda: s3.put_object_legal_hold(Bucket=BUCKET, Key="absent",
                                                         LegalHold={"Status": "ON"}), "NoSuchKey"),
                       (lambda: s3.get_object_retention(Bucket=BUCKET, Key="absent"), "NoSuchKey")):
        with pytest.raises(ClientError) as err:
            call()
        assert _error(err) == (404, code)


@pytest.mark.parametrize("operation", ["copy", "multipart"])
def test_a_new_version_does_not_carry_the_source_lock(s3, operation):
    source = _locked_source(s3)
    if operation == "copy":
        new = s3.copy_object(Bucket=BUCKET, Key="src", CopySource={"Bucket": BUCKET, "Key": "src", "VersionId": source},
                             ServerSideEncryption="AES256")["VersionId"]
    else:
        upload = s3.create_multipart_upload(Bucket=BUCKET, Key="src")["UploadId"]
        part = s3.upload_part_copy(Bucket=BUCKET, Key="src", UploadId=upload, PartNumber=1,
                                   CopySource={"Bucket": BUCKET, "Key": "src", "VersionId": source})
        new = s3.complete_multipart_upload(Bucket=BUCKET, Key="src", UploadId=upload, MultipartUpload={
            "Parts": [{"PartNumber": 1, "ETag": part["CopyPartResult"]["ETag"]}]})["VersionId"]
    assert new != source
    _no_lock_configuration(lambda: s3.get_object_retention(Bucket=BUCKET, Key="src", VersionId=new))
    _no_lock_configuration(lambda: s3.get_object_legal_hold(Bucket=BUCKET, Key="src", VersionId=new))
    # The locked source is still there, still locked: a new version went on top of it.
    assert s3.get_object_legal_hold(Bucket=BUCKET, Key="src", VersionId=source)["LegalHold"]["Status"] == "ON"
    assert len(s3.list_object_versions(Bucket=BUCKET, Prefix="src")["Versions"]) == 2


@pytest.mark.parametrize("operation", ["copy", "multipart"])
def test_lock_headers_set_the_lock_of_the_new_version(s3, operation):
    _locked_source(s3, hold="OFF")
    until = _later(days=3)
    lock = dict(ObjectLockMode="COMPLIANCE", ObjectLockRetainUntilDate=until, ObjectLockLegalHoldStatus="ON")
    if operation == "copy":
        # No Content-MD5 and no checksum: S3 asks for one on PutObject only.
        new = s3.copy_object(Bucket=BUCKET, Key="dst", CopySource={"Bucket": BUCKET, "Key": "src"}, **lock)["VersionId"]
    else:
        upload = s3.create_multipart_upload(Bucket=BUCKET, Key="dst", **lock)["UploadId"]
        part = s3.upload_part_copy(Bucket=BUCKET, Key="dst", UploadId=upload, PartNumber=1,
                                   CopySource={"Bucket": BUCKET, "Key": "src"})
        new = s3.complete_multipart_upload(Bucket=BUCKET, Key="dst", UploadId=upload, MultipartUpload={
            "Parts": [{"PartNumber": 1, "ETag": part["CopyPartResult"]["ETag"]}]})["VersionId"]
    head = s3.head_object(Bucket=BUCKET, Key="dst", VersionId=new)
    assert (head["ObjectLockMode"], head["ObjectLockRetainUntilDate"], head["ObjectLockLegalHoldStatus"]) == (
        "COMPLIANCE", until, "ON")


def test_the_bucket_default_retention_applies_to_copies_and_multipart_uploads(client):
    s3 = client("s3")
    s3.create_bucket(Bucket="lock-default", ObjectLockEnabledForBucket=True)
    s3.put_object(Bucket="lock-default", Key="before", Body=b"x")
    # A default retention can be set on a bucket that already holds objects; they keep what they had.
    s3.put_object_lock_configuration(Bucket="lock-default", ObjectLockConfiguration={
        "ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 1}}})
    _no_lock_configuration(lambda: s3.get_object_retention(Bucket="lock-default", Key="before"))
    s3.put_object(Bucket="lock-default", Key="k", Body=b"x", ChecksumAlgorithm="CRC32")
    s3.copy_object(Bucket="lock-default", Key="c", CopySource={"Bucket": "lock-default", "Key": "k"})
    upload = s3.create_multipart_upload(Bucket="lock-default", Key="m")["UploadId"]
    part = s3.upload_part(Bucket="lock-default", Key="m", UploadId=upload, PartNumber=1, Body=b"x")["ETag"]
    s3.complete_multipart_upload(Bucket="lock-default", Key="m", UploadId=upload,
                                 MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part}]})
    for key in ("k", "c", "m"):
        retention = s3.get_object_retention(Bucket="lock-default", Key=key)["Retention"]
        assert retention["Mode"] == "GOVERNANCE", key
        assert _later(hours=23) < retention["RetainUntilDate"] <= _later(days=1, seconds=5), key


@pytest.mark.parametrize("headers, status", [
    ({}, 400),
    ({"Content-MD5": base64.b64encode(hashlib.md5(b"locked").digest()).decode()}, 200),
    ({"x-amz-checksum-crc32": base64.b64encode(zlib.crc32(b"locked").to_bytes(4, "big")).decode()}, 200),
])
def test_put_object_with_lock_parameters_needs_an_integrity_header(raw_s3, s3, headers, status):
    lock = {"x-amz-object-lock-mode": "GOVERNANCE", "x-amz-object-lock-retain-until-date": _later(days=1).isoformat()}
    answered, _, body = raw_s3("PUT", f"/{BUCKET}/k", b"locked", {**lock, **headers})
    assert answered == status, body
    if status == 400:
        assert b"<Code>InvalidRequest</Code>" in body
        assert (b"Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock "
                b"parameters") in body
    else:
        assert s3.get_object_retention(Bucket=BUCKET, Key="k")["Retention"]["Mode"] == "GOVERNANCE"
        assert s3.get_object(Bucket=BUCKET, Key="k")["Body"].read() == b"locked"


def test_bad_lock_headers(s3):
    for lock, code in ((dict(ObjectLockMode="GOVERNANCE"), "InvalidArgument"),
                       (dict(ObjectLockMode="GOVERNANCE", ObjectLockRetainUntilDate=_later(days=-1)),
                        "InvalidArgument")):
        with pytest.raises(ClientError) as err:
            s3.put_object(Bucket=BUCKET, Key="k", Body=b"x", **lock)
        assert _error(err) == (400, code)


def test_locked_versions_cannot_be_deleted_but_can_be_written_over(s3):
    governance = _locked_source(s3, hold="OFF")
    held = s3.put_object(Bucket=BUCKET, Key="held", Body=b"locked", ObjectLockLegalHoldStatus="ON")["VersionId"]
    compliance = s3.put_object(Bucket=BUCKET, Key="c", Body=b"locked", ObjectLockMode="COMPLIANCE",
                               ObjectLockRetainUntilDate=_later(days=1))["VersionId"]
    # Sent as "false" the bypass header bypasses nothing; legal holds and COMPLIANCE cannot be bypassed at all.
    for key, version, bypass in (("src", governance, False), ("held", held, True), ("c", compliance, True)):
        with pytest.raises(ClientError) as err:
            s3.delete_object(Bucket=BUCKET, Key=key, VersionId=version, BypassGovernanceRetention=bypass)
        assert _error(err) == (403, "AccessDenied")
        newer = s3.put_object(Bucket=BUCKET, Key=key, Body=b"newer")["VersionId"]
        assert newer != version
        assert s3.get_object(Bucket=BUCKET, Key=key)["Body"].read() == b"newer"
        assert s3.get_object(Bucket=BUCKET, Key=key, VersionId=version)["Body"].read() == b"locked"
    s3.delete_object(Bucket=BUCKET, Key="src", VersionId=governance, BypassGovernanceRetention=True)
    versions = [v["VersionId"] for v in s3.list_object_versions(Bucket=BUCKET, Prefix="src")["Versions"]]
    assert governance not in versions


@pytest.mark.parametrize("mode, change, bypass, allowed", [
    ("GOVERNANCE", dict(days=2), False, True),           # longer: always
    ("GOVERNANCE", dict(hours=1), False, False),         # shorter: only with bypass
    ("GOVERNANCE", dict(hours=1), True, True),
    ("GOVERNANCE", None, False, False),                  # removed: only with bypass
    ("GOVERNANCE", None, True, True),
    ("COMPLIANCE", dict(days=2), False, True),
    ("COMPLIANCE", dict(hours=1), True, False),          # never shorter
    ("COMPLIANCE", None, True, False),                   # never removed
])
def test_put_object_retention_rules(s3, mode, change, bypass, allowed):
    version = s3.put_object(Bucket=BUCKET, Key="k", Body=b"x", ObjectLockMode=mode,
                            ObjectLockRetainUntilDate=_later(days=1))["VersionId"]
    before = s3.get_object_retention(Bucket=BUCKET, Key="k", VersionId=version)["Retention"]
    retention = {} if change is None else {"Mode": mode, "RetainUntilDate": _later(**change)}
    call = lambda: s3.put_object_retention(Bucket=BUCKET, Key="k", VersionId=version, Retention=retention,  # noqa
                                           BypassGovernanceRetention=bypass)
    if not allowed:
        with pytest.raises(ClientError) as err:
            call()
        assert _error(err) == (403, "AccessDenied")
        assert s3.get_object_retention(Bucket=BUCKET, Key="k", VersionId=version)["Retention"] == before
    elif change is None:
        call()
        _no_lock_configuration(lambda: s3.get_object_retention(Bucket=BUCKET, Key="k", VersionId=version))
    else:
        call()
        after = s3.get_object_retention(Bucket=BUCKET, Key="k", VersionId=version)["Retention"]
        assert after == {"Mode": mode, "RetainUntilDate": retention["RetainUntilDate"]}


def test_legal_hold_on_and_off(s3):
    version = s3.put_object(Bucket=BUCKET, Key="k", Body=b"x")["VersionId"]
    s3.put_object_legal_hold(Bucket=BUCKET, Key="k", VersionId=version, LegalHold={"Status": "ON"})
    assert s3.head_object(Bucket=BUCKET, Key="k")["ObjectLockLegalHoldStatus"] == "ON"
    s3.put_object_legal_hold(Bucket=BUCKET, Key="k", VersionId=version, LegalHold={"Status": "OFF"})
    assert s3.get_object_legal_hold(Bucket=BUCKET, Key="k")["LegalHold"] == {"Status": "OFF"}
    s3.delete_object(Bucket=BUCKET, Key="k", VersionId=version)
