"""S3 where moto 5.2 departs from the AWS documentation in ways atrest's re-encryption function depends on.

Documented behaviour followed here (Amazon S3 API Reference: UpdateObjectEncryption, CopyObject, UploadPartCopy,
CreateMultipartUpload, CompleteMultipartUpload, HeadObject, GetObject, GetObjectAcl, PutObjectAcl,
PutObjectRetention, GetObjectRetention, PutObjectLegalHold, GetObjectLegalHold; User Guide: "Updating server-side
encryption for existing data", SSE-C, "Checking object integrity", "Locking objects with Object Lock",
"Controlling ownership of objects and disabling ACLs"). What moto itself gets wrong is listed in each module:
s3_acl (Object Ownership, ACLs), s3_lock (Object Lock), s3_checksum (additional checksums).

- UpdateObjectEncryption (PUT /{Key}?encryption, body <ObjectEncryption><SSE-KMS><KMSKeyArn/><BucketKeyEnabled/>):
  changes only the encryption of the named version (the current one without versionId). ETag, LastModified,
  storage class, metadata, tags, checksums and content stay as they are. Archived objects need no restore.
  InvalidRequest for unencrypted, SSE-C and DSSE-KMS sources, a missing or malformed key ARN (aliases are not key
  ARNs) or a BucketKeyEnabled that is not true/false; AccessDenied for a key of another account and for versions
  under Object Lock retention or legal hold. moto itself takes the request for a PutObject and overwrites the
  object with the request XML: this handler answers every such request, so that can never happen.
- Copy-source conditions on CopyObject and UploadPartCopy, evaluated as RFC 7232 orders them and as the API
  Reference states for the pairs: x-amz-copy-source-if-match (when sent, if-unmodified-since is not looked at: a
  matching ETag copies even when the object was modified since), else x-amz-copy-source-if-unmodified-since; then
  x-amz-copy-source-if-none-match (when sent, if-modified-since is not looked at), else
  x-amz-copy-source-if-modified-since (a date later than now is ignored, as HTTP says). A condition that does not
  hold answers 412 PreconditionFailed (copies never answer 304). moto checks if-none-match on CopyObject only.
- x-amz-copy-source ?versionId= pins the source version (moto does this); a missing source of UploadPartCopy
  answers NoSuchBucket/NoSuchKey/NoSuchVersion with S3's document (moto: an empty 404).
- Version ids: "null" names the version written while versioning was off or suspended, and in a bucket that never
  had versioning it names the object (moto answered HeadObject with 400). A malformed id (empty, shorter than 16
  characters, or with characters outside base64 and "-", "_", ".") answers 400 InvalidArgument "Invalid version id
  specified" (HEAD: status only) on HeadObject, GetObject, GetObjectAttributes, the tagging, ACL, retention and
  legal hold operations, DeleteObject and a copy source; a well-formed id that names no version answers 404
  NoSuchVersion. S3 does not publish its format; moto's ids are UUIDs, which pass.
- Path-style routing: the first path segment is the bucket, split on the raw path before percent-decoding. A
  segment with an encoded slash (/rt-c%2Fsub/x) names no valid bucket: 400 InvalidBucketName (moto decoded the
  path first and wrote key sub/x into bucket rt-c). In the key, %2F is a slash like any encoded character
  (/bucket/a%2Fb is the key a/b).
- If-Match on CompleteMultipartUpload: 412 when the current object's ETag differs, 404 NoSuchKey when there is none.
- If-Match and If-None-Match on CopyObject name the destination (conditional writes, checked with the copy-source
  conditions and the write under one lock): If-Match, 412 when the destination's current ETag differs and 404
  NoSuchKey when there is none; If-None-Match "*", 412 when the destination exists. moto ignores both. (SSE-KMS
  ETags here are still content MD5s, unlike S3's: an If-Match cannot tell two copies of the same bytes apart.)
- SSE-C: moto ignores the customer-key headers. Here PutObject records them on the version; HeadObject/GetObject
  without the customer key answer 400 (HEAD has no body), and CopyObject of such a source without the
  copy-source customer key answers 400 InvalidRequest.
- CreateMultipartUpload's x-amz-server-side-encryption-bucket-key-enabled, x-amz-website-redirect-location and
  Object Lock headers are dropped by moto when the upload completes; here they reach the completed object, and a
  bucket's default retention applies to it as to any new version. An upload created without ACL headers completes
  into an object with the default private ACL, as every other write (moto left it without any, and GetObjectAcl
  answered 500).
- BlockedEncryptionTypes of a bucket's default encryption and its refusal of SSE-C writes: s3_encryption.
- A metadata-only CopyObject in place (MetadataDirective=REPLACE) of an object that is not SSE-KMS keeps its ETag,
  as in S3 (moto's ETag is the MD5 of the content): an ETag condition cannot see such a change, LastModified can.

What a copy keeps, as S3 documents it (for the code that re-encrypts by copying):
- CopyObject keeps the content, the user and system metadata (MetadataDirective COPY, the default), the tags
  (TaggingDirective COPY) and the checksum: same algorithm, same value, same type (a COMPOSITE checksum of a
  multipart source stays COMPOSITE with its part count), unless x-amz-checksum-algorithm asks for another, which
  S3 computes afresh as a FULL_OBJECT checksum of the content. It does not keep: the ACL (the copy is private,
  owner FULL_CONTROL, unless the request grants otherwise), Object Lock retention and legal hold (the copy has what
  the request's x-amz-object-lock-* headers say, or the bucket's default retention), the storage class (STANDARD
  unless given), the website redirect (unless given), the encryption (unless given: the bucket default).
- A multipart copy (CreateMultipartUpload + UploadPartCopy + CompleteMultipartUpload) keeps only the bytes. Every
  metadata header, tags, storage class, website redirect, encryption, ACL and Object Lock settings must be given on
  CreateMultipartUpload. Its checksum is whatever the upload was created with; the source's checksum is never
  carried over:
  * CRC32, CRC32C or CRC64NVME with x-amz-checksum-type FULL_OBJECT (CRC64NVME is FULL_OBJECT only and its default):
    the completed object's checksum is the CRC of the whole content, so it equals a FULL_OBJECT CRC of the same
    algorithm that the source had, and CompleteMultipartUpload can be given that value (x-amz-checksum-<alg>) for
    S3 to check: 400 BadDigest when the copy's content differs.
  * CRC32, CRC32C (default type COMPOSITE), SHA1 or SHA256 (COMPOSITE only): the checksum is a checksum of the part
    checksums, shown as "<base64>-<number of parts>" with ChecksumType COMPOSITE. It depends on the part size and
    never equals a checksum of the whole content: a source's SHA1/SHA256 checksum (full object from a PutObject,
    or composite with other part sizes) cannot be kept or checked by a multipart copy.
  * CreateMultipartUpload refuses FULL_OBJECT with SHA1/SHA256, COMPOSITE with CRC64NVME, x-amz-checksum-type
    without x-amz-checksum-algorithm and any other algorithm (400 InvalidRequest; the newer algorithms SHA512, MD5
    and XXHASH* are taken by PutObject and CopyObject only here, which is an assumption: S3 documents no multipart
    type for them). An upload created with an algorithm needs each part's checksum in CompleteMultipartUpload
    (UploadPartCopy answers it in CopyPartResult): missing, 400 InvalidRequest; wrong or of another algorithm,
    400 InvalidPart; an x-amz-checksum-type other than the upload's, 400 BadDigest.
  * Without x-amz-checksum-algorithm S3 now gives the completed object a CRC64NVME FULL_OBJECT checksum (and any
    object written without a checksum one too). Here such objects have no checksum: that models objects written
    before S3 added default checksums (December 2024), which is what atrest mostly meets.
- HeadObject with x-amz-checksum-mode: ENABLED answers x-amz-checksum-<alg> (composite: "-<parts>") and
  x-amz-checksum-type (FULL_OBJECT for an object written in one request); GetObjectAttributes answers the same
  value and ChecksumType.

S3 evaluates a copy's conditions and CompleteMultipartUpload's If-Match atomically with the write. Here the check
and moto's write are two steps, so every request that writes an object holds one lock across both (exclusive()): a
PutObject can no longer land between a passed condition and the copy it guards. The fault layer acts before that
lock, so a held request (faults "hold") never blocks the writes a test interleaves with it.

moto's backend calls that create objects run in the request's thread, so request-scoped facts (the SSE-C headers,
the multipart settings, the copy's checksum algorithm) pass to them through a thread-local set for every S3 request.
State lives on moto's own objects (attributes prefixed _atrest_), so /moto-api/reset clears it with them.
"""
import re
import threading
import uuid
import xml.etree.ElementTree as ET
from urllib.parse import unquote, urlparse

