"""The outputs of `auditor check`, in one place: the formats and how each is made, what a batch
writes per report (and what it keeps of it), and the exit policy.

Adding an output format: a renderer in auditor/render/, its name in FORMATS and its maker in
_MAKERS (PAGE_SUFFIX too when a batch writes one file per report in it).

A batch renders each report's pages in the worker process that audited it (ReportOutputs, run
by pipeline.audit_paths as its `finish` step): the main process receives a ReportLine, the
report's few summary values and its finding rows, and streams those to the batch's own files.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Optional

from .model import AuditResult

FORMATS = ("html", "json", "csv", "text")
PAGE_SUFFIX = {"html": ".html", "json": ".json"}  # the formats a batch writes as one file per report
STDIN_NAME = "标准输入"  # the file a report piped in is saved as (readers tell formats from files)

# --fail-on: the severities that make the exit code 1
LEVELS = {"error": ("error",), "warning": ("error", "warning"), "never": ()}
EXIT_CLEAN = 0  # nothing at the --fail-on level
EXIT_FINDINGS = 1  # a report (or the batch itself) has a finding at the --fail-on level
EXIT_UNUSABLE = 2  # usage or configuration errors, or no file could be audited at all


def fails(result: AuditResult, fail_on: str) -> bool:
    """Whether this report makes the exit code 1 (a file that could not be audited counts as an error)."""
    levels = LEVELS[fail_on]
    if result.error:
        return "error" in levels
    return any(result.summary[level] for level in levels)


def exit_code(nothing_audited: bool, any_failed: bool) -> int:
    if nothing_audited:
        return EXIT_UNUSABLE
    return EXIT_FINDINGS if any_failed else EXIT_CLEAN


# ---------------------------------------------------------------- one report in one format


def _html(result: AuditResult, back: Optional[str]) -> str:
    from .render.html import render_html  # jinja2 is loaded only when HTML is asked for

    return render_html(result, back=back)


def _json(result: AuditResult, back: Optional[str]) -> str:
    from .render.json_out import render_json

    return render_json(result, indent=2)


def _text(result: AuditResult, back: Optional[str]) -> str:
    from .render.text_out import render_text

    return render_text(result)


# CSV is made for all results together (render.csv_out), not per report
_MAKERS: dict[str, Callable[[AuditResult, Optional[str]], str]] = {"html": _html, "json": _json, "text": _text}


def rendered(result: AuditResult, formats: tuple[str, ...], back: Optional[str] = None) -> dict[str, str]:
    """The result in each per-report format asked for; `back` is the link of the page an HTML
    page belongs to (a batch's index.html)."""
    return {fmt: _MAKERS[fmt](result, back) for fmt in formats if fmt in _MAKERS}


def page_files(name: str, result: AuditResult, formats: tuple[str, ...]) -> dict[str, str]:
    """A batch's files of one report: OUT/<name>.html and .json, by file name."""
    pages = rendered(result, tuple(f for f in formats if f in PAGE_SUFFIX), back="index.html")
    return {f"{name}{PAGE_SUFFIX[fmt]}": text for fmt, text in pages.items()}


def shown_path(result: AuditResult) -> AuditResult:
    """A report read from standard input is named so, not by its temporary file."""
    if Path(result.path).name != STDIN_NAME or Path(result.path).parent.name[:14] != "auditor-stdin-":
        return result
    shown = f"（{STDIN_NAME}）"
    message = result.error.replace(result.path, shown) if result.error else None
    return replace(result, path=shown, error=message)


# ---------------------------------------------------------------- one report of a batch


@dataclass
class ReportLine:
    """What the main process of a batch gets of one report: its pages are written already."""

    name: str  # the stem of its pages
    path: str
    row: object  # render.dashboard.ReportRow: its dashboard line
    finding_rows: list  # render.csv_out.finding_rows, each with the finding's location last
    json_line: str  # its line of results.jsonl
    fingerprints: frozenset
    failed: bool  # at the --fail-on level
    record: object = None  # crossyear.YearRecord for the year-over-year rules, None if unreadable
    submission: object = None  # engine.kinds.office.Submission for the roster checks
    text: Optional[str] = None  # the terminal's text (--format text)
    fixlist: Optional[tuple] = None  # (unit, year, file name, render.fixlist rows) with --fixlist
    ocr_pages: int = 0
    ocr_seconds: float = 0.0
    suppressions_used: frozenset = field(default_factory=frozenset)  # entries of the suppression file that matched

    @property
    def unreadable(self) -> bool:
        return self.row.unreadable is not None


class ReportOutputs:
    """Everything a batch makes of one result, run where the result was made (a worker
    process): office findings and suppressions added, pages written to the output folder,
    and a ReportLine for the main process. Picklable: it travels to the workers once."""

    def __init__(self, out: Path, formats: tuple[str, ...], rules: list, fail_on: str, names,
                 context=None, suppressions=None, debug: bool = False, fixlists: bool = False):
        from .engine.kinds.office import OfficeContext

        self.out, self.formats, self.rules, self.fail_on = out, formats, rules, fail_on
        self.names = names  # input path → the stem of its pages (batch.PageNames)
        self.context = context or OfficeContext()
        self.suppressions, self.debug, self.fixlists = suppressions, debug, fixlists
        self.fixes = {r.id: r.doc.fix for r in rules} if fixlists else {}  # rule id → its [doc] fix

    def __call__(self, path: Path, result: AuditResult) -> ReportLine:
        """The line of one audited file (the input `path` as given to the batch)."""
        from .office import with_office_findings
        from .pipeline import failed, internal_error

        name = self.names[str(path)]
        ocr = result.report.document if result.report is not None else None
        result = self.mark(with_office_findings(shown_path(result), self.context, self.rules))
        try:
            pages, line = page_files(name, result, self.formats), self.line(name, result)
        except Exception as exc:  # noqa: BLE001 - one report's failure must not stop the batch
            result = failed(result.path, internal_error(result.path, exc, self.debug))
            pages, line = page_files(name, result, self.formats), self.line(name, result)
        self.write_pages(pages)
        if ocr is not None:
            line.ocr_pages, line.ocr_seconds = len(ocr.ocr_pages), ocr.ocr_seconds
        return line

    def mark(self, result: AuditResult) -> AuditResult:
        return self.suppressions.mark(result) if self.suppressions else result

    def write_pages(self, pages: dict[str, str]) -> None:
        for file_name, text in pages.items():
            (self.out / file_name).write_text(text, encoding="utf-8")

    def line(self, name: str, result: AuditResult) -> ReportLine:
        """The report's line, made before anything of it is written."""
        from .year_record import year_record
        from .engine.kinds.office import submission
        from .render.csv_out import finding_rows
        from .render.json_out import render_json

        locations = [""] if result.error else [f.location for f in result.findings]
        rows = [[*values, location] for values, location in zip(finding_rows(result), locations)]
        return ReportLine(
            name=name, path=result.path, row=self.row(result, name), finding_rows=rows, json_line=render_json(result),
            fingerprints=frozenset(f.fingerprint for f in result.findings), failed=fails(result, self.fail_on),
            record=year_record(result), submission=submission(result, self.context),
            text=self._text(result) if "text" in self.formats else None, fixlist=self.fixlist(result, name),
            suppressions_used=frozenset(self.suppressions.used()) if self.suppressions else frozenset())

    def row(self, result: AuditResult, name: str):
        """The dashboard line, with the unit's level and parent when the roster names it."""
        from .indicators import indicators
        from .render.dashboard import report_row

        row = report_row(result, f"{name}.html" if "html" in self.formats else None)
        if not result.error and result.report is not None:
            row.indicators = indicators(result.report)
        unit = self.context.unit_of(result) if not result.error else None
        if unit is not None:
            row.unit, row.level, row.parent = unit.name, unit.level, unit.parent
        return row

    def fixlist(self, result: AuditResult, name: str) -> Optional[tuple]:
        """The unit's 整改清单 rows for this report (written by the batch, which names the files)."""
        if not self.fixlists or result.error or result.report is None:
            return None
        from .render import fixlist

        unit = self.context.unit_of(result)
        who = unit.name if unit else (result.report.agency or name)
        rows = fixlist.fix_rows(result, self.fixes)
        return who, result.report.year, Path(result.path).name, rows

    def _text(self, result: AuditResult) -> str:
        from .pipeline import failed, internal_error
        from .render.text_out import render_text

        try:
            return render_text(result)
        except Exception as exc:  # noqa: BLE001 - the other outputs of this report are written already
            return render_text(failed(result.path, internal_error(result.path, exc, self.debug)))
