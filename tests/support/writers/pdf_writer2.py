"""A second writer of test PDFs, with other habits than pdf_writer's Word-like export: the
way LibreOffice or WPS lay out the national template. One writer's habits must not be able
to hide a reader's regression.

What differs from pdf_writer:
- column widths are a parameter: the share of the text width the row labels get
  (label_width), so long labels such as "（二）部分公开（区分处理的，只计这一情形，不计其他
  情形）" and the 表三 header note wrap at other places;
- header cells may wrap after a fixed number of characters (header_chars), the way a
  narrow column breaks "法律服务机构" into "法律服/务机构";
- lines break at any character but inside a number, with only closing punctuation kept
  off a line start (it hangs past the cell's edge instead; no opening bracket kept with
  the next character);
- cell text is top-aligned, not centred, so a wrapped label's numbers stand on its first
  line; numbers are right-aligned; the table text is 10.5 pt (五号), not 9 pt;
- borders: every cell stroked as its own rectangle ("rects"), or none ("none");
- paragraphs are left-aligned, not justified, with wider line spacing; 2 cm margins.

The drawing operations and painting (fonts, encryption, page furniture) are pdf_writer's.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from tests.support.docgen import Grid, blocks
from tests.support.writers import pdf_writer as pw
from tests.support.writers.pdf_writer import Box, Op, Page, Text

BORDER_STYLES = ("rects", "none")
MARGIN = 2.0 * pw.cm
LEFT, RIGHT = MARGIN, pw.PAGE_W - MARGIN
TOP, BOTTOM = pw.PAGE_H - MARGIN, MARGIN
TEXT_W = RIGHT - LEFT
_NO_LINE_START = set("，。、；：？！）》」』”’,.;:?!)]%")


@dataclass(frozen=True)
class Habits:
    """How this writer sizes and fills tables."""

    label_width: float = 0.4  # share of the text width for the row-label columns
    header_chars: Optional[int] = None  # header cells break after this many characters
    table_size: float = 10.5
    body_size: float = 12.0
    pad_x: float = 2.0
    pad_y: float = 1.5

    @property
    def table_leading(self) -> float:
        return self.table_size * 1.25


# ---------------------------------------------------------------- line breaking


_UNITS = re.compile(r"\d[\d.,%]*|.")


def wrap(text: str, width: float, size: float, max_chars: Optional[int] = None) -> list[str]:
    """Greedy breaking at any character but inside a number; closing punctuation stays on
    the line before (hanging past the edge if it must, as Word's 允许标点溢出边界)."""
    lines: list[str] = []
    line = ""
    for ch in _UNITS.findall(text):
        candidate = line + ch
        too_long = pw.text_width(candidate, size) > width + 0.01 or (max_chars is not None and len(candidate) > max_chars)
        if line and too_long and ch[0] not in _NO_LINE_START:
            lines.append(line.rstrip())
            line = "" if ch.isspace() else ch
        else:
            line = candidate
    if line.strip():
        lines.append(line.strip())
    return lines


# ---------------------------------------------------------------- page flow


def _lay_paragraph(flow: pw.PageFlow, text: str, kind: str, habits: Habits) -> None:
    size = habits.body_size * 4 / 3 if kind == "title" else habits.body_size
    leading = size * 1.8
    indent = 2 * size if kind in ("body", "heading") else 0.0
    lines = wrap(text, TEXT_W - indent, size) if kind != "body" else _body_lines(text, size, indent)
    for i, line in enumerate(lines):
        if flow.room() < leading:
            flow.new_page()
        width = pw.text_width(line, size)
        if kind == "title":
            x = LEFT + (TEXT_W - width) / 2
        elif kind == "signature":
            x = RIGHT - width
        else:
            x = LEFT + (indent if i == 0 else 0.0)
        flow.pages[-1].append(Text(x, flow.y - size, line, size))
        flow.y -= leading


def _body_lines(text: str, size: float, indent: float) -> list[str]:
    """Body text: the first line indented by two characters, the others full width."""
    first = wrap(text, TEXT_W - indent, size)
    if len(first) <= 1:
        return first
    rest = wrap(text[len(first[0]):].lstrip(), TEXT_W, size)
    return [first[0]] + rest


# ---------------------------------------------------------------- tables


@dataclass
class _Cell(pw.TableCell):
    align: str  # "left", "centre" or "right"


def _widths(n_cols: int, habits: Habits) -> list[float]:
    if n_cols == 10:  # 表三: three label columns, seven value columns
        labels = [habits.label_width * f for f in (0.2, 0.3, 0.5)]
        return labels + [(1 - habits.label_width) / 7] * 7
    if n_cols == 15:
        return [1 / 15] * 15
    if n_cols == 1:
        return [1.0]
    return [habits.label_width] + [(1 - habits.label_width) / (n_cols - 1)] * (n_cols - 1)


def _header_rows(n_cols: int) -> int:
    return {10: 3, 15: 3}.get(n_cols, 0)


def _measure(grid: Grid, habits: Habits) -> tuple[list[_Cell], list[float], list[float]]:
    placed, n_rows, n_cols = pw._place(grid)
    col_x = [LEFT]
    for share in _widths(n_cols, habits):
        col_x.append(col_x[-1] + TEXT_W * share)
    header = _header_rows(n_cols)
    cells = []
    for c in placed:
        inner = col_x[c.col + c.colspan] - col_x[c.col] - 2 * habits.pad_x
        is_header = c.row < header or (n_cols == 15 and not c.text.isdigit())
        numeric = c.text.replace(".", "", 1).isdigit()
        align = "right" if numeric else "centre" if is_header or c.colspan == n_cols else "left"
        lines = wrap(c.text, inner, habits.table_size, habits.header_chars if is_header else None)
        cells.append(_Cell(c.row, c.col, c.rowspan, c.colspan, c.text, lines, align))
    heights = [habits.table_leading + 2 * habits.pad_y] * n_rows
    for cell in sorted(cells, key=lambda c: c.rowspan):
        need = max(len(cell.lines), 1) * habits.table_leading + 2 * habits.pad_y
        last = cell.row + cell.rowspan - 1
        missing = need - sum(heights[cell.row:last + 1])
        if missing > 0:
            heights[last] += missing
    return cells, col_x, heights


def _lay_table(flow: pw.PageFlow, grid: Grid, habits: Habits, borders: str) -> None:
    cells, col_x, heights = _measure(grid, habits)
    row_top: dict[int, tuple[int, float]] = {}  # row → (page, top y)
    for r, height in enumerate(heights):
        if height > flow.room() and flow.y < TOP:
            flow.new_page()
        row_top[r] = (len(flow.pages) - 1, flow.y)
        flow.y -= height
    for cell in cells:
        _lay_cell(flow, cell, col_x, heights, row_top, habits, borders)


def _lay_cell(flow: pw.PageFlow, cell: _Cell, col_x: list[float], heights: list[float],
              row_top: dict[int, tuple[int, float]], habits: Habits, borders: str) -> None:
    """The cell's lines from its top; a merged cell cut by a page break goes on in its part
    on the next page. Each part gets its own rectangle."""
    x0, x1 = col_x[cell.col], col_x[cell.col + cell.colspan]
    parts: list[tuple[int, float, float]] = []  # (page, top, bottom)
    for r in range(cell.row, cell.row + cell.rowspan):
        page, top = row_top[r]
        if parts and parts[-1][0] == page:
            parts[-1] = (page, parts[-1][1], top - heights[r])
        else:
            parts.append((page, top, top - heights[r]))
    lines = list(cell.lines)
    lead, size = habits.table_leading, habits.table_size
    for page, top, bottom in parts:
        room = max(1, int((top - bottom - 2 * habits.pad_y + 0.01) // lead))
        shown, lines = lines[:room], lines[room:]
        for i, line in enumerate(shown):
            width = pw.text_width(line, size)
            x = {"left": x0 + habits.pad_x, "right": x1 - habits.pad_x - width,
                 "centre": x0 + (x1 - x0 - width) / 2}[cell.align]
            baseline = top - habits.pad_y - i * lead - (lead - size) / 2 - size * 0.8
            flow.pages[page].append(Text(x, baseline, line, size))
        if borders == "rects":
            flow.pages[page].append(Box(x0, bottom, x1 - x0, top - bottom))


# ---------------------------------------------------------------- public API


def layout_report(rep, habits: Habits = Habits(), borders: str = "rects") -> list[Page]:
    items = blocks(rep)
    kinds = pw._paragraph_kinds(items)
    flow = pw.PageFlow(TOP, BOTTOM)  # this writer's narrower margins
    for item, kind in zip(items, kinds):
        if kind == "table":
            flow.y -= habits.body_size / 2
            _lay_table(flow, item, habits, borders)
            flow.y -= habits.body_size / 2
        else:
            _lay_paragraph(flow, item, kind, habits)
    return flow.pages


def write_pdf2(rep, path, borders: str = "rects", label_width: float = 0.4, header_chars: Optional[int] = None,
               font: str = "cid", page_numbers: bool = True) -> Path:
    """Write rep as an A4 PDF the way LibreOffice or WPS would lay it out; returns the path.

    borders: "rects" (each cell a stroked rectangle) or "none". label_width: share of the
    text width for the row labels (0.25–0.45: every label column holds three characters and
    every number column six digits).
    header_chars: header cells break after this many characters. font: as pdf_writer's.
    """
    if borders not in BORDER_STYLES:
        raise ValueError(f"borders must be one of {BORDER_STYLES}")
    habits = Habits(label_width=label_width, header_chars=header_chars)
    with pw._using_font(font):
        pages = layout_report(rep, habits, borders)
        if page_numbers:
            for n, ops in enumerate(pages, start=1):
                label = f"第 {n} 页"
                ops.append(Text((pw.PAGE_W - pw.text_width(label, 9)) / 2, BOTTOM / 2, label, 9))
        title = f"{rep.title_year or rep.year}年政府信息公开工作年度报告"
        return pw._save(pages, Path(path), title=title)


__all__ = ["BORDER_STYLES", "Habits", "layout_report", "write_pdf2", "Op"]
