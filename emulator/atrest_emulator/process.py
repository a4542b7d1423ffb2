"""Starts the emulator as a child process on a free loopback port; used by the pytest fixtures, the demo and
the benchmarks (the Java tests have their own starter, dev.atrest.testing.Emulator)."""
import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

EMULATOR_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# moto serves this many requests without authentication before it enforces IAM: the three that create the
# administrator (create_admin).
ADMIN_SETUP_REQUESTS = 3
ADMIN_USER = "atrest-admin"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running(log_path, python=sys.executable, timeout=60, iam=False, plain=False):
    """Yields the endpoint URL of a ready emulator; stops it on exit. Raises if it cannot start.

    iam=True starts it with IAM enforced (moto's INITIAL_NO_AUTH_ACTION_COUNT): every request but the first
    ADMIN_SETUP_REQUESTS must be signed by an identity whose policies allow it; create_admin() makes the first one.
    plain=True starts moto's own server without atrest's extensions (to pin what moto alone does)."""
    port = free_port()
    env = dict(os.environ, PYTHONPATH=EMULATOR_DIR, MOTO_EC2_LOAD_DEFAULT_AMIS="false")
    env.pop("INITIAL_NO_AUTH_ACTION_COUNT", None)
    if iam:
        env["INITIAL_NO_AUTH_ACTION_COUNT"] = str(ADMIN_SETUP_REQUESTS)
    command = ([python, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)] if plain
               else [python, "-m", "atrest_emulator", "--port", str(port)])
    ready = "/moto-api/data.json" if plain else "/_atrest/health"
    with open(log_path, "wb") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"emulator exited with {proc.returncode}: {open(log_path).read()[-4000:]}")
            try:
                urllib.request.urlopen(url + ready, timeout=2)
                break
            except OSError:
                if time.time() > deadline:
                    raise RuntimeError(f"emulator not ready after {timeout}s: {open(log_path).read()[-4000:]}")
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def reset(url):
    urllib.request.urlopen(urllib.request.Request(url + "/moto-api/reset", method="POST"))


def allow_unauthenticated(url, requests):
    """Sets moto's allowance of requests served before IAM is enforced and restarts its count (float("inf"): never
    enforce, the default of an emulator started without iam=True)."""
    # Not a form (urllib's default type): moto reads the number from the raw body.
    request = urllib.request.Request(url + "/moto-api/reset-auth", data=str(requests).encode(), method="POST",
                                     headers={"Content-Type": "text/plain"})
    urllib.request.urlopen(request).read()


def create_admin(url, region="us-east-1"):
    """Creates an IAM user allowed everything and returns its credentials as boto3 takes them
    (aws_access_key_id, aws_secret_access_key). It is made within moto's allowance of unauthenticated requests,
    which this first sets again (POST /moto-api/reset-auth, moto's own switch; it also restarts the count): after a
    /moto-api/reset the emulator enforces IAM and knows no identity at all."""
    import boto3
    allow_unauthenticated(url, ADMIN_SETUP_REQUESTS)
    iam = boto3.client("iam", endpoint_url=url, region_name=region, aws_access_key_id="setup",
                       aws_secret_access_key="setup")
    iam.create_user(UserName=ADMIN_USER)
    iam.put_user_policy(UserName=ADMIN_USER, PolicyName="everything", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
    key = iam.create_access_key(UserName=ADMIN_USER)["AccessKey"]
    return {"aws_access_key_id": key["AccessKeyId"], "aws_secret_access_key": key["SecretAccessKey"]}
