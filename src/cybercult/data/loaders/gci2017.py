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

from ._common import GciUnitScore

EDITION = GciUnitScore("gci2017", 2017, "gci_2017/gci.csv", name_col="Country", score_col="Global Cybersecurity Index",
                       version="GCIv2, data collected 2016", example=0.925)
SOURCE = EDITION.source
VARIABLES = [EDITION.variable]
read = EDITION.read
