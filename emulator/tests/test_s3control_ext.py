"""s3control_ext / s3batch: S3 Batch Operations jobs (CreateJob, DescribeJob, ListJobs, UpdateJobStatus,
UpdateJobPriority, job tagging) as the AWS documentation and the s3control service model describe them."""
import base64
import csv
import datetime
import hashlib
import io
import json
import time
import urllib.error
import urllib.request
from urllib.parse import quote

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from atrest_emulator.fixtures import without_account_host

ACCOUNT = "123456789012"
KEY_ARN = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
OTHER_KEY_ARN = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/0987dcba-09fe-87dc-65ba-ab0987654321"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/batch-operations"
SOURCE = "source-bucket"
REPORTS = "report-bucket"
SCHEMA = "Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode, ResultMessage"


# ---------------------------------------------------------------- helpers

@pytest.fixture
def s3(client):
    s3 = client("s3")
    s3.create_bucket(Bucket=SOURCE)
    s3.create_bucket(Bucket=REPORTS)
    return s3


@pytest.fixture
def sc(client):
    return client("s3control")


@pytest.fixture
def raw_sc(endpoint):
    """A client without botocore's own parameter validation, to send what the service itself must reject."""
    made = boto3.client("s3control", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing",
                        aws_secret_access_key="testing",
                        config=Config(parameter_validation=False, retries={"total_max_attempts": 1}))
    made.meta.events.register("before-call.s3-control", without_account_host)
    return made


