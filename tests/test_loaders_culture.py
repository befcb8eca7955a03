"""Loaders of the culture block: WVS/EVS cultural map (``wvs``) and GLOBE 2004 (``globe``).

Expected values come from the sources' notes (SOURCE.md), from the published GLOBE
book tables (House et al. 2004) and from the raw files read here along a separate
path (the csv module / xlrd cell look-ups), never from the loaders' own output.
"""
from __future__ import annotations

import csv
import re
import warnings

import pytest

from cybercult.data.countries import _match_one
from cybercult.data.loaders import _load, load_source
from cybercult.data.registry import source_path

WVS_FILE = "wvs_ivs_cultural_map/F00016619-CulturalMapFinalEVSWVS_2023.csv"
GLOBE_FILE = "globe_2004/GLOBE-Phase-2-Aggregated-Societal-Culture-Data(1)(1).xls"
GLOBE_SHEET = "GLOBE Phase 2 Society Level Soc"
S025 = re.compile(r"^(\d+?)(\d{4}) (.*) \((\d{4})\)$")


@pytest.fixture(scope="module")
def wvs():
    return load_source("wvs")


@pytest.fixture(scope="module")
def globe():
    return load_source("globe")


def value(sd, iso3, variable, year=None):
    d = sd.data
    sel = d[(d["iso3"] == iso3) & (d["variable"] == variable)]
    if year is not None:
        sel = sel[sel["year"] == year]
    if len(sel) != 1:
        raise LookupError(f"{len(sel)} rows for {iso3} {variable} {year}")
    return sel["value"].item()


def latest(sd, iso3, variable):
    d = sd.data
    sel = d[(d["iso3"] == iso3) & (d["variable"] == variable)].sort_values("year")
    return int(sel["year"].iloc[-1]), float(sel["value"].iloc[-1])


@pytest.mark.parametrize("source_id", ["wvs", "globe"])
def test_loading_emits_no_warning(source_id):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _load.__wrapped__(source_id)  # uncached: every warning of a fresh load surfaces


# ----------------------------------------------------------------------------- WVS

def _wvs_raw_blocks():
    """The two tables of the CSV, read with the csv module: {key column: [(code, year, label, v1, v2)]}."""
    with open(source_path("wvs", WVS_FILE), encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))[1:]
    out = {}
    for k in (0, 4):
        out[k] = [(int(m[1]), int(m[2]), m[3], r[k + 1], r[k + 2])
                  for r in rows if (m := S025.match(r[k]))]
    return out


@pytest.mark.parametrize("iso3, year, trad, surv", [
    ("SWE", 2017, 1.1067, 3.1133),
    ("DNK", 2017, 1.0181, 2.8933),
    ("NOR", 2018, 0.9265, 3.0307),
    ("USA", 2017, 0.1444, 1.4034),
    ("JPN", 2019, 1.6146, 1.302),
    ("EGY", 2018, -0.8544, -2.2318),
])
def test_wvs_latest_wave_spot_values(wvs, iso3, year, trad, surv):
    # SOURCE.md "Checks": latest-wave positions on the 2023 cultural map
    assert latest(wvs, iso3, "wvs.trad_secular") == (year, trad)
    assert latest(wvs, iso3, "wvs.surv_selfexp") == (year, surv)


def test_wvs_country_counts(wvs):
    # SOURCE.md counts labels: 116 in the map block, 118 in the Welzel block
    raw = _wvs_raw_blocks()
    assert len({lab for *_, lab, _a, _b in raw[0]}) == 116
    assert len({lab for *_, lab, _a, _b in raw[4]}) == 118
    # countries: minus Germany West (same country as Germany) and Northern Ireland (excluded);
    # Israel's only Welzel wave (2001) has no Y010, so secular values cover one country fewer
    n = wvs.data.groupby("variable")["iso3"].nunique().to_dict()
    assert n == {"wvs.trad_secular": 114, "wvs.surv_selfexp": 114, "wvs.secular": 115, "wvs.emancipative": 116}
    assert value(wvs, "ISR", "wvs.emancipative", 2001) == pytest.approx(0.51274327, abs=0)
    assert wvs.data.query("iso3 == 'ISR' and variable == 'wvs.secular'").empty


def test_wvs_country_waves(wvs):
    # 413 + 458 country-waves (plus one Total row each); 5 Northern Ireland waves per block;
    # 6 blank Y010 cells and 6 blank Y020 cells in the Welzel block
    d = wvs.data.groupby("variable").size().to_dict()
    assert d == {"wvs.trad_secular": 408, "wvs.surv_selfexp": 408, "wvs.secular": 447, "wvs.emancipative": 447}


