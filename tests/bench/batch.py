"""Batch benchmark: the real command on generated batches, as users run it (start-up included),
side by side in one run: the default command (`auditor check DIR -o OUT`, one HTML page per
report) and `--format json`, with 1 and 2 jobs; then text-only and PDF-only batches with 2 jobs.
Python runs as installed (byte-code caches written and used; a scratch cache folder), after one
small warm-up batch. Each command runs --repeat times (default 3), the commands in turns; the
median run is shown with the spread of all. Memory is sampled from /proc every 100 ms while the
command runs: the main process alone and all its processes together (main + workers), peak of each.

    python -m tests.bench.batch                         # 1,000 reports, text and 10% PDF/DOCX/HTML
    python -m tests.bench.batch --memory 1000,10000     # main-process memory as the batch grows
    python -m tests.bench.batch --reports 2000 --json out/bench-batch.json

Linux only (memory is read from /proc).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from tests.support.paths import TESTS as HERE

from tests.support.reportgen import ORG, make_report, render  # noqa: E402
from tests.support.writers.docx_writer import write_docx  # noqa: E402
from tests.support.writers.html_writer import write_html  # noqa: E402
from tests.support.writers.pdf_writer import write_pdf  # noqa: E402


_WORK = ["推进重点领域信息公开", "优化政府网站栏目", "加强政策解读", "规范依申请公开办理流程", "开展业务培训",
         "完善政务新媒体管理", "健全信息发布审核机制", "回应社会关切", "推进基层政务公开标准化", "加强公开平台建设",
         "做好建议提案办理结果公开", "开展政府开放日活动", "清理历史文件", "加强个人信息保护", "提升咨询答复质量"]


def _chained(previous, rep, rng) -> None:
    """This year's 上年结转 equals last year's 结转下年度, as in a real agency's reports."""
    for c in ORG:
        t3 = rep.t3
        t3["carried"][c] = previous.t3["carry_fwd"][c] if previous else t3["carried"][c]
        t3["new"][c] = t3["handled_total"][c] + t3["carry_fwd"][c] - t3["carried"][c]
        if t3["new"][c] < 0:
            t3["carry_fwd"][c] -= t3["new"][c]
            t3["new"][c] = 0
    for row in rep.t3:
        rep.t3[row]["tot"] = sum(rep.t3[row][c] for c in ORG)
    for row in ("regulations", "normative_docs"):  # 现行有效 = 上年 + 制发 − 废止
        made, repealed, valid = (int(v) for v in rep.t2[("art20_1", row)])
        if previous:
            repealed = min(repealed, int(previous.t2[("art20_1", row)][2]))
            valid = int(previous.t2[("art20_1", row)][2]) + made - repealed
        rep.t2[("art20_1", row)] = [str(made), str(repealed), str(valid)]
    rep.extra_s1 = [f"{rng.choice(_WORK)}，{rng.choice(_WORK)}，全年{rng.choice(_WORK)}{rng.randint(2, 90)}次。"
                    for _ in range(8)]


