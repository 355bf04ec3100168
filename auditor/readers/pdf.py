"""PDF with a text layer, through PDFium: characters with their boxes and the ruling lines.

Tables are rebuilt from the rulings (lines, or borders drawn as thin rectangles); where a
page has text in columns but no rulings, from word positions (pdf_words). A table that
runs on over a page break is joined back into one. Page numbers, running headers and page
frames are left out. A PDF without usable text (a scan, or fonts without a Unicode map)
is told apart by its share of Chinese characters.
"""
from __future__ import annotations

import ctypes
import sys
from array import array
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Optional

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..errors import MAX_PDF_PAGES, InputError, LimitExceeded
from ..model import Document, GridCell, Paragraph, Source, TableBlock
from ..textnorm import normalise_text
from ..values import is_page_number
from . import pdf_fonts
from .pdf_layout import (Char, GridTable, Line, Page, RulingPiece, grid_from_rulings, group_lines, is_wide, merge_rulings,
                         regrid, ruling_groups)
from .pdf_words import borderless_lines
from .pdfium_calls import close_uninterrupted, uninterrupted

THIN = 3.0  # points: a filled rectangle thinner than this is a ruling
MARGIN_SHARE = 0.1  # top and bottom tenth of the page: where page numbers and headers live
MIN_CJK_SHARE = 0.2
PAGE_TEXT_MIN = 20
JOIN_TOLERANCE = 3.0  # points: column lines of two parts of one table this close are the same  # characters; fewer on a page with images means the page is a picture
_SEGMENT_LINETO, _SEGMENT_MOVETO = pdfium_c.FPDF_SEGMENT_LINETO, pdfium_c.FPDF_SEGMENT_MOVETO
pdf_fonts.install()  # the same fallback for non-embedded Chinese fonts on every machine


# ---------------------------------------------------------------- PDFium access


def _open(path: str, data: bytes) -> pdfium.PdfDocument:
    try:
        with uninterrupted():  # a document half made by an interrupted constructor crashes when collected
            return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            raise InputError(path, "PDF 文件设有打开密码，无法读取；请提供未加密的版本") from None
        if code == pdfium_c.FPDF_ERR_SECURITY:
            raise InputError(path, "PDF 文件使用了不支持的加密方式，无法读取；请提供未加密的版本") from None
        raise InputError(path, "PDF 文件已损坏或不完整，无法打开；请重新导出或下载该文件") from None




def _by_address(function, restype, *argtypes):
    """A PDFium function called with and returning plain addresses (ints): cheap to call
    in a loop and usable as cache keys, unlike pypdfium2's typed handles. Called keeping
    the GIL (see _keeping_gil)."""
    return _keeping_gil(restype, *argtypes)(ctypes.cast(function, ctypes.c_void_p).value)


def _unchecked(function, restype):
    """A PDFium function called without argument types, which spares ctypes making an object
    of each argument on every call (a third of the call's cost). Its arguments must be
    pointer arguments made once (_pointer_arg, ctypes.byref) or Python ints that fit a C int
    (an index): a plain int address would be cut to 32 bits. For the calls made per character."""
    return _keeping_gil(restype)(ctypes.cast(function, ctypes.c_void_p).value)


def _pointer_arg(address: int):
    """`address` as an argument of the unchecked calls, in the form ctypes passes on as it
    is: a byref() object. A c_void_p is made into one on every call (a look-up of its type
    code and a new object, a tenth of a call made per character)."""
    return ctypes.byref(ctypes.c_char.from_address(address))


# The calls made per character and per page object take a microsecond or less: letting go of
# the GIL and taking it back around each (what CFUNCTYPE does) costs a fifth of the call.
# None of them waits on anything; a font callback PDFium might make meanwhile takes the GIL
# again as any ctypes callback does (PyGILState_Ensure: this thread already holds it).
_keeping_gil = ctypes.PYFUNCTYPE


