"""Names the AWS operation of a request, for the request log and for extensions to match on."""
import re
from dataclasses import dataclass
from urllib.parse import parse_qs


@dataclass(frozen=True)
class Call:
    service: str | None
    operation: str
    bucket: str | None = None
    key: str | None = None


def classify(service, environ, body):
    method = environ.get("REQUEST_METHOD", "GET")
    path = environ.get("PATH_INFO", "")
    query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    target = environ.get("HTTP_X_AMZ_TARGET")
    if target:
        return Call(service, target.split(".")[-1])
    if environ.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded") and body:
        form = parse_qs(body.decode("utf-8", "replace"))
        if "Action" in form:
            return Call(service, form["Action"][0])
    if service == "s3" and path.startswith("/v20180820/"):
        # S3 Control is signed for "s3" too; moto routes it by this path prefix, and so does the log.
        return _s3control(method, path)
    if service == "s3":
        return _s3(method, path, query, environ)
    if (service, method, path) in _REST_JSON:
        return Call(service, _REST_JSON[(service, method, path)])
    return Call(service, f"{method} {path}")


_S3CONTROL_JOB_OPERATIONS = {
    ("POST", ""): "CreateJob", ("GET", ""): "ListJobs", ("GET", "/"): "DescribeJob",
    ("POST", "/status"): "UpdateJobStatus", ("POST", "/priority"): "UpdateJobPriority",
    ("GET", "/tagging"): "GetJobTagging", ("PUT", "/tagging"): "PutJobTagging",
    ("DELETE", "/tagging"): "DeleteJobTagging",
}
_S3CONTROL_JOB_PATH = re.compile(r"^/v20180820/jobs(?:(/)[^/]+(/status|/priority|/tagging)?)?$")


def _s3control(method, path):
    match = _S3CONTROL_JOB_PATH.match(path)
    operation = None
    if match:
        sub = (match.group(2) or match.group(1) or "")
        operation = _S3CONTROL_JOB_OPERATIONS.get((method, sub))
    return Call("s3control", operation or f"{method} {path}")


# REST-JSON operations an extension answers, named by their HTTP binding in the service model.
_REST_JSON = {("account", "POST", "/listRegions"): "ListRegions"}


def _s3(method, path, query, environ):
    # Path-style only: /bucket[/key]. PATH_INFO is percent-decoded by the WSGI server and, as PEP 3333 says,
    # carried as latin-1-decoded bytes; S3 keys are UTF-8.
    try:
        path = path.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        pass
    parts = path.lstrip("/").split("/", 1)
    bucket = parts[0] or None
    key = parts[1] if len(parts) > 1 and parts[1] != "" else None
    q = set(query)
    if key is None:
        sub = next((s for s in ("encryption", "versioning", "notification", "tagging", "versions",
                                "object-lock", "policy", "uploads", "location", "delete", "acl",
                                "ownershipControls")
                    if s in q), None)
        if method == "GET" and sub is None:
            op = "ListObjectsV2" if query.get("list-type") == ["2"] else ("ListBuckets" if bucket is None else "ListObjects")
        elif method == "HEAD":
            op = "HeadBucket"
        elif sub == "delete":
            op = "DeleteObjects"
        elif sub == "versions":
            op = "ListObjectVersions"
        elif sub == "uploads":
            op = "ListMultipartUploads"
        elif sub is not None:
            verb = {"GET": "Get", "PUT": "Put", "DELETE": "Delete"}.get(method, method)
            op = f"{verb}Bucket{_title(sub)}"
        else:
            op = {"PUT": "CreateBucket", "DELETE": "DeleteBucket"}.get(method, f"{method} bucket")
        return Call("s3", op, bucket, None)
    copy = "HTTP_X_AMZ_COPY_SOURCE" in environ
    if method == "PUT" and "encryption" in q:
        op = "UpdateObjectEncryption"
    elif method == "PUT" and "partNumber" in q:
        op = "UploadPartCopy" if copy else "UploadPart"
    elif method == "PUT" and "tagging" in q:
        op = "PutObjectTagging"
    elif method == "PUT" and "retention" in q:
        op = "PutObjectRetention"
    elif method == "PUT" and "legal-hold" in q:
        op = "PutObjectLegalHold"
    elif method == "PUT" and "acl" in q:
        op = "PutObjectAcl"
    elif method == "PUT":
        op = "CopyObject" if copy else "PutObject"
    elif method == "POST" and "uploads" in q:
        op = "CreateMultipartUpload"
    elif method == "POST" and "uploadId" in q:
        op = "CompleteMultipartUpload"
    elif method == "DELETE" and "uploadId" in q:
        op = "AbortMultipartUpload"
    elif method == "DELETE":
        op = "DeleteObjectTagging" if "tagging" in q else "DeleteObject"
    elif method == "HEAD":
        op = "HeadObject"
    elif method == "GET" and "tagging" in q:
        op = "GetObjectTagging"
    elif method == "GET" and "attributes" in q:
        op = "GetObjectAttributes"
    elif method == "GET" and "acl" in q:
        op = "GetObjectAcl"
    elif method == "GET" and "retention" in q:
        op = "GetObjectRetention"
    elif method == "GET" and "legal-hold" in q:
        op = "GetObjectLegalHold"
    elif method == "GET" and "uploadId" in q:
        op = "ListParts"
    elif method == "GET":
        op = "GetObject"
    else:
        op = f"{method} object"
    return Call("s3", op, bucket, key)


def _title(sub):
    return "".join(p[:1].upper() + p[1:] for p in sub.split("-"))
