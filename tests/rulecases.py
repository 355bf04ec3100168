"""Rule cases as data: the examples in each rule's documentation and tests/rule_cases/*.toml.

A case is a clean generated report (tests/reportgen.py) with edits, or a real file. It
passes when the rule says nothing about it (verdict "pass") or fires as stated ("fail").
The same edit vocabulary is what `auditor explain` shows, so the docs cannot drift.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from reportgen import TEXT_LAYOUTS as LAYOUTS, GenReport, make_report, render

ROOT = Path(__file__).resolve().parent.parent
CASES_DIR = Path(__file__).resolve().parent / "rule_cases"
SEED = 7

EDIT_KEYS = {"set", "sentence", "section", "replace", "drop_sections", "drop_rows", "drop_t4", "year",
             "title_year", "period_year", "subtotals", "cut_after", "keep_from", "one_line"}
CASE_KEYS = EDIT_KEYS | {"name", "verdict", "template", "says", "message", "file", "files", "layouts", "status",
                         "severity", "allow_warning", "runnable", "roster", "ocr"}
# Layouts in which a printed subtotal row can be placed (spaces rows carry the group name inline).
SUBTOTAL_LAYOUTS = ("cells", "tabs", "markdown")


@dataclass
class Case:
    rule: str
    name: str
    verdict: str
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def edits(self) -> dict[str, Any]:
        return {k: v for k, v in self.data.items() if k in EDIT_KEYS}

    @property
    def file(self) -> Optional[Path]:
        return ROOT / self.data["file"] if "file" in self.data else None

    @property
    def files(self) -> list[Path]:
        """A batch of real files (year-over-year rules compare reports of one agency)."""
        return [ROOT / f for f in self.data.get("files", [])]

    def layouts(self) -> tuple[str, ...]:
        if "layouts" in self.data:
            return tuple(self.data["layouts"])
        return SUBTOTAL_LAYOUTS if "subtotals" in self.data else LAYOUTS


def data_cases() -> list[Case]:
    cases = []
    for path in sorted(CASES_DIR.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        rule = path.stem
        for i, case in enumerate(data.get("case", [])):
            unknown = set(case) - CASE_KEYS
            assert not unknown, f"{path.name} case {i}: unknown keys {sorted(unknown)}"
            cases.append(Case(rule, case.get("name", f"case {i}"), case["verdict"], case))
    return cases


# ---------------------------------------------------------------- building the report


def report_text(case: Case, template: str, layout: str) -> str:
    rep = make_report(template, year=case.data.get("year"), seed=SEED)
    _apply_model_edits(rep, case.edits)
    text = render(rep, layout)
    return _apply_text_edits(text, rep, case.edits, layout)


def _apply_model_edits(rep: GenReport, edits: dict[str, Any]) -> None:
    for key, value in edits.get("set", {}).items():
        _set_cell(rep, key, value)
    for attr in ("title_year", "period_year"):
        if attr in edits:
            setattr(rep, attr, edits[attr])
    rep.drop_sections.update(edits.get("drop_sections", []))
    rep.drop_t3_rows.update(edits.get("drop_rows", []))
    rep.drop_t4 = bool(edits.get("drop_t4", False))
    if "sentence" in edits and edits.get("section", "s1") == "s1":
        rep.extra_s1.append(edits["sentence"])


def _new_value(old: Any, value: Any) -> Any:
    if isinstance(value, str) and value[:1] in "+-" and value[1:].isdigit():
        return int(old) + int(value)
    return value


def _set_cell(rep: GenReport, key: str, value: Any) -> None:
    parts = key.split(".")
    if parts[0] in ("t3", "t4"):
        cells = getattr(rep, parts[0])[parts[1]]
        cells[parts[2]] = _new_value(cells[parts[2]], value)
        return
    if parts[0] == "t2":
        block, row, col = parts[1:]
        columns = list(next(b for b in rep.spec.t2_blocks if b.id == block).columns)
        printed = rep.t2[(block, row)]
        i = columns.index(col)
        new = _new_value(printed[i], value)
        printed[i] = "" if new is None else str(new)
        return
    raise AssertionError(f"unknown cell key {key!r}")


def _apply_text_edits(text: str, rep: GenReport, edits: dict[str, Any], layout: str) -> str:
    for old, new in edits.get("replace", []):
        assert old in text, f"replace: {old!r} is not in the report"
        text = text.replace(old, new)
    section = edits.get("section", "s1")
    if "sentence" in edits and section != "s1":
        text = _insert_after_heading(text, rep, section, edits["sentence"])
    if "subtotals" in edits:
        text = _with_subtotals(text, rep, edits["subtotals"], layout)
    if "cut_after" in edits:
        text = _cut_after(text, edits["cut_after"])
    if "keep_from" in edits:
        text = _keep_from(text, edits["keep_from"])
    if edits.get("one_line"):
        text = _one_line(text)
    return text


def _keep_from(text: str, first: str) -> str:
    """The text from the first occurrence of `first` on: a copy that starts there."""
    at = text.find(first)
    assert at >= 0, f"keep_from: {first!r} is not in the report"
    return text[at:]


def _one_line(text: str) -> str:
    """The whole text on one line, its lines joined by a space: a web page copied as one line."""
    return " ".join(line.strip() for line in text.split("\n") if line.strip()) + "\n"


def _cut_after(text: str, kept: str) -> str:
    """The text up to the end of the first occurrence of `kept`: a copy cut off there."""
    at = text.find(kept)
    assert at >= 0, f"cut_after: {kept!r} is not in the report"
    return text[:at + len(kept)] + "\n"


def _insert_after_heading(text: str, rep: GenReport, section: str, sentence: str) -> str:
    spec = next(s for s in rep.spec.sections if s["id"] == section)
    heading = f"{spec['no']}、{spec['title']}\n"
    assert heading in text, f"section {section} has no heading to insert after"
    return text.replace(heading, heading + sentence + "\n", 1)


def _with_subtotals(text: str, rep: GenReport, subtotals: dict[str, Any], layout: str) -> str:
    """Print a subtotal row for each group named in `subtotals` ("deny.np" = "+1": its 自然人
    value off by one; a group named with no change is printed correct)."""
    spec = rep.spec
    cols = ["np", "biz", "sci", "pub", "law", "oth", "tot"]
    groups = dict.fromkeys(k.split(".")[0] for k in subtotals)
    lines = text.split("\n")
    for group in groups:
        items = spec.t3_group_items[group]
        values = [sum(int(rep.t3[i][c]) for i in items) for c in cols]
        for key, change in subtotals.items():
            g, _, col = key.partition(".")
            if g == group and col:
                values[cols.index(col)] = _new_value(values[cols.index(col)], change)
        label = spec.t3_groups[group]
        first = spec.t3_rows[items[0]]
        starts = {"cells": first, "tabs": first + "\t", "markdown": f"| {first} |"}
        if layout not in starts:
            raise AssertionError(f"subtotal rows are not written in layout {layout}")
        at = next(i for i, ln in enumerate(lines) if ln == first or (layout != "cells" and ln.startswith(starts[layout])))
        if layout == "cells":
            lines[at:at] = [str(v) for v in values]  # after the group name, which the layout prints first
        elif layout == "tabs":
            lines[at:at] = ["\t".join([label, *map(str, values)])]
        else:
            lines[at:at] = ["| " + " | ".join([label, *map(str, values)]) + " |"]
    return "\n".join(lines)


# ---------------------------------------------------------------- judging


def judge(case: Case, result: dict) -> Optional[str]:
    """None when the report's findings agree with the case, else why not."""
    mine = [f for f in result["findings"] if f["rule"] == case.rule]
    summary = [f"{f['status']}/{f['severity']}: {f['message']}" for f in result["findings"]]
    if case.verdict == "pass":
        bad = [f for f in mine if not (case.data.get("allow_warning") and f["severity"] != "error")]
        return f"expected no {case.rule} finding, got {summary}" if bad else None
    status = case.data.get("status", "fail")
    hits = [f for f in mine if f["status"] == status]
    if "severity" in case.data:
        hits = [f for f in hits if f["severity"] == case.data["severity"]]
    if "message" in case.data:
        hits = [f for f in hits if case.data["message"] in f["message"]]
    return None if hits else f"expected {case.rule} {status} {case.data.get('message', '')!r}, got {summary}"
