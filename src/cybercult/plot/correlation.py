"""Correlation heatmap with significance marks."""
from __future__ import annotations

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from .._format import STAR_LEVELS as _STAR_LEVELS
from .._docstrings import fill_doc
from .._format import stars
from ._common import n_text, fmt_signed, get_ax, points, require_columns, rows_figsize, var_label, wrap, wrap_width

__all__ = ["plot_correlation_heatmap", "significance_stars"]

_METHOD_LABELS = {"pearson": "Pearson r", "spearman": "Spearman \u03c1", "kendall": "Kendall \u03c4",
                  "partial": "Partial r", "shepherd": "Shepherd's \u03c0", "skipped": "Skipped r"}


def significance_stars(p: float, alpha: float = 0.05) -> str:
    """``*``, ``**`` or ``***`` for p below .05, .01, .001 (levels above ``alpha`` are not used).

    :func:`cybercult._format.stars` with the default levels.

    Parameters
    ----------
    p : float
        The p value; NaN gives no star.
    alpha : float
        Largest level that earns a star.

    Returns
    -------
    str
        The stars, ``""`` for none.

    Examples
    --------
    >>> from cybercult.plot.correlation import significance_stars
    >>> significance_stars(0.003), significance_stars(0.003, alpha=0.001), significance_stars(0.2)
    ('**', '', '')
    """
    return stars(p, _STAR_LEVELS, alpha=alpha)


def _matrix(corr: pd.DataFrame, value: str, sig: str | None):
    """Rows (x ids), columns (y ids), value and p matrices; mirrored for an all-pairs table."""
    xs = list(dict.fromkeys(corr["x"].astype(str)))
    ys = list(dict.fromkeys(corr["y"].astype(str)))
    square = bool(set(xs) & set(ys))
    if square:
        # All pairs among one set of variables: show the lower triangle.
        order = list(dict.fromkeys(xs + ys))
        idx = {v: i for i, v in enumerate(order)}
        full = np.full((len(order), len(order)), np.nan)
        pfull = np.full_like(full, np.nan)
        for x, y, r, p in zip(corr["x"].astype(str), corr["y"].astype(str), corr[value],
                              corr[sig] if sig else [np.nan] * len(corr)):
            i, j = idx[x], idx[y]
            if i == j:
                continue
            a, b = max(i, j), min(i, j)
            full[a, b], pfull[a, b] = float(r), float(p)
        keep_rows = [i for i in range(len(order)) if np.isfinite(full[i]).any()]
        keep_cols = [j for j in range(len(order)) if np.isfinite(full[:, j]).any()]
        return ([order[i] for i in keep_rows], [order[j] for j in keep_cols],
                full[np.ix_(keep_rows, keep_cols)], pfull[np.ix_(keep_rows, keep_cols)])
    m = np.full((len(xs), len(ys)), np.nan)
    pm = np.full_like(m, np.nan)
    ix, iy = {v: i for i, v in enumerate(xs)}, {v: j for j, v in enumerate(ys)}
    for x, y, r, p in zip(corr["x"].astype(str), corr["y"].astype(str), corr[value],
                          corr[sig] if sig else [np.nan] * len(corr)):
        m[ix[x], iy[y]], pm[ix[x], iy[y]] = float(r), float(p)
    return xs, ys, m, pm


