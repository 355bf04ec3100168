"""Finding the six section headings, tolerating the variant titles seen in real reports."""
from __future__ import annotations

import re as plain_re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Optional

import regex as re

from ..model import Document, Paragraph
from ..spec import FormatSpec
from ..textnorm import label_key
from .rows import Row

# Key phrases (compared on label keys) that identify each section's heading. The official
# title comes first; the others are variants seen in published reports (templates.md §2).
SECTION_KEYS: dict[str, tuple[str, ...]] = {
    "s1": ("总体情况", "工作概述", "概述", "基本情况"),
    "s2": ("主动公开政府信息情况", "主动公开政府信息", "主动公开情况"),
    "s3": ("收到和处理政府信息公开申请情况", "收到和处理政府信息公开申请", "依申请公开政府信息情况", "依申请公开情况"),
    "s4": ("行政复议行政诉讼情况", "行政复议和行政诉讼情况", "被申请行政复议提起行政诉讼情况", "行政复议行政诉讼"),
    "s5": ("存在的主要问题及改进情况", "存在的主要问题及整改措施", "存在的主要问题", "问题及改进", "问题和改进",
           "主要问题和改进措施"),
    "s6": ("其他需要报告的事项", "其他需要说明的事项", "其他事项"),
}

_HEADING = re.compile(
    r"^\s*#*\s*(?:(?P<no>[一二三四五六七八九十]+)\s*[、.．]|第(?P<no2>[一二三四五六七八九十]+)部分[、：:\s]*)(?P<title>.+)$"
)
_MAX_HEADING_CHARS = 40


@dataclass
class HeadingHit:
    section: str
    row: int  # index into the row list
    heading: str
    line: Optional[int]


# What _HEADING needs first, for the standard library's re: one quick look tells most lines.
_HEADING_FIRST = plain_re.compile(r"[\s#]*[一二三四五六七八九十第]")


def _heading_section(text: str) -> Optional[str]:
    if not _HEADING_FIRST.match(text):
        return None
    m = _HEADING.match(text)
    if not m:
        return None
    title = m.group("title").strip()
    if len(title) > _MAX_HEADING_CHARS or title.endswith(("。", "；")):
        return None
    return _section_of_title(label_key(title))


@lru_cache(maxsize=1024)  # heading titles recur from report to report
def _section_of_title(key: str) -> Optional[str]:
    for section, keys in SECTION_KEYS.items():
        if any(k in key for k in keys):
            return section
    return None


def find_headings(rows: list[Row]) -> list[HeadingHit]:
    hits = []
    for row in rows:
        if row.grid or not row.cells:
            continue
        text = row.text.strip()
        section = _heading_section(text)
        if section:
            hits.append(HeadingHit(section, row.index, text.lstrip("# ").strip(), row.source.line))
    return hits


def choose_headings(hits: list[HeadingHit], spec: FormatSpec) -> dict[str, HeadingHit]:
    """One heading per section, in the official order where the report allows it."""
    order = [s["id"] for s in spec.sections]
    chosen: dict[str, HeadingHit] = {}
    last_row = -1
    for section in order:
        candidates = [h for h in hits if h.section == section]
        after = [h for h in candidates if h.row > last_row]
        pick = (after or candidates or [None])[0]
        if pick is not None:
            chosen[section] = pick
            last_row = max(last_row, pick.row)
    return chosen


# ---------------------------------------------------------------- headings run into a line

# Web pages copied as text often come out as one long line (or one line a section), the
# headings run in: "一、总体情况 根据…… 二、主动公开政府信息情况 三、收到和处理……"; or a
# heading is glued to its first sentence ("一、总体情况2019年，我乡……"). Such a heading
# starts the line or follows a space or a sentence's end, carries the number of its place
# (一 … 六) and that section's title (official or a known variant), and comes after the
# headings before it. A numbered phrase inside a sentence ("一是……"), a list after a colon,
# a comma or a semicolon, or a table row ("四、结转下年度继续办理") is none.
_RUN_IN_MARK = re.compile(
    r"(?:(?<=^[\s#]*)|(?<=[\s。！？!?]))"
    r"(?:(?P<no>[一二三四五六])\s*[、.．]|第(?P<no2>[一二三四五六])部分[、：:]?)\s*"
)
_RUN_IN_HINT = plain_re.compile(r"[一二三四五六]\s*[、.．]|第[一二三四五六]部分")  # what _RUN_IN_MARK needs
_NUMBERS = "一二三四五六"
_SECTIONS = ("s1", "s2", "s3", "s4", "s5", "s6")
_TITLE_LEAD = r"\p{Han}{0,8}?"  # words before the title: "政府信息公开" 行政复议……, "本机关" 存在的……
# Words a shorter variant's title may go on with: "存在的主要问题" 及改进措施, "主动公开" 情况.
_TITLE_TAIL = r"(?:[及和与]\p{Han}{0,4}?(?:情况|措施|举措|方向|计划))?(?:情况|事项)?(?:\s*[：:])?"
_OFFICIAL_TITLES = {
    "s1": "总体情况", "s2": "主动公开政府信息情况", "s3": "收到和处理政府信息公开申请情况",
    "s4": "政府信息公开行政复议、行政诉讼情况", "s5": "存在的主要问题及改进情况", "s6": "其他需要报告的事项",
}


