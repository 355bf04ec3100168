"""Rule cases as data: the examples in each rule's documentation and tests/rule_cases/*.toml.

A case is a clean generated report with edits (auditor/rule_examples.py), or a real file. It
passes when the rule says nothing about it (verdict "pass") or fires as stated ("fail").
The same edit vocabulary is what `auditor explain` shows, so the docs cannot drift.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from auditor.rule_examples import example_text
from tests.support.reportgen import TEXT_LAYOUTS as LAYOUTS, make_report, render

from tests.support.paths import ROOT, TESTS

CASES_DIR = TESTS / "rule_cases"

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
    """The case's report: the generated report with its edits, as `auditor rules --test` makes
    a rule's examples (the tests' generator also writes the web layouts)."""
    return example_text(case.edits, template, layout, year=case.data.get("year"), make=make_report, render=render)


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
