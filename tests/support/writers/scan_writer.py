"""Synthetic scans of generated reports: a PDF written by the PDF writers, rendered to page
images by PDFium at a given resolution, spoilt like a scan (skew, noise, JPEG artefacts, a red
stamp over the table) and saved as an image-only PDF or as PNG pages.

The machine has no Chinese fonts and the generated PDFs do not embed theirs, so a plain
rendering shows no Chinese. Rendering happens in a child process whose PDFium is given a
real CJK font for Chinese text: Noto Sans CJK (SIL Open Font License) from the test-only
package `cvttf-notosanscjk-regular`, through the reader's own font-substitution hook. The
auditing process never sees that font.
"""
from __future__ import annotations

import json
import math
import random
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Optional

from PIL import Image, ImageDraw, ImageFilter


def render_pdf(pdf: Path, dpi: int) -> list[Image.Image]:
    """The PDF's pages as RGB images at `dpi`, with Chinese drawn in Noto Sans CJK."""
    with tempfile.TemporaryDirectory() as out:
        subprocess.run([sys.executable, __file__, str(pdf), str(dpi), out], check=True)
        names = json.loads((Path(out) / "pages.json").read_text())
        return [Image.open(Path(out) / name).convert("RGB") for name in names]


def _stamp(image: Image.Image, rng: random.Random, dpi: int) -> Image.Image:
    """A red seal (ring, star, text-like arcs) printed over the right part of the page's upper
    half. Ink on paper: multiplied in, so the print beneath stays dark through it."""
    from PIL import ImageChops

    seal = Image.new("RGB", image.size, (255, 255, 255))
    draw = ImageDraw.Draw(seal)
    r = int(0.8 * dpi)
    cx = int(image.width * rng.uniform(0.6, 0.8))
    cy = int(image.height * rng.uniform(0.25, 0.5))
    red = (220, 40, 40)
    for k in range(max(2, dpi // 60)):
        draw.ellipse((cx - r + k, cy - r + k, cx + r - k, cy + r - k), outline=red)
    points = []
    for i in range(10):
        radius = r * (0.35 if i % 2 else 0.15)
        angle = math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy - radius * math.sin(angle)))
    draw.polygon(points, fill=red)
    for i in range(14):
        angle = math.pi * (0.15 + 0.05 * i)
        x, y = cx + 0.72 * r * math.cos(angle), cy - 0.72 * r * math.sin(angle)
        draw.rectangle((x - dpi // 30, y - dpi // 30, x + dpi // 30, y + dpi // 30), fill=red)
    return ImageChops.multiply(image, seal)


def spoil(image: Image.Image, seed: int, dpi: int, skew: float = 0.0, noise: float = 0.0,
          jpeg: Optional[int] = None, stamp: bool = False) -> Image.Image:
    """The page as a scanner might give it: turned by `skew` degrees, with grey speckle noise
    (share of pixels), a red stamp, and a JPEG round trip at quality `jpeg`."""
    import io

    import numpy as np

    rng = random.Random(seed)
    image = image.copy()
    if stamp:
        image = _stamp(image, rng, dpi)
    if skew:
        image = image.rotate(skew, resample=Image.BICUBIC, expand=False, fillcolor=(255, 255, 255))
    if noise:
        pixels = np.asarray(image, dtype=np.int16).copy()
        gen = np.random.default_rng(seed)
        pixels += gen.normal(0, 12, pixels.shape[:2])[..., None].astype(np.int16)
        specks = gen.random(pixels.shape[:2]) < noise
        pixels[specks] = gen.integers(0, 160, (int(specks.sum()), 1))
        image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.4))
    if jpeg:
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=jpeg)
        image = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
    return image


def save_scan(pages: list[Image.Image], path: Path, dpi: int) -> list[Path]:
    """Image-only PDF (.pdf, one picture per page), multi-page TIFF (.tif, as scanners save
    them), or one PNG or JPEG file per page (path-1.png, ...)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".pdf":
        pages[0].save(path, "PDF", resolution=dpi, save_all=True, append_images=pages[1:])
        return [path]
    if path.suffix in (".tif", ".tiff"):
        pages[0].save(path, save_all=True, append_images=pages[1:], dpi=(dpi, dpi), compression="tiff_lzw")
        return [path]
    out = []
    for i, page in enumerate(pages, start=1):
        target = path.with_name(f"{path.stem}-{i}{path.suffix}")
        page.save(target, dpi=(dpi, dpi))
        out.append(target)
    return out


def _render_main(pdf: str, dpi: str, out: str) -> None:
    import cvttf_NotoSansCJK_Regular as noto
    import pypdfium2 as pdfium

    from auditor.readers import pdf_fonts

    font = Path(noto.get_TTF_path()).read_bytes()
    pdf_fonts.fallback_font = lambda: font  # the hook serves this font for Chinese text
    pdf_fonts.install()
    names = []
    document = pdfium.PdfDocument(pdf)
    for i in range(len(document)):
        name = f"page-{i + 1}.png"
        document[i].render(scale=int(dpi) / 72).to_pil().convert("RGB").save(Path(out) / name)
        names.append(name)
    (Path(out) / "pages.json").write_text(json.dumps(names))


if __name__ == "__main__":
    _render_main(*sys.argv[1:4])
