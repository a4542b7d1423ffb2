#!/usr/bin/env python3
"""Packages atrest for an organisation roll-out with CloudFormation StackSets (README, "Roll out to an organisation").

    python tools/org_package.py --bucket-prefix atrest-artifacts-111122223333 --regions us-east-1,eu-west-1

1. `sam package` uploads each function's `sam build` artifact (built once) to the home Region's artifact bucket,
   zipped and keyed by the MD5 of its content (atrest/<md5>), skipping what is already there.
2. Lambda takes code only from a bucket in the function's own Region (it may be in another account), so the same
   objects are copied, S3 to S3, to the artifact bucket of every other Region, under the same keys. The buckets are
   named <prefix>-<region>; org/artifact-bucket.yaml makes one per Region, readable by the organisation.
3. The member template is the SAM template translated to plain CloudFormation (service-managed StackSets refuse a
   Transform) by the SAM translator (tools/sam_translate.py). Each function's code is
   {S3Bucket: !FindInMap [ArtifactBuckets, !Ref AWS::Region, Name], S3Key: atrest/<md5>}: the mapping lists the
   packaged Regions, so a stack instance in a Region without artifacts fails at once, naming the missing mapping key.
4. The member template goes to the home bucket too, content-addressed (atrest/member-template-<sha256>.json): its
   URL is the org stack's MemberTemplateUrl (org/stackset.yaml).

Writes <out>/packaged.yaml (sam package's output), <out>/member-template.json and <out>/org-package.json (the
template URL, buckets and code keys). AWS access is the caller's usual credentials and AWS_ENDPOINT_URL (the
emulator in tests); the buckets must exist. --template-only writes the member template of template.yaml with
placeholder code keys and no AWS access (for linting).
"""
import argparse
import hashlib
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from sam_translate import translate  # noqa: E402

SAM = os.path.join(ROOT, ".venv", "bin", "sam")
CODE_PREFIX = "atrest"
MAPPING = "ArtifactBuckets"
PLACEHOLDER_BUCKET = "atrest-artifact-bucket-of-the-region"
REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-[0-9]+$")
# S3 bucket naming rules: 3-63 characters, lower-case letters, digits, dots and hyphens, starting and ending with a
# letter or digit (no dots here: they break virtual-hosted HTTPS).
BUCKET = re.compile(r"^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")


def bucket_names(prefix, regions):
    names = {region: f"{prefix}-{region}" for region in regions}
    for region, name in names.items():
        if not REGION.match(region):
            raise SystemExit(f"org_package: {region!r} is not a Region name")
        if not BUCKET.match(name) or "--" in name:
            raise SystemExit(f"org_package: {name!r} is not a valid bucket name (3-63 lower-case letters, digits, "
                             f"hyphens): shorten --bucket-prefix")
    return names


def member_template(sam_template, buckets, code_keys):
    """The deployable member template: `sam_template` (a parsed SAM template) translated to plain CloudFormation, with
    each function's code at {buckets[its Region]}/{code_keys[function]}."""
    functions = [k for k, v in sam_template["Resources"].items() if v.get("Type") == "AWS::Serverless::Function"]
    missing = sorted(set(functions) - set(code_keys))
    if missing:
        raise SystemExit(f"org_package: no code for {', '.join(missing)}")
    # The translator resolves pseudo parameters in CodeUri (a !Ref AWS::Region there would become the Region it
    # translates for), so the bucket goes in after translation. The key goes in before: the version SAM publishes
    # is named after the code location, so new code gets a new version.
    for logical_id in functions:
        sam_template["Resources"][logical_id]["Properties"]["CodeUri"] = {
            "Bucket": PLACEHOLDER_BUCKET, "Key": code_keys[logical_id]}
    sam_template.setdefault("Mappings", {})[MAPPING] = {region: {"Name": name} for region, name in buckets.items()}
    translating_for = sorted(buckets)[0]
    before = json.dumps(sam_template).count(translating_for)
    plain = translate(sam_template, region=translating_for)
    for logical_id, resource in plain["Resources"].items():
        if resource.get("Type") == "AWS::Lambda::Function":
            code = resource["Properties"]["Code"]
            if code.get("S3Bucket") != PLACEHOLDER_BUCKET:
                raise SystemExit(f"org_package: {logical_id}'s code is not where it was put: {code}")
            code["S3Bucket"] = {"Fn::FindInMap": [MAPPING, {"Ref": "AWS::Region"}, "Name"]}
    if "Transform" in plain:
        raise SystemExit("org_package: the translated template still has a Transform")
    if json.dumps(plain).count(translating_for) > before:
        raise SystemExit(f"org_package: the translator wrote {translating_for} into the template; the member "
                         f"template must not depend on the Region it was translated for")
    return plain


def _s3_location(code_uri):
    match = re.match(r"^s3://([^/]+)/(.+)$", str(code_uri))
    if not match:
        raise SystemExit(f"org_package: sam package left a CodeUri that is not in S3: {code_uri!r}")
    return match.group(1), match.group(2)


def _client(service, region):
    import boto3
    from botocore.config import Config
    return boto3.client(service, region_name=region, config=Config(s3={"addressing_style": "path"}))


