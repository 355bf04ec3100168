"""The supervising office's checks: they need what the office knows besides the report (its
roster, publication dates, local deadlines) or the whole batch.

Per report (added after the report's own rules, in the main process): PUB-DEADLINE and
META-UNIT-NAME. Per batch (about the roster, not one report): BATCH-ROSTER-MISSING,
BATCH-DUP-UNIT-YEAR and ROLLUP-SUM; these are BatchFindings, written to the batch outputs.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Callable, Iterable, Optional

import regex as re

from ...year_record import agency_key
from ...filemeta import file_date
from ...labels import number_words, table_short_title
from ...model import AuditResult, Finding
from ...roster import Roster, Unit
from ...spec import resolved_spec
from ..kind import BATCH, OFFICE, Param, kind

CATEGORY_NAMES = {"department": "部门", "government": "政府", "township": "乡镇"}
STATUTE = {  # 条例第四十九条
    "department": "《政府信息公开条例》第四十九条（县级以上人民政府部门每年1月31日前）",
    "government": "《政府信息公开条例》第四十九条（县级以上地方人民政府的年度报告每年3月31日前）",
}


@dataclass
class OfficeContext:
    """What the office knows besides the reports."""

    roster: Optional[Roster] = None
    published: Optional[dt.date] = None  # --published: one date for the files of this run
    deadlines: dict[str, tuple[int, int]] = field(default_factory=dict)  # level, unit or 部门/政府/乡镇 → (month, day)
    review_year: Optional[int] = None  # the report year under review (--year, else the commonest in the batch)

    def in_rollup(self, unit: Unit) -> bool:
        """The unit is a 汇总 unit or a child of one (its tables are compared)."""
        if self.roster is None:
            return False
        if unit.rollup:
            return True
        parent = self.roster.unit(unit.parent or "")
        return parent is not None and parent.rollup

    def unit_of(self, result: AuditResult) -> Optional[Unit]:
        report = result.report
        if self.roster is None or report is None:
            return None
        return self.roster.match(report.agency, report.title, result.path)


def _file(path: str) -> str:
    return PurePath(path.replace("\\", "/")).name


def _day(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


# ---------------------------------------------------------------- levels and deadlines


def category_of_level(level: str) -> Optional[str]:
    if re.search(r"乡|镇|街道|苏木", level):
        return "township"
    if "部门" in level or re.search(r"(?:局|委|办|厅|中心)$", level):
        return "department"
    if re.search(r"政府|省级|市级|县级|区级|州级", level):
        return "government"
    return None


def category_of_agency(agency: Optional[str]) -> Optional[str]:
    name = "".join((agency or "").split())
    if not name:
        return None
    if re.search(r"(?:乡|镇|苏木)人民政府$|街道办事处$|(?:乡|镇|街道)$", name):
        return "township"
    if name.endswith("人民政府"):
        return "government"
    return "department"


def deadline_for(year: int, unit: Optional[Unit], agency: Optional[str], context: OfficeContext,
                 rule) -> Optional[tuple[dt.date, str]]:
    """The publication deadline of a report for `year`, and where it comes from (for messages)."""
    category = category_of_level(unit.level) if unit else category_of_agency(agency)
    names = [(unit.name, "本单位"), (unit.level, f"层级“{unit.level}”")] if unit else []
    if category:
        names.append((CATEGORY_NAMES[category], f"{CATEGORY_NAMES[category]}"))
    for name, label in names:
        if name in context.deadlines:
            month, day = context.deadlines[name]
            return dt.date(year + 1, month, day), f"本地规定（配置文件 deadlines 中{label}）的 {month}月{day}日"
    default = rule.params.get(category or "")
    if not default:
        return None  # a township or an unknown level: no statutory date, none configured
    month, day = (int(x) for x in str(default).split("-"))
    return dt.date(year + 1, month, day), STATUTE.get(category, f"{month}月{day}日")


def publication_evidence(result: AuditResult, unit: Optional[Unit], context: OfficeContext,
                         read_file_date: Callable = file_date) -> Optional[tuple[dt.date, str, bool]]:
    """The strongest evidence of when the report was published: (date, what it is, direct?)."""
    report = result.report
    if context.published is not None:
        return context.published, "命令行 --published 给出的发布日期", True
    if unit is not None and unit.published is not None and report.year is not None \
            and unit.published.year == report.year + 1:  # the roster's date is this year's publication
        return unit.published, f"名册第 {unit.line} 行的发布日期", True
    if report.signoff is not None:
        try:
            signed = dt.date(report.signoff.year, report.signoff.month, report.signoff.day)
        except ValueError:
            signed = None
        if signed is not None:
            return signed, f"报告的落款日期“{report.signoff.text}”", False
    found = read_file_date(result.path)
    if found is not None:
        return found.date, found.what, False
    return None


def deadline_params_problem(params: dict, formats: tuple[str, ...]) -> Optional[str]:
    """The statutory deadlines are "MM-DD" dates (read for every report: a bad one fails at load)."""
    for key, value in params.items():
        month, _, day = value.partition("-")
        try:
            dt.date(2001, int(month), int(day))
        except ValueError:
            return f"params.{key} 应为“月-日”，如 \"01-31\"，而不是 {value!r}"
    return None


@kind("publication_deadline",
      scope=OFFICE,
      params={"department": Param(str), "government": Param(str)},
      fields=("basis", "date", "days", "deadline", "evidence", "year"), validate=deadline_params_problem)
def check_publication(result: AuditResult, context: OfficeContext, rule) -> list[Finding]:
    """PUB-DEADLINE: published (or signed, or the file made) after the deadline."""
    report = result.report
    if report is None or report.year is None:
        return []
    unit = context.unit_of(result)
    deadline = deadline_for(report.year, unit, report.agency, context, rule)
    if deadline is None:
        return []
    due, basis = deadline
    evidence = publication_evidence(result, unit, context)
    if evidence is None:
        return []
    when, what, direct = evidence
    if when <= due:
        return []
    late = (when - due).days
    message = rule.render(evidence=what, date=_day(when), deadline=_day(due), basis=basis, days=late, year=report.year)
    if not direct:
        message += "（这是间接证据：如有实际发布日期，请在名册“发布日期”列或用 --published 给出）"
    signoff = report.signoff
    return [Finding(rule.id, rule.severity if direct else "warning", "fail", message,
                    line=signoff.line if signoff and not direct else None, page=signoff.page if signoff and not direct else None,
                    key=f"pub:{report.year}")]


# ---------------------------------------------------------------- META-UNIT-NAME


def _agree(a: str, b: str) -> bool:
    ka, kb = agency_key(a), agency_key(b)
    if ka == kb:
        return True
    short, long = sorted((ka, kb), key=len)
    return len(short) >= 4 and long.endswith(short)


@kind("unit_name", scope=OFFICE, fields=("names",))
def check_unit_name(result: AuditResult, context: OfficeContext, rule) -> list[Finding]:
    """The title, the sign-off and the roster name one unit."""
    report = result.report
    if report is None:
        return []
    names = {"标题": report.named_by.get("title"), "落款": report.named_by.get("signoff")}
    unit = context.unit_of(result)
    if unit is not None:
        names["名册"] = unit.name
    given = {where: name for where, name in names.items() if name}
    if len(given) < 2:
        return []
    pairs = [(a, b) for i, a in enumerate(given) for b in list(given)[i + 1:] if not _agree(given[a], given[b])]
    if not pairs:
        return []
    listed = "，".join(f"{where}为“{name}”" for where, name in given.items())
    return [Finding(rule.id, rule.severity, "fail", rule.render(names=listed), excerpt=None,
                    key="name:" + "|".join(f"{w}={n}" for w, n in given.items()))]


# ---------------------------------------------------------------- the batch


@dataclass
class Submission:
    """What the batch keeps of one report for the roster checks (a few hundred numbers)."""

    path: str
    unit: Optional[str]  # the roster unit it matched, else None
    key: str  # the unit's or the agency's normalised name; "" when neither is known
    agency: Optional[str]
    year: Optional[int]
    sha256: Optional[str]
    t3: dict[tuple[str, str], Optional[float]] = field(default_factory=dict)
    t4: dict[tuple[str, str], Optional[float]] = field(default_factory=dict)
    template: Optional[str] = None


def submission(result: AuditResult, context: OfficeContext) -> Submission:
    report = result.report
    if report is None or result.error:
        return Submission(result.path, None, "", None, None, result.sha256)
    unit = context.unit_of(result)
    # The tables are kept only where a roll-up needs them: memory stays flat over large batches.
    keep = unit is not None and context.in_rollup(unit)
    tables = {tid: dict(report.tables[tid].numbers) if keep and tid in report.tables else {} for tid in ("t3", "t4")}
    key = unit.key if unit else agency_key(report.agency or "")
    return Submission(result.path, unit.name if unit else None, key, report.agency, report.year, result.sha256,
                      tables["t3"], tables["t4"], report.template)


@dataclass
class BatchFinding:
    rule: str
    severity: str
    status: str  # fail | uncertain
    message: str
    unit: Optional[str] = None
    year: Optional[int] = None
    files: list[str] = field(default_factory=list)

    @property
    def fingerprint(self) -> str:
        basis = f"{self.rule}|{self.unit}|{self.year}|{'|'.join(sorted(_file(f) for f in self.files))}"
        return hashlib.sha1(basis.encode("utf-8")).hexdigest()[:16]

    def to_dict(self) -> dict:
        return {"rule": self.rule, "severity": self.severity, "status": self.status, "message": self.message,
                "unit": self.unit, "year": self.year, "files": self.files, "fingerprint": self.fingerprint}


@kind("roster_missing", scope=BATCH, fields=("level", "line", "unit", "year"),
      doc="Every unit of the office's roster has a report of the year under review in the batch.")
def check_roster_missing(subs: Iterable[Submission], context: OfficeContext, rule) -> list[BatchFinding]:
    if context.roster is None or context.review_year is None:
        return []
    have = {s.unit for s in subs if s.year == context.review_year and s.unit}
    return [BatchFinding(rule.id, rule.severity, "fail",
                         rule.render(unit=u.name, level=u.level, line=u.line, year=context.review_year), u.name,
                         context.review_year)
            for u in context.roster.units if u.name not in have]


@kind("duplicate_unit_year", scope=BATCH, fields=("count", "files", "kind", "unit", "year"),
      doc="A unit hands in one report per year: two files of one unit and year are named.")
def check_duplicates(subs: Iterable[Submission], context: OfficeContext, rule) -> list[BatchFinding]:
    # Two passes, so that a batch of thousands is not held at once: how many reports share each
    # unit and year (by a hash of the pair), then the reports whose pair may be shared.
    shared = Counter(hash(_unit_year(s)) for s in subs if _unit_year(s))
    groups: dict[tuple[str, int], list[Submission]] = {}
    for s in subs:
        pair = _unit_year(s)
        if pair and shared[hash(pair)] > 1:
            groups.setdefault(pair, []).append(s)
    out = []
    for (key, year), group in sorted(groups.items()):
        if len(group) < 2:  # another pair of the same hash
            continue
        name = group[0].unit or group[0].agency or key
        same = len({s.sha256 for s in group}) == 1
        kind = "内容完全相同（重复提交）" if same else "内容不同（不同版本），请确认以哪一份为准并撤下其余版本"
        files = "、".join(_file(s.path) for s in group)
        out.append(BatchFinding(rule.id, rule.severity, "fail", rule.render(unit=name, year=year, count=len(group),
                                                                            files=files, kind=kind),
                                name, year, [s.path for s in group]))
    return out


def _unit_year(s: Submission) -> Optional[tuple[str, int]]:
    return (s.key, s.year) if s.key and s.year is not None else None


def _number(v: Optional[float]) -> Optional[float]:
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else v


@kind("rollup_sum", scope=BATCH, fields=("cells", "children", "count", "unit", "year"))
def check_rollup(subs: Iterable[Submission], context: OfficeContext, rule) -> list[BatchFinding]:
    """ROLLUP-SUM: a 汇总 report's 表三/表四 equal the sums of its children's."""
    if context.roster is None:
        return []
    out = []
    rollups = [u for u in context.roster.units if u.rollup]
    # only the reports of roll-up units and their children are kept (they carry their tables)
    concerned = {u.name for u in rollups} | {c.name for u in rollups for c in context.roster.children(u)}
    by_unit_year = {(s.unit, s.year): s for s in subs if s.unit in concerned}
    for unit in rollups:
        for year in sorted({y for u, y in by_unit_year if u == unit.name and y is not None}):
            own = by_unit_year[(unit.name, year)]
            children = context.roster.children(unit)
            if not children:
                continue
            missing = [c.name for c in children if (c.name, year) not in by_unit_year]
            if missing:
                message = (f"{unit.name} {year} 年度报告是汇总报告，但下级单位 {'、'.join(missing)} 没有本年度报告，"
                           "无法核对表三、表四是否等于各下级之和。请补齐下级单位的报告后再核对。")
                out.append(BatchFinding(rule.id, rule.severity, "uncertain", message, unit.name, year, [own.path]))
                continue
            kids = [by_unit_year[(c.name, year)] for c in children]
            diffs = _rollup_differences(own, kids)
            if diffs:
                shown = "；".join(diffs[:6]) + (f"；另有 {len(diffs) - 6} 处" if len(diffs) > 6 else "")
                out.append(BatchFinding(rule.id, rule.severity, "fail",
                                        rule.render(unit=unit.name, year=year, children="、".join(c.name for c in children),
                                                    count=len(diffs), cells=shown),
                                        unit.name, year, [own.path] + [k.path for k in kids]))
    return out


def _rollup_differences(own: Submission, kids: list[Submission]) -> list[str]:
    spec = resolved_spec(own.template)
    labels = {"t3": (spec.t3_rows, spec.t3_columns), "t4": (spec.t4_blocks, spec.t4_columns)}
    diffs = []
    for table, (rows, columns) in labels.items():
        name = table_short_title(table)
        cells = getattr(own, table)
        for row, col in ((r, c) for r in rows for c in columns if (r, c) in cells):  # in the table's order
            value = _number(cells[(row, col)])
            parts = [_number(getattr(k, table).get((row, col))) for k in kids]
            if value is None or any(p is None for p in parts):
                continue
            total = sum(parts)
            if abs(total - value) > 1e-9:
                diffs.append(f"{name}“{rows[row]}”行“{columns[col]}”列：本报告 {number_words(value)}，下级合计 {number_words(total)}")
    return diffs

