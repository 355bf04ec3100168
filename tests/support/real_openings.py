"""The real report openings (tests/fixtures/real-openings, a copy of shared/corpus/real-openings):
loading them as a user's file would be, and accounting for every number their tables print.

Used by tests/corpora/test_real_openings.py and by `python -m tests.support.real_openings`, which prints the
figures the README quotes (recognised, year right, numbers read)."""
from __future__ import annotations

import json
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import regex as re

from tests.support.paths import TESTS as HERE
OPENINGS = HERE / "fixtures" / "real-openings"

# A line that starts a table zone: labels that only the statistical tables print.
_TABLE_MARK = re.compile(r"第二十条|信息内容|申请人情况|本年新收|勾稽关系|结果维持|上一年项目数量|本年制发件数")
_BRACKETED = re.compile(r"[（(][^（）()]*(?:[)）]|$)")  # a hint, closed or left open where a line or the text stops
# Numbers that are part of a label or a date, not a cell: "第二十条", "1.属于", "2019年", "如 -8".
_NUMBERING = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|\d{1,2}\s*[.、．](?!\d))")
_NOT_A_CELL = re.compile(r"第\s*\d+|\d+\s*[年月日号条项款%％]")
_FIELD_SPLIT = re.compile(r"\s*(?:\||\t|\s{2,})\s*")
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
_PROSE = re.compile(r"[。；;]|\p{Han}[，,]\p{Han}")


@dataclass
class Opening:
    name: str
    text: str  # as a user's file holds it: the two "# " lines of the copy removed
    first_line: int  # line number in `text` of the copy's first content line (always 1)
    expected: dict

    def write(self, folder: Path) -> Path:
        path = folder / self.name
        path.write_text(self.text, encoding="utf-8")
        return path


def openings() -> list[Opening]:
    expected = json.loads((OPENINGS / "expected.json").read_text(encoding="utf-8"))
    found = []
    for name, facts in sorted(expected.items()):
        lines = (OPENINGS / name).read_text(encoding="utf-8").splitlines(keepends=True)
        while lines and lines[0].startswith("# "):
            lines.pop(0)
        found.append(Opening(name, "".join(lines), 1, facts))
    return found


def visible_numbers(text: str) -> dict[int, int]:
    """Line number → how many table numbers the line shows (a run-together "规章000" counts
    as at least one). Prose, bracketed hints, numbering and dates are not cells."""
    counts: dict[int, int] = {}
    in_tables = False
    for number, line in enumerate(text.splitlines(), start=1):
        in_tables = in_tables or bool(_TABLE_MARK.search(line))
        if not in_tables or _PROSE.search(line):
            continue
        bare = _NOT_A_CELL.sub("", _NUMBERING.sub("", _BRACKETED.sub("", line)))
        seen = 0
        for part in _FIELD_SPLIT.split(bare.strip()):
            if _NUMBER.fullmatch(part):
                seen += 1
            elif _NUMBER.search(part):
                seen += 1  # digits run together with a label or with each other
        if seen:
            counts[number] = seen
    return counts


# A real organisation's name ends so; a whole government's report may name the place alone.
_ORG_END = re.compile(r"(?:局|委|委员会|办|办公室|办公厅|政府|街道|街道办事处|办事处|乡|镇|室|院|中心|部|署|厅|会|所|站|处|队|省|市|区|县|州|旗)$")
_NOT_A_NAME_START = re.compile(r"^(?:我|本|全|在|各|对|由|按|经|该|Page)")


def _common_run(a: str, b: str) -> int:
    best = 0
    for i in range(len(a)):
        for j in range(i + best + 1, len(a) + 1):
            if a[i:j] not in b:
                break
            best = j - i
    return best


def agency_fits(agency: str, expected: str) -> bool:
    """An organisation's name (not a sentence fragment) that shares its core with the name a
    reader found by hand ("川主乡" for "大竹县川主乡")."""
    core = re.sub(r"[\s()（）]|某|lzq\.gov\.cn", "", expected)
    return (bool(_ORG_END.search(agency)) and not _NOT_A_NAME_START.search(agency)
            and _common_run(agency, core) >= min(3, len(agency)))


@dataclass
class Accounting:
    visible: int = 0
    read: int = 0
    unread: int = 0
    lost_lines: list[int] = field(default_factory=list)

    @property
    def lost(self) -> int:
        return len(self.lost_lines)