_V, _I = ctypes.c_void_p, ctypes.c_int
_unicode = _by_address(pdfium_c.FPDFText_GetUnicode, ctypes.c_uint, _V, _I)
# (text page, index[, buffers]): unchecked, see above
_text_object = _unchecked(pdfium_c.FPDFText_GetTextObject, _V)
_char_origin = _unchecked(pdfium_c.FPDFText_GetCharOrigin, _I)
_font_size = _unchecked(pdfium_c.FPDFText_GetFontSize, ctypes.c_double)
_char_matrix = _unchecked(pdfium_c.FPDFText_GetMatrix, _I)
_object_font = _by_address(pdfium_c.FPDFTextObj_GetFont, ctypes.c_void_p, ctypes.c_void_p)
_glyph_width = _by_address(pdfium_c.FPDFFont_GetGlyphWidth, _I, _V, ctypes.c_uint32, ctypes.c_float, _V)
_UNKNOWN = object()  # a look-up's answer when the key is not there yet
EM_TOP, EM_BOTTOM = 0.88, 0.12  # the em box of a glyph around its baseline, in ems
UPRIGHT = 1e-3  # shear below this share of the scale: upright text


def _page_chars(textpage: pdfium.PdfTextPage, width: float, height: float) -> tuple[list[Char], set[int]]:
    """The page's characters with boxes from the PDF itself: the origin of each glyph, its
    advance from the font's widths (/W, /Widths) and an em box around the baseline. Only
    glyphs a viewer shows (_on_page). Also the addresses of the text objects they come from,
    which the walk over the page's objects then need not ask about (_drawn_parts).

    Not PDFium's glyph boxes: for a font the PDF does not embed, those come from whatever
    font the machine substitutes, and then words and columns would move with the fonts
    installed. The origins and widths are the PDF's, the same everywhere.

    The loop runs once per character of every page: plain addresses, buffers made once,
    and no call that the previous character already answered (many exporters write one
    text object per character)."""
    handle = textpage.raw
    page = ctypes.cast(handle, ctypes.c_void_p).value  # plain addresses below: the cheapest calls
    page_handle = _pointer_arg(page)  # for the unchecked calls, and their buffers below
    x, y, matrix, advance = ctypes.c_double(), ctypes.c_double(), pdfium_c.FS_MATRIX(), ctypes.c_float()
    at_x, at_y, at_matrix = ctypes.byref(x), ctypes.byref(y), ctypes.byref(matrix)
    at_advance = ctypes.addressof(advance)
    texts: dict[int, tuple[str, bool]] = {}  # code → the character ("" for what is not shown) and whether it is wide
    ems_by_font: dict[int, dict[int, Optional[float]]] = {}  # font → code → advance in ems
    ems: dict[int, Optional[float]] = {}
    objects: set[int] = set()
    chars: list[Char] = []
    append = chars.append
    last = font = 0
    em_x = em_y = 0.0
    for i, code in enumerate(_page_codes(handle, page)):
        known = texts.get(code)
        if known is None:
            text = _shown(code)
            known = texts[code] = (text, is_wide(text))
        text, wide = known
        if not text:
            continue
        address = _text_object(page_handle, i)
        if not address:  # generated by PDFium (a space or line break it inferred), not in the PDF
            continue
        if address != last:  # a text object's font and em size (some exporters: one per character)
            objects.add(address)
            last, font = address, _object_font(address) or 0
            size = _font_size(page_handle, i)
            if not font or size <= 0 or not _char_matrix(page_handle, i, at_matrix):
                font = 0
            else:
                a, d = matrix.a, matrix.d
                shear = UPRIGHT * (d if d > a else a)  # max(a, d), NaN and all
                if a <= 0 or d <= 0 or abs(matrix.b) > shear or abs(matrix.c) > shear:
                    font = 0  # rotated or skewed: an upright em box would not fit
                else:
                    em_x, em_y = size * a, size * d
                    ems = ems_by_font.get(font)
                    if ems is None:
                        ems = ems_by_font[font] = {}
        if not font:  # rotated, skewed or vertical text, or a font without widths
            em = None
        else:
            em = ems.get(code, _UNKNOWN)
            if em is _UNKNOWN:  # the advance in ems; none for a vertical-writing font (it goes
                # down the page: a negative width) or a font without widths
                has_width = _glyph_width(font, code, 1.0, at_advance) and advance.value > 0
                em = ems[code] = advance.value if has_width else None
        if em is None:
            box = _glyph_box(handle, i)
            if box is not None:
                ch = Char(text, box[0], height - box[3], box[2], height - box[1], wide)
                if _on_page(ch, width, height):
                    append(ch)
            continue
        _char_origin(page_handle, i, at_x, at_y)
        left, base = x.value, height - y.value
        right, top, bottom = left + em * em_x, base - EM_TOP * em_y, base + EM_BOTTOM * em_y
        # _on_page, written out: the test runs for every character
        if 0 <= right and left <= width and 0 <= bottom and top <= height and right - left <= width \
                and bottom - top <= height:
            append(Char(text, left, top, right, bottom, wide))
    return chars, objects


