"""IAM enforcement for every signed request, in one place, with moto's own evaluation.

moto enforces IAM once INITIAL_NO_AUTH_ACTION_COUNT requests have been served (an environment variable read when
the server starts; POST /moto-api/reset-auth <n> sets it again and restarts the count). Its check runs inside
moto's response classes (moto.core.authorization: the caller's access key, its user or assumed role, their inline
and attached policies, evaluated by moto.iam.access_control). What it does not do, and this module does:

- Requests an extension answers never reach moto's responses, so moto never checks them (S3
  UpdateObjectEncryption, the S3 Control job APIs, KMS DescribeKey/ListKeys/CreateKey/rotation, EC2
  DescribeVolumes/DescribeSnapshots/GetEbsDefaultKmsKeyId, Security Hub BatchImportFindings/GetFindings).
- Outside S3, IAM, STS and SQS, moto checks every action against the resource "*": a statement whose Resource is a
  key, topic, volume or file system ARN never matches, so a correctly scoped policy is denied.
- moto's S3 actions come from its own table, which differs from AWS: GetBucketEncryption is checked as
  s3:ListBucket, CopyObject as s3:PutObject only (no read of the source), UpdateObjectEncryption, Put/
  GetObjectRetention and LegalHold as s3:PutObject/GetObject, tagging of a version as s3:GetObjectVersion.
- The Resource Groups Tagging API is signed for "tagging", so moto asks for tagging:GetResources; its IAM prefix
  is tag.
- A denial is an XML ErrorResponse without the error type header even for JSON services, so SDKs see no error code.

So for the services atrest calls, every request is authorised here before the fault layer and the extensions: the
IAM actions and resource ARNs each operation needs, as the Service Authorization Reference and the API Reference
name them (_RULES below), are checked through moto's IAMRequest/S3IAMRequest (the same
signature check, access key lookup and policy evaluation), and moto's own check is skipped for that request so it
cannot contradict the decision. IAM, STS, SQS and any operation without a rule here are left to moto as before.
Requests are counted against INITIAL_NO_AUTH_ACTION_COUNT exactly once, here or in moto.

- A missing object: S3 answers HeadObject and GetObject of a key that does not exist with 404 only when the caller
  also has s3:ListBucket on the bucket, and with 403 AccessDenied otherwise (HeadObject and GetObject API Reference,
  "Permissions"). moto always answers 404: here the caller's s3:ListBucket is evaluated with the request and a 404
  becomes the 403 S3 gives (hidden_absence, called by app.py).

What moto's evaluation does not model, and so neither does this (tests check these statically):
- Condition blocks are not evaluated: a statement's conditions are treated as met (kms:ViaService,
  aws:TagKeys, aws:SourceArn, aws:SourceAccount, aws:ResourceTag/..., s3:RequestObjectTagKeys...).
- Resource-based policies (bucket, key, queue and topic policies) and permission boundaries are not evaluated; a
  trust policy naming a Service principal makes AssumeRole fail with a 500 (moto indexes Principal["AWS"]).
- Calls a service makes with the caller's credentials (S3 using KMS for SSE-KMS, kms:ViaService) are not made.
- Wildcards: "*" matches any run of characters, "?" is not supported; NotResource is not supported.
"""
import base64
import json
import re
import threading
import xml.etree.ElementTree as ET
from functools import lru_cache
from urllib.parse import parse_qs, unquote, urlsplit

from moto import settings
from moto.core.authorization import ActionAuthenticatorMixin
from moto.core.exceptions import ServiceException
from moto.iam.access_control import IAMRequest, S3IAMRequest
from moto.iam.policy_validation import SERVICE_TYPE_REGION_INFORMATION_ERROR_ASSOCIATIONS
from werkzeug.exceptions import HTTPException

from . import accounts, faults

