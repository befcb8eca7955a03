"""Regions of countries for Galton's problem: neighbours share culture and policy, so a
cross-country regression can mistake diffusion for cause. Region fixed effects and
region-clustered errors in :func:`~cybercult.stats.specification_curve` use these groups."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ._validate import check_choice

__all__ = ["regions"]


def regions(index, *, classification: str = "continent", min_size: int = 3) -> pd.Series:
    """Region of each country from country_converter's classifications (read locally).

    Parameters
    ----------
    index : sequence of str
        ISO3 codes (e.g. ``data.index``).
    classification : {"continent", "Continent_7", "UNregion"}, default "continent"
        Column of country_converter's table: 5 continents (America as one),
        7 continents (North and South America), or the 22 UN geoscheme subregions.
    min_size : int, default 3
        Regions with fewer countries in ``index`` are pooled into ``"Other"``
        (a region of one country would give that country leverage 1 under
        fixed effects); if the pool is still smaller it joins the smallest
        region left.

    Returns
    -------
    Series
        Index as ``index``, region names; NaN for codes country_converter does not know.

    Examples
    --------
    >>> regions(["DEU", "FRA", "ITA", "JPN"], min_size=1).tolist()
    ['Europe', 'Europe', 'Europe', 'Asia']
    """
    from ..data.countries import _converter

    table = _converter().data
    valid = [c for c in ("continent", "Continent_7", "UNregion") if c in table.columns]
    check_choice(classification, valid, "classification")
    idx = pd.Index([str(i) for i in index])
    lookup = dict(zip(table["ISO3"], table[classification]))
    reg = pd.Series([lookup.get(i, np.nan) for i in idx], index=idx, dtype=object)
    counts = reg.value_counts()
    small = counts[counts < min_size].index
    if len(small) and len(counts) > len(small):
        reg = reg.where(~reg.isin(small), "Other")
        counts = reg.value_counts()
        if "Other" in counts and counts["Other"] < min_size:
            rest = counts.drop("Other").sort_values(kind="stable")
            reg = reg.replace("Other", rest.index[0])
    return reg
