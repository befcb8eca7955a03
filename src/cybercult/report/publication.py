"""The table a paper prints: the main models side by side, as LaTeX, Word and HTML.

Unlike the data exports (``regression.tex`` with every column, ``correlations.tex``
with every pair), this table is laid out to fit a journal page: one column per
model, a label column that wraps, the standard error (or the interval) on a
second line under each coefficient, the stars and the inference explained in a
note under the table.
"""
from __future__ import annotations

import html
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats as _st

from .._docstrings import fill_doc
from .._format import fmt_typeset as _fmt
from .._format import latex_escape
from .._format import stars as _stars
from ..stats.comparison import check_models
from ..stats.results import ModelResult

__all__ = ["PublicationTable", "publication_table", "write_publication_tables"]

_STAT_LABELS = {"n": "N", "r2": "R\u00b2", "adj_r2": "Adjusted R\u00b2", "pseudo_r2": "Pseudo R\u00b2"}
_COV_NAMES = {"HC0": "HC0", "HC1": "HC1", "HC2": "HC2", "HC3": "HC3", "nonrobust": "classical (non-robust)"}


def _interval_level(tab: pd.DataFrame, lo: str, hi: str, est: str, se: str, df) -> float | None:
    """The interval level the table was computed at (from its own estimate, SE and bounds)."""
    rows = tab[[est, se, lo, hi]].dropna()
    rows = rows[rows[se] > 0]
    if rows.empty:
        return None
    half = ((rows[hi] - rows[lo]) / 2 / rows[se]).median()
    dfv = float(df) if df is not None and np.isfinite(df) and df > 0 else np.inf
    return float(2 * _st.t.cdf(half, dfv) - 1)