def _page_codes(handle, page: int) -> list[int]:
    """The Unicode code of each character of the text page (FPDFText_GetUnicode), asked in
    one call for the page's whole text where that text holds one code per character.

    PDFium's page text leaves out control characters and characters beyond the BMP (it is
    UCS-2), so when it comes out shorter, the codes are asked one by one. And where it has
    U+FFFE, the character's own code may differ (a hyphen at a line break is 0x2, a glyph
    without a Unicode value 0): those are asked one by one too."""
    count = pdfium_c.FPDFText_CountChars(handle)
    if count <= 0:
        return []
    buffer = (ctypes.c_ushort * (count + 1))()
    if _page_text(page, 0, count, ctypes.addressof(buffer)) != count + 1:  # the text and its terminator
        return _surrogates_joined([_unicode(page, i) for i in range(count)])
    units = array("H", bytes(buffer))  # UTF-16LE code units
    if sys.byteorder == "big":
        units.byteswap()
    codes = units.tolist()
    codes.pop()
    if 0xFFFE in codes:
        codes = [_unicode(page, i) if code == 0xFFFE else code for i, code in enumerate(codes)]
    return _surrogates_joined(codes)


def _surrogates_joined(codes: list[int]) -> list[int]:
    """A character beyond the BMP (a rare name character such as 𠀀) is two UTF-16 code units,
    each a character of PDFium's text page: the first carries the whole character, the second
    shows nothing (a lone half would be dropped from the text, and the character lost)."""
    for i in range(len(codes) - 1):
        if 0xD800 <= codes[i] < 0xDC00 and 0xDC00 <= codes[i + 1] < 0xE000:
            codes[i] = 0x10000 + ((codes[i] - 0xD800) << 10) + (codes[i + 1] - 0xDC00)
            codes[i + 1] = 0
    return codes


_page_text = _by_address(pdfium_c.FPDFText_GetText, _I, _V, _I, _I, _V)


_LINE_END_HYPHEN = 0x2  # PDFium's code for a hyphen that ends a line ("infor-" / "mation")


def _shown(code: int) -> str:
    """The character a code stands for, or "" if it shows nothing: no character (0, the
    non-characters FFFE and FFFF) or white space."""
    if code == 0 or code == 0xFFFE or code == 0xFFFF:
        return ""
    if code == _LINE_END_HYPHEN:
        return "-"
    text = chr(code)
    return "" if text.isspace() else text


def _on_page(ch: Char, width: float, height: float) -> bool:
    """A glyph a viewer shows: on the page and no larger than it. A damaged PDF (a flipped
    digit in a text matrix or a font's widths) can place one miles away or miles wide,
    where no reader sees it and where laying out the page would take gigabytes."""
    return (0 <= ch.x1 and ch.x0 <= width and 0 <= ch.bottom and ch.top <= height
            and ch.x1 - ch.x0 <= width and ch.bottom - ch.top <= height)


def _glyph_box(handle, i: int) -> Optional[tuple[float, float, float, float]]:
    """(left, bottom, right, top) of a glyph as drawn: for rotated, skewed or vertical
    text, which an upright em box would not fit."""
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    pdfium_c.FPDFText_GetCharBox(handle, i, left, right, bottom, top)
    if right.value <= left.value and top.value <= bottom.value:
        return None
    return left.value, bottom.value, right.value, top.value


class _Scratch:
    """Buffers PDFium writes a path's draw mode and bounds into: made once per page, not
    once per path (a ruled table is hundreds of paths)."""

    def __init__(self) -> None:
        self.mode = (ctypes.c_int * 2)()  # fill mode, stroke
        self.box = (ctypes.c_float * 4)()  # left, bottom, right, top
        self.matrix = pdfium_c.FS_MATRIX()
        self.point = (ctypes.c_float * 2)()  # x, y
        self.at_mode, self.at_box = ctypes.addressof(self.mode), ctypes.addressof(self.box)
        self.at_matrix, self.at_point = ctypes.addressof(self.matrix), ctypes.addressof(self.point)


