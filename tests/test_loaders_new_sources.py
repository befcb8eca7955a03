"""Loaders of Hofstede Insights, Schwartz, EGDI 2022 and IDI 2017, and the comparison of Hofstede editions.

Spot values are the published ones quoted in each folder's SOURCE.md (the official Hofstede matrix and
book, UN DESA and UNRIC releases, ITU's IDI table); raw-file counts are recomputed here from the files
with the standard library, not through the loaders.
"""
from __future__ import annotations

import csv
import json

import pandas as pd
import pytest

import cybercult as cc
from cybercult.data import loaders
from cybercult.data.countries import harmonise
from cybercult.data.loaders import hofstede_insights as hi_mod
from cybercult.data.loaders import schwartz as sw_mod
from cybercult.data.registry import source_path
from cybercult.errors import DataIntegrityError

NEW = ("hofstede_insights", "schwartz", "egdi2022", "idi2017")
DIMS = ("pdi", "idv", "mas", "uai", "lto", "ivr")


@pytest.fixture(scope="module")
def fresh(load_fresh):
    """Each source loaded once, bypassing the cache, with the warnings it emitted."""
    return load_fresh(NEW)


def value(sd, iso3, variable):
    hit = sd.data[(sd.data["iso3"] == iso3) & (sd.data["variable"] == variable)]
    return None if hit.empty else hit["value"].item()


def n_countries(sd, variable):
    return sd.data.loc[sd.data["variable"] == variable, "iso3"].nunique()


@pytest.mark.parametrize("sid", NEW)
def test_loading_emits_no_warnings(fresh, sid):
    assert [str(w.message) for w in fresh[sid][1]] == []


@pytest.mark.parametrize("sid", NEW)
def test_every_variable_is_static_and_labelled(fresh, sid):
    mod = loaders.get_loader(sid)
    assert all(v.timing == "static" and v.label and v.description for v in mod.variables)
    assert set(fresh[sid][0].data["variable"]) == {v.id for v in mod.variables}


# --- every name resolves or is excluded on purpose ------------------------------------------

def _raw_names():
    hof = json.loads(source_path("hofstede_insights").read_text(encoding="utf-8"))
    edited = json.loads(source_path("hofstede_insights", hi_mod.EDITED_FILE).read_text(encoding="utf-8"))
    with open(source_path("schwartz"), newline="", encoding="utf-8") as fh:
        sw = [r["country_long"] for r in csv.DictReader(fh)]
    with open(source_path("egdi2022"), newline="", encoding="utf-8") as fh:
        eg = [r["Country Name"] for r in csv.DictReader(fh)]
    with open(source_path("idi2017"), newline="", encoding="utf-8") as fh:
        idi = [r["Country"] for r in csv.DictReader(fh)]
    with open(source_path("gci2024"), newline="", encoding="utf-8") as fh:
        g24 = [r["iso3"] for r in csv.DictReader(fh)]
    return {"hofstede_insights": ([r["title"] for r in hof], 118), "hofstede_insights_edited":
            ([r["title"] for r in edited], 118), "schwartz": (sw, 83), "egdi2022": (eg, 193),
            "idi2017": (idi, 176), "gci2024": (g24, 194)}


def test_every_name_in_every_new_file_resolves_or_is_excluded_on_purpose():
    for key, (names, n_rows) in _raw_names().items():
        assert len(names) == n_rows, key
        sid = "hofstede_insights" if key.startswith("hofstede_insights") else key
        mod = loaders.get_loader(sid)
        # the loaders' own clean-up: Insights stars, EGDI trailing spaces
        clean = [n.rstrip("*").strip() if sid == "hofstede_insights" else n.strip() for n in names]
        matched, excluded = harmonise(clean, source=sid, overrides=mod.overrides, exclude=mod.exclude,
                                      codes=mod.codes)
        assert set(matched) | set(excluded) == set(clean), key
        assert all(reason for reason in excluded.values()), key
        assert len(set(matched.values())) == len(matched), key  # no two names on one country


