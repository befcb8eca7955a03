"""Errors and warnings a user can filter or catch.

Every error a user can cause is a ``ValueError`` or ``TypeError`` subclass whose
message names the file, row, column or key involved and lists valid choices.
"""
from __future__ import annotations

import difflib
from collections.abc import Iterable


class CybercultError(Exception):
    """Base class of cybercult's own errors."""


class DataIntegrityError(CybercultError, ValueError):
    """A bundled file or table is not what the registry or a correction expects."""


class UnmatchedCountryError(CybercultError, ValueError):
    """One or more country names match no country, or more than one."""

    def __init__(self, problems: list[tuple[str, str, str]], hint: str | None = None):
        # problems: (source, name, what went wrong); hint: what the reader can do about it
        self.problems = list(problems)
        lines = [f"  {src}: {name!r} ({why})" for src, name, why in self.problems]
        super().__init__(
            f"{len(self.problems)} country name(s) could not be matched to exactly one ISO3 code:\n"
            + "\n".join(lines)
            + "\n" + (hint or "Add an override (name -> ISO3) or an exclusion with its reason for each.")
        )


class UnknownVariableError(CybercultError, KeyError, ValueError):
    """A variable id is not in the catalogue or not in the data."""

    def __init__(self, name: str, valid: Iterable[str], what: str = "variable"):
        valid = sorted(set(valid))
        close = difflib.get_close_matches(str(name), valid, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        shown = ", ".join(valid[:60]) + (" ..." if len(valid) > 60 else "")
        self.msg = f"unknown {what} {name!r}{hint} valid: {shown}"
        super().__init__(self.msg)

    def __str__(self) -> str:  # KeyError would repr() the message otherwise
        return self.msg


class StudyFileError(CybercultError, ValueError):
    """A study file is malformed, has an unknown key or a bad value."""


class UserDataError(CybercultError, ValueError):
    """A user-supplied indicator file failed validation."""


class CybercultWarning(UserWarning):
    """Base class of cybercult's warnings."""


class FewObservationsWarning(CybercultWarning):
    """Fewer than 10 countries per predictor (or another small-sample condition)."""


class SingularResampleWarning(CybercultWarning):
    """Some bootstrap resamples or deleted samples gave a singular design and were left out."""


class OutOfRangeWarning(CybercultWarning):
    """Values outside the usual range of a variable."""


class TierCheckWarning(CybercultWarning):
    """Derived GCI 2024 tier counts differ from those ITU reports."""


class OutputFolderError(CybercultError, ValueError):
    """An output folder that a run may not replace (it holds files cybercult did not write)."""


class NoValueInWindowWarning(CybercultWarning):
    """A yearly variable has no value within the reference year's window (the warning names the years it has)."""
