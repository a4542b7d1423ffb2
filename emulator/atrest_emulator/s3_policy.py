"""Bucket policy conditions moto 5.2 ignores (it evaluates the Principal "*" statements of a bucket policy as if they
had no Condition, so the usual "deny requests without TLS" statement denies every request), for the two condition
keys a bucket shared with an organisation uses (IAM User Guide, global condition context keys):

- aws:SecureTransport (Bool): the emulator stands in for S3's HTTPS endpoint, so every request counts as sent over
  TLS: {"Bool": {"aws:SecureTransport": "false"}} does not match, "true" does.
- aws:PrincipalOrgID (StringEquals, StringLike and their negations StringNotEquals, StringNotLike): compared with
  the id of the organisation the caller's account belongs to (accounts.py); an account outside any organisation has
  none (matches no StringEquals/StringLike, every StringNotEquals/StringNotLike).
A statement whose condition uses anything else keeps moto's treatment (the condition is ignored).
"""
import fnmatch
import json

from moto.organizations.models import organizations_backends
from moto.s3.models import FakeBucket

from . import accounts


_ORG_OPERATORS = ("StringEquals", "StringLike", "StringNotEquals", "StringNotLike")


def _org_id(account):
    try:
        return organizations_backends[account]["aws"].describe_organization()["Organization"]["Id"]
    except Exception:  # not in an organisation
        return None


def _known(operator, key, values):
    """True/False when the condition can be evaluated here, None otherwise."""
    values = values if isinstance(values, list) else [values]
    values = [str(v).lower() if isinstance(v, bool) else str(v) for v in values]
    if key.lower() == "aws:securetransport" and operator == "Bool":
        return "true" in [v.lower() for v in values]
    if key.lower() == "aws:principalorgid" and operator in _ORG_OPERATORS:
        org = _org_id(accounts.current())
        if operator.startswith("StringEquals") or operator.startswith("StringNotEquals"):
            matched = org is not None and org in values
        else:
            matched = org is not None and any(fnmatch.fnmatchcase(org, v) for v in values)
        return not matched if "Not" in operator else matched
    return None


def applies(condition):
    """Whether a statement's Condition holds: True, False, or None when it names something not modelled here."""
    verdicts = [_known(operator, key, values)
                for operator, block in condition.items() for key, values in block.items()]
    if False in verdicts:
        return False
    return True if all(v is True for v in verdicts) else None


def _patch():
    original = FakeBucket.get_permission

    def get_permission(self, action, resource):
        if self.policy is None:
            return original(self, action, resource)
        document = json.loads(self.policy)
        statements = document.get("Statement", [])
        statements = statements if isinstance(statements, list) else [statements]
        kept = []
        for statement in statements:
            condition = statement.get("Condition")
            if condition and applies(condition) is False:
                continue
            kept.append(statement)
        from moto.iam.access_control import IAMPolicy, PermissionResult
        if not kept:
            return PermissionResult.NEUTRAL
        return IAMPolicy(json.dumps({**document, "Statement": kept})).is_action_permitted(action, resource)

    FakeBucket.get_permission = get_permission


_patch()
