"""S3 Object Ownership and object ACLs (User Guide: "Controlling ownership of objects and disabling ACLs",
"Troubleshooting" of Object Ownership; API Reference: PutObjectAcl, GetObjectAcl, CopyObject) where moto 5.2 departs:
it stores any ACL in a bucket whose ownership is BucketOwnerEnforced and answers GetObjectAcl with it, ignores the
AccessControlPolicy document and the versionId of PutObjectAcl, and keeps only the first grantee of each grant header.

A bucket created without x-amz-object-ownership has no ownership controls here (moto's default, and the state of a
bucket created before April 2023 that nobody changed): ACLs are enabled and behave as under ObjectWriter.
Since April 2023 AWS gives new buckets BucketOwnerEnforced; tests that mean that must say so when they create the
bucket (ObjectOwnership="BucketOwnerEnforced")."""
import xml.etree.ElementTree as ET

from moto.s3.models import OWNER, FakeAcl, FakeGrant, FakeGrantee, get_canned_acl
from werkzeug.wrappers import Response

from . import s3_common as c
from .s3_common import S3Error

_GRANT_HEADERS = {"x-amz-grant-read": "READ", "x-amz-grant-write": "WRITE", "x-amz-grant-read-acp": "READ_ACP",
                  "x-amz-grant-write-acp": "WRITE_ACP", "x-amz-grant-full-control": "FULL_CONTROL"}
_CANNED = ("private", "public-read", "public-read-write", "authenticated-read", "aws-exec-read", "bucket-owner-read",
           "bucket-owner-full-control", "log-delivery-write")
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
_NOT_SUPPORTED = "The bucket does not allow ACLs"


def enforced(bkt):
    return (bkt.ownership_rule or "") == "BucketOwnerEnforced"


def _owner_only(grants):
    """True when the grants give the bucket owner full control and nothing else: the only ACL a BucketOwnerEnforced
    bucket takes (besides none)."""
    return bool(grants) and all(g == ("id", OWNER, "FULL_CONTROL") for g in grants)


def _header_grants(request):
    grants = []
    for header, permission in _GRANT_HEADERS.items():
        value = request.headers.get(header)
        if not value:
            continue
        for item in value.split(","):
            kind, _, who = item.strip().partition("=")
            grants.append((kind.strip().lower(), who.strip().strip('"'), permission))
    return grants


def check_write(bkt, request):
    """A PutObject, CopyObject, CreateMultipartUpload or PutBucketAcl that sets an ACL a BucketOwnerEnforced bucket
    refuses: 400 AccessControlListNotSupported."""
    if not enforced(bkt):
        return
    canned = request.headers.get("x-amz-acl")
    grants = _header_grants(request)
    if canned is not None and canned not in ("bucket-owner-full-control", "private"):
        raise S3Error(400, "AccessControlListNotSupported", _NOT_SUPPORTED)
    if grants and not _owner_only(grants):
        raise S3Error(400, "AccessControlListNotSupported", _NOT_SUPPORTED)


def _policy_grants(body):
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        raise S3Error(400, "MalformedACLError", "The XML you provided was not well-formed or did not validate "
                                                "against our published schema")
    local = lambda el: el.tag.rsplit("}", 1)[-1]  # noqa: E731
    if local(root) != "AccessControlPolicy":
        raise S3Error(400, "MalformedACLError", "The XML you provided was not well-formed or did not validate "
                                                "against our published schema")
    grants = []
    for el in root.iter():
        if local(el) != "Grant":
            continue
        fields = {local(ch): ch for ch in el}
        grantee, permission = fields.get("Grantee"), fields.get("Permission")
        if grantee is None or permission is None:
            raise S3Error(400, "MalformedACLError", "The XML you provided was not well-formed or did not validate "
                                                    "against our published schema")
        who = {local(ch): (ch.text or "").strip() for ch in grantee}
        if "ID" in who:
            grants.append(("id", who["ID"], permission.text.strip()))
        elif "URI" in who:
            grants.append(("uri", who["URI"], permission.text.strip()))
        else:
            grants.append(("emailaddress", who.get("EmailAddress", ""), permission.text.strip()))
    return grants


