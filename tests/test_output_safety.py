"""A run never loses a user's files: the output-folder rule, the atomic swap, interrupts, concurrent runs."""
import os
import signal
import subprocess
import sys
import time

import pytest

import cybercult as cc
from cybercult.output import MARKER, read_marker, safe_output

CLI = [sys.executable, "-m", "cybercult.cli"]

# a small study: every step runs, few resamples, PNG only
SMALL = """
[study]
title = "Small"
[model]
pillars = ["gci2020.legal"]
alternative_outcomes = []
group_by = ["eiu.regime"]
correlation_methods = ["spearman"]
fractional_logit = false
ordinal_logit = false
[robustness]
n_boot = 100
n_perm = 100
spec_outcomes = ["gci2020.score"]
[figures]
formats = ["png"]
"""


def _cli(*args, cwd=None):
    return subprocess.run(CLI + [str(a) for a in args], capture_output=True, text=True, cwd=cwd)


def _leftovers(parent):
    return sorted(p.name for p in parent.iterdir() if ".cybercult-" in p.name)


def test_user_folder_given_as_out_is_refused_and_kept(tmp_path):
    mine = tmp_path / "mydir"
    mine.mkdir()
    (mine / "notes.txt").write_text("my draft")
    r = _cli("run", "--out", mine, "--quiet")
    assert r.returncode == 2
    assert "Traceback" not in r.stderr and "mydir" in r.stderr and "notes.txt" in r.stderr
    assert (mine / "notes.txt").read_text() == "my draft"
    assert sorted(p.name for p in mine.iterdir()) == ["notes.txt"]


def test_output_dot_next_to_paper_keeps_both(tmp_path):
    study = tmp_path / "study.toml"
    study.write_text('[study]\noutput = "."\n')
    (tmp_path / "paper.tex").write_text("\\documentclass{article}")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "mine.csv").write_text("iso3,x\nDNK,1\n")
    r = _cli("run", study.name, "--quiet", cwd=tmp_path)
    assert r.returncode == 2 and "current directory" in r.stderr and "Traceback" not in r.stderr
    assert study.is_file() and (tmp_path / "paper.tex").is_file() and (tmp_path / "data" / "mine.csv").is_file()


@pytest.mark.parametrize("where", ["home", "root", "study_parent"])
def test_protected_folders_are_refused_even_with_force(tmp_path, where):
    study = tmp_path / "s.toml"
    study.write_text("")
    dest = {"home": os.path.expanduser("~"), "root": "/", "study_parent": str(tmp_path)}[where]
    r = _cli("run", study, "--out", dest, "--force", "--quiet")
    assert r.returncode == 2 and "not allowed" in r.stderr and "Traceback" not in r.stderr
    assert study.is_file()


def test_force_keeps_the_user_folder_aside(tmp_path):
    mine = tmp_path / "mydir"
    mine.mkdir()
    (mine / "notes.txt").write_text("draft")
    with safe_output(mine, version="t", force=True) as work:
        (work / "a.csv").write_text("1")
    assert (tmp_path / "mydir.old-1" / "notes.txt").read_text() == "draft"
    assert sorted(p.name for p in mine.iterdir()) == [MARKER, "a.csv"]


def test_rerun_replaces_an_earlier_output_and_refuses_added_files(tmp_path):
    dest = tmp_path / "out"
    with safe_output(dest, version="t") as work:
        (work / "old.csv").write_text("old")
        (work / "sub").mkdir()
        (work / "sub" / "f.png").write_bytes(b"png")
    assert read_marker(dest)["files"] == ["old.csv", "sub/f.png"]
    with safe_output(dest, version="t") as work:
        (work / "new.csv").write_text("new")
    assert sorted(p.name for p in dest.iterdir()) == [MARKER, "new.csv"]
    (dest / "mine.txt").write_text("user")
    with pytest.raises(cc.OutputFolderError, match="mine.txt"):
        with safe_output(dest, version="t"):
            pass
    assert (dest / "mine.txt").read_text() == "user" and (dest / "new.csv").read_text() == "new"
    assert _leftovers(tmp_path) == []


def test_failure_inside_leaves_the_old_output(tmp_path):
    dest = tmp_path / "out"
    with safe_output(dest, version="t") as work:
        (work / "a.csv").write_text("old")
    with pytest.raises(RuntimeError):
        with safe_output(dest, version="t") as work:
            (work / "a.csv").write_text("half")
            raise RuntimeError("step failed")
    assert (dest / "a.csv").read_text() == "old" and _leftovers(tmp_path) == []


def test_interrupt_during_the_swap_leaves_one_complete_output(tmp_path, monkeypatch):
    """A signal that arrives between the two renames is held back until the new output is in place."""
    dest = tmp_path / "out"
    with safe_output(dest, version="t") as work:
        (work / "a.csv").write_text("old")
    real_rename = os.rename
    calls = []

    def rename_then_signal(src, dst):
        real_rename(src, dst)
        calls.append(str(dst))
        if len(calls) == 1:  # after moving the old output aside: the worst moment for an interrupt
            os.kill(os.getpid(), signal.SIGINT)

    monkeypatch.setattr("pathlib.os.rename", rename_then_signal, raising=False)
    monkeypatch.setattr(os, "rename", rename_then_signal)
    with pytest.raises(KeyboardInterrupt):
        with safe_output(dest, version="t") as work:
            (work / "a.csv").write_text("new")
    assert len(calls) >= 2, "the swap was not completed before the interrupt was delivered"
    assert (dest / "a.csv").read_text() == "new" and _leftovers(tmp_path) == []


