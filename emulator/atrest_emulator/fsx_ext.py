"""FSx file systems and backups as the Amazon FSx API Reference describes them, for the storage audit.

moto 5.2 stores FSx file systems and backups but answers without KmsKeyId, Lifecycle, OwnerId or CreationTime,
ignores unknown ids, never finishes a backup and gives backups no key, type or file system. This module answers
CreateFileSystem, DescribeFileSystems, CreateBackup and DescribeBackups itself and keeps its objects in moto's FSx
backend, so /moto-api/reset clears them and moto's DeleteFileSystem, DeleteBackup and tagging operations work on
them.

Documented behaviour followed here (API_CreateFileSystem, API_FileSystem, API_CreateBackup, API_Backup,
API_DescribeFileSystems, API_DescribeBackups):
- FSx always encrypts at rest. KmsKeyId applies to WINDOWS, ONTAP, OPENZFS and LUSTRE PERSISTENT_1/PERSISTENT_2
  file systems; without one, the FSx AWS managed key of the account and Region (alias aws/fsx, created on first use
  with KeyManager AWS) is used. The key may be named by key id, key ARN, alias or alias ARN; FileSystem.KmsKeyId is
  the key ARN. An unknown key is a BadRequest. LUSTRE SCRATCH_1/SCRATCH_2 file systems are encrypted with keys
  managed by FSx, unique per file system (the FSx for Lustre User Guide), not a key in the account: they carry no
  KmsKeyId, and a KmsKeyId in the request is a BadRequest. Lustre DeploymentType defaults to SCRATCH_1, whose
  MountName is "fsx".
- FileSystemId is fs- and 17 hex digits, ResourceARN arn:aws:fsx:<region>:<account>:file-system/<id>; OwnerId,
  CreationTime, StorageType (default SSD), tags. CreateFileSystem answers Lifecycle CREATING; the emulator's file
  systems are AVAILABLE from the next read on. Passwords in the request (Active Directory, ONTAP admin) are never
  returned.
- CreateFileSystem and CreateBackup are idempotent by ClientRequestToken: the same token with the same parameters
  answers the existing resource, with other parameters IncompatibleParameterError.
- DescribeFileSystems / DescribeBackups: FileSystemIds / BackupIds that do not exist are FileSystemNotFound /
  BackupNotFound (moto drops them silently); MaxResults (>= 1) and NextToken page the answer, ordered by id, the
  token naming the last id returned. DescribeBackups filters by file-system-id, backup-type, file-system-type and
  volume-id.
- CreateBackup: FileSystemNotFound for an unknown file system; Lustre backups only of persistent file systems not
  linked to a data repository, ONTAP backups only of volumes (the emulator has no ONTAP volumes, so VolumeNotFound):
  BadRequest otherwise. A backup has BackupId backup- and 17 hex digits, Type USER_INITIATED, Lifecycle CREATING in
  the answer and AVAILABLE afterwards, the file system's KmsKeyId, ResourceARN arn:aws:fsx:<region>:<account>:
  backup/<id>, OwnerId, ResourceType FILE_SYSTEM, and FileSystem: the file system's description, kept after the
  file system is deleted. Without Tags it copies the file system's tags when CopyTagsToBackups is set.
- DeleteFileSystem / DeleteBackup of an unknown id: FileSystemNotFound / BackupNotFound (moto fails with a 500).
"""
import base64
import json
import time
import uuid

from moto.fsx.models import fsx_backends
from werkzeug.wrappers import Response

from . import accounts, kms_ext

TYPES = ("WINDOWS", "LUSTRE", "ONTAP", "OPENZFS")
LUSTRE_DEPLOYMENTS = ("SCRATCH_1", "SCRATCH_2", "PERSISTENT_1", "PERSISTENT_2")
_CONFIG = {"WINDOWS": "WindowsConfiguration", "LUSTRE": "LustreConfiguration", "ONTAP": "OntapConfiguration",
           "OPENZFS": "OpenZFSConfiguration"}
_SECRETS = {"Password", "FsxAdminPassword"}
_FILTERS = {"file-system-id": lambda b: b.file_system_id, "backup-type": lambda b: b.type,
            "file-system-type": lambda b: b.file_system_type, "volume-id": lambda b: None}


