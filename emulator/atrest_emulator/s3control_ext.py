"""S3 Batch Operations job APIs of S3 Control, which moto 5.2 does not have (the job engine is s3batch.py).

Wire format: REST-XML exactly as botocore's service model (s3control 2018-08-20) and the AWS SDK for Java v2 send
and parse it: POST/GET /v20180820/jobs, GET /v20180820/jobs/{id}, POST .../status, POST .../priority,
GET/PUT/DELETE .../tagging, the account in the x-amz-account-id header. Requests are parsed with botocore's own
rest-xml parser against the operation's input shape and answers are written from the output shapes, so every
member (unions, lists, maps, timestamps) has the element names the SDKs expect. Errors are
<ErrorResponse><Error><Code/><Message/></Error><RequestId/></ErrorResponse>.

Clients: every job operation's endpoint rule puts the account id in front of the host ({AccountId}.{host}), so
with an endpoint override of http://127.0.0.1:PORT the SDKs call 123456789012.127.0.0.1, which does not resolve.
SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION does not change that (the label comes from the endpoint
rules, not the hostPrefix trait). A Java S3ControlClient needs an endpoint provider that resolves with
RequiresAccountId unset:
    S3ControlEndpointProvider rules = S3ControlEndpointProvider.defaultProvider();
    builder.endpointOverride(URI.create(url))
           .endpointProvider(p -> rules.resolveEndpoint(p.toBuilder().requiresAccountId(false).build()));
boto3 clients made by fixtures.client("s3control") drop the label in a before-call hook. Requests reach this
module because moto itself routes /v20180820/ paths to S3 Control; they are signed for service "s3" and logged as
service "s3control".

Documented behaviour followed (S3 API Reference: CreateJob, DescribeJob, ListJobs, UpdateJobStatus,
UpdateJobPriority, Get/Put/DeleteJobTagging, JobManifestGeneratorFilter, ObjectEncryptionFilter, JobReport;
User Guide: "Tracking job status and completion reports", "Examples: S3 Batch Operations completion reports",
"Examples: Tracking an S3 Batch Operations job in Amazon EventBridge through AWS CloudTrail", "Update object
encryption"; EventBridge User Guide: "AWS service events delivered via AWS CloudTrail"):
- CreateJob validates RoleArn (arn:...:iam::<12 digits>:role/...), Priority (0..2147483647), ClientRequestToken
  (1..64; the same token with the same request returns the same JobId, with a different request
  IdempotencyException), Description (1..256), tags (at most 50, unique keys, 128/256 characters), exactly one
  operation, exactly one of Manifest and ManifestGenerator, the report (Bucket ARN, Format Report_CSV_20180820,
  ReportScope AllTasks|FailedTasksOnly, Prefix 1..512) and the generator (source bucket ARN, EnableManifestOutput,
  an output location with ManifestFormat S3InventoryReport_CSV_20211130 when enabled, KeyNameConstraint lists of
  one string, MatchAnyObjectEncryption with exactly one filter naming exactly one of SSE-S3, SSE-KMS{KmsKeyArn,
  BucketKeyEnabled}, DSSE-KMS{KmsKeyArn}, SSE-C, NOT-SSE, key ARNs in full). Errors are BadRequestException.
- Operations run here: S3UpdateObjectEncryption (ObjectEncryption.SSEKMS{KMSKeyArn as a full key ARN, no alias,
  BucketKeyEnabled}) and LambdaInvoke (FunctionArn, InvocationSchemaVersion 1.0|2.0, UserArguments only with 2.0).
  Every other operation is rejected with BadRequestException saying this emulator does not support it.
- Statuses: New -> Preparing -> Suspended (ConfirmationRequired; TotalNumberOfTasks known) or Ready -> Active ->
  Completing -> Complete; Failing -> Failed (manifest or report bucket missing, manifest unreadable, bucket owner
  mismatch, failure threshold); Cancelling -> Cancelled; Pausing -> Paused. UpdateJobStatus takes Ready only from
  Suspended and Cancelled only before a job ends (JobStatusException otherwise). TerminationDate, FailureReasons,
  StatusUpdateReason, SuspendedDate and ProgressSummary{TotalNumberOfTasks, NumberOfTasksSucceeded,
  NumberOfTasksFailed, Timers.ElapsedTimeInActiveSeconds} are kept as S3 reports them.
- ListJobs: newest first, JobStatuses filter, MaxResults up to 1000 (InvalidRequestException beyond), NextToken
  (InvalidNextTokenException when unknown). Jobs are regional: another region's job is NotFoundException.
- Completion report (when at least one task ran): <Prefix>/job-<id>/manifest.json {Format, ReportCreationDate,
  Results[{TaskExecutionStatus, Bucket, MD5Checksum, Key}], ReportSchema} and <Prefix>/job-<id>/results/<sha1>.csv,
  one file per task status (only the failed one for FailedTasksOnly), SSE-S3. Rows are Bucket, URL-encoded Key,
  VersionId, TaskStatus, then the HTTP status code, the error code and the result message: the order of the
  documented report examples (succeeded,200,,... / failed,200,PermanentFailure,...), which differs from the
  column names listed in ReportSchema. A successful S3UpdateObjectEncryption task reads "succeeded,200,,Successful";
  a failed one carries the status, code and message the UpdateObjectEncryption API answers for that object.
- Every status change is recorded as the CloudTrail event S3 writes (JobCreated, then JobStatusChanged with
  serviceEventDetails{jobId, jobArn, status, jobEventId, failureCodes, statusChangeReason}) in the envelope
  EventBridge delivers it in: source aws.s3, detail-type "AWS Service Event via CloudTrail".

Admin API (for tests; JSON):
  GET/PUT  /_atrest/s3control/config              {"mode": "auto" | "manual" | "poll"}  (reset: auto)
        auto: a job runs to its next stop (Suspended, Complete, Failed, Cancelled, Paused, or Active waiting for
        Lambda results) inside the request that started it (CreateJob, UpdateJobStatus, an admin call);
        manual: jobs move only through /step; poll: every DescribeJob/ListJobs moves each listed job one step.
  GET      /_atrest/s3control/events              every EventBridge event emitted, in order
  DELETE   /_atrest/s3control/events              forget them
  GET      /_atrest/s3control/jobs/{id}           status history, counts, report location
  GET      /_atrest/s3control/jobs/{id}/events    the job's events
  POST     /_atrest/s3control/jobs/{id}/step      {"tasks": N} optional: one transition, or N tasks while Active
  POST     /_atrest/s3control/jobs/{id}/run       to the next stop, whatever the mode
  POST     /_atrest/s3control/jobs/{id}/fail      {"code": "...", "reason": "..."}: Failing (then Failed)
  POST     /_atrest/s3control/jobs/{id}/pause     Active -> Pausing (then Paused);  .../resume  Paused -> Active
  GET      /_atrest/s3control/jobs/{id}/invocations  LambdaInvoke events waiting for the function's answer
  POST     /_atrest/s3control/jobs/{id}/invocations  the function's responses (one S3BatchResponse or a list)
"""
import base64
import datetime
import json
import re
import uuid
import xml.etree.ElementTree as ET

