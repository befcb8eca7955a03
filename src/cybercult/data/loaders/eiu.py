"""EIU Democracy Index 2006-2022 (overall score, five categories, regime type), OWID-cleaned.

Quirks handled here: Stata float artefacts (``3.819999999999999``, ``.79``)
rounded to the 2 decimals the EIU publishes; OWID continent and world
aggregates (regional averages of the overall score, no regime type) excluded
with reasons; OWID country names without codes (matched by name; ``Timor``
needs an override). Editions exist for 2006, 2008 and 2010-2022 only; ``year``
is the year the edition describes (the 2020 edition, published in 2021, is
year 2020).

Left as published: Burundi 2016 "electoral process and pluralism" is -0.33,
below the nominal 0-10 scale; the overall score 2.40 published by the EIU is
the mean of the five categories only with that value, so it is the EIU's own
number (the variable's usual range starts at -0.5 for that reason). Scores of
exactly 4.00 are authoritarian regimes (the EIU's hybrid band is > 4).
"""
from __future__ import annotations

import pandas as pd

from ..variables import Variable
from ._common import OWID_AGGREGATES, melt_columns, read_csv_checked

SOURCE = "eiu"
_FILE = "eiu_democracy_index/eiu_final.csv"
_NA = [""]
_COLUMNS = {
    "democracy_eiu": "eiu.democracy",
    "elect_freefair_eiu": "eiu.electoral",
    "funct_gov_eiu": "eiu.government",
    "pol_part_eiu": "eiu.participation",
    "dem_culture_eiu": "eiu.culture",
    "civlib_eiu": "eiu.civil_liberties",
    "regime_eiu": "eiu.regime",
}

VARIABLES = [
    Variable("eiu.democracy", "Democracy Index (EIU)", "score 0-10", 0, 10, "more democratic", "yearly", "politics",
             "EIU Democracy Index, overall score: mean of the five category scores."),
    Variable("eiu.electoral", "Electoral process and pluralism (EIU)", "score 0-10", -0.5, 10, "more democratic",
             "yearly", "politics",
             "EIU category score for free and fair elections and pluralism. Nominally 0-10; the EIU published "
             "-0.33 for Burundi 2016."),
    Variable("eiu.government", "Functioning of government (EIU)", "score 0-10", 0, 10, "more democratic", "yearly",
             "politics", "EIU category score for the functioning of government."),
    Variable("eiu.participation", "Political participation (EIU)", "score 0-10", 0, 10, "more democratic", "yearly",
             "politics", "EIU category score for political participation."),
    Variable("eiu.culture", "Political culture (EIU)", "score 0-10", 0, 10, "more democratic", "yearly",
             "politics", "EIU category score for democratic political culture."),
    Variable("eiu.civil_liberties", "Civil liberties (EIU)", "score 0-10", 0, 10, "more democratic", "yearly",
             "politics", "EIU category score for civil liberties."),
    Variable("eiu.regime", "Regime type (EIU)", "category", 0, 3, "more democratic", "yearly", "politics",
             "EIU regime type from the overall score: authoritarian (<= 4), hybrid (<= 6), flawed democracy "
             "(<= 8), full democracy (> 8).",
             levels=((0, "Authoritarian"), (1, "Hybrid regime"), (2, "Flawed democracy"), (3, "Full democracy"))),
]

OVERRIDES = {
    "Timor": "TLS",
}

_AGGREGATE = "OWID region/world aggregate (unweighted mean score of its countries, no regime type), not a country"
EXCLUDE = dict.fromkeys(OWID_AGGREGATES, _AGGREGATE)


def read() -> pd.DataFrame:
    _, wide = read_csv_checked(SOURCE, _FILE, ("country_name", "year", *_COLUMNS), na=_NA,
                               dtype={"country_name": str})
    cols = list(_COLUMNS)
    wide[cols] = wide[cols].astype(float).round(2)  # Stata export artefacts such as 3.819999999999999
    return melt_columns(wide, "country_name", _COLUMNS)
