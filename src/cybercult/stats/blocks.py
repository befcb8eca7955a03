"""The block verdict: does a block of factors (culture, politics, military, ...) add to commitment?

The counterpart for blocks of :func:`~cybercult.stats.verdict.classify_factors`:
a robust Wald F of the increment, a non-inferiority test of Cohen's f2 against
the smallest effect of interest, the classical F-change and a Freedman-Lane
permutation test as checks.
"""
from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from scipy import stats

from .._docstrings import DocstringComponents, fill_doc
from ._references import REFS
from ._validate import (
    COV_TYPES,
    PADJUST_METHODS,
    PADJUST_NAMES,
    check_alpha,
    check_choice,
    check_frame,
    fmt_p,
    padjust as _padjust,
)

__all__ = ["BLOCK_ROLES", "BLOCK_RULE", "BLOCK_COLUMNS", "classify_blocks", "block_sentences"]

#: The three roles a block of factors can have.
BLOCK_ROLES = ("matters", "negligible", "inconclusive")

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

#: The rule as a docstring paragraph, so the docstring of :func:`classify_blocks` states it without a copy.
_RULE_DOCS = DocstringComponents({"block": textwrap.fill(BLOCK_RULE, 76, break_on_hyphens=False,
                                                         break_long_words=False)})

BLOCK_COLUMNS = ["outcome", "block", "terms", "comparison", "n", "df1", "df2", "r2_reduced", "r2_full", "delta_r2",
                 "f2", "f_change", "f_change_p", "robust_wald_f", "robust_wald_p", "permutation_p", "p_adj",
                 "p_equiv", "p_equiv_adj", "role", "evidence", "note"]


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


@fill_doc(rule=_RULE_DOCS, refs=REFS)
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

    The rule (:data:`BLOCK_RULE`):

    {rule.block}

    Parameters
    ----------
    {params.data}
    {params.outcome_id}
    {params.blocks}
        At least two; their order sets only the order of the rows.
    control : str or None, default "development"
        The block the second comparison starts from ("beyond development
        alone"); None or a name not in ``blocks`` skips that comparison.
    {params.cov_type}
        Used for the Wald test of each block's increment.
    {params.alpha}
    {params.padjust}
        Applied across the blocks of one comparison, to the Wald and to the
        non-inferiority p-values.
    sesoi_f2 : float, default 0.02
        Smallest effect of interest as Cohen's f2 of the increment
        (``delta_r2 / (1 - r2_full)``; 0.02 is Cohen's "small").
    {params.n_perm}
        Drawn for each block and comparison; 0 skips the permutation test.
    {params.rng}
        Used by the permutation test only.

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

    See Also
    --------
    hierarchical : the blockwise regression each comparison is read from.
    classify_factors : the verdict on single factors.
    blocks_from_catalogue : blocks from the catalogue.

    Notes
    -----
    Every model is fitted on the same countries (listwise over the outcome
    and every block), with :func:`~cybercult.stats.hierarchical` (the block
    entered last), so the numbers equal that function's last step. The
    non-inferiority test follows Campbell & Lakens (2021), with the
    non-centrality of Cohen (1988). The permutation test permutes the
    residuals of the reduced model (Freedman & Lane 1983; Winkler et al. 2014)
    and refits the full one, comparing classical F statistics.

    References
    ----------
    {refs.campbell_lakens_2021}

    {refs.cohen_1988}

    {refs.freedman_lane_1983}

    {refs.winkler_2014}

    Examples
    --------
    >>> import cybercult as cc
    >>> panel = cc.build_panel(sample="study81").data
    >>> blocks = {"development": ["wdi.log_gdppc_ppp"], "politics": ["eiu.democracy"],
    ...           "culture": ["hofstede_insights.idv", "hofstede_insights.pdi"]}
    >>> out = cc.classify_blocks(panel, "gci2020.score", blocks, n_perm=500, rng=1)
    >>> out[["block", "comparison", "delta_r2", "p_adj", "role"]].round(3)
             block               comparison  delta_r2  p_adj          role
    0  development  beyond all other blocks     0.068  0.048       matters
    1     politics  beyond all other blocks     0.001  0.800  inconclusive
    2      culture  beyond all other blocks     0.031  0.176  inconclusive
    3     politics       beyond development     0.008  0.430  inconclusive
    4      culture       beyond development     0.039  0.081  inconclusive
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
    """One plain sentence per block and comparison, for the report's opening.

    Parameters
    ----------
    blocks_verdict : DataFrame
        The table of :func:`classify_blocks`.

    Returns
    -------
    list of str
    """
    out = []
    for r in blocks_verdict.itertuples():
        what = {"matters": "adds to", "negligible": "adds negligibly (f2 < bound) to",
                "inconclusive": "cannot be shown to add to, nor to be negligible for,"}[r.role]
        out.append(f"{r.block.capitalize()} {what} commitment {r.comparison} (delta R2 = {r.delta_r2:.3f}, "
                   f"robust p_adj = {fmt_p(r.p_adj)}, n = {r.n}).")
    return out

