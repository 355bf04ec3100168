"""Offline recognition of scanned pages: a page image → the same characters and ruling
lines the PDF reader takes from a text layer, so tables are rebuilt and anchored to the
official labels by the same code (pdf_layout, pdf_words, extraction).

The recogniser is RapidOCR (PP-OCR models run by onnxruntime; the models ship inside the
`rapidocr` wheel, nothing is downloaded). It is an optional extra, imported only when a
page needs it: `pip install "report-auditor[ocr]"`. The image is cleaned first: red
stamps are washed out, the page is turned upright (scans are often skewed a few degrees),
and ruling lines are found with morphology on the ink.

Every character keeps its recognition score, and every cell and line read this way keeps
the score and a small picture of itself (Source.ocr), so findings that rest on it can be
shown beside the scan and are never more than warnings.
"""
from __future__ import annotations

import base64
import io
import os
import sys
import time
from functools import lru_cache
from importlib.util import find_spec
from typing import TYPE_CHECKING

from .pdf_layout import Char, Page, Ruling, merge_rulings
from .pdfium_calls import close_uninterrupted, uninterrupted

if TYPE_CHECKING:
    import numpy as np

MODES = ("never", "auto", "always")
MODE_VARIABLE = "AUDITOR_OCR"  # set by `auditor check --ocr`; worker processes inherit it
ENABLE_HINT = ('安装可选的离线文字识别组件后即可识别扫描件：pip install "report-auditor[ocr]"'
               "（识别模型随安装包提供，无需联网）")
NOTHING_READ = "已用离线文字识别读取这些页的图像，但没有读出可审查的中文文字（图像可能过于模糊、分辨率过低或不是文字）。"
DPI = 200  # pages of a PDF are rendered at this resolution for recognition
SKEW_LIMIT = 4.0  # degrees: the largest skew looked for
STAMP_RED = 40  # a pixel whose red exceeds its green and blue by this much is stamp ink
INK = 170  # grey level below which a pixel is ink when looking for ruling lines
LINE_SHARE = 40  # a ruling is at least 1/LINE_SHARE of the page width (or height) long
LINE_INCHES = 0.6  # and a horizontal one at least this long
OVERHANG_INCHES = 0.25  # a vertical line running on past the table's last horizontal by less than this is cut back
MAX_LINE_THICKNESS = 0.04  # inches: thicker dark bars are not table rulings
CROP_HEIGHT = 48  # pixels: cell pictures are scaled down to at most this height
PROGRESS_PAGES = 2  # files with more pages recognised than this report each page on stderr


class OcrChar(Char):
    """A character read from a page image, with the recogniser's score (0–1)."""

    __slots__ = ("score",)

    def __init__(self, text: str, x0: float, top: float, x1: float, bottom: float, score: float) -> None:
        super().__init__(text, x0, top, x1, bottom)
        self.score = score


class Unavailable(Exception):
    """The OCR extra is not installed."""


def mode() -> str:
    """never | auto | always (AUDITOR_OCR; default auto)."""
    value = os.environ.get(MODE_VARIABLE, "auto").strip().lower()
    return value if value in MODES else "auto"


def available() -> bool:
    return find_spec("rapidocr") is not None and find_spec("onnxruntime") is not None and find_spec("cv2") is not None


@lru_cache(maxsize=1)
def _engine():
    try:
        from rapidocr import RapidOCR
    except ImportError as exc:  # pragma: no cover - available() said yes, the install is broken
        raise Unavailable(str(exc)) from None
    # No text-direction classifier: report pages are upright once deskewed, and it costs time.
    return RapidOCR(params={"Global.log_level": "error", "Global.use_cls": False})


# ---------------------------------------------------------------- image cleaning


