"""The account a request acts in, found as moto finds it (moto.core.responses.BaseResponse.get_current_account), so
atrest's extensions and moto always agree on it:

1. the server's MOTO_ACCOUNT_ID environment variable, if set;
2. the request's x-moto-account-id header;
3. the account of the request's access key: an IAM user's key, or the key of a session sts:AssumeRole handed out
   (the role ARN's account, whether or not the role exists: moto's way into another account);
4. moto's default account, 123456789012 (any other key, e.g. "testing").

The app sets it for each request before an extension sees it (bind); extensions read it with current().
"""
import os
import re
import threading

from moto.core import DEFAULT_ACCOUNT_ID

# moto's own pattern (BaseResponse.access_key_regex): a 20-character key id in a SigV2/SigV4 Authorization header.
_ACCESS_KEY = re.compile(r"AWS.*(?P<access_key>(?<![A-Z0-9])[A-Z0-9]{20}(?![A-Z0-9]))[:/]")
_local = threading.local()


def of_request(environ):
    """The account of the WSGI request `environ` (the rules above)."""
    if "MOTO_ACCOUNT_ID" in os.environ:
        return os.environ["MOTO_ACCOUNT_ID"]
    header = environ.get("HTTP_X_MOTO_ACCOUNT_ID")
    if header:
        return header
    match = _ACCESS_KEY.search(environ.get("HTTP_AUTHORIZATION", ""))
    if not match:
        return DEFAULT_ACCOUNT_ID
    from moto.iam.models import get_account_id_from
    return get_account_id_from(match.group("access_key"))


def bind(account):
    _local.account = account


def current():
    """The account of the request this thread is serving (moto's default outside a request)."""
    return getattr(_local, "account", None) or DEFAULT_ACCOUNT_ID