def _path_edges(obj: int, n: int, height: float, scratch: _Scratch, out: list[RulingPiece]) -> None:
    """Add the axis-parallel edges of a stroked path (a plain address) of n segments to `out`."""
    # A call that fails writes nothing: what it would have given is read as zeros, never as
    # the previous path's values left in the buffers.
    matrix = scratch.matrix
    if _object_matrix(obj, scratch.at_matrix):
        a, b, c, d, e, f = matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f
    else:
        a = b = c = d = e = f = 0.0
    point, at_x = scratch.point, scratch.at_point
    point[0] = point[1] = 0.0
    start = prev = None
    for i in range(n):
        seg = _path_segment(obj, i)
        _segment_point(seg, at_x, at_x + 4)
        x, y = point
        here = (a * x + c * y + e, height - (b * x + d * y + f))
        # The first point starts a figure whatever its kind (so neither its kind nor its
        # close mark is asked for).
        if prev is None or _segment_type(seg) == _SEGMENT_MOVETO:
            start = prev = here
            continue
        _ruling(prev, here, out)
        prev = here
        if _segment_close(seg):
            _ruling(prev, start, out)
            prev = start


def _ruling(p: tuple[float, float], q: tuple[float, float], out: list[RulingPiece]) -> None:
    (x0, y0), (x1, y1) = p, q
    if abs(y0 - y1) < 1.0 and abs(x1 - x0) >= 1.0:
        out.append((True, (y0 + y1) / 2, min(x0, x1), max(x0, x1)))
    elif abs(x0 - x1) < 1.0 and abs(y1 - y0) >= 1.0:
        out.append((False, (x0 + x1) / 2, min(y0, y1), max(y0, y1)))


def _bar(x0: float, top: float, x1: float, bottom: float, out: list[RulingPiece]) -> None:
    """A thin box is a ruling along its long side; anything wider is shading, not a border."""
    width, height = x1 - x0, bottom - top
    if height <= THIN and width > height:
        out.append((True, (top + bottom) / 2, x0, x1))
    elif width <= THIN and height > width:
        out.append((False, (x0 + x1) / 2, top, bottom))


_count_objects = _by_address(pdfium_c.FPDFPage_CountObjects, _I, _V)
_get_object = _unchecked(pdfium_c.FPDFPage_GetObject, _V)  # (page as a _pointer_arg, index)
_count_form_objects = _by_address(pdfium_c.FPDFFormObj_CountObjects, _I, _V)
_get_form_object = _by_address(pdfium_c.FPDFFormObj_GetObject, _V, _V, ctypes.c_ulong)
_object_type = _by_address(pdfium_c.FPDFPageObj_GetType, _I, _V)
_object_bounds = _by_address(pdfium_c.FPDFPageObj_GetBounds, _I, _V, _V, _V, _V, _V)
_object_matrix = _by_address(pdfium_c.FPDFPageObj_GetMatrix, _I, _V, _V)
_draw_mode = _by_address(pdfium_c.FPDFPath_GetDrawMode, _I, _V, _V, _V)
_count_segments = _by_address(pdfium_c.FPDFPath_CountSegments, _I, _V)
_path_segment = _by_address(pdfium_c.FPDFPath_GetPathSegment, _V, _V, _I)
_segment_point = _by_address(pdfium_c.FPDFPathSegment_GetPoint, _I, _V, _V, _V)
_segment_type = _by_address(pdfium_c.FPDFPathSegment_GetType, _I, _V)
_segment_close = _by_address(pdfium_c.FPDFPathSegment_GetClose, _I, _V)
_PATH, _IMAGE, _FORM = pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_FORM


