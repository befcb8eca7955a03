"""Write a figure as SVG, PDF and PNG, byte for byte the same on every build."""
from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import matplotlib as mpl
from matplotlib.figure import Figure

from .style import DETERMINISTIC_RC

__all__ = ["save_figure", "FORMATS"]

FORMATS = ("svg", "pdf", "png")

# Metadata keys set to None are left out of the file: no dates, no software stamps.
_METADATA: dict[str, dict[str, None]] = {
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
    "png": {"Software": None},
}


def save_figure(
    fig: Figure,
    path_stem: str | os.PathLike,
    *,
    formats: Sequence[str] = FORMATS,
    dpi: float = 200,
    bbox_inches: str | None = None,
) -> list[Path]:
    """Save ``fig`` as SVG, PDF and PNG that are identical on every build.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure; for an Axes returned by a plot function use ``ax.figure``.
    path_stem : str or path
        Path without extension, e.g. ``"figures/drivers"``; an extension
        ``.svg``, ``.pdf`` or ``.png`` is dropped. Missing folders are created.
    formats : sequence of {"svg", "pdf", "png"}
        Which files to write.
    dpi : float
        Resolution of the PNG (SVG and PDF are vector files).
    bbox_inches : None or "tight"
        ``None`` keeps the figure size (a slide stays 16:9; the packaged styles
        use constrained layout so nothing is clipped); ``"tight"`` crops to
        the drawn content, which is also deterministic.

    Returns
    -------
    list of pathlib.Path
        The files written, in the order of ``formats``.

    See Also
    --------
    cybercult.style : The packaged styles, used in a ``with`` block.

    Notes
    -----
    The files carry no creation date and no software stamp (SVG ``Date`` and
    ``Creator``; PDF ``CreationDate``, ``ModDate``, ``Producer``, ``Creator``;
    PNG ``Software``), SVG ids come from a fixed hash salt, SVG text stays
    ``<text>`` (``svg.fonttype='none'``) and PDF fonts are embedded as TrueType
    (``pdf.fonttype=42``), so the text can be edited afterwards in Inkscape or
    Illustrator. These settings apply while saving whatever style is active.

    Examples
    --------
    Written into a temporary folder; the same figure drawn again gives the
    same bytes:

    >>> import pathlib, shutil, tempfile
    >>> import matplotlib.pyplot as plt
    >>> import cybercult as cc
    >>> panel = cc.build_panel(sample="study81")
    >>> model = cc.regress(panel.data, "gci2020.score", ["wdi.log_gdppc_ppp", "hofstede_insights.idv"])
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> def draw(stem):
    ...     with cc.style("paper"):
    ...         ax = cc.plot_drivers(cc.classify_factors(model))
    ...         return cc.save_figure(ax.figure, out / stem)
    >>> paths = draw("drivers")
    >>> [p.name for p in paths]
    ['drivers.svg', 'drivers.pdf', 'drivers.png']
    >>> [p.read_bytes() for p in draw("again")] == [p.read_bytes() for p in paths]
    True
    >>> plt.close("all")
    >>> shutil.rmtree(out)
    """
    if not isinstance(fig, Figure):
        raise TypeError(
            f"fig must be a matplotlib Figure, not {type(fig).__name__}; for an Axes pass ax.figure"
        )
    if isinstance(formats, str):
        formats = (formats,)
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise ValueError(f"unknown format(s) {bad} in formats; valid: {', '.join(FORMATS)}")
    if bbox_inches not in (None, "tight"):
        raise ValueError(f"bbox_inches must be None or 'tight', not {bbox_inches!r}")
    stem = Path(path_stem)
    if stem.suffix.lower().lstrip(".") in FORMATS:
        stem = stem.with_suffix("")
    stem.parent.mkdir(parents=True, exist_ok=True)

    paths: list[Path] = []
    with mpl.rc_context(DETERMINISTIC_RC):
        for fmt in formats:
            path = stem.with_name(f"{stem.name}.{fmt}")
            fig.savefig(path, format=fmt, dpi=dpi, metadata=dict(_METADATA[fmt]), bbox_inches=bbox_inches)
            paths.append(path)
    return paths
