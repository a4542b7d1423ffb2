"""The S3 Batch Operations job engine behind s3control_ext: job states, manifests (read or generated from moto's
S3 state), task execution, completion reports and the CloudTrail events S3 records for every status change.

Execution of S3UpdateObjectEncryption tasks goes through s3_ext.update_object_encryption itself, holding the same
S3 write lock a client's request holds, so a batch task fails exactly where the single-object API fails (Object
Lock retention or legal hold, unencrypted, SSE-C and DSSE-KMS sources, a key of another account, a missing key or
version). LambdaInvoke tasks are not run here: their invocation events wait until a test answers them through the
admin API (see s3control_ext), as the Lambda function would.

Where the AWS documentation does not say it, the emulator chooses, and says so where it does:
- failure codes of a job (FailureReasons) reuse the S3 error code that made it fail (NoSuchBucket, NoSuchKey,
  AccessDenied) or InvalidManifestContent (named by the Batch Operations troubleshooting guide);
- generated manifests are written as <ManifestPrefix>/job-<id>/manifest.json (S3 Inventory manifest fields) and
  <ManifestPrefix>/job-<id>/data/<uuid>.csv; clients should follow GeneratedManifestDescriptor, not the layout;
- a job whose failed tasks exceed half of at least 1,000 attempted tasks fails (TaskFailureThresholdExceeded).
"""
import contextlib
import csv
import datetime
import gzip
import hashlib
import io
import json
import threading
import time
import uuid
import xml.etree.ElementTree as ET
from urllib.parse import quote, unquote_plus, urlencode

from moto.s3.models import FakeDeleteMarker, s3_backends
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from . import s3_ext
from .classify import Call

REPORT_FORMAT = "Report_CSV_20180820"
REPORT_SCHEMA = "Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode, ResultMessage"
GENERATED_FORMAT = "S3InventoryReport_CSV_20211130"
TERMINAL = frozenset({"Complete", "Failed", "Cancelled"})
CANCELLABLE = frozenset({"New", "Preparing", "Suspended", "Ready", "Active", "Pausing", "Paused"})
THRESHOLD_MIN_TASKS = 1000
MODES = ("auto", "manual", "poll")

LOCK = threading.RLock()
_jobs = {}            # job id -> Job
_tokens = {}          # (account, region, ClientRequestToken) -> (request fingerprint, job id)
_events = []          # EventBridge events in emission order
_state = {"mode": "auto", "seq": 0}


class JobFailure(Exception):
    """Something that makes S3 fail the whole job (not one task)."""

    def __init__(self, code, reason):
        super().__init__(reason)
        self.code = code
        self.reason = reason


class Task:
    __slots__ = ("bucket", "key", "version_id", "task_id", "invocation_id", "outcome", "temporary_failures")

    def __init__(self, bucket, key, version_id):
        self.bucket = bucket
        self.key = key
        self.version_id = version_id or None
        self.task_id = None
        self.invocation_id = None
        self.outcome = None  # (TaskStatus, HTTP status, error code, result message) once the task ran
        self.temporary_failures = 0


class Job:
    def __init__(self, job_id, account, region, request):
        _state["seq"] += 1
        self.seq = _state["seq"]
        self.id = job_id
        self.account = account
        self.region = region
        self.arn = f"arn:aws:s3:{region}:{account}:job/{job_id}"
        self.request = request
        self.created = _now()
        self.status = "New"
        self.priority = request["Priority"]
        self.tags = list(request.get("Tags") or [])
        self.status_update_reason = None
        self.failure_reasons = []
        self.termination_date = None
        self.suspended_date = None
        self.generated_manifest = None
        self.tasks = None
        self.next_task = 0
        self.succeeded = 0
        self.failed = 0
        self.active_seconds = 0.0
        self.active_since = None
        self.history = [("New", self.created)]

    @property
    def operation_name(self):
        return next(iter(self.request["Operation"]))

    @property
    def elapsed_active_seconds(self):
        running = time.monotonic() - self.active_since if self.active_since is not None else 0.0
        return int(self.active_seconds + running)


