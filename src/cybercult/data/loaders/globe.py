"""GLOBE Phase 2 societal culture scores (House et al. 2004): practices and values.

Nine dimensions, each measured twice on 1-7 scales: societal practices ("As Is",
``globe.<dim>_practices``) and societal values ("Should Be", ``globe.<dim>_values``).
One edition (data collected 1994-1997, published 2004), so ``timing="static"``
and year 2004.

Quirks handled here:

- Excel 97 file read with ``xlrd`` (pandas' xlrd engine is deprecated and warns);
  sheet ``GLOBE Phase 2 Society Level Soc``; headers are matched after stripping
  blanks (``"Assertiveness Societal Practices "`` has a trailing space) and the
  values header spells ``Human Orientation`` where the practices header says
  ``Humane Orientation``: both become ``humane_orientation``. A missing or
  unexpected header is an error;
- 62 *societies*, 59 countries. Rule: where GLOBE has one sample for a country it
  stands for the country; where a country was split, the sample of the
  population majority stands for it and the other is excluded:

  * ``Germany (WEST)`` -> DEU; ``Germany (EAST)`` excluded (former GDR, about a
    fifth of the population);
  * ``South Africa (Black Sample)`` -> ZAF; ``South Africa (White Sample)``
    excluded (minority sample);
  * ``Switzerland`` (GLOBE's German-speaking sample) -> CHE; ``French
    Switzerland`` excluded (French-speaking minority);

- partial samples kept as the country because GLOBE has no other sample of it:
  ``England`` -> GBR (England only, not the whole United Kingdom) and
  ``Canada (English-speaking)`` -> CAN (English-speaking Canada only);
- ``IRAN`` in upper case and ``USA`` are matched normally.

The Czech Republic row is kept as published, but with a warning in the source
notes (:func:`check` reports scores more than 4 standard deviations away from the
other countries'): GLOBE leaves it without a cluster, several of its values
("Should Be") scores lie far outside the other societies' (performance
orientation values 2.35 where all others score 4.9-6.6), and its power distance
and in-group collectivism practices (3.59, 3.18) are below Denmark's 3.89 and
3.53, which House et al. (2004) report as the lowest, i.e. the book's rankings
leave the Czech Republic out.
"""
from __future__ import annotations

import pandas as pd

from ..._docstrings import fill_doc
from ...errors import DataIntegrityError
from ..registry import source_path
from ..variables import Variable
from ._common import LOADER_DOCS

SOURCE = "globe"
_FILE = "globe_2004/GLOBE-Phase-2-Aggregated-Societal-Culture-Data(1)(1).xls"
_SHEET = "GLOBE Phase 2 Society Level Soc"
_YEAR = 2004
_NAME_COL = "Country Name"
_OTHER_COLS = ("Country", "Country Cluster")  # GLOBE society id and cluster: not used
_OUTLIER_Z = 4.0  # |z| beyond which check() reports a score

# dimension key -> (header stem as in the file, label, what a higher score means)
_DIMS = {
    "uncertainty_avoidance": ("Uncertainty Avoidance", "Uncertainty avoidance", "more reliance on rules and norms"),
    "future_orientation": ("Future Orientation", "Future orientation", "more planning and investing in the future"),
    "power_distance": ("Power Distance", "Power distance", "more unequal distribution of power"),
    "institutional_collectivism": ("Collectivism I", "Institutional collectivism", "more collective action "
                                   "rewarded by institutions"),
    "humane_orientation": ("Humane Orientation", "Humane orientation", "more fair, altruistic, caring behaviour"),
    "performance_orientation": ("Performance Orientation", "Performance orientation", "more reward for "
                                "performance and excellence"),
    "ingroup_collectivism": ("Collectivism II", "In-group collectivism", "more pride and loyalty in families "
                             "and organisations"),
    "gender_egalitarianism": ("Gender Egalitarianism", "Gender egalitarianism", "more gender equality"),
    "assertiveness": ("Assertiveness", "Assertiveness", "more assertive, confrontational"),
}
_KINDS = {"practices": ("Societal Practices", "practices (As Is)"), "values": ("Societal Values", "values (Should Be)")}
_SUFFIX = {"institutional_collectivism": " (Institutional Collectivism)",
           "ingroup_collectivism": " (In-group Collectivism)"}


