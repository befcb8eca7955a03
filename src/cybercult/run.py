"""The pipeline that ties a study file to its outputs: tables, figures and a report."""
from __future__ import annotations

import json
import shutil
import sys
import time
import warnings
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

from .study import Study, load_study

class _Progress:
    def __init__(self, quiet: bool):
        self.quiet = quiet
        self.t0 = time.perf_counter()

    @contextmanager
    def step(self, text: str):
        t = time.perf_counter()
        if not self.quiet:
            print(f"[cybercult] {text} ...", file=sys.stderr, flush=True)
        yield
        if not self.quiet:
            print(f"[cybercult]   done in {time.perf_counter() - t:.1f} s", file=sys.stderr, flush=True)


def _write_table(df: pd.DataFrame, folder: Path, name: str, *, latex: bool = False, index: bool = False) -> None:
    from .stats.results import frame_to_latex, frame_to_markdown

    df.to_csv(folder / f"{name}.csv", index=index, float_format="%.10g")
    (folder / f"{name}.md").write_text(frame_to_markdown(df, digits=4, index=index) + "\n")
    if latex:
        (folder / f"{name}.tex").write_text(frame_to_latex(df, digits=3, index=index) + "\n")


def run_study(study: str | Path | Study | None = None, *, out: str | Path | None = None, quiet: bool = False,
              json_summary: bool = False) -> dict:
    """Run a whole study: panel and audit, descriptives, correlations, group tests,
    regressions, hierarchical steps, robustness, verdict, figures and report.

    Parameters
    ----------
    study : path or Study, optional
        Study file (TOML); default: the packaged default study.
    out : path, optional
        Output folder; default: the study's ``study.output`` (figures then also go
        to ``study.figures``).
    quiet : bool
        No progress messages on stderr.
    json_summary : bool
        Print a machine-readable summary on stdout.

    Returns
    -------
    dict
        The summary (also written as ``summary.json``).

    Notes
    -----
    Output is written to a temporary folder next to the destination and moved into
    place only when every step succeeded, so a failed run never leaves partial
    output that looks complete.
    """
    import matplotlib

    matplotlib.use("Agg")
    from . import __version__
    from . import plot as P
    from . import stats as S
    from .data.panel import build_panel
    from .data.registry import input_hashes, list_sources
    from .report import Report
    from .stats import robustness as R

    st = study if isinstance(study, Study) else load_study(study)
    cfg = st.config
    prog = _Progress(quiet)
    dest = Path(out if out is not None else cfg["study"]["output"])
    fig_dest = None if out is not None else Path(cfg["study"]["figures"])
    work = dest.parent / f".{dest.name}.partial"
    if work.exists():
        shutil.rmtree(work)
    (work / "tables").mkdir(parents=True)
    (work / "figures").mkdir()
    tables, figs = work / "tables", work / "figures"
    m, inf, rob = cfg["model"], cfg["inference"], cfg["robustness"]
    alpha, padj = inf["alpha"], inf["padjust"]
    outcome, blocks, predictors = m["outcome"], st.blocks, st.predictors
    rng = np.random.default_rng(rob["seed"])
    caught: list[str] = []
    try:
        with warnings.catch_warnings(record=True) as wlist:
            warnings.simplefilter("always")
            with prog.step("building the panel"):
                panel = build_panel(st.variables(), cfg["data"]["year"], window=cfg["data"]["window"],
                                    sample=cfg["data"]["sample"], outcome=outcome,
                                    extra=cfg["data"]["extra"] or None)
                data = panel.data
                data.to_csv(work / "panel.csv", float_format="%.10g")
                panel.years.to_csv(work / "panel_years.csv")
                panel.audit.to_csv(work / "audit.csv", index=False)
                panel.excluded_rows.to_csv(work / "excluded_rows.csv", index=False)
                panel.corrections.to_csv(work / "corrections.csv", index=False)
            with prog.step("descriptives and correlations"):
                model_vars = [outcome, *predictors]
                desc = data[model_vars].describe().T.reset_index(names="variable")
                desc.insert(1, "label", [S._validate.catalogue_label(v) for v in desc["variable"]])
                _write_table(desc, tables, "descriptives")
                corr_frames = []
                for method in m["correlation_methods"]:
                    corr_frames.append(S.correlate(data, predictors, [outcome, *m["pillars"]], method=method,
                                                   padjust=padj, alpha=alpha))
                controls = blocks.get("development", [])
                if controls:
                    others = [p for p in predictors if p not in controls]
                    corr_frames.append(S.correlate(data, others, [outcome], method="pearson", covar=controls,
                                                   padjust=padj, alpha=alpha))
                corr = pd.concat(corr_frames, ignore_index=True)
                _write_table(corr, tables, "correlations", latex=True)
                full_corr = S.correlate(data, model_vars, method="pearson", padjust=padj, alpha=alpha)
                _write_table(full_corr, tables, "correlation_matrix")
            with prog.step("group tests"):
                group_results = {}
                for g in m["group_by"]:
                    gr = S.compare_groups(data, outcome, g)
                    group_results[g] = gr
                    _write_table(gr.omnibus, tables, f"groups_{g}_omnibus")
                    _write_table(gr.posthoc, tables, f"groups_{g}_posthoc")
                    _write_table(gr.describe, tables, f"groups_{g}_describe")
            with prog.step("regressions"):
                kw = dict(cov_type=m["cov_type"], missing=m["missing"], alpha=alpha, padjust=padj)
                if m["missing"] == "mice":
                    kw.update(n_imputations=m["n_imputations"], seed=rob["seed"])
                main = S.regress(data, outcome, predictors, **kw)
                _write_table(main.table, tables, "regression", latex=True)
                diag = main.diagnostics if isinstance(main.diagnostics, pd.DataFrame) else \
                    pd.DataFrame([main.diagnostics])
                _write_table(diag, tables, "regression_diagnostics")
                (tables / "regression_summary.txt").write_text(main.summary())
                models = {outcome: main}
                for y in m["pillars"] + m["alternative_outcomes"]:
                    models[y] = S.regress(data, y, predictors, **kw)
                side = S.compare_models(list(models.values()))
                side_df = side if isinstance(side, pd.DataFrame) else side.table
                _write_table(side_df, tables, "models_side_by_side", latex=True, index=True)
                checks = {}
                if m["fractional_logit"]:
                    checks["fractional_logit"] = S.fractional_logit(data, outcome, predictors)
                    _write_table(checks["fractional_logit"].table, tables, "fractional_logit", latex=True)
                if m["ordinal_logit"]:
                    checks["ordinal_logit"] = S.ordinal_logit(data, "gci2024.tier", predictors)
                    _write_table(checks["ordinal_logit"].table, tables, "ordinal_logit", latex=True)
            with prog.step("hierarchical regression"):
                hier = S.hierarchical(data, outcome, blocks, cov_type=m["cov_type"])
                _write_table(hier.steps, tables, "hierarchical", latex=True)
            with prog.step(f"robustness ({rob['n_boot']} bootstrap, {rob['n_perm']} permutations, spec curve)"):
                boot = R.bootstrap(data, outcome, predictors, n_boot=rob["n_boot"], rng=rng, standardize=True)
                _write_table(boot.table, tables, "bootstrap")
                perm = R.permutation_test(data, outcome, predictors, n_perm=rob["n_perm"], rng=rng)
                _write_table(perm, tables, "permutation")
                loo = R.leave_one_out(data, outcome, predictors, standardize=True)
                _write_table(loo, tables, "leave_one_out")
                focal = blocks.get("culture", predictors)
                spec = R.specification_curve(
                    data, outcomes=rob["spec_outcomes"], focal=focal,
                    controls={b: blocks[b] for b in rob["spec_controls"]},
                    alternatives=rob["culture_alternatives"] or None, estimators=tuple(rob["spec_estimators"]),
                    cov_type=m["cov_type"], alpha=alpha)
                _write_table(spec.table, tables, "specification_curve")
                _write_table(spec.summary, tables, "specification_summary")
            with prog.step("verdict and over/under-performers"):
                use_rob = cfg["verdict"]["use_robustness"]
                verdict = S.classify_factors(main, alpha=alpha, padjust=padj,
                                             robustness=spec.summary if use_rob else None,
                                             min_share=cfg["verdict"]["min_share"])
                _write_table(verdict, tables, "verdict", latex=True)
                pillar_verdicts = {y: S.classify_factors(models[y], alpha=alpha, padjust=padj)
                                   for y in [outcome, *m["pillars"]]}
                perf = S.performers(main, alpha=alpha)
                _write_table(perf, tables, "performers")
            with prog.step("figures"):
                fig_files = _figures(P, S, st, data, main, verdict, pillar_verdicts, full_corr, hier, perf, figs)
        caught = sorted({f"{w.category.__name__}: {w.message}" for w in wlist})
        with prog.step("report"):
            hashes = input_hashes()
            rep = _report(Report, st, panel, verdict, main, hier, corr, group_results, checks, boot, perm, loo,
                          spec, perf, fig_files, hashes, list_sources(), caught, __version__)
            (work / "report.md").write_text(rep.to_markdown(fig_base=work))
            (work / "report.html").write_text(rep.to_html())
        summary = {
            "study": st.config["study"]["title"], "study_file": str(st.path) if st.path else "default",
            "output": str(dest), "n_countries": int(panel.n), "outcome": outcome, "predictors": predictors,
            "r2": float(main.fit.rsquared), "verdict": {r.factor: r.role for r in verdict.itertuples()},
            "excluded_countries": int((~panel.audit["included"]).sum()), "warnings": caught,
            "figures": sorted(f.name for f in figs.iterdir()), "tables": sorted(f.name for f in tables.iterdir()),
            "cybercult": __version__,
        }
        (work / "summary.json").write_text(json.dumps(summary, indent=2, sort_keys=True) + "\n")
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    if dest.exists():
        shutil.rmtree(dest)
    work.rename(dest)
    if fig_dest is not None:
        fig_dest.mkdir(parents=True, exist_ok=True)
        for f in sorted((dest / "figures").iterdir()):
            shutil.copy2(f, fig_dest / f.name)
    if not quiet:
        print(f"[cybercult] finished in {time.perf_counter() - prog.t0:.1f} s: {panel.n} countries; "
              f"report {dest / 'report.html'}; figures in {fig_dest or dest / 'figures'}", file=sys.stderr)
    if json_summary:
        print(json.dumps(summary, indent=2, sort_keys=True))
    return summary


