"""Packaged styles and palette: what they set, and that global state is left alone."""
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.colors import to_hex

import cybercult.plot as cp
from cybercult.plot.style import ROLE_MARKERS, STATUS_PALETTE, style_path


def _verdict():
    return pd.DataFrame({
        "term": ["hofstede.pdi", "hofstede.idv", "wdi.log_gdppc_ppp"],
        "block": ["culture", "culture", "development"],
        "role": ["blocker", "driver", "inconclusive"],
        "estimate": [-0.31, 0.27, 0.08],
        "ci_low": [-0.49, 0.07, -0.12],
        "ci_high": [-0.13, 0.47, 0.28],
        "n": 81,
    })


def _rc_snapshot():
    return dict(mpl.rcParams.copy())


def test_both_styles_ship_inside_the_package():
    assert cp.available_styles() == ["paper", "slides"]
    for name in ("paper", "slides"):
        path = style_path(name)
        assert path.is_file()
        assert Path(cp.__file__).parent in path.parents


def test_slides_style_is_16_9_large_type_thick_lines():
    with cp.style("slides"):
        w, h = mpl.rcParams["figure.figsize"]
        assert w / h == pytest.approx(16 / 9, rel=0.01)
        assert mpl.rcParams["font.size"] >= 18
        for key in ("axes.labelsize", "xtick.labelsize", "ytick.labelsize", "legend.fontsize"):
            assert mpl.rcParams[key] >= 18, key
        assert mpl.rcParams["lines.linewidth"] >= 2.5
        assert mpl.rcParams["figure.constrained_layout.use"]


def test_paper_style_sets_small_type_and_constrained_layout():
    with cp.style("paper"):
        assert 8 <= mpl.rcParams["font.size"] <= 11
        assert mpl.rcParams["figure.constrained_layout.use"]


@pytest.mark.parametrize("name", ["paper", "slides"])
def test_style_sets_reproducible_and_editable_output(name):
    with cp.style(name):
        assert mpl.rcParams["svg.fonttype"] == "none"
        assert mpl.rcParams["pdf.fonttype"] == 42
        assert mpl.rcParams["svg.hashsalt"] == "cybercult"


@pytest.mark.parametrize("name", ["paper", "slides"])
def test_global_rcparams_unchanged_after_plotting_inside_style(name):
    before = _rc_snapshot()
    with cp.style(name):
        ax = cp.plot_drivers(_verdict())
        plt.close(ax.figure)
    assert _rc_snapshot() == before


def test_rcparams_restored_after_an_error():
    before = _rc_snapshot()
    with pytest.raises(ValueError):
        with cp.style("slides"):
            cp.plot_drivers(_verdict().assign(role="maybe"))
    plt.close("all")
    assert _rc_snapshot() == before


def test_unknown_style_lists_valid_names():
    with pytest.raises(ValueError, match="valid: paper, slides"):
        with cp.style("poster"):
            pass


def test_palette_is_okabe_ito_and_fixed_per_role():
    assert cp.ROLE_ORDER == ("driver", "blocker", "negligible", "inconclusive")
    assert {k: to_hex(v) for k, v in cp.PALETTE.items()} == {
        "driver": "#0072b2", "blocker": "#d55e00", "negligible": "#cc79a7", "inconclusive": "#999999",
    }
    okabe_ito = {"#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7", "#000000", "#999999"}
    assert {to_hex(v) for v in cp.PALETTE.values()} <= okabe_ito
    assert set(ROLE_MARKERS) == set(cp.ROLE_ORDER)
    # Performer colours never reuse a role colour.
    assert not {to_hex(c) for c in STATUS_PALETTE.values() if c != "#999999"} & {
        to_hex(c) for c in cp.PALETTE.values()
    }
