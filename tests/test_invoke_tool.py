"""The Docker-free invoke's reading of template.yaml: the environment a function gets locally."""
import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tools"))

import invoke  # noqa: E402

TEMPLATE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "template.yaml")


def test_function_environment_is_globals_plus_its_own_with_parameter_defaults():
    props, env = invoke.TemplateEnvironment(TEMPLATE, "eu-west-1", {}).function("S3ReencryptFunction")
    assert props["Handler"] == "dev.atrest.s3.S3ReencryptHandler::handleRequest"
    assert props["Runtime"] == "java21"
    assert env["DRY_RUN"] == "true"  # the safe default
    assert env["REENCRYPT_METHOD"] == "auto"
    assert env["COMPLIANT_KMS_KEY_ARNS"] == ""  # an empty CommaDelimitedList joined
    assert env["POWERTOOLS_SERVICE_NAME"] == "s3-reencrypt"
    assert "TieredStopAtLevel=1" in env["JAVA_TOOL_OPTIONS"]
    # Lambda's Java runtimes collect with the serial GC; a machine like this one would otherwise get G1.
    assert "-XX:+UseSerialGC" in env["JAVA_TOOL_OPTIONS"]


def test_handler_environment_takes_name_value_pairs_and_refuses_others():
    env = invoke.handler_environment(["JAVA_TOOL_OPTIONS=-XX:+UseSerialGC -Da=b", "EMPTY="])
    assert env == {"JAVA_TOOL_OPTIONS": "-XX:+UseSerialGC -Da=b", "EMPTY": ""}
    for bad in ("NOVALUE", "=value"):
        try:
            invoke.handler_environment([bad])
        except SystemExit as e:
            assert "NAME=VALUE" in str(e)
        else:
            raise AssertionError(f"expected SystemExit for {bad!r}")


def test_env_is_refused_for_a_template_function(capsys):
    try:
        invoke.main(["KmsRotationFunction", "-", "--env", "DRY_RUN=false"])
    except SystemExit as e:
        assert e.code == 2
    else:
        raise AssertionError("expected SystemExit")
    assert "--env is for --handler runs" in capsys.readouterr().err


def test_parameter_overrides_reach_the_environment():
    overrides = {"DryRun": "false", "CompliantKmsKeyArns": "arn:aws:kms:eu-west-1:111122223333:key/a,"
                                                           "arn:aws:kms:eu-west-1:111122223333:key/b"}
    _, env = invoke.TemplateEnvironment(TEMPLATE, "eu-west-1", overrides).function("S3ReencryptFunction")
    assert env["DRY_RUN"] == "false"
    assert env["COMPLIANT_KMS_KEY_ARNS"].split(",") == ["arn:aws:kms:eu-west-1:111122223333:key/a",
                                                        "arn:aws:kms:eu-west-1:111122223333:key/b"]


def test_unknown_function_names_the_known_ones():
    try:
        invoke.TemplateEnvironment(TEMPLATE, "us-east-1", {}).function("NoSuchFunction")
    except SystemExit as e:
        assert "KmsRotationFunction" in str(e)
    else:
        raise AssertionError("expected SystemExit")


def test_sub_resolves_pseudo_parameters():
    tmpl = invoke.TemplateEnvironment(TEMPLATE, "ap-south-1", {})
    assert tmpl.resolve({"Fn::Sub": "arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/*"}) == \
        "arn:aws:kms:ap-south-1:123456789012:key/*"


def test_resources_resolve_to_local_stand_ins_the_caller_can_replace():
    _, env = invoke.TemplateEnvironment(TEMPLATE, "us-east-1", {}).function("S3BackfillFunction")
    assert env["BUCKET_NAMES"] == "atrest-example-bucket"
    assert env["BACKFILL_REPORT_BUCKET"] == "atrest-local-backfillreportbucket"
    assert env["BACKFILL_JOB_ROLE_ARN"] == "arn:aws:iam::123456789012:role/atrest-local-BackfillJobRole"
    assert env["S3_FUNCTION_ARN"] == "arn:aws:lambda:us-east-1:123456789012:function:S3ReencryptFunction:live"


