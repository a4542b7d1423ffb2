"""Service-managed StackSets over Organizations (cloudformation_ext) and the CloudFormation resource types atrest's
templates need (cfn_resources), against the documented behaviour."""
import json

import pytest
from botocore.exceptions import ClientError

from atrest_emulator.fixtures import make_organization

LAYOUT = {"prod": ["alpha", "bravo"], "dev": [], "dev/sandbox": ["charlie"], "security": ["sec"]}
MEMBER = {
    "Resources": {
        "Topic": {"Type": "AWS::SNS::Topic"},
        "Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                    "Principal": {"Service": "lambda.amazonaws.com"}}]}}},
    },
    "Outputs": {"TopicArn": {"Value": {"Ref": "Topic"}}},
}
AUTO = {"Enabled": True, "RetainStacksOnAccountRemoval": False}


@pytest.fixture
def org(client):
    root, ous, accounts = make_organization(client("organizations"), LAYOUT)
    return {"root": root, "ous": ous, "accounts": accounts, "management": "123456789012"}


@pytest.fixture
def cfn(client, org):
    cfn = client("cloudformation")
    cfn.activate_organizations_access()
    return cfn


def create(cfn, name="atrest", template=MEMBER, **extra):
    args = dict(StackSetName=name, TemplateBody=json.dumps(template), PermissionModel="SERVICE_MANAGED",
                AutoDeployment=AUTO, Capabilities=["CAPABILITY_IAM"])
    args.update(extra)
    return cfn.create_stack_set(**args)


def instances(cfn, name="atrest"):
    return {(i["Account"], i["Region"]): i for i in cfn.list_stack_instances(StackSetName=name)["Summaries"]}


def error(call):
    with pytest.raises(ClientError) as e:
        call()
    return e.value.response["Error"]


# ---------------------------------------------------------------- creating the StackSet

def test_trusted_access_is_a_prerequisite(client, org):
    cfn = client("cloudformation")
    assert cfn.describe_organizations_access()["Status"] == "DISABLED"
    assert "enable organizations access" in error(lambda: create(cfn))["Message"]
    cfn.activate_organizations_access()
    assert cfn.describe_organizations_access()["Status"] == "ENABLED"
    principals = [s["ServicePrincipal"] for s in
                  client("organizations").list_aws_service_access_for_organization()["EnabledServicePrincipals"]]
    assert "member.org.stacksets.cloudformation.amazonaws.com" in principals
    create(cfn)
    cfn.deactivate_organizations_access()
    assert cfn.describe_organizations_access()["Status"] == "DISABLED"


def test_create_keeps_auto_deployment_and_refuses_what_service_managed_stacksets_refuse(cfn):
    assert "AutoDeployment" in error(lambda: cfn.create_stack_set(
        StackSetName="a", TemplateBody=json.dumps(MEMBER), PermissionModel="SERVICE_MANAGED",
        Capabilities=["CAPABILITY_IAM"]))["Message"]
    transformed = {"Transform": "AWS::Serverless-2016-10-31", **MEMBER}
    assert "Transform" in error(lambda: create(cfn, "b", transformed))["Message"]
    refused = error(lambda: create(cfn, "c", Capabilities=[]))
    assert refused["Code"] == "InsufficientCapabilitiesException" and "CAPABILITY_IAM" in refused["Message"]
    named = json.loads(json.dumps(MEMBER))
    named["Resources"]["Role"]["Properties"]["RoleName"] = "fixed"
    assert "CAPABILITY_NAMED_IAM" in error(lambda: create(cfn, "d", named))["Message"]

    create(cfn)
    described = cfn.describe_stack_set(StackSetName="atrest")["StackSet"]
    assert described["AutoDeployment"] == AUTO
    assert described["Capabilities"] == ["CAPABILITY_IAM"]
    assert described["PermissionModel"] == "SERVICE_MANAGED"


# ---------------------------------------------------------------- instances

