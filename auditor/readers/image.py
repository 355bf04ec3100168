"""Image files (.png, .jpg, .tif): a scanned report, one page per image frame, read by OCR.

Each frame is recognised (readers.ocr) and laid out by the PDF reader's own code, so tables
are rebuilt and anchored to the official labels exactly as in a PDF. Without the OCR extra
the file is refused with the command that installs it.
"""
from __future__ import annotations

import io

from ..errors import MAX_PDF_PAGES, InputError, LimitExceeded
from ..model import Document
from . import ocr

A4_WIDTH_INCHES = 8.27
MIN_DPI, MAX_DPI = 72, 600
MAX_PIXELS = 200_000_000  # per frame: far above an A4 page at 600 dpi (35 million)


def _dpi(image) -> float:
    """The scan's resolution: as recorded in the file when plausible, else from the width
    of a portrait A4 page (scanners mostly record it; screenshots do not)."""
    recorded = image.info.get("dpi")
    if recorded:
        try:
            value = float(recorded[0])
        except (TypeError, ValueError, IndexError):
            value = 0.0
        if MIN_DPI <= value <= MAX_DPI:
            return value
    width = min(image.size)  # a landscape scan of a portrait page is still read upright
    return min(MAX_DPI, max(MIN_DPI, width / A4_WIDTH_INCHES))


def read(path: str, data: bytes, sha256: str) -> Document:
    if ocr.mode() == "never" or not ocr.available():
        raise InputError(path, "这是图片文件（扫描件或截图），没有文字可审查；" + ocr.missing_hint())
    from PIL import Image, ImageSequence, UnidentifiedImageError

    from .pdf import PAGE_TEXT_MIN, Page, assemble

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        picture = Image.open(io.BytesIO(data))
        frames = [frame.copy() for frame in ImageSequence.Iterator(picture)]
        if len(frames) > MAX_PDF_PAGES:
            raise LimitExceeded(f"图片共 {len(frames)} 页，超过 {MAX_PDF_PAGES} 页的上限，远多于一份年报；请确认文件是否正确")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise InputError(path, "图片文件已损坏或格式不受支持，无法读取；请重新扫描或另存为 PNG、JPEG") from None
    progress = ocr.Progress(path, len(frames))
    pages = []
    for number, frame in enumerate(frames, start=1):
        read_page = ocr.recognise(frame, _dpi(frame))
        pages.append(Page(number, read_page.width, read_page.height, read_page.chars, read_page.rulings, True,
                          ocr=read_page))
        progress.page(number, read_page.seconds)
    if sum(len(p.chars) for p in pages) < PAGE_TEXT_MIN:
        raise InputError(path, "图片中没有可审查的文字：" + ocr.NOTHING_READ)
    return Document(path=path, format="image", sha256=sha256, blocks=assemble(pages), notes=[f"pages={len(pages)}"],
                    ocr_pages=[p.number for p in pages], ocr_seconds=sum(p.ocr.seconds for p in pages))
