"""s3_ext: UpdateObjectEncryption, conditional copies, SSE-C and multipart settings as the AWS documentation
describes them."""
import base64
import datetime
import hashlib

import pytest
from botocore.exceptions import ClientError

ACCOUNT = "123456789012"
KEY_ARN = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
OTHER_KEY_ARN = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/0987dcba-09fe-87dc-65ba-ab0987654321"
BUCKET = "ext-bucket"


def _code(err):
    return err.value.response["Error"]["Code"]


def _status(err):
    return err.value.response["ResponseMetadata"]["HTTPStatusCode"]


@pytest.fixture
def s3(client):
    s3 = client("s3")
    s3.create_bucket(Bucket=BUCKET)
    return s3


def _sse_c():
    key = b"k" * 32
    return dict(SSECustomerAlgorithm="AES256", SSECustomerKey=base64.b64encode(key).decode(),
                SSECustomerKeyMD5=base64.b64encode(hashlib.md5(key).digest()).decode())


def _update(s3, key, arn=KEY_ARN, bucket_key=True, **kwargs):
    return s3.update_object_encryption(Bucket=BUCKET, Key=key, ObjectEncryption={
        "SSEKMS": {"KMSKeyArn": arn, "BucketKeyEnabled": bucket_key}}, **kwargs)


def test_update_changes_only_the_encryption(s3):
    s3.put_object(Bucket=BUCKET, Key="a b/c.txt", Body=b"payload", ServerSideEncryption="AES256",
                  StorageClass="STANDARD_IA", ContentType="text/plain", Metadata={"owner": "alice"},
                  Tagging="team=blue", ChecksumAlgorithm="SHA256")
    before = s3.head_object(Bucket=BUCKET, Key="a b/c.txt", ChecksumMode="ENABLED")

    _update(s3, "a b/c.txt")

    after = s3.head_object(Bucket=BUCKET, Key="a b/c.txt", ChecksumMode="ENABLED")
    assert after["ServerSideEncryption"] == "aws:kms"
    assert after["SSEKMSKeyId"] == KEY_ARN
    assert after["BucketKeyEnabled"] is True
    for field in ("ETag", "LastModified", "ContentLength", "ContentType", "Metadata", "StorageClass",
                  "ChecksumSHA256"):
        assert after.get(field) == before.get(field), field
    assert s3.get_object(Bucket=BUCKET, Key="a b/c.txt")["Body"].read() == b"payload"
    assert s3.get_object_tagging(Bucket=BUCKET, Key="a b/c.txt")["TagSet"] == [{"Key": "team", "Value": "blue"}]


def test_update_never_overwrites_content_even_when_rejected(s3):
    # moto alone takes PUT ?encryption for a PutObject and stores the request XML as the object.
    s3.put_object(Bucket=BUCKET, Key="plain", Body=b"original")
    with pytest.raises(ClientError):
        _update(s3, "plain")
    s3.put_object(Bucket=BUCKET, Key="sse", Body=b"original", ServerSideEncryption="AES256")
    _update(s3, "sse")
    for key in ("plain", "sse"):
        assert s3.get_object(Bucket=BUCKET, Key=key)["Body"].read() == b"original"


def test_update_targets_the_named_version_and_leaves_the_others(s3):
    s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
    v1 = s3.put_object(Bucket=BUCKET, Key="k", Body=b"one", ServerSideEncryption="AES256")["VersionId"]
    v2 = s3.put_object(Bucket=BUCKET, Key="k", Body=b"two", ServerSideEncryption="AES256")["VersionId"]

    _update(s3, "k", VersionId=v1)

    assert s3.head_object(Bucket=BUCKET, Key="k", VersionId=v1)["ServerSideEncryption"] == "aws:kms"
    assert s3.head_object(Bucket=BUCKET, Key="k", VersionId=v2)["ServerSideEncryption"] == "AES256"
    assert s3.get_object(Bucket=BUCKET, Key="k")["Body"].read() == b"two"
    versions = s3.list_object_versions(Bucket=BUCKET, Prefix="k")["Versions"]
    assert len(versions) == 2


