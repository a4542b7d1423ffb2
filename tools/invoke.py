#!/usr/bin/env python3
"""Docker-free `sam local invoke`: runs a function's `sam build` artifact in a fresh JVM through the real Lambda Java
runtime interface client (RIC), against a small local implementation of the Lambda Runtime API.

    python tools/invoke.py S3ReencryptFunction events/s3-put.json

The function's environment comes from template.yaml (Globals + the function's own variables, parameters at their
defaults); a variable the caller has set in its own environment overrides the template's value (e.g. DRY_RUN,
TARGET_KMS_KEY_ARN), and the caller's AWS_* settings (AWS_ENDPOINT_URL, credentials, region) are passed through.
Template parameters can be overridden with ATREST_PARAM_<Name>=value; a variable the template takes from a parameter
(DRY_RUN: !Ref DryRun) sets that parameter too when the caller sets it, unless ATREST_PARAM_<Name> is given.

--as-function-role (or ATREST_AS_FUNCTION_ROLE=1), against the local emulator with IAM enforced: the function runs
with the credentials of its own role, created in the emulator from the built template's policy for it with the
parameters in force (tools/function_role.py); the caller's credentials must be allowed to create and assume it.
For tests only, ATREST_ROLE_WITHOUT_ACTIONS=a,b takes those actions out of that policy.

The function runs in the account of the caller's credentials (STS GetCallerIdentity; 123456789012 when that cannot
be asked): its invoked function ARN names that account, as Lambda's does, and the functions act only on it.

The handler's JSON response goes to stdout; the function's own output (logs) to stderr. Exit status: 0 on success,
1 when the function returned an error, 2 when it failed to initialise, crashed or timed out.
"""
import argparse
import http.server
import json
import os
import re
import subprocess
import sys
import threading
import time
import uuid

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_ACCOUNT = "123456789012"
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


ACCOUNT_ID = "123456789012"
STACK_NAME = "atrest-local"
# AWS::NoValue: removes the list item or property it stands for.
NO_VALUE = object()

# How a resource of the template is named and addressed locally, for Ref (None) and Fn::GetAtt: the property that
# names it, and the format of each attribute ({name}, {region}, {account}, {partition}, {p[Property]} for another
# of its properties). A resource without that property gets CloudFormation's kind of name, <stack>-<logical id>
# (without CloudFormation's random suffix).
RESOURCE_NAMES = {
    "AWS::SQS::Queue": ("QueueName", {None: "https://sqs.{region}.amazonaws.com/{account}/{name}",
                                      "QueueUrl": "https://sqs.{region}.amazonaws.com/{account}/{name}",
                                      "Arn": "arn:{partition}:sqs:{region}:{account}:{name}", "QueueName": "{name}"}),
    "AWS::SNS::Topic": ("TopicName", {None: "arn:{partition}:sns:{region}:{account}:{name}",
                                      "TopicArn": "arn:{partition}:sns:{region}:{account}:{name}",
                                      "TopicName": "{name}"}),
    "AWS::S3::Bucket": ("BucketName", {None: "{name}", "Arn": "arn:{partition}:s3:::{name}",
                                       "DomainName": "{name}.s3.amazonaws.com"}),
    # A role's unique id is generated (AROA and 17 upper-case letters and digits): a fixed one per logical id. In
    # --as-function-role runs the emulator's own id of the function's role replaces it (function_role.role_id).
    "AWS::IAM::Role": ("RoleName", {None: "{name}", "Arn": "arn:{partition}:iam::{account}:role/{name}",
                                    "RoleId": "AROA{role_id}"}),
    "AWS::Lambda::Function": ("FunctionName", {None: "{name}",
                                               "Arn": "arn:{partition}:lambda:{region}:{account}:function:{name}"}),
    "AWS::Serverless::Function": ("FunctionName", {None: "{name}",
                                                   "Arn": "arn:{partition}:lambda:{region}:{account}:function:{name}"}),
    "AWS::Lambda::Alias": ("Name", {None: "arn:{partition}:lambda:{region}:{account}:function:"
                                          "{p[FunctionName]}:{name}"}),
    "AWS::Events::Rule": ("Name", {None: "{name}", "Arn": "arn:{partition}:events:{region}:{account}:rule/{name}"}),
    "AWS::Logs::LogGroup": ("LogGroupName", {None: "{name}",
                                             "Arn": "arn:{partition}:logs:{region}:{account}:log-group:{name}:*"}),
    "AWS::Scheduler::ScheduleGroup": ("Name", {None: "{name}", "Arn": "arn:{partition}:scheduler:{region}:{account}:"
                                                                      "schedule-group/{name}"}),
    "AWS::DynamoDB::Table": ("TableName", {None: "{name}",
                                           "Arn": "arn:{partition}:dynamodb:{region}:{account}:table/{name}"}),
    # A key's id is generated: a fixed one per logical id.
    "AWS::KMS::Key": (None, {None: "{key_id}", "KeyId": "{key_id}",
                             "Arn": "arn:{partition}:kms:{region}:{account}:key/{key_id}"}),
}


