"""kms_ext: key states (disabled, pending deletion, pending import, expiring imported material), AWS managed keys,
aliases and key policies as the AWS documentation describes them."""
import datetime
import json
import time
import urllib.error
import urllib.request

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

ACCOUNT = "123456789012"


def _code(err):
    return err.value.response["Error"]["Code"]


@pytest.fixture
def unvalidated_kms(endpoint):
    return boto3.client("kms", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing",
                        aws_secret_access_key="testing",
                        config=Config(parameter_validation=False, retries={"total_max_attempts": 1}))


def _admin(endpoint, path, config):
    request = urllib.request.Request(endpoint + path, data=json.dumps(config).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as r:
        return json.loads(r.read() or b"null")


def _in_days(days):
    return datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=days)


def _import(kms, key_id, **kwargs):
    return kms.import_key_material(KeyId=key_id, ImportToken=b"token", EncryptedKeyMaterial=b"material", **kwargs)


# ---------------------------------------------------------------- states

def test_disable_key_and_schedule_deletion_show_in_describe_key(client):
    kms = client("kms")
    disabled = kms.create_key()["KeyMetadata"]["KeyId"]
    kms.disable_key(KeyId=disabled)
    meta = kms.describe_key(KeyId=disabled)["KeyMetadata"]
    assert (meta["KeyState"], meta["Enabled"], "DeletionDate" in meta) == ("Disabled", False, False)

    pending = kms.create_key()["KeyMetadata"]
    before = datetime.datetime.now(datetime.timezone.utc)
    answer = kms.schedule_key_deletion(KeyId=pending["KeyId"], PendingWindowInDays=7)
    assert (answer["KeyId"], answer["KeyState"], answer["PendingWindowInDays"]) == (
        pending["Arn"], "PendingDeletion", 7)
    meta = kms.describe_key(KeyId=pending["Arn"])["KeyMetadata"]
    assert (meta["KeyState"], meta["Enabled"]) == ("PendingDeletion", False)
    assert datetime.timedelta(days=6, hours=23) < meta["DeletionDate"] - before < datetime.timedelta(days=7, minutes=5)
    assert meta["DeletionDate"] == answer["DeletionDate"]


def test_schedule_key_deletion_defaults_to_30_days_and_checks_the_window(client, unvalidated_kms):
    kms = client("kms")
    key = kms.create_key()["KeyMetadata"]["KeyId"]
    for window in (6, 31):
        with pytest.raises(ClientError) as err:
            unvalidated_kms.schedule_key_deletion(KeyId=key, PendingWindowInDays=window)
        assert _code(err) == "ValidationException"
    assert kms.describe_key(KeyId=key)["KeyMetadata"]["KeyState"] == "Enabled"
    assert kms.schedule_key_deletion(KeyId=key)["PendingWindowInDays"] == 30
    with pytest.raises(ClientError) as err:
        kms.schedule_key_deletion(KeyId=key)
    assert _code(err) == "KMSInvalidStateException"


def test_cancel_key_deletion_needs_a_pending_deletion_and_leaves_the_key_disabled(client):
    kms = client("kms")
    key = kms.create_key()["KeyMetadata"]
    with pytest.raises(ClientError) as err:
        kms.cancel_key_deletion(KeyId=key["KeyId"])
    assert _code(err) == "KMSInvalidStateException"
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "Enabled"
    kms.schedule_key_deletion(KeyId=key["KeyId"], PendingWindowInDays=7)
    assert kms.cancel_key_deletion(KeyId=key["KeyId"])["KeyId"] == key["Arn"]
    meta = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
    assert meta["KeyState"] == "Disabled" and "DeletionDate" not in meta


def test_imported_key_material_that_expires_reports_valid_to(client):
    kms = client("kms")
    key = kms.create_key(Origin="EXTERNAL")["KeyMetadata"]
    assert key["KeyState"] == "PendingImport" and "ExpirationModel" not in key
    valid_to = _in_days(30).replace(microsecond=0)
    answer = _import(kms, key["KeyId"], ExpirationModel="KEY_MATERIAL_EXPIRES", ValidTo=valid_to)
    assert answer["KeyId"] == key["Arn"] and len(answer["KeyMaterialId"]) == 64
    meta = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
    assert (meta["KeyState"], meta["Origin"], meta["ExpirationModel"]) == ("Enabled", "EXTERNAL",
                                                                           "KEY_MATERIAL_EXPIRES")
    assert meta["ValidTo"] == valid_to


