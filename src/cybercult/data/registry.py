"""The source registry: what each bundled dataset is, where it came from, its terms.

The registry lives in ``sources.toml`` next to this module. Every bundled file is
listed with its sha256; :func:`source_path` refuses a file whose bytes changed.
"""
from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from .._docstrings import fill_doc
from ..errors import DataIntegrityError, UnknownVariableError
from ._paths import raw_dir

_REGISTRY = Path(__file__).with_name("sources.toml")
_FIELDS = ("title", "publisher", "edition", "years", "block", "terms", "url", "copied_from", "citation")


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str
    edition: str
    years: str
    block: str
    terms: str
    url: str
    copied_from: str
    citation: str
    files: tuple[tuple[str, str], ...]  # (relative path, sha256)


@cache
def _registry() -> dict[str, Source]:
    with _REGISTRY.open("rb") as fh:
        raw = tomllib.load(fh)
    out = {}
    for sid, entry in raw.items():
        missing = [f for f in (*_FIELDS, "files") if f not in entry]
        if missing:
            raise DataIntegrityError(f"{_REGISTRY}: source [{sid}] lacks {', '.join(missing)}")
        files = tuple((f["path"], f["sha256"]) for f in entry["files"])
        out[sid] = Source(id=sid, files=files, **{k: entry[k] for k in _FIELDS})
    return out


@fill_doc
def get_source(source_id: str) -> Source:
    """Return the registry entry of ``source_id`` (error lists the valid ids).

    Parameters
    ----------
    {params.source_id}

    Returns
    -------
    Source
        Title, publisher, edition, licence terms, citation and files with sha256.

    Examples
    --------
    >>> from cybercult.data import get_source
    >>> get_source("gci2020").id
    'gci2020'
    """
    reg = _registry()
    if source_id not in reg:
        raise UnknownVariableError(source_id, reg, what="source")
    return reg[source_id]


def list_sources() -> pd.DataFrame:
    """The registry as a table, one row per source.

    Returns
    -------
    DataFrame
        Columns ``source, title, publisher, edition, years, block, terms, url,
        citation, files``.

    Examples
    --------
    >>> import cybercult as cc
    >>> "gci2020" in set(cc.list_sources()["source"])
    True
    """
    rows = []
    for s in _registry().values():
        rows.append({"source": s.id, **{k: getattr(s, k) for k in _FIELDS if k != "copied_from"},
                     "files": "; ".join(p for p, _ in s.files)})
    return pd.DataFrame(rows)


def sha256_file(path: Path) -> str:
    """Hex sha256 of the bytes of ``path``, read in 1 MiB chunks.

    Parameters
    ----------
    path : path
        The file to hash.
    """
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


_VERIFIED: set[Path] = set()


@fill_doc
def source_path(source_id: str, relpath: str | None = None) -> Path:
    """Path of a bundled file of ``source_id``, after checking its sha256.

    Parameters
    ----------
    {params.source_id}
    relpath : str, optional
        File of the source as registered in ``sources.toml``; default the
        source's first file.

    Returns
    -------
    Path

    Raises
    ------
    DataIntegrityError
        Naming the file and both hashes when the file does not match its
        registered sha256, or for a file not registered for the source.

    Examples
    --------
    >>> from cybercult.data import source_path
    >>> source_path("gci2020").is_file()
    True
    """
    src = get_source(source_id)
    known = dict(src.files)
    if relpath is None:
        relpath = src.files[0][0]
    if relpath not in known:
        raise DataIntegrityError(
            f"file {relpath!r} is not registered for source {source_id!r}; registered: {', '.join(known)}"
        )
    path = raw_dir() / relpath
    if path not in _VERIFIED:
        if not path.is_file():
            raise DataIntegrityError(f"bundled file missing: {path} (source {source_id!r})")
        actual = sha256_file(path)
        if actual != known[relpath]:
            raise DataIntegrityError(
                f"bundled file {path} has sha256 {actual}, expected {known[relpath]} "
                f"(source {source_id!r}); raw files must not be edited: put fixes in the corrections table"
            )
        _VERIFIED.add(path)
    return path


def input_hashes() -> pd.DataFrame:
    """sha256 of every registered file (as registered and as found)."""
    rows = []
    for s in _registry().values():
        for rel, sha in s.files:
            p = raw_dir() / rel
            rows.append({"source": s.id, "file": rel, "sha256": sha,
                         "ok": p.is_file() and sha256_file(p) == sha})
    return pd.DataFrame(rows)
