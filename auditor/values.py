"""Reading a table cell's printed text as a number, keeping what it said."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

import regex as re

_NUMBER = re.compile(
    r"^(?P<sign>[+\-]|增加?|减少?|新增)?\s*(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?\s*"
    r"(?P<unit>件|条|个|项|次|人次|家|万元|元|份)?$"
)
_NOT_A_NUMBER = re.compile(r"^(?:无|/|／|\\|—+|-|－|–|空|暂无|未发生|不适用|N/?A)$", re.IGNORECASE)
_PAGE_NUMBER = re.compile(r"^(?:[-—–]\s*\d{1,3}\s*[-—–]|第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?|\d{1,3}\s*/\s*\d{1,3})$")


@dataclass(frozen=True)
class CellValue:
    number: Optional[float]
    kind: str  # number | blank | placeholder
    unit: Optional[str] = None


BLANK = CellValue(None, "blank")


@lru_cache(maxsize=8192)  # tables repeat the same few texts ("0", "1", "无"); values are frozen
def parse_cell(text: str) -> Optional[CellValue]:
    """The value of a cell's text, or None when the text is not a value (it is a label)."""
    t = text.strip()
    if not t:
        return BLANK
    m = _NUMBER.match(t)
    if m:
        number = float(m.group("num").replace(",", "") + (m.group("frac") or ""))
        sign = m.group("sign") or ""
        if sign in ("-",) or sign.startswith("减"):
            number = -number
        return CellValue(number, "number", m.group("unit"))
    if _NOT_A_NUMBER.match(t):
        return CellValue(None, "placeholder")
    return None


def is_page_number(text: str) -> bool:
    return bool(_PAGE_NUMBER.match(text.strip()))
