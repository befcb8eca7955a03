"""The verdict: which factors drive commitment, which block it, which are negligible, which are inconclusive.

One rule for every outcome, pillar and figure (:func:`classify_factors`), and
its counterpart for blocks of factors (:func:`classify_blocks`, in :mod:`.blocks`,
re-exported here).
"""
from __future__ import annotations

import re
import textwrap

import numpy as np
import pandas as pd
from scipy import stats

from .._docstrings import DocstringComponents, fill_doc
from ._references import REFS
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
from .blocks import BLOCK_COLUMNS, BLOCK_ROLES, BLOCK_RULE, block_sentences, classify_blocks  # noqa: F401
from .results import ModelResult

__all__ = ["ROLES", "BLOCK_ROLES", "VERDICT_RULE", "BLOCK_RULE", "VERDICT_COLUMNS", "BLOCK_COLUMNS",
           "classify_factors", "classify_blocks", "outcome_direction", "tost_p", "fcr_level"]

#: The four roles a factor can have, in the order figures and legends show them.
ROLES = ("driver", "blocker", "negligible", "inconclusive")

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

#: The rule as a docstring paragraph, so the docstring of :func:`classify_factors` states it without a copy.
_RULE_DOCS = DocstringComponents({"factor": textwrap.fill(VERDICT_RULE, 76, break_on_hyphens=False,
                                                          break_long_words=False)})

_LOWER_WORDS = ("lower", "less", "worse", "weaker", "fewer")
_SHORT = {"fdr_bh": "BH", "holm": "Holm", "bonferroni": "Bonferroni", "none": "unadjusted"}


@fill_doc
def outcome_direction(outcome: str, higher_is_better: bool | None = None) -> tuple[int, str]:
    """+1 when a higher outcome means more commitment, -1 when it means less; and why.

    ``higher_is_better`` overrides the catalogue. Otherwise the catalogue's
    ``higher_is`` text is read: starting with "lower", "less", "worse",
    "weaker" or "fewer" means -1. Unknown outcomes count as +1.

    Parameters
    ----------
    outcome : str
        Outcome variable id, looked up in the catalogue (``"gci2024.tier"``).
    {params.higher_is_better}

    Returns
    -------
    tuple of (int, str)
        The sign (+1 or -1) and a sentence saying where it comes from.

    Examples
    --------
    >>> from cybercult.stats import outcome_direction
    >>> outcome_direction("gci2024.tier")[0], outcome_direction("gci2020.score")[0]
    (-1, 1)
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
@fill_doc(refs=REFS)
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

    See Also
    --------
    classify_factors : uses it for the role ``negligible``.

    Notes
    -----
    Schuirmann (1987); Lakens (2017). statsmodels' ``ttost_ind``, ``ttost_paired``
    and ``ztost`` need the raw samples, not a coefficient and its (robust)
    standard error, so the two one-sided t tests are written here from
    ``scipy.stats.t``; the test suite checks them against ``ttost_ind`` on a
    regression whose coefficient is a difference of two means. Equivalence at
    ``alpha`` is the same as the ``1 - 2 alpha`` interval lying within the bounds.

    References
    ----------
    {refs.lakens_2017}

    {refs.schuirmann_1987}

    Examples
    --------
    >>> from cybercult.stats.verdict import tost_p
    >>> tost_p([0.02, 0.3], [0.03, 0.03], 70, sesoi=0.1).round(4)
    array([0.0048, 1.    ])
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


@fill_doc(refs=REFS)
def fcr_level(padjust: str, alpha: float, m: int, n_selected: int) -> tuple[float, str]:
    """Confidence level of the interval a decision with ``padjust`` rests on, and its name.

    ``fdr_bh``: Benjamini & Yekutieli (2005) false-coverage-rate adjusted
    intervals, level ``1 - R alpha / m`` with ``R`` the number of factors BH
    selects (``R = 1`` when none is selected, the most conservative choice).
    ``holm`` and ``bonferroni``: Bonferroni intervals, ``1 - alpha / m``.
    ``none``: ``1 - alpha``.

    Parameters
    ----------
    padjust : {"fdr_bh", "holm", "bonferroni", "none"}
        The correction the decision used.
    alpha : float
        Significance level of the decision.
    m : int
        Number of factors tested together.
    n_selected : int
        Number of factors the correction declared significant (``R``).

    Returns
    -------
    tuple of (float, str)
        The confidence level and the name of the interval.

    References
    ----------
    {refs.benjamini_yekutieli_2005}

    Examples
    --------
    >>> from cybercult.stats.verdict import fcr_level
    >>> fcr_level("fdr_bh", 0.05, m=10, n_selected=2)
    (0.99, 'FCR-adjusted (Benjamini-Yekutieli, R = 2 of m = 10)')
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
        raise TypeError("robustness must be a DataFrame (SpecCurveResult.term_summary) with a column term and "
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
@fill_doc(rule=_RULE_DOCS, refs=REFS)
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

    The rule (:data:`VERDICT_RULE`):

    {rule.factor}

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
    {params.sesoi}
    robustness : DataFrame, optional
        ``SpecCurveResult.term_summary`` (or any table with ``term`` and
        ``share_positive_significant`` / ``share_negative_significant``, or
        ``share_same_sign_significant``; with ``..._region`` columns also the
        share within the specifications with region fixed effects or
        region-clustered standard errors).
    min_share : float, default 0.5
        Share of specifications a factor needs to be graded robust.
    robustness_gate : bool, default False
        Whether being robust is a condition for driver and blocker (a gate)
        or only reported (a grade). See Notes for why a grade is the default.
    {params.higher_is_better}
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

    See Also
    --------
    classify_blocks : the verdict on blocks of factors.
    tost_p : the equivalence test behind ``negligible``.
    fcr_level : the level of the decision interval.
    specification_curves : the ``robustness`` table.
    regress, fractional_logit, ordinal_logit : the models it reads.

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

    The equivalence test is the two one-sided tests procedure (Schuirmann
    1987; Lakens 2017) with bounds ``-sesoi`` and ``sesoi``; Lakens, Scheel &
    Isager (2018) discuss how to choose the smallest effect size of interest.
    The corrections are those of Benjamini & Hochberg (1995), Holm (1979) and
    Bonferroni.

    References
    ----------
    {refs.benjamini_hochberg_1995}

    {refs.benjamini_yekutieli_2005}

    {refs.holm_1979}

    {refs.lakens_2017}

    {refs.lakens_2018}

    {refs.schuirmann_1987}

    {refs.simonsohn_2020}

    Examples
    --------
    >>> import cybercult as cc
    >>> panel = cc.build_panel(sample="study81").data
    >>> predictors = ["wdi.log_gdppc_ppp", "eiu.democracy", "hofstede_insights.uai"]
    >>> verdict = cc.classify_factors(cc.regress(panel, "gci2020.score", predictors))
    >>> verdict[["term", "role", "estimate", "ci_low", "ci_high"]].round(2)
                        term          role  estimate  ci_low  ci_high
    0      wdi.log_gdppc_ppp        driver      0.44    0.16     0.71
    1          eiu.democracy  inconclusive      0.06   -0.22     0.34
    2  hofstede_insights.uai       blocker     -0.27   -0.48    -0.06
    >>> round(verdict.attrs["ci_level"], 4), verdict.attrs["ci_method"]
    (0.9667, 'FCR-adjusted (Benjamini-Yekutieli, R = 2 of m = 3)')
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
        raise ValueError("robustness_gate=True needs a robustness table (robustness=spec.term_summary)")
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
