"""The tables of a study run: a declarative list (:data:`TABLES`) and the table a paper uses."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ._pipeline import _n, _pillars, _with_outcome

if TYPE_CHECKING:
    from .run import StudyResults


def _sensitivity_table(r: "StudyResults") -> dict:
    """Main model beside its refits on subsamples (e.g. measured-only culture scores): beta, CI, p."""
    if not r.sensitivity:
        return {}
    models = {"all countries": r.listwise, **{k.replace("_", " "): v for k, v in r.sensitivity.items()}}
    frames = []
    for name, mod in models.items():
        t = mod.table[mod.table["term"] != "const"][["term", "label", "beta", "beta_ci_low", "beta_ci_high",
                                                      "p_value", "p_adj"]].copy()
        t.insert(0, "sample", f"{name} (n = {_n(mod)})")
        frames.append(t)
    return {"": _with_outcome(pd.concat(frames, ignore_index=True), r.outcome)}


def _hofstede_editions(r: "StudyResults") -> dict:
    if not any(p.startswith(("hofstede.", "hofstede_insights.")) for p in r.study.predictors):
        return {}
    from .data.editions import compare_hofstede_editions

    return {"": compare_hofstede_editions()}


# name -> (what to write, LaTeX too, index). A getter returns one frame, or a dict of name suffix -> frame.
TABLES: dict[str, tuple[Callable, bool, bool]] = {
    "descriptives": (lambda r: r.descriptives, False, False),
    "correlations": (lambda r: r.correlations, True, False),
    "correlation_matrix": (lambda r: r.correlation_matrix, False, False),
    "groups": (lambda r: {f"{g}_{part}": _with_outcome(getattr(gr, part), r.outcome)
                          for g, gr in r.groups.items() for part in ("omnibus", "posthoc", "describe")}, False, False),
    "regression": (lambda r: _with_outcome(r.main.table, r.outcome), True, False),
    "regression_diagnostics": (lambda r: _with_outcome(
        r.main.diagnostics if isinstance(r.main.diagnostics, pd.DataFrame) else pd.DataFrame([r.main.diagnostics]),
        r.outcome), False, False),
    "models_side_by_side": (lambda r: r.side_by_side, True, True),
    "fractional_logit": (lambda r: {"": _with_outcome(r.checks["fractional_logit"].table, r.outcome)}
                         if "fractional_logit" in r.checks else {}, True, False),
    "ordinal_logit": (lambda r: {"": _with_outcome(r.checks["ordinal_logit"].table,
                                                   r.checks["ordinal_logit"].outcome)}
                      if "ordinal_logit" in r.checks else {}, True, False),
    "hierarchical": (lambda r: _with_outcome(r.hierarchy.steps, r.outcome), True, False),
    "bootstrap": (lambda r: _with_outcome(r.bootstrap.table, r.outcome), False, False),
    "permutation": (lambda r: _with_outcome(r.permutation, r.outcome), False, False),
    "leave_one_out": (lambda r: _with_outcome(r.leave_one_out, r.outcome), False, False),
    "specification_curve": (lambda r: r.spec.table, False, False),
    "specification_summary": (lambda r: r.spec.term_summary, False, False),
    "verdict": (lambda r: _with_outcome(r.verdict, r.outcome), True, False),
    "verdict_blocks": (lambda r: _with_outcome(r.verdict_blocks, r.outcome), False, False),
    "verdict_pillars": (lambda r: pd.concat([_with_outcome(v, y) for y, v in r.pillar_verdicts.items()],
                                            ignore_index=True), False, False),
    "specification_pillars": (lambda r: {} if r.spec_pillars is None else {
        "summary": pd.concat([r.spec_pillars.summary_for(y).assign(outcome=y) for y in
                              sorted(set(r.spec_pillars.table["outcome"]))], ignore_index=True)}, False, False),
    "performers": (lambda r: _with_outcome(r.performers, r.outcome), False, False),
    "sensitivity": (_sensitivity_table, False, False),
    "hofstede_editions": (_hofstede_editions, False, False),
}


def _write_table(df: pd.DataFrame, folder: Path, name: str, *, latex: bool = False, index: bool = False) -> None:
    from .stats.results import frame_to_latex, frame_to_markdown

    df.to_csv(folder / f"{name}.csv", index=index, float_format="%.10g")
    (folder / f"{name}.md").write_text(frame_to_markdown(df, digits=4, index=index) + "\n")
    if latex:
        (folder / f"{name}.tex").write_text(frame_to_latex(df, digits=3, index=index) + "\n")


def write_tables(results: StudyResults, folder: str | Path) -> list[Path]:
    """Write every table of :data:`TABLES` (CSV and Markdown; LaTeX for the main ones) and the panel files.

    Returns the files written.
    """
    folder = Path(folder)
    tables = folder / "tables"
    tables.mkdir(parents=True, exist_ok=True)
    panel = results.panel
    panel.data.to_csv(folder / "panel.csv", float_format="%.10g")
    panel.years.to_csv(folder / "panel_years.csv")
    panel.audit.to_csv(folder / "audit.csv", index=False)
    panel.excluded_rows.to_csv(folder / "excluded_rows.csv", index=False)
    panel.corrections.to_csv(folder / "corrections.csv", index=False)
    panel.name_matches.to_csv(folder / "name_matches.csv", index=False)
    for name, (get, latex, index) in TABLES.items():
        got = get(results)
        parts = got if isinstance(got, dict) else {"": got}
        for suffix, df in parts.items():
            full = name if not suffix else f"{name}_{suffix}"
            _write_table(df, tables, full, latex=latex, index=index)
    (tables / "regression_summary.txt").write_text(results.main.summary())
    write_paper_table(results, tables)
    return sorted(p for p in folder.rglob("*") if p.is_file())


def _paper_models(r: StudyResults) -> list:
    """The main model and its alternative outcomes: the columns of the paper table."""
    _, alts = _pillars(r.study)
    return [r.main] + [r.models[y] for y in alts if y in r.models]


def write_paper_table(results: StudyResults, folder: str | Path) -> list[Path]:
    """``publication.tex`` (booktabs, fits a page), ``.docx`` (Word) and ``.html``: the table a paper uses.

    The other LaTeX files under ``tables/`` are data exports (``regression.tex`` has every column) and are
    not meant to fit a page.
    """
    from .report.publication import write_publication_tables

    coef = results.study.config["tables"]["publication_coef"]
    return write_publication_tables(_paper_models(results), folder, coef=coef)
