"""World maps and the cultural map: what they draw, checked against the bundled GeoJSON read directly."""
import json

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_rgba

import cybercult.plot as cp
from cybercult.data.catalogue import label
from cybercult.data.registry import source_path
from cybercult.plot.maps import POINT_COUNTRIES
from cybercult.plot.style import STATUS_PALETTE


@pytest.fixture(scope="module")
def geojson():
    with open(source_path("naturalearth")) as fh:
        return json.load(fh)


def test_outlines_join_on_adm0_a3_with_recodes(geojson):
    polys, pts = cp.world_outlines()
    adm0 = {f["properties"]["ADM0_A3"] for f in geojson["features"]}
    iso_a3 = {f["properties"]["ISO_A3"] for f in geojson["features"]}
    assert "-99" in iso_a3  # why ISO_A3 cannot be the key
    assert {"FRA", "NOR"} <= set(polys.index)  # -99 in ISO_A3, present through ADM0_A3
    assert {"PSE", "SSD", "ESH", "XKX"} <= set(polys.index)
    assert not {"PSX", "SDS", "SAH", "KOS", "CYN", "SOL", "ATA"} & set(polys.index)
    # every other feature keeps its code; CYN/SOL merged, ATA dropped
    assert len(polys) == len(adm0) - 3
    assert polys.crs.to_epsg() == 8857  # Equal Earth
    assert {"SGP", "MLT"} <= set(pts.index) and not ({"SGP", "MLT"} & set(polys.index))
    # Equal Earth is equal-area: Russia / Brazil areas as in the spheroid (ratio of true areas ~2.01)
    ratio = polys.loc["RUS"].geometry.area / polys.loc["BRA"].geometry.area
    assert ratio == pytest.approx(17.1 / 8.5, rel=0.04)


def test_continuous_map_colours_values_and_hatches_the_rest():
    values = pd.Series({"FRA": 90.0, "NOR": 80.0, "BRA": 40.0, "SGP": 100.0, "MLT": 60.0}, name="gci2020.score")
    ax = cp.plot_map(values, title="GCI")
    drawn = ax.cybercult_drawn
    assert sorted(drawn["polygons"]) == ["BRA", "FRA", "NOR"]
    assert sorted(drawn["points"]) == ["MLT", "SGP"]
    assert "USA" in drawn["missing"] and "FRA" not in drawn["missing"]
    coll = {c.get_gid(): c for c in ax.collections}
    assert len(coll["map-values"].get_paths()) >= 3  # France and Norway have several parts
    miss = coll["map-missing"]
    assert miss.get_hatch() == "////" and to_rgba(miss.get_facecolor()[0]) == to_rgba("white")
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "Not in sample" in texts and "small state" in texts
    cbar_ax = [a for a in ax.figure.axes if a is not ax][0]
    assert label("gci2020.score", unit=True) in cbar_ax.get_xlabel().replace("\n", " ")
    # the marker of Singapore has the colour of 100 (top of the scale) and Malta's of 60
    pts = coll["map-points"]
    import matplotlib as mpl

    cm = mpl.colormaps["viridis"]
    order = list(values.index[values.index.isin(list(POINT_COUNTRIES))])
    got = {iso: tuple(pts.get_facecolors()[k]) for k, iso in enumerate(sorted(order, key=lambda c: list(
        cp.world_outlines()[1].index).index(c)))}
    assert got["SGP"] == pytest.approx(cm(1.0))
    assert got["MLT"] == pytest.approx(cm((60 - 40) / 60))
    assert "n = 5 countries" in ax.get_legend().get_title().get_text()


def test_categorical_map_uses_status_colours_and_counts():
    s = pd.Series({"FRA": "over-performer", "DEU": "as expected", "GTM": "under-performer", "SLV": "under-performer"},
                  name="status")
    ax = cp.plot_map(s, kind="categorical")
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert texts[:3] == ["over-performer (1)", "under-performer (2)", "as expected (1)"]
    handles = ax.get_legend().legend_handles
    assert to_rgba(handles[1].get_facecolor()) == to_rgba(STATUS_PALETTE["under-performer"])


def test_diverging_map_is_symmetric_and_warns_about_unknown_codes():
    s = pd.Series({"FRA": 2.0, "BRA": -0.5, "XYZ": 1.0}, name="std_residual")
    with pytest.warns(UserWarning, match="XYZ"):
        ax = cp.plot_map(s, kind="diverging", label="Standardized residual")
    cbar_ax = [a for a in ax.figure.axes if a is not ax][0]
    lo, hi = cbar_ax.get_xlim()
    assert lo == pytest.approx(-2.0) and hi == pytest.approx(2.0)
    assert ax.cybercult_drawn["not_drawn"] == ["XYZ"]


def test_map_errors_name_the_problem():
    with pytest.raises(ValueError, match="ISO3"):
        cp.plot_map(pd.Series({"France": 1.0}))
    with pytest.raises(ValueError, match="kind"):
        cp.plot_map(pd.Series({"FRA": 1.0}), kind="bubbles")
    with pytest.raises(ValueError, match="categorical"):
        cp.plot_map(pd.Series({"FRA": "high"}))


def test_cultural_map_places_countries_and_colours_by_outcome():
    rng = np.random.default_rng(5)
    iso = ["SWE", "JPN", "NGA", "BRA", "DEU", "IND", "USA", "CHN"]
    d = pd.DataFrame({"country": iso, "wvs.surv_selfexp": rng.normal(0, 1, 8), "wvs.trad_secular": rng.normal(0, 1, 8),
                      "gci2020.score": rng.uniform(30, 100, 8)}, index=pd.Index(iso, name="iso3"))
    d.loc["NGA", "wvs.trad_secular"] = np.nan
    ax = cp.plot_cultural_map(d, "gci2020.score")
    pts = next(c for c in ax.collections if c.get_gid() == "points")
    kept = d.drop(index="NGA")
    np.testing.assert_allclose(pts.get_offsets(), kept[["wvs.surv_selfexp", "wvs.trad_secular"]].to_numpy())
    np.testing.assert_allclose(pts.get_array(), kept["gci2020.score"])
    assert sorted(t.get_text() for t in ax.texts if t.get_gid() == "point-label") == sorted(kept["country"])
    assert ax.cybercult_dropped == ["NGA"]
    assert ax.get_xlabel().startswith(label("wvs.surv_selfexp"))
    assert ax.get_ylabel().startswith(label("wvs.trad_secular"))


def test_map_files_are_byte_identical(tmp_path):
    values = pd.Series({"FRA": 90.0, "BRA": 40.0, "SGP": 100.0}, name="gci2020.score")
    out = []
    for k in range(2):
        with cp.style("paper"):
            ax = cp.plot_map(values)
            out.append([p.read_bytes() for p in cp.save_figure(ax.figure, tmp_path / f"m{k}")])
            plt.close(ax.figure)
    assert out[0] == out[1]
