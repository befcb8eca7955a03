"""National Cyber Security Index (legacy 2.x) with the DDL and CEI, from one compiled table.

The compiled table (``Cyber_security.csv``, a Kaggle re-upload) holds four
indices per country: the Cybersecurity Exposure Index 2020 (CEI), the ITU GCI
2020 score, the NCSI (legacy methodology, snapshot c. 2022) and the Digital
Development Level (DDL) published on the NCSI site. The GCI column is not
loaded (``gci2020`` is the primary source; this column has one typo,
Tajikistan 17.01 for 17.10).

Quirks handled here: ``0`` is the missing-value marker of the CEI (84 zeros),
NCSI (25) and DDL (40) columns, so zeros become missing (a genuine 0 is
impossible for the CEI and DDL and would mean no capacity at all on the
NCSI); the ``Region`` column (with errors such as Venezuela in Africa) is not
loaded; informal names (``South Korea``, ``North Korea``, ``Lao PDR``,
``Cote d'ivoire``, ``Vatican City``, ``Palestine``; ``Congo`` is the Republic
of the Congo, as its GCI value 14.72 confirms) all resolve with
country_converter (checked name by name). The snapshot date is not
documented; all three indices are recorded with year 2022 (the CEI itself is
the 2020 edition).
"""
from __future__ import annotations

import pandas as pd

from ..variables import Variable
from ._common import melt_columns, numeric_column, read_csv_checked

SOURCE = "ncsi"
YEAR = 2022
_FILE = "cyber_indexes_cei_gci_ncsi_ddl/Cyber_security.csv"
_NAME = "Country"
_COLUMNS = {
    "NCSI (The National Cyber Security Index)": "ncsi.score",
    "DDL (The Digital Development Level)": "ncsi.ddl",
    "CEI (The Cybersecurity Exposure Index)": "ncsi.cei",
}
#: value used by the compiled table for "no data" in the columns above
MISSING_VALUE = 0.0
_NA = [""]

VARIABLES = [
    Variable("ncsi.score", "National Cyber Security Index", "index 0-100", 0, 100,
             "more cybersecurity capacity", "static", "outcome",
             "e-Governance Academy's NCSI (legacy 2.x methodology, snapshot c. 2022): share of the NCSI's "
             "cybersecurity indicators a country fulfils, 0-100. Zeros in the compiled table mean no data."),
    Variable("ncsi.ddl", "Digital Development Level", "index 0-100", 0, 100,
             "more digitally developed", "static", "development",
             "Digital Development Level published on ncsi.ega.ee next to the NCSI (average of ICT development "
             "and e-government/network readiness index scores). Zeros in the compiled table mean no data."),
    Variable("ncsi.cei", "Cybersecurity Exposure Index", "index 0-1", 0, 1,
             "more exposed (lower is better)", "static", "outcome",
             "Cybersecurity Exposure Index 2020 (PasswordManagers.co), 0-1; lower means less exposed to cyber "
             "threats. Zeros in the compiled table mean no data."),
]


def read() -> pd.DataFrame:
    path, wide = read_csv_checked(SOURCE, _FILE, (_NAME, *_COLUMNS), na=_NA, dtype={_NAME: str})
    for col in _COLUMNS:
        num = numeric_column(wide, col, _NAME, path)
        wide[col] = num.mask(num == MISSING_VALUE)
    return melt_columns(wide, _NAME, _COLUMNS, year=YEAR)