def _figures(P, S, st, data, main, verdict, pillar_verdicts, corr, hier, perf, figs: Path) -> dict[str, Path]:
    import os

    import matplotlib as mpl
    import matplotlib.pyplot as plt

    cfg = st.config
    fmts = tuple(cfg["figures"]["formats"])
    if "png" not in fmts:
        fmts = fmts + ("png",)  # the report embeds PNGs
    outcome = cfg["model"]["outcome"]
    jobs: list[tuple[str, object]] = [
        # captions: the one-line rule classify_factors stores with each verdict (attrs["rule_short"])
        ("drivers", lambda: P.plot_drivers(verdict, title=S._validate.catalogue_label(outcome))),
        ("drivers_pillars", lambda: P.plot_drivers_grid(
            pillar_verdicts,
            figsize=(max(mpl.rcParams["figure.figsize"][0], 3.2 + 2.0 * len(pillar_verdicts)),
                     mpl.rcParams["figure.figsize"][1] * 1.1))),
        ("correlation_heatmap", lambda: P.plot_correlation_heatmap(corr)),
    ]
    dev = st.blocks.get("development", [])
    if dev:
        jobs.append(("scatter_development", lambda: P.plot_scatter(data, dev[0], outcome, max_labels=15)))
    culture = st.blocks.get("culture", [])
    if culture:
        top = verdict[verdict["factor"].isin(culture)].assign(a=lambda d: d["estimate"].abs())
        focus = top.sort_values("a", ascending=False)["factor"].iloc[0]
        jobs.append(("scatter_culture", lambda: P.plot_scatter(data, focus, outcome, max_labels=15)))
        jobs.append(("added_variable_culture", lambda: P.plot_added_variable(main, focus)))
    for g in cfg["model"]["group_by"]:
        jobs.append((f"groups_{g.replace('.', '_')}", lambda g=g: P.plot_groups(data, outcome, g)))
    jobs.append(("hierarchy", lambda: P.plot_hierarchy(hier.steps)))
    jobs.append(("performers", lambda: P.plot_performers(perf)))

    def render(part):
        with P.style(cfg["figures"]["style"]):
            for name, make in part:
                obj = make()
                fig = obj if hasattr(obj, "savefig") else obj.figure
                P.save_figure(fig, figs / name, formats=fmts)
                plt.close(fig)

    # Figures are independent and saving them (PDF font subsetting, PNG rendering) dominates the run:
    # draw half of them in a forked child where fork exists. Each figure is built by the same code
    # either way, so the bytes do not depend on which process drew it.
    if hasattr(os, "fork") and len(jobs) > 1:
        half_a, half_b = jobs[0::2], jobs[1::2]
        pid = os.fork()
        if pid == 0:  # child
            code = 0
            try:
                render(half_b)
            except BaseException:  # report in the parent; the child must never return into the caller
                import traceback

                traceback.print_exc()
                code = 1
            finally:
                os._exit(code)
        try:
            render(half_a)
        finally:
            _, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            raise RuntimeError("drawing figures failed in the worker process (see the message above)")
    else:
        render(jobs)
    return {name: figs / f"{name}.png" for name, _ in jobs}


