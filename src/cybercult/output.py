"""Safe output folders: a run never deletes what it did not write.

A run builds its output in a hidden sibling folder and swaps it into place only
when every step succeeded. The destination may be

- a folder that does not exist yet (it is created), or empty;
- a folder that an earlier cybercult run wrote: it carries the marker file
  :data:`MARKER` listing every file that run wrote, and holds nothing else.

Anything else is refused with :class:`~cybercult.errors.OutputFolderError`
(exit status 2 at the command line), naming the folder and the files that are
not cybercult's. With ``force=True`` such a folder is not deleted either: it is
renamed aside to ``NAME.old-N`` (the first free N) and the message says where.
The current directory, the home directory, a filesystem root and any folder
that contains one of the run's input files are never replaced, with or without
``force``.

The swap is guarded: SIGINT and SIGTERM raise ``KeyboardInterrupt`` while the
output is being built (so the temporary folder is removed), and are held back
during the two renames and the removal of the old output, so an interrupt
leaves either the complete old output or the complete new one. A lock file
beside the destination makes a second run aimed at the same folder stop with a
clear message instead of interleaving with the first. Leftovers of a run that
was killed outright (SIGKILL, power loss) are recognised by their marker and
cleaned up, or restored, by the next run.
"""
from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import signal
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

from ._docstrings import DocstringComponents, fill_doc
from .errors import OutputFolderError

MARKER = ".cybercult-output"
_TMP = ".cybercult-tmp"
_OLD = ".cybercult-old"
_LOCK = ".cybercult-lock"


#: Parameters shared by :func:`check_destination` and :func:`safe_output`.
_OUTPUT_DOCS = DocstringComponents(dict(dest="""
    dest : path
        The folder the run will (re)place.
    inputs : paths
        Files the run reads (the study file, extra data files): a folder holding
        one of them is never replaced.
    force : bool
        Accept an existing folder that cybercult did not write (it is renamed
        aside, never deleted).
    what : str
        How to name the folder in messages ("output folder", "figure folder").
"""))


def _sibling(dest: Path, kind: str) -> Path:
    return dest.parent / f".{dest.name}{kind}"


