"""The emulator's fixtures (atrest_emulator/fixtures.py: endpoint, client, credentials, request_log), with IAM
enforced: every function the end-to-end tests run gets the credentials of its own role, made in the emulator from
the built template's policy for it (tools/invoke.py --as-function-role, tools/function_role.py), so a permission
the template does not grant fails the test."""
import inspect
import json
import os
import sys
import urllib.request

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "emulator"))

from atrest_emulator.fixtures import *  # noqa: E402,F401,F403


@pytest.fixture(scope="session")
def iam_enforced():
    return True


@pytest.fixture(autouse=True)
def as_function_roles(request, monkeypatch):
    """For the tests that take the emulator's endpoint (the ones that invoke functions): the administrator created
    after the reset is the identity tools/invoke.py starts from (it creates and assumes the function's role with
    it), and every invocation runs as that role."""
    if "endpoint" not in inspect.signature(request.function).parameters:
        return
    credentials = request.getfixturevalue("credentials")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", credentials["aws_access_key_id"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", credentials["aws_secret_access_key"])
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    monkeypatch.setenv("ATREST_AS_FUNCTION_ROLE", "1")


@pytest.fixture(autouse=True)
def iam_coverage(request, endpoint):
    """With ATREST_IAM_COVERAGE=<file>: appends, after each test, the authorised calls the functions' roles made
    (test, principal, operation, IAM actions, denied) as JSON lines, to see which granted action which test uses."""
    yield
    target = os.environ.get("ATREST_IAM_COVERAGE")
    if not target:
        return
    with urllib.request.urlopen(endpoint + "/_atrest/requests") as r:
        entries = json.load(r)
    with open(target, "a") as out:
        for entry in entries:
            decision = entry.get("authorization") or {}
            if ":assumed-role/" in decision.get("principal", ""):
                out.write(json.dumps({"test": request.node.nodeid, "principal": decision["principal"],
                                      "operation": entry["operation"], "actions": decision["actions"],
                                      "denied": entry["denied"]}) + "\n")
