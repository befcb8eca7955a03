"""The PowerPoint deck: read back with python-pptx, an independent reader of the file."""
import hashlib

import matplotlib.pyplot as plt
import pytest
from pptx import Presentation
from pptx.util import Emu

import cybercult.plot as cp
from cybercult.report.deck import write_deck


@pytest.fixture
def pngs(tmp_path):
    paths = []
    for k in range(3):
        with cp.style("slides"):
            fig, ax = plt.subplots(layout="constrained")
            ax.plot([0, 1], [k, k + 1])
            paths += cp.save_figure(fig, tmp_path / f"fig{k}", formats=("png",))
            plt.close(fig)
    return paths


def test_deck_has_title_slide_then_one_slide_per_figure(tmp_path, pngs):
    items = [(p, f"Figure {k}", f"Takeaway number {k}.") for k, p in enumerate(pngs)]
    out = write_deck(tmp_path / "deck.pptx", title="Culture and cybersecurity",
                     subtitle_lines=["Does culture matter?", "n = 63 countries"], slides=items)
    prs = Presentation(str(out))
    assert round(Emu(prs.slide_width).inches, 2) == 13.33 and Emu(prs.slide_height).inches == 7.5
    slides = list(prs.slides)
    assert len(slides) == 1 + len(pngs)
    assert slides[0].shapes.title.text == "Culture and cybersecurity"
    body = " ".join(sh.text_frame.text for sh in slides[0].shapes if sh.has_text_frame)
    assert "Does culture matter?" in body and "n = 63 countries" in body
    for k, s in enumerate(slides[1:]):
        assert s.shapes.title.text == f"Figure {k}"
        pics = [sh for sh in s.shapes if sh.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE
        assert len(pics) == 1
        assert pics[0].image.blob == pngs[k].read_bytes()  # the figure itself, not a re-encoding
        # inside the slide, below the title
        assert pics[0].left >= 0 and pics[0].left + pics[0].width <= prs.slide_width
        assert pics[0].top + pics[0].height <= prs.slide_height
        texts = [sh.text_frame.text for sh in s.shapes if sh.has_text_frame]
        assert f"Takeaway number {k}." in texts


def test_deck_is_byte_identical_across_builds(tmp_path, pngs):
    items = [(p, "t", "x.") for p in pngs]
    a = write_deck(tmp_path / "a.pptx", title="T", subtitle_lines=["s"], slides=items).read_bytes()
    b = write_deck(tmp_path / "b.pptx", title="T", subtitle_lines=["s"], slides=items).read_bytes()
    assert hashlib.sha256(a).hexdigest() == hashlib.sha256(b).hexdigest()
    assert Presentation(str(tmp_path / "a.pptx")).core_properties.created.year == 2000


def test_deck_errors_name_the_slide(tmp_path, pngs):
    with pytest.raises(FileNotFoundError, match=r"slides\[1\]"):
        write_deck(tmp_path / "d.pptx", title="T", slides=[(pngs[0], "a", "b"), (tmp_path / "nope.png", "a", "b")])
    with pytest.raises(ValueError, match=r"slides\[0\]"):
        write_deck(tmp_path / "d.pptx", title="T", slides=[(pngs[0], "a")])
