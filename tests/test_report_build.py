"""The report's structure (body first, appendix after), captions, kept line breaks, number alignment."""
import pandas as pd

from cybercult.report import Report


def test_appendix_blocks_render_after_the_body_whatever_the_order(tmp_path):
    rep = Report("T")
    rep.heading("Answer")
    rep.appendix()
    rep.heading("Sample")
    rep.para("line one\nline two", keep_lines=True)
    # a result added late still goes to the appendix once appendix() was called
    html = rep.to_html()
    assert html.index("<h2>Answer</h2>") < html.index('id="appendix"') < html.index("<h3>Sample</h3>")
    assert '<p class="lines">line one\nline two</p>' in html
    md = rep.to_markdown()
    assert md.index("## Answer") < md.index("## Appendix") < md.index("### Sample")
    assert "line one  \nline two" in md  # Markdown hard line break


def test_figure_caption_is_title_and_reading(tmp_path):
    png = tmp_path / "f.png"
    png.write_bytes(bytes.fromhex("89504e470d0a1a0a"))
    rep = Report("T")
    rep.figure(png, "Where commitment is high", "Scores are highest in Europe.")
    html = rep.to_html()
    assert "<figcaption><b>Where commitment is high.</b> Scores are highest in Europe.</figcaption>" in html
    assert "**Where commitment is high.** Scores are highest in Europe." in rep.to_markdown()


def test_tables_scroll_in_a_box_text_left_numbers_right():
    rep = Report("T")
    rep.table(pd.DataFrame({"country": ["Estonia"], "score": [99.48]}), "Scores")
    html = rep.to_html()
    assert '<div class="table-wrap"><table' in html and "<caption>Scores</caption>" in html
    assert "<td>Estonia</td>" in html and '<td class="num">99.480</td>' in html  # digits=3 by default
    assert ".table-wrap{max-width:100%;overflow-x:auto" in html
