"""Many people at once: 20 uploads sent together to `auditor serve` on 127.0.0.1 (loopback
only), real reports of every format mixed with broken files and one that kills its worker. Every upload is answered (the
reports with their page, the broken ones with a message), the server is still up after, and
no uploaded file is left in the temporary folder. Bounded: 20 requests, 120 s each."""
from __future__ import annotations

import statistics
import time
from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.support.paths import EXAMPLES, ROOT
from tests.support.serving import Server, alert_text, wait_until

TEMPLATE = ROOT / "tests" / "fixtures" / "template"
REAL_FILES = [*sorted(EXAMPLES.iterdir()), TEMPLATE / "模板填报-2024.docx", TEMPLATE / "模板填报-2024.html",
              TEMPLATE / "模板填报-2024.pdf", TEMPLATE / "模板填报-2024.doc"]


def _broken_files() -> list[tuple[str, bytes, int]]:
    pdf = (EXAMPLES / "洪泽区人民政府-2024.pdf").read_bytes()
    docx = (TEMPLATE / "模板填报-2024.docx").read_bytes()
    return [  # (name, content, expected status)
        ("截断.pdf", pdf[: len(pdf) // 3], 422),
        ("空文件.docx", b"", 422),
        ("乱码.docx", docx[:200] + bytes(range(256)) * 20, 422),
        ("程序.exe", b"MZ" + bytes(5000), 415),
        ("太大.txt", b"x" * (3 * 1024 * 1024), 413),
        ("不是年报.html", "<html><body><p>食堂菜单</p></body></html>".encode(), 422),
        ("零字节.pdf", b"", 422),
        ("头坏了.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 100, 422),
        ("图片.pdf", (ROOT / "tests" / "fixtures" / "pdf" / "picture-last-page.pdf").read_bytes(), None),
        ("二进制.txt", bytes(range(256)) * 50, 422),
        ("崩溃.txt", (EXAMPLES / "沭阳县人民政府-2025.txt").read_bytes() + b"\nKILL-THE-WORKER\n", 422),
    ]


# A file that kills the worker auditing it (as a crash in PDFium would), sent among the others:
# the uploads in flight with it are audited again and answered as usual.
_KILL_ON_MARK = """
real_read = pipeline.read_document
def read_document(path):
    if b"KILL-THE-WORKER" in open(path, "rb").read():
        os.kill(os.getpid(), signal.SIGKILL)
    return real_read(path)
pipeline.read_document = read_document
"""


def _uploads() -> list[tuple[str, bytes, object]]:
    real = [(p.name, p.read_bytes(), 303 if p.suffix != ".doc" else None) for p in REAL_FILES]
    broken = _broken_files()
    uploads = real + broken[: 20 - len(real) - 1] + broken[-1:]
    return uploads[::2] + uploads[1::2]  # reports and broken files interleaved


def _send(url: str, name: str, content: bytes) -> tuple[int, float, str]:
    started = time.monotonic()
    with httpx.Client(base_url=url, timeout=120) as client:
        response = client.post("/check", files={"report": (name, content)}, follow_redirects=False)
        page = client.get(response.headers["location"]) if response.status_code == 303 else response
    return response.status_code, time.monotonic() - started, page.text


def test_twenty_uploads_at_once_are_all_answered(tmp_path):
    uploads = _uploads()
    assert len(uploads) == 20
    with Server(tmp_path / "tmp", "--max-size", "2", "--jobs", "2", patch=_KILL_ON_MARK) as server:
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=20) as senders:
            answers = list(senders.map(lambda u: _send(server.url, u[0], u[1]), uploads))
        total = time.monotonic() - started
        for (name, _, expected), (status, _, page) in zip(uploads, answers):
            if expected is None:  # depends on the machine (a .doc converter) or the file: either answer
                assert status == 303 or (status == 422 and alert_text(page)), (name, status)
            else:
                assert status == expected, (name, status, alert_text(page))
            if status == 303:
                assert 'id="findings"' in page or 'class="fatal"' in page
            else:
                assert alert_text(page) and "Traceback" not in page
            if name == "崩溃.txt":
                assert "审查进程意外退出" in alert_text(page)
        assert server.alive()
        assert httpx.get(f"{server.url}/", timeout=30).status_code == 200
        assert wait_until(lambda: server.uploads_left() == [])
        times = sorted(t for _, t, _ in answers)
        print(f"\n20 concurrent uploads: all answered in {total:.1f} s; per upload median {statistics.median(times):.1f} s,"
              f" slowest {times[-1]:.1f} s; {sum(s == 303 for s, _, _ in answers)} audited,"
              f" {sum(s != 303 for s, _, _ in answers)} refused with a message")
        assert total < 240
    # Nothing left in the server's temporary folder, but for the one state file that onnxruntime
    # (the OCR extra) writes there when it is imported (not an upload, 51 bytes) and the folder
    # of multiprocessing's fork server (its socket), which a stop during the shutdown of a
    # broken pool can leave behind: neither holds a report.
    left = [p for p in (tmp_path / "tmp").iterdir()
            if not (p.name == ".ses" and p.stat().st_size < 200) and not p.name.startswith("pymp-")]
    assert left == []
