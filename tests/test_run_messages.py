"""Messages of a run: progress through logging, warnings with their context, silent empties made loud."""
import logging
import subprocess
import sys

import pytest

import cybercult as cc


def test_unknown_source_is_an_error_with_a_suggestion():
    r = subprocess.run([sys.executable, "-m", "cybercult.cli", "variables", "--source", "gci202"],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "unknown source 'gci202'" in r.stderr and "did you mean 'gci20" in r.stderr


def test_a_year_outside_the_data_warns_per_variable_with_the_years_there_are():
    with pytest.warns(cc.NoValueInWindowWarning, match=r"wdi.log_gdppc_ppp: no value within the window "
                                                        r"2004-2005 .*years 2018-2022"):
        panel = cc.build_panel(["wdi.log_gdppc_ppp", "gci2020.score"], 2005, window=1, sample="outcome")
    assert panel.data["wdi.log_gdppc_ppp"].isna().all()


def test_few_observations_warning_names_outcome_and_model():
    panel = cc.build_panel()
    with pytest.warns(cc.FewObservationsWarning, match=r"regress of gci2020.score: \d+ countries"):
        cc.regress(panel.data, "gci2020.score", cc.DEFAULT_PREDICTORS)
    with pytest.warns(cc.FewObservationsWarning, match=r"fractional_logit of ncsi.score"):
        cc.fractional_logit(panel.data, "ncsi.score", cc.DEFAULT_PREDICTORS)


def test_library_reports_progress_through_logging_and_prints_nothing(tmp_path, capsys, caplog):
    study = tmp_path / "s.toml"
    study.write_text('[model]\ngroup_by = []\nfractional_logit = false\nordinal_logit = false\n'
                     'alternative_outcomes = []\npillars = []\n[robustness]\nn_boot = 20\nn_perm = 20\n'
                     'spec_outcomes = ["gci2020.score"]\n')
    with caplog.at_level(logging.INFO, logger="cybercult"):
        res = cc.compute(study)
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""
    msgs = [r.getMessage() for r in caplog.records if r.name == "cybercult"]
    assert any("building the panel" in m for m in msgs) and any("regressions" in m for m in msgs)
    assert res.main.outcome == "gci2020.score"
