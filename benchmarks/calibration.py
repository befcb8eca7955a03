#!/usr/bin/env python
"""Calibration of the verdict rule: false-positive rate for null factors, power for true effects.

Run from the repository root::

    python benchmarks/calibration.py                 # 2,000 panels per sample size (a few minutes)
    python benchmarks/calibration.py --n-sims 500 --out calibration.csv

Synthetic panels are shaped like the real one (``cybercult.stats.calibration``):

* n = 63 (the default model's listwise sample) and n = 85 countries;
* the ten default predictors, correlated as on the default panel (their Pearson
  correlations on the listwise sample of ``cc.build_panel()``);
* a ceiling-bounded 0-100 outcome: ``100 * logistic(logit(0.9) + 1.3 * latent)``, so the
  median country scores 90 and the distribution is skewed to the left as GCI 2020 is
  (about half the countries at 90 or more; skewness about -1.7, GCI 2020: 55 %, -1.6);
* known effects on the latent commitment (standardized): two drivers and two blockers,
  log GDP per capita +0.4, armed forces per 1,000 -0.4, individualism +0.2, power
  distance -0.2 (Hofstede Insights), and six null factors (democracy, military expenditure,
  masculinity, uncertainty avoidance, long-term orientation, indulgence; beta = 0).

Each panel is fitted by OLS with HC3 errors and classified by ``classify_factors`` with
each correction. The table gives, per correction and true |beta|: the share of
factor-panels called with the true sign (power) or, for the nulls, called driver or
blocker at all (false-positive rate), the share called negligible, and for the nulls the
share of panels with at least one false call (family-wise).

The seed is fixed (``--seed``), so the numbers are reproducible.
"""
from __future__ import annotations

import argparse
import sys
import time
import warnings

import numpy as np
import pandas as pd

TRUE_BETAS = {"wdi.log_gdppc_ppp": 0.4, "wdi_af.per1000": -0.4, "hofstede_insights.idv": 0.2,
              "hofstede_insights.pdi": -0.2}


def default_correlation() -> pd.DataFrame:
    """Pearson correlations of the default predictors on the default panel's listwise sample."""
    import cybercult as cc

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        panel = cc.build_panel()
    preds = list(cc.DEFAULT_PREDICTORS)
    missing = sorted(set(TRUE_BETAS) - set(preds))
    if missing:
        raise ValueError(f"the true effects name {missing}, which are not default predictors {preds}")
    return panel.data[[cc.DEFAULT_OUTCOME, *preds]].dropna()[preds].corr()


def main(argv=None) -> int:
    from cybercult.stats.calibration import calibrate_verdict

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n-sims", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=20240613)
    ap.add_argument("--alpha", type=float, default=0.05)
    ap.add_argument("--out", help="also write the table as CSV")
    args = ap.parse_args(argv)
    corr = default_correlation()
    frames = []
    t0 = time.perf_counter()
    rng = np.random.default_rng(args.seed)
    for n in (63, 85):
        frames.append(calibrate_verdict(corr, TRUE_BETAS, n=n, n_sims=args.n_sims, rng=rng, alpha=args.alpha,
                                        padjusts=("fdr_bh", "holm", "none")))
    table = pd.concat(frames, ignore_index=True)
    print(f"{args.n_sims} panels per sample size, alpha = {args.alpha}, seed {args.seed}, "
          f"{time.perf_counter() - t0:.0f} s\n")
    show = table.copy()
    show["what"] = np.where(show["true_beta"] == 0, "null: called driver/blocker (FPR)",
                            "true effect: called with its sign (power)")
    show["rate"] = np.where(show["true_beta"] == 0, show["called_wrong_sign"], show["called_right_sign"])
    cols = ["n", "padjust", "true_beta", "what", "rate", "called_wrong_sign", "negligible",
            "familywise_false_positive"]
    print(show[cols].to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    if args.out:
        table.to_csv(args.out, index=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