def test_key_material_that_does_not_expire_has_no_valid_to(client):
    kms = client("kms")
    key = kms.create_key(Origin="EXTERNAL")["KeyMetadata"]["KeyId"]
    _import(kms, key, ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE")
    meta = kms.describe_key(KeyId=key)["KeyMetadata"]
    assert meta["ExpirationModel"] == "KEY_MATERIAL_DOES_NOT_EXPIRE" and "ValidTo" not in meta
    assert "ExpirationModel" not in kms.describe_key(KeyId=kms.create_key()["KeyMetadata"]["KeyId"])["KeyMetadata"]


@pytest.mark.parametrize("params", [
    dict(),  # the default model KEY_MATERIAL_EXPIRES needs ValidTo
    dict(ExpirationModel="KEY_MATERIAL_EXPIRES"),
    dict(ExpirationModel="KEY_MATERIAL_EXPIRES", ValidTo=_in_days(-1)),
    dict(ExpirationModel="KEY_MATERIAL_EXPIRES", ValidTo=_in_days(366)),
    dict(ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE", ValidTo=_in_days(10)),
])
def test_import_checks_the_expiration_model_against_valid_to(client, params):
    kms = client("kms")
    key = kms.create_key(Origin="EXTERNAL")["KeyMetadata"]["KeyId"]
    with pytest.raises(ClientError) as err:
        _import(kms, key, **params)
    assert _code(err) == "ValidationException"
    assert kms.describe_key(KeyId=key)["KeyMetadata"]["KeyState"] == "PendingImport"


def test_expired_key_material_puts_the_key_back_to_pending_import(client, endpoint):
    kms = client("kms")
    key = kms.create_key(Origin="EXTERNAL")["KeyMetadata"]["KeyId"]
    _import(kms, key, ValidTo=_in_days(3))
    answer = _admin(endpoint, "/_atrest/kms/key-material-valid-to", {"keyId": key, "validTo": time.time() - 1})
    assert answer == {"KeyState": "PendingImport"}
    meta = kms.describe_key(KeyId=key)["KeyMetadata"]
    assert (meta["KeyState"], meta["Enabled"]) == ("PendingImport", False)
    assert "ValidTo" not in meta and "ExpirationModel" not in meta
    _import(kms, key, ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE")  # reimport restores it
    assert kms.describe_key(KeyId=key)["KeyMetadata"]["KeyState"] == "Enabled"


def test_valid_to_admin_needs_expiring_material(client, endpoint):
    kms = client("kms")
    key = kms.create_key(Origin="EXTERNAL")["KeyMetadata"]["KeyId"]
    with pytest.raises(urllib.error.HTTPError) as err:
        _admin(endpoint, "/_atrest/kms/key-material-valid-to", {"keyId": key, "validTo": time.time()})
    assert err.value.code == 400


def test_delete_imported_key_material(client):
    kms = client("kms")
    key = kms.create_key(Origin="EXTERNAL")["KeyMetadata"]
    with pytest.raises(ClientError) as err:
        kms.delete_imported_key_material(KeyId=key["KeyId"])
    assert _code(err) == "KMSInvalidStateException"
    material = _import(kms, key["KeyId"], ValidTo=_in_days(5))["KeyMaterialId"]
    answer = kms.delete_imported_key_material(KeyId=key["KeyId"])
    assert (answer["KeyId"], answer["KeyMaterialId"]) == (key["Arn"], material)
    meta = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
    assert meta["KeyState"] == "PendingImport" and "ValidTo" not in meta
    with pytest.raises(ClientError) as err:
        kms.delete_imported_key_material(KeyId=kms.create_key()["KeyMetadata"]["KeyId"])
    assert _code(err) == "UnsupportedOperationException"


def test_deleting_material_of_a_key_pending_deletion_keeps_its_state(client):
    kms = client("kms")
    key = kms.create_key(Origin="EXTERNAL")["KeyMetadata"]["KeyId"]
    _import(kms, key, ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE")
    kms.schedule_key_deletion(KeyId=key, PendingWindowInDays=7)
    kms.delete_imported_key_material(KeyId=key)
    assert kms.describe_key(KeyId=key)["KeyMetadata"]["KeyState"] == "PendingDeletion"


# ---------------------------------------------------------------- AWS managed keys and aliases

@pytest.mark.parametrize("service,via", [("ebs", "ec2"), ("s3", "s3"), ("fsx", "fsx"),
                                         ("elasticfilesystem", "elasticfilesystem")])
def test_aws_managed_keys_are_created_on_first_reference(client, service, via):
    kms = client("kms", "eu-west-1")
    alias = f"alias/aws/{service}"
    assert [a for a in kms.list_aliases()["Aliases"] if a["AliasName"] == alias] == [
        {"AliasName": alias, "AliasArn": f"arn:aws:kms:eu-west-1:{ACCOUNT}:{alias}"}]  # predefined, no key yet
    meta = kms.describe_key(KeyId=alias)["KeyMetadata"]
    assert (meta["KeyManager"], meta["KeyState"], meta["Origin"]) == ("AWS", "Enabled", "AWS_KMS")
    assert kms.describe_key(KeyId=f"arn:aws:kms:eu-west-1:{ACCOUNT}:{alias}")["KeyMetadata"]["Arn"] == meta["Arn"]
    listed = kms.list_aliases(KeyId=meta["Arn"])["Aliases"]
    assert [(a["AliasName"], a["TargetKeyId"]) for a in listed] == [(alias, meta["KeyId"])]
    assert meta["KeyId"] in {k["KeyId"] for k in kms.list_keys()["Keys"]}
    policy = json.loads(kms.get_key_policy(KeyId=meta["KeyId"])["Policy"])
    open_statement = next(s for s in policy["Statement"] if s["Principal"] == {"AWS": "*"})
    assert open_statement["Condition"]["StringEquals"] == {"kms:CallerAccount": ACCOUNT,
                                                           "kms:ViaService": f"{via}.eu-west-1.amazonaws.com"}
    assert kms.get_key_rotation_status(KeyId=meta["KeyId"])["KeyRotationEnabled"] is True


def test_aws_managed_keys_refuse_deletion_and_policy_changes(client):
    kms = client("kms")
    key = kms.describe_key(KeyId="alias/aws/fsx")["KeyMetadata"]["KeyId"]
    with pytest.raises(ClientError) as err:
        kms.schedule_key_deletion(KeyId=key)
    assert _code(err) == "AccessDeniedException"
    with pytest.raises(ClientError) as err:
        kms.put_key_policy(KeyId=key, Policy=json.dumps({"Statement": [{"Effect": "Allow", "Principal": "*"}]}))
    assert _code(err) == "AccessDeniedException"
    with pytest.raises(ClientError) as err:
        kms.create_alias(AliasName="alias/aws/fsx", TargetKeyId=kms.create_key()["KeyMetadata"]["KeyId"])
    assert kms.describe_key(KeyId="alias/aws/fsx")["KeyMetadata"]["KeyId"] == key


def test_list_aliases_pages_and_names_customer_aliases(client):
    kms = client("kms")
    key = kms.create_key()["KeyMetadata"]
    kms.create_alias(AliasName="alias/app", TargetKeyId=key["KeyId"])
    pages = list(kms.get_paginator("list_aliases").paginate(PaginationConfig={"PageSize": 4}))
    aliases = [a for p in pages for a in p["Aliases"]]
    assert len(pages) > 1 and all(len(p["Aliases"]) <= 4 for p in pages)
    assert len({a["AliasName"] for a in aliases}) == len(aliases)
    app = next(a for a in aliases if a["AliasName"] == "alias/app")
    assert app["TargetKeyId"] == key["KeyId"] and app["CreationDate"] <= app["LastUpdatedDate"]
    assert all("TargetKeyId" not in a for a in aliases if a["AliasName"].startswith("alias/aws/"))
    assert [a["AliasName"] for a in kms.list_aliases(KeyId=key["KeyId"])["Aliases"]] == ["alias/app"]


# ---------------------------------------------------------------- key policies

def test_default_key_policy_gives_the_account_root_everything(client):
    kms = client("kms")
    key = kms.create_key()["KeyMetadata"]["KeyId"]
    answer = kms.get_key_policy(KeyId=key)  # PolicyName defaults to "default"
    assert answer["PolicyName"] == "default"
    policy = json.loads(answer["Policy"])
    assert policy["Statement"] == [{"Sid": "Enable IAM User Permissions", "Effect": "Allow",
                                    "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "kms:*",
                                    "Resource": "*"}]
    assert kms.list_key_policies(KeyId=key)["PolicyNames"] == ["default"]


def test_put_key_policy_round_trip(client):
    kms = client("kms")
    key = kms.create_key()["KeyMetadata"]["Arn"]
    public = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Sid": "Everyone", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:Decrypt", "Resource": "*"}]})
    kms.put_key_policy(KeyId=key, PolicyName="default", Policy=public)
    assert kms.get_key_policy(KeyId=key, PolicyName="default")["Policy"] == public
    created = kms.create_key(Policy=public)["KeyMetadata"]["KeyId"]
    assert kms.get_key_policy(KeyId=created)["Policy"] == public


