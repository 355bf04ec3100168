"""The batch dashboard (index.html): a summary of every audited report and a table linking
to each report's own page.

A batch may hold thousands of reports, so the caller keeps one small ReportRow per report
(never the Report itself) and renders the page once at the end. Everything taken from a
report (agency names, reasons, paths) is untrusted: the template autoescapes it and links
are percent-encoded so that a file name can never become a script or an absolute URL.
"""
from __future__ import annotations

import re
from array import array
from dataclasses import dataclass, field
from typing import Iterator, Optional, Sequence
from urllib.parse import quote

from markupsafe import Markup, escape

from ..labels import FORMAT_SHORT_NAMES
from ..model import SEVERITIES, AuditResult
from .html import SEVERITY_LABELS, _sort_key, template_environment, tool_version

TEMPLATE = "index.html.j2"
DEFAULT_TITLE = "政府信息公开工作年度报告批量审查"
TEMPLATE_LABELS = FORMAT_SHORT_NAMES
BASELINE_KEYS = ("new", "still", "fixed")


@dataclass
class ReportRow:
    """One report's line on the dashboard; small enough to keep for every file of a batch."""

    path: str
    link: Optional[str]  # relative href of the report's own page, not URL-encoded
    agency: Optional[str]
    year: Optional[int]
    format: Optional[str]  # the file's format: "txt", "pdf", ...
    template: Optional[str]  # "2019" | "2021" | None
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    uncertain: int = 0
    suppressed: int = 0  # findings the office accepted (suppression file): shown, not counted
    unreadable: Optional[str] = None  # why the file could not be audited
    rule_counts: dict[str, int] = field(default_factory=dict)  # rule → failing findings
    new: Optional[int] = None  # findings not in the baseline
    still: Optional[int] = None  # findings also in the baseline
    fixed: Optional[int] = None  # baseline findings gone now
    main_problem: Optional[str] = None  # the first finding to act on, as the report page lists it
    main_rule: Optional[str] = None
    rules: tuple[str, ...] = ()  # every rule with a counted finding (fail or uncertain), for the filter
    level: Optional[str] = None  # the unit's level and parent on the office's roster (--roster)
    parent: Optional[str] = None
    unit: Optional[str] = None  # the roster's name of the unit
    indicators: dict = field(default_factory=dict)  # auditor.indicators: id → share or None
    changes: dict = field(default_factory=dict)  # id → change from last year's report (share points)
    rank: Optional[int] = None  # by 实质公开率, only over at least indicators.MIN_RANKED reports


def report_row(result: AuditResult, link: Optional[str], baseline: Optional[dict] = None) -> ReportRow:
    """The dashboard line of one result; baseline holds this report's {"new", "still", "fixed"}
    counts (see auditor.baseline), absent when the batch has no baseline."""
    report = None if result.error else result.report
    counts = result.summary
    rule_counts: dict[str, int] = {}
    # what counts: not accepted by the office, not an identity a pinpoint explains (counted once)
    counted = [f for f in result.findings if f.suppressed is None and f.explained_by is None]
    for f in counted:
        if f.status == "fail":
            rule_counts[f.rule] = rule_counts.get(f.rule, 0) + 1
    first = min(counted, key=_main_problem_order, default=None)
    baseline = baseline or {}
    return ReportRow(
        path=result.path,
        link=link,
        agency=report.agency if report else None,
        year=report.year if report else None,
        format=result.format,
        template=report.template if report else None,
        errors=counts["error"],
        warnings=counts["warning"],
        infos=counts["info"],
        uncertain=sum(f.status == "uncertain" for f in counted),
        suppressed=result.suppressed,
        unreadable=result.error,
        rule_counts=rule_counts,
        **{k: baseline.get(k) for k in BASELINE_KEYS},
        main_problem=_shortened(first.message) if first is not None else None,
        main_rule=first.rule if first is not None else None,
        rules=tuple(sorted({f.rule for f in counted})),
    )


