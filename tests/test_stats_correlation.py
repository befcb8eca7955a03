"""correlate() against R's cor.test / p.adjust (tests/reference/make_reference.R)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cybercult.errors import UnknownVariableError
from cybercult.stats import correlate

RTOL = 1e-6


@pytest.fixture(scope="module")
def swiss_na(ref) -> pd.DataFrame:
    return ref("data_swiss_na.csv").set_index("iso3")


@pytest.mark.parametrize("method", ["pearson", "spearman", "kendall"])
def test_pairwise_complete_against_r(swiss_na, method, ref):
    expected = ref("ref_correlation.csv")
    expected = expected[expected["method"] == method].reset_index(drop=True)
    got = correlate(swiss_na, list(swiss_na.columns), method=method)
    assert list(got.columns) == ["x", "y", "method", "n", "r", "ci_low", "ci_high", "p_value", "p_adj",
                                 "covar", "note"]
    assert list(got["x"]) == list(expected["x"]) and list(got["y"]) == list(expected["y"])
    assert (got["n"].to_numpy() == expected["n"].to_numpy()).all()
    for col in ["r", "ci_low", "ci_high", "p_value"]:
        np.testing.assert_allclose(got[col], expected[col], rtol=RTOL, err_msg=col)
    np.testing.assert_allclose(got["p_adj"], expected["p_bh"], rtol=RTOL)
    assert (got["method"] == method).all() and (got["covar"] == "").all() and (got["note"] == "").all()
    assert got.attrs["missing"].startswith("pairwise-complete")


@pytest.mark.parametrize("padjust,col", [("holm", "p_holm"), ("bonferroni", "p_bonferroni")])
def test_padjust_methods_against_r(swiss_na, padjust, col, ref):
    expected = ref("ref_correlation.csv").query("method == 'spearman'")
    got = correlate(swiss_na, list(swiss_na.columns), method="spearman", padjust=padjust)
    np.testing.assert_allclose(got["p_adj"], expected[col], rtol=RTOL)


def test_padjust_none_keeps_p(swiss_na):
    got = correlate(swiss_na, list(swiss_na.columns), padjust="none")
    np.testing.assert_array_equal(got["p_adj"], got["p_value"])


def test_partial_against_r(swiss_na, ref):
    expected = ref("ref_partial_correlation.csv")
    for row in expected.itertuples():
        got = correlate(swiss_na, row.x, row.y, method=row.method, covar=row.covar.split(","))
        assert len(got) == 1
        g = got.iloc[0]
        assert g["n"] == row.n
        assert g["covar"] == ", ".join(row.covar.split(","))
        for col in ["r", "ci_low", "ci_high", "p_value"]:
            np.testing.assert_allclose(g[col], getattr(row, col), rtol=RTOL, err_msg=f"{row.x}-{row.y} {col}")


def test_x_by_y_pairs_skip_self(swiss_na):
    got = correlate(swiss_na, ["sw.fertility", "sw.education"], ["sw.education", "sw.catholic"])
    assert list(zip(got["x"], got["y"])) == [("sw.fertility", "sw.education"), ("sw.fertility", "sw.catholic"),
                                             ("sw.education", "sw.catholic")]


def test_confidence_level_follows_alpha(swiss_na):
    wide = correlate(swiss_na, "sw.fertility", "sw.education", alpha=0.01).iloc[0]
    narrow = correlate(swiss_na, "sw.fertility", "sw.education", alpha=0.10).iloc[0]
    assert wide["ci_low"] < narrow["ci_low"] < narrow["r"] < narrow["ci_high"] < wide["ci_high"]


def test_row_of_nan_with_reason_when_a_pair_cannot_be_computed(swiss_na):
    d = swiss_na.copy()
    d["sparse"] = np.nan
    d.iloc[:3, d.columns.get_loc("sparse")] = [1.0, 2.0, 4.0]
    got = correlate(d, ["sw.fertility", "sparse", "sw.education"])
    bad = got[got["y"] == "sparse"].iloc[0]
    assert np.isnan(bad["r"]) and np.isnan(bad["p_adj"]) and "too few" in bad["note"] and bad["n"] == 3
    good = got[(got["x"] == "sw.fertility") & (got["y"] == "sw.education")].iloc[0]
    assert np.isfinite(good["p_adj"]) and good["note"] == ""


def test_bad_input(swiss_na):
    with pytest.raises(UnknownVariableError, match="sw.fertilty.*did you mean 'sw.fertility'.*valid:"):
        correlate(swiss_na, ["sw.fertilty", "sw.education"])
    d = swiss_na.copy()
    d["flat"] = 3.0
    with pytest.raises(ValueError, match="'flat' is constant"):
        correlate(d, ["flat", "sw.education"])
    d["text"] = "a"
    with pytest.raises(TypeError, match="'text' is not numeric"):
        correlate(d, ["text", "sw.education"])
    with pytest.raises(ValueError, match="x is empty"):
        correlate(swiss_na, [])
    with pytest.raises(ValueError, match="at least two variables"):
        correlate(swiss_na, ["sw.education"])
    with pytest.raises(ValueError, match="method must be one of"):
        correlate(swiss_na, ["sw.fertility", "sw.education"], method="pearsn")
    with pytest.raises(ValueError, match="padjust must be one of"):
        correlate(swiss_na, ["sw.fertility", "sw.education"], padjust="BH")
    with pytest.raises(ValueError, match="not 'kendall'"):
        correlate(swiss_na, "sw.fertility", "sw.education", method="kendall", covar="sw.catholic")
    with pytest.raises(ValueError, match="partialled out of itself"):
        correlate(swiss_na, "sw.fertility", "sw.education", covar="sw.education")
    with pytest.raises(TypeError, match="DataFrame"):
        correlate(swiss_na.to_numpy(), ["a", "b"])
    with pytest.raises(ValueError, match="alpha"):
        correlate(swiss_na, ["sw.fertility", "sw.education"], alpha=5)
