"""The one builder of model coefficient tables (OLS, MICE, fractional and ordinal logit, calibration).

Every model computes its numbers its own way and hands one dict per row to
:func:`coef_table`, which fills the columns a row does not have, adjusts the
predictors' p-values and puts the columns in the order of :data:`MODEL_COLUMNS`.
Each row carries a ``kind``: ``"intercept"``, ``"predictor"`` or ``"cut point"``
(an ordinal model's thresholds); only predictors are adjusted and judged.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ._validate import padjust as _padjust
from .results import TABLE_COLUMNS

__all__ = ["KINDS", "MODEL_COLUMNS", "coef_table"]

#: What a row of a model table is.
KINDS = ("intercept", "predictor", "cut point")
#: Columns of every model table: :data:`~cybercult.stats.results.TABLE_COLUMNS` with ``kind`` after ``block``.
MODEL_COLUMNS = [*TABLE_COLUMNS[:TABLE_COLUMNS.index("block") + 1], "kind",
                 *TABLE_COLUMNS[TABLE_COLUMNS.index("block") + 1:]]
_OPTIONAL = ("beta", "beta_ci_low", "beta_ci_high", "vif")


def coef_table(rows: list[dict], *, padjust: str | None, n: int, method: str,
               extra: dict | None = None) -> pd.DataFrame:
    """A model table from one dict per row.

    Parameters
    ----------
    rows : list of dict
        Keys ``term, label, block, kind, estimate, std_error, statistic, df,
        p_value, ci_low, ci_high`` and optionally ``beta, beta_ci_low,
        beta_ci_high, vif`` (NaN when absent) and further columns (kept after
        the standard ones, e.g. ``fmi``).
    padjust : {"fdr_bh", "holm", "bonferroni", "none"} or None
        Correction of the predictors' p-values into ``p_adj`` (intercepts and
        cut points get NaN); ``None`` leaves ``p_adj`` NaN.
    n : int
        Countries used.
    method : str
        The ``method`` column.
    extra : dict, optional
        Constant columns added after the standard ones.

    Returns
    -------
    DataFrame
        Columns :data:`MODEL_COLUMNS` then the extra ones.
    """
    tab = pd.DataFrame(rows)
    bad = sorted(set(tab["kind"]) - set(KINDS))
    if bad:
        raise ValueError(f"row kind(s) {bad} not in {KINDS}")
    for c in _OPTIONAL:
        if c not in tab.columns:
            tab[c] = np.nan
    if padjust is None:
        tab["p_adj"] = np.nan
    else:
        is_pred = (tab["kind"] == "predictor").to_numpy()
        tab["p_adj"] = _padjust(np.where(is_pred, tab["p_value"].to_numpy(dtype=float), np.nan), padjust)
    tab["n"] = int(n)
    tab["method"] = method
    for k, v in (extra or {}).items():
        tab[k] = v
    more = [c for c in tab.columns if c not in MODEL_COLUMNS]
    return tab[MODEL_COLUMNS + more]
