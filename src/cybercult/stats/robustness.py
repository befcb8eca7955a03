"""Robustness of regression coefficients: resampling, permutation, deletion, specification.

With 60 to 100 countries a coefficient means little until it survives a pairs
bootstrap, a permutation test, dropping single countries and reasonable changes
of specification. This module gathers the functions that check this; the code
lives in three modules cut along their seams, and each describes its part once:

- :mod:`.resampling`: :func:`bootstrap`, :func:`permutation_test`,
  :func:`leave_one_out`, and :func:`bootstrap_indices` and
  :func:`permutation_indices`, which give the rows a generator draws (where
  randomness comes from, and why results do not depend on ``chunk_size``);
- :mod:`.speccurve`: :func:`specification_curve`, :func:`specification_curves`
  and :func:`regions` (Galton's problem);
- :mod:`._batched_ols`: the batched least-squares engine all of them run on
  (resamples as frequency weights solved together, the numerics, singular
  resamples, agreement with statsmodels).
"""
from __future__ import annotations

from ..errors import SingularResampleWarning
from ._batched_ols import (CONST, REFINE_BELOW, SINGULAR_TOL, _as_generator, _design, _Design,  # noqa: F401
                           _iter_bootstrap_indices, _iter_permutation_indices)
from ._validate import COV_TYPES
from .resampling import (BOOT_COLUMNS, LOO_COLUMNS, PERM_COLUMNS, BootstrapResult,  # noqa: F401
                         _block_permutation_p, _freedman_lane, bootstrap, bootstrap_indices, leave_one_out,
                         permutation_indices, permutation_test)
from .speccurve import (ESTIMATORS, SPEC_COLUMNS, SPEC_SUMMARY_COLUMNS, SpecCurveResult,  # noqa: F401
                        _spec_summary, specification_curve, specification_curves)
from .regions import regions

__all__ = [
    "BootstrapResult", "SpecCurveResult", "SingularResampleWarning",
    "bootstrap", "permutation_test", "leave_one_out", "specification_curve", "specification_curves", "regions",
    "bootstrap_indices", "permutation_indices",
    "ESTIMATORS", "COV_TYPES",
]
