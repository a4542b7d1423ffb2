import json
import urllib.request


def _seed(endpoint, config):
    req = urllib.request.Request(endpoint + "/_atrest/efs/seed", data=json.dumps(config).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.load(r)


def test_seeded_file_systems_page_through_the_sdk(endpoint, client):
    seeded = _seed(endpoint, {"fileSystems": [{"count": 4, "encrypted": False, "tags": {"team": "a"}},
                                              {"count": 3, "encrypted": True}]})["fileSystemIds"]
    efs = client("efs")
    pages = list(efs.get_paginator("describe_file_systems").paginate(PaginationConfig={"PageSize": 5}))
    found = [fs for p in pages for fs in p["FileSystems"]]
    assert len(pages) == 2
    assert sorted(fs["FileSystemId"] for fs in found) == sorted(seeded)
    assert sum(1 for fs in found if fs["Encrypted"]) == 3
    assert {"Key": "team", "Value": "a"} in next(fs for fs in found if not fs["Encrypted"])["Tags"]