def _header(dim: str, kind: str) -> str:
    stem = _DIMS[dim][0]
    if dim == "humane_orientation" and kind == "values":
        stem = "Human Orientation"  # as spelled in the file
    return f"{stem} {_KINDS[kind][0]}{_SUFFIX.get(dim, '')}"


# stripped header -> variable id
_HEADERS = {_header(d, k): f"globe.{d}_{k}" for d in _DIMS for k in _KINDS}

VARIABLES = [
    Variable(f"globe.{d}_{k}", f"{lab} {_KINDS[k][1]}", "score 1-7", 1, 7, hi, "static", "culture",
             f"GLOBE 2004 societal {lab.lower()}, {_KINDS[k][1]}: society mean of middle managers' ratings "
             f"on a 1-7 scale.")
    for d, (_stem, lab, hi) in _DIMS.items() for k in _KINDS
]

OVERRIDES = {
    "England": "GBR",
    "Canada (English-speaking)": "CAN",
    "Germany (WEST)": "DEU",
    "South Africa (Black Sample)": "ZAF",
    "Switzerland": "CHE",
}

EXCLUDE = {
    "Germany (EAST)": "sub-national sample (former GDR); Germany is represented by the larger West sample",
    "South Africa (White Sample)": "sub-national sample (white respondents); South Africa is represented by "
                                   "the Black sample, the population majority",
    "French Switzerland": "sub-national sample (French-speaking); Switzerland is represented by GLOBE's "
                          "'Switzerland' (German-speaking majority) sample",
}


def _sheet():
    import xlrd

    path = source_path(SOURCE, _FILE)
    book = xlrd.open_workbook(path)
    if _SHEET not in book.sheet_names():
        raise DataIntegrityError(f"{path}: no sheet {_SHEET!r}; sheets: {book.sheet_names()}")
    return path, book.sheet_by_name(_SHEET)


def read() -> pd.DataFrame:
    import xlrd

    path, sh = _sheet()
    headers = [str(sh.cell_value(0, c)).strip() for c in range(sh.ncols)]
    known = {*_HEADERS, _NAME_COL, *_OTHER_COLS}
    unknown = [h for h in headers if h not in known]
    missing = sorted(known - set(headers))
    dup = sorted({h for h in headers if headers.count(h) > 1})
    if unknown or missing or dup:
        raise DataIntegrityError(f"{path} [{_SHEET}]: unexpected headers {unknown}, missing headers {missing}, "
                                 f"repeated headers {dup}")
    name_col = headers.index(_NAME_COL)
    rows = []
    for r in range(1, sh.nrows):
        name = str(sh.cell_value(r, name_col)).strip()
        if not name:
            raise DataIntegrityError(f"{path} [{_SHEET}], row {r + 1}: empty country name")
        for c, h in enumerate(headers):
            if h not in _HEADERS:
                continue
            cell = sh.cell(r, c)
            if cell.ctype == xlrd.XL_CELL_NUMBER:
                value = float(cell.value)
            elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                value = float("nan")
            else:
                raise DataIntegrityError(f"{path} [{_SHEET}], row {r + 1}, column {h!r}: "
                                         f"{cell.value!r} is not a number")
            rows.append({"name": name, "year": _YEAR, "variable": _HEADERS[h], "value": value})
    return pd.DataFrame(rows, columns=["name", "year", "variable", "value"])


@fill_doc(loader=LOADER_DOCS)
def check(df: pd.DataFrame) -> list[str]:
    """Report scores more than 4 standard deviations from the other countries' mean.

    Parameters
    ----------
    {loader.df}

    Returns
    -------
    list of str
        One note per country with such scores (the Czech Republic's values
        scores in this file).
    """
    flagged: dict[str, list[str]] = {}
    for var, sub in df.groupby("variable"):
        values = sub.set_index("iso3")["value"]
        for iso3, own in values.items():
            others = values.drop(iso3)
            z = (own - others.mean()) / others.std()
            if abs(z) > _OUTLIER_Z:
                flagged.setdefault(iso3, []).append(f"{var} {own:.2f} (z = {z:+.1f})")
    return [f"globe: {iso3} has scores far outside the other countries' (kept as published): " + "; ".join(f)
            for iso3, f in sorted(flagged.items())]
