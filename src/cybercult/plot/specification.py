"""The specification curve in its classic layout: sorted estimates above, the choices below."""
from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from .._docstrings import fill_doc
from ._common import block_title, points, require_columns, style_grows, var_label, wrap, wrap_width
from .style import NEUTRAL, PALETTE

__all__ = ["plot_specification_curve"]

REQUIRED = ("term", "estimate", "p_value", "significant")
#: Colours of a specification: significant with a positive / negative effect, or not significant.
CURVE_COLOURS = {"positive": PALETTE["driver"], "negative": PALETTE["blocker"], "not significant": "#999999"}
_DIMENSIONS = ("outcome", "controls", "measure", "region", "estimator", "se")
_DIM_TITLES = {"outcome": "Outcome", "controls": "Controls", "measure": "Measure", "region": "Regions",
               "estimator": "Estimator", "se": "Std. errors"}
_ESTIMATOR_LABELS = {"ols": "OLS", "ols_std": "OLS (z-scores)", "fractional_logit": "Fractional logit"}


def _acronym(label: str) -> str:
    """Three or more capitalised words in a row become their initials: "Global Cybersecurity Index 2020" -> "GCI 2020"."""
    words = label.split()
    out, run = [], []
    for w in words + [""]:
        if w[:1].isupper() and w.isalpha():
            run.append(w)
            continue
        out += [("".join(r[0] for r in run))] if len(run) >= 3 else run
        run = []
        if w:
            out.append(w)
    return " ".join(out)


def _measure_label(var_id: str) -> str:
    """A measure's label with its source when the label does not name one: "Individualism (hofstede)"."""
    text = var_label(var_id)
    return text if text.endswith(")") else f"{text} ({var_id.split('.')[0]})"


def _rows(tab: pd.DataFrame, order: pd.DataFrame | None = None) -> list[tuple[str, str, np.ndarray]]:
    """(dimension, option label, 0/1 per specification) for the dot matrix, in display order.

    Controls become one row per control block ("+ politics"), binary choices one row
    for the non-default option (region fixed effects, fractional logit, clustered errors).
    """
    rows: list[tuple[str, str, np.ndarray]] = []
    for dim in _DIMENSIONS:
        if dim not in tab.columns:
            continue
        vals = tab[dim].fillna("").astype(str)
        if dim == "controls":
            src = (order if order is not None else tab)[dim].fillna("").astype(str)
            blocks = list(dict.fromkeys(b for v in src for b in v.split("+") if b and b != "none"))
            for b in blocks:
                rows.append((dim, block_title(b), vals.map(lambda v, b=b: b in v.split("+")).to_numpy()))
            continue
        opts = list(dict.fromkeys((order if order is not None else tab)[dim].fillna("").astype(str)))
        if len(opts) < 2:
            continue
        if dim == "outcome":
            for o in opts:
                rows.append((dim, _acronym(var_label(o)), (vals == o).to_numpy()))
        elif dim == "region":
            rows.append((dim, "Region fixed effects", (vals != "none").to_numpy()))
        elif dim == "se":
            rows.append((dim, "Clustered by region", (vals == "cluster").to_numpy()))
        elif dim == "estimator" and len(opts) == 2 and "ols" in opts:
            other = next(o for o in opts if o != "ols")
            rows.append((dim, _ESTIMATOR_LABELS.get(other, other), (vals == other).to_numpy()))
        else:
            for o in opts:
                label = _ESTIMATOR_LABELS.get(o, o) if dim == "estimator" else (
                    " + ".join(_measure_label(m) for m in o.split("+")) if dim == "measure" else o)
                rows.append((dim, label, (vals == o).to_numpy()))
    return rows


