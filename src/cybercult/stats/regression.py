"""Regression models of commitment: OLS (robust, standardized), fractional logit, ordinal logit, MICE.

Design matrices are built with pandas/numpy (``sm.OLS(y, sm.add_constant(X))``),
never with formula strings, so variable ids with dots (``gci2020.score``) work.
"""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.diagnostic import het_breuschpagan
from statsmodels.stats.outliers_influence import OLSInfluence, variance_inflation_factor
from statsmodels.stats.stattools import jarque_bera

from ..errors import FewObservationsWarning
from ._validate import (
    COV_TYPES,
    PADJUST_METHODS,
    PADJUST_NAMES,
    as_list,
    catalogue_block,
    catalogue_label,
    catalogue_variable,
    check_alpha,
    check_choice,
    check_columns,
    check_enough,
    check_frame,
    check_not_constant,
    check_numeric,
    listwise,
    padjust as _padjust,
)
from .results import TABLE_COLUMNS, ModelResult

MISSING = ("listwise", "mice")
N_TOP_INFLUENTIAL = 5
MICE_BURNIN = 10
MICE_SKIP = 3


# ------------------------------------------------------------------ preparation
@dataclass
class _Design:
    y: pd.Series
    X: pd.DataFrame  # one column per term, no constant
    base: dict  # term -> variable id
    labels: dict  # term -> label
    used: pd.DataFrame
    missing: str


def _check_inputs(data, outcome, predictors, categorical, *, outcome_numeric=True):
    check_frame(data)
    if not isinstance(outcome, str):
        raise TypeError(f"outcome must be one column name (str), got {type(outcome).__name__}")
    preds = as_list(predictors, "predictors")
    cats = as_list(categorical, "categorical", allow_none=True) or []
    check_columns(data, [outcome], "outcome")
    check_columns(data, preds, "predictors")
    not_pred = [c for c in cats if c not in preds]
    if not_pred:
        raise ValueError(f"categorical names columns that are not predictors: {not_pred}; "
                         f"predictors are {preds}")
    if outcome in preds:
        raise ValueError(f"outcome {outcome!r} is also among the predictors")
    if outcome_numeric:
        check_numeric(data, [outcome], "outcome")
    check_numeric(data, [p for p in preds if p not in cats], "predictors")
    check_not_constant(data, [outcome, *preds])
    return preds, cats


def _level_text(v) -> str:
    if isinstance(v, (float, np.floating)) and float(v).is_integer():
        return str(int(v))
    return str(v)


def _levels(series: pd.Series) -> list:
    if isinstance(series.dtype, pd.CategoricalDtype):
        present = set(series.dropna())
        return [c for c in series.cat.categories if c in present]
    return sorted(series.dropna().unique(), key=lambda v: (str(type(v)), v))


def _level_label(var: str, v) -> str:
    entry = catalogue_variable(var)
    if entry is not None and getattr(entry, "levels", None):
        lv = dict(entry.levels)
        try:
            fv = float(v)
            if fv.is_integer() and int(fv) in lv:
                return lv[int(fv)]
        except (TypeError, ValueError):
            pass
    return _level_text(v)


def _design(data, outcome, preds, cats, *, fn: str) -> _Design:
    cols = [outcome, *preds]
    used, _dropped, text = listwise(data, cols)
    n = len(used)
    if n == 0:
        raise ValueError(f"{fn}: no country has complete data on {cols}")
    check_not_constant(used, cols, where=f" over the {n} complete cases")
    X = pd.DataFrame(index=used.index)
    base, labels = {}, {}
    for p in preds:
        if p in cats:
            lev = _levels(used[p])
            for v in lev[1:]:
                term = f"{p}[{_level_text(v)}]"
                X[term] = (used[p] == v).astype(float)
                base[term] = p
                labels[term] = f"{catalogue_label(p)}: {_level_label(p, v)} (vs {_level_label(p, lev[0])})"
        else:
            X[p] = used[p].astype(float)
            base[p] = p
            labels[p] = catalogue_label(p)
    keep_cols = cols + (["country"] if "country" in data.columns and "country" not in cols else [])
    return _Design(y=used[outcome], X=X, base=base, labels=labels, used=used[keep_cols].copy(), missing=text)


def _zscore(df: pd.DataFrame) -> pd.DataFrame:
    return (df - df.mean()) / df.std(ddof=1)


def _warn_few(n: int, k: int, fn: str, outcome: str) -> None:
    if k > 0 and n / k < 10:
        warnings.warn(
            f"{fn} of {outcome}: {n} countries for {k} predictor terms ({n / k:.1f} per predictor; fewer than 10): "
            "estimates are unstable and tests have little power",
            FewObservationsWarning, stacklevel=3,
        )


