"""Fault layer: answers a configured share of requests with an error or delays them, on the real HTTP path,
so the SDK's retry strategy is exercised for real.

Admin API:
  POST /_atrest/faults  {"seed": 7, "rules": [{"service": "kms", "operation": "EnableKeyRotation",
                          "region": "us-east-1", "count": 2 | "rate": 0.2, "status": 400,
                          "code": "ThrottlingException", "message": "Rate exceeded", "delay_ms": 0}]}
        service/operation/region default to "*" (any). count: answer the next N matching requests
        (-1 = all); rate: answer that fraction (with a seeded generator, so runs are repeatable).
        status 0 with delay_ms > 0 only adds latency and lets the request through.
        "drop": true closes the connection without an answer (the client sees a reset or an empty reply).
        "drop": "after" lets the request be served first, then closes the connection instead of answering: the
        write is committed but its answer is lost, which is what makes a client's retry meet its own write.
  GET  /_atrest/faults  -> {"rules": [...], "injected": N, "matched": N}
  DELETE /_atrest/faults (and /moto-api/reset) clears rules and counters.
"""
import json
import random
import threading
import time
import uuid

from werkzeug.wrappers import Response

_lock = threading.Lock()
_rules = []
_random = random.Random(0)
_stats = {"injected": 0, "matched": 0, "delayed": 0}


def reset():
    global _random
    with _lock:
        _rules.clear()
        _random = random.Random(0)
        for k in _stats:
            _stats[k] = 0


def _matches(rule, call, region):
    return (rule.get("service", "*") in ("*", call.service)
            and rule.get("operation", "*") in ("*", call.operation)
            and rule.get("region", "*") in ("*", region))


def before(call, request, body, region):
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


def admin(path, method, body):
    global _random
    if path != "/_atrest/faults":
        return None
    if method == "POST":
        config = json.loads(body or b"{}")
        with _lock:
            _rules.clear()
            _rules.extend(config.get("rules", []))
            _random = random.Random(config.get("seed", 0))
        return Response(status=204)
    if method == "DELETE":
        reset()
        return Response(status=204)
    with _lock:
        return Response(json.dumps({"rules": _rules, **_stats}), mimetype="application/json")