def _spaced(key: str) -> str:
    """A key as printed: spaces or punctuation may stand between its characters."""
    return r"[\s\p{P}\p{S}]*".join(re.escape(ch) for ch in key)


_TITLE_PATTERNS = {
    section: re.compile(
        _TITLE_LEAD + "(?:" + "|".join(_spaced(k) for k in sorted(
            {label_key(_OFFICIAL_TITLES[section]), *keys}, key=len, reverse=True)) + ")" + _TITLE_TAIL
    )
    for section, keys in SECTION_KEYS.items()
}


@dataclass
class RunInHeading:
    section: str
    start: int  # where its number starts in the line
    end: int  # where its title ends


def run_in_headings(text: str, last: int, elsewhere: frozenset[str] = frozenset()) -> list[RunInHeading]:
    """Headings inside a line, in ascending order after the section numbered `last` (0: none
    yet). Inside the line (not at its start), a section whose heading stands on a line of its
    own `elsewhere` is only named ("本报告由 一、总体情况 二、…… 组成"), not begun."""
    found: list[RunInHeading] = []
    if not _RUN_IN_HINT.search(text):
        return found  # most lines: no number of a part, and the slower pattern need not look
    pos = 0
    line_start = _line_start(text)
    while True:
        m = _RUN_IN_MARK.search(text, pos)
        if m is None:
            return found
        number = _NUMBERS.index(m.group("no") or m.group("no2")) + 1
        section = _SECTIONS[number - 1]
        named_only = m.start() > line_start and section in elsewhere
        title = _TITLE_PATTERNS[section].match(text, m.end()) if number > last and not named_only else None
        if title is None:
            pos = m.end()
            continue
        found.append(RunInHeading(section, m.start(), title.end()))
        last, pos = number, title.end()


_CLAUSE = re.compile(r"[，。；,;！？]")


def _sentence_glued(text: str, hits: list[RunInHeading]) -> bool:
    """A short line read as one heading whose title runs on into a sentence ("一、总体情况2019年，
    我乡……" wrapped by the page): words after a title are a heading's only when no clause follows."""
    return bool(hits) and hits[0].start == _line_start(text) and bool(_CLAUSE.search(text[hits[0].end:]))


def _line_start(text: str) -> int:
    """Where a line's text starts, after its indent and Markdown heading marks."""
    return len(text) - len(text.lstrip(" #\t"))


def _is_table_line(text: str) -> bool:
    return "\t" in text or text.count("|") >= 2


def split_run_in_headings(doc: Document) -> Document:
    """The document with each run-in heading on a paragraph of its own (the text before and
    after it too, on the same line of the file), so that sections, sentences and the cut
    are found as in a report printed one heading a line."""
    blocks: list = []
    last = 0  # the number of the last section heading met
    changed = False
    # paragraphs that are not table lines, and the section each one is the heading of as a whole line
    lines = [isinstance(block, Paragraph) and not _is_table_line(block.text) for block in doc.blocks]
    wholes = [_heading_section(block.text.strip()) if line else None for block, line in zip(doc.blocks, lines)]
    elsewhere = frozenset(section for section in wholes if section is not None)  # headings on lines of their own
    for block, line, whole in zip(doc.blocks, lines, wholes):
        if not line:
            blocks.append(block)
            continue
        if whole is not None and not _CLAUSE.search(block.text):
            last = max(last, _SECTIONS.index(whole) + 1)  # a heading alone on its line: nothing glued to it
            blocks.append(block)
            continue
        hits = run_in_headings(block.text, last, elsewhere)
        if whole is not None and not _sentence_glued(block.text, hits):
            last = max(last, _SECTIONS.index(whole) + 1)
            blocks.append(block)
            continue
        if not hits:
            blocks.append(block)
            continue
        changed = True
        last = _SECTIONS.index(hits[-1].section) + 1
        pos = 0
        for hit in hits:
            for piece in (block.text[pos:hit.start], block.text[hit.start:hit.end]):
                if piece.strip():
                    blocks.append(Paragraph(piece.strip(), block.source))
            pos = hit.end
        if block.text[pos:].strip():
            blocks.append(Paragraph(block.text[pos:].strip(), block.source))
    return replace(doc, blocks=blocks) if changed else doc
