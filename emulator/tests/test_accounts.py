"""Several accounts in one emulator: each request acts in its own account (accounts.py), S3's ExpectedBucketOwner
(s3_bucket_ext), the bucket policy conditions an organisation's bucket uses (s3_policy), and Security Hub's per-account
findings, finding aggregator and administrator view (securityhub_ext)."""
import json

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from atrest_emulator.fixtures import make_organization

DEFAULT = "123456789012"


@pytest.fixture
def two(client, as_account):
    """Two member accounts of one organisation, and clients acting in each."""
    _, _, accounts = make_organization(client("organizations"), {"prod": ["alpha"], "dev": ["bravo"]})
    return {name: (account, as_account(account)) for name, account in accounts.items()}


def error(call):
    with pytest.raises(ClientError) as e:
        call()
    return e.value.response


def test_an_assumed_role_session_acts_in_the_roles_account_and_the_log_says_so(client, two, request_log):
    alpha, in_alpha = two["alpha"]
    assert in_alpha("sts").get_caller_identity()["Account"] == alpha
    in_alpha("kms").create_key(Description="alpha's")
    kms_calls = [e for e in request_log() if e["service"] == "kms"]
    assert [(e["operation"], e["account"]) for e in kms_calls] == [("CreateKey", alpha)]
    assert client("sts").get_caller_identity()["Account"] == DEFAULT


def test_the_log_names_the_sdk_of_each_request_bounded(client, request_log, endpoint):
    """The bench counts atrest's own requests (the Java SDK's), not those of the local tools beside it."""
    def kms_as(agent):
        return boto3.client("kms", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing",
                            aws_secret_access_key="testing", config=Config(user_agent=agent))
    client("kms").list_keys()
    kms_as("aws-sdk-java/2.57.8 " + "x" * 500).list_keys()
    kms_as("y" * 500).list_keys()
    agents = [e["client"] for e in request_log() if e["operation"] == "ListKeys"]
    assert agents[0].startswith("Boto3/")
    assert agents[1:] == ["aws-sdk-java/2.57.8", "y" * 64]


def test_kms_keys_belong_to_one_account(client, two):
    alpha, in_alpha = two["alpha"]
    bravo, in_bravo = two["bravo"]
    key = in_alpha("kms").create_key()["KeyMetadata"]
    assert key["Arn"].startswith(f"arn:aws:kms:us-east-1:{alpha}:key/")
    in_alpha("kms").enable_key_rotation(KeyId=key["KeyId"], RotationPeriodInDays=120)
    assert in_alpha("kms").get_key_rotation_status(KeyId=key["Arn"])["RotationPeriodInDays"] == 120
    assert [k["KeyId"] for k in in_bravo("kms").list_keys()["Keys"]] == []
    assert [k["KeyId"] for k in client("kms").list_keys()["Keys"]] == []
    assert error(lambda: in_bravo("kms").enable_key_rotation(KeyId=key["Arn"]))["Error"]["Code"] == \
        "NotFoundException"


def test_update_object_encryption_takes_only_a_key_of_the_bucket_owner(two):
    alpha, in_alpha = two["alpha"]
    _, in_bravo = two["bravo"]
    in_alpha("s3").create_bucket(Bucket="alpha-data")
    in_alpha("s3").put_object(Bucket="alpha-data", Key="k", Body=b"x", ServerSideEncryption="AES256")
    own = in_alpha("kms").create_key()["KeyMetadata"]["Arn"]
    foreign = in_bravo("kms").create_key()["KeyMetadata"]["Arn"]
    body = lambda arn: {"SSEKMS": {"KMSKeyArn": arn}}  # noqa: E731
    refused = error(lambda: in_alpha("s3").update_object_encryption(Bucket="alpha-data", Key="k",
                                                                    ObjectEncryption=body(foreign)))
    assert refused["Error"]["Code"] == "AccessDenied"
    in_alpha("s3").update_object_encryption(Bucket="alpha-data", Key="k", ObjectEncryption=body(own))
    assert in_alpha("s3").head_object(Bucket="alpha-data", Key="k")["SSEKMSKeyId"] == own


