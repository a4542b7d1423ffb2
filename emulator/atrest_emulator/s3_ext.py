"""S3 where moto 5.2 departs from the AWS documentation in ways atrest's re-encryption function depends on.

Documented behaviour followed here (Amazon S3 API Reference: UpdateObjectEncryption, CopyObject, UploadPartCopy,
CompleteMultipartUpload, HeadObject; User Guide: "Updating server-side encryption for existing data", SSE-C):
- UpdateObjectEncryption (PUT /{Key}?encryption, body <ObjectEncryption><SSE-KMS><KMSKeyArn/><BucketKeyEnabled/>):
  changes only the encryption of the named version (the current one without versionId). ETag, LastModified,
  storage class, metadata, tags, checksums and content stay as they are. Archived objects need no restore.
  InvalidRequest for unencrypted, SSE-C and DSSE-KMS sources, a missing or malformed key ARN (aliases are not key
  ARNs) or a BucketKeyEnabled that is not true/false; AccessDenied for a key of another account and for versions
  under Object Lock retention or legal hold. moto itself takes the request for a PutObject and overwrites the
  object with the request XML: this handler answers every such request, so that can never happen.
- x-amz-copy-source-if-match on CopyObject and UploadPartCopy: 412 PreconditionFailed when the source ETag differs.
- If-Match on CompleteMultipartUpload: 412 when the current object's ETag differs, 404 NoSuchKey when there is none.
- SSE-C: moto ignores the customer-key headers. Here PutObject records them on the version; HeadObject/GetObject
  without the customer key answer 400 (HEAD has no body), and CopyObject of such a source without the
  copy-source customer key answers 400 InvalidRequest.
- CreateMultipartUpload's x-amz-server-side-encryption-bucket-key-enabled and x-amz-website-redirect-location
  are dropped by moto when the upload completes; here they reach the completed object.
- BlockedEncryptionTypes (API_ServerSideEncryptionRule, API_BlockedEncryptionTypes; User Guide "Blocking or
  unblocking SSE-C for a general purpose bucket"): a member of the rule in PutBucketEncryption/GetBucketEncryption,
  <BlockedEncryptionTypes><EncryptionType>SSE-C|NONE</EncryptionType>...</BlockedEncryptionTypes>; moto drops it.
  Here it is stored and returned, and while it holds SSE-C every PutObject, CopyObject, CreateMultipartUpload,
  UploadPart and UploadPartCopy that asks for SSE-C (x-amz-server-side-encryption-customer-algorithm) answers
  403 AccessDenied; existing SSE-C objects stay readable with their key and may be copied to other encryptions.
  A rule without ApplyServerSideEncryptionByDefault is valid (moto: MalformedXML) and leaves SSE-S3, the default of
  every bucket. Emulator choices where the documentation is silent: PutBucketEncryption replaces the whole
  configuration, so a rule without BlockedEncryptionTypes leaves SSE-C unblocked (the cautious reading for a client
  that rewrites the configuration: it must carry the block over itself), and DeleteBucketEncryption clears it.
  Not modelled: the April 2026 default that blocks SSE-C on new buckets (new buckets here still have no
  configuration, as moto has them, and tests rely on that), and PostObject (browser form uploads).

S3 evaluates a copy's x-amz-copy-source-if-match and CompleteMultipartUpload's If-Match atomically with the write.
Here the check and moto's write are two steps, so every request that writes an object holds one lock across both
(exclusive()): a PutObject can no longer land between a passed condition and the copy it guards.

moto's backend calls that create objects run in the request's thread, so request-scoped facts (the SSE-C headers,
the multipart settings) pass to them through a thread-local set in before() for every S3 request.
State lives on moto's own objects (attributes prefixed _atrest_), so /moto-api/reset clears it with them.
"""
import datetime
import re
import threading
import uuid
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, unquote, urlparse

from moto.core import DEFAULT_ACCOUNT_ID
from moto.s3.models import FakeDeleteMarker, S3Backend, s3_backends
from werkzeug.wrappers import Response