def account(result, text: str) -> Accounting:
    """Every visible table number is either a read cell whose provenance is its line, or
    recorded as unread on that line (READ-UNREAD-CELLS)."""
    visible = visible_numbers(text)
    read: dict[int, int] = {}
    unread: dict[int, int] = {}
    report = result.report
    if report is not None:
        for table in report.tables.values():
            for key, source in table.sources.items():
                if table.numbers.get(key) is not None and source.line is not None:
                    read[source.line] = read.get(source.line, 0) + 1
            for u in table.unread:
                if u.source.line is not None:
                    unread[u.source.line] = unread.get(u.source.line, 0) + u.count
    acc = Accounting(visible=sum(visible.values()))
    for line, n in visible.items():
        got, missed = read.get(line, 0), unread.get(line, 0)
        acc.read += min(n, got)
        acc.unread += min(n - min(n, got), missed)
        if got + missed == 0:
            acc.lost_lines.append(line)
    return acc


# ---------------------------------------------------------------- stale years set into real prose

# A sentence that opens with a year, after an optional run-in subheading ("（一）主动公开方面2024年，…").
_SENTENCE_END = re.compile(r"[。！？!?\n]")
_RUN_IN = re.compile(r"^\s*(?:[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、)[^，,。；;：:]{0,30}$")
# What the year is followed by when it is not this year's work: a date, a span, "以来", a title.
_NOT_WORK_AFTER = re.compile(r"^\s*(?:年度?)\s*(?:\d{1,2}\s*月|以来|至|起|[-－—~～]|底|末|初|上半年|下半年|政府信息公开|政务公开工作年度)")
_WORK_AFTER = re.compile(r"^\s*年度?\s*[，,]?\s*\p{Han}")  # words follow: not a date line or a page's header
_NOT_WORK_SENTENCE = re.compile(r"统计期限|统计时限|统计周期|统计起止|年度报告|年报|工作要点")


def year_sites(text: str, year: int) -> list[int]:
    """Offsets in `text` of the report year where it opens a sentence on this year's work
    ("2019年我乡按照《条例》……", "2020年，我处主动公开……"), outside section 五 (where last
    year's year is legitimate). Found from the text alone, not by the auditor: these are the
    places where a stale year (set back by one) must be reported."""
    sites = []
    section = ""
    start = 0
    for m in _SENTENCE_END.finditer(text + "\n"):
        sentence = text[start:m.start()]
        offset = start
        start = m.end()
        heading = re.match(r"^\s*([一二三四五六])、", sentence)
        if heading and len(sentence.strip()) <= 40:
            section = heading.group(1)
        if section == "五" or _NOT_WORK_SENTENCE.search(sentence):
            continue
        for y in re.finditer(rf"(?<![\d〔\[【(（]){year}(?=\s*年)", sentence):
            if _RUN_IN.match(sentence[:y.start()]) or not sentence[:y.start()].strip():
                if not _NOT_WORK_AFTER.match(sentence[y.end():]) and _WORK_AFTER.match(sentence[y.end():]):
                    sites.append(offset + y.start())
            break  # only the sentence's first year can open it
    return sites


def year_stated_elsewhere(text: str, year: int) -> bool:
    """Does the text name its year in a title or a 统计期限 (not only in the sentences that open
    with it)? When it does not, a year set back in the one sentence that names it cannot be
    told from the report's year: no reader could flag it."""
    return any(str(year) in sentence and _NOT_WORK_SENTENCE.search(sentence)
               for sentence in _SENTENCE_END.split(text))


def set_back(text: str, site: int) -> str:
    """The text with the year at `site` set back by one."""
    year = int(text[site:site + 4])
    return text[:site] + str(year - 1) + text[site + 4:]


def sentence_at(text: str, site: int) -> str:
    """The sentence holding `site`, from the year on (what a finding's excerpt must contain)."""
    end = _SENTENCE_END.search(text, site)
    return text[site:end.start() if end else len(text)]


# ---------------------------------------------------------------- the "real prose" figures

FINDINGS_FILE = HERE / "fixtures" / "real-openings-findings.toml"


def must_report() -> dict[str, list[str]]:
    """File → the rules that must report its genuine (❗) defects."""
    import tomllib

    return tomllib.loads(FINDINGS_FILE.read_text(encoding="utf-8"))["must_report"]


def _compact(text: str) -> str:
    return "".join(text.split())


