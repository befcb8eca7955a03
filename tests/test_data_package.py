"""Issue 11, the data package: a real package with public names, no import circle, loaders
registered explicitly, and a researcher's variables that travel with their panel."""
from __future__ import annotations

import ast
import graphlib
import tomllib
from pathlib import Path

import pandas as pd
import pytest

import cybercult as cc
import cybercult.data as D
from cybercult.errors import DataIntegrityError, UnknownVariableError

SRC = Path(D.__file__).resolve().parents[1]  # .../src/cybercult


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules(package: str) -> dict[str, Path]:
    root = SRC.parent.joinpath(*package.split("."))
    return {_module_name(p): p for p in sorted(root.rglob("*.py"))}


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Modules of ``known`` that ``name`` imports anywhere in its file (also inside functions);
    the parent packages Python imports implicitly are not edges."""
    is_pkg = path.name == "__init__.py"
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")
                base = base[:len(base) - node.level + (1 if is_pkg else 0)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module
            # "from pkg import sub" names a submodule; "from mod import obj" the module itself
            targets = [f"{mod}.{a.name}" if f"{mod}.{a.name}" in known else mod for a in node.names]
        else:
            continue
        for t in targets:
            while t and t not in known:  # "import a.b.c" of a non-module attribute: its module
                t = t.rpartition(".")[0]
            if t and t != name:
                out.add(t)
    return out


def _graph(package: str, known: set[str] | None = None) -> dict[str, set[str]]:
    mods = _modules(package)
    known = set(mods) if known is None else known
    return {m: _imports(m, p, known) for m, p in mods.items()}


def test_data_import_graph_has_no_cycle():
    graph = _graph("cybercult.data")
    assert "cybercult.data.variables" in graph and len(graph) >= 30
    # the circle the package used to have: catalogue -> loaders -> catalogue
    assert "cybercult.data.loaders" in graph["cybercult.data.catalogue"]
    assert "cybercult.data.catalogue" not in graph["cybercult.data.loaders.hofstede"]
    assert graph["cybercult.data.variables"] == set()
    order = list(graphlib.TopologicalSorter(graph).static_order())  # raises CycleError on a circle
    assert order.index("cybercult.data.variables") < order.index("cybercult.data.catalogue")


def test_the_cycle_check_sees_a_cycle(tmp_path):
    # the same checker on a two-module circle (the old catalogue <-> loaders shape) must fail
    graph = {"a.catalogue": {"a.loaders"}, "a.loaders": {"a.catalogue"}}
    with pytest.raises(graphlib.CycleError):
        list(graphlib.TopologicalSorter(graph).static_order())


def test_no_module_imports_a_submodule_the_package_shadows():
    # cybercult.data exports the function ``catalogue``, which hides the submodule of that name as a
    # package attribute: "from . import catalogue" would then bind the function, not the module
    shadowed = {n for n in D.__all__ if f"cybercult.data.{n}" in _modules("cybercult.data")}
    assert shadowed == {"catalogue"}
    bad = []
    for name, path in _modules("cybercult.data").items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and any(a.name in shadowed for a in node.names):
                is_pkg = path.name == "__init__.py"
                if (node.level == 1 and not node.module and not is_pkg) or node.module == "cybercult.data":
                    bad.append(name)
    assert bad == []


def test_data_never_imports_a_higher_layer():
    everything = set(_modules("cybercult"))
    graph = _graph("cybercult.data", everything)
    higher = ("cybercult.stats", "cybercult.plot", "cybercult.report", "cybercult.run", "cybercult.study",
              "cybercult.cli")
    bad = {m: sorted(t for t in deps if t.startswith(higher)) for m, deps in graph.items()}
    assert {m: d for m, d in bad.items() if d} == {}


def test_public_names_of_the_data_package():
    for name in D.__all__:
        assert hasattr(D, name), name
    from cybercult.data import build_panel, catalogue, get_variable  # noqa: F401 (the import is the test)

    # the top-level API re-exports the same objects
    for name in ("build_panel", "catalogue", "get_variable", "label", "load_source", "list_sources",
                 "read_indicator_file", "sample_sizes", "corrections_table", "compare_hofstede_editions", "Panel"):
        assert getattr(cc, name) is getattr(D, name)


def test_layers_are_attributes_of_the_package_without_importing_them():
    """``cc.plot.style`` after a plain ``import cybercult as cc``, in a fresh interpreter (where the
    plot layer is not yet imported), and the layer stays unimported until it is used."""
    import subprocess
    import sys

    code = ("import sys, cybercult as cc; before = 'cybercult.plot' in sys.modules; "
            "print(before, cc.plot.style is cc.style, cc.stats.regress is cc.regress, cc.report.__name__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "True", "True", "cybercult.report"]
    with pytest.raises(AttributeError, match="no attribute 'plots'"):
        cc.plots  # noqa: B018


def test_every_loader_module_is_registered_and_in_sources_toml():
    files = {p.stem for p in (SRC / "data" / "loaders").glob("*.py") if not p.stem.startswith("_")}
    assert set(D.LOADERS) == files
    with open(SRC / "data" / "sources.toml", "rb") as fh:
        registry = tomllib.load(fh)
    assert set(D.LOADERS) <= set(registry)
    for sid, loader in D.LOADERS.items():
        assert loader.id == sid
        assert loader.variables and all(v.id.startswith(sid + ".") for v in loader.variables)
    # the flags the loaders declare: WDI and the GCI 2024 tables carry ISO3 codes, GLOBE names
    assert D.get_loader("wdi").codes and D.get_loader("gci2024").codes and not D.get_loader("globe").codes
    assert D.get_loader("hofstede").exclude  # regional samples are dropped with a reason
    with pytest.raises(UnknownVariableError, match="gci2020"):
        D.get_loader("gci2021")


def test_each_loader_record_uses_every_constant_its_module_declares():
    """The registry is written out by hand: a module's OVERRIDES, EXCLUDE, CODES or check that its
    record does not pass on would be silently ignored; this catches it."""
    import importlib

    for sid, loader in D.LOADERS.items():
        mod = importlib.import_module(f"cybercult.data.loaders.{sid}")
        assert loader.read is mod.read and tuple(mod.VARIABLES) == loader.variables, sid
        for const, attr in (("OVERRIDES", "overrides"), ("EXCLUDE", "exclude"), ("CODES", "codes"),
                            ("check", "check")):
            if hasattr(mod, const):
                assert getattr(loader, attr) is getattr(mod, const), f"{sid}: {const} not in its record"
        # no near-miss spelling of a constant the record would read
        stray = [n for n in vars(mod) if n.isupper() and n not in ("SOURCE", "VARIABLES", "OVERRIDES", "EXCLUDE",
                                                                   "CODES", "YEAR")
                 and any(n.startswith(p) for p in ("OVER", "EXCL", "CODE"))]
        assert stray == [], f"{sid}: {stray}"


def test_a_loader_record_refuses_foreign_variable_ids():
    v = D.Variable("wdi.x", "X", "", None, None, "more", "yearly", "development")
    with pytest.raises(DataIntegrityError, match="must start with 'undp.'"):
        D.Loader("undp", lambda: pd.DataFrame(), (v,))


def test_user_variables_travel_with_the_panel_not_the_process(tmp_path):
    p = tmp_path / "mine.csv"
    p.write_text("iso3,Broadband speed\nDNK,210\nEST,150\nUSA,120\n", encoding="utf-8")
    vid = "user.mine.broadband_speed"
    panel = cc.build_panel(["gci2020.score"], sample="outcome", extra=[p])
    assert panel.data.loc["EST", vid] == 150
    assert panel.variable(vid).block == "user" and panel.variable(vid).label == "Broadband speed"
    assert panel.label(vid) == "Broadband speed"
    assert panel.label("gci2020.score") == cc.label("gci2020.score") == "Global Cybersecurity Index 2020"
    assert panel.catalogue().set_index("variable").loc[vid, "block"] == "user"
    # nothing leaked into the process-wide catalogue
    assert cc.label(vid) == vid
    with pytest.raises(UnknownVariableError):
        cc.get_variable(vid)
    assert vid not in set(cc.catalogue()["variable"])
    # the frame handed to stats carries the labels, and keeps them through a column selection
    from cybercult.stats._validate import catalogue_label, catalogue_variable

    sub = panel.data[["gci2020.score", vid]].dropna()
    assert catalogue_label(vid, sub) == "Broadband speed"
    assert catalogue_label(vid) == vid  # without the frame: the id, as for any unknown column
    assert catalogue_variable(vid) is None and catalogue_variable(vid, sub).block == "user"
    # a model fitted on the panel's frame labels the term with the file's header, not the id
    table = cc.regress(panel.data, "gci2020.score", [vid]).table.set_index("term")
    assert table.loc[vid, "label"] == "Broadband speed" and table.loc[vid, "block"] == "user"
    # a panel without the researcher's files carries nothing
    assert cc.build_panel(["gci2020.score"], sample="outcome").data.attrs == {}


def test_loaders_raise_data_integrity_errors_only():
    raised = {}
    for path in sorted((SRC / "data" / "loaders").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and \
                    isinstance(node.exc.func, ast.Name):
                raised.setdefault(node.exc.func.id, []).append(path.name)
    # a file that is not as published: DataIntegrityError; an unknown source id asked of get_loader
    # is the caller's error (UnknownVariableError), raised only by the registry
    assert set(raised) == {"DataIntegrityError", "UnknownVariableError"}, raised
    assert raised["UnknownVariableError"] == ["__init__.py"]
    assert len(set(raised["DataIntegrityError"])) >= 10  # the loaders that check their files


def test_a_malformed_bundled_file_is_a_data_integrity_error(tmp_path, monkeypatch):
    from cybercult.data.loaders import wgi

    bad = tmp_path / "wgi.csv"
    bad.write_text("Code,Year,Estimate,Indicator\nDNK,2019,1.9,Government Effectiveness Index\n", encoding="latin-1")
    monkeypatch.setattr(wgi, "source_path", lambda source, relpath: bad)
    with pytest.raises(DataIntegrityError, match=r"column 'Indicator' has unknown value\(s\) "
                                                 r"\['Government Effectiveness Index'\]"):
        wgi.read()


def test_no_module_of_the_package_is_over_600_lines():
    """Modules are cut along their seams (the house issue): a module that grows past 600 lines
    is a sign that two concepts share it."""
    root = Path(cc.__file__).parent
    long = {str(p.relative_to(root)): n for p in root.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 600}
    assert long == {}
