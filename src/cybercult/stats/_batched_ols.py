"""The batched least-squares engine behind the bootstrap, permutation tests and specification curves.

Nothing here fits one statsmodels model per resample. A bootstrap resample is a
vector of integer frequency weights ``w`` on the countries, so its coefficients
solve ``(X'WX) b = X'Wy``, and thousands of such systems are built with one
matrix product and solved together. The results equal those of a plain loop of
``statsmodels.api.OLS(...).fit()`` on the same resamples to about 1e-10 relative
(the test suite checks 1e-8). Matrix products are cut into blocks that OpenBLAS
runs single-threaded (see :func:`_mm`), so timings hold up when the machine's
cores are busy with other work.

The stacked Cholesky factorisation is written by hand because
``numpy.linalg.cholesky`` on a stack of matrices raises ``LinAlgError`` for the
whole stack when a single member is singular (or not positive definite), while a
bootstrap needs the other resamples solved and the singular one flagged. The
hand-written loop runs over the ``k`` columns (k is small), vectorised over the
stack, and reports each member's smallest pivot.

Numerics
--------
Columns are centred and scaled to unit variance on the listwise sample before any
cross-product is formed (an exact reparametrisation: estimates are transformed
back), the stacked systems are solved by the vectorised Cholesky factorisation,
and ill-conditioned systems (some column with ``1 - R^2 < 1e-3`` on the others)
get one step of iterative refinement, which brings them to the accuracy of a QR
solve (NIST's Longley problem: 1e-14 relative). A system is *singular* when
some column of the (weighted, scaled) design is explained by the columns before
it with ``1 - R^2 < 1e-10`` (R's ``lm`` uses the same kind of pivot test with
tolerance 1e-7 on ``sqrt(1 - R^2)``).
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._validate import as_list, check_columns, check_enough, check_frame, check_numeric

CONST = "const"
ESTIMATORS = ("ols", "ols_std", "fractional_logit")
#: A (scaled) system is singular when some column has 1 - R^2 on the earlier columns below this.
SINGULAR_TOL = 1e-10
#: Below this smallest pivot (1 - R^2) a bootstrap system gets a step of iterative refinement.
REFINE_BELOW = 1e-3


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



def _group_codes(groups, index: pd.Index, arg: str) -> tuple[np.ndarray, list[str]]:
    """Codes 0..g-1 of a per-country grouping aligned to ``index`` (-1 where unknown)."""
    if isinstance(groups, Mapping) and not isinstance(groups, pd.Series):
        groups = pd.Series(groups)
    if not isinstance(groups, pd.Series):
        raise TypeError(f"{arg} must be a pandas Series (country -> region), got {type(groups).__name__}")
    g = groups.reindex(index)
    codes, names = pd.factorize(g, sort=True)
    return codes, [str(n) for n in names]

