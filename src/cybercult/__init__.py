"""cybercult: national culture, politics, military and development against cybersecurity commitment.

The public API (``import cybercult as cc``):

Data: ``list_sources``, ``load_source``, ``catalogue``, ``build_panel``,
``sample_sizes``, ``compare_hofstede_editions``, ``read_indicator_file``, ``corrections_table``.
Models: ``correlate``, ``compare_groups``, ``regress``, ``fractional_logit``,
``ordinal_logit``, ``hierarchical``, ``classify_factors``, ``classify_blocks``,
``performers``, ``compare_models``, ``bootstrap``, ``permutation_test``,
``leave_one_out``, ``specification_curve``, ``specification_curves``, ``regions``.
Figures: ``style``, ``save_figure``, ``plot_drivers``, ``plot_drivers_grid``,
``plot_correlation_heatmap``, ``plot_scatter``, ``plot_added_variable``,
``plot_groups``, ``plot_hierarchy``, ``plot_performers``, ``plot_specification_curve``.
Pipeline: ``load_study``, ``run_study``.

statsmodels and matplotlib are imported only when a model or figure function is
first used, so ``import cybercult`` stays fast.
"""
from __future__ import annotations

import importlib
import logging
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("cybercult")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0+unknown"

logging.getLogger("cybercult").addHandler(logging.NullHandler())  # a library logs; the application shows

from .data import (DEFAULT_BLOCKS, DEFAULT_OUTCOME, DEFAULT_PREDICTORS, DEFAULT_VARIABLES, Panel, build_panel,
                   catalogue, compare_hofstede_editions, corrections_table, get_variable, label, list_sources,
                   load_source, read_indicator_file, sample_sizes)
from .errors import (CybercultError, CybercultWarning, DataIntegrityError, FewObservationsWarning,
                     NoValueInWindowWarning, OutOfRangeWarning, OutputFolderError, SingularResampleWarning,
                     StudyFileError, TierCheckWarning, UnknownVariableError, UnmatchedCountryError, UserDataError)

_LAZY = {
    # stats layer
    "correlate": "cybercult.stats", "compare_groups": "cybercult.stats", "regress": "cybercult.stats",
    "fractional_logit": "cybercult.stats", "ordinal_logit": "cybercult.stats",
    "hierarchical": "cybercult.stats", "classify_factors": "cybercult.stats",
    "performers": "cybercult.stats", "compare_models": "cybercult.stats", "VERDICT_RULE": "cybercult.stats",
    "bootstrap": "cybercult.stats.robustness", "permutation_test": "cybercult.stats.robustness",
    "leave_one_out": "cybercult.stats.robustness", "specification_curve": "cybercult.stats.robustness",
    "specification_curves": "cybercult.stats.robustness", "regions": "cybercult.stats.robustness",
    "classify_blocks": "cybercult.stats", "BLOCK_RULE": "cybercult.stats",
    # plot layer
    "style": "cybercult.plot", "PALETTE": "cybercult.plot", "save_figure": "cybercult.plot",
    "plot_drivers": "cybercult.plot", "plot_drivers_grid": "cybercult.plot",
    "plot_correlation_heatmap": "cybercult.plot", "plot_scatter": "cybercult.plot",
    "plot_added_variable": "cybercult.plot", "plot_groups": "cybercult.plot",
    "plot_hierarchy": "cybercult.plot", "plot_performers": "cybercult.plot",
    "plot_map": "cybercult.plot", "plot_cultural_map": "cybercult.plot",
    "plot_specification_curve": "cybercult.plot",
    # report layer
    "publication_table": "cybercult.report", "write_deck": "cybercult.report", "Report": "cybercult.report",
    # pipeline
    "load_study": "cybercult.study", "run_study": "cybercult.run", "compute": "cybercult.run",
    "StudyResults": "cybercult.run", "Inference": "cybercult.stats.inference",
}

__all__ = [
    "__version__", "list_sources", "load_source", "catalogue", "get_variable", "label", "corrections_table",
    "build_panel", "sample_sizes", "compare_hofstede_editions", "read_indicator_file", "Panel",
    "DEFAULT_BLOCKS", "DEFAULT_OUTCOME", "DEFAULT_PREDICTORS", "DEFAULT_VARIABLES",
    "CybercultError", "CybercultWarning", "DataIntegrityError", "FewObservationsWarning", "NoValueInWindowWarning",
    "OutOfRangeWarning", "OutputFolderError", "SingularResampleWarning", "StudyFileError", "TierCheckWarning",
    "UnknownVariableError", "UnmatchedCountryError", "UserDataError",
    *_LAZY,
]


#: Layers reachable as attributes (``cc.stats``, ``cc.plot``) without importing them first.
_SUBPACKAGES = ("data", "stats", "plot", "report")


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    if name in _SUBPACKAGES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'cybercult' has no attribute {name!r}")


def __dir__():
    return sorted(__all__)
