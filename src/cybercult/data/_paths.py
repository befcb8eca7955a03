"""Where the bundled raw data live: inside the wheel, or in the source checkout."""
from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def raw_dir() -> Path:
    """Folder holding ``data/raw`` (packaged as ``cybercult/_data/raw`` in the wheel)."""
    here = Path(__file__).resolve().parent.parent  # src/cybercult
    packaged = here / "_data" / "raw"
    if packaged.is_dir():
        return packaged
    checkout = here.parent.parent / "data" / "raw"  # repo/src/cybercult -> repo/data/raw
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(
        f"bundled data not found: looked in {packaged} and {checkout}; "
        "reinstall cybercult from a wheel or run from a source checkout"
    )