def _now():
    return datetime.datetime.now(datetime.timezone.utc)


def iso(ts, millis=True):
    text = ts.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")
    return (text[:-3] if millis else text[:-7]) + "Z"


# ---------------------------------------------------------------- registry

def reset():
    with LOCK:
        _jobs.clear()
        _tokens.clear()
        _events.clear()
        _state.update(mode="auto", seq=0)


def mode():
    return _state["mode"]


def set_mode(value):
    if value not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}")
    _state["mode"] = value


def get(job_id):
    return _jobs.get(job_id)


def jobs():
    return sorted(_jobs.values(), key=lambda j: j.seq, reverse=True)


def events(job_id=None):
    return [e for e in _events if job_id is None or e["detail"]["serviceEventDetails"]["jobId"] == job_id]


def clear_events():
    _events.clear()


def create(account, region, request, token, fingerprint):
    """(job, created): the job a ClientRequestToken already named, or a new one."""
    previous = _tokens.get((account, region, token))
    if previous is not None:
        if previous[0] != fingerprint:
            return None, False
        return _jobs[previous[1]], False
    job = Job(str(uuid.uuid4()), account, region, request)
    _jobs[job.id] = job
    _tokens[(account, region, token)] = (fingerprint, job.id)
    _emit(job, "JobCreated")
    return job, True


# ---------------------------------------------------------------- events

def _emit(job, name, reasons=()):
    now = _now()
    _events.append({
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "AWS Service Event via CloudTrail",
        "source": "aws.s3",
        "account": job.account,
        "time": iso(now, millis=False),
        "region": job.region,
        "resources": [],
        "detail": {
            "eventVersion": "1.05",
            "userIdentity": {"accountId": job.account, "invokedBy": "s3.amazonaws.com"},
            "eventTime": iso(now, millis=False),
            "eventSource": "s3.amazonaws.com",
            "eventName": name,
            "awsRegion": job.region,
            "sourceIPAddress": "s3.amazonaws.com",
            "userAgent": "s3.amazonaws.com",
            "requestParameters": None,
            "responseElements": None,
            "eventID": str(uuid.uuid4()),
            "readOnly": False,
            "eventType": "AwsServiceEvent",
            "recipientAccountId": job.account,
            "serviceEventDetails": {
                "jobId": job.id,
                "jobArn": job.arn,
                "status": job.status,
                "jobEventId": uuid.uuid4().hex,
                "failureCodes": [f["FailureCode"] for f in job.failure_reasons]
                if job.status in ("Failing", "Failed") else [],
                "statusChangeReason": list(reasons),
            },
        },
    })


def _set(job, status, reasons=()):
    now = _now()
    if job.active_since is not None:
        job.active_seconds += time.monotonic() - job.active_since
        job.active_since = None
    job.status = status
    if status == "Active":
        job.active_since = time.monotonic()
    elif status == "Suspended":
        job.suspended_date = now
    elif status in TERMINAL:
        job.termination_date = now
    job.history.append((status, now))
    _emit(job, "JobStatusChanged", reasons)


# ---------------------------------------------------------------- transitions a caller asks for

def confirm(job, reason):
    job.status_update_reason = reason
    _set(job, "Ready", [reason] if reason else [])


def cancel(job, reason):
    job.status_update_reason = reason
    _set(job, "Cancelling", [reason] if reason else [])


def fail(job, code, reason):
    job.failure_reasons.append({"FailureCode": code[:64], "FailureReason": reason[:256]})
    _set(job, "Failing")


def pause(job):
    _set(job, "Pausing")


def resume(job):
    _set(job, "Active")


def step(job, tasks=None):
    """One transition (or one batch of tasks while Active); False when the job cannot move on by itself."""
    status = job.status
    if status == "New":
        _set(job, "Preparing")
    elif status == "Preparing":
        _prepare(job)
    elif status == "Ready":
        _set(job, "Active")
    elif status == "Active":
        return _run_tasks(job, tasks)
    elif status == "Pausing":
        _set(job, "Paused")
    elif status == "Completing":
        _finish(job, "Complete")
    elif status == "Failing":
        _finish(job, "Failed")
    elif status == "Cancelling":
        _finish(job, "Cancelled")
    else:
        return False  # Suspended and Paused wait for a caller; terminal jobs never move
    return True