@fill_doc
def plot_correlation_heatmap(
    corr: pd.DataFrame,
    *,
    ax: Axes | None = None,
    value: str = "r",
    sig: str | None = "p_adj",
    alpha: float = 0.05,
    annotate: bool = True,
    colorbar: bool = True,
    cmap: str = "RdBu_r",
) -> Axes:
    """Heatmap of correlations with the value and significance stars in each cell.

    Parameters
    ----------
    corr : DataFrame
        Tidy correlations, one row per pair: columns ``x``, ``y`` (variable
        ids), ``method``, ``n``, ``r``, ``ci_low``, ``ci_high``, ``p_value``,
        ``p_adj``. Rows of the heatmap are the ``x`` variables and columns
        the ``y`` variables; when ``x`` and ``y`` share variables (all pairs
        of one set) the lower triangle is shown.
    {params.ax}
    value : str
        Column holding the correlation.
    sig : str or None
        Column of p values for the stars (``"p_adj"``, adjusted for multiple
        tests, or ``"p_value"``); ``None`` for no stars.
    {params.alpha}
        It is the largest p value that earns a star; stars mark p < .05, .01
        and .001.
    annotate : bool
        Write the value (two decimals) and stars in each cell.
    colorbar : bool
        Add a colour bar (it takes space from ``ax``).
    cmap : str
        Diverging colour map, centred at 0 with limits -1 and 1; the default
        red-blue map stays readable with colour-vision deficiencies.

    Returns
    -------
    {returns.ax}
        ``ax.collections[0]`` is the mesh (its array holds the values, row
        by row from the top); ``ax.texts`` the cell annotations.

    See Also
    --------
    cybercult.correlate : The correlation table drawn here.
    plot_scatter : One pair, country by country.

    Examples
    --------
    Two culture dimensions against two cyber indices:

    >>> import matplotlib.pyplot as plt
    >>> import cybercult as cc
    >>> panel = cc.build_panel(sample="study81")
    >>> corr = cc.correlate(panel.data, ["hofstede_insights.pdi", "hofstede_insights.idv"],
    ...                     ["gci2020.score", "ncsi.score"])
    >>> ax = cc.plot_correlation_heatmap(corr)
    >>> [t.get_text() for t in ax.texts]  # row by row: value and stars
    ['−0.37***', '−0.38***', '0.49***', '0.47***']
    >>> plt.close("all")
    """
    need = ["x", "y", value] + ([sig] if sig else [])
    require_columns(corr, need, "corr")
    if corr.empty:
        raise ValueError("corr has no rows; nothing to plot")
    rows, cols, m, pm = _matrix(corr, value, sig)
    if ax is None:
        ax = get_ax(None, figsize=rows_figsize(len(rows), row_in_font=2.6, overhead_in=2.2))
    else:
        ax = get_ax(ax)
    fig = ax.figure

    masked = np.ma.masked_invalid(m)
    mesh = ax.pcolormesh(np.arange(len(cols) + 1), np.arange(len(rows) + 1), masked, cmap=cmap,
                         vmin=-1, vmax=1, edgecolors="white", linewidth=max(0.5, mpl.rcParams["lines.linewidth"] * 0.5))
    ax.set_xlim(0, len(cols))
    ax.set_ylim(len(rows), 0)
    ax.set_xticks(np.arange(len(cols)) + 0.5)
    ax.set_yticks(np.arange(len(rows)) + 0.5)
    size = points("ytick.labelsize")
    row_w = wrap_width(0.3 * fig.get_figwidth(), size)
    ax.set_yticklabels([wrap(var_label(v), row_w) for v in rows])
    col_labels = [var_label(v) for v in cols]
    col_in = 0.55 * fig.get_figwidth() / max(len(cols), 1)
    ax.set_xticklabels([wrap(t, wrap_width(col_in, size)) for t in col_labels])
    ax.tick_params(length=0)
    for side in ("left", "bottom", "top", "right"):
        ax.spines[side].set_visible(False)

    methods = corr["method"].dropna().astype(str).unique() if "method" in corr.columns else []
    what = _METHOD_LABELS.get(methods[0].lower(), methods[0]) if len(methods) == 1 else "Correlation"
    if colorbar:
        cb = fig.colorbar(mesh, ax=ax, fraction=0.05, pad=0.02, aspect=25)
        cb.set_label(what)
        cb.set_ticks([-1, -0.5, 0, 0.5, 1])
        cb.ax.set_yticklabels([fmt_signed(t, 1) for t in (-1, -0.5, 0, 0.5, 1)])
        cb.outline.set_visible(False)
        cb.ax.tick_params(length=0)
    legend_note: list[str] = []
    nt = n_text(corr["n"]) if "n" in corr.columns else None
    if sig and annotate:
        kind = "adjusted p" if sig == "p_adj" else "p"
        marks = [f"{'*' * (k + 1)} {kind} < {str(lvl).lstrip('0')}"
                 for k, lvl in enumerate(lvl for lvl in _STAR_LEVELS if lvl <= alpha + 1e-12)]
        if marks or nt:
            ax.set_xlabel("   ".join(marks) + (f"\n{nt}" if nt else ""), fontsize=points("legend.fontsize") * 0.9, color="#555555",
                          labelpad=mpl.rcParams["axes.labelpad"] * 1.5)

    # Lay the figure out once to measure: column labels that collide are turned
    # and the cell text is sized to the cells as drawn.
    renderer = fig.canvas.get_renderer()
    fig.draw_without_rendering()
    def collide() -> bool:
        boxes = [t.get_window_extent(renderer) for t in ax.get_xticklabels()]
        return any(a.x1 + 0.3 * size > b.x0 for a, b in zip(boxes, boxes[1:]))

    if collide():  # wrap to the columns as drawn, and if that is not enough, turn the labels
        col_pt = ax.get_window_extent(renderer).width * 72 / fig.dpi / max(len(cols), 1)
        ax.set_xticklabels([wrap(t, wrap_width(0.9 * col_pt / 72, size)) for t in col_labels])
        fig.draw_without_rendering()
        if collide():
            # turned labels stay on one line: a wrapped turned label runs into its neighbour
            ax.set_xticklabels(col_labels, rotation=40, ha="right", rotation_mode="anchor")
            fig.draw_without_rendering()
            tick_h = max(t.get_window_extent(renderer).height for t in ax.get_xticklabels())
            if tick_h > 0.3 * fig.bbox.height:
                # The turned labels would take a third of the figure (a slide): number the
                # variables instead, as correlation tables in papers do.
                number = {v: k + 1 for k, v in enumerate(dict.fromkeys(cols + rows))}
                ax.set_yticklabels([f"{wrap(var_label(v), row_w)} ({number[v]})" for v in rows])
                ax.set_xticklabels([f"({number[v]})" for v in cols], rotation=0, ha="center")
                only_cols = [v for v in cols if v not in rows]
                if only_cols:
                    legend_note.append("; ".join(f"({number[v]}) {var_label(v)}" for v in only_cols))
                fig.draw_without_rendering()
    # row labels wrapped over two lines need rows tall enough for two lines
    row_h_pt = ax.get_window_extent(renderer).height * 72 / fig.dpi / max(len(rows), 1)
    if row_h_pt < 2.3 * size and any("\n" in t.get_text() for t in ax.get_yticklabels()):
        ax.set_yticklabels([t.get_text().replace("\n", " ") for t in ax.get_yticklabels()])
        fig.draw_without_rendering()
    if legend_note:
        ax.set_xlabel("\n".join([*legend_note, ax.get_xlabel()]) if ax.get_xlabel() else "\n".join(legend_note))
    if annotate:
        bb = ax.get_window_extent(renderer)
        cell_h = bb.height * 72 / fig.dpi / max(len(rows), 1)
        cell_w = bb.width * 72 / fig.dpi / max(len(cols), 1)
        # Text such as "−0.62***" (8 characters) must fit its cell.
        fsize = max(5.0, min(points("font.size"), 0.5 * cell_h, 0.85 * cell_w / (8 * 0.6)))
        for i in range(len(rows)):
            for j in range(len(cols)):
                r = m[i, j]
                if not np.isfinite(r):
                    continue
                stars = significance_stars(pm[i, j], alpha) if sig else ""
                ax.text(j + 0.5, i + 0.5, fmt_signed(r) + stars, ha="center", va="center", fontsize=fsize,
                        color="white" if abs(r) >= 0.55 else "#222222", gid="cell-label")
    return ax
