"""Numbers a table printed that extraction could not place in cells (Table.unread): said once
per table, with the rows, how many numbers and why, so nothing visible goes unchecked in
silence. Identities over those rows cannot be checked (see identity.py)."""
from __future__ import annotations

from ...labels import block_caption, table_short_title
from ...model import Finding, Report, Table, Unread
from ...textnorm import label_key, shorten
from ..rule import Rule
from ..kind import kind
from .names import table_group

_MAX_LISTED = 6  # rows named in one message; more are counted
_LABEL_CHARS = 24


def unread_rows(table: Table) -> set[str]:
    """Rows whose cells may hold numbers the report printed but extraction could not place:
    rows named by an unread record, and, when some numbers stood beside no known label, every
    found row left without a single number (those numbers may be its)."""
    rows = {u.row for u in table.unread if u.row is not None}
    if any(u.row is None for u in table.unread):
        rows |= {r for r in table.rows_found if all(table.value(r, c) is None for c in table.column_labels)}
    return rows


def _lines(records: list[Unread]) -> str:
    pages = sorted({u.source.page for u in records if u.source.page is not None})
    if pages:
        return "第 " + "、".join(map(str, pages)) + " 页"
    lines = sorted({u.source.line for u in records if u.source.line is not None})
    if not lines:
        return ""
    if len(lines) > 1 and lines[-1] - lines[0] == len(lines) - 1:
        return f"第 {lines[0]}–{lines[-1]} 行"
    return "第 " + "、".join(map(str, lines)) + " 行"


@kind("unread_cells", fields=("count", "rows", "table"),
      doc="Every number printed in a table was read into a cell; the rows read short are reported.")
def check_unread_cells(report: Report, rule: Rule) -> list[Finding]:
    by_group: dict[str, list[tuple[Table, Unread]]] = {}
    for table in report.tables.values():
        for record in table.unread:
            if not record.cut:  # numbers in the row the text stops in: READ-TRUNCATED's
                by_group.setdefault(table_group(table.id), []).append((table, record))
    findings = []
    for group, records in by_group.items():
        rows: dict[tuple[str, str], list[Unread]] = {}  # (table, printed row) → its records, in print order
        for table, record in records:
            rows.setdefault((table.id, record.row or record.label), []).append(record)
        by_reason: dict[str, list[str]] = {}  # rows that share a reason are named together
        for (table_id, _), recs in rows.items():
            label = shorten(recs[0].label, _LABEL_CHARS)
            where = _lines(recs)
            count = sum(u.count for u in recs)
            caption = block_caption(report.tables[table_id])
            by_reason.setdefault(recs[0].reason, []).append(
                f"{'' if label_key(caption) in label_key(label) else caption}“{label}”（{where}{'，' if where else ''}{count} 个数字）")
        groups = []
        for reason, named in by_reason.items():
            shown = "、".join(named[:_MAX_LISTED]) + (f"等 {len(named)} 行" if len(named) > _MAX_LISTED else "")
            groups.append(f"{shown}，{reason}")
        listed = "；".join(groups)
        first = records[0][1].source
        findings.append(Finding(
            rule.id, rule.severity, "fail",
            rule.render(table=table_short_title(group), count=sum(u.count for _, u in records), rows=listed),
            table=group, line=first.line, page=first.page, excerpt=first.raw.strip() or None, key="unread",
            cells=[(t.id, u.row, c) for t, u in records if u.row is not None for c in t.column_labels],
        ))
    return findings