_KEY_ARN = re.compile(r"^arn:aws[a-z-]*:kms:[a-z0-9-]+:(\d{12}):key/[A-Za-z0-9-]+$")
_SSE_C_ALGORITHM = "x-amz-server-side-encryption-customer-algorithm"
_ENCRYPTION_TYPES = ("SSE-C", "NONE")
_SSE_C_WRITES = frozenset({"PutObject", "CopyObject", "CreateMultipartUpload", "UploadPart", "UploadPartCopy"})
_MALFORMED = "The XML you provided was not well-formed or did not validate against our published schema"
_S3_NS = "http://s3.amazonaws.com/doc/2006-03-01/"
_SSE_C_KEY_MD5 = "x-amz-server-side-encryption-customer-key-md5"
_pending = threading.local()


class S3Error(Exception):
    def __init__(self, status, code, message, **extra):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.extra = extra


_OBJECT_WRITES = frozenset({"PutObject", "CopyObject", "UploadPart", "UploadPartCopy", "CompleteMultipartUpload",
                            "UpdateObjectEncryption", "DeleteObject", "DeleteObjects", "PutObjectTagging",
                            "DeleteObjectTagging", "PutObjectRetention", "PutObjectLegalHold"})
_WRITE_LOCK = threading.RLock()


def exclusive(call):
    return _WRITE_LOCK if call.service == "s3" and call.operation in _OBJECT_WRITES else None


def _error(status, code, message, method="GET", **extra):
    request_id = uuid.uuid4().hex[:16].upper()
    headers = {"x-amz-request-id": request_id}
    if method == "HEAD":
        # HEAD responses carry no body; S3 answers with the status alone.
        return Response(status=status, headers=headers)
    fields = "".join(f"<{k}>{_escape(v)}</{k}>" for k, v in extra.items())
    xml = (f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code><Message>{_escape(message)}</Message>'
           f"{fields}<RequestId>{request_id}</RequestId></Error>")
    return Response(xml, status=status, headers=headers, mimetype="application/xml")


def _escape(value):
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _backend():
    return s3_backends[DEFAULT_ACCOUNT_ID]["aws"]


def _bucket(name):
    try:
        return _backend().get_bucket(name)
    except Exception:  # moto's MissingBucket
        raise S3Error(404, "NoSuchBucket", "The specified bucket does not exist", BucketName=name)


def _version(bucket, key_name, version_id):
    """The named version (the current one without version_id); delete markers and absences as S3 errors."""
    versions = bucket.keys.getlist(key_name, [])
    if version_id is None:
        obj = versions[-1] if versions else None
        if obj is None:
            raise S3Error(404, "NoSuchKey", "The specified key does not exist.", Key=key_name)
    else:
        obj = next((v for v in versions if str(v.version_id) == str(version_id)), None)
        if obj is None:
            raise S3Error(404, "NoSuchVersion", "The specified version does not exist.", Key=key_name,
                          VersionId=version_id)
    if isinstance(obj, FakeDeleteMarker):
        if version_id is None:
            raise S3Error(404, "NoSuchKey", "The specified key does not exist.", Key=key_name)
        raise S3Error(405, "MethodNotAllowed", "The specified method is not allowed against this resource.",
                      Method="PUT", ResourceType="DeleteMarker")
    return obj


def _key(call):
    """The object key as the client sent it (classify decodes it as UTF-8)."""
    return call.key


def _etag(value):
    return (value or "").strip().strip('"')


# ---------------------------------------------------------------- request-scoped facts for moto's backend

def before(call, request, body, region):
    # Cleared on every request, whatever the service, so nothing left by a failed request reaches a later one.
    _pending.sse_c = None
    _pending.multipart = None
    if call.service != "s3":
        return None
    if call.operation in _SSE_C_WRITES and request.headers.get(_SSE_C_ALGORITHM) and _blocks_sse_c(call.bucket):
        return _error(403, "AccessDenied", "Requests specifying Server Side Encryption with Customer provided keys "
                                           "are blocked for this bucket by its default encryption configuration "
                                           "(BlockedEncryptionTypes SSE-C).", request.method)
    if call.operation == "PutObject" and request.headers.get(_SSE_C_ALGORITHM):
        _pending.sse_c = {"algorithm": request.headers.get(_SSE_C_ALGORITHM),
                          "key_md5": request.headers.get(_SSE_C_KEY_MD5)}
    elif call.operation == "CreateMultipartUpload":
        _pending.multipart = {
            "bucket_key_enabled": (request.headers.get("x-amz-server-side-encryption-bucket-key-enabled") or "").lower()
            or None,
            "website_redirect_location": request.headers.get("x-amz-website-redirect-location"),
        }
    return None


def _take(name):
    value = getattr(_pending, name, None)
    setattr(_pending, name, None)
    return value


