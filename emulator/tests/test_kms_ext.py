"""kms_ext: KMS rotation, key metadata and ListKeys paging as the AWS documentation describes them."""
import datetime

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError


@pytest.fixture
def unvalidated_kms(endpoint):
    """A KMS client that sends out-of-range values, so the server's own validation is what is tested."""
    return boto3.client("kms", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing",
                        aws_secret_access_key="testing",
                        config=Config(parameter_validation=False, retries={"total_max_attempts": 1}))


def _code(err):
    return err.value.response["Error"]["Code"]


def _symmetric(kms, **kwargs):
    return kms.create_key(**kwargs)["KeyMetadata"]


def test_rotation_period_is_stored_and_returned_with_next_rotation_date(client):
    kms = client("kms")
    key = _symmetric(kms)
    before = datetime.datetime.now(datetime.timezone.utc)
    kms.enable_key_rotation(KeyId=key["KeyId"], RotationPeriodInDays=180)
    status = kms.get_key_rotation_status(KeyId=key["Arn"])
    assert status["KeyRotationEnabled"] is True
    assert status["RotationPeriodInDays"] == 180
    assert status["KeyId"] == key["Arn"]
    delta = status["NextRotationDate"] - before
    assert datetime.timedelta(days=179, hours=23) < delta < datetime.timedelta(days=180, minutes=5)


def test_rotation_period_defaults_to_365_and_can_be_changed(client):
    kms = client("kms")
    key = _symmetric(kms)
    assert kms.get_key_rotation_status(KeyId=key["KeyId"])["KeyRotationEnabled"] is False
    assert "RotationPeriodInDays" not in kms.get_key_rotation_status(KeyId=key["KeyId"])
    kms.enable_key_rotation(KeyId=key["KeyId"])
    assert kms.get_key_rotation_status(KeyId=key["KeyId"])["RotationPeriodInDays"] == 365
    kms.enable_key_rotation(KeyId=key["KeyId"], RotationPeriodInDays=2560)
    assert kms.get_key_rotation_status(KeyId=key["KeyId"])["RotationPeriodInDays"] == 2560


@pytest.mark.parametrize("period", [89, 2561, 0])
def test_rotation_period_outside_90_to_2560_is_a_validation_error(unvalidated_kms, period):
    kms = unvalidated_kms
    key = _symmetric(kms)
    with pytest.raises(ClientError) as err:
        kms.enable_key_rotation(KeyId=key["KeyId"], RotationPeriodInDays=period)
    assert _code(err) == "ValidationException"
    assert kms.get_key_rotation_status(KeyId=key["KeyId"])["KeyRotationEnabled"] is False


