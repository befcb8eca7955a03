"""ITU Global Cybersecurity Index 2018 (GCIv3, report published 2019), overall score.

Quirks handled here: the score is published on a 0-1 scale and is multiplied
by 100 here so that every GCI edition in the catalogue shares a 0-100 scale
(``gci2018.score`` = published score x 100); the original-names version of the
file is used (a later version of the same repository replaced names by ISO2
codes, where Namibia's ``NA`` reads as missing), and it is read with
``keep_default_na=False`` in any case; ITU spellings (``The Republic of North
Macedonia``, ``Lao People’s Democratic Republic`` with a curly apostrophe,
``Vatican``, ``State of Palestine``) all resolve with country_converter (checked
name by name); the ``Global Rank`` column (dense rank) is not loaded. The
partly corrupt pillar file bundled alongside is deliberately not used.
"""
from __future__ import annotations

import pandas as pd

from ...errors import DataIntegrityError
from ..catalogue import Variable
from ..registry import source_path

SOURCE = "gci2018"
YEAR = 2018
_FILE = "gci_2018/gci.csv"
_NAME = "Member State"
_SCORE = "Score"
_NA = [""]

VARIABLES = [
    Variable("gci2018.score", "Global Cybersecurity Index 2018", "score 0-100 (published 0-1, x100)", 0, 100,
             "more committed to cybersecurity", "static", "outcome",
             "ITU GCI 2018 (GCIv3, published 2019) overall score. ITU publishes it on 0-1; it is multiplied by "
             "100 here so that all GCI editions share a 0-100 scale (0.931 becomes 93.1)."),
]

OVERRIDES: dict[str, str] = {}

EXCLUDE: dict[str, str] = {}


def read() -> pd.DataFrame:
    path = source_path(SOURCE, _FILE)
    wide = pd.read_csv(path, keep_default_na=False, na_values=_NA, dtype={_NAME: str}, encoding="utf-8")
    missing = [c for c in (_NAME, _SCORE) if c not in wide.columns]
    if missing:
        raise DataIntegrityError(f"{path}: missing column(s) {missing}; found {list(wide.columns)}")
    score = pd.to_numeric(wide[_SCORE], errors="coerce")
    bad = wide[score.isna() | (score < 0) | (score > 1)]
    if len(bad):
        raise DataIntegrityError(
            f"{path}: column {_SCORE!r} must hold scores on 0-1; bad rows: "
            + ", ".join(f"{r[_NAME]!r}={r[_SCORE]!r}" for _, r in bad.head(10).iterrows())
        )
    return pd.DataFrame({
        "name": wide[_NAME].str.strip(),
        "year": YEAR,
        "variable": "gci2018.score",
        "value": (score * 100).round(6),
    })