def test_wvs_blocks_are_parsed_on_their_own_keys(wvs):
    # line 128 of the CSV: "2761981 Germany West (1981),.9124,.0614,,2462017 Finland (2017),.40999634,.65083347"
    assert value(wvs, "FIN", "wvs.secular", 2017) == 0.40999634
    assert value(wvs, "FIN", "wvs.emancipative", 2017) == 0.65083347
    assert value(wvs, "DEU", "wvs.trad_secular", 1981) == 0.9124
    # Germany West's own Welzel scores sit 13 lines lower, on line 141
    assert value(wvs, "DEU", "wvs.secular", 1981) == 0.45248291


def test_wvs_decimals_without_leading_zero(wvs):
    # "81998 Albania (1998),.5705,-1.0103" and "82002 Albania (2002),.1334,-.7854"
    assert value(wvs, "ALB", "wvs.trad_secular", 1998) == 0.5705
    assert value(wvs, "ALB", "wvs.surv_selfexp", 2002) == -0.7854


def test_wvs_blank_cells_are_missing(wvs):
    # "1561995 China (1995),,.35516646": no Y010, Y020 present
    assert wvs.data.query("iso3 == 'CHN' and year == 1995 and variable == 'wvs.secular'").empty
    assert value(wvs, "CHN", "wvs.emancipative", 1995) == 0.35516646
    # Great Britain: 1998 lacks Y010, 1999 lacks Y020
    assert wvs.data.query("iso3 == 'GBR' and year == 1998 and variable == 'wvs.secular'").empty
    assert wvs.data.query("iso3 == 'GBR' and year == 1999 and variable == 'wvs.emancipative'").empty
    assert value(wvs, "GBR", "wvs.secular", 1999) == 0.46069574


def test_wvs_special_samples(wvs):
    ex = dict(zip(wvs.excluded["name"], wvs.excluded["note"]))
    assert set(ex) == {"909 Northern Ireland", "Total"}
    assert "sub-national" in ex["909 Northern Ireland"]
    assert "not a country" in ex["Total"]
    # the pooled rows (-.1099 / .37898124) never reach the data
    assert not (wvs.data["value"] == -0.1099).any()
    assert not (wvs.data["value"] == 0.37898124).any()
    # Kosovo (code 915, not ISO) is a country: XKX
    assert latest(wvs, "XKX", "wvs.trad_secular") == (2008, -1.1318)
    assert latest(wvs, "XKX", "wvs.emancipative") == (2008, 0.37354651)
    # Great Britain (ISO 826) stands for the United Kingdom; its latest wave is 2022
    assert latest(wvs, "GBR", "wvs.trad_secular") == (2022, 0.9808)
    assert latest(wvs, "GBR", "wvs.surv_selfexp") == (2022, 2.2364)
    # Germany: the 1981 West sample is kept as DEU; EVS 2017 and WVS 2018 are both there, 2018 is latest
    assert sorted(wvs.data.query("iso3 == 'DEU' and variable == 'wvs.trad_secular'")["year"]) == [
        1981, 1990, 1997, 1999, 2006, 2008, 2013, 2017, 2018]
    assert latest(wvs, "DEU", "wvs.surv_selfexp") == (2018, 2.1561)


def test_wvs_numeric_codes_agree_with_labels(wvs):
    # the loader maps the ISO numeric code; the label, matched by name, must give the same country
    # (Northern Ireland and Kosovo have no ISO numeric code: tested above)
    have = set(zip(wvs.data["iso3"], wvs.data["year"]))
    for block in _wvs_raw_blocks().values():
        for code, year, label, *_ in block:
            if code in (909, 915):
                continue
            hits = ("DEU",) if label == "Germany West" else _match_one(label)
            assert len(hits) == 1 and (hits[0], year) in have, (code, year, label, hits)


# ---------------------------------------------------------------------------- GLOBE

def _globe_cell(society, header):
    """One cell of the GLOBE sheet, looked up by society name and stripped header."""
    import xlrd

    sh = xlrd.open_workbook(source_path("globe", GLOBE_FILE)).sheet_by_name(GLOBE_SHEET)
    cols = {str(sh.cell_value(0, c)).strip(): c for c in range(sh.ncols)}
    names = {str(sh.cell_value(r, cols["Country Name"])).strip(): r for r in range(1, sh.nrows)}
    return sh.cell_value(names[society], cols[header]), len(names)


def test_globe_counts(globe):
    _v, societies = _globe_cell("USA", "Power Distance Societal Practices")
    assert societies == 62
    n = globe.data.groupby("variable")["iso3"].nunique()
    assert len(n) == 18
    assert (n == 59).all()  # 62 societies minus 3 sub-national samples


