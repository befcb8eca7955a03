"""classify_factors() (the documented rule) and performers() (against R's predict.lm)."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from cybercult.stats import (
    VERDICT_RULE,
    classify_factors,
    fractional_logit,
    ordinal_logit,
    outcome_direction,
    performers,
    regress,
)
from cybercult.data import variable_ids

RTOL = 1e-6


@pytest.fixture(scope="module")
def synthetic() -> pd.DataFrame:
    """80 countries: a clear positive factor, a clear negative one, and noise."""
    rng = np.random.default_rng(20240601)
    n = 80
    d = pd.DataFrame({"my.up": rng.normal(size=n), "my.down": rng.normal(size=n), "my.noise": rng.normal(size=n)},
                     index=pd.Index([f"C{i:02d}" for i in range(n)], name="iso3"))
    d["my.outcome"] = 50 + 8 * d["my.up"] - 6 * d["my.down"] + rng.normal(scale=4, size=n)
    return d


@pytest.fixture(scope="module")
def model(synthetic):
    return regress(synthetic, "my.outcome", ["my.up", "my.down", "my.noise"])


def test_roles(model):
    v = classify_factors(model)
    assert list(v.columns) == ["factor", "label", "block", "role", "estimate", "ci_low", "ci_high", "p_value",
                               "p_adj", "n", "evidence", "spec_share"]
    roles = dict(zip(v["factor"], v["role"]))
    assert roles == {"my.up": "driver", "my.down": "blocker", "my.noise": "no clear effect"}
    assert set(v["role"]) <= {"driver", "blocker", "no clear effect"}
    tab = model.table.set_index("term")
    np.testing.assert_allclose(v["estimate"], tab.loc[v["factor"], "beta"])
    np.testing.assert_allclose(v["ci_low"], tab.loc[v["factor"], "beta_ci_low"])
    np.testing.assert_allclose(v["p_adj"], tab.loc[v["factor"], "p_adj"])  # same BH over the same terms
    assert v["spec_share"].isna().all() and (v["n"] == 80).all()
    up = v.set_index("factor").loc["my.up", "evidence"]
    assert "excludes 0" in up and "Benjamini-Hochberg" in up and "toward more commitment" in up
    noise = v.set_index("factor").loc["my.noise", "evidence"]
    assert ">= 0.05" in noise
    assert v.attrs["rule"] == VERDICT_RULE


def test_rule_is_in_the_docstring():
    squash = lambda s: re.sub(r"\s+", " ", s).strip()  # noqa: E731
    assert squash(VERDICT_RULE) in squash(classify_factors.__doc__)


def test_direction_flip(model):
    v = classify_factors(model, higher_is_better=False)
    roles = dict(zip(v["factor"], v["role"]))
    assert roles == {"my.up": "blocker", "my.down": "driver", "my.noise": "no clear effect"}
    assert outcome_direction("my.outcome")[0] == 1


def test_direction_from_catalogue():
    if "gci2024.tier" not in variable_ids():
        pytest.skip("catalogue does not load gci2024.tier yet")
    assert outcome_direction("gci2024.tier")[0] == -1
    assert outcome_direction("gci2024.score")[0] == 1


def test_robustness_share(model):
    rob = pd.DataFrame({"term": ["my.up", "my.down", "my.noise"], "share_same_sign_significant": [0.9, 0.3, 0.0]})
    v = classify_factors(model, robustness=rob).set_index("factor")
    assert v.loc["my.up", "role"] == "driver" and v.loc["my.down", "role"] == "no clear effect"
    assert "30% of specifications (< 50%)" in v.loc["my.down", "evidence"]
    assert v.loc["my.up", "spec_share"] == 0.9
    v = classify_factors(model, robustness=rob, min_share=0.25).set_index("factor")
    assert v.loc["my.down", "role"] == "blocker"
    v = classify_factors(model, robustness=rob.iloc[:1]).set_index("factor")
    assert v.loc["my.down", "role"] == "no clear effect"
    assert "not in the robustness table" in v.loc["my.down", "evidence"]


def test_stricter_settings(model):
    tiny = float(model.table["p_value"].iloc[1:].min()) * 2  # Bonferroni over 3 terms puts every p_adj above it
    v = classify_factors(model, alpha=tiny, padjust="bonferroni").set_index("factor")
    assert set(v["role"]) == {"no clear effect"}
    assert "Bonferroni" in v.loc["my.up", "evidence"]


def test_other_models_and_raw_estimates(synthetic):
    d = synthetic.copy()
    d["my.share"] = (d["my.outcome"] - d["my.outcome"].min() + 1) / (d["my.outcome"].max() - d["my.outcome"].min() + 2)
    fl = classify_factors(fractional_logit(d, "my.share", ["my.up", "my.down", "my.noise"], scale=1))
    assert dict(zip(fl["factor"], fl["role"]))["my.up"] == "driver"
    d["my.tier"] = pd.cut(d["my.outcome"], 4, labels=False) + 1
    ol = classify_factors(ordinal_logit(d, "my.tier", ["my.up", "my.down", "my.noise"]))
    assert list(ol["factor"]) == ["my.up", "my.down", "my.noise"]  # no cut points
    assert dict(zip(ol["factor"], ol["role"]))["my.down"] == "blocker"
    raw = classify_factors(regress(d, "my.outcome", ["my.up", "my.down"], standardize=False))
    assert "raw" in raw["evidence"].iloc[0]


def test_bad_input(model):
    with pytest.raises(TypeError, match="ModelResult"):
        classify_factors(model.table)
    with pytest.raises(ValueError, match="lacks column"):
        classify_factors(model, robustness=pd.DataFrame({"term": ["my.up"]}))
    with pytest.raises(ValueError, match="min_share"):
        classify_factors(model, min_share=2)
    with pytest.raises(ValueError, match="padjust"):
        classify_factors(model, padjust="fdr")


# --------------------------------------------------------------------------- performers
@pytest.fixture(scope="module")
def lifecycle(ref) -> pd.DataFrame:
    return ref("data_lifecycle.csv").set_index("iso3")


@pytest.mark.parametrize("cov_type,low,high", [("nonrobust", "pi_low", "pi_high"),
                                               ("HC3", "pi_low_hc3", "pi_high_hc3")])
def test_performers_against_r(lifecycle, cov_type, low, high, ref):
    res = regress(lifecycle, "lcs.sr", ["lcs.pop15", "lcs.pop75", "lcs.dpi", "lcs.ddpi"], cov_type=cov_type)
    got = performers(res)
    assert list(got.columns) == ["iso3", "country", "observed", "predicted", "pi_low", "pi_high", "residual",
                                 "std_residual", "status"]
    expected = ref("ref_ols_prediction.csv")
    m = got.merge(expected, on="iso3", suffixes=("", "_r"), validate="one_to_one")
    assert len(m) == 50
    for col in ["observed", "predicted", "residual", "std_residual"]:
        np.testing.assert_allclose(m[col], m[col + "_r"], rtol=RTOL, err_msg=col)
    np.testing.assert_allclose(m["pi_low"], m[low], rtol=RTOL)
    np.testing.assert_allclose(m["pi_high"], m[high], rtol=RTOL)
    over = m["observed"] > m["pi_high"]
    under = m["observed"] < m["pi_low"]
    assert (m.loc[over, "status"] == "over-performer").all() and (m.loc[under, "status"] == "under-performer").all()
    assert (m.loc[~over & ~under, "status"] == "as expected").all()
    assert got["std_residual"].is_monotonic_decreasing


def test_performers_threshold_and_direction(lifecycle):
    res = regress(lifecycle, "lcs.sr", ["lcs.pop15", "lcs.pop75", "lcs.dpi", "lcs.ddpi"])
    got = performers(res, threshold=1.5).set_index("iso3")
    assert (got.loc[got["std_residual"] > 1.5, "status"] == "over-performer").all()
    assert (got.loc[got["std_residual"] < -1.5, "status"] == "under-performer").all()
    assert (got.loc[got["std_residual"].abs() <= 1.5, "status"] == "as expected").all()
    flipped = performers(res, threshold=1.5, higher_is_better=False).set_index("iso3")
    assert (flipped.loc[got["std_residual"] > 1.5, "status"] == "under-performer").all()
    wide = performers(res, alpha=0.001).set_index("iso3")
    usual = performers(res).set_index("iso3").loc[wide.index]
    assert ((wide["pi_high"] - wide["pi_low"]) > (usual["pi_high"] - usual["pi_low"])).all()
    assert (wide["status"] == "as expected").sum() >= (usual["status"] == "as expected").sum()


def test_performers_bad_input(lifecycle, synthetic):
    res = fractional_logit(lifecycle.assign(share=lifecycle["lcs.sr"] / 100), "share", ["lcs.pop15"], scale=1)
    with pytest.raises(ValueError, match="needs an OLS model"):
        performers(res)
    with pytest.raises(TypeError, match="ModelResult"):
        performers("model")
    ols = regress(lifecycle, "lcs.sr", ["lcs.pop15"])
    with pytest.raises(ValueError, match="threshold"):
        performers(ols, threshold="sd")
    with pytest.raises(ValueError, match="threshold"):
        performers(ols, threshold=-1)
