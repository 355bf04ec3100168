"""A column header printed twice side by side ("本年新制作数量 本年新制作数量"): the second
column's own header was overwritten by a copy, so a reader cannot tell what the column counts."""
from __future__ import annotations

from functools import lru_cache
from operator import and_
from typing import Iterator, Optional

import re as stdlib_re

from ...labels import table_short_title
from ...model import Finding, Paragraph, Report, Source, TableBlock
from ...spec import format_spec
from ...textnorm import label_key
from ..rule import Rule
from ..kind import kind

# The standard library's engine splits twice as fast as `regex` here. Its \s also takes the
# separators \x1c-\x1f, which `regex` does not count as space, so space is spelt out: Unicode's
# White_Space, `regex`'s \s.
_SPACE = "[\t-\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
_FIELD_SPLIT = stdlib_re.compile(rf"{_SPACE}*(?:\||\t|{_SPACE}{{2,}}){_SPACE}*")


@lru_cache(maxsize=1)
def _headers() -> dict[str, str]:
    """The column headers of both formats (by key) that a header row prints once → their table.
    表四's headers recur in each of its three blocks, and 总计 heads columns of 表三 and 表四
    alike: a layout may set two of them side by side (pdftotext: "总计   总计")."""
    found: dict[str, str] = {}
    for template in ("2019", "2021"):
        spec = format_spec(template)
        for block in spec.t2_blocks:
            found.update({label_key(label): "t2" for label in block.columns.values()})
        found.update({label_key(label): "t3" for label in spec.t3_columns.values() if label != "总计"})
    assert not any(_ASCII_WORD.search(key) for key in found), "_may_be_header passes over cells with ASCII words"
    return found


# label_key drops only spaces, punctuation and symbols: a cell holding an ASCII letter or digit
# keeps it in its key, and a cell of ASCII alone has an ASCII key, while every header is Chinese
# words. So numbers (most cells), list numbers and lines of prose with a year are no header.
_ASCII_WORD = stdlib_re.compile(r"[0-9A-Za-z]")


_EDGE = frozenset(" \t\n\x0b\x0c\r\x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000|"
                  + "".join(map(chr, range(0x2000, 0x200b))))  # what a separator may start or end with
_ASCII = "".join(map(chr, range(128)))


_TWO_SPACES = stdlib_re.compile(_SPACE + "{2}")


def _has_separator(text: str) -> bool:
    """_FIELD_SPLIT would cut the text (found without its leading space* trying every position)."""
    return "\t" in text or "|" in text or _TWO_SPACES.search(text) is not None


def _may_be_header(text: str) -> bool:
    return not (text.isascii() or _ASCII_WORD.search(text))


def _runs(report: Report) -> Iterator[list[tuple[str, str, Source]]]:
    """The text's cells in reading order as (cell, printed line, source), in runs within which a
    header may be printed twice side by side (a header is repeated only within one row): one row
    of a grid, one line cut into cells, or consecutive lines that are one cell each. Lines that
    cannot hold two headers (a row label and its numbers) end a run and are left out."""
    lines: list[tuple[str, str, Source]] = []  # consecutive lines of one cell each
    for block in report.document.blocks:
        if isinstance(block, TableBlock):
            if lines:
                yield lines
                lines = []
            for row in block.rows:
                texts = [cell.text for cell in row if not cell.covered]
                wide = [not text.isascii() for text in texts]
                if any(map(and_, wide, wide[1:])):  # two cells side by side that may be headers (not numbers)
                    yield [(text, text, block.source) for text in texts]
        elif isinstance(block, Paragraph):
            text = block.text.strip().strip("|")
            if not _has_separator(text):
                parts = [text] if text else []  # a line of one cell (most lines of prose)
            elif text[:1] not in _EDGE and text[-1:] not in _EDGE and not _has_separator(text.strip(_ASCII)):
                # Two cells or more (no separator at either end), no two of them holding more than
                # ASCII, so no two headers: a row label and its numbers, told without a split.
                if lines:
                    yield lines
                    lines = []
                continue
            else:
                parts = [p for p in _FIELD_SPLIT.split(text) if p]
            if len(parts) == 1 and _may_be_header(parts[0]):
                lines.append((parts[0], block.text, block.source))
                continue
            if len(parts) > 1 or lines and parts:  # a row of cells, or a line that is no header, ends the run
                if lines:
                    yield lines
                    lines = []
                if sum(map(_may_be_header, parts)) >= 2:
                    yield [(part, block.text, block.source) for part in parts]
    if lines:
        yield lines


@kind("duplicate_headers", fields=("header", "line", "table"),
      doc="A table's column headers are printed once, not again in the middle of the table.")
def check_duplicate_headers(report: Report, rule: Rule) -> list[Finding]:
    headers = _headers()
    findings = []
    for run in _runs(report):
        previous: Optional[str] = None  # the header key of the cell before, None when it is not a header
        for text, line, source in run:
            key = label_key(text) if _may_be_header(text) else None
            if key is not None and key == previous and key in headers:
                table = headers[key]
                findings.append(Finding(
                    rule.id, rule.severity, "fail",
                    rule.render(table=table_short_title(table), header=text.strip(), line=source.line or "?"),
                    table=table if table == "t3" else None, line=source.line, page=source.page,
                    excerpt=line.strip()[:80], key=f"dup:{key}:{source.line}",
                ))
                previous = None
                continue
            previous = key
    return findings
