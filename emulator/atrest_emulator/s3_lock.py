"""S3 Object Lock (User Guide: "Locking objects with Object Lock", "Configuring Object Lock"; API Reference:
PutObject, CopyObject, CreateMultipartUpload, PutObjectRetention, GetObjectRetention, PutObjectLegalHold,
GetObjectLegalHold, HeadObject) where moto 5.2 departs: it has no GetObjectRetention (the request falls through to
GetObject), answers GetObjectLegalHold of a version that never had one with an empty document, lets
PutObjectRetention shorten or remove a GOVERNANCE retention without x-amz-bypass-governance-retention and change a
COMPLIANCE one at all, answers 500 for a missing key, drops the Object Lock headers of CreateMultipartUpload, applies
no default retention to a completed multipart upload, and asks for Content-MD5 on every PUT to a bucket with a
default retention (CopyObject and CopyObject with lock headers included), while S3 asks for it on PutObject only,
DeleteObject bypasses GOVERNANCE retention whenever x-amz-bypass-governance-retention is sent, even as "false", and
PutObjectLockConfiguration refuses to change the default retention of a bucket that holds objects.

The emulator has no IAM: x-amz-bypass-governance-retention: true is all it takes to bypass GOVERNANCE retention here;
in AWS the caller also needs s3:BypassGovernanceRetention."""
import xml.etree.ElementTree as ET

from werkzeug.wrappers import Response

from . import s3_common as c
from .s3_common import S3Error

_MODES = ("GOVERNANCE", "COMPLIANCE")
_CHECKSUM_HEADERS = frozenset(f"x-amz-checksum-{a}" for a in (
    "crc32", "crc32c", "crc64nvme", "sha1", "sha256", "sha512", "md5", "xxhash64", "xxhash3", "xxhash128"))
_NOT_LOCKED_BUCKET = "Bucket is missing Object Lock Configuration"
_NO_CONFIGURATION = "The specified object does not have a ObjectLock configuration"


def _until(obj):
    return c.parse_time(str(obj.lock_until)) if obj.lock_until else None


def retention_in_force(obj):
    if obj.lock_mode not in _MODES or not obj.lock_until:
        return False
    until = _until(obj)
    return until is None or until > c.now()  # an unreadable date counts as a lock: never unlock by accident


def locked(obj):
    return str(obj.lock_legal_status or "").upper() == "ON" or retention_in_force(obj)


def requested(request, bkt):
    """The Object Lock settings a PutObject, CopyObject or CreateMultipartUpload asks for, checked as S3 checks them:
    {"mode", "until", "legal_hold"} (values or None), or None when it asks for none."""
    mode = request.headers.get("x-amz-object-lock-mode")
    until = request.headers.get("x-amz-object-lock-retain-until-date")
    hold = request.headers.get("x-amz-object-lock-legal-hold")
    if mode is None and until is None and hold is None:
        return None
    if not bkt.object_lock_enabled:
        raise S3Error(400, "InvalidRequest", _NOT_LOCKED_BUCKET)
    if (mode is None) != (until is None):
        raise S3Error(400, "InvalidArgument", "x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must "
                                              "both be supplied")
    if mode is not None and mode not in _MODES:
        raise S3Error(400, "InvalidArgument", "Unknown wormMode directive.", ArgumentName="x-amz-object-lock-mode",
                      ArgumentValue=mode)
    moment = None
    if until is not None:
        moment = c.parse_time(until)
        if moment is None:
            raise S3Error(400, "InvalidArgument", "The retain until date is not a valid date.",
                          ArgumentName="x-amz-object-lock-retain-until-date", ArgumentValue=until)
        if moment <= c.now():
            raise S3Error(400, "InvalidArgument", "The retain until date must be in the future!")
    if hold is not None and hold not in ("ON", "OFF"):
        raise S3Error(400, "InvalidArgument", "Legal Hold must be either of 'ON' or 'OFF'",
                      ArgumentName="x-amz-object-lock-legal-hold", ArgumentValue=hold)
    return {"mode": mode, "until": c.iso(moment) if moment else None, "legal_hold": hold}


def has_checksum(request):
    names = c.header_names(request)
    trailer = (request.headers.get("x-amz-trailer") or "").lower()
    return "content-md5" in names or bool(names & _CHECKSUM_HEADERS) or trailer in _CHECKSUM_HEADERS


def check_put(bkt, request):
    """PutObject with Object Lock parameters, its own or the bucket's default retention, needs an integrity header."""
    settings = requested(request, bkt)
    if (settings or bkt.has_default_lock) and not has_checksum(request):
        raise S3Error(400, "InvalidRequest", "Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object "
                                             "requests with Object Lock parameters")


