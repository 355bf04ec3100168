"""Command line: `auditor check`, `auditor rules`, `auditor explain`."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Iterable, NoReturn, Optional

import click

from . import __version__
from .batch import LEVELS, fails, output_names
from .config import Config, ConfigError, apply_config, load_config
from .engine import CatalogueError, Rule, load_catalogue
from .model import AuditResult
from .pipeline import audit_paths, collect_inputs, failed, internal_error
from .render.csv_out import render_csv
from .render.json_out import render_json
from .render.text_out import render_text
from .suppressions import SuppressionError, SuppressionSet, load_suppressions

FORMATS = ("html", "json", "csv", "text")
_SUFFIX = {"html": ".html", "json": ".json"}


def _render_html(result: AuditResult) -> str:
    from .render.html import render_html  # jinja2 is loaded only when HTML is asked for

    return render_html(result)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _usage_error(message: str) -> NoReturn:
    """A setting, rule pack or suppression file the run cannot use: say why, exit 2."""
    click.echo(message, err=True)
    sys.exit(2)


def _catalogue_options(command):
    """--config and --rules, shared by check, rules and explain."""
    command = click.option("--rules", "rule_dirs", multiple=True, type=click.Path(path_type=Path),
                           help="本地规则文件夹（其中的 *.toml 规则加入规则目录），可重复")(command)
    return click.option("--config", "config_file", type=click.Path(path_type=Path),
                        help="配置文件（默认在当前及上级文件夹查找 auditor.toml 或 pyproject.toml 的 [tool.auditor]）")(command)


def _settings(config_file: Optional[Path], rule_dirs: Iterable[Path]) -> tuple[Config, list[Rule]]:
    """The configuration and the whole catalogue (shipped rules, the configuration's rule
    folders, then --rules folders)."""
    try:
        config = load_config(config_file)
    except ConfigError as exc:
        _usage_error(str(exc))
    for folder in rule_dirs:
        if not folder.is_dir():
            _usage_error(f"--rules 指定的规则文件夹 {folder} 不存在")
    try:
        return config, load_catalogue([*config.rules, *rule_dirs])
    except CatalogueError as exc:
        _usage_error(f"规则目录有误：{exc}")


def _effective_rules(config: Config, catalogue: list[Rule]) -> list[Rule]:
    try:
        return apply_config(catalogue, config)
    except ConfigError as exc:
        _usage_error(str(exc))


def _suppressions(given: Optional[Path], config: Config) -> Optional[SuppressionSet]:
    """--suppressions FILE, else the configuration's file, else none."""
    path = given or config.suppressions
    if path is None:
        return None
    try:
        return load_suppressions(path)
    except SuppressionError as exc:
        _usage_error(str(exc))


def _report_unused(unused: list) -> None:
    for entry in unused:
        click.echo(f"豁免条目未匹配任何发现：{entry.describe()}", err=True)


@click.group()
@click.version_option(__version__, prog_name="auditor")
def main() -> None:
    """政府信息公开工作年度报告一致性审查工具。"""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), help="HTML 文件（单个输入）或输出文件夹（多个输入）")
@click.option("--format", "formats", multiple=True, type=click.Choice(FORMATS), help="输出格式，可重复：html（默认）、json、csv、text")
@click.option("--fail-on", type=click.Choice(tuple(LEVELS)), default="error", show_default=True, help="达到该级别的发现时退出码为 1")
@click.option("--jobs", type=int, default=0, help="并行审查的进程数（默认 0：使用全部 CPU 核）")
@click.option("--timeout", type=float, default=120.0, show_default=True, help="单个文件的审查时限（秒），超时的文件列为无法审查")
@click.option("--baseline", type=click.Path(path_type=Path), help="基线文件：不存在时写入本次结果；存在时与之比较，标出新出现、仍存在和已修复的问题")
@click.option("--suppressions", "suppressions_file", type=click.Path(path_type=Path),
              help="豁免文件（TOML）：其中按指纹列出的审查意见标为“已豁免”，照常显示但不计入错误和警告")
@click.option("--debug", is_flag=True, help="程序内部出错时显示 Python 错误堆栈（供维护者排查）")
@click.option("--ocr", type=click.Choice(("never", "auto", "always")), default=None,
              expose_value=False, callback=lambda ctx, param, value: _set_ocr_mode(ctx, value),
              help="扫描件和图片页的离线文字识别（需安装 report-auditor[ocr]）：auto（默认）识别没有文字层的页；"
                   "always 每页都按图像识别；never 不识别")
