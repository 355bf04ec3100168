"""Page geometry → lines and table grids. Pure geometry: knows nothing about PDFium or reports.

Coordinates are top-down (y grows downwards), in points. Tables come from ruling lines
where the page has them: the rulings that touch each other form a table, their x and y
positions form a base grid, and neighbouring base cells with no ruling between them are
one merged cell. Characters are then dealt to the cells by their centres.
"""
from __future__ import annotations

from bisect import bisect_right
from operator import attrgetter, itemgetter
from dataclasses import dataclass, field
from typing import NamedTuple, Optional, Sequence

from ..textnorm import has_cjk

SNAP = 1.5  # points: rulings closer than this are the same line
JOIN_GAP = 2.5  # points: collinear pieces closer than this are one ruling
COVER = 0.5  # share of a cell edge a ruling must cover to separate two cells
_HANGING = frozenset("，。、；：！？）》」』”’,.;:!?)")


class Char:
    """One character and its box. Slots with the centre, height and width class worked out
    once: a page's layout reads them tens of thousands of times. Never changed once made."""

    __slots__ = ("text", "x0", "top", "x1", "bottom", "cx", "cy", "height", "wide")

    def __init__(self, text: str, x0: float, top: float, x1: float, bottom: float,
                 wide: Optional[bool] = None) -> None:
        """wide: is_wide(text), where the caller knows it already (the PDF reader: once per
        character code on a page, not once per character)."""
        self.text, self.x0, self.top, self.x1, self.bottom = text, x0, top, x1, bottom
        self.cx = (x0 + x1) / 2
        self.cy = (top + bottom) / 2
        self.height = bottom - top
        self.wide = is_wide(text) if wide is None else wide

    def __repr__(self) -> str:
        return f"Char({self.text!r}, {self.x0:.1f}, {self.top:.1f}, {self.x1:.1f}, {self.bottom:.1f})"


class Ruling(NamedTuple):
    """A horizontal (pos = y, span along x) or vertical (pos = x, span along y) line. A named
    tuple: a ruled page has hundreds, and a frozen dataclass is several times slower to make."""

    horizontal: bool
    pos: float
    start: float
    end: float


# A piece of a ruling as drawn: (horizontal, pos, start, end), a Ruling's fields in their order.
# The PDF reader keeps the pieces as plain tuples, and makes Rulings only of what merge_rulings
# leaves (a ruled page draws hundreds of pieces, and a plain tuple is several times cheaper).
RulingPiece = tuple[bool, float, float, float]


@dataclass
class Page:
    """One page's characters and ruling lines, from its text layer or (ocr set) its image."""
    number: int
    width: float
    height: float
    chars: list[Char]
    rulings: list[Ruling]
    has_images: bool
    ocr: Optional[object] = None  # ocr.Recognised: the page was read from its image


@dataclass
class Line:
    chars: list[Char]

    @property
    def top(self) -> float:
        return min([c.top for c in self.chars])

    @property
    def bottom(self) -> float:
        return max([c.bottom for c in self.chars])

    @property
    def x0(self) -> float:
        return self.chars[0].x0

    @property
    def x1(self) -> float:
        return self.chars[-1].x1

    def text(self) -> str:
        return chars_text(self.chars)

    def words(self, gap_factor: float = 1.0) -> list[list[Char]]:
        """Runs of characters separated by gaps wider than gap_factor × character height."""
        runs: list[list[Char]] = [[self.chars[0]]]
        for prev, ch in zip(self.chars, self.chars[1:]):
            if ch.x0 - prev.x1 > gap_factor * max(prev.height, ch.height, 1.0):
                runs.append([ch])
            else:
                runs[-1].append(ch)
        return runs


@dataclass
class GridTable:
    """A table rebuilt from rulings: base grid lines and merged cells with their text."""

    xs: list[float]
    ys: list[float]
    cells: dict[tuple[int, int], tuple[int, int]]  # origin (row, col) → (rowspan, colspan)
    owner: dict[tuple[int, int], tuple[int, int]]  # every base position → its cell's origin
    texts: dict[tuple[int, int], list[Char]] = field(default_factory=dict)

    @property
    def top(self) -> float:
        return self.ys[0]

    @property
    def bottom(self) -> float:
        return self.ys[-1]

    @property
    def n_rows(self) -> int:
        return len(self.ys) - 1

    @property
    def n_cols(self) -> int:
        return len(self.xs) - 1

    def contains(self, ch: Char) -> bool:
        return self.xs[0] <= ch.cx <= self.xs[-1] and self.ys[0] <= ch.cy <= self.ys[-1]

    def add(self, ch: Char) -> None:
        self.add_all((ch,))

    def add_all(self, chars: Sequence[Char]) -> None:
        """Deal characters to the cells their centres fall in, in the order given."""
        ys, xs, owner, texts = self.ys, self.xs, self.owner, self.texts
        last_row, last_col = len(ys) - 2, len(xs) - 2
        for ch in chars:  # clamped to the grid (written out: this runs for every character in a table)
            row = bisect_right(ys, ch.cy) - 1
            row = 0 if row < 0 else last_row if row > last_row else row
            # Punctuation may hang past the cell's right edge (Word's 允许标点溢出边界): it
            # belongs where it starts, not where its centre falls.
            x = ch.x0 + 0.1 * ch.height if ch.text in _HANGING else ch.cx
            col = bisect_right(xs, x) - 1
            col = 0 if col < 0 else last_col if col > last_col else col
            origin = owner[(row, col)]
            cell = texts.get(origin)
            if cell is None:
                texts[origin] = [ch]
            else:
                cell.append(ch)

    def cell_text(self, origin: tuple[int, int]) -> str:
        return block_text(self.texts.get(origin, []))


