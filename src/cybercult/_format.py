"""Number formatting, table writers and the result protocol (the ground floor: imports only numpy and pandas).

Every layer formats with these: ``stats`` (result objects and their tables),
``plot`` (p-values and stars on figures), ``report`` (Markdown, HTML, LaTeX).
Numbers are stored at full precision; rounding happens only here, on display.
Markdown and LaTeX are written by hand (no ``tabulate`` or ``jinja2``), so
``to_markdown()`` and ``to_latex()`` work in a plain install.

:class:`ResultMixin` is the one display protocol of the result objects, in the
way linearmodels' ``_SummaryStr`` gives all its results one face: a class
supplies ``_header()`` (lines of text) and ``_tables()`` (name -> tidy
DataFrame); the mixin supplies ``summary(digits)``, ``__str__``, ``__repr__``,
``_repr_html_``, ``to_markdown``, ``to_latex(caption=...)`` and ``to_csv(folder)``.
"""
from __future__ import annotations

import html
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = [
    "STAR_LEVELS", "fmt_num", "fmt_p", "fmt_typeset", "stars", "display_frame", "latex_escape",
    "frame_to_text", "frame_to_markdown", "frame_to_latex", "frame_to_html", "ResultMixin",
]

#: one star per level a p-value is below: ``*`` < .05, ``**`` < .01, ``***`` < .001
STAR_LEVELS = (0.05, 0.01, 0.001)


# ------------------------------------------------------------------ numbers
def _missing(x) -> bool:
    if x is None:
        return True
    try:
        return math.isnan(float(x))
    except (TypeError, ValueError):
        return False


def fmt_num(x, digits: int = 3) -> str:
    """A number for display: fixed decimals, scientific for very small or large, ``''`` for NaN.

    Integers (Python or numpy ``int``) are shown whole; strings pass through.

    Examples
    --------
    >>> fmt_num(0.123456), fmt_num(3), fmt_num(1.2e-5), fmt_num(float("nan"))
    ('0.123', '3', '1.20e-05', '')
    """
    if x is None:
        return ""
    if isinstance(x, (str, bytes)):
        return str(x)
    try:
        xf = float(x)
    except (TypeError, ValueError):
        return str(x)
    if math.isnan(xf):
        return ""
    if math.isinf(xf):
        return "inf" if xf > 0 else "-inf"
    if float(xf).is_integer() and abs(xf) < 1e12 and isinstance(x, (int, np.integer)):
        return str(int(xf))
    if xf != 0 and (abs(xf) < 10 ** (-digits) or abs(xf) >= 1e7):
        return f"{xf:.{max(digits - 1, 1)}e}"
    return f"{xf:.{digits}f}"


def fmt_typeset(x, digits: int = 2) -> str:
    """A number as typeset text: fixed decimals, a true minus sign (U+2212), never ``-0.00``; ``''`` for NaN.

    Examples
    --------
    >>> fmt_typeset(-0.4567), fmt_typeset(-0.001), fmt_typeset(float("nan"))
    ('\u22120.46', '0.00', '')
    """
    if _missing(x) or not np.isfinite(float(x)):
        return ""
    s = f"{float(x):.{digits}f}"
    if float(s) == 0:
        s = f"{0.0:.{digits}f}"
    return s.replace("-", "\u2212")


def fmt_p(p, digits: int = 3, *, style: str = "table", prefix: str | None = None) -> str:
    """A p-value for display, in one of two documented styles.

    Parameters
    ----------
    p : float
    digits : int
        ``style="table"`` only: decimals shown; below ``10**-digits`` the value
        shows as ``<0.001`` (for ``digits=3``).
    style : {"table", "apa"}
        ``"table"`` (tables and text: ``0.012``, ``<0.001``, ``''`` for NaN) or
        ``"apa"`` (figures, APA 7: no leading zero, three decimals below .01 and
        two above, ``< .001`` at the floor: ``.012``, ``.34``).
    prefix : str, optional
        Written before the value with ``" = "`` (or ``" < "`` at the floor),
        e.g. ``prefix="p"`` gives ``p = .012``; NaN then shows as ``p = n/a``.

    Returns
    -------
    str

    Examples
    --------
    >>> fmt_p(0.01234), fmt_p(0.0002), fmt_p(0.3412, style="apa", prefix="p"), fmt_p(0.0002, style="apa", prefix="p")
    ('0.012', '<0.001', 'p = .34', 'p < .001')
    """
    if style not in ("table", "apa"):
        raise ValueError(f"style must be 'table' or 'apa', got {style!r}")
    try:
        pf = float(p)
    except (TypeError, ValueError):
        return str(p)
    if math.isnan(pf):
        return "" if prefix is None else f"{prefix} = n/a"
    if style == "table":
        lim = 10 ** (-digits)
        floor, shown = pf < lim, f"{lim:.{digits}f}" if pf < lim else f"{pf:.{digits}f}"
    else:
        floor = pf < 0.001
        shown = ".001" if floor else (f"{pf:.3f}" if pf < 0.01 else f"{pf:.2f}").replace("0.", ".", 1)
    if prefix is None:
        return ("<" + shown) if floor else shown
    return f"{prefix} {'<' if floor else '='} {shown}"


