"""The WSGI application: moto's dispatcher behind a middleware that classifies every request (service,
operation), authorises it (authorization.py: IAM, once moto's INITIAL_NO_AUTH_ACTION_COUNT allowance is used up),
lets atrest's extensions answer the operations moto gets wrong, and records each request."""
import io
import json
import socket
import re
import threading
import time

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.wrappers import Request, Response

from . import accounts, authorization, extensions, faults
from .classify import classify

_CREDENTIAL = re.compile(r"Credential=[^/]+/\d{8}/([^/]+)/([^/]+)/aws4_request")


class RequestLog:
    """Every request the emulator answered, so tests and benchmarks count real HTTP calls."""

    def __init__(self):
        self._lock = threading.Lock()
        self._entries = []

    def add(self, entry):
        with self._lock:
            self._entries.append(entry)

    def snapshot(self):
        with self._lock:
            return list(self._entries)

    def clear(self):
        with self._lock:
            self._entries.clear()


class EmulatorApp:
    def __init__(self):
        self.moto = DomainDispatcherApplication(create_backend_app)
        self.log = RequestLog()

    def __call__(self, environ, start_response):
        body = _read_body(environ)
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        path = environ.get("PATH_INFO", "")
        account = accounts.of_request(environ)
        accounts.bind(account)

        if path.startswith("/_atrest/"):
            return self._admin(environ, body, start_response)
        if path == "/moto-api/reset":
            extensions.reset_all()
            self.log.clear()

        region, service = _scope(environ)
        call = classify(service, environ, body)
        request = Request(environ)
        started = time.monotonic()
        status_holder = {}

        def recording_start_response(status, headers, exc_info=None):
            hidden = authorization.hidden_absence(environ, int(status.split(" ", 1)[0]), headers)
            if hidden is not None:
                status, headers, status_holder["body"] = hidden
            status_holder["status"] = int(status.split(" ", 1)[0])
            return start_response(status, headers, exc_info)

        # Authorisation first, as AWS does; then faults, outside the write lock: a delayed or held request must not
        # stop the others.
        try:
            denied = authorization.authorize(call, request, body, region)
            response = denied if denied is not None else faults.intercept(call, request, region)
            with extensions.exclusive(call):
                if response is None:
                    response = extensions.dispatch(call, request, body, region)
                result = self._answer(response, environ, body, recording_start_response)
                if "body" in status_holder:
                    result = [status_holder["body"]]
        except faults.DroppedConnection:
            _drop(environ)
            self.log.add({"service": call.service, "operation": call.operation,
                          "method": environ.get("REQUEST_METHOD"), "path": path,
                          "query": environ.get("QUERY_STRING", ""), "region": region, "account": account,
                          "client": _client(environ),
                          "status": None, "extension": True, "dropped": True, "ms": 0})
            return []
        finally:
            authorization.done()
        if environ.get(faults.DROP_AFTER):
            # The request was served (the write is committed); its answer is thrown away with the connection.
            _drop(environ)
            self.log.add({"service": call.service, "operation": call.operation,
                          "method": environ.get("REQUEST_METHOD"), "path": path,
                          "query": environ.get("QUERY_STRING", ""), "region": region, "account": account,
                          "client": _client(environ),
                          "status": status_holder.get("status"), "extension": response is not None,
                          "dropped": "after", "ms": round((time.monotonic() - started) * 1000, 2)})
            return []
        if service is not None:
            self.log.add({
                "service": call.service,
                "operation": call.operation,
                "method": environ.get("REQUEST_METHOD"),
                "path": path,
                "query": environ.get("QUERY_STRING", ""),
                "region": region,
                "account": account,
                "client": _client(environ),
                "status": status_holder.get("status"),
                "extension": response is not None and denied is None,
                "denied": denied is not None,
                "authorization": environ.get(authorization.DECISION),
                "ms": round((time.monotonic() - started) * 1000, 2),
            })
        return result

    def _answer(self, response, environ, body, start_response):
        """The extension's response or moto's, read to the end while the request still holds its lock (so a write
        is complete before another request can see the object)."""
        if response is not None:
            result = response(environ, start_response)
        else:
            environ["wsgi.input"] = io.BytesIO(body)
            result = self.moto(environ, start_response)
        try:
            return [b"".join(result)]
        finally:
            getattr(result, "close", lambda: None)()

    def _admin(self, environ, body, start_response):
        path = environ["PATH_INFO"]
        method = environ.get("REQUEST_METHOD")
        if path == "/_atrest/requests" and method == "GET":
            resp = Response(json.dumps(self.log.snapshot()), mimetype="application/json")
        elif path == "/_atrest/requests" and method == "DELETE":
            self.log.clear()
            resp = Response(status=204)
        elif path == "/_atrest/health":
            resp = Response(json.dumps({"status": "ok"}), mimetype="application/json")
        elif path.startswith("/_atrest/faults"):
            handled = faults.admin(path, method, body, environ.get("QUERY_STRING", ""))
            resp = handled if handled is not None else Response("unknown admin path", status=404)
        else:
            handled = extensions.admin(path, method, body)
            resp = handled if handled is not None else Response("unknown admin path", status=404)
        return resp(environ, start_response)


def _drop(environ):
    """Closes the client socket under the WSGI server (werkzeug's dev server exposes it)."""
    sock = environ.get("werkzeug.socket")
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        sock.close()


def _client(environ):
    """The SDK that sent the request, as the first token of its User-Agent ("aws-sdk-java/2.x", "Boto3/1.x"):
    tells atrest's functions from the local tools and tests that share the emulator with them. Bounded."""
    return (environ.get("HTTP_USER_AGENT") or "").split(" ", 1)[0][:64]


def _read_body(environ):
    stream = environ.get("wsgi.input")
    if stream is None:
        return b""
    length = environ.get("CONTENT_LENGTH")
    if length:
        try:
            return stream.read(int(length))
        except ValueError:
            return b""
    if environ.get("wsgi.input_terminated"):
        return stream.read()
    return b""


def _scope(environ):
    """Region and service from the SigV4 credential scope; (None, None) for unsigned requests."""
    auth = environ.get("HTTP_AUTHORIZATION", "")
    match = _CREDENTIAL.search(auth)
    if not match:
        return None, None
    return match.group(1), match.group(2)


def build_app():
    extensions.load_all()
    return EmulatorApp()
