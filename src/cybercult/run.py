"""The pipeline that ties a study file to its outputs, as a list of named steps.

- :func:`compute` reads the data and runs every analysis; it writes nothing and
  returns a frozen :class:`StudyResults` (what a notebook user wants).
- :func:`write_tables` writes the tables listed in :data:`TABLES`.
- :func:`draw_figures` draws the figures listed in :data:`FIGURES`.
- :func:`cybercult.report.study_report.build_report` composes the report.
- :func:`run_study` ties them together inside :func:`cybercult.output.safe_output`,
  so a run never deletes a file it did not write and an interrupt leaves either
  the old output or the new one.

Progress goes to the ``logging`` logger ``"cybercult"`` (the command line shows
it unless ``--quiet``); the library prints nothing by itself.
"""
from __future__ import annotations

import json
import logging
import os
import time
import warnings
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from .study import Study, load_study

log = logging.getLogger("cybercult")


@contextmanager
def _step(text: str):
    t = time.perf_counter()
    log.info("%s ...", text)
    yield
    log.info("  done in %.1f s", time.perf_counter() - t)


@dataclass(frozen=True)
class StudyResults:
    """Every result of a study, in memory (from :func:`compute`; nothing is written).

    Attributes are the result objects and tidy tables of each step:
    ``panel`` (:class:`~cybercult.data.panel.Panel`), ``inference``
    (:class:`~cybercult.stats.inference.Inference`), ``main`` (the main model),
    ``listwise`` (the listwise OLS model that steps without a pooled
    multiple-imputation version use; ``main`` itself when missing data are
    handled listwise), ``models`` (outcome id -> model), ``verdict``,
    ``pillar_verdicts``, ``hierarchy``, ``groups``, ``checks`` (fractional and
    ordinal logit), ``bootstrap``, ``permutation``, ``leave_one_out``, ``spec``,
    ``performers``, ``notes`` (sentences the report must carry, e.g. which
    steps used the listwise model) and ``warnings`` (every warning raised).
    """

    study: Study
    inference: object
    panel: object
    descriptives: pd.DataFrame
    correlations: pd.DataFrame
    correlation_matrix: pd.DataFrame
    groups: dict
    main: object
    listwise: object
    models: dict
    side_by_side: pd.DataFrame
    checks: dict
    hierarchy: object
    bootstrap: object
    permutation: pd.DataFrame
    leave_one_out: pd.DataFrame
    spec: object
    verdict: pd.DataFrame
    pillar_verdicts: dict
    verdict_blocks: pd.DataFrame
    spec_pillars: object
    performers: pd.DataFrame
    sensitivity: dict = field(default_factory=dict)
    notes: tuple = ()
    warnings: tuple = ()
    timings: dict = field(default_factory=dict, compare=False)

    @property
    def outcome(self) -> str:
        return self.study.config["model"]["outcome"]

    @property
    def data(self) -> pd.DataFrame:
        return self.panel.data

    @property
    def headline(self) -> tuple[str, ...]:
        """The block and factor verdicts in sentences (what the report opens with)."""
        return headline(self)


def _n(model) -> int:
    return int(model.diagnostics.get("n", len(model.data_used)))


def _sensitivity_table(r: "StudyResults") -> dict:
    """Main model beside its refits on subsamples (e.g. measured-only culture scores): beta, CI, p."""
    if not r.sensitivity:
        return {}
    from . import stats as S

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


def _p_text(p: float) -> str:
    return "p < .001" if p < 0.001 else f"p = {p:.3f}".replace("0.", ".", 1)


