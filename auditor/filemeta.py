"""When a file says it was made: a PDF's CreationDate/ModDate, a Word file's core properties.

The weakest evidence of when a report was published (PUB-DEADLINE uses it only when neither a
publication date nor a sign-off date is known): a file created after the deadline cannot have
been published before it. Reading never fails: a file without dates, or one that cannot be
opened, simply has none.
"""
from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import regex as re

_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_CORE = "docProps/core.xml"


@dataclass(frozen=True)
class FileDate:
    date: dt.date
    what: str  # "PDF 文件的创建日期（CreationDate）", for messages


def file_date(path: str | Path) -> Optional[FileDate]:
    """The file's own creation date (its modification date when no creation date is recorded)."""
    path = Path(path)
    try:
        head = path.open("rb").read(8)
    except OSError:
        return None
    if head.startswith(b"%PDF"):
        return _pdf_date(path)
    if head.startswith(b"PK"):
        return _docx_date(path)
    return None


def _pdf_date(path: Path) -> Optional[FileDate]:
    """The Info dictionary's dates (or the XMP metadata's), found in the file's bytes: no PDF
    library runs in the batch's own process, so a file that crashes one cannot stop the batch.
    With several (incremental updates), the earliest."""
    data = _ends(path)
    for pattern, label in ((rb"/CreationDate\s*\((?:D:)?(\d{4})(\d{2})(\d{2})", "PDF 文件的创建日期（CreationDate）"),
                           (rb"<xmp:CreateDate>(\d{4})-(\d{2})-(\d{2})", "PDF 文件的创建日期（XMP CreateDate）"),
                           (rb"/ModDate\s*\((?:D:)?(\d{4})(\d{2})(\d{2})", "PDF 文件的修改日期（ModDate）")):
        dates = [d for d in (_date(m) for m in re.finditer(pattern, data)) if d]
        if dates:
            return FileDate(min(dates), label)
    return None


def _ends(path: Path, size: int = 4 << 20) -> bytes:
    """The first and last `size` bytes, where writers put the Info dictionary and the XMP metadata."""
    with path.open("rb") as f:
        head = f.read(size)
        f.seek(0, 2)
        end = f.tell()
        if end <= size:
            return head
        f.seek(max(size, end - size))
        return head + f.read()


def _docx_date(path: Path) -> Optional[FileDate]:
    try:
        with zipfile.ZipFile(path) as z:
            if _CORE not in z.namelist():
                return None
            with z.open(_CORE) as part:  # read only its head: a crafted archive may inflate to gigabytes
                xml = part.read(100_000).decode("utf-8", errors="replace")
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    for tag, label in (("created", "Word 文档属性中的创建时间"), ("modified", "Word 文档属性中的修改时间")):
        m = re.search(rf"<dcterms:{tag}[^>]*>([^<]+)<", xml)
        date = _date(_ISO_DATE.search(m.group(1))) if m else None
        if date:
            return FileDate(date, label)
    return None


def _date(m) -> Optional[dt.date]:
    if not m or not m.group(2) or not m.group(3):
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
