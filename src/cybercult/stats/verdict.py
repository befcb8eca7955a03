"""The verdict: which factors drive commitment, which block it, which are negligible, which are inconclusive.

One rule for every outcome, pillar and figure (:func:`classify_factors`), and
its counterpart for blocks of factors (:func:`classify_blocks`).
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
from scipy import stats

from ._validate import (
    COV_TYPES,
    PADJUST_METHODS,
    PADJUST_NAMES,
    catalogue_variable,
    check_alpha,
    check_choice,
    check_frame,
    fmt_num,
    fmt_p,
    padjust as _padjust,
)
from .results import ModelResult

__all__ = ["ROLES", "BLOCK_ROLES", "VERDICT_RULE", "BLOCK_RULE", "VERDICT_COLUMNS", "BLOCK_COLUMNS",
           "classify_factors", "classify_blocks", "outcome_direction", "tost_p", "fcr_level"]

#: The four roles a factor can have, in the order figures and legends show them.
ROLES = ("driver", "blocker", "negligible", "inconclusive")
#: The three roles a block of factors can have.
BLOCK_ROLES = ("matters", "negligible", "inconclusive")

VERDICT_COLUMNS = [
    "outcome", "term", "label", "block", "role", "estimate", "std_error", "ci_low", "ci_high", "ci_level",
    "ci_low_unadj", "ci_high_unadj", "p_value", "p_adj", "p_equiv", "p_equiv_adj", "r_bivariate", "suppression",
    "robust_share", "robust", "region_share", "robust_region", "n", "evidence", "note",
]

VERDICT_RULE = (
    "Each factor of the model gets exactly one of four roles. "
    "Driver: its standardized effect (beta) points toward more cybersecurity commitment and its test, with the "
    "model's heteroskedasticity-robust standard errors, is significant after the study's multiplicity "
    "correction across the model's factors (adjusted p below alpha). "
    "Blocker: the same, with the effect pointing toward less commitment. "
    "Negligible: not a driver or blocker, and two one-sided tests (TOST; Schuirmann 1987, Lakens 2017) show "
    "that beta lies within plus or minus the smallest effect size of interest (sesoi, 0.1 unless stated), with "
    "the same correction. "
    "Inconclusive: neither. "
    "Direction: a positive beta means more commitment unless the catalogue says a higher outcome means lower "
    "commitment (GCI 2024 tiers), in which case the sign is flipped. "
    "The interval reported and drawn is the one the decision rests on: with Benjamini-Hochberg, the "
    "false-coverage-rate adjusted interval of Benjamini and Yekutieli (2005) at level 1 - R alpha / m (R factors "
    "selected out of m); with Holm or Bonferroni, the Bonferroni interval at level 1 - alpha / m; without "
    "correction, the 1 - alpha interval. "
    "Robustness is a separate grade (robust_share: share of specifications of the specification curve in which "
    "the factor keeps the sign of the main estimate and is significant; robust: robust_share >= min_share); "
    "it becomes a condition for driver and blocker only when robustness_gate is set. "
    "A factor whose sign in the model differs from its bivariate correlation with the outcome is flagged "
    "(suppression): its conditional effect must not be read as its bivariate association."
)

BLOCK_RULE = (
    "A block of factors (culture, politics, military, ...) matters when its coefficients are jointly "
    "significant: the Wald F-test with the model's heteroskedasticity-robust covariance, adjusted across the "
    "blocks of the same comparison with the study's correction, is below alpha. "
    "It is negligible when it does not matter and a non-inferiority test of the increment (Campbell and Lakens "
    "2021: the F statistic against a non-central F whose effect size is the smallest effect of interest, "
    "Cohen's f2 = 0.02 unless stated), with the same correction, shows that its added share of variance is "
    "smaller than that. Otherwise it is inconclusive. "
    "Two comparisons: the block entered last, beyond every other block, and the block beyond development alone. "
    "The classical F-change and a Freedman-Lane permutation test of the same increment are reported beside "
    "the robust test as checks."
)

BLOCK_COLUMNS = ["outcome", "block", "terms", "comparison", "n", "df1", "df2", "r2_reduced", "r2_full", "delta_r2",
                 "f2", "f_change", "f_change_p", "robust_wald_f", "robust_wald_p", "permutation_p", "p_adj",
                 "p_equiv", "p_equiv_adj", "role", "evidence", "note"]

_LOWER_WORDS = ("lower", "less", "worse", "weaker", "fewer")
_SHORT = {"fdr_bh": "BH", "holm": "Holm", "bonferroni": "Bonferroni", "none": "unadjusted"}


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


# --------------------------------------------------------------------------- small tools
def tost_p(estimate, std_error, df, sesoi: float) -> np.ndarray:
    """p-value of two one-sided tests that ``|effect| < sesoi`` (equivalence).

    Parameters
    ----------
    estimate, std_error : array-like
        Estimates and their standard errors.
    df : array-like or float
        Degrees of freedom of the t reference; ``inf`` or NaN uses the normal.
    sesoi : float
        Smallest effect size of interest; the equivalence bounds are ``-sesoi`` and ``sesoi``.

    Returns
    -------
    ndarray
        ``max(p_lower, p_upper)`` with ``p_lower = P(T >= (b + sesoi) / se)``
        (H0: effect <= -sesoi) and ``p_upper = P(T <= (b - sesoi) / se)``
        (H0: effect >= sesoi).

    Notes
    -----
    Schuirmann (1987); Lakens (2017). statsmodels' ``ttost_ind``, ``ttost_paired``
    and ``ztost`` need the raw samples, not a coefficient and its (robust)
    standard error, so the two one-sided t tests are written here from
    ``scipy.stats.t``; the test suite checks them against ``ttost_ind`` on a
    regression whose coefficient is a difference of two means. Equivalence at
    ``alpha`` is the same as the ``1 - 2 alpha`` interval lying within the bounds.
    """
    b = np.asarray(estimate, dtype=float)
    se = np.asarray(std_error, dtype=float)
    dfa = np.broadcast_to(np.asarray(df, dtype=float), b.shape)
    normal = ~np.isfinite(dfa)
    with np.errstate(invalid="ignore", divide="ignore"):
        t_low = (b + sesoi) / se
        t_up = (b - sesoi) / se
        p_low = np.where(normal, stats.norm.sf(t_low), stats.t.sf(t_low, np.where(normal, 1.0, dfa)))
        p_up = np.where(normal, stats.norm.cdf(t_up), stats.t.cdf(t_up, np.where(normal, 1.0, dfa)))
    return np.maximum(p_low, p_up)


def fcr_level(padjust: str, alpha: float, m: int, n_selected: int) -> tuple[float, str]:
    """Confidence level of the interval a decision with ``padjust`` rests on, and its name.

    ``fdr_bh``: Benjamini & Yekutieli (2005) false-coverage-rate adjusted
    intervals, level ``1 - R alpha / m`` with ``R`` the number of factors BH
    selects (``R = 1`` when none is selected, the most conservative choice).
    ``holm`` and ``bonferroni``: Bonferroni intervals, ``1 - alpha / m``.
    ``none``: ``1 - alpha``.
    """
    if padjust == "fdr_bh":
        r = max(int(n_selected), 1)
        return 1 - r * alpha / m, f"FCR-adjusted (Benjamini-Yekutieli, R = {int(n_selected)} of m = {m})"
    if padjust in ("holm", "bonferroni"):
        return 1 - alpha / m, f"Bonferroni-adjusted (m = {m})"
    return 1 - alpha, "unadjusted"


def _quantile(level: float, df) -> np.ndarray:
    dfa = np.asarray(df, dtype=float)
    q_t = stats.t.ppf(0.5 + level / 2, np.where(np.isfinite(dfa), dfa, 1.0))
    return np.where(np.isfinite(dfa), q_t, stats.norm.ppf(0.5 + level / 2))


def _model_padjust(result: ModelResult) -> str:
    """The correction the model used for ``p_adj``: attribute, then its notes, then recomputation."""
    own = getattr(result, "padjust", None)
    if own in PADJUST_METHODS:
        return own
    for note in getattr(result, "notes", ()) or ():
        m = re.search(r"p_adj: ([A-Za-z-]+) over", str(note))
        if m:
            for key, name in PADJUST_NAMES.items():
                if name == m.group(1):
                    return key
    tab = result.table
    rows = tab[tab["p_value"].notna() & tab["p_adj"].notna()]
    for key in PADJUST_METHODS:
        if len(rows) and np.allclose(_padjust(rows["p_value"].to_numpy(), key), rows["p_adj"].to_numpy()):
            return key
    return "fdr_bh"


def _bivariate(result: ModelResult, terms: list[str]) -> dict[str, float]:
    """Pearson r of each term with the outcome on the model's own sample (dummy terms as 0/1)."""
    used = getattr(result, "data_used", None)
    out = {}
    if not isinstance(used, pd.DataFrame) or result.outcome not in used.columns:
        return out
    y = pd.to_numeric(used[result.outcome], errors="coerce")
    plain = [t for t in terms if t in used.columns]
    block = used[[result.outcome, *plain]].apply(pd.to_numeric, errors="coerce")
    if block.notna().all().all() and len(block) > 2:  # the usual case (a listwise sample): one corrcoef
        with np.errstate(invalid="ignore", divide="ignore"):
            r = np.corrcoef(block.to_numpy(float), rowvar=False)[0, 1:]
        out.update({t: float(v) for t, v in zip(plain, r) if np.isfinite(v)})
        terms = [t for t in terms if t not in plain]
    for t in terms:
        if t in used.columns:
            x = pd.to_numeric(used[t], errors="coerce")
        else:
            m = re.fullmatch(r"(.+)\[(.+)\]", t)
            if not m or m.group(1) not in used.columns:
                continue
            x = (used[m.group(1)].astype(str).str.replace(r"\.0$", "", regex=True) == m.group(2)).astype(float)
        ok = x.notna() & y.notna()
        if ok.sum() > 2 and x[ok].std() > 0 and y[ok].std() > 0:
            out[t] = float(np.corrcoef(x[ok], y[ok])[0, 1])
    return out