@pytest.fixture
def admin(endpoint):
    def call(path, method="GET", body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(endpoint + "/_atrest/s3control" + path, data=data, method=method)
        try:
            with urllib.request.urlopen(request) as r:
                return json.loads(r.read() or b"null")
        except urllib.error.HTTPError as e:
            return {"status": e.code, **json.loads(e.read())}
    return call


@pytest.fixture
def manual(admin):
    admin("/config", "PUT", {"mode": "manual"})


def _sse_c():
    key = b"k" * 32
    return dict(SSECustomerAlgorithm="AES256", SSECustomerKey=base64.b64encode(key).decode(),
                SSECustomerKeyMD5=base64.b64encode(hashlib.md5(key).digest()).decode())


def _encryption_op(arn=KEY_ARN, bucket_key=True):
    return {"S3UpdateObjectEncryption": {"ObjectEncryption": {"SSEKMS": {"KMSKeyArn": arn,
                                                                          "BucketKeyEnabled": bucket_key}}}}


def _report(prefix="reports", scope="AllTasks", enabled=True):
    report = {"Enabled": enabled, "Bucket": f"arn:aws:s3:::{REPORTS}", "Format": "Report_CSV_20180820",
              "ReportScope": scope}
    if prefix:
        report["Prefix"] = prefix
    return report


def _generator(flt=None, output=True, source=SOURCE):
    spec = {"SourceBucket": f"arn:aws:s3:::{source}", "EnableManifestOutput": output}
    if output:
        spec["ManifestOutputLocation"] = {"Bucket": f"arn:aws:s3:::{REPORTS}", "ManifestPrefix": "manifests",
                                          "ManifestFormat": "S3InventoryReport_CSV_20211130"}
    if flt is not None:
        spec["Filter"] = flt
    return {"S3JobManifestGenerator": spec}


def _request(**overrides):
    request = dict(AccountId=ACCOUNT, ConfirmationRequired=False, Priority=10, RoleArn=ROLE,
                   Operation=_encryption_op(), Report=_report(),
                   ManifestGenerator=_generator({"MatchAnyObjectEncryption": [{"SSES3": {}}]}))
    request.update(overrides)
    return {k: v for k, v in request.items() if v is not None}


def _create(sc, **overrides):
    return sc.create_job(**_request(**overrides))["JobId"]


def _describe(sc, job_id):
    return sc.describe_job(AccountId=ACCOUNT, JobId=job_id)["Job"]


def _error(err):
    return err.value.response["ResponseMetadata"]["HTTPStatusCode"], err.value.response["Error"]["Code"]


def _statuses(admin, job_id):
    return [e["detail"]["serviceEventDetails"]["status"] for e in admin(f"/jobs/{job_id}/events")]


def _read(s3, bucket, key):
    return s3.get_object(Bucket=bucket, Key=key)["Body"].read()


def _report_rows(s3, job_id, prefix="reports"):
    """(manifest, {TaskExecutionStatus: [rows]}) of a job's completion report."""
    base = f"{prefix}/job-{job_id}" if prefix else f"job-{job_id}"
    manifest = json.loads(_read(s3, REPORTS, f"{base}/manifest.json"))
    rows = {}
    for result in manifest["Results"]:
        data = _read(s3, result["Bucket"], result["Key"])
        assert hashlib.md5(data).hexdigest() == result["MD5Checksum"]
        rows[result["TaskExecutionStatus"]] = list(csv.reader(io.StringIO(data.decode())))
    return manifest, rows


def _generated_keys(s3, job):
    location = job["GeneratedManifestDescriptor"]["Location"]["ObjectArn"].split(":::", 1)[1]
    bucket, key = location.split("/", 1)
    manifest = json.loads(_read(s3, bucket, key))
    rows = []
    for entry in manifest["files"]:
        rows += list(csv.reader(io.StringIO(_read(s3, bucket, entry["key"]).decode())))
    return manifest, rows


# ---------------------------------------------------------------- addressing, classification, wire format

def test_sdk_puts_the_account_in_the_host_and_the_test_client_removes_it(endpoint, sc):
    plain = boto3.client("s3control", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="t",
                         aws_secret_access_key="t", config=Config(inject_host_prefix=False))
    seen = []

    def capture(request, **kwargs):
        seen.append(request.url)
        raise RuntimeError("captured")
    plain.meta.events.register("before-send", capture)
    with pytest.raises(RuntimeError):
        plain.list_jobs(AccountId=ACCOUNT)
    # Endpoint rules, not the hostPrefix trait: inject_host_prefix=False leaves the account label in place.
    assert seen[0].startswith(f"http://{ACCOUNT}.127.0.0.1:")
    assert sc.list_jobs(AccountId=ACCOUNT)["Jobs"] == []


@pytest.mark.parametrize("method, path, operation", [
    ("POST", "/v20180820/jobs", "CreateJob"),
    ("GET", "/v20180820/jobs", "ListJobs"),
    ("GET", "/v20180820/jobs/abcde-123", "DescribeJob"),
    ("POST", "/v20180820/jobs/abcde-123/status", "UpdateJobStatus"),
    ("POST", "/v20180820/jobs/abcde-123/priority", "UpdateJobPriority"),
    ("GET", "/v20180820/jobs/abcde-123/tagging", "GetJobTagging"),
    ("PUT", "/v20180820/jobs/abcde-123/tagging", "PutJobTagging"),
    ("DELETE", "/v20180820/jobs/abcde-123/tagging", "DeleteJobTagging"),
    ("GET", "/v20180820/configuration/publicAccessBlock", "GET /v20180820/configuration/publicAccessBlock"),
])
def test_classifier_names_s3_control_operations(method, path, operation):
    from atrest_emulator.classify import classify
    call = classify("s3", {"REQUEST_METHOD": method, "PATH_INFO": path}, b"")
    assert (call.service, call.operation) == ("s3control", operation)


def test_request_log_shows_s3control_operations(s3, sc, request_log):
    job_id = _create(sc)
    _describe(sc, job_id)
    sc.list_jobs(AccountId=ACCOUNT)
    sc.get_job_tagging(AccountId=ACCOUNT, JobId=job_id)
    logged = [(e["service"], e["operation"], e["status"]) for e in request_log() if e["service"] == "s3control"]
    assert logged == [("s3control", "CreateJob", 200), ("s3control", "DescribeJob", 200),
                      ("s3control", "ListJobs", 200), ("s3control", "GetJobTagging", 200)]


def test_requests_for_another_account_are_denied(s3, raw_sc):
    with pytest.raises(ClientError) as err:
        raw_sc.list_jobs(AccountId="210987654321")
    assert _error(err) == (403, "AccessDenied")


# ---------------------------------------------------------------- CreateJob validation

UNSUPPORTED = {"S3PutObjectCopy": {"TargetResource": "arn:aws:s3:::elsewhere"}}


@pytest.mark.parametrize("overrides, message", [
    (dict(RoleArn=f"arn:aws:iam::{ACCOUNT}:user/someone"), "RoleArn"),
    (dict(RoleArn="batch-operations"), "RoleArn"),
    (dict(Priority=-1), "Priority"),
    (dict(Priority=2147483648), "Priority"),
    (dict(ClientRequestToken="t" * 65), "ClientRequestToken"),
    (dict(Description=""), "Description"),
    (dict(Operation={}), "exactly one"),
    (dict(Operation={**_encryption_op(), "LambdaInvoke": {"FunctionArn": "fn"}}), "exactly one"),
    (dict(Operation=UNSUPPORTED), "S3PutObjectCopy operation is not supported by this emulator"),
    (dict(Operation={"S3PutObjectTagging": {"TagSet": []}}), "not supported by this emulator"),
    (dict(Operation=_encryption_op(arn=f"arn:aws:kms:us-east-1:{ACCOUNT}:alias/atrest")), "full AWS KMS key ARN"),
    (dict(Operation=_encryption_op(arn="1234abcd-12ab-34cd-56ef-1234567890ab")), "full AWS KMS key ARN"),
    (dict(Operation={"S3UpdateObjectEncryption": {"ObjectEncryption": {}}}), "SSE-KMS"),
    (dict(Operation={"LambdaInvoke": {"FunctionArn": "fn", "InvocationSchemaVersion": "1.0",
                                      "UserArguments": {"a": "b"}}}), "UserArguments require"),
    (dict(Operation={"LambdaInvoke": {"FunctionArn": "fn", "InvocationSchemaVersion": "3.0"}}), "1.0 or 2.0"),
    (dict(Operation={"LambdaInvoke": {"FunctionArn": "not a function!"}}), "FunctionArn"),
    (dict(Report={"Enabled": True, "Format": "Report_CSV_20180820"}), "Report.Bucket"),
    (dict(Report={**_report(), "Format": "CSV"}), "Report.Format"),
    (dict(Report={**_report(), "ReportScope": "SomeTasks"}), "ReportScope"),
    (dict(Report={**_report(), "Bucket": "report-bucket"}), "Report.Bucket"),
    (dict(ManifestGenerator=None), "either a Manifest or a ManifestGenerator"),
    (dict(Manifest={"Spec": {"Format": "S3BatchOperations_CSV_20180820", "Fields": ["Bucket", "Key"]},
                    "Location": {"ObjectArn": f"arn:aws:s3:::{SOURCE}/m.csv", "ETag": "x"}}),
     "either a Manifest or a ManifestGenerator"),
    (dict(ManifestGenerator={"S3JobManifestGenerator": {"SourceBucket": f"arn:aws:s3:::{SOURCE}",
                                                        "EnableManifestOutput": True}}), "ManifestOutputLocation"),
    (dict(ManifestGenerator=_generator() | {"S3JobManifestGenerator": {
        **_generator()["S3JobManifestGenerator"],
        "ManifestOutputLocation": {"Bucket": f"arn:aws:s3:::{REPORTS}", "ManifestFormat": "CSV"}}}),
     "ManifestFormat"),
    (dict(ManifestGenerator=_generator({"KeyNameConstraint": {"MatchAnyPrefix": ["a/", "b/"]}})),
     "exactly one string"),
    (dict(ManifestGenerator=_generator({"MatchAnyObjectEncryption": [{"SSES3": {}}, {"NOTSSE": {}}]})),
     "exactly one ObjectEncryption filter"),
    (dict(ManifestGenerator=_generator({"MatchAnyObjectEncryption": [{"SSES3": {}, "NOTSSE": {}}]})),
     "ObjectEncryptionFilter must specify exactly one of its members"),
    (dict(ManifestGenerator=_generator({"MatchAnyObjectEncryption": [{}]})),
     "ObjectEncryptionFilter must specify exactly one of its members"),
    (dict(ManifestGenerator={"S3JobManifestGenerator": None}), "JobManifestGenerator must specify exactly one"),
    (dict(ManifestGenerator=_generator({"MatchAnyObjectEncryption": [
        {"SSEKMS": {"KmsKeyArn": f"arn:aws:kms:us-east-1:{ACCOUNT}:alias/atrest"}}]})), "full AWS KMS key ARN"),
    (dict(ManifestGenerator=_generator({"MatchAnyStorageClass": ["COLD"]})), "MatchAnyStorageClass"),
    (dict(ManifestGenerator=_generator({"ObjectSizeGreaterThanBytes": -1})), "must not be negative"),
    (dict(ManifestGenerator=_generator({"ObjectReplicationStatuses": ["DONE"]})), "ObjectReplicationStatuses"),
    (dict(ManifestGenerator={"S3JobManifestGenerator": {"SourceBucket": SOURCE, "EnableManifestOutput": False}}),
     "SourceBucket"),
    (dict(Tags=[{"Key": "a", "Value": "1"}, {"Key": "a", "Value": "2"}]), "unique"),
])
def test_create_job_rejects_invalid_requests(raw_sc, overrides, message):
    with pytest.raises(ClientError) as err:
        raw_sc.create_job(**_request(**{"ClientRequestToken": "token", **overrides}))
    assert _error(err) == (400, "BadRequestException")
    assert message in err.value.response["Error"]["Message"]
    assert raw_sc.list_jobs(AccountId=ACCOUNT)["Jobs"] == []


def test_create_job_rejects_more_than_fifty_tags(s3, raw_sc):
    with pytest.raises(ClientError) as err:
        raw_sc.create_job(**_request(ClientRequestToken="t", Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(51)]))
    assert _error(err) == (400, "TooManyTagsException")