def _vif(X: pd.DataFrame) -> dict:
    if X.shape[1] < 2:
        return {c: 1.0 for c in X.columns}
    Xc = sm.add_constant(X, has_constant="add").to_numpy()
    return {c: float(variance_inflation_factor(Xc, i + 1)) for i, c in enumerate(X.columns)}


def _fit_ols(y, X, cov_type):
    model = sm.OLS(y.astype(float), sm.add_constant(X, has_constant="add"))
    if cov_type == "nonrobust":
        return model.fit()
    return model.fit(cov_type=cov_type, use_t=True)


def _table(design: _Design, fit, std_fit, *, alpha, padjust, vif, method_text, df_value,
           extra: dict | None = None) -> pd.DataFrame:
    ci = fit.conf_int(alpha)
    names = list(fit.params.index)
    rows = []
    sci = std_fit.conf_int(alpha) if std_fit is not None else None
    for t in names:
        is_term = t in design.base
        rows.append({
            "term": t,
            "label": design.labels.get(t, "Intercept" if t == "const" else t),
            "block": catalogue_block(design.base[t]) if is_term else "",
            "estimate": float(fit.params[t]),
            "std_error": float(fit.bse[t]),
            "statistic": float(fit.tvalues[t]),
            "df": df_value,
            "p_value": float(fit.pvalues[t]),
            "ci_low": float(ci.loc[t, 0]),
            "ci_high": float(ci.loc[t, 1]),
            "beta": float(std_fit.params[t]) if (std_fit is not None and is_term) else np.nan,
            "beta_ci_low": float(sci.loc[t, 0]) if (sci is not None and is_term) else np.nan,
            "beta_ci_high": float(sci.loc[t, 1]) if (sci is not None and is_term) else np.nan,
            "vif": vif.get(t, np.nan),
        })
    tab = pd.DataFrame(rows)
    is_pred = tab["term"].isin(list(design.base)).to_numpy()
    p = np.where(is_pred, tab["p_value"].to_numpy(), np.nan)
    tab["p_adj"] = _padjust(p, padjust)
    tab["n"] = int(len(design.y))
    tab["method"] = method_text
    if extra:
        for k, v in extra.items():
            tab[k] = v
    return tab[TABLE_COLUMNS + [c for c in (extra or {}) if c not in TABLE_COLUMNS]]


def _influential(cooks: pd.Series, used: pd.DataFrame, top: int = N_TOP_INFLUENTIAL) -> str:
    s = cooks.sort_values(ascending=False).head(top)
    names = used["country"] if "country" in used.columns else None
    parts = []
    for iso, v in s.items():
        nm = f"{iso} {names[iso]}" if names is not None and pd.notna(names[iso]) else str(iso)
        parts.append(f"{nm} ({v:.3f})")
    return "; ".join(parts)


def _reset(classic) -> tuple:
    """Ramsey's RESET with fitted^2 and fitted^3: (F, df1, df2, p); NaN when not defined.

    Same test as ``statsmodels...linear_reset(test_type="fitted", power=3)`` and R's
    ``lmtest::resettest(power = 2:3)``, but with the fitted values standardized before taking
    powers (the same column space, so the same F) so that data on large scales (Longley)
    stay well conditioned. With only dummies the powers are collinear with the design and
    RESET is not defined.
    """
    exog = classic.model.exog
    f = classic.fittedvalues
    f = np.asarray(f, dtype=float)
    sd = f.std()
    if not sd > 0:
        return (np.nan,) * 4
    z = (f - f.mean()) / sd
    aug = np.column_stack([exog, z ** 2, z ** 3])
    if np.linalg.matrix_rank(aug) < exog.shape[1] + 2 or aug.shape[0] <= aug.shape[1]:
        return (np.nan,) * 4
    aug_fit = sm.OLS(classic.model.endog, aug).fit()
    fval, pval, ddf = aug_fit.compare_f_test(classic)
    return float(fval), float(ddf), float(aug_fit.df_resid), float(pval)


