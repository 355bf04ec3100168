"""The objects that flow through the pipeline: Document → Report → Finding → AuditResult.

Every stage only reads the previous stage's objects, so data flows one way.
"""
from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import TYPE_CHECKING, Any, NamedTuple, Optional, Union

from .spec import FormatSpec, resolved_spec

if TYPE_CHECKING:  # pandas is imported when a DataFrame is asked for: it is over half the start-up
    import pandas as pd

SEVERITIES = ("error", "warning", "info")


# ---------------------------------------------------------------- Document


class Source(NamedTuple):
    """Where a piece of content came from (1-based line and page; None when unknown).

    A named tuple rather than a frozen dataclass: a report holds one per cell, and a tuple is
    made, and sent back from a worker process, several times faster."""

    line: Optional[int] = None
    page: Optional[int] = None
    table: Optional[int] = None
    row: Optional[int] = None
    col: Optional[int] = None
    raw: str = ""
    # Read from a scan by OCR: (lowest recognition score 0–1, or None where nothing was
    # recognised; a PNG data: URI of the cell or line as scanned). None: read from text.
    ocr: Optional[tuple] = None


@dataclass
class Paragraph:
    text: str
    source: Source


@dataclass
class GridCell:
    """One cell of a table grid; positions covered by a merged cell have covered=True."""

    text: str
    source: Source
    rowspan: int = 1
    colspan: int = 1
    covered: bool = False


@dataclass
class TableBlock:
    rows: list[list[GridCell]]
    source: Source


Block = Union[Paragraph, TableBlock]


@dataclass
class Document:
    """A file's content in reading order; readers know formats, not annual reports."""

    path: str
    format: str
    sha256: str
    blocks: list[Block]
    notes: list[str] = field(default_factory=list)
    unread_pages: list[int] = field(default_factory=list)  # pages that are pictures: no text to audit
    unread_hint: str = ""  # how to have those pages read (the OCR extra, --ocr)
    ocr_pages: list[int] = field(default_factory=list)  # pages read from their images by OCR
    ocr_seconds: float = 0.0  # time spent recognising them


# ---------------------------------------------------------------- Report


@dataclass
class Section:
    id: str
    no: str
    title: str  # the official title
    heading: Optional[str]  # the heading as printed, None when not found
    line: Optional[int]


@dataclass
class Sentence:
    text: str
    line: Optional[int]
    section: Optional[str]  # section id ("s1".."s6") or None before the first heading
    page: Optional[int] = None


@dataclass
class Period:
    text: str
    start_year: Optional[int]
    end_year: Optional[int]
    line: Optional[int]
    full_year: bool  # 1月1日 … 12月31日


@dataclass
class SignOff:
    """The date under the agency's name that closes (or heads) the report: 落款日期."""

    text: str
    year: int
    month: int
    day: int
    line: Optional[int]
    page: Optional[int] = None


@dataclass
class Claim:
    """One count (or statement) a sentence makes that the tables can confirm or contradict
    (read by extraction.claims: "共收到申请 21 件" is received 21)."""

    concept: str  # received carried handled carry_fwd outcome t4_total t4_column upheld none_t4 docs all_done
    sentence: Sentence
    clause: str
    value: Optional[float] = None  # the count stated (0 for "未收到申请")
    verb: str = ""  # the word naming the count ("受理", "新收", "制发", ...)
    items: tuple[str, ...] = ()  # outcome groups, 表四 blocks, or (表二 row,)
    column: str = ""  # 表四 column or 表二 column kind (made/repealed/valid/published)
    percent: Optional[str] = None  # the share printed with the count
    scope: Optional[str] = None  # why the count may have another scope than the table
    also_handled: bool = False  # "受理并办结 N 件": the count may also be the handled total


class Unread(NamedTuple):
    """Numbers printed in a table that extraction saw but could not place in cells (the rule
    READ-UNREAD-CELLS reports them): nothing visible is lost without a finding."""

    row: Optional[str]  # canonical row id; None when the row's label is not recognised
    label: str  # the row (or line) as printed
    source: Source  # where: line/page, raw = the printed text that holds the numbers
    count: int  # how many numbers were seen there
    reason: str  # why they could not be placed, in Chinese ("数字个数多于栏目数")
    cut: bool = False  # in the row the text stops in: READ-TRUNCATED names them, not READ-UNREAD-CELLS


_UNSET = object()
_source = partial(tuple.__new__, Source)  # a Source from a plain tuple, without a Python call


