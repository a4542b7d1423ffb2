import json
import urllib.request

import pytest
from botocore.exceptions import ClientError


def _seed(endpoint, path, config):
    req = urllib.request.Request(endpoint + path, data=json.dumps(config).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.load(r)


def test_describe_volumes_pages_by_max_results(endpoint, client):
    seeded = _seed(endpoint, "/_atrest/ec2/seed", {"volumes": [{"count": 12}]})["volumeIds"]
    ec2 = client("ec2")
    first = ec2.describe_volumes(MaxResults=5)
    assert len(first["Volumes"]) == 5 and first["NextToken"]
    seen = [v["VolumeId"] for page in ec2.get_paginator("describe_volumes").paginate(PaginationConfig={"PageSize": 5})
            for v in page["Volumes"]]
    assert sorted(seen) == sorted(seeded)
    assert "NextToken" not in ec2.describe_volumes(MaxResults=500)  # 12 fit in one page


def test_describe_volumes_without_max_results_returns_all(endpoint, client):
    _seed(endpoint, "/_atrest/ec2/seed", {"volumes": [{"count": 7}]})
    response = client("ec2").describe_volumes()
    assert len(response["Volumes"]) == 7 and "NextToken" not in response


def test_page_size_is_capped_at_the_aws_maximum(endpoint, client):
    _seed(endpoint, "/_atrest/ec2/seed", {"volumes": [{"count": 501}]})
    response = client("ec2").describe_volumes(MaxResults=1000)
    assert len(response["Volumes"]) == 500 and response["NextToken"]


def test_max_results_below_minimum_and_with_ids_are_rejected(endpoint, client):
    ids = _seed(endpoint, "/_atrest/ec2/seed", {"volumes": [{"count": 1}]})["volumeIds"]
    ec2 = client("ec2")
    with pytest.raises(ClientError) as err:
        ec2.describe_volumes(MaxResults=4)
    assert err.value.response["Error"]["Code"] == "InvalidParameterValue"
    with pytest.raises(ClientError) as err:
        ec2.describe_volumes(VolumeIds=ids, MaxResults=5)
    assert err.value.response["Error"]["Code"] == "InvalidParameterCombination"


def test_deleting_between_pages_does_not_skip_a_volume(endpoint, client):
    ids = sorted(_seed(endpoint, "/_atrest/ec2/seed", {"volumes": [{"count": 10}]})["volumeIds"])
    ec2 = client("ec2")
    first = ec2.describe_volumes(MaxResults=5)
    ec2.delete_volume(VolumeId=first["Volumes"][0]["VolumeId"])
    second = ec2.describe_volumes(MaxResults=5, NextToken=first["NextToken"])
    assert [v["VolumeId"] for v in first["Volumes"] + second["Volumes"]] == ids


def test_describe_snapshots_honours_owner_ids_and_paging(endpoint, client):
    own = _seed(endpoint, "/_atrest/ec2/seed", {"snapshots": [{"count": 6}, {"count": 2, "encrypted": True}]})
    _seed(endpoint, "/_atrest/ec2/seed", {"snapshots": [{"count": 3, "ownerId": "999999999999"}]})
    ec2 = client("ec2")
    assert len(ec2.describe_snapshots()["Snapshots"]) == 11  # no OwnerIds: every snapshot visible to us
    pages = list(ec2.get_paginator("describe_snapshots").paginate(OwnerIds=["self"], PaginationConfig={"PageSize": 5}))
    mine = [s for p in pages for s in p["Snapshots"]]
    assert len(pages) == 2
    assert sorted(s["SnapshotId"] for s in mine) == sorted(own["snapshotIds"])
    assert {s["OwnerId"] for s in mine} == {"123456789012"}
    assert sum(1 for s in mine if s["Encrypted"]) == 2
    foreign = ec2.describe_snapshots(OwnerIds=["999999999999"])["Snapshots"]
    assert len(foreign) == 3


def test_ebs_default_kms_key_id_follows_modify(endpoint, client):
    ec2 = client("ec2")
    kms = client("kms")
    assert ec2.get_ebs_default_kms_key_id()["KmsKeyId"] == "alias/aws/ebs"
    # An encrypted volume without a key makes moto create the aws/ebs key: the default still reads as the alias.
    ec2.create_volume(AvailabilityZone="us-east-1a", Size=1, Encrypted=True)
    assert ec2.get_ebs_default_kms_key_id()["KmsKeyId"] == "alias/aws/ebs"
    key_arn = kms.create_key()["KeyMetadata"]["Arn"]
    ec2.modify_ebs_default_kms_key_id(KmsKeyId=key_arn)
    assert ec2.get_ebs_default_kms_key_id()["KmsKeyId"] == key_arn
    assert client("ec2", "eu-west-1").get_ebs_default_kms_key_id()["KmsKeyId"] == "alias/aws/ebs"


def test_seeded_volumes_carry_encryption_and_tags(endpoint, client):
    _seed(endpoint, "/_atrest/ec2/seed", {"region": "eu-west-1",
                                          "volumes": [{"count": 2, "encrypted": True, "tags": {"team": "a"}}]})
    volumes = client("ec2", "eu-west-1").describe_volumes()["Volumes"]
    assert [v["Encrypted"] for v in volumes] == [True, True]
    assert volumes[0]["Tags"] == [{"Key": "team", "Value": "a"}]
    assert client("ec2").describe_volumes()["Volumes"] == []


def test_reset_ebs_default_kms_key_id_goes_back_to_the_aws_managed_key(client):
    ec2, kms = client("ec2"), client("kms")
    key_arn = kms.create_key()["KeyMetadata"]["Arn"]
    ec2.modify_ebs_default_kms_key_id(KmsKeyId=key_arn)
    reset = ec2.reset_ebs_default_kms_key_id()["KmsKeyId"]
    managed = kms.describe_key(KeyId="alias/aws/ebs")["KeyMetadata"]
    assert reset == managed["Arn"] and managed["KeyManager"] == "AWS"
    assert ec2.get_ebs_default_kms_key_id()["KmsKeyId"] == "alias/aws/ebs"
    assert ec2.create_volume(AvailabilityZone="us-east-1a", Size=1, Encrypted=True)["KmsKeyId"] == managed["Arn"]


@pytest.mark.parametrize("name_by", ["KeyId", "Arn", "alias", "alias-arn"])
def test_modify_ebs_default_kms_key_id_answers_the_key_arn(client, name_by):
    ec2, kms = client("ec2"), client("kms")
    key = kms.create_key()["KeyMetadata"]
    kms.create_alias(AliasName="alias/ebs-default", TargetKeyId=key["KeyId"])
    ref = {"alias": "alias/ebs-default", "alias-arn": "arn:aws:kms:us-east-1:123456789012:alias/ebs-default"}.get(
        name_by) or key[name_by]
    assert ec2.modify_ebs_default_kms_key_id(KmsKeyId=ref)["KmsKeyId"] == key["Arn"]
    assert ec2.get_ebs_default_kms_key_id()["KmsKeyId"] == key["Arn"]
    assert ec2.create_volume(AvailabilityZone="us-east-1a", Size=1, Encrypted=True)["KmsKeyId"] == key["Arn"]


def test_modify_ebs_default_kms_key_id_accepts_an_unknown_key_as_aws_does(client):
    ec2 = client("ec2")
    unknown = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
    assert ec2.modify_ebs_default_kms_key_id(KmsKeyId=unknown)["KmsKeyId"] == unknown
    assert ec2.get_ebs_default_kms_key_id()["KmsKeyId"] == unknown


def test_encrypted_volumes_and_snapshots_report_key_arns(client):
    ec2, kms = client("ec2"), client("kms")
    default = ec2.create_volume(AvailabilityZone="us-east-1a", Size=1, Encrypted=True)
    managed = kms.describe_key(KeyId=default["KmsKeyId"])["KeyMetadata"]
    assert managed["KeyManager"] == "AWS" and managed["Arn"] == default["KmsKeyId"]
    customer = kms.create_key()["KeyMetadata"]
    by_id = ec2.create_volume(AvailabilityZone="us-east-1a", Size=1, Encrypted=True, KmsKeyId=customer["KeyId"])
    plain = ec2.create_volume(AvailabilityZone="us-east-1a", Size=1)
    volumes = {v["VolumeId"]: v for v in ec2.describe_volumes()["Volumes"]}
    assert volumes[default["VolumeId"]]["KmsKeyId"] == managed["Arn"]
    assert volumes[by_id["VolumeId"]]["KmsKeyId"] == customer["Arn"]
    assert "KmsKeyId" not in volumes[plain["VolumeId"]]

    snapshots = {}
    for volume in (default, by_id, plain):
        snapshot = ec2.create_snapshot(VolumeId=volume["VolumeId"])
        snapshots[volume["VolumeId"]] = snapshot["SnapshotId"]
    described = {s["SnapshotId"]: s for s in ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"]}
    assert described[snapshots[default["VolumeId"]]]["KmsKeyId"] == managed["Arn"]
    assert described[snapshots[by_id["VolumeId"]]]["KmsKeyId"] == customer["Arn"]
    unencrypted = described[snapshots[plain["VolumeId"]]]
    assert unencrypted["Encrypted"] is False and "KmsKeyId" not in unencrypted

    restored = ec2.create_volume(AvailabilityZone="us-east-1a", SnapshotId=snapshots[by_id["VolumeId"]])
    assert restored["Encrypted"] is True and restored["KmsKeyId"] == customer["Arn"]


def test_seeded_encrypted_volumes_use_the_aws_managed_key(endpoint, client):
    _seed(endpoint, "/_atrest/ec2/seed", {"volumes": [{"count": 1, "encrypted": True}]})
    volume = client("ec2").describe_volumes()["Volumes"][0]
    assert client("kms").describe_key(KeyId=volume["KmsKeyId"])["KeyMetadata"]["KeyManager"] == "AWS"
