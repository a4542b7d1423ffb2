"""Version ids as S3 reads them ("null", malformed, unknown) and path-style routing of encoded characters."""
import pytest
from botocore.exceptions import ClientError


def _error(err):
    return err.value.response["ResponseMetadata"]["HTTPStatusCode"], err.value.response["Error"]["Code"]


@pytest.fixture
def s3(client):
    return client("s3")


def test_null_names_the_object_of_a_bucket_that_never_had_versioning(s3):
    s3.create_bucket(Bucket="never-versioned")
    s3.put_object(Bucket="never-versioned", Key="k", Body=b"only")
    head = s3.head_object(Bucket="never-versioned", Key="k", VersionId="null")
    assert head["ContentLength"] == 4
    assert s3.get_object(Bucket="never-versioned", Key="k", VersionId="null")["Body"].read() == b"only"


def test_null_names_the_version_written_before_versioning_and_while_suspended(s3):
    s3.create_bucket(Bucket="versioned")
    s3.put_object(Bucket="versioned", Key="k", Body=b"before")
    s3.put_bucket_versioning(Bucket="versioned", VersioningConfiguration={"Status": "Enabled"})
    s3.put_object(Bucket="versioned", Key="k", Body=b"versioned")
    assert s3.get_object(Bucket="versioned", Key="k", VersionId="null")["Body"].read() == b"before"
    assert s3.head_object(Bucket="versioned", Key="k", VersionId="null")["ContentLength"] == 6
    s3.copy_object(Bucket="versioned", Key="copy", CopySource={"Bucket": "versioned", "Key": "k", "VersionId": "null"})
    assert s3.get_object(Bucket="versioned", Key="copy")["Body"].read() == b"before"
    s3.put_bucket_versioning(Bucket="versioned", VersioningConfiguration={"Status": "Suspended"})
    s3.put_object(Bucket="versioned", Key="k", Body=b"suspended")
    assert s3.get_object(Bucket="versioned", Key="k", VersionId="null")["Body"].read() == b"suspended"


@pytest.mark.parametrize("versioned", [False, True])
def test_malformed_version_ids_are_invalid_arguments_and_unknown_ones_no_such_version(s3, versioned):
    s3.create_bucket(Bucket="ids")
    if versioned:
        s3.put_bucket_versioning(Bucket="ids", VersioningConfiguration={"Status": "Enabled"})
    s3.put_object(Bucket="ids", Key="k", Body=b"x")
    reads = [lambda v: s3.get_object(Bucket="ids", Key="k", VersionId=v),
             lambda v: s3.get_object_tagging(Bucket="ids", Key="k", VersionId=v),
             lambda v: s3.get_object_acl(Bucket="ids", Key="k", VersionId=v),
             lambda v: s3.copy_object(Bucket="ids", Key="c", CopySource={"Bucket": "ids", "Key": "k", "VersionId": v})]
    for read in reads:
        with pytest.raises(ClientError) as err:
            read("bogus")
        assert _error(err) == (400, "InvalidArgument")
        assert err.value.response["Error"]["Message"] == "Invalid version id specified"
        with pytest.raises(ClientError) as err:
            read("3HL4kqtJlcpXroDTDmjVBH40Nrjfkd2v")
        assert _error(err)[0] == 404
    with pytest.raises(ClientError) as err:
        s3.head_object(Bucket="ids", Key="k", VersionId="bogus")
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400  # HEAD: status only
    with pytest.raises(ClientError) as err:
        s3.head_object(Bucket="ids", Key="k", VersionId="3HL4kqtJlcpXroDTDmjVBH40Nrjfkd2v")
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_an_encoded_slash_in_the_bucket_segment_is_no_bucket(raw_s3, s3):
    s3.create_bucket(Bucket="rt-c")
    for method, body in (("PUT", b"data"), ("GET", b""), ("HEAD", b"")):
        status, _, answer = raw_s3(method, "/rt-c%2Fsub/x", body)
        assert status == 400, (method, answer)
        if method != "HEAD":
            assert b"<Code>InvalidBucketName</Code>" in answer and b"<BucketName>rt-c/sub</BucketName>" in answer
    assert s3.list_objects_v2(Bucket="rt-c").get("KeyCount") == 0  # nothing written as rt-c / sub/x


@pytest.mark.parametrize("path, key", [
    ("a%2Fb", "a/b"),
    ("p%2Bq%20r", "p+q r"),
    ("%E6%97%A5%E6%9C%AC%2F%F0%9F%94%91", "日本/🔑"),
    ("dir/x%25y", "dir/x%y"),
])
def test_encoded_characters_in_the_key_are_decoded(raw_s3, s3, path, key):
    s3.create_bucket(Bucket="rt-keys")
    status, _, answer = raw_s3("PUT", f"/rt-keys/{path}", b"content")
    assert status == 200, answer
    assert [o["Key"] for o in s3.list_objects_v2(Bucket="rt-keys")["Contents"]] == [key]
    assert s3.get_object(Bucket="rt-keys", Key=key)["Body"].read() == b"content"
