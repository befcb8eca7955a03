"""Specification curves: a focal coefficient across outcomes, control sets, measures, estimators and regions.

Every specification is one stacked system of the batched engine
(:mod:`cybercult.stats._batched_ols`), so hundreds of specifications cost a few
matrix products. :func:`specification_curves` makes every predictor focal in turn
and adds Freedman-Lane block permutation p-values; :func:`~cybercult.stats.regions.regions` supplies the
regional clusters and leave-one-region-out samples (Galton's problem).
"""
from __future__ import annotations

import itertools
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._docstrings import fill_doc
from ._batched_ols import (_check_columns, _column_list, _group_codes, _logit_solve, _positive_int, _spec_solve,
                           _within_ss)
from ._references import REFS
from ._validate import COV_TYPES, _outcome_scales, check_alpha, check_choice, check_frame
from .._format import ResultMixin

__all__ = ["SpecCurveResult", "specification_curve", "specification_curves", "ESTIMATORS",
           "SPEC_COLUMNS", "SPEC_SUMMARY_COLUMNS"]

#: Estimators a specification curve can use: OLS on the variables as they are, or on z-scores,
#: and the fractional logit of the outcome rescaled to the unit interval.
ESTIMATORS = ("ols", "ols_std", "fractional_logit")
SPEC_COLUMNS = ["spec_id", "outcome", "controls", "measure", "region", "estimator", "se", "term", "estimate",
                "std_error", "p_value", "effect", "effect_ci_low", "effect_ci_high", "n", "significant", "sign",
                "note"]
SPEC_SUMMARY_COLUMNS = ["term", "n_specs", "share_positive", "share_negative", "share_significant",
                        "share_same_sign_significant", "share_positive_significant", "share_negative_significant",
                        "call", "n_specs_region", "share_positive_significant_region",
                        "share_negative_significant_region", "survives_region"]



# --------------------------------------------------------------------------------------------
# specification curve
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False, repr=False)
class SpecCurveResult(ResultMixin):
    """A specification curve.

    Attributes
    ----------
    table : DataFrame
        One row per specification and focal term (columns :data:`SPEC_COLUMNS`,
        see :func:`specification_curve`).
    term_summary : DataFrame
        One row per focal term (columns :data:`SPEC_SUMMARY_COLUMNS`).
    n_specs : int
        Number of specifications (rows of ``table`` per focal term).
    alpha : float
        Significance level of the calls.
    cov_type : str
        Covariance of the OLS estimators (besides clustered errors).
    """

    table: pd.DataFrame
    term_summary: pd.DataFrame
    n_specs: int
    alpha: float
    cov_type: str

    @fill_doc
    def summary_for(self, outcome: str, min_share: float = 0.5) -> pd.DataFrame:
        """The summary over the specifications of one outcome (e.g. one pillar), same columns.

        Parameters
        ----------
        outcome : str
            One of the outcomes of the curve.
        {params.min_share}

        Returns
        -------
        DataFrame
            Columns :data:`SPEC_SUMMARY_COLUMNS`, one row per focal term.
        """
        if outcome not in set(self.table["outcome"]):
            raise ValueError(f"outcome {outcome!r} is not in the specification curve; "
                             f"valid: {sorted(set(self.table['outcome']))}")
        return _spec_summary(self.table[self.table["outcome"] == outcome], min_share)

    def _header(self) -> list[str]:
        return [f"Specification curve: {self.n_specs} specifications, {self.cov_type} standard errors, "
                f"alpha = {self.alpha}"]

    def _tables(self) -> dict:
        return {"term_summary": self.term_summary, "specifications": self.table}

    def _display_tables(self) -> dict:
        return {"term_summary": self.term_summary}


