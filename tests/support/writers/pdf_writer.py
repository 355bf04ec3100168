"""Test PDFs that look like a Word export of an annual report, drawn from docgen blocks.

Everything is laid out first, as pages of drawing operations, and painted afterwards. That
way page numbers can say "共 N 页", and the same layout can be painted as vector text and
rulings or, for a scanned report, as one picture per page with no text layer.

Coordinates are PDF points with the origin at the bottom left, as reportlab draws them,
except in `write_text_only_pdf`, whose positions are measured from the top left because
that is how hand-made reader tests think about reading order.
"""
from __future__ import annotations

import copy
import io
import re
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional, Sequence, Union

from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import CIDFontInfo, UnicodeCIDFont, structToPDF
from reportlab.pdfbase.pdfdoc import PDFString
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from tests.support.docgen import Grid, blocks

FONT = "STSong-Light"  # built into every PDF viewer's CJK support: no font file needed, none embedded
EMBEDDED_FONT = "ReportTestSong"  # a small TrueType font made here and embedded in the PDF
FONT_STYLES = ("cid", "embedded")
PAGE_W, PAGE_H = A4
MARGIN = 2.5 * cm
LEFT, RIGHT = MARGIN, PAGE_W - MARGIN
TOP, BOTTOM = PAGE_H - MARGIN, MARGIN
TEXT_W = RIGHT - LEFT
RULE_WIDTH = 0.5
BORDER_STYLES = ("lines", "rects", "cellrects", "none")
PAGE_NUMBER_STYLES = ("dash", "total")
SCAN_DPI = 100


# ---------------------------------------------------------------- drawing operations


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # baseline
    text: str
    size: float
    char_space: float = 0.0  # extra space after each character (justified lines)


@dataclass(frozen=True)
class Rule:
    """A stroked line segment."""

    x1: float
    y1: float
    x2: float
    y2: float
    width: float = RULE_WIDTH


@dataclass(frozen=True)
class Bar:
    """A filled rectangle, the way some exporters draw a border."""

    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class Box:
    """A stroked rectangle."""

    x: float
    y: float
    w: float
    h: float
    width: float = RULE_WIDTH


Op = Union[Text, Rule, Bar, Box]
Page = list[Op]


@dataclass(frozen=True)
class Style:
    """Sizes derived from the body font size, close to Word's defaults for 五号 text."""

    font_size: float = 10.5
    pad_x: float = 2.5  # cell padding, as Word's default cell margins
    pad_y: float = 3.0

    @property
    def leading(self) -> float:
        return self.font_size * 1.6

    @property
    def title_size(self) -> float:
        return self.font_size * 12 / 7  # 18 pt for 10.5 pt body text

    @property
    def table_size(self) -> float:
        return self.font_size * 6 / 7  # 9 pt (小五) for 10.5 pt body text

    @property
    def table_leading(self) -> float:
        return self.table_size * 1.3

    @property
    def small_size(self) -> float:
        return self.font_size * 6 / 7


class _CIDFont(UnicodeCIDFont):
    """reportlab's CID font, but with the CIDSystemInfo strings written as PDF strings.

    reportlab writes Registry and Ordering as raw text, so in an encrypted file they are
    left unencrypted and strict readers (poppler) then decrypt them into garbage and lose
    the font. As PDF strings they are encrypted with everything else.
    """

    def addObjects(self, doc):
        internal_name = "F" + repr(len(doc.fontMapping) + 1)
        font_dict = copy.deepcopy(CIDFontInfo[self.face.name])
        font_dict["Name"] = "/" + internal_name
        font_dict["Encoding"] = "/" + self.encodingName
        for descendant in font_dict["DescendantFonts"]:
            info = descendant["CIDSystemInfo"]
            for key in ("Registry", "Ordering"):
                info[key] = PDFString(info[key].strip("()"))
        reference = doc.Reference(structToPDF(font_dict), internal_name)
        doc.idToObject["BasicFonts"].dict[internal_name] = reference
        doc.fontMapping[self.name] = "/" + internal_name


_BOX_RANGES = ((0x4E00, 0x9FFF), (0x3001, 0x303F), (0xFF01, 0xFFEF), (0x2014, 0x2014), (0x2018, 0x201F),
               (0x2026, 0x2026))  # ideographs, CJK and full-width punctuation, dashes and curly quotes


