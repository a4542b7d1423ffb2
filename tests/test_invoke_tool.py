"""The Docker-free invoke's reading of template.yaml: the environment a function gets locally."""
import os
import sys

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