@_catalogue_options
def check(paths: tuple[Path, ...], output: Optional[Path], formats: tuple[str, ...], fail_on: str, jobs: int,
          timeout: float, baseline: Optional[Path], suppressions_file: Optional[Path], debug: bool,
          config_file: Optional[Path], rule_dirs: tuple[Path, ...]) -> None:
    """审查一个或多个年报文件（或文件夹）。"""
    try:
        _check(paths, output, formats, fail_on, jobs, timeout, baseline, suppressions_file, debug, config_file, rule_dirs)
    except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit, KeyboardInterrupt):
        raise
    except OSError as exc:  # a folder that cannot be listed, an output that cannot be written
        if debug:
            raise
        _usage_error(f"读写文件出错（{exc.strerror or exc}）：{exc.filename or output}；"
                     "请检查输入文件夹是否可读、输出位置是否可写、磁盘是否已满")
    except Exception as exc:  # noqa: BLE001 - whatever else, a message and not a traceback
        if debug:
            raise
        _usage_error(f"审查程序内部错误（{type(exc).__name__}）：{exc}。请加 --debug 重新运行，并将输出反馈给维护者")


def _set_ocr_mode(ctx: click.Context, value: Optional[str]) -> Optional[str]:
    """--ocr: passed to the readers (and the worker processes) through the environment for
    the time of the command (restored after it: the CLI may run in-process, as in tests)."""
    from .readers import ocr

    if value is None:
        return None
    if value == "always" and not ocr.available():
        _usage_error("--ocr always 需要离线文字识别组件：" + ocr.ENABLE_HINT)
    previous = os.environ.get(ocr.MODE_VARIABLE)
    os.environ[ocr.MODE_VARIABLE] = value

    def restore() -> None:
        if previous is None:
            os.environ.pop(ocr.MODE_VARIABLE, None)
        else:
            os.environ[ocr.MODE_VARIABLE] = previous

    ctx.call_on_close(restore)
    return value


def _check(paths: tuple[Path, ...], output: Optional[Path], formats: tuple[str, ...], fail_on: str, jobs: int,
           timeout: float, baseline: Optional[Path], suppressions_file: Optional[Path], debug: bool,
           config_file: Optional[Path], rule_dirs: tuple[Path, ...]) -> None:
    config, catalogue = _settings(config_file, rule_dirs)
    rules = _effective_rules(config, catalogue)
    suppressions = _suppressions(suppressions_file, config)
    files = collect_inputs(paths)
    if not files:
        click.echo("未找到可审查的文件（支持 .txt .md .html .htm .shtml .docx .pdf .doc，扫描图片 .png .jpg .tif）。", err=True)
        sys.exit(2)
    formats = tuple(dict.fromkeys(formats)) or (("html",) if output else ("text",))
    if output is None and "html" in formats:
        raise click.UsageError("HTML 报告需要用 -o 指定保存位置，例如：-o 审查结果.html")

    single_file = output is not None and len(files) == 1 and output.suffix.lower() in (".html", ".htm", ".json") and len(formats) == 1
    names = output_names([str(f) for f in files])
    if output is not None and not single_file and output.suffix.lower() != ".csv":
        sys.exit(_check_batch(files, names, output, formats, rules, fail_on, jobs, timeout, baseline, suppressions,
                              debug))
    if baseline is not None:
        raise click.UsageError("--baseline 用于批量审查，请用 -o 指定输出文件夹")
    results: list[AuditResult] = []
    for name, result in zip(names, audit_paths(files, rules, jobs, timeout, debug, isolate=True)):
        if suppressions is not None:
            result = suppressions.mark(result)  # a step after the rules: marks, never removes
        try:
            outputs = _rendered(result, formats)
        except Exception as exc:  # noqa: BLE001 - a report that fails to render is that file's error
            result = failed(result.path, internal_error(result.path, exc, debug))
            outputs = _rendered(result, formats)
        results.append(result)
        _emit(result, outputs, name, output, single_file)
    if suppressions is not None:
        _report_unused(suppressions.unused())
    if output is not None and "csv" in formats:
        target = output if output.suffix.lower() == ".csv" else output / "findings.csv"
        _write(target, render_csv(results))
    elif "csv" in formats:
        click.echo(render_csv(results), nl=False)
    sys.exit(_exit_code(results, fail_on))


