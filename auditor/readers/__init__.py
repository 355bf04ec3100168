"""Readers turn a file into a Document. The format is told from the content, not the name."""
from __future__ import annotations

import hashlib
from pathlib import Path

from ..errors import InputError
from ..model import Document
from . import text

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES

# Formats recognised by their first bytes, which this version cannot read yet.
_SIGNATURES = {
    b"%PDF": "PDF",
    b"PK\x03\x04": "DOCX/ZIP",
    b"\xd0\xcf\x11\xe0": "Word 97-2003 (.doc)",
}


def sniff(data: bytes) -> str:
    for magic, name in _SIGNATURES.items():
        if data.startswith(magic):
            return name
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head[:512]:
        return "HTML"
    return "text"


def read_document(path: str | Path) -> Document:
    p = Path(path)
    try:
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
    if kind != "text":
        raise InputError(str(p), f"这是 {kind} 文件，本版本只能读取文本（.txt/.md）格式的年报；请先另存为文本文件")
    sha = hashlib.sha256(data).hexdigest()
    return text.read(str(p), data, sha)
