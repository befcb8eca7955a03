"""The pipeline end to end: outputs, reproducibility, report."""
import json
import re
import subprocess
import sys

import pytest

import cybercult as cc

STUDY = """
[study]
title = "Test study"
[data]
sample = "hofstede4"
[model.blocks]
culture = ["hofstede.pdi", "hofstede.idv", "hofstede.mas", "hofstede.uai"]
[robustness.culture_alternatives]
individualism = ["hofstede.idv", "wvs.surv_selfexp"]
[model]
pillars = ["gci2020.legal"]
alternative_outcomes = ["ncsi.score"]
group_by = ["eiu.regime"]
correlation_methods = ["spearman"]
[robustness]
n_boot = 200
n_perm = 200
spec_outcomes = ["gci2020.score", "ncsi.score"]
[figures]
formats = ["svg", "png"]
"""


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    base = tmp_path_factory.mktemp("run")
    study = base / "study.toml"
    study.write_text(STUDY)
    a = cc.run_study(study, out=base / "a")
    b = cc.run_study(study, out=base / "b")
    return base, a, b


def test_outputs_exist(two_runs):
    base, a, _ = two_runs
    out = base / "a"
    for name in ("panel.csv", "audit.csv", "report.html", "report.md", "summary.json"):
        assert (out / name).is_file(), name
    for t in ("verdict", "regression", "hierarchical", "correlations"):
        assert (out / "tables" / f"{t}.csv").is_file() and (out / "tables" / f"{t}.md").is_file()
        assert (out / "tables" / f"{t}.tex").is_file()
    assert (out / "figures" / "drivers.svg").is_file() and (out / "figures" / "drivers.png").is_file()
    assert not list(base.glob(".*partial"))
    # the study pins the former default (2015 matrix, four dimensions): 67 countries
    pinned = [p for p in cc.DEFAULT_PREDICTORS if not p.startswith("hofstede_insights.")] + [
        "hofstede.pdi", "hofstede.idv", "hofstede.mas", "hofstede.uai"]
    assert a["n_countries"] == 67 and set(a["verdict"]) == set(pinned)


def test_same_study_gives_identical_tables_and_figures(two_runs):
    base, a, b = two_runs
    files_a = sorted(p.relative_to(base / "a") for p in (base / "a").rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(base / "b") for p in (base / "b").rglob("*") if p.is_file())
    assert files_a == files_b
    for rel in files_a:
        if rel.name in ("summary.json", "report.md", "report.html"):
            continue  # they name the output folder
        assert (base / "a" / rel).read_bytes() == (base / "b" / rel).read_bytes(), rel


def test_report_is_self_contained_and_complete(two_runs):
    base, _, _ = two_runs
    html = (base / "a" / "report.html").read_text()
    assert "src=\"http" not in html and "<link" not in html
    assert html.count("data:image/png;base64,") >= 8
    for needle in ("The verdict rule", "Benjamini-Hochberg", "excluded", "Data sources", "sha256",
                   "statsmodels", "n_boot = 200", "Hierarchical"):
        assert needle in html, needle
    md = (base / "a" / "report.md").read_text()
    assert "![" in md and re.search(r"\| (factor|term) +\|", md)


def test_verdict_table_matches_regression(two_runs):
    import pandas as pd

    base, _, _ = two_runs
    v = pd.read_csv(base / "a" / "tables" / "verdict.csv")
    r = pd.read_csv(base / "a" / "tables" / "regression.csv").set_index("term")
    for row in v.itertuples():
        assert row.estimate == pytest.approx(r.loc[row.term, "beta"])
        assert row.role in ("driver", "blocker", "negligible", "inconclusive")


def test_cli_json_and_quiet(tmp_path):
    study = tmp_path / "s.toml"
    study.write_text(STUDY)
    r = subprocess.run([sys.executable, "-m", "cybercult.cli", "run", str(study), "--out", str(tmp_path / "o"),
                        "--quiet", "--json"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    assert summary["n_countries"] == 67 and "verdict.csv" in summary["tables"]
    assert "[cybercult]" not in r.stderr
