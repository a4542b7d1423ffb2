"""Additional checksums on the copy path: what CopyObject keeps, what a multipart copy can and cannot keep, and how
HeadObject and GetObjectAttributes show them. Expected values are the published check values of each algorithm
for "123456789" and, for multipart uploads, those of the s3-tests suite (5 MiB of "A", then "tail")."""
import base64
import hashlib
import zlib

import pytest
from botocore.exceptions import ClientError

BUCKET = "checksums"
MIB = 1024 * 1024
BIG, TAIL = b"A" * (5 * MIB), b"tail"
CHECK = b"123456789"
CHECK_VALUES = {  # base64 of the catalogued check values (CRC-32C 0xE3069283, CRC-64/NVME 0xAE8B14860A799888)
    "CRC32": base64.b64encode(zlib.crc32(CHECK).to_bytes(4, "big")).decode(),
    "CRC32C": base64.b64encode(bytes.fromhex("e3069283")).decode(),
    "CRC64NVME": base64.b64encode(bytes.fromhex("ae8b14860a799888")).decode(),
    "SHA1": base64.b64encode(hashlib.sha1(CHECK).digest()).decode(),
    "SHA256": base64.b64encode(hashlib.sha256(CHECK).digest()).decode(),
}
# algorithm, requested type, type S3 gives, part checksums, object checksum
MULTIPART = [
    ("CRC32", None, "COMPOSITE", ["JRTCyQ==", "fDe0XQ=="], "ar6UVw==-2"),
    ("CRC32", "FULL_OBJECT", "FULL_OBJECT", ["JRTCyQ==", "fDe0XQ=="], "gPNU7Q=="),
    ("CRC32C", "FULL_OBJECT", "FULL_OBJECT", ["MDaLrw==", "B21LrQ=="], "LZbOwA=="),
    ("CRC64NVME", None, "FULL_OBJECT", ["L/E4WYn8v98=", "sAra2CkCEgw="], "UpfGsWmSCEg="),
    ("SHA256", None, "COMPOSITE", ["275VF5loJr1YYawit0XSHREhkFXYkkPKGuoK0x9VKxI=",
                                   "DGL4du8d6oMN6fMsL0tG3W101Q0ViW4J71ovzUrH4dc="],
     "2kYaKgwMh4G97NB7sxufv13cvQqUqNgjK75WsW6s16Q=-2"),
]


def _error(err):
    return err.value.response["ResponseMetadata"]["HTTPStatusCode"], err.value.response["Error"]["Code"]


@pytest.fixture
def s3(client):
    s3 = client("s3")
    s3.create_bucket(Bucket=BUCKET)
    return s3


def _checksum(s3, key, **kwargs):
    """(algorithm, value, type) HeadObject shows with x-amz-checksum-mode: ENABLED."""
    head = s3.head_object(Bucket=BUCKET, Key=key, ChecksumMode="ENABLED", **kwargs)
    found = [(name[len("Checksum"):], value) for name, value in head.items()
             if name.startswith("Checksum") and name != "ChecksumType"]
    assert len(found) <= 1, head
    return (*found[0], head.get("ChecksumType")) if found else None


@pytest.mark.parametrize("algorithm", sorted(CHECK_VALUES))
def test_put_object_checksums_are_the_catalogued_values(s3, algorithm):
    s3.put_object(Bucket=BUCKET, Key="k", Body=CHECK, ChecksumAlgorithm=algorithm)
    assert _checksum(s3, "k") == (algorithm, CHECK_VALUES[algorithm], "FULL_OBJECT")
    plain = s3.head_object(Bucket=BUCKET, Key="k")
    assert not [name for name in plain if name.startswith("Checksum")]  # only when asked for
    attributes = s3.get_object_attributes(Bucket=BUCKET, Key="k", ObjectAttributes=["Checksum"])["Checksum"]
    assert attributes == {f"Checksum{algorithm}": CHECK_VALUES[algorithm], "ChecksumType": "FULL_OBJECT"}


@pytest.mark.parametrize("algorithm", ["SHA256", "CRC32C"])
def test_copy_object_keeps_the_source_checksum(s3, algorithm):
    s3.put_object(Bucket=BUCKET, Key="src", Body=CHECK, ChecksumAlgorithm=algorithm)
    result = s3.copy_object(Bucket=BUCKET, Key="src", CopySource={"Bucket": BUCKET, "Key": "src"},
                            ServerSideEncryption="AES256")
    assert result["CopyObjectResult"][f"Checksum{algorithm}"] == CHECK_VALUES[algorithm]
    assert _checksum(s3, "src") == (algorithm, CHECK_VALUES[algorithm], "FULL_OBJECT")


