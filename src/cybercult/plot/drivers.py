"""The driver/blocker figure: one row per factor, its standardized effect and CI, coloured by role."""
from __future__ import annotations

import re
from collections.abc import Mapping

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, MaxNLocator
from matplotlib.transforms import Bbox, offset_copy

from .._docstrings import DocstringComponents, fill_doc
from ._common import _CHAR_WIDTH  # noqa: E402
from ._common import (
    block_title, get_ax, n_text, points, require_columns, style_grows, var_label, wrap, wrap_width,
)
from ._layout import (PAGE_HEIGHT, _GAP, _LINE, _ROW_PAPER, _bold_width, _caption_size, _hyphenate,  # noqa: F401
                      _overhead_pt, _plan, _Plan, _short_titles)
from .style import NEUTRAL, PALETTE, ROLE_LABELS, ROLE_MARKERS, ROLE_OPEN, ROLE_ORDER

__all__ = ["plot_drivers", "plot_drivers_grid", "DEFAULT_RULE"]

REQUIRED = ("term", "block", "role", "estimate", "ci_low", "ci_high")

#: Caption rule used when neither ``rule=`` nor ``verdict.attrs["rule_short"]`` gives one.
DEFAULT_RULE = ("driver / blocker = effect toward more / less commitment with adjusted p < .05; "
                "negligible = equivalence shown; else inconclusive")
#: Axis label used when the verdict does not name its interval (``attrs["ci_label"]``).
DEFAULT_XLABEL = "Standardized effect (\u03b2) with the decision interval"

# Options that plot_drivers and plot_drivers_grid share ({drivers.rule}).
_DOCS = DocstringComponents(dict(
    caption="""
    caption : bool
        Write the caption line (rule and sample size) at the bottom, under the
        effect axis.
    """,
    rule="""
    rule : str, optional
        The classification rule for the caption; defaults to the verdict's
        ``attrs["rule_short"]`` or :data:`DEFAULT_RULE`; ``False`` omits it.
    """,
    show_n="""
    show_n : bool
        Add ``n = ... countries`` (from column ``n``) to the caption.
    """,
))


# --------------------------------------------------------------------------- checks and labels
def _check_verdict(verdict: pd.DataFrame, what: str = "verdict") -> pd.DataFrame:
    if isinstance(verdict, pd.DataFrame) and "term" not in verdict.columns and "factor" in verdict.columns:
        verdict = verdict.rename(columns={"factor": "term"})  # tables written before the rename
    require_columns(verdict, REQUIRED, what)
    if verdict.empty:
        raise ValueError(f"{what} has no rows; nothing to plot")
    bad = sorted(set(verdict["role"].astype(str)) - set(ROLE_ORDER))
    if bad:
        raise ValueError(f"{what}: unknown role(s) {bad} in column 'role'; valid: {list(ROLE_ORDER)}")
    dup = verdict["term"].astype(str).duplicated()
    if dup.any():
        raise ValueError(
            f"{what}: term(s) {sorted(set(verdict.loc[dup, 'term'].astype(str)))} appear more than once; "
            "one row per factor (plot several outcomes with plot_drivers_grid)"
        )
    return verdict


def _row_labels(verdicts: list[pd.DataFrame]) -> dict[str, str]:
    """Factor id -> display label (the verdict's ``label`` column, else the catalogue)."""
    out: dict[str, str] = {}
    for v in verdicts:
        has = "label" in v.columns
        for i, f in enumerate(v["term"].astype(str)):
            if f not in out:
                lab = v["label"].iloc[i] if has else None
                out[f] = lab if isinstance(lab, str) and lab.strip() else var_label(f)
    return out