@dataclass(frozen=True)
class PublicationTable:
    """A publication regression table; ``.body`` holds the cells, writers render it.

    Attributes
    ----------
    body : DataFrame
        One row per line of the table: columns ``kind`` (``block``, ``coef``,
        ``second`` (the SE or interval line), ``stat``), ``label`` and one
        text column per model (named by ``columns``).
    columns : list of str
        Model column headings (outcome labels by default).
    notes : list of str
        Sentences printed under the table (cells, stars, SE type, correction, n).
    caption : str
        Title printed above the table.
    """

    body: pd.DataFrame
    columns: list
    notes: list = field(default_factory=list)
    caption: str = ""

    # -------------------------------------------------------------------- LaTeX
    def to_latex(self, *, label: str = "tab:publication", label_width_cm: float = 4.2) -> str:
        """LaTeX ``table`` with booktabs rules, wrapped label column and notes under the table.

        Parameters
        ----------
        label : str
            LaTeX ``\\label`` of the table, for ``\\ref``.
        label_width_cm : float
            Width of the first (row label) column; longer labels wrap.

        Needs ``\\usepackage{booktabs,array}``. The model columns share the
        rest of ``\\linewidth`` equally, so the table fits the text block
        whatever the number of models; type is ``\\small``, notes
        ``\\footnotesize``.
        """
        k = len(self.columns)
        colw = (rf"\dimexpr(\linewidth-{label_width_cm}cm-{2 * (k + 1)}\tabcolsep)/{k}\relax")
        spec = (rf"@{{}}>{{\raggedright\arraybackslash}}p{{{label_width_cm}cm}}"
                rf"*{{{k}}}{{>{{\centering\arraybackslash}}p{{{colw}}}}}@{{}}")
        lines = [r"% Needs \usepackage{booktabs,array}.", r"\begin{table}[htbp]", r"\centering", r"\small"]
        if self.caption:
            lines.append(r"\caption{" + latex_escape(self.caption) + "}")
        lines.append(r"\label{" + label + "}")
        lines += [r"\begin{tabular}{" + spec + "}", r"\toprule"]
        lines.append(" & " + " & ".join(latex_escape(c) for c in self.columns) + r" \\")
        lines.append(" & " + " & ".join(f"({i + 1})" for i in range(k)) + r" \\")
        lines.append(r"\midrule")
        first_stat = True
        for row in self.body.itertuples(index=False):
            d = row._asdict()
            cells = [_latex_cell(str(d[f"m{i}"])) for i in range(k)]
            if d["kind"] == "block":
                lines.append(r"\multicolumn{" + str(k + 1) + r"}{@{}l}{\textit{" + latex_escape(d["label"]) + r"}} \\")
                continue
            if d["kind"] == "stat" and first_stat:
                lines.append(r"\midrule")
                first_stat = False
            lab = latex_escape(d["label"]) if d["kind"] != "second" else ""
            lines.append(lab + " & " + " & ".join(cells) + r" \\")
        lines += [r"\bottomrule", r"\end{tabular}"]
        if self.notes:
            lines += [r"\par\smallskip", r"\begin{minipage}{\linewidth}\footnotesize",
                      r"\textit{Notes:} " + " ".join(latex_escape(n) for n in self.notes),
                      r"\end{minipage}"]
        lines.append(r"\end{table}")
        return "\n".join(lines) + "\n"

    # -------------------------------------------------------------------- HTML
    def to_html(self) -> str:
        """An HTML ``<table>`` (class ``publication``) with the notes in ``<tfoot>``."""
        e = html.escape
        k = len(self.columns)
        out = ['<table class="publication">']
        if self.caption:
            out.append(f"<caption>{e(self.caption)}</caption>")
        out.append("<thead><tr><th></th>" + "".join(f"<th>{e(c)}<br>({i + 1})</th>"
                                                   for i, c in enumerate(self.columns)) + "</tr></thead><tbody>")
        for row in self.body.itertuples(index=False):
            d = row._asdict()
            if d["kind"] == "block":
                out.append(f'<tr class="block"><th colspan="{k + 1}">{e(d["label"])}</th></tr>')
                continue
            cls = {"second": ' class="second"', "stat": ' class="stat"'}.get(d["kind"], "")
            lab = "" if d["kind"] == "second" else e(d["label"])
            out.append(f"<tr{cls}><th>{lab}</th>" + "".join(f"<td>{e(str(d[f'm{i}']))}</td>" for i in range(k))
                       + "</tr>")
        out.append("</tbody>")
        if self.notes:
            out.append(f'<tfoot><tr><td colspan="{k + 1}">Notes: ' + " ".join(e(n) for n in self.notes)
                       + "</td></tr></tfoot>")
        out.append("</table>")
        return "\n".join(out)

    # -------------------------------------------------------------------- Word
    def to_docx(self, path: str | os.PathLike) -> Path:
        """Write a Word document holding the table and its notes (python-docx).

        Landscape is not needed: type is 9 pt, the label column 4.2 cm, the
        page's text block shared among the models. Byte-identical across builds.

        Parameters
        ----------
        path : str or path
            The ``.docx`` file to write (its folder must exist).

        Returns
        -------
        Path
            ``path``.
        """
        from docx import Document
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Cm, Pt

        from ._ooxml import set_core_properties, stabilise_zip

        doc = Document()
        set_core_properties(doc.core_properties, title=self.caption or "Regression table")
        sec = doc.sections[0]
        sec.left_margin = sec.right_margin = Cm(2.0)
        text_w = sec.page_width - sec.left_margin - sec.right_margin
        if self.caption:
            cap = doc.add_paragraph()
            r = cap.add_run(self.caption)
            r.bold = True
            r.font.size = Pt(10)
        k = len(self.columns)
        tbl = doc.add_table(rows=1, cols=k + 1)
        tbl.alignment = WD_TABLE_ALIGNMENT.CENTER
        label_w = Cm(4.2)
        col_w = int((text_w - label_w) / k)

        def border(cell, side, size=8):
            tcPr = cell._tc.get_or_add_tcPr()
            borders = tcPr.find(qn("w:tcBorders"))
            if borders is None:
                borders = OxmlElement("w:tcBorders")
                tcPr.append(borders)
            el = OxmlElement(f"w:{side}")
            el.set(qn("w:val"), "single")
            el.set(qn("w:sz"), str(size))
            el.set(qn("w:color"), "000000")
            borders.append(el)

        def fill(cell, text, *, bold=False, italic=False, align=WD_ALIGN_PARAGRAPH.CENTER):
            para = cell.paragraphs[0]
            para.alignment = align
            run = para.add_run(text)
            run.font.size = Pt(9)
            run.bold, run.italic = bold, italic

        hdr = tbl.rows[0].cells
        fill(hdr[0], "", align=WD_ALIGN_PARAGRAPH.LEFT)
        for i, c in enumerate(self.columns):
            fill(hdr[i + 1], f"{c}\n({i + 1})", bold=True)
        first_stat = True
        for row in self.body.itertuples(index=False):
            d = row._asdict()
            cells = tbl.add_row().cells
            if d["kind"] == "block":
                merged = cells[0].merge(cells[-1])
                fill(merged, d["label"], italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)
                continue
            if d["kind"] == "stat" and first_stat:
                for c in cells:
                    border(c, "top", 4)
                first_stat = False
            fill(cells[0], "" if d["kind"] == "second" else d["label"], align=WD_ALIGN_PARAGRAPH.LEFT)
            for i in range(k):
                fill(cells[i + 1], str(d[f"m{i}"]))
        for c in tbl.rows[0].cells:
            border(c, "top", 12)
            border(c, "bottom", 6)
        for c in tbl.rows[-1].cells:
            border(c, "bottom", 12)
        for row in tbl.rows:
            row.cells[0].width = label_w
            for c in row.cells[1:]:
                c.width = col_w
        if self.notes:
            para = doc.add_paragraph()
            run = para.add_run("Notes: " + " ".join(self.notes))
            run.font.size = Pt(8)
        out = Path(path)
        out.parent.mkdir(parents=True, exist_ok=True)
        doc.save(str(out))
        stabilise_zip(out)
        return out

    def to_frame(self) -> pd.DataFrame:
        """The cells as a plain DataFrame (columns: label and the model headings)."""
        df = self.body.rename(columns={f"m{i}": c for i, c in enumerate(self.columns)})
        return df.drop(columns="kind")


