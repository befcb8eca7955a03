"""Schwartz cultural value orientations: seven scores for 80 national samples (76 countries).

Scores are country means of the Schwartz Value Survey (teachers and students,
1988-2000) on Schwartz's -1 to 7 scale, from the ResearchGate dataset
(doi:10.13140/RG.2.1.3313.3040) as re-published in the R package pradadata.

Quirks handled here:

* names and codes are the package author's, lower case, with typos
  (``austrialia``, ``bosniaherz``, ``newzealand``, ``korea south``, ``czech rep``,
  ``macedonia``, ...): the few country_converter cannot match are in
  :data:`OVERRIDES`;
* **sub-national samples**: the study design needs one row per country, so the
  national value is the unweighted mean of a country's sub-samples, as
  Schwartz's own national averages and the package author's added rows do.
  Canada, Germany and Switzerland: the package author's ``can``, ``ger`` and
  ``swi`` rows ("avg of ..."), which are exactly the unweighted means of
  English/French Canada, East/West Germany and French/German Switzerland (the
  loader recomputes them and refuses a mismatch); the sub-samples are excluded
  with that reason. **Israel** has no such row: the loader adds the unweighted
  mean of the Jewish and Arab samples (:data:`ISRAEL_MEAN`) and excludes the two
  sub-samples. (Schwartz's own analyses often use the Jewish sample alone; the
  sub-sample scores stay in the raw file for that choice.)
* the ``comment`` column holds the literal string ``NA`` for Schwartz's rows and
  is not loaded.
"""
from __future__ import annotations

import pandas as pd

from ...errors import DataIntegrityError
from ..catalogue import Variable
from ._common import melt_columns, numeric_column, read_csv_checked

SOURCE = "schwartz"
YEAR = 2000
_FILE = "schwartz_cultural_orientations/cult_values.csv"
_NAME = "country_long"
_COLUMNS = {
    "harmony": "schwartz.harmony",
    "embedded": "schwartz.embeddedness",
    "hierarchy": "schwartz.hierarchy",
    "mastery": "schwartz.mastery",
    "aff_auton": "schwartz.affective_autonomy",
    "intel_auton": "schwartz.intellectual_autonomy",
    "egalitar": "schwartz.egalitarianism",
}
#: national row -> the sub-samples it averages (unweighted)
AVERAGED = {
    "canada": ("canada (Eng)", "canada (Fr)"),
    "germany": ("germany e", "germany w"),
    "switzerland": ("switzerland (fr)", "switzerland (ger)"),
}
#: name of the row the loader adds for Israel, and its two sub-samples
ISRAEL_MEAN = "israel (unweighted mean of the Jewish and Arab samples)"
ISRAEL_SAMPLES = ("israel jew", "israel arab")

_LABELS = {
    "schwartz.harmony": ("Harmony", "fitting into the social and natural world rather than changing it"),
    "schwartz.embeddedness": ("Embeddedness", "people seen as embedded in the collectivity"),
    "schwartz.hierarchy": ("Hierarchy", "unequal distribution of power, roles and resources seen as legitimate"),
    "schwartz.mastery": ("Mastery", "active self-assertion to master and change the environment"),
    "schwartz.affective_autonomy": ("Affective autonomy", "pursuit of pleasure and an exciting life"),
    "schwartz.intellectual_autonomy": ("Intellectual autonomy", "independent pursuit of one's own ideas"),
    "schwartz.egalitarianism": ("Egalitarianism", "recognition of one another as moral equals"),
}

VARIABLES = [
    Variable(vid, f"{lab} (Schwartz)", "score -1 to 7", -1, 7, f"more {what}", "static", "culture",
             f"Schwartz cultural value orientation '{lab}': country mean of the Schwartz Value Survey "
             "(teachers and students, 1988-2000); sub-national samples averaged (see the loader).")
    for vid, (lab, what) in _LABELS.items()
]

OVERRIDES = {
    "austrialia": "AUS",
    "bosniaherz": "BIH",
    "costarica": "CRI",
    "czech rep": "CZE",
    "hongkong": "HKG",
    "korea south": "KOR",
    "macedonia": "MKD",
    "newzealand": "NZL",
    "south africa": "ZAF",
    "unitedkingdom": "GBR",
    "unitedstates": "USA",
    "canada": "CAN",
    "germany": "DEU",
    "switzerland": "CHE",
    ISRAEL_MEAN: "ISR",
}

EXCLUDE = {
    **{sub: f"sub-national sample; the national value is the '{nat}' row (unweighted mean of "
            f"{' and '.join(repr(s) for s in subs)})"
       for nat, subs in AVERAGED.items() for sub in subs},
    **{sub: f"sub-national sample; Israel's national value is the unweighted mean of "
            f"{' and '.join(repr(s) for s in ISRAEL_SAMPLES)}, added by the loader"
       for sub in ISRAEL_SAMPLES},
}


def read() -> pd.DataFrame:
    path, wide = read_csv_checked(SOURCE, _FILE, (_NAME, *_COLUMNS), na=("",), dtype={_NAME: str})
    wide = wide[[_NAME, *_COLUMNS]].copy()
    wide[_NAME] = wide[_NAME].str.strip()
    for col in _COLUMNS:
        wide[col] = numeric_column(wide, col, _NAME, path)
    by_name = wide.set_index(_NAME)
    for name in [*AVERAGED, *(s for subs in AVERAGED.values() for s in subs), *ISRAEL_SAMPLES]:
        if name not in by_name.index:
            raise DataIntegrityError(f"{path}: expected a row {name!r} in column {_NAME!r}")
    for nat, subs in AVERAGED.items():
        mean = by_name.loc[list(subs), list(_COLUMNS)].mean()
        gap = (by_name.loc[nat, list(_COLUMNS)] - mean).abs().max()
        if gap > 1e-9:
            raise DataIntegrityError(f"{path}: row {nat!r} should be the unweighted mean of {subs}, "
                                     f"differs by up to {gap:g}")
    israel = by_name.loc[list(ISRAEL_SAMPLES), list(_COLUMNS)].mean().round(10)
    wide = pd.concat([wide, pd.DataFrame([{_NAME: ISRAEL_MEAN, **israel.to_dict()}])], ignore_index=True)
    return melt_columns(wide, _NAME, _COLUMNS, year=YEAR)
