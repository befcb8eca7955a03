"""hierarchical() against R: anova() of nested lm fits and lmtest::waldtest with vcovHC(HC3)."""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from cybercult.errors import FewObservationsWarning, UnknownVariableError
from cybercult.data import variable_ids
from cybercult.stats import DEFAULT_BLOCK_ORDER, HierarchicalResult, blocks_from_catalogue, hierarchical

RTOL = 1e-6
BLOCKS = {
    "development": ["sw.education", "sw.examination"],
    "politics": ["sw.catholic"],
    "culture": ["sw.agriculture", "sw.infant_mortality"],
}


@pytest.fixture(scope="module")
def swiss_na(ref) -> pd.DataFrame:
    return ref("data_swiss_na.csv").set_index("iso3")


@pytest.fixture(scope="module")
def result(swiss_na) -> HierarchicalResult:
    with pytest.warns(FewObservationsWarning, match=r"final step\): 41 countries for 5 predictor terms"):
        return hierarchical(swiss_na, "sw.fertility", BLOCKS)


def test_steps_against_r(result, ref):
    expected = ref("ref_hierarchical.csv")
    got = result.steps
    assert list(got.columns) == ["step", "block", "added", "n", "k", "r2", "adj_r2", "delta_r2", "f_change", "df1",
                                 "df2", "p_value", "f_change_robust", "p_value_robust"]
    assert list(got["block"]) == list(BLOCKS)
    assert list(got["added"]) == [", ".join(v) for v in BLOCKS.values()]
    for col in ["step", "n", "r2", "adj_r2", "f_change", "df1", "df2", "p_value", "f_change_robust",
                "p_value_robust"]:
        np.testing.assert_allclose(got[col].to_numpy(float), expected[col].to_numpy(float), rtol=RTOL,
                                   err_msg=col)
    np.testing.assert_allclose(got["delta_r2"].cumsum(), got["r2"], rtol=1e-12)
    assert list(got["k"]) == [2, 3, 5]


def test_same_countries_in_every_step(result):
    assert len(result.models) == 3
    idx = [tuple(m.data_used.index) for m in result.models]
    assert len(set(idx)) == 1 and len(idx[0]) == 41
    assert result.missing.startswith("listwise: 41 of 47 countries, dropped: ")
    assert all(m.missing == result.missing for m in result.models)
    assert result.final is result.models[-1]
    assert result.final.predictors == tuple(p for v in BLOCKS.values() for p in v)


def test_display(result, tmp_path):
    text = result.summary()
    assert "F-change" in text and "Final model" in text and "development" in text
    assert "<table" in result._repr_html_()
    assert result.to_markdown().count("\n|") >= 4
    assert r"\begin{tabular}" in result.to_latex()
    path = result.to_csv(tmp_path / "steps.csv")
    back = pd.read_csv(path)
    np.testing.assert_allclose(back["r2"], result.steps["r2"], rtol=1e-15)


def test_any_block_order(swiss_na):
    order = {"culture": BLOCKS["culture"], "development": BLOCKS["development"]}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FewObservationsWarning)
        res = hierarchical(swiss_na, "sw.fertility", order, cov_type="nonrobust")
    assert list(res.steps["block"]) == ["culture", "development"]
    assert res.steps["df1"].tolist() == [2, 2]
    # with classical covariance the Wald test of the added block is the F-change test
    np.testing.assert_allclose(res.steps["f_change_robust"], res.steps["f_change"], rtol=1e-10)


def test_blocks_from_catalogue():
    assert DEFAULT_BLOCK_ORDER == ("development", "politics", "military", "culture")
    # ids the catalogue does not know go to the "user" block, after the known blocks
    got = blocks_from_catalogue(["my.a", "my.b"])
    assert got == {"user": ["my.a", "my.b"]}
    if not {"hofstede.idv", "wdi.log_gdppc_ppp"} <= set(variable_ids()):
        pytest.skip("catalogue not loadable yet")
    got = blocks_from_catalogue(["my.a", "hofstede.idv", "wdi.log_gdppc_ppp"])
    assert list(got.items()) == [("development", ["wdi.log_gdppc_ppp"]), ("culture", ["hofstede.idv"]),
                                 ("user", ["my.a"])]


def test_bad_input(swiss_na):
    with pytest.raises(UnknownVariableError, match="sw.educaton"):
        hierarchical(swiss_na, "sw.fertility", {"a": ["sw.educaton"]})
    with pytest.raises(ValueError, match="block 'b' is empty"):
        hierarchical(swiss_na, "sw.fertility", {"a": ["sw.education"], "b": []})
    with pytest.raises(ValueError, match="blocks is empty"):
        hierarchical(swiss_na, "sw.fertility", {})
    with pytest.raises(TypeError, match="blocks must be a dict"):
        hierarchical(swiss_na, "sw.fertility", ["sw.education"])
    with pytest.raises(ValueError, match="'sw.education' is in block 'a' and in block 'b'"):
        hierarchical(swiss_na, "sw.fertility", {"a": ["sw.education"], "b": ["sw.education"]})
    with pytest.raises(ValueError, match="listwise"):
        hierarchical(swiss_na, "sw.fertility", {"a": ["sw.education"]}, missing="mice")
    d = swiss_na.copy()
    d["flat"] = 1.0
    with pytest.raises(ValueError, match="'flat' is constant"):
        hierarchical(d, "sw.fertility", {"a": ["sw.education"], "b": ["flat"]})
    d["text"] = "x"
    with pytest.raises(TypeError, match="'text' is not numeric"):
        hierarchical(d, "sw.fertility", {"a": ["text"]})
    with pytest.raises(ValueError, match=r"n = 2 complete cases but 3 parameters"), warnings.catch_warnings():
        warnings.simplefilter("ignore", FewObservationsWarning)
        hierarchical(swiss_na.iloc[:2], "sw.fertility", {"a": ["sw.education"], "b": ["sw.catholic"]})
