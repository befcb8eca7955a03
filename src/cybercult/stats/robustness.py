"""Robustness of regression coefficients: resampling, permutation, deletion, specification.

With 60 to 100 countries a coefficient means little until it survives a pairs
bootstrap, a permutation test, dropping single countries and reasonable changes
of specification. This module makes all four fast enough to run by default.

The code lives in three modules cut along their seams, re-exported here:
:mod:`._batched_ols` (the batched least-squares engine), :mod:`.resampling`
(bootstrap, permutation tests, leave one country out) and :mod:`.speccurve`
(specification curves and regions).

Nothing here fits one statsmodels model per resample. Every function batches the
linear algebra with numpy: a bootstrap resample is a vector of integer frequency
weights ``w`` on the countries, so its coefficients solve ``(X'WX) b = X'Wy``,
and thousands of such systems are built with one matrix product and solved
together. Work proceeds in chunks of ``chunk_size`` resamples, so a million
resamples never hold a million copies of anything the size of the design matrix
(only the ``n_boot x k`` coefficient draws are kept). The results equal those of
a plain loop of ``statsmodels.api.OLS(...).fit()`` on the same resamples to
about 1e-10 relative (the test suite checks 1e-8). Matrix products are cut into
blocks that OpenBLAS runs single-threaded (see :func:`_mm`), so timings hold up
when the machine's cores are busy with other work.

The numerics (centring and scaling, the vectorised Cholesky solve, iterative refinement, the
singularity test) are described once, in :mod:`._batched_ols`; singular resamples are reported,
kept as rows of NaN in the draws and left out of every summary.

Randomness comes only from the ``numpy.random.Generator`` passed as ``rng`` (or
an int seed). :func:`bootstrap_indices` and :func:`permutation_indices` give the
exact row indices a given generator state produces, so a plain loop can
reproduce any result; drawing in chunks gives the same stream as drawing at
once, so results do not depend on ``chunk_size``.
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
                        _spec_summary, regions, specification_curve, specification_curves)

__all__ = [
    "BootstrapResult", "SpecCurveResult", "SingularResampleWarning",
    "bootstrap", "permutation_test", "leave_one_out", "specification_curve", "specification_curves", "regions",
    "bootstrap_indices", "permutation_indices",
    "ESTIMATORS", "COV_TYPES",
]