class FsxError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def _error(code, message):
    return Response(json.dumps({"__type": code, "Message": message}), status=400,
                    headers={"x-amzn-RequestId": str(uuid.uuid4()), "x-amzn-ErrorType": code},
                    mimetype="application/x-amz-json-1.1")


def _answer(fn):
    def handler(call, request, body, region):
        try:
            params = json.loads(body or b"{}")
        except ValueError:
            return _error("BadRequest", "request body is not JSON")
        try:
            result = fn(params, region)
        except FsxError as e:
            return _error(e.code, e.message)
        if result is None:
            return None  # moto answers
        return Response(json.dumps(result), status=200, headers={"x-amzn-RequestId": str(uuid.uuid4())},
                        mimetype="application/x-amz-json-1.1")
    return handler


def _backend(region):
    return fsx_backends[accounts.current()][region]


def _hex17():
    return uuid.uuid4().hex[:17]


def _without_secrets(value):
    if isinstance(value, dict):
        return {k: _without_secrets(v) for k, v in value.items() if k not in _SECRETS}
    if isinstance(value, list):
        return [_without_secrets(v) for v in value]
    return value


def _fingerprint(params):
    return json.dumps({k: v for k, v in params.items() if k != "ClientRequestToken"}, sort_keys=True, default=str)


def _idempotent(backend, params, kind):
    """The resource an earlier request with the same ClientRequestToken created, or None."""
    token = params.get("ClientRequestToken")
    if not token:
        return None
    tokens = backend.__dict__.setdefault("_atrest_tokens", {})
    earlier = tokens.get((kind, token))
    if earlier is None:
        return None
    fingerprint, resource_id = earlier
    if fingerprint != _fingerprint(params):
        raise FsxError("IncompatibleParameterError", f"ClientRequestToken {token} was used with other parameters")
    store = backend.file_systems if kind == "file-system" else backend.backups
    return store.get(resource_id)


def _remember(backend, params, kind, resource_id):
    token = params.get("ClientRequestToken")
    if token:
        backend.__dict__.setdefault("_atrest_tokens", {})[(kind, token)] = (_fingerprint(params), resource_id)


class FileSystem:
    """Stored in moto's FSxBackend.file_systems; moto's DeleteFileSystem reads file_system_type."""

    def __init__(self, backend, region, params, kms_key_id, lustre_deployment):
        self.backend = backend
        self.owner = backend.account_id
        self.file_system_id = f"fs-{_hex17()}"
        self.file_system_type = params["FileSystemType"]
        self.resource_arn = f"arn:aws:fsx:{region}:{self.owner}:file-system/{self.file_system_id}"
        self.lifecycle = "AVAILABLE"
        self.kms_key_id = kms_key_id
        self.lustre_deployment = lustre_deployment
        config_name = _CONFIG[self.file_system_type]
        config = _without_secrets(dict(params.get(config_name) or {}))
        if self.file_system_type == "LUSTRE":
            config["DeploymentType"] = lustre_deployment
            config["MountName"] = "fsx" if lustre_deployment == "SCRATCH_1" else _hex17()[:8]
        self.copy_tags_to_backups = bool(config.get("CopyTagsToBackups"))
        self.data_repository = bool(config.get("ImportPath") or config.get("ExportPath"))
        self.description = {
            "OwnerId": self.owner,
            "CreationTime": time.time(),
            "FileSystemId": self.file_system_id,
            "FileSystemType": self.file_system_type,
            "StorageType": params.get("StorageType") or "SSD",
            "SubnetIds": list(params.get("SubnetIds") or []),
            "ResourceARN": self.resource_arn,
            config_name: config,
        }
        if params.get("StorageCapacity") is not None:
            self.description["StorageCapacity"] = params["StorageCapacity"]
        if self.file_system_type in ("LUSTRE", "WINDOWS"):
            self.description["DNSName"] = f"{self.file_system_id}.fsx.{region}.amazonaws.com"
        if params.get("FileSystemTypeVersion"):
            self.description["FileSystemTypeVersion"] = params["FileSystemTypeVersion"]
        if kms_key_id:
            self.description["KmsKeyId"] = kms_key_id

    def tags(self):
        return self.backend.list_tags_for_resource(self.resource_arn)

    def to_dict(self, lifecycle=None):
        return {**self.description, "Lifecycle": lifecycle or self.lifecycle, "Tags": self.tags()}


