"""A function's IAM role as the built template defines it, made real in the local emulator, so the function runs
with exactly the permissions it would have in AWS (tools/invoke.py --as-function-role).

1. The built template (.aws-sam/build/template.yaml) still carries the SAM transform: the SAM translator turns it
   into plain CloudFormation offline, as `sam validate` does (tools/sam_translate.py: AWS managed policy names come
   from the translator's bundled map; nothing is asked of AWS). The result is cached per template content under
   .aws-sam/atrest/.
2. The function's AWS::IAM::Role there, with every policy attached to it in the template, is resolved with the
   parameters in force (TemplateEnvironment: defaults, ATREST_PARAM_* overrides, the Conditions).
3. In the emulator (it must enforce IAM: process.running(iam=True)) an administrator creates that role with those
   inline policies and assumes it; the function gets the session's credentials.

Differences from AWS, all on the emulator's side:
- AWS managed policies SAM attaches (AWSLambdaBasicExecutionRole: CloudWatch Logs) are left out: the function's
  logs go to stderr, never to a Logs API.
- The role trusts the administrator that assumes it, not lambda.amazonaws.com: moto fails AssumeRole with a 500 on
  a trust policy with a Service principal.
- Permissions Lambda itself uses with the role (the SQS on-failure destination SAM grants sqs:SendMessage for) are
  granted as in the template but never exercised.
"""
import copy
import hashlib
import importlib.metadata
import json
import os
from urllib.parse import urlsplit

from invoke import ROOT, TemplateEnvironment

CACHE_DIR = os.path.join(ROOT, ".aws-sam", "atrest")
# AWS managed policies a function role may carry that only grant what the local run never calls (CloudWatch Logs,
# X-Ray): left out of the emulator's role.
LOGGING_MANAGED_POLICIES = frozenset({"AWSLambdaBasicExecutionRole", "AWSXRayDaemonWriteAccess",
                                      "AWSXrayWriteOnlyAccess"})
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


# ---------------------------------------------------------------- translation

def translate(template_path, region="us-east-1", cache_dir=CACHE_DIR):
    """The plain CloudFormation the SAM translator makes of the template, cached on disk per content."""
    # The version without importing the translator, which a cached run does not need.
    translator_version = importlib.metadata.version("aws-sam-translator")
    with open(template_path, "rb") as f:
        source = f.read()
    # sam_translate's placeholders are part of the result: a change to how it translates renames the cache.
    salt = translator_version.encode() + region.encode() + b"sam_translate/1"
    digest = hashlib.sha256(source + salt).hexdigest()[:24]
    cached = os.path.join(cache_dir, f"translated-{digest}.json")
    if os.path.exists(cached):
        with open(cached) as f:
            return json.load(f)
    translated = _translate(source.decode(), region)
    os.makedirs(cache_dir, exist_ok=True)
    partial = f"{cached}.{os.getpid()}"
    with open(partial, "w") as f:
        json.dump(translated, f)
    os.replace(partial, cached)  # concurrent runs each write whole files; the last one wins
    return translated


def _translate(text, region):
    from samtranslator.yaml_helper import yaml_parse
    from sam_translate import translate as sam_translate  # code locations become placeholders, as sam validate does
    return sam_translate(yaml_parse(text), region)


# ---------------------------------------------------------------- the role's policies

def role_policies(env, function_id):
    """(role logical id, [(policy name, resolved policy document)]) of the function's role in the translated
    template `env` (a TemplateEnvironment over it)."""
    resources = env.template["Resources"]
    function = resources.get(function_id)
    if function is None or function.get("Type") != "AWS::Lambda::Function":
        raise SystemExit(f"function_role: no function {function_id!r} in the translated template")
    role_ref = function["Properties"].get("Role")
    role_id = role_ref.get("Fn::GetAtt", [None])[0] if isinstance(role_ref, dict) else None
    if role_id not in resources or resources[role_id].get("Type") != "AWS::IAM::Role":
        raise SystemExit(f"function_role: {function_id}'s role is not a role of the template: {role_ref!r}")
    role = env.resolve(resources[role_id]["Properties"])
    policies = [(p["PolicyName"], p["PolicyDocument"]) for p in role.get("Policies", [])]
    for arn in role.get("ManagedPolicyArns", []):
        name = str(arn).rsplit("/", 1)[-1]
        if ":iam::aws:policy/" in str(arn) and name in LOGGING_MANAGED_POLICIES:
            continue
        policies.append(_template_managed_policy(env, arn))
    # Policies the template attaches to the role from outside it.
    for logical_id, resource in resources.items():
        if resource.get("Type") in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy") and _applies(env, resource):
            props = env.resolve(resource["Properties"])
            if env.physical(role_id) in props.get("Roles", []):
                policies.append((props.get("PolicyName", logical_id), props["PolicyDocument"]))
    return role_id, [(name, _with_version(document)) for name, document in policies if _statements(document)]


