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

_PDF_DATE = re.compile(r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?")
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
    try:
        import pypdfium2 as pdfium

        document = pdfium.PdfDocument(str(path))
        try:
            meta = document.get_metadata_dict()
        finally:
            document.close()
    except Exception:  # noqa: BLE001 - encrypted or broken: no date, the audit says why elsewhere
        return None
    for key, label in (("CreationDate", "PDF 文件的创建日期（CreationDate）"), ("ModDate", "PDF 文件的修改日期（ModDate）")):
        date = _date(_PDF_DATE.match(meta.get(key) or ""))
        if date:
            return FileDate(date, label)
    return None


def _docx_date(path: Path) -> Optional[FileDate]:
    try:
        with zipfile.ZipFile(path) as z:
            if _CORE not in z.namelist():
                return None
            xml = z.read(_CORE)[:100_000].decode("utf-8", errors="replace")
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
