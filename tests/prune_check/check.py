#!/usr/bin/env python3
"""Differential check of the pruned SDK service jars (tools/prune): the same SDK calls, under the same faults injected
by the emulator (POST /_atrest/faults), run once against a built function's lib/ and once against the same lib/ with
every `*-pruned.jar` swapped back for the original jar from the local Maven repository. Any difference in what a call
returns or throws (the exception class: a modeled AccessDeniedException vs the service's base exception, the retry
count, the throttling flag) fails the check.

The callers (*Calls.java) make the calls the way the functions' gateways do; they are compiled against the pruned jars,
so one that used an operation the function does not use would not even compile. RealEndpoints.java makes the storage
audit's calls against the real AWS endpoints of four partitions and stops each request before it is sent, to compare
the code paths the emulator never runs (endpoint rules, virtual-hosted S3, signing) without any network traffic.

Run by `make prune-check` (part of `make test`), after `make sam-build`.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(ROOT, "emulator"))

from atrest_emulator import process  # noqa: E402

M2 = os.environ.get("MAVEN_REPO", os.path.expanduser("~/.m2/repository"))
SDK_GROUP = os.path.join(M2, "software", "amazon", "awssdk")


def fault(service, status=None, code=None):
    return {"service": service, "status": status, "code": code}


CHECKS = {
    "StorageAuditFunction": ("AuditCalls.java", [
        fault("sts"), fault("sts", 403, "InvalidClientTokenId"), fault("sts", 400, "ExpiredTokenException"),
        fault("ec2"), fault("ec2", 403, "UnauthorizedOperation"), fault("ec2", 503, "RequestLimitExceeded"),
        fault("elasticfilesystem"), fault("elasticfilesystem", 404, "FileSystemNotFound"),
        fault("elasticfilesystem", 400, "BadRequest"), fault("elasticfilesystem", 500, "InternalServerError"),
        fault("elasticfilesystem", 403, "AccessDeniedException"),
        fault("s3"), fault("s3", 404, "NoSuchBucket"), fault("s3", 403, "AccessDenied"), fault("s3", 503, "SlowDown"),
        fault("securityhub"), fault("securityhub", 403, "AccessDeniedException"),
        fault("securityhub", 401, "InvalidAccessException"), fault("securityhub", 429, "LimitExceededException"),
        fault("securityhub", 400, "InvalidInputException"), fault("securityhub", 500, "InternalException"),
        fault("securityhub", 429, "ThrottlingException"),
        fault("kms"), fault("kms", 400, "NotFoundException"), fault("kms", 400, "KMSInvalidStateException"),
        fault("kms", 400, "AccessDeniedException"),
        fault("sns"), fault("sns", 403, "AuthorizationError"), fault("sns", 404, "NotFound"),
        fault("sns", 400, "Throttled"),
    ]),
    "S3ReencryptFunction": ("S3Calls.java", [
        fault("s3"), fault("s3", 404, "NoSuchKey"), fault("s3", 404, "NoSuchBucket"),
        fault("s3", 412, "PreconditionFailed"), fault("s3", 403, "AccessDenied"),
        fault("s3", 403, "InvalidObjectState"), fault("s3", 404, "NoSuchUpload"), fault("s3", 503, "SlowDown"),
        fault("s3", 501, "NotImplemented"),
        fault("kms"), fault("kms", 400, "NotFoundException"), fault("kms", 400, "DisabledException"),
    ]),
    "KmsRotationFunction": ("KmsCalls.java", [
        fault("kms"), fault("kms", 400, "NotFoundException"), fault("kms", 400, "DisabledException"),
        fault("kms", 400, "KMSInvalidStateException"), fault("kms", 400, "UnsupportedOperationException"),
        fault("kms", 400, "AccessDeniedException"), fault("kms", 400, "ThrottlingException"),
        fault("kms", 503, "DependencyTimeoutException"), fault("kms", 500, "KMSInternalException"),
        fault("kms", 400, "InvalidArnException"),
    ]),
}


def java():
    home = subprocess.run([os.path.join(ROOT, "scripts", "find-jdk.sh")], capture_output=True,
                          text=True).stdout.strip()
    if not home:
        sys.exit("no JDK >= 21 found")
    return os.path.join(home, "bin", "java")


def unpruned_copy(lib, dest):
    """lib/ with each X-V-pruned.jar replaced by the original X-V.jar from the Maven repository."""
    os.makedirs(dest)
    swapped = 0
    for name in sorted(os.listdir(lib)):
        if name.endswith("-pruned.jar"):
            artifact, version = name[:-len("-pruned.jar")].rsplit("-", 1)
            original = os.path.join(SDK_GROUP, artifact, version, f"{artifact}-{version}.jar")
            if not os.path.exists(original):
                sys.exit(f"original of {name} not found at {original}")
            shutil.copy(original, dest)
            swapped += 1
        else:
            shutil.copy(os.path.join(lib, name), dest)
    if not swapped:
        sys.exit(f"{lib} holds no pruned jar: build with `make sam-build` first")


def post(endpoint, path, payload):
    req = urllib.request.Request(endpoint + path, data=json.dumps(payload).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    urllib.request.urlopen(req, timeout=60).read()


def main():
    java_bin = java()
    differences = total = 0
    with tempfile.TemporaryDirectory() as tmp, process.running(os.path.join(tmp, "emulator.log")) as endpoint:
        # Two attempts keep the throttling scenarios short; both sides get the same retry policy.
        env = dict(os.environ, AWS_ENDPOINT_URL=endpoint, AWS_REGION="us-east-1", AWS_ACCESS_KEY_ID="testing",
                   AWS_SECRET_ACCESS_KEY="testing", AWS_RETRY_MODE="standard", AWS_MAX_ATTEMPTS="2")
        for function, (caller, scenarios) in CHECKS.items():
            pruned = os.path.join(ROOT, ".aws-sam", "build", function, "lib")
            original = os.path.join(tmp, function)
            unpruned_copy(pruned, original)
            for sc in scenarios:
                out = {}
                for label, lib in (("original", original), ("pruned", pruned)):
                    process.reset(endpoint)
                    rules = [] if sc["status"] is None else [
                        {"service": sc["service"], "count": -1, "status": sc["status"], "code": sc["code"],
                         "message": "injected"}]
                    post(endpoint, "/_atrest/faults", {"seed": 1, "rules": rules})
                    p = subprocess.run([java_bin, "-cp", os.path.join(lib, "*"), os.path.join(HERE, caller),
                                        sc["service"]], env=env, capture_output=True, text=True, timeout=300)
                    out[label] = p.stdout.strip() + (f"\n(exit {p.returncode}) {p.stderr.strip()[-1500:]}"
                                                     if p.returncode else "")
                same = out["original"] == out["pruned"]
                total += 1
                differences += not same
                print(f"{function} {sc['service']} {sc['status'] or ''} {sc['code'] or 'no fault'}: "
                      f"{'same' if same else 'DIFFERENT'}")
                print("    " + out["pruned"].replace("\n", "\n    "))
                if not same:
                    print("  original:\n    " + out["original"].replace("\n", "\n    "))
    audit = os.path.join(ROOT, ".aws-sam", "build", "StorageAuditFunction", "lib")
    with tempfile.TemporaryDirectory() as tmp:
        original = os.path.join(tmp, "lib")
        unpruned_copy(audit, original)
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_ENDPOINT_URL")}
        for region in ("us-east-1", "eu-central-1", "cn-north-1", "us-gov-west-1"):
            out = {label: subprocess.run([java_bin, "-cp", os.path.join(lib, "*"),
                                          os.path.join(HERE, "RealEndpoints.java"), region],
                                         env=env, capture_output=True, text=True, timeout=300).stdout.strip()
                   for label, lib in (("original", original), ("pruned", audit))}
            same = out["original"] == out["pruned"] and "->" in out["pruned"]
            total += 1
            differences += not same
            print(f"StorageAuditFunction real endpoints {region}: {'same' if same else 'DIFFERENT'}")
            print("    " + out["pruned"].replace("\n", "\n    "))
            if not same:
                print("  original:\n    " + out["original"].replace("\n", "\n    "))
    print(f"{total - differences} passed, {differences} failed")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
