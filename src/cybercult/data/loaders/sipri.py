"""SIPRI Military Expenditure Database, 2024 release (1949-2023).

Quirks handled here: one workbook with one sheet per measure, each with a
different number of title rows (the header row is found by its ``Country``
cell, not by position) and a different first year (``Per capita`` starts in
1988); the share of GDP is stored as a fraction (0.0365) and is returned in
percent (3.65); missing markers ``...`` (data unavailable) and ``xxx`` (country
did not exist or was not independent) become absent; region and sub-region
header rows (``Africa``, ``North Africa``, ...) carry no data and are excluded
with their reason, as are the ``European Union`` aggregate and the historical
units (USSR, Czechoslovakia, German Democratic Republic, Yugoslavia, North
Yemen); three ``0`` cells for Mauritania in the constant-dollar sheet stand for
unavailable data and are set to missing by the corrections table. openpyxl's
"no default style" warning about the workbook itself is silenced.

Left as published: the constant-dollar ``0`` of countries without armed forces
(Costa Rica, Iceland, Panama; Haiti 1996-2011), whose shares are ``...``;
Serbia's row, which up to 2005 is Serbia and Montenegro (SIPRI footnote 79).
"""
from __future__ import annotations

import warnings

import pandas as pd

from ...errors import DataIntegrityError
from ..registry import source_path
from ..variables import Variable

SOURCE = "sipri"
_FILE = "sipri_milex/SIPRI-Milex-data-1949-2023.xlsx"
_MISSING = ("...", "xxx")

# variable id -> (sheet, multiplier applied to the stored value)
_SHEETS = {
    "sipri.milex_gdp": ("Share of GDP", 100.0),
    "sipri.milex_pc": ("Per capita", 1.0),
    "sipri.milex_constant": ("Constant (2022) US$", 1.0),
}

VARIABLES = [
    Variable("sipri.milex_gdp", "Military expenditure, share of GDP", "% of GDP", 0, 120, "more military spending",
             "yearly", "military",
             "SIPRI military expenditure as a percentage of GDP (sheet 'Share of GDP', stored as a fraction, "
             "multiplied by 100 here). The highest value is Kuwait 1991 (117 %, Gulf War)."),
    Variable("sipri.milex_pc", "Military expenditure per capita", "current US$ per person", 0, 10000,
             "more military spending", "yearly", "military",
             "SIPRI military expenditure per capita in current US$ (sheet 'Per capita', from 1988)."),
    Variable("sipri.milex_constant", "Military expenditure, constant 2022 US$", "constant 2022 US$ m", 0, 1.2e6,
             "more military spending", "yearly", "military",
             "SIPRI military expenditure in millions of US$ at constant 2022 prices and exchange rates "
             "(sheet 'Constant (2022) US$'). Countries without armed forces are published as 0."),
]

_REGION = "SIPRI region/sub-region header row (no data), not a country"
EXCLUDE = {
    **{r: _REGION for r in (
        "Africa", "North Africa", "sub-Saharan Africa", "Americas", "Central America and the Caribbean",
        "North America", "South America", "Asia & Oceania", "Oceania", "South Asia", "East Asia",
        "South East Asia", "Central Asia", "Europe", "Central Europe", "Eastern Europe", "Western Europe",
        "Middle East",
    )},
    "European Union": "aggregate of the EU member states (2022-2023 only), not a country",
    "Czechoslovakia": "historical unit (dissolved 1 Jan 1993); Czechia and Slovakia have their own rows "
                      "(country_converter would map it to CZE)",
    "German Democratic Republic": "historical unit (East Germany, unified with Germany in Oct 1990)",
    "USSR": "historical unit (dissolved Dec 1991); Russia and the other successors have their own rows",
    "Yugoslavia": "historical unit (former Yugoslavia, up to 1991); successors have their own rows",
    "Yemen, North": "historical unit (Yemen Arab Republic, merged into the Republic of Yemen in 1990; "
                    "country_converter would map it to YEM, which has its own row 'Yemen')",
}


def _sheet(book: pd.ExcelFile, sheet: str) -> pd.DataFrame:
    """One country sheet as long ``name, year, value`` (value as stored, NaN for markers)."""
    raw = pd.read_excel(book, sheet_name=sheet, header=None, dtype=object, keep_default_na=False,
                        na_values=[""])
    first = raw.iloc[:, 0].astype(str).str.strip()
    head = first.index[first == "Country"]
    if len(head) != 1:
        raise DataIntegrityError(f"{_FILE}, sheet {sheet!r}: expected one header row starting with 'Country', "
                                 f"found {len(head)}")
    h = head[0]
    header = raw.iloc[h]
    years = {c: int(v) for c, v in header.items()
             if isinstance(v, (int, float)) and not pd.isna(v) and float(v).is_integer() and 1900 < v < 2100}
    if not years or max(years.values()) != 2023:
        raise DataIntegrityError(f"{_FILE}, sheet {sheet!r}: year columns not found in header row {h + 1}")
    body = raw.iloc[h + 1:]
    body = body[body.iloc[:, 0].notna()]
    wide = body[list(years)].rename(columns=years)
    wide.insert(0, "name", body.iloc[:, 0].astype(str).str.strip())
    long = wide.melt(id_vars="name", var_name="year", value_name="value")
    text = long["value"].map(lambda v: isinstance(v, str))
    odd = set(long.loc[text, "value"].str.strip()) - set(_MISSING)
    if odd:
        raise DataIntegrityError(f"{_FILE}, sheet {sheet!r}: unexpected text cell(s) {sorted(odd)}; "
                                 f"known markers: {list(_MISSING)}")
    long["value"] = pd.to_numeric(long["value"].where(~text), errors="raise").astype(float)
    return long


def read() -> pd.DataFrame:
    path = source_path(SOURCE, _FILE)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Workbook contains no default style", category=UserWarning)
        with pd.ExcelFile(path, engine="openpyxl") as book:
            parts = []
            for var, (sheet, factor) in _SHEETS.items():
                long = _sheet(book, sheet)
                long["value"] = long["value"] * factor
                long["variable"] = var
                parts.append(long)
    out = pd.concat(parts, ignore_index=True)
    return out[["name", "year", "variable", "value"]]