def _applies(env, resource):
    return "Condition" not in resource or env.condition(resource["Condition"])


def _template_managed_policy(env, arn):
    for logical_id, resource in env.template["Resources"].items():
        if resource.get("Type") == "AWS::IAM::ManagedPolicy" and _applies(env, resource):
            props = env.resolve(resource["Properties"])
            name = props.get("ManagedPolicyName", f"{env.pseudo['AWS::StackName']}-{logical_id}")
            if str(arn).endswith(f":policy/{name}"):
                return name, props["PolicyDocument"]
    raise SystemExit(f"function_role: cannot model managed policy {arn} locally")


def _statements(document):
    found = document.get("Statement", [])
    return found if isinstance(found, list) else [found]


def _with_version(document):
    # IAM reads a document without Version as the 2008 language; moto refuses it. None of these use policy variables,
    # the one thing the two versions read differently.
    return document if "Version" in document else {"Version": "2012-10-17", **document}


def without_actions(policies, actions):
    """The policies with `actions` (exact names) taken out of every statement (a test's way to prove the emulator
    denies what the template would not grant); statements left with no action are dropped."""
    actions = set(actions)
    trimmed = []
    for name, document in policies:
        document = copy.deepcopy(document)
        kept = []
        for statement in _statements(document):
            granted = statement.get("Action", [])
            granted = [granted] if isinstance(granted, str) else granted
            remaining = [a for a in granted if a not in actions]
            if remaining:
                kept.append({**statement, "Action": remaining})
        if kept:
            trimmed.append((name, {**document, "Statement": kept}))
    return trimmed


# ---------------------------------------------------------------- the role in the emulator

def assume(endpoint, region, function_id, role_name, policies, admin):
    """Creates (or updates) the role in the emulator with exactly `policies` as inline policies and returns the
    credentials of a session of it (AWS_* environment variables), named after the function as Lambda names it, and the
    role's unique id (ATREST_ROLE_ID: what S3 names in the principalId of the function's own writes).
    `admin` is a botocore Session allowed to manage IAM and assume roles."""
    host = urlsplit(endpoint).hostname
    if host not in LOCAL_HOSTS:
        # Creating roles is for the local emulator only, never for an account AWS_ENDPOINT_URL might point to.
        raise SystemExit(f"function_role: {endpoint} is not a local emulator; refusing to create IAM roles there")
    iam = admin.create_client("iam", endpoint_url=endpoint, region_name=region)
    sts = admin.create_client("sts", endpoint_url=endpoint, region_name=region)
    trust = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": sts.get_caller_identity()["Arn"]}, "Action": "sts:AssumeRole"}]}
    try:
        role_arn = iam.create_role(RoleName=role_name, AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    except iam.exceptions.EntityAlreadyExistsException:
        role_arn = iam.get_role(RoleName=role_name)["Role"]["Arn"]
        iam.update_assume_role_policy(RoleName=role_name, PolicyDocument=json.dumps(trust))
        wanted = {name for name, _ in policies}
        for stale in iam.list_role_policies(RoleName=role_name)["PolicyNames"]:
            if stale not in wanted:
                iam.delete_role_policy(RoleName=role_name, PolicyName=stale)
    for name, document in policies:
        iam.put_role_policy(RoleName=role_name, PolicyName=name, PolicyDocument=json.dumps(document))
    session = sts.assume_role(RoleArn=role_arn, RoleSessionName=function_id[:64])["Credentials"]
    role_id = iam.get_role(RoleName=role_name)["Role"]["RoleId"]
    return {"AWS_ACCESS_KEY_ID": session["AccessKeyId"], "AWS_SECRET_ACCESS_KEY": session["SecretAccessKey"],
            "AWS_SESSION_TOKEN": session["SessionToken"], "ATREST_ROLE_ID": role_id}


def credentials(function_id, built_template, region, overrides, endpoint, admin, without=()):
    """The whole way from the built template to the function's session credentials in the emulator."""
    env = TemplateEnvironment(None, region, overrides, template=translate(built_template, region))
    role_id, policies = role_policies(env, function_id)
    if without:
        policies = without_actions(policies, without)
    return assume(endpoint, region, function_id, env.physical(role_id), policies, admin)
