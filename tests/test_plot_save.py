"""save_figure: SVG, PDF and PNG, byte-identical on every build, no stamps, editable text."""
import re
import zlib
from types import SimpleNamespace

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

import cybercult.plot as cp
from cybercult.data.catalogue import label

NAMES = {"EST": "Estonia", "DEU": "Germany", "FIN": "Finland", "BRA": "Brazil", "IND": "India",
         "CHN": "China", "MEX": "Mexico", "PER": "Peru", "JPN": "Japan", "PAN": "Panama"}


def _panel():
    rng = np.random.default_rng(11)
    iso = list(NAMES)
    pdi = rng.uniform(15, 100, len(iso))
    gdp = rng.uniform(7.5, 11.5, len(iso))
    return pd.DataFrame({"country": [NAMES[i] for i in iso], "hofstede.pdi": pdi, "wdi.log_gdppc_ppp": gdp,
                         "gci2020.score": np.clip(20 + 6 * gdp - 0.15 * pdi + rng.normal(0, 8, len(iso)), 0, 100),
                         "eiu.regime": [3, 3, 3, 2, 2, 0, 1, 2, 3, 2]}, index=pd.Index(iso, name="iso3"))


def _verdict(outcome="gci2020.score"):
    return pd.DataFrame(dict(
        term=["hofstede.pdi", "hofstede.idv", "wgi.pv", "wdi.log_gdppc_ppp"],
        block=["culture", "culture", "politics", "development"],
        role=["blocker", "driver", "inconclusive", "driver"],
        estimate=[-0.31, 0.27, 0.05, 0.52], ci_low=[-0.49, 0.07, -0.14, 0.34], ci_high=[-0.13, 0.47, 0.24, 0.70],
        n=81, outcome=outcome))


def _drivers():
    return cp.plot_drivers(_verdict()).figure


def _grid():
    return cp.plot_drivers_grid({o: _verdict(o) for o in ("gci2020.legal", "gci2020.technical")}, title="Pillars")


def _heatmap():
    corr = pd.DataFrame([dict(x=x, y=y, method="pearson", n=60, r=r, p_value=p, p_adj=p)
                         for x, y, r, p in [("hofstede.pdi", "gci2020.score", -0.3, 0.02),
                                            ("hofstede.idv", "gci2020.score", 0.5, 0.0001)]])
    return cp.plot_correlation_heatmap(corr).figure


def _scatter():
    return cp.plot_scatter(_panel(), "hofstede.pdi", "gci2020.score", highlight=["EST"], adjust_iterations=40).figure


def _added_variable():
    p = _panel()
    fit = sm.OLS(p["gci2020.score"], sm.add_constant(p[["hofstede.pdi", "wdi.log_gdppc_ppp"]])).fit()
    res = SimpleNamespace(fit=fit, outcome="gci2020.score", data_used=p)
    return cp.plot_added_variable(res, "hofstede.pdi", max_labels=4, adjust_iterations=40).figure


def _groups():
    return cp.plot_groups(_panel(), "gci2020.score", "eiu.regime").figure


def _hierarchy():
    steps = pd.DataFrame(dict(step=[1, 2], block=["development", "culture"], added=["wdi.log_gdppc_ppp", "hofstede.pdi"],
                              n=81, r2=[0.4, 0.5], adj_r2=[0.39, 0.48], delta_r2=[0.4, 0.1], f_change=[50, 9],
                              df1=[1, 1], df2=[79, 78], p_value=[1e-8, 0.003]))
    return cp.plot_hierarchy(steps).figure


def _performers():
    perf = pd.DataFrame(dict(iso3=["EST", "PAN", "FIN"], country=["Estonia", "Panama", "Finland"],
                             observed=[99.5, 34.0, 95.0], predicted=[70.0, 75.0, 90.0], pi_low=[50.0, 55.0, 70.0],
                             pi_high=[90.0, 95.0, 110.0], residual=[29.5, -41.0, 5.0], std_residual=[2.0, -2.7, 0.3],
                             status=["over-performer", "under-performer", "as expected"]))
    return cp.plot_performers(perf, outcome="gci2020.score").figure


