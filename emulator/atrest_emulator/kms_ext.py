"""KMS where moto 5.2 departs from the AWS documentation in ways atrest's rotation function depends on.

Documented behaviour followed here (AWS KMS API Reference and Developer Guide):
- EnableKeyRotation takes RotationPeriodInDays 90..2560 (default 365), stored and returned by GetKeyRotationStatus
  with NextRotationDate. Automatic rotation is only for symmetric ENCRYPT_DECRYPT keys with AWS_KMS origin outside a
  custom key store (UnsupportedOperationException otherwise); multi-Region replicas take the primary's setting and
  refuse the call; the key must be Enabled (KMSInvalidStateException otherwise). DisableKeyRotation has the same
  preconditions. AWS managed keys always report rotation on, yearly, and their key policy only allows reads.
- While a key is PendingDeletion GetKeyRotationStatus reports false; cancelling the deletion restores the setting.
- Keys with EXTERNAL origin are created PendingImport; ImportKeyMaterial makes them Enabled.
- KeyUsage defaults to ENCRYPT_DECRYPT; DescribeKey reports KeyManager AWS for AWS managed keys, CustomKeyStoreId for
  custom key store keys, and MultiRegionKeyType per key (moto shares one configuration dict between a primary and
  its replicas and flips the primary to REPLICA once a replica is described).
- ListKeys honours Limit (1..1000, default 100) and Marker, answering Truncated/NextMarker.
- ListAliases honours Limit (1..100, default 50), Marker and KeyId. The aliases AWS predefines for AWS managed keys
  (alias/aws/...) that no key carries yet come without TargetKeyId (moto gives them made-up key ids).

State lives on moto's Key objects (attributes prefixed _atrest_), so /moto-api/reset clears it with the keys.
"""
import base64
import copy
import json
import time
import uuid

from moto.core import DEFAULT_ACCOUNT_ID
from moto.kms.models import kms_backends
from moto.kms.utils import RESERVED_ALIASES
from werkzeug.wrappers import Response

MIN_PERIOD, MAX_PERIOD, DEFAULT_PERIOD = 90, 2560, 365
AWS_MANAGED_PERIOD = 365
_DAY = 86400.0


class KmsError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def _error(code, message):
    request_id = str(uuid.uuid4())
    return Response(json.dumps({"__type": code, "message": message}), status=400,
                    headers={"x-amzn-RequestId": request_id, "x-amzn-ErrorType": code},
                    mimetype="application/x-amz-json-1.1")


def _ok(payload):
    return Response(json.dumps(payload), status=200, headers={"x-amzn-RequestId": str(uuid.uuid4())},
                    mimetype="application/x-amz-json-1.1")


def _answer(fn):
    """Runs fn(params, region) and turns KmsError into the documented JSON error."""
    def handler(call, request, body, region):
        try:
            params = json.loads(body or b"{}")
        except ValueError:
            return _error("SerializationException", "request body is not JSON")
        try:
            return _ok(fn(params, region))
        except KmsError as e:
            return _error(e.code, e.message)
    return handler


def _backend(region):
    return kms_backends[DEFAULT_ACCOUNT_ID][region]


def _arn(region, key_id):
    return f"arn:aws:kms:{region}:{DEFAULT_ACCOUNT_ID}:key/{key_id}"


def _key(region, key_ref, allow_alias=False):
    """The key named by key_ref: key id or key ARN (and alias name/ARN when the operation accepts one)."""
    if not key_ref:
        raise KmsError("ValidationException", "1 validation error detected: Value null at 'keyId' failed to "
                                              "satisfy constraint: Member must not be null")
    backend = _backend(region)
    ref = key_ref
    is_alias = ref.startswith("alias/") or (ref.startswith("arn:") and ":alias/" in ref)
    if is_alias:
        if not allow_alias:
            raise KmsError("NotFoundException", f"Invalid keyId {key_ref}")
        alias = backend.get_alias_name(ref)
        key_id = backend.get_key_id_from_alias(alias)  # creates AWS managed keys on first use, like AWS
        if key_id is None:
            raise KmsError("NotFoundException", f"Alias {_display(region, ref)} is not found.")
        key = backend.keys[key_id]
        if alias in RESERVED_ALIASES:
            key.key_manager = "AWS"
        return key
    if ref.startswith("arn:"):
        if ":key/" not in ref:
            raise KmsError("NotFoundException", f"Invalid keyId {key_ref}")
        ref = ref.split(":key/", 1)[1]
    key = backend.keys.get(ref)
    if key is None:
        raise KmsError("NotFoundException", f"Key '{_display(region, key_ref)}' does not exist")
    return key


