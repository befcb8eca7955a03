"""Result objects of the models and their display: text, HTML, Markdown, LaTeX, CSV.

Numbers are stored at full precision; rounding happens only when displaying.
Markdown and LaTeX are written here (no ``tabulate`` or ``jinja2`` needed), so
``to_markdown()`` and ``to_latex()`` work in a plain install.
"""
from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ._validate import fmt_num, fmt_p

TABLE_COLUMNS = [
    "term", "label", "block", "estimate", "std_error", "statistic", "df", "p_value", "p_adj",
    "ci_low", "ci_high", "beta", "beta_ci_low", "beta_ci_high", "vif", "n", "method",
]

#: columns shown by summary(), to_markdown() and to_latex()
DISPLAY_COLUMNS = [
    "term", "estimate", "std_error", "statistic", "p_value", "p_adj", "ci_low", "ci_high",
    "beta", "beta_ci_low", "beta_ci_high", "vif",
]

#: human names of diagnostics, in display order (keys not listed are shown after, as they are)
DIAGNOSTIC_LABELS = {
    "n": "Observations (countries)",
    "k": "Predictors (terms)",
    "n_per_predictor": "Countries per predictor",
    "df_resid": "Residual df",
    "r2": "R-squared",
    "adj_r2": "Adjusted R-squared",
    "pseudo_r2": "Pseudo R-squared (1 - deviance / null deviance)",
    "f_test": "F-test",
    "f_statistic": "F statistic",
    "f_df1": "F df1",
    "f_df2": "F df2",
    "f_p_value": "F p-value",
    "f_statistic_classic": "F statistic (classical)",
    "f_p_value_classic": "F p-value (classical)",
    "loglik": "Log-likelihood",
    "aic": "AIC",
    "bic": "BIC",
    "sigma": "Residual standard error",
    "deviance": "Deviance",
    "null_deviance": "Null deviance",
    "bp_statistic": "Breusch-Pagan LM (studentized)",
    "bp_df": "Breusch-Pagan df",
    "bp_p_value": "Breusch-Pagan p-value",
    "jb_statistic": "Jarque-Bera",
    "jb_p_value": "Jarque-Bera p-value",
    "skew": "Residual skewness",
    "kurtosis": "Residual kurtosis",
    "reset_statistic": "RESET F (fitted^2, fitted^3)",
    "reset_df1": "RESET df1",
    "reset_df2": "RESET df2",
    "reset_p_value": "RESET p-value",
    "condition_number": "Condition number (standardized predictors)",
    "condition_number_raw": "Condition number (raw design)",
    "max_vif": "Largest VIF",
    "influential": "Most influential (Cook's distance)",
    "n_imputations": "Imputations",
    "n_categories": "Outcome categories",
    "share_at_bounds": "Share of outcomes at 0 or 1",
    "converged": "Converged",
    "n_complete": "Complete cases (before imputation)",
    "scale": "Outcome scale (maximum)",
    "cov_type": "Covariance type",
}

#: diagnostics shown as whole numbers when they are whole
_COUNT_KEYS = {"n", "k", "df_resid", "f_df1", "f_df2", "bp_df", "reset_df1", "reset_df2", "n_imputations",
               "n_categories", "n_complete"}

_P_COLUMNS = {"p_value", "p_adj", "f_p_value", "p_value_robust", "bp_p_value", "jb_p_value", "reset_p_value",
              "f_p_value_classic"}
_INT_COLUMNS = {"n", "df", "df1", "df2", "k", "step", "n1", "n2", "groups", "bp_df", "reset_df1", "f_df1"}


# ------------------------------------------------------------------ rendering
def display_frame(df: pd.DataFrame, digits: int = 3) -> pd.DataFrame:
    """A copy of ``df`` with every cell formatted as text for display."""
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
    shown = display_frame(df, digits)
    return shown.to_string(index=index)


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
    return "".join(_LATEX_SPECIAL.get(ch, ch) for ch in str(s))


def frame_to_latex(df: pd.DataFrame, *, digits: int = 3, index: bool = False, caption: str | None = None,
                   label: str | None = None) -> str:
    """A booktabs ``tabular`` (wrapped in ``table`` when a caption is given)."""
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
    return display_frame(df, digits).to_html(index=index, escape=True, border=0)


