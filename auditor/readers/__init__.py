"""Readers turn a file into a Document. The format is told from the content, not the name.

Each reader module has `read(path, data, sha256) -> Document` and raises InputError with a
Chinese message for files it cannot read. Readers are imported only when needed, so the
text path does not pay for lxml or PDFium.
"""
from __future__ import annotations

import codecs
import hashlib
import importlib
import io
import re
import zipfile
from pathlib import Path

from ..errors import MAX_FILE_BYTES, MAX_TEXT_CHARS, InputError, LimitExceeded
from ..model import Document, Paragraph, TableBlock
from ..textnorm import fold_script

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}  # scans, read by OCR (readers.image)
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | IMAGE_SUFFIXES | {".docx", ".pdf", ".doc"}

_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")  # PNG, JPEG, TIFF
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_WORD_STREAM = "WordDocument".encode("utf-16-le")


def sniff(data: bytes) -> str:
    """One of: pdf, docx, zip, doc, ole, rtf, image, html, text."""
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(_IMAGE_MAGIC):
        return "image"
    if data.startswith(b"PK\x03\x04"):
        return "docx" if _is_docx(data) else "zip"
    if data.startswith(_OLE_MAGIC):
        return "doc" if _WORD_STREAM in data else "ole"
    if data.lstrip()[:5] == b"{\\rtf":
        return "rtf"
    if _looks_like_html(data):
        return "html"
    return "text"


def _looks_like_html(data: bytes) -> bool:
    head = data[:4096]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # pages saved as "Unicode"
        head = head.decode("utf-16", errors="ignore").encode("ascii", errors="ignore")
    head = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return True
    tags = (b"<html", b"<head", b"<body", b"<table", b"<meta", b"<div", b"<p>", b"<p ")
    return head.startswith(b"<") and any(tag in head for tag in tags)


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "word/document.xml" in z.namelist()
    except (zipfile.BadZipFile, NotImplementedError, ValueError, EOFError):  # e.g. "zip file version 25.5"
        return True  # a damaged Word file: the DOCX reader says what is wrong


_READERS = {"text": "text", "html": "html", "docx": "docx", "pdf": "pdf", "doc": "doc", "rtf": "doc", "image": "image"}
_REFUSED = {
    "zip": "这是 ZIP 压缩文件而不是 Word 文档（.docx）；请解压后审查其中的年报文件",
    "ole": "这是 Office 97-2003 文件但不是 Word 文档（可能是 Excel 或 PowerPoint）；请提供年报的 Word、PDF 或网页文件",
}


TOO_DEEP = ("文件的嵌套层次过深（表格、文本框或网页元素层层嵌套），超出审查程序的处理上限；"
            "文件可能已损坏或由异常程序生成，请用 Word 或 WPS 打开后另存再审查")


def read_document(path: str | Path) -> Document:
    p = Path(path)
    try:
        if p.stat().st_size > MAX_FILE_BYTES:
            raise InputError(str(p), f"文件超过 {MAX_FILE_BYTES // 1024 // 1024} MB，远大于一份年报；请确认文件是否正确")
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError(str(p), "文件不存在") from None
    except IsADirectoryError:
        raise InputError(str(p), "这是一个文件夹，不是文件") from None
    except OSError as exc:
        raise InputError(str(p), f"无法读取文件（{exc.strerror or exc}）") from None
    if not data.strip():
        raise InputError(str(p), "文件为空，没有可审查的内容")
    kind = sniff(data)
    if kind in _REFUSED:
        raise InputError(str(p), _REFUSED[kind])
    module = importlib.import_module(f".{_READERS[kind]}", __name__)
    try:
        doc = module.read(str(p), data, hashlib.sha256(data).hexdigest())
    except LimitExceeded as exc:
        raise InputError(str(p), exc.problem) from None
    except RecursionError:
        raise InputError(str(p), TOO_DEEP) from None
    _check_text_size(doc)
    return _folded(doc)


def _check_text_size(doc: Document) -> None:
    chars = sum(len(b.text) for b in doc.blocks if isinstance(b, Paragraph))
    chars += sum(len(cell.text) for b in doc.blocks if isinstance(b, TableBlock) for row in b.rows for cell in row)
    if chars > MAX_TEXT_CHARS:
        raise InputError(doc.path, too_much_text(chars))


def too_much_text(chars: int) -> str:
    return (f"文件的文字超过 {MAX_TEXT_CHARS // 10000} 万字（约 {chars // 10000} 万字），远多于一份年报；"
            "请确认文件是否正确，或只提交年报本身")


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _folded(doc: Document) -> Document:
    """The document's text in simplified script whatever format it came in (textnorm.fold_script);
    each source keeps the text as printed."""
    items = [b for b in doc.blocks if isinstance(b, Paragraph)]
    items += [cell for b in doc.blocks if isinstance(b, TableBlock) for row in b.rows for cell in row]
    for item in items:
        _without_lone_surrogates(item)
    texts = [item.text for item in items]
    folded = fold_script(texts)
    if folded is not texts:
        for item, text in zip(items, folded):
            item.text = text
    return doc


def _without_lone_surrogates(item) -> None:
    """A damaged PDF's text layer can give half of a UTF-16 surrogate pair, which no output
    (UTF-8 files, the script folding) can encode: it becomes U+FFFD, shown as "�"."""
    if _LONE_SURROGATE.search(item.text):
        item.text = _LONE_SURROGATE.sub("\ufffd", item.text)
    raw = getattr(item.source, "raw", None)
    if raw and _LONE_SURROGATE.search(raw):
        item.source = item.source._replace(raw=_LONE_SURROGATE.sub("\ufffd", raw))