def test_expected_bucket_owner_keeps_a_caller_to_its_own_buckets(two):
    alpha, in_alpha = two["alpha"]
    bravo, in_bravo = two["bravo"]
    in_bravo("s3").create_bucket(Bucket="bravo-data")
    in_bravo("s3").put_object(Bucket="bravo-data", Key="k", Body=b"bravo's")
    # moto lets alpha reach bravo's bucket (as a bucket policy granting the organisation would) ...
    assert in_alpha("s3").get_object(Bucket="bravo-data", Key="k")["Body"].read() == b"bravo's"
    # ... and S3's owner condition refuses it, reads and writes alike, before anything happens.
    s3 = in_alpha("s3")
    assert error(lambda: s3.head_object(Bucket="bravo-data", Key="k", ExpectedBucketOwner=alpha))[
        "ResponseMetadata"]["HTTPStatusCode"] == 403
    assert error(lambda: s3.put_object(Bucket="bravo-data", Key="k", Body=b"alpha's", ExpectedBucketOwner=alpha))[
        "Error"]["Code"] == "AccessDenied"
    assert error(lambda: s3.copy_object(Bucket="bravo-data", Key="k", CopySource={"Bucket": "bravo-data", "Key": "k"},
                                        ServerSideEncryption="AES256", ExpectedBucketOwner=bravo,
                                        ExpectedSourceBucketOwner=alpha))["Error"]["Code"] == "AccessDenied"
    assert in_bravo("s3").get_object(Bucket="bravo-data", Key="k")["Body"].read() == b"bravo's"
    assert s3.head_object(Bucket="bravo-data", Key="k", ExpectedBucketOwner=bravo)["ContentLength"] == 7


def test_bucket_policy_conditions_for_tls_and_the_organisation(client, two, as_account):
    alpha, in_alpha = two["alpha"]
    org_id = client("organizations").describe_organization()["Organization"]["Id"]
    s3 = client("s3")
    s3.create_bucket(Bucket="shared")
    s3.put_object(Bucket="shared", Key="atrest/code.zip", Body=b"code")
    s3.put_bucket_policy(Bucket="shared", Policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Sid": "TlsOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
         "Resource": ["arn:aws:s3:::shared", "arn:aws:s3:::shared/*"],
         "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
        {"Sid": "OrganizationOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:GetObject",
         "Resource": "arn:aws:s3:::shared/*", "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": org_id}}}]}))
    # Requests to the emulator count as sent over TLS; members of the organisation read, others do not.
    assert s3.get_object(Bucket="shared", Key="atrest/code.zip")["Body"].read() == b"code"
    assert in_alpha("s3").get_object(Bucket="shared", Key="atrest/code.zip")["Body"].read() == b"code"
    outsider = as_account("999988887777")
    assert error(lambda: outsider("s3").get_object(Bucket="shared", Key="atrest/code.zip"))[
        "ResponseMetadata"]["HTTPStatusCode"] == 403


# ---------------------------------------------------------------- Security Hub

def finding(account, region, fid):
    product = f"arn:aws:securityhub:{region}:{account}:product/{account}/default"
    return {"SchemaVersion": "2018-10-08", "Id": fid, "ProductArn": product, "GeneratorId": "atrest/x",
            "AwsAccountId": account, "Types": ["Software and Configuration Checks"],
            "CreatedAt": "2026-11-20T00:00:00Z",
            "UpdatedAt": "2026-11-20T00:00:00Z", "Severity": {"Label": "HIGH"}, "Title": "t", "Description": "d",
            "Resources": [{"Type": "Other", "Id": fid}]}


