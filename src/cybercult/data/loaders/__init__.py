"""One loader per bundled source, and the common path they all take.

A loader module ``cybercult.data.loaders.<source>`` defines ``SOURCE`` (its id),
``read()``, which returns the raw values as a DataFrame with columns ``name``
(str, as published), ``year`` (int), ``variable`` (id) and ``value`` (float, NaN
for the source's missing markers), and ``VARIABLES``, the source's
:class:`~cybercult.data.variables.Variable` list; where the source needs them,
also ``OVERRIDES`` (name -> ISO3), ``EXCLUDE`` (name -> why the row is not a
country), ``CODES = True`` (names are codes) and ``check(df)``. Each module is
registered here, explicitly, as a :class:`Loader` record in :data:`LOADERS`.

:func:`load_source` then applies the corrections table, harmonises names to
ISO3, drops excluded rows (recording why) and returns tidy long data.
"""
from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache

import pandas as pd

from ..._docstrings import fill_doc
from ...errors import DataIntegrityError, OutOfRangeWarning, UnknownVariableError
from ..corrections import apply_corrections
from ..countries import country_name, harmonise
from ..variables import Variable
from . import (cpi, egdi2022, eiu, fh, gci2017, gci2018, gci2020, gci2024, globe, hofstede, hofstede_insights, idi2017,
               ncsi, schwartz, sipri, undp, vdem, wdi, wdi_af, wdi_net, wgi, wvs)

__all__ = ["LOADERS", "LONG_COLUMNS", "Loader", "SourceData", "get_loader", "load_all", "load_source"]


def _no_check(df: pd.DataFrame) -> list[str]:
    return []


@dataclass(frozen=True)
class Loader:
    """How one bundled source is read and matched to countries.

    Attributes
    ----------
    id : str
        The registry id (``sources.toml``), e.g. ``"gci2020"``.
    read : callable
        ``read()`` returns the raw values: ``name, year, variable, value``.
    variables : tuple of Variable
        The catalogue entries of the source; ``read()`` returns no other ids.
    overrides : mapping
        Raw name -> ISO3 for names country_converter cannot match.
    exclude : mapping
        Raw name -> why the row is dropped, for rows that are not countries (aggregates, regions);
        the ``note`` of its row in ``excluded``.
    codes : bool
        The ``name`` column holds ISO3-like codes rather than names.
    check : callable
        ``check(data)`` on the tidy long data returns notes (e.g. a published-count check).
    """

    id: str
    read: Callable[[], pd.DataFrame]
    variables: tuple[Variable, ...]
    overrides: Mapping[str, str] = field(default_factory=dict)
    exclude: Mapping[str, str] = field(default_factory=dict)
    codes: bool = False
    check: Callable[[pd.DataFrame], list[str]] = _no_check

    def __post_init__(self):
        object.__setattr__(self, "variables", tuple(self.variables))
        wrong = [v.id for v in self.variables if v.source != self.id]
        if wrong:
            raise DataIntegrityError(f"loader {self.id!r}: variable id(s) {wrong} must start with '{self.id}.'")


#: The bundled sources, in the order the catalogue lists them. Written out, not discovered: a
#: keyword a module's record needs is named here, so a misspelt constant fails at import.
LOADERS: dict[str, Loader] = {ld.id: ld for ld in (
    Loader(hofstede.SOURCE, hofstede.read, hofstede.VARIABLES, overrides=hofstede.OVERRIDES, exclude=hofstede.EXCLUDE),
    Loader(hofstede_insights.SOURCE, hofstede_insights.read, hofstede_insights.VARIABLES,
           check=hofstede_insights.check),
    Loader(schwartz.SOURCE, schwartz.read, schwartz.VARIABLES, overrides=schwartz.OVERRIDES, exclude=schwartz.EXCLUDE),
    Loader(wvs.SOURCE, wvs.read, wvs.VARIABLES, overrides=wvs.OVERRIDES, exclude=wvs.EXCLUDE, codes=wvs.CODES),
    Loader(globe.SOURCE, globe.read, globe.VARIABLES,
           overrides=globe.OVERRIDES, exclude=globe.EXCLUDE, check=globe.check),
    Loader(gci2017.SOURCE, gci2017.read, gci2017.VARIABLES),
    Loader(gci2018.SOURCE, gci2018.read, gci2018.VARIABLES),
    Loader(gci2020.SOURCE, gci2020.read, gci2020.VARIABLES, overrides=gci2020.OVERRIDES, check=gci2020.check),
    Loader(gci2024.SOURCE, gci2024.read, gci2024.VARIABLES, codes=gci2024.CODES, check=gci2024.check),
    Loader(ncsi.SOURCE, ncsi.read, ncsi.VARIABLES),
    Loader(eiu.SOURCE, eiu.read, eiu.VARIABLES, overrides=eiu.OVERRIDES, exclude=eiu.EXCLUDE),
    Loader(fh.SOURCE, fh.read, fh.VARIABLES, exclude=fh.EXCLUDE),
    Loader(vdem.SOURCE, vdem.read, vdem.VARIABLES),
    Loader(wgi.SOURCE, wgi.read, wgi.VARIABLES, overrides=wgi.OVERRIDES, exclude=wgi.EXCLUDE, codes=wgi.CODES),
    Loader(cpi.SOURCE, cpi.read, cpi.VARIABLES, overrides=cpi.OVERRIDES, codes=cpi.CODES),
    Loader(sipri.SOURCE, sipri.read, sipri.VARIABLES, exclude=sipri.EXCLUDE),
    Loader(wdi_af.SOURCE, wdi_af.read, wdi_af.VARIABLES, exclude=wdi_af.EXCLUDE),
    Loader(wdi.SOURCE, wdi.read, wdi.VARIABLES, exclude=wdi.EXCLUDE, codes=wdi.CODES),
    Loader(wdi_net.SOURCE, wdi_net.read, wdi_net.VARIABLES, exclude=wdi_net.EXCLUDE, codes=wdi_net.CODES),
    Loader(undp.SOURCE, undp.read, undp.VARIABLES, exclude=undp.EXCLUDE, codes=undp.CODES),
    Loader(egdi2022.SOURCE, egdi2022.read, egdi2022.VARIABLES, overrides=egdi2022.OVERRIDES, check=egdi2022.check),
    Loader(idi2017.SOURCE, idi2017.read, idi2017.VARIABLES, overrides=idi2017.OVERRIDES),
)}

