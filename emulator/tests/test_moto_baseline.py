"""What plain moto 5.2.1 (no atrest extensions) does where the storage-audit extensions step in.

Each test pins one departure from the AWS documentation that an extension corrects (fsx_ext, kms_ext, s3_ext,
ec2_ext, efs_ext, and for the organisation roll-out cloudformation_ext, cfn_resources, s3_bucket_ext, s3_policy), so the
reason for every extension stays checked: when a moto upgrade closes a gap, its test
here fails and the extension can shrink. The documented behaviour itself is tested against the emulator in the
extension's own test module.
"""
import base64
import datetime
import hashlib
import json

import pytest
from botocore.exceptions import ClientError
from botocore.parsers import ResponseParserError

SUBNET = "subnet-0123456789abcdef0"


def _code(err):
    return err.value.response["Error"]["Code"]


def _status(err):
    return err.value.response["ResponseMetadata"]["HTTPStatusCode"]


# ---------------------------------------------------------------- FSx

def test_moto_fsx_file_systems_lack_key_lifecycle_and_owner(plain_client):
    fsx = plain_client("fsx")
    created = fsx.create_file_system(FileSystemType="WINDOWS", StorageCapacity=32, SubnetIds=[SUBNET],
                                     WindowsConfiguration={"ThroughputCapacity": 8})["FileSystem"]
    assert "KmsKeyId" not in created  # AWS: the aws/fsx AWS managed key when none is given
    assert "Lifecycle" not in created and "OwnerId" not in created and "CreationTime" not in created
    assert len(created["FileSystemId"]) == len("fs-") + 8  # AWS ids have 17 hex digits


def test_moto_fsx_ignores_unknown_ids_and_answers_the_wrong_error(plain_client):
    fsx = plain_client("fsx")
    assert fsx.describe_file_systems(FileSystemIds=["fs-0123456789abcdef0"])["FileSystems"] == []
    assert fsx.describe_backups(BackupIds=["backup-0123456789abcdef0"])["Backups"] == []
    with pytest.raises(ClientError) as err:
        fsx.create_backup(FileSystemId="fs-0123456789abcdef0")
    assert _code(err) == "ResourceNotFoundException"  # AWS: FileSystemNotFound


def test_moto_fsx_backups_lack_key_type_and_file_system(plain_client):
    fsx = plain_client("fsx")
    fs = fsx.create_file_system(FileSystemType="LUSTRE", StorageCapacity=1200, SubnetIds=[SUBNET],
                                LustreConfiguration={"DeploymentType": "PERSISTENT_2",
                                                     "PerUnitStorageThroughput": 125})["FileSystem"]
    fsx.create_backup(FileSystemId=fs["FileSystemId"])
    backup = fsx.describe_backups()["Backups"][0]
    assert backup["Lifecycle"] == "CREATING"  # never becomes AVAILABLE
    for field in ("KmsKeyId", "Type", "FileSystem", "OwnerId"):
        assert field not in backup, field


# ---------------------------------------------------------------- KMS

@pytest.mark.parametrize("call", [
    lambda kms: kms.create_custom_key_store(CustomKeyStoreName="s", CloudHsmClusterId="cluster-234567abcdefg",
                                            TrustAnchorCertificate="cert", KeyStorePassword="kmsuser-pw"),
    lambda kms: kms.describe_custom_key_stores(),
    lambda kms: kms.connect_custom_key_store(CustomKeyStoreId="cks-0123456789abcdef0"),
    lambda kms: kms.disconnect_custom_key_store(CustomKeyStoreId="cks-0123456789abcdef0"),
])
def test_moto_kms_has_no_custom_key_stores(plain_client, call):
    with pytest.raises(ClientError) as err:
        call(plain_client("kms"))
    assert _status(err) == 500


def test_moto_kms_external_keys_start_enabled_and_import_is_missing(plain_client):
    kms = plain_client("kms")
    key = kms.create_key(Origin="EXTERNAL")["KeyMetadata"]
    assert key["KeyState"] == "Enabled"  # AWS: PendingImport
    for call in (lambda: kms.import_key_material(KeyId=key["KeyId"], ImportToken=b"t", EncryptedKeyMaterial=b"m",
                                                 ExpirationModel="KEY_MATERIAL_EXPIRES",
                                                 ValidTo=datetime.datetime.now() + datetime.timedelta(days=9)),
                 lambda: kms.delete_imported_key_material(KeyId=key["KeyId"])):
        with pytest.raises(ClientError) as err:
            call()
        assert _status(err) == 500