def test_each_account_imports_and_reads_only_its_own_findings(two):
    alpha, in_alpha = two["alpha"]
    bravo, in_bravo = two["bravo"]
    for _, make in two.values():
        make("securityhub").enable_security_hub()
    answer = in_alpha("securityhub").batch_import_findings(Findings=[
        finding(alpha, "us-east-1", "mine"), finding(bravo, "us-east-1", "bravo's")])
    assert answer["SuccessCount"] == 1
    assert [(f["Id"], f["ErrorCode"]) for f in answer["FailedFindings"]] == [("bravo's", "AccessDeniedException")]
    assert [f["Id"] for f in in_alpha("securityhub").get_findings()["Findings"]] == ["mine"]
    assert in_bravo("securityhub").get_findings()["Findings"] == []


def test_the_administrator_sees_its_members_findings_from_every_linked_region(client, two, as_account):
    alpha, in_alpha = two["alpha"]
    bravo, in_bravo = two["bravo"]
    for _, make in two.values():
        for region in ("us-east-1", "eu-west-1"):
            make("securityhub", region).enable_security_hub()
    in_alpha("securityhub", "us-east-1").batch_import_findings(Findings=[finding(alpha, "us-east-1", "a-use1")])
    in_alpha("securityhub", "eu-west-1").batch_import_findings(Findings=[finding(alpha, "eu-west-1", "a-euw1")])
    in_bravo("securityhub", "eu-west-1").batch_import_findings(Findings=[finding(bravo, "eu-west-1", "b-euw1")])
    client("securityhub").enable_organization_admin_account(AdminAccountId=bravo)

    admin = in_bravo("securityhub", "eu-west-1")
    assert sorted(f["Id"] for f in admin.get_findings()["Findings"]) == ["a-euw1", "b-euw1"]
    made = admin.create_finding_aggregator(RegionLinkingMode="ALL_REGIONS")
    assert made["FindingAggregationRegion"] == "eu-west-1"
    assert made["FindingAggregatorArn"].startswith(f"arn:aws:securityhub:eu-west-1:{bravo}:finding-aggregator/")
    assert error(lambda: admin.create_finding_aggregator(RegionLinkingMode="ALL_REGIONS"))["Error"]["Code"] == \
        "LimitExceededException"
    # The home Region now shows the linked Regions too; a member still sees only its own.
    assert sorted(f["Id"] for f in admin.get_findings()["Findings"]) == ["a-euw1", "a-use1", "b-euw1"]
    assert sorted(f["Id"] for f in in_alpha("securityhub", "eu-west-1").get_findings()["Findings"]) == ["a-euw1"]
    assert admin.list_finding_aggregators()["FindingAggregators"] == [
        {"FindingAggregatorArn": made["FindingAggregatorArn"]}]
    got = admin.get_finding_aggregator(FindingAggregatorArn=made["FindingAggregatorArn"])
    assert got["RegionLinkingMode"] == "ALL_REGIONS"
    admin.delete_finding_aggregator(FindingAggregatorArn=made["FindingAggregatorArn"])
    assert admin.list_finding_aggregators()["FindingAggregators"] == []
    assert sorted(f["Id"] for f in admin.get_findings()["Findings"]) == ["a-euw1", "b-euw1"]


def test_an_aggregator_needs_security_hub_and_valid_linking(client):
    hub = client("securityhub")
    assert error(lambda: hub.create_finding_aggregator(RegionLinkingMode="ALL_REGIONS"))["Error"]["Code"] == \
        "InvalidAccessException"
    hub.enable_security_hub()
    assert error(lambda: hub.create_finding_aggregator(RegionLinkingMode="SPECIFIED_REGIONS"))["Error"]["Code"] == \
        "InvalidInputException"
    assert hub.create_finding_aggregator(RegionLinkingMode="SPECIFIED_REGIONS", Regions=["eu-west-1"])[
        "Regions"] == ["eu-west-1"]
