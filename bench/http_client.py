#!/usr/bin/env python3
"""Which sync HTTP client gives the faster cold start, the URLConnection client the functions ship or the
AWS CRT client? Measured on THIS machine against the local emulator, not on AWS.

    python bench/http_client.py [--runs 11]

Method:
  * Both variants come from one snapshot of the built KmsRotationFunction (.aws-sam/build; run `make sam-build`
    first), so a rebuild during the run cannot make them differ. The CRT variant is the same copy plus the jars
    bench/crt/pom.xml resolves (aws-crt-client, crt-core, aws-crt).
  * The CRT variant is selected the SDK's standard way, -Dsoftware.amazon.awssdk.http.service.impl=...
    AwsCrtSdkHttpService, which ClientFactory honours. Without it ClientFactory keeps URLConnection, and even the
    SDK's own classpath choice would (it ranks URLConnection above the CRT). Both get the template's JVM flags.
  * One unmeasured run per variant with -verbose:class first: it proves which client each variant really used
    (the CRT's classes loaded, URLConnection's not, and the reverse) and warms the page cache for both.
  * Then fresh JVMs through tools/invoke.py --stats, ALTERNATING the variants run by run so that the load other
    processes put on the machine falls on both alike; emulator reset and seeded (as bench/run.py does) before
    each run; every response must be the function's summary with no errors.

Writes bench/results/http-client.json (and a copy in bench/results/http-client-runs/) and prints a markdown
table; `--pool` prints the figures of all the kept runs together. bench/run.py can call measure(endpoint),
table(result) and pooled(results).
"""
import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "emulator"))
sys.path.insert(0, os.path.join(ROOT, "bench"))

from atrest_emulator import process  # noqa: E402

RESULTS = os.path.join(ROOT, "bench", "results")
RUNS = os.path.join(RESULTS, "http-client-runs")
FUNCTION = "KmsRotationFunction"
EVENT = os.path.join(ROOT, "events", "cloudtrail-create-key.json")
BUILD_DIR = os.path.join(ROOT, ".aws-sam", "build")
CRT_POM = os.path.join(ROOT, "bench", "crt", "pom.xml")
CRT_JARS_DIR = os.path.join(ROOT, "bench", "crt", "target", "dependency")
HTTP_SERVICE_PROPERTY = "software.amazon.awssdk.http.service.impl"
CRT_SERVICE = "software.amazon.awssdk.http.crt.AwsCrtSdkHttpService"
VARIANTS = ("urlconnection", "crt")
# What -verbose:class must show for each variant: (the client class that must load, a prefix that must not).
EXPECTED_CLASSES = {
    "urlconnection": ("software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient",
                      "software.amazon.awssdk.crt."),
    "crt": ("software.amazon.awssdk.http.crt.AwsCrtHttpClient",
            "software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient"),
}


# ---------------------------------------------------------------- artifacts

def fetch_crt_jars():
    """The CRT client's jars, resolved by Maven (offline first: the machine's mirror is partial)."""
    base = ["mvn", "-B", "-ntp", "-q", "-f", CRT_POM, "dependency:copy-dependencies"]
    if subprocess.run(base + ["-o"], capture_output=True).returncode != 0:
        proc = subprocess.run(base, capture_output=True, text=True)
        if proc.returncode != 0:
            raise RuntimeError(f"cannot resolve the CRT jars with {CRT_POM}:\n{proc.stdout[-3000:]}{proc.stderr[-2000:]}")
    jars = sorted(os.path.join(CRT_JARS_DIR, j) for j in os.listdir(CRT_JARS_DIR) if j.endswith(".jar"))
    names = [os.path.basename(j) for j in jars]
    for prefix in ("aws-crt-client-", "crt-core-", "aws-crt-0"):
        if not any(n.startswith(prefix) for n in names):
            raise RuntimeError(f"{CRT_JARS_DIR} lacks {prefix}*.jar: {names}")
    return jars


def _listing(root):
    out = {}
    for d, _, files in os.walk(root):
        for f in files:
            st = os.stat(os.path.join(d, f))
            out[os.path.relpath(os.path.join(d, f), root)] = (st.st_size, st.st_mtime_ns)
    return out


