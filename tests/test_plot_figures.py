"""Companion figures: heatmap, scatter, added-variable, groups, hierarchy, performers.

Each test checks what the figure shows (cells, stars, slopes, ticks, bars,
interval ends), not pixels.
"""
from types import SimpleNamespace

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from matplotlib.colors import to_rgba
from matplotlib.container import ErrorbarContainer

import cybercult.plot as cp
from cybercult.data.catalogue import get_variable, label
from cybercult.plot.correlation import significance_stars
from cybercult.plot.style import NEUTRAL, STATUS_PALETTE

COUNTRIES = {
    "EST": "Estonia", "DEU": "Germany", "FIN": "Finland", "USA": "United States", "BRA": "Brazil",
    "IND": "India", "CHN": "China", "MEX": "Mexico", "NGA": "Nigeria", "PER": "Peru", "JPN": "Japan",
    "ZAF": "South Africa", "TUR": "Turkiye", "ARG": "Argentina", "VNM": "Vietnam", "PAN": "Panama",
}


@pytest.fixture
def panel():
    rng = np.random.default_rng(7)
    iso = list(COUNTRIES)
    n = len(iso)
    pdi = rng.uniform(15, 100, n)
    idv = 100 - pdi + rng.normal(0, 12, n)
    gdp = rng.uniform(7.5, 11.5, n)
    gci = np.clip(20 + 6 * gdp - 0.15 * pdi + rng.normal(0, 8, n), 0, 100)
    regime = np.array([3, 3, 3, 2, 2, 2, 0, 1, 1, 2, 3, 2, 1, 2, 0, 2], dtype=float)
    return pd.DataFrame({"country": [COUNTRIES[i] for i in iso], "hofstede.pdi": pdi, "hofstede.idv": idv,
                         "wdi.log_gdppc_ppp": gdp, "gci2020.score": gci, "eiu.regime": regime},
                        index=pd.Index(iso, name="iso3"))


# --------------------------------------------------------------------------- heatmap
def _corr_table():
    rows = []
    vals = {("hofstede.pdi", "gci2020.score"): (-0.28, 0.02, 0.08), ("hofstede.pdi", "gci2020.legal"): (-0.25, 0.04, 0.12),
            ("hofstede.idv", "gci2020.score"): (0.54, 1e-5, 6e-5), ("hofstede.idv", "gci2020.legal"): (0.48, 4e-4, 0.002),
            ("wdi.log_gdppc_ppp", "gci2020.score"): (0.50, 2e-4, 0.009), ("wdi.log_gdppc_ppp", "gci2020.legal"): (0.45, 8e-4, 0.03)}
    for (x, y), (r, p, padj) in vals.items():
        rows.append(dict(x=x, y=y, method="pearson", n=67, r=r, ci_low=r - 0.2, ci_high=r + 0.2, p_value=p, p_adj=padj))
    return pd.DataFrame(rows)


def test_heatmap_cells_values_and_stars():
    corr = _corr_table()
    ax = cp.plot_correlation_heatmap(corr)
    cells = [t for t in ax.texts if t.get_gid() == "cell-label"]
    assert len(cells) == len(corr)
    rows = [label(v) for v in dict.fromkeys(corr["x"])]
    cols = [label(v) for v in dict.fromkeys(corr["y"])]
    assert [t.get_text().replace("\n", " ") for t in ax.get_yticklabels()] == rows
    assert [t.get_text().replace("\n", " ") for t in ax.get_xticklabels()] == cols
    by_pos = {(round(t.get_position()[1] - 0.5), round(t.get_position()[0] - 0.5)): t.get_text() for t in cells}
    mesh = ax.collections[0]
    values = np.asarray(mesh.get_array()).reshape(len(rows), len(cols))
    for row in corr.itertuples():
        i, j = rows.index(label(row.x)), cols.index(label(row.y))
        text = by_pos[(i, j)]
        stars = "*" * sum(row.p_adj < lvl for lvl in (0.05, 0.01, 0.001))
        assert text == f"{row.r:.2f}".replace("-", "\u2212") + stars
        assert text.endswith("*") == (row.p_adj < 0.05)
        assert values[i, j] == pytest.approx(row.r)
    assert mesh.norm.vmin == -1 and mesh.norm.vmax == 1
    assert "adjusted p < .05" in ax.get_xlabel()


