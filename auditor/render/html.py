"""The self-contained HTML report: one file, inline CSS, no network.

All report text is untrusted, so the Jinja2 environment autoescapes everything. This module
hands the template plain strings, except each table's header and body: a report page has some
200 cells in some 35 rows, and printing them through the template's loops, tests and escapes
cost more than the rest of the page, so _head_html and _body_html write them here, escaping
every text in them with markupsafe (the same escaping the template does), and hand them over
as one Markup each.
"""
from __future__ import annotations

import math
import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from ..labels import FORMAT_NAMES, SEVERITY_LABELS, cell_words, short_label
from ..model import SEVERITIES, AuditResult, Finding, Report, Table
from ..resources import templates_dir
from ..spec import T3_COLUMNS, T3_ORGS, T3_TOTAL

TEMPLATE = "report.html.j2"
STATUS_LABELS = {"fail": "不符", "uncertain": "无法核对"}
SUPPRESSED_LABEL = "已豁免"
LABEL_HEADERS = {"t3": "", "t4": ""}  # t2 blocks use the official "信息内容"
YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")


# ---------------------------------------------------------------- environment


@lru_cache(maxsize=1)
def template_environment() -> Environment:
    """The Jinja2 environment of templates/ (autoescaped), shared by the report page and the
    dashboard. Cached: batches render thousands of reports with the same compiled template."""
    environment = Environment(
        loader=FileSystemLoader(str(templates_dir())),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=_compiled_templates_cache(),
    )
    environment.globals["severity_labels"] = SEVERITY_LABELS  # the words of auditor/labels.py, in every page
    return environment


