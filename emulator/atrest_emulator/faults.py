"""Fault layer: answers a configured share of requests with an error, delays them or holds them until released, on
the real HTTP path, so the SDK's retry strategy and the callers' race handling are exercised for real.

Faults are applied before any extension runs and before the request takes the S3 write lock (s3_ext.exclusive), so
a delayed or held request never stops other requests: a write can land while a copy is held, which is what makes
races such as "a metadata-only write lands between our HeadObject and our CopyObject" deterministic.

Admin API:
  POST /_atrest/faults  {"seed": 7, "rules": [{"service": "kms", "operation": "EnableKeyRotation",
                          "region": "us-east-1", "bucket": "b", "key": "k",
                          "count": 2 | "rate": 0.2, "status": 400,
                          "code": "ThrottlingException", "message": "Rate exceeded", "delay_ms": 0,
                          "hold": "name", "hold_timeout_ms": 30000}]}
        Replaces every rule (and releases every held request). service/operation/region default to "*" (any);
        bucket and key (S3 only, the key as the client meant it, decoded) match when given. Operations are the names
        the request log shows (e.g. CreateMultipartUpload, CopyObject, UploadPartCopy, CompleteMultipartUpload).
        count: answer the next N matching requests (-1 = all); rate: answer that fraction (with a seeded generator,
        so runs are repeatable). The first matching rule that fires wins.
        delay_ms > 0 waits that long first; status 0 (the default) then lets the request through.
        "hold": "name" stops each request the rule fires for until POST /_atrest/faults/release names it (or until
        hold_timeout_ms, default 30000, has passed: then it goes on and is counted in "hold_timeouts"); then it goes
        on to the rule's status/drop, or to the real handler when there is none.
        "drop": true closes the connection without an answer (the client sees a reset or an empty reply).
        "drop": "after" lets the request be served first, then closes the connection instead of answering: the
        write is committed but its answer is lost, which is what makes a client's retry meet its own write.
  GET  /_atrest/faults  -> {"rules": [...], "injected": N, "matched": N, "delayed": N, "held": {"name": waiting},
                            "released": {"name": N}, "hold_timeouts": N}
  POST /_atrest/faults/release  {"hold": "name"}  releases the requests held under that name now and lets every later
        one through at once (the gate stays open until the rules are replaced); {} releases every name.
        -> {"released": N} (requests that were waiting)
  GET  /_atrest/faults/held?hold=name&count=1&timeout_ms=5000  waits until at least count requests are held under
        name: 200 {"held": N}, or 408 {"held": N} when the time ran out. Lets a test hold request A, do write B, then
        release A, without polling.
  DELETE /_atrest/faults (and /moto-api/reset) clears rules and counters and releases every held request.
"""
import json
import random
import threading
import time
import uuid
from urllib.parse import parse_qs

from werkzeug.wrappers import Response

_lock = threading.Lock()
_changed = threading.Condition(_lock)
_rules = []
_random = random.Random(0)
_stats = {"injected": 0, "matched": 0, "delayed": 0, "hold_timeouts": 0}
_open_gates = set()      # hold names released since the rules were set
_waiting = {}            # hold name -> requests waiting now
_released = {}           # hold name -> requests released by the admin call
_generation = 0          # bumped when the rules are replaced: every waiting request goes on


def reset():
    global _random
    with _lock:
        _rules.clear()
        _random = random.Random(0)
        for k in _stats:
            _stats[k] = 0
        _open_all()


def _open_all():
    """Lets every held request go on (the caller holds _lock)."""
    global _generation
    _generation += 1
    _open_gates.clear()
    _released.clear()
    _changed.notify_all()


def _matches(rule, call, region):
    return (rule.get("service", "*") in ("*", call.service)
            and rule.get("operation", "*") in ("*", call.operation)
            and rule.get("region", "*") in ("*", region)
            and ("bucket" not in rule or rule["bucket"] == call.bucket)
            and ("key" not in rule or rule["key"] == call.key))


def intercept(call, request, region):
    """Applies the first rule that fires for this request: returns an error response, raises DroppedConnection, or
    returns None to let the request through (after any delay or hold)."""
    if call.service is None:
        return None
    chosen = None
    with _lock:
        for rule in _rules:
            if not _matches(rule, call, region):
                continue
            if "count" in rule:
                if rule["count"] == 0:
                    continue
                if rule["count"] > 0:
                    rule["count"] -= 1
            elif _random.random() >= float(rule.get("rate", 1.0)):
                continue
            chosen = dict(rule)
            _stats["matched"] += 1
            break
    if chosen is None:
        return None
    delay = chosen.get("delay_ms", 0)
    if delay:
        with _lock:
            _stats["delayed"] += 1
        time.sleep(delay / 1000.0)
    if chosen.get("hold"):
        _hold(str(chosen["hold"]), float(chosen.get("hold_timeout_ms", 30000)) / 1000.0)
    if chosen.get("drop") == "after":
        with _lock:
            _stats["injected"] += 1
        request.environ[DROP_AFTER] = True
        return None
    if chosen.get("drop"):
        with _lock:
            _stats["injected"] += 1
        raise DroppedConnection()
    status = int(chosen.get("status", 0))
    if status == 0:
        return None
    with _lock:
        _stats["injected"] += 1
    return error_response(call.service, request, status, chosen.get("code", "InternalError"),
                          chosen.get("message", "injected fault"))