from moto.s3.models import FakeKey, S3Backend
from moto.s3.responses import S3Response
from werkzeug.wrappers import Response

from . import s3_acl, s3_checksum, s3_encryption, s3_lock
from . import s3_common as c
from .s3_common import S3Error

_KEY_ARN = re.compile(r"^arn:aws[a-z-]*:kms:[a-z0-9-]+:(\d{12}):key/[A-Za-z0-9-]+$")
_SSE_C_ALGORITHM = "x-amz-server-side-encryption-customer-algorithm"
_SSE_C_KEY_MD5 = "x-amz-server-side-encryption-customer-key-md5"
_pending = threading.local()

_OBJECT_WRITES = frozenset({"PutObject", "CopyObject", "UploadPart", "UploadPartCopy", "CompleteMultipartUpload",
                            "UpdateObjectEncryption", "DeleteObject", "DeleteObjects", "PutObjectTagging",
                            "DeleteObjectTagging", "PutObjectRetention", "PutObjectLegalHold", "PutObjectAcl"})
_WRITE_LOCK = threading.RLock()


def exclusive(call):
    return _WRITE_LOCK if call.service == "s3" and call.operation in _OBJECT_WRITES else None


# ---------------------------------------------------------------- request-scoped facts for moto's backend

def before(call, request, body, region):
    # Cleared on every request, whatever the service, so nothing left by a failed request reaches a later one.
    _pending.sse_c = None
    _pending.multipart = None
    _pending.copy_algorithm = None
    if call.service != "s3":
        return None
    bad_bucket = _encoded_slash_bucket(request.environ)
    if bad_bucket is not None:
        return c.error(400, "InvalidBucketName", "The specified bucket is not valid.", request.method,
                       BucketName=bad_bucket)
    refused = s3_encryption.refuse_blocked_sse_c(call, request)
    if refused is not None:
        return refused
    if call.operation == "PutObject" and request.headers.get(_SSE_C_ALGORITHM):
        _pending.sse_c = {"algorithm": request.headers.get(_SSE_C_ALGORITHM),
                          "key_md5": request.headers.get(_SSE_C_KEY_MD5)}
    return None