def test_instances_cover_the_ous_below_the_targets_never_the_management_account(cfn, org, as_account):
    create(cfn)
    operation = cfn.create_stack_instances(StackSetName="atrest", DeploymentTargets={
        "OrganizationalUnitIds": [org["root"]]}, Regions=["us-east-1", "eu-west-1"])["OperationId"]
    found = instances(cfn)
    a = org["accounts"]
    assert set(found) == {(x, r) for x in (a["alpha"], a["bravo"], a["charlie"], a["sec"])
                          for r in ("us-east-1", "eu-west-1")}
    assert all(i["Status"] == "CURRENT" and i["StackInstanceStatus"]["DetailedStatus"] == "SUCCEEDED"
               for i in found.values())
    assert found[(a["charlie"], "eu-west-1")]["OrganizationalUnitId"] == org["root"]
    described = cfn.describe_stack_set_operation(StackSetName="atrest", OperationId=operation)["StackSetOperation"]
    assert described["Status"] == "SUCCEEDED" and described["Action"] == "CREATE"
    results = cfn.list_stack_set_operation_results(StackSetName="atrest", OperationId=operation)["Summaries"]
    assert len(results) == 8 and {r["Status"] for r in results} == {"SUCCEEDED"}

    # Each instance is a stack of its own account and Region, listed there, with its resources there.
    charlie = as_account(a["charlie"])
    stacks = charlie("cloudformation", "eu-west-1").describe_stacks()["Stacks"]
    assert [s["StackName"].startswith("StackSet-atrest-") for s in stacks] == [True]
    assert stacks[0]["StackStatus"] == "CREATE_COMPLETE"
    topic = stacks[0]["Outputs"][0]["OutputValue"]
    assert topic.startswith(f"arn:aws:sns:eu-west-1:{a['charlie']}:")
    assert charlie("sns", "eu-west-1").list_topics()["Topics"] == [{"TopicArn": topic}]
    assert cfn.describe_stacks()["Stacks"] == []  # nothing in the management account
    instance = cfn.describe_stack_instance(StackSetName="atrest", StackInstanceAccount=a["charlie"],
                                           StackInstanceRegion="eu-west-1")["StackInstance"]
    assert instance["StackId"] == stacks[0]["StackId"]


def test_a_failing_stack_fails_its_instance_and_the_operation(cfn, org, as_account):
    # A Lambda function whose code bucket is in another Region (Lambda reads code only from its own Region).
    bucket = "code-in-us-east-1"
    cfn_client = as_account(org["accounts"]["alpha"])
    cfn_client("s3").create_bucket(Bucket=bucket)
    cfn_client("s3").put_object(Bucket=bucket, Key="code.zip", Body=b"PK\x05\x06" + b"\0" * 18)
    template = {"Resources": {"Role": MEMBER["Resources"]["Role"], "Fn": {
        "Type": "AWS::Lambda::Function", "Properties": {
            "Runtime": "java21", "Handler": "h", "Role": {"Fn::GetAtt": ["Role", "Arn"]},
            "Code": {"S3Bucket": bucket, "S3Key": "code.zip"}}}}}
    create(cfn, template=template)
    operation = cfn.create_stack_instances(StackSetName="atrest", DeploymentTargets={
        "OrganizationalUnitIds": [org["ous"]["prod"]]}, Regions=["us-east-1", "eu-west-1"])["OperationId"]
    found = instances(cfn)
    alpha = org["accounts"]["alpha"]
    assert found[(alpha, "us-east-1")]["Status"] == "CURRENT"
    failed = found[(alpha, "eu-west-1")]
    assert failed["Status"] == "OUTDATED" and failed["StackInstanceStatus"]["DetailedStatus"] == "FAILED"
    assert "The bucket is in this region: us-east-1" in failed["StatusReason"]
    assert cfn.describe_stack_set_operation(StackSetName="atrest", OperationId=operation)[
        "StackSetOperation"]["Status"] == "FAILED"
    stack = as_account(alpha)("cloudformation", "eu-west-1").describe_stacks()["Stacks"][0]
    assert stack["StackStatus"] == "ROLLBACK_COMPLETE" and "bucket is in this region" in stack["StackStatusReason"]
    assert as_account(alpha)("lambda", "eu-west-1").list_functions()["Functions"] == []
    # Rolled back: the eu-west-1 stack's role is gone, the us-east-1 one's stays (IAM is global to the account).
    roles = [r["RoleName"] for r in as_account(alpha)("iam").list_roles()["Roles"]]
    assert len([r for r in roles if r.startswith("StackSet-atrest-")]) == 1, roles


