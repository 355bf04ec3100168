"""`auditor serve` over HTTP: a real server on 127.0.0.1 (tests/support/serving.py), driven as a
browser without JavaScript would (plain form posts), bad input included. The browser itself
is in test_serve_browser.py, many users at once in test_serve_load.py."""
from __future__ import annotations

import html
import io
import re
import shutil
import socket
import subprocess
import sys
import zipfile

import httpx
import openpyxl
import pytest

from auditor.suppressions import load_suppressions
from tests.support.paths import EXAMPLES, REAL, ROOT
from tests.support.reportgen import make_report, render
from tests.support.serving import Server, alert_text, wait_until
from tests.support.writers.pdf_writer import write_pdf

REPORT = EXAMPLES / "洪泽区人民政府-2024.pdf"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with Server(tmp_path_factory.mktemp("serve-tmp"), "--jobs", "2", "--max-size", "1") as running:
        yield running


@pytest.fixture
def client(server):
    with httpx.Client(base_url=server.url, timeout=120) as c:
        yield c
    assert server.alive(), "".join(server.output)
    assert server.uploads_left() == []  # every upload folder removed, whatever happened


def upload(client, report=None, previous=None, suppressions=None):
    files = {name: value for name, value in (("report", report), ("previous", previous),
                                             ("suppressions", suppressions)) if value is not None}
    return client.post("/check", files=files or {"report": ("", b"")}, follow_redirects=False)


def upload_path(client, path, **more):
    return upload(client, (path.name, path.read_bytes()), **more)


def result_page(client, response):
    assert response.status_code == 303, alert_text(response.text)
    return response.headers["location"], client.get(response.headers["location"])


def test_the_form_works_without_scripts_and_loads_nothing_from_elsewhere(client):
    page = client.get("/")
    assert page.status_code == 200
    form = re.search(r"<form[^>]*>", page.text).group(0)
    assert 'method="post"' in form and 'enctype="multipart/form-data"' in form and 'action="/check"' in form
    assert re.search(r'<input type="file" id="report" name="report"', page.text)
    assert not re.search(r'(src|href)="(https?:)?//', page.text)
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "form-action 'self'" in policy


def test_a_report_gives_the_same_page_as_check_and_the_findings_workbook(client, tmp_path):
    location, page = result_page(client, upload_path(client, REPORT))
    assert page.status_code == 200
    assert "下载本页（HTML）" in page.text and "下载审查意见（XLSX）" in page.text and 'id="findings"' in page.text

    downloaded = client.get(f"{location}/report.html")
    assert downloaded.headers["content-disposition"].startswith("attachment")
    shutil.copy(REPORT, tmp_path / REPORT.name)
    subprocess.run([sys.executable, "-m", "auditor", "check", REPORT.name, "-o", "page.html", "--fail-on", "never"],
                   cwd=tmp_path, check=True, capture_output=True)
    assert downloaded.text == (tmp_path / "page.html").read_text(encoding="utf-8")

    check_json = subprocess.run([sys.executable, "-m", "auditor", "check", REPORT.name, "--format", "json",
                                 "--fail-on", "never"], cwd=tmp_path, capture_output=True, text=True, check=True)
    fingerprints = re.findall(r'"fingerprint": "([0-9a-f]{16})"', check_json.stdout)
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"{location}/findings.xlsx").content))
    rows = list(book["审查意见"].iter_rows(values_only=True))
    column = rows[0].index("指纹 fingerprint")
    assert sorted(r[column] for r in rows[1:]) == sorted(fingerprints)


def _encrypted_pdf(tmp_path):
    return write_pdf(make_report("2021"), tmp_path / "加密.pdf", encrypt="secret").read_bytes()


