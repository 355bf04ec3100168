"""Lines outside ruled tables → paragraph text; rows of a table without rulings → tab rows.

A borderless table shows itself as lines whose numbers stand apart in columns. The column
positions are the clusters of the numbers' centres over consecutive such lines, so a row
with a blank cell still puts its other values in the right columns. Such rows are written
with tabs (the layout whose empty cells keep their place): each label word, then one cell
per column. Lines between them without numbers (labels broken over lines, header rows)
stay plain text, as label fragments. Cells of narrow columns may stand closer than a word
gap: they are told apart by the table's column gutters and left edges (see _words).
"""
from __future__ import annotations

from typing import Sequence

import regex as re

from .pdf_layout import Char, Line, chars_text

WORD_GAP = 1.2  # × character height: a wider gap separates two cells
CELL_GAP = 0.2  # × character height: a narrower gap can separate two cells too (see _words)
START_TOLERANCE = 1.0  # points: words starting this close start in the same column
MIN_STARTS = 3  # words starting at one x on this many lines of a table: a column's left edge
GUTTER_SHARE = 0.2  # a column gutter: an x that the text of at most this share of a table's lines crosses
MIN_NUMBERS = 3
COLUMN_TOLERANCE = 1.2  # × median character height: number centres this close share a column  # numbers standing apart on a line before it is taken as a table row
_NUMBER = re.compile(r"^[+\-]?\d[\d,]*(?:\.\d+)?%?$")
_DIGIT = re.compile(r"\d")  # what every _NUMBER holds


class _Gutters:
    """Where a table's columns part: x positions (half-point steps) that the text of few of
    its lines crosses. A cell spanning several columns crosses them; most lines do not."""

    def __init__(self, lines: Sequence[Line] = ()) -> None:
        self.crossed: dict[int, int] = {}
        for line in lines:
            covered = {k for ch in line.chars for k in range(int(ch.x0 * 2) + 1, int(ch.x1 * 2))}
            for k in covered:
                self.crossed[k] = self.crossed.get(k, 0) + 1
        self.limit = GUTTER_SHARE * len(lines)

    def between(self, x0: float, x1: float) -> bool:
        return bool(self.crossed) and any(self.crossed.get(k, 0) <= self.limit
                                          for k in range(int(x0 * 2) + 1, int(x1 * 2)))


_NO_GUTTERS = _Gutters()


def _words(line: Line, gutters: _Gutters = _NO_GUTTERS, starts: Sequence[float] = ()) -> list[list[Char]]:
    """The line's words. Narrow columns bring cells closer than a word gap, so a word also
    ends at a smaller gap (CELL_GAP) that is
    - between two numbers ("164" + "1072", right-aligned in narrow columns),
    - before a numbered label ("（三）不予" + "1.属于国家秘密", "三、" + "（一）予以公开"),
    - through a column gutter, or before a column's left edge (starts): left-aligned
      cells whose text runs up to the next column ("不予公" + "秘密").
    A gap inside one cell (spread-out "总  计") is none of these."""
    out: list[list[Char]] = []
    for word in line.words(WORD_GAP):
        out.append([word[0]])
        for k in range(1, len(word)):
            prev, ch = word[k - 1], word[k]
            if ch.x0 - prev.x1 > CELL_GAP * max(ch.height, prev.height) and (
                    (prev.text.isdigit() and ch.text.isdigit()) or _may_number(ch.text)
                    and _NUMBERED.match(chars_text(word[k:k + 6]))
                    or gutters.between(prev.x1, ch.x0) or _near(ch.x0, starts)):
                out.append([ch])
            else:
                out[-1].append(ch)
    return out


_NUMBERED = re.compile(r"^(?:\d{1,2}[.．、]|[（(][一二三四五六七八九十]{1,3}[）)]|[一二三四五六七八九十]{1,3}、)")
_NUMBERED_START = frozenset("（(一二三四五六七八九十")


def _may_number(text: str) -> bool:
    """Could a label numbered as _NUMBERED start with this character? Most cannot, and this
    is far cheaper than joining the next characters to try the pattern."""
    first = text[:1]
    return first in _NUMBERED_START or first.isdigit() or not first.strip()