def _robust_shares(robustness: pd.DataFrame | None):
    if robustness is None:
        return None
    if not isinstance(robustness, pd.DataFrame):
        raise TypeError("robustness must be a DataFrame (SpecCurveResult.summary) with a column term and "
                        "share_positive_significant / share_negative_significant or share_same_sign_significant")
    if "term" not in robustness.columns:
        raise ValueError(f"robustness lacks column(s) ['term']; it has {list(robustness.columns)}")
    has_signed = {"share_positive_significant", "share_negative_significant"} <= set(robustness.columns)
    if not has_signed and "share_same_sign_significant" not in robustness.columns:
        raise ValueError("robustness lacks column(s) ['share_positive_significant', 'share_negative_significant'] "
                         f"(or 'share_same_sign_significant'); it has {list(robustness.columns)}")
    if robustness["term"].duplicated().any():
        raise ValueError("robustness has more than one row for term(s) "
                         f"{sorted(robustness.loc[robustness['term'].duplicated(), 'term'].unique())}")
    return robustness.set_index("term")


def _share_for(rob: pd.DataFrame, term: str, sign: float, suffix: str = "") -> float:
    if term not in rob.index:
        return np.nan
    row = rob.loc[term]
    pos, neg = f"share_positive_significant{suffix}", f"share_negative_significant{suffix}"
    if pos in rob.columns and neg in rob.columns:
        v = row[pos] if sign > 0 else row[neg] if sign < 0 else np.nan
        return float(v) if pd.notna(v) else np.nan
    if suffix:
        return np.nan
    return float(row["share_same_sign_significant"])