BUILDERS = {"drivers": _drivers, "drivers_grid": _grid, "heatmap": _heatmap, "scatter": _scatter,
            "added_variable": _added_variable, "groups": _groups, "hierarchy": _hierarchy,
            "performers": _performers}


def _build_and_save(builder, folder, style="paper", formats=("svg", "pdf", "png"), dpi=100):
    with cp.style(style):
        fig = builder()
        paths = cp.save_figure(fig, folder / "figure", formats=formats, dpi=dpi)
    plt.close(fig)
    return paths


@pytest.mark.parametrize("name", list(BUILDERS))
def test_building_twice_gives_identical_bytes(tmp_path, name):
    # SVG and PNG of every figure (PDF font subsetting is slow: the PDF is
    # checked on the slides grid below, which has the most text).
    formats = ("svg", "png")
    first = _build_and_save(BUILDERS[name], tmp_path / "a", formats=formats, dpi=60)
    second = _build_and_save(BUILDERS[name], tmp_path / "b", formats=formats, dpi=60)
    assert [p.suffix for p in first] == [f".{f}" for f in formats]
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes(), f"{name}: {a.suffix} differs between builds"


def test_slides_build_is_identical_in_all_three_formats(tmp_path):
    first = _build_and_save(_grid, tmp_path / "a", "slides")
    second = _build_and_save(_grid, tmp_path / "b", "slides")
    assert [p.suffix for p in first] == [".svg", ".pdf", ".png"]
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes(), f"{a.suffix} differs between builds"


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """SVG, PDF and PNG bytes of one driver figure."""
    folder = tmp_path_factory.mktemp("saved")
    with cp.style("paper"):
        fig = _drivers()
        paths = cp.save_figure(fig, folder / "drivers", dpi=100)
    plt.close(fig)
    return [p.read_bytes() for p in paths]


def _pdf_text(data: bytes) -> bytes:
    """The PDF with its compressed streams inflated, to search for fonts and stamps."""
    out = [data]
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            out.append(zlib.decompress(m.group(1)))
        except zlib.error:
            pass
    return b"\n".join(out)


def test_files_carry_no_dates_or_software_stamps(saved):
    svg, pdf, png = saved
    version = matplotlib.__version__.encode()
    for data in (svg, pdf, png):
        assert b"Matplotlib v" not in data and b"matplotlib.org" not in data and version not in data
    assert b"<dc:date>" not in svg and b"<dc:creator>" not in svg
    for key in (b"/CreationDate", b"/ModDate", b"/Producer", b"/Creator"):
        assert key not in pdf
    assert not re.search(rb"D:\d{8}", pdf)
    assert b"tEXtSoftware" not in png and b"tIMEt" not in png and b"tIME" not in png[:200]


def test_svg_keeps_text_as_text_and_pdf_embeds_truetype(saved):
    svg, pdf, _ = saved
    texts = re.findall(rb"<text[^>]*>(.*?)</text>", svg, re.S)
    assert texts, "no <text> elements: text was converted to paths"
    joined = b" ".join(texts).decode()
    for lab in (label("hofstede.pdi"), label("gci2020.score"), "Culture", "Driver"):
        assert lab in joined
    assert "hofstede.pdi" not in joined
    # pdf.fonttype 42: TrueType outlines (FontFile2), as a CID font; no Type 3 bitmaps/procedures
    inflated = _pdf_text(pdf)
    assert b"/FontFile2" in inflated
    assert b"/CIDFontType2" in inflated or b"/TrueType" in inflated
    assert b"/Type3" not in inflated


def test_save_figure_paths_and_errors(tmp_path):
    fig, ax = plt.subplots()
    ax.set_xlabel("Power distance (index)")
    paths = cp.save_figure(fig, tmp_path / "deep" / "folder" / "fig.svg", formats=("png", "svg"))
    assert paths == [tmp_path / "deep" / "folder" / "fig.png", tmp_path / "deep" / "folder" / "fig.svg"]
    assert all(p.is_file() for p in paths)
    # reproducibility settings apply even outside a style block
    assert b"<text" in paths[1].read_bytes()
    with pytest.raises(ValueError, match="valid: svg, pdf, png"):
        cp.save_figure(fig, tmp_path / "x", formats=("jpg",))
    with pytest.raises(TypeError, match="ax.figure"):
        cp.save_figure(ax, tmp_path / "x")
