"""Account Management ListRegions, which moto 5.2 does not implement (it answers 404).

Documented behaviour followed here (AWS Account Management API Reference, ListRegions):
- POST /listRegions with AccountId, MaxResults (1..50), NextToken and RegionOptStatusContains (any of ENABLED,
  ENABLING, DISABLING, DISABLED, ENABLED_BY_DEFAULT); the answer is Regions [{RegionName, RegionOptStatus}] and a
  NextToken while more remains. Invalid values are a ValidationException.
- The Regions are those of the caller's partition.

The Regions and their states are moto's EC2 ones (the answer of DescribeRegions), so both views of the account
agree: opt-in-not-required is ENABLED_BY_DEFAULT, not-opted-in is DISABLED. Admin API, for tests:
  POST /_atrest/account/regions {"region": "ap-east-1", "status": "ENABLED"}  sets one Region's state.
"""
import base64
import json
import uuid

from botocore.session import Session
from moto.ec2.models.availability_zones_and_regions import RegionsAndZonesBackend
from werkzeug.wrappers import Response

STATUSES = {"ENABLED", "ENABLING", "DISABLING", "DISABLED", "ENABLED_BY_DEFAULT"}
MIN_RESULTS, MAX_RESULTS, DEFAULT_RESULTS = 1, 50, 20
_EC2_STATUS = {"opt-in-not-required": "ENABLED_BY_DEFAULT", "opted-in": "ENABLED", "not-opted-in": "DISABLED"}
_overrides = {}


def reset():
    _overrides.clear()


def _response(status, payload, error_type=None):
    headers = {"x-amzn-RequestId": str(uuid.uuid4())}
    if error_type:
        headers["x-amzn-ErrorType"] = error_type
    return Response(json.dumps(payload), status=status, headers=headers, mimetype="application/json")


def _invalid(message):
    return _response(400, {"message": message}, "ValidationException")


def _regions(signing_region):
    partition = Session().get_partition_for_region(signing_region or "us-east-1")
    names = set(Session().get_available_regions("ec2", partition_name=partition))
    out = []
    for region in RegionsAndZonesBackend.regions:
        if region.name in names:
            out.append((region.name, _overrides.get(region.name, _EC2_STATUS.get(region.opt_in_status, "DISABLED"))))
    return sorted(out)


def list_regions(call, request, body, region):
    try:
        params = json.loads(body or b"{}")
    except ValueError:
        return _invalid("request body is not JSON")
    wanted = params.get("RegionOptStatusContains")
    if wanted is not None and (not isinstance(wanted, list) or not set(wanted) <= STATUSES):
        return _invalid(f"RegionOptStatusContains must name values of {sorted(STATUSES)}")
    size = params.get("MaxResults", DEFAULT_RESULTS)
    if not isinstance(size, int) or isinstance(size, bool) or not MIN_RESULTS <= size <= MAX_RESULTS:
        return _invalid(f"MaxResults must be from {MIN_RESULTS} to {MAX_RESULTS}")
    start = 0
    if params.get("NextToken"):
        try:
            start = int(base64.urlsafe_b64decode(params["NextToken"].encode()).decode().removeprefix("atrest:"))
        except (ValueError, UnicodeDecodeError):
            return _invalid("NextToken is invalid")
    regions = [r for r in _regions(region) if not wanted or r[1] in wanted]
    page = regions[start:start + size]
    answer = {"Regions": [{"RegionName": name, "RegionOptStatus": status} for name, status in page]}
    if start + size < len(regions):
        answer["NextToken"] = base64.urlsafe_b64encode(f"atrest:{start + size}".encode()).decode()
    return _response(200, answer)


def admin(path, method, body):
    if path != "/_atrest/account/regions" or method != "POST":
        return None
    spec = json.loads(body or b"{}")
    if spec.get("status") not in STATUSES or not spec.get("region"):
        return Response("region and a status of " + ", ".join(sorted(STATUSES)) + " are required", status=400)
    _overrides[spec["region"]] = spec["status"]
    return Response(status=204)


HANDLERS = {
    ("account", "ListRegions"): list_regions,
}
