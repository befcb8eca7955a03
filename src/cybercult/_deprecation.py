"""Renamed keyword arguments: the old name works for one release, with a ``DeprecationWarning``."""
from __future__ import annotations


def renamed_argument(new_value, old_value, *, old: str, new: str, fn: str, default=None):
    """The value of a renamed keyword, accepting the old name for one release with a ``DeprecationWarning``.

    ``old_value`` is ``None`` when the caller did not use the old name. Giving both names is an error.
    """
    import warnings

    if old_value is None:
        return new_value
    if not (new_value is default or new_value == default):  # the new name was given too
        raise TypeError(f"{fn}() got both {old}= and {new}=; use {new}= only")
    warnings.warn(f"{fn}(): {old}= is deprecated and will be removed in the next release; use {new}= instead",
                  DeprecationWarning, stacklevel=3)
    return old_value
