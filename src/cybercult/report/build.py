"""A report is a list of blocks rendered twice: Markdown and self-contained HTML.

Written by hand (a few dozen lines) rather than with a templating engine: the
blocks are few and fixed, and the HTML must embed figures as data URIs so the
file opens anywhere without external links.
"""
from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..stats.results import frame_to_html, frame_to_markdown

_CSS = """
body{font-family:Helvetica,Arial,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.7em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;font-size:.85em;margin:1em 0}th,td{border:1px solid #ddd;padding:.25em .5em;text-align:right}
th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}
pre{background:#f7f7f7;padding:1em;overflow-x:auto;font-size:.85em}
figure{margin:1.5em 0}figcaption{font-size:.9em;color:#555}img{max-width:100%}
.note{font-size:.9em;color:#555}
"""


@dataclass
class Report:
    """Collects headings, paragraphs, tables, figures and code, then writes both formats."""

    title: str
    blocks: list[tuple] = field(default_factory=list)

    def heading(self, text: str, level: int = 2) -> None:
        self.blocks.append(("h", level, text))

    def para(self, text: str) -> None:
        self.blocks.append(("p", text))

    def bullets(self, items: list[str]) -> None:
        self.blocks.append(("ul", list(items)))

    def table(self, df: pd.DataFrame, caption: str = "", *, digits: int = 3, index: bool = False,
              max_rows: int = 200) -> None:
        self.blocks.append(("table", df.head(max_rows), caption, digits, index, len(df)))

    def figure(self, png: Path, caption: str) -> None:
        self.blocks.append(("fig", Path(png), caption))

    def code(self, text: str, lang: str = "") -> None:
        self.blocks.append(("code", text, lang))

    # -- rendering -------------------------------------------------------------------------------------
    def to_markdown(self, fig_base: Path | None = None) -> str:
        """Markdown; text that may come from a user file or study file is escaped (:func:`md_escape`)."""
        out = [f"# {md_escape(self.title, inline=True)}", ""]
        for b in self.blocks:
            kind = b[0]
            if kind == "h":
                out += ["#" * b[1] + " " + md_escape(b[2], inline=True), ""]
            elif kind == "p":
                out += [md_escape(b[1]), ""]
            elif kind == "ul":
                out += [f"- {md_escape(x, inline=True)}" for x in b[1]] + [""]
            elif kind == "table":
                _, df, cap, digits, index, total = b
                if cap:
                    out += [f"*{md_escape(cap, inline=True)}*", ""]
                out += [frame_to_markdown(_md_frame(df), digits=digits, index=index), ""]
                if total > len(df):
                    out += [f"({total - len(df)} more rows in the CSV)", ""]
            elif kind == "fig":
                _, png, cap = b
                rel = (png if fig_base is None else Path(_relpath(png, fig_base))).as_posix()
                if re.search(r"[\s()<>]", rel):
                    rel = "<" + rel.replace("<", "%3C").replace(">", "%3E") + ">"
                alt = md_escape(cap, inline=True).replace("[", "\\[").replace("]", "\\]")
                out += [f"![{alt}]({rel})", "", f"*{md_escape(cap, inline=True)}*", ""]
            elif kind == "code":
                body = b[1].rstrip("\n")
                runs = [len(m) for m in re.findall(r"`+", body)]
                fence = "`" * max(3, max(runs, default=0) + 1)  # a fence no line of the text can close
                out += [f"{fence}{b[2]}", body, fence, ""]
        return "\n".join(out)

    def to_html(self) -> str:
        e = html.escape
        out = ["<!DOCTYPE html>", "<html lang=\"en\"><head><meta charset=\"utf-8\">",
               f"<title>{e(self.title)}</title><style>{_CSS}</style></head><body>", f"<h1>{e(self.title)}</h1>"]
        for b in self.blocks:
            kind = b[0]
            if kind == "h":
                out.append(f"<h{b[1]}>{e(b[2])}</h{b[1]}>")
            elif kind == "p":
                out.append(f"<p>{e(b[1])}</p>")
            elif kind == "ul":
                out.append("<ul>" + "".join(f"<li>{e(x)}</li>" for x in b[1]) + "</ul>")
            elif kind == "table":
                _, df, cap, digits, index, total = b
                cap_html = f"<caption>{e(cap)}</caption>" if cap else ""
                tbl = frame_to_html(df, digits=digits, index=index)
                out.append(tbl.replace(">", ">" + cap_html, 1))  # caption right after the opening <table ...>
                if total > len(df):
                    out.append(f"<p class=\"note\">({total - len(df)} more rows in the CSV)</p>")
            elif kind == "fig":
                _, png, cap = b
                data = base64.b64encode(png.read_bytes()).decode("ascii")
                out.append(f"<figure><img alt=\"{e(cap)}\" src=\"data:image/png;base64,{data}\">"
                           f"<figcaption>{e(cap)}</figcaption></figure>")
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
    cannot be split into new blocks by a newline in a user's text)."""
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


def _relpath(path: Path, base: Path) -> str:
    import os

    return os.path.relpath(Path(path).resolve(), Path(base).resolve())
