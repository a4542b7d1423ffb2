"""EFS: the key of encrypted file systems as AWS reports it, and seeding for tests and benchmarks (moto's EFS paging
by MaxItems/Marker already follows AWS).

Documented behaviour followed here (Amazon EFS API Reference, CreateFileSystem and FileSystemDescription):
- A file system created Encrypted without KmsKeyId is protected by the EFS AWS managed key of the account and
  Region, alias aws/elasticfilesystem (created on first use, KeyManager AWS); moto leaves KmsKeyId empty.
- KmsKeyId may name the key by key id, key ARN, alias or alias ARN; DescribeFileSystems reports the key ARN (moto
  keeps what was given). A key the emulator does not know is kept as given.

Admin API:
  POST /_atrest/efs/seed {"region": "us-east-1",
                          "fileSystems": [{"count": 3, "encrypted": false, "kmsKeyId": null,
                                           "tags": {"k": "v"}}]}
       -> {"fileSystemIds": [...]}
"""
import json
import uuid

from moto.core import DEFAULT_ACCOUNT_ID
from moto.efs.models import EFSBackend, efs_backends
from werkzeug.wrappers import Response

from . import kms_ext

AWS_MANAGED_ALIAS = "alias/aws/elasticfilesystem"


def _patch_backend():
    """Every path that creates a file system (the API and seeding) goes through EFSBackend.create_file_system."""
    if getattr(EFSBackend, "_atrest_patched", False):
        return
    original = EFSBackend.create_file_system

    def create_file_system(self, *args, **kwargs):
        file_system = original(self, *args, **kwargs)
        if file_system.encrypted:
            if file_system.kms_key_id:
                file_system.kms_key_id = kms_ext.key_arn(self.account_id, self.region_name,
                                                         file_system.kms_key_id) or file_system.kms_key_id
            else:
                file_system.kms_key_id = kms_ext.aws_managed_key_arn(self.account_id, self.region_name,
                                                                     AWS_MANAGED_ALIAS)
        return file_system

    EFSBackend.create_file_system = create_file_system
    EFSBackend._atrest_patched = True


_patch_backend()


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
