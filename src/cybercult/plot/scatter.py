"""Labelled scatter plots: commitment against one factor, and added-variable plots."""
from __future__ import annotations

from collections.abc import Sequence

import matplotlib as mpl
import numpy as np
import pandas as pd
from adjustText import adjust_text
from matplotlib.axes import Axes
from matplotlib.patches import FancyArrowPatch

from .._deprecation import renamed_argument
from .._docstrings import fill_doc
from ..errors import UnknownVariableError
from ._common import (fmt_p, fmt_signed, get_ax, iso3_of, points, require_column, require_data, set_axis_labels,
                      style_grows, uses_data_labels, var_label)
from .style import NEUTRAL

__all__ = ["plot_scatter", "plot_added_variable"]

_CONST_NAMES = ("const", "Intercept", "intercept")


def _label_points(ax: Axes, xv: np.ndarray, yv: np.ndarray, names: Sequence[str], chosen: np.ndarray,
                  emphasis: np.ndarray, iterations: int) -> list:
    """Write names next to the chosen points and move them apart with adjustText.

    adjustText moves the labels apart and off the points; a label
    that still covers its own point is moved beside it again, so no name hides
    the country it names.
    """
    # smaller than the tick labels on a page; on a 16:9 slide no smaller than 18 pt
    size = points("font.size") * (0.72 if style_grows() else 0.9)
    fig = ax.figure
    # Labels move in display space: fix the layout (and the axes limits) first.
    fig.draw_without_rendering()
    to_disp, to_data = ax.transData.transform, ax.transData.inverted().transform
    gap_px = (mpl.rcParams["lines.markersize"] * 0.6 + 0.3 * size) * fig.dpi / 72
    texts, owners = [], []
    for i in np.flatnonzero(chosen):
        texts.append(ax.text(xv[i], yv[i], str(names[i]), fontsize=size, ha="center", va="center",
                             color=NEUTRAL["highlight"] if emphasis[i] else NEUTRAL["ink"],
                             fontweight="bold" if emphasis[i] else "normal", gid="point-label", zorder=5))
        owners.append(i)
    if texts:
        adjust_text(texts, x=xv, y=yv, ax=ax, iter_lim=int(iterations), time_lim=None,
                    ensure_inside_axes=True)
        renderer = fig.canvas.get_renderer()
        ax_box = ax.get_window_extent(renderer)
        pts_disp = to_disp(np.column_stack([xv, yv]))
        boxes = [t.get_window_extent(renderer) for t in texts]
        for k, (t, i) in enumerate(zip(texts, owners)):
            box = boxes[k]
            px, py = pts_disp[i]
            others = [b for j, b in enumerate(boxes) if j != k]
            on_own = box.x0 <= px <= box.x1 and box.y0 <= py <= box.y1
            hits_now = sum(box.overlaps(b) for b in others)
            if not on_own and not hits_now:
                continue
            # on its own point, or on another label: try beside its point (right, left, above,
            # below) and keep the first place that overlaps no other label, point or the axes edge
            w, h = box.width, box.height
            best = None
            for ha, va, ox, oy in (("left", "center", gap_px, 0), ("right", "center", -gap_px, 0),
                                   ("center", "bottom", 0, gap_px), ("center", "top", 0, -gap_px)):
                x0 = px + ox - (0 if ha == "left" else w if ha == "right" else w / 2)
                y0 = py + oy - (h / 2 if va == "center" else 0 if va == "bottom" else h)
                cand = mpl.transforms.Bbox.from_bounds(x0, y0, w, h)
                inside = ax_box.x0 <= cand.x0 and cand.x1 <= ax_box.x1 and ax_box.y0 <= cand.y0 and cand.y1 <= ax_box.y1
                hits = sum(cand.overlaps(b) for b in others) + int(np.sum(
                    (pts_disp[:, 0] > cand.x0) & (pts_disp[:, 0] < cand.x1)
                    & (pts_disp[:, 1] > cand.y0) & (pts_disp[:, 1] < cand.y1)))
                score = (not inside, hits)
                if best is None or score < best[0]:
                    best = (score, ha, va, ox, oy, cand)
                if score == (False, 0):
                    break
            if not on_own and best[0][1] >= hits_now:
                continue  # no better place: leave it where adjustText put it
            _, ha, va, ox, oy, cand = best
            t.set_horizontalalignment(ha)
            t.set_verticalalignment(va)
            t.set_position(to_data((px + ox, py + oy)))
            boxes[k] = cand
        # leader lines from labels that moved away from their point (drawn here, after the
        # last move, so that each line ends at its own label)
        lw = max(0.4, mpl.rcParams["lines.linewidth"] * 0.3)
        for t, i in zip(texts, owners):
            box = t.get_window_extent(renderer)
            px, py = to_disp((xv[i], yv[i]))
            dx = max(box.x0 - px, 0, px - box.x1)
            dy = max(box.y0 - py, 0, py - box.y1)
            if np.hypot(dx, dy) > 1.8 * gap_px:
                cx, cy = to_data(((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2))
                ax.add_patch(FancyArrowPatch(posA=(cx, cy), posB=(xv[i], yv[i]), patchA=t, arrowstyle="-",
                                             shrinkB=mpl.rcParams["lines.markersize"] * 0.5, color=NEUTRAL["mid"],
                                             lw=lw, zorder=4, gid="label-line"))
    return texts


def _bounds(var_id: str, values: np.ndarray) -> tuple[float, float] | None:
    """The catalogue's range of ``var_id`` (e.g. 0-100 for a score) when every value lies inside it."""
    from ..data.catalogue import get_variable

    try:
        v = get_variable(str(var_id))
    except UnknownVariableError:  # a user's own column: no known range
        return None
    lo, hi = v.low, v.high
    if lo is None or hi is None or not (np.nanmin(values) >= lo and np.nanmax(values) <= hi):
        return None
    return float(lo), float(hi)


def _clip_axis(ax: Axes, bounds: tuple[float, float] | None, values: np.ndarray) -> None:
    """y limits that never pass the variable's range (a 0-100 score stops at 100)."""
    if bounds is None:
        return
    lo, hi = bounds
    pad = 0.04 * (np.nanmax(values) - np.nanmin(values) or 1.0)
    ax.set_ylim(max(lo, np.nanmin(values) - pad), min(hi, np.nanmax(values) + pad))


def _stats_line(ax: Axes, text: str) -> None:
    """The statistics line, above the plot on the right (never over the points)."""
    ax.annotate(text, xy=(1, 1), xycoords="axes fraction", xytext=(0, 0.5 * points("legend.fontsize")),
                textcoords="offset points", ha="right", va="bottom", fontsize=points("legend.fontsize"),
                color=NEUTRAL["ink"], gid="stats")


def _choose(score: np.ndarray, emphasis: np.ndarray, max_labels: int | None) -> np.ndarray:
    """Boolean mask of the points to label: highlighted ones plus the top ``max_labels`` by score."""
    n = len(score)
    if max_labels is None:
        return np.ones(n, dtype=bool)
    if max_labels < 0:
        raise ValueError(f"max_labels must be None or >= 0, not {max_labels}")
    chosen = emphasis.copy()
    order = [i for i in np.argsort(-np.nan_to_num(score, nan=-np.inf), kind="stable") if not emphasis[i]]
    chosen[order[:max_labels]] = True
    return chosen


def _level(alpha: float, ci: float | None, fn: str) -> float:
    """The band's level from ``alpha`` (or the deprecated ``ci``), checked."""
    alpha = renamed_argument(alpha, None if ci is None else 1 - ci, old="ci", new="alpha", fn=fn, default=0.05)
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1, not {alpha}")
    return 1 - alpha


@uses_data_labels
@fill_doc
def plot_scatter(
    data: pd.DataFrame,
    x: str,
    y: str,
    *,
    ax: Axes | None = None,
    label: str | None = "country",
    highlight: Sequence[str] | None = None,
    fit: bool = True,
    alpha: float = 0.05,
    ci: float | None = None,
    max_labels: int | None = None,
    adjust_iterations: int = 200,
    annotate: bool = True,
) -> Axes:
    """Scatter plot of ``y`` (commitment) against ``x`` with an OLS line and labelled countries.

    Parameters
    ----------
    {params.data}
        It needs columns ``x`` and ``y`` (ISO3 codes in a column ``iso3`` or
        the index); rows missing ``x`` or ``y`` are left out.
    x, y : str
        Variable ids; axis labels and units come from the catalogue.
    {params.ax}
    {figure.label}
    highlight : list of str, optional
        ISO3 codes drawn and labelled in the highlight colour (always labelled).
    fit : bool
        Draw the OLS line of ``y`` on ``x`` and its confidence band.
    {params.alpha}
        The band is the ``1 - alpha`` confidence band of the fit.
    {figure.ci}
    max_labels : int, optional
        Label the highlighted countries and ``max_labels`` more: those
        farthest from the line (from the mean of ``y`` without a fit);
        ``None`` labels every country.
    {figure.adjust_iterations}
    annotate : bool
        Write Pearson's r, its p value and n above the plot, on the right.

    Returns
    -------
    {returns.ax}
        ``ax.collections[0]`` holds the points; with ``fit``, the line has
        gid ``"fit-line"`` and the band gid ``"fit-band"``.

    See Also
    --------
    cybercult.correlate : Correlations of many pairs, with adjusted p values.
    plot_added_variable : The association with the other predictors held constant.
    plot_correlation_heatmap : Many pairs at once.
    plot_cultural_map : Countries on two culture axes, coloured by the outcome.

    Notes
    -----
    The line and band are ``statsmodels`` OLS predictions of the mean
    (``get_prediction().summary_frame``). Labels are placed after the layout
    is fixed; when composing panels, draw this plot after creating them all.

    Examples
    --------
    Individualism against the GCI 2020 score, Estonia highlighted:

    >>> import matplotlib.pyplot as plt
    >>> import cybercult as cc
    >>> panel = cc.build_panel(sample="study81")
    >>> ax = cc.plot_scatter(panel.data, "hofstede_insights.idv", "gci2020.score",
    ...                      highlight=["EST"], max_labels=4)
    >>> len(ax.collections[0].get_offsets())  # one point per country
    81
    >>> sorted(t.get_text() for t in ax.texts if t.get_gid() == "point-label")
    ['Bolivia', 'El Salvador', 'Estonia', 'Iraq', 'Libya']
    >>> [t.get_text() for t in ax.texts if t.get_gid() == "stats"]
    ['r = 0.49, p < .001, n = 81']
    >>> plt.close("all")
    """
    require_data(data, x=x, y=y)
    if label is not None:
        require_column(data, label, "label")
    ci = _level(alpha, ci, "plot_scatter")
    d = data.copy()
    d["_x"] = pd.to_numeric(d[x], errors="coerce")
    d["_y"] = pd.to_numeric(d[y], errors="coerce")
    d = d[np.isfinite(d["_x"]) & np.isfinite(d["_y"])]
    if len(d) < 3:
        raise ValueError(f"only {len(d)} countries have both {x!r} and {y!r}; need at least 3")
    xv, yv = d["_x"].to_numpy(float), d["_y"].to_numpy(float)
    iso = iso3_of(d).to_numpy()
    emphasis = np.isin(iso, list(highlight or []))

    ax = get_ax(ax)
    ms = mpl.rcParams["lines.markersize"]
    colours = np.where(emphasis, NEUTRAL["highlight"], NEUTRAL["ink"])
    # clip_on=False: a country at the top of a 0-100 score is drawn whole on the axis limit
    ax.scatter(xv, yv, s=ms ** 2, c=list(colours), alpha=0.85, edgecolors="white",
               linewidths=max(0.4, ms * 0.08), zorder=3, gid="points", clip_on=False)
    if emphasis.any():  # again on top, so that no other country hides them
        ax.scatter(xv[emphasis], yv[emphasis], s=ms ** 2, color=NEUTRAL["highlight"], edgecolors="white",
                   linewidths=max(0.4, ms * 0.08), zorder=4, gid="highlight-points")

    import statsmodels.api as sm  # imported here: slow to import, only needed for the fit
    from scipy import stats

    resid = yv - yv.mean()
    bounds = _bounds(y, yv)
    if fit:
        model = sm.OLS(yv, sm.add_constant(xv)).fit()
        grid = np.linspace(xv.min(), xv.max(), 100)
        frame = model.get_prediction(sm.add_constant(grid)).summary_frame(alpha=1 - ci)
        lo_b, hi_b = bounds if bounds is not None else (-np.inf, np.inf)
        # the band and line stop at the score's range: a mean above 100 is not a possible score
        ax.fill_between(grid, np.clip(frame["mean_ci_lower"], lo_b, hi_b), np.clip(frame["mean_ci_upper"], lo_b, hi_b),
                        color=NEUTRAL["band"], alpha=0.3, linewidth=0, zorder=1, gid="fit-band")
        mean = frame["mean"].to_numpy(float)
        ax.plot(grid, np.where((mean >= lo_b) & (mean <= hi_b), mean, np.nan), color=NEUTRAL["ink"], zorder=2, gid="fit-line",
                lw=mpl.rcParams["lines.linewidth"])
        resid = model.resid
    _clip_axis(ax, bounds, yv)
    set_axis_labels(ax, var_label(x, unit=True), var_label(y, unit=True))

    if annotate:
        r, p = stats.pearsonr(xv, yv)
        _stats_line(ax, f"r = {fmt_signed(r)}, {fmt_p(p)}, n = {len(xv)}")
    if label is not None:
        names = d[label].astype(str).to_numpy()
        chosen = _choose(np.abs(np.asarray(resid, dtype=float)), emphasis, max_labels)
        _label_points(ax, xv, yv, names, chosen, emphasis, adjust_iterations)
    return ax


@uses_data_labels
@fill_doc
def plot_added_variable(
    result,
    term: str,
    *,
    ax: Axes | None = None,
    label: bool = True,
    max_labels: int | None = 8,
    adjust_iterations: int = 200,
    alpha: float = 0.05,
    ci: float | None = None,
) -> Axes:
    """Added-variable (partial regression) plot of one term of a fitted model.

    Parameters
    ----------
    result : model result
        Has ``.fit`` (a statsmodels OLS/WLS result whose ``model.exog_names``
        hold ``"const"`` and the predictors), ``.outcome`` (variable id) and
        ``.data_used`` (the rows the model used, in order, index ISO3 and an
        optional ``country`` column).
    term : str
        The predictor to show; one of ``result.fit.model.exog_names``.
    {params.ax}
    label : bool
        Label countries (names from ``data_used["country"]`` or the ISO3 index).
    max_labels : int or None
        Label the countries with the largest leverage plus residual on this
        plot; ``None`` labels all.
    {figure.adjust_iterations}
    {params.alpha}
        The band around the slope is at ``1 - alpha`` (from the model's standard error).
    {figure.ci}

    Returns
    -------
    {returns.ax}
        The points are the residuals of the outcome and of ``term`` on all
        other regressors; the line (gid ``"av-line"``) goes through the origin
        with slope equal to the model's coefficient of ``term``.

    See Also
    --------
    cybercult.regress : The model whose term is drawn.
    plot_scatter : The association without the other predictors.
    plot_drivers : Every term's standardized effect and its role.

    Notes
    -----
    By the Frisch-Waugh-Lovell theorem the least-squares slope of the
    plotted points equals the coefficient in the full model, so the plot
    shows the term's partial association and the countries that drive it
    (Cook & Weisberg 1982; Fox & Weisberg, *An R Companion to Applied
    Regression*, ``avPlots``).

    Examples
    --------
    Individualism once income and democracy are held constant:

    >>> import matplotlib.pyplot as plt
    >>> import cybercult as cc
    >>> panel = cc.build_panel(sample="study81")
    >>> x = ["wdi.log_gdppc_ppp", "eiu.democracy", "hofstede_insights.idv"]
    >>> model = cc.regress(panel.data, "gci2020.score", x)
    >>> ax = cc.plot_added_variable(model, "hofstede_insights.idv", max_labels=4)
    >>> [t.get_text() for t in ax.texts if t.get_gid() == "stats"]
    ['slope = 0.230 (raw units), β = 0.24 (standardized), p = .04, n = 80']
    >>> sorted(t.get_text() for t in ax.texts if t.get_gid() == "point-label")
    ['Bolivia', 'El Salvador', 'Iraq', 'Libya']
    >>> plt.close("all")
    """
    from scipy import stats

    fit = getattr(result, "fit", None)
    if fit is None or not hasattr(fit, "model"):
        raise TypeError("result must have a .fit statsmodels results object (e.g. from cc.regress)")
    names = [str(n) for n in fit.model.exog_names]
    valid = [n for n in names if n not in _CONST_NAMES]
    if term not in valid:
        raise ValueError(f"term {term!r} is not a predictor of the model; valid: {', '.join(valid)}")
    X = np.asarray(fit.model.exog, dtype=float)
    yv = np.asarray(fit.model.endog, dtype=float)
    j = names.index(term)
    others = np.delete(X, j, axis=1)
    w = getattr(fit.model, "weights", None)
    sw = np.sqrt(np.asarray(w, dtype=float)) if w is not None and np.ndim(w) else np.ones(len(yv))
    Xo, yw, xw = others * sw[:, None], yv * sw, X[:, j] * sw
    ey = yw - Xo @ np.linalg.lstsq(Xo, yw, rcond=None)[0]
    ex = xw - Xo @ np.linalg.lstsq(Xo, xw, rcond=None)[0]
    params = np.asarray(fit.params, dtype=float)
    bse = np.asarray(fit.bse, dtype=float)
    slope, se = params[j], bse[j]
    pval = float(np.asarray(fit.pvalues, dtype=float)[j])

    ci = _level(alpha, ci, "plot_added_variable")
    ax = get_ax(ax)
    ms = mpl.rcParams["lines.markersize"]
    ax.scatter(ex, ey, s=ms ** 2, color=NEUTRAL["ink"], alpha=0.85, edgecolors="white",
               linewidths=max(0.4, ms * 0.08), zorder=3, gid="points")
    grid = np.linspace(ex.min(), ex.max(), 100)
    t = stats.t.ppf(0.5 + ci / 2, fit.df_resid)
    ax.fill_between(grid, slope * grid - t * se * np.abs(grid), slope * grid + t * se * np.abs(grid),
                    color=NEUTRAL["band"], alpha=0.3, linewidth=0, zorder=1, gid="av-band")
    ax.plot(grid, slope * grid, color=NEUTRAL["ink"], lw=mpl.rcParams["lines.linewidth"], zorder=2, gid="av-line")
    ax.axhline(0, color=NEUTRAL["light"], lw=mpl.rcParams["axes.linewidth"] * 0.7, zorder=0)
    ax.axvline(0, color=NEUTRAL["light"], lw=mpl.rcParams["axes.linewidth"] * 0.7, zorder=0)
    outcome = str(getattr(result, "outcome", "") or "outcome")
    set_axis_labels(ax, f"{var_label(term, unit=True)} | other predictors",
                    f"{var_label(outcome, unit=True)} | other predictors")
    # The slope of this plot is in raw units; the verdict speaks of standardized betas: show both.
    beta = np.nan
    tab = getattr(result, "table", None)
    if isinstance(tab, pd.DataFrame) and {"term", "beta"} <= set(tab.columns):
        hit = tab.loc[tab["term"].astype(str) == term, "beta"]
        beta = float(hit.iloc[0]) if len(hit) and pd.notna(hit.iloc[0]) else np.nan
    text = f"slope = {fmt_signed(slope, 3)} (raw units)"
    if np.isfinite(beta):
        text += f", β = {fmt_signed(beta, 2)} (standardized)"
    _stats_line(ax, text + f", {fmt_p(pval)}, n = {len(yv)}")

    if label:
        used = getattr(result, "data_used", None)
        if used is None:
            raise ValueError("label=True needs result.data_used (the rows of the model); pass label=False")
        if len(used) != len(yv):
            raise ValueError(
                f"result.data_used has {len(used)} rows but the model used {len(yv)}; cannot match labels"
            )
        labels = used["country"].astype(str).to_numpy() if "country" in used.columns else iso3_of(used).to_numpy()
        e = ey - slope * ex
        score = np.abs(ex) / (ex.std() or 1.0) + np.abs(e) / (e.std() or 1.0)
        chosen = _choose(score, np.zeros(len(yv), dtype=bool), max_labels)
        _label_points(ax, ex, ey, labels, chosen, np.zeros(len(yv), dtype=bool), adjust_iterations)
    return ax
