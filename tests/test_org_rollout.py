"""End-to-end: atrest rolled out to an organisation with CloudFormation StackSets, against the emulator.

An organisation (a management account, a security account that is the StackSets and Security Hub delegated
administrator, three member accounts in two OUs, one of them in a nested OU) in two Regions: the security account
makes one artifact bucket per Region (org/artifact-bucket.yaml), packages atrest (tools/org_package.py, as
`make org-package` does) and deploys org/stackset.yaml, whose service-managed StackSet deploys the member template to
the member accounts. Then the built S3, KMS and audit functions run (tools/invoke.py, the real Lambda runtime
interface client) in two member accounts with the credentials of their own execution roles and the environment their
stacks gave them: each acts in its own account only, and its findings land in its own Security Hub.

The code the StackSet deploys is packaged from stand-in artifacts (a few bytes per function) unless
ATREST_ORG_FULL=1 (make test-full), which packages the real `sam build` output: what SAM zips does not change what
is tested here, since the functions that run are always the built ones, and the stand-ins keep this module fast.
"""
import collections
import json
import os
import shutil
import subprocess
import sys
import urllib.request

import boto3
import pytest
from botocore.config import Config

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "emulator"))
from atrest_emulator import process  # noqa: E402
from atrest_emulator.fixtures import make_organization, session_credentials  # noqa: E402

MANAGEMENT = "123456789012"
REGIONS = ["us-east-1", "eu-west-1"]
HOME = "us-east-1"
FUNCTIONS = ("S3ReencryptFunction", "KmsRotationFunction", "StorageAuditFunction", "S3BackfillFunction")
LAYOUT = {"security": ["sec"], "prod": ["alpha", "bravo"], "dev": [], "dev/sandbox": ["charlie"]}
FULL = os.environ.get("ATREST_ORG_FULL") == "1"


class Rollout:
    def __init__(self, endpoint, tmp):
        self.endpoint = endpoint
        self.tmp = tmp

    def client(self, service, region=HOME, credentials=None):
        credentials = credentials or {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
        return boto3.client(service, endpoint_url=self.endpoint, region_name=region, **credentials,
                            config=Config(s3={"addressing_style": "path"}, retries={"total_max_attempts": 1}))

    def account(self, name):
        return self.accounts[name]

    def acting_in(self, name, region=HOME):
        credentials = session_credentials(self.endpoint, self.accounts[name])
        return lambda service, r=region: self.client(service, r, credentials)

    def requests(self):
        with urllib.request.urlopen(self.endpoint + "/_atrest/requests") as r:
            return json.load(r)

    def function(self, name, logical_id, region=HOME):
        lam = self.acting_in(name, region)("lambda")
        for f in lam.list_functions()["Functions"]:
            if f"-{logical_id}-" in f["FunctionName"]:
                return lam.get_function_configuration(FunctionName=f["FunctionName"])
        raise AssertionError(f"no {logical_id} in {name}/{region}")

    def invoke(self, name, logical_id, event, region=HOME):
        """Runs the built function as its deployed self: the execution role of `name`'s stack (a session in that
        account) and the environment the stack gave it. Returns (exit code, response, stderr, the requests the run
        made, from the emulator's log)."""
        deployed = self.function(name, logical_id, region)
        role = self.client("sts").assume_role(RoleArn=deployed["Role"], RoleSessionName=logical_id)["Credentials"]
        path = os.path.join(self.tmp, f"{logical_id}-{name}-event.json")
        with open(path, "w") as f:
            json.dump(event, f)
        env = dict(os.environ, AWS_ENDPOINT_URL=self.endpoint, AWS_REGION=region, AWS_MAX_ATTEMPTS="2",
                   AWS_ACCESS_KEY_ID=role["AccessKeyId"], AWS_SECRET_ACCESS_KEY=role["SecretAccessKey"],
                   AWS_SESSION_TOKEN=role["SessionToken"], **deployed["Environment"]["Variables"])
        seen = len(self.requests())
        proc = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "invoke.py"), logical_id, path], env=env,
                              capture_output=True, text=True, timeout=300)
        made = self.requests()[seen:]
        return proc.returncode, json.loads(proc.stdout) if proc.stdout.strip() else None, proc.stderr, made


