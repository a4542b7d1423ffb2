#!/usr/bin/env python3
"""Backfill at scale: one bucket of N SSE-S3 objects converged two ways, on the same emulator, from the same seed.

  native   S3BackfillFunction (the built artifact, through tools/invoke.py) starts the jobs; the emulator's Batch
           Operations engine runs S3UpdateObjectEncryption on every object; the job status events are delivered
           to the function as the template's EventBridge rule would; a dry run then confirms convergence (the
           SSE-S3 filter finds zero objects). The requests atrest itself makes are counted in the emulator's request
           log (the engine's own work is not HTTP and is not in it): they do not grow with the bucket.
  lambda   The Lambda path as it was the only way before: S3ReencryptFunction invoked with S3 Batch Operations
           (schema 2.0) tasks for every object, in one invocation carrying them all (the function's own concurrency
           bound applies); HeadObject, UpdateObjectEncryption and the verification HeadObject per object.

Seeding uses the emulator's bulk path (POST /_atrest/s3/seed): one request instead of one PutObject per object.

    .venv/bin/python bench/backfill.py [--objects 20000] [--native-scale 100000] [--no-readme]

writes bench/results/backfill.json and backfill.md and copies the table into README's backfill block; `make bench`
runs it too (bench/run.py).
"""
import argparse
import collections
import datetime
import json
import os
import platform
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "emulator"))
sys.path.insert(0, os.path.join(ROOT, "bench"))

from atrest_emulator import process  # noqa: E402

RESULTS = os.path.join(ROOT, "bench", "results")
README = os.path.join(ROOT, "README.md")
START, END = "<!-- bench-backfill:start -->", "<!-- bench-backfill:end -->"
BUCKET = "atrest-bench-backfill"
REPORTS = "atrest-local-backfillreportbucket"
RULE_STATUSES = ("Suspended", "Active", "Complete", "Failed", "Cancelled")


def _post(endpoint, path, body):
    request = urllib.request.Request(endpoint + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=3600) as r:
        return json.load(r)


def _get(endpoint, path):
    with urllib.request.urlopen(endpoint + path, timeout=600) as r:
        return json.load(r)


def _seed(endpoint, objects):
    from warm import _client
    process.reset(endpoint)
    kms = _client(endpoint, "kms")
    key = kms.create_key(Description="bench target")["KeyMetadata"]
    kms.create_alias(AliasName="alias/atrest", TargetKeyId=key["KeyId"])
    _client(endpoint, "s3").create_bucket(Bucket=REPORTS)
    started = time.monotonic()
    answer = _post(endpoint, "/_atrest/s3/seed", {"bucket": BUCKET, "count": objects, "prefix": "obj/",
                                                  "size": 256, "encryption": "AES256"})
    return key["Arn"], {"seconds": round(time.monotonic() - started, 2), "emulator_seconds": answer["seconds"]}


def _requests(endpoint):
    from warm import requests_log
    return collections.Counter(f"{e['service']}:{e['operation']}" for e in requests_log(endpoint))


