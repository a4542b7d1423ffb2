"""fsx_ext: FSx file systems and backups with their KMS keys, as the Amazon FSx API Reference describes them."""
import re

import pytest
from botocore.exceptions import ClientError

ACCOUNT = "123456789012"
SUBNET = "subnet-0123456789abcdef0"
CONFIGS = {
    "WINDOWS": {"WindowsConfiguration": {"ThroughputCapacity": 8, "DeploymentType": "SINGLE_AZ_2"}},
    "ONTAP": {"OntapConfiguration": {"DeploymentType": "SINGLE_AZ_1", "ThroughputCapacity": 128,
                                     "FsxAdminPassword": "secret-admin-pw"}},
    "OPENZFS": {"OpenZFSConfiguration": {"DeploymentType": "SINGLE_AZ_1", "ThroughputCapacity": 64}},
    "PERSISTENT_2": {"LustreConfiguration": {"DeploymentType": "PERSISTENT_2", "PerUnitStorageThroughput": 125}},
    "PERSISTENT_1": {"LustreConfiguration": {"DeploymentType": "PERSISTENT_1", "PerUnitStorageThroughput": 50}},
}


def _code(err):
    return err.value.response["Error"]["Code"]


def _create(fsx, kind, **kwargs):
    file_system_type = "LUSTRE" if kind.startswith(("PERSISTENT", "SCRATCH")) else kind
    config = CONFIGS.get(kind) or {"LustreConfiguration": {"DeploymentType": kind}}
    return fsx.create_file_system(FileSystemType=file_system_type, StorageCapacity=1200, SubnetIds=[SUBNET],
                                  **config, **kwargs)["FileSystem"]


@pytest.mark.parametrize("kind", ["WINDOWS", "ONTAP", "OPENZFS", "PERSISTENT_1", "PERSISTENT_2"])
def test_file_system_without_key_uses_the_aws_managed_fsx_key(client, kind):
    fsx, kms = client("fsx", "eu-west-1"), client("kms", "eu-west-1")
    created = _create(fsx, kind)
    described = fsx.describe_file_systems(FileSystemIds=[created["FileSystemId"]])["FileSystems"][0]
    key = kms.describe_key(KeyId=described["KmsKeyId"])["KeyMetadata"]
    assert described["KmsKeyId"] == key["Arn"] and key["KeyManager"] == "AWS"
    assert kms.describe_key(KeyId="alias/aws/fsx")["KeyMetadata"]["Arn"] == key["Arn"]
    assert created["KmsKeyId"] == key["Arn"]


@pytest.mark.parametrize("kind", ["WINDOWS", "ONTAP", "OPENZFS", "PERSISTENT_2"])
@pytest.mark.parametrize("name_by", ["KeyId", "Arn", "alias"])
def test_customer_key_is_reported_by_its_arn(client, kind, name_by):
    fsx, kms = client("fsx"), client("kms")
    key = kms.create_key()["KeyMetadata"]
    kms.create_alias(AliasName="alias/fsx-data", TargetKeyId=key["KeyId"])
    ref = "alias/fsx-data" if name_by == "alias" else key[name_by]
    created = _create(fsx, kind, KmsKeyId=ref)
    assert fsx.describe_file_systems()["FileSystems"][0]["KmsKeyId"] == key["Arn"] == created["KmsKeyId"]


@pytest.mark.parametrize("deployment", ["SCRATCH_1", "SCRATCH_2"])
def test_scratch_lustre_uses_fsx_managed_keys_and_takes_no_kms_key(client, deployment):
    fsx, kms = client("fsx"), client("kms")
    created = _create(fsx, deployment)
    described = fsx.describe_file_systems()["FileSystems"][0]
    assert "KmsKeyId" not in created and "KmsKeyId" not in described
    assert described["LustreConfiguration"]["DeploymentType"] == deployment
    assert kms.list_keys()["Keys"] == []  # no key of the account is used
    with pytest.raises(ClientError) as err:
        _create(fsx, deployment, KmsKeyId=kms.create_key()["KeyMetadata"]["Arn"])
    assert _code(err) == "BadRequest"


def test_lustre_defaults_to_scratch_1(client):
    fsx = client("fsx")
    created = fsx.create_file_system(FileSystemType="LUSTRE", StorageCapacity=1200, SubnetIds=[SUBNET])["FileSystem"]
    assert created["LustreConfiguration"]["DeploymentType"] == "SCRATCH_1"
    assert created["LustreConfiguration"]["MountName"] == "fsx" and "KmsKeyId" not in created


def test_unknown_kms_key_is_a_bad_request(client):
    fsx = client("fsx")
    with pytest.raises(ClientError) as err:
        _create(fsx, "WINDOWS", KmsKeyId=f"arn:aws:kms:us-east-1:{ACCOUNT}:key/00000000-0000-0000-0000-000000000000")
    assert _code(err) == "BadRequest"
    assert fsx.describe_file_systems()["FileSystems"] == []


