"""tagging_ext: GetResources over KMS keys as the Resource Groups Tagging API Reference describes it."""
import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

KMS_KEYS = ["kms:key"]


@pytest.fixture
def unvalidated_tagging(endpoint):
    """A client that sends out-of-range values, so the server's own validation is what is tested."""
    return boto3.client("resourcegroupstaggingapi", endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="testing", aws_secret_access_key="testing",
                        config=Config(parameter_validation=False, retries={"total_max_attempts": 1}))


def _arns(response):
    return [r["ResourceARN"] for r in response["ResourceTagMappingList"]]


def _key(kms, **tags):
    args = {"Tags": [{"TagKey": k, "TagValue": v} for k, v in tags.items()]} if tags else {}
    return kms.create_key(**args)["KeyMetadata"]["Arn"]


def test_never_tagged_keys_are_not_returned_and_untagged_ones_come_with_no_tags(client):
    kms, tagging = client("kms"), client("resourcegroupstaggingapi")
    never = _key(kms)
    team = _key(kms, team="a")
    emptied = _key(kms, team="b")
    kms.untag_resource(KeyId=emptied, TagKeys=["team"])
    answer = tagging.get_resources(ResourceTypeFilters=KMS_KEYS)
    tags = {r["ResourceARN"]: r["Tags"] for r in answer["ResourceTagMappingList"]}
    assert never not in tags
    assert tags == {team: [{"Key": "team", "Value": "a"}], emptied: []}
    assert not answer.get("PaginationToken")


def test_a_key_filter_matches_any_value_and_filters_must_all_match(client):
    kms, tagging = client("kms"), client("resourcegroupstaggingapi")
    exempt = _key(kms, **{"atrest:exempt": "legacy"})
    exempt_empty = _key(kms, **{"atrest:exempt": ""})
    both = _key(kms, **{"atrest:exempt": "x", "team": "a"})
    _key(kms, team="a")
    _key(kms)
    assert set(_arns(tagging.get_resources(ResourceTypeFilters=KMS_KEYS, TagFilters=[{"Key": "atrest:exempt"}]))) \
        == {exempt, exempt_empty, both}
    assert _arns(tagging.get_resources(ResourceTypeFilters=KMS_KEYS, TagFilters=[
        {"Key": "atrest:exempt"}, {"Key": "team", "Values": ["a", "b"]}])) == [both]
    assert _arns(tagging.get_resources(ResourceTypeFilters=KMS_KEYS, TagFilters=[
        {"Key": "atrest:exempt", "Values": ["legacy"]}])) == [exempt]


def test_only_kms_keys_of_the_region_are_returned(client):
    kms, tagging = client("kms"), client("resourcegroupstaggingapi")
    key = _key(kms, **{"atrest:exempt": "x"})
    _key(client("kms", "us-west-2"), **{"atrest:exempt": "x"})
    client("sqs").create_queue(QueueName="q", tags={"atrest:exempt": "x"})
    client("sns").create_topic(Name="t", Tags=[{"Key": "atrest:exempt", "Value": "x"}])
    assert _arns(tagging.get_resources(ResourceTypeFilters=["kms"], TagFilters=[{"Key": "atrest:exempt"}])) == [key]
    # Other resource types are still moto's.
    assert len(_arns(tagging.get_resources(TagFilters=[{"Key": "atrest:exempt"}]))) == 3


def test_pages_hold_up_to_resources_per_page_and_the_paginator_reads_them_all(client, request_log):
    kms, tagging = client("kms"), client("resourcegroupstaggingapi")
    keys = {_key(kms, **{"atrest:exempt": str(i)}) for i in range(205)}
    pages = list(tagging.get_paginator("get_resources").paginate(
        ResourceTypeFilters=KMS_KEYS, TagFilters=[{"Key": "atrest:exempt"}], ResourcesPerPage=100))
    assert [len(p["ResourceTagMappingList"]) for p in pages] == [100, 100, 5]
    assert {a for p in pages for a in _arns(p)} == keys
    assert [e["operation"] for e in request_log() if e["service"] == "tagging"] == ["GetResources"] * 3


def test_tags_per_page_never_splits_a_resource(client):
    kms, tagging = client("kms"), client("resourcegroupstaggingapi")
    for i in range(3):
        kms.create_key(Tags=[{"TagKey": f"k{j}", "TagValue": "v"} for j in range(40)])
    first = tagging.get_resources(ResourceTypeFilters=KMS_KEYS, TagsPerPage=100)
    assert len(first["ResourceTagMappingList"]) == 2
    second = tagging.get_resources(ResourceTypeFilters=KMS_KEYS, TagsPerPage=100,
                                   PaginationToken=first["PaginationToken"])
    assert len(second["ResourceTagMappingList"]) == 1 and not second["PaginationToken"]


@pytest.mark.parametrize("params", [
    {"ResourcesPerPage": 0}, {"ResourcesPerPage": 101}, {"TagsPerPage": 99}, {"TagsPerPage": 501},
    {"ResourceARNList": ["arn:aws:kms:us-east-1:123456789012:key/x"]},
    {"TagFilters": [{"Key": f"k{i}"} for i in range(51)]},
    {"TagFilters": [{"Key": "k", "Values": [str(i) for i in range(21)]}]},
])
def test_invalid_parameters_are_rejected(unvalidated_tagging, params):
    with pytest.raises(ClientError) as err:
        unvalidated_tagging.get_resources(ResourceTypeFilters=KMS_KEYS, **params)
    assert err.value.response["Error"]["Code"] == "InvalidParameterException"


def test_an_unknown_pagination_token_is_rejected(client):
    with pytest.raises(ClientError) as err:
        client("resourcegroupstaggingapi").get_resources(ResourceTypeFilters=KMS_KEYS, PaginationToken="bogus")
    assert err.value.response["Error"]["Code"] == "PaginationTokenExpiredException"
