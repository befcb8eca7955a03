"""Known errors in raw files, fixed from a table with reasons, never by editing files."""
from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from .._docstrings import fill_doc
from ..errors import DataIntegrityError

_TABLE = Path(__file__).with_name("corrections.csv")
COLUMNS = ["source", "name", "year", "variable", "old_value", "new_value", "note", "evidence"]


@cache
def _table() -> pd.DataFrame:
    t = pd.read_csv(_TABLE, keep_default_na=False, na_values=[""], dtype={"name": str})
    if list(t.columns) != COLUMNS:
        raise DataIntegrityError(f"{_TABLE}: columns {list(t.columns)}, expected {COLUMNS}")
    return t


def corrections_table() -> pd.DataFrame:
    """All registered corrections (``source, name, year, variable, old_value, new_value, note, evidence``;
    ``note`` says why the old value is wrong).

    Examples
    --------
    >>> import cybercult as cc
    >>> t = cc.corrections_table()
    >>> bool(t["note"].str.len().gt(0).all())
    True
    """
    return _table().copy()


@fill_doc
def apply_corrections(raw: pd.DataFrame, source_id: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Apply the corrections of ``source_id`` to a loader's raw output.

    Parameters
    ----------
    raw : DataFrame
        A loader's long table (``name, year, variable, value``) before corrections.
    {params.source_id}

    Returns
    -------
    (DataFrame, DataFrame)
        The corrected table and the corrections applied.

    Each correction must find exactly one row (same name, year, variable) whose
    value equals ``old_value`` (to 1e-9; NaN matches NaN); otherwise the table
    is stale and :class:`DataIntegrityError` names the correction.
    """
    corr = _table()[_table()["source"] == source_id]
    raw = raw.copy()
    for i, c in corr.iterrows():
        hit = (raw["name"] == c["name"]) & (raw["year"] == int(c["year"])) & (raw["variable"] == c["variable"])
        if hit.sum() != 1:
            raise DataIntegrityError(
                f"corrections.csv row {i + 2}: {c['source']}/{c['name']!r}/{c['variable']}/{c['year']} "
                f"matches {int(hit.sum())} rows of the raw data, expected 1"
            )
        cur = raw.loc[hit, "value"].item()
        old = c["old_value"]
        same = (np.isnan(cur) and pd.isna(old)) or (not pd.isna(old) and abs(cur - float(old)) <= 1e-9)
        if not same:
            raise DataIntegrityError(
                f"corrections.csv row {i + 2}: {c['name']!r} {c['variable']} is {cur}, expected old value {old}; "
                "the raw file changed or the correction is wrong"
            )
        raw.loc[hit, "value"] = float(c["new_value"])
    return raw, corr.reset_index(drop=True)