MAIN_PROBLEM_CHARS = 90


def _main_problem_order(f) -> tuple:
    """As the report page lists findings, but among failures of one level a pinpoint first:
    it names the cell to correct and its value."""
    suppressed, rank, unsure, *rest = _sort_key(f)
    return (suppressed, rank, unsure, not f.fixes_cell, *rest)


def _shortened(message: str) -> str:
    return message if len(message) <= MAIN_PROBLEM_CHARS else message[:MAIN_PROBLEM_CHARS - 1] + "…"


def render_index(rows: Sequence[ReportRow], **options) -> str:
    """The batch dashboard as one self-contained HTML page (see index_chunks for the options)."""
    return "".join(index_chunks(rows, **options))


def write_index(path, rows: Sequence[ReportRow], **options) -> None:
    """The dashboard written to `path` as it is rendered: a batch of thousands of reports never
    holds the page, nor every report's line, in memory at once."""
    with open(path, "w", encoding="utf-8") as page:
        for chunk in index_chunks(rows, **options):
            page.write(chunk)


def index_chunks(
    rows: Sequence[ReportRow],
    title: str = DEFAULT_TITLE,
    generated: str = "",
    baseline_summary: Optional[dict] = None,
    unused_suppressions: Optional[list[dict]] = None,
    downloads: tuple[str, ...] = ("findings.xlsx", "findings.csv", "results.jsonl"),
    batch_findings: Optional[list] = None,
    rule_titles: Optional[dict[str, str]] = None,
) -> Iterator[str]:
    """The dashboard page in pieces. rows is a list, or any sequence that reads its lines on
    demand (a batch's store on disk): it is read once for the totals and then line by line
    in the order shown. unused_suppressions lists the suppression entries
    (Suppression.to_dict()) that matched no finding of the batch; downloads are the batch's
    files beside index.html that the page links to; rule_titles are the titles of the rules
    the batch ran, by id (local packs' rules too)."""
    titles = rule_titles or {}
    totals = _Totals(rows)
    order = totals.worst_first()
    duplicates = _duplicates(rows, totals, order)
    marked = {i for group in duplicates for i in group}
    show_new = baseline_summary is not None or totals.any_new
    return template_environment().get_template(TEMPLATE).generate(
        title=title,
        generated=generated,
        summary=totals.summary,
        severities=_severity_bars(totals),
        rules=_rule_bars(totals, titles),
        baseline=_baseline_view(baseline_summary),
        show_new=show_new,
        rows=_table_lines(rows, order, marked, show_new, totals),
        duplicates=[_duplicate_view(rows, group, marked) for group in duplicates],
        by_rule=_reports_by_rule(rows, totals, order, marked, titles),
        severity_filters=SEVERITY_FILTERS,
        downloads=[(name, quote(name)) for name in downloads],
        batch_findings=[f.to_dict() for f in batch_findings or []],
        families=sorted(totals.families),
        levels=sorted(totals.levels),
        parents=sorted(totals.parents),
        indicators=_indicator_view(totals),
        unused_suppressions=unused_suppressions or [],
        tool={"name": "report-auditor", "version": tool_version()},
    )


