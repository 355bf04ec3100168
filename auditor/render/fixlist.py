"""整改清单: one list per unit and year the office sends back, as a spreadsheet the unit fills in
(and a printable page), and reading the filled-in spreadsheet back.

Each finding that counts is a row: where it is, what is wrong, how to fix it (the rule's [doc]
fix), its fingerprint, and empty columns for the unit (整改情况) and the office (复核结论, 复核意见).
A row whose 复核结论 is "同意不改（豁免）" becomes a suppression entry (auditor.suppressions) with
the 复核意见 as its reason: `auditor review import` writes them to the suppression file, so the
next run shows those findings as accepted.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Optional

import xlsxwriter

from ..labels import cell_words
from ..model import AuditResult
from .html import SEVERITY_LABELS, template_environment, tool_version

SHEET = "整改清单"
TEMPLATE = "fixlist.html.j2"
COLUMNS = [  # (id, header, width)
    ("no", "序号", 6), ("rule", "规则", 18), ("severity", "级别", 7), ("location", "位置", 16),
    ("message", "问题说明", 60), ("fix", "建议修改", 40), ("fingerprint", "指纹", 18),
    ("done", "整改情况", 30), ("decision", "复核结论", 16), ("review", "复核意见", 30),
]
DECISIONS = ("已整改", "同意不改（豁免）", "未整改，退回")
WAIVE = DECISIONS[1]
HEADER_ROW = 4  # 0-based row of the column headers; rows above hold the list's particulars


@dataclass
class FixRow:
    rule: str
    severity: str
    location: str
    message: str
    fix: str
    fingerprint: str


def fix_rows(result: AuditResult, fixes: dict[str, str]) -> list[FixRow]:
    """The findings that count (not suppressed), errors first; `fixes` maps rule id → its fix."""
    order = {"error": 0, "warning": 1, "info": 2}
    counted = [f for f in result.findings if f.suppressed is None]
    counted.sort(key=lambda f: (order.get(f.severity, 3), f.line or 0, f.rule))
    tables = result.report.tables if result.report else {}
    return [FixRow(f.rule, SEVERITY_LABELS.get(f.severity, f.severity), _where(f, tables), f.message,
                   fixes.get(f.rule, ""), f.fingerprint) for f in counted]


def _where(f, tables: dict) -> str:
    """The page or line, and the cell by its printed names (表三“二、上年结转…”行“自然人”列)."""
    parts = [f.location]
    table = tables.get(f.table) if f.table else None
    if table is not None and f.row in table.row_labels and f.column in table.column_labels:
        parts.append(cell_words(table, f.row, f.column, title=True))
    return "，".join(p for p in parts if p)


def write_xlsx(path: Path, unit: str, year: Optional[int], file: str, rows: list[FixRow]) -> None:
    book = xlsxwriter.Workbook(str(path))
    try:
        sheet = book.add_worksheet(SHEET)
        bold = book.add_format({"bold": True, "bg_color": "#E9EDF2", "text_wrap": True, "valign": "top", "border": 1})
        title = book.add_format({"bold": True, "font_size": 14})
        wrap = book.add_format({"text_wrap": True, "valign": "top", "border": 1})
        fill = book.add_format({"text_wrap": True, "valign": "top", "border": 1, "bg_color": "#FFF8E1"})
        sheet.write_string(0, 0, f"{unit} {year or ''} 年度政府信息公开工作年度报告整改清单", title)
        sheet.write_string(1, 0, f"单位：{unit}")
        sheet.write_string(1, 4, f"文件：{file}")
        sheet.write_string(2, 0, f"生成：{dt.date.today().isoformat()}（report-auditor {tool_version()}）。"
                                 f"请单位填写“整改情况”；复核时在“复核结论”中选择 {'、'.join(DECISIONS)}，"
                                 f"选“{WAIVE}”的须在“复核意见”中写明理由。")
        for col, (_, header, width) in enumerate(COLUMNS):
            sheet.write_string(HEADER_ROW, col, header, bold)
            sheet.set_column(col, col, width)
        for n, row in enumerate(rows, start=1):
            r = HEADER_ROW + n
            values = [n, row.rule, row.severity, row.location, row.message, row.fix, row.fingerprint]
            for col, value in enumerate(values):
                if isinstance(value, int):
                    sheet.write_number(r, col, value, wrap)
                else:
                    sheet.write_string(r, col, value, wrap)
            for col in range(len(values), len(COLUMNS)):
                sheet.write_blank(r, col, None, fill)
        if rows:
            decision = [c for c, _, _ in COLUMNS].index("decision")
            sheet.data_validation(HEADER_ROW + 1, decision, HEADER_ROW + len(rows), decision,
                                  {"validate": "list", "source": list(DECISIONS)})
        sheet.freeze_panes(HEADER_ROW + 1, 0)
        sheet.set_landscape()
        sheet.fit_to_pages(1, 0)
        sheet.repeat_rows(HEADER_ROW)
    finally:
        book.close()


def render_html(unit: str, year: Optional[int], file: str, rows: list[FixRow]) -> str:
    return template_environment().get_template(TEMPLATE).render(
        unit=unit, year=year, file=file, rows=rows, decisions=DECISIONS, waive=WAIVE,
        generated=dt.date.today().isoformat(), tool={"name": "report-auditor", "version": tool_version()})


# ---------------------------------------------------------------- reading a filled-in list back


class FixListError(Exception):
    """A filled-in list that cannot be read back; the message names the file and the row."""


@dataclass
class Decision:
    fingerprint: str
    rule: str
    reason: str
    file: str  # the report's file name, from the list's particulars
    unit: str
    row: int  # the spreadsheet's row number, for messages


def read_decisions(path: str | Path) -> list[Decision]:
    """The rows of a filled-in list whose 复核结论 waives the finding (同意不改（豁免）)."""
    from openpyxl import load_workbook

    path = Path(path)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise FixListError(f"整改清单 {path} 不存在") from None
    except Exception as exc:  # noqa: BLE001 - not a spreadsheet, damaged, encrypted
        raise FixListError(f"整改清单 {path} 无法读取（{type(exc).__name__}）；请用本工具生成的 .xlsx 文件，"
                           "在 Excel 或 WPS 中填写后按 .xlsx 格式保存") from None
    try:
        if SHEET not in book.sheetnames:
            raise FixListError(f"整改清单 {path} 中没有名为“{SHEET}”的工作表；请使用本工具生成的整改清单")
        rows = [list(r) for r in book[SHEET].iter_rows(values_only=True)]
    finally:
        book.close()
    unit, file = _particulars(rows)
    header_at = next((i for i, r in enumerate(rows) if r and "指纹" in [str(c or "").strip() for c in r]), None)
    if header_at is None:
        raise FixListError(f"整改清单 {path} 中找不到表头（含“指纹”“复核结论”的一行）；请不要删改表头")
    header = [str(c or "").strip() for c in rows[header_at]]
    at = {name: header.index(name) for _, name, _ in COLUMNS if name in header}
    for needed in ("规则", "指纹", "复核结论", "复核意见"):
        if needed not in at:
            raise FixListError(f"整改清单 {path} 第 {header_at + 1} 行（表头）缺少“{needed}”列；请不要删改表头")
    out = []
    for i, row in enumerate(rows[header_at + 1:], start=header_at + 2):
        def cell(name: str) -> str:
            k = at.get(name)
            return str(row[k]).strip() if k is not None and k < len(row) and row[k] is not None else ""

        decision = cell("复核结论")
        if decision and decision not in DECISIONS:
            raise FixListError(f"整改清单 {path} 第 {i} 行：复核结论“{decision}”应为 {'、'.join(DECISIONS)} 之一")
        if decision != WAIVE:
            continue
        reason = cell("复核意见")
        if not reason:
            raise FixListError(f"整改清单 {path} 第 {i} 行（{cell('规则')}）：复核结论为“{WAIVE}”，但“复核意见”为空；"
                               "请写明同意不改的理由")
        done = cell("整改情况")
        full = reason if not done else f"{reason}（单位说明：{done}）"
        out.append(Decision(cell("指纹").lower(), cell("规则").upper(), full, file, unit, i))
    return out


def _particulars(rows: list[list]) -> tuple[str, str]:
    unit = file = ""
    for row in rows[:HEADER_ROW]:
        for value in row or ():
            text = str(value or "")
            if text.startswith("单位："):
                unit = text.removeprefix("单位：").strip()
            elif text.startswith("文件："):
                file = text.removeprefix("文件：").strip()
    return unit, file


def suppressions_of(decisions: list[Decision], today: dt.date, by: Optional[str]) -> list:
    """The waived findings as suppression entries (auditor.suppressions), for this report's file."""
    from ..suppressions import Suppression

    return [Suppression(d.fingerprint, d.reason, by, today, _pattern(d.file) if d.file else None, d.rule or None)
            for d in decisions]


def _pattern(file: str) -> str:
    """The file name as a pattern: [ ] * ? in a name are taken literally."""
    name = PurePath(file.replace("\\", "/")).name
    return "".join(f"[{c}]" if c in "[]*?" else c for c in name)
