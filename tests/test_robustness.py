"""Tests of cybercult.stats.robustness against independent references.

The batched bootstrap, Freedman-Lane permutation test, leave-one-out and
specification curve must equal a plain loop of statsmodels fits on the very same
resamples, permutations and samples (to 1e-8 relative). The resamples are
reproduced with the documented helpers ``bootstrap_indices`` and
``permutation_indices``. BCa intervals are checked against
``scipy.stats.bootstrap(method="BCa")`` on the same resamples and against R's
``boot::boot.ci`` (when Rscript and the boot package are installed; the R script
is below, in ``R_BCA_SCRIPT``). OLS accuracy is checked against NIST's certified
Longley values.

Data: datasets bundled with statsmodels (no network): stackloss (21 plants),
ccard (72 card holders) and statecrime (51 US states, a country-sized panel).
"""
from __future__ import annotations

import shutil
import subprocess
import tracemalloc
import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from cybercult.errors import UnknownVariableError
from cybercult.stats import robustness as rb

RTOL = 1e-8


@pytest.fixture(scope="module")
def stackloss():
    return sm.datasets.stackloss.load_pandas().data


@pytest.fixture(scope="module")
def ccard():
    d = sm.datasets.ccard.load_pandas().data.copy()
    d.index = [f"C{i:02d}" for i in range(len(d))]
    return d


@pytest.fixture(scope="module")
def statecrime():
    """51 US states with some holes, so that specifications have different listwise samples."""
    d = sm.datasets.statecrime.load_pandas().data.copy()
    d.loc[d.index[[3, 17]], "single"] = np.nan
    d.loc[d.index[[5, 17, 30]], "urban"] = np.nan
    d.loc[d.index[[8]], "murder"] = np.nan
    return d


CCARD_X = ["AGE", "INCOME", "INCOMESQ", "OWNRENT"]
STACK_X = ["AIRFLOW", "WATERTEMP", "ACIDCONC"]


def _xy(data, outcome, predictors):
    d = data[[outcome, *predictors]].dropna()
    return d, d[outcome].to_numpy(), sm.add_constant(d[predictors].to_numpy(), has_constant="add")


def _z(a):
    return (a - a.mean(axis=0)) / a.std(axis=0, ddof=1)


# --------------------------------------------------------------------------------------------
# random streams
# --------------------------------------------------------------------------------------------

def test_index_helpers_match_plain_numpy_loops():
    rng = np.random.default_rng(11)
    loop = np.vstack([rng.integers(0, 13, size=13) for _ in range(9)])
    assert np.array_equal(rb.bootstrap_indices(13, 9, 11), loop)
    rng = np.random.default_rng(11)
    loop = np.vstack([rng.permutation(13) for _ in range(9)])
    assert np.array_equal(rb.permutation_indices(13, 9, np.random.default_rng(11)), loop)
    # drawing in chunks gives the same stream (odd sizes on purpose)
    g = np.random.default_rng(5)
    chunks = np.vstack(list(rb._iter_bootstrap_indices(13, 10, g, 3)))
    assert np.array_equal(chunks, rb.bootstrap_indices(13, 10, 5))
    g = np.random.default_rng(5)
    chunks = np.vstack(list(rb._iter_permutation_indices(13, 10, g, 3)))
    assert np.array_equal(chunks, rb.permutation_indices(13, 10, 5))


# --------------------------------------------------------------------------------------------
# bootstrap
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("dataset,outcome,predictors", [("stackloss", "STACKLOSS", STACK_X),
                                                        ("ccard", "AVGEXP", CCARD_X)])
def test_bootstrap_equals_statsmodels_loop(request, dataset, outcome, predictors):
    data = request.getfixturevalue(dataset)
    res = rb.bootstrap(data, outcome, predictors, n_boot=400, rng=20210629)
    d, y, X = _xy(data, outcome, predictors)
    idx = rb.bootstrap_indices(len(d), 400, 20210629)
    loop = np.array([sm.OLS(y[i], X[i]).fit().params for i in idx])
    assert res.n_singular == 0
    np.testing.assert_allclose(res.draws, loop, rtol=RTOL)
    full = sm.OLS(y, X).fit().params
    np.testing.assert_allclose(res.table["estimate"], full, rtol=RTOL)
    np.testing.assert_allclose(res.table["boot_mean"], loop.mean(axis=0), rtol=RTOL)
    np.testing.assert_allclose(res.table["std_error"], loop.std(axis=0, ddof=1), rtol=RTOL)
    lo, hi = np.quantile(loop, [0.025, 0.975], axis=0)
    np.testing.assert_allclose(res.table["ci_low_percentile"], lo, rtol=RTOL)
    np.testing.assert_allclose(res.table["ci_high_percentile"], hi, rtol=RTOL)
    assert res.table.columns.tolist() == rb.BOOT_COLUMNS
    assert res.table["term"].tolist() == ["const", *predictors]
    assert (res.table["n"] == len(d)).all() and (res.table["n_boot"] == 400).all()