def _latex_cell(text: str) -> str:
    """Cell text with stars as superscripts."""
    stripped = text.rstrip("*")
    n = len(text) - len(stripped)
    base = latex_escape(stripped).replace("\u2212", "$-$")
    return base + (r"\textsuperscript{" + "*" * n + "}" if n else "")


def _row_label(term: str, kind: str) -> str:
    """The label of a row: a variable's catalogue label, "Constant", or "Cut point 1|2"."""
    from ..data.catalogue import label as cat_label

    if kind == "intercept":
        return "Constant"
    if kind == "cut point":
        return f"Cut point {term.removeprefix('cut ')}"
    return cat_label(term)


def publication_table(
    results: Sequence[ModelResult],
    *,
    names: Sequence[str] | None = None,
    coef: str = "estimate",
    p: str = "p_adj",
    stars: Sequence[float] = (0.05, 0.01, 0.001),
    digits: int = 2,
    stats: Sequence[str] = ("n", "r2", "adj_r2"),
    caption: str | None = None,
    labels: dict | None = None,
) -> PublicationTable:
    """The main models side by side, as a paper prints them.

    Parameters
    ----------
    results : sequence of ModelResult
        The models, e.g. the outcome and its alternatives (``cc.regress``).
    names : sequence of str, optional
        Column headings; default: the catalogue label of each outcome.
    coef : {"estimate", "beta"}
        ``estimate``: coefficient in raw units with its standard error in
        parentheses on the line below; ``beta``: standardized coefficient
        with its interval in brackets below (no intercept).
    p : {"p_adj", "p_value"}
        Which p-value sets the stars (default: adjusted, as the verdict uses).
    stars : sequence of float
        One star per level the p-value is below.
    digits : int
        Decimals shown (N always whole).
    stats : sequence of str
        Model statistics as rows under the terms (``n``, ``r2``, ``adj_r2``,
        ``pseudo_r2``, ...), empty where a model has none.
    caption : str, optional
        Table title; default names the coefficient type.
    labels : dict, optional
        Term id -> row label, overriding the catalogue labels.

    Returns
    -------
    PublicationTable
        ``.to_latex()``, ``.to_docx(path)``, ``.to_html()``, ``.to_frame()``;
        ``.notes`` explain cells, stars, standard-error type, interval level
        and multiple-testing correction, all read from the results.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import cybercult as cc
    >>> data = cc.build_panel(sample="study81").data
    >>> x = ["hofstede_insights.idv", "hofstede_insights.pdi"]
    >>> models = [cc.regress(data, y, x) for y in ("gci2020.score", "ncsi.score")]
    >>> t = cc.publication_table(models)
    >>> t.columns  # doctest: +ELLIPSIS
    ['Global Cybersecurity Index 2020', ...]
    >>> "toprule" in t.to_latex()
    True
    >>> t.to_docx(pathlib.Path(tempfile.mkdtemp()) / "publication.docx").suffix
    '.docx'
    """
    from ..data.catalogue import label as cat_label

    results, names = check_models(results, names, coef=coef, p=p,
                                  default_names=lambda rs: [cat_label(r.outcome) for r in rs])
    levels = sorted(stars, reverse=True)
    labels = dict(labels or {})

    # terms in order of first appearance, grouped by block; intercepts and cut points (the
    # table's ``kind`` column says which rows they are) last
    order: dict[str, tuple[str, str]] = {}
    for r in results:
        for t, b, k in zip(r.table["term"], r.table["block"], r.table["kind"]):
            order.setdefault(str(t), ("" if pd.isna(b) else str(b), str(k)))
    consts = [(t, b) for t, (b, k) in order.items() if k != "predictor"]
    preds = [(t, b) for t, (b, k) in order.items() if k == "predictor"]
    blocks = list(dict.fromkeys(b for _, b in preds))
    use_blocks = len(blocks) > 1 and all(blocks)

    cols = [f"m{i}" for i in range(len(results))]
    rows: list[dict] = []
    tabs = [r.table.set_index("term") for r in results]

    def add_term(term: str) -> None:
        kind = order[term][1]
        first = {"kind": "coef", "label": labels.get(term, _row_label(term, kind))}
        second = {"kind": "second", "label": ""}
        for c, tab in zip(cols, tabs):
            if term not in tab.index:
                first[c] = second[c] = ""
                continue
            row = tab.loc[term]
            pv = float(row[p]) if p in row and pd.notna(row[p]) else float("nan")
            if p == "p_adj" and not np.isfinite(pv) and kind != "predictor":
                pv = float(row["p_value"])  # intercepts are not adjusted; marked with the raw p
            if coef == "estimate":
                first[c] = _fmt(float(row["estimate"]), digits) + _stars(pv, levels)
                second[c] = f"({_fmt(float(row['std_error']), digits)})"
            else:
                b = float(row["beta"]) if pd.notna(row.get("beta", np.nan)) else float("nan")
                if not np.isfinite(b):
                    first[c] = second[c] = ""
                    continue
                first[c] = _fmt(b, digits) + _stars(pv, levels)
                second[c] = f"[{_fmt(float(row['beta_ci_low']), digits)}, {_fmt(float(row['beta_ci_high']), digits)}]"
        if any(first[c] for c in cols):
            rows.extend([first, second])

    current = None
    for term, block in preds:
        if use_blocks and block != current:
            rows.append({"kind": "block", "label": block.replace("_", " ").capitalize(), **{c: "" for c in cols}})
            current = block
        add_term(term)
    if coef == "estimate":
        for term, _ in consts:
            add_term(term)
    for s in stats:
        vals = []
        for r in results:
            v = r.diagnostics.get(s, np.nan)
            ok = isinstance(v, (int, float, np.integer, np.floating)) and np.isfinite(v)
            vals.append((str(int(v)) if s == "n" else _fmt(float(v), 3 if digits < 3 else digits)) if ok else "")
        if any(vals):
            rows.append({"kind": "stat", "label": _STAT_LABELS.get(s, s), **dict(zip(cols, vals))})
    body = pd.DataFrame(rows, columns=["kind", "label", *cols])

    # notes, from the results themselves
    covs = sorted({_COV_NAMES.get(r.cov_type, r.cov_type) for r in results})
    methods = sorted({r.method for r in results})
    level = None
    for r in results:
        if coef == "estimate":
            level = _interval_level(r.table, "ci_low", "ci_high", "estimate", "std_error",
                                    r.diagnostics.get("df_resid"))
        if level is not None:
            break
    beta_level = None
    if coef == "beta":
        for r in results:
            std_fit = getattr(r, "std_fit", None)
            if std_fit is not None and "beta_ci_low" in r.table:
                t2 = r.table.dropna(subset=["beta", "beta_ci_low"])
                t2 = t2[t2["term"].isin([str(x) for x in std_fit.model.exog_names])]
                if len(t2):
                    bse = pd.Series(np.asarray(std_fit.bse), index=[str(x) for x in std_fit.model.exog_names])
                    t2 = t2.assign(_se=t2["term"].map(bse))
                    beta_level = _interval_level(t2, "beta_ci_low", "beta_ci_high", "beta", "_se",
                                                 r.diagnostics.get("df_resid"))
            if beta_level is not None:
                break
    notes = []
    method_txt = " / ".join(methods)
    if coef == "estimate":
        notes.append(f"{method_txt} coefficients in the units of each variable, with "
                     f"{' / '.join(covs)} standard errors in parentheses.")
    else:
        lvl = f"{round(100 * beta_level)} % " if beta_level is not None else ""
        notes.append(f"Standardized {method_txt} coefficients (beta: outcome and predictors as z-scores) with "
                     f"{lvl}confidence intervals in brackets from {' / '.join(covs)} standard errors.")
    adj = sorted({n.split(":", 1)[1].strip().split(" over ")[0] for r in results for n in r.notes
                  if n.startswith("p_adj:")})
    pname = "adjusted p" if p == "p_adj" else "p"
    notes.append(", ".join(f"{'*' * (i + 1)} {pname} < {str(lev).lstrip('0') or lev}" for i, lev in enumerate(levels))
                 + ".")
    if p == "p_adj":
        notes.append(f"p-values adjusted for multiple testing across each model's predictors "
                     f"({'; '.join(adj) if adj else 'method not recorded'}); the constant is not adjusted.")
    else:
        notes.append("Stars use unadjusted p-values" + (f"; the verdict uses adjusted ones ({'; '.join(adj)})."
                                                         if adj else "."))
    if coef == "estimate" and level is not None:
        notes.append(f"Intervals in the full tables are {round(100 * level)} % intervals.")
    ns = sorted({int(r.diagnostics["n"]) for r in results if "n" in r.diagnostics})
    if len(ns) > 1:
        notes.append(f"N differs between models ({min(ns)}-{max(ns)} countries): each model uses the countries "
                     "with its outcome and all predictors.")
    if caption is None:
        caption = ("Regression of cybersecurity commitment on culture, politics, military and development"
                   + (" (standardized coefficients)" if coef == "beta" else ""))
    return PublicationTable(body=body, columns=names, notes=notes, caption=caption)


