"""A report is a list of blocks rendered twice: Markdown and self-contained HTML.

Written by hand (a few dozen lines) rather than with a templating engine: the
blocks are few and fixed, and the HTML must embed figures as data URIs so the
file opens anywhere without external links.

The report has a body (results first) and an appendix (audit, exclusions,
sources, reproducibility): call :meth:`Report.appendix` once, and every block
added after it goes to the appendix, rendered after the body under its own
heading, whatever order the blocks were added in.
"""
from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .._format import frame_to_html, frame_to_markdown

__all__ = ["Report", "REPORT_CSS"]

#: Style sheet of the HTML report. Text columns are left-aligned and numbers
#: right-aligned (by cell content); a table wider than the page scrolls inside
#: its own box (``div.table-wrap``), so the page itself never scrolls sideways.
REPORT_CSS = """
*{box-sizing:border-box}
body{font-family:Helvetica,Arial,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.7em;line-height:1.25}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
h2.appendix{border-top:3px double #999;border-bottom:none;padding-top:1em;margin-top:3em}
.table-wrap{max-width:100%;overflow-x:auto;margin:1em 0;border:1px solid #eee}
table{border-collapse:collapse;font-size:.85em;margin:0}
caption{caption-side:top;text-align:left;font-weight:bold;padding:.4em .5em;color:#333}
th,td{border:1px solid #ddd;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f3f3f3}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.publication td{text-align:center;white-space:nowrap}table.publication th{text-align:left;font-weight:normal}
table.publication thead th{text-align:center;font-weight:bold}
table.publication tr.block th{font-style:italic;background:#fafafa}
table.publication tr.second td{color:#555;border-top:none}table.publication tr.stat td,table.publication tr.stat th{background:#fbfbfb}
table.publication tfoot td{text-align:left;white-space:normal;font-size:.9em;color:#444}
pre{background:#f7f7f7;padding:1em;overflow-x:auto;font-size:.85em}
figure{margin:1.5em 0}figcaption{font-size:.95em;color:#333;margin-top:.3em}figcaption b{color:#111}
img{max-width:100%;height:auto}
.note{font-size:.9em;color:#555}
p.lines{white-space:pre-line}
nav.toc{font-size:.9em;background:#fafafa;border:1px solid #eee;padding:.5em 1em}
"""

_NUM = re.compile(r"^[\u2212+-]?(\d[\d,]*\.?\d*|\.\d+)([eE][+-]?\d+)?%?\**$|^<\s?0?\.\d+$|^(nan|inf)$")


