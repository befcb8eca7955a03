"""Reading steps several loaders share: a checked CSV read, numeric columns, wide to long, and
:class:`GciUnitScore`, the whole loader of a GCI edition published as one 0-1 score."""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..._docstrings import DocstringComponents, fill_doc
from ...errors import DataIntegrityError
from ..registry import source_path
from ..variables import Variable

#: Parameters the loaders share (``{loader.df}`` in a loader's docstring, with ``@fill_doc(loader=LOADER_DOCS)``).
LOADER_DOCS = DocstringComponents(dict(
    df="""
    df : DataFrame
        The source's long table after corrections and country matching:
        ``iso3, country, year, variable, value``.
    """,
    source="""
    source : str
        Source id, a key of ``sources.toml`` (``"gci2020"``).
    """,
    relpath="""
    relpath : str
        File of the source as registered in ``sources.toml``.
    """,
    name_col="""
    name_col : str
        Column with the country names as published.
    """,
    wide="""
    wide : DataFrame
        The file as read: one row per country, one column per published indicator.
    """,
    year="""
    year : int
        Year the values describe (the edition's data year).
    """,
))


#: The continent and world rows of an Our World in Data country-year export (EIU, Freedom House):
#: aggregates, never countries.
OWID_AGGREGATES = ("Africa", "Asia", "Europe", "North America", "Oceania", "South America", "World")


@fill_doc(loader=LOADER_DOCS)
def read_csv_checked(source: str, relpath: str, required: Iterable[str], *, na: Sequence[str] = ("",),
                     encoding: str = "utf-8", dtype: Mapping[str, type] | None = None) -> tuple[Path, pd.DataFrame]:
    """Read a bundled CSV (hash-checked) with explicit missing markers; every required column must exist.

    Parameters
    ----------
    {loader.source}
    {loader.relpath}
    required : iterable of str
        Columns the file must have.
    na : sequence of str
        Cell texts read as missing (nothing else is).
    encoding : str
        Text encoding of the file.
    dtype : mapping of str to type, optional
        Column types, as in :func:`pandas.read_csv`.

    Returns
    -------
    (Path, DataFrame)
        The checked path and the table.
    """
    path = source_path(source, relpath)
    wide = pd.read_csv(path, keep_default_na=False, na_values=list(na), dtype=dict(dtype or {}), encoding=encoding)
    missing = [c for c in required if c not in wide.columns]
    if missing:
        raise DataIntegrityError(f"{path}: missing column(s) {missing}; found {list(wide.columns)}")
    return path, wide


@fill_doc(loader=LOADER_DOCS)
def numeric_column(wide: pd.DataFrame, col: str, name_col: str, path: Path, *, blanks_ok: bool = False) -> pd.Series:
    """``wide[col]`` as numbers; a cell that is not a number (or blank, unless ``blanks_ok``) is an error
    naming the file, the column and the first rows (by country name) that fail.

    Parameters
    ----------
    {loader.wide}
    col : str
        Column to convert.
    {loader.name_col}
    path : Path
        The file, for the error message.
    blanks_ok : bool
        Accept blank cells as missing.
    """
    num = pd.to_numeric(wide[col], errors="coerce")
    bad = wide[num.isna() & wide[col].notna()] if blanks_ok else wide[num.isna()]
    if len(bad):
        raise DataIntegrityError(
            f"{path}: column {col!r} has non-numeric values: "
            + ", ".join(f"{r[name_col]!r}={r[col]!r}" for _, r in bad.head(10).iterrows())
        )
    return num