def _encoded_slash_bucket(environ):
    """The decoded bucket segment of a path-style request whose raw bucket segment has an encoded slash, else None."""
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI") or ""
    path = urlparse(raw).path if "://" in raw else raw.split("?", 1)[0]
    segment = path.lstrip("/").split("/", 1)[0]
    return unquote(segment) if "%2f" in segment.lower() else None


def _take(name):
    value = getattr(_pending, name, None)
    setattr(_pending, name, None)
    return value


def _checksum_type(self):
    kind = self.__dict__.get("_atrest_checksum_type")
    if kind:
        return kind
    # One request wrote the object (PutObject, CopyObject): its checksum is a full-object one.
    return "FULL_OBJECT" if self.checksum_algorithm and self.checksum_value else None


def _set_checksum_type(self, value):
    self.__dict__["_atrest_checksum_type"] = value


def _patch_moto():
    if getattr(S3Backend, "_atrest_patched", False):
        return
    s3_checksum.patch_moto()
    FakeKey.checksum_type = property(_checksum_type, _set_checksum_type)
    original_put = S3Backend.put_object
    original_create = S3Backend.create_multipart_upload
    original_complete = S3Backend.complete_multipart_upload
    original_copy = S3Backend.copy_object
    original_attributes = S3Backend.get_object_attributes
    original_lock_configuration = S3Backend.put_object_lock_configuration
    original_head = S3Response.head_object
    original_part_copy = S3Response.upload_part_copy

    def put_object(self, *args, **kwargs):
        if kwargs.get("lock_until"):
            # One form for every retain-until date, the one moto's own lock checks parse.
            moment = c.parse_time(str(kwargs["lock_until"]))
            kwargs["lock_until"] = c.iso(moment) if moment else kwargs["lock_until"]
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
        settings = _take("multipart") or {}
        multipart._atrest_settings = settings
        if settings.get("checksum_algorithm"):
            # moto's checksum builder and its CreateMultipartUpload answer read these two.
            multipart.metadata["x-amz-checksum-algorithm"] = settings["checksum_algorithm"]
            multipart.metadata["x-amz-checksum-type"] = settings["checksum_type"]
        return multipart

    def complete_multipart_upload(self, bucket_name, multipart_id, body):
        bkt = self.get_bucket(bucket_name)
        multipart = bkt.multiparts.get(multipart_id)
        settings = getattr(multipart, "_atrest_settings", {}) if multipart is not None else {}
        key = original_complete(self, bucket_name, multipart_id, body)
        if key is not None:
            if key.acl is None:
                key.set_acl(bkt.acl)  # what moto gives PutObject and CopyObject without ACL headers
            if settings.get("bucket_key_enabled") and key.encryption == "aws:kms":
                key.bucket_key_enabled = settings["bucket_key_enabled"]
            if settings.get("website_redirect_location"):
                key.website_redirect_location = settings["website_redirect_location"]
            lock = settings.get("lock") or {}
            mode, until = (lock.get("mode"), lock.get("until")) if lock.get("mode") else s3_lock.default_retention(bkt)
            key.lock_mode, key.lock_until = mode, until
            key.lock_legal_status = lock.get("legal_hold")
            for name in ("x-amz-checksum-algorithm", "x-amz-checksum-type"):
                # Request settings, not object metadata: S3 answers them as x-amz-checksum-* headers of its own.
                key.metadata.pop(name, None)
        return key

    def copy_object(self, src_key, *args, **kwargs):
        original_copy(self, src_key, *args, **kwargs)
        new_key = self.get_object(args[0] if args else kwargs["dest_bucket_name"],
                                  args[1] if len(args) > 1 else kwargs["dest_key_name"])
        if new_key is not None and src_key.checksum_value and not _take("copy_algorithm"):
            # The source's checksum is kept as it is: a composite one stays composite, with its part count.
            new_key.checksum_type = src_key.__dict__.get("_atrest_checksum_type")
            new_key.checksum_parts = src_key.checksum_parts

    def get_object_attributes(self, key, attributes):
        result = original_attributes(self, key, attributes)
        seen = s3_checksum.shown(key)
        if result.get("checksum") and seen is not None:
            result["checksum"] = {seen[0]: seen[1], "type": seen[2]}
        return result

    def put_object_lock_configuration(self, bucket_name, lock_enabled, mode=None, days=None, years=None):
        bkt = self.get_bucket(bucket_name)
        if bkt.object_lock_enabled and lock_enabled:
            # moto refuses any configuration for a bucket that holds objects; S3 refuses only to enable Object Lock
            # there, and changes the default retention of a bucket that has it whatever the bucket holds.
            bkt.default_lock_mode, bkt.default_lock_days, bkt.default_lock_years = mode, days, years
            return None
        return original_lock_configuration(self, bucket_name, lock_enabled, mode, days, years)

    def head_object(self, bucket_name, query, key_name, headers):
        status, response_headers, content = original_head(self, bucket_name, query, key_name, headers)
        if status == 200 and headers.get("x-amz-checksum-mode") == "ENABLED":
            version_id = query.get("versionId", [None])[0]
            key = self.backend.head_object(bucket_name, key_name, version_id=version_id)
            seen = s3_checksum.shown(key) if key is not None else None
            if seen is not None:
                response_headers[f"x-amz-checksum-{seen[0].lower()}"] = seen[1]
                response_headers["x-amz-checksum-type"] = seen[2]
        return status, response_headers, content

    def upload_part_copy(self):
        status, response_headers, content = original_part_copy(self)
        if status != 200:
            return status, response_headers, content
        multipart = self.backend.get_bucket(self.bucket_name).multiparts.get(self._get_param("uploadId"))
        part = multipart.parts.get(self._get_int_param("partNumber")) if multipart is not None else None
        element = s3_checksum.part_checksum(multipart, part.value) if part is not None else None
        if element is not None and isinstance(content, (str, bytes)):
            text = content.decode() if isinstance(content, bytes) else content
            text = text.replace("</CopyPartResult>", f"<{element[0]}>{element[1]}</{element[0]}></CopyPartResult>")
            response_headers["content-length"] = str(len(text.encode()))
            content = text
        src_bucket, src_key, src_version = c.copy_source(self)
        source = self.backend.get_object(src_bucket, src_key, version_id=src_version) if src_bucket else None
        if source is not None and source.version_id != "null":
            response_headers["x-amz-copy-source-version-id"] = source.version_id
        return status, response_headers, content

    S3Backend.put_object = put_object
    S3Backend.create_multipart_upload = create_multipart_upload
    S3Backend.complete_multipart_upload = complete_multipart_upload
    S3Backend.copy_object = copy_object
    S3Backend.get_object_attributes = get_object_attributes
    S3Backend.put_object_lock_configuration = put_object_lock_configuration
    S3Response.head_object = head_object
    S3Response.upload_part_copy = upload_part_copy
    S3Backend._atrest_patched = True