def test_heatmap_all_pairs_shows_lower_triangle_and_optional_stars():
    ids = ["hofstede.pdi", "hofstede.idv", "hofstede.uai", "wdi.log_gdppc_ppp"]
    rows = [dict(x=a, y=b, method="spearman", n=60, r=0.1 * (i + j) - 0.3, p_value=0.001, p_adj=0.004)
            for i, a in enumerate(ids) for j, b in enumerate(ids) if i < j]
    corr = pd.DataFrame(rows)
    ax = cp.plot_correlation_heatmap(corr, sig=None, colorbar=False)
    cells = [t for t in ax.texts if t.get_gid() == "cell-label"]
    assert len(cells) == len(ids) * (len(ids) - 1) // 2
    assert not any("*" in t.get_text() for t in cells)
    assert len(ax.get_yticks()) == len(ids) - 1
    cp.plot_correlation_heatmap(corr)  # with a colour bar labelled from the method
    assert plt.gcf().axes[-1].get_ylabel() == "Spearman \u03c1"


def test_significance_stars_levels():
    assert [significance_stars(p) for p in (0.2, 0.049, 0.009, 0.0009, np.nan)] == ["", "*", "**", "***", ""]
    assert significance_stars(0.0009, alpha=0.01) == "**"


def test_heatmap_needs_its_columns():
    with pytest.raises(ValueError, match="p_adj"):
        cp.plot_correlation_heatmap(_corr_table().drop(columns="p_adj"))


# --------------------------------------------------------------------------- scatter
def test_scatter_fit_line_points_and_labels(panel):
    ax = cp.plot_scatter(panel, "hofstede.pdi", "gci2020.score", highlight=["EST"], max_labels=3,
                         adjust_iterations=50)
    pts = ax.collections[0].get_offsets()
    assert len(pts) == len(panel)
    line = next(ln for ln in ax.lines if ln.get_gid() == "fit-line")
    xs, ys = line.get_data()
    slope = np.polyfit(panel["hofstede.pdi"], panel["gci2020.score"], 1)[0]
    assert (ys[-1] - ys[0]) / (xs[-1] - xs[0]) == pytest.approx(slope, rel=1e-9)
    band = next(c for c in ax.collections if c.get_gid() == "fit-band")
    assert band is not None
    assert ax.get_xlabel() == label("hofstede.pdi", unit=True)
    assert ax.get_ylabel().replace("\n", " ") == label("gci2020.score", unit=True)
    names = [t.get_text() for t in ax.texts if t.get_gid() == "point-label"]
    assert len(names) == 4 and "Estonia" in names
    colours = ax.collections[0].get_facecolors()
    est = list(panel.index).index("EST")
    assert to_rgba(colours[est], 1)[:3] == to_rgba(NEUTRAL["highlight"])[:3]
    stats = next(t for t in ax.texts if t.get_gid() == "stats").get_text()
    assert stats.startswith("r = ") and stats.endswith(f"n = {len(panel)}")


def test_scatter_drops_missing_rows_and_labels_all_by_default(panel):
    panel = panel.copy()
    panel.loc["PER", "hofstede.pdi"] = np.nan
    ax = cp.plot_scatter(panel.iloc[:8], "hofstede.pdi", "gci2020.score", fit=False, adjust_iterations=20)
    assert len(ax.collections[0].get_offsets()) == 8
    assert len([t for t in ax.texts if t.get_gid() == "point-label"]) == 8
    assert not [ln for ln in ax.lines if ln.get_gid() == "fit-line"]


def test_scatter_labels_are_placed_identically_every_time(panel):
    def positions():
        ax = cp.plot_scatter(panel, "hofstede.pdi", "gci2020.score", adjust_iterations=30)
        out = [t.get_position() for t in ax.texts if t.get_gid() == "point-label"]
        plt.close(ax.figure)
        return out
    assert positions() == positions()


