"""The figures of a study run: a mapping of figure name -> drawing function, captions, the slide deck.

Figures are drawn in this process and, on two cores, half of them in a second process
(:mod:`cybercult._figure_worker`, started with ``subprocess``, so it works from a notebook
and from a script without a ``__main__`` guard).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ._pipeline import _label, _step, log

if TYPE_CHECKING:
    from .run import StudyResults


def _focus(r: StudyResults) -> str | None:
    """The focal-block factor with the largest standardized effect (for the scatter and added-variable plots)."""
    focal = r.study.blocks.get(r.study.config["model"]["focal_block"], [])
    v = r.verdict[r.verdict["term"].isin(focal)]
    if v.empty:
        return None
    return v.assign(a=v["estimate"].abs()).sort_values("a", ascending=False)["term"].iloc[0]


_MAP_AXES = ("wvs.surv_selfexp", "wvs.trad_secular")  # the Inglehart-Welzel cultural map


def _has_cultural_map(r: StudyResults) -> bool:
    """At least three countries have both cultural-map scores."""
    return int(r.data[list(_MAP_AXES)].notna().all(axis=1).sum()) >= 3


def figure_name(prefix: str, var: str) -> str:
    """File stem of a figure about one variable, e.g. ``groups_eiu_regime`` (no dots in file names)."""
    return f"{prefix}_{var.replace('.', '_')}"


def _fig_drivers(r, P):
    return P.plot_drivers(r.verdict)  # titled with the outcome and n by plot_drivers


def _fig_pillars(r, P):
    return P.plot_drivers_grid(r.pillar_verdicts)


def _spec_terms(r: StudyResults) -> list[str]:
    """The factors whose specification curve is drawn: drivers and blockers, and the focal block's largest effect."""
    v = r.verdict
    terms = list(v.loc[v["role"].isin(["driver", "blocker"]), "term"])
    focus = _focus(r)
    if focus is not None and focus not in terms:
        terms.append(focus)
    have = set(r.spec.table["term"]) if "term" in r.spec.table else set()
    return [t for t in terms if t in have][:3]


def _fig_spec(r, P, term):
    return P.plot_specification_curve(r.spec, term=term)


def _fig_scatter_dev(r, P):
    dev = r.study.blocks.get(r.study.config["model"]["control_block"], [])
    return P.plot_scatter(r.data, dev[0], r.outcome, max_labels=15)


def _fig_groups(r, P, g):
    return P.plot_groups(r.data, r.outcome, g, omnibus=r.groups.get(g))


def _perf_series(r: StudyResults, column: str) -> pd.Series:
    return r.performers.set_index("iso3")[column].rename(column)


def _figure_jobs(r: StudyResults) -> dict[str, Callable]:
    """Figure name -> function(results, plot module) drawing it: the figures this study can draw.

    The order is the order of the report and of the slide deck: question and sample, drivers and blockers,
    blocks, robustness, performers, then the companions.
    """
    from functools import partial

    m = r.study.config["model"]
    jobs: dict[str, Callable] = {
        "map_outcome": lambda r, P: P.plot_map(r.data[r.outcome], title=_label(r.outcome)),
        "drivers": _fig_drivers,
        "drivers_pillars": _fig_pillars,
        "hierarchy": lambda r, P: P.plot_hierarchy(r.hierarchy.steps, alpha=r.inference.alpha, outcome=r.outcome),
        **{figure_name("specification_curve", t): partial(_fig_spec, term=t) for t in _spec_terms(r)},
        "performers": lambda r, P: P.plot_performers(r.performers, outcome=r.outcome, alpha=r.inference.alpha),
        "map_performers": lambda r, P: P.plot_map(_perf_series(r, "status"), kind="categorical",
                                                  title="Over- and under-performers"),
        "map_residuals": lambda r, P: P.plot_map(_perf_series(r, "std_residual"), kind="diverging",
                                                 label="Standardized residual",
                                                 title="Above (+) or below (-) the model"),
        "correlation_heatmap": lambda r, P: P.plot_correlation_heatmap(r.correlation_matrix),
    }
    if _has_cultural_map(r):
        jobs["cultural_map"] = lambda r, P: P.plot_cultural_map(r.data, r.outcome)
    if r.study.blocks.get(m["control_block"]):
        jobs["scatter_development"] = _fig_scatter_dev
    focus = _focus(r)
    if focus is not None:
        jobs["scatter_culture"] = lambda r, P: P.plot_scatter(r.data, _focus(r), r.outcome, max_labels=15)
        jobs["added_variable_culture"] = lambda r, P: P.plot_added_variable(r.listwise, _focus(r))
    for g in m["group_by"]:
        jobs[figure_name("groups", g)] = partial(_fig_groups, g=g)
    return jobs


