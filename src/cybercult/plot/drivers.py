"""The driver/blocker figure: one row per factor, its standardized effect and CI, coloured by role."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import Bbox, offset_copy

from ._common import _CHAR_WIDTH  # noqa: E402
from ._common import (
    block_title, get_ax, n_text, points, require_columns, style_grows, var_label, wrap, wrap_width,
)
from .style import NEUTRAL, PALETTE, ROLE_LABELS, ROLE_MARKERS, ROLE_ORDER

__all__ = ["plot_drivers", "plot_drivers_grid", "DEFAULT_RULE"]

REQUIRED = ("factor", "block", "role", "estimate", "ci_low", "ci_high")

#: Caption rule used when neither ``rule=`` nor ``verdict.attrs["rule"]`` gives one.
DEFAULT_RULE = "driver / blocker = positive / negative effect with adjusted p < .05"
DEFAULT_XLABEL = "Standardized effect (\u03b2, 95% CI)"

# Vertical layout, in row units (one unit = the distance between two one-line rows).
_HEADING = 0.95       # a block heading
_GAP = 0.3            # extra space before every block but the first
_EXTRA_LINE = 0.6     # each further line of a wrapped label
_MARGIN_TOP, _MARGIN_BOTTOM = 0.55, 0.65
_LINE = 1.17          # line height of DejaVu Sans, in font sizes
_ROW_PAPER = 1.9      # row distance, in font sizes, when the figure may grow


# --------------------------------------------------------------------------- checks and labels
def _check_verdict(verdict: pd.DataFrame, what: str = "verdict") -> pd.DataFrame:
    require_columns(verdict, REQUIRED, what)
    if verdict.empty:
        raise ValueError(f"{what} has no rows; nothing to plot")
    bad = sorted(set(verdict["role"].astype(str)) - set(ROLE_ORDER))
    if bad:
        raise ValueError(f"{what}: unknown role(s) {bad} in column 'role'; valid: {list(ROLE_ORDER)}")
    dup = verdict["factor"].astype(str).duplicated()
    if dup.any():
        raise ValueError(
            f"{what}: factor(s) {sorted(set(verdict.loc[dup, 'factor'].astype(str)))} appear more than once; "
            "one row per factor (plot several outcomes with plot_drivers_grid)"
        )
    return verdict


def _row_labels(verdicts: list[pd.DataFrame]) -> dict[str, str]:
    """Factor id -> display label (the verdict's ``label`` column, else the catalogue)."""
    out: dict[str, str] = {}
    for v in verdicts:
        has = "label" in v.columns
        for i, f in enumerate(v["factor"].astype(str)):
            if f not in out:
                lab = v["label"].iloc[i] if has else None
                out[f] = lab if isinstance(lab, str) and lab.strip() else var_label(f)
    return out


def _blocks(verdicts: list[pd.DataFrame]) -> dict[str, list[str]]:
    """Block -> factors; blocks in order of first appearance, factors in data order."""
    blocks: dict[str, list[str]] = {}
    seen: set[str] = set()
    for v in verdicts:
        for f, b in zip(v["factor"].astype(str), v["block"].astype(str)):
            if f not in seen:
                seen.add(f)
                blocks.setdefault(b, []).append(f)
    return blocks


# --------------------------------------------------------------------------- layout plan
@dataclass
class _Plan:
    ypos: dict[str, float]          # factor -> row centre (grows downwards)
    headings: list[tuple[str, float]]
    ylim: tuple[float, float]       # (bottom, top) for an inverted axis
    labels: dict[str, str]          # factor -> wrapped label
    size: float                     # tick-label font size, points
    units: float                    # total height in row units


def _positions(blocks: dict[str, list[str]], lines: Mapping[str, int], extra: float = _EXTRA_LINE):
    ypos: dict[str, float] = {}
    headings: list[tuple[str, float]] = []
    y = 0.0
    for i, (b, factors) in enumerate(blocks.items()):
        if i:
            y += _GAP
        headings.append((b, y))
        y += _HEADING
        for f in factors:
            h = 1.0 + extra * (lines[f] - 1)
            ypos[f] = y + (h - 1.0) / 2
            y += h
    top, bottom = -_MARGIN_TOP, y - 1.0 + _MARGIN_BOTTOM
    return ypos, headings, (bottom, top), bottom - top


def _wrap_labels(raw: Mapping[str, str], width_in: float, size: float) -> dict[str, str]:
    width = wrap_width(width_in, size)
    return {f: wrap(t, width) for f, t in raw.items()}


def _plan(blocks, raw_labels, *, label_width_in: float, avail_pt: float | None) -> _Plan:
    """Wrap labels and choose the type size.

    ``avail_pt=None``: the figure may grow, rows use the style's type. Otherwise
    the type shrinks (never below 6 pt) until every row fits ``avail_pt``.
    """
    base = points("ytick.labelsize")
    if avail_pt is None:
        labels = _wrap_labels(raw_labels, label_width_in, base)
        lines = {f: t.count("\n") + 1 for f, t in labels.items()}
        ypos, headings, ylim, units = _positions(blocks, lines)
        return _Plan(ypos, headings, ylim, labels, base, units)
    for size in [*np.arange(base, 6.0, -0.5), 6.0]:
        labels = _wrap_labels(raw_labels, label_width_in, size)
        lines = {f: t.count("\n") + 1 for f, t in labels.items()}
        # A wrapped label's extra lines take their own height; the row distance
        # then follows from the space available (a few fixed-point steps).
        extra = _EXTRA_LINE
        for _ in range(6):
            ypos, headings, ylim, units = _positions(blocks, lines, extra)
            row_pt = max(avail_pt, 1.0) / units
            extra = max(_EXTRA_LINE, _LINE * size / row_pt)
        ypos, headings, ylim, units = _positions(blocks, lines, extra)
        row_pt = max(avail_pt, 1.0) / units
        # Each row needs its type plus a tenth of it as white space.
        if 1.1 * size <= row_pt and 1.05 * 1.1 * size <= _HEADING * row_pt + 1e-9:
            break
    return _Plan(ypos, headings, ylim, labels, float(size), units)


def _overhead_pt(*, title_lines: int, caption_lines: int, legend: bool) -> float:
    """Height taken by everything but the rows (title, legend, x axis, caption, pads)."""
    rc = mpl.rcParams
    h = 2 * rc["figure.constrained_layout.h_pad"] * 72
    if title_lines:
        h += title_lines * points("axes.titlesize") * _LINE + rc["axes.titlepad"]
    if legend:
        h += points("legend.fontsize") * 1.6
    h += points("xtick.labelsize") * _LINE + rc["xtick.major.size"] + rc["xtick.major.pad"]
    h += points("axes.labelsize") * _LINE + rc["axes.labelpad"]
    if caption_lines:
        cap = _caption_size()
        h += caption_lines * cap * _LINE + 0.8 * cap
    return h


def _caption_size() -> float:
    return points("legend.fontsize") * 0.9


# --------------------------------------------------------------------------- drawing
def _draw_rows(ax: Axes, verdict: pd.DataFrame, ypos: Mapping[str, float]) -> list[str]:
    """Error bars and markers, one errorbar container per role; returns the roles drawn."""
    drawn: list[str] = []
    lw = mpl.rcParams["lines.linewidth"]
    ms = mpl.rcParams["lines.markersize"]
    roles = verdict["role"].astype(str)
    for role in ROLE_ORDER:
        sub = verdict[roles == role]
        if sub.empty:
            continue
        est = pd.to_numeric(sub["estimate"], errors="coerce").to_numpy(float)
        lo = pd.to_numeric(sub["ci_low"], errors="coerce").to_numpy(float)
        hi = pd.to_numeric(sub["ci_high"], errors="coerce").to_numpy(float)
        y = np.array([ypos[f] for f in sub["factor"].astype(str)], dtype=float)
        colour = PALETTE[role]
        ax.errorbar(
            est, y, xerr=np.vstack([est - lo, hi - est]),
            fmt=ROLE_MARKERS[role], color=colour, ecolor=colour, elinewidth=lw,
            markerfacecolor=colour, markeredgecolor="white", markeredgewidth=max(0.5, lw * 0.3),
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


def _decorate(ax: Axes, plan: _Plan, *, show_labels: bool) -> list:
    """Ticks, labels, block headings, separators, zero line; returns the heading Texts."""
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
            heads.append(ax.text(0, y, block_title(b), transform=trans, ha="right", va="center",
                                 fontsize=plan.size * 1.05, fontweight="bold", color=NEUTRAL["ink"],
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
        Line2D([], [], color=PALETTE[r], marker=ROLE_MARKERS[r], markerfacecolor=PALETTE[r],
               markeredgecolor="white", markersize=ms, lw=lw, label=ROLE_LABELS[r])
        for r in ROLE_ORDER if r in roles
    ]


def _caption_text(rule, verdicts: list[pd.DataFrame], show_n: bool) -> str | None:
    if rule is False:
        rule_text = None
    elif rule is None or rule is True:
        # the one-line form: the full rule (attrs["rule"]) belongs in reports, not under a figure
        rule_text = next((v.attrs["rule_short"] for v in verdicts if v.attrs.get("rule_short")), DEFAULT_RULE)
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
    if "outcome" in verdict.columns:
        outs = verdict["outcome"].dropna().astype(str).unique()
        if len(outs) == 1:
            return var_label(outs[0])
    return None


def _label_column(ax: Axes, extra: list):
    """Coordinates callable: the box around the y tick labels and block headings."""
    def bbox(renderer):
        boxes = [t.get_window_extent(renderer) for t in ax.get_yticklabels() if t.get_visible() and t.get_text()]
        boxes += [t.get_window_extent(renderer) for t in extra]
        boxes.append(ax.get_window_extent(renderer))
        return Bbox.union(boxes)
    return bbox


# --------------------------------------------------------------------------- public
def plot_drivers(
    verdict: pd.DataFrame,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    caption: bool = True,
    rule: str | None = None,
    show_n: bool = True,
    xlabel: str = DEFAULT_XLABEL,
    legend: bool = True,
) -> Axes:
    """Driver/blocker figure of one outcome: each factor's standardized effect and CI.

    Parameters
    ----------
    verdict : DataFrame
        One row per factor, as returned by ``classify_factors``: columns
        ``factor`` (variable id), ``block``, ``role`` (``"driver"``,
        ``"blocker"`` or ``"no clear effect"``), ``estimate`` (standardized
        beta), ``ci_low``, ``ci_high``; optional ``label``, ``n``, ``outcome``
        (``p_value``, ``p_adj`` and ``evidence`` are not drawn).
        ``verdict.attrs["rule_short"]``, when set, is the caption's rule.
    ax : Axes, optional
        Where to draw; otherwise a new figure in the active style (taller
        than the style's size when there are many rows, except in a 16:9
        style, which keeps the slide format).
    title : str, optional
        Title; defaults to the catalogue label of the ``outcome`` column;
        ``""`` for none.
    caption : bool
        Write the caption line (rule and sample size) below the x-axis label.
    rule : str, optional
        The classification rule for the caption; defaults to
        ``verdict.attrs["rule_short"]`` or :data:`DEFAULT_RULE`; ``False`` omits it.
    show_n : bool
        Add ``n = ... countries`` (from column ``n``) to the caption.
    xlabel : str
        Label of the effect axis.
    legend : bool
        Show the role legend above the rows.

    Returns
    -------
    Axes
        One y tick per factor (labels from the ``label`` column or the
        catalogue), blocks in order of first appearance and factors in data
        order within a block; one errorbar container per role, coloured by
        :data:`~cybercult.plot.PALETTE`; a vertical line at zero.

    Notes
    -----
    Block headings are bold text in the label column, so the y ticks are
    exactly the factors. Labels wrap to about a third of the figure width.
    When the rows are too close for the style's type (many factors on a
    slide), the labels shrink until they fit rather than overlap.

    Examples
    --------
    >>> import cybercult as cc
    >>> with cc.plot.style("slides"):
    ...     ax = cc.plot_drivers(verdict, rule="Holm-adjusted p < .05")  # doctest: +SKIP
    """
    verdict = _check_verdict(verdict)
    blocks = _blocks([verdict])
    raw = _row_labels([verdict])
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
    heads = _decorate(ax, plan, show_labels=True)
    ax.set_xlim(*_xlim([verdict]))
    ax.set_xlabel(xlabel)

    legend_pt = 0.0
    if legend and roles:
        leg = ax.legend(handles=_legend_handles(roles), loc="lower left", bbox_to_anchor=(0.0, 1.0),
                        ncol=len(roles), frameon=False, borderaxespad=0.3, handlelength=1.6)
        legend_pt = leg.get_window_extent(fig.canvas.get_renderer()).height * 72 / fig.dpi
    if title_txt:
        ax.set_title(title_txt, loc="left", pad=mpl.rcParams["axes.titlepad"] + legend_pt)
    if cap_txt:
        size = _caption_size()
        # Left edge of the label column, just below the x-axis label.
        ax.annotate(cap_txt, xy=(0, 0), xycoords=(_label_column(ax, heads), ax.xaxis.label),
                    xytext=(0, -0.8 * size), textcoords="offset points", ha="left", va="top",
                    fontsize=size, color=NEUTRAL["mid"], annotation_clip=False, gid="caption")
    return ax


def plot_drivers_grid(
    verdicts: Mapping[str, pd.DataFrame],
    *,
    sharey: bool = True,
    title: str | None = None,
    caption: bool = True,
    rule: str | None = None,
    show_n: bool = True,
    xlabel: str = DEFAULT_XLABEL,
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """Driver/blocker figures of several outcomes or pillars side by side.

    Parameters
    ----------
    verdicts : mapping of outcome id to DataFrame
        One verdict table (see :func:`plot_drivers`) per outcome, in panel
        order; panel titles are the catalogue labels of the keys.
    sharey : bool
        Factor labels and block headings only on the first panel. Every
        panel has the same rows in either case (a factor missing from one
        outcome leaves its row empty there).
    title : str, optional
        Figure title.
    caption, rule, show_n
        As in :func:`plot_drivers`; one caption for the figure.
    xlabel : str
        Label of the shared effect axis.
    figsize : (float, float), optional
        Defaults to the style's width and a height that fits the rows (a
        16:9 style keeps its size).

    Returns
    -------
    Figure
        ``fig.axes`` holds one Axes per outcome, in the order of ``verdicts``;
        the role legend heads the panels and the caption is the figure's
        bottom line.
    """
    if not isinstance(verdicts, Mapping) or not verdicts:
        raise TypeError("verdicts must be a non-empty dict of outcome id -> verdict DataFrame")
    frames = [_check_verdict(v, f"verdicts[{k!r}]") for k, v in verdicts.items()]
    blocks = _blocks(frames)
    raw = _row_labels(frames)
    fig_w, fig_h = figsize or mpl.rcParams["figure.figsize"]
    k = len(frames)
    label_width_in = 0.26 * fig_w if sharey else 0.7 * fig_w / (k + 0.7 * k)
    panel_in = (fig_w - (label_width_in if sharey else 0)) / k * (0.9 if sharey else 0.5)
    panel_size = min(points("axes.labelsize"), points("xtick.labelsize"))
    # bold titles are wider than regular text: 1.45 keeps neighbouring panel titles apart
    # a single long word ("Organizational") cannot wrap: shrink the panel titles until it fits
    longest = max(len(w) for o in verdicts for w in var_label(str(o)).split())
    panel_size = min(panel_size, panel_in * 72 / (_CHAR_WIDTH * 1.45 * longest))
    panel_titles = [wrap(var_label(str(o)), wrap_width(panel_in, panel_size * 1.45)) for o in verdicts]
    cap_text = _caption_text(rule, frames, show_n) if caption else None
    cap_txt = wrap(cap_text, wrap_width(0.95 * fig_w, _caption_size())) if cap_text else ""
    title_lines = max(t.count("\n") + 1 for t in panel_titles)
    # The legend shares the title's line when both fit (estimated widths), else
    # it gets a line of its own above the panels.
    legend_pt = sum((len(ROLE_LABELS[r]) * 0.55 + 3.2) * points("legend.fontsize")
                    for r in ROLE_ORDER if (pd.concat([f["role"] for f in frames]) == r).any())
    title_pt = len(title) * 0.62 * points("figure.titlesize") if title else 0.0
    legend_on_title = bool(title) and title_pt + legend_pt + 36 < fig_w * 72
    overhead = _overhead_pt(title_lines=0, caption_lines=cap_txt.count("\n") + 1 if cap_txt else 0,
                            legend=not legend_on_title)
    overhead += title_lines * panel_size * _LINE + mpl.rcParams["axes.titlepad"]
    if title:
        overhead += points("figure.titlesize") * _LINE + 4
    if figsize is None and style_grows():
        plan = _plan(blocks, raw, label_width_in=label_width_in, avail_pt=None)
        fig_h = max(fig_h, (plan.units * _ROW_PAPER * plan.size + overhead) / 72)
    else:
        plan = _plan(blocks, raw, label_width_in=label_width_in, avail_pt=fig_h * 72 - overhead)

    fig = plt.figure(figsize=(fig_w, fig_h), layout="constrained")
    panels = fig.subfigures(1, 1)  # holds the panels and the legend, below the title
    axes = panels.subplots(1, k, sharey=sharey, sharex=True, squeeze=False)[0]
    roles: set[str] = set()
    for i, (ax, verdict, ptitle) in enumerate(zip(axes, frames, panel_titles)):
        roles.update(_draw_rows(ax, verdict, plan.ypos))
        _decorate(ax, plan, show_labels=i == 0 or not sharey)
        ax.set_title(ptitle, loc="left", fontsize=panel_size)
    axes[0].set_xlim(*_xlim(frames))
    panels.supxlabel(xlabel)
    nbins = max(2, int(panel_in * 72 / (4.5 * points("xtick.labelsize"))))
    axes[0].xaxis.set_major_locator(MaxNLocator(nbins=nbins, steps=[1, 2, 2.5, 5, 10]))
    if title:
        fig.suptitle(title, x=0.01, ha="left")
    if roles:
        handles = _legend_handles(roles)
        if legend_on_title:
            fig.legend(handles=handles, loc="outside upper right", ncol=len(roles), frameon=False)
        else:
            panels.legend(handles=handles, loc="outside upper left", ncol=len(roles), frameon=False)
    if cap_txt:
        fig.supxlabel(cap_txt, x=0.01, ha="left", fontsize=_caption_size(), color=NEUTRAL["mid"])
    return fig