def _display(region, ref):
    if ref.startswith("arn:"):
        return ref
    return f"arn:aws:kms:{region}:{DEFAULT_ACCOUNT_ID}:{'' if ref.startswith('alias/') else 'key/'}{ref}"


def _is_aws_managed(key):
    return key.key_manager == "AWS" or any(a in RESERVED_ALIASES for a in key.aliases)


def _mrk_type(key):
    if not key.multi_region:
        return None
    return "PRIMARY" if key.multi_region_configuration["PrimaryKey"]["Arn"] == key.arn else "REPLICA"


def _primary_of(key):
    primary = key.multi_region_configuration["PrimaryKey"]
    return _backend(primary["Region"]).keys.get(key.id)


def _unsupported_reason(key):
    """Why automatic rotation cannot apply to this key type, or None when it can."""
    if key.key_spec != "SYMMETRIC_DEFAULT" or (key.key_usage or "ENCRYPT_DECRYPT") != "ENCRYPT_DECRYPT":
        return f"{key.arn} has KeySpec {key.key_spec}: automatic rotation needs a symmetric encryption key"
    if getattr(key, "_atrest_custom_key_store_id", None):
        return f"{key.arn} is in a custom key store: automatic rotation is not supported"
    if key.origin != "AWS_KMS":
        return f"{key.arn} has origin {key.origin}: automatic rotation is not supported for imported key material"
    return None


def _check_rotation_change(key, operation):
    if _is_aws_managed(key):
        # The key policy of an AWS managed key allows account principals only Describe/Get/List.
        raise KmsError("AccessDeniedException", f"User is not authorized to perform: kms:{operation} on resource: "
                                                f"{key.arn} because no resource-based policy allows it")
    reason = _unsupported_reason(key)
    if reason:
        raise KmsError("UnsupportedOperationException", reason)
    if _mrk_type(key) == "REPLICA":
        raise KmsError("UnsupportedOperationException",
                       f"{key.arn} is a multi-Region replica key: set automatic rotation on its primary key")
    if key.key_state != "Enabled":
        raise KmsError("KMSInvalidStateException", f"{key.arn} is {key.key_state}")


def _metadata(key):
    meta = key.to_dict()["KeyMetadata"]
    meta["KeyUsage"] = key.key_usage or "ENCRYPT_DECRYPT"
    meta["KeyManager"] = "AWS" if _is_aws_managed(key) else "CUSTOMER"
    store = getattr(key, "_atrest_custom_key_store_id", None)
    if store:
        meta["CustomKeyStoreId"] = store
    if key.multi_region:
        config = copy.deepcopy(key.multi_region_configuration)
        config["MultiRegionKeyType"] = _mrk_type(key)
        meta["MultiRegionConfiguration"] = config
    if meta.get("SigningAlgorithms") is None:
        meta.pop("SigningAlgorithms", None)
    if meta.get("EncryptionAlgorithms") is None:
        meta.pop("EncryptionAlgorithms", None)
    return meta


