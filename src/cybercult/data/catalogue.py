"""The variable catalogue: id, label, unit, usual range, source, block, direction.

Labels and units for tables and figures come from here, never from raw ids.
The catalogue holds the bundled variables (each loader's and the derived ones);
a researcher's own indicators travel with their :class:`~cybercult.data.panel.Panel`
(``Panel.user_variables``) and are passed to these functions as ``user_variables``.
"""
from __future__ import annotations

from collections.abc import Mapping
from functools import cache

import pandas as pd

from .._docstrings import fill_doc
from ..errors import UnknownVariableError
from .derived import DERIVED
from .loaders import LOADERS
from .variables import BLOCKS, TIMINGS, Variable

__all__ = ["BLOCKS", "TIMINGS", "Variable", "catalogue", "get_variable", "label", "variable_ids"]

UserVariables = Mapping[str, Variable] | None


@cache
def _bundled() -> dict[str, Variable]:
    out: dict[str, Variable] = {}
    for loader in LOADERS.values():
        for v in loader.variables:
            out[v.id] = v
    for v, _deps, _fn in DERIVED.values():
        out[v.id] = v
    return out


def _all(user_variables: UserVariables = None) -> Mapping[str, Variable]:
    if not user_variables:
        return _bundled()
    return {**_bundled(), **user_variables}


def get_variable(var_id: str, user_variables: UserVariables = None) -> Variable:
    """Catalogue entry of ``var_id``; unknown ids raise with a suggestion and the valid ids.

    Parameters
    ----------
    var_id : str
        A variable id such as ``"gci2020.score"``.
    user_variables : mapping of id to Variable, optional
        A researcher's own variables (``Panel.user_variables``), looked up as well.

    Raises
    ------
    UnknownVariableError
        ``var_id`` is neither bundled nor in ``user_variables``.
    """
    allv = _all(user_variables)
    if var_id not in allv:
        raise UnknownVariableError(var_id, allv)
    return allv[var_id]


@fill_doc
def variable_ids(user_variables: UserVariables = None) -> list[str]:
    """Ids of the bundled variables (and of ``user_variables``, when given), in catalogue order.

    Parameters
    ----------
    {params.user_variables}

    Returns
    -------
    list of str

    Examples
    --------
    >>> from cybercult.data import variable_ids
    >>> "gci2020.score" in variable_ids()
    True
    """
    return list(_all(user_variables))


@fill_doc
def label(var_id: str, *, unit: bool = False, user_variables: UserVariables = None) -> str:
    """Human label of a variable id (falls back to the id for unknown columns).

    Parameters
    ----------
    {params.var_id}
    {params.unit}
    {params.user_variables}

    Returns
    -------
    str
        The label for people; ``var_id`` itself when the id is not in the catalogue.

    Examples
    --------
    >>> import cybercult as cc
    >>> cc.label("not.a.variable")
    'not.a.variable'
    >>> cc.label("gci2020.score") == cc.catalogue().set_index("variable").loc["gci2020.score", "label"]
    True
    """
    allv = _all(user_variables)
    if var_id not in allv:
        return var_id
    return allv[var_id].axis_label if unit else allv[var_id].label


def catalogue(user_variables: UserVariables = None) -> pd.DataFrame:
    """The catalogue as a table, one row per variable.

    Parameters
    ----------
    user_variables : mapping of id to Variable, optional
        A researcher's own variables (``Panel.user_variables``), listed after the bundled ones.

    Returns
    -------
    DataFrame
        Columns ``variable, label, unit, low, high, higher_is, timing, block,
        source, levels, description``.

    Examples
    --------
    >>> import cybercult as cc
    >>> cat = cc.catalogue().set_index("variable")
    >>> cat.loc["hofstede.idv", "block"], float(cat.loc["gci2020.score", "high"])
    ('culture', 100.0)
    """
    rows = [
        {"variable": v.id, "label": v.label, "unit": v.unit, "low": v.low, "high": v.high,
         "higher_is": v.higher_is, "timing": v.timing, "block": v.block, "source": v.source,
         "levels": "; ".join(f"{c}={lab}" for c, lab in v.levels), "description": v.description}
        for v in _all(user_variables).values()
    ]
    return pd.DataFrame(rows)
