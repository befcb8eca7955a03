"""Issue 10: every input a researcher brings is matched exactly, reported, or refused with a message.

One test (or a small group) per class of input; each asserts the value that reaches the panel or the
message that names the file, row, column or key.
"""
from __future__ import annotations

import io
import subprocess
import sys
import zipfile

import matplotlib
import numpy as np
import pandas as pd
import pytest

import cybercult as cc
from cybercult.data.countries import harmonise
from cybercult.errors import StudyFileError, UnmatchedCountryError, UserDataError

matplotlib.use("Agg")


def write(tmp_path, name, text, encoding="utf-8"):
    p = tmp_path / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(text.encode(encoding))
    return p


# -- country names: exact, or reported, or refused ---------------------------------------------------------

def test_codes_match_exactly_in_any_case(tmp_path):
    # 'prk' was matched by country_converter's Cambodia pattern (^p.?r.?k.?$)
    p = write(tmp_path, "c.csv", "country,v\nprk,1\nkor,2\nGB,3\nna,4\nDnk,5\n")
    long = cc.read_indicator_file(p)
    assert dict(zip(long["value"], long["iso3"])) == {1: "PRK", 2: "KOR", 3: "GBR", 4: "NAM", 5: "DNK"}
    rules = long.attrs["name_matches"].set_index("name")["rule"]
    assert rules["prk"] == "ISO3 code" and rules["GB"] == "ISO2 code"


def test_pattern_matches_are_reported_and_exact_refuses_them(tmp_path):
    p = write(tmp_path, "p.csv", "country,v\nRugby,1\nDPR,2\nDenmark,3\n")
    long = cc.read_indicator_file(p)
    m = long.attrs["name_matches"].set_index("name")
    assert m.loc["Rugby", "rule"] == "pattern" and m.loc["Rugby", "iso3"] == "GBR"
    assert "gb" in m.loc["Rugby", "detail"]  # the expression that matched is named
    assert m.loc["DPR", "rule"] == "pattern" and m.loc["Denmark", "rule"] == "name"
    with pytest.raises(UnmatchedCountryError) as exc:
        cc.read_indicator_file(p, exact=True)
    msg = str(exc.value)
    assert "'Rugby'" in msg and "'DPR'" in msg and "Denmark" not in msg and "country map" in msg
    # and through the panel: listed in name_matches and in the summary
    panel = cc.build_panel(["gci2020.score"], sample="outcome", extra=[p])
    nm = panel.name_matches
    assert set(nm.loc[nm["rule"] == "pattern", "name"]) == {"Rugby", "DPR"}
    assert "matched only by a pattern" in panel.summary()
    audit = panel.audit.set_index("iso3")["pattern_matches"]
    assert "'Rugby' by pattern" in audit["GBR"] and "'DPR' by pattern" in audit["PRK"] and audit["DNK"] == ""
    with pytest.raises(UnmatchedCountryError, match="Rugby"):
        cc.build_panel(["gci2020.score"], sample="outcome", extra=[p], exact_names=True)


@pytest.mark.parametrize("name, why", [
    ("Czechoslovakia", "former state"), ("USSR", "former state"), ("Yugoslavia", "former state"),
    ("Serbia and Montenegro", "former state"), ("England", "part of the United Kingdom"),
    ("Scotland", "part of the United Kingdom"), ("Northern Cyprus", "disputed"),
    ("Turkish Republic of Northern Cyprus", "disputed"), ("Somaliland", "part of Somalia"),
    ("Kurdistan", "not a country"),
])
def test_former_states_and_regions_are_refused_with_the_reason(name, why):
    from cybercult.data.countries import match_country

    m = match_country(name)
    assert m.iso3 is None and m.rule == "refused" and why in m.detail
    with pytest.raises(UnmatchedCountryError, match=why):
        harmonise([name, "Denmark"], source="t")