def read_marker(folder: Path) -> dict | None:
    """The marker of a cybercult output folder (``None`` when there is none or it is unreadable).

    Parameters
    ----------
    folder : path
        A folder a run may have written.

    Returns
    -------
    dict or None
        ``written_by``, ``cybercult`` (version), ``files`` (every file written, POSIX paths), ``note``.
    """
    try:
        data = json.loads((Path(folder) / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("files"), list) else None


def write_marker(folder: Path, version: str) -> None:
    """Write the marker listing every file below ``folder`` (sorted, POSIX paths; no dates).

    Parameters
    ----------
    folder : path
        The folder a run has just written.
    version : str
        The cybercult version, recorded in the marker.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "table.csv").write_text("a\\n1\\n")
    >>> write_marker(folder, "1.0")
    >>> read_marker(folder)["files"]
    ['table.csv']
    """
    folder = Path(folder)
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                   if p.is_file() and p.name != MARKER)
    body = {"written_by": "cybercult", "cybercult": version, "files": files,
            "note": "This folder was written by a cybercult run and is replaced by the next run aimed at it. "
                    "Files you add here make the next run refuse the folder."}
    (folder / MARKER).write_text(json.dumps(body, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def _foreign_files(folder: Path) -> list[str]:
    """Files and folders below ``folder`` that its marker does not list (all of them without a marker)."""
    marker = read_marker(folder)
    listed = set(marker["files"]) if marker else set()
    out = []
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder).as_posix()
        if p.name == MARKER and p.parent == folder and marker:
            continue
        if p.is_dir() and not p.is_symlink():
            if not any(f.startswith(rel + "/") for f in listed):
                out.append(rel + "/")
            continue
        if rel not in listed:
            out.append(rel)
    # report a foreign folder once, not every file inside it
    folders = [f for f in out if f.endswith("/")]
    return [f for f in out if not any(f != d and f.startswith(d) for d in folders)]


def _protected(dest: Path, inputs: Iterable[Path]) -> str | None:
    """Why ``dest`` may never be replaced, or None."""
    d = dest.resolve()
    if d == Path.cwd().resolve():
        return "it is the current directory"
    if d == Path.home().resolve():
        return "it is your home directory"
    if d == Path(d.anchor):
        return "it is the root of a filesystem"
    for f in inputs:
        f = Path(f).resolve()
        if f == d or d in f.parents:
            return f"it contains an input of this run ({f})"
    return None


@fill_doc(output=_OUTPUT_DOCS)
def check_destination(dest: str | Path, *, inputs: Iterable[str | Path] = (), force: bool = False,
                      what: str = "output folder") -> Path:
    """Check that a run may write ``dest``; raise :class:`OutputFolderError` naming it if not.

    Parameters
    ----------
    {output.dest}

    Returns
    -------
    Path
        ``dest`` as a Path.
    """
    dest = Path(dest)
    why = _protected(dest, inputs)
    if why:
        raise OutputFolderError(f"{what} {str(dest)!r} is not allowed: {why}. A run replaces its {what} whole; "
                                f"name a new folder instead (for example --out {dest.name or 'out'}-cybercult).")
    if dest.exists() and not dest.is_dir():
        raise OutputFolderError(f"{what} {str(dest)!r} is a file, not a folder; name a new folder instead.")
    if dest.is_dir() and not force:
        foreign = _foreign_files(dest)
        if foreign:
            shown = ", ".join(foreign[:8]) + (f" and {len(foreign) - 8} more" if len(foreign) > 8 else "")
            origin = ("an earlier cybercult run wrote it, but it now also holds" if read_marker(dest)
                      else "it is not empty and was not written by cybercult; it holds")
            raise OutputFolderError(
                f"{what} {str(dest)!r} is refused: {origin} {shown}. A run replaces its {what} whole and never "
                f"deletes files it did not write. Name a new folder, move those files out, or use --force "
                f"(force=True in Python) to have the existing folder renamed aside to {dest.name}.old-N.")
    return dest


class _Signals:
    """SIGINT/SIGTERM: raise KeyboardInterrupt while building; held back during the swap.

    The handler, not a signal mask, holds a signal back: in a process with
    other threads the kernel may deliver a signal to any of them, and Python
    then runs the handler in the main thread anyway. Python runs signal
    handlers only in the main thread, so elsewhere (a worker thread) this does
    nothing and the default behaviour stays.
    """

    def __init__(self):
        self.active = threading.current_thread() is threading.main_thread()
        self.saved: dict = {}
        self.holding = False
        self.pending: int | None = None
        self.received: int | None = None

    def _handler(self, signum, frame):
        self.received = signum
        if self.holding:
            self.pending = signum
            return
        raise KeyboardInterrupt(f"stopped by signal {signal.Signals(signum).name}")

    def check(self) -> None:
        """Raise if a signal arrived whose KeyboardInterrupt was swallowed on the way.

        Python drops an exception raised by a signal handler while a finalizer (``__del__``, a
        weakref callback) runs, with only an "Exception ignored" message; the flag set by the
        handler makes sure such a run still never swaps its output into place.
        """
        if self.received is not None:
            raise KeyboardInterrupt(f"stopped by signal {signal.Signals(self.received).name}")

    def __enter__(self):
        if self.active:
            for s in (signal.SIGINT, signal.SIGTERM):
                self.saved[s] = signal.signal(s, self._handler)
        return self

    @contextlib.contextmanager
    def held(self):
        """Hold SIGINT/SIGTERM back for the few renames that must not be split; deliver them after."""
        self.holding = True
        try:
            yield
        finally:
            self.holding = False
        if self.pending is not None:
            signum, self.pending = self.pending, None
            raise KeyboardInterrupt(f"stopped by signal {signal.Signals(signum).name}")

    def __exit__(self, *exc):
        for s, h in self.saved.items():
            signal.signal(s, h)
        return False


@contextlib.contextmanager
def _lock(dest: Path) -> Iterator[None]:
    """An exclusive lock beside ``dest``; a second run aimed at it is refused, not queued."""
    path = _sibling(dest, _LOCK)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: O_EXCL file as the lock
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            raise OutputFolderError(f"another cybercult run is writing {str(dest)!r} (lock {path}); wait for it "
                                    "to finish, or remove the lock file if no run is going on") from None
        try:
            yield
        finally:
            os.close(fd)
            path.unlink(missing_ok=True)
        return
    while True:
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                raise OutputFolderError(f"another cybercult run is writing {str(dest)!r} right now; wait for it "
                                        "to finish or choose another --out") from None
            raise
        # the lock file may have been removed by the run that held it: then lock the new one
        try:
            same = os.path.samestat(os.fstat(fd), os.stat(path))
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    try:
        yield
    finally:
        path.unlink(missing_ok=True)
        os.close(fd)


def _clean_leftovers(dest: Path) -> None:
    """Tidy what a killed run left beside ``dest`` (only folders that carry our marker)."""
    old = _sibling(dest, _OLD)
    if old.is_dir() and read_marker(old) is not None:
        if dest.exists():
            shutil.rmtree(old)
        else:  # killed between the two renames: the old output goes back
            old.rename(dest)
    for tmp in dest.parent.glob(f".{dest.name}{_TMP}-*"):
        if tmp.is_dir() and (tmp / MARKER).is_file():
            shutil.rmtree(tmp, ignore_errors=True)


@contextlib.contextmanager
@fill_doc(output=_OUTPUT_DOCS)
def safe_output(dest: str | Path, *, version: str, inputs: Iterable[str | Path] = (), force: bool = False,
                what: str = "output folder") -> Iterator[Path]:
    """Build a folder's new content beside it and swap it into place on success.

    Yields the temporary folder to write into. On a normal exit the marker is
    written and the folder replaces ``dest``; on an exception or interrupt the
    temporary folder is removed and ``dest`` is left as it was.

    Parameters
    ----------
    {output.dest}
    version : str
        The cybercult version, recorded in the folder's marker.

    Yields
    ------
    Path
        The temporary folder to write into.

    Raises
    ------
    OutputFolderError
        When ``dest`` may not be replaced (see :func:`check_destination`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> base = pathlib.Path(tempfile.mkdtemp())
    >>> with safe_output(base / "out", version="test") as work:
    ...     _ = (work / "table.csv").write_text("a,b\\n1,2\\n")
    >>> sorted(p.name for p in (base / "out").iterdir())
    ['.cybercult-output', 'table.csv']
    """
    dest = Path(dest)
    inputs = [Path(p) for p in inputs]
    check_destination(dest, inputs=inputs, force=force, what=what)
    dest.parent.mkdir(parents=True, exist_ok=True)
    with _Signals() as sig, _lock(dest):
        _clean_leftovers(dest)
        dest = check_destination(dest, inputs=inputs, force=force, what=what)  # again, under the lock
        work = _sibling(dest, f"{_TMP}-{os.getpid()}")
        if work.exists():
            shutil.rmtree(work)
        work.mkdir()
        (work / MARKER).write_text('{"state": "being written"}\n', encoding="utf-8")
        try:
            yield work
            sig.check()
            write_marker(work, version)
        except BaseException:
            with sig.held():
                shutil.rmtree(work, ignore_errors=True)
            raise
        with sig.held():
            aside = None
            if dest.exists() and _foreign_files(dest):  # force=True: the folder is kept, renamed aside
                n = 1
                while dest.with_name(f"{dest.name}.old-{n}").exists():
                    n += 1
                aside = dest.with_name(f"{dest.name}.old-{n}")
                dest.rename(aside)
            if dest.exists():  # an earlier cybercult output, or an empty folder
                old = _sibling(dest, _OLD)
                dest.rename(old)
                work.rename(dest)
                shutil.rmtree(old)
            else:
                work.rename(dest)
        if aside is not None:
            import logging

            logging.getLogger("cybercult").warning("the existing folder %s was kept as %s (force)", dest, aside)
