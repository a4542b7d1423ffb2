#!/usr/bin/env python3
"""`make bench`: measures atrest on THIS machine against the local emulator (moto + atrest's extensions), and
writes bench/results/latest.json plus a short table (bench/results/latest.md, also printed).

Figures are from this machine and the emulator, not from AWS: they are good for comparing builds and for
counting requests (which do not depend on the machine), not as Lambda latencies.

Sections:
  cold_start  JVM start -> first response through tools/invoke.py (the real Lambda Java runtime interface
              client), median of N fresh JVMs per function, beside a minimal baseline handler; peak RSS.
  artifacts   size of each `sam build` artifact (unzipped and zipped).
  restore     the first invocation after each SnapStart priming variant (bench/restore.py).
  invoke      what `make invoke` adds around the function's JVM (make, the invoke tool, the JDK lookup).
  warm        requests per item, counted from the emulator's request log (bench/warm.py).
  throughput  objects per second, audit and sweep wall times at scale (bench/scale.py).
  backfill    one bucket of 20,000 SSE-S3 objects converged by a Batch Operations job and by the Lambda path
              (bench/backfill.py, its own table: bench/results/backfill.md and README's backfill block).
"""
import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "emulator"))
sys.path.insert(0, os.path.join(ROOT, "bench"))

from atrest_emulator import process  # noqa: E402

RESULTS = os.path.join(ROOT, "bench", "results")
FUNCTIONS = {
    "S3ReencryptFunction": "eventbridge-object-created.json",
    "KmsRotationFunction": "cloudtrail-create-key.json",
    "StorageAuditFunction": "scheduled-event.json",
    "S3BackfillFunction": "backfill-job-status-changed.json",
}
# Handlers outside the template, run the same way: the baseline returns a constant; the floor does the least a
# function can do with the libraries the brief requires (bench/floor/pom.xml says why).
REFERENCES = {
    "Baseline": {"handler": "dev.atrest.bench.BaselineHandler::handleRequest",
                 "root": os.path.join(ROOT, "bench", "baseline", "target", "lambda"),
                 "event": "scheduled-event.json"},
    "Floor": {"handler": "dev.atrest.bench.FloorHandler::handleRequest",
              "root": os.path.join(ROOT, "bench", "floor", "target", "lambda"),
              "event": "cloudtrail-create-key.json"},
}


def template_jvm_flags():
    """The template's JAVA_TOOL_OPTIONS, so the reference handlers run with the functions' JVM flags."""
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    import invoke
    _, env = invoke.TemplateEnvironment(os.path.join(ROOT, "template.yaml"), "us-east-1", {}).function(
        "KmsRotationFunction")
    return env["JAVA_TOOL_OPTIONS"]


def run_invoke(function, event, endpoint, extra_args=(), env=None):
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as stats_file:
        stats_path = stats_file.name
    full_env = dict(os.environ, AWS_ENDPOINT_URL=endpoint, AWS_REGION="us-east-1", AWS_ACCESS_KEY_ID="testing",
                    AWS_SECRET_ACCESS_KEY="testing", **(env or {}))
    # The benchmarks' buckets are the watched ones (BucketNames): the functions act on configured buckets only.
    full_env.setdefault("ATREST_PARAM_BucketNames", "atrest-demo-bucket,atrest-bench,atrest-bench-backfill")
    proc = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "invoke.py"), function, event,
                           "--stats", stats_path, *extra_args], env=full_env, capture_output=True, text=True,
                          timeout=600)
    with open(stats_path) as f:
        stats = json.load(f)
    os.unlink(stats_path)
    if proc.returncode != 0:
        raise RuntimeError(f"{function} failed: {proc.stderr[-2000:]}")
    return stats, json.loads(proc.stdout)