@lru_cache(maxsize=1)
def _embedded_font_bytes() -> bytes:
    """A real TrueType font with a glyph for every character a report uses: one square for
    each CJK character and one narrower bar for each ASCII one, so it is small. Its widths
    (1000 and 540 units) are not STSong's, so layouts differ from the CID font's too."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    def box(x0: int, y0: int, x1: int, y1: int):
        pen = TTGlyphPen(None)
        pen.moveTo((x0, y0))
        pen.lineTo((x0, y1))
        pen.lineTo((x1, y1))
        pen.lineTo((x1, y0))
        pen.closePath()
        return pen.glyph()

    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder([".notdef", "space", "half", "full", "fullspace"])
    cmap = {0x20: "space", 0x3000: "fullspace"}
    cmap.update({c: "half" for c in range(0x21, 0x7F)})
    cmap.update({c: "full" for lo, hi in _BOX_RANGES for c in range(lo, hi + 1)})
    builder.setupCharacterMap(cmap)
    empty = TTGlyphPen(None).glyph()
    builder.setupGlyf({".notdef": box(50, 0, 450, 700), "space": empty, "half": box(40, 0, 500, 700),
                       "full": box(60, -80, 940, 800), "fullspace": empty})
    builder.setupHorizontalMetrics({".notdef": (500, 50), "space": (540, 0), "half": (540, 40), "full": (1000, 60),
                                    "fullspace": (1000, 0)})
    builder.setupHorizontalHeader(ascent=860, descent=-140)
    builder.setupNameTable({"familyName": EMBEDDED_FONT, "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=860, sTypoDescender=-140, usWinAscent=860, usWinDescent=140)
    builder.setupPost()
    out = io.BytesIO()
    builder.save(out)
    return out.getvalue()


_font_name = FONT  # the font being laid out and painted; set by _using_font


def _register_font(style: str = "cid") -> None:
    if style == "embedded":
        if EMBEDDED_FONT not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(EMBEDDED_FONT, io.BytesIO(_embedded_font_bytes())))
    elif FONT not in pdfmetrics.getRegisteredFontNames() or not isinstance(pdfmetrics.getFont(FONT), _CIDFont):
        pdfmetrics.registerFont(_CIDFont(FONT))


@contextmanager
def _using_font(style: str):
    """Lay out and paint with the non-embedded CID font ("cid") or the embedded TrueType one."""
    global _font_name
    if style not in FONT_STYLES:
        raise ValueError(f"font must be one of {FONT_STYLES}")
    _register_font(style)
    before, _font_name = _font_name, EMBEDDED_FONT if style == "embedded" else FONT
    try:
        yield
    finally:
        _font_name = before


def text_width(text: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, _font_name, size)


def _baseline(line_top: float, leading: float, size: float) -> float:
    """Baseline of a line whose box starts at line_top: the glyphs centred in the leading."""
    return line_top - (leading - size) / 2 - size * 0.8


# ---------------------------------------------------------------- line breaking

_OPENING = set("（《「『“‘([")
_CLOSING = set("，。、；：？！）》」』”’,.;:?!)]%")
_PIECES = re.compile(r"[0-9A-Za-z][0-9A-Za-z.,:%/+\-]*|\s|.")


def _units(text: str) -> list[str]:
    """Pieces a line may not be broken inside: an ASCII word or number, or one character.

    Closing punctuation sticks to the character before it and opening brackets to the one
    after, so no line starts with "，" or ends with "（", as Word's line breaking does.
    """
    units: list[str] = []
    opening = ""
    for piece in _PIECES.findall(text):
        if piece in _OPENING:
            opening += piece
        elif piece in _CLOSING and units and not opening and not units[-1].isspace():
            units[-1] += piece
        else:
            units.append(opening + piece)
            opening = ""
    if opening:
        units.append(opening)
    return units


def wrap(text: str, width: float, size: float, first_indent: float = 0.0) -> list[str]:
    """Greedy line breaking; a unit wider than the width gets a line of its own."""
    lines: list[str] = []
    line, used = "", first_indent
    for unit in _units(text):
        unit_width = text_width(unit, size)
        if line.strip() and used + unit_width > width + 0.01:
            lines.append(line.rstrip())
            line, used = "", 0.0
        if unit.isspace() and not line.strip():
            continue  # no blank at the start of a line
        line += unit
        used += unit_width
    if line.strip():
        lines.append(line.rstrip())
    return lines


# ---------------------------------------------------------------- page flow


class PageFlow:
    """Pages filled from the top; y is where the next thing starts. The margins are a
    writer's habit: the second writer (pdf_writer2) gives its own."""

    def __init__(self, top: float = TOP, bottom: float = BOTTOM) -> None:
        self.top, self.bottom = top, bottom
        self.pages: list[Page] = [[]]
        self.y = top

    @property
    def page(self) -> Page:
        return self.pages[-1]

    @property
    def page_index(self) -> int:
        return len(self.pages) - 1

    def room(self) -> float:
        return self.y - self.bottom

    def new_page(self) -> None:
        self.pages.append([])
        self.y = self.top

    def make_room(self, height: float) -> None:
        """Start a new page unless height fits (or the page is still empty)."""
        if height > self.room() + 0.01 and self.y < self.top:
            self.new_page()


