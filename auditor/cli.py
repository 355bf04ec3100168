"""Command line: `auditor check`, `auditor rules`, `auditor explain`."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import click

from . import __version__
from .batch import LEVELS, fails
from .engine import CatalogueError, load_catalogue
from .model import AuditResult
from .pipeline import audit_paths, collect_inputs
from .render.csv_out import render_csv
from .render.json_out import render_json
from .render.text_out import render_text

FORMATS = ("html", "json", "csv", "text")
_SUFFIX = {"html": ".html", "json": ".json"}


def _output_names(results_paths: list[str]) -> list[str]:
    """A distinct file stem per input, so a batch never overwrites one report with another."""
    seen: dict[str, int] = {}
    names = []
    for p in results_paths:
        stem = Path(p).stem or "report"
        seen[stem] = seen.get(stem, 0) + 1
        names.append(stem if seen[stem] == 1 else f"{stem}-{seen[stem]}")
    return names


def _render_html(result: AuditResult) -> str:
    from .render.html import render_html  # jinja2 is loaded only when HTML is asked for

    return render_html(result)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


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
def check(paths: tuple[Path, ...], output: Optional[Path], formats: tuple[str, ...], fail_on: str, jobs: int,
          timeout: float, baseline: Optional[Path]) -> None:
    """审查一个或多个年报文件（或文件夹）。"""
    try:
        rules = load_catalogue()
    except CatalogueError as exc:
        raise click.UsageError(f"规则目录有误：{exc}") from None
    files = collect_inputs(paths)
    if not files:
        click.echo("未找到可审查的文件（支持 .txt .md .html .htm .shtml .docx .pdf .doc）。", err=True)
        sys.exit(2)
    formats = tuple(dict.fromkeys(formats)) or (("html",) if output else ("text",))
    if output is None and "html" in formats:
        raise click.UsageError("HTML 报告需要用 -o 指定保存位置，例如：-o 审查结果.html")

    single_file = output is not None and len(files) == 1 and output.suffix.lower() in (".html", ".htm", ".json") and len(formats) == 1
    names = _output_names([str(f) for f in files])
    if output is not None and not single_file and output.suffix.lower() != ".csv":
        sys.exit(_check_batch(files, names, output, formats, rules, fail_on, jobs, timeout, baseline))
    if baseline is not None:
        raise click.UsageError("--baseline 用于批量审查，请用 -o 指定输出文件夹")
    results: list[AuditResult] = []
    for name, result in zip(names, audit_paths(files, rules, jobs, timeout)):
        results.append(result)
        _emit(result, name, output, formats, single_file)
    if output is not None and "csv" in formats:
        target = output if output.suffix.lower() == ".csv" else output / "findings.csv"
        _write(target, render_csv(results))
    elif "csv" in formats:
        click.echo(render_csv(results), nl=False)
    sys.exit(_exit_code(results, fail_on))


def _check_batch(files: list[Path], names: list[str], output: Path, formats: tuple[str, ...], rules, fail_on: str,
                 jobs: int, timeout: float, baseline: Optional[Path]) -> int:
    """A batch into a folder: per-report pages, index.html, findings.csv/.xlsx, results.jsonl."""
    from .batch import BatchRun
    from .errors import InputError

    try:
        run = BatchRun(output, formats, rules, fail_on, baseline)
    except InputError as exc:
        raise click.UsageError(str(exc)) from None
    with click.progressbar(length=len(files), label="审查中", file=sys.stderr) as bar:
        for name, result in zip(names, audit_paths(files, rules, jobs, timeout)):
            run.add(name, result)
            if "text" in formats:
                click.echo(render_text(result), nl=False)
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
    click.echo(f"共 {outcome.reports} 份，无法审查 {outcome.unreadable} 份；总览：{output / 'index.html'}")
    return outcome.exit_code


def _status(row) -> str:
    if row.unreadable:
        return f"无法审查：{row.unreadable}"
    return f"错误 {row.errors} · 警告 {row.warnings}"


def _emit(result: AuditResult, name: str, output: Optional[Path], formats: tuple[str, ...], single_file: bool) -> None:
    if output is None:
        if "json" in formats:
            click.echo(render_json(result))
        if "text" in formats:
            click.echo(render_text(result), nl=False)
        return
    for fmt in formats:
        if fmt in ("csv",):
            continue
        if fmt == "text":
            click.echo(render_text(result), nl=False)
            continue
        text = _render_html(result) if fmt == "html" else render_json(result, indent=2)
        target = output if single_file else output / f"{name}{_SUFFIX[fmt]}"
        _write(target, text)
    s = result.summary
    status = f"无法审查：{result.error}" if result.error else f"错误 {s['error']} · 警告 {s['warning']} · 提示 {s['info']}"
    click.echo(f"{result.path}：{status}")


def _exit_code(results: list[AuditResult], fail_on: str) -> int:
    if all(r.error for r in results):
        return 2
    return 1 if any(fails(r, fail_on) for r in results) else 0


@main.command()
def rules() -> None:
    """列出规则目录。"""
    catalogue = load_catalogue()
    width = max(len(r.id) for r in catalogue)
    for r in catalogue:
        click.echo(f"{r.id.ljust(width)}  {r.severity:<7}  {','.join(r.formats):<9}  {r.title}")


@main.command()
@click.argument("rule_id")
def explain(rule_id: str) -> None:
    """显示一条规则的说明和示例。"""
    catalogue = {r.id: r for r in load_catalogue()}
    rule = catalogue.get(rule_id.upper())
    if rule is None:
        click.echo(f"没有编号为 {rule_id} 的规则。可用的规则：{'、'.join(catalogue)}", err=True)
        sys.exit(2)
    d = rule.doc
    click.echo(
        f"{rule.id}：{rule.title}\n级别：{rule.severity}    适用格式：{'、'.join(rule.formats)}\n\n"
        f"检查什么\n  {d.what}\n\n为什么\n  {d.why}\n\n怎么改\n  {d.fix}\n\n"
        f"通过的例子\n  {d.pass_example}\n\n不通过的例子\n  {d.fail_example}"
    )
