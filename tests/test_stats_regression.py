"""regress(), fractional_logit(), ordinal_logit(), MICE pooling.

References: the NIST StRD Longley certified values for OLS, and R
(tests/reference/make_reference.R: lm + sandwich + lmtest + car + tseries,
glm quasibinomial + sandwich, MASS::polr, mice::pool) for the rest.
"""
from __future__ import annotations

import io
import warnings

import numpy as np
import pandas as pd
import pytest

import cybercult as cc
from cybercult.errors import FewObservationsWarning, UnknownVariableError
from cybercult.stats import (
    ModelResult,
    fractional_logit,
    influence,
    ordinal_logit,
    regress,
    rubin_pool,
)
from cybercult.stats.mice import _pool_r2

RTOL = 1e-6


# --------------------------------------------------------------------------- NIST Longley
# Data and certified values: NIST/ITL Statistical Reference Datasets, Longley (Longley.dat),
# https://www.itl.nist.gov/div898/strd/lls/data/LINKS/DATA/Longley.dat
# (Longley, J. W. (1967). An appraisal of least squares programs for the electronic
# computer from the point of view of the user. JASA 62, 819-841.)
LONGLEY = """y,x1,x2,x3,x4,x5,x6
60323,83.0,234289,2356,1590,107608,1947
61122,88.5,259426,2325,1456,108632,1948
60171,88.2,258054,3682,1616,109773,1949
61187,89.5,284599,3351,1650,110929,1950
63221,96.2,328975,2099,3099,112075,1951
63639,98.1,346999,1932,3594,113270,1952
64989,99.0,365385,1870,3547,115094,1953
63761,100.0,363112,3578,3350,116219,1954
66019,101.2,397469,2904,3048,117388,1955
67857,104.6,419180,2822,2857,118734,1956
68169,108.4,442769,2936,2798,120445,1957
66513,110.8,444546,4681,2637,121950,1958
68655,112.6,482704,3813,2552,123366,1959
69564,114.2,502601,3931,2514,125368,1960
69331,115.7,518173,4806,2572,127852,1961
70551,116.9,554894,4007,2827,130081,1962
"""
LONGLEY_CERTIFIED = {  # term: (estimate, standard deviation of estimate)
    "const": (-3482258.63459582, 890420.383607373),
    "nist.x1": (15.0618722713733, 84.9149257747669),
    "nist.x2": (-0.358191792925910e-01, 0.334910077722432e-01),
    "nist.x3": (-2.02022980381683, 0.488399681651699),
    "nist.x4": (-1.03322686717359, 0.214274163161675),
    "nist.x5": (-0.511041056535807e-01, 0.226073200069370),
    "nist.x6": (1829.15146461355, 455.478499142212),
}
LONGLEY_RESIDUAL_SD = 304.854073561965
LONGLEY_R2 = 0.995479004577296
LONGLEY_F = 330.285339234588
LONGLEY_SS_RESID = 836424.055505915


@pytest.fixture(scope="module")
def longley() -> pd.DataFrame:
    d = pd.read_csv(io.StringIO(LONGLEY))
    d.columns = ["nist.y"] + [f"nist.{c}" for c in d.columns[1:]]
    d.index = pd.Index([f"Y{y}" for y in d["nist.x6"]], name="iso3")
    return d


def test_longley_certified_values(longley, ref):
    preds = [f"nist.x{i}" for i in range(1, 7)]
    with pytest.warns(FewObservationsWarning, match="16 countries for 6 predictor terms"):
        res = regress(longley, "nist.y", preds, cov_type="nonrobust")
    tab = res.table.set_index("term")
    for term, (b, se) in LONGLEY_CERTIFIED.items():
        # NIST's higher-difficulty data set: 7 or more correct digits is the usual bar
        np.testing.assert_allclose(tab.loc[term, "estimate"], b, rtol=1e-7, err_msg=term)
        np.testing.assert_allclose(tab.loc[term, "std_error"], se, rtol=1e-7, err_msg=term)
    d = res.diagnostics
    np.testing.assert_allclose(d["sigma"], LONGLEY_RESIDUAL_SD, rtol=1e-9)
    np.testing.assert_allclose(d["r2"], LONGLEY_R2, rtol=1e-10)
    np.testing.assert_allclose(d["f_statistic"], LONGLEY_F, rtol=1e-8)
    np.testing.assert_allclose(res.fit.ssr, LONGLEY_SS_RESID, rtol=1e-8)
    assert d["n"] == 16 and d["k"] == 6 and d["df_resid"] == 9
    # RESET on this badly conditioned design, against R's lmtest::resettest on R's copy of Longley
    reset = ref("ref_longley_reset.csv").iloc[0]
    np.testing.assert_allclose(d["reset_statistic"], reset["statistic"], rtol=RTOL)
    np.testing.assert_allclose(d["reset_p_value"], reset["p_value"], rtol=RTOL)
    assert (d["reset_df1"], d["reset_df2"]) == (reset["df1"], reset["df2"])


