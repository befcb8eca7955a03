"""Small helpers shared by the figure modules (not public API)."""
from __future__ import annotations

import functools
import math
import re
import textwrap
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.font_manager import FontProperties

from .._docstrings import fill_doc
from .._format import fmt_p as _fmt_p
from ..data.catalogue import label as _catalogue_label

# Average advance of a character of DejaVu Sans, as a fraction of the font size;
# used to turn a width in points into a number of characters for wrapping.
_CHAR_WIDTH = 0.52


def literal(text: str) -> str:
    """``text`` drawn as written, never as mathtext.

    matplotlib reads a text with an even number (> 0) of unescaped ``$`` as math, so a
    user's column header such as ``Cost in $ (2020 $)`` would be parsed and fail when
    drawn. Such a text gets every ``$`` escaped (``\\$`` is drawn as ``$``); a text that
    would not be parsed (one ``$``, as in "ln current intl $") is returned unchanged.
    Idempotent.

    Parameters
    ----------
    text : str
        A label, title or name to draw (converted with ``str``).
    """
    text = str(text)
    if mpl.cbook.is_math_text(text):
        return re.sub(r"(?<!\\)\$", r"\\$", text)
    return text


# A researcher's own variables (Panel.user_variables) travel with the data frame (``attrs["variables"]``),
# not in a process-wide registry; a plot function that receives the data makes them known to var_label
# for the duration of the call.
_USER_VARIABLES: ContextVar = ContextVar("cybercult_user_variables", default=None)


@contextmanager
def labels_from(data) -> Iterator[None]:
    """Within the block, :func:`var_label` also knows the user variables ``data`` carries.

    Parameters
    ----------
    data : DataFrame or None
        Its ``attrs["variables"]`` (set by :func:`cybercult.build_panel` for
        the researcher's own indicators) are the user variables.
    """
    users = getattr(data, "attrs", {}).get("variables") if data is not None else None
    if not users:
        yield
        return
    token = _USER_VARIABLES.set(users)
    try:
        yield
    finally:
        _USER_VARIABLES.reset(token)


def uses_data_labels(fn):
    """Decorator: the plot's first argument (a data frame, or a model with ``data_used``) names its user variables.

    Parameters
    ----------
    fn : function
        A plot function; its labels are drawn within :func:`labels_from` of
        its first argument.
    """
    @functools.wraps(fn)
    def wrapper(data, *args, **kwargs):
        with labels_from(getattr(data, "data_used", data)):
            return fn(data, *args, **kwargs)
    return wrapper


@fill_doc
def var_label(var_id: str, *, unit: bool = False) -> str:
    """Catalogue label of a variable id (the id itself for unknown columns), ``$`` drawn literally.

    Parameters
    ----------
    {params.var_id}
    {params.unit}
    """
    return literal(_catalogue_label(str(var_id), unit=unit, user_variables=_USER_VARIABLES.get()))


