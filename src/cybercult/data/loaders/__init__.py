"""One loader per bundled source, and the common path they all take.

A loader module ``cybercult.data.loaders.<source>`` defines:

``SOURCE``      the registry id;
``VARIABLES``   list of :class:`~cybercult.data.catalogue.Variable`;
``OVERRIDES``   dict raw name -> ISO3 for names country_converter cannot match;
``EXCLUDE``     dict raw name -> reason for rows that are not countries;
``CODES``       True when the ``name`` column holds ISO3-like codes;
``read()``      returns the raw values as a DataFrame with columns
                ``name`` (str, as published), ``year`` (int), ``variable`` (id),
                ``value`` (float, NaN for the source's missing markers);
``check(df)``   optional, returns a list of notes (e.g. a published-count check).

:func:`load_source` then applies the corrections table, harmonises names to
ISO3, drops excluded rows (recording why) and returns tidy long data.
"""
from __future__ import annotations

import importlib
import warnings
from dataclasses import dataclass, field
from functools import cache

import pandas as pd

from ...errors import DataIntegrityError, OutOfRangeWarning, UnknownVariableError
from ..countries import country_name, harmonise

LOADERS = (
    "hofstede", "hofstede_insights", "schwartz", "wvs", "globe",
    "gci2017", "gci2018", "gci2020", "gci2024", "ncsi",
    "eiu", "fh", "vdem", "wgi", "cpi",
    "sipri", "wdi_af",
    "wdi", "wdi_net", "undp", "egdi2022", "idi2017",
)

LONG_COLUMNS = ["iso3", "country", "year", "variable", "value"]


@dataclass(frozen=True)
class SourceData:
    """What one loader produced.

    ``data``: tidy long table ``iso3, country, year, variable, value``;
    ``excluded``: ``source, name, reason`` for rows dropped on purpose;
    ``corrections``: corrections applied (old, new, reason, evidence);
    ``notes``: results of the loader's own checks.
    """

    source: str
    data: pd.DataFrame
    excluded: pd.DataFrame
    corrections: pd.DataFrame
    notes: tuple[str, ...] = field(default_factory=tuple)


def loader_module(source_id: str):
    if source_id not in LOADERS:
        raise UnknownVariableError(source_id, LOADERS, what="source")
    return importlib.import_module(f"{__name__}.{source_id}")


@cache
def _load(source_id: str) -> SourceData:
    from ..corrections import apply_corrections

    mod = loader_module(source_id)
    raw = mod.read()
    need = ["name", "year", "variable", "value"]
    missing = [c for c in need if c not in raw.columns]
    if missing:
        raise DataIntegrityError(f"loader {source_id!r} returned no column(s) {missing}")
    known = {v.id for v in mod.VARIABLES}
    unknown = set(raw["variable"]) - known
    if unknown:
        raise DataIntegrityError(f"loader {source_id!r} returned variables not in its VARIABLES: {sorted(unknown)}")
    raw = raw[need].copy()
    raw["name"] = raw["name"].astype(str)
    raw["value"] = pd.to_numeric(raw["value"], errors="raise").astype(float)
    raw["year"] = raw["year"].astype(int)
    raw, corrected = apply_corrections(raw, source_id)
    matched, excluded = harmonise(raw["name"], source=source_id, overrides=getattr(mod, "OVERRIDES", {}),
                                  exclude=getattr(mod, "EXCLUDE", {}), codes=getattr(mod, "CODES", False))
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
    excl = pd.DataFrame([{"source": source_id, "name": n, "reason": r} for n, r in excluded.items()],
                        columns=["source", "name", "reason"])
    notes = list(getattr(mod, "check", lambda df: [])(data))
    for v in mod.VARIABLES:
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
