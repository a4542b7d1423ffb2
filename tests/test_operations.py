"""The stack an operator runs (template.yaml): failure queues only the stack's own rules can write to, tagging
limited to atrest's own tag, retained log groups, the alarms and the dashboard. Reads the template and the plain
CloudFormation the SAM translator makes of it; no build needed."""
import json
import os
import re

import pytest

from template_model import (ROOT, as_list, functions, getatt, ref, resources, service_name, source, statements,
                            translated)

FUNCTIONS = sorted(functions())
ALARM = "AWS::CloudWatch::Alarm"


def _queue_of_dlq(config):
    found = getatt((config or {}).get("Arn"))
    return found[0] if found else None


def _rules_dead_lettering_to():
    """queue logical id -> the EventBridge rules (SAM-generated logical ids) that use it as a target DLQ."""
    out = {}
    for rule_id, rule in resources(translated(), "AWS::Events::Rule").items():
        for target in rule["Properties"].get("Targets", []):
            queue = _queue_of_dlq(target.get("DeadLetterConfig"))
            if queue:
                out.setdefault(queue, set()).add(rule_id)
    return out


def _queues():
    return resources(source(), "AWS::SQS::Queue")


def _queue_policies():
    """queue logical id -> its policy document (from the template as written)."""
    out = {}
    for policy in resources(source(), "AWS::SQS::QueuePolicy").values():
        for queue in policy["Properties"]["Queues"]:
            out[ref(queue)] = policy["Properties"]["PolicyDocument"]
    return out


def _principals(statement):
    principal = statement.get("Principal")
    if principal == "*":
        return {"*"}
    return {p for values in principal.values() for p in as_list(values)}


# ---------------------------------------------------------------- failure queues


def test_only_the_stacks_own_rules_may_dead_letter_into_its_queues():
    """Confused deputy: events.amazonaws.com writes for any rule of any account unless the policy names the rule."""
    dead_lettering = _rules_dead_lettering_to()
    assert dead_lettering, "no rule dead-letters anywhere: the translation lost the rules"
    policies = _queue_policies()
    for queue in _queues():
        rules = dead_lettering.get(queue, set())
        granted = set()
        for statement in statements(policies.get(queue, {})):
            assert statement["Effect"] == "Allow"
            assert _principals(statement) == {"events.amazonaws.com"}, (queue, statement)
            assert as_list(statement["Action"]) == ["sqs:SendMessage"], (queue, statement)
            assert getatt(statement["Resource"]) == (queue, "Arn"), (queue, statement)
            condition = statement.get("Condition", {})
            assert condition.get("StringEquals") == {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}, (queue, statement)
            assert set(condition) == {"ArnEquals", "StringEquals"}, (queue, statement)
            sources = as_list(condition["ArnEquals"]["aws:SourceArn"])
            for arn in sources:
                rule, attribute = getatt(arn)
                assert attribute == "Arn", (queue, arn)
                granted.add(rule)
        # Exactly the rules that use this queue: one missing would lose its dead letters, one extra is a grant
        # to somebody else's traffic.
        assert granted == rules, f"{queue}: policy admits {sorted(granted)}, DLQ of {sorted(rules)}"


def test_schedules_and_lambda_destinations_write_with_their_own_roles_not_the_queue_policy():
    """EventBridge Scheduler delivers dead letters with the schedule's execution role and Lambda's on-failure
    destination with the function's role; SAM grants each role SendMessage on exactly its queue."""
    cfn = translated()
    roles = resources(cfn, "AWS::IAM::Role")

    def send_message_targets(role_id):
        out = set()
        for statement in _all_statements(roles[role_id]["Properties"].get("Policies", [])):
            if "sqs:SendMessage" in as_list(statement["Action"]):
                out |= {getatt(r)[0] for r in as_list(statement["Resource"]) if getatt(r)}
        return out

    schedules = resources(cfn, "AWS::Scheduler::Schedule")
    assert schedules
    for schedule_id, schedule in schedules.items():
        target = schedule["Properties"]["Target"]
        queue = _queue_of_dlq(target.get("DeadLetterConfig"))
        assert queue, f"{schedule_id} has no dead-letter queue"
        assert queue in send_message_targets(getatt(target["RoleArn"])[0]), schedule_id
    for config_id, config in resources(cfn, "AWS::Lambda::EventInvokeConfig").items():
        queue = getatt(config["Properties"]["DestinationConfig"]["OnFailure"]["Destination"])[0]
        function = ref(config["Properties"]["FunctionName"])
        role = getatt(cfn["Resources"][function]["Properties"]["Role"])[0]
        assert queue in send_message_targets(role), config_id
    # Hence no queue policy lets the Scheduler service principal in.
    for document in _queue_policies().values():
        for statement in statements(document):
            assert "scheduler.amazonaws.com" not in _principals(statement)