def test_country_map_maps_refused_and_unknown_names(tmp_path):
    data = write(tmp_path, "d.csv", "country,v\nEngland,1\nAtlantis,2\nDenmark,3\n")
    cmap = write(tmp_path, "map.csv", "name,iso3\nEngland,gbr\nAtlantis,grc\n")
    long = cc.read_indicator_file(data, country_map=cmap)
    assert dict(zip(long["value"], long["iso3"])) == {1: "GBR", 2: "GRC", 3: "DNK"}
    assert set(long.attrs["name_matches"].query("rule == 'country map'")["name"]) == {"England", "Atlantis"}
    bad = write(tmp_path, "bad.csv", "name,iso3\nEngland,ENG\n")
    with pytest.raises(ValueError, match=r"row 2: 'England' -> 'ENG' is not an ISO3 code"):
        cc.read_indicator_file(data, country_map=bad)


def test_long_names_are_refused_before_matching(tmp_path):
    p = write(tmp_path, "l.csv", "country,v\n" + "Denmark" * 3000 + ",1\nEstonia,2\n")
    with pytest.raises(UnmatchedCountryError, match=r"21000 characters.*limit 200"):
        cc.read_indicator_file(p)


def test_bundled_sources_match_without_patterns():
    # every bundled name is an exact name, alias, code or override: none needs the regex fallback
    sids = ("gci2017", "gci2020", "wdi_af", "sipri", "globe", "hofstede")
    for sid in sids:
        cc.load_source(sid)
    from cybercult.data.countries import pattern_matches

    # only these sources: other test files load sources that do need a pattern (idi2017's Timor-Leste)
    assert pattern_matches(sids).empty


def test_every_alias_agrees_with_country_converter():
    """The curated alias table, checked against country_converter's own regular expressions."""
    from cybercult.data.countries import _aliases, _match_one

    t = _aliases()
    assert len(t) > 100 and not t["alias"].duplicated().any()
    wrong = [(a, i, _match_one(a)) for a, i in zip(t["alias"], t["iso3"]) if _match_one(a) != (i,)]
    assert wrong == []


# -- columns and files: one value, one place ---------------------------------------------------------------

@pytest.mark.parametrize("header, both", [
    ("country,score,score", "columns 2 and 3 have the same header 'score'"),
    ("country,Score,score", "columns 'Score' and 'score' both give the variable id 'user.d.score'"),
    ("country,GDP per capita,gdp_per_capita", "'GDP per capita' and 'gdp_per_capita'"),
])
def test_duplicate_and_colliding_columns_name_both(tmp_path, header, both):
    p = write(tmp_path, "d.csv", header + "\nDenmark,1,2\n")
    with pytest.raises(UserDataError) as exc:
        cc.read_indicator_file(p)
    assert both in str(exc.value)


def test_file_named_like_a_bundled_source_stays_in_its_namespace(tmp_path):
    p = write(tmp_path, "hofstede.csv", "country,idv\nDenmark,1\nAtlantis Republic of Nowhere,2\n"
              .replace("Atlantis Republic of Nowhere", "Estonia"))
    panel = cc.build_panel(["gci2020.score", "hofstede.idv"], sample="outcome", extra=[p])
    bundled = cc.load_source("hofstede").data.query("variable == 'hofstede.idv'").set_index("iso3")["value"]
    assert panel.data.loc["DNK", "hofstede.idv"] == bundled["DNK"] == 74
    assert panel.data.loc["DNK", "user.hofstede.idv"] == 1 and panel.data.loc["EST", "user.hofstede.idv"] == 2
    assert cc.get_variable("hofstede.idv").block == "culture"  # catalogue entry not replaced
    with pytest.raises(UserDataError, match="bundled source id"):
        cc.read_indicator_file(p, name="hofstede")


def test_two_files_with_the_same_stem_are_an_error(tmp_path):
    a = write(tmp_path, "a/data.csv", "country,x\nDenmark,1\n")
    b = write(tmp_path, "b/data.csv", "country,x\nEstonia,2\n")
    with pytest.raises(ValueError, match=r"a/data.csv and .*b/data.csv both give the variable 'user.data.x'"):
        cc.build_panel(["gci2020.score"], sample="outcome", extra=[a, b])
    # two DataFrames get distinct variables, each value in its own column
    fa, fb = pd.DataFrame({"country": ["Denmark"], "x": [1.0]}), pd.DataFrame({"country": ["Denmark"], "x": [2.0]})
    panel = cc.build_panel(["gci2020.score"], sample="outcome", extra=[fa, fb])
    assert panel.data.loc["DNK", ["user.frame1.x", "user.frame2.x"]].tolist() == [1.0, 2.0]


