"""Packaged matplotlib styles and the colours every figure shares.

Two styles ship inside the package as ``.mplstyle`` files:

``paper``
    6.5 x 4.5 in, 9 pt type, thin lines; for journal pages.
``slides``
    16:9 at 13.33 x 7.5 in, 20 pt type (titles 26 pt), 3.5 pt lines; reads from
    the back of a seminar room.

Both are used in ``with`` blocks and leave the global matplotlib state as it
was. Colours come from the Okabe-Ito palette, which stays distinguishable
under the common colour-vision deficiencies; a role (driver, blocker,
negligible, inconclusive) has the same colour in every figure.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import matplotlib as mpl
import matplotlib.style

__all__ = [
    "style", "available_styles", "style_path",
    "PALETTE", "ROLE_ORDER", "ROLE_LABELS", "ROLE_MARKERS", "ROLE_OPEN",
    "STATUS_PALETTE", "STATUS_ORDER", "NEUTRAL", "DETERMINISTIC_RC",
]

#: Colour of each factor role (Okabe-Ito: blue, vermillion, reddish purple, grey).
PALETTE: dict[str, str] = {
    "driver": "#0072B2",
    "blocker": "#D55E00",
    "negligible": "#CC79A7",
    "inconclusive": "#999999",
}
#: Roles in the order legends show them (the vocabulary of ``classify_factors``).
ROLE_ORDER: tuple[str, ...] = ("driver", "blocker", "negligible", "inconclusive")
#: Legend text of each role.
ROLE_LABELS: dict[str, str] = {"driver": "Driver", "blocker": "Blocker", "negligible": "Negligible",
                               "inconclusive": "Inconclusive"}
#: Marker of each role; shape repeats the colour so a greyscale print still reads.
ROLE_MARKERS: dict[str, str] = {"driver": "o", "blocker": "s", "negligible": "D", "inconclusive": "o"}
#: Roles drawn with an open (white-filled) marker: an open question.
ROLE_OPEN: frozenset[str] = frozenset({"inconclusive"})

#: Colour of each performer status (Okabe-Ito bluish green, orange, grey); kept
#: apart from the role colours so "over-performer" never reads as "driver".
STATUS_PALETTE: dict[str, str] = {
    "over-performer": "#009E73",
    "under-performer": "#E69F00",
    "as expected": "#999999",
}
STATUS_ORDER: tuple[str, ...] = ("over-performer", "under-performer", "as expected")

#: Ink for points, boxes and reference lines that carry no category.
NEUTRAL: dict[str, str] = {
    "ink": "#333333", "mid": "#666666", "light": "#BBBBBB", "pale": "#E8E8E8",
    "band": "#56B4E9",      # confidence bands, ΔR² bars (Okabe-Ito sky blue)
    "highlight": "#CC79A7",  # highlighted countries (Okabe-Ito reddish purple)
}

#: rcParams that make saved files reproducible and editable; set by
#: :func:`style` and again by :func:`~cybercult.plot.save_figure`.
DETERMINISTIC_RC: dict[str, object] = {
    "svg.hashsalt": "cybercult",
    "svg.fonttype": "none",
    "pdf.fonttype": 42,
}

_STYLE_PACKAGE = "cybercult.plot.styles"


def available_styles() -> list[str]:
    """Names of the packaged styles.

    Examples
    --------
    >>> from cybercult.plot import available_styles
    >>> available_styles()
    ['paper', 'slides']
    """
    files = resources.files(_STYLE_PACKAGE).iterdir()
    return sorted(p.name.removesuffix(".mplstyle") for p in files if p.name.endswith(".mplstyle"))


def style_path(name: str) -> Path:
    """Path of the packaged ``.mplstyle`` file of style ``name``.

    Parameters
    ----------
    name : str
        One of :func:`available_styles`; another name raises ``ValueError``
        listing them.

    Returns
    -------
    pathlib.Path
        The file inside the installed package.

    Examples
    --------
    >>> from cybercult.plot.style import style_path
    >>> style_path("paper").name
    'paper.mplstyle'
    """
    valid = available_styles()
    if name not in valid:
        raise ValueError(f"unknown style {name!r}; valid: {', '.join(valid)}")
    return Path(str(resources.files(_STYLE_PACKAGE).joinpath(f"{name}.mplstyle")))


@contextmanager
def style(name: str = "paper") -> Iterator[None]:
    """Use a packaged style inside a ``with`` block.

    Parameters
    ----------
    name : {"paper", "slides"}
        Which packaged style.

    See Also
    --------
    cybercult.save_figure : Write the figure drawn in the block.
    available_styles : The names of the packaged styles.

    Notes
    -----
    The block starts from the current rcParams (not from matplotlib's
    defaults), applies the style file and the reproducibility settings
    (``svg.hashsalt``, ``svg.fonttype='none'``, ``pdf.fonttype=42``) and restores
    every rcParam on exit, also when an error is raised.

    Examples
    --------
    A slide of the driver figure, written into a temporary folder; the
    rcParams are the caller's again after the block:

    >>> import pathlib, shutil, tempfile
    >>> import matplotlib as mpl
    >>> import matplotlib.pyplot as plt
    >>> import cybercult as cc
    >>> panel = cc.build_panel(sample="study81")
    >>> model = cc.regress(panel.data, "gci2020.score", ["wdi.log_gdppc_ppp", "hofstede_insights.idv"])
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> before = mpl.rcParams["font.size"]
    >>> with cc.style("slides"):
    ...     print(mpl.rcParams["figure.figsize"], mpl.rcParams["font.size"])
    ...     ax = cc.plot_drivers(cc.classify_factors(model))
    ...     paths = cc.save_figure(ax.figure, out / "drivers", formats=["svg"])
    [13.333, 7.5] 20.0
    >>> [p.name for p in paths], mpl.rcParams["font.size"] == before
    (['drivers.svg'], True)
    >>> plt.close("all")
    >>> shutil.rmtree(out)
    """
    path = style_path(name)
    with mpl.style.context([str(path), DETERMINISTIC_RC]):
        yield
