"""The data layer: bundled sources, the variable catalogue, the country panel.

Data flows one way through these modules (none imports a later one)::

    variables    Variable and its vocabularies (TIMINGS, BLOCKS)
    registry     sources.toml: what each bundled file is, checked by sha256
    corrections  known errors in raw files, fixed from a table with reasons
    countries    names and codes to ISO3
    loaders      one module per source, registered as Loader records in LOADERS
    derived      variables computed from bundled ones
    catalogue    every bundled variable: labels, units, ranges, blocks
    userdata     a researcher's own indicator files
    panel        the country panel and its audit
    checks       a loaded source against its publisher's counts (GCI 2024 tiers)
    editions     comparison of the two Hofstede editions

Examples
--------
>>> from cybercult.data import build_panel, get_variable
>>> get_variable("gci2020.score").block
'outcome'
"""
from __future__ import annotations

from .catalogue import catalogue, get_variable, label, variable_ids
from .checks import gci2024_tier_check
from .corrections import corrections_table
from .derived import DERIVED
from .editions import compare_hofstede_editions
from .loaders import LOADERS, Loader, SourceData, get_loader, load_all, load_source
from .panel import (DEFAULT_BLOCKS, DEFAULT_OUTCOME, DEFAULT_PREDICTORS, DEFAULT_SAMPLE, DEFAULT_VARIABLES,
                    SAMPLE_RULES, Panel, SampleRule, build_panel, sample_sizes)
from .registry import Source, get_source, input_hashes, list_sources, source_path
from .userdata import read_indicator_file
from .variables import BLOCKS, TIMINGS, USER_BLOCK, Variable

__all__ = [
    # variables and the catalogue
    "Variable", "TIMINGS", "BLOCKS", "USER_BLOCK", "DERIVED", "catalogue", "get_variable", "label", "variable_ids",
    # sources and loaders
    "Source", "get_source", "list_sources", "source_path", "input_hashes", "corrections_table",
    "Loader", "LOADERS", "SourceData", "get_loader", "load_source", "load_all", "gci2024_tier_check",
    # panel
    "Panel", "SampleRule", "SAMPLE_RULES", "DEFAULT_SAMPLE", "DEFAULT_BLOCKS", "DEFAULT_OUTCOME",
    "DEFAULT_PREDICTORS", "DEFAULT_VARIABLES", "build_panel", "sample_sizes", "read_indicator_file",
    "compare_hofstede_editions",
]
