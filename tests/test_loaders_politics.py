"""Loaders of the politics block: EIU, Freedom House, V-Dem, WGI, TI CPI.

Spot values are the published ones (EIU Democracy Index reports, Freedom in
the World, V-Dem v15 as documented in SOURCE.md, WGI 2020 update, CPI 2023),
not copies of our own output.
"""
from __future__ import annotations

import warnings

import pandas as pd
import pytest

from cybercult.data.catalogue import get_variable
from cybercult.data.loaders import _load, get_loader, load_source
from cybercult.data.registry import source_path


def value(data: pd.DataFrame, iso3: str, variable: str, year: int) -> float:
    hit = data[(data["iso3"] == iso3) & (data["variable"] == variable) & (data["year"] == year)]
    if len(hit) != 1:
        raise LookupError(f"{len(hit)} rows for {iso3} {variable} {year}")
    return hit["value"].item()


def has(data: pd.DataFrame, iso3: str, variable: str, year: int) -> bool:
    return bool(((data["iso3"] == iso3) & (data["variable"] == variable) & (data["year"] == year)).any())


def countries(data: pd.DataFrame, variable: str, year: int) -> set[str]:
    return set(data.loc[(data["variable"] == variable) & (data["year"] == year), "iso3"])


def reason(sd, name: str) -> str:
    hit = sd.excluded.loc[sd.excluded["name"] == name, "note"]
    if len(hit) != 1:
        raise LookupError(f"{name!r} excluded {len(hit)} times")
    return hit.item()


@pytest.mark.parametrize("source", ["eiu", "fh", "vdem", "wgi", "cpi"])
def test_loads_without_warnings(source):
    # load_source is cached, so call the uncached loading path to see every warning
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sd = _load.__wrapped__(source)
    assert sd.notes == ()
    assert set(sd.data["variable"]) == {v.id for v in get_loader(source).variables}
    for v in set(sd.data["variable"]):
        var = get_variable(v)
        assert var.block == "politics" and var.timing == "yearly"


# ---------------------------------------------------------------- EIU

@pytest.fixture(scope="module")
def eiu():
    return load_source("eiu")


def test_eiu_country_count(eiu):
    # The EIU covers "165 independent states and two territories" (Hong Kong, Palestine).
    # (SOURCE.md says 166 countries in 2020; the file and the EIU report have 167.)
    for v in ["eiu.democracy", "eiu.regime", "eiu.electoral", "eiu.civil_liberties"]:
        assert len(countries(eiu.data, v, 2020)) == 167
    assert {"HKG", "PSE", "TWN", "NAM"} <= countries(eiu.data, "eiu.democracy", 2020)


def test_eiu_editions(eiu):
    years = set(eiu.data["year"])
    assert years == {2006, 2008, *range(2010, 2023)}


def test_eiu_norway_united_states_2020(eiu):
    d = eiu.data
    cats = ["eiu.electoral", "eiu.government", "eiu.participation", "eiu.culture", "eiu.civil_liberties"]
    assert value(d, "NOR", "eiu.democracy", 2020) == 9.81
    assert [value(d, "NOR", v, 2020) for v in cats] == [10.00, 9.64, 10.00, 10.00, 9.41]
    assert value(d, "NOR", "eiu.regime", 2020) == 3
    assert value(d, "USA", "eiu.democracy", 2020) == 7.92
    assert [value(d, "USA", v, 2020) for v in cats] == [9.17, 6.79, 8.89, 6.25, 8.53]
    assert value(d, "USA", "eiu.regime", 2020) == 2
    assert value(d, "EST", "eiu.democracy", 2020) == 7.84
    assert value(d, "CHN", "eiu.democracy", 2020) == 2.27
    assert value(d, "CHN", "eiu.regime", 2020) == 0


def test_eiu_stata_artefacts_rounded(eiu):
    # raw: Afghanistan 2010 civil liberties 3.819999999999999, 2008 functioning of government ".79"
    assert value(eiu.data, "AFG", "eiu.civil_liberties", 2010) == 3.82
    assert value(eiu.data, "AFG", "eiu.government", 2008) == 0.79
    assert (eiu.data["value"] == eiu.data["value"].round(2)).all()


def test_eiu_aggregates_excluded(eiu):
    for name in ["World", "Europe", "Africa", "Asia", "North America", "South America", "Oceania"]:
        assert "aggregate" in reason(eiu, name)
    assert len(eiu.excluded) == 7


def test_eiu_names(eiu):
    d = eiu.data
    assert has(d, "TLS", "eiu.democracy", 2020)  # OWID "Timor" (override)
    # Congo and DR Congo are different countries with different scores (EIU 2020: 3.11 and 1.13)
    assert value(d, "COG", "eiu.democracy", 2020) == 3.11
    assert value(d, "COD", "eiu.democracy", 2020) == 1.13
    assert value(d, "NER", "eiu.democracy", 2020) != value(d, "NGA", "eiu.democracy", 2020)


