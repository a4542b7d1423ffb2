"""README must stay true: its configuration table is the template's parameters."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tools"))

import config_table  # noqa: E402


def test_readme_configuration_table_matches_template():
    readme = config_table.readme_table()
    assert readme is not None, "README.md lacks the config-table markers"
    assert readme == config_table.table(), "README's table is stale: run python tools/config_table.py --write"


def test_every_function_env_var_in_the_template_is_documented():
    table = config_table.table()
    for var in ("TARGET_KMS_KEY_ARN", "DRY_RUN", "ROTATION_PERIOD_DAYS", "REGIONS", "SECURITY_HUB_ENABLED"):
        assert f"`{var}`" in table


def _between(path, start, end):
    text = open(path, encoding="utf-8").read()
    return text.split(start, 1)[1].split(end, 1)[0].strip()


def test_performance_page_and_readme_summary_are_the_latest_bench_run():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    results = os.path.join(root, "bench", "results")
    table = _between(os.path.join(root, "docs", "performance.md"), "<!-- bench:start -->", "<!-- bench:end -->")
    assert table == open(os.path.join(results, "latest.md"), encoding="utf-8").read().strip(), \
        "docs/performance.md is not bench/results/latest.md: run make bench"
    summary = _between(os.path.join(root, "README.md"), "<!-- bench-summary:start -->", "<!-- bench-summary:end -->")
    assert summary == open(os.path.join(results, "latest-summary.md"), encoding="utf-8").read().strip(), \
        "README's performance summary is not bench/results/latest-summary.md: run make bench"


def test_readme_backfill_figures_are_the_latest_backfill_bench():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    readme = open(os.path.join(root, "README.md"), encoding="utf-8").read()
    section = readme.split("<!-- bench-backfill:start -->", 1)[1].split("<!-- bench-backfill:end -->", 1)[0].strip()
    latest = open(os.path.join(root, "bench", "results", "backfill.md"), encoding="utf-8").read().strip()
    assert section == latest, "README's backfill figures are not bench/results/backfill.md: run bench/backfill.py"
