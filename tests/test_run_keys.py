"""Every documented study key reaches the numbers: each key is set in a study that runs the pipeline.

The inference settings are checked against scipy and statsmodels computed here, independently of the
package's own formatting of them.
"""
import tomllib

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests

import cybercult as cc
from cybercult.run import compute, write_tables
from cybercult.study import SCHEMA

# every key of the schema, most with a value other than the default
KEYS_STUDY = """
[study]
title = "Keys study"
question = "Does culture go with {outcome}?"
output = "unused-out"
figures = "unused-figs"

[data]
year = 2020
window = 2
sample = "hofstede4"
variables = ["cpi.score"]
extra = ["mine.csv"]
country_map = "names.csv"
exact_names = true

[model]
outcome = "gci2020.technical"
pillars = ["gci2020.technical", "gci2020.legal"]
alternative_outcomes = ["ncsi.score"]
block_order = ["economy", "politics", "culture"]
control_block = "economy"
focal_block = "culture"
ordinal_outcome = "gci2024.tier"
cov_type = "HC1"
missing = "listwise"
n_imputations = 3
correlation_methods = ["pearson", "kendall"]
group_by = ["fh.status"]
fractional_logit = true
ordinal_logit = true

[model.blocks]
economy = ["wdi.log_gdppc_ppp"]
politics = ["eiu.democracy"]
military = []
development = []
culture = ["hofstede.pdi", "hofstede.idv", "hofstede.uai"]

[inference]
alpha = 0.1
padjust = "holm"

[verdict]
use_robustness = true
min_share = 0.3
robustness_gate = true
sesoi = 0.2
sesoi_f2 = 0.05

[robustness]
seed = 11
n_boot = 300
n_perm = 200
spec_outcomes = ["gci2020.score", "ncsi.score"]
spec_controls = ["economy"]
spec_estimators = ["ols", "ols_std"]
spec_pillars = false
spec_regions = false

[robustness.culture_alternatives]
individualism = ["hofstede.idv", "wvs.surv_selfexp"]

[figures]
style = "slides"
formats = ["png"]

[tables]
publication_coef = "beta"
"""


@pytest.fixture(scope="module")
def keys_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("keys")
    (base / "mine.csv").write_text("country,my_index\nDenmark,3.5\nFrance,2.0\nNippon,1.5\nBrazil,0.5\n")
    (base / "names.csv").write_text("name,iso3\nNippon,JPN\n")
    study = base / "keys.toml"
    study.write_text(KEYS_STUDY)
    res = compute(study)
    write_tables(res, base / "out")
    return base, res


def test_the_keys_study_names_every_documented_key():
    cfg = tomllib.loads(KEYS_STUDY)
    for section, keys in SCHEMA.items():
        for key in keys:
            if key == "blocks":
                assert cfg["model"]["blocks"]
            elif key == "culture_alternatives":
                assert cfg["robustness"]["culture_alternatives"]
            else:
                assert key in cfg[section], f"{section}.{key} is exercised by no pipeline test"


def test_keys_reach_the_results(keys_run):
    base, r = keys_run
    assert r.study.question == "Does culture go with " + cc.label("gci2020.technical") + "?"
    assert r.panel.year == 2020 and r.panel.window == 2 and r.panel.sample == "hofstede4"
    assert "cpi.score" in r.panel.variables
    assert "user.mine.my_index" in r.panel.variables  # the extra file reached the panel, in its namespace
    assert r.data.loc["JPN", "user.mine.my_index"] == 1.5  # through the study's country map
    nm = r.panel.name_matches.set_index("name")
    assert nm.loc["Nippon", "iso3"] == "JPN" and (r.panel.name_matches["rule"] != "pattern").all()
    assert list(r.study.blocks) == ["economy", "politics", "culture"]
    assert r.main.cov_type == "HC1" and r.main.outcome == "gci2020.technical"
    # a pillar outcome: modelled once, the other pillar and the alternative too
    assert list(r.models) == ["gci2020.technical", "gci2020.legal", "ncsi.score"]
    assert set(r.correlations["method"]) >= {"pearson", "kendall"}
    assert "partial" in " ".join(r.correlations["method"].astype(str)) or r.correlations["covar"].notna().any()
    assert list(r.groups) == ["fh.status"]
    assert r.checks["ordinal_logit"].outcome == "gci2024.tier"
    assert set(r.hierarchy.steps["block"]) == {"economy", "politics", "culture"}
    assert r.verdict["robust_share"].notna().all()  # use_robustness = true: graded by the curve
    called = r.verdict[r.verdict["role"].isin(["driver", "blocker"])]
    assert called["robust"].all()  # robustness_gate = true: no unrobust driver or blocker
    assert r.verdict.attrs["sesoi"] == 0.2 and "sesoi_f2 = 0.05" in r.verdict_blocks.attrs["settings"]
    assert r.spec_pillars is None  # spec_pillars = false
    assert "region" not in r.spec.table.columns or set(r.spec.table["region"]) == {"none"}  # spec_regions = false
    assert set(r.verdict_blocks["block"]) == {"economy", "politics", "culture"}
    assert set(r.spec.table["outcome"]) == {"gci2020.score", "ncsi.score"}
    assert r.bootstrap.table["n_boot"].iloc[0] == 300
    np.testing.assert_array_equal(r.study.config["robustness"]["spec_estimators"], ["ols", "ols_std"])