import botocore.session
from botocore import parsers
from werkzeug.wrappers import Response

from . import accounts, s3batch

NAMESPACE = "http://awss3control.amazonaws.com/doc/2018-08-20/"
_MODEL = botocore.session.get_session().get_service_model("s3control")

_ACCOUNT = re.compile(r"^\d{12}$")
_ROLE_ARN = re.compile(r"^arn:[^:]+:iam::\d{12}:role/.+$")
_BUCKET_ARN = re.compile(r"^arn:[^:]+:s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])$")
_OBJECT_ARN = re.compile(r"^arn:[^:]+:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/.+$", re.S)
_KMS_KEY_ARN = re.compile(r"^arn:aws[a-zA-Z0-9-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[a-zA-Z0-9-]+$")
_FUNCTION_ARN = re.compile(r"^(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:)?"
                           r"(\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?$")
_JOB_PATH = re.compile(r"^/v20180820/jobs/([a-zA-Z0-9\-_]{5,36})(/status|/priority|/tagging)?$")
_TAG = re.compile(r"^([\w\s.:/=+\-@]*)$", re.UNICODE)
SUPPORTED_OPERATIONS = ("S3UpdateObjectEncryption", "LambdaInvoke")
STORAGE_CLASSES = frozenset(_MODEL.shape_for("S3StorageClass").enum)
REPLICATION_STATUSES = frozenset(_MODEL.shape_for("ReplicationStatus").enum)
JOB_STATUSES = frozenset(_MODEL.shape_for("JobStatus").enum)
ENCRYPTION_FILTERS = ("SSES3", "SSEKMS", "DSSEKMS", "SSEC", "NOTSSE")
MAX_TAGS = 50
MAX_PRIORITY = 2147483647


