"""How often the verdict rule names a null factor a driver or blocker, and how often it finds a true one.

Synthetic panels shaped like the real one: n countries, predictors correlated as in the
data, and a bounded outcome with a ceiling (most countries near the top of a 0-100
score, a long tail below), with known drivers, blockers and null factors. The rule is
applied exactly as the study applies it (:func:`~cybercult.stats.regress` with HC3,
then :func:`~cybercult.stats.classify_factors`).
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy.special import expit

from .._docstrings import fill_doc

__all__ = ["simulate_panel", "calibrate_verdict", "CALIBRATION_COLUMNS"]

CALIBRATION_COLUMNS = ["n", "padjust", "n_sims", "true_beta", "n_factors", "called_right_sign", "called_wrong_sign",
                       "negligible", "inconclusive", "familywise_false_positive"]


def _as_corr(corr) -> pd.DataFrame:
    if not isinstance(corr, pd.DataFrame) or corr.shape[0] != corr.shape[1] or list(corr.index) != list(corr.columns):
        raise TypeError("corr must be a square DataFrame with the same labels on rows and columns")
    c = corr.to_numpy(float)
    if not np.allclose(c, c.T) or not np.allclose(np.diag(c), 1):
        raise ValueError("corr must be a symmetric correlation matrix with 1 on the diagonal")
    if np.linalg.eigvalsh(c).min() <= 0:
        raise ValueError("corr must be positive definite")
    return corr


def simulate_panel(n: int, corr: pd.DataFrame, betas, *, rng, ceiling_median: float = 90.0,
                   spread: float = 1.3, outcome: str = "sim.score") -> pd.DataFrame:
    """One synthetic panel: correlated predictors and a ceiling-bounded 0-100 outcome.

    Parameters
    ----------
    n : int
        Countries.
    corr : DataFrame
        Correlation matrix of the predictors (e.g. of the default predictors on the panel).
    betas : dict or Series
        True standardized effect of each predictor on the latent commitment (0 = null factor).
    rng : numpy.random.Generator
        The generator the panel is drawn from (not a seed: successive panels
        continue its stream).
    ceiling_median : float, default 90
        Median of the 0-100 outcome (on GCI 2020, 55 % of the default sample score 90 or more).
    spread : float, default 1.3
        Slope of the logistic link: larger values push more countries against the ceiling
        and stretch the tail below.
    outcome : str
        Name of the outcome column.

    Returns
    -------
    DataFrame
        Index ``S000``..., the predictors (standard normal, correlated as ``corr``) and
        ``outcome = 100 * logistic(logit(ceiling_median / 100) + spread * latent)``, where
        ``latent = X beta + e`` has unit variance, so ``beta`` are the standardized effects on
        the latent commitment and the predictors explain ``beta' R beta`` of it.

    Notes
    -----
    Because the link is not linear, OLS on the bounded score estimates the best linear
    approximation, not ``beta`` itself: a null factor correlated with a true one can get a
    small non-zero coefficient. That is the situation of the real data, which is why the
    calibration uses it rather than a linear outcome.
    """
    corr = _as_corr(corr)
    names = list(corr.columns)
    b = pd.Series(betas, dtype=float).reindex(names).fillna(0.0).to_numpy()
    L = np.linalg.cholesky(corr.to_numpy(float))
    X = rng.standard_normal((n, len(names))) @ L.T
    signal_var = float(b @ corr.to_numpy(float) @ b)
    if signal_var >= 1:
        raise ValueError(f"the true effects explain {signal_var:.2f} of a unit variance; make them smaller")
    noise_sd = np.sqrt(1.0 - signal_var)
    latent = X @ b + noise_sd * rng.standard_normal(n)
    y = 100 * expit(np.log(ceiling_median / (100 - ceiling_median)) + spread * latent)
    out = pd.DataFrame(X, columns=names, index=pd.Index([f"S{i:03d}" for i in range(n)], name="iso3"))
    out[outcome] = y
    return out


def _fast_model(d: pd.DataFrame, outcome: str, names: list[str], alpha: float):
    """The ModelResult :func:`~cybercult.stats.regress` gives (HC3, t on n - k - 1 df), without its diagnostics.

    ``regress`` spends most of its time on diagnostics the verdict does not read (VIF,
    Breusch-Pagan, RESET, Cook's distance); thousands of simulated panels need only the
    coefficient table. The test suite checks that this table equals ``regress``'s.
    """
    from scipy import stats as st

    from .coeftable import coef_table
    from .results import ModelResult

    y = d[outcome].to_numpy(float)
    X = d[names].to_numpy(float)
    n, k = X.shape
    tabs = []
    for Z, w in ((X, y), ((X - X.mean(0)) / X.std(0, ddof=1), (y - y.mean()) / y.std(ddof=1))):
        A = np.column_stack([np.ones(n), Z])
        Q, R = np.linalg.qr(A)
        coef = np.linalg.solve(R, Q.T @ w)
        e = w - A @ coef
        Rinv = np.linalg.inv(R)
        h = ((Q * Q).sum(axis=1))
        XA = A @ Rinv @ Rinv.T  # rows of A (A'A)^-1
        cov = (XA * (e ** 2 / (1 - h) ** 2)[:, None]).T @ XA
        tabs.append((coef, np.sqrt(np.diag(cov))))
    df = n - k - 1
    q = st.t.ppf(1 - alpha / 2, df)
    (b, se), (bz, sez) = tabs
    t = b / se
    rows = []
    for i, term in enumerate(["const", *names]):
        is_term = i > 0
        rows.append({"term": term, "label": term, "block": "user" if is_term else "",
                     "kind": "predictor" if is_term else "intercept", "estimate": b[i],
                     "std_error": se[i], "statistic": t[i], "df": float(df), "p_value": 2 * st.t.sf(abs(t[i]), df),
                     "ci_low": b[i] - q * se[i], "ci_high": b[i] + q * se[i],
                     "beta": bz[i] if is_term else np.nan,
                     "beta_ci_low": bz[i] - q * sez[i] if is_term else np.nan,
                     "beta_ci_high": bz[i] + q * sez[i] if is_term else np.nan,
                     "vif": np.nan})
    tab = coef_table(rows, padjust=None, n=n, method="OLS, HC3 (t)")
    return ModelResult(outcome=outcome, predictors=tuple(names), method="OLS", table=tab, diagnostics={},
                       fit=None, data_used=d[[outcome, *names]], missing="", cov_type="HC3", notes=(),
                       std_fit=None, estimator="ols")


@fill_doc
def calibrate_verdict(corr: pd.DataFrame, betas, *, n: int = 63, n_sims: int = 500, rng=None,
                      alpha: float = 0.05, padjusts=("fdr_bh",), sesoi: float = 0.1, **panel_kw) -> pd.DataFrame:
    """Apply the verdict rule to simulated panels and count its calls.

    Parameters
    ----------
    corr : DataFrame
        Correlation matrix of the predictors.
    betas : dict
        True standardized effects; 0 marks a null factor.
    n : int, default 63
        Countries per panel.
    n_sims : int, default 500
        Panels.
    {params.rng}
    {params.alpha}
    padjusts : sequence of {"fdr_bh", "holm", "bonferroni", "none"}
        Corrections to apply to the same fitted models.
    {params.sesoi}
    **panel_kw
        Passed to :func:`simulate_panel` (``ceiling_median``, ``spread``).

    Returns
    -------
    DataFrame
        One row per correction and distinct |true beta| (0 for the nulls), columns
        :data:`CALIBRATION_COLUMNS`: ``called_right_sign`` (share of factor-panels named
        driver/blocker with the true sign: the power; for nulls, any call is false, so it is
        NaN and ``called_wrong_sign`` holds the false-positive rate), ``negligible``,
        ``inconclusive``, and for the nulls ``familywise_false_positive`` (share of panels
        with at least one null factor called driver or blocker).

    See Also
    --------
    classify_factors : the rule whose calls are counted.
    simulate_panel : one simulated panel.

    Examples
    --------
    >>> import pandas as pd
    >>> from cybercult.stats.calibration import calibrate_verdict
    >>> corr = pd.DataFrame([[1.0, 0.5], [0.5, 1.0]], index=["a", "b"], columns=["a", "b"])
    >>> cal = calibrate_verdict(corr, {"a": 0.4, "b": 0.0}, n=60, n_sims=20, rng=1)
    >>> cal[["true_beta", "called_right_sign", "called_wrong_sign"]]
       true_beta  called_right_sign  called_wrong_sign
    0        0.0                NaN                0.1
    1        0.4               0.65                0.0
    """
    from ._batched_ols import _as_generator
    from .verdict import classify_factors

    gen = _as_generator(rng)
    corr = _as_corr(corr)
    names = list(corr.columns)
    b = pd.Series(betas, dtype=float).reindex(names).fillna(0.0)
    calls = {p: [] for p in padjusts}
    for _ in range(n_sims):
        d = simulate_panel(n, corr, b, rng=gen, **panel_kw)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = _fast_model(d, "sim.score", names, alpha)
        for p in padjusts:
            v = classify_factors(res, alpha=alpha, padjust=p, sesoi=sesoi, higher_is_better=True)
            calls[p].append(v.set_index("term").loc[names, ["role", "estimate"]])
    rows = []
    for p in padjusts:
        roles = np.array([c["role"].to_numpy() for c in calls[p]])  # (n_sims, k)
        for mag in sorted(set(np.abs(b.to_numpy()))):
            cols = np.flatnonzero(np.isclose(np.abs(b.to_numpy()), mag))
            r = roles[:, cols]
            truth = np.sign(b.to_numpy()[cols])
            called = np.isin(r, ["driver", "blocker"])
            sign = np.where(r == "driver", 1, np.where(r == "blocker", -1, 0))
            null = mag == 0
            rows.append({
                "n": n, "padjust": p, "n_sims": n_sims, "true_beta": float(mag), "n_factors": len(cols),
                "called_right_sign": np.nan if null else float((called & (sign == truth)).mean()),
                "called_wrong_sign": float(called.mean()) if null else float((called & (sign != truth)).mean()),
                "negligible": float((r == "negligible").mean()), "inconclusive": float((r == "inconclusive").mean()),
                "familywise_false_positive": float(called.any(axis=1).mean()) if null else np.nan,
            })
    return pd.DataFrame(rows, columns=CALIBRATION_COLUMNS)