def _patch_backend():
    if getattr(S3Backend, "_atrest_patched", False):
        return
    original_put = S3Backend.put_object
    original_create = S3Backend.create_multipart_upload
    original_complete = S3Backend.complete_multipart_upload

    def put_object(self, *args, **kwargs):
        new_key = original_put(self, *args, **kwargs)
        sse_c = _take("sse_c")
        if sse_c is not None:
            # S3 stores SSE-C objects with no x-amz-server-side-encryption of its own.
            new_key.encryption = None
            new_key.kms_key_id = None
            new_key._atrest_sse_c = sse_c
        return new_key

    def create_multipart_upload(self, *args, **kwargs):
        multipart = original_create(self, *args, **kwargs)
        multipart._atrest_settings = _take("multipart") or {}
        return multipart

    def complete_multipart_upload(self, bucket_name, multipart_id, body):
        multipart = self.get_bucket(bucket_name).multiparts.get(multipart_id)
        settings = getattr(multipart, "_atrest_settings", {}) if multipart is not None else {}
        key = original_complete(self, bucket_name, multipart_id, body)
        if key is not None:
            if settings.get("bucket_key_enabled") and key.encryption == "aws:kms":
                key.bucket_key_enabled = settings["bucket_key_enabled"]
            if settings.get("website_redirect_location"):
                key.website_redirect_location = settings["website_redirect_location"]
        return key

    S3Backend.put_object = put_object
    S3Backend.create_multipart_upload = create_multipart_upload
    S3Backend.complete_multipart_upload = complete_multipart_upload
    S3Backend._atrest_patched = True


_patch_backend()


# ---------------------------------------------------------------- UpdateObjectEncryption

def _parse_encryption(body):
    """(key_arn, bucket_key_enabled) from the request XML; the SDKs send the ObjectEncryption element, namespaced."""
    try:
        root = ET.fromstring(body or b"")
    except ET.ParseError:
        raise S3Error(400, "MalformedXML", "The XML you provided was not well-formed or did not validate against "
                                           "our published schema")
    local = lambda el: el.tag.rsplit("}", 1)[-1]  # noqa: E731
    if local(root) != "ObjectEncryption":
        raise S3Error(400, "MalformedXML", "The XML you provided was not well-formed or did not validate against "
                                           "our published schema")
    children = {local(c): c for c in root}
    sse_kms = children.get("SSE-KMS")
    if sse_kms is None:
        if children:
            raise S3Error(400, "InvalidRequest", "The UpdateObjectEncryption operation doesn't support updating the "
                                                 "encryption type to DSSE-KMS or SSE-C. Modify the request to specify "
                                                 "SSE-KMS for the updated encryption type, and then try again.")
        raise S3Error(400, "InvalidRequest", "Requests that modify an object encryption configuration require a "
                                             "valid new encryption type. Valid values are SSEKMS.")
    fields = {local(c): (c.text or "").strip() for c in sse_kms}
    key_arn = fields.get("KMSKeyArn")
    if not key_arn:
        raise S3Error(400, "InvalidRequest", "Requests that modify an object's encryption type to SSE-KMS require an "
                                             "AWS KMS key Amazon Resource Name (ARN).")
    if not _KEY_ARN.match(key_arn):
        raise S3Error(400, "InvalidRequest", "Requests that modify an object's encryption type to SSE-KMS require a "
                                             "valid AWS KMS key Amazon Resource Name (ARN).")
    bucket_key = fields.get("BucketKeyEnabled")
    if bucket_key is not None and bucket_key.lower() not in ("true", "false"):
        raise S3Error(400, "InvalidRequest", "The BucketKeyEnabled value isn't valid. Valid values are true or false.")
    return key_arn, (bucket_key.lower() == "true") if bucket_key is not None else None


def _locked(obj):
    if str(obj.lock_legal_status or "").upper() == "ON":
        return True
    if obj.lock_mode and obj.lock_until:
        try:
            until = datetime.datetime.fromisoformat(str(obj.lock_until).replace("Z", "+00:00"))
        except ValueError:
            return True  # an unreadable date is treated as a lock: never unlock by accident
        if until.tzinfo is None:
            until = until.replace(tzinfo=datetime.timezone.utc)
        return until > datetime.datetime.now(datetime.timezone.utc)
    return False