# Services whose every request is decided here; the rest (IAM, STS, SQS, ...) are left to moto.
SERVICES = frozenset({"s3", "s3control", "kms", "ec2", "elasticfilesystem", "securityhub", "sns", "tagging"})
# How each service says "denied", as its SDKs parse it (code, HTTP status).
DENIED = {"s3": ("AccessDenied", 403), "s3control": ("AccessDenied", 403), "kms": ("AccessDeniedException", 400),
          "ec2": ("UnauthorizedOperation", 403), "sns": ("AuthorizationError", 403),
          "securityhub": ("AccessDeniedException", 403), "elasticfilesystem": ("AccessDeniedException", 403),
          "tagging": ("AccessDeniedException", 400)}

_state = threading.local()
# WSGI environ key of what was decided for an enforced request: {"principal": ARN, "actions": [IAM actions]}, which
# the request log records.
DECISION = "atrest.authorization"
# WSGI environ key: whether the caller of an object read may list its bucket (True/False; unset when not evaluated).
LIST_BUCKET = "atrest.authorization.list_bucket"
# Reads whose answer for a missing key depends on s3:ListBucket (their API Reference, "Permissions").
_ABSENCE_NEEDS_LIST = frozenset({"HeadObject", "GetObject", "GetObjectAttributes"})


# ---------------------------------------------------------------- the switch moto already has

def enforcing():
    """True once moto's allowance of unauthenticated requests (INITIAL_NO_AUTH_ACTION_COUNT) is used up."""
    return ActionAuthenticatorMixin.request_count >= settings.INITIAL_NO_AUTH_ACTION_COUNT


def _patch_moto():
    if getattr(ActionAuthenticatorMixin, "_atrest_patched", False):
        return
    original = ActionAuthenticatorMixin._authenticate_and_authorize_action

    def authenticate_and_authorize(self, iam_request_cls, resource="*"):
        if getattr(_state, "decided", False):
            return  # authorised (and counted) by authorize() for this request
        return original(self, iam_request_cls, resource)

    ActionAuthenticatorMixin._authenticate_and_authorize_action = authenticate_and_authorize
    ActionAuthenticatorMixin._atrest_patched = True


_patch_moto()

# moto's policy validator refuses every S3 ARN with a Region but an access point's; a Batch Operations job's ARN
# (arn:aws:s3:<region>:<account>:job/<id>, Service Authorization Reference) has one too.
_S3_REGIONAL = SERVICE_TYPE_REGION_INFORMATION_ERROR_ASSOCIATIONS["s3"].setdefault("valid_starting_values", [])
if "job/" not in _S3_REGIONAL:
    _S3_REGIONAL.append("job/")


# ---------------------------------------------------------------- moto's evaluation, for named actions

class _Checked:
    def check(self, action, resource):
        # moto derives the action from the signing name and the operation; ours is the documented one.
        self._action = action
        self.check_action_permitted(resource)


class _ServiceRequest(_Checked, IAMRequest):
    pass


class _S3Request(_Checked, S3IAMRequest):
    pass


class Denied(Exception):
    def __init__(self, principal, action, resource):
        super().__init__(f"User: {principal} is not authorized to perform: {action} on resource: {resource} because "
                         f"no identity-based policy allows the {action} action")


# ---------------------------------------------------------------- entry points for app.py

def authorize(call, request, body, region):
    """None when the request may go on (to the faults, the extensions, moto), else the error response. Leaves the
    decision to moto (and returns None) for services and operations without a rule here."""
    _state.decided = False
    if call.service not in SERVICES or settings.INITIAL_NO_AUTH_ACTION_COUNT == float("inf"):
        return None  # moto decides (without IAM enforced: lets everything through)
    account = _account(request)
    needs = required(call, request, body, region or "us-east-1", account)
    if needs is None:
        return None
    _state.decided = True
    if not enforcing():
        ActionAuthenticatorMixin.request_count += 1
        return None
    try:
        _check(call, request, body, account, needs)
    except Denied as e:
        code, status = DENIED[call.service]
        return faults.error_response(call.service, request, status, code, str(e))
    except HTTPException as e:
        # A bad signature or an unknown access key, as moto reports them for its own services.
        return faults.error_response(call.service, request, e.code, e.error_type, e.message)
    except ServiceException as e:
        # The same for S3, whose errors moto raises as service exceptions.
        return faults.error_response(call.service, request, 400 if e.code == "InvalidToken" else 403, e.code,
                                     e.message)
    return None


