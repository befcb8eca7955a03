"""Countries that do better or worse than the model predicts."""
from __future__ import annotations

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from .._docstrings import fill_doc
from ._common import get_ax, points, require_columns, rows_figsize, set_axis_labels, var_label
from .style import NEUTRAL, STATUS_PALETTE

__all__ = ["plot_performers", "select_performers"]

REQUIRED = ("iso3", "country", "observed", "predicted", "pi_low", "pi_high", "residual", "status")
STATUSES = ("over-performer", "under-performer", "as expected")


@fill_doc
def select_performers(perf: pd.DataFrame, top: int = 10) -> pd.DataFrame:
    """The rows :func:`plot_performers` shows, top to bottom.

    Up to ``top`` over-performers (largest residual first), then up to
    ``top`` under-performers (most negative residual last).

    Parameters
    ----------
    perf : DataFrame
        The performers table (see :func:`plot_performers`).
    {figure.top}

    Returns
    -------
    DataFrame
        The selected rows of ``perf``, in display order.

    Examples
    --------
    The two countries farthest below their prediction interval:

    >>> import cybercult as cc
    >>> from cybercult.plot.performers import select_performers
    >>> panel = cc.build_panel(sample="study81")
    >>> x = ["wdi.log_gdppc_ppp", "eiu.democracy", "hofstede_insights.idv"]
    >>> perf = cc.performers(cc.regress(panel.data, "gci2020.score", x))
    >>> select_performers(perf, top=2)["country"].tolist()  # the most negative residual last
    ['Iraq', 'El Salvador']
    """
    require_columns(perf, REQUIRED, "perf")
    if top < 1:
        raise ValueError(f"top must be at least 1, not {top}")
    bad = sorted(set(perf["status"].astype(str)) - set(STATUSES))
    if bad:
        raise ValueError(f"perf: unknown status(es) {bad} in column 'status'; valid: {list(STATUSES)}")
    res = pd.to_numeric(perf["residual"], errors="coerce")
    # assign only the matching residuals: assigning a full Series to an empty frame would
    # give the frame that Series' index (rows of NaN) when one status has no country
    is_over, is_under = perf["status"] == "over-performer", perf["status"] == "under-performer"
    over = perf[is_over].assign(_r=res[is_over]).sort_values("_r", ascending=False, kind="stable")
    under = perf[is_under].assign(_r=res[is_under]).sort_values("_r", ascending=True, kind="stable")
    under = under.head(top).iloc[::-1]
    return pd.concat([over.head(top), under]).drop(columns="_r")


