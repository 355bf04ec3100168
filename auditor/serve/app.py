"""The self-check web site (Starlette): upload form, report page, downloads, marks.

    GET  /                        the upload form
    POST /check                   upload → audit → 303 to /r/TOKEN (or the form with a message)
    GET  /r/TOKEN                 the report page with the downloads bar and the marks form
    GET  /r/TOKEN/report.html     the report page as `auditor check -o` writes it
    GET  /r/TOKEN/findings.xlsx   the findings as a workbook
    POST /r/TOKEN/suppressions    the marked findings as a suppression file

Each upload gets its own temporary folder, removed when the request ends, whatever happened.
"""
from __future__ import annotations

import contextlib
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Optional
from urllib.parse import parse_qs, quote

import anyio
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from ..engine import Rule
from ..pipeline import AuditPool, internal_error
from ..render.html import SEVERITY_LABELS, template_environment, tool_version
from .audit import AuditRefused, audit_upload
from .marks import MarkError, markable, suppression_file
from .results import AuditStore, ServedAudit
from .uploads import FILE_FIELDS, REPORT_SUFFIXES, UploadError, megabytes, receive_form

DEFAULT_MAX_SIZE = 50 * 1024 * 1024
MAX_MARKS_BODY = 2 * 1024 * 1024
DRAIN_SECONDS = 5.0  # how long the rest of a refused upload is read, at most
# Every page is self-contained: inline styles and scripts, nothing from anywhere else.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
                               "img-src data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
                               "base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
_BODY_OPEN = re.compile(r"<body[^>]*>", re.IGNORECASE)


@dataclass
class Settings:
    rules: list[Rule]
    max_size: int = DEFAULT_MAX_SIZE
    jobs: int = 0
    timeout: Optional[float] = 120.0
    upload_root: Optional[Path] = None  # where each upload's temporary folder goes (default: the system's)
    debug: bool = False


def create_app(settings: Settings) -> Starlette:
    store = AuditStore()
    holder: dict[str, AuditPool] = {}

    @contextlib.asynccontextmanager
    async def lifespan(app):
        holder["pool"] = AuditPool(settings.rules, settings.jobs, settings.timeout, settings.debug)
        try:
            yield
        finally:
            holder.pop("pool").close()

    async def home(request: Request) -> Response:
        return _form_page(settings)

    async def check(request: Request) -> Response:
        too_large = _declared_too_large(request, settings.max_size)
        if too_large:  # refused unread: nothing to wait for
            return _form_page(settings, too_large, 413, {"Connection": "close"})
        folder = Path(tempfile.mkdtemp(prefix="auditor-upload-", dir=settings.upload_root))
        body = _Body(request)
        try:
            upload = await receive_form(body.chunks(), request.headers.get("content-type", ""), folder,
                                        settings.max_size)
            with anyio.fail_after(_request_time_limit(settings)):
                audit = await anyio.to_thread.run_sync(audit_upload, upload, holder["pool"], settings.rules,
                                                       settings.debug, abandon_on_cancel=True)
        except UploadError as exc:
            await body.drain(len(FILE_FIELDS) * settings.max_size + MAX_MARKS_BODY)
            return _form_page(settings, str(exc), exc.status)
        except AuditRefused as exc:
            return _form_page(settings, str(exc), exc.status)
        except TimeoutError:
            return _form_page(settings, f"审查超时（超过 {_request_time_limit(settings):g} 秒），已停止；"
                                        "文件可能过大或版式异常，请联系维护者", 503)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        token = store.add(audit)
        return RedirectResponse(request.url_for("result", token=token).path, status_code=303)

    def _audit_of(request: Request) -> tuple[str, ServedAudit]:
        token = request.path_params["token"]
        audit = store.get(token)
        if audit is None:
            raise HTTPException(404, "这次审查的结果已不在服务中（超过 8 小时或服务已重启），请重新上传报告")
        return token, audit

    async def result(request: Request) -> Response:
        token, audit = _audit_of(request)
        return _result_page(audit, f"/r/{token}")

    async def page_download(request: Request) -> Response:
        _, audit = _audit_of(request)
        return _attachment(audit.page.encode("utf-8"), "text/html; charset=utf-8", f"{_stem(audit.name)}-审查结果.html")

    async def workbook_download(request: Request) -> Response:
        _, audit = _audit_of(request)
        return _attachment(audit.workbook, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           f"{_stem(audit.name)}-审查意见.xlsx")

    async def suppressions_download(request: Request) -> Response:
        token, audit = _audit_of(request)
        fields = await _small_form(request)
        try:
            text = suppression_file(audit, fields)
        except MarkError as exc:
            return _result_page(audit, f"/r/{token}", fields, str(exc), 400)
        return _attachment(text.encode("utf-8"), "application/toml; charset=utf-8", "suppressions.toml")

    async def http_error(request: Request, exc: HTTPException) -> Response:
        messages = {404: "没有这个页面", 405: "请从自查页提交文件"}
        detail = exc.detail if exc.detail and exc.detail not in ("Not Found", "Method Not Allowed") else None
        return _form_page(settings, detail or messages.get(exc.status_code, "请求有误"), exc.status_code)

    async def server_error(request: Request, exc: Exception) -> Response:
        """Whatever else went wrong: a message, never a traceback (--debug prints it)."""
        return _form_page(settings, internal_error("本次请求", exc, settings.debug), 500)

    routes = [
        Route("/", home, methods=["GET"]),
        Route("/check", check, methods=["POST"]),
        Route("/r/{token}", result, methods=["GET"], name="result"),
        Route("/r/{token}/report.html", page_download, methods=["GET"]),
        Route("/r/{token}/findings.xlsx", workbook_download, methods=["GET"]),
        Route("/r/{token}/suppressions", suppressions_download, methods=["POST"]),
    ]
    app = Starlette(routes=routes, lifespan=lifespan, exception_handlers={HTTPException: http_error, Exception: server_error})
    app.state.store = store
    return app