# ---------------------------------------------------------------- text


def is_wide(ch: str) -> bool:
    """A full-width character: CJK ideographs and punctuation, full-width forms."""
    return "\u2e80" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\uff00" <= ch <= "\uffef" \
        or "\U00020000" <= ch <= "\U0003ffff" or ch in "“”‘’…—"


def chars_text(chars: list[Char]) -> str:
    """One line's characters as text, with a space where the gap is wide. Justified Chinese
    text spreads its characters: only a gap of a whole character between two Chinese
    characters is a space; Latin words and numbers need less. (Written out, not a helper
    per pair: this runs for every character of the page.)"""
    if len(chars) == 1:
        return chars[0].text.strip()
    out: list[str] = []
    append = out.append
    prev_text: Optional[str] = None  # the previous character's text, right edge, height and width class
    prev_x1 = prev_height = 0.0
    prev_wide = False
    for ch in chars:
        height, wide = ch.height, ch.wide
        if prev_text is not None and prev_text != " ":  # no second space after one in the text
            size = height if height > prev_height else prev_height
            if size < 1.0:
                size = 1.0
            share = (1.0 if wide else 0.6) if prev_wide else (0.6 if wide else 0.2)
            if ch.x0 - prev_x1 > share * size:
                append(" ")
        prev_text = ch.text
        append(prev_text)
        prev_x1, prev_height, prev_wide = ch.x1, height, wide
    return "".join(out).strip()


def group_lines(chars: list[Char]) -> list[Line]:
    """Characters → lines, top to bottom; a character joins a line its centre falls within."""
    lines: list[Line] = []
    line: list[Char] = []
    ref_cy: Optional[float] = None  # the centre and height of the last line's first character
    ref_height = 0.0
    for ch in sorted(chars, key=_BY_CENTRE_THEN_LEFT):
        height, cy = ch.height, ch.cy
        if ref_cy is not None:
            size = height if height > ref_height else ref_height
            if abs(cy - ref_cy) <= 0.5 * (size if size > 1.0 else 1.0):
                line.append(ch)
                continue
        line = [ch]
        lines.append(Line(line))
        ref_cy, ref_height = cy, height
    for each in lines:
        if len(each.chars) > 1:
            each.chars.sort(key=_BY_LEFT)
    return lines


_BY_CENTRE_THEN_LEFT = attrgetter("cy", "x0")
_BY_LEFT = attrgetter("x0")
_BY_POS_THEN_START = itemgetter(1, 2)  # of a RulingPiece or a Ruling
_BY_START = itemgetter(2)


def block_text(chars: list[Char]) -> str:
    """Text of a cell: its lines joined, with no space where a CJK label was broken."""
    if len(chars) < 2:  # most cells of a table: empty, or one digit
        return chars[0].text.strip() if chars else ""
    pieces = [ln.text() for ln in group_lines(chars)]
    out = ""
    for piece in pieces:
        if not piece:
            continue
        if out and not (has_cjk(out[-1]) or has_cjk(piece[0]) or out[-1] in "（(-—/" or piece[0] in "）)"):
            out += " "
        out += piece
    return out


# ---------------------------------------------------------------- rulings


def merge_rulings(rulings: Sequence[RulingPiece]) -> list[Ruling]:
    """Snap nearly equal positions together and join collinear pieces that touch. (rulings:
    Rulings or plain RulingPiece tuples.)"""
    out: list[Ruling] = []
    for horizontal in (True, False):
        group = sorted((r for r in rulings if r[0] == horizontal), key=_BY_POS_THEN_START)
        bands: list[list[RulingPiece]] = []
        for r in group:
            if bands and r[1] - bands[-1][0][1] <= SNAP:
                bands[-1].append(r)
            else:
                bands.append([r])
        for band in bands:
            pos = sum(r[1] for r in band) / len(band)
            pieces = sorted(band, key=_BY_START)
            start, end = pieces[0][2], pieces[0][3]
            for _, _, piece_start, piece_end in pieces[1:]:
                if piece_start <= end + JOIN_GAP:
                    end = max(end, piece_end)
                else:
                    out.append(Ruling(horizontal, pos, start, end))
                    start, end = piece_start, piece_end
            out.append(Ruling(horizontal, pos, start, end))
    return out


