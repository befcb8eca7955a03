"""A PowerPoint deck (16:9) of the study's figures, one slide per figure, with python-pptx."""
from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from ._ooxml import set_core_properties, stabilise_zip

__all__ = ["write_deck", "SLIDE_WIDTH_IN", "SLIDE_HEIGHT_IN"]

SLIDE_WIDTH_IN = 13.333
SLIDE_HEIGHT_IN = 7.5
_MARGIN_IN = 0.4
_TITLE_H_IN = 0.95
_TAKEAWAY_H_IN = 0.85
_MID = (0x55, 0x55, 0x55)


def _write_lines(tf, lines, *, size, bold=None, color=None):
    """Fill the text frame ``tf`` (word-wrapped) with one paragraph of one run per line, ``size`` pt;
    ``bold`` and ``color`` (RGB) are set when given and otherwise left to the layout."""
    from pptx.dml.color import RGBColor
    from pptx.util import Pt

    tf.word_wrap = True
    for i, line in enumerate(lines):
        para = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        run = para.add_run()
        run.text = str(line)
        run.font.size = Pt(size)
        if bold is not None:
            run.font.bold = bold
        if color is not None:
            run.font.color.rgb = RGBColor(*color)


def write_deck(
    path: str | os.PathLike,
    *,
    title: str,
    subtitle_lines: Sequence[str] = (),
    slides: Sequence[tuple[str | os.PathLike, str, str]],
) -> Path:
    """Write a 16:9 PowerPoint deck: a title slide, then one slide per figure.

    Parameters
    ----------
    path : str or path
        The ``.pptx`` file to write (folders are created).
    title : str
        Study title, on the title slide and in the document properties.
    subtitle_lines : sequence of str
        Lines under the title (the question, n, sources, ...).
    slides : sequence of (png_path, title, takeaway)
        One slide per figure, in this order: the PNG (best drawn in the
        ``slides`` style, 13.33 x 7.5 in), the slide title and a one-sentence
        takeaway shown under the figure.

    Returns
    -------
    pathlib.Path
        The file written.

    Notes
    -----
    The slide is 13.333 x 7.5 in (16:9). Each figure is scaled to the space
    between title and takeaway keeping its aspect ratio, centred. Titles are
    28 pt, takeaways 20 pt, so they read from the back of a room. The title of
    each slide is its title placeholder (what PowerPoint's outline and screen
    readers use). Core properties carry a fixed date and the zip members a
    fixed time, so the same inputs give the same bytes.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from matplotlib.figure import Figure
    >>> import cybercult as cc
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> fig = Figure(figsize=(13.33, 6))
    >>> _ = fig.add_subplot().plot([1, 2, 3])
    >>> fig.savefig(folder / "line.png", dpi=50)
    >>> deck = cc.write_deck(folder / "slides.pptx", title="Culture and cybersecurity",
    ...                      subtitle_lines=["n = 81 countries"],
    ...                      slides=[(folder / "line.png", "A line", "It goes up.")])
    >>> deck.name
    'slides.pptx'
    >>> from pptx import Presentation
    >>> len(Presentation(deck).slides)
    2
    """
    from PIL import Image
    from pptx import Presentation
    from pptx.util import Inches, Pt

    if not isinstance(title, str) or not title.strip():
        raise ValueError("title must be a non-empty string")
    if isinstance(subtitle_lines, str):
        subtitle_lines = [subtitle_lines]
    items = list(slides)
    for k, item in enumerate(items):
        if not (isinstance(item, (tuple, list)) and len(item) == 3):
            raise ValueError(f"slides[{k}] must be a (png_path, title, takeaway) tuple, not {item!r}")
        png = Path(item[0])
        if not png.is_file():
            raise FileNotFoundError(f"slides[{k}]: figure {png} does not exist")
        if png.suffix.lower() != ".png":
            raise ValueError(f"slides[{k}]: figure {png} must be a .png file")

    prs = Presentation()
    prs.slide_width = Inches(SLIDE_WIDTH_IN)
    prs.slide_height = Inches(SLIDE_HEIGHT_IN)
    set_core_properties(prs.core_properties, title=title, subject=" ".join(subtitle_lines)[:250])
    width = Inches(SLIDE_WIDTH_IN - 2 * _MARGIN_IN)

    # Title slide: layout 0 ("Title Slide") of the default template.
    first = prs.slides.add_slide(prs.slide_layouts[0])
    first.shapes.title.text = title
    for para in first.shapes.title.text_frame.paragraphs:
        for run in para.runs:
            run.font.size = Pt(36)
            run.font.bold = True
    sub = first.placeholders[1]
    sub.left, sub.top = Inches(1.0), Inches(4.2)
    sub.width, sub.height = Inches(SLIDE_WIDTH_IN - 2.0), Inches(2.8)
    first.shapes.title.left, first.shapes.title.top = Inches(1.0), Inches(1.2)
    first.shapes.title.width, first.shapes.title.height = Inches(SLIDE_WIDTH_IN - 2.0), Inches(2.8)
    _write_lines(sub.text_frame, subtitle_lines, size=20)

    # Figure slides: layout 5 ("Title Only"), so the title is a real title placeholder.
    for png, slide_title, takeaway in items:
        png = Path(png)
        s = prs.slides.add_slide(prs.slide_layouts[5])
        t = s.shapes.title
        t.left, t.top, t.width, t.height = Inches(_MARGIN_IN), Inches(0.2), width, Inches(_TITLE_H_IN)
        t.text = slide_title
        for para in t.text_frame.paragraphs:
            para.alignment = 1  # left
            for run in para.runs:
                run.font.size = Pt(28)
                run.font.bold = True
        top = 0.2 + _TITLE_H_IN
        avail_w = SLIDE_WIDTH_IN - 2 * _MARGIN_IN
        avail_h = SLIDE_HEIGHT_IN - top - _TAKEAWAY_H_IN - 0.15
        with Image.open(png) as im:
            px_w, px_h = im.size
        scale = min(avail_w / px_w, avail_h / px_h)
        w_in, h_in = px_w * scale, px_h * scale
        s.shapes.add_picture(str(png), Inches(_MARGIN_IN + (avail_w - w_in) / 2), Inches(top),
                             Inches(w_in), Inches(h_in))
        if takeaway:
            box = s.shapes.add_textbox(Inches(_MARGIN_IN), Inches(SLIDE_HEIGHT_IN - _TAKEAWAY_H_IN - 0.1), width,
                                       Inches(_TAKEAWAY_H_IN))
            _write_lines(box.text_frame, [takeaway], size=20, bold=False, color=_MID)

    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    prs.save(str(out))
    stabilise_zip(out)
    return out
