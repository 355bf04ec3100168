"""PDF with a text layer, through PDFium: characters with their boxes and the ruling lines.

Tables are rebuilt from the rulings (lines, or borders drawn as thin rectangles); where a
page has text in columns but no rulings, from word positions (pdf_words). A table that
runs on over a page break is joined back into one. Page numbers, running headers and page
frames are left out. A PDF without usable text (a scan, or fonts without a Unicode map)
is told apart by its share of Chinese characters.
"""
from __future__ import annotations

import ctypes
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Optional

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..errors import InputError
from ..model import Document, GridCell, Paragraph, Source, TableBlock
from ..textnorm import normalise_text
from ..values import is_page_number
from .pdf_layout import Char, GridTable, Line, Ruling, grid_from_rulings, group_lines, merge_rulings, regrid, ruling_groups
from .pdf_words import borderless_lines

THIN = 3.0  # points: a filled rectangle thinner than this is a ruling
MARGIN_SHARE = 0.1  # top and bottom tenth of the page: where page numbers and headers live
MIN_CJK_SHARE = 0.2
PAGE_TEXT_MIN = 20
JOIN_TOLERANCE = 3.0  # points: column lines of two parts of one table this close are the same  # characters; fewer on a page with images means the page is a picture
_SEGMENT_LINETO, _SEGMENT_MOVETO = pdfium_c.FPDF_SEGMENT_LINETO, pdfium_c.FPDF_SEGMENT_MOVETO


@dataclass
class Page:
    number: int
    width: float
    height: float
    chars: list[Char]
    rulings: list[Ruling]
    has_images: bool


# ---------------------------------------------------------------- PDFium access


def _open(path: str, data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            raise InputError(path, "PDF 文件设有打开密码，无法读取；请提供未加密的版本") from None
        if code == pdfium_c.FPDF_ERR_SECURITY:
            raise InputError(path, "PDF 文件使用了不支持的加密方式，无法读取；请提供未加密的版本") from None
        raise InputError(path, "PDF 文件已损坏或不完整，无法打开；请重新导出或下载该文件") from None


def _page_chars(textpage: pdfium.PdfTextPage, height: float) -> list[Char]:
    handle = textpage.raw
    loose = pdfium_c.FS_RECTF()
    tight = tuple(ctypes.c_double() for _ in range(4))
    chars: list[Char] = []
    get_unicode, is_generated = pdfium_c.FPDFText_GetUnicode, pdfium_c.FPDFText_IsGenerated  # hot loop
    for i in range(pdfium_c.FPDFText_CountChars(handle)):
        code = get_unicode(handle, i)
        if code in (0, 0xFFFE, 0xFFFF):
            continue
        text = chr(code)
        if text.isspace() or is_generated(handle, i):
            continue
        box = _char_box(handle, i, loose, tight)
        if box is not None:
            chars.append(Char(text, box[0], height - box[3], box[2], height - box[1]))
    return chars


def _char_box(handle, i: int, loose, tight) -> Optional[tuple[float, float, float, float]]:
    """(left, bottom, right, top). The loose box (advance width × font ascent and descent)
    has the same height for every glyph of a line, so flat glyphs such as "一" and "、"
    line up with the rest; but PDFium makes it huge for rotated text, so then the glyph's
    own box is used."""
    left, right, bottom, top = tight
    pdfium_c.FPDFText_GetCharBox(handle, i, left, right, bottom, top)
    t = (left.value, bottom.value, right.value, top.value)
    pdfium_c.FPDFText_GetLooseCharBox(handle, i, loose)
    size = max(t[2] - t[0], t[3] - t[1], 1.0)
    if loose.right > loose.left and loose.top > loose.bottom \
            and loose.right - loose.left <= 2.5 * size and loose.top - loose.bottom <= 2.5 * size:
        return loose.left, loose.bottom, loose.right, loose.top
    if t[2] <= t[0] and t[3] <= t[1]:
        return None
    return t


def _path_rulings(obj, height: float) -> list[Ruling]:
    """Axis-parallel pieces of a path: stroked lines and edges, or thin filled rectangles."""
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    pdfium_c.FPDFPath_GetDrawMode(obj, fill, ctypes.byref(stroke))
    n = pdfium_c.FPDFPath_CountSegments(obj)
    if not stroke.value or n == 2:
        # A filled bar or a single stroked line: its bounds say all (and cost one call).
        left, bottom, right, top = (ctypes.c_float() for _ in range(4))
        pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top)
        return _bar(left.value, height - top.value, right.value, height - bottom.value)
    matrix = pdfium_c.FS_MATRIX()
    pdfium_c.FPDFPageObj_GetMatrix(obj, matrix)
    a, b, c, d, e, f = matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f
    points: list[tuple[int, float, float, bool]] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    for i in range(n):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj, i)
        pdfium_c.FPDFPathSegment_GetPoint(seg, x, y)
        px, py = a * x.value + c * y.value + e, b * x.value + d * y.value + f
        points.append((pdfium_c.FPDFPathSegment_GetType(seg), px, height - py, bool(pdfium_c.FPDFPathSegment_GetClose(seg))))
    return _edges(points)


def _edges(points) -> list[Ruling]:
    out: list[Ruling] = []
    start = prev = None
    for kind, px, py, close in points:
        if kind == _SEGMENT_MOVETO or prev is None:
            start = prev = (px, py)
            continue
        out.extend(_ruling(prev, (px, py)))
        prev = (px, py)
        if close and start is not None:
            out.extend(_ruling(prev, start))
            prev = start
    return out


