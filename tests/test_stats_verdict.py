"""classify_factors() and classify_blocks() (the documented rules, against statsmodels) and performers() (against R's predict.lm)."""
from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.multitest import multipletests

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
from cybercult.stats.verdict import (BLOCK_COLUMNS, BLOCK_RULE, ROLES, VERDICT_COLUMNS, classify_blocks,
                                     tost_p)

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
    assert list(v.columns) == VERDICT_COLUMNS
    roles = dict(zip(v["term"], v["role"]))
    assert roles == {"my.up": "driver", "my.down": "blocker", "my.noise": "inconclusive"}
    assert set(v["role"]) <= set(ROLES)
    tab = model.table.set_index("term")
    np.testing.assert_allclose(v["estimate"], tab.loc[v["term"], "beta"])
    # the standard error of beta is that of the same model on z-scores (statsmodels, computed independently)
    np.testing.assert_allclose(v["std_error"], model.std_fit.bse[v["term"]], rtol=1e-10)
    np.testing.assert_allclose(v["ci_low_unadj"], tab.loc[v["term"], "beta_ci_low"], rtol=1e-10)
    np.testing.assert_allclose(v["p_adj"], tab.loc[v["term"], "p_adj"])  # same BH over the same terms
    assert v["robust_share"].isna().all() and v["robust"].isna().all() and (v["n"] == 80).all()
    assert (v["outcome"] == "my.outcome").all()
    up = v.set_index("term").loc["my.up", "evidence"]
    assert "Benjamini-Hochberg" in up and "toward more commitment" in up
    assert ">= 0.05" in v.set_index("term").loc["my.noise", "evidence"]
    assert v.attrs["rule"] == VERDICT_RULE and v.attrs["padjust"] == "fdr_bh"


def test_rule_is_in_the_docstring():
    squash = lambda s: re.sub(r"\s+", " ", s).strip()  # noqa: E731
    assert squash(VERDICT_RULE) in squash(classify_factors.__doc__)
    assert squash(BLOCK_RULE) in squash(classify_blocks.__doc__)


def test_decision_intervals_by_correction(model):
    """BH: Benjamini-Yekutieli FCR intervals at 1 - R alpha / m; Holm/Bonferroni: 1 - alpha / m; none: 1 - alpha."""
    se = model.std_fit.bse[["my.up", "my.down", "my.noise"]].to_numpy()
    beta = model.std_fit.params[["my.up", "my.down", "my.noise"]].to_numpy()
    df = model.fit.df_resid
    for padj, level in [("fdr_bh", 1 - 2 * 0.05 / 3), ("holm", 1 - 0.05 / 3), ("bonferroni", 1 - 0.05 / 3),
                        ("none", 0.95)]:
        v = classify_factors(model, padjust=padj)
        q = stats.t.ppf(0.5 + level / 2, df)
        assert v["ci_level"].iloc[0] == pytest.approx(level)
        np.testing.assert_allclose(v["ci_low"], beta - q * se, rtol=1e-10)
        np.testing.assert_allclose(v["ci_high"], beta + q * se, rtol=1e-10)
        # the drawn interval agrees with the decision under BH and Bonferroni
        if padj in ("fdr_bh", "bonferroni", "none"):
            excl = (v["ci_low"] > 0) | (v["ci_high"] < 0)
            assert (excl == v["role"].isin(["driver", "blocker"])).all()


def test_every_factor_is_eligible_on_the_default_panel():
    """alpha near 1, no correction, no gate: every factor is a driver or a blocker, by its sign."""
    from cybercult.data.panel import build_panel
    from cybercult.study import load_study

    st = load_study(None)
    cfg = st.config
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        panel = build_panel(st.variables(), cfg["data"]["year"], window=cfg["data"]["window"],
                            sample=cfg["data"]["sample"], outcome=cfg["model"]["outcome"])
        res = regress(panel.data, cfg["model"]["outcome"], st.predictors)
    v = classify_factors(res, alpha=0.999, padjust="none")
    assert len(v) == len(st.predictors) and set(v["term"]) == set(st.predictors)
    expected = np.where(v["estimate"] > 0, "driver", "blocker")
    assert (v["role"].to_numpy() == expected).all()
    assert "wdi.log_gdppc_ppp" in set(v["term"]) and "wdi_af.per1000" in set(v["term"])
    # the suppression flag: the sign in the model against the bivariate r on the same countries
    d = res.data_used
    for row in v.itertuples():
        r = np.corrcoef(d[row.term], d[cfg["model"]["outcome"]])[0, 1]
        assert row.r_bivariate == pytest.approx(r)
        assert row.suppression == (np.sign(r) != np.sign(row.estimate))
    assert v["suppression"].any()  # power distance: positive in the model, negative alone