def headline(r: "StudyResults") -> tuple[str, ...]:
    """The sentences a report opens with: the block verdict, then the factor verdict, with their numbers."""
    from .stats._validate import catalogue_label

    inf = r.inference
    out = []
    b = r.verdict_blocks
    for comparison, part in b.groupby("comparison", sort=False):
        bits = []
        for role in ("matters", "negligible", "inconclusive"):
            rows = part[part["role"] == role]
            if rows.empty:
                continue
            items = ", ".join(f"{row.block} (ΔR² = {row.delta_r2:.2f}, robust Wald {_p_text(row.robust_wald_p)}, "
                              f"adjusted {_p_text(row.p_adj)})" for row in rows.itertuples())
            verb = {"matters": "matter" if len(rows) > 1 else "matters", "negligible": "negligible",
                    "inconclusive": "inconclusive"}[role]
            bits.append(f"{items}: {verb}" if role != "matters" else f"{items} {verb}")
        out.append(f"Blocks {comparison}: " + "; ".join(bits) + ".")
    v = r.verdict
    parts = []
    for role in ("driver", "blocker", "negligible", "inconclusive"):
        rows = v[v["role"] == role]
        if rows.empty:
            continue
        if role == "inconclusive" and len(rows) > 3:
            parts.append(f"{len(rows)} factors inconclusive")
            continue
        items = ", ".join(f"{row.label} (β = {row.estimate:.2f} [{row.ci_low:.2f}, {row.ci_high:.2f}])"
                          for row in rows.itertuples())
        parts.append(f"{role}{'s' if len(rows) > 1 else ''}: {items}")
    out.append(f"Factors of {catalogue_label(r.outcome)} (n = {int(v['n'].max())}, {inf.correction}, alpha = "
               f"{inf.alpha:g}; intervals are the ones the decision rests on): " + "; ".join(parts) + ".")
    return tuple(out)


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


