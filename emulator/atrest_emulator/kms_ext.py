"""KMS where moto 5.2 departs from the AWS documentation in ways atrest's functions depend on.

Documented behaviour followed here (AWS KMS API Reference and Developer Guide):
- EnableKeyRotation takes RotationPeriodInDays 90..2560 (default 365), stored and returned by GetKeyRotationStatus
  with NextRotationDate. Automatic rotation is only for symmetric ENCRYPT_DECRYPT keys with AWS_KMS origin outside a
  custom key store (UnsupportedOperationException otherwise); multi-Region replicas take the primary's setting and
  refuse the call; the key must be Enabled (KMSInvalidStateException otherwise). DisableKeyRotation has the same
  preconditions. AWS managed keys always report rotation on, yearly, and their key policy only allows reads.
- While a key is PendingDeletion GetKeyRotationStatus reports false; cancelling the deletion restores the setting.
- KeyUsage defaults to ENCRYPT_DECRYPT; DescribeKey reports KeyManager AWS for AWS managed keys, CustomKeyStoreId for
  custom key store keys, and MultiRegionKeyType per key (moto shares one configuration dict between a primary and
  its replicas and flips the primary to REPLICA once a replica is described).
- ListKeys honours Limit (1..1000, default 100) and Marker, answering Truncated/NextMarker.
- ListAliases honours Limit (1..100, default 50), Marker and KeyId. The aliases AWS predefines for AWS managed keys
  (alias/aws/...) that no key carries yet come without TargetKeyId (moto gives them made-up key ids).

Key states and imported key material:
- Keys with EXTERNAL origin are created PendingImport (moto: Enabled). ImportKeyMaterial makes them Enabled; its
  ExpirationModel defaults to KEY_MATERIAL_EXPIRES, which needs ValidTo (a future time at most 365 days ahead);
  KEY_MATERIAL_DOES_NOT_EXPIRE forbids ValidTo. DescribeKey then reports ExpirationModel, and ValidTo for expiring
  material. When ValidTo passes KMS deletes the material: the key goes back to PendingImport (a PendingDeletion key
  keeps its state), as after DeleteImportedKeyMaterial. The response carries the key ARN and a KeyMaterialId.
- ScheduleKeyDeletion takes PendingWindowInDays 7..30 (default 30; moto silently ignores other values), refuses a
  key already PendingDeletion (KMSInvalidStateException) and answers the key ARN, DeletionDate, KeyState and
  PendingWindowInDays; CancelKeyDeletion needs a PendingDeletion key and leaves it Disabled. AWS managed keys cannot
  be scheduled for deletion or have their policy changed (AccessDeniedException, as their key policy allows only
  reads to account principals).
- AWS managed keys (aliases alias/aws/<service>, including alias/aws/fsx which moto does not know): created on
  first reference, as AWS does when a service first needs one or DescribeKey names the predefined alias; KeyManager
  AWS, yearly rotation, and AWS's key policy for them: kms:Encrypt/Decrypt/ReEncrypt*/GenerateDataKey*/CreateGrant/
  DescribeKey to Principal "*" only under the conditions kms:CallerAccount (this account) and kms:ViaService
  (<service>.<region>.amazonaws.com), and Describe*/Get*/List*/RevokeGrant to the account root.
- ListAliases lists the predefined AWS aliases that have no key yet without a TargetKeyId (moto lists them with ids
  of keys that do not exist), takes KeyId (key id or ARN), and honours Limit (1..100, default 50) and Marker.
- GetKeyPolicy / PutKeyPolicy: PolicyName defaults to "default", the only valid name (moto requires it);
  GetKeyPolicy answers PolicyName too. PutKeyPolicy and CreateKey reject a policy that is not a JSON policy document
  whose statements each name a principal (MalformedPolicyDocumentException) or longer than 32 KB
  (LimitExceededException). Without a policy CreateKey attaches AWS's documented default key policy (moto already
  does: one statement giving the account root kms:*).

Custom key stores (missing in moto):
- CreateCustomKeyStore for AWS_CLOUDHSM (the default type: CloudHsmClusterId, TrustAnchorCertificate,
  KeyStorePassword of 7..32 characters) and EXTERNAL_KEY_STORE (XksProxyConnectivity, XksProxyUriEndpoint https://...,
  XksProxyUriPath .../kms/xks/v<n>, XksProxyAuthenticationCredential, and XksProxyVpcEndpointServiceName for
  VPC_ENDPOINT_SERVICE connectivity). Names are unique per account and Region (CustomKeyStoreNameInUseException), a
  CloudHSM cluster backs one store (CloudHsmClusterInUseException), an XKS proxy URI one store
  (XksProxyUriInUseException). New stores are DISCONNECTED.
- DescribeCustomKeyStores by CustomKeyStoreId or CustomKeyStoreName (not both; CustomKeyStoreNotFoundException when
  none matches), paged by Limit (1..1000) and Marker; ConnectionErrorCode only when ConnectionState is FAILED;
  CloudHsmClusterId and TrustAnchorCertificate for CloudHSM stores, XksProxyConfiguration (never the secret) for
  external ones.
- ConnectCustomKeyStore is refused for DISCONNECTING and FAILED stores (CustomKeyStoreInvalidStateException; a FAILED
  store must be disconnected first); here a connection completes at once. DisconnectCustomKeyStore is refused for
  DISCONNECTED and DISCONNECTING stores. DeleteCustomKeyStore needs a DISCONNECTED store without keys
  (CustomKeyStoreHasCMKsException).
- CreateKey with CustomKeyStoreId needs a CONNECTED store (CustomKeyStoreInvalidStateException), Origin AWS_CLOUDHSM
  for a CloudHSM store or EXTERNAL_KEY_STORE (with XksKeyId, one KMS key per external key) for an external one, and a
  single-Region SYMMETRIC_DEFAULT key. DescribeKey shows CustomKeyStoreId, Origin, and CloudHsmClusterId or
  XksKeyConfiguration. Emulator leniency, not AWS: a CustomKeyStoreId the emulator never created is accepted as a
  connected store of the origin's type (AWS: CustomKeyStoreNotFoundException), because existing tests create keys
  in such stores without creating the store.

Admin API (test set-up of states AWS reaches on its own):
  POST /_atrest/kms/custom-key-store-state {"customKeyStoreId": "cks-...", "connectionState": "FAILED",
                                            "connectionErrorCode": "NETWORK_ERRORS"}
       sets a store's ConnectionState (CONNECTED|CONNECTING|FAILED|DISCONNECTED|DISCONNECTING); FAILED needs a
       documented ConnectionErrorCode and no other state takes one. -> 204
  POST /_atrest/kms/key-material-valid-to {"region": "us-east-1", "keyId": "<id or ARN>", "validTo": <epoch s>}
       moves the ValidTo of a key's expiring imported material (into the past to make it expire). -> {"KeyState": ...}

State lives on moto's Key objects (attributes prefixed _atrest_) and, for custom key stores, in this module (cleared
by reset()), so /moto-api/reset clears it with the keys.
"""
import base64
import copy
import datetime
import hashlib
import json
import re
import threading
import time
import uuid