class ApiError(Exception):
    def __init__(self, status, code, message):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def _bad(message):
    return ApiError(400, "BadRequestException", message)


# ---------------------------------------------------------------- wire format

def _parse(operation, request, body):
    shape = _MODEL.operation_model(operation).input_shape
    try:
        parsed = parsers.create_parser("rest-xml").parse(
            {"body": body or b"", "headers": {}, "status_code": 200}, shape)
    except Exception as e:  # ResponseParserError, ValueError from a malformed number
        union = re.search(r"(\w+) must have one and only one member set", str(e))
        if union:  # botocore's parser refuses a union (JobManifestGenerator, ObjectEncryptionFilter) like S3 does
            raise _bad(f"{union.group(1)} must specify exactly one of its members")
        raise ApiError(400, "MalformedXML", f"The XML you provided was not well-formed: {type(e).__name__}")
    parsed.pop("ResponseMetadata", None)
    return parsed


def _fill(element, shape, value):
    kind = shape.type_name
    if kind == "structure":
        for name, member in shape.members.items():
            if value.get(name) is None or member.serialization.get("location"):
                continue
            _fill(ET.SubElement(element, member.serialization.get("name", name)), member, value[name])
    elif kind == "list":
        member = shape.member
        for item in value:
            _fill(ET.SubElement(element, member.serialization.get("name", "member")), member, item)
    elif kind == "map":
        for k, v in value.items():
            entry = ET.SubElement(element, "entry")
            _fill(ET.SubElement(entry, shape.key.serialization.get("name", "key")), shape.key, k)
            _fill(ET.SubElement(entry, shape.value.serialization.get("name", "value")), shape.value, v)
    elif kind == "timestamp":
        element.text = s3batch.iso(value)
    elif kind == "boolean":
        element.text = "true" if value else "false"
    else:
        element.text = str(value)


def _answer(operation, value):
    shape = _MODEL.operation_model(operation).output_shape
    headers = {"x-amz-request-id": uuid.uuid4().hex[:16].upper(), "x-amz-id-2": uuid.uuid4().hex}
    if shape is None or not shape.members:
        return Response(status=200, headers=headers)
    root = ET.Element(shape.name, xmlns=NAMESPACE)
    _fill(root, shape, value)
    xml = b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8")
    return Response(xml, status=200, headers=headers, mimetype="application/xml")


def error_response(status, code, message):
    request_id = uuid.uuid4().hex[:16].upper()
    error = ET.Element("ErrorResponse")
    inner = ET.SubElement(error, "Error")
    ET.SubElement(inner, "Code").text = code
    ET.SubElement(inner, "Message").text = message
    ET.SubElement(error, "RequestId").text = request_id
    ET.SubElement(error, "HostId").text = uuid.uuid4().hex
    xml = b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(error, encoding="utf-8")
    return Response(xml, status=status, headers={"x-amz-request-id": request_id}, mimetype="application/xml")


def _handler(fn):
    def handle(call, request, body, region):
        try:
            account = request.headers.get("x-amz-account-id", "")
            if not _ACCOUNT.match(account):
                raise _bad("The x-amz-account-id header must be a 12-digit AWS account id")
            if account != accounts.current():
                # The jobs of an account are that account's own: its credentials must be the caller's.
                raise ApiError(403, "AccessDenied", "Access Denied")
            with s3batch.LOCK:
                return fn(request, body, account, region or "us-east-1")
        except ApiError as e:
            return error_response(e.status, e.code, e.message)
    return handle


