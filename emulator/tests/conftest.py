"""The emulator's fixtures (atrest_emulator/fixtures.py): endpoint, client, request_log; plus plain_client, a
client of moto's own server without atrest's extensions, for the tests that pin what moto alone does."""
import os
import sys

import boto3
import pytest
from botocore.config import Config

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from atrest_emulator import process  # noqa: E402
from atrest_emulator.fixtures import *  # noqa: E402,F401,F403


@pytest.fixture(scope="session")
def plain_endpoint(tmp_path_factory):
    with process.running(tmp_path_factory.mktemp("moto") / "moto.log", plain=True) as url:
        yield url


@pytest.fixture
def plain_client(plain_endpoint):
    """plain_client("kms") -> a boto3 client against plain moto 5.2.1, reset before the test."""
    process.reset(plain_endpoint)

    def make(service, region="us-east-1"):
        return boto3.client(service, endpoint_url=plain_endpoint, region_name=region,
                            aws_access_key_id="testing", aws_secret_access_key="testing",
                            config=Config(s3={"addressing_style": "path"}, retries={"total_max_attempts": 1}))
    return make