def _hold(name, timeout):
    deadline = time.monotonic() + timeout
    with _lock:
        generation = _generation
        if name in _open_gates:
            return
        _waiting[name] = _waiting.get(name, 0) + 1
        _changed.notify_all()
        try:
            while name not in _open_gates and generation == _generation:
                left = deadline - time.monotonic()
                if left <= 0:
                    _stats["hold_timeouts"] += 1
                    return
                _changed.wait(left)
        finally:
            _waiting[name] -= 1
            if not _waiting[name]:
                del _waiting[name]


DROP_AFTER = "atrest.faults.drop_after"


class DroppedConnection(Exception):
    """Raised to make the server close the client's connection without writing a response."""


def error_response(service, request, status, code, message):
    """An error in the wire format the service's SDK parses."""
    request_id = str(uuid.uuid4())
    headers = {"x-amzn-RequestId": request_id, "x-amz-request-id": request_id}
    target = request.headers.get("X-Amz-Target")
    content_type = request.headers.get("Content-Type", "")
    if service == "s3":
        xml = (f"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>{message}</Message>"
               f"<RequestId>{request_id}</RequestId></Error>")
        return Response(xml, status=status, headers=headers, mimetype="application/xml")
    if service == "s3control":
        xml = (f"<?xml version=\"1.0\" encoding=\"UTF-8\"?><ErrorResponse><Error><Code>{code}</Code>"
               f"<Message>{message}</Message></Error><RequestId>{request_id}</RequestId></ErrorResponse>")
        return Response(xml, status=status, headers=headers, mimetype="application/xml")
    if target:
        headers["x-amzn-ErrorType"] = code
        return Response(json.dumps({"__type": code, "message": message}), status=status, headers=headers,
                        mimetype="application/x-amz-json-1.1")
    if content_type.startswith("application/x-www-form-urlencoded"):
        if service == "ec2":
            xml = (f"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Errors><Error><Code>{code}</Code>"
                   f"<Message>{message}</Message></Error></Errors><RequestID>{request_id}</RequestID></Response>")
        else:
            xml = (f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message>"
                   f"</Error><RequestId>{request_id}</RequestId></ErrorResponse>")
        return Response(xml, status=status, headers=headers, mimetype="text/xml")
    headers["x-amzn-ErrorType"] = code
    return Response(json.dumps({"message": message, "Message": message}), status=status, headers=headers,
                    mimetype="application/json")


def _json(value, status=200):
    return Response(json.dumps(value), status=status, mimetype="application/json")


def admin(path, method, body, query=""):
    global _random
    if path == "/_atrest/faults/release" and method == "POST":
        name = json.loads(body or b"{}").get("hold")
        with _lock:
            names = [name] if name is not None else list(_waiting)
            waiting = sum(_waiting.get(n, 0) for n in names)
            for n in names:
                _open_gates.add(str(n))
                _released[str(n)] = _released.get(str(n), 0) + _waiting.get(n, 0)
            _changed.notify_all()
        return _json({"released": waiting})
    if path == "/_atrest/faults/held" and method == "GET":
        args = parse_qs(query)
        name = args.get("hold", [""])[0]
        count = int(args.get("count", ["1"])[0])
        deadline = time.monotonic() + int(args.get("timeout_ms", ["5000"])[0]) / 1000.0
        with _lock:
            while _waiting.get(name, 0) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    return _json({"held": _waiting.get(name, 0)}, status=408)
                _changed.wait(left)
            return _json({"held": _waiting.get(name, 0)})
    if path != "/_atrest/faults":
        return None
    if method == "POST":
        config = json.loads(body or b"{}")
        with _lock:
            _rules.clear()
            _rules.extend(config.get("rules", []))
            _random = random.Random(config.get("seed", 0))
            _open_all()
        return Response(status=204)
    if method == "DELETE":
        reset()
        return Response(status=204)
    with _lock:
        return _json({"rules": _rules, **_stats, "held": dict(_waiting), "released": dict(_released)})
