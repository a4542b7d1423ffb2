"""CloudFormation resource types moto 5.2 does not create (it skips them with a warning, and a template that reads
one of their attributes fails), which atrest's member and organisation templates use. Each is created, read and
deleted through moto's own backend for its service, so what a stack made can be read back through that service's
API, in the stack's account and Region. Return values (Ref, Fn::GetAtt) as the CloudFormation Template Reference
gives them:

- AWS::CloudWatch::Alarm: PutMetricAlarm (single metric or metric math). Ref: the alarm name; Arn.
- AWS::SQS::QueuePolicy: the queues' Policy attribute (removed on delete). Ref: an id.
- AWS::Scheduler::ScheduleGroup: Ref: the name; Arn. AWS::Scheduler::Schedule: Ref: the name; Arn.
- AWS::Lambda::Alias: Ref: the alias ARN. AWS::Lambda::EventInvokeConfig: Ref: an id.
- AWS::Lambda::Version (moto creates it but answers no attribute): Ref: the version ARN; Version.
- AWS::KMS::Key (moto drops RotationPeriodInDays, KeySpec and KeyUsage, and keeps KeyPolicy as an object): the period
  as EnableKeyRotation would set it (GetKeyRotationStatus answers it), the key policy as its JSON text, and
  KeySpec/KeyUsage other than SYMMETRIC_DEFAULT/ENCRYPT_DECRYPT refused (moto would make a symmetric key anyway).
- AWS::S3::BucketPolicy: the bucket's policy. Ref: the bucket name.
- AWS::SecurityHub::FindingAggregator: securityhub_ext's aggregator. Ref: FindingAggregatorArn;
  FindingAggregatorArn, FindingAggregationRegion.
Names a template does not give are CloudFormation-style (<stack>-<logical id>-<suffix>), as moto names others.

Intrinsic functions: Ref AWS::NoValue in a list removes the item (moto leaves None there, and a role whose Policies
hold `!If [Condition, policy, !Ref AWS::NoValue]` fails to create). A CommaDelimitedList parameter left at its
default is a list too (moto splits only the values a caller passes, so `!Join [",", !Ref List]` of a default joined
its characters).

Lambda functions a template creates keep their environment variables as strings (moto keeps a Number parameter's
value as a number, which GetFunctionConfiguration then answers as one; the Lambda API's Variables are strings).

Lambda CreateFunction with code in S3 (moto: any Region): the bucket must be in the function's Region (the Lambda
API Reference, FunctionCode.S3Bucket: "An Amazon S3 bucket in the same AWS Region as your function. The bucket can be
in a different AWS account."). A bucket in another Region is refused with InvalidParameterValueException, as S3
answers Lambda's read with a redirect.
"""
import json
import uuid

from moto.awslambda import models as lambda_models
from moto.awslambda.exceptions import InvalidParameterValueException
from moto.awslambda.models import lambda_backends
from moto.cloudwatch.models import Dimension, Metric, MetricDataQuery, MetricStat, cloudwatch_backends
from moto.core.common_models import CloudFormationModel
from moto.s3.models import s3_backends
from moto.scheduler.models import scheduler_backends
from moto.sqs.models import sqs_backends

from . import kms_ext, securityhub_ext


class _Resource:
    """A resource made through a moto backend: Ref is `ref`, attributes come from `attributes`. Each type names
    CloudFormationModel among its own bases: moto finds the types it can create among that class's direct
    subclasses."""

    TYPE = ""
    NAME_PROPERTY = ""

    def __init__(self, ref, attributes, on_delete):
        self.ref = ref
        self.attributes = attributes
        self._on_delete = on_delete

    @classmethod
    def cloudformation_type(cls):
        return cls.TYPE

    @classmethod
    def cloudformation_name_type(cls):
        return cls.NAME_PROPERTY

    @classmethod
    def has_cfn_attr(cls, attr):
        return True

    @property
    def physical_resource_id(self):
        return self.ref

    def get_cfn_attribute(self, attribute_name):
        from moto.cloudformation.exceptions import UnformattedGetAttTemplateException
        if attribute_name not in self.attributes:
            raise UnformattedGetAttTemplateException()
        return self.attributes[attribute_name]

    def is_created(self):
        return True

    def delete(self, account_id, region_name):
        try:
            self._on_delete()
        except Exception as e:
            # Gone already (with the function, group or queue it belonged to): deleted, as CloudFormation sees it.
            if "not found" not in str(e).lower() and "notfound" not in type(e).__name__.lower() \
                    and "does not exist" not in str(e).lower():
                raise

    @classmethod
    def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json, account_id,
                                        region_name):
        original_resource.delete(account_id, region_name)
        return cls.create_from_cloudformation_json(new_resource_name, cloudformation_json, account_id, region_name)

    @classmethod
    def delete_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name):
        pass  # reached only for a resource that was never created


