"""Commitment by group (regime type, freedom status): omnibus tests, effect sizes, post hoc pairs."""
from __future__ import annotations

import itertools
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.oneway import anova_oneway

from ..errors import FewObservationsWarning
from .._docstrings import fill_doc
from ._references import REFS
from ._validate import (
    PADJUST_METHODS,
    PADJUST_NAMES,
    catalogue_label,
    check_alpha,
    check_choice,
    check_columns,
    check_frame,
    check_numeric,
    padjust as _padjust,
)
from .._format import ResultMixin
from .design import level_label

OMNIBUS_COLUMNS = ["test", "method", "statistic", "df", "df2", "p_value", "n", "groups",
                   "epsilon_squared", "eta_squared", "omega_squared"]
POSTHOC_COLUMNS = ["test", "group1", "group2", "n1", "n2", "estimate", "statistic", "df", "p_value", "p_adj",
                   "ci_low", "ci_high", "effect_size", "method"]
POSTHOC_TESTS = ("mann_whitney", "welch_t", "tukey")
DESCRIBE_COLUMNS = ["group", "label", "n", "mean", "sd", "median", "q1", "q3", "min", "max"]

POSTHOC_RULE = (
    "Post hoc pairs: Mann-Whitney U (normal approximation with continuity correction; estimate = "
    "difference in medians, effect size = rank-biserial correlation) pairs with Kruskal-Wallis; Welch "
    "t-tests (estimate = difference in means with Welch CI, effect size = Cohen's d with pooled SD) pair "
    "with the ANOVA; p_adj corrects each family over its pairs. Tukey HSD rows carry Tukey's own "
    "family-wise p-values and simultaneous CIs in p_adj, ci_low, ci_high."
)


@dataclass(frozen=True, eq=False, repr=False)
class GroupResult(ResultMixin):
    """Result of :func:`compare_groups`.

    Displays through the result protocol (:class:`~cybercult._format.ResultMixin`):
    ``summary(digits)``, ``_repr_html_``, ``to_markdown``, ``to_latex(caption=...)``
    (three tables: groups, omnibus tests, pairs) and ``to_csv(folder)``
    (``describe.csv``, ``omnibus.csv``, ``posthoc.csv``).

    Attributes
    ----------
    outcome, group : str
        The variable ids compared.
    omnibus : DataFrame
        One row per omnibus test (``kruskal``, ``anova``, ``welch_anova``).
    posthoc : DataFrame
        One row per pair and test (``mann_whitney``, ``welch_t``, ``tukey``).
    describe : DataFrame
        One row per group: n, mean, sd, median, quartiles, range.
    missing : str
        Countries used and dropped (missing values, groups too small).
    padjust : str
        The correction used for the post hoc p-values.
    """

    outcome: str
    group: str
    omnibus: pd.DataFrame
    posthoc: pd.DataFrame
    describe: pd.DataFrame
    missing: str
    padjust: str

    def _header(self) -> list[str]:
        return [f"Group comparison: {catalogue_label(self.outcome)} ({self.outcome}) by "
                f"{catalogue_label(self.group)} ({self.group})", f"Missing data: {self.missing}"]

    def _tables(self) -> dict:
        return {"describe": self.describe, "omnibus": self.omnibus, "posthoc": self.posthoc}

    def _display_tables(self) -> dict:
        # the method sentence is long and the same on every row: shown once, in the notes
        return {"groups": self.describe, "omnibus tests": self.omnibus.drop(columns=["method"]),
                "pairs": self.posthoc.drop(columns=["method"])}

    def _notes(self) -> list[str]:
        return [f"{POSTHOC_RULE} Correction: {PADJUST_NAMES[self.padjust]}."]


def _group_labels(group: str, values) -> dict:
    """Labels of group codes from the catalogue's levels, else the value as text."""
    return {v: level_label(group, v) for v in values}


