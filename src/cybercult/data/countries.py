"""Country names and codes to ISO3, with country_converter plus per-source overrides."""
from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from functools import cache

import pandas as pd

from ..errors import UnmatchedCountryError


@cache
def _converter():
    import country_converter as coco

    # pandas 3 would read Namibia's ISO2 "NA" as missing: load coco's table ourselves
    # with keep_default_na=False (STYLE.md, Data).
    table = pd.read_csv(coco.country_converter.COUNTRY_DATA_FILE, sep="\t", encoding="utf-8",
                        keep_default_na=False, na_values=[""], dtype=str)
    for col in ("ISOnumeric", "UNcode", "FAOcode", "GBDcode", "EURO", "UN", "UNmember", "obsolete",
                "GEOnumeric"):
        if col in table:
            table[col] = pd.to_numeric(table[col], errors="coerce")
    logging.getLogger("country_converter").setLevel(logging.CRITICAL)
    return coco.CountryConverter(country_data=table)


@cache
def iso3_names() -> dict[str, str]:
    """ISO3 code -> short English name for every country country_converter knows."""
    t = _converter().data
    return dict(zip(t["ISO3"], t["name_short"]))


@cache
def numeric_to_iso3() -> dict[int, str]:
    t = _converter().data.dropna(subset=["ISOnumeric"])
    return {int(n): iso for n, iso in zip(t["ISOnumeric"], t["ISO3"])}


def country_name(iso3: str) -> str:
    return iso3_names().get(iso3, iso3)


_NF = "\x00not found"


@cache
def _match_one(name: str) -> tuple[str, ...]:
    res = _converter().convert(name, src="regex", to="ISO3", not_found=_NF, enforce_list=True)
    # enforce_list gives [[...]] for one name; each inner item is a code or a list of codes
    item = res[0]
    if item == _NF or item is None:
        return ()
    if isinstance(item, list):
        return tuple(x for x in item if x not in (None, _NF))
    return (item,)


def harmonise(names: Iterable[str], *, source: str, overrides: Mapping[str, str] | None = None,
              exclude: Mapping[str, str] | None = None, codes: bool = False) -> tuple[dict[str, str], dict[str, str]]:
    """Map country names (or ISO3-like codes) of one source to ISO3.

    Parameters
    ----------
    names : iterable of str
        Names (or codes when ``codes=True``) as they appear in the source.
    source : str
        Source id, used in error messages.
    overrides : mapping, optional
        Name -> ISO3 for names country_converter gets wrong or cannot match.
    exclude : mapping, optional
        Name -> reason for rows that are not countries (aggregates, sub-national
        samples) and are dropped on purpose.
    codes : bool
        Treat ``names`` as ISO3-like codes (checked against the ISO3 list).

    Returns
    -------
    (matched, excluded)
        ``matched`` maps name -> ISO3; ``excluded`` maps name -> reason.

    Raises
    ------
    UnmatchedCountryError
        Listing every name (with its source) that matches nothing or more than one country.
    """
    overrides = dict(overrides or {})
    exclude = dict(exclude or {})
    known = iso3_names()
    matched: dict[str, str] = {}
    excluded: dict[str, str] = {}
    problems: list[tuple[str, str, str]] = []
    for name in dict.fromkeys(names):
        if name in exclude:
            excluded[name] = exclude[name]
        elif name in overrides:
            matched[name] = overrides[name]
        elif codes:
            if name in known:
                matched[name] = name
            else:
                problems.append((source, name, "not an ISO3 code"))
        else:
            hits = _match_one(str(name))
            if len(hits) == 1:
                matched[name] = hits[0]
            elif not hits:
                problems.append((source, name, "matches no country"))
            else:
                problems.append((source, name, f"ambiguous: {', '.join(hits)}"))
    if problems:
        raise UnmatchedCountryError(problems)
    dup = pd.Series(matched).loc[lambda s: s.duplicated(keep=False)]
    if len(dup):
        pairs = "; ".join(f"{k!r}->{v}" for k, v in dup.items())
        raise UnmatchedCountryError([(source, pairs, "several names map to the same ISO3 code")])
    return matched, excluded
