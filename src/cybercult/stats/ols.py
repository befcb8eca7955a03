"""OLS regression of commitment with robust inference, standardized coefficients and diagnostics.

Validated against the NIST StRD Longley certified values and R
(``tests/reference/make_reference.R``). ``missing="mice"`` hands over to
:mod:`cybercult.stats.mice`.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import statsmodels.api as sm
from statsmodels.stats.diagnostic import het_breuschpagan
from statsmodels.stats.outliers_influence import OLSInfluence
from statsmodels.stats.stattools import jarque_bera

from .._docstrings import fill_doc
from ._references import REFS
from ._validate import (COV_TYPES, PADJUST_METHODS, PADJUST_NAMES, check_alpha, check_choice, check_enough,
                        renamed_argument)
from .coeftable import coef_table
from .design import Design, build_design, check_inputs, fit_ols, term_fields, vif as _vif, warn_few, zscore
from .mice import regress_mice
from .results import ModelResult

__all__ = ["regress", "influence", "MISSING", "N_TOP_INFLUENTIAL"]

MISSING = ("listwise", "mice")
N_TOP_INFLUENTIAL = 5


def _table(design: Design, fit, std_fit, *, alpha, padjust, vif, method_text, df_value) -> pd.DataFrame:
    ci = fit.conf_int(alpha)
    sci = std_fit.conf_int(alpha) if std_fit is not None else None
    rows = []
    for t in fit.params.index:
        is_term = t in design.base
        rows.append({
            **term_fields(design, t),
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
    return coef_table(rows, padjust=padjust, n=len(design.y), method=method_text)


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


def _ols_diagnostics(fit, std_fit, classic, design: Design, cov_type: str, vif: dict) -> dict:
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


@fill_doc(refs=REFS)
def regress(
    data: pd.DataFrame,
    outcome: str,
    predictors,
    *,
    cov_type: str = "HC3",
    standardize: bool = True,
    missing: str = "listwise",
    n_imputations: int = 20,
    rng=None,
    alpha: float = 0.05,
    padjust: str = "fdr_bh",
    categorical=None,
    seed=None,
) -> ModelResult:
    """OLS regression of an outcome on predictors with robust inference and diagnostics.

    Parameters
    ----------
    {params.data}
    {params.outcome_id}
    {params.predictors}
    {params.cov_type}
        Inference is t-based on n - k - 1 df.
    {params.standardize}
    missing : {"listwise", "mice"}
        Listwise deletion, or multiple imputation by chained equations with
        ``n_imputations`` data sets pooled by Rubin's rules (numeric predictors
        only: no ``categorical`` with MICE).
    n_imputations : int
        Number of imputed data sets (``missing="mice"``), at least 2.
    {params.rng}
        Used by the imputations only (``missing="mice"``).
    {params.alpha}
    {params.padjust}
        Applied over the predictor terms, not the intercept.
    {params.categorical}
    seed : int or numpy.random.Generator, optional
        Deprecated name of ``rng`` (accepted with a ``DeprecationWarning``
        for one release).

    Returns
    -------
    ModelResult
        ``.table`` has one row per term (``const`` first), columns:

        - ``term``: ``const``, a variable id or ``id[level]`` for a dummy;
        - ``label``: human label from the catalogue (the id if unknown);
        - ``block``: the catalogue block (development, politics, military,
          culture, user);
        - ``kind``: ``intercept`` or ``predictor`` (only predictors are adjusted
          and judged by the verdict);
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

    See Also
    --------
    fractional_logit : the same model for a score bounded by 0 and a maximum.
    ordinal_logit : for an ordered outcome such as tiers.
    hierarchical : blocks of predictors entered in turn.
    classify_factors : the verdict (driver, blocker, negligible, inconclusive) on this result.
    influence, performers : countries that move the fit, and countries off the line.
    bootstrap, permutation_test, leave_one_out : resampling checks of the coefficients.

    Notes
    -----
    Fitted with ``statsmodels.OLS``; ``cov_type="HC3"`` is MacKinnon & White
    (1985)'s jackknife-like estimator, recommended for small samples (Long &
    Ervin 2000), with t-based tests as R's
    ``lmtest::coeftest(fit, vcov = sandwich::vcovHC(fit, "HC3"))``. VIF by
    ``variance_inflation_factor`` (as ``car::vif``). Breusch-Pagan: Koenker's
    (1981) studentized LM (``het_breuschpagan``, as ``lmtest::bptest``); RESET
    (Ramsey 1969) with fitted^2 and fitted^3 (the nested F-test of
    ``linear_reset``, on standardized fitted values for numerical stability; as
    ``lmtest::resettest``; NaN when only dummies make the fitted powers
    collinear); Jarque-Bera (1980) on residuals; Cook's (1977) distance from
    ``OLSInfluence``. AIC/BIC follow statsmodels (R's ``AIC()`` is larger by
    2 because it counts the error variance). Validated against the NIST StRD
    Longley certified values and R (``tests/reference/make_reference.R``).

    Multiple imputation: ``statsmodels.imputation.mice.MICEData``
    (predictive mean matching; every variable of the model imputes the
    others), 10 burn-in cycles, 4 cycles between imputations, OLS per
    completed data set, Rubin's (1987) rules with Barnard-Rubin (1999) df
    (:func:`rubin_pool`, as ``mice::pool`` of van Buuren &
    Groothuis-Oudshoorn 2011); ``.fit`` is the statsmodels ``MICEResults``.
    statsmodels rebuilds a formula for every update, about 0.05 s per variable
    with missing values and cycle, so ``m = 20`` with five incomplete variables
    takes some 20 s.

    References
    ----------
    {refs.barnard_rubin_1999}

    {refs.cook_1977}

    {refs.jarque_bera_1980}

    {refs.koenker_1981}

    {refs.long_ervin_2000}

    {refs.mackinnon_white_1985}

    {refs.ramsey_1969}

    {refs.rubin_1987}

    {refs.van_buuren_2011}

    Examples
    --------
    >>> import cybercult as cc
    >>> panel = cc.build_panel(sample="study81").data
    >>> res = cc.regress(panel, "gci2020.score", ["wdi.log_gdppc_ppp", "hofstede_insights.pdi"])
    >>> res.table[["term", "estimate", "std_error", "p_value", "beta"]].round(3)
                        term  estimate  std_error  p_value   beta
    0                  const   -29.558     41.961    0.483    NaN
    1      wdi.log_gdppc_ppp    11.740      3.643    0.002  0.440
    2  hofstede_insights.pdi    -0.124      0.109    0.262 -0.126
    >>> res.diagnostics["n"], round(res.diagnostics["r2"], 3)
    (80, 0.271)
    """
    rng = renamed_argument(rng, seed, old="seed", new="rng", fn="regress")
    cov_type = check_choice(cov_type, COV_TYPES, "cov_type")
    missing = check_choice(missing, MISSING, "missing")
    check_choice(padjust, PADJUST_METHODS, "padjust")
    alpha = check_alpha(alpha)
    preds, cats = check_inputs(data, outcome, predictors, categorical)
    if missing == "mice":
        if cats:
            raise ValueError("categorical predictors are not supported with missing='mice'; use numeric codes")
        if not isinstance(n_imputations, (int, np.integer)) or n_imputations < 2:
            raise ValueError(f"n_imputations must be an integer >= 2, got {n_imputations!r}")
        return regress_mice(data, outcome, preds, cov_type=cov_type, standardize=standardize,
                            n_imputations=int(n_imputations), rng=rng, alpha=alpha, padjust=padjust)
    design = build_design(data, outcome, preds, cats, fn="regress")
    n, k = len(design.y), design.X.shape[1]
    check_enough(n, k + 1)
    warn_few(n, k, "regress", outcome)
    fit = fit_ols(design.y, design.X, cov_type)
    classic = fit if cov_type == "nonrobust" else fit_ols(design.y, design.X, "nonrobust")
    yz = zscore(design.y.to_frame())[design.y.name]
    Xz = zscore(design.X)
    std_fit = fit_ols(yz, Xz, cov_type)
    vif = _vif(design.X)
    method = f"OLS, {cov_type} (t)"
    tab = _table(design, fit, std_fit if standardize else None, alpha=alpha, padjust=padjust, vif=vif,
                 method_text=method, df_value=float(fit.df_resid))
    diag = _ols_diagnostics(fit, std_fit, classic, design, cov_type, vif)
    return ModelResult(outcome=outcome, predictors=tuple(preds), method="OLS", table=tab, diagnostics=diag,
                       fit=fit, data_used=design.used, missing=design.missing, cov_type=cov_type,
                       notes=_ols_notes(cov_type, padjust, alpha), std_fit=std_fit if standardize else None,
                       estimator="ols")


@fill_doc(refs=REFS)
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

    See Also
    --------
    regress : the model whose countries are examined.
    performers : countries above or below their prediction interval.
    leave_one_out : how far each coefficient moves when one country is dropped.

    Notes
    -----
    ``statsmodels.stats.outliers_influence.OLSInfluence`` (as R's
    ``cooks.distance``, ``hatvalues``, ``rstandard``, ``rstudent``). A common
    flag is Cook's distance above 4 / n.

    References
    ----------
    {refs.cook_1977}

    Examples
    --------
    >>> import cybercult as cc
    >>> from cybercult.stats import influence
    >>> panel = cc.build_panel(sample="study81").data
    >>> res = cc.regress(panel, "gci2020.score", ["wdi.log_gdppc_ppp", "hofstede_insights.pdi"])
    >>> influence(res)[["iso3", "cooks_distance", "leverage", "student_residual"]].head(3).round(3)
      iso3  cooks_distance  leverage  student_residual
    0  TZA           0.168     0.117             1.992
    1  SLV           0.126     0.038            -3.308
    2  BOL           0.100     0.037            -2.925
    """
    if not isinstance(result, ModelResult) or not isinstance(result.fit.model, sm.OLS) \
            or result.estimator == "mice":
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
