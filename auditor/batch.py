"""A batch audit into an output folder, streamed: each result is written as it arrives and
only a small summary per report is kept (memory stays flat as the batch grows).

OUT/<name>.html and .json per report, OUT/index.html (the dashboard), OUT/findings.csv and
OUT/findings.xlsx (one row per finding), OUT/results.jsonl (one JSON object per report).
Year-over-year findings need the whole batch, so they are added at the end: the few reports
they concern are audited again to render their pages with them.

With a suppression file, every result is marked (after its rules, before it is written), and
the entries that matched nothing in the whole batch go to OUT/unused-suppressions.json and
the dashboard.
"""
from __future__ import annotations

import csv
import json
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Optional

from . import baseline as baselines
from .aside import Aside
from .batch_store import BatchStore
from .crossyear import pair_findings
from .engine import Rule
from .engine.kinds.office import BatchFinding, OfficeContext
from .model import AuditResult, Finding
from .indicators import changes, ranks
from .office import batch_findings, review_year, with_office_findings
from .outputs import LEVELS, ReportLine, ReportOutputs, exit_code, fails, page_files
from .pipeline import audit_file, internal_error
from .render.csv_out import COLUMNS, inert_row
from .render.json_out import render_json
from .suppressions import SuppressionSet

UNUSED_SUPPRESSIONS = "unused-suppressions.json"
FIXLIST_DIR = "整改清单"
BATCH_JSON = "batch.json"  # findings about the batch (roster gaps, duplicates, roll-ups), not one report

# Characters no file name may hold on Windows, macOS or Linux (separators of every system,
# control characters), and names Windows keeps for devices or the batch keeps for itself.
_UNSAFE_IN_NAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
_DEVICES = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
_BATCH_OWN = {"index", Path(UNUSED_SUPPRESSIONS).stem, Path(BATCH_JSON).stem}
MAX_NAME_BYTES = 120  # UTF-8 bytes of a page's stem: room for "-N.html" within any file system's 255


def output_names(paths: list[str]) -> list[str]:
    """A distinct, safe file stem per input for its pages (OUT/<stem>.html and .json): made
    from the input's name and the sub-folders it lies in below the inputs' common folder
    ("区县/洪泽区.pdf" → "区县_洪泽区"), without separators, unsafe characters or excess length,
    so that a page never lands outside the output folder, and never overwrites another
    report's page (also where names differ only in case) or a file of the batch's own."""
    root = _common_folder(paths)
    return [name for _, _, name in _assigned(paths, root)]


class PageNames:
    """The stem of each input's pages, as output_names gives them (the last one where a path is
    given twice), derived from the path when asked for: a batch of thousands keeps only the
    inputs' common folder and the few names that needed a number to stay distinct."""

    def __init__(self, paths: list[str]):
        self._root = _common_folder(paths)
        self._numbered: dict[str, str] = {}
        for path, base, name in _assigned(paths, self._root):
            if name != base:
                self._numbered[path] = name
            else:
                self._numbered.pop(path, None)

    def __getitem__(self, path: str) -> str:
        return self._numbered.get(path) or _base_name(path, self._root)


def _assigned(paths: list[str], root: Optional[str]):
    """(path, its name before numbering, its distinct name) per input, in input order."""
    seen: set[str] = set()
    for p in paths:
        base = _base_name(p, root)
        name, n = base, 1
        while name.casefold() in seen:
            n += 1
            name = f"{base}-{n}"
        seen.add(name.casefold())
        yield p, base, name


def _base_name(path: str, root: Optional[str]) -> str:
    return _safe_stem("_".join([*_sub_folders(path, root), _leaf(path)]))


def _leaf(path: str) -> str:
    return re.split(r"[/\\]", path)[-1]  # a name from another system may hold its separators


def _common_folder(paths: list[str]) -> Optional[str]:
    """The folder all inputs lie in, or None for a single input or inputs on different drives
    (Windows): then no input's name takes its folders."""
    if len(paths) < 2:
        return None
    root = None
    try:
        for p in paths:
            parent = os.path.dirname(os.path.abspath(p))
            root = parent if root is None else os.path.commonpath([root, parent])
    except ValueError:  # Windows paths on different drives
        return None
    return root


def _sub_folders(path: str, root: Optional[str]) -> tuple[str, ...]:
    """The input's folders below the folder all inputs share (none for a single input or
    inputs side by side): reports of the same name in different sub-folders keep them apart."""
    if root is None:
        return ()
    parts = Path(os.path.relpath(os.path.dirname(os.path.abspath(path)), root)).parts
    return tuple(_UNSAFE_IN_NAME.sub("_", part).strip(" .") for part in parts
                 if part not in (".", "..") and _UNSAFE_IN_NAME.sub("_", part).strip(" ._"))


