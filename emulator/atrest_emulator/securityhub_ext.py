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

Several accounts (the API Reference, BatchImportFindings; the User Guide on administrator accounts and cross-Region
aggregation):
- A finding is imported by the account it belongs to ("the identifier of the account that you are calling
  BatchImportFindings from needs to be the same as the AwsAccountId attribute for the finding"; allow-listed partner
  accounts are not modelled): one whose AwsAccountId is not the caller's account is returned in FailedFindings
  (AccessDeniedException) and stored nowhere. Findings are kept per account and Region.
- CreateFindingAggregator (POST /findingAggregator/create, from the home Region, Security Hub enabled there),
  GetFindingAggregator, ListFindingAggregators, DeleteFindingAggregator (missing in moto): RegionLinkingMode
  ALL_REGIONS, ALL_REGIONS_EXCEPT_SPECIFIED, SPECIFIED_REGIONS (with Regions) or NO_REGIONS; one aggregator per
  account. GetFindings in the home Region then also returns the findings of the linked Regions.
- The organisation's Security Hub administrator (EnableOrganizationAdminAccount, moto's) sees its members'
  findings: GetFindings there also returns those of the organisation's other accounts. Emulator simplification:
  every account of the organisation with Security Hub enabled counts as a member (AWS: members are the accounts the
  administrator added or auto-enabled).
"""
import base64
import json
import threading
import uuid

from moto.organizations.models import organizations_backends
from moto.securityhub.models import SecurityHubBackend, securityhub_backends
from werkzeug.wrappers import Response

from . import accounts

REQUIRED = ("AwsAccountId", "CreatedAt", "Description", "GeneratorId", "Id", "ProductArn", "Resources",
            "SchemaVersion", "Severity", "Title", "Types", "UpdatedAt")
MAX_IMPORT = 100
_CUSTOMER_FIELDS = ("Workflow", "Note", "UserDefinedFields", "VerificationState")

_lock = threading.Lock()
_stores = {}  # (account, region) -> {finding id: finding}, in import order
_aggregators = {}  # account -> {"FindingAggregatorArn", "FindingAggregationRegion", "RegionLinkingMode", "Regions"}
LINKING_MODES = ("ALL_REGIONS", "ALL_REGIONS_EXCEPT_SPECIFIED", "SPECIFIED_REGIONS", "NO_REGIONS")


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
        _aggregators.clear()


def _error(status, code, message):
    return Response(json.dumps({"Code": code, "Message": message}), status=status,
                    headers={"x-amzn-ErrorType": code, "x-amzn-RequestId": str(uuid.uuid4())},
                    mimetype="application/json")


def _not_enabled(region):
    backend = securityhub_backends[accounts.current()][region]
    if backend.enabled:
        return None
    return _error(401, "InvalidAccessException",
                  f"Account {accounts.current()} is not subscribed to AWS Security Hub in {region}")


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
    caller = accounts.current()
    with _lock:
        store = _stores.setdefault((caller, region), {})
        for finding in findings:
            missing = _missing(finding)
            if missing:
                failed.append({"Id": finding.get("Id", ""), "ErrorCode": "InvalidInput",
                               "ErrorMessage": "Finding is missing required attributes: " + ", ".join(missing)})
                continue
            if finding["AwsAccountId"] != caller:
                failed.append({"Id": finding["Id"], "ErrorCode": "AccessDeniedException",
                               "ErrorMessage": f"Account {caller} can import only its own findings (AwsAccountId "
                                               f"{caller})"})
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
        stored = [f for scope in _visible(accounts.current(), region) for f in _stores.get(scope, {}).values()]
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


def _enabled(account, region):
    return securityhub_backends[account][region].enabled


def _visible(account, region):
    """(account, Region) stores GetFindings reads: its own, the administered members', and from the linked Regions
    when `region` is the account's aggregation Region."""
    owners = [account] + _members(account)
    regions = [region] + _linked_regions(account, region, owners)
    return [(a, r) for a in owners for r in regions]


def _members(account):
    organization = organizations_backends[account]["aws"]
    try:
        org_id = organization.describe_organization()["Organization"]["Id"]
    except Exception:  # not in an organisation
        return []
    config = SecurityHubBackend._org_configs.get(org_id) or {}
    if config.get("admin_account_id") != account:
        return []
    master = organization.describe_organization()["Organization"]["MasterAccountId"]
    return [a.id for a in organizations_backends[master]["aws"].accounts if a.id != account]