class _Totals:
    """Everything the page needs over all rows, from one pass; per row only its sort key,
    its rules and a hash of its agency and year are kept (numbers, not rows)."""

    def __init__(self, rows: Sequence[ReportRow]):
        self.count = 0
        self.summary = {"total": 0, "with_errors": 0, "warnings_only": 0, "clean": 0, "unreadable": 0, "suppressed": 0}
        self.severity = {"error": 0, "warning": 0, "info": 0, "uncertain": 0}
        self.rule_totals: dict[str, int] = {}
        self.families: set[str] = set()
        self.levels: set[str] = set()
        self.parents: set[str] = set()
        self.any_new = self.any_indicators = self.any_rank = False
        self._sort_keys = array("q")
        self.by_rule: dict[str, array] = {}  # rule → the rows (indices) with counted findings of it
        self.same_year: dict[int, object] = {}  # hash of (agency, year) → a row index, or a list of them
        for i, row in enumerate(rows):
            self._add(i, row)

    def _add(self, i: int, row: ReportRow) -> None:
        self.count += 1
        readable = row.unreadable is None
        s = self.summary
        s["total"] += 1
        if readable:
            s["with_errors"] += row.errors > 0
            s["warnings_only"] += row.errors == 0 and row.warnings > 0
            s["clean"] += row.errors == 0 and row.warnings == 0
            s["suppressed"] += row.suppressed
        else:
            s["unreadable"] += 1
        for key, n in (("error", row.errors), ("warning", row.warnings), ("info", row.infos),
                       ("uncertain", row.uncertain)):
            self.severity[key] += n
        for rule, n in row.rule_counts.items():
            self.rule_totals[rule] = self.rule_totals.get(rule, 0) + n
            self.families.add(rule_family(rule))
        for rule in row.rules:
            self.by_rule.setdefault(rule, array("q")).append(i)
        if row.level:
            self.levels.add(row.level)
        if row.parent:
            self.parents.add(row.parent)
        self.any_new = self.any_new or row.new is not None
        self.any_indicators = self.any_indicators or bool(row.indicators)
        self.any_rank = self.any_rank or row.rank is not None
        # unreadable first, then most errors, then most warnings (ties: input order, sorted() is stable)
        self._sort_keys.append((readable << 62) - (min(row.errors, _MAX) << 31) - min(row.warnings, _MAX))
        if readable and row.agency and row.year:
            from ..year_record import agency_key

            h = hash((agency_key(row.agency), row.year))
            seen = self.same_year.get(h)
            self.same_year[h] = i if seen is None else ([*seen, i] if isinstance(seen, list) else [seen, i])

    def worst_first(self) -> list[int]:
        return sorted(range(self.count), key=self._sort_keys.__getitem__)


_MAX = (1 << 31) - 1


class _Views:
    """The table lines of some rows, in the order given, made as the page reaches them."""

    def __init__(self, rows: Sequence[ReportRow], indices: Sequence[int], duplicates: set[int]):
        self.rows, self.indices, self.duplicates = rows, indices, duplicates

    def __len__(self) -> int:
        return len(self.indices)

    def __iter__(self) -> Iterator[dict]:
        for i in self.indices:
            yield _row_view(self.rows[i], i in self.duplicates)


# ---------------------------------------------------------------- summary


@dataclass
class Bar:
    key: str
    label: str
    count: int
    percent: float  # of the longest bar, for its width


def _bars(items: list[tuple[str, str, int]]) -> list[Bar]:
    top = max((n for _, _, n in items), default=0) or 1
    return [Bar(key, label, n, round(100 * n / top, 1)) for key, label, n in items]


def _severity_bars(totals: _Totals) -> list[Bar]:
    items = [(s, SEVERITY_LABELS[s], totals.severity[s]) for s in SEVERITIES]
    items.append(("uncertain", "其中无法核对", totals.severity["uncertain"]))
    return _bars(items)


def _rule_bars(totals: _Totals, titles: dict[str, str]) -> list[Bar]:
    """Failing findings per rule, most frequent first, labelled with the rule's title."""
    ranked = sorted(totals.rule_totals.items(), key=lambda kv: (-kv[1], kv[0]))
    return _bars([(rule, titles.get(rule, ""), n) for rule, n in ranked if n])


def _baseline_view(summary: Optional[dict]) -> Optional[dict]:
    """{"new", "still", "fixed", "baseline": path} → the cards' values (absent counts are 0)."""
    if summary is None:
        return None
    view = {k: int(summary.get(k) or 0) for k in BASELINE_KEYS}
    view["path"] = summary.get("baseline")
    return view


# ---------------------------------------------------------------- table rows


