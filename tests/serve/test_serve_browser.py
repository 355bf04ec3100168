"""The self-check page in a real headless Chromium (tests/support/browser.py): upload a report, see
the findings, mark one as checked, download the page, the workbook and the suppression file;
the same with JavaScript switched off, as on an old intranet browser."""
from __future__ import annotations

import io

import openpyxl
import pytest

from auditor.suppressions import load_suppressions
from tests.support.browser import chromium, downloaded, require_browser
from tests.support.paths import EXAMPLES
from tests.support.serving import Server

REPORT = EXAMPLES / "洪泽区人民政府-2024.pdf"


# A report with this mark takes 3 s to read, so that the page can be seen while it waits.
_SLOW_ON_MARK = """
import time
real_read = pipeline.read_document
def read_document(path):
    if b"SLOW-DOWN" in open(path, "rb").read():
        time.sleep(3)
    return real_read(path)
pipeline.read_document = read_document
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    require_browser()
    with Server(tmp_path_factory.mktemp("serve-tmp"), "--jobs", "2", "--max-size", "5", patch=_SLOW_ON_MARK) as running:
        yield running


def _browser(tmp_path, javascript):
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    return chromium(downloads, javascript=javascript), downloads


def _wait(driver, condition, limit=60):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, limit).until(condition)


def _upload(driver, server, path):
    from selenium.webdriver.common.by import By

    driver.get(server.url + "/")
    driver.find_element(By.ID, "report").send_keys(str(path))
    driver.find_element(By.ID, "submit").click()


def _check_downloads(driver, downloads):
    """The page and the workbook, through the links of the bar."""
    from selenium.webdriver.common.by import By

    driver.find_element(By.LINK_TEXT, "下载本页（HTML）").click()
    page = downloaded(downloads, ".html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and 'id="findings"' in page and "sc-bar" not in page
    driver.find_element(By.LINK_TEXT, "下载审查意见（XLSX）").click()
    book = openpyxl.load_workbook(io.BytesIO(downloaded(downloads, ".xlsx").read_bytes()))
    assert book["审查意见"].max_row > 1


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_upload_see_findings_mark_one_and_download(tmp_path, server, javascript):
    from selenium.webdriver.common.by import By

    driver, downloads = _browser(tmp_path, javascript)
    try:
        _upload(driver, server, REPORT)
        _wait(driver, lambda d: "/r/" in d.current_url)
        findings = driver.find_elements(By.CSS_SELECTOR, "#findings article.finding")
        assert findings and findings[0].is_displayed()
        assert REPORT.name in driver.find_element(By.TAG_NAME, "h1").text

        row = driver.find_elements(By.CSS_SELECTOR, "#mark tbody tr")[0]
        fingerprint = row.get_attribute("id").removeprefix("mark-")
        reason = row.find_element(By.CSS_SELECTOR, "td.reason input")
        if javascript:  # the finding links to its row, and typing a reason ticks the box
            link = driver.find_element(By.CSS_SELECTOR, f'a.sc-mark-link[data-fingerprint="{fingerprint}"]')
            link.click()
            _wait(driver, lambda d: d.switch_to.active_element == reason, 10)
            reason.send_keys("经核实，以台账为准")
            assert row.find_element(By.CSS_SELECTOR, "input[type=checkbox]").is_selected()
        else:
            assert not driver.find_elements(By.CSS_SELECTOR, "a.sc-mark-link")
            row.find_element(By.CSS_SELECTOR, "input[type=checkbox]").click()
            reason.send_keys("经核实，以台账为准")
        driver.find_element(By.NAME, "by").send_keys("王五")
        driver.find_element(By.ID, "download-suppressions").click()
        entries = load_suppressions(downloaded(downloads, ".toml")).entries
        assert [(e.fingerprint, e.reason, e.by) for e in entries] == [(fingerprint, "经核实，以台账为准", "王五")]

        _check_downloads(driver, downloads)
    finally:
        driver.quit()


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_a_bad_file_shows_the_message_on_the_page(tmp_path, server, javascript):
    from selenium.webdriver.common.by import By

    bad = tmp_path / "损坏的报告.pdf"
    bad.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 10)
    driver, _ = _browser(tmp_path, javascript)
    try:
        driver.get(server.url + "/")
        assert ("js" in driver.find_element(By.TAG_NAME, "html").get_attribute("class").split()) is javascript
        _upload(driver, server, bad)
        message = _wait(driver, lambda d: d.find_elements(By.ID, "message"))[0]
        assert "损坏的报告.pdf" in message.text and "无法审查" in message.text
        assert driver.find_element(By.ID, "report")  # the form again
    finally:
        driver.quit()


def test_a_file_dropped_on_the_page_is_audited(tmp_path, server):
    from selenium.webdriver.common.by import By

    text = (EXAMPLES / "沭阳县人民政府-2025.txt").read_text(encoding="utf-8")
    driver, _ = _browser(tmp_path, True)
    try:
        driver.get(server.url + "/")
        driver.execute_script("""
            const files = new DataTransfer();
            files.items.add(new File([arguments[0]], '拖入的报告.txt', {type: 'text/plain'}));
            document.getElementById('drop').dispatchEvent(
                new DragEvent('drop', {dataTransfer: files, bubbles: true, cancelable: true}));
        """, text)
        assert driver.execute_script("return document.getElementById('report').files[0].name") == "拖入的报告.txt"
        driver.find_element(By.ID, "submit").click()
        _wait(driver, lambda d: "/r/" in d.current_url)
        assert driver.find_element(By.TAG_NAME, "h1").text == "拖入的报告.txt"
    finally:
        driver.quit()


def test_with_javascript_the_page_shows_the_upload_progress(tmp_path, server):
    from selenium.webdriver.common.by import By

    slow = tmp_path / "慢.txt"
    slow.write_bytes((EXAMPLES / "沭阳县人民政府-2025.txt").read_bytes() + b"\nSLOW-DOWN\n")
    driver, _ = _browser(tmp_path, True)
    try:
        _upload(driver, server, slow)
        status = driver.find_element(By.ID, "status")
        _wait(driver, lambda d: status.text == "已上传，正在审查…", 10)
        assert driver.find_element(By.ID, "progress").is_displayed()
        assert not driver.find_element(By.ID, "submit").is_enabled()
        _wait(driver, lambda d: "/r/" in d.current_url)
        assert driver.find_element(By.TAG_NAME, "h1").text == "慢.txt"
    finally:
        driver.quit()
