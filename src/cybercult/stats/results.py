"""Result objects of the models and their display: text, HTML, Markdown, LaTeX, CSV.

Numbers are stored at full precision; rounding happens only when displaying.
The formatting and the table writers live in :mod:`cybercult._format` (with the
display protocol :class:`~cybercult._format.ResultMixin`); the names are kept
importable from here. Several models side by side: :mod:`.comparison`.
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .._docstrings import fill_doc
from .._format import (  # noqa: F401  (display helpers kept importable from here)
    ResultMixin,
    display_frame,
    fmt_num,
    fmt_p,
    frame_to_html,
    frame_to_latex,
    frame_to_markdown,
    frame_to_text,
    latex_escape,
    stars,
)

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

@fill_doc
def format_table(df: pd.DataFrame, fmt: str = "text", *, digits: int = 3, index: bool = False,
                 caption: str | None = None) -> str:
    """Render any result table as ``text``, ``markdown``, ``latex`` or ``html``.

    Parameters
    ----------
    df : DataFrame or ModelComparison
        A tidy result, or :func:`compare_models`' result (its display ``.table``).
    fmt : {"text", "markdown", "latex", "html"}
        Output format.
    {params.digits}
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
    >>> import cybercult as cc
    >>> from cybercult.stats import format_table
    >>> panel = cc.build_panel(sample="study81").data
    >>> r = cc.correlate(panel, ["hofstede_insights.idv", "gci2020.score"])
    >>> print(format_table(r[["x", "y", "n", "r", "p_value"]], "markdown"))
    | x | y | n | r | p_value |
    | :--- | :--- | ---: | ---: | ---: |
    | hofstede_insights.idv | gci2020.score | 81 | 0.487 | <0.001 |
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
    """Diagnostics as a two-column table ``statistic, value`` (values as display text).

    Parameters
    ----------
    diagnostics : dict
        ``ModelResult.diagnostics``: key -> number or text. Known keys come first,
        in the order of :data:`DIAGNOSTIC_LABELS`, under their human names.

    Returns
    -------
    DataFrame
    """
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
class ModelResult(ResultMixin):
    """One fitted model: tidy table, diagnostics and the statsmodels fit.

    Displays through the result protocol (:class:`~cybercult._format.ResultMixin`):
    ``summary(digits)``, ``_repr_html_``, ``to_markdown``, ``to_latex(caption=...)``
    and ``to_csv``; its tidy tables are ``coefficients`` (:attr:`table`) and
    ``diagnostics`` (``statistic, value``).

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

    @fill_doc
    def summary(self, digits: int = 3) -> str:
        """Text summary: header, coefficient table, diagnostics, notes (no dates).

        Parameters
        ----------
        {params.digits}
        """
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

    @fill_doc
    def to_markdown(self, digits: int = 3) -> str:
        """Markdown: header lines, coefficient table, diagnostics table, notes.

        Parameters
        ----------
        {params.digits}
        """
        lines = [f"**{self._header()[0]}**", ""] + [f"{h}  " for h in self._header()[1:]]
        lines += ["", frame_to_markdown(self._shown_table(), digits=digits), "",
                  frame_to_markdown(diagnostics_frame(self.diagnostics), digits=digits)]
        if self.notes:
            lines += [""] + [f"_Note: {n}_  " for n in self.notes]
        return "\n".join(lines)

    @fill_doc
    def to_latex(self, digits: int = 3, caption: str | None = None) -> str:
        """LaTeX (booktabs): the coefficient table and the diagnostics table.

        Parameters
        ----------
        {params.digits}
        caption : str, optional
            Caption of the coefficient table; default: the result's first header
            line (method and outcome).

        Returns
        -------
        str
        """
        cap = caption if caption is not None else self._header()[0]
        return (frame_to_latex(self._shown_table(), digits=digits, caption=cap) + "\n\n"
                + frame_to_latex(diagnostics_frame(self.diagnostics), digits=digits))

    def _tables(self) -> dict:
        return {"coefficients": self.table,
                "diagnostics": pd.DataFrame({"statistic": list(self.diagnostics),
                                             "value": list(self.diagnostics.values())})}

    def _notes(self) -> list[str]:
        return list(self.notes)

    def to_csv(self, path, what: str | None = None):
        """Write the tables at full precision.

        Parameters
        ----------
        path : str or Path
            A folder: one CSV per table (``coefficients.csv``, ``diagnostics.csv``),
            the list of paths is returned (the result protocol). A file name ending
            in ``.csv``: only the table named by ``what``, its path is returned.
        what : {"table", "diagnostics"}, optional
            With a file name: the tidy coefficient table (default) or the diagnostics.

        Returns
        -------
        list of Path or Path
        """
        path = Path(path)
        if what is None and path.suffix.lower() != ".csv":
            return super().to_csv(path)
        what = "table" if what is None else what
        if what == "table":
            self.table.to_csv(path, index=False)
        elif what == "diagnostics":
            self._tables()["diagnostics"].to_csv(path, index=False)
        else:
            raise ValueError(f"what must be 'table' or 'diagnostics', got {what!r}")
        return path
