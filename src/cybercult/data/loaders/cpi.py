"""Transparency International Corruption Perceptions Index, 2012-2023 time series (CPI 2023 workbook).

Quirks handled here: the scores are on the sheet ``CPI Timeseries 2012 - 2023``
below three title rows (read with ``header=3``), one wide column per year with
inconsistent capitalisation (``CPI score 2023`` ... ``CPI score 2014`` but
``CPI Score 2013`` and ``CPI Score 2012``: matched case-insensitively, and all
twelve years are required); countries are matched on the ``ISO3`` column,
where Kosovo is ``KSV`` (mapped to ``XKX``); empty cells are missing (Brunei
Darussalam has no score after 2020, others join later). ``year`` is the year of
the CPI edition (CPI 2020 = year 2020). Scores 0-100 are comparable from 2012
on.
"""
from __future__ import annotations

import re

import pandas as pd

from ...errors import DataIntegrityError
from ..registry import source_path
from ..variables import Variable

SOURCE = "cpi"
_FILE = "ti_cpi/CPI2023_GlobalResultsTrends.xlsx"
_SHEET = "CPI Timeseries 2012 - 2023"
_YEARS = range(2012, 2024)
_SCORE = re.compile(r"^cpi score (\d{4})$", re.IGNORECASE)

VARIABLES = [
    Variable("cpi.score", "Corruption Perceptions Index (TI)", "score 0-100", 0, 100, "less corrupt", "yearly",
             "politics", "Transparency International CPI score, 0 = highly corrupt, 100 = very clean."),
]

CODES = True

OVERRIDES = {
    "KSV": "XKX",
}


def read() -> pd.DataFrame:
    wide = pd.read_excel(source_path(SOURCE, _FILE), sheet_name=_SHEET, header=3, keep_default_na=False,
                         na_values=[""], dtype={"ISO3": str, "Country / Territory": str}, engine="openpyxl")
    if "ISO3" not in wide.columns:
        raise DataIntegrityError(f"cpi: {_FILE} sheet {_SHEET!r} has no column 'ISO3'; columns: {list(wide.columns)}")
    score_cols = {int(m.group(1)): c for c in wide.columns if (m := _SCORE.match(str(c).strip()))}
    missing = [y for y in _YEARS if y not in score_cols]
    if missing:
        raise DataIntegrityError(f"cpi: {_FILE} sheet {_SHEET!r} has no 'CPI score' column for year(s) {missing}")
    nocode = wide["ISO3"].isna()
    if nocode.any():
        raise DataIntegrityError(f"cpi: {_FILE} sheet {_SHEET!r}: no ISO3 code in row(s) "
                                 f"{list(wide.index[nocode] + 5)}")
    long = wide.melt(id_vars=["ISO3"], value_vars=[score_cols[y] for y in _YEARS], var_name="column",
                     value_name="value")
    long["year"] = long["column"].str.strip().str[-4:].astype(int)
    long["variable"] = "cpi.score"
    long["name"] = long["ISO3"].str.strip()
    return long[["name", "year", "variable", "value"]]
