"""V-Dem high-level democracy indices (v15, 1960-2024), from a V-Dem/WDI merge.

Quirks handled here: R's ``NA`` missing marker; the file is a merge of V-Dem
with World Bank WDI, so rows that carry only WDI columns (WB aggregates such
as ``Africa Eastern and Southern`` and unnamed WDI-only country-years, plus
one empty Turkmenistan row) are dropped before matching: only rows with at
least one V-Dem index are read. Countries are matched on V-Dem's
``country_name`` (``Burma/Myanmar``, ``Ivory Coast``, ``The Gambia``,
``Palestine/West Bank`` ...), not on ``country_text_id``, which is V-Dem's own
id (it coincides with ISO3 here, Kosovo being ``XKX``; the tests check this).
The file holds only the 175 countries V-Dem codes up to 2024, so no historical
units appear. ``year`` is the year the value describes.

Left as published: V-Dem's ``Germany`` for 1960-1989 is the Federal Republic
(West Germany); ``Palestine/West Bank`` (V-Dem's unit for the Palestinian
Authority polity) is mapped to PSE; a few early-year gaps in single indices
(Bahrain and Timor-Leste to 2001, Central African Republic 1964-65, Namibia
1979) stay missing.
"""
from __future__ import annotations

import pandas as pd

from ...errors import DataIntegrityError
from ..variables import Variable
from ._common import melt_columns, read_csv_checked

SOURCE = "vdem"
_FILE = "vdem/vdem3.csv"
_NA = ["NA", ""]
_COLUMNS = {
    "v2x_polyarchy": "vdem.polyarchy",
    "v2x_libdem": "vdem.libdem",
    "v2x_partipdem": "vdem.partipdem",
    "v2x_delibdem": "vdem.delibdem",
    "v2x_egaldem": "vdem.egaldem",
}

VARIABLES = [
    Variable("vdem.polyarchy", "Electoral democracy (V-Dem)", "index 0-1", 0, 1, "more democratic", "yearly",
             "politics", "V-Dem electoral democracy index (v2x_polyarchy)."),
    Variable("vdem.libdem", "Liberal democracy (V-Dem)", "index 0-1", 0, 1, "more democratic", "yearly",
             "politics", "V-Dem liberal democracy index (v2x_libdem)."),
    Variable("vdem.partipdem", "Participatory democracy (V-Dem)", "index 0-1", 0, 1, "more democratic", "yearly",
             "politics", "V-Dem participatory democracy index (v2x_partipdem)."),
    Variable("vdem.delibdem", "Deliberative democracy (V-Dem)", "index 0-1", 0, 1, "more democratic", "yearly",
             "politics", "V-Dem deliberative democracy index (v2x_delibdem)."),
    Variable("vdem.egaldem", "Egalitarian democracy (V-Dem)", "index 0-1", 0, 1, "more democratic", "yearly",
             "politics", "V-Dem egalitarian democracy index (v2x_egaldem)."),
]


def read() -> pd.DataFrame:
    path, wide = read_csv_checked(SOURCE, _FILE, ("country_name", "year", *_COLUMNS), na=_NA,
                                  dtype={"country_name": str, "country_text_id": str})
    wide = wide[wide[list(_COLUMNS)].notna().any(axis=1)]
    unnamed = wide["country_name"].isna()
    if unnamed.any():
        raise DataIntegrityError(f"vdem: {path} has V-Dem values without a country_name in rows "
                                 f"{list(wide.index[unnamed][:10] + 2)}")
    return melt_columns(wide, "country_name", _COLUMNS)