class TemplateEnvironment:
    """A CloudFormation or SAM template with its parameters in force (the defaults, then `overrides`) in one region
    of the local account: resolves intrinsic functions (Ref, Fn::Sub, Fn::Join, Fn::Split, Fn::Select, Fn::If,
    Fn::GetAtt, Fn::FindInMap, the condition functions, pseudo parameters, AWS::NoValue) as CloudFormation would."""

    def __init__(self, template_path, region, overrides, template=None):
        if template is None:
            with open(template_path) as f:
                template = yaml.load(f, Loader=_CfnLoader)
        self.template = template
        self.region = region
        self.overrides = dict(overrides)
        self.params = {}
        for name, spec in self.template.get("Parameters", {}).items():
            value = overrides.get(name, spec.get("Default", ""))
            if spec.get("Type") == "CommaDelimitedList":
                value = [v.strip() for v in str(value).split(",")] if value != "" else []
            self.params[name] = value
        self.pseudo = {"AWS::Region": region, "AWS::AccountId": ACCOUNT_ID, "AWS::Partition": "aws",
                       "AWS::StackName": STACK_NAME, "AWS::URLSuffix": "amazonaws.com",
                       "AWS::StackId": f"arn:aws:cloudformation:{region}:{ACCOUNT_ID}:stack/{STACK_NAME}/"
                                       "00000000-0000-4000-8000-000000000000",
                       "AWS::NotificationARNs": [], "AWS::NoValue": NO_VALUE}
        self._conditions = {}

    def with_overrides(self, more):
        """The same template with more parameter values."""
        return TemplateEnvironment(None, self.region, {**self.overrides, **more}, template=self.template)

    def function(self, logical_id):
        resource = self.template.get("Resources", {}).get(logical_id)
        if not resource or resource.get("Type") != "AWS::Serverless::Function":
            names = [k for k, v in self.template["Resources"].items() if v.get("Type") == "AWS::Serverless::Function"]
            raise SystemExit(f"invoke: no function {logical_id!r} in template.yaml; functions: {', '.join(names)}")
        globals_fn = self.template.get("Globals", {}).get("Function", {})
        props = dict(globals_fn)
        props.update(resource.get("Properties", {}))
        env = {}
        for k, v in self._variables(logical_id).items():
            value = self.resolve(v)
            if value is not NO_VALUE:
                env[k] = value
        return props, {k: _stringify(v) for k, v in env.items()}

    def role_id_variables(self, logical_id):
        """The function's variables set to its own role's unique id (!GetAtt <Function>Role.RoleId)."""
        role = f"{logical_id}Role"
        found = []
        for k, v in self._variables(logical_id).items():
            target = v.get("Fn::GetAtt") if isinstance(v, dict) else None
            if isinstance(target, str):
                target = target.split(".", 1)
            if target and list(target) == [role, "RoleId"]:
                found.append(k)
        return found

    def parameters_behind(self, logical_id):
        """{variable: parameter} for the function's variables that stand for a parameter: exactly !Ref Name, or
        !If [Condition, <other>, !Ref Name] (TARGET_KMS_KEY_ARN: the given key, unless the stack creates one).
        A caller's value for the variable is then the parameter's, so the role's policy names what the function
        uses; main() keeps only the values the parameter indeed passes through to the variable."""
        behind = {}
        for k, v in self._variables(logical_id).items():
            if isinstance(v, dict) and list(v) == ["Fn::If"] and isinstance(v["Fn::If"], list) \
                    and len(v["Fn::If"]) == 3:
                v = v["Fn::If"][2]
            if isinstance(v, dict) and list(v) == ["Ref"] and v["Ref"] in self.params:
                behind[k] = v["Ref"]
        return behind

    def implied_parameters(self, logical_id, environ):
        """{parameter: value} the caller's variables set (DRY_RUN=false sets DryRun), unless the parameter is given
        itself (ATREST_PARAM_<Name>). A value another condition would not pass through (TARGET_KMS_KEY_ARN="" with
        CreateTargetKey=true) sets no parameter: the caller's variable still reaches the function, whose
        configuration check then judges it."""
        behind = self.parameters_behind(logical_id)
        given = {var: param for var, param in behind.items() if var in environ and param not in self.overrides}
        implied = {param: environ[var] for var, param in given.items()}
        passes = self.with_overrides(implied).function(logical_id)[1]
        return {param: value for param, value in implied.items()
                if all(passes.get(var) == value for var, p in given.items() if p == param)}

    def _variables(self, logical_id):
        merged = {}
        globals_fn = self.template.get("Globals", {}).get("Function", {})
        for source in (globals_fn, self.template["Resources"][logical_id].get("Properties", {})):
            merged.update(source.get("Environment", {}).get("Variables", {}))
        return merged

    # ---------------------------------------------------------------- intrinsic functions

    def resolve(self, value):
        """The value with every intrinsic function resolved; NO_VALUE where it is AWS::NoValue (items and properties
        that resolve to it are removed from lists and maps)."""
        if isinstance(value, list):
            items = (self.resolve(v) for v in value)
            return [v for v in items if v is not NO_VALUE]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            (name, arg), = value.items()
            if name == "Ref":
                return self._ref(arg)
            if name.startswith("Fn::"):
                handler = self._FUNCTIONS.get(name)
                if handler is None:
                    raise SystemExit(f"invoke: {name} is not supported locally")
                return handler(self, arg)
        resolved = {k: self.resolve(v) for k, v in value.items()}
        return {k: v for k, v in resolved.items() if v is not NO_VALUE}

    def condition(self, name):
        """The truth of one of the template's Conditions."""
        if name not in self._conditions:
            spec = self.template.get("Conditions", {}).get(name)
            if spec is None:
                raise SystemExit(f"invoke: no condition {name!r} in the template")
            self._conditions[name] = self._truth(spec)
        return self._conditions[name]

    def _truth(self, expression):
        if isinstance(expression, dict) and list(expression) == ["Condition"]:
            return self.condition(expression["Condition"])
        value = self.resolve(expression)
        if not isinstance(value, bool):
            raise SystemExit(f"invoke: {expression!r} is not a condition")
        return value

    def _ref(self, name):
        if name in self.params:
            return self.params[name]
        if name in self.pseudo:
            return self.pseudo[name]
        if name in self.template.get("Resources", {}):
            return self.physical(name)
        function, _, alias = name.partition(".")
        if alias == "Alias" and self.template.get("Resources", {}).get(function, {}).get("Type") \
                == "AWS::Serverless::Function":
            # SAM's <Function>.Alias: the function's AutoPublishAlias ("live" from Globals).
            props = {**self.template.get("Globals", {}).get("Function", {}),
                     **self.template["Resources"][function].get("Properties", {})}
            return f"{self.physical(function, 'Arn')}:{props.get('AutoPublishAlias', 'live')}"
        raise SystemExit(f"invoke: cannot resolve !Ref {name} locally")

    def physical(self, logical_id, attribute=None):
        """What Ref (attribute None) or Fn::GetAtt gives for a resource of the template, named as RESOURCE_NAMES
        says."""
        resource = self.template["Resources"].get(logical_id) or self._implicit(logical_id)
        kind = resource.get("Type")
        if kind not in RESOURCE_NAMES or attribute not in RESOURCE_NAMES[kind][1]:
            what = f"{logical_id}.{attribute}" if attribute else logical_id
            raise SystemExit(f"invoke: cannot resolve {what} ({kind}) locally: add it to RESOURCE_NAMES")
        name_property, formats = RESOURCE_NAMES[kind]
        props = resource.get("Properties", {})
        if name_property and name_property in props:
            name = _stringify(self.resolve(props[name_property]))
        elif kind == "AWS::Serverless::Function":
            # Run locally under its logical id (main() names the invoked function so): the same name everywhere.
            name = logical_id
        else:
            name = f"{self.pseudo['AWS::StackName']}-{logical_id}"
            name = name.lower() if kind == "AWS::S3::Bucket" else name
        return formats[attribute].format(name=name, region=self.region, account=self.pseudo["AWS::AccountId"],
                                         partition=self.pseudo["AWS::Partition"], p=_Resolving(self, props),
                                         key_id=uuid.uuid5(uuid.NAMESPACE_URL, logical_id),
                                         role_id=uuid.uuid5(uuid.NAMESPACE_URL, logical_id).hex.upper()[:17])

    def _implicit(self, logical_id):
        """A resource SAM adds for a function: <Function>Role, the role of a function that names none."""
        function = logical_id[:-len("Role")] if logical_id.endswith("Role") else None
        resource = self.template["Resources"].get(function) if function else None
        if resource and resource.get("Type") == "AWS::Serverless::Function" \
                and "Role" not in resource.get("Properties", {}):
            return {"Type": "AWS::IAM::Role", "Properties": {}}
        raise SystemExit(f"invoke: no resource {logical_id!r} in the template")

    def _sub(self, arg):
        text, extra = (arg, {}) if isinstance(arg, str) else (arg[0], arg[1])
        variables = {k: self.resolve(v) for k, v in extra.items()}

        def value(match):
            name = match.group(1)
            if name.startswith("!"):
                return "${" + name[1:] + "}"
            if name in variables:
                return _stringify(variables[name])
            if "." in name and name.split(".", 1)[0] in self.template.get("Resources", {}):
                return _stringify(self.physical(*name.split(".", 1)))
            return _stringify(self._ref(name))
        return re.sub(r"\$\{([^}]+)\}", value, text)

    def _join(self, arg):
        separator, items = arg
        values = self.resolve(items)
        return self.resolve(separator).join(_stringify(v) for v in values)

    def _split(self, arg):
        separator, text = arg
        return _stringify(self.resolve(text)).split(self.resolve(separator))

    def _select(self, arg):
        index, items = arg
        return self.resolve(items)[int(self.resolve(index))]

    def _if(self, arg):
        name, if_true, if_false = arg
        return self.resolve(if_true if self.condition(name) else if_false)

    def _getatt(self, arg):
        logical_id, attribute = arg.split(".", 1) if isinstance(arg, str) else arg
        return self.physical(logical_id, self.resolve(attribute))

    def _find_in_map(self, arg):
        name, top, second = (self.resolve(a) for a in arg)
        return self.resolve(self.template["Mappings"][name][top][second])

    def _equals(self, arg):
        left, right = (self.resolve(a) for a in arg)
        return _stringify(left) == _stringify(right)

    def _not(self, arg):
        return not self._truth(arg[0])

    def _and(self, arg):
        return all(self._truth(a) for a in arg)

    def _or(self, arg):
        return any(self._truth(a) for a in arg)

    _FUNCTIONS = {"Fn::Sub": _sub, "Fn::Join": _join, "Fn::Split": _split, "Fn::Select": _select, "Fn::If": _if,
                  "Fn::GetAtt": _getatt, "Fn::FindInMap": _find_in_map, "Fn::Equals": _equals, "Fn::Not": _not,
                  "Fn::And": _and, "Fn::Or": _or}


