"""World Bank Worldwide Governance Indicators, 2020 update (1996-2019), six estimates.

Quirks handled here: the CSV is Latin-1 (cp1252), not UTF-8 (``Côte d'Ivoire``,
``Réunion``, ``São Tomé and Principe``); R's ``NA`` missing marker (983 missing
estimates, mostly small territories and early years); long format with the
indicator names written without spaces; World Bank codes that are not ISO3
(``ROM`` Romania, ``ZAR`` DR Congo, ``TMP`` Timor-Leste, ``ADO`` Andorra,
``WBG`` West Bank and Gaza, ``KSV`` Kosovo) mapped through overrides, so
countries are matched on ``Code``; the Netherlands Antilles (``ANT``,
dissolved 2010) excluded as a historical unit. Only the ``Estimate`` column is
read (``Lower``/``Upper`` are percentile-rank bounds, not estimate bounds).
Years: 1996, 1998, 2000, 2002-2019.

Left as published: estimates are in standard-normal units, nominally
-2.5..2.5, but a few fall outside (Political Stability reaches -3.31), hence
the wider usual range.
"""
from __future__ import annotations

import pandas as pd

from ...errors import DataIntegrityError
from ..registry import source_path
from ..variables import Variable

SOURCE = "wgi"
_FILE = "wgi/2020_Worldwide_Governance_Indicators_1996-2019.csv"
_NA = ["NA", ""]
_INDICATORS = {
    "VoiceandAccountability": "wgi.va",
    "PoliticalStability": "wgi.pv",
    "GovernmentEffectiveness": "wgi.ge",
    "RegulatoryQuality": "wgi.rq",
    "RuleofLaw": "wgi.rl",
    "ControlofCorruption": "wgi.cc",
}
_UNIT = "estimate (z-score)"
_NOTE = "WGI estimate in standard-normal units (nominally -2.5 to 2.5)."

VARIABLES = [
    Variable("wgi.va", "Voice and accountability (WGI)", _UNIT, -3.5, 3.0, "better governance", "yearly",
             "politics", f"Perceived voice and accountability. {_NOTE}"),
    Variable("wgi.pv", "Political stability and absence of violence (WGI)", _UNIT, -3.5, 3.0,
             "better governance", "yearly", "politics",
             f"Perceived political stability and absence of violence/terrorism. {_NOTE}"),
    Variable("wgi.ge", "Government effectiveness (WGI)", _UNIT, -3.5, 3.0, "better governance", "yearly",
             "politics", f"Perceived government effectiveness. {_NOTE}"),
    Variable("wgi.rq", "Regulatory quality (WGI)", _UNIT, -3.5, 3.0, "better governance", "yearly", "politics",
             f"Perceived regulatory quality. {_NOTE}"),
    Variable("wgi.rl", "Rule of law (WGI)", _UNIT, -3.5, 3.0, "better governance", "yearly", "politics",
             f"Perceived rule of law. {_NOTE}"),
    Variable("wgi.cc", "Control of corruption (WGI)", _UNIT, -3.5, 3.0, "better governance", "yearly",
             "politics", f"Perceived control of corruption. {_NOTE}"),
]

CODES = True

OVERRIDES = {
    "ROM": "ROU",
    "ZAR": "COD",
    "TMP": "TLS",
    "ADO": "AND",
    "WBG": "PSE",
    "KSV": "XKX",
}

EXCLUDE = {
    "ANT": "historical unit that no longer exists (Netherlands Antilles, dissolved 2010)",
}


def read() -> pd.DataFrame:
    raw = pd.read_csv(source_path(SOURCE, _FILE), keep_default_na=False, na_values=_NA,
                      dtype={"Country/Territory": str, "Code": str, "Indicator": str}, encoding="latin-1")
    missing = [c for c in ["Code", "Year", "Estimate", "Indicator"] if c not in raw.columns]
    if missing:
        raise DataIntegrityError(f"wgi: {_FILE} has no column(s) {missing}")
    unknown = sorted(set(raw["Indicator"]) - set(_INDICATORS))
    if unknown:
        raise DataIntegrityError(f"wgi: {_FILE} column 'Indicator' has unknown value(s) {unknown}; "
                                 f"expected {sorted(_INDICATORS)}")
    out = pd.DataFrame({
        "name": raw["Code"].str.strip(),
        "year": raw["Year"],
        "variable": raw["Indicator"].map(_INDICATORS),
        "value": raw["Estimate"],
    })
    return out