@fill_doc
def plot_performers(
    perf: pd.DataFrame,
    *,
    ax: Axes | None = None,
    top: int = 10,
    outcome: str | None = None,
    legend: bool = True,
    min_rows: int = 6,
    alpha: float | None = None,
) -> Axes:
    """Over- and under-performing countries: observed score against the prediction interval.

    Parameters
    ----------
    perf : DataFrame
        One row per country: ``iso3``, ``country``, ``observed``,
        ``predicted``, ``pi_low``, ``pi_high`` (prediction interval),
        ``residual``, ``std_residual``, ``status`` (``"over-performer"``,
        ``"under-performer"`` or ``"as expected"``).
    {params.ax}
    {figure.top}
    outcome : str, optional
        Variable id of the outcome, for the axis label (defaults to
        ``perf.attrs["outcome"]``).
    legend : bool
        Show the legend above the rows.
    min_rows : int
        When fewer countries than this fall outside their interval, the
        countries closest to doing so (largest absolute standardized
        residual, status "as expected") are added below a line, in grey, so
        the few performers are seen against the others (gid ``"as expected"``).
    alpha : float, optional
        Level of the prediction interval (1 - alpha) for the legend; default
        ``perf.attrs["alpha"]`` when present, else the legend gives no level.

    Returns
    -------
    {returns.ax}
        One y tick per country shown (see :func:`select_performers`),
        labelled with its name; the prediction interval is an errorbar
        around the predicted value, the observed value a point in the
        status colour (:data:`~cybercult.plot.STATUS_PALETTE`).

    See Also
    --------
    cybercult.performers : The table drawn here.
    select_performers : Which rows are shown.
    plot_map : The statuses on a world map.

    Examples
    --------
    Five countries fall below their prediction interval; with ``top=3`` the
    three lowest are shown and three more countries, the closest to their
    interval's end, fill the ``min_rows``:

    >>> import matplotlib.pyplot as plt
    >>> import cybercult as cc
    >>> panel = cc.build_panel(sample="study81")
    >>> x = ["wdi.log_gdppc_ppp", "eiu.democracy", "hofstede_insights.idv"]
    >>> perf = cc.performers(cc.regress(panel.data, "gci2020.score", x))
    >>> perf["status"].value_counts().to_dict()
    {'as expected': 75, 'under-performer': 5}
    >>> ax = cc.plot_performers(perf, top=3)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['Bolivia', 'Iraq', 'El Salvador', 'Algeria', 'Tanzania', 'Argentina']
    >>> plt.close("all")
    """
    rows = select_performers(perf, top)
    n_flagged = len(rows)
    if n_flagged < min_rows:
        rest = perf[perf["status"] == "as expected"]
        key = pd.to_numeric(rest["std_residual"] if "std_residual" in rest.columns else rest["residual"],
                            errors="coerce").abs()
        extra = rest.assign(_k=key).sort_values("_k", ascending=False, kind="stable").head(min_rows - n_flagged)
        rows = pd.concat([rows, extra.drop(columns="_k")])
    outcome = outcome or perf.attrs.get("outcome")
    alpha = alpha if alpha is not None else perf.attrs.get("alpha")
    ax = get_ax(ax, figsize=rows_figsize(max(len(rows), 4), row_in_font=2.0, overhead_in=1.7) if ax is None else None)
    if rows.empty:
        ax.text(0.5, 0.5, "No country outside its prediction interval", transform=ax.transAxes,
                ha="center", va="center", color=NEUTRAL["mid"])
        ax.set_yticks([])
        return ax
    y = np.arange(len(rows), dtype=float)
    obs = pd.to_numeric(rows["observed"], errors="coerce").to_numpy(float)
    pred = pd.to_numeric(rows["predicted"], errors="coerce").to_numpy(float)
    lo = pd.to_numeric(rows["pi_low"], errors="coerce").to_numpy(float)
    hi = pd.to_numeric(rows["pi_high"], errors="coerce").to_numpy(float)
    lw = mpl.rcParams["lines.linewidth"]
    ms = mpl.rcParams["lines.markersize"]

    ax.errorbar(pred, y, xerr=np.vstack([pred - lo, hi - pred]), fmt="o", color=NEUTRAL["mid"],
                ecolor=NEUTRAL["light"], elinewidth=lw * 1.6, markerfacecolor="white",
                markeredgecolor=NEUTRAL["mid"], markeredgewidth=max(0.8, lw * 0.5), markersize=ms * 0.9,
                capsize=0, linestyle="none", zorder=2,
                label=f"Predicted, {round(100 * (1 - alpha))}% prediction interval" if alpha
                else "Predicted, prediction interval")
    status = rows["status"].astype(str).to_numpy()
    for st in ("over-performer", "under-performer"):
        m = status == st
        if not m.any():
            continue
        c = STATUS_PALETTE[st]
        # the distance outside the interval (from its nearer end to the observed score), so the
        # segment never hides the interval itself
        for yi, a, b, l0, h0 in zip(y[m], pred[m], obs[m], lo[m], hi[m]):
            edge = h0 if b > h0 else l0 if b < l0 else b
            ax.plot([edge, b], [yi, yi], color=c, lw=max(0.8, lw * 0.6), zorder=2, gid="shift")
        ax.scatter(obs[m], y[m], s=(ms * 1.1) ** 2, color=c, edgecolors="white", linewidths=max(0.4, ms * 0.08),
                   zorder=3, label=f"Observed: {st}", gid=st)
    m = status == "as expected"
    if m.any():
        ax.scatter(obs[m], y[m], s=(ms * 0.9) ** 2, color=NEUTRAL["ink"], edgecolors="white",
                   linewidths=max(0.4, ms * 0.08), zorder=3, label="Observed: within its interval",
                   gid="as expected")
        if n_flagged:
            ax.axhline(n_flagged - 0.5, color=NEUTRAL["ink"], lw=mpl.rcParams["axes.linewidth"], zorder=0,
                       ls=(0, (4, 3)), gid="context-separator")
    ax.set_yticks(y)
    ax.set_yticklabels(rows["country"].astype(str).tolist())
    ax.set_ylim(len(rows) - 0.4, -0.6)
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    ax.grid(axis="y", visible=True, zorder=0)
    n_over = int((status == "over-performer").sum())
    if 0 < n_over < n_flagged:
        ax.axhline(n_over - 0.5, color=NEUTRAL["mid"], lw=mpl.rcParams["axes.linewidth"] * 0.7, zorder=0,
                   gid="group-separator")
    set_axis_labels(ax, var_label(outcome, unit=True) if outcome else "Observed and predicted outcome")
    if legend:
        handles, labels = ax.get_legend_handles_labels()
        # One row when it fits the width of the plot, else one entry per line.
        size = points("legend.fontsize")
        widths = [len(t) * 0.5 * size + 2.6 * size for t in labels]
        avail = ax.figure.get_figwidth() * 72 * ax.get_position().width * 0.85
        ncol = next((k for k in range(len(widths), 1, -1)
                     if sum(max(widths[i::k]) for i in range(k)) <= avail), 1)
        ax.legend(handles, labels, loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=ncol, frameon=False,
                  borderaxespad=0.3, handlelength=1.2)
    return ax