def format_table(df: pd.DataFrame, fmt: str = "text", *, digits: int = 3, index: bool = False,
                 caption: str | None = None) -> str:
    """Render any result table as ``text``, ``markdown``, ``latex`` or ``html``.

    Parameters
    ----------
    df : DataFrame
        A tidy result or the output of :func:`compare_models`.
    fmt : {"text", "markdown", "latex", "html"}
    digits : int
        Decimals shown (p-values below ``10**-digits`` show as ``<0.001``).
    index : bool
        Show the index (``compare_models`` puts terms in the index).
    caption : str, optional
        LaTeX only: wraps the tabular in a ``table`` with this caption.

    Returns
    -------
    str

    Notes
    -----
    Markdown and LaTeX are written by this module (booktabs rules, LaTeX
    special characters escaped), so neither ``tabulate`` nor ``jinja2`` is
    needed.

    Examples
    --------
    >>> print(format_table(correlate(panel, ["hofstede.idv", "gci2020.score"]), "markdown"))  # doctest: +SKIP
    """
    if fmt == "text":
        return frame_to_text(df, digits=digits, index=index)
    if fmt == "markdown":
        return frame_to_markdown(df, digits=digits, index=index)
    if fmt == "latex":
        return frame_to_latex(df, digits=digits, index=index, caption=caption)
    if fmt == "html":
        return frame_to_html(df, digits=digits, index=index)
    raise ValueError(f"fmt must be one of ['text', 'markdown', 'latex', 'html'], got {fmt!r}")


def diagnostics_frame(diagnostics: dict) -> pd.DataFrame:
    """Diagnostics as a two-column table ``statistic, value`` (values as display text)."""
    keys = [k for k in DIAGNOSTIC_LABELS if k in diagnostics] + [k for k in diagnostics
                                                                  if k not in DIAGNOSTIC_LABELS]
    rows = []
    for k in keys:
        v = diagnostics[k]
        if isinstance(v, (bool, np.bool_)):
            shown = "yes" if v else "no"
        elif k.endswith("p_value"):
            shown = fmt_p(v)
        elif isinstance(v, (int, np.integer)) or (k in _COUNT_KEYS and isinstance(v, (float, np.floating))
                                                   and float(v).is_integer()):
            shown = str(int(v))
        elif isinstance(v, (float, np.floating)):
            shown = fmt_num(v)
        else:
            shown = str(v)
        rows.append({"statistic": DIAGNOSTIC_LABELS.get(k, k), "value": shown})
    return pd.DataFrame(rows, columns=["statistic", "value"])