# ---------------------------------------------------------------- paragraphs

_HEADING = re.compile(r"^[一二三四五六七八九十]+、\S{1,28}$")
_DATE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")


def _paragraph_kinds(items: Sequence[object]) -> list[str]:
    """title / heading / body / signature / table for each block, as a Word author styles them."""
    kinds = ["table" if not isinstance(b, str) else "heading" if _HEADING.match(b) else "body" for b in items]
    title_end = next((i for i, b in enumerate(items[:3]) if isinstance(b, str) and "年度报告" in b), -1)
    for i in range(title_end + 1):
        kinds[i] = "title"
    if items and isinstance(items[-1], str) and _DATE.match(items[-1]):
        kinds[-1] = "signature"
        if len(items) > 1 and kinds[-2] == "body" and len(items[-2]) <= 30:
            kinds[-2] = "signature"
    return kinds


def _lay_paragraph(flow: PageFlow, text: str, kind: str, style: Style) -> None:
    size = style.title_size if kind == "title" else style.font_size
    leading = size * 1.5 if kind == "title" else style.leading
    indent = 2 * size if kind in ("body", "heading") else 0.0
    lines = wrap(text, TEXT_W, size, first_indent=indent) or [""]
    for i, line in enumerate(lines):
        flow.make_room(leading)
        x, char_space = _line_position(line, kind, size, indent if i == 0 else 0.0, last=i == len(lines) - 1)
        if line:
            flow.page.append(Text(x, _baseline(flow.y, leading, size), line, size, char_space))
        flow.y -= leading


def _line_position(line: str, kind: str, size: float, indent: float, last: bool) -> tuple[float, float]:
    """x of the line and, for body text, the character spacing that justifies it (两端对齐)."""
    width = text_width(line, size)
    if kind == "title":
        return LEFT + (TEXT_W - width) / 2, 0.0
    if kind == "signature":
        return RIGHT - width - 2 * size, 0.0
    slack = TEXT_W - indent - width
    if last or len(line) < 2 or slack <= 0:
        return LEFT + indent, 0.0
    return LEFT + indent, slack / (len(line) - 1)


# ---------------------------------------------------------------- tables


@dataclass
class TableCell:
    """A table cell's place in the grid, its text and its text wrapped into lines (each
    writer adds how it aligns the lines)."""
    row: int
    col: int
    rowspan: int
    colspan: int
    text: str
    lines: list[str]


@dataclass
class _Cell(TableCell):
    centred: bool = True


@dataclass(frozen=True)
class _Profile:
    """How Word users size the official tables: fractions of the text width per column."""

    widths: tuple[float, ...]
    header_rows: int  # rows repeated on a continuation page when asked
    label_cols: int  # leading columns holding row labels (left-aligned when wide)


def _profile(n_cols: int) -> _Profile:
    if n_cols == 10:  # 表三: three label columns ~45 %, seven value columns share the rest
        return _Profile((0.07, 0.10, 0.28) + (0.55 / 7,) * 7, header_rows=3, label_cols=3)
    if n_cols == 15:  # 表四: fifteen equal, narrow columns
        return _Profile((1 / 15,) * 15, header_rows=3, label_cols=0)
    if n_cols == 1:
        return _Profile((1.0,), header_rows=0, label_cols=1)
    return _Profile((0.4,) + (0.6 / (n_cols - 1),) * (n_cols - 1), header_rows=0, label_cols=1)  # 表二


