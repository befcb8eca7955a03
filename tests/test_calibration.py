"""The verdict rule's false-positive rate on synthetic panels shaped like the real one (fixed seed)."""
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from cybercult.stats import regress
from cybercult.stats.calibration import _fast_model, calibrate_verdict, simulate_panel

TRUE = {"p.dev": 0.4, "p.af": -0.4, "p.idv": 0.2, "p.pdi": -0.2}


@pytest.fixture(scope="module")
def corr():
    """Correlations like the default panel's (log GDP, democracy, individualism and power distance
    strongly related); written out so the test does not depend on the data layer."""
    names = ["p.dev", "p.dem", "p.milex", "p.af", "p.pdi", "p.idv", "p.mas", "p.uai"]
    c = np.eye(8)
    pairs = {("p.dev", "p.dem"): 0.64, ("p.dev", "p.pdi"): -0.53, ("p.dev", "p.idv"): 0.65,
             ("p.dem", "p.pdi"): -0.55, ("p.dem", "p.idv"): 0.6, ("p.pdi", "p.idv"): -0.6,
             ("p.af", "p.uai"): 0.3, ("p.dev", "p.milex"): -0.16, ("p.pdi", "p.uai"): 0.23}
    for (a, b), v in pairs.items():
        i, j = names.index(a), names.index(b)
        c[i, j] = c[j, i] = v
    return pd.DataFrame(c, index=names, columns=names)


def test_simulated_outcome_is_ceiling_bounded_like_gci(corr):
    d = pd.concat([simulate_panel(63, corr, TRUE, rng=np.random.default_rng(i)) for i in range(30)])
    y = d["sim.score"]
    assert y.between(0, 100).all()
    assert 0.4 < (y >= 90).mean() < 0.6  # GCI 2020: 55 % of the default sample at 90 or more
    assert stats.skew(y) < -1.0  # GCI 2020: -1.6
    # the predictors keep the correlations they were given
    np.testing.assert_allclose(d[corr.columns].corr(), corr, atol=0.08)  # 1,890 rows: SE of r about 0.02


def test_fast_model_equals_regress(corr):
    d = simulate_panel(63, corr, TRUE, rng=np.random.default_rng(3))
    names = list(corr.columns)
    fast = _fast_model(d, "sim.score", names, 0.05).table
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = regress(d, "sim.score", names).table
    cols = ["estimate", "std_error", "statistic", "df", "p_value", "ci_low", "ci_high", "beta", "beta_ci_low",
            "beta_ci_high"]
    np.testing.assert_allclose(fast[cols].to_numpy(float), ref[cols].to_numpy(float), rtol=1e-9, atol=1e-12)


def test_false_positive_rate_is_at_most_twice_alpha(corr):
    alpha = 0.05
    out = calibrate_verdict(corr, TRUE, n=63, n_sims=300, rng=20240613, alpha=alpha, padjusts=("fdr_bh", "none"))
    null = out[out["true_beta"] == 0].set_index("padjust")
    assert (null["n_factors"] == 4).all()
    # per null factor: called driver or blocker at most 2 x alpha, with the correction and without it
    assert null.loc["fdr_bh", "called_wrong_sign"] <= 2 * alpha
    assert null.loc["none", "called_wrong_sign"] <= 2 * alpha
    # the correction can only make the rule stricter on the same fits
    assert null.loc["fdr_bh", "familywise_false_positive"] <= null.loc["none", "familywise_false_positive"]
    strong = out[(out["true_beta"] == 0.4)].set_index("padjust")
    weak = out[(out["true_beta"] == 0.2)].set_index("padjust")
    assert strong.loc["fdr_bh", "called_right_sign"] > weak.loc["fdr_bh", "called_right_sign"]
    assert strong.loc["fdr_bh", "called_wrong_sign"] <= 0.01  # a true effect is almost never called backwards
