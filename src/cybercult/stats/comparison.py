"""Several models side by side: :func:`compare_models` and its :class:`ModelComparison`.

The numbers stay numbers (``params``, ``std_errors``, ``pvalues`` frames); text is made
only when the comparison is displayed, in the way linearmodels' ``compare`` does.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .._format import ResultMixin, fmt_num, stars
from .results import ModelResult

__all__ = ["ModelComparison", "compare_models", "check_models"]

_STAT_ROWS = {"n": "n", "r2": "R-squared", "adj_r2": "Adjusted R-squared", "pseudo_r2": "Pseudo R-squared",
              "aic": "AIC", "bic": "BIC", "loglik": "Log-likelihood"}


@dataclass(eq=False, repr=False)
class ModelComparison(ResultMixin):
    """Several models side by side, kept as numbers; rendered only on display.

    Attributes
    ----------
    params, std_errors, pvalues : DataFrame
        Index ``term`` (terms in order of first appearance), one column per
        model: the raw estimates, their standard errors and the p-values named
        by ``p`` (``p_value`` or ``p_adj``); NaN where a model has no such term.
    betas, beta_ci_low, beta_ci_high : DataFrame
        The standardized coefficients and their interval, same shape.
    stats : DataFrame
        Index ``statistic`` (diagnostic keys such as ``n``, ``r2``), one column
        per model; NaN where a model has no such diagnostic.
    coef : {"estimate", "beta"}
        What the display table shows.
    p : {"p_value", "p_adj"}
        Which p-value sets the stars.
    stars : tuple of float
    digits : int
    alpha : float

    Notes
    -----
    :attr:`table` is the display table (text cells, what ``compare_models``
    used to return itself); ``summary()``, ``to_markdown()``, ``to_latex()`` and
    ``_repr_html_`` show it; ``to_csv(folder)`` writes the numeric frames.
    """

    params: pd.DataFrame
    std_errors: pd.DataFrame
    pvalues: pd.DataFrame
    betas: pd.DataFrame
    beta_ci_low: pd.DataFrame
    beta_ci_high: pd.DataFrame
    stats: pd.DataFrame
    coef: str = "estimate"
    p: str = "p_value"
    stars: tuple = (0.05, 0.01, 0.001)
    digits: int = 3
    alpha: float = 0.05
    _table: pd.DataFrame | None = field(default=None, repr=False)

    _index_tables = ("comparison", "params", "std_errors", "pvalues", "betas", "beta_ci_low", "beta_ci_high",
                     "stats")

    @property
    def note(self) -> str:
        """What the cells show and what the stars mean."""
        levels = sorted(self.stars, reverse=True)
        what = ("estimate (std. error)" if self.coef == "estimate"
                else f"standardized beta [{100 * (1 - self.alpha):.10g}% CI]")
        return (f"Cells: {what}; " + ", ".join(f"{'*' * (i + 1)} {self.p} < {lev}" for i, lev in enumerate(levels))
                + ".")

    @property
    def table(self) -> pd.DataFrame:
        """The display table: index ``term`` (terms, then the statistics), one text column per model.

        Cells are ``"estimate (std_error) stars"`` or ``"beta [low, high] stars"``;
        empty where a model has no such term; rows empty in every model are left
        out; ``attrs["note"]`` explains the cells. Built once and kept, so edits
        to it (a note row) stay.
        """
        if self._table is None:
            self._table = self._render()
        return self._table

    def _render(self) -> pd.DataFrame:
        levels = sorted(self.stars, reverse=True)
        d = self.digits
        cells = {}
        for name in self.params.columns:
            col = {}
            for t in self.params.index:
                if self.coef == "estimate":
                    est = self.params.at[t, name]
                    if pd.isna(est):
                        col[t] = ""
                        continue
                    txt = f"{fmt_num(est, d)} ({fmt_num(self.std_errors.at[t, name], d)})"
                else:
                    b = self.betas.at[t, name]
                    if pd.isna(b):
                        col[t] = ""
                        continue
                    txt = (f"{fmt_num(b, d)} [{fmt_num(self.beta_ci_low.at[t, name], d)}, "
                           f"{fmt_num(self.beta_ci_high.at[t, name], d)}]")
                col[t] = f"{txt} {stars(self.pvalues.at[t, name], levels)}".rstrip()
            for s in self.stats.index:
                v = self.stats.at[s, name]
                col[_STAT_ROWS.get(s, s)] = "" if pd.isna(v) else (str(int(v)) if s == "n" else fmt_num(v, d))
            cells[name] = col
        out = pd.DataFrame(cells)
        out = out[(out != "").any(axis=1)]  # e.g. the intercept has no standardized beta
        out.index.name = "term"
        out.attrs["note"] = self.note
        return out

    # -- the result protocol
    def _header(self) -> list[str]:
        return [f"Models side by side: {', '.join(map(str, self.params.columns))}"]

    def _tables(self) -> dict:
        return {"params": self.params, "std_errors": self.std_errors, "pvalues": self.pvalues,
                "betas": self.betas, "beta_ci_low": self.beta_ci_low, "beta_ci_high": self.beta_ci_high,
                "stats": self.stats}

    def _display_tables(self) -> dict:
        return {"comparison": self.table}

    def _notes(self) -> list[str]:
        return [self.note]

    def to_csv(self, folder, **kwargs):
        """Write the numeric frames to ``folder/<name>.csv`` (index ``term``); return the paths.

        Parameters
        ----------
        folder : str or Path
            The folder. Transitional: a file name ending in ``.csv`` writes the
            display :attr:`table` there, as when ``compare_models`` returned that
            table; use ``.table.to_csv`` instead.
        **kwargs
            Transitional: passed to :meth:`pandas.DataFrame.to_csv` of the
            display table (any keyword makes ``folder`` a file name).

        Returns
        -------
        list of Path or Path
        """
        path = Path(folder)
        if kwargs or path.suffix.lower() == ".csv":
            self.table.to_csv(path, **kwargs)
            return path
        return super().to_csv(path)

    # Transitional (callers written when compare_models returned the display DataFrame:
    # ``side.loc[...]``, ``side.iloc``, ``side.attrs``): reach the table. Use ``.table``.
    def __getattr__(self, name):
        if name.startswith("_") or name in ModelComparison.__dataclass_fields__:
            raise AttributeError(name)
        return getattr(self.table, name)

    def __getitem__(self, key):
        return self.table[key]

    def __len__(self) -> int:
        return len(self.table)


def check_models(results, names, *, coef: str, p: str, default_names) -> tuple[list, list[str]]:
    """The checks every side-by-side table of models makes, with one set of messages.

    Used by :func:`compare_models` and :func:`cybercult.report.publication_table`.

    Parameters
    ----------
    results : iterable of ModelResult
        The models; at least one.
    names : list of str, optional
        One column name per model.
    coef : {"estimate", "beta"}
        The coefficient column the table shows.
    p : {"p_value", "p_adj"}
        The p-value column that sets the stars.
    default_names : callable
        ``default_names(results)`` gives the names when ``names`` is None.

    Returns
    -------
    results : list of ModelResult
    names : list of str

    Raises
    ------
    ValueError
        No model, an unknown ``coef`` or ``p``, or not one name per model.
    TypeError
        An element that is not a :class:`ModelResult`.
    """
    results = list(results)
    if not results:
        raise ValueError("results is empty: pass at least one ModelResult")
    for i, r in enumerate(results):
        if not isinstance(r, ModelResult):
            raise TypeError(f"results[{i}] must be a ModelResult (from cc.regress, cc.fractional_logit or "
                            f"cc.ordinal_logit), not {type(r).__name__}")
    if coef not in ("estimate", "beta"):
        raise ValueError(f"coef must be 'estimate' or 'beta', not {coef!r}")
    if p not in ("p_value", "p_adj"):
        raise ValueError(f"p must be 'p_value' or 'p_adj', not {p!r}")
    names = [str(n) for n in (default_names(results) if names is None else names)]
    if len(names) != len(results):
        raise ValueError(f"names has {len(names)} entries for {len(results)} models")
    return results, names


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
) -> ModelComparison:
    """Several models side by side: one row per term, one column per model.

    Parameters
    ----------
    results : list of ModelResult
        The models, e.g. of several outcomes or predictor sets.
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
    ModelComparison
        Numeric frames ``params``, ``std_errors``, ``pvalues``, ``betas``,
        ``beta_ci_low``, ``beta_ci_high`` (terms x models) and ``stats``
        (statistics x models); ``.table`` is the display table (index ``term``,
        one text column per model, ``attrs["note"]``), which ``summary()``,
        ``to_markdown()``, ``to_latex()`` and the notebook show.

    See Also
    --------
    format_table : render any result table.
    regress : the models compared.

    Notes
    -----
    Stars use the unadjusted ``p_value`` by default, as in most published
    regression tables; ``p="p_adj"`` uses the adjusted one.

    Examples
    --------
    >>> import cybercult as cc
    >>> data = cc.build_panel(sample="study81").data
    >>> x = ["hofstede_insights.idv", "wdi.log_gdppc_ppp"]
    >>> cmp = compare_models([cc.regress(data, "gci2020.score", x), cc.regress(data, "ncsi.score", x)],
    ...                      names=["GCI 2020", "NCSI"])
    >>> list(cmp.params.columns), list(cmp.params.index)
    (['GCI 2020', 'NCSI'], ['const', 'hofstede_insights.idv', 'wdi.log_gdppc_ppp'])
    >>> bool(cmp.params.loc["wdi.log_gdppc_ppp"].gt(0).all())  # numbers, not text
    True
    >>> cmp.table.index[-4:].tolist()  # the display table: terms, then the statistics
    ['n', 'R-squared', 'Adjusted R-squared', 'AIC']
    """
    results, names = check_models(results, names, coef=coef, p=p, default_names=lambda rs: [
        f"({i + 1})" for i in range(len(rs))])
    if len(set(names)) != len(names):
        raise ValueError("names must be unique")
    terms: list[str] = []
    for r in results:
        for t in r.table["term"]:
            if t not in terms:
                terms.append(t)

    def frame(column: str) -> pd.DataFrame:
        out = pd.DataFrame({name: r.table.set_index("term")[column].reindex(terms).astype(float)
                            if column in r.table.columns else pd.Series(np.nan, index=terms)
                            for name, r in zip(names, results)})
        out.index.name = "term"
        return out

    st = pd.DataFrame({name: [_stat_value(r.diagnostics.get(s, np.nan)) for s in stats]
                       for name, r in zip(names, results)}, index=pd.Index(list(stats), name="statistic"))
    return ModelComparison(params=frame("estimate"), std_errors=frame("std_error"), pvalues=frame(p),
                           betas=frame("beta"), beta_ci_low=frame("beta_ci_low"),
                           beta_ci_high=frame("beta_ci_high"), stats=st, coef=coef, p=p,
                           stars=tuple(stars), digits=digits, alpha=alpha)


def _stat_value(v) -> float:
    try:
        return float(v)
    except (TypeError, ValueError):
        return np.nan