def _broken_docx(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("word/document.xml", "<w:document><w:body><w:p>")
    return buffer.getvalue()


BAD_INPUTS = {  # name: (file name, bytes or maker, HTTP status, words of the message)
    "empty": ("报告.pdf", b"", 422, ["是空的"]),
    "wrong type": ("报告.exe", b"MZ\x90\x00", 415, ["类型不支持", ".docx"]),
    "encrypted pdf": ("加密.pdf", _encrypted_pdf, 422, ["密码", "加密.pdf"]),
    "damaged docx": ("损坏.docx", _broken_docx, 422, ["损坏.docx"]),
    "random bytes as pdf": ("乱码.pdf", bytes(range(256)) * 40, 422, ["乱码.pdf"]),
    "not a report": ("通知.txt", "关于开展植树活动的通知\n各单位：请于三月十二日前报名。\n".encode(), 422, ["未识别"]),
    "over the size limit": ("大.txt", b"x" * (1024 * 1024 + 1), 413, ["1 MB", "上限"]),
}


@pytest.mark.parametrize("case", BAD_INPUTS)
def test_bad_input_gets_a_chinese_message_with_its_status(client, tmp_path, case):
    name, content, status, words = BAD_INPUTS[case]
    data = content(tmp_path) if callable(content) else content
    response = upload(client, (name, data))
    assert response.status_code == status
    message = alert_text(response.text)
    assert message and all(w in message for w in words), message
    assert "Traceback" not in response.text and "auditor-upload-" not in response.text  # no temporary path shown
    assert 'name="report"' in response.text  # the form again, to try another file


def test_no_file_chosen_is_asked_for(client):
    response = upload(client)
    assert response.status_code == 400 and "请先选择" in alert_text(response.text)


def _raw_upload(server, declared: int, sent: int) -> tuple[bytes, str]:
    """A form post by hand: `declared` bytes announced, `sent` bytes of a file sent, then
    nothing more (the connection kept open); the status line and the page that came back."""
    host, port = server.url.removeprefix("http://").split(":")
    head = b'--B\r\nContent-Disposition: form-data; name="report"; filename="big.txt"\r\n\r\n'
    request = (f"POST /check HTTP/1.1\r\nHost: {host}\r\nContent-Type: multipart/form-data; boundary=B\r\n"
               f"Content-Length: {declared}\r\n\r\n").encode()
    with socket.create_connection((host, int(port)), timeout=60) as sock:
        sock.sendall(request + (head + b"y" * sent if sent else b""))
        answer = b""
        while b"</html>" not in answer:
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
    status_line, _, rest = answer.partition(b"\r\n")
    return status_line, html.unescape(rest.decode("utf-8", errors="replace"))


def test_a_file_over_the_limit_is_refused_while_it_streams(server):
    """The answer comes while the sender is still sending: 3 MB of a body announced as 4 MB
    (the limit is 1 MB), then nothing more; a server reading everything first would wait."""
    status, page = _raw_upload(server, 4 * 1024 * 1024, 3 * 1024 * 1024)
    assert status.startswith(b"HTTP/1.1 413") and "超过 1 MB 的上限" in page
    assert server.alive()
    assert wait_until(lambda: server.uploads_left() == [])


def test_a_declared_length_over_the_limit_is_refused_unread(server):
    status, page = _raw_upload(server, 500 * 1024 * 1024, 0)
    assert status.startswith(b"HTTP/1.1 413") and "上限" in page


@pytest.mark.parametrize("sent_name, shown", [("../../escaped.txt", "escaped.txt"),
                                              ("C:\\Users\\李\\..\\逃逸.txt", "逃逸.txt")])
def test_the_senders_file_name_is_only_a_label(client, server, sent_name, shown):
    text = (EXAMPLES / "沭阳县人民政府-2025.txt").read_bytes()
    location, page = result_page(client, upload(client, (sent_name, text)))
    assert f"<h1>{shown}</h1>" in page.text
    assert not list(server.tmp.parent.rglob("escaped.txt")) and not list(ROOT.rglob("逃逸.txt"))


def test_report_strings_are_escaped(client):
    rep = make_report("2021", seed=3)
    rep.extra_s1 = ['2019年<script>alert("agency")</script>全年主动公开<img src=x onerror=alert(1)>信息 5 条。']
    text = render(rep)  # the sentence of the wrong year is quoted in a finding and marked in the page
    location, page = result_page(client, upload(client, ('<img src=y onerror="alert(2)">.txt', text.encode())))
    for raw in ('<script>alert("agency")', "<img src=x", "<img src=y"):
        assert raw not in page.text
    assert "&lt;img src=y onerror=" in page.text and "&lt;script&gt;alert(" in page.text


def _marks(page_text, fingerprint, reason, by="张三"):
    return {"checked": fingerprint, f"reason-{fingerprint}": reason, "by": by}


def test_a_marked_finding_becomes_a_suppression_file_that_check_reads(client, tmp_path):
    location, page = result_page(client, upload_path(client, REPORT))
    fingerprints = re.findall(r'name="checked" value="([0-9a-f]{16})"', page.text)
    assert fingerprints
    reason = '经核实，"结转"以台账为准\\ 无需修改'
    downloaded = client.post(f"{location}/suppressions", data=_marks(page.text, fingerprints[0], reason))
    assert downloaded.status_code == 200 and "suppressions.toml" in downloaded.headers["content-disposition"]
    target = tmp_path / "suppressions.toml"
    target.write_bytes(downloaded.content)
    entries = load_suppressions(target).entries
    assert [(e.fingerprint, e.reason, e.by) for e in entries] == [(fingerprints[0], reason, "张三")]

    shutil.copy(REPORT, tmp_path / REPORT.name)
    checked = subprocess.run([sys.executable, "-m", "auditor", "check", REPORT.name, "--format", "json",
                              "--suppressions", "suppressions.toml", "--fail-on", "never"],
                             cwd=tmp_path, capture_output=True, text=True, check=True)
    assert f'"fingerprint": "{fingerprints[0]}"' in checked.stdout and '"reason": "经核实' in checked.stdout

    # Next time: the report with the file; the finding shows as suppressed, the file grows.
    location, page = result_page(client, upload_path(client, REPORT, suppressions=("suppressions.toml", target.read_bytes())))
    assert "另有 1 项已豁免" in page.text
    assert f'name="checked" value="{fingerprints[0]}"' not in page.text
    second = client.post(f"{location}/suppressions", data=_marks(page.text, fingerprints[1], "已核实"))
    target.write_bytes(second.content)
    assert [e.fingerprint for e in load_suppressions(target).entries] == fingerprints[:2]


def test_a_mark_without_a_reason_is_asked_for_and_the_typed_marks_are_kept(client):
    location, page = result_page(client, upload_path(client, REPORT))
    first, second = re.findall(r'name="checked" value="([0-9a-f]{16})"', page.text)[:2]
    response = client.post(f"{location}/suppressions",
                           data={"checked": [first, second], f"reason-{second}": "已核实", "by": "李四"})
    assert response.status_code == 400
    error = re.search(r'id="mark-error"[^>]*>(.*?)</div>', response.text).group(1)
    assert first in error and second not in error and "理由" in error
    assert 'value="已核实"' in response.text and 'value="李四"' in response.text


def test_a_broken_suppression_file_is_named_in_the_message(client):
    response = upload_path(client, REPORT, suppressions=("豁免.toml", b"[[suppress]]\nfingerprint = 12\n"))
    assert response.status_code == 422
    message = alert_text(response.text)
    assert "豁免.toml" in message and "fingerprint" in message


def test_last_years_report_adds_the_year_over_year_findings(client, tmp_path):
    text = (REAL / "洪泽区人民政府-2023.layout.txt").read_text(encoding="utf-8")
    line = next(ln for ln in text.splitlines() if "结转下年度继续办理" in ln or ln.strip().startswith("四、结转"))
    changed = text.replace(line, line.replace(" 0", " 4", 1), 1).encode()
    location, page = result_page(client, upload_path(client, REPORT, previous=("洪泽区-2023.txt", changed)))
    assert "XYEAR-CARRY-OVER" in page.text and "洪泽区-2023.txt" in html.unescape(page.text)
    assert "跨年度核对：1 条意见" in page.text

    _, page = result_page(client, upload_path(client, REPORT, previous=("洪泽区-2023.txt", text.encode())))
    assert "跨年度核对：未发现问题" in page.text and "XYEAR-CARRY-OVER" not in page.text


def test_last_year_of_another_agency_or_unreadable_is_a_note(client):
    other = EXAMPLES / "淮安市人民政府-2024.pdf"
    _, page = result_page(client, upload_path(client, REPORT, previous=(other.name, other.read_bytes())))
    assert "不是同一机关的相邻两年" in page.text
    _, page = result_page(client, upload_path(client, REPORT, previous=("去年.pdf", b"%PDF-1.4 broken")))
    assert "上一年度的报告无法审查" in page.text and "去年.pdf" in page.text


def test_an_unknown_result_or_page_is_a_chinese_404(client):
    assert client.get("/r/no-such-audit").status_code == 404
    assert "已不在服务中" in alert_text(client.get("/r/no-such-audit").text)
    assert client.get("/nothing-here").status_code == 404


# ---------------------------------------------------------------- the worker pool


_KILL_OR_SLEEP = """
import time
import auditor.render.html as html_module
import auditor.serve.marks as marks
real_render = html_module.render_html
def render_html(result):
    if "页面出错" in result.path:
        raise NotImplementedError("zip file version 15.9")
    return real_render(result)
html_module.render_html = render_html
def suppressions_toml(entries):
    raise RuntimeError("disk full")
marks.suppressions_toml = suppressions_toml
real_read = pipeline.read_document
def read_document(path):
    data = open(path, "rb").read()
    if b"KILL-THE-WORKER" in data:
        os.kill(os.getpid(), signal.SIGKILL)  # as a crash in PDFium or the out-of-memory killer
    if b"TAKE-YOUR-TIME" in data:
        time.sleep(30)
    return real_read(path)
pipeline.read_document = read_document
"""


def test_a_dying_worker_a_slow_file_or_a_program_error_costs_only_that_request(tmp_path):
    good = (EXAMPLES / "兴庆区民政局-2019-seed000.txt").read_bytes()  # a report with findings
    with Server(tmp_path / "tmp", "--jobs", "1", "--timeout", "2", patch=_KILL_OR_SLEEP) as server, \
            httpx.Client(base_url=server.url, timeout=120) as client:
        killed = upload(client, ("崩溃.txt", good + b"\nKILL-THE-WORKER\n"))
        assert killed.status_code == 422 and "审查进程意外退出" in alert_text(killed.text)
        slow = upload(client, ("慢.txt", good + b"\nTAKE-YOUR-TIME\n"))
        assert slow.status_code == 422 and "超时" in alert_text(slow.text)
        fine = upload(client, ("好.txt", good))
        assert fine.status_code == 303  # the pool was replaced and works
        broken_page = upload(client, ("页面出错.txt", good))
        assert broken_page.status_code == 500
        assert "审查程序内部错误（NotImplementedError）" in alert_text(broken_page.text)
        page = client.get(fine.headers["location"]).text
        fingerprint = re.search(r'name="checked" value="([0-9a-f]{16})"', page).group(1)
        failed = client.post(f"{fine.headers['location']}/suppressions", data=_marks(page, fingerprint, "已核实"))
        assert failed.status_code == 500 and "内部错误（RuntimeError）" in alert_text(failed.text)
        assert "Traceback" not in killed.text + slow.text + broken_page.text + failed.text
        assert server.alive() and server.uploads_left() == []


# ---------------------------------------------------------------- the command


def test_without_the_web_stack_the_command_says_what_to_install():
    script = ("import sys; sys.modules['uvicorn'] = None\n"
              "from auditor.cli import main; main(['serve', '--no-browser'], prog_name='auditor')")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert 'pip install "report-auditor[serve]"' in proc.stderr and "uvicorn" in proc.stderr


def test_the_command_opens_the_browser_at_the_page(tmp_path):
    opened = tmp_path / "opened.txt"
    recorder = tmp_path / "browser.py"  # stands in for the default browser ($BROWSER, as webbrowser reads it)
    recorder.write_text(f"import sys\nopen({str(opened)!r}, 'w').write(sys.argv[1])\n", encoding="utf-8")
    with Server(tmp_path / "tmp", browser=True, env={"BROWSER": f"{sys.executable} {recorder} %s"}) as server:
        assert wait_until(opened.exists, 30)
        assert wait_until(lambda: opened.read_text() == server.url + "/")
        assert "年报自查" in httpx.get(opened.read_text(), timeout=30).text


def test_another_host_than_this_computer_is_warned_about(run_cli, monkeypatch):
    import auditor.serve.command as command

    started = []
    monkeypatch.setattr(command, "_run", lambda host, port, *rest: started.append((host, port)))
    code, out = run_cli("serve", "--host", "192.0.2.10", "--port", "9000", "--no-browser")
    assert code == 0 and started == [("192.0.2.10", 9000)]
    assert "其他电脑也能访问" in out
    code, out = run_cli("serve", "--no-browser")
    assert started[-1] == ("127.0.0.1", 8765) and "其他电脑" not in out


def test_a_port_in_use_is_a_clear_message(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = subprocess.run([sys.executable, "-m", "auditor", "serve", "--no-browser", "--port", str(port)],
                              capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert proc.returncode == 2
    assert f"端口 {port} 可能已被占用" in proc.stderr and "Traceback" not in proc.stderr
