"""S3 bucket-level behaviour moto lacks: the bucket owner condition and the EventBridge notification configuration.

- Bucket owner condition (S3 User Guide, "Verifying bucket ownership with bucket owner condition"): a request with
  x-amz-expected-bucket-owner fails with 403 AccessDenied when that account does not own the bucket; a copy's
  x-amz-source-expected-bucket-owner does the same for the source bucket. moto ignores both headers.
- GetBucketNotificationConfiguration: moto keeps an EventBridgeConfiguration put with the configuration but leaves it
  out of its answer; S3 answers <EventBridgeConfiguration/> while EventBridge notifications are on.
"""
import re
from urllib.parse import unquote

from moto.s3.models import s3_backends
from moto.s3.responses import S3Response

from . import s3_common as c

EXPECTED_OWNER = "x-amz-expected-bucket-owner"
EXPECTED_SOURCE_OWNER = "x-amz-source-expected-bucket-owner"


def _owner(bucket_name):
    found = s3_backends.bucket_accounts.get(bucket_name)
    return found[1] if found else None


def before(call, request, body, region):
    if call.service != "s3" or call.bucket is None:
        return None
    expected = request.headers.get(EXPECTED_OWNER)
    owner = _owner(call.bucket)
    if expected and owner is not None and owner != expected:
        return c.error(403, "AccessDenied", "Access Denied", request.method)
    expected_source = request.headers.get(EXPECTED_SOURCE_OWNER)
    source = request.headers.get("x-amz-copy-source")
    if expected_source and source:
        source_bucket = unquote(source).lstrip("/").split("/", 1)[0]
        source_owner = _owner(source_bucket)
        if source_owner is not None and source_owner != expected_source:
            return c.error(403, "AccessDenied", "Access Denied", request.method)
    return None


def _patch_moto():
    if getattr(S3Response, "_atrest_notification_patched", False):
        return
    original = S3Response.get_bucket_notification

    def get_bucket_notification(self):
        answer = original(self)
        configuration = self.backend.get_bucket_notification_configuration(self.bucket_name)
        if configuration is None or getattr(configuration, "event_bridge", None) is None:
            return answer
        status, headers, content = answer
        text = content.decode() if isinstance(content, bytes) else str(content)
        if "<EventBridgeConfiguration" in text:
            return answer
        element = "<EventBridgeConfiguration></EventBridgeConfiguration>"
        if "</NotificationConfiguration>" in text:
            text = text.replace("</NotificationConfiguration>", element + "</NotificationConfiguration>")
        elif re.search(r"<NotificationConfiguration[^>]*/>", text):
            text = re.sub(r"<NotificationConfiguration([^>]*)/>",
                          lambda m: f"<NotificationConfiguration{m.group(1)}>{element}</NotificationConfiguration>",
                          text)
        else:
            text = (f'<?xml version="1.0" encoding="UTF-8"?>\n<NotificationConfiguration xmlns="{c.XMLNS}">'
                    f"{element}</NotificationConfiguration>")
        headers = {k: v for k, v in dict(headers).items() if k.lower() != "content-length"}
        return status, headers, text

    S3Response.get_bucket_notification = get_bucket_notification
    S3Response._atrest_notification_patched = True


_patch_moto()
HANDLERS = {}