@fill_doc
def write_publication_tables(results: Sequence[ModelResult], folder: str | os.PathLike, *,
                             name: str = "publication", formats: Sequence[str] = ("tex", "docx", "html"),
                             **kwargs) -> list[Path]:
    """Write :func:`publication_table` as ``<name>.tex``, ``<name>.docx`` and ``<name>.html`` in ``folder``.

    Parameters
    ----------
    results : sequence of ModelResult
        The models, as for :func:`publication_table`.
    {params.folder}
    name : str
        Stem of the file names.
    formats : sequence of {"tex", "docx", "html"}
        Which files to write.
    **kwargs
        Passed to :func:`publication_table` (``coef="beta"``, ``names=...``).

    Returns
    -------
    list of Path
        The files written, in the order of ``formats``; every file is byte-identical across runs.
    """
    bad = [f for f in formats if f not in ("tex", "docx", "html")]
    if bad:
        raise ValueError(f"unknown format(s) {bad}; valid: tex, docx, html")
    table = publication_table(results, **kwargs)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for fmt in formats:
        path = folder / f"{name}.{fmt}"
        if fmt == "tex":
            path.write_text(table.to_latex())
        elif fmt == "docx":
            table.to_docx(path)
        else:
            path.write_text(table.to_html() + "\n")
        out.append(path)
    return out