def update_object_encryption(call, request, body, region):
    try:
        if not call.key:
            raise S3Error(400, "InvalidRequest", "UpdateObjectEncryption needs an object key.")
        bucket = _bucket(call.bucket)
        key_arn, bucket_key = _parse_encryption(body)
        obj = _version(bucket, _key(call), request.args.get("versionId"))
        if key_arn.split(":")[4] != DEFAULT_ACCOUNT_ID:
            raise S3Error(403, "AccessDenied", "The AWS KMS key in the request must be owned by the same account as "
                                               "the bucket. Modify the request to specify a KMS key from the same "
                                               "account, and then try again.")
        if getattr(obj, "_atrest_sse_c", None) or obj.encryption == "aws:kms:dsse":
            raise S3Error(400, "InvalidRequest", "The UpdateObjectEncryption operation doesn't support source objects "
                                                 "with the encryption type DSSE-KMS or SSE-C. Only source objects "
                                                 "encrypted with SSE-S3 or SSE-KMS are supported.")
        if obj.encryption not in ("AES256", "aws:kms"):
            raise S3Error(400, "InvalidRequest", "The UpdateObjectEncryption operation doesn't supported unencrypted "
                                                 "source objects. Only source objects encrypted with SSE-S3 or SSE-KMS "
                                                 "are supported.")
        if _locked(obj):
            raise S3Error(403, "AccessDenied", "The encryption type for the specified object can't be updated because "
                                               "that object is protected by S3 Object Lock.")
    except S3Error as e:
        return _error(e.status, e.code, e.message, request.method, **e.extra)
    # Only the encryption fields: the ETag, dates, storage class, metadata, tags and bytes are left as they are.
    obj.encryption = "aws:kms"
    obj.kms_key_id = key_arn
    obj.bucket_key_enabled = None if bucket_key is None else str(bucket_key).lower()
    headers = {"x-amz-request-id": uuid.uuid4().hex[:16].upper()}
    if obj.version_id and obj.version_id != "null":
        headers["x-amz-version-id"] = obj.version_id
    return Response(status=200, headers=headers)


# ---------------------------------------------------------------- conditional copies

def _copy_source(request):
    source = request.headers.get("x-amz-copy-source", "")
    parsed = urlparse(source)
    path = unquote(parsed.path).lstrip("/")
    if "/" not in path:
        return None, None, None
    bucket, key = path.split("/", 1)
    version = parse_qs(parsed.query).get("versionId", [None])[0]
    return bucket, key, version


def copy_with_conditions(call, request, body, region):
    bucket_name, key_name, version_id = _copy_source(request)
    if bucket_name is None:
        return None
    try:
        obj = _version(_bucket(bucket_name), key_name, version_id)
    except S3Error:
        return None  # moto answers missing sources itself
    wanted = request.headers.get("x-amz-copy-source-if-match")
    if wanted is not None and _etag(wanted) != _etag(obj.etag):
        return _error(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold",
                      request.method, Condition="x-amz-copy-source-If-Match")
    if getattr(obj, "_atrest_sse_c", None) and not request.headers.get(
            "x-amz-copy-source-server-side-encryption-customer-algorithm"):
        return _error(400, "InvalidRequest", "The object was stored using a form of Server Side Encryption. The correct "
                                             "parameters must be provided to retrieve the object.", request.method)
    return None


def complete_with_conditions(call, request, body, region):
    wanted = request.headers.get("If-Match")
    if wanted is None:
        return None
    try:
        current = _version(_bucket(call.bucket), _key(call), None)
    except S3Error as e:
        return _error(e.status, e.code, e.message, request.method, **e.extra)
    if _etag(wanted) != _etag(current.etag):
        return _error(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold",
                      request.method, Condition="If-Match")
    return None


# ---------------------------------------------------------------- BlockedEncryptionTypes

def _blocks_sse_c(bucket_name):
    try:
        bucket = _backend().get_bucket(bucket_name)
    except Exception:  # moto's MissingBucket: moto answers the request itself
        return False
    return "SSE-C" in (getattr(bucket, "_atrest_blocked_encryption_types", None) or ())