def native(endpoint, invoke, objects):
    from warm import clear_log
    key_arn, seeding = _seed(endpoint, objects)
    env = {"DRY_RUN": "false", "BUCKET_NAMES": BUCKET, "TARGET_KMS_KEY_ARN": key_arn}
    _post(endpoint, "/_atrest/s3control/config", {"mode": "manual"})
    events_seen = len(_get(endpoint, "/_atrest/s3control/events"))
    invocations = []

    def call(event, **extra):
        t = time.monotonic()
        summary = invoke("S3BackfillFunction", event, endpoint, **{**env, **extra})
        invocations.append(round(time.monotonic() - t, 2))
        return summary

    with tempfile.TemporaryDirectory() as tmp:
        start = os.path.join(tmp, "start.json")
        with open(start, "w") as f:
            json.dump({"buckets": [BUCKET]}, f)

        def deliver(**extra):
            nonlocal events_seen
            events = _get(endpoint, "/_atrest/s3control/events")
            fresh, events_seen = events[events_seen:], len(events)
            summaries = []
            for n, e in enumerate(fresh):
                if e["detail"]["eventName"] != "JobStatusChanged" or \
                        e["detail"]["serviceEventDetails"]["status"] not in RULE_STATUSES:
                    continue
                path = os.path.join(tmp, f"event-{events_seen}-{n}.json")
                with open(path, "w") as f:
                    json.dump(e, f)
                summaries.append(call(path, **extra))
            return summaries

        clear_log(endpoint)
        began = time.monotonic()
        started = call(start)
        jobs = {i["details"]["kind"]: i["details"]["jobId"] for i in started["items"] if i["action"] == "START_JOB"}
        engine = time.monotonic()
        for job_id in jobs.values():
            _post(endpoint, f"/_atrest/s3control/jobs/{job_id}/run", {})
        engine = round(time.monotonic() - engine, 2)
        finished = [i for s in deliver() for i in s["items"] if i["action"] in ("JOB_FINISHED", "CONVERGED")]
        wall = round(time.monotonic() - began, 2)
        atrest = _requests(endpoint)

        # Converged? A new dry run's SSE-S3 filter must find nothing.
        _post(endpoint, "/_atrest/s3control/config", {"mode": "auto"})
        clear_log(endpoint)
        call(start, DRY_RUN="true")
        check = [i for s in deliver(DRY_RUN="true") for i in s["items"] if i["action"] in ("CONVERGED", "DRY_RUN_COUNT")]
        check_requests = _requests(endpoint)
    sse = next(i for i in finished if i["details"]["kind"] == "sse-s3")
    return {
        "objects": objects, "seeding": seeding, "wall_s": wall, "engine_s": engine,
        "objects_per_s": round(objects / wall, 1),
        "function_invocations": len(invocations) - len(check) - 1, "invocation_s": invocations,
        "succeeded": sse["details"]["succeeded"], "failed": sse["details"]["failed"],
        "atrest_requests": sum(atrest.values()), "atrest_operations": dict(atrest),
        "convergence_check": [f"{i['details']['kind']}: {i['action']} ({i['details'].get('totalTasks')} objects)"
                              for i in check],
        "convergence_check_requests": sum(check_requests.values()),
        "note": "wall: first invocation to the last job's end-of-job report, each invocation a fresh JVM; engine: "
                "the emulator running the two jobs' tasks (not HTTP, not in the request log)",
    }


def lambda_path(endpoint, invoke, objects):
    from warm import clear_log
    key_arn, seeding = _seed(endpoint, objects)
    event = {"invocationSchemaVersion": "2.0", "invocationId": "bench", "job": {"id": "bench-job", "userArguments": {}},
             "tasks": [{"taskId": f"t{i}", "s3Key": f"obj/{i:06d}", "s3VersionId": None, "s3Bucket": BUCKET}
                       for i in range(objects)]}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(event, f)
        path = f.name
    clear_log(endpoint)
    began = time.monotonic()
    response = invoke("S3ReencryptFunction", path, endpoint, DRY_RUN="false", TARGET_KMS_KEY_ARN=key_arn)
    wall = round(time.monotonic() - began, 2)
    os.unlink(path)
    ops = _requests(endpoint)
    codes = collections.Counter(r["resultCode"] for r in response["results"])
    return {"objects": objects, "seeding": seeding, "wall_s": wall, "objects_per_s": round(objects / wall, 1),
            "result_codes": dict(codes), "requests": sum(ops.values()),
            "requests_per_object": round(sum(ops.values()) / objects, 2), "operations": dict(ops),
            "note": "one invocation carrying every task, one fresh JVM; a real job invokes once per task"}


