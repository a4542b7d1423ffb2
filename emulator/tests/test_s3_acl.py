"""Object ACLs and S3 Object Ownership on the copy path: a copy never carries the source's ACL, grants are set per
request, and a BucketOwnerEnforced bucket refuses every ACL but the bucket owner's full control."""
import pytest
from botocore.exceptions import ClientError

OWNER = "75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a"  # moto's canonical id of the account
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"
OWNER_ONLY = [(("CanonicalUser", OWNER), "FULL_CONTROL")]


def _grants(s3, bucket, key, **kwargs):
    acl = s3.get_object_acl(Bucket=bucket, Key=key, **kwargs)
    return sorted(((g["Grantee"]["Type"], g["Grantee"].get("ID") or g["Grantee"].get("URI")), g["Permission"])
                  for g in acl["Grants"])


def _error(err):
    return err.value.response["ResponseMetadata"]["HTTPStatusCode"], err.value.response["Error"]["Code"]


@pytest.fixture
def s3(client):
    return client("s3")


@pytest.fixture
def writer_bucket(s3):
    s3.create_bucket(Bucket="acl-writer", ObjectOwnership="ObjectWriter")
    return "acl-writer"


def test_buckets_without_ownership_controls_are_moto_default_with_acls(s3):
    # Documented choice: no x-amz-object-ownership means no ownership controls (a bucket from before April 2023).
    s3.create_bucket(Bucket="acl-legacy")
    with pytest.raises(ClientError) as err:
        s3.get_bucket_ownership_controls(Bucket="acl-legacy")
    assert _error(err) == (404, "OwnershipControlsNotFoundError")
    s3.put_object(Bucket="acl-legacy", Key="k", Body=b"x", ACL="public-read")
    assert (("Group", ALL_USERS), "READ") in _grants(s3, "acl-legacy", "k")


@pytest.mark.parametrize("ownership", ["ObjectWriter", "BucketOwnerPreferred"])
def test_canned_and_explicit_grants_are_kept_where_acls_are_enabled(s3, ownership):
    s3.create_bucket(Bucket="acl-on", ObjectOwnership=ownership)
    assert s3.get_bucket_ownership_controls(Bucket="acl-on")["OwnershipControls"]["Rules"] == [
        {"ObjectOwnership": ownership}]
    s3.put_object(Bucket="acl-on", Key="canned", Body=b"x", ACL="public-read")
    s3.put_object(Bucket="acl-on", Key="explicit", Body=b"x", GrantRead=f'uri="{ALL_USERS}"',
                  GrantFullControl=f'id="{OWNER}"')
    expected = sorted(OWNER_ONLY + [(("Group", ALL_USERS), "READ")])
    assert _grants(s3, "acl-on", "canned") == expected
    assert _grants(s3, "acl-on", "explicit") == expected


def test_a_copy_never_carries_the_source_acl(s3, writer_bucket):
    s3.put_object(Bucket=writer_bucket, Key="src", Body=b"x", ACL="public-read")
    s3.copy_object(Bucket=writer_bucket, Key="src", CopySource={"Bucket": writer_bucket, "Key": "src"},
                   ServerSideEncryption="AES256")
    assert _grants(s3, writer_bucket, "src") == OWNER_ONLY
    s3.copy_object(Bucket=writer_bucket, Key="dst", CopySource={"Bucket": writer_bucket, "Key": "src"},
                   GrantRead=f'uri="{ALL_USERS}"', GrantFullControl=f'id="{OWNER}"')
    assert _grants(s3, writer_bucket, "dst") == sorted(OWNER_ONLY + [(("Group", ALL_USERS), "READ")])


def test_multipart_upload_takes_its_acl_from_create(s3, writer_bucket):
    upload = s3.create_multipart_upload(Bucket=writer_bucket, Key="m", ACL="public-read")["UploadId"]
    etag = s3.upload_part(Bucket=writer_bucket, Key="m", UploadId=upload, PartNumber=1, Body=b"x")["ETag"]
    s3.complete_multipart_upload(Bucket=writer_bucket, Key="m", UploadId=upload,
                                 MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": etag}]})
    assert _grants(s3, writer_bucket, "m") == sorted(OWNER_ONLY + [(("Group", ALL_USERS), "READ")])


def test_a_multipart_upload_without_acl_headers_gets_the_private_acl(s3, writer_bucket):
    upload = s3.create_multipart_upload(Bucket=writer_bucket, Key="mp-private")["UploadId"]
    part = s3.upload_part(Bucket=writer_bucket, Key="mp-private", UploadId=upload, PartNumber=1, Body=b"x")
    s3.complete_multipart_upload(Bucket=writer_bucket, Key="mp-private", UploadId=upload,
                                 MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})
    assert _grants(s3, writer_bucket, "mp-private") == OWNER_ONLY


