"""S3 bucket default encryption's BlockedEncryptionTypes (API_ServerSideEncryptionRule, API_BlockedEncryptionTypes;
User Guide "Blocking or unblocking SSE-C for a general purpose bucket"): a member of the rule in
PutBucketEncryption/GetBucketEncryption, <BlockedEncryptionTypes><EncryptionType>SSE-C|NONE</EncryptionType>...
</BlockedEncryptionTypes>; moto drops it.

Here it is stored and returned, and while it holds SSE-C every PutObject, CopyObject, CreateMultipartUpload,
UploadPart and UploadPartCopy that asks for SSE-C (x-amz-server-side-encryption-customer-algorithm) answers 403
AccessDenied; existing SSE-C objects stay readable with their key and may be copied to other encryptions. A rule
without ApplyServerSideEncryptionByDefault is valid (moto: MalformedXML) and leaves SSE-S3, the default of every
bucket. Emulator choices where the documentation is silent: PutBucketEncryption replaces the whole configuration, so
a rule without BlockedEncryptionTypes leaves SSE-C unblocked (the cautious reading for a client that rewrites the
configuration: it must carry the block over itself), and DeleteBucketEncryption clears it. Not modelled: the April
2026 default that blocks SSE-C on new buckets (new buckets here still have no configuration, as moto has them, and
tests rely on that), and PostObject (browser form uploads).
"""
import xml.etree.ElementTree as ET

from werkzeug.wrappers import Response

from . import s3_common as c
from .s3_common import S3Error

SSE_C_ALGORITHM = "x-amz-server-side-encryption-customer-algorithm"
SSE_C_WRITES = frozenset({"PutObject", "CopyObject", "CreateMultipartUpload", "UploadPart", "UploadPartCopy"})
_ENCRYPTION_TYPES = ("SSE-C", "NONE")
_MALFORMED = "The XML you provided was not well-formed or did not validate against our published schema"
_S3_NS = "http://s3.amazonaws.com/doc/2006-03-01/"


def refuse_blocked_sse_c(call, request):
    """The 403 S3 answers an SSE-C write to a bucket that blocks SSE-C, or None."""
    if call.operation in SSE_C_WRITES and request.headers.get(SSE_C_ALGORITHM) and _blocks_sse_c(call.bucket):
        return c.error(403, "AccessDenied", "Requests specifying Server Side Encryption with Customer provided keys "
                                            "are blocked for this bucket by its default encryption configuration "
                                            "(BlockedEncryptionTypes SSE-C).", request.method)
    return None


def _blocks_sse_c(bucket_name):
    try:
        bucket = c.bucket(bucket_name)
    except S3Error:  # moto answers the request itself
        return False
    return "SSE-C" in (getattr(bucket, "_atrest_blocked_encryption_types", None) or ())


def _parse_bucket_encryption(body):
    """(moto's rule dict, blocked encryption types or None) from a ServerSideEncryptionConfiguration."""
    try:
        root = ET.fromstring(body or b"")
    except ET.ParseError:
        raise S3Error(400, "MalformedXML", _MALFORMED)
    local = lambda el: el.tag.rsplit("}", 1)[-1]  # noqa: E731
    rule = next((child for child in root if local(child) == "Rule"), None)
    if local(root) != "ServerSideEncryptionConfiguration" or rule is None:
        raise S3Error(400, "MalformedXML", _MALFORMED)
    parts = {local(child): child for child in rule}
    default = {"SSEAlgorithm": "AES256"}
    if "ApplyServerSideEncryptionByDefault" in parts:
        fields = {local(f): (f.text or "").strip() for f in parts["ApplyServerSideEncryptionByDefault"]}
        if not fields.get("SSEAlgorithm"):
            raise S3Error(400, "MalformedXML", _MALFORMED)
        default = {"SSEAlgorithm": fields["SSEAlgorithm"]}
        if fields.get("KMSMasterKeyID"):
            default["KMSMasterKeyID"] = fields["KMSMasterKeyID"]
    result = {"ApplyServerSideEncryptionByDefault": default}
    if "BucketKeyEnabled" in parts:
        value = (parts["BucketKeyEnabled"].text or "").strip().lower()
        if value not in ("true", "false"):
            raise S3Error(400, "MalformedXML", _MALFORMED)
        result["BucketKeyEnabled"] = value
    blocked = None
    if "BlockedEncryptionTypes" in parts:
        blocked = [(t.text or "").strip() for t in parts["BlockedEncryptionTypes"] if local(t) == "EncryptionType"]
        if any(t not in _ENCRYPTION_TYPES for t in blocked):
            raise S3Error(400, "MalformedXML", _MALFORMED)
        blocked = list(dict.fromkeys(blocked))
    return result, blocked


def put_bucket_encryption(call, request, body, region):
    try:
        bucket = c.bucket(call.bucket)
        rule, blocked = _parse_bucket_encryption(body)
    except S3Error as e:
        return c.answer(e, request)
    c.backend().put_bucket_encryption(call.bucket, {"Rule": rule})
    bucket._atrest_blocked_encryption_types = blocked
    return Response(status=200, headers={"x-amz-request-id": c.request_id()})


def get_bucket_encryption(call, request, body, region):
    try:
        bucket = c.bucket(call.bucket)
    except S3Error:
        return None  # moto answers
    blocked = getattr(bucket, "_atrest_blocked_encryption_types", None)
    if blocked is None or not bucket.encryption:
        return None  # moto's answer is complete without the element
    rule = bucket.encryption["Rule"]
    default = rule["ApplyServerSideEncryptionByDefault"]
    key = (f"<KMSMasterKeyID>{c.escape(default['KMSMasterKeyID'])}</KMSMasterKeyID>"
           if default.get("KMSMasterKeyID") else "")
    bucket_key = str(rule.get("BucketKeyEnabled", "false")).lower() == "true"
    types = "".join(f"<EncryptionType>{c.escape(t)}</EncryptionType>" for t in blocked)
    return c.xml_response(
        f'<ServerSideEncryptionConfiguration xmlns="{_S3_NS}"><Rule>'
        f"<ApplyServerSideEncryptionByDefault><SSEAlgorithm>{c.escape(default['SSEAlgorithm'])}</SSEAlgorithm>"
        f"{key}</ApplyServerSideEncryptionByDefault><BucketKeyEnabled>{str(bucket_key).lower()}</BucketKeyEnabled>"
        f"<BlockedEncryptionTypes>{types}</BlockedEncryptionTypes></Rule></ServerSideEncryptionConfiguration>")


def delete_bucket_encryption(call, request, body, region):
    try:
        c.bucket(call.bucket)._atrest_blocked_encryption_types = None
    except S3Error:
        pass
    return None  # moto answers
