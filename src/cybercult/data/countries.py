"""Country names and codes to ISO3: exact first, a reported pattern only as a fallback.

The rules, in order, for one name (see :func:`match_country`):

1. a name longer than :data:`MAX_NAME_LENGTH` characters is refused before any matching;
2. a name in the source's ``exclude`` table is dropped with its reason;
3. a name in the source's ``overrides`` or the researcher's country map is taken as mapped;
4. an ISO3 code (any case) or an ISO2 code (any case) is taken as that code;
5. a name equal (ignoring case, accents and spacing) to country_converter's short or
   official name, or to an alias of the curated table ``country_aliases.csv``, is taken;
6. a former state or a sub-national or disputed entity (:data:`REFUSED`) is refused with
   the reason, unless step 2 or 3 mapped it;
7. otherwise country_converter's regular expressions are tried; a single hit is accepted
   with rule ``pattern`` and listed, with the expression that matched, in
   :func:`pattern_matches` and ``Panel.name_matches``. With ``exact=True`` this step is skipped
   and such a name is an error.
"""
from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from os import PathLike
from pathlib import Path

import pandas as pd

from .._docstrings import DocstringComponents, fill_doc
from ..errors import UnmatchedCountryError

#: Names longer than this are refused before matching (regular expressions on a
#: 20,000-character name took minutes).
MAX_NAME_LENGTH = 200

#: Normalised name -> why it is not matched to a country (former states, parts of a
#: country, disputed entities). A researcher who wants one of them maps it explicitly.
REFUSED: dict[str, str] = {}
for _keys, _why in [
    (("czechoslovakia", "czecho-slovakia"),
     "former state, dissolved in 1993 into Czechia (CZE) and Slovakia (SVK)"),
    (("ussr", "u.s.s.r.", "soviet union", "union of soviet socialist republics"),
     "former state, dissolved in 1991 into 15 states"),
    (("yugoslavia", "sfr yugoslavia", "fr yugoslavia", "federal republic of yugoslavia",
      "socialist federal republic of yugoslavia"),
     "former state, dissolved 1991-2006 into several states"),
    (("serbia and montenegro", "serbia & montenegro"),
     "former state, split in 2006 into Serbia (SRB) and Montenegro (MNE)"),
    (("east germany", "german democratic republic", "west germany", "federal republic of germany (west)"),
     "former state, part of Germany (DEU) since 1990"),
    (("netherlands antilles",), "former territory, dissolved in 2010"),
    (("england", "scotland", "wales", "northern ireland"),
     "a constituent part of the United Kingdom (GBR), not a country"),
    (("northern cyprus", "north cyprus", "turkish republic of northern cyprus", "trnc"),
     "disputed entity recognised only by Turkiye; not the Republic of Cyprus (CYP)"),
    (("somaliland", "republic of somaliland"),
     "self-declared state, internationally part of Somalia (SOM)"),
    (("kurdistan", "iraqi kurdistan", "kurdistan region", "kurdistan region of iraq"),
     "a region spanning parts of Iraq, Turkiye, Iran and Syria, not a country"),
    (("transnistria", "pridnestrovie", "abkhazia", "south ossetia", "nagorno-karabakh", "artsakh", "crimea"),
     "disputed entity, not an internationally recognised country"),
    (("catalonia", "basque country", "quebec", "flanders", "wallonia", "zanzibar", "tibet", "puntland"),
     "a region of a country, not a country"),
]:
    for _k in _keys:
        REFUSED[_k] = _why

#: Rules a match can come from, most to least certain.
RULES = ("override", "country map", "ISO3 code", "ISO2 code", "name", "alias", "pattern")


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
    """English short name of an ISO3 code; the code itself when it is not a known country.

    Parameters
    ----------
    iso3 : str
        ISO 3166-1 alpha-3 code.

    Examples
    --------
    >>> from cybercult.data.countries import country_name
    >>> country_name("EST"), country_name("XXX")
    ('Estonia', 'XXX')
    """
    return iso3_names().get(iso3, iso3)


#: The parameter of the one-name helpers (``{country.name}``).
_NAME_DOCS = DocstringComponents(dict(name="""
    name : str
        A country name as written in a source.
"""))