def test_put_object_acl_sets_the_named_version_from_a_policy_document(s3, writer_bucket):
    s3.put_bucket_versioning(Bucket=writer_bucket, VersioningConfiguration={"Status": "Enabled"})
    v1 = s3.put_object(Bucket=writer_bucket, Key="k", Body=b"1")["VersionId"]
    s3.put_object(Bucket=writer_bucket, Key="k", Body=b"2")
    owner = {"ID": OWNER, "Type": "CanonicalUser"}
    s3.put_object_acl(Bucket=writer_bucket, Key="k", VersionId=v1, AccessControlPolicy={
        "Owner": {"ID": OWNER},
        "Grants": [{"Grantee": owner, "Permission": "FULL_CONTROL"},
                   {"Grantee": {"Type": "Group", "URI": ALL_USERS}, "Permission": "READ"},
                   {"Grantee": {"Type": "CanonicalUser", "ID": "a" * 64}, "Permission": "READ_ACP"}]})
    assert _grants(s3, writer_bucket, "k", VersionId=v1) == sorted(
        OWNER_ONLY + [(("Group", ALL_USERS), "READ"), (("CanonicalUser", "a" * 64), "READ_ACP")])
    assert _grants(s3, writer_bucket, "k") == OWNER_ONLY  # the current version is untouched


@pytest.fixture
def enforced(s3):
    s3.create_bucket(Bucket="acl-enforced", ObjectOwnership="BucketOwnerEnforced")
    return "acl-enforced"


@pytest.mark.parametrize("acl", [dict(ACL="public-read"), dict(ACL="authenticated-read"),
                                 dict(GrantRead=f'uri="{ALL_USERS}"'), dict(GrantFullControl='id="' + "b" * 64 + '"')])
def test_bucket_owner_enforced_refuses_acls_on_every_write(s3, enforced, acl):
    s3.put_object(Bucket=enforced, Key="src", Body=b"x")
    upload_part = dict(Bucket=enforced, Key="m")
    writes = [
        lambda: s3.put_object(Bucket=enforced, Key="k", Body=b"x", **acl),
        lambda: s3.copy_object(Bucket=enforced, Key="k", CopySource={"Bucket": enforced, "Key": "src"}, **acl),
        lambda: s3.create_multipart_upload(**upload_part, **acl),
        lambda: s3.put_object_acl(Bucket=enforced, Key="src", **acl),
    ]
    for write in writes:
        with pytest.raises(ClientError) as err:
            write()
        assert _error(err) == (400, "AccessControlListNotSupported")
        assert err.value.response["Error"]["Message"] == "The bucket does not allow ACLs"
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=enforced)["Contents"]] == ["src"]
    assert s3.list_multipart_uploads(Bucket=enforced).get("Uploads", []) == []


@pytest.mark.parametrize("acl", [dict(), dict(ACL="bucket-owner-full-control"), dict(ACL="private"),
                                 dict(GrantFullControl=f'id="{OWNER}"')])
def test_bucket_owner_enforced_takes_the_owner_full_control(s3, enforced, acl):
    s3.put_object(Bucket=enforced, Key="k", Body=b"x", **acl)
    s3.copy_object(Bucket=enforced, Key="c", CopySource={"Bucket": enforced, "Key": "k"}, **acl)
    assert _grants(s3, enforced, "c") == OWNER_ONLY


def test_enforcing_hides_earlier_acls_and_enabling_again_shows_them(s3, writer_bucket):
    s3.put_object(Bucket=writer_bucket, Key="k", Body=b"x", ACL="public-read")
    controls = lambda o: {"Rules": [{"ObjectOwnership": o}]}  # noqa: E731
    s3.put_bucket_ownership_controls(Bucket=writer_bucket, OwnershipControls=controls("BucketOwnerEnforced"))
    assert _grants(s3, writer_bucket, "k") == OWNER_ONLY
    assert [(g["Grantee"]["ID"], g["Permission"]) for g in s3.get_bucket_acl(Bucket=writer_bucket)["Grants"]] == [
        (OWNER, "FULL_CONTROL")]
    s3.put_bucket_ownership_controls(Bucket=writer_bucket, OwnershipControls=controls("ObjectWriter"))
    assert (("Group", ALL_USERS), "READ") in _grants(s3, writer_bucket, "k")