# --------------------------------------------------------------------------- factor verdict
def classify_factors(
    result: ModelResult,
    *,
    alpha: float = 0.05,
    padjust: str | None = None,
    sesoi: float = 0.1,
    robustness: pd.DataFrame | None = None,
    min_share: float = 0.5,
    robustness_gate: bool = False,
    higher_is_better: bool | None = None,
    bivariate=None,
) -> pd.DataFrame:
    """Name every factor of a model a driver, blocker, negligible or inconclusive.

    The rule (:data:`VERDICT_RULE`): Each factor of the model gets exactly one
    of four roles. Driver: its standardized effect (beta) points toward more
    cybersecurity commitment and its test, with the model's
    heteroskedasticity-robust standard errors, is significant after the
    study's multiplicity correction across the model's factors (adjusted p
    below alpha). Blocker: the same, with the effect pointing toward less
    commitment. Negligible: not a driver or blocker, and two one-sided tests
    (TOST; Schuirmann 1987, Lakens 2017) show that beta lies within plus or
    minus the smallest effect size of interest (sesoi, 0.1 unless stated),
    with the same correction. Inconclusive: neither. Direction: a positive
    beta means more commitment unless the catalogue says a higher outcome
    means lower commitment (GCI 2024 tiers), in which case the sign is
    flipped. The interval reported and drawn is the one the decision rests
    on: with Benjamini-Hochberg, the false-coverage-rate adjusted interval of
    Benjamini and Yekutieli (2005) at level 1 - R alpha / m (R factors
    selected out of m); with Holm or Bonferroni, the Bonferroni interval at
    level 1 - alpha / m; without correction, the 1 - alpha interval.
    Robustness is a separate grade (robust_share: share of specifications of
    the specification curve in which the factor keeps the sign of the main
    estimate and is significant; robust: robust_share >= min_share); it
    becomes a condition for driver and blocker only when robustness_gate is
    set. A factor whose sign in the model differs from its bivariate
    correlation with the outcome is flagged (suppression): its conditional
    effect must not be read as its bivariate association.

    Parameters
    ----------
    result : ModelResult
        From :func:`~cybercult.stats.regress`, :func:`fractional_logit` or
        :func:`ordinal_logit`. Every predictor term is classified.
    alpha : float, default 0.05
        Significance level of the tests (and ``1 - alpha`` before adjustment
        of the intervals).
    padjust : {"fdr_bh", "holm", "bonferroni", "none"}, optional
        Correction across the model's factors; default: the one the model
        used for its ``p_adj`` column.
    sesoi : float, default 0.1
        Smallest effect size of interest for the equivalence test, in units of
        ``beta`` (standard deviations of the outcome per standard deviation of
        the factor for OLS; log-odds per SD for the logit models).
    robustness : DataFrame, optional
        ``SpecCurveResult.summary`` (or any table with ``term`` and
        ``share_positive_significant`` / ``share_negative_significant``, or
        ``share_same_sign_significant``; with ``..._region`` columns also the
        share within the specifications with region fixed effects or
        region-clustered standard errors).
    min_share : float, default 0.5
        Share of specifications a factor needs to be graded robust.
    robustness_gate : bool, default False
        Whether being robust is a condition for driver and blocker (a gate)
        or only reported (a grade). See Notes for why a grade is the default.
    higher_is_better : bool, optional
        Whether a higher outcome means more commitment; default from the
        catalogue (see :func:`outcome_direction`).
    bivariate : Series or dict, optional
        Term -> bivariate correlation with the outcome, for the suppression
        flag; default: Pearson r on the model's own sample (``result.data_used``).

    Returns
    -------
    DataFrame
        One row per predictor term, columns:

        - ``outcome``, ``term``, ``label``, ``block``;
        - ``role``: ``driver``, ``blocker``, ``negligible`` or ``inconclusive``;
        - ``estimate``: beta (the raw coefficient if the model has no betas),
          ``std_error``: its standard error;
        - ``ci_low``, ``ci_high``: the decision interval at level ``ci_level``
          (see the rule); ``ci_low_unadj``, ``ci_high_unadj``: the ``1 - alpha``
          interval;
        - ``p_value``; ``p_adj``: adjusted with ``padjust`` across the factors;
        - ``p_equiv``: TOST p-value for ``|beta| < sesoi`` (:func:`tost_p`),
          ``p_equiv_adj``: adjusted the same way;
        - ``r_bivariate``: Pearson r with the outcome on the same countries;
          ``suppression``: True when its sign differs from the sign of ``estimate``;
        - ``robust_share`` (NaN without ``robustness``), ``robust`` (None
          without it); ``region_share``, ``robust_region``: the same within the
          specifications that model regions (Galton's problem);
        - ``n``: countries in the model;
        - ``evidence``: the numbers behind the role, in words; ``note``: caveats
          (suppression, a Holm decision the Bonferroni interval cannot show, ...).

        ``attrs``: ``rule`` (:data:`VERDICT_RULE`), ``rule_short`` (for paper
        captions), ``rule_tiny`` (one line for slides), ``direction``, ``settings``, ``padjust``, ``alpha``,
        ``sesoi``, ``ci_level``, ``ci_method``, ``ci_label`` (axis text).

    Notes
    -----
    Why robustness is a grade by default: the role is a test with a known
    error rate under the study's correction (measured in
    ``benchmarks/calibration.py``); the share of a specification curve is a
    description (Simonsohn, Simmons & Nelson 2020) whose value depends on
    which outcomes, controls and estimators are pooled, so using it as a gate
    changes the rule's error rates by an amount nobody states, and it lets a
    choice of pool veto a pre-registered test. Reporting it beside the role
    keeps both visible; set ``robustness_gate=True`` to require it.

    A factor that is both significant and within the equivalence bounds (a
    real but small effect) is a driver or blocker; its ``note`` says that it
    is smaller than ``sesoi``.

    Benjamini, Y. & Yekutieli, D. (2005). False discovery rate-adjusted
    multiple confidence intervals for selected parameters. JASA 100, 71-81.
    Lakens, D. (2017). Equivalence tests. Social Psychological and
    Personality Science 8, 355-362. Schuirmann, D. J. (1987). J.
    Pharmacokinetics and Biopharmaceutics 15, 657-680.

    Examples
    --------
    >>> verdict = classify_factors(regress(panel, "gci2020.score", predictors))  # doctest: +SKIP
    >>> verdict[["term", "role", "ci_low", "ci_high", "evidence"]]  # doctest: +SKIP
    """
    if not isinstance(result, ModelResult):
        raise TypeError(f"result must be a ModelResult (from regress, fractional_logit, ordinal_logit), "
                        f"got {type(result).__name__}")
    alpha = check_alpha(alpha)
    padjust = _model_padjust(result) if padjust is None else check_choice(padjust, PADJUST_METHODS, "padjust")
    if not isinstance(min_share, (int, float)) or isinstance(min_share, bool) or not 0 <= min_share <= 1:
        raise ValueError(f"min_share must be a number between 0 and 1, got {min_share!r}")
    if not isinstance(sesoi, (int, float)) or isinstance(sesoi, bool) or not sesoi > 0:
        raise ValueError(f"sesoi must be a positive number (smallest effect size of interest), got {sesoi!r}")
    if not isinstance(robustness_gate, bool):
        raise TypeError(f"robustness_gate must be True or False, got {robustness_gate!r}")
    rob = _robust_shares(robustness)
    if robustness_gate and rob is None:
        raise ValueError("robustness_gate=True needs a robustness table (robustness=spec.summary)")
    sign, direction = outcome_direction(result.outcome, higher_is_better)

    tab = result.table
    if "kind" not in tab.columns:
        raise ValueError("the model table has no 'kind' column (intercept, predictor, cut point); "
                         "fit the model with cybercult's regress, fractional_logit or ordinal_logit")
    factors = tab[tab["kind"] == "predictor"].reset_index(drop=True)
    if factors.empty:
        raise ValueError("the model has no predictor terms to classify")
    m = len(factors)
    use_beta = bool(factors["beta"].notna().all())
    est = (factors["beta"] if use_beta else factors["estimate"]).to_numpy(float)
    df = factors["df"].to_numpy(float)
    # the model's own critical value gives the standard error of beta (same test as the raw coefficient)
    with np.errstate(invalid="ignore", divide="ignore"):
        q_model = (factors["ci_high"] - factors["estimate"]).to_numpy(float) / factors["std_error"].to_numpy(float)
        se = ((factors["beta_ci_high"] - factors["beta_ci_low"]).to_numpy(float) / (2 * q_model) if use_beta
              else factors["std_error"].to_numpy(float))
    p = factors["p_value"].to_numpy(float)
    p_adj = _padjust(p, padjust)
    significant = np.isfinite(p_adj) & (p_adj < alpha)
    p_eq = tost_p(est, se, df, sesoi)
    p_eq_adj = _padjust(p_eq, padjust)
    level, ci_method = fcr_level(padjust, alpha, m, int(significant.sum()))
    q_dec, q_raw = _quantile(level, df), _quantile(1 - alpha, df)
    lo, hi = est - q_dec * se, est + q_dec * se
    lo_u, hi_u = est - q_raw * se, est + q_raw * se

    if bivariate is None:
        biv = _bivariate(result, list(factors["term"]))
    else:
        biv = {str(k): float(v) for k, v in dict(bivariate).items()}
    what = "beta" if use_beta else "b (raw; no standardized beta)"
    rows = []
    for i, f in factors.iterrows():
        term = str(f["term"])
        e = float(est[i])
        toward = sign * np.sign(e)
        r = biv.get(term, np.nan)
        supp = bool(np.isfinite(r) and r != 0 and e != 0 and np.sign(r) != np.sign(e))
        share = _share_for(rob, term, np.sign(e)) if rob is not None else np.nan
        rshare = _share_for(rob, term, np.sign(e), "_region") if rob is not None else np.nan
        robust = None if rob is None else bool(np.isfinite(share) and share >= min_share)
        robust_region = None if (rob is None or not np.isfinite(rshare)) else bool(rshare >= min_share)
        parts = [f"{what} = {fmt_num(e)}, {100 * level:.4g}% {ci_method.split(' (')[0]} CI "
                 f"[{fmt_num(lo[i])}, {fmt_num(hi[i])}]",
                 f"p_adj = {fmt_p(p_adj[i])} ({PADJUST_NAMES[padjust]}) {'<' if significant[i] else '>='} {alpha:g}"]
        notes = []
        gated = False
        if significant[i] and toward != 0:
            if robustness_gate and not robust:
                role = "inconclusive"
                gated = True
            else:
                role = "driver" if toward > 0 else "blocker"
                parts.append("toward " + ("more" if toward > 0 else "less") + " commitment")
        elif np.isfinite(p_eq_adj[i]) and p_eq_adj[i] < alpha:
            role = "negligible"
        else:
            role = "inconclusive"
        parts.append(f"equivalence (TOST, |beta| < {sesoi:g}): p_adj = {fmt_p(p_eq_adj[i])}")
        if rob is not None:
            parts.append("not in the robustness table" if not np.isfinite(share) else
                         f"same sign and significant in {share:.0%} of specifications "
                         f"({'>=' if robust else '<'} {min_share:.0%})")
            if np.isfinite(rshare):
                parts.append(f"{rshare:.0%} of the specifications with region fixed effects or "
                             "region-clustered errors")
        if gated:
            notes.append(f"significant, but robust in only {share:.0%} of specifications "
                         f"(< {min_share:.0%}; robustness_gate)" if np.isfinite(share)
                         else "significant, but not in the robustness table (robustness_gate)")
        if role in ("driver", "blocker") and np.isfinite(p_eq_adj[i]) and p_eq_adj[i] < alpha:
            notes.append(f"significant but smaller than the smallest effect of interest ({sesoi:g})")
        if supp:
            notes.append(f"suppression: the sign in the model ({'+' if e > 0 else '-'}) differs from the "
                         f"bivariate correlation (r = {r:.2f}); read it as conditional on the other factors")
        if padjust == "holm" and significant[i] and lo[i] <= 0 <= hi[i]:
            notes.append("Holm rejects, but the Bonferroni interval still includes 0")
        if not use_beta:
            notes.append("no standardized beta: the equivalence bound applies to the raw coefficient")
        rows.append({
            "outcome": result.outcome, "term": term, "label": f["label"], "block": f["block"], "role": role,
            "estimate": e, "std_error": float(se[i]), "ci_low": float(lo[i]), "ci_high": float(hi[i]),
            "ci_level": level, "ci_low_unadj": float(lo_u[i]), "ci_high_unadj": float(hi_u[i]),
            "p_value": float(p[i]), "p_adj": float(p_adj[i]), "p_equiv": float(p_eq[i]),
            "p_equiv_adj": float(p_eq_adj[i]), "r_bivariate": r, "suppression": supp, "robust_share": share,
            "robust": robust, "region_share": rshare, "robust_region": robust_region, "n": int(f["n"]),
            "evidence": "; ".join(parts), "note": "; ".join(notes),
        })
    out = pd.DataFrame(rows, columns=VERDICT_COLUMNS)
    name = _SHORT[padjust]
    effect_name = "Standardized effect (\u03b2)" if use_beta else "Coefficient"
    out.attrs["rule"] = VERDICT_RULE
    out.attrs["rule_short"] = (
        f"driver / blocker: beta toward more / less commitment, {name}-adjusted p < {alpha:g}"
        + (f" and robust in >= {min_share:.0%} of specifications" if robustness_gate else "")
        + f"; negligible: TOST shows |beta| < {sesoi:g}; else inconclusive; "
        f"bars: {100 * level:.3g}% {ci_method.split(' (')[0]} CI")
    out.attrs["rule_tiny"] = (f"driver / blocker: {name}-adjusted p < {alpha:g}"
                              + (f", robust in >= {min_share:.0%} of specifications" if robustness_gate else "")
                              + f"; negligible: TOST |\u03b2| < {sesoi:g}")
    out.attrs["direction"] = direction
    out.attrs["settings"] = (f"alpha = {alpha:g}, padjust = {PADJUST_NAMES[padjust]}, sesoi = {sesoi:g}"
                             + (f", min_share = {min_share:g}, robustness_gate = {robustness_gate}"
                                if rob is not None else ""))
    out.attrs.update(padjust=padjust, alpha=alpha, sesoi=sesoi, ci_level=level, ci_method=ci_method,
                     ci_label=f"{effect_name}, {100 * level:.3g}% CI ({ci_method.split(' (')[0]})")
    return out


