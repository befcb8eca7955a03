"""The driver/blocker figure shows one row per factor, CIs from the table, colours by role."""
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_rgba
from matplotlib.container import ErrorbarContainer

import cybercult.plot as cp
from cybercult.data.catalogue import label
from cybercult.plot.style import ROLE_LABELS

ROWS = [  # factor, block, estimate, half-width, role
    ("hofstede.pdi", "culture", -0.31, 0.18, "blocker"),
    ("hofstede.idv", "culture", 0.27, 0.20, "driver"),
    ("hofstede.uai", "culture", -0.06, 0.19, "no clear effect"),
    ("globe.institutional_collectivism_practices", "culture", 0.08, 0.23, "no clear effect"),
    ("wgi.ge", "politics", 0.46, 0.19, "driver"),
    ("wgi.pv", "politics", 0.05, 0.19, "no clear effect"),
    ("wdi_af.per1000", "military", -0.19, 0.16, "blocker"),
    ("wdi.log_gdppc_ppp", "development", 0.52, 0.18, "driver"),
]


def make_verdict(rows=ROWS, outcome="gci2020.score", n=81, shift=0.0):
    out = []
    for f, b, est, hw, role in rows:
        est = est + shift
        out.append(dict(factor=f, label=label(f), block=b, role=role, estimate=est, ci_low=est - hw,
                        ci_high=est + hw, p_value=0.01, p_adj=0.03, n=n, evidence="", outcome=outcome))
    return pd.DataFrame(out)


def _tick_texts(ax):
    return [t.get_text().replace("\n", " ") for t in ax.get_yticklabels()]


def _containers(ax):
    return [c for c in ax.containers if isinstance(c, ErrorbarContainer)]


def _row_y(ax):
    """Factor label -> y position of its row."""
    return dict(zip(_tick_texts(ax), ax.get_yticks()))


def _inside_figure(fig, artists, tol=1.0):
    fig.draw_without_rendering()
    r = fig.canvas.get_renderer()
    fb = fig.bbox
    bad = []
    for a in artists:
        if not a.get_visible() or (hasattr(a, "get_text") and not a.get_text()):
            continue
        bb = a.get_window_extent(r)
        if bb.x0 < fb.x0 - tol or bb.y0 < fb.y0 - tol or bb.x1 > fb.x1 + tol or bb.y1 > fb.y1 + tol:
            bad.append(a.get_text() if hasattr(a, "get_text") else a)
    return bad


def test_one_row_per_factor_labelled_from_the_catalogue():
    v = make_verdict()
    with cp.style("paper"):
        ax = cp.plot_drivers(v)
    assert len(ax.get_yticks()) == len(v)
    assert _tick_texts(ax) == [label(f) for f in v["factor"]]
    assert not set(_tick_texts(ax)) & set(v["factor"])  # never raw ids


def test_labels_come_from_catalogue_without_label_column():
    v = make_verdict().drop(columns="label")
    ax = cp.plot_drivers(v)
    assert _tick_texts(ax) == [label(f) for f in v["factor"]]
    assert "Power distance" in _tick_texts(ax)


def test_rows_grouped_by_block_in_data_order():
    v = make_verdict()
    # Interleave blocks: rows must still be grouped, blocks in order of first appearance.
    v = v.iloc[[0, 4, 1, 7, 2, 6, 3, 5]].reset_index(drop=True)
    ax = cp.plot_drivers(v)
    y = _row_y(ax)
    order = sorted(y, key=y.get)  # top to bottom (y axis is inverted)
    expected = [label(f) for b in ["culture", "politics", "development", "military"]
                for f in v.loc[v["block"] == b, "factor"]]
    assert order == expected
    assert ax.yaxis_inverted()
    headings = [t.get_text() for t in ax.texts if t.get_gid() == "block-heading"]
    assert headings == ["Culture", "Politics", "Development", "Military"]


def test_markers_coloured_by_role():
    v = make_verdict()
    ax = cp.plot_drivers(v)
    cons = _containers(ax)
    assert len(cons) == v["role"].nunique()
    y = _row_y(ax)
    seen = set()
    for c in cons:
        line = c.lines[0]
        colour = to_rgba(line.get_markerfacecolor())
        ys = line.get_ydata()
        roles = {v.loc[v["factor"].map(label).map(y) == yy, "role"].item() for yy in ys}
        assert len(roles) == 1
        role = roles.pop()
        seen.add(role)
        assert colour == to_rgba(cp.PALETTE[role])
        assert to_rgba(c.lines[2][0].get_color()[0]) == to_rgba(cp.PALETTE[role])  # the CI line too
    assert seen == set(v["role"])


