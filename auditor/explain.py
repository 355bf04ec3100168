"""`auditor explain RULE`: a rule's documentation in words, its examples' edits included.

The examples are the same data the tests run (rules/*.toml [[doc.examples]]), so what a
reader is told here is what the rule is tested to do. Edits name cells by the official
labels of templates.json, never by their ids.
"""
from __future__ import annotations

from typing import Any

from .engine.catalogue import Rule, RuleExample, is_relative
from .labels import FORMAT_SHORT_NAMES, SEVERITY_LABELS
from .engine.kind import kind_named
from .spec import FormatSpec, format_spec

VERDICT_WORDS = {"pass": "通过", "fail": "不通过"}


def explain_rule(rule: Rule) -> str:
    d = rule.doc
    formats = "、".join(FORMAT_SHORT_NAMES[str(f)] for f in rule.formats)
    lines = [f"{rule.id}：{rule.title}",
             f"级别：{SEVERITY_LABELS.get(rule.severity, rule.severity)}（{rule.severity}）    适用：{formats}"]
    if rule.path:
        lines.append(f"规则文件：{rule.path}")
    lines += [
        "",
        "检查什么", _indent(d.what), "",
        "为什么", _indent(d.why), "",
        "怎么改", _indent(d.fix),
    ]
    for verdict in ("pass", "fail"):
        examples = [e for e in d.examples if e.verdict == verdict]
        lines += ["", f"{VERDICT_WORDS[verdict]}的例子"]
        for n, example in enumerate(examples, start=1):
            lines += _example_lines(n, example, rule)
    return "\n".join(lines) + "\n"


def _indent(text: str, by: str = "  ") -> str:
    return "\n".join(by + line for line in text.strip().splitlines())


def _example_lines(n: int, example: RuleExample, rule: Rule) -> list[str]:
    if not example.runnable:  # described only: the format of a generated report does not apply
        return [f"  {n}. {VERDICT_WORDS[example.verdict]}", f"     情况：{example.says}",
                f"     （{kind_named(rule.kind).described_only}。）"]
    lines = [f"  {n}. {VERDICT_WORDS[example.verdict]} · {FORMAT_SHORT_NAMES[str(example.template)]}", f"     情况：{example.says}"]
    edits = describe_edits(example.edits, example.template)
    if edits:
        lines.append("     做法：在一份按格式填写、各项数字一致的报告上")
        lines += [f"       · {e}" for e in edits]
    else:
        lines.append("     做法：一份按格式填写、各项数字一致的报告，不作改动")
    if example.message:
        lines.append(f"     审查意见应包含：{example.message}")
    return lines


# ---------------------------------------------------------------- edits in words


def describe_edits(edits: dict[str, Any], template: str) -> list[str]:
    """Each edit of an example as one Chinese instruction, in a fixed order."""
    spec = format_spec(template)
    out: list[str] = []
    for key, value in edits.get("set", {}).items():
        out.append(f"把{cell_name(key, spec)}{_change(value)}")
    for key, value in edits.get("subtotals", {}).items():
        out.append(_subtotal(key, value, spec))
    if "year" in edits:
        out.append(f"报告年度改为 {edits['year']} 年（标题、统计期限和正文一起改）")
    if "title_year" in edits:
        out.append(f"标题中的年份改为 {edits['title_year']} 年")
    if "period_year" in edits:
        out.append(f"统计期限的年份改为 {edits['period_year']} 年")
    for sid in edits.get("drop_sections", []):
        out.append(f"删去{_section_words(sid, spec)}的标题“{_heading(sid, spec)}”（该部分的文字保留）")
    if edits.get("drop_rows"):
        rows = "、".join(f"“{_t3_row(r, spec)}”" for r in edits["drop_rows"])
        out.append(f"删去表三的 {rows} 行")
    if edits.get("drop_t4"):
        out.append("删去表四（第四部分只留标题和文字）")
    if "sentence" in edits:
        sid = edits.get("section", "s1")
        out.append(f"在{_section_words(sid, spec)}（{_title(sid, spec)}）加入：“{edits['sentence']}”")
    for old, new in edits.get("replace", []):
        out.append(f"把“{old}”改为“{new}”" if new else f"删去“{old}”")
    if "cut_after" in edits:
        out.append(f"文本在“{edits['cut_after']}”之后截断（其后的文字、表格和落款都没有）")
    if "keep_from" in edits:
        out.append(f"文本从“{edits['keep_from']}”开始（之前的标题、文字和表格都没有）")
    if edits.get("one_line"):
        out.append("全文连成一行，各行之间以空格相隔（网页复制成一行的文本）")
    return out


def _change(value: Any) -> str:
    if is_relative(value):
        amount = int(value[1:])
        return f"加 {amount}" if value[0] == "+" else f"减 {amount}"
    if value == "":
        return "留空"
    if isinstance(value, str):
        return f"填为“{value}”"
    return f"改为 {int(value) if float(value).is_integer() else value}"


def cell_name(key: str, spec: FormatSpec) -> str:
    """"t3.carried.np" → 表三“上年结转”行“自然人”列 (labels of the report's format)."""
    parts = key.split(".")
    if parts[0] == "t3":
        return f"表三“{_t3_row(parts[1], spec)}”行“{spec.t3_columns[parts[2]]}”列"
    if parts[0] == "t4":
        return f"表四“{spec.t4_blocks[parts[1]]}”栏“{spec.t4_columns[parts[2]]}”列"
    block = next(b for b in spec.t2_blocks if b.id == parts[1])
    return f"表二{block.caption}“{block.rows[parts[2]]}”行“{block.columns[parts[3]]}”列"


def _t3_row(row: str, spec: FormatSpec) -> str:
    """The official label, shortened where the format's wording is long, with its group for
    numbered items ("1.属于国家秘密" exists once, "3.其他" in several groups)."""
    label = spec.t3_rows[row]
    short = {"new": "本年新收", "carried": "上年结转", "partial": "（二）部分公开", "carry_fwd": "结转下年度继续办理"}
    if row in short:
        return short[row]
    for group, items in spec.t3_group_items.items():
        if row in items:
            return f"{spec.t3_groups[group]} {label}"
    return label


def _subtotal(key: str, value: Any, spec: FormatSpec) -> str:
    group, _, col = key.partition(".")
    where = f"在表三“{spec.t3_groups[group]}”分类名一行自行填写合计"
    if not col:
        return f"{where}（与其子项之和相符）"
    return f"{where}，“{spec.t3_columns[col]}”列{_subtotal_change(value)}"


def _subtotal_change(value: Any) -> str:
    if is_relative(value):
        amount = int(value[1:])
        return f"比子项之和{'多' if value[0] == '+' else '少'} {amount}"
    return f"填 {value}"


def _section(sid: str, spec: FormatSpec) -> dict:
    return next(s for s in spec.sections if s["id"] == sid)


def _section_words(sid: str, spec: FormatSpec) -> str:
    return f"第{_section(sid, spec)['no']}部分"


def _title(sid: str, spec: FormatSpec) -> str:
    return _section(sid, spec)["title"]


def _heading(sid: str, spec: FormatSpec) -> str:
    section = _section(sid, spec)
    return f"{section['no']}、{section['title']}"
