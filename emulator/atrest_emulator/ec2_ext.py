"""EC2 (EBS) operations moto answers differently from AWS, answered through moto's own EC2 response class so the
wire format stays moto's (and therefore the SDK's):

- DescribeVolumes / DescribeSnapshots honour MaxResults / NextToken (moto returns everything in one page, so a
  client's pagination would never be exercised). Pages are ordered by id and the token names the last id returned,
  so a resource deleted between pages does not shift the next page.
- DescribeSnapshots honours OwnerIds ("self", account ids, "amazon"): AWS without OwnerIds also lists public
  snapshots of other accounts, which an audit of "our" snapshots must exclude.
- GetEbsDefaultKmsKeyId (missing in moto): "alias/aws/ebs" until ModifyEbsDefaultKmsKeyId sets a key. The API
  reference calls the value an ARN, but AWS answers the alias for the AWS managed default (seen in AWS CLI and
  Terraform reports), so that is what the emulator answers.
- ModifyEbsDefaultKmsKeyId takes a key id, key ARN, alias or alias ARN and answers the key ARN; AWS checks the key
  asynchronously, so a key the emulator does not know is accepted as given (moto fails with a 500).
  ResetEbsDefaultKmsKeyId (missing in moto) goes back to the AWS managed key for EBS and answers its ARN.
- Volume.KmsKeyId and Snapshot.KmsKeyId are key ARNs: an encrypted volume created without a key reports the EBS
  default key (the aws/ebs AWS managed key, KeyManager AWS, unless ModifyEbsDefaultKmsKeyId chose another), a key
  given by id or alias is reported by its ARN (moto keeps it as given), a volume restored from an encrypted snapshot
  without a key takes the snapshot's key, and a snapshot carries its volume's key (moto leaves it out).

Admin API (seeding only, so benchmarks need not make 16,000 create calls):
  POST /_atrest/ec2/seed {"region": "us-east-1",
                          "volumes":   [{"count": 3, "encrypted": false, "kmsKeyId": null, "tags": {"k": "v"}}],
                          "snapshots": [{"count": 2, "encrypted": false, "ownerId": null}]}
       -> {"volumeIds": [...], "snapshotIds": [...]}
"""
import base64
import json

from moto.core import DEFAULT_ACCOUNT_ID
from moto.core.responses import ActionResult
from moto.ec2.exceptions import EC2ClientError
from moto.ec2.models import ec2_backends
from moto.ec2.models.elastic_block_store import EBSBackend
from moto.ec2.responses import EC2Response
from werkzeug.wrappers import Response

from . import kms_ext

# The largest pages AWS serves (and the smallest it accepts) for these operations.
PAGE_LIMITS = {"DescribeVolumes": (5, 500), "DescribeSnapshots": (5, 1000)}
_OWNER_ALIASES = {"amazon", "aws-marketplace", "aws-backup-vault"}


class InvalidParameterValue(EC2ClientError):
    def __init__(self, message):
        super().__init__("InvalidParameterValue", message)


class InvalidParameterCombination(EC2ClientError):
    def __init__(self, message):
        super().__init__("InvalidParameterCombination", message)


def _token(last_id):
    return base64.urlsafe_b64encode(json.dumps({"after": last_id}).encode()).decode()


def _page(operation, items, ids, max_results, next_token):
    items = sorted(items, key=lambda i: i.id)
    if max_results is None and next_token is None:
        return items, None
    if ids:
        raise InvalidParameterCombination(
            "The parameter ids cannot be used with the parameter maxResults")
    low, high = PAGE_LIMITS[operation]
    size = high if max_results is None else int(max_results)
    if size < low:
        raise InvalidParameterValue(f"Value ( {size} ) for parameter maxResults is invalid. "
                                    f"Expecting a value greater than {low - 1}.")
    size = min(size, high)
    if next_token:
        try:
            after = json.loads(base64.urlsafe_b64decode(next_token.encode()))["after"]
        except (ValueError, KeyError, TypeError):
            raise InvalidParameterValue(f"Invalid value '{next_token}' for nextToken")
        items = [i for i in items if i.id > after]
    page = items[:size]
    return page, (_token(page[-1].id) if len(items) > size else None)


class _Ec2(EC2Response):
    def describe_volumes(self):
        ids = self._get_param("VolumeIds", [])
        volumes = self.ec2_backend.describe_volumes(volume_ids=ids, filters=self._filters_from_querystring())
        page, token = _page("DescribeVolumes", volumes, ids, self._get_param("MaxResults"),
                            self._get_param("NextToken"))
        return ActionResult({"Volumes": page, "NextToken": token})

    def describe_snapshots(self):
        ids = self._get_param("SnapshotIds", [])
        snapshots = self.ec2_backend.describe_snapshots(snapshot_ids=ids, filters=self._filters_from_querystring())
        owners = self._get_param("OwnerIds", [])
        if owners:
            wanted = {self.current_account if o == "self" else o for o in owners}
            snapshots = [s for s in snapshots
                         if s.owner_id in wanted or getattr(s, "owner_alias", None) in wanted & _OWNER_ALIASES]
        page, token = _page("DescribeSnapshots", snapshots, ids, self._get_param("MaxResults"),
                            self._get_param("NextToken"))
        return ActionResult({"Snapshots": page, "NextToken": token})

    def get_ebs_default_kms_key_id(self):
        return ActionResult({"KmsKeyId": default_kms_key_id(self.ec2_backend)})

    def modify_ebs_default_kms_key_id(self):
        self.error_on_dryrun()
        requested = self._get_param("KmsKeyId")
        if not requested:
            raise InvalidParameterValue("KmsKeyId is required")
        backend = self.ec2_backend
        # AWS checks the key asynchronously: an unknown key is accepted as given.
        chosen = kms_ext.key_arn(backend.account_id, backend.region_name, requested) or requested
        backend.default_kms_key_id = chosen
        return ActionResult({"KmsKeyId": chosen})

    def reset_ebs_default_kms_key_id(self):
        self.error_on_dryrun()
        backend = self.ec2_backend
        backend.default_kms_key_id = ""
        return ActionResult({"KmsKeyId": kms_ext.aws_managed_key_arn(backend.account_id, backend.region_name,
                                                                     "alias/aws/ebs")})