def run(job):
    """Advances the job until it waits for someone (confirmation, Lambda results, a resume) or ends."""
    while step(job):
        pass


def progress(job):
    """After a status change requested through the API: auto mode carries the job on at once."""
    if _state["mode"] == "auto":
        run(job)


# ---------------------------------------------------------------- Preparing

def _prepare(job):
    try:
        _check_report_bucket(job)
        if "Manifest" in job.request:
            job.tasks = _read_manifest(job)
        else:
            job.tasks = _generate_manifest(job)
    except JobFailure as failure:
        job.tasks = None
        fail(job, failure.code, failure.reason)
        return
    if job.operation_name == "LambdaInvoke":
        for task in job.tasks:
            task.task_id = uuid.uuid4().hex
            task.invocation_id = uuid.uuid4().hex
    _set(job, "Suspended" if job.request.get("ConfirmationRequired") else "Ready")


def _backend(account):
    return s3_backends[account]["aws"]


def _bucket(account, name, role):
    try:
        return _backend(account).get_bucket(name)
    except Exception:  # moto's MissingBucket
        raise JobFailure("NoSuchBucket", f"The {role} bucket {name} does not exist")


def bucket_name(arn):
    return arn.split(":::", 1)[1]


def _check_report_bucket(job):
    report = job.request["Report"]
    if report.get("Enabled"):
        _bucket(job.account, bucket_name(report["Bucket"]), "report")
        owner = report.get("ExpectedBucketOwner")
        if owner and owner != job.account:
            raise JobFailure("AccessDenied", "The report bucket is not owned by the expected bucket owner")


def _current_versions(bucket):
    for name, versions in bucket.keys.iterlists():
        if versions and not isinstance(versions[-1], FakeDeleteMarker):
            yield name, versions[-1]


def _generate_manifest(job):
    generator = job.request["ManifestGenerator"]["S3JobManifestGenerator"]
    name = bucket_name(generator["SourceBucket"])
    bucket = _bucket(job.account, name, "source")
    owner = generator.get("ExpectedBucketOwner")
    if owner and owner != job.account:
        raise JobFailure("AccessDenied", "The source bucket is not owned by the expected bucket owner")
    matches = compile_filter(generator.get("Filter") or {}, bucket, _backend(job.account))
    tasks = [Task(name, key, obj.version_id if obj.version_id != "null" else None)
             for key, obj in sorted(_current_versions(bucket), key=lambda kv: kv[0].encode("utf-8"))
             if matches(key, obj)]
    if generator.get("EnableManifestOutput"):
        _write_generated_manifest(job, generator["ManifestOutputLocation"], name, tasks)
    return tasks


def _aware(ts):
    return ts if ts.tzinfo is not None else ts.replace(tzinfo=datetime.timezone.utc)


def _bucket_key_enabled(obj):
    return str(obj.bucket_key_enabled).lower() == "true"


def _same_key(wanted_arn, stored):
    # S3 records the full key ARN; moto keeps what the writer sent (an ARN or a bare key id).
    return bool(stored) and (stored == wanted_arn or wanted_arn.endswith(":key/" + stored))


def _encryption_matches(spec, obj):
    kind = s3_ext.encryption_type(obj)
    if "SSES3" in spec:
        return kind == "SSE-S3"
    if "SSEKMS" in spec:
        kms = spec["SSEKMS"] or {}
        if kind != "SSE-KMS":
            return False
        if kms.get("KmsKeyArn") and not _same_key(kms["KmsKeyArn"], obj.kms_key_id):
            return False
        return kms.get("BucketKeyEnabled") is None or kms["BucketKeyEnabled"] == _bucket_key_enabled(obj)
    if "DSSEKMS" in spec:
        dsse = spec["DSSEKMS"] or {}
        return kind == "DSSE-KMS" and (not dsse.get("KmsKeyArn") or _same_key(dsse["KmsKeyArn"], obj.kms_key_id))
    if "SSEC" in spec:
        return kind == "SSE-C"
    return kind == "NOT-SSE"


