"""The backfill's triggers in template.yaml: the EventBridge rule takes the job status changes the function acts on
(and the sample event), the schedule sends what the function parses, and is off unless BackfillSchedule is set."""
import copy
import json
import os
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))
from invoke import _CfnLoader  # noqa: E402


def _function():
    with open(os.path.join(ROOT, "template.yaml")) as f:
        return yaml.load(f, Loader=_CfnLoader)["Resources"]["S3BackfillFunction"]["Properties"]


def _matches(pattern, event):
    """EventBridge's matching for the pattern forms the template uses: nested objects and lists of exact values."""
    for key, wanted in pattern.items():
        if key not in event:
            return False
        if isinstance(wanted, dict):
            if not isinstance(event[key], dict) or not _matches(wanted, event[key]):
                return False
        elif event[key] not in wanted:
            return False
    return True


def _sample():
    with open(os.path.join(ROOT, "events", "backfill-job-status-changed.json")) as f:
        return json.load(f)


def test_the_rule_takes_the_statuses_the_function_acts_on_and_nothing_else():
    pattern = _function()["Events"]["JobStatusChanged"]["Properties"]["Pattern"]
    sample = _sample()
    assert _matches(pattern, sample)
    for status, taken in (("Suspended", True), ("Active", True), ("Complete", True), ("Failed", True),
                          ("Cancelled", True), ("New", False), ("Preparing", False), ("Completing", False)):
        event = copy.deepcopy(sample)
        event["detail"]["serviceEventDetails"]["status"] = status
        assert _matches(pattern, event) == taken, status
    created = copy.deepcopy(sample)
    created["detail"]["eventName"] = "JobCreated"
    assert not _matches(pattern, created)


def test_the_schedule_is_off_by_default_and_sends_the_scheduled_time():
    schedule = _function()["Events"]["Schedule"]["Properties"]
    assert schedule["State"] == {"Fn::If": ["HasBackfillSchedule", "ENABLED", "DISABLED"]}
    payload = json.loads(schedule["Input"])
    assert payload["detail"] == {"task": "s3-backfill", "scheduledTime": "<aws.scheduler.scheduled-time>"}
    with open(os.path.join(ROOT, "template.yaml")) as f:
        template = yaml.load(f, Loader=_CfnLoader)
    assert template["Parameters"]["BackfillSchedule"]["Default"] == ""
    with open(os.path.join(ROOT, "events", "backfill-schedule.json")) as f:
        sample = json.load(f)
    assert sample["detail"]["task"] == payload["detail"]["task"]
    assert sample["source"] == payload["source"] and sample["detail-type"] == payload["detail-type"]
