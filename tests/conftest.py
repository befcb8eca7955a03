"""Shared test plumbing: the headless backend, reference tables, closing figures, fresh loads."""
from __future__ import annotations

import sys
import warnings
from pathlib import Path

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")

#: Reference data and values computed independently (R, NIST, publishers); see reference/README.md.
REFERENCE = Path(__file__).parent / "reference"


def read_reference(name: str) -> pd.DataFrame:
    """A table of ``tests/reference`` with only empty cells read as missing ("NA" is a country code)."""
    return pd.read_csv(REFERENCE / name, keep_default_na=False, na_values=[""])


@pytest.fixture(scope="session")
def ref():
    """``ref("ref_ols_coef.csv")``: read a reference table (see :func:`read_reference`)."""
    return read_reference


@pytest.fixture(autouse=True)
def _close_figures():
    """Close every pyplot figure a test left open, whether it passed or failed."""
    yield
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")


def _load_fresh(source_ids) -> dict:
    """Each source loaded once, bypassing the loader cache, with the warnings that load emitted:
    ``{source_id: (SourceData, [warning, ...])}``."""
    from cybercult.data import loaders

    out = {}
    for sid in source_ids:
        with warnings.catch_warnings(record=True) as rec:
            warnings.simplefilter("always")
            sd = loaders._load.__wrapped__(sid)
        out[sid] = (sd, list(rec))
    return out


@pytest.fixture(scope="session")
def load_fresh():
    """``load_fresh(["gci2020", "ncsi"])``: uncached loads with their warnings (see :func:`_load_fresh`)."""
    return _load_fresh
