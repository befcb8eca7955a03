"""World maps (choropleths) of a country-level value: outcome, performer status, residuals.

Outlines are Natural Earth Admin-0 at 1:110m (public domain, bundled as source
``naturalearth``), read with geopandas and drawn in the Equal Earth projection
(EPSG:8857, Šavrič, Patterson and Jenny 2019), an equal-area projection, so a
country's share of ink is its share of the land. Countries outside the sample
are drawn hatched in light grey with a legend entry, never coloured as zero.
"""
from __future__ import annotations

import warnings
from functools import cache

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import Normalize, TwoSlopeNorm
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .._docstrings import fill_doc
from ._common import get_ax, points, var_label, wrap, wrap_width
from .style import NEUTRAL, STATUS_ORDER, STATUS_PALETTE

__all__ = ["plot_map", "world_outlines", "MAP_CRS", "POINT_COUNTRIES"]

#: Equal Earth (EPSG:8857), an equal-area world projection.
MAP_CRS = "EPSG:8857"

# Countries without a value: white with grey hatching, unlike any colour a value can take.
_MISSING_EDGE = "#A0A0A0"
_NE_FILE = "natural_earth_110m_admin0/ne_110m_admin_0_countries.json"
# Natural Earth ADM0_A3 codes that are not ISO 3166 alpha-3 (SOURCE notes of the file).
_RECODE = {"PSX": "PSE", "SDS": "SSD", "SAH": "ESH", "KOS": "XKX"}
# Territories without an ISO code, merged into the country that ISO assigns them to.
_MERGE = {"CYN": "CYP", "SOL": "SOM"}

#: States with no polygon at 1:110m, drawn as a marker at their capital
#: (longitude, latitude in degrees, rounded to 0.1; capitals' coordinates as in any
#: gazetteer). Natural Earth's 1:50m layer would have polygons but is not bundled.
POINT_COUNTRIES: dict[str, tuple[float, float]] = {
    "SGP": (103.8, 1.3), "MLT": (14.5, 35.9), "BHR": (50.6, 26.2), "MUS": (57.5, -20.2),
    "MDV": (73.5, 4.2), "SYC": (55.5, -4.6), "CPV": (-23.5, 15.0), "BRB": (-59.6, 13.1),
    "LCA": (-61.0, 14.0), "GRD": (-61.7, 12.1), "VCT": (-61.2, 13.2), "ATG": (-61.8, 17.1),
    "DMA": (-61.4, 15.3), "KNA": (-62.7, 17.3), "TON": (-175.2, -21.1), "WSM": (-171.8, -13.8),
    "KIR": (173.0, 1.3), "FSM": (158.2, 6.9), "MHL": (171.4, 7.1), "PLW": (134.5, 7.5),
    "NRU": (166.9, -0.5), "TUV": (179.2, -8.5), "AND": (1.5, 42.5), "LIE": (9.5, 47.1),
    "MCO": (7.4, 43.7), "SMR": (12.4, 43.9), "VAT": (12.5, 41.9), "HKG": (114.2, 22.3),
    "MAC": (113.5, 22.2), "COM": (43.3, -11.7), "STP": (6.7, 0.3),
}


@cache
def _world() -> "object":
    import geopandas as gpd

    from ..data.registry import source_path

    raw = gpd.read_file(source_path("naturalearth", _NE_FILE))
    raw = raw[raw["ADM0_A3"] != "ATA"].copy()  # Antarctica: no data, a fifth of the map
    code = raw["ADM0_A3"].astype(str).replace(_RECODE).replace(_MERGE)
    raw = raw.assign(iso3=code)
    world = raw[["iso3", "geometry"]].dissolve(by="iso3", sort=True)  # CYN into CYP, SOL into SOM
    world = world.to_crs(MAP_CRS)
    pts = gpd.GeoDataFrame(
        {"iso3": list(POINT_COUNTRIES)},
        geometry=gpd.points_from_xy([v[0] for v in POINT_COUNTRIES.values()],
                                    [v[1] for v in POINT_COUNTRIES.values()]),
        crs="EPSG:4326").set_index("iso3").to_crs(MAP_CRS)
    return world, pts


