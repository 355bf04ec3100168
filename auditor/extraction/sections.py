"""Finding the six section headings, tolerating the variant titles seen in real reports."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import regex as re

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


def _heading_section(text: str) -> Optional[str]:
    m = _HEADING.match(text)
    if not m:
        return None
    title = m.group("title").strip()
    if len(title) > _MAX_HEADING_CHARS or title.endswith(("。", "；")):
        return None
    key = label_key(title)
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
