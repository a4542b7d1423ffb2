"""S3 additional checksums as the User Guide ("Checking object integrity") and the API Reference (CopyObject,
CreateMultipartUpload, UploadPartCopy, CompleteMultipartUpload, HeadObject, GetObjectAttributes) describe them, where
moto 5.2 departs: it falls back to CRC32 for CRC32C (and to SHA256 for algorithms it does not know), takes every
checksum type for every algorithm, returns no part checksum from UploadPartCopy, never checks the checksums a
CompleteMultipartUpload names, and HeadObject shows neither the checksum type nor the part count of a composite
checksum."""
import base64
import hashlib
import xml.etree.ElementTree as ET

from awscrt import checksums as crt

from .s3_common import S3Error

# Digest functions, each returning the raw digest in S3's byte order.
_DIGESTS = {
    "CRC32": lambda data: crt.crc32(data).to_bytes(4, "big"),
    "CRC32C": lambda data: crt.crc32c(data).to_bytes(4, "big"),
    "CRC64NVME": lambda data: crt.crc64nvme(data).to_bytes(8, "big"),
    "SHA1": lambda data: hashlib.sha1(data).digest(),
    "SHA256": lambda data: hashlib.sha256(data).digest(),
    "SHA512": lambda data: hashlib.sha512(data).digest(),
    "MD5": lambda data: hashlib.md5(data).digest(),
    "XXHASH64": lambda data: crt.XXHash.compute_xxhash64(data),
    "XXHASH3": lambda data: crt.XXHash.compute_xxhash3_64(data),
    "XXHASH128": lambda data: crt.XXHash.compute_xxhash3_128(data),
}
ALGORITHMS = frozenset(_DIGESTS)
# The checksum types S3 takes for a multipart upload (User Guide, "Checking object integrity": CRC64NVME is full
# object only, SHA-1 and SHA-256 composite only). S3's own error for any other algorithm lists these five.
FULL_OBJECT = frozenset({"CRC32", "CRC32C", "CRC64NVME"})
COMPOSITE = frozenset({"CRC32", "CRC32C", "SHA1", "SHA256"})
MULTIPART = FULL_OBJECT | COMPOSITE
_UNSUPPORTED = ("Checksum algorithm provided is unsupported. Please try again with any of the valid types: "
                "[CRC32, CRC32C, CRC64NVME, SHA1, SHA256]")


def digest(data, algorithm):
    return _DIGESTS[algorithm.upper()](bytes(data))


def checksum(data, algorithm):
    return base64.b64encode(digest(data, algorithm)).decode()


def _moto_compute_checksum(body, algorithm, encode_base64=True):
    raw = digest(body, algorithm if algorithm.upper() in _DIGESTS else "SHA256")
    return base64.b64encode(raw) if encode_base64 else raw


def patch_moto():
    """moto's compute_checksum, wherever moto imported it, computes every algorithm S3 has."""
    from moto.s3 import models, responses, utils
    for module in (models, responses, utils):
        module.compute_checksum = _moto_compute_checksum


def copy_algorithm(request):
    """The x-amz-checksum-algorithm of a CopyObject, upper-cased, or None; S3 answers 400 for unknown ones."""
    value = request.headers.get("x-amz-checksum-algorithm")
    if value is None:
        return None
    if value.upper() not in ALGORITHMS:
        raise S3Error(400, "InvalidRequest", _UNSUPPORTED)
    return value.upper()


def upload_settings(request):
    """(algorithm, type) a CreateMultipartUpload asks for, with S3's default type; (None, None) without checksum."""
    algorithm = request.headers.get("x-amz-checksum-algorithm")
    kind = request.headers.get("x-amz-checksum-type")
    if algorithm is not None and algorithm.upper() not in MULTIPART:
        raise S3Error(400, "InvalidRequest", _UNSUPPORTED)
    if kind is not None and algorithm is None:
        raise S3Error(400, "InvalidRequest", "The x-amz-checksum-type header can only be used with the "
                                             "x-amz-checksum-algorithm header.")
    if algorithm is None:
        return None, None
    algorithm = algorithm.upper()
    if kind is None:
        return algorithm, "FULL_OBJECT" if algorithm == "CRC64NVME" else "COMPOSITE"
    kind = kind.upper()
    if kind not in ("FULL_OBJECT", "COMPOSITE"):
        raise S3Error(400, "InvalidRequest", "Value for x-amz-checksum-type header is invalid.")
    if algorithm not in (FULL_OBJECT if kind == "FULL_OBJECT" else COMPOSITE):
        raise S3Error(400, "InvalidRequest", f"The {kind} checksum type cannot be used with the "
                                             f"{algorithm.lower()} checksum algorithm.")
    return algorithm, kind