_patch_moto()


def _bucket_or_none(name):
    try:
        return c.bucket(name)
    except S3Error:
        return None  # moto answers NoSuchBucket itself


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
    children = {local(ch): ch for ch in root}
    sse_kms = children.get("SSE-KMS")
    if sse_kms is None:
        if children:
            raise S3Error(400, "InvalidRequest", "The UpdateObjectEncryption operation doesn't support updating the "
                                                 "encryption type to DSSE-KMS or SSE-C. Modify the request to specify "
                                                 "SSE-KMS for the updated encryption type, and then try again.")
        raise S3Error(400, "InvalidRequest", "Requests that modify an object encryption configuration require a "
                                             "valid new encryption type. Valid values are SSEKMS.")
    fields = {local(ch): (ch.text or "").strip() for ch in sse_kms}
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


def update_object_encryption(call, request, body, region):
    try:
        if not call.key:
            raise S3Error(400, "InvalidRequest", "UpdateObjectEncryption needs an object key.")
        bkt = c.bucket(call.bucket)
        key_arn, bucket_key = _parse_encryption(body)
        obj = c.version(bkt, call.key, request.args.get("versionId"), "PUT")
        if key_arn.split(":")[4] != bkt.account_id:
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
        if s3_lock.locked(obj):
            raise S3Error(403, "AccessDenied", "The encryption type for the specified object can't be updated because "
                                               "that object is protected by S3 Object Lock.")
    except S3Error as e:
        return c.answer(e, request)
    # Only the encryption fields: the ETag, dates, storage class, metadata, tags and bytes are left as they are.
    obj.encryption = "aws:kms"
    obj.kms_key_id = key_arn
    obj.bucket_key_enabled = None if bucket_key is None else str(bucket_key).lower()
    headers = {"x-amz-request-id": uuid.uuid4().hex[:16].upper()}
    if obj.version_id and obj.version_id != "null":
        headers["x-amz-version-id"] = obj.version_id
    return Response(status=200, headers=headers)