def snapshot_artifact(dest_build_dir, attempts=20, settle_s=3):
    """Copies the built function to dest_build_dir/FUNCTION once it is complete and not being rewritten (another
    process may be running `make sam-build`: SAM empties the directory first)."""
    src = os.path.join(BUILD_DIR, FUNCTION)
    for _ in range(attempts):
        before = _listing(src) if os.path.isdir(src) else {}
        complete = any(k.startswith("lib/atrest-core-") for k in before) and any(
            k.startswith("lib/atrest-kms-rotation-") for k in before)
        if complete:
            time.sleep(settle_s)
            if _listing(src) == before:
                dest = os.path.join(dest_build_dir, FUNCTION)
                shutil.rmtree(dest, ignore_errors=True)
                shutil.copytree(src, dest)
                if _listing(src) == before:
                    return dest
        time.sleep(settle_s)
    raise RuntimeError(f"no stable build at {src}; run `make sam-build`")


def artifact_size(root):
    from run import artifact_size as size  # one measure for every bench figure; this comparison reports MiB
    return size(root, unit=2**20)


def prepare_variants(tmp):
    """{variant: build dir for tools/invoke.py --build-dir}, plus what went into the CRT variant."""
    jars = fetch_crt_jars()
    url_dir = os.path.join(tmp, "urlconnection")
    crt_dir = os.path.join(tmp, "crt")
    snapshot = snapshot_artifact(url_dir)
    shutil.copytree(snapshot, os.path.join(crt_dir, FUNCTION))
    for jar in jars:
        shutil.copy2(jar, os.path.join(crt_dir, FUNCTION, "lib"))
    return {"urlconnection": url_dir, "crt": crt_dir}, [os.path.basename(j) for j in jars]


# ---------------------------------------------------------------- runs

def template_jvm_flags():
    """The function's JAVA_TOOL_OPTIONS as the template deploys it: both variants run with exactly these (the CRT one
    plus the property), as tools/invoke.py would give them when the caller sets none."""
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    from invoke import TemplateEnvironment
    _, env = TemplateEnvironment(os.path.join(ROOT, "template.yaml"), "us-east-1", {}).function(FUNCTION)
    return env.get("JAVA_TOOL_OPTIONS", "")


def java_tool_options(variant, verbose_class=False):
    opts = template_jvm_flags()
    if variant == "crt":
        opts += f" -D{HTTP_SERVICE_PROPERTY}={CRT_SERVICE}"
    if verbose_class:
        opts += " -verbose:class"
    return opts


def seed(endpoint):
    """The same state and event bench/run.py gives the functions' cold starts; returns the event to send."""
    process.reset(endpoint)
    from run import event_naming, seed_for_cold_start
    return event_naming(os.path.basename(EVENT), seed_for_cold_start(endpoint))