# --------------------------------------------------------------------------- OLS against R
LCS_PREDICTORS = ["lcs.pop15", "lcs.pop75", "lcs.dpi", "lcs.ddpi"]


@pytest.fixture(scope="module")
def lifecycle(ref) -> pd.DataFrame:
    return ref("data_lifecycle.csv").set_index("iso3")


@pytest.fixture(scope="module")
def hc3(lifecycle) -> ModelResult:
    return regress(lifecycle, "lcs.sr", LCS_PREDICTORS)


@pytest.mark.parametrize("cov_type", ["nonrobust", "HC0", "HC1", "HC2", "HC3"])
def test_ols_coefficients_against_r(lifecycle, cov_type, ref):
    expected = ref("ref_ols_coef.csv").query("cov_type == @cov_type").set_index("term")
    res = regress(lifecycle, "lcs.sr", LCS_PREDICTORS, cov_type=cov_type)
    tab = res.table.set_index("term")
    assert list(tab.index) == list(expected.index)
    for col in ["estimate", "std_error", "statistic", "p_value", "ci_low", "ci_high", "beta", "beta_ci_low",
                "beta_ci_high", "vif"]:
        np.testing.assert_allclose(tab[col].to_numpy(float), expected[col].to_numpy(float), rtol=RTOL,
                                   equal_nan=True, err_msg=col)
    np.testing.assert_allclose(tab["p_adj"].to_numpy(float), expected["p_bh"].to_numpy(float), rtol=RTOL,
                               equal_nan=True)
    assert (tab["df"] == 45).all() and (tab["n"] == 50).all()
    assert res.cov_type == cov_type


def test_ols_table_columns(hc3):
    assert list(hc3.table.columns) == ["term", "label", "block", "kind", "estimate", "std_error", "statistic", "df",
                                       "p_value", "p_adj", "ci_low", "ci_high", "beta", "beta_ci_low",
                                       "beta_ci_high", "vif", "n", "method"]
    assert hc3.table["method"].iloc[0] == "OLS, HC3 (t)"
    assert hc3.table.loc[0, "term"] == "const" and np.isnan(hc3.table.loc[0, "p_adj"])
    # unknown ids fall back to themselves and the "user" block
    assert hc3.table.loc[1, "label"] == "lcs.pop15" and hc3.table.loc[1, "block"] == "user"


def test_ols_diagnostics_against_r(hc3, ref):
    r = ref("ref_ols_diagnostics.csv").set_index("name")["value"]
    d = hc3.diagnostics
    pairs = {  # ours: R's
        "n": "n", "r2": "r2", "adj_r2": "adj_r2", "f_statistic": "robust_f_statistic",
        "f_p_value": "robust_f_p_value", "f_statistic_classic": "f_statistic", "f_p_value_classic": "f_p_value",
        "f_df1": "f_df1", "f_df2": "f_df2", "loglik": "loglik", "sigma": "sigma", "bp_statistic": "bp_statistic",
        "bp_df": "bp_df", "bp_p_value": "bp_p_value", "jb_statistic": "jb_statistic", "jb_p_value": "jb_p_value",
        "reset_statistic": "reset_statistic", "reset_df1": "reset_df1", "reset_df2": "reset_df2",
        "reset_p_value": "reset_p_value", "condition_number": "condition_number",
        "condition_number_raw": "condition_number_raw",
    }
    for ours, theirs in pairs.items():
        np.testing.assert_allclose(d[ours], r[theirs], rtol=RTOL, err_msg=ours)
    # statsmodels does not count the error variance as a parameter; R's AIC()/BIC() do
    np.testing.assert_allclose(d["aic"] + 2, r["aic_r"], rtol=RTOL)
    np.testing.assert_allclose(d["bic"] + np.log(50), r["bic_r"], rtol=RTOL)
    assert d["f_test"] == "robust Wald F (HC3)"
    np.testing.assert_allclose(d["max_vif"], 6.629, atol=1e-3)