@pytest.mark.parametrize("society, header, iso3, variable", [
    ("USA", "Power Distance Societal Practices", "USA", "globe.power_distance_practices"),
    ("Sweden", "Collectivism I Societal Practices (Institutional Collectivism)", "SWE",
     "globe.institutional_collectivism_practices"),
    ("Germany (WEST)", "Assertiveness Societal Practices", "DEU", "globe.assertiveness_practices"),
    ("Japan", "Human Orientation Societal Values", "JPN", "globe.humane_orientation_values"),
    ("England", "Gender Egalitarianism Societal Values", "GBR", "globe.gender_egalitarianism_values"),
    ("Canada (English-speaking)", "Future Orientation Societal Practices", "CAN",
     "globe.future_orientation_practices"),
    ("South Africa (Black Sample)", "Collectivism II Societal Values (In-group Collectivism)", "ZAF",
     "globe.ingroup_collectivism_values"),
    ("Switzerland", "Uncertainty Avoidance Societal Values", "CHE", "globe.uncertainty_avoidance_values"),
    ("IRAN", "Performance Orientation Societal Values", "IRN", "globe.performance_orientation_values"),
    ("Namibia", "Uncertainty Avoidance Societal Practices", "NAM", "globe.uncertainty_avoidance_practices"),
])
def test_globe_values_match_the_sheet(globe, society, header, iso3, variable):
    raw, _n = _globe_cell(society, header)
    assert value(globe, iso3, variable, 2004) == raw


@pytest.mark.parametrize("iso3, variable, published", [
    # extremes of the societal practices scores in House et al. (2004), two decimals
    ("MAR", "globe.power_distance_practices", 5.80), ("DNK", "globe.power_distance_practices", 3.89),
    ("CHE", "globe.uncertainty_avoidance_practices", 5.37), ("RUS", "globe.uncertainty_avoidance_practices", 2.88),
    ("ALB", "globe.assertiveness_practices", 4.89), ("SWE", "globe.assertiveness_practices", 3.38),
    ("SWE", "globe.institutional_collectivism_practices", 5.22),
    ("GRC", "globe.institutional_collectivism_practices", 3.25),
    ("PHL", "globe.ingroup_collectivism_practices", 6.36), ("DNK", "globe.ingroup_collectivism_practices", 3.53),
    ("HUN", "globe.gender_egalitarianism_practices", 4.08), ("KOR", "globe.gender_egalitarianism_practices", 2.50),
    ("ZMB", "globe.humane_orientation_practices", 5.23), ("DEU", "globe.humane_orientation_practices", 3.18),
    ("CHE", "globe.performance_orientation_practices", 4.94), ("GRC", "globe.performance_orientation_practices", 3.20),
    ("SGP", "globe.future_orientation_practices", 5.07), ("RUS", "globe.future_orientation_practices", 2.88),
])
def test_globe_published_extremes(globe, iso3, variable, published):
    assert round(value(globe, iso3, variable, 2004), 2) == published
    # the book's rankings leave out the Czech Republic (see test_globe_czech_republic_flagged)
    sub = globe.data[(globe.data["variable"] == variable) & (globe.data["iso3"] != "CZE")]
    sub = sub.set_index("iso3")["value"]
    assert iso3 in (sub.idxmax(), sub.idxmin())


def test_globe_exclusions_and_partial_samples(globe):
    ex = dict(zip(globe.excluded["name"], globe.excluded["note"]))
    assert set(ex) == {"Germany (EAST)", "South Africa (White Sample)", "French Switzerland"}
    assert all("sub-national sample" in r for r in ex.values())
    # the excluded samples' scores are not in the data (Germany East UA practices 5.16,
    # French Switzerland assertiveness practices 3.4697, white South Africa PD practices 5.1604)
    for society, header in [("Germany (EAST)", "Uncertainty Avoidance Societal Practices"),
                            ("French Switzerland", "Assertiveness Societal Practices"),
                            ("South Africa (White Sample)", "Power Distance Societal Practices")]:
        raw, _n = _globe_cell(society, header)
        assert not (globe.data["value"] == raw).any()
    assert set(globe.data["year"]) == {2004}


def test_globe_czech_republic_flagged(globe):
    # the Czech Republic row has no GLOBE cluster and implausible "Should Be" scores; its power
    # distance and in-group collectivism practices lie below Denmark's 3.89 and 3.53, which the book
    # reports as the lowest, so the book's rankings leave it out. Kept as published, reported in the notes.
    raw, _n = _globe_cell("Czech Republic", "Country Cluster")
    assert raw == ""
    assert round(value(globe, "CZE", "globe.power_distance_practices", 2004), 2) == 3.59
    assert round(value(globe, "CZE", "globe.ingroup_collectivism_practices", 2004), 2) == 3.18
    assert value(globe, "CZE", "globe.performance_orientation_values", 2004) == pytest.approx(2.347916666666667)
    notes = [n for n in globe.notes if "CZE" in n]
    assert len(notes) == 1 and "globe.performance_orientation_values 2.35" in notes[0]
    assert not [n for n in globe.notes if "CZE" not in n]