def _safe_stem(path: str) -> str:
    leaf = _leaf(path)
    stem = leaf[:leaf.rfind(".")] if leaf.rfind(".") > 0 else leaf
    stem = _UNSAFE_IN_NAME.sub("_", stem).strip(" .")
    stem = stem.encode("utf-8")[:MAX_NAME_BYTES].decode("utf-8", errors="ignore").rstrip(" .")
    if not stem.strip("_"):  # nothing left of the name but replaced characters
        return "report"
    if stem.split(".")[0].casefold() in _DEVICES or stem.casefold() in _BATCH_OWN:
        return f"{stem}_"
    return stem


@dataclass
class Kept:
    """What the batch remembers of one report after writing it."""

    name: str
    path: str
    row: object  # dashboard.ReportRow
    fingerprints: set[str]
    failed: bool
    unreadable: bool


class BatchRun:
    """Use as a context manager: a batch that stops (an exception, Ctrl-C) closes its files,
    leaving what it finished readable (findings.csv, results.jsonl.partial)."""

    def __init__(self, out: Path, formats: tuple[str, ...], rules: list[Rule], fail_on: str, names: "PageNames",
                 baseline_path: Optional[Path] = None, suppressions: Optional[SuppressionSet] = None,
                 debug: bool = False, context: Optional[OfficeContext] = None, fixlists: bool = False):
        from .render.xlsx_out import FindingsWorkbook

        self.out, self.formats, self.rules, self.fail_on = out, formats, rules, fail_on
        self.suppressions = suppressions
        self.debug = debug
        self.baseline_path = baseline_path
        self.baseline = baselines.load(baseline_path) if baseline_path and baseline_path.exists() else None
        self.context = context or OfficeContext()
        # what each report's worker process makes of its result (pages, summary line)
        self.outputs = ReportOutputs(out, formats, rules, fail_on, names, self.context, suppressions, debug, fixlists)
        out.mkdir(parents=True, exist_ok=True)
        self._csv_file = open(out / "findings.csv", "w", encoding="utf-8-sig", newline="")
        self._csv = csv.writer(self._csv_file)
        self._csv.writerow(COLUMNS)
        self._jsonl_path = out / "results.jsonl.partial"
        self._jsonl = open(self._jsonl_path, "w", encoding="utf-8")
        self._xlsx = FindingsWorkbook(out / "findings.xlsx")
        self._workbook_aside: Optional[Aside] = None  # findings.xlsx finished beside the process
        self._closed = False
        # per report: its Kept, year record and roster submission, on disk until the end
        self.store = BatchStore(out)
        self.batch_findings: list[BatchFinding] = []
        self._fixlist_names: dict[str, str] = {}  # report path → its list's file stem

    def __enter__(self) -> "BatchRun":
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self._close_files()
        finally:
            self.store.close()

    def _close_files(self) -> None:
        """Close the batch's files: at the end of the batch, or when it stops (once)."""
        if self._closed:
            return
        self._closed = True
        self._close_streams()
        if self._workbook_aside is not None:
            self._workbook_aside.wait()
        else:
            self._xlsx.close(k.row for k in self.store)

    def _close_streams(self) -> None:
        """findings.csv and the streamed results.jsonl.partial (closing twice does nothing)."""
        self._csv_file.close()
        self._jsonl.close()

    def _finish_workbook(self, store: BatchStore) -> None:
        """findings.xlsx's sheets made at the end (the batch's findings, the indicators, one line
        per report), and the file written."""
        self._xlsx.add_batch_findings(self.batch_findings)
        self._xlsx.add_indicators(k.row for k in store)
        self._xlsx.close(k.row for k in store)

    # ------------------------------------------------------------ per report

    def add(self, line: ReportLine) -> ReportLine:
        """Write one report's line everywhere and flush, so that an interrupted batch keeps what
        it finished (its pages are written already, by the process that audited it)."""
        self._write_fixlist(line.name, line.path, line.fixlist)
        self._write_rows(line.path, line.finding_rows, line.row)
        self._jsonl.write(line.json_line + "\n")
        self._csv_file.flush()
        self._jsonl.flush()
        if self.suppressions is not None:
            self.suppressions.note_used(line.suppressions_used)
        self.store.add(Kept(line.name, line.path, line.row, set(line.fingerprints), line.failed, line.unreadable),
                       line.record, line.submission)
        return line

    def _write_rows(self, path: str, rows: list, row) -> None:
        """Finding rows (the location last) to findings.csv and findings.xlsx."""
        self._csv.writerows(inert_row(r[:-1]) for r in rows)
        self._xlsx.add_rows(path, rows)

    def _write_fixlist(self, name: str, path: str, made: Optional[tuple]) -> None:
        """The unit's 整改清单 for this report (written again when late findings are added)."""
        if made is None:
            return
        from .render import fixlist

        who, year, file, rows = made
        stem = self._fixlist_names.get(path)
        if stem is None:
            taken = set(self._fixlist_names.values())
            stem = _safe_stem(f"{who}-{year or '年度不明'}.x")
            stem = stem if stem.casefold() not in {t.casefold() for t in taken} else f"{stem}-{name}"
            self._fixlist_names[path] = stem
        folder = self.out / FIXLIST_DIR
        folder.mkdir(exist_ok=True)
        fixlist.write_xlsx(folder / f"{stem}.xlsx", who, year, file, rows)
        (folder / f"{stem}.html").write_text(fixlist.render_html(who, year, file, rows), encoding="utf-8")

    # ------------------------------------------------------------ end of batch

    def finish(self) -> "BatchOutcome":
        """The end of the batch: year-over-year and roster findings, indicators, the dashboard.
        The reports are read back from the store one at a time."""
        late = self._late_findings()
        for idx in [idx for idx, path in self.store.indexed_paths() if path in late]:
            kept = self.store[idx]
            try:
                self._add_late(kept, late[kept.path])
            except Exception as exc:  # noqa: BLE001 - the report stays as first written
                internal_error(kept.path, exc, self.debug)
                continue
            self.store.put(idx, kept)
        self.batch_findings = self._batch_findings()
        self._compare_indicators()
        deltas = self._baseline_deltas()
        # The Excel file is finished beside this process (on a second core) while it writes the
        # rest; the store is only read from here on.
        self.store.commit()  # what the copy reads, through a connection of its own
        self._workbook_aside = Aside(lambda in_copy: self._finish_workbook(self.store.reopened() if in_copy
                                                                           else self.store))
        self._write_indicators_csv()
        self._close_streams()
        self._write_jsonl()
        unused = self._write_unused_suppressions()
        self._write_index(deltas, unused)
        self._close_files()  # waits for the Excel file
        batch_failed = any(f.severity in LEVELS[self.fail_on] for f in self.batch_findings)
        unreadable = any_failed = 0
        for k in self.store:
            unreadable += k.unreadable
            any_failed = any_failed or k.failed
        return BatchOutcome(len(self.store), unreadable, bool(any_failed) or batch_failed,
                            unreadable == len(self.store), sum(len(v) for v in late.values()), deltas, unused,
                            self.batch_findings)

    def _late_findings(self) -> dict[str, list[Finding]]:
        """The year-over-year findings, by the later report's path (one agency at a time)."""
        late: dict[str, list[Finding]] = {}
        for records in self.store.records_by_agency():
            late.update(pair_findings(records, self.rules))
        return late

    def _compare_indicators(self) -> None:
        """Each report's indicators beside its unit's report of the year before, and the ranks."""
        disclosed = [k.row.indicators.get("disclosed") for k in self.store if k.row.indicators]
        rank = iter(ranks(disclosed))
        for idx in range(len(self.store)):
            kept = self.store[idx]
            if not kept.row.indicators:
                continue
            year = self.store.year_of(idx)
            if year is not None:
                first = self.store.first_of(year[0], year[1] - 1)
                before = self.store[first].row if first is not None else None
                kept.row.changes = changes(kept.row.indicators, before.indicators if before else None)
            kept.row.rank = next(rank)
            self.store.put(idx, kept)

    def _write_indicators_csv(self) -> None:
        from .render.csv_out import write_indicator_csv

        with open(self.out / "indicators.csv", "w", encoding="utf-8-sig", newline="") as out:
            write_indicator_csv(out, (k.row for k in self.store))

    def _batch_findings(self) -> list[BatchFinding]:
        """The roster checks over the whole batch, also written to OUT/batch.json (when a roster
        was given or the batch has findings about itself; an older one is removed otherwise)."""
        submissions = self.store.submissions()
        self.context.review_year = review_year(submissions, self.context.review_year)
        found = batch_findings(submissions, self.context, self.rules)
        roster = self.context.roster
        if roster is None and not found:
            (self.out / BATCH_JSON).unlink(missing_ok=True)
            return found
        data = {"roster": str(roster.path) if roster and roster.path else None, "year": self.context.review_year,
                "findings": [f.to_dict() for f in found]}
        (self.out / BATCH_JSON).write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        return found

    def _add_late(self, kept: Kept, late: list[Finding]) -> None:
        """Audit the report again and add its year-over-year findings everywhere."""
        outputs = self.outputs
        result = with_office_findings(audit_file(kept.path, self.rules), self.context, self.rules)
        late = [self._with_passages(f, result) for f in late]
        merged = outputs.mark(replace(result, findings=result.findings + late))
        only_late = outputs.line(kept.name, replace(merged, findings=merged.findings[len(result.findings):]))
        self._write_rows(merged.path, only_late.finding_rows, only_late.row)
        outputs.write_pages(page_files(kept.name, merged, self.formats))
        self._write_fixlist(kept.name, merged.path, outputs.fixlist(merged, kept.name))
        kept.row = outputs.row(merged, kept.name)
        kept.fingerprints |= {f.fingerprint for f in late}
        kept.failed = fails(merged, self.fail_on)
        self.store.set_late_json(kept.path, render_json(merged))

    def _with_passages(self, finding: Finding, result: AuditResult) -> Finding:
        """A copied-text finding with the most repeated passages beside last year's (the earlier
        report is read again: the batch keeps no narrative)."""
        if finding.rule != "XYEAR-COPIED-TEXT" or result.report is None:
            return finding
        from .year_record import agency_key, repeated_passages

        earlier_name = (finding.key or "").split(":", 2)[-1]
        key = agency_key(result.report.agency or "")
        earlier = self.store.record(key, (result.report.year or 0) - 1, earlier_name)
        if earlier is None:
            return finding
        before = audit_file(earlier.path, self.rules)
        if before.report is None:
            return finding
        return replace(finding, evidence=repeated_passages(before.report, result.report))

    def _write_jsonl(self) -> None:
        """Copy the streamed lines, replacing those of reports that gained late findings (the
        streamed file is the final one when none did)."""
        if not self.store.any_late_json():
            self._jsonl_path.replace(self.out / "results.jsonl")
            return
        with open(self._jsonl_path, encoding="utf-8") as src, open(self.out / "results.jsonl", "w", encoding="utf-8") as dst:
            for line in src:
                merged = self.store.late_json(json.loads(line)["source"]["path"])
                dst.write(merged + "\n" if merged is not None else line)
        self._jsonl_path.unlink()

    def _baseline_deltas(self) -> Optional[dict[str, baselines.ReportDelta]]:
        if self.baseline_path is None:
            return None
        current = {k.path: k.fingerprints for k in self.store if not k.unreadable}
        if self.baseline is None:
            baselines.save(self.baseline_path, current)
            return None
        deltas = baselines.compare(self.baseline, current)
        for idx, k in enumerate(self.store):
            delta = deltas.get(k.path)
            if delta is not None:
                k.row.new, k.row.still, k.row.fixed = len(delta.new), len(delta.still), len(delta.fixed)
                self.store.put(idx, k)
        return deltas

    def _write_unused_suppressions(self) -> list:
        """OUT/unused-suppressions.json when a suppression file is in use (an empty list when
        every entry matched); a file left by an earlier run without one is removed."""
        target = self.out / UNUSED_SUPPRESSIONS
        if self.suppressions is None:
            target.unlink(missing_ok=True)
            return []
        unused = self.suppressions.unused()
        data = {"suppressions": str(self.suppressions.path) if self.suppressions.path else None,
                "unused": [s.to_dict() for s in unused]}
        target.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        return unused

    def _write_index(self, deltas, unused: list) -> None:
        from .render.dashboard import write_index

        summary = None
        if deltas is not None:
            summary = {**baselines.totals(deltas), "baseline": str(self.baseline_path)}
        write_index(self.out / "index.html", _Rows(self.store), baseline_summary=summary,
                    unused_suppressions=[s.to_dict() for s in unused], batch_findings=self.batch_findings,
                    rule_titles={r.id: r.title for r in self.rules})


class _Rows:
    """The dashboard lines of a batch's reports, read from its store when asked for."""

    def __init__(self, store: BatchStore):
        self.store = store

    def __len__(self) -> int:
        return len(self.store)

    def __getitem__(self, idx: int):
        return self.store[idx].row

    def __iter__(self):
        return (k.row for k in self.store)

@dataclass
class BatchOutcome:
    reports: int
    unreadable: int
    any_failed: bool
    nothing_audited: bool
    cross_year_findings: int
    baseline: Optional[dict]
    unused_suppressions: list = field(default_factory=list)  # Suppression entries that matched nothing
    batch_findings: list = field(default_factory=list)  # BatchFinding: roster gaps, duplicates, roll-ups

    @property
    def exit_code(self) -> int:
        return exit_code(self.nothing_audited, self.any_failed)
