"""Headless Chromium for the web page's tests: Debian's chromium and chromium-driver, driven
by Selenium (nothing downloaded: the driver and the browser are named by path).

CI installs them (.ci/run); on a machine without them the browser tests fail with a message
saying so, unless AUDITOR_SKIP_BROWSER_TESTS=1 says to skip them.
"""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("AUDITOR_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = os.environ.get("AUDITOR_CHROMEDRIVER") or shutil.which("chromedriver")
SKIP_ENV = "AUDITOR_SKIP_BROWSER_TESTS"


def require_browser() -> None:
    if CHROMIUM and CHROMEDRIVER:
        return
    message = ("浏览器测试需要 Debian 的 chromium 和 chromium-driver（apt-get install chromium chromium-driver；"
               f".ci/run 会安装）。本机没有时可设 {SKIP_ENV}=1 跳过。")
    if os.environ.get(SKIP_ENV) == "1":
        pytest.skip(message)
    pytest.fail(message, pytrace=False)


def chromium(downloads: Path, javascript: bool = True, width: int = 1200, height: int = 900):
    """A headless Chromium that saves downloads in `downloads`."""
    require_browser()
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium must not look for drivers on the network
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                f"--window-size={width},{height}", "--lang=zh-CN", "--no-first-run", "--disable-extensions"):
        options.add_argument(arg)
    prefs = {"download.default_directory": str(downloads), "download.prompt_for_download": False,
             "safebrowsing.enabled": False}
    if not javascript:
        prefs["profile.managed_default_content_settings.javascript"] = 2
    options.add_experimental_option("prefs", prefs)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    return driver


def downloaded(folder: Path, suffix: str, limit: float = 30.0) -> Path:
    """The file with this suffix once Chromium has finished writing it."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        done = [p for p in folder.glob(f"*{suffix}") if not p.name.endswith(".crdownload")]
        if done and not list(folder.glob("*.crdownload")):
            return done[0]
        time.sleep(0.1)
    raise AssertionError(f"no {suffix} downloaded into {folder}: {sorted(p.name for p in folder.iterdir())}")