def test_influence_against_r(hc3, ref):
    expected = ref("ref_ols_cooks.csv")
    got = influence(hc3)
    assert list(got["iso3"]) == list(expected["iso3"])
    np.testing.assert_allclose(got["cooks_distance"], expected["cooks_distance"], rtol=RTOL)
    top = ", ".join(f"{i} ({v:.3f})" for i, v in zip(expected["iso3"][:5], expected["cooks_distance"][:5]))
    assert hc3.diagnostics["influential"] == top.replace(", ", "; ")


def test_listwise_against_r(ref):
    data = ref("data_swiss_na.csv").set_index("iso3")
    expected = ref("ref_ols_listwise.csv")
    res = regress(data, "sw.fertility", ["sw.agriculture", "sw.education", "sw.catholic"])
    np.testing.assert_allclose(res.table["estimate"], expected["estimate"], rtol=RTOL)
    np.testing.assert_allclose(res.table["std_error"], expected["std_error"], rtol=RTOL)
    np.testing.assert_allclose(res.table["p_value"], expected["p_value"], rtol=RTOL)
    assert res.diagnostics["n"] == expected["n"][0] == len(res.data_used)
    dropped = expected["dropped"][0].split(";")
    assert res.missing.startswith("listwise: 41 of 47 countries, dropped: ")
    assert sorted(res.missing.split("dropped: ")[1].split(", ")) == sorted(dropped)
    assert not set(dropped) & set(res.data_used.index)


def test_categorical_dummies_match_group_means(ref):
    data = ref("data_insectsprays.csv").set_index("iso3")
    means = ref("ref_groups_describe.csv").set_index("group")["mean"]  # R's group means
    res = regress(data, "ins.count", ["ins.spray"], categorical=["ins.spray"])
    tab = res.table.set_index("term")
    assert list(tab.index) == ["const"] + [f"ins.spray[{g}]" for g in "BCDEF"]
    np.testing.assert_allclose(tab.loc["const", "estimate"], means["A"], rtol=RTOL)
    for g in "BCDEF":
        np.testing.assert_allclose(tab.loc[f"ins.spray[{g}]", "estimate"], means[g] - means["A"], rtol=RTOL)
        assert tab.loc[f"ins.spray[{g}]", "block"] == "user"
        assert "(vs A)" in tab.loc[f"ins.spray[{g}]", "label"]


def test_standardize_false_leaves_beta_empty(lifecycle):
    res = regress(lifecycle, "lcs.sr", LCS_PREDICTORS, standardize=False)
    assert res.table["beta"].isna().all() and res.std_fit is None


def test_country_column_is_kept(lifecycle):
    d = lifecycle.copy()
    d["country"] = [f"Name of {i}" for i in d.index]
    res = regress(d, "lcs.sr", LCS_PREDICTORS)
    assert "country" in res.data_used.columns
    assert res.diagnostics["influential"].startswith("Libya Name of Libya (")
    assert influence(res)["country"].iloc[0] == "Name of Libya"


def test_no_warning_with_enough_countries(lifecycle):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        regress(lifecycle, "lcs.sr", LCS_PREDICTORS)


# --------------------------------------------------------------------------- fractional logit
FL_PREDICTORS = ["sw.agriculture", "sw.education", "sw.infant_mortality"]


@pytest.fixture(scope="module")
def swiss(ref) -> pd.DataFrame:
    return ref("data_swiss.csv").set_index("iso3")


