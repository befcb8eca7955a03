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
    "bootstrap", "permutation_test", "leave_one_out", "specification_curve",
    "bootstrap_indices", "permutation_indices",
    "ESTIMATORS", "COV_TYPES",
]

CONST = "const"
#: Estimators a specification curve can use: OLS on the variables as they are, or on z-scores.
ESTIMATORS = ("ols", "ols_std")
#: A (scaled) system is singular when some column has 1 - R^2 on the earlier columns below this.
SINGULAR_TOL = 1e-10
#: Below this smallest pivot (1 - R^2) a bootstrap system gets a step of iterative refinement.
REFINE_BELOW = 1e-3

BOOT_COLUMNS = ["term", "estimate", "boot_mean", "boot_se", "ci_low_percentile", "ci_high_percentile",
                "ci_low_bca", "ci_high_bca", "n", "n_boot", "method"]
PERM_COLUMNS = ["term", "estimate", "statistic", "p_value", "n_perm", "n", "method"]
LOO_COLUMNS = ["term", "estimate", "loo_min", "loo_max", "most_influential", "n"]
SPEC_COLUMNS = ["spec_id", "outcome", "controls", "measure", "estimator", "term", "estimate", "std_error",
                "p_value", "n", "significant", "sign", "reason"]
SPEC_SUMMARY_COLUMNS = ["term", "n_specs", "share_positive", "share_negative", "share_significant",
                        "share_same_sign_significant"]


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
        One row per specification and focal term: ``spec_id, outcome, controls,
        measure, estimator, term, estimate, std_error, p_value, n, significant,
        sign, reason``.
    summary : DataFrame
        One row per focal term: ``term, n_specs, share_positive, share_negative,
        share_significant, share_same_sign_significant``.
    n_specs : int
    alpha : float
    cov_type : str
    """

    table: pd.DataFrame
    summary: pd.DataFrame
    n_specs: int
    alpha: float
    cov_type: str

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


def _spec_solve(Xg: np.ndarray, yg: np.ndarray, Mg: np.ndarray, cov_type: str, F: int, want_ss: bool):
    """OLS of each stacked system on its masked rows (weight 0 outside its sample).

    Xg (G, N, k) with the constant first, yg (G, N), Mg (G, N) 0/1. Returns, in the
    scaled space, the coefficients c (G, k), the variances of coefficients 1..F
    (G, F), residual df, ok (not singular), lev_bad (a leverage of 1 under HC2/HC3)
    and, if ``want_ss``, the within-sample sums of squares of the columns and of y.
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
    if cov_type == "nonrobust":
        with np.errstate(divide="ignore", invalid="ignore"):
            s2 = (e * e).sum(axis=1) / df
        var = s2[:, None] * np.diagonal(Ainv, axis1=1, axis2=2)[:, 1:F + 1]
    else:
        # sandwich: var_j = sum_n u_n^2 (x_n' Ainv)_j^2, and leverage h_n = x_n' Ainv x_n
        XA = np.matmul(Xg, Ainv)  # (G, N, k)
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
    ssx = ssy = None
    if want_ss:  # within-sample sums of squares of the focal columns and of y (standardized estimates)
        XF = Xg[:, :, 1:F + 1]
        m = np.matmul(XF.transpose(0, 2, 1), Mg[:, :, None])[:, :, 0] / nobs[:, None]
        ssx = np.matmul(((XF - m[:, None, :]) ** 2).transpose(0, 2, 1), Mg[:, :, None])[:, :, 0]
        my = (yg * Mg).sum(axis=1) / nobs
        ssy = (((yg - my[:, None]) ** 2) * Mg).sum(axis=1)
    return c, var, df, ok, lev_bad, ssx, ssy


