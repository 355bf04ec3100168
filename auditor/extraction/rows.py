"""Document blocks → rows of cells.

Text-only layouts become rows here: tab-separated lines and `a | b |` / Markdown rows keep
their empty cells (positions mean something), space-aligned lines (pdftotext -layout)
split on runs of spaces, and anything else is a one-cell row. Grids from other readers
become one row per grid row.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import regex as re

from ..model import Document, GridCell, Paragraph, Source
from ..values import CellValue, is_page_number, parse_cell

# Labels of merged cells run together too: "三、本年度办理结果（一）予以公开", "（三）不予公开1.属于国家秘密".
_INNER_MARKER = re.compile(r"(?<=[\p{Han}）)”])(?=（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、|\d{1,2}[.、．]\p{Han})")
# Glued digits (signs start a number: "行政事业性收费249-8" is 249 and -8): how they split into cells depends on the table's columns (see value_rows.split_glued).
RUN_VALUE = CellValue(None, "run")


@dataclass(slots=True)  # tens of thousands per batch: slots make them cheaper to build and read
class Cell:
    text: str
    source: Source
    value: Optional[CellValue]  # None: the cell is a label, not a value
    covered: bool = False

    @property
    def is_label(self) -> bool:
        return self.value is None


@dataclass(slots=True)
class Row:
    index: int  # position in the row list
    cells: list[Cell]
    source: Source
    grid: bool  # empty cells keep their place
    text: str  # the line or row as printed
    page_break_before: bool = False  # a new page (or a page number line) comes just before
    blank_before: int = 0  # empty lines just before it (web pages rendered as text: one paragraph a cell)
    blank_after: int = 0  # empty lines just after it
    empty_cell: bool = False  # a line that is only "|": a web page's empty cell (or the end of its row)

    @property
    def labels(self) -> list[Cell]:
        return [c for c in self.cells if c.is_label and c.text.strip()]

    @property
    def has_numbers(self) -> bool:
        for c in self.cells:  # a plain loop: asked of every row by several passes, cheaper than any(...)
            if c.value is not None and c.value.kind in ("number", "run"):
                return True
        return False


_MD_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_SPACE_RUN = re.compile(r"\s{2,}")
_TRAILING_NUMBERS = re.compile(r"^(?P<label>.*?\p{Han}[^\d\s]*)\s+(?P<nums>(?:[+\-]?\d[\d,.]*\s*)+)$")
_HEADING_MARK = re.compile(r"^#{1,6}\s*")
# A label with its cells' digits run together, nothing between them ("规章000", "行政事业性收费00"):
# the digits follow a Chinese character or a closing bracket directly.
_GLUED_RUN = re.compile(r"^(?P<label>.*[\p{Han}）)”」])(?<!第)(?P<run>[+\-]?\d[\d.,+\-]*)(?P<unit>件|个|次|家|份|万元|元)?$")


def document_rows(doc: Document) -> list[Row]:
    rows: list[Row] = []
    page_break = False
    blanks = 0
    last: Optional[Row] = None  # the row appended last
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            stripped = block.text.strip()
            page_number = _is_page_number(stripped)
            if page_number or "\f" in block.text:
                # a form feed (pdftotext) or a page number line ("-3-", "第 3 页") sits between pages
                page_break = True
            elif not stripped:
                blanks += 1
                continue
            row = None if page_number else _line_row(block, len(rows))
            if row is None:
                continue
            new_rows = (row,)
        else:
            new_rows = [_grid_row(grid_row, block.source, len(rows) + i) for i, grid_row in enumerate(block.rows)]
        for row in new_rows:
            previous_page = last.source.page if last is not None else None
            row.page_break_before = page_break or (
                previous_page is not None and row.source.page is not None and row.source.page != previous_page
            )
            page_break = False
            row.blank_before, blanks = blanks, 0
            if last is not None:
                last.blank_after = row.blank_before
            rows.append(row)
            last = row
    if rows:
        rows[-1].blank_after = blanks
    return rows


def _is_page_number(stripped: str) -> bool:
    """values.is_page_number, asked only of lines that can be one: "-3-", "第 3 页" and "3/12"
    start with a dash, 第 or a digit (never isalpha) and hold a dash, 页 or a slash. Most lines
    start with a Chinese character; a table's number lines hold none of those."""
    first = stripped[:1]
    if first.isalpha() and first != "第":
        return False
    return ("-" in stripped or "—" in stripped or "–" in stripped or "页" in stripped or "/" in stripped) \
        and is_page_number(stripped)


def _cell(text: str, source: Source, covered: bool = False) -> Cell:
    text = text.strip()
    return Cell(text, source, parse_cell(text), covered)


def _cells(parts: list[str], source: Source) -> list[Cell]:
    """The cells of a line's parts (_cell for each, in one loop: a report has hundreds)."""
    return [Cell(text, source, parse_cell(text)) for text in map(str.strip, parts)]