def _shared_source(blocks: Mapping[str, list[str]], raw: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """Move a source every label of a block ends with, "(Hofstede Insights)", into the block heading.

    Returns the shortened labels and block -> heading ("Culture (Hofstede Insights)").
    """
    raw = dict(raw)
    titles = {}
    for b, terms in blocks.items():
        ends = {re.search(r"\s(\([^()]*\))$", raw[t]).group(1) if re.search(r"\s(\([^()]*\))$", raw[t]) else None
                for t in terms}
        if len(terms) >= 2 and len(ends) == 1 and None not in ends:
            suffix = ends.pop()
            for t in terms:
                raw[t] = raw[t][: -len(suffix)].rstrip()
            titles[b] = f"{block_title(b)} {suffix}"
    return raw, titles


def _blocks(verdicts: list[pd.DataFrame]) -> dict[str, list[str]]:
    """Block -> factors; blocks in order of first appearance, factors in data order."""
    blocks: dict[str, list[str]] = {}
    seen: set[str] = set()
    for v in verdicts:
        for f, b in zip(v["term"].astype(str), v["block"].astype(str)):
            if f not in seen:
                seen.add(f)
                blocks.setdefault(b, []).append(f)
    return blocks


# --------------------------------------------------------------------------- drawing
def _draw_rows(ax: Axes, verdict: pd.DataFrame, ypos: Mapping[str, float], marker_scale: float = 1.0) -> list[str]:
    """Error bars and markers, one errorbar container per role; returns the roles drawn.

    Markers are drawn above their interval with a white edge and at most
    ``marker_scale`` of the style's size, so a short interval still shows on both sides.
    """
    drawn: list[str] = []
    lw = mpl.rcParams["lines.linewidth"]
    ms = mpl.rcParams["lines.markersize"] * marker_scale
    roles = verdict["role"].astype(str)
    for role in ROLE_ORDER:
        sub = verdict[roles == role]
        if sub.empty:
            continue
        est = pd.to_numeric(sub["estimate"], errors="coerce").to_numpy(float)
        lo = pd.to_numeric(sub["ci_low"], errors="coerce").to_numpy(float)
        hi = pd.to_numeric(sub["ci_high"], errors="coerce").to_numpy(float)
        y = np.array([ypos[f] for f in sub["term"].astype(str)], dtype=float)
        colour = PALETTE[role]
        is_open = role in ROLE_OPEN
        ax.errorbar(
            est, y, xerr=np.vstack([est - lo, hi - est]),
            fmt=ROLE_MARKERS[role], color=colour, ecolor=colour, elinewidth=lw,
            markerfacecolor="white" if is_open else colour, markeredgecolor=colour if is_open else "white",
            markeredgewidth=max(0.8, lw * 0.45) if is_open else max(0.5, lw * 0.3),
            markersize=ms * (0.9 if ROLE_MARKERS[role] == "D" else 1.0),
            capsize=0, linestyle="none", zorder=3, label=ROLE_LABELS[role],
        )
        drawn.append(role)
    return drawn


def _xlim(verdicts: list[pd.DataFrame]) -> tuple[float, float]:
    vals = np.concatenate([
        pd.to_numeric(v[c], errors="coerce").to_numpy(float)
        for v in verdicts for c in ("ci_low", "ci_high", "estimate")
    ])
    vals = vals[np.isfinite(vals)]
    lo, hi = (min(vals.min(), 0.0), max(vals.max(), 0.0)) if vals.size else (-1.0, 1.0)
    span = hi - lo if hi > lo else 1.0
    return lo - 0.06 * span, hi + 0.06 * span


def _decorate(ax: Axes, plan: _Plan, *, show_labels: bool, titles: Mapping[str, str] | None = None) -> list:
    """Ticks, labels, block headings, separators, zero line; returns the heading Texts."""
    titles = titles or {}
    factors = list(plan.ypos)
    ax.set_yticks([plan.ypos[f] for f in factors])
    heads = []
    if show_labels:
        ax.set_yticklabels([plan.labels[f] for f in factors], fontsize=plan.size)
        ax.tick_params(axis="y", length=0)
        # Block headings sit in the label column, right-aligned with the labels, in bold,
        # so the y ticks are exactly the factors.
        pad = mpl.rcParams["ytick.major.pad"]
        trans = offset_copy(ax.get_yaxis_transform(), fig=ax.figure, x=-pad, y=0, units="points")
        for b, y in plan.headings:
            heads.append(ax.text(0, y, titles.get(b, block_title(b)), transform=trans, ha="right", va="center",
                                 fontsize=plan.size, fontweight="bold", color=NEUTRAL["ink"],
                                 clip_on=False, gid="block-heading"))
    else:
        ax.tick_params(axis="y", length=0, labelleft=False)
    lw = mpl.rcParams["axes.linewidth"]
    for _b, y in plan.headings[1:]:
        ax.axhline(y - _GAP / 2 - 0.5, color=NEUTRAL["light"], lw=lw * 0.6, zorder=0, gid="block-separator")
    ax.grid(axis="y", visible=True, zorder=0)
    ax.grid(axis="x", visible=False)
    ax.axvline(0, color=NEUTRAL["ink"], lw=max(0.8, mpl.rcParams["lines.linewidth"] * 0.5), zorder=1,
               gid="zero-line")
    ax.set_ylim(*plan.ylim)
    ax.spines["left"].set_visible(False)
    return heads


def _legend_handles(roles) -> list[Line2D]:
    ms = mpl.rcParams["lines.markersize"]
    lw = mpl.rcParams["lines.linewidth"]
    return [
        Line2D([], [], color=PALETTE[r], marker=ROLE_MARKERS[r],
               markerfacecolor="white" if r in ROLE_OPEN else PALETTE[r],
               markeredgecolor=PALETTE[r] if r in ROLE_OPEN else "white",
               markeredgewidth=max(0.8, lw * 0.45) if r in ROLE_OPEN else max(0.5, lw * 0.3),
               markersize=ms, lw=lw, label=ROLE_LABELS[r])
        for r in ROLE_ORDER if r in roles
    ]


def _caption_text(rule, verdicts: list[pd.DataFrame], show_n: bool) -> str | None:
    if rule is False:
        rule_text = None
    elif rule is None or rule is True:
        # the short form: the full rule (attrs["rule"]) belongs in reports, not under a figure;
        # on a 16:9 slide the one-line form, so that the rows keep 18 pt type
        key = "rule_short" if style_grows() else "rule_tiny"
        rule_text = next((v.attrs[key] for v in verdicts if v.attrs.get(key)),
                         next((v.attrs["rule_short"] for v in verdicts if v.attrs.get("rule_short")), DEFAULT_RULE))
    else:
        rule_text = str(rule)
    parts = []
    if rule_text:
        parts.append(rule_text if rule_text.lower().startswith("rule") else f"Rule: {rule_text}")
    if show_n:
        ns = [v["n"] for v in verdicts if "n" in v.columns]
        nt = n_text(pd.concat(ns)) if ns else None
        if nt:
            parts.append(nt.replace(" ", "\u00a0"))  # kept on one line by wrap(), printed with spaces
    return " | ".join(parts) or None


def _default_title(verdict: pd.DataFrame) -> str | None:
    """"Drivers and blockers of <outcome> (n = 63 countries)": the question and the sample."""
    if "outcome" in verdict.columns:
        outs = verdict["outcome"].dropna().astype(str).unique()
        if len(outs) == 1:
            nt = n_text(verdict["n"]) if "n" in verdict.columns else None
            return f"Drivers and blockers of {var_label(outs[0])}" + (f" ({nt})" if nt else "")
    return None


def _xlabel(xlabel, verdicts: list[pd.DataFrame]) -> str:
    if xlabel is not None:
        return xlabel
    return next((v.attrs["ci_label"] for v in verdicts if v.attrs.get("ci_label")), DEFAULT_XLABEL)


def _label_column(ax: Axes, extra: list):
    """Coordinates callable: the box around the y tick labels and block headings."""
    def bbox(renderer):
        boxes = [t.get_window_extent(renderer) for t in ax.get_yticklabels() if t.get_visible() and t.get_text()]
        boxes += [t.get_window_extent(renderer) for t in extra]
        boxes.append(ax.get_window_extent(renderer))
        return Bbox.union(boxes)
    return bbox


# --------------------------------------------------------------------------- public
@fill_doc(drivers=_DOCS)
def plot_drivers(
    verdict: pd.DataFrame,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    caption: bool = True,
    rule: str | None = None,
    show_n: bool = True,
    xlabel: str | None = None,
    legend: bool = True,
) -> Axes:
    """Driver/blocker figure of one outcome: each factor's standardized effect and CI.

    Parameters
    ----------
    verdict : DataFrame
        One row per factor, as returned by ``classify_factors``: columns
        ``term`` (variable id), ``block``, ``role`` (``"driver"``,
        ``"blocker"``, ``"negligible"`` or ``"inconclusive"``), ``estimate``
        (standardized beta), ``ci_low``, ``ci_high`` (the decision interval);
        optional ``label``, ``n``, ``outcome`` (``p_value``, ``p_adj`` and
        ``evidence`` are not drawn). ``verdict.attrs["rule_short"]``, when
        set, is the caption's rule, and ``attrs["ci_label"]`` the axis label.
    {params.ax}
        The new figure is taller than the style's size when there are many
        rows, except in a 16:9 style, which keeps the slide format.
    title : str, optional
        Title; defaults to "Drivers and blockers of <outcome label> (n = ...
        countries)"; pass the study's question instead, or ``""`` for none.
    {drivers.caption}
    {drivers.rule}
    {drivers.show_n}
    xlabel : str, optional
        Label of the effect axis; defaults to ``verdict.attrs["ci_label"]``
        (which names the interval level and its adjustment).
    legend : bool
        Show the role legend above the rows.

    Returns
    -------
    {returns.ax}
        One y tick per factor (labels from the ``label`` column or the
        catalogue), blocks in order of first appearance and factors in data
        order within a block; one errorbar container per role, coloured by
        :data:`~cybercult.plot.PALETTE` (inconclusive factors with open
        markers); a vertical line at zero.

    See Also
    --------
    cybercult.classify_factors : The verdict table drawn here.
    cybercult.regress : The model the verdict reads.
    plot_drivers_grid : Several outcomes or pillars side by side.
    plot_added_variable : One factor's partial association, country by country.
    plot_specification_curve : One factor's effect over many specifications.

    Notes
    -----
    Block headings are bold text in the label column, so the y ticks are
    exactly the factors. Labels wrap to about a third of the figure width.
    When the rows are too close for the style's type (many factors on a
    slide), the labels shrink until they fit rather than overlap.

    Examples
    --------
    The verdict of a model of the GCI 2020 score:

    >>> import matplotlib.pyplot as plt
    >>> import cybercult as cc
    >>> panel = cc.build_panel(sample="study81")
    >>> x = ["wdi.log_gdppc_ppp", "eiu.democracy", "hofstede_insights.idv"]
    >>> verdict = cc.classify_factors(cc.regress(panel.data, "gci2020.score", x))
    >>> ax = cc.plot_drivers(verdict)
    >>> print(ax.figure.get_suptitle())
    Drivers and blockers of Global Cybersecurity Index 2020
    (n = 80 countries)
    >>> [t.get_text() for t in ax.get_yticklabels()][:2]
    ['Log GDP per capita, PPP', 'Democracy Index (EIU)']
    >>> [c.get_label() for c in ax.containers]  # one errorbar container per role
    ['Driver', 'Inconclusive']
    >>> plt.close("all")
    """
    verdict = _check_verdict(verdict)
    blocks = _blocks([verdict])
    raw, titles = _shared_source(blocks, _row_labels([verdict]))
    title = _default_title(verdict) if title is None else title
    cap_text = _caption_text(rule, [verdict], show_n) if caption else None

    if ax is None:
        fig_w, fig_h = mpl.rcParams["figure.figsize"]
        ax_frac_w, ax_frac_h, own = 1.0, 1.0, True
    else:
        ax = get_ax(ax)
        fig_w, fig_h = ax.figure.get_size_inches()
        pos = ax.get_position()
        ax_frac_w, ax_frac_h, own = min(1.0, pos.width + 0.2), min(1.0, pos.height + 0.15), False
    width_in = fig_w * ax_frac_w
    title_w = wrap_width(0.95 * width_in, points("axes.titlesize"))
    cap_w = wrap_width(0.95 * width_in, _caption_size())
    title_txt = wrap(title, title_w) if title else ""
    cap_txt = wrap(cap_text, cap_w) if cap_text else ""
    overhead = _overhead_pt(title_lines=title_txt.count("\n") + 1 if title_txt else 0,
                            caption_lines=cap_txt.count("\n") + 1 if cap_txt else 0, legend=legend)
    label_width_in = 0.32 * width_in
    if own and style_grows():
        plan = _plan(blocks, raw, label_width_in=label_width_in, avail_pt=None)
        fig_h = max(fig_h, (plan.units * _ROW_PAPER * plan.size + overhead) / 72)
        _fig, ax = plt.subplots(figsize=(fig_w, fig_h), layout="constrained")
    else:
        plan = _plan(blocks, raw, label_width_in=label_width_in, avail_pt=fig_h * 72 * ax_frac_h - overhead)
        if own:
            _fig, ax = plt.subplots(layout="constrained")
    fig = ax.figure

    roles = _draw_rows(ax, verdict, plan.ypos)
    heads = _decorate(ax, plan, show_labels=True, titles=titles)
    ax.set_xlim(*_xlim([verdict]))
    ax.set_xlabel(wrap(_xlabel(xlabel, [verdict]), wrap_width(0.9 * width_in, points("axes.labelsize"))))

    legend_pt = 0.0
    if legend and roles:
        leg = ax.legend(handles=_legend_handles(roles), loc="lower left", bbox_to_anchor=(0.0, 1.0),
                        ncol=len(roles), frameon=False, borderaxespad=0.3, handlelength=1.6)
        legend_pt = leg.get_window_extent(fig.canvas.get_renderer()).height * 72 / fig.dpi
    if title_txt and own:
        # a figure of its own: the title starts at the figure's left edge, above the label column,
        # so a long question is not cut off at the right (an axes title starts after the labels)
        fig.suptitle(title_txt, x=0.01, ha="left", fontsize=points("axes.titlesize"),
                     fontweight=mpl.rcParams["axes.titleweight"])
    elif title_txt:
        ax.set_title(wrap(title, wrap_width(0.6 * width_in, points("axes.titlesize"))), loc="left",
                     pad=mpl.rcParams["axes.titlepad"] + legend_pt)
    if cap_txt:
        size = _caption_size()
        # Left edge of the label column, just below the x-axis label.
        ax.annotate(cap_txt, xy=(0, 0), xycoords=(_label_column(ax, heads), ax.xaxis.label),
                    xytext=(0, -0.8 * size), textcoords="offset points", ha="left", va="top",
                    fontsize=size, color=NEUTRAL["mid"], annotation_clip=False, gid="caption")
    return ax


@fill_doc(drivers=_DOCS)
def plot_drivers_grid(
    verdicts: Mapping[str, pd.DataFrame],
    *,
    nrows: int | None = None,
    sharey: bool = True,
    title: str | None = None,
    caption: bool = True,
    rule: str | None = None,
    show_n: bool = True,
    xlabel: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """Driver/blocker figures of several outcomes or pillars, laid out for a page or a slide.

    Parameters
    ----------
    verdicts : mapping of outcome id to DataFrame
        One verdict table (see :func:`plot_drivers`) per outcome, in panel
        order. Panel titles are the catalogue labels of the keys without the
        words most of them share (``"GCI 2020 Legal pillar"`` -> ``"Legal"``).
    nrows : int, optional
        Rows of panels. Default: two rows on a page (paper style, more than
        three panels), one row on a 16:9 slide, where two rows of eight
        factors would need type smaller than 18 pt.
    sharey : bool
        Factor labels and block headings only on the first panel of each
        row. Every panel has the same rows in either case (a factor missing
        from one outcome leaves its row empty there).
    title : str, optional
        Figure title; none by default.
    {drivers.caption}
        One caption for the figure.
    {drivers.rule}
    {drivers.show_n}
    xlabel : str, optional
        Label of the shared effect axis; defaults to the verdicts'
        ``attrs["ci_label"]``.
    {figure.figsize}

    Returns
    -------
    {returns.fig}
        One Axes per outcome, in the order of ``verdicts``; the role legend
        heads the panels and the caption is the figure's bottom line.

    See Also
    --------
    cybercult.classify_factors : The verdict tables drawn here.
    plot_drivers : One outcome, with its own title.

    Examples
    --------
    Two outcomes with the same predictors, side by side:

    >>> import matplotlib.pyplot as plt
    >>> import cybercult as cc
    >>> panel = cc.build_panel(sample="study81")
    >>> x = ["wdi.log_gdppc_ppp", "eiu.democracy", "hofstede_insights.idv"]
    >>> verdicts = {y: cc.classify_factors(cc.regress(panel.data, y, x))
    ...             for y in ["gci2020.score", "ncsi.score"]}
    >>> fig = cc.plot_drivers_grid(verdicts)
    >>> [ax.get_title(loc="left").replace("\\n", " ") for ax in fig.axes]
    ['Global Cybersecurity Index 2020', 'National Cyber Security Index']
    >>> plt.close("all")
    """
    if not isinstance(verdicts, Mapping) or not verdicts:
        raise TypeError("verdicts must be a non-empty dict of outcome id -> verdict DataFrame")
    frames = [_check_verdict(v, f"verdicts[{k!r}]") for k, v in verdicts.items()]
    blocks = _blocks(frames)
    raw, titles = _shared_source(blocks, _row_labels(frames))
    k = len(frames)
    grows = style_grows()
    if nrows is None:
        nrows = 2 if (grows and k > 3) else 1
    if isinstance(nrows, bool) or not isinstance(nrows, int) or not 1 <= nrows <= k:
        raise ValueError(f"nrows must be an integer between 1 and the number of panels ({k}), got {nrows!r}")
    ncols = -(-k // nrows)
    fig_w, fig_h = figsize or mpl.rcParams["figure.figsize"]
    if sharey:
        label_width_in = (0.27 if not grows else 0.22 if ncols > 3 else 0.27 if ncols > 1 else 0.4) * fig_w
    else:
        label_width_in = 0.7 * fig_w / (ncols + 0.7 * ncols)
    # the axes get about 80 % of their share of the width (the rest is padding between panels)
    panel_in = (fig_w - (label_width_in if sharey else 0)) / ncols * (0.8 if sharey else 0.5)
    panel_size = min(points("axes.labelsize"), points("xtick.labelsize"))
    short, _prefix = _short_titles([var_label(str(o)) for o in verdicts])
    # the overall score of the source whose pillars fill the other panels: "Overall"
    sources = [str(o).split(".")[0] for o in verdicts]
    for i, o in enumerate(verdicts):
        if (_prefix and str(o).endswith(".score") and sources.count(sources[i]) > 1
                and not var_label(str(o)).startswith(_prefix)):
            short[i] = "Overall"
    # a title word wider than the panel: shrink the type (not below 90 % of the tick labels),
    # then break the word with a hyphen; widths measured with the font itself
    longest = max((w for t in short for w in t.split()), key=lambda w: _bold_width(w, panel_size))
    fit = panel_size * panel_in * 72 / max(_bold_width(longest, panel_size), 1e-9)
    panel_size = max(min(panel_size, fit), 0.9 * points("xtick.labelsize"))
    width = max(4, int(len(longest) * panel_in * 72 / max(_bold_width(longest, panel_size), 1e-9)))
    panel_titles = [_hyphenate(wrap(t, width), width) for t in short]
    cap_text = _caption_text(rule, frames, show_n) if caption else None
    cap_txt = wrap(cap_text, wrap_width(0.95 * fig_w, _caption_size())) if cap_text else ""
    title_lines = max(t.count("\n") + 1 for t in panel_titles)
    panel_size = float(panel_size)
    # under BH each outcome selects its own number of factors, so the FCR-adjusted level differs
    # between panels: then each panel names its level under its axis
    levels = [v.attrs.get("ci_level") for v in frames]
    per_panel = xlabel is None and len({round(float(x), 6) for x in levels if x is not None}) > 1
    if per_panel:
        methods = {str(v.attrs.get("ci_method", "")).split(" (")[0] for v in frames} - {""}
        what = methods.pop() if len(methods) == 1 else "decision"
        xl_text = "Standardized effect (\u03b2), " + f"{what} CI (level under each panel)"
    else:
        xl_text = _xlabel(xlabel, frames)
    xl = wrap(xl_text, wrap_width(0.9 * fig_w, points("figure.labelsize")))
    overhead = _overhead_pt(title_lines=0, caption_lines=cap_txt.count("\n") + 1 if cap_txt else 0,
                            legend=True)
    overhead += (xl.count("\n")) * points("figure.labelsize") * _LINE
    if per_panel:
        overhead += nrows * _caption_size() * _LINE
    per_row = title_lines * panel_size * _LINE + mpl.rcParams["axes.titlepad"]
    per_row += points("xtick.labelsize") * _LINE + mpl.rcParams["xtick.major.size"] + mpl.rcParams["xtick.major.pad"]
    overhead += nrows * per_row - (points("xtick.labelsize") * _LINE + mpl.rcParams["xtick.major.size"]
                                   + mpl.rcParams["xtick.major.pad"])
    if title:
        overhead += points("figure.titlesize") * _LINE + 4
    plan = None
    if figsize is None and grows:
        plan = _plan(blocks, raw, label_width_in=label_width_in, avail_pt=None)
        need = (nrows * plan.units * _ROW_PAPER * plan.size + overhead) / 72
        fig_h = max(fig_h, need)
        if need > PAGE_HEIGHT:  # taller than a page's text block: keep the page, tighten the rows
            fig_h, plan = PAGE_HEIGHT, None
    if plan is None:
        # the panel titles' lines come out of the rows' height
        overhead += (max(t.count("\n") + 1 for t in panel_titles) - title_lines) * panel_size * _LINE * nrows
        # one-line labels in the grid: a row of 1.05 font sizes leaves a visible gap between them
        plan = _plan(blocks, raw, label_width_in=label_width_in, avail_pt=(fig_h * 72 - overhead) / nrows,
                     spacing=1.05, floor=8.0 if grows else 6.0)

    fig = plt.figure(figsize=(fig_w, fig_h), layout="constrained")
    panels = fig.subfigures(1, 1)  # holds the panels and the legend, below the title
    grid = panels.subplots(nrows, ncols, sharey=sharey, sharex=True, squeeze=False)
    cells = list(grid.ravel())
    for extra in cells[k:]:
        extra.remove()
    axes = cells[:k]
    # with sharex, only the bottom row shows tick labels; a panel above an empty cell needs its own
    for i, ax in enumerate(axes):
        if i + ncols >= k:
            ax.xaxis.set_tick_params(labelbottom=True)
    roles: set[str] = set()
    # markers at most a fraction of the row height, so that short intervals show on both sides
    marker_scale = 0.6 if not grows else 0.9
    for i, (ax, verdict, ptitle) in enumerate(zip(axes, frames, panel_titles)):
        roles.update(_draw_rows(ax, verdict, plan.ypos, marker_scale=marker_scale))
        _decorate(ax, plan, show_labels=(i % ncols == 0) or not sharey, titles=titles)
        ax.set_title(ptitle, loc="left", fontsize=panel_size)
    axes[0].set_xlim(*_xlim(frames))
    panels.supxlabel(xl)
    if per_panel:
        for ax, lev in zip(axes, levels):
            if lev is not None:
                ax.set_xlabel(f"{100 * float(lev):.3g}% CI", fontsize=_caption_size(), color=NEUTRAL["mid"],
                              labelpad=1)
    nbins = max(2, int(panel_in * 72 / (3.6 * points("xtick.labelsize"))))
    axes[0].xaxis.set_major_locator(MaxNLocator(nbins=nbins, steps=[1, 2, 2.5, 5, 10]))
    # compact tick labels ("0.5", "\u22120.5"); in the narrow panels of a slide the 0 tick keeps no
    # label (the zero line marks it), so that the others do not run into each other
    zero = "0" if grows else ""
    axes[0].xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: f"{x:g}".replace("-", "\u2212")
                                                    if abs(x) > 1e-12 else zero))
    if title:
        fig.suptitle(title, x=0.01, ha="left")
    if roles:
        panels.legend(handles=_legend_handles(roles), loc="outside upper left", ncol=len(roles), frameon=False)
    if cap_txt:
        fig.supxlabel(cap_txt, x=0.01, ha="left", fontsize=_caption_size(), color=NEUTRAL["mid"])
    return fig