def _fake_acl(grants):
    made = []
    for kind, who, permission in grants:
        grantee = FakeGrantee(grantee_id=who) if kind == "id" else FakeGrantee(uri=who)
        made.append(FakeGrant([grantee], [permission]))
    return FakeAcl(made)


def put_object_acl(call, request, body, region):
    """PutObjectAcl of the named version, from a canned ACL, grant headers or an AccessControlPolicy document."""
    try:
        version_id = request.args.get("versionId")
        c.check_version_id(version_id)
        bkt = c.bucket(call.bucket)
        obj = c.version(bkt, call.key, version_id, "PUT")
        canned = request.headers.get("x-amz-acl")
        grants = _header_grants(request)
        if canned is not None and (grants or body):
            raise S3Error(400, "UnexpectedContent", "This request does not support content" if body else
                          "Specifying both Canned ACLs and Header Grants is not allowed")
        if canned is not None and canned not in _CANNED:
            raise S3Error(400, "InvalidArgument", "", ArgumentName="x-amz-acl", ArgumentValue=canned)
        if not canned and not grants and body:
            grants = _policy_grants(body)
        if not canned and not grants:
            raise S3Error(400, "MalformedACLError", "The XML you provided was not well-formed or did not validate "
                                                    "against our published schema")
        if enforced(bkt) and not (canned in ("bucket-owner-full-control", "private") or _owner_only(grants)):
            raise S3Error(400, "AccessControlListNotSupported", _NOT_SUPPORTED)
    except S3Error as e:
        return c.answer(e, request)
    obj.set_acl(get_canned_acl(canned) if canned else _fake_acl(grants))
    headers = {}
    if obj.version_id and obj.version_id != "null":
        headers["x-amz-version-id"] = obj.version_id
    return Response(status=200, headers=headers)


def _owner_full_control_xml(extra_headers=None):
    xml = (f'<AccessControlPolicy xmlns="{c.XMLNS}"><Owner><ID>{OWNER}</ID></Owner><AccessControlList>'
           f'<Grant><Grantee xmlns:xsi="{_XSI}" xsi:type="CanonicalUser"><ID>{OWNER}</ID></Grantee>'
           f"<Permission>FULL_CONTROL</Permission></Grant></AccessControlList></AccessControlPolicy>")
    return c.xml_response(xml, extra_headers)


def get_object_acl(call, request, body, region):
    """In a BucketOwnerEnforced bucket every object's ACL reads as the bucket owner's full control; the stored ACL is
    kept, and shows again if ACLs are enabled again."""
    try:
        version_id = request.args.get("versionId")
        c.check_version_id(version_id)
        bkt = c.bucket(call.bucket)
        obj = c.version(bkt, call.key, version_id)
    except S3Error as e:
        return c.answer(e, request)
    if not enforced(bkt):
        return None
    headers = {"x-amz-version-id": obj.version_id} if obj.version_id and obj.version_id != "null" else {}
    return _owner_full_control_xml(headers)


def get_bucket_acl(call, request, body, region):
    try:
        bkt = c.bucket(call.bucket)
    except S3Error:
        return None
    return _owner_full_control_xml() if enforced(bkt) else None


def check_bucket_acl_write(call, request, body, region):
    try:
        bkt = c.bucket(call.bucket)
    except S3Error:
        return None
    try:
        check_write(bkt, request)
        if enforced(bkt) and body and not request.headers.get("x-amz-acl") and not _owner_only(_policy_grants(body)):
            raise S3Error(400, "AccessControlListNotSupported", _NOT_SUPPORTED)
    except S3Error as e:
        return c.answer(e, request)
    return None