def _parse_bucket_encryption(body):
    """(moto's rule dict, blocked encryption types or None) from a ServerSideEncryptionConfiguration."""
    try:
        root = ET.fromstring(body or b"")
    except ET.ParseError:
        raise S3Error(400, "MalformedXML", _MALFORMED)
    local = lambda el: el.tag.rsplit("}", 1)[-1]  # noqa: E731
    rule = next((c for c in root if local(c) == "Rule"), None)
    if local(root) != "ServerSideEncryptionConfiguration" or rule is None:
        raise S3Error(400, "MalformedXML", _MALFORMED)
    parts = {local(c): c for c in rule}
    default = {"SSEAlgorithm": "AES256"}
    if "ApplyServerSideEncryptionByDefault" in parts:
        fields = {local(c): (c.text or "").strip() for c in parts["ApplyServerSideEncryptionByDefault"]}
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
        blocked = [(c.text or "").strip() for c in parts["BlockedEncryptionTypes"] if local(c) == "EncryptionType"]
        if any(t not in _ENCRYPTION_TYPES for t in blocked):
            raise S3Error(400, "MalformedXML", _MALFORMED)
        blocked = list(dict.fromkeys(blocked))
    return result, blocked


def put_bucket_encryption(call, request, body, region):
    try:
        bucket = _bucket(call.bucket)
        rule, blocked = _parse_bucket_encryption(body)
    except S3Error as e:
        return _error(e.status, e.code, e.message, request.method, **e.extra)
    _backend().put_bucket_encryption(call.bucket, {"Rule": rule})
    bucket._atrest_blocked_encryption_types = blocked
    return Response(status=200, headers={"x-amz-request-id": uuid.uuid4().hex[:16].upper()})


def get_bucket_encryption(call, request, body, region):
    try:
        bucket = _bucket(call.bucket)
    except S3Error:
        return None  # moto answers
    blocked = getattr(bucket, "_atrest_blocked_encryption_types", None)
    if blocked is None or not bucket.encryption:
        return None  # moto's answer is complete without the element
    rule = bucket.encryption["Rule"]
    default = rule["ApplyServerSideEncryptionByDefault"]
    key = f"<KMSMasterKeyID>{_escape(default['KMSMasterKeyID'])}</KMSMasterKeyID>" if default.get(
        "KMSMasterKeyID") else ""
    bucket_key = str(rule.get("BucketKeyEnabled", "false")).lower() == "true"
    types = "".join(f"<EncryptionType>{_escape(t)}</EncryptionType>" for t in blocked)
    xml = (f'<?xml version="1.0" encoding="UTF-8"?>\n<ServerSideEncryptionConfiguration xmlns="{_S3_NS}"><Rule>'
           f"<ApplyServerSideEncryptionByDefault><SSEAlgorithm>{_escape(default['SSEAlgorithm'])}</SSEAlgorithm>"
           f"{key}</ApplyServerSideEncryptionByDefault><BucketKeyEnabled>{str(bucket_key).lower()}</BucketKeyEnabled>"
           f"<BlockedEncryptionTypes>{types}</BlockedEncryptionTypes></Rule></ServerSideEncryptionConfiguration>")
    return Response(xml, status=200, headers={"x-amz-request-id": uuid.uuid4().hex[:16].upper()},
                    mimetype="application/xml")


def delete_bucket_encryption(call, request, body, region):
    try:
        _bucket(call.bucket)._atrest_blocked_encryption_types = None
    except S3Error:
        pass
    return None  # moto answers


# ---------------------------------------------------------------- SSE-C reads

def read_sse_c(call, request, body, region):
    try:
        obj = _version(_bucket(call.bucket), _key(call), request.args.get("versionId"))
    except S3Error:
        return None  # moto answers absences and delete markers itself
    if getattr(obj, "_atrest_sse_c", None) and not request.headers.get(_SSE_C_ALGORITHM):
        return _error(400, "InvalidRequest", "The object was stored using a form of Server Side Encryption. The correct "
                                             "parameters must be provided to retrieve the object.", request.method)
    return None


HANDLERS = {
    ("s3", "UpdateObjectEncryption"): update_object_encryption,
    ("s3", "CopyObject"): copy_with_conditions,
    ("s3", "UploadPartCopy"): copy_with_conditions,
    ("s3", "CompleteMultipartUpload"): complete_with_conditions,
    ("s3", "HeadObject"): read_sse_c,
    ("s3", "GetObject"): read_sse_c,
    ("s3", "PutBucketEncryption"): put_bucket_encryption,
    ("s3", "GetBucketEncryption"): get_bucket_encryption,
    ("s3", "DeleteBucketEncryption"): delete_bucket_encryption,
}