def _grey(image) -> "np.ndarray":
    """The page as grey levels, with red stamp ink washed out (a seal printed over a table
    hides digits from the recogniser and breaks ruling lines). Where a pixel is red, its red
    channel stands for it: red ink is bright there, black print under the ink stays dark."""
    import numpy as np

    if image.mode in ("1", "L", "I;16", "I", "F"):
        return np.asarray(image.convert("L"), dtype=np.uint8).copy()
    rgb = np.asarray(image.convert("RGB"), dtype=np.int16)
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    grey = (0.299 * r + 0.587 * g + 0.114 * b).astype(np.uint8)
    stamp = (r - np.maximum(g, b)) > STAMP_RED
    grey[stamp] = r[stamp].astype(np.uint8)
    return grey


def skew_angle(grey: "np.ndarray") -> float:
    """The page's skew in degrees (counter-clockwise positive): the angle at which the rows
    of ink line up best (the variance of the row sums is largest)."""
    import cv2
    import numpy as np

    h, w = grey.shape
    factor = 800 / max(w, 1)
    small = cv2.resize(grey, (max(1, int(w * factor)), max(1, int(h * factor))), interpolation=cv2.INTER_AREA)
    ink = (small < INK).astype(np.float32)
    centre = (ink.shape[1] / 2, ink.shape[0] / 2)

    def sharpness(angle: float) -> float:
        m = cv2.getRotationMatrix2D(centre, angle, 1.0)
        turned = cv2.warpAffine(ink, m, (ink.shape[1], ink.shape[0]), flags=cv2.INTER_NEAREST)
        return float(np.var(turned.sum(axis=1)))

    best = max(np.arange(-SKEW_LIMIT, SKEW_LIMIT + 1e-6, 0.25), key=sharpness)
    fine = max(np.arange(best - 0.25, best + 0.25 + 1e-6, 0.05), key=sharpness)
    return float(fine)


def _upright(grey: "np.ndarray") -> "np.ndarray":
    import cv2

    angle = skew_angle(grey)
    if abs(angle) < 0.05:
        return grey
    h, w = grey.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(grey, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)


