"""One display protocol for every public result object (cybercult._format.ResultMixin).

Each object, fitted on the bundled panel, must give: ``summary()`` text holding its
header, ``str``/``repr``, ``_repr_html_`` with a table, a Markdown table, a captioned
LaTeX tabular, and ``to_csv(folder)`` files that read back to the tidy tables.
"""
from __future__ import annotations

import numbers
import re
import warnings

import numpy as np
import pandas as pd
import pytest

import cybercult as cc
from cybercult import stats as S
from cybercult._format import fmt_num, fmt_p, fmt_typeset, stars

OUTCOME = "gci2020.score"
PREDICTORS = ["hofstede_insights.idv", "hofstede_insights.pdi", "wdi.log_gdppc_ppp", "eiu.democracy"]


@pytest.fixture(scope="module")
def panel():
    return cc.build_panel()


def _bootstrap(panel):
    d = panel.data[[OUTCOME] + PREDICTORS].dropna()
    return S.bootstrap(d, OUTCOME, PREDICTORS, n_boot=200, rng=1)


def _speccurve(panel):
    d = panel.data[[OUTCOME, "ncsi.score"] + PREDICTORS]
    return S.specification_curve(d, outcomes=[OUTCOME, "ncsi.score"], focal=["hofstede_insights.idv"],
                                 controls=["wdi.log_gdppc_ppp", "eiu.democracy"])


BUILDERS = {
    "regress": lambda p: S.regress(p.data, OUTCOME, PREDICTORS),
    "fractional_logit": lambda p: S.fractional_logit(p.data, OUTCOME, PREDICTORS, scale=100),
    "ordinal_logit": lambda p: S.ordinal_logit(p.data, "gci2024.tier", PREDICTORS),
    "compare_groups": lambda p: S.compare_groups(p.data, OUTCOME, "eiu.regime"),
    "hierarchical": lambda p: S.hierarchical(p.data, OUTCOME, {"development": ["wdi.log_gdppc_ppp"],
                                                          "culture": ["hofstede_insights.idv",
                                                                      "hofstede_insights.pdi"]}),
    "panel": lambda p: p,
    "compare_models": lambda p: S.compare_models([S.regress(p.data, OUTCOME, PREDICTORS[:1]),
                                                  S.regress(p.data, OUTCOME, PREDICTORS)], names=["small", "full"]),
    "bootstrap": _bootstrap,
    "specification_curve": _speccurve,
}
CASES = [pytest.param(k, id=k) for k in BUILDERS]


@pytest.fixture(scope="module")
def built(panel):
    cache = {}

    def get(name):
        if name not in cache:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # few-countries warnings are tested where they are raised
                cache[name] = BUILDERS[name](panel)
        return cache[name]
    return get


@pytest.mark.parametrize("name", CASES)
def test_text(built, name):
    obj = built(name)
    text = obj.summary()
    assert isinstance(text, str) and text == obj.summary(digits=3) == str(obj)
    head = obj._header()
    assert head and all(isinstance(h, str) for h in head)
    for line in head:
        assert line in text
    assert isinstance(repr(obj), str) and head[0] in repr(obj)
    assert not re.search(r"\d{4}-\d{2}-\d{2}|\d{2}:\d{2}:\d{2}", text)  # no dates: reruns give the same text


@pytest.mark.parametrize("name", CASES)
def test_html_markdown_latex(built, name):
    obj = built(name)
    assert "<table" in obj._repr_html_()
    md = obj.to_markdown()
    lines = md.splitlines()
    heads = [i for i, ln in enumerate(lines) if ln.startswith("| ")]
    assert heads and re.match(r"^\| (:---|---:) \|", lines[heads[0] + 1])
    tex = obj.to_latex(caption="Caption X")
    assert r"\begin{tabular}" in tex and r"\caption{Caption X" in tex and r"\bottomrule" in tex