def test_client_request_token_makes_create_job_idempotent(s3, sc, admin):
    first = _create(sc, ClientRequestToken="same-token")
    assert _create(sc, ClientRequestToken="same-token") == first
    assert len(sc.list_jobs(AccountId=ACCOUNT)["Jobs"]) == 1
    assert [e["detail"]["eventName"] for e in admin(f"/jobs/{first}/events")].count("JobCreated") == 1
    with pytest.raises(ClientError) as err:
        _create(sc, ClientRequestToken="same-token", Priority=11)
    assert _error(err) == (409, "IdempotencyException")
    assert _create(sc, ClientRequestToken="other-token") != first


# ---------------------------------------------------------------- manifest generation

@pytest.fixture
def objects(s3):
    """Current versions of every encryption type, size and storage class, in a versioned bucket with an older
    version and a deleted key (neither of which a generated manifest lists)."""
    s3.put_bucket_versioning(Bucket=SOURCE, VersioningConfiguration={"Status": "Enabled"})
    s3.put_object(Bucket=SOURCE, Key="a/sse-s3.txt", Body=b"old", ServerSideEncryption="AES256")
    put = {
        "a/sse-s3.txt": dict(Body=b"x" * 10, ServerSideEncryption="AES256"),
        "a/kms.log": dict(Body=b"x" * 100, ServerSideEncryption="aws:kms", SSEKMSKeyId=KEY_ARN,
                          BucketKeyEnabled=True),
        "b/kms-other.txt": dict(Body=b"x" * 1000, ServerSideEncryption="aws:kms", SSEKMSKeyId=OTHER_KEY_ARN),
        "b/dsse.bin": dict(Body=b"x" * 5, ServerSideEncryption="aws:kms:dsse", SSEKMSKeyId=KEY_ARN),
        "c/ssec.txt": dict(Body=b"x" * 5, **_sse_c()),
        "c/plain.txt": dict(Body=b"x" * 5, StorageClass="STANDARD_IA"),
        "gone.txt": dict(Body=b"x", ServerSideEncryption="AES256"),
    }
    versions = {key: s3.put_object(Bucket=SOURCE, Key=key, **kwargs)["VersionId"] for key, kwargs in put.items()}
    s3.delete_object(Bucket=SOURCE, Key="gone.txt")
    del versions["gone.txt"]
    return versions


def _prepared(sc, admin, flt, **overrides):
    """A job prepared in manual mode (its manifest generated, no task run)."""
    job_id = _create(sc, ManifestGenerator=_generator(flt), **overrides)
    admin(f"/jobs/{job_id}/step", "POST", {})
    admin(f"/jobs/{job_id}/step", "POST", {})
    return _describe(sc, job_id)


ALL = {"a/sse-s3.txt", "a/kms.log", "b/kms-other.txt", "b/dsse.bin", "c/ssec.txt", "c/plain.txt"}
FILTERS = [
    ({}, ALL),
    ({"KeyNameConstraint": {"MatchAnyPrefix": ["a/"]}}, {"a/sse-s3.txt", "a/kms.log"}),
    ({"KeyNameConstraint": {"MatchAnySuffix": [".txt"]}}, {"a/sse-s3.txt", "b/kms-other.txt", "c/ssec.txt",
                                                          "c/plain.txt"}),
    ({"KeyNameConstraint": {"MatchAnySubstring": ["kms"]}}, {"a/kms.log", "b/kms-other.txt"}),
    ({"KeyNameConstraint": {"MatchAnyPrefix": ["b/"], "MatchAnySuffix": [".txt"]}}, {"b/kms-other.txt"}),
    ({"ObjectSizeGreaterThanBytes": 10}, {"a/kms.log", "b/kms-other.txt"}),
    ({"ObjectSizeLessThanBytes": 100}, {"a/sse-s3.txt", "b/dsse.bin", "c/ssec.txt", "c/plain.txt"}),
    ({"ObjectSizeGreaterThanBytes": 5, "ObjectSizeLessThanBytes": 1000}, {"a/sse-s3.txt", "a/kms.log"}),
    ({"MatchAnyStorageClass": ["STANDARD_IA", "GLACIER"]}, {"c/plain.txt"}),
    ({"MatchAnyObjectEncryption": [{"SSES3": {}}]}, {"a/sse-s3.txt"}),
    ({"MatchAnyObjectEncryption": [{"SSEKMS": {}}]}, {"a/kms.log", "b/kms-other.txt"}),
    ({"MatchAnyObjectEncryption": [{"SSEKMS": {"KmsKeyArn": KEY_ARN}}]}, {"a/kms.log"}),
    ({"MatchAnyObjectEncryption": [{"SSEKMS": {"BucketKeyEnabled": True}}]}, {"a/kms.log"}),
    ({"MatchAnyObjectEncryption": [{"SSEKMS": {"KmsKeyArn": OTHER_KEY_ARN, "BucketKeyEnabled": False}}]},
     {"b/kms-other.txt"}),
    ({"MatchAnyObjectEncryption": [{"DSSEKMS": {}}]}, {"b/dsse.bin"}),
    ({"MatchAnyObjectEncryption": [{"DSSEKMS": {"KmsKeyArn": OTHER_KEY_ARN}}]}, set()),
    ({"MatchAnyObjectEncryption": [{"SSEC": {}}]}, {"c/ssec.txt"}),
    ({"MatchAnyObjectEncryption": [{"NOTSSE": {}}]}, {"c/plain.txt"}),
    ({"ObjectReplicationStatuses": ["NONE"]}, ALL),
    ({"ObjectReplicationStatuses": ["COMPLETED", "REPLICA"]}, set()),
]


def test_generated_manifest_honours_each_filter(s3, sc, admin, manual, objects):
    # One set of objects for the whole table: a prepared job reads them and changes nothing.
    for flt, expected in FILTERS:
        job = _prepared(sc, admin, flt)
        assert job["Status"] == "Ready", flt
        assert job["ProgressSummary"]["TotalNumberOfTasks"] == len(expected), flt
        manifest, rows = _generated_keys(s3, job)
        assert manifest["fileSchema"] == "Bucket, Key, VersionId" and manifest["sourceBucket"] == SOURCE
        assert {row[1] for row in rows} == {quote(k) for k in expected}, flt
        # Current versions only, each named by its version id.
        assert all(row[0] == SOURCE and row[2] == objects[row[1]] for row in rows), flt