def _replication_rules(bucket):
    config = getattr(bucket, "replication", None) or {}
    return [r for r in config.get("Rule") or [] if r.get("Status") == "Enabled"]


def _rule_matches(rule, key, tags):
    def tag_ok(tag_list):
        if isinstance(tag_list, dict):
            tag_list = [tag_list]
        return all(tags.get(t.get("Key")) == t.get("Value") for t in tag_list or [])
    flt = rule.get("Filter")
    if flt is None:
        return key.startswith(rule.get("Prefix") or "")
    if "And" in flt:
        return key.startswith(flt["And"].get("Prefix") or "") and tag_ok(flt["And"].get("Tag"))
    if "Tag" in flt:
        return tag_ok(flt["Tag"])
    return key.startswith(flt.get("Prefix") or "")


def compile_filter(flt, bucket, backend):
    """A predicate (key, version) -> bool for a JobManifestGeneratorFilter: every given criterion must hold; the
    list-valued ones (MatchAny...) match when any element does."""
    checks = []
    if flt.get("CreatedAfter") is not None:
        after = _aware(flt["CreatedAfter"])
        checks.append(lambda key, obj: _aware(obj.last_modified) > after)
    if flt.get("CreatedBefore") is not None:
        before = _aware(flt["CreatedBefore"])
        checks.append(lambda key, obj: _aware(obj.last_modified) < before)
    names = flt.get("KeyNameConstraint") or {}
    if names.get("MatchAnyPrefix"):
        prefixes = tuple(names["MatchAnyPrefix"])
        checks.append(lambda key, obj: key.startswith(prefixes))
    if names.get("MatchAnySuffix"):
        suffixes = tuple(names["MatchAnySuffix"])
        checks.append(lambda key, obj: key.endswith(suffixes))
    if names.get("MatchAnySubstring"):
        parts = list(names["MatchAnySubstring"])
        checks.append(lambda key, obj: any(p in key for p in parts))
    if flt.get("ObjectSizeGreaterThanBytes") is not None:
        above = flt["ObjectSizeGreaterThanBytes"]
        checks.append(lambda key, obj: obj.size > above)
    if flt.get("ObjectSizeLessThanBytes") is not None:
        below = flt["ObjectSizeLessThanBytes"]
        checks.append(lambda key, obj: obj.size < below)
    if flt.get("MatchAnyStorageClass"):
        classes = set(flt["MatchAnyStorageClass"])
        checks.append(lambda key, obj: (obj.storage_class or "STANDARD") in classes)
    if flt.get("MatchAnyObjectEncryption"):
        specs = list(flt["MatchAnyObjectEncryption"])
        checks.append(lambda key, obj: any(_encryption_matches(s, obj) for s in specs))
    if flt.get("ObjectReplicationStatuses"):
        # moto replicates nothing, so every object's replication status is NONE.
        statuses = set(flt["ObjectReplicationStatuses"])
        checks.append(lambda key, obj: (getattr(obj, "replication_status", None) or "NONE") in statuses)
    if flt.get("EligibleForReplication") is not None:
        wanted = flt["EligibleForReplication"]
        rules = _replication_rules(bucket)

        def eligible(key, obj):
            tags = backend.tagger.get_tag_dict_for_resource(obj.arn) if rules else {}
            return any(_rule_matches(r, key, tags) for r in rules) == wanted
        checks.append(eligible)
    return lambda key, obj: all(check(key, obj) for check in checks)


def _csv_bytes(rows):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def url_key(key):
    """Object keys in manifests and reports are URL-encoded (S3 Batch Operations' manifest rule)."""
    return quote(key, safe="/")


def _put(account, bucket, key, data, encryption=None, kms_key_id=None):
    call = Call("s3", "PutObject", bucket, key)
    with s3_ext.exclusive(call) or contextlib.nullcontext():
        try:
            obj = _backend(account).put_object(bucket, key, data, encryption=encryption, kms_key_id=kms_key_id)
        except Exception as e:  # moto's MissingBucket and the like
            raise JobFailure("NoSuchBucket", f"Writing s3://{bucket}/{key} failed: {type(e).__name__}")
    return obj