@dataclass
class Report:
    """Collects headings, paragraphs, tables, figures and code, then writes both formats.

    Parameters
    ----------
    title : str
        Title of the report (the top heading).
    blocks, appendix_blocks : list of tuple
        What has been added so far, to the body and to the appendix; filled by the methods.
    appendix_title : str
        Heading of the appendix (set by :meth:`appendix`).

    Examples
    --------
    >>> rep = Report("My study")
    >>> rep.heading("Answer")
    >>> rep.para("Culture adds to development.")
    >>> rep.appendix()            # what follows goes to the appendix
    >>> rep.heading("Sample")
    >>> "Appendix" in rep.to_markdown()
    True
    """

    title: str
    blocks: list[tuple] = field(default_factory=list)
    appendix_blocks: list[tuple] = field(default_factory=list)
    appendix_title: str = "Appendix"
    _in_appendix: bool = False

    def _add(self, block: tuple) -> None:
        (self.appendix_blocks if self._in_appendix else self.blocks).append(block)

    def appendix(self, title: str = "Appendix: data, audit and reproducibility") -> None:
        """Send every block added from now on to the appendix (rendered after the body).

        Parameters
        ----------
        title : str
            Heading of the appendix.
        """
        self._in_appendix = True
        self.appendix_title = title

    def heading(self, text: str, level: int = 2) -> None:
        """A heading.

        Parameters
        ----------
        text : str
            The heading (escaped; one line).
        level : int
            Heading level, 1 (the title's) to 6.
        """
        self._add(("h", level, text))

    def para(self, text: str, *, keep_lines: bool = False) -> None:
        """A paragraph.

        Parameters
        ----------
        text : str
            The paragraph.
        keep_lines : bool
            Keep its line breaks (e.g. the panel summary).
        """
        self._add(("p", text, keep_lines))

    def bullets(self, items: list[str]) -> None:
        """A bulleted list.

        Parameters
        ----------
        items : list of str
            One bullet each.
        """
        self._add(("ul", list(items)))

    def table(self, df: pd.DataFrame, caption: str = "", *, digits: int = 3, index: bool = False,
              max_rows: int = 200) -> None:
        """A table.

        Parameters
        ----------
        df : DataFrame or result object
            The table (a result object with a display ``.table``, e.g. a
            ``ModelComparison``, is shown through it).
        caption : str
            Caption written above it.
        digits : int
            Decimal places of floating-point cells.
        index : bool
            Show the index as a column.
        max_rows : int
            Rows shown; the caption says how many were left out.

        Examples
        --------
        >>> import pandas as pd
        >>> rep = Report("Tables")
        >>> rep.table(pd.DataFrame({"term": ["hofstede.idv"], "estimate": [0.123456]}), "Coefficients", digits=2)
        >>> "0.12" in rep.to_markdown() and "0.123" not in rep.to_markdown()
        True
        """
        if not isinstance(df, pd.DataFrame) and isinstance(getattr(df, "table", None), pd.DataFrame):
            df = df.table  # a result object with a display table (e.g. ModelComparison)
        self._add(("table", df.head(max_rows), caption, digits, index, len(df)))

    def html_table(self, html_text: str, markdown: str = "", caption: str = "") -> None:
        """A table already rendered (e.g. ``PublicationTable.to_html()``), with its Markdown twin.

        Parameters
        ----------
        html_text : str
            The table as HTML, for :meth:`to_html`.
        markdown : str
            The same table as Markdown, for :meth:`to_markdown`.
        caption : str
            Caption written above it.
        """
        self._add(("rawtable", html_text, markdown, caption))

    def figure(self, png: Path, title: str, reading: str = "") -> None:
        """A figure with its caption.

        Parameters
        ----------
        png : path
            The figure as PNG (linked from Markdown, embedded in HTML).
        title : str
            First part of the caption, in bold.
        reading : str
            One sentence saying what the figure shows.
        """
        self._add(("fig", Path(png), title, reading))

    def code(self, text: str, lang: str = "") -> None:
        """A code block.

        Parameters
        ----------
        text : str
            The code, shown as is.
        lang : str
            Language for syntax highlighting in Markdown (``"toml"``).
        """
        self._add(("code", text, lang))

    # -- rendering -------------------------------------------------------------------------------------
    def _all(self):
        yield from self.blocks
        if self.appendix_blocks:
            yield ("appendix", self.appendix_title)
            yield from self.appendix_blocks

    def to_markdown(self, fig_base: Path | None = None) -> str:
        """Markdown; text that may come from a user file or study file is escaped (:func:`md_escape`).

        Parameters
        ----------
        fig_base : path, optional
            Folder the Markdown file will be written to; figure links are made relative to it.
        """
        out = [f"# {md_escape(self.title, inline=True)}", ""]
        for b in self._all():
            kind = b[0]
            if kind == "appendix":
                out += ["---", "", f"## {md_escape(b[1], inline=True)}", ""]
            elif kind == "h":
                level = b[1] + (1 if self._appendix_started(out) and b[1] == 2 else 0)
                out += ["#" * level + " " + md_escape(b[2], inline=True), ""]
            elif kind == "p":
                text = md_escape(b[1])
                out += [text.replace("\n", "  \n") if b[2] else text, ""]
            elif kind == "ul":
                out += [f"- {md_escape(x, inline=True)}" for x in b[1]] + [""]
            elif kind == "table":
                _, df, cap, digits, index, total = b
                if cap:
                    out += [f"*{md_escape(cap, inline=True)}*", ""]
                out += [frame_to_markdown(_md_frame(df), digits=digits, index=index), ""]
                if total > len(df):
                    out += [f"({total - len(df)} more rows in the CSV)", ""]
            elif kind == "rawtable":
                _, _html, md, cap = b
                if cap:
                    out += [f"*{md_escape(cap, inline=True)}*", ""]
                out += [md or "(table in the HTML report)", ""]
            elif kind == "fig":
                _, png, title, reading = b
                rel = (png if fig_base is None else Path(_relpath(png, fig_base))).as_posix()
                if re.search(r"[\s()<>]", rel):
                    rel = "<" + rel.replace("<", "%3C").replace(">", "%3E") + ">"
                alt = md_escape(title, inline=True).replace("[", "\\[").replace("]", "\\]")
                cap = f"**{md_escape(title, inline=True)}.** {md_escape(reading, inline=True)}".rstrip()
                out += [f"![{alt}]({rel})", "", cap, ""]
            elif kind == "code":
                body = b[1].rstrip("\n")
                runs = [len(m) for m in re.findall(r"`+", body)]
                fence = "`" * max(3, max(runs, default=0) + 1)  # a fence no line of the text can close
                out += [f"{fence}{b[2]}", body, fence, ""]
        return "\n".join(out)

    @staticmethod
    def _appendix_started(out: list[str]) -> bool:
        return "---" in out

    def to_html(self) -> str:
        e = html.escape
        out = ["<!DOCTYPE html>", "<html lang=\"en\"><head><meta charset=\"utf-8\">",
               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
               f"<title>{e(self.title)}</title><style>{REPORT_CSS}</style></head><body>",
               f"<h1>{e(self.title)}</h1>"]
        in_app = False
        for b in self._all():
            kind = b[0]
            if kind == "appendix":
                in_app = True
                out.append(f"<h2 class=\"appendix\" id=\"appendix\">{e(b[1])}</h2>")
            elif kind == "h":
                level = min(6, b[1] + (1 if in_app and b[1] == 2 else 0))
                out.append(f"<h{level}>{e(b[2])}</h{level}>")
            elif kind == "p":
                cls = " class=\"lines\"" if b[2] else ""
                out.append(f"<p{cls}>{e(b[1])}</p>")
            elif kind == "ul":
                out.append("<ul>" + "".join(f"<li>{e(x)}</li>" for x in b[1]) + "</ul>")
            elif kind == "table":
                _, df, cap, digits, index, total = b
                tbl = _mark_numbers(frame_to_html(df, digits=digits, index=index))
                if cap:
                    tbl = re.sub(r"(<table[^>]*>)", lambda m: m.group(1) + f"<caption>{e(cap)}</caption>", tbl,
                                 count=1)
                out.append(f"<div class=\"table-wrap\">{tbl}</div>")
                if total > len(df):
                    out.append(f"<p class=\"note\">({total - len(df)} more rows in the CSV)</p>")
            elif kind == "rawtable":
                _, html_text, _md, cap = b
                if cap and "<caption>" not in html_text:
                    html_text = re.sub(r"(<table[^>]*>)", lambda m: m.group(1) + f"<caption>{e(cap)}</caption>",
                                       html_text, count=1)
                out.append(f"<div class=\"table-wrap\">{html_text}</div>")
            elif kind == "fig":
                _, png, title, reading = b
                data = base64.b64encode(png.read_bytes()).decode("ascii")
                alt = f"{title}. {reading}".strip()
                cap = f"<b>{e(title)}.</b> {e(reading)}".rstrip()
                out.append(f"<figure><img alt=\"{e(alt)}\" src=\"data:image/png;base64,{data}\">"
                           f"<figcaption>{cap}</figcaption></figure>")
            elif kind == "code":
                out.append(f"<pre>{e(b[1])}</pre>")
        out.append("</body></html>")
        return "\n".join(out)