def test_generated_manifest_honours_creation_times(s3, sc, admin, manual):
    s3.put_object(Bucket=SOURCE, Key="early", Body=b"x", ServerSideEncryption="AES256")
    time.sleep(0.05)
    cutoff = datetime.datetime.now(datetime.timezone.utc)
    time.sleep(0.05)
    s3.put_object(Bucket=SOURCE, Key="late", Body=b"x", ServerSideEncryption="AES256")
    after = _prepared(sc, admin, {"CreatedAfter": cutoff})
    before = _prepared(sc, admin, {"CreatedBefore": cutoff})
    assert [r[1] for r in _generated_keys(s3, after)[1]] == ["late"]
    assert [r[1] for r in _generated_keys(s3, before)[1]] == ["early"]


def test_generated_manifest_honours_replication_eligibility(s3, sc, admin, manual, objects):
    s3.put_bucket_replication(Bucket=SOURCE, ReplicationConfiguration={
        "Role": ROLE, "Rules": [{"ID": "a", "Priority": 1, "Status": "Enabled", "Filter": {"Prefix": "a/"},
                                 "DeleteMarkerReplication": {"Status": "Disabled"},
                                 "Destination": {"Bucket": f"arn:aws:s3:::{REPORTS}"}}]})
    eligible = _prepared(sc, admin, {"EligibleForReplication": True})
    ineligible = _prepared(sc, admin, {"EligibleForReplication": False})
    assert {r[1] for r in _generated_keys(s3, eligible)[1]} == {"a/sse-s3.txt", "a/kms.log"}
    assert {r[1] for r in _generated_keys(s3, ineligible)[1]} == {quote(k) for k in ALL - {"a/sse-s3.txt",
                                                                                           "a/kms.log"}}


def test_generated_manifest_is_written_with_the_requested_encryption(s3, sc, admin, manual):
    s3.put_object(Bucket=SOURCE, Key="k", Body=b"x", ServerSideEncryption="AES256")
    generator = _generator()
    generator["S3JobManifestGenerator"]["ManifestOutputLocation"]["ManifestEncryption"] = {
        "SSEKMS": {"KeyId": KEY_ARN}}
    job_id = _create(sc, ManifestGenerator=generator)
    admin(f"/jobs/{job_id}/step", "POST")
    admin(f"/jobs/{job_id}/step", "POST")
    location = _describe(sc, job_id)["GeneratedManifestDescriptor"]
    assert location["Format"] == "S3InventoryReport_CSV_20211130"
    key = location["Location"]["ObjectArn"].split(f":::{REPORTS}/", 1)[1]
    assert key == f"manifests/job-{job_id}/manifest.json"
    head = s3.head_object(Bucket=REPORTS, Key=key)
    assert (head["ServerSideEncryption"], head["SSEKMSKeyId"]) == ("aws:kms", KEY_ARN)
    assert head["ETag"].strip('"') == location["Location"]["ETag"]


def test_no_manifest_output_leaves_no_descriptor(s3, sc):
    s3.put_object(Bucket=SOURCE, Key="k", Body=b"x", ServerSideEncryption="AES256")
    job = _describe(sc, _create(sc, ManifestGenerator=_generator({}, output=False)))
    assert job["Status"] == "Complete" and "GeneratedManifestDescriptor" not in job
    assert [o["Key"].split("/")[0] for o in s3.list_objects_v2(Bucket=REPORTS)["Contents"]] == ["reports"] * 2


# ---------------------------------------------------------------- statuses and events

def test_job_without_confirmation_runs_to_complete_and_records_every_status(s3, sc, admin):
    s3.put_object(Bucket=SOURCE, Key="k1", Body=b"x", ServerSideEncryption="AES256")
    s3.put_object(Bucket=SOURCE, Key="k2", Body=b"x", ServerSideEncryption="AES256")
    job_id = _create(sc, Description="backfill")
    job = _describe(sc, job_id)
    assert job["Status"] == "Complete"
    assert job["JobArn"] == f"arn:aws:s3:us-east-1:{ACCOUNT}:job/{job_id}"
    assert job["ProgressSummary"]["TotalNumberOfTasks"] == 2
    assert job["ProgressSummary"]["NumberOfTasksSucceeded"] == 2
    assert job["ProgressSummary"]["NumberOfTasksFailed"] == 0
    assert job["ProgressSummary"]["Timers"]["ElapsedTimeInActiveSeconds"] >= 0
    assert job["CreationTime"] <= job["TerminationDate"]
    assert (job["Description"], job["Priority"], job["RoleArn"], job["ConfirmationRequired"]) == (
        "backfill", 10, ROLE, False)
    assert job["Operation"] == _encryption_op() and job["Report"] == _report()
    assert _statuses(admin, job_id) == ["New", "Preparing", "Ready", "Active", "Completing", "Complete"]
    assert [s["status"] for s in admin(f"/jobs/{job_id}")["history"]] == _statuses(admin, job_id)
    assert s3.head_object(Bucket=SOURCE, Key="k1")["SSEKMSKeyId"] == KEY_ARN


def test_job_with_confirmation_waits_suspended_until_confirmed(s3, sc, admin):
    s3.put_object(Bucket=SOURCE, Key="k", Body=b"x", ServerSideEncryption="AES256")
    job_id = _create(sc, ConfirmationRequired=True)
    job = _describe(sc, job_id)
    assert job["Status"] == "Suspended" and job["ConfirmationRequired"] is True
    assert job["ProgressSummary"]["TotalNumberOfTasks"] == 1 and "SuspendedDate" in job
    assert s3.head_object(Bucket=SOURCE, Key="k")["ServerSideEncryption"] == "AES256"

    answer = sc.update_job_status(AccountId=ACCOUNT, JobId=job_id, RequestedJobStatus="Ready",
                                  StatusUpdateReason="approved")
    assert (answer["Status"], answer["StatusUpdateReason"]) == ("Ready", "approved")
    job = _describe(sc, job_id)
    assert (job["Status"], job["StatusUpdateReason"]) == ("Complete", "approved")
    assert _statuses(admin, job_id) == ["New", "Preparing", "Suspended", "Ready", "Active", "Completing", "Complete"]
    ready = admin(f"/jobs/{job_id}/events")[3]["detail"]["serviceEventDetails"]
    assert ready["statusChangeReason"] == ["approved"]
    assert s3.head_object(Bucket=SOURCE, Key="k")["ServerSideEncryption"] == "aws:kms"


