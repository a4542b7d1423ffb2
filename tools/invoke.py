#!/usr/bin/env python3
"""Docker-free `sam local invoke`: runs a function's `sam build` artifact in a fresh JVM through the real Lambda
Java runtime interface client (RIC), against a small local implementation of the Lambda Runtime API.

    python tools/invoke.py S3ReencryptFunction events/s3-put.json

The function's environment comes from template.yaml (Globals + the function's own variables, parameters at their
defaults); a variable the caller has set in its own environment overrides the template's value (e.g. DRY_RUN,
TARGET_KMS_KEY_ARN), and the caller's AWS_* settings (AWS_ENDPOINT_URL, credentials, region) are passed through.
Template parameters can be overridden with ATREST_PARAM_<Name>=value.

The handler's JSON response goes to stdout; the function's own output (logs) to stderr. Exit status: 0 on success,
1 when the function returned an error, 2 when it failed to initialise, crashed or timed out.
"""
import argparse
import http.server
import json
import os
import subprocess
import sys
import threading
import time
import uuid

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda"
PASS_THROUGH_PREFIXES = ("AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                         "AWS_MAX_ATTEMPTS", "AWS_RETRY_MODE", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")


# ---------------------------------------------------------------- template

class _CfnLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """Reads CloudFormation short-form tags (!Ref, !Sub, ...) as their long form ({"Ref": ...})."""


def _construct_tag(loader, tag_suffix, node):
    name = "Ref" if tag_suffix == "Ref" else f"Fn::{tag_suffix}"
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
        if tag_suffix == "GetAtt":
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {name: value}


_CfnLoader.add_multi_constructor("!", _construct_tag)


class TemplateEnvironment:
    def __init__(self, template_path, region, overrides):
        with open(template_path) as f:
            self.template = yaml.load(f, Loader=_CfnLoader)
        self.region = region
        self.params = {}
        for name, spec in self.template.get("Parameters", {}).items():
            value = overrides.get(name, spec.get("Default", ""))
            if spec.get("Type") == "CommaDelimitedList":
                value = [v.strip() for v in str(value).split(",")] if value != "" else []
            self.params[name] = value
        self.pseudo = {"AWS::Region": region, "AWS::AccountId": "123456789012", "AWS::Partition": "aws",
                       "AWS::StackName": "atrest-local", "AWS::URLSuffix": "amazonaws.com"}

    def function(self, logical_id):
        resource = self.template.get("Resources", {}).get(logical_id)
        if not resource or resource.get("Type") != "AWS::Serverless::Function":
            names = [k for k, v in self.template["Resources"].items() if v.get("Type") == "AWS::Serverless::Function"]
            raise SystemExit(f"invoke: no function {logical_id!r} in template.yaml; functions: {', '.join(names)}")
        globals_fn = self.template.get("Globals", {}).get("Function", {})
        props = dict(globals_fn)
        props.update(resource.get("Properties", {}))
        env = {}
        for source in (globals_fn, resource.get("Properties", {})):
            for k, v in source.get("Environment", {}).get("Variables", {}).items():
                env[k] = self.resolve(v)
        return props, {k: _stringify(v) for k, v in env.items()}

    def local_resource(self, logical_id, attribute=None):
        """A stand-in for what a stack resource resolves to once deployed (a bucket's name, a role's ARN, a function
        alias's ARN), named after the resource; a variable set in the caller's environment replaces it."""
        account, region = self.pseudo["AWS::AccountId"], self.region
        name, _, suffix = logical_id.partition(".")
        resource = self.template.get("Resources", {}).get(name)
        if resource is None:
            return None
        kind = resource.get("Type")
        if kind == "AWS::Serverless::Function" and suffix == "Alias" and attribute is None:
            return f"arn:aws:lambda:{region}:{account}:function:{name}:live"
        if suffix:
            return None
        if kind == "AWS::S3::Bucket" and attribute is None:
            return f"atrest-local-{name.lower()}"[:63]
        if kind == "AWS::IAM::Role" and attribute == "Arn":
            return f"arn:aws:iam::{account}:role/atrest-local-{name}"
        return None

    def resolve(self, value):
        if isinstance(value, dict) and len(value) == 1:
            (fn, arg), = value.items()
            if fn == "Ref":
                if arg in self.params:
                    return self.params[arg]
                if arg in self.pseudo:
                    return self.pseudo[arg]
                local = self.local_resource(arg)
                if local is not None:
                    return local
                raise SystemExit(f"invoke: cannot resolve !Ref {arg} locally")
            if fn == "Fn::GetAtt":
                local = self.local_resource(arg[0], arg[1])
                if local is not None:
                    return local
                raise SystemExit(f"invoke: cannot resolve !GetAtt {'.'.join(arg)} locally")
            if fn == "Fn::Join":
                sep, items = arg
                items = self.resolve(items)
                return self.resolve(sep).join(_stringify(self.resolve(i)) for i in items)
            if fn == "Fn::Sub":
                text, extra = (arg, {}) if isinstance(arg, str) else (arg[0], arg[1])
                names = {**self.pseudo, **{k: _stringify(v) for k, v in self.params.items()},
                         **{k: _stringify(self.resolve(v)) for k, v in extra.items()}}
                for k, v in names.items():
                    text = text.replace("${" + k + "}", _stringify(v))
                return text
            if fn == "Fn::If":
                raise SystemExit("invoke: conditions in environment variables are not supported locally")
        if isinstance(value, list):
            return [self.resolve(v) for v in value]
        return value