def done():
    _state.decided = False


def _account(request):
    """The account moto would serve the request from (BaseResponse.get_current_account): accounts.py, bound by the
    app for this request."""
    return accounts.current()


def _check(call, request, body, account, needs):
    """Raises Denied, or moto's own error for a bad signature or an unknown access key. Only requests with a SigV4
    Authorization header get here (app._scope names no service for the others)."""
    s3_signed = call.service in ("s3", "s3control")
    raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI") or request.full_path
    parts = urlsplit(raw)
    # S3 signs the path as sent; the other services' signers encode the decoded path themselves.
    path = (parts.path if s3_signed else unquote(parts.path)) + (f"?{parts.query}" if parts.query else "")
    cls = _S3Request if s3_signed else _ServiceRequest
    data = {"BucketName": call.bucket} if s3_signed and call.bucket else {}
    checked = cls(account_id=account, method=request.method, path=path, data=data, body=body,
                  headers=dict(request.headers), action=call.operation)
    checked.check_signature()
    # moto keeps the caller's identity on its access key object (user or assumed-role session ARN).
    request.environ[DECISION] = {"principal": checked._access_key.arn, "actions": [a for a, _ in needs]}
    for action, resource in needs:
        try:
            checked.check(action, resource)
        except (HTTPException, ServiceException):
            # moto's denial names the principal but not the resource; AWS's message names both.
            raise Denied(checked._access_key.arn, action, resource)
    if call.service == "s3" and call.operation in _ABSENCE_NEEDS_LIST and "versionId" not in request.args:
        try:
            checked.check("s3:ListBucket", f"arn:aws:s3:::{call.bucket}")
            request.environ[LIST_BUCKET] = True
        except (HTTPException, ServiceException):
            request.environ[LIST_BUCKET] = False


def hidden_absence(environ, status, headers):
    """(status line, headers, body) of the 403 S3 answers instead of a 404 for a missing object when the caller may
    not list the bucket (a delete marker's answer is left as it is), or None."""
    if environ.get(LIST_BUCKET) is not False or status != 404:
        return None
    if any(k.lower() == "x-amz-delete-marker" for k, _ in headers):
        return None
    body = b"" if environ.get("REQUEST_METHOD") == "HEAD" else (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message>'
        b"</Error>")
    kept = [(k, v) for k, v in headers if k.lower() not in ("content-length", "content-type")]
    return "403 Forbidden", kept + [("Content-Type", "application/xml"), ("Content-Length", str(len(body)))], body


# ---------------------------------------------------------------- actions and resources per operation

def required(call, request, body, region, account):
    """[(IAM action, resource ARN)] the request needs, or None to leave it to moto."""
    rule = _RULES.get(call.service)
    if rule is None:
        return None
    return rule(call, request, body, region, account)