def test_manual_mode_shows_every_status_and_partial_progress(s3, sc, admin, manual):
    for i in range(3):
        s3.put_object(Bucket=SOURCE, Key=f"k{i}", Body=b"x", ServerSideEncryption="AES256")
    job_id = _create(sc)
    seen = [(_describe(sc, job_id)["Status"], _describe(sc, job_id)["ProgressSummary"]["NumberOfTasksSucceeded"])]
    for options in ({}, {}, {}, {"tasks": 1}, {"tasks": 5}, {}, {}):
        admin(f"/jobs/{job_id}/step", "POST", options)
        job = _describe(sc, job_id)
        seen.append((job["Status"], job["ProgressSummary"]["NumberOfTasksSucceeded"]))
    assert seen == [("New", 0), ("Preparing", 0), ("Ready", 0), ("Active", 0), ("Active", 1), ("Active", 3),
                    ("Completing", 3), ("Complete", 3)]
    assert admin(f"/jobs/{job_id}/step", "POST", {"tasks": 0})["status"] == 400


def test_poll_mode_moves_a_job_one_status_per_describe(s3, sc, admin):
    s3.put_object(Bucket=SOURCE, Key="k", Body=b"x", ServerSideEncryption="AES256")
    admin("/config", "PUT", {"mode": "poll"})
    job_id = _create(sc)
    seen = [_describe(sc, job_id)["Status"] for _ in range(7)]
    assert seen == ["Preparing", "Ready", "Active", "Active", "Completing", "Complete", "Complete"]
    assert admin("/config", "PUT", {"mode": "sometimes"})["status"] == 400


def test_cancelling_a_suspended_job_ends_it_without_a_report(s3, sc, admin):
    s3.put_object(Bucket=SOURCE, Key="k", Body=b"x", ServerSideEncryption="AES256")
    job_id = _create(sc, ConfirmationRequired=True)
    answer = sc.update_job_status(AccountId=ACCOUNT, JobId=job_id, RequestedJobStatus="Cancelled")
    assert answer["Status"] == "Cancelling"
    job = _describe(sc, job_id)
    assert job["Status"] == "Cancelled" and "TerminationDate" in job
    assert _statuses(admin, job_id)[-2:] == ["Cancelling", "Cancelled"]
    assert "Contents" not in s3.list_objects_v2(Bucket=REPORTS, Prefix="reports/")
    assert s3.head_object(Bucket=SOURCE, Key="k")["ServerSideEncryption"] == "AES256"


def test_cancelling_an_active_job_reports_the_tasks_already_run(s3, sc, admin, manual):
    for i in range(3):
        s3.put_object(Bucket=SOURCE, Key=f"k{i}", Body=b"x", ServerSideEncryption="AES256")
    job_id = _create(sc)
    for options in ({}, {}, {}, {"tasks": 1}):
        admin(f"/jobs/{job_id}/step", "POST", options)
    sc.update_job_status(AccountId=ACCOUNT, JobId=job_id, RequestedJobStatus="Cancelled", StatusUpdateReason="stop")
    admin(f"/jobs/{job_id}/step", "POST")
    assert _describe(sc, job_id)["Status"] == "Cancelled"
    _, rows = _report_rows(s3, job_id)
    assert rows == {"succeeded": [[SOURCE, "k0", "", "succeeded", "200", "", "Successful"]]}
    assert s3.head_object(Bucket=SOURCE, Key="k2")["ServerSideEncryption"] == "AES256"


@pytest.mark.parametrize("confirm", [False, True])
def test_update_job_status_rejects_transitions_s3_does_not_allow(s3, sc, confirm):
    s3.put_object(Bucket=SOURCE, Key="k", Body=b"x", ServerSideEncryption="AES256")
    job_id = _create(sc)  # already Complete
    with pytest.raises(ClientError) as err:
        sc.update_job_status(AccountId=ACCOUNT, JobId=job_id,
                             RequestedJobStatus="Ready" if confirm else "Cancelled")
    assert _error(err) == (409, "JobStatusException")


def test_unknown_jobs_are_not_found(s3, sc):
    for call in (lambda: sc.describe_job(AccountId=ACCOUNT, JobId="00000000-0000-0000-0000-000000000000"),
                 lambda: sc.get_job_tagging(AccountId=ACCOUNT, JobId="no-such-job"),
                 lambda: sc.update_job_priority(AccountId=ACCOUNT, JobId="no-such-job", Priority=1)):
        with pytest.raises(ClientError) as err:
            call()
        assert _error(err) == (404, "NotFoundException")


def test_jobs_are_regional(s3, sc, client):
    job_id = _create(sc)
    with pytest.raises(ClientError) as err:
        client("s3control", region="eu-west-1").describe_job(AccountId=ACCOUNT, JobId=job_id)
    assert _error(err) == (404, "NotFoundException")


def test_a_missing_source_bucket_fails_the_job(s3, sc, admin):
    job_id = _create(sc, ManifestGenerator=_generator({}, source="no-such-bucket"))
    job = _describe(sc, job_id)
    assert job["Status"] == "Failed" and "TotalNumberOfTasks" not in job["ProgressSummary"]
    assert job["FailureReasons"][0]["FailureCode"] == "NoSuchBucket"
    assert _statuses(admin, job_id) == ["New", "Preparing", "Failing", "Failed"]
    assert admin(f"/jobs/{job_id}/events")[-1]["detail"]["serviceEventDetails"]["failureCodes"] == ["NoSuchBucket"]
    assert "Contents" not in s3.list_objects_v2(Bucket=REPORTS)


def test_a_missing_report_bucket_or_a_foreign_source_owner_fails_the_job(s3, sc):
    no_reports = _create(sc, Report={**_report(), "Bucket": "arn:aws:s3:::no-such-reports"})
    generator = _generator({})
    generator["S3JobManifestGenerator"]["ExpectedBucketOwner"] = "210987654321"
    foreign = _create(sc, ManifestGenerator=generator)
    assert _describe(sc, no_reports)["FailureReasons"][0]["FailureCode"] == "NoSuchBucket"
    assert _describe(sc, foreign)["FailureReasons"][0]["FailureCode"] == "AccessDenied"


def test_an_empty_manifest_completes_without_tasks_or_report(s3, sc):
    job = _describe(sc, _create(sc))
    assert (job["Status"], job["ProgressSummary"]["TotalNumberOfTasks"]) == ("Complete", 0)
    assert "Contents" not in s3.list_objects_v2(Bucket=REPORTS, Prefix="reports/")


def test_admin_can_fail_pause_and_resume_a_job(s3, sc, admin, manual):
    for i in range(2):
        s3.put_object(Bucket=SOURCE, Key=f"k{i}", Body=b"x", ServerSideEncryption="AES256")
    paused, failed = _create(sc), _create(sc)
    for options in ({}, {}, {}, {"tasks": 1}):
        for job_id in (paused, failed):
            admin(f"/jobs/{job_id}/step", "POST", options)
    assert admin(f"/jobs/{paused}/pause", "POST")["status"] == "Pausing"
    assert admin(f"/jobs/{paused}/step", "POST")["status"] == "Paused"
    assert admin(f"/jobs/{paused}/resume", "POST")["status"] == "Active"
    assert admin(f"/jobs/{paused}/run", "POST")["status"] == "Complete"
    assert admin(f"/jobs/{failed}/fail", "POST", {"code": "Throttled", "reason": "too busy"})["status"] == "Failing"
    admin(f"/jobs/{failed}/step", "POST")
    job = _describe(sc, failed)
    assert (job["Status"], job["FailureReasons"]) == ("Failed", [{"FailureCode": "Throttled",
                                                                  "FailureReason": "too busy"}])
    assert job["ProgressSummary"]["NumberOfTasksSucceeded"] == 1
    assert _report_rows(s3, failed)[1]["succeeded"][0][:2] == [SOURCE, "k0"]
    assert admin(f"/jobs/{failed}/fail", "POST")["status"] == 409
    assert admin(f"/jobs/{paused}/pause", "POST")["status"] == 409