from moto.core.utils import unix_time, utcnow
from moto.kms.models import KmsBackend, kms_backends
from moto.kms.utils import RESERVED_ALIASES
from werkzeug.wrappers import Response

from . import accounts

MIN_PERIOD, MAX_PERIOD, DEFAULT_PERIOD = 90, 2560, 365
AWS_MANAGED_PERIOD = 365
_DAY = 86400.0
MAX_VALID_TO_DAYS = 365
MAX_POLICY_BYTES = 32 * 1024
EXPIRATION_MODELS = ("KEY_MATERIAL_EXPIRES", "KEY_MATERIAL_DOES_NOT_EXPIRE")
CONNECTION_STATES = ("CONNECTED", "CONNECTING", "FAILED", "DISCONNECTED", "DISCONNECTING")
CONNECTION_ERROR_CODES = (
    "INVALID_CREDENTIALS", "CLUSTER_NOT_FOUND", "NETWORK_ERRORS", "INTERNAL_ERROR", "INSUFFICIENT_CLOUDHSM_HSMS",
    "USER_LOCKED_OUT", "USER_NOT_FOUND", "USER_LOGGED_IN", "SUBNET_NOT_FOUND", "INSUFFICIENT_FREE_ADDRESSES_IN_SUBNET",
    "XKS_PROXY_ACCESS_DENIED", "XKS_PROXY_NOT_REACHABLE", "XKS_VPC_ENDPOINT_SERVICE_NOT_FOUND",
    "XKS_PROXY_INVALID_RESPONSE", "XKS_PROXY_INVALID_CONFIGURATION", "XKS_VPC_ENDPOINT_SERVICE_INVALID_CONFIGURATION",
    "XKS_PROXY_TIMED_OUT", "XKS_PROXY_INVALID_TLS_CONFIGURATION")
HSM, XKS = "AWS_CLOUDHSM", "EXTERNAL_KEY_STORE"
_STORE_ORIGIN = {HSM: "AWS_CLOUDHSM", XKS: "EXTERNAL_KEY_STORE"}

# ---------------------------------------------------------------- AWS managed keys
# moto knows the predefined aliases of many services but not aws/fsx; its list is shared by reference with moto's
# models and responses, so adding to it makes moto create the key lazily and refuse CreateAlias for the name too.
for _alias in ("alias/aws/fsx",):
    if _alias not in RESERVED_ALIASES:
        RESERVED_ALIASES.append(_alias)

# kms:ViaService host prefix and display name of the services whose AWS managed keys atrest meets.
_SERVICES = {"ebs": ("ec2", "EBS"), "s3": ("s3", "S3"), "fsx": ("fsx", "FSx"),
             "elasticfilesystem": ("elasticfilesystem", "EFS")}