def generate(folder: Path, n: int, only: str | None = None) -> dict[str, int]:
    """n reports of n/4 agencies over four years (carry-overs chained, narratives varied);
    every tenth in another format, or all in one format (`only`: txt, pdf, docx, html)."""
    counts: dict[str, int] = {}
    rng = random.Random(7)
    previous = None
    for i in range(n):
        rep = make_report("2021", year=2021 + i % 4, seed=i)
        rep.agency = f"测试市第{i // 4}局"
        _chained(previous if i % 4 else None, rep, rng)
        previous = rep
        stem = folder / f"{i:05d}"
        kind = only or (("pdf", "docx", "html")[i // 10 % 3] if i % 10 == 9 else "txt")
        if kind == "pdf":
            write_pdf(rep, stem.with_suffix(".pdf"))
        elif kind == "docx":
            write_docx(rep, stem.with_suffix(".docx"))
        elif kind == "html":
            write_html(rep, stem.with_suffix(".html"), encoding="gb18030", declared="gbk")
        else:
            stem.with_suffix(".txt").write_text(render(rep, "tabs"), encoding="utf-8")
        counts[kind] = counts.get(kind, 0) + 1
    return counts


def _children(pid: int) -> list[int]:
    pids = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                pids += [int(p) for p in f.read().split()]
    except OSError:
        pass
    return pids


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class _Sampler(threading.Thread):
    """Peak resident memory of a process and of it with all its descendants, sampled."""

    def __init__(self, pid: int, every: float = 0.1):
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.main_kb = self.total_kb = 0
        self.timeline: list[tuple[float, int]] = []  # (seconds, main process's kB), about once a second
        self.done = threading.Event()

    def run(self) -> None:
        start = time.perf_counter()
        while not self.done.is_set():
            main = _rss_kb(self.pid)
            tree, todo = main, _children(self.pid)
            while todo:
                pid = todo.pop()
                tree += _rss_kb(pid)
                todo += _children(pid)
            self.main_kb, self.total_kb = max(self.main_kb, main), max(self.total_kb, tree)
            now = time.perf_counter() - start
            if not self.timeline or now - self.timeline[-1][0] >= 1:
                self.timeline.append((round(now, 1), main))
            self.done.wait(self.every)


def _auditor() -> list[str]:
    """The `auditor` command of this Python environment, as users start it."""
    script = Path(sys.executable).with_name("auditor")
    return [str(script)] if script.exists() else [sys.executable, "-m", "auditor"]


def _as_installed() -> dict:
    """The environment of a user's Python: byte-code caches written once and then used (some
    machines set PYTHONDONTWRITEBYTECODE, which makes every start compile this tool afresh),
    in a scratch folder so the work tree stays clean; the same for Jinja2's compiled pages."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="bench-pycache-")
    return env


_ENV = _as_installed()


def _new_output(work: Path) -> Path:
    """A folder no run has written to, as a user's first run into a new output folder. The
    runs' outputs stay until the end: removing thousands of pages just before the next run
    writes its own slowed that run's file creation on some disks (freed blocks still being
    discarded), and the figure would then be the disk's, not the tool's."""
    return Path(tempfile.mkdtemp(prefix="out-", dir=work))


def _warm_up(folder: Path, work: Path) -> None:
    """One small batch first, as a user's earlier runs would have: the caches exist."""
    sample = Path(tempfile.mkdtemp(prefix="bench-warm-", dir=work))
    for source in sorted(folder.iterdir())[:4]:
        shutil.copy(source, sample / source.name)
    subprocess.run([*_auditor(), "check", str(sample), "-o", str(_new_output(work)), "--fail-on", "never"],
                   env=_ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)


def run(folder: Path, work: Path, jobs: int, json_only: bool) -> dict:
    out = _new_output(work)
    command = [*_auditor(), "check", str(folder), "-o", str(out), "--jobs", str(jobs), "--fail-on", "never"]
    if json_only:
        command += ["--format", "json"]
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=_ENV)
    sampler = _Sampler(proc.pid)
    sampler.start()
    _, err = proc.communicate()
    seconds = time.perf_counter() - start
    sampler.done.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"auditor failed ({proc.returncode}): {err[-2000:]}")
    lines = (out / "results.jsonl").read_text(encoding="utf-8").count("\n")
    return {"output": "json" if json_only else "html", "jobs": jobs, "reports": lines, "seconds": round(seconds, 2),
            "reports_per_s": round(lines / seconds, 1), "main_mb": round(sampler.main_kb / 1024, 1),
            "all_mb": round(sampler.total_kb / 1024, 1),
            "main_mb_timeline": [(t, round(kb / 1024, 1)) for t, kb in sampler.timeline]}


