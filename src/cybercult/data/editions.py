"""What changes between the two Hofstede editions: the 2015 dimension data matrix and Hofstede Insights."""
from __future__ import annotations

import pandas as pd

from .countries import country_name, harmonise
from .loaders import hofstede as _matrix
from .loaders import load_source
from .registry import source_path

_DIMS = ("pdi", "idv", "mas", "uai", "lto", "ivr")
_CAPPED_FILE = "hofstede_0_100/6-dimensions-for-website-2015-12-08-0-100.csv"
_CAPPED_COLS = {"pdi": "pdi", "idv": "idv", "mas": "mas", "uai": "uai", "ltowvs": "lto", "ivr": "ivr"}


def _capped_matrix() -> pd.DataFrame:
    """The publisher's 0-100 variant of the 2015 matrix, long: ``iso3, dimension, value``."""
    wide = pd.read_csv(source_path("hofstede_0_100", _CAPPED_FILE), sep=";", keep_default_na=False,
                       na_values=["#NULL!", ""], dtype={"ctr": str, "country": str}, encoding="utf-8")
    wide["country"] = wide["country"].str.strip()
    matched, _ = harmonise(wide["country"], source="hofstede_0_100", overrides=_matrix.OVERRIDES,
                           exclude=_matrix.EXCLUDE)
    wide = wide[wide["country"].isin(matched)].assign(iso3=lambda d: d["country"].map(matched))
    long = wide.melt(id_vars=["iso3"], value_vars=list(_CAPPED_COLS), var_name="col", value_name="value")
    long["dimension"] = long["col"].map(_CAPPED_COLS)
    return long.dropna(subset=["value"])[["iso3", "dimension", "value"]]


def compare_hofstede_editions(*, differing_only: bool = True) -> pd.DataFrame:
    """Values of the 2015 Hofstede matrix next to those of Hofstede Insights, country by dimension.

    Parameters
    ----------
    differing_only : bool
        Keep only the values that differ (default); ``False`` gives every value
        present in both editions.

    Returns
    -------
    DataFrame
        One row per country and dimension present in both editions:
        ``iso3``, ``country``, ``dimension`` (``pdi`` ... ``ivr``),
        ``hofstede_2015`` (the 2015-08-16 matrix, ``hofstede.*``),
        ``hofstede_0_100`` (the publisher's 0-100 variant of that matrix, 2015-12-08),
        ``hofstede_insights`` (``hofstede_insights.*``), ``difference``
        (Insights minus 2015), ``estimated`` (Insights marks the country's scores
        as estimates), ``kind`` (``same``; ``capped``: Insights equals the
        publisher's 0-100 variant, the 2015 value being above the 0-100 scale or at
        its top; ``revised``: any other change) and ``note``.

    Notes
    -----
    Of the 449 values present in both editions, 13 differ: seven 2015 values at or
    above 100 are pulled back to 98-100 (Malaysia and Slovakia PDI, Slovakia MAS,
    Greece, Portugal, Guatemala and Uruguay UAI), exactly as in the publisher's
    own 0-100 matrix; Egypt, Iraq and Saudi Arabia, whose Insights scores are
    estimates, have revised long-term orientation and indulgence. Hofstede
    Insights also adds countries and dimensions the matrix lacks (mostly
    estimates); those are not compared here.

    Examples
    --------
    >>> import cybercult as cc
    >>> t = cc.compare_hofstede_editions()
    >>> len(t), t["kind"].value_counts().to_dict()
    (13, {'capped': 7, 'revised': 6})
    """
    old = load_source("hofstede").data
    new = load_source("hofstede_insights").data
    old = old.assign(dimension=old["variable"].str.split(".").str[1])[["iso3", "dimension", "value"]]
    est = new[new["variable"] == "hofstede_insights.estimated"].set_index("iso3")["value"]
    new = new[new["variable"] != "hofstede_insights.estimated"]
    new = new.assign(dimension=new["variable"].str.split(".").str[1])[["iso3", "dimension", "value"]]
    out = old.rename(columns={"value": "hofstede_2015"}).merge(
        new.rename(columns={"value": "hofstede_insights"}), on=["iso3", "dimension"], how="inner")
    out = out.merge(_capped_matrix().rename(columns={"value": "hofstede_0_100"}), on=["iso3", "dimension"],
                    how="left")
    out["difference"] = out["hofstede_insights"] - out["hofstede_2015"]
    out["estimated"] = out["iso3"].map(est).eq(1)
    same = out["difference"].eq(0)
    capped = ~same & out["hofstede_insights"].eq(out["hofstede_0_100"]) & out["hofstede_2015"].ge(100)
    out["kind"] = "revised"
    out.loc[capped, "kind"] = "capped"
    out.loc[same, "kind"] = "same"
    out["note"] = ""
    out.loc[capped, "note"] = "2015 value at or above 100; Insights gives the publisher's 0-100 value"
    rev = out["kind"].eq("revised")
    out.loc[rev, "note"] = out.loc[rev, "estimated"].map(
        {True: "revised; Insights marks the country's scores as estimates",
         False: "revised (country not marked as estimated)"})
    out.loc[same, "note"] = "identical"
    out["country"] = out["iso3"].map(country_name)
    out["_order"] = out["dimension"].map({d: i for i, d in enumerate(_DIMS)})
    out = out.sort_values(["iso3", "_order"])
    if differing_only:
        out = out[out["kind"] != "same"]
    cols = ["iso3", "country", "dimension", "hofstede_2015", "hofstede_0_100", "hofstede_insights", "difference",
            "estimated", "kind", "note"]
    return out[cols].reset_index(drop=True)