def test_every_name_of_the_0_100_matrix_resolves_or_is_excluded_on_purpose():
    from cybercult.data.loaders import hofstede as matrix

    with open(source_path("hofstede_0_100"), newline="", encoding="utf-8") as fh:
        names = [r["country"].strip() for r in csv.DictReader(fh, delimiter=";")]
    assert len(names) == 111  # SOURCE.md: 111 rows, 10 of them regions or sub-national samples
    matched, excluded = harmonise(names, source="hofstede_0_100", overrides=matrix.OVERRIDES,
                                  exclude=matrix.EXCLUDE)
    assert len(matched) == 101 and len(excluded) == 10


def test_excluded_rows_are_exactly_the_sub_national_samples(fresh):
    excl = {sid: set(fresh[sid][0].excluded["name"]) for sid in NEW}
    assert excl["hofstede_insights"] == set() and excl["egdi2022"] == set() and excl["idi2017"] == set()
    assert excl["schwartz"] == {"canada (Eng)", "canada (Fr)", "germany e", "germany w", "switzerland (fr)",
                                "switzerland (ger)", "israel jew", "israel arab"}
    assert fresh["schwartz"][0].excluded["note"].str.contains("sub-national sample").all()


def test_quirky_names_resolve_to_the_right_country(fresh):
    eg, idi, sw, hi = (fresh[s][0] for s in ("egdi2022", "idi2017", "schwartz", "hofstede_insights"))
    # EGDI: "Georgia (Country)" and trailing spaces; IDI: "Korea, (South) Republic of"
    assert value(eg, "GEO", "egdi2022.egdi") is not None and value(eg, "DNK", "egdi2022.egdi") == 0.9717
    assert value(idi, "KOR", "idi2017.idi") == 8.85
    assert value(idi, "LKA", "idi2017.idi") is not None and value(idi, "CIV", "idi2017.idi") is not None
    # Schwartz typos
    assert {"AUS", "BIH", "NZL", "GBR", "USA", "KOR", "CZE", "MKD", "CRI"} <= set(sw.data["iso3"])
    # Insights: UTF-8 name and short names
    assert {"STP", "KOR", "RUS", "CPV", "MKD", "TWN", "HKG", "PRI"} <= set(hi.data["iso3"])


# --- Hofstede Insights ------------------------------------------------------------------------

def test_insights_published_values(fresh):
    sd, _ = fresh["hofstede_insights"]
    # official matrix / book values, identical on the Insights site: Denmark, USA, Japan
    for iso3, vals in {"DNK": (18, 74, 16, 23, 35, 70), "USA": (40, 91, 62, 46, 26, 68),
                       "JPN": (54, 46, 95, 92, 88, 42)}.items():
        assert [value(sd, iso3, f"hofstede_insights.{d}") for d in DIMS] == list(vals), iso3
        assert value(sd, iso3, "hofstede_insights.estimated") == 0
    # Hofstede Centre page "What about Kenya?": PDI 70, IDV 25; Albania PDI 90 (current Culture Factor page)
    assert value(sd, "KEN", "hofstede_insights.pdi") == 70 and value(sd, "KEN", "hofstede_insights.idv") == 25
    assert value(sd, "ALB", "hofstede_insights.pdi") == 90


def test_insights_missing_markers_are_missing(fresh):
    sd, _ = fresh["hofstede_insights"]
    raw = json.loads(source_path("hofstede_insights").read_text(encoding="utf-8"))
    n_minus1 = {k: sum(r[k] == "-1" for r in raw) for k in ("lto", "ind")}
    n_empty = {k: sum(r[k] == "" for r in raw) for k in ("lto", "ind")}
    assert n_minus1 == {"lto": 15, "ind": 19} and n_empty == {"lto": 2, "ind": 2}  # SOURCE.md counts
    assert n_countries(sd, "hofstede_insights.lto") == 118 - 17
    assert n_countries(sd, "hofstede_insights.ivr") == 118 - 21
    for iso3 in ("KEN", "BTN", "FJI", "NPL", "QAT", "TUN"):
        assert value(sd, iso3, "hofstede_insights.ivr") is None, iso3
    assert value(sd, "QAT", "hofstede_insights.lto") is None and value(sd, "TUN", "hofstede_insights.lto") is None
    assert (sd.data["value"] >= 0).all()  # no -1 leaks through
    for d in ("pdi", "idv", "mas", "uai"):
        assert n_countries(sd, f"hofstede_insights.{d}") == 118
    six = sd.data[sd.data["variable"].isin([f"hofstede_insights.{d}" for d in DIMS])]
    assert (six.groupby("iso3").size() == 6).sum() == 96  # SOURCE.md: 96 with all six


