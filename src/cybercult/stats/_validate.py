"""Input checks shared by the stats functions.

Every check raises a ``ValueError`` / ``TypeError`` (or
:class:`~cybercult.errors.UnknownVariableError`) whose message names the
argument and the column, so a user knows what to fix.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from .._docstrings import DocstringComponents, fill_doc
from ..errors import UnknownVariableError

#: The arguments the column checks share; ``checked`` is the three of ``check_columns(data, columns, arg)``.
_CHECK_DOCS = DocstringComponents(dict(
    data="""
    data : DataFrame
        The table checked (one row per country).
    """,
    columns="""
    columns : sequence of str
        The columns checked.
    """,
    arg="""
    arg : str
        The argument the columns came from (``"predictors"``, ``"outcome"``, ...),
        named in the error message.
    """,
))
_CHECK_DOCS = _CHECK_DOCS | DocstringComponents(
    {"checked": "\n".join(getattr(_CHECK_DOCS, k) for k in ("data", "columns", "arg"))})

PADJUST_METHODS = ("fdr_bh", "holm", "bonferroni", "none")
COV_TYPES = ("nonrobust", "HC0", "HC1", "HC2", "HC3")


def check_frame(data, arg: str = "data") -> pd.DataFrame:
    """``data`` must be a non-empty DataFrame with unique column names and one row per country.

    Parameters
    ----------
    data : object
        What the user passed as the table.
    arg : str
        The argument's name, for the error message.

    Returns
    -------
    DataFrame
        ``data`` itself.
    """
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"{arg} must be a pandas DataFrame (one row per country), got {type(data).__name__}")
    if data.shape[0] == 0:
        raise ValueError(f"{arg} has no rows")
    dup = data.columns[data.columns.duplicated()].tolist()
    if dup:
        raise ValueError(f"{arg} has duplicated column names: {dup}")
    if data.index.has_duplicates:
        rep = sorted({str(i) for i in data.index[data.index.duplicated()]})
        raise ValueError(f"{arg} must have one row per country; repeated index values: {rep[:20]}")
    return data


@fill_doc(check=_CHECK_DOCS)
def as_list(value, arg: str, *, allow_none: bool = False) -> list[str] | None:
    """A column name or a sequence of names as a list; empty selections raise.

    Parameters
    ----------
    value : str or sequence of str or None
        What the user passed.
    {check.arg}
    allow_none : bool
        Return None for None instead of raising.

    Returns
    -------
    list of str or None
    """
    if value is None:
        if allow_none:
            return None
        raise ValueError(f"{arg} is empty: select at least one variable")
    if isinstance(value, str):
        out = [value]
    elif isinstance(value, Iterable):
        out = list(value)
    else:
        raise TypeError(f"{arg} must be a column name or a list of column names, got {type(value).__name__}")
    for v in out:
        if not isinstance(v, str):
            raise TypeError(f"{arg}: column names must be strings, got {v!r}")
    if not out:
        raise ValueError(f"{arg} is empty: select at least one variable")
    dup = sorted({v for v in out if out.count(v) > 1})
    if dup:
        raise ValueError(f"{arg} names the same column more than once: {dup}")
    return out


@fill_doc(check=_CHECK_DOCS)
def check_columns(data: pd.DataFrame, columns: Sequence[str], arg: str) -> None:
    """Every name in ``columns`` must be a column of ``data``.

    Parameters
    ----------
    {check.checked}

    Raises
    ------
    UnknownVariableError
        For the first unknown name, with the closest valid ones.
    """
    valid = [str(c) for c in data.columns]
    for c in columns:
        if c not in data.columns:
            raise UnknownVariableError(c, valid, what=f"variable in {arg}")


@fill_doc(check=_CHECK_DOCS)
def check_numeric(data: pd.DataFrame, columns: Sequence[str], arg: str) -> None:
    """Columns must hold finite numbers (or booleans); text and categories raise ``TypeError``,
    infinite values ``ValueError`` naming the rows. For ``arg == "predictors"`` the columns must
    also be identifiable (:func:`check_identifiable`).

    Parameters
    ----------
    {check.checked}

    Raises
    ------
    TypeError
        For a column of text or categories.
    ValueError
        For infinite values, or predictors that are not identifiable.
    """
    for c in columns:
        s = data[c]
        if not (pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s)):
            raise TypeError(
                f"{arg}: column {c!r} is not numeric (dtype {s.dtype}); convert it to numbers"
                + (" or pass it in categorical=" if arg == "predictors" else "")
            )
    check_finite(data, columns, arg)
    if arg == "predictors" and columns:
        check_identifiable(data, columns)


@fill_doc(check=_CHECK_DOCS)
def check_finite(data: pd.DataFrame, columns: Sequence[str], arg: str) -> None:
    """No infinite values (a country's value is never infinite; statsmodels would fail without naming it).

    Booleans pass; other values are read as numbers.

    Parameters
    ----------
    {check.checked}
    """
    for c in columns:
        s = data[c]
        if pd.api.types.is_bool_dtype(s):
            continue
        vals = pd.to_numeric(s, errors="coerce").astype(float)
        bad = vals[np.isinf(vals.to_numpy())]
        if len(bad):
            rows = ", ".join(f"{i} ({v:g})" for i, v in bad.head(10).items())
            raise ValueError(f"{arg}: column {c!r} has {len(bad)} infinite value(s): {rows}"
                             f"{' ...' if len(bad) > 10 else ''}; a value must be a finite number or missing")


@fill_doc(check=_CHECK_DOCS)
def check_identifiable(data: pd.DataFrame, columns: Sequence[str], *, intercept: bool = True) -> None:
    """Numeric predictors must not be a linear combination of one another (and the intercept).

    Checked on the rows complete on ``columns``: the singular values of the
    centred and scaled columns (centring stands for the intercept). A (near) zero
    singular value means the coefficients are not identifiable; its singular vector
    names the columns that form the combination.

    Parameters
    ----------
    {check.data}
    {check.columns}
    intercept : bool
        Whether the model has an intercept (the columns are then centred).

    Raises
    ------
    ValueError
        Naming the columns involved, e.g. ``'b' = 2 x 'a' + 1``.
    """
    cols = [c for c in columns if not pd.api.types.is_bool_dtype(data[c])]
    if len(cols) < 1:
        return
    X = data[cols].apply(pd.to_numeric, errors="coerce").astype(float).dropna()
    X = X[np.isfinite(X).all(axis=1)]
    n = len(X)
    if n < 2:
        return
    M = X.to_numpy()
    if intercept:
        M = M - M.mean(axis=0)
    scale = np.sqrt((M ** 2).sum(axis=0))
    zero = [c for c, sc in zip(cols, scale) if sc == 0]
    if zero:
        return  # constant columns are reported by check_not_constant with their value
    M = M / scale
    if n < len(cols) + int(intercept):
        return  # fewer rows than parameters: check_enough says so
    _u, sv, vt = np.linalg.svd(M, full_matrices=False)
    tol = 1e-8 * max(sv[0], 1.0)
    if sv[-1] > tol:
        return
    v = vt[-1]
    involved = [c for c, w in zip(cols, v) if abs(w) > 1e-6]
    text = ", ".join(repr(c) for c in involved)
    if len(involved) == 2:
        a, b = involved
        slope = np.polyfit(X[a], X[b], 1)
        text = f"{b!r} = {slope[0]:.6g} x {a!r} + {slope[1]:.6g}"
    raise ValueError(
        f"predictors are not identifiable: {text} over the {n} countries with complete values "
        f"({'a linear combination' if len(involved) > 2 else 'one is an exact linear function of the other'}); "
        "no estimate or interval can be given for them. Drop one of these predictors"
    )


@fill_doc(check=_CHECK_DOCS)
def check_not_constant(frame: pd.DataFrame, columns: Sequence[str], where: str = "") -> None:
    """Columns must take at least two distinct (non-missing) values.

    Parameters
    ----------
    frame : DataFrame
        The table checked (e.g. the complete cases of a model).
    {check.columns}
    where : str
        Appended to the message, e.g. ``" over the 80 complete cases"``.
    """
    for c in columns:
        s = frame[c].dropna()
        if len(s) == 0:
            raise ValueError(f"column {c!r} has no non-missing values{where}")
        if s.nunique() < 2:
            v = s.iloc[0]
            v = v.item() if hasattr(v, "item") else v
            raise ValueError(f"column {c!r} is constant{where} (every value is {v!r}); drop it")


def check_enough(n: int, k: int, what: str = "") -> None:
    """More observations than parameters.

    Parameters
    ----------
    n : int
        Complete observations.
    k : int
        Parameters to estimate.
    what : str
        Appended to "too few observations" in the message.
    """
    if n <= k:
        raise ValueError(
            f"too few observations{what}: n = {n} complete cases but {k} parameters to estimate; "
            "need n > number of parameters (use fewer predictors or fewer missing values)"
        )


def check_alpha(alpha) -> float:
    """``alpha`` must be a number strictly between 0 and 1.

    Parameters
    ----------
    alpha : object
        What the user passed as ``alpha``.

    Returns
    -------
    float
    """
    if not isinstance(alpha, (int, float)) or isinstance(alpha, bool) or not (0 < alpha < 1):
        raise ValueError(f"alpha must be a number strictly between 0 and 1, got {alpha!r}")
    return float(alpha)


@fill_doc(check=_CHECK_DOCS)
def check_choice(value, choices: Sequence[str], arg: str) -> str:
    """``value`` must be one of ``choices``; the message lists them.

    Parameters
    ----------
    value : object
        What the user passed.
    choices : sequence of str
        The valid values.
    {check.arg}

    Returns
    -------
    str
        ``value`` itself.
    """
    if value not in choices:
        raise ValueError(f"{arg} must be one of {list(choices)}, got {value!r}")
    return value


@fill_doc(check=_CHECK_DOCS)
def listwise(data: pd.DataFrame, columns: Sequence[str]) -> tuple[pd.DataFrame, list[str], str]:
    """Complete cases over ``columns``; returns the rows, the dropped ids and a sentence.

    Parameters
    ----------
    {check.data}
    {check.columns}

    Returns
    -------
    tuple of (DataFrame, list of str, str)
        The complete rows, the ids dropped, and a sentence such as
        ``"listwise: 80 of 81 countries, dropped: ..."``.
    """
    sub = data[list(columns)]
    keep = sub.notna().all(axis=1).to_numpy()
    used = data.loc[keep]
    dropped = [str(i) for i in data.index[~keep]]
    text = f"listwise: {int(keep.sum())} of {len(data)} countries" + (
        f", dropped: {', '.join(dropped)}" if dropped else ", none dropped"
    )
    return used, dropped, text


def padjust(p, method: str) -> np.ndarray:
    """Adjusted p-values (NaN stays NaN and does not count as a test).

    Parameters
    ----------
    p : array-like of float
        p-values of one family of tests.
    method : {"fdr_bh", "holm", "bonferroni", "none"}
        The correction (``statsmodels.stats.multitest.multipletests``).

    Returns
    -------
    ndarray
    """
    from statsmodels.stats.multitest import multipletests

    check_choice(method, PADJUST_METHODS, "padjust")
    p = np.asarray(p, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    if not ok.any():
        return out
    if method == "none":
        out[ok] = p[ok]
    else:
        out[ok] = multipletests(p[ok], method=method)[1]
    return out


PADJUST_NAMES = {"fdr_bh": "Benjamini-Hochberg", "holm": "Holm", "bonferroni": "Bonferroni", "none": "none"}


def _user_variables(data) -> dict:
    """The researcher's own catalogue entries carried by a panel's frame (``data.attrs["variables"]``)."""
    attrs = getattr(data, "attrs", None) or {}
    found = attrs.get("variables")
    return found if isinstance(found, dict) else {}


@fill_doc
def catalogue_label(var_id: str, data: pd.DataFrame | None = None) -> str:
    """Catalogue label of ``var_id``; the id itself when the catalogue does not know it.

    A researcher's own variables are found through ``data.attrs["variables"]`` (set by
    :func:`~cybercult.data.panel.build_panel`) when ``data`` is given.

    Parameters
    ----------
    {params.var_id}
    data : DataFrame, optional
        The panel's frame, whose ``attrs["variables"]`` holds the user's entries.
    """
    from ..data.catalogue import label

    return label(var_id, user_variables=_user_variables(data))


@fill_doc
def catalogue_variable(var_id: str, data: pd.DataFrame | None = None):
    """Catalogue entry of ``var_id`` or ``None`` for a column the catalogue does not know.

    Parameters
    ----------
    {params.var_id}
    data : DataFrame, optional
        As in :func:`catalogue_label`.
    """
    from ..data.catalogue import get_variable

    try:
        return get_variable(var_id, _user_variables(data))
    except UnknownVariableError:
        return None


@fill_doc
def catalogue_block(var_id: str) -> str:
    """Catalogue block of ``var_id`` (development, politics, ...); ``"user"`` when unknown.

    Parameters
    ----------
    {params.var_id}
    """
    v = catalogue_variable(var_id)
    return v.block if v is not None else "user"


# number and p-value formatting live on the ground floor (cybercult._format); kept importable here
from .._format import fmt_num, fmt_p  # noqa: E402,F401


def _outcome_scales(outcomes: Sequence[str], scales, data: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """(low, high) of each outcome for the fractional logit: given, else from the catalogue."""
    out = {}
    given = dict(scales or {})
    for y in outcomes:
        if y in given:
            v = given[y]
            low, high = (0.0, float(v)) if np.isscalar(v) else (float(v[0]), float(v[1]))
        else:
            var = catalogue_variable(y)
            if var is None or var.low is None or var.high is None:
                raise ValueError(f"the fractional logit needs the range of outcome {y!r}: give "
                                 f"scales={{{y!r}: maximum}} (or (minimum, maximum))")
            low, high = float(var.low), float(var.high)
        vals = pd.to_numeric(data[y], errors="coerce").dropna()
        bad = vals[(vals < low) | (vals > high)]
        if len(bad):
            raise ValueError(f"outcome {y!r} must lie in [{low:g}, {high:g}] for the fractional logit; outside: "
                             + ", ".join(f"{i} ({v:g})" for i, v in bad.head(10).items()))
        out[y] = (low, high)
    return out


# the deprecation helper lives on the ground floor (plots use it too); kept importable here
from .._deprecation import renamed_argument  # noqa: E402,F401