@dataclass
class Table:
    """One extracted table: values indexed by canonical ids, with per-cell provenance.

    values holds floats with NaN for blank or unreadable cells (never 0); raw keeps what
    the cell held. rows_found lists rows whose label (or position) was seen at all, so a
    blank row is told apart from a row the report does not have.
    """

    id: str
    title: str
    row_labels: dict[str, str]
    column_labels: dict[str, str]
    frame: Optional[pd.DataFrame] = field(default=None, repr=False)  # read it as .values, built when read
    raw: dict[tuple[str, str], str] = field(default_factory=dict)
    sources: dict[tuple[str, str], Source] = field(default_factory=dict)
    rows_found: set[str] = field(default_factory=set)
    columns_found: set[str] = field(default_factory=set)
    row_sources: dict[str, Source] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    unread: list[Unread] = field(default_factory=list)  # numbers seen but not placed in cells
    printed_empty: bool = False  # its header was printed with no row of values (表四 left unfilled)
    # Labels as printed, for checks that the official labels were kept: a row's own label
    # when it stood whole beside its values, a column header cell, and header rows printed
    # again inside the table body (not at a page break).
    printed_labels: dict[str, str] = field(default_factory=dict)
    printed_headers: dict[str, tuple[str, Source]] = field(default_factory=dict)
    repeated_headers: list[Source] = field(default_factory=list)
    # The cells' numbers (None: blank). Setting a pandas cell costs ~25 µs and a report sets
    # hundreds, so cells live here and the DataFrame is rebuilt once when it is read.
    numbers: dict[tuple[str, str], Optional[float]] = field(default_factory=dict)
    _frame_stale: bool = field(default=True, repr=False)

    @classmethod
    def empty(cls, table_id: str, title: str, rows: dict[str, str], columns: dict[str, str]) -> "Table":
        return cls(table_id, title, dict(rows), dict(columns))

    def __getstate__(self) -> dict:
        # A result crossing from a worker process leaves the DataFrame behind: it is rebuilt
        # from `numbers` when read, and unpickling pandas objects costs more than the rebuild.
        # Sources go as plain tuples: pickle handles those in C, a named tuple costs a Python
        # call each way (a report has hundreds).
        state = {**self.__dict__, "frame": None, "_frame_stale": True}
        state["sources"] = {key: tuple(s) for key, s in self.sources.items()}
        state["row_sources"] = {row: tuple(s) for row, s in self.row_sources.items()}
        return state

    def __setstate__(self, state: dict) -> None:
        state["sources"] = {key: _source(s) for key, s in state["sources"].items()}
        state["row_sources"] = {row: _source(s) for row, s in state["row_sources"].items()}
        self.__dict__.update(state)

    def add_row(self, row: str, label: str) -> None:
        """A row the format does not have but the report printed (a subtotal)."""
        if row not in self.row_labels:
            self.row_labels[row] = label
            self._frame_stale = True

    @property
    def values(self) -> pd.DataFrame:
        """The cells as a DataFrame indexed by canonical ids, NaN for blank (never 0)."""
        if self._frame_stale:
            import pandas as pd

            data = [[self.numbers.get((r, c)) for c in self.column_labels] for r in self.row_labels]
            self.frame = pd.DataFrame(data, index=list(self.row_labels), columns=list(self.column_labels), dtype=float)
            self._frame_stale = False
        return self.frame

    def set(self, row: str, col: str, value: Optional[float], raw: str, source: Source) -> None:
        if row not in self.row_labels or col not in self.column_labels:
            raise KeyError((row, col))
        key = (row, col)  # one key object for the three dicts: pickled once, not three times
        self.numbers[key] = None if value is None else float(value)
        self._frame_stale = True
        self.raw[key] = raw
        self.sources[key] = source
        self.columns_found.add(col)

    def value(self, row: str, col: str) -> Optional[float]:
        """The cell's number, None when blank. Rules read cells one by one thousands of times
        per report, so this reads a dict kept beside the DataFrame (same values)."""
        number = self.numbers.get((row, col), _UNSET)
        if number is not _UNSET:
            return number  # a cell that was set: its row and column are the table's
        if row not in self.row_labels or col not in self.column_labels:
            raise KeyError((row, col))
        return None

    def cell_values(self, cells: list[tuple[str, str]]) -> list[Optional[float]]:
        """value() of each (row, column), read in one call: rules read a line's cells together."""
        numbers = self.numbers.get
        values = [numbers(cell, _UNSET) for cell in cells]
        if _UNSET in values:  # cells never set: blank, or not the table's (KeyError)
            values = [self.value(*cell) if value is _UNSET else value for cell, value in zip(cells, values)]
        return values

    @property
    def has_values(self) -> bool:
        return any(v is not None for v in self.numbers.values())


