"""Robustness of regression coefficients: resampling, permutation, deletion, specification.

With 60 to 100 countries a coefficient means little until it survives a pairs
bootstrap, a permutation test, dropping single countries and reasonable changes
of specification. This module makes all four fast enough to run by default.

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

Numerics
--------
Columns are centred and scaled to unit variance on the listwise sample before any
cross-product is formed (an exact reparametrisation: estimates are transformed
back), the stacked systems are solved by a vectorised Cholesky factorisation,
and ill-conditioned systems (some column with ``1 - R^2 < 1e-3`` on the others)
get one step of iterative refinement, which brings them to the accuracy of a QR
solve (NIST's Longley problem: 1e-14 relative). A system is *singular* when
some column of the (weighted, scaled) design is explained by the columns before
it with ``1 - R^2 < 1e-10`` (R's ``lm`` uses the same kind of pivot test with
tolerance 1e-7 on ``sqrt(1 - R^2)``); singular resamples are reported, kept as
rows of NaN in the draws and left out of every summary.

Randomness comes only from the ``numpy.random.Generator`` passed as ``rng`` (or
an int seed). :func:`bootstrap_indices` and :func:`permutation_indices` give the
exact row indices a given generator state produces, so a plain loop can
reproduce any result; drawing in chunks gives the same stream as drawing at
once, so results do not depend on ``chunk_size``.
"""
from __future__ import annotations

import html
import itertools
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import CybercultWarning, UnknownVariableError
from ._validate import (COV_TYPES, as_list, check_alpha, check_choice, check_columns, check_enough, check_frame,
                        check_numeric)
from .results import frame_to_html, frame_to_latex, frame_to_markdown, frame_to_text

__all__ = [
    "BootstrapResult", "SpecCurveResult", "SingularResampleWarning",
    "bootstrap", "permutation_test", "leave_one_out", "specification_curve", "specification_curves", "regions",
    "bootstrap_indices", "permutation_indices",
    "ESTIMATORS", "COV_TYPES",
]

CONST = "const"
#: Estimators a specification curve can use: OLS on the variables as they are, or on z-scores,
#: and the fractional logit of the outcome rescaled to the unit interval.
ESTIMATORS = ("ols", "ols_std", "fractional_logit")
#: A (scaled) system is singular when some column has 1 - R^2 on the earlier columns below this.
SINGULAR_TOL = 1e-10
#: Below this smallest pivot (1 - R^2) a bootstrap system gets a step of iterative refinement.
REFINE_BELOW = 1e-3

BOOT_COLUMNS = ["term", "estimate", "boot_mean", "boot_se", "ci_low_percentile", "ci_high_percentile",
                "ci_low_bca", "ci_high_bca", "n", "n_boot", "method"]
PERM_COLUMNS = ["term", "estimate", "statistic", "p_value", "n_perm", "n", "method"]
LOO_COLUMNS = ["term", "estimate", "loo_min", "loo_max", "most_influential", "n"]
SPEC_COLUMNS = ["spec_id", "outcome", "controls", "measure", "region", "estimator", "se", "term", "estimate",
                "std_error", "p_value", "effect", "effect_ci_low", "effect_ci_high", "n", "significant", "sign",
                "reason"]
SPEC_SUMMARY_COLUMNS = ["term", "n_specs", "share_positive", "share_negative", "share_significant",
                        "share_same_sign_significant", "share_positive_significant", "share_negative_significant",
                        "call", "n_specs_region", "share_positive_significant_region",
                        "share_negative_significant_region", "survives_region"]


class SingularResampleWarning(CybercultWarning):
    """Some bootstrap resamples or deleted samples gave a singular design and were left out."""


# --------------------------------------------------------------------------------------------
# input handling
# --------------------------------------------------------------------------------------------

def _as_generator(rng) -> np.random.Generator:
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None:
        return np.random.default_rng()
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool):
        return np.random.default_rng(int(rng))
    raise TypeError(f"rng must be a numpy.random.Generator, an int seed or None; got {type(rng).__name__}. "
                    "Use rng=np.random.default_rng(seed).")


