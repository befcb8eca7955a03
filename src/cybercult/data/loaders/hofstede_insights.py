"""Hofstede Insights (The Culture Factor) country comparison: six dimensions, 118 countries.

The scores are the web data behind the publisher's country comparison tool as of
about May 2023 (a third-party dump of the site's public endpoint, not an official
release). They extend the 2015 dimension data matrix (``hofstede``) with
estimated scores for countries never surveyed, and cap the scale at 0-100.

Quirks handled here:

* every score is a string; ``"-1"`` (15 LTO and 19 indulgence cells) and the
  empty string (Qatar's and Tunisia's LTO and indulgence) mean missing;
* a trailing ``*`` on the country name marks estimated scores (48 countries):
  the star is stripped from the name and recorded as ``hofstede_insights.estimated``
  = 1. **Libya** carries no star but is not in the official matrix (its scores
  come from Hofstede's regional "Arab countries" work), so it is flagged as an
  estimate too (:data:`ESTIMATED_UNMARKED`);
* indulgence is published twice, as ``ind`` and as a duplicate ``ivr`` key: both
  must agree (they do in every row) and the value is loaded as
  ``hofstede_insights.ivr``;
* names are English short names (``South Korea``, ``Russia``, ``Cape Verde``,
  ``São Tomé and Príncipe`` in UTF-8, ``Hong Kong``, ``Taiwan``, ``Puerto Rico``);
  all resolve with country_converter. There are no regions or sub-national rows.

The edited copy without stars (``culture_dimensions.json``) is bundled as a
cross-check only: its score values are identical (tested).
"""
from __future__ import annotations

import json

import numpy as np
import pandas as pd

from ..._docstrings import fill_doc
from ...errors import DataIntegrityError
from ..registry import source_path
from ..variables import Variable
from ._common import LOADER_DOCS

SOURCE = "hofstede_insights"
YEAR = 2023
_FILE = "hofstede_insights/original_dump_with_estimate_markers/country.json"
#: edited copy (stars removed), same score values; used only to cross-check in the tests
EDITED_FILE = "hofstede_insights/culture_dimensions.json"
#: JSON key -> dimension; indulgence is ``ind`` (``ivr`` is a duplicate of it)
_DIMS = {"pdi": "pdi", "idv": "idv", "mas": "mas", "uai": "uai", "lto": "lto", "ind": "ivr"}
#: cell values that mean "no score"
MISSING_MARKERS = ("-1", "")
#: countries whose scores are estimates although the dump does not star them, with the reason
ESTIMATED_UNMARKED = {
    "Libya": "not in the official 2015 matrix; scores from Hofstede's regional 'Arab countries' work",
}

_ESTIMATE_LEVELS = ((0, "survey-based (not marked as estimated)"), (1, "estimated by the publisher"))

VARIABLES = [
    Variable("hofstede_insights.pdi", "Power distance (Hofstede Insights)", "index 0-100", 0, 100,
             "more accepted hierarchy", "static", "culture",
             "Hofstede Insights country comparison (c. May 2023), power distance; 0-100 capped."),
    Variable("hofstede_insights.idv", "Individualism (Hofstede Insights)", "index 0-100", 0, 100,
             "more individualist", "static", "culture",
             "Hofstede Insights country comparison (c. May 2023), individualism versus collectivism."),
    Variable("hofstede_insights.mas", "Masculinity (Hofstede Insights)", "index 0-100", 0, 100,
             "more competition-oriented", "static", "culture",
             "Hofstede Insights country comparison (c. May 2023), masculinity versus femininity."),
    Variable("hofstede_insights.uai", "Uncertainty avoidance (Hofstede Insights)", "index 0-100", 0, 100,
             "less tolerance of ambiguity", "static", "culture",
             "Hofstede Insights country comparison (c. May 2023), uncertainty avoidance; 0-100 capped."),
    Variable("hofstede_insights.lto", "Long-term orientation (Hofstede Insights)", "index 0-100", 0, 100,
             "more long-term oriented", "static", "culture",
             "Hofstede Insights country comparison (c. May 2023), long-term orientation."),
    Variable("hofstede_insights.ivr", "Indulgence (Hofstede Insights)", "index 0-100", 0, 100,
             "more indulgent", "static", "culture",
             "Hofstede Insights country comparison (c. May 2023), indulgence versus restraint."),
    Variable("hofstede_insights.estimated", "Hofstede Insights scores estimated", "0/1", 0, 1,
             "scores estimated rather than survey-based", "static", "culture",
             "1 where the publisher marks the country's scores as estimates (a '*' after the name in the "
             "original dump), and for Libya (unmarked, but not in the official matrix); 0 otherwise.",
             levels=_ESTIMATE_LEVELS),
]

