"""A rule's documented examples, run: each [[doc.examples]] entry is a clean generated report
(auditor/sample_report.py) with the example's edits, audited with the catalogue; the example
passes when the rule says nothing about it (verdict "pass") or fails it as the example says
("fail", with `message` in the finding when given). `auditor rules --test DIR` runs a local
rule pack's examples this way, and the tests run the built-in catalogue's.

The edit vocabulary (catalogue.EDIT_KEYS) is what `auditor explain` describes in words.
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional

from .engine import Rule
from .model import Finding
from .pipeline import audit_file
from .sample_report import SampleReport, render as render_sample, sample_report

SEED = 7  # the examples' generated report: sample_report(template, seed=SEED)
_COLUMNS = ["np", "biz", "sci", "pub", "law", "oth", "tot"]


class ExampleError(ValueError):
    """An example's edit cannot be made on the generated report (the message says why, in Chinese)."""


# ---------------------------------------------------------------- building the report


def example_text(edits: dict[str, Any], template: str, layout: str = "cells", year: Optional[int] = None,
                 make: Callable[..., SampleReport] = sample_report,
                 render: Callable[[SampleReport, str], str] = render_sample) -> str:
    """The text of the generated report of the format with the edits made (make and render:
    another generator of the same reports, as the tests' one that also writes web layouts)."""
    rep = make(template, year=year, seed=SEED)
    _apply_model_edits(rep, edits)
    return _apply_text_edits(render(rep, layout), rep, edits, layout)


def _apply_model_edits(rep: SampleReport, edits: dict[str, Any]) -> None:
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


def _set_cell(rep: SampleReport, key: str, value: Any) -> None:
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
    raise ExampleError(f"set 中的 {key!r} 不是单元格（应为 t3.行.列、t4.栏.列 或 t2.块.行.列）")


def _apply_text_edits(text: str, rep: SampleReport, edits: dict[str, Any], layout: str) -> str:
    for old, new in edits.get("replace", []):
        if old not in text:
            raise ExampleError(f"replace 中的原文“{old}”不在生成的报告中（可用 auditor explain 查看例子所用的报告）")
        text = text.replace(old, new)
    section = edits.get("section", "s1")
    if "sentence" in edits and section != "s1":
        text = _insert_after_heading(text, rep, section, edits["sentence"])
    if "subtotals" in edits:
        text = _with_subtotals(text, rep, edits["subtotals"], layout)
    if "cut_after" in edits:
        text = text[:_find(text, edits["cut_after"], "cut_after") + len(edits["cut_after"])] + "\n"
    if "keep_from" in edits:
        text = text[_find(text, edits["keep_from"], "keep_from"):]  # a copy that starts there
    if edits.get("one_line"):  # a web page copied as one line
        text = " ".join(line.strip() for line in text.split("\n") if line.strip()) + "\n"
    return text


def _find(text: str, part: str, key: str) -> int:
    at = text.find(part)
    if at < 0:
        raise ExampleError(f"{key} 中的“{part}”不在生成的报告中")
    return at


def _insert_after_heading(text: str, rep: SampleReport, section: str, sentence: str) -> str:
    spec = next(s for s in rep.spec.sections if s["id"] == section)
    heading = f"{spec['no']}、{spec['title']}\n"
    if heading not in text:
        raise ExampleError(f"section = {section!r}：生成的报告中没有这一部分的标题（是否同时用 drop_sections 删去了它？）")
    return text.replace(heading, heading + sentence + "\n", 1)


def _with_subtotals(text: str, rep: SampleReport, subtotals: dict[str, Any], layout: str) -> str:
    """Print a subtotal row for each group named in `subtotals` ("deny.np" = "+1": its 自然人
    value off by one; a group named with no change is printed correct)."""
    spec = rep.spec
    groups = dict.fromkeys(k.split(".")[0] for k in subtotals)
    lines = text.split("\n")
    for group in groups:
        items = spec.t3_group_items[group]
        values = [sum(int(rep.t3[i][c]) for i in items) for c in _COLUMNS]
        for key, change in subtotals.items():
            g, _, col = key.partition(".")
            if g == group and col:
                values[_COLUMNS.index(col)] = _new_value(values[_COLUMNS.index(col)], change)
        label = spec.t3_groups[group]
        first = spec.t3_rows[items[0]]
        starts = {"cells": first, "tabs": first + "\t", "markdown": f"| {first} |"}
        if layout not in starts:
            raise ExampleError(f"subtotals：版式 {layout} 中不能印小计行")
        at = next(i for i, ln in enumerate(lines) if ln == first or (layout != "cells" and ln.startswith(starts[layout])))
        if layout == "cells":
            lines[at:at] = [str(v) for v in values]  # after the group name, which the layout prints first
        elif layout == "tabs":
            lines[at:at] = ["\t".join([label, *map(str, values)])]
        else:
            lines[at:at] = ["| " + " | ".join([label, *map(str, values)]) + " |"]
    return "\n".join(lines)


# ---------------------------------------------------------------- judging


def judge(rule_id: str, verdict: str, findings: list[Finding], message: Optional[str] = None) -> Optional[str]:
    """None when the rule's findings agree with the verdict, else what went wrong, in Chinese."""
    mine = [f for f in findings if f.rule == rule_id]
    if verdict == "pass":
        return None if not mine else "应当通过，却得到审查意见：" + "；".join(f.message for f in mine)
    hits = [f for f in mine if f.status == "fail" and (message is None or message in f.message)]
    if hits:
        return None
    wanted = f"包含“{message}”的" if message else ""
    got = "；".join(f.message for f in mine) if mine else "本规则没有审查意见"
    return f"应当不通过并给出{wanted}审查意见，实际：{got}"


@dataclass(frozen=True)
class ExampleRun:
    rule: Rule
    number: int  # 1-based, in the rule's [[doc.examples]]
    says: str
    verdict: str
    problem: Optional[str]  # None: the example behaves as documented
    runnable: bool = True


def run_examples(rules: list[Rule], catalogue: list[Rule]) -> list[ExampleRun]:
    """Each runnable example of the rules, audited with the whole catalogue (a rule's findings
    may depend on others', e.g. pinpointing), as a text file in the cells layout."""
    runs = []
    with tempfile.TemporaryDirectory() as folder:
        for rule in rules:
            for number, example in enumerate(rule.doc.examples, start=1):
                if not example.runnable:
                    runs.append(ExampleRun(rule, number, example.says, example.verdict, None, runnable=False))
                    continue
                try:
                    text = example_text(example.edits, example.template, year=example.edits.get("year"))
                except ExampleError as exc:
                    runs.append(ExampleRun(rule, number, example.says, example.verdict, f"例子无法生成：{exc}"))
                    continue
                path = Path(folder) / f"{rule.id}-{number}.txt"
                path.write_text(text, encoding="utf-8")
                result = audit_file(path, catalogue)
                problem = result.error or judge(rule.id, example.verdict, result.findings, example.message)
                runs.append(ExampleRun(rule, number, example.says, example.verdict, problem))
    return runs