def _place(grid: Grid) -> tuple[list[_Cell], int, int]:
    """Cells at their grid positions (HTML rowspan rules), and the grid's size."""
    taken: set[tuple[int, int]] = set()
    cells: list[_Cell] = []
    for r, row in enumerate(grid):
        c = 0
        for span in row:
            while (r, c) in taken:
                c += 1
            taken.update((r + dr, c + dc) for dr in range(span.rowspan) for dc in range(span.colspan))
            cells.append(_Cell(r, c, span.rowspan, span.colspan, span.text, []))
            c += span.colspan
    return cells, max(r for r, _ in taken) + 1, max(c for _, c in taken) + 1


@dataclass
class _Table:
    cells: list[_Cell]
    n_rows: int
    n_cols: int
    col_x: list[float]  # n_cols + 1 vertical grid lines
    heights: list[float]  # per row
    profile: _Profile

    def owner(self) -> dict[tuple[int, int], int]:
        return {(c.row + dr, c.col + dc): i for i, c in enumerate(self.cells)
                for dr in range(c.rowspan) for dc in range(c.colspan)}


def _measure(grid: Grid, style: Style, widths: Optional[Sequence[float]] = None) -> _Table:
    cells, n_rows, n_cols = _place(grid)
    profile = _profile(n_cols)
    fractions = list(widths) if widths else list(profile.widths)
    col_x = [LEFT]
    for f in fractions:
        col_x.append(col_x[-1] + TEXT_W * f / sum(fractions))
    for cell in cells:
        inner = col_x[cell.col + cell.colspan] - col_x[cell.col] - 2 * style.pad_x
        cell.lines = wrap(cell.text, inner, style.table_size)
        cell.centred = not _is_wide_label(cell, profile, inner, n_cols, style)
    return _Table(cells, n_rows, n_cols, col_x, _row_heights(cells, n_rows, style), profile)


def _is_wide_label(cell: _Cell, profile: _Profile, inner: float, n_cols: int, style: Style) -> bool:
    """Row labels in a wide label column are left-aligned; headers, numbers and captions centred."""
    in_body = cell.row >= profile.header_rows
    is_label = cell.col < profile.label_cols and cell.colspan < n_cols
    return in_body and is_label and inner > 6 * style.table_size


def _row_heights(cells: list[_Cell], n_rows: int, style: Style) -> list[float]:
    """Row height = lines × leading + padding; a merged cell too tall for its rows grows the last one."""
    def need(cell: _Cell) -> float:
        return max(len(cell.lines), 1) * style.table_leading + 2 * style.pad_y

    heights = [style.table_leading + 2 * style.pad_y] * n_rows
    for cell in (c for c in cells if c.rowspan == 1):
        heights[cell.row] = max(heights[cell.row], need(cell))
    for cell in sorted((c for c in cells if c.rowspan > 1), key=lambda c: c.rowspan):
        last = min(cell.row + cell.rowspan, n_rows) - 1
        missing = need(cell) - sum(heights[cell.row:last + 1])
        if missing > 0:
            heights[last] += missing
    return heights


@dataclass
class _Fragment:
    """The part of a table on one page: which grid rows, from which y downwards."""

    page: int
    rows: list[int]
    top: float


def _paginate(flow: PageFlow, table: _Table, repeat_header: bool) -> list[_Fragment]:
    """Whole rows flow onto pages; a row that does not fit starts the next page."""
    header = table.profile.header_rows
    fragments: list[_Fragment] = []
    current = _Fragment(flow.page_index, [], flow.y)
    for r, height in enumerate(table.heights):
        if height > flow.room() + 0.01 and flow.y < TOP:
            if current.rows:
                fragments.append(current)
            flow.new_page()
            current = _Fragment(flow.page_index, [], flow.y)
            if repeat_header and 0 < header <= r:
                current.rows.extend(range(header))
                flow.y -= sum(table.heights[:header])
        current.rows.append(r)
        flow.y -= height
    fragments.append(current)
    return fragments