def _holm(p):
    return multipletests(np.asarray(p, float), method="holm")[1]


def test_alpha_and_holm_reach_every_table(keys_run):
    base, r = keys_run
    tables = base / "out" / "tables"
    # OLS: 90 % t intervals, Holm across the predictors
    reg = pd.read_csv(tables / "regression.csv")
    pred = reg[reg["term"] != "const"]
    q = stats.t.ppf(0.95, r.main.fit.df_resid)
    np.testing.assert_allclose(pred["ci_high"] - pred["estimate"], q * pred["std_error"], rtol=1e-6)
    np.testing.assert_allclose(pred["p_adj"], _holm(pred["p_value"]), rtol=1e-9)
    # fractional and ordinal logit: 90 % z intervals, Holm
    for name in ("fractional_logit", "ordinal_logit"):
        t = pd.read_csv(tables / f"{name}.csv")
        t = t[t["kind"] == "predictor"]
        z = stats.norm.ppf(0.95)
        np.testing.assert_allclose(t["ci_high"] - t["estimate"], z * t["std_error"], rtol=1e-6, err_msg=name)
        np.testing.assert_allclose(t["p_adj"], _holm(t["p_value"]), rtol=1e-9, err_msg=name)
    # correlations: Holm over each call's rows
    corr = r.correlations
    for method, part in corr[corr["covar"].isna()].groupby("method"):
        np.testing.assert_allclose(part["p_adj"], _holm(part["p_value"]), rtol=1e-9, err_msg=method)
    # group post-hoc: Holm within each family of pairwise tests (Tukey carries its own p)
    ph = pd.read_csv(tables / "groups_fh.status_posthoc.csv")
    for test, part in ph[ph["test"] != "tukey"].groupby("test"):
        np.testing.assert_allclose(part["p_adj"], _holm(part["p_value"]), rtol=1e-9, err_msg=test)
    welch = ph[ph["test"] == "welch_t"].iloc[0]
    assert welch["ci_high"] - welch["ci_low"] == pytest.approx(
        2 * stats.t.ppf(0.95, welch["df"]) * abs(welch["estimate"] / welch["statistic"]), rel=1e-6)
    # verdict: Holm
    v = pd.read_csv(tables / "verdict.csv")
    np.testing.assert_allclose(v["p_adj"], _holm(v["p_value"]), rtol=1e-9)
    # bootstrap: 90 % percentile interval of the draws
    b = r.bootstrap
    lo = np.percentile(b.draws, 5, axis=0)
    hi = np.percentile(b.draws, 95, axis=0)
    t = b.table.set_index("term")
    np.testing.assert_allclose(t["ci_low_percentile"].to_numpy(), lo, rtol=1e-6)
    np.testing.assert_allclose(t["ci_high_percentile"].to_numpy(), hi, rtol=1e-6)


def test_every_model_table_names_its_outcome(keys_run):
    base, r = keys_run
    tables = base / "out" / "tables"
    for name in ("regression", "regression_diagnostics", "fractional_logit", "ordinal_logit", "hierarchical",
                 "bootstrap", "permutation", "leave_one_out", "verdict", "performers", "specification_curve",
                 "groups_fh.status_omnibus", "groups_fh.status_posthoc"):
        t = pd.read_csv(tables / f"{name}.csv")
        assert "outcome" in t.columns, name
        assert t["outcome"].notna().all(), name
    assert set(pd.read_csv(tables / "ordinal_logit.csv")["outcome"]) == {"gci2024.tier"}
    assert set(pd.read_csv(tables / "regression.csv")["outcome"]) == {"gci2020.technical"}
    side = pd.read_csv(tables / "models_side_by_side.csv", index_col=0)
    assert list(side.columns) == ["gci2020.technical", "gci2020.legal", "ncsi.score"]
    assert "HC1" in side.loc["note"].iloc[0] and "AIC" in side.loc["note"].iloc[0]