# ---------------------------------------------------------------- writes: PutObject, CopyObject, multipart

def check_put_object(call, request, body, region):
    bkt = _bucket_or_none(call.bucket)
    if bkt is None:
        return None
    try:
        s3_acl.check_write(bkt, request)
        s3_lock.check_put(bkt, request)
    except S3Error as e:
        return c.answer(e, request)
    if request.headers.get("x-amz-object-lock-mode") or request.headers.get("x-amz-object-lock-legal-hold") \
            or bkt.has_default_lock:
        s3_lock.let_moto_through(request)
    return None


def _etag_listed(header, etag):
    wanted = [c.strip_etag(item) for item in header.split(",")]
    return "*" in wanted or etag in wanted


def _copy_conditions(request, obj):
    headers = request.headers
    etag, modified = c.strip_etag(obj.etag), c.last_modified(obj)
    if_match = headers.get("x-amz-copy-source-if-match")
    if_none_match = headers.get("x-amz-copy-source-if-none-match")
    unmodified_since = c.parse_time(headers.get("x-amz-copy-source-if-unmodified-since"))
    modified_since = c.parse_time(headers.get("x-amz-copy-source-if-modified-since"))
    failed = None
    if if_match is not None:
        if not _etag_listed(if_match, etag):
            failed = "x-amz-copy-source-If-Match"
    elif unmodified_since is not None and modified > unmodified_since:
        failed = "x-amz-copy-source-If-Unmodified-Since"
    if failed is None:
        if if_none_match is not None:
            if _etag_listed(if_none_match, etag):
                failed = "x-amz-copy-source-If-None-Match"
        elif modified_since is not None and modified_since <= c.now() and modified <= modified_since:
            failed = "x-amz-copy-source-If-Modified-Since"
    if failed is not None:
        raise S3Error(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold",
                      Condition=failed)