def _ols_diagnostics(fit, std_fit, classic, design: _Design, cov_type: str, vif: dict) -> dict:
    n = int(fit.nobs)
    k = int(fit.df_model)
    resid = classic.resid
    bp = het_breuschpagan(resid, classic.model.exog, robust=True)
    jb, jbp, skew, kurt = jarque_bera(resid)
    reset = _reset(classic) if k >= 1 else (np.nan,) * 4
    cooks = pd.Series(OLSInfluence(classic).cooks_distance[0], index=design.y.index)
    robust = cov_type != "nonrobust"
    return {
        "n": n,
        "k": k,
        "n_per_predictor": n / k if k else np.nan,
        "df_resid": float(fit.df_resid),
        "r2": float(fit.rsquared),
        "adj_r2": float(fit.rsquared_adj),
        "f_test": f"robust Wald F ({cov_type})" if robust else "classical F",
        "f_statistic": float(np.squeeze(fit.fvalue)),
        "f_df1": float(fit.df_model),
        "f_df2": float(fit.df_resid),
        "f_p_value": float(np.squeeze(fit.f_pvalue)),
        "f_statistic_classic": float(classic.fvalue),
        "f_p_value_classic": float(classic.f_pvalue),
        "loglik": float(fit.llf),
        "aic": float(fit.aic),
        "bic": float(fit.bic),
        "sigma": float(np.sqrt(fit.mse_resid)),
        "bp_statistic": float(bp[0]),
        "bp_df": float(classic.model.exog.shape[1] - 1),
        "bp_p_value": float(bp[1]),
        "jb_statistic": float(jb),
        "jb_p_value": float(jbp),
        "skew": float(skew),
        "kurtosis": float(kurt),
        "reset_statistic": reset[0],
        "reset_df1": reset[1],
        "reset_df2": reset[2],
        "reset_p_value": reset[3],
        "condition_number": float(std_fit.condition_number) if std_fit is not None else np.nan,
        "condition_number_raw": float(fit.condition_number),
        "max_vif": max(vif.values()) if vif else np.nan,
        "influential": _influential(cooks, design.used),
        "cov_type": cov_type,
    }


def _ols_notes(cov_type: str, padjust: str, alpha: float) -> tuple:
    inf = ("t-based inference on n - k - 1 df with " +
           (f"{cov_type} heteroskedasticity-robust standard errors" if cov_type != "nonrobust"
            else "classical standard errors"))
    return (
        inf + f"; {100 * (1 - alpha):g}% confidence intervals.",
        "beta: coefficients of the same model on z-scored outcome and predictors, with the same covariance "
        "type (so betas have their own robust CIs).",
        f"p_adj: {PADJUST_NAMES[padjust]} over the predictor terms (not the intercept).",
        "AIC/BIC follow statsmodels (the error variance is not counted as a parameter; R's AIC() is 2 larger, "
        "BIC log(n) larger).",
        "Breusch-Pagan is Koenker's studentized version; RESET adds fitted^2 and fitted^3; the condition "
        "number is that of the design with standardized predictors.",
    )


# ------------------------------------------------------------------ Rubin's rules
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

    Notes
    -----
    Rubin (1987); degrees of freedom by Barnard & Rubin (1999) with
    ``lambda`` floored at 1e-4, as R's ``mice::pool`` (van Buuren 2018,
    section 2.3).

    Examples
    --------
    >>> rubin_pool([[1.0, 2.0], [1.2, 2.1]], [[0.04, 0.09], [0.05, 0.08]], 50)["df"]  # doctest: +SKIP
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


def _regress_mice(data, outcome, preds, *, cov_type, standardize, n_imputations, seed, alpha, padjust):
    from statsmodels.imputation.mice import MICE, MICEData

    cols = [outcome, *preds]
    frame = data[cols].astype(float)
    all_missing = frame.isna().all(axis=1)
    frame = frame.loc[~all_missing]
    n = len(frame)
    k = len(preds)
    check_enough(n, k + 1, " for multiple imputation")
    _warn_few(n, k, "regress (MICE)", outcome)
    complete = int(frame.notna().all(axis=1).sum())
    nmiss = frame.isna().sum()
    safe = {c: f"v{i}" for i, c in enumerate(cols)}
    imp = MICEData(frame.rename(columns=safe).reset_index(drop=True), rng=np.random.default_rng(seed))
    imp.update_all(MICE_BURNIN)
    fits, std_fits, vifs = [], [], []
    for _ in range(n_imputations):
        imp.update_all(MICE_SKIP + 1)
        done = imp.data.copy()
        done.columns = cols
        done.index = frame.index
        y, X = done[outcome], done[preds]
        fits.append(_fit_ols(y, X, cov_type))
        if standardize:
            std_fits.append(_fit_ols(_zscore(done[[outcome]])[outcome], _zscore(X), cov_type))
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
        row = {"term": t, "label": catalogue_label(t) if is_term else "Intercept",
               "block": catalogue_block(t) if is_term else "", "estimate": r["estimate"],
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
    tab = pd.DataFrame(rows)
    tab["p_adj"] = _padjust(np.where(tab["term"] != "const", tab["p_value"], np.nan), padjust)
    tab["n"] = n
    tab["method"] = method
    tab = tab[TABLE_COLUMNS + ["fmi"]]
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
                       cov_type=cov_type, notes=notes, std_fit=None)


