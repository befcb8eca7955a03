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

ROWS = [  # term, block, estimate, half-width, role
    ("hofstede.pdi", "culture", -0.31, 0.18, "blocker"),
    ("hofstede.idv", "culture", 0.27, 0.20, "driver"),
    ("hofstede.uai", "culture", -0.06, 0.19, "inconclusive"),
    ("globe.institutional_collectivism_practices", "culture", 0.08, 0.23, "inconclusive"),
    ("wgi.ge", "politics", 0.46, 0.19, "driver"),
    ("wgi.pv", "politics", 0.01, 0.05, "negligible"),
    ("wdi_af.per1000", "military", -0.19, 0.16, "blocker"),
    ("wdi.log_gdppc_ppp", "development", 0.52, 0.18, "driver"),
]


def make_verdict(rows=ROWS, outcome="gci2020.score", n=81, shift=0.0):
    out = []
    for f, b, est, hw, role in rows:
        est = est + shift
        out.append(dict(term=f, label=label(f), block=b, role=role, estimate=est, ci_low=est - hw,
                        ci_high=est + hw, p_value=0.01, p_adj=0.03, n=n, evidence="", outcome=outcome))
    return pd.DataFrame(out)


def shown(term):
    """The row label drawn for a term: the catalogue label, without the "(WGI)" both politics rows share
    (a source every label of a block ends with moves into the block heading)."""
    text = label(term)
    return text.removesuffix(" (WGI)") if term in ("wgi.ge", "wgi.pv") else text


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
    assert _tick_texts(ax) == [shown(f) for f in v["term"]]
    assert not set(_tick_texts(ax)) & set(v["term"])  # never raw ids


def test_labels_come_from_catalogue_without_label_column():
    v = make_verdict().drop(columns="label")
    ax = cp.plot_drivers(v)
    assert _tick_texts(ax) == [shown(f) for f in v["term"]]
    assert "Power distance" in _tick_texts(ax)


def test_older_tables_with_a_factor_column_still_draw():
    ax = cp.plot_drivers(make_verdict().rename(columns={"term": "factor"}))
    assert _tick_texts(ax) == [shown(f) for f, *_ in ROWS]


def test_rows_grouped_by_block_in_data_order():
    v = make_verdict()
    # Interleave blocks: rows must still be grouped, blocks in order of first appearance.
    v = v.iloc[[0, 4, 1, 7, 2, 6, 3, 5]].reset_index(drop=True)
    ax = cp.plot_drivers(v)
    y = _row_y(ax)
    order = sorted(y, key=y.get)  # top to bottom (y axis is inverted)
    expected = [shown(f) for b in ["culture", "politics", "development", "military"]
                for f in v.loc[v["block"] == b, "term"]]
    assert order == expected
    assert ax.yaxis_inverted()
    headings = [t.get_text() for t in ax.texts if t.get_gid() == "block-heading"]
    assert headings == ["Culture", "Politics (WGI)", "Development", "Military"]


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
        roles = {v.loc[v["term"].map(shown).map(y) == yy, "role"].item() for yy in ys}
        assert len(roles) == 1
        role = roles.pop()
        seen.add(role)
        if role == "inconclusive":  # an open marker: white inside, the role's colour around
            assert colour == to_rgba("white")
            assert to_rgba(line.get_markeredgecolor()) == to_rgba(cp.PALETTE[role])
        else:
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
        lo, hi = got[y[shown(row.term)]]
        assert lo == pytest.approx(row.ci_low)
        assert hi == pytest.approx(row.ci_high)
    # markers sit at the estimates
    est = {yy: xx for c in _containers(ax) for xx, yy in zip(*c.lines[0].get_data())}
    for row in v.itertuples():
        assert est[y[shown(row.term)]] == pytest.approx(row.estimate)


def test_zero_line_legend_caption_and_title():
    v = make_verdict()
    ax = cp.plot_drivers(v)
    zero = [ln for ln in ax.lines if ln.get_gid() == "zero-line"]
    assert len(zero) == 1 and list(zero[0].get_xdata()) == [0, 0]
    lo, hi = ax.get_xlim()
    assert lo < 0 < hi
    legend = ax.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["Driver", "Blocker", "Negligible", "Inconclusive"]
    for handle, role in zip(legend.legend_handles, cp.ROLE_ORDER):
        assert to_rgba(handle.get_color()) == to_rgba(cp.PALETTE[role])
        face = "white" if role == "inconclusive" else cp.PALETTE[role]
        assert to_rgba(handle.get_markerfacecolor()) == to_rgba(face)
    caption = [t for t in ax.texts if t.get_gid() == "caption"]
    assert len(caption) == 1
    text = caption[0].get_text().replace("\n", " ")
    assert text.startswith("Rule: ")
    assert text.endswith("n = 81 countries")
    # the title names the outcome and the sample, from the figure's left edge
    assert ax.figure._suptitle.get_text().replace("\n", " ") == (
        f"Drivers and blockers of {shown('gci2020.score')} (n = 81 countries)")
    assert "Standardized effect" in ax.get_xlabel()
    v.attrs["ci_label"] = "Standardized effect (\u03b2), 98.3% CI (FCR-adjusted)"
    assert cp.plot_drivers(v).get_xlabel() == v.attrs["ci_label"]