def _job(request, account, region):
    match = _JOB_PATH.match(request.path)
    job = s3batch.get(match.group(1)) if match else None
    if job is None or job.account != account or job.region != region:
        raise ApiError(404, "NotFoundException", "The specified job does not exist")
    return job


# ---------------------------------------------------------------- CreateJob validation

def _length(value, name, low, high):
    if value is None or not low <= len(value) <= high:
        raise _bad(f"{name} must be between {low} and {high} characters long")


def _exactly_one(union, names, what):
    present = [n for n in names if union.get(n) is not None]
    if len(present) != 1:
        raise _bad(f"{what} must specify exactly one of {', '.join(names)}")
    return present[0]


def _tags(tags):
    if len(tags) > MAX_TAGS:
        raise ApiError(400, "TooManyTagsException", f"A job can have at most {MAX_TAGS} tags")
    keys = [t.get("Key") for t in tags]
    if len(set(keys)) != len(keys):
        raise _bad("Tag keys must be unique")
    for tag in tags:
        _length(tag.get("Key"), "Tag Key", 1, 128)
        _length(tag.get("Value") or "", "Tag Value", 0, 256)
        if not _TAG.match(tag["Key"]) or not _TAG.match(tag.get("Value") or ""):
            raise _bad("Tag keys and values may contain only letters, digits, spaces and _ . : / = + - @")


def _kms_key_arn(value, name):
    if not value or not _KMS_KEY_ARN.match(value):
        raise _bad(f"{name} must be a full AWS KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>); "
                   "key ids and aliases are not accepted")


def _bucket_arn(value, name):
    if not value or not _BUCKET_ARN.match(value):
        raise _bad(f"{name} must be a bucket ARN (arn:aws:s3:::<bucket>)")


def _validate_operation(operation):
    names = list(_MODEL.shape_for("JobOperation").members)
    name = _exactly_one(operation, names, "Operation")
    if name not in SUPPORTED_OPERATIONS:
        raise _bad(f"The {name} operation is not supported by this emulator (atrest's local AWS runs "
                   f"{' and '.join(SUPPORTED_OPERATIONS)} jobs only)")
    spec = operation[name]
    if name == "S3UpdateObjectEncryption":
        sse = (spec.get("ObjectEncryption") or {}).get("SSEKMS")
        if sse is None:
            raise _bad("S3UpdateObjectEncryption requires ObjectEncryption with SSE-KMS")
        _kms_key_arn(sse.get("KMSKeyArn"), "ObjectEncryption.SSE-KMS.KMSKeyArn")
    else:
        if not spec.get("FunctionArn") or len(spec["FunctionArn"]) > 1024 or not _FUNCTION_ARN.match(
                spec["FunctionArn"]):
            raise _bad("LambdaInvoke requires a valid FunctionArn")
        version = spec.get("InvocationSchemaVersion") or "1.0"
        if version not in ("1.0", "2.0"):
            raise _bad("InvocationSchemaVersion must be 1.0 or 2.0")
        arguments = spec.get("UserArguments")
        if arguments is not None:
            if version != "2.0":
                raise _bad("UserArguments require InvocationSchemaVersion 2.0")
            if not 1 <= len(arguments) <= 10:
                raise _bad("UserArguments must have between 1 and 10 entries")


def _validate_report(report):
    if report is None or report.get("Enabled") is None:
        raise _bad("Report with Enabled is required")
    if report["Enabled"]:
        _bucket_arn(report.get("Bucket"), "Report.Bucket")
        if report.get("Format") != s3batch.REPORT_FORMAT:
            raise _bad(f"Report.Format must be {s3batch.REPORT_FORMAT}")
    if report.get("ReportScope") not in (None, "AllTasks", "FailedTasksOnly"):
        raise _bad("Report.ReportScope must be AllTasks or FailedTasksOnly")
    if report.get("Prefix") is not None:
        _length(report["Prefix"], "Report.Prefix", 1, 512)
    if report.get("ExpectedBucketOwner") is not None and not _ACCOUNT.match(report["ExpectedBucketOwner"]):
        raise _bad("Report.ExpectedBucketOwner must be a 12-digit account id")


