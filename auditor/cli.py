"""Command line: `auditor check`, `auditor rules`, `auditor explain`."""
from __future__ import annotations

import os
import re
import sys
import tempfile
from contextlib import closing, contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Iterable, Iterator, Optional

import click

from . import __version__
from .batch import PageNames, output_names
from .cli_zh import ChineseGroup, install as _install_chinese
from .command_settings import colour as _colour, effective_rules as _effective_rules, note as _note
from .command_settings import settings as _settings, usage_error as _usage_error
from .config import Config, matches
from .engine import Rule
from .labels import SEVERITY_LABELS, severity_counts
from .model import AuditResult
from .outputs import FORMATS, LEVELS, PAGE_SUFFIX, STDIN_NAME, exit_code, fails, rendered, shown_path
from .pipeline import audit_paths, failed, input_files, internal_error
from .render.csv_out import render_csv
from .render.json_out import render_json
from .suppressions import SuppressionError, SuppressionSet, load_suppressions

STDIN = "-"  # the path that reads the report from standard input

_install_chinese()  # click's own words (Usage, Options, its errors) in Chinese


_SEVERITY_COLOURS = {"error": "red", "warning": "yellow", "info": "blue"}
_SEVERITY_STYLE = {f"[{SEVERITY_LABELS[s]}]": colour for s, colour in _SEVERITY_COLOURS.items()}  # as text_out marks them
_MARKS = re.compile("|".join(map(re.escape, _SEVERITY_STYLE)) + r"|^✗|^✓", re.M)


def _styled(text: str) -> str:
    """Severity labels and the pass/fail mark in colour (stripped again when not a terminal)."""
    def style(m: re.Match) -> str:
        word = m.group()
        colour = _SEVERITY_STYLE.get(word) or ("red" if word == "✗" else "green")
        return click.style(word, fg=colour, bold=True)

    return _MARKS.sub(style, text)


def _say(text: str, nl: bool = True) -> None:
    click.echo(_styled(text), nl=nl, color=_colour())


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _catalogue_options(command):
    """--config and --rules, shared by check, rules and explain."""
    command = click.option("--rules", "rule_dirs", multiple=True, type=click.Path(path_type=Path), metavar="文件夹",
                           help="本地规则文件夹（其中的 *.toml 规则加入规则目录），可重复")(command)
    return click.option("--config", "config_file", type=click.Path(path_type=Path), metavar="文件", cls=_ConfigOption,
                        help="配置文件。默认：当前及上级文件夹中最近的 auditor.toml，或有 [tool.auditor] 一节的 "
                             "pyproject.toml；用到的配置文件在 stderr 上说明")(command)


class _ConfigOption(click.Option):
    """--config, whose help names the file that would be used from the current folder."""

    def get_help_record(self, ctx: click.Context):
        from .config import find_config

        record = super().get_help_record(ctx)
        if record is None:
            return None
        try:
            found = find_config()
        except Exception:  # noqa: BLE001 - an unreadable file is reported when it is used
            found = None
        now = f"（在此处运行将使用 {found}）" if found else "（在此处运行时没有找到，使用默认设置）"
        return record[0], record[1] + now


def _names(values: Iterable[str]) -> tuple[str, ...]:
    """--select T3-,T4- --select YEAR- → ("T3-", "T4-", "YEAR-")."""
    return tuple(n.strip().upper() for v in values for n in v.split(",") if n.strip())


def _with_command_line(config: Config, catalogue: list[Rule], select: tuple[str, ...],
                       ignore: tuple[str, ...]) -> Config:
    """--select replaces the configuration's select, --ignore adds to its ignore (as ruff)."""
    ids = [r.id for r in catalogue]
    for option, names in (("--select", select), ("--ignore", ignore)):
        for name in names:
            if not any(matches(i, name) for i in ids):
                _usage_error(f"{option} 中的 {name!r} 不是任何规则的编号或前缀（如 T3-BALANCE、YEAR-）。"
                             f"auditor rules 列出全部规则")
    merged = replace(config, select=select or config.select, ignore=config.ignore + ignore)
    if (select or ignore) and not any(
            (not merged.select or any(matches(i, n) for n in merged.select))
            and not any(matches(i, n) for n in merged.ignore) for i in ids):
        where = f"（连同配置 {config.where} 的设置）" if config.path is not None else ""
        _usage_error(f"按 --select 和 --ignore {where}选择后没有剩下任何规则，请检查这两个选项")
    return merged


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