def stars(p, levels: Sequence[float] = STAR_LEVELS, *, alpha: float | None = None) -> str:
    """One ``*`` per level in ``levels`` that ``p`` is below; ``''`` for NaN.

    Parameters
    ----------
    p : float
    levels : sequence of float
        Default ``(0.05, 0.01, 0.001)``.
    alpha : float, optional
        Levels above ``alpha`` are not used (a figure at ``alpha=0.01`` draws no
        star for p = .03).

    Examples
    --------
    >>> [stars(p) for p in (0.2, 0.049, 0.009, 0.0009)], stars(0.0009, alpha=0.01)
    (['', '*', '**', '***'], '**')
    """
    if _missing(p) or not np.isfinite(float(p)):
        return ""
    used = [lev for lev in levels if alpha is None or lev <= alpha + 1e-12]
    return "*" * sum(float(p) < lev for lev in used)


# ------------------------------------------------------------------ tables
_P_COLUMNS = {"p_value", "p_adj", "f_p_value", "p_value_robust", "bp_p_value", "jb_p_value", "reset_p_value",
              "f_p_value_classic"}
_INT_COLUMNS = {"n", "df", "df1", "df2", "k", "step", "n1", "n2", "groups", "bp_df", "reset_df1", "f_df1"}


def _as_frame(df) -> pd.DataFrame:
    # a result object with a display table (e.g. ModelComparison) is rendered through it
    if not isinstance(df, pd.DataFrame) and isinstance(getattr(df, "table", None), pd.DataFrame):
        return df.table
    return df


def display_frame(df: pd.DataFrame, digits: int = 3) -> pd.DataFrame:
    """A copy of ``df`` with every cell formatted as text: p-value columns with :func:`fmt_p`,
    whole-number count columns as integers, other numbers with :func:`fmt_num`."""
    df = _as_frame(df)
    out = pd.DataFrame(index=df.index)
    for c in df.columns:
        col = df[c]
        if c in _P_COLUMNS or (isinstance(c, str) and c.endswith("p_value")):
            out[c] = [fmt_p(v, digits) for v in col]
        elif (c in _INT_COLUMNS and pd.api.types.is_numeric_dtype(col)
              and all(float(v).is_integer() for v in col.dropna())):
            out[c] = ["" if pd.isna(v) else str(int(v)) for v in col]
        elif pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
            out[c] = [fmt_num(v, digits) for v in col]
        else:
            out[c] = ["" if (v is None or (isinstance(v, float) and math.isnan(v))) else str(v) for v in col]
    return out


def _is_numberlike(s: str) -> bool:
    s = s.strip().lstrip("<")
    try:
        float(s.split(" ")[0])
        return True
    except ValueError:
        return False


def frame_to_text(df: pd.DataFrame, *, digits: int = 3, index: bool = False) -> str:
    """Plain-text table (fixed width)."""
    return display_frame(df, digits).to_string(index=index)


