#!/usr/bin/env python
"""Time cybercult's robustness methods against the statsmodels loops a researcher would write.

Run from the repository root (``make bench``)::

    python benchmarks/run_benchmarks.py              # the default panel (cc.build_panel())
    python benchmarks/run_benchmarks.py --synthetic  # a seeded 80-country stand-in, no data layer needed

It times, in one run:

1. 10,000 pairs-bootstrap resamples of the full model;
2. 10,000 Freedman-Lane permutations (every predictor tested);
3. a specification curve of 5,120 models (10 outcomes x 256 control sets x 2 culture measures);
4. ``import cybercult`` against ``import pandas``, each in a fresh interpreter (median of 5);
5. the whole default ``cybercult run`` in a fresh process (cold start: new interpreter,
   empty output folder; the operating system's file cache is not dropped).

The loops fit one ``statsmodels.api.OLS`` per resample, permutation or specification, on
numpy arrays (the fastest plain loop; a pandas ``.iloc`` loop is slower and shown for the
bootstrap as a note). They run on a sample (``--loop-sample``) of the same resamples,
permutations and specifications and are extrapolated linearly, which is said in the
output. Every loop's numbers are also compared with ours (max relative difference).
Nothing global is changed: environment variables such as ``OPENBLAS_CORETYPE`` are left
as they are and inherited by the subprocesses.
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np
import pandas as pd

SEED = 20210629
N_BOOT = 10_000
N_PERM = 10_000
OUTCOME = "gci2020.score"
#: used when the package exposes no DEFAULT_PREDICTORS (the default study's full model)
FALLBACK_PREDICTORS = ["wdi.log_gdppc_ppp", "eiu.democracy", "sipri.milex_gdp", "wdi_af.per1000",
                       "hofstede.pdi", "hofstede.idv", "hofstede.mas", "hofstede.uai"]
SPEC_OUTCOMES = ["gci2020.score", "gci2020.legal", "gci2020.technical", "gci2020.organizational",
                 "gci2020.capacity", "gci2020.cooperation", "gci2017.score", "gci2018.score",
                 "gci2024.score", "ncsi.score"]
SPEC_FOCAL = ["hofstede.pdi", "hofstede.idv", "hofstede.mas", "hofstede.uai"]
SPEC_ALTERNATIVES = {"individualism": ["hofstede.idv", "wvs.surv_selfexp"]}
#: each control variable is its own block: 2^8 = 256 control sets
SPEC_CONTROLS = ["wdi.log_gdppc_ppp", "undp.hdi", "wdi_net.internet", "eiu.democracy", "wgi.ge",
                 "cpi.score", "sipri.milex_gdp", "wdi_af.per1000"]
SPEC_COV = "HC3"

TARGETS = {"bootstrap": 50.0, "permutation": 50.0, "spec": 20.0, "import_margin": 0.2, "run": 15.0}


# --------------------------------------------------------------------------------------------
# data
# --------------------------------------------------------------------------------------------

def synthetic_panel(seed: int = SEED, n: int = 80) -> pd.DataFrame:
    """A realistic stand-in for the default panel: 80 countries, the benchmark's columns.

    Latent development, democracy and culture factors drive correlated indicators on
    their usual scales; outcomes are 0-100 scores; a few values are missing, as in the
    real panel (WVS and GCI 2024 cover fewer countries).
    """
    rng = np.random.default_rng(seed)
    dev, dem, cult = rng.normal(size=(3, n))
    dem = 0.6 * dev + 0.8 * dem

    def clip(v, lo, hi):
        return np.clip(v, lo, hi)

    d = {
        "wdi.log_gdppc_ppp": 9.8 + 1.0 * dev + 0.2 * rng.normal(size=n),
        "undp.hdi": clip(0.78 + 0.1 * dev + 0.03 * rng.normal(size=n), 0.4, 0.96),
        "wdi_net.internet": clip(75 + 18 * dev + 8 * rng.normal(size=n), 5, 100),
        "eiu.democracy": clip(6.5 + 2.0 * dem + 0.5 * rng.normal(size=n), 1, 10),
        "wgi.ge": 0.5 + 0.8 * dev + 0.3 * rng.normal(size=n),
        "cpi.score": clip(50 + 18 * dev + 6 * rng.normal(size=n), 10, 90),
        "sipri.milex_gdp": np.exp(0.5 + 0.5 * rng.normal(size=n)),
        "wdi_af.per1000": np.exp(1.0 + 0.7 * rng.normal(size=n)),
        "hofstede.pdi": clip(60 - 12 * dem - 8 * cult + 10 * rng.normal(size=n), 11, 104),
        "hofstede.idv": clip(45 + 12 * dev + 10 * cult + 10 * rng.normal(size=n), 6, 91),
        "hofstede.mas": clip(50 + 18 * rng.normal(size=n), 5, 110),
        "hofstede.uai": clip(65 + 20 * rng.normal(size=n), 8, 112),
        "wvs.surv_selfexp": 0.4 * dev + 0.6 * cult + 0.5 * rng.normal(size=n),
    }
    base = 60 + 15 * dev + 4 * dem + 3 * cult
    for y in SPEC_OUTCOMES:
        top = 20.0 if y.startswith("gci2020.") and y != "gci2020.score" else 100.0  # pillars score 0-20
        d[y] = clip((base + 8 * rng.normal(size=n)) * top / 100.0, 0, top)
    df = pd.DataFrame(d, index=pd.Index([f"S{i:03d}" for i in range(n)], name="iso3"))
    df.loc[df.index[rng.choice(n, 12, replace=False)], "wvs.surv_selfexp"] = np.nan
    df.loc[df.index[rng.choice(n, 3, replace=False)], "gci2024.score"] = np.nan
    df.loc[df.index[rng.choice(n, 2, replace=False)], "sipri.milex_gdp"] = np.nan
    return df


def load_data(synthetic: bool) -> tuple[pd.DataFrame, list[str], str]:
    if synthetic:
        return synthetic_panel(), list(FALLBACK_PREDICTORS), "synthetic 80-country panel (--synthetic)"
    import cybercult as cc

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        panel = cc.build_panel()
    predictors = getattr(cc, "DEFAULT_PREDICTORS", None) or getattr(panel, "predictors", None)
    where = "cc.DEFAULT_PREDICTORS"
    if not predictors:
        predictors, where = list(FALLBACK_PREDICTORS), "FALLBACK_PREDICTORS"
    return panel.data, list(predictors), f"default panel (cc.build_panel(), predictors: {where})"


# --------------------------------------------------------------------------------------------
# the loops a researcher would write
# --------------------------------------------------------------------------------------------

def design(data, outcome, predictors):
    import statsmodels.api as sm

    d = data[[outcome, *predictors]].dropna()
    return d, d[outcome].to_numpy(float), sm.add_constant(d[predictors].to_numpy(float), has_constant="add")


def bootstrap_loop(y, X, idx):
    import statsmodels.api as sm

    return np.array([sm.OLS(y[i], X[i]).fit().params for i in idx])


def bootstrap_loop_pandas(d, outcome, predictors, idx):
    import statsmodels.api as sm

    yy, XX = d[outcome], sm.add_constant(d[predictors])
    return np.array([sm.OLS(yy.iloc[i], XX.iloc[i]).fit().params.to_numpy() for i in idx])


def freedman_lane_loop(y, X, perms):
    import statsmodels.api as sm

    full = sm.OLS(y, X).fit()
    counts = np.zeros(X.shape[1] - 1, dtype=int)
    for m, j in enumerate(range(1, X.shape[1])):
        reduced = sm.OLS(y, np.delete(X, j, axis=1)).fit()
        t_obs = abs(full.tvalues[j])
        for p in perms:
            t = sm.OLS(reduced.fittedvalues + reduced.resid[p], X).fit().tvalues[j]
            counts[m] += abs(t) >= t_obs * (1 - 100 * np.finfo(float).eps)
    return (counts + 1) / (len(perms) + 1)


def spec_loop(data, specs):
    import statsmodels.api as sm

    out = []
    for outcome, regressors, terms in specs:
        d = data[[outcome, *regressors]].dropna()
        fit = sm.OLS(d[outcome].to_numpy(float), sm.add_constant(d[regressors].to_numpy(float), has_constant="add")
                     ).fit(cov_type=SPEC_COV, use_t=True)
        for t in terms:
            out.append(fit.params[regressors.index(t) + 1])
    return np.array(out)


# --------------------------------------------------------------------------------------------
# timing helpers
# --------------------------------------------------------------------------------------------

def timed(fn, repeat: int = 3):
    """Median wall time of ``repeat`` calls and the last result."""
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def fresh_import(module: str, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", f"import {module}"], check=True, capture_output=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def cli_command() -> list[str]:
    script = shutil.which("cybercult", path=os.path.dirname(sys.executable))
    if script:
        return [script]
    return [sys.executable, "-c", "import sys; from cybercult.cli import main; sys.exit(main())"]


def cold_run() -> tuple[float | None, str]:
    cmd = cli_command()
    probe = subprocess.run(cmd + ["run", "--help"], capture_output=True, text=True)
    if probe.returncode != 0:
        return None, "not available"
    with tempfile.TemporaryDirectory(prefix="cybercult-bench-") as tmp:
        t = time.perf_counter()
        r = subprocess.run(cmd + ["run", "--out", os.path.join(tmp, "out"), "--quiet"], cwd=tmp,
                           capture_output=True, text=True)
        elapsed = time.perf_counter() - t
    if r.returncode != 0:
        tail = (r.stderr or r.stdout).strip().splitlines()[-3:]
        return None, f"failed (exit {r.returncode}): " + " | ".join(tail)
    return elapsed, "ok"


# --------------------------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------------------------

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--synthetic", action="store_true", help="use a seeded 80-country stand-in panel")
    ap.add_argument("--loop-sample", type=int, default=500,
                    help="resamples and permutations the loops run before extrapolating (default 500)")
    ap.add_argument("--spec-sample", type=int, default=320,
                    help="specifications the loop fits before extrapolating (default 320)")
    ap.add_argument("--skip-run", action="store_true", help="do not time the whole `cybercult run`")
    args = ap.parse_args(argv)

    import statsmodels.api as sm  # noqa: F401  (imported before timing, for both sides)
    from cybercult.stats import robustness as rb

    data, predictors, source = load_data(args.synthetic)
    d, y, X = design(data, OUTCOME, predictors)
    n, k = X.shape
    print(f"cybercult benchmarks: {source}")
    print(f"full model: {OUTCOME} on {len(predictors)} predictors ({', '.join(predictors)}); n = {n}, k = {k}")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"numpy {np.__version__}; OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}")
    rows = []
    notes = []

    # warm up both sides (first-call imports of scipy.special and statsmodels internals)
    rb.bootstrap(data, OUTCOME, predictors, n_boot=20, rng=1)
    rb.permutation_test(data, OUTCOME, predictors, n_perm=20, rng=1)
    bootstrap_loop(y, X, rb.bootstrap_indices(n, 5, 1))

    # 1. bootstrap
    ours, res = timed(lambda: rb.bootstrap(data, OUTCOME, predictors, n_boot=N_BOOT, rng=SEED))
    m = min(args.loop_sample, N_BOOT)
    idx = rb.bootstrap_indices(n, N_BOOT, SEED)[:m]
    t_loop, loop = timed(lambda: bootstrap_loop(y, X, idx), repeat=1)
    loop_full = t_loop * N_BOOT / m
    diff = float(np.max(np.abs(res.draws[:m] - loop) / np.abs(loop)))
    rows.append(("bootstrap, 10,000 resamples", ours, loop_full, loop_full / ours, f">= {TARGETS['bootstrap']:.0f}x",
                 loop_full / ours >= TARGETS["bootstrap"]))
    notes.append(f"bootstrap: loop timed on {m} of the same resamples and extrapolated x{N_BOOT / m:g}; "
                 f"max relative difference from ours {diff:.1e}")
    t_pd, _ = timed(lambda: bootstrap_loop_pandas(d, OUTCOME, predictors, idx[:min(m, 200)]), repeat=1)
    pd_full = t_pd * N_BOOT / min(m, 200)
    notes.append(f"bootstrap: a pandas .iloc loop takes {pd_full:.1f} s for 10,000 (ratio {pd_full / ours:.0f}x)")

    # 2. permutation
    ours, _ = timed(lambda: rb.permutation_test(data, OUTCOME, predictors, n_perm=N_PERM, rng=SEED))
    perms = rb.permutation_indices(n, m, SEED)
    t_loop, p_loop = timed(lambda: freedman_lane_loop(y, X, perms), repeat=1)
    loop_full = t_loop * N_PERM / m
    same = rb.permutation_test(data, OUTCOME, predictors, n_perm=m, rng=SEED)["p_value"].to_numpy()
    rows.append((f"permutation, 10,000 x {k - 1} terms", ours, loop_full, loop_full / ours,
                 f">= {TARGETS['permutation']:.0f}x", loop_full / ours >= TARGETS["permutation"]))
    notes.append(f"permutation: loop timed on {m} of the same permutations ({m * (k - 1)} fits) and extrapolated "
                 f"x{N_PERM / m:g}; p-values on those {m} permutations identical: {bool(np.array_equal(same, p_loop))}")

    # 3. specification curve
    controls = {c: [c] for c in SPEC_CONTROLS}
    run_spec = lambda: rb.specification_curve(  # noqa: E731
        data, outcomes=SPEC_OUTCOMES, focal=SPEC_FOCAL, controls=controls, alternatives=SPEC_ALTERNATIVES,
        estimators=("ols",), cov_type=SPEC_COV)
    run_spec()
    ours, spec = timed(run_spec)
    tab = spec.table
    n_models = spec.n_specs
    step = max(1, n_models // args.spec_sample)
    ids = np.arange(0, n_models, step)[:args.spec_sample]
    specs = []
    for sid in ids:
        g = tab[tab["spec_id"] == sid]
        first = g.iloc[0]
        ctrl = [] if first["controls"] == "none" else first["controls"].split("+")
        terms = g["term"].tolist()
        specs.append((first["outcome"], list(dict.fromkeys(terms + ctrl)), terms))
    t_loop, est_loop = timed(lambda: spec_loop(data, specs), repeat=1)
    loop_full = t_loop * n_models / len(ids)
    ours_est = tab[tab["spec_id"].isin(ids)]["estimate"].to_numpy()
    diff = float(np.max(np.abs(ours_est - est_loop) / np.abs(est_loop)))
    rows.append((f"specification curve, {n_models:,} models", ours, loop_full, loop_full / ours,
                 f">= {TARGETS['spec']:.0f}x", loop_full / ours >= TARGETS["spec"]))
    notes.append(f"specification curve: {SPEC_COV}; loop fitted {len(ids)} of the {n_models} specifications "
                 f"(every {step}th) and was extrapolated x{n_models / len(ids):g}; max relative difference {diff:.1e}")

    # 4. import time (fresh interpreters, interleaved)
    t_cc = fresh_import("cybercult")
    t_pd = fresh_import("pandas")
    rows.append(("import cybercult (vs import pandas)", t_cc, t_pd, t_cc / t_pd,
                 f"<= pandas + {TARGETS['import_margin']} s", t_cc <= t_pd + TARGETS["import_margin"]))

    # 5. the whole default run, cold
    if args.skip_run:
        rows.append(("cybercult run (default study, cold)", None, None, None, f"< {TARGETS['run']:.0f} s",
                     "skipped"))
    else:
        t_run, status = cold_run()
        rows.append(("cybercult run (default study, cold)", t_run, None, None, f"< {TARGETS['run']:.0f} s",
                     "not available" if status == "not available" else
                     "failed" if t_run is None else t_run < TARGETS["run"]))
        if t_run is None:
            notes.append(f"cybercult run: {status}")

    def f(v, fmt):
        width = int(fmt.split(".")[0])
        return "-".rjust(width) if v is None else format(v, fmt)

    print()
    header = f"{'task':<38} {'ours (s)':>9} {'loop (s)':>9} {'ratio':>8}  {'target':<22} met"
    print(header)
    print("-" * len(header))
    for task, ours_t, loop_t, ratio, target, met in rows:
        status = met if isinstance(met, str) else ("yes" if met else "no")
        print(f"{task:<38} {f(ours_t, '9.3f')} {f(loop_t, '9.2f')} {f(ratio, '8.1f')}  {target:<22} {status}")
    print()
    print("import row: 'loop' column is `import pandas`; ratio = cybercult / pandas (both fresh interpreters, "
          "median of 5).")
    for note in notes:
        print("note:", note)
    return 0


if __name__ == "__main__":
    sys.exit(main())
