"""A second process that draws part of a run's figures (``python -m cybercult._figure_worker``).

Drawing and saving figures dominates a run and each figure is independent, so the
run hands half of them to this process. It is started with ``subprocess`` (not
``multiprocessing``): a child started that way never re-imports the caller's
``__main__`` (a researcher's script without an ``if __name__ == "__main__"``
guard, or a Jupyter kernel), and nothing is forked from a process with threads.
It imports matplotlib while the caller computes, then reads one pickled job
from standard input: ``(results, names, folder, formats, style)``. An empty
input (the caller gave up) ends it quietly.
"""
from __future__ import annotations

import pickle
import sys


def main() -> int:
    import matplotlib

    matplotlib.use("Agg")  # this process is ours alone: no user backend to disturb
    import cybercult.plot  # noqa: F401  (import while the caller computes)
    from cybercult.run_figures import _draw_many

    payload = sys.stdin.buffer.read()
    if not payload:
        return 0
    results, names, folder, formats, style = pickle.loads(payload)
    _draw_many(results, names, folder, formats, style)
    return 0


if __name__ == "__main__":
    sys.exit(main())
