"""What a variable is: the :class:`Variable` record and its vocabularies.

This module imports nothing else from :mod:`cybercult.data`, so the loaders, the
derived variables, the user-data reader and the catalogue can all depend on it
without depending on each other.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

#: How a panel takes one value per country (see :class:`Variable`).
TIMINGS = ("yearly", "static", "latest")
#: Blocks of variables; ``user`` holds the researcher's own indicators.
BLOCKS = ("outcome", "development", "politics", "military", "culture", "user")
#: Block of every variable read from a researcher's own file.
USER_BLOCK = "user"


def level_text(value) -> str:
    """A level value as text: whole floats without ``.0`` (``3.0`` -> ``"3"``), anything else as ``str``.

    Parameters
    ----------
    value : object
        A level of a grouping variable (a code such as ``3.0`` or ``"3"``, or a label).

    Returns
    -------
    str

    Examples
    --------
    >>> level_text(3.0), level_text("Flawed democracy")
    ('3', 'Flawed democracy')
    """
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value)


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

    def level_label(self, value) -> str:
        """The label of one level of this variable.

        Parameters
        ----------
        value : int, float or str
            A level code (``3``, ``3.0`` or ``"3"``) or any other group value.

        Returns
        -------
        str
            The catalogue's label of the code when ``levels`` has it, else the
            value as text (whole floats without ``.0``).

        Examples
        --------
        >>> v = Variable("x.status", "Status", "", 1, 3, "more free", "static", "politics",
        ...              levels=((1, "Free"), (2, "Partly free"), (3, "Not free")))
        >>> v.level_label(2.0), v.level_label("3"), v.level_label(4.0), v.level_label("other")
        ('Partly free', 'Not free', '4', 'other')
        """
        levels = dict(self.levels)
        if levels:
            try:
                code = float(value)
                if code.is_integer() and int(code) in levels:
                    return levels[int(code)]
            except (TypeError, ValueError):
                if value in levels:
                    return levels[value]
        return level_text(value)

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