# ------------------------------------------------------------------ OLS
def regress(
    data: pd.DataFrame,
    outcome: str,
    predictors,
    *,
    cov_type: str = "HC3",
    standardize: bool = True,
    missing: str = "listwise",
    n_imputations: int = 20,
    seed=None,
    alpha: float = 0.05,
    padjust: str = "fdr_bh",
    categorical=None,
) -> ModelResult:
    """OLS regression of an outcome on predictors with robust inference and diagnostics.

    Parameters
    ----------
    data : DataFrame
        One row per country (index ISO3, optional ``country`` column).
    outcome : str
        Outcome variable id, e.g. ``"gci2020.score"``.
    predictors : str or list of str
        Predictor ids. Numeric; categorical codes are used as numeric scores
        unless listed in ``categorical``.
    cov_type : {"HC3", "HC2", "HC1", "HC0", "nonrobust"}
        Covariance of the coefficients; inference is t-based on n - k - 1 df.
    standardize : bool
        Also fit the model on z-scored outcome and predictors (``beta``).
    missing : {"listwise", "mice"}
        Listwise deletion, or multiple imputation by chained equations with
        ``n_imputations`` data sets pooled by Rubin's rules.
    n_imputations : int
        Number of imputed data sets (``missing="mice"``).
    seed : int or numpy.random.Generator, optional
        Randomness of the imputations.
    alpha : float
        Confidence intervals at ``1 - alpha``.
    padjust : {"fdr_bh", "holm", "bonferroni", "none"}
        Correction of the predictors' p-values (``p_adj``).
    categorical : list of str, optional
        Predictors to dummy-code (first level is the reference; listwise only).

    Returns
    -------
    ModelResult
        ``.table`` has one row per term (``const`` first), columns:

        - ``term``: ``const``, a variable id or ``id[level]`` for a dummy;
        - ``label``: human label from the catalogue (the id if unknown);
        - ``block``: the catalogue block (development, politics, military,
          culture, user);
        - ``estimate``, ``std_error``, ``statistic`` (t), ``df`` (residual df;
          Barnard-Rubin df with MICE), ``p_value``;
        - ``p_adj``: ``p_value`` adjusted over the predictors (NaN for const);
        - ``ci_low``, ``ci_high``: ``1 - alpha`` confidence interval;
        - ``beta``, ``beta_ci_low``, ``beta_ci_high``: standardized
          coefficient and its CI (same covariance type);
        - ``vif``: variance inflation factor (mean over imputations with MICE);
        - ``n``: countries used; ``method``: e.g. ``"OLS, HC3 (t)"``;
        - with MICE also ``fmi``, the fraction of missing information.

        ``.diagnostics``: n, k, n per predictor, R-squared, adjusted R-squared,
        F-test (robust Wald F when ``cov_type`` is robust, and the classical F),
        log-likelihood, AIC, BIC, residual SE, Breusch-Pagan, Jarque-Bera,
        RESET, condition numbers, largest VIF, the most influential countries
        by Cook's distance.

    Warns
    -----
    FewObservationsWarning
        When there are fewer than 10 countries per predictor term.

    Notes
    -----
    Fitted with ``statsmodels.OLS``; ``cov_type="HC3"`` is MacKinnon & White
    (1985)'s jackknife-like estimator, recommended for small samples (Long &
    Ervin 2000), with t-based tests as R's
    ``lmtest::coeftest(fit, vcov = sandwich::vcovHC(fit, "HC3"))``. VIF by
    ``variance_inflation_factor`` (as ``car::vif``). Breusch-Pagan: Koenker's
    studentized LM (``het_breuschpagan``, as ``lmtest::bptest``); RESET with
    fitted^2 and fitted^3 (the nested F-test of ``linear_reset``, on
    standardized fitted values for numerical stability; as
    ``lmtest::resettest``; NaN when only dummies make the fitted powers
    collinear); Jarque-Bera on residuals; Cook's distance from
    ``OLSInfluence``. AIC/BIC follow statsmodels (R's ``AIC()`` is larger by
    2 because it counts the error variance). Validated against the NIST StRD
    Longley certified values and R (``tests/reference/make_reference.R``).

    Multiple imputation: ``statsmodels.imputation.mice.MICEData``
    (predictive mean matching; every variable of the model imputes the
    others), 10 burn-in cycles, 4 cycles between imputations, OLS per
    completed data set, Rubin's rules with Barnard-Rubin df
    (:func:`rubin_pool`, as ``mice::pool``); ``.fit`` is the statsmodels
    ``MICEResults``. statsmodels rebuilds a formula for every update, about
    0.05 s per variable with missing values and cycle, so ``m = 20`` with
    five incomplete variables takes some 20 s.

    Examples
    --------
    >>> res = regress(panel, "gci2020.score", ["wdi.log_gdppc_ppp", "hofstede.pdi"])  # doctest: +SKIP
    >>> print(res.summary())  # doctest: +SKIP
    """
    cov_type = check_choice(cov_type, COV_TYPES, "cov_type")
    missing = check_choice(missing, MISSING, "missing")
    check_choice(padjust, PADJUST_METHODS, "padjust")
    alpha = check_alpha(alpha)
    preds, cats = _check_inputs(data, outcome, predictors, categorical)
    if missing == "mice":
        if cats:
            raise ValueError("categorical predictors are not supported with missing='mice'; use numeric codes")
        if not isinstance(n_imputations, (int, np.integer)) or n_imputations < 2:
            raise ValueError(f"n_imputations must be an integer >= 2, got {n_imputations!r}")
        return _regress_mice(data, outcome, preds, cov_type=cov_type, standardize=standardize,
                             n_imputations=int(n_imputations), seed=seed, alpha=alpha, padjust=padjust)
    design = _design(data, outcome, preds, cats, fn="regress")
    n, k = len(design.y), design.X.shape[1]
    check_enough(n, k + 1)
    _warn_few(n, k, "regress", outcome)
    fit = _fit_ols(design.y, design.X, cov_type)
    classic = fit if cov_type == "nonrobust" else _fit_ols(design.y, design.X, "nonrobust")
    yz = _zscore(design.y.to_frame())[design.y.name]
    Xz = _zscore(design.X)
    std_fit = _fit_ols(yz, Xz, cov_type)
    vif = _vif(design.X)
    method = f"OLS, {cov_type} (t)"
    tab = _table(design, fit, std_fit if standardize else None, alpha=alpha, padjust=padjust, vif=vif,
                 method_text=method, df_value=float(fit.df_resid))
    diag = _ols_diagnostics(fit, std_fit, classic, design, cov_type, vif)
    return ModelResult(outcome=outcome, predictors=tuple(preds), method="OLS", table=tab, diagnostics=diag,
                       fit=fit, data_used=design.used, missing=design.missing, cov_type=cov_type,
                       notes=_ols_notes(cov_type, padjust, alpha), std_fit=std_fit if standardize else None)