def test_copy_object_computes_another_algorithm_when_asked(s3):
    s3.put_object(Bucket=BUCKET, Key="src", Body=CHECK, ChecksumAlgorithm="SHA256")
    s3.copy_object(Bucket=BUCKET, Key="dst", CopySource={"Bucket": BUCKET, "Key": "src"}, ChecksumAlgorithm="CRC64NVME")
    assert _checksum(s3, "dst") == ("CRC64NVME", CHECK_VALUES["CRC64NVME"], "FULL_OBJECT")
    with pytest.raises(ClientError) as err:
        s3.copy_object(Bucket=BUCKET, Key="dst", CopySource={"Bucket": BUCKET, "Key": "src"}, ChecksumAlgorithm="MD4")
    assert _error(err) == (400, "InvalidRequest")


def _multipart(s3, key, algorithm=None, kind=None, parts=(BIG, TAIL), copy_first=True):
    """Creates an upload; the first part is copied (UploadPartCopy) from an object with that content, the others
    are uploaded. Returns (upload id, [(part number, ETag, part checksum as answered)])."""
    create = {}
    if algorithm:
        create["ChecksumAlgorithm"] = algorithm
    if kind:
        create["ChecksumType"] = kind
    upload = s3.create_multipart_upload(Bucket=BUCKET, Key=key, **create)
    assert upload.get("ChecksumAlgorithm") == algorithm
    done = []
    for number, content in enumerate(parts, 1):
        if number == 1 and copy_first:
            s3.put_object(Bucket=BUCKET, Key="part-source", Body=content)
            answer = s3.upload_part_copy(Bucket=BUCKET, Key=key, UploadId=upload["UploadId"], PartNumber=number,
                                         CopySource={"Bucket": BUCKET, "Key": "part-source"})["CopyPartResult"]
        else:
            extra = {"ChecksumAlgorithm": algorithm} if algorithm else {}
            answer = s3.upload_part(Bucket=BUCKET, Key=key, UploadId=upload["UploadId"], PartNumber=number,
                                    Body=content, **extra)
        done.append((number, answer["ETag"], answer.get(f"Checksum{algorithm}") if algorithm else None))
    return upload["UploadId"], done


def _listed(done, algorithm, checksums=True):
    return {"Parts": [{"PartNumber": n, "ETag": etag, **({f"Checksum{algorithm}": c} if checksums and c else {})}
                      for n, etag, c in done]}


@pytest.mark.parametrize("algorithm, requested, kind, parts, expected", MULTIPART)
def test_multipart_checksums_are_composite_or_full_object_as_s3_computes_them(s3, algorithm, requested, kind,
                                                                               parts, expected):
    upload, done = _multipart(s3, "m", algorithm, requested)
    assert [c for _, _, c in done] == parts  # UploadPartCopy answers the copied part's checksum too
    s3.complete_multipart_upload(Bucket=BUCKET, Key="m", UploadId=upload, MultipartUpload=_listed(done, algorithm),
                                 **{f"Checksum{algorithm}": expected}, ChecksumType=kind)
    assert _checksum(s3, "m") == (algorithm, expected, kind)
    attributes = s3.get_object_attributes(Bucket=BUCKET, Key="m", ObjectAttributes=["Checksum"])["Checksum"]
    assert attributes == {f"Checksum{algorithm}": expected, "ChecksumType": kind}


def test_a_multipart_copy_keeps_a_full_object_crc_and_s3_checks_it(s3):
    """What atrest's multipart copy relies on: the source's whole-object CRC given to CompleteMultipartUpload."""
    s3.put_object(Bucket=BUCKET, Key="big", Body=BIG + TAIL, ChecksumAlgorithm="CRC32")
    source = _checksum(s3, "big")
    assert source == ("CRC32", "gPNU7Q==", "FULL_OBJECT")

    def copy(ranges):
        upload = s3.create_multipart_upload(Bucket=BUCKET, Key="big", ChecksumAlgorithm="CRC32",
                                            ChecksumType="FULL_OBJECT")["UploadId"]
        parts = []
        for number, (first, last) in enumerate(ranges, 1):
            copied = s3.upload_part_copy(Bucket=BUCKET, Key="big", UploadId=upload, PartNumber=number,
                                         CopySource={"Bucket": BUCKET, "Key": "big"},
                                         CopySourceRange=f"bytes={first}-{last}")["CopyPartResult"]
            parts.append({"PartNumber": number, "ETag": copied["ETag"], "ChecksumCRC32": copied["ChecksumCRC32"]})
        return s3.complete_multipart_upload(Bucket=BUCKET, Key="big", UploadId=upload, MultipartUpload={"Parts": parts},
                                            ChecksumCRC32=source[1], ChecksumType="FULL_OBJECT")

    with pytest.raises(ClientError) as err:
        copy([(0, 5 * MIB - 1), (5 * MIB, 5 * MIB + 2)])  # one byte short: not the source's content
    assert _error(err) == (400, "BadDigest")
    copy([(0, 5 * MIB - 1), (5 * MIB, 5 * MIB + 3)])
    assert _checksum(s3, "big") == source


