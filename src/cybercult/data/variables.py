"""What a variable is: the :class:`Variable` record and its vocabularies.

This module imports nothing else from :mod:`cybercult.data`, so the loaders, the
derived variables, the user-data reader and the catalogue can all depend on it
without depending on each other.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

#: How a panel takes one value per country (see :class:`Variable`).
TIMINGS = ("yearly", "static", "latest")
#: Blocks of variables; ``user`` holds the researcher's own indicators.
BLOCKS = ("outcome", "development", "politics", "military", "culture", "user")
#: Block of every variable read from a researcher's own file.
USER_BLOCK = "user"


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
        """The label with the unit in brackets, for axes."""
        return f"{self.label} ({self.unit})" if self.unit else self.label

    @property
    def is_categorical(self) -> bool:
        """Whether the variable has coded levels."""
        return bool(self.levels)

    def out_of_range(self, values: pd.Series) -> pd.Series:
        """True where a value lies outside ``[low, high]`` (missing values are never out of range).

        Parameters
        ----------
        values : Series
            Values of this variable.
        """
        lo = -math.inf if self.low is None else self.low
        hi = math.inf if self.high is None else self.high
        return values.notna() & ((values < lo) | (values > hi))