@pytest.mark.parametrize("policy,code", [
    ("not json", "MalformedPolicyDocumentException"),
    (json.dumps({"Version": "2012-10-17"}), "MalformedPolicyDocumentException"),
    (json.dumps({"Statement": [{"Effect": "Allow", "Action": "kms:*", "Resource": "*"}]}),
     "MalformedPolicyDocumentException"),
    (json.dumps({"Statement": [{"Effect": "Allow", "Principal": "*", "Sid": "x" * 33000}]}), "LimitExceededException"),
])
def test_malformed_key_policies_are_refused(client, unvalidated_kms, policy, code):
    kms = client("kms")
    key = kms.create_key()["KeyMetadata"]["KeyId"]
    before = kms.get_key_policy(KeyId=key)["Policy"]
    with pytest.raises(ClientError) as err:
        unvalidated_kms.put_key_policy(KeyId=key, PolicyName="default", Policy=policy)
    assert _code(err) == code
    assert kms.get_key_policy(KeyId=key)["Policy"] == before
    with pytest.raises(ClientError) as err:
        unvalidated_kms.create_key(Policy=policy)
    assert _code(err) == code


def test_only_the_default_policy_name_exists(client):
    kms = client("kms")
    key = kms.create_key()["KeyMetadata"]["KeyId"]
    with pytest.raises(ClientError) as err:
        kms.get_key_policy(KeyId=key, PolicyName="other")
    assert _code(err) == "NotFoundException"
