"""Hierarchical regression: how much each block adds to R²."""
from __future__ import annotations

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from ._common import block_title, fmt_p, get_ax, n_text, points, require_columns, wrap, wrap_width
from .style import NEUTRAL

__all__ = ["plot_hierarchy"]

REQUIRED = ("step", "block", "r2", "delta_r2", "p_value")


def _r2(x: float) -> str:
    return f"{x:.2f}".replace("0.", ".", 1) if abs(x) < 1 else f"{x:.2f}"


def _n_added(v) -> int | None:
    if isinstance(v, str):
        return len([s for s in v.replace(";", ",").split(",") if s.strip()])
    if isinstance(v, (list, tuple, np.ndarray, pd.Series)):
        return len(v)
    return None


def plot_hierarchy(steps: pd.DataFrame, *, ax: Axes | None = None, alpha: float = 0.05) -> Axes:
    """Waterfall of R² over the steps of a hierarchical regression.

    Parameters
    ----------
    steps : DataFrame
        One row per step: ``step``, ``block``, ``added`` (variables added),
        ``n``, ``r2``, ``adj_r2``, ``delta_r2``, ``f_change``, ``df1``,
        ``df2``, ``p_value`` (of the F change).
    ax : Axes, optional
        Where to draw; a new figure in the active style otherwise.
    alpha : float
        Steps whose F change has ``p_value < alpha`` get the full colour,
        the others a pale one.

    Returns
    -------
    Axes
        One bar per step (``ax.patches``, in step order) from the previous
        step's R² up to this step's, so bar heights are the ΔR² and bar tops
        the cumulative R²; above each bar the cumulative R², ΔR² and p value.

    Examples
    --------
    >>> ax = cc.plot_hierarchy(cc.hierarchical(panel, outcome, blocks).steps)  # doctest: +SKIP
    """
    require_columns(steps, REQUIRED, "steps")
    if steps.empty:
        raise ValueError("steps has no rows; nothing to plot")
    s = steps.sort_values("step", kind="stable").reset_index(drop=True)
    r2 = pd.to_numeric(s["r2"], errors="coerce").to_numpy(float)
    d = pd.to_numeric(s["delta_r2"], errors="coerce").to_numpy(float)
    p = pd.to_numeric(s["p_value"], errors="coerce").to_numpy(float)
    bottom = r2 - d

    ax = get_ax(ax)
    k = len(s)
    x = np.arange(k, dtype=float)
    sig = np.isfinite(p) & (p < alpha)
    colours = [NEUTRAL["band"] if ok else NEUTRAL["pale"] for ok in sig]
    bars = ax.bar(x, d, bottom=bottom, width=0.6, color=colours, edgecolor=NEUTRAL["ink"],
                  linewidth=mpl.rcParams["axes.linewidth"] * 0.8, zorder=2)
    for b in bars:
        b.set_gid("delta-r2")
    lw = max(0.8, mpl.rcParams["lines.linewidth"] * 0.45)
    for i in range(k - 1):  # connectors at the cumulative R²
        ax.plot([x[i] + 0.3, x[i + 1] - 0.3], [r2[i], r2[i]], color=NEUTRAL["mid"], lw=lw, ls=(0, (3, 2)),
                zorder=1, gid="connector")
    size = points("font.size") * 0.85
    for i in range(k):
        lines = [f"R\u00b2 = {_r2(r2[i])}", f"\u0394R\u00b2 = {'+' if d[i] >= 0 else ''}{_r2(d[i])}",
                 fmt_p(p[i])]
        ax.annotate("\n".join(lines), xy=(x[i], max(r2[i], bottom[i])), xytext=(0, size * 0.4),
                    textcoords="offset points", ha="center", va="bottom", fontsize=size, color=NEUTRAL["ink"],
                    linespacing=1.15, gid="step-label")

    fig = ax.figure
    width = wrap_width(0.9 * fig.get_figwidth() * ax.get_position().width / k, points("xtick.labelsize"))
    ticks = []
    for i, row in s.iterrows():
        t = wrap(block_title(row["block"]), width)
        m = _n_added(row["added"]) if "added" in s.columns else None
        if m:
            t += f"\n(+{m} variable{'s' if m != 1 else ''})"
        ticks.append(t)
    ax.set_xticks(x)
    ax.set_xticklabels(ticks)
    ax.set_xlim(-0.6, k - 0.4)
    top = np.nanmax(np.concatenate([r2, bottom]))
    # Room for the three-line labels above the tallest bar.
    ax.set_ylim(0, min(1.0, top) * 1.0 + max(0.12, 0.42 * (min(1.0, top) + 0.05)))
    ax.set_ylabel("R\u00b2 (cumulative)")
    nt = n_text(s["n"]) if "n" in s.columns else None
    ax.set_xlabel("Blocks in order of entry" + (f" ({nt})" if nt else ""))
    ax.grid(axis="y", visible=True)
    return ax
