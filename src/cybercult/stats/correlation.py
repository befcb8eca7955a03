"""Pearson, Spearman and Kendall correlations, pairwise-complete, and partial correlations."""
from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from .._docstrings import fill_doc
from ._references import REFS
from ._validate import (
    PADJUST_METHODS,
    as_list,
    check_alpha,
    check_choice,
    check_columns,
    check_frame,
    check_not_constant,
    check_numeric,
    padjust as _padjust,
)

METHODS = ("pearson", "spearman", "kendall")
COLUMNS = ["x", "y", "method", "n", "r", "ci_low", "ci_high", "p_value", "p_adj", "covar", "note"]


def _fisher_ci(r: float, se: float, alpha: float) -> tuple[float, float]:
    z = stats.norm.ppf(1 - alpha / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        zr = np.arctanh(np.clip(r, -1.0, 1.0))
    return float(np.tanh(zr - z * se)), float(np.tanh(zr + z * se))


def _t_test(r: float, df: int) -> float:
    if abs(r) >= 1:
        return 0.0
    t = r * math.sqrt(df / (1 - r * r))
    return float(2 * stats.t.sf(abs(t), df))


def _one_pair(sub: pd.DataFrame, a: str, b: str, covar: list[str], method: str, alpha: float) -> dict:
    n = len(sub)
    k = len(covar)
    need = k + (5 if method == "kendall" else 4)
    if n < need:
        return {"n": n, "note": f"too few pairwise-complete observations: n = {n}, need at least {need}"}
    for c in [a, b, *covar]:
        if sub[c].nunique() < 2:
            return {"n": n, "note": f"{c!r} is constant over the {n} pairwise-complete observations"}
    xa = sub[a].to_numpy(dtype=float)
    xb = sub[b].to_numpy(dtype=float)
    if k == 0:
        if method == "pearson":
            res = stats.pearsonr(xa, xb)
            r, p = float(res.statistic), float(res.pvalue)
            se = 1 / math.sqrt(n - 3)
        elif method == "spearman":
            res = stats.spearmanr(xa, xb)
            r, p = float(res.statistic), float(res.pvalue)
            se = math.sqrt((1 + r * r / 2) / (n - 3))  # Bonett & Wright (2000)
        else:
            res = stats.kendalltau(xa, xb, method="asymptotic")
            r, p = float(res.statistic), float(res.pvalue)
            se = math.sqrt(0.437 / (n - 4))  # Fieller, Hartley & Pearson (1957)
    else:
        block = sub[[a, b, *covar]].astype(float)
        if method == "spearman":
            block = block.rank(method="average")
        z = sm.add_constant(block[covar].to_numpy(), has_constant="add")
        ra = sm.OLS(block[a].to_numpy(), z).fit().resid
        rb = sm.OLS(block[b].to_numpy(), z).fit().resid
        r = float(np.corrcoef(ra, rb)[0, 1])
        p = _t_test(r, n - 2 - k)
        se = 1 / math.sqrt(n - 3 - k) if method == "pearson" else math.sqrt((1 + r * r / 2) / (n - 3 - k))
    lo, hi = _fisher_ci(r, se, alpha)
    return {"n": n, "r": r, "ci_low": lo, "ci_high": hi, "p_value": p, "note": ""}


@fill_doc(refs=REFS)
def correlate(
    data: pd.DataFrame,
    x,
    y=None,
    *,
    method: str = "pearson",
    covar=None,
    padjust: str = "fdr_bh",
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Correlations between sets of variables, one row per pair.

    Each pair uses the countries where both variables (and every covariate) are
    present (pairwise-complete).

    Parameters
    ----------
    {params.data}
    x : str or list of str
        Variables. With ``y=None`` every pair within ``x`` is tested (needs two
        or more).
    y : str or list of str, optional
        Second set: every ``x`` is paired with every ``y`` (a variable is never
        paired with itself).
    method : {"pearson", "spearman", "kendall"}
        Pearson's r, Spearman's rho or Kendall's tau-b.
    covar : str or list of str, optional
        Covariates to partial out (e.g. ``"wdi.log_gdppc_ppp"``): partial
        Pearson or Spearman correlation. Partial Kendall is not offered.
    {params.padjust}
        Applied over all rows of the result.
    {params.alpha}

    Returns
    -------
    DataFrame
        One row per pair, columns:

        - ``x``, ``y``: the variable ids;
        - ``method``: ``pearson``, ``spearman`` or ``kendall``;
        - ``n``: pairwise-complete observations (also complete in ``covar``);
        - ``r``: the (partial) correlation coefficient;
        - ``ci_low``, ``ci_high``: the ``1 - alpha`` confidence interval;
        - ``p_value``: two-sided p-value of r = 0;
        - ``p_adj``: ``p_value`` adjusted with ``padjust`` over all rows;
        - ``covar``: the covariates partialled out, comma-separated ("" if none);
        - ``note``: why a row is NaN (too few observations, constant within the
          pair), else "".

        ``attrs["missing"]`` states how missing values were handled.

    See Also
    --------
    compare_groups : the outcome across the groups of a categorical variable.
    regress : several factors at once, each adjusted for the others.

    Notes
    -----
    - Pearson: ``scipy.stats.pearsonr``, t-test on n - 2 df; CI by Fisher's z,
      ``tanh(atanh(r) +/- z * 1/sqrt(n - 3))`` (as R's ``cor.test``).
    - Spearman: ``scipy.stats.spearmanr`` (ties get average ranks), p-value
      from the t approximation (as R's ``cor.test(exact = FALSE)``); CI by
      Fisher's z with the Bonett & Wright (2000) standard error
      ``sqrt((1 + r^2/2) / (n - 3))``.
    - Kendall: tau-b with ``scipy.stats.kendalltau(method="asymptotic")``,
      normal approximation with the tie-corrected variance (as
      ``cor.test(method = "kendall", exact = FALSE)``); CI by Fisher's z with
      the Fieller, Hartley & Pearson (1957) standard error
      ``sqrt(0.437 / (n - 4))``.
    - Partial correlations: both variables are regressed on the covariates
      (OLS with intercept; for Spearman on ranks of all variables, as
      ``ppcor::pcor.test``) and the residuals correlated. t-test on
      ``n - 2 - k`` df (k covariates); CI by Fisher's z with ``n - 3 - k`` in
      place of ``n - 3``.
    - p-value adjustment: ``statsmodels.stats.multitest.multipletests``
      (Benjamini & Hochberg 1995; Holm 1979; Bonferroni).

    References
    ----------
    {refs.benjamini_hochberg_1995}

    {refs.bonett_wright_2000}

    {refs.fieller_1957}

    {refs.holm_1979}

    Examples
    --------
    >>> import cybercult as cc
    >>> panel = cc.build_panel(sample="study81").data
    >>> r = cc.correlate(panel, ["hofstede_insights.pdi", "hofstede_insights.idv"], "gci2020.score",
    ...                  method="spearman", covar="wdi.log_gdppc_ppp")
    >>> r[["x", "n", "r", "ci_low", "ci_high", "p_adj"]].round(3)
                           x   n      r  ci_low  ci_high  p_adj
    0  hofstede_insights.pdi  80  0.048  -0.175    0.266  0.677
    1  hofstede_insights.idv  80  0.180  -0.045    0.387  0.226
    """
    check_frame(data)
    method = check_choice(method, METHODS, "method")
    check_choice(padjust, PADJUST_METHODS, "padjust")
    alpha = check_alpha(alpha)
    xs = as_list(x, "x")
    ys = as_list(y, "y", allow_none=True)
    cv = as_list(covar, "covar", allow_none=True) or []
    if cv and method == "kendall":
        raise ValueError("partial correlation (covar=) is offered for method='pearson' or 'spearman', not 'kendall'")
    check_columns(data, xs, "x")
    if ys is not None:
        check_columns(data, ys, "y")
    check_columns(data, cv, "covar")
    every = list(dict.fromkeys(xs + (ys or []) + cv))
    check_numeric(data, every, "correlate")
    check_not_constant(data, every)
    both = sorted(set(cv) & set(xs + (ys or [])))
    if both:
        raise ValueError(f"covar and x/y share variables {both}: a variable cannot be partialled out of itself")
    if ys is None:
        if len(xs) < 2:
            raise ValueError("x needs at least two variables when y is not given")
        pairs = list(itertools.combinations(xs, 2))
    else:
        pairs = [(a, b) for a in xs for b in ys if a != b]
        if not pairs:
            raise ValueError("x and y select no pair of different variables")

    rows = []
    for a, b in pairs:
        sub = data[[a, b, *cv]].dropna()
        row = {"x": a, "y": b, "method": method, "n": 0, "r": np.nan, "ci_low": np.nan, "ci_high": np.nan,
               "p_value": np.nan, "covar": ", ".join(cv), "note": ""}
        row.update(_one_pair(sub, a, b, cv, method, alpha))
        rows.append(row)
    out = pd.DataFrame(rows)
    out["p_adj"] = _padjust(out["p_value"].to_numpy(), padjust)
    out["n"] = out["n"].astype(int)
    out = out[COLUMNS]
    out.attrs["missing"] = ("pairwise-complete: each row uses the countries that have both variables"
                            + (" and every covariate" if cv else "") + " (see n)")
    return out