def test_eiu_burundi_2016_negative_category_kept(eiu):
    # published overall 2.40 is the mean of the five categories only with -0.33
    d = eiu.data
    assert value(d, "BDI", "eiu.democracy", 2016) == 2.40
    assert value(d, "BDI", "eiu.electoral", 2016) == -0.33


def test_eiu_regime_follows_score_bands(eiu):
    w = eiu.data.pivot_table(index=["iso3", "year"], columns="variable", values="value")
    s = w["eiu.democracy"]
    expected = (s > 4).astype(int) + (s > 6).astype(int) + (s > 8).astype(int)
    assert (w["eiu.regime"] == expected).all()
    levels = dict(get_variable("eiu.regime").levels)
    assert levels == {0: "Authoritarian", 1: "Hybrid regime", 2: "Flawed democracy", 3: "Full democracy"}


# ---------------------------------------------------------------- Freedom House

@pytest.fixture(scope="module")
def fh():
    return load_source("fh")


def test_fh_country_count(fh):
    # FIW 2021 (year 2020) rates 195 countries and 15 territories; of the territories we keep
    # Hong Kong and Western Sahara (own ISO3 codes); the other 13 are disputed or sub-national.
    got = countries(fh.data, "fh.status", 2020)
    assert len(got) == 197
    assert {"HKG", "ESH", "NAM", "XKX", "TWN"} <= got
    assert countries(fh.data, "fh.total", 2020) == got


def test_fh_spot_values_2020(fh):
    d = fh.data
    assert value(d, "USA", "fh.pr_score", 2020) == 32
    assert value(d, "USA", "fh.cl_score", 2020) == 51
    assert value(d, "USA", "fh.total", 2020) == 83
    assert value(d, "USA", "fh.status", 2020) == 2
    assert value(d, "NOR", "fh.pr_score", 2020) == 40
    assert value(d, "NOR", "fh.cl_score", 2020) == 60
    assert value(d, "NOR", "fh.total", 2020) == 100
    assert (value(d, "NOR", "fh.pr", 2020), value(d, "NOR", "fh.cl", 2020)) == (1, 1)
    assert value(d, "CHN", "fh.pr_score", 2020) == -2  # negative: kept as published
    assert value(d, "CHN", "fh.cl_score", 2020) == 11
    assert value(d, "CHN", "fh.total", 2020) == 9
    assert value(d, "CHN", "fh.status", 2020) == 0
    assert (value(d, "CHN", "fh.pr", 2020), value(d, "CHN", "fh.cl", 2020)) == (7, 6)
    assert value(d, "HKG", "fh.total", 2020) == 52  # FIW 2021 Hong Kong, partly free
    assert value(d, "HKG", "fh.status", 2020) == 1


def test_fh_total_only_where_both_scores(fh):
    d = fh.data
    assert d.loc[d["variable"] == "fh.total", "year"].min() == 2005
    assert d.loc[d["variable"] == "fh.pr", "year"].min() == 1972  # ratings go back further
    assert not has(d, "USA", "fh.total", 2004)
    assert has(d, "USA", "fh.pr", 2004)
    assert d["year"].min() == 1972  # the 1800-1971 scaffolding is empty


def test_fh_territories_excluded(fh):
    for name in ["Abkhazia", "Northern Cyprus", "Somaliland", "Transnistria", "Nagorno-Karabakh", "Crimea",
                 "Indian Kashmir", "Pakistani Kashmir", "Gaza Strip", "West Bank", "Tibet", "South Ossetia",
                 "Eastern Donbas"]:
        assert reason(fh, name).startswith("disputed or sub-national territory")
    # Northern Cyprus would map to CYP: Cyprus keeps its own FIW 2021 score (38 + 56 = 94)
    assert value(fh.data, "CYP", "fh.total", 2020) == 94
    assert value(fh.data, "SOM", "fh.total", 2020) == 7  # Somalia, not Somaliland (39)


def test_fh_aggregates_and_historical_units_excluded(fh):
    for name in ["World", "Europe", "Africa", ""]:
        assert "not a country" in reason(fh, name)
    for name in ["USSR", "Yugoslavia", "Czechoslovakia", "East Germany", "West Germany", "Serbia and Montenegro",
                 "Yemen Arab Republic", "Yemen People's Republic", "North Vietnam", "Republic of Vietnam"]:
        assert reason(fh, name).startswith("historical unit")
    d = fh.data
    assert d.loc[d["iso3"] == "CZE", "year"].min() == 1993
    assert d.loc[d["iso3"] == "YEM", "year"].min() == 1990


def test_fh_levels():
    assert dict(get_variable("fh.status").levels) == {0: "Not free", 1: "Partly free", 2: "Free"}
    assert get_variable("fh.pr_score").low < 0


# ---------------------------------------------------------------- V-Dem

@pytest.fixture(scope="module")
def vdem():
    return load_source("vdem")


def test_vdem_country_count(vdem):
    for v in ["vdem.polyarchy", "vdem.libdem", "vdem.partipdem", "vdem.delibdem", "vdem.egaldem"]:
        assert len(countries(vdem.data, v, 2020)) == 175
    assert len(set(vdem.data["iso3"])) == 175
    assert {"NAM", "XKX", "PSE", "HKG"} <= set(vdem.data["iso3"])