_CHECK_HELP = """审查一个或多个年报文件（或文件夹，递归查找 .txt .md .html .htm .shtml .docx .pdf .doc）。
文件写作 - 时从标准输入读取一份报告。

\b
例子：
  auditor check 报告.docx                    在终端列出审查意见
  auditor check 报告.pdf -o 审查结果.html     生成可打印的审查页面
  auditor check 年报/ -o 结果/                批量审查，总览页为 结果/index.html
  auditor check 报告.txt --format json        每份报告一行 JSON
  auditor check 报告.txt --select T3-,T4-     只运行表三、表四的规则
  type 报告.txt | auditor check -              从标准输入读取（Linux、macOS 用 cat）

\b
退出码：
  0  没有达到 --fail-on 级别的问题
  1  有达到 --fail-on 级别的问题
  2  用法错误、配置有误，或没有任何文件可以审查
"""


@click.group("auditor", cls=ChineseGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 120})
@click.version_option(__version__, "-V", "--version", prog_name="auditor")
def main() -> None:
    """政府信息公开工作年度报告一致性审查工具。

    \b
    例子：
      auditor check 报告.pdf                 审查一份报告，在终端列出审查意见
      auditor check 年报/ -o 结果/           批量审查一个文件夹
      auditor rules                          列出规则
      auditor rules --test 本市规则          运行本地规则包中每条规则的例子
      auditor explain T3-BALANCE             一条规则的说明和例子

    每个命令的用法：auditor 命令 --help
    """


@main.command(help=_CHECK_HELP, short_help="审查年报文件或文件夹")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="文件或文件夹...")
@click.option("-o", "--output", type=click.Path(path_type=Path), metavar="路径",
              help="HTML 文件（单个输入）或输出文件夹（多个输入）。默认：不写文件，结果打印到终端")
@click.option("--format", "formats", multiple=True, type=click.Choice(FORMATS),
              help="输出格式，可重复：html、json、csv、text。默认：有 -o 时为 html，否则为 text")
@click.option("--select", "select", multiple=True, metavar="规则",
              help="只运行这些规则：编号或前缀，逗号分隔或重复（如 T3-,YEAR-BODY）；代替配置文件的 select。默认：全部规则")
@click.option("--ignore", "ignore", multiple=True, metavar="规则",
              help="不运行这些规则：编号或前缀，逗号分隔或重复；加在配置文件的 ignore 之后")
@click.option("--fail-on", type=click.Choice(tuple(LEVELS)), default="error", show_default=True, help="达到该级别的发现时退出码为 1")
@click.option("--jobs", type=int, default=0, show_default=True, metavar="N",
              help=f"并行审查的进程数；0 表示使用全部 CPU 核（本机 {os.cpu_count() or 1} 核）")
@click.option("--timeout", type=float, default=120.0, show_default=True, metavar="秒", help="单个文件的审查时限（秒），超时的文件列为无法审查")
@click.option("--baseline", type=click.Path(path_type=Path), metavar="文件", help="基线文件：不存在时写入本次结果；存在时与之比较，标出新出现、仍存在和已修复的问题")
@click.option("--suppressions", "suppressions_file", type=click.Path(path_type=Path), metavar="文件",
              help="豁免文件（TOML）：其中按指纹列出的审查意见标为“已豁免”，照常显示但不计入错误和警告")
@click.option("--roster", "roster_file", type=click.Path(path_type=Path),
              help="单位名册 CSV（列：单位,层级,上级,发布日期,汇总）：核对缺报、重复提交、发布期限、单位名称和汇总报告")
