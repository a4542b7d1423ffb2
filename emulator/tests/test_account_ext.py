"""account_ext: ListRegions as the AWS Account Management API Reference describes it."""
import json
import urllib.request

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError


def _all(account, **kwargs):
    return {r["RegionName"]: r["RegionOptStatus"]
            for page in account.get_paginator("list_regions").paginate(**kwargs) for r in page["Regions"]}


def test_regions_of_the_partition_with_their_opt_in_state(client):
    regions = _all(client("account"))
    assert regions["us-east-1"] == "ENABLED_BY_DEFAULT"
    assert regions["eu-west-1"] == "ENABLED_BY_DEFAULT"
    assert regions["ap-east-1"] == "DISABLED"
    assert not [r for r in regions if r.startswith(("cn-", "us-gov-"))]


def test_the_states_agree_with_ec2_describe_regions(client):
    ec2 = {r["RegionName"]: r["OptInStatus"] for r in client("ec2").describe_regions(AllRegions=True)["Regions"]}
    for name, status in _all(client("account")).items():
        assert (status == "ENABLED_BY_DEFAULT") == (ec2[name] == "opt-in-not-required"), name


def test_filter_and_paging(client, request_log):
    account = client("account")
    enabled = _all(account, RegionOptStatusContains=["ENABLED", "ENABLED_BY_DEFAULT"],
                   PaginationConfig={"PageSize": 5})
    assert set(enabled.values()) == {"ENABLED_BY_DEFAULT"} and "ap-east-1" not in enabled
    pages = [e for e in request_log() if e["service"] == "account"]
    assert {e["operation"] for e in pages} == {"ListRegions"}
    assert len(pages) == -(-len(enabled) // 5)


def test_an_opted_in_region_is_enabled(client, endpoint):
    urllib.request.urlopen(urllib.request.Request(endpoint + "/_atrest/account/regions", method="POST",
                                                  data=json.dumps({"region": "ap-east-1", "status": "ENABLED"}).encode()))
    assert _all(client("account"), RegionOptStatusContains=["ENABLED"]) == {"ap-east-1": "ENABLED"}


@pytest.mark.parametrize("params", [{"MaxResults": 0}, {"MaxResults": 51}, {"RegionOptStatusContains": ["ON"]}])
def test_invalid_parameters_are_rejected(endpoint, params):
    account = boto3.client("account", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing",
                           aws_secret_access_key="testing",
                           config=Config(parameter_validation=False, retries={"total_max_attempts": 1}))
    with pytest.raises(ClientError) as err:
        account.list_regions(**params)
    assert err.value.response["Error"]["Code"] == "ValidationException"
