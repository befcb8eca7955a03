"""Figures: packaged styles, one module per figure family, and :func:`save_figure`.

Every plot function takes the data or result first, keyword-only options and
an optional ``ax``, and returns the Axes (:func:`plot_drivers_grid` returns the
Figure), so notebooks can compose panels. Labels and units come from the
variable catalogue. Use a style in a ``with`` block and write files with
:func:`save_figure`::

    import cybercult as cc
    verdict = cc.classify_factors(cc.regress(panel.data, "gci2020.score", predictors))
    with cc.style("slides"):
        ax = cc.plot_drivers(verdict)
        cc.save_figure(ax.figure, "figures/drivers")
"""
from .cultural_map import plot_cultural_map
from .correlation import plot_correlation_heatmap
from .drivers import plot_drivers, plot_drivers_grid
from .groups import plot_groups
from .hierarchy import plot_hierarchy
from .maps import plot_map, world_outlines
from .performers import plot_performers
from .save import save_figure
from .scatter import plot_added_variable, plot_scatter
from .specification import plot_specification_curve
from .style import PALETTE, ROLE_ORDER, STATUS_PALETTE, available_styles, style

__all__ = [
    "style", "available_styles", "PALETTE", "ROLE_ORDER", "STATUS_PALETTE", "save_figure",
    "plot_drivers", "plot_drivers_grid", "plot_correlation_heatmap", "plot_scatter",
    "plot_added_variable", "plot_groups", "plot_hierarchy", "plot_performers", "plot_map", "plot_cultural_map",
    "world_outlines", "plot_specification_curve",
]
