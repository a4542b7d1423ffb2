"""IAM enforcement (authorization.py), switched on in the session's emulator for each test the way moto does it
(its allowance of unauthenticated requests, INITIAL_NO_AUTH_ACTION_COUNT, set through /moto-api/reset-auth) and off
again after it. For each family of operations an extension answers, and for those moto checks against the wrong
action or resource, a request the caller's policy allows goes through and one it does not allow is denied with the
service's own error, before anything is changed."""
import json
import urllib.request

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from atrest_emulator import process
from atrest_emulator.fixtures import without_account_host

ACCOUNT = "123456789012"
REGION = "us-east-1"


@pytest.fixture
def iam_endpoint(endpoint):
    yield endpoint
    process.allow_unauthenticated(endpoint, float("inf"))


@pytest.fixture
def admin(iam_endpoint):
    return process.create_admin(iam_endpoint)


def _client(endpoint, service, **credentials):
    made = boto3.client(service, endpoint_url=endpoint, region_name=REGION, **credentials,
                        config=Config(s3={"addressing_style": "path"}, retries={"total_max_attempts": 1}))
    if service == "s3control":
        made.meta.events.register("before-call.s3-control", without_account_host)
    return made


@pytest.fixture
def as_admin(iam_endpoint, admin):
    return lambda service: _client(iam_endpoint, service, **admin)