def _near(x: float, starts: Sequence[float]) -> bool:
    return any(abs(x - s) <= START_TOLERANCE for s in starts)


def _column_starts(lines: Sequence[Line], gutters: _Gutters) -> list[float]:
    """Left edges of columns: x where words start on several lines of a table."""
    xs = sorted(word[0].x0 for line in lines for word in _words(line, gutters))
    clusters: list[list[float]] = []
    for x in xs:
        if clusters and x - clusters[-1][0] <= START_TOLERANCE:
            clusters[-1].append(x)
        else:
            clusters.append([x])
    return [c[0] for c in clusters if len(c) >= MIN_STARTS]


def _numbers(line: Line) -> list[tuple[float, str]]:
    """(centre, text) of the words that are numbers."""
    out = []
    for word in _words(line):
        text = chars_text(word)
        if _NUMBER.match(text):
            out.append(((word[0].x0 + word[-1].x1) / 2, text))
    return out


def _column_centres(rows: list[list[tuple[float, str]]], tolerance: float) -> list[float]:
    centres = sorted(x for row in rows for x, _ in row)
    clusters: list[list[float]] = []
    for x in centres:
        if clusters and x - clusters[-1][-1] <= tolerance:
            clusters[-1].append(x)
        else:
            clusters.append([x])
    return [sum(c) / len(c) for c in clusters]


def _tab_row(line: Line, columns: list[float], gutters: _Gutters, starts: list[float]) -> str:
    labels: list[str] = []
    cells = [""] * len(columns)
    for word in _words(line, gutters, starts):
        text = chars_text(word)
        if _NUMBER.match(text):
            centre = (word[0].x0 + word[-1].x1) / 2
            k = min(range(len(columns)), key=lambda i: abs(columns[i] - centre))
            cells[k] = text
        else:
            labels.append(text)
    return "\t".join(labels + cells)


def _fits(numbers: list[tuple[float, str]], columns: list[float], tolerance: float) -> bool:
    """Do most of a line's numbers stand in the region's columns so far?"""
    near = sum(1 for x, _ in numbers if any(abs(x - c) <= tolerance for c in columns))
    return near >= 0.6 * len(numbers)


def _regions(lines: list[Line], texts: list[str], tolerance: float) -> list[list[int]]:
    """Indexes of table-row lines, grouped by table: a line joins the open region when its
    numbers stand in the region's columns; a line with only one or two numbers (another
    table, or prose) closes it. Lines without numbers in between do not. (texts: each
    line's text; a line without a digit has no number, and its words need not be found.)"""
    regions: list[list[int]] = []
    columns: list[float] = []
    for i, line in enumerate(lines):
        if not _DIGIT.search(texts[i]):
            continue
        numbers = _numbers(line)
        if len(numbers) >= MIN_NUMBERS:
            if not columns or not _fits(numbers, columns, tolerance):
                regions.append([])
                columns = []
            regions[-1].append(i)
            columns = _column_centres([numbers, [(c, "") for c in columns]], tolerance)
        elif numbers:
            columns = []
    return regions


def borderless_lines(lines: list[Line], page: int) -> list[tuple[float, str]]:
    """(top, text) per line; rows of a borderless table come as tab-separated cells."""
    rendered = {i: line.text() for i, line in enumerate(lines)}
    heights = sorted(c.height for line in lines for c in line.chars)
    tolerance = COLUMN_TOLERANCE * heights[len(heights) // 2] if heights else 10.0
    regions = _regions(lines, list(rendered.values()), tolerance)
    spans = [range(region[0], region[-1] + 1) for region in regions]
    table_lines = [lines[i] for span in spans for i in span]
    gutters = _Gutters(table_lines)
    starts = _column_starts(table_lines, gutters)
    for region, span in zip(regions, spans):
        columns = _column_centres([_numbers(lines[i]) for i in region], tolerance)
        rows = set(region)
        for i in span:
            if i in rows:
                rendered[i] = _tab_row(lines[i], columns, gutters, starts)
            else:  # a label line between rows: its pieces of different columns kept apart
                rendered[i] = " ".join(chars_text(w) for w in _words(lines[i], gutters, starts))
    return [(line.top, rendered[i]) for i, line in enumerate(lines)]