def test_scatter_errors_name_the_argument(panel):
    with pytest.raises(ValueError, match="x='hofstede.pdx'.*valid:"):
        cp.plot_scatter(panel, "hofstede.pdx", "gci2020.score")
    with pytest.raises(ValueError, match="at least 3"):
        cp.plot_scatter(panel.iloc[:2], "hofstede.pdi", "gci2020.score")


# --------------------------------------------------------------------------- added-variable
def _model(panel):
    used = panel[["gci2020.score", "hofstede.pdi", "hofstede.idv", "wdi.log_gdppc_ppp", "country"]]
    X = sm.add_constant(used[["hofstede.pdi", "hofstede.idv", "wdi.log_gdppc_ppp"]])
    fit = sm.OLS(used["gci2020.score"], X).fit()
    return SimpleNamespace(fit=fit, outcome="gci2020.score", data_used=used)


@pytest.mark.parametrize("term", ["hofstede.pdi", "wdi.log_gdppc_ppp"])
def test_added_variable_slope_equals_the_coefficient(panel, term):
    res = _model(panel)
    ax = cp.plot_added_variable(res, term, max_labels=3, adjust_iterations=20)
    coef = res.fit.params[term]
    line = next(ln for ln in ax.lines if ln.get_gid() == "av-line")
    xs, ys = line.get_data()
    assert (ys[-1] - ys[0]) / (xs[-1] - xs[0]) == pytest.approx(coef, rel=1e-9)
    ex, ey = ax.collections[0].get_offsets().T
    assert np.polyfit(ex, ey, 1)[0] == pytest.approx(coef, rel=1e-8)  # Frisch-Waugh-Lovell
    assert np.mean(ex) == pytest.approx(0, abs=1e-8)
    assert ax.get_xlabel() == f"{label(term, unit=True)} | other predictors"
    assert label("gci2020.score") in ax.get_ylabel().replace("\n", " ")
    names = {t.get_text() for t in ax.texts if t.get_gid() == "point-label"}
    assert len(names) == 3 and names <= set(COUNTRIES.values())


def test_added_variable_rejects_unknown_terms(panel):
    with pytest.raises(ValueError, match="valid: hofstede.pdi, hofstede.idv, wdi.log_gdppc_ppp"):
        cp.plot_added_variable(_model(panel), "const")


# --------------------------------------------------------------------------- groups
def test_groups_ticks_from_catalogue_levels_with_n(panel):
    ax = cp.plot_groups(panel, "gci2020.score", "eiu.regime")
    levels = dict(get_variable("eiu.regime").levels)
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    counts = panel["eiu.regime"].value_counts()
    expected = [f"{levels[c]} (n = {counts[float(c)]})" for c in sorted(levels) if float(c) in counts]
    assert [t.replace("\n", " ") for t in ticks] == expected
    boxes = [p for p in ax.patches if p.get_gid() == "group-box"]
    medians = [ln for ln in ax.lines if ln.get_gid() == "group-median"]
    big = sum(counts >= 8)  # a box only for groups of 8 or more countries (min_box)
    assert len(boxes) == big and len(medians) == len(expected) - big
    pts = [c for c in ax.collections if c.get_gid() == "group-points"]
    assert sum(len(c.get_offsets()) for c in pts) == len(panel)
    assert ax.get_xlabel() == label("eiu.regime")
    assert ax.get_ylabel().replace("\n", " ") == label("gci2020.score", unit=True)


def test_groups_order_and_reproducible_jitter(panel):
    def offsets(**kw):
        ax = cp.plot_groups(panel, "gci2020.score", "eiu.regime", **kw)
        out = np.concatenate([c.get_offsets() for c in ax.collections if c.get_gid() == "group-points"])
        ticks = [t.get_text().split("\n")[0] for t in ax.get_xticklabels()]
        plt.close(ax.figure)
        return out, ticks
    a, _ = offsets()
    b, _ = offsets()
    np.testing.assert_array_equal(a, b)
    _, ticks = offsets(order=[3, 0])
    assert ticks == ["Full democracy", "Authoritarian"]
    with pytest.raises(ValueError, match="order has group"):
        cp.plot_groups(panel, "gci2020.score", "eiu.regime", order=[7])