@fill_doc(country=_NAME_DOCS)
def normalise_name(name: str) -> str:
    """The form names are compared in: accents removed, case folded, curly quotes straightened,
    runs of whitespace made one space. Punctuation is kept ("Dominican Rep." stays as is).

    Parameters
    ----------
    {country.name}

    Examples
    --------
    >>> from cybercult.data.countries import normalise_name
    >>> normalise_name("  Côte  d’Ivoire ")
    "cote d'ivoire"
    """
    s = unicodedata.normalize("NFKD", str(name))
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", s.casefold()).strip()


@cache
def _aliases() -> pd.DataFrame:
    path = Path(str(files("cybercult") / "data" / "country_aliases.csv"))
    return pd.read_csv(path, keep_default_na=False, na_values=[], dtype=str)


@cache
def _exact_tables() -> tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, str]]:
    """(ISO3 code, ISO2 code, official/short name, alias) lookup tables; keys upper / normalised."""
    t = _converter().data
    iso3 = {c.upper(): c for c in t["ISO3"]}
    iso2: dict[str, str] = {}
    for c, i in zip(t["ISO2"], t["ISO3"]):
        # coco writes two codes as a pattern for GBR ('^GB$|^UK$') and GRC ('^GR$|^EL$')
        for code in re.findall(r"[A-Za-z]{2}", c) if "^" in c else [c]:
            iso2[code.upper()] = i
    names: dict[str, str] = {}
    for col in ("name_short", "name_official"):
        for n, i in zip(t[col], t["ISO3"]):
            names.setdefault(normalise_name(n), i)
    aliases = {normalise_name(a): i for a, i in zip(_aliases()["alias"], _aliases()["iso3"])}
    return iso3, iso2, names, aliases


@cache
def _regex_of() -> dict[str, str]:
    t = _converter().data
    return dict(zip(t["ISO3"], t["regex"]))


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


@fill_doc(country=_NAME_DOCS)
def refused_reason(name: str) -> str | None:
    """Why ``name`` is refused as a country (a former state, a part of a country), or None.

    Parameters
    ----------
    {country.name}

    Examples
    --------
    >>> from cybercult.data.countries import refused_reason
    >>> refused_reason("Transnistria")
    'disputed entity, not an internationally recognised country'
    >>> refused_reason("Estonia") is None
    True
    """
    key = normalise_name(name)
    if key in REFUSED:
        return REFUSED[key]
    for k, why in REFUSED.items():
        if len(k) > 4 and re.search(rf"(?<![\w]){re.escape(k)}(?![\w])", key):
            return why
    return None


@dataclass(frozen=True)
class NameMatch:
    """How one name was matched: ``iso3`` (None when not), ``rule`` (one of :data:`RULES` or
    ``refused`` / ``unmatched`` / ``ambiguous`` / ``too long``) and ``detail``."""

    name: str
    iso3: str | None
    rule: str
    detail: str = ""


def match_country(name: str, *, exact: bool = False, country_map: Mapping[str, str] | None = None) -> NameMatch:
    """Match one country name or code to ISO3 by the rules in this module's docstring.

    Parameters
    ----------
    name : str
        A name or an ISO3/ISO2 code, as written in a file.
    exact : bool
        Refuse names only a pattern matches.
    country_map : mapping, optional
        Name -> ISO3 chosen by the researcher; compared after :func:`normalise_name`.

    Returns
    -------
    NameMatch
    """
    name = str(name)
    if len(name) > MAX_NAME_LENGTH:
        return NameMatch(name, None, "too long", f"name is {len(name)} characters long (limit {MAX_NAME_LENGTH})")
    key = normalise_name(name)
    if country_map:
        cmap = {normalise_name(k): v for k, v in country_map.items()}
        if key in cmap:
            return NameMatch(name, cmap[key], "country map")
    iso3, iso2, names, aliases = _exact_tables()
    raw = name.strip()
    if len(raw) == 3 and raw.upper() in iso3:
        return NameMatch(name, iso3[raw.upper()], "ISO3 code")
    if len(raw) == 2 and raw.upper() in iso2:
        return NameMatch(name, iso2[raw.upper()], "ISO2 code")
    if key in names:
        return NameMatch(name, names[key], "name")
    if key in aliases:
        return NameMatch(name, aliases[key], "alias")
    why = refused_reason(name)
    if why:
        return NameMatch(name, None, "refused", why)
    hits = _match_one(name)
    if len(hits) > 1:
        return NameMatch(name, None, "ambiguous", f"ambiguous: {', '.join(hits)}")
    if not hits:
        return NameMatch(name, None, "unmatched", "matches no country")
    rule = _regex_of().get(hits[0], "")
    if exact:
        return NameMatch(name, None, "unmatched",
                         f"matches no country exactly (only country_converter's pattern {rule!r} for {hits[0]}; "
                         "map it in a country map if that is right)")
    return NameMatch(name, hits[0], "pattern", f"country_converter regex {rule!r}")