def test_failure_queues_outlive_the_stack():
    for queue_id, queue in _queues().items():
        assert queue.get("DeletionPolicy") == "Retain", queue_id
        assert queue.get("UpdateReplacePolicy") == "Retain", queue_id


# ---------------------------------------------------------------- tagging


TAG_ACTIONS = {"ec2:CreateTags", "ec2:DeleteTags", "elasticfilesystem:TagResource", "elasticfilesystem:UntagResource"}


def _tag_key():
    path = os.path.join(ROOT, "functions", "storage-audit", "src", "main", "java", "dev", "atrest", "audit", "check",
                        "TagDecision.java")
    return re.search(r'TAG_KEY\s*=\s*"([^"]+)"', open(path).read()).group(1)


def _all_statements(node):
    if isinstance(node, dict):
        if "Effect" in node and "Action" in node:
            yield node
        for value in node.values():
            yield from _all_statements(value)
    elif isinstance(node, list):
        for value in node:
            yield from _all_statements(value)


def test_tagging_is_limited_to_the_audits_own_marker_tag():
    key = _tag_key()
    seen = set()
    for function_id, function in functions().items():
        for statement in _all_statements(function["Properties"].get("Policies", [])):
            tagging = TAG_ACTIONS & set(as_list(statement["Action"]))
            if not tagging:
                continue
            seen |= tagging
            assert set(as_list(statement["Action"])) <= TAG_ACTIONS, (function_id, statement["Sid"])
            condition = statement.get("Condition", {})
            assert condition.get("ForAllValues:StringEquals") == {"aws:TagKeys": [key]}, (function_id, statement)
            # ForAllValues holds for a request without tag keys (EC2 DeleteTags without tags removes all of them).
            assert condition.get("Null") == {"aws:TagKeys": "false"}, (function_id, statement)
    assert seen == TAG_ACTIONS


# ---------------------------------------------------------------- logs


def test_every_function_logs_to_a_retained_log_group_with_the_configured_retention():
    template = source()
    for function_id in FUNCTIONS:
        group_id = ref(template["Resources"][function_id]["Properties"]["LoggingConfig"]["LogGroup"])
        group = template["Resources"][group_id]
        assert group["Type"] == "AWS::Logs::LogGroup"
        assert group["DeletionPolicy"] == "Retain" and group["UpdateReplacePolicy"] == "Retain", group_id
        assert ref(group["Properties"]["RetentionInDays"]) == "LogRetentionDays"
        name, values = group["Properties"]["LogGroupName"]["Fn::Sub"]
        assert name.startswith("/aws/lambda/${AWS::StackName}/" + function_id + "-"), name
        # Unique per stack, so a stack re-created under the same name does not meet its predecessor's group.
        assert "StackId" in name and values["StackId"]["Fn::Select"][1]["Fn::Split"][1]["Fn::Select"][1] == {
            "Fn::Split": ["/", {"Ref": "AWS::StackId"}]}


def test_log_retention_offers_exactly_what_cloudwatch_logs_accepts():
    from cfnlint.schema import PROVIDER_SCHEMA_MANAGER
    accepted = PROVIDER_SCHEMA_MANAGER.get_resource_schema("us-east-1", "AWS::Logs::LogGroup").schema[
        "properties"]["RetentionInDays"]["enum"]
    parameter = source()["Parameters"]["LogRetentionDays"]
    assert parameter["AllowedValues"] == accepted
    assert parameter["Default"] == 90


# ---------------------------------------------------------------- alarms


def _alarms():
    return resources(source(), ALARM)