def _drawn_parts(container, count: Callable, get: Callable, height: float, texts: set[int],
                 rulings: list[RulingPiece], scratch: _Scratch, depth: int = 0) -> bool:
    """Add the rulings among a page's objects to `rulings` (as pieces, for merge_rulings),
    descending into form XObjects; True if there is an image. (container: the page as a
    _pointer_arg, or a form object's address, with the functions that count and get their
    objects.) Plain addresses and no generator: a page may hold thousands of objects, one
    per character; those known to be text objects (texts: the ones the page's characters
    came from) are passed over without asking their type."""
    has_images = False
    mode, at_mode, box, at_box = scratch.mode, scratch.at_mode, scratch.box, scratch.at_box
    for i in range(count(container)):
        obj = get(container, i)
        if not obj or obj in texts:
            continue
        # Counting the segments tells a path (most of what is left) from the rest: it
        # gives -1 for any other object.
        n = _count_segments(obj)
        kind = _PATH if n >= 0 else _object_type(obj)
        if kind == _PATH:
            # Stroked lines and edges, or thin filled rectangles. A call that fails writes
            # nothing: what it would have given is read as zeros, never as the previous
            # path's values left in the buffers. A single line (two segments) is taken by
            # its bounds whether stroked or filled, so only other paths are asked their mode.
            if n != 2 and _draw_mode(obj, at_mode, at_mode + 4) and mode[1]:
                _path_edges(obj, n, height, scratch, rulings)
                continue
            # A filled bar or a single stroked line (most paths): its bounds say all, in one call.
            left, bottom, right, top = box if _object_bounds(obj, at_box, at_box + 4, at_box + 8, at_box + 12) \
                else (0.0, 0.0, 0.0, 0.0)
            _bar(left, height - top, right, height - bottom, rulings)
        elif kind == _IMAGE:
            has_images = True
        elif kind == _FORM and depth < 3:
            inside = _drawn_parts(obj, _count_form_objects, _get_form_object, height, texts, rulings, scratch,
                                  depth + 1)
            has_images = inside or has_images
    return has_images


def _load_page(pdf: pdfium.PdfDocument, number: int) -> Page:
    with uninterrupted():  # loading a page loads its fonts (callbacks into Python)
        page = pdf[number - 1]
        textpage = page.get_textpage()
    try:
        width, height = page.get_size()
        chars, texts = _page_chars(textpage, width, height)
        rulings: list[RulingPiece] = []
        page_handle = _pointer_arg(ctypes.cast(page.raw, ctypes.c_void_p).value)
        has_images = _drawn_parts(page_handle, _count_objects, _get_object, height, texts, rulings, _Scratch())
    finally:  # closed here, not by the garbage collector, where an alarm could cut the close short
        close_uninterrupted(textpage, page)
    return Page(number, width, height, chars, merge_rulings(rulings), has_images)


# ---------------------------------------------------------------- page → blocks


@dataclass
class PageTable:
    grid: GridTable
    page: int


def _is_chrome(line: Line, page: Page, repeated: set[str]) -> bool:
    """Page numbers and running headers or footers, in the page's top or bottom margin."""
    top_margin, bottom_margin = page.height * MARGIN_SHARE, page.height * (1 - MARGIN_SHARE)
    first = line.chars[0]  # the line's bottom is at least its bottom, its top at most its top
    if first.bottom >= top_margin and first.top <= bottom_margin:
        return False  # well inside the page (most lines): no need to go over all characters
    in_margin = line.bottom < top_margin or line.top > bottom_margin
    if not in_margin:
        return False
    text = line.text()
    return is_page_number(text) or text.replace(" ", "") in repeated


def _repeated_margin_lines(pages: list[Page]) -> set[str]:
    """Margin lines printed on several pages: running headers and footers."""
    counts: Counter = Counter()
    for page in pages:
        top, bottom = page.height * MARGIN_SHARE, page.height * (1 - MARGIN_SHARE)
        margin = [c for c in page.chars if c.cy < top or c.cy > bottom]
        counts.update({line.text().replace(" ", "") for line in group_lines(margin)
                       if line.bottom < top or line.top > bottom})
    return {text for text, n in counts.items() if n >= 2 and len(pages) >= 2}


def _page_blocks(page: Page, repeated: set[str]) -> list[tuple[float, object]]:
    """(top, block) pairs for one page: PageTables and Lines, before ordering."""
    tables = [g for g in (grid_from_rulings(grp) for grp in ruling_groups(page.rulings)) if g is not None]
    loose: list[Char] = []
    # GridTable.contains written out, the bounds read once: this runs for every character
    bounds = [(t.xs[0], t.xs[-1], t.ys[0], t.ys[-1], []) for t in tables]
    for ch in page.chars:
        cx, cy = ch.cx, ch.cy
        for x0, x1, y0, y1, dealt in bounds:
            if x0 <= cx <= x1 and y0 <= cy <= y1:
                dealt.append(ch)
                break
        else:
            loose.append(ch)
    for table, (_, _, _, _, dealt) in zip(tables, bounds):
        table.add_all(dealt)
    tables = [t for t in tables if t.texts]  # an empty box is decoration
    items: list[tuple[float, object]] = [(t.top, PageTable(t, page.number)) for t in tables]
    lines = [ln for ln in group_lines(loose) if not _is_chrome(ln, page, repeated)]
    items.extend(borderless_lines(lines, page.number))
    items.sort(key=lambda item: item[0])
    return items


