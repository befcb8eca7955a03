"""Hierarchical (blockwise) regression: blocks entered in order, R-squared change and F-change."""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from .._docstrings import fill_doc
from ..errors import FewObservationsWarning
from ._references import REFS
from ._validate import (
    COV_TYPES,
    PADJUST_METHODS,
    catalogue_block,
    catalogue_label,
    check_alpha,
    check_choice,
    check_frame,
    listwise,
)
from .regression import regress
from .._format import ResultMixin
from .results import ModelResult

DEFAULT_BLOCK_ORDER = ("development", "politics", "military", "culture")
STEP_COLUMNS = ["step", "block", "added", "n", "k", "r2", "adj_r2", "delta_r2", "f_change", "df1", "df2",
                "p_value", "f_change_robust", "p_value_robust"]


@dataclass(frozen=True, eq=False, repr=False)
class HierarchicalResult(ResultMixin):
    """Result of :func:`hierarchical`.

    Displays through the result protocol (:class:`~cybercult._format.ResultMixin`);
    its tidy tables are ``steps`` and ``final_model`` (the final model's coefficients).

    Attributes
    ----------
    outcome : str
    blocks : dict
        Block name -> list of predictor ids, in the order entered.
    steps : DataFrame
        One row per step (see :func:`hierarchical`).
    models : list of ModelResult
        The OLS model of each step (all on the same countries).
    missing : str
        The common sample (listwise over all blocks) and the dropped countries.
    cov_type : str
        Covariance of each step's model and of the robust change test.
    """

    outcome: str
    blocks: dict
    steps: pd.DataFrame
    models: list = field(default_factory=list)
    missing: str = ""
    cov_type: str = "HC3"

    @property
    def final(self) -> ModelResult:
        """The model with every block."""
        return self.models[-1]

    def _header(self) -> list[str]:
        return [f"Hierarchical regression: {catalogue_label(self.outcome)} ({self.outcome})",
                f"Missing data: {self.missing} (the same countries in every step)",
                "F-change: classical nested F-test of the block added; robust: Wald F-test of the block's "
                f"coefficients with {self.cov_type} covariance."]

    def _tables(self) -> dict:
        return {"steps": self.steps, "final_model": self.final.table}

    def _display_tables(self) -> dict:
        return {"steps": self.steps}

    @fill_doc
    def summary(self, digits: int = 3) -> str:
        """Text summary: the steps table, then the final model (no dates).

        Parameters
        ----------
        {params.digits}
        """
        return "\n".join([super().summary(digits), "", "Final model", self.final.summary(digits)])

    def to_csv(self, path):
        """Write the tables at full precision.

        Parameters
        ----------
        path : str or Path
            A folder: ``steps.csv`` and ``final_model.csv`` (the final model's
            coefficients) are written there. A file name ending in ``.csv``: the
            steps table only.

        Returns
        -------
        list of Path or Path
            The paths written (a folder), or the file's path.
        """
        path = Path(path)
        if path.suffix.lower() == ".csv":
            self.steps.to_csv(path, index=False)
            return path
        return super().to_csv(path)


def blocks_from_catalogue(predictors, order=DEFAULT_BLOCK_ORDER) -> dict:
    """Group predictors by their catalogue block, in ``order``; others go last under their own block.

    Parameters
    ----------
    predictors : str or list of str
        Predictor variable ids.
    order : sequence of str
        Block order (default :data:`DEFAULT_BLOCK_ORDER`).

    Returns
    -------
    dict
        Block name -> predictors, empty blocks left out.

    See Also
    --------
    hierarchical, classify_blocks, specification_curves : take these blocks.

    Notes
    -----
    Blocks come from ``cybercult.data.catalogue`` (``Variable.block``); ids the
    catalogue does not know (user data) go to the block ``"user"``.

    Examples
    --------
    >>> from cybercult.stats import blocks_from_catalogue
    >>> blocks_from_catalogue(["hofstede.idv", "wdi.log_gdppc_ppp", "eiu.democracy"])
    {'development': ['wdi.log_gdppc_ppp'], 'politics': ['eiu.democracy'], 'culture': ['hofstede.idv']}
    """
    preds = [predictors] if isinstance(predictors, str) else list(predictors)
    by = {}
    for p in preds:
        by.setdefault(catalogue_block(p), []).append(p)
    out = {b: by.pop(b) for b in order if b in by}
    out.update(by)
    return out