def test_error_bars_match_the_confidence_intervals():
    v = make_verdict()
    ax = cp.plot_drivers(v)
    y = _row_y(ax)
    got = {}
    for c in _containers(ax):
        for seg in c.lines[2][0].get_segments():
            (x0, y0), (x1, y1) = seg
            assert y0 == y1
            got[y0] = (x0, x1)
    assert len(got) == len(v)
    for row in v.itertuples():
        lo, hi = got[y[label(row.factor)]]
        assert lo == pytest.approx(row.ci_low)
        assert hi == pytest.approx(row.ci_high)
    # markers sit at the estimates
    est = {yy: xx for c in _containers(ax) for xx, yy in zip(*c.lines[0].get_data())}
    for row in v.itertuples():
        assert est[y[label(row.factor)]] == pytest.approx(row.estimate)


def test_zero_line_legend_caption_and_title():
    v = make_verdict()
    ax = cp.plot_drivers(v)
    zero = [ln for ln in ax.lines if ln.get_gid() == "zero-line"]
    assert len(zero) == 1 and list(zero[0].get_xdata()) == [0, 0]
    lo, hi = ax.get_xlim()
    assert lo < 0 < hi
    legend = ax.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["Driver", "Blocker", "No clear effect"]
    for handle, role in zip(legend.legend_handles, cp.ROLE_ORDER):
        assert to_rgba(handle.get_markerfacecolor()) == to_rgba(cp.PALETTE[role])
    caption = [t for t in ax.texts if t.get_gid() == "caption"]
    assert len(caption) == 1
    text = caption[0].get_text().replace("\n", " ")
    assert text.startswith("Rule: ")
    assert text.endswith("n = 81 countries")
    assert ax.get_title(loc="left") == label("gci2020.score")
    assert "Standardized effect" in ax.get_xlabel()


def test_caption_options():
    v = make_verdict()
    ax = cp.plot_drivers(v, rule="Holm-adjusted p < .05 and robust in 4 of 5 checks", title="")
    text = next(t for t in ax.texts if t.get_gid() == "caption").get_text().replace("\n", " ")
    assert text == "Rule: Holm-adjusted p < .05 and robust in 4 of 5 checks | n = 81 countries"
    assert ax.get_title(loc="left") == ""
    v.attrs["rule_short"] = "from the verdict"
    text = next(t for t in cp.plot_drivers(v).texts if t.get_gid() == "caption").get_text()
    assert text.startswith("Rule: from the verdict")
    v2 = make_verdict().assign(n=[81, 81, 79, 81, 80, 81, 76, 81])
    text = next(t for t in cp.plot_drivers(v2, rule=False).texts if t.get_gid() == "caption").get_text()
    assert text == "n = 76\u201381 countries"
    ax = cp.plot_drivers(v, caption=False)
    assert not [t for t in ax.texts if t.get_gid() == "caption"]


def test_only_roles_present_in_legend_and_missing_ci_is_allowed():
    v = make_verdict()
    v = v[v["role"] != "blocker"].copy()
    v.loc[v.index[0], ["estimate", "ci_low", "ci_high"]] = np.nan
    ax = cp.plot_drivers(v)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Driver", "No clear effect"]
    assert len(ax.get_yticks()) == len(v)


def test_draws_into_a_given_axes_and_returns_it():
    fig, (a, b) = plt.subplots(1, 2, figsize=(12, 5), layout="constrained")
    ax = cp.plot_drivers(make_verdict(), ax=b)
    assert ax is b
    assert not a.containers


@pytest.mark.parametrize("bad, match", [
    (lambda v: v.assign(role=["driver"] * 7 + ["strong driver"]), r"unknown role.*valid: \['driver'"),
    (lambda v: v.drop(columns="ci_low"), r"no column\(s\) \['ci_low'\]"),
    (lambda v: pd.concat([v, v.iloc[:1]]), "more than once"),
    (lambda v: v.iloc[:0], "no rows"),
])
def test_invalid_verdicts_are_errors(bad, match):
    with pytest.raises(ValueError, match=match):
        cp.plot_drivers(bad(make_verdict()))


@pytest.mark.parametrize("name", ["paper", "slides"])
def test_nothing_clipped_and_labels_do_not_overlap(name):
    with cp.style(name):
        ax = cp.plot_drivers(make_verdict())
        fig = ax.figure
        texts = ax.get_yticklabels() + ax.texts + [ax.title, ax.xaxis.label] + ax.get_legend().get_texts()
        assert _inside_figure(fig, texts) == []
        r = fig.canvas.get_renderer()
        boxes = sorted((t.get_window_extent(r) for t in ax.get_yticklabels() + [
            t for t in ax.texts if t.get_gid() == "block-heading"]), key=lambda b: -b.y1)
        for upper, lower in zip(boxes, boxes[1:]):
            assert upper.y0 >= lower.y1 - 0.5, "row labels overlap"