def test_negligible_by_tost_against_statsmodels():
    rng = np.random.default_rng(7)
    n = 3000
    d = pd.DataFrame({"my.up": rng.normal(size=n), "my.zero": rng.normal(size=n)},
                     index=pd.Index([f"C{i:04d}" for i in range(n)], name="iso3"))
    d["my.outcome"] = 0.5 * d["my.up"] + rng.normal(size=n)
    v = classify_factors(regress(d, "my.outcome", ["my.up", "my.zero"])).set_index("term")
    assert v.loc["my.up", "role"] == "driver" and v.loc["my.zero", "role"] == "negligible"
    assert v.loc["my.zero", "p_equiv_adj"] < 0.05
    # a wider bound makes equivalence easier, a tiny one impossible
    assert classify_factors(regress(d, "my.outcome", ["my.up", "my.zero"]), sesoi=0.001).set_index(
        "term").loc["my.zero", "role"] == "inconclusive"


def test_tost_equals_statsmodels_ttost_ind():
    """A regression on a group dummy is a two-sample t-test: same TOST p as statsmodels' ttost_ind."""
    from statsmodels.stats.weightstats import ttost_ind

    rng = np.random.default_rng(3)
    a, b = rng.normal(0.05, 1, 40), rng.normal(0.0, 1, 55)
    y = np.r_[a, b]
    x = np.r_[np.ones(40), np.zeros(55)]
    fit = sm.OLS(y, sm.add_constant(x)).fit()
    for bound in (0.2, 0.5, 0.8):
        got = tost_p(fit.params[1], fit.bse[1], fit.df_resid, bound)
        ref = ttost_ind(a, b, -bound, bound, usevar="pooled")[0]
        assert float(got) == pytest.approx(ref, rel=1e-10)


def test_direction_flip(model):
    v = classify_factors(model, higher_is_better=False)
    roles = dict(zip(v["term"], v["role"]))
    assert roles == {"my.up": "blocker", "my.down": "driver", "my.noise": "inconclusive"}
    assert outcome_direction("my.outcome")[0] == 1


def test_direction_from_catalogue():
    if "gci2024.tier" not in variable_ids():
        pytest.skip("catalogue does not load gci2024.tier yet")
    assert outcome_direction("gci2024.tier")[0] == -1
    assert outcome_direction("gci2024.score")[0] == 1


def test_robustness_grade_and_gate(model):
    rob = pd.DataFrame({"term": ["my.up", "my.down", "my.noise"],
                        "share_positive_significant": [0.9, 0.0, 0.0], "share_negative_significant": [0.0, 0.3, 0.0],
                        "share_positive_significant_region": [0.6, 0.0, 0.0],
                        "share_negative_significant_region": [0.0, 0.1, 0.0]})
    v = classify_factors(model, robustness=rob).set_index("term")
    assert v.loc["my.down", "role"] == "blocker"  # a grade by default: the role stands
    assert v.loc["my.down", "robust_share"] == 0.3 and not v.loc["my.down", "robust"]
    assert v.loc["my.up", "robust"] and v.loc["my.up", "robust_region"] and not v.loc["my.down", "robust_region"]
    assert "30% of specifications (< 50%)" in v.loc["my.down", "evidence"]
    g = classify_factors(model, robustness=rob, robustness_gate=True).set_index("term")
    assert g.loc["my.up", "role"] == "driver" and g.loc["my.down", "role"] == "inconclusive"
    assert "robustness_gate" in g.loc["my.down", "note"]
    g = classify_factors(model, robustness=rob, robustness_gate=True, min_share=0.25).set_index("term")
    assert g.loc["my.down", "role"] == "blocker"
    g = classify_factors(model, robustness=rob.iloc[:1], robustness_gate=True).set_index("term")
    assert g.loc["my.down", "role"] == "inconclusive" and "not in the robustness table" in g.loc["my.down", "evidence"]
    # the older summary column alone still works
    old = pd.DataFrame({"term": ["my.up"], "share_same_sign_significant": [0.8]})
    assert classify_factors(model, robustness=old).set_index("term").loc["my.up", "robust_share"] == 0.8


