"""Resampling inference for OLS coefficients: pairs bootstrap, permutation tests, leave one country out.

With 60 to 100 countries a coefficient means little until it survives a pairs
bootstrap, a permutation test and dropping single countries. Every function here
runs on the batched engine of :mod:`cybercult.stats._batched_ols`: work proceeds
in chunks of ``chunk_size`` resamples, so a million resamples never hold a
million copies of anything the size of the design matrix (only the
``n_boot x k`` coefficient draws are kept). Singular resamples are reported,
kept as rows of NaN in the draws and left out of every summary.

Randomness comes only from the ``numpy.random.Generator`` passed as ``rng`` (or
an int seed). :func:`bootstrap_indices` and :func:`permutation_indices` give the
exact row indices a given generator state produces, so a plain loop can
reproduce any result; drawing in chunks gives the same stream as drawing at
once, so results do not depend on ``chunk_size``.
"""
from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._docstrings import fill_doc
from ..errors import SingularResampleWarning, UnknownVariableError
from ._batched_ols import (_as_generator, _column_list, _deletion_estimates, _design, _Design, _estimates,
                           _iter_bootstrap_indices, _iter_permutation_indices, _mm, _positive_int)
from ._references import REFS
from ._validate import check_alpha, renamed_argument
from .._format import ResultMixin
from .results import frame_to_markdown, frame_to_text

__all__ = ["BootstrapResult", "bootstrap", "permutation_test", "leave_one_out", "bootstrap_indices",
           "permutation_indices", "BOOT_COLUMNS", "PERM_COLUMNS", "LOO_COLUMNS"]

BOOT_COLUMNS = ["term", "estimate", "boot_mean", "std_error", "ci_low_percentile", "ci_high_percentile",
                "ci_low_bca", "ci_high_bca", "n", "n_boot", "method"]
PERM_COLUMNS = ["term", "estimate", "statistic", "p_value", "n_perm", "n", "method"]
LOO_COLUMNS = ["term", "estimate", "loo_min", "loo_max", "most_influential", "n"]


@fill_doc
def bootstrap_indices(n: int, n_boot: int, rng=None) -> np.ndarray:
    """Row indices of the pairs-bootstrap resamples that :func:`bootstrap` draws.

    Each row holds ``n`` draws with replacement from ``0 .. n-1``; a plain loop
    over the rows reproduces :func:`bootstrap` resample by resample.

    Parameters
    ----------
    {params.n_resample}
    {params.n_boot}
    {params.rng}
        A generator in the same state as the one given to :func:`bootstrap`
        gives the same resamples.

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


@fill_doc
def permutation_indices(n: int, n_perm: int, rng=None) -> np.ndarray:
    """The permutations of rows that :func:`permutation_test` draws.

    Each row is a permutation of ``0 .. n-1``.

    Parameters
    ----------
    {params.n_resample}
    {params.n_perm}
    {params.rng}
        A generator in the same state as the one given to
        :func:`permutation_test` gives the same permutations.

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

@dataclass(frozen=True, eq=False, repr=False)
class BootstrapResult(ResultMixin):
    """Pairs bootstrap of OLS coefficients.

    Attributes
    ----------
    table : DataFrame
        One row per term; columns ``term, estimate, boot_mean, std_error,
        ci_low_percentile, ci_high_percentile, ci_low_bca, ci_high_bca, n, n_boot, method``.
    draws : ndarray, shape (n_boot, k)
        Coefficients of every resample, columns in the order of ``terms``; rows of
        singular resamples are NaN.
    terms : tuple of str
        The terms, in the order of the columns of ``draws``.
    n_singular : int
        Resamples left out because their design was singular.
    diagnostics : dict
        ``bias_correction`` (z0) and ``acceleration`` (a) of the BCa interval per
        term, ``alpha``, ``standardize``, ``outcome``.
    """

    table: pd.DataFrame
    draws: np.ndarray
    terms: tuple[str, ...]
    n_singular: int
    diagnostics: dict = field(default_factory=dict)

    def _header(self) -> list[str]:
        d = self.diagnostics
        return [f"Pairs bootstrap of OLS coefficients for {d.get('outcome')}: n = {int(self.table['n'].iloc[0])}, "
                f"{int(self.table['n_boot'].iloc[0])} resamples used ({self.n_singular} singular left out), "
                f"{1 - d.get('alpha', 0.05):.0%} percentile and BCa intervals"
                + (", standardized coefficients" if d.get("standardize") else "")]

    def _tables(self) -> dict:
        return {"coefficients": self.table}

    def _display_tables(self) -> dict:
        return {"coefficients": self.table.drop(columns=["n", "n_boot", "method"])}