def influence(result: ModelResult) -> pd.DataFrame:
    """Influence of each country on an OLS fit, most influential first.

    Parameters
    ----------
    result : ModelResult
        From :func:`regress` with ``missing="listwise"``.

    Returns
    -------
    DataFrame
        Columns ``iso3, country, cooks_distance, leverage, std_residual``
        (internally studentized), ``student_residual`` (externally
        studentized), sorted by Cook's distance.

    Notes
    -----
    ``statsmodels.stats.outliers_influence.OLSInfluence`` (as R's
    ``cooks.distance``, ``hatvalues``, ``rstandard``, ``rstudent``). A common
    flag is Cook's distance above 4 / n.

    Examples
    --------
    >>> influence(regress(panel, "gci2020.score", predictors)).head()  # doctest: +SKIP
    """
    if not isinstance(result, ModelResult) or not isinstance(result.fit.model, sm.OLS) \
            or "MICE" in result.method:
        raise ValueError("influence() needs an OLS ModelResult from regress(missing='listwise')")
    inf = OLSInfluence(result.fit)
    idx = result.data_used.index
    out = pd.DataFrame({
        "iso3": [str(i) for i in idx],
        "country": result.data_used["country"].to_numpy() if "country" in result.data_used else [""] * len(idx),
        "cooks_distance": inf.cooks_distance[0],
        "leverage": inf.hat_matrix_diag,
        "std_residual": inf.resid_studentized_internal,
        "student_residual": inf.resid_studentized_external,
    })
    return out.sort_values("cooks_distance", ascending=False, kind="stable").reset_index(drop=True)


# ------------------------------------------------------------------ fractional logit
FRACTIONAL_COV_TYPES = ("HC0", "HC1", "nonrobust")