def cold_start(endpoint, runs):
    """Round-robin: each round starts every target once, so a slow spell of this shared machine lands on all of
    them rather than on whichever happened to run then."""
    flags = template_jvm_flags()
    targets = [*REFERENCES, *FUNCTIONS]
    samples = {name: [] for name in targets}
    for _ in range(runs):
        for name in targets:
            process.reset(endpoint)
            key = seed_for_cold_start(endpoint)
            if name in REFERENCES:
                ref = REFERENCES[name]
                stats, _ = run_invoke(name, event_naming(ref["event"], key), endpoint,
                                      ["--handler", ref["handler"], "--task-root", ref["root"],
                                       "--env", f"JAVA_TOOL_OPTIONS={flags}",
                                       "--env", "POWERTOOLS_METRICS_NAMESPACE=atrest",
                                       "--env", f"POWERTOOLS_SERVICE_NAME=bench-{name.lower()}"])
            else:
                stats, _ = run_invoke(name, event_naming(FUNCTIONS[name], key), endpoint)
            samples[name].append(stats)
    results = {}
    for name in targets:
        times = [s["elapsed_ms"] for s in samples[name]]
        results[name] = {
            "runs": runs,
            "median_ms": round(statistics.median(times), 1),
            "min_ms": min(times),
            "max_ms": max(times),
            "cpu_ms_median": round(statistics.median(s["cpu_ms"] for s in samples[name])),
            "peak_rss_mb_median": round(statistics.median(s["peak_rss_kb"] for s in samples[name]) / 1024, 1),
        }
    base, floor = results["Baseline"]["median_ms"], results["Floor"]["median_ms"]
    for name in targets:
        results[name]["ratio_to_baseline"] = round(results[name]["median_ms"] / base, 2)
        if name in FUNCTIONS:
            results[name]["ratio_to_floor"] = round(results[name]["median_ms"] / floor, 2)
    return results


def invoke_overhead(endpoint, runs):
    """What `make invoke` adds around the function's own JVM (make and its JDK lookup, the invoke tool's start and
    the template read, the Runtime API, stopping the JVM): the command's wall time minus the JVM's start-to-response
    time the invoke tool reports, for an empty account's KMS sweep."""
    import re
    import time
    totals, jvms = [], []
    env = dict(os.environ, AWS_ENDPOINT_URL=endpoint, AWS_REGION="us-east-1", AWS_ACCESS_KEY_ID="testing",
               AWS_SECRET_ACCESS_KEY="testing")
    for _ in range(runs):
        process.reset(endpoint)
        started = time.monotonic()
        proc = subprocess.run(["make", "--no-print-directory", "invoke", "FN=KmsRotationFunction",
                               "EVENT=events/scheduled-event.json"], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=600)
        total = (time.monotonic() - started) * 1000
        found = re.search(r"invoke: KmsRotationFunction -> response in (\d+) ms", proc.stderr)
        if proc.returncode != 0 or not found:
            raise RuntimeError(f"make invoke failed: {proc.stderr[-2000:]}")
        totals.append(total)
        jvms.append(float(found.group(1)))
    overheads = [t - j for t, j in zip(totals, jvms)]
    return {"runs": runs, "make_invoke_ms_median": round(statistics.median(totals), 1),
            "jvm_ms_median": round(statistics.median(jvms), 1),
            "overhead_ms_median": round(statistics.median(overheads), 1),
            "overhead_ms_max": round(max(overheads), 1)}


def seed_for_cold_start(endpoint):
    """Enough state that each sample event names something real (the event path is exercised, not an error)."""
    import boto3
    from botocore.config import Config

    def make(service):
        return boto3.client(service, endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing",
                            aws_secret_access_key="testing", config=Config(s3={"addressing_style": "path"}))
    s3 = make("s3")
    s3.create_bucket(Bucket="atrest-demo-bucket")
    s3.put_object(Bucket="atrest-demo-bucket", Key="invoices/2026/nov 20.pdf", Body=b"%PDF-", ServerSideEncryption="AES256")
    kms = make("kms")
    key = kms.create_key(Description="bench target")["KeyMetadata"]
    kms.create_alias(AliasName="alias/atrest", TargetKeyId=key["KeyId"])
    return key


SAMPLE_KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab"