def _write_generated_manifest(job, location, source, tasks):
    bucket = bucket_name(location["Bucket"])
    _bucket(job.account, bucket, "manifest output")
    owner = location.get("ExpectedManifestBucketOwner")
    if owner and owner != job.account:
        raise JobFailure("AccessDenied", "The manifest bucket is not owned by the expected bucket owner")
    prefix = location.get("ManifestPrefix")
    base = f"{prefix}/job-{job.id}" if prefix else f"job-{job.id}"
    encryption = location.get("ManifestEncryption") or {}
    if "SSEKMS" in encryption:
        sse, kms = "aws:kms", encryption["SSEKMS"]["KeyId"]
    elif "SSES3" in encryption:
        sse, kms = "AES256", None
    else:
        sse, kms = None, None  # the bucket's default encryption applies
    data = _csv_bytes([t.bucket, url_key(t.key), t.version_id or ""] for t in tasks)
    data_key = f"{base}/data/{uuid.uuid4()}.csv"
    _put(job.account, bucket, data_key, data, sse, kms)
    manifest = {
        "sourceBucket": source,
        "destinationBucket": f"arn:aws:s3:::{bucket}",
        "version": "2021-11-30",
        "creationTimestamp": str(int(time.time() * 1000)),
        "fileFormat": "CSV",
        "fileSchema": "Bucket, Key, VersionId",
        "files": [{"key": data_key, "size": len(data), "MD5checksum": hashlib.md5(data).hexdigest()}],
    }
    manifest_key = f"{base}/manifest.json"
    obj = _put(job.account, bucket, manifest_key, json.dumps(manifest, indent=2).encode(), sse, kms)
    job.generated_manifest = {"Format": GENERATED_FORMAT,
                              "Location": {"ObjectArn": f"arn:aws:s3:::{bucket}/{manifest_key}",
                                           "ETag": obj.etag.strip('"')}}


def _object_bytes(account, arn, version_id, etag=None):
    bucket_and_key = arn.split(":::", 1)[1]
    bucket, _, key = bucket_and_key.partition("/")
    versions = _bucket(account, bucket, "manifest").keys.getlist(key, [])
    if version_id:
        obj = next((v for v in versions if str(v.version_id) == str(version_id)), None)
    else:
        obj = versions[-1] if versions else None
    if obj is None or isinstance(obj, FakeDeleteMarker):
        raise JobFailure("NoSuchKey", f"Reading the manifest failed: s3://{bucket}/{key} does not exist")
    if etag is not None and etag.strip('"') != obj.etag.strip('"'):
        raise JobFailure("InvalidManifestContent", "The manifest ETag does not match the ETag of the manifest object")
    return obj.value


def _rows(data, columns):
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise JobFailure("InvalidManifestContent", "Invalid Manifest Content")
    tasks = []
    for row in csv.reader(io.StringIO(text)):
        if not row:
            continue
        if len(row) < len(columns):
            raise JobFailure("InvalidManifestContent", "Invalid Manifest Content")
        fields = dict(zip(columns, row))
        if not fields.get("Bucket") or not fields.get("Key"):
            raise JobFailure("InvalidManifestContent", "Required fields are missing in the schema: Bucket, Key")
        tasks.append(Task(fields["Bucket"], unquote_plus(fields["Key"]), fields.get("VersionId") or None))
    return tasks


def _read_manifest(job):
    manifest = job.request["Manifest"]
    location = manifest["Location"]
    data = _object_bytes(job.account, location["ObjectArn"], location.get("ObjectVersionId"), location["ETag"])
    if manifest["Spec"]["Format"] == "S3BatchOperations_CSV_20180820":
        return _rows(data, manifest["Spec"]["Fields"])
    try:
        inventory = json.loads(data)
        columns = [c.strip() for c in inventory["fileSchema"].split(",")]
        files = inventory["files"]
        destination = bucket_name(inventory["destinationBucket"])
    except (ValueError, KeyError, TypeError, IndexError):
        raise JobFailure("InvalidManifestContent", "Invalid Manifest Content")
    tasks = []
    for entry in files:
        tasks.extend(_rows(_object_bytes(job.account, f"arn:aws:s3:::{destination}/{entry['key']}", None), columns))
    return tasks