def compute(study: str | Path | Study | None = None) -> StudyResults:
    """Run every analysis of a study and return the results; write nothing.

    Parameters
    ----------
    study : path or Study, optional
        Study file (TOML) or a loaded :class:`~cybercult.study.Study`; default:
        the packaged default study.

    Returns
    -------
    StudyResults

    Examples
    --------
    >>> res = compute()  # doctest: +SKIP
    >>> res.verdict[["term", "role"]]  # doctest: +SKIP
    """
    from . import stats as S
    from .data.panel import build_panel
    from .stats import robustness as R
    from .stats.inference import Inference

    st = study if isinstance(study, Study) else load_study(study)
    cfg = st.config
    m, rob = cfg["model"], cfg["robustness"]
    inf = Inference(cfg["inference"]["alpha"], cfg["inference"]["padjust"])
    outcome, blocks, predictors = m["outcome"], st.blocks, st.predictors
    pillars, alts = _pillars(st)
    notes: list[str] = []
    if outcome in m["pillars"]:
        notes.append(f"The outcome {outcome} is also listed in model.pillars; it is modelled once, as the outcome.")
    rng = np.random.default_rng(rob["seed"])
    timings: dict[str, float] = {}

    @contextmanager
    def step(name: str, text: str):
        t = time.perf_counter()
        with _step(text):
            yield
        timings[name] = time.perf_counter() - t

    with warnings.catch_warnings(record=True) as wlist:
        warnings.simplefilter("always")
        insights = [p for p in predictors if p.startswith("hofstede_insights.")]
        variables = st.variables() + (["hofstede_insights.estimated"] if insights else []) + list(_MAP_AXES)
        with step("panel", "building the panel"):
            panel = build_panel(list(dict.fromkeys(variables)), cfg["data"]["year"], window=cfg["data"]["window"],
                                sample=cfg["data"]["sample"], outcome=outcome,
                                extra=cfg["data"]["extra"] or None,
                                country_map=cfg["data"]["country_map"] or None,
                                exact_names=cfg["data"]["exact_names"])
            data = panel.data
        with step("correlations", "descriptives and correlations"):
            model_vars = [outcome, *predictors]
            desc = data[model_vars].describe().T.reset_index(names="variable")
            desc.insert(1, "label", [S._validate.catalogue_label(v) for v in desc["variable"]])
            frames = [S.correlate(data, predictors, [outcome, *pillars], method=meth, **inf.kwargs())
                      for meth in m["correlation_methods"]]
            controls = blocks.get(m["control_block"], [])
            if controls:
                others = [p for p in predictors if p not in controls]
                frames.append(S.correlate(data, others, [outcome], method="pearson", covar=controls,
                                          **inf.kwargs()))
            corr = pd.concat(frames, ignore_index=True)
            full_corr = S.correlate(data, model_vars, method="pearson", **inf.kwargs())
        with step("groups", "group tests"):
            groups = {g: S.compare_groups(data, outcome, g, **inf.kwargs()) for g in m["group_by"]}
        with step("regressions", "regressions"):
            kw = dict(cov_type=m["cov_type"], **inf.kwargs())
            listwise = S.regress(data, outcome, predictors, **kw)
            if m["missing"] == "mice":
                main = S.regress(data, outcome, predictors, missing="mice", n_imputations=m["n_imputations"],
                                 seed=rob["seed"], **kw)
                notes.append(
                    f"Missing data: the main model pools {m['n_imputations']} imputations (MICE, Rubin's rules) "
                    f"on {main.diagnostics.get('n', '?')} countries. Steps without a pooled version use the "
                    f"listwise model ({int(listwise.diagnostics['n'])} countries): over/under-performers, "
                    "hierarchical steps, bootstrap, permutation, leave-one-out, specification curve, "
                    "fractional and ordinal logit, pillar and alternative-outcome models and the "
                    "added-variable plot.")
            else:
                main = listwise
            models = {outcome: main}
            for y in pillars + alts:
                models[y] = main if y == outcome else S.regress(data, y, predictors, **kw)
            side = S.compare_models(list(models.values()), names=list(models), alpha=inf.alpha)
            side.loc["note"] = ""
            side.iloc[-1, 0] = (side.attrs["note"] + f" Columns are outcome ids; standard errors {m['cov_type']}; "
                                "stars from unadjusted p. AIC follows statsmodels (the error variance is not counted "
                                "as a parameter; R's AIC() is 2 larger); lower is better, comparable only between "
                                "models of the same outcome on the same countries.")
            checks = {}
            if m["fractional_logit"]:
                checks["fractional_logit"] = S.fractional_logit(data, outcome, predictors, **inf.kwargs())
            if m["ordinal_logit"]:
                checks["ordinal_logit"] = S.ordinal_logit(data, m["ordinal_outcome"], predictors, **inf.kwargs())
            sensitivity = {}
            if insights and "hofstede_insights.estimated" in data:
                # estimated versus measured culture scores: the main model on the measured-only countries
                est = data["hofstede_insights.estimated"]
                measured = S.regress(data[est == 0], outcome, predictors, **kw)
                sensitivity["measured_only"] = measured
                n_est = int((est.loc[listwise.data_used.index] == 1).sum())
                notes.append(
                    f"Sensitivity: {n_est} of the {_n(listwise)} countries in the main model have Hofstede "
                    f"Insights scores that the publisher marks as estimates; refitted on the "
                    f"{_n(measured)} countries with measured scores only, see the table 'sensitivity'.")
        with step("hierarchy", "hierarchical regression"):
            hier = S.hierarchical(data, outcome, blocks, cov_type=m["cov_type"], **inf.kwargs())
        with step("robustness", f"robustness ({rob['n_boot']} bootstrap, {rob['n_perm']} permutations, "
                                "specification curve)"):
            boot = R.bootstrap(data, outcome, predictors, n_boot=rob["n_boot"], rng=rng, standardize=True,
                               ci=1 - inf.alpha)
            perm = R.permutation_test(data, outcome, predictors, n_perm=rob["n_perm"], rng=rng)
            loo = R.leave_one_out(data, outcome, predictors, standardize=True)
            spec_kw = dict(blocks=blocks, controls=rob["spec_controls"], estimators=tuple(rob["spec_estimators"]),
                           cov_type=m["cov_type"], alpha=inf.alpha, min_share=cfg["verdict"]["min_share"])
            if rob["spec_regions"]:  # Galton's problem: continents as fixed effects, UN subregions as clusters
                spec_kw.update(regions=R.regions(data.index),
                               clusters=R.regions(data.index, classification="UNregion", min_size=1))
            spec = R.specification_curves(data, outcomes=rob["spec_outcomes"],
                                          alternatives=rob["culture_alternatives"] or None, **spec_kw)
            spec_pillars = (R.specification_curves(data, outcomes=pillars, **spec_kw)
                            if rob["spec_pillars"] and pillars else None)
        with step("verdict", "verdict, block verdict and over/under-performers"):
            v = cfg["verdict"]
            vkw = dict(**inf.kwargs(), sesoi=v["sesoi"], min_share=v["min_share"])
            verdict = S.classify_factors(main, robustness=spec.summary if v["use_robustness"] else None,
                                         robustness_gate=v["robustness_gate"], **vkw)
            pillar_verdicts = {outcome: verdict}  # the grid: the outcome beside its pillars, one rule for all
            for y in pillars:
                rob_y = spec_pillars.summary_for(y) if (spec_pillars is not None and v["use_robustness"]) else None
                pillar_verdicts[y] = S.classify_factors(models[y], robustness=rob_y,
                                                        robustness_gate=v["robustness_gate"] and rob_y is not None,
                                                        **vkw)
            if pillars and v["robustness_gate"] and spec_pillars is None:
                notes.append("The pillar verdicts have no robustness gate: the pillars have no specification curve "
                             "(robustness.spec_pillars = false).")
            verdict_blocks = S.classify_blocks(listwise.data_used, outcome, blocks, control=m["control_block"] or None,
                                               cov_type=m["cov_type"], **inf.kwargs(), sesoi_f2=v["sesoi_f2"],
                                               n_perm=rob["n_perm"], rng=rng)
            perf = S.performers(listwise, alpha=inf.alpha)
    caught = tuple(sorted({f"{w.category.__name__}: {w.message}" for w in wlist}))
    shown = set()
    for w in wlist:  # recorded for the report, and shown to the caller once each (notebook, CLI)
        key = (w.category, str(w.message))
        if key not in shown:
            shown.add(key)
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return StudyResults(
        study=st, inference=inf, panel=panel, descriptives=desc, correlations=corr, correlation_matrix=full_corr,
        groups=groups, main=main, listwise=listwise, models=models, side_by_side=side, checks=checks,
        hierarchy=hier, bootstrap=boot, permutation=perm, leave_one_out=loo, spec=spec, verdict=verdict,
        pillar_verdicts=pillar_verdicts, verdict_blocks=verdict_blocks, spec_pillars=spec_pillars,
        performers=perf, sensitivity=sensitivity, notes=tuple(notes),
        warnings=caught, timings=timings)


