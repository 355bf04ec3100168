"""A column header printed twice side by side ("本年新制作数量 本年新制作数量"): the second
column's own header was overwritten by a copy, so a reader cannot tell what the column counts."""
from __future__ import annotations

from functools import lru_cache
from typing import Iterator, Optional

import regex as re

from ...labels import table_short_title
from ...model import Finding, Paragraph, Report, Source, TableBlock
from ...spec import format_spec
from ...textnorm import label_key
from ..rule import Rule
from ..kind import kind

_FIELD_SPLIT = re.compile(r"\s*(?:\||\t|\s{2,})\s*")


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
    return found


def _fields(report: Report) -> Iterator[tuple[Optional[str], str, Source]]:
    """The text's cells in reading order; None between rows of a grid and between lines that are
    not one cell each (a header is repeated only within one row)."""
    for block in report.document.blocks:
        if isinstance(block, TableBlock):
            for row in block.rows:
                yield None, "", block.source
                for cell in row:
                    if not cell.covered:
                        yield cell.text, cell.text, cell.source
            yield None, "", block.source
        elif isinstance(block, Paragraph):
            parts = [p for p in _FIELD_SPLIT.split(block.text.strip().strip("|")) if p]
            if len(parts) > 1:
                yield None, "", block.source
            for part in parts:
                yield part, block.text, block.source
            if len(parts) > 1:
                yield None, "", block.source


@kind("duplicate_headers", fields=("header", "line", "table"),
      doc="A table's column headers are printed once, not again in the middle of the table.")
def check_duplicate_headers(report: Report, rule: Rule) -> list[Finding]:
    headers = _headers()
    findings = []
    previous: Optional[str] = None
    for text, line, source in _fields(report):
        key = label_key(text) if text else None
        if key and key == previous and key in headers:
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