def test_insights_estimates_are_the_starred_countries_and_libya(fresh):
    sd, _ = fresh["hofstede_insights"]
    est = sd.data[sd.data["variable"] == "hofstede_insights.estimated"].set_index("iso3")["value"]
    assert len(est) == 118 and set(est.unique()) == {0.0, 1.0}
    assert int(est.sum()) == 49  # 48 starred + Libya
    for iso3 in ("ALB", "EGY", "HUN", "ISL", "UKR", "ARE", "STP", "PRI", "LBY"):
        assert est[iso3] == 1, iso3
    for iso3 in ("DNK", "ZAF", "EST", "USA"):
        assert est[iso3] == 0, iso3


def test_insights_edited_copy_has_the_same_scores():
    """Terra's copy (stars removed, duplicate ivr dropped) must hold the same score values."""
    orig = json.loads(source_path("hofstede_insights").read_text(encoding="utf-8"))
    edited = json.loads(source_path("hofstede_insights", hi_mod.EDITED_FILE).read_text(encoding="utf-8"))
    assert [r["slug"] for r in orig] == [r["slug"] for r in edited]
    for a, b in zip(orig, edited):
        assert [a[k] for k in ("pdi", "idv", "mas", "uai", "lto", "ind")] == \
               [b[k] for k in ("pdi", "idv", "mas", "uai", "lto", "ind")]
        assert a["ind"] == a["ivr"]
    assert sum(r["title"].endswith("*") for r in orig) == 48 and not any(r["title"].endswith("*") for r in edited)


@pytest.mark.parametrize("row, key, bad, message", [
    (0, "pdi", "n/a", "'Albania\\*' key 'pdi' is not a number"),
    (1, "ivr", "99", "'Algeria\\*' has indulgence 'ind' = '32' but its duplicate"),
], ids=["non-numeric score", "indulgence duplicates disagree"])
def test_insights_rejects_a_tampered_row(monkeypatch, row, key, bad, message):
    real = hi_mod.read_json

    def tampered(relpath=hi_mod._FILE):
        rows = real(relpath)
        rows[row] = {**rows[row], key: bad}
        return rows

    monkeypatch.setattr(hi_mod, "read_json", tampered)
    with pytest.raises(DataIntegrityError, match=message):
        hi_mod.read_wide()


# --- comparison of the Hofstede editions ------------------------------------------------------

def test_compare_hofstede_editions():
    every = cc.compare_hofstede_editions(differing_only=False)
    assert len(every) == 449  # values present in both editions (SOURCE.md)
    t = cc.compare_hofstede_editions()
    assert list(t.columns) == ["iso3", "country", "dimension", "hofstede_2015", "hofstede_0_100",
                               "hofstede_insights", "difference", "estimated", "kind", "note"]
    got = {(r.iso3, r.dimension): (r.hofstede_2015, r.hofstede_insights, r.kind) for r in t.itertuples()}
    # SOURCE.md of hofstede_insights and hofstede_0_100: seven capped values, six revised for three Arab countries
    assert got == {
        ("MYS", "pdi"): (104, 100, "capped"), ("SVK", "pdi"): (104, 100, "capped"),
        ("SVK", "mas"): (110, 100, "capped"), ("GRC", "uai"): (112, 100, "capped"),
        ("PRT", "uai"): (104, 99, "capped"), ("GTM", "uai"): (101, 98, "capped"),
        ("URY", "uai"): (100, 98, "capped"),
        ("EGY", "lto"): (7, 42, "revised"), ("EGY", "ivr"): (4, 0, "revised"),
        ("IRQ", "lto"): (25, 12, "revised"), ("IRQ", "ivr"): (17, 23, "revised"),
        ("SAU", "lto"): (36, 27, "revised"), ("SAU", "ivr"): (52, 14, "revised"),
    }
    assert t.loc[t["kind"] == "revised", "estimated"].all() and not t.loc[t["kind"] == "capped", "estimated"].any()
    assert (t["difference"] == t["hofstede_insights"] - t["hofstede_2015"]).all()
    assert (every.loc[every["dimension"] == "idv", "kind"] == "same").all()  # IDV identical for all countries


