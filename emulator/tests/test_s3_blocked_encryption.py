"""s3_ext: BlockedEncryptionTypes in the bucket's default encryption and its effect on SSE-C writes, as the Amazon S3
API Reference and the User Guide ("Blocking or unblocking SSE-C for a general purpose bucket") describe them."""
import base64
import hashlib

import pytest
from botocore.exceptions import ClientError

BUCKET = "sse-c-bucket"
KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def _code(err):
    return err.value.response["Error"]["Code"]


def _status(err):
    return err.value.response["ResponseMetadata"]["HTTPStatusCode"]


def _sse_c(prefix=""):
    key = b"c" * 32
    return {f"{prefix}SSECustomerAlgorithm": "AES256", f"{prefix}SSECustomerKey": base64.b64encode(key).decode(),
            f"{prefix}SSECustomerKeyMD5": base64.b64encode(hashlib.md5(key).digest()).decode()}


def _rule(blocked=None, **default):
    rule = {}
    if default:
        rule["ApplyServerSideEncryptionByDefault"] = default
    if blocked is not None:
        rule["BlockedEncryptionTypes"] = {"EncryptionType": blocked}
    return rule


def _put_rule(s3, rule, bucket=BUCKET):
    s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration={"Rules": [rule]})


def _get_rule(s3, bucket=BUCKET):
    return s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"][0]


@pytest.fixture
def s3(client):
    s3 = client("s3")
    s3.create_bucket(Bucket=BUCKET)
    return s3