def ruling_groups(rulings: list[Ruling]) -> list[list[Ruling]]:
    """Rulings that touch, directly or through others: one group per drawn table."""
    parent = list(range(len(rulings)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    hs = [i for i, r in enumerate(rulings) if r.horizontal]
    vs = [(j, r.pos, r.start - JOIN_GAP, r.end + JOIN_GAP) for j, r in enumerate(rulings) if not r.horizontal]
    for i in hs:
        h = rulings[i]
        left, right, y = h.start - JOIN_GAP, h.end + JOIN_GAP, h.pos
        for j, x, top, bottom in vs:  # do h and v touch (within JOIN_GAP)? Every pair of a page's rulings
            if left <= x <= right and top <= y <= bottom:
                parent[find(i)] = find(j)
    groups: dict[int, list[Ruling]] = {}
    for i, r in enumerate(rulings):
        groups.setdefault(find(i), []).append(r)
    return list(groups.values())


def _cluster(values: list[float], tol: float = SNAP * 2) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= tol:
            continue
        out.append(v)
    return out


def _covered(spans: list[tuple[float, float]], start: float, end: float) -> bool:
    """Is the stretch start..end of a grid line drawn, at least COVER of it? (spans: the
    stretches its rulings draw.) Written out: this runs for two edges of every cell."""
    need = COVER * (end - start)
    drawn = 0.0
    for r_start, r_end in spans:
        # max(0.0, min(r_end, end) - max(r_start, start)), as those builtins compare
        overlap = (end if end < r_end else r_end) - (start if start > r_start else r_start)
        if overlap > 0.0:
            drawn += overlap
    return drawn >= need


def _ends(rulings: list[Ruling]) -> list[float]:
    return [min(r.start for r in rulings), max(r.end for r in rulings)] if rulings else []


def grid_from_rulings(group: list[Ruling]) -> Optional[GridTable]:
    """The base grid of one ruling group and its merged cells; None if it is not a table."""
    hs = [r for r in group if r.horizontal]
    vs = [r for r in group if not r.horizontal]
    # The far ends of the crossing rulings close a table whose last border is not drawn
    # (a table that goes on over a page break) or whose outer verticals are left out.
    ys = _cluster([r.pos for r in hs] + _ends(vs))
    xs = _cluster([r.pos for r in vs] + _ends(hs))
    if len(xs) < 3 or len(ys) < 2:  # a frame, an underline or a box: not a table
        return None
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    # Each grid line's own rulings, found once (in their order: the same sums as over all of
    # them) rather than for every cell along it.
    hs = {y: [(r.start, r.end) for r in hs if abs(r.pos - y) <= SNAP * 2] for y in ys}
    vs = {x: [(r.start, r.end) for r in vs if abs(r.pos - x) <= SNAP * 2] for x in xs}
    origin: dict[tuple[int, int], tuple[int, int]] = {}
    cells: dict[tuple[int, int], tuple[int, int]] = {}
    for r in range(n_rows):
        for c in range(n_cols):
            if (r, c) in origin:
                continue
            rowspan, colspan = _span(hs, vs, xs, ys, r, c, origin)
            cells[(r, c)] = (rowspan, colspan)
            for dr in range(rowspan):
                for dc in range(colspan):
                    origin.setdefault((r + dr, c + dc), (r, c))
    return GridTable(xs, ys, cells, origin)


def _span(hs, vs, xs, ys, r: int, c: int, taken) -> tuple[int, int]:
    """Grow a cell right while no vertical ruling separates it, then down likewise (hs, vs:
    the rulings at each grid line)."""
    colspan = 1
    while c + colspan < len(xs) - 1 and (r, c + colspan) not in taken \
            and not _covered(vs[xs[c + colspan]], ys[r], ys[r + 1]):
        colspan += 1
    rowspan = 1
    while r + rowspan < len(ys) - 1 and not _covered(hs[ys[r + rowspan]], xs[c], xs[c + colspan]) \
            and all((r + rowspan, c + k) not in taken for k in range(colspan)):
        rowspan += 1
    return rowspan, colspan


def regrid(grid: GridTable, xs: list[float]) -> GridTable:
    """The same table on a finer column grid (xs includes every line of grid.xs): cells
    widen their colspan over the column lines they straddle."""
    if len(xs) == len(grid.xs):
        return grid
    new_col = [min(range(len(xs)), key=lambda k: abs(xs[k] - x)) for x in grid.xs]
    cells: dict[tuple[int, int], tuple[int, int]] = {}
    owner: dict[tuple[int, int], tuple[int, int]] = {}
    for (r, c), (rowspan, colspan) in grid.cells.items():
        start, end = new_col[c], new_col[c + colspan]
        cells[(r, start)] = (rowspan, end - start)
        for dr in range(rowspan):
            for k in range(start, end):
                owner[(r + dr, k)] = (r, start)
    texts = {(r, new_col[c]): chars for (r, c), chars in grid.texts.items()}
    return GridTable(list(xs), grid.ys, cells, owner, texts)