def _start_low_for_split(flow: PageFlow, table: _Table) -> None:
    """Move down so that only about half of the body rows fit (on the next page if this one
    has not even that much room left)."""
    header = table.profile.header_rows
    split_row = header + (table.n_rows - header) // 2
    above = sum(table.heights[:split_row])
    if flow.room() < above:
        flow.new_page()
    flow.y = BOTTOM + above + table.heights[split_row] / 2


def _lay_table(flow: PageFlow, grid: Grid, style: Style, borders: str, split: bool = False,
               repeat_header: bool = False, widths: Optional[Sequence[float]] = None) -> None:
    table = _measure(grid, style, widths)
    if split and table.n_rows > table.profile.header_rows + 1:
        _start_low_for_split(flow, table)
    owner = table.owner()
    left: dict[int, list[str]] = {}  # lines of merged cells cut by a page break, still to draw
    for fragment in _paginate(flow, table, repeat_header):
        flow.pages[fragment.page].extend(_fragment_ops(table, fragment, owner, style, borders, left))


def _fragment_ops(table: _Table, fragment: _Fragment, owner: dict, style: Style, borders: str,
                  left: dict[int, list[str]]) -> list[Op]:
    row_y = [fragment.top]
    for r in fragment.rows:
        row_y.append(row_y[-1] - table.heights[r])
    position = {r: k for k, r in enumerate(fragment.rows)}
    ops: list[Op] = []
    boxes = []
    for cell in table.cells:
        shown = [position[r] for r in range(cell.row, cell.row + cell.rowspan) if r in position]
        if not shown:
            continue
        x0, x1 = table.col_x[cell.col], table.col_x[cell.col + cell.colspan]
        top, bottom = row_y[shown[0]], row_y[shown[-1] + 1]
        boxes.append((x0, bottom, x1 - x0, top - bottom))
        # As in Word, the text of a merged cell cut by a page break fills the first part and
        # goes on at the top of the next one.
        lines = cell.lines if cell.row in position else left.pop(id(cell), [])
        room = max(1, int((top - bottom - 2 * style.pad_y) // style.table_leading))
        if len(lines) > room and cell.row + cell.rowspan - 1 not in position:
            lines, left[id(cell)] = lines[:room], lines[room:]
        ops.extend(_cell_text(cell, lines, x0, x1, top, bottom, style))
    return ops + _border_ops(table, fragment, row_y, owner, boxes, borders)


def _cell_text(cell: _Cell, lines: list[str], x0: float, x1: float, top: float, bottom: float,
               style: Style) -> list[Op]:
    """The cell's lines, vertically centred (top-aligned when clipped by a page break)."""
    lead, size = style.table_leading, style.table_size
    block = len(lines) * lead
    first_top = top - max((top - bottom - block) / 2, style.pad_y)
    ops: list[Op] = []
    for i, line in enumerate(lines):
        width = text_width(line, size)
        x = x0 + (x1 - x0 - width) / 2 if cell.centred else x0 + style.pad_x
        ops.append(Text(x, _baseline(first_top - i * lead, lead, size), line, size))
    return ops


def _border_ops(table: _Table, fragment: _Fragment, row_y: list[float], owner: dict,
                boxes: list[tuple[float, float, float, float]], borders: str) -> list[Op]:
    if borders == "none":
        return []
    if borders == "cellrects":
        return [Box(*box) for box in boxes]
    edges = _lattice_edges(table, fragment.rows, row_y, owner)
    if borders == "lines":
        return [Rule(*edge) for edge in edges]
    return [_bar(*edge) for edge in edges]


def _lattice_edges(table: _Table, rows: list[int], row_y: list[float], owner: dict) -> list[tuple]:
    """Every unit edge of the grid that separates two different cells (or bounds the table)."""
    n, m = table.n_cols, len(rows)
    edges = []
    for i in range(m + 1):
        for c in range(n):
            if i in (0, m) or owner.get((rows[i - 1], c)) != owner.get((rows[i], c)):
                edges.append((table.col_x[c], row_y[i], table.col_x[c + 1], row_y[i]))
    for j in range(n + 1):
        for i in range(m):
            if j in (0, n) or owner.get((rows[i], j - 1)) != owner.get((rows[i], j)):
                edges.append((table.col_x[j], row_y[i], table.col_x[j], row_y[i + 1]))
    return edges


def _bar(x1: float, y1: float, x2: float, y2: float) -> Bar:
    """A border segment as a filled rectangle RULE_WIDTH thick, overlapping at the corners."""
    half = RULE_WIDTH / 2
    return Bar(min(x1, x2) - half, min(y1, y2) - half, abs(x2 - x1) + RULE_WIDTH, abs(y2 - y1) + RULE_WIDTH)


# ---------------------------------------------------------------- page furniture


def _page_number(number: int, total: int, style: str) -> str:
    return f"- {number} -" if style == "dash" else f"第 {number} 页 共 {total} 页"


def _furnish(pages: list[Page], style: Style, page_numbers: bool, number_style: str,
             running_header: Optional[str], page_frame: bool) -> list[Page]:
    """Add what Word repeats on every page: running header, page frame, page number."""
    out = []
    size = style.small_size
    for n, ops in enumerate(pages, start=1):
        before: list[Op] = []
        if running_header:
            width = text_width(running_header, size)
            before.append(Text(LEFT + (TEXT_W - width) / 2, TOP + 20, running_header, size))
            before.append(Rule(LEFT, TOP + 14, RIGHT, TOP + 14, 0.75))
        if page_frame:
            before.append(Box(LEFT - 4, BOTTOM - 4, TEXT_W + 8, TOP - BOTTOM + 8, 0.75))
        after: list[Op] = []
        if page_numbers:
            label = _page_number(n, len(pages), number_style)
            after.append(Text(LEFT + (TEXT_W - text_width(label, size)) / 2, BOTTOM / 2, label, size))
        out.append(before + ops + after)
    return out


# ---------------------------------------------------------------- painting


def _paint_vector(canvas: Canvas, ops: Iterable[Op]) -> None:
    for op in ops:
        if isinstance(op, Text):
            text = canvas.beginText(op.x, op.y)
            text.setFont(_font_name, op.size)
            text.setCharSpace(op.char_space)
            text.textOut(op.text)
            canvas.drawText(text)
        elif isinstance(op, Rule):
            canvas.setLineWidth(op.width)
            canvas.line(op.x1, op.y1, op.x2, op.y2)
        elif isinstance(op, Bar):
            canvas.rect(op.x, op.y, op.w, op.h, fill=1, stroke=0)
        else:
            canvas.setLineWidth(op.width)
            canvas.rect(op.x, op.y, op.w, op.h, stroke=1, fill=0)


def _scan_image(ops: Iterable[Op]) -> Image.Image:
    """The page as a scanner sees it: dark blobs where glyphs are, strokes where rulings are."""
    scale = SCAN_DPI / 72
    image = Image.new("L", (round(PAGE_W * scale), round(PAGE_H * scale)), 255)
    draw = ImageDraw.Draw(image)

    def px(x: float, y: float) -> tuple[float, float]:
        return x * scale, (PAGE_H - y) * scale

    for op in ops:
        if isinstance(op, Text):
            x = op.x
            for ch in op.text:
                advance = text_width(ch, op.size) + op.char_space
                if not ch.isspace():
                    (a, b), (c, d) = px(x + 0.1 * advance, op.y + 0.75 * op.size), px(x + 0.85 * advance, op.y - 0.05 * op.size)
                    draw.rectangle((a, b, c, d), fill=40)
                x += advance
        elif isinstance(op, Rule):
            draw.line((*px(op.x1, op.y1), *px(op.x2, op.y2)), fill=0, width=1)
        else:
            (a, b), (c, d) = px(op.x, op.y + op.h), px(op.x + op.w, op.y)
            draw.rectangle((a, b, c, d), outline=0, fill=0 if isinstance(op, Bar) else None)
    return image


def _save(pages: list[Page], path: Path, title: str = "", encrypt: Optional[str] = None,
          scanned: bool = False) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    canvas = Canvas(str(path), pagesize=A4, invariant=1, pageCompression=1, encrypt=encrypt)
    if title:
        canvas.setTitle(title)
    for ops in pages:
        if scanned:
            canvas.drawImage(ImageReader(_scan_image(ops)), 0, 0, PAGE_W, PAGE_H)
        else:
            _paint_vector(canvas, ops)
        canvas.showPage()
    canvas.save()
    return path


# ---------------------------------------------------------------- public API


def layout_report(rep, borders: str = "lines", split: bool = False, repeat_header: bool = False,
                  font_size: float = 10.5) -> list[Page]:
    """The report's pages as drawing operations, before page furniture is added (with the
    font _using_font chose)."""
    style = Style(font_size)
    items = blocks(rep)
    flow = PageFlow()
    kinds = _paragraph_kinds(items)
    for i, (item, kind) in enumerate(zip(items, kinds)):
        if kind == "table":
            flow.y -= style.font_size / 2
            is_t3 = _place(item)[2] == 10
            _lay_table(flow, item, style, borders, split=split and is_t3, repeat_header=repeat_header)
            flow.y -= style.font_size / 2
        else:
            _lay_paragraph(flow, item, kind, style)
            if kind == "title" and kinds[i + 1:i + 2] != ["title"]:
                flow.y -= style.leading  # the blank line Word authors leave under the title
    return flow.pages


def write_pdf(rep, path, borders: str = "lines", split: bool = False, page_numbers: bool = True,
              running_header: bool = False, page_frame: bool = False, encrypt: Optional[str] = None,
              scanned: bool = False, font_size: float = 10.5, repeat_header: bool = False,
              page_number_style: str = "dash", font: str = "cid") -> Path:
    """Write the generated report `rep` as an A4 PDF like a Word export; returns the path.

    borders: "lines" (one segment per cell edge), "rects" (edges as thin filled rectangles),
    "cellrects" (every cell stroked as its own rectangle) or "none".
    split: start 表三 low on a page so that about half of its rows go to the next page;
    repeat_header repeats its header rows there. page_number_style: "dash" ("- 1 -") or
    "total" ("第 1 页 共 N 页"). encrypt: a user password. scanned: image-only pages.
    font: "cid" (STSong-Light, not embedded: the reader's machine substitutes a font) or
    "embedded" (a TrueType font embedded with its widths).
    """
    if borders not in BORDER_STYLES:
        raise ValueError(f"borders must be one of {BORDER_STYLES}")
    if page_number_style not in PAGE_NUMBER_STYLES:
        raise ValueError(f"page_number_style must be one of {PAGE_NUMBER_STYLES}")
    style = Style(font_size)
    with _using_font(font):
        pages = layout_report(rep, borders, split, repeat_header, font_size)
        pages = _furnish(pages, style, page_numbers, page_number_style,
                         rep.agency if running_header else None, page_frame)
        title = f"{rep.title_year or rep.year}年政府信息公开工作年度报告"
        return _save(pages, Path(path), title=title, encrypt=encrypt, scanned=scanned)


def write_table_pdf(grid: Grid, path, borders: str = "lines", font_size: float = 10.5,
                    widths: Optional[Sequence[float]] = None, font: str = "cid") -> Path:
    """One table alone at the top of the text area (breaking onto more pages if it must).

    widths: relative column widths; by default chosen as for the official tables (10
    columns: 表三, 15: 表四, otherwise a wide first column as in 表二).
    """
    if borders not in BORDER_STYLES:
        raise ValueError(f"borders must be one of {BORDER_STYLES}")
    with _using_font(font):
        flow = PageFlow()
        _lay_table(flow, grid, Style(font_size), borders, widths=widths)
        return _save(flow.pages, Path(path))


@dataclass(frozen=True)
class Placed:
    """A line of text at x points from the left and y points from the top (its baseline)."""

    x: float
    y: float
    text: str
    size: float = 10.5
    page: int = 1


def write_text_only_pdf(lines: Iterable[Union[Placed, tuple]], path, font: str = "cid") -> Path:
    """Draw each line exactly where it is asked for: (x, y, text[, size[, page]]), y from the top.

    For small hand-made reader cases: columns of words without rulings, odd reading orders.
    """
    placed = [line if isinstance(line, Placed) else Placed(*line) for line in lines]
    pages: list[Page] = [[] for _ in range(max((p.page for p in placed), default=1))]
    for p in placed:
        pages[p.page - 1].append(Text(p.x, PAGE_H - p.y, p.text, p.size))
    with _using_font(font):
        return _save(pages, Path(path))