# -- tables ---------------------------------------------------------------------------------------------------------
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
    "specification_summary": (lambda r: r.spec.summary, False, False),
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


# -- figures --------------------------------------------------------------------------------------------------------
def _label(var: str) -> str:
    from .stats._validate import catalogue_label

    return catalogue_label(var)


def _focus(r: StudyResults) -> str | None:
    """The focal-block factor with the largest standardized effect (for the scatter and added-variable plots)."""
    focal = r.study.blocks.get(r.study.config["model"]["focal_block"], [])
    v = r.verdict[r.verdict["term"].isin(focal)]
    if v.empty:
        return None
    return v.assign(a=v["estimate"].abs()).sort_values("a", ascending=False)["term"].iloc[0]


_MAP_AXES = ("wvs.surv_selfexp", "wvs.trad_secular")  # the Inglehart-Welzel cultural map


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
        **{f"specification_curve_{t.replace('.', '_')}": partial(_fig_spec, term=t) for t in _spec_terms(r)},
        "performers": lambda r, P: P.plot_performers(r.performers, outcome=r.outcome, alpha=r.inference.alpha),
        "map_performers": lambda r, P: P.plot_map(_perf_series(r, "status"), kind="categorical",
                                                  title="Over- and under-performers"),
        "map_residuals": lambda r, P: P.plot_map(_perf_series(r, "std_residual"), kind="diverging",
                                                 label="Standardized residual",
                                                 title="Above (+) or below (-) the model"),
        "correlation_heatmap": lambda r, P: P.plot_correlation_heatmap(r.correlation_matrix),
    }
    if r.data[list(_MAP_AXES)].notna().all(axis=1).sum() >= 3:
        jobs["cultural_map"] = lambda r, P: P.plot_cultural_map(r.data, r.outcome)
    if r.study.blocks.get(m["control_block"]):
        jobs["scatter_development"] = _fig_scatter_dev
    focus = _focus(r)
    if focus is not None:
        jobs["scatter_culture"] = lambda r, P: P.plot_scatter(r.data, _focus(r), r.outcome, max_labels=15)
        jobs["added_variable_culture"] = lambda r, P: P.plot_added_variable(r.listwise, _focus(r))
    for g in m["group_by"]:
        jobs[f"groups_{g.replace('.', '_')}"] = partial(_fig_groups, g=g)
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
    out = {
        "map_outcome": (f"{lab} across the sample", T.map_reading(r.data[y], data=r.data)),
        "drivers": (f"Drivers and blockers of {lab} (n = {n})",
                    f"{drivers} ({inf.level} CI, {inf.correction})."),
        "drivers_pillars": ("Drivers and blockers by pillar",
                            f"The same rule applied to each pillar ({inf.level} CI, {inf.correction})."),
        "hierarchy": (f"What each block adds to {lab}", T.hierarchy_reading(r.hierarchy.steps, alpha=inf.alpha)),
        "performers": (f"Over- and under-performers on {lab}", T.performers_reading(r.performers, alpha=inf.alpha)),
        "map_performers": ("Where countries beat or miss the model",
                           T.performers_reading(r.performers, alpha=inf.alpha)),
        "map_residuals": ("Standardized residuals of the main model",
                          "Countries in blue score above what development, politics, military and culture predict; "
                          "red below."),
        "correlation_heatmap": ("Correlations between the model's variables",
                                f"Pearson r with {inf.correction}-adjusted stars; n per pair in the table."),
    }
    if r.data[list(_MAP_AXES)].notna().all(axis=1).sum() >= 3:
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
            f"({inf.level} CI).")
    for g, gr in r.groups.items():
        out[f"groups_{g.replace('.', '_')}"] = (f"{lab} by {_label(g)}", T.groups_reading(gr))
    summ = r.spec.summary.set_index("term")
    for t in _spec_terms(r):
        row = summ.loc[t]
        region = ("" if pd.isna(row.get("n_specs_region", np.nan)) else
                  f"; with region fixed effects or region-clustered errors: "
                  f"{max(row['share_positive_significant_region'], row['share_negative_significant_region']):.0%}")
        out[f"specification_curve_{t.replace('.', '_')}"] = (
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


# -- the run --------------------------------------------------------------------------------------------------------
def _inputs(st: Study) -> list[Path]:
    files = [st.path] if st.path else []
    return files + [Path(p) for p in st.config["data"]["extra"]]


def _inside(child: Path, parent: Path) -> Path | None:
    """``child`` relative to ``parent`` when it lies inside it (or is it), else None."""
    c, p = child.resolve(), parent.resolve()
    if c == p:
        return Path(".")
    return c.relative_to(p) if p in c.parents else None


def run_study(study: str | Path | Study | None = None, *, out: str | Path | None = None, force: bool = False,
              style: str | None = None, formats=None, json_summary: bool = False) -> dict:
    """Run a whole study: panel and audit, tables, figures and report.

    Parameters
    ----------
    study : path or Study, optional
        Study file (TOML); default: the packaged default study.
    out : path, optional
        Output folder; default: the study's ``study.output`` (figures then also
        go to ``study.figures``).
    force : bool
        Accept an existing output folder that cybercult did not write: it is
        renamed aside to ``NAME.old-N``, never deleted.
    style, formats : optional
        Override the study's ``figures.style`` and ``figures.formats``.
    json_summary : bool
        Also print the summary as JSON on standard output (the command line's
        ``--json``). Progress goes to the ``logging`` logger ``"cybercult"``;
        the library prints nothing else by itself.

    Returns
    -------
    dict
        The summary (also written as ``summary.json``).

    Notes
    -----
    The output folder rule (see :mod:`cybercult.output`): a run writes only
    into a folder it creates, an empty folder, or a folder an earlier cybercult
    run wrote that holds nothing else. The folder is built beside the
    destination and swapped in only when every step succeeded; an interrupt
    leaves the old output. The figure folder obeys the same rule; when it lies
    inside the output folder the figures are written there directly.
    """
    from . import __version__
    from .output import check_destination, safe_output
    from .report.study_report import build_report

    st = study if isinstance(study, Study) else load_study(study)
    cfg = st.config
    if style is not None or formats is not None:
        st = st.with_overrides(figures={k: v for k, v in (("style", style), ("formats", formats)) if v is not None})
        cfg = st.config
    dest = Path(out if out is not None else cfg["study"]["output"])
    fig_dest = None if out is not None else Path(cfg["study"]["figures"])
    inputs = _inputs(st)
    fig_inside = None
    if fig_dest is not None:
        fig_inside = _inside(fig_dest, dest)
        if fig_inside == Path("."):
            raise ValueError(f"study.figures ({fig_dest}) is the output folder itself; name a subfolder, e.g. "
                             f"{dest / 'figures'}")
        if fig_inside is None:  # a separate folder: check it now, before the work
            check_destination(fig_dest, inputs=inputs, force=force, what="figure folder")
            if _inside(dest, fig_dest) is not None:
                raise ValueError(f"the output folder {dest} lies inside the figure folder {fig_dest}; "
                                 "choose folders that do not contain each other")
    check_destination(dest, inputs=inputs, force=force)
    t0 = time.perf_counter()
    # the figure worker imports matplotlib while this process computes (two cores: figures in half the time)
    worker = _FigureWorker() if (os.cpu_count() or 1) >= 2 else None
    try:
        results = compute(st)
        fmts = tuple(cfg["figures"]["formats"])
        draw_fmts = fmts if "png" in fmts else fmts + ("png",)  # the report embeds PNGs
        with safe_output(dest, version=__version__, inputs=inputs, force=force) as work:
            with _step("writing tables"):
                tables = write_tables(results, work)
            with _step("figures"):
                figs = draw_figures(results, work / "figures", formats=draw_fmts, _worker=worker)
            if fig_inside is not None and fig_inside != Path("figures"):
                import shutil

                shutil.copytree(work / "figures", work / fig_inside, dirs_exist_ok=True)
            captions = figure_captions(results)
            if (style or cfg["figures"]["style"]) == "slides":
                with _step("slide deck"):
                    write_slides(results, figs, work / "slides.pptx", captions)
            with _step("report"):
                rep = build_report(results, figs, captions)
                (work / "report.md").write_text(rep.to_markdown(fig_base=work))
                (work / "report.html").write_text(rep.to_html())
            summary = _summary(results, dest, work, tables, __version__)
            (work / "summary.json").write_text(json.dumps(summary, indent=2, sort_keys=True) + "\n")
    finally:
        if worker is not None:
            worker.close()
    if fig_dest is not None and fig_inside is None:
        with safe_output(fig_dest, version=__version__, inputs=inputs, force=force, what="figure folder") as fw:
            import shutil

            for f in sorted((dest / "figures").iterdir()):
                if f.suffix.lstrip(".") in fmts:
                    shutil.copy2(f, fw / f.name)
    log.info("finished in %.1f s: %d countries; report %s; figures in %s", time.perf_counter() - t0,
             results.panel.n, dest / "report.html", fig_dest or dest / "figures")
    if json_summary:
        print(json.dumps(summary, indent=2, sort_keys=True))
    return summary


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
    names = ", ".join(src.loc[src["source"].isin(used), "source"])
    n = int(results.verdict["n"].max())
    names = [k for stem in DECK_ORDER for k in figures if k == stem or k.startswith(stem + "_")]
    slides = [(figures[k], *captions[k]) for k in dict.fromkeys(names) if k in captions
              and str(figures[k]).endswith(".png")]
    return write_deck(path, title=st.config["study"]["title"],
                      subtitle_lines=[st.question, f"n = {n} countries in the main model "
                                                   f"({results.panel.n} in the panel); {results.inference.describe()}",
                                      f"Sources: {names}"],
                      slides=slides)


def _summary(r: StudyResults, dest: Path, work: Path, tables, version: str) -> dict:
    st = r.study
    return {
        "study": st.config["study"]["title"], "study_file": str(st.path) if st.path else "default",
        "output": str(dest), "n_countries": int(r.panel.n), "n_model": int(r.listwise.diagnostics["n"]),
        "outcome": r.outcome, "predictors": st.predictors,
        "alpha": r.inference.alpha, "padjust": r.inference.padjust,
        "r2": float(r.listwise.fit.rsquared), "verdict": {row.term: row.role for row in r.verdict.itertuples()},
        "verdict_blocks": {f"{row.block} ({row.comparison})": row.role for row in r.verdict_blocks.itertuples()},
        "excluded_countries": int((~r.panel.audit["included"]).sum()), "warnings": list(r.warnings),
        "notes": list(r.notes),
        "figures": sorted(f.name for f in (work / "figures").iterdir()),
        "tables": sorted(f.name for f in (work / "tables").iterdir()),
        "cybercult": version,
    }