@pytest.mark.parametrize("create", [
    dict(KeySpec="RSA_2048", KeyUsage="ENCRYPT_DECRYPT"),
    dict(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY"),
    dict(KeySpec="HMAC_256", KeyUsage="GENERATE_VERIFY_MAC"),
    dict(Origin="EXTERNAL"),
    dict(Origin="AWS_CLOUDHSM", CustomKeyStoreId="cks-1234567890abcdef0"),
])
def test_keys_that_cannot_rotate_automatically_are_refused(client, create):
    kms = client("kms")
    key = _symmetric(kms, **create)
    for call in (kms.enable_key_rotation, kms.disable_key_rotation):
        with pytest.raises(ClientError) as err:
            call(KeyId=key["KeyId"])
        assert _code(err) == "UnsupportedOperationException"
    assert kms.get_key_rotation_status(KeyId=key["KeyId"])["KeyRotationEnabled"] is False


def test_custom_key_store_and_external_origin_show_in_metadata(client):
    kms = client("kms")
    hsm = _symmetric(kms, Origin="AWS_CLOUDHSM", CustomKeyStoreId="cks-1234567890abcdef0")
    assert kms.describe_key(KeyId=hsm["KeyId"])["KeyMetadata"]["CustomKeyStoreId"] == "cks-1234567890abcdef0"
    external = _symmetric(kms, Origin="EXTERNAL")
    assert external["KeyState"] == "PendingImport" and external["Enabled"] is False
    kms.import_key_material(KeyId=external["KeyId"], ImportToken=b"token", EncryptedKeyMaterial=b"material",
                            ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE")
    assert kms.describe_key(KeyId=external["KeyId"])["KeyMetadata"]["KeyState"] == "Enabled"


def test_key_usage_defaults_to_encrypt_decrypt(client):
    kms = client("kms")
    assert _symmetric(kms)["KeyUsage"] == "ENCRYPT_DECRYPT"


@pytest.mark.parametrize("make_state,state", [
    (lambda kms, k: kms.disable_key(KeyId=k), "Disabled"),
    (lambda kms, k: kms.schedule_key_deletion(KeyId=k, PendingWindowInDays=7), "PendingDeletion"),
])
def test_rotation_changes_need_an_enabled_key(client, make_state, state):
    kms = client("kms")
    key = _symmetric(kms)["KeyId"]
    make_state(kms, key)
    assert kms.describe_key(KeyId=key)["KeyMetadata"]["KeyState"] == state
    for call in (kms.enable_key_rotation, kms.disable_key_rotation):
        with pytest.raises(ClientError) as err:
            call(KeyId=key)
        assert _code(err) == "KMSInvalidStateException"


def test_pending_import_key_refuses_rotation_as_unsupported(client):
    kms = client("kms")
    key = _symmetric(kms, Origin="EXTERNAL")["KeyId"]
    with pytest.raises(ClientError) as err:
        kms.enable_key_rotation(KeyId=key)
    assert _code(err) == "UnsupportedOperationException"


def test_pending_deletion_reports_false_and_cancel_restores_the_setting(client):
    kms = client("kms")
    key = _symmetric(kms)["KeyId"]
    kms.enable_key_rotation(KeyId=key, RotationPeriodInDays=120)
    kms.schedule_key_deletion(KeyId=key, PendingWindowInDays=7)
    assert kms.get_key_rotation_status(KeyId=key)["KeyRotationEnabled"] is False
    kms.cancel_key_deletion(KeyId=key)
    assert kms.describe_key(KeyId=key)["KeyMetadata"]["KeyState"] == "Disabled"
    kms.enable_key(KeyId=key)
    status = kms.get_key_rotation_status(KeyId=key)
    assert status["KeyRotationEnabled"] is True and status["RotationPeriodInDays"] == 120


def test_disable_key_rotation_clears_the_status(client):
    kms = client("kms")
    key = _symmetric(kms)["KeyId"]
    kms.enable_key_rotation(KeyId=key, RotationPeriodInDays=100)
    kms.disable_key_rotation(KeyId=key)
    status = kms.get_key_rotation_status(KeyId=key)
    assert status["KeyRotationEnabled"] is False and "NextRotationDate" not in status


def test_rotation_operations_take_key_id_or_arn_not_alias(client):
    kms = client("kms")
    key = _symmetric(kms)
    kms.create_alias(AliasName="alias/app", TargetKeyId=key["KeyId"])
    with pytest.raises(ClientError) as err:
        kms.enable_key_rotation(KeyId="alias/app")
    assert _code(err) == "NotFoundException"
    assert kms.describe_key(KeyId="alias/app")["KeyMetadata"]["Arn"] == key["Arn"]
    with pytest.raises(ClientError) as err:
        kms.get_key_rotation_status(KeyId=key["Arn"].replace(key["KeyId"], "00000000-0000-0000-0000-000000000000"))
    assert _code(err) == "NotFoundException"


def test_aws_managed_key_reports_yearly_rotation_and_refuses_changes(client):
    kms = client("kms")
    meta = kms.describe_key(KeyId="alias/aws/ebs")["KeyMetadata"]
    assert meta["KeyManager"] == "AWS"
    status = kms.get_key_rotation_status(KeyId=meta["KeyId"])
    assert status["KeyRotationEnabled"] is True and status["RotationPeriodInDays"] == 365
    with pytest.raises(ClientError) as err:
        kms.disable_key_rotation(KeyId=meta["KeyId"])
    assert _code(err) == "AccessDeniedException"


def test_multi_region_replica_follows_its_primary(client):
    primary_client, replica_client = client("kms", "us-east-1"), client("kms", "eu-west-1")
    primary = _symmetric(primary_client, MultiRegion=True)
    replica = primary_client.replicate_key(KeyId=primary["KeyId"], ReplicaRegion="eu-west-1")["ReplicaKeyMetadata"]
    assert replica["MultiRegionConfiguration"]["MultiRegionKeyType"] == "REPLICA"
    described = replica_client.describe_key(KeyId=replica["KeyId"])["KeyMetadata"]
    assert described["MultiRegionConfiguration"]["PrimaryKey"] == {"Arn": primary["Arn"], "Region": "us-east-1"}
    # Describing the replica must not turn the primary into a replica (moto does).
    assert primary_client.describe_key(KeyId=primary["KeyId"])["KeyMetadata"][
        "MultiRegionConfiguration"]["MultiRegionKeyType"] == "PRIMARY"
    with pytest.raises(ClientError) as err:
        replica_client.enable_key_rotation(KeyId=replica["KeyId"])
    assert _code(err) == "UnsupportedOperationException"
    primary_client.enable_key_rotation(KeyId=primary["KeyId"], RotationPeriodInDays=200)
    status = replica_client.get_key_rotation_status(KeyId=replica["Arn"])
    assert status["KeyRotationEnabled"] is True and status["RotationPeriodInDays"] == 200


def test_list_keys_pages_with_limit_and_marker(client, request_log):
    kms = client("kms")
    created = {_symmetric(kms)["KeyId"] for _ in range(5)}
    first = kms.list_keys(Limit=2)
    assert len(first["Keys"]) == 2 and first["Truncated"] is True and first["NextMarker"]
    seen = [k["KeyId"] for k in first["Keys"]]
    marker = first["NextMarker"]
    while marker:
        page = kms.list_keys(Limit=2, Marker=marker)
        seen += [k["KeyId"] for k in page["Keys"]]
        marker = page.get("NextMarker")
        assert page["Truncated"] is bool(marker)
    assert sorted(seen) == sorted(created)
    assert [r["operation"] for r in request_log()].count("ListKeys") == 3
    full = kms.list_keys()
    assert full["Truncated"] is False and "NextMarker" not in full


def test_list_keys_paginator_reads_every_key(client):
    kms = client("kms")
    created = {_symmetric(kms)["KeyId"] for _ in range(3)}
    pages = list(kms.get_paginator("list_keys").paginate(PaginationConfig={"PageSize": 1}))
    assert len(pages) == 3
    assert {k["KeyId"] for p in pages for k in p["Keys"]} == created


@pytest.mark.parametrize("params,code", [
    (dict(Limit=0), "ValidationException"),
    (dict(Limit=1001), "ValidationException"),
    (dict(Marker="not-a-marker"), "InvalidMarkerException"),
])
def test_list_keys_rejects_bad_paging(unvalidated_kms, params, code):
    with pytest.raises(ClientError) as err:
        unvalidated_kms.list_keys(**params)
    assert _code(err) == code


@pytest.mark.parametrize("params", [
    dict(CustomKeyStoreId="cks-1234567890abcdef0"),
    dict(Origin="AWS_CLOUDHSM"),
])
def test_create_key_checks_custom_key_store_and_origin_together(client, params):
    with pytest.raises(ClientError) as err:
        client("kms").create_key(**params)
    assert _code(err) == "ValidationException"


def test_describe_key_of_unknown_alias_or_key_is_not_found(client):
    kms = client("kms")
    for ref in ("alias/missing", "00000000-0000-0000-0000-000000000000"):
        with pytest.raises(ClientError) as err:
            kms.describe_key(KeyId=ref)
        assert _code(err) == "NotFoundException"


def test_replicate_key_needs_a_multi_region_primary(client):
    kms = client("kms")
    single = _symmetric(kms)
    with pytest.raises(ClientError) as err:
        kms.replicate_key(KeyId=single["KeyId"], ReplicaRegion="eu-west-1")
    assert _code(err) == "UnsupportedOperationException"
    primary = _symmetric(kms, MultiRegion=True)
    kms.replicate_key(KeyId=primary["KeyId"], ReplicaRegion="eu-west-1")
    with pytest.raises(ClientError) as err:
        kms.replicate_key(KeyId=primary["KeyId"], ReplicaRegion="eu-west-1")
    assert _code(err) == "AlreadyExistsException"


def test_import_key_material_needs_an_external_key(client):
    kms = client("kms")
    key = _symmetric(kms)
    with pytest.raises(ClientError) as err:
        kms.import_key_material(KeyId=key["KeyId"], ImportToken=b"t", EncryptedKeyMaterial=b"m",
                                ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE")
    assert _code(err) == "UnsupportedOperationException"


def test_list_aliases_pages_and_names_aws_managed_keys_only_once_they_exist(client, request_log):
    kms = client("kms")
    keys = [kms.create_key()["KeyMetadata"]["KeyId"] for _ in range(3)]
    for i, key in enumerate(keys):
        kms.create_alias(AliasName=f"alias/app-{i}", TargetKeyId=key)
    ebs = kms.describe_key(KeyId="alias/aws/ebs")["KeyMetadata"]["KeyId"]
    pages = list(kms.get_paginator("list_aliases").paginate(PaginationConfig={"PageSize": 4}))
    aliases = {a["AliasName"]: a.get("TargetKeyId") for p in pages for a in p["Aliases"]}
    assert all(len(p["Aliases"]) <= 4 for p in pages) and len(pages) == -(-len(aliases) // 4)
    assert aliases["alias/aws/ebs"] == ebs
    assert aliases["alias/aws/s3"] is None  # predefined, no key yet
    assert {aliases[f"alias/app-{i}"] for i in range(3)} == set(keys)
    assert len([e for e in request_log() if e["operation"] == "ListAliases"]) == len(pages)
    only = kms.list_aliases(KeyId=keys[1])["Aliases"]
    assert [a["AliasName"] for a in only] == ["alias/app-1"]


@pytest.mark.parametrize("limit", [0, 101])
def test_list_aliases_limit_outside_1_to_100_is_a_validation_error(unvalidated_kms, limit):
    with pytest.raises(ClientError) as err:
        unvalidated_kms.list_aliases(Limit=limit)
    assert _code(err) == "ValidationException"
