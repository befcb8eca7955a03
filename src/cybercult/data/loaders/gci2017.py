"""ITU Global Cybersecurity Index 2017 (GCIv2), overall score.

Quirks handled here: the score is published on a 0-1 scale and is multiplied
by 100 here so that every GCI edition in the catalogue shares a 0-100 scale
(``gci2017.score`` = published score x 100); names use the report's spellings
(``Russia (Russian Fed.)``, ``Korea, (South) Republic of``, ``Macedonia, TFYR``,
``Vatican (Holy See)``, ``Palestinian Territory``...), all of which
country_converter resolves correctly (checked name by name); no rank or pillar
columns. Spain's 0.519 is a transcription error corrected to 0.718 (71.8 here)
in ``corrections.csv``: the independent SSPI transcription has 0.718 with
ITU's rank 19, its rank column leaves no room for a 0.519 between rank 53
(0.524) and North Macedonia's 0.517 at rank 54, and Spain's move "from 19th to
7th" between GCI 2017 and GCI 2018 was widely reported.
"""
from __future__ import annotations

import pandas as pd

from ...errors import DataIntegrityError
from ..catalogue import Variable
from ..registry import source_path

SOURCE = "gci2017"
YEAR = 2017
_FILE = "gci_2017/gci.csv"
_NAME = "Country"
_SCORE = "Global Cybersecurity Index"
_NA = [""]

VARIABLES = [
    Variable("gci2017.score", "Global Cybersecurity Index 2017", "score 0-100 (published 0-1, x100)", 0, 100,
             "more committed to cybersecurity", "static", "outcome",
             "ITU GCI 2017 (GCIv2, data collected 2016) overall score. ITU publishes it on 0-1; it is multiplied "
             "by 100 here so that all GCI editions share a 0-100 scale (0.925 becomes 92.5)."),
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
        "variable": "gci2017.score",
        "value": (score * 100).round(6),
    })
