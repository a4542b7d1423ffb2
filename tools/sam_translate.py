"""A SAM template as the plain CloudFormation the AWS::Serverless transform makes of it, offline.

The SAM translator that ships with the SAM CLI (samtranslator, what `sam validate` runs) does the work; AWS managed
policy names come from the map it bundles, so nothing is asked of AWS (a name missing from that map is an error:
give its ARN in the template). The result has no Transform: CloudFormation StackSets with service-managed
permissions refuse templates that use one, and tools read the real resources (roles, rules, schedules, versions,
aliases) from it.

    from sam_translate import translate
    plain = translate("template.yaml")                     # local CodeUri values become placeholders
    plain = translate(".aws-sam/org/packaged.yaml", "eu-west-1")

Used by tools/org_package.py (the organisation's member template), tools/function_role.py (the roles the functions
run as locally) and the tests.
"""
import copy
import os

PLACEHOLDER_BUCKET = "atrest-code-placeholder"


def translate(template, region="us-east-1", parameter_values=None):
    """The plain CloudFormation (a dict) of `template`, a SAM template's path or its parsed dict.

    A function whose CodeUri is a local path (template.yaml, or a `sam build` output) gets the placeholder
    s3://atrest-code-placeholder/<LogicalId>, as `sam validate` does, so the result is for reading, not deploying;
    packaged templates (S3 locations, or {Bucket, Key} with intrinsic functions) keep theirs.

    `region` is the Region the translator assumes (it picks the partition from it); `parameter_values` are those it
    may resolve while translating (by default each parameter's Default). Neither is written into the result as a
    literal: it keeps ${AWS::Region}, ${AWS::Partition} and the template's own parameters as intrinsic functions.
    """
    from boto3.session import Session
    from samtranslator.parser.parser import Parser
    from samtranslator.translator.translator import Translator
    from samtranslator.yaml_helper import yaml_parse

    if isinstance(template, (str, os.PathLike)):
        with open(template) as f:
            sam = yaml_parse(f.read())
    else:
        sam = copy.deepcopy(template)
    for logical_id, resource in (sam.get("Resources") or {}).items():
        if resource.get("Type") == "AWS::Serverless::Function":
            properties = resource.setdefault("Properties", {})
            if not _is_s3_location(properties.get("CodeUri")):
                properties["CodeUri"] = f"s3://{PLACEHOLDER_BUCKET}/{logical_id}"
    globals_function = (sam.get("Globals") or {}).get("Function") or {}
    if "CodeUri" in globals_function and not _is_s3_location(globals_function["CodeUri"]):
        globals_function["CodeUri"] = f"s3://{PLACEHOLDER_BUCKET}/code"

    def no_managed_policy_lookup():
        # Reached only for a managed policy name missing from the translator's bundled map.
        raise SystemExit("sam_translate: a managed policy name is not in the SAM translator's bundled map; give its "
                         "ARN in the template")

    translator = Translator(managed_policy_map=None, sam_parser=Parser(), plugins=[],
                            boto_session=Session(region_name=region))
    return translator.translate(sam_template=sam, parameter_values=dict(parameter_values or {}),
                                get_managed_policy_map=no_managed_policy_lookup)


def _is_s3_location(code_uri):
    return isinstance(code_uri, dict) or (isinstance(code_uri, str) and code_uri.startswith("s3://"))