class Backup:
    """Stored in moto's FSxBackend.backups; moto's DeleteBackup only pops it."""

    def __init__(self, backend, region, file_system):
        self.backend = backend
        self.owner = backend.account_id
        self.backup_id = f"backup-{_hex17()}"
        self.resource_arn = f"arn:aws:fsx:{region}:{self.owner}:backup/{self.backup_id}"
        self.file_system_id = file_system.file_system_id
        self.file_system_type = file_system.file_system_type
        self.type = "USER_INITIATED"
        self.lifecycle = "AVAILABLE"
        self.description = {
            "BackupId": self.backup_id,
            "Type": self.type,
            "CreationTime": time.time(),
            "ResourceARN": self.resource_arn,
            "OwnerId": self.owner,
            "ResourceType": "FILE_SYSTEM",
            "FileSystem": file_system.to_dict(),
        }
        if file_system.kms_key_id:
            self.description["KmsKeyId"] = file_system.kms_key_id

    def to_dict(self, lifecycle=None):
        return {**self.description, "Lifecycle": lifecycle or self.lifecycle,
                "Tags": self.backend.list_tags_for_resource(self.resource_arn)}


def _kms_key(params, region, file_system_type, lustre_deployment):
    requested = params.get("KmsKeyId")
    if file_system_type == "LUSTRE" and lustre_deployment.startswith("SCRATCH"):
        if requested:
            raise FsxError("BadRequest", f"KmsKeyId is not supported for {lustre_deployment} file systems: they are "
                                         f"encrypted with keys managed by Amazon FSx")
        return None
    if not requested:
        return kms_ext.aws_managed_key_arn(accounts.current(), region, "alias/aws/fsx")
    arn = kms_ext.key_arn(accounts.current(), region, requested)
    if arn is None:
        raise FsxError("BadRequest", f"The KMS key {requested} does not exist or is not accessible")
    return arn


@_answer
def create_file_system(params, region):
    file_system_type = params.get("FileSystemType")
    if file_system_type not in TYPES:
        raise FsxError("BadRequest", f"FileSystemType must be one of {', '.join(TYPES)}")
    if not params.get("SubnetIds"):
        raise FsxError("BadRequest", "SubnetIds is required")
    backend = _backend(region)
    existing = _idempotent(backend, params, "file-system")
    if existing is not None:
        return {"FileSystem": existing.to_dict()}
    deployment = None
    if file_system_type == "LUSTRE":
        deployment = (params.get("LustreConfiguration") or {}).get("DeploymentType") or "SCRATCH_1"
        if deployment not in LUSTRE_DEPLOYMENTS:
            raise FsxError("BadRequest", f"Lustre DeploymentType must be one of {', '.join(LUSTRE_DEPLOYMENTS)}")
    file_system = FileSystem(backend, region, params, _kms_key(params, region, file_system_type, deployment),
                             deployment)
    backend.file_systems[file_system.file_system_id] = file_system
    if params.get("Tags"):
        backend.tag_resource(file_system.resource_arn, params["Tags"])
    _remember(backend, params, "file-system", file_system.file_system_id)
    return {"FileSystem": file_system.to_dict(lifecycle="CREATING")}


def _page(items, params):
    items = sorted(items, key=lambda i: i[0])
    max_results = params.get("MaxResults")
    if max_results is not None and (isinstance(max_results, bool) or not isinstance(max_results, int)
                                    or max_results < 1):
        raise FsxError("BadRequest", "MaxResults must be greater than 0")
    token = params.get("NextToken")
    if token:
        try:
            after = json.loads(base64.b64decode(token.encode(), validate=True))["after"]
        except (ValueError, KeyError, TypeError):
            raise FsxError("BadRequest", "Invalid NextToken")
        items = [i for i in items if i[0] > after]
    if max_results is None or len(items) <= max_results:
        return [i[1] for i in items], None
    page = items[:max_results]
    return [i[1] for i in page], base64.b64encode(json.dumps({"after": page[-1][0]}).encode()).decode()


