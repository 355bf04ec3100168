"""The `auditor serve` command: checks the optional web stack, starts the server, opens the
browser. The web modules are imported only here, when the command runs."""
from __future__ import annotations

import importlib
import ipaddress
import sys
import threading
import webbrowser
from pathlib import Path
from typing import Optional

import click

INSTALL_HINT = 'pip install "report-auditor[serve]"'
WEB_MODULES = ("starlette", "uvicorn", "python_multipart")


def missing_web_modules() -> list[str]:
    missing = []
    for name in WEB_MODULES:
        try:
            importlib.import_module(name)
        except ImportError:
            missing.append(name)
    return missing


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _browser_address(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else ("[::1]" if host == "::" else host)
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"


@click.command()
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True, help="端口")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="监听地址；默认只允许本机访问。设为本机在办公网中的地址（或 0.0.0.0）可让同事访问，请先确认网络安全")
@click.option("--no-browser", is_flag=True, help="不自动打开浏览器")
@click.option("--max-size", type=click.FloatRange(min=0.001), default=50.0, show_default=True,
              help="每个上传文件的大小上限（MB）")
@click.option("--jobs", type=int, default=0, help="并行审查的进程数（默认 0：使用全部 CPU 核）")
@click.option("--timeout", type=float, default=120.0, show_default=True, help="每份报告的审查时限（秒）")
@click.option("--debug", is_flag=True, help="程序内部出错时在窗口中显示 Python 错误堆栈（供维护者排查）")
@click.option("--config", "config_file", type=click.Path(path_type=Path),
              help="配置文件（默认在当前及上级文件夹查找 auditor.toml 或 pyproject.toml 的 [tool.auditor]）")
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(path_type=Path),
              help="本地规则文件夹（其中的 *.toml 规则加入规则目录），可重复")
def serve(port: int, host: str, no_browser: bool, max_size: float, jobs: int, timeout: float, debug: bool,
          config_file: Optional[Path], rule_dirs: tuple[Path, ...]) -> None:
    """启动年报自查网页：在浏览器中选择报告文件，得到审查报告页面。"""
    missing = missing_web_modules()
    if missing:
        click.echo(f"自查网页需要额外的组件（缺少 {'、'.join(missing)}）。请先安装：\n  {INSTALL_HINT}\n"
                   "没有网络的内网电脑：在能上网的电脑上用 pip download 下载这些安装包，拷贝过去后用 "
                   "pip install --no-index --find-links 安装包文件夹 \"report-auditor[serve]\" 安装。", err=True)
        sys.exit(2)
    from ..command_settings import effective_rules, settings

    config, catalogue = settings(config_file, rule_dirs)
    rules = effective_rules(config, catalogue)
    if not _is_loopback(host):
        click.echo(f"注意：自查网页监听 {host}，同一网络中的其他电脑也能访问并上传文件。"
                   "本服务没有登录和加密，只应在可信的办公网内使用；仅本机使用请去掉 --host。", err=True)
    _run(host, port, not no_browser, rules, int(max_size * 1024 * 1024), jobs, timeout, debug)


def _run(host: str, port: int, open_browser: bool, rules, max_size: int, jobs: int, timeout: float,
         debug: bool) -> None:
    import uvicorn

    from .app import Settings, create_app

    app = create_app(Settings(rules, max_size, jobs, timeout or None, None, debug))
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False,
                            timeout_graceful_shutdown=5)
    server = uvicorn.Server(config)
    threading.Thread(target=_announce, args=(server, host, open_browser), daemon=True).start()
    try:
        server.run()
    except OSError as exc:
        click.echo(f"自查网页无法启动（{exc.strerror or exc}）：请检查 --host {host} 是否为本机地址", err=True)
        sys.exit(2)
    except SystemExit:  # uvicorn's own exit when it cannot listen
        pass
    if not server.started:
        click.echo(f"自查网页无法启动：端口 {port} 可能已被占用，请用 --port 换一个端口", err=True)
        sys.exit(2)


def _announce(server, host: str, open_browser: bool) -> None:
    """Once the server listens: say where, and open the browser there."""
    while not server.started and not server.should_exit:
        threading.Event().wait(0.05)
    if not server.started:
        return
    port = server.servers[0].sockets[0].getsockname()[1] if server.servers else server.config.port
    address = _browser_address(host, port)
    click.echo(f"年报自查网页已启动：{address}\n在浏览器中打开上面的地址；关闭本窗口或按 Ctrl+C 停止。", err=True)
    if open_browser:
        webbrowser.open(address)
