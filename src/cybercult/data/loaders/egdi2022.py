"""UN E-Government Development Index 2022 (EGDI) with its components and the E-Participation Index.

EGDI is the mean of three normalised components: the Online Service Index
(OSI), the Human Capital Index (HCI) and the Telecommunication Infrastructure
Index (TII); the E-Participation Index (EPI) is a separate index. All are on
0-1 as published.

Quirks handled here: 175 of 193 names end in a space (stripped); UN official
short names (``Republic of Korea``, ``Viet Nam``, ``Türkiye``, ``Côte d'Ivoire``
in UTF-8) resolve with country_converter; ``Georgia (Country)``, an export
quirk, is mapped to GEO explicitly; rows are not sorted; the rank column is
not loaded (it is the min-rank of EGDI). :func:`check` reports whether EGDI
equals the mean of its three components within rounding (0.0001).
"""
from __future__ import annotations

import pandas as pd

from ..._docstrings import fill_doc
from ..variables import Variable
from ._common import LOADER_DOCS, melt_columns, numeric_column, read_csv_checked

SOURCE = "egdi2022"
YEAR = 2022
_FILE = "un_egdi_2022/EGOV_DATA_2022.csv"
_NAME = "Country Name"
_COLUMNS = {
    "E-Government Index": "egdi2022.egdi",
    "Online Service Index": "egdi2022.osi",
    "Human Capital Index": "egdi2022.hci",
    "Telecommunication Infrastructure Index": "egdi2022.tii",
    "E-Participation Index": "egdi2022.epi",
}
#: largest accepted gap between EGDI and the mean of OSI, HCI and TII (four-decimal rounding)
MEAN_TOLERANCE = 1e-4

VARIABLES = [
    Variable("egdi2022.egdi", "E-Government Development Index 2022", "index 0-1", 0, 1,
             "more developed e-government", "static", "development",
             "UN DESA E-Government Survey 2022: EGDI, the mean of the OSI, HCI and TII."),
    Variable("egdi2022.osi", "Online Service Index 2022", "index 0-1", 0, 1, "more online government services",
             "static", "development", "UN DESA E-Government Survey 2022: Online Service Index (EGDI component)."),
    Variable("egdi2022.hci", "Human Capital Index (EGDI) 2022", "index 0-1", 0, 1, "more human capital",
             "static", "development",
             "UN DESA E-Government Survey 2022: Human Capital Index (EGDI component; not the World Bank HCI)."),
    Variable("egdi2022.tii", "Telecommunication Infrastructure Index 2022", "index 0-1", 0, 1,
             "more telecommunication infrastructure", "static", "development",
             "UN DESA E-Government Survey 2022: Telecommunication Infrastructure Index (EGDI component)."),
    Variable("egdi2022.epi", "E-Participation Index 2022", "index 0-1", 0, 1, "more e-participation",
             "static", "development", "UN DESA E-Government Survey 2022: E-Participation Index (separate index)."),
]

OVERRIDES = {"Georgia (Country)": "GEO"}


def read() -> pd.DataFrame:
    path, wide = read_csv_checked(SOURCE, _FILE, (_NAME, *_COLUMNS), dtype={_NAME: str})
    for col in _COLUMNS:
        wide[col] = numeric_column(wide, col, _NAME, path)
    return melt_columns(wide, _NAME, _COLUMNS, year=YEAR)  # melt_columns strips the trailing spaces


@fill_doc(loader=LOADER_DOCS)
def check(df: pd.DataFrame) -> list[str]:
    """Note on EGDI = mean(OSI, HCI, TII) within rounding.

    Parameters
    ----------
    {loader.df}
    """
    w = df.pivot_table(index="iso3", columns="variable", values="value", aggfunc="first")
    gap = (w["egdi2022.egdi"] - w[["egdi2022.osi", "egdi2022.hci", "egdi2022.tii"]].mean(axis=1)).abs()
    bad = gap[gap > MEAN_TOLERANCE]
    msg = (f"egdi2022: EGDI equals the mean of OSI, HCI and TII within {MEAN_TOLERANCE} for "
           f"{len(w) - len(bad)} of {len(w)} countries")
    if len(bad):
        msg += "; larger gaps: " + ", ".join(f"{i} {g:.5f}" for i, g in bad.items())
    return [msg]