def test_events_have_the_cloudtrail_shape_eventbridge_delivers(s3, sc, admin):
    job_id = _create(sc)
    events = admin("/events")
    assert [e["detail"]["eventName"] for e in events] == ["JobCreated"] + ["JobStatusChanged"] * 5
    event = events[-1]
    assert (event["source"], event["detail-type"], event["account"], event["region"]) == (
        "aws.s3", "AWS Service Event via CloudTrail", ACCOUNT, "us-east-1")
    detail = event["detail"]
    assert (detail["eventSource"], detail["eventType"], detail["awsRegion"], detail["recipientAccountId"]) == (
        "s3.amazonaws.com", "AwsServiceEvent", "us-east-1", ACCOUNT)
    assert detail["userIdentity"] == {"accountId": ACCOUNT, "invokedBy": "s3.amazonaws.com"}
    details = detail["serviceEventDetails"]
    assert (details["jobId"], details["jobArn"], details["status"]) == (
        job_id, f"arn:aws:s3:us-east-1:{ACCOUNT}:job/{job_id}", "Complete")
    assert (details["failureCodes"], details["statusChangeReason"]) == ([], [])
    assert len({e["detail"]["serviceEventDetails"]["jobEventId"] for e in events}) == 6
    admin("/events", "DELETE")
    assert admin("/events") == []


# ---------------------------------------------------------------- task execution and the completion report

def test_tasks_fail_exactly_as_update_object_encryption_fails(client, sc):
    s3 = client("s3")
    s3.create_bucket(Bucket=REPORTS)
    s3.create_bucket(Bucket="locked", ObjectLockEnabledForBucket=True)
    future = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=1)
    s3.put_object(Bucket="locked", Key="ok", Body=b"x", ServerSideEncryption="AES256")
    s3.put_object(Bucket="locked", Key="retained", Body=b"x", ServerSideEncryption="AES256",
                  ObjectLockMode="GOVERNANCE", ObjectLockRetainUntilDate=future)
    s3.put_object(Bucket="locked", Key="held", Body=b"x", ServerSideEncryption="AES256",
                  ObjectLockLegalHoldStatus="ON")
    s3.put_object(Bucket="locked", Key="dsse", Body=b"x", ServerSideEncryption="aws:kms:dsse", SSEKMSKeyId=KEY_ARN)
    s3.put_object(Bucket="locked", Key="ssec", Body=b"x", **_sse_c())
    s3.put_object(Bucket="locked", Key="plain", Body=b"x")
    versions = {o["Key"]: o["VersionId"] for o in s3.list_object_versions(Bucket="locked")["Versions"]}

    # What the single-object API answers for each of them (then undone: nothing has changed yet but "ok").
    direct = {}
    for key in versions:
        try:
            s3.update_object_encryption(Bucket="locked", Key=key, VersionId=versions[key], ObjectEncryption={
                "SSEKMS": {"KMSKeyArn": OTHER_KEY_ARN, "BucketKeyEnabled": False}})
            direct[key] = ("succeeded", "200", "", "Successful")
        except ClientError as e:
            direct[key] = ("failed", str(e.response["ResponseMetadata"]["HTTPStatusCode"]),
                           e.response["Error"]["Code"], e.response["Error"]["Message"])

    job_id = _create(sc, ManifestGenerator=_generator({}, output=False, source="locked"))
    job = _describe(sc, job_id)
    assert job["Status"] == "Complete"
    assert (job["ProgressSummary"]["NumberOfTasksSucceeded"], job["ProgressSummary"]["NumberOfTasksFailed"]) == (1, 5)
    manifest, rows = _report_rows(s3, job_id)
    reported = {row[1]: tuple(row[3:]) for group in rows.values() for row in group}
    assert reported == direct
    assert {row[1]: row[2] for group in rows.values() for row in group} == versions
    assert reported["retained"][:3] == reported["held"][:3] == ("failed", "403", "AccessDenied")
    assert reported["plain"][:3] == reported["ssec"][:3] == reported["dsse"][:3] == ("failed", "400", "InvalidRequest")
    assert s3.head_object(Bucket="locked", Key="ok")["SSEKMSKeyId"] == KEY_ARN
    assert s3.head_object(Bucket="locked", Key="retained")["ServerSideEncryption"] == "AES256"


def test_completion_report_layout_and_contents(s3, sc):
    keys = ["plain key+1.txt", "d/ünï.txt"]
    for key in keys:
        s3.put_object(Bucket=SOURCE, Key=key, Body=b"x", ServerSideEncryption="AES256")
    s3.put_object(Bucket=SOURCE, Key="unencrypted", Body=b"x")
    job_id = _create(sc, ManifestGenerator=_generator({}))
    manifest, rows = _report_rows(s3, job_id)
    assert (manifest["Format"], manifest["ReportSchema"]) == ("Report_CSV_20180820", SCHEMA)
    datetime.datetime.strptime(manifest["ReportCreationDate"], "%Y-%m-%dT%H:%M:%S.%fZ")
    assert [r["TaskExecutionStatus"] for r in manifest["Results"]] == ["succeeded", "failed"]
    for result in manifest["Results"]:
        assert result["Bucket"] == REPORTS
        assert result["Key"].startswith(f"reports/job-{job_id}/results/") and result["Key"].endswith(".csv")
        assert s3.head_object(Bucket=REPORTS, Key=result["Key"])["ServerSideEncryption"] == "AES256"
    assert s3.head_object(Bucket=REPORTS, Key=f"reports/job-{job_id}/manifest.json")["ServerSideEncryption"] == "AES256"
    assert sorted(rows["succeeded"]) == sorted([SOURCE, quote(k), "", "succeeded", "200", "", "Successful"]
                                               for k in keys)
    assert rows["failed"] == [[SOURCE, "unencrypted", "", "failed", "400", "InvalidRequest",
                               "The UpdateObjectEncryption operation doesn't supported unencrypted source objects. "
                               "Only source objects encrypted with SSE-S3 or SSE-KMS are supported."]]