class _CompiledTemplates(FileSystemBytecodeCache):
    """Jinja2's file cache, where a damaged entry (a disk error, a file cut short) is a miss:
    the template is compiled afresh and the entry written again, never a failed page; and an
    entry that cannot be written (the folder removed, the disk full) is simply not kept."""

    def load_bytecode(self, bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # noqa: BLE001 - whatever the damage, compiling again is right
            bucket.reset()

    def dump_bytecode(self, bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass  # the page is made all the same; the next run compiles it again


def _compiled_templates_cache() -> Optional[FileSystemBytecodeCache]:
    """Jinja2's cache of compiled templates, in the user's own folder of the system's temporary
    directory (made private, checked by Jinja2; entries keyed by the template's source, so an
    edited template is compiled again). Compiling the report page takes about 0.1 s, which every
    batch worker and every command paid before its first page. None where Python itself is told
    not to write bytecode (-B, PYTHONDONTWRITEBYTECODE) or that folder cannot be used."""
    if sys.dont_write_bytecode:
        return None
    try:
        return _CompiledTemplates()
    except (OSError, RuntimeError):  # no usable temporary folder: compile every time, as before
        return None


def render_html(result: AuditResult, back: Optional[str] = None) -> str:
    """The whole audit of one file as a self-contained HTML page; `back` is the relative link
    of the page it belongs to (a batch's index.html), shown at the top and the bottom."""
    return template_environment().get_template(TEMPLATE).render(**_context(result), back=back)


# ---------------------------------------------------------------- view models


@dataclass
class FindingView:
    anchor: str
    severity: str
    severity_label: str
    status: str
    status_label: str
    rule: str
    message: str
    location: str
    excerpt: Optional[str]
    expected: Optional[str]
    actual: Optional[str]
    cell_anchor: Optional[str]
    cell_name: Optional[str]
    suppressed: Optional[str] = None  # "理由（by，date）" when an office accepted the finding
    fingerprint: str = ""  # what a suppression file names
    values: list[tuple[str, str]] = field(default_factory=list)  # (what the value is, the value)
    fix: Optional[str] = None  # the value the one cell it names should hold (a pinpoint)
    explained_by: Optional[str] = None  # the anchor of the pinpoint that explains this finding
    explains: list["FindingView"] = field(default_factory=list)  # identities this pinpoint explains
    evidence: list = field(default_factory=list)  # (this year, last year, share): repeated passages side by side
    ocr: tuple = ()  # the scanned cells it rests on: (name, text, score, image data: URI)


@dataclass
class Mark:
    """The findings that point at one cell or row label, worst first."""

    findings: list[FindingView] = field(default_factory=list)

    @property
    def severity(self) -> str:
        return self.findings[0].severity

    @property
    def fixing(self) -> Optional[FindingView]:
        """The pinpoint that names this cell as the one to correct, if any."""
        return next((f for f in self.findings if f.fix is not None), None)

    @property
    def cls(self) -> str:
        """How the cell is drawn: "fix" for the cell to correct, "line" for a cell that only
        lies on identities a pinpoint explains, else the worst finding's severity."""
        if self.fixing is not None:
            return "fix"
        if all(f.explained_by for f in self.findings):
            return "line"
        return self.severity

    @property
    def anchor(self) -> str:
        """Where the cell links: the pinpoint that fixes it or explains its line, else its finding."""
        first = self.fixing or self.findings[0]
        return first.explained_by or first.anchor

    @property
    def title(self) -> str:
        return "\n".join(f"[{f.severity_label}] {f.message}" for f in self.findings)


@dataclass
class HeaderCell:
    text: str
    colspan: int = 1
    rowspan: int = 1
    cls: str = ""


@dataclass
class TableView:
    id: str
    title: str
    absent: bool
    head: Markup  # the <thead> rows, escaped (_head_html); empty for an absent table
    body: Markup  # the <tbody> rows, escaped (_body_html); empty for an absent table
    notes: list[str]
    findings: list[FindingView]  # about the table but no single cell
    cut_off: bool = False  # absent because the text stops before it (READ-TRUNCATED)


@dataclass
class YearSentence:
    finding: FindingView
    parts: list[tuple[str, bool]]  # (text, highlighted)


# ---------------------------------------------------------------- context


def _context(result: AuditResult) -> dict:
    report = None if result.error else result.report
    ordered = sorted(result.findings, key=_sort_key)
    findings = _finding_views(ordered, report)
    by_finding = dict(zip(map(id, ordered), findings))
    findings = _nest_explained(ordered, findings)
    counted = [f for f in ordered if f.suppressed is None]  # suppressed ones mark no cell; sorted
    ctx = {
        "file_name": re.split(r"[\\/]", result.path)[-1] or result.path,  # also Windows paths
        "path": result.path,
        "source_format": result.format,
        "sha256": result.sha256,
        "error": result.error,
        "header": _header(report),
        "summary": _summary(result),
        "severity_labels": SEVERITY_LABELS,
        "groups": _grouped(findings),
        "tables": [],
        "year_sentences": [],
        "tool": {"name": "report-auditor", "version": tool_version()},
    }
    if report is not None:
        marks = _marks(counted, by_finding)
        loose = _loose_findings(counted, by_finding)
        ctx["tables"] = [_table_view(t, report, marks, loose.get(t.id, [])) for t in report.tables.values()]
        ctx["year_sentences"] = _year_sentences(counted, by_finding, report.year)
    return ctx


def tool_version() -> str:
    """The version shown on every page ("dev" in a source tree without one)."""
    import auditor

    return str(getattr(auditor, "__version__", None) or "dev")


def _header(report: Optional[Report]) -> Optional[dict]:
    if report is None:
        return None
    return {
        "agency": report.agency,
        "year": report.year,
        "template": FORMAT_NAMES.get(report.template or ""),  # None: shown as 未能识别
        "title": report.title,
        "period": report.period.text if report.period else None,
    }


def _summary(result: AuditResult) -> dict:
    counts = {s: 0 for s in SEVERITIES}
    uncertain = suppressed = explained = 0
    for f in result.findings:
        if f.suppressed is not None:
            suppressed += 1
            continue
        if f.explained_by is not None:  # counted once, under the pinpoint that explains it
            explained += 1
            continue
        counts[f.severity] = counts.get(f.severity, 0) + 1
        uncertain += f.status == "uncertain"
    return {"counts": counts, "uncertain": uncertain, "suppressed": suppressed, "explained": explained,
            "total": len(result.findings)}


# ---------------------------------------------------------------- findings


def _sort_key(f: Finding) -> tuple:
    rank = SEVERITIES.index(f.severity) if f.severity in SEVERITIES else len(SEVERITIES)
    return (f.suppressed is not None, rank, f.status != "fail", f.rule, f.line or 0, f.table or "", f.row or "",
            f.column or "")


def _finding_views(findings: list[Finding], report: Optional[Report]) -> list[FindingView]:
    """One view per finding; anchors stay unique even if two fingerprints collide."""
    used: set[str] = set()
    views = []
    for f in findings:
        anchor = f"f-{f.fingerprint}"
        n = 2
        while anchor in used:
            anchor, n = f"f-{f.fingerprint}-{n}", n + 1
        used.add(anchor)
        views.append(_finding_view(f, anchor, report))
    return views


def _nest_explained(findings: list[Finding], views: list[FindingView]) -> list[FindingView]:
    """The views to list, each finding a pinpoint explains moved under that pinpoint (shown
    with it, counted as one problem). A finding whose pinpoint is not on the page stays."""
    by_print = {f.fingerprint: v for f, v in zip(findings, views)}
    listed = []
    for f, v in zip(findings, views):
        pin = by_print.get(f.explained_by or "")
        if pin is not None and pin is not v:
            v.explained_by = pin.anchor
            pin.explains.append(v)
        else:
            listed.append(v)
    return listed


def _finding_view(f: Finding, anchor: str, report: Optional[Report]) -> FindingView:
    table = report.tables.get(f.table) if report and f.table else None
    has_cell = table is not None and f.row in table.row_labels and f.column in table.column_labels
    cell_name = cell_words(table, f.row, f.column, title=True, blocks=True) if has_cell else None
    fixes_cell = has_cell and f.status == "fail" and f.expected is not None and len(f.cells) == 1 \
        and f.fixes_cell
    return FindingView(
        anchor=anchor,
        severity=f.severity,
        severity_label=SEVERITY_LABELS.get(f.severity, f.severity),
        status=f.status,
        status_label=STATUS_LABELS.get(f.status, f.status),
        rule=f.rule,
        message=f.message,
        location=_location(f),
        excerpt=f.excerpt,
        expected=_number(f.expected),
        actual=_number(f.actual),
        cell_anchor=_cell_id(f.table, f.row, f.column) if has_cell else None,
        cell_name=cell_name,
        suppressed=_suppressed_note(f),
        fingerprint=f.fingerprint,
        values=_value_lines(f, table, cell_name),
        fix=_number(f.expected) if fixes_cell else None,
        evidence=list(f.evidence),
        ocr=_ocr_cells(f, report),
    )


def _value_lines(f: Finding, table: Optional[Table], cell_name: Optional[str]) -> list[tuple[str, str]]:
    """The finding's two numbers, each saying what it is: which cell, what the report printed
    and what it should be (never a bare "应为/实为")."""
    actual, expected = _number(f.actual), _number(f.expected)
    if actual is None and expected is None:
        return []
    if f.value_names:  # the rule said what its numbers are
        labels = f.value_names
    elif f.about_year:
        labels = ("文中写的年份", "报告年度")
    elif f.compared_with == "last_year":
        labels = (f"本年报告{cell_name or '该单元格'}填写", "按上一年报告应为")
    elif f.excerpt and (f.compared_with == "table" or not f.table):
        labels = ("正文所写", f"{cell_name}为" if cell_name else "按表格应为")
    elif cell_name is not None:
        labels = (f"{cell_name}报告填写", f"{cell_name}应为")
    elif table is not None and (f.row or f.column):
        labels = _line_sides(f, table)
    else:
        labels = ("报告中为", "应为")
    return [(label, value) for label, value in zip(labels, (actual, expected)) if value is not None]


def _line_sides(f: Finding, table: Table) -> tuple[str, str]:
    """The two sums of a finding about a whole row or column, when its rule did not name them."""
    line = table.column_labels.get(f.column) if f.column else table.row_labels.get(f.row)
    axis = "列" if f.column else ("栏" if table.id == "t4" else "行")
    return f"“{short_label(line) if line else ''}”{axis}等式左边之和", "等式右边之和"


_PNG_URI = "data:image/png;base64,"


def _ocr_cells(f: Finding, report: Optional[Report]) -> tuple:
    """The pictures of the scanned cells a finding rests on, each named, with what was read
    and the recogniser's score; only PNG data: URIs (nothing that could load from elsewhere)."""
    out = []
    for item in f.ocr:
        image = item.get("image") or ""
        if not image.startswith(_PNG_URI) or not image[len(_PNG_URI):].replace("+", "").replace("/", "").rstrip("=").isalnum():
            continue
        table = report.tables.get(item.get("table")) if report else None
        row, column = item.get("row"), item.get("column")
        if table is not None and row in table.row_labels and column in table.column_labels:
            name = cell_words(table, row, column, title=True)
        else:
            name = f"第 {item.get('page')} 页" if item.get("page") else "扫描件"
        score = item.get("score")
        out.append((name, item.get("text") or "（空白）", "–" if score is None else f"{score:.2f}", image))
    return tuple(out)


def _suppressed_note(f: Finding) -> Optional[str]:
    if f.suppressed is None:
        return None
    who = "，".join(x for x in (f.suppressed.by, f.suppressed.date) if x)
    return f"{f.suppressed.reason}（{who}）" if who else f.suppressed.reason


def _location(f: Finding) -> str:
    return f.location


def _grouped(views: list[FindingView]) -> list[dict]:
    """Consecutive runs of one severity, then the suppressed findings in a group of their own;
    views come sorted by _sort_key."""
    groups: dict[str, list[FindingView]] = {}
    for v in views:
        groups.setdefault("suppressed" if v.suppressed else v.severity, []).append(v)
    labels = {**SEVERITY_LABELS, "suppressed": SUPPRESSED_LABEL}
    return [{"severity": s, "label": labels.get(s, s), "findings": fs} for s, fs in groups.items()]


# ---------------------------------------------------------------- marks on cells


def _marks(findings: list[Finding], views: dict[int, FindingView]) -> dict[tuple, Mark]:
    """(table, row, column) and (table, row, None) → the findings pointing there (findings
    come sorted by _sort_key: worst first)."""
    marks: dict[tuple, Mark] = {}
    for f in findings:
        for key in _targets(f):
            mark = marks.setdefault(key, Mark())
            if views[id(f)] not in mark.findings:
                mark.findings.append(views[id(f)])
    return marks


def _targets(f: Finding) -> list[tuple]:
    keys = [tuple(c) for c in f.cells]
    if f.table and f.row:
        keys.append((f.table, f.row, f.column))  # column None marks the row label
    return list(dict.fromkeys(keys))


# ---------------------------------------------------------------- tables


# How _head_html and _body_html lay out a table's rows, as the template around them indents
ROW_INDENT, CELL_INDENT = " " * 8, " " * 10  # <tr> lines, and <th>/<td> lines
CELL_SEPARATOR = "\n" + CELL_INDENT  # a row's <td> cells stand one per line
MISSING_NOTES = {False: "报告中缺少此行", True: "文本在此行之前中断"}  # by whether the text stops before the row


def _cell_id(table: str, row: str, column: str) -> str:
    return f"c-{table}-{row}-{column}"


def _number(value: Optional[float]) -> Optional[str]:
    """Integers without ".0", decimals up to 3 places, None/NaN → None."""
    if value is None:
        return None
    v = float(value)
    if math.isnan(v):
        return None
    if v.is_integer():
        return str(int(v))
    return f"{v:.3f}".rstrip("0").rstrip(".")


def _loose_findings(findings: list[Finding], views: dict) -> dict[str, list[FindingView]]:
    """Table id → the findings about the table that point at no cell or row, listed under it
    (findings come sorted by _sort_key)."""
    loose: dict[str, list[FindingView]] = {}
    for f in findings:
        if f.table and not _targets(f):
            loose.setdefault(f.table, []).append(views[id(f)])
    return loose


def _table_view(table: Table, report: Report, marks: dict, loose: list[FindingView]) -> TableView:
    layout = _row_layout(table, report)
    levels = max((len(path) for _, path, _ in layout), default=0) + 1
    cut = report.cut
    absent = not table.rows_found and not table.has_values
    cut_rows = set(cut.rows_after.get(table.id, [])) if cut else set()
    head = Markup() if absent else _head_html(_head(table, levels))  # an absent table prints neither
    body = Markup() if absent else _body_html(table, layout, levels, marks, cut_rows)
    return TableView(
        id=table.id,
        title=table.title,
        absent=absent,
        head=head,
        body=body,
        notes=list(table.notes),
        findings=loose,
        cut_off=cut is not None and (table.id in cut.tables_after or table.id.split(".")[0] in cut.tables_after),
    )


def _head(table: Table, levels: int) -> list[list[HeaderCell]]:
    columns = list(table.column_labels)
    label = LABEL_HEADERS.get(table.id, "信息内容")
    if table.id == "t3" and tuple(columns) == T3_COLUMNS:
        return _t3_head(table, levels)
    row = [HeaderCell(label, colspan=levels, cls="corner")]
    return [row + [HeaderCell(table.column_labels.get(c, c)) for c in columns]]


def _head_html(rows: list[list[HeaderCell]]) -> Markup:
    """The header rows, one line each as the template indents them; every text escaped."""
    lines = [f"{ROW_INDENT}<tr>{''.join(map(_header_cell_html, cells))}</tr>" for cells in rows]
    return Markup("\n".join(lines))


def _header_cell_html(cell: HeaderCell) -> str:
    colspan = f' colspan="{cell.colspan}"' if cell.colspan > 1 else ""
    rowspan = f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else ""
    cls = f' class="{escape(cell.cls)}"' if cell.cls else ""
    return f"<th{colspan}{rowspan}{cls}>{escape(cell.text)}</th>"


def _t3_head(table: Table, levels: int) -> list[list[HeaderCell]]:
    """The official three header rows: 申请人情况 / 自然人 · 法人或其他组织 · 总计 / the five organisations."""
    label = table.column_labels
    return [
        [HeaderCell("", colspan=levels, rowspan=3, cls="corner"), HeaderCell("申请人情况", colspan=len(T3_COLUMNS))],
        [
            HeaderCell(label.get(T3_COLUMNS[0], "自然人"), rowspan=2),
            HeaderCell("法人或其他组织", colspan=len(T3_ORGS)),
            HeaderCell(label.get(T3_TOTAL, "总计"), rowspan=2),
        ],
        [HeaderCell(label.get(c, c)) for c in T3_ORGS],
    ]


def _row_layout(table: Table, report: Report) -> list[tuple[str, list[tuple[str, str]], str]]:
    """Rows in printed order as (row id, enclosing groups as (id, label), own label)."""
    groups, parents, order = _spec_groups(table.id, report)
    rows = [r for r in order if r in table.row_labels]
    placed = set(rows)
    rows += [r for r in table.row_labels if r not in placed]
    layout = []
    for r in rows:
        path = _ancestors(r, parents, groups)
        own = table.row_labels[r]
        if r in groups:  # a subtotal row the report printed for a group label
            path, own = path + [(r, groups[r])], "小计"
        layout.append((r, path, own))
    return layout


def _ancestors(row: str, parents: dict[str, Optional[str]], groups: dict[str, str]) -> list[tuple[str, str]]:
    path = []
    parent = parents.get(row)
    while parent:
        path.append((parent, groups.get(parent, parent)))
        parent = parents.get(parent)
    return path[::-1]


def _spec_groups(table_id: str, report: Report) -> tuple[dict, dict, list]:
    """(group id → label, row id → parent group, row order) of the report's format."""
    spec = report.spec
    if table_id == "t3":
        return dict(spec.t3_groups), dict(spec.t3_parents), list(spec.t3_order)
    if table_id == "t4":
        parents = dict(spec.t4_parents)
        return {g: g for g in parents.values()}, parents, list(spec.t4_blocks)
    return {}, {}, []


def _body_html(table: Table, layout: list, levels: int, marks: dict, cut_off: set[str]) -> Markup:
    """The table's <tbody> rows, one line per tag as the template indents them: a row's group
    labels (where the group starts), its own label (linked to its finding when marked, noted
    when the report lacks the row) and its cells (_cells_html). Every text is escaped."""
    spans = _group_spans(layout)
    seen: set[str] = set()
    columns = [(c, str(escape(c))) for c in table.column_labels]  # str: Markup is slower in f-strings
    cell_marks = _cell_marks(table.id, marks)
    id_prefix = f"c-{escape(table.id)}-"
    lines = []
    for row, path, own in layout:
        missing = row not in table.rows_found
        lines.append(f'{ROW_INDENT}<tr class="row-missing">' if missing else f"{ROW_INDENT}<tr>")
        for group, label in path:
            if group not in seen:
                seen.add(group)
                rowspan = f' rowspan="{spans[group]}"' if spans[group] > 1 else ""
                lines.append(f'{CELL_INDENT}<th scope="rowgroup" class="group"{rowspan}>{escape(label)}</th>')
        note = f'<span class="missing-note">{MISSING_NOTES[row in cut_off]}</span>' if missing else ""
        lines.append(CELL_INDENT + _label_html(own, levels - len(path), marks.get((table.id, row, None)), note))
        cells = _cells_html(table, row, f"{id_prefix}{escape(row)}-", columns, cell_marks.get(row, {}))
        if cells:
            lines.append(CELL_INDENT + CELL_SEPARATOR.join(cells))
        lines.append(f"{ROW_INDENT}</tr>")
    return Markup("\n".join(lines))


def _label_html(text: str, colspan: int, mark: Optional[Mark], note: str) -> str:
    """A row's own label; a marked one is drawn as its worst finding and links to it."""
    span = f' colspan="{colspan}"' if colspan > 1 else ""
    if mark is None:
        return f'<th scope="row" class="label"{span}>{escape(text)}{note}</th>'
    return (f'<th scope="row" class="label cell-{escape(mark.cls)}"{span} title="{escape(mark.title)}">'
            f'<a href="#{escape(mark.anchor)}">{escape(text)}</a>{note}</th>')


def _cell_marks(table_id: str, marks: dict) -> dict[str, dict[str, Mark]]:
    """The table's marked cells, row → column → mark (most rows have none)."""
    by_row: dict[str, dict[str, Mark]] = {}
    for (table, row, column), mark in marks.items():
        if table == table_id and column is not None:
            by_row.setdefault(row, {})[column] = mark
    return by_row


def _group_spans(layout: list) -> dict[str, int]:
    spans: dict[str, int] = {}
    for _, path, _ in layout:
        for group, _ in path:
            spans[group] = spans.get(group, 0) + 1
    return spans


def _cells_html(table: Table, row: str, id_prefix: str, columns: list[tuple[str, str]], row_marks: dict) -> list[str]:
    """The row's <td> cells. id_prefix and each column's second id come escaped; a cell's
    number comes from _number (digits, sign and point: nothing to escape)."""
    numbers, raws, sources = table.numbers, table.raw, table.sources
    cells = []
    for column, column_id in columns:
        key = (row, column)
        number = numbers.get(key)
        # most cells hold a whole number: printed as _number prints it, without the call
        text = str(int(number)) if number is not None and number.is_integer() else _number(number)
        raw, source, mark = raws.get(key), sources.get(key), row_marks.get(column)
        if text is not None and (not raw or raw == text) and (source is None or source.ocr is None) and mark is None:
            # the common cell: its number as printed, read from text, no finding on it
            cells.append(f'<td id="{id_prefix}{column_id}" class="num">{text}</td>')
        else:
            cells.append(_cell_html(f"{id_prefix}{column_id}", text, _cell_title(text, raw, source), mark))
    return cells


def _cell_html(cell_id: str, text: Optional[str], title: str, mark: Optional[Mark]) -> str:
    """A blank, annotated or marked cell; its title and its mark's words are escaped here."""
    classes = "num" if text is not None else "num blank"
    body = text or ""
    if mark is not None:
        title = "\n".join(t for t in (mark.title, title) if t)
        classes += f" cell-{escape(mark.cls)}"
        body = f'<a href="#{escape(mark.anchor)}">{_marked_text(text, mark)}</a>'
    title_attribute = f' title="{escape(title)}"' if title else ""
    return f'<td id="{cell_id}" class="{classes}"{title_attribute}>{body}</td>'


def _cell_title(text: Optional[str], raw: Optional[str], source) -> str:
    """What a cell's tooltip says of its reading: the text printed when it is not the number
    shown, and the recogniser's score when the cell was read from a scan."""
    raw = (raw or "").strip()
    if text is None:
        title = f"未填写（原文：{raw}）" if raw else "未填写"
    else:
        title = f"原文：{raw}" if raw and raw != text else ""
    if source is not None and source.ocr is not None:  # read from a scan: say so, with the score
        score = source.ocr[0]
        title = "\n".join(t for t in (title, "据扫描件识别" + ("" if score is None else f"，可信度 {score:.2f}")) if t)
    return title


def _marked_text(text: Optional[str], mark: Mark) -> str:
    """A marked cell's number; the cell to correct shows it struck out beside the value it should hold."""
    fixing = mark.fixing
    if fixing is None:
        return text or ""
    return f'<span class="was">{text or "空白"}</span> <span class="should">应为 {fixing.fix}</span>'


# ---------------------------------------------------------------- year sentences


def _year_sentences(findings: list[Finding], views: dict, year: Optional[int]) -> list[YearSentence]:
    chosen = [f for f in findings if f.about_year and f.excerpt]  # sorted by _sort_key
    return [YearSentence(views[id(f)], _year_parts(f.excerpt, year, f.actual)) for f in chosen]


def _year_parts(text: str, year: Optional[int], actual: Optional[float]) -> list[tuple[str, bool]]:
    """Split text around the wrong years; the template escapes every part."""
    wrong = _wrong_years(text, year, actual)
    parts: list[tuple[str, bool]] = []
    last = 0
    for m in YEAR.finditer(text):
        if int(m.group()) in wrong:
            parts += [(text[last : m.start()], False), (m.group(), True)]
            last = m.end()
    parts.append((text[last:], False))
    return [p for p in parts if p[0]]


def _wrong_years(text: str, year: Optional[int], actual: Optional[float]) -> set[int]:
    years = {int(m.group()) for m in YEAR.finditer(text)}
    years = {y for y in years if 1949 <= y <= 2099}
    if actual is not None and not math.isnan(actual) and int(actual) in years:
        return {int(actual)}  # the finding names the wrong year: mark only that one
    return {y for y in years if y != year} if year is not None else set()
