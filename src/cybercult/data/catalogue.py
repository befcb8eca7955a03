"""The variable catalogue: id, label, unit, usual range, source, block, direction.

Labels and units for tables and figures come from here, never from raw ids.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from ..errors import UnknownVariableError

TIMINGS = ("yearly", "static", "latest")
BLOCKS = ("outcome", "development", "politics", "military", "culture", "user")


@dataclass(frozen=True)
class Variable:
    """One variable of the catalogue.

    ``timing``: ``yearly`` (reference year or nearest earlier year within the
    window), ``static`` (one value per country, e.g. one edition of an index) or
    ``latest`` (most recent survey wave of each country).
    ``levels``: for ordered categories, ``((code, label), ...)``.
    """

    id: str
    label: str
    unit: str
    low: float | None
    high: float | None
    higher_is: str
    timing: str
    block: str
    description: str = ""
    levels: tuple[tuple[int, str], ...] = field(default_factory=tuple)

    def __post_init__(self):
        if "." not in self.id:
            raise ValueError(f"variable id {self.id!r} must look like 'source.variable'")
        if self.timing not in TIMINGS:
            raise ValueError(f"variable {self.id!r}: timing {self.timing!r} not in {TIMINGS}")
        if self.block not in BLOCKS:
            raise ValueError(f"variable {self.id!r}: block {self.block!r} not in {BLOCKS}")

    @property
    def source(self) -> str:
        return self.id.split(".", 1)[0]

    @property
    def axis_label(self) -> str:
        return f"{self.label} ({self.unit})" if self.unit else self.label

    @property
    def is_categorical(self) -> bool:
        return bool(self.levels)

    def out_of_range(self, values: pd.Series) -> pd.Series:
        lo = -math.inf if self.low is None else self.low
        hi = math.inf if self.high is None else self.high
        return values.notna() & ((values < lo) | (values > hi))


_EXTRA: dict[str, Variable] = {}  # variables registered at run time (user data)


def _all() -> dict[str, Variable]:
    from .loaders import LOADERS, loader_module
    from .derived import DERIVED

    out: dict[str, Variable] = {}
    for sid in LOADERS:
        for v in loader_module(sid).VARIABLES:
            out[v.id] = v
    for v, _deps, _fn in DERIVED.values():
        out[v.id] = v
    out.update(_EXTRA)
    return out


def register_variable(var: Variable) -> None:
    """Add a user variable (from bring-your-own data) to the catalogue."""
    _EXTRA[var.id] = var


def get_variable(var_id: str) -> Variable:
    """Catalogue entry of ``var_id``; unknown ids raise with a suggestion and the valid ids."""
    allv = _all()
    if var_id not in allv:
        raise UnknownVariableError(var_id, allv)
    return allv[var_id]


def variable_ids() -> list[str]:
    return list(_all())


def label(var_id: str, *, unit: bool = False) -> str:
    """Human label of a variable id (falls back to the id for unknown columns)."""
    allv = _all()
    if var_id not in allv:
        return var_id
    return allv[var_id].axis_label if unit else allv[var_id].label


def catalogue() -> pd.DataFrame:
    """The catalogue as a table, one row per variable.

    Returns
    -------
    DataFrame
        Columns ``variable, label, unit, low, high, higher_is, timing, block,
        source, levels, description``.
    """
    rows = [
        {"variable": v.id, "label": v.label, "unit": v.unit, "low": v.low, "high": v.high,
         "higher_is": v.higher_is, "timing": v.timing, "block": v.block, "source": v.source,
         "levels": "; ".join(f"{c}={lab}" for c, lab in v.levels), "description": v.description}
        for v in _all().values()
    ]
    return pd.DataFrame(rows)