def _validate_manifest(manifest):
    spec = manifest.get("Spec") or {}
    location = manifest.get("Location") or {}
    if spec.get("Format") not in ("S3BatchOperations_CSV_20180820", "S3InventoryReport_CSV_20161130"):
        raise _bad("Manifest.Spec.Format must be S3BatchOperations_CSV_20180820 or S3InventoryReport_CSV_20161130")
    if spec["Format"] == "S3BatchOperations_CSV_20180820":
        fields = spec.get("Fields") or []
        if "Bucket" not in fields or "Key" not in fields or any(
                f not in ("Ignore", "Bucket", "Key", "VersionId") for f in fields):
            raise _bad("Manifest.Spec.Fields must name the Bucket and Key columns (Ignore, Bucket, Key, VersionId)")
    if not location.get("ObjectArn") or not _OBJECT_ARN.match(location["ObjectArn"]):
        raise _bad("Manifest.Location.ObjectArn must be an object ARN (arn:aws:s3:::<bucket>/<key>)")
    if not location.get("ETag"):
        raise _bad("Manifest.Location.ETag is required")


def _validate_filter(flt):
    for name in ("ObjectSizeGreaterThanBytes", "ObjectSizeLessThanBytes"):
        if flt.get(name) is not None and flt[name] < 0:
            raise _bad(f"{name} must not be negative")
    for name, values in (flt.get("KeyNameConstraint") or {}).items():
        if len(values) != 1:
            raise _bad(f"KeyNameConstraint.{name} accepts an array of exactly one string")
        _length(values[0], f"KeyNameConstraint.{name}", 1, 1024)
    if any(c not in STORAGE_CLASSES for c in flt.get("MatchAnyStorageClass") or []):
        raise _bad(f"MatchAnyStorageClass values must be among {', '.join(sorted(STORAGE_CLASSES))}")
    if any(s not in REPLICATION_STATUSES for s in flt.get("ObjectReplicationStatuses") or []):
        raise _bad(f"ObjectReplicationStatuses must be among {', '.join(sorted(REPLICATION_STATUSES))}")
    encryption = flt.get("MatchAnyObjectEncryption")
    if encryption is not None:
        if len(encryption) != 1:
            raise _bad("MatchAnyObjectEncryption must contain exactly one ObjectEncryption filter")
        for spec in encryption:
            kind = _exactly_one(spec, ENCRYPTION_FILTERS, "Each ObjectEncryption filter")
            arn = (spec[kind] or {}).get("KmsKeyArn")
            if kind in ("SSEKMS", "DSSEKMS") and arn is not None:
                _kms_key_arn(arn, f"ObjectEncryption.{kind}.KmsKeyArn")


def _validate_generator(generator):
    if set(generator) != {"S3JobManifestGenerator"}:
        raise _bad("ManifestGenerator must specify S3JobManifestGenerator")
    spec = generator["S3JobManifestGenerator"] or {}
    _bucket_arn(spec.get("SourceBucket"), "S3JobManifestGenerator.SourceBucket")
    if spec.get("EnableManifestOutput") is None:
        raise _bad("S3JobManifestGenerator.EnableManifestOutput is required")
    if spec.get("ExpectedBucketOwner") is not None and not _ACCOUNT.match(spec["ExpectedBucketOwner"]):
        raise _bad("ExpectedBucketOwner must be a 12-digit account id")
    output = spec.get("ManifestOutputLocation")
    if spec["EnableManifestOutput"] and output is None:
        raise _bad("ManifestOutputLocation is required when EnableManifestOutput is true")
    if output is not None:
        _bucket_arn(output.get("Bucket"), "ManifestOutputLocation.Bucket")
        if output.get("ManifestFormat") != s3batch.GENERATED_FORMAT:
            raise _bad(f"ManifestOutputLocation.ManifestFormat must be {s3batch.GENERATED_FORMAT}")
        if output.get("ManifestPrefix") is not None:
            _length(output["ManifestPrefix"], "ManifestOutputLocation.ManifestPrefix", 1, 512)
        if output.get("ExpectedManifestBucketOwner") is not None and not _ACCOUNT.match(
                output["ExpectedManifestBucketOwner"]):
            raise _bad("ExpectedManifestBucketOwner must be a 12-digit account id")
        encryption = output.get("ManifestEncryption")
        if encryption is not None:
            kind = _exactly_one(encryption, ("SSES3", "SSEKMS"), "ManifestEncryption")
            if kind == "SSEKMS" and not (encryption["SSEKMS"] or {}).get("KeyId"):
                raise _bad("ManifestEncryption.SSE-KMS.KeyId is required")
    _validate_filter(spec.get("Filter") or {})