SEVERITY_FILTERS = {"error": "有错误", "warning": "仅有警告", "clean": "未发现问题", "unreadable": "无法审查"}


def _status(row: ReportRow) -> str:
    if row.unreadable is not None:
        return "unreadable"
    return "error" if row.errors else ("warning" if row.warnings else "clean")
def _indicator_view(totals: _Totals) -> dict:
    """The indicator columns' names and definitions (the appendix), and whether ranks are shown."""
    from ..indicators import INDICATORS, MIN_RANKED

    return {"shown": totals.any_indicators, "list": INDICATORS, "ranked": totals.any_rank, "min_ranked": MIN_RANKED}


def rule_family(rule: str) -> str:
    """T3-BALANCE → T3, NARR-T3-COUNTS → NARR: the prefix a configuration's select also uses."""
    return rule.split("-")[0]


def _row_view(row: ReportRow, duplicate: bool = False) -> dict:
    return {
        "row": row,
        "name": re.split(r"[\\/]", row.path)[-1] or row.path,  # also Windows paths
        "href": quote(row.link, safe="/") if row.link else None,  # ":" encoded: always relative
        "template": TEMPLATE_LABELS.get(row.template or ""),
        "status": _status(row),
        "duplicate": duplicate,
        "families": " ".join(sorted({rule_family(rule) for rule in row.rule_counts})),
        "indicators": _indicator_cells(row),
    }


# The table's lines are written here, not by the template: a batch's table has thousands of
# lines, and the template's tests, loops and escapes per cell cost more than all else on the
# page. Each text is escaped with markupsafe, as the template's autoescape does.
INDENT = " " * 8  # of a <td> line in the template around the table
NO_NUMBER = '<span class="muted">—</span>'
UNREAD = '<span class="muted">未能识别</span>'
UNREADABLE = ' class="unreadable"'
NO_COUNTS = '<td class="num" data-v="">' + NO_NUMBER + "</td>"


def _table_lines(rows: Sequence[ReportRow], order: Sequence[int], duplicates: set[int], show_new: bool,
                 totals: "_Totals") -> Iterator[Markup]:
    """Each report's <tr> line, in the order shown, made as the page reaches it."""
    from ..indicators import INDICATORS

    no_indicators = [{"value": None, "text": "", "change": ""}] * len(INDICATORS)
    for i in order:
        view = _row_view(rows[i], i in duplicates)
        yield Markup(_row_html(view, show_new, totals.any_indicators, totals.any_rank, no_indicators))