def _json(body):
    try:
        value = json.loads(body or b"{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _form(body):
    return {k: v[0] for k, v in parse_qs((body or b"").decode("utf-8", "replace")).items()}


# S3 -----------------------------------------------------------------------------------------------------------

# Object operations: (action, action when the request names a version).
_S3_OBJECT = {
    "GetObject": ("s3:GetObject", "s3:GetObjectVersion"),
    "HeadObject": ("s3:GetObject", "s3:GetObjectVersion"),
    "GetObjectTagging": ("s3:GetObjectTagging", "s3:GetObjectVersionTagging"),
    "PutObjectTagging": ("s3:PutObjectTagging", "s3:PutObjectVersionTagging"),
    "DeleteObjectTagging": ("s3:DeleteObjectTagging", "s3:DeleteObjectVersionTagging"),
    "GetObjectAcl": ("s3:GetObjectAcl", "s3:GetObjectVersionAcl"),
    "PutObjectAcl": ("s3:PutObjectAcl", "s3:PutObjectVersionAcl"),
    "DeleteObject": ("s3:DeleteObject", "s3:DeleteObjectVersion"),
    "GetObjectRetention": ("s3:GetObjectRetention", "s3:GetObjectRetention"),
    "PutObjectRetention": ("s3:PutObjectRetention", "s3:PutObjectRetention"),
    "GetObjectLegalHold": ("s3:GetObjectLegalHold", "s3:GetObjectLegalHold"),
    "PutObjectLegalHold": ("s3:PutObjectLegalHold", "s3:PutObjectLegalHold"),
    "UpdateObjectEncryption": ("s3:UpdateObjectEncryption", "s3:UpdateObjectEncryption"),
    "AbortMultipartUpload": ("s3:AbortMultipartUpload", "s3:AbortMultipartUpload"),
    "ListParts": ("s3:ListMultipartUploadParts", "s3:ListMultipartUploadParts"),
    "UploadPart": ("s3:PutObject", "s3:PutObject"),
    "CompleteMultipartUpload": ("s3:PutObject", "s3:PutObject"),
}
_S3_BUCKET = {
    "ListObjects": "s3:ListBucket", "ListObjectsV2": "s3:ListBucket", "HeadBucket": "s3:ListBucket",
    "ListObjectVersions": "s3:ListBucketVersions", "ListMultipartUploads": "s3:ListBucketMultipartUploads",
    "CreateBucket": "s3:CreateBucket", "DeleteBucket": "s3:DeleteBucket",
    "GetBucketEncryption": "s3:GetEncryptionConfiguration", "PutBucketEncryption": "s3:PutEncryptionConfiguration",
    "DeleteBucketEncryption": "s3:PutEncryptionConfiguration",
    "GetBucketVersioning": "s3:GetBucketVersioning", "PutBucketVersioning": "s3:PutBucketVersioning",
    "GetBucketLocation": "s3:GetBucketLocation",
    "GetBucketAcl": "s3:GetBucketAcl", "PutBucketAcl": "s3:PutBucketAcl",
    "GetBucketPolicy": "s3:GetBucketPolicy", "PutBucketPolicy": "s3:PutBucketPolicy",
    "DeleteBucketPolicy": "s3:DeleteBucketPolicy",
    "GetBucketTagging": "s3:GetBucketTagging", "PutBucketTagging": "s3:PutBucketTagging",
    "DeleteBucketTagging": "s3:PutBucketTagging",
    "GetBucketNotification": "s3:GetBucketNotification", "PutBucketNotification": "s3:PutBucketNotification",
    "GetBucketObjectLock": "s3:GetBucketObjectLockConfiguration",
    "PutBucketObjectLock": "s3:PutBucketObjectLockConfiguration",
    "GetBucketOwnershipControls": "s3:GetBucketOwnershipControls",
    "PutBucketOwnershipControls": "s3:PutBucketOwnershipControls",
    "DeleteBucketOwnershipControls": "s3:PutBucketOwnershipControls",
}
# Query parameters that do not name a subresource. A bucket request with any other parameter is one classify()
# does not know (lifecycle, cors, inventory...): it is left to moto rather than mistaken for ListObjects.
_S3_PLAIN_QUERY = frozenset({
    "list-type", "prefix", "delimiter", "max-keys", "marker", "continuation-token", "start-after", "fetch-owner",
    "encoding-type", "key-marker", "version-id-marker", "upload-id-marker", "max-uploads", "x-id", "bucket-region",
    "max-buckets", "optional-object-attributes", "encryption", "versioning", "notification", "tagging",
    "versions", "object-lock", "policy", "uploads", "location", "acl", "ownershipControls",
})
_ACL_HEADERS = ("x-amz-acl", "x-amz-grant-read", "x-amz-grant-read-acp", "x-amz-grant-write-acp",
                "x-amz-grant-full-control")


def _s3_write_extras(request, arn):
    """What a write's headers ask for besides s3:PutObject (PutObject API Reference, "Permissions"): tags, an ACL,
    Object Lock retention and legal hold are each authorised with their own action."""
    extras = []
    if request.headers.get("x-amz-tagging"):
        extras.append(("s3:PutObjectTagging", arn))
    if any(request.headers.get(h) for h in _ACL_HEADERS):
        extras.append(("s3:PutObjectAcl", arn))
    if request.headers.get("x-amz-object-lock-mode") or request.headers.get("x-amz-object-lock-retain-until-date"):
        extras.append(("s3:PutObjectRetention", arn))
    if request.headers.get("x-amz-object-lock-legal-hold"):
        extras.append(("s3:PutObjectLegalHold", arn))
    return extras


def _copy_source(request):
    """(ARN of the source object, whether a version is named) from x-amz-copy-source, or None."""
    source = request.headers.get("x-amz-copy-source")
    if not source:
        return None
    path, _, query = unquote(source).partition("?versionId=")
    return f"arn:aws:s3:::{path.lstrip('/')}", bool(query)


def _s3(call, request, body, region, account):
    op = call.operation
    if call.bucket is None:
        return [("s3:ListAllMyBuckets", "*")] if op == "ListBuckets" else None
    bucket_arn = f"arn:aws:s3:::{call.bucket}"
    if call.key is None:
        if set(request.args) - _S3_PLAIN_QUERY or op not in _S3_BUCKET:
            return None
        return [(_S3_BUCKET[op], bucket_arn)]
    arn = f"{bucket_arn}/{call.key}"
    versioned = "versionId" in request.args
    bypass = [("s3:BypassGovernanceRetention", arn)] \
        if (request.headers.get("x-amz-bypass-governance-retention") or "").lower() == "true" else []
    if op in ("CopyObject", "UploadPartCopy"):
        source = _copy_source(request)
        if source is None:
            return None
        read = [("s3:GetObjectVersion" if source[1] else "s3:GetObject", source[0])]
        return read + [("s3:PutObject", arn)] + (_s3_write_extras(request, arn) if op == "CopyObject" else [])
    if op in ("PutObject", "CreateMultipartUpload"):
        return [("s3:PutObject", arn)] + _s3_write_extras(request, arn)
    if op == "GetObjectAttributes":
        return [("s3:GetObjectVersion", arn), ("s3:GetObjectVersionAttributes", arn)] if versioned \
            else [("s3:GetObject", arn), ("s3:GetObjectAttributes", arn)]
    if op in _S3_OBJECT:
        plain, version = _S3_OBJECT[op]
        extra = bypass if op in ("DeleteObject", "PutObjectRetention") else []
        return [(version if versioned else plain, arn)] + extra
    return None


# S3 Control (Batch Operations jobs) -------------------------------------------------------------------------

_JOB = re.compile(r"^/v20180820/jobs/([^/]+)")
_S3CONTROL_JOBS = {"DescribeJob": "s3:DescribeJob", "UpdateJobStatus": "s3:UpdateJobStatus",
                   "UpdateJobPriority": "s3:UpdateJobPriority", "GetJobTagging": "s3:GetJobTagging",
                   "PutJobTagging": "s3:PutJobTagging", "DeleteJobTagging": "s3:DeleteJobTagging"}


def _s3control(call, request, body, region, account):
    job_account = request.headers.get("x-amz-account-id") or account
    if call.operation == "CreateJob":
        # CreateJob hands the job its role: iam:PassRole on it (S3 User Guide, "Granting permissions for Batch
        # Operations").
        needs = [("s3:CreateJob", "*")]
        role = _xml_text(body, "RoleArn")
        if role:
            needs.append(("iam:PassRole", role))
        return needs
    if call.operation == "ListJobs":
        return [("s3:ListJobs", "*")]
    if call.operation in _S3CONTROL_JOBS:
        match = _JOB.match(request.path)
        job = match.group(1) if match else "*"
        return [(_S3CONTROL_JOBS[call.operation], f"arn:aws:s3:{region}:{job_account}:job/{job}")]
    return None


def _xml_text(body, name):
    try:
        root = ET.fromstring(body or b"")
    except ET.ParseError:
        return None
    for element in root.iter():
        if element.tag.rsplit("}", 1)[-1] == name:
            return (element.text or "").strip()
    return None


# KMS --------------------------------------------------------------------------------------------------------

def _key_arn(key_ref, region, account):
    """The ARN of the key a KeyId names (key id, key ARN, alias name or alias ARN): KMS authorises on the key, never
    on the alias. None when an alias names no key (KMS then answers NotFoundException)."""
    from moto.kms.models import kms_backends
    if key_ref.startswith("arn:"):
        fields = key_ref.split(":", 5)
        if len(fields) < 6:
            return key_ref
        region, account, rest = fields[3], fields[4], fields[5]
        if rest.startswith("key/"):
            return key_ref
        key_ref = rest
    if not key_ref.startswith("alias/"):
        return f"arn:aws:kms:{region}:{account}:key/{key_ref}"
    backend = kms_backends[account][region]
    key_id = next((k.id for k in list(backend.keys.values()) if key_ref in k.aliases), None)
    return f"arn:aws:kms:{region}:{account}:key/{key_id}" if key_id else None


def _ciphertext_key(blob, region, account):
    from moto.kms.utils import _deserialize_ciphertext_blob
    try:
        key_id = _deserialize_ciphertext_blob(base64.b64decode(blob)).key_id
    except Exception:  # noqa: BLE001 - a blob of no key: nothing to authorise, KMS answers InvalidCiphertextException
        return None
    return f"arn:aws:kms:{region}:{account}:key/{key_id}"


def _kms(call, request, body, region, account):
    params = _json(body)
    op = call.operation
    action = f"kms:{op}"
    if op == "ReEncrypt":
        source = (_key_arn(params["SourceKeyId"], region, account) if params.get("SourceKeyId")
                  else _ciphertext_key(params.get("CiphertextBlob"), region, account))
        destination = _key_arn(params.get("DestinationKeyId") or "", region, account)
        return [(a, r) for a, r in (("kms:ReEncryptFrom", source), ("kms:ReEncryptTo", destination)) if r]
    if op == "Decrypt" and not params.get("KeyId"):
        key = _ciphertext_key(params.get("CiphertextBlob"), region, account)
        return [(action, key)] if key else []
    if op in ("CreateAlias", "UpdateAlias", "DeleteAlias"):
        alias = params.get("AliasName", "")
        needs = [(action, f"arn:aws:kms:{region}:{account}:{alias}")]
        target = params.get("TargetKeyId") or (_key_arn(alias, region, account) if op == "DeleteAlias" else None)
        key = _key_arn(target, region, account) if target else None
        return needs + ([(action, key)] if key else [])
    if params.get("KeyId"):
        key = _key_arn(params["KeyId"], region, account)
        return [(action, key)] if key else []
    return [(action, "*")]


# EC2 --------------------------------------------------------------------------------------------------------

_EC2_RESOURCE_TYPES = {"vol": "volume", "snap": "snapshot", "i": "instance", "ami": "image", "sg": "security-group",
                       "subnet": "subnet", "vpc": "vpc", "eni": "network-interface"}
_EC2_UNOWNED = {"snapshot", "image"}  # their ARNs carry no account


def _ec2(call, request, body, region, account):
    params = _form(body) if request.method == "POST" else {k: v for k, v in request.args.items()}
    action = f"ec2:{call.operation}"
    if call.operation in ("CreateTags", "DeleteTags"):
        ids = [v for k, v in params.items() if re.fullmatch(r"ResourceId\.\d+", k)]
        needs = []
        for resource_id in ids:
            kind = _EC2_RESOURCE_TYPES.get(resource_id.split("-", 1)[0])
            owner = "" if kind in _EC2_UNOWNED else account
            needs.append((action, f"arn:aws:ec2:{region}:{owner}:{kind}/{resource_id}" if kind else "*"))
        return needs or [(action, "*")]
    return [(action, "*")]


# REST services: EFS, Security Hub --------------------------------------------------------------------------

@lru_cache(maxsize=None)
def _rest_operations(service):
    """[(method, compiled path pattern, operation name, URI parameter names)] of a REST service's model."""
    import botocore.session
    model = botocore.session.get_session().get_service_model(service)
    found = []
    for name in model.operation_names:
        http = model.operation_model(name).http
        uri = http["requestUri"].split("?", 1)[0]
        names = re.findall(r"\{([^}+]+)\+?\}", uri)
        pattern = re.escape(uri)
        pattern = re.sub(r"\\\{[^}]+\\\+\\\}", "(.+)", pattern)
        pattern = re.sub(r"\\\{[^}]+\\\}", "([^/]+)", pattern)
        found.append((http["method"], re.compile(f"^{pattern}/?$"), name, names))
    # The most specific pattern first: /findings/import before /findings.
    found.sort(key=lambda item: -len(item[1].pattern))
    return found


def _rest_operation(service, method, path):
    for op_method, pattern, name, names in _rest_operations(service):
        match = pattern.match(path)
        if op_method == method and match:
            return name, dict(zip(names, (unquote(v) for v in match.groups())))
    return None, {}


def _efs(call, request, body, region, account):
    op, uri = _rest_operation("efs", request.method, request.path)
    if op is None:
        return None
    resource = uri.get("FileSystemId") or uri.get("ResourceId") or request.args.get("FileSystemId")
    if resource and resource.startswith("fsap-"):
        arn = f"arn:aws:elasticfilesystem:{region}:{account}:access-point/{resource}"
    elif resource:
        arn = f"arn:aws:elasticfilesystem:{region}:{account}:file-system/{resource}"
    else:
        arn = "*"
    return [(f"elasticfilesystem:{op}", arn)]


def _securityhub(call, request, body, region, account):
    op, _ = _rest_operation("securityhub", request.method, request.path)
    if op is None:
        return None
    action = f"securityhub:{op}"
    if op == "BatchImportFindings":
        # Authorised on each finding's product (Service Authorization Reference: resource type product).
        products = sorted({f.get("ProductArn") for f in _json(body).get("Findings") or []
                           if isinstance(f, dict) and f.get("ProductArn")})
        return [(action, p) for p in products] or [(action, "*")]
    return [(action, f"arn:aws:securityhub:{region}:{account}:hub/default")]


# SNS, Resource Groups Tagging --------------------------------------------------------------------------------

_SNS_TOPIC_OPERATIONS = frozenset({"Publish", "PublishBatch", "Subscribe", "DeleteTopic", "GetTopicAttributes",
                                   "SetTopicAttributes", "ListSubscriptionsByTopic", "CreateTopic"})


def _sns(call, request, body, region, account):
    params = _form(body)
    action = f"sns:{call.operation}"
    if call.operation not in _SNS_TOPIC_OPERATIONS:
        return [(action, "*")]
    topic = params.get("TopicArn") or params.get("TargetArn")
    if call.operation == "CreateTopic" and params.get("Name"):
        topic = f"arn:aws:sns:{region}:{account}:{params['Name']}"
    return [(action, topic or "*")]


def _tagging(call, request, body, region, account):
    return [(f"tag:{call.operation}", "*")]


_RULES = {"s3": _s3, "s3control": _s3control, "kms": _kms, "ec2": _ec2, "elasticfilesystem": _efs,
          "securityhub": _securityhub, "sns": _sns, "tagging": _tagging}
