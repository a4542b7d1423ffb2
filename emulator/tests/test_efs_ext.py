import json
import urllib.request

import pytest


def _seed(endpoint, config):
    req = urllib.request.Request(endpoint + "/_atrest/efs/seed", data=json.dumps(config).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.load(r)


def test_seeded_file_systems_page_through_the_sdk(endpoint, client):
    seeded = _seed(endpoint, {"fileSystems": [{"count": 4, "encrypted": False, "tags": {"team": "a"}},
                                              {"count": 3, "encrypted": True}]})["fileSystemIds"]
    efs = client("efs")
    pages = list(efs.get_paginator("describe_file_systems").paginate(PaginationConfig={"PageSize": 5}))
    found = [fs for p in pages for fs in p["FileSystems"]]
    assert len(pages) == 2
    assert sorted(fs["FileSystemId"] for fs in found) == sorted(seeded)
    assert sum(1 for fs in found if fs["Encrypted"]) == 3
    assert {"Key": "team", "Value": "a"} in next(fs for fs in found if not fs["Encrypted"])["Tags"]


def test_encrypted_without_key_uses_the_aws_managed_efs_key(client):
    efs, kms = client("efs", "eu-west-1"), client("kms", "eu-west-1")
    created = efs.create_file_system(CreationToken="enc", Encrypted=True)
    described = efs.describe_file_systems(FileSystemId=created["FileSystemId"])["FileSystems"][0]
    key = kms.describe_key(KeyId="alias/aws/elasticfilesystem")["KeyMetadata"]
    assert created["KmsKeyId"] == described["KmsKeyId"] == key["Arn"] and key["KeyManager"] == "AWS"
    plain = efs.create_file_system(CreationToken="plain")
    assert plain["Encrypted"] is False and "KmsKeyId" not in plain


@pytest.mark.parametrize("name_by", ["KeyId", "Arn", "alias"])
def test_customer_key_is_reported_by_its_arn(client, name_by):
    efs, kms = client("efs"), client("kms")
    key = kms.create_key()["KeyMetadata"]
    kms.create_alias(AliasName="alias/efs-data", TargetKeyId=key["KeyId"])
    ref = "alias/efs-data" if name_by == "alias" else key[name_by]
    created = efs.create_file_system(CreationToken=f"t-{name_by}", Encrypted=True, KmsKeyId=ref)
    assert created["KmsKeyId"] == key["Arn"]
    assert efs.describe_file_systems()["FileSystems"][0]["KmsKeyId"] == key["Arn"]
    assert kms.describe_key(KeyId=created["KmsKeyId"])["KeyMetadata"]["KeyManager"] == "CUSTOMER"


def test_seeded_encrypted_file_systems_use_the_aws_managed_key(endpoint, client):
    _seed(endpoint, {"fileSystems": [{"count": 1, "encrypted": True}]})
    fs = client("efs").describe_file_systems()["FileSystems"][0]
    assert client("kms").describe_key(KeyId=fs["KmsKeyId"])["KeyMetadata"]["KeyManager"] == "AWS"