# ------------------------------------------------------------------ ModelResult
@dataclass(frozen=True, eq=False)
class ModelResult:
    """One fitted model: tidy table, diagnostics and the statsmodels fit.

    Attributes
    ----------
    outcome : str
        Outcome variable id.
    predictors : tuple of str
        Predictor variable ids as given (before dummy coding).
    method : str
        E.g. ``"OLS"``, ``"OLS (MICE, m=20, Rubin's rules)"``,
        ``"fractional logit (GLM binomial, logit link)"``, ``"ordinal logit"``.
    table : DataFrame
        One row per term, columns ``term, label, block, estimate, std_error,
        statistic, df, p_value, p_adj, ci_low, ci_high, beta, beta_ci_low,
        beta_ci_high, vif, n, method`` (see :func:`~cybercult.stats.regress`).
    diagnostics : dict
        Model-level statistics (n, R-squared, tests, ...), full precision.
    fit : statsmodels results
        The underlying fit (``MICEResults`` for multiple imputation).
    data_used : DataFrame
        The rows used (index ISO3), outcome and predictor columns (and
        ``country`` when the input had it).
    missing : str
        How missing data were handled, e.g. ``"listwise: 81 of 95 countries,
        dropped: ..."``.
    cov_type : str
        Covariance of the coefficients (``HC3``, ``HC1``, ``nonrobust``, ...).
    notes : tuple of str
        Sentences that belong with the result (inference, p-value adjustment).
    std_fit : statsmodels results or None
        The fit on standardized variables that gave ``beta``.
    estimator : str
        The estimator, for code to test: ``"ols"``, ``"mice"`` (OLS pooled over
        imputations), ``"fractional_logit"`` or ``"ordinal_logit"`` (``""`` when
        unknown).
    """

    outcome: str
    predictors: tuple
    method: str
    table: pd.DataFrame
    diagnostics: dict
    fit: object
    data_used: pd.DataFrame
    missing: str
    cov_type: str
    notes: tuple = field(default_factory=tuple)
    std_fit: object = None
    estimator: str = ""

    # -- text
    def _header(self) -> list[str]:
        from ._validate import catalogue_label

        lab = catalogue_label(self.outcome)
        out = f"{lab} ({self.outcome})" if lab != self.outcome else self.outcome
        return [f"{self.method}: {out}", f"Covariance: {self.cov_type}", f"Missing data: {self.missing}"]

    def _shown_table(self) -> pd.DataFrame:
        cols = [c for c in DISPLAY_COLUMNS if c in self.table.columns]
        if "fmi" in self.table.columns:
            cols.append("fmi")
        shown = self.table[cols]
        # drop columns that are empty for this model (e.g. vif for an ordinal logit)
        keep = [c for c in cols if c == "term" or shown[c].notna().any()]
        return shown[keep]

    def summary(self, digits: int = 3) -> str:
        """Text summary: header, coefficient table, diagnostics, notes (no dates)."""
        parts = self._header()
        parts += ["", frame_to_text(self._shown_table(), digits=digits), ""]
        diag = diagnostics_frame(self.diagnostics)
        width = int(diag["statistic"].str.len().max()) if len(diag) else 0
        parts += ["Diagnostics"] + [f"  {r.statistic:<{width}}  {r.value}" for r in diag.itertuples()]
        if self.notes:
            parts += [""] + [f"Note: {n}" for n in self.notes]
        return "\n".join(parts)

    def __repr__(self) -> str:
        return f"<ModelResult {self.method}, outcome {self.outcome!r}, n={self.diagnostics.get('n')}>\n" + \
            self.summary()

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        head = "".join(f"<p>{html.escape(h)}</p>" for h in self._header())
        notes = "".join(f"<p><small>{html.escape(n)}</small></p>" for n in self.notes)
        return (f"<div>{head}{frame_to_html(self._shown_table())}"
                f"<p><b>Diagnostics</b></p>{frame_to_html(diagnostics_frame(self.diagnostics))}{notes}</div>")

    def to_markdown(self, digits: int = 3) -> str:
        """Markdown: header lines, coefficient table, diagnostics table, notes."""
        lines = [f"**{self._header()[0]}**", ""] + [f"{h}  " for h in self._header()[1:]]
        lines += ["", frame_to_markdown(self._shown_table(), digits=digits), "",
                  frame_to_markdown(diagnostics_frame(self.diagnostics), digits=digits)]
        if self.notes:
            lines += [""] + [f"_Note: {n}_  " for n in self.notes]
        return "\n".join(lines)

    def to_latex(self, digits: int = 3, caption: str | None = None) -> str:
        """LaTeX (booktabs): the coefficient table and the diagnostics table."""
        cap = caption if caption is not None else self._header()[0]
        return (frame_to_latex(self._shown_table(), digits=digits, caption=cap) + "\n\n"
                + frame_to_latex(diagnostics_frame(self.diagnostics), digits=digits))

    def to_csv(self, path, what: str = "table") -> Path:
        """Write the tidy table (``what="table"``) or the diagnostics (``"diagnostics"``) at full precision."""
        path = Path(path)
        if what == "table":
            self.table.to_csv(path, index=False)
        elif what == "diagnostics":
            pd.DataFrame({"statistic": list(self.diagnostics), "value": list(self.diagnostics.values())}).to_csv(
                path, index=False)
        else:
            raise ValueError(f"what must be 'table' or 'diagnostics', got {what!r}")
        return path


# ------------------------------------------------------------------ side by side
_STAT_ROWS = {"n": "n", "r2": "R-squared", "adj_r2": "Adjusted R-squared", "pseudo_r2": "Pseudo R-squared",
              "aic": "AIC", "bic": "BIC", "loglik": "Log-likelihood"}


def _stars(p: float, levels) -> str:
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return ""
    return "*" * sum(p < lev for lev in levels)