# A template with one of each thing the resolver must handle, read as CloudFormation reads it.
RESOLVER_TEMPLATE = {
    "Parameters": {"Names": {"Type": "CommaDelimitedList", "Default": "a,b"},
                   "Flag": {"Type": "String", "Default": "true"},
                   "Topic": {"Type": "String", "Default": ""}},
    "Mappings": {"Regions": {"eu-west-1": {"Short": "euw1"}}},
    "Conditions": {"FlagOn": {"Fn::Equals": [{"Ref": "Flag"}, "true"]},
                   "HasTopic": {"Fn::Not": [{"Fn::Equals": [{"Ref": "Topic"}, ""]}]},
                   "Both": {"Fn::And": [{"Condition": "FlagOn"}, {"Condition": "HasTopic"}]},
                   "Either": {"Fn::Or": [{"Condition": "FlagOn"}, {"Condition": "HasTopic"}]}},
    "Resources": {"Queue": {"Type": "AWS::SQS::Queue"},
                  "Named": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": {"Fn::Sub": "q-${Flag}"}}},
                  "Bucket": {"Type": "AWS::S3::Bucket"},
                  "Role": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": "fixed"}}},
}


@pytest.mark.parametrize("expression, params, expected", [
    ({"Ref": "Names"}, {}, ["a", "b"]),
    ({"Ref": "Names"}, {"Names": ""}, []),
    ({"Ref": "AWS::Region"}, {}, "eu-west-1"),
    ({"Ref": "Queue"}, {}, "https://sqs.eu-west-1.amazonaws.com/123456789012/atrest-local-Queue"),
    ({"Ref": "Bucket"}, {}, "atrest-local-bucket"),
    ({"Fn::GetAtt": ["Queue", "Arn"]}, {}, "arn:aws:sqs:eu-west-1:123456789012:atrest-local-Queue"),
    ({"Fn::GetAtt": "Named.QueueName"}, {"Flag": "false"}, "q-false"),
    ({"Fn::GetAtt": ["Role", "Arn"]}, {}, "arn:aws:iam::123456789012:role/fixed"),
    ({"Fn::Sub": "arn:${AWS::Partition}:s3:::${Bucket}/*"}, {}, "arn:aws:s3:::atrest-local-bucket/*"),
    ({"Fn::Sub": ["${X}-${Queue.Arn}-${!Literal}", {"X": {"Ref": "Flag"}}]}, {},
     "true-arn:aws:sqs:eu-west-1:123456789012:atrest-local-Queue-${Literal}"),
    ({"Fn::Join": ["/*,", {"Ref": "Names"}]}, {}, "a/*,b"),
    ({"Fn::Split": [",", {"Fn::Sub": ["x${I}/*", {"I": {"Fn::Join": ["/*,x", {"Ref": "Names"}]}}]}]}, {},
     ["xa/*", "xb/*"]),
    ({"Fn::Select": [1, {"Ref": "Names"}]}, {}, "b"),
    ({"Fn::FindInMap": ["Regions", {"Ref": "AWS::Region"}, "Short"]}, {}, "euw1"),
    ({"Fn::If": ["FlagOn", "on", "off"]}, {}, "on"),
    ({"Fn::If": ["FlagOn", "on", "off"]}, {"Flag": "false"}, "off"),
    ({"Fn::If": ["Both", "both", "not both"]}, {"Topic": "t"}, "both"),
    ({"Fn::If": ["Both", "both", "not both"]}, {}, "not both"),
    ({"Fn::If": ["Either", "one", "none"]}, {"Flag": "false"}, "none"),
    ([1, {"Fn::If": ["HasTopic", 2, {"Ref": "AWS::NoValue"}]}, 3], {}, [1, 3]),
    ({"Keep": 1, "Drop": {"Fn::If": ["HasTopic", 2, {"Ref": "AWS::NoValue"}]}}, {}, {"Keep": 1}),
    ([{"Fn::If": ["HasTopic", {"Statement": [{"Resource": {"Ref": "Topic"}}]}, {"Ref": "AWS::NoValue"}]}],
     {"Topic": "arn:aws:sns:eu-west-1:1:t"}, [{"Statement": [{"Resource": "arn:aws:sns:eu-west-1:1:t"}]}]),
])
def test_intrinsic_functions_resolve_as_cloudformation_resolves_them(expression, params, expected):
    env = invoke.TemplateEnvironment(None, "eu-west-1", params, template=RESOLVER_TEMPLATE)
    assert env.resolve(expression) == expected


@pytest.mark.parametrize("expression", [
    {"Ref": "Nothing"}, {"Fn::ImportValue": "x"}, {"Fn::If": ["NoSuchCondition", 1, 2]},
    {"Fn::GetAtt": ["Queue", "NoSuchAttribute"]},
])
def test_what_cannot_be_resolved_locally_is_named(expression):
    env = invoke.TemplateEnvironment(None, "eu-west-1", {}, template=RESOLVER_TEMPLATE)
    with pytest.raises(SystemExit) as e:
        env.resolve(expression)
    assert "invoke:" in str(e.value)


def test_the_variables_that_stand_for_a_parameter_are_known():
    env = invoke.TemplateEnvironment(TEMPLATE, "us-east-1", {})
    behind = env.parameters_behind("StorageAuditFunction")
    assert behind["TAG_RESOURCES"] == "TagResources" and behind["DRY_RUN"] == "DryRun"
    assert "POWERTOOLS_SERVICE_NAME" not in behind  # a literal, not a parameter
    # !If [CreateKey, <created key>, !Ref TargetKmsKeyArn]: a caller's key is the parameter's, so the role names it.
    assert env.parameters_behind("S3ReencryptFunction")["TARGET_KMS_KEY_ARN"] == "TargetKmsKeyArn"
    given = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    assert env.implied_parameters("S3ReencryptFunction", {"TARGET_KMS_KEY_ARN": given, "DRY_RUN": "false"}) == \
        {"TargetKmsKeyArn": given, "DryRun": "false"}
    _, variables = env.with_overrides({"TargetKmsKeyArn": given}).function("S3ReencryptFunction")
    assert variables["TARGET_KMS_KEY_ARN"] == given
    # An empty key with CreateTargetKey=true would pick the created key: the caller's "" goes to the function as it
    # is (its configuration check refuses it), and the parameter stays as given.
    creating = invoke.TemplateEnvironment(TEMPLATE, "us-east-1", {"CreateTargetKey": "true"})
    assert creating.implied_parameters("S3ReencryptFunction", {"TARGET_KMS_KEY_ARN": ""}) == {}
    # A parameter given as such wins over the variable.
    pinned = invoke.TemplateEnvironment(TEMPLATE, "us-east-1", {"DryRun": "true"})
    assert pinned.implied_parameters("S3ReencryptFunction", {"DRY_RUN": "false"}) == {}


def test_the_function_knows_its_account_and_the_unique_id_of_the_role_sam_adds():
    tmpl = invoke.TemplateEnvironment(TEMPLATE, "us-east-1", {})
    _, env = tmpl.function("S3ReencryptFunction")
    assert env["ACCOUNT_ID"] == "123456789012"
    # SAM's implicit <Function>Role: a fixed AROA id per logical id here; the emulator's own under a function role.
    assert env["FUNCTION_ROLE_ID"] == tmpl.physical("S3ReencryptFunctionRole", "RoleId")
    assert env["FUNCTION_ROLE_ID"].startswith("AROA") and len(env["FUNCTION_ROLE_ID"]) == 21
    assert tmpl.role_id_variables("S3ReencryptFunction") == ["FUNCTION_ROLE_ID"]
    assert tmpl.role_id_variables("KmsRotationFunction") == []
    with pytest.raises(SystemExit, match="no resource 'KmsRotationFunctionRolex'"):
        tmpl.physical("KmsRotationFunctionRolex", "RoleId")
