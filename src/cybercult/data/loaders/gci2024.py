"""ITU Global Cybersecurity Index 2024 (GCIv5): overall score, five pillars and derived tier.

The values are ITU's GCI 2024 series as redistributed by the World Bank
Data360 (dataset ``ITU_GCI``: one download per pillar and one for the overall
score, filtered to 2024 and joined on ISO3 by the copying repository). They
cover all 194 countries ITU measured (193 member states and Palestine,
``West Bank and Gaza``), Canada included, at full precision. ITU 2024 publishes
tiers, not ranks: ``gci2024.tier`` is derived from the score with ITU's
cut-offs (tier 1 role-modelling >= 95, tier 2 advancing >= 85, tier 3
establishing >= 55, tier 4 evolving >= 20, tier 5 building < 20), and
:func:`check` / :func:`~cybercult.data.checks.gci2024_tier_check` compare the derived counts with
those ITU reports (46 countries in tier 1, 105 in tiers 3 and 4 together):
on this series they match (46 / 29 / 49 / 56 / 14).

Quirks handled here: the file is a text reconstruction of the third party's
CSV (see the registry's ``copied_from``); names are World Bank names
(``Korea, Rep.``, ``Turkiye``, ``West Bank and Gaza``), so countries are
matched on the ``iso3`` column (Data360's ``REF_AREA``), and the tests check
that every name resolves to the same code; every row's five pillars must sum
to the overall score within 1e-6 (:data:`SUM_TOLERANCE`), otherwise loading
fails naming the rows; the ``year`` column must be 2024 throughout.

The SSPI project's PDF transcription (``gci_multi_edition_sspi``), the source
of earlier versions of this loader, is kept only as a cross-check in the tests:
most scores agree within 0.05; it lacks Canada, swaps the two Congos, has
El Salvador at 0 (a placeholder; ITU's corrected profile gives 37.29, as here)
and differs for Germany, Grenada, the Holy See, Togo, Croatia, Malta and
Iceland, among others.
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from ..._docstrings import fill_doc
from ...errors import DataIntegrityError, TierCheckWarning
from ..variables import Variable
from ._common import LOADER_DOCS, melt_columns, numeric_column, read_csv_checked

SOURCE = "gci2024"
YEAR = 2024
_FILE = "gci_2024_data360/gci_2024.csv"
_NAME = "country"
_CODE = "iso3"
_COLUMNS = {
    "gci": "gci2024.score",
    "legal": "gci2024.legal",
    "technical": "gci2024.technical",
    "organizational": "gci2024.organizational",
    "capacity": "gci2024.capacity",
    "cooperation": "gci2024.cooperation",
}
PILLARS = ("gci2024.legal", "gci2024.technical", "gci2024.organizational", "gci2024.capacity",
           "gci2024.cooperation")
#: largest accepted gap between the pillar sum and the overall score (the series is at full precision)
SUM_TOLERANCE = 1e-6
#: the cross-check transcription (SSPI), not loaded here
SSPI_FILE = "gci_multi_edition_sspi/gci-local-indicator-summary.csv"

TIER_LEVELS = (
    (1, "Tier 1 role-modelling"),
    (2, "Tier 2 advancing"),
    (3, "Tier 3 establishing"),
    (4, "Tier 4 evolving"),
    (5, "Tier 5 building"),
)
#: lowest score of tiers 1-4 (a score below the last cut-off is tier 5)
TIER_CUTOFFS = ((1, 95.0), (2, 85.0), (3, 55.0), (4, 20.0))
#: counts ITU reports for GCI 2024 (tier 1, and tiers 3 and 4 together)
ITU_TIER_COUNTS = {"1": 46, "3+4": 105}
#: number of countries ITU measured in GCI 2024
ITU_COUNTRIES = 194

_PILLAR_TEXT = {
    "legal": ("Legal measures", "cybercrime and cybersecurity legislation and regulation"),
    "technical": ("Technical measures", "CIRTs, standards and technical capabilities"),
    "organizational": ("Organizational measures", "national strategies, agencies and metrics"),
    "capacity": ("Capacity development", "awareness, training, education, research and industry"),
    "cooperation": ("Cooperative measures", "bilateral, multilateral and public-private cooperation"),
}

VARIABLES = [
    Variable("gci2024.score", "Global Cybersecurity Index 2024", "score 0-100", 0, 100,
             "more committed to cybersecurity", "static", "outcome",
             "ITU GCI 2024 (GCIv5, published September 2024) overall score, 0-100, the sum of the five pillars; "
             "ITU series via World Bank Data360 (194 countries)."),
    *[Variable(f"gci2024.{k}", f"GCI 2024 {lab.lower()}", "score 0-20", 0, 20,
               "more committed to cybersecurity", "static", "outcome",
               f"ITU GCI 2024 pillar '{lab}' ({what}), 0-20; ITU series via World Bank Data360.")
      for k, (lab, what) in _PILLAR_TEXT.items()],
    Variable("gci2024.tier", "GCI 2024 tier", "tier 1-5", 1, 5,
             "lower commitment (tier 1 role-modelling is the highest commitment, tier 5 building the lowest)",
             "static", "outcome",
             "ITU GCI 2024 tier derived from the overall score with ITU's cut-offs: tier 1 >= 95, tier 2 >= 85, "
             "tier 3 >= 55, tier 4 >= 20, tier 5 below 20. A higher tier number means a lower commitment.",
             levels=TIER_LEVELS),
]

#: countries are matched on the ISO3 column (Data360 REF_AREA)
CODES = True


def derive_tier(score: pd.Series) -> pd.Series:
    """GCI 2024 tier (1-5) of each score with ITU's cut-offs; NaN where the score is missing.

    Parameters
    ----------
    score : Series
        Overall GCI 2024 scores on 0-100.

    Returns
    -------
    Series
        Float tier codes 1.0-5.0 (NaN for a missing score), same index as ``score``.

    Examples
    --------
    >>> derive_tier(pd.Series([99.86, 85.0, 54.99, 19.99])).tolist()
    [1.0, 2.0, 4.0, 5.0]
    """
    score = pd.to_numeric(score, errors="raise").astype(float)
    conds = [score >= cut for _, cut in TIER_CUTOFFS]
    tier = np.select(conds, [float(t) for t, _ in TIER_CUTOFFS], default=5.0)
    return pd.Series(np.where(score.isna(), np.nan, tier), index=score.index)


@fill_doc(loader=LOADER_DOCS)
def read_wide() -> pd.DataFrame:
    """The bundled table, checked: numeric pillars and score, year 2024, pillar sums equal to the score."""
    path, wide = read_csv_checked(SOURCE, _FILE, (_NAME, _CODE, "year", *_COLUMNS),
                                  dtype={_NAME: str, _CODE: str})
    for col in _COLUMNS:
        wide[col] = numeric_column(wide, col, _NAME, path)
    years = sorted(set(wide["year"]))
    if years != [YEAR]:
        raise DataIntegrityError(f"{path}: column 'year' must be {YEAR} in every row, found {years}")
    gap = (wide[[c for c in _COLUMNS if c != "gci"]].sum(axis=1) - wide["gci"]).abs()
    bad = wide[gap > SUM_TOLERANCE]
    if len(bad):
        raise DataIntegrityError(
            f"{path}: pillar sum differs from column 'gci' by more than {SUM_TOLERANCE} for: "
            + ", ".join(f"{r[_NAME]!r} ({r[_CODE]})" for _, r in bad.head(10).iterrows())
        )
    return wide


def read() -> pd.DataFrame:
    wide = read_wide()
    wide["tier"] = derive_tier(wide["gci"])
    return melt_columns(wide, _CODE, {**_COLUMNS, "tier": "gci2024.tier"}, year=YEAR)


def _tier_table(df: pd.DataFrame) -> pd.DataFrame:
    tiers = df.loc[df["variable"] == "gci2024.tier", "value"]
    counts = tiers.value_counts()
    labels = dict(TIER_LEVELS)
    rows = [{"tier": str(code), "label": labels[code], "n_derived": int(counts.get(float(code), 0))}
            for code, _ in TIER_LEVELS]
    rows.append({"tier": "3+4", "label": "Tiers 3 and 4 together",
                 "n_derived": int(counts.get(3.0, 0) + counts.get(4.0, 0))})
    out = pd.DataFrame(rows)
    out["n_itu"] = pd.array([ITU_TIER_COUNTS.get(t) for t in out["tier"]], dtype="Int64")
    out["match"] = pd.array([None if pd.isna(i) else bool(d == i) for d, i in zip(out["n_derived"], out["n_itu"])],
                            dtype="boolean")
    return out[["tier", "label", "n_derived", "n_itu", "match"]]


@fill_doc(loader=LOADER_DOCS)
def check(df: pd.DataFrame) -> list[str]:
    """Note (and warn on mismatch) comparing derived tier counts with ITU's reported counts.

    Parameters
    ----------
    {loader.df}
    """
    table = _tier_table(df).set_index("tier")
    n = df.loc[df["variable"] == "gci2024.tier", "iso3"].nunique()
    known = table["match"].dropna()
    ok = bool(known.all())

    def part(t: str, name: str) -> str:
        r = table.loc[t]
        return f"{name} = {r['n_derived']}" + ("" if pd.isna(r["n_itu"]) else f" (ITU: {r['n_itu']})")

    parts = [part(str(c), f"tier {c}") for c, _ in TIER_LEVELS] + [part("3+4", "tiers 3+4")]
    msg = (f"GCI 2024 tiers derived from scores ({n} countries with a tier, after corrections; ITU measured "
           f"{ITU_COUNTRIES}): " + ", ".join(parts) + (": match" if ok else ": mismatch"))
    notes = [msg]
    if not ok:
        warnings.warn(msg, TierCheckWarning, stacklevel=2)
    return notes