def _validate_create(params):
    _length(params.get("ClientRequestToken"), "ClientRequestToken", 1, 64)
    priority = params.get("Priority")
    if priority is None or not 0 <= priority <= MAX_PRIORITY:
        raise _bad(f"Priority must be an integer between 0 and {MAX_PRIORITY}")
    role = params.get("RoleArn")
    if not role or len(role) > 2048 or not _ROLE_ARN.match(role):
        raise _bad("RoleArn must be an IAM role ARN (arn:aws:iam::<account>:role/<name>)")
    if params.get("Description") is not None:
        _length(params["Description"], "Description", 1, 256)
    _validate_operation(params.get("Operation") or {})
    _validate_report(params.get("Report"))
    has_manifest, has_generator = params.get("Manifest") is not None, params.get("ManifestGenerator") is not None
    if has_manifest == has_generator:
        raise _bad("Jobs must be created with either a Manifest or a ManifestGenerator, but not both")
    if has_manifest:
        _validate_manifest(params["Manifest"])
    else:
        _validate_generator(params["ManifestGenerator"])
    _tags(params.get("Tags") or [])


def _fingerprint(params):
    return json.dumps({k: v for k, v in params.items() if k not in ("ClientRequestToken", "AccountId")},
                      sort_keys=True, default=lambda v: v.isoformat() if isinstance(v, datetime.datetime) else str(v))


# ---------------------------------------------------------------- operations

@_handler
def create_job(request, body, account, region):
    params = _parse("CreateJob", request, body)
    _validate_create(params)
    token = params["ClientRequestToken"]
    request_fields = {k: v for k, v in params.items() if k not in ("ClientRequestToken", "AccountId")}
    job, created = s3batch.create(account, region, request_fields, token, _fingerprint(params))
    if job is None:
        raise ApiError(409, "IdempotencyException",
                       "The ClientRequestToken was already used for a job with different parameters")
    if created:
        s3batch.progress(job)
    return _answer("CreateJob", {"JobId": job.id})


def _progress_summary(job):
    summary = {"NumberOfTasksSucceeded": job.succeeded, "NumberOfTasksFailed": job.failed,
               "Timers": {"ElapsedTimeInActiveSeconds": job.elapsed_active_seconds}}
    if job.tasks is not None:
        summary["TotalNumberOfTasks"] = len(job.tasks)
    return summary


def _poll(job):
    if s3batch.mode() == "poll":
        s3batch.step(job)


@_handler
def describe_job(request, body, account, region):
    job = _job(request, account, region)
    _poll(job)
    fields = job.request
    descriptor = {
        "JobId": job.id, "JobArn": job.arn, "Status": job.status, "Priority": job.priority,
        "ConfirmationRequired": bool(fields.get("ConfirmationRequired")), "Description": fields.get("Description"),
        "Operation": fields["Operation"], "Report": fields["Report"], "RoleArn": fields["RoleArn"],
        "Manifest": fields.get("Manifest"), "ManifestGenerator": fields.get("ManifestGenerator"),
        "GeneratedManifestDescriptor": job.generated_manifest, "ProgressSummary": _progress_summary(job),
        "StatusUpdateReason": job.status_update_reason, "FailureReasons": job.failure_reasons or None,
        "CreationTime": job.created, "TerminationDate": job.termination_date, "SuspendedDate": job.suspended_date,
    }
    return _answer("DescribeJob", {"Job": descriptor})