def _stand_in_build(tmp):
    """The built template with a few bytes of code per function, for sam package to zip and upload."""
    build = os.path.join(tmp, "build")
    os.makedirs(build)
    shutil.copy(os.path.join(ROOT, ".aws-sam", "build", "template.yaml"), build)
    for logical_id in FUNCTIONS:
        os.makedirs(os.path.join(build, logical_id, "lib"))
        with open(os.path.join(build, logical_id, "lib", "stand-in.jar"), "wb") as f:
            f.write(f"stand-in for {logical_id}".encode())
    return build


@pytest.fixture(scope="module")
def rollout(tmp_path_factory):
    tmp = str(tmp_path_factory.mktemp("org"))
    with process.running(os.path.join(tmp, "emulator.log")) as endpoint:
        r = Rollout(endpoint, tmp)
        organizations = r.client("organizations")
        r.root, r.ous, r.accounts = make_organization(organizations, LAYOUT)
        r.org_id = organizations.describe_organization()["Organization"]["Id"]
        sec = r.accounts["sec"]
        # Prerequisites, from the management account: trusted access for StackSets, the security account as the
        # StackSets delegated administrator and as Security Hub's administrator.
        r.client("cloudformation").activate_organizations_access()
        organizations.register_delegated_administrator(
            AccountId=sec, ServicePrincipal="member.org.stacksets.cloudformation.amazonaws.com")
        r.client("securityhub").enable_organization_admin_account(AdminAccountId=sec)
        # Security Hub on in the accounts (the administrator's organisation configuration does this in AWS).
        for name in ("sec", "alpha", "bravo", "charlie"):
            for region in REGIONS:
                r.acting_in(name, region)("securityhub").enable_security_hub()

        in_sec = r.acting_in("sec")
        r.bucket_prefix = f"atrest-artifacts-{sec}"
        with open(os.path.join(ROOT, "org", "artifact-bucket.yaml")) as f:
            bucket_template = f.read()
        for region in REGIONS:
            in_sec("cloudformation", region).create_stack(StackName="atrest-artifacts", TemplateBody=bucket_template,
                                                          Parameters=[
                {"ParameterKey": "BucketPrefix", "ParameterValue": r.bucket_prefix},
                {"ParameterKey": "OrganizationId", "ParameterValue": r.org_id}])

        sec_credentials = session_credentials(endpoint, sec)
        build = os.path.join(ROOT, ".aws-sam", "build") if FULL else _stand_in_build(tmp)
        out = os.path.join(tmp, "org-package")
        packaged = subprocess.run(
            [sys.executable, os.path.join(ROOT, "tools", "org_package.py"), "--bucket-prefix", r.bucket_prefix,
             "--regions", ",".join(REGIONS), "--build-dir", build, "--out", out],
            env=dict(os.environ, AWS_ENDPOINT_URL=endpoint, AWS_ACCESS_KEY_ID=sec_credentials["aws_access_key_id"],
                     AWS_SECRET_ACCESS_KEY=sec_credentials["aws_secret_access_key"],
                     AWS_SESSION_TOKEN=sec_credentials["aws_session_token"]),
            capture_output=True, text=True, timeout=600)
        assert packaged.returncode == 0, packaged.stdout + packaged.stderr
        with open(os.path.join(out, "org-package.json")) as f:
            r.package = json.load(f)

        with open(os.path.join(ROOT, "org", "stackset.yaml")) as f:
            org_template = f.read()
        in_sec("cloudformation").create_stack(StackName="atrest-org", TemplateBody=org_template, Parameters=[
            {"ParameterKey": "MemberTemplateUrl", "ParameterValue": r.package["memberTemplateUrl"]},
            {"ParameterKey": "OrganizationalUnitIds", "ParameterValue": f"{r.ous['prod']},{r.ous['dev']}"},
            {"ParameterKey": "Regions", "ParameterValue": ",".join(REGIONS)},
            {"ParameterKey": "CallAs", "ParameterValue": "DELEGATED_ADMIN"},
            {"ParameterKey": "DryRun", "ParameterValue": "false"},
            {"ParameterKey": "CreateFindingAggregator", "ParameterValue": "true"}])
        yield r


def instances(r):
    summaries = r.client("cloudformation").list_stack_instances(StackSetName="atrest")["Summaries"]
    return {(i["Account"], i["Region"]): i for i in summaries}