#: Parameters shared by :func:`harmonise` and :func:`harmonise_names`.
_HARMONISE_DOCS = DocstringComponents(dict(params="""
    names : iterable of str
        Names (or codes when ``codes=True``) as they appear in the source.
    source : str
        Source id, used in error messages and in :func:`pattern_matches`.
    overrides : mapping, optional
        Name -> ISO3 for names the rules get wrong or cannot match.
    exclude : mapping, optional
        Name -> reason for rows that are not countries (aggregates, sub-national
        samples) and are dropped on purpose.
    codes : bool
        Treat ``names`` as ISO3 codes (checked exactly against the ISO3 list).
    exact : bool
        Refuse names only a pattern would match.
"""))


#: source -> name -> NameMatch for names of bundled sources matched by a pattern
#: (filled by :func:`harmonise`; read by :func:`pattern_matches`).
_PATTERN_LOG: dict[str, dict[str, NameMatch]] = {}


def pattern_matches(sources: Iterable[str] | None = None) -> pd.DataFrame:
    """Names of the loaded sources that only a pattern (regular expression) matched.

    Parameters
    ----------
    sources : iterable of str, optional
        Source ids to list; default every source loaded so far.

    Returns
    -------
    DataFrame
        ``source, name, iso3, rule, detail`` (``detail`` gives the expression).
    """
    keep = None if sources is None else set(sources)
    rows = [{"source": s, "name": m.name, "iso3": m.iso3, "rule": m.rule, "detail": m.detail}
            for s, log in _PATTERN_LOG.items() if keep is None or s in keep for m in log.values()]
    return pd.DataFrame(rows, columns=["source", "name", "iso3", "rule", "detail"])


@fill_doc(harmonise=_HARMONISE_DOCS)
def harmonise_names(names: Iterable[str], *, source: str, overrides: Mapping[str, str] | None = None,
                    exclude: Mapping[str, str] | None = None, codes: bool = False, exact: bool = False,
                    country_map: Mapping[str, str] | None = None,
                    hint: str | None = None) -> tuple[dict[str, str], dict[str, str], dict[str, NameMatch]]:
    """Like :func:`harmonise`, also returning how each matched name was matched (name -> NameMatch).

    Parameters
    ----------
    {harmonise.params}
    country_map : mapping, optional
        A researcher's own name -> ISO3 table (see :func:`read_country_map`),
        tried before the bundled rules.
    hint : str, optional
        A sentence added to the error message (what the user can do).

    Returns
    -------
    (matched, excluded, how)
        As :func:`harmonise`, and ``how`` maps name -> :class:`NameMatch` (rule and detail).

    Examples
    --------
    >>> from cybercult.data.countries import harmonise_names
    >>> matched, excluded, how = harmonise_names(["Estonia", "World"], source="example",
    ...                                          exclude={"World": "aggregate"})
    >>> matched, excluded, how["Estonia"].rule
    ({'Estonia': 'EST'}, {'World': 'aggregate'}, 'name')
    """
    overrides = dict(overrides or {})
    exclude = dict(exclude or {})
    known = iso3_names()
    matched: dict[str, str] = {}
    excluded: dict[str, str] = {}
    how: dict[str, NameMatch] = {}
    problems: list[tuple[str, str, str]] = []
    for name in dict.fromkeys(names):
        if name in exclude:
            excluded[name] = exclude[name]
        elif name in overrides:
            matched[name] = overrides[name]
            how[name] = NameMatch(name, overrides[name], "override")
        elif codes:
            if name in known:
                matched[name] = name
                how[name] = NameMatch(name, name, "ISO3 code")
            else:
                problems.append((source, name, "not an ISO3 code"))
        else:
            m = match_country(name, exact=exact, country_map=country_map)
            if m.iso3 is None:
                shown = name if len(name) <= 80 else name[:60] + f"... ({len(name)} characters)"
                why = m.detail if m.rule != "refused" else f"refused: {m.detail}"
                problems.append((source, shown, why))
            else:
                matched[name] = m.iso3
                how[name] = m
    if problems:
        raise UnmatchedCountryError(problems, hint=hint)
    dup = pd.Series(matched, dtype=object).loc[lambda s: s.duplicated(keep=False)]
    if len(dup):
        pairs = "; ".join(f"{k!r}->{v}" for k, v in dup.items())
        raise UnmatchedCountryError([(source, pairs, "several names map to the same ISO3 code")], hint=hint)
    return matched, excluded, how


