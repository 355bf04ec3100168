"""A column header printed twice side by side ("本年新制作数量 本年新制作数量"): the second
column's own header was overwritten by a copy, so a reader cannot tell what the column counts."""
from __future__ import annotations

from functools import lru_cache
from typing import Iterator, Optional

import re as stdlib_re

from ...labels import table_short_title
from ...model import Finding, Paragraph, Report, Source, TableBlock
from ...spec import format_spec
from ...textnorm import label_key
from ..rule import Rule
from ..kind import kind

# The standard library's engine splits twice as fast as `regex` here; its \s also takes the
# separators \x1c-\x1f, which `regex` does not count as space, so they are left out.
_SPACE = r"[^\S\x1c-\x1f]"
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
    assert not any(key.isascii() for key in found), "_header_key passes over ASCII cells"
    return found


def _runs(report: Report) -> Iterator[list[tuple[str, str, Source]]]:
    """The text's cells in reading order as (cell, printed line, source), in runs within which a
    header may be printed twice side by side (a header is repeated only within one row): one row
    of a grid, one line cut into cells, or consecutive lines that are one cell each."""
    lines: list[tuple[str, str, Source]] = []  # consecutive lines of one cell each
    for block in report.document.blocks:
        if isinstance(block, TableBlock):
            if lines:
                yield lines
                lines = []
            for row in block.rows:
                yield [(cell.text, cell.text, block.source) for cell in row if not cell.covered]
        elif isinstance(block, Paragraph):
            parts = [p for p in _FIELD_SPLIT.split(block.text.strip().strip("|")) if p]
            if len(parts) > 1:
                if lines:
                    yield lines
                    lines = []
                yield [(part, block.text, block.source) for part in parts]
            elif parts:
                lines.append((parts[0], block.text, block.source))
    if lines:
        yield lines


def _header_key(text: str, headers: dict[str, str]) -> Optional[str]:
    """The cell's key when it is one of the headers, else None."""
    if text.isascii():
        return None  # a number (most cells are): the key of ASCII text is ASCII, and every header is Chinese
    key = label_key(text)
    return key if key in headers else None


@kind("duplicate_headers", fields=("header", "line", "table"),
      doc="A table's column headers are printed once, not again in the middle of the table.")
def check_duplicate_headers(report: Report, rule: Rule) -> list[Finding]:
    headers = _headers()
    findings = []
    for run in _runs(report):
        previous: Optional[str] = None  # the header key of the cell before, None when it is not a header
        for text, line, source in run:
            key = _header_key(text, headers)
            if key is not None and key == previous:
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
