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

from ._common import GciUnitScore

EDITION = GciUnitScore("gci2018", 2018, "gci_2018/gci.csv", name_col="Member State", score_col="Score",
                       version="GCIv3, published 2019", example=0.931)
SOURCE = EDITION.source
VARIABLES = [EDITION.variable]
read = EDITION.read