def world_outlines():
    """Country outlines used by :func:`plot_map`, in the Equal Earth projection.

    Returns
    -------
    polygons : geopandas.GeoDataFrame
        Index ``iso3`` (ISO 3166 alpha-3; Kosovo ``XKX``), column ``geometry``.
        Joined on Natural Earth's ``ADM0_A3`` (its ``ISO_A3`` is -99 for
        France and Norway), recoded PSX->PSE, SDS->SSD, SAH->ESH, KOS->XKX;
        Northern Cyprus merged into CYP and Somaliland into SOM; Antarctica
        left out.
    points : geopandas.GeoDataFrame
        Small states without a polygon at 1:110m (:data:`POINT_COUNTRIES`),
        as points at their capitals.

    See Also
    --------
    plot_map : A value per country drawn on these outlines.

    Examples
    --------
    >>> from cybercult.plot import world_outlines
    >>> polygons, points = world_outlines()
    >>> polygons.crs.to_epsg(), "FRA" in polygons.index, "SGP" in points.index
    (8857, True, True)
    """
    world, pts = _world()
    return world.copy(), pts.copy()


def _as_series(values) -> pd.Series:
    if isinstance(values, pd.DataFrame):
        if values.shape[1] != 1:
            raise ValueError(
                f"values must be a Series indexed by ISO3 code (or a one-column DataFrame), "
                f"got a DataFrame with columns {list(values.columns)}")
        values = values.iloc[:, 0]
    if not isinstance(values, pd.Series):
        raise TypeError(f"values must be a pandas Series indexed by ISO3 code, not {type(values).__name__}")
    idx = values.index.astype(str).str.upper()
    bad = [c for c in idx if len(c) != 3 or not c.isalpha()]
    if bad:
        raise ValueError(f"values must be indexed by ISO3 codes; not ISO3: {bad[:10]}")
    if idx.duplicated().any():
        raise ValueError(f"values has duplicate ISO3 codes: {sorted(set(idx[idx.duplicated()]))}")
    return pd.Series(values.to_numpy(), index=idx, name=values.name)


