"""template.yaml as the tests read it: the file itself (with its CloudFormation tags in long form) and the plain
CloudFormation the SAM translator makes of it, where the resources SAM generates (rules, schedules, roles, event
invoke configs) can be checked."""
import copy
import functools
import os
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TEMPLATE = os.path.join(ROOT, "template.yaml")
sys.path.insert(0, os.path.join(ROOT, "tools"))
from invoke import _CfnLoader  # noqa: E402


@functools.lru_cache(maxsize=None)
def _source():
    with open(TEMPLATE) as f:
        return yaml.load(f, Loader=_CfnLoader)


def source():
    return copy.deepcopy(_source())


@functools.lru_cache(maxsize=None)
def _translated():
    import function_role  # the SAM translator run offline as `sam validate` runs it, cached per template content
    return function_role.translate(TEMPLATE)


def translated():
    return copy.deepcopy(_translated())


def resources(template, type_):
    return {k: v for k, v in template["Resources"].items() if v.get("Type") == type_}


def functions():
    return resources(source(), "AWS::Serverless::Function")


def service_name(function_id):
    """POWERTOOLS_SERVICE_NAME of a function: the Service dimension of its EMF metrics."""
    return functions()[function_id]["Properties"]["Environment"]["Variables"]["POWERTOOLS_SERVICE_NAME"]


def getatt(value):
    """(logical id, attribute) of an Fn::GetAtt in either of its forms, else None."""
    if isinstance(value, dict) and "Fn::GetAtt" in value:
        att = value["Fn::GetAtt"]
        return tuple(att.split(".", 1)) if isinstance(att, str) else tuple(att)
    return None


def ref(value):
    return value.get("Ref") if isinstance(value, dict) else None


def statements(policy_document):
    found = policy_document.get("Statement", [])
    return found if isinstance(found, list) else [found]


def as_list(value):
    return value if isinstance(value, list) else [value]