def test_file_system_description_follows_the_api_reference(client):
    fsx = client("fsx")
    created = _create(fsx, "ONTAP", Tags=[{"Key": "team", "Value": "storage"}])
    assert created["Lifecycle"] == "CREATING"
    described = fsx.describe_file_systems()["FileSystems"][0]
    assert re.fullmatch(r"fs-[0-9a-f]{17}", described["FileSystemId"])
    assert described["ResourceARN"] == f"arn:aws:fsx:us-east-1:{ACCOUNT}:file-system/{described['FileSystemId']}"
    assert (described["Lifecycle"], described["OwnerId"], described["StorageType"]) == ("AVAILABLE", ACCOUNT, "SSD")
    assert described["Tags"] == [{"Key": "team", "Value": "storage"}] and described["CreationTime"]
    assert "FsxAdminPassword" not in described["OntapConfiguration"]
    fsx.tag_resource(ResourceARN=described["ResourceARN"], Tags=[{"Key": "env", "Value": "prod"}])
    assert {"Key": "env", "Value": "prod"} in fsx.describe_file_systems()["FileSystems"][0]["Tags"]


def test_describe_pages_with_max_results_and_next_token(client):
    fsx = client("fsx")
    created = sorted(_create(fsx, "OPENZFS")["FileSystemId"] for _ in range(5))
    first = fsx.describe_file_systems(MaxResults=2)
    assert len(first["FileSystems"]) == 2 and first["NextToken"]
    pages = list(fsx.get_paginator("describe_file_systems").paginate(PaginationConfig={"PageSize": 2}))
    assert [len(p["FileSystems"]) for p in pages] == [2, 2, 1]
    assert [f["FileSystemId"] for p in pages for f in p["FileSystems"]] == created
    assert "NextToken" not in fsx.describe_file_systems(MaxResults=5)
    with pytest.raises(ClientError) as err:
        fsx.describe_file_systems(NextToken="bm90LWEtdG9rZW4=")
    assert _code(err) == "BadRequest"


def test_describe_by_ids_and_unknown_ids(client):
    fsx = client("fsx")
    a, b = _create(fsx, "WINDOWS")["FileSystemId"], _create(fsx, "OPENZFS")["FileSystemId"]
    assert [f["FileSystemId"] for f in fsx.describe_file_systems(FileSystemIds=[b])["FileSystems"]] == [b]
    with pytest.raises(ClientError) as err:
        fsx.describe_file_systems(FileSystemIds=[a, "fs-0123456789abcdef0"])
    assert _code(err) == "FileSystemNotFound"
    assert client("fsx", "eu-west-1").describe_file_systems()["FileSystems"] == []


def test_create_file_system_is_idempotent_by_client_request_token(client):
    fsx = client("fsx")
    first = _create(fsx, "WINDOWS", ClientRequestToken="token-1")
    again = _create(fsx, "WINDOWS", ClientRequestToken="token-1")
    assert again["FileSystemId"] == first["FileSystemId"]
    assert len(fsx.describe_file_systems()["FileSystems"]) == 1
    with pytest.raises(ClientError) as err:
        _create(fsx, "OPENZFS", ClientRequestToken="token-1")
    assert _code(err) == "IncompatibleParameterError"


# ---------------------------------------------------------------- backups

@pytest.mark.parametrize("kind", ["WINDOWS", "OPENZFS", "PERSISTENT_2"])
def test_backup_carries_the_file_system_key_and_description(client, kind):
    fsx, kms = client("fsx"), client("kms")
    key = kms.create_key()["KeyMetadata"]["Arn"]
    fs = _create(fsx, kind, KmsKeyId=key, Tags=[{"Key": "app", "Value": "x"}])
    created = fsx.create_backup(FileSystemId=fs["FileSystemId"], Tags=[{"Key": "b", "Value": "1"}])["Backup"]
    assert created["Lifecycle"] == "CREATING"
    backup = fsx.describe_backups()["Backups"][0]
    assert re.fullmatch(r"backup-[0-9a-f]{17}", backup["BackupId"])
    assert backup["ResourceARN"] == f"arn:aws:fsx:us-east-1:{ACCOUNT}:backup/{backup['BackupId']}"
    assert (backup["Lifecycle"], backup["Type"], backup["KmsKeyId"]) == ("AVAILABLE", "USER_INITIATED", key)
    assert backup["FileSystem"]["FileSystemId"] == fs["FileSystemId"] and backup["FileSystem"]["KmsKeyId"] == key
    assert backup["Tags"] == [{"Key": "b", "Value": "1"}] and backup["OwnerId"] == ACCOUNT
    fsx.delete_file_system(FileSystemId=fs["FileSystemId"])
    kept = fsx.describe_backups(BackupIds=[backup["BackupId"]])["Backups"][0]
    assert kept["FileSystem"]["FileSystemId"] == fs["FileSystemId"]  # kept after the file system is deleted