@pytest.mark.parametrize("cell, why", [
    ("1_000", "'_'"), ("\uff11\uff12", "FULLWIDTH DIGIT ONE"), ("\u0661\u0662", "ARABIC-INDIC DIGIT ONE"),
    ("12\u00a0", "NO-BREAK SPACE"), ("1" * 5000, "5000 characters"), ("1e400", "too large"),
    ("inf", "infinite"), ("-inf", "infinite"), ("Infinity", "infinite"), ("1,5", "','"),
    ("1e-400", "too small"), ("\u22125", "MINUS SIGN"), ("0x10", "expected a number"),
])
def test_numbers_are_accepted_exactly_or_refused_with_row_and_column(tmp_path, cell, why):
    p = tmp_path / "n.csv"
    p.write_text(f'country,v\nDenmark,2\nEstonia,"{cell}"\n', encoding="utf-8")
    with pytest.raises(UserDataError) as exc:
        cc.read_indicator_file(p)
    msg = str(exc.value)
    assert "row 3, column 'v'" in msg and why in msg and "1 problem(s)" in msg


def test_plain_numbers_reach_the_panel_unchanged(tmp_path):
    p = write(tmp_path, "ok.csv", "country,v\nDenmark, 12 \nEstonia,-0.5\nFrance,.25\nJapan,1e3\nPeru,n/a\n"
              "Chile,0e5\nChad,5e-324\n")
    long = cc.read_indicator_file(p).set_index("iso3")["value"]
    assert long.to_dict() == {"DNK": 12.0, "EST": -0.5, "FRA": 0.25, "JPN": 1000.0, "CHL": 0.0,
                              "TCD": float.fromhex("0x0.0000000000001p-1022")}  # Peru missing, dropped


# -- Excel ---------------------------------------------------------------------------------------------------

def _book(path, sheets: dict[str, list[list]]):
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    wb.save(path)
    return path


ROWS = [["country", "v"], ["Denmark", 1.5], ["Estonia", 2.5]]


def test_workbook_with_several_sheets_needs_the_sheet_named(tmp_path):
    p = _book(tmp_path / "b.xlsx", {"Notes": [["read me"]], "Data": ROWS})
    with pytest.raises(UserDataError, match=r"2 sheets: 'Notes' \(1 cells\), 'Data' \(6 cells\); name the sheet"):
        cc.read_indicator_file(p)
    long = cc.read_indicator_file(p, sheet="Data")
    assert long.set_index("iso3")["value"].to_dict() == {"DNK": 1.5, "EST": 2.5}
    panel = cc.build_panel(["gci2020.score"], sample="outcome", extra=[f"{p}#Data"])
    assert panel.data.loc["EST", "user.b.v"] == 2.5


def test_empty_sheet_points_to_the_sheet_with_data(tmp_path):
    p = _book(tmp_path / "e.xlsx", {"Sheet1": [], "Data": ROWS})
    with pytest.raises(UserDataError, match=r"sheet 'Sheet1' is empty; the data may be on another sheet: 'Data'"):
        cc.read_indicator_file(p, sheet="Sheet1")


def test_formula_cells_without_saved_values_are_named(tmp_path):
    p = _book(tmp_path / "f.xlsx", {"Data": [["country", "v"], ["Denmark", "=1+1"], ["Estonia", "=A1*2"]]})
    with pytest.raises(UserDataError, match=r"2 formula cell\(s\) without a saved value: B2, B3"):
        cc.read_indicator_file(p)


def _rewrite(src, dst, edit):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item.filename, edit(item.filename, zin.read(item.filename)))
    return dst


def test_huge_declared_dimension_is_refused_before_reading(tmp_path):
    # a small workbook declaring A1:XFD1048576 made calamine allocate 512 GiB
    src = _book(tmp_path / "s.xlsx", {"Data": ROWS})
    p = _rewrite(src, tmp_path / "dim.xlsx", lambda n, b: b.replace(b'ref="A1:B3"', b'ref="A1:XFD1048576"')
                 if n.startswith("xl/worksheets/") else b)
    assert p.stat().st_size < 10_000
    with pytest.raises(UserDataError, match=r"1,048,576 rows x 16,384 columns.*not read"):
        cc.read_indicator_file(p)


