"""The row layout of the driver figures: where each factor's row goes, label wrapping, type size.

:func:`_plan` places block headings and one row per factor (wrapped labels take
extra height) and, when the figure has a fixed height, shrinks the type until
every row fits; :func:`_overhead_pt` is the height everything but the rows takes.
The hyphenation helpers fit panel titles of :func:`~cybercult.plot.plot_drivers_grid`.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import matplotlib as mpl
import numpy as np

from ._common import points, wrap, wrap_width

# Vertical layout, in row units (one unit = the distance between two one-line rows).
_HEADING = 0.95       # a block heading
_GAP = 0.3            # extra space before every block but the first
_EXTRA_LINE = 0.6     # each further line of a wrapped label
_MARGIN_TOP, _MARGIN_BOTTOM = 0.55, 0.65
_LINE = 1.17          # line height of DejaVu Sans, in font sizes
_ROW_PAPER = 1.9      # row distance, in font sizes, when the figure may grow
PAGE_HEIGHT = 9.0     # inches: the text block of an A4 or US-letter page


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


def _plan(blocks, raw_labels, *, label_width_in: float, avail_pt: float | None, spacing: float = 1.1,
          floor: float = 6.0) -> _Plan:
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
    for size in [*np.arange(base, floor, -0.5), floor]:
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
        if spacing * size <= row_pt and spacing * size <= _HEADING * row_pt + 1e-9:
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


def _bold_width(text: str, size: float) -> float:
    """Width in points of ``text`` in the style's bold font at ``size``."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    prop = FontProperties(family=mpl.rcParams["font.family"], size=size, weight="bold")
    return TextToPath().get_text_width_height_descent(text, prop, ismath=False)[0]


def _hyphen_at(word: str, limit: int) -> int:
    """Where to break ``word`` so that the first part (with its hyphen) has at most ``limit`` characters.

    Prefers a break between two consonants ("develop-ment"), then after a vowel
    before a consonant ("Coope-ration", "Organiza-tional"), with at least three
    letters on each side; else a plain cut.
    """
    vowels = set("aeiouyAEIOUY")
    ok = [i for i in range(3, min(limit, len(word) - 2)) if word[i - 1].isalpha() and word[i].isalpha()]
    for test in (lambda i: word[i - 1] not in vowels and word[i] not in vowels,
                 lambda i: word[i - 1] in vowels and word[i] not in vowels):
        good = [i for i in ok if test(i)]
        if good:
            return max(good)
    return max(1, limit - 1)


def _hyphenate(text: str, width: int) -> str:
    """Break words longer than ``width`` characters with a hyphen (a panel title on a slide)."""
    lines = []
    for line in text.split("\n"):
        parts = []
        for w in line.split(" "):
            while len(w) > width:
                i = _hyphen_at(w, width)
                parts.append(w[:i] + "-\n")
                w = w[i:]
            parts.append(w)
        lines.append(" ".join(parts).replace("-\n ", "-\n"))
    return "\n".join(lines)


def _short_titles(labels: list[str]) -> tuple[list[str], str]:
    """Panel titles without the words most of them share ("GCI 2020 ... pillar"), and that shared prefix."""
    words = [str(t).split() for t in labels]
    prefix = ""
    for n in (3, 2, 1):
        heads = [" ".join(w[:n]) for w in words if len(w) > n]
        if not heads:
            continue
        common = max(set(heads), key=lambda h: (heads.count(h), h))
        if heads.count(common) >= max(2, (len(labels) + 1) // 2):
            prefix = common
            break
    out = []
    for t, w in zip(labels, words):
        n = len(prefix.split()) if prefix and " ".join(w).startswith(prefix + " ") else 0
        rest = w[n:]
        if len(rest) > 1 and rest[-1].lower() == "pillar" and n:
            rest = rest[:-1]
        text = " ".join(rest) if rest else t
        out.append(text[:1].upper() + text[1:])
    return out, prefix
