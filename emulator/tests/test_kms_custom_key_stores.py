"""kms_ext: custom key stores (CloudHSM and external) and keys in them, as the AWS documentation describes them."""
import json
import urllib.error
import urllib.request

import pytest
from botocore.exceptions import ClientError

CLUSTER = "cluster-234567abcdefg"
SECRET = "a" * 43


def _code(err):
    return err.value.response["Error"]["Code"]


def _force(endpoint, store_id, state, error=None):
    config = {"customKeyStoreId": store_id, "connectionState": state}
    if error is not None:
        config["connectionErrorCode"] = error
    request = urllib.request.Request(endpoint + "/_atrest/kms/custom-key-store-state", method="POST",
                                     data=json.dumps(config).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as r:
        return r.status


def _hsm(kms, name="hsm-store", cluster=CLUSTER):
    return kms.create_custom_key_store(CustomKeyStoreName=name, CloudHsmClusterId=cluster,
                                       TrustAnchorCertificate="-----BEGIN CERTIFICATE-----",
                                       KeyStorePassword="kmsuser-password")["CustomKeyStoreId"]


def _xks(kms, name="xks-store", endpoint="https://xks.example.com", **extra):
    return kms.create_custom_key_store(
        CustomKeyStoreName=name, CustomKeyStoreType="EXTERNAL_KEY_STORE", XksProxyUriEndpoint=endpoint,
        XksProxyUriPath="/example/kms/xks/v1", XksProxyConnectivity=extra.pop("connectivity", "PUBLIC_ENDPOINT"),
        XksProxyAuthenticationCredential={"AccessKeyId": "ABCDEFGHIJKLMNOPQRST", "RawSecretAccessKey": SECRET},
        **extra)["CustomKeyStoreId"]


def _entry(kms, store_id):
    return kms.describe_custom_key_stores(CustomKeyStoreId=store_id)["CustomKeyStores"][0]


def test_cloudhsm_store_is_created_disconnected_and_described(client):
    kms = client("kms")
    store_id = _hsm(kms)
    assert store_id.startswith("cks-")
    entry = _entry(kms, store_id)
    assert entry["CustomKeyStoreType"] == "AWS_CLOUDHSM" and entry["CustomKeyStoreName"] == "hsm-store"
    assert entry["CloudHsmClusterId"] == CLUSTER and entry["TrustAnchorCertificate"]
    assert entry["ConnectionState"] == "DISCONNECTED" and "ConnectionErrorCode" not in entry
    assert "XksProxyConfiguration" not in entry and entry["CreationDate"]
    assert kms.describe_custom_key_stores(CustomKeyStoreName="hsm-store")["CustomKeyStores"] == [entry]


def test_external_store_shows_its_proxy_configuration_without_the_secret(client):
    kms = client("kms")
    store_id = _xks(kms, connectivity="VPC_ENDPOINT_SERVICE", XksProxyVpcEndpointServiceName="com.amazonaws.vpce.x")
    entry = _entry(kms, store_id)
    assert entry["CustomKeyStoreType"] == "EXTERNAL_KEY_STORE" and "CloudHsmClusterId" not in entry
    assert entry["XksProxyConfiguration"] == {
        "Connectivity": "VPC_ENDPOINT_SERVICE", "AccessKeyId": "ABCDEFGHIJKLMNOPQRST",
        "UriEndpoint": "https://xks.example.com", "UriPath": "/example/kms/xks/v1",
        "VpcEndpointServiceName": "com.amazonaws.vpce.x", "VpcEndpointServiceOwner": "123456789012"}
    assert SECRET not in json.dumps(entry, default=str)


def test_connect_and_disconnect_follow_the_documented_states(client):
    kms = client("kms")
    store_id = _hsm(kms)
    with pytest.raises(ClientError) as err:
        kms.disconnect_custom_key_store(CustomKeyStoreId=store_id)
    assert _code(err) == "CustomKeyStoreInvalidStateException"
    kms.connect_custom_key_store(CustomKeyStoreId=store_id)
    assert _entry(kms, store_id)["ConnectionState"] == "CONNECTED"
    kms.connect_custom_key_store(CustomKeyStoreId=store_id)  # connecting a connected store is allowed
    kms.disconnect_custom_key_store(CustomKeyStoreId=store_id)
    assert _entry(kms, store_id)["ConnectionState"] == "DISCONNECTED"


def test_forced_failure_shows_its_error_code_and_needs_a_disconnect(client, endpoint):
    kms = client("kms")
    store_id = _xks(kms)
    assert _force(endpoint, store_id, "FAILED", "XKS_PROXY_NOT_REACHABLE") == 204
    entry = _entry(kms, store_id)
    assert (entry["ConnectionState"], entry["ConnectionErrorCode"]) == ("FAILED", "XKS_PROXY_NOT_REACHABLE")
    with pytest.raises(ClientError) as err:
        kms.connect_custom_key_store(CustomKeyStoreId=store_id)
    assert _code(err) == "CustomKeyStoreInvalidStateException"
    kms.disconnect_custom_key_store(CustomKeyStoreId=store_id)
    entry = _entry(kms, store_id)
    assert entry["ConnectionState"] == "DISCONNECTED" and "ConnectionErrorCode" not in entry
    for state in ("CONNECTING", "DISCONNECTING"):
        _force(endpoint, store_id, state)
        assert _entry(kms, store_id)["ConnectionState"] == state


@pytest.mark.parametrize("config,status", [
    ({"connectionState": "FAILED"}, 400),
    ({"connectionState": "FAILED", "connectionErrorCode": "NOT_A_CODE"}, 400),
    ({"connectionState": "CONNECTED", "connectionErrorCode": "NETWORK_ERRORS"}, 400),
    ({"connectionState": "ONLINE"}, 400),
])
def test_forced_states_must_be_documented_ones(client, endpoint, config, status):
    store_id = _hsm(client("kms"))
    request = urllib.request.Request(endpoint + "/_atrest/kms/custom-key-store-state", method="POST",
                                     data=json.dumps({"customKeyStoreId": store_id, **config}).encode())
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(request)
    assert err.value.code == status


def test_describe_pages_and_reports_unknown_stores(client):
    kms = client("kms")
    created = [_hsm(kms, f"store-{i}", f"cluster-234567abcdef{c}") for i, c in enumerate("ghijk")]
    pages = list(kms.get_paginator("describe_custom_key_stores").paginate(PaginationConfig={"PageSize": 2}))
    assert [len(p["CustomKeyStores"]) for p in pages] == [2, 2, 1]
    assert [s["CustomKeyStoreId"] for p in pages for s in p["CustomKeyStores"]] == created
    for params in (dict(CustomKeyStoreId="cks-0123456789abcdef0"), dict(CustomKeyStoreName="missing")):
        with pytest.raises(ClientError) as err:
            kms.describe_custom_key_stores(**params)
        assert _code(err) == "CustomKeyStoreNotFoundException"
    assert client("kms", "eu-west-1").describe_custom_key_stores()["CustomKeyStores"] == []


@pytest.mark.parametrize("make,code", [
    (lambda kms: _hsm(kms, name="hsm-store", cluster="cluster-234567abcdefh"), "CustomKeyStoreNameInUseException"),
    (lambda kms: _hsm(kms, name="other"), "CloudHsmClusterInUseException"),
    (lambda kms: kms.create_custom_key_store(CustomKeyStoreName="x", CloudHsmClusterId="cluster-234567abcdefh"),
     "ValidationException"),
    (lambda kms: _xks(kms, endpoint="http://insecure.example.com"), "ValidationException"),
    (lambda kms: _xks(kms, connectivity="VPC_ENDPOINT_SERVICE"), "ValidationException"),
])
def test_create_checks_names_clusters_and_parameters(client, make, code):
    kms = client("kms")
    _hsm(kms)
    with pytest.raises(ClientError) as err:
        make(kms)
    assert _code(err) == code


def test_keys_in_a_connected_cloudhsm_store(client):
    kms = client("kms")
    store_id = _hsm(kms)
    with pytest.raises(ClientError) as err:
        kms.create_key(Origin="AWS_CLOUDHSM", CustomKeyStoreId=store_id)
    assert _code(err) == "CustomKeyStoreInvalidStateException"
    kms.connect_custom_key_store(CustomKeyStoreId=store_id)
    key = kms.create_key(Origin="AWS_CLOUDHSM", CustomKeyStoreId=store_id)["KeyMetadata"]
    meta = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
    assert (meta["Origin"], meta["CustomKeyStoreId"], meta["CloudHsmClusterId"]) == ("AWS_CLOUDHSM", store_id, CLUSTER)
    assert meta["KeyManager"] == "CUSTOMER"
    for params in (dict(Origin="EXTERNAL_KEY_STORE", XksKeyId="k1"), dict(Origin="AWS_CLOUDHSM", MultiRegion=True),
                   dict(Origin="AWS_CLOUDHSM", KeySpec="RSA_2048")):
        with pytest.raises(ClientError):
            kms.create_key(CustomKeyStoreId=store_id, **params)


def test_keys_in_an_external_store_need_their_own_external_key(client):
    kms = client("kms")
    store_id = _xks(kms)
    kms.connect_custom_key_store(CustomKeyStoreId=store_id)
    with pytest.raises(ClientError) as err:
        kms.create_key(Origin="EXTERNAL_KEY_STORE", CustomKeyStoreId=store_id)
    assert _code(err) == "ValidationException"
    key = kms.create_key(Origin="EXTERNAL_KEY_STORE", CustomKeyStoreId=store_id, XksKeyId="ext-1")["KeyMetadata"]
    meta = kms.describe_key(KeyId=key["Arn"])["KeyMetadata"]
    assert (meta["Origin"], meta["CustomKeyStoreId"], meta["XksKeyConfiguration"]) == (
        "EXTERNAL_KEY_STORE", store_id, {"Id": "ext-1"})
    with pytest.raises(ClientError) as err:
        kms.create_key(Origin="EXTERNAL_KEY_STORE", CustomKeyStoreId=store_id, XksKeyId="ext-1")
    assert _code(err) == "XksKeyAlreadyInUseException"


def test_delete_needs_a_disconnected_store_without_keys(client):
    kms = client("kms")
    store_id = _hsm(kms)
    kms.connect_custom_key_store(CustomKeyStoreId=store_id)
    key = kms.create_key(Origin="AWS_CLOUDHSM", CustomKeyStoreId=store_id)["KeyMetadata"]["KeyId"]
    with pytest.raises(ClientError) as err:
        kms.delete_custom_key_store(CustomKeyStoreId=store_id)
    assert _code(err) == "CustomKeyStoreInvalidStateException"
    kms.disconnect_custom_key_store(CustomKeyStoreId=store_id)
    with pytest.raises(ClientError) as err:
        kms.delete_custom_key_store(CustomKeyStoreId=store_id)
    assert _code(err) == "CustomKeyStoreHasCMKsException"
    kms.schedule_key_deletion(KeyId=key, PendingWindowInDays=7)
    assert kms.describe_key(KeyId=key)["KeyMetadata"]["CustomKeyStoreId"] == store_id
    empty = _xks(kms)
    kms.delete_custom_key_store(CustomKeyStoreId=empty)
    with pytest.raises(ClientError) as err:
        kms.describe_custom_key_stores(CustomKeyStoreId=empty)
    assert _code(err) == "CustomKeyStoreNotFoundException"


def test_reset_clears_custom_key_stores(client, endpoint):
    kms = client("kms")
    _hsm(kms)
    urllib.request.urlopen(urllib.request.Request(endpoint + "/moto-api/reset", method="POST"))
    assert kms.describe_custom_key_stores()["CustomKeyStores"] == []