def invoke(variant, build_dir, endpoint, event, verbose_class=False):
    """One fresh JVM; returns (stats, summary, stderr). Raises unless the function answered with its summary."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as stats_file:
        stats_path = stats_file.name
    env = dict(os.environ, AWS_ENDPOINT_URL=endpoint, AWS_REGION="us-east-1", AWS_ACCESS_KEY_ID="testing",
               AWS_SECRET_ACCESS_KEY="testing", JAVA_TOOL_OPTIONS=java_tool_options(variant, verbose_class))
    try:
        proc = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "invoke.py"), FUNCTION, event,
                               "--build-dir", build_dir, "--stats", stats_path], env=env, capture_output=True,
                              text=True, timeout=600)
        with open(stats_path) as f:
            stats = json.load(f)
    finally:
        os.unlink(stats_path)
    if proc.returncode != 0 or stats.get("outcome") != "response":
        raise RuntimeError(f"{variant}: {FUNCTION} did not answer ({stats.get('outcome')}):\n{proc.stderr[-3000:]}")
    summary = json.loads(proc.stdout)
    if summary.get("function") != FUNCTION or "counts" not in summary or summary.get("errors"):
        raise RuntimeError(f"{variant}: not a clean summary: {proc.stdout[:2000]}")
    return stats, summary, proc.stderr


def verify(variant, build_dir, endpoint):
    """Proves which HTTP client the variant used, from the classes its JVM loaded."""
    event = seed(endpoint)
    _, summary, stderr = invoke(variant, build_dir, endpoint, event, verbose_class=True)
    loaded = [line.split()[1] for line in stderr.splitlines() if line.startswith("[") and "[class,load] " in line]
    must, must_not = EXPECTED_CLASSES[variant]
    wrong = [c for c in loaded if c.startswith(must_not)]
    if must not in loaded or wrong:
        raise RuntimeError(f"{variant}: expected {must} loaded and no {must_not}*; "
                           f"{must in loaded=}, loaded {wrong[:3]}")
    return {"http_client_class": must,
            "crt_classes_loaded": sum(1 for c in loaded if c.startswith("software.amazon.awssdk.crt.")),
            "urlconnection_classes_loaded": sum(1 for c in loaded if c.startswith(
                "software.amazon.awssdk.http.urlconnection.")),
            "classes_loaded": len(loaded),
            "summary_counts": summary["counts"]}


def _median(values):
    return round(statistics.median(values), 1)


def measure(endpoint, runs=11):
    """The comparison, against a running emulator: {variants: {...}, paired: {...}, artifacts: {...}}."""
    with tempfile.TemporaryDirectory(prefix="atrest-http-") as tmp:
        dirs, crt_jars = prepare_variants(tmp)
        artifacts = {v: artifact_size(os.path.join(dirs[v], FUNCTION)) for v in VARIANTS}
        checks = {v: verify(v, dirs[v], endpoint) for v in VARIANTS}
        samples = {v: [] for v in VARIANTS}
        for i in range(runs):
            for variant in VARIANTS:
                event = seed(endpoint)
                stats, summary, _ = invoke(variant, dirs[variant], endpoint, event)
                samples[variant].append({**stats, "order": i * len(VARIANTS) + VARIANTS.index(variant),
                                         "summary_counts": summary["counts"]})
    variants = {}
    for v in VARIANTS:
        s = samples[v]
        variants[v] = {
            "runs": len(s),
            "elapsed_ms_median": _median(x["elapsed_ms"] for x in s),
            "elapsed_ms_min": min(x["elapsed_ms"] for x in s),
            "elapsed_ms_max": max(x["elapsed_ms"] for x in s),
            "cpu_ms_median": _median(x["cpu_ms"] for x in s),
            "peak_rss_mb_median": round(statistics.median(x["peak_rss_kb"] for x in s) / 1024, 1),
            "java_tool_options": java_tool_options(v),
            "verified": checks[v],
            "artifact": artifacts[v],
            "samples": s,
        }
    # Run i of both variants ran back to back, so their difference is the least disturbed by the machine's load.
    paired = {
        "elapsed_ms_crt_minus_urlconnection_median": _median(
            c["elapsed_ms"] - u["elapsed_ms"] for u, c in zip(samples["urlconnection"], samples["crt"])),
        "cpu_ms_crt_minus_urlconnection_median": _median(
            c["cpu_ms"] - u["cpu_ms"] for u, c in zip(samples["urlconnection"], samples["crt"])),
        "runs_where_crt_was_faster": sum(
            1 for u, c in zip(samples["urlconnection"], samples["crt"]) if c["elapsed_ms"] < u["elapsed_ms"]),
    }
    faster = min(VARIANTS, key=lambda v: variants[v]["elapsed_ms_median"])
    return {"function": FUNCTION, "event": os.path.relpath(EVENT, ROOT), "crt_jars": crt_jars,
            "variants": variants, "paired": paired, "faster_cold_start": faster,
            "artifact_delta_mb": {k: round(artifacts["crt"][k] - artifacts["urlconnection"][k], 2)
                                  for k in ("unzipped_mb", "zipped_mb")}}


def pooled(results):
    """All samples of several runs of this script, pair by pair: medians, the median paired difference (CRT minus
    URLConnection) with a bootstrap 95% interval (fixed seed, so the figures reproduce), and a two-sided sign test
    of "CRT is faster in half the pairs"."""
    import math
    import random
    u = [s for r in results for s in r["variants"]["urlconnection"]["samples"]]
    c = [s for r in results for s in r["variants"]["crt"]["samples"]]
    rng = random.Random(1)
    out = {"runs_pooled": [r["date"] for r in results], "pairs": len(u)}
    for key in ("elapsed_ms", "cpu_ms", "peak_rss_kb"):
        d = [b[key] - a[key] for a, b in zip(u, c)]
        boot = sorted(statistics.median(rng.choices(d, k=len(d))) for _ in range(10000))
        lower = sum(1 for x in d if x < 0)
        tail = min(lower, len(d) - lower)
        out[key] = {"urlconnection_median": _median(a[key] for a in u), "crt_median": _median(b[key] for b in c),
                    "paired_median_crt_minus_urlconnection": _median(d),
                    "paired_ci95": [round(boot[250], 1), round(boot[9749], 1)],
                    "pairs_crt_lower": lower,
                    "sign_test_p": round(min(1.0, 2 * sum(math.comb(len(d), i) for i in range(tail + 1)) / 2 ** len(d)), 3)}
    return out


# ---------------------------------------------------------------- report

def table(result):
    m = result["machine"]
    lines = [f"HTTP client cold start, {result['function']} ({result['event']}), {result['date']}: measured on this "
             f"shared {m['cpus']}-CPU machine (other work running) against the local emulator, fresh JVMs "
             f"alternating between the variants. Not AWS figures.", "",
             "| HTTP client | runs | cold start median (ms), min–max | JVM CPU median (ms) | peak RSS median (MB) "
             "| artifact zipped / unzipped (MB) |",
             "|---|---|---|---|---|---|"]
    for v in VARIANTS:
        x = result["variants"][v]
        a = x["artifact"]
        lines.append(f"| {'URLConnection' if v == 'urlconnection' else 'AWS CRT'} | {x['runs']} | "
                     f"{x['elapsed_ms_median']} ({x['elapsed_ms_min']}–{x['elapsed_ms_max']}) | {x['cpu_ms_median']} | "
                     f"{x['peak_rss_mb_median']} | {a['zipped_mb']} / {a['unzipped_mb']} |")
    p = result["paired"]
    lines += ["", f"Paired (CRT − URLConnection, same iteration): median {p['elapsed_ms_crt_minus_urlconnection_median']} "
              f"ms wall, {p['cpu_ms_crt_minus_urlconnection_median']} ms CPU; CRT faster in "
              f"{p['runs_where_crt_was_faster']} of {result['variants']['crt']['runs']} pairs. "
              f"CRT jars: {', '.join(result['crt_jars'])}."]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=11, help="fresh JVMs per variant (at least 7)")
    parser.add_argument("--pool", action="store_true",
                        help=f"measure nothing: pool the runs kept in {os.path.relpath(RUNS, ROOT)} and print them")
    args = parser.parse_args()
    if args.pool:
        runs = []
        for name in sorted(os.listdir(RUNS)):
            with open(os.path.join(RUNS, name)) as f:
                runs.append(json.load(f))
        print(json.dumps(pooled(runs), indent=2))
        return
    if args.runs < 7:
        parser.error("--runs must be at least 7")
    os.makedirs(RESULTS, exist_ok=True)
    result = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
                    "loadavg_at_start": [round(x, 2) for x in os.getloadavg()],
                    "note": "measured on this shared machine against the local emulator (moto), not AWS"},
    }
    with tempfile.TemporaryDirectory() as tmp, process.running(os.path.join(tmp, "emulator.log")) as endpoint:
        result.update(measure(endpoint, args.runs))
    result["machine"]["loadavg_at_end"] = [round(x, 2) for x in os.getloadavg()]
    # The latest run, and every run kept for --pool: one run on a loaded machine is too noisy to decide on.
    os.makedirs(RUNS, exist_ok=True)
    for path in (os.path.join(RESULTS, "http-client.json"),
                 os.path.join(RUNS, result["date"].replace(":", "").replace("+0000", "") + ".json")):
        with open(path, "w") as f:
            json.dump(result, f, indent=2)
    print(table(result))


if __name__ == "__main__":
    main()