def test_update_can_change_the_key_of_an_sse_kms_object_and_apply_a_bucket_key(s3):
    s3.put_object(Bucket=BUCKET, Key="k", Body=b"x", ServerSideEncryption="aws:kms", SSEKMSKeyId=OTHER_KEY_ARN)
    _update(s3, "k", bucket_key=False)
    head = s3.head_object(Bucket=BUCKET, Key="k")
    assert (head["SSEKMSKeyId"], head.get("BucketKeyEnabled")) == (KEY_ARN, False)


def test_archived_objects_are_updated_without_restore(s3):
    s3.put_object(Bucket=BUCKET, Key="cold", Body=b"x", ServerSideEncryption="AES256", StorageClass="DEEP_ARCHIVE")
    _update(s3, "cold")
    head = s3.head_object(Bucket=BUCKET, Key="cold")
    assert (head["ServerSideEncryption"], head["StorageClass"]) == ("aws:kms", "DEEP_ARCHIVE")
    assert "Restore" not in head


@pytest.mark.parametrize("put, message", [
    (dict(), "unencrypted"),
    (dict(ServerSideEncryption="aws:kms:dsse", SSEKMSKeyId=KEY_ARN), "DSSE-KMS or SSE-C"),
    (_sse_c(), "DSSE-KMS or SSE-C"),
])
def test_unsupported_sources_are_invalid_requests(s3, put, message):
    s3.put_object(Bucket=BUCKET, Key="k", Body=b"x", **put)
    with pytest.raises(ClientError) as err:
        _update(s3, "k")
    assert (_status(err), _code(err)) == (400, "InvalidRequest")
    assert message in err.value.response["Error"]["Message"]


@pytest.mark.parametrize("arn", [
    f"arn:aws:kms:us-east-1:{ACCOUNT}:alias/atrest",
    "1234abcd-12ab-34cd-56ef-1234567890ab",
    "arn:aws:kms:us-east-1:123456789012:key/",
])
def test_update_requires_a_full_key_arn(s3, arn):
    s3.put_object(Bucket=BUCKET, Key="k", Body=b"x", ServerSideEncryption="AES256")
    with pytest.raises(ClientError) as err:
        _update(s3, "k", arn=arn)
    assert (_status(err), _code(err)) == (400, "InvalidRequest")
    assert s3.head_object(Bucket=BUCKET, Key="k")["ServerSideEncryption"] == "AES256"


def test_key_of_another_account_is_access_denied(s3):
    s3.put_object(Bucket=BUCKET, Key="k", Body=b"x", ServerSideEncryption="AES256")
    with pytest.raises(ClientError) as err:
        _update(s3, "k", arn="arn:aws:kms:us-east-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab")
    assert (_status(err), _code(err)) == (403, "AccessDenied")


@pytest.mark.parametrize("lock", ["retention", "legal-hold"])
def test_object_lock_blocks_the_update(client, lock):
    s3 = client("s3")
    s3.create_bucket(Bucket="locked", ObjectLockEnabledForBucket=True)
    version = s3.put_object(Bucket="locked", Key="k", Body=b"x", ServerSideEncryption="AES256")["VersionId"]
    if lock == "retention":
        until = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=1)
        s3.put_object_retention(Bucket="locked", Key="k", VersionId=version,
                                Retention={"Mode": "GOVERNANCE", "RetainUntilDate": until})
    else:
        s3.put_object_legal_hold(Bucket="locked", Key="k", VersionId=version, LegalHold={"Status": "ON"})
    with pytest.raises(ClientError) as err:
        s3.update_object_encryption(Bucket="locked", Key="k", VersionId=version,
                                    ObjectEncryption={"SSEKMS": {"KMSKeyArn": KEY_ARN}})
    assert (_status(err), _code(err)) == (403, "AccessDenied")
    assert s3.head_object(Bucket="locked", Key="k")["ServerSideEncryption"] == "AES256"