def test_groups_without_catalogue_levels_use_the_values(panel):
    d = panel.assign(custom=np.where(panel["hofstede.pdi"] > 50, "high", "low"))
    ax = cp.plot_groups(d, "gci2020.score", "custom", points=False)
    assert [t.get_text().split("\n")[0] for t in ax.get_xticklabels()] == ["high", "low"]


# --------------------------------------------------------------------------- hierarchy
def _steps():
    return pd.DataFrame(dict(
        step=[1, 2, 3, 4], block=["development", "politics", "military", "culture"],
        added=[["wdi.log_gdppc_ppp", "wdi_net.internet"], ["eiu.democracy", "wgi.ge"], ["sipri.milex_gdp"],
               ["hofstede.pdi", "hofstede.idv", "hofstede.uai"]],
        n=81, r2=[0.41, 0.52, 0.53, 0.61], adj_r2=[0.40, 0.49, 0.50, 0.56], delta_r2=[0.41, 0.11, 0.01, 0.08],
        f_change=[27.0, 8.6, 0.9, 5.2], df1=[2, 2, 1, 3], df2=[78, 76, 75, 72],
        p_value=[1e-9, 0.0004, 0.35, 0.0026]))


def test_hierarchy_bars_are_delta_r2_up_to_cumulative_r2():
    steps = _steps()
    ax = cp.plot_hierarchy(steps)
    bars = [p for p in ax.patches if p.get_gid() == "delta-r2"]
    assert len(bars) == len(steps)
    for bar, row in zip(bars, steps.itertuples()):
        assert bar.get_height() == pytest.approx(row.delta_r2)
        assert bar.get_y() + bar.get_height() == pytest.approx(row.r2)
        assert to_rgba(bar.get_facecolor()) == to_rgba(NEUTRAL["band"] if row.p_value < 0.05 else NEUTRAL["pale"])
    labels = [t.get_text() for t in ax.texts if t.get_gid() == "step-label"]
    assert labels[0] == "R\u00b2 = .41\n\u0394R\u00b2 = +.41\np < .001"
    assert labels[2].endswith("p = .35")
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        "Development\n(+2 variables)", "Politics\n(+2 variables)", "Military\n(+1 variable)",
        "Culture\n(+3 variables)"]
    assert "n = 81 countries" in ax.get_xlabel()


# --------------------------------------------------------------------------- performers
def _perf():
    rng = np.random.default_rng(3)
    iso = list(COUNTRIES)
    pred = rng.uniform(40, 90, len(iso))
    obs = pred + np.array([30, -35, 25, -28, 4, 2, -3, 27, -31, 1, 0, -2, 3, 22, -1, -40])
    return pd.DataFrame(dict(iso3=iso, country=[COUNTRIES[i] for i in iso], observed=obs, predicted=pred,
                             pi_low=pred - 20, pi_high=pred + 20, residual=obs - pred, std_residual=(obs - pred) / 15,
                             status=np.where(obs > pred + 20, "over-performer",
                                             np.where(obs < pred - 20, "under-performer", "as expected"))))


def test_performers_rows_intervals_and_colours():
    perf = _perf()
    ax = cp.plot_performers(perf, top=3, outcome="gci2020.score")
    names = [t.get_text() for t in ax.get_yticklabels()]
    over = perf[perf.status == "over-performer"].sort_values("residual", ascending=False).head(3)
    under = perf[perf.status == "under-performer"].sort_values("residual").head(3).iloc[::-1]
    assert names == list(over["country"]) + list(under["country"])
    shown = pd.concat([over, under]).reset_index(drop=True)
    eb = next(c for c in ax.containers if isinstance(c, ErrorbarContainer))
    segs = eb.lines[2][0].get_segments()
    assert len(segs) == len(shown)
    for seg, row in zip(segs, shown.itertuples()):
        (x0, y0), (x1, y1) = seg
        assert (x0, x1) == pytest.approx((row.pi_low, row.pi_high))
        assert names[int(y0)] == row.country
    for st in ("over-performer", "under-performer"):
        pts = next(c for c in ax.collections if c.get_gid() == st)
        assert to_rgba(pts.get_facecolors()[0]) == to_rgba(STATUS_PALETTE[st])
        assert len(pts.get_offsets()) == 3
        np.testing.assert_allclose(sorted(pts.get_offsets()[:, 0]),
                                   sorted(shown.loc[shown.status == st, "observed"]))
    assert ax.get_xlabel() == label("gci2020.score", unit=True)