@click.option("--published", "published_text", help="发布日期（如 2025-01-20），用于本次审查的全部文件，核对发布期限")
@click.option("--year", "review_year", type=int, help="审查的报告年度（默认为这批报告中份数最多的年度），用于核对名册中的缺报")
@click.option("--fixlist", is_flag=True, help="批量审查时为每个单位每个年度生成整改清单（输出文件夹下的 整改清单/，Excel 和可打印的网页）")
@click.option("--debug", is_flag=True, help="程序内部出错时显示 Python 错误堆栈（供维护者排查）")
@click.option("--ocr", type=click.Choice(("never", "auto", "always")), default=None,
              expose_value=False, callback=lambda ctx, param, value: _set_ocr_mode(ctx, value),
              help="扫描件和图片页的离线文字识别（需安装 report-auditor[ocr]）：auto（默认）识别没有文字层的页；"
                   "always 每页都按图像识别；never 不识别")
@_catalogue_options
def check(paths: tuple[Path, ...], output: Optional[Path], formats: tuple[str, ...], select: tuple[str, ...],
          ignore: tuple[str, ...], fail_on: str, jobs: int, timeout: float, baseline: Optional[Path],
          suppressions_file: Optional[Path], roster_file: Optional[Path], published_text: Optional[str],
          review_year: Optional[int], fixlist: bool, debug: bool, config_file: Optional[Path],
          rule_dirs: tuple[Path, ...]) -> None:
    try:
        with _stdin_spool(paths) as spool:
            paths = _spooled_stdin(paths, spool)
            _check(paths, output, formats, fail_on, jobs, timeout, baseline, suppressions_file, debug, config_file,
                   rule_dirs, _names(select), _names(ignore), roster_file, published_text, review_year, fixlist)
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


@contextmanager
def _stdin_spool(paths: tuple[Path, ...]) -> Iterator[Optional[Path]]:
    """A private temporary folder for a report piped in (`-`), removed after; none otherwise
    (a folder made and removed by every command is work for nothing, and a command that is
    killed leaves it behind)."""
    if not any(str(p) == STDIN for p in paths):
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="auditor-stdin-") as spool:
        yield Path(spool)


def _spooled_stdin(paths: tuple[Path, ...], spool: Optional[Path]) -> tuple[Path, ...]:
    """`-` (a report piped in) saved as a file in `spool`: readers tell the format from the
    bytes, and a batch's worker processes read files, not the parent's standard input."""
    if spool is None:
        return paths
    stream = getattr(sys.stdin, "buffer", None)  # bytes: the reader tells the encoding (GBK, UTF-16 …)
    data = stream.read() if stream is not None else sys.stdin.read().encode("utf-8")
    saved = spool / STDIN_NAME
    saved.write_bytes(data)
    return tuple(saved if str(p) == STDIN else p for p in paths)


