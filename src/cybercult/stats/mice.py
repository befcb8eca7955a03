"""OLS with multiple imputation by chained equations, pooled with Rubin's rules.

``statsmodels.imputation.mice.MICEData`` (predictive mean matching; every
variable of the model imputes the others), OLS per completed data set, Rubin's
rules with Barnard-Rubin df (:func:`rubin_pool`, as ``mice::pool``).
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from .._docstrings import fill_doc
from ._references import REFS
from ._validate import PADJUST_NAMES, catalogue_block, catalogue_label, check_enough
from .coeftable import coef_table
from .design import fit_ols, vif as _vif, warn_few, zscore
from .results import ModelResult

__all__ = ["rubin_pool", "regress_mice", "MICE_BURNIN", "MICE_SKIP"]

MICE_BURNIN = 10
MICE_SKIP = 3


@fill_doc(refs=REFS)
def rubin_pool(estimates, variances, df_complete: float) -> pd.DataFrame:
    """Pool estimates from m imputed data sets with Rubin's rules.

    Parameters
    ----------
    estimates : array-like, shape (m, p)
        Estimates of p parameters in each of m completed data sets.
    variances : array-like, shape (m, p)
        Their squared standard errors.
    df_complete : float
        Residual degrees of freedom of the complete-data analysis (``n - p``
        for OLS; ``np.inf`` for large-sample models).

    Returns
    -------
    DataFrame
        One row per parameter: ``estimate`` (mean), ``ubar`` (within
        variance), ``b`` (between variance), ``t`` (total variance
        ``ubar + (1 + 1/m) b``), ``std_error`` (``sqrt(t)``), ``riv``
        (relative increase in variance), ``lambda`` (proportion of variance due
        to missingness), ``df`` (Barnard-Rubin), ``fmi`` (fraction of missing
        information), ``statistic`` (estimate / std_error), ``p_value``
        (two-sided, t on ``df``).

    See Also
    --------
    regress : ``missing="mice"`` fits OLS on each imputed data set and pools it here.

    Notes
    -----
    Rubin (1987); degrees of freedom by Barnard & Rubin (1999) with
    ``lambda`` floored at 1e-4, as R's ``mice::pool`` (van Buuren &
    Groothuis-Oudshoorn 2011; van Buuren 2018, section 2.3).

    References
    ----------
    {refs.barnard_rubin_1999}

    {refs.rubin_1987}

    {refs.van_buuren_2018}

    {refs.van_buuren_2011}

    Examples
    --------
    >>> from cybercult.stats import rubin_pool
    >>> pooled = rubin_pool([[1.0, 2.0], [1.2, 2.1]], [[0.04, 0.09], [0.05, 0.08]], 50)
    >>> pooled[["estimate", "t", "df", "fmi"]].round(3)
       estimate      t      df    fmi
    0      1.10  0.075   5.138  0.547
    1      2.05  0.092  34.256  0.130
    """
    q = np.asarray(estimates, dtype=float)
    u = np.asarray(variances, dtype=float)
    if q.ndim != 2 or q.shape != u.shape:
        raise ValueError("estimates and variances must be arrays of the same shape (m, p)")
    m = q.shape[0]
    if m < 2:
        raise ValueError(f"Rubin's rules need at least 2 imputations, got {m}")
    qbar = q.mean(axis=0)
    ubar = u.mean(axis=0)
    b = q.var(axis=0, ddof=1)
    t = ubar + (1 + 1 / m) * b
    with np.errstate(divide="ignore", invalid="ignore"):
        riv = (1 + 1 / m) * b / ubar
        lam = (1 + 1 / m) * b / t
    lam_f = np.maximum(lam, 1e-4)
    dfold = (m - 1) / lam_f ** 2
    if math.isinf(df_complete):
        df = dfold
    else:
        dfobs = (df_complete + 1) / (df_complete + 3) * df_complete * (1 - lam_f)
        df = dfold * dfobs / (dfold + dfobs)
    fmi = (riv + 2 / (df + 3)) / (1 + riv)
    se = np.sqrt(t)
    stat = qbar / se
    p = 2 * stats.t.sf(np.abs(stat), df)
    return pd.DataFrame({"estimate": qbar, "ubar": ubar, "b": b, "t": t, "std_error": se, "riv": riv,
                         "lambda": lam, "df": df, "fmi": fmi, "statistic": stat, "p_value": p})


def _pool_r2(r2s, n: int) -> float:
    """Pooled R-squared: Fisher z of sqrt(R2) averaged and back-transformed (Harel 2009; mice::pool.r.squared)."""
    z = np.arctanh(np.sqrt(np.clip(np.asarray(r2s, dtype=float), 0, 1)))
    return float(np.tanh(z.mean()) ** 2)


@fill_doc
def regress_mice(data, outcome, preds, *, cov_type, standardize, n_imputations, rng, alpha, padjust):
    """OLS pooled over ``n_imputations`` MICE data sets: the ``missing="mice"`` path of :func:`.regress`.

    Call :func:`.regress` with ``missing="mice"``, which checks the arguments
    first; its docstring describes the method and the result.

    Parameters
    ----------
    {params.data}
    {params.outcome_id}
    preds : list of str
        Predictor variable ids, numeric (checked by :func:`.regress`).
    {params.cov_type}
    {params.standardize}
    n_imputations : int
        Number of imputed data sets, at least 2.
    {params.rng}
    {params.alpha}
    {params.padjust}

    Returns
    -------
    ModelResult
        As :func:`.regress`, with ``df`` by Barnard-Rubin and the column
        ``fmi``; ``.fit`` is statsmodels' ``MICEResults``.
    """
    from statsmodels.imputation.mice import MICE, MICEData

    cols = [outcome, *preds]
    frame = data[cols].astype(float)
    all_missing = frame.isna().all(axis=1)
    frame = frame.loc[~all_missing]
    n = len(frame)
    k = len(preds)
    check_enough(n, k + 1, " for multiple imputation")
    warn_few(n, k, "regress (MICE)", outcome)
    complete = int(frame.notna().all(axis=1).sum())
    nmiss = frame.isna().sum()
    safe = {c: f"v{i}" for i, c in enumerate(cols)}
    imp = MICEData(frame.rename(columns=safe).reset_index(drop=True), rng=np.random.default_rng(rng))
    imp.update_all(MICE_BURNIN)
    fits, std_fits, vifs = [], [], []
    for _ in range(n_imputations):
        imp.update_all(MICE_SKIP + 1)
        done = imp.data.copy()
        done.columns = cols
        done.index = frame.index
        y, X = done[outcome], done[preds]
        fits.append(fit_ols(y, X, cov_type))
        if standardize:
            std_fits.append(fit_ols(zscore(done[[outcome]])[outcome], zscore(X), cov_type))
        vifs.append(_vif(X))
    p = k + 1
    dfcom = n - p
    names = list(fits[0].params.index)
    pooled = rubin_pool([f.params.to_numpy() for f in fits], [f.bse.to_numpy() ** 2 for f in fits], dfcom)
    pooled.index = names
    if standardize:
        pooled_std = rubin_pool([f.params.to_numpy() for f in std_fits],
                                [f.bse.to_numpy() ** 2 for f in std_fits], dfcom)
        pooled_std.index = names
    mobj = MICE(" + ".join(cols), sm.OLS, imp)  # for its Rubin pooling into a statsmodels results object
    mobj.results_list = fits
    mobj.exog_names = names
    mobj.endog_names = outcome
    mice_fit = mobj.combine()

    method = f"OLS (MICE, m={n_imputations}, Rubin's rules)"
    rows = []
    for t in names:
        is_term = t != "const"
        r = pooled.loc[t]
        tq = stats.t.ppf(1 - alpha / 2, r["df"])
        row = {"term": t, "label": catalogue_label(t, data) if is_term else "Intercept",
               "block": catalogue_block(t) if is_term else "", "kind": "predictor" if is_term else "intercept",
               "estimate": r["estimate"],
               "std_error": r["std_error"], "statistic": r["statistic"], "df": r["df"], "p_value": r["p_value"],
               "ci_low": r["estimate"] - tq * r["std_error"], "ci_high": r["estimate"] + tq * r["std_error"],
               "beta": np.nan, "beta_ci_low": np.nan, "beta_ci_high": np.nan,
               "vif": float(np.mean([v[t] for v in vifs])) if is_term else np.nan, "fmi": r["fmi"]}
        if standardize and is_term:
            s = pooled_std.loc[t]
            ts = stats.t.ppf(1 - alpha / 2, s["df"])
            row.update(beta=s["estimate"], beta_ci_low=s["estimate"] - ts * s["std_error"],
                       beta_ci_high=s["estimate"] + ts * s["std_error"])
        rows.append(row)
    tab = coef_table(rows, padjust=padjust, n=n, method=method)
    imputed = ", ".join(f"{c} ({int(v)})" for c, v in nmiss.items() if v > 0) or "none"
    missing = (f"multiple imputation by chained equations (statsmodels MICEData, predictive mean matching; "
               f"m={n_imputations}, {MICE_BURNIN} burn-in cycles, {MICE_SKIP + 1} cycles between imputations): "
               f"{n} of {len(data)} countries used, {complete} complete; imputed values: {imputed}"
               + (f"; dropped (no value at all): {', '.join(map(str, data.index[all_missing.reindex(data.index, fill_value=False).to_numpy()]))}"  # noqa: E501
                  if all_missing.any() else ""))
    diagnostics = {
        "n": n, "k": k, "n_per_predictor": n / k, "n_imputations": n_imputations, "n_complete": complete,
        "r2": _pool_r2([f.rsquared for f in fits], n), "adj_r2": _pool_r2([max(f.rsquared_adj, 0) for f in fits], n),
        "max_vif": float(np.nanmax(tab["vif"])) if k else np.nan, "cov_type": cov_type,
    }
    used = frame.copy()
    if "country" in data.columns:
        used["country"] = data.loc[used.index, "country"]
    notes = (
        f"Each of the {n_imputations} completed data sets is fitted by OLS with {cov_type} standard errors; "
        "estimates are pooled with Rubin's rules, df by Barnard & Rubin (1999), as R's mice::pool.",
        "beta: pooled coefficients of the model on z-scored variables (z-scored within each imputation).",
        "R-squared: pooled on Fisher's z scale (Harel 2009).",
        f"p_adj: {PADJUST_NAMES[padjust]} over the predictor terms (not the intercept).",
    )
    return ModelResult(outcome=outcome, predictors=tuple(preds), method=method, table=tab,
                       diagnostics=diagnostics, fit=mice_fit, data_used=used, missing=missing,
                       cov_type=cov_type, notes=notes, std_fit=None, estimator="mice")
