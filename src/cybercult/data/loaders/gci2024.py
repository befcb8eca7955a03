"""ITU Global Cybersecurity Index 2024 (GCIv5), overall score and derived tier.

The scores come from the SSPI project's manual transcription of the ITU
reports (one table for the 2014-2024 editions); only its ``2024`` column is
used here. ITU 2024 publishes tiers, not ranks: ``gci2024.tier`` is derived
from the score with ITU's cut-offs (tier 1 role-modelling >= 95, tier 2
advancing >= 85, tier 3 establishing >= 55, tier 4 evolving >= 20, tier 5
building < 20), and :func:`check` / :func:`gci2024_tier_check` compare the
derived counts with those ITU reports (46 countries in tier 1, 105 in tiers 3
and 4 together).

Quirks handled here: ``#N/A`` and blank missing markers; duplicate header
names (``Global Rank`` four times, ``Globa Rank`` once) and an empty trailing
column (ignored; the 2024 "rank" is the transcriber's, not ITU's, and is not
loaded); two countries appear twice under old and new names (``Swaziland`` /
``Eswatini``, ``Cape Verde`` / ``Cabo Verde``): the old-name rows hold only
2014/2017 values and are excluded; ``Hong Kong`` (2014 only) is excluded;
``Palau`` is excluded because it is not an ITU member state and is not among
the 194 countries GCI 2024 measured (193 ITU member states and Palestine): its
``0`` with "rank 176" is a placeholder of the transcription. El Salvador's
``0`` (also "rank 176") is a placeholder too: ITU places El Salvador in tier 4,
so ``corrections.csv`` sets its score missing and its tier to 4. **Canada has
no row** in the transcription, so it is absent here (193 of ITU's 194
countries; press coverage puts Canada in tier 2, so its absence does not
explain the tier 1 count being one short of ITU's 46).

A correction to a 2024 score in ``corrections.csv`` needs a matching
correction of the ``gci2024.tier`` row, because the tier is derived in
:func:`read`, before corrections are applied.
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from ...errors import TierCheckWarning
from ..catalogue import Variable
from ._common import melt_columns, numeric_column, read_csv_checked

SOURCE = "gci2024"
YEAR = 2024
_FILE = "gci_multi_edition_sspi/gci-local-indicator-summary.csv"
_NAME = "Country"
_SCORE = "2024"
_NA = ["#N/A", ""]

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

VARIABLES = [
    Variable("gci2024.score", "Global Cybersecurity Index 2024", "score 0-100", 0, 100,
             "more committed to cybersecurity", "static", "outcome",
             "ITU GCI 2024 (GCIv5, published September 2024) overall score, 0-100, as transcribed by the SSPI "
             "project (Canada missing from the transcription)."),
    Variable("gci2024.tier", "GCI 2024 tier", "tier 1-5", 1, 5,
             "lower commitment (tier 1 role-modelling is the highest commitment, tier 5 building the lowest)",
             "static", "outcome",
             "ITU GCI 2024 tier derived from the overall score with ITU's cut-offs: tier 1 >= 95, tier 2 >= 85, "
             "tier 3 >= 55, tier 4 >= 20, tier 5 below 20 (El Salvador: ITU's tier, its score being unknown). "
             "A higher tier number means a lower commitment.",
             levels=TIER_LEVELS),
]

OVERRIDES: dict[str, str] = {}

EXCLUDE = {
    "Swaziland": "old-name row holding only 2014/2017 values; the 2024 value is on the 'Eswatini' row",
    "Cape Verde": "old-name row holding only 2014/2017 values; the 2024 value is on the 'Cabo Verde' row",
    "Hong Kong": "not a sovereign state; row holds a 2014 value only (no GCI 2024 score)",
    "Palau": "not an ITU member state and not among the 194 countries measured by GCI 2024; its 0 (with "
             "'rank 176') is a placeholder of the transcription, not an ITU score",
}


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


def read() -> pd.DataFrame:
    path, wide = read_csv_checked(SOURCE, _FILE, (_NAME, _SCORE), na=_NA, dtype={_NAME: str})
    score = numeric_column(wide, _SCORE, _NAME, path, blanks_ok=True)
    wide["tier"] = derive_tier(score)
    wide[_SCORE] = score
    return melt_columns(wide, _NAME, {_SCORE: "gci2024.score", "tier": "gci2024.tier"}, year=YEAR)


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


def gci2024_tier_check() -> pd.DataFrame:
    """Compare the tier counts derived from GCI 2024 scores with those ITU reports.

    Returns
    -------
    DataFrame
        One row per tier plus a ``3+4`` row, columns ``tier`` (``"1"`` ...
        ``"5"``, ``"3+4"``), ``label``, ``n_derived`` (countries in the tier by
        our cut-offs), ``n_itu`` (ITU's count where the report gives it, else
        missing) and ``match`` (missing where ITU gives no count).

    Notes
    -----
    ITU (2024) places 46 countries in tier 1 and 105 in tiers 3 and 4 (ITU
    press release of 10 September 2024). The bundled transcription lacks
    Canada, so the derived counts cover 193 of the 194 countries measured;
    El Salvador's tier is ITU's (see ``corrections.csv``).

    Examples
    --------
    >>> from cybercult.data.loaders.gci2024 import gci2024_tier_check
    >>> t = gci2024_tier_check().set_index("tier")
    >>> int(t.loc["3+4", "n_derived"]), int(t.loc["3+4", "n_itu"])
    (105, 105)
    """
    from . import load_source

    return _tier_table(load_source(SOURCE).data)


def check(df: pd.DataFrame) -> list[str]:
    """Note (and warn on mismatch) comparing derived tier counts with ITU's reported counts."""
    table = _tier_table(df).set_index("tier")
    n = df.loc[df["variable"] == "gci2024.tier", "iso3"].nunique()
    known = table["match"].dropna()
    ok = bool(known.all())

    def part(t: str, name: str) -> str:
        r = table.loc[t]
        return f"{name} = {r['n_derived']}" + ("" if pd.isna(r["n_itu"]) else f" (ITU: {r['n_itu']})")

    parts = [part(str(c), f"tier {c}") for c, _ in TIER_LEVELS] + [part("3+4", "tiers 3+4")]
    msg = (f"GCI 2024 tiers derived from scores ({n} countries with a tier, after corrections; ITU measured "
           f"{ITU_COUNTRIES}, Canada is missing from the transcription): " + ", ".join(parts)
           + (": match" if ok else ": mismatch"))
    notes = [msg]
    if not ok:
        warnings.warn(msg, TierCheckWarning, stacklevel=2)
    zero = df[(df["variable"] == "gci2024.score") & (df["value"] == 0)]
    for r in zero.itertuples():
        notes.append(f"gci2024: {r.iso3} ({r.country}) has a 2024 score of exactly 0 in the transcription; "
                     "unverified against the ITU report, left as published")
    return notes
