"""The study report: what a run found, composed from the results (no computation here)."""
from __future__ import annotations

import importlib.metadata as md
from pathlib import Path

import pandas as pd

from .build import Report


def _n(model) -> int:
    return int(model.diagnostics.get("n", len(model.data_used)))


def build_report(results, figures: dict[str, Path], captions: dict[str, tuple[str, str]] | None = None) -> Report:
    """Compose the report of a study run.

    Parameters
    ----------
    results : StudyResults
        From :func:`cybercult.run.compute`.
    figures : dict
        Figure name -> PNG path (from :func:`cybercult.run.draw_figures`).
    captions : dict, optional
        Figure name -> (title, one-sentence reading) (from
        :func:`cybercult.run.figure_captions`).

    Returns
    -------
    Report
        Render with ``to_html()`` or ``to_markdown()``.
    """
    from ..data.registry import input_hashes, list_sources, sha256_file
    from ..stats import VERDICT_RULE
    from ..run_figures import figure_name
    from ..stats._validate import catalogue_label

    r, st = results, results.study
    captions = captions or {}

    def fig(name: str, fallback: str) -> None:
        if name in figures:
            title, reading = captions.get(name, (fallback, ""))
            rep.figure(figures[name], title, reading)

    cfg = st.config
    m, inf = cfg["model"], r.inference
    y = r.outcome
    ylab = catalogue_label(y)
    main, lw = r.main, r.listwise
    rep = Report(cfg["study"]["title"])
    rep.heading("The question")
    rep.para(st.question)
    rep.heading("The answer")
    counts = r.verdict["role"].value_counts()
    roles = [k for k in ("driver", "blocker", "negligible", "inconclusive", "no clear effect") if k in counts
             or k in ("driver", "blocker")]
    for sentence in getattr(r, "headline", ()):
        rep.para(sentence)
    rep.para(f"Outcome: {ylab} ({y}). The panel holds {r.panel.n} countries; the main model ({main.method}) "
             f"uses {_n(main)} countries with {len(st.predictors)} predictors: "
             + ", ".join(f"{k}: {counts.get(k, 0)}" for k in roles)
             + f". Full-model R² = {lw.fit.rsquared:.3f} (listwise OLS, n = {_n(lw)}). Inference: {inf.describe()}.")
    for note in r.notes:
        rep.para(note)
    fig("drivers", f"Drivers and blockers of {ylab}")
    short = [c for c in ("label", "block", "role", "estimate", "ci_low", "ci_high", "p_adj",
                         "p_equiv_adj", "suppression", "robust_share", "region_share", "robust") if c in r.verdict]
    lvl = r.verdict["ci_level"].iloc[0] if "ci_level" in r.verdict else 1 - inf.alpha
    rep.table(r.verdict[short], f"Verdict: one row per factor ({ylab}, n = {_n(main)}; ci_low, ci_high: the "
                                f"{lvl:.1%} interval the decision rests on; ids and the evidence in words are in "
                                "tables/verdict.csv)")
    bshort = [c for c in ("block", "comparison", "n", "delta_r2", "f_change_p", "robust_wald_p", "permutation_p",
                          "p_adj", "p_equiv_adj", "role") if c in r.verdict_blocks]
    rep.table(r.verdict_blocks[bshort], f"Block verdict: does each block add to {ylab}? (ΔR², classical F-change, "
                                        f"{m['cov_type']}-robust Wald, Freedman-Lane permutation)")
    rep.heading("The verdict rule")
    rep.para(VERDICT_RULE)
    from ..stats.verdict import BLOCK_RULE

    rep.para(BLOCK_RULE)
    rep.para(f"Settings of this run: {r.verdict.attrs.get('settings', inf.describe())}.")
    rep.heading("The sample")
    fig("map_outcome", f"{ylab} across the sample")
    fig("cultural_map", "Inglehart-Welzel cultural map")
    rep.heading("Does culture matter beyond development? Hierarchical blocks")
    n_h = int(r.hierarchy.steps["n"].iloc[-1]) if "n" in r.hierarchy.steps else _n(lw)
    fig("hierarchy", f"What each block adds to {ylab}")
    rep.table(r.hierarchy.steps, f"Blockwise regression of {ylab} (n = {n_h}): R², ΔR², F-change (classical and "
                                 f"{m['cov_type']}-robust)")
    rep.heading("Main regression and alternative outcomes")
    from ..stats.results import frame_to_markdown
    from .publication import publication_table

    alts = [a for a in m["alternative_outcomes"] if a in r.models and a != y]
    paper = publication_table([main] + [r.models[a] for a in alts], coef=cfg["tables"]["publication_coef"])
    rep.html_table(paper.to_html(), frame_to_markdown(paper.to_frame(), index=True),
                   caption="The paper table (tables/publication.tex and .docx)")
    rep.table(main.table, f"{main.method} of {ylab} (n = {_n(main)}): raw and standardized coefficients, "
                          f"{inf.level} CI, p adjusted with {inf.correction}")
    fig("drivers_pillars", "Drivers and blockers by pillar")
    if len(r.pillar_verdicts) > 1:
        pv = pd.concat([v.assign(outcome=y) for y, v in r.pillar_verdicts.items()], ignore_index=True)
        rep.table(pv[["outcome", "term", "role", "estimate", "ci_low", "ci_high", "p_adj"]],
                  "Pillar verdicts (the same rule; tables/verdict_pillars.csv)", max_rows=100)
    ns = ", ".join(f"{catalogue_label(k)} n = {_n(v)}" for k, v in r.models.items())
    rep.table(r.side_by_side, f"Every outcome side by side ({ns})", index=True)
    for res in r.checks.values():
        rep.table(res.table, f"Check: {res.method} of {catalogue_label(res.outcome)} (n = {_n(res)}, {inf.level} CI, "
                             f"{inf.correction})")
    rep.heading("Robustness")
    for key in figures:
        if key.startswith("specification_curve_"):
            fig(key, "Specification curve")
    rep.table(r.spec.term_summary, "Specification curve: share of specifications keeping sign and significance")
    if r.sensitivity:
        from ..run_tables import _sensitivity_table

        rep.table(_sensitivity_table(r)[""], "Sensitivity: estimated versus measured culture scores "
                                             "(standardized coefficients)")
    rep.table(r.bootstrap.table, f"Pairs bootstrap of {ylab} (standardized coefficients, n = {_n(lw)})")
    rep.table(r.permutation, f"Freedman-Lane permutation p-values ({ylab}, n = {_n(lw)})")
    rep.table(r.leave_one_out, f"Leave-one-country-out ranges ({ylab}, n = {_n(lw)})")
    rep.heading("Over- and under-performers")
    fig("map_performers", "Where countries beat or miss the model")
    fig("performers", f"Over- and under-performers on {ylab}")
    fig("map_residuals", "Standardized residuals of the main model")
    perf = r.performers
    rep.table(perf[perf["status"] != "as expected"],
              f"Countries outside their {inf.level} prediction interval (listwise OLS, n = {_n(lw)})")
    rep.heading("Correlations")
    fig("correlation_heatmap", "Correlations between the model's variables")
    rep.table(r.correlations, f"Correlations with {ylab} and its pillars ({inf.correction}-adjusted p, "
                              f"{inf.level} CI)")
    if r.groups:
        rep.heading("Commitment by political regime")
    for g, gr in r.groups.items():
        fig(figure_name("groups", g), f"{ylab} by {catalogue_label(g)}")
        rep.table(gr.omnibus, f"{ylab} by {catalogue_label(g)}: omnibus tests")
        rep.table(gr.posthoc, f"{ylab} by {catalogue_label(g)}: pairwise post-hoc tests ({inf.correction}-adjusted "
                              f"p, {inf.level} CI)")
    rep.heading("Single factors")
    for key in ("scatter_development", "scatter_culture", "added_variable_culture"):
        fig(key, key.replace("_", " "))

    rep.appendix("Appendix: sample, sources, methods and reproducibility")
    rep.heading("Sample and exclusions")
    rep.para(r.panel.summary(), keep_lines=True)
    ex = r.panel.excluded[["iso3", "country", "note"]]
    rep.table(ex, f"Countries seen in the sources but excluded ({len(ex)})", max_rows=400)
    pattern = r.panel.name_matches[r.panel.name_matches["rule"] == "pattern"]
    if len(pattern):
        rep.table(pattern, f"Country names matched by a pattern, not exactly ({len(pattern)}): check them, or "
                           "set data.exact_names = true / give data.country_map")
    if len(r.panel.corrections):
        rep.table(r.panel.corrections[["source", "name", "variable", "old_value", "new_value", "note"]],
                  "Corrections applied to raw values")
    rep.heading("Data sources")
    sources = list_sources()
    used = {v.split(".")[0] for v in r.panel.variables}
    rep.table(sources[sources["source"].isin(used)][["source", "title", "edition", "terms", "citation"]],
              "Sources used (editions, terms, citations)")
    rep.heading("Methods")
    pillars = [v for v in r.models if v != y]
    rep.bullets([
        f"Outcome: {ylab}; pillars and alternative outcomes: "
        + (", ".join(catalogue_label(v) for v in pillars) or "none"),
        "Blocks (in order): " + "; ".join(f"{b}: {', '.join(catalogue_label(v) for v in vs)}"
                                          for b, vs in st.blocks.items()),
        f"OLS with {m['cov_type']} heteroskedasticity-robust, t-based inference; standardized coefficients "
        f"from the model refitted on z-scores. Missing data: {main.missing}",
        f"Multiple testing: {inf.correction}; alpha = {inf.alpha:g}; intervals at {inf.level}",
        f"Robustness: pairs bootstrap ({cfg['robustness']['n_boot']} resamples, percentile and BCa, {inf.level}), "
        f"Freedman-Lane permutation ({cfg['robustness']['n_perm']}), leave-one-country-out, "
        f"specification curve ({r.spec.table['spec_id'].nunique()} specifications); seed {cfg['robustness']['seed']}",
        "Checks: " + ("; ".join(f"{res.method} of {catalogue_label(res.outcome)} (n = {_n(res)})"
                                for res in r.checks.values()) or "none"),
    ])
    rep.code(main.summary())
    if r.warnings:
        rep.heading("Warnings raised during the run")
        rep.bullets(list(r.warnings))
    rep.heading("Reproducibility")
    versions = {"cybercult": _version("cybercult")}
    for pkg in ("numpy", "pandas", "scipy", "statsmodels", "matplotlib", "country_converter", "pandera",
                "adjustText", "geopandas", "python-pptx", "python-docx"):
        versions[pkg] = _version(pkg)
    rep.table(pd.DataFrame({"package": list(versions), "version": list(versions.values())}), "Versions")
    rep.para("Study file" + (f" ({st.path.name})" if st.path else " (packaged default)") + ":")
    rep.code(st.text, "toml")
    extra = [{"source": "user", "file": str(p), "sha256": sha256_file(Path(str(p).split("#")[0])), "ok": True}
             for p in cfg["data"]["extra"]]
    hashes = input_hashes()
    rep.table(pd.concat([hashes, pd.DataFrame(extra)], ignore_index=True) if extra else hashes,
              "sha256 of every input file", max_rows=100)
    return rep


def _version(pkg: str) -> str:
    try:
        return md.version(pkg)
    except md.PackageNotFoundError:
        return "not installed"