def figure_captions(r: StudyResults) -> dict[str, tuple[str, str]]:
    """Figure name -> (title, one-sentence reading computed from the results), for the report and the deck."""
    from .report import takeaways as T

    y, lab, inf = r.outcome, _label(r.outcome), r.inference
    n = int(r.verdict["n"].max())
    v = r.verdict
    named = {role: list(v.loc[v["role"] == role, "label"]) for role in ("driver", "blocker")}
    if named["driver"] or named["blocker"]:
        drivers = "; ".join(f"{role}s: {', '.join(names)}" for role, names in named.items() if names)
    else:
        drivers = "no factor passes the rule as a driver or a blocker"
    performers = T.performers_reading(r.performers, alpha=inf.alpha)
    out = {
        "map_outcome": (f"{lab} across the sample", T.map_reading(r.data[y], data=r.data)),
        "drivers": (f"Drivers and blockers of {lab} (n = {n})",
                    f"{drivers} ({inf.level} CI, {inf.correction})."),
        "drivers_pillars": ("Drivers and blockers by pillar",
                            f"The same rule applied to each pillar ({inf.level} CI, {inf.correction})."),
        "hierarchy": (f"What each block adds to {lab}", T.hierarchy_reading(r.hierarchy.steps, alpha=inf.alpha)),
        "performers": (f"Over- and under-performers on {lab}", performers),
        "map_performers": ("Where countries beat or miss the model", performers),
        "map_residuals": ("Standardized residuals of the main model",
                          "Countries in blue score above what development, politics, military and culture predict; "
                          "red below."),
        "correlation_heatmap": ("Correlations between the model's variables",
                                f"Pearson r with {inf.correction}-adjusted stars; n per pair in the table."),
    }
    if _has_cultural_map(r):
        out["cultural_map"] = ("Inglehart-Welzel cultural map", T.cultural_map_reading(r.data, y))
    dev = r.study.blocks.get(r.study.config["model"]["control_block"], [])
    if dev:
        out["scatter_development"] = (f"{_label(dev[0])} and {lab}", T.scatter_reading(r.data, dev[0], y))
    focus = _focus(r)
    if focus is not None:
        out["scatter_culture"] = (f"{_label(focus)} and {lab}", T.scatter_reading(r.data, focus, y))
        row = v.set_index("term").loc[focus]
        out["added_variable_culture"] = (
            f"{_label(focus)} holding the other factors fixed",
            f"Standardized effect beta = {row['estimate']:.2f} [{row['ci_low']:.2f}, {row['ci_high']:.2f}] "
            f"({row.get('ci_level', 1 - inf.alpha):.1%} CI, the interval the verdict rests on).")
    for g, gr in r.groups.items():
        out[figure_name("groups", g)] = (f"{lab} by {_label(g)}", T.groups_reading(gr))
    summ = r.spec.term_summary.set_index("term")
    for t in _spec_terms(r):
        row = summ.loc[t]
        region = ("" if pd.isna(row.get("n_specs_region", np.nan)) else
                  f"; with region fixed effects or region-clustered errors: "
                  f"{max(row['share_positive_significant_region'], row['share_negative_significant_region']):.0%}")
        out[figure_name("specification_curve", t)] = (
            f"How robust is {_label(t)}?",
            f"Same sign and significant in {row['share_same_sign_significant']:.0%} of {int(row['n_specs'])} "
            f"specifications{region}.")
    return out


def _draw_many(results: StudyResults, names, folder: Path, formats, style: str) -> None:
    """Draw and save ``names`` (in this process); every figure starts from matplotlib's defaults."""
    import matplotlib as mpl
    import matplotlib.pyplot as plt

    from . import plot as P
    from .plot._common import labels_from

    jobs = _figure_jobs(results)
    with mpl.rc_context(), labels_from(results.data):
        mpl.rcdefaults()  # the same start in every process: a notebook's rcParams never reach the files
        with P.style(style):
            for name in names:
                with _step(f"figure {name}"):
                    obj = jobs[name](results, P)
                    fig = obj if hasattr(obj, "savefig") else obj.figure
                    try:
                        P.save_figure(fig, folder / name, formats=formats)
                    finally:
                        plt.close(fig)