@pytest.mark.parametrize("cov_type", ["HC0", "HC1"])
def test_fractional_logit_against_r(swiss, cov_type, ref):
    expected = ref("ref_fractional_logit.csv").query("cov_type == @cov_type").set_index("term")
    res = fractional_logit(swiss, "sw.catholic", FL_PREDICTORS, cov_type=cov_type)
    tab = res.table.set_index("term")
    assert list(tab.index) == list(expected.index)
    for col in ["estimate", "std_error", "statistic", "p_value", "ci_low", "ci_high", "beta", "beta_ci_low",
                "beta_ci_high"]:
        np.testing.assert_allclose(tab[col].to_numpy(float), expected[col].to_numpy(float), rtol=RTOL,
                                   equal_nan=True, err_msg=col)
    np.testing.assert_allclose(res.diagnostics["deviance"], expected["deviance"].iloc[0], rtol=RTOL)
    np.testing.assert_allclose(res.diagnostics["null_deviance"], expected["null_deviance"].iloc[0], rtol=RTOL)
    assert res.cov_type == cov_type and tab["df"].isna().all()
    at_bounds = ((swiss["sw.catholic"] == 100) | (swiss["sw.catholic"] == 0)).mean()
    assert at_bounds > 0 and res.diagnostics["share_at_bounds"] == pytest.approx(at_bounds)


def test_fractional_logit_scale_and_bounds(swiss):
    d = swiss.copy()
    d["share"] = d["sw.catholic"] / 100
    a = fractional_logit(swiss, "sw.catholic", FL_PREDICTORS)
    b = fractional_logit(d, "share", FL_PREDICTORS, scale=1)
    np.testing.assert_allclose(a.table["estimate"], b.table["estimate"], rtol=1e-10)
    with pytest.raises(ValueError, match=r"must lie in \[0, 50\].*outside"):
        fractional_logit(swiss, "sw.catholic", FL_PREDICTORS, scale=50)
    with pytest.raises(ValueError, match="cov_type must be one of"):
        fractional_logit(swiss, "sw.catholic", FL_PREDICTORS, cov_type="HC3")


# --------------------------------------------------------------------------- ordinal logit
def test_ordinal_logit_against_polr(swiss, ref):
    expected = ref("ref_ordinal_logit.csv")
    res = ordinal_logit(swiss, "sw.tier", ["sw.agriculture", "sw.education", "sw.catholic"])
    tab = res.table
    assert list(tab["term"]) == list(expected["term"])
    # two numerical optimisers (BFGS in both; statsmodels with numerical derivatives): agreement to about
    # 1e-6 relative, tested at 1e-5
    np.testing.assert_allclose(tab["estimate"], expected["estimate"], rtol=1e-5)
    np.testing.assert_allclose(tab["std_error"], expected["std_error"], rtol=1e-5)
    np.testing.assert_allclose(tab["beta"], expected["beta"], rtol=1e-5, equal_nan=True)
    z = 1.959963984540054
    np.testing.assert_allclose((tab["beta_ci_high"] - tab["beta"]) / z, expected["beta_se"], rtol=1e-5,
                               equal_nan=True)
    np.testing.assert_allclose(res.diagnostics["loglik"], expected["loglik"][0], rtol=1e-9)
    assert res.diagnostics["n_categories"] == 4 and res.diagnostics["converged"]
    assert tab.loc[tab["term"].str.startswith("cut"), "p_value"].isna().all()
    assert (tab.loc[tab["term"].str.startswith("cut"), "block"] == "").all()
    assert (tab.loc[tab["term"].str.startswith("cut"), "kind"] == "cut point").all()