def default_kms_key_id(backend):
    """What AWS reports: the AWS managed key by its alias until a customer key is chosen. moto records the ARN of
    the aws/ebs key as soon as any encrypted volume is created, which must still read as the alias."""
    arn = backend.default_kms_key_id
    if not arn:
        return "alias/aws/ebs"
    from moto.kms import kms_backends
    kms = kms_backends[backend.account_id][backend.region_name]
    if kms.alias_exists("alias/aws/ebs") and kms.describe_key("alias/aws/ebs").arn == arn:
        return "alias/aws/ebs"
    return arn


def _via_moto(call, request, body, region):
    status, headers, out = _Ec2.dispatch(request, request.url, dict(request.headers))
    headers = {k: v for k, v in dict(headers).items() if k.lower() != "status"}
    return Response(out, status=int(status), headers=headers)


HANDLERS = {
    ("ec2", "DescribeVolumes"): _via_moto,
    ("ec2", "DescribeSnapshots"): _via_moto,
    ("ec2", "GetEbsDefaultKmsKeyId"): _via_moto,
    ("ec2", "ModifyEbsDefaultKmsKeyId"): _via_moto,
    ("ec2", "ResetEbsDefaultKmsKeyId"): _via_moto,
}


def _patch_backend():
    """Keys of volumes and snapshots as AWS reports them, whichever path creates them (API or seeding)."""
    if getattr(EBSBackend, "_atrest_patched", False):
        return
    original_create_volume = EBSBackend.create_volume
    original_create_snapshot = EBSBackend.create_snapshot

    def create_volume(self, *args, **kwargs):
        volume = original_create_volume(self, *args, **kwargs)
        if volume.encrypted and not volume.kms_key_id and volume.snapshot_id:
            volume.kms_key_id = self.get_snapshot(volume.snapshot_id).kms_key_id
        if volume.encrypted and not volume.kms_key_id:
            volume.kms_key_id = (kms_ext.key_arn(self.account_id, self.region_name, self.default_kms_key_id)
                                 or kms_ext.aws_managed_key_arn(self.account_id, self.region_name, "alias/aws/ebs"))
        if volume.kms_key_id:
            volume.kms_key_id = kms_ext.key_arn(self.account_id, self.region_name, volume.kms_key_id) or \
                volume.kms_key_id
        return volume

    def create_snapshot(self, volume_id, *args, **kwargs):
        snapshot = original_create_snapshot(self, volume_id, *args, **kwargs)
        if snapshot.encrypted and not snapshot.kms_key_id:
            snapshot.kms_key_id = self.get_volume(volume_id).kms_key_id
        return snapshot

    EBSBackend.create_volume = create_volume
    EBSBackend.create_snapshot = create_snapshot
    EBSBackend._atrest_patched = True


_patch_backend()


def seed(config):
    region = config.get("region", "us-east-1")
    backend = ec2_backends[config.get("account", DEFAULT_ACCOUNT_ID)][region]
    zone = region + "a"
    out = {"volumeIds": [], "snapshotIds": []}
    for spec in config.get("volumes", []):
        for _ in range(int(spec.get("count", 1))):
            encrypted = bool(spec.get("encrypted", False))
            volume = backend.create_volume(size=int(spec.get("size", 1)), zone_name=zone, encrypted=encrypted,
                                           kms_key_id=spec.get("kmsKeyId") if encrypted else None)
            if spec.get("tags"):
                volume.add_tags(spec["tags"])
            out["volumeIds"].append(volume.id)
    for spec in config.get("snapshots", []):
        encrypted = bool(spec.get("encrypted", False))
        # Snapshots commonly outlive their volume: the source volume is not left behind in the backend.
        source = backend.create_volume(size=1, zone_name=zone, encrypted=encrypted,
                                       kms_key_id=spec.get("kmsKeyId") if encrypted else None)
        for _ in range(int(spec.get("count", 1))):
            snapshot = backend.create_snapshot(source.id, description="seeded", owner_id=spec.get("ownerId"))
            if spec.get("tags"):
                snapshot.add_tags(spec["tags"])
            out["snapshotIds"].append(snapshot.id)
        backend.volumes.pop(source.id, None)
    return out


def admin(path, method, body):
    if path == "/_atrest/ec2/seed" and method == "POST":
        return Response(json.dumps(seed(json.loads(body or b"{}"))), mimetype="application/json")
    return None
