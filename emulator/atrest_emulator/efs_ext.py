"""EFS: seeding for tests and benchmarks (moto's EFS paging by MaxItems/Marker already follows AWS).

Admin API:
  POST /_atrest/efs/seed {"region": "us-east-1",
                          "fileSystems": [{"count": 3, "encrypted": false, "kmsKeyId": null,
                                           "tags": {"k": "v"}}]}
       -> {"fileSystemIds": [...]}
"""
import json
import uuid

from moto.core import DEFAULT_ACCOUNT_ID
from moto.efs.models import efs_backends
from werkzeug.wrappers import Response


def seed(config):
    backend = efs_backends[config.get("account", DEFAULT_ACCOUNT_ID)][config.get("region", "us-east-1")]
    ids = []
    for spec in config.get("fileSystems", []):
        encrypted = bool(spec.get("encrypted", False))
        tags = [{"Key": k, "Value": v} for k, v in (spec.get("tags") or {}).items()]
        for _ in range(int(spec.get("count", 1))):
            fs = backend.create_file_system(
                creation_token=f"seed-{uuid.uuid4()}", performance_mode="generalPurpose", encrypted=encrypted,
                kms_key_id=spec.get("kmsKeyId") if encrypted else None, throughput_mode="bursting",
                provisioned_throughput_in_mibps=None, availability_zone_name=None, backup=False, tags=tags)
            ids.append(fs.file_system_id)
    return {"fileSystemIds": ids}


def admin(path, method, body):
    if path == "/_atrest/efs/seed" and method == "POST":
        return Response(json.dumps(seed(json.loads(body or b"{}"))), mimetype="application/json")
    return None