def _positive_int(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive integer; got {value!r}")
    return int(value)


def _column_list(value, name: str, *, allow_empty: bool = False) -> list[str]:
    if allow_empty and value is not None and not isinstance(value, str):
        try:
            if len(value) == 0:
                return []
        except TypeError:
            pass
    return as_list(value, name)


def _check_columns(data: pd.DataFrame, columns: Sequence[str], arg: str) -> None:
    check_frame(data)
    check_columns(data, columns, arg)
    check_numeric(data, columns, arg)


@dataclass(frozen=True, eq=False)
class _Design:
    """Listwise-complete outcome and design (with a leading constant), scaled copies for the solves."""

    y: np.ndarray
    X: np.ndarray
    terms: list[str]
    index: pd.Index
    outcome: str
    # scaled: Xs = (X - mu) / sd (constant column kept at 1), ys = (y - my) / sy
    Xs: np.ndarray
    ys: np.ndarray
    mu: np.ndarray
    sd: np.ndarray
    my: float
    sy: float

    @property
    def n(self) -> int:
        return len(self.y)

    @property
    def k(self) -> int:
        return self.X.shape[1]


def _design(data: pd.DataFrame, outcome: str, predictors) -> _Design:
    if not isinstance(outcome, str):
        raise TypeError(f"outcome must be a column name (str); got {outcome!r}")
    check_frame(data)
    predictors = _column_list(predictors, "predictors")
    if outcome in predictors:
        raise ValueError(f"outcome {outcome!r} is also among the predictors")
    if CONST in predictors:
        raise ValueError(f"{CONST!r} is reserved for the intercept, which is always included")
    cols = [outcome, *predictors]
    _check_columns(data, [outcome], "outcome")
    _check_columns(data, predictors, "predictors")
    sub = data[cols].astype(float)
    keep = np.isfinite(sub.to_numpy()).all(axis=1)
    sub = sub[keep]
    n, k = len(sub), len(predictors) + 1
    check_enough(n, k, f" for {outcome!r} on {predictors} (listwise)")
    y = sub[outcome].to_numpy(dtype=float)
    X = np.column_stack([np.ones(n), sub[predictors].to_numpy(dtype=float)])
    mu = X.mean(axis=0)
    sd = X.std(axis=0, ddof=1)
    mu[0], sd[0] = 0.0, 1.0
    const = [p for p, s in zip(predictors, sd[1:]) if not s > 0]
    if const:
        raise ValueError(f"predictor(s) {const} do not vary in the {n}-country sample")
    my, sy = float(y.mean()), float(y.std(ddof=1))
    if not sy > 0:
        raise ValueError(f"outcome {outcome!r} does not vary in the {n}-country sample")
    return _Design(y=y, X=X, terms=[CONST, *predictors], index=sub.index, outcome=outcome,
                   Xs=(X - mu) / sd, ys=(y - my) / sy, mu=mu, sd=sd, my=my, sy=sy)


# --------------------------------------------------------------------------------------------
# batched linear algebra
# --------------------------------------------------------------------------------------------

#: OpenBLAS multiplies single-threaded when m * n * k <= 65536 * 4. Threads do not speed up
#: products as small as ours and make them stall when the cores are busy with other work, so
#: :func:`_mm` splits a tall product into row blocks below that size (results are identical).
_SERIAL_GEMM = 65536 * 4


def _mm(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a @ b`` for a tall 2-d ``a``, in row blocks small enough for single-threaded BLAS."""
    m, inner = a.shape
    cols = b.shape[1]
    rows = max(1, _SERIAL_GEMM // max(1, inner * cols))
    if m <= rows:
        return a @ b
    out = np.empty((m, cols), dtype=np.result_type(a, b))
    for start in range(0, m, rows):
        np.matmul(a[start:start + rows], b, out=out[start:start + rows])
    return out


def _cholesky(At: np.ndarray, tol: float = SINGULAR_TOL) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cholesky factors of a stack of symmetric matrices, vectorised over the stack.

    ``At`` has shape (k, k, m): the stack last, so every step works on contiguous
    vectors. Each matrix is equilibrated to unit diagonal first; the pivot of column j
    is then ``1 - R^2`` of column j on the earlier ones. Returns ``(L, ok, minpiv)``:
    L (k, k, m) with ``At[..., i] = L[..., i] L[..., i]'`` wherever ``ok``; where a
    pivot falls below ``tol`` (or a diagonal is not positive) ``ok`` is False and L is a
    harmless placeholder; ``minpiv`` is the smallest pivot of each matrix.
    """
    k = At.shape[0]
    d = np.sqrt(np.diagonal(At).T)  # (k, m)
    ok = np.isfinite(d).all(axis=0) & (d > 0).all(axis=0)
    d = np.where(ok, d, 1.0)
    Ae = At / (d[:, None, :] * d[None, :, :])
    L = np.zeros_like(Ae)
    minpiv = np.full(At.shape[2], np.inf)
    for j in range(k):
        piv = Ae[j, j] - (L[j, :j] * L[j, :j]).sum(axis=0) if j else Ae[j, j].copy()
        np.minimum(minpiv, piv, out=minpiv)
        good = piv > tol
        ok &= good
        ljj = np.sqrt(np.where(good, piv, 1.0))
        L[j, j] = ljj
        if j + 1 < k:
            below = Ae[j + 1:, j] - np.einsum("ijm,jm->im", L[j + 1:, :j], L[j, :j]) if j else Ae[j + 1:, j]
            L[j + 1:, j] = below / ljj
    # undo the equilibration: A = D Ae D = (D L)(D L)'
    return L * d[:, None, :], ok, minpiv


def _chol_solve(L: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Solve ``L L' x = b`` for stacks: L (k, k, m) from :func:`_cholesky`, b (m, k) or (m, k, r)."""
    vec = b.ndim == 2
    z = np.ascontiguousarray((b[:, :, None] if vec else b).transpose(1, 2, 0), dtype=float)  # (k, r, m)
    if np.shares_memory(z, b):
        z = z.copy()
    k = L.shape[0]
    for j in range(k):  # forward: L z = b
        if j:
            z[j] -= np.einsum("im,irm->rm", L[j, :j], z[:j])
        z[j] /= L[j, j]
    for j in range(k - 1, -1, -1):  # backward: L' x = z
        if j + 1 < k:
            z[j] -= np.einsum("im,irm->rm", L[j + 1:, j], z[j + 1:])
        z[j] /= L[j, j]
    out = z.transpose(2, 0, 1)  # (m, k, r)
    return np.ascontiguousarray(out[:, :, 0] if vec else out)


def _weighted_ls(Xs: np.ndarray, ys: np.ndarray, W: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Coefficients of ``ys`` on ``Xs`` with each row of ``W`` (m, n) as frequency weights.

    Returns ``(c, ok)``: c (m, k) with NaN rows where the weighted design is singular.
    """
    n, k = Xs.shape
    # the cross-product matrices from their lower triangles only: one (m, n) x (n, k(k+1)/2) product
    lo, hi = np.tril_indices(k)
    G = _mm(W, Xs[:, lo] * Xs[:, hi]).T  # (k(k+1)/2, m)
    At = np.empty((k, k, W.shape[0]))
    At[lo, hi] = G
    At[hi, lo] = G
    L, ok, minpiv = _cholesky(At)
    c = _chol_solve(L, _mm(W, Xs * ys[:, None]))
    # one step of iterative refinement where the design is ill-conditioned (some column with
    # 1 - R^2 < REFINE_BELOW on the others): brings the normal equations to QR accuracy
    hard = np.flatnonzero(ok & (minpiv < REFINE_BELOW))
    if len(hard):
        r = ys[None, :] - _mm(c[hard], Xs.T)
        c[hard] += _chol_solve(L[:, :, hard], _mm(W[hard] * r, Xs))
    c[~ok] = np.nan
    return c, ok


def _estimates(des: _Design, W: np.ndarray, standardize: bool) -> tuple[np.ndarray, np.ndarray]:
    """Coefficients for a stack of weight vectors, on the original scale or standardized.

    Raw: intercept and slopes of ``y`` on ``X``. Standardized: slopes of z(y) on z(X),
    where the z-scores are computed within each weighted sample (no intercept).
    """
    c, ok = _weighted_ls(des.Xs, des.ys, W)
    if standardize:
        Z = np.column_stack([des.ys, des.Xs[:, 1:]])
        nw = W.sum(axis=1, keepdims=True)
        m = _mm(W, Z) / nw
        ss = _mm(W, Z * Z) - nw * m * m
        return c[:, 1:] * np.sqrt(ss[:, 1:] / ss[:, :1]), ok
    slopes = c[:, 1:] * des.sy / des.sd[1:]
    intercept = des.my + des.sy * c[:, 0] - np.einsum("bk,k->b", slopes, des.mu[1:])
    return np.column_stack([intercept, slopes]), ok


def _deletion_estimates(des: _Design, standardize: bool, chunk_size: int) -> tuple[np.ndarray, np.ndarray]:
    """Estimates with each country left out in turn: (n, k) and ok (n,)."""
    n = des.n
    out, oks = [], []
    for start in range(0, n, chunk_size):
        rows = np.arange(start, min(n, start + chunk_size))
        W = np.ones((len(rows), n))
        W[np.arange(len(rows)), rows] = 0.0
        est, ok = _estimates(des, W, standardize)
        out.append(est)
        oks.append(ok)
    return np.vstack(out), np.concatenate(oks)


# --------------------------------------------------------------------------------------------
# random index streams
# --------------------------------------------------------------------------------------------

def _iter_bootstrap_indices(n: int, n_boot: int, rng: np.random.Generator, chunk_size: int) -> Iterator[np.ndarray]:
    for start in range(0, n_boot, chunk_size):
        yield rng.integers(0, n, size=(min(chunk_size, n_boot - start), n))


def _iter_permutation_indices(n: int, n_perm: int, rng: np.random.Generator, chunk_size: int) -> Iterator[np.ndarray]:
    base = np.arange(n)
    for start in range(0, n_perm, chunk_size):
        b = min(chunk_size, n_perm - start)
        yield rng.permuted(np.broadcast_to(base, (b, n)), axis=1)


def bootstrap_indices(n: int, n_boot: int, rng=None) -> np.ndarray:
    """Row indices of the pairs-bootstrap resamples that :func:`bootstrap` draws.

    Parameters
    ----------
    n : int
        Number of countries in the listwise sample (rows are numbered 0 .. n-1 in
        the order of the data after listwise deletion).
    n_boot : int
        Number of resamples.
    rng : numpy.random.Generator or int, optional
        Source of randomness, in the same state as the one given to :func:`bootstrap`.

    Returns
    -------
    ndarray of int, shape (n_boot, n)
        Row ``b`` holds the rows of resample ``b``: exactly
        ``rng.integers(0, n, size=(n_boot, n))``, which equals drawing resample by
        resample with ``rng.integers(0, n, size=n)`` (and equals what
        ``scipy.stats.bootstrap`` draws with the same generator).

    Examples
    --------
    >>> bootstrap_indices(5, 2, rng=1).shape
    (2, 5)
    """
    n, n_boot = _positive_int(n, "n"), _positive_int(n_boot, "n_boot")
    return _as_generator(rng).integers(0, n, size=(n_boot, n))


def permutation_indices(n: int, n_perm: int, rng=None) -> np.ndarray:
    """The permutations of rows that :func:`permutation_test` draws.

    Parameters
    ----------
    n : int
        Number of countries in the listwise sample.
    n_perm : int
        Number of permutations.
    rng : numpy.random.Generator or int, optional
        Source of randomness, in the same state as the one given to :func:`permutation_test`.

    Returns
    -------
    ndarray of int, shape (n_perm, n)
        Row ``b`` is permutation ``b``; identical to
        ``np.vstack([rng.permutation(n) for _ in range(n_perm)])``.

    Examples
    --------
    >>> sorted(permutation_indices(4, 1, rng=1)[0].tolist())
    [0, 1, 2, 3]
    """
    n, n_perm = _positive_int(n, "n"), _positive_int(n_perm, "n_perm")
    return _as_generator(rng).permuted(np.broadcast_to(np.arange(n), (n_perm, n)), axis=1)


# --------------------------------------------------------------------------------------------
# display helpers
# --------------------------------------------------------------------------------------------

# the package's one table renderer (stats/results.py): same digits rule, and LaTeX without jinja2
def _markdown(df: pd.DataFrame) -> str:
    return frame_to_markdown(df, digits=4)


def _text(df: pd.DataFrame) -> str:
    return frame_to_text(df, digits=4)


# --------------------------------------------------------------------------------------------
# bootstrap
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class BootstrapResult:
    """Pairs bootstrap of OLS coefficients.

    Attributes
    ----------
    table : DataFrame
        One row per term; columns ``term, estimate, boot_mean, boot_se,
        ci_low_percentile, ci_high_percentile, ci_low_bca, ci_high_bca, n, n_boot, method``.
    draws : ndarray, shape (n_boot, k)
        Coefficients of every resample, columns in the order of ``terms``; rows of
        singular resamples are NaN.
    terms : tuple of str
    n_singular : int
        Resamples left out because their design was singular.
    diagnostics : dict
        ``bias_correction`` (z0) and ``acceleration`` (a) of the BCa interval per
        term, ``ci``, ``standardize``, ``outcome``.
    """

    table: pd.DataFrame
    draws: np.ndarray
    terms: tuple[str, ...]
    n_singular: int
    diagnostics: dict = field(default_factory=dict)

    def summary(self) -> str:
        d = self.diagnostics
        head = (f"Pairs bootstrap of OLS coefficients for {d.get('outcome')}: n = {int(self.table['n'].iloc[0])}, "
                f"{int(self.table['n_boot'].iloc[0])} resamples used ({self.n_singular} singular left out), "
                f"{d.get('ci', 0.95):.0%} percentile and BCa intervals"
                + (", standardized coefficients" if d.get("standardize") else ""))
        return head + "\n" + _text(self.table.drop(columns=["n", "n_boot", "method"]))

    def __repr__(self) -> str:
        return self.summary()

    def to_markdown(self) -> str:
        return _markdown(self.table)

    def to_latex(self) -> str:
        return frame_to_latex(self.table, digits=4)

    def _repr_html_(self) -> str:
        head = html.escape(self.summary().splitlines()[0])
        return f"<p>{head}</p>" + frame_to_html(self.table, digits=4)


def _bca(draws: np.ndarray, est: np.ndarray, jack: np.ndarray, alpha: float) -> tuple[np.ndarray, ...]:
    """BCa endpoints per column of ``draws`` (valid rows only), as in Efron & Tibshirani (1993, 14.3)."""
    from scipy.special import ndtr, ndtri

    B = draws.shape[0]
    # proportion below the estimate, ties counted half (scipy.stats.bootstrap's convention)
    prop = ((draws < est).sum(axis=0) + (draws <= est).sum(axis=0)) / (2.0 * B)
    z0 = ndtri(prop)
    u = jack.mean(axis=0) - jack
    with np.errstate(invalid="ignore", divide="ignore"):
        a = (u ** 3).sum(axis=0) / (6.0 * ((u ** 2).sum(axis=0)) ** 1.5)
    za = ndtri(alpha)
    lo, hi = np.full(len(est), np.nan), np.full(len(est), np.nan)
    for j in range(len(est)):
        if not (np.isfinite(z0[j]) and np.isfinite(a[j])):
            continue
        q = []
        for z in (za, -za):
            q.append(ndtr(z0[j] + (z0[j] + z) / (1.0 - a[j] * (z0[j] + z))))
        lo[j], hi[j] = np.quantile(draws[:, j], q)
    return lo, hi, z0, a


def bootstrap(data: pd.DataFrame, outcome: str, predictors: Sequence[str], *, n_boot: int = 2000, rng=None,
              standardize: bool = False, ci: float = 0.95, chunk_size: int = 1000) -> BootstrapResult:
    """Pairs (case) bootstrap of OLS coefficients with percentile and BCa intervals.

    Parameters
    ----------
    data : DataFrame
        One row per country (index iso3), numeric columns named by variable id.
    outcome : str
        Column of the dependent variable.
    predictors : list of str
        Columns of the regressors; an intercept is always added (term ``const``).
    n_boot : int, default 2000
        Number of resamples.
    rng : numpy.random.Generator or int, optional
        Source of randomness. The same seed gives the same numbers;
        :func:`bootstrap_indices` with a generator in the same state returns the
        rows of every resample.
    standardize : bool, default False
        Bootstrap standardized coefficients (z-scores of outcome and predictors,
        recomputed within each resample); the table then has no ``const`` row.
    ci : float, default 0.95
        Confidence level of both intervals.
    chunk_size : int, default 1000
        Resamples solved together; bounds memory at about
        ``chunk_size * (n + k^2)`` numbers. Results do not depend on it.

    Returns
    -------
    BootstrapResult
        ``.table`` with one row per term:

        - ``term``: ``const`` or the predictor column
        - ``estimate``: coefficient on the full listwise sample
        - ``boot_mean``, ``boot_se``: mean and standard deviation (ddof 1) of the draws
        - ``ci_low_percentile``, ``ci_high_percentile``: percentile interval
        - ``ci_low_bca``, ``ci_high_bca``: bias-corrected and accelerated interval
        - ``n``: countries in the listwise sample
        - ``n_boot``: resamples used (singular ones left out)
        - ``method``: ``"pairs bootstrap"``

        and ``.draws`` (n_boot x k), ``.n_singular``, ``.diagnostics``.

    Notes
    -----
    Resample ``b`` draws ``n`` countries with replacement (:func:`bootstrap_indices`)
    and is fitted as OLS with the resulting frequency weights, which is identical to
    OLS on the resampled rows. Percentile interval: the ``(1 - ci)/2`` and
    ``(1 + ci)/2`` quantiles of the draws (linear interpolation, numpy's default).
    BCa (Efron & Tibshirani 1993, ch. 14): bias correction
    ``z0 = Phi^-1(share of draws below the estimate, ties counted half)``,
    acceleration from the jackknife (leave-one-country-out estimates ``t_i``,
    ``a = sum(u^3) / (6 (sum u^2)^1.5)`` with ``u = mean(t) - t_i``), endpoints
    at the quantiles ``Phi(z0 + (z0 + z) / (1 - a (z0 + z)))``; these are the
    conventions of ``scipy.stats.bootstrap(method="BCa")``, and ``z0`` and ``a`` equal
    those of R's ``boot.ci(type="bca")`` with jackknife influence values.
    Resamples with a singular design (a predictor that no longer varies, for
    instance) are left out with a :class:`SingularResampleWarning`.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"y": [1.0, 2.1, 2.9, 4.2, 5.1, 5.8, 7.2, 8.1],
    ...                    "x": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]})
    >>> res = bootstrap(df, "y", ["x"], n_boot=200, rng=1)
    >>> res.table["term"].tolist()
    ['const', 'x']
    """
    des = _design(data, outcome, predictors)
    n_boot = _positive_int(n_boot, "n_boot")
    chunk_size = _positive_int(chunk_size, "chunk_size")
    if not (isinstance(ci, (float, int)) and 0 < ci < 1):
        raise ValueError(f"ci must be between 0 and 1; got {ci!r}")
    gen = _as_generator(rng)
    n = des.n
    terms = des.terms[1:] if standardize else des.terms
    est = _estimates(des, np.ones((1, n)), standardize)[0][0]

    draws = np.empty((n_boot, len(terms)))
    pos = 0
    offsets = None
    for idx in _iter_bootstrap_indices(n, n_boot, gen, chunk_size):
        b = idx.shape[0]
        if offsets is None or len(offsets) != b:
            offsets = (np.arange(b) * n)[:, None]
        W = np.bincount((idx + offsets).ravel(), minlength=b * n).reshape(b, n).astype(float)
        draws[pos:pos + b] = _estimates(des, W, standardize)[0]
        pos += b
    valid = np.isfinite(draws).all(axis=1)
    n_singular = int((~valid).sum())
    good = draws if n_singular == 0 else draws[valid]  # no copy of a million draws unless needed
    if n_singular:
        warnings.warn(f"{n_singular} of {n_boot} bootstrap resamples had a singular design and were left out",
                      SingularResampleWarning, stacklevel=2)

    alpha = (1.0 - ci) / 2.0
    nan = np.full(len(terms), np.nan)
    if len(good) >= 2:
        boot_mean, boot_se = good.mean(axis=0), good.std(axis=0, ddof=1)
        # column by column: np.quantile copies its input
        p_lo, p_hi = np.array([np.quantile(good[:, j], [alpha, 1.0 - alpha]) for j in range(len(terms))]).T
        jack, jack_ok = _deletion_estimates(des, standardize, chunk_size)
        if jack_ok.all():
            b_lo, b_hi, z0, acc = _bca(good, est, jack, alpha)
        else:
            warnings.warn(f"{int((~jack_ok).sum())} leave-one-out samples are singular; "
                          "no BCa interval (no jackknife acceleration)", SingularResampleWarning, stacklevel=2)
            b_lo, b_hi, z0, acc = nan, nan, nan, nan
    else:
        boot_mean = boot_se = p_lo = p_hi = b_lo = b_hi = z0 = acc = nan
    table = pd.DataFrame({
        "term": terms, "estimate": est, "boot_mean": boot_mean, "boot_se": boot_se,
        "ci_low_percentile": p_lo, "ci_high_percentile": p_hi, "ci_low_bca": b_lo, "ci_high_bca": b_hi,
        "n": n, "n_boot": int(valid.sum()), "method": "pairs bootstrap",
    }, columns=BOOT_COLUMNS)
    diagnostics = {"bias_correction": np.asarray(z0), "acceleration": np.asarray(acc), "ci": ci,
                   "standardize": bool(standardize), "outcome": outcome}
    return BootstrapResult(table=table, draws=draws, terms=tuple(terms), n_singular=n_singular,
                           diagnostics=diagnostics)


# --------------------------------------------------------------------------------------------
# Freedman-Lane permutation test
# --------------------------------------------------------------------------------------------

def _freedman_lane(des: _Design, cols: list[int], n_perm: int, rng: np.random.Generator, chunk_size: int,
                   keep_null: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Observed t, count of |t*| >= |t| and (optionally) the null t (n_perm, len(cols))."""
    n, k = des.n, des.k
    Q, R = np.linalg.qr(des.Xs)
    Rinv = np.linalg.inv(R)  # k x k upper triangular, well conditioned after scaling
    diag = (Rinv * Rinv).sum(axis=1)  # diag of (X'X)^-1 in the scaled space
    df = n - k
    c_full = Rinv @ (Q.T @ des.ys)
    e_full = des.ys - des.Xs @ c_full
    t_obs = c_full[cols] / np.sqrt((e_full @ e_full) / df * diag[cols])
    gamma = np.abs(t_obs) * (100 * np.finfo(float).eps)  # ties within rounding count as ties (as scipy)

    # reduced model of each tested term: fitted values and residuals
    base, resid, ee = [], [], []
    for j in cols:
        keep = [i for i in range(k) if i != j]
        g, *_ = np.linalg.lstsq(des.Xs[:, keep], des.ys, rcond=None)
        fitted = des.Xs[:, keep] @ g
        e = des.ys - fitted
        base.append((Rinv[j] @ (Q.T @ fitted)))  # coefficient j of the full fit to the fitted values (~0)
        resid.append(e)
        ee.append(e @ e)
    counts = np.zeros(len(cols), dtype=np.int64)
    null = np.empty((n_perm, len(cols))) if keep_null else None
    pos = 0
    for perm in _iter_permutation_indices(n, n_perm, rng, chunk_size):
        b = perm.shape[0]
        for m, j in enumerate(cols):
            E = resid[m][perm]  # (b, n) permuted reduced residuals
            U = _mm(E, Q)  # (b, k)
            coef = base[m] + np.einsum("bk,k->b", U, Rinv[j])
            rss = ee[m] - np.einsum("bk,bk->b", U, U)
            t = coef / np.sqrt(rss / df * diag[j])
            counts[m] += int((np.abs(t) >= np.abs(t_obs[m]) - gamma[m]).sum())
            if keep_null:
                null[pos:pos + b, m] = t
        pos += b
    return t_obs, counts, null


def permutation_test(data: pd.DataFrame, outcome: str, predictors: Sequence[str], *, terms=None,
                     n_perm: int = 2000, rng=None, chunk_size: int = 2000) -> pd.DataFrame:
    """Freedman-Lane permutation p-values of OLS coefficients.

    Parameters
    ----------
    data : DataFrame
        One row per country (index iso3), numeric columns named by variable id.
    outcome : str
        Column of the dependent variable.
    predictors : list of str
        Columns of the regressors; an intercept is always added.
    terms : list of str, optional
        Predictors to test (default: all of them).
    n_perm : int, default 2000
        Number of permutations, shared by all tested terms.
    rng : numpy.random.Generator or int, optional
        Source of randomness; :func:`permutation_indices` with a generator in the
        same state returns the permutations used.
    chunk_size : int, default 2000
        Permutations processed together; results do not depend on it.

    Returns
    -------
    DataFrame
        One row per tested term:

        - ``term``: predictor column
        - ``estimate``: OLS coefficient on the listwise sample
        - ``statistic``: its t statistic with the classical standard error
        - ``p_value``: ``(count + 1) / (n_perm + 1)``, count = permutations with ``|t*| >= |t|``
        - ``n_perm``, ``n``: permutations and countries
        - ``method``: ``"Freedman-Lane"``

    Notes
    -----
    Freedman & Lane (1983); see Anderson & Robinson (2001) and Winkler et al. (2014)
    for its good behaviour. For term ``j``: fit the reduced model without ``j``,
    permute its residuals ``e`` across countries, form ``y* = fitted + e[perm]``,
    refit the full model and compare ``|t_j*|`` with the observed ``|t_j|``
    (ties within 100 machine epsilons count, as in ``scipy.stats.permutation_test``).
    The full design is fixed across permutations, so all refits share one QR
    factorisation and a chunk of permutations costs one matrix product.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"y": [1.0, 2.1, 2.9, 4.2, 5.1, 5.8, 7.2, 8.1],
    ...                    "x": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0],
    ...                    "z": [0.3, -0.1, 0.4, 0.0, 0.2, -0.3, 0.1, 0.5]})
    >>> permutation_test(df, "y", ["x", "z"], n_perm=99, rng=1)["term"].tolist()
    ['x', 'z']
    """
    des = _design(data, outcome, predictors)
    n_perm = _positive_int(n_perm, "n_perm")
    chunk_size = _positive_int(chunk_size, "chunk_size")
    preds = des.terms[1:]
    tested = preds if terms is None else _column_list(terms, "terms")
    for t in tested:
        if t not in preds:
            raise UnknownVariableError(t, preds, what="term")
    cols = [des.terms.index(t) for t in tested]
    t_obs, counts, _ = _freedman_lane(des, cols, n_perm, _as_generator(rng), chunk_size, keep_null=False)
    est = _estimates(des, np.ones((1, des.n)), False)[0][0]
    return pd.DataFrame({
        "term": tested, "estimate": est[cols], "statistic": t_obs, "p_value": (counts + 1) / (n_perm + 1),
        "n_perm": n_perm, "n": des.n, "method": "Freedman-Lane",
    }, columns=PERM_COLUMNS)


# --------------------------------------------------------------------------------------------
# leave one country out
# --------------------------------------------------------------------------------------------

def leave_one_out(data: pd.DataFrame, outcome: str, predictors: Sequence[str], *, standardize: bool = False,
                  top: int = 5) -> pd.DataFrame:
    """Range of each OLS coefficient when single countries are dropped, and who moves it most.

    Parameters
    ----------
    data : DataFrame
        One row per country (index iso3), numeric columns named by variable id.
    outcome : str
        Column of the dependent variable.
    predictors : list of str
        Columns of the regressors; an intercept is always added.
    standardize : bool, default False
        Standardized coefficients (z-scores recomputed without the dropped country);
        no ``const`` row.
    top : int, default 5
        How many countries to list in ``most_influential``.

    Returns
    -------
    DataFrame
        One row per term:

        - ``term``, ``estimate`` (all countries)
        - ``loo_min``, ``loo_max``: smallest and largest estimate with one country left out
        - ``most_influential``: the ``top`` countries (index labels) whose removal
          changes the estimate most, largest first, each with the change
          (estimate without it minus estimate with all), e.g. ``"USA (-0.0123), DEU (+0.0101)"``
        - ``n``: countries in the listwise sample

    Notes
    -----
    The ``n`` deletion fits are OLS with 0/1 weights, solved together (the
    DFBETA of Belsley, Kuh & Welsch 1980, without the scaling). A deletion that
    leaves a singular design (a dummy held by one country) is ignored.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"y": [1.0, 2.1, 2.9, 4.2, 5.1, 9.8],
    ...                    "x": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]},
    ...                   index=["AAA", "BBB", "CCC", "DDD", "EEE", "FFF"])
    >>> leave_one_out(df, "y", ["x"], top=1)["most_influential"].iloc[1]
    'FFF (-0.5214)'
    """
    des = _design(data, outcome, predictors)
    top = _positive_int(top, "top")
    terms = des.terms[1:] if standardize else des.terms
    est = _estimates(des, np.ones((1, des.n)), standardize)[0][0]
    D, ok = _deletion_estimates(des, standardize, chunk_size=256)
    if not ok.all():
        warnings.warn(f"dropping {', '.join(map(str, des.index[~ok]))} leaves a singular design; ignored",
                      SingularResampleWarning, stacklevel=2)
    D = D[ok]
    ids = np.asarray(des.index[ok]).astype(str)
    delta = D - est
    influential = []
    for j in range(len(terms)):
        order = np.argsort(-np.abs(delta[:, j]), kind="stable")[:top]
        influential.append(", ".join(f"{ids[i]} ({delta[i, j]:+.4g})" for i in order))
    return pd.DataFrame({
        "term": terms, "estimate": est,
        "loo_min": D.min(axis=0) if len(D) else np.nan, "loo_max": D.max(axis=0) if len(D) else np.nan,
        "most_influential": influential, "n": des.n,
    }, columns=LOO_COLUMNS)


# --------------------------------------------------------------------------------------------
# specification curve
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class SpecCurveResult:
    """A specification curve.

    Attributes
    ----------
    table : DataFrame
        One row per specification and focal term (columns :data:`SPEC_COLUMNS`,
        see :func:`specification_curve`).
    summary : DataFrame
        One row per focal term (columns :data:`SPEC_SUMMARY_COLUMNS`).
    n_specs : int
    alpha : float
    cov_type : str
    """

    table: pd.DataFrame
    summary: pd.DataFrame
    n_specs: int
    alpha: float
    cov_type: str

    def summary_for(self, outcome: str, min_share: float = 0.5) -> pd.DataFrame:
        """The summary over the specifications of one outcome (e.g. one pillar), same columns."""
        if outcome not in set(self.table["outcome"]):
            raise ValueError(f"outcome {outcome!r} is not in the specification curve; "
                             f"valid: {sorted(set(self.table['outcome']))}")
        return _spec_summary(self.table[self.table["outcome"] == outcome], min_share)

    def text(self) -> str:
        head = (f"Specification curve: {self.n_specs} specifications, {self.cov_type} standard errors, "
                f"alpha = {self.alpha}")
        return head + "\n" + _text(self.summary)

    def __repr__(self) -> str:
        return self.text()

    def to_markdown(self) -> str:
        return _markdown(self.summary)

    def to_latex(self) -> str:
        return frame_to_latex(self.summary, digits=3)

    def _repr_html_(self) -> str:
        head = html.escape(self.text().splitlines()[0])
        return f"<p>{head}</p>" + frame_to_html(self.summary, digits=3)


def _spec_solve(Xg: np.ndarray, yg: np.ndarray, Mg: np.ndarray, cov_type: str, F: int, want_ss: bool,
                C: np.ndarray | None = None):
    """OLS of each stacked system on its masked rows (weight 0 outside its sample).

    Xg (G, N, k) with the constant first, yg (G, N), Mg (G, N) 0/1. Returns, in the
    scaled space, the coefficients c (G, k), the variances of coefficients 1..F
    (G, F), residual df, ok (not singular), lev_bad (a leverage of 1 under HC2/HC3),
    if ``want_ss`` the within-sample sums of squares of the focal columns and of y, and
    with a one-hot cluster matrix ``C`` (N, n_clusters) the cluster-robust variances
    (G, F) and the number of clusters in each sample (else None, None).
    """
    G, N, k = Xg.shape
    Xt = Xg.transpose(0, 2, 1)  # (G, k, N)
    A = np.matmul(Xt, Xg * Mg[:, :, None])
    L, ok, minpiv = _cholesky(np.ascontiguousarray(A.transpose(1, 2, 0)))
    c = _chol_solve(L, np.matmul(Xt, (yg * Mg)[:, :, None])[:, :, 0])
    e = (yg - np.matmul(Xg, c[:, :, None])[:, :, 0]) * Mg
    hard = np.flatnonzero(ok & (minpiv < REFINE_BELOW))
    if len(hard):  # one step of iterative refinement where the design is ill-conditioned
        c[hard] += _chol_solve(L[:, :, hard], np.matmul(Xt[hard], e[hard][:, :, None])[:, :, 0])
        e[hard] = (yg[hard] - np.matmul(Xg[hard], c[hard][:, :, None])[:, :, 0]) * Mg[hard]
    nobs = Mg.sum(axis=1)
    df = nobs - k
    Ainv = _chol_solve(L, np.broadcast_to(np.eye(k), (G, k, k)))
    lev_bad = np.zeros(G, dtype=bool)
    XA = np.matmul(Xg, Ainv)  # (G, N, k)
    if cov_type == "nonrobust":
        with np.errstate(divide="ignore", invalid="ignore"):
            s2 = (e * e).sum(axis=1) / df
        var = s2[:, None] * np.diagonal(Ainv, axis1=1, axis2=2)[:, 1:F + 1]
    else:
        # sandwich: var_j = sum_n u_n^2 (x_n' Ainv)_j^2, and leverage h_n = x_n' Ainv x_n
        u2 = e * e
        if cov_type in ("HC2", "HC3"):
            h = (XA * Xg).sum(axis=2) * Mg
            high = h > 1.0 - 1e-10
            lev_bad = high.any(axis=1)
            h = np.where(high, 0.0, h)
            u2 = u2 / ((1.0 - h) if cov_type == "HC2" else (1.0 - h) ** 2)
        elif cov_type == "HC1":
            with np.errstate(divide="ignore", invalid="ignore"):
                u2 = u2 * (nobs / df)[:, None]
        XF = XA[:, :, 1:F + 1]
        var = np.matmul((XF * XF).transpose(0, 2, 1), u2[:, :, None])[:, :, 0]
    var_cl = n_cl = None
    if C is not None:
        var_cl, n_cl = _cluster_var(XA[:, :, 1:F + 1], e, Mg, C, nobs, k)
    ssx = ssy = None
    if want_ss:  # within-sample sums of squares of the focal columns and of y (standardized estimates)
        ssx, ssy = _within_ss(Xg[:, :, 1:F + 1], yg, Mg)
    return c, var, df, ok, lev_bad, ssx, ssy, var_cl, n_cl


def _within_ss(XF: np.ndarray, yg: np.ndarray, Mg: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    nobs = Mg.sum(axis=1)
    m = np.matmul(XF.transpose(0, 2, 1), Mg[:, :, None])[:, :, 0] / nobs[:, None]
    ssx = np.matmul(((XF - m[:, None, :]) ** 2).transpose(0, 2, 1), Mg[:, :, None])[:, :, 0]
    my = (yg * Mg).sum(axis=1) / nobs
    ssy = (((yg - my[:, None]) ** 2) * Mg).sum(axis=1)
    return ssx, ssy


def _cluster_var(XAF: np.ndarray, e: np.ndarray, Mg: np.ndarray, C: np.ndarray, nobs: np.ndarray, k: int):
    """Cluster-robust variances of the focal coefficients (statsmodels' ``cov_type="cluster"``).

    ``XAF`` (G, N, F) = rows of X (X'MX)^-1 for the focal columns, ``e`` the (masked)
    residuals or score residuals. Sums over each cluster, squares, and the small-sample
    factor ``g / (g - 1) * (n - 1) / (n - k)`` with g the clusters present in the sample.
    """
    S = XAF * (e * Mg)[:, :, None]  # (G, N, F) per-country influence on the focal coefficients
    Sc = np.matmul(C.T[None, :, :], S)  # (G, n_clusters, F)
    n_cl = (np.matmul(Mg, C) > 0).sum(axis=1).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = n_cl / (n_cl - 1.0) * (nobs - 1.0) / (nobs - k)
    return (Sc * Sc).sum(axis=1) * factor[:, None], n_cl


def _logit_solve(Xg: np.ndarray, yg: np.ndarray, Mg: np.ndarray, F: int, C: np.ndarray | None,
                 maxiter: int = 100, tol: float = 1e-13):
    """Fractional logit (Bernoulli quasi-likelihood, logit link) of stacked systems by Newton-Raphson.

    The log-likelihood is concave, so Newton steps from zero converge to the same
    optimum statsmodels' IRLS reaches (the test suite checks 1e-8 against
    ``GLM(Binomial()).fit(cov_type="HC0")``). Returns the coefficients (G, k), HC1
    variances of coefficients 1..F (HC0 x n / (n - k), as :func:`fractional_logit`),
    ok, mean of mu (1 - mu) over the sample (for average marginal effects), and the
    cluster-robust variances and cluster counts (or None).
    """
    from scipy.special import expit

    G, N, k = Xg.shape
    Xt = Xg.transpose(0, 2, 1)
    c = np.zeros((G, k))
    nobs = Mg.sum(axis=1)
    ybar = np.clip((yg * Mg).sum(axis=1) / nobs, 1e-6, 1 - 1e-6)
    c[:, 0] = np.log(ybar / (1 - ybar))
    ok = np.ones(G, dtype=bool)
    active = np.ones(G, dtype=bool)
    for _ in range(maxiter):
        idx = np.flatnonzero(active)
        if not len(idx):
            break
        mu = expit(np.matmul(Xg[idx], c[idx][:, :, None])[:, :, 0])
        w = mu * (1 - mu) * Mg[idx]
        A = np.matmul(Xt[idx], Xg[idx] * w[:, :, None])
        L, good, _ = _cholesky(np.ascontiguousarray(A.transpose(1, 2, 0)))
        g = np.matmul(Xt[idx], ((yg[idx] - mu) * Mg[idx])[:, :, None])[:, :, 0]
        step = _chol_solve(L, g)
        step[~good] = 0.0
        ok[idx[~good]] = False
        c[idx] += step
        done = np.abs(step).max(axis=1) <= tol * (1.0 + np.abs(c[idx]).max(axis=1))
        active[idx[done | ~good]] = False
    ok &= ~active  # not converged within maxiter
    mu = expit(np.matmul(Xg, c[:, :, None])[:, :, 0])
    w = mu * (1 - mu) * Mg
    A = np.matmul(Xt, Xg * w[:, :, None])
    L, good, _ = _cholesky(np.ascontiguousarray(A.transpose(1, 2, 0)))
    ok &= good
    Ainv = _chol_solve(L, np.broadcast_to(np.eye(k), (G, k, k)))
    e = (yg - mu) * Mg
    XAF = np.matmul(Xg, Ainv)[:, :, 1:F + 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        var = np.matmul((XAF * XAF).transpose(0, 2, 1), (e * e)[:, :, None])[:, :, 0] * (nobs / (nobs - k))[:, None]
    dmu = (mu * (1 - mu) * Mg).sum(axis=1) / nobs
    var_cl = n_cl = None
    if C is not None:
        var_cl, n_cl = _cluster_var(XAF, e, Mg, C, nobs, k)
    return c, var, ok, dmu, var_cl, n_cl


def _outcome_scales(outcomes: Sequence[str], scales, data: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """(low, high) of each outcome for the fractional logit: given, else from the catalogue."""
    from ._validate import catalogue_variable

    out = {}
    given = dict(scales or {})
    for y in outcomes:
        if y in given:
            v = given[y]
            low, high = (0.0, float(v)) if np.isscalar(v) else (float(v[0]), float(v[1]))
        else:
            var = catalogue_variable(y)
            if var is None or var.low is None or var.high is None:
                raise ValueError(f"the fractional logit needs the range of outcome {y!r}: give "
                                 f"scales={{{y!r}: maximum}} (or (minimum, maximum))")
            low, high = float(var.low), float(var.high)
        vals = pd.to_numeric(data[y], errors="coerce").dropna()
        bad = vals[(vals < low) | (vals > high)]
        if len(bad):
            raise ValueError(f"outcome {y!r} must lie in [{low:g}, {high:g}] for the fractional logit; outside: "
                             + ", ".join(f"{i} ({v:g})" for i, v in bad.head(10).items()))
        out[y] = (low, high)
    return out


def _group_codes(groups, index: pd.Index, arg: str) -> tuple[np.ndarray, list[str]]:
    """Codes 0..g-1 of a per-country grouping aligned to ``index`` (-1 where unknown)."""
    if isinstance(groups, Mapping) and not isinstance(groups, pd.Series):
        groups = pd.Series(groups)
    if not isinstance(groups, pd.Series):
        raise TypeError(f"{arg} must be a pandas Series (country -> region), got {type(groups).__name__}")
    g = groups.reindex(index)
    codes, names = pd.factorize(g, sort=True)
    return codes, [str(n) for n in names]


def specification_curve(data: pd.DataFrame, *, outcomes: Sequence[str], focal: Sequence[str],
                        controls: Mapping[str, Sequence[str]] | Sequence[str] | None = None,
                        alternatives: Mapping[str, Sequence[str]] | None = None,
                        estimators: Sequence[str] = ("ols",), cov_type: str = "HC3", alpha: float = 0.05,
                        use_t: bool = True, regions=None, clusters=None, scales=None, min_share: float = 0.5,
                        chunk_size: int = 256) -> SpecCurveResult:
    """Fit every reasonable specification and report how often each focal factor keeps its sign and significance.

    Parameters
    ----------
    data : DataFrame
        One row per country (index iso3), numeric columns named by variable id.
    outcomes : list of str
        Outcome columns (e.g. GCI 2020, 2017, 2018, 2024 and NCSI).
    focal : list of str
        Focal factors, in every specification.
    controls : dict of str to list of str, or list of str, optional
        Control blocks; every subset of the keys (the empty set included) is one
        control set. A list makes each column its own block.
    alternatives : dict of str to list of str, optional
        Groups of interchangeable focal measures, e.g.
        ``{"individualism": ["hofstede.idv", "wvs.surv_selfexp"]}`` or a culture
        source (``{"power distance": ["hofstede.pdi", "<other source>.pdi"]}``);
        every specification uses one measure of each group (all combinations). A
        focal factor that belongs to a group is replaced, in its place, by the group's measure.
    estimators : sequence of {"ols", "ols_std", "fractional_logit"}, default ("ols",)
        ``ols`` on the variables as they are; ``ols_std`` on z-scores computed
        within the specification's sample (same t and p, coefficients in SD
        units); ``fractional_logit`` on ``(outcome - low) / (high - low)``
        (Papke & Wooldridge 1996; HC1 sandwich, z tests, as :func:`fractional_logit`).
    cov_type : {"HC3", "HC2", "HC1", "HC0", "nonrobust"}, default "HC3"
        Standard errors of the OLS estimators, as statsmodels computes them.
    alpha : float, default 0.05
        Significance level.
    use_t : bool, default True
        OLS p-values from the t distribution with ``n - k`` degrees of freedom
        (``g - 1`` with clustered errors, g clusters), as Stata and R's
        ``coeftest`` do; False uses the normal. The fractional logit always uses the normal.
    regions : Series, optional
        Region of each country (index as ``data``; :func:`regions` builds it from
        country_converter). Adds the dimension ``region``: no region terms, or
        region fixed effects (one dummy per region but the first).
    clusters : Series, optional
        Cluster of each country (e.g. UN subregions). Adds the dimension ``se``:
        ``cov_type`` or standard errors clustered by region (statsmodels'
        ``cov_type="cluster"`` with its small-sample factor). A country with no
        cluster is a cluster of its own.
    scales : dict, optional
        Outcome -> maximum (or (minimum, maximum)) for the fractional logit;
        default: the catalogue's range.
    min_share : float, default 0.5
        Share of specifications a call needs in the summary (``call``, ``survives_region``).
    chunk_size : int, default 256
        Specifications solved together; results do not depend on it.

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
        - ``reason``: why a row is NaN ("" when it is not)

        ``.summary``, one row per focal term over the specifications that could be fitted:

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

    Notes
    -----
    Simonsohn, Simmons & Nelson (2020), "Specification curve analysis", Nature
    Human Behaviour 4, 1208-1214. Each specification has its own listwise sample.
    Specifications with the same number of regressors are stacked (rows outside a
    sample get weight 0) and solved together; HC standard errors use the
    leverages from the same stacked solves (MacKinnon & White 1985). Countries
    are not independent draws: neighbours share culture and policy (Galton's
    problem; Naroll 1961, Dow 2007), so the region dimensions show whether a call
    survives comparing countries only within their region (fixed effects) and
    errors that allow for correlation within a region (clusters). With few
    clusters (about 15 here) cluster-robust tests are only approximately valid
    (Cameron & Miller 2015); they are a check, not the main inference.

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
        "reason": reason_flat[spec_idx, est_idx * V + se_idx],
    }, columns=SPEC_COLUMNS)
    return SpecCurveResult(table=table, summary=_spec_summary(table, min_share), n_specs=S * E * V, alpha=alpha,
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
# Freedman-Lane permutation test of a block of terms
# --------------------------------------------------------------------------------------------

def _block_permutation_p(data: pd.DataFrame, outcome: str, reduced: Sequence[str], block: Sequence[str],
                         n_perm: int, rng: np.random.Generator, chunk_size: int = 2000) -> float:
    """Freedman-Lane p-value of the classical F of ``block`` added to ``reduced``.

    The residuals ``e`` of the reduced model are permuted; ``y* = fitted + e[perm]``.
    Because the reduced fitted values lie in both column spaces, the residual sums of
    squares of y* are ``|e*|^2 - |Q' e*|^2`` with the orthonormal bases Q of the reduced
    and of the full design, so a chunk of permutations costs two matrix products.
    With one term, F = t^2 and the p-value equals :func:`permutation_test`'s for the
    same generator state.
    """
    des = _design(data, outcome, [*reduced, *block])
    n, k = des.n, des.k
    q = len(block)
    Qf, _ = np.linalg.qr(des.Xs)
    Qr, _ = np.linalg.qr(des.Xs[:, :k - q])
    cr, *_ = np.linalg.lstsq(des.Xs[:, :k - q], des.ys, rcond=None)
    e = des.ys - des.Xs[:, :k - q] @ cr
    df2 = n - k

    def f_stat(E):
        ee = np.einsum("bn,bn->b", E, E)
        Uf, Ur = _mm(E, Qf), _mm(E, Qr)
        rss_f = ee - np.einsum("bk,bk->b", Uf, Uf)
        rss_r = ee - np.einsum("bk,bk->b", Ur, Ur)
        return ((rss_r - rss_f) / q) / (rss_f / df2)

    f_obs = float(f_stat(e[None, :])[0])
    gamma = abs(f_obs) * (100 * np.finfo(float).eps)
    count = 0
    for perm in _iter_permutation_indices(n, n_perm, rng, chunk_size):
        count += int((f_stat(e[perm]) >= f_obs - gamma).sum())
    return (count + 1) / (n_perm + 1)



# --------------------------------------------------------------------------------------------
# every factor focal; regions for Galton's problem
# --------------------------------------------------------------------------------------------

def regions(index, *, classification: str = "continent", min_size: int = 3) -> pd.Series:
    """Region of each country from country_converter's classifications (read locally).

    Parameters
    ----------
    index : sequence of str
        ISO3 codes (e.g. ``data.index``).
    classification : {"continent", "Continent_7", "UNregion"}, default "continent"
        Column of country_converter's table: 5 continents (America as one),
        7 continents (North and South America), or the 22 UN geoscheme subregions.
    min_size : int, default 3
        Regions with fewer countries in ``index`` are pooled into ``"Other"``
        (a region of one country would give that country leverage 1 under
        fixed effects); if the pool is still smaller it joins the smallest
        region left.

    Returns
    -------
    Series
        Index as ``index``, region names; NaN for codes country_converter does not know.

    Examples
    --------
    >>> regions(["DEU", "FRA", "ITA", "JPN"], min_size=1).tolist()
    ['Europe', 'Europe', 'Europe', 'Asia']
    """
    from ..data.countries import _converter

    table = _converter().data
    valid = [c for c in ("continent", "Continent_7", "UNregion") if c in table.columns]
    check_choice(classification, valid, "classification")
    idx = pd.Index([str(i) for i in index])
    lookup = dict(zip(table["ISO3"], table[classification]))
    reg = pd.Series([lookup.get(i, np.nan) for i in idx], index=idx, dtype=object)
    counts = reg.value_counts()
    small = counts[counts < min_size].index
    if len(small) and len(counts) > len(small):
        reg = reg.where(~reg.isin(small), "Other")
        counts = reg.value_counts()
        if "Other" in counts and counts["Other"] < min_size:
            rest = counts.drop("Other").sort_values(kind="stable")
            reg = reg.replace("Other", rest.index[0])
    return reg


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
    data : DataFrame
    outcomes : list of str
        Outcomes of one construct (overall indices: GCI 2020, 2018, 2017, 2024,
        NCSI); give the pillars their own call.
    blocks : dict of str to list of str
        The model's blocks (development, politics, military, culture).
    controls : list of str, optional
        The blocks that enter the other blocks' curves as optional controls
        (default: every block).
    alternatives : dict, optional
        Interchangeable measures (another individualism measure, another culture
        source); a group goes to the curve of the block that holds one of its measures.
    estimators, cov_type, alpha, regions, clusters, scales, min_share, use_t
        As in :func:`specification_curve`.

    Returns
    -------
    SpecCurveResult
        ``.table`` as :func:`specification_curve` plus ``focal_block`` (second
        column); ``spec_id`` runs on across the blocks. ``.summary`` has one row
        per predictor (and per alternative measure).

    Examples
    --------
    >>> spec = specification_curves(panel, outcomes=["gci2020.score", "ncsi.score"],
    ...                             blocks=study.blocks, regions=regions(panel.index))  # doctest: +SKIP
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
    return SpecCurveResult(table=table, summary=_spec_summary(table, min_share), n_specs=n_specs, alpha=alpha,
                           cov_type=cov_type)