def compare_models(
    results,
    *,
    names=None,
    coef: str = "estimate",
    p: str = "p_value",
    stars=(0.05, 0.01, 0.001),
    digits: int = 3,
    stats=("n", "r2", "adj_r2", "aic"),
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Several models side by side: one row per term, one column per model.

    Parameters
    ----------
    results : list of ModelResult
    names : list of str, optional
        Column names; default ``"(1)", "(2)", ...``.
    coef : {"estimate", "beta"}
        Raw coefficients shown as ``"estimate (std_error) stars"`` or
        standardized ones as ``"beta [beta_ci_low, beta_ci_high] stars"``.
    p : {"p_value", "p_adj"}
        Which p-value sets the stars.
    stars : tuple of float
        One star per level the p-value is below (default ``* < 0.05``,
        ``** < 0.01``, ``*** < 0.001``).
    digits : int
        Decimals shown.
    stats : tuple of str
        Diagnostics added as rows below the terms (when a model has them).
    alpha : float
        The level the models' intervals were computed at (``1 - alpha``), for
        the note that explains the cells.

    Returns
    -------
    DataFrame
        Index ``term`` (terms in order of first appearance, then the
        statistics), one text column per model; empty where a model has no
        such term. ``attrs["note"]`` explains the cells. Print with
        :func:`format_table` (``index=True``) as text, Markdown or LaTeX.

    Notes
    -----
    Stars use the unadjusted ``p_value`` by default, as in most published
    regression tables; ``p="p_adj"`` uses the adjusted one. Cells are text:
    keep the ``.table`` of each model for numbers.

    Examples
    --------
    >>> cmp = compare_models([m1, m2], names=["GCI 2020", "NCSI"])  # doctest: +SKIP
    >>> print(format_table(cmp, "markdown", index=True))  # doctest: +SKIP
    """
    results = list(results)
    if not results:
        raise ValueError("results is empty: pass at least one ModelResult")
    for r in results:
        if not isinstance(r, ModelResult):
            raise TypeError(f"compare_models takes ModelResult objects, got {type(r).__name__}")
    if coef not in ("estimate", "beta"):
        raise ValueError(f"coef must be 'estimate' or 'beta', got {coef!r}")
    if p not in ("p_value", "p_adj"):
        raise ValueError(f"p must be 'p_value' or 'p_adj', got {p!r}")
    if names is None:
        names = [f"({i + 1})" for i in range(len(results))]
    names = [str(n) for n in names]
    if len(names) != len(results):
        raise ValueError(f"names has {len(names)} entries for {len(results)} models")
    if len(set(names)) != len(names):
        raise ValueError("names must be unique")
    levels = sorted(stars, reverse=True)
    terms: list[str] = []
    for r in results:
        for t in r.table["term"]:
            if t not in terms:
                terms.append(t)
    cells = {}
    for name, r in zip(names, results):
        tab = r.table.set_index("term")
        col = {}
        for t in terms:
            if t not in tab.index:
                col[t] = ""
                continue
            row = tab.loc[t]
            if coef == "estimate":
                txt = f"{fmt_num(row['estimate'], digits)} ({fmt_num(row['std_error'], digits)})"
            else:
                if pd.isna(row["beta"]):
                    col[t] = ""
                    continue
                txt = (f"{fmt_num(row['beta'], digits)} [{fmt_num(row['beta_ci_low'], digits)}, "
                       f"{fmt_num(row['beta_ci_high'], digits)}]")
            st = _stars(float(row[p]), levels)
            col[t] = f"{txt} {st}".rstrip()
        for s in stats:
            v = r.diagnostics.get(s, np.nan)
            col[_STAT_ROWS.get(s, s)] = "" if v is None or (isinstance(v, float) and math.isnan(v)) else (
                str(int(v)) if s == "n" else fmt_num(v, digits))
        cells[name] = col
    out = pd.DataFrame(cells)
    out = out[(out != "").any(axis=1)]  # e.g. the intercept has no standardized beta
    out.index.name = "term"
    what = "estimate (std. error)" if coef == "estimate" else f"standardized beta [{100 * (1 - alpha):.10g}% CI]"
    out.attrs["note"] = (f"Cells: {what}; " + ", ".join(f"{'*' * (i + 1)} {p} < {lev}"
                                                        for i, lev in enumerate(levels)) + ".")
    return out