def _copy_source_object(request):
    """The copy source version, or S3's error for a malformed version id or a missing bucket, key or version."""
    bucket_name, key_name, version_id = c.copy_source(request)
    if bucket_name is None:
        return None
    c.check_version_id(version_id)
    return c.version(c.bucket(bucket_name), key_name, version_id)


def _check_copy_source(request):
    obj = _copy_source_object(request)
    if obj is None:
        return None
    _copy_conditions(request, obj)
    if getattr(obj, "_atrest_sse_c", None) and not request.headers.get(
            "x-amz-copy-source-server-side-encryption-customer-algorithm"):
        raise S3Error(400, "InvalidRequest", "The object was stored using a form of Server Side Encryption. The correct "
                                             "parameters must be provided to retrieve the object.")
    return obj


def _destination_conditions(bkt, key, request):
    wanted = request.headers.get("If-Match")
    if wanted is not None:
        current = c.version(bkt, key, None)
        if not _etag_listed(wanted, c.strip_etag(current.etag)):
            raise S3Error(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold",
                          Condition="If-Match")
    if (request.headers.get("If-None-Match") or "").strip() == "*":
        try:
            c.version(bkt, key, None)
        except S3Error:
            return
        raise S3Error(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold",
                      Condition="If-None-Match")


def copy_object(call, request, body, region):
    try:
        _check_copy_source(request)
        bkt = _bucket_or_none(call.bucket)
        if bkt is None:
            return None
        _destination_conditions(bkt, call.key, request)
        s3_acl.check_write(bkt, request)
        s3_lock.requested(request, bkt)
        _pending.copy_algorithm = s3_checksum.copy_algorithm(request)
    except S3Error as e:
        return c.answer(e, request)
    if request.headers.get("x-amz-object-lock-mode") or request.headers.get("x-amz-object-lock-legal-hold") \
            or bkt.has_default_lock:
        s3_lock.let_moto_through(request)
    return None


def upload_part_copy(call, request, body, region):
    try:
        _check_copy_source(request)
    except S3Error as e:
        return c.answer(e, request)
    return None


def create_multipart_upload(call, request, body, region):
    bkt = _bucket_or_none(call.bucket)
    if bkt is None:
        return None
    try:
        s3_acl.check_write(bkt, request)
        lock = s3_lock.requested(request, bkt)
        algorithm, kind = s3_checksum.upload_settings(request)
    except S3Error as e:
        return c.answer(e, request)
    _pending.multipart = {
        "bucket_key_enabled": (request.headers.get("x-amz-server-side-encryption-bucket-key-enabled") or "").lower()
        or None,
        "website_redirect_location": request.headers.get("x-amz-website-redirect-location"),
        "lock": lock,
        "checksum_algorithm": algorithm,
        "checksum_type": kind,
    }
    return None


# ---------------------------------------------------------------- encryption type of a stored version

def encryption_type(obj):
    """The object's server-side encryption as S3 Batch Operations' MatchAnyObjectEncryption names it: SSE-S3,
    SSE-KMS, DSSE-KMS, SSE-C or NOT-SSE (the SSE-C record is this module's, moto keeps none)."""
    if getattr(obj, "_atrest_sse_c", None):
        return "SSE-C"
    return {"AES256": "SSE-S3", "aws:kms": "SSE-KMS", "aws:kms:dsse": "DSSE-KMS"}.get(obj.encryption, "NOT-SSE")