def _repeated(plan: list[tuple[int, bool]], folder: Path, work: Path, repeat: int) -> list[dict]:
    """Each command of the plan run `repeat` times, the plan taken in turns (forwards, then
    backwards) so that a busy spell of a shared machine falls on all commands alike. Each
    command's figures are those of its median run, with the spread of all its runs beside;
    memory is the highest of its runs."""
    runs: dict[tuple[int, bool], list[dict]] = {step: [] for step in plan}
    for turn in range(repeat):
        for jobs, json_only in plan if turn % 2 == 0 else reversed(plan):
            runs[(jobs, json_only)].append(run(folder, work, jobs, json_only))
    shown = []
    for step in plan:
        by_time = sorted(runs[step], key=lambda r: r["seconds"])
        median = dict(by_time[(len(by_time) - 1) // 2])
        median.update(runs=len(by_time), seconds_all=[r["seconds"] for r in runs[step]],
                      reports_per_s_range=[by_time[-1]["reports_per_s"], by_time[0]["reports_per_s"]],
                      main_mb=max(r["main_mb"] for r in by_time), all_mb=max(r["all_mb"] for r in by_time))
        shown.append(median)
    return shown


def _show(title: str, runs: list[dict]) -> None:
    print(title)
    print("  输出  进程数   秒     份/秒   （各次最慢–最快）   主进程峰值 MB   全部进程合计峰值 MB")
    for r in runs:
        spread = "–".join(str(x) for x in r.get("reports_per_s_range", [])) or "-"
        print(f"  {r['output']:<5} {r['jobs']:>4} {r['seconds']:>7} {r['reports_per_s']:>8} {spread:>20} "
              f"{r['main_mb']:>12} {r['all_mb']:>18}")


# issue 17's targets, 2 jobs, the default command (HTML pages) with start-up
TARGET_RATES = {"txt": 300, "pdf": 80}  # reports per second
TARGET_HTML_OVER_JSON = 0.8


def _verdict(ok: bool) -> str:
    return "达到" if ok else "未达到"


def _print_targets(batches: dict) -> None:
    """Each target the batch runs measure, with its verdict."""
    mixed = {(r["output"], r["jobs"]): r["reports_per_s"] for r in batches["mixed"]["runs"]}
    for jobs in (1, 2):
        ratio = mixed[("html", jobs)] / mixed[("json", jobs)]
        print(f"  目标：--jobs {jobs} 默认命令（HTML）的速度 ≥ --format json 的 {TARGET_HTML_OVER_JSON} 倍："
              f"{ratio:.2f} 倍，{_verdict(ratio >= TARGET_HTML_OVER_JSON)}")
    for label, target in TARGET_RATES.items():
        rate = next(r["reports_per_s"] for r in batches[label]["runs"] if r["output"] == "html" and r["jobs"] == 2)
        print(f"  目标：{label} 批量默认命令 2 个进程 ≥ {target} 份/秒：{rate} 份/秒，{_verdict(rate >= target)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000, help="reports in the mixed and the text-only batch")
    parser.add_argument("--pdf-reports", type=int, default=200, help="reports in the PDF-only batch")
    parser.add_argument("--memory", help="batch sizes, comma-separated (e.g. 1000,10000): only the memory runs "
                                         "(default command, 2 jobs)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each batch command, taken in turns; the median is shown (default 3)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    report: dict = {"machine": f"{platform.platform()}, {os.cpu_count()} CPU", "date": time.strftime("%Y-%m-%d")}
    with tempfile.TemporaryDirectory() as work:
        if args.memory:
            report["memory"] = []
            for n in (int(x) for x in args.memory.split(",")):
                folder = Path(work, f"in{n}")
                folder.mkdir()
                generate(folder, n)
                _warm_up(folder, Path(work))
                report["memory"].append(run(folder, Path(work), 2, json_only=False))
                shutil.rmtree(folder)
            _show("批量内存（默认命令，HTML 页面，2 个进程）：", report["memory"])
        else:
            batches = {}
            for label, n, only in (("mixed", args.reports, None), ("txt", args.reports, "txt"),
                                   ("pdf", args.pdf_reports, "pdf")):
                folder = Path(work, f"in-{label}")
                folder.mkdir()
                counts = generate(folder, n, only)
                _warm_up(folder, Path(work))
                plan = [(j, js) for j in (1, 2) for js in (False, True)] if label == "mixed" else [(2, False), (2, True)]
                batches[label] = {"formats": counts, "runs": _repeated(plan, folder, Path(work), args.repeat)}
                shutil.rmtree(folder)
                _show(f"批量 {n} 份（{counts}），auditor check 含启动；html = 默认命令（每份报告一个 HTML 页面），"
                      f"json = --format json；两者都写 index.html、findings.csv/.xlsx、results.jsonl；"
                      f"每种命令轮流运行 {args.repeat} 次，取用时的中位数：",
                      batches[label]["runs"])
            report["batches"] = batches
            _print_targets(batches)
    print(f"  机器：{report['machine']}；日期：{report['date']}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
