import subprocess
import sys

import pytest

import cybercult as cc
from cybercult.errors import StudyFileError


def write(tmp_path, text, name="study.toml"):
    p = tmp_path / name
    p.write_text(text)
    return p


def test_default_study_is_valid_and_complete():
    st = cc.load_study()
    assert st["model"]["outcome"] == "gci2020.score"
    assert st.predictors == cc.DEFAULT_PREDICTORS
    assert list(st.blocks) == ["development", "politics", "military", "culture"]


def test_partial_study_overrides_defaults(tmp_path):
    st = cc.load_study(write(tmp_path, '[data]\nyear = 2019\n[inference]\npadjust = "holm"\n'))
    assert st["data"]["year"] == 2019 and st["inference"]["padjust"] == "holm"
    assert st["model"]["outcome"] == "gci2020.score"


@pytest.mark.parametrize("text, match", [
    ('[modle]\noutcome = "gci2020.score"\n', r"unknown section \[modle\]; did you mean 'model'"),
    ('[model]\noutcom = "gci2020.score"\n', r"unknown key 'model.outcom'; did you mean 'outcome'"),
    ('[model]\noutcome = "gci2020.scor"\n', r"'model.outcome' names unknown variable 'gci2020.scor'; did you mean 'gci2020.score'"),
    ('[data]\nyear = "2020"\n', r"'data.year' must be int, got str"),
    ('[inference]\npadjust = "fdr"\n', r"'inference.padjust' has 'fdr'.*allowed: fdr_bh, holm, bonferroni, none"),
    ('[inference]\nalpha = 1.5\n', r"'inference.alpha' must be between 0 and 1"),
    ('[figures]\nstyle = "slide"\n', r"did you mean 'slides'"),
    ('[model.blocks]\nculture = ["hofstede.idx"]\n', r"model.blocks.culture.*'hofstede.idx'"),
    ('[model\noutcome = 1\n', r"not valid TOML"),
    ('[data]\nextra = ["nope.csv"]\n', r"extra data file 'data.extra\[0\]' not found"),
])
def test_bad_study_files_name_the_key(tmp_path, text, match):
    with pytest.raises(StudyFileError, match=match):
        cc.load_study(write(tmp_path, text))


def test_cli_malformed_study_exits_2_without_partial_output(tmp_path):
    study = write(tmp_path, '[model]\noutcom = "gci2020.score"\n')
    out = tmp_path / "out"
    r = subprocess.run([sys.executable, "-m", "cybercult.cli", "run", str(study), "--out", str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr and "outcom" in r.stderr and "study.toml" in r.stderr
    assert not out.exists() and not list(tmp_path.glob(".out*"))


def test_cli_missing_extra_file_exits_2(tmp_path):
    study = write(tmp_path, '[data]\nextra = ["mine.csv"]\n')
    r = subprocess.run([sys.executable, "-m", "cybercult.cli", "run", str(study), "--out", str(tmp_path / "o")],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "mine.csv" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "o").exists()


def test_default_study_uses_the_six_insights_dimensions():
    st = cc.load_study()
    assert st["data"]["sample"] == "insights6"
    six = [f"hofstede_insights.{d}" for d in ("pdi", "idv", "mas", "uai", "lto", "ivr")]
    assert st.blocks["culture"] == six
    alts = st["robustness"]["culture_alternatives"]["individualism"]
    assert alts[0] == "hofstede_insights.idv" and "hofstede.idv" in alts  # the 2015 matrix stays selectable


def test_packaged_study81_reconstructs_the_81_countries():
    from cybercult.study import DEFAULT_STUDY

    path = DEFAULT_STUDY.with_name("study81.toml")
    st = cc.load_study(path)
    assert st["data"]["sample"] == "study81"
    text = path.read_text(encoding="utf-8")
    assert "reconstruction" in st["study"]["title"].lower() and "not the authors' own list" in text
    panel = cc.build_panel(st.variables(), st["data"]["year"], window=st["data"]["window"],
                           sample=st["data"]["sample"], outcome=st["model"]["outcome"])
    assert panel.n == 81
