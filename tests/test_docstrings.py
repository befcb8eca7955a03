"""Docstrings: shared paragraphs are inserted, and no parameter is left without text.

Checked on every layer whose docstrings use :mod:`cybercult._docstrings`: data, stats, plot
(including the plot package's private helpers), report, output and study.
"""
from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

import pytest

import cybercult
from cybercult._docstrings import DocstringComponents, fill_doc, params

CHECKED = ["cybercult.data", "cybercult.stats", "cybercult.plot", "cybercult.report", "cybercult.output",
           "cybercult.study", "cybercult._docstrings"]


def _modules():
    for name in CHECKED:
        mod = importlib.import_module(name)
        yield mod
        if hasattr(mod, "__path__"):
            for info in pkgutil.walk_packages(mod.__path__, prefix=name + "."):
                yield importlib.import_module(info.name)


def _documented(doc: str) -> dict[str, bool]:
    """numpydoc ``Parameters``/``Other Parameters`` entries -> whether each has a description."""
    lines = inspect.cleandoc(doc).splitlines()
    out, section = {}, None
    for i, line in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if re.fullmatch(r"-{3,}", nxt.strip()):
            section = line.strip()
            continue
        if section not in ("Parameters", "Other Parameters") or not line or line.startswith(" "):
            continue
        if re.fullmatch(r"-{3,}", line.strip()):
            continue
        names = [n.strip().lstrip("*") for n in line.split(" : ")[0].split(",")]
        has_text = i + 1 < len(lines) and lines[i + 1].startswith(" ") and bool(lines[i + 1].strip())
        for n in names:
            out[n] = has_text
    return out


def _public_callables():
    seen = set()
    for mod in _modules():
        for name, obj in vars(mod).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != mod.__name__:
                continue
            if inspect.isfunction(obj) and id(obj) not in seen:
                seen.add(id(obj))
                yield f"{mod.__name__}.{name}", obj
            elif inspect.isclass(obj):
                for mname, meth in vars(obj).items():
                    if (mname.startswith("_") or not inspect.isfunction(meth) or meth.__name__ != mname
                            or id(meth) in seen):  # a function stored as a field default is no method
                        continue
                    seen.add(id(meth))
                    yield f"{mod.__name__}.{name}.{mname}", meth


CALLABLES = dict(_public_callables())


@pytest.mark.parametrize("qualname", sorted(CALLABLES))
def test_every_parameter_has_text(qualname):
    func = CALLABLES[qualname]
    sig = [p for p in inspect.signature(func).parameters if p not in ("self", "cls")]
    if not sig:
        return
    doc = func.__doc__ or ""
    assert not re.search(r"^\s*\{\w+\.\w+\}\s*$", doc, re.MULTILINE), f"{qualname}: placeholder left unfilled"
    documented = _documented(doc)
    missing = [p for p in sig if p not in documented]
    empty = [p for p in sig if documented.get(p) is False]
    assert not missing and not empty, f"{qualname}: undocumented {missing}, no text {empty}"


def test_enough_callables_are_checked():
    # the walk above must reach the modules, or the parametrized test checks nothing
    assert {"cybercult.data.panel.build_panel", "cybercult.data.userdata.read_indicator_file",
            "cybercult.study.load_study", "cybercult.plot.drivers.plot_drivers",
            "cybercult.plot._common.get_ax", "cybercult.stats.ols.regress",
            "cybercult.stats.resampling.bootstrap"} <= set(CALLABLES)


def test_shared_paragraph_is_inserted_with_the_placeholder_indentation():
    @fill_doc
    def f(alpha=0.05, rng=None):
        """Do something.

        Parameters
        ----------
        {params.alpha}
        {params.rng}
        """

    lines = inspect.cleandoc(f.__doc__).splitlines()
    assert lines[4] == "alpha : float"
    assert lines[5].startswith("    Significance level")
    assert _documented(f.__doc__) == {"alpha": True, "rng": True}
    # the same text as the component, re-indented
    assert inspect.cleandoc(f.__doc__).count(params.alpha.splitlines()[1].strip()) == 1


def test_unknown_placeholder_fails_at_definition():
    with pytest.raises(KeyError, match="params.alhpa"):
        @fill_doc
        def f(alpha=0.05):
            """Parameters
            ----------
            {params.alhpa}
            """


def test_other_braces_are_left_alone():
    @fill_doc
    def f():
        """Returns ``{"a": 1}`` and {this}."""

    assert f.__doc__ == 'Returns ``{"a": 1}`` and {this}.'


def test_local_components_and_the_vocabulary():
    mine = DocstringComponents({"k": "k : int\n    Count."})

    @fill_doc(mine=mine)
    def f(k):
        """Parameters
        ----------
        {mine.k}
        """

    assert "Count." in f.__doc__
    # the shared paragraphs use the package's vocabulary (STYLE.md)
    for word in ("fdr_bh", "holm", "bonferroni", "none"):
        assert word in params.padjust
    assert "1 - alpha" in params.alpha
    assert cybercult.build_panel.__doc__.count("How many years before ``year``") == 1


def test_stats_examples_run():
    # the stats examples run on the bundled panel (``make test`` runs them with --doctest-modules); none is skipped
    skipped = [mod.__name__ for mod in _modules()
               if mod.__name__.startswith("cybercult.stats") and "doctest: +SKIP" in inspect.getsource(mod)]
    assert not skipped
