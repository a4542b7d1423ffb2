"""The organisation's member template (tools/org_package.py) and the target key template.yaml creates for it; the
packaging itself runs against the emulator in test_org_rollout.py, and `make lint` runs cfn-lint and checkov on the
member template."""
import json
import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))

import invoke  # noqa: E402
import org_package  # noqa: E402
from template_model import source  # noqa: E402

FUNCTIONS = ("S3ReencryptFunction", "KmsRotationFunction", "StorageAuditFunction", "S3BackfillFunction")
BUCKETS = {"us-east-1": "atrest-artifacts-us-east-1", "eu-west-1": "atrest-artifacts-eu-west-1"}
TEMPLATE = os.path.join(ROOT, "template.yaml")


@pytest.fixture(scope="module")
def member(tmp_path_factory):
    out = tmp_path_factory.mktemp("member")
    org_package.main(["--bucket-prefix", "atrest-artifacts", "--regions", "us-east-1,eu-west-1", "--template-only",
                      "--out", str(out)])
    path = out / "member-template.json"
    return path, json.loads(path.read_text())


def test_member_template_is_plain_cloudformation_with_code_in_each_regions_bucket(member):
    _, template = member
    assert "Transform" not in template
    assert not [k for k, v in template["Resources"].items() if v["Type"].startswith("AWS::Serverless::")]
    assert template["Mappings"]["ArtifactBuckets"] == {r: {"Name": b} for r, b in BUCKETS.items()}
    functions = {k: v for k, v in template["Resources"].items() if v["Type"] == "AWS::Lambda::Function"}
    assert set(functions) == set(FUNCTIONS)
    for logical_id, function in functions.items():
        assert function["Properties"]["Code"] == {
            "S3Bucket": {"Fn::FindInMap": ["ArtifactBuckets", {"Ref": "AWS::Region"}, "Name"]},
            "S3Key": f"atrest/placeholder-{logical_id}"}
    # The Regions it was translated for appear only where template.yaml itself names them.
    assert json.dumps(template).count("eu-west-1") == 2  # the mapping's key and bucket name
    assert template["Rules"]["TargetKeyChosen"]
    assert template["Resources"]["TargetKey"]["Condition"] == "CreateKey"


def _sam():
    from samtranslator.yaml_helper import yaml_parse
    with open(TEMPLATE) as f:
        return yaml_parse(f.read())


def test_a_functions_new_code_gets_a_new_version_of_that_function_only():
    sam = _sam()
    keys = {k: "atrest/aaaa" for k in FUNCTIONS}
    before = org_package.member_template(json.loads(json.dumps(sam)), BUCKETS, keys)
    after = org_package.member_template(json.loads(json.dumps(sam)), BUCKETS,
                                        {**keys, "S3ReencryptFunction": "atrest/bbbb"})
    versions = lambda t: sorted(k for k, v in t["Resources"].items() if v["Type"] == "AWS::Lambda::Version")  # noqa
    changed = set(versions(before)) ^ set(versions(after))
    assert {k[:len("S3ReencryptFunctionVersion")] for k in changed} == {"S3ReencryptFunctionVersion"}


@pytest.mark.parametrize("prefix, regions, message", [
    ("atrest-artifacts", "us-east-1,moon", "not a Region"),
    ("x" * 60, "us-east-1", "not a valid bucket name"),
    ("Atrest", "us-east-1", "not a valid bucket name"),
    ("atrest-", "us-east-1", "not a valid bucket name"),
])
def test_bucket_names_are_checked_before_anything_is_uploaded(prefix, regions, message):
    with pytest.raises(SystemExit) as e:
        org_package.bucket_names(prefix, [r for r in regions.split(",")])
    assert message in str(e.value)


def test_member_template_refuses_a_function_without_code():
    with pytest.raises(SystemExit) as e:
        org_package.member_template(_sam(), BUCKETS, {"S3ReencryptFunction": "atrest/a"})
    assert "no code for KmsRotationFunction, S3BackfillFunction, StorageAuditFunction" in str(e.value)


# ---------------------------------------------------------------- the target key (template.yaml)

def _condition(overrides, name="CreateKey"):
    return invoke.TemplateEnvironment(TEMPLATE, "us-east-1", overrides).condition(name)


def test_the_alias_test_holds_for_an_empty_key_parameter():
    """CloudFormation evaluates every condition whatever the parameters: an empty TargetKmsKeyArn must not make
    TargetKeyIsAlias select past the end of the ARN's fields (the stack would fail)."""
    assert _condition({"TargetKmsKeyArn": ""}, "TargetKeyIsAlias") is False
    assert _condition({"TargetKmsKeyArn": "arn:aws:kms:us-east-1:111122223333:alias/a/b"}, "TargetKeyIsAlias") is True
    assert _condition({"TargetKmsKeyArn": "arn:aws:kms:us-east-1:111122223333:key/k"}, "TargetKeyIsAlias") is False