def _bca(draws: np.ndarray, est: np.ndarray, jack: np.ndarray, tail: float) -> tuple[np.ndarray, ...]:
    """BCa endpoints, ``tail`` in each tail, per column of ``draws`` (valid rows only), Efron & Tibshirani 14.3."""
    from scipy.special import ndtr, ndtri

    B = draws.shape[0]
    # proportion below the estimate, ties counted half (scipy.stats.bootstrap's convention)
    prop = ((draws < est).sum(axis=0) + (draws <= est).sum(axis=0)) / (2.0 * B)
    z0 = ndtri(prop)
    u = jack.mean(axis=0) - jack
    with np.errstate(invalid="ignore", divide="ignore"):
        a = (u ** 3).sum(axis=0) / (6.0 * ((u ** 2).sum(axis=0)) ** 1.5)
    za = ndtri(tail)
    lo, hi = np.full(len(est), np.nan), np.full(len(est), np.nan)
    for j in range(len(est)):
        if not (np.isfinite(z0[j]) and np.isfinite(a[j])):
            continue
        q = []
        for z in (za, -za):
            q.append(ndtr(z0[j] + (z0[j] + z) / (1.0 - a[j] * (z0[j] + z))))
        lo[j], hi[j] = np.quantile(draws[:, j], q)
    return lo, hi, z0, a