@fill_doc
def plot_specification_curve(
    spec,
    *,
    term: str,
    title: str | None = None,
    ylabel: str | None = None,
    caption: bool = True,
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """Specification curve of one focal factor (Simonsohn, Simmons & Nelson 2020).

    Parameters
    ----------
    spec : SpecCurveResult or DataFrame
        From :func:`~cybercult.stats.specification_curve` or
        :func:`~cybercult.stats.specification_curves` (or its ``.table``).
    term : str
        The focal factor to draw.
    title : str, optional
        Defaults to "Specification curve: <factor label>".
    ylabel : str, optional
        Label of the effect axis; defaults to the standardized effect and its
        interval level.
    caption : bool
        Write a line under the figure: specifications drawn, shares
        significant with each sign, what the colours mean.
    {figure.figsize}

    Returns
    -------
    {returns.fig}
        ``fig.axes[0]``: the specifications sorted by effect, each with its
        interval (one vertical segment per specification, ``gid="spec-ci"``)
        and a point coloured by significance and sign; a line at zero and a
        dashed line at the median. ``fig.axes[1]``: the dot matrix, one row
        per choice (outcomes, each control block, alternative measures,
        region fixed effects, estimator, clustered errors), a dot where a
        specification makes that choice, the same columns as above.

    See Also
    --------
    cybercult.specification_curve : The curve of chosen focal factors.
    cybercult.specification_curves : The curves of every block of a model.
    cybercult.classify_factors : Its ``robustness=`` reads ``spec.term_summary``.
    plot_drivers : The verdict of the main specification.

    Notes
    -----
    The effect drawn is the column ``effect`` (beta for OLS; for the
    fractional logit the average marginal effect in standard deviations of
    the outcome per standard deviation of the factor) with
    ``effect_ci_low``/``effect_ci_high``, so estimators and outcomes share
    one scale; a table without it draws ``estimate``. Specifications that
    could not be fitted are left out and counted in the caption.

    Simonsohn, U., Simmons, J. P. & Nelson, L. D. (2020). Specification curve
    analysis. Nature Human Behaviour 4, 1208-1214.

    Examples
    --------
    Individualism's effect on two outcomes, with every subset of two control blocks:

    >>> import matplotlib.pyplot as plt
    >>> import cybercult as cc
    >>> panel = cc.build_panel(sample="study81")
    >>> controls = {"development": ["wdi.log_gdppc_ppp"], "politics": ["eiu.democracy"]}
    >>> spec = cc.specification_curve(panel.data, outcomes=["gci2020.score", "ncsi.score"],
    ...                               focal=["hofstede_insights.idv"], controls=controls)
    >>> fig = cc.plot_specification_curve(spec, term="hofstede_insights.idv")
    >>> [t.get_text() for t in fig.axes[1].get_yticklabels()]  # the choices
    ['GCI 2020', 'NCSI', 'Development', 'Politics']
    >>> fig.axes[1].get_xlabel()
    'Specifications, sorted by effect (n = 8)'
    >>> plt.close("all")
    """
    tab = spec.table if hasattr(spec, "table") else spec
    require_columns(tab, REQUIRED, "spec")
    if not isinstance(term, str):
        raise TypeError(f"term must be a column name (str), got {type(term).__name__}")
    terms = list(dict.fromkeys(tab["term"].astype(str)))
    if term not in terms:
        raise ValueError(f"term {term!r} is not in the specification curve; valid: {terms}")
    alpha = getattr(spec, "alpha", None)
    sub = tab[tab["term"] == term]
    has_eff = {"effect", "effect_ci_low", "effect_ci_high"} <= set(sub.columns)
    ycol = "effect" if has_eff else "estimate"
    fitted = sub[np.isfinite(pd.to_numeric(sub[ycol], errors="coerce"))]
    n_failed = len(sub) - len(fitted)
    if fitted.empty:
        raise ValueError(f"no specification of {term!r} could be fitted")
    order = np.argsort(fitted[ycol].to_numpy(float), kind="stable")
    fitted = fitted.iloc[order].reset_index(drop=True)
    y = fitted[ycol].to_numpy(float)
    sig = fitted["significant"].to_numpy(bool)
    kind = np.where(sig & (y > 0), "positive", np.where(sig & (y < 0), "negative", "not significant"))
    colours = np.array([CURVE_COLOURS[k] for k in kind])
    x = np.arange(len(fitted))
    rows = _rows(fitted, order=sub)

    grows = style_grows()
    fig_w, fig_h = figsize or mpl.rcParams["figure.figsize"]
    tick = points("ytick.labelsize")
    lab = tick if grows else min(tick, 18.0)  # on a slide the choices use the smallest readable type
    row_pt = lab * (1.45 if grows else 1.3)
    matrix_pt = len(rows) * row_pt
    # title, legend, x axis and caption: about ten lines of type
    overhead_pt = 10.5 * points("font.size")
    if figsize is None and grows:
        fig_h = max(fig_h, (matrix_pt + 2.0 * 72 + overhead_pt) / 72)
    fig = plt.figure(figsize=(fig_w, fig_h), layout="constrained")
    top_pt = max(fig_h * 72 - overhead_pt - matrix_pt, 0.25 * fig_h * 72)
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[top_pt, matrix_pt])

    # the curve: intervals, then points
    lw = mpl.rcParams["lines.linewidth"]
    dense = len(x) > 120
    if has_eff:
        lo = fitted["effect_ci_low"].to_numpy(float)
        hi = fitted["effect_ci_high"].to_numpy(float)
        top.vlines(x, lo, hi, colors=colours, linewidth=max(0.3, lw * (0.25 if dense else 0.5)),
                   alpha=0.45 if dense else 0.7, zorder=2, gid="spec-ci")
    ms = mpl.rcParams["lines.markersize"] * (0.45 if dense else 0.8)
    top.scatter(x, y, s=ms ** 2, c=colours, zorder=3, linewidths=0, gid="spec-estimate")
    top.axhline(0, color=NEUTRAL["ink"], lw=max(0.6, lw * 0.4), zorder=1, gid="zero-line")
    med = float(np.median(y))
    top.axhline(med, color=NEUTRAL["mid"], lw=max(0.6, lw * 0.4), ls=(0, (4, 3)), zorder=1, gid="median-line")
    level = f"{100 * (1 - alpha):g}% CI" if alpha else "CI"
    top.set_ylabel(wrap(ylabel or (f"Effect (\u03b2, {level})" if has_eff else f"Estimate ({level})"),
                        wrap_width(0.9 * top_pt / 72, points("axes.labelsize"))))
    top.grid(axis="y", visible=True)
    top.tick_params(axis="x", bottom=False, labelbottom=False)
    top.spines["bottom"].set_visible(False)
    handles = [Line2D([], [], ls="none", marker="o", color=CURVE_COLOURS[k], label=lab,
                      markersize=mpl.rcParams["lines.markersize"] * 0.9)
               for k, lab in (("positive", "significant, positive"), ("negative", "significant, negative"),
                              ("not significant", "not significant")) if (kind == k).any()]
    top.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=len(handles), frameon=False,
               borderaxespad=0.2, handletextpad=0.2)

    # the dot matrix: one row per choice, top to bottom in display order
    ypos = np.arange(len(rows))[::-1].astype(float)
    dot = (mpl.rcParams["lines.markersize"] * (0.35 if dense else 0.6)) ** 2
    for (dim, label, used), yy in zip(rows, ypos):
        bottom.scatter(x[used], np.full(int(used.sum()), yy), s=dot, c=colours[used], marker="s" if dense else "o",
                       linewidths=0, zorder=3, gid="spec-choice")
    bottom.set_yticks(ypos)
    bottom.set_yticklabels([r[1] for r in rows], fontsize=lab)
    bottom.tick_params(axis="y", length=0)
    bottom.set_ylim(-0.7, len(rows) - 0.3)
    bottom.set_xlim(-0.01 * len(x) - 0.6, len(x) - 0.4 + 0.01 * len(x))
    bottom.set_xlabel(f"Specifications, sorted by effect (n = {len(x)})")
    bottom.spines["left"].set_visible(False)
    # group separators and the dimension names at the right edge
    dims = [r[0] for r in rows]
    for i in range(1, len(rows)):
        if dims[i] != dims[i - 1]:
            bottom.axhline(ypos[i] + 0.5, color=NEUTRAL["light"], lw=max(0.5, lw * 0.3), zorder=1,
                           gid="group-separator")
    start = 0
    for i in range(1, len(rows) + 1):
        if i == len(rows) or dims[i] != dims[start]:
            mid = (ypos[start] + ypos[i - 1]) / 2
            bottom.annotate(_DIM_TITLES.get(dims[start], dims[start]), xy=(1.0, mid),
                            xycoords=("axes fraction", "data"), xytext=(6, 0), textcoords="offset points",
                            ha="left", va="center", fontsize=lab * 0.9 if grows else lab, color=NEUTRAL["mid"],
                            fontweight="bold", gid="dimension")
            start = i

    if title is None:
        title = f"Specification curve: {var_label(term)}"
    if title:
        fig.suptitle(wrap(title, wrap_width(0.95 * fig_w, points("figure.titlesize"))), x=0.01, ha="left")
    if caption:
        pos = float(((kind == "positive")).mean())
        neg = float(((kind == "negative")).mean())
        text = (f"{len(x)} specifications: significant and positive in {pos:.0%}, significant and negative in "
                f"{neg:.0%}" + (f" (p < {alpha:g})" if alpha else "")
                + (f"; {n_failed} could not be fitted" if n_failed else ""))
        if grows and has_eff and "estimator" in fitted.columns and (
                fitted["estimator"] == "fractional_logit").any():
            text += "; fractional logit as average marginal effects in SD units"
        size = points("legend.fontsize") * 0.9
        fig.supxlabel(wrap(text, wrap_width(0.95 * fig_w, size)), x=0.01, ha="left", fontsize=size,
                      color=NEUTRAL["mid"])
    return fig
