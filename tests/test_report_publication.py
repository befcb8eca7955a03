"""The publication table: cells checked against statsmodels fitted independently."""
import hashlib
import re

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from docx import Document
from statsmodels.stats.multitest import multipletests

import cybercult as cc
from cybercult.report.publication import publication_table

PREDICTORS = ["wdi.log_gdppc_ppp", "eiu.democracy", "hofstede.pdi", "hofstede.idv"]


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(3)
    n = 60
    X = pd.DataFrame({"wdi.log_gdppc_ppp": rng.uniform(7, 11.5, n), "eiu.democracy": rng.uniform(1, 9.5, n),
                      "hofstede.pdi": rng.uniform(10, 100, n), "hofstede.idv": rng.uniform(10, 90, n)},
                     index=pd.Index([f"C{i:02d}" for i in range(n)], name="iso3"))
    X["gci2020.score"] = np.clip(10 + 7 * X["wdi.log_gdppc_ppp"] - 0.2 * X["hofstede.pdi"]
                                 + rng.normal(0, 8, n), 0, 100)
    X["ncsi.score"] = np.clip(-20 + 8 * X["wdi.log_gdppc_ppp"] + 2 * X["eiu.democracy"] + rng.normal(0, 9, n), 0, 100)
    X.loc["C00", "ncsi.score"] = np.nan  # a model on fewer countries
    return X


def _fmt(x):
    return f"{x:.2f}".replace("-", "\u2212")


def test_cells_are_statsmodels_estimates_and_hc3_errors_with_adjusted_stars(data):
    models = [cc.regress(data, y, PREDICTORS) for y in ("gci2020.score", "ncsi.score")]
    t = publication_table(models)
    frame = t.to_frame()
    assert list(frame.columns) == ["label", "Global Cybersecurity Index 2020", "National Cyber Security Index"]
    for col, y in zip(frame.columns[1:], ("gci2020.score", "ncsi.score")):
        d = data.dropna(subset=[y])
        ref = sm.OLS(d[y], sm.add_constant(d[PREDICTORS])).fit(cov_type="HC3")
        ref_t = sm.OLS(d[y], sm.add_constant(d[PREDICTORS])).fit().get_robustcov_results("HC3")
        padj = multipletests(ref_t.pvalues[1:], method="fdr_bh")[1]
        for k, term in enumerate(PREDICTORS):
            i = frame.index[frame["label"] == cc.label(term)][0]
            stars = "*" * sum(padj[k] < lev for lev in (0.05, 0.01, 0.001))
            assert frame.loc[i, col] == _fmt(ref.params[term]) + stars
            assert frame.loc[i + 1, col] == f"({_fmt(ref.bse[term])})"  # SE on the line below
        n_row = frame.index[frame["label"] == "N"][0]
        assert frame.loc[n_row, col] == str(len(d))
        r2_row = frame.index[frame["label"] == "R\u00b2"][0]
        assert frame.loc[r2_row, col] == f"{ref.rsquared:.3f}"
        adj_row = frame.index[frame["label"] == "Adjusted R\u00b2"][0]
        assert frame.loc[adj_row, col] == f"{ref.rsquared_adj:.3f}"
    notes = " ".join(t.notes)
    assert "HC3" in notes and "Benjamini-Hochberg" in notes and "* adjusted p < .05" in notes
    assert "95 %" in notes and "59-60 countries" in notes


def test_beta_option_shows_intervals_at_the_models_level(data):
    m = cc.regress(data, "gci2020.score", PREDICTORS, alpha=0.1, padjust="holm")
    t = publication_table([m], coef="beta")
    frame = t.to_frame()
    z = (data - data.mean()) / data.std(ddof=1)
    ref = sm.OLS(z["gci2020.score"], sm.add_constant(z[PREDICTORS])).fit(cov_type="HC3", use_t=True)
    ci = ref.conf_int(alpha=0.1)
    i = frame.index[frame["label"] == cc.label("hofstede.pdi")][0]
    col = frame.columns[1]
    assert frame.loc[i, col].rstrip("*") == _fmt(ref.params["hofstede.pdi"])
    assert frame.loc[i + 1, col] == f"[{_fmt(ci.loc['hofstede.pdi', 0])}, {_fmt(ci.loc['hofstede.pdi', 1])}]"
    assert "Constant" not in set(frame["label"])
    notes = " ".join(t.notes)
    assert "90 % confidence intervals" in notes and "Holm" in notes


