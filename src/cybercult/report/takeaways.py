"""One-sentence readings of figures, computed from the results they draw.

Each function returns a sentence for a slide's takeaway or a report caption,
built from the numbers (never a template that reads the same whatever the data).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from .._docstrings import fill_doc
from ..data.catalogue import label as _label

__all__ = ["map_reading", "performers_reading", "hierarchy_reading", "cultural_map_reading", "groups_reading",
           "scatter_reading"]


def _p(p: float) -> str:
    if not np.isfinite(p):
        return "p = n/a"
    if p < 0.001:
        return "p < .001"
    return f"p = {p:.3f}".replace("0.", ".", 1) if p < 0.01 else f"p = {p:.2f}".replace("0.", ".", 1)


def _r(x: float) -> str:
    return f"{x:.2f}".replace("-", "\u2212")


def _names(data: pd.DataFrame | None, codes) -> list[str]:
    if data is not None and "country" in data.columns:
        return [str(data.loc[c, "country"]) if c in data.index else str(c) for c in codes]
    return [str(c) for c in codes]


@fill_doc
def map_reading(values: pd.Series, *, data: pd.DataFrame | None = None) -> str:
    """Range, median and extremes of a mapped outcome: "Across 67 countries, ... ranges from ..."."

    Parameters
    ----------
    values : Series
        The mapped values, ISO3 index, named by variable id (the label comes from the catalogue).
    data : DataFrame, optional
        Panel data with a ``country`` column, for country names instead of ISO3 codes.

    Returns
    -------
    str
        One sentence: how many countries, the lowest and the highest value with their countries, and the
        median.

    Examples
    --------
    >>> import cybercult as cc
    >>> data = cc.build_panel(sample="study81").data
    >>> print(map_reading(data["gci2020.score"], data=data))  # doctest: +ELLIPSIS
    Across 81 countries, ... ranges from ... to 100.0 (United States); the median is ...
    """
    v = pd.to_numeric(values, errors="coerce").dropna()
    if v.empty:
        raise ValueError("values has no number to describe")
    lo, hi = v.idxmin(), v.idxmax()
    lab = _label(str(values.name)) if values.name is not None else "The value"
    (lo_n, hi_n) = _names(data, [lo, hi])
    return (f"Across {len(v)} countries, {lab} ranges from {v.min():.1f} ({lo_n}) to {v.max():.1f} ({hi_n}); "
            f"the median is {v.median():.1f}.")


@fill_doc
def performers_reading(perf: pd.DataFrame, *, alpha: float | None = None) -> str:
    """How many countries lie outside their prediction interval, and which.

    Parameters
    ----------
    perf : DataFrame
        A :func:`cybercult.performers` table (``country``, ``residual``, ``status``).
    alpha : float, optional
        Level of the prediction interval (``1 - alpha``), named in the sentence when given.

    Returns
    -------
    str
        One sentence: how many countries score above (and below) their prediction interval, naming up to
        four of each.

    Examples
    --------
    >>> import pandas as pd
    >>> perf = pd.DataFrame({"country": ["Estonia", "Chad"], "residual": [12.0, -1.0],
    ...                      "status": ["over-performer", "as expected"]})
    >>> performers_reading(perf, alpha=0.05)
    'Of 2 countries, 1 score above their 95% prediction interval (Estonia); the others score as the model expects.'
    """
    over = perf[perf["status"] == "over-performer"]
    under = perf[perf["status"] == "under-performer"]
    lvl = f"{round(100 * (1 - alpha))}% " if alpha else ""
    if over.empty and under.empty:
        return f"All {len(perf)} countries score within their {lvl}prediction interval."
    parts = []
    if len(over):
        parts.append(f"{len(over)} score above their {lvl}prediction interval "
                     f"({', '.join(over.sort_values('residual', ascending=False)['country'].head(4))})")
    if len(under):
        parts.append(f"{len(under)} below it ({', '.join(under.sort_values('residual')['country'].head(4))})"
                     if len(over) else f"{len(under)} score below their {lvl}prediction interval "
                     f"({', '.join(under.sort_values('residual')['country'].head(4))})")
    return f"Of {len(perf)} countries, " + " and ".join(parts) + "; the others score as the model expects."


@fill_doc
def hierarchy_reading(steps: pd.DataFrame, *, alpha: float = 0.05) -> str:
    """What the last block adds and whether the robust and classical tests agree.

    Parameters
    ----------
    steps : DataFrame
        The steps of :func:`cybercult.hierarchical` (``step, block, r2, delta_r2,
        p_value`` and optionally ``p_value_robust``).
    {params.alpha}

    Returns
    -------
    str
        One sentence: the R-squared of the first block alone, the change in R-squared of the last block and
        its p-value(s).
    """
    s = steps.sort_values("step")
    last = s.iloc[-1]
    first = s.iloc[0]
    text = (f"{str(first['block']).capitalize()} alone explains R\u00b2 = {first['r2']:.2f}; "
            f"{last['block']} entered last adds \u0394R\u00b2 = {last['delta_r2']:.2f}")
    p_f = float(last["p_value"])
    p_r = float(last["p_value_robust"]) if "p_value_robust" in s.columns else np.nan
    if np.isfinite(p_r):
        agree = (p_f < alpha) == (p_r < alpha)
        text += (f" (robust {_p(p_r)}, F-change {_p(p_f)}" + ("" if agree else "; the two tests disagree") + ").")
    else:
        text += f" ({_p(p_f)})."
    return text


@fill_doc
def cultural_map_reading(data: pd.DataFrame, outcome: str, *, x: str = "wvs.surv_selfexp",
                         y: str = "wvs.trad_secular") -> str:
    """Pearson correlation of the outcome with each cultural-map axis.

    Parameters
    ----------
    {params.data}
    {params.outcome}
    x, y : str
        Variable ids of the two axes of the Inglehart-Welzel map (WVS survival /
        self-expression and traditional / secular values).

    Returns
    -------
    str
        One sentence: the number of countries and the correlation (r, p) of the outcome with each axis.

    Raises
    ------
    ValueError
        When fewer than 3 countries have all three values.
    """
    d = data[[x, y, outcome]].apply(pd.to_numeric, errors="coerce").dropna()
    if len(d) < 3:
        raise ValueError(f"fewer than 3 countries have {x}, {y} and {outcome}")
    rx, px = stats.pearsonr(d[x], d[outcome])
    ry, py = stats.pearsonr(d[y], d[outcome])
    return (f"On {len(d)} countries, {_label(outcome)} correlates r = {_r(rx)} ({_p(px)}) with "
            f"{_label(x).lower()} and r = {_r(ry)} ({_p(py)}) with {_label(y).lower()}.")


def groups_reading(result, *, test: str = "kruskal") -> str:
    """Group medians and the omnibus test of a :func:`~cybercult.stats.compare_groups` result.

    Parameters
    ----------
    result : GroupComparison
        What :func:`cybercult.compare_groups` returns (``omnibus``, ``describe``, ``outcome``).
    test : {"kruskal", "anova", "welch_anova"}
        Which omnibus test to report.

    Returns
    -------
    str
        One sentence: the groups with the highest and the lowest median (with n) and the omnibus p-value.
    """
    om = result.omnibus
    row = om[om["test"] == test].iloc[0]
    desc = result.describe
    hi = desc.loc[desc["median"].idxmax()]
    lo = desc.loc[desc["median"].idxmin()]
    name = {"kruskal": "Kruskal-Wallis", "anova": "ANOVA", "welch_anova": "Welch ANOVA"}.get(test, test)
    return (f"Median {_label(result.outcome)} is highest among {hi['label']} countries ({hi['median']:.1f}, "
            f"n = {int(hi['n'])}) and lowest among {lo['label']} ({lo['median']:.1f}, n = {int(lo['n'])}); "
            f"{name} {_p(float(row['p_value']))}.")


@fill_doc
def scatter_reading(data: pd.DataFrame, x: str, y: str) -> str:
    """Pearson r between two variables with its p-value and n.

    Parameters
    ----------
    {params.data}
    x, y : str
        Variable ids (columns of ``data``); rows missing either are left out.

    Returns
    -------
    str
        One sentence: the direction of the association, r, its p-value and n.

    Examples
    --------
    >>> import cybercult as cc
    >>> data = cc.build_panel(sample="study81").data
    >>> print(scatter_reading(data, "hofstede_insights.idv", "gci2020.score"))  # doctest: +NORMALIZE_WHITESPACE
    Countries with higher individualism (hofstede insights) tend to have higher
    Global Cybersecurity Index 2020 (r = 0.49, p < .001, n = 81).
    """
    d = data[[x, y]].apply(pd.to_numeric, errors="coerce").dropna()
    r, p = stats.pearsonr(d[x], d[y])
    direction = "higher" if r > 0 else "lower"
    return (f"Countries with higher {_label(x).lower()} tend to have {direction} {_label(y)} "
            f"(r = {_r(r)}, {_p(p)}, n = {len(d)}).")