def test_failed_tasks_only_report_without_prefix(s3, sc):
    s3.put_object(Bucket=SOURCE, Key="ok", Body=b"x", ServerSideEncryption="AES256")
    s3.put_object(Bucket=SOURCE, Key="bad", Body=b"x")
    job_id = _create(sc, Report=_report(prefix=None, scope="FailedTasksOnly"), ManifestGenerator=_generator({}))
    manifest, rows = _report_rows(s3, job_id, prefix=None)
    assert manifest["Results"][0]["Key"].startswith(f"job-{job_id}/results/")
    assert list(rows) == ["failed"] and [r[1] for r in rows["failed"]] == ["bad"]


def test_disabled_report_writes_nothing(s3, sc):
    s3.put_object(Bucket=SOURCE, Key="ok", Body=b"x", ServerSideEncryption="AES256")
    job = _describe(sc, _create(sc, Report={"Enabled": False}, ManifestGenerator=_generator({}, output=False)))
    assert (job["Status"], job["ProgressSummary"]["NumberOfTasksSucceeded"]) == ("Complete", 1)
    assert "Contents" not in s3.list_objects_v2(Bucket=REPORTS)


def test_task_failure_threshold_fails_the_job():
    from atrest_emulator import s3batch
    request = {"Priority": 1, "Operation": _encryption_op(), "Report": {"Enabled": False}}
    job = s3batch.Job("threshold-job", ACCOUNT, "us-east-1", request)
    job.tasks = []
    for i in range(999):
        task = s3batch.Task("b", f"k{i}", None)
        task.outcome = ("failed", "403", "AccessDenied", "")
        assert not s3batch._record(job, task)
    task = s3batch.Task("b", "last", None)
    task.outcome = ("failed", "403", "AccessDenied", "")
    assert s3batch._record(job, task) and job.status == "Failing"
    assert job.failure_reasons[0]["FailureCode"] == "TaskFailureThresholdExceeded"

    half = s3batch.Job("half-job", ACCOUNT, "us-east-1", request)
    for i in range(1000):
        task = s3batch.Task("b", f"k{i}", None)
        task.outcome = ("failed" if i % 2 else "succeeded", "200", "", "")
        assert not s3batch._record(half, task)


# ---------------------------------------------------------------- a manifest in S3

def _csv_manifest(s3, rows, fields=("Bucket", "Key")):
    body = "".join(",".join(r) + "\n" for r in rows).encode()
    etag = s3.put_object(Bucket=REPORTS, Key="in/manifest.csv", Body=body)["ETag"].strip('"')
    return {"Spec": {"Format": "S3BatchOperations_CSV_20180820", "Fields": list(fields)},
            "Location": {"ObjectArn": f"arn:aws:s3:::{REPORTS}/in/manifest.csv", "ETag": etag}}


def test_csv_manifest_names_versions_and_missing_keys_fail_their_tasks(s3, sc):
    s3.put_bucket_versioning(Bucket=SOURCE, VersioningConfiguration={"Status": "Enabled"})
    old = s3.put_object(Bucket=SOURCE, Key="a b", Body=b"1", ServerSideEncryption="AES256")["VersionId"]
    s3.put_object(Bucket=SOURCE, Key="a b", Body=b"2", ServerSideEncryption="AES256")
    manifest = _csv_manifest(s3, [[SOURCE, "a%20b", old], [SOURCE, "missing", ""]],
                             fields=("Bucket", "Key", "VersionId"))
    job_id = _create(sc, ManifestGenerator=None, Manifest=manifest)
    job = _describe(sc, job_id)
    assert job["Manifest"] == manifest and job["Status"] == "Complete"
    assert s3.head_object(Bucket=SOURCE, Key="a b", VersionId=old)["ServerSideEncryption"] == "aws:kms"
    assert s3.head_object(Bucket=SOURCE, Key="a b")["ServerSideEncryption"] == "AES256"
    _, rows = _report_rows(s3, job_id)
    assert rows["succeeded"] == [[SOURCE, "a%20b", old, "succeeded", "200", "", "Successful"]]
    assert rows["failed"][0][:6] == [SOURCE, "missing", "", "failed", "404", "NoSuchKey"]


@pytest.mark.parametrize("etag, code", [("0" * 32, "InvalidManifestContent"), (None, "NoSuchKey")])
def test_an_unreadable_manifest_fails_the_job(s3, sc, etag, code):
    manifest = _csv_manifest(s3, [[SOURCE, "k"]])
    if etag is None:
        s3.delete_object(Bucket=REPORTS, Key="in/manifest.csv")
    else:
        manifest["Location"]["ETag"] = etag
    job = _describe(sc, _create(sc, ManifestGenerator=None, Manifest=manifest))
    assert (job["Status"], job["FailureReasons"][0]["FailureCode"]) == ("Failed", code)


def test_a_generated_manifest_can_be_the_manifest_of_another_job(s3, sc):
    s3.put_object(Bucket=SOURCE, Key="k", Body=b"x", ServerSideEncryption="AES256")
    first = _describe(sc, _create(sc, ConfirmationRequired=True))
    location = first["GeneratedManifestDescriptor"]["Location"]
    job_id = _create(sc, ManifestGenerator=None, Manifest={
        "Spec": {"Format": "S3InventoryReport_CSV_20161130"}, "Location": location})
    assert _describe(sc, job_id)["ProgressSummary"]["NumberOfTasksSucceeded"] == 1


# ---------------------------------------------------------------- LambdaInvoke

def _lambda_job(sc, version="2.0", arguments=None):
    operation = {"FunctionArn": f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:unencrypted-objects",
                 "InvocationSchemaVersion": version}
    if arguments:
        operation["UserArguments"] = arguments
    return _create(sc, Operation={"LambdaInvoke": operation},
                   ManifestGenerator=_generator({"MatchAnyObjectEncryption": [{"NOTSSE": {}}]}))


