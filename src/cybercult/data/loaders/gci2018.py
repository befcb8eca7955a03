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

from ..variables import Variable
from ._common import read_unit_score

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
    return read_unit_score(SOURCE, _FILE, _NAME, _SCORE, YEAR, "gci2018.score")
