import pytest
from botocore.exceptions import ClientError

PRODUCT = "arn:aws:securityhub:us-east-1:123456789012:product/123456789012/default"


def finding(fid, generator="atrest/storage-audit/EC2.3", state="ACTIVE", status="FAILED", **extra):
    f = {"SchemaVersion": "2018-10-08", "Id": fid, "ProductArn": PRODUCT, "GeneratorId": generator,
         "AwsAccountId": "123456789012", "Types": ["Software and Configuration Checks"],
         "CreatedAt": "2026-11-20T00:00:00Z", "UpdatedAt": "2026-11-20T00:00:00Z",
         "Severity": {"Label": "HIGH"}, "Title": "t", "Description": "d",
         "Resources": [{"Type": "AwsEc2Volume", "Id": "arn:aws:ec2:us-east-1:123456789012:volume/" + fid}],
         "Compliance": {"Status": status}, "RecordState": state}
    f.update(extra)
    return f


@pytest.fixture
def hub(client):
    sh = client("securityhub")
    sh.enable_security_hub()
    return sh


def ids(response):
    return sorted(f["Id"] for f in response["Findings"])


def test_requires_security_hub_enabled(client):
    with pytest.raises(ClientError) as err:
        client("securityhub").get_findings()
    assert err.value.response["Error"]["Code"] == "InvalidAccessException"


def test_get_findings_filters_by_generator_prefix_record_state_and_product(hub):
    hub.batch_import_findings(Findings=[finding("a"), finding("b", state="ARCHIVED"),
                                        finding("c", generator="other/x"),
                                        finding("d", ProductArn=PRODUCT.replace("default", "other"))])
    assert ids(hub.get_findings()) == ["a", "b", "c", "d"]
    active_ours = hub.get_findings(Filters={
        "ProductArn": [{"Value": PRODUCT, "Comparison": "EQUALS"}],
        "GeneratorId": [{"Value": "atrest/storage-audit/", "Comparison": "PREFIX"}],
        "RecordState": [{"Value": "ACTIVE", "Comparison": "EQUALS"}]})
    assert ids(active_ours) == ["a"]
    assert ids(hub.get_findings(Filters={"RecordState": [{"Value": "ARCHIVED", "Comparison": "NOT_EQUALS"}]})) \
        == ["a", "c", "d"]
    assert ids(hub.get_findings(Filters={"Id": [{"Value": "a", "Comparison": "EQUALS"},
                                                 {"Value": "c", "Comparison": "EQUALS"}]})) == ["a", "c"]


def test_unsupported_filter_is_rejected_not_ignored(hub):
    with pytest.raises(ClientError) as err:
        hub.get_findings(Filters={"MalwareName": [{"Value": "x", "Comparison": "EQUALS"}]})
    assert err.value.response["Error"]["Code"] == "InvalidInputException"


def test_get_findings_pages(hub):
    hub.batch_import_findings(Findings=[finding(f"f{i:03}") for i in range(100)])
    hub.batch_import_findings(Findings=[finding(f"g{i:03}") for i in range(5)])
    pages = list(hub.get_paginator("get_findings").paginate(PaginationConfig={"PageSize": 40}))
    assert [len(p["Findings"]) for p in pages] == [40, 40, 25]


def test_import_limits_and_required_fields(hub):
    with pytest.raises(ClientError) as err:
        hub.batch_import_findings(Findings=[finding(f"f{i}") for i in range(101)])
    assert err.value.response["Error"]["Code"] == "InvalidInputException"
    bad = finding("bad")
    del bad["Severity"]
    result = hub.batch_import_findings(Findings=[finding("ok"), bad])
    assert result["SuccessCount"] == 1 and result["FailedCount"] == 1
    assert result["FailedFindings"][0]["Id"] == "bad" and "Severity" in result["FailedFindings"][0]["ErrorMessage"]


def test_reimport_updates_in_place_and_keeps_created_at(hub):
    hub.batch_import_findings(Findings=[finding("a")])
    hub.batch_import_findings(Findings=[finding("a", state="ARCHIVED", status="PASSED",
                                                CreatedAt="2030-01-01T00:00:00Z", UpdatedAt="2026-11-21T00:00:00Z")])
    found = hub.get_findings()["Findings"]
    assert len(found) == 1
    assert found[0]["RecordState"] == "ARCHIVED" and found[0]["Compliance"]["Status"] == "PASSED"
    assert found[0]["CreatedAt"] == "2026-11-20T00:00:00Z" and found[0]["Region"] == "us-east-1"


def test_filtered_pages_neither_skip_nor_repeat(hub):
    hub.batch_import_findings(Findings=[finding(f"f{i:02}", state="ACTIVE" if i % 2 else "ARCHIVED") for i in range(60)])
    pages = list(hub.get_paginator("get_findings").paginate(
        Filters={"RecordState": [{"Value": "ACTIVE", "Comparison": "EQUALS"}]}, PaginationConfig={"PageSize": 7}))
    found = [f["Id"] for p in pages for f in p["Findings"]]
    assert found == [f"f{i:02}" for i in range(60) if i % 2]
    assert [len(p["Findings"]) for p in pages] == [7, 7, 7, 7, 2]