def event_naming(event, key):
    """The sample event, with its KMS key replaced by the seeded one so the KMS cold start takes the real path
    (describe, rotation status, tags) rather than "key not found"."""
    path = os.path.join(ROOT, "events", event)
    with open(path) as f:
        text = f.read()
    if SAMPLE_KEY_ID not in text:
        return path
    out = os.path.join(tempfile.gettempdir(), f"atrest-bench-{event}")
    with open(out, "w") as f:
        f.write(text.replace(SAMPLE_KEY_ID, key["KeyId"]))
    return out


def artifact_size(root, unit=1_000_000):
    """Unzipped and deflate-zipped size of one built artifact directory, in MB of {unit} bytes."""
    unzipped = sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(root) for f in files)
    with tempfile.TemporaryDirectory() as tmp:
        zip_path = os.path.join(tmp, "a.zip")
        with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as z:
            for d, _, files in os.walk(root):
                for f in files:
                    full = os.path.join(d, f)
                    z.write(full, os.path.relpath(full, root))
        zipped = os.path.getsize(zip_path)
    return {"unzipped_mb": round(unzipped / unit, 2), "zipped_mb": round(zipped / unit, 2),
            "jars": len(os.listdir(os.path.join(root, "lib")))}


def artifacts(unit=1_000_000):
    """Size of each built artifact in MB of 10^6 bytes."""
    return {name: artifact_size(os.path.join(ROOT, ".aws-sam", "build", name), unit) for name in FUNCTIONS}


# Largest page of each audit Describe API (AWS API references), for the "ceil(N / max page size)" target.
# EFS is a REST API: the emulator's log names its operations by method and path.
MAX_PAGE = {"ec2:DescribeVolumes": 500, "ec2:DescribeSnapshots": 1000,
            "elasticfilesystem:GET /2015-02-01/file-systems": 100}
README = os.path.join(ROOT, "README.md")
PERFORMANCE = os.path.join(ROOT, "docs", "performance.md")
TABLE_MARKERS = ("<!-- bench:start -->", "<!-- bench:end -->")
SUMMARY_MARKERS = ("<!-- bench-summary:start -->", "<!-- bench-summary:end -->")
COLD_START_MAX_RATIO_TO_FLOOR = 1.15
ARTIFACT_MAX_UNZIPPED_MB = 60