@fill_doc(harmonise=_HARMONISE_DOCS)
def harmonise(names: Iterable[str], *, source: str, overrides: Mapping[str, str] | None = None,
              exclude: Mapping[str, str] | None = None, codes: bool = False,
              exact: bool = False) -> tuple[dict[str, str], dict[str, str]]:
    """Map country names (or ISO3-like codes) of one source to ISO3.

    Parameters
    ----------
    {harmonise.params}

    Returns
    -------
    (matched, excluded)
        ``matched`` maps name -> ISO3; ``excluded`` maps name -> reason. Names matched
        by a pattern are recorded for :func:`pattern_matches`.

    Raises
    ------
    UnmatchedCountryError
        Listing every name (with its source) that matches nothing, more than one
        country, or is refused (a former state, a part of a country).
    """
    matched, excluded, how = harmonise_names(names, source=source, overrides=overrides, exclude=exclude,
                                             codes=codes, exact=exact)
    _PATTERN_LOG[source] = {n: m for n, m in how.items() if m.rule == "pattern"}
    return matched, excluded


def read_country_map(source: str | PathLike | Mapping[str, str]) -> dict[str, str]:
    """A researcher's own name -> ISO3 table: a CSV with columns ``name`` and ``iso3`` or a mapping.

    Every ISO3 value must be a known code (any case); a name given twice is an error.

    Parameters
    ----------
    source : CSV path or mapping
        The table: a file with columns ``name`` and ``iso3``, or name -> ISO3.

    Returns
    -------
    dict of str to str
        Name -> upper-case ISO3.

    Raises
    ------
    ValueError
        Naming the file, row and value.
    """
    if isinstance(source, Mapping):
        items, where = [(str(k), str(v), i + 1) for i, (k, v) in enumerate(source.items())], "country map"
    else:
        path = Path(source)
        where = str(path)
        if not path.is_file():
            raise FileNotFoundError(f"country map file not found: {path}")
        if path.stat().st_size > 1_000_000:
            raise ValueError(f"{path}: a country map larger than 1 MB is not a name -> ISO3 table")
        try:
            t = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[], encoding="utf-8-sig")
        except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise ValueError(f"{path}: cannot be read as a CSV with columns name, iso3 ({exc})") from None
        cols = {str(c).strip().lower(): c for c in t.columns}
        if "name" not in cols or "iso3" not in cols:
            raise ValueError(f"{path}: a country map needs columns 'name' and 'iso3'; found {list(t.columns)}")
        items = [(n, i, r + 2) for r, (n, i) in enumerate(zip(t[cols["name"]], t[cols["iso3"]]))]
    iso3 = _exact_tables()[0]
    out: dict[str, str] = {}
    bad = []
    for name, code, row in items:
        name, code = name.strip(), code.strip().upper()
        if not name:
            bad.append(f"row {row}: empty name")
        elif code not in iso3:
            bad.append(f"row {row}: {name!r} -> {code!r} is not an ISO3 code")
        elif normalise_name(name) in {normalise_name(k) for k in out}:
            bad.append(f"row {row}: {name!r} is given more than once")
        else:
            out[name] = iso3[code]
    if bad:
        raise ValueError(f"{where}: {len(bad)} problem(s):\n  " + "\n  ".join(bad[:25]))
    return out
