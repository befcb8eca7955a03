"""World Bank WDI: armed forces personnel, total (MS.MIL.TOTL.P1), DataBank export.

Quirks handled here: DataBank wide layout with year headers like
``2020 [YR2020]``; missing marker ``..`` (a string); five footer lines under the
table (blank lines, "Data from database: ...", "Last Updated: ...") dropped; no
country-code column, so WDI names are matched (``Korea, Rep.``, ``Congo, Dem.
Rep.`` ... all resolve with country_converter); ``Channel Islands`` (no ISO3
code, and no data) excluded with its reason; floating-point noise of the export
(e.g. 306799.99999999994) rounded to whole persons. openpyxl's "no default
style" warning about the workbook itself is silenced.

The series ends in 2020 (2021-2023 columns are all ``..``).
"""
from __future__ import annotations

import re
import warnings

import pandas as pd

from ...errors import DataIntegrityError
from ..registry import source_path
from ..variables import Variable

SOURCE = "wdi_af"
_FILE = "wdi_armed_forces/Personel.xlsx"
_NAME = "Country Name"
_YEAR = re.compile(r"^(\d{4}) \[YR\1\]$")

VARIABLES = [
    Variable("wdi_af.personnel", "Armed forces personnel", "persons", 0, 5e6, "more personnel", "yearly",
             "military",
             "Armed forces personnel, total (MS.MIL.TOTL.P1): active duty military and paramilitary, "
             "excluding reservists. Source: IISS, The Military Balance, via World Bank WDI."),
]

EXCLUDE = {
    "Channel Islands": "Jersey and Guernsey together: no single ISO3 code (and no data in this series)",
}

# the last lines of the sheet are notes, not countries
_FOOTER = re.compile(r"^(Data from database:|Last Updated:)")


def read() -> pd.DataFrame:
    path = source_path(SOURCE, _FILE)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Workbook contains no default style", category=UserWarning)
        wide = pd.read_excel(path, sheet_name="Data", dtype=object, keep_default_na=False, na_values=[""],
                             engine="openpyxl")
    if _NAME not in wide.columns:
        raise DataIntegrityError(f"{_FILE}, sheet 'Data': no column {_NAME!r}; columns: {list(wide.columns)[:5]}")
    years = {c: int(m.group(1)) for c in wide.columns if (m := _YEAR.match(str(c)))}
    if not years:
        raise DataIntegrityError(f"{_FILE}, sheet 'Data': no year columns like '2020 [YR2020]'")
    names = wide[_NAME]
    footer = names.isna() | names.astype(str).str.match(_FOOTER)
    if footer.any() and not footer[footer.idxmax():].all():
        raise DataIntegrityError(f"{_FILE}, sheet 'Data': blank or note lines in the middle of the table "
                                 f"(rows {[i + 2 for i in footer[footer].index]})")
    wide = wide[~footer]
    long = wide.melt(id_vars=_NAME, value_vars=list(years), var_name="col", value_name="value")
    text = long["value"].map(lambda v: isinstance(v, str))
    odd = set(long.loc[text, "value"]) - {".."}
    if odd:
        raise DataIntegrityError(f"{_FILE}, sheet 'Data': unexpected text cell(s) {sorted(odd)}; "
                                 "known missing marker: '..'")
    long["value"] = pd.to_numeric(long["value"].where(~text), errors="raise").astype(float).round(0)
    long["year"] = long["col"].map(years)
    long["name"] = long[_NAME].astype(str).str.strip()
    long["variable"] = "wdi_af.personnel"
    return long[["name", "year", "variable", "value"]]
