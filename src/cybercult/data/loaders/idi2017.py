"""ITU ICT Development Index 2017 (IDI), overall value on 0-10, 176 economies.

2017 is the last IDI of the old methodology (11 indicators: access, use,
skills); the IDI 2023+ uses a new 0-100 methodology and is not comparable.

Quirks handled here: names are a course group's own spellings, not ITU's or
ISO (``Korea, (South) Republic of``, ``Russia (Russian Fed.)``,
``Sri Lanka (ex-Ceilan)``, ``Ivory Coast (Cote d'Ivoire)``,
``Libyan Arab Jamahiriya``, ``Palestinian Territory``, ``Macedonia, TFYR``,
``S Vincent & Grenadines``): the ones country_converter cannot resolve, or
could resolve wrongly, are in :data:`OVERRIDES`; Hong Kong and Macao are
kept (economies measured by ITU; they are simply absent from the GCI); there
is no rank column (21 values are tied) and none is derived.
"""
from __future__ import annotations

import pandas as pd

from ..variables import Variable
from ._common import melt_columns, numeric_column, read_csv_checked

SOURCE = "idi2017"
YEAR = 2017
_FILE = "itu_idi_2017/idi.csv"
_NAME = "Country"
_SCORE = "ICT Development Index"

VARIABLES = [
    Variable("idi2017.idi", "ICT Development Index 2017", "index 0-10", 0, 10, "more ICT development",
             "static", "development",
             "ITU ICT Development Index 2017 (Measuring the Information Society Report 2017), old methodology, "
             "0-10."),
]

OVERRIDES = {
    "Korea, (South) Republic of": "KOR",
    "Hong Kong, (China)": "HKG",
    "Macao, (China)": "MAC",
    "Sri Lanka (ex-Ceilan)": "LKA",
    "Ivory Coast (Cote d'Ivoire)": "CIV",
    "Palestinian Territory": "PSE",
}


def read() -> pd.DataFrame:
    path, wide = read_csv_checked(SOURCE, _FILE, (_NAME, _SCORE), dtype={_NAME: str})
    wide[_SCORE] = numeric_column(wide, _SCORE, _NAME, path)
    return melt_columns(wide, _NAME, {_SCORE: "idi2017.idi"}, year=YEAR)
