"""Copy-source conditions of CopyObject and UploadPartCopy, version-pinned sources, and the ETag of a metadata-only
copy in place."""
import datetime

import pytest
from botocore.exceptions import ClientError

BUCKET = "conditions"


@pytest.fixture
def s3(client):
    s3 = client("s3")
    s3.create_bucket(Bucket=BUCKET)
    return s3


@pytest.fixture
def source(s3):
    etag = s3.put_object(Bucket=BUCKET, Key="src", Body=b"content", ServerSideEncryption="AES256",
                         Metadata={"m": "1"})["ETag"]
    modified = s3.head_object(Bucket=BUCKET, Key="src")["LastModified"]
    return etag, modified


def _copy(s3, operation, **conditions):
    if operation == "copy_object":
        return s3.copy_object(Bucket=BUCKET, Key="dst", CopySource={"Bucket": BUCKET, "Key": "src"}, **conditions)
    upload = s3.create_multipart_upload(Bucket=BUCKET, Key="dst")["UploadId"]
    return s3.upload_part_copy(Bucket=BUCKET, Key="dst", UploadId=upload, PartNumber=1,
                               CopySource={"Bucket": BUCKET, "Key": "src"}, **conditions)


HOUR = datetime.timedelta(hours=1)
# (conditions from (ETag, LastModified), copies?); "other" is an ETag the source does not have.
CASES = [
    pytest.param(lambda e, t: dict(CopySourceIfMatch=e), True, id="if-match-holds"),
    pytest.param(lambda e, t: dict(CopySourceIfMatch='"other"'), False, id="if-match-fails"),
    pytest.param(lambda e, t: dict(CopySourceIfNoneMatch='"other"'), True, id="if-none-match-holds"),
    pytest.param(lambda e, t: dict(CopySourceIfNoneMatch=e), False, id="if-none-match-fails"),
    pytest.param(lambda e, t: dict(CopySourceIfUnmodifiedSince=t + HOUR), True, id="if-unmodified-since-holds"),
    pytest.param(lambda e, t: dict(CopySourceIfUnmodifiedSince=t - HOUR), False, id="if-unmodified-since-fails"),
    pytest.param(lambda e, t: dict(CopySourceIfModifiedSince=t - HOUR), True, id="if-modified-since-holds"),
    pytest.param(lambda e, t: dict(CopySourceIfModifiedSince=t), False, id="if-modified-since-fails"),
    # A date later than now is not a valid If-Modified-Since (HTTP): ignored.
    pytest.param(lambda e, t: dict(CopySourceIfModifiedSince=t + HOUR), True, id="if-modified-since-future"),
    # The documented pairs: if-match true wins over if-unmodified-since false; if-none-match false with
    # if-modified-since true fails.
    pytest.param(lambda e, t: dict(CopySourceIfMatch=e, CopySourceIfUnmodifiedSince=t - HOUR), True,
                 id="if-match-wins-over-if-unmodified-since"),
    pytest.param(lambda e, t: dict(CopySourceIfNoneMatch=e, CopySourceIfModifiedSince=t - HOUR), False,
                 id="if-none-match-fails-with-if-modified-since"),
    pytest.param(lambda e, t: dict(CopySourceIfMatch='"other"', CopySourceIfUnmodifiedSince=t + HOUR), False,
                 id="if-match-fails-with-if-unmodified-since"),
    pytest.param(lambda e, t: dict(CopySourceIfNoneMatch='"other"', CopySourceIfModifiedSince=t), True,
                 id="if-none-match-wins-over-if-modified-since"),
]


@pytest.mark.parametrize("operation", ["copy_object", "upload_part_copy"])
@pytest.mark.parametrize("conditions, copies", CASES)
def test_copy_source_conditions(s3, source, operation, conditions, copies):
    given = conditions(*source)
    if copies:
        _copy(s3, operation, **given)
        return
    with pytest.raises(ClientError) as err:
        _copy(s3, operation, **given)
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 412
    assert err.value.response["Error"]["Code"] == "PreconditionFailed"
    if operation == "copy_object":
        with pytest.raises(ClientError):
            s3.head_object(Bucket=BUCKET, Key="dst")


