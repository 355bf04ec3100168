"""A real `auditor serve` in a process of its own on 127.0.0.1, for the web page's tests.

The server is started through the command line (port 0: the system picks a free port, read
back from the line the command prints), with TMPDIR pointing at a folder of the test's, so
that the tests can see that no upload is left behind. `patch` is Python run in every
process of the server (as a sitecustomize module): the server, its fork server and its workers.
"""
from __future__ import annotations

import html
import os
import re
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Optional

from tests.support.paths import ROOT

_ADDRESS = re.compile(r"http://127\.0\.0\.1:(\d+)/")


class Server:
    def __init__(self, tmp: Path, *args: str, patch: str = "", env: Optional[dict[str, str]] = None,
                 browser: bool = False):
        self.tmp = tmp  # the server's TMPDIR: upload folders are made here
        self.tmp.mkdir(parents=True, exist_ok=True)
        script = "import sys\nfrom auditor.cli import main\nmain(sys.argv[1:], prog_name='auditor')\n"
        env = dict(os.environ, TMPDIR=str(tmp), PYTHONUNBUFFERED="1", **(env or {}))
        if patch:  # in every process of the server: itself, its fork server and the workers
            site = tmp.parent / f"{tmp.name}-site"
            site.mkdir(parents=True, exist_ok=True)
            (site / "sitecustomize.py").write_text(
                "import os, signal, sys\nimport auditor.pipeline as pipeline\n" + textwrap.dedent(patch).strip() + "\n",
                encoding="utf-8")
            env["PYTHONPATH"] = os.pathsep.join([str(site), *filter(None, [env.get("PYTHONPATH")])])
        no_browser = [] if browser else ["--no-browser"]
        self.proc = subprocess.Popen(
            [sys.executable, "-c", script, "serve", *no_browser, "--port", "0", *args],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8", cwd=ROOT, env=env,
            start_new_session=True,
        )
        self.output: list[str] = []
        self.url = self._wait_for_address()
        threading.Thread(target=self._collect, daemon=True).start()

    def _wait_for_address(self, limit: float = 90.0) -> str:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            self.output.append(line)
            found = _ADDRESS.search(line)
            if found:
                return f"http://127.0.0.1:{found.group(1)}"
        self.stop()
        raise RuntimeError("auditor serve did not start:\n" + "".join(self.output))

    def _collect(self) -> None:
        for line in self.proc.stdout:
            self.output.append(line)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def uploads_left(self) -> list[Path]:
        return sorted(self.tmp.glob("auditor-upload-*"))

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)  # the server and its workers, as Ctrl+C does
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)

    def __enter__(self) -> "Server":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def wait_until(condition, limit: float = 10.0, step: float = 0.05) -> bool:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


def alert_text(page: str) -> Optional[str]:
    """The message shown at the top of the self-check page, as plain text."""
    found = re.search(r'<div class="message" id="message" role="alert">(.*?)</div>', page, re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1))) if found else None