def test_long_labels_wrap_in_paper_style():
    with cp.style("paper"):
        ax = cp.plot_drivers(make_verdict())
    texts = dict(zip([label(f) for f, *_ in ROWS], [t.get_text() for t in ax.get_yticklabels()]))
    assert "\n" in texts[label("wgi.pv")]  # "Political stability and absence of violence (WGI)"
    assert "\n" not in texts[label("hofstede.pdi")]


def test_slides_keep_16_9_and_large_type_for_a_short_list():
    with cp.style("slides"):
        ax = cp.plot_drivers(make_verdict(ROWS[:5]))
        w, h = ax.figure.get_size_inches()
        assert w / h == pytest.approx(16 / 9, rel=0.01)
        assert all(t.get_fontsize() >= 18 for t in ax.get_yticklabels())
        caption = next(t for t in ax.texts if t.get_gid() == "caption")
        assert caption.get_fontsize() >= 16


def test_paper_figure_grows_for_many_rows():
    many = ROWS + [("hofstede.lto", "culture", 0.2, 0.2, "driver"), ("hofstede.ivr", "culture", 0.0, 0.2,
                                                                      "no clear effect"),
                   ("eiu.democracy", "politics", 0.1, 0.2, "no clear effect"),
                   ("sipri.milex_gdp", "military", 0.1, 0.2, "no clear effect"),
                   ("wdi_net.internet", "development", 0.2, 0.2, "no clear effect")]
    with cp.style("paper"):
        ax = cp.plot_drivers(make_verdict(many))
        assert ax.figure.get_figheight() > 4.5
        assert _inside_figure(ax.figure, ax.get_yticklabels() + ax.texts) == []


# --------------------------------------------------------------------------- grid
def _grid_verdicts():
    return {
        "gci2020.legal": make_verdict(outcome="gci2020.legal", shift=0.05),
        "gci2020.technical": make_verdict(outcome="gci2020.technical", shift=-0.04),
        "gci2020.cooperation": make_verdict(ROWS[:-2], outcome="gci2020.cooperation", shift=0.1),
    }


@pytest.mark.parametrize("name", ["paper", "slides"])
def test_grid_has_a_panel_per_outcome_with_the_same_rows(name):
    verdicts = _grid_verdicts()
    with cp.style(name):
        fig = cp.plot_drivers_grid(verdicts, title="Drivers by GCI pillar")
        assert len(fig.axes) == 3
        ticks = [list(ax.get_yticks()) for ax in fig.axes]
        assert ticks[0] == ticks[1] == ticks[2]
        assert len(ticks[0]) == len(ROWS)
        assert [ax.get_title(loc="left").replace("\n", " ") for ax in fig.axes] == [label(k) for k in verdicts]
        first, *others = fig.axes
        assert _tick_texts(first) == [label(f) for f, *_ in ROWS]
        assert all(tick.label1.get_visible() for tick in first.yaxis.get_major_ticks())
        assert not any(tick.label1.get_visible() for ax in others for tick in ax.yaxis.get_major_ticks())
        assert not [t for ax in others for t in ax.texts if t.get_gid() == "block-heading"]
        # the third outcome lacks the last two factors: fewer CI segments there
        n_seg = [sum(len(c.lines[2][0].get_segments()) for c in _containers(ax)) for ax in fig.axes]
        assert n_seg == [len(ROWS), len(ROWS), len(ROWS) - 2]
        assert fig.legends and [t.get_text() for t in fig.legends[0].get_texts()] == [
            ROLE_LABELS[r] for r in cp.ROLE_ORDER]
        texts = [fig._suptitle, fig._supxlabel] + [t for ax in fig.axes for t in ax.get_yticklabels() + [ax.title]]
        assert _inside_figure(fig, texts) == []
        assert "n = 81 countries" in fig._supxlabel.get_text().replace("\n", " ")


def test_grid_panels_match_each_verdict():
    verdicts = _grid_verdicts()
    fig = cp.plot_drivers_grid(verdicts)
    for ax, v in zip(fig.axes, verdicts.values()):
        y = dict(zip([label(f) for f, *_ in ROWS], fig.axes[0].get_yticks()))
        for c in _containers(ax):
            for (x0, y0), (x1, _) in c.lines[2][0].get_segments():
                row = v[v["factor"].map(label).map(y) == y0]
                assert (x0, x1) == pytest.approx((row["ci_low"].item(), row["ci_high"].item()))


def test_grid_requires_a_mapping():
    with pytest.raises(TypeError, match="dict of outcome id"):
        cp.plot_drivers_grid([make_verdict()])