def test_vdem_spot_values_2020(vdem):
    d = vdem.data
    assert value(d, "DNK", "vdem.polyarchy", 2020) == 0.917
    assert value(d, "DNK", "vdem.libdem", 2020) == 0.886
    assert value(d, "USA", "vdem.polyarchy", 2020) == 0.807
    assert value(d, "USA", "vdem.libdem", 2020) == 0.725
    assert value(d, "RUS", "vdem.polyarchy", 2020) == 0.256
    assert value(d, "RUS", "vdem.libdem", 2020) == 0.095


def test_vdem_names_agree_with_country_text_id(vdem):
    raw = pd.read_csv(source_path("vdem", "vdem/vdem3.csv"), keep_default_na=False, na_values=["NA", ""])
    raw = raw[raw["v2x_polyarchy"].notna()]
    got = vdem.data[vdem.data["variable"] == "vdem.polyarchy"]
    merged = raw.merge(got, left_on=["country_text_id", "year"], right_on=["iso3", "year"], how="outer",
                       indicator=True)
    assert (merged["_merge"] == "both").all()
    assert (merged["value"] == merged["v2x_polyarchy"]).all()


def test_vdem_missing_marker_and_wdi_rows(vdem):
    d = vdem.data
    # NA in one index only: Bahrain 2001 has polyarchy but no liberal democracy index
    assert value(d, "BHR", "vdem.polyarchy", 2001) == 0.111
    assert not has(d, "BHR", "vdem.libdem", 2001)
    assert has(d, "BHR", "vdem.libdem", 2002)
    assert (d["year"].min(), d["year"].max()) == (1960, 2024)
    assert vdem.excluded.empty  # WDI-only rows are not read at all


# ---------------------------------------------------------------- WGI

@pytest.fixture(scope="module")
def wgi():
    return load_source("wgi")


def test_wgi_country_count(wgi):
    # 214 economies in the file; the Netherlands Antilles (ANT) is excluded
    assert len(set(wgi.data["iso3"])) == 213
    assert "historical unit" in reason(wgi, "ANT")
    assert len(set(wgi.data["year"])) == 21
    assert len(countries(wgi.data, "wgi.ge", 2019)) == 209


def test_wgi_denmark_2019(wgi):
    assert round(value(wgi.data, "DNK", "wgi.ge", 2019), 2) == 1.94
    assert round(value(wgi.data, "DNK", "wgi.cc", 2019), 2) == 2.11


def test_wgi_codes_and_encoding(wgi):
    d = wgi.data
    iso = set(d["iso3"])
    assert {"ROU", "COD", "TLS", "AND", "PSE", "XKX", "CIV", "STP", "REU", "NAM"} <= iso
    assert not {"ROM", "ZAR", "TMP", "ADO", "WBG", "KSV"} & iso
    assert d.loc[d["iso3"] == "CIV", "country"].iloc[0] == "Côte d'Ivoire"


def test_wgi_missing_marker(wgi):
    # American Samoa: Voice and Accountability "NA" in 1996-2003 and 2014-2019, 0.50 in 2004
    assert not has(wgi.data, "ASM", "wgi.va", 1996)
    assert not has(wgi.data, "ASM", "wgi.va", 2019)
    assert round(value(wgi.data, "ASM", "wgi.va", 2004), 2) == 0.50
    assert wgi.data["value"].notna().all()


# ---------------------------------------------------------------- CPI

@pytest.fixture(scope="module")
def cpi():
    return load_source("cpi")


def test_cpi_country_count(cpi):
    assert len(countries(cpi.data, "cpi.score", 2020)) == 180
    assert len(countries(cpi.data, "cpi.score", 2023)) == 180
    assert len(set(cpi.data["iso3"])) == 181  # + Brunei Darussalam, scored until 2020
    assert cpi.data.loc[cpi.data["iso3"] == "BRN", "year"].max() == 2020


def test_cpi_spot_values(cpi):
    d = cpi.data
    assert value(d, "DNK", "cpi.score", 2020) == 88
    assert value(d, "DNK", "cpi.score", 2023) == 90
    assert value(d, "EST", "cpi.score", 2020) == 75
    assert value(d, "EST", "cpi.score", 2023) == 76
    assert value(d, "USA", "cpi.score", 2020) == 67
    assert value(d, "USA", "cpi.score", 2023) == 69


def test_cpi_all_years_including_capitalised_columns(cpi):
    d = cpi.data
    assert set(d["year"]) == set(range(2012, 2024))
    # "CPI Score 2012" / "CPI Score 2013": Denmark 90 and 91 (CPI 2012 and 2013 reports)
    assert value(d, "DNK", "cpi.score", 2012) == 90
    assert value(d, "DNK", "cpi.score", 2013) == 91


def test_cpi_kosovo_and_namibia(cpi):
    assert has(cpi.data, "XKX", "cpi.score", 2020)  # coded KSV in the workbook
    assert has(cpi.data, "NAM", "cpi.score", 2020)