def test_bootstrap_standardized_equals_loop_on_zscores(ccard):
    res = rb.bootstrap(ccard, "AVGEXP", CCARD_X, n_boot=300, rng=3, standardize=True)
    d, y, X = _xy(ccard, "AVGEXP", CCARD_X)
    idx = rb.bootstrap_indices(len(d), 300, 3)
    loop = np.array([sm.OLS(_z(y[i]), sm.add_constant(_z(X[i][:, 1:]))).fit().params[1:] for i in idx])
    np.testing.assert_allclose(res.draws, loop, rtol=RTOL)
    assert res.table["term"].tolist() == CCARD_X  # no intercept on z-scores


def test_bootstrap_bca_equals_scipy_on_same_resamples(stackloss):
    """scipy.stats.bootstrap draws rng.integers(0, n, (B, n)) too: same seed, same resamples."""
    d, y, X = _xy(stackloss, "STACKLOSS", STACK_X)
    res = rb.bootstrap(stackloss, "STACKLOSS", STACK_X, n_boot=999, rng=7)
    for j, term in enumerate(["const", *STACK_X]):
        def coef(i, j=j):
            i = np.asarray(i, dtype=int)
            return np.linalg.lstsq(X[i], y[i], rcond=None)[0][j]

        row = res.table.iloc[j]
        for method, cols in (("BCa", ("ci_low_bca", "ci_high_bca")),
                             ("percentile", ("ci_low_percentile", "ci_high_percentile"))):
            ref = stats.bootstrap((np.arange(len(y)),), coef, vectorized=False, n_resamples=999,
                                  method=method, confidence_level=0.95, rng=np.random.default_rng(7))
            np.testing.assert_allclose(ref.bootstrap_distribution, res.draws[:, j], rtol=RTOL)
            np.testing.assert_allclose([row[cols[0]], row[cols[1]]],
                                       [ref.confidence_interval.low, ref.confidence_interval.high], rtol=RTOL)
        np.testing.assert_allclose(row["std_error"], ref.standard_error, rtol=RTOL)


R_BCA_SCRIPT = r"""
suppressMessages(library(boot))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
idx <- as.matrix(read.csv(args[2], header = FALSE)) + 1
y <- d[[1]]; X <- cbind(1, as.matrix(d[, -1]))
out <- NULL
for (j in seq_len(ncol(X))) {
  stat <- function(data, i) lm.fit(X[i, , drop = FALSE], y[i])$coefficients[j]
  b <- boot(d, stat, R = 2)                        # a boot object ...
  b$t <- matrix(apply(idx, 1, function(i) stat(d, i)), ncol = 1)   # ... holding our resamples
  b$R <- nrow(idx)
  L <- empinf(b, type = "jack")   # (n - 1) (t0 - t_(i)), centred on the full-sample estimate t0
  L <- L - mean(L)                  # centred on the jackknife mean, as Efron & Tibshirani (14.15) and scipy
  ci <- boot.ci(b, conf = 0.95, type = c("perc", "bca"), L = L)
  z0 <- qnorm(sum(b$t < b$t0) / length(b$t))
  a <- sum(L^3) / (6 * sum(L^2)^1.5)
  out <- rbind(out, c(z0, a, ci$percent[4:5], ci$bca[4:5]))
}
write.table(format(out, digits = 17), sep = ",", row.names = FALSE, col.names = FALSE, quote = FALSE)
"""


def _have_r_boot() -> bool:
    if shutil.which("Rscript") is None:
        return False
    r = subprocess.run(["Rscript", "-e", "library(boot)"], capture_output=True)
    return r.returncode == 0


@pytest.mark.skipif(not _have_r_boot(), reason="Rscript with the boot package is not installed")
def test_bootstrap_bca_against_r_boot(stackloss, tmp_path):
    """Same resamples in R: z0 and the jackknife acceleration agree exactly (R's empinf
    centres the jackknife values on t0 rather than on their mean; the script recentres
    them, the convention of Efron & Tibshirani 1993, eq. 14.15, and scipy); the endpoints
    differ only by R's interpolation between order statistics (norm.inter) versus the
    linear interpolation used here and by scipy."""
    d, y, X = _xy(stackloss, "STACKLOSS", STACK_X)
    B = 1999
    res = rb.bootstrap(stackloss, "STACKLOSS", STACK_X, n_boot=B, rng=99)
    idx = rb.bootstrap_indices(len(d), B, 99)
    d.to_csv(tmp_path / "d.csv", index=False)
    np.savetxt(tmp_path / "idx.csv", idx, fmt="%d", delimiter=",")
    (tmp_path / "bca.R").write_text(R_BCA_SCRIPT)
    out = subprocess.run(["Rscript", str(tmp_path / "bca.R"), str(tmp_path / "d.csv"), str(tmp_path / "idx.csv")],
                         capture_output=True, text=True, check=True).stdout
    r = np.array([[float(v) for v in line.split(",")] for line in out.strip().splitlines()])
    np.testing.assert_allclose(res.diagnostics["bias_correction"], r[:, 0], rtol=RTOL, atol=1e-12)
    np.testing.assert_allclose(res.diagnostics["acceleration"], r[:, 1], rtol=RTOL, atol=1e-14)
    # endpoints: both pick the quantile from the same few order statistics of the same draws
    z0, acc = r[:, 0], r[:, 1]
    za = stats.norm.ppf(0.025)
    q_bca = [stats.norm.cdf(z0 + (z0 + z) / (1 - acc * (z0 + z))) for z in (za, -za)]
    for j in range(r.shape[0]):
        s = np.sort(res.draws[:, j])
        for q, col, theirs in ((0.025, "ci_low_percentile", r[j, 2]), (0.975, "ci_high_percentile", r[j, 3]),
                               (q_bca[0][j], "ci_low_bca", r[j, 4]), (q_bca[1][j], "ci_high_bca", r[j, 5])):
            pos = int(q * (B - 1))
            window = s[max(pos - 2, 0):pos + 4]
            ours = res.table[col].iloc[j]
            assert window[0] <= ours <= window[-1] and window[0] <= theirs <= window[-1], (col, j)