LONG_COLUMNS = ["iso3", "country", "year", "variable", "value"]


@dataclass(frozen=True)
class SourceData:
    """What one loader produced.

    ``data``: tidy long table ``iso3, country, year, variable, value``;
    ``excluded``: ``source, name, note`` for rows dropped on purpose (``note`` says why);
    ``corrections``: corrections applied (old, new, note, evidence);
    ``notes``: results of the loader's own checks.
    """

    source: str
    data: pd.DataFrame
    excluded: pd.DataFrame
    corrections: pd.DataFrame
    notes: tuple[str, ...] = field(default_factory=tuple)


@fill_doc
def get_loader(source_id: str) -> Loader:
    """The :class:`Loader` record of a bundled source (unknown ids raise with the valid ones).

    Parameters
    ----------
    {params.source_id}

    Returns
    -------
    Loader
    """
    if source_id not in LOADERS:
        raise UnknownVariableError(source_id, LOADERS, what="source")
    return LOADERS[source_id]


@cache
def _load(source_id: str) -> SourceData:
    loader = get_loader(source_id)
    raw = loader.read()
    need = ["name", "year", "variable", "value"]
    missing = [c for c in need if c not in raw.columns]
    if missing:
        raise DataIntegrityError(f"loader {source_id!r} returned no column(s) {missing}")
    known = {v.id for v in loader.variables}
    unknown = set(raw["variable"]) - known
    if unknown:
        raise DataIntegrityError(f"loader {source_id!r} returned variables not in its VARIABLES: {sorted(unknown)}")
    raw = raw[need].copy()
    raw["name"] = raw["name"].astype(str)
    raw["value"] = pd.to_numeric(raw["value"], errors="raise").astype(float)
    raw["year"] = raw["year"].astype(int)
    raw, corrected = apply_corrections(raw, source_id)
    matched, excluded = harmonise(raw["name"], source=source_id, overrides=loader.overrides,
                                  exclude=loader.exclude, codes=loader.codes)
    keep = raw["name"].isin(matched)
    data = raw[keep & raw["value"].notna()].copy()
    data["iso3"] = data["name"].map(matched)
    data["country"] = data["iso3"].map(country_name)
    dup = data.duplicated(["iso3", "year", "variable"], keep=False)
    if dup.any():
        rows = data[dup].sort_values(["iso3", "variable", "year"]).head(10)
        raise DataIntegrityError(
            f"source {source_id!r}: several rows for the same country, year and variable:\n{rows.to_string()}"
        )
    data = data[LONG_COLUMNS].sort_values(["variable", "iso3", "year"]).reset_index(drop=True)
    excl = pd.DataFrame([{"source": source_id, "name": n, "note": r} for n, r in excluded.items()],
                        columns=["source", "name", "note"])
    notes = list(loader.check(data))
    for v in loader.variables:
        sub = data[data["variable"] == v.id]
        bad = sub[v.out_of_range(sub["value"])]
        if len(bad):
            msg = (f"{v.id}: {len(bad)} value(s) outside the usual range [{v.low}, {v.high}], e.g. "
                   + ", ".join(f"{r.iso3} {r.year} {r.value:g}" for r in bad.head(5).itertuples()))
            notes.append(msg)
            warnings.warn(msg, OutOfRangeWarning, stacklevel=3)
    return SourceData(source_id, data, excl, corrected, tuple(notes))


def load_source(source_id: str) -> SourceData:
    """Load one bundled source as tidy long data (cached; returns copies).

    Parameters
    ----------
    source_id : str
        A registry id, e.g. ``"gci2020"``; see :func:`cybercult.list_sources`.

    Returns
    -------
    SourceData
        ``.data`` has columns ``iso3, country, year, variable, value``.

    Examples
    --------
    >>> import cybercult as cc
    >>> gci = cc.load_source("gci2020").data
    >>> gci.query("iso3 == 'EST' and variable == 'gci2020.score'")["value"].item()
    99.48
    """
    sd = _load(source_id)
    return SourceData(sd.source, sd.data.copy(), sd.excluded.copy(), sd.corrections.copy(), sd.notes)


def load_all() -> dict[str, SourceData]:
    return {sid: load_source(sid) for sid in LOADERS}
