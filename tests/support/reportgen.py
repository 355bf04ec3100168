"""Generated reports for tests: the clean reports of auditor/sample_report.py (consistent tables
of either format in the text layouts real reports use), also in the text a web page's table
becomes when a page is turned into text (WEB_TEXT_LAYOUTS, see render_web_text).

make_report(..., rich=True) gives a realistic report instead (random agency and year of the
format, tables of a real report's shape, a body whose sentences state the tables' figures):
see tests/support/corpus/. The plain reports keep their short fixed text, which tests expecting
exact findings rely on.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from auditor.sample_report import LAYOUTS, ORG, TEXT_LAYOUTS, SampleReport, consistent_t3, consistent_t4, default_t2
from auditor.sample_report import narrative as plain_narrative, render as render_text, sample_report
from auditor.sample_report import t2_lines as _t2_lines, t3_lines as _t3_lines, t4_lines as _t4_lines

__all__ = ["GenReport", "LAYOUTS", "ORG", "TEXT_LAYOUTS", "WEB_TEXT_LAYOUTS", "consistent_t3", "consistent_t4",
           "default_t2", "make_report", "narrative", "render", "render_web_text", "_t2_lines", "_t3_lines", "_t4_lines"]

# Web pages turned into text, table cells in the official merged layout (tests/support/docgen.py):
#   web_cells       one cell a line, each closed by " |" (an empty cell is "|")
#   web_filler      the same, each table row followed by a line of pipes padding it to the table's
#                   width, and the local version's filling hints in row labels and headers
#                   ("规章（指……2023年……，没有的填0）", "本年增/减（指2019年增加或减少的事项数，减用负值表示，如 -8"
#                   and ")" on the next line)
#   web_paragraphs  one cell a paragraph, an empty line between paragraphs and one more for an
#                   empty cell; two-word headers and group labels broken into two paragraphs
#   web_runs        a row's cells run together with nothing between them ("规章000")
WEB_TEXT_LAYOUTS = ("web_cells", "web_filler", "web_paragraphs", "web_runs")


@dataclass
class GenReport(SampleReport):
    body: Optional[dict] = None  # rich reports: section id -> corpus.narrative.Line list
    title_with_agency: bool = False  # rich reports: "XX局2023年政府信息公开工作年度报告" on one line
    cases_after_table: bool = False  # rich reports: section 四's sentence printed under 表四


def make_report(template: str = "2021", year: Optional[int] = None, seed: int = 0, rich: bool = False,
                agency: Optional[str] = None) -> GenReport:
    if rich:
        from tests.support.corpus.rich import rich_report  # the corpus builds on this module

        return rich_report(template, year, seed, agency)
    return sample_report(template, year, seed, agency, cls=GenReport)


def narrative(rep: GenReport) -> list[tuple[str, str]]:
    """The report in reading order: ("p", text) paragraphs and ("table", section id) slots."""
    if rep.body is not None:
        from tests.support.corpus.narrative import rich_narrative

        return rich_narrative(rep)
    return plain_narrative(rep)


def render(rep: GenReport, layout: str = "cells") -> str:
    if layout in WEB_TEXT_LAYOUTS:
        return render_web_text(rep, layout)
    return render_text(rep, layout, narrative)


# ---------------------------------------------------------------- web pages turned into text

_SPLIT_HEADERS = ("商业企业", "科研机构", "（三）不予公开", "（四）无法提供", "（五）不予处理")


def _hinted(text: str, year: int) -> str:
    """A local version's filling hints, digits included, which are no cells."""
    if text in ("上一年项目数量",):
        return f"{text} (指{year - 1}年事项数)"
    if text == "本年增/减":  # the hint broken over two lines, its "-8" at the end of the first
        return f"{text} (指{year}年增加或减 少的事项 数,减用负 值表示,如 -8\n)"
    if text in ("处理决定数量", "本年处理决定数量"):
        return f"{text} (指{year}年办 件量)"
    return text


def _hinted_label(text: str, year: int) -> str:
    return f"{text}(指本机关{year}年的{text}，含以本单位名义正式签发的文件，没有的填0)"


def _web_cells(grid, width: int, style: str, year: int, row_labels: set[str]) -> list[str]:
    lines: list[str] = []
    for row in grid:
        texts = [span.text for span in row]
        if style == "web_filler":
            texts = [_hinted_label(t, year) if t in row_labels else _hinted(t, year) for t in texts]
        if style == "web_runs":
            lines.append("".join(texts))
            continue
        if style == "web_paragraphs":
            for text in texts:
                if text in _SPLIT_HEADERS:
                    head, tail = (text[:3], text[3:]) if text.startswith("（") else (text[:2], text[2:])
                    lines.extend([head, "", tail, ""])
                else:
                    lines.extend([text, ""] if text else [""])
            continue
        lines.extend(f"{t} |" if t else "|" for t in texts)
        if style == "web_filler" and len(row) < width:
            lines.append("|" * (width - len(row)))
    return lines


def render_web_text(rep: GenReport, style: str) -> str:
    """The report as a web page turned into text (see WEB_TEXT_LAYOUTS)."""
    from tests.support import docgen  # docgen builds on this module

    grids = {"s2": docgen.t2_grid(rep), "s3": docgen.t3_grid(rep), "s4": None if rep.drop_t4 else docgen.t4_grid(rep)}
    row_labels = {label for block in rep.spec.t2_blocks for label in block.rows.values()}
    lines: list[str] = []
    for kind, content in narrative(rep):
        if kind == "table":
            grid = grids[content]
            if grid is not None:
                width = len(docgen.expand(grid)[0])
                lines.extend(_web_cells(grid, width, style, rep.year, row_labels))
            continue
        lines.extend([content, ""] if style == "web_paragraphs" else [content])
    return "\n".join(lines) + "\n"
