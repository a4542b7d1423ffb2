"""What the S3 extension modules share: S3 errors in S3's wire format, moto's backend and its objects, version ids,
copy sources and time values as S3 reads them."""
import datetime
import email.utils
import re
import uuid
from urllib.parse import parse_qs, unquote, urlparse

from moto.s3.models import FakeDeleteMarker, s3_backends
from werkzeug.wrappers import Response

from . import accounts

# S3 does not publish its version id format. Ids that are "null", moto's UUIDs or S3-shaped (URL-safe base64 of 16
# characters and more) pass; anything else is malformed, which S3 answers with InvalidArgument, not NoSuchVersion.
_VERSION_ID = re.compile(r"^[A-Za-z0-9._+/=-]{16,1024}$")
XMLNS = "http://s3.amazonaws.com/doc/2006-03-01/"


class S3Error(Exception):
    def __init__(self, status, code, message, **extra):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.extra = extra


def request_id():
    return uuid.uuid4().hex[:16].upper()


def error(status, code, message, method="GET", headers=None, **extra):
    request_id = uuid.uuid4().hex[:16].upper()
    all_headers = {"x-amz-request-id": request_id, **(headers or {})}
    if method == "HEAD":
        # HEAD responses carry no body; S3 answers with the status alone.
        return Response(status=status, headers=all_headers)
    fields = "".join(f"<{k}>{escape(v)}</{k}>" for k, v in extra.items())
    xml = (f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code><Message>{escape(message)}</Message>'
           f"{fields}<RequestId>{request_id}</RequestId></Error>")
    return Response(xml, status=status, headers=all_headers, mimetype="application/xml")


def answer(e, request):
    return error(e.status, e.code, e.message, request.method, **e.extra)


def xml_response(xml, headers=None):
    all_headers = {"x-amz-request-id": uuid.uuid4().hex[:16].upper(), **(headers or {})}
    return Response('<?xml version="1.0" encoding="UTF-8"?>\n' + xml, status=200, headers=all_headers,
                    mimetype="application/xml")


def escape(value):
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def backend():
    # The caller's account: moto finds another account's bucket from there (cross-account access is on by default).
    return s3_backends[accounts.current()]["aws"]


def bucket(name):
    try:
        return backend().get_bucket(name)
    except Exception:  # moto's MissingBucket
        raise S3Error(404, "NoSuchBucket", "The specified bucket does not exist", BucketName=name)


def check_version_id(version_id):
    """Raises S3's InvalidArgument for a malformed version id; None and well-formed ids pass."""
    if version_id is None:
        return
    if version_id == "":
        raise S3Error(400, "InvalidArgument", "Version id cannot be the empty string", ArgumentName="versionId",
                      ArgumentValue="")
    if version_id != "null" and not _VERSION_ID.match(version_id):
        raise S3Error(400, "InvalidArgument", "Invalid version id specified", ArgumentName="versionId",
                      ArgumentValue=version_id)


def version(bkt, key_name, version_id, method="GET"):
    """The named version (the current one without version_id); delete markers and absences as S3 errors."""
    versions = bkt.keys.getlist(key_name, [])
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
                      Method=method, ResourceType="DeleteMarker")
    return obj


def strip_etag(value):
    return (value or "").strip().strip('"')


def copy_source(request):
    """(bucket, key, version id) of x-amz-copy-source, or (None, None, None) when it names no object."""
    source = request.headers.get("x-amz-copy-source", "")
    parsed = urlparse(source)
    path = unquote(parsed.path).lstrip("/")
    if "/" not in path:
        return None, None, None
    bkt, key = path.split("/", 1)
    version_id = parse_qs(parsed.query, keep_blank_values=True).get("versionId", [None])[0]
    return bkt, key, version_id


def parse_time(value):
    """An HTTP date (RFC 7231) or ISO 8601 time as an aware datetime; None when it is neither."""
    if not value:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        try:
            parsed = datetime.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.timezone.utc)
    return parsed


def iso(moment):
    """S3's ISO 8601 form, as moto's own parsers read it back: 2030-01-01T00:00:00.000Z."""
    moment = moment.astimezone(datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def now():
    return datetime.datetime.now(datetime.timezone.utc)


def last_modified(obj):
    moment = obj.last_modified
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return moment.replace(microsecond=0)


def header_names(request):
    return {name.lower() for name in request.headers.keys()}