def rulings(grey: "np.ndarray", dpi: float) -> list[Ruling]:
    """Horizontal and vertical table lines in the image, in points (top-down). Long lines
    are runs of ink longer than any character stroke; a short vertical piece (the divider of
    a low row) counts when it runs from one horizontal line to another."""
    import numpy as np

    ink = (grey < INK).astype(np.uint8) * 255
    h, w = ink.shape
    to_pt = 72.0 / dpi
    thick = max(3, int(MAX_LINE_THICKNESS * dpi))
    gap = max(7, int(dpi / 20))  # breaks bridged along a line (noise, a faint scan)
    # longer than any character's stroke, even a large bold heading's ("一" of 22 pt bold: 0.3 inch)
    shortest = max(15, w // LINE_SHARE, int(LINE_INCHES * dpi))
    horizontal = [(x, y, bw, bh) for x, y, bw, bh in _line_pieces(ink, True, shortest, gap) if bh <= thick]
    out = [Ruling(True, float(y + bh / 2) * to_pt, float(x) * to_pt, float(x + bw) * to_pt)
           for x, y, bw, bh in horizontal]
    long_enough = max(15, h // LINE_SHARE)
    for x, y, bw, bh in _line_pieces(ink, False, max(9, int(0.1 * dpi)), gap):
        if bw > thick:
            continue
        centre = x + bw / 2
        if bh >= long_enough or (_meets(horizontal, centre, y, gap) and _meets(horizontal, centre, y + bh, gap)):
            top, bottom = _clipped(horizontal, centre, y, y + bh, int(OVERHANG_INCHES * dpi))
            out.append(Ruling(False, float(centre) * to_pt, float(top) * to_pt, float(bottom) * to_pt))
    return merge_rulings(out)


def _clipped(horizontal: list[tuple[int, int, int, int]], x: float, top: int, bottom: int, reach: int) -> tuple[int, int]:
    """A vertical line cut back to the first and last horizontal lines it crosses when it
    runs on past them only a little: that bit is a stroke of a character that touches the
    line (a heading printed close above a table), and would add a row holding that text."""
    crossings = [hy + bh / 2 for hx, hy, bw, bh in horizontal if hx - 2 <= x <= hx + bw + 2 and top - 2 <= hy + bh / 2 <= bottom + 2]
    if not crossings:
        return top, bottom
    first, last = min(crossings), max(crossings)
    if 0 < first - top <= reach:
        top = int(first)
    if 0 < bottom - last <= reach:
        bottom = int(round(last))
    return top, bottom


def _line_pieces(ink: "np.ndarray", horizontal: bool, length: int, gap: int) -> list[tuple[int, int, int, int]]:
    """Boxes (x, y, width, height) of straight runs of ink at least `length` pixels long."""
    import cv2
    import numpy as np

    kernel = np.ones((1, length) if horizontal else (length, 1), np.uint8)
    lines = cv2.morphologyEx(ink, cv2.MORPH_OPEN, kernel)
    lines = cv2.morphologyEx(lines, cv2.MORPH_CLOSE, np.ones((1, gap) if horizontal else (gap, 1), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(lines, connectivity=8)
    return [(int(x), int(y), int(bw), int(bh)) for x, y, bw, bh, _area in stats[1:n]
            if (bw if horizontal else bh) >= length]


def _meets(horizontal: list[tuple[int, int, int, int]], x: float, y: float, tolerance: int) -> bool:
    """A horizontal line passes through (x, y), give or take `tolerance` pixels."""
    return any(hx - tolerance <= x <= hx + bw + tolerance and hy - tolerance <= y <= hy + bh + tolerance
               for hx, hy, bw, bh in horizontal)


# ---------------------------------------------------------------- recognition


REC_HEIGHT = 48  # pixels: the recogniser's input height
STRIP_WIDTH = 1600  # pixels: detected boxes are recognised side by side in strips this wide
STRIP_GAP = 24  # pixels of white between two boxes in a strip
MIN_SCORE = 0.3  # characters recognised with less confidence are noise (specks read as text)


def _read_text(grey: "np.ndarray", dpi: float) -> list[Char]:
    """Characters with boxes in points: text boxes found on the whole page, recognised in
    strips, then the numbers missing from tables of numbers read again (_read_gaps)."""
    import numpy as np

    rgb = np.stack([grey] * 3, axis=-1)
    boxes = _detect(rgb)
    read = _recognise_boxes(rgb, boxes)
    for box, again in _read_gaps(rgb, grey, boxes, read):
        if box in read:
            boxes.remove(box)
            del read[box]
        boxes.append(again[0])
        read[again[0]] = again[1]
    to_pt = 72.0 / dpi
    out: list[Char] = []
    for box in boxes:
        y0, y1 = box[1], box[3]
        for character, left, right, score in read.get(box, ()):
            if score >= MIN_SCORE:
                out.append(OcrChar(character, left * to_pt, y0 * to_pt, right * to_pt, y1 * to_pt, score))
    return out


Box = tuple  # (x0, y0, x1, y1) in pixels of the page image
Read = list  # per box: (character, left, right, score), positions in pixels


def _detect(rgb: "np.ndarray") -> list[Box]:
    """Boxes of text on the page (the recogniser's detection model)."""
    import numpy as np

    found = _engine()(rgb, use_det=True, use_cls=False, use_rec=False, return_word_box=True)
    if found.boxes is None or not len(found.boxes):
        return []
    h, w = rgb.shape[:2]
    boxes = []
    for quad in found.boxes:
        x0, y0 = max(0, int(quad[:, 0].min())), max(0, int(quad[:, 1].min()))
        x1, y1 = min(w, int(np.ceil(quad[:, 0].max())) + 1), min(h, int(np.ceil(quad[:, 1].max())) + 1)
        if x1 - x0 >= 2 and y1 - y0 >= 2:
            boxes.append((x0, y0, x1, y1))
    return boxes


def _recognise_boxes(rgb: "np.ndarray", boxes: list[Box]) -> dict[Box, Read]:
    """The text of each box. Boxes are recognised side by side in strips rather than one by
    one: a table has hundreds of short boxes ("0", "12"), and the recogniser pads each input
    to a minimum width, so one strip of many boxes costs a fraction of as many separate
    inputs. Where each recognised character stands in its strip tells which box it came
    from and where in that box."""
    import cv2
    import numpy as np

    strips: list[list[tuple[int, int, Box]]] = [[]]  # per strip: (start, end, box) of each box in it
    pieces: list[list] = [[]]
    width = 0
    gap = np.full((REC_HEIGHT, STRIP_GAP, 3), 255, np.uint8)
    for box in boxes:
        x0, y0, x1, y1 = box
        scale = REC_HEIGHT / (y1 - y0)
        crop = cv2.resize(rgb[y0:y1, x0:x1], (max(1, round((x1 - x0) * scale)), REC_HEIGHT), interpolation=cv2.INTER_AREA)
        if strips[-1] and width + crop.shape[1] > STRIP_WIDTH:
            strips.append([])
            pieces.append([])
            width = 0
        strips[-1].append((width, width + crop.shape[1], box))
        pieces[-1] += [crop, gap]
        width += crop.shape[1] + STRIP_GAP
    out: dict[Box, Read] = {box: [] for box in boxes}
    if not boxes:
        return out
    images = [np.concatenate(p, axis=1) for p in pieces]
    read = _engine().recognize_txt(images)  # (the recogniser of the detection call: loaded once, word boxes on)
    for strip, image, text, info in zip(strips, images, read.txts or (), read.word_results or ()):
        if not text or not info or not info.line_txt_len:
            continue
        column = image.shape[1] / info.line_txt_len
        columns = iter(c for cols in info.word_cols for c in cols)
        for character, score in zip(text, info.confs):
            if character.isspace():
                continue
            x = (next(columns) + 0.5) * column
            start, end, box = min(strip, key=lambda s: 0 if s[0] <= x < s[1] else min(abs(x - s[0]), abs(x - s[1])))
            x0, y0, x1, y1 = box
            scale = (y1 - y0) / REC_HEIGHT
            centre = x0 + (min(max(x, start), end) - start) * scale
            half = (y1 - y0) * (0.4 if _is_wide(character) else 0.22)
            left, right = max(x0, centre - half), min(x1, centre + half)
            out[box].append((character, left, max(right, left + 1), float(score)))
    return out


# ---------------------------------------------------------------- gaps in number tables

DOUBTFUL_SCORE = 0.8  # a box in a number column read as something else with less confidence is read again
RETRY_SCORE = 0.6  # a number read again counts when recognised with at least this confidence


def _is_number_read(read: Read) -> bool:
    """The box reads as a number (after cell_text's digit look-alikes)."""
    core = cell_text("".join(c for c, *_ in read)).strip(_SPECKS + " ")
    return any(c.isdigit() for c in core) and set(core) <= _NUMBER_CHARS


def _read_gaps(rgb, grey, boxes: list[Box], read: dict[Box, Read]) -> list[tuple[Box | None, tuple[Box, Read]]]:
    """Numbers the first pass missed in a table of numbers, read again one by one: a lone
    "0" in a borderless table is sometimes not detected at all, or read as "口" with low
    confidence (noise, a stamp). The table's number columns (x-centres shared by numbers
    in several rows, and the evenly spaced slots of a row with a hole in it) crossed with
    its number rows give the places where a number should stand; where one has ink but no
    number, that ink is cropped and recognised alone at the recogniser's full height.
    A result counts only when it is a number read with confidence, so an empty cell, a
    speck or a piece of text stays as it was."""
    import numpy as np

    numbers = [b for b in boxes if _is_number_read(read[b])]
    if len(numbers) < 6:
        return []
    height = float(np.median([b[3] - b[1] for b in numbers]))
    rows = _clusters([((b[1] + b[3]) / 2, b) for b in numbers], height * 0.45)
    columns = [c for c in _clusters([((b[0] + b[2]) / 2, b) for b in numbers], height * 0.6) if len(c[1]) >= 3]
    wanted: list[tuple[Box | None, Box]] = []
    for y, members in rows:
        if len(members) < 3:
            continue
        top, bottom = int(y - height * 0.6), int(y + height * 0.6) + 1
        slots = [x for x, column in columns if min(b[1] for b in column) - 2 * height <= y <= max(b[3] for b in column) + 2 * height]
        slots += _row_holes(sorted((b[0] + b[2]) / 2 for b in members))
        width = float(np.median([b[2] - b[0] for b in members]))
        tried: list[float] = []
        for x in slots:
            if any(b[0] - height * 0.3 <= x <= b[2] + height * 0.3 for b in members) or any(abs(x - t) < height for t in tried):
                continue
            tried.append(x)
            covering = [b for b in boxes if b[0] <= x <= b[2] and b[1] <= y <= b[3]]
            if any(not _doubtful(read[b]) for b in covering):
                continue
            left, right = int(x - max(width, height)), int(x + max(width, height)) + 1
            ink = _ink_box(grey, (left, top, right, bottom), height, [b for b in boxes if b not in covering])
            if ink is not None:
                wanted.append((covering[0] if covering else None, ink))
    if not wanted:
        return []
    again = _recognise_alone(rgb, [ink for _, ink in wanted])
    out = []
    for (old, ink), result in zip(wanted, again):
        if result and _is_number_read(result) and min(s for *_, s in result) >= RETRY_SCORE:
            out.append((old, (ink, result)))
    return out


def _doubtful(read: Read) -> bool:
    return not _is_number_read(read) and (not read or min(s for *_, s in read) < DOUBTFUL_SCORE)


def _clusters(items: list[tuple[float, Box]], tolerance: float) -> list[tuple[float, list[Box]]]:
    """Positions grouped where each is within `tolerance` of the previous one: (mean, boxes)."""
    out: list[tuple[float, list[Box]]] = []
    group: list[tuple[float, Box]] = []
    for item in sorted(items, key=lambda i: i[0]):
        if group and item[0] - group[-1][0] > tolerance:
            out.append((sum(p for p, _ in group) / len(group), [b for _, b in group]))
            group = []
        group.append(item)
    if group:
        out.append((sum(p for p, _ in group) / len(group), [b for _, b in group]))
    return out


def _row_holes(centres: list[float]) -> list[float]:
    """Where a number is missing in an evenly spaced row: the middle of a step about twice
    (or three times) the usual one, and one step before the first and after the last (the
    label or the margin is there when nothing is missing: text is not read as a number)."""
    import numpy as np

    if len(centres) < 4:
        return []
    steps = [b - a for a, b in zip(centres, centres[1:])]
    usual = float(np.median(steps))
    holes = []
    for a, step in zip(centres, steps):
        k = round(step / usual)
        if k >= 2 and abs(step - k * usual) < 0.25 * usual:
            holes += [a + usual * i for i in range(1, k)]
    full = sorted(centres + holes)
    if all(abs(b - a - usual) < 0.3 * usual for a, b in zip(full, full[1:])):
        holes += [full[0] - usual, full[-1] + usual]
    return holes


def _ink_box(grey, region: Box, height: float, read_boxes: list[Box]) -> Box | None:
    """The box around the ink in a region, if there is a mark the size of a digit (not a
    speck of noise, not a table's ruling line). Ink inside boxes already read (a wide
    number of the next column reaching in) and vertical rulings do not count."""
    import cv2
    import numpy as np

    h, w = grey.shape
    left, top, right, bottom = max(0, region[0]), max(0, region[1]), min(w, region[2]), min(h, region[3])
    if right - left < 3 or bottom - top < 3:
        return None
    ink = (grey[top:bottom, left:right] < INK).astype(np.uint8)
    ruled = ink.sum(axis=0) >= 0.9 * (bottom - top)  # a vertical ruling crossing the region
    ink[:, np.convolve(ruled, np.ones(3), mode="same") > 0] = 0
    for x0, y0, x1, y1 in read_boxes:
        if x0 < right and x1 > left and y0 < bottom and y1 > top:
            ink[max(0, y0 - top):max(0, y1 - top), max(0, x0 - left):max(0, x1 - left)] = 0
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    # a digit's size; a mark running through the whole region from top to bottom is a ruling
    marks = [s for s in stats[1:n] if height * 0.4 <= s[3] < bottom - top - 1 and s[2] <= height * 2]
    if not marks:
        return None
    x0 = min(s[0] for s in marks)
    y0 = min(s[1] for s in marks)
    x1 = max(s[0] + s[2] for s in marks)
    y1 = max(s[1] + s[3] for s in marks)
    pad = max(2, int(height * 0.15))
    return (max(0, int(left + x0) - pad), max(0, int(top + y0) - pad), min(w, int(left + x1) + pad), min(h, int(top + y1) + pad))


def _recognise_alone(rgb, boxes: list[Box]) -> list[Read]:
    """Each box recognised on its own, with white margins, at the recogniser's height."""
    import cv2

    images = []
    for x0, y0, x1, y1 in boxes:
        crop = rgb[y0:y1, x0:x1]
        margin = max(4, (y1 - y0) // 3)
        crop = cv2.copyMakeBorder(crop, margin, margin, margin, margin, cv2.BORDER_CONSTANT, value=(255, 255, 255))
        images.append(crop)
    read = _engine().recognize_txt(images)
    # one score per text from the recogniser; characters share the box evenly
    out = []
    for (x0, y0, x1, y1), text, score in zip(boxes, read.txts or (), read.scores or ()):
        chars = [c for c in (text or "") if not c.isspace()]
        step = (x1 - x0) / max(len(chars), 1)
        out.append([(c, x0 + i * step, x0 + (i + 1) * step, float(score)) for i, c in enumerate(chars)])
    return out


def _is_wide(character: str) -> bool:
    return "\u2e80" <= character <= "\u9fff" or "\uff00" <= character <= "\uffef" or character in "“”‘’…—"


class Recognised:
    """One page read from its image: characters and rulings in points, and the (upright)
    image they were read from, for the pictures of cells."""

    def __init__(self, grey, dpi: float, chars: list[Char], found: list[Ruling], seconds: float) -> None:
        self.grey, self.dpi, self.chars, self.rulings, self.seconds = grey, dpi, chars, found, seconds

    @property
    def width(self) -> float:
        return self.grey.shape[1] * 72.0 / self.dpi

    @property
    def height(self) -> float:
        return self.grey.shape[0] * 72.0 / self.dpi

    def crop(self, x0: float, top: float, x1: float, bottom: float) -> str:
        """A PNG data: URI of the region (points), scaled down to a small height."""
        from PIL import Image

        k = self.dpi / 72.0
        h, w = self.grey.shape
        left, upper = max(0, int(x0 * k) - 2), max(0, int(top * k) - 2)
        right, lower = min(w, int(x1 * k) + 3), min(h, int(bottom * k) + 3)
        if right <= left or lower <= upper:
            return ""
        picture = Image.fromarray(self.grey[upper:lower, left:right])
        if picture.height > CROP_HEIGHT:
            ratio = CROP_HEIGHT / picture.height
            picture = picture.resize((max(1, int(picture.width * ratio)), CROP_HEIGHT))
        buffer = io.BytesIO()
        picture.save(buffer, format="PNG", optimize=True)
        return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def recognise(image, dpi: float) -> Recognised:
    """Read one page image (PIL) scanned at `dpi`."""
    if not available():
        raise Unavailable(ENABLE_HINT)
    start = time.perf_counter()
    grey = _upright(_grey(image))
    found = rulings(grey, dpi)
    chars = _read_text(grey, dpi)
    return Recognised(grey, dpi, chars, found, time.perf_counter() - start)


_DIGIT_LOOKALIKES = str.maketrans({"i": "1", "I": "1", "l": "1", "|": "1", "o": "0", "O": "0", "，": ","})
_NUMERIC_LOOKING = set("0123456789.,%+-") | set("iIl|oO，")
_SPECKS = ".:;,'`·、。，：；"  # noise next to a number is read as these
_NUMBER_CHARS = set("0123456789.,%+-")


def cell_text(text: str) -> str:
    """A cell's recognised text, read as a number where it can only be one: letters that
    look like digits become digits when the cell holds nothing else ("i" for a "1" under a
    stamp, "O" for "0"), and specks read as punctuation before or after the number go
    ("0.", ".0", "0:"), while a decimal point inside it stays ("4699.47")."""
    core = text.strip(_SPECKS + " ")
    if core and any(c.isdigit() for c in core) and set(core) <= _NUMERIC_LOOKING:
        return core.translate(_DIGIT_LOOKALIKES)
    return text


def cell_mark(page: Recognised, chars: list[Char], box: tuple[float, float, float, float]) -> tuple:
    """Source.ocr for a cell or line read from a page image: (lowest character score, or
    None for a cell where nothing was recognised; the picture of its box)."""
    scores = [c.score for c in chars if isinstance(c, OcrChar)]
    return (round(min(scores), 3) if scores else None, page.crop(*box))


PAGE_TIME_ALLOWANCE = 30.0  # seconds: recognising a page adds at most this to the file's time limit


def _extend_time_limit(seconds: float) -> None:
    """Recognition time does not count against a file's time limit (`--timeout`, an interval
    timer set by the pipeline): a long scan takes minutes where a text report takes
    milliseconds. Each page pushes the limit back by its own time, at most
    PAGE_TIME_ALLOWANCE, so a file still cannot run on without end."""
    import signal
    import threading

    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        return
    remaining, interval = signal.getitimer(signal.ITIMER_REAL)
    if remaining > 0:
        signal.setitimer(signal.ITIMER_REAL, remaining + min(seconds, PAGE_TIME_ALLOWANCE), interval)


class Progress:
    """Per-page progress on stderr while a long file is recognised."""

    def __init__(self, path: str, pages: int) -> None:
        self.path, self.pages, self.done, self.seconds = path, pages, 0, 0.0

    def page(self, number: int, seconds: float) -> None:
        self.done += 1
        self.seconds += seconds
        _extend_time_limit(seconds)
        if self.pages > PROGRESS_PAGES:
            print(f"文字识别 {os.path.basename(self.path)}：第 {number} 页（{self.done}/{self.pages}），"
                  f"{seconds:.1f} 秒", file=sys.stderr, flush=True)


def missing_hint() -> str:
    """What to do to have pages without text read: the sentence added to the message that
    says they were not read."""
    if available():
        return "已安装离线文字识别组件，去掉 --ocr never（或设为 auto）即可识别这些页。"
    return ENABLE_HINT + "。"


def recognise_pdf_pages(path: str, pdf, pages: list, numbers: list[int]) -> list:
    """The PDF's pages with those in `numbers` read from their images (rendered by PDFium
    at DPI, in colour so that red stamps can be told from ink)."""
    wanted = set(numbers)
    progress = Progress(path, len(wanted))
    out = []
    for page in pages:
        if page.number not in wanted:
            out.append(page)
            continue
        with uninterrupted():  # see pdfium_calls: rendering loads fonts
            pdf_page = pdf[page.number - 1]
            bitmap = pdf_page.render(scale=DPI / 72.0, may_draw_forms=True)
            image = bitmap.to_pil().copy()  # a copy: PIL may share the bitmap's memory
        close_uninterrupted(bitmap, pdf_page)  # closed here, never by the garbage collector
        read = recognise(image, DPI)
        out.append(Page(page.number, read.width, read.height, read.chars, read.rulings, True, ocr=read))
        progress.page(page.number, read.seconds)
    return out