# ---------------------------------------------------------------- blocks → Document


@dataclass
class JoinedTable:
    """A table as printed, possibly over several pages: parts on one common column grid."""

    parts: list[PageTable]

    @property
    def xs(self) -> list[float]:
        return self.parts[0].grid.xs


def _same_columns(a: list[float], b: list[float]) -> Optional[list[float]]:
    """The common column grid of two table parts, if one part's column lines are all among
    the other's (a part may lack a line that only its merged cells hide); else None."""
    near = lambda x, xs: any(abs(x - y) <= JOIN_TOLERANCE for y in xs)  # noqa: E731
    if abs(a[0] - b[0]) > JOIN_TOLERANCE or abs(a[-1] - b[-1]) > JOIN_TOLERANCE:
        return None
    if all(near(x, b) for x in a):
        return b
    if all(near(x, a) for x in b):
        return a
    return None


def _join(joined: JoinedTable, part: PageTable) -> bool:
    xs = _same_columns(joined.xs, part.grid.xs)
    if xs is None:
        return False
    joined.parts = [PageTable(regrid(p.grid, xs), p.page) for p in joined.parts]
    joined.parts.append(PageTable(regrid(part.grid, xs), part.page))
    return True


# A cell of a table part before its row number is known: (text, rowspan, colspan, OCR mark);
# None for a position a merged cell covers.
_PartCell = Optional[tuple[str, int, int, Optional[tuple]]]


def _part_rows(part: PageTable, scans: dict) -> list[list[_PartCell]]:
    grid = part.grid
    scan = scans.get(part.page)
    owner, spans = grid.owner, grid.cells
    rows: list[list[_PartCell]] = []
    for r in range(grid.n_rows):
        row: list[_PartCell] = []
        for c in range(grid.n_cols):
            origin = owner[(r, c)]
            if origin != (r, c):
                row.append(None)
                continue
            text = normalise_text(grid.cell_text(origin))
            rowspan, colspan = spans[origin]
            mark = None
            if scan is not None:  # read from the page image: the score and the cell's picture
                text = _scanned_text(text)
                mark = _cell_mark(scan, grid, origin, rowspan, colspan)
            row.append((text, rowspan, colspan, mark))
        rows.append(row)
    return rows


def _scanned_text(text: str) -> str:
    from .ocr import cell_text

    return cell_text(text)


def _cell_mark(scan, grid: GridTable, origin: tuple[int, int], rowspan: int, colspan: int) -> tuple:
    from .ocr import cell_mark

    r, c = origin
    box = (grid.xs[c], grid.ys[r], grid.xs[c + colspan], grid.ys[r + rowspan])
    return cell_mark(scan, grid.texts.get(origin, []), box)


def _line_mark(page: Page, top: float) -> Optional[tuple]:
    """Source.ocr of a line of text on a page read from its image: its characters are those
    whose tops stand at the line's top."""
    if page.ocr is None:
        return None
    from .ocr import cell_mark

    chars = [c for c in page.chars if top - 1.0 <= c.top <= top + 0.5 * c.height]
    if not chars:
        return None
    box = (min(c.x0 for c in chars), top, max(c.x1 for c in chars), max(c.bottom for c in chars))
    return cell_mark(page.ocr, chars, box)


def _row_texts(row: list[_PartCell]) -> list[str]:
    return [cell[0] if cell is not None else "" for cell in row]


def _drop_repeated_header(head: list[list[_PartCell]], rows: list[list[_PartCell]]) -> list[list[_PartCell]]:
    """A header printed again at the top of the next page is not a row of the table."""
    k = 0
    while k < len(rows) and k < len(head) and any(_row_texts(head[k])) \
            and _row_texts(rows[k]) == _row_texts(head[k]):
        k += 1
    return rows[k:]


def _table_block(joined: JoinedTable, index: int, scans: dict) -> TableBlock:
    rows: list[list[_PartCell]] = []
    pages: list[int] = []  # the page of each row
    for part in joined.parts:
        part_rows = _part_rows(part, scans)
        if rows:
            part_rows = _drop_repeated_header(rows, part_rows)
        rows.extend(part_rows)
        pages.extend([part.page] * len(part_rows))
    grid_rows: list[list[GridCell]] = []
    for r, (row, page) in enumerate(zip(rows, pages)):  # row numbers after dropped repeats
        cells: list[GridCell] = []
        for c, cell in enumerate(row):
            if cell is None:
                cells.append(GridCell("", Source(page=page, table=index, row=r, col=c), covered=True))
            else:
                text, rowspan, colspan, mark = cell
                source = Source(page=page, table=index, row=r, col=c, raw=text, ocr=mark)
                cells.append(GridCell(text, source, rowspan, colspan))
        grid_rows.append(cells)
    return TableBlock(grid_rows, Source(page=joined.parts[0].page, table=index))