def fractional_logit(
    data: pd.DataFrame,
    outcome: str,
    predictors,
    *,
    scale: float = 100,
    cov_type: str = "HC1",
    standardize: bool = True,
    alpha: float = 0.05,
    padjust: str = "fdr_bh",
    categorical=None,
) -> ModelResult:
    """Fractional logit (Papke & Wooldridge 1996) of a bounded score, e.g. GCI 0-100.

    Many countries sit near the GCI ceiling; a linear model can predict
    above 100. This models ``E[score / scale | X] = logistic(X b)``.

    Parameters
    ----------
    data : DataFrame
        One row per country.
    outcome : str
        Score between 0 and ``scale``.
    predictors : str or list of str
        Predictor ids.
    scale : float
        Maximum of the score (100 for GCI and NCSI; 1 for shares).
    cov_type : {"HC1", "HC0", "nonrobust"}
        Robust sandwich covariance: ``HC0`` as ``sandwich::vcovHC(type =
        "HC0")``; ``HC1`` is HC0 times n / (n - p) as ``vcovHC(type = "HC1")``
        (and Stata's ``vce(robust)`` scaling). ``nonrobust``: binomial
        variance (not advisable for fractions).
    standardize : bool
        Also fit on z-scored predictors: ``beta`` is the change in log-odds
        per standard deviation of the predictor.
    alpha : float
    padjust : {"fdr_bh", "holm", "bonferroni", "none"}
    categorical : list of str, optional

    Returns
    -------
    ModelResult
        ``.table`` as :func:`regress` (``estimate`` in log-odds,
        ``statistic`` is z, ``df`` NaN); ``.diagnostics``: n, k, deviance,
        null deviance, pseudo R-squared (1 - deviance / null deviance), share
        of outcomes at 0 or 1, convergence, largest VIF.

    Notes
    -----
    ``statsmodels.GLM`` with the binomial family and logit link on
    ``score / scale`` (quasi-likelihood: the fit is the same as R's
    ``glm(family = quasibinomial)``), robust sandwich covariance, z-based
    (normal) tests as ``lmtest::coeftest(df = Inf)``. statsmodels computes
    HC0 for GLMs whatever HCx is asked, so ``HC1`` is formed here as
    HC0 x n / (n - p); the ``.fit`` object keeps statsmodels' HC0 covariance.

    Papke, L. E. & Wooldridge, J. M. (1996). Econometric methods for
    fractional response variables with an application to 401(k) plan
    participation rates. Journal of Applied Econometrics 11, 619-632.

    Examples
    --------
    >>> res = fractional_logit(panel, "gci2020.score", ["wdi.log_gdppc_ppp"])  # doctest: +SKIP
    """
    cov_type = check_choice(cov_type, FRACTIONAL_COV_TYPES, "cov_type")
    check_choice(padjust, PADJUST_METHODS, "padjust")
    alpha = check_alpha(alpha)
    if not isinstance(scale, (int, float)) or isinstance(scale, bool) or not scale > 0:
        raise ValueError(f"scale must be a positive number, got {scale!r}")
    preds, cats = _check_inputs(data, outcome, predictors, categorical)
    design = _design(data, outcome, preds, cats, fn="fractional_logit")
    y = design.y.astype(float) / scale
    bad = design.y.index[(y < 0) | (y > 1)]
    if len(bad):
        raise ValueError(f"outcome {outcome!r} must lie in [0, {scale:g}] (scale={scale:g}); outside: "
                         + ", ".join(f"{i} ({design.y[i]:g})" for i in bad[:10]))
    n, k = len(y), design.X.shape[1]
    check_enough(n, k + 1)
    _warn_few(n, k, "fractional_logit", outcome)
    fit_cov = "nonrobust" if cov_type == "nonrobust" else "HC0"

    def _glm(Xd):
        model = sm.GLM(y, sm.add_constant(Xd, has_constant="add"), family=sm.families.Binomial())
        kw = {"tol": 1e-12, "maxiter": 200}
        return model.fit(**kw) if fit_cov == "nonrobust" else model.fit(cov_type="HC0", **kw)

    fit = _glm(design.X)
    std_fit = _glm(_zscore(design.X)) if standardize else None
    p = k + 1
    factor = n / (n - p) if cov_type == "HC1" else 1.0
    vif = _vif(design.X)
    tab = _glm_table(design, fit, std_fit, factor=factor, alpha=alpha, padjust=padjust, vif=vif,
                     method_text=f"fractional logit, {cov_type} (z)")
    diag = {
        "n": n, "k": k, "n_per_predictor": n / k,
        "deviance": float(fit.deviance), "null_deviance": float(fit.null_deviance),
        "pseudo_r2": 1 - float(fit.deviance) / float(fit.null_deviance),
        "share_at_bounds": float(((y == 0) | (y == 1)).mean()),
        "converged": bool(fit.converged), "max_vif": max(vif.values()) if vif else np.nan,
        "scale": scale, "cov_type": cov_type,
    }
    notes = (
        f"GLM binomial family, logit link, on {outcome}/{scale:g}; quasi-likelihood (as R glm quasibinomial); "
        f"{cov_type} sandwich covariance"
        + (" = HC0 x n/(n-p) as sandwich::vcovHC(type='HC1'); .fit keeps statsmodels' HC0" if cov_type == "HC1"
           else "")
        + f"; z-based tests and {100 * (1 - alpha):g}% CIs.",
        "estimate: change in log-odds of score/scale per unit; beta: per standard deviation of the predictor.",
        f"p_adj: {PADJUST_NAMES[padjust]} over the predictor terms (not the intercept).",
    )
    return ModelResult(outcome=outcome, predictors=tuple(preds),
                       method="fractional logit (GLM binomial, logit link)", table=tab, diagnostics=diag,
                       fit=fit, data_used=design.used, missing=design.missing, cov_type=cov_type, notes=notes,
                       std_fit=std_fit)


