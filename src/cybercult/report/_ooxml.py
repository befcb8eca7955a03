"""Make Office Open XML files (.pptx, .docx) byte-identical across builds.

python-pptx and python-docx write their zip members with the current time as
the member date, so two saves of the same document differ. The zip is
rewritten here with a fixed member date, in the same member order and with the
same compression; no library offers this, hence the few lines by hand.
"""
from __future__ import annotations

import datetime as _dt
import io
import zipfile
from pathlib import Path

#: Date stored in the document's core properties and on every zip member.
FIXED_DATETIME = _dt.datetime(2000, 1, 1, 0, 0, 0)
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def set_core_properties(props, *, title: str, subject: str = "") -> None:
    """Fixed, dateless-in-effect core properties (title, author, dates).

    Parameters
    ----------
    props : CoreProperties
        ``document.core_properties`` of a python-docx or python-pptx document.
    title : str
        Document title.
    subject : str
        Document subject.
    """
    props.title = title
    props.subject = subject
    props.author = "cybercult"
    props.last_modified_by = "cybercult"
    props.created = FIXED_DATETIME
    props.modified = FIXED_DATETIME
    props.revision = 1
    props.comments = ""
    props.keywords = ""


def stabilise_zip(path: Path) -> None:
    """Rewrite the zip at ``path`` with a fixed date on every member.

    Parameters
    ----------
    path : path
        A ``.docx`` or ``.pptx`` file (a zip), rewritten in place.
    """
    path = Path(path)
    src = io.BytesIO(path.read_bytes())
    out = io.BytesIO()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            new = zipfile.ZipInfo(info.filename, date_time=_ZIP_DATE)
            new.compress_type = zipfile.ZIP_DEFLATED
            new.external_attr = 0o600 << 16
            zout.writestr(new, zin.read(info.filename))
    path.write_bytes(out.getvalue())
