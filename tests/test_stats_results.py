"""ModelResult display and export, compare_models, format_table."""
from __future__ import annotations

import dataclasses
import re

import numpy as np
import pandas as pd
import pytest

from cybercult.stats import ModelResult, compare_models, format_table, fractional_logit, ordinal_logit, regress

PREDICTORS = ["lcs.pop15", "lcs.pop75", "lcs.dpi", "lcs.ddpi"]


@pytest.fixture(scope="module")
def data(ref) -> pd.DataFrame:
    d = ref("data_lifecycle.csv").set_index("iso3")
    d.loc["Chile", "lcs.ddpi"] = np.nan
    return d


@pytest.fixture(scope="module")
def res(data) -> ModelResult:
    return regress(data, "lcs.sr", PREDICTORS)


def test_frozen(res):
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.method = "other"


def test_summary_is_text_without_dates(res):
    text = res.summary()
    assert "OLS: lcs.sr" in text and "Covariance: HC3" in text
    assert "listwise: 49 of 50 countries, dropped: Chile" in text
    assert "lcs.pop15" in text and "Breusch-Pagan" in text and "Cook's distance" in text
    assert "Benjamini-Hochberg" in text
    assert not re.search(r"\d{4}-\d{2}-\d{2}|\d{2}:\d{2}:\d{2}|Date:|Time:", text)
    assert repr(res).startswith("<ModelResult OLS, outcome 'lcs.sr', n=49>")
    assert str(res) == text
    # rounding only in display: the table keeps full precision
    assert res.table["estimate"].iloc[1] != round(res.table["estimate"].iloc[1], 3)


def test_html(res):
    h = res._repr_html_()
    assert h.startswith("<div>") and h.count("<table") == 2 and "lcs.pop15" in h and "Diagnostics" in h


def test_markdown(res):
    md = res.to_markdown()
    table_lines = [ln for ln in md.splitlines() if ln.startswith("| ")]
    header = table_lines[0]
    assert header.startswith("| term | estimate | std_error | statistic | p_value | p_adj |")
    assert table_lines[1].startswith("| :--- | ---: |")
    assert any(ln.startswith("| lcs.pop15 | -0.") for ln in table_lines)
    assert "listwise: 49 of 50" in md


def test_latex(res):
    tex = res.to_latex()
    assert tex.count(r"\begin{tabular}") == 2 and r"\toprule" in tex and r"\bottomrule" in tex
    assert r"lcs.pop15" in tex and r"std\_error" in tex and r"\caption{OLS: lcs.sr}" in tex
    assert "_" not in tex.replace(r"\_", "")  # every underscore escaped


def test_csv_roundtrip_full_precision(res, tmp_path):
    path = res.to_csv(tmp_path / "table.csv")
    back = pd.read_csv(path, keep_default_na=False, na_values=[""])
    assert list(back.columns) == list(res.table.columns)
    np.testing.assert_array_equal(back["estimate"].to_numpy(), res.table["estimate"].to_numpy())
    diag = pd.read_csv(res.to_csv(tmp_path / "diag.csv", what="diagnostics"))
    assert set(diag["statistic"]) == set(res.diagnostics)
    with pytest.raises(ValueError, match="what must be"):
        res.to_csv(tmp_path / "x.csv", what="everything")


def test_compare_models(data, res):
    small = regress(data, "lcs.sr", ["lcs.pop15"], cov_type="nonrobust")
    fl = fractional_logit(data, "lcs.sr", PREDICTORS, scale=100)
    comparison = compare_models([small, res, fl], names=["pop15 only", "full", "frac. logit"])
    # numbers stay numbers: the frames hold each model's own estimates
    row = res.table.set_index("term").loc["lcs.pop15"]
    assert comparison.params.loc["lcs.pop15", "full"] == row["estimate"]
    assert comparison.std_errors.loc["lcs.pop15", "full"] == row["std_error"]
    assert comparison.pvalues.loc["lcs.pop15", "full"] == row["p_value"]
    assert np.isnan(comparison.params.loc["lcs.pop75", "pop15 only"])
    assert comparison.stats.loc["n", "full"] == 49
    cmp = comparison.table  # the display table (text cells)
    assert list(cmp.columns) == ["pop15 only", "full", "frac. logit"]
    assert list(cmp.index[:5]) == ["const", "lcs.pop15", "lcs.pop75", "lcs.dpi", "lcs.ddpi"]
    assert list(cmp.index[5:]) == ["n", "R-squared", "Adjusted R-squared", "AIC"]
    assert cmp.loc["lcs.pop75", "pop15 only"] == ""
    row = res.table.set_index("term").loc["lcs.pop15"]
    stars = "**" if 0.001 <= row["p_value"] < 0.01 else None
    assert stars is not None
    assert cmp.loc["lcs.pop15", "full"] == f"{row['estimate']:.3f} ({row['std_error']:.3f}) **"
    assert cmp.loc["n", "full"] == "49" and cmp.loc["R-squared", "frac. logit"] == ""
    assert "estimate (std. error)" in cmp.attrs["note"]
    betas = compare_models([small, res], coef="beta", p="p_adj").table
    b = res.table.set_index("term").loc["lcs.pop15"]
    assert "const" not in betas.index
    assert betas.loc["lcs.pop15", "(2)"].startswith(f"{b['beta']:.3f} [{b['beta_ci_low']:.3f}, ")
    text = format_table(cmp, "text", index=True)
    assert "pop15 only" in text and "lcs.ddpi" in text
    md = format_table(cmp, "markdown", index=True)
    assert md.splitlines()[0] == "| term | pop15 only | full | frac. logit |"
    tex = format_table(cmp, "latex", index=True, caption="Savings")
    assert r"\caption{Savings}" in tex and r"\begin{table}" in tex
    assert "<table" in format_table(cmp, "html", index=True)


def test_compare_models_bad_input(res):
    with pytest.raises(ValueError, match="empty"):
        compare_models([])
    with pytest.raises(TypeError, match="ModelResult"):
        compare_models([res.table])
    with pytest.raises(ValueError, match="names has 2 entries for 1 models"):
        compare_models([res], names=["a", "b"])
    with pytest.raises(ValueError, match="coef"):
        compare_models([res], coef="t")
    with pytest.raises(ValueError, match="fmt"):
        format_table(res.table, "docx")


def test_ordinal_display(data):
    d = data.assign(tier=pd.cut(data["lcs.sr"], 3, labels=False) + 1)
    res = ordinal_logit(d, "tier", ["lcs.pop15"])
    text = res.summary()
    assert "cut 1|2" in text and "McFadden" in text
    assert res.table.loc[res.table["term"].str.startswith("cut"), "p_value"].isna().all()
