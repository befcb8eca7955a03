import numpy as np
import pandas as pd
import pytest

import cybercult as cc
from cybercult.errors import UnknownVariableError


@pytest.fixture(scope="module")
def panel():
    return cc.build_panel()


def test_default_sample_matches_independent_count(panel):
    # SOURCE.md of gci_2020/wvs counts 67 countries with Hofstede's four original dimensions and a GCI 2020 score
    assert panel.n == 67
    assert panel.data[["gci2020.score", *cc.DEFAULT_BLOCKS["culture"]]].notna().all().all()
    assert panel.data.index.is_unique and panel.data.index.name == "iso3"


def test_spot_values_through_panel(panel):
    d = panel.data
    assert d.loc["USA", "gci2020.score"] == 100
    assert d.loc["EST", ["gci2020.legal", "gci2020.technical", "gci2020.organizational", "gci2020.capacity",
                         "gci2020.cooperation"]].tolist() == [20, 20, 20, 19.48, 20]
    assert d.loc["DNK", ["hofstede.pdi", "hofstede.idv", "hofstede.mas", "hofstede.uai", "hofstede.lto",
                         "hofstede.ivr"]].tolist() == [18, 74, 16, 23, 35, 70]
    assert d.loc["NOR", "eiu.democracy"] == pytest.approx(9.81)
    assert d.loc["USA", "sipri.milex_gdp"] == pytest.approx(3.65, abs=0.005)
    assert d.loc["DNK", "cpi.score"] == 88


def test_audit_covers_every_country_seen(panel):
    a = panel.audit
    assert a["iso3"].is_unique
    assert set(a.loc[a["included"], "iso3"]) == set(panel.data.index)
    ex = a[~a["included"]]
    assert (ex["reason"].str.len() > 0).all()
    # Hong Kong has Hofstede scores but no GCI 2020 score: excluded with that reason
    assert ex.set_index("iso3").loc["HKG", "reason"].startswith("no gci2020.score")
    # Albania has GCI but only LTO/IVR in Hofstede
    assert "hofstede.pdi" in ex.set_index("iso3").loc["ALB", "missing_required"]
    assert len(panel.excluded_rows) > 0 and {"source", "name", "reason"} <= set(panel.excluded_rows.columns)


def test_yearly_values_record_their_year_and_respect_the_window():
    p = cc.build_panel(["gci2020.score", "wgi.ge", "cpi.score"], 2020, window=3)
    assert p.years.loc["DNK", "wgi.ge"] == 2019  # WGI 2020 release ends in 2019
    assert p.years.loc["DNK", "cpi.score"] == 2020
    assert p.data.loc["DNK", "wgi.ge"] == pytest.approx(1.94, abs=0.005)
    p0 = cc.build_panel(["gci2020.score", "wgi.ge"], 2020, window=0)
    assert p0.data["wgi.ge"].isna().all()


def test_latest_wave_for_wvs():
    p = cc.build_panel(["gci2020.score", "wvs.trad_secular"], 2020)
    assert p.data.loc["SWE", "wvs.trad_secular"] == pytest.approx(1.1067, abs=1e-4)
    assert p.years.loc["SWE", "wvs.trad_secular"] == 2017


def test_derived_armed_forces_per_1000_uses_same_year_population():
    p = cc.build_panel(["gci2020.score", "wdi_af.per1000", "wdi.population"], 2020)
    pop = cc.load_source("wdi").data.query("iso3 == 'USA' and year == 2020 and variable == 'wdi.population'")
    expected = 1_395_000 / pop["value"].item() * 1000
    assert p.data.loc["USA", "wdi_af.per1000"] == pytest.approx(expected)


def test_log_gdp_is_log_of_gdp():
    p = cc.build_panel(["gci2020.score", "wdi.gdppc_ppp", "wdi.log_gdppc_ppp"], 2020)
    assert np.allclose(np.log(p.data["wdi.gdppc_ppp"].dropna()), p.data["wdi.log_gdppc_ppp"].dropna())
    assert p.data.loc["USA", "wdi.gdppc_ppp"] == pytest.approx(63529, abs=1)


def test_sample_rules_are_nested():
    s = cc.sample_sizes().set_index("sample")["n"]
    assert s["hofstede6"] <= s["hofstede4"] <= s["hofstede_any"] <= s["outcome"]
    assert s["hofstede6"] <= 62  # SOURCE.md: 62 countries have all six dimensions


def test_unknown_variable_suggests_the_right_id():
    with pytest.raises(UnknownVariableError, match="did you mean 'hofstede.idv'"):
        cc.build_panel(["gci2020.score", "hofstede.idx"])


def test_bad_arguments():
    with pytest.raises(ValueError, match="sample rule"):
        cc.build_panel(sample="hofstede5")
    with pytest.raises(ValueError, match="empty"):
        cc.build_panel([])


def test_catalogue_has_labels_for_every_panel_variable(panel):
    cat = cc.catalogue().set_index("variable")
    for v in panel.variables:
        assert cat.loc[v, "label"] and cat.loc[v, "label"] != v