def _props(cloudformation_json):
    return cloudformation_json.get("Properties") or {}


# ---------------------------------------------------------------- CloudWatch

def _dimensions(items):
    return [{"Name": d["Name"], "Value": d["Value"]} for d in items or []]


def _metric_queries(items):
    queries = []
    for q in items or []:
        stat = None
        if q.get("MetricStat"):
            ms = q["MetricStat"]
            metric = ms["Metric"]
            stat = MetricStat(Metric(metric["MetricName"], metric["Namespace"],
                                     [Dimension(d["Name"], d["Value"]) for d in metric.get("Dimensions") or []]),
                              ms["Period"], ms["Stat"], ms.get("Unit"))
        queries.append(MetricDataQuery(q["Id"], q.get("Label"), q.get("Period"), q.get("ReturnData", True),
                                       q.get("Expression"), stat))
    return queries


class Alarm(_Resource, CloudFormationModel):
    TYPE = "AWS::CloudWatch::Alarm"
    NAME_PROPERTY = "AlarmName"

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        p = _props(cloudformation_json)
        backend = cloudwatch_backends[account_id][region_name]
        name = p.get("AlarmName") or resource_name
        alarm = backend.put_metric_alarm(
            name=name, namespace=p.get("Namespace"), metric_name=p.get("MetricName"),
            comparison_operator=p["ComparisonOperator"], evaluation_periods=int(p["EvaluationPeriods"]),
            period=p.get("Period"), threshold=float(p["Threshold"]) if "Threshold" in p else None,
            statistic=p.get("Statistic"), description=p.get("AlarmDescription"),
            dimensions=_dimensions(p.get("Dimensions")), alarm_actions=p.get("AlarmActions") or [],
            metric_data_queries=_metric_queries(p.get("Metrics")) or None,
            datapoints_to_alarm=p.get("DatapointsToAlarm"), extended_statistic=p.get("ExtendedStatistic"),
            ok_actions=p.get("OKActions") or [], insufficient_data_actions=p.get("InsufficientDataActions") or [],
            unit=p.get("Unit"), actions_enabled=p.get("ActionsEnabled", True),
            treat_missing_data=p.get("TreatMissingData"),
            evaluate_low_sample_count_percentile=p.get("EvaluateLowSampleCountPercentile"),
            threshold_metric_id=p.get("ThresholdMetricId"))
        return cls(name, {"Arn": alarm.alarm_arn}, lambda: backend.delete_alarms([name]))


# ---------------------------------------------------------------- SQS

class QueuePolicy(_Resource, CloudFormationModel):
    TYPE = "AWS::SQS::QueuePolicy"

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        p = _props(cloudformation_json)
        backend = sqs_backends[account_id][region_name]
        names = [url.rstrip("/").rsplit("/", 1)[-1] for url in p["Queues"]]
        document = p["PolicyDocument"]
        text = document if isinstance(document, str) else json.dumps(document)
        for name in names:
            backend.set_queue_attributes(name, {"Policy": text})

        def remove():
            for name in names:
                if name in backend.queues:
                    backend.get_queue(name).policy = None
        return cls(f"{resource_name}-{uuid.uuid4().hex[:12]}", {}, remove)


# ---------------------------------------------------------------- EventBridge Scheduler

