"""Regression models of commitment: OLS (robust, standardized), fractional logit, ordinal logit, MICE.

The models live in modules cut along their seams and are re-exported here:
:mod:`.design` (input checks, design matrix, z-scores, VIF), :mod:`.coeftable`
(the one coefficient-table builder), :mod:`.ols` (:func:`regress`,
:func:`influence`), :mod:`.mice` (multiple imputation, :func:`rubin_pool`) and
:mod:`.glm` (:func:`fractional_logit`, :func:`ordinal_logit`).
"""
from __future__ import annotations

from .coeftable import KINDS, MODEL_COLUMNS, coef_table  # noqa: F401
from .design import levels_of as _levels, level_label as _level_label, zscore as _zscore  # noqa: F401
from .glm import FRACTIONAL_COV_TYPES, fractional_logit, ordinal_logit  # noqa: F401
from .mice import MICE_BURNIN, MICE_SKIP, _pool_r2, rubin_pool  # noqa: F401
from .ols import MISSING, N_TOP_INFLUENTIAL, influence, regress  # noqa: F401
from .results import TABLE_COLUMNS, ModelResult  # noqa: F401

__all__ = ["regress", "influence", "rubin_pool", "fractional_logit", "ordinal_logit", "ModelResult",
           "MISSING", "FRACTIONAL_COV_TYPES", "MODEL_COLUMNS", "KINDS"]