def _office_context(config: Config, roster_file: Optional[Path], published_text: Optional[str],
                    review_year: Optional[int]):
    """What the office knows besides the reports: its roster, a publication date, local deadlines."""
    from .engine.kinds.office import OfficeContext
    from .roster import RosterError, load_roster, parse_date

    roster = None
    if roster_file is not None:
        try:
            roster = load_roster(roster_file)
        except RosterError as exc:
            _usage_error(str(exc))
    published = None
    if published_text is not None:
        published = parse_date(published_text)
        if published is None:
            _usage_error(f"--published 的日期“{published_text}”无法识别，请写作 2025-01-20 或 2025年1月20日")
    return OfficeContext(roster, published, dict(config.deadlines), review_year)
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
           config_file: Optional[Path], rule_dirs: tuple[Path, ...], select: tuple[str, ...] = (),
           ignore: tuple[str, ...] = (), roster_file: Optional[Path] = None, published_text: Optional[str] = None,
           review_year: Optional[int] = None, fixlist: bool = False) -> None:
    from .office import with_office_findings

    config, catalogue = _settings(config_file, rule_dirs)
    config = _with_command_line(config, catalogue, select, ignore)
    rules = _effective_rules(config, catalogue)
    suppressions = _suppressions(suppressions_file, config)
    context = _office_context(config, roster_file, published_text, review_year)
    files = input_files(paths)  # plain strings: a batch of thousands keeps them to the end, a Path costs more
    if not files:
        click.echo("未找到可审查的文件（支持 .txt .md .html .htm .shtml .docx .pdf .doc，扫描图片 .png .jpg .tif）。", err=True)
        sys.exit(2)
    formats = tuple(dict.fromkeys(formats)) or (("html",) if output else ("text",))
    if output is None and "html" in formats:
        raise click.UsageError("HTML 报告需要用 -o 指定保存位置，例如：-o 审查结果.html")

    single_file = output is not None and len(files) == 1 and output.suffix.lower() in (".html", ".htm", ".json") and len(formats) == 1
    if output is not None and not single_file and output.suffix.lower() != ".csv":
        sys.exit(_check_batch(files, PageNames(files), output, formats, rules, fail_on, jobs, timeout,
                              baseline, suppressions, debug, context, fixlist))
    names = output_names(files)
    files = [Path(f) for f in files]
    if baseline is not None:
        raise click.UsageError("--baseline 用于批量审查，请用 -o 指定输出文件夹")
    results: list[AuditResult] = []
    for name, result in zip(names, audit_paths(files, rules, jobs, timeout, debug, isolate=True)):
        result = with_office_findings(shown_path(result), context, rules)
        if suppressions is not None:
            result = suppressions.mark(result)  # a step after the rules: marks, never removes
        try:
            outputs = rendered(result, formats)
        except Exception as exc:  # noqa: BLE001 - a report that fails to render is that file's error
            result = failed(result.path, internal_error(result.path, exc, debug))
            outputs = rendered(result, formats)
        results.append(result)
        _emit(result, outputs, name, output, single_file)
    if suppressions is not None:
        _report_unused(suppressions.unused())
    written = [output] if single_file else []
    if output is not None and not single_file:
        written += [output / f"{name}{PAGE_SUFFIX[fmt]}" for name in names for fmt in formats if fmt in PAGE_SUFFIX]
    if output is not None and "csv" in formats:
        target = output if output.suffix.lower() == ".csv" else output / "findings.csv"
        _write(target, render_csv(results))
        written.append(target)
    elif "csv" in formats:
        click.echo(render_csv(results), nl=False)
    if written:
        _note("已写出：" + "、".join(map(str, written)))
    sys.exit(exit_code(all(r.error for r in results), any(fails(r, fail_on) for r in results)))


def _check_batch(files: list[str], names: PageNames, output: Path, formats: tuple[str, ...], rules, fail_on: str,
                 jobs: int, timeout: float, baseline: Optional[Path], suppressions: Optional[SuppressionSet],
                 debug: bool, context=None, fixlist: bool = False) -> int:
    """A batch into a folder: per-report pages, index.html, findings.csv/.xlsx, results.jsonl."""
    from .batch import UNUSED_SUPPRESSIONS, BatchRun
    from .errors import InputError

    try:
        run = BatchRun(output, formats, rules, fail_on, names, baseline, suppressions, debug, context, fixlist)
    except InputError as exc:
        raise click.UsageError(str(exc)) from None
    ocr_pages, ocr_seconds = 0, 0.0
    lines = audit_paths(files, rules, jobs, timeout, debug, isolate=True, finish=run.outputs)
    with run, closing(lines), click.progressbar(length=len(files), label="审查中", file=sys.stderr) as bar:
        for line in lines:
            ocr_pages += line.ocr_pages
            ocr_seconds += line.ocr_seconds
            run.add(line)
            if line.text is not None:
                _say(line.text, nl=False)
            bar.update(1)
        outcome = run.finish()
        for kept in run.store:
            _say(f"{kept.path}：{_status(kept.row)}")
    for finding in outcome.batch_findings:
        _say(f"[{finding.rule}] {finding.message}")
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
    pages = [f for f in ("html", "json") if f in formats]
    _note(f"已写出：{output / 'index.html'}、{output / 'findings.xlsx'}、{output / 'findings.csv'}、"
          f"{output / 'results.jsonl'}" + (f"，以及每份报告的 {'、'.join(pages)} 页面（在 {output} 中）" if pages else ""))
    return outcome.exit_code


