"""pytest fixtures shared by the emulator's own tests and the end-to-end tests: a session-wide emulator,
reset before every test, and boto3 clients pointed at it.

A conftest that overrides iam_enforced to return True gets an emulator that enforces IAM: after each reset an
administrator is created (process.create_admin) and `credentials`, `client` and `raw_s3` act as it."""
import json
import re
import urllib.error
import urllib.request
from urllib.parse import urlsplit, urlunsplit

import boto3
import pytest
from botocore.config import Config

from . import process


@pytest.fixture(scope="session")
def iam_enforced():
    """Whether the session's emulator enforces IAM (off: any credentials do)."""
    return False


@pytest.fixture(scope="session")
def endpoint(tmp_path_factory, iam_enforced):
    with process.running(tmp_path_factory.mktemp("emulator") / "emulator.log", iam=iam_enforced) as url:
        yield url


@pytest.fixture(autouse=True)
def reset_emulator(endpoint):
    process.reset(endpoint)
    yield


@pytest.fixture
def credentials(endpoint, iam_enforced, reset_emulator):
    """The identity tests act as, as boto3 takes it: the administrator created after this test's reset when IAM is
    enforced, else the placeholder every SDK needs."""
    if iam_enforced:
        return process.create_admin(endpoint)
    return {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


@pytest.fixture
def client(endpoint, credentials):
    """client("s3") -> a boto3 client against the emulator (path-style, no retries so gaps fail fast)."""
    def make(service, region="us-east-1"):
        made = boto3.client(service, endpoint_url=endpoint, region_name=region, **credentials,
                            config=Config(s3={"addressing_style": "path"}, retries={"total_max_attempts": 1}))
        if service == "s3control":
            made.meta.events.register("before-call.s3-control", without_account_host)
        return made
    return make


def without_account_host(params, **kwargs):
    """S3 Control's endpoint rules put the account id in front of the host ({AccountId}.127.0.0.1), which does not
    resolve; inject_host_prefix=False does not change that. Drop the label before the request is signed."""
    parts = urlsplit(params["url"])
    host = re.sub(r"^\d{12}\.", "", parts.netloc)
    params["url"] = urlunsplit(parts._replace(netloc=host))


@pytest.fixture
def request_log(endpoint):
    def read():
        with urllib.request.urlopen(endpoint + "/_atrest/requests") as r:
            return json.load(r)
    return read


@pytest.fixture
def raw_s3(endpoint, credentials):
    """raw_s3(method, path, body=b"", headers={}) -> (status, headers, body): a SigV4-signed S3 request sent as written,
    for what the SDKs never send (encoded slashes in a bucket name, a PutObject without any checksum)."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    def send(method, path, body=b"", headers=None):
        # urllib would send a body as a form (application/x-www-form-urlencoded), which servers parse away.
        headers = {"Content-Type": "application/octet-stream", **(headers or {})}
        request = AWSRequest(method=method, url=endpoint + path, data=body, headers=headers)
        request.headers["x-amz-content-sha256"] = "UNSIGNED-PAYLOAD"
        SigV4Auth(Credentials(credentials["aws_access_key_id"], credentials["aws_secret_access_key"]), "s3",
                  "us-east-1").add_auth(request)
        prepared = request.prepare()
        sent = urllib.request.Request(prepared.url, data=body if method in ("PUT", "POST") else None, method=method,
                                      headers=dict(prepared.headers))
        try:
            with urllib.request.urlopen(sent) as r:
                return r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()
    return send


def session_credentials(endpoint, account_id, role="OrganizationAccountAccessRole", region="us-east-1"):
    """Credentials of a session in `account_id`: sts:AssumeRole into arn:aws:iam::<account>:role/<role>, which the
    emulator (moto) maps to the role's account, whether or not the role exists."""
    sts = boto3.client("sts", endpoint_url=endpoint, region_name=region, aws_access_key_id="testing",
                       aws_secret_access_key="testing", config=Config(retries={"total_max_attempts": 1}))
    c = sts.assume_role(RoleArn=f"arn:aws:iam::{account_id}:role/{role}", RoleSessionName="atrest-test")["Credentials"]
    return {"aws_access_key_id": c["AccessKeyId"], "aws_secret_access_key": c["SecretAccessKey"],
            "aws_session_token": c["SessionToken"]}


@pytest.fixture
def as_account(endpoint):
    """as_account(account_id) -> client(service, region="us-east-1") acting in that account (see
    session_credentials); the default `client` acts in the emulator's default account, 123456789012."""
    def make(account_id):
        credentials = session_credentials(endpoint, account_id)

        def client(service, region="us-east-1"):
            return boto3.client(service, endpoint_url=endpoint, region_name=region, **credentials,
                                config=Config(s3={"addressing_style": "path"}, retries={"total_max_attempts": 1}))
        return client
    return make


def make_organization(organizations, layout):
    """An organisation of the caller's account (its management account) with `layout`:
    {"OU name": ["account name", ...], "OU name/child OU": [...], "": [accounts under the root]}. Returns
    (root id, {OU path: OU id}, {account name: account id})."""
    organizations.create_organization(FeatureSet="ALL")
    root = organizations.list_roots()["Roots"][0]["Id"]
    ous, accounts = {"": root}, {}
    for path in sorted(layout, key=lambda p: p.count("/") if p else -1):
        if path and path not in ous:
            parent, _, name = path.rpartition("/")
            ous[path] = organizations.create_organizational_unit(ParentId=ous[parent], Name=name)[
                "OrganizationalUnit"]["Id"]
        for name in layout[path]:
            request = organizations.create_account(Email=f"{name}@example.com", AccountName=name)
            account = organizations.describe_create_account_status(
                CreateAccountRequestId=request["CreateAccountStatus"]["Id"])["CreateAccountStatus"]["AccountId"]
            if path:
                organizations.move_account(AccountId=account, SourceParentId=root, DestinationParentId=ous[path])
            accounts[name] = account
    return root, ous, accounts