@_answer
def create_key(params, region):
    origin = params.get("Origin") or "AWS_KMS"
    if origin not in ("AWS_KMS", "EXTERNAL", "AWS_CLOUDHSM", "EXTERNAL_KEY_STORE"):
        raise KmsError("ValidationException", f"Value '{origin}' at 'origin' failed to satisfy constraint")
    store = params.get("CustomKeyStoreId")
    if store and origin not in ("AWS_CLOUDHSM", "EXTERNAL_KEY_STORE"):
        raise KmsError("ValidationException", "CustomKeyStoreId needs Origin AWS_CLOUDHSM or EXTERNAL_KEY_STORE")
    if not store and origin in ("AWS_CLOUDHSM", "EXTERNAL_KEY_STORE"):
        raise KmsError("ValidationException", f"Origin {origin} needs a CustomKeyStoreId")
    spec = params.get("KeySpec") or params.get("CustomerMasterKeySpec") or "SYMMETRIC_DEFAULT"
    usage = params.get("KeyUsage") or "ENCRYPT_DECRYPT"
    try:
        key = _backend(region).create_key(params.get("Policy"), usage, spec, params.get("Description"),
                                          params.get("Tags"), bool(params.get("MultiRegion")), origin)
    except Exception as e:  # moto's own validation (key spec)
        raise KmsError(getattr(e, "error_type", "ValidationException"), str(getattr(e, "message", e)))
    if store:
        key._atrest_custom_key_store_id = store
    if origin == "EXTERNAL":
        key.key_state = "PendingImport"
        key.enabled = False
    return {"KeyMetadata": _metadata(key)}


@_answer
def describe_key(params, region):
    return {"KeyMetadata": _metadata(_key(region, params.get("KeyId"), allow_alias=True))}


@_answer
def import_key_material(params, region):
    key = _key(region, params.get("KeyId"))
    if key.origin != "EXTERNAL":
        raise KmsError("UnsupportedOperationException", f"{key.arn} origin is {key.origin}, not EXTERNAL")
    if key.key_state not in ("PendingImport", "Enabled", "Disabled"):
        raise KmsError("KMSInvalidStateException", f"{key.arn} is {key.key_state}")
    if not params.get("ImportToken") or not params.get("EncryptedKeyMaterial"):
        raise KmsError("ValidationException", "ImportToken and EncryptedKeyMaterial are required")
    if key.key_state == "PendingImport":
        key.key_state = "Enabled"
        key.enabled = True
    return {"KeyId": key.arn}


@_answer
def enable_key_rotation(params, region):
    period = params.get("RotationPeriodInDays")
    if period is not None and (not isinstance(period, int) or not MIN_PERIOD <= period <= MAX_PERIOD):
        raise KmsError("ValidationException", f"1 validation error detected: Value '{period}' at "
                                              f"'rotationPeriodInDays' failed to satisfy constraint: Member must "
                                              f"have value between {MIN_PERIOD} and {MAX_PERIOD}")
    key = _key(region, params.get("KeyId"))
    _check_rotation_change(key, "EnableKeyRotation")
    now = time.time()
    if not key.key_rotation_status or getattr(key, "_atrest_rotation_anchor", None) is None:
        key._atrest_rotation_anchor = now
    key.key_rotation_status = True
    key._atrest_rotation_period = period if period is not None else DEFAULT_PERIOD
    return {}


@_answer
def disable_key_rotation(params, region):
    key = _key(region, params.get("KeyId"))
    _check_rotation_change(key, "DisableKeyRotation")
    key.key_rotation_status = False
    key._atrest_rotation_anchor = None
    return {}


