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