@fill_doc(refs=REFS)
def hierarchical(
    data: pd.DataFrame,
    outcome: str,
    blocks: dict,
    *,
    cov_type: str = "HC3",
    missing: str = "listwise",
    alpha: float = 0.05,
    padjust: str = "fdr_bh",
    categorical=None,
) -> HierarchicalResult:
    """Blockwise OLS regression: each block adds its predictors to the ones before.

    Parameters
    ----------
    {params.data}
    {params.outcome_id}
    {params.blocks}
        They enter in the order of the dict; any names are accepted.
    {params.cov_type}
        Used for each step's model and for the robust test of the change.
    missing : {"listwise"}
        Listwise over all blocks, so every step uses the same countries.
    {params.alpha}
    {params.padjust}
        Applied over the predictor terms of each step's model.
    {params.categorical}

    Returns
    -------
    HierarchicalResult
        ``.steps`` columns: ``step`` (1, 2, ...), ``block``, ``added``
        (comma-separated ids), ``n``, ``k`` (predictor terms so far), ``r2``,
        ``adj_r2``, ``delta_r2`` (R-squared gained; step 1: its R-squared),
        ``f_change`` (classical F of the R-squared change), ``df1`` (terms
        added), ``df2`` (residual df of the step), ``p_value``,
        ``f_change_robust`` and ``p_value_robust`` (Wald F of the added
        coefficients with ``cov_type``). ``.models``: the ModelResult of each
        step.

    See Also
    --------
    regress : the model of each step.
    classify_blocks : the block verdict built on the last step.
    blocks_from_catalogue : blocks from the catalogue.

    Notes
    -----
    F-change = ``(delta_r2 / df1) / ((1 - r2) / df2)``, the nested-model F
    test (Cohen, Cohen, West & Aiken 2003, ch. 5), equal to R's
    ``anova(previous, current)``; step 1 is tested against the intercept-only
    model. Because the models use robust covariances, each step also reports
    the Wald test of the added coefficients with that covariance
    (``results.wald_test``, as ``lmtest::waldtest(..., vcov = vcovHC, test =
    "F")``).

    References
    ----------
    {refs.cohen_2003}

    Examples
    --------
    >>> import cybercult as cc
    >>> panel = cc.build_panel(sample="study81").data
    >>> res = cc.hierarchical(panel, "gci2020.score", {"development": ["wdi.log_gdppc_ppp"],
    ...                       "culture": ["hofstede_insights.idv", "hofstede_insights.pdi"]})
    >>> res.steps[["step", "block", "n", "r2", "delta_r2", "p_value", "p_value_robust"]].round(3)
       step        block   n     r2  delta_r2  p_value  p_value_robust
    0     1  development  80  0.259     0.259     0.00           0.000
    1     2      culture  80  0.298     0.039     0.13           0.041
    """
    check_frame(data)
    cov_type = check_choice(cov_type, COV_TYPES, "cov_type")
    check_choice(padjust, PADJUST_METHODS, "padjust")
    alpha = check_alpha(alpha)
    if missing != "listwise":
        raise ValueError(f"hierarchical supports missing='listwise' only (the same countries in every step), "
                         f"got {missing!r}")
    if not isinstance(blocks, dict):
        raise TypeError("blocks must be a dict: block name -> list of predictor ids (in the order to enter)")
    if not blocks:
        raise ValueError("blocks is empty: give at least one block of predictors")
    clean = {}
    seen = {}
    for name, preds in blocks.items():
        lst = [preds] if isinstance(preds, str) else list(preds or [])
        if not lst:
            raise ValueError(f"block {name!r} is empty")
        for p in lst:
            if p in seen:
                raise ValueError(f"predictor {p!r} is in block {seen[p]!r} and in block {name!r}")
            seen[p] = name
        clean[str(name)] = lst
    allp = [p for lst in clean.values() for p in lst]
    # full validation (unknown, non-numeric, constant, ...) through regress on the final model
    if isinstance(outcome, str) and outcome in data.columns and all(p in data.columns for p in allp):
        used, _d, text = listwise(data, [outcome, *allp])
    else:
        used, text = data, ""
    models = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", FewObservationsWarning)
        # the full model first: its checks (and its parameter count) are the ones that matter
        order = [len(clean) - 1] + list(range(len(clean) - 1))
        fitted = {}
        for i in order:
            preds = [p for lst in list(clean.values())[: i + 1] for p in lst]
            cats = [c for c in (categorical or []) if c in preds] or None
            fitted[i] = regress(used, outcome, preds, cov_type=cov_type, alpha=alpha, padjust=padjust,
                                categorical=cats)
        models = [fitted[i] for i in range(len(clean))]
    few = [w for w in caught if issubclass(w.category, FewObservationsWarning)]
    for w in caught:
        if not issubclass(w.category, FewObservationsWarning):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    if few:
        n_final, k_final = int(models[-1].fit.nobs), int(models[-1].fit.df_model)
        warnings.warn(f"hierarchical of {outcome} (final step): {n_final} countries for {k_final} predictor terms "
                      f"({n_final / k_final:.1f} per predictor; fewer than 10): estimates are unstable and tests "
                      "have little power", FewObservationsWarning, stacklevel=2)

    rows = []
    prev_r2, prev_terms, prev_k = 0.0, [], 0
    for i, (name, m) in enumerate(zip(clean, models)):
        fit = m.fit
        terms = [t for t in fit.params.index if t != "const"]
        new = [t for t in terms if t not in prev_terms]
        k = len(terms)
        df1 = k - prev_k
        df2 = float(fit.df_resid)
        r2 = float(fit.rsquared)
        f = ((r2 - prev_r2) / df1) / ((1 - r2) / df2)
        p = float(stats.f.sf(f, df1, df2))
        R = np.zeros((len(new), len(fit.params)))
        for j, t in enumerate(new):
            R[j, list(fit.params.index).index(t)] = 1.0
        wt = fit.wald_test(R, use_f=True, scalar=True)
        rows.append({"step": i + 1, "block": name, "added": ", ".join(clean[name]), "n": int(fit.nobs), "k": k,
                     "r2": r2, "adj_r2": float(fit.rsquared_adj), "delta_r2": r2 - prev_r2, "f_change": f,
                     "df1": df1, "df2": df2, "p_value": p, "f_change_robust": float(wt.statistic),
                     "p_value_robust": float(wt.pvalue)})
        prev_r2, prev_terms, prev_k = r2, terms, k
    steps = pd.DataFrame(rows, columns=STEP_COLUMNS)
    if text:  # each step was fitted on the common sample; say how it came about
        models = [replace(m, missing=text) for m in models]
    return HierarchicalResult(outcome=outcome, blocks=clean, steps=steps, models=models,
                              missing=text or models[-1].missing, cov_type=cov_type)
