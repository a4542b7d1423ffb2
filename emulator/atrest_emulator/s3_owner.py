"""S3's bucket-owner condition (moto 5.2 ignores it), as the S3 API Reference describes the ExpectedBucketOwner and
ExpectedSourceBucketOwner parameters of the object operations:

- x-amz-expected-bucket-owner: "The account ID of the expected bucket owner. If the account ID that you provide does
  not match the actual owner of the bucket, the request fails with the HTTP status code 403 Forbidden (access
  denied)." Checked against the owner of the bucket the request names, before anything is read or written.
- x-amz-source-expected-bucket-owner (CopyObject, UploadPartCopy): the same for the bucket of x-amz-copy-source.
- A value that is not a 12-digit account id is refused with 400 InvalidArgument (the request never reaches the
  bucket). A bucket that does not exist is left to moto (404 NoSuchBucket).
moto lets any account reach another account's bucket (its cross-account default), as S3 does for a bucket policy
that grants it: this condition is what keeps a caller to its own buckets.
"""
import re
from urllib.parse import unquote

from moto.s3.models import s3_backends

from . import s3_common as c

_ACCOUNT = re.compile(r"^[0-9]{12}$")


def _owner(bucket):
    found = s3_backends.bucket_accounts.get(bucket)
    return found[1] if found else None


def _refused(expected, bucket, request, header):
    if expected is None:
        return None
    if not _ACCOUNT.match(expected):
        return c.error(400, "InvalidArgument", "Invalid value for the expected bucket owner header", request.method,
                       ArgumentName=header, ArgumentValue=expected)
    owner = _owner(bucket)
    if owner is not None and owner != expected:
        return c.error(403, "AccessDenied", "Access Denied", request.method)
    return None


def before(call, request, body, region):
    if call.service != "s3" or not call.bucket:
        return None
    refused = _refused(request.headers.get("x-amz-expected-bucket-owner"), call.bucket, request,
                       "x-amz-expected-bucket-owner")
    if refused is not None:
        return refused
    source = request.headers.get("x-amz-copy-source")
    if source:
        source_bucket = unquote(source.split("?", 1)[0]).lstrip("/").split("/", 1)[0]
        return _refused(request.headers.get("x-amz-source-expected-bucket-owner"), source_bucket, request,
                        "x-amz-source-expected-bucket-owner")
    return None