def test_bootstrap_alpha_and_the_deprecated_ci(stackloss):
    """alpha=0.1 gives the 5% and 95% quantiles of the draws; ci=0.9 (old name) gives the same with a warning."""
    res = rb.bootstrap(stackloss, "STACKLOSS", STACK_X, n_boot=499, rng=3, alpha=0.1)
    np.testing.assert_allclose(res.table["ci_low_percentile"], np.quantile(res.draws, 0.05, axis=0), rtol=RTOL)
    np.testing.assert_allclose(res.table["ci_high_percentile"], np.quantile(res.draws, 0.95, axis=0), rtol=RTOL)
    with pytest.warns(DeprecationWarning, match="ci= is deprecated"):
        old = rb.bootstrap(stackloss, "STACKLOSS", STACK_X, n_boot=499, rng=3, ci=0.9)
    np.testing.assert_allclose(old.table["ci_low_bca"], res.table["ci_low_bca"], rtol=1e-12)
    with pytest.raises(TypeError, match="both ci= and alpha="):
        rb.bootstrap(stackloss, "STACKLOSS", STACK_X, n_boot=9, rng=3, ci=0.9, alpha=0.1)


def test_longley_matches_nist_certified_values():
    """NIST StRD Longley (an ill-conditioned design): our full-sample OLS to 1e-10 relative."""
    d = sm.datasets.longley.load_pandas().data
    certified = [-3482258.63459582, 15.0618722713733, -0.358191792925910e-01, -2.02022980381683,
                 -1.03322686717359, -0.511041056535807e-01, 1829.15146461355]
    xs = ["GNPDEFL", "GNP", "UNEMP", "ARMED", "POP", "YEAR"]
    res = rb.bootstrap(d, "TOTEMP", xs, n_boot=20, rng=1)
    np.testing.assert_allclose(res.table["estimate"], certified, rtol=1e-10)


def test_bootstrap_seeding_and_chunking(ccard):
    a = rb.bootstrap(ccard, "AVGEXP", CCARD_X, n_boot=250, rng=42)
    b = rb.bootstrap(ccard, "AVGEXP", CCARD_X, n_boot=250, rng=np.random.default_rng(42))
    c = rb.bootstrap(ccard, "AVGEXP", CCARD_X, n_boot=250, rng=43)
    assert np.array_equal(a.draws, b.draws)
    pd.testing.assert_frame_equal(a.table, b.table)
    assert not np.allclose(a.draws, c.draws)
    small = rb.bootstrap(ccard, "AVGEXP", CCARD_X, n_boot=250, rng=42, chunk_size=7)
    big = rb.bootstrap(ccard, "AVGEXP", CCARD_X, n_boot=250, rng=42, chunk_size=10000)
    # chunks change the BLAS blocking of the batched solves: equal to floating-point noise, not bit for bit
    np.testing.assert_allclose(small.draws, big.draws, rtol=1e-9)
    pd.testing.assert_frame_equal(small.table, big.table, rtol=1e-12)
    # a Generator is advanced, so two calls with the same object differ; no global state is touched
    state = np.random.get_state()[1].copy()
    g = np.random.default_rng(1)
    first = rb.bootstrap(ccard, "AVGEXP", CCARD_X, n_boot=20, rng=g).draws
    second = rb.bootstrap(ccard, "AVGEXP", CCARD_X, n_boot=20, rng=g).draws
    assert not np.allclose(first, second)
    assert np.array_equal(np.random.get_state()[1], state)