@dataclass
class Cut:
    """Where the text stops before the report's end (a copy cut off part-way: the excerpt of a
    web page, a truncated download). What the format puts after this point is not in the text:
    it is reported once (READ-TRUNCATED), not as one missing part after another."""

    line: Optional[int]
    page: Optional[int]
    excerpt: str  # the last line of text, as printed
    section: Optional[str]  # the section the text ends in ("s1".."s5"); None: before the first heading
    heading: bool = False  # the text ends in that section's heading ("五、存在的主")
    table: Optional[str] = None  # the table the text ends inside ("t3", "t2.art20_8"), None: in prose
    row: Optional[str] = None  # the last row of that table the text reaches (canonical id)
    sections_after: list[str] = field(default_factory=list)  # section ids the text does not reach
    tables_after: list[str] = field(default_factory=list)  # "t2" / "t3" / "t4" and t2 blocks ("t2.art20_9")
    rows_after: dict[str, list[str]] = field(default_factory=dict)  # table id -> rows after `row`
    mid_sentence: bool = False  # the text stops inside its last sentence
    # The cell whose number the text ends with: it may have lost digits, so it is read as blank.
    unsure_cell: Optional[tuple[str, str, str]] = None  # (table, row, column)
    unsure_raw: str = ""


@dataclass
class Start:
    """Where the text starts after the report's beginning (a copy of its later part: "from
    section 三 on"). What the format puts before it is not in the text: it is reported once
    (READ-TRUNCATED), not as one missing part after another."""

    line: Optional[int]
    page: Optional[int]
    excerpt: str  # the first line of text, as printed
    section: str  # the first section the text shows ("s2".."s6"), by its heading or its table
    heading: bool  # the text starts at that section's heading (else inside its table)
    table: Optional[str] = None  # the table the text starts inside ("t3", "t2.art20_6")
    row: Optional[str] = None  # the first row of that table the text shows (canonical id)
    sections_before: list[str] = field(default_factory=list)  # sections whose headings lie before
    tables_before: list[str] = field(default_factory=list)  # "t2" / "t3" and t2 blocks ("t2.art20_1")
    rows_before: dict[str, list[str]] = field(default_factory=dict)  # table id -> rows before `row`


@dataclass
class Report:
    document: Document
    title: Optional[str]
    agency: Optional[str]
    year: Optional[int]
    title_year: Optional[int]
    title_line: Optional[int]
    period: Optional[Period]
    template: Optional[str]  # "2019" | "2021" | None
    template_evidence: dict[str, list[str]]
    sections: dict[str, Section]
    tables: dict[str, Table]
    sentences: list[Sentence]
    signoff: Optional[SignOff] = None  # the date the report is signed (落款), when printed
    cut: Optional[Cut] = None  # where the text stops before the report's end, when it does
    start: Optional[Start] = None  # where the text starts after the report's beginning, when it does
    # The agency as each place names it (title, sign-off), for checking they agree (META-UNIT-NAME).
    named_by: dict[str, str] = field(default_factory=dict)
    # What the narrative's sentences say about the tables ("收到申请 21 件"), read once by
    # extraction from the finished sentences, for the rules that compare them with the cells.
    claims: list[Claim] = field(default_factory=list)

    @property
    def spec(self) -> FormatSpec:
        """The format the report was read against: its own, or the default one when it was not
        recognised (spec.DEFAULT_FORMAT). Rules and pages read rows and columns from here."""
        return resolved_spec(self.template)

    @property
    def finished_sentences(self) -> list[Sentence]:
        """The sentences, less the last one when the text stops part-way through it: a count it
        states may have lost digits ("共收到申请 6" of 619), so nothing is compared with it."""
        if self.cut is not None and self.cut.mid_sentence and self.sentences:
            return self.sentences[:-1]
        return self.sentences


# ---------------------------------------------------------------- Findings


@dataclass(frozen=True)
class Suppressed:
    """Why a finding was accepted (an entry of a suppression file, see auditor.suppressions).
    A suppressed finding is still shown, but no longer counts."""

    reason: str
    by: Optional[str] = None
    date: Optional[str] = None  # ISO date, e.g. "2026-01-05"

    def to_dict(self) -> dict[str, Optional[str]]:
        return {"reason": self.reason, "by": self.by, "date": self.date}


@lru_cache(maxsize=4096)
def _fingerprint(rule: str, table: Optional[str], row: Optional[str], column: Optional[str],
                 excerpt: Optional[str], key: Optional[str]) -> str:
    if table or row or column:
        basis = f"{table}|{row}|{column}"
    else:
        basis = "".join((excerpt or "").split())
    return hashlib.sha1(f"{rule}|{basis}|{key or ''}".encode("utf-8")).hexdigest()[:16]