@fill_doc(refs=REFS)
def compare_groups(
    data: pd.DataFrame,
    outcome: str,
    group: str,
    *,
    padjust: str = "holm",
    alpha: float = 0.05,
    min_group_size: int = 2,
    posthoc=("mann_whitney", "welch_t", "tukey"),
) -> GroupResult:
    """Compare an outcome across groups: Kruskal-Wallis, ANOVA, Welch ANOVA, post hoc pairs.

    Parameters
    ----------
    {params.data}
    {params.outcome_id}
    group : str
        Grouping column: numeric codes (labelled from the catalogue's levels,
        e.g. ``"eiu.regime"``), text or a pandas categorical (its order is kept).
    {params.padjust}
        Applied to the pairwise p-values within each family of tests (the
        Mann-Whitney pairs, the Welch pairs); the default here is ``"holm"``.
    {params.alpha}
        Tukey's intervals are simultaneous at that level.
    min_group_size : int
        Groups with fewer countries are left out (with a
        :class:`~cybercult.errors.FewObservationsWarning`).
    posthoc : sequence of {"mann_whitney", "welch_t", "tukey"}
        Pairwise tests to run (all three by default; Tukey's studentized
        range integral takes about 0.1 s per pair).

    Returns
    -------
    GroupResult
        ``.omnibus`` columns: ``test`` (``kruskal``, ``anova``,
        ``welch_anova``), ``method``, ``statistic`` (H or F), ``df`` (df1),
        ``df2`` (denominator df, NaN for Kruskal-Wallis), ``p_value``, ``n``,
        ``groups``, ``epsilon_squared`` (Kruskal-Wallis), ``eta_squared`` and
        ``omega_squared`` (ANOVA).

        ``.posthoc`` columns: ``test`` (``mann_whitney``, ``welch_t``,
        ``tukey``), ``group1``, ``group2`` (labels), ``n1``, ``n2``,
        ``estimate`` (median or mean of group1 minus group2), ``statistic``
        (W = U of group1, or t), ``df``, ``p_value``, ``p_adj``, ``ci_low``,
        ``ci_high``, ``effect_size`` (rank-biserial r or Cohen's d),
        ``method``.

        ``.describe`` columns: ``group`` (value in the data), ``label``, ``n``,
        ``mean``, ``sd``, ``median``, ``q1``, ``q3``, ``min``, ``max``.

    See Also
    --------
    correlate : association of the outcome with a numeric variable.
    regress : a group variable as dummies (``categorical=``), adjusted for other factors.

    Notes
    -----
    Kruskal-Wallis H (Kruskal & Wallis 1952) with the tie correction
    (``scipy.stats.kruskal``, as R's ``kruskal.test``); epsilon squared
    ``H / ((n^2 - 1) / (n + 1))`` (Tomczak & Tomczak 2014). One-way ANOVA and
    Welch's (1951) ANOVA from ``statsmodels.stats.oneway.anova_oneway`` (as R's
    ``aov`` and ``oneway.test``); eta squared ``SS_between / SS_total`` and
    omega squared ``(SS_between - (k - 1) MS_within) / (SS_total + MS_within)``.

    Post hoc: Mann-Whitney U (``scipy.stats.mannwhitneyu``, normal
    approximation with continuity correction, as R's
    ``pairwise.wilcox.test(exact = FALSE)``) pairs with Kruskal-Wallis; Welch
    t-tests (``scipy.stats.ttest_ind(equal_var=False)``, as
    ``pairwise.t.test(pool.sd = FALSE)``) pair with the ANOVA; ``padjust``
    corrects each family (Holm 1979 by default). Tukey-Kramer HSD
    (``scipy.stats.tukey_hsd``, as R's ``TukeyHSD``; statsmodels' version
    truncates p-values at 0.001) is added with its own family-wise p-values (in
    ``p_adj``; ``p_value`` is NaN) and simultaneous intervals.

    References
    ----------
    {refs.holm_1979}

    {refs.kruskal_wallis_1952}

    {refs.tomczak_2014}

    {refs.welch_1951}

    Examples
    --------
    >>> import cybercult as cc
    >>> panel = cc.build_panel(sample="study81").data
    >>> res = cc.compare_groups(panel, "gci2020.score", "eiu.regime")
    >>> res.describe[["label", "n", "median"]].round(1)
                  label   n  median
    0     Authoritarian  13    89.3
    1     Hybrid regime  15    75.8
    2  Flawed democracy  33    92.4
    3    Full democracy  20    96.3
    >>> res.omnibus[["test", "statistic", "df", "p_value"]].round(4)
              test  statistic   df  p_value
    0      kruskal    13.5731  3.0   0.0035
    1        anova     6.6645  3.0   0.0005
    2  welch_anova     6.2165  3.0   0.0021
    """
    check_frame(data)
    if not isinstance(outcome, str) or not isinstance(group, str):
        raise TypeError("outcome and group must be column names (str)")
    check_columns(data, [outcome], "outcome")
    check_columns(data, [group], "group")
    if outcome == group:
        raise ValueError(f"outcome and group are the same column {outcome!r}")
    check_numeric(data, [outcome], "outcome")
    check_choice(padjust, PADJUST_METHODS, "padjust")
    alpha = check_alpha(alpha)
    posthoc = [posthoc] if isinstance(posthoc, str) else list(posthoc)
    for t in posthoc:
        check_choice(t, POSTHOC_TESTS, "posthoc")
    if not isinstance(min_group_size, int) or min_group_size < 2:
        raise ValueError(f"min_group_size must be an integer >= 2, got {min_group_size!r}")

    sub = data[[outcome, group]]
    keep = sub.notna().all(axis=1).to_numpy()
    sub = sub.loc[keep]
    dropped = [str(i) for i in data.index[~keep]]
    if len(sub) == 0:
        raise ValueError(f"no country has both {outcome!r} and {group!r}")
    if sub[outcome].nunique() < 2:
        raise ValueError(f"column {outcome!r} is constant over the countries compared")

    gcol = sub[group]
    if isinstance(gcol.dtype, pd.CategoricalDtype):
        order = [c for c in gcol.cat.categories if c in set(gcol)]
    else:
        order = sorted(gcol.unique(), key=lambda v: (str(type(v)), v))
    sizes = gcol.value_counts()
    small = [g for g in order if sizes[g] < min_group_size]
    if small:
        warnings.warn(f"compare_groups: groups with fewer than {min_group_size} countries left out: "
                      f"{[str(g) for g in small]}", FewObservationsWarning, stacklevel=2)
        order = [g for g in order if g not in small]
        dropped_small = [str(i) for i in sub.index[sub[group].isin(small)]]
        sub = sub[~sub[group].isin(small)]
    else:
        dropped_small = []
    if len(order) < 2:
        raise ValueError(f"group {group!r} has {len(order)} group(s) with at least {min_group_size} countries; "
                         "need two or more")
    labels = _group_labels(group, order)
    samples = [sub.loc[sub[group] == g, outcome].to_numpy(dtype=float) for g in order]
    n = int(sum(len(s) for s in samples))
    k = len(samples)
    missing = f"{n} of {len(data)} countries"
    if dropped:
        missing += f"; missing {outcome} or {group}: {', '.join(dropped)}"
    if dropped_small:
        missing += f"; in groups smaller than {min_group_size}: {', '.join(dropped_small)}"

    # ---- describe
    desc = []
    for g, s in zip(order, samples):
        desc.append({"group": g, "label": labels[g], "n": len(s), "mean": s.mean(),
                     "sd": s.std(ddof=1) if len(s) > 1 else np.nan, "median": float(np.median(s)),
                     "q1": float(np.quantile(s, 0.25)), "q3": float(np.quantile(s, 0.75)),
                     "min": s.min(), "max": s.max()})
    describe = pd.DataFrame(desc, columns=DESCRIBE_COLUMNS)

    # ---- omnibus
    kw = stats.kruskal(*samples)
    an = anova_oneway(samples, use_var="equal")
    we = anova_oneway(samples, use_var="unequal")
    allv = np.concatenate(samples)
    grand = allv.mean()
    ss_t = float(((allv - grand) ** 2).sum())
    ss_b = float(sum(len(s) * (s.mean() - grand) ** 2 for s in samples))
    ms_w = (ss_t - ss_b) / (n - k)
    omnibus = pd.DataFrame([
        {"test": "kruskal", "method": "Kruskal-Wallis rank sum test (tie-corrected)",
         "statistic": float(kw.statistic), "df": k - 1, "df2": np.nan, "p_value": float(kw.pvalue),
         "epsilon_squared": float(kw.statistic) / ((n ** 2 - 1) / (n + 1))},
        {"test": "anova", "method": "one-way ANOVA (equal variances)", "statistic": float(an.statistic),
         "df": float(an.df[0]), "df2": float(an.df[1]), "p_value": float(an.pvalue),
         "eta_squared": ss_b / ss_t, "omega_squared": (ss_b - (k - 1) * ms_w) / (ss_t + ms_w)},
        {"test": "welch_anova", "method": "Welch's one-way ANOVA (unequal variances)",
         "statistic": float(we.statistic), "df": float(we.df[0]), "df2": float(we.df[1]),
         "p_value": float(we.pvalue)},
    ])
    omnibus["n"] = n
    omnibus["groups"] = k
    omnibus = omnibus.reindex(columns=OMNIBUS_COLUMNS)

    # ---- post hoc
    rows = []
    for (i, a), (j, b) in itertools.combinations(enumerate(order), 2):
        x1, x2 = samples[i], samples[j]
        n1, n2 = len(x1), len(x2)
        if "mann_whitney" in posthoc:
            mw = stats.mannwhitneyu(x1, x2, use_continuity=True, alternative="two-sided", method="asymptotic")
            rows.append({"test": "mann_whitney", "group1": labels[a], "group2": labels[b], "n1": n1, "n2": n2,
                         "estimate": float(np.median(x1) - np.median(x2)), "statistic": float(mw.statistic),
                         "df": np.nan, "p_value": float(mw.pvalue),
                         "effect_size": 2 * float(mw.statistic) / (n1 * n2) - 1,
                         "method": "Mann-Whitney U (normal approx., continuity correction); effect: rank-biserial r"})
        if "welch_t" in posthoc:
            tt = stats.ttest_ind(x1, x2, equal_var=False)
            ci = tt.confidence_interval(1 - alpha)
            sp = np.sqrt(((n1 - 1) * x1.var(ddof=1) + (n2 - 1) * x2.var(ddof=1)) / (n1 + n2 - 2))
            rows.append({"test": "welch_t", "group1": labels[a], "group2": labels[b], "n1": n1, "n2": n2,
                         "estimate": float(x1.mean() - x2.mean()), "statistic": float(tt.statistic),
                         "df": float(tt.df), "p_value": float(tt.pvalue), "ci_low": float(ci.low),
                         "ci_high": float(ci.high), "effect_size": float((x1.mean() - x2.mean()) / sp),
                         "method": "Welch two-sample t-test; effect: Cohen's d (pooled SD)"})
    pairs = pd.DataFrame(rows, columns=POSTHOC_COLUMNS)
    for t in ("mann_whitney", "welch_t"):
        m = pairs["test"] == t
        if m.any():
            pairs.loc[m, "p_adj"] = _padjust(pairs.loc[m, "p_value"].to_numpy(dtype=float), padjust)
    if "tukey" in posthoc:
        tk = stats.tukey_hsd(*samples)
        tk_ci = tk.confidence_interval(1 - alpha)
        tk_rows = []
        for i, j in itertools.combinations(range(k), 2):
            a, b = order[i], order[j]
            tk_rows.append({"test": "tukey", "group1": labels[a], "group2": labels[b], "n1": len(samples[i]),
                            "n2": len(samples[j]), "estimate": float(tk.statistic[i, j]), "statistic": np.nan,
                            "df": np.nan, "p_value": np.nan, "p_adj": float(tk.pvalue[i, j]),
                            "ci_low": float(tk_ci.low[i, j]), "ci_high": float(tk_ci.high[i, j]),
                            "effect_size": np.nan,
                            "method": "Tukey-Kramer HSD (p_adj and CI are family-wise; equal variances)"})
        tk_frame = pd.DataFrame(tk_rows, columns=POSTHOC_COLUMNS)
        pairs = tk_frame if pairs.empty else pd.concat([pairs, tk_frame], ignore_index=True)
    posthoc_table = pairs.reset_index(drop=True)
    return GroupResult(outcome=outcome, group=group, omnibus=omnibus, posthoc=posthoc_table, describe=describe,
                       missing=missing, padjust=padjust)