def test_stricter_settings_and_padjust_from_the_model(synthetic, model):
    tiny = float(model.table["p_value"].iloc[1:].min()) * 2  # Bonferroni over 3 terms puts every p_adj above it
    v = classify_factors(model, alpha=tiny, padjust="bonferroni").set_index("term")
    assert not v["role"].isin(["driver", "blocker"]).any()
    assert "Bonferroni" in v.loc["my.up", "evidence"]
    holm = regress(synthetic, "my.outcome", ["my.up", "my.down", "my.noise"], padjust="holm")
    assert classify_factors(holm).attrs["padjust"] == "holm"
    assert classify_factors(holm, padjust="none").attrs["padjust"] == "none"


def test_suppression_flag():
    rng = np.random.default_rng(11)
    n = 200
    x1 = rng.normal(size=n)
    x2 = 0.9 * x1 + np.sqrt(1 - 0.81) * rng.normal(size=n)
    y = 1.0 * x1 - 0.4 * x2 + 0.3 * rng.normal(size=n)  # x2 goes up with y alone, down given x1
    d = pd.DataFrame({"my.a": x1, "my.b": x2, "my.outcome": y}, index=[f"C{i}" for i in range(n)])
    v = classify_factors(regress(d, "my.outcome", ["my.a", "my.b"])).set_index("term")
    assert v.loc["my.b", "r_bivariate"] == pytest.approx(np.corrcoef(x2, y)[0, 1])
    assert v.loc["my.b", "r_bivariate"] > 0 and v.loc["my.b", "estimate"] < 0
    assert v.loc["my.b", "suppression"] and "suppression" in v.loc["my.b", "note"]
    assert not v.loc["my.a", "suppression"]
    given = classify_factors(regress(d, "my.outcome", ["my.a", "my.b"]), bivariate={"my.a": -0.5, "my.b": -0.1})
    assert given.set_index("term").loc["my.a", "suppression"]


def test_other_models_and_raw_estimates(synthetic):
    d = synthetic.copy()
    d["my.share"] = (d["my.outcome"] - d["my.outcome"].min() + 1) / (d["my.outcome"].max() - d["my.outcome"].min() + 2)
    fl = classify_factors(fractional_logit(d, "my.share", ["my.up", "my.down", "my.noise"], scale=1))
    assert dict(zip(fl["term"], fl["role"]))["my.up"] == "driver"
    d["my.tier"] = pd.cut(d["my.outcome"], 4, labels=False) + 1
    ol = classify_factors(ordinal_logit(d, "my.tier", ["my.up", "my.down", "my.noise"]))
    assert list(ol["term"]) == ["my.up", "my.down", "my.noise"]  # no cut points
    assert dict(zip(ol["term"], ol["role"]))["my.down"] == "blocker"
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
    with pytest.raises(ValueError, match="sesoi"):
        classify_factors(model, sesoi=0)
    with pytest.raises(ValueError, match="robustness_gate=True needs"):
        classify_factors(model, robustness_gate=True)


# --------------------------------------------------------------------------- blocks
@pytest.fixture(scope="module")
def blocky():
    rng = np.random.default_rng(99)
    n = 70
    d = pd.DataFrame(rng.normal(size=(n, 5)), columns=["my.dev", "my.c1", "my.c2", "my.pol", "my.mil"],
                     index=pd.Index([f"C{i:02d}" for i in range(n)], name="iso3"))
    d["my.c1"] += 0.5 * d["my.dev"]
    d["my.outcome"] = 1.0 * d["my.dev"] + 0.6 * d["my.c1"] - 0.4 * d["my.c2"] + rng.normal(size=n) * (
        1 + 0.5 * np.abs(d["my.dev"]))
    d.loc["C03", "my.mil"] = np.nan
    return d