def _token(after_seq, statuses):
    raw = json.dumps({"after": after_seq, "statuses": sorted(statuses)}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@_handler
def list_jobs(request, body, account, region):
    statuses = request.args.getlist("jobStatuses")
    unknown = [s for s in statuses if s not in JOB_STATUSES]
    if unknown:
        raise ApiError(400, "InvalidRequestException", f"Unknown job status {unknown[0]}")
    try:
        max_results = int(request.args.get("maxResults") or 1000)
    except ValueError:
        raise ApiError(400, "InvalidRequestException", "maxResults must be a number")
    if not 0 <= max_results <= 1000:
        raise ApiError(400, "InvalidRequestException", "maxResults must be between 0 and 1000")
    max_results = max_results or 1000
    after = None
    if request.args.get("nextToken"):
        try:
            token = request.args["nextToken"]
            state = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
            after = int(state["after"])
        except (ValueError, KeyError, TypeError):
            raise ApiError(400, "InvalidNextTokenException", "The continuation token provided is invalid")
        if state.get("statuses") != sorted(statuses):
            raise ApiError(400, "InvalidNextTokenException", "The continuation token belongs to another filter")
    listed = [j for j in s3batch.jobs() if j.account == account and j.region == region]
    if s3batch.mode() == "poll":
        for job in listed:
            s3batch.step(job)
    matching = [j for j in listed if (not statuses or j.status in statuses) and (after is None or j.seq < after)]
    page = matching[:max_results]
    result = {"Jobs": [{
        "JobId": j.id, "Description": j.request.get("Description"), "Operation": j.operation_name,
        "Priority": j.priority, "Status": j.status, "CreationTime": j.created,
        "TerminationDate": j.termination_date, "ProgressSummary": _progress_summary(j),
    } for j in page]}
    if len(matching) > max_results:
        result["NextToken"] = _token(page[-1].seq, statuses)
    return _answer("ListJobs", result)


@_handler
def update_job_status(request, body, account, region):
    job = _job(request, account, region)
    wanted = request.args.get("requestedJobStatus")
    reason = request.args.get("statusUpdateReason")
    if reason is not None:
        _length(reason, "StatusUpdateReason", 1, 256)
    if wanted == "Ready":
        if job.status != "Suspended":
            raise ApiError(409, "JobStatusException", f"Only a Suspended job can be confirmed; job is {job.status}")
        s3batch.confirm(job, reason)
    elif wanted == "Cancelled":
        if job.status not in s3batch.CANCELLABLE:
            raise ApiError(409, "JobStatusException", f"A {job.status} job cannot be cancelled")
        s3batch.cancel(job, reason)
    else:
        raise _bad("RequestedJobStatus must be Ready or Cancelled")
    answer = {"JobId": job.id, "Status": job.status, "StatusUpdateReason": reason}
    s3batch.progress(job)
    return _answer("UpdateJobStatus", answer)


@_handler
def update_job_priority(request, body, account, region):
    job = _job(request, account, region)
    try:
        priority = int(request.args.get("priority", ""))
    except ValueError:
        priority = -1
    if not 0 <= priority <= MAX_PRIORITY:
        raise _bad(f"Priority must be an integer between 0 and {MAX_PRIORITY}")
    job.priority = priority
    return _answer("UpdateJobPriority", {"JobId": job.id, "Priority": priority})


@_handler
def get_job_tagging(request, body, account, region):
    job = _job(request, account, region)
    return _answer("GetJobTagging", {"Tags": job.tags})


@_handler
def put_job_tagging(request, body, account, region):
    job = _job(request, account, region)
    tags = _parse("PutJobTagging", request, body).get("Tags") or []
    _tags(tags)
    job.tags = list(tags)
    return _answer("PutJobTagging", {})


@_handler
def delete_job_tagging(request, body, account, region):
    job = _job(request, account, region)
    job.tags = []
    return _answer("DeleteJobTagging", {})


HANDLERS = {
    ("s3control", "CreateJob"): create_job,
    ("s3control", "DescribeJob"): describe_job,
    ("s3control", "ListJobs"): list_jobs,
    ("s3control", "UpdateJobStatus"): update_job_status,
    ("s3control", "UpdateJobPriority"): update_job_priority,
    ("s3control", "GetJobTagging"): get_job_tagging,
    ("s3control", "PutJobTagging"): put_job_tagging,
    ("s3control", "DeleteJobTagging"): delete_job_tagging,
}


def reset():
    s3batch.reset()


# ---------------------------------------------------------------- admin

_ADMIN_JOB = re.compile(r"^/_atrest/s3control/jobs/([^/]+)(?:/(step|run|fail|pause|resume|events|invocations))?$")


def _json(value, status=200):
    return Response(json.dumps(value, default=str), status=status, mimetype="application/json")


def _job_view(job):
    report = job.request["Report"]
    return {
        "jobId": job.id, "jobArn": job.arn, "status": job.status, "operation": job.operation_name,
        "history": [{"status": s, "time": s3batch.iso(t)} for s, t in job.history],
        "totalTasks": None if job.tasks is None else len(job.tasks),
        "succeeded": job.succeeded, "failed": job.failed,
        "failureReasons": job.failure_reasons,
        "report": {"bucket": s3batch.bucket_name(report["Bucket"]), "manifestKey":
                   s3batch.report_base(job) + "/manifest.json"} if report.get("Enabled") else None,
        "generatedManifest": job.generated_manifest,
    }


def _admin_job(job, action, method, body):
    options = json.loads(body or b"{}") if method == "POST" else {}
    if action != "invocations" and not isinstance(options, dict):
        return _json({"error": "the request body must be a JSON object"}, 400)
    if action is None:
        return _json(_job_view(job))
    if action == "events":
        return _json(s3batch.events(job.id))
    if action == "invocations":
        if method == "GET":
            return _json(s3batch.invocations(job))
        responses = options if isinstance(options, list) else [options]
        try:
            s3batch.answer(job, responses)
        except ValueError as e:
            return _json({"error": str(e)}, 409)
        s3batch.progress(job)
        return _json(_job_view(job))
    if action == "step":
        tasks = options.get("tasks")
        if tasks is not None and (not isinstance(tasks, int) or tasks < 1):
            return _json({"error": "tasks must be a positive integer"}, 400)
        s3batch.step(job, tasks)
    elif action == "run":
        s3batch.run(job)
    elif action == "fail":
        if job.status in s3batch.TERMINAL:
            return _json({"error": f"job is {job.status}"}, 409)
        s3batch.fail(job, options.get("code") or "InjectedFailure", options.get("reason") or "Failed by a test")
        s3batch.progress(job)
    elif action == "pause":
        if job.status != "Active":
            return _json({"error": f"only an Active job can be paused; job is {job.status}"}, 409)
        s3batch.pause(job)
        s3batch.progress(job)
    elif action == "resume":
        if job.status != "Paused":
            return _json({"error": f"only a Paused job can be resumed; job is {job.status}"}, 409)
        s3batch.resume(job)
        s3batch.progress(job)
    return _json(_job_view(job))


def admin(path, method, body):
    if not path.startswith("/_atrest/s3control/"):
        return None
    with s3batch.LOCK:
        if path == "/_atrest/s3control/config":
            if method in ("PUT", "POST"):
                try:
                    s3batch.set_mode(json.loads(body or b"{}").get("mode"))
                except ValueError as e:
                    return _json({"error": str(e)}, 400)
            return _json({"mode": s3batch.mode()})
        if path == "/_atrest/s3control/events":
            if method == "DELETE":
                s3batch.clear_events()
                return Response(status=204)
            return _json(s3batch.events())
        match = _ADMIN_JOB.match(path)
        if match is None:
            return None
        job = s3batch.get(match.group(1))
        if job is None:
            return _json({"error": f"no job {match.group(1)}"}, 404)
        try:
            return _admin_job(job, match.group(2), method, body)
        except ValueError as e:  # a request body that is not JSON
            return _json({"error": str(e)}, 400)