# --------------------------------------------------------------------------- block verdict
def _noninferiority_f(f_obs: float, df1: float, df2: float, f2_bound: float) -> float:
    """p of H0: Cohen's f2 >= bound, from the non-central F (Campbell & Lakens 2021).

    Under f2 = bound the F statistic of the increment is non-central F(df1, df2)
    with non-centrality ``f2 * (df1 + df2 + 1)`` (Cohen 1988, eq. 9.3.5; n = df1 + df2 + 1
    + the other predictors' count is approximated by the usual ``df1 + df2 + 1``).
    A small F is evidence that the increment is below the bound.
    """
    if not (np.isfinite(f_obs) and df1 > 0 and df2 > 0):
        return np.nan
    return float(stats.ncf.cdf(f_obs, df1, df2, f2_bound * (df1 + df2 + 1)))


def classify_blocks(
    data: pd.DataFrame,
    outcome: str,
    blocks: dict,
    *,
    control: str | None = "development",
    cov_type: str = "HC3",
    alpha: float = 0.05,
    padjust: str = "fdr_bh",
    sesoi_f2: float = 0.02,
    n_perm: int = 2000,
    rng=None,
) -> pd.DataFrame:
    """Does each block of factors add to commitment beyond the others, and beyond development alone?

    The rule (:data:`BLOCK_RULE`): A block of factors (culture, politics,
    military, ...) matters when its coefficients are jointly significant: the
    Wald F-test with the model's heteroskedasticity-robust covariance,
    adjusted across the blocks of the same comparison with the study's
    correction, is below alpha. It is negligible when it does not matter and
    a non-inferiority test of the increment (Campbell and Lakens 2021: the F
    statistic against a non-central F whose effect size is the smallest
    effect of interest, Cohen's f2 = 0.02 unless stated), with the same
    correction, shows that its added share of variance is smaller than that.
    Otherwise it is inconclusive. Two comparisons: the block entered last,
    beyond every other block, and the block beyond development alone. The
    classical F-change and a Freedman-Lane permutation test of the same
    increment are reported beside the robust test as checks.

    Parameters
    ----------
    data : DataFrame
        One row per country.
    outcome : str
        Outcome id.
    blocks : dict of str -> list of str
        Blocks of predictors (:func:`~cybercult.stats.blocks_from_catalogue`).
    control : str or None, default "development"
        The block the second comparison starts from ("beyond development
        alone"); None or a name not in ``blocks`` skips that comparison.
    cov_type : {"HC3", "HC2", "HC1", "HC0", "nonrobust"}
        Covariance of the Wald test.
    alpha : float
    padjust : {"fdr_bh", "holm", "bonferroni", "none"}
        Correction across the blocks of one comparison.
    sesoi_f2 : float, default 0.02
        Smallest effect of interest as Cohen's f2 of the increment
        (``delta_r2 / (1 - r2_full)``; 0.02 is Cohen's "small").
    n_perm : int, default 2000
        Freedman-Lane permutations (0 skips the permutation test).
    rng : numpy.random.Generator or int, optional

    Returns
    -------
    DataFrame
        One row per block and comparison, columns: ``outcome``, ``block``,
        ``terms`` (comma-separated), ``comparison`` (``"beyond all other
        blocks"`` or ``"beyond development"``), ``n``, ``df1``, ``df2``,
        ``r2_reduced``, ``r2_full``, ``delta_r2``, ``f2`` (Cohen's f2 of the
        increment), ``f_change``, ``f_change_p`` (classical nested F),
        ``robust_wald_f``, ``robust_wald_p`` (Wald F with ``cov_type``),
        ``permutation_p`` (Freedman-Lane, F statistic), ``p_adj`` (robust
        Wald p adjusted within the comparison), ``p_equiv``,
        ``p_equiv_adj`` (non-inferiority), ``role`` (``matters``,
        ``negligible``, ``inconclusive``), ``evidence``, ``note``.
        ``attrs["rule"]`` holds :data:`BLOCK_RULE`.

    Notes
    -----
    Every model is fitted on the same countries (listwise over the outcome
    and every block), with :func:`~cybercult.stats.hierarchical` (the block
    entered last), so the numbers equal that function's last step. The
    permutation test permutes the residuals of the reduced model (Freedman &
    Lane 1983; Winkler et al. 2014) and refits the full one, comparing
    classical F statistics. Campbell, H. & Lakens, D. (2021). Can we disregard
    the whole model? Omnibus non-inferiority testing for R2 in
    multi-variable linear regression and eta2 in ANOVA. British Journal of
    Mathematical and Statistical Psychology 74, 64-89.

    Examples
    --------
    >>> classify_blocks(panel, "gci2020.score", study.blocks, rng=1)  # doctest: +SKIP
    """
    from .hierarchy import hierarchical
    from ._batched_ols import _as_generator
    from .resampling import _block_permutation_p

    check_frame(data)
    cov_type = check_choice(cov_type, COV_TYPES, "cov_type")
    check_choice(padjust, PADJUST_METHODS, "padjust")
    alpha = check_alpha(alpha)
    if not isinstance(blocks, dict) or len(blocks) < 2:
        raise ValueError("blocks must be a dict of at least two blocks: block name -> list of predictor ids")
    if not isinstance(sesoi_f2, (int, float)) or not sesoi_f2 > 0:
        raise ValueError(f"sesoi_f2 must be a positive number, got {sesoi_f2!r}")
    if isinstance(n_perm, bool) or not isinstance(n_perm, (int, np.integer)) or n_perm < 0:
        raise ValueError(f"n_perm must be a non-negative integer, got {n_perm!r}")
    blocks = {str(k): ([v] if isinstance(v, str) else list(v)) for k, v in blocks.items()}
    allp = [p for v in blocks.values() for p in v]
    cols = [outcome, *allp]
    missing_cols = [c for c in cols if c not in data.columns]
    if missing_cols:
        from ..errors import UnknownVariableError

        raise UnknownVariableError(missing_cols[0], [str(c) for c in data.columns], what="variable in blocks")
    used = data.loc[data[cols].notna().all(axis=1)]
    gen = _as_generator(rng)

    comparisons = [("beyond all other blocks", None)]
    if control is not None and control in blocks:
        comparisons.append((f"beyond {control}", control))
    rows = []
    for comp, base in comparisons:
        family = []
        for b in blocks:
            if base is not None and b == base:
                continue
            # two steps are enough: everything else (or the control block), then the block
            rest = [p for k, v in blocks.items() if k != b for p in v] if base is None else list(blocks[base])
            order = {"\x00reduced": rest, b: blocks[b]}
            res = hierarchical(used, outcome, order, cov_type=cov_type, alpha=alpha, padjust=padjust)
            last = res.steps.iloc[-1]
            full = res.final.fit
            r2_full = float(last["r2"])
            r2_red = r2_full - float(last["delta_r2"])
            perm_p = (_block_permutation_p(used, outcome, rest, blocks[b], n_perm, gen) if n_perm
                      else np.nan)
            f2 = float(last["delta_r2"]) / (1 - r2_full)
            family.append({
                "outcome": outcome, "block": b, "terms": ", ".join(blocks[b]), "comparison": comp,
                "n": int(full.nobs), "df1": int(last["df1"]), "df2": float(last["df2"]), "r2_reduced": r2_red,
                "r2_full": r2_full, "delta_r2": float(last["delta_r2"]), "f2": f2,
                "f_change": float(last["f_change"]), "f_change_p": float(last["p_value"]),
                "robust_wald_f": float(last["f_change_robust"]), "robust_wald_p": float(last["p_value_robust"]),
                "permutation_p": perm_p,
                "p_equiv": _noninferiority_f(float(last["f_change"]), float(last["df1"]), float(last["df2"]),
                                             sesoi_f2),
            })
        if not family:
            continue
        p_adj = _padjust([r["robust_wald_p"] for r in family], padjust)
        p_eq_adj = _padjust([r["p_equiv"] for r in family], padjust)
        for r, pa, pe in zip(family, p_adj, p_eq_adj):
            r["p_adj"], r["p_equiv_adj"] = float(pa), float(pe)
            if pa < alpha:
                r["role"] = "matters"
            elif np.isfinite(pe) and pe < alpha:
                r["role"] = "negligible"
            else:
                r["role"] = "inconclusive"
            r["evidence"] = (f"delta R2 = {r['delta_r2']:.3f} (f2 = {r['f2']:.3f}); robust Wald "
                             f"F({r['df1']}, {r['df2']:g}) = {r['robust_wald_f']:.2f}, p = {fmt_p(r['robust_wald_p'])}, "
                             f"p_adj = {fmt_p(pa)} ({PADJUST_NAMES[padjust]}); F-change p = {fmt_p(r['f_change_p'])}; "
                             f"permutation p = {fmt_p(r['permutation_p'])}; non-inferiority (f2 < {sesoi_f2:g}) "
                             f"p_adj = {fmt_p(pe)}")
            notes = []
            for name, pv in (("classical F-change", r["f_change_p"]), ("permutation test", r["permutation_p"])):
                if np.isfinite(pv) and (pv < alpha) != (r["robust_wald_p"] < alpha):
                    notes.append(f"the {name} (p = {fmt_p(pv)}) and the robust Wald test "
                                 f"(p = {fmt_p(r['robust_wald_p'])}) fall on different sides of {alpha:g}")
            r["note"] = "; ".join(notes)
            rows.append(r)
    out = pd.DataFrame(rows, columns=BLOCK_COLUMNS)
    out.attrs["rule"] = BLOCK_RULE
    out.attrs["settings"] = (f"alpha = {alpha:g}, padjust = {PADJUST_NAMES[padjust]}, cov_type = {cov_type}, "
                             f"sesoi_f2 = {sesoi_f2:g}, n_perm = {n_perm}")
    return out


def block_sentences(blocks_verdict: pd.DataFrame) -> list[str]:
    """One plain sentence per block and comparison, for the report's opening."""
    out = []
    for r in blocks_verdict.itertuples():
        what = {"matters": "adds to", "negligible": "adds negligibly (f2 < bound) to",
                "inconclusive": "cannot be shown to add to, nor to be negligible for,"}[r.role]
        out.append(f"{r.block.capitalize()} {what} commitment {r.comparison} (delta R2 = {r.delta_r2:.3f}, "
                   f"robust p_adj = {fmt_p(r.p_adj)}, n = {r.n}).")
    return out

