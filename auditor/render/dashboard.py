"""The batch dashboard (index.html): a summary of every audited report and a table linking
to each report's own page.

A batch may hold thousands of reports, so the caller keeps one small ReportRow per report
(never the Report itself) and renders the page once at the end. Everything taken from a
report (agency names, reasons, paths) is untrusted: the template autoescapes it and links
are percent-encoded so that a file name can never become a script or an absolute URL.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional
from urllib.parse import quote

from ..model import SEVERITIES, AuditResult
from .html import SEVERITY_LABELS, _sort_key, template_environment, tool_version

TEMPLATE = "index.html.j2"
DEFAULT_TITLE = "政府信息公开工作年度报告批量审查"
TEMPLATE_LABELS = {"2019": "2019 年格式", "2021": "2021 年格式"}
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
    return (suppressed, rank, unsure, not f.rule.endswith("PINPOINT"), *rest)


def _shortened(message: str) -> str:
    return message if len(message) <= MAIN_PROBLEM_CHARS else message[:MAIN_PROBLEM_CHARS - 1] + "…"


def render_index(
    rows: list[ReportRow],
    title: str = DEFAULT_TITLE,
    generated: str = "",
    baseline_summary: Optional[dict] = None,
    unused_suppressions: Optional[list[dict]] = None,
    downloads: tuple[str, ...] = ("findings.xlsx", "findings.csv", "results.jsonl"),
    batch_findings: Optional[list] = None,
    rule_titles: Optional[dict[str, str]] = None,
) -> str:
    """The batch dashboard as one self-contained HTML page. unused_suppressions lists the
    suppression entries (Suppression.to_dict()) that matched no finding of the batch;
    downloads are the batch's files beside index.html that the page links to; rule_titles
    are the titles of the rules the batch ran, by id (local packs' rules too)."""
    titles = rule_titles or {}
    show_new = baseline_summary is not None or any(r.new is not None for r in rows)
    views = [_row_view(r) for r in _worst_first(rows)]
    duplicates = _duplicates(views)
    return template_environment().get_template(TEMPLATE).render(
        title=title,
        generated=generated,
        summary=_summary(rows),
        severities=_severity_bars(rows),
        rules=_rule_bars(rows, titles),
        baseline=_baseline_view(baseline_summary),
        show_new=show_new,
        rows=views,
        duplicates=duplicates,
        by_rule=_reports_by_rule(views, titles),
        severity_filters=SEVERITY_FILTERS,
        downloads=[(name, quote(name)) for name in downloads],
        batch_findings=[f.to_dict() for f in batch_findings or []],
        families=_families(rows),
        levels=sorted({r.level for r in rows if r.level}),
        parents=sorted({r.parent for r in rows if r.parent}),
        indicators=_indicator_view(rows),
        unused_suppressions=unused_suppressions or [],
        tool={"name": "report-auditor", "version": tool_version()},
    )


# ---------------------------------------------------------------- summary


def _summary(rows: list[ReportRow]) -> dict[str, int]:
    readable = [r for r in rows if r.unreadable is None]
    return {
        "total": len(rows),
        "with_errors": sum(r.errors > 0 for r in readable),
        "warnings_only": sum(r.errors == 0 and r.warnings > 0 for r in readable),
        "clean": sum(r.errors == 0 and r.warnings == 0 for r in readable),
        "unreadable": len(rows) - len(readable),
        "suppressed": sum(r.suppressed for r in readable),
    }


@dataclass
class Bar:
    key: str
    label: str
    count: int
    percent: float  # of the longest bar, for its width


def _bars(items: list[tuple[str, str, int]]) -> list[Bar]:
    top = max((n for _, _, n in items), default=0) or 1
    return [Bar(key, label, n, round(100 * n / top, 1)) for key, label, n in items]


def _severity_bars(rows: list[ReportRow]) -> list[Bar]:
    totals = {"error": sum(r.errors for r in rows), "warning": sum(r.warnings for r in rows), "info": sum(r.infos for r in rows)}
    items = [(s, SEVERITY_LABELS[s], totals[s]) for s in SEVERITIES]
    items.append(("uncertain", "其中无法核对", sum(r.uncertain for r in rows)))
    return _bars(items)


def _rule_bars(rows: list[ReportRow], titles: dict[str, str]) -> list[Bar]:
    """Failing findings per rule, most frequent first, labelled with the rule's title."""
    totals: dict[str, int] = {}
    for r in rows:
        for rule, n in r.rule_counts.items():
            totals[rule] = totals.get(rule, 0) + n
    ranked = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
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
def _indicator_view(rows: list[ReportRow]) -> dict:
    """The indicator columns' names and definitions (the appendix), and whether ranks are shown."""
    from ..indicators import INDICATORS, MIN_RANKED

    shown = any(r.indicators for r in rows)
    return {"shown": shown, "list": INDICATORS, "ranked": any(r.rank is not None for r in rows),
            "min_ranked": MIN_RANKED}


def _worst_first(rows: list[ReportRow]) -> list[ReportRow]:
    """Unreadable files, then most errors, then most warnings; ties in input order."""
    return sorted(rows, key=lambda r: (r.unreadable is None, -r.errors, -r.warnings))


def rule_family(rule: str) -> str:
    """T3-BALANCE → T3, NARR-T3-COUNTS → NARR: the prefix a configuration's select also uses."""
    return rule.split("-")[0]


def _families(rows: list[ReportRow]) -> list[str]:
    return sorted({rule_family(rule) for r in rows for rule in r.rule_counts})


def _row_view(row: ReportRow) -> dict:
    return {
        "row": row,
        "name": re.split(r"[\\/]", row.path)[-1] or row.path,  # also Windows paths
        "href": quote(row.link, safe="/") if row.link else None,  # ":" encoded: always relative
        "template": TEMPLATE_LABELS.get(row.template or ""),
        "status": _status(row),
        "duplicate": False,
        "families": " ".join(sorted({rule_family(rule) for rule in row.rule_counts})),
        "indicators": _indicator_cells(row),
    }


def _duplicates(views: list[dict]) -> list[dict]:
    """The same agency (names compared as the year-over-year pairing does) and year submitted
    more than once: each group once, its rows marked."""
    from ..crossyear import agency_key

    groups: dict[tuple[str, int], list[dict]] = {}
    for v in views:
        row = v["row"]
        if row.unreadable is None and row.agency and row.year:
            groups.setdefault((agency_key(row.agency), row.year), []).append(v)
    out = []
    for (_, year), members in groups.items():
        if len(members) > 1:
            for v in members:
                v["duplicate"] = True
            out.append({"agency": members[0]["row"].agency, "year": year, "reports": members})
    return out


def _reports_by_rule(views: list[dict], titles: dict[str, str]) -> list[dict]:
    """For each rule, the reports it has counted findings in: the filter by rule, without script."""
    by_rule: dict[str, list[dict]] = {}
    for v in views:
        for rule in v["row"].rules:
            by_rule.setdefault(rule, []).append(v)
    return [{"rule": rule, "title": titles.get(rule, ""), "reports": members}
            for rule, members in sorted(by_rule.items(), key=lambda kv: (-len(kv[1]), kv[0]))]


def _indicator_cells(row: ReportRow) -> list[dict]:
    from ..indicators import INDICATORS, percent, points

    return [{"value": row.indicators.get(i.id), "text": percent(row.indicators.get(i.id)),
             "change": points(row.changes.get(i.id))} for i in INDICATORS] if row.indicators else []