def _aws_managed_policy(account, region, alias):
    service = alias.split("/", 2)[2]
    via, name = _SERVICES.get(service, (service, service))
    return {
        "Version": "2012-10-17",
        "Id": f"auto-{service}-2",
        "Statement": [
            {"Sid": f"Allow access through {name} for all principals in the account that are authorized to use "
                    f"{name}",
             "Effect": "Allow", "Principal": {"AWS": "*"},
             "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant",
                        "kms:DescribeKey"],
             "Resource": "*",
             "Condition": {"StringEquals": {"kms:CallerAccount": account,
                                            "kms:ViaService": f"{via}.{region}.amazonaws.com"}}},
            {"Sid": "Allow direct access to key metadata to the account",
             "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
             "Action": ["kms:Describe*", "kms:Get*", "kms:List*", "kms:RevokeGrant"],
             "Resource": "*"},
        ],
    }


def _make_aws_managed(backend, key, alias):
    service = alias.split("/", 2)[2]
    name = _SERVICES.get(service, (service, service))[1]
    key.key_manager = "AWS"
    key.description = f"Default key that protects my {name} resources when no other key is defined"
    if service == "ebs":
        key.description = "Default key that protects my EBS volumes when no other key is defined"
    key.policy = json.dumps(_aws_managed_policy(backend.account_id, backend.region_name, alias))
    key.key_rotation_status = True


def _patch_backend():
    """Every path that attaches a predefined AWS alias (moto's lazy creation on DescribeKey, moto's EC2 creating the
    aws/ebs key, the extensions below) goes through KmsBackend.create_alias; CreateAlias requests for alias/aws/...
    are refused by moto before they reach it."""
    if getattr(KmsBackend, "_atrest_patched", False):
        return
    original_create_alias = KmsBackend.create_alias
    original_update_alias = KmsBackend.update_alias

    def create_alias(self, target_key_id, alias_name):
        alias = original_create_alias(self, target_key_id, alias_name)
        alias._atrest_created = alias._atrest_updated = time.time()
        if alias_name in RESERVED_ALIASES:
            _make_aws_managed(self, self.keys[self.get_key_id(target_key_id)], alias_name)
        return alias

    def update_alias(self, target_key_id, alias_name):
        alias = original_update_alias(self, target_key_id, alias_name)
        alias._atrest_updated = time.time()
        return alias

    KmsBackend.create_alias = create_alias
    KmsBackend.update_alias = update_alias
    KmsBackend._atrest_patched = True


_patch_backend()


def aws_managed_key_arn(account, region, alias):
    """ARN of the AWS managed key behind a predefined alias such as alias/aws/fsx, created on first use as AWS does
    when a service first encrypts a resource with it."""
    backend = kms_backends[account][region]
    return backend.keys[backend.get_key_id_from_alias(alias)].arn


def key_arn(account, region, ref):
    """ARN of the key that a key id, key ARN, alias name or alias ARN names in the emulator's KMS (the ARN's own
    Region and account when it is an ARN), or None when there is no such key."""
    if not ref:
        return None
    if ref.startswith("arn:"):
        parts = ref.split(":", 5)
        if len(parts) < 6:
            return None
        region, account, ref = parts[3], parts[4], parts[5]
    try:
        backend = kms_backends[account][region]
    except (KeyError, ValueError):  # not a Region moto knows: no such key
        return None
    if ref.startswith("alias/"):
        key_id = backend.get_key_id_from_alias(ref)
    else:
        key_id = ref.removeprefix("key/")
    key = backend.keys.get(key_id) if key_id else None
    return key.arn if key is not None else None


# ---------------------------------------------------------------- custom key stores (module state)
_stores = {}
_stores_lock = threading.RLock()


def reset():
    with _stores_lock:
        _stores.clear()


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
    return kms_backends[accounts.current()][region]


def _arn(region, key_id):
    return f"arn:aws:kms:{region}:{accounts.current()}:key/{key_id}"


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
    return f"arn:aws:kms:{region}:{accounts.current()}:{'' if ref.startswith('alias/') else 'key/'}{ref}"


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
    _refuse_aws_managed(key, operation)
    reason = _unsupported_reason(key)
    if reason:
        raise KmsError("UnsupportedOperationException", reason)
    if _mrk_type(key) == "REPLICA":
        raise KmsError("UnsupportedOperationException",
                       f"{key.arn} is a multi-Region replica key: set automatic rotation on its primary key")
    if key.key_state != "Enabled":
        raise KmsError("KMSInvalidStateException", f"{key.arn} is {key.key_state}")


def _refuse_aws_managed(key, operation):
    if _is_aws_managed(key):
        # The key policy of an AWS managed key allows account principals only Describe/Get/List/RevokeGrant.
        raise KmsError("AccessDeniedException", f"User is not authorized to perform: kms:{operation} on resource: "
                                                f"{key.arn} because no resource-based policy allows it")


def _expire_if_due(key):
    """KMS deletes imported key material when its ValidTo passes; the key waits for a new import."""
    valid_to = getattr(key, "_atrest_valid_to", None)
    if valid_to is not None and valid_to <= time.time():
        key._atrest_valid_to = None
        key._atrest_expiration_model = None
        if key.key_state != "PendingDeletion":
            key.key_state = "PendingImport"
            key.enabled = False


