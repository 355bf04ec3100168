"""A clean generated report of either format: consistent tables (every identity adds up) in
the text layouts real reports use (one cell per line, tab rows, Markdown rows, space-aligned
rows, `a | b |` rows) and a short fixed narrative. A rule's documented examples are edits of
this report (auditor/rule_examples.py); the tests build on it too.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Callable, Optional

from .spec import format_spec

ORG = ["np", "biz", "sci", "pub", "law", "oth"]
LAYOUTS = ("cells", "tabs", "markdown", "spaces")
TEXT_LAYOUTS = LAYOUTS + ("pipes",)  # pipes: `a | b |` rows without the Markdown separator line


@dataclass
class SampleReport:
    template: str = "2021"
    year: int = 2023
    agency: str = "测试市测试局"
    title_year: Optional[int] = None
    period_year: Optional[int] = None
    t2: dict = field(default_factory=dict)  # (block, row) -> list of printed values
    t3: dict = field(default_factory=dict)  # row -> {col: int}
    t4: dict = field(default_factory=dict)  # block -> {col: int}
    extra_s1: list = field(default_factory=list)  # extra sentences in section 一
    drop_sections: set = field(default_factory=set)
    drop_t3_rows: set = field(default_factory=set)
    drop_t4: bool = False
    sign_day: int = 20

    @property
    def spec(self):
        return format_spec(self.template)


def consistent_t3(template: str, rng: random.Random, high: int = 30) -> dict:
    spec = format_spec(template)
    outcomes = spec.t3_outcome_rows
    t3 = {r: {c: 0 for c in ORG + ["tot"]} for r in spec.t3_rows}
    for c in ORG:
        for r in outcomes:
            t3[r][c] = rng.randint(0, high) if rng.random() < 0.6 else 0
        handled = sum(t3[r][c] for r in outcomes)
        t3["handled_total"][c] = handled
        t3["carry_fwd"][c] = rng.randint(0, high // 3)
        t3["carried"][c] = rng.randint(0, handled + t3["carry_fwd"][c])
        t3["new"][c] = handled + t3["carry_fwd"][c] - t3["carried"][c]
    for r in t3:
        t3[r]["tot"] = sum(t3[r][c] for c in ORG)
    return t3


def consistent_t4(rng: random.Random, high: int = 9) -> dict:
    t4 = {}
    for block in ("review", "suit_direct", "suit_after_review"):
        parts = {c: rng.randint(0, high) for c in ("maintained", "corrected", "other", "pending")}
        t4[block] = {**parts, "total": sum(parts.values())}
    return t4


def default_t2(template: str, rng: random.Random) -> dict:
    out = {}
    for block in format_spec(template).t2_blocks:
        for row in block.rows:
            values = [rng.randint(0, 500) for _ in block.columns]
            if block.id == "art20_1":
                values = _plausible_documents(template, values)
            out[(block.id, row)] = [str(v) for v in values]
    return out


def _plausible_documents(template: str, values: list[int]) -> list[int]:
    """第二十条第（一）项 as it can be: 2021, made ≤ valid + repealed (what is made this year is
    still valid or repealed at its end); 2019, published ≤ made and ≤ published in total.
    Fixed without drawing again, so reports whose draws already fit keep their values."""
    if template == "2021":
        made, repealed, valid = values
        return [made, repealed, valid if made <= valid + repealed else valid + made]
    made, published, total = values
    return [max(made, published), published, max(total, published)]


def sample_report(template: str = "2021", year: Optional[int] = None, seed: int = 0, agency: Optional[str] = None,
                  cls: type = SampleReport) -> SampleReport:
    """The clean report of a format drawn with this seed (cls: a subclass with more to fill)."""
    rng = random.Random(seed)
    year = year or (2019 if template == "2019" else 2023)
    rep = cls(template, year, t2=default_t2(template, rng), t3=consistent_t3(template, rng), t4=consistent_t4(rng))
    if agency:
        rep.agency = agency
    return rep


# ---------------------------------------------------------------- rendering


def table_lines(layout: str, rows: list[list[str]]) -> list[str]:
    if layout == "cells":
        return [cell for row in rows for cell in row if cell != ""]
    if layout == "tabs":
        return ["\t".join(row) for row in rows]
    if layout == "markdown":
        out = []
        for i, row in enumerate(rows):
            out.append("| " + " | ".join(row) + " |")
            if i == 0:
                out.append("|" + "---|" * len(row))
        return out
    if layout == "spaces":
        return ["    ".join(c for c in row if c != "") for row in rows]
    if layout == "pipes":
        return [" | ".join(row) + " |" for row in rows]
    raise ValueError(layout)


def t2_lines(rep: SampleReport, layout: str) -> list[str]:
    lines = []
    for block in rep.spec.t2_blocks:
        lines.append(block.caption)
        rows = [["信息内容", *block.columns.values()]]
        for row_id, label in block.rows.items():
            rows.append([label, *rep.t2[(block.id, row_id)]])
        lines.extend(table_lines(layout, rows))
    return lines


def t3_lines(rep: SampleReport, layout: str) -> list[str]:
    spec = rep.spec
    header = [
        ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况", "", "", "", "", "", ""],
        ["", "自然人", "法人或其他组织", "", "", "", "", "总计"],
        ["", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""],
    ]
    rows = [] if layout in ("markdown", "spaces") else list(header)
    if layout == "spaces":
        rows.append(["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"])
    groups_printed = set()
    for row_id, label in spec.t3_rows.items():
        if row_id in rep.drop_t3_rows:
            continue
        values = rep.t3[row_id]
        prefix = []
        parent = _parent(spec, row_id)
        if parent and parent not in groups_printed and layout in ("cells", "spaces"):
            prefix = [spec.t3_groups[parent]]
            groups_printed.add(parent)
        cells = [str(values[c]) if values[c] is not None else "" for c in ORG + ["tot"]]
        rows.append(prefix + [label] + cells if layout != "tabs" else [label] + cells)
    if layout == "markdown":
        rows.insert(0, ["项目", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"])
    return table_lines(layout, rows)


def _parent(spec, row_id: str) -> Optional[str]:
    for group, items in spec.t3_group_items.items():
        if row_id in items:
            return group
    return None


def t4_lines(rep: SampleReport, layout: str) -> list[str]:
    heads = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    values = [str(rep.t4[b][c]) for b in ("review", "suit_direct", "suit_after_review")
              for c in ("maintained", "corrected", "other", "pending", "total")]
    rows = [["行政复议", "", "", "", "", "行政诉讼"], ["", "", "", "", "", "未经复议直接起诉", "", "", "", "", "复议后起诉"],
            heads * 3, values]
    if layout == "markdown":
        rows = [heads * 3, values]
    return table_lines(layout, rows)


def narrative(rep: SampleReport) -> list[tuple[str, str]]:
    """The report in reading order: ("p", text) paragraphs and ("table", section id) slots."""
    year = rep.year
    title_year = rep.title_year or year
    period_year = rep.period_year or year
    s = {
        "s1": ["一、总体情况",
               f"{year}年，{rep.agency}认真贯彻落实《中华人民共和国政府信息公开条例》，全面推进政务公开工作。",
               f"全年通过门户网站主动公开政府信息 {120 + year % 7} 条，较{year - 1}年增长 12%。",
               *rep.extra_s1],
        "s2": ["二、主动公开政府信息情况"],
        "s3": ["三、收到和处理政府信息公开申请情况"],
        "s4": ["四、政府信息公开行政复议、行政诉讼情况"],
        "s5": ["五、存在的主要问题及改进情况",
               f"一是公开内容的深度有待提升。下一步，{year + 1}年将进一步完善工作机制。"],
        "s6": ["六、其他需要报告的事项", "本年度未收取信息处理费。认真落实上级年度政务公开工作要点，建议提案办理结果均已公开。"],
    }
    out = [("p", rep.agency), ("p", f"{title_year}年政府信息公开工作年度报告"),
           ("p", f"本报告由{rep.agency}编制。报告中所列数据统计期限自{period_year}年1月1日起至{period_year}年12月31日止。")]
    for sid in ("s1", "s2", "s3", "s4", "s5", "s6"):
        body = s[sid]
        out.extend(("p", text) for text in (body[1:] if sid in rep.drop_sections else body))
        if sid in ("s2", "s3", "s4"):
            out.append(("table", sid))
    out += [("p", rep.agency), ("p", f"{year + 1}年1月{rep.sign_day}日")]
    return out


def render(rep: SampleReport, layout: str = "cells",
           paragraphs: Optional[Callable[[SampleReport], list[tuple[str, str]]]] = None) -> str:
    """The report as text in a layout; `paragraphs` gives the reading order (default: narrative)."""
    tables = {"s2": t2_lines, "s3": t3_lines, "s4": lambda r, lay: [] if r.drop_t4 else t4_lines(r, lay)}
    lines: list[str] = []
    for kind, content in (paragraphs or narrative)(rep):
        lines.extend(tables[content](rep, layout) if kind == "table" else [content])
    return "\n".join(lines) + "\n"
