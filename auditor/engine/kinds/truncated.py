"""A text that stops before the report's end (extraction's Report.cut), said once: where it
stops and what could not be audited after it. The structure rules leave out what lies after
the cut, so a cut-off copy is not reported as one missing section, table and row after another.
A text that starts after the report's beginning (Report.start) is said once the same way."""
from __future__ import annotations

from typing import Optional

from ...labels import TABLE_SHORT_NAMES, cell_words, table_short_title
from ...model import Cut, Finding, Report, Start
from ...spec import FormatSpec
from ..rule import Rule
from ..kind import Param, kind

_SECTION_NUMBERS = {"s1": "一", "s2": "二", "s3": "三", "s4": "四", "s5": "五", "s6": "六"}
_TAIL_CHARS = 20  # how much of the last line the message quotes


@kind("truncated",
      params={"start_message": Param(str, required=True, message=("where", "before"))},
      fields=("after", "before", "unsure", "where"),
      doc="The text is whole: it does not stop (or start) in the middle of the report.")
def check_truncated(report: Report, rule: Rule) -> list[Finding]:
    spec = report.spec
    findings = []
    if report.start is not None:
        findings.append(_started_late(report.start, report, rule, spec))
    cut = report.cut
    if cut is None:
        return findings
    message = rule.render(where=where_it_stops(cut, report, spec), after=what_is_lost(cut, spec),
                          unsure=_unsure_number(cut, report))
    findings.append(Finding(rule.id, rule.severity, "fail", message, line=cut.line, page=cut.page,
                            excerpt=cut.excerpt or None, key="cut"))
    return findings


def _started_late(start: Start, report: Report, rule: Rule, spec: FormatSpec) -> Finding:
    message = rule.params["start_message"].format_map(
        {"where": where_it_starts(start, report, spec), "before": what_lies_before(start, spec)})
    return Finding(rule.id, rule.severity, "fail", message, line=start.line, page=start.page,
                   excerpt=_head(start.excerpt) or None, key="start")


def where_it_starts(start: Start, report: Report, spec: FormatSpec) -> str:
    """"第三部分（收到和处理政府信息公开申请情况）的标题" / "表二第二十条第（六）项的“行政处罚”一行"."""
    if start.heading or start.table is None:
        title = next(s["title"] for s in spec.sections if s["id"] == start.section)
        return f"第{_SECTION_NUMBERS[start.section]}部分（{title}）的标题"
    name = _table_name(start.table, spec)
    label = report.tables[start.table].row_labels[start.row]
    if start.table == "t4":
        return f"{name}的“{label}”栏"
    return f"{name}的{_row_name(start.table, start.row, label, spec)}一行"


def what_lies_before(start: Start, spec: FormatSpec) -> str:
    """"第一、二部分、表二及表三此前各行"."""
    parts = [_sections_words(start.sections_before)] if start.sections_before else []
    blocks = [t for t in start.tables_before if t.startswith("t2.")]
    if blocks:
        parts.append("表二" + "、".join(_block_caption(b, spec) for b in blocks))
    parts += [TABLE_SHORT_NAMES[t] for t in start.tables_before if t in TABLE_SHORT_NAMES]
    if start.table is not None and start.rows_before.get(start.table):
        parts.append(f"{_table_name(start.table, spec)}此前各{'栏' if start.table == 't4' else '行'}")
    return "、".join(parts[:-1]) + f"及{parts[-1]}" if len(parts) > 1 else "".join(parts)


def where_it_stops(cut: Cut, report: Report, spec: FormatSpec) -> str:
    """"表三在“（二）部分公开”一行之后" / "正文在第一部分（总体情况）的“……的要”处"."""
    if cut.heading:
        return f"正文在第{_SECTION_NUMBERS[cut.section]}部分的标题“{_tail(cut.excerpt)}”处"
    if cut.table is not None:
        name = _table_name(cut.table, spec)
        if cut.row is None:
            return f"{name}在表头处"
        table = report.tables[cut.table]
        if cut.table == "t4":
            return f"{name}在“{table.row_labels[cut.row]}”栏处"
        return f"{name}在{_row_name(cut.table, cut.row, table.row_labels[cut.row], spec)}一行之后"
    if cut.section is None:
        return f"正文在各部分标题之前（报告开头）的“{_tail(cut.excerpt)}”处"
    title = next(s["title"] for s in spec.sections if s["id"] == cut.section)
    return f"正文在第{_SECTION_NUMBERS[cut.section]}部分（{title}）的“{_tail(cut.excerpt)}”处"


def what_is_lost(cut: Cut, spec: FormatSpec) -> str:
    """"其后各行、表四及第五、六部分"."""
    parts = []
    if cut.table is not None and cut.rows_after.get(cut.table):
        parts.append("其后各栏" if cut.table == "t4" else "其后各行")
    blocks = [t for t in cut.tables_after if t.startswith("t2.")]
    if blocks:
        parts.append("表二" + "、".join(_block_caption(b, spec) for b in blocks))
    parts += [TABLE_SHORT_NAMES[t] for t in cut.tables_after if t in TABLE_SHORT_NAMES]
    sections = _sections_words(cut.sections_after)
    if not parts:
        return sections
    return "、".join(parts) + (f"及{sections}" if sections else "")


def _unsure_number(cut: Cut, report: Report) -> str:
    """"；文本末尾的数字“61”（表三“…”行“总计”列）可能不完整，未作核对", or the numbers of a
    last row that the cut left short of its columns."""
    if cut.unsure_cell is not None:
        table_id, row, col = cut.unsure_cell
        table = report.tables[table_id]
        return f"；文本末尾的数字“{cut.unsure_raw}”（{cell_words(table, row, col, title=True)}）可能不完整，未作核对"
    table = report.tables.get(cut.table) if cut.table else None
    short = [u for u in table.unread if u.cut] if table is not None else []
    if not short:
        return ""
    numbers = " ".join(u.source.raw.strip() for u in short)
    return f"；文本末尾“{_without_note(short[0].label)}”一行的数字（{numbers}）不全，无法确定所在栏目，未作核对"


def _sections_words(sections: list[str]) -> str:
    if not sections:
        return ""
    numbers = [_SECTION_NUMBERS[s] for s in sections]
    if len(numbers) >= 3:
        return f"第{numbers[0]}至{numbers[-1]}部分"
    return f"第{'、'.join(numbers)}部分"


def _table_name(table_id: str, spec: FormatSpec) -> str:
    if table_id.startswith("t2."):
        return f"表二{_block_caption(table_id, spec)}"
    return table_short_title(table_id)


def _block_caption(table_id: str, spec: FormatSpec) -> str:
    return next(b.caption for b in spec.t2_blocks if f"t2.{b.id}" == table_id)


def _row_name(table_id: str, row: str, label: str, spec: FormatSpec) -> str:
    """The row as the format prints it, without its bracketed note, with its group for a
    numbered item of 表三 ("（三）不予公开”的“3.危及…")."""
    label = _without_note(label)
    group = _group_of(row, spec) if table_id == "t3" else None
    if group is not None:
        return f"“{_without_note(spec.t3_groups[group])}”的“{label}”"
    return f"“{label}”"


def _group_of(row: str, spec: FormatSpec) -> Optional[str]:
    return next((g for g, items in spec.t3_group_items.items() if row in items), None)


def _without_note(label: str) -> str:
    cut = label.find("（", 1)
    return label[:cut] if cut > 0 and label.endswith("）") else label


def _head(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _TAIL_CHARS else text[:_TAIL_CHARS] + "……"


def _tail(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _TAIL_CHARS else "……" + text[-_TAIL_CHARS:]