def test_missing_objects_and_versions(s3):
    with pytest.raises(ClientError) as err:
        _update(s3, "absent")
    assert (_status(err), _code(err)) == (404, "NoSuchKey")
    s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
    s3.put_object(Bucket=BUCKET, Key="k", Body=b"x", ServerSideEncryption="AES256")
    with pytest.raises(ClientError) as err:
        _update(s3, "k", VersionId="nope")
    assert (_status(err), _code(err)) == (404, "NoSuchVersion")
    s3.delete_object(Bucket=BUCKET, Key="k")
    with pytest.raises(ClientError) as err:
        _update(s3, "k")
    assert _code(err) == "NoSuchKey"


def test_update_is_recorded_as_its_own_operation(s3, request_log):
    s3.put_object(Bucket=BUCKET, Key="k", Body=b"x", ServerSideEncryption="AES256")
    _update(s3, "k")
    ops = [(r["operation"], r["extension"]) for r in request_log() if r["service"] == "s3"]
    assert ops[-1] == ("UpdateObjectEncryption", True)


@pytest.mark.parametrize("operation", ["copy_object", "upload_part_copy"])
def test_copy_source_if_match(s3, operation):
    etag = s3.put_object(Bucket=BUCKET, Key="src", Body=b"v1", ServerSideEncryption="AES256")["ETag"]
    s3.put_object(Bucket=BUCKET, Key="src", Body=b"v2", ServerSideEncryption="AES256")

    def copy(if_match):
        if operation == "copy_object":
            return s3.copy_object(Bucket=BUCKET, Key="src", CopySource={"Bucket": BUCKET, "Key": "src"},
                                  CopySourceIfMatch=if_match, ServerSideEncryption="aws:kms", SSEKMSKeyId=KEY_ARN)
        upload = s3.create_multipart_upload(Bucket=BUCKET, Key="dst")["UploadId"]
        return s3.upload_part_copy(Bucket=BUCKET, Key="dst", UploadId=upload, PartNumber=1,
                                   CopySource={"Bucket": BUCKET, "Key": "src"}, CopySourceIfMatch=if_match)

    with pytest.raises(ClientError) as err:
        copy(etag)
    assert (_status(err), _code(err)) == (412, "PreconditionFailed")
    assert s3.get_object(Bucket=BUCKET, Key="src")["Body"].read() == b"v2"
    assert s3.head_object(Bucket=BUCKET, Key="src")["ServerSideEncryption"] == "AES256"

    current = s3.head_object(Bucket=BUCKET, Key="src")["ETag"]
    copy(current)  # the current ETag passes


def test_copy_source_if_match_is_atomic_with_the_copy(client):
    """A write landing between the condition check and the copy must not be copied as if it had matched: every
    copy that passes x-amz-copy-source-if-match wrote exactly the content whose ETag it named."""
    import threading

    s3 = client("s3")
    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key="raced", Body=b"generation 0")
    stop = threading.Event()
    writes = []

    def writer():
        writer_s3 = client("s3")
        n = 0
        while not stop.is_set():
            n += 1
            writer_s3.put_object(Bucket=BUCKET, Key="raced", Body=f"generation {n} ".encode() * (n % 7 + 1))
            writes.append(n)

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    copied = mismatched = rejected = 0
    try:
        for _ in range(300):
            seen = s3.head_object(Bucket=BUCKET, Key="raced")["ETag"]
            try:
                result = s3.copy_object(Bucket=BUCKET, Key="raced", CopySource={"Bucket": BUCKET, "Key": "raced"},
                                        CopySourceIfMatch=seen, ServerSideEncryption="aws:kms", SSEKMSKeyId=KEY_ARN)
            except ClientError as e:
                assert e.response["Error"]["Code"] == "PreconditionFailed"
                rejected += 1
                continue
            copied += 1
            if result["CopyObjectResult"]["ETag"] != seen:
                mismatched += 1
    finally:
        stop.set()
        thread.join()
    assert len(writes) > 100 and copied > 0 and rejected > 0, (len(writes), copied, rejected)
    assert mismatched == 0, f"{mismatched} of {copied} conditional copies wrote other content than they matched"