def _z_inference(params: pd.Series, cov: np.ndarray, alpha: float):
    se = np.sqrt(np.diag(cov))
    z = params.to_numpy() / se
    p = 2 * stats.norm.sf(np.abs(z))
    q = stats.norm.ppf(1 - alpha / 2)
    lo = params.to_numpy() - q * se
    hi = params.to_numpy() + q * se
    return se, z, p, lo, hi


def _glm_table(design, fit, std_fit, *, factor, alpha, padjust, vif, method_text):
    se, z, p, lo, hi = _z_inference(fit.params, np.asarray(fit.cov_params()) * factor, alpha)
    if std_fit is not None:
        _sse, _sz, _sp, slo, shi = _z_inference(std_fit.params, np.asarray(std_fit.cov_params()) * factor, alpha)
    rows = []
    for i, t in enumerate(fit.params.index):
        is_term = t in design.base
        rows.append({
            "term": t, "label": design.labels.get(t, "Intercept" if t == "const" else t),
            "block": catalogue_block(design.base[t]) if is_term else "",
            "estimate": float(fit.params[t]), "std_error": se[i], "statistic": z[i], "df": np.nan,
            "p_value": p[i], "ci_low": lo[i], "ci_high": hi[i],
            "beta": float(std_fit.params[t]) if (std_fit is not None and is_term) else np.nan,
            "beta_ci_low": slo[i] if (std_fit is not None and is_term) else np.nan,
            "beta_ci_high": shi[i] if (std_fit is not None and is_term) else np.nan,
            "vif": vif.get(t, np.nan),
        })
    tab = pd.DataFrame(rows)
    tab["p_adj"] = _padjust(np.where(tab["term"].isin(list(design.base)), tab["p_value"], np.nan), padjust)
    tab["n"] = int(len(design.y))
    tab["method"] = method_text
    return tab[TABLE_COLUMNS]


# ------------------------------------------------------------------ ordinal logit
def _ordered_fit(y_cat, X):
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    model = OrderedModel(y_cat, X, distr="logit")
    fit = model.fit(method="bfgs", maxiter=5000, gtol=1e-8, disp=False)
    return model, fit


def _cutpoints(model, fit, ncut: int):
    """Cut points and their delta-method covariance from statsmodels' increments parametrisation."""
    params = np.asarray(fit.params)
    cov = np.asarray(fit.cov_params())
    kx = len(params) - ncut
    th = params[kx:]
    cuts = model.transform_threshold_params(params)[1:-1]
    J = np.zeros((ncut, ncut))
    for j in range(ncut):
        J[j, 0] = 1.0
        for i in range(1, j + 1):
            J[j, i] = np.exp(th[i])
    ccov = J @ cov[kx:, kx:] @ J.T
    return cuts, ccov