def test_latex_fits_a_page_and_keeps_notes_under_the_table(data):
    models = [cc.regress(data, y, PREDICTORS) for y in ("gci2020.score", "ncsi.score")]
    tex = publication_table(models).to_latex()
    assert tex.count(r"\toprule") == 1 and tex.count(r"\bottomrule") == 1
    assert r"\small" in tex and r"\linewidth" in tex  # columns share the text width
    assert tex.index(r"\end{tabular}") < tex.index("Notes:") < tex.index(r"\end{table}")
    assert r"\textsuperscript{*" in tex or "*" not in tex.split(r"\midrule")[1].split(r"\bottomrule")[0]
    assert "Power distance" in tex and "hofstede.pdi" not in tex  # labels, not ids
    # every body row has the label column plus one cell per model
    for line in tex.splitlines():
        if line.endswith(r"\\") and "multicolumn" not in line:
            assert line.count("&") == 2, line


def test_docx_holds_the_same_cells_and_is_byte_stable(data, tmp_path):
    models = [cc.regress(data, y, PREDICTORS) for y in ("gci2020.score", "ncsi.score")]
    t = publication_table(models)
    a = t.to_docx(tmp_path / "a.docx").read_bytes()
    b = t.to_docx(tmp_path / "b.docx").read_bytes()
    assert hashlib.sha256(a).digest() == hashlib.sha256(b).digest()
    doc = Document(str(tmp_path / "a.docx"))
    table = doc.tables[0]
    cells = [[c.text for c in row.cells] for row in table.rows]
    frame = t.to_frame()
    i = frame.index[frame["label"] == cc.label("hofstede.pdi")][0]
    row = next(r for r in cells if r[0] == cc.label("hofstede.pdi"))
    assert row[1:] == list(frame.loc[i, frame.columns[1:]])
    assert any(p.text.startswith("Notes:") and "HC3" in p.text for p in doc.paragraphs)


def test_html_and_errors(data):
    m = cc.regress(data, "gci2020.score", PREDICTORS)
    h = publication_table([m]).to_html()
    assert h.startswith('<table class="publication">') and "<tfoot>" in h and "Power distance" in h
    with pytest.raises(TypeError, match=r"results\[0\]"):
        publication_table([m.table])
    with pytest.raises(ValueError, match="coef"):
        publication_table([m], coef="se")


def test_write_publication_tables_writes_three_files(data, tmp_path):
    from cybercult.report import write_publication_tables

    m = cc.regress(data, "gci2020.score", PREDICTORS)
    paths = write_publication_tables([m], tmp_path / "tables")
    assert [p.name for p in paths] == ["publication.tex", "publication.docx", "publication.html"]
    assert r"\begin{tabular}" in paths[0].read_text() and "<tfoot>" in paths[2].read_text()
    assert Document(str(paths[1])).tables[0].rows[0].cells[1].text.startswith("Global Cybersecurity Index 2020")


def test_cut_points_of_an_ordinal_logit_come_last_and_are_found_by_kind(data):
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    d = data.copy()
    noise = np.random.default_rng(5).logistic(0, 1, len(d))
    latent = 0.9 * d["wdi.log_gdppc_ppp"] - 0.03 * d["hofstede.pdi"] + noise
    d["gci2024.tier"] = pd.cut(latent, [-np.inf, *np.quantile(latent, [0.3, 0.6, 0.8]), np.inf], labels=False) + 1
    x = ["wdi.log_gdppc_ppp", "hofstede.pdi"]
    frame = publication_table([cc.ordinal_logit(d, "gci2024.tier", x)]).to_frame()
    # an independent optimiser (Newton with the exact Hessian) for the reference
    ref = OrderedModel(d["gci2024.tier"].astype(int), d[x], distr="logit").fit(method="newton", maxiter=200,
                                                                              disp=False)
    assert ref.mle_retvals["converged"]
    # statsmodels: the first threshold, then log increments
    cuts = np.cumsum([ref.params.iloc[2], *np.exp(ref.params.iloc[3:])])
    labels = list(frame["label"])
    cut_rows = [i for i, lab in enumerate(labels) if lab.startswith("Cut point")]
    assert [labels[i] for i in cut_rows] == ["Cut point 1|2", "Cut point 2|3", "Cut point 3|4"]
    assert cut_rows[0] > labels.index(cc.label("hofstede.pdi"))  # after every predictor
    col = frame.columns[1]
    for i, c in zip(cut_rows, cuts):
        assert frame.loc[i, col].rstrip("*") == _fmt(c)
    assert "Constant" not in labels