DIMENSIONS = tuple(f"hofstede_insights.{d}" for d in ("pdi", "idv", "mas", "uai", "lto", "ivr"))


@fill_doc(loader=LOADER_DOCS)
def read_json(relpath: str = _FILE) -> list[dict]:
    """The bundled dump (hash-checked) as a list of objects; each must have a title and the six scores.

    Parameters
    ----------
    {loader.relpath}
    """
    path = source_path(SOURCE, relpath)
    rows = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(rows, list):
        raise DataIntegrityError(f"{path}: expected a JSON array of countries, got {type(rows).__name__}")
    for i, r in enumerate(rows):
        missing = [k for k in ("title", *_DIMS) if k not in r]
        if missing:
            raise DataIntegrityError(f"{path}: object {i} ({r.get('title')!r}) lacks key(s) {missing}")
    return rows


def _score(cell, path, title: str, key: str) -> float:
    if cell is None or str(cell).strip() in MISSING_MARKERS:
        return np.nan
    try:
        return float(cell)
    except ValueError:
        raise DataIntegrityError(f"{path}: {title!r} key {key!r} is not a number or a missing marker "
                                 f"{MISSING_MARKERS}: {cell!r}") from None


@fill_doc(loader=LOADER_DOCS)
def read_wide(relpath: str = _FILE) -> pd.DataFrame:
    """One row per country: ``name`` (star stripped), the six dimensions, ``estimated`` (0/1).

    Parameters
    ----------
    {loader.relpath}

    Examples
    --------
    >>> from cybercult.data.loaders.hofstede_insights import read_wide
    >>> w = read_wide().set_index("name")
    >>> list(w.columns)
    ['estimated', 'pdi', 'idv', 'mas', 'uai', 'lto', 'ivr']
    """
    path = source_path(SOURCE, relpath)
    out = []
    for r in read_json(relpath):
        title = str(r["title"]).strip()
        starred = title.endswith("*")
        name = title.rstrip("*").strip()
        row = {"name": name, "estimated": float(starred or name in ESTIMATED_UNMARKED)}
        for key, dim in _DIMS.items():
            row[dim] = _score(r[key], path, title, key)
        if "ivr" in r:
            dup = _score(r["ivr"], path, title, "ivr")
            if not (dup == row["ivr"] or (np.isnan(dup) and np.isnan(row["ivr"]))):
                raise DataIntegrityError(f"{path}: {title!r} has indulgence 'ind' = {r['ind']!r} but its "
                                         f"duplicate 'ivr' = {r['ivr']!r}")
        out.append(row)
    wide = pd.DataFrame(out)
    dup = wide["name"].duplicated(keep=False)
    if dup.any():
        raise DataIntegrityError(f"{path}: country listed twice: {sorted(set(wide.loc[dup, 'name']))}")
    return wide


def read() -> pd.DataFrame:
    wide = read_wide()
    cols = {d: f"hofstede_insights.{d}" for d in ("pdi", "idv", "mas", "uai", "lto", "ivr")}
    cols["estimated"] = "hofstede_insights.estimated"
    long = wide.melt(id_vars=["name"], value_vars=list(cols), var_name="column", value_name="value")
    long["variable"] = long["column"].map(cols)
    long["year"] = YEAR
    return long[["name", "year", "variable", "value"]]


@fill_doc(loader=LOADER_DOCS)
def check(df: pd.DataFrame) -> list[str]:
    """Counts of countries, complete six-dimension rows and estimates.

    Parameters
    ----------
    {loader.df}
    """
    wide = df.pivot_table(index="iso3", columns="variable", values="value", aggfunc="first")
    n = len(wide)
    n4 = int(wide[list(DIMENSIONS[:4])].notna().all(axis=1).sum())
    n6 = int(wide[list(DIMENSIONS)].notna().all(axis=1).sum())
    est = int((wide["hofstede_insights.estimated"] == 1).sum())
    return [f"hofstede_insights: {n} countries, {n4} with the four original dimensions, {n6} with all six; "
            f"{est} with estimated scores (48 starred by the publisher, plus Libya)"]