def ordinal_logit(
    data: pd.DataFrame,
    outcome: str,
    predictors,
    *,
    standardize: bool = True,
    alpha: float = 0.05,
    padjust: str = "fdr_bh",
    categorical=None,
) -> ModelResult:
    """Ordinal (proportional-odds) logit, e.g. of the GCI 2024 tiers.

    Parameters
    ----------
    data : DataFrame
        One row per country.
    outcome : str
        Ordered outcome: numeric codes (ordered by value, e.g. tiers 1-5) or an
        ordered pandas categorical.
    predictors : str or list of str
    standardize : bool
        Also fit on z-scored predictors (``beta``: log-odds per SD).
    alpha : float
    padjust : {"fdr_bh", "holm", "bonferroni", "none"}
    categorical : list of str, optional

    Returns
    -------
    ModelResult
        ``.table``: one row per predictor term (positive = higher outcome
        category more likely), then one row per cut point ``cut a|b`` (block
        ``""``, ``p_value`` NaN); ``statistic`` is z, ``df`` NaN.
        ``.diagnostics``: n, k, categories, log-likelihood, AIC, BIC,
        McFadden pseudo R-squared, convergence.

    Notes
    -----
    ``statsmodels.miscmodels.ordinal_model.OrderedModel`` with the logit
    link, ``logit P(Y <= j) = cut_j - X b`` (the parametrisation of
    ``MASS::polr``); model-based (inverse Hessian) standard errors, z tests.
    statsmodels estimates the first cut point and log increments; the cut
    points and their standard errors are transformed back (delta method).
    The sign of an effect on commitment depends on the coding of the outcome:
    for ``gci2024.tier`` a higher tier is a lower commitment
    (:func:`~cybercult.stats.classify_factors` reads this from the catalogue).

    McCullagh, P. (1980). Regression models for ordinal data. JRSS B 42, 109-142.

    Examples
    --------
    >>> res = ordinal_logit(panel, "gci2024.tier", ["wdi.log_gdppc_ppp"])  # doctest: +SKIP
    """
    check_choice(padjust, PADJUST_METHODS, "padjust")
    alpha = check_alpha(alpha)
    is_cat = (isinstance(outcome, str) and isinstance(data, pd.DataFrame) and outcome in data.columns
              and isinstance(data[outcome].dtype, pd.CategoricalDtype))
    preds, cats = _check_inputs(data, outcome, predictors, categorical, outcome_numeric=not is_cat)
    if is_cat and not data[outcome].cat.ordered:
        raise TypeError(f"outcome {outcome!r} is an unordered categorical; make it ordered or use numeric codes")
    design = _design(data, outcome, preds, cats, fn="ordinal_logit")
    levels = _levels(design.y)
    y_cat = pd.Series(pd.Categorical(design.y, categories=levels, ordered=True), index=design.y.index)
    n, k = len(y_cat), design.X.shape[1]
    ncut = len(levels) - 1
    check_enough(n, k + ncut)
    _warn_few(n, k, "ordinal_logit", outcome)
    model, fit = _ordered_fit(y_cat, design.X)
    converged = bool(fit.mle_retvals.get("converged", True))
    if not converged:
        warnings.warn("ordinal_logit: the optimizer did not converge; estimates may be unreliable",
                      RuntimeWarning, stacklevel=2)
    std_fit = _ordered_fit(y_cat, _zscore(design.X))[1] if standardize else None
    params = fit.params
    cov = np.asarray(fit.cov_params())
    q = stats.norm.ppf(1 - alpha / 2)
    vif = _vif(design.X)
    rows = []
    for i, t in enumerate(design.X.columns):
        se = math.sqrt(cov[i, i])
        est = float(params.iloc[i])
        row = {"term": t, "label": design.labels[t], "block": catalogue_block(design.base[t]), "estimate": est,
               "std_error": se, "statistic": est / se, "df": np.nan, "p_value": 2 * stats.norm.sf(abs(est / se)),
               "ci_low": est - q * se, "ci_high": est + q * se, "beta": np.nan, "beta_ci_low": np.nan,
               "beta_ci_high": np.nan, "vif": vif.get(t, np.nan)}
        if std_fit is not None:
            b = float(std_fit.params.iloc[i])
            bse = math.sqrt(np.asarray(std_fit.cov_params())[i, i])
            row.update(beta=b, beta_ci_low=b - q * bse, beta_ci_high=b + q * bse)
        rows.append(row)
    cuts, ccov = _cutpoints(model, fit, ncut)
    for j in range(ncut):
        se = math.sqrt(ccov[j, j])
        name = f"cut {_level_text(levels[j])}|{_level_text(levels[j + 1])}"
        rows.append({"term": name, "label": f"Cut point {_level_text(levels[j])}|{_level_text(levels[j + 1])}",
                     "block": "", "estimate": float(cuts[j]), "std_error": se, "statistic": cuts[j] / se,
                     "df": np.nan, "p_value": np.nan, "ci_low": cuts[j] - q * se, "ci_high": cuts[j] + q * se,
                     "beta": np.nan, "beta_ci_low": np.nan, "beta_ci_high": np.nan, "vif": np.nan})
    tab = pd.DataFrame(rows)
    tab["p_adj"] = _padjust(tab["p_value"].to_numpy(), padjust)
    tab["n"] = n
    tab["method"] = "ordinal logit (proportional odds), model-based SE (z)"
    tab = tab[TABLE_COLUMNS]
    counts = y_cat.value_counts().to_numpy()
    ll0 = float(np.sum(counts * np.log(counts / n)))
    diag = {
        "n": n, "k": k, "n_per_predictor": n / k, "n_categories": len(levels), "loglik": float(fit.llf),
        "aic": float(fit.aic), "bic": float(fit.bic), "pseudo_r2": 1 - float(fit.llf) / ll0,
        "converged": converged, "max_vif": max(vif.values()) if vif else np.nan, "cov_type": "nonrobust",
    }
    notes = (
        "Proportional-odds logit, logit P(Y <= j) = cut_j - Xb (as MASS::polr): a positive estimate makes "
        "higher outcome categories more likely; z tests, model-based standard errors.",
        "beta: log-odds per standard deviation of the predictor. Pseudo R-squared: McFadden.",
        f"p_adj: {PADJUST_NAMES[padjust]} over the predictor terms (not the cut points).",
    )
    return ModelResult(outcome=outcome, predictors=tuple(preds), method="ordinal logit", table=tab,
                       diagnostics=diag, fit=fit, data_used=design.used, missing=design.missing,
                       cov_type="nonrobust", notes=notes, std_fit=std_fit)