def _row_html(v: dict, show_new: bool, indicators: bool, ranked: bool, no_indicators: list) -> str:
    r = v["row"]
    readable = r.unreadable is None
    name = escape(v["name"])
    link = f'<a href="{escape(v["href"])}">{name}</a>' if v["href"] else name
    fmt = f' <span class="fmt">{escape(r.format)}</span>' if r.format else ""
    dup = ' <span class="dup" title="同一机关同一年度有不止一份报告">重复提交</span>' if v["duplicate"] else ""
    template = escape(v["template"]) if v["template"] else ("" if not readable else UNREAD)
    cells = [
        f"<td>{link}{fmt}{dup}</td>",
        f"<td>{escape(r.agency) if r.agency else UNREAD}</td>",
        f'<td class="num" data-v="{_or_empty(r.year)}">{_dash(r.year)}</td>',
        f"<td>{template}</td>",
    ]
    if readable:
        errors, warnings, uncertain = _text(r.errors), _text(r.warnings), _text(r.uncertain)
        cells += [f'<td class="num{" has-error" if r.errors else ""}" data-v="{errors}">{errors}</td>',
                  f'<td class="num{" has-warning" if r.warnings else ""}" data-v="{warnings}">{warnings}</td>',
                  f'<td class="num" data-v="{uncertain}">{uncertain}</td>']
    else:
        cells.append(NO_COUNTS * 3)
    main = f"<code>{escape(r.main_rule)}</code> {escape(r.main_problem)}" if r.main_problem else ""
    # The template wrote the cells below on lines that began with a block tag: they ran on,
    # unindented, from the start of the reason's line.
    run_on = f'<td class="num" data-v="{_or_empty(r.new)}">{_dash(r.new)}</td>' if show_new else ""
    if indicators:
        for c in v["indicators"] or no_indicators:
            change = f'<br><span class="muted small">{escape(c["change"])}</span>' if c["change"] else ""
            run_on += f'<td class="num" data-v="{_or_empty(c["value"])}">{escape(c["text"])}{change}</td>'
        if ranked:
            run_on += f'<td class="num" data-v="{_or_empty(r.rank)}">{_dash(r.rank)}</td>'
    cells.append(f'<td class="main">{main}</td>')
    reason = f'<td class="reason">{escape(r.unreadable or "")}</td>'
    head = (f'      <tr{"" if readable else UNREADABLE} data-status="{escape(v["status"])}" '
            f'data-rules=" {escape(" ".join(r.rules))} " data-families="{escape(v["families"])}" '
            f'data-level="{escape(r.level or "")}" data-parent="{escape(r.parent or "")}" '
            f'data-bad="{1 if (r.errors or not readable) else 0}">')
    lines = "".join(f"{INDENT}{cell}\n" for cell in cells)
    return f"{head}\n{lines}{run_on}{INDENT}{reason}\n      </tr>"


def _text(value) -> str:
    """A value as the template printed it: numbers as they are (nothing in them to escape,
    and they are most of the table), anything else escaped."""
    return str(value) if type(value) in (int, float) else escape(value)


def _or_empty(value) -> str:
    return "" if value is None else _text(value)


def _dash(value) -> str:
    return NO_NUMBER if value is None else _text(value)


def _duplicates(rows: Sequence[ReportRow], totals: _Totals, order: list[int]) -> list[list[int]]:
    """The same agency (names compared as the year-over-year pairing does) and year submitted
    more than once: each group's rows, groups and rows in the order the table shows them."""
    from ..year_record import agency_key

    position = {i: n for n, i in enumerate(order)} if any(isinstance(v, list) for v in totals.same_year.values()) else {}
    groups: dict[tuple[str, int], list[int]] = {}
    for candidates in totals.same_year.values():
        if isinstance(candidates, list):  # the same hash: the same agency and year, or a rare collision
            for i in candidates:
                row = rows[i]
                groups.setdefault((agency_key(row.agency), row.year), []).append(i)
    found = [sorted(members, key=position.__getitem__) for members in groups.values() if len(members) > 1]
    return sorted(found, key=lambda members: position[members[0]])


def _duplicate_view(rows: Sequence[ReportRow], members: list[int], marked: set[int]) -> dict:
    views = [_row_view(rows[i], True) for i in members]
    return {"agency": views[0]["row"].agency, "year": views[0]["row"].year, "reports": views}


def _reports_by_rule(rows: Sequence[ReportRow], totals: _Totals, order: list[int], marked: set[int],
                     titles: dict[str, str]) -> list[dict]:
    """For each rule, the reports it has counted findings in: the filter by rule, without script."""
    position = array("q", bytes(8 * totals.count))
    for n, i in enumerate(order):
        position[i] = n
    groups = [(rule, sorted(members, key=position.__getitem__)) for rule, members in totals.by_rule.items()]
    return [{"rule": rule, "title": titles.get(rule, ""), "reports": _Views(rows, members, marked)}
            for rule, members in sorted(groups, key=lambda kv: (-len(kv[1]), kv[0]))]


def _indicator_cells(row: ReportRow) -> list[dict]:
    from ..indicators import INDICATORS, percent, points

    return [{"value": row.indicators.get(i.id), "text": percent(row.indicators.get(i.id)),
             "change": points(row.changes.get(i.id))} for i in INDICATORS] if row.indicators else []