def test_auto_deployment_follows_accounts_into_and_out_of_the_targets(client, cfn, org, as_account):
    organizations = client("organizations")
    create(cfn)
    cfn.create_stack_instances(StackSetName="atrest", DeploymentTargets={"OrganizationalUnitIds": [org["ous"]["dev"]]},
                               Regions=["us-east-1", "eu-west-1"])
    assert {a for a, _ in instances(cfn)} == {org["accounts"]["charlie"]}

    # A new account moved into the OU below the target gets the Regions already chosen.
    made = organizations.create_account(Email="delta@example.com", AccountName="delta")["CreateAccountStatus"]
    delta = organizations.describe_create_account_status(CreateAccountRequestId=made["Id"])[
        "CreateAccountStatus"]["AccountId"]
    assert delta not in {a for a, _ in instances(cfn)}  # under the root: not a target
    organizations.move_account(AccountId=delta, SourceParentId=org["root"],
                               DestinationParentId=org["ous"]["dev/sandbox"])
    assert {r for a, r in instances(cfn) if a == delta} == {"us-east-1", "eu-west-1"}
    assert as_account(delta)("sns", "eu-west-1").list_topics()["Topics"]

    # Leaving the targets deletes the account's instances and their stacks.
    organizations.move_account(AccountId=delta, SourceParentId=org["ous"]["dev/sandbox"],
                               DestinationParentId=org["ous"]["prod"])
    assert delta not in {a for a, _ in instances(cfn)}
    assert as_account(delta)("cloudformation", "eu-west-1").describe_stacks()["Stacks"] == []
    assert as_account(delta)("sns", "eu-west-1").list_topics()["Topics"] == []


def test_retain_stacks_on_account_removal_keeps_the_stack(client, cfn, org, as_account):
    create(cfn, AutoDeployment={"Enabled": True, "RetainStacksOnAccountRemoval": True})
    cfn.create_stack_instances(StackSetName="atrest", DeploymentTargets={"OrganizationalUnitIds": [org["ous"]["prod"]]},
                               Regions=["us-east-1"])
    bravo = org["accounts"]["bravo"]
    client("organizations").move_account(AccountId=bravo, SourceParentId=org["ous"]["prod"],
                                         DestinationParentId=org["root"])
    assert bravo not in {a for a, _ in instances(cfn)}
    assert [s["StackStatus"] for s in as_account(bravo)("cloudformation").describe_stacks()["Stacks"]] == \
        ["CREATE_COMPLETE"]


def test_delete_instances_by_ou_then_the_stackset(cfn, org, as_account):
    create(cfn)
    cfn.create_stack_instances(StackSetName="atrest", DeploymentTargets={"OrganizationalUnitIds": [org["ous"]["prod"]]},
                               Regions=["us-east-1", "eu-west-1"])
    assert error(lambda: cfn.delete_stack_set(StackSetName="atrest"))["Code"] == "StackSetNotEmptyException"
    cfn.delete_stack_instances(StackSetName="atrest", DeploymentTargets={"OrganizationalUnitIds": [org["ous"]["prod"]]},
                               Regions=["eu-west-1"], RetainStacks=False)
    assert {r for _, r in instances(cfn)} == {"us-east-1"}
    alpha = as_account(org["accounts"]["alpha"])
    assert alpha("cloudformation", "eu-west-1").describe_stacks()["Stacks"] == []
    cfn.delete_stack_instances(StackSetName="atrest", DeploymentTargets={"OrganizationalUnitIds": [org["ous"]["prod"]]},
                               Regions=["us-east-1"], RetainStacks=True)
    assert instances(cfn) == {}
    assert len(alpha("cloudformation").describe_stacks()["Stacks"]) == 1  # retained
    assert cfn.describe_stack_set(StackSetName="atrest")["StackSet"]["OrganizationalUnitIds"] == []
    cfn.delete_stack_set(StackSetName="atrest")