# ---------------------------------------------------------------- request helpers


def _declared_too_large(request: Request, max_size: int) -> Optional[str]:
    """The message for a body announced as larger than every file field at its limit."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > len(FILE_FIELDS) * max_size + MAX_MARKS_BODY:
        return f"上传的文件超过 {megabytes(max_size)} 的上限，未审查；年报通常不超过 10 MB，请检查是否选错了文件"
    return None


class _Body:
    """The request body as it arrives, remembering whether it was read to the end: the rest
    of a refused upload is read and dropped (up to a bound in bytes and time), so that the
    browser, still sending, gets the message instead of a broken connection."""

    def __init__(self, request: Request):
        self.request, self.done = request, False

    async def chunks(self):
        while not self.done:
            message = await self.request.receive()
            if message["type"] == "http.disconnect":
                raise UploadError(400, "上传中断：连接已断开，请重新提交")
            self.done = not message.get("more_body", False)
            yield message.get("body", b"")

    async def drain(self, budget: int) -> None:
        with contextlib.suppress(Exception), anyio.move_on_after(DRAIN_SECONDS):
            async for chunk in self.chunks():
                budget -= len(chunk)
                if budget < 0:
                    return


def _request_time_limit(settings: Settings) -> float:
    """A bound on one request, past the workers' own per-file limit (two files: this year's
    and last year's report), so that no request waits for ever."""
    per_file = settings.timeout or 600.0
    return 2 * per_file + 60.0


async def _small_form(request: Request) -> dict[str, list[str]]:
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_MARKS_BODY:
            raise HTTPException(413, "提交的内容过多")
    return parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)


# ---------------------------------------------------------------- responses


def _html(text: str, status: int = 200, headers: Optional[dict[str, str]] = None) -> HTMLResponse:
    return HTMLResponse(text, status_code=status, headers={**SECURITY_HEADERS, **(headers or {})})


def _form_page(settings: Settings, message: Optional[str] = None, status: int = 200,
               headers: Optional[dict[str, str]] = None) -> HTMLResponse:
    title = {404: "找不到", 413: "文件太大", 415: "文件类型不支持"}.get(status, "无法审查")
    page = template_environment().get_template("selfcheck.html.j2").render(
        action="/check", accept=",".join(REPORT_SUFFIXES), message=message, message_title=title,
        max_size=megabytes(settings.max_size),
        timeout=f"{settings.timeout:g} 秒" if settings.timeout else "不限",
        version=tool_version(),
    )
    return _html(page, status, headers)


def _result_page(audit: ServedAudit, base: str, fields: Optional[dict[str, list[str]]] = None,
                 error: Optional[str] = None, status: int = 200) -> HTMLResponse:
    """The report page with the bar after <body> and the marks form before </body>."""
    fields = fields or {}
    module = template_environment().get_template("selfcheck_result.html.j2").module
    findings = markable(audit)
    bar = module.bar(home="/", base=base, notes=audit.notes)
    marks = module.marks(
        base=base, findings=findings, kept=len(audit.kept), error=error, severity_labels=SEVERITY_LABELS,
        checked=set(fields.get("checked", [])), by=(fields.get("by") or [""])[0],
        reasons={f.fingerprint: (fields.get(f"reason-{f.fingerprint}") or [""])[0] for f in findings},
    )
    page = _BODY_OPEN.sub(lambda m: m.group(0) + str(bar), audit.page, count=1)
    end = page.lower().rfind("</body")
    page = page[:end] + str(marks) + page[end:] if end >= 0 else page + str(marks)
    return _html(page, status)


def _stem(name: str) -> str:
    return PurePath(name).stem or "报告"


def _attachment(body: bytes, media_type: str, filename: str) -> Response:
    ascii_name = "".join(ch if ch.isascii() and ch.isalnum() or ch in "-_." else "_" for ch in filename)
    headers = dict(SECURITY_HEADERS)
    headers["Content-Disposition"] = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    return Response(body, media_type=media_type, headers=headers)
