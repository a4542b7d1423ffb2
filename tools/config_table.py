#!/usr/bin/env python3
"""Prints README's configuration table from template.yaml, so the two cannot drift: tests/test_readme.py
fails when README's table differs from this output (`python tools/config_table.py --write` updates README)."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from invoke import _CfnLoader  # noqa: E402  (the CloudFormation-tag YAML loader)

import yaml  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
START, END = "<!-- config-table:start -->", "<!-- config-table:end -->"
SHORT = {"S3ReencryptFunction": "S3", "KmsRotationFunction": "KMS", "StorageAuditFunction": "Audit",
         "S3BackfillFunction": "Backfill"}


def _refs(value):
    if isinstance(value, dict):
        if "Ref" in value:
            yield value["Ref"]
        for v in value.values():
            yield from _refs(v)
    elif isinstance(value, list):
        for v in value:
            yield from _refs(v)


def table(template_path=os.path.join(ROOT, "template.yaml")):
    with open(template_path) as f:
        template = yaml.load(f, Loader=_CfnLoader)
    uses = {}  # parameter -> [(env var, function)]
    global_env = template.get("Globals", {}).get("Function", {}).get("Environment", {}).get("Variables", {})
    for var, value in global_env.items():
        for ref in _refs(value):
            uses.setdefault(ref, []).append((var, "all"))
    for logical_id, resource in template["Resources"].items():
        if resource.get("Type") != "AWS::Serverless::Function":
            continue
        env = resource["Properties"].get("Environment", {}).get("Variables", {})
        for var, value in env.items():
            for ref in _refs(value):
                uses.setdefault(ref, []).append((var, SHORT.get(logical_id, logical_id)))
    rows = ["| Parameter | Environment variable (function) | Default | Allowed | Description |",
            "|---|---|---|---|---|"]
    for name, spec in template["Parameters"].items():
        env = ", ".join(f"`{var}` ({fn})" for var, fn in uses.get(name, [])) or "(template only)"
        default = spec.get("Default", "")
        default = f"`{default}`" if default != "" else "(empty)"
        allowed = ", ".join(f"`{v}`" for v in spec.get("AllowedValues", []))
        if not allowed and "MinValue" in spec:
            allowed = f"{spec['MinValue']}..{spec['MaxValue']}"
        description = " ".join(str(spec.get("Description", "")).split()).replace("|", "\\|")
        rows.append(f"| `{name}` | {env} | {default} | {allowed} | {description} |")
    return "\n".join(rows)


def readme_table(readme_path=os.path.join(ROOT, "README.md")):
    text = open(readme_path).read()
    match = re.search(re.escape(START) + r"\n(.*?)" + re.escape(END), text, re.S)
    return match.group(1).rstrip("\n") if match else None


if __name__ == "__main__":
    generated = table()
    if "--write" in sys.argv:
        path = os.path.join(ROOT, "README.md")
        text = open(path).read()
        text = re.sub(re.escape(START) + r"\n.*?" + re.escape(END), lambda _: f"{START}\n{generated}\n{END}", text,
                      flags=re.S)
        open(path, "w").write(text)
    else:
        print(generated)