def _check_batch(files: list[Path], names: list[str], output: Path, formats: tuple[str, ...], rules, fail_on: str,
                 jobs: int, timeout: float, baseline: Optional[Path], suppressions: Optional[SuppressionSet],
                 debug: bool) -> int:
    """A batch into a folder: per-report pages, index.html, findings.csv/.xlsx, results.jsonl."""
    from .batch import UNUSED_SUPPRESSIONS, BatchRun
    from .errors import InputError

    try:
        run = BatchRun(output, formats, rules, fail_on, baseline, suppressions, debug)
    except InputError as exc:
        raise click.UsageError(str(exc)) from None
    ocr_pages, ocr_seconds = 0, 0.0
    with click.progressbar(length=len(files), label="审查中", file=sys.stderr) as bar:
        for name, result in zip(names, audit_paths(files, rules, jobs, timeout, debug, isolate=True)):
            if result.report is not None:
                ocr_pages += len(result.report.document.ocr_pages)
                ocr_seconds += result.report.document.ocr_seconds
            result = run.add(name, result)
            if "text" in formats:
                click.echo(_text_or_error(result, debug), nl=False)
            bar.update(1)
    outcome = run.finish()
    for kept in run.kept:
        click.echo(f"{kept.path}：{_status(kept.row)}")
    if outcome.cross_year_findings:
        click.echo(f"跨年度核对：{outcome.cross_year_findings} 条意见（已加入相应报告）")
    if outcome.baseline is not None:
        from .baseline import totals

        t = totals(outcome.baseline)
        click.echo(f"与基线 {baseline} 相比：新出现 {t['new']} · 仍存在 {t['still']} · 已修复 {t['fixed']}")
    elif baseline is not None:
        click.echo(f"已写入基线：{baseline}")
    if outcome.unused_suppressions:
        _report_unused(outcome.unused_suppressions)
        click.echo(f"未匹配的豁免条目：{len(outcome.unused_suppressions)} 条，见 {output / UNUSED_SUPPRESSIONS}", err=True)
    if ocr_pages:
        click.echo(f"文字识别（扫描件）：{ocr_pages} 页，用时 {ocr_seconds:.1f} 秒（平均 {ocr_seconds / ocr_pages:.1f} 秒/页）")
    click.echo(f"共 {outcome.reports} 份，无法审查 {outcome.unreadable} 份；总览：{output / 'index.html'}")
    return outcome.exit_code


def _text_or_error(result: AuditResult, debug: bool) -> str:
    try:
        return render_text(result)
    except Exception as exc:  # noqa: BLE001 - the other outputs of this report are written already
        return render_text(failed(result.path, internal_error(result.path, exc, debug)))


def _status(row) -> str:
    if row.unreadable:
        return f"无法审查：{row.unreadable}"
    waived = f" · 已豁免 {row.suppressed}" if row.suppressed else ""
    return f"错误 {row.errors} · 警告 {row.warnings}{waived}"


def _rendered(result: AuditResult, formats: tuple[str, ...]) -> dict[str, str]:
    """The result in each format asked for (CSV is made for all results at the end)."""
    makers = {"html": _render_html, "json": lambda r: render_json(r, indent=2), "text": render_text}
    return {fmt: makers[fmt](result) for fmt in formats if fmt in makers}


def _emit(result: AuditResult, outputs: dict[str, str], name: str, output: Optional[Path], single_file: bool) -> None:
    if output is None:
        if "json" in outputs:
            click.echo(render_json(result))
        if "text" in outputs:
            click.echo(outputs["text"], nl=False)
        return
    for fmt, text in outputs.items():
        if fmt == "text":
            click.echo(text, nl=False)
            continue
        target = output if single_file else output / f"{name}{_SUFFIX[fmt]}"
        _write(target, text)
    s = result.summary
    waived = f" · 已豁免 {result.suppressed}" if result.suppressed else ""
    status = f"无法审查：{result.error}" if result.error else f"错误 {s['error']} · 警告 {s['warning']} · 提示 {s['info']}{waived}"
    click.echo(f"{result.path}：{status}")


def _exit_code(results: list[AuditResult], fail_on: str) -> int:
    if all(r.error for r in results):
        return 2
    return 1 if any(fails(r, fail_on) for r in results) else 0


@main.command()
@_catalogue_options
def rules(config_file: Optional[Path], rule_dirs: tuple[Path, ...]) -> None:
    """列出规则目录（含本地规则；按配置文件显示级别，未启用的规则注明）。"""
    config, catalogue = _settings(config_file, rule_dirs)
    effective = {r.id: r for r in _effective_rules(config, catalogue)}
    width = max(len(r.id) for r in catalogue)
    for r in catalogue:
        shown = effective.get(r.id, r)
        note = "" if r.id in effective else "  （按配置未启用）"
        click.echo(f"{r.id.ljust(width)}  {shown.severity:<7}  {','.join(r.formats):<9}  {r.title}{note}")


@main.command()
@click.argument("rule_id")
@_catalogue_options
def explain(rule_id: str, config_file: Optional[Path], rule_dirs: tuple[Path, ...]) -> None:
    """显示一条规则的说明：检查什么、依据、怎么改、通过和不通过的例子。"""
    from .explain import explain_rule

    _, catalogue = _settings(config_file, rule_dirs)
    by_id = {r.id: r for r in catalogue}
    rule = by_id.get(rule_id.strip().upper())
    if rule is None:
        _usage_error(f"没有编号为 {rule_id} 的规则。可用的规则：{'、'.join(by_id)}（auditor rules 列出全部规则）")
    click.echo(explain_rule(rule), nl=False)