def test_bootstrap_singular_resamples_are_counted_and_left_out(ccard):
    """A dummy held by one card holder: every resample without that row is singular."""
    d = ccard.copy()
    d["RARE"] = 0.0
    d.loc[d.index[10], "RARE"] = 1.0
    idx = rb.bootstrap_indices(len(d), 200, 8)
    expected = ~(idx == 10).any(axis=1)
    with pytest.warns(rb.SingularResampleWarning):
        res = rb.bootstrap(d, "AVGEXP", ["INCOME", "RARE"], n_boot=200, rng=8)
    assert res.n_singular == int(expected.sum()) > 0
    assert np.isnan(res.draws[expected]).all() and np.isfinite(res.draws[~expected]).all()
    assert (res.table["n_boot"] == 200 - res.n_singular).all()
    _, y, X = _xy(d, "AVGEXP", ["INCOME", "RARE"])
    loop = np.array([sm.OLS(y[i], X[i]).fit().params for i in idx[~expected]])
    np.testing.assert_allclose(res.draws[~expected], loop, rtol=RTOL)
    # dropping country 10 is singular too, so there is no jackknife acceleration and no BCa
    assert res.table["ci_low_bca"].isna().all()
    assert res.table["ci_low_percentile"].notna().all()


def test_bootstrap_memory_is_bounded_by_chunks(stackloss):
    """100,000 resamples: peak memory is the draws plus a chunk, not n_boot copies of anything n-sized."""
    n_boot = 100_000
    n = len(stackloss)
    tracemalloc.start()
    res = rb.bootstrap(stackloss, "STACKLOSS", STACK_X, n_boot=n_boot, rng=1, chunk_size=1000)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    draws = res.draws.nbytes  # 100,000 x 4 x 8 = 3.2 MB
    one_index_matrix = n_boot * n * 8  # 16.8 MB: what drawing all resamples at once would take
    assert peak < 3 * draws + 4e6
    assert peak < one_index_matrix


# --------------------------------------------------------------------------------------------
# Freedman-Lane permutation test
# --------------------------------------------------------------------------------------------

def _freedman_lane_loop(y, X, cols, perms):
    """What a researcher would write: statsmodels fits, one per term and permutation."""
    full = sm.OLS(y, X).fit()
    t_obs = full.tvalues[cols]
    null = np.empty((len(perms), len(cols)))
    for m, j in enumerate(cols):
        reduced = sm.OLS(y, np.delete(X, j, axis=1)).fit()
        for b, p in enumerate(perms):
            null[b, m] = sm.OLS(reduced.fittedvalues + reduced.resid[p], X).fit().tvalues[j]
    return t_obs, null


@pytest.mark.parametrize("dataset,outcome,predictors", [("stackloss", "STACKLOSS", STACK_X),
                                                        ("ccard", "AVGEXP", CCARD_X)])
def test_permutation_equals_statsmodels_loop(request, dataset, outcome, predictors):
    data = request.getfixturevalue(dataset)
    d, y, X = _xy(data, outcome, predictors)
    n_perm = 300
    perms = rb.permutation_indices(len(d), n_perm, 123)
    cols = list(range(1, X.shape[1]))
    t_loop, null_loop = _freedman_lane_loop(y, X, cols, perms)

    des = rb._design(data, outcome, predictors)
    t_obs, counts, null = rb._freedman_lane(des, cols, n_perm, np.random.default_rng(123), 64, keep_null=True)
    np.testing.assert_allclose(t_obs, t_loop, rtol=RTOL)
    np.testing.assert_allclose(null, null_loop, rtol=RTOL)

    table = rb.permutation_test(data, outcome, predictors, n_perm=n_perm, rng=123)
    count_loop = (np.abs(null_loop) >= np.abs(t_loop) * (1 - 100 * np.finfo(float).eps)).sum(axis=0)
    np.testing.assert_array_equal(table["p_value"], (count_loop + 1) / (n_perm + 1))
    np.testing.assert_allclose(table["statistic"], t_loop, rtol=RTOL)
    np.testing.assert_allclose(table["estimate"], sm.OLS(y, X).fit().params[1:], rtol=RTOL)
    assert table.columns.tolist() == rb.PERM_COLUMNS
    assert (table["method"] == "Freedman-Lane").all() and (table["n"] == len(d)).all()


def test_permutation_seeding_chunking_and_terms(ccard):
    a = rb.permutation_test(ccard, "AVGEXP", CCARD_X, n_perm=500, rng=4)
    b = rb.permutation_test(ccard, "AVGEXP", CCARD_X, n_perm=500, rng=np.random.default_rng(4), chunk_size=7)
    c = rb.permutation_test(ccard, "AVGEXP", CCARD_X, n_perm=500, rng=5)
    pd.testing.assert_frame_equal(a, b)
    assert not np.array_equal(a["p_value"], c["p_value"])
    sub = rb.permutation_test(ccard, "AVGEXP", CCARD_X, terms=["INCOME"], n_perm=500, rng=4)
    assert sub["term"].tolist() == ["INCOME"]
    assert sub["p_value"].iloc[0] == a.loc[a["term"] == "INCOME", "p_value"].iloc[0]
    with pytest.raises(UnknownVariableError, match="INCOME"):
        rb.permutation_test(ccard, "AVGEXP", CCARD_X, terms=["INCOM"], n_perm=10, rng=1)


