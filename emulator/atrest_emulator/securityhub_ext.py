"""Security Hub findings as AWS documents them for a finding provider (moto ignores GetFindings filters, keeps
findings in a list it scans on every import, and validates almost nothing):

- BatchImportFindings (POST /findings/import): at most 100 findings per request (InvalidInputException beyond);
  each finding must carry the required ASFF attributes, or it is returned in FailedFindings; importing an Id again
  replaces the provider's fields and keeps CreatedAt and the customer's Workflow/Note, as AWS does.
- GetFindings (POST /findings): filters on the string fields below with EQUALS, NOT_EQUALS, PREFIX,
  PREFIX_NOT_EQUALS, CONTAINS, NOT_CONTAINS (values of one field are ORed for the positive comparisons and ANDed
  for the negative ones; fields are ANDed); MaxResults 1-100 (default 100) with NextToken. An unsupported filter
  field is rejected instead of ignored, so a client never silently receives unfiltered findings.
- Both require Security Hub to be enabled in the region (InvalidAccessException otherwise).
"""
import base64
import json
import threading
import uuid

from moto.core import DEFAULT_ACCOUNT_ID
from moto.securityhub.models import securityhub_backends
from werkzeug.wrappers import Response

REQUIRED = ("AwsAccountId", "CreatedAt", "Description", "GeneratorId", "Id", "ProductArn", "Resources",
            "SchemaVersion", "Severity", "Title", "Types", "UpdatedAt")
MAX_IMPORT = 100
_CUSTOMER_FIELDS = ("Workflow", "Note", "UserDefinedFields", "VerificationState")

_lock = threading.Lock()
_stores = {}  # (account, region) -> {finding id: finding}, in import order


def _first_resource(f, key):
    resources = f.get("Resources") or [{}]
    return resources[0].get(key)


FIELDS = {
    "Id": lambda f: f.get("Id"),
    "ProductArn": lambda f: f.get("ProductArn"),
    "GeneratorId": lambda f: f.get("GeneratorId"),
    "AwsAccountId": lambda f: f.get("AwsAccountId"),
    "Region": lambda f: f.get("Region"),
    "RecordState": lambda f: f.get("RecordState"),
    "ComplianceStatus": lambda f: (f.get("Compliance") or {}).get("Status"),
    "SeverityLabel": lambda f: (f.get("Severity") or {}).get("Label"),
    "WorkflowStatus": lambda f: (f.get("Workflow") or {}).get("Status"),
    "ResourceId": lambda f: _first_resource(f, "Id"),
    "ResourceType": lambda f: _first_resource(f, "Type"),
    "Title": lambda f: f.get("Title"),
}


def reset():
    with _lock:
        _stores.clear()


def _error(status, code, message):
    return Response(json.dumps({"Code": code, "Message": message}), status=status,
                    headers={"x-amzn-ErrorType": code, "x-amzn-RequestId": str(uuid.uuid4())},
                    mimetype="application/json")


def _not_enabled(region):
    backend = securityhub_backends[DEFAULT_ACCOUNT_ID][region]
    if backend.enabled:
        return None
    return _error(401, "InvalidAccessException",
                  f"Account {DEFAULT_ACCOUNT_ID} is not subscribed to AWS Security Hub in {region}")


def _missing(finding):
    return [name for name in REQUIRED if finding.get(name) in (None, "", [], {})]


def batch_import(call, request, body, region):
    denied = _not_enabled(region)
    if denied:
        return denied
    findings = json.loads(body or b"{}").get("Findings") or []
    if not findings or len(findings) > MAX_IMPORT:
        return _error(400, "InvalidInputException",
                      f"Findings must contain between 1 and {MAX_IMPORT} findings, got {len(findings)}")
    failed = []
    with _lock:
        store = _stores.setdefault((DEFAULT_ACCOUNT_ID, region), {})
        for finding in findings:
            missing = _missing(finding)
            if missing:
                failed.append({"Id": finding.get("Id", ""), "ErrorCode": "InvalidInput",
                               "ErrorMessage": "Finding is missing required attributes: " + ", ".join(missing)})
                continue
            stored = dict(finding)
            stored.setdefault("Region", region)
            stored.setdefault("RecordState", "ACTIVE")
            previous = store.get(finding["Id"])
            if previous is not None:
                stored["CreatedAt"] = previous["CreatedAt"]
                for field in _CUSTOMER_FIELDS:
                    if field in previous:
                        stored[field] = previous[field]
            stored.setdefault("Workflow", {"Status": "NEW"})
            store[finding["Id"]] = stored
    return Response(json.dumps({"FailedCount": len(failed), "SuccessCount": len(findings) - len(failed),
                                "FailedFindings": failed}), mimetype="application/json")


def _matches_field(value, filters):
    positive = [f for f in filters if f.get("Comparison", "EQUALS") in ("EQUALS", "PREFIX", "CONTAINS")]
    negative = [f for f in filters if f not in positive]
    tests = {
        "EQUALS": lambda v, x: v == x,
        "PREFIX": lambda v, x: v is not None and v.startswith(x),
        "CONTAINS": lambda v, x: v is not None and x in v,
        "NOT_EQUALS": lambda v, x: v != x,
        "PREFIX_NOT_EQUALS": lambda v, x: v is None or not v.startswith(x),
        "NOT_CONTAINS": lambda v, x: v is None or x not in v,
    }
    if positive and not any(tests[f.get("Comparison", "EQUALS")](value, f.get("Value")) for f in positive):
        return False
    return all(tests[f["Comparison"]](value, f.get("Value")) for f in negative)


def get_findings(call, request, body, region):
    denied = _not_enabled(region)
    if denied:
        return denied
    params = json.loads(body or b"{}")
    filters = params.get("Filters") or {}
    for name, values in filters.items():
        if name not in FIELDS:
            return _error(400, "InvalidInputException", f"Filter {name} is not supported by the emulator")
        for f in values:
            if f.get("Comparison", "EQUALS") not in ("EQUALS", "PREFIX", "CONTAINS", "NOT_EQUALS",
                                                      "PREFIX_NOT_EQUALS", "NOT_CONTAINS"):
                return _error(400, "InvalidInputException", f"Unsupported comparison {f.get('Comparison')}")
    max_results = int(params.get("MaxResults") or 100)
    if not 1 <= max_results <= 100:
        return _error(400, "InvalidInputException", "MaxResults must be a number between 1 and 100")
    start = 0
    if params.get("NextToken"):
        try:
            start = int(base64.urlsafe_b64decode(params["NextToken"].encode()).decode())
        except ValueError:
            return _error(400, "InvalidInputException", "Invalid NextToken")
    # The token is a position in import order, so each page filters only from where the previous one stopped.
    with _lock:
        stored = list(_stores.get((DEFAULT_ACCOUNT_ID, region), {}).values())
    page, position, more = [], start, False
    for position in range(start, len(stored)):
        f = stored[position]
        if all(_matches_field(FIELDS[name](f), values) for name, values in filters.items()):
            if len(page) == max_results:
                more = True
                break
            page.append(f)
    result = {"Findings": page}
    if more:
        result["NextToken"] = base64.urlsafe_b64encode(str(position).encode()).decode()
    return Response(json.dumps(result), mimetype="application/json")


HANDLERS = {
    ("securityhub", "POST /findings/import"): batch_import,
    ("securityhub", "POST /findings"): get_findings,
}
