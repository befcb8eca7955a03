"""Loaders of the military and development sources: sipri, wdi_af, wdi, wdi_net, undp.

Spot values are the published figures quoted in each source's SOURCE.md
(SIPRI 2024 release, WDI 2023/2024 vintages, UNDP HDR 2023/24).
"""
from __future__ import annotations

import warnings

import pandas as pd
import pytest

from cybercult.data.derived import DERIVED
from cybercult.data.loaders import _load, get_loader, load_source

SOURCES = ("sipri", "wdi_af", "wdi", "wdi_net", "undp")


@pytest.fixture(scope="module")
def sipri():
    return load_source("sipri")


@pytest.fixture(scope="module")
def wdi_af():
    return load_source("wdi_af")


@pytest.fixture(scope="module")
def wdi():
    return load_source("wdi")


@pytest.fixture(scope="module")
def wdi_net():
    return load_source("wdi_net")


@pytest.fixture(scope="module")
def undp():
    return load_source("undp")


def value(sd, iso3, var, year):
    d = sd.data
    hit = d[(d["iso3"] == iso3) & (d["variable"] == var) & (d["year"] == year)]
    if len(hit) > 1:
        raise AssertionError(f"several rows for {iso3} {var} {year}")
    return None if hit.empty else hit["value"].item()


def countries(sd, var, year):
    d = sd.data
    return set(d.loc[(d["variable"] == var) & (d["year"] == year), "iso3"])


# ---------------------------------------------------------------- all sources

@pytest.mark.parametrize("source_id", SOURCES)
def test_load_emits_no_warning_and_no_range_note(source_id):
    # bypass the cache so that the warnings of a fresh load are seen
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        sd = _load.__wrapped__(source_id)
    assert [str(w.message) for w in caught] == []
    assert sd.notes == ()


@pytest.mark.parametrize("source_id", SOURCES)
def test_variables_are_yearly_with_the_right_block(source_id):
    block = {"sipri": "military", "wdi_af": "military"}.get(source_id, "development")
    for v in get_loader(source_id).variables:
        assert v.timing == "yearly"
        assert v.block == block


# ---------------------------------------------------------------- SIPRI

@pytest.mark.parametrize("iso3, pct", [("USA", 3.65), ("RUS", 4.17), ("ISR", 5.30), ("EST", 2.30), ("DEU", 1.37)])
def test_sipri_share_of_gdp_2020_in_percent(sipri, iso3, pct):
    # the sheet stores fractions (0.0365); the loader returns percent
    assert value(sipri, iso3, "sipri.milex_gdp", 2020) == pytest.approx(pct, abs=0.005)


def test_sipri_no_data_for_countries_without_figures(sipri):
    # SOURCE.md: no 2020 figure for Costa Rica, Panama ('...', no armed forces), Viet Nam; no Suriname row
    have = countries(sipri, "sipri.milex_gdp", 2020)
    assert {"CRI", "PAN", "VNM", "SUR"}.isdisjoint(have)
    assert {"USA", "RUS", "KOR", "TWN", "XKX"} <= have


def test_sipri_country_rows(sipri):
    # 174 rows with data = 168 countries + 5 historical units + the European Union
    hist = {"USSR", "Czechoslovakia", "German Democratic Republic", "Yugoslavia", "Yemen, North"}
    ex = sipri.excluded.set_index("name")["note"]
    assert hist <= set(ex.index)
    assert all("historical unit" in ex[n] for n in hist)
    assert "aggregate" in ex["European Union"]
    assert sipri.data["iso3"].nunique() + len(hist) + 1 == 174


def test_sipri_region_headers_excluded(sipri):
    ex = sipri.excluded.set_index("name")["note"]
    for name in ("Africa", "sub-Saharan Africa", "Asia & Oceania", "Western Europe", "Middle East"):
        assert "region" in ex[name]
    assert (ex.str.contains("region header")).sum() == 18


def test_sipri_historical_units_not_merged_into_successors(sipri):
    # country_converter maps 'Czechoslovakia' to CZE and 'Yemen, North' to YEM: both must stay out
    gdp = sipri.data[sipri.data["variable"] == "sipri.milex_gdp"]
    assert gdp.loc[gdp["iso3"] == "CZE", "year"].min() == 1993
    assert gdp.loc[gdp["iso3"] == "YEM", "year"].min() == 1990
    assert gdp.loc[gdp["iso3"] == "RUS", "year"].min() == 1992


def test_sipri_markers_become_missing():
    raw = get_loader("sipri").read()
    raw = raw.set_index(["name", "variable", "year"])["value"]
    assert pd.isna(raw[("USSR", "sipri.milex_gdp", 1995)])  # 'xxx'
    assert pd.isna(raw[("Costa Rica", "sipri.milex_gdp", 2020)])  # '...'
    assert pd.isna(raw[("Africa", "sipri.milex_gdp", 2020)])  # region header, blank
    assert raw.dropna().map(type).eq(float).all()