def _md_escape(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ")


def frame_to_markdown(df: pd.DataFrame, *, digits: int = 3, index: bool = False) -> str:
    """GitHub-flavoured Markdown table; numeric columns right-aligned."""
    shown = display_frame(df, digits)
    if index:
        shown = shown.reset_index()
    cols = [str(c) for c in shown.columns]
    rows = [[_md_escape(str(v)) for v in r] for r in shown.itertuples(index=False)]
    align = []
    for j, _c in enumerate(cols):
        vals = [r[j] for r in rows if r[j] != ""]
        align.append("---:" if vals and all(_is_numberlike(v) for v in vals) else ":---")
    lines = ["| " + " | ".join(_md_escape(c) for c in cols) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


_LATEX_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
                  "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
                  "<": r"\textless{}", ">": r"\textgreater{}"}


def latex_escape(s: str) -> str:
    """``s`` with LaTeX's special characters escaped."""
    return "".join(_LATEX_SPECIAL.get(ch, ch) for ch in str(s))


def frame_to_latex(df: pd.DataFrame, *, digits: int = 3, index: bool = False, caption: str | None = None,
                   label: str | None = None) -> str:
    """A booktabs ``tabular`` (wrapped in ``table`` when a caption or label is given)."""
    shown = display_frame(df, digits)
    if index:
        shown = shown.reset_index()
    cols = [str(c) for c in shown.columns]
    rows = [[str(v) for v in r] for r in shown.itertuples(index=False)]
    spec = "".join(
        "r" if [r[j] for r in rows if r[j]] and all(_is_numberlike(r[j]) for r in rows if r[j]) else "l"
        for j in range(len(cols))
    )
    body = [r"\begin{tabular}{" + spec + "}", r"\toprule", " & ".join(latex_escape(c) for c in cols) + r" \\",
            r"\midrule"]
    body += [" & ".join(latex_escape(v) for v in r) + r" \\" for r in rows]
    body += [r"\bottomrule", r"\end{tabular}"]
    if caption is None and label is None:
        return "\n".join(body)
    head = [r"\begin{table}[htbp]", r"\centering"]
    if caption:
        head.append(r"\caption{" + latex_escape(caption) + "}")
    if label:
        head.append(r"\label{" + label + "}")
    return "\n".join(head + body + [r"\end{table}"])


def frame_to_html(df: pd.DataFrame, *, digits: int = 3, index: bool = False) -> str:
    """An HTML ``<table>`` of the display text (cells escaped)."""
    return display_frame(df, digits).to_html(index=index, escape=True, border=0)


# ------------------------------------------------------------------ the result protocol
class ResultMixin:
    """One display protocol for result objects.

    A class supplies

    - ``_header()``: list of str, the lines above the tables (no dates);
    - ``_tables()``: dict, name -> tidy DataFrame at full precision, in display order.

    and may set ``_index_tables`` (names of tables whose index is data, e.g. the
    terms of a model comparison) and override ``_notes()`` (lines shown after the
    tables) or ``_display_tables(digits)`` (what the text, HTML, Markdown and LaTeX
    show, when that differs from what ``to_csv`` writes).
    """

    _index_tables: tuple = ()

    # -- what a class supplies
    def _header(self) -> list[str]:  # pragma: no cover - every class overrides
        raise NotImplementedError

    def _tables(self) -> dict:  # pragma: no cover - every class overrides
        raise NotImplementedError

    def _notes(self) -> list[str]:
        notes = getattr(self, "notes", ())
        return [str(n) for n in notes] if isinstance(notes, (list, tuple)) else []

    def _display_tables(self) -> dict:
        return self._tables()

    def _titled(self) -> list[tuple[str, pd.DataFrame, bool]]:
        return [(name, df, name in self._index_tables) for name, df in self._display_tables().items()]

    # -- what the mixin supplies
    def summary(self, digits: int = 3) -> str:
        """Text: the header, each table under its name, the notes (no dates)."""
        parts = list(self._header())
        for name, df, index in self._titled():
            parts += ["", name, frame_to_text(df, digits=digits, index=index)]
        notes = self._notes()
        if notes:
            parts += [""] + [f"Note: {n}" for n in notes]
        return "\n".join(parts)

    def __str__(self) -> str:
        return self.summary()

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>\n" + self.summary()

    def _repr_html_(self) -> str:
        head = "".join(f"<p>{html.escape(h)}</p>" for h in self._header())
        body = "".join(f"<p><b>{html.escape(name)}</b></p>{frame_to_html(df, index=index)}"
                       for name, df, index in self._titled())
        notes = "".join(f"<p><small>{html.escape(n)}</small></p>" for n in self._notes())
        return f"<div>{head}{body}{notes}</div>"

    def to_markdown(self, digits: int = 3) -> str:
        """Markdown: the header (first line bold), one table per part under its name, the notes."""
        head = self._header()
        lines = [f"**{head[0]}**", ""] + [f"{h}  " for h in head[1:]] if head else []
        for name, df, index in self._titled():
            lines += ["", f"_{name}_", "", frame_to_markdown(df, digits=digits, index=index)]
        notes = self._notes()
        if notes:
            lines += [""] + [f"_Note: {n}_  " for n in notes]
        return "\n".join(lines)

    def to_latex(self, digits: int = 3, caption: str | None = None) -> str:
        """LaTeX (booktabs): one ``table`` per part, captioned ``"{caption}: {part}"``.

        ``caption`` defaults to the first header line.
        """
        head = self._header()
        cap = caption if caption is not None else (head[0] if head else type(self).__name__)
        return "\n\n".join(frame_to_latex(df, digits=digits, index=index, caption=f"{cap}: {name}")
                           for name, df, index in self._titled())

    def to_csv(self, folder) -> list[Path]:
        """Write every tidy table at full precision to ``folder/<name>.csv``; return the paths.

        The folder is created when missing. Tables whose index is data are
        written with it; the others without.
        """
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        paths = []
        for name, df in self._tables().items():
            path = folder / f"{_file_name(name)}.csv"
            df.to_csv(path, index=name in self._index_tables)
            paths.append(path)
        return paths


def _file_name(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in str(name)).strip("_") or "table"