def test_performers_rejects_unknown_status():
    with pytest.raises(ValueError, match="unknown status"):
        cp.plot_performers(_perf().assign(status="great"))


def test_performers_with_only_under_performers_shows_only_real_rows():
    import pandas as pd

    from cybercult.plot.performers import select_performers

    perf = pd.DataFrame({"iso3": ["AAA", "BBB", "CCC"], "country": ["A", "B", "C"],
                         "observed": [10.0, 50.0, 60.0], "predicted": [40.0, 50.0, 58.0],
                         "pi_low": [15.0, 20.0, 30.0], "pi_high": [65.0, 80.0, 86.0],
                         "residual": [-30.0, 0.0, 2.0], "std_residual": [-2.5, 0.0, 0.2],
                         "status": ["under-performer", "as expected", "as expected"]})
    shown = select_performers(perf)
    assert shown["iso3"].tolist() == ["AAA"]


# --------------------------------------------------------------------------- issue 14 fixes
def test_groups_small_groups_show_points_and_median_and_the_test_result(panel):
    from scipy import stats

    res = cc_compare_groups(panel)
    ax = cp.plot_groups(panel, "gci2020.score", "eiu.regime", omnibus=res, min_box=5)
    d = panel.dropna(subset=["eiu.regime"])
    sizes = d.groupby("eiu.regime")["gci2020.score"].size()
    boxes = [p for p in ax.patches if p.get_gid() == "group-box"]
    assert len(boxes) == int((sizes >= 5).sum())
    medians = sorted(ln.get_ydata()[0] for ln in ax.lines if ln.get_gid() == "group-median")
    small = [g for g, k in sizes.items() if k < 5]
    assert medians == pytest.approx(sorted(d.loc[d["eiu.regime"] == g, "gci2020.score"].median() for g in small))
    h, p = stats.kruskal(*[grp.to_numpy() for _, grp in d.groupby("eiu.regime")["gci2020.score"]])
    text = next(t.get_text() for t in ax.texts if t.get_gid() == "stats")
    assert text.startswith(f"Kruskal-Wallis H({len(sizes) - 1}) = {h:.2f}")
    assert f"n = {len(d)}" in text
    lo, hi = ax.get_ylim()
    assert hi <= 100  # a 0-100 score never gets an axis above 100


def cc_compare_groups(panel):
    from cybercult.stats import compare_groups

    return compare_groups(panel, "gci2020.score", "eiu.regime")


def test_scatter_axis_and_band_stay_within_the_score_range(panel):
    d = panel.copy()
    d.loc[d.index[:3], "gci2020.score"] = 100.0  # a ceiling, as in the real GCI
    ax = cp.plot_scatter(d, "wdi.log_gdppc_ppp", "gci2020.score")
    assert ax.get_ylim()[1] == 100
    band = next(c for c in ax.collections if c.get_gid() == "fit-band")
    ys = np.concatenate([p.vertices[:, 1] for p in band.get_paths()])
    assert ys.max() <= 100 + 1e-9 and ys.min() >= 0
    line = next(ln for ln in ax.lines if ln.get_gid() == "fit-line")
    assert np.nanmax(line.get_ydata()) <= 100


def test_scatter_labels_never_cover_their_own_point(panel):
    ax = cp.plot_scatter(panel, "hofstede.pdi", "gci2020.score")
    fig = ax.figure
    fig.draw_without_rendering()
    r = fig.canvas.get_renderer()
    labels = [t for t in ax.texts if t.get_gid() == "point-label"]
    assert len(labels) == len(panel)
    pos = {c: ax.transData.transform((x, y)) for c, x, y in
           zip(panel["country"], panel["hofstede.pdi"], panel["gci2020.score"])}
    for t in labels:
        bb = t.get_window_extent(r)
        px, py = pos[t.get_text()]
        assert not (bb.x0 <= px <= bb.x1 and bb.y0 <= py <= bb.y1), t.get_text()