def test_a_multipart_copy_cannot_keep_a_sha256_checksum(s3):
    s3.put_object(Bucket=BUCKET, Key="big", Body=BIG + TAIL, ChecksumAlgorithm="SHA256")
    whole = _checksum(s3, "big")[1]
    upload, done = _multipart(s3, "big", "SHA256", parts=(BIG, TAIL))
    s3.complete_multipart_upload(Bucket=BUCKET, Key="big", UploadId=upload, MultipartUpload=_listed(done, "SHA256"))
    algorithm, value, kind = _checksum(s3, "big")
    assert (algorithm, kind) == ("SHA256", "COMPOSITE")
    assert value.endswith("-2") and value != whole
    with pytest.raises(ClientError) as err:
        s3.create_multipart_upload(Bucket=BUCKET, Key="big", ChecksumAlgorithm="SHA256", ChecksumType="FULL_OBJECT")
    assert _error(err) == (400, "InvalidRequest")


def test_copy_object_of_a_multipart_object_keeps_its_composite_checksum(s3):
    upload, done = _multipart(s3, "m", "SHA256", parts=(BIG, TAIL))
    s3.complete_multipart_upload(Bucket=BUCKET, Key="m", UploadId=upload, MultipartUpload=_listed(done, "SHA256"))
    s3.copy_object(Bucket=BUCKET, Key="copy", CopySource={"Bucket": BUCKET, "Key": "m"})
    assert _checksum(s3, "copy") == ("SHA256", MULTIPART[-1][4], "COMPOSITE")


def test_multipart_without_checksum_algorithm_gets_none_here(s3):
    # S3 would add CRC64NVME FULL_OBJECT; here an object without checksum models one written before December 2024.
    upload, done = _multipart(s3, "m", parts=(b"small",), copy_first=False)
    s3.complete_multipart_upload(Bucket=BUCKET, Key="m", UploadId=upload, MultipartUpload=_listed(done, None))
    assert _checksum(s3, "m") is None


@pytest.mark.parametrize("algorithm, kind", [("SHA1", "FULL_OBJECT"), ("SHA256", "FULL_OBJECT"),
                                             ("CRC64NVME", "COMPOSITE"), (None, "COMPOSITE"), ("MD4", None)])
def test_create_multipart_upload_refuses_checksum_types_an_algorithm_does_not_have(raw_s3, s3, algorithm, kind):
    headers = {**({"x-amz-checksum-algorithm": algorithm} if algorithm else {}),
               **({"x-amz-checksum-type": kind} if kind else {})}
    status, _, body = raw_s3("POST", f"/{BUCKET}/k?uploads", b"", headers)
    assert (status, b"<Code>InvalidRequest</Code>" in body) == (400, True), body
    assert s3.list_multipart_uploads(Bucket=BUCKET).get("Uploads", []) == []


def test_complete_checks_the_checksums_it_is_given(s3):
    upload, done = _multipart(s3, "m", "SHA256", parts=(b"one",), copy_first=False)
    (number, etag, part_checksum), = done
    crc32 = base64.b64encode(zlib.crc32(b"one").to_bytes(4, "big")).decode()
    refused = [
        ({"Parts": [{"PartNumber": 1, "ETag": etag}]}, {}, (400, "InvalidRequest")),  # part checksum missing
        ({"Parts": [{"PartNumber": 1, "ETag": etag, "ChecksumSHA256": CHECK_VALUES["SHA256"]}]}, {},
         (400, "InvalidPart")),
        ({"Parts": [{"PartNumber": 1, "ETag": etag, "ChecksumCRC32": crc32}]}, {}, (400, "InvalidPart")),
        (_listed(done, "SHA256"), {"ChecksumType": "FULL_OBJECT"}, (400, "BadDigest")),
        (_listed(done, "SHA256"), {"ChecksumSHA256": CHECK_VALUES["SHA256"] + "-1"}, (400, "BadDigest")),
        (_listed(done, "SHA256"), {"ChecksumCRC32": crc32}, (400, "InvalidRequest")),
    ]
    for parts, headers, expected in refused:
        with pytest.raises(ClientError) as err:
            s3.complete_multipart_upload(Bucket=BUCKET, Key="m", UploadId=upload, MultipartUpload=parts, **headers)
        assert _error(err) == expected, (parts, headers)
    composite = base64.b64encode(hashlib.sha256(base64.b64decode(part_checksum)).digest()).decode() + "-1"
    s3.complete_multipart_upload(Bucket=BUCKET, Key="m", UploadId=upload, MultipartUpload=_listed(done, "SHA256"),
                                 ChecksumSHA256=composite, ChecksumType="COMPOSITE")
    assert _checksum(s3, "m") == ("SHA256", composite, "COMPOSITE")