def test_caption_options():
    v = make_verdict()
    ax = cp.plot_drivers(v, rule="Holm-adjusted p < .05 and robust in 4 of 5 checks", title="")
    text = next(t for t in ax.texts if t.get_gid() == "caption").get_text().replace("\n", " ")
    assert text == "Rule: Holm-adjusted p < .05 and robust in 4 of 5 checks | n = 81 countries"
    assert ax.figure._suptitle is None and ax.get_title(loc="left") == ""
    fig, (a, b) = plt.subplots(1, 2, figsize=(12, 5), layout="constrained")
    assert cp.plot_drivers(v, ax=b, title="Which factors?").get_title(loc="left") == "Which factors?"
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
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Driver", "Negligible", "Inconclusive"]
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
        texts = (ax.get_yticklabels() + ax.texts + [ax.figure._suptitle, ax.xaxis.label]
                 + ax.get_legend().get_texts())
        assert _inside_figure(fig, texts) == []
        r = fig.canvas.get_renderer()
        boxes = sorted((t.get_window_extent(r) for t in ax.get_yticklabels() + [
            t for t in ax.texts if t.get_gid() == "block-heading"]), key=lambda b: -b.y1)
        for upper, lower in zip(boxes, boxes[1:]):
            assert upper.y0 >= lower.y1 - 0.5, "row labels overlap"


def test_long_labels_wrap_in_paper_style():
    with cp.style("paper"):
        ax = cp.plot_drivers(make_verdict())
    texts = dict(zip([shown(f) for f, *_ in ROWS], [t.get_text() for t in ax.get_yticklabels()]))
    assert "\n" in texts[shown("wgi.pv")]  # "Political stability and absence of violence (WGI)"
    assert "\n" not in texts[shown("hofstede.pdi")]


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
                                                                      "inconclusive"),
                   ("eiu.democracy", "politics", 0.1, 0.2, "inconclusive"),
                   ("sipri.milex_gdp", "military", 0.1, 0.2, "inconclusive"),
                   ("wdi_net.internet", "development", 0.2, 0.2, "inconclusive")]
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
        # panel titles drop the words the labels share ("GCI 2020 ... pillar")
        assert [ax.get_title(loc="left").replace("-\n", "").replace("\n", " ") for ax in fig.axes] == [
            "Legal", "Technical", "Cooperation"]
        first, *others = fig.axes
        assert _tick_texts(first) == [shown(f) for f, *_ in ROWS]
        assert all(tick.label1.get_visible() for tick in first.yaxis.get_major_ticks())
        assert not any(tick.label1.get_visible() for ax in others for tick in ax.yaxis.get_major_ticks())
        assert not [t for ax in others for t in ax.texts if t.get_gid() == "block-heading"]
        # the third outcome lacks the last two factors: fewer CI segments there
        n_seg = [sum(len(c.lines[2][0].get_segments()) for c in _containers(ax)) for ax in fig.axes]
        assert n_seg == [len(ROWS), len(ROWS), len(ROWS) - 2]
        legends = fig.subfigs[0].legends
        assert legends and [t.get_text() for t in legends[0].get_texts()] == [ROLE_LABELS[r] for r in cp.ROLE_ORDER]
        texts = [fig._suptitle, fig._supxlabel] + [t for ax in fig.axes for t in ax.get_yticklabels() + [ax.title]]
        assert _inside_figure(fig, texts) == []
        assert "n = 81 countries" in fig._supxlabel.get_text().replace("\n", " ")


def test_grid_panels_match_each_verdict():
    verdicts = _grid_verdicts()
    fig = cp.plot_drivers_grid(verdicts)
    for ax, v in zip(fig.axes, verdicts.values()):
        y = dict(zip([shown(f) for f, *_ in ROWS], fig.axes[0].get_yticks()))
        for c in _containers(ax):
            for (x0, y0), (x1, _) in c.lines[2][0].get_segments():
                row = v[v["term"].map(shown).map(y) == y0]
                assert (x0, x1) == pytest.approx((row["ci_low"].item(), row["ci_high"].item()))


def test_grid_requires_a_mapping():
    with pytest.raises(TypeError, match="dict of outcome id"):
        cp.plot_drivers_grid([make_verdict()])