def assemble(pages: list[Page]) -> list:
    """Page items in reading order; a table that opens a page may continue the last one."""
    repeated = _repeated_margin_lines(pages)
    items: list = []
    line_no = 0
    for page in pages:
        first_on_page = True
        for top, item in _page_blocks(page, repeated):
            if isinstance(item, PageTable):
                last = items[-1] if items else None
                if not (first_on_page and isinstance(last, JoinedTable) and _join(last, item)):
                    items.append(JoinedTable([item]))
            else:
                line_no += 1
                text = normalise_text(item)
                items.append(Paragraph(text, Source(line=line_no, page=page.number, raw=text, ocr=_line_mark(page, top))))
            first_on_page = False
    blocks: list = []
    scans = {page.number: page.ocr for page in pages if page.ocr is not None}
    tables = 0  # the index of the next table
    for item in items:
        if isinstance(item, JoinedTable):
            item = _table_block(item, tables, scans)
            tables += 1
        blocks.append(item)
    return blocks


def _text_layer_problem(pages: list[Page]) -> Optional[str]:
    chars = [c.text for p in pages for c in p.chars]
    cjk = sum(1 for t in chars if "\u4e00" <= t <= "\u9fff" or "\u3400" <= t <= "\u4dbf")
    if len(chars) < PAGE_TEXT_MIN * max(1, len(pages)) // 2 and any(p.has_images for p in pages) or not chars:
        return "无文本层，可能为扫描件：PDF 中没有可提取的文字，无法审查；请提供带文字的 PDF、Word 或网页版本"
    if cjk / len(chars) < MIN_CJK_SHARE:
        return "PDF 文字无法识别（字体缺少 Unicode 映射，提取出来是乱码），无法审查；请提供 Word 或网页版本，或重新导出 PDF"
    return None


def _picture_pages(pages: list[Page]) -> list[int]:
    return [p.number for p in pages if p.has_images and len(p.chars) < PAGE_TEXT_MIN]


def read(path: str, data: bytes, sha256: str) -> Document:
    pdf = _open(path, data)
    try:
        if len(pdf) > MAX_PDF_PAGES:
            raise LimitExceeded(f"PDF 共 {len(pdf)} 页，超过 {MAX_PDF_PAGES} 页的上限，远多于一份年报；"
                                "请确认文件是否正确，或只提交年报本身")
        pages = []
        for i in range(len(pdf)):
            pages.append(_load_page(pdf, i + 1))
        problem = _text_layer_problem(pages)
        scanned = _pages_to_recognise(pages, problem)
        hint = ""
        if scanned:
            from . import ocr

            if ocr.mode() != "never" and ocr.available():
                pages = ocr.recognise_pdf_pages(path, pdf, pages, scanned)
                if problem and _text_layer_problem(pages) is None:
                    problem = None  # the images held the Chinese text the text layer did not
                hint = ocr.NOTHING_READ
            else:
                hint = ocr.missing_hint()
    except pdfium.PdfiumError:
        raise InputError(path, "PDF 文件已损坏，部分页面无法读取；请重新导出或下载该文件") from None
    finally:
        close_uninterrupted(pdf)
    if problem:
        raise InputError(path, problem + ("；" + hint if hint else ""))
    recognised = [p.number for p in pages if p.ocr is not None]
    return Document(path=path, format="pdf", sha256=sha256, blocks=assemble(pages), notes=[f"pages={len(pages)}"],
                    unread_pages=_picture_pages(pages), unread_hint=hint, ocr_pages=recognised,
                    ocr_seconds=sum(p.ocr.seconds for p in pages if p.ocr is not None))


def _pages_to_recognise(pages: list[Page], problem: Optional[str]) -> list[int]:
    """Page numbers to read from their images: with --ocr always every page; else the pages
    without usable text (all of them when the text layer as a whole is missing or garbled)."""
    from .ocr import mode

    if mode() == "always" or problem:
        return [p.number for p in pages]
    return _picture_pages(pages)
