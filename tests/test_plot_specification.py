"""The specification-curve figure shows every fitted specification of the term, sorted, with its choices below."""
import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from matplotlib.colors import to_rgba

import cybercult.plot as cp
from cybercult.plot.specification import CURVE_COLOURS
from cybercult.stats import robustness as rb


@pytest.fixture(scope="module")
def spec():
    d = sm.datasets.statecrime.load_pandas().data.copy()
    d["share"] = d["hs_grad"] / 100
    d.loc[d.index[3], "single"] = np.nan
    reg = pd.Series(np.array(["n", "s", "e", "w"])[np.arange(len(d)) % 4], index=d.index)
    return rb.specification_curve(d, outcomes=["violent", "murder"], focal=["poverty", "single"],
                                  controls={"demo": ["white", "urban"], "edu": ["hs_grad"]},
                                  regions=reg, clusters=reg, estimators=("ols",))


def _by_gid(ax, gid):
    return [c for c in ax.collections if c.get_gid() == gid]


@pytest.mark.parametrize("name", ["paper", "slides"])
def test_curve_sorted_with_intervals_and_colours(spec, name):
    with cp.style(name):
        fig = cp.plot_specification_curve(spec, term="poverty")
    top, bottom = fig.axes
    t = spec.table[spec.table["term"] == "poverty"]
    (pts,) = _by_gid(top, "spec-estimate")
    xy = pts.get_offsets()
    assert len(xy) == len(t) == 32  # 2 outcomes x 4 control sets x 2 region options x 2 kinds of errors
    assert np.all(np.diff(xy[:, 1]) >= 0)  # sorted
    np.testing.assert_allclose(np.sort(t["effect"]), xy[:, 1])
    order = np.argsort(t["effect"].to_numpy(), kind="stable")
    s = t.iloc[order]
    expected = [CURVE_COLOURS["positive" if (g and e > 0) else "negative" if g else "not significant"]
                for g, e in zip(s["significant"], s["effect"])]
    assert [tuple(c) for c in pts.get_facecolors()] == [to_rgba(c) for c in expected]
    (ci,) = _by_gid(top, "spec-ci")
    segs = ci.get_segments()
    np.testing.assert_allclose([sg[0][1] for sg in segs], s["effect_ci_low"])
    np.testing.assert_allclose([sg[1][1] for sg in segs], s["effect_ci_high"])
    # the dot matrix: choices in the same column order; each specification has exactly one outcome
    labels = [tl.get_text() for tl in bottom.get_yticklabels()]
    assert labels[:2] == ["violent", "murder"] and "Demo" in labels and "Edu" in labels
    assert "Region fixed effects" in labels and "Clustered by region" in labels
    dots = _by_gid(bottom, "spec-choice")
    assert len(dots) == len(labels)
    outcome_x = np.concatenate([d.get_offsets()[:, 0] for d in dots[:2]])
    assert sorted(outcome_x) == list(range(len(t)))
    demo = dots[labels.index("Demo")].get_offsets()[:, 0].astype(int)
    assert sorted(demo) == sorted(np.flatnonzero(s["controls"].str.contains("demo").to_numpy()))
    fe = dots[labels.index("Region fixed effects")].get_offsets()[:, 0].astype(int)
    assert sorted(fe) == sorted(np.flatnonzero((s["region"] != "none").to_numpy()))
    cap = fig._supxlabel.get_text().replace("\n", " ")
    pos = ((s["significant"]) & (s["effect"] > 0)).mean()
    assert f"significant and positive in {pos:.0%}" in cap
    assert fig._suptitle.get_text().startswith("Specification curve")


def test_slides_keep_16_9_and_readable_choices(spec):
    with cp.style("slides"):
        fig = cp.plot_specification_curve(spec, term="single")
        assert tuple(fig.get_size_inches()) == pytest.approx((13.333, 7.5))
        bottom = fig.axes[1]
        assert min(t.get_fontsize() for t in bottom.get_yticklabels()) >= 18
        fig.draw_without_rendering()
        r = fig.canvas.get_renderer()
        boxes = sorted((t.get_window_extent(r) for t in bottom.get_yticklabels()), key=lambda b: -b.y1)
        for upper, lower in zip(boxes, boxes[1:]):
            assert upper.y0 >= lower.y1 - 0.5, "choice labels overlap"


def test_failed_specifications_are_counted_and_bad_terms_rejected(spec):
    tab = spec.table.copy()
    tab.loc[tab.index[0], ["estimate", "effect", "effect_ci_low", "effect_ci_high"]] = np.nan
    fig = cp.plot_specification_curve(tab, term=tab["term"].iloc[0])
    assert "1 could not be fitted" in fig._supxlabel.get_text().replace("\n", " ")
    with pytest.raises(ValueError, match="valid: \\['poverty', 'single'\\]"):
        cp.plot_specification_curve(spec, term="povrty")