def test_added_variable_states_raw_slope_and_standardized_beta(panel):
    import cybercult as cc

    res = cc.regress(panel, "gci2020.score", ["hofstede.pdi", "wdi.log_gdppc_ppp"])
    ax = cp.plot_added_variable(res, "hofstede.pdi", label=False)
    text = next(t.get_text() for t in ax.texts if t.get_gid() == "stats")
    row = res.table.set_index("term").loc["hofstede.pdi"]
    z = (panel - panel.mean(numeric_only=True)) / panel.std(numeric_only=True)
    beta_ref = sm.OLS(z["gci2020.score"], sm.add_constant(z[["hofstede.pdi", "wdi.log_gdppc_ppp"]])).fit().params[
        "hofstede.pdi"]
    assert row["beta"] == pytest.approx(beta_ref)
    fmt = lambda x, k: f"{x:.{k}f}".replace("-", "\u2212")  # noqa: E731
    assert f"slope = {fmt(row['estimate'], 3)} (raw units)" in text
    assert f"\u03b2 = {fmt(beta_ref, 2)} (standardized)" in text


def test_hierarchy_colours_by_robust_test_and_shows_both():
    steps = _steps().assign(p_value_robust=[1e-6, 0.2, 0.5, 0.11])
    ax = cp.plot_hierarchy(steps, outcome="gci2020.score")
    bars = [p for p in ax.patches if p.get_gid() == "delta-r2"]
    for bar, row in zip(bars, steps.itertuples()):
        assert to_rgba(bar.get_facecolor()) == to_rgba(NEUTRAL["band"] if row.p_value_robust < 0.05 else NEUTRAL["pale"])
    labels = [t.get_text() for t in ax.texts if t.get_gid() == "step-label"]
    assert labels[3].endswith("robust p = .11\nF-change p = .003")
    assert [t.get_text() for t in ax.get_legend().get_texts()][0] == "block adds (robust Wald test p < .05)"
    assert label("gci2020.score") in ax.get_ylabel().replace("\n", " ")
    classic = cp.plot_hierarchy(steps, test="classical")
    bars = [p for p in classic.patches if p.get_gid() == "delta-r2"]
    assert to_rgba(bars[3].get_facecolor()) == to_rgba(NEUTRAL["band"])  # p = .0026 by the F change


def test_performers_few_flagged_are_shown_with_the_closest_others():
    perf = _perf()
    perf["status"] = "as expected"
    perf.loc[1, "status"] = "under-performer"
    ax = cp.plot_performers(perf, outcome="gci2020.score", min_rows=4, alpha=0.1)
    names = [t.get_text() for t in ax.get_yticklabels()]
    rest = perf[perf.status == "as expected"].assign(a=lambda d: d.std_residual.abs())
    assert names == [perf.loc[1, "country"]] + list(rest.sort_values("a", ascending=False)["country"].head(3))
    # the segment runs from the interval's end to the observed score, not over the interval
    seg = next(ln for ln in ax.lines if ln.get_gid() == "shift")
    assert sorted(seg.get_xdata()) == pytest.approx(sorted([perf.loc[1, "pi_low"], perf.loc[1, "observed"]]))
    assert any("90% prediction interval" in t.get_text() for t in ax.get_legend().get_texts())


def test_heatmap_numbered_columns_on_a_slide_and_n():
    vars_ = ["gci2020.score", "wdi.log_gdppc_ppp", "eiu.democracy", "sipri.milex_gdp", "wdi_af.per1000",
             "hofstede.pdi", "hofstede.idv", "hofstede.mas", "hofstede.uai"]
    rows = [dict(x=a, y=b, method="pearson", n=60 + i % 3, r=0.1, p_value=0.5, p_adj=0.5)
            for i, (a, b) in enumerate((a, b) for k, a in enumerate(vars_) for b in vars_[k + 1:])]
    with cp.style("slides"):
        ax = cp.plot_correlation_heatmap(pd.DataFrame(rows))
        cols = [t.get_text() for t in ax.get_xticklabels()]
        assert cols == [f"({k})" for k in range(1, 9)]
        assert all(t.get_rotation() == 0 for t in ax.get_xticklabels())
        ylab = [t.get_text() for t in ax.get_yticklabels()]
        assert ylab[0].endswith("(2)") and label("wdi.log_gdppc_ppp") in ylab[0].replace("\n", " ")
        assert "(1) " + label("gci2020.score") in ax.get_xlabel()
        assert "n = 60\u201362 countries" in ax.get_xlabel()