def _report(Report, st, panel, verdict, main, hier, corr, groups, checks, boot, perm, loo, spec, perf, figs,
            hashes, sources, caught, version):
    import importlib.metadata as md

    from .data.registry import sha256_file
    from .stats import VERDICT_RULE
    from .stats._validate import catalogue_label

    cfg = st.config
    rep = Report(cfg["study"]["title"])
    rep.heading("The question")
    rep.para(cfg["study"]["question"])
    rep.heading("Answer in one figure")
    counts = verdict["role"].value_counts()
    rep.para(f"On {panel.n} countries, with {len(st.predictors)} predictors: "
             + ", ".join(f"{k}: {counts.get(k, 0)}" for k in ("driver", "blocker", "no clear effect"))
             + f". Full-model R² = {main.fit.rsquared:.3f}.")
    rep.figure(figs["drivers"], "Drivers and blockers of " + catalogue_label(cfg["model"]["outcome"]))
    rep.heading("The verdict rule")
    rep.para(VERDICT_RULE)
    rep.table(verdict, "Verdict: one row per factor")
    rep.heading("Sample")
    rep.para(panel.summary())
    ex = panel.excluded[["iso3", "country", "reason"]]
    rep.table(ex, f"Countries seen in the sources but excluded ({len(ex)})", max_rows=400)
    if len(panel.corrections):
        rep.table(panel.corrections[["source", "name", "variable", "old_value", "new_value", "reason"]],
                  "Corrections applied to raw values")
    rep.heading("Data sources")
    used = set(v.split(".")[0] for v in panel.variables)
    src = sources[sources["source"].isin(used)][["source", "title", "edition", "terms", "citation"]]
    rep.table(src, "Sources used (editions, terms, citations)")
    rep.heading("Methods")
    m = cfg["model"]
    rep.bullets([
        f"Outcome: {catalogue_label(m['outcome'])}; pillars and alternative outcomes: "
        + ", ".join(catalogue_label(v) for v in m["pillars"] + m["alternative_outcomes"]),
        "Blocks (in order): " + "; ".join(f"{b}: {', '.join(catalogue_label(v) for v in vs)}"
                                          for b, vs in st.blocks.items()),
        f"OLS with {m['cov_type']} heteroskedasticity-robust, t-based inference; standardized coefficients "
        f"from the model refitted on z-scores. Missing data: {main.missing}",
        f"Multiple testing: {cfg['inference']['padjust']}; alpha = {cfg['inference']['alpha']}",
        f"Robustness: pairs bootstrap ({cfg['robustness']['n_boot']} resamples, percentile and BCa), "
        f"Freedman-Lane permutation ({cfg['robustness']['n_perm']}), leave-one-country-out, "
        f"specification curve ({spec.table['spec_id'].nunique()} specifications); seed {cfg['robustness']['seed']}",
        "Checks: fractional logit (GLM binomial, logit link, score/100, robust errors) and ordinal logit on "
        "the GCI 2024 tiers",
    ])
    rep.heading("Main regression")
    rep.table(main.table, "OLS coefficients (raw and standardized)")
    rep.code(main.summary())
    rep.heading("Does culture matter beyond development? Hierarchical steps")
    rep.table(hier.steps, "Blockwise regression: R², ΔR², F-change")
    rep.figure(figs["hierarchy"], "ΔR² by block")
    rep.heading("Correlations")
    rep.table(corr, "Correlations with the outcome and pillars (adjusted p-values)")
    rep.figure(figs["correlation_heatmap"], "Correlation heatmap")
    rep.heading("Commitment by political regime")
    for g, gr in groups.items():
        rep.table(gr.omnibus, f"{catalogue_label(g)}: omnibus tests")
        rep.table(gr.posthoc, f"{catalogue_label(g)}: pairwise post-hoc tests")
        rep.figure(figs[f"groups_{g.replace('.', '_')}"], f"{catalogue_label(cfg['model']['outcome'])} by "
                   f"{catalogue_label(g)}")
    rep.heading("Pillars and alternative outcomes")
    rep.figure(figs["drivers_pillars"], "Drivers and blockers by GCI 2020 pillar")
    for name, res in checks.items():
        rep.table(res.table, f"Check: {name.replace('_', ' ')}")
    rep.heading("Robustness")
    rep.table(boot.table, "Pairs bootstrap (standardized coefficients)")
    rep.table(perm, "Freedman-Lane permutation p-values")
    rep.table(loo, "Leave-one-country-out ranges")
    rep.table(spec.summary, "Specification curve: share of specifications keeping sign and significance")
    rep.heading("Figures")
    for key in ("scatter_development", "scatter_culture", "added_variable_culture", "performers"):
        if key in figs:
            rep.figure(figs[key], key.replace("_", " "))
    rep.heading("Over- and under-performers")
    rep.table(perf[perf["status"] != "as expected"], "Countries outside their prediction interval")
    if caught:
        rep.heading("Warnings raised during the run")
        rep.bullets(caught)
    rep.heading("Reproducibility")
    versions = {"cybercult": version}
    for pkg in ("numpy", "pandas", "scipy", "statsmodels", "matplotlib", "country_converter", "pandera",
                "adjustText"):
        try:
            versions[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            versions[pkg] = "not installed"
    rep.table(pd.DataFrame({"package": list(versions), "version": list(versions.values())}), "Versions")
    rep.para("Study file" + (f" ({st.path.name})" if st.path else " (packaged default)") + ":")
    rep.code(st.text, "toml")
    extra = [{"source": "user", "file": str(p), "sha256": sha256_file(Path(p)), "ok": True}
             for p in cfg["data"]["extra"]]
    rep.table(pd.concat([hashes, pd.DataFrame(extra)], ignore_index=True) if extra else hashes,
              "sha256 of every input file", max_rows=100)
    return rep