def check_buckets(buckets):
    from botocore.exceptions import ClientError
    for region, name in buckets.items():
        s3 = _client("s3", region)
        try:
            location = s3.get_bucket_location(Bucket=name).get("LocationConstraint") or "us-east-1"
        except ClientError as e:
            raise SystemExit(f"org_package: artifact bucket {name} for {region}: {e.response['Error']['Code']} "
                             f"(create it with org/artifact-bucket.yaml in {region})")
        if location != region:
            raise SystemExit(f"org_package: artifact bucket {name} is in {location}, not {region}: Lambda reads "
                             f"code only from a bucket in the function's Region")


def sam_package(build_dir, bucket, region, out):
    packaged = os.path.join(out, "packaged.yaml")
    command = [SAM, "package", "--template-file", os.path.join(build_dir, "template.yaml"), "--s3-bucket", bucket,
               "--s3-prefix", CODE_PREFIX, "--region", region, "--output-template-file", packaged, "--no-progressbar"]
    env = dict(os.environ, SAM_CLI_TELEMETRY="0")
    result = subprocess.run(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if result.returncode != 0:
        raise SystemExit(f"org_package: sam package failed:\n{result.stdout}")
    return packaged


def copy_code(keys, source_bucket, home, buckets):
    """The home bucket's code objects into every other Region's bucket, S3 to S3 (nothing moves through here)."""
    from botocore.exceptions import ClientError
    copied = []
    for region, bucket in buckets.items():
        if region == home:
            continue
        s3 = _client("s3", region)
        for key in sorted(set(keys)):
            try:
                s3.head_object(Bucket=bucket, Key=key)
                continue  # content-addressed: the same key holds the same bytes
            except ClientError as e:
                if e.response["Error"]["Code"] not in ("404", "NoSuchKey", "NotFound"):
                    raise
            s3.copy_object(Bucket=bucket, Key=key, CopySource={"Bucket": source_bucket, "Key": key})
            copied.append(f"{bucket}/{key}")
    return copied


def upload_member_template(plain, bucket, region):
    body = json.dumps(plain, indent=1, sort_keys=True).encode()
    key = f"{CODE_PREFIX}/member-template-{hashlib.sha256(body).hexdigest()[:32]}.json"
    _client("s3", region).put_object(Bucket=bucket, Key=key, Body=body, ContentType="application/json")
    return key, f"https://{bucket}.s3.{region}.amazonaws.com/{key}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bucket-prefix", required=True, help="artifact buckets are <prefix>-<region>")
    parser.add_argument("--regions", required=True, help="comma-separated Regions the StackSet deploys to")
    parser.add_argument("--home-region", help="where sam package uploads and the member template lives "
                                              "(default: the first of --regions)")
    parser.add_argument("--build-dir", default=os.path.join(ROOT, ".aws-sam", "build"))
    parser.add_argument("--out", default=os.path.join(ROOT, ".aws-sam", "org"))
    parser.add_argument("--template-only", action="store_true",
                        help="write the member template of template.yaml with placeholder code keys; no AWS access")
    args = parser.parse_args(argv)

    regions = [r.strip() for r in args.regions.split(",") if r.strip()]
    if not regions:
        parser.error("--regions names no Region")
    home = args.home_region or regions[0]
    if home not in regions:
        parser.error(f"--home-region {home} is not one of --regions")
    buckets = bucket_names(args.bucket_prefix, regions)
    os.makedirs(args.out, exist_ok=True)
    from samtranslator.yaml_helper import yaml_parse

    if args.template_only:
        with open(os.path.join(ROOT, "template.yaml")) as f:
            sam = yaml_parse(f.read())
        keys = {k: f"{CODE_PREFIX}/placeholder-{k}" for k, v in sam["Resources"].items()
                if v.get("Type") == "AWS::Serverless::Function"}
        path = os.path.join(args.out, "member-template.json")
        with open(path, "w") as f:
            json.dump(member_template(sam, buckets, keys), f, indent=1, sort_keys=True)
        print(path)
        return 0

    if not os.path.exists(os.path.join(args.build_dir, "template.yaml")):
        raise SystemExit(f"org_package: no build at {args.build_dir}; run `make sam-build` first")
    check_buckets(buckets)
    packaged = sam_package(args.build_dir, buckets[home], home, args.out)
    with open(packaged) as f:
        sam = yaml_parse(f.read())
    keys = {}
    for logical_id, resource in sam["Resources"].items():
        if resource.get("Type") == "AWS::Serverless::Function":
            bucket, key = _s3_location(resource["Properties"]["CodeUri"])
            if bucket != buckets[home]:
                raise SystemExit(f"org_package: {logical_id}'s code went to {bucket}, not {buckets[home]}")
            keys[logical_id] = key
    copied = copy_code(keys.values(), buckets[home], home, buckets)
    plain = member_template(sam, buckets, keys)
    path = os.path.join(args.out, "member-template.json")
    with open(path, "w") as f:
        json.dump(plain, f, indent=1, sort_keys=True)
    template_key, template_url = upload_member_template(plain, buckets[home], home)
    summary = {"homeRegion": home, "regions": regions, "buckets": buckets, "code": keys, "copied": copied,
               "memberTemplate": path, "memberTemplateKey": template_key, "memberTemplateUrl": template_url}
    with open(os.path.join(args.out, "org-package.json"), "w") as f:
        json.dump(summary, f, indent=1)
    print(json.dumps(summary, indent=1))
    print(f"\nNext (README, \"Roll out to an organisation\"): deploy org/stackset.yaml in {home} with\n"
          f"  MemberTemplateUrl={template_url}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