def test_blocked_encryption_types_round_trip(s3):
    _put_rule(s3, {**_rule(["SSE-C"], SSEAlgorithm="aws:kms", KMSMasterKeyID=KEY_ARN), "BucketKeyEnabled": True})
    rule = _get_rule(s3)
    assert rule["BlockedEncryptionTypes"] == {"EncryptionType": ["SSE-C"]}
    assert rule["ApplyServerSideEncryptionByDefault"] == {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": KEY_ARN}
    assert rule["BucketKeyEnabled"] is True
    _put_rule(s3, _rule(["NONE"], SSEAlgorithm="AES256"))
    assert _get_rule(s3)["BlockedEncryptionTypes"] == {"EncryptionType": ["NONE"]}


def test_a_rule_with_only_blocked_encryption_types_keeps_sse_s3(s3):
    _put_rule(s3, _rule(["SSE-C"]))
    rule = _get_rule(s3)
    assert rule["ApplyServerSideEncryptionByDefault"] == {"SSEAlgorithm": "AES256"}
    assert rule["BlockedEncryptionTypes"] == {"EncryptionType": ["SSE-C"]}
    s3.put_object(Bucket=BUCKET, Key="plain", Body=b"x")
    assert s3.head_object(Bucket=BUCKET, Key="plain")["ServerSideEncryption"] == "AES256"


def test_without_the_element_sse_c_is_not_blocked(s3):
    _put_rule(s3, _rule(["SSE-C"], SSEAlgorithm="AES256"))
    _put_rule(s3, _rule(SSEAlgorithm="aws:kms", KMSMasterKeyID=KEY_ARN))  # replaces the whole configuration
    assert "BlockedEncryptionTypes" not in _get_rule(s3)
    s3.put_object(Bucket=BUCKET, Key="secret", Body=b"x", **_sse_c())


def test_blocked_bucket_refuses_sse_c_puts_and_keeps_nothing(s3):
    _put_rule(s3, _rule(["SSE-C"], SSEAlgorithm="AES256"))
    with pytest.raises(ClientError) as err:
        s3.put_object(Bucket=BUCKET, Key="secret", Body=b"x", **_sse_c())
    assert (_status(err), _code(err)) == (403, "AccessDenied")
    assert s3.list_objects_v2(Bucket=BUCKET).get("KeyCount") == 0
    s3.put_object(Bucket=BUCKET, Key="kms", Body=b"x", ServerSideEncryption="aws:kms", SSEKMSKeyId=KEY_ARN)


def test_existing_sse_c_objects_stay_readable_and_can_leave_sse_c(s3):
    s3.put_object(Bucket=BUCKET, Key="old", Body=b"secret", **_sse_c())
    _put_rule(s3, _rule(["SSE-C"], SSEAlgorithm="AES256"))
    assert s3.get_object(Bucket=BUCKET, Key="old", **_sse_c())["Body"].read() == b"secret"
    assert s3.head_object(Bucket=BUCKET, Key="old", **_sse_c())["ContentLength"] == 6
    with pytest.raises(ClientError) as err:  # re-writing it as SSE-C is a new SSE-C write
        s3.copy_object(Bucket=BUCKET, Key="old", CopySource={"Bucket": BUCKET, "Key": "old"}, **_sse_c(),
                       **_sse_c("CopySource"))
    assert (_status(err), _code(err)) == (403, "AccessDenied")
    s3.copy_object(Bucket=BUCKET, Key="new", CopySource={"Bucket": BUCKET, "Key": "old"}, **_sse_c("CopySource"),
                   ServerSideEncryption="aws:kms", SSEKMSKeyId=KEY_ARN)
    assert s3.head_object(Bucket=BUCKET, Key="new")["SSEKMSKeyId"] == KEY_ARN


def test_blocked_bucket_refuses_sse_c_multipart_uploads(s3, client):
    upload = s3.create_multipart_upload(Bucket=BUCKET, Key="big", **_sse_c())["UploadId"]
    _put_rule(s3, _rule(["SSE-C"], SSEAlgorithm="AES256"))
    with pytest.raises(ClientError) as err:
        s3.upload_part(Bucket=BUCKET, Key="big", UploadId=upload, PartNumber=1, Body=b"x", **_sse_c())
    assert (_status(err), _code(err)) == (403, "AccessDenied")
    with pytest.raises(ClientError) as err:
        s3.create_multipart_upload(Bucket=BUCKET, Key="big2", **_sse_c())
    assert (_status(err), _code(err)) == (403, "AccessDenied")
    s3.put_object(Bucket=BUCKET, Key="src", Body=b"x")
    with pytest.raises(ClientError) as err:
        s3.upload_part_copy(Bucket=BUCKET, Key="big", UploadId=upload, PartNumber=1,
                            CopySource={"Bucket": BUCKET, "Key": "src"}, **_sse_c())
    assert (_status(err), _code(err)) == (403, "AccessDenied")


def test_none_and_delete_allow_sse_c_again(s3):
    _put_rule(s3, _rule(["SSE-C"], SSEAlgorithm="AES256"))
    _put_rule(s3, _rule(["NONE"], SSEAlgorithm="AES256"))
    s3.put_object(Bucket=BUCKET, Key="a", Body=b"x", **_sse_c())
    _put_rule(s3, _rule(["SSE-C"], SSEAlgorithm="AES256"))
    s3.delete_bucket_encryption(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key="b", Body=b"x", **_sse_c())


def test_block_is_per_bucket(s3):
    s3.create_bucket(Bucket="other-bucket")
    _put_rule(s3, _rule(["SSE-C"], SSEAlgorithm="AES256"))
    s3.put_object(Bucket="other-bucket", Key="k", Body=b"x", **_sse_c())


@pytest.mark.parametrize("body", [
    b'<ServerSideEncryptionConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Rule>'
    b'<ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault>'
    b'<BlockedEncryptionTypes><EncryptionType>SSE-KMS</EncryptionType></BlockedEncryptionTypes>'
    b'</Rule></ServerSideEncryptionConfiguration>',
    b'<ServerSideEncryptionConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Rule>'
    b'<ApplyServerSideEncryptionByDefault></ApplyServerSideEncryptionByDefault>'
    b'</Rule></ServerSideEncryptionConfiguration>',
    b'not xml',
])
def test_malformed_configurations_are_refused(s3, body):
    def replace_body(request, **kwargs):
        request.data = body
        request.headers["Content-MD5"] = base64.b64encode(hashlib.md5(body).digest()).decode()
        del request.headers["x-amz-checksum-crc32"]
    s3.meta.events.register("before-sign.s3.PutBucketEncryption", replace_body)
    with pytest.raises(ClientError) as err:
        _put_rule(s3, _rule(["SSE-C"]))
    assert (_status(err), _code(err)) == (400, "MalformedXML")
    with pytest.raises(ClientError) as err:
        s3.get_bucket_encryption(Bucket=BUCKET)
    assert _code(err) == "ServerSideEncryptionConfigurationNotFoundError"