def test_an_interrupt_swallowed_on_the_way_still_stops_the_swap(tmp_path):
    """Code that eats the KeyboardInterrupt (a finalizer, a broad except) cannot make a stopped run commit."""
    dest = tmp_path / "out"
    with safe_output(dest, version="t") as work:
        (work / "a.csv").write_text("old")
    with pytest.raises(KeyboardInterrupt, match="SIGTERM"):
        with safe_output(dest, version="t") as work:
            try:
                os.kill(os.getpid(), signal.SIGTERM)
                time.sleep(1)  # the handler runs here and raises
            except KeyboardInterrupt:
                pass  # swallowed, as Python does for an exception raised inside __del__
            (work / "a.csv").write_text("new")
    assert (dest / "a.csv").read_text() == "old" and _leftovers(tmp_path) == []


def test_leftovers_of_a_killed_run_are_restored_or_removed(tmp_path):
    dest = tmp_path / "out"
    with safe_output(dest, version="t") as work:
        (work / "a.csv").write_text("old")
    # a run killed (SIGKILL) between moving the old output aside and moving the new one in
    dest.rename(tmp_path / ".out.cybercult-old")
    tmp = tmp_path / ".out.cybercult-tmp-99999"
    tmp.mkdir()
    (tmp / MARKER).write_text("{}")
    (tmp_path / ".unrelated").mkdir()
    with safe_output(dest, version="t") as work:
        assert (dest / "a.csv").read_text() == "old"  # restored before the new run swaps
        (work / "a.csv").write_text("new")
    assert (dest / "a.csv").read_text() == "new"
    assert _leftovers(tmp_path) == [] and (tmp_path / ".unrelated").is_dir()


def test_two_runs_at_once_are_refused_not_interleaved(tmp_path):
    dest = tmp_path / "out"
    with safe_output(dest, version="t") as work:
        (work / "a.csv").write_text("first")
        with pytest.raises(cc.OutputFolderError, match="another cybercult run"):
            with safe_output(dest, version="t"):
                pass
    assert (dest / "a.csv").read_text() == "first" and _leftovers(tmp_path) == []


@pytest.fixture(scope="module")
def previous_output(tmp_path_factory):
    base = tmp_path_factory.mktemp("prev")
    (base / "small.toml").write_text(SMALL)
    r = _cli("run", base / "small.toml", "--out", base / "out", "--quiet")
    assert r.returncode == 0, r.stderr
    snapshot = {p.relative_to(base / "out"): p.read_bytes() for p in (base / "out").rglob("*") if p.is_file()}
    return base, snapshot


# (signal, the progress line after which it is sent, whether seconds of work remain after that line so the
# signal always arrives before the run could finish)
@pytest.mark.parametrize("sig,at,early", [(signal.SIGINT, "building the panel", True),
                                          (signal.SIGTERM, "regressions", True),
                                          (signal.SIGINT, "figure map_outcome", True),
                                          (signal.SIGTERM, "writing tables", False),
                                          (signal.SIGINT, "report", False)])
def test_signal_at_any_step_leaves_the_previous_output(previous_output, sig, at, early):
    """Old output intact and nothing left behind; near the end the run may finish first, and then the new output
    must be complete (the same study into the same folder gives the same bytes)."""
    base, snapshot = previous_output
    proc = subprocess.Popen(CLI + ["run", str(base / "small.toml"), "--out", str(base / "out")],
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    seen = []
    for line in proc.stderr:  # progress lines of the logger "cybercult"
        seen.append(line)
        if at in line:
            proc.send_signal(sig)
            break
    rest = proc.communicate(timeout=120)[1]
    assert any(at in s for s in seen), "".join(seen)
    if early:
        assert proc.returncode != 0, "the run finished before the signal arrived"
    assert "Traceback" not in rest
    now = {p.relative_to(base / "out"): p.read_bytes() for p in (base / "out").rglob("*") if p.is_file()}
    assert now == snapshot
    assert _leftovers(base) == []


def test_figures_folder_inside_the_output_folder(tmp_path):
    study = tmp_path / "s.toml"
    text = SMALL.replace('title = "Small"', f'title = "Small"\noutput = "{tmp_path / "out"}"\n'
                                             f'figures = "{tmp_path / "out" / "figs"}"')
    study.write_text(text)
    cc.run_study(study)
    assert (tmp_path / "out" / "figs" / "drivers.png").is_file()
    assert "figs/drivers.png" in read_marker(tmp_path / "out")["files"]
    cc.run_study(study)  # and again: the folder is cybercult's own now
    assert (tmp_path / "out" / "figs" / "drivers.png").is_file()


def test_separate_figures_folder_obeys_the_rule(tmp_path):
    figs = tmp_path / "figs"
    figs.mkdir()
    (figs / "logo.svg").write_text("<svg/>")
    study = tmp_path / "s.toml"
    study.write_text(SMALL.replace('title = "Small"', f'title = "Small"\noutput = "{tmp_path / "out"}"\n'
                                                      f'figures = "{figs}"'))
    with pytest.raises(cc.OutputFolderError, match="logo.svg"):
        cc.run_study(study)
    assert (figs / "logo.svg").is_file() and not (tmp_path / "out").exists()
