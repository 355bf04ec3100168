"""Screenshots of the self-check page for the README (docs/*.png): the upload form, a report
page with its findings, and the same page printed on A4 (Chromium's print to PDF, page 1
drawn with PDFium). Run by hand, not by the test suite:

    python -m tests.support.screenshots

The machine needs Chinese fonts for the pictures (without them Chinese shows as boxes):
install fonts-noto-cjk for the run, and remove it after, as the tests must pass without.
"""
from __future__ import annotations

import base64
import io
import sys
import tempfile
from pathlib import Path


import pypdfium2 as pdfium  # noqa: E402
from PIL import Image  # noqa: E402

from tests.support.browser import chromium  # noqa: E402
from tests.support.paths import ROOT  # noqa: E402
from tests.support.reportgen import make_report, render  # noqa: E402
from tests.support.serving import Server  # noqa: E402

DOCS = ROOT / "docs"


def _sample_report(folder: Path) -> Path:
    """A realistic generated report with one wrong cell in 表三 (the page shows where)."""
    rep = make_report("2021", seed=7, rich=True, agency="示例市示例区人民政府")
    rep.t3["carried"]["np"] += 1
    path = folder / f"示例区人民政府-{rep.year}年度报告.txt"
    path.write_text(render(rep), encoding="utf-8")
    return path


def _save(png: bytes | Image.Image, name: str, width: int | None = None) -> None:
    """A small PNG: at most `width` pixels wide, 64 colours."""
    image = png if isinstance(png, Image.Image) else Image.open(io.BytesIO(png))
    image = image.convert("RGB")
    if width and image.width > width:
        image = image.resize((width, round(image.height * width / image.width)), Image.LANCZOS)
    image.quantize(colors=64, method=Image.Quantize.MEDIANCUT).save(DOCS / name, optimize=True)
    print(DOCS / name, (DOCS / name).stat().st_size // 1024, "KB")


def _page_screenshot(driver, height: int) -> bytes:
    """The top `height` CSS pixels of the page at the window's width."""
    width = driver.execute_script("return document.documentElement.clientWidth")
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}})
    return base64.b64decode(shot["data"])


def main() -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.print_page_options import PrintOptions

    DOCS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        report = _sample_report(folder)
        downloads = folder / "downloads"
        downloads.mkdir()
        with Server(folder / "tmp", "--jobs", "2") as server:
            driver = chromium(downloads, width=1100, height=900)
            try:
                driver.get(server.url + "/")
                _save(_page_screenshot(driver, 820), "serve-upload.png", 900)
                driver.find_element(By.ID, "report").send_keys(str(report))
                driver.find_element(By.ID, "submit").click()
                driver.implicitly_wait(30)
                driver.find_element(By.CSS_SELECTOR, "#findings")
                _save(_page_screenshot(driver, 1500), "serve-report.png", 900)
                driver.execute_script("document.getElementById('mark').scrollIntoView()")
                mark_top = driver.execute_script("return document.getElementById('mark').getBoundingClientRect().top + window.scrollY")
                shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
                    "format": "png", "captureBeyondViewport": True,
                    "clip": {"x": 0, "y": mark_top - 10, "width": 1100, "height": 420, "scale": 1}})
                _save(base64.b64decode(shot["data"]), "serve-marks.png", 900)
                options = PrintOptions()
                options.page_width, options.page_height = 21.0, 29.7  # A4, in cm
                pdf = base64.b64decode(driver.print_page(options))
            finally:
                driver.quit()
    _save(_first_and_table_pages(pdfium.PdfDocument(pdf)), "serve-report-a4.png")


def _first_and_table_pages(document) -> Image.Image:
    """Page 1 and the page where 表三 starts, side by side."""
    def text(i):
        return document[i].get_textpage().get_text_range()

    table = next((i for i in range(1, len(document)) if "申请人情况" in text(i)), min(1, len(document) - 1))
    print("A4 print:", len(document), "pages; 表三 on page", table + 1)
    pages = [document[i].render(scale=80 / 72).to_pil() for i in (0, table)]
    sheet = Image.new("RGB", (sum(p.width for p in pages) + 30, max(p.height for p in pages) + 20), "#9aa0a6")
    x = 10
    for page in pages:
        sheet.paste(page, (x, 10))
        x += page.width + 10
    return sheet


if __name__ == "__main__":
    main()
