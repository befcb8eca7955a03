"""Inglehart-Welzel cultural map scores (EVS/WVS Integrated Values Surveys, 2023 file).

One row per country-wave; the panel keeps each country's latest wave
(``timing="latest"``), so every wave is returned here with its survey year.

Quirks handled here:

- the CSV (UTF-8 with a byte-order mark, CRLF) holds **two independent tables
  side by side**, separated by an empty column: ``S025, TradAgg, SurvSAgg``
  (413 country-waves + a ``Total`` row) and ``S025, Y010, Y020`` (458
  country-waves + ``Total``). Their rows are not aligned, so each block is parsed
  on its own ``S025`` key; the shorter block is padded with empty rows, which are
  dropped (a padded row that carries a value is an error);
- decimals without a leading zero (``.5705``, ``-.7854``); the empty cell is the
  only missing marker (6 country-waves lack Y010 and 6 lack Y020);
- ``S025`` reads ``<ISO 3166 numeric code><survey year> <label> (<year>)``, e.g.
  ``7522017 Sweden (2017)``: the country is identified by the numeric code (not
  by the label) through :func:`cybercult.data.countries.numeric_to_iso3`, and the
  two years must agree. ``name`` is therefore the ISO3 code (``CODES = True``),
  except for rows that need a decision, which get the name ``"<code> <label>"``
  and an entry in ``OVERRIDES`` or ``EXCLUDE``:

  * ``909 Northern Ireland``: 909 is an EVS code, not ISO; a sub-national sample,
    excluded (the United Kingdom is represented by the Great Britain sample);
  * ``915 Kosovo``: 915 is not an ISO code; Kosovo is a country -> ``XKX``;
  * ``Total``: the pooled row of each block (not a country), excluded; it carries
    the block's last survey year only because the year column must be an integer.

- ``826 Great Britain`` is the British sample under the United Kingdom's ISO
  code; it is used as the UK (``GBR``), as is usual for WVS/EVS data, although it
  leaves out Northern Ireland. ``2761981 Germany West (1981)`` is the sample of
  the Federal Republic under its ISO code 276; the FRG is the same state as
  today's Germany, so it is kept as ``DEU`` on purpose (it is the only German row
  for 1981, and the panel uses Germany's latest wave, 2018). Germany's EVS 2017
  and WVS 2018 waves are both kept (different years). Hong Kong (344), Macau
  (446), Taiwan (158), Puerto Rico (630) and Palestine (275) keep their own ISO
  codes.

Country counts: SOURCE.md counts 116 / 118 *labels* in the two blocks; they are
114 / 116 countries once Germany West is counted with Germany and Northern
Ireland is excluded (115 for Y010: Israel's only Welzel wave, 2001, lacks it).
"""
from __future__ import annotations

import re

import pandas as pd

from ...errors import DataIntegrityError
from ..countries import numeric_to_iso3
from ..registry import source_path
from ..variables import Variable

SOURCE = "wvs"
_FILE = "wvs_ivs_cultural_map/F00016619-CulturalMapFinalEVSWVS_2023.csv"
_KEY = re.compile(r"^(\d+?)(\d{4}) (.*) \((\d{4})\)$")
_TOTAL = "Total"
CODES = True

# (key column, {value column -> variable id}); headers must match exactly
_BLOCKS = (
    (0, {1: ("TradAgg", "wvs.trad_secular"), 2: ("SurvSAgg", "wvs.surv_selfexp")}),
    (4, {5: ("Y010 SACSECVAL.- Welzel Overall Secular Values", "wvs.secular"),
         6: ("Y020 RESEMAVAL.- Welzel emancipative values", "wvs.emancipative")}),
)
_KEY_HEADER = "S025 Country - year"

# (numeric code, label) pairs that get a "<code> <label>" name instead of an ISO3 code
_SPECIAL = {(909, "Northern Ireland"), (915, "Kosovo")}

