"""The CloudFormation resource types cfn_resources adds to moto's, each read back through its service's API, and
Lambda's rule that code comes from a bucket in the function's Region."""
import json

import pytest
from botocore.exceptions import ClientError

ROLE = {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {
    "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                            "Principal": {"Service": "lambda.amazonaws.com"}}]}}}


def code_bucket(client, region="us-east-1", name=None):
    name = name or f"code-{region}"
    s3 = client("s3", region)
    if region == "us-east-1":
        s3.create_bucket(Bucket=name)
    else:
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": region})
    s3.put_object(Bucket=name, Key="fn.zip", Body=b"PK\x05\x06" + b"\0" * 18)
    return name


TEMPLATE = {
    "Parameters": {"WithPolicy": {"Type": "String", "Default": "false"}},
    "Conditions": {"PolicyOn": {"Fn::Equals": [{"Ref": "WithPolicy"}, "true"]}},
    "Resources": {
        "Role": {**ROLE, "Properties": {**ROLE["Properties"], "Policies": [
            {"PolicyName": "always", "PolicyDocument": {"Statement": [
                {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*"}]}},
            # AWS::NoValue in a list removes the item.
            {"Fn::If": ["PolicyOn", {"PolicyName": "sometimes", "PolicyDocument": {"Statement": [
                {"Effect": "Allow", "Action": "sns:Publish", "Resource": "*"}]}}, {"Ref": "AWS::NoValue"}]}]}},
        "Fn": {"Type": "AWS::Lambda::Function", "Properties": {
            "Runtime": "java21", "Handler": "h", "Role": {"Fn::GetAtt": ["Role", "Arn"]},
            "Code": {"S3Bucket": "code-us-east-1", "S3Key": "fn.zip"}}},
        "Version": {"Type": "AWS::Lambda::Version", "Properties": {"FunctionName": {"Ref": "Fn"}}},
        "Alias": {"Type": "AWS::Lambda::Alias", "Properties": {
            "Name": "live", "FunctionName": {"Ref": "Fn"}, "FunctionVersion": {"Fn::GetAtt": ["Version", "Version"]}}},
        "InvokeConfig": {"Type": "AWS::Lambda::EventInvokeConfig", "Properties": {
            "FunctionName": {"Ref": "Fn"}, "Qualifier": "live", "MaximumRetryAttempts": 1}},
        "Queue": {"Type": "AWS::SQS::Queue"},
        "QueuePolicy": {"Type": "AWS::SQS::QueuePolicy", "Properties": {
            "Queues": [{"Ref": "Queue"}], "PolicyDocument": {
            "Statement": [{"Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"},
                           "Action": "sqs:SendMessage", "Resource": {"Fn::GetAtt": ["Queue", "Arn"]}}]}}},
        "Group": {"Type": "AWS::Scheduler::ScheduleGroup"},
        "Schedule": {"Type": "AWS::Scheduler::Schedule", "Properties": {
            "Name": "Sweep", "GroupName": {"Ref": "Group"}, "ScheduleExpression": "rate(1 day)",
            "FlexibleTimeWindow": {"Mode": "OFF"},
            "Target": {"Arn": {"Ref": "Alias"}, "RoleArn": {"Fn::GetAtt": ["Role", "Arn"]}}}},
        "Alarm": {"Type": "AWS::CloudWatch::Alarm", "Properties": {
            "AlarmName": "errors", "Namespace": "AWS/Lambda", "MetricName": "Errors",
            "Dimensions": [{"Name": "FunctionName", "Value": {"Ref": "Fn"}}], "Statistic": "Sum", "Period": 300,
            "EvaluationPeriods": 1, "Threshold": 0, "ComparisonOperator": "GreaterThanThreshold"}},
        "MathAlarm": {"Type": "AWS::CloudWatch::Alarm", "Properties": {
            "Metrics": [{"Id": "e", "Expression": "FILL(m, 0)", "ReturnData": True},
                        {"Id": "m", "ReturnData": False, "MetricStat": {"Metric": {
                            "Namespace": "AWS/Events", "MetricName": "FailedInvocations",
                            "Dimensions": [{"Name": "RuleName", "Value": "r"}]}, "Period": 300, "Stat": "Sum"}}],
            "EvaluationPeriods": 1, "Threshold": 0, "ComparisonOperator": "GreaterThanThreshold"}},
        "Key": {"Type": "AWS::KMS::Key", "Properties": {
            "EnableKeyRotation": True, "RotationPeriodInDays": 180, "KeyPolicy": {
                "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:*", "Resource": "*",
                                                        "Principal": {"AWS": "arn:aws:iam::123456789012:root"}}]}}},
        "Bucket": {"Type": "AWS::S3::Bucket"},
        "BucketPolicy": {"Type": "AWS::S3::BucketPolicy", "Properties": {
            "Bucket": {"Ref": "Bucket"}, "PolicyDocument": {
            "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                           "Resource": {"Fn::Sub": "${Bucket.Arn}/*"}}]}}},
    },
    "Outputs": {
        "VersionArn": {"Value": {"Ref": "Version"}},
        "AliasArn": {"Value": {"Ref": "Alias"}},
        "ScheduleArn": {"Value": {"Fn::GetAtt": ["Schedule", "Arn"]}},
        "AlarmArn": {"Value": {"Fn::GetAtt": ["Alarm", "Arn"]}},
        "KeyArn": {"Value": {"Fn::GetAtt": ["Key", "Arn"]}},
    },
}


def outputs(cfn, stack):
    return {o["OutputKey"]: o["OutputValue"] for o in cfn.describe_stacks(StackName=stack)["Stacks"][0]["Outputs"]}


def test_the_resources_are_made_through_their_services_and_deleted_with_the_stack(client):
    code_bucket(client)
    cfn = client("cloudformation")
    cfn.create_stack(StackName="s", TemplateBody=json.dumps(TEMPLATE), Capabilities=["CAPABILITY_IAM"])
    assert cfn.describe_stacks(StackName="s")["Stacks"][0]["StackStatus"] == "CREATE_COMPLETE"
    out = outputs(cfn, "s")
    lam = client("lambda")
    function = lam.list_functions()["Functions"][0]["FunctionName"]
    assert out["VersionArn"].endswith(f":function:{function}:1")
    assert lam.get_alias(FunctionName=function, Name="live")["FunctionVersion"] == "1"
    assert out["AliasArn"] == lam.get_alias(FunctionName=function, Name="live")["AliasArn"]
    assert lam.get_function_event_invoke_config(FunctionName=function)["MaximumRetryAttempts"] == 1
    queue_url = client("sqs").list_queues()["QueueUrls"][0]
    policy = json.loads(client("sqs").get_queue_attributes(QueueUrl=queue_url, AttributeNames=["Policy"])[
        "Attributes"]["Policy"])
    assert policy["Statement"][0]["Principal"] == {"Service": "events.amazonaws.com"}
    scheduler = client("scheduler")
    group = [g["Name"] for g in scheduler.list_schedule_groups()["ScheduleGroups"] if g["Name"] != "default"][0]
    schedule = scheduler.get_schedule(GroupName=group, Name="Sweep")
    assert schedule["Arn"] == out["ScheduleArn"] and schedule["Target"]["Arn"] == out["AliasArn"]
    alarms = {a["AlarmName"]: a for a in client("cloudwatch").describe_alarms()["MetricAlarms"]}
    assert alarms["errors"]["AlarmArn"] == out["AlarmArn"]
    assert alarms["errors"]["Dimensions"] == [{"Name": "FunctionName", "Value": function}]
    assert [m["Id"] for m in next(a for n, a in alarms.items() if n != "errors")["Metrics"]] == ["e", "m"]
    kms = client("kms")
    rotation = kms.get_key_rotation_status(KeyId=out["KeyArn"])
    assert rotation["KeyRotationEnabled"] is True and rotation["RotationPeriodInDays"] == 180
    assert json.loads(kms.get_key_policy(KeyId=out["KeyArn"])["Policy"])["Statement"][0]["Action"] == "kms:*"
    bucket = [b["Name"] for b in client("s3").list_buckets()["Buckets"] if b["Name"] != "code-us-east-1"][0]
    assert json.loads(client("s3").get_bucket_policy(Bucket=bucket)["Policy"])["Statement"][0]["Action"] == \
        "s3:GetObject"
    role = [r for r in client("iam").list_roles()["Roles"] if r["RoleName"].startswith("s-Role")][0]["RoleName"]
    assert client("iam").list_role_policies(RoleName=role)["PolicyNames"] == ["always"]

    cfn.delete_stack(StackName="s")
    assert client("cloudwatch").describe_alarms()["MetricAlarms"] == []
    assert scheduler.list_schedules()["Schedules"] == []
    assert lam.list_functions()["Functions"] == []


def test_a_condition_turns_the_list_item_on(client):
    code_bucket(client)
    cfn = client("cloudformation")
    cfn.create_stack(StackName="s", TemplateBody=json.dumps(TEMPLATE), Capabilities=["CAPABILITY_IAM"],
                     Parameters=[{"ParameterKey": "WithPolicy", "ParameterValue": "true"}])
    role = [r for r in client("iam").list_roles()["Roles"] if r["RoleName"].startswith("s-Role")][0]["RoleName"]
    assert sorted(client("iam").list_role_policies(RoleName=role)["PolicyNames"]) == ["always", "sometimes"]


def test_lambda_code_must_come_from_the_functions_region(client):
    code_bucket(client, "eu-west-1")
    iam = client("iam")
    role = iam.create_role(RoleName="r", AssumeRolePolicyDocument=json.dumps(
        ROLE["Properties"]["AssumeRolePolicyDocument"]))["Role"]["Arn"]
    with pytest.raises(ClientError) as e:
        client("lambda", "us-east-1").create_function(FunctionName="f", Runtime="java21", Role=role, Handler="h",
                                                      Code={"S3Bucket": "code-eu-west-1", "S3Key": "fn.zip"})
    assert e.value.response["Error"]["Code"] == "InvalidParameterValueException"
    assert "The bucket is in this region: eu-west-1" in e.value.response["Error"]["Message"]
    made = client("lambda", "eu-west-1").create_function(FunctionName="f", Runtime="java21", Role=role, Handler="h",
                                                         Code={"S3Bucket": "code-eu-west-1", "S3Key": "fn.zip"})
    assert made["FunctionName"] == "f"


def test_a_failed_resource_rolls_the_stack_back(client):
    cfn = client("cloudformation")
    template = {"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}, "Role": ROLE, "Fn": {
        "Type": "AWS::Lambda::Function", "DependsOn": ["Topic"], "Properties": {
            "Runtime": "java21", "Handler": "h", "Role": {"Fn::GetAtt": ["Role", "Arn"]},
            "Code": {"S3Bucket": "no-such-bucket", "S3Key": "fn.zip"}}}},
        "Outputs": {"Topic": {"Value": {"Ref": "Topic"}}}}
    cfn.create_stack(StackName="s", TemplateBody=json.dumps(template), Capabilities=["CAPABILITY_IAM"])
    stack = cfn.describe_stacks(StackName="s")["Stacks"][0]
    assert stack["StackStatus"] == "ROLLBACK_COMPLETE"
    assert "NoSuchBucket" in stack["StackStatusReason"]
    assert "Outputs" not in stack
    assert client("sns").list_topics()["Topics"] == []
    events = [e["ResourceStatus"] for e in cfn.describe_stack_events(StackName="s")["StackEvents"]]
    assert "CREATE_FAILED" in events and "ROLLBACK_COMPLETE" in events


def test_a_comma_delimited_list_left_at_its_default_is_a_list(client):
    template = {"Parameters": {"Names": {"Type": "CommaDelimitedList", "Default": "alpha,bravo"}},
                "Resources": {"Topic": {"Type": "AWS::SNS::Topic"}},
                "Outputs": {"Joined": {"Value": {"Fn::Join": ["+", {"Ref": "Names"}]}},
                            "Second": {"Value": {"Fn::Select": [1, {"Ref": "Names"}]}}}}
    cfn = client("cloudformation")
    cfn.create_stack(StackName="s", TemplateBody=json.dumps(template))
    assert outputs(cfn, "s") == {"Joined": "alpha+bravo", "Second": "bravo"}
    cfn.create_stack(StackName="t", TemplateBody=json.dumps(template),
                     Parameters=[{"ParameterKey": "Names", "ParameterValue": "x,y"}])
    assert outputs(cfn, "t") == {"Joined": "x+y", "Second": "y"}