def test_complete_multipart_if_match(s3):
    s3.put_object(Bucket=BUCKET, Key="k", Body=b"old")
    stale = s3.head_object(Bucket=BUCKET, Key="k")["ETag"]
    s3.put_object(Bucket=BUCKET, Key="k", Body=b"newer")
    upload = s3.create_multipart_upload(Bucket=BUCKET, Key="k")["UploadId"]
    part = s3.upload_part(Bucket=BUCKET, Key="k", UploadId=upload, PartNumber=1, Body=b"replacement")["ETag"]
    parts = {"Parts": [{"PartNumber": 1, "ETag": part}]}
    with pytest.raises(ClientError) as err:
        s3.complete_multipart_upload(Bucket=BUCKET, Key="k", UploadId=upload, MultipartUpload=parts, IfMatch=stale)
    assert (_status(err), _code(err)) == (412, "PreconditionFailed")
    assert s3.get_object(Bucket=BUCKET, Key="k")["Body"].read() == b"newer"
    current = s3.head_object(Bucket=BUCKET, Key="k")["ETag"]
    s3.complete_multipart_upload(Bucket=BUCKET, Key="k", UploadId=upload, MultipartUpload=parts, IfMatch=current)
    assert s3.get_object(Bucket=BUCKET, Key="k")["Body"].read() == b"replacement"


def test_multipart_keeps_bucket_key_and_website_redirect(s3):
    upload = s3.create_multipart_upload(Bucket=BUCKET, Key="k", ServerSideEncryption="aws:kms", SSEKMSKeyId=KEY_ARN,
                                        BucketKeyEnabled=True, WebsiteRedirectLocation="/elsewhere")["UploadId"]
    part = s3.upload_part(Bucket=BUCKET, Key="k", UploadId=upload, PartNumber=1, Body=b"x")["ETag"]
    s3.complete_multipart_upload(Bucket=BUCKET, Key="k", UploadId=upload,
                                 MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part}]})
    head = s3.head_object(Bucket=BUCKET, Key="k")
    assert (head["SSEKMSKeyId"], head["BucketKeyEnabled"], head["WebsiteRedirectLocation"]) == (
        KEY_ARN, True, "/elsewhere")


def test_sse_c_objects_need_the_customer_key_to_be_read(s3):
    s3.put_object(Bucket=BUCKET, Key="secret", Body=b"x", **_sse_c())
    with pytest.raises(ClientError) as err:
        s3.head_object(Bucket=BUCKET, Key="secret")
    assert _status(err) == 400
    with pytest.raises(ClientError) as err:
        s3.get_object(Bucket=BUCKET, Key="secret")
    assert (_status(err), _code(err)) == (400, "InvalidRequest")
    assert "ServerSideEncryption" not in s3.head_object(Bucket=BUCKET, Key="secret", **_sse_c())
    with pytest.raises(ClientError) as err:
        s3.copy_object(Bucket=BUCKET, Key="secret", CopySource={"Bucket": BUCKET, "Key": "secret"},
                       ServerSideEncryption="aws:kms", SSEKMSKeyId=KEY_ARN)
    assert (_status(err), _code(err)) == (400, "InvalidRequest")
    # A later plain write of the same key is an ordinary object again.
    s3.put_object(Bucket=BUCKET, Key="secret", Body=b"y", ServerSideEncryption="AES256")
    assert s3.head_object(Bucket=BUCKET, Key="secret")["ServerSideEncryption"] == "AES256"


@pytest.mark.parametrize("key", ["dir/sub dir/日本語 ü.bin", "a+b %.txt", "🔑"])
def test_update_finds_keys_with_any_characters(s3, key):
    s3.put_object(Bucket=BUCKET, Key=key, Body=b"x", ServerSideEncryption="AES256")
    _update(s3, key)
    assert s3.head_object(Bucket=BUCKET, Key=key)["SSEKMSKeyId"] == KEY_ARN
    assert s3.get_object(Bucket=BUCKET, Key=key)["Body"].read() == b"x"