def _status(row) -> str:
    if row.unreadable:
        return f"无法审查：{row.unreadable}"
    waived = f" · 已豁免 {row.suppressed}" if row.suppressed else ""
    return severity_counts({"error": row.errors, "warning": row.warnings}) + waived


def _emit(result: AuditResult, outputs: dict[str, str], name: str, output: Optional[Path], single_file: bool) -> None:
    if output is None:
        if "json" in outputs:
            click.echo(render_json(result))
        if "text" in outputs:
            _say(outputs["text"], nl=False)
        return
    for fmt, text in outputs.items():
        if fmt == "text":
            _say(text, nl=False)
            continue
        target = output if single_file else output / f"{name}{PAGE_SUFFIX[fmt]}"
        _write(target, text)
    s = result.summary
    waived = f" · 已豁免 {result.suppressed}" if result.suppressed else ""
    status = f"无法审查：{result.error}" if result.error else severity_counts(s) + waived
    _say(f"{result.path}：{status}")


@main.command()
@_catalogue_options
@click.option("--test", "test_dir", type=click.Path(path_type=Path), metavar="文件夹",
              help="运行该本地规则包中每条规则的例子（[[doc.examples]]），逐条报告是否通过")
def rules(config_file: Optional[Path], rule_dirs: tuple[Path, ...], test_dir: Optional[Path]) -> None:
    """列出规则目录（含本地规则；按配置文件显示级别，未启用的规则注明），或运行本地规则包的例子。

    \b
    例子：
      auditor rules                       列出全部规则：编号、级别、适用格式、标题
      auditor rules --config auditor.toml 按该配置显示级别和未启用的规则
      auditor rules --test 本市规则        运行“本市规则”文件夹中每条规则的通过、不通过例子

    退出码：0 正常（--test：全部例子通过）；1 --test 有例子未通过；2 配置或规则文件有误。
    """
    if test_dir is not None:
        sys.exit(_test_rule_pack(config_file, rule_dirs, test_dir))
    config, catalogue = _settings(config_file, rule_dirs)
    effective = {r.id: r for r in _effective_rules(config, catalogue)}
    width = max(len(r.id) for r in catalogue)
    for r in catalogue:
        shown = effective.get(r.id, r)
        note = "" if r.id in effective else "  （按配置未启用）"
        click.echo(f"{r.id.ljust(width)}  {shown.severity:<7}  {','.join(r.formats):<9}  {r.title}{note}")


def _test_rule_pack(config_file: Optional[Path], rule_dirs: tuple[Path, ...], pack: Path) -> int:
    """Run the examples of the pack's rules with the whole catalogue; per rule, passed or why not."""
    from .engine.kind import kind_named
    from .rule_examples import run_examples

    if not pack.is_dir():
        _usage_error(f"--test 指定的规则文件夹 {pack} 不存在")
    from .resources import rules_dir

    built_in = pack.resolve() == Path(rules_dir()).resolve()  # the shipped catalogue is always loaded
    _, catalogue = _settings(config_file, rule_dirs if built_in else (*rule_dirs, pack))
    mine = [r for r in catalogue if Path(r.path).parent.resolve() == pack.resolve()]
    if not mine:
        _usage_error(f"规则文件夹 {pack} 中没有规则文件（*.toml）")
    runs = run_examples(mine, catalogue)
    failed = unrun = 0
    for rule in mine:
        own = [run for run in runs if run.rule.id == rule.id]
        ran = [run for run in own if run.runnable]
        bad = [run for run in ran if run.problem]
        described = len(own) - len(ran)
        aside = f"；另有 {described} 个例子只作说明，不能自动运行" if described else ""
        if not ran:
            click.echo(f"{rule.id}：没有可以自动运行的例子（{described} 个例子只作说明："
                       f"{kind_named(rule.kind).described_only}）")
            unrun += 1
            continue
        if not bad:
            click.echo(f"{rule.id}：通过（{len(ran)} 个例子{aside}）")
            continue
        failed += 1
        click.echo(f"{rule.id}：未通过（{len(bad)}/{len(ran)} 个例子不符{aside}）")
        for run in bad:
            word = "通过" if run.verdict == "pass" else "不通过"
            click.echo(f"  第 {run.number} 个例子（{word}：{run.says}）：{run.problem}")
    not_run = f"，{unrun} 条没有可以自动运行的例子" if unrun else ""
    click.echo(f"共 {len(mine)} 条规则：{len(mine) - failed - unrun} 条通过，{failed} 条未通过{not_run}（规则文件夹 {pack}）")
    return 1 if failed else 0