# --- Schwartz -------------------------------------------------------------------------------

def test_schwartz_published_values_and_counts(fresh):
    sd, _ = fresh["schwartz"]
    # Argentina: harmony 3.98, embeddedness 3.52, hierarchy 2.10, mastery 3.92, affective autonomy 3.73,
    # intellectual autonomy 4.34, egalitarianism 4.96
    arg = [value(sd, "ARG", f"schwartz.{v}") for v in ("harmony", "embeddedness", "hierarchy", "mastery",
                                                        "affective_autonomy", "intellectual_autonomy",
                                                        "egalitarianism")]
    assert arg == [3.98, 3.52, 2.10, 3.92, 3.73, 4.34, 4.96]
    # plausibility checks of SOURCE.md (Schwartz 2006 map): Yemen highest embeddedness, China highest hierarchy
    emb = sd.data[sd.data["variable"] == "schwartz.embeddedness"].set_index("iso3")["value"]
    hie = sd.data[sd.data["variable"] == "schwartz.hierarchy"].set_index("iso3")["value"]
    assert emb.idxmax() == "YEM" and emb.max() == 4.63 and hie.idxmax() == "CHN" and hie.max() == 3.49
    # 76 distinct countries (Schwartz 2006); 74 of them outside Hong Kong and Taiwan (Kharlamov & Pogrebna 2019)
    iso = set(sd.data["iso3"])
    assert len(iso) == 76 and len(iso - {"HKG", "TWN"}) == 74
    assert sd.data.groupby("iso3").size().eq(7).all()


def test_schwartz_national_averages_of_sub_samples(fresh):
    sd, _ = fresh["schwartz"]
    raw = pd.read_csv(source_path("schwartz"), keep_default_na=False, na_values=[""]).set_index("country_long")
    for iso3, subs in {"CAN": ("canada (Eng)", "canada (Fr)"), "DEU": ("germany e", "germany w"),
                       "CHE": ("switzerland (fr)", "switzerland (ger)"), "ISR": ("israel jew", "israel arab")}.items():
        want = (raw.loc[subs[0], "harmony"] + raw.loc[subs[1], "harmony"]) / 2
        assert value(sd, iso3, "schwartz.harmony") == pytest.approx(want, abs=1e-9), iso3
        want = (raw.loc[subs[0], "egalitar"] + raw.loc[subs[1], "egalitar"]) / 2
        assert value(sd, iso3, "schwartz.egalitarianism") == pytest.approx(want, abs=1e-9), iso3
    assert sw_mod.ISRAEL_MEAN in sw_mod.OVERRIDES and "avg" not in sw_mod.ISRAEL_MEAN


# --- EGDI 2022 ------------------------------------------------------------------------------