# ---------------------------------------------------------------- Active

def _run_tasks(job, limit):
    if job.operation_name == "LambdaInvoke":
        if all(t.outcome is not None for t in job.tasks):
            _set(job, "Completing")
            return True
        return False
    remaining = len(job.tasks) - job.next_task
    if remaining == 0:
        _set(job, "Completing")
        return True
    runner = _encryption_runner(job)
    for _ in range(remaining if limit is None else min(max(limit, 1), remaining)):
        task = job.tasks[job.next_task]
        job.next_task += 1
        task.outcome = runner(task)
        if _record(job, task):
            return True
    return True


def _record(job, task):
    """Counts a finished task; True when the job crossed the task failure threshold and is now Failing."""
    if task.outcome[0] == "succeeded":
        job.succeeded += 1
    else:
        job.failed += 1
    attempted = job.succeeded + job.failed
    if attempted >= THRESHOLD_MIN_TASKS and job.failed * 2 > attempted:
        fail(job, "TaskFailureThresholdExceeded",
             f"{job.failed} of {attempted} tasks failed, more than half after at least {THRESHOLD_MIN_TASKS} tasks")
        return True
    return False


def _escape(value):
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _encryption_runner(job):
    sse_kms = job.request["Operation"]["S3UpdateObjectEncryption"]["ObjectEncryption"]["SSEKMS"]
    bucket_key = sse_kms.get("BucketKeyEnabled")
    body = ('<ObjectEncryption xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><SSE-KMS>'
            f"<KMSKeyArn>{_escape(sse_kms['KMSKeyArn'])}</KMSKeyArn>"
            + ("" if bucket_key is None else f"<BucketKeyEnabled>{str(bool(bucket_key)).lower()}</BucketKeyEnabled>")
            + "</SSE-KMS></ObjectEncryption>").encode()
    base = EnvironBuilder(method="PUT", path="/", data=body,
                          headers={"Content-Type": "application/xml"}).get_environ()

    def run(task):
        # The request a client would send; s3_ext reads the version from its query string.
        environ = dict(base)
        environ["PATH_INFO"] = f"/{task.bucket}/{task.key}".encode("utf-8").decode("latin-1")
        query = {"encryption": ""}
        if task.version_id:
            query["versionId"] = task.version_id
        environ["QUERY_STRING"] = urlencode(query)
        environ["wsgi.input"] = io.BytesIO(body)
        call = Call("s3", "UpdateObjectEncryption", task.bucket, task.key)
        with s3_ext.exclusive(call) or contextlib.nullcontext():
            response = s3_ext.update_object_encryption(call, Request(environ), body, job.region)
        return outcome(response.status_code, response.get_data())
    return run


def outcome(status, body):
    if status == 200:
        return ("succeeded", "200", "", "Successful")
    code, message = "InternalError", ""
    try:
        root = ET.fromstring(body)
        code = root.findtext("Code") or code
        message = root.findtext("Message") or ""
    except ET.ParseError:
        pass
    return ("failed", str(status), code, message)


# ---------------------------------------------------------------- LambdaInvoke

def invocations(job):
    """The invocation events S3 would send the function for the tasks still waiting for a result."""
    if job.status != "Active" or job.operation_name != "LambdaInvoke":
        return []
    operation = job.request["Operation"]["LambdaInvoke"]
    version = operation.get("InvocationSchemaVersion") or "1.0"
    payloads = []
    for task in job.tasks:
        if task.outcome is not None:
            continue
        if version == "2.0":
            job_part = {"id": job.id}
            if operation.get("UserArguments"):
                job_part["userArguments"] = dict(operation["UserArguments"])
            task_part = {"taskId": task.task_id, "s3Bucket": task.bucket, "s3Key": url_key(task.key),
                         "s3VersionId": task.version_id}
        else:
            job_part = {"id": job.id}
            task_part = {"taskId": task.task_id, "s3Key": url_key(task.key), "s3VersionId": task.version_id,
                         "s3BucketArn": f"arn:aws:s3:::{task.bucket}"}
        payloads.append({"invocationSchemaVersion": version, "invocationId": task.invocation_id,
                         "job": job_part, "tasks": [task_part]})
    return payloads


