"""UNDP Human Development Report 2023/2024: HDI and its components, 1990-2022.

Quirks handled here: UTF-8 with BOM (read as ``utf-8-sig``, else the first
header is ``\\ufeffiso3``); a 1,076-column wide table with year-suffixed series
(``hdi_2022``, ``le_1990`` ...), of which only ``hdi``, ``le``, ``eys``,
``mys`` and ``gnipc`` are read (``hdi_rank_2022``, ``hdi_f_2022`` and the like
are other series and are not picked up); blank cells are missing (PRK and MCO
have no HDI 2022); ISO3 codes in ``iso3`` are used as names (``CODES = True``);
the 11 aggregates with codes starting ``ZZ`` (HDI groups, UNDP regions,
``World``) are excluded with reasons.

Coverage: 195 countries and territories (193 UN members, Hong Kong, Palestine;
no Taiwan, no Kosovo).
"""
from __future__ import annotations

import re

import pandas as pd

from ...errors import DataIntegrityError
from ..registry import source_path
from ..variables import Variable

SOURCE = "undp"
_FILE = "undp_hdr/HDR23-24_Composite_indices_complete_time_series.csv"
CODES = True
_SERIES = ("hdi", "le", "eys", "mys", "gnipc")
_COLUMN = re.compile(r"^(" + "|".join(_SERIES) + r")_(\d{4})$")

VARIABLES = [
    Variable("undp.hdi", "Human Development Index", "index 0-1", 0, 1, "more developed", "yearly", "development",
             "UNDP Human Development Index: geometric mean of the health, education and income indices."),
    Variable("undp.le", "Life expectancy at birth", "years", 10, 90, "longer lives", "yearly", "development",
             "Life expectancy at birth (HDI health dimension). Rwanda 1994 is 14.1 years."),
    Variable("undp.eys", "Expected years of schooling", "years", 0, 25, "more schooling", "yearly",
             "development", "Expected years of schooling of a child of school-entrance age (HDI education)."),
    Variable("undp.mys", "Mean years of schooling", "years", 0, 15, "more schooling", "yearly", "development",
             "Mean years of schooling of adults aged 25 and older (HDI education)."),
    Variable("undp.gnipc", "GNI per capita, PPP", "2017 PPP $", 100, 200000, "richer", "yearly", "development",
             "Gross national income per capita, constant 2017 PPP $ (HDI income dimension)."),
]

EXCLUDE = {
    "ZZA.VHHD": "UNDP aggregate (Very high human development group), not a country",
    "ZZB.HHD": "UNDP aggregate (High human development group), not a country",
    "ZZC.MHD": "UNDP aggregate (Medium human development group), not a country",
    "ZZD.LHD": "UNDP aggregate (Low human development group), not a country",
    "ZZE.AS": "UNDP regional aggregate (Arab States), not a country",
    "ZZF.EAP": "UNDP regional aggregate (East Asia and the Pacific), not a country",
    "ZZG.ECA": "UNDP regional aggregate (Europe and Central Asia), not a country",
    "ZZH.LAC": "UNDP regional aggregate (Latin America and the Caribbean), not a country",
    "ZZI.SA": "UNDP regional aggregate (South Asia), not a country",
    "ZZJ.SSA": "UNDP regional aggregate (Sub-Saharan Africa), not a country",
    "ZZK.WORLD": "UNDP aggregate (World), not a country",
}


def read() -> pd.DataFrame:
    path = source_path(SOURCE, _FILE)
    wide = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False, na_values=[""])
    if "iso3" not in wide.columns:
        raise DataIntegrityError(f"{_FILE}: no column 'iso3' (BOM not stripped?); first columns: "
                                 f"{list(wide.columns)[:3]}")
    cols = {c: _COLUMN.match(c) for c in wide.columns}
    cols = {c: (m.group(1), int(m.group(2))) for c, m in cols.items() if m}
    found = {s for s, _ in cols.values()}
    if found != set(_SERIES):
        raise DataIntegrityError(f"{_FILE}: series {sorted(set(_SERIES) - found)} not found as '<series>_<year>'")
    long = wide.melt(id_vars="iso3", value_vars=list(cols), var_name="col", value_name="value")
    long["variable"] = "undp." + long["col"].map(lambda c: cols[c][0])
    long["year"] = long["col"].map(lambda c: cols[c][1])
    long["name"] = long["iso3"].str.strip()
    long["value"] = pd.to_numeric(long["value"], errors="raise")
    return long[["name", "year", "variable", "value"]]
