"""ITU Global Cybersecurity Index 2020 (GCIv4, report published June 2021), score and five pillars.

Quirks handled here: UTF-8 byte-order mark before the first header (read with
``utf-8-sig``); ITU spellings, all resolved by country_converter except
``Congo (Rep. of the)`` (override to COG; ``Dem. Rep. of the Congo`` resolves to
COD); zeros are genuine 2020 scores (Micronesia, Vatican and Yemen score 0) and
are kept; the ``Global Rank`` column is not loaded. Six pillar cells mangled in
transcription (North Macedonia ``1237``, Sri Lanka, Croatia, Argentina, Chad,
Namibia) are fixed in ``corrections.csv`` from the Blavatnik School's
extraction of the ITU PDF, which is bundled as evidence only and not read
here (it has its own parsing shifts). Three rows whose pillars do not add up
to the overall score are **inconsistencies inside ITU's own publication**, not
transcription errors (:data:`ITU_INCONSISTENT`): both independent extractions
of the report carry the same values, the overall scores and ranks agree with
every other transcription, and the pillars are what the report prints for the
country (Finland: one pillar off by 3.71, the ITU series on World Bank Data360
has Finland's organizational pillar at 17.396 instead of 14.33; Sweden and
Viet Nam: sums 94.59 / 94.55 against scores 94.55 / 94.59, Viet Nam's pillars
being the ones its press published). They are left as published and reported
by :func:`check`, which lists every country whose pillar sum differs from the
overall score by more than 0.02.
"""
from __future__ import annotations

import pandas as pd

from ..._docstrings import fill_doc
from ...errors import DataIntegrityError
from ..variables import Variable
from ._common import LOADER_DOCS, melt_columns, numeric_column, read_csv_checked

SOURCE = "gci2020"
YEAR = 2020
_FILE = "gci_2020/gci2020.csv"
_NAME = "Member State"
_COLUMNS = {
    "Score": "gci2020.score",
    "Legal Measures": "gci2020.legal",
    "Technical Measures": "gci2020.technical",
    "Organizational Measures": "gci2020.organizational",
    "Capacity Development": "gci2020.capacity",
    "Cooperative Measures": "gci2020.cooperation",
}
PILLARS = ("gci2020.legal", "gci2020.technical", "gci2020.organizational", "gci2020.capacity",
           "gci2020.cooperation")
#: largest accepted gap between the pillar sum and the overall score (rounding of five 2-decimal values)
SUM_TOLERANCE = 0.02
_NA = [""]
#: pillar-sum gaps that lie in ITU's report itself (ranking table versus the country's pillar values)
ITU_INCONSISTENT = {
    "FIN": "inconsistency inside ITU's publication: the ranking table's score 95.78 (rank 22) against pillar "
           "values summing to 92.07; both extractions of the report agree, and ITU's series on World Bank Data360 "
           "gives the organizational pillar as 17.396 (14.33 in the report)",
    "SWE": "inconsistency inside ITU's publication: the ranking table's score (rank 26) against the pillar values "
           "the report prints for Sweden, which sum to Viet Nam's score; both extractions agree",
    "VNM": "inconsistency inside ITU's publication: the ranking table's score (rank 25) against the pillar values "
           "the report prints for Viet Nam (the values Viet Nam's press published), which sum to Sweden's score",
}


def _pillar(short: str, label: str, what: str) -> Variable:
    return Variable(f"gci2020.{short}", f"GCI 2020 {label} pillar", "score 0-20", 0, 20,
                    "more committed to cybersecurity", "static", "outcome",
                    f"ITU GCI 2020 {label.lower()} measures pillar ({what}); the five pillars (each 0-20) sum "
                    "to the overall score.")


VARIABLES = [
    Variable("gci2020.score", "Global Cybersecurity Index 2020", "score 0-100", 0, 100,
             "more committed to cybersecurity", "static", "outcome",
             "ITU GCI 2020 (GCIv4, published June 2021) overall score, published on 0-100: the sum of the five "
             "pillar scores (legal, technical, organizational, capacity development, cooperation)."),
    _pillar("legal", "Legal", "cybercrime and cybersecurity legislation and regulation"),
    _pillar("technical", "Technical", "CIRTs, standards, child online protection mechanisms"),
    _pillar("organizational", "Organizational", "strategy, responsible agency, metrics"),
    _pillar("capacity", "Capacity development", "awareness, training, education, research, industry"),
    _pillar("cooperation", "Cooperation", "bilateral, multilateral and public-private agreements"),
]

OVERRIDES = {
    "Congo (Rep. of the)": "COG",
}


def read() -> pd.DataFrame:
    path, wide = read_csv_checked(SOURCE, _FILE, (_NAME, *_COLUMNS), na=_NA, encoding="utf-8-sig",
                                  dtype={_NAME: str})
    for col in _COLUMNS:
        wide[col] = numeric_column(wide, col, _NAME, path)
    return melt_columns(wide, _NAME, _COLUMNS, year=YEAR)


def pillar_sum_gaps(df: pd.DataFrame) -> pd.DataFrame:
    """Countries whose five pillar scores do not add up to the overall score.

    Parameters
    ----------
    df : DataFrame
        Long GCI 2020 data (``iso3, country, year, variable, value``), as in
        ``load_source("gci2020").data`` (corrections already applied).

    Returns
    -------
    DataFrame
        One row per country with a gap above :data:`SUM_TOLERANCE`, columns
        ``iso3, country, score, pillar_sum, difference`` (``pillar_sum - score``).
    """
    wide = df.pivot_table(index=["iso3", "country"], columns="variable", values="value", aggfunc="first")
    need = ["gci2020.score", *PILLARS]
    absent = [v for v in need if v not in wide.columns]
    if absent:
        raise DataIntegrityError(f"gci2020 data lack variable(s) {absent}")
    wide = wide[need].dropna()
    out = pd.DataFrame({"score": wide["gci2020.score"], "pillar_sum": wide[list(PILLARS)].sum(axis=1).round(6)})
    out["difference"] = (out["pillar_sum"] - out["score"]).round(6)
    out = out[out["difference"].abs() > SUM_TOLERANCE + 1e-9].reset_index()
    return out[["iso3", "country", "score", "pillar_sum", "difference"]]


@fill_doc(loader=LOADER_DOCS)
def check(df: pd.DataFrame) -> list[str]:
    """Notes on countries whose pillar sum differs from the overall score by more than 0.02.

    Parameters
    ----------
    {loader.df}
    """
    gaps = pillar_sum_gaps(df)
    n = df.loc[df["variable"] == "gci2020.score", "iso3"].nunique()
    notes = [f"gci2020: {n - len(gaps)} of {n} countries have pillar sum = overall score within "
             f"{SUM_TOLERANCE} (after corrections)"]
    for r in gaps.itertuples():
        why = ITU_INCONSISTENT.get(r.iso3, "unexplained gap")
        notes.append(
            f"gci2020: {r.iso3} ({r.country}) pillar sum {r.pillar_sum:.2f} differs from the overall score "
            f"{r.score:.2f} by {r.difference:+.2f}; {why}; values left as published"
        )
    return notes