def targets(result):
    """The performance targets, each with what was measured and whether it was met."""
    rows = []
    for name, c in result.get("cold_start", {}).items():
        if name in FUNCTIONS and c.get("ratio_to_floor") is not None:
            rows.append((f"{name} cold start <= {COLD_START_MAX_RATIO_TO_FLOOR}x floor", f"{c['ratio_to_floor']}x",
                         c["ratio_to_floor"] <= COLD_START_MAX_RATIO_TO_FLOOR))
    compliant = result.get("warm", {}).get("s3_per_object", {}).get("compliant")
    if compliant:
        rows.append(("compliant object <= 1 S3 request", str(compliant["requests"]), compliant["requests"] <= 1))
    large = result.get("throughput", {}).get("audit_large_account")
    if large:
        counts = {"ec2:DescribeVolumes": large.get("volumes"), "ec2:DescribeSnapshots": large.get("snapshots"),
                  "elasticfilesystem:GET /2015-02-01/file-systems": large.get("file_systems")}
        for op, n in counts.items():
            if n is not None:
                expected = -(-n // MAX_PAGE[op])
                got = large["operations"].get(op, 0)
                rows.append((f"{op} calls = ceil({n} / {MAX_PAGE[op]})", f"{got} (expected {expected})",
                             got == expected))
    for name, a in result.get("artifacts", {}).items():
        rows.append((f"{name} artifact < {ARTIFACT_MAX_UNZIPPED_MB} MB unzipped",
                     f"{a['zipped_mb']} zipped / {a['unzipped_mb']} unzipped", a["unzipped_mb"] < ARTIFACT_MAX_UNZIPPED_MB))
    return rows


def table(result):
    lines = [f"Measured by `make bench` on this machine ({result['machine']['cpus']} CPUs, {result['machine']['platform']})"
             f" against the local emulator, {result['date']}. These are not AWS figures: use them to compare builds; "
             "request counts do not depend on the machine.", ""]
    cs = result["cold_start"]
    lines += ["| Function | cold start median (ms) | ratio to baseline | ratio to floor | CPU median (ms) | peak RSS (MiB) "
              "| artifact zipped / unzipped (MB = 10^6 bytes) |",
              "|---|---|---|---|---|---|---|"]
    for name, c in cs.items():
        art = result["artifacts"].get(name)
        art_s = f"{art['zipped_mb']} / {art['unzipped_mb']}" if art else "—"
        lines.append(f"| {name} | {c['median_ms']} (n={c['runs']}, {c['min_ms']}–{c['max_ms']}) | "
                     f"{c['ratio_to_baseline']} | {c.get('ratio_to_floor', '—')} | {c.get('cpu_ms_median', '—')} | "
                     f"{c['peak_rss_mb_median']} | {art_s} |")
    lines += ["", "Baseline: a handler that returns a constant. Floor: Powertools logging and metrics, Jackson and one "
              "KMS request on an SDK client, the libraries every function must use (bench/floor), and none of "
              "atrest's code. Every row runs the template's JVM flags, round-robin, through the same runtime "
              "interface client."]
    warm = result.get("warm")
    if warm:
        lines += ["", "| Warm cost (counted in the emulator's request log) | requests |", "|---|---|"]
        for path, v in warm.get("s3_per_object", {}).items():
            lines.append(f"| S3 object, {path.replace('_', ' ')} | {v['requests']} |")
        kms = warm.get("kms", {})
        for path, v in kms.items():
            per = f" ({v['per_key']} per key)" if "per_key" in v else ""
            lines.append(f"| KMS, {path.replace('_', ' ')} | {v['requests']}{per} |")
        run = warm.get("audit_run")
        if run:
            by = ", ".join(f"{svc} {sum(ops.values())}" for svc, ops in sorted(run["by_service"].items()))
            lines.append(f"| Audit run ({run['account']}) | {run['requests']} ({by}) |")
    tp = result.get("throughput")
    if tp:
        lines += ["", "| Throughput | wall (s) | result |", "|---|---|---|"]
        b = tp.get("s3_batch_2000")
        if b:
            lines.append(f"| S3 Batch Operations, {b['objects']} objects | {b['wall_s']} | {b['objects_per_s']} objects/s,"
                         f" {b['requests']} S3/KMS requests, {b['result_codes']} |")
        a = tp.get("audit_large_account")
        if a:
            lines.append(f"| Audit, {a['account']} | {a['wall_s']} | function {a['function_ms']} ms, "
                         f"{a['requests']} requests |")
        k = tp.get("kms_sweep_2000")
        if k:
            per = f" ({k['per_key']} per key)" if "per_key" in k else ""
            lines.append(f"| KMS sweep, {k['keys']} keys | {k['wall_s']} | function {k['function_ms']} ms, "
                         f"{k['requests']} requests{per} |")
    inv = result.get("invoke")
    if inv:
        lines += ["", "| `make invoke` (empty account's KMS sweep) | median ms |", "|---|---|",
                  f"| whole command | {inv['make_invoke_ms_median']} |", f"| the function's JVM, start to response | "
                  f"{inv['jvm_ms_median']} |", f"| added by make and the invoke tool | {inv['overhead_ms_median']} "
                  f"(max {inv['overhead_ms_max']}, n={inv['runs']}) |"]
    rs = result.get("restore")
    if rs:
        lines += ["", "| First invocation after priming (SnapStart stand-in, bench/restore.py): median ms "
                      "(CPU ms) | " + " | ".join(next(iter(rs.values())).keys()) + " |",
                  "|---|" + "---|" * len(next(iter(rs.values())))]
        for function, by_variant in rs.items():
            cells = [("failed: " + "; ".join(v["prime_errors"])[:80]) if v.get("prime_errors")
                     else f"{v['first_ms_median']} ({v['first_cpu_ms_median']})" for v in by_variant.values()]
            lines.append(f"| {function} | " + " | ".join(cells) + " |")
    http = result.get("http_client")
    if http:
        lines += ["", "| HTTP client (KmsRotationFunction cold start) | median (ms) |", "|---|---|"]
        for name, v in http.get("variants", {}).items():
            lines.append(f"| {name} | {v['elapsed_ms_median']} (n={v['runs']}, {v['elapsed_ms_min']}–"
                         f"{v['elapsed_ms_max']}), artifact {v['artifact']['zipped_mb']} MB zipped |")
        paired = http.get("paired", {})
        diff = paired.get("elapsed_ms_crt_minus_urlconnection_median")
        faster = paired.get("runs_where_crt_was_faster")
        lines.append(f"| CRT minus URLConnection, run by run (alternated) | median {diff} ms; CRT faster in "
                     f"{faster} of {http['variants']['crt']['runs']} |")
    rows = targets(result)
    if rows:
        lines += ["", "| Target | measured | met |", "|---|---|---|"]
        lines += [f"| {t} | {m} | {'yes' if ok else '**no**'} |" for t, m, ok in rows]
    return "\n".join(lines)


def summary(result):
    """The README's few lines: the targets with what was measured, and where the full tables are."""
    lines = [f"Measured {result['date'][:10]} on this machine ({result['machine']['cpus']} CPUs) against the local "
             "emulator, not on AWS:", ""]
    for target, measured, ok in targets(result):
        lines.append(f"- {target}: {measured} ({'met' if ok else '**not met**'})")
    return "\n".join(lines)


def replace_between(path, markers, text):
    """Puts text between the two markers of a file (the rest of the file is the author's)."""
    with open(path, encoding="utf-8") as f:
        content = f.read()
    start, end = markers
    if start not in content or end not in content:
        raise SystemExit(f"{path} lacks the {start} / {end} markers")
    head, rest = content.split(start, 1)
    _, tail = rest.split(end, 1)
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"{head}{start}\n{text}\n{end}{tail}")

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5, help="fresh JVMs per function for the cold start")
    parser.add_argument("--skip-scale", action="store_true", help="skip the throughput/scale section")
    parser.add_argument("--no-readme", action="store_true",
                        help="do not copy the results into docs/performance.md and README.md")
    parser.add_argument("--skip-restore", action="store_true",
                        help="skip the SnapStart priming comparison (bench/restore.py)")
    parser.add_argument("--skip-http-client", action="store_true",
                        help="skip the URLConnection vs AWS CRT cold-start comparison (bench/http_client.py)")
    args = parser.parse_args()
    os.makedirs(RESULTS, exist_ok=True)
    result = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
                    "note": "measured on this machine against the local emulator (moto), not AWS"},
    }
    with tempfile.TemporaryDirectory() as tmp, process.running(os.path.join(tmp, "emulator.log")) as endpoint:
        result["cold_start"] = cold_start(endpoint, args.runs)
        result["artifacts"] = artifacts()
        result["invoke"] = invoke_overhead(endpoint, args.runs)
        if not args.skip_restore:
            import restore
            result["restore"] = restore.measure(endpoint, list(FUNCTIONS), seed_for_cold_start,
                                                lambda f, key: event_naming(FUNCTIONS[f], key), runs=args.runs)
        if not args.skip_http_client:
            import http_client
            result["http_client"] = http_client.measure(endpoint, runs=max(7, args.runs))
        try:
            import warm
        except ImportError:
            warm = None
        if warm is not None:
            result["warm"] = warm.measure(endpoint)
        if not args.skip_scale:
            try:
                import scale
            except ImportError:
                scale = None
            if scale is not None:
                result["throughput"] = scale.measure(endpoint)
            import backfill
            result["backfill"] = {"date": result["date"], "machine": result["machine"], **backfill.measure(endpoint)}
            backfill.write(result["backfill"], readme=not args.no_readme)
    with open(os.path.join(RESULTS, "latest.json"), "w") as f:
        json.dump(result, f, indent=2)
    text = table(result)
    with open(os.path.join(RESULTS, "latest.md"), "w") as f:
        f.write(text + "\n")
    with open(os.path.join(RESULTS, "latest-summary.md"), "w") as f:
        f.write(summary(result) + "\n")
    if not args.no_readme:
        replace_between(PERFORMANCE, TABLE_MARKERS, text)
        replace_between(README, SUMMARY_MARKERS, summary(result))
    print(text)


if __name__ == "__main__":
    main()
