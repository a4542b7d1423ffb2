"""Resource Groups Tagging API GetResources for KMS keys, where moto 5.2 departs from the AWS documentation.

Documented behaviour followed here (Resource Groups Tagging API Reference, GetResources):
- Only resources that are tagged, or were tagged once, are returned; a resource whose tags were all removed comes
  with "Tags": []. moto returns every KMS key, never-tagged ones too, when no TagFilters are given.
- TagFilters: at most 50, each a Key with at most 20 Values. A resource must match every filter; a filter without
  values matches the key with any value, a filter with values matches any of them.
- ResourcesPerPage is 1..100 and TagsPerPage 100..500 (InvalidParameterException otherwise; moto checks neither,
  and pages one resource short of the limit). A resource with no tags counts as one tag. The answer carries a
  PaginationToken while more remains; an empty token means the end.
- ResourceARNList cannot be combined with TagFilters, ResourceTypeFilters or the paging parameters.

Only requests whose ResourceTypeFilters name KMS keys alone ("kms", "kms:key") are answered here; every other
request goes to moto unchanged. Keys are read from moto's KMS backend of the request's Region, so tags set through
KMS (CreateKey, TagResource, UntagResource) are seen at once: the emulator is never stale, which is why the tests
that need a stale view (eventual consistency) change tags between calls themselves.
"""
import base64
import json
import uuid

from moto.kms.models import kms_backends
from werkzeug.wrappers import Response

from . import accounts

KMS_TYPES = {"kms", "kms:key"}
MAX_TAG_FILTERS, MAX_FILTER_VALUES = 50, 20
MIN_RESOURCES, MAX_RESOURCES, DEFAULT_RESOURCES = 1, 100, 50
MIN_TAGS, MAX_TAGS = 100, 500


class TaggingError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def _response(status, payload, error_type=None):
    headers = {"x-amzn-RequestId": str(uuid.uuid4())}
    if error_type:
        headers["x-amzn-ErrorType"] = error_type
    return Response(json.dumps(payload), status=status, headers=headers, mimetype="application/x-amz-json-1.1")


def _int_in(params, name, low, high, default):
    value = params.get(name)
    if value is None:
        return default
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise TaggingError("InvalidParameterException",
                           f"{name} must be an integer from {low} to {high}, got {value!r}")
    return value


def _matches(tags, filters):
    for f in filters:
        values = f.get("Values") or []
        if not any(key == f["Key"] and (not values or value in values) for key, value in tags.items()):
            return False
    return True


def _token(offset):
    return base64.urlsafe_b64encode(f"atrest-tagging:{offset}".encode()).decode()


def _offset(token):
    try:
        return int(base64.urlsafe_b64decode(token.encode()).decode().removeprefix("atrest-tagging:"))
    except (ValueError, UnicodeDecodeError):
        raise TaggingError("PaginationTokenExpiredException", "Invalid pagination token")


def get_resources(call, request, body, region):
    try:
        params = json.loads(body or b"{}")
    except ValueError:
        return _response(400, {"__type": "SerializationException", "Message": "request body is not JSON"})
    types = params.get("ResourceTypeFilters") or []
    if not types or not set(types) <= KMS_TYPES:
        return None  # another resource type, or none named: moto answers
    try:
        return _response(200, _kms_keys(params, region))
    except TaggingError as e:
        return _response(400, {"__type": e.code, "Message": e.message}, e.code)


def _kms_keys(params, region):
    if params.get("ResourceARNList"):
        raise TaggingError("InvalidParameterException",
                           "ResourceARNList cannot be combined with ResourceTypeFilters")
    filters = params.get("TagFilters") or []
    if len(filters) > MAX_TAG_FILTERS:
        raise TaggingError("InvalidParameterException", f"at most {MAX_TAG_FILTERS} TagFilters")
    for f in filters:
        if not f.get("Key"):
            raise TaggingError("InvalidParameterException", "every TagFilter needs a Key")
        if len(f.get("Values") or []) > MAX_FILTER_VALUES:
            raise TaggingError("InvalidParameterException", f"at most {MAX_FILTER_VALUES} Values per TagFilter")
    per_page = _int_in(params, "ResourcesPerPage", MIN_RESOURCES, MAX_RESOURCES, DEFAULT_RESOURCES)
    tags_per_page = _int_in(params, "TagsPerPage", MIN_TAGS, MAX_TAGS, None)
    token = params.get("PaginationToken") or None
    start = _offset(token) if token else 0

    backend = kms_backends[accounts.current()][region]
    matching = []
    for key in list(backend.keys.values()):
        if key.id not in backend.tagger.tags:
            continue  # never tagged: not a resource GetResources knows
        tags = dict(backend.tagger.tags[key.id])
        if filters and not _matches(tags, filters):
            continue
        matching.append({"ResourceARN": key.arn, "Tags": [{"Key": k, "Value": v} for k, v in tags.items()]})
    if start > len(matching):
        raise TaggingError("PaginationTokenExpiredException", "Invalid pagination token")

    page, tag_count, i = [], 0, start
    while i < len(matching) and len(page) < per_page:
        weight = max(1, len(matching[i]["Tags"]))
        if tags_per_page is not None and page and tag_count + weight > tags_per_page:
            break
        page.append(matching[i])
        tag_count += weight
        i += 1
    return {"ResourceTagMappingList": page, "PaginationToken": _token(i) if i < len(matching) else ""}


HANDLERS = {
    ("tagging", "GetResources"): get_resources,
}