# --------------------------------------------------------------------------------------------
# leave one out
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("standardize", [False, True])
def test_leave_one_out_equals_statsmodels_loop(statecrime, standardize):
    xs = ["poverty", "single", "urban"]
    res = rb.leave_one_out(statecrime, "violent", xs, standardize=standardize, top=3)
    d, y, X = _xy(statecrime, "violent", xs)
    if standardize:
        fit = lambda yy, XX: sm.OLS(_z(yy), sm.add_constant(_z(XX[:, 1:]))).fit().params[1:]  # noqa: E731
    else:
        fit = lambda yy, XX: sm.OLS(yy, XX).fit().params  # noqa: E731
    full = fit(y, X)
    loo = np.array([fit(np.delete(y, i), np.delete(X, i, axis=0)) for i in range(len(y))])
    np.testing.assert_allclose(res["estimate"], full, rtol=RTOL)
    np.testing.assert_allclose(res["loo_min"], loo.min(axis=0), rtol=RTOL)
    np.testing.assert_allclose(res["loo_max"], loo.max(axis=0), rtol=RTOL)
    delta = loo - full
    for j in range(len(full)):
        order = np.argsort(-np.abs(delta[:, j]), kind="stable")[:3]
        expected = ", ".join(f"{d.index[i]} ({delta[i, j]:+.4g})" for i in order)
        assert res["most_influential"].iloc[j] == expected
    assert res.columns.tolist() == rb.LOO_COLUMNS
    assert (res["n"] == len(d)).all()
    assert res["term"].tolist() == (xs if standardize else ["const", *xs])


# --------------------------------------------------------------------------------------------
# specification curve
# --------------------------------------------------------------------------------------------

SPEC = dict(outcomes=["violent", "murder"], focal=["poverty"],
            controls={"education": ["hs_grad"], "demography": ["white", "urban"]},
            alternatives={"family": ["single", "urban_dummy"]})


def _spec_data(statecrime):
    d = statecrime.copy()
    d["urban_dummy"] = (d["urban"] > d["urban"].median()).astype(float).where(d["urban"].notna())
    return d


def _spec_loop(data, row_specs, cov_type, use_t):
    """One statsmodels fit per specification (and estimator), as a researcher would write it."""
    out = []
    for outcome, regressors, estimator, terms in row_specs:
        d = data[[outcome, *regressors]].dropna()
        y, X = d[outcome].to_numpy(), d[regressors].to_numpy()
        if estimator == "ols_std":
            y, X = _z(y), _z(X)
        fit = sm.OLS(y, sm.add_constant(X, has_constant="add")).fit(cov_type=cov_type, use_t=use_t)
        for t in terms:
            j = regressors.index(t) + 1
            out.append((fit.params[j], fit.bse[j], fit.pvalues[j], len(d)))
    return np.array(out)


@pytest.mark.parametrize("cov_type,use_t", [("HC3", True), ("HC3", False), ("nonrobust", True),
                                            ("HC0", True), ("HC1", False), ("HC2", True)])
def test_specification_curve_equals_statsmodels_loop(statecrime, cov_type, use_t):
    d = _spec_data(statecrime)
    res = rb.specification_curve(d, **SPEC, estimators=("ols", "ols_std"), cov_type=cov_type, use_t=use_t,
                                 chunk_size=3)
    tab = res.table
    assert tab.columns.tolist() == rb.SPEC_COLUMNS
    # 2 outcomes x 4 control sets x 2 measures x 2 estimators
    assert res.n_specs == 32 and tab["spec_id"].nunique() == 32 and len(tab) == 64
    assert (tab["note"] == "").all()
    ctrl = {"none": [], "education": ["hs_grad"], "demography": ["white", "urban"],
            "education+demography": ["hs_grad", "white", "urban"]}
    specs = []
    for _, g in tab.groupby("spec_id", sort=True):
        first = g.iloc[0]
        terms = g["term"].tolist()
        regressors = list(dict.fromkeys(terms + ctrl[first["controls"]]))
        assert first["measure"] == terms[-1]
        specs.append((first["outcome"], regressors, first["estimator"], terms))
    loop = _spec_loop(d, specs, cov_type, use_t)
    np.testing.assert_allclose(tab["estimate"], loop[:, 0], rtol=RTOL)
    np.testing.assert_allclose(tab["std_error"], loop[:, 1], rtol=RTOL)
    np.testing.assert_allclose(tab["p_value"], loop[:, 2], rtol=RTOL)
    np.testing.assert_array_equal(tab["n"], loop[:, 3])
    assert tab["n"].nunique() > 1  # the specifications really have their own samples
    # chunking does not matter
    other = rb.specification_curve(d, **SPEC, estimators=("ols", "ols_std"), cov_type=cov_type, use_t=use_t,
                                   chunk_size=1000)
    pd.testing.assert_frame_equal(tab, other.table, rtol=1e-12)