def test_delegated_administrator_acts_on_the_management_accounts_stacksets(client, cfn, org, as_account):
    sec = org["accounts"]["sec"]
    delegated = as_account(sec)("cloudformation")
    assert "delegated admin" in error(lambda: create(delegated, CallAs="DELEGATED_ADMIN"))["Message"]
    assert "delegated admin" in error(lambda: create(delegated))["Message"]  # SELF outside the management account
    client("organizations").register_delegated_administrator(
        AccountId=sec, ServicePrincipal="member.org.stacksets.cloudformation.amazonaws.com")
    create(delegated, CallAs="DELEGATED_ADMIN")
    delegated.create_stack_instances(StackSetName="atrest", CallAs="DELEGATED_ADMIN", Regions=["us-east-1"],
                                     DeploymentTargets={"OrganizationalUnitIds": [org["ous"]["prod"]]})
    # The StackSet lives in the management account; the delegated administrator deploys nothing to itself.
    assert [s["StackSetName"] for s in cfn.list_stack_sets()["Summaries"]] == ["atrest"]
    assert {a for a, _ in instances(cfn)} == {org["accounts"]["alpha"], org["accounts"]["bravo"]}
    assert delegated.describe_organizations_access(CallAs="DELEGATED_ADMIN")["Status"] == "ENABLED"


def test_stackset_resource_creates_and_deletes_the_rollout(client, cfn, org, as_account):
    client("s3").create_bucket(Bucket="templates")
    client("s3").put_object(Bucket="templates", Key="member.json", Body=json.dumps(MEMBER).encode())
    org_template = {"Resources": {"StackSet": {"Type": "AWS::CloudFormation::StackSet", "Properties": {
        "StackSetName": "atrest", "PermissionModel": "SERVICE_MANAGED", "AutoDeployment": AUTO,
        "Capabilities": ["CAPABILITY_IAM"], "TemplateURL": "https://templates.s3.us-east-1.amazonaws.com/member.json",
        "StackInstancesGroup": [{"DeploymentTargets": {"OrganizationalUnitIds": [org["ous"]["prod"]]},
                                 "Regions": ["us-east-1", "eu-west-1"]}]}}},
        "Outputs": {"Id": {"Value": {"Ref": "StackSet"}}}}
    cfn.create_stack(StackName="org", TemplateBody=json.dumps(org_template))
    stack = cfn.describe_stacks(StackName="org")["Stacks"][0]
    assert stack["StackStatus"] == "CREATE_COMPLETE"
    assert stack["Outputs"][0]["OutputValue"] == cfn.describe_stack_set(StackSetName="atrest")["StackSet"]["StackSetId"]
    assert len(instances(cfn)) == 4
    cfn.delete_stack(StackName="org")
    assert error(lambda: cfn.describe_stack_set(StackSetName="atrest"))["Code"] == "StackSetNotFoundException"
    assert as_account(org["accounts"]["alpha"])("cloudformation").describe_stacks()["Stacks"] == []


def test_stackset_resource_failing_instances_roll_the_stack_back(client, cfn, org):
    template = {"Resources": {"StackSet": {"Type": "AWS::CloudFormation::StackSet", "Properties": {
        "StackSetName": "atrest", "PermissionModel": "SERVICE_MANAGED", "AutoDeployment": AUTO,
        "TemplateBody": json.dumps(MEMBER),  # IAM resources without CAPABILITY_IAM
        "StackInstancesGroup": [{"DeploymentTargets": {"OrganizationalUnitIds": [org["ous"]["prod"]]},
                                 "Regions": ["us-east-1"]}]}}}}
    cfn.create_stack(StackName="org", TemplateBody=json.dumps(template))
    stack = cfn.describe_stacks(StackName="org")["Stacks"][0]
    assert stack["StackStatus"] == "ROLLBACK_COMPLETE"
    assert "CAPABILITY_IAM" in stack["StackStatusReason"]