def test_backup_of_a_file_system_with_the_aws_managed_key(client):
    fsx, kms = client("fsx"), client("kms")
    fs = _create(fsx, "WINDOWS")
    backup = fsx.create_backup(FileSystemId=fs["FileSystemId"])["Backup"]
    assert backup["KmsKeyId"] == fs["KmsKeyId"]
    assert kms.describe_key(KeyId=backup["KmsKeyId"])["KeyMetadata"]["KeyManager"] == "AWS"


def test_backup_copies_file_system_tags_when_asked(client):
    fsx = client("fsx")
    fs = fsx.create_file_system(FileSystemType="OPENZFS", StorageCapacity=64, SubnetIds=[SUBNET],
                                Tags=[{"Key": "team", "Value": "a"}],
                                OpenZFSConfiguration={"DeploymentType": "SINGLE_AZ_1", "ThroughputCapacity": 64,
                                                      "CopyTagsToBackups": True})["FileSystem"]
    assert fsx.create_backup(FileSystemId=fs["FileSystemId"])["Backup"]["Tags"] == [{"Key": "team", "Value": "a"}]


@pytest.mark.parametrize("kind,code", [("SCRATCH_2", "BadRequest"), ("ONTAP", "BadRequest")])
def test_backups_the_api_does_not_allow(client, kind, code):
    fsx = client("fsx")
    fs = _create(fsx, kind)
    with pytest.raises(ClientError) as err:
        fsx.create_backup(FileSystemId=fs["FileSystemId"])
    assert _code(err) == code
    assert fsx.describe_backups()["Backups"] == []


def test_lustre_linked_to_a_data_repository_cannot_be_backed_up(client):
    fsx = client("fsx")
    fs = fsx.create_file_system(FileSystemType="LUSTRE", StorageCapacity=1200, SubnetIds=[SUBNET],
                                LustreConfiguration={"DeploymentType": "PERSISTENT_1", "PerUnitStorageThroughput": 50,
                                                     "ImportPath": "s3://bucket"})["FileSystem"]
    with pytest.raises(ClientError) as err:
        fsx.create_backup(FileSystemId=fs["FileSystemId"])
    assert _code(err) == "BadRequest"


def test_backup_errors_for_unknown_resources(client):
    fsx = client("fsx")
    with pytest.raises(ClientError) as err:
        fsx.create_backup(FileSystemId="fs-0123456789abcdef0")
    assert _code(err) == "FileSystemNotFound"
    with pytest.raises(ClientError) as err:
        fsx.create_backup(VolumeId="fsvol-0123456789abcdef0")
    assert _code(err) == "VolumeNotFound"
    with pytest.raises(ClientError) as err:
        fsx.describe_backups(BackupIds=["backup-0123456789abcdef0"])
    assert _code(err) == "BackupNotFound"
    for call in (lambda: fsx.delete_file_system(FileSystemId="fs-0123456789abcdef0"),
                 lambda: fsx.delete_backup(BackupId="backup-0123456789abcdef0")):
        with pytest.raises(ClientError) as err:
            call()
        assert _code(err) in ("FileSystemNotFound", "BackupNotFound")


def test_describe_backups_filters_and_pages(client):
    fsx = client("fsx")
    windows, zfs = _create(fsx, "WINDOWS")["FileSystemId"], _create(fsx, "OPENZFS")["FileSystemId"]
    mine = sorted(fsx.create_backup(FileSystemId=windows)["Backup"]["BackupId"] for _ in range(3))
    other = fsx.create_backup(FileSystemId=zfs)["Backup"]["BackupId"]
    by_fs = fsx.describe_backups(Filters=[{"Name": "file-system-id", "Values": [windows]}])["Backups"]
    assert sorted(b["BackupId"] for b in by_fs) == mine
    by_type = fsx.describe_backups(Filters=[{"Name": "file-system-type", "Values": ["OPENZFS"]}])["Backups"]
    assert [b["BackupId"] for b in by_type] == [other]
    assert fsx.describe_backups(Filters=[{"Name": "backup-type", "Values": ["AUTOMATIC"]}])["Backups"] == []
    pages = list(fsx.get_paginator("describe_backups").paginate(PaginationConfig={"PageSize": 3}))
    assert [len(p["Backups"]) for p in pages] == [3, 1]
    assert [b["BackupId"] for b in fsx.describe_backups(BackupIds=[other])["Backups"]] == [other]
    fsx.delete_backup(BackupId=other)
    assert len(fsx.describe_backups()["Backups"]) == 3


def test_create_backup_is_idempotent_by_client_request_token(client):
    fsx = client("fsx")
    fs = _create(fsx, "WINDOWS")["FileSystemId"]
    first = fsx.create_backup(FileSystemId=fs, ClientRequestToken="b-1")["Backup"]["BackupId"]
    assert fsx.create_backup(FileSystemId=fs, ClientRequestToken="b-1")["Backup"]["BackupId"] == first
    assert len(fsx.describe_backups()["Backups"]) == 1