VARIABLES = [
    Variable("wvs.trad_secular", "Traditional vs secular-rational values", "factor score", -2.5, 2.5,
             "more secular-rational", "latest", "culture",
             "Inglehart-Welzel cultural map, vertical axis (TradAgg): traditional (-) versus "
             "secular-rational (+) values; country-wave factor score of the 2023 map."),
    Variable("wvs.surv_selfexp", "Survival vs self-expression values", "factor score", -2.5, 3.5,
             "more self-expression", "latest", "culture",
             "Inglehart-Welzel cultural map, horizontal axis (SurvSAgg): survival (-) versus "
             "self-expression (+) values; country-wave factor score of the 2023 map."),
    Variable("wvs.secular", "Secular values (Welzel)", "index 0-1", 0, 1, "more secular", "latest", "culture",
             "Welzel's overall secular values index (Y010 SACSECVAL), country-wave mean."),
    Variable("wvs.emancipative", "Emancipative values (Welzel)", "index 0-1", 0, 1, "more emancipative",
             "latest", "culture",
             "Welzel's emancipative values index (Y020 RESEMAVAL), country-wave mean."),
]

OVERRIDES = {
    "915 Kosovo": "XKX",
}

EXCLUDE = {
    "909 Northern Ireland": "sub-national sample (EVS code 909, not ISO 3166); the United Kingdom is "
                            "represented by the Great Britain sample (ISO 826)",
    _TOTAL: "pooled row of all country-waves, not a country",
}


def _name(code: int, label: str, where: str) -> str:
    if (code, label) in _SPECIAL:
        return f"{code} {label}"
    iso = numeric_to_iso3().get(code)
    if iso is None:
        raise DataIntegrityError(f"{where}: numeric country code {code} ({label!r}) is not an ISO 3166 code "
                                 "and has no override")
    return iso


def _block(raw: pd.DataFrame, key_col: int, value_cols: dict[int, tuple[str, str]], path) -> pd.DataFrame:
    rows = []
    cols = list(value_cols)
    for i, rec in raw.iterrows():
        key = rec[key_col].strip()
        vals = [rec[c].strip() for c in cols]
        where = f"{path}, line {i + 2}, column {key_col + 1}"
        if key == "":
            if any(vals):
                raise DataIntegrityError(f"{where}: values {vals} without an S025 key")
            continue  # padding below the shorter block
        if key == _TOTAL:
            name, year = _TOTAL, None
        else:
            m = _KEY.match(key)
            if m is None:
                raise DataIntegrityError(f"{where}: S025 key {key!r} does not look like "
                                         "'<code><year> <country> (<year>)'")
            code, year, label, year2 = m.groups()
            if year != year2:
                raise DataIntegrityError(f"{where}: S025 key {key!r} gives two different years")
            name, year = _name(int(code), label, where), int(year)
        for c, v in zip(cols, vals):
            try:
                value = float(v) if v else float("nan")
            except ValueError:
                raise DataIntegrityError(f"{path}, line {i + 2}, column {c + 1}: value {v!r} is not a number") from None
            rows.append({"name": name, "year": year, "variable": value_cols[c][1], "value": value})
    out = pd.DataFrame(rows)
    totals = out["name"] == _TOTAL
    if totals.sum() != len(cols):
        raise DataIntegrityError(f"{path}: expected one {_TOTAL!r} row in the block keyed by column {key_col + 1}")
    out["year"] = out["year"].fillna(out.loc[~totals, "year"].max()).astype(int)
    return out


def read() -> pd.DataFrame:
    path = source_path(SOURCE, _FILE)
    raw = pd.read_csv(path, header=None, dtype=str, keep_default_na=False, na_values=[], encoding="utf-8-sig")
    header = raw.iloc[0].str.strip().tolist()
    expected = {0: _KEY_HEADER, 3: "", 4: _KEY_HEADER}
    for _key, vcols in _BLOCKS:
        expected.update({c: h for c, (h, _v) in vcols.items()})
    bad = {c + 1: (header[c] if c < len(header) else None, h) for c, h in expected.items()
           if c >= len(header) or header[c] != h}
    if bad or len(header) != len(expected):
        raise DataIntegrityError(f"{path}: unexpected header (column: found, expected) {bad}; "
                                 f"{len(header)} columns, expected {len(expected)}")
    if (raw.iloc[1:, 3].str.strip() != "").any():
        raise DataIntegrityError(f"{path}: the separator column 4 between the two tables is not empty")
    body = raw.iloc[1:].reset_index(drop=True)
    out = pd.concat([_block(body, key, vcols, path) for key, vcols in _BLOCKS], ignore_index=True)
    return out[["name", "year", "variable", "value"]]