@fill_doc(refs=REFS)
def specification_curve(data: pd.DataFrame, *, outcomes: Sequence[str], focal: Sequence[str],
                        controls: Mapping[str, Sequence[str]] | Sequence[str] | None = None,
                        alternatives: Mapping[str, Sequence[str]] | None = None,
                        estimators: Sequence[str] = ("ols",), cov_type: str = "HC3", alpha: float = 0.05,
                        use_t: bool = True, regions=None, clusters=None, scales=None, min_share: float = 0.5,
                        chunk_size: int = 256) -> SpecCurveResult:
    """Fit every reasonable specification and report how often each focal factor keeps its sign and significance.

    Parameters
    ----------
    {params.data}
    {params.spec_outcomes}
    focal : list of str
        Focal factors, in every specification.
    controls : dict of str to list of str, or list of str, optional
        Control blocks; every subset of the keys (the empty set included) is one
        control set. A list makes each column its own block.
    {params.alternatives}
    {params.estimators}
    {params.cov_type}
        Used for the OLS estimators, as statsmodels computes it.
    {params.alpha}
    {params.use_t}
    {params.regions}
    {params.clusters}
    {params.scales}
    {params.min_share}
    {params.chunk_size}

    Returns
    -------
    SpecCurveResult
        ``.table``, one row per specification and focal term:

        - ``spec_id``: 0, 1, ... (outcome, then control set, then measures, then
          region, then estimator, then standard errors)
        - ``outcome``; ``controls``: the control blocks joined by ``+`` (``none`` if empty);
          ``measure``: the chosen alternative measures joined by ``+`` ("" if none);
          ``region``: ``none`` or ``fixed effects``; ``estimator``; ``se``: the
          covariance (``HC3``, ``HC1`` for the fractional logit, or ``cluster``); ``term``
        - ``estimate``, ``std_error``, ``p_value`` in the estimator's own units
        - ``effect``, ``effect_ci_low``, ``effect_ci_high``: a comparable standardized
          effect and its ``1 - alpha`` interval: beta for OLS (SDs of the outcome per SD
          of the factor, within the specification's sample); for the fractional logit
          the average marginal effect per SD of the factor in SDs of the outcome
          (interval scaled from the coefficient's, so it excludes 0 exactly when p < alpha)
        - ``n``: countries in the specification's own listwise sample
        - ``significant``: ``p_value < alpha``; ``sign``: -1, 0 or 1
        - ``note``: why a row is NaN ("" when it is not)

        ``.term_summary``, one row per focal term over the specifications that could be fitted:

        - ``term``, ``n_specs``
        - ``share_positive``, ``share_negative``, ``share_significant``
        - ``share_same_sign_significant``: share significant with the sign of the
          median estimate
        - ``share_positive_significant``, ``share_negative_significant``
        - ``call``: ``positive`` / ``negative`` when the share significant with that sign,
          over the specifications without region terms or clustering, reaches
          ``min_share``, else ``none``
        - ``n_specs_region``, ``share_positive_significant_region``,
          ``share_negative_significant_region``: the same over the specifications with
          region fixed effects or region-clustered errors (NaN without them)
        - ``survives_region``: whether a call keeps ``min_share`` there (NaN when
          there is no call or no region dimension)

    See Also
    --------
    specification_curves : every block's factors focal in turn.
    cybercult.stats.regions.regions : the regions and clusters for Galton's problem.
    classify_factors : reads ``term_summary`` as its robustness grade.

    Notes
    -----
    Simonsohn, Simmons & Nelson (2020). Each specification has its own listwise
    sample. Specifications with the same number of regressors are stacked
    (rows outside a sample get weight 0) and solved together; HC standard
    errors use the leverages from the same stacked solves (MacKinnon & White
    1985). Countries are not independent draws: neighbours share culture and
    policy (Galton's problem; Naroll 1961, Dow 2007), so the region dimensions
    show whether a call survives comparing countries only within their region
    (fixed effects) and errors that allow for correlation within a region
    (clusters). With few clusters (about 15 here) cluster-robust tests are
    only approximately valid (Cameron & Miller 2015); they are a check, not the
    main inference.

    References
    ----------
    {refs.cameron_miller_2015}

    {refs.mackinnon_white_1985}

    {refs.naroll_1961}

    {refs.simonsohn_2020}

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame(rng.normal(size=(40, 4)), columns=["y", "f", "c1", "c2"])
    >>> res = specification_curve(df, outcomes=["y"], focal=["f"], controls=["c1", "c2"])
    >>> res.n_specs
    4
    """
    outcomes = _column_list(outcomes, "outcomes")
    focal = _column_list(focal, "focal", allow_empty=True)
    if controls is None:
        controls = {}
    if isinstance(controls, str) or not isinstance(controls, Mapping):
        controls = {c: [c] for c in _column_list(controls, "controls", allow_empty=True)}
    controls = {str(name): _column_list(cols, f"controls[{name!r}]") for name, cols in controls.items()}
    alternatives = {} if alternatives is None else {
        str(g): _column_list(cols, f"alternatives[{g!r}]") for g, cols in dict(alternatives).items()}
    for g, cols in alternatives.items():
        if not cols:
            raise ValueError(f"alternatives[{g!r}] is empty; give at least one measure")
    estimators = _column_list(estimators, "estimators")
    for e in estimators:
        check_choice(e, ESTIMATORS, "estimators")
    check_choice(cov_type, COV_TYPES, "cov_type")
    alpha = check_alpha(alpha)
    chunk_size = _positive_int(chunk_size, "chunk_size")
    if not isinstance(min_share, (int, float)) or not 0 <= min_share <= 1:
        raise ValueError(f"min_share must be a number between 0 and 1, got {min_share!r}")
    if not focal and not alternatives:
        raise ValueError("give at least one focal factor (focal=) or group of alternatives (alternatives=)")
    alt_cols = [c for cols in alternatives.values() for c in cols]
    ctrl_cols = [c for cols in controls.values() for c in cols]
    for name, group in (("focal", focal), ("alternatives", alt_cols), ("controls", ctrl_cols)):
        both = sorted(set(group) & set(outcomes))
        if both:
            raise ValueError(f"{both} are both outcomes and {name}")
    both = sorted((set(focal) | set(alt_cols)) & set(ctrl_cols))
    if both:
        raise ValueError(f"{both} are both focal factors and controls")
    dup = sorted({c for c in alt_cols if alt_cols.count(c) > 1})
    if dup:
        raise ValueError(f"{dup} appear in more than one group of alternatives")
    # a focal factor that belongs to a group of alternatives is replaced, in its place, by the group
    group_of = {c: g for g, cols in alternatives.items() for c in cols}
    slots: list[tuple[str, str]] = []  # ("focal", column) or ("group", group name)
    for f in focal:
        slot = ("group", group_of[f]) if f in group_of else ("focal", f)
        if slot not in slots:
            slots.append(slot)
    slots += [("group", g) for g in alternatives if ("group", g) not in slots]
    focal = [f for f in focal if f not in group_of]
    check_frame(data)
    for arg, cols in (("outcomes", outcomes), ("focal", focal), ("alternatives", alt_cols),
                      ("controls", ctrl_cols)):
        _check_columns(data, cols, arg)
    columns = list(dict.fromkeys([*outcomes, *focal, *alt_cols, *ctrl_cols]))
    want_logit = "fractional_logit" in estimators
    ranges = _outcome_scales(outcomes, scales, data) if want_logit else {}

    Z = data[columns].to_numpy(dtype=float)
    # region fixed effects: one dummy column per region but the first (countries without a region: missing)
    region_opts = ["none"]
    dummy_idx: list[int] = []
    if regions is not None:
        codes, names = _group_codes(regions, data.index, "regions")
        if len(names) < 2:
            raise ValueError(f"regions must hold at least two regions for fixed effects; got {names}")
        dummies = np.where(codes[:, None] < 0, np.nan, (codes[:, None] == np.arange(1, len(names))).astype(float))
        dummy_idx = list(range(len(columns), len(columns) + dummies.shape[1]))
        Z = np.column_stack([Z, dummies])
        region_opts.append("fixed effects")
    C = None
    se_opts = [cov_type]
    if clusters is not None:
        codes, names = _group_codes(clusters, data.index, "clusters")
        own = codes < 0  # a country with no cluster is a cluster of its own
        codes = codes.copy()
        codes[own] = len(names) + np.arange(int(own.sum()))
        C = (codes[:, None] == np.arange(codes.max() + 1)).astype(float)
        se_opts.append("cluster")
    finite = np.isfinite(Z)
    Z = np.where(finite, Z, np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        mu = np.nanmean(Z, axis=0)
        sd = np.nanstd(Z, axis=0, ddof=1)
    mu = np.where(np.isfinite(mu), mu, 0.0)
    sd = np.where(np.isfinite(sd) & (sd > 0), sd, 1.0)
    Zs = np.where(finite, (Z - mu) / sd, 0.0)
    N = len(Z)
    col = {c: i for i, c in enumerate(columns)}
    # outcomes on the unit interval for the fractional logit
    Y01 = {y: np.where(finite[:, col[y]], (Z[:, col[y]] - ranges[y][0]) / (ranges[y][1] - ranges[y][0]), 0.0)
           for y in ranges}

    # enumerate specifications: outcome x (control set x measures x region) (x estimators x se, derived later).
    # A "design" is one control set with one choice of measures and region terms; spec i = outcome i // D, design i % D.
    names = list(controls)
    subsets = [s for r in range(len(names) + 1) for s in itertools.combinations(names, r)]
    measure_sets = list(itertools.product(*alternatives.values())) if alternatives else [()]
    designs = []  # (control label, measure label, region label, focal terms, regressor column indices)
    for sub in subsets:
        ctrl = list(dict.fromkeys(c for name in sub for c in controls[name]))
        for ms in measure_sets:
            chosen = dict(zip(alternatives, ms))
            terms = [chosen[name] if kind == "group" else name for kind, name in slots]
            base_cols = [col[c] for c in dict.fromkeys(terms + ctrl)]
            for reg in region_opts:
                designs.append(("+".join(sub) if sub else "none", "+".join(ms), reg, terms,
                                base_cols + (dummy_idx if reg != "none" else [])))
    D, O = len(designs), len(outcomes)
    S = O * D
    y_idx = np.repeat([col[y] for y in outcomes], D)
    d_idx = np.tile(np.arange(D), O)
    missing = (~finite).astype(float)
    d_inc = np.zeros((Z.shape[1], D))
    for j, dsg in enumerate(designs):
        d_inc[dsg[4], j] = 1.0
    d_missing = missing @ d_inc  # (N, D): missing regressors per country and design
    masks = ((d_missing[:, d_idx] + missing[:, y_idx]) == 0).T  # (S, N): complete cases of each spec
    d_k = np.array([len(dsg[4]) + 1 for dsg in designs])

    # results per spec, estimator, se option and focal position (every spec has the same number of focal terms)
    F = len(slots)
    E, V = len(estimators), len(se_opts)
    est = np.full((E, V, S, F), np.nan)
    se = np.full((E, V, S, F), np.nan)
    dfs = np.full((E, V, S), np.inf)
    eff_scale = np.full((E, V, S, F), np.nan)  # effect = estimate * eff_scale
    nobs = masks.sum(axis=1)
    reason = np.full((E, V, S), "", dtype=object)
    ks = d_k[d_idx]
    for k in np.unique(ks):
        members = np.flatnonzero(ks == k)
        too_few = members[nobs[members] <= k]
        reason[:, :, too_few] = np.array([f"too few countries (n = {nobs[i]}, {k} coefficients)" for i in too_few],
                                         dtype=object)
        members = members[nobs[members] > k]
        if not len(members):
            continue
        with_k = np.flatnonzero(d_k == k)
        row_of = np.empty(D, dtype=int)
        row_of[with_k] = np.arange(len(with_k))
        xcols = np.array([designs[j][4] for j in with_k])[row_of[d_idx[members]]]
        for start in range(0, len(members), chunk_size):
            mem, xc = members[start:start + chunk_size], xcols[start:start + chunk_size]
            G = len(mem)
            Xg = np.empty((G, N, k))
            Xg[:, :, 0] = 1.0
            Xg[:, :, 1:] = Zs[:, xc].transpose(1, 0, 2)
            Mg = masks[mem].astype(float)
            sdx = sd[xc[:, :F]]  # (G, F) global SDs of the focal columns (Zs units)
            if "ols" in estimators or "ols_std" in estimators:
                yg = Zs[:, y_idx[mem]].T
                c, var, df, ok, lev_bad, ssx, ssy, var_cl, n_cl = _spec_solve(Xg, yg, Mg, cov_type, F, True, C)
                bad = np.where(~ok, "singular design (collinear regressors in this sample)",
                               np.where(lev_bad, f"a country has leverage 1; {cov_type} undefined", ""))
                cj = c[:, 1:F + 1]
                rstd = np.sqrt(ssx / ssy[:, None])  # z-unit coefficient -> within-sample beta
                raw = sd[y_idx[mem]][:, None] / sdx
                for ei, name in enumerate(estimators):
                    if name == "fractional_logit":
                        continue
                    scale = raw if name == "ols" else rstd
                    for vi, opt in enumerate(se_opts):
                        vv = var if opt != "cluster" else var_cl
                        why = bad if opt != "cluster" else np.where(~ok, bad, "")
                        good = why == ""
                        m_ = mem[good]
                        est[ei, vi, m_] = cj[good] * scale[good]
                        se[ei, vi, m_] = np.sqrt(vv[good]) * scale[good]
                        eff_scale[ei, vi, m_] = rstd[good] / scale[good]
                        if use_t:
                            dfs[ei, vi, m_] = df[good] if opt != "cluster" else n_cl[good] - 1
                        reason[ei, vi, mem[~good]] = why[~good]
            if want_logit:
                ei = estimators.index("fractional_logit")
                yg = np.stack([Y01[outcomes[i // D]] for i in mem])
                c, var, ok, dmu, var_cl, n_cl = _logit_solve(Xg, yg, Mg, F, C)
                cj = c[:, 1:F + 1] / sdx  # per unit of the factor
                ssx, ssy = _within_ss(Xg[:, :, 1:F + 1] * sdx[:, None, :], yg, Mg)
                nob = Mg.sum(axis=1)
                ame = dmu[:, None] * np.sqrt(ssx / (nob[:, None] - 1)) / np.sqrt(ssy / (nob - 1))[:, None]
                for vi, opt in enumerate(se_opts):
                    vv = var if opt != "cluster" else var_cl
                    m_ = mem[ok]
                    est[ei, vi, m_] = cj[ok]
                    se[ei, vi, m_] = np.sqrt(vv[ok]) / sdx[ok]
                    eff_scale[ei, vi, m_] = ame[ok]
                    reason[ei, vi, mem[~ok]] = "the fractional logit did not converge or its information is singular"

    from scipy.special import ndtr, ndtri, stdtr, stdtrit

    with np.errstate(invalid="ignore", divide="ignore"):
        tval = est / se
        dfb = np.broadcast_to(dfs[..., None], est.shape)
        pval = np.where(np.isfinite(dfb), 2.0 * stdtr(np.where(np.isfinite(dfb), dfb, 1.0), -np.abs(tval)),
                        2.0 * ndtr(-np.abs(tval)))
        q = np.where(np.isfinite(dfb), stdtrit(np.where(np.isfinite(dfb), dfb, 1.0), 1 - alpha / 2),
                     ndtri(1 - alpha / 2))
        effect = est * eff_scale
        half = q * se * np.abs(eff_scale)

    # the tidy table, in the order outcome > controls > measure > region > estimator > se > term
    # arrays (E, V, S, F) -> (S, E, V, F) -> flat
    def flat(a):
        return np.moveaxis(a, 2, 0).reshape(-1)

    spec_idx = np.repeat(np.arange(S), E * V * F)
    est_idx = np.tile(np.repeat(np.arange(E), V * F), S)
    se_idx = np.tile(np.repeat(np.arange(V), F), S * E)
    term_pos = np.tile(np.arange(F), S * E * V)
    out_name = np.array(outcomes, dtype=object)[np.repeat(np.arange(O), D)]
    c_label = np.array([dsg[0] for dsg in designs], dtype=object)[d_idx]
    m_label = np.array([dsg[1] for dsg in designs], dtype=object)[d_idx]
    r_label = np.array([dsg[2] for dsg in designs], dtype=object)[d_idx]
    term_names = np.empty((D, F), dtype=object)
    for j, dsg in enumerate(designs):
        term_names[j] = dsg[3]
    term_names = term_names[d_idx]
    se_names = np.array([[("HC1" if e == "fractional_logit" and o != "cluster" else o) for o in se_opts]
                         for e in estimators], dtype=object)
    estimate = flat(est)
    p = flat(pval)
    eff = flat(effect)
    hw = flat(half)
    significant = np.isfinite(p) & (p < alpha)
    sign = np.sign(np.nan_to_num(estimate, nan=0.0)).astype(int)
    reason_flat = np.moveaxis(reason, 2, 0).reshape(S, E * V)
    table = pd.DataFrame({
        "spec_id": (spec_idx * E + est_idx) * V + se_idx,
        "outcome": out_name[spec_idx], "controls": c_label[spec_idx], "measure": m_label[spec_idx],
        "region": r_label[spec_idx], "estimator": np.array(estimators, dtype=object)[est_idx],
        "se": se_names[est_idx, se_idx], "term": term_names[spec_idx, term_pos],
        "estimate": estimate, "std_error": flat(se), "p_value": p,
        "effect": eff, "effect_ci_low": eff - hw, "effect_ci_high": eff + hw,
        "n": nobs[spec_idx].astype(int), "significant": significant, "sign": sign,
        "note": reason_flat[spec_idx, est_idx * V + se_idx],
    }, columns=SPEC_COLUMNS)
    return SpecCurveResult(table=table, term_summary=_spec_summary(table, min_share), n_specs=S * E * V, alpha=alpha,
                           cov_type=cov_type)


def _shares(estimate, sign, sig):
    m = len(estimate)
    if not m:
        return [0, np.nan, np.nan, np.nan, np.nan, np.nan, np.nan]
    med = np.sign(np.median(estimate))
    return [m, float((sign > 0).mean()), float((sign < 0).mean()), float(sig.mean()),
            float((sig & (sign == med) & (med != 0)).mean()), float((sig & (sign > 0)).mean()),
            float((sig & (sign < 0)).mean())]


def _spec_summary(table: pd.DataFrame, min_share: float = 0.5) -> pd.DataFrame:
    """Shares per focal term over the specifications that could be fitted, and the region check."""
    codes, terms = pd.factorize(table["term"], sort=False)
    estimate = table["estimate"].to_numpy()
    fitted = np.isfinite(estimate)
    sign = table["sign"].to_numpy()
    sig = table["significant"].to_numpy()
    has_region = "region" in table.columns
    galton = ((table["region"] != "none") | (table["se"] == "cluster")).to_numpy() if has_region else \
        np.zeros(len(table), dtype=bool)
    any_galton = bool(galton.any())
    out = []
    for j, term in enumerate(terms):
        sel = (codes == j) & fitted
        row = [term, *_shares(estimate[sel], sign[sel], sig[sel])]
        base = sel & ~galton
        b = _shares(estimate[base], sign[base], sig[base])
        call = "none"
        if b[0] and b[5] >= min_share:
            call = "positive"
        elif b[0] and b[6] >= min_share:
            call = "negative"
        row.append(call)
        if any_galton:
            g = sel & galton
            gs = _shares(estimate[g], sign[g], sig[g])
            surv = (np.nan if call == "none" or not gs[0] else
                    bool((gs[5] if call == "positive" else gs[6]) >= min_share))
            row += [gs[0], gs[5], gs[6], surv]
        else:
            row += [0, np.nan, np.nan, np.nan]
        out.append(row)
    return pd.DataFrame(out, columns=SPEC_SUMMARY_COLUMNS)



# --------------------------------------------------------------------------------------------
# every factor focal
# --------------------------------------------------------------------------------------------

@fill_doc
def specification_curves(data: pd.DataFrame, *, outcomes: Sequence[str], blocks: Mapping[str, Sequence[str]],
                         controls: Sequence[str] | None = None,
                         alternatives: Mapping[str, Sequence[str]] | None = None,
                         estimators: Sequence[str] = ("ols", "fractional_logit"), cov_type: str = "HC3",
                         alpha: float = 0.05, regions=None, clusters=None, scales=None, min_share: float = 0.5,
                         use_t: bool = True) -> SpecCurveResult:
    """A specification curve in which every predictor is a focal term.

    For each block in turn, its factors are focal and every subset of the other
    blocks is a control set (:func:`specification_curve`); the curves are stacked.

    Parameters
    ----------
    {params.data}
    {params.spec_outcomes}
    {params.blocks}
        Each block's factors are focal in turn.
    controls : list of str, optional
        The blocks that enter the other blocks' curves as optional controls
        (default: every block).
    {params.alternatives}
        A group goes to the curve of the block that holds one of its measures.
    {params.estimators}
    {params.cov_type}
    {params.alpha}
    {params.regions}
    {params.clusters}
    {params.scales}
    {params.min_share}
    {params.use_t}

    Returns
    -------
    SpecCurveResult
        ``.table`` as :func:`specification_curve` plus ``focal_block`` (second
        column); ``spec_id`` runs on across the blocks. ``.term_summary`` has one row
        per predictor (and per alternative measure).

    See Also
    --------
    specification_curve : one curve, with its table's columns.
    classify_factors : reads ``term_summary`` as its robustness grade.

    Examples
    --------
    >>> import cybercult as cc
    >>> panel = cc.build_panel(sample="study81").data
    >>> blocks = {"development": ["wdi.log_gdppc_ppp"], "politics": ["eiu.democracy"],
    ...           "culture": ["hofstede_insights.idv", "hofstede_insights.uai"]}
    >>> spec = cc.specification_curves(panel, outcomes=["gci2020.score", "ncsi.score"], blocks=blocks,
    ...                                regions=cc.regions(panel.index))
    >>> spec.n_specs
    96
    >>> spec.term_summary[["term", "share_same_sign_significant", "call", "survives_region"]].round(2)
                        term  share_same_sign_significant      call survives_region
    0      wdi.log_gdppc_ppp                         0.84  positive            True
    1          eiu.democracy                         0.59  positive            True
    2  hofstede_insights.idv                         0.41      none             NaN
    3  hofstede_insights.uai                         0.28      none             NaN
    """
    if not isinstance(blocks, Mapping) or not blocks:
        raise TypeError("blocks must be a non-empty dict of block name -> list of predictor ids")
    blocks = {str(b): _column_list(v, f"blocks[{b!r}]") for b, v in blocks.items()}
    alternatives = dict(alternatives or {})
    tables, offset = [], 0
    n_specs = 0
    for b, terms in blocks.items():
        alts = {g: cols for g, cols in alternatives.items() if set(cols) & set(terms)}
        ctrl = {k: v for k, v in blocks.items() if k != b and (controls is None or k in controls)}
        res = specification_curve(data, outcomes=outcomes, focal=terms, controls=ctrl, alternatives=alts or None,
                                  estimators=estimators, cov_type=cov_type, alpha=alpha, use_t=use_t,
                                  regions=regions, clusters=clusters, scales=scales, min_share=min_share)
        t = res.table.copy()
        t["spec_id"] += offset
        offset = int(t["spec_id"].max()) + 1
        n_specs += res.n_specs
        t.insert(1, "focal_block", b)
        tables.append(t)
    table = pd.concat(tables, ignore_index=True)
    return SpecCurveResult(table=table, term_summary=_spec_summary(table, min_share), n_specs=n_specs, alpha=alpha,
                           cov_type=cov_type)