def _metrics(alarm):
    """(namespace, metric name, {dimension: value}) of every metric an alarm reads."""
    props = alarm["Properties"]
    if "MetricName" in props:
        return [(props["Namespace"], props["MetricName"], {d["Name"]: d["Value"] for d in props.get("Dimensions", [])})]
    out = []
    for query in props["Metrics"]:
        if "MetricStat" in query:
            metric = query["MetricStat"]["Metric"]
            out.append((metric["Namespace"], metric["MetricName"],
                        {d["Name"]: d["Value"] for d in metric.get("Dimensions", [])}))
    return out


def _alarmed(namespace, metric, dimensions):
    return [alarm_id for alarm_id, alarm in _alarms().items()
            if (namespace, metric, dimensions) in _metrics(alarm)]


@pytest.mark.parametrize("function_id", FUNCTIONS)
def test_every_function_has_the_same_alarms(function_id):
    on_function = {"FunctionName": {"Ref": function_id}}
    for metric in ("Errors", "Throttles", "DestinationDeliveryFailures"):
        assert len(_alarmed("AWS/Lambda", metric, on_function)) == 1, (function_id, metric)
    on_service = {"Service": service_name(function_id)}
    for metric in ("ItemsCRITICAL", "ItemsFAILED", "ItemsRETRYABLE_FAILURE"):
        assert len(_alarmed("atrest", metric, on_service)) == 1, (function_id, metric)
    invoke_config = source()["Resources"][function_id]["Properties"]["EventInvokeConfig"]
    queue = getatt(invoke_config["DestinationConfig"]["OnFailure"]["Destination"])[0]
    queue_alarms = _alarmed("AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": {"Fn::GetAtt": [queue, "QueueName"]}})
    assert len(queue_alarms) == 1, (function_id, queue)


def test_every_rule_and_schedule_has_a_delivery_alarm():
    template = source()
    for function_id in FUNCTIONS:
        for event_id, event in template["Resources"][function_id]["Properties"].get("Events", {}).items():
            if event["Type"] == "EventBridgeRule":
                rule = {"RuleName": {"Ref": function_id + event_id}}  # SAM names the rule <Function><EventName>
                failed = set(_alarmed("AWS/Events", "FailedInvocations", rule))
                lost = set(_alarmed("AWS/Events", "InvocationsFailedToBeSentToDlq", rule))
                assert len(failed) == 1 and failed == lost, (function_id, event_id)
            elif event["Type"] == "ScheduleV2":
                # Scheduler publishes per schedule group: atrest's schedules share one of their own.
                assert event["Properties"]["GroupName"] == {"Ref": "ScheduleGroup"}, (function_id, event_id)
            else:
                pytest.fail(f"{function_id}.{event_id}: no delivery alarm for a {event['Type']} event")
    group = {"ScheduleGroup": {"Ref": "ScheduleGroup"}}
    for metric in ("TargetErrorCount", "InvocationDroppedCount", "InvocationsFailedToBeSentToDeadLetterCount"):
        assert len(_alarmed("AWS/Scheduler", metric, group)) == 1, metric


def test_the_functions_harm_metrics_have_alarms():
    """The metrics only one function emits, each with the dimension set it is published with ([Service])."""
    for metric, function_id in (("SweepIncomplete", "KmsRotationFunction"), ("AuditFailures", "StorageAuditFunction"),
                                ("NonCompliantResources", "StorageAuditFunction")):
        assert len(_alarmed("atrest", metric, {"Service": service_name(function_id)})) == 1, metric


def test_alarms_on_atrest_metrics_use_the_dimension_set_the_functions_publish():
    """An alarm whose dimensions differ from the published ones watches a metric that does not exist and never
    fires. The functions publish every atrest metric with [Service] (tests/test_emf_dimensions.py proves it on
    the built functions); MetricsLogSink adds [Check, Region], which is for the dashboard."""
    services = {service_name(f) for f in FUNCTIONS}
    for alarm_id, alarm in _alarms().items():
        for namespace, _, dimensions in _metrics(alarm):
            if namespace == "atrest":
                assert list(dimensions) == ["Service"] and dimensions["Service"] in services, alarm_id