def test_mice_pillar_outcome_slides_run_end_to_end(tmp_path):
    """missing = "mice" finishes; steps without a pooled version say they used the listwise model."""
    study = tmp_path / "mice.toml"
    study.write_text(f"""
[study]
output = "{tmp_path / 'out'}"
figures = "{tmp_path / 'out' / 'figures'}"
[model]
outcome = "gci2020.legal"
missing = "mice"
n_imputations = 2
alternative_outcomes = []
group_by = []
[robustness]
n_boot = 50
n_perm = 50
spec_outcomes = ["gci2020.score"]
[figures]
style = "slides"
formats = ["png"]

[tables]
publication_coef = "beta"
""")
    summary = cc.run_study(study)
    out = tmp_path / "out"
    assert summary["outcome"] == "gci2020.legal"
    assert any("listwise model" in n for n in summary["notes"])
    reg = pd.read_csv(out / "tables" / "regression.csv")
    assert "MICE" in reg["method"].iloc[0]
    report = (out / "report.html").read_text()
    assert "listwise model" in report and "MICE" in report
    assert (out / "figures" / "performers.png").is_file()
    assert not list(out.rglob("*.svg")) and not list(out.rglob("*.pdf"))


def test_a_slides_run_writes_a_deck_that_tells_the_story(tmp_path):
    """cybercult run --style slides --formats png: 16:9 PNGs and a deck in the story's order."""
    import subprocess
    import sys

    from pptx import Presentation
    from pptx.util import Emu

    study = tmp_path / "s.toml"
    study.write_text('[model]\nalternative_outcomes = []\ngroup_by = []\nfractional_logit = false\n'
                     'ordinal_logit = false\n[robustness]\nn_boot = 50\nn_perm = 50\n'
                     'spec_outcomes = ["gci2020.score", "ncsi.score"]\n')
    r = subprocess.run([sys.executable, "-m", "cybercult.cli", "run", str(study), "--out", str(tmp_path / "o"),
                        "--style", "slides", "--formats", "png", "--quiet"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    out = tmp_path / "o"
    assert not list(out.rglob("*.svg")) and not list(out.rglob("*.pdf"))
    from matplotlib.image import imread

    h, w = imread(out / "figures" / "drivers.png").shape[:2]
    assert w / h == pytest.approx(16 / 9, rel=0.01)
    deck = Presentation(out / "slides.pptx")
    assert (Emu(deck.slide_width).inches, Emu(deck.slide_height).inches) == pytest.approx((13.333, 7.5), abs=0.01)
    slides = list(deck.slides)
    titles = [s.shapes.title.text for s in slides]
    assert "Culture, politics, military" in titles[0]
    subtitle = " ".join(sh.text_frame.text for sh in slides[0].shapes if sh.has_text_frame)
    assert "Sources:" in subtitle and "Global Cybersecurity Index" in subtitle and "drivers_pillars" not in subtitle
    pictures = [[sh for sh in s.shapes if sh.shape_type == 13] for s in slides[1:]]
    assert all(len(p) == 1 for p in pictures) and len(slides) >= 8
    assert titles[1].startswith("Global Cybersecurity Index 2020 across")  # the sample map opens the story
    assert any(t.startswith("Drivers and blockers of") for t in titles[2:5]), titles
    takeaways = [" ".join(sh.text_frame.text for sh in s.shapes if sh.has_text_frame and sh != s.shapes.title)
                 for s in slides[1:]]
    assert all(len(t) > 30 for t in takeaways)  # a sentence computed from the results under every figure


def test_every_factor_is_eligible_in_a_study(tmp_path):
    """alpha near 1, no correction, no robustness gate: every factor is a driver or a blocker by its sign."""
    study = tmp_path / "s.toml"
    study.write_text('[model]\nalternative_outcomes = []\npillars = []\ngroup_by = []\nfractional_logit = false\n'
                     'ordinal_logit = false\n[inference]\nalpha = 0.999\npadjust = "none"\n'
                     '[verdict]\nrobustness_gate = false\n[robustness]\nn_boot = 20\nn_perm = 20\n'
                     'spec_outcomes = ["gci2020.score"]\nspec_regions = false\n')
    r = compute(study)
    v = r.verdict
    assert len(v) == len(r.study.predictors) == 10
    expected = np.where(v["estimate"] > 0, "driver", "blocker")  # GCI 2020: higher means more commitment
    assert list(v["role"]) == list(expected)
    assert set(v["block"]) == {"development", "politics", "military", "culture"}