def test_egdi_published_values(fresh):
    sd, _ = fresh["egdi2022"]
    assert n_countries(sd, "egdi2022.egdi") == 193
    # UNRIC release: ranks 1-15 (Denmark, Finland, Korea, New Zealand, Sweden/Iceland tied, Australia, Estonia ...)
    egdi = sd.data[sd.data["variable"] == "egdi2022.egdi"].set_index("iso3")["value"]
    top = egdi.rank(method="min", ascending=False)
    assert egdi["EST"] == 0.9393 and top["EST"] == 8
    assert egdi["DNK"] == 0.9717 and top["DNK"] == 1  # digst.dk: "a total score of 0.9717"
    assert top["SWE"] == top["ISL"] == 5
    assert list(egdi.sort_values(ascending=False).index[:4]) == ["DNK", "FIN", "KOR", "NZL"]
    # "68.91 per cent of Member States are at the high or very high EGDI level" (EGDI >= 0.5)
    assert (egdi >= 0.5).sum() == 133 and round(100 * (egdi >= 0.5).mean(), 2) == 68.91
    assert value(sd, "CAN", "egdi2022.egdi") == 0.8511 and value(sd, "IND", "egdi2022.egdi") == 0.5883


def test_egdi_is_the_mean_of_its_components(fresh):
    sd, _ = fresh["egdi2022"]
    w = sd.data.pivot_table(index="iso3", columns="variable", values="value")
    gap = (w["egdi2022.egdi"] - w[["egdi2022.osi", "egdi2022.hci", "egdi2022.tii"]].mean(axis=1)).abs()
    assert gap.max() < 1e-4
    assert any("193 of 193" in n for n in sd.notes)


# --- IDI 2017 -------------------------------------------------------------------------------

def test_idi_top_of_published_table(fresh):
    sd, _ = fresh["idi2017"]
    assert n_countries(sd, "idi2017.idi") == 176
    idi = sd.data[sd.data["variable"] == "idi2017.idi"].set_index("iso3")["value"].sort_values(ascending=False,
                                                                                                 kind="stable")
    # ITU MISR 2017 top 13 (Wikipedia's table of the report)
    pub = [("ISL", 8.98), ("KOR", 8.85), ("CHE", 8.74), ("DNK", 8.71), ("GBR", 8.65), ("HKG", 8.61),
           ("NLD", 8.49), ("NOR", 8.47), ("LUX", 8.47), ("JPN", 8.43), ("SWE", 8.41), ("DEU", 8.39), ("NZL", 8.33)]
    assert [(i, idi[i]) for i, _ in pub] == pub
    assert list(idi.index[:6]) == ["ISL", "KOR", "CHE", "DNK", "GBR", "HKG"]
    assert idi.min() == 0.96 and idi.idxmin() == "ERI"
    for iso3, v in {"USA": 8.18, "EST": 8.14, "CAN": 7.77, "CHN": 5.60, "IND": 3.03}.items():
        assert idi[iso3] == v, iso3


# --- registry and catalogue -----------------------------------------------------------------

def test_new_sources_are_registered_with_provenance():
    t = cc.list_sources().set_index("source")
    for sid in ("hofstede_insights", "hofstede_0_100", "schwartz", "gci2024", "egdi2022", "idi2017"):
        for col in ("publisher", "edition", "terms", "url", "citation"):
            assert len(t.loc[sid, col]) > 10, (sid, col)
    assert "Data360" in t.loc["gci2024", "publisher"] and "non-commercial" in t.loc["hofstede_insights", "terms"]


def test_new_variable_ids_in_catalogue():
    cat = cc.catalogue().set_index("variable")
    ids = [*(f"hofstede_insights.{d}" for d in (*DIMS, "estimated")),
           *(f"schwartz.{v}" for v in ("harmony", "embeddedness", "hierarchy", "mastery", "affective_autonomy",
                                       "intellectual_autonomy", "egalitarianism")),
           *(f"gci2024.{v}" for v in ("score", "legal", "technical", "organizational", "capacity", "cooperation",
                                      "tier")),
           "egdi2022.egdi", "egdi2022.osi", "egdi2022.hci", "egdi2022.tii", "egdi2022.epi", "idi2017.idi"]
    assert set(ids) <= set(cat.index)
    assert (cat.loc[ids, "label"] != cat.loc[ids].index).all()
    assert cat.loc["hofstede_insights.estimated", "levels"].startswith("0=")