def test_every_alarm_notifies_the_optional_topic_and_is_quiet_without_data():
    for alarm_id, alarm in _alarms().items():
        props = alarm["Properties"]
        assert props["TreatMissingData"] == "notBreaching", alarm_id
        actions = {"Fn::If": ["HasAlarmTopic", [{"Ref": "AlarmTopicArn"}], {"Ref": "AWS::NoValue"}]}
        assert props["AlarmActions"] == actions, alarm_id
        # OK is news only where the alarm watches a state (messages waiting), not an event count.
        is_state = any(metric == "ApproximateNumberOfMessagesVisible" for _, metric, _ in _metrics(alarm))
        assert props.get("OKActions") == (actions if is_state else None), alarm_id
        assert props["AlarmName"]["Fn::Sub"].startswith("${AWS::StackName}-"), alarm_id


# ---------------------------------------------------------------- dashboard


def _dashboard():
    template = source()
    (dashboard_id, dashboard), = resources(template, "AWS::CloudWatch::Dashboard").items()
    body = dashboard["Properties"]["DashboardBody"]["Fn::Sub"]
    names = set(re.findall(r"\$\{([^}]+)\}", body))
    resolved = re.sub(r"\$\{([^}]+)\}", lambda m: "<" + m.group(1) + ">", body)
    return dashboard_id, json.loads(resolved), names


def test_dashboard_is_valid_json_and_refers_only_to_the_stacks_resources():
    dashboard_id, _, names = _dashboard()
    template = source()
    for name in names:
        logical_id = name.split(".", 1)[0]
        assert logical_id.startswith("AWS::") or logical_id in template["Resources"] or logical_id in {
            r for r in translated()["Resources"]}, name
    assert ref(template["Outputs"]["OperationsDashboardName"]["Value"]) == dashboard_id
    assert "${" + dashboard_id + "}" in template["Outputs"]["OperationsDashboardUrl"]["Value"]["Fn::Sub"]


def test_dashboard_shows_every_alarm_function_and_queue():
    _, body, names = _dashboard()
    alarm_widget = [w for w in body["widgets"] if w["type"] == "alarm"]
    assert len(alarm_widget) == 1
    shown = {a.strip("<>").removesuffix(".Arn") for a in alarm_widget[0]["properties"]["alarms"]}
    assert shown == set(_alarms())
    for function_id in FUNCTIONS:
        assert function_id in names
    for queue_id in _queues():
        assert queue_id + ".QueueName" in names


def test_dashboard_charts_the_outcome_metrics_the_functions_publish():
    _, body, _ = _dashboard()
    charted = {(m[0], m[1]) for w in body["widgets"] if w["type"] == "metric"
               for m in w["properties"]["metrics"] if isinstance(m[0], str)}
    for metric in ("ObjectsReencrypted", "ObjectsWouldReencrypt", "ObjectsCompliant", "ObjectsSkipped",
                   "ObjectsFailed", "ObjectsCritical", "KeysRemediated", "KeysNotApplicable", "KeysFailed",
                   "SweepIncomplete"):
        assert ("atrest", metric) in charted, metric
    searches = [m[0]["expression"] for w in body["widgets"] if w["type"] == "metric"
                for m in w["properties"]["metrics"] if isinstance(m[0], dict)]
    for metric in ("NonCompliantResources", "AuditFailures"):
        assert any("{atrest,Check,Region}" in s and f'MetricName="{metric}"' in s for s in searches), metric


# ---------------------------------------------------------------- tracing


def test_no_xray_tracing_and_no_xray_permissions():
    """Tracing costs more cold start than the budget leaves (README, "Operating atrest"): off, and with it the
    X-Ray permissions SAM would add to every function's role."""
    template = source()
    assert "Tracing" not in template["Globals"]["Function"]
    for function_id, function in functions().items():
        assert "Tracing" not in function["Properties"], function_id
    cfn = translated()
    for function_id in FUNCTIONS:
        assert "TracingConfig" not in cfn["Resources"][function_id]["Properties"], function_id
    for role_id, role in resources(cfn, "AWS::IAM::Role").items():
        assert not any("XRay" in str(arn) or "Xray" in str(arn) for arn in role["Properties"].get("ManagedPolicyArns", [])), role_id
        assert "xray:" not in json.dumps(role), role_id