def test_the_stackset_deploys_atrest_to_every_member_account_and_region(rollout):
    r = rollout
    stack = r.acting_in("sec")("cloudformation").describe_stacks(StackName="atrest-org")["Stacks"][0]
    assert stack["StackStatus"] == "CREATE_COMPLETE", stack.get("StackStatusReason")
    members = {r.account(n) for n in ("alpha", "bravo", "charlie")}
    found = instances(r)
    assert set(found) == {(a, region) for a in members for region in REGIONS}
    assert {(i["Status"], i["StackInstanceStatus"]["DetailedStatus"]) for i in found.values()} == \
        {("CURRENT", "SUCCEEDED")}
    # The StackSet lives in the management account; nothing of atrest lands there or in the security account.
    for region in REGIONS:
        assert r.acting_in("sec", region)("lambda").list_functions()["Functions"] == []
        assert r.client("lambda", region).list_functions()["Functions"] == []

    with open(r.package["memberTemplate"]) as f:
        member = json.load(f)
    alarms = len([v for v in member["Resources"].values() if v["Type"] == "AWS::CloudWatch::Alarm"])
    keys = set()
    for name in ("alpha", "charlie"):
        for region in REGIONS:
            acting = r.acting_in(name, region)
            stacks = acting("cloudformation").describe_stacks()["Stacks"]
            assert [(s["StackName"].startswith("StackSet-atrest-"), s["StackStatus"]) for s in stacks] == \
                [(True, "CREATE_COMPLETE")]
            outputs = {o["OutputKey"]: o["OutputValue"] for o in stacks[0]["Outputs"]}
            key = outputs["TargetKeyArn"]
            assert key.startswith(f"arn:aws:kms:{region}:{r.account(name)}:key/")
            rotation = acting("kms").get_key_rotation_status(KeyId=key)
            assert (rotation["KeyRotationEnabled"], rotation["RotationPeriodInDays"]) == (True, 365)
            aliases = [a["AliasName"] for a in acting("kms").list_aliases(KeyId=key)["Aliases"]]
            assert aliases == [f"alias/{stacks[0]['StackName']}/target"]
            policy = json.loads(acting("kms").get_key_policy(KeyId=key)["Policy"])
            use = next(s for s in policy["Statement"] if s["Sid"] == "UseThroughS3InThisAccount")
            assert use["Condition"]["StringEquals"] == {"kms:CallerAccount": r.account(name),
                                                        "kms:ViaService": f"s3.{region}.amazonaws.com"}
            keys.add(key)
            for writer in ("S3ReencryptFunction", "S3BackfillFunction"):
                assert r.function(name, writer, region)["Environment"]["Variables"]["TARGET_KMS_KEY_ARN"] == key
            assert {f["FunctionName"].rsplit("-", 2)[1] for f in acting("lambda").list_functions()["Functions"]} == \
                set(FUNCTIONS)
            assert len(acting("cloudwatch").describe_alarms()["MetricAlarms"]) == alarms
    assert len(keys) == 4, "one target key per account and Region"

    # The code: one bucket per Region, the same content-addressed keys in each.
    for region, bucket in r.package["buckets"].items():
        listed = {o["Key"] for o in r.acting_in("sec", region)("s3").list_objects_v2(Bucket=bucket)["Contents"]}
        assert set(r.package["code"].values()) <= listed


def test_an_account_that_joins_a_target_ou_gets_atrest_in_the_chosen_regions(rollout):
    r = rollout
    organizations = r.client("organizations")
    made = organizations.create_account(Email="delta@example.com", AccountName="delta")["CreateAccountStatus"]
    delta = organizations.describe_create_account_status(CreateAccountRequestId=made["Id"])[
        "CreateAccountStatus"]["AccountId"]
    r.accounts["delta"] = delta
    organizations.move_account(AccountId=delta, SourceParentId=r.root, DestinationParentId=r.ous["prod"])
    assert {region for account, region in instances(r) if account == delta} == set(REGIONS)
    for region in REGIONS:
        assert len(r.acting_in("delta", region)("lambda").list_functions()["Functions"]) == len(FUNCTIONS)
    # Leaving the targets removes atrest; the target keys stay (the objects re-encrypted with them stay readable).
    organizations.move_account(AccountId=delta, SourceParentId=r.ous["prod"], DestinationParentId=r.root)
    assert not [a for a, _ in instances(r) if a == delta]
    for region in REGIONS:
        acting = r.acting_in("delta", region)
        assert acting("lambda").list_functions()["Functions"] == []
        keys = acting("kms").list_keys()["Keys"]
        assert len(keys) == 1 and acting("kms").describe_key(KeyId=keys[0]["KeyId"])["KeyMetadata"]["Enabled"]


