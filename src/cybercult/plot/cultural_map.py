"""The Inglehart-Welzel cultural map, countries coloured by an outcome."""
from __future__ import annotations

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import Normalize

from .._docstrings import fill_doc
from ._common import (get_ax, iso3_of, points, require_column, require_data, set_axis_labels, style_grows,
                      uses_data_labels, var_label, wrap, wrap_width)
from .scatter import _choose, _label_points
from .style import NEUTRAL

__all__ = ["plot_cultural_map"]


@uses_data_labels
@fill_doc
def plot_cultural_map(
    data: pd.DataFrame,
    outcome: str,
    *,
    x: str = "wvs.surv_selfexp",
    y: str = "wvs.trad_secular",
    label: str | None = "country",
    max_labels: int | None | str = "auto",
    cmap: str = "viridis",
    vmin: float | None = None,
    vmax: float | None = None,
    adjust_iterations: int = 40,
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Countries on the Inglehart-Welzel cultural map, coloured by ``outcome``.

    Parameters
    ----------
    {params.data}
        It needs columns ``x``, ``y`` and ``outcome`` (ISO3 codes in a column
        ``iso3`` or the index); rows missing any of them are left out and
        counted in the note above the plot.
    outcome : str
        Variable id of the colour (e.g. ``"gci2020.score"``).
    x, y : str
        Map axes; default the bundled WVS/EVS cultural-map factor scores:
        survival vs self-expression values (x) and traditional vs
        secular-rational values (y), as in Inglehart and Welzel's figure.
    {figure.label}
    max_labels : int, None or "auto"
        Label only this many countries: those with the largest distance from
        the map's centre plus half the outcome's distance from its median
        (both in standard deviations); ``None`` labels all; ``"auto"``: 32 on
        a page, 20 on a 16:9 slide (18 pt names).
    cmap : str
        Sequential colour map of the outcome.
    {figure.vmin_vmax}
    {figure.adjust_iterations}
    {figure.title}
    {params.ax}

    Returns
    -------
    {returns.ax}
        ``ax.collections[0]`` (gid ``"points"``) holds the countries, its
        array the outcome values; labels are texts with gid ``"point-label"``.
        ``ax.cybercult_dropped`` lists the ISO3 codes left out for a missing
        value.

    See Also
    --------
    cybercult.build_panel : The panel with the map's scores (``wvs.*``).
    plot_map : The outcome on a world map.
    plot_scatter : The outcome against one factor.

    Notes
    -----
    Inglehart, R., & Welzel, C. (2005). *Modernization, Cultural Change, and
    Democracy*. Cambridge University Press. The bundled scores are the
    EVS/WVS 2023 cultural-map file (latest wave per country).

    Examples
    --------
    Countries on the Inglehart-Welzel map, coloured by their GCI 2020 score:

    >>> import matplotlib.pyplot as plt
    >>> import cybercult as cc
    >>> panel = cc.build_panel(sample="study81")
    >>> ax = cc.plot_cultural_map(panel.data, "gci2020.score", max_labels=6)
    >>> len(ax.collections[0].get_offsets()), ax.cybercult_dropped
    (78, ['ARE', 'PRY', 'SLV'])
    >>> sorted(t.get_text() for t in ax.texts if t.get_gid() == "point-label")
    ['Bolivia', 'Iraq', 'Libya', 'Norway', 'Sweden', 'Venezuela']
    >>> plt.close("all")
    """
    require_data(data, x=x, y=y, outcome=outcome)
    if label is not None:
        require_column(data, label, "label")
    d = data.copy()
    vals = {c: pd.to_numeric(d[c], errors="coerce") for c in (x, y, outcome)}
    ok = np.isfinite(vals[x]) & np.isfinite(vals[y]) & np.isfinite(vals[outcome])
    dropped = sorted(iso3_of(d)[~ok].tolist())
    d = d[ok]
    if len(d) < 3:
        raise ValueError(f"only {len(d)} countries have {x!r}, {y!r} and {outcome!r}; need at least 3")
    xv, yv, cv = (vals[c][ok].to_numpy(float) for c in (x, y, outcome))

    ax = get_ax(ax)
    fig = ax.figure
    ms = mpl.rcParams["lines.markersize"] * 1.15
    norm = Normalize(vmin=float(cv.min()) if vmin is None else vmin, vmax=float(cv.max()) if vmax is None else vmax)
    pts = ax.scatter(xv, yv, c=cv, cmap=cmap, norm=norm, s=ms ** 2, edgecolors=NEUTRAL["ink"],
                     linewidths=max(0.3, ms * 0.05), zorder=3, gid="points")
    ax.axhline(0, color=NEUTRAL["light"], lw=mpl.rcParams["axes.linewidth"] * 0.7, zorder=0)
    ax.axvline(0, color=NEUTRAL["light"], lw=mpl.rcParams["axes.linewidth"] * 0.7, zorder=0)
    cb = fig.colorbar(pts, ax=ax, fraction=0.04, pad=0.02, aspect=25)
    cb.set_label(wrap(var_label(outcome, unit=True), wrap_width(0.7 * fig.get_figheight(), points("axes.labelsize"))))
    cb.outline.set_visible(False)
    set_axis_labels(ax, var_label(x) + " \u2192", var_label(y) + " \u2192")
    if title:
        ax.set_title(title)
    note = f"n = {len(d)} countries"
    if dropped:
        note += f" ({len(dropped)} without scores not shown)"
    ax.annotate(note, xy=(1, 1), xycoords="axes fraction", xytext=(0, 0.5 * points("legend.fontsize")),
                textcoords="offset points", ha="right", va="bottom", fontsize=points("legend.fontsize") * 0.85,
                color=NEUTRAL["mid"], gid="stats")
    if label is not None:
        names = d[label].astype(str).to_numpy()
        if max_labels == "auto":
            max_labels = 32 if style_grows() else 20
        # label the countries at the map's edges (the ones a reader looks for: the corners of the map) and,
        # among them, the unusual scores: distance from the centre in SD units plus the score's distance from
        # the median (labelling all ~90 countries took seconds of adjustText and overlapped on a page)
        zx = (xv - xv.mean()) / (xv.std() or 1)
        zy = (yv - yv.mean()) / (yv.std() or 1)
        zc = np.abs(cv - np.median(cv)) / (cv.std() or 1)
        chosen = _choose(np.hypot(zx, zy) + 0.5 * zc, np.zeros(len(d), dtype=bool), max_labels)
        _label_points(ax, xv, yv, names, chosen, np.zeros(len(d), dtype=bool), adjust_iterations)
    ax.cybercult_dropped = dropped
    return ax
