"""Reading a researcher's spreadsheet safely: bounds checked before anything is read.

An ``.xlsx`` workbook is a zip archive: its sheet list, each sheet's declared dimension and the
total uncompressed size are read from the archive's index first, so an encrypted, truncated,
oversized or "zip bomb" workbook, or one declaring a huge dimension, is refused with a message
before pandas/calamine allocate anything.
"""
from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path
from xml.etree import ElementTree

import pandas as pd

from ..errors import UserDataError

#: Largest input file read (bytes on disk).
MAX_FILE_BYTES = 50 * 2**20
#: Largest total uncompressed size of an .xlsx workbook's parts.
MAX_UNCOMPRESSED_BYTES = 200 * 2**20
#: Most rows and columns a table may have (a country table has a few hundred rows).
MAX_ROWS = 100_000
MAX_COLUMNS = 1_000

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: Cells read as missing values (exactly these strings, after removing ASCII spaces).
NA_MARKERS = ("", "NaN", "nan", "..", "n/a", "N/A", "#N/A", "#NULL!")
_NA = list(NA_MARKERS)


def _size_check(path: Path) -> None:
    size = path.stat().st_size
    if size == 0:
        raise UserDataError(f"{path}: the file is empty; expected a header row with a country column and "
                            "one or more numeric columns")
    if size > MAX_FILE_BYTES:
        raise UserDataError(f"{path}: the file has {size / 2**20:.1f} MiB, more than the "
                            f"{MAX_FILE_BYTES // 2**20} MiB an indicator table may have")


def _cell_ref(ref: str) -> tuple[int, int]:
    m = re.fullmatch(r"\$?([A-Za-z]{1,4})\$?([0-9]{1,9})", ref)
    if not m:
        return 0, 0
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col


def _read_part(zf: zipfile.ZipFile, name: str, path: Path) -> bytes:
    with zf.open(name) as fh:  # bounded read: a declared size can lie
        data = fh.read(MAX_UNCOMPRESSED_BYTES + 1)
    if len(data) > MAX_UNCOMPRESSED_BYTES:
        raise UserDataError(f"{path}: part {name} is larger than {MAX_UNCOMPRESSED_BYTES // 2**20} MiB "
                            "uncompressed; not read")
    return data


def _xlsx_sheets(path: Path) -> tuple[list[str], dict[str, dict]]:
    """Inspect an .xlsx/.xlsm before reading it: sheet names and, per sheet, its declared and
    used size, cell count and formula cells without a cached value. Refuses encrypted,
    damaged and oversized workbooks."""
    with path.open("rb") as fh:
        head = fh.read(8)
    if head == _OLE2:
        raise UserDataError(f"{path}: the workbook is password-protected (encrypted) or an old .xls saved "
                            "with an .xlsx name; save it unprotected as .xlsx")
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise UserDataError(f"{path}: not a readable .xlsx workbook (the file is damaged or truncated: {exc})") \
            from None
    with zf:
        infos = zf.infolist()
        total = sum(i.file_size for i in infos)
        if total > MAX_UNCOMPRESSED_BYTES:
            raise UserDataError(f"{path}: the workbook unpacks to {total / 2**20:.0f} MiB, more than the "
                                f"{MAX_UNCOMPRESSED_BYTES // 2**20} MiB allowed; not read")
        if any(i.flag_bits & 0x1 for i in infos):
            raise UserDataError(f"{path}: the workbook has encrypted parts; save it unprotected")
        names = {i.filename for i in infos}
        if "xl/workbook.xml" not in names:
            raise UserDataError(f"{path}: not an Excel workbook (no xl/workbook.xml inside)")
        try:
            ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                  "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
            wb = ElementTree.fromstring(_read_part(zf, "xl/workbook.xml", path))
            rels = {}
            if "xl/_rels/workbook.xml.rels" in names:
                for rel in ElementTree.fromstring(_read_part(zf, "xl/_rels/workbook.xml.rels", path)):
                    rels[rel.get("Id")] = rel.get("Target", "")
            sheets, info = [], {}
            for sh in wb.iter(f"{{{ns['m']}}}sheet"):
                sname = sh.get("name", "")
                target = rels.get(sh.get(f"{{{ns['r']}}}id"), "")
                target = target.lstrip("/")
                part = target if target.startswith("xl/") else "xl/" + target
                sheets.append(sname)
                info[sname] = _sheet_info(zf, part, path, sname) if part in names else {"cells": 0}
        except ElementTree.ParseError as exc:
            raise UserDataError(f"{path}: the workbook's XML is damaged ({exc})") from None
        except (zipfile.BadZipFile, EOFError, OSError, RuntimeError, zlib.error) as exc:
            raise UserDataError(f"{path}: the workbook is damaged or truncated ({exc})") from None
    return sheets, info