@fill_doc(refs=REFS)
def bootstrap(data: pd.DataFrame, outcome: str, predictors: Sequence[str], *, n_boot: int = 2000, rng=None,
              standardize: bool = False, alpha: float = 0.05, chunk_size: int = 1000,
              ci: float | None = None) -> BootstrapResult:
    """Pairs (case) bootstrap of OLS coefficients with percentile and BCa intervals.

    Parameters
    ----------
    {params.data}
    {params.outcome_id}
    {params.predictors}
        An intercept is always added (term ``const``).
    {params.n_boot}
    {params.rng}
        :func:`bootstrap_indices` with a generator in the same state returns
        the rows of every resample.
    {params.standardize_resampled}
    {params.alpha}
        Both intervals, percentile and BCa, are at that level.
    {params.chunk_size}
        Memory is about ``chunk_size * (n + k^2)`` numbers.
    ci : float, optional
        Deprecated: the confidence level ``1 - alpha``; accepted for one
        release with a ``DeprecationWarning``.

    Returns
    -------
    BootstrapResult
        ``.table`` with one row per term:

        - ``term``: ``const`` or the predictor column
        - ``estimate``: coefficient on the full listwise sample
        - ``boot_mean``, ``std_error``: mean and standard deviation (ddof 1) of the draws
        - ``ci_low_percentile``, ``ci_high_percentile``: percentile interval
        - ``ci_low_bca``, ``ci_high_bca``: bias-corrected and accelerated interval
        - ``n``: countries in the listwise sample
        - ``n_boot``: resamples used (singular ones left out)
        - ``method``: ``"pairs bootstrap"``

        and ``.draws`` (n_boot x k), ``.n_singular``, ``.diagnostics``.

    See Also
    --------
    bootstrap_indices : the rows of every resample, for a plain loop.
    permutation_test, leave_one_out : the other resampling checks.
    regress : the model with analytic (HC3) intervals.

    Notes
    -----
    Resample ``b`` draws ``n`` countries with replacement (:func:`bootstrap_indices`)
    and is fitted as OLS with the resulting frequency weights, which is identical to
    OLS on the resampled rows. Percentile interval: the ``alpha/2`` and
    ``1 - alpha/2`` quantiles of the draws (linear interpolation, numpy's default).
    BCa (Efron & Tibshirani 1993, ch. 14): bias correction
    ``z0 = Phi^-1(share of draws below the estimate, ties counted half)``,
    acceleration from the jackknife (leave-one-country-out estimates ``t_i``,
    ``a = sum(u^3) / (6 (sum u^2)^1.5)`` with ``u = mean(t) - t_i``), endpoints
    at the quantiles ``Phi(z0 + (z0 + z) / (1 - a (z0 + z)))``; these are the
    conventions of ``scipy.stats.bootstrap(method="BCa")``, and ``z0`` and ``a`` equal
    those of R's ``boot.ci(type="bca")`` with jackknife influence values.
    Resamples with a singular design (a predictor that no longer varies, for
    instance) are left out with a :class:`SingularResampleWarning`.

    References
    ----------
    {refs.efron_1987}

    {refs.efron_tibshirani_1993}

    Examples
    --------
    >>> import cybercult as cc
    >>> panel = cc.build_panel(sample="study81").data
    >>> x = ["wdi.log_gdppc_ppp", "hofstede_insights.uai"]
    >>> res = cc.bootstrap(panel, "gci2020.score", x, n_boot=1000, standardize=True, rng=1)
    >>> res.table[["term", "estimate", "std_error", "ci_low_bca", "ci_high_bca"]].round(2)
                        term  estimate  std_error  ci_low_bca  ci_high_bca
    0      wdi.log_gdppc_ppp      0.47       0.06        0.33         0.57
    1  hofstede_insights.uai     -0.27       0.08       -0.42        -0.11
    """
    des = _design(data, outcome, predictors)
    n_boot = _positive_int(n_boot, "n_boot")
    chunk_size = _positive_int(chunk_size, "chunk_size")
    if ci is not None:  # the old name: a confidence level
        if not (isinstance(ci, (float, int)) and not isinstance(ci, bool) and 0 < ci < 1):
            raise ValueError(f"ci must be between 0 and 1; got {ci!r}")
        ci = 1.0 - ci
    alpha = check_alpha(renamed_argument(alpha, ci, old="ci", new="alpha", fn="bootstrap", default=0.05))
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

    tail = alpha / 2.0
    nan = np.full(len(terms), np.nan)
    if len(good) >= 2:
        boot_mean, boot_se = good.mean(axis=0), good.std(axis=0, ddof=1)
        # column by column: np.quantile copies its input
        p_lo, p_hi = np.array([np.quantile(good[:, j], [tail, 1.0 - tail]) for j in range(len(terms))]).T
        jack, jack_ok = _deletion_estimates(des, standardize, chunk_size)
        if jack_ok.all():
            b_lo, b_hi, z0, acc = _bca(good, est, jack, tail)
        else:
            warnings.warn(f"{int((~jack_ok).sum())} leave-one-out samples are singular; "
                          "no BCa interval (no jackknife acceleration)", SingularResampleWarning, stacklevel=2)
            b_lo, b_hi, z0, acc = nan, nan, nan, nan
    else:
        boot_mean = boot_se = p_lo = p_hi = b_lo = b_hi = z0 = acc = nan
    table = pd.DataFrame({
        "term": terms, "estimate": est, "boot_mean": boot_mean, "std_error": boot_se,
        "ci_low_percentile": p_lo, "ci_high_percentile": p_hi, "ci_low_bca": b_lo, "ci_high_bca": b_hi,
        "n": n, "n_boot": int(valid.sum()), "method": "pairs bootstrap",
    }, columns=BOOT_COLUMNS)
    diagnostics = {"bias_correction": np.asarray(z0), "acceleration": np.asarray(acc), "alpha": alpha,
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


@fill_doc(refs=REFS)
def permutation_test(data: pd.DataFrame, outcome: str, predictors: Sequence[str], *, terms=None,
                     n_perm: int = 2000, rng=None, chunk_size: int = 2000) -> pd.DataFrame:
    """Freedman-Lane permutation p-values of OLS coefficients.

    Parameters
    ----------
    {params.data}
    {params.outcome_id}
    predictors : str or list of str
        Predictor variable ids (columns of ``data``) of the full model; an
        intercept is always added.
    terms : list of str, optional
        Predictors to test, one row each (default: all of them).
    {params.n_perm}
        The same permutations serve every tested term.
    {params.rng}
        :func:`permutation_indices` with a generator in the same state returns
        the permutations used.
    {params.chunk_size}

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

    See Also
    --------
    permutation_indices : the permutations drawn, for a plain loop.
    bootstrap, leave_one_out : the other resampling checks.
    classify_blocks : the same test for a block of terms.

    Notes
    -----
    Freedman & Lane (1983); see Anderson & Robinson (2001) and Winkler et al. (2014)
    for its good behaviour. For term ``j``: fit the reduced model without ``j``,
    permute its residuals ``e`` across countries, form ``y* = fitted + e[perm]``,
    refit the full model and compare ``|t_j*|`` with the observed ``|t_j|``
    (ties within 100 machine epsilons count, as in ``scipy.stats.permutation_test``).
    The full design is fixed across permutations, so all refits share one QR
    factorisation and a chunk of permutations costs one matrix product.

    References
    ----------
    {refs.anderson_robinson_2001}

    {refs.freedman_lane_1983}

    {refs.winkler_2014}

    Examples
    --------
    >>> import cybercult as cc
    >>> panel = cc.build_panel(sample="study81").data
    >>> x = ["wdi.log_gdppc_ppp", "eiu.democracy", "hofstede_insights.uai"]
    >>> perm = cc.permutation_test(panel, "gci2020.score", x, n_perm=999, rng=1)
    >>> perm[["term", "estimate", "statistic", "p_value"]].round(3)
                        term  estimate  statistic  p_value
    0      wdi.log_gdppc_ppp    11.663      3.857    0.001
    1          eiu.democracy     0.616      0.508    0.647
    2  hofstede_insights.uai    -0.269     -2.790    0.009
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

@fill_doc(refs=REFS)
def leave_one_out(data: pd.DataFrame, outcome: str, predictors: Sequence[str], *, standardize: bool = False,
                  top: int = 5) -> pd.DataFrame:
    """Range of each OLS coefficient when single countries are dropped, and who moves it most.

    Parameters
    ----------
    {params.data}
    {params.outcome_id}
    {params.predictors}
        An intercept is always added (term ``const``).
    {params.standardize_resampled}
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

    See Also
    --------
    influence : Cook's distance and leverage of each country.
    bootstrap, permutation_test : the other resampling checks.

    Notes
    -----
    The ``n`` deletion fits are OLS with 0/1 weights, solved together (the
    DFBETA of Belsley, Kuh & Welsch 1980, without the scaling). A deletion that
    leaves a singular design (a dummy held by one country) is ignored.

    References
    ----------
    {refs.belsley_1980}

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