def upload_algorithm(multipart):
    """(algorithm, type) an upload was created with, or (None, None)."""
    algorithm = multipart.metadata.get("x-amz-checksum-algorithm")
    if not algorithm:
        return None, None
    return algorithm.upper(), (multipart.metadata.get("x-amz-checksum-type") or "COMPOSITE").upper()


def _listed_parts(body):
    """[(part number, {algorithm: checksum})] of a CompleteMultipartUpload document; [] when it cannot be read (moto
    answers MalformedXML itself)."""
    try:
        root = ET.fromstring(body or b"")
    except ET.ParseError:
        return []
    local = lambda el: el.tag.rsplit("}", 1)[-1]  # noqa: E731
    parts = []
    for part in root:
        if local(part) != "Part":
            continue
        fields = {local(c): (c.text or "").strip() for c in part}
        try:
            number = int(fields.get("PartNumber", ""))
        except ValueError:
            return []
        named = {name[len("Checksum"):].upper(): value for name, value in fields.items()
                 if name.startswith("Checksum") and name != "ChecksumType"}
        parts.append((number, named))
    return parts


def check_complete(multipart, request, body):
    """Raises S3's error when a CompleteMultipartUpload names checksums that do not hold for the upload."""
    algorithm, kind = upload_algorithm(multipart)
    if algorithm is None:
        return
    asked_type = request.headers.get("x-amz-checksum-type")
    if asked_type is not None and asked_type.upper() != kind:
        raise S3Error(400, "BadDigest", f"The upload was created using the {kind} checksum mode. The complete request "
                                        f"must use the same checksum mode.")
    raw_parts = []
    count = 0
    for number, named in _listed_parts(body):
        part = multipart.parts.get(number)
        if part is None:
            return  # moto answers InvalidPart
        given = named.get(algorithm)
        if given is None:
            if named:
                raise S3Error(400, "InvalidPart", "One or more of the specified parts could not be found.  The part "
                                                  "may not have been uploaded, or the specified entity tag may not "
                                                  "match the part's entity tag.", UploadId=multipart.id,
                              PartNumber=number)
            raise S3Error(400, "InvalidRequest", f"The upload was created using a {algorithm.lower()} checksum. The "
                                                 f"complete request must include the checksum for each part. It was "
                                                 f"missing for part {number} in the request.")
        raw = digest(part.value, algorithm)
        if given != base64.b64encode(raw).decode():
            raise S3Error(400, "InvalidPart", "One or more of the specified parts could not be found.  The part may "
                                              "not have been uploaded, or the specified entity tag may not match the "
                                              "part's entity tag.", UploadId=multipart.id, PartNumber=number)
        raw_parts.append(part.value if kind == "FULL_OBJECT" else raw)
        count += 1
    for name in request.headers.keys():
        lower = name.lower()
        if not lower.startswith("x-amz-checksum-") or lower in ("x-amz-checksum-type", "x-amz-checksum-algorithm"):
            continue
        named_algorithm = lower[len("x-amz-checksum-"):].upper()
        if named_algorithm != algorithm:
            raise S3Error(400, "InvalidRequest", f"Checksum Type mismatch occurred, expected checksum Type: "
                                                 f"{algorithm.lower()}, actual checksum Type: {named_algorithm.lower()}")
        expected = checksum(b"".join(raw_parts), algorithm) + (f"-{count}" if kind == "COMPOSITE" else "")
        if request.headers[name] != expected:
            raise S3Error(400, "BadDigest", f"The {algorithm} you specified did not match the calculated checksum.")


def shown(key):
    """(algorithm, value as S3 shows it, type) of an object's checksum, or None: a composite checksum ends with the
    number of parts, and a checksum written in one request is a FULL_OBJECT one."""
    if not key.checksum_algorithm or not key.checksum_value:
        return None
    value = key.checksum_value
    kind = key.checksum_type or "FULL_OBJECT"
    if kind == "COMPOSITE" and key.checksum_parts and "-" not in value:
        value = f"{value}-{key.checksum_parts}"
    return key.checksum_algorithm.upper(), value, kind


def part_checksum(multipart, value):
    """The element UploadPartCopy answers for the copied part when the upload has a checksum algorithm."""
    algorithm, _ = upload_algorithm(multipart)
    if algorithm is None:
        return None
    return f"Checksum{algorithm}", checksum(value, algorithm)