@dataclass
class Finding:
    rule: str
    severity: str
    status: str  # fail | uncertain
    message: str
    table: Optional[str] = None
    row: Optional[str] = None
    column: Optional[str] = None
    line: Optional[int] = None
    page: Optional[int] = None
    excerpt: Optional[str] = None
    expected: Optional[float] = None
    actual: Optional[float] = None
    cells: list[tuple[str, str, str]] = field(default_factory=list)  # (table, row, column)
    key: Optional[str] = None  # what makes the finding unique when no cell or excerpt does
    suppressed: Optional[Suppressed] = None  # marked after the rules ran, never by a rule
    # The fingerprint of the pinpoint finding that explains this one: an identity that fails
    # only because of the cell the pinpoint names is the same problem, counted once.
    explained_by: Optional[str] = None
    # Passages shown side by side on the report page: (this year, last year, share repeated)
    evidence: list[tuple[str, str, float]] = field(default_factory=list)
    # The cells and lines read by OCR that the finding rests on: dicts with table, row, column
    # (or page and line), text, score and image (a PNG data: URI). Marked after the rules ran.
    ocr: list[dict] = field(default_factory=list)
    # For the report page (not in the JSON): what `actual` and `expected` are, in words, when
    # they are not simply a cell's (an identity's two sums, a percent the text printed), and
    # whether the finding is about a wrong year written in its excerpt (the page marks it).
    value_names: Optional[tuple[str, str]] = None
    about_year: bool = False
    # Also for the page only, so a rule pack's rule of the same kind shows the same whatever its
    # id: what the finding sets its numbers against ("last_year": last year's report; "table":
    # a sentence of the text against the tables), and whether it names the one cell to correct
    # (its table, row and column, with `expected` the value to write there).
    compared_with: Optional[str] = None
    fixes_cell: bool = False

    @property
    def location(self) -> str:
        """Where to look, in words: the page for paged files (their line numbers run on over
        pages and mean little to a reader), else the line."""
        if self.page is not None:
            return f"第 {self.page} 页"
        return f"第 {self.line} 行" if self.line is not None else ""

    @property
    def fingerprint(self) -> str:
        # asked several times per finding (page, JSON, CSV, suppressions); worked out once per
        # distinct basis, so a finding changed after its first fingerprint still gets its own
        return _fingerprint(self.rule, self.table, self.row, self.column, self.excerpt, self.key)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "status": self.status,
            "message": self.message,
            "table": self.table,
            "row": self.row,
            "column": self.column,
            "line": self.line,
            "page": self.page,
            "excerpt": self.excerpt,
            "expected": json_number(self.expected),
            "actual": json_number(self.actual),
            "cells": [list(c) for c in self.cells],
            "fingerprint": self.fingerprint,
            "suppressed": self.suppressed.to_dict() if self.suppressed else None,
            "explained_by": self.explained_by,
            **({"evidence": [{"this_year": a, "last_year": b, "share": c} for a, b, c in self.evidence]}
               if self.evidence else {}),
            **({"ocr": [dict(item) for item in self.ocr]} if self.ocr else {}),
        }


def json_number(value: Optional[float]) -> Union[int, float, None]:
    if value is None:
        return None
    try:
        number = float(value)  # also numpy's floats; math.isnan is far cheaper than pd.isna
    except TypeError:
        import pandas as pd  # only pandas' own values get here, so it is loaded already

        if pd.isna(value):  # pandas' NA
            return None
        raise
    if math.isnan(number):
        return None
    return int(number) if number.is_integer() else round(number, 6)


@dataclass
class AuditResult:
    """Everything known about one input file after the audit (or why it failed)."""

    path: str
    format: Optional[str]
    sha256: Optional[str]
    report: Optional[Report]
    findings: list[Finding]
    error: Optional[str] = None

    @property
    def summary(self) -> dict[str, int]:
        """Findings per severity; suppressed findings do not count (see `suppressed`), nor do
        findings a pinpoint explains (the pinpoint counts for them, see `explained`)."""
        counts = {s: 0 for s in SEVERITIES}
        for f in self.findings:
            if f.suppressed is None and f.explained_by is None:
                counts[f.severity] += 1
        return counts

    @property
    def explained(self) -> int:
        """Findings counted under the pinpoint that explains them (not suppressed ones)."""
        return sum(f.explained_by is not None and f.suppressed is None for f in self.findings)

    @property
    def suppressed(self) -> int:
        return sum(f.suppressed is not None for f in self.findings)