def test_specification_curve_summary_shares(statecrime):
    d = _spec_data(statecrime)
    res = rb.specification_curve(d, **SPEC, alpha=0.05)
    tab, summ = res.table, res.term_summary
    assert summ.columns.tolist() == rb.SPEC_SUMMARY_COLUMNS
    assert summ["term"].tolist() == ["poverty", "single", "urban_dummy"]
    for _, row in summ.iterrows():
        t = tab[tab["term"] == row["term"]]
        med = np.sign(t["estimate"].median())
        assert row["n_specs"] == len(t)
        assert row["share_positive"] == pytest.approx((t["estimate"] > 0).mean())
        assert row["share_negative"] == pytest.approx((t["estimate"] < 0).mean())
        assert row["share_significant"] == pytest.approx((t["p_value"] < 0.05).mean())
        same = ((t["p_value"] < 0.05) & (np.sign(t["estimate"]) == med)).mean()
        assert row["share_same_sign_significant"] == pytest.approx(same)
    assert (tab["significant"] == (tab["p_value"] < 0.05)).all()
    assert (tab["sign"] == np.sign(tab["estimate"]).astype(int)).all()
    assert set(tab["controls"]) == {"none", "education", "demography", "education+demography"}
    assert "Specification curve" in repr(res) and "\n| term |" in res.to_markdown()


def test_specification_curve_failed_specs_give_nan_rows_with_reason(statecrime):
    d = statecrime.copy()
    d["poverty2"] = 2.0 * d["poverty"]  # collinear with the focal factor
    d["sparse"] = np.nan
    d.loc[d.index[:3], "sparse"] = [1.0, 2.0, 5.0]  # 3 countries for 3 coefficients
    res = rb.specification_curve(d, outcomes=["violent"], focal=["poverty"],
                                 controls={"twin": ["poverty2"], "sparse": ["sparse"]}, cov_type="HC3")
    tab = res.table.set_index("controls")
    assert tab.loc["none", "note"] == "" and np.isfinite(tab.loc["none", "estimate"])
    assert tab.loc["twin", "note"].startswith("singular")
    assert tab.loc["sparse", "note"].startswith("too few countries")
    assert np.isnan(tab.loc["twin", "estimate"]) and not tab.loc["twin", "significant"]
    assert res.n_specs == 4 and res.term_summary.loc[0, "n_specs"] == 1  # only fitted specifications count


# --------------------------------------------------------------------------------------------
# input errors name the argument and the valid choices
# --------------------------------------------------------------------------------------------

def test_input_errors(ccard, statecrime):
    with pytest.raises(UnknownVariableError, match="did you mean 'INCOME'"):
        rb.bootstrap(ccard, "AVGEXP", ["INCOM"], n_boot=10, rng=1)
    text = ccard.assign(NAME="x")
    with pytest.raises(TypeError, match="'NAME' is not numeric"):
        rb.leave_one_out(text, "AVGEXP", ["NAME"])
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator"):
        rb.bootstrap(ccard, "AVGEXP", ["INCOME"], n_boot=10, rng=np.random.RandomState(1))
    with pytest.raises(ValueError, match="n_boot must be a positive integer"):
        rb.bootstrap(ccard, "AVGEXP", ["INCOME"], n_boot=0)
    with pytest.raises(ValueError, match="also among the predictors"):
        rb.permutation_test(ccard, "AVGEXP", ["AVGEXP", "INCOME"], n_perm=10, rng=1)
    with pytest.raises(ValueError, match="too few observations"):
        rb.leave_one_out(ccard.iloc[:4], "AVGEXP", CCARD_X)
    with pytest.raises(ValueError, match="do not vary"):
        rb.leave_one_out(ccard.assign(ONE=1.0), "AVGEXP", ["INCOME", "ONE"])
    with pytest.raises(ValueError, match="ols_std"):
        rb.specification_curve(statecrime, outcomes=["violent"], focal=["poverty"], estimators=("wls",))
    with pytest.raises(ValueError, match="HC3"):
        rb.specification_curve(statecrime, outcomes=["violent"], focal=["poverty"], cov_type="HC4")
    with pytest.raises(ValueError, match="both focal factors and controls"):
        rb.specification_curve(statecrime, outcomes=["violent"], focal=["poverty"], controls=["poverty"])
    with pytest.raises(UnknownVariableError, match="did you mean 'murder'"):
        rb.specification_curve(statecrime, outcomes=["murdr"], focal=["poverty"])


def test_result_objects_display(ccard):
    res = rb.bootstrap(ccard, "AVGEXP", CCARD_X, n_boot=50, rng=1)
    text = res.summary()
    assert text.startswith("Pairs bootstrap of OLS coefficients for AVGEXP: n = 72, 50 resamples")
    assert [ln for ln in res.to_markdown().splitlines() if ln.startswith("| ")][0].startswith("| term | estimate |")
    assert "<table" in res._repr_html_()


def test_specification_curve_focal_factor_in_a_group_is_replaced_in_place(statecrime):
    """As in the default study: culture block as focal, one of its measures interchangeable."""
    d = _spec_data(statecrime)
    res = rb.specification_curve(d, outcomes=["violent"], focal=["single", "poverty"],
                                 alternatives={"family": ["single", "urban_dummy"]})
    tab = res.table
    assert res.n_specs == 2
    assert tab["term"].tolist() == ["single", "poverty", "urban_dummy", "poverty"]
    assert tab["measure"].tolist() == ["single", "single", "urban_dummy", "urban_dummy"]
    assert res.term_summary["term"].tolist() == ["single", "poverty", "urban_dummy"]