@_answer
def describe_file_systems(params, region):
    backend = _backend(region)
    ids = params.get("FileSystemIds") or []
    missing = [i for i in ids if i not in backend.file_systems]
    if missing:
        raise FsxError("FileSystemNotFound", f"File system {missing[0]} does not exist.")
    chosen = [backend.file_systems[i] for i in ids] if ids else list(backend.file_systems.values())
    page, token = _page([(fs.file_system_id, fs) for fs in chosen if isinstance(fs, FileSystem)], params)
    answer = {"FileSystems": [fs.to_dict() for fs in page]}
    if token:
        answer["NextToken"] = token
    return answer


@_answer
def create_backup(params, region):
    backend = _backend(region)
    if params.get("VolumeId"):
        raise FsxError("VolumeNotFound", f"Volume {params['VolumeId']} does not exist.")
    file_system_id = params.get("FileSystemId")
    if not file_system_id:
        raise FsxError("BadRequest", "FileSystemId or VolumeId is required")
    existing = _idempotent(backend, params, "backup")
    if existing is not None:
        return {"Backup": existing.to_dict()}
    file_system = backend.file_systems.get(file_system_id)
    if not isinstance(file_system, FileSystem):
        raise FsxError("FileSystemNotFound", f"File system {file_system_id} does not exist.")
    if file_system.file_system_type == "LUSTRE" and (file_system.lustre_deployment.startswith("SCRATCH")
                                                     or file_system.data_repository):
        raise FsxError("BadRequest", "Backups are supported only for persistent Lustre file systems that are not "
                                     "linked to a data repository")
    if file_system.file_system_type == "ONTAP":
        raise FsxError("BadRequest", "FSx for ONTAP backups are taken of volumes: specify a VolumeId")
    backup = Backup(backend, region, file_system)
    backend.backups[backup.backup_id] = backup
    tags = params.get("Tags") or (file_system.tags() if file_system.copy_tags_to_backups else None)
    if tags:
        backend.tag_resource(backup.resource_arn, tags)
    _remember(backend, params, "backup", backup.backup_id)
    return {"Backup": backup.to_dict(lifecycle="CREATING")}


@_answer
def describe_backups(params, region):
    backend = _backend(region)
    ids = params.get("BackupIds") or []
    missing = [i for i in ids if i not in backend.backups]
    if missing:
        raise FsxError("BackupNotFound", f"Backup {missing[0]} does not exist.")
    chosen = [backend.backups[i] for i in ids] if ids else list(backend.backups.values())
    chosen = [b for b in chosen if isinstance(b, Backup)]
    for f in params.get("Filters") or []:
        read = _FILTERS.get(f.get("Name"), lambda b: None)
        values = set(f.get("Values") or [])
        chosen = [b for b in chosen if read(b) in values]
    page, token = _page([(b.backup_id, b) for b in chosen], params)
    answer = {"Backups": [b.to_dict() for b in page]}
    if token:
        answer["NextToken"] = token
    return answer


@_answer
def delete_file_system(params, region):
    if params.get("FileSystemId") not in _backend(region).file_systems:
        raise FsxError("FileSystemNotFound", f"File system {params.get('FileSystemId')} does not exist.")
    return None


@_answer
def delete_backup(params, region):
    if params.get("BackupId") not in _backend(region).backups:
        raise FsxError("BackupNotFound", f"Backup {params.get('BackupId')} does not exist.")
    return None


HANDLERS = {
    ("fsx", "CreateFileSystem"): create_file_system,
    ("fsx", "DescribeFileSystems"): describe_file_systems,
    ("fsx", "CreateBackup"): create_backup,
    ("fsx", "DescribeBackups"): describe_backups,
    ("fsx", "DeleteFileSystem"): delete_file_system,
    ("fsx", "DeleteBackup"): delete_backup,
}