def block_title(block: object) -> str:
    """Heading shown for a block id such as ``"culture"``.

    Parameters
    ----------
    block : object
        Block id; underscores become spaces and the first letter a capital.
    """
    text = str(block).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def require_columns(df: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    """Raise ``TypeError`` unless ``df`` is a DataFrame, ``ValueError`` naming the missing columns.

    Parameters
    ----------
    df : DataFrame
        The table a plot function received.
    columns : iterable of str
        The columns it needs.
    what : str
        The argument's name, for the message (``"verdict"``).
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"{what} must be a pandas DataFrame, not {type(df).__name__}")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(
            f"{what} has no column(s) {missing}; it needs {list(columns)} (has {list(df.columns)})"
        )


def require_column(df: pd.DataFrame, column: str, argument: str) -> None:
    """Raise ``ValueError`` listing the valid columns unless ``column`` is one of ``df``.

    Parameters
    ----------
    df : DataFrame
        The data a plot function received.
    column : str
        The column an argument names.
    argument : str
        That argument's name, for the message (``"outcome"``).
    """
    if column not in df.columns:
        raise ValueError(f"{argument}={column!r} is not a column of data; valid: {', '.join(map(str, df.columns))}")


def require_data(data, **columns: str) -> None:
    """Raise ``TypeError`` unless ``data`` is a DataFrame, then check each named column in turn.

    Parameters
    ----------
    data : DataFrame
        The ``data`` argument of a plot function.
    **columns : str
        Argument name -> the column it names (``outcome="gci2020.score"``),
        each checked with :func:`require_column` in the order given.
    """
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"data must be a pandas DataFrame, not {type(data).__name__}")
    for argument, column in columns.items():
        require_column(data, column, argument)


@fill_doc
def get_ax(ax: Axes | None, *, figsize: tuple[float, float] | None = None) -> Axes:
    """The Axes to draw on: ``ax`` itself or the only Axes of a new figure.

    New figures use constrained layout whatever the style, so titles, legends
    and captions outside the plot are never clipped.

    Parameters
    ----------
    {params.ax}
    figsize : (float, float), optional
        Size of a new figure in inches; default the style's.
    """
    if ax is None:
        _fig, ax = plt.subplots(figsize=figsize, layout="constrained")
        return ax
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None, not {type(ax).__name__}")
    return ax


def points(size_key: str = "font.size") -> float:
    """A font size rcParam in points (resolves names such as 'large').

    Parameters
    ----------
    size_key : str
        The rcParam, e.g. ``"axes.labelsize"``.
    """
    return FontProperties(size=mpl.rcParams[size_key]).get_size_in_points()


def wrap_width(width_in: float, fontsize_pt: float) -> int:
    """How many characters of ``fontsize_pt`` type fit in ``width_in`` inches.

    Parameters
    ----------
    width_in : float
        Width in inches.
    fontsize_pt : float
        Font size in points.
    """
    return max(8, int(width_in * 72 / (_CHAR_WIDTH * fontsize_pt)))


def wrap(text: str, width: int | None) -> str:
    """Wrap ``text`` to ``width`` characters for a label.

    A parenthetical such as "(As Is)" stays on one line, and a label only a
    little too long is kept whole rather than leaving one short word behind.

    Parameters
    ----------
    text : str
        The label.
    width : int or None
        Characters per line (see :func:`wrap_width`); ``None`` or 0 for no wrapping.
    """
    text = literal(text)
    if not width or len(text) <= width:
        return text.replace("\u00a0", " ")
    glued = re.sub(r"\(([^)]*)\)", lambda m: "(" + m.group(1).replace(" ", "\u00a0") + ")", text)
    lines = textwrap.wrap(glued, width=width, break_long_words=False, break_on_hyphens=False)
    if len(lines) == 2 and len(lines[1]) <= 8 and len(text) <= width * 1.15:
        lines = [glued]
    return "\n".join(lines).replace("\u00a0", " ") if lines else text.replace("\u00a0", " ")


def fmt_p(p: float, *, prefix: str = "p") -> str:
    """APA-style p value for figures: ``p < .001``, ``p = .012``, ``p = .34`` (``p = n/a`` for NaN).

    :func:`cybercult._format.fmt_p` with ``style="apa"``; tables use its ``"table"`` style.

    Parameters
    ----------
    p : float
        The p value.
    prefix : str
        What stands before the relation (``"robust p"``).
    """
    return _fmt_p(p, style="apa", prefix=prefix)


def fmt_signed(x: float, digits: int = 2) -> str:
    """Number with a true minus sign (U+2212) as typeset text.

    Parameters
    ----------
    x : float
        The number.
    digits : int
        Decimals shown.
    """
    s = f"{x:.{digits}f}"
    return s.replace("-", "\u2212")


def n_text(n: pd.Series) -> str | None:
    """``n = 81 countries`` (or a range when rows differ); ``None`` when no row has a number.

    Parameters
    ----------
    n : Series
        Number of countries per row of a result (column ``n``).
    """
    vals = pd.to_numeric(pd.Series(n), errors="coerce").dropna()
    if vals.empty:
        return None
    lo, hi = int(vals.min()), int(vals.max())
    return f"n = {lo} countries" if lo == hi else f"n = {lo}\u2013{hi} countries"


def style_grows() -> bool:
    """Whether a new figure may be taller than the style's size (not a 16:9 slide)."""
    w, h = mpl.rcParams["figure.figsize"]
    return w / h < 1.7


def rows_figsize(n_rows: float, *, row_in_font: float = 1.9, overhead_in: float = 1.6) -> tuple[float, float]:
    """Style's figure size, taller when ``n_rows`` labelled rows need it (not on slides).

    Parameters
    ----------
    n_rows : float
        Rows of labels the figure shows.
    row_in_font : float
        Height of a row, in tick-label font sizes.
    overhead_in : float
        Height of everything but the rows (title, axis, legend), in inches.
    """
    w, h = mpl.rcParams["figure.figsize"]
    if not style_grows():
        return w, h
    need = n_rows * row_in_font * points("ytick.labelsize") / 72 + overhead_in
    return w, max(h, need)


def iso3_of(data: pd.DataFrame) -> pd.Series:
    """ISO3 codes of the rows: column ``iso3`` or else the index.

    Parameters
    ----------
    data : DataFrame
        One row per country.
    """
    if "iso3" in data.columns:
        return data["iso3"].astype(str)
    return pd.Series(data.index.astype(str), index=data.index)


def set_axis_labels(ax: Axes, xlabel: str | None = None, ylabel: str | None = None) -> None:
    """Set axis labels, wrapped so that a long catalogue label is never clipped.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The axes to label.
    xlabel, ylabel : str, optional
        The labels; ``None`` leaves an axis's label as it is.
    """
    fig = ax.figure
    size = points("axes.labelsize")
    if xlabel is not None:
        ax.set_xlabel(wrap(xlabel, wrap_width(0.85 * fig.get_figwidth(), size)))
    if ylabel is not None:
        ax.set_ylabel(wrap(ylabel, wrap_width(0.75 * fig.get_figheight(), size)))