def _grid_row(cells: list[GridCell], source: Source, index: int) -> Row:
    texts = [c.text for c in cells]
    out = [Cell(text, c.source, parse_cell(text), c.covered) for text, c in zip(map(str.strip, texts), cells)]
    text = " | ".join(texts)
    return Row(index, out, cells[0].source if cells else source, True, text)


def _line_row(par: Paragraph, index: int) -> Optional[Row]:
    """A paragraph's row (document_rows has left out page number lines). Most lines are prose
    or plain cells: the cheap checks (a character present or not) come before each regex."""
    line = par.text.rstrip(" \r\n")  # trailing tabs are empty cells
    stripped = line.strip()
    if not stripped or ("--" in stripped and _MD_SEPARATOR.match(stripped)):
        return None
    src = par.source
    if stripped[0] == "|" and not stripped.strip("|"):
        # Pipes alone: a web page's table rendered one cell a line. "|" is an empty cell (or
        # ends a row); a longer run of pipes only pads a row out to the table's width.
        if len(stripped) == 1:
            return Row(index, [_cell("", src)], src, False, line, empty_cell=True)
        return Row(index, [], src, False, line)
    if stripped.endswith("|") and stripped.count("|") == 1:
        # "规章 |", "0 |": one cell a line, each closed by a pipe
        line = stripped = stripped[:-1].rstrip()
    if "\t" in line:
        return Row(index, _cells(line.split("\t"), src), src, True, line)
    if stripped.count("|") >= 2 or (stripped.startswith("|") and stripped.endswith("|")) or (
            " | " in stripped and stripped.count("|") == 1):
        # (the last: "行政处罚 | 0", an `a | b |` row without its closing pipe, as a cut copy ends)
        # "| a | b |" is Markdown; " | b |" (indented) is an `a | b |` row whose first cell is empty
        leading_empty = line[:1].isspace() and stripped.startswith("|")
        parts = stripped.strip("|").split("|")
        if leading_empty:
            parts.insert(0, "")
        return Row(index, _cells(parts, src), src, True, line)
    if stripped[0] == "#":
        stripped = _HEADING_MARK.sub("", stripped)
    if len(stripped.split(None, 1)) < 2:
        parts = [stripped] if stripped else []  # no whitespace (str.isspace covers regex's \s): nothing to split
    else:
        parts = [p for p in _SPACE_RUN.split(stripped) if p.strip()]
    cells: list[Cell] = []
    for part in parts:
        cells.extend(_split_numbers(part, src))
    return Row(index, cells, src, False, line)


_LEADING_ZERO = re.compile(r"^0\d+$")
_UNIT_END = re.compile(r"\d(?:件|个|次|家|份|万元|元)$")
_UNIT_LAST = frozenset("件个次家份元")  # _UNIT_END's last characters: searching prose for it costs a scan


def _number_cell(token: str, src: Source) -> Cell:
    """A number printed in a line; digits with a leading zero ("000", "0012") are cells run
    together, not one number."""
    if _LEADING_ZERO.match(token):
        return Cell(token, src, RUN_VALUE)
    return _cell(token, src)


def _open_brackets(text: str) -> bool:
    return text.count("（") + text.count("(") > text.count("）") + text.count(")")


def _split_numbers(part: str, src: Source) -> list[Cell]:
    """'0 5 5' → three cells; '行政许可 97' → label and value; anything else stays one cell."""
    tokens = part.split()
    if len(tokens) > 1 and all(parse_cell(t) is not None and parse_cell(t).kind == "number" for t in tokens):
        return [_number_cell(t, src) for t in tokens]
    last = part.rstrip()[-1:]
    if not (last.isdigit() or last in (",", ".") or (last in _UNIT_LAST and _UNIT_END.search(part))):
        return [_cell(part, src)]  # not ending in a number; the regex below is slow on prose
    # A number alone ("12", "0.5"): both label patterns need a Chinese character (or a closing bracket).
    unlabelled = part.isascii() and ")" not in part
    m = None if unlabelled else _TRAILING_NUMBERS.match(part)
    if m and _open_brackets(m.group("label")):
        return [_cell(part, src)]  # "（指2020年增加或减少的事项数，减用负值表示，如 -8": a hint broken over lines
    if m and len(m.group("label")) <= 40:
        nums = m.group("nums").split()
        if all(parse_cell(t) is not None for t in nums):
            return [_cell(m.group("label"), src)] + [_number_cell(t, src) for t in nums]
    if _LEADING_ZERO.match(part.strip()):
        return [_number_cell(part.strip(), src)]
    glued = None if unlabelled else _GLUED_RUN.match(part.strip())
    if glued and len(glued.group("label")) <= 60 and parse_cell(part.strip()) is None \
            and not _open_brackets(glued.group("label")):
        labels = [_cell(p, src) for p in _INNER_MARKER.split(glued.group("label")) if p.strip()]
        if glued.group("unit"):  # "行政许可5件": one number with its unit
            return labels + [_cell(glued.group("run") + glued.group("unit"), src)]
        return labels + [Cell(glued.group("run"), src, RUN_VALUE)]
    return [_cell(part, src)]