def _metadata(key):
    _expire_if_due(key)
    meta = key.to_dict()["KeyMetadata"]
    meta["KeyUsage"] = key.key_usage or "ENCRYPT_DECRYPT"
    meta["KeyManager"] = "AWS" if _is_aws_managed(key) else "CUSTOMER"
    store_id = getattr(key, "_atrest_custom_key_store_id", None)
    if store_id:
        meta["CustomKeyStoreId"] = store_id
        store = _stores.get(store_id)
        if store is not None and store["type"] == HSM:
            meta["CloudHsmClusterId"] = store["cluster_id"]
    xks_key_id = getattr(key, "_atrest_xks_key_id", None)
    if xks_key_id:
        meta["XksKeyConfiguration"] = {"Id": xks_key_id}
    model = getattr(key, "_atrest_expiration_model", None)
    if key.origin == "EXTERNAL" and model:
        meta["ExpirationModel"] = model
        if model == "KEY_MATERIAL_EXPIRES":
            meta["ValidTo"] = key._atrest_valid_to
    if key.multi_region:
        config = copy.deepcopy(key.multi_region_configuration)
        config["MultiRegionKeyType"] = _mrk_type(key)
        meta["MultiRegionConfiguration"] = config
    if meta.get("SigningAlgorithms") is None:
        meta.pop("SigningAlgorithms", None)
    if meta.get("EncryptionAlgorithms") is None:
        meta.pop("EncryptionAlgorithms", None)
    return meta


def _check_policy(text):
    """A key policy must be a JSON policy document whose statements each name a principal; KMS accepts statements
    without Action or Resource (they have no effect)."""
    if not isinstance(text, str) or not text.strip():
        raise KmsError("MalformedPolicyDocumentException", "The new key policy is empty.")
    if len(text.encode("utf-8")) > MAX_POLICY_BYTES:
        raise KmsError("LimitExceededException", f"The key policy exceeds the maximum size of {MAX_POLICY_BYTES} "
                                                 f"bytes.")
    try:
        document = json.loads(text)
    except ValueError:
        raise KmsError("MalformedPolicyDocumentException", "The new key policy is not valid JSON.")
    statements = document.get("Statement") if isinstance(document, dict) else None
    if isinstance(statements, dict):
        statements = [statements]
    if not isinstance(statements, list) or not statements:
        raise KmsError("MalformedPolicyDocumentException", "The new key policy has no Statement.")
    for statement in statements:
        if not isinstance(statement, dict) or statement.get("Effect") not in ("Allow", "Deny"):
            raise KmsError("MalformedPolicyDocumentException", "Each statement needs an Effect of Allow or Deny.")
        if "Principal" not in statement and "NotPrincipal" not in statement:
            raise KmsError("MalformedPolicyDocumentException", "Policy contains a statement with no principal.")


def _store_for_new_key(params, region, origin):
    """The custom key store a new key goes into (None for an unknown id, accepted leniently), after checking it."""
    store_id = params.get("CustomKeyStoreId")
    xks_key_id = params.get("XksKeyId")
    if xks_key_id and origin != "EXTERNAL_KEY_STORE":
        raise KmsError("ValidationException", "XksKeyId is valid only for keys with Origin EXTERNAL_KEY_STORE")
    if origin == "EXTERNAL_KEY_STORE" and not xks_key_id:
        raise KmsError("ValidationException", "Origin EXTERNAL_KEY_STORE needs an XksKeyId")
    if not store_id:
        return None
    spec = params.get("KeySpec") or params.get("CustomerMasterKeySpec") or "SYMMETRIC_DEFAULT"
    if spec != "SYMMETRIC_DEFAULT" or params.get("MultiRegion"):
        raise KmsError("UnsupportedOperationException", "A custom key store holds only single-Region "
                                                        "SYMMETRIC_DEFAULT keys")
    with _stores_lock:
        store = _stores.get(store_id)
        if store is None:
            return None
        if not _in_scope(store, region):
            raise KmsError("CustomKeyStoreNotFoundException", f"Custom key store {store_id} does not exist")
        if _STORE_ORIGIN[store["type"]] != origin:
            raise KmsError("ValidationException", f"Custom key store {store_id} is of type {store['type']}: use "
                                                  f"Origin {_STORE_ORIGIN[store['type']]}")
        if store["state"] != "CONNECTED":
            raise KmsError("CustomKeyStoreInvalidStateException", f"Custom key store {store_id} is "
                                                                  f"{store['state']}, not CONNECTED")
        if xks_key_id and any(getattr(k, "_atrest_custom_key_store_id", None) == store_id
                              and getattr(k, "_atrest_xks_key_id", None) == xks_key_id
                              for k in _backend(region).keys.values()):
            raise KmsError("XksKeyAlreadyInUseException", f"External key {xks_key_id} is already used by a KMS key "
                                                          f"in {store_id}")
        return store