def test_ordinal_logit_converges_where_bfgs_stops_short():
    """GCI 2024 tiers on individualism (0-100) and log GDP: statsmodels' BFGS stops with 'precision
    loss' at a gradient of ~1e-7 and calls the fit unconverged; the Newton polish reaches the optimum."""
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    data = cc.build_panel(sample="study81").data
    x = ["hofstede_insights.idv", "wdi.log_gdppc_ppp"]
    d = data.dropna(subset=[*x, "gci2024.tier"])
    model = OrderedModel(d["gci2024.tier"].astype(int).rank(method="dense").astype(int) - 1, d[x], distr="logit")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bfgs = model.fit(method="bfgs", maxiter=5000, gtol=1e-8, disp=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning that the estimates may be unreliable
        res = ordinal_logit(data, "gci2024.tier", x)
    assert res.diagnostics["converged"]
    assert np.abs(res.fit.model.score(np.asarray(res.fit.params))).max() < 1e-6
    np.testing.assert_allclose(res.table["estimate"].iloc[:2], bfgs.params.iloc[:2], rtol=1e-5)
    assert res.diagnostics["loglik"] >= bfgs.llf - 1e-9


def test_ordinal_logit_accepts_ordered_categorical(swiss):
    d = swiss.copy()
    names = {1: "low", 2: "mid", 3: "high", 4: "top"}
    d["tier_cat"] = pd.Categorical(d["sw.tier"].map(names), categories=list(names.values()), ordered=True)
    a = ordinal_logit(swiss, "sw.tier", ["sw.education"])
    b = ordinal_logit(d, "tier_cat", ["sw.education"])
    np.testing.assert_allclose(a.table["estimate"], b.table["estimate"], rtol=1e-8)
    assert list(b.table["term"])[1:] == ["cut low|mid", "cut mid|high", "cut high|top"]
    d["unordered"] = pd.Categorical(d["sw.tier"].map(names))
    with pytest.raises(TypeError, match="unordered"):
        ordinal_logit(d, "unordered", ["sw.education"])


# --------------------------------------------------------------------------- multiple imputation
def test_rubin_pool_against_mice(ref):
    imputed = ref("data_airquality_imputed.csv")
    expected = ref("ref_mice_pool.csv")
    import statsmodels.api as sm

    est, var, r2 = [], [], []
    for _, g in imputed.groupby("imp"):
        fit = sm.OLS(g["aq.ozone"], sm.add_constant(g[["aq.solar_r", "aq.wind", "aq.temp"]])).fit()
        est.append(fit.params.to_numpy())
        var.append(fit.bse.to_numpy() ** 2)
        r2.append(fit.rsquared)
    pooled = rubin_pool(est, var, expected["dfcom"][0])
    for col in ["estimate", "std_error", "statistic", "df", "p_value", "ubar", "b", "riv", "lambda", "fmi"]:
        np.testing.assert_allclose(pooled[col], expected[col], rtol=RTOL, err_msg=col)
    np.testing.assert_allclose(_pool_r2(r2, 153), expected["r2"][0], rtol=RTOL)


def test_rubin_pool_bad_input():
    with pytest.raises(ValueError, match="at least 2 imputations"):
        rubin_pool([[1.0]], [[0.1]], 10)
    with pytest.raises(ValueError, match="same shape"):
        rubin_pool([[1.0, 2.0]], [[0.1]], 10)


@pytest.fixture(scope="module")
def airquality(ref) -> pd.DataFrame:
    return ref("data_airquality.csv").set_index("iso3")


def test_regress_mice(airquality, ref):
    preds = ["aq.solar_r", "aq.wind", "aq.temp"]
    res = regress(airquality, "aq.ozone", preds, missing="mice", n_imputations=3, rng=7, cov_type="nonrobust")
    assert res.method == "OLS (MICE, m=3, Rubin's rules)"
    assert (res.table["method"] == res.method).all() and "fmi" in res.table.columns
    assert res.missing.startswith("multiple imputation by chained equations")
    assert "153 of 153 countries used, 111 complete" in res.missing
    assert "aq.ozone (37)" in res.missing and "aq.solar_r (7)" in res.missing
    assert res.diagnostics["n_imputations"] == 3 and res.diagnostics["n"] == 153
    np.testing.assert_allclose(res.fit.params, res.table["estimate"], rtol=1e-10)  # statsmodels' MICE pooling
    np.testing.assert_allclose(res.fit.bse, res.table["std_error"], rtol=1e-10)
    # a different imputation engine than R's mice: only agreement within sampling error can be asked
    r = ref("ref_mice_pool.csv")
    assert (np.abs(res.table["estimate"] - r["estimate"]) < 1.0 * r["std_error"]).all()
    assert res.table["beta"].iloc[1:].notna().all()


def test_mice_is_reproducible_with_a_seed(airquality):
    small = airquality.iloc[:60]
    runs = [regress(small, "aq.ozone", ["aq.temp"], missing="mice", n_imputations=2, rng=s) for s in (3, 3, 4)]
    pd.testing.assert_frame_equal(runs[0].table, runs[1].table)
    assert not np.allclose(runs[0].table["estimate"], runs[2].table["estimate"])
    rng_run = regress(small, "aq.ozone", ["aq.temp"], missing="mice", n_imputations=2,
                      rng=np.random.default_rng(3))
    pd.testing.assert_frame_equal(runs[0].table, rng_run.table)
    # the old name seed= still works for one release, with a DeprecationWarning
    with pytest.warns(DeprecationWarning, match="seed= is deprecated"):
        old = regress(small, "aq.ozone", ["aq.temp"], missing="mice", n_imputations=2, seed=3)
    pd.testing.assert_frame_equal(runs[0].table, old.table)
    with pytest.raises(TypeError, match="both seed= and rng="):
        regress(small, "aq.ozone", ["aq.temp"], missing="mice", n_imputations=2, seed=3, rng=3)


def test_mice_bad_input(airquality):
    with pytest.raises(ValueError, match="n_imputations"):
        regress(airquality, "aq.ozone", ["aq.wind"], missing="mice", n_imputations=1)
    with pytest.raises(ValueError, match="not supported with missing='mice'"):
        regress(airquality, "aq.ozone", ["aq.wind"], missing="mice", categorical=["aq.wind"])
    with pytest.raises(ValueError, match="missing must be one of"):
        regress(airquality, "aq.ozone", ["aq.wind"], missing="drop")


# --------------------------------------------------------------------------- bad input, every model
MODELS = [
    ("regress", regress, {}),
    ("fractional_logit", fractional_logit, {"scale": 100}),
    ("ordinal_logit", ordinal_logit, {}),
]


@pytest.mark.parametrize("name,fn,kw", MODELS, ids=[m[0] for m in MODELS])
def test_bad_input(swiss, name, fn, kw):
    outcome = "sw.tier" if name == "ordinal_logit" else "sw.catholic"
    ok = ["sw.agriculture", "sw.education"]
    with pytest.raises(UnknownVariableError, match="'sw.educaton'; did you mean 'sw.education'.*valid: "):
        fn(swiss, outcome, ["sw.educaton"], **kw)
    with pytest.raises(UnknownVariableError, match="outcome"):
        fn(swiss, "sw.nothing", ok, **kw)
    d = swiss.copy()
    d["flat"] = 2.0
    with pytest.raises(ValueError, match="'flat' is constant"):
        fn(d, outcome, ok + ["flat"], **kw)
    d["text"] = "x"
    with pytest.raises(TypeError, match="'text' is not numeric"):
        fn(d, outcome, ok + ["text"], **kw)
    with pytest.raises(ValueError, match="predictors is empty"):
        fn(swiss, outcome, [], **kw)
    with pytest.raises(ValueError, match="also among the predictors"):
        fn(swiss, outcome, [outcome], **kw)
    with pytest.raises(ValueError, match="more than once"):
        fn(swiss, outcome, ["sw.education", "sw.education"], **kw)
    few = swiss.sort_values("sw.tier").iloc[[0, 23, 46]]  # three countries, three different tiers
    with pytest.raises(ValueError, match=r"n = 3 complete cases but \d+ parameters"), \
            warnings.catch_warnings():
        warnings.simplefilter("ignore", FewObservationsWarning)
        fn(few, outcome, ok + ["sw.infant_mortality"], **kw)
    holes = swiss.copy()
    holes.loc[holes.index[:20], "sw.education"] = np.nan
    holes.loc[holes.index[20:], "sw.agriculture"] = np.nan
    with pytest.raises(ValueError, match="no country has complete data"):
        fn(holes, outcome, ok, **kw)
    # constant only after listwise deletion
    d = swiss.copy()
    d["mostly"] = np.where(np.arange(len(d)) < 5, np.nan, 1.0)
    d.loc[d.index[0], "mostly"] = 2.0
    d.loc[d.index[0], "sw.education"] = np.nan
    with pytest.raises(ValueError, match="'mostly' is constant over the"):
        fn(d, outcome, ok + ["mostly"], **kw)
    with pytest.raises(TypeError, match="outcome must be one column name"):
        fn(swiss, [outcome], ok, **kw)
    with pytest.raises(ValueError, match="categorical names columns that are not predictors"):
        fn(swiss, outcome, ok, categorical=["sw.examination"], **kw)
    with pytest.raises(ValueError, match="alpha"):
        fn(swiss, outcome, ok, alpha=0, **kw)