def prose_figures(rules=None) -> dict:
    """Stale-year recall on the real openings with one opening year set back by one (each site
    on its own), false YEAR-BODY alarms on the untouched openings, and the ❗ defects reported
    with the ⚠ traps (any other error) counted."""
    from auditor import audit_file

    found = sites = undecidable = 0
    false_years: list[str] = []
    misses: list[str] = []
    defects = defects_found = 0
    traps: list[str] = []
    wanted = must_report()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)

        def audit(name: str, text: str):
            path = folder / name
            path.write_text(text, encoding="utf-8")
            return audit_file(path, rules) if rules is not None else audit_file(path)

        for o in openings():
            year = o.expected["year"]
            result = audit(o.name, o.text)
            false_years += [f"{o.name}: {f.excerpt[:40]}" for f in result.findings if f.rule == "YEAR-BODY"]
            reported = {f.rule for f in result.findings if f.severity in ("error", "warning")}
            must = wanted.get(o.name, [])
            defects += len(must)
            defects_found += len(set(must) & reported)
            traps += [f"{o.name}: {f.rule}" for f in result.findings if f.severity == "error" and f.rule not in must]
            for site in year_sites(o.text, year):
                changed = set_back(o.text, site)
                if not year_stated_elsewhere(changed, year):
                    undecidable += 1
                    continue
                sites += 1
                start = _compact(sentence_at(changed, site))[:12]
                hit = any(f.rule == "YEAR-BODY" and start in _compact(f.excerpt or "")
                          for f in audit(o.name, changed).findings)
                found += hit
                if not hit:
                    misses.append(f"{o.name}: {sentence_at(changed, site)[:40]}")
    return {"stale_year_sites": sites, "stale_year_found": found,
            "stale_year_recall": round(found / sites, 4) if sites else None,
            "stale_year_undecidable": undecidable, "stale_year_misses": misses,
            "false_year_alarms": len(false_years), "false_year_examples": false_years[:5],
            "defects": defects, "defects_found": defects_found,
            "defects_share": round(defects_found / defects, 4) if defects else None,
            "traps_as_errors": len(traps), "trap_examples": traps[:5]}


def print_prose(figures: dict) -> None:
    print(f"真实报告开头的正文：句首年份改早一年 {figures['stale_year_sites']} 处（另有 {figures['stale_year_undecidable']} 处"
          f"全文别处没有写明年度，无法判断），YEAR-BODY 报出 {figures['stale_year_found']} 处"
          f"（{100 * (figures['stale_year_recall'] or 0):.1f}%）；未改动的开头上 YEAR-BODY 误报 {figures['false_year_alarms']} 条；"
          f"人工发现的问题（❗）报出 {figures['defects_found']}/{figures['defects']}；陷阱（⚠）报为错误 {figures['traps_as_errors']} 条")
    for line in figures["stale_year_misses"][:5] + figures["false_year_examples"] + figures["trap_examples"]:
        print("  ", line)


def _main(argv: list[str]) -> int:
    from auditor import audit_file

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for o in openings():
            result = audit_file(o.write(Path(tmp)))
            rep = result.report
            acc = account(result, o.text)
            year: Optional[int] = rep.year if rep else None
            errors = sorted({f.rule for f in result.findings if f.severity == "error"})
            rows.append((o, result, acc, year, errors))
            print(f"{o.name:42} {'识别' if result.error is None else '拒绝'} 年度 {year}/{o.expected['year']} "
                  f"机关 {rep.agency if rep else None!s:14} 数字 {acc.visible:3} 读 {acc.read:3} 未读记录 {acc.unread:3} "
                  f"丢失行 {acc.lost_lines} 错误 {errors}")
    n = len(rows)
    recognised = sum(r[1].error is None for r in rows)
    years = sum(r[3] == r[0].expected["year"] for r in rows)
    visible = sum(r[2].visible for r in rows)
    read = sum(r[2].read for r in rows)
    unread = sum(r[2].unread for r in rows)
    agencies = [r[1].report.agency for r in rows if r[1].report is not None]
    named = [(a, r[0].expected["agency"]) for a, r in zip(agencies, rows) if a]
    fits = sum(agency_fits(a, e) for a, e in named)
    print(f"\n{n} 份：识别 {recognised}/{n}，年度正确 {years}/{n}；机关名称给出 {len(named)} 份（其中是机关名且与人工"
          f"核对相符 {fits} 份），其余为空；表格中可见数字 {visible} 个，读入 {read}，报告为未读 {unread}，"
          f"丢失 {visible - read - unread}")
    print_prose(prose_figures())
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
