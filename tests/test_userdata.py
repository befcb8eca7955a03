import subprocess
import sys

import pandas as pd
import pytest

import cybercult as cc
from cybercult.errors import UnmatchedCountryError, UserDataError


def write(tmp_path, name, text, encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def test_good_file_names_and_codes(tmp_path):
    p = write(tmp_path, "broadband.csv", "country,speed,share\nDenmark,210.5,0.9\nNamibia,12,0.2\nKOR,250,\n")
    long = cc.read_indicator_file(p)
    wide = long.pivot(index="iso3", columns="variable", values="value")
    assert wide.loc["DNK", "user.broadband.speed"] == 210.5
    assert wide.loc["NAM", "user.broadband.share"] == 0.2  # Namibia ("NA"-prone) survives
    assert pd.isna(wide.loc["KOR", "user.broadband.share"])
    assert cc.get_variable("user.broadband.speed").block == "user"


def test_merged_into_panel(tmp_path):
    p = write(tmp_path, "mine.csv", "iso3,score\nDNK,1\nEST,2\nUSA,3\n")
    panel = cc.build_panel(["gci2020.score"], extra=[p])
    assert panel.data.loc["EST", "user.mine.score"] == 2
    assert "user.mine.score" in panel.variables


def test_empty_file(tmp_path):
    with pytest.raises(UserDataError, match="empty"):
        cc.read_indicator_file(write(tmp_path, "e.csv", ""))


def test_wrong_separator(tmp_path):
    p = write(tmp_path, "s.csv", "country;score\nDenmark;1\n")
    with pytest.raises(UserDataError, match="sep=';'"):
        cc.read_indicator_file(p)


def test_missing_country_column(tmp_path):
    p = write(tmp_path, "m.csv", "land,score\nDenmark,1\n")
    with pytest.raises(UserDataError, match="no country column.*land, score"):
        cc.read_indicator_file(p)


def test_duplicated_country_raw_and_after_harmonisation(tmp_path):
    p = write(tmp_path, "d.csv", "country,score\nDenmark,1\nDenmark,2\n")
    with pytest.raises(UserDataError, match="row 3, column 'country'.*more than once"):
        cc.read_indicator_file(p)
    p = write(tmp_path, "d2.csv", "country,score\nCzechia,1\nCzech Republic,2\n")
    with pytest.raises(UnmatchedCountryError, match="same ISO3"):
        cc.read_indicator_file(p)


def test_text_in_numeric_column_and_range_reported_together(tmp_path):
    p = write(tmp_path, "t.csv", "country,score,rate\nDenmark,high,5\nEstonia,3,150\nFrance,4,-1\n")
    with pytest.raises(UserDataError) as exc:
        cc.read_indicator_file(p, ranges={"rate": (0, 100)})
    msg = str(exc.value)
    assert "3 problem(s)" in msg
    assert "row 2, column 'score': value 'high' (expected a number)" in msg
    assert "row 3, column 'rate'" in msg and "150" in msg and "[0, 100]" in msg
    assert "row 4, column 'rate'" in msg


def test_unknown_country_names_all_listed(tmp_path):
    p = write(tmp_path, "u.csv", "country,score\nDenmark,1\nAtlantis,2\nNarnia,3\n")
    with pytest.raises(UnmatchedCountryError) as exc:
        cc.read_indicator_file(p)
    assert "'Atlantis'" in str(exc.value) and "'Narnia'" in str(exc.value) and "u.csv" in str(exc.value)


def test_wrong_encoding(tmp_path):
    p = write(tmp_path, "l.csv", "country,score\nCôte d'Ivoire,1\n", encoding="latin-1")
    with pytest.raises(UserDataError, match="not valid UTF-8"):
        cc.read_indicator_file(p)


def test_xlsx(tmp_path):
    p = tmp_path / "x.xlsx"
    pd.DataFrame({"Country": ["Estonia", "Japan"], "Value": [1.5, 2.5]}).to_excel(p, index=False)
    long = cc.read_indicator_file(p)
    assert set(long["iso3"]) == {"EST", "JPN"} and set(long["variable"]) == {"user.x.value"}


def test_cli_bad_extra_exits_2_without_traceback(tmp_path):
    p = write(tmp_path, "bad.csv", "country,score\nAtlantis,1\n")
    r = subprocess.run([sys.executable, "-m", "cybercult.cli", "panel", "--variables", "gci2020.score",
                        "--extra", str(p), "--out", str(tmp_path / "p.csv")], capture_output=True, text=True)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr and "Atlantis" in r.stderr and "bad.csv" in r.stderr
    assert not (tmp_path / "p.csv").exists()