def _pillar_verdicts():
    keys = ["gci2020.score", "gci2020.legal", "gci2020.technical", "gci2020.organizational", "gci2020.capacity",
            "gci2020.cooperation"]
    out = {}
    for i, k in enumerate(keys):
        v = make_verdict(outcome=k, shift=0.02 * i)
        v.attrs["rule_short"] = "driver / blocker: BH-adjusted p < 0.05; negligible: TOST shows |beta| < 0.1; else inconclusive"
        v.attrs["rule_tiny"] = "driver / blocker: BH-adjusted p < 0.05; negligible: TOST |\u03b2| < 0.1"
        out[k] = v
    return out


def test_pillar_grid_on_a_page_two_rows_readable():
    with cp.style("paper"):
        fig = cp.plot_drivers_grid(_pillar_verdicts())
        assert len(fig.axes) == 6
        rows = sorted({round(ax.get_position().y0, 3) for ax in fig.axes})
        assert len(rows) == 2  # two rows of three panels
        w, h = fig.get_size_inches()
        assert w == pytest.approx(6.5) and h <= 9.0  # fits a page
        sizes = [t.get_fontsize() for ax in fig.axes for t in ax.get_yticklabels() + ax.get_xticklabels()
                 if t.get_text()]
        assert min(sizes) >= 8
        assert [ax.get_title(loc="left") for ax in fig.axes][:2] == ["Overall", "Legal"]
        # labels on the first panel of each row only
        shown = [any(t.label1.get_visible() for t in ax.yaxis.get_major_ticks()) for ax in fig.axes]
        assert shown == [True, False, False, True, False, False]
        texts = [fig._supxlabel] + [t for ax in fig.axes for t in ax.get_yticklabels() + [ax._left_title]]
        assert _inside_figure(fig, texts) == []


def test_pillar_grid_on_a_slide_is_16_9_with_18pt_text_and_visible_intervals():
    with cp.style("slides"):
        fig = cp.plot_drivers_grid(_pillar_verdicts())
        w, h = fig.get_size_inches()
        assert (w, h) == pytest.approx((13.333, 7.5))
        sizes = [t.get_fontsize() for ax in fig.axes for t in ax.get_yticklabels() + ax.get_xticklabels()
                 + [ax._left_title] if t.get_text()]
        assert min(sizes) >= 18
        assert fig._supxlabel.get_fontsize() >= 16
        assert "TOST" in fig._supxlabel.get_text() and "\n" not in fig._supxlabel.get_text()  # one line
        # an interval of typical width (half-width >= 0.15 on this axis) shows on both sides of its marker
        # (a negligible effect's interval of +-0.05 is by definition shorter than any readable marker)
        fig.draw_without_rendering()
        for ax in fig.axes:
            for c in _containers(ax):
                ms_px = c.lines[0].get_markersize() * fig.dpi / 72
                for (x0, y0), (x1, _) in c.lines[2][0].get_segments():
                    if x1 - x0 < 0.3:
                        continue
                    a, b = ax.transData.transform([(x0, y0), (x1, y0)])
                    assert b[0] - a[0] > 2 * ms_px
        # titles of neighbouring panels do not overlap
        r = fig.canvas.get_renderer()
        boxes = [ax._left_title.get_window_extent(r) for ax in fig.axes]
        for left, right in zip(boxes, boxes[1:]):
            assert left.x1 <= right.x0 + 0.5
        assert _inside_figure(fig, [t for ax in fig.axes for t in ax.get_yticklabels()]) == []


def test_grid_nrows_checked():
    with pytest.raises(ValueError, match="nrows"):
        cp.plot_drivers_grid(_grid_verdicts(), nrows=4)


def test_grid_names_each_panels_interval_level_when_they_differ():
    verdicts = _grid_verdicts()
    for v, lev in zip(verdicts.values(), (0.975, 0.95, 1 - 0.05 / 8)):
        v.attrs.update(ci_level=lev, ci_method="FCR-adjusted (Benjamini-Yekutieli, R = 1 of m = 8)")
    fig = cp.plot_drivers_grid(verdicts)
    assert [ax.get_xlabel() for ax in fig.axes] == ["97.5% CI", "95% CI", "99.4% CI"]
    assert "level under each panel" in fig.subfigs[0]._supxlabel.get_text().replace("\n", " ")
    for v in verdicts.values():
        v.attrs.update(ci_level=0.95, ci_label="Standardized effect (\u03b2), 95% CI (unadjusted)")
    fig = cp.plot_drivers_grid(verdicts)
    assert [ax.get_xlabel() for ax in fig.axes] == ["", "", ""]
    assert fig.subfigs[0]._supxlabel.get_text() == "Standardized effect (\u03b2), 95% CI (unadjusted)"
