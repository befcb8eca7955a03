"""Hierarchical regression: how much each block adds to R²."""
from __future__ import annotations

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from .._docstrings import fill_doc
from ._common import style_grows, var_label, block_title, fmt_p, get_ax, n_text, points, require_columns, wrap, wrap_width
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


@fill_doc
def plot_hierarchy(steps: pd.DataFrame, *, ax: Axes | None = None, alpha: float = 0.05, test: str = "robust",
                   outcome: str | None = None, legend: bool = True) -> Axes:
    """Waterfall of R² over the steps of a hierarchical regression.

    Parameters
    ----------
    steps : DataFrame
        One row per step: ``step``, ``block``, ``added`` (variables added),
        ``n``, ``r2``, ``adj_r2``, ``delta_r2``, ``f_change``, ``df1``,
        ``df2``, ``p_value`` (of the F change). With ``p_value_robust``
        (robust Wald test of the block, from :func:`~cybercult.stats.hierarchical`),
        both tests are written above each bar.
    {params.ax}
    {params.alpha}
        Steps whose test gives p < ``alpha`` get the full colour, the others
        a pale one (a legend says which test).
    test : {"robust", "classical"}
        Which test colours the bars: the heteroskedasticity-robust Wald test
        of the block (``p_value_robust``; the one that matches the models'
        robust standard errors) or the classical F change (``p_value``).
        Without a ``p_value_robust`` column the classical test is used.
    outcome : str, optional
        Outcome id, named in the y label (catalogue label).
    legend : bool
        Explain the two bar colours.

    Returns
    -------
    {returns.ax}
        One bar per step (``ax.patches``, in step order) from the previous
        step's R² up to this step's, so bar heights are the ΔR² and bar tops
        the cumulative R²; above each bar the cumulative R², ΔR² and p value.

    See Also
    --------
    cybercult.hierarchical : The steps drawn here.
    plot_drivers : Each factor's effect in the full model.

    Examples
    --------
    Three blocks entered in turn:

    >>> import matplotlib.pyplot as plt
    >>> import cybercult as cc
    >>> panel = cc.build_panel(sample="study81")
    >>> blocks = {"development": ["wdi.log_gdppc_ppp"], "politics": ["eiu.democracy"],
    ...           "culture": ["hofstede_insights.idv", "hofstede_insights.pdi"]}
    >>> steps = cc.hierarchical(panel.data, "gci2020.score", blocks).steps
    >>> ax = cc.plot_hierarchy(steps, outcome="gci2020.score")
    >>> [t.get_text().replace("\\n", " ") for t in ax.get_xticklabels()]
    ['Development (+1 variable)', 'Politics (+1 variable)', 'Culture (+2 variables)']
    >>> print(ax.texts[-1].get_text())  # above the last bar
    R² = .30
    ΔR² = +.03
    robust p = .12
    F-change p = .19
    >>> plt.close("all")
    """
    require_columns(steps, REQUIRED, "steps")
    if steps.empty:
        raise ValueError("steps has no rows; nothing to plot")
    s = steps.sort_values("step", kind="stable").reset_index(drop=True)
    r2 = pd.to_numeric(s["r2"], errors="coerce").to_numpy(float)
    d = pd.to_numeric(s["delta_r2"], errors="coerce").to_numpy(float)
    if test not in ("robust", "classical"):
        raise ValueError(f"test must be 'robust' or 'classical', not {test!r}")
    p_f = pd.to_numeric(s["p_value"], errors="coerce").to_numpy(float)
    has_robust = "p_value_robust" in s.columns and pd.to_numeric(s["p_value_robust"], errors="coerce").notna().any()
    p_rob = pd.to_numeric(s["p_value_robust"], errors="coerce").to_numpy(float) if has_robust else None
    use_robust = test == "robust" and has_robust
    p = p_rob if use_robust else p_f
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
    size = points("font.size") * (0.85 if style_grows() else 0.9)  # >= 18 pt on a slide
    for i in range(k):
        lines = [f"R\u00b2 = {_r2(r2[i])}", f"\u0394R\u00b2 = {'+' if d[i] >= 0 else ''}{_r2(d[i])}"]
        if has_robust:  # both tests, the one that colours the bar first
            both = [fmt_p(p_rob[i], prefix="robust p"), fmt_p(p_f[i], prefix="F-change p")]
            lines += both if use_robust else both[::-1]
        else:
            lines.append(fmt_p(p[i]))
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
    n_lines = 4 if has_robust else 3
    ax.set_ylim(0, min(1.0, top) * 1.0 + max(0.12, (0.14 * n_lines) * (min(1.0, top) + 0.05))
                + (0.12 * (min(1.0, top) + 0.05) if legend else 0))
    ax.set_ylabel("R\u00b2 (cumulative)" if not outcome else
                  wrap(f"R\u00b2 of {var_label(outcome)} (cumulative)",
                       wrap_width(0.8 * fig.get_figheight(), points("axes.labelsize"))))
    if legend:
        from matplotlib.patches import Patch

        which = "robust Wald test" if use_robust else "F change"
        lvl = f"{alpha:g}".lstrip("0")
        handles = [Patch(facecolor=NEUTRAL["band"], edgecolor=NEUTRAL["ink"], label=f"block adds ({which} p < {lvl})"),
                   Patch(facecolor=NEUTRAL["pale"], edgecolor=NEUTRAL["ink"], label=f"not shown to add (p \u2265 {lvl})")]
        ax.legend(handles=handles, loc="upper left", frameon=False)
    nt = n_text(s["n"]) if "n" in s.columns else None
    ax.set_xlabel("Blocks in order of entry" + (f" ({nt})" if nt else ""))
    ax.grid(axis="y", visible=True)
    return ax
