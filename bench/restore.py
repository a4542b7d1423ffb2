"""SnapStart priming compared (bench/restore/RestoreProbe.java): for each built function, the first invocation after
init plus one priming variant, in fresh JVMs, variants alternated run by run so a slow spell of this shared machine
lands on all of them. The figure that matters is first_ms: what the first event after a restore would cost.

Variants: none; atrest (the functions' own prime(): SDK requests built, marshalled and signed, stopped before
transmission, and for the audit and the KMS function also the SDK's warm-up, which measured better there); sdk (the
AWS SDK's SdkWarmUp alone, with canned responses, which also warms response parsing); powertools (Powertools'
ClassPreLoader); and their combinations."""
import json
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROBE = os.path.join(ROOT, "bench", "restore", "RestoreProbe.java")
VARIANTS = ["none", "atrest", "sdk", "powertools", "atrest+sdk", "atrest+sdk+powertools"]


def _environment(function, endpoint):
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    import invoke
    props, env = invoke.TemplateEnvironment(os.path.join(ROOT, "template.yaml"), "us-east-1", {}).function(function)
    full = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
    full.update(env)
    full.update({"AWS_ENDPOINT_URL": endpoint, "AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1",
                 "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                 "AWS_LAMBDA_FUNCTION_NAME": function, "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "1024"})
    return props["Handler"].split("::")[0], full


def _probe(function, event, variant, endpoint):
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    import invoke
    handler, env = _environment(function, endpoint)
    lib = os.path.join(ROOT, ".aws-sam", "build", function, "lib")
    proc = subprocess.run([invoke.find_java(), "-cp", os.path.join(lib, "*"), PROBE, handler, event, variant],
                          env=env, capture_output=True, text=True, timeout=300, cwd=os.path.dirname(lib))
    lines = [line for line in proc.stdout.splitlines() if line.startswith('{"variant"')]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"{function} {variant}: {proc.stderr[-2000:]}")
    return json.loads(lines[-1])


def measure(endpoint, functions, seed, event_for, runs=5, variants=VARIANTS):
    """{function: {variant: {first_ms median, ...}}}; seed(endpoint) prepares each sample's state."""
    from atrest_emulator import process
    samples = {f: {v: [] for v in variants} for f in functions}
    for _ in range(runs):
        for function in functions:
            for variant in variants:
                process.reset(endpoint)
                key = seed(endpoint)
                samples[function][variant].append(_probe(function, event_for(function, key), variant, endpoint))
    out = {}
    for function, by_variant in samples.items():
        out[function] = {}
        for variant, rows in by_variant.items():
            out[function][variant] = {
                "runs": len(rows),
                "first_ms_median": round(statistics.median(r["first_ms"] for r in rows), 1),
                "first_cpu_ms_median": round(statistics.median(r["first_cpu_ms"] for r in rows), 1),
                "second_ms_median": round(statistics.median(r["second_ms"] for r in rows), 1),
                "prime_ms_median": round(statistics.median(r["prime_ms"] for r in rows)),
                "init_ms_median": round(statistics.median(r["init_ms"] for r in rows)),
            }
            errors = sorted({r["prime_error"] for r in rows if "prime_error" in r})
            if errors:
                out[function][variant]["prime_errors"] = errors
    return out