@fill_doc(loader=LOADER_DOCS)
def melt_columns(wide: pd.DataFrame, name_col: str, columns: Mapping[str, str], *,
                 year: int | None = None) -> pd.DataFrame:
    """Wide ``name x column`` table to the loader contract ``name, year, variable, value``.

    Parameters
    ----------
    {loader.wide}
    {loader.name_col}
    columns : mapping of str to str
        Source column -> variable id.
    year : int, optional
        A constant year, or ``None`` to take it from the table's ``year`` column.

    Examples
    --------
    >>> import pandas as pd
    >>> from cybercult.data.loaders._common import melt_columns
    >>> wide = pd.DataFrame({"Country": ["Estonia "], "Score": [99.48]})
    >>> melt_columns(wide, "Country", {"Score": "gci2020.score"}, year=2020).to_dict("records")
    [{'name': 'Estonia', 'year': 2020, 'variable': 'gci2020.score', 'value': 99.48}]
    """
    ids = [name_col] if year is not None else [name_col, "year"]
    long = wide.melt(id_vars=ids, value_vars=list(columns), var_name="column", value_name="value")
    long["variable"] = long["column"].map(columns)
    long["name"] = long[name_col].str.strip()
    if year is not None:
        long["year"] = year
    return long[["name", "year", "variable", "value"]]


@fill_doc(loader=LOADER_DOCS)
def read_unit_score(source: str, relpath: str, name_col: str, score_col: str, year: int,
                    variable: str) -> pd.DataFrame:
    """An index published on 0-1 (GCI 2017, 2018), returned x100 on the 0-100 scale of later editions.

    Every score must be a number within 0-1; otherwise the error lists the offending rows.

    Parameters
    ----------
    {loader.source}
    {loader.relpath}
    {loader.name_col}
    score_col : str
        Column of the 0-1 score.
    {loader.year}
    variable : str
        Variable id of the score.
    """
    path, wide = read_csv_checked(source, relpath, (name_col, score_col), dtype={name_col: str})
    score = pd.to_numeric(wide[score_col], errors="coerce")
    bad = wide[score.isna() | (score < 0) | (score > 1)]
    if len(bad):
        raise DataIntegrityError(
            f"{path}: column {score_col!r} must hold scores on 0-1; bad rows: "
            + ", ".join(f"{r[name_col]!r}={r[score_col]!r}" for _, r in bad.head(10).iterrows())
        )
    wide[score_col] = (score * 100).round(6)
    return melt_columns(wide, name_col, {score_col: variable}, year=year)


@dataclass(frozen=True)
class GciUnitScore:
    """A GCI edition published as one 0-1 overall score per country (GCI 2017, 2018).

    The edition's loader module is this record: its ``VARIABLES`` are ``[edition.variable]``
    and its ``read`` is ``edition.read``, so the editions differ only in these constants.

    Attributes
    ----------
    source : str
        Source id (``"gci2017"``); the variable is ``<source>.score``.
    year : int
        Edition year, also the year of every value.
    relpath : str
        File of the source as registered in ``sources.toml``.
    name_col, score_col : str
        Columns of the country names and of the 0-1 score.
    version : str
        ITU's version of the index and when it was collected or published, for the
        catalogue description (``"GCIv2, data collected 2016"``).
    example : float
        A published score, shown on both scales in the description.

    Examples
    --------
    >>> from cybercult.data.loaders._common import GciUnitScore
    >>> ed = GciUnitScore("gci2017", 2017, "gci_2017/gci.csv", "Country", "Global Cybersecurity Index",
    ...                   "GCIv2, data collected 2016", 0.925)
    >>> ed.variable.id, ed.variable.label
    ('gci2017.score', 'Global Cybersecurity Index 2017')
    """

    source: str
    year: int
    relpath: str
    name_col: str
    score_col: str
    version: str
    example: float

    @property
    def variable(self) -> Variable:
        """The catalogue entry of the score, on 0-100."""
        return Variable(
            f"{self.source}.score", f"Global Cybersecurity Index {self.year}", "score 0-100 (published 0-1, x100)",
            0, 100, "more committed to cybersecurity", "static", "outcome",
            f"ITU GCI {self.year} ({self.version}) overall score. ITU publishes it on 0-1; it is multiplied by 100 "
            f"here so that all GCI editions share a 0-100 scale ({self.example:g} becomes {self.example * 100:g}).")

    def read(self) -> pd.DataFrame:
        """The scores x100 as ``name, year, variable, value`` (:func:`read_unit_score`)."""
        return read_unit_score(self.source, self.relpath, self.name_col, self.score_col, self.year,
                               self.variable.id)