def _bucket_with_object(acting, bucket, key, body):
    acting("s3").create_bucket(Bucket=bucket)
    acting("s3").put_object(Bucket=bucket, Key=key, Body=body, ServerSideEncryption="AES256")


def _record(bucket, key):
    return {"eventSource": "aws:s3", "awsRegion": HOME, "eventName": "ObjectCreated:Put",
            "s3": {"bucket": {"name": bucket}, "object": {"key": key}}}


def test_the_s3_function_reencrypts_its_own_accounts_objects_and_never_another_accounts(rollout):
    r = rollout
    alpha, charlie = r.acting_in("alpha"), r.acting_in("charlie")
    _bucket_with_object(alpha, "alpha-data", "report.csv", b"alpha's data")
    _bucket_with_object(charlie, "charlie-data", "ledger.csv", b"charlie's data")
    charlie("s3").put_object(Bucket="charlie-data", Key="batch/a.bin", Body=b"a", ServerSideEncryption="AES256")
    alpha_key = r.function("alpha", "S3ReencryptFunction")["Environment"]["Variables"]["TARGET_KMS_KEY_ARN"]
    charlie_key = r.function("charlie", "S3ReencryptFunction")["Environment"]["Variables"]["TARGET_KMS_KEY_ARN"]

    # A notification naming alpha's object and charlie's.
    code, body, err, made = r.invoke("alpha", "S3ReencryptFunction", {
        "Records": [_record("alpha-data", "report.csv"), _record("charlie-data", "ledger.csv")]})
    assert code == 0, err
    outcomes = {i["resource"]: i["outcome"] for i in body["items"]}
    assert outcomes == {"alpha-data/report.csv": "CHANGED", "charlie-data/ledger.csv": "FAILED"}
    assert alpha("s3").head_object(Bucket="alpha-data", Key="report.csv")["SSEKMSKeyId"] == alpha_key
    untouched = charlie("s3").head_object(Bucket="charlie-data", Key="ledger.csv")
    assert untouched["ServerSideEncryption"] == "AES256" and "SSEKMSKeyId" not in untouched
    # S3 refused every request alpha's function sent for charlie's bucket (ExpectedBucketOwner), before anything.
    foreign = [e for e in made if e["service"] == "s3" and "charlie-data" in e["path"]]
    assert foreign and {(e["status"], e["account"]) for e in foreign} == {(403, r.account("alpha"))}, foreign

    # A Batch Operations job in charlie whose manifest names one of charlie's objects and one of alpha's.
    code, body, err, _ = r.invoke("charlie", "S3ReencryptFunction", {
        "invocationSchemaVersion": "2.0", "invocationId": "org-test", "job": {"id": "job-1", "userArguments": {}},
        "tasks": [{"taskId": "own", "s3Bucket": "charlie-data", "s3Key": "batch/a.bin", "s3VersionId": None},
                  {"taskId": "foreign", "s3Bucket": "alpha-data", "s3Key": "report.csv", "s3VersionId": None}]})
    assert code == 0, err
    assert {t["taskId"]: t["resultCode"] for t in body["results"]} == \
        {"own": "Succeeded", "foreign": "PermanentFailure"}
    assert charlie("s3").head_object(Bucket="charlie-data", Key="batch/a.bin")["SSEKMSKeyId"] == charlie_key
    assert alpha("s3").head_object(Bucket="alpha-data", Key="report.csv")["SSEKMSKeyId"] == alpha_key


def _create_key_event(account, key):
    with open(os.path.join(ROOT, "events", "cloudtrail-create-key.json")) as f:
        event = json.load(f)
    event["account"] = event["detail"]["recipientAccountId"] = account
    event["detail"]["userIdentity"]["accountId"] = account
    event["detail"]["responseElements"]["keyMetadata"].update(keyId=key["KeyId"], arn=key["Arn"], aWSAccountId=account)
    return event