class _FigureWorker:
    """The second process of :func:`draw_figures` (see :mod:`cybercult._figure_worker`)."""

    def __init__(self):
        import subprocess
        import sys
        import tempfile

        self.err = tempfile.TemporaryFile()
        self.proc = subprocess.Popen([sys.executable, "-m", "cybercult._figure_worker"], stdin=subprocess.PIPE,
                                     stdout=subprocess.DEVNULL, stderr=self.err)

    def submit(self, payload) -> bool:
        """Hand the job over; False (and the worker ends) when it cannot be pickled."""
        import pickle

        try:
            data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, AttributeError, TypeError) as exc:
            log.info("figures drawn in one process: the results cannot be handed to a second one (%s)", exc)
            self.proc.stdin.close()
            return False
        try:
            self.proc.stdin.write(data)
        finally:
            self.proc.stdin.close()
        return True

    def wait(self) -> None:
        code = self.proc.wait()
        if code != 0:
            self.err.seek(0)
            tail = self.err.read().decode("utf-8", "replace").strip().splitlines()[-15:]
            raise RuntimeError("drawing figures failed in the worker process:\n" + "\n".join(tail))

    def kill(self) -> None:
        """Stop at once (before the caller removes the folder it writes into)."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def close(self) -> None:
        if self.proc.poll() is None:
            if not self.proc.stdin.closed:
                self.proc.stdin.close()  # an empty job: the worker ends quietly
            try:
                self.proc.wait(timeout=5)
            except Exception:  # noqa: BLE001 - it must not outlive the run whatever happened
                self.proc.kill()
                self.proc.wait()
        self.err.close()


def draw_figures(results: StudyResults, folder: str | Path, *, formats=None, style: str | None = None,
                 names=None, parallel: bool = False, _worker: _FigureWorker | None = None) -> dict[str, Path]:
    """Draw the study's figures into ``folder`` with :func:`~cybercult.plot.save_figure`.

    Every figure starts from matplotlib's defaults plus the study's style, is
    saved and closed; the global matplotlib state (backend, rcParams) is left as
    it was, so this is safe from a notebook, and the files do not depend on
    the caller's settings.

    Parameters
    ----------
    results : StudyResults
    folder : path
    formats : sequence of {"svg", "pdf", "png"}, optional
        Default: the study's ``figures.formats``.
    style : {"paper", "slides"}, optional
        Default: the study's ``figures.style``.
    names : sequence of str, optional
        Only these figures (default: all the study can draw).
    parallel : bool
        Draw half of the figures in a second process (started with
        ``subprocess``, so it is safe from a notebook or a script without a
        ``__main__`` guard). The files are the same either way.

    Returns
    -------
    dict
        Figure name -> path of its PNG (or of the first format written).
    """
    cfg = results.study.config["figures"]
    fmts = tuple(formats or cfg["formats"])
    style = style or cfg["style"]
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    jobs = list(_figure_jobs(results))
    if names is not None:
        unknown = sorted(set(names) - set(jobs))
        if unknown:
            raise ValueError(f"unknown figure(s) {unknown}; this study draws: {', '.join(jobs)}")
        jobs = [k for k in jobs if k in names]
    worker = _worker if _worker is not None else (_FigureWorker() if parallel and len(jobs) > 1 else None)
    try:
        if worker is None:
            _draw_many(results, jobs, folder, fmts, style)
        else:
            # the figures need no pooled MICE fit (statsmodels' MICE objects cannot be pickled)
            light = replace(results, main=results.listwise, models={})
            if worker.submit((light, jobs[1::2], folder, fmts, style)):
                _draw_many(results, jobs[0::2], folder, fmts, style)
                worker.wait()
            else:
                _draw_many(results, jobs, folder, fmts, style)
    except BaseException:
        if worker is not None:
            worker.kill()  # it must not go on writing into a folder that is about to be removed
        raise
    finally:
        if worker is not None and _worker is None:
            worker.close()
    return {name: folder / f"{name}.{'png' if 'png' in fmts else fmts[0]}" for name in jobs}


# the story of a talk: the question and the sample, drivers and blockers, blocks, robustness, performers
DECK_ORDER = ("map_outcome", "cultural_map", "drivers", "drivers_pillars", "hierarchy", "specification_curve",
              "performers", "map_performers", "scatter_culture", "added_variable_culture", "scatter_development")


def write_slides(results: StudyResults, figures: dict[str, Path], path: str | Path,
                 captions: dict[str, tuple[str, str]] | None = None) -> Path:
    """A 16:9 PowerPoint deck: title slide, then one slide per figure (in :data:`DECK_ORDER`) with its takeaway.

    Draw the figures in the slides style first (``draw_figures(results, folder, style="slides")``).
    """
    from .data.registry import list_sources
    from .report.deck import write_deck

    captions = captions or figure_captions(results)
    st = results.study
    used = {v.split(".")[0] for v in st.predictors + [results.outcome]}
    src = list_sources()
    source_names = ", ".join(src.loc[src["source"].isin(used), "title"].str.split(" \\(").str[0])
    n = int(results.verdict["n"].max())
    names = [k for stem in DECK_ORDER for k in figures if k == stem or k.startswith(stem + "_")]
    slides = [(figures[k], *captions[k]) for k in dict.fromkeys(names) if k in captions
              and str(figures[k]).endswith(".png")]
    return write_deck(path, title=st.config["study"]["title"],
                      subtitle_lines=[st.question, f"n = {n} countries in the main model "
                                                   f"({results.panel.n} in the panel); {results.inference.describe()}",
                                      f"Sources: {source_names}"],
                      slides=slides)