def _ruling(p: tuple[float, float], q: tuple[float, float]) -> list[Ruling]:
    (x0, y0), (x1, y1) = p, q
    if abs(y0 - y1) < 1.0 and abs(x1 - x0) >= 1.0:
        return [Ruling(True, (y0 + y1) / 2, min(x0, x1), max(x0, x1))]
    if abs(x0 - x1) < 1.0 and abs(y1 - y0) >= 1.0:
        return [Ruling(False, (x0 + x1) / 2, min(y0, y1), max(y0, y1))]
    return []


def _bar(x0: float, top: float, x1: float, bottom: float) -> list[Ruling]:
    """A thin box is a ruling along its long side; anything wider is shading, not a border."""
    width, height = x1 - x0, bottom - top
    if height <= THIN and width > height:
        return [Ruling(True, (top + bottom) / 2, x0, x1)]
    if width <= THIN and height > width:
        return [Ruling(False, (x0 + x1) / 2, top, bottom)]
    return []


def _page_objects(container, count: Callable, get: Callable, depth: int = 0):
    """Page objects, descending into form XObjects (raw handles: far cheaper than wrappers)."""
    for i in range(count(container)):
        obj = get(container, i)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < 3:
            yield from _page_objects(obj, pdfium_c.FPDFFormObj_CountObjects, pdfium_c.FPDFFormObj_GetObject, depth + 1)
        else:
            yield kind, obj


def _load_page(page: pdfium.PdfPage, number: int) -> Page:
    width, height = page.get_size()
    textpage = page.get_textpage()
    chars = _page_chars(textpage, height)
    rulings: list[Ruling] = []
    has_images = False
    for kind, obj in _page_objects(page.raw, pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject):
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            rulings.extend(_path_rulings(obj, height))
        elif kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            has_images = True
    return Page(number, width, height, chars, merge_rulings(rulings), has_images)


# ---------------------------------------------------------------- page → blocks


@dataclass
class PageTable:
    grid: GridTable
    page: int


def _is_chrome(line: Line, page: Page, repeated: set[str]) -> bool:
    """Page numbers and running headers or footers, in the page's top or bottom margin."""
    in_margin = line.bottom < page.height * MARGIN_SHARE or line.top > page.height * (1 - MARGIN_SHARE)
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
    for ch in page.chars:
        for table in tables:
            if table.contains(ch):
                table.add(ch)
                break
        else:
            loose.append(ch)
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


def _cells(part: PageTable, table_index: int, row_offset: int) -> list[list[GridCell]]:
    grid = part.grid
    rows: list[list[GridCell]] = []
    for r in range(grid.n_rows):
        row: list[GridCell] = []
        for c in range(grid.n_cols):
            origin = grid.owner[(r, c)]
            where = dict(page=part.page, table=table_index, row=row_offset + r, col=c)
            if origin == (r, c):
                text = normalise_text(grid.cell_text(origin))
                rowspan, colspan = grid.cells[origin]
                row.append(GridCell(text, Source(raw=text, **where), rowspan, colspan))
            else:
                row.append(GridCell("", Source(**where), covered=True))
        rows.append(row)
    return rows


def _drop_repeated_header(head: list[list[GridCell]], rows: list[list[GridCell]]) -> list[list[GridCell]]:
    """A header printed again at the top of the next page is not a row of the table."""
    k = 0
    while k < len(rows) and k < len(head) and any(c.text for c in head[k]) \
            and [c.text for c in rows[k]] == [c.text for c in head[k]]:
        k += 1
    return rows[k:]


def _table_block(joined: JoinedTable, index: int) -> TableBlock:
    rows: list[list[GridCell]] = []
    for part in joined.parts:
        part_rows = _cells(part, index, len(rows))
        rows.extend(_drop_repeated_header(rows, part_rows) if rows else part_rows)
    for r, row in enumerate(rows):  # row numbers after dropped repeats
        for cell in row:
            cell.source = cell.source._replace(row=r)
    return TableBlock(rows, Source(page=joined.parts[0].page, table=index))


def assemble(pages: list[Page]) -> list:
    """Page items in reading order; a table that opens a page may continue the last one."""
    repeated = _repeated_margin_lines(pages)
    items: list = []
    line_no = 0
    for page in pages:
        first_on_page = True
        for _, item in _page_blocks(page, repeated):
            if isinstance(item, PageTable):
                last = items[-1] if items else None
                if not (first_on_page and isinstance(last, JoinedTable) and _join(last, item)):
                    items.append(JoinedTable([item]))
            else:
                line_no += 1
                text = normalise_text(item)
                items.append(Paragraph(text, Source(line=line_no, page=page.number, raw=text)))
            first_on_page = False
    blocks: list = []
    for item in items:
        if isinstance(item, JoinedTable):
            item = _table_block(item, sum(isinstance(b, TableBlock) for b in blocks))
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
        pages = [_load_page(pdf[i], i + 1) for i in range(len(pdf))]
    except pdfium.PdfiumError:
        raise InputError(path, "PDF 文件已损坏，部分页面无法读取；请重新导出或下载该文件") from None
    finally:
        pdf.close()
    problem = _text_layer_problem(pages)
    if problem:
        raise InputError(path, problem)
    return Document(path=path, format="pdf", sha256=sha256, blocks=assemble(pages), notes=[f"pages={len(pages)}"],
                    unread_pages=_picture_pages(pages))
