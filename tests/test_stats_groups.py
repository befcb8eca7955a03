"""compare_groups() against R: kruskal.test, aov, oneway.test, effectsize, pairwise tests, TukeyHSD."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cybercult.errors import FewObservationsWarning, UnknownVariableError
from cybercult.stats import GroupResult, compare_groups

RTOL = 1e-6


@pytest.fixture(scope="module")
def sprays(ref) -> pd.DataFrame:
    return ref("data_insectsprays.csv").set_index("iso3")


@pytest.fixture(scope="module")
def result(sprays) -> GroupResult:
    return compare_groups(sprays, "ins.count", "ins.spray")


def test_omnibus_against_r(result, ref):
    expected = ref("ref_groups_omnibus.csv").set_index("test")
    got = result.omnibus.set_index("test")
    assert list(got.index) == ["kruskal", "anova", "welch_anova"]
    for col in ["statistic", "df", "df2", "p_value", "epsilon_squared", "eta_squared", "omega_squared"]:
        np.testing.assert_allclose(got[col].to_numpy(float), expected.loc[got.index, col].to_numpy(float),
                                   rtol=RTOL, equal_nan=True, err_msg=col)
    assert (got["n"] == 72).all() and (got["groups"] == 6).all()


def test_posthoc_against_r(result, ref):
    expected = ref("ref_groups_posthoc.csv")
    got = result.posthoc
    merged = got.merge(expected, on=["test", "group1", "group2"], suffixes=("", "_r"), validate="one_to_one")
    assert len(merged) == len(got) == 45  # 15 pairs x 3 tests
    mw_welch = merged["test"] != "tukey"
    for col in ["estimate", "statistic", "df", "p_value", "p_adj", "ci_low", "ci_high", "effect_size"]:
        np.testing.assert_allclose(merged.loc[mw_welch, col].to_numpy(float),
                                   merged.loc[mw_welch, col + "_r"].to_numpy(float), rtol=RTOL, equal_nan=True,
                                   err_msg=col)
    tk = merged[merged["test"] == "tukey"]
    np.testing.assert_allclose(tk["estimate"], tk["estimate_r"], rtol=RTOL)
    np.testing.assert_allclose(tk["ci_low"], tk["ci_low_r"], rtol=RTOL)
    np.testing.assert_allclose(tk["ci_high"], tk["ci_high_r"], rtol=RTOL)
    # R's ptukey is accurate to about 1e-11 in absolute terms; R prints 0 below that
    np.testing.assert_allclose(tk["p_adj"], tk["p_adj_r"], rtol=1e-6, atol=1e-10)


def test_describe_against_r(result, ref):
    expected = ref("ref_groups_describe.csv")
    got = result.describe
    assert list(got.columns) == ["group", "label", "n", "mean", "sd", "median", "q1", "q3", "min", "max"]
    assert list(got["group"]) == list(expected["group"])
    for col in ["n", "mean", "sd", "median"]:
        np.testing.assert_allclose(got[col].to_numpy(float), expected[col].to_numpy(float), rtol=RTOL)


def test_padjust_choice_changes_only_p_adj(sprays, result):
    bh = compare_groups(sprays, "ins.count", "ins.spray", padjust="fdr_bh", posthoc=["mann_whitney", "welch_t"])
    holm = result.posthoc[result.posthoc["test"] != "tukey"].reset_index(drop=True)
    np.testing.assert_allclose(bh.posthoc["p_value"], holm["p_value"])
    assert (bh.posthoc["p_adj"] <= holm["p_adj"] + 1e-15).all()


def test_numeric_codes_and_categorical_order(sprays):
    d = sprays.copy()
    d["code"] = d["ins.spray"].map({s: i + 1 for i, s in enumerate("ABCDEF")}).astype(float)
    res = compare_groups(d, "ins.count", "code", posthoc="mann_whitney")
    assert list(res.describe["label"]) == ["1", "2", "3", "4", "5", "6"]
    d["cat"] = pd.Categorical(d["ins.spray"], categories=list("FEDCBA"), ordered=True)
    res = compare_groups(d, "ins.count", "cat", posthoc=["welch_t"])
    assert list(res.describe["group"]) == list("FEDCBA")
    assert res.posthoc.iloc[0][["group1", "group2"]].tolist() == ["F", "E"]
    assert set(res.posthoc["test"]) == {"welch_t"} and len(res.posthoc) == 15


def test_small_groups_left_out_with_warning(sprays):
    d = sprays.copy()
    d.loc[d.index[0], "ins.spray"] = "Z"
    d.loc[d.index[1], "ins.count"] = np.nan
    with pytest.warns(FewObservationsWarning, match="fewer than 2"):
        res = compare_groups(d, "ins.count", "ins.spray", posthoc="welch_t")
    assert "Z" not in set(res.describe["group"])
    assert res.omnibus["n"].iloc[0] == 70
    assert "R02" in res.missing and "R01" in res.missing


def test_display(result):
    text = result.summary()
    assert "Kruskal" in text or "kruskal" in text
    assert "Mann-Whitney" in text and "Holm" in text
    assert "<table" in result._repr_html_()
    assert result.to_markdown().count("|") > 50
    assert result.to_latex().count(r"\begin{tabular}") == 3


def test_bad_input(sprays):
    with pytest.raises(UnknownVariableError, match="ins.cont.*valid:"):
        compare_groups(sprays, "ins.cont", "ins.spray")
    with pytest.raises(UnknownVariableError, match="ins.spra"):
        compare_groups(sprays, "ins.count", "ins.spra")
    with pytest.raises(TypeError, match="'ins.spray' is not numeric"):
        compare_groups(sprays, "ins.spray", "ins.count")
    d = sprays.copy()
    d["flat"] = 1.0
    with pytest.raises(ValueError, match="'flat' is constant"):
        compare_groups(d, "flat", "ins.spray")
    d["one"] = "A"
    with pytest.raises(ValueError, match="need two or more"):
        compare_groups(d, "ins.count", "one")
    with pytest.raises(ValueError, match="padjust must be one of"):
        compare_groups(sprays, "ins.count", "ins.spray", padjust="tukey")
    with pytest.raises(ValueError, match="posthoc must be one of"):
        compare_groups(sprays, "ins.count", "ins.spray", posthoc="dunn")
    with pytest.raises(ValueError, match=r"one row per country; repeated index values: \['R01'\]"):
        compare_groups(pd.concat([sprays, sprays.iloc[:1]]), "ins.count", "ins.spray")
    with pytest.raises(ValueError, match="has no rows"):
        compare_groups(sprays.iloc[:0], "ins.count", "ins.spray")
