"""Registry of atrest's emulator extensions.

Each extension module (s3_bucket_ext, s3_policy, s3_ext, s3control_ext, s3_seed, kms_ext, ec2_ext, efs_ext, fsx_ext,
securityhub_ext, tagging_ext, account_ext, cfn_resources, cloudformation_ext, ...) defines:
  HANDLERS: dict mapping (service, operation) -> handler(call, request, body, region) returning a
            werkzeug Response to answer the request itself, or None to let moto answer.
  reset():  optional, clears the extension's own state (called on /moto-api/reset).
  admin(path, method, body): optional, answers /_atrest/<ext>/... admin requests or returns None.
  exclusive(call): optional, a lock the request must hold while the extension checks it and moto serves it
            (for conditions AWS evaluates atomically with the write), or None.
"""
import contextlib
import importlib

# s3_bucket_ext first: a request for another account's bucket is refused before any other extension acts on it.
MODULES = ["s3_bucket_ext", "s3_policy", "s3_ext", "s3control_ext", "s3_seed", "kms_ext", "ec2_ext", "efs_ext",
           "fsx_ext", "securityhub_ext", "tagging_ext", "account_ext", "cfn_resources", "cloudformation_ext", "faults"]
_loaded = []


def load_all():
    _loaded.clear()
    for name in MODULES:
        try:
            module = importlib.import_module(f"{__package__}.{name}")
        except ModuleNotFoundError as e:
            if e.name == f"{__package__}.{name}":
                continue  # extension not written (yet)
            raise
        _loaded.append(module)


def dispatch(call, request, body, region):
    for module in _loaded:
        pre = getattr(module, "before", None)
        if pre is not None:
            response = pre(call, request, body, region)
            if response is not None:
                return response
    for module in _loaded:
        handler = getattr(module, "HANDLERS", {}).get((call.service, call.operation))
        if handler is not None:
            response = handler(call, request, body, region)
            if response is not None:
                return response
    return None


def exclusive(call):
    """The lock an extension asks this request to hold from its checks to moto's answer (a no-op otherwise)."""
    for module in _loaded:
        lock = getattr(module, "exclusive", lambda c: None)(call)
        if lock is not None:
            return lock
    return contextlib.nullcontext()


def reset_all():
    for module in _loaded:
        reset = getattr(module, "reset", None)
        if reset is not None:
            reset()


def admin(path, method, body):
    for module in _loaded:
        handler = getattr(module, "admin", None)
        if handler is not None:
            response = handler(path, method, body)
            if response is not None:
                return response
    return None