@_answer
def get_key_rotation_status(params, region):
    key = _key(region, params.get("KeyId"))
    answer = {"KeyId": key.arn}
    if _is_aws_managed(key):
        anchor = key.creation_date
        periods = int((time.time() - anchor) // (AWS_MANAGED_PERIOD * _DAY)) + 1
        answer.update(KeyRotationEnabled=True, RotationPeriodInDays=AWS_MANAGED_PERIOD,
                      NextRotationDate=anchor + periods * AWS_MANAGED_PERIOD * _DAY)
        return answer
    source = key
    if _mrk_type(key) == "REPLICA":
        source = _primary_of(key) or key
    enabled = (bool(source.key_rotation_status) and _unsupported_reason(key) is None
               and key.key_state != "PendingDeletion")
    answer["KeyRotationEnabled"] = enabled
    if enabled:
        period = getattr(source, "_atrest_rotation_period", DEFAULT_PERIOD)
        anchor = getattr(source, "_atrest_rotation_anchor", None) or source.creation_date
        answer["RotationPeriodInDays"] = period
        answer["NextRotationDate"] = anchor + period * _DAY
    return answer


@_answer
def list_keys(params, region):
    limit = params.get("Limit", 100)
    if not isinstance(limit, int) or not 1 <= limit <= 1000:
        raise KmsError("ValidationException", f"1 validation error detected: Value '{limit}' at 'limit' failed to "
                                              f"satisfy constraint: Member must have value between 1 and 1000")
    keys = list(_backend(region).keys.values())
    start = 0
    marker = params.get("Marker")
    if marker is not None:
        try:
            start = int(base64.urlsafe_b64decode(marker.encode()).decode().removeprefix("atrest:"))
        except (ValueError, UnicodeDecodeError):
            raise KmsError("InvalidMarkerException", "Marker is invalid")
        if start < 0 or start > len(keys):
            raise KmsError("InvalidMarkerException", "Marker is invalid")
    page = keys[start:start + limit]
    answer = {"Keys": [{"KeyId": k.id, "KeyArn": k.arn} for k in page], "Truncated": start + limit < len(keys)}
    if answer["Truncated"]:
        answer["NextMarker"] = base64.urlsafe_b64encode(f"atrest:{start + limit}".encode()).decode()
    return answer


def _page(items, params, max_limit, default_limit, name):
    limit = params.get("Limit", default_limit)
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= max_limit:
        raise KmsError("ValidationException", f"1 validation error detected: Value '{limit}' at 'limit' failed to "
                                              f"satisfy constraint: Member must have value between 1 and {max_limit}")
    start = 0
    marker = params.get("Marker")
    if marker is not None:
        try:
            start = int(base64.urlsafe_b64decode(marker.encode()).decode().removeprefix("atrest:"))
        except (ValueError, UnicodeDecodeError):
            raise KmsError("InvalidMarkerException", "Marker is invalid")
        if start < 0 or start > len(items):
            raise KmsError("InvalidMarkerException", "Marker is invalid")
    answer = {name: items[start:start + limit], "Truncated": start + limit < len(items)}
    if answer["Truncated"]:
        answer["NextMarker"] = base64.urlsafe_b64encode(f"atrest:{start + limit}".encode()).decode()
    return answer


@_answer
def list_aliases(params, region):
    backend = _backend(region)
    only = _key(region, params["KeyId"]).id if params.get("KeyId") else None
    aliases = []
    for key in backend.keys.values():
        if only is None or key.id == only:
            for name in key.aliases:
                aliases.append({"AliasName": name, "AliasArn": _display(region, name), "TargetKeyId": key.id})
    if only is None:
        carried = {a["AliasName"] for a in aliases}
        aliases += [{"AliasName": name, "AliasArn": _display(region, name)}
                    for name in RESERVED_ALIASES if name not in carried]
    aliases.sort(key=lambda a: a["AliasName"])
    return _page(aliases, params, 100, 50, "Aliases")


@_answer
def replicate_key(params, region):
    key = _key(region, params.get("KeyId"))
    target = params.get("ReplicaRegion")
    if not target:
        raise KmsError("ValidationException", "ReplicaRegion is required")
    if not key.multi_region or _mrk_type(key) != "PRIMARY":
        raise KmsError("UnsupportedOperationException", f"{key.arn} is not a multi-Region primary key")
    if target == region:
        raise KmsError("ValidationException", "ReplicaRegion must differ from the primary key's Region")
    if key.id in _backend(target).keys:
        raise KmsError("AlreadyExistsException", f"{_arn(target, key.id)} already exists")
    replica = _backend(region).replicate_key(key.id, target)
    # moto's shallow copy shares the primary's configuration dict; give the replica its own.
    replica.multi_region_configuration = copy.deepcopy(key.multi_region_configuration)
    replica.aliases = {}
    replica.grants = {}
    return {"ReplicaKeyMetadata": _metadata(replica), "ReplicaPolicy": replica.policy,
            "ReplicaTags": params.get("Tags", [])}


HANDLERS = {
    ("kms", "CreateKey"): create_key,
    ("kms", "DescribeKey"): describe_key,
    ("kms", "ImportKeyMaterial"): import_key_material,
    ("kms", "EnableKeyRotation"): enable_key_rotation,
    ("kms", "DisableKeyRotation"): disable_key_rotation,
    ("kms", "GetKeyRotationStatus"): get_key_rotation_status,
    ("kms", "ListKeys"): list_keys,
    ("kms", "ListAliases"): list_aliases,
    ("kms", "ReplicateKey"): replicate_key,
}