@_answer
def create_key(params, region):
    origin = params.get("Origin") or "AWS_KMS"
    if origin not in ("AWS_KMS", "EXTERNAL", "AWS_CLOUDHSM", "EXTERNAL_KEY_STORE"):
        raise KmsError("ValidationException", f"Value '{origin}' at 'origin' failed to satisfy constraint")
    store_id = params.get("CustomKeyStoreId")
    if store_id and origin not in ("AWS_CLOUDHSM", "EXTERNAL_KEY_STORE"):
        raise KmsError("ValidationException", "CustomKeyStoreId needs Origin AWS_CLOUDHSM or EXTERNAL_KEY_STORE")
    if not store_id and origin in ("AWS_CLOUDHSM", "EXTERNAL_KEY_STORE"):
        raise KmsError("ValidationException", f"Origin {origin} needs a CustomKeyStoreId")
    if params.get("Policy") is not None:
        _check_policy(params["Policy"])
    _store_for_new_key(params, region, origin)
    spec = params.get("KeySpec") or params.get("CustomerMasterKeySpec") or "SYMMETRIC_DEFAULT"
    usage = params.get("KeyUsage") or "ENCRYPT_DECRYPT"
    try:
        key = _backend(region).create_key(params.get("Policy"), usage, spec, params.get("Description"),
                                          params.get("Tags"), bool(params.get("MultiRegion")), origin)
    except Exception as e:  # moto's own validation (key spec)
        raise KmsError(getattr(e, "error_type", "ValidationException"), str(getattr(e, "message", e)))
    if store_id:
        key._atrest_custom_key_store_id = store_id
    if params.get("XksKeyId"):
        key._atrest_xks_key_id = params["XksKeyId"]
    if origin == "EXTERNAL":
        key.key_state = "PendingImport"
        key.enabled = False
    return {"KeyMetadata": _metadata(key)}


@_answer
def describe_key(params, region):
    return {"KeyMetadata": _metadata(_key(region, params.get("KeyId"), allow_alias=True))}