class _Resolving:
    """A resource's properties, each resolved when a name format asks for it."""

    def __init__(self, env, props):
        self.env = env
        self.props = props

    def __getitem__(self, name):
        return _stringify(self.env.resolve(self.props[name]))


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


def caller_account(region, access_key, secret_key, session_token):
    """The account of the credentials the function gets, as Lambda puts the function's account in its ARN."""
    try:
        import boto3
        from botocore.config import Config
        sts = boto3.client("sts", region_name=region, aws_access_key_id=access_key, aws_secret_access_key=secret_key,
                           aws_session_token=session_token,
                           config=Config(connect_timeout=2, read_timeout=5, retries={"total_max_attempts": 1}))
        return sts.get_caller_identity()["Account"]
    except Exception as e:  # no credentials or no STS to ask: the default account the emulator also uses
        print(f"invoke: could not ask STS for the account ({e.__class__.__name__}); using {DEFAULT_ACCOUNT}",
              file=sys.stderr)
        return DEFAULT_ACCOUNT


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


def role_credentials(args, region, overrides):
    """AWS_* credentials of the function's own role in the emulator (tools/function_role.py)."""
    import botocore.session  # boto3 would only add import time
    import function_role
    endpoint = os.environ.get("AWS_ENDPOINT_URL")
    if not endpoint:
        raise SystemExit("invoke: --as-function-role needs AWS_ENDPOINT_URL (the local emulator, with IAM enforced)")
    without = [a.strip() for a in os.environ.get("ATREST_ROLE_WITHOUT_ACTIONS", "").split(",") if a.strip()]
    return function_role.credentials(args.function, os.path.join(args.build_dir, "template.yaml"), region,
                                     overrides, endpoint, botocore.session.get_session(), without)


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
    parser.add_argument("--as-function-role", action="store_true",
                        default=os.environ.get("ATREST_AS_FUNCTION_ROLE") == "1",
                        help="run with the credentials of the function's own role, made in the emulator from the "
                             "built template (default: ATREST_AS_FUNCTION_ROLE=1)")
    args = parser.parse_args(argv)
    if args.env and not args.handler:
        parser.error("--env is for --handler runs; a template function's environment comes from template.yaml "
                     "(override a variable by setting it in your own environment)")
    if args.as_function_role and args.handler:
        parser.error("--as-function-role is for template functions: a --handler run has no role in the template")

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
        tmpl.function(args.function)  # names the known functions when this is none of them
        implied = tmpl.implied_parameters(args.function, os.environ)
        overrides = {**overrides, **implied}
        tmpl = tmpl.with_overrides(implied)
        props, fn_env = tmpl.function(args.function)
        task_root = os.path.join(args.build_dir, args.function)
    if not os.path.isdir(os.path.join(task_root, "lib")):
        raise SystemExit(f"invoke: no build artifact at {task_root}; run `make sam-build` first")
    if not os.path.isdir(args.ric_dir):
        raise SystemExit(f"invoke: runtime interface client missing at {args.ric_dir}; run `make ric` first")

    timeout = args.timeout or float(props.get("Timeout", 3))
    memory = str(props.get("MemorySize", 128))
    function_name = args.function
    api = RuntimeApi(event, None, timeout)
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
    if args.as_function_role:
        role_started = time.monotonic()
        credentials = role_credentials(args, region, overrides)
        # The emulator made the role: its unique id is the one S3 would name in the function's own writes.
        role_id = credentials.pop("ATREST_ROLE_ID")
        for name in tmpl.role_id_variables(args.function):
            if name not in os.environ:
                env[name] = role_id
        env.update(credentials)
        print(f"invoke: {args.function} runs as its role from the built template "
              f"({(time.monotonic() - role_started) * 1000:.0f} ms to make and assume it)", file=sys.stderr)
    # Served with the first event, once the JVM asks for it.
    account = caller_account(region, env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"],
                             env.get("AWS_SESSION_TOKEN"))
    api.function_arn = f"arn:aws:lambda:{region}:{account}:function:{function_name}"
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