def test_sipri_per_capita_units_agree_with_share_and_wdi_gdp(sipri, wdi):
    # per capita is in current US$ per person (not thousands, not millions):
    # per capita ~= share of GDP x GDP per capita (SIPRI's GDP is close to WDI's)
    for iso3 in ("USA", "DEU", "EST", "ISR"):
        pc = value(sipri, iso3, "sipri.milex_pc", 2020)
        implied = value(sipri, iso3, "sipri.milex_gdp", 2020) / 100 * value(wdi, iso3, "wdi.gdppc", 2020)
        assert pc == pytest.approx(implied, rel=0.05)


def test_sipri_per_capita_starts_1988(sipri):
    pc = sipri.data[sipri.data["variable"] == "sipri.milex_pc"]
    assert pc["year"].min() == 1988
    assert pc["year"].max() == 2023


def test_sipri_constant_dollars_in_millions(sipri):
    # SIPRI Fact Sheet (April 2024): US spending 2023 was $916 bn in current dollars,
    # i.e. about $880 bn at 2022 prices; the sheet is in US$ millions
    assert 850_000 < value(sipri, "USA", "sipri.milex_constant", 2023) < 916_000
    # no armed forces: published as 0 in the constant-dollar sheet, kept
    assert value(sipri, "CRI", "sipri.milex_constant", 2020) == 0


def test_sipri_mauritania_zero_placeholders_corrected(sipri):
    corr = sipri.corrections
    assert set(zip(corr["name"], corr["year"], corr["variable"])) == {
        ("Mauritania", y, "sipri.milex_constant") for y in (2007, 2010, 2011)}
    for y in (2007, 2010, 2011):
        assert value(sipri, "MRT", "sipri.milex_constant", y) is None
    assert value(sipri, "MRT", "sipri.milex_constant", 2008) > 100
    assert value(sipri, "MRT", "sipri.milex_gdp", 2007) is None  # '...' in the share sheet too


# ---------------------------------------------------------------- WDI armed forces

def test_wdi_af_count_2020(wdi_af):
    assert len(countries(wdi_af, "wdi_af.personnel", 2020)) == 170
    assert wdi_af.data["year"].max() == 2020  # 2021-2023 columns are all '..'


@pytest.mark.parametrize("iso3, vals", [
    ("USA", (1_379_800, 1_388_000, 1_395_000)),
    ("DEU", (181_400, 184_000, 183_000)),
    ("EST", (6_700, 7_000, 7_000)),
])
def test_wdi_af_spot_values(wdi_af, iso3, vals):
    assert tuple(value(wdi_af, iso3, "wdi_af.personnel", y) for y in (2018, 2019, 2020)) == vals


def test_wdi_af_footer_dropped_and_channel_islands_excluded(wdi_af):
    raw = get_loader("wdi_af").read()
    assert raw["name"].nunique() == 217
    assert not raw["name"].str.contains("Last Updated|Data from database|^nan$").any()
    ex = wdi_af.excluded.set_index("name")["note"]
    assert list(ex.index) == ["Channel Islands"]
    assert "ISO3" in ex["Channel Islands"]


def test_wdi_af_names_matched_to_the_right_countries(wdi_af):
    d = wdi_af.data[wdi_af.data["year"] == 2020].set_index("iso3")["value"]
    # 'Korea, Dem. People's Rep.' vs 'Korea, Rep.'; 'Congo, Dem. Rep.' vs 'Congo, Rep.'; 'Niger'/'Nigeria'
    assert d["PRK"] > d["KOR"] > 500_000
    assert d["COD"] > d["COG"]
    assert d["NGA"] > d["NER"]


def test_wdi_af_float_noise_rounded(wdi_af):
    # stored as 306799.99999999994 in the export
    assert value(wdi_af, "AFG", "wdi_af.personnel", 2010) == 306_800


def test_per1000_derived_units(wdi_af, wdi):
    _var, deps, fn = DERIVED["wdi_af.per1000"]
    assert deps == ["wdi_af.personnel", "wdi.population"]
    af = pd.Series({i: value(wdi_af, i, "wdi_af.personnel", 2020) for i in ("USA", "EST")})
    pop = pd.Series({i: value(wdi, i, "wdi.population", 2020) for i in ("USA", "EST")})
    per1000 = fn(af, pop)
    # 1.395 million troops / 331.5 million people
    assert per1000["USA"] == pytest.approx(4.2, abs=0.05)
    assert per1000["EST"] == pytest.approx(5.3, abs=0.05)


# ---------------------------------------------------------------- WDI GDP, population

@pytest.mark.parametrize("year, usd", [(2018, 62_823), (2019, 65_120), (2020, 63_529), (2021, 70_219),
                                       (2022, 76_330)])
def test_wdi_us_gdppc_ppp(wdi, year, usd):
    assert round(value(wdi, "USA", "wdi.gdppc_ppp", year)) == usd


def test_wdi_us_is_the_ppp_numeraire(wdi):
    assert value(wdi, "USA", "wdi.gdppc", 2020) == pytest.approx(value(wdi, "USA", "wdi.gdppc_ppp", 2020))