class ScheduleGroup(_Resource, CloudFormationModel):
    TYPE = "AWS::Scheduler::ScheduleGroup"
    NAME_PROPERTY = "Name"

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        p = _props(cloudformation_json)
        backend = scheduler_backends[account_id][region_name]
        name = p.get("Name") or resource_name
        group = backend.create_schedule_group(name, p.get("Tags") or [])
        return cls(name, {"Arn": group.arn, "CreationDate": None, "LastModificationDate": None, "State": "ACTIVE"},
                   lambda: backend.delete_schedule_group(name))


class Schedule(_Resource, CloudFormationModel):
    TYPE = "AWS::Scheduler::Schedule"
    NAME_PROPERTY = "Name"

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        p = _props(cloudformation_json)
        backend = scheduler_backends[account_id][region_name]
        name = p.get("Name") or resource_name
        group = p.get("GroupName") or "default"
        schedule = backend.create_schedule(
            description=p.get("Description"), end_date=p.get("EndDate"),
            flexible_time_window=p["FlexibleTimeWindow"], group_name=group, kms_key_arn=p.get("KmsKeyArn"),
            name=name, schedule_expression=p["ScheduleExpression"],
            schedule_expression_timezone=p.get("ScheduleExpressionTimezone"), start_date=p.get("StartDate"),
            state=p.get("State") or "ENABLED", target=p["Target"], action_after_completion=None)
        return cls(name, {"Arn": schedule.arn}, lambda: backend.delete_schedule(group, name))


# ---------------------------------------------------------------- Lambda

class Alias(_Resource, CloudFormationModel):
    TYPE = "AWS::Lambda::Alias"

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        p = _props(cloudformation_json)
        backend = lambda_backends[account_id][region_name]
        function = p["FunctionName"]
        alias = backend.create_alias(p["Name"], function, str(p["FunctionVersion"]), p.get("Description", ""),
                                     p.get("RoutingConfig"))
        return cls(alias.arn, {"AliasArn": alias.arn}, lambda: backend.delete_alias(p["Name"], function))


class EventInvokeConfig(_Resource, CloudFormationModel):
    TYPE = "AWS::Lambda::EventInvokeConfig"

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        p = _props(cloudformation_json)
        backend = lambda_backends[account_id][region_name]
        config = {k: p[k] for k in ("MaximumRetryAttempts", "MaximumEventAgeInSeconds", "DestinationConfig")
                  if k in p}
        function = p["FunctionName"]
        backend.put_function_event_invoke_config(function, config)

        def remove():
            try:
                backend.delete_function_event_invoke_config(function)
            except Exception:  # the function went first (moto keeps the configuration on the function)
                pass
        return cls(f"{function}-{p.get('Qualifier', '$LATEST')}-{uuid.uuid4().hex[:8]}", {}, remove)