def test_user_variable_labels_travel_with_the_data(tmp_path):
    """A researcher's column header labels the axis; nothing leaks into the next, unrelated plot."""
    import cybercult as cc

    f = tmp_path / "mine.csv"
    f.write_text("country,My index (points)\nDenmark,3\nFrance,2\nJapan,1\nBrazil,0.5\nChile,1.1\n")
    panel = cc.build_panel(["gci2020.score"], extra=[str(f)], sample="outcome")
    var = next(v for v in panel.variables if v.startswith("user.mine."))
    ax = cp.plot_scatter(panel.data, var, "gci2020.score")
    assert ax.get_xlabel().startswith("My index")
    plain = panel.data[["country", var, "gci2020.score"]].copy()
    plain.attrs = {}
    ax2 = cp.plot_scatter(plain, var, "gci2020.score")
    assert ax2.get_xlabel().startswith(var)  # without the panel's metadata: the id, never a stale label


def test_bands_follow_alpha_and_ci_is_deprecated(panel):
    """alpha everywhere: the added-variable band is the 1 - alpha interval of the slope; ci= still works, warned."""
    from scipy import stats as st

    import cybercult as cc

    x = ["hofstede.pdi", "hofstede.idv"]
    model = cc.regress(panel, "gci2020.score", x)
    ax = cp.plot_added_variable(model, "hofstede.idv", alpha=0.1)
    band = next(c for c in ax.collections if c.get_gid() == "av-band")
    v = band.get_paths()[0].vertices
    edge = v[np.isclose(np.abs(v[:, 0]), np.abs(v[:, 0]).max())]
    half = (edge[:, 1].max() - edge[:, 1].min()) / 2
    fit = model.fit
    j = list(fit.params.index).index("hofstede.idv")
    expected = st.t.ppf(0.95, fit.df_resid) * fit.bse.iloc[j] * np.abs(v[:, 0]).max()
    assert half == pytest.approx(expected, rel=1e-9)
    with pytest.warns(DeprecationWarning, match="ci= is deprecated"):
        ax2 = cp.plot_added_variable(model, "hofstede.idv", ci=0.9)
    v2 = next(c for c in ax2.collections if c.get_gid() == "av-band").get_paths()[0].vertices
    np.testing.assert_allclose(v2, v)
    with pytest.raises(TypeError, match="both ci= and alpha="):
        cp.plot_scatter(panel, "hofstede.pdi", "gci2020.score", alpha=0.1, ci=0.9)


def test_group_jitter_comes_from_rng_and_seed_is_deprecated(panel):
    """rng everywhere: the jitter of plot_groups is the generator's uniform draws; seed= still works, warned."""
    def offsets(ax):
        pts = next(c for c in ax.collections if c.get_offsets().shape[0] > 5).get_offsets()
        return np.asarray(pts)

    a = offsets(cp.plot_groups(panel, "gci2020.score", "eiu.regime", rng=7))
    b = offsets(cp.plot_groups(panel, "gci2020.score", "eiu.regime", rng=np.random.default_rng(7)))
    c = offsets(cp.plot_groups(panel, "gci2020.score", "eiu.regime", rng=8))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a[:, 0], c[:, 0]) and np.array_equal(np.sort(a[:, 1]), np.sort(c[:, 1]))
    with pytest.warns(DeprecationWarning, match="seed= is deprecated"):
        d = offsets(cp.plot_groups(panel, "gci2020.score", "eiu.regime", seed=7))
    np.testing.assert_array_equal(a, d)
    with pytest.raises(TypeError, match="both seed= and rng="):
        cp.plot_groups(panel, "gci2020.score", "eiu.regime", rng=1, seed=2)
