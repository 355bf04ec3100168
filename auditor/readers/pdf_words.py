"""Lines outside ruled tables → paragraph text; rows of a table without rulings → tab rows.

A borderless table shows itself as lines whose numbers stand apart in columns. The column
positions are the clusters of the numbers' centres over consecutive such lines, so a row
with a blank cell still puts its other values in the right columns. Such rows are written
with tabs (the layout whose empty cells keep their place): each label word, then one cell
per column. Lines between them without numbers (labels broken over lines, header rows)
stay plain text, as label fragments.
"""
from __future__ import annotations

import regex as re

from .pdf_layout import Line, chars_text

WORD_GAP = 1.2  # × character height: a wider gap separates two cells
MIN_NUMBERS = 3
COLUMN_TOLERANCE = 1.2  # × median character height: number centres this close share a column  # numbers standing apart on a line before it is taken as a table row
_NUMBER = re.compile(r"^[+\-]?\d[\d,]*(?:\.\d+)?%?$")


def _words(line: Line) -> list[str]:
    return [chars_text(w) for w in line.words(WORD_GAP)]


def _numbers(line: Line) -> list[tuple[float, str]]:
    """(centre, text) of the words that are numbers."""
    out = []
    for word in line.words(WORD_GAP):
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


def _tab_row(line: Line, columns: list[float]) -> str:
    labels: list[str] = []
    cells = [""] * len(columns)
    for word in line.words(WORD_GAP):
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


def _regions(lines: list[Line], tolerance: float) -> list[list[int]]:
    """Indexes of table-row lines, grouped by table: a line joins the open region when its
    numbers stand in the region's columns; a line with only one or two numbers (another
    table, or prose) closes it. Lines without numbers in between do not."""
    regions: list[list[int]] = []
    columns: list[float] = []
    for i, line in enumerate(lines):
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
    for region in _regions(lines, tolerance):
        columns = _column_centres([_numbers(lines[i]) for i in region], tolerance)
        for i in region:
            rendered[i] = _tab_row(lines[i], columns)
    return [(line.top, rendered[i]) for i, line in enumerate(lines)]