RESULT_CODES = ("Succeeded", "TemporaryFailure", "PermanentFailure")


def answer(job, responses):
    """Applies the function's responses (S3BatchResponse JSON): Succeeded and PermanentFailure finish a task,
    TemporaryFailure leaves it waiting to be invoked again, as S3 retries it. Raises ValueError on a response
    that does not belong to a waiting task of this job."""
    if job.status != "Active" or job.operation_name != "LambdaInvoke":
        raise ValueError(f"job {job.id} is {job.status}, not an Active LambdaInvoke job")
    waiting = {t.invocation_id: t for t in job.tasks if t.outcome is None}
    planned = []
    for response in responses:
        task = waiting.get(response.get("invocationId"))
        if task is None:
            raise ValueError(f"no waiting task has invocationId {response.get('invocationId')!r}")
        results = {r.get("taskId"): r for r in response.get("results") or []}
        unknown = set(results) - {task.task_id}
        if unknown:
            raise ValueError(f"unknown taskId {sorted(unknown)[0]!r} for invocation {task.invocation_id}")
        result = results.get(task.task_id)
        code = result.get("resultCode") if result else (response.get("treatMissingKeysAs") or "PermanentFailure")
        if code not in RESULT_CODES:
            raise ValueError(f"resultCode must be one of {', '.join(RESULT_CODES)}")
        planned.append((task, code, (result or {}).get("resultString") or ""))
    for task, code, message in planned:
        if code == "TemporaryFailure":
            task.temporary_failures += 1
            continue
        task.outcome = (("succeeded", "200", "", message) if code == "Succeeded"
                        else ("failed", "200", "PermanentFailure", message))
        if _record(job, task):
            break


# ---------------------------------------------------------------- reports and the end of a job

def _finish(job, final):
    try:
        _write_report(job)
    except JobFailure as failure:
        job.failure_reasons.append({"FailureCode": failure.code, "FailureReason": failure.reason[:256]})
        final = "Failed"
    _set(job, final)


def report_base(job):
    prefix = job.request["Report"].get("Prefix")
    return f"{prefix}/job-{job.id}" if prefix else f"job-{job.id}"


def _write_report(job):
    report = job.request["Report"]
    ran = [t for t in job.tasks or [] if t.outcome is not None]
    # S3 writes a report only once at least one task has been invoked.
    if not report.get("Enabled") or not ran:
        return
    bucket = bucket_name(report["Bucket"])
    base = report_base(job)
    groups = [("succeeded", [t for t in ran if t.outcome[0] == "succeeded"]),
              ("failed", [t for t in ran if t.outcome[0] == "failed"])]
    if (report.get("ReportScope") or "AllTasks") == "FailedTasksOnly":
        groups = groups[1:]
    results = []
    for status, tasks in groups:
        if not tasks:
            continue
        # Column order as in the documented report examples: the HTTP status comes before the error code.
        data = _csv_bytes([t.bucket, url_key(t.key), t.version_id or "", *t.outcome] for t in tasks)
        key = f"{base}/results/{hashlib.sha1(f'{job.id}/{status}'.encode()).hexdigest()}.csv"
        _put(job.account, bucket, key, data, "AES256")
        results.append({"TaskExecutionStatus": status, "Bucket": bucket,
                        "MD5Checksum": hashlib.md5(data).hexdigest(), "Key": key})
    manifest = {"Format": REPORT_FORMAT, "ReportCreationDate": iso(_now()), "Results": results,
                "ReportSchema": REPORT_SCHEMA}
    _put(job.account, bucket, f"{base}/manifest.json", json.dumps(manifest, indent=4).encode(), "AES256")

