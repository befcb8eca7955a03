"""Freedom House, Freedom in the World: status, ratings and aggregate scores (OWID-cleaned).

Quirks handled here: ``year`` in the OWID file is the year under review (the
meta file calls it "Edition", but the United States 2020 row holds the FIW 2021
values 32/51); the years 1800-1971 are empty scaffolding (dropped as missing);
OWID continent/world aggregates and unnamed world-total rows carry only counts
(excluded with reasons); historical units (USSR, Yugoslavia, Czechoslovakia,
the two Germanys, Vietnams and Yemens, Serbia and Montenegro) are excluded,
several of which country_converter would silently map to a successor
(Czechoslovakia -> CZE, Yemen Arab Republic -> YEM); disputed and sub-national
territories rated by FH (Abkhazia, Northern Cyprus, the Kashmirs, Somaliland,
Gaza Strip, West Bank, ...) are excluded, several of which would otherwise map
to their parent state (Northern Cyprus -> CYP, Somaliland -> SOM, Indian
Kashmir -> IND). Territories with their own ISO3 code are kept: Hong Kong,
Macao (2000-2003 only), Puerto Rico (to 2015) and Western Sahara. The 0-100
total is computed as political rights score + civil liberties score, only where
both exist (scores are published from the 2006 edition, year 2005, on).

Left as published: political rights scores below 0 (the discretionary
question B can subtract up to 4 points, e.g. China 2020 = -2), and status
codes before 2003 that differ from the mean-rating rule (FH then set status
from raw points).
"""
from __future__ import annotations

import pandas as pd

from ..variables import Variable
from ._common import OWID_AGGREGATES, melt_columns, read_csv_checked

SOURCE = "fh"
_FILE = "freedom_house/fh_final.csv"
_NA = [""]
_COLUMNS = {
    "regime_fh": "fh.status",
    "polrights_fh": "fh.pr",
    "civlibs_fh": "fh.cl",
    "polrights_score_fh": "fh.pr_score",
    "civlibs_score_fh": "fh.cl_score",
}

VARIABLES = [
    Variable("fh.status", "Freedom status (FH)", "category", 0, 2, "more free", "yearly", "politics",
             "Freedom House status: not free, partly free or free.",
             levels=((0, "Not free"), (1, "Partly free"), (2, "Free"))),
    Variable("fh.pr", "Political rights rating (FH)", "rating 1-7", 1, 7, "less free", "yearly", "politics",
             "Freedom House political rights rating, 1 = most free, 7 = least free."),
    Variable("fh.cl", "Civil liberties rating (FH)", "rating 1-7", 1, 7, "less free", "yearly", "politics",
             "Freedom House civil liberties rating, 1 = most free, 7 = least free."),
    Variable("fh.pr_score", "Political rights score (FH)", "score 0-40", -4, 40, "more free", "yearly", "politics",
             "Freedom House political rights aggregate score (0-40; the discretionary question can push it "
             "down to -4). Published for years 2005 on."),
    Variable("fh.cl_score", "Civil liberties score (FH)", "score 0-60", 0, 60, "more free", "yearly", "politics",
             "Freedom House civil liberties aggregate score (0-60). Published for years 2005 on."),
    Variable("fh.total", "Freedom in the World score (FH)", "score 0-100", -4, 100, "more free", "yearly",
             "politics",
             "Freedom House total score = political rights score + civil liberties score (0-100), where both "
             "exist (years 2005 on)."),
]

_AGGREGATE = "OWID region/world aggregate (counts of countries and people only), not a country"
_HISTORICAL = "historical unit that no longer exists"
_TERRITORY = "disputed or sub-national territory"
_PALESTINE = ("part of the Palestinian territories, which FH rates under changing definitions "
              "(no continuous whole-territory series to map to PSE)")
EXCLUDE = {
    "": "unnamed OWID rows holding world totals (counts only), not a country",
    **dict.fromkeys(OWID_AGGREGATES, _AGGREGATE),
    "Czechoslovakia": f"{_HISTORICAL} (Czechoslovakia, to 1992)",
    "East Germany": f"{_HISTORICAL} (German Democratic Republic, to 1989)",
    "West Germany": f"{_HISTORICAL} (Federal Republic before unification, to 1989)",
    "USSR": f"{_HISTORICAL} (Soviet Union, to 1990)",
    "Yugoslavia": f"{_HISTORICAL} (Yugoslavia, to 2002)",
    "Serbia and Montenegro": f"{_HISTORICAL} (Serbia and Montenegro, 2003-2005)",
    "North Vietnam": f"{_HISTORICAL} (North Vietnam, to 1975)",
    "Republic of Vietnam": f"{_HISTORICAL} (South Vietnam, to 1975)",
    "Yemen Arab Republic": f"{_HISTORICAL} (North Yemen, to 1989)",
    "Yemen People's Republic": f"{_HISTORICAL} (South Yemen, to 1989)",
    "Abkhazia": _TERRITORY,
    "Chechnya": _TERRITORY,
    "Crimea": _TERRITORY,
    "Eastern Donbas": _TERRITORY,
    "Indian Kashmir": _TERRITORY,
    "Kurdistan": _TERRITORY,
    "Nagorno-Karabakh": _TERRITORY,
    "Northern Cyprus": _TERRITORY,
    "Northern Ireland": _TERRITORY,
    "Pakistani Kashmir": _TERRITORY,
    "Somaliland": _TERRITORY,
    "South Ossetia": _TERRITORY,
    "Tibet": _TERRITORY,
    "Transnistria": _TERRITORY,
    "West Papua": _TERRITORY,
    "Gaza Strip": f"{_TERRITORY}; {_PALESTINE}",
    "West Bank": f"{_TERRITORY}; {_PALESTINE}",
    "Israeli-Occupied Territories": f"{_TERRITORY}; {_PALESTINE}",
    "Palestinian Authority-Administered Territories": f"{_TERRITORY}; {_PALESTINE}",
    "Palestine": f"{_TERRITORY}; {_PALESTINE}",
}


def read() -> pd.DataFrame:
    _, wide = read_csv_checked(SOURCE, _FILE, ("country_name", "year", *_COLUMNS), na=_NA,
                               dtype={"country_name": str})
    wide["country_name"] = wide["country_name"].fillna("")
    # total only where both scores exist (NaN + x stays NaN)
    wide["total_fh"] = wide["polrights_score_fh"] + wide["civlibs_score_fh"]
    return melt_columns(wide, "country_name", {**_COLUMNS, "total_fh": "fh.total"})