def test_result_exports_render_every_term(ccard):
    """Markdown, LaTeX and HTML exports work (LaTeX needs no jinja2) and show each term's estimate."""
    res = rb.bootstrap(ccard, "AVGEXP", CCARD_X, n_boot=50, rng=3)
    latex, md, html_ = res.to_latex(digits=4), res.to_markdown(digits=4), res._repr_html_()
    assert latex.startswith("\\begin{table}") and latex.rstrip().endswith("\\end{table}")
    for term, est in zip(res.table["term"], res.table["estimate"]):
        shown = f"{est:.4f}"
        assert term.replace("_", "\\_") in latex and shown in latex
        assert term in md and shown in md and term in html_ and f"{est:.3f}" in html_


# --------------------------------------------------------------------------------------------
# fractional logit, region fixed effects, clustered errors, every factor focal
# --------------------------------------------------------------------------------------------

def _galton_data(statecrime):
    d = _spec_data(statecrime)
    d["share"] = d["hs_grad"] / 100.0  # a bounded outcome on [0, 1]
    reg = pd.Series(np.array(["north", "south", "east", "west"])[np.arange(len(d)) % 4], index=d.index)
    clu = pd.Series([f"c{i % 9}" for i in range(len(d))], index=d.index)
    return d, reg, clu


def test_specification_curve_fractional_logit_regions_clusters_equal_statsmodels(statecrime):
    d, reg, clu = _galton_data(statecrime)
    res = rb.specification_curve(d, outcomes=["share"], focal=["poverty"], controls={"demo": ["white", "urban"]},
                                 estimators=("ols", "fractional_logit"), regions=reg, clusters=clu,
                                 scales={"share": 1.0}, chunk_size=2)
    tab = res.table
    assert tab.columns.tolist() == rb.SPEC_COLUMNS
    # 2 control sets x 2 region options x 2 estimators x 2 kinds of standard errors
    assert res.n_specs == 16 and len(tab) == 16 and (tab["note"] == "").all()
    dummies = pd.get_dummies(reg, dtype=float).iloc[:, 1:]
    for r in tab.itertuples():
        regs = ["poverty"] + (["white", "urban"] if r.controls == "demo" else [])
        X = d[regs].join(dummies) if r.region == "fixed effects" else d[regs]
        sub = pd.concat([d["share"], X], axis=1).dropna()
        exog = sm.add_constant(sub.drop(columns="share"), has_constant="add")
        groups = pd.factorize(clu.loc[sub.index])[0]
        if r.estimator == "ols":
            model = sm.OLS(sub["share"], exog)
            fit = (model.fit(cov_type="cluster", cov_kwds={"groups": groups}, use_t=True) if r.se == "cluster"
                   else model.fit(cov_type="HC3", use_t=True))
            std = sm.OLS((sub["share"] - sub["share"].mean()) / sub["share"].std(),
                         exog.assign(poverty=(sub["poverty"] - sub["poverty"].mean()) / sub["poverty"].std())).fit()
            np.testing.assert_allclose(r.effect, std.params["poverty"], rtol=RTOL)
        else:
            model = sm.GLM(sub["share"], exog, family=sm.families.Binomial())
            if r.se == "cluster":
                fit = model.fit(cov_type="cluster", cov_kwds={"groups": groups}, tol=1e-12)
                bse = fit.bse["poverty"]
            else:
                fit = model.fit(cov_type="HC0", tol=1e-12)
                bse = fit.bse["poverty"] * np.sqrt(len(sub) / (len(sub) - exog.shape[1]))  # HC1
            # the average marginal effect in SD units, as statsmodels' get_margeff computes it
            ame = fit.get_margeff(at="overall").margeff[0]
            np.testing.assert_allclose(r.effect, ame * sub["poverty"].std() / sub["share"].std(), rtol=1e-7)
            p = 2 * stats.norm.sf(abs(fit.params["poverty"] / bse))
            np.testing.assert_allclose([r.std_error, r.p_value], [bse, p], rtol=RTOL)
        if r.estimator == "ols":
            np.testing.assert_allclose([r.std_error, r.p_value], [fit.bse["poverty"], fit.pvalues["poverty"]],
                                       rtol=RTOL)
        np.testing.assert_allclose(r.estimate, fit.params["poverty"], rtol=RTOL)
        assert r.n == len(sub)
        assert (r.effect_ci_low > 0 or r.effect_ci_high < 0) == (r.p_value < 0.05)


def test_specification_curve_summary_region_check(statecrime):
    d, reg, clu = _galton_data(statecrime)
    res = rb.specification_curve(d, outcomes=["violent", "murder"], focal=["poverty", "white"],
                                 controls={"demo": ["urban"]}, regions=reg, clusters=clu)
    tab, summ = res.table, res.term_summary
    assert summ.columns.tolist() == rb.SPEC_SUMMARY_COLUMNS
    for row in summ.itertuples():
        t = tab[tab["term"] == row.term]
        base = t[(t["region"] == "none") & (t["se"] != "cluster")]
        gal = t[(t["region"] != "none") | (t["se"] == "cluster")]
        pos = (base["significant"] & (base["estimate"] > 0)).mean()
        neg = (base["significant"] & (base["estimate"] < 0)).mean()
        assert row.call == ("positive" if pos >= 0.5 else "negative" if neg >= 0.5 else "none")
        assert row.n_specs_region == len(gal) == 3 * len(base)
        gpos = (gal["significant"] & (gal["estimate"] > 0)).mean()
        assert row.share_positive_significant_region == pytest.approx(gpos)
        if row.call == "positive":
            assert row.survives_region == (gpos >= 0.5)


