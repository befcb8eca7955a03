"""Generalised linear models of a bounded or ordered commitment: fractional logit and ordinal logit."""
from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import statsmodels.api as sm
from statsmodels.tools.sm_exceptions import ConvergenceWarning
from scipy import stats

from .._docstrings import fill_doc
from ._references import REFS
from ._validate import PADJUST_METHODS, PADJUST_NAMES, check_alpha, check_choice, check_enough
from .coeftable import coef_table
from .design import build_design, check_inputs, levels_of, term_fields, vif as _vif, warn_few, zscore
from ..data.variables import level_text
from .results import ModelResult

__all__ = ["fractional_logit", "ordinal_logit", "FRACTIONAL_COV_TYPES"]

FRACTIONAL_COV_TYPES = ("HC0", "HC1", "nonrobust")


@fill_doc(refs=REFS)
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
    {params.data}
    outcome : str
        Outcome variable id: a score between 0 and ``scale``.
    {params.predictors}
    scale : float
        Maximum of the score (100 for GCI and NCSI; 1 for shares).
    cov_type : {"HC1", "HC0", "nonrobust"}
        Robust sandwich covariance: ``HC0`` as ``sandwich::vcovHC(type =
        "HC0")``; ``HC1`` is HC0 times n / (n - p) as ``vcovHC(type = "HC1")``
        (and Stata's ``vce(robust)`` scaling). ``nonrobust``: binomial
        variance (not advisable for fractions).
    {params.standardize}
    {params.alpha}
    {params.padjust}
        Applied over the predictor terms, not the intercept.
    {params.categorical}

    Returns
    -------
    ModelResult
        ``.table`` as :func:`regress` (``estimate`` in log-odds,
        ``statistic`` is z, ``df`` NaN); ``.diagnostics``: n, k, deviance,
        null deviance, pseudo R-squared (1 - deviance / null deviance), share
        of outcomes at 0 or 1, convergence, largest VIF.

    See Also
    --------
    regress : the linear model of the same score.
    ordinal_logit : for an ordered outcome such as tiers.
    specification_curve : uses this model as one of its estimators.

    Notes
    -----
    ``statsmodels.GLM`` with the binomial family and logit link on
    ``score / scale`` (quasi-likelihood: the fit is the same as R's
    ``glm(family = quasibinomial)``), robust sandwich covariance, z-based
    (normal) tests as ``lmtest::coeftest(df = Inf)``. statsmodels computes
    HC0 for GLMs whatever HCx is asked, so ``HC1`` is formed here as
    HC0 x n / (n - p); the ``.fit`` object keeps statsmodels' HC0 covariance.

    References
    ----------
    {refs.papke_wooldridge_1996}

    Examples
    --------
    >>> import cybercult as cc
    >>> panel = cc.build_panel(sample="study81").data
    >>> x = ["wdi.log_gdppc_ppp", "eiu.democracy"]
    >>> res = cc.fractional_logit(panel, "gci2020.score", x, scale=100)
    >>> res.table.set_index("term")["estimate"].round(3).to_dict()  # log-odds of score / 100
    {'const': -6.806, 'wdi.log_gdppc_ppp': 0.768, 'eiu.democracy': 0.103}
    >>> round(res.diagnostics["share_at_bounds"], 3), round(res.diagnostics["pseudo_r2"], 3)
    (0.013, 0.289)
    """
    cov_type = check_choice(cov_type, FRACTIONAL_COV_TYPES, "cov_type")
    check_choice(padjust, PADJUST_METHODS, "padjust")
    alpha = check_alpha(alpha)
    if not isinstance(scale, (int, float)) or isinstance(scale, bool) or not scale > 0:
        raise ValueError(f"scale must be a positive number, got {scale!r}")
    preds, cats = check_inputs(data, outcome, predictors, categorical)
    design = build_design(data, outcome, preds, cats, fn="fractional_logit")
    y = design.y.astype(float) / scale
    bad = design.y.index[(y < 0) | (y > 1)]
    if len(bad):
        raise ValueError(f"outcome {outcome!r} must lie in [0, {scale:g}] (scale={scale:g}); outside: "
                         + ", ".join(f"{i} ({design.y[i]:g})" for i in bad[:10]))
    n, k = len(y), design.X.shape[1]
    check_enough(n, k + 1)
    warn_few(n, k, "fractional_logit", outcome)
    fit_cov = "nonrobust" if cov_type == "nonrobust" else "HC0"

    def _glm(Xd):
        model = sm.GLM(y, sm.add_constant(Xd, has_constant="add"), family=sm.families.Binomial())
        kw = {"tol": 1e-12, "maxiter": 200}
        return model.fit(**kw) if fit_cov == "nonrobust" else model.fit(cov_type="HC0", **kw)

    fit = _glm(design.X)
    std_fit = _glm(zscore(design.X)) if standardize else None
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
                       std_fit=std_fit, estimator="fractional_logit")


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
            **term_fields(design, t),
            "estimate": float(fit.params[t]), "std_error": se[i], "statistic": z[i], "df": np.nan,
            "p_value": p[i], "ci_low": lo[i], "ci_high": hi[i],
            "beta": float(std_fit.params[t]) if (std_fit is not None and is_term) else np.nan,
            "beta_ci_low": slo[i] if (std_fit is not None and is_term) else np.nan,
            "beta_ci_high": shi[i] if (std_fit is not None and is_term) else np.nan,
            "vif": vif.get(t, np.nan),
        })
    return coef_table(rows, padjust=padjust, n=len(design.y), method=method_text)


# ------------------------------------------------------------------ ordinal logit
def _ordered_fit(y_cat, X):
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    model = OrderedModel(y_cat, X, distr="logit")
    with warnings.catch_warnings():  # ordinal_logit warns in its own words if the fit fails
        warnings.simplefilter("ignore", ConvergenceWarning)
        fit = model.fit(method="bfgs", maxiter=5000, gtol=1e-8, disp=False)
        if not fit.mle_retvals.get("converged", True):
            # BFGS stops with "precision loss" when the gradient is already ~1e-7 (unscaled
            # predictors such as a 0-100 index): a few Newton steps with the exact Hessian from
            # there reach the optimum, or confirm that there is none to reach.
            polished = model.fit(method="newton", start_params=np.asarray(fit.params), maxiter=100, disp=False)
            if polished.mle_retvals.get("converged", False) and polished.llf >= fit.llf - 1e-9 * abs(fit.llf):
                fit = polished
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


@fill_doc(refs=REFS)
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
    {params.data}
    outcome : str
        Ordered outcome: numeric codes (ordered by value, e.g. tiers 1-5) or an
        ordered pandas categorical.
    {params.predictors}
    {params.standardize}
    {params.alpha}
    {params.padjust}
        Applied over the predictor terms, not the cut points.
    {params.categorical}

    Returns
    -------
    ModelResult
        ``.table``: one row per predictor term (positive = higher outcome
        category more likely), then one row per cut point ``cut a|b`` (block
        ``""``, ``p_value`` NaN); ``statistic`` is z, ``df`` NaN.
        ``.diagnostics``: n, k, categories, log-likelihood, AIC, BIC,
        McFadden pseudo R-squared, convergence.

    See Also
    --------
    regress : the linear model, for a continuous score.
    fractional_logit : for a score bounded by 0 and a maximum.
    classify_factors : the verdict on this result (it reads the outcome's direction).

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

    References
    ----------
    {refs.mccullagh_1980}

    Examples
    --------
    >>> import cybercult as cc
    >>> panel = cc.build_panel(sample="study81").data
    >>> res = cc.ordinal_logit(panel, "gci2024.tier", ["wdi.log_gdppc_ppp"])
    >>> res.table[["term", "kind", "estimate", "std_error"]].round(3)
                    term       kind  estimate  std_error
    0  wdi.log_gdppc_ppp  predictor    -0.845      0.293
    1            cut 1|2  cut point    -8.767      2.997
    2            cut 2|3  cut point    -7.476      2.951
    3            cut 3|4  cut point    -5.901      2.929
    """
    check_choice(padjust, PADJUST_METHODS, "padjust")
    alpha = check_alpha(alpha)
    is_cat = (isinstance(outcome, str) and isinstance(data, pd.DataFrame) and outcome in data.columns
              and isinstance(data[outcome].dtype, pd.CategoricalDtype))
    preds, cats = check_inputs(data, outcome, predictors, categorical, outcome_numeric=not is_cat)
    if is_cat and not data[outcome].cat.ordered:
        raise TypeError(f"outcome {outcome!r} is an unordered categorical; make it ordered or use numeric codes")
    design = build_design(data, outcome, preds, cats, fn="ordinal_logit")
    levels = levels_of(design.y)
    y_cat = pd.Series(pd.Categorical(design.y, categories=levels, ordered=True), index=design.y.index)
    n, k = len(y_cat), design.X.shape[1]
    ncut = len(levels) - 1
    check_enough(n, k + ncut)
    warn_few(n, k, "ordinal_logit", outcome)
    model, fit = _ordered_fit(y_cat, design.X)
    converged = bool(fit.mle_retvals.get("converged", True))
    if not converged:
        warnings.warn("ordinal_logit: the optimizer did not converge; estimates may be unreliable",
                      RuntimeWarning, stacklevel=2)
    std_fit = _ordered_fit(y_cat, zscore(design.X))[1] if standardize else None
    params = fit.params
    cov = np.asarray(fit.cov_params())
    q = stats.norm.ppf(1 - alpha / 2)
    vif = _vif(design.X)
    rows = []
    for i, t in enumerate(design.X.columns):
        se = math.sqrt(cov[i, i])
        est = float(params.iloc[i])
        row = {**term_fields(design, t), "estimate": est,
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
        name = f"cut {level_text(levels[j])}|{level_text(levels[j + 1])}"
        rows.append({"term": name, "label": f"Cut point {level_text(levels[j])}|{level_text(levels[j + 1])}",
                     "block": "", "kind": "cut point", "estimate": float(cuts[j]), "std_error": se,
                     "statistic": cuts[j] / se,
                     "df": np.nan, "p_value": np.nan, "ci_low": cuts[j] - q * se, "ci_high": cuts[j] + q * se,
                     "beta": np.nan, "beta_ci_low": np.nan, "beta_ci_high": np.nan, "vif": np.nan})
    tab = coef_table(rows, padjust=padjust, n=n, method="ordinal logit (proportional odds), model-based SE (z)")
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
                       cov_type="nonrobust", notes=notes, std_fit=std_fit, estimator="ordinal_logit")
