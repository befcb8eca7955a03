"""Hofstede six dimensions (2015-08-16 dimension data matrix).

Quirks handled here: ``;`` separator, ``#NULL!`` missing marker, Hofstede's own
3-letter codes (not ISO3: we match on the ``country`` name instead), regional and
sub-national samples mixed in (excluded with reasons), and the Dominican Republic
row missing from the primary file (taken from the comma-separated mirror).
"""
from __future__ import annotations

import pandas as pd

from ...errors import DataIntegrityError
from ..registry import source_path
from ..variables import Variable

SOURCE = "hofstede"
_PRIMARY = "hofstede/6-dimensions-for-website-2015-08-16.csv"
_ALT = "hofstede/alt_takaozinho_comma_version/6-dimensions-for-website-2015-08-16.csv"
_DIMS = {"pdi": "pdi", "idv": "idv", "mas": "mas", "uai": "uai", "ltowvs": "lto", "ivr": "ivr"}
_NA = ["#NULL!", ""]

VARIABLES = [
    Variable("hofstede.pdi", "Power distance", "index", 0, 120, "more accepted hierarchy", "static", "culture",
             "Extent to which the less powerful accept that power is distributed unequally."),
    Variable("hofstede.idv", "Individualism", "index", 0, 120, "more individualist", "static", "culture",
             "Individualism versus collectivism."),
    Variable("hofstede.mas", "Masculinity", "index", 0, 120, "more competition-oriented", "static", "culture",
             "Masculinity (achievement, competition) versus femininity (care, consensus)."),
    Variable("hofstede.uai", "Uncertainty avoidance", "index", 0, 120, "less tolerance of ambiguity", "static",
             "culture", "Discomfort with uncertainty and ambiguity."),
    Variable("hofstede.lto", "Long-term orientation", "index", 0, 100, "more long-term oriented", "static", "culture",
             "Long-term versus short-term normative orientation (WVS-based ltowvs)."),
    Variable("hofstede.ivr", "Indulgence", "index", 0, 100, "more indulgent", "static", "culture",
             "Indulgence versus restraint."),
]

OVERRIDES = {
    "Korea South": "KOR",
    "Czech Rep": "CZE",
    "Slovak Rep": "SVK",
    "Kyrgyz Rep": "KGZ",
    "Macedonia Rep": "MKD",
    "Bosnia": "BIH",
    "Dominican Rep": "DOM",
    "Great Britain": "GBR",
    "U.S.A.": "USA",
}

EXCLUDE = {
    "Africa East": "regional aggregate (East Africa), not a country",
    "Africa West": "regional aggregate (West Africa), not a country",
    "Arab countries": "regional aggregate (Arab countries), not a country",
    "Belgium French": "sub-national sample (Belgium has its own row)",
    "Belgium Netherl": "sub-national sample (Belgium has its own row)",
    "Canada French": "sub-national sample (Canada has its own row)",
    "Germany East": "sub-national sample (Germany has its own row)",
    "South Africa white": "sub-national sample (South Africa has its own row)",
    "Switzerland French": "sub-national sample (Switzerland has its own row)",
    "Switzerland German": "sub-national sample (Switzerland has its own row)",
}


def _read(relpath: str, sep: str) -> pd.DataFrame:
    return pd.read_csv(source_path(SOURCE, relpath), sep=sep, keep_default_na=False, na_values=_NA,
                       dtype={"ctr": str, "country": str}, encoding="utf-8")


def read() -> pd.DataFrame:
    wide = _read(_PRIMARY, ";")
    alt = _read(_ALT, ",")
    dom = alt[alt["ctr"] == "DOM"]
    if len(dom) != 1 or "DOM" in set(wide["ctr"]):
        raise DataIntegrityError("hofstede: expected the Dominican Republic row only in the comma-separated copy")
    wide = pd.concat([wide, dom], ignore_index=True)
    long = wide.melt(id_vars=["ctr", "country"], value_vars=list(_DIMS), var_name="dim", value_name="value")
    long["variable"] = "hofstede." + long["dim"].map(_DIMS)
    long["name"] = long["country"].str.strip()
    long["year"] = 2015
    return long[["name", "year", "variable", "value"]]