_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")


def md_escape(text: str, *, inline: bool = False) -> str:
    """Text made inert in Markdown: every ``<`` that could open an HTML tag, comment or
    declaration (CommonMark: followed by a letter, ``/``, ``!`` or ``?``) becomes ``&lt;``,
    so a column header ``<script>`` or a title ``<img onerror=...>`` shows as text and runs
    nowhere; ``<0.001`` is left as it is. ``inline`` also joins lines (a heading or bullet
    cannot be split into new blocks by a newline in a user's text).

    Parameters
    ----------
    text : str
        Text from a user file, study file or data.
    inline : bool
        Also join its lines into one.

    Examples
    --------
    >>> md_escape("<script>alert(1)</script> p <0.001")
    '&lt;script>alert(1)&lt;/script> p <0.001'
    """
    s = _TAG_START.sub("&lt;", str(text))
    if inline:
        s = " ".join(s.splitlines())
    return s


def _md_frame(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    out.columns = [md_escape(str(c), inline=True) if isinstance(c, str) else c for c in out.columns]
    for c in out.columns:
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c]):
            out[c] = out[c].map(lambda v: md_escape(v, inline=True) if isinstance(v, str) else v)
    if out.index.dtype == object or pd.api.types.is_string_dtype(out.index):
        out.index = [md_escape(v, inline=True) if isinstance(v, str) else v for v in out.index]
    return out


def _mark_numbers(table_html: str) -> str:
    """Give cells that hold a number class ``num`` (right-aligned); text stays left-aligned."""
    def repl(m: re.Match) -> str:
        text = html.unescape(m.group(2)).strip()
        if text and _NUM.match(text.replace(" ", "")):
            return f"<td class=\"num\"{m.group(1)}>{m.group(2)}</td>"
        return m.group(0)

    return re.sub(r"<td([^>]*)>(.*?)</td>", repl, table_html, flags=re.S)


def _relpath(path: Path, base: Path) -> str:
    import os

    return os.path.relpath(Path(path).resolve(), Path(base).resolve())