def test_lambda_invoke_jobs_wait_for_the_function_answers(s3, sc, admin):
    for key in ("a", "b b", "c"):
        s3.put_object(Bucket=SOURCE, Key=key, Body=b"x")
    job_id = _lambda_job(sc, arguments={"targetKey": KEY_ARN})
    assert _describe(sc, job_id)["Status"] == "Active"
    invocations = admin(f"/jobs/{job_id}/invocations")
    assert len(invocations) == 3
    first = invocations[1]
    assert first["invocationSchemaVersion"] == "2.0"
    assert first["job"] == {"id": job_id, "userArguments": {"targetKey": KEY_ARN}}
    assert first["tasks"] == [{"taskId": first["tasks"][0]["taskId"], "s3Bucket": SOURCE, "s3Key": "b%20b",
                               "s3VersionId": None}]

    def response(invocation, code, text="done"):
        return {"invocationSchemaVersion": "1.0", "treatMissingKeysAs": "PermanentFailure",
                "invocationId": invocation["invocationId"],
                "results": [{"taskId": invocation["tasks"][0]["taskId"], "resultCode": code, "resultString": text}]}

    view = admin(f"/jobs/{job_id}/invocations", "POST", [response(invocations[0], "Succeeded", "copied"),
                                                          response(invocations[1], "PermanentFailure", "nope"),
                                                          response(invocations[2], "TemporaryFailure")])
    assert (view["status"], view["succeeded"], view["failed"]) == ("Active", 1, 1)
    again = admin(f"/jobs/{job_id}/invocations")
    assert [i["invocationId"] for i in again] == [invocations[2]["invocationId"]]
    assert admin(f"/jobs/{job_id}/invocations", "POST", {"invocationId": "unknown"})["status"] == 409
    missing = {"invocationSchemaVersion": "1.0", "treatMissingKeysAs": "Succeeded",
               "invocationId": invocations[2]["invocationId"], "results": []}
    assert admin(f"/jobs/{job_id}/invocations", "POST", missing)["status"] == "Complete"

    _, rows = _report_rows(s3, job_id)
    assert rows["succeeded"] == [[SOURCE, "a", "", "succeeded", "200", "", "copied"],
                                 [SOURCE, "c", "", "succeeded", "200", "", ""]]
    assert rows["failed"] == [[SOURCE, "b%20b", "", "failed", "200", "PermanentFailure", "nope"]]
    assert _statuses(admin, job_id)[-3:] == ["Active", "Completing", "Complete"]


def test_lambda_invoke_schema_one_names_the_bucket_by_arn(s3, sc, admin):
    s3.put_object(Bucket=SOURCE, Key="k", Body=b"x")
    job_id = _lambda_job(sc, version="1.0")
    (invocation,) = admin(f"/jobs/{job_id}/invocations")
    assert invocation["job"] == {"id": job_id}
    assert invocation["tasks"][0]["s3BucketArn"] == f"arn:aws:s3:::{SOURCE}"


# ---------------------------------------------------------------- tags, priority, listing, reset

def test_job_tags_from_create_and_the_tagging_apis(s3, sc, raw_sc):
    job_id = _create(sc, Tags=[{"Key": "owner", "Value": "atrest"}])
    assert sc.get_job_tagging(AccountId=ACCOUNT, JobId=job_id)["Tags"] == [{"Key": "owner", "Value": "atrest"}]
    sc.put_job_tagging(AccountId=ACCOUNT, JobId=job_id, Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": ""}])
    assert sc.get_job_tagging(AccountId=ACCOUNT, JobId=job_id)["Tags"] == [{"Key": "a", "Value": "1"},
                                                                          {"Key": "b", "Value": ""}]
    sc.put_job_tagging(AccountId=ACCOUNT, JobId=job_id, Tags=[])
    assert sc.get_job_tagging(AccountId=ACCOUNT, JobId=job_id)["Tags"] == []
    sc.put_job_tagging(AccountId=ACCOUNT, JobId=job_id, Tags=[{"Key": "a", "Value": "1"}])
    sc.delete_job_tagging(AccountId=ACCOUNT, JobId=job_id)
    assert sc.get_job_tagging(AccountId=ACCOUNT, JobId=job_id)["Tags"] == []
    with pytest.raises(ClientError) as err:
        raw_sc.put_job_tagging(AccountId=ACCOUNT, JobId=job_id,
                               Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(51)])
    assert _error(err) == (400, "TooManyTagsException")


def test_update_job_priority(s3, sc, raw_sc):
    job_id = _create(sc)
    assert sc.update_job_priority(AccountId=ACCOUNT, JobId=job_id, Priority=42)["Priority"] == 42
    assert _describe(sc, job_id)["Priority"] == 42
    with pytest.raises(ClientError) as err:
        raw_sc.update_job_priority(AccountId=ACCOUNT, JobId=job_id, Priority=-5)
    assert _error(err) == (400, "BadRequestException")


def test_list_jobs_filters_by_status_and_pages_newest_first(s3, sc, raw_sc):
    complete = [_create(sc) for _ in range(3)]
    suspended = [_create(sc, ConfirmationRequired=True) for _ in range(2)]
    everything = sc.list_jobs(AccountId=ACCOUNT)["Jobs"]
    assert [j["JobId"] for j in everything] == list(reversed(complete + suspended))
    assert {j["Operation"] for j in everything} == {"S3UpdateObjectEncryption"}
    listed = sc.list_jobs(AccountId=ACCOUNT, JobStatuses=["Suspended"])["Jobs"]
    assert [j["JobId"] for j in listed] == list(reversed(suspended))
    assert sc.list_jobs(AccountId=ACCOUNT, JobStatuses=["Failed", "Cancelled"])["Jobs"] == []

    pages, token = [], None
    while True:
        page = sc.list_jobs(AccountId=ACCOUNT, JobStatuses=["Complete", "Suspended"], MaxResults=2,
                            **({"NextToken": token} if token else {}))
        pages.append(page)
        token = page.get("NextToken")
        if not token:
            break
    assert [len(p["Jobs"]) for p in pages] == [2, 2, 1]
    assert [j["JobId"] for p in pages for j in p["Jobs"]] == list(reversed(complete + suspended))

    for kwargs, code in ((dict(NextToken="garbage"), "InvalidNextTokenException"),
                         (dict(NextToken=pages[0]["NextToken"], JobStatuses=["Complete"]), "InvalidNextTokenException"),
                         (dict(MaxResults=1001), "InvalidRequestException"),
                         (dict(JobStatuses=["Sleeping"]), "InvalidRequestException")):
        with pytest.raises(ClientError) as err:
            raw_sc.list_jobs(AccountId=ACCOUNT, **kwargs)
        assert _error(err) == (400, code)


def test_reset_forgets_jobs_events_and_mode(s3, sc, admin, endpoint):
    job_id = _create(sc)
    admin("/config", "PUT", {"mode": "manual"})
    urllib.request.urlopen(urllib.request.Request(endpoint + "/moto-api/reset", method="POST"))
    assert admin("/events") == [] and admin("/config") == {"mode": "auto"}
    assert admin(f"/jobs/{job_id}")["status"] == 404
    assert sc.list_jobs(AccountId=ACCOUNT)["Jobs"] == []


def test_faults_can_target_s3control_operations(s3, sc, endpoint):
    rules = {"rules": [{"service": "s3control", "operation": "DescribeJob", "count": 1, "status": 503,
                        "code": "SlowDown", "message": "injected"}]}
    urllib.request.urlopen(urllib.request.Request(endpoint + "/_atrest/faults", data=json.dumps(rules).encode(),
                                                  method="POST"))
    job_id = _create(sc)
    with pytest.raises(ClientError) as err:
        _describe(sc, job_id)
    assert _error(err) == (503, "SlowDown")
    assert _describe(sc, job_id)["Status"] == "Complete"