def _stringify(value):
    if isinstance(value, list):
        return ",".join(_stringify(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# ---------------------------------------------------------------- runtime API

class RuntimeApi:
    """One invocation's worth of the Lambda Runtime API (2018-06-01)."""

    def __init__(self, event_bytes, function_arn, timeout_s):
        self.event = event_bytes
        self.request_id = str(uuid.uuid4())
        self.function_arn = function_arn
        self.timeout_s = timeout_s
        self.done = threading.Event()
        self.result = None  # ("response" | "error" | "init_error", bytes)
        self.served = False
        api = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _body(self):
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    return self.rfile.read(length)
                if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                    chunks = []
                    while True:
                        size = int(self.rfile.readline().strip() or b"0", 16)
                        if size == 0:
                            self.rfile.readline()
                            break
                        chunks.append(self.rfile.read(size))
                        self.rfile.readline()
                    return b"".join(chunks)
                return b""

            def _reply(self, status, body=b"", headers=None):
                self.send_response(status)
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                if self.path.endswith("/runtime/invocation/next"):
                    if api.served:
                        # The runtime asks for the next event once the first is answered: hold it until we stop it.
                        api.done.wait()
                        time.sleep(3600)
                        return
                    api.served = True
                    deadline_ms = int((time.time() + api.timeout_s) * 1000)
                    self._reply(200, api.event, {
                        "Content-Type": "application/json",
                        "Lambda-Runtime-Aws-Request-Id": api.request_id,
                        "Lambda-Runtime-Deadline-Ms": str(deadline_ms),
                        "Lambda-Runtime-Invoked-Function-Arn": api.function_arn,
                        "Lambda-Runtime-Trace-Id": "Root=1-00000000-000000000000000000000000;Parent=0000000000000000;Sampled=0",
                    })
                else:
                    self._reply(404)

            def do_POST(self):
                body = self._body()
                if self.path.endswith(f"/invocation/{api.request_id}/response"):
                    api.finish("response", body)
                elif self.path.endswith(f"/invocation/{api.request_id}/error"):
                    api.finish("error", body)
                elif self.path.endswith("/init/error"):
                    api.finish("init_error", body)
                else:
                    self._reply(404)
                    return
                self._reply(202, b'{"status":"OK"}', {"Content-Type": "application/json"})

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        # A short poll: shutdown() waits for the loop to notice, and the default half second is most of what the
        # invoke tool would add around the JVM.
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    def finish(self, kind, body):
        if self.result is None:
            self.result = (kind, body)
        self.done.set()

    @property
    def address(self):
        host, port = self.server.server_address[:2]
        return f"{host}:{port}"


# ---------------------------------------------------------------- main

def _cpu_ms(pid):
    """CPU time (user + system, all threads) the JVM used so far: steadier than wall time on a busy machine."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        ticks = int(fields[11]) + int(fields[12])  # utime, stime
        return round(ticks * 1000 / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return None


def _peak_rss_kb(pid):
    """The JVM's high-water resident set (VmHWM), read while it is still alive."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def find_java():
    home = subprocess.run([os.path.join(ROOT, "scripts", "find-jdk.sh")], capture_output=True, text=True)
    if home.returncode != 0:
        raise SystemExit(home.stderr.strip())
    return os.path.join(home.stdout.strip(), "bin", "java")


def handler_environment(items):
    """--env NAME=VALUE items as a dict; the value may itself contain '=' (JVM options do)."""
    env = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise SystemExit(f"invoke: --env wants NAME=VALUE, got {item!r}")
        env[name] = value
    return env


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("function", help="logical id in template.yaml, e.g. S3ReencryptFunction")
    parser.add_argument("event", help="event JSON file ('-' for stdin)")
    parser.add_argument("--template", default=os.path.join(ROOT, "template.yaml"))
    parser.add_argument("--build-dir", default=os.path.join(ROOT, ".aws-sam", "build"))
    parser.add_argument("--ric-dir", default=os.path.join(ROOT, "tools", "ric", "target", "lib"))
    parser.add_argument("--timeout", type=float, help="seconds; default: the function's Timeout")
    parser.add_argument("--handler", help="run this handler from --task-root instead of a template function")
    parser.add_argument("--task-root", help="artifact directory (lib/*.jar) for --handler")
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE",
                        help="a variable of the --handler run's environment (template functions take theirs from "
                             "template.yaml); repeatable")
    parser.add_argument("--stats", help="write {elapsed_ms, peak_rss_kb, outcome} of the run to this JSON file")
    args = parser.parse_args(argv)
    if args.env and not args.handler:
        parser.error("--env is for --handler runs; a template function's environment comes from template.yaml "
                     "(override a variable by setting it in your own environment)")

    event = sys.stdin.buffer.read() if args.event == "-" else open(args.event, "rb").read()
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    overrides = {k[len("ATREST_PARAM_"):]: v for k, v in os.environ.items() if k.startswith("ATREST_PARAM_")}
    if args.handler:
        # A handler outside the template (the benchmarks' references): only the environment given with --env.
        props = {"Handler": args.handler, "Timeout": 60, "MemorySize": 1024}
        fn_env = handler_environment(args.env)
        task_root = args.task_root
    else:
        tmpl = TemplateEnvironment(args.template, region, overrides)
        props, fn_env = tmpl.function(args.function)
        task_root = os.path.join(args.build_dir, args.function)
    if not os.path.isdir(os.path.join(task_root, "lib")):
        raise SystemExit(f"invoke: no build artifact at {task_root}; run `make sam-build` first")
    if not os.path.isdir(args.ric_dir):
        raise SystemExit(f"invoke: runtime interface client missing at {args.ric_dir}; run `make ric` first")

    timeout = args.timeout or float(props.get("Timeout", 3))
    memory = str(props.get("MemorySize", 128))
    function_name = args.function
    function_arn = f"arn:aws:lambda:{region}:123456789012:function:{function_name}"
    api = RuntimeApi(event, function_arn, timeout)
    api.thread.start()

    env = {k: v for k, v in os.environ.items()
           if k in ("PATH", "HOME", "LANG", "TZ", "TMPDIR") or k.startswith(PASS_THROUGH_PREFIXES)}
    for k, v in fn_env.items():
        env[k] = os.environ.get(k, v)  # the caller's value wins
    env.update({
        "AWS_LAMBDA_RUNTIME_API": api.address,
        "AWS_LAMBDA_FUNCTION_NAME": function_name,
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": memory,
        "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{function_name}",
        "AWS_LAMBDA_LOG_STREAM_NAME": "local",
        "AWS_EXECUTION_ENV": "AWS_Lambda_java21",
        "AWS_REGION": region,
        "AWS_DEFAULT_REGION": region,
        "LAMBDA_TASK_ROOT": os.path.abspath(task_root),
        "_HANDLER": props["Handler"],
    })
    env.setdefault("AWS_ACCESS_KEY_ID", "testing")
    env.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    classpath = os.pathsep.join(os.path.join(args.ric_dir, j) for j in sorted(os.listdir(args.ric_dir)))
    cmd = [find_java(), "-cp", classpath, RIC_MAIN, props["Handler"]]
    started = time.monotonic()
    proc = subprocess.Popen(cmd, env=env, stdout=sys.stderr, stderr=sys.stderr, cwd=task_root)
    peak_rss_kb = cpu_ms = None
    try:
        deadline = started + timeout + 30  # JVM start is not part of the function's timeout
        while not api.done.wait(0.01):
            if proc.poll() is not None:
                api.finish("crash", f"the runtime exited with code {proc.returncode}".encode())
                break
            if time.monotonic() > deadline:
                api.finish("timeout", f"no response within {timeout:.0f}s (+30s start-up)".encode())
                break
        elapsed_ms = (time.monotonic() - started) * 1000
        peak_rss_kb = _peak_rss_kb(proc.pid)
        cpu_ms = _cpu_ms(proc.pid)
    finally:
        if proc.poll() is None:
            # The answer is in and the JVM is blocked asking for the next event; everything it printed is already
            # written (its output is our stderr, unbuffered). Lambda would freeze it, not shut it down: stopping it
            # outright spares the invoke the JVM's shutdown hooks (a few hundred ms).
            proc.kill()
            proc.wait()
        api.server.shutdown()
    kind, body = api.result
    print(f"invoke: {function_name} -> {kind} in {elapsed_ms:.0f} ms (JVM start to response)", file=sys.stderr)
    if args.stats:
        with open(args.stats, "w") as f:
            json.dump({"elapsed_ms": round(elapsed_ms, 1), "cpu_ms": cpu_ms, "peak_rss_kb": peak_rss_kb,
                       "outcome": kind}, f)
    if kind == "response":
        sys.stdout.write(body.decode("utf-8"))
        sys.stdout.write("\n")
        return 0
    sys.stderr.write(body.decode("utf-8", "replace") + "\n")
    return 1 if kind == "error" else 2


if __name__ == "__main__":
    sys.exit(main())