def _same_numbers(back: pd.DataFrame, orig: pd.DataFrame, where: str) -> None:
    assert [str(c) for c in back.columns] == [str(c) for c in orig.columns], where
    assert len(back) == len(orig), where
    for c in orig.columns:
        o, b = orig[c], back[str(c)]
        if pd.api.types.is_bool_dtype(o):
            assert b.astype(bool).tolist() == o.tolist(), f"{where}: {c}"
        elif pd.api.types.is_numeric_dtype(o):
            np.testing.assert_allclose(b.to_numpy(float), o.to_numpy(float), rtol=1e-13, atol=0,
                                       err_msg=f"{where}: {c}")
        else:  # mixed columns (e.g. diagnostics): every real number comes back
            for ov, bv in zip(o, b):
                if isinstance(ov, numbers.Real) and not isinstance(ov, (bool, np.bool_)) and np.isfinite(ov):
                    assert float(bv) == pytest.approx(float(ov), rel=1e-13, abs=0), f"{where}: {c}"


@pytest.mark.parametrize("name", CASES)
def test_csv_roundtrip(built, name, tmp_path):
    obj = built(name)
    tables = obj._tables()
    paths = obj.to_csv(tmp_path / "out")
    assert [p.name for p in paths] == [f"{k}.csv" for k in tables]
    for (key, df), path in zip(tables.items(), paths):
        indexed = key in obj._index_tables
        back = pd.read_csv(path, index_col=0 if indexed else None, keep_default_na=False, na_values=[""])
        _same_numbers(back, df, f"{name}/{key}")
        if indexed:
            assert back.index.astype(str).tolist() == df.index.astype(str).tolist()


# -- one behaviour per formatting helper
def test_fmt_p_styles():
    assert [fmt_p(p) for p in (0.0123, 0.5, 0.0004, np.nan)] == ["0.012", "0.500", "<0.001", ""]
    assert fmt_p(0.0004, digits=4) == "0.0004"
    assert [fmt_p(p, style="apa", prefix="p") for p in (0.0123, 0.0026, 0.3456, 0.0004, np.nan)] == [
        "p = .01", "p = .003", "p = .35", "p < .001", "p = n/a"]
    assert fmt_p(0.0004, prefix="p") == "p < 0.001"
    with pytest.raises(ValueError, match="style"):
        fmt_p(0.1, style="journal")


def test_figures_and_tables_share_the_helpers():
    from cybercult.plot._common import fmt_p as plot_fmt_p
    from cybercult.plot.correlation import significance_stars
    from cybercult.stats._validate import fmt_p as stats_fmt_p

    assert plot_fmt_p(0.0123) == "p = .01" and plot_fmt_p(0.11, prefix="robust p") == "robust p = .11"
    assert stats_fmt_p is fmt_p
    assert [stars(p) for p in (0.2, 0.049, 0.009, 0.0009, np.nan)] == ["", "*", "**", "***", ""]
    assert significance_stars(0.0009, alpha=0.01) == stars(0.0009, alpha=0.01) == "**"
    assert stars(0.03, levels=(0.1, 0.05)) == "**"
    assert fmt_typeset(-0.004, 2) == "0.00" and fmt_typeset(-1.5, 1) == "\u22121.5"
    assert fmt_num(np.int64(7)) == "7" and fmt_num(0.00001234) == "1.23e-05"


def test_model_comparison_numbers_match_each_model(built, panel):
    cmp = built("compare_models")
    full = S.regress(panel.data, OUTCOME, PREDICTORS)
    tab = full.table.set_index("term")
    for t in tab.index:
        assert cmp.params.at[t, "full"] == tab.at[t, "estimate"]
        assert cmp.std_errors.at[t, "full"] == tab.at[t, "std_error"]
        assert cmp.pvalues.at[t, "full"] == tab.at[t, "p_value"]
    assert np.isnan(cmp.params.at["eiu.democracy", "small"])
    assert cmp.stats.at["n", "full"] == full.diagnostics["n"]
    assert cmp.table.loc["eiu.democracy", "small"] == ""  # rendered only on display
    assert cmp.table.attrs["note"] in cmp.summary()