def specification_curve(data: pd.DataFrame, *, outcomes: Sequence[str], focal: Sequence[str],
                        controls: Mapping[str, Sequence[str]] | Sequence[str] | None = None,
                        alternatives: Mapping[str, Sequence[str]] | None = None,
                        estimators: Sequence[str] = ("ols",), cov_type: str = "HC3", alpha: float = 0.05,
                        use_t: bool = True, chunk_size: int = 256) -> SpecCurveResult:
    """Fit every reasonable specification and report how often each focal factor keeps its sign and significance.

    Parameters
    ----------
    data : DataFrame
        One row per country (index iso3), numeric columns named by variable id.
    outcomes : list of str
        Outcome columns (e.g. GCI 2020 and its pillars, GCI 2017, 2018, 2024, NCSI).
    focal : list of str
        Focal factors, in every specification.
    controls : dict of str to list of str, or list of str, optional
        Control blocks; every subset of the keys (the empty set included) is one
        control set. A list makes each column its own block.
    alternatives : dict of str to list of str, optional
        Groups of interchangeable focal measures, e.g.
        ``{"individualism": ["hofstede.idv", "wvs.surv_selfexp"]}``; every
        specification uses one measure of each group (all combinations). A focal
        factor that belongs to a group is replaced, in its place, by the group's measure.
    estimators : sequence of {"ols", "ols_std"}, default ("ols",)
        ``ols`` on the variables as they are; ``ols_std`` on z-scores computed
        within the specification's sample (same t and p, coefficients in SD units).
    cov_type : {"HC3", "HC2", "HC1", "HC0", "nonrobust"}, default "HC3"
        Standard errors, as statsmodels computes them.
    alpha : float, default 0.05
        Significance level.
    use_t : bool, default True
        p-values from the t distribution with ``n - k`` degrees of freedom (as
        Stata and R's ``coeftest`` do); False uses the normal distribution, as
        statsmodels does by default for robust ``cov_type``.
    chunk_size : int, default 256
        Specifications solved together; results do not depend on it.

    Returns
    -------
    SpecCurveResult
        ``.table``, one row per specification and focal term:

        - ``spec_id``: 0, 1, ... (outcome, then control set, then measures, then estimator)
        - ``outcome``; ``controls``: the control blocks joined by ``+`` (``none`` if empty);
          ``measure``: the chosen alternative measures joined by ``+`` ("" if none);
          ``estimator``; ``term``
        - ``estimate``, ``std_error``, ``p_value``
        - ``n``: countries in the specification's own listwise sample
        - ``significant``: ``p_value < alpha``; ``sign``: -1, 0 or 1
        - ``reason``: why a row is NaN ("" when it is not)

        ``.summary``, one row per focal term over the specifications it appears in
        and that could be fitted:

        - ``term``, ``n_specs``
        - ``share_positive``, ``share_negative``, ``share_significant``
        - ``share_same_sign_significant``: share significant with the sign of the
          median estimate

    Notes
    -----
    Simonsohn, Simmons & Nelson (2020), "Specification curve analysis", Nature
    Human Behaviour 4, 1208-1214. Each specification has its own listwise sample.
    Specifications with the same number of regressors are stacked (rows outside a
    sample get weight 0) and solved together; HC standard errors use the
    leverages from the same stacked solves (MacKinnon & White 1985).

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

    Z = data[columns].to_numpy(dtype=float)
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

    # enumerate specifications: outcome x (control set x measures) (x estimators, derived later).
    # A "design" is one control set with one choice of measures; spec i = outcome i // D, design i % D.
    names = list(controls)
    subsets = [s for r in range(len(names) + 1) for s in itertools.combinations(names, r)]
    measure_sets = list(itertools.product(*alternatives.values())) if alternatives else [()]
    designs = []  # (control label, measure label, focal terms, regressor column indices)
    for sub in subsets:
        ctrl = list(dict.fromkeys(c for name in sub for c in controls[name]))
        for ms in measure_sets:
            chosen = dict(zip(alternatives, ms))
            terms = [chosen[name] if kind == "group" else name for kind, name in slots]
            designs.append(("+".join(sub) if sub else "none", "+".join(ms), terms,
                            [col[c] for c in dict.fromkeys(terms + ctrl)]))
    D, O = len(designs), len(outcomes)
    S = O * D
    y_idx = np.repeat([col[y] for y in outcomes], D)
    d_idx = np.tile(np.arange(D), O)
    missing = (~finite).astype(float)
    d_inc = np.zeros((len(columns), D))
    for j, dsg in enumerate(designs):
        d_inc[dsg[3], j] = 1.0
    d_missing = missing @ d_inc  # (N, D): missing regressors per country and design
    masks = ((d_missing[:, d_idx] + missing[:, y_idx]) == 0).T  # (S, N): complete cases of each spec
    d_k = np.array([len(dsg[3]) + 1 for dsg in designs])

    # results per spec and focal position (every spec has the same number of focal terms)
    F = len(slots)
    est = np.full((S, F), np.nan)
    se = np.full((S, F), np.nan)
    tval = np.full((S, F), np.nan)
    est_std = np.full((S, F), np.nan)
    se_std = np.full((S, F), np.nan)
    dfs = np.full(S, np.nan)
    nobs = masks.sum(axis=1)
    reason = np.full(S, "", dtype=object)

    ks = d_k[d_idx]
    want_std = "ols_std" in estimators
    for k in np.unique(ks):
        members = np.flatnonzero(ks == k)
        too_few = members[nobs[members] <= k]
        reason[too_few] = [f"too few countries (n = {nobs[i]}, {k} coefficients)" for i in too_few]
        members = members[nobs[members] > k]
        if not len(members):
            continue
        with_k = np.flatnonzero(d_k == k)
        row_of = np.empty(D, dtype=int)
        row_of[with_k] = np.arange(len(with_k))
        xcols = np.array([designs[j][3] for j in with_k])[row_of[d_idx[members]]]
        for start in range(0, len(members), chunk_size):
            mem, xc = members[start:start + chunk_size], xcols[start:start + chunk_size]
            G = len(mem)
            Xg = np.empty((G, N, k))
            Xg[:, :, 0] = 1.0
            Xg[:, :, 1:] = Zs[:, xc].transpose(1, 0, 2)
            yg = Zs[:, y_idx[mem]].T
            Mg = masks[mem].astype(float)
            c, var, df, ok, lev_bad, ssx, ssy = _spec_solve(Xg, yg, Mg, cov_type, F, want_std)
            reason[mem[~ok]] = "singular design (collinear regressors in this sample)"
            reason[mem[ok & lev_bad]] = f"a country has leverage 1; {cov_type} undefined"
            good = ok & ~lev_bad
            mem, xc = mem[good], xc[good]
            cj, sj = c[good, 1:F + 1], np.sqrt(var[good])
            scale = sd[y_idx[mem]][:, None] / sd[xc[:, :F]]
            est[mem], se[mem] = cj * scale, sj * scale
            if want_std:
                rstd = np.sqrt(ssx[good] / ssy[good][:, None])
                est_std[mem], se_std[mem] = cj * rstd, sj * rstd
            tval[mem] = cj / sj
            dfs[mem] = df[good]

    from scipy.special import ndtr, stdtr

    with np.errstate(invalid="ignore"):
        pval = 2.0 * (stdtr(dfs[:, None], -np.abs(tval)) if use_t else ndtr(-np.abs(tval)))

    # the tidy table, in the order outcome > controls > measure > estimator > term
    E = len(estimators)
    spec_idx = np.repeat(np.arange(S), E * F)
    est_idx = np.tile(np.repeat(np.arange(E), F), S)
    term_pos = np.tile(np.arange(F), S * E)
    values = np.stack([est if e == "ols" else est_std for e in estimators])
    errors = np.stack([se if e == "ols" else se_std for e in estimators])
    out_name = np.array(outcomes, dtype=object)[np.repeat(np.arange(O), D)]
    c_label = np.array([dsg[0] for dsg in designs], dtype=object)[d_idx]
    m_label = np.array([dsg[1] for dsg in designs], dtype=object)[d_idx]
    term_names = np.empty((D, F), dtype=object)
    for j, dsg in enumerate(designs):
        term_names[j] = dsg[2]
    term_names = term_names[d_idx]
    estimate = values[est_idx, spec_idx, term_pos]
    p = pval[spec_idx, term_pos]
    significant = np.isfinite(p) & (p < alpha)
    sign = np.sign(np.nan_to_num(estimate, nan=0.0)).astype(int)
    table = pd.DataFrame({
        "spec_id": spec_idx * E + est_idx,
        "outcome": out_name[spec_idx], "controls": c_label[spec_idx], "measure": m_label[spec_idx],
        "estimator": np.array(estimators, dtype=object)[est_idx],
        "term": term_names[spec_idx, term_pos],
        "estimate": estimate, "std_error": errors[est_idx, spec_idx, term_pos], "p_value": p,
        "n": nobs[spec_idx].astype(int), "significant": significant, "sign": sign,
        "reason": reason[spec_idx],
    }, columns=SPEC_COLUMNS)
    return SpecCurveResult(table=table, summary=_spec_summary(table), n_specs=S * E, alpha=alpha,
                           cov_type=cov_type)


def _spec_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Shares per focal term over the specifications that could be fitted."""
    codes, terms = pd.factorize(table["term"], sort=False)
    estimate = table["estimate"].to_numpy()
    fitted = np.isfinite(estimate)
    sign = table["sign"].to_numpy()
    sig = table["significant"].to_numpy()
    out = []
    for j, term in enumerate(terms):
        sel = (codes == j) & fitted
        m = int(sel.sum())
        if not m:
            out.append([term, 0, np.nan, np.nan, np.nan, np.nan])
            continue
        sg, sgf = sign[sel], sig[sel]
        med = np.sign(np.median(estimate[sel]))
        out.append([term, m, float((sg > 0).mean()), float((sg < 0).mean()), float(sgf.mean()),
                    float((sgf & (sg == med) & (med != 0)).mean())])
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
