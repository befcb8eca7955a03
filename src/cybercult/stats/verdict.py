"""The verdict: which factors are drivers, which blockers, which show no clear effect."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ._validate import (
    PADJUST_METHODS,
    PADJUST_NAMES,
    catalogue_variable,
    check_alpha,
    check_choice,
    fmt_num,
    fmt_p,
    padjust as _padjust,
)
from .results import ModelResult

ROLES = ("driver", "blocker", "no clear effect")
VERDICT_COLUMNS = ["factor", "label", "block", "role", "estimate", "ci_low", "ci_high", "p_value", "p_adj", "n",
                   "evidence", "spec_share"]

VERDICT_RULE = (
    "A factor is a driver when its standardized effect points toward more cybersecurity commitment, its "
    "p-value adjusted across the model's factors (Benjamini-Hochberg unless stated) is below alpha (0.05 "
    "unless stated) and its confidence interval excludes 0; when a robustness table is given, it must also "
    "have the same sign and be significant in at least min_share (50% unless stated) of the specifications. "
    "A blocker meets the same conditions with the effect pointing toward less commitment. Every other factor "
    "has no clear effect. Direction: a positive effect means more commitment unless the catalogue says a "
    "higher outcome means lower commitment (e.g. GCI 2024 tiers), in which case the sign is flipped."
)

_LOWER_WORDS = ("lower", "less", "worse", "weaker", "fewer")


def outcome_direction(outcome: str, higher_is_better: bool | None = None) -> tuple[int, str]:
    """+1 when a higher outcome means more commitment, -1 when it means less; and why.

    ``higher_is_better`` overrides the catalogue. Otherwise the catalogue's
    ``higher_is`` text is read: starting with "lower", "less", "worse",
    "weaker" or "fewer" means -1. Unknown outcomes count as +1.
    """
    if higher_is_better is not None:
        return (1 if higher_is_better else -1), "as given (higher_is_better=%s)" % bool(higher_is_better)
    var = catalogue_variable(outcome)
    if var is None:
        return 1, f"{outcome!r} not in the catalogue: a higher value is taken to mean more commitment"
    text = str(getattr(var, "higher_is", "")).strip()
    if text.lower().startswith(_LOWER_WORDS):
        return -1, f"catalogue: a higher {outcome} means {text!r}, so the sign is flipped"
    return 1, f"catalogue: a higher {outcome} means {text!r}"


def classify_factors(
    result: ModelResult,
    *,
    alpha: float = 0.05,
    padjust: str = "fdr_bh",
    robustness: pd.DataFrame | None = None,
    min_share: float = 0.5,
    higher_is_better: bool | None = None,
) -> pd.DataFrame:
    """Turn a model into one row per factor: driver, blocker or no clear effect.

    The rule: A factor is a driver when its standardized effect points toward
    more cybersecurity commitment, its p-value adjusted across the model's
    factors (Benjamini-Hochberg unless stated) is below alpha (0.05 unless
    stated) and its confidence interval excludes 0; when a robustness table
    is given, it must also have the same sign and be significant in at least
    min_share (50% unless stated) of the specifications. A blocker meets the
    same conditions with the effect pointing toward less commitment. Every
    other factor has no clear effect. Direction: a positive effect means more
    commitment unless the catalogue says a higher outcome means lower
    commitment (e.g. GCI 2024 tiers), in which case the sign is flipped.

    Parameters
    ----------
    result : ModelResult
        From :func:`~cybercult.stats.regress`, :func:`fractional_logit`
        or :func:`ordinal_logit`.
    alpha : float
        Threshold for the adjusted p-value.
    padjust : {"fdr_bh", "holm", "bonferroni", "none"}
        Correction across the model's factors (recomputed from ``p_value``).
    robustness : DataFrame, optional
        Columns ``term`` and ``share_same_sign_significant`` (0-1): the share
        of alternative specifications where the term has the same sign and is
        significant. A factor missing from it cannot be a driver or blocker.
    min_share : float
        Least share of specifications required when ``robustness`` is given.
    higher_is_better : bool, optional
        Whether a higher outcome means more commitment; default from the
        catalogue (see :func:`outcome_direction`).

    Returns
    -------
    DataFrame
        One row per factor (predictor term), columns:

        - ``factor``: the term id; ``label``; ``block``;
        - ``role``: ``"driver"``, ``"blocker"`` or ``"no clear effect"``;
        - ``estimate``: standardized effect (``beta``; the raw coefficient if
          the model has no betas), ``ci_low``, ``ci_high``: its CI (the
          model's confidence level);
        - ``p_value``; ``p_adj``: adjusted with ``padjust`` across factors;
        - ``n``: countries in the model;
        - ``evidence``: the numbers behind the role, in words;
        - ``spec_share``: share from ``robustness`` (NaN without it).

        ``attrs["rule"]`` holds :data:`VERDICT_RULE`, ``attrs["direction"]``
        how the outcome's direction was read.

    Notes
    -----
    p-values adjusted with ``statsmodels.stats.multitest.multipletests``
    (Benjamini & Hochberg 1995). For a standardized OLS coefficient, the CI
    excludes 0 exactly when the unadjusted p-value is below the model's
    alpha, so with the default settings the adjusted p-value is the binding
    condition.

    Examples
    --------
    >>> verdict = classify_factors(regress(panel, "gci2020.score", predictors))  # doctest: +SKIP
    >>> verdict[["factor", "role", "evidence"]]  # doctest: +SKIP
    """
    if not isinstance(result, ModelResult):
        raise TypeError(f"result must be a ModelResult (from regress, fractional_logit, ordinal_logit), "
                        f"got {type(result).__name__}")
    alpha = check_alpha(alpha)
    check_choice(padjust, PADJUST_METHODS, "padjust")
    if not isinstance(min_share, (int, float)) or not 0 <= min_share <= 1:
        raise ValueError(f"min_share must be a number between 0 and 1, got {min_share!r}")
    shares = None
    if robustness is not None:
        if not isinstance(robustness, pd.DataFrame):
            raise TypeError("robustness must be a DataFrame with columns term, share_same_sign_significant")
        need = {"term", "share_same_sign_significant"}
        lacking = sorted(need - set(robustness.columns))
        if lacking:
            raise ValueError(f"robustness lacks column(s) {lacking}; it has {list(robustness.columns)}")
        if robustness["term"].duplicated().any():
            raise ValueError("robustness has more than one row for term(s) "
                             f"{sorted(robustness.loc[robustness['term'].duplicated(), 'term'].unique())}")
        shares = robustness.set_index("term")["share_same_sign_significant"].astype(float)
    sign, direction = outcome_direction(result.outcome, higher_is_better)

    tab = result.table
    factors = tab[(tab["term"] != "const") & (tab["block"].fillna("") != "")].reset_index(drop=True)
    if factors.empty:
        raise ValueError("the model has no predictor terms to classify")
    use_beta = factors["beta"].notna().all()
    est = factors["beta"] if use_beta else factors["estimate"]
    lo = factors["beta_ci_low"] if use_beta else factors["ci_low"]
    hi = factors["beta_ci_high"] if use_beta else factors["ci_high"]
    p_adj = _padjust(factors["p_value"].to_numpy(), padjust)
    what = "beta" if use_beta else "b (raw; no standardized beta)"
    rows = []
    for i, f in factors.iterrows():
        e, l_, h, pa = float(est.iloc[i]), float(lo.iloc[i]), float(hi.iloc[i]), float(p_adj[i])
        share = float(shares.get(f["term"], np.nan)) if shares is not None else np.nan
        sig_p = pa < alpha
        sig_ci = l_ > 0 or h < 0
        robust_ok = shares is None or (not math.isnan(share) and share >= min_share)
        toward = sign * np.sign(e)
        parts = [f"{what} = {fmt_num(e)} [{fmt_num(l_)}, {fmt_num(h)}] "
                 + ("excludes 0" if sig_ci else "includes 0"),
                 f"p_adj = {fmt_p(pa)} ({PADJUST_NAMES[padjust]}) {'<' if sig_p else '>='} {alpha:g}"]
        if shares is not None:
            parts.append("not in the robustness table" if math.isnan(share) else
                         f"same sign and significant in {share:.0%} of specifications "
                         f"({'>=' if robust_ok else '<'} {min_share:.0%})")
        if sig_p and sig_ci and robust_ok and toward != 0:
            role = "driver" if toward > 0 else "blocker"
            parts.append("toward " + ("more" if toward > 0 else "less") + " commitment")
        else:
            role = "no clear effect"
        rows.append({"factor": f["term"], "label": f["label"], "block": f["block"], "role": role, "estimate": e,
                     "ci_low": l_, "ci_high": h, "p_value": float(f["p_value"]), "p_adj": pa, "n": int(f["n"]),
                     "evidence": "; ".join(parts), "spec_share": share})
    out = pd.DataFrame(rows, columns=VERDICT_COLUMNS)
    out.attrs["rule"] = VERDICT_RULE
    # one line for figure captions: the rule with this call's settings
    name = {"fdr_bh": "BH", "holm": "Holm", "bonferroni": "Bonferroni", "none": "unadjusted"}[padjust]
    out.attrs["rule_short"] = (f"driver / blocker: effect toward more / less commitment, {name}-adjusted "
                               f"p < {alpha:g}, 95% CI excludes 0"
                               + (f", same sign and significant in >= {min_share:.0%} of specifications"
                                  if robustness is not None else ""))
    out.attrs["direction"] = direction
    out.attrs["settings"] = (f"alpha = {alpha:g}, padjust = {PADJUST_NAMES[padjust]}"
                             + (f", min_share = {min_share:g}" if shares is not None else ""))
    return out
