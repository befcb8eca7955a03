"""The pipeline that ties a study file to its outputs, as a list of named steps.

- :func:`compute` reads the data and runs every analysis; it writes nothing and
  returns a frozen :class:`StudyResults` (what a notebook user wants).
- :func:`~cybercult.run_tables.write_tables` writes the tables listed in
  :data:`~cybercult.run_tables.TABLES` (module :mod:`cybercult.run_tables`).
- :func:`~cybercult.run_figures.draw_figures` draws the figures of
  ``_figure_jobs`` (module :mod:`cybercult.run_figures`).
- :func:`cybercult.report.study_report.build_report` composes the report.
- :func:`run_study` ties them together inside :func:`cybercult.output.safe_output`,
  so a run never deletes a file it did not write and an interrupt leaves either
  the old output or the new one.

Progress goes to the ``logging`` logger ``"cybercult"`` (the command line shows
it unless ``--quiet``); the library prints nothing by itself.
"""
from __future__ import annotations

import json
import os
import time
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ._pipeline import _n, _pillars, _step, log
from .run_figures import _MAP_AXES, DECK_ORDER, _FigureWorker, draw_figures, figure_captions, write_slides
from .run_tables import TABLES, write_paper_table, write_tables
from .study import Study, load_study

__all__ = ["StudyResults", "compute", "run_study", "headline", "write_tables", "write_paper_table", "TABLES",
           "draw_figures", "figure_captions", "write_slides", "DECK_ORDER"]


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


def _p_text(p: float) -> str:
    return "p < .001" if p < 0.001 else f"p = {p:.3f}".replace("0.", ".", 1)


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


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
            names = _join(list(rows["block"]))
            nums = "; ".join(f"{row.block}: ΔR² = {row.delta_r2:.2f}, robust Wald {_p_text(row.robust_wald_p)}, "
                             f"adjusted {_p_text(row.p_adj)}" for row in rows.itertuples())
            verb = {"matters": "matter" if len(rows) > 1 else "matters",
                    "negligible": ("are" if len(rows) > 1 else "is") + " negligible",
                    "inconclusive": ("are" if len(rows) > 1 else "is") + " inconclusive"}[role]
            bits.append(f"{names} {verb} ({nums})")
        out.append(f"{comparison[0].upper()}{comparison[1:]}: " + "; ".join(bits) + ".")
    v = r.verdict
    parts = []
    for role in ("driver", "blocker", "negligible", "inconclusive"):
        rows = v[v["role"] == role]
        if rows.empty:
            continue
        if role == "inconclusive" and len(rows) > 3:
            parts.append(f"the other {len(rows)} factors are inconclusive" if parts else
                         f"all {len(rows)} factors are inconclusive")
            continue
        items = _join([f"{row.label} (β = {row.estimate:.2f}, {row.ci_level:.1%} CI {row.ci_low:.2f} to "
                       f"{row.ci_high:.2f})" for row in rows.itertuples()])
        parts.append(f"{role}{'s' if len(rows) > 1 else ''}: {items}")
    out.append(f"Factors of {catalogue_label(r.outcome)} (n = {int(v['n'].max())}, {inf.correction}, alpha = "
               f"{inf.alpha:g}): " + "; ".join(parts) + ".")
    return tuple(out)


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
    >>> import cybercult as cc
    >>> res = cc.compute()  # the packaged default study: a few seconds
    >>> res.verdict[["term", "role"]]
                        term          role
    0      wdi.log_gdppc_ppp        driver
    1          eiu.democracy  inconclusive
    2        sipri.milex_gdp  inconclusive
    3         wdi_af.per1000  inconclusive
    4  hofstede_insights.pdi  inconclusive
    5  hofstede_insights.idv  inconclusive
    6  hofstede_insights.mas  inconclusive
    7  hofstede_insights.uai  inconclusive
    8  hofstede_insights.lto  inconclusive
    9  hofstede_insights.ivr  inconclusive
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
                                 rng=rob["seed"], **kw)
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
            side = S.compare_models(list(models.values()), names=list(models), alpha=inf.alpha).table
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
                               alpha=inf.alpha)
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
            verdict = S.classify_factors(main, robustness=spec.term_summary if v["use_robustness"] else None,
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
                write_tables(results, work)
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
            summary = _summary(results, dest, work, __version__)
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


def _summary(r: StudyResults, dest: Path, work: Path, version: str) -> dict:
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