def _timestamp(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise KmsError("ValidationException", f"{name} must be a timestamp")
    return float(value)


@_answer
def import_key_material(params, region):
    key = _key(region, params.get("KeyId"))
    if key.origin != "EXTERNAL":
        raise KmsError("UnsupportedOperationException", f"{key.arn} origin is {key.origin}, not EXTERNAL")
    _expire_if_due(key)
    if key.key_state not in ("PendingImport", "Enabled", "Disabled"):
        raise KmsError("KMSInvalidStateException", f"{key.arn} is {key.key_state}")
    if not params.get("ImportToken") or not params.get("EncryptedKeyMaterial"):
        raise KmsError("ValidationException", "ImportToken and EncryptedKeyMaterial are required")
    model = params.get("ExpirationModel") or "KEY_MATERIAL_EXPIRES"
    if model not in EXPIRATION_MODELS:
        raise KmsError("ValidationException", f"Value '{model}' at 'expirationModel' failed to satisfy constraint: "
                                              f"Member must satisfy enum value set: {list(EXPIRATION_MODELS)}")
    valid_to = params.get("ValidTo")
    if model == "KEY_MATERIAL_EXPIRES":
        if valid_to is None:
            raise KmsError("ValidationException", "ValidTo is required when ExpirationModel is KEY_MATERIAL_EXPIRES")
        valid_to = _timestamp(valid_to, "ValidTo")
        now = time.time()
        if valid_to <= now:
            raise KmsError("ValidationException", "ValidTo must be in the future")
        if valid_to > now + MAX_VALID_TO_DAYS * _DAY:
            raise KmsError("ValidationException", f"ValidTo must be at most {MAX_VALID_TO_DAYS} days in the future")
    elif valid_to is not None:
        raise KmsError("ValidationException", "ValidTo is not valid when ExpirationModel is "
                                              "KEY_MATERIAL_DOES_NOT_EXPIRE")
    if key.key_state == "PendingImport":
        key.key_state = "Enabled"
        key.enabled = True
    key._atrest_expiration_model = model
    key._atrest_valid_to = valid_to if model == "KEY_MATERIAL_EXPIRES" else None
    material = str(params["EncryptedKeyMaterial"]).encode()
    key._atrest_key_material_id = hashlib.sha256(key.id.encode() + material).hexdigest()
    return {"KeyId": key.arn, "KeyMaterialId": key._atrest_key_material_id}


@_answer
def delete_imported_key_material(params, region):
    key = _key(region, params.get("KeyId"))
    if key.origin != "EXTERNAL":
        raise KmsError("UnsupportedOperationException", f"{key.arn} origin is {key.origin}, not EXTERNAL")
    _expire_if_due(key)
    if key.key_state == "PendingImport":
        raise KmsError("KMSInvalidStateException", f"{key.arn} is PendingImport: it has no key material")
    key._atrest_valid_to = None
    key._atrest_expiration_model = None
    if key.key_state != "PendingDeletion":
        key.key_state = "PendingImport"
        key.enabled = False
    answer = {"KeyId": key.arn}
    if getattr(key, "_atrest_key_material_id", None):
        answer["KeyMaterialId"] = key._atrest_key_material_id
    return answer


@_answer
def schedule_key_deletion(params, region):
    key = _key(region, params.get("KeyId"))
    window = params.get("PendingWindowInDays", 30)
    if isinstance(window, bool) or not isinstance(window, int) or not 7 <= window <= 30:
        raise KmsError("ValidationException", f"1 validation error detected: Value '{window}' at "
                                              f"'pendingWindowInDays' failed to satisfy constraint: Member must have "
                                              f"value between 7 and 30")
    _refuse_aws_managed(key, "ScheduleKeyDeletion")
    if key.key_state == "PendingDeletion":
        raise KmsError("KMSInvalidStateException", f"{key.arn} is pending deletion.")
    key.key_state = "PendingDeletion"
    key.enabled = False
    key.deletion_date = utcnow() + datetime.timedelta(days=window)
    return {"KeyId": key.arn, "DeletionDate": unix_time(key.deletion_date), "KeyState": key.key_state,
            "PendingWindowInDays": window}


@_answer
def cancel_key_deletion(params, region):
    key = _key(region, params.get("KeyId"))
    if key.key_state != "PendingDeletion":
        raise KmsError("KMSInvalidStateException", f"{key.arn} is {key.key_state}, not pending deletion.")
    key.key_state = "Disabled"
    key.deletion_date = None
    return {"KeyId": key.arn}


def _policy_name(params):
    name = params.get("PolicyName") or "default"
    if name != "default":
        raise KmsError("NotFoundException", "No such policy exists")
    return name


@_answer
def get_key_policy(params, region):
    key = _key(region, params.get("KeyId"))
    name = _policy_name(params)
    return {"Policy": key.policy, "PolicyName": name}


@_answer
def put_key_policy(params, region):
    key = _key(region, params.get("KeyId"))
    _policy_name(params)
    _refuse_aws_managed(key, "PutKeyPolicy")
    _check_policy(params.get("Policy"))
    key.policy = params["Policy"]
    return {}


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


def _page(items, params, limit_max, limit_default):
    """One page of items by Limit/Marker, as KMS list operations answer: (page, Truncated, NextMarker or None)."""
    limit = params.get("Limit", limit_default)
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= limit_max:
        raise KmsError("ValidationException", f"1 validation error detected: Value '{limit}' at 'limit' failed to "
                                              f"satisfy constraint: Member must have value between 1 and {limit_max}")
    start = 0
    marker = params.get("Marker")
    if marker is not None:
        try:
            start = int(base64.urlsafe_b64decode(marker.encode()).decode().removeprefix("atrest:"))
        except (ValueError, UnicodeDecodeError):
            raise KmsError("InvalidMarkerException", "Marker is invalid")
        if start < 0 or start > len(items):
            raise KmsError("InvalidMarkerException", "Marker is invalid")
    truncated = start + limit < len(items)
    marker = base64.urlsafe_b64encode(f"atrest:{start + limit}".encode()).decode() if truncated else None
    return items[start:start + limit], truncated, marker


def _paged(answer, truncated, marker):
    answer["Truncated"] = truncated
    if marker:
        answer["NextMarker"] = marker
    return answer


@_answer
def list_keys(params, region):
    page, truncated, marker = _page(list(_backend(region).keys.values()), params, 1000, 100)
    return _paged({"Keys": [{"KeyId": k.id, "KeyArn": k.arn} for k in page]}, truncated, marker)


@_answer
def list_aliases(params, region):
    backend = _backend(region)
    only = _key(region, params["KeyId"]) if params.get("KeyId") else None
    entries = []
    for key in backend.keys.values():
        if only is not None and key.id != only.id:
            continue
        for alias in key.aliases.values():
            entry = {"AliasName": alias.alias_name, "AliasArn": alias.alias_arn, "TargetKeyId": key.id}
            if getattr(alias, "_atrest_created", None):
                entry["CreationDate"] = alias._atrest_created
                entry["LastUpdatedDate"] = alias._atrest_updated
            entries.append(entry)
    if only is None:
        attached = {e["AliasName"] for e in entries}
        # Predefined AWS aliases not yet associated with a key are listed without a TargetKeyId.
        entries += [{"AliasName": name, "AliasArn": f"arn:aws:kms:{region}:{backend.account_id}:{name}"}
                    for name in RESERVED_ALIASES if name not in attached]
    entries.sort(key=lambda e: e["AliasName"])
    page, truncated, marker = _page(entries, params, 100, 50)
    return _paged({"Aliases": page}, truncated, marker)


# ---------------------------------------------------------------- custom key stores

_CLUSTER_ID = re.compile(r"^cluster-[2-7a-zA-Z]{11,16}$")
_XKS_ENDPOINT = re.compile(r"^https://[a-zA-Z0-9.-]+$")
_XKS_PATH = re.compile(r"^(/[a-zA-Z0-9/_-]+/kms/xks/v\d{1,2})$|^(/kms/xks/v\d{1,2})$")
_XKS_SECRET = re.compile(r"^[a-zA-Z0-9/+=]{43,64}$")


def _require(params, names, what):
    missing = [n for n in names if not params.get(n)]
    if missing:
        raise KmsError("ValidationException", f"{what} needs {', '.join(missing)}")


def _in_scope(store, region):
    """Custom key stores belong to one account and Region."""
    return store["region"] == region and store["account"] == accounts.current()


def _store(store_id, region):
    store = _stores.get(store_id)
    if store is None or not _in_scope(store, region):
        raise KmsError("CustomKeyStoreNotFoundException", f"Custom key store {store_id} does not exist")
    return store


@_answer
def create_custom_key_store(params, region):
    name = params.get("CustomKeyStoreName")
    if not name or len(name) > 256:
        raise KmsError("ValidationException", "CustomKeyStoreName must have 1 to 256 characters")
    kind = params.get("CustomKeyStoreType") or HSM
    if kind not in (HSM, XKS):
        raise KmsError("ValidationException", f"Value '{kind}' at 'customKeyStoreType' failed to satisfy constraint")
    store = {"id": f"cks-{uuid.uuid4().hex[:17]}", "name": name, "type": kind, "region": region, "account": accounts.current(),
             "created": time.time(), "state": "DISCONNECTED", "error": None}
    if kind == HSM:
        _require(params, ("CloudHsmClusterId", "TrustAnchorCertificate", "KeyStorePassword"),
                 "An AWS_CLOUDHSM key store")
        if not _CLUSTER_ID.match(params["CloudHsmClusterId"]):
            raise KmsError("ValidationException", "CloudHsmClusterId must match cluster-[2-7a-zA-Z]{11,16}")
        if not 7 <= len(params["KeyStorePassword"]) <= 32:
            raise KmsError("ValidationException", "KeyStorePassword must have 7 to 32 characters")
        store.update(cluster_id=params["CloudHsmClusterId"], trust_anchor=params["TrustAnchorCertificate"])
    else:
        _require(params, ("XksProxyConnectivity", "XksProxyUriEndpoint", "XksProxyUriPath",
                          "XksProxyAuthenticationCredential"), "An EXTERNAL_KEY_STORE key store")
        connectivity = params["XksProxyConnectivity"]
        if connectivity not in ("PUBLIC_ENDPOINT", "VPC_ENDPOINT_SERVICE"):
            raise KmsError("ValidationException", f"Value '{connectivity}' at 'xksProxyConnectivity' failed to "
                                                  f"satisfy constraint")
        if connectivity == "VPC_ENDPOINT_SERVICE":
            _require(params, ("XksProxyVpcEndpointServiceName",), "VPC_ENDPOINT_SERVICE connectivity")
        if not _XKS_ENDPOINT.match(params["XksProxyUriEndpoint"]):
            raise KmsError("ValidationException", "XksProxyUriEndpoint must be https:// followed by a host name")
        if not _XKS_PATH.match(params["XksProxyUriPath"]):
            raise KmsError("ValidationException", "XksProxyUriPath must end with /kms/xks/v<version>")
        credential = params["XksProxyAuthenticationCredential"]
        if (not isinstance(credential, dict) or not credential.get("AccessKeyId")
                or not _XKS_SECRET.match(credential.get("RawSecretAccessKey") or "")):
            raise KmsError("ValidationException", "XksProxyAuthenticationCredential needs an AccessKeyId and a "
                                                  "RawSecretAccessKey of 43 to 64 characters")
        config = {"Connectivity": connectivity, "AccessKeyId": credential["AccessKeyId"],
                  "UriEndpoint": params["XksProxyUriEndpoint"], "UriPath": params["XksProxyUriPath"]}
        if connectivity == "VPC_ENDPOINT_SERVICE":
            config["VpcEndpointServiceName"] = params["XksProxyVpcEndpointServiceName"]
            config["VpcEndpointServiceOwner"] = params.get("XksProxyVpcEndpointServiceOwner") or accounts.current()
        store["xks"] = config
    with _stores_lock:
        here = [s for s in _stores.values() if _in_scope(s, region)]
        if any(s["name"] == name for s in here):
            raise KmsError("CustomKeyStoreNameInUseException", f"A custom key store named {name} already exists")
        if kind == HSM and any(s.get("cluster_id") == store["cluster_id"] for s in here):
            raise KmsError("CloudHsmClusterInUseException", f"{store['cluster_id']} already backs a custom key store")
        if kind == XKS:
            uri = (store["xks"]["UriEndpoint"], store["xks"]["UriPath"])
            if any(s.get("xks") and (s["xks"]["UriEndpoint"], s["xks"]["UriPath"]) == uri for s in here):
                raise KmsError("XksProxyUriInUseException", "The XKS proxy URI is already used by a custom key store")
        _stores[store["id"]] = store
    return {"CustomKeyStoreId": store["id"]}


def _store_entry(store):
    entry = {"CustomKeyStoreId": store["id"], "CustomKeyStoreName": store["name"],
             "CustomKeyStoreType": store["type"], "ConnectionState": store["state"],
             "CreationDate": store["created"]}
    if store["state"] == "FAILED":
        entry["ConnectionErrorCode"] = store["error"]
    if store["type"] == HSM:
        entry["CloudHsmClusterId"] = store["cluster_id"]
        entry["TrustAnchorCertificate"] = store["trust_anchor"]
    else:
        entry["XksProxyConfiguration"] = dict(store["xks"])
    return entry


@_answer
def describe_custom_key_stores(params, region):
    store_id, name = params.get("CustomKeyStoreId"), params.get("CustomKeyStoreName")
    if store_id and name:
        raise KmsError("ValidationException", "Specify CustomKeyStoreId or CustomKeyStoreName, not both")
    with _stores_lock:
        stores = sorted((s for s in _stores.values() if _in_scope(s, region)), key=lambda s: (s["created"], s["id"]))
        if store_id:
            stores = [s for s in stores if s["id"] == store_id]
        if name:
            stores = [s for s in stores if s["name"] == name]
        if (store_id or name) and not stores:
            raise KmsError("CustomKeyStoreNotFoundException", f"Custom key store {store_id or name} does not exist")
        entries = [_store_entry(s) for s in stores]
    page, truncated, marker = _page(entries, params, 1000, 1000)
    return _paged({"CustomKeyStores": page}, truncated, marker)


@_answer
def connect_custom_key_store(params, region):
    with _stores_lock:
        store = _store(params.get("CustomKeyStoreId"), region)
        if store["state"] in ("DISCONNECTING", "FAILED"):
            raise KmsError("CustomKeyStoreInvalidStateException",
                           f"Custom key store {store['id']} is {store['state']}: disconnect it before connecting")
        if store["state"] == "DISCONNECTED":
            store["state"], store["error"] = "CONNECTED", None
    return {}


@_answer
def disconnect_custom_key_store(params, region):
    with _stores_lock:
        store = _store(params.get("CustomKeyStoreId"), region)
        if store["state"] in ("DISCONNECTED", "DISCONNECTING"):
            raise KmsError("CustomKeyStoreInvalidStateException",
                           f"Custom key store {store['id']} is already {store['state']}")
        store["state"], store["error"] = "DISCONNECTED", None
    return {}


@_answer
def delete_custom_key_store(params, region):
    with _stores_lock:
        store = _store(params.get("CustomKeyStoreId"), region)
        if store["state"] != "DISCONNECTED":
            raise KmsError("CustomKeyStoreInvalidStateException",
                           f"Custom key store {store['id']} is {store['state']}: disconnect it before deleting")
        if any(getattr(k, "_atrest_custom_key_store_id", None) == store["id"] for k in _backend(region).keys.values()):
            raise KmsError("CustomKeyStoreHasCMKsException", f"Custom key store {store['id']} still holds KMS keys")
        del _stores[store["id"]]
    return {}


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
    ("kms", "DeleteImportedKeyMaterial"): delete_imported_key_material,
    ("kms", "ScheduleKeyDeletion"): schedule_key_deletion,
    ("kms", "CancelKeyDeletion"): cancel_key_deletion,
    ("kms", "GetKeyPolicy"): get_key_policy,
    ("kms", "PutKeyPolicy"): put_key_policy,
    ("kms", "EnableKeyRotation"): enable_key_rotation,
    ("kms", "DisableKeyRotation"): disable_key_rotation,
    ("kms", "GetKeyRotationStatus"): get_key_rotation_status,
    ("kms", "ListKeys"): list_keys,
    ("kms", "ListAliases"): list_aliases,
    ("kms", "ReplicateKey"): replicate_key,
    ("kms", "CreateCustomKeyStore"): create_custom_key_store,
    ("kms", "DescribeCustomKeyStores"): describe_custom_key_stores,
    ("kms", "ConnectCustomKeyStore"): connect_custom_key_store,
    ("kms", "DisconnectCustomKeyStore"): disconnect_custom_key_store,
    ("kms", "DeleteCustomKeyStore"): delete_custom_key_store,
}