@fill_doc
def plot_map(
    values: pd.Series,
    *,
    kind: str = "continuous",
    title: str | None = None,
    label: str | None = None,
    cmap: str | None = None,
    palette: dict[str, str] | None = None,
    order: list[str] | None = None,
    vmin: float | None = None,
    vmax: float | None = None,
    missing_label: str = "Not in sample",
    note: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """World map (choropleth) of one value per country.

    Parameters
    ----------
    values : Series
        One value per country, indexed by ISO3 code (e.g. ``panel.data[outcome]``,
        ``perf.set_index("iso3")["status"]``). Countries with NaN or absent are
        drawn as "not in sample".
    kind : {"continuous", "diverging", "categorical"}
        ``continuous``: sequential colours (viridis) from ``vmin`` to ``vmax``;
        ``diverging``: red-blue centred at 0 with symmetric limits (residuals);
        ``categorical``: one colour per level (performer statuses get the
        package's status colours), with a legend.
    {figure.title}
    label : str, optional
        Colour-bar label (continuous, diverging) or legend title
        (categorical); default: the catalogue label of ``values.name``.
    cmap : str, optional
        Colour map for continuous and diverging maps.
    palette : dict, optional
        Level -> colour for categorical maps.
    order : list of str, optional
        Legend order of the levels of a categorical map.
    {figure.vmin_vmax}
        A ``diverging`` map's default is symmetric around 0.
    missing_label : str
        Legend text of countries without a value.
    note : str, optional
        Small text under the map (e.g. the sample size or a source line).
    {params.ax}

    Returns
    -------
    {returns.ax}
        ``ax.collections`` hold the polygons; the countries with a value are in
        the collection with gid ``"map-values"`` and those without in
        ``"map-missing"``; small states are markers in ``"map-points"``.
        ``ax.cybercult_drawn`` (dict) records the ISO3 codes drawn as
        ``polygons``, ``points``, ``missing`` and ``not_drawn`` (values that
        have no outline: listed in a warning and in the figure note).

    See Also
    --------
    cybercult.performers : The performer statuses of a categorical map.
    cybercult.build_panel : The panel whose columns are mapped.
    world_outlines : The outlines and the small states' positions.
    plot_performers : The performers with their prediction intervals.
    plot_cultural_map : Countries on the two culture axes instead of the globe.

    Notes
    -----
    Natural Earth Admin-0 1:110m (v4.0.0), Equal Earth projection
    (Šavrič, B., Patterson, T., & Jenny, B. 2019, Int. J. Geogr. Inf. Sci.
    33(3), 454-465). Singapore, Malta and other small states have no polygon
    at this scale and are drawn as circles at their capitals.

    Examples
    --------
    The GCI 2020 score; countries outside the sample are hatched:

    >>> import matplotlib.pyplot as plt
    >>> import cybercult as cc
    >>> panel = cc.build_panel(sample="study81")
    >>> ax = cc.plot_map(panel.data["gci2020.score"], title="ITU GCI 2020")
    >>> {k: len(v) for k, v in ax.cybercult_drawn.items()}
    {'polygons': 80, 'points': 1, 'missing': 94, 'not_drawn': 0}
    >>> ax.cybercult_drawn["points"]  # no polygon at 1:110m: a marker
    ['SGP']

    The performer statuses, one colour per level:

    >>> x = ["wdi.log_gdppc_ppp", "eiu.democracy", "hofstede_insights.idv"]
    >>> perf = cc.performers(cc.regress(panel.data, "gci2020.score", x))
    >>> ax = cc.plot_map(perf.set_index("iso3")["status"], kind="categorical")
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['under-performer (5)', 'as expected (75)', 'Not in sample', 'small state']
    >>> plt.close("all")
    """
    if kind not in ("continuous", "diverging", "categorical"):
        raise ValueError(f"kind must be 'continuous', 'diverging' or 'categorical', not {kind!r}")
    s = _as_series(values)
    name = values.name if isinstance(values, pd.Series) else None
    world, pts = _world()
    s = s[s.notna()]
    if s.empty:
        raise ValueError("values has no non-missing value; nothing to map")
    not_drawn = sorted(set(s.index) - set(world.index) - set(pts.index))
    if not_drawn:
        warnings.warn(f"plot_map: no outline or marker position for {', '.join(not_drawn)}; "
                      "they are listed under the map but not drawn", UserWarning, stacklevel=2)

    if ax is None:
        w, h = mpl.rcParams["figure.figsize"]
        ax = get_ax(None, figsize=(w, h if w / h > 1.7 else max(h * 0.85, w * 0.62)))
    else:
        ax = get_ax(ax)
    fig = ax.figure
    lw = max(0.25, mpl.rcParams["patch.linewidth"] * 0.35)

    has = world.index.isin(s.index)
    missing = world[~has]
    missing.plot(ax=ax, facecolor="white", edgecolor=_MISSING_EDGE, hatch="////", linewidth=lw)
    ax.collections[-1].set_gid("map-missing")
    shown = world[has]
    pts_shown = pts[pts.index.isin(s.index)]
    handles: list = []
    marker_size = mpl.rcParams["lines.markersize"] * 0.9

    if kind == "categorical":
        levels = [str(v) for v in s.astype(str)]
        s = pd.Series(levels, index=s.index)
        if order is None:
            present = list(dict.fromkeys(sorted(set(levels))))
            order = [lvl for lvl in STATUS_ORDER if lvl in present] + [lvl for lvl in present if lvl not in STATUS_ORDER]
        else:
            unknown = sorted(set(levels) - set(order))
            if unknown:
                raise ValueError(f"values has level(s) {unknown} not in order={order}")
        pal = dict(palette or {})
        base = mpl.rcParams["axes.prop_cycle"].by_key()["color"]
        for i, lvl in enumerate(order):
            pal.setdefault(lvl, STATUS_PALETTE.get(lvl, base[i % len(base)]))
        colors = [pal[s[c]] for c in shown.index]
        shown.plot(ax=ax, color=colors, edgecolor="white", linewidth=lw)
        ax.collections[-1].set_gid("map-values")
        if len(pts_shown):
            pcol = ax.scatter(pts_shown.geometry.x, pts_shown.geometry.y, s=marker_size ** 2,
                              c=[pal[s[c]] for c in pts_shown.index], edgecolors=NEUTRAL["ink"],
                              linewidths=lw * 2, zorder=5)
            pcol.set_gid("map-points")
        counts = s.value_counts()
        handles = [Patch(facecolor=pal[lvl], edgecolor="none", label=f"{lvl} ({counts.get(lvl, 0)})")
                   for lvl in order]
    else:
        num = pd.to_numeric(s, errors="coerce")
        if num.isna().any():
            raise ValueError(f"values of a {kind} map must be numbers; not numeric: "
                             f"{list(s[num.isna()].index[:10])} (use kind='categorical')")
        if kind == "diverging":
            lim = float(np.nanmax(np.abs(num))) if vmin is None and vmax is None else max(abs(vmin or 0), abs(vmax or 0))
            norm = TwoSlopeNorm(vcenter=0.0, vmin=-lim if vmin is None else vmin, vmax=lim if vmax is None else vmax)
            cm = mpl.colormaps[cmap or "RdBu"]
        else:
            norm = Normalize(vmin=float(num.min()) if vmin is None else vmin,
                             vmax=float(num.max()) if vmax is None else vmax)
            cm = mpl.colormaps[cmap or "viridis"]
        # near-zero residuals are near white: grey outlines keep those countries visible
        shown.plot(ax=ax, color=[cm(norm(num[c])) for c in shown.index],
                   edgecolor="#9E9E9E" if kind == "diverging" else "white", linewidth=lw)
        ax.collections[-1].set_gid("map-values")
        if len(pts_shown):
            pcol = ax.scatter(pts_shown.geometry.x, pts_shown.geometry.y, s=marker_size ** 2,
                              c=[cm(norm(num[c])) for c in pts_shown.index], edgecolors=NEUTRAL["ink"],
                              linewidths=lw * 2, zorder=5)
            pcol.set_gid("map-points")
        sm = mpl.cm.ScalarMappable(norm=norm, cmap=cm)
        cb = fig.colorbar(sm, ax=ax, orientation="horizontal", fraction=0.05, pad=0.02, aspect=40, shrink=0.6,
                          location="bottom")
        text = label if label is not None else (var_label(str(name), unit=True) if name is not None else "")
        cb.set_label(wrap(text, wrap_width(0.6 * fig.get_figwidth(), points("axes.labelsize"))))
        cb.outline.set_visible(False)
        s = num

    handles.append(Patch(facecolor="white", edgecolor=_MISSING_EDGE, hatch="////", label=missing_label))
    if len(pts_shown):
        handles.append(Line2D([], [], marker="o", linestyle="none", markerfacecolor="white",
                              markeredgecolor=NEUTRAL["ink"], markersize=marker_size * 0.8,
                              label="small state"))
    leg_title = None
    if kind == "categorical":
        if label is not None:
            leg_title = label
        elif set(order) <= set(STATUS_ORDER):
            leg_title = "Score compared with the model's prediction"
        else:
            leg_title = var_label(str(name)) if name is not None else None
    # The sample size, notes and source go in the legend title, and the legend sits under the map in
    # one row: text placed over an equal-aspect map covers land or falls outside the figure.
    n_drawn = len(shown) + len(pts_shown)
    foot = [f"n = {n_drawn} countries"] + ([note] if note else [])
    if not_drawn:
        foot.append("not drawn (no outline): " + ", ".join(not_drawn))
    foot.append("Natural Earth 1:110m, Equal Earth projection")
    leg_title = (f"{leg_title} ({'; '.join(foot[:-1])})" if leg_title else "; ".join(foot[:-1])) + "; " + foot[-1]
    leg = ax.legend(handles=handles, title=leg_title, loc="upper center", bbox_to_anchor=(0.5, 0.0),
                    ncol=len(handles) if len(handles) <= 5 else (len(handles) + 1) // 2,
                    frameon=False, handlelength=1.4, borderaxespad=0.2, columnspacing=1.5)
    leg.get_title().set_fontsize(points("legend.fontsize") * 0.85)
    leg.get_title().set_color(NEUTRAL["ink"])
    leg.set_gid("map-legend")

    minx, miny, maxx, maxy = world.total_bounds
    ax.set_xlim(minx, maxx)
    ax.set_ylim(miny, maxy)
    ax.set_aspect("equal")
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    ax.cybercult_drawn = {"polygons": list(shown.index), "points": list(pts_shown.index),
                          "missing": list(missing.index), "not_drawn": not_drawn}
    return ax