def test_the_kms_function_fixes_its_own_accounts_keys_and_skips_another_accounts(rollout):
    r = rollout
    alpha, charlie = r.acting_in("alpha"), r.acting_in("charlie")
    own = alpha("kms").create_key(Description="no rotation yet")["KeyMetadata"]
    code, body, err, _ = r.invoke("alpha", "KmsRotationFunction", _create_key_event(r.account("alpha"), own))
    assert code == 0, err
    rotation = alpha("kms").get_key_rotation_status(KeyId=own["KeyId"])
    assert (rotation["KeyRotationEnabled"], rotation["RotationPeriodInDays"]) == (True, 365)

    # An event about alpha's key delivered to charlie's function (a shared or forwarded event bus).
    other = alpha("kms").create_key(Description="alpha's, not charlie's")["KeyMetadata"]
    code, body, err, _ = r.invoke("charlie", "KmsRotationFunction", _create_key_event(r.account("alpha"), other))
    assert code == 0, err
    assert body["counts"] == {"SKIPPED": 1}
    assert "another account" in body["items"][0]["reason"]
    assert alpha("kms").get_key_rotation_status(KeyId=other["KeyId"])["KeyRotationEnabled"] is False


def test_audit_findings_land_in_each_accounts_own_security_hub(rollout):
    r = rollout
    runs = {}
    for name in ("alpha", "charlie"):
        acting = r.acting_in(name)
        volume = acting("ec2").create_volume(AvailabilityZone=f"{HOME}a", Size=1, Encrypted=False)["VolumeId"]
        # The event the stack's audit schedule sends.
        scheduler = acting("scheduler")
        group = next(g["Name"] for g in scheduler.list_schedule_groups()["ScheduleGroups"] if g["Name"] != "default")
        schedule = scheduler.get_schedule(GroupName=group, Name="StorageAuditFunctionAudit")
        code, body, err, made = r.invoke(name, "StorageAuditFunction", json.loads(schedule["Target"]["Input"]))
        assert code == 0, err
        runs[name] = (volume, made)

    for name, (volume, requests) in runs.items():
        account = r.account(name)
        # Every request of the run was made in the function's own account.
        assert {e["account"] for e in requests if e["service"]} == {account}
        findings = r.acting_in(name)("securityhub").get_findings()["Findings"]
        assert findings and {f["AwsAccountId"] for f in findings} == {account}
        assert any(volume in f["Resources"][0]["Id"] and f["Compliance"]["Status"] == "FAILED" for f in findings)
        # Every key of the account, the target key the stack created among them, is read, and that key passes the
        # audit's own checks: its policy is not open to other accounts, whatever its Principal "*".
        key = r.function(name, "S3ReencryptFunction")["Environment"]["Variables"]["TARGET_KMS_KEY_ARN"]
        own = collections.Counter(e["operation"] for e in requests if e["service"] == "kms")
        assert own["GetKeyPolicy"] == len(r.acting_in(name)("kms").list_keys()["Keys"]), own
        assert not [f for f in findings if f["Resources"][0]["Id"] == key and f["Compliance"]["Status"] != "PASSED"]
        # The function's own requests (tools/invoke.py asks STS for the account first).
        own = collections.Counter(f"{e['service']}:{e['operation']}" for e in requests if e["service"] != "sts")
        print(f"\naudit run in {name} ({account}, {HOME}): {sum(own.values())} requests {json.dumps(own)}")

    # The Security Hub administrator sees both members' findings in its home Region (the org stack's aggregator).
    admin = r.acting_in("sec")("securityhub")
    assert admin.list_finding_aggregators()["FindingAggregators"]
    seen_accounts = {f["AwsAccountId"] for f in admin.get_findings()["Findings"]}
    assert {r.account("alpha"), r.account("charlie")} <= seen_accounts


def test_rolling_back_deletes_every_member_stack_and_keeps_the_keys(rollout):
    r = rollout
    r.acting_in("sec")("cloudformation").delete_stack(StackName="atrest-org")
    with pytest.raises(r.client("cloudformation").exceptions.StackSetNotFoundException):
        r.client("cloudformation").describe_stack_set(StackSetName="atrest")
    for name in ("alpha", "bravo", "charlie"):
        for region in REGIONS:
            acting = r.acting_in(name, region)
            assert acting("cloudformation").describe_stacks()["Stacks"] == []
            assert acting("lambda").list_functions()["Functions"] == []
            assert [a["AliasName"] for a in acting("kms").list_aliases()["Aliases"]
                    if a["AliasName"].startswith("alias/StackSet-")] == []
            target = [k for k in acting("kms").list_keys()["Keys"] if "atrest target key" in
                      acting("kms").describe_key(KeyId=k["KeyId"])["KeyMetadata"].get("Description", "")]
            assert len(target) == 1, "the target key is retained"
            assert acting("logs").describe_log_groups()["logGroups"], "the log groups are retained"