def test_a_metadata_only_copy_in_place_keeps_the_etag(s3, source):
    etag, _ = source
    result = s3.copy_object(Bucket=BUCKET, Key="src", CopySource={"Bucket": BUCKET, "Key": "src"},
                            MetadataDirective="REPLACE", Metadata={"m": "2"}, ServerSideEncryption="AES256")
    assert result["CopyObjectResult"]["ETag"] == etag
    head = s3.head_object(Bucket=BUCKET, Key="src")
    assert (head["ETag"], head["Metadata"]) == (etag, {"m": "2"})
    # The ETag condition cannot see that change: a copy conditioned on the old ETag still passes.
    s3.copy_object(Bucket=BUCKET, Key="dst", CopySource={"Bucket": BUCKET, "Key": "src"}, CopySourceIfMatch=etag)
    assert s3.head_object(Bucket=BUCKET, Key="dst")["Metadata"] == {"m": "2"}


@pytest.mark.parametrize("operation", ["copy_object", "upload_part_copy"])
def test_a_version_id_pins_the_copy_source(s3, operation):
    s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
    first = s3.put_object(Bucket=BUCKET, Key="src", Body=b"first")
    s3.put_object(Bucket=BUCKET, Key="src", Body=b"second")
    pinned = {"Bucket": BUCKET, "Key": "src", "VersionId": first["VersionId"]}
    if operation == "copy_object":
        result = s3.copy_object(Bucket=BUCKET, Key="dst", CopySource=pinned, CopySourceIfMatch=first["ETag"])
        assert s3.get_object(Bucket=BUCKET, Key="dst")["Body"].read() == b"first"
    else:
        upload = s3.create_multipart_upload(Bucket=BUCKET, Key="dst")["UploadId"]
        result = s3.upload_part_copy(Bucket=BUCKET, Key="dst", UploadId=upload, PartNumber=1, CopySource=pinned,
                                     CopySourceIfMatch=first["ETag"])
        assert result["CopyPartResult"]["ETag"] == first["ETag"]
    assert result["CopySourceVersionId"] == first["VersionId"]


def test_upload_part_copy_of_a_missing_source_names_what_is_missing(s3):
    upload = s3.create_multipart_upload(Bucket=BUCKET, Key="dst")["UploadId"]
    for source, code in (({"Bucket": BUCKET, "Key": "absent"}, "NoSuchKey"),
                         ({"Bucket": "no-such-bucket", "Key": "k"}, "NoSuchBucket")):
        with pytest.raises(ClientError) as err:
            s3.upload_part_copy(Bucket=BUCKET, Key="dst", UploadId=upload, PartNumber=1, CopySource=source)
        assert (err.value.response["ResponseMetadata"]["HTTPStatusCode"], err.value.response["Error"]["Code"]) == (
            404, code)


def test_if_match_and_if_none_match_name_the_destination_of_a_copy(s3, source):
    etag, _ = source
    copy = dict(Bucket=BUCKET, Key="dst", CopySource={"Bucket": BUCKET, "Key": "src"})
    with pytest.raises(ClientError) as err:
        s3.copy_object(IfMatch=etag, **copy)  # no destination yet
    assert err.value.response["Error"]["Code"] == "NoSuchKey"
    s3.copy_object(IfNoneMatch="*", **copy)
    with pytest.raises(ClientError) as err:
        s3.copy_object(IfNoneMatch="*", **copy)
    assert err.value.response["Error"]["Code"] == "PreconditionFailed"
    s3.put_object(Bucket=BUCKET, Key="dst", Body=b"other content")
    with pytest.raises(ClientError) as err:
        s3.copy_object(IfMatch=etag, **copy)  # the destination was overwritten since
    assert err.value.response["Error"]["Code"] == "PreconditionFailed"
    current = s3.head_object(Bucket=BUCKET, Key="dst")["ETag"]
    assert s3.copy_object(IfMatch=current, **copy)["CopyObjectResult"]["ETag"] == etag
    assert s3.get_object(Bucket=BUCKET, Key="dst")["Body"].read() == b"content"
