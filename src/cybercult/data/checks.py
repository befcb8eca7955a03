"""Checks of a loaded source against counts its publisher reports.

They live above the loaders (a loader module never calls back into the loading
machinery, so the import graph of the data package has no circle); the loaders'
own ``check`` functions run on the data while it is being loaded.
"""
from __future__ import annotations

import pandas as pd

from .loaders import gci2024, load_source
from .loaders.gci2024 import _tier_table

__all__ = ["gci2024_tier_check"]


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
    statement of September 2024). The derived counts cover all 194 countries
    measured; on the Data360 series they are 46 / 29 / 49 / 56 / 14, so both
    published counts match. The cut-offs 95 and 55 are ITU's; 85 and 20 are
    confirmed only through these counts.

    Examples
    --------
    >>> from cybercult.data.checks import gci2024_tier_check
    >>> t = gci2024_tier_check().set_index("tier")
    >>> int(t.loc["3+4", "n_derived"]), int(t.loc["3+4", "n_itu"])
    (105, 105)
    """
    return _tier_table(load_source(gci2024.SOURCE).data)
