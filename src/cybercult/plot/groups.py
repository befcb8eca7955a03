"""Commitment by group (e.g. regime type): box plots with the countries as points."""
from __future__ import annotations

from collections.abc import Sequence

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from .._deprecation import renamed_argument
from .._docstrings import fill_doc
from ..data.catalogue import get_variable
from ..errors import UnknownVariableError
from ._common import (fmt_p, get_ax, require_data, set_axis_labels, uses_data_labels, var_label, wrap, wrap_width)
from ._common import points as font_points  # the name `points` is an argument here
from .style import NEUTRAL

__all__ = ["plot_groups"]


def _code(v):
    """A group value as the catalogue's level code when it is a whole number."""
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)) and float(v).is_integer():
        return int(v)
    return v


@uses_data_labels
@fill_doc
def plot_groups(
    data: pd.DataFrame,
    outcome: str,
    group: str,
    *,
    ax: Axes | None = None,
    order: Sequence | None = None,
    points: bool = True,
    rng: int | np.random.Generator = 0,
    min_box: int = 8,
    omnibus: pd.DataFrame | None = None,
    test: str = "kruskal",
    seed: int | np.random.Generator | None = None,
) -> Axes:
    """Distribution of ``outcome`` in each group of ``group``: a box per group and the countries.

    Parameters
    ----------
    {params.data}
        It needs columns ``outcome`` and ``group``; rows missing either are
        left out.
    outcome, group : str
        Variable ids. When the catalogue gives ``group`` ordered levels
        (``eiu.regime``: 0 = Authoritarian ... 3 = Full democracy) the groups
        follow that order and carry the level names.
    {params.ax}
    order : sequence, optional
        Group codes (or values) in the order to show; groups not listed are
        left out.
    points : bool
        Draw each country as a jittered point over its box (outliers are then
        not drawn twice).
    rng : numpy.random.Generator or int
        Source of the horizontal jitter: a generator or a seed; the default
        (seed 0) gives identical builds.
    min_box : int
        Groups with fewer countries get no box (a box of five points
        pretends to quartiles it cannot estimate): their points and a
        median line (gid ``"group-median"``) are drawn instead.
    omnibus : DataFrame or GroupResult, optional
        The omnibus tests (``compare_groups(...).omnibus`` or the result
        itself); the row ``test`` is written above the plot with its
        statistic, df, p value and n.
    test : str
        Which omnibus row to show (``"kruskal"``, ``"anova"``, ``"welch_anova"``).
    seed : int or numpy.random.Generator, optional
        Deprecated name of ``rng`` (accepted for one release, with a
        ``DeprecationWarning``).

    Returns
    -------
    {returns.ax}
        One x tick per group, labelled ``"<level>\\n(n = k)"``; one box per
        group (``ax.patches``), the points in ``ax.collections``.

    See Also
    --------
    cybercult.compare_groups : The omnibus and pairwise tests written above the plot.
    plot_scatter : The outcome against a continuous factor.

    Examples
    --------
    The GCI 2020 score by regime type, with the Kruskal-Wallis test above:

    >>> import matplotlib.pyplot as plt
    >>> import cybercult as cc
    >>> panel = cc.build_panel(sample="study81")
    >>> tests = cc.compare_groups(panel.data, "gci2020.score", "eiu.regime")
    >>> ax = cc.plot_groups(panel.data, "gci2020.score", "eiu.regime", omnibus=tests)
    >>> [t.get_text().replace("\\n", " ") for t in ax.get_xticklabels()]
    ['Authoritarian (n = 13)', 'Hybrid regime (n = 15)', 'Flawed democracy (n = 33)', 'Full democracy (n = 20)']
    >>> [t.get_text() for t in ax.texts if t.get_gid() == "stats"]
    ['Kruskal-Wallis H(3) = 13.57, p = .004, n = 81']
    >>> plt.close("all")
    """
    require_data(data, outcome=outcome, group=group)
    d = pd.DataFrame({"y": pd.to_numeric(data[outcome], errors="coerce"), "g": data[group]})
    d = d[d["y"].notna() & d["g"].notna()]
    d["g"] = [_code(v) for v in d["g"]]
    if d.empty:
        raise ValueError(f"no country has both {outcome!r} and {group!r}")
    try:
        var = get_variable(group)
    except UnknownVariableError:
        var = None
    levels = dict(var.levels) if var is not None else {}
    present = list(dict.fromkeys(d["g"]))
    if order is not None:
        groups = [_code(v) for v in order]
        unknown = [g for g in groups if g not in present and g not in levels]
        if unknown:
            valid = list(levels) or sorted(present, key=str)
            raise ValueError(f"order has group(s) {unknown} not in column {group!r}; valid: {valid}")
    elif levels:
        groups = [c for c in levels if c in present] + sorted((g for g in present if g not in levels), key=str)
    else:
        groups = sorted(present, key=lambda v: (isinstance(v, str), v))
    values = [d.loc[d["g"] == g, "y"].to_numpy(float) for g in groups]

    rng = renamed_argument(rng, seed, old="seed", new="rng", fn="plot_groups", default=0)
    ax = get_ax(ax)
    pos = np.arange(len(groups), dtype=float)
    lw = mpl.rcParams["lines.linewidth"]
    boxed = [i for i, v in enumerate(values) if len(v) >= min_box]
    box = {"boxes": []} if not boxed else ax.boxplot(
        [values[i] for i in boxed], positions=pos[boxed], widths=0.55, patch_artist=True, showfliers=not points, whis=1.5,
        boxprops=dict(facecolor=NEUTRAL["pale"], edgecolor=NEUTRAL["ink"], linewidth=lw * 0.7),
        medianprops=dict(color=NEUTRAL["ink"], linewidth=lw * 1.2),
        whiskerprops=dict(color=NEUTRAL["ink"], linewidth=lw * 0.7),
        capprops=dict(color=NEUTRAL["ink"], linewidth=lw * 0.7),
        flierprops=dict(marker="o", markerfacecolor=NEUTRAL["ink"], markeredgecolor="none"),
        zorder=2,
    )
    for patch in box["boxes"]:
        patch.set_gid("group-box")
    for i, v in enumerate(values):
        if len(v) < min_box and len(v):
            ax.plot([pos[i] - 0.22, pos[i] + 0.22], [np.median(v)] * 2, color=NEUTRAL["ink"], lw=lw * 1.2,
                    zorder=4, gid="group-median", solid_capstyle="butt")
    small = [i for i, v in enumerate(values) if len(v) < min_box]
    if points:
        rng = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
        ms = mpl.rcParams["lines.markersize"]
        for p, v in zip(pos, values):
            jitter = rng.uniform(-0.17, 0.17, size=len(v))
            ax.scatter(p + jitter, v, s=(ms * 0.85) ** 2, color=NEUTRAL["band"], edgecolors=NEUTRAL["ink"],
                       linewidths=max(0.4, ms * 0.06), alpha=0.9, zorder=3, gid="group-points", clip_on=False)
    fig = ax.figure
    width = wrap_width(0.85 * fig.get_figwidth() * ax.get_position().width / max(len(groups), 1),
                       font_points("xtick.labelsize"))
    level_label = var.level_label if var is not None else str
    labels = [f"{wrap(level_label(g), width)}\n(n = {len(v)})" for g, v in zip(groups, values)]
    ax.set_xticks(pos)
    ax.set_xticklabels(labels)
    ax.set_xlim(-0.6, len(groups) - 0.4)
    set_axis_labels(ax, var_label(group), var_label(outcome, unit=True))
    ax.grid(axis="y", visible=True)
    from .scatter import _bounds, _clip_axis, _stats_line

    allv = np.concatenate([v for v in values if len(v)])
    _clip_axis(ax, _bounds(outcome, allv), allv)
    parts = []
    if omnibus is not None:
        om = getattr(omnibus, "omnibus", omnibus)
        if not isinstance(om, pd.DataFrame) or "test" not in om.columns:
            raise TypeError("omnibus must be compare_groups(...).omnibus (a DataFrame with a 'test' column) "
                            "or the GroupResult")
        row = om[om["test"] == test]
        if row.empty:
            raise ValueError(f"test={test!r} is not in omnibus; valid: {', '.join(map(str, om['test']))}")
        r = row.iloc[0]
        name = {"kruskal": "Kruskal-Wallis H", "anova": "ANOVA F", "welch_anova": "Welch F"}.get(test, test)
        df = f"{r['df']:.0f}" if pd.notna(r.get("df")) else ""
        if pd.notna(r.get("df2")):
            df += f", {r['df2']:.1f}" if test == "welch_anova" else f", {r['df2']:.0f}"
        parts.append(f"{name}({df}) = {r['statistic']:.2f}, {fmt_p(float(r['p_value']))}, n = {int(r['n'])}")
    if small and points:
        parts.append(f"no box for groups under {min_box} countries")
    if parts:
        _stats_line(ax, "; ".join(parts))
    return ax