def test_wdi_namibia_survives(wdi):
    for var in ("wdi.gdppc_ppp", "wdi.gdppc", "wdi.population", "wdi.gov_consumption"):
        assert "NAM" in countries(wdi, var, 2020)
    assert wdi.data.loc[wdi.data["iso3"] == "NAM", "country"].iloc[0] == "Namibia"


def test_wdi_counts_and_aggregates(wdi):
    # 217 economies; the Channel Islands (no ISO3 code) are excluded
    assert len(countries(wdi, "wdi.population", 2020)) == 216
    assert "XKX" in countries(wdi, "wdi.population", 2020)
    ex = wdi.excluded.set_index("name")["note"]
    assert len(ex) == 49 + 1
    for name in ("WLD", "EUU", "AFE", "High income", "Low income", "Not classified"):
        assert "aggregate" in ex[name]
    assert "no ISO3" in ex["CHI"]


def test_wdi_missing_marker(wdi):
    # Venezuela has no PPP values ('NA' in the value column)
    assert "VEN" not in set(wdi.data.loc[wdi.data["variable"] == "wdi.gdppc_ppp", "iso3"])
    assert "VEN" in countries(wdi, "wdi.population", 2020)


def test_wdi_population_and_gov_consumption_units(wdi):
    # US census 2020: 331.4 million; government consumption is a % of GDP, not a fraction
    assert value(wdi, "USA", "wdi.population", 2020) == pytest.approx(331.4e6, rel=0.005)
    assert 10 < value(wdi, "USA", "wdi.gov_consumption", 2020) < 20


# ---------------------------------------------------------------- WDI internet

@pytest.mark.parametrize("iso3, pct", [("EST", 89.06), ("USA", 90.62), ("IND", 43.41)])
def test_wdi_net_spot_values(wdi_net, iso3, pct):
    assert value(wdi_net, iso3, "wdi_net.internet", 2020) == pytest.approx(pct, abs=0.005)


def test_wdi_net_counts(wdi_net):
    # SOURCE.md non-missing rows 2019/2020/2021/2022: 234/233/230/67, of which 48 are aggregates
    got = {y: len(countries(wdi_net, "wdi_net.internet", y)) for y in (2019, 2020, 2021, 2022)}
    assert {y: got[y] for y in (2019, 2020, 2021)} == {2019: 234 - 48, 2020: 233 - 48, 2021: 230 - 48}
    assert got[2022] < 67  # sparse year, aggregates included in the 67
    assert "VEN" not in countries(wdi_net, "wdi_net.internet", 2020)
    assert "NAM" in countries(wdi_net, "wdi_net.internet", 2020)


def test_wdi_net_aggregates_excluded(wdi_net):
    ex = wdi_net.excluded.set_index("name")["note"]
    assert len(ex) == 48 + 1 + 1  # metadata aggregates, INX, CHI
    for code in ("WLD", "EMU", "HIC", "UMC", "INX"):
        assert "aggregate" in ex[code]


# ---------------------------------------------------------------- UNDP

@pytest.mark.parametrize("iso3, year, hdi", [("NOR", 2020, 0.963), ("NOR", 2022, 0.966), ("CHE", 2022, 0.967)])
def test_undp_hdi_spot_values(undp, iso3, year, hdi):
    assert value(undp, iso3, "undp.hdi", year) == hdi


def test_undp_switzerland_ranks_first_2022(undp):
    d = undp.data[(undp.data["variable"] == "undp.hdi") & (undp.data["year"] == 2022)]
    assert d.loc[d["value"].idxmax(), "iso3"] == "CHE"


def test_undp_counts(undp):
    # 195 countries and territories; hdi_2022 in 204 rows incl. 11 aggregates (missing: PRK, MCO)
    assert undp.data["iso3"].nunique() == 195
    hdi22 = countries(undp, "undp.hdi", 2022)
    assert len(hdi22) == 204 - 11
    assert {"PRK", "MCO"}.isdisjoint(hdi22)
    assert {"HKG", "PSE", "NAM"} <= hdi22
    assert {"TWN", "XKX"}.isdisjoint(set(undp.data["iso3"]))


def test_undp_aggregates_excluded(undp):
    ex = undp.excluded
    assert len(ex) == 11
    assert ex["name"].str.startswith("ZZ").all()
    assert ex["note"].str.contains("aggregate").all()


def test_undp_components_units(undp):
    # HDR 2023/24, Norway 2022: life expectancy 83.4 years, expected schooling 18.6, mean schooling 13.1,
    # GNI per capita 69,190 (2017 PPP $)
    assert value(undp, "NOR", "undp.le", 2022) == pytest.approx(83.4, abs=0.05)
    assert value(undp, "NOR", "undp.eys", 2022) == pytest.approx(18.6, abs=0.05)
    assert value(undp, "NOR", "undp.mys", 2022) == pytest.approx(13.1, abs=0.05)
    assert value(undp, "NOR", "undp.gnipc", 2022) == pytest.approx(69_190, abs=1)