def test_moto_kms_schedule_key_deletion_ignores_a_bad_window(plain_client):
    kms = plain_client("kms")
    key = kms.create_key()["KeyMetadata"]
    answer = kms.schedule_key_deletion(KeyId=key["KeyId"], PendingWindowInDays=3)  # AWS: ValidationException
    assert "DeletionDate" not in answer and answer["KeyId"] == key["KeyId"]  # AWS: the key ARN
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "Enabled"
    kms.disable_key(KeyId=key["KeyId"])
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "Disabled"


def test_moto_kms_aws_managed_keys_are_customer_keys_and_aws_fsx_is_unknown(plain_client):
    kms = plain_client("kms")
    assert kms.describe_key(KeyId="alias/aws/ebs")["KeyMetadata"]["KeyManager"] == "CUSTOMER"
    with pytest.raises(ClientError) as err:
        kms.describe_key(KeyId="alias/aws/fsx")
    assert _code(err) == "NotFoundException"
    # Predefined aliases are listed with key ids of keys that do not exist (AWS lists them without TargetKeyId).
    listed = {a["AliasName"]: a for a in kms.list_aliases()["Aliases"]}
    with pytest.raises(ClientError):
        kms.describe_key(KeyId=listed["alias/aws/s3"]["TargetKeyId"])


def test_moto_kms_key_policy_needs_a_name_and_takes_any_text(plain_client):
    kms = plain_client("kms")
    key = kms.create_key()["KeyMetadata"]["KeyId"]
    with pytest.raises(ClientError) as err:
        kms.get_key_policy(KeyId=key)  # AWS: PolicyName defaults to "default"
    assert _code(err) == "NotFoundException"
    kms.put_key_policy(KeyId=key, PolicyName="default", Policy="not a policy")  # AWS: MalformedPolicyDocument
    assert kms.get_key_policy(KeyId=key, PolicyName="default")["Policy"] == "not a policy"


# ---------------------------------------------------------------- S3

