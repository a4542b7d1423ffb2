"""S3: bulk seeding for benchmarks (a bucket of tens of thousands of objects without one HTTP request each).

Admin API:
  POST /_atrest/s3/seed {"bucket": "b", "count": 20000, "prefix": "obj/", "size": 256,
                         "encryption": "AES256" | "aws:kms" | null, "kmsKeyId": null, "region": "us-east-1"}
       -> {"bucket": "b", "created": 20000, "seconds": 4.2}
       Creates the bucket when it does not exist, then objects <prefix><index, six digits> of `size` bytes each,
       through moto's own S3 backend (the same objects a PutObject would make, with the same encryption fields the
       extensions read), holding the S3 write lock so no client write interleaves. Test and bench state only:
       nothing here models an AWS API.
"""
import json
import time

from moto.core import DEFAULT_ACCOUNT_ID
from moto.s3.models import s3_backends
from werkzeug.wrappers import Response

from . import s3_ext
from .classify import Call

MAX_OBJECTS = 1_000_000
ENCRYPTIONS = ("AES256", "aws:kms", None)


def seed(config):
    bucket = config.get("bucket")
    count = config.get("count", 1)
    size = config.get("size", 64)
    encryption = config.get("encryption", "AES256")
    if not isinstance(bucket, str) or not bucket:
        raise ValueError("bucket must be a bucket name")
    if not isinstance(count, int) or not 0 <= count <= MAX_OBJECTS:
        raise ValueError(f"count must be an integer from 0 to {MAX_OBJECTS}")
    if not isinstance(size, int) or not 0 <= size <= 1024 * 1024:
        raise ValueError("size must be an integer from 0 to 1048576")
    if encryption not in ENCRYPTIONS:
        raise ValueError("encryption must be AES256, aws:kms or null")
    backend = s3_backends[config.get("account", DEFAULT_ACCOUNT_ID)]["aws"]
    prefix = str(config.get("prefix", ""))
    body = b"x" * size
    started = time.monotonic()
    with s3_ext.exclusive(Call("s3", "PutObject", bucket, prefix)):
        try:
            backend.get_bucket(bucket)
        except Exception:  # moto's MissingBucket
            backend.create_bucket(bucket, config.get("region", "us-east-1"))
        for i in range(count):
            backend.put_object(bucket, f"{prefix}{i:06d}", body, encryption=encryption,
                               kms_key_id=config.get("kmsKeyId") if encryption == "aws:kms" else None)
    return {"bucket": bucket, "created": count, "seconds": round(time.monotonic() - started, 2)}


def admin(path, method, body):
    if path != "/_atrest/s3/seed":
        return None
    if method != "POST":
        return Response(json.dumps({"error": "POST only"}), status=405, mimetype="application/json")
    try:
        return Response(json.dumps(seed(json.loads(body or b"{}"))), mimetype="application/json")
    except ValueError as e:
        return Response(json.dumps({"error": str(e)}), status=400, mimetype="application/json")