# ---------------------------------------------------------------- admin

def _admin_error(message):
    return Response(json.dumps({"message": message}), status=400, mimetype="application/json")


def _force_store_state(config):
    state, error = config.get("connectionState"), config.get("connectionErrorCode")
    if state not in CONNECTION_STATES:
        return _admin_error(f"connectionState must be one of {list(CONNECTION_STATES)}")
    if state == "FAILED" and error not in CONNECTION_ERROR_CODES:
        return _admin_error(f"FAILED needs a connectionErrorCode, one of {list(CONNECTION_ERROR_CODES)}")
    if state != "FAILED" and error is not None:
        return _admin_error("only a FAILED store has a connectionErrorCode")
    with _stores_lock:
        store = _stores.get(config.get("customKeyStoreId"))
        if store is None:
            return Response(json.dumps({"message": "no such custom key store"}), status=404,
                            mimetype="application/json")
        store["state"], store["error"] = state, error
    return Response(status=204)


def _move_valid_to(config):
    try:
        key = _key(config.get("region") or "us-east-1", config.get("keyId"))
        valid_to = _timestamp(config.get("validTo"), "validTo")
    except KmsError as e:
        return _admin_error(e.message)
    if getattr(key, "_atrest_expiration_model", None) != "KEY_MATERIAL_EXPIRES":
        return _admin_error(f"{key.arn} has no imported key material that expires")
    key._atrest_valid_to = valid_to
    _expire_if_due(key)
    return Response(json.dumps({"KeyState": key.key_state}), mimetype="application/json")


def admin(path, method, body):
    if method != "POST" or path not in ("/_atrest/kms/custom-key-store-state", "/_atrest/kms/key-material-valid-to"):
        return None
    try:
        config = json.loads(body or b"{}")
    except ValueError:
        return _admin_error("body is not JSON")
    if not isinstance(config, dict):
        return _admin_error("body must be a JSON object")
    if path == "/_atrest/kms/custom-key-store-state":
        return _force_store_state(config)
    return _move_valid_to(config)