@pytest.fixture
def as_role(iam_endpoint, as_admin):
    """as_role(statement, ...) -> client factory for a session of a new role whose only policy is those statements."""
    made = []

    def make(*statements):
        name = f"role-{len(made)}"
        admin_arn = as_admin("sts").get_caller_identity()["Arn"]
        iam = as_admin("iam")
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": admin_arn}, "Action": "sts:AssumeRole"}]}))
        iam.put_role_policy(RoleName=name, PolicyName="p", PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": list(statements)}))
        creds = as_admin("sts").assume_role(RoleArn=f"arn:aws:iam::{ACCOUNT}:role/{name}",
                                            RoleSessionName="test")["Credentials"]
        made.append(name)
        return lambda service: _client(iam_endpoint, service, aws_access_key_id=creds["AccessKeyId"],
                                       aws_secret_access_key=creds["SecretAccessKey"],
                                       aws_session_token=creds["SessionToken"])
    return make


def allow(actions, resources):
    return {"Effect": "Allow", "Action": actions, "Resource": resources}


def denied(call, code="AccessDenied"):
    with pytest.raises(ClientError) as e:
        call()
    assert e.value.response["Error"]["Code"] == code, e.value.response
    return e.value.response


def requests(endpoint):
    with urllib.request.urlopen(endpoint + "/_atrest/requests") as r:
        return json.load(r)


# ---------------------------------------------------------------- the switch

def test_identities_are_required_once_the_allowance_is_used(iam_endpoint, admin):
    anonymous = _client(iam_endpoint, "kms", aws_access_key_id="testing", aws_secret_access_key="testing")
    denied(anonymous.list_keys, "InvalidClientTokenId")
    wrong_secret = _client(iam_endpoint, "kms", aws_access_key_id=admin["aws_access_key_id"],
                           aws_secret_access_key="not-the-secret")
    denied(wrong_secret.list_keys, "SignatureDoesNotMatch")
    assert "Keys" in _client(iam_endpoint, "kms", **admin).list_keys()


def test_a_denied_request_is_logged_as_denied(iam_endpoint, as_role):
    role = as_role(allow("kms:CreateKey", "*"))
    denied(role("kms").list_keys, "AccessDeniedException")
    entry = [r for r in requests(iam_endpoint) if r["operation"] == "ListKeys"][-1]
    assert entry["denied"] is True and entry["extension"] is False and entry["status"] == 400


# ---------------------------------------------------------------- S3 (s3_ext and moto's own table)

@pytest.fixture
def bucket(as_admin):
    s3 = as_admin("s3")
    s3.create_bucket(Bucket="bkt")
    s3.put_object(Bucket="bkt", Key="dir/a b.txt", Body=b"data", ServerSideEncryption="AES256")
    return s3


def _update_encryption(s3, key_arn):
    return s3.update_object_encryption(Bucket="bkt", Key="dir/a b.txt",
                                       ObjectEncryption={"SSEKMS": {"KMSKeyArn": key_arn}})


def test_update_object_encryption_needs_its_own_action_on_the_object(as_role, bucket):
    key_arn = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/11111111-2222-3333-4444-555555555555"
    # moto would have taken it for a PutObject: s3:PutObject alone must not do.
    writer = as_role(allow(["s3:PutObject", "s3:GetObject"], "arn:aws:s3:::bkt/*"))
    denied(lambda: _update_encryption(writer("s3"), key_arn))
    assert bucket.head_object(Bucket="bkt", Key="dir/a b.txt")["ServerSideEncryption"] == "AES256"
    other_prefix = as_role(allow("s3:UpdateObjectEncryption", "arn:aws:s3:::bkt/other/*"))
    denied(lambda: _update_encryption(other_prefix("s3"), key_arn))
    updater = as_role(allow("s3:UpdateObjectEncryption", "arn:aws:s3:::bkt/dir/*"))
    _update_encryption(updater("s3"), key_arn)
    assert bucket.head_object(Bucket="bkt", Key="dir/a b.txt")["SSEKMSKeyId"] == key_arn


def test_a_missing_object_is_a_403_without_list_bucket_and_a_404_with_it(as_role, bucket):
    """HeadObject and GetObject API Reference: without s3:ListBucket S3 does not say whether a key exists."""
    reader = as_role(allow("s3:GetObject", "arn:aws:s3:::bkt/*"))("s3")
    lister = as_role(allow("s3:GetObject", "arn:aws:s3:::bkt/*"), allow("s3:ListBucket", "arn:aws:s3:::bkt"))("s3")
    with pytest.raises(ClientError) as e:
        reader.head_object(Bucket="bkt", Key="gone")
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    denied(lambda: reader.get_object(Bucket="bkt", Key="gone"))
    assert reader.head_object(Bucket="bkt", Key="dir/a b.txt")["ContentLength"] == 4
    with pytest.raises(ClientError) as e:
        lister.head_object(Bucket="bkt", Key="gone")
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    denied(lambda: lister.get_object(Bucket="bkt", Key="gone"), "NoSuchKey")


def test_copy_needs_read_on_the_source_and_write_on_the_destination(as_role, bucket):
    copy = dict(Bucket="bkt", Key="copy.txt", CopySource={"Bucket": "bkt", "Key": "dir/a b.txt"})
    write_only = as_role(allow("s3:PutObject", "arn:aws:s3:::bkt/*"))
    denied(lambda: write_only("s3").copy_object(**copy))
    read_only = as_role(allow("s3:GetObject", "arn:aws:s3:::bkt/*"))
    denied(lambda: read_only("s3").copy_object(**copy))
    both = as_role(allow("s3:GetObject", "arn:aws:s3:::bkt/dir/*"), allow("s3:PutObject", "arn:aws:s3:::bkt/copy.txt"))
    both("s3").copy_object(**copy)
    # A tag set on the copy is a tagging write as well.
    denied(lambda: both("s3").copy_object(**copy, TaggingDirective="REPLACE", Tagging="k=v"))
    assert bucket.get_object(Bucket="bkt", Key="copy.txt")["Body"].read() == b"data"


def test_reads_of_a_version_need_the_version_actions(as_admin, as_role, bucket):
    bucket.put_bucket_versioning(Bucket="bkt", VersioningConfiguration={"Status": "Enabled"})
    version = bucket.put_object(Bucket="bkt", Key="v", Body=b"1")["VersionId"]
    plain = as_role(allow(["s3:GetObject", "s3:GetObjectTagging"], "arn:aws:s3:::bkt/*"))
    plain("s3").head_object(Bucket="bkt", Key="v")
    plain("s3").get_object_tagging(Bucket="bkt", Key="v")
    denied(lambda: plain("s3").get_object_tagging(Bucket="bkt", Key="v", VersionId=version))
    # HEAD answers have no body: the SDK reports the status.
    denied(lambda: plain("s3").head_object(Bucket="bkt", Key="v", VersionId=version), "403")
    versions = as_role(allow(["s3:GetObjectVersion", "s3:GetObjectVersionTagging"], "arn:aws:s3:::bkt/*"))
    versions("s3").head_object(Bucket="bkt", Key="v", VersionId=version)
    versions("s3").get_object_tagging(Bucket="bkt", Key="v", VersionId=version)


def test_bucket_encryption_is_read_with_get_encryption_configuration(as_role, bucket):
    # moto checks GetBucketEncryption as s3:ListBucket; AWS as s3:GetEncryptionConfiguration.
    lister = as_role(allow("s3:ListBucket", "arn:aws:s3:::bkt"))
    denied(lambda: lister("s3").get_bucket_encryption(Bucket="bkt"))
    bucket.put_bucket_encryption(Bucket="bkt", ServerSideEncryptionConfiguration={
        "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]})
    reader = as_role(allow("s3:GetEncryptionConfiguration", "arn:aws:s3:::*"))
    assert reader("s3").get_bucket_encryption(Bucket="bkt")["ServerSideEncryptionConfiguration"]["Rules"]
    denied(lambda: reader("s3").list_buckets())


def test_object_lock_writes_need_their_actions(as_role, as_admin):
    s3 = as_admin("s3")
    s3.create_bucket(Bucket="locked", ObjectLockEnabledForBucket=True)
    s3.put_object(Bucket="locked", Key="k", Body=b"x")
    hold = dict(Bucket="locked", Key="k", LegalHold={"Status": "ON"})
    writer = as_role(allow("s3:PutObject", "arn:aws:s3:::locked/*"))
    denied(lambda: writer("s3").put_object_legal_hold(**hold))
    holder = as_role(allow("s3:PutObjectLegalHold", "arn:aws:s3:::locked/*"))
    holder("s3").put_object_legal_hold(**hold)
    assert s3.get_object_legal_hold(Bucket="locked", Key="k")["LegalHold"]["Status"] == "ON"


# ---------------------------------------------------------------- S3 Control jobs (s3control_ext)

def _job(bucket_name, role_arn):
    return dict(AccountId=ACCOUNT, ConfirmationRequired=True, Priority=10, RoleArn=role_arn,
                ClientRequestToken="token-1",
                Operation={"S3UpdateObjectEncryption": {"ObjectEncryption": {"SSEKMS": {
                    "KMSKeyArn": f"arn:aws:kms:{REGION}:{ACCOUNT}:key/11111111-2222-3333-4444-555555555555"}}}},
                Report={"Enabled": False},
                ManifestGenerator={"S3JobManifestGenerator": {"SourceBucket": f"arn:aws:s3:::{bucket_name}",
                                                              "EnableManifestOutput": False}})


def test_create_job_needs_create_job_and_pass_role_on_the_job_role(as_role, bucket):
    job_role = f"arn:aws:iam::{ACCOUNT}:role/batch-job"
    no_pass = as_role(allow("s3:CreateJob", "*"))
    denied(lambda: no_pass("s3control").create_job(**_job("bkt", job_role)))
    other_role = as_role(allow("s3:CreateJob", "*"), allow("iam:PassRole", f"arn:aws:iam::{ACCOUNT}:role/other"))
    denied(lambda: other_role("s3control").create_job(**_job("bkt", job_role)))
    creator = as_role(allow("s3:CreateJob", "*"), allow("iam:PassRole", job_role),
                      allow("s3:DescribeJob", f"arn:aws:s3:{REGION}:{ACCOUNT}:job/*"))
    job_id = creator("s3control").create_job(**_job("bkt", job_role))["JobId"]
    assert creator("s3control").describe_job(AccountId=ACCOUNT, JobId=job_id)["Job"]["Status"] == "Suspended"
    denied(lambda: creator("s3control").update_job_status(AccountId=ACCOUNT, JobId=job_id,
                                                          RequestedJobStatus="Cancelled"))
    denied(lambda: creator("s3control").list_jobs(AccountId=ACCOUNT))


# ---------------------------------------------------------------- KMS (kms_ext and moto)

def test_kms_authorises_on_the_key_an_alias_or_arn_names(as_admin, as_role):
    kms = as_admin("kms")
    mine = kms.create_key()["KeyMetadata"]
    other = kms.create_key()["KeyMetadata"]
    kms.create_alias(AliasName="alias/mine", TargetKeyId=mine["KeyId"])
    reader = as_role(allow(["kms:DescribeKey", "kms:GetKeyRotationStatus", "kms:Encrypt"], mine["Arn"]))
    client = reader("kms")
    for ref in (mine["KeyId"], mine["Arn"], "alias/mine", f"arn:aws:kms:{REGION}:{ACCOUNT}:alias/mine"):
        assert client.describe_key(KeyId=ref)["KeyMetadata"]["KeyId"] == mine["KeyId"]
    client.get_key_rotation_status(KeyId=mine["KeyId"])
    client.encrypt(KeyId=mine["KeyId"], Plaintext=b"x")  # answered by moto, which checked it against "*"
    error = denied(lambda: client.describe_key(KeyId=other["KeyId"]), "AccessDeniedException")
    assert other["Arn"] in error["Error"]["Message"]
    denied(lambda: client.enable_key_rotation(KeyId=mine["KeyId"]), "AccessDeniedException")
    denied(client.list_keys, "AccessDeniedException")
    assert kms.get_key_rotation_status(KeyId=mine["KeyId"])["KeyRotationEnabled"] is False


def test_decrypt_is_authorised_on_the_key_of_the_ciphertext(as_admin, as_role):
    kms = as_admin("kms")
    mine = kms.create_key()["KeyMetadata"]
    other = kms.create_key()["KeyMetadata"]
    blob = kms.encrypt(KeyId=mine["KeyId"], Plaintext=b"x")["CiphertextBlob"]
    other_blob = kms.encrypt(KeyId=other["KeyId"], Plaintext=b"y")["CiphertextBlob"]
    role = as_role(allow("kms:Decrypt", mine["Arn"]))
    assert role("kms").decrypt(CiphertextBlob=blob)["Plaintext"] == b"x"
    denied(lambda: role("kms").decrypt(CiphertextBlob=other_blob), "AccessDeniedException")


# ---------------------------------------------------------------- EC2 (ec2_ext and moto), EFS

def test_ec2_describes_on_any_resource_and_tags_on_the_volume(as_admin, as_role):
    ec2 = as_admin("ec2")
    volume = ec2.create_volume(AvailabilityZone=f"{REGION}a", Size=1)["VolumeId"]
    other = ec2.create_volume(AvailabilityZone=f"{REGION}a", Size=1)["VolumeId"]
    role = as_role(allow("ec2:DescribeVolumes", "*"),
                   allow("ec2:CreateTags", f"arn:aws:ec2:{REGION}:{ACCOUNT}:volume/{volume}"))
    client = role("ec2")
    assert {v["VolumeId"] for v in client.describe_volumes(MaxResults=5)["Volumes"]} == {volume, other}
    client.create_tags(Resources=[volume], Tags=[{"Key": "k", "Value": "v"}])
    denied(lambda: client.create_tags(Resources=[volume, other], Tags=[{"Key": "k", "Value": "v"}]),
           "UnauthorizedOperation")
    denied(lambda: client.describe_snapshots(OwnerIds=["self"]), "UnauthorizedOperation")
    assert not ec2.describe_volumes(VolumeIds=[other])["Volumes"][0].get("Tags")


def test_efs_tags_on_the_file_system_arn(as_admin, as_role):
    efs = as_admin("efs")
    mine = efs.create_file_system(CreationToken="a")["FileSystemId"]
    other = efs.create_file_system(CreationToken="b")["FileSystemId"]
    role = as_role(allow("elasticfilesystem:DescribeFileSystems", "*"),
                   allow("elasticfilesystem:TagResource",
                         f"arn:aws:elasticfilesystem:{REGION}:{ACCOUNT}:file-system/{mine}"))
    client = role("efs")
    assert len(client.describe_file_systems()["FileSystems"]) == 2
    client.tag_resource(ResourceId=mine, Tags=[{"Key": "k", "Value": "v"}])
    denied(lambda: client.tag_resource(ResourceId=other, Tags=[{"Key": "k", "Value": "v"}]),
           "AccessDeniedException")
    denied(lambda: client.untag_resource(ResourceId=mine, TagKeys=["k"]), "AccessDeniedException")


# ---------------------------------------------------------------- Security Hub (securityhub_ext), SNS

def _finding(product):
    now = "2026-11-20T00:00:00Z"
    return {"SchemaVersion": "2018-10-08", "Id": "f-1", "ProductArn": product, "GeneratorId": "g",
            "AwsAccountId": ACCOUNT, "Types": ["Software and Configuration Checks"], "CreatedAt": now,
            "UpdatedAt": now, "Severity": {"Label": "LOW"}, "Title": "t", "Description": "d",
            "Resources": [{"Type": "Other", "Id": "r"}]}


def test_security_hub_imports_on_the_product_and_reads_on_the_hub(as_admin, as_role):
    as_admin("securityhub").enable_security_hub()
    product = f"arn:aws:securityhub:{REGION}:{ACCOUNT}:product/{ACCOUNT}/default"
    importer = as_role(allow("securityhub:BatchImportFindings", product))
    assert importer("securityhub").batch_import_findings(Findings=[_finding(product)])["SuccessCount"] == 1
    other = f"arn:aws:securityhub:{REGION}:{ACCOUNT}:product/aws/guardduty"
    denied(lambda: importer("securityhub").batch_import_findings(Findings=[_finding(other)]),
           "AccessDeniedException")
    denied(importer("securityhub").get_findings, "AccessDeniedException")
    reader = as_role(allow("securityhub:GetFindings", f"arn:aws:securityhub:*:{ACCOUNT}:hub/default"))
    assert len(reader("securityhub").get_findings()["Findings"]) == 1


def test_sns_publishes_on_the_topic(as_admin, as_role):
    sns = as_admin("sns")
    mine = sns.create_topic(Name="mine")["TopicArn"]
    other = sns.create_topic(Name="other")["TopicArn"]
    role = as_role(allow("sns:Publish", mine))
    role("sns").publish(TopicArn=mine, Message="m")
    denied(lambda: role("sns").publish(TopicArn=other, Message="m"), "AuthorizationError")


def test_the_tagging_api_is_authorised_with_the_tag_prefix(as_admin, as_role):
    # Signed for "tagging"; moto alone would ask for tagging:GetResources.
    as_admin("kms").create_key(Tags=[{"TagKey": "atrest:exempt", "TagValue": "yes"}])
    reader = as_role(allow("tag:GetResources", "*"))
    assert reader("resourcegroupstaggingapi").get_resources(ResourceTypeFilters=["kms"])["ResourceTagMappingList"]
    other = as_role(allow("tagging:GetResources", "*"))
    denied(lambda: other("resourcegroupstaggingapi").get_resources(), "AccessDeniedException")
