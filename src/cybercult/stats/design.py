"""The shared preparation of every regression: input checks, design matrix, z-scores, VIF.

Design matrices are built with pandas/numpy (``sm.OLS(y, sm.add_constant(X))``),
never with formula strings, so variable ids with dots (``gci2020.score``) work.
Categorical predictors become dummies named ``id[level]`` (first level the
reference) labelled with :meth:`cybercult.data.variables.Variable.level_label`.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import pandas as pd
import statsmodels.api as sm
from statsmodels.stats.outliers_influence import variance_inflation_factor

from .._docstrings import fill_doc
from ..data.variables import level_text
from ..errors import FewObservationsWarning
from ._validate import (as_list, catalogue_block, catalogue_label, catalogue_variable, check_columns, check_frame,
                        check_not_constant,
                        check_numeric, listwise)

__all__ = ["Design", "check_inputs", "build_design", "term_fields", "levels_of", "level_label", "zscore", "warn_few",
           "vif", "fit_ols"]


@dataclass
class Design:
    """Listwise-complete outcome and design of one regression."""

    y: pd.Series
    X: pd.DataFrame  # one column per term, no constant
    base: dict  # term -> variable id
    labels: dict  # term -> label
    used: pd.DataFrame
    missing: str


@fill_doc
def check_inputs(data, outcome, predictors, categorical, *, outcome_numeric=True):
    """Check the frame and the column arguments of a regression; return (predictors, categorical) as lists.

    Parameters
    ----------
    {params.data}
    outcome : str
        Outcome variable id, a column of ``data``.
    {params.predictors}
    {params.categorical}
    outcome_numeric : bool
        Whether the outcome must be numeric (False for an ordered categorical).

    Returns
    -------
    tuple of (list of str, list of str)
        The predictors and the categorical predictors.

    Raises
    ------
    TypeError, ValueError, UnknownVariableError
        Naming the argument and the column at fault.
    """
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


def levels_of(series: pd.Series) -> list:
    """Levels present in ``series``: categorical order, else sorted.

    Parameters
    ----------
    series : Series
        A variable's values (missing values are ignored).

    Returns
    -------
    list
    """
    if isinstance(series.dtype, pd.CategoricalDtype):
        present = set(series.dropna())
        return [c for c in series.cat.categories if c in present]
    return sorted(series.dropna().unique(), key=lambda v: (str(type(v)), v))


def level_label(var: str, value) -> str:
    """Label of one level of variable ``var``: the catalogue's, else the value as text.

    Parameters
    ----------
    var : str
        Variable id.
    value : object
        A level (a code such as ``3`` or a text).

    Returns
    -------
    str
    """
    entry = catalogue_variable(var)
    return entry.level_label(value) if entry is not None else level_text(value)


@fill_doc
def build_design(data, outcome, preds, cats, *, fn: str) -> Design:
    """Listwise-complete sample and design matrix (dummies for ``cats``), labels and blocks of the terms.

    Parameters
    ----------
    {params.data}
    outcome : str
        Outcome variable id, a column of ``data`` (numeric, or an ordered
        categorical for the ordinal logit).
    preds, cats : list of str
        Predictors and the categorical ones among them, as :func:`check_inputs` returns them.
    fn : str
        Name of the calling function, for the error message.

    Returns
    -------
    Design
    """
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
            lev = levels_of(used[p])
            for v in lev[1:]:
                term = f"{p}[{level_text(v)}]"
                X[term] = (used[p] == v).astype(float)
                base[term] = p
                labels[term] = f"{catalogue_label(p, data)}: {level_label(p, v)} (vs {level_label(p, lev[0])})"
        else:
            X[p] = used[p].astype(float)
            base[p] = p
            labels[p] = catalogue_label(p, data)  # a user's column: its label travels in data.attrs
    keep_cols = cols + (["country"] if "country" in data.columns and "country" not in cols else [])
    return Design(y=used[outcome], X=X, base=base, labels=labels, used=used[keep_cols].copy(), missing=text)


def zscore(df: pd.DataFrame) -> pd.DataFrame:
    """Columns centred and divided by their standard deviation (ddof 1).

    Parameters
    ----------
    df : DataFrame
        Numeric columns.

    Returns
    -------
    DataFrame
    """
    return (df - df.mean()) / df.std(ddof=1)


def warn_few(n: int, k: int, fn: str, outcome: str) -> None:
    """Warn (for the caller of ``fn``) when there are fewer than 10 countries per predictor term.

    Parameters
    ----------
    n, k : int
        Countries and predictor terms of the model.
    fn : str
        The model function, named in the message.
    outcome : str
        The outcome, named in the message.

    Warns
    -----
    FewObservationsWarning
    """
    if k > 0 and n / k < 10:
        warnings.warn(
            f"{fn} of {outcome}: {n} countries for {k} predictor terms ({n / k:.1f} per predictor; fewer than 10): "
            "estimates are unstable and tests have little power",
            FewObservationsWarning, stacklevel=3,
        )


def vif(X: pd.DataFrame) -> dict:
    """Variance inflation factor of each column of ``X`` (as ``car::vif``; 1 with a single predictor).

    Parameters
    ----------
    X : DataFrame
        The predictor terms, without the constant.

    Returns
    -------
    dict
        Column -> VIF.
    """
    if X.shape[1] < 2:
        return {c: 1.0 for c in X.columns}
    Xc = sm.add_constant(X, has_constant="add").to_numpy()
    return {c: float(variance_inflation_factor(Xc, i + 1)) for i, c in enumerate(X.columns)}


def term_fields(design: Design, term: str) -> dict:
    """``term, label, block, kind`` of one coefficient of a model on ``design`` (``const`` is the intercept).

    Parameters
    ----------
    design : Design
        From :func:`build_design`.
    term : str
        A coefficient's name: ``const``, a predictor or ``id[level]``.

    Returns
    -------
    dict
    """
    is_term = term in design.base
    return {"term": term, "label": design.labels.get(term, "Intercept" if term == "const" else term),
            "block": catalogue_block(design.base[term]) if is_term else "",
            "kind": "predictor" if is_term else "intercept"}


@fill_doc
def fit_ols(y, X, cov_type):
    """statsmodels OLS of ``y`` on ``X`` plus a constant; robust ``cov_type`` with t-based inference.

    Parameters
    ----------
    y : Series
        The outcome.
    X : DataFrame
        The predictor terms, without the constant.
    {params.cov_type}

    Returns
    -------
    statsmodels RegressionResults
    """
    model = sm.OLS(y.astype(float), sm.add_constant(X, has_constant="add"))
    if cov_type == "nonrobust":
        return model.fit()
    return model.fit(cov_type=cov_type, use_t=True)
