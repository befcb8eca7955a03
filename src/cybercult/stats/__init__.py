"""The modelling layer: correlations, group tests, regressions, hierarchy, robustness, verdict.

Input everywhere: a DataFrame with one row per country (index ISO3, named
``iso3``), an optional ``country`` column and variable columns with ids like
``gci2020.score``. Results are tidy DataFrames with the same snake_case
columns (``term, estimate, std_error, statistic, df, p_value, p_adj, ci_low,
ci_high, n, method``) or small result objects holding such tables.
"""
from __future__ import annotations

from .correlation import correlate
from .groups import GroupResult, compare_groups
from .hierarchy import DEFAULT_BLOCK_ORDER, HierarchicalResult, blocks_from_catalogue, hierarchical
from .performers import performers
from .comparison import ModelComparison, compare_models
from .regression import fractional_logit, influence, ordinal_logit, regress, rubin_pool
from .results import ModelResult, format_table
from .robustness import (
    BootstrapResult,
    SingularResampleWarning,
    SpecCurveResult,
    bootstrap,
    bootstrap_indices,
    leave_one_out,
    permutation_indices,
    permutation_test,
    regions,
    specification_curve,
    specification_curves,
)
from .verdict import BLOCK_RULE, ROLES, VERDICT_RULE, classify_blocks, classify_factors, outcome_direction

__all__ = [
    "correlate",
    "compare_groups", "GroupResult",
    "regress", "fractional_logit", "ordinal_logit", "influence", "rubin_pool",
    "hierarchical", "HierarchicalResult", "blocks_from_catalogue", "DEFAULT_BLOCK_ORDER",
    "classify_factors", "classify_blocks", "VERDICT_RULE", "BLOCK_RULE", "ROLES", "outcome_direction",
    "performers",
    "ModelResult", "ModelComparison", "compare_models", "format_table",
    "bootstrap", "permutation_test", "leave_one_out", "specification_curve", "specification_curves", "regions",
    "bootstrap_indices", "permutation_indices", "BootstrapResult", "SpecCurveResult", "SingularResampleWarning",
]