def complete_multipart_upload(call, request, body, region):
    try:
        bkt = c.bucket(call.bucket)
        wanted = request.headers.get("If-Match")
        if wanted is not None:
            current = c.version(bkt, call.key, None)
            if c.strip_etag(wanted) != c.strip_etag(current.etag):
                raise S3Error(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not "
                                                         "hold", Condition="If-Match")
        multipart = bkt.multiparts.get(request.args.get("uploadId"))
        if multipart is not None:
            s3_checksum.check_complete(multipart, request, body)
    except S3Error as e:
        return c.answer(e, request)
    return None


# ---------------------------------------------------------------- reads and version ids

def check_version(call, request, body, region):
    try:
        c.check_version_id(request.args.get("versionId"))
    except S3Error as e:
        return c.answer(e, request)
    return None


def delete_object(call, request, body, region):
    response = check_version(call, request, body, region)
    if response is None and (request.headers.get("x-amz-bypass-governance-retention") or "").lower() != "true":
        # moto bypasses GOVERNANCE retention whenever the header is there, even "false".
        request.environ.pop("HTTP_X_AMZ_BYPASS_GOVERNANCE_RETENTION", None)
    return response


def read_object(call, request, body, region):
    version_id = request.args.get("versionId")
    try:
        c.check_version_id(version_id)
    except S3Error as e:
        return c.answer(e, request)
    bkt = _bucket_or_none(call.bucket)
    if bkt is None:
        return None
    if version_id is not None and not bkt.is_versioned and request.method == "HEAD":
        # moto answers 400 to HEAD with any versionId in a bucket that never had versioning. Its only version is
        # "null", the object itself; any other well-formed id names no version.
        if version_id != "null":
            return c.error(404, "NoSuchVersion", "The specified version does not exist.", "HEAD")
        query = [p for p in request.environ.get("QUERY_STRING", "").split("&") if p and p != "versionId=null"]
        request.environ["QUERY_STRING"] = "&".join(query)
        version_id = None
    try:
        obj = c.version(bkt, call.key, version_id)
    except S3Error:
        return None  # moto answers absences and delete markers itself
    if getattr(obj, "_atrest_sse_c", None) and not request.headers.get(_SSE_C_ALGORITHM):
        return c.error(400, "InvalidRequest", "The object was stored using a form of Server Side Encryption. The correct "
                                              "parameters must be provided to retrieve the object.", request.method)
    return None


HANDLERS = {
    ("s3", "UpdateObjectEncryption"): update_object_encryption,
    ("s3", "PutObject"): check_put_object,
    ("s3", "CopyObject"): copy_object,
    ("s3", "UploadPartCopy"): upload_part_copy,
    ("s3", "CreateMultipartUpload"): create_multipart_upload,
    ("s3", "CompleteMultipartUpload"): complete_multipart_upload,
    ("s3", "HeadObject"): read_object,
    ("s3", "GetObject"): read_object,
    ("s3", "GetObjectAttributes"): check_version,
    ("s3", "GetObjectTagging"): check_version,
    ("s3", "PutObjectTagging"): check_version,
    ("s3", "DeleteObjectTagging"): check_version,
    ("s3", "DeleteObject"): delete_object,
    ("s3", "GetObjectAcl"): s3_acl.get_object_acl,
    ("s3", "PutObjectAcl"): s3_acl.put_object_acl,
    ("s3", "GetBucketAcl"): s3_acl.get_bucket_acl,
    ("s3", "PutBucketAcl"): s3_acl.check_bucket_acl_write,
    ("s3", "GetObjectRetention"): s3_lock.get_retention,
    ("s3", "PutObjectRetention"): s3_lock.put_retention,
    ("s3", "GetObjectLegalHold"): s3_lock.get_legal_hold,
    ("s3", "PutObjectLegalHold"): s3_lock.put_legal_hold,
    ("s3", "PutBucketEncryption"): s3_encryption.put_bucket_encryption,
    ("s3", "GetBucketEncryption"): s3_encryption.get_bucket_encryption,
    ("s3", "DeleteBucketEncryption"): s3_encryption.delete_bucket_encryption,
}