BLOCKS = {"development": ["my.dev"], "politics": ["my.pol"], "military": ["my.mil"], "culture": ["my.c1", "my.c2"]}


def test_classify_blocks_against_statsmodels(blocky):
    out = classify_blocks(blocky, "my.outcome", BLOCKS, n_perm=199, rng=1)
    assert list(out.columns) == BLOCK_COLUMNS
    assert out["comparison"].tolist() == ["beyond all other blocks"] * 4 + ["beyond development"] * 3
    d = blocky.dropna()
    allx = [p for v in BLOCKS.values() for p in v]
    for r in out.itertuples():
        assert r.n == len(d) == 69
        if r.comparison == "beyond development":
            red_x = BLOCKS["development"]
        else:
            red_x = [p for p in allx if p not in BLOCKS[r.block]]
        full_x = red_x + BLOCKS[r.block]
        red = sm.OLS(d["my.outcome"], sm.add_constant(d[red_x])).fit()
        full = sm.OLS(d["my.outcome"], sm.add_constant(d[full_x])).fit()
        f, p, df1 = full.compare_f_test(red)
        assert r.delta_r2 == pytest.approx(full.rsquared - red.rsquared, rel=1e-10)
        assert (r.f_change, r.f_change_p, r.df1) == pytest.approx((f, p, df1), rel=1e-10)
        rob = sm.OLS(d["my.outcome"], sm.add_constant(d[full_x])).fit(cov_type="HC3", use_t=True)
        R = np.zeros((len(BLOCKS[r.block]), len(full_x) + 1))
        for j, t in enumerate(BLOCKS[r.block]):
            R[j, 1 + full_x.index(t)] = 1
        w = rob.wald_test(R, use_f=True, scalar=True)
        assert (r.robust_wald_f, r.robust_wald_p) == pytest.approx((float(w.statistic), float(w.pvalue)), rel=1e-10)
        f2 = (full.rsquared - red.rsquared) / (1 - full.rsquared)
        assert r.p_equiv == pytest.approx(stats.ncf.cdf(f, df1, full.df_resid, 0.02 * (df1 + full.df_resid + 1)))
        assert r.f2 == pytest.approx(f2)
        assert 0 < r.permutation_p <= 1
    for comp, g in out.groupby("comparison"):
        np.testing.assert_allclose(g["p_adj"], multipletests(g["robust_wald_p"], method="fdr_bh")[1])
        expected = np.where(g["p_adj"] < 0.05, "matters",
                            np.where(g["p_equiv_adj"] < 0.05, "negligible", "inconclusive"))
        assert (g["role"].to_numpy() == expected).all()
    roles = out.set_index(["block", "comparison"])["role"]
    assert roles[("development", "beyond all other blocks")] == "matters"
    assert roles[("culture", "beyond development")] == "matters"
    assert out.attrs["rule"] == BLOCK_RULE


def test_classify_blocks_negligible_with_many_countries():
    rng = np.random.default_rng(5)
    n = 4000
    d = pd.DataFrame(rng.normal(size=(n, 3)), columns=["my.dev", "my.pol", "my.c1"],
                     index=pd.Index([f"C{i:04d}" for i in range(n)], name="iso3"))
    d["my.outcome"] = d["my.dev"] + rng.normal(size=n)
    out = classify_blocks(d, "my.outcome", {"development": ["my.dev"], "politics": ["my.pol"],
                                            "culture": ["my.c1"]}, n_perm=0)
    assert set(out.loc[out["block"] != "development", "role"]) == {"negligible"}
    assert out["permutation_p"].isna().all()


def test_classify_blocks_bad_input(blocky):
    with pytest.raises(ValueError, match="at least two blocks"):
        classify_blocks(blocky, "my.outcome", {"development": ["my.dev"]})
    with pytest.raises(ValueError, match="n_perm"):
        classify_blocks(blocky, "my.outcome", BLOCKS, n_perm=-1)


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