def _sheet_info(zf: zipfile.ZipFile, part: str, path: Path, sname: str) -> dict:
    """Streamed over the sheet's XML (linear time, constant memory): declared dimension, used
    extent, cells with a value, and formula cells without a cached value."""
    rows = cols = 0
    cells, no_cache = 0, []

    def grow(ref: str | None) -> None:
        nonlocal rows, cols
        if ref:
            for one in ref.split(":"):
                r, c = _cell_ref(one)
                rows, cols = max(rows, r), max(cols, c)
        if rows > MAX_ROWS or cols > MAX_COLUMNS:
            raise UserDataError(f"{path}: sheet {sname!r} declares or uses {rows:,} rows x {cols:,} columns, "
                                f"more than the {MAX_ROWS:,} x {MAX_COLUMNS:,} an indicator table may have; "
                                "not read")

    with zf.open(part) as fh:
        for _event, el in ElementTree.iterparse(fh, events=("end",)):
            tag = el.tag.rsplit("}", 1)[-1]
            if tag == "dimension":
                grow(el.get("ref"))
            elif tag == "c":
                ref = el.get("r")
                grow(ref)
                kids = {k.tag.rsplit("}", 1)[-1]: k for k in el}
                has_v = ("v" in kids and (kids["v"].text or "") != "") or "is" in kids
                if "f" in kids and not has_v:
                    no_cache.append(ref or "?")
                elif has_v:
                    cells += 1
                el.clear()
            elif tag == "row":
                el.clear()
    return {"cells": cells, "no_cache": no_cache}


def _read_excel(path: Path, sheet) -> pd.DataFrame:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        sheets, info = _xlsx_sheets(path)
    else:  # legacy .xls: only calamine can list it; wrap every failure in a message
        try:
            sheets = list(pd.ExcelFile(path, engine="calamine").sheet_names)
        except Exception as exc:  # calamine raises its own error classes
            raise UserDataError(f"{path}: cannot be read as an Excel workbook ({type(exc).__name__}: {exc}); "
                                "it may be damaged or password-protected") from None
        info = {}
    if not sheets:
        raise UserDataError(f"{path}: the workbook has no sheets")
    if sheet is None:
        if len(sheets) > 1:
            desc = ", ".join(f"{s!r}" + (f" ({info[s]['cells']} cells)" if s in info else "") for s in sheets)
            raise UserDataError(f"{path}: the workbook has {len(sheets)} sheets: {desc}; name the sheet to read "
                                "(sheet=... in Python, or 'FILE#SHEET' in a study file or on the command line)")
        sheet = sheets[0]
    elif isinstance(sheet, int) and not isinstance(sheet, bool):
        if not 0 <= sheet < len(sheets):
            raise UserDataError(f"{path}: no sheet number {sheet}; sheets: {', '.join(map(repr, sheets))}")
        sheet = sheets[sheet]
    elif sheet not in sheets:
        raise UserDataError(f"{path}: no sheet {sheet!r}; sheets: {', '.join(map(repr, sheets))}")
    if sheet in info:
        if info[sheet]["no_cache"]:
            cells = info[sheet]["no_cache"]
            raise UserDataError(f"{path}: sheet {sheet!r} has {len(cells)} formula cell(s) without a saved value: "
                                f"{', '.join(cells[:20])}{' ...' if len(cells) > 20 else ''}; open the file in "
                                "Excel or LibreOffice and save it (or paste the values)")
        if info[sheet]["cells"] == 0:
            others = [s for s in sheets if s != sheet and info.get(s, {}).get("cells")]
            hint = f"; the data may be on another sheet: {', '.join(map(repr, others))}" if others else ""
            raise UserDataError(f"{path}: sheet {sheet!r} is empty{hint} (sheets: {', '.join(map(repr, sheets))})")
    try:
        df = pd.read_excel(path, sheet_name=sheet, engine="calamine", header=None, dtype=str,
                           keep_default_na=False, na_values=_NA)
    except Exception as exc:  # calamine raises its own error classes
        raise UserDataError(f"{path}: cannot read sheet {sheet!r} ({type(exc).__name__}: {exc})") from None
    if df.empty:
        raise UserDataError(f"{path}: sheet {sheet!r} is empty (sheets: {', '.join(map(repr, sheets))})")
    return df