def measure(endpoint, objects=20000, native_scale=100000):
    """Both paths on the same bucket of {objects}; then the job path alone on {native_scale} objects (0: skipped),
    where the Lambda path would take a long time to show what is already plain: 3 requests per object."""
    from run import run_invoke

    def invoke(function, event, endpoint, **env):
        return run_invoke(function, event, endpoint, env=env)[1]
    out = {"native": native(endpoint, invoke, objects), "lambda_path": lambda_path(endpoint, invoke, objects)}
    if native_scale:
        out["native_scale"] = native(endpoint, invoke, native_scale)
    return out


def table(result):
    n, l = result["native"], result["lambda_path"]
    ops = ", ".join(f"{k.split(':', 1)[1]} {v}" for k, v in sorted(n["atrest_operations"].items()))
    rows = [
        f"Backfill of one bucket of {n['objects']} SSE-S3 objects, measured by `bench/backfill.py` on this machine "
        f"({result['machine']['cpus']} CPUs) against the local emulator, {result['date']}: not AWS figures. "
        f"Seeding took {n['seeding']['seconds']} s through the emulator's bulk path.",
        "",
        "| Path | wall (s) | objects/s | requests atrest made | result |",
        "|---|---|---|---|---|",
        f"| Batch Operations `S3UpdateObjectEncryption` job (S3BackfillFunction) | {n['wall_s']} (engine "
        f"{n['engine_s']}) | {n['objects_per_s']} | {n['atrest_requests']}, whatever the object count ({ops}); "
        f"{n['function_invocations']} invocations | {n['succeeded']} succeeded, {n['failed']} failed; then "
        f"{'; '.join(n['convergence_check'])} |",
        f"| Lambda path (S3ReencryptFunction per object) | {l['wall_s']} | {l['objects_per_s']} | {l['requests']} "
        f"({l['requests_per_object']} per object) | {l['result_codes']} |",
    ]
    big = result.get("native_scale")
    if big:
        rows.append(f"| Batch Operations job, {big['objects']} objects (job path only) | {big['wall_s']} (engine "
                    f"{big['engine_s']}) | {big['objects_per_s']} | {big['atrest_requests']} | {big['succeeded']} "
                    f"succeeded, {big['failed']} failed; then {'; '.join(big['convergence_check'])} |")
    return "\n".join(rows + [
        "",
        "Wall time of the job path: from the start invocation to the last end-of-job report, every invocation a "
        "fresh JVM; the engine figure is the emulator running the tasks itself. The Lambda path ran as one "
        "invocation carrying every task (a real job invokes the function once per task).",
    ])


def write(result, readme=True):
    os.makedirs(RESULTS, exist_ok=True)
    with open(os.path.join(RESULTS, "backfill.json"), "w") as f:
        json.dump(result, f, indent=2)
    text = table(result)
    with open(os.path.join(RESULTS, "backfill.md"), "w") as f:
        f.write(text + "\n")
    if readme:
        with open(README) as f:
            content = f.read()
        if START not in content or END not in content:
            raise SystemExit(f"README.md lacks the {START} / {END} markers")
        head, rest = content.split(START, 1)
        _, tail = rest.split(END, 1)
        with open(README, "w") as f:
            f.write(f"{head}{START}\n{text}\n{END}{tail}")
    return text


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--objects", type=int, default=20000, help="the bucket both paths converge")
    parser.add_argument("--native-scale", type=int, default=100000,
                        help="a larger bucket for the job path alone (0: skip)")
    parser.add_argument("--no-readme", action="store_true")
    args = parser.parse_args()
    result = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
              "machine": {"cpus": os.cpu_count(), "platform": platform.platform()}}
    with tempfile.TemporaryDirectory() as tmp, process.running(os.path.join(tmp, "emulator.log")) as endpoint:
        result.update(measure(endpoint, args.objects, args.native_scale))
    print(write(result, readme=not args.no_readme))


if __name__ == "__main__":
    main()
