"""Narrative text → sentences with their line and section.

Lines wrapped by the PDF or the editor are joined (a sentence may cross a page break);
a sentence ends at 。！？ or at a heading. Table rows and table labels are left out.
"""
from __future__ import annotations

import re as plain_re
from bisect import bisect_right
from typing import Optional

import regex as re

from ..model import Sentence
from ..textnorm import has_cjk
from ..values import is_page_number
from .rows import Row

_END = plain_re.compile(r"(?<=[。！？!?])")  # the standard library's re splits four times faster than regex
_HEADING_START = re.compile(r"^\s*#*\s*(?:[一二三四五六七八九十]+\s*、|（[一二三四五六七八九十]+）|第[一二三四五六七八九十]+部分)")
_MARKDOWN_HEADING = re.compile(r"^#+\s*")
_HEADING_FIRST = plain_re.compile(r"[\s#]*[一二三四五六七八九十（第]")  # what _HEADING_START needs first: a quick look


def _continues(buf: list[str], text: str) -> bool:
    """A line without Chinese ("64.9%）。" wrapped from "（占") belongs to the open sentence;
    page numbers and lines between sentences do not."""
    open_sentence = bool(buf) and not _END.search(buf[-1].rstrip()[-1:] or "。")
    return open_sentence and bool(text.strip()) and not is_page_number(text)


def build_sentences(
    rows: list[Row], section_of_row: list[Optional[str]], table_rows: set[int]
) -> list[Sentence]:
    sentences: list[Sentence] = []
    buf: list[str] = []
    starts: list[int] = []  # offset in buf text where each line starts
    lines: list[Optional[int]] = []
    pages: list[Optional[int]] = []
    section: Optional[str] = None

    def flush() -> None:
        text = "".join(buf)
        pos = 0
        for piece in _END.split(text):
            if piece.strip():
                k = bisect_right(starts, pos + len(piece) - len(piece.lstrip())) - 1
                sentences.append(Sentence(piece.strip(), lines[max(k, 0)], section, pages[max(k, 0)]))
            pos += len(piece)
        buf.clear(), starts.clear(), lines.clear(), pages.clear()

    for row in rows:
        if row.index in table_rows or row.grid:
            continue
        if not has_cjk(row.text) and not _continues(buf, row.text):
            continue
        text = row.text.strip()
        if text.startswith("#"):
            text = _MARKDOWN_HEADING.sub("", text)
        heading = len(text) <= 40 and _HEADING_FIRST.match(text) is not None and _HEADING_START.match(text) is not None
        if heading or section_of_row[row.index] != section:
            flush()
            section = section_of_row[row.index]
        starts.append(starts[-1] + len(buf[-1]) if buf else 0)
        lines.append(row.source.line)
        pages.append(row.source.page)
        buf.append(text)
        if heading:
            flush()
    flush()
    return sentences