def test_regions_from_country_converter():
    r = rb.regions(["DEU", "FRA", "ITA", "JPN", "CHN", "KOR", "IND", "BRA", "ARG", "CHL", "USA", "MEX", "NZL"])
    assert r["DEU"] == "Europe" and r["JPN"] == "Asia" and r["BRA"] == "America"
    assert r["NZL"] == "Europe"  # Oceania has one country (< 3): pooled, then joined to the smallest region
    assert r.value_counts().to_dict() == {"America": 5, "Europe": 4, "Asia": 4}
    r7 = rb.regions(["USA", "CAN", "MEX", "BRA", "ARG", "CHL"], classification="Continent_7")
    assert set(r7) == {"North America", "South America"}
    with pytest.raises(ValueError, match="classification"):
        rb.regions(["DEU"], classification="planet")


def test_specification_curves_make_every_predictor_focal(statecrime):
    d, reg, clu = _galton_data(statecrime)
    blocks = {"a": ["poverty"], "b": ["white", "urban"], "c": ["hs_grad"]}
    res = rb.specification_curves(d, outcomes=["violent"], blocks=blocks, estimators=("ols",),
                                  alternatives={"fam": ["single", "poverty"]})
    assert set(res.term_summary["term"]) == {"poverty", "single", "white", "urban", "hs_grad"}
    assert res.table["spec_id"].is_monotonic_increasing and res.table["spec_id"].nunique() == res.n_specs
    one = res.table[res.table["focal_block"] == "c"]
    assert set(one["controls"]) == {"none", "a", "b", "a+b"} and (one["term"] == "hs_grad").all()
    # the summary of one outcome is the summary of its rows
    two = rb.specification_curves(d, outcomes=["violent", "murder"], blocks=blocks, estimators=("ols",))
    one = two.summary_for("murder").set_index("term")
    t = two.table[two.table["outcome"] == "murder"]
    for term, g in t.groupby("term"):
        assert one.loc[term, "n_specs"] == len(g)
        assert one.loc[term, "share_positive_significant"] == pytest.approx((g["significant"] & (g["estimate"] > 0)).mean())
    with pytest.raises(ValueError, match="valid: \\['murder', 'violent'\\]"):
        two.summary_for("robbery")
    # the curve of block "b" equals specification_curve called directly
    direct = rb.specification_curve(d, outcomes=["violent"], focal=["white", "urban"],
                                    controls={"a": ["poverty"], "c": ["hs_grad"]})
    got = res.table[res.table["focal_block"] == "b"]
    np.testing.assert_allclose(got["estimate"], direct.table["estimate"], rtol=1e-12)


def test_block_permutation_equals_single_term_test_and_a_loop(ccard):
    # one term: F = t^2, so the p-value equals permutation_test's with the same generator state
    one = rb._block_permutation_p(ccard, "AVGEXP", ["AGE", "INCOME", "OWNRENT"], ["INCOMESQ"], 199,
                                  np.random.default_rng(5))
    ref = rb.permutation_test(ccard, "AVGEXP", ["AGE", "INCOME", "OWNRENT", "INCOMESQ"], terms=["INCOMESQ"],
                              n_perm=199, rng=5)["p_value"].item()
    assert one == ref
    # two terms: a plain loop of statsmodels fits on the same permutations
    got = rb._block_permutation_p(ccard, "AVGEXP", ["AGE", "OWNRENT"], ["INCOME", "INCOMESQ"], 99,
                                  np.random.default_rng(8))
    d = ccard[["AVGEXP", "AGE", "OWNRENT", "INCOME", "INCOMESQ"]].dropna()
    red = sm.OLS(d["AVGEXP"], sm.add_constant(d[["AGE", "OWNRENT"]])).fit()
    Xf = sm.add_constant(d[["AGE", "OWNRENT", "INCOME", "INCOMESQ"]])
    f_obs = sm.OLS(d["AVGEXP"], Xf).fit().compare_f_test(red)[0]
    count = 0
    for perm in rb.permutation_indices(len(d), 99, np.random.default_rng(8)):
        ystar = red.fittedvalues.to_numpy() + red.resid.to_numpy()[perm]
        rr = sm.OLS(ystar, sm.add_constant(d[["AGE", "OWNRENT"]]).to_numpy()).fit()
        ff = sm.OLS(ystar, Xf.to_numpy()).fit()
        count += ff.compare_f_test(rr)[0] >= f_obs * (1 - 1e-12)
    assert got == pytest.approx((count + 1) / 100)
