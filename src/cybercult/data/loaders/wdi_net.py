"""World Bank WDI: individuals using the Internet (% of population), IT.NET.USER.ZS.

Quirks handled here: Excel 97 ``.xls`` (read with xlrd directly: pandas' xlrd
engine is deprecated and warns) with three preamble rows above the header
(``skiprows=3``) and year headers stored as text; WB codes in
``Country Code`` are used as names (``CODES = True``; Kosovo is ``XKX`` as in
country_converter); the 48 aggregates (regions, income groups, ``World``...)
are the rows whose ``Region`` is blank in the ``Metadata - Countries`` sheet,
plus ``INX`` (``Not classified``, absent from that sheet): all are excluded
with reasons, and :func:`read` checks that the metadata sheet still lists
exactly the aggregates excluded here; ``CHI`` (Channel Islands, no ISO3 code)
excluded.

Left alone: 2022 is sparse in this vintage (67 economies), so use 2020 or 2021;
Venezuela has no 2020 value.
"""
from __future__ import annotations

import pandas as pd

from ...errors import DataIntegrityError
from ..registry import source_path
from ..variables import Variable
from .wdi import CHANNEL_ISLANDS, WB_AGGREGATES

SOURCE = "wdi_net"
_FILE = "wdi_internet_users/API_IT.NET.USER.ZS_DS2_en_excel_v2_5872055 (1).xls"
CODES = True

VARIABLES = [
    Variable("wdi_net.internet", "Internet users", "% of population", 0, 100, "more connected", "yearly",
             "development",
             "Individuals using the Internet, % of population (IT.NET.USER.ZS). Source: ITU, via World Bank WDI."),
]

_NOT_IN_METADATA = {"INX"}  # 'Not classified' has a Data row but no metadata row
EXCLUDE = {
    **{code: f"World Bank aggregate ({name}), not a country" for code, name in WB_AGGREGATES.items()},
    "CHI": CHANNEL_ISLANDS,
}


def _read_sheet(book, sheet: str, header_row: int) -> pd.DataFrame:
    """Cells of ``sheet`` below ``header_row`` (0-based) as objects; empty cells become None."""
    import xlrd

    if sheet not in book.sheet_names():
        raise DataIntegrityError(f"{_FILE}: no sheet {sheet!r}; sheets: {book.sheet_names()}")
    sh = book.sheet_by_name(sheet)
    header = [sh.cell_value(header_row, c) for c in range(sh.ncols)]
    # year headers may be stored as numbers (1960.0) or text ('1960')
    header = [str(int(h)) if isinstance(h, float) and h.is_integer() else str(h).strip() for h in header]
    rows = [[None if sh.cell_type(r, c) in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK) else sh.cell_value(r, c)
             for c in range(sh.ncols)] for r in range(header_row + 1, sh.nrows)]
    return pd.DataFrame(rows, columns=header, dtype=object)


def read() -> pd.DataFrame:
    import xlrd

    # read with xlrd itself: pandas' xlrd engine is deprecated and warns
    book = xlrd.open_workbook(source_path(SOURCE, _FILE))
    wide = _read_sheet(book, "Data", header_row=3)  # 3 preamble rows (skiprows=3)
    meta = _read_sheet(book, "Metadata - Countries", header_row=0)
    for col, table in (("Country Code", wide), ("Indicator Code", wide), ("Region", meta)):
        if col not in table.columns:
            raise DataIntegrityError(f"{_FILE}: column {col!r} not found; columns: {list(table.columns)[:6]}")
    codes = set(wide["Indicator Code"])
    if codes != {"IT.NET.USER.ZS"}:
        raise DataIntegrityError(f"{_FILE}, sheet 'Data': expected only indicator IT.NET.USER.ZS, found {codes}")
    no_region = meta["Region"].map(lambda v: v is None or str(v).strip() == "")
    aggregates = set(meta.loc[no_region, "Country Code"]) | (_NOT_IN_METADATA & set(wide["Country Code"]))
    excluded = set(EXCLUDE) - {"CHI"}
    if aggregates != excluded:
        raise DataIntegrityError(
            f"{_FILE}: aggregates in 'Metadata - Countries' (blank Region) differ from the loader's EXCLUDE: "
            f"only in the file {sorted(aggregates - excluded)}, only in EXCLUDE {sorted(excluded - aggregates)}"
        )
    years = {c: int(c) for c in wide.columns if c.isdigit()}
    if not years:
        raise DataIntegrityError(f"{_FILE}, sheet 'Data': no year columns after skipping 3 preamble rows")
    long = wide.melt(id_vars="Country Code", value_vars=list(years), var_name="col", value_name="value")
    long["year"] = long["col"].map(years)
    long["name"] = long["Country Code"].str.strip()
    text = long["value"].map(lambda v: isinstance(v, str))
    if text.any():
        bad = long[text].head(3)
        raise DataIntegrityError(f"{_FILE}, sheet 'Data': text in year cells, e.g. {bad.to_dict('records')}")
    long["value"] = pd.to_numeric(long["value"], errors="raise").astype(float)
    long["variable"] = "wdi_net.internet"
    return long[["name", "year", "variable", "value"]]