def test_moto_s3_drops_blocked_encryption_types_and_ignores_sse_c(plain_client):
    s3 = plain_client("s3")
    s3.create_bucket(Bucket="blocked")
    s3.put_bucket_encryption(Bucket="blocked", ServerSideEncryptionConfiguration={"Rules": [{
        "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"},
        "BlockedEncryptionTypes": {"EncryptionType": ["SSE-C"]}}]})
    rule = s3.get_bucket_encryption(Bucket="blocked")["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert "BlockedEncryptionTypes" not in rule
    key = b"k" * 32
    put = s3.put_object(Bucket="blocked", Key="k", Body=b"x", SSECustomerAlgorithm="AES256",
                        SSECustomerKey=base64.b64encode(key).decode(),
                        SSECustomerKeyMD5=base64.b64encode(hashlib.md5(key).digest()).decode())
    assert put["ServerSideEncryption"] == "AES256"  # AWS: 403 AccessDenied
    with pytest.raises(ClientError) as err:  # a rule with only BlockedEncryptionTypes (AWS: valid)
        s3.put_bucket_encryption(Bucket="blocked", ServerSideEncryptionConfiguration={"Rules": [{
            "BlockedEncryptionTypes": {"EncryptionType": ["SSE-C"]}}]})
    assert _code(err) == "MalformedXML"


# ---------------------------------------------------------------- EC2 / EFS

def test_moto_ebs_default_key_reads_are_missing(plain_client):
    ec2 = plain_client("ec2")
    for call in (ec2.get_ebs_default_kms_key_id, ec2.reset_ebs_default_kms_key_id):
        with pytest.raises(Exception) as err:  # an HTML 500 page the SDK cannot even parse
            call()
        assert "500 Internal Server Error" in str(err.value)


def test_moto_ebs_snapshots_and_volumes_keep_the_key_as_given(plain_client):
    ec2, kms = plain_client("ec2"), plain_client("kms")
    volume = ec2.create_volume(AvailabilityZone="us-east-1a", Size=1, Encrypted=True)
    assert volume["KmsKeyId"].startswith("arn:aws:kms:")  # moto does create the aws/ebs key here
    snapshot = ec2.create_snapshot(VolumeId=volume["VolumeId"])
    assert snapshot["Encrypted"] is True and "KmsKeyId" not in snapshot  # AWS: the volume's key ARN
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    given = ec2.create_volume(AvailabilityZone="us-east-1a", Size=1, Encrypted=True, KmsKeyId=key_id)
    assert given["KmsKeyId"] == key_id  # AWS reports the key ARN


def test_moto_efs_encrypted_without_key_has_no_key_id(plain_client):
    efs = plain_client("efs")
    fs = efs.create_file_system(CreationToken="enc", Encrypted=True)
    assert fs["Encrypted"] is True and "KmsKeyId" not in fs  # AWS: the aws/elasticfilesystem key ARN


# ---------------------------------------------------------------- organisation roll-out

def test_moto_stacksets_reach_the_management_account_and_hide_the_stacks(plain_client):
    from atrest_emulator.fixtures import make_organization
    root, _, accounts = make_organization(plain_client("organizations"), {"": ["alpha"]})
    cfn = plain_client("cloudformation")
    template = json.dumps({"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}})
    # No trusted access needed, AutoDeployment dropped.
    cfn.create_stack_set(StackSetName="s", TemplateBody=template, PermissionModel="SERVICE_MANAGED",
                         AutoDeployment={"Enabled": True, "RetainStacksOnAccountRemoval": False})
    assert "AutoDeployment" not in cfn.describe_stack_set(StackSetName="s")["StackSet"]
    cfn.create_stack_instances(StackSetName="s", DeploymentTargets={"OrganizationalUnitIds": [root]},
                               Regions=["us-east-1"])
    # AWS never deploys to the management account.
    assert {i["Account"] for i in cfn.list_stack_instances(StackSetName="s")["Summaries"]} == \
        {"123456789012", accounts["alpha"]}


def test_moto_cloudformation_skips_alarms_and_fails_on_their_attributes(plain_client):
    cfn = plain_client("cloudformation")
    alarm = {"Type": "AWS::CloudWatch::Alarm", "Properties": {
        "Namespace": "AWS/Lambda", "MetricName": "Errors", "Statistic": "Sum", "Period": 300, "EvaluationPeriods": 1,
        "Threshold": 0, "ComparisonOperator": "GreaterThanThreshold"}}
    cfn.create_stack(StackName="plain", TemplateBody=json.dumps({"Resources": {"Alarm": alarm}}))
    assert plain_client("cloudwatch").describe_alarms()["MetricAlarms"] == []  # skipped, stack "complete"
    # A template that reads the alarm's attribute cannot be created at all (moto answers 500).
    with pytest.raises((ClientError, ResponseParserError)):
        cfn.create_stack(StackName="s", TemplateBody=json.dumps({"Resources": {"Alarm": alarm}, "Outputs": {
            "Arn": {"Value": {"Fn::GetAtt": ["Alarm", "Arn"]}}}}))


def test_moto_ignores_the_expected_bucket_owner(plain_client):
    s3 = plain_client("s3")
    s3.create_bucket(Bucket="owned")
    s3.put_object(Bucket="owned", Key="k", Body=b"x")
    # AWS: 403 for a bucket the named account does not own (this one is 123456789012's).
    assert s3.head_object(Bucket="owned", Key="k", ExpectedBucketOwner="111122223333")["ContentLength"] == 1


def test_moto_bucket_policies_ignore_conditions(plain_client):
    s3 = plain_client("s3")
    s3.create_bucket(Bucket="tls-only")
    s3.put_object(Bucket="tls-only", Key="k", Body=b"x")
    s3.put_bucket_policy(Bucket="tls-only", Policy=json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::tls-only/*",
        "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}))
    with pytest.raises(ClientError) as err:
        s3.get_object(Bucket="tls-only", Key="k")  # AWS: allowed over TLS
    assert _status(err) == 403
