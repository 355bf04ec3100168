"""A generated report as structured blocks in the official table layout (merged cells as in
the national format), for the writers that produce HTML, DOCX and PDF from it.

A block is either a paragraph (str) or a table: a list of rows, each listing only the cells
that start at that row (HTML style), with their rowspan and colspan.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Union

from auditor.model import Document, GridCell, Paragraph, Source, TableBlock
from tests.support.reportgen import ORG, GenReport, narrative


@dataclass(frozen=True)
class Span:
    text: str
    rowspan: int = 1
    colspan: int = 1


Grid = list[list[Span]]
Block = Union[str, Grid]

T3_HEADER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T4_HEADS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")


def t2_grid(rep: GenReport) -> Grid:
    """表二 as one table: a caption row per 第二十条 item, then its header and rows."""
    width = 1 + max(len(b.columns) for b in rep.spec.t2_blocks)
    grid: Grid = []
    for block in rep.spec.t2_blocks:
        grid.append([Span(block.caption, colspan=width)])
        grid.append([Span("信息内容"), *_fill(list(block.columns.values()), width - 1)])
        for row_id, label in block.rows.items():
            grid.append([Span(label), *_fill(rep.t2[(block.id, row_id)], width - 1)])
    return grid


def _fill(texts: list[str], width: int) -> list[Span]:
    """Spread texts over width columns, the last one spanning what is left."""
    spans = [Span(t) for t in texts[:-1]]
    spans.append(Span(texts[-1], colspan=width - len(texts) + 1))
    return spans


def t3_grid(rep: GenReport) -> Grid:
    spec = rep.spec
    grid: Grid = [
        [Span(T3_HEADER, rowspan=3, colspan=3), Span("申请人情况", colspan=7)],
        [Span("自然人", rowspan=2), Span("法人或其他组织", colspan=5), Span("总计", rowspan=2)],
        [Span(x) for x in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")],
    ]
    rows = [r for r in spec.t3_rows if r not in rep.drop_t3_rows]
    result_rows = [r for r in rows if r not in ("new", "carried", "carry_fwd")]
    started: set[str] = set()
    for row_id in rows:
        values = [Span("" if rep.t3[row_id][c] is None else str(rep.t3[row_id][c])) for c in ORG + ["tot"]]
        label = spec.t3_rows[row_id]
        lead: list[Span] = []
        if row_id in ("new", "carried", "carry_fwd"):
            lead = [Span(label, colspan=3)]
        else:
            if row_id == result_rows[0]:
                lead.append(Span(spec.t3_groups["results"], rowspan=len(result_rows)))
            group = next((g for g, items in spec.t3_group_items.items() if row_id in items), None)
            if group is None:
                lead.append(Span(label, colspan=2))
            else:
                if group not in started:
                    started.add(group)
                    size = sum(1 for r in spec.t3_group_items[group] if r in rows)
                    lead.append(Span(spec.t3_groups[group], rowspan=size))
                lead.append(Span(label))
        grid.append(lead + values)
    return grid


def t4_grid(rep: GenReport) -> Grid:
    values = [str(rep.t4[b][c]) for b in ("review", "suit_direct", "suit_after_review")
              for c in ("maintained", "corrected", "other", "pending", "total")]
    return [
        [Span("行政复议", colspan=5), Span("行政诉讼", colspan=10)],
        [*(Span(h, rowspan=2) for h in T4_HEADS), Span("未经复议直接起诉", colspan=5), Span("复议后起诉", colspan=5)],
        [Span(h) for h in T4_HEADS * 2],
        [Span(v) for v in values],
    ]


def blocks(rep: GenReport) -> list[Block]:
    """The report in reading order, tables in the official merged-cell layout."""
    tables = {"s2": t2_grid(rep), "s3": t3_grid(rep), "s4": None if rep.drop_t4 else t4_grid(rep)}
    out: list[Block] = []
    for kind, content in narrative(rep):
        if kind == "table":
            if tables.get(content) is not None:
                out.append(tables[content])
        else:
            out.append(content)
    return out


def expand(grid: Grid) -> list[list[tuple[str, bool]]]:
    """The full rectangle: (text, covered) per position, each merged value once."""
    placed: dict[tuple[int, int], tuple[str, bool]] = {}
    for r, row in enumerate(grid):
        c = 0
        for span in row:
            while (r, c) in placed:
                c += 1
            for dr in range(span.rowspan):
                for dc in range(span.colspan):
                    placed[(r + dr, c + dc)] = (span.text, False) if (dr, dc) == (0, 0) else ("", True)
            c += span.colspan
    height = max(r for r, _ in placed) + 1
    width = max(c for _, c in placed) + 1
    return [[placed.get((r, c), ("", False)) for c in range(width)] for r in range(height)]


def to_document(rep: GenReport) -> Document:
    """The Document a perfect reader would produce; the reference for every reader test."""
    out = []
    for t, block in enumerate(blocks(rep)):
        if isinstance(block, str):
            out.append(Paragraph(block, Source(raw=block)))
            continue
        rows = [[GridCell(text, Source(table=t, row=r, col=c, raw=text), covered=cov) for c, (text, cov) in enumerate(row)]
                for r, row in enumerate(expand(block))]
        out.append(TableBlock(rows, Source(table=t)))
    return Document(path="generated", format="generated", sha256="", blocks=out)