def test_the_key_is_created_only_when_asked_for_and_no_key_is_given():
    arn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    assert _condition({"CreateTargetKey": "true", "TargetKmsKeyArn": ""}) is True
    assert _condition({"CreateTargetKey": "true", "TargetKmsKeyArn": arn}) is False  # the given key wins
    assert _condition({"CreateTargetKey": "false", "TargetKmsKeyArn": arn}) is False
    assert _condition({}) is False  # the single-account default: no new key, an existing stack keeps its key
    rule = source()["Rules"]["TargetKeyChosen"]["Assertions"][0]["Assert"]
    assert rule == {"Fn::Or": [{"Fn::Not": [{"Fn::Equals": [{"Ref": "TargetKmsKeyArn"}, ""]}]},
                               {"Fn::Equals": [{"Ref": "CreateTargetKey"}, "true"]}]}


def test_the_key_is_symmetric_rotated_retained_and_usable_only_through_s3():
    resources = source()["Resources"]
    key = resources["TargetKey"]
    assert (key["DeletionPolicy"], key["UpdateReplacePolicy"]) == ("Retain", "Retain")
    props = key["Properties"]
    assert (props["KeySpec"], props["KeyUsage"], props["EnableKeyRotation"]) == \
        ("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", True)
    assert props["RotationPeriodInDays"] == {"Ref": "RotationPeriodDays"}
    statements = {s["Sid"]: s for s in props["KeyPolicy"]["Statement"]}
    admin = statements["AccountAdministersTheKey"]
    crypto = ("kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt", "kms:GenerateDataKey", "kms:CreateGrant", "kms:*",
              "kms:Create*")
    assert not [a for a in admin["Action"] if a.startswith(crypto)], "administration without use or grants"
    use = statements["UseThroughS3InThisAccount"]
    assert use["Condition"] == {"StringEquals": {"kms:CallerAccount": {"Ref": "AWS::AccountId"},
                                                 "kms:ViaService": {"Fn::Sub": "s3.${AWS::Region}.amazonaws.com"}}}
    assert set(statements) == {"AccountAdministersTheKey", "UseThroughS3InThisAccount"}
    alias = resources["TargetKeyAlias"]
    assert alias["Condition"] == "CreateKey" and alias["Properties"]["TargetKeyId"] == {"Ref": "TargetKey"}


def test_every_use_of_the_target_key_is_the_effective_key():
    effective = json.dumps({"Fn::If": ["CreateKey", {"Fn::GetAtt": ["TargetKey", "Arn"]},
                                       {"Ref": "TargetKmsKeyArn"}]})
    resources = source()["Resources"]
    for writer in ("S3ReencryptFunction", "S3BackfillFunction"):
        variables = resources[writer]["Properties"]["Environment"]["Variables"]
        assert json.dumps(variables["TARGET_KMS_KEY_ARN"]) == effective
    # Nowhere is the parameter used on its own but in the choice itself and in the name of a given alias (an alias
    # is a given key: then the stack creates none).
    alias_name = json.dumps({"Fn::Select": [5, {"Fn::Split": [":", {"Ref": "TargetKmsKeyArn"}]}]})
    text = json.dumps({"Resources": resources, "Outputs": source()["Outputs"]})
    assert json.dumps({"Ref": "TargetKmsKeyArn"}) not in text.replace(effective, "").replace(alias_name, "")
    assert effective in json.dumps(resources["BackfillJobRole"])


def test_invoke_resolves_the_key_choice():
    given = "arn:aws:kms:us-east-1:111122223333:alias/mine"
    _, env = invoke.TemplateEnvironment(TEMPLATE, "us-east-1", {"TargetKmsKeyArn": given}).function(
        "S3ReencryptFunction")
    assert env["TARGET_KMS_KEY_ARN"] == given
    creating = invoke.TemplateEnvironment(TEMPLATE, "us-east-1", {"CreateTargetKey": "true", "TargetKmsKeyArn": ""})
    # The created key's local stand-in (tools/invoke.py RESOURCE_NAMES); a caller's TARGET_KMS_KEY_ARN wins at run.
    assert creating.function("S3ReencryptFunction")[1]["TARGET_KMS_KEY_ARN"] == \
        creating.physical("TargetKey", "Arn")