def _linked_regions(account, region, owners):
    aggregator = _aggregators.get(account)
    if aggregator is None or aggregator["FindingAggregationRegion"] != region:
        return []
    mode, listed = aggregator["RegionLinkingMode"], aggregator.get("Regions") or []
    if mode == "NO_REGIONS":
        return []
    if mode == "SPECIFIED_REGIONS":
        return [r for r in listed if r != region]
    # ALL_REGIONS[_EXCEPT_SPECIFIED]: every Region where Security Hub is enabled (for the account or its members).
    enabled = {r for owner in owners for r, backend in list(securityhub_backends[owner].items()) if backend.enabled}
    excluded = set(listed) if mode == "ALL_REGIONS_EXCEPT_SPECIFIED" else set()
    return sorted(enabled - excluded - {region})


class _Invalid(Exception):
    def __init__(self, code, message, status=400):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


def create_aggregator(account, region, mode, regions):
    """The aggregator as CreateFindingAggregator answers it; raises _Invalid as the API refuses."""
    if mode not in LINKING_MODES:
        raise _Invalid("InvalidInputException", f"RegionLinkingMode must be one of {', '.join(LINKING_MODES)}")
    if mode in ("ALL_REGIONS_EXCEPT_SPECIFIED", "SPECIFIED_REGIONS") and not regions:
        raise _Invalid("InvalidInputException", f"RegionLinkingMode {mode} needs Regions")
    if mode in ("ALL_REGIONS", "NO_REGIONS") and regions:
        raise _Invalid("InvalidInputException", f"RegionLinkingMode {mode} takes no Regions")
    if not _enabled(account, region):
        raise _Invalid("InvalidAccessException",
                       f"Account {account} is not subscribed to AWS Security Hub in {region}", 401)
    with _lock:
        if account in _aggregators:
            raise _Invalid("LimitExceededException", "The account already has a finding aggregator", 429)
        aggregator = {"FindingAggregatorArn": f"arn:aws:securityhub:{region}:{account}:finding-aggregator/"
                                              f"{uuid.uuid4()}",
                      "FindingAggregationRegion": region, "RegionLinkingMode": mode, "Regions": list(regions or [])}
        _aggregators[account] = aggregator
    return dict(aggregator)


def delete_aggregator(account, arn):
    with _lock:
        if (_aggregators.get(account) or {}).get("FindingAggregatorArn") != arn:
            raise _Invalid("ResourceNotFoundException", f"Finding aggregator {arn} not found", 404)
        del _aggregators[account]


def _aggregator_api(fn):
    def handler(call, request, body, region):
        try:
            return Response(json.dumps(fn(request, json.loads(body or b"{}"), region)), mimetype="application/json")
        except _Invalid as e:
            return _error(e.status, e.code, e.message)
    return handler


@_aggregator_api
def create_finding_aggregator(request, params, region):
    return create_aggregator(accounts.current(), region, params.get("RegionLinkingMode"), params.get("Regions"))


def _named(request, prefix):
    from urllib.parse import unquote
    arn = unquote(request.path[len(prefix):])
    found = _aggregators.get(accounts.current())
    if found is None or found["FindingAggregatorArn"] != arn:
        raise _Invalid("ResourceNotFoundException", f"Finding aggregator {arn} not found", 404)
    return found


@_aggregator_api
def get_finding_aggregator(request, params, region):
    return dict(_named(request, "/findingAggregator/get/"))


@_aggregator_api
def list_finding_aggregators(request, params, region):
    found = _aggregators.get(accounts.current())
    return {"FindingAggregators": [{"FindingAggregatorArn": found["FindingAggregatorArn"]}] if found else []}


@_aggregator_api
def delete_finding_aggregator(request, params, region):
    delete_aggregator(accounts.current(), _named(request, "/findingAggregator/delete/")["FindingAggregatorArn"])
    return {}


def before(call, request, body, region):
    """The aggregator operations carry the ARN in the path, so they are matched here, not in HANDLERS."""
    if call.service != "securityhub":
        return None
    if request.method == "GET" and request.path.startswith("/findingAggregator/get/"):
        return get_finding_aggregator(call, request, body, region)
    if request.method == "DELETE" and request.path.startswith("/findingAggregator/delete/"):
        return delete_finding_aggregator(call, request, body, region)
    return None


HANDLERS = {
    ("securityhub", "POST /findings/import"): batch_import,
    ("securityhub", "POST /findings"): get_findings,
    ("securityhub", "POST /findingAggregator/create"): create_finding_aggregator,
    ("securityhub", "GET /findingAggregator/list"): list_finding_aggregators,
}
