"""Small pieces the run's modules share: the logger, timed steps, model sizes, outcome columns, labels."""
from __future__ import annotations

import logging
import time
from contextlib import contextmanager

import pandas as pd

from .study import Study

log = logging.getLogger("cybercult")


@contextmanager
def _step(text: str):
    t = time.perf_counter()
    log.info("%s ...", text)
    yield
    log.info("  done in %.1f s", time.perf_counter() - t)


def _n(model) -> int:
    return int(model.diagnostics.get("n", len(model.data_used)))


def _with_outcome(df: pd.DataFrame, outcome: str) -> pd.DataFrame:
    """``df`` with an ``outcome`` column first (every table of model results names its outcome)."""
    if "outcome" in df.columns:
        return df
    out = df.copy()
    out.insert(0, "outcome", outcome)
    return out


def _pillars(st: Study) -> tuple[list[str], list[str]]:
    """The study's pillars and alternative outcomes without the outcome itself (and without repeats)."""
    m = st.config["model"]
    y = m["outcome"]
    pillars = [p for p in dict.fromkeys(m["pillars"]) if p != y]
    alts = [a for a in dict.fromkeys(m["alternative_outcomes"]) if a != y and a not in pillars]
    return pillars, alts


def _label(var: str) -> str:
    from .stats._validate import catalogue_label

    return catalogue_label(var)