@main.command()
@click.argument("rule_id", metavar="规则编号")
@_catalogue_options
def explain(rule_id: str, config_file: Optional[Path], rule_dirs: tuple[Path, ...]) -> None:
    """显示一条规则的说明：检查什么、依据、怎么改、通过和不通过的例子。

    \b
    例子：
      auditor explain T3-BALANCE
      auditor explain cell-blank          编号不区分大小写

    退出码：0 正常；2 没有这条规则，或配置、规则文件有误。
    """
    from .explain import explain_rule

    _, catalogue = _settings(config_file, rule_dirs)
    by_id = {r.id: r for r in catalogue}
    rule = by_id.get(rule_id.strip().upper())
    if rule is None:
        _usage_error(f"没有编号为 {rule_id} 的规则。可用的规则：{'、'.join(by_id)}（auditor rules 列出全部规则）")
    click.echo(explain_rule(rule), nl=False)


@main.group()
def review() -> None:
    """复核：把填好的整改清单读回，同意不改的意见写入豁免文件。"""


@review.command("import")
@click.argument("lists", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), default=Path("豁免.toml"), show_default=True,
              help="豁免文件：不存在时新建，存在时追加其中还没有的条目")
@click.option("--by", help="复核人（写入每个豁免条目的 by）")
def review_import(lists: tuple[Path, ...], output: Path, by: Optional[str]) -> None:
    """读回填好的整改清单（.xlsx）：复核结论为“同意不改（豁免）”的意见，连同复核意见作为理由，写入豁免文件。"""
    import datetime as dt

    from .render.fixlist import FixListError, read_decisions, suppressions_of
    from .suppressions import suppressions_toml

    existing: set = set()
    if output.exists():
        try:
            existing = {(e.fingerprint, e.file, e.rule) for e in load_suppressions(output).entries}
        except SuppressionError as exc:
            _usage_error(f"已有的豁免文件不能追加：{exc}")
    new = []
    for path in lists:
        try:
            entries = suppressions_of(read_decisions(path), dt.date.today(), by)
        except FixListError as exc:
            _usage_error(str(exc))
        fresh = [e for e in entries if (e.fingerprint, e.file, e.rule) not in existing]
        existing |= {(e.fingerprint, e.file, e.rule) for e in fresh}
        new += fresh
        click.echo(f"{path}：同意不改 {len(entries)} 项，新写入 {len(fresh)} 项")
    if new:
        text = suppressions_toml(new)
        if output.exists():  # appended after the entries (and comments) already there
            before = output.read_text(encoding="utf-8-sig").rstrip("\n")
            text = before + "\n\n" + text[text.index("\n[[suppress]]\n") + 1:]
        _write(output, text)
        try:
            load_suppressions(output)  # what was written must be a suppression file the check reads
        except SuppressionError as exc:
            _usage_error(f"写入的豁免文件有误（请反馈给维护者）：{exc}")
    click.echo(f"豁免文件 {output}：新增 {len(new)} 条。下次审查时用 --suppressions {output}（或在配置文件中写 suppressions）")


from .serve.command import serve  # noqa: E402 - the self-check page; its web stack is imported when run

main.add_command(serve)
