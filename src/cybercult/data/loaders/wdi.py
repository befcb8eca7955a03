"""World Bank WDI extract (API, retrieved 2024-06-06): GDP per capita, population, government consumption.

Quirks handled here: UTF-8 with BOM (read as ``utf-8-sig``); long format with
one row per indicator, economy and year; missing marker ``NA`` in the ``value``
column only, while Namibia's ``cty_id`` is the string ``"NA"`` (so only the
``value`` column is given a missing marker, with ``keep_default_na=False``);
WB codes in ``cty_iso`` are used as names (``CODES = True``, Kosovo is ``XKX``
as in country_converter); the 49 aggregates are excluded with reasons: 44 with
a WB code (``AFE``, ``WLD``, ``EUU`` ...) and the five income groups whose
``cty_iso`` is blank (``High income``, ... ``Not classified``), which are
named by ``cty_nm`` instead; ``CHI`` (Channel Islands, no ISO3 code) excluded.

Left alone: GDP per capita PPP is in *current* international $ (not constant
PPP), fine for a cross-section; Venezuela has no PPP values.
"""
from __future__ import annotations

import pandas as pd

from ...errors import DataIntegrityError
from ..registry import source_path
from ..variables import Variable

SOURCE = "wdi"
_FILE = "wdi_gdp_population/wb_wdi_2024.csv"
CODES = True

_INDICATORS = {
    "NY.GDP.PCAP.PP.CD": "wdi.gdppc_ppp",
    "NY.GDP.PCAP.CD": "wdi.gdppc",
    "SP.POP.TOTL": "wdi.population",
    "NE.CON.GOVT.ZS": "wdi.gov_consumption",
}
# also in the file, not used: GDP in current US$ and in PPP
_UNUSED = {"NY.GDP.MKTP.CD", "NY.GDP.MKTP.PP.CD"}

VARIABLES = [
    Variable("wdi.gdppc_ppp", "GDP per capita, PPP", "current intl $", 300, 200000, "richer", "yearly",
             "development", "GDP per capita, PPP, current international $ (NY.GDP.PCAP.PP.CD)."),
    Variable("wdi.gdppc", "GDP per capita", "current US$", 100, 300000, "richer", "yearly", "development",
             "GDP per capita, current US$ (NY.GDP.PCAP.CD)."),
    Variable("wdi.population", "Population", "persons", 1000, 2e9, "more populous", "yearly", "development",
             "Population, total (SP.POP.TOTL), mid-year estimate."),
    Variable("wdi.gov_consumption", "Government consumption", "% of GDP", 0, 100, "larger public sector",
             "yearly", "development",
             "General government final consumption expenditure, % of GDP (NE.CON.GOVT.ZS)."),
]

# World Bank aggregate codes -> names (shared with the wdi_net loader)
WB_AGGREGATES = {
    "AFE": "Africa Eastern and Southern", "AFW": "Africa Western and Central", "ARB": "Arab World",
    "CEB": "Central Europe and the Baltics", "CSS": "Caribbean small states",
    "EAP": "East Asia & Pacific (excluding high income)", "EAR": "Early-demographic dividend",
    "EAS": "East Asia & Pacific", "ECA": "Europe & Central Asia (excluding high income)",
    "ECS": "Europe & Central Asia", "EMU": "Euro area", "EUU": "European Union",
    "FCS": "Fragile and conflict affected situations", "HIC": "High income",
    "HPC": "Heavily indebted poor countries (HIPC)", "IBD": "IBRD only", "IBT": "IDA & IBRD total",
    "IDA": "IDA total", "IDB": "IDA blend", "IDX": "IDA only",
    "LAC": "Latin America & Caribbean (excluding high income)", "LCN": "Latin America & Caribbean",
    "LDC": "Least developed countries: UN classification", "LIC": "Low income", "LMC": "Lower middle income",
    "LMY": "Low & middle income", "LTE": "Late-demographic dividend", "MEA": "Middle East & North Africa",
    "MIC": "Middle income", "MNA": "Middle East & North Africa (excluding high income)", "NAC": "North America",
    "OED": "OECD members", "OSS": "Other small states", "PRE": "Pre-demographic dividend",
    "PSS": "Pacific island small states", "PST": "Post-demographic dividend", "SAS": "South Asia",
    "SSA": "Sub-Saharan Africa (excluding high income)", "SSF": "Sub-Saharan Africa", "SST": "Small states",
    "TEA": "East Asia & Pacific (IDA & IBRD countries)", "TEC": "Europe & Central Asia (IDA & IBRD countries)",
    "TLA": "Latin America & the Caribbean (IDA & IBRD countries)",
    "TMN": "Middle East & North Africa (IDA & IBRD countries)", "TSA": "South Asia (IDA & IBRD)",
    "TSS": "Sub-Saharan Africa (IDA & IBRD countries)", "UMC": "Upper middle income", "WLD": "World",
    "INX": "Not classified",
}
CHANNEL_ISLANDS = "Channel Islands (Jersey and Guernsey together): no ISO3 code"

# income groups carry a blank cty_iso in this file, so their cty_nm is the name
_INCOME_GROUPS = ("High income", "Low income", "Lower middle income", "Upper middle income", "Not classified")

EXCLUDE = {
    **{code: f"World Bank aggregate ({name}), not a country" for code, name in WB_AGGREGATES.items()
       if code not in ("HIC", "LIC", "LMC", "UMC", "INX")},
    **{name: f"World Bank income-group aggregate ({name}; blank cty_iso), not a country"
       for name in _INCOME_GROUPS},
    "CHI": CHANNEL_ISLANDS,
}


def read() -> pd.DataFrame:
    path = source_path(SOURCE, _FILE)
    raw = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False, na_values={"value": ["NA"]})
    need = {"ind_id", "cty_nm", "cty_iso", "date", "value"}
    if need - set(raw.columns):
        raise DataIntegrityError(f"{_FILE}: missing column(s) {sorted(need - set(raw.columns))}; "
                                 f"columns: {list(raw.columns)}")
    unknown = set(raw["ind_id"]) - set(_INDICATORS) - _UNUSED
    if unknown:
        raise DataIntegrityError(f"{_FILE}: unknown indicator(s) {sorted(unknown)} in column 'ind_id'")
    raw = raw[raw["ind_id"].isin(_INDICATORS)].copy()
    blank = raw["cty_iso"].str.strip() == ""
    raw["name"] = raw["cty_iso"].str.strip().where(~blank, raw["cty_nm"].str.strip())
    raw["year"] = raw["date"].astype(int)
    raw["variable"] = raw["ind_id"].map(_INDICATORS)
    raw["value"] = pd.to_numeric(raw["value"], errors="raise")
    return raw[["name", "year", "variable", "value"]].reset_index(drop=True)