def _patch_lambda_version():
    """moto's LambdaVersion keeps only its number: Ref (the version ARN) and Fn::GetAtt Version fail."""
    original = lambda_models.LambdaVersion.create_from_cloudformation_json.__func__

    def create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        version = original(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
        function = lambda_backends[account_id][region_name].get_function(
            cloudformation_json["Properties"]["FunctionName"])
        # Kept, not looked up: the function may be deleted before the version when the stack goes.
        unqualified = function.function_arn.rsplit(":", 1)[0] if function.function_arn.count(":") > 6 \
            else function.function_arn
        version._atrest_arn = f"{unqualified}:{version.version}"
        return version

    def get_cfn_attribute(self, attribute_name):
        if attribute_name == "Version":
            return str(self.version)
        if attribute_name == "FunctionArn":
            return self._atrest_arn.rsplit(":", 1)[0]
        from moto.cloudformation.exceptions import UnformattedGetAttTemplateException
        raise UnformattedGetAttTemplateException()

    lambda_models.LambdaVersion.create_from_cloudformation_json = classmethod(create)
    lambda_models.LambdaVersion.get_cfn_attribute = get_cfn_attribute
    lambda_models.LambdaVersion.physical_resource_id = property(lambda self: self._atrest_arn)
    lambda_models.LambdaVersion.has_cfn_attr = classmethod(lambda cls, attr: attr in ("Version", "FunctionArn"))


def _patch_code_region():
    function_init = lambda_models.LambdaFunction.__init__

    def init(self, account_id, spec, region, version=1):
        variables = (spec.get("Environment") or {}).get("Variables")
        if variables:
            spec["Environment"]["Variables"] = {k: (str(v).lower() if isinstance(v, bool) else str(v))
                                                for k, v in variables.items()}
        bucket = (spec.get("Code") or {}).get("S3Bucket")
        if bucket and bucket in s3_backends.bucket_accounts:
            partition, owner = s3_backends.bucket_accounts[bucket]
            where = s3_backends[owner][partition].buckets[bucket].region_name
            if where != region:
                raise InvalidParameterValueException(
                    f"Error occurred while GetObject. S3 Error Code: PermanentRedirect. S3 Error Message: The bucket "
                    f"is in this region: {where}. Please use this region to retry the request")
        function_init(self, account_id, spec, region, version)

    lambda_models.LambdaFunction.__init__ = init


# ---------------------------------------------------------------- S3

class BucketPolicy(_Resource, CloudFormationModel):
    TYPE = "AWS::S3::BucketPolicy"

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        p = _props(cloudformation_json)
        backend = s3_backends[account_id]["aws"]
        document = p["PolicyDocument"]
        text = document if isinstance(document, str) else json.dumps(document)
        backend.put_bucket_policy(p["Bucket"], text.encode())

        def remove():
            if p["Bucket"] in backend.buckets:
                backend.delete_bucket_policy(p["Bucket"])
        return cls(p["Bucket"], {}, remove)


# ---------------------------------------------------------------- Security Hub

class FindingAggregator(_Resource, CloudFormationModel):
    TYPE = "AWS::SecurityHub::FindingAggregator"

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        p = _props(cloudformation_json)
        made = securityhub_ext.create_aggregator(account_id, region_name, p["RegionLinkingMode"], p.get("Regions"))
        return cls(made["FindingAggregatorArn"],
                   {"FindingAggregatorArn": made["FindingAggregatorArn"],
                    "FindingAggregationRegion": made["FindingAggregationRegion"]},
                   lambda: securityhub_ext.delete_aggregator(account_id, made["FindingAggregatorArn"]))


def _patch_kms_key():
    from moto.kms.models import Key

    original = Key.create_from_cloudformation_json.__func__

    def create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        p = _props(cloudformation_json)
        if p.get("KeySpec", "SYMMETRIC_DEFAULT") != "SYMMETRIC_DEFAULT" or \
                p.get("KeyUsage", "ENCRYPT_DECRYPT") != "ENCRYPT_DECRYPT":
            raise ValueError("the emulator's CloudFormation creates symmetric ENCRYPT_DECRYPT keys only")
        key = original(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
        if not isinstance(key.policy, str):
            key.policy = json.dumps(key.policy)
        key.key_usage, key.key_spec = "ENCRYPT_DECRYPT", "SYMMETRIC_DEFAULT"
        if key.key_rotation_status:
            period = p.get("RotationPeriodInDays")
            key._atrest_rotation_period = int(period) if period is not None else kms_ext.DEFAULT_PERIOD
            key._atrest_rotation_anchor = key.creation_date
        return key

    Key.create_from_cloudformation_json = classmethod(create)


def _patch_no_value_in_lists():
    from moto.cloudformation import parsing

    clean_json = parsing.clean_json

    def clean(resource_json, resources_map):
        cleaned = clean_json(resource_json, resources_map)
        if isinstance(resource_json, list) and isinstance(cleaned, list):
            return [item for item in cleaned if item is not None]
        return cleaned

    parsing.clean_json = clean


def _patch_list_parameter_defaults():
    from moto.cloudformation.parsing import ResourceMap

    load_parameters = ResourceMap.load_parameters

    def load(self):
        load_parameters(self)
        for name, slot in (self._template.get("Parameters") or {}).items():
            kind = slot.get("Type", "String")
            value = self.resolved_parameters.get(name)
            if (kind == "CommaDelimitedList" or kind.startswith("List<")) and isinstance(value, str):
                self.resolved_parameters[name] = self._parsed_resources[name] = value.split(",")

    ResourceMap.load_parameters = load


_patch_lambda_version()
_patch_code_region()
_patch_list_parameter_defaults()
_patch_kms_key()
_patch_no_value_in_lists()