def let_moto_through(request):
    """moto asks every PUT to a bucket with Object Lock settings for Content-MD5 or x-amz-sdk-checksum-algorithm.
    Once this module has checked what S3 checks, the request gets the algorithm header moto looks for (the one of
    its x-amz-checksum- header, which moto reads only with it; CopyObject reads neither)."""
    environ = request.environ
    if environ.get("HTTP_CONTENT_MD5") or environ.get("HTTP_X_AMZ_SDK_CHECKSUM_ALGORITHM"):
        return
    names = c.header_names(request) & _CHECKSUM_HEADERS
    algorithm = sorted(names)[0][len("x-amz-checksum-"):].upper() if names else "CRC64NVME"
    environ["HTTP_X_AMZ_SDK_CHECKSUM_ALGORITHM"] = algorithm


def _object(call, request, method):
    version_id = request.args.get("versionId")
    c.check_version_id(version_id)
    bkt = c.bucket(call.bucket)
    if not bkt.object_lock_enabled:
        raise S3Error(400, "InvalidRequest", _NOT_LOCKED_BUCKET)
    return c.version(bkt, call.key, version_id, method)


def _version_headers(obj):
    return {"x-amz-version-id": obj.version_id} if obj.version_id and obj.version_id != "null" else {}


def get_retention(call, request, body, region):
    try:
        obj = _object(call, request, "GET")
        if obj.lock_mode not in _MODES or not obj.lock_until:
            raise S3Error(404, "NoSuchObjectLockConfiguration", _NO_CONFIGURATION)
    except S3Error as e:
        return c.answer(e, request)
    until = _until(obj)
    shown = c.iso(until) if until else c.escape(obj.lock_until)
    return c.xml_response(f'<Retention xmlns="{c.XMLNS}"><Mode>{obj.lock_mode}</Mode>'
                          f"<RetainUntilDate>{shown}</RetainUntilDate></Retention>", _version_headers(obj))


def get_legal_hold(call, request, body, region):
    try:
        obj = _object(call, request, "GET")
        if str(obj.lock_legal_status or "").upper() not in ("ON", "OFF"):
            raise S3Error(404, "NoSuchObjectLockConfiguration", _NO_CONFIGURATION)
    except S3Error as e:
        return c.answer(e, request)
    return c.xml_response(f'<LegalHold xmlns="{c.XMLNS}"><Status>{str(obj.lock_legal_status).upper()}</Status>'
                          f"</LegalHold>", _version_headers(obj))


def _document(body, root_name):
    """{child: text} of the request document, whose root must be root_name."""
    try:
        root = ET.fromstring(body or b"")
    except ET.ParseError:
        raise S3Error(400, "MalformedXML", "The XML you provided was not well-formed or did not validate against "
                                           "our published schema")
    local = lambda el: el.tag.rsplit("}", 1)[-1]  # noqa: E731
    if local(root) != root_name:
        raise S3Error(400, "MalformedXML", "The XML you provided was not well-formed or did not validate against "
                                           "our published schema")
    return {local(ch): (ch.text or "").strip() for ch in root}


def put_retention(call, request, body, region):
    """A retention can always be made longer (and GOVERNANCE made COMPLIANCE). A GOVERNANCE retention in force can be
    shortened, removed or made GOVERNANCE again only with x-amz-bypass-governance-retention; a COMPLIANCE one in
    force never: 403 AccessDenied."""
    try:
        obj = _object(call, request, "PUT")
        fields = _document(body, "Retention")
        mode, until_text = fields.get("Mode") or None, fields.get("RetainUntilDate") or None
        if (mode is None) != (until_text is None) or (mode is not None and mode not in _MODES):
            raise S3Error(400, "MalformedXML", "The XML you provided was not well-formed or did not validate against "
                                               "our published schema")
        until = c.parse_time(until_text) if until_text else None
        if until_text and until is None:
            raise S3Error(400, "MalformedXML", "The XML you provided was not well-formed or did not validate against "
                                               "our published schema")
        if until is not None and until <= c.now():
            raise S3Error(400, "InvalidArgument", "The retain until date must be in the future!")
        if retention_in_force(obj):
            current = _until(obj)
            weaker = (mode is None or current is None or until < current
                      or (obj.lock_mode == "COMPLIANCE" and mode == "GOVERNANCE"))
            bypass = (request.headers.get("x-amz-bypass-governance-retention") or "").lower() == "true"
            if weaker and (obj.lock_mode == "COMPLIANCE" or not bypass):
                raise S3Error(403, "AccessDenied", "Access Denied")
    except S3Error as e:
        return c.answer(e, request)
    obj.lock_mode = mode
    obj.lock_until = c.iso(until) if until else None
    return Response(status=200, headers=_version_headers(obj))


def put_legal_hold(call, request, body, region):
    try:
        obj = _object(call, request, "PUT")
        status = _document(body, "LegalHold").get("Status")
        if status not in ("ON", "OFF"):
            raise S3Error(400, "MalformedXML", "The XML you provided was not well-formed or did not validate against "
                                               "our published schema")
    except S3Error as e:
        return c.answer(e, request)
    obj.lock_legal_status = status
    return Response(status=200, headers=_version_headers(obj))


def default_retention(bkt):
    """(mode, until) a new version gets from the bucket's default retention, or (None, None)."""
    if not bkt.has_default_lock:
        return None, None
    return bkt.default_lock_mode, c.iso(c.parse_time(bkt.default_retention()))