def test_damaged_encrypted_and_oversized_workbooks_give_a_message(tmp_path, monkeypatch):
    good = _book(tmp_path / "g.xlsx", {"Data": ROWS})
    data = good.read_bytes()
    trunc = tmp_path / "t.xlsx"
    trunc.write_bytes(data[: len(data) // 2])
    with pytest.raises(UserDataError, match="damaged or truncated"):
        cc.read_indicator_file(trunc)
    enc = tmp_path / "enc.xlsx"  # an encrypted OOXML file is an OLE2 compound file
    enc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(UserDataError, match="password-protected"):
        cc.read_indicator_file(enc)
    import cybercult.data.userdata as ud

    bomb = tmp_path / "bomb.xlsx"
    _rewrite(good, bomb, lambda n, b: b)
    with zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/media/pad.bin", b"\x00" * 300_000)
    monkeypatch.setattr("cybercult.data._excel.MAX_UNCOMPRESSED_BYTES", 200_000)  # where the reader looks it up
    with pytest.raises(UserDataError, match=r"unpacks to 0 MiB, more than the 0 MiB allowed|unpacks to"):
        cc.read_indicator_file(bomb)
    r = subprocess.run([sys.executable, "-m", "cybercult.cli", "panel", "--variables", "gci2020.score",
                        "--extra", str(trunc), "--out", str(tmp_path / "p.csv")], capture_output=True, text=True)
    assert r.returncode == 2 and "Traceback" not in r.stderr and "t.xlsx" in r.stderr


# -- figures, output paths, report -------------------------------------------------------------------------

def test_dollar_signs_in_a_label_are_drawn_literally():
    text = "Share in % $ and ^ $"  # two '$': matplotlib would parse ' and ^ ' as (invalid) math
    rng = np.random.default_rng(3)
    # a column the catalogue does not know is labelled with its own name, as a user's header is
    df = pd.DataFrame({text: rng.normal(size=12), "gci2020.score": rng.normal(size=12)},
                      index=[f"C{i:02d}" for i in range(12)])
    df["country"] = df.index
    ax = cc.plot_scatter(df, text, "gci2020.score", max_labels=0)
    ax.figure.canvas.draw()  # raised a mathtext ValueError before
    shown, is_math = ax.xaxis.label._preprocess_math(ax.xaxis.label.get_text())
    assert shown == text and not is_math


def test_output_equal_to_an_input_is_refused(tmp_path):
    from cybercult.data.userdata import check_output_paths

    data = write(tmp_path, "mine.csv", "country,v\nDenmark,1\n")
    with pytest.raises(ValueError, match="is also an input file"):
        check_output_paths(data, inputs=[data])
    with pytest.raises(ValueError, match="is also an input file"):
        check_output_paths(tmp_path / "." / "mine.csv", inputs=[f"{data}#Sheet1"])
    with pytest.raises(ValueError, match="--audit .* is the same file as --out"):
        check_output_paths(tmp_path / "p.csv", inputs=[data], audit=tmp_path / "p.csv")
    check_output_paths(tmp_path / "p.csv", inputs=[data], audit=tmp_path / "a.csv")  # distinct: fine


def test_report_markdown_escapes_user_text():
    from cybercult.report.build import Report

    rep = Report('Study <img src=x onerror="alert(1)">')
    rep.heading("Data from <script>alert(2)</script>")
    rep.table(pd.DataFrame({"<script>alert(3)</script>": ["<b onmouseover=x>", "p <0.001"]}), "cap <i>")
    md = rep.to_markdown()
    for tag in ("<img", "<script", "<b ", "<i>"):
        assert tag not in md
    rep.code("``` breakout\n<script>")  # inside a code fence the text is shown, never run
    md = rep.to_markdown()
    assert "&lt;img src=x" in md and "&lt;script>alert(3)" in md and "p <0.001" in md
    assert "````\n``` breakout\n<script>\n````" in md


# -- study files ---------------------------------------------------------------------------------------------

def test_study_file_with_bom_is_read_and_utf16_is_named(tmp_path):
    p = tmp_path / "bom.toml"
    p.write_bytes(b"\xef\xbb\xbf[data]\nyear = 2019\n")
    assert cc.load_study(p)["data"]["year"] == 2019
    q = tmp_path / "u16.toml"
    q.write_bytes("[data]\nyear = 2019\n".encode("utf-16"))
    with pytest.raises(StudyFileError, match=r"u16.toml: the study file is UTF-16 encoded; save it as UTF-8"):
        cc.load_study(q)


@pytest.mark.parametrize("text, match", [
    ("[robustness]\nseed = -1\n", r"'robustness.seed' must be >= 0.*got -1"),
    # the default model: 10 predictors and the intercept, 8 bytes each: 1e9 * 11 * 8 / 2**30 = 82.0 GiB
    ("[robustness]\nn_boot = 1000000000\n", r"'robustness.n_boot' = 1,000,000,000 is more than the 1,000,000 "
                                           r"allowed.*about 82.0 GiB"),
    ("[robustness]\nn_perm = 5000000\n", r"'robustness.n_perm' = 5,000,000"),
])
def test_study_resampling_keys_are_bounded(tmp_path, text, match):
    p = tmp_path / "s.toml"
    p.write_text(text)
    with pytest.raises(StudyFileError, match=match):
        cc.load_study(p)


def test_outcome_typo_is_caught_when_extra_files_are_present(tmp_path):
    write(tmp_path, "mine.csv", "country,v\nDenmark,1\n")
    p = tmp_path / "s.toml"
    p.write_text('[data]\nextra = ["mine.csv"]\n[model]\noutcome = "gci2020.scor"\n')
    with pytest.raises(StudyFileError, match=r"'model.outcome' names unknown variable 'gci2020.scor'; did you mean "
                                             r"'gci2020.score'.*user.mine.<column>"):
        cc.load_study(p)
    p.write_text('[data]\nextra = ["mine.csv"]\n[model.blocks]\nuser = ["user.mien.v"]\n[model]\n'
                 'block_order = ["development", "user"]\n')
    with pytest.raises(StudyFileError, match=r"'model.blocks.user' names 'user.mien.v'"):
        cc.load_study(p)


# -- predictors ------------------------------------------------------------------------------------------------

def _frame(rng, n=40):
    x = rng.normal(size=(n, 2))
    return pd.DataFrame({"y": x @ [1.0, -0.5] + rng.normal(size=n), "a": x[:, 0], "c": x[:, 1]})


def test_a_predictor_that_is_a_linear_combination_is_refused():
    df = _frame(np.random.default_rng(5))
    df["b"] = 2 * df["a"] + 1
    with pytest.raises(ValueError, match=r"not identifiable: 'b' = 2 x 'a' \+ 1 over the 40 countries"):
        cc.regress(df, "y", ["a", "c", "b"])
    df["b"] = df["a"] - 3 * df["c"]
    with pytest.raises(ValueError, match=r"not identifiable: 'a', 'c', 'b'"):
        cc.regress(df, "y", ["a", "c", "b"])
    # nearly but not exactly collinear stays estimable, with the same slope statsmodels gives
    import statsmodels.api as sm

    df["b"] = 2 * df["a"] + 1 + np.random.default_rng(6).normal(scale=1e-3, size=len(df))
    res = cc.regress(df, "y", ["a", "c", "b"])
    ref = sm.OLS(df["y"], sm.add_constant(df[["a", "c", "b"]])).fit(cov_type="HC3")
    est = res.table.set_index("term")["estimate"]
    assert est["b"] == pytest.approx(ref.params["b"], rel=1e-6)


def test_an_infinite_predictor_is_a_message():
    df = _frame(np.random.default_rng(7))
    df.loc[3, "a"] = np.inf
    with pytest.raises(ValueError, match=r"predictors: column 'a' has 1 infinite value\(s\): 3 \(inf\)"):
        cc.regress(df, "y", ["a", "c"])
