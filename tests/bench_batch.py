"""Batch benchmark: a generated batch audited by the real command, for 1 and 2 jobs, with
reports per second and peak memory (the command runs as a child process; its maximum
resident set size, and its workers', is read from the OS).

    python tests/bench_batch.py                    # 1,000 reports, text and 10% PDF/DOCX/HTML
    python tests/bench_batch.py --reports 2000 --json out/bench-batch.json

Memory should stay flat as the batch grows: run with --reports 1000 and 2000 and compare.
"""
from __future__ import annotations

import argparse
import json
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from reportgen import ORG, make_report, render  # noqa: E402
from writers.docx_writer import write_docx  # noqa: E402
from writers.html_writer import write_html  # noqa: E402
from writers.pdf_writer import write_pdf  # noqa: E402


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


def generate(folder: Path, n: int) -> dict[str, int]:
    """n reports of n/4 agencies over four years (carry-overs chained, narratives varied);
    every tenth in another format."""
    counts: dict[str, int] = {}
    rng = random.Random(7)
    previous = None
    for i in range(n):
        rep = make_report("2021", year=2021 + i % 4, seed=i)
        rep.agency = f"测试市第{i // 4}局"
        _chained(previous if i % 4 else None, rep, rng)
        previous = rep
        stem = folder / f"{i:05d}"
        kind = ("pdf", "docx", "html")[i // 10 % 3] if i % 10 == 9 else "txt"
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


# A fresh intermediate process per run, so RUSAGE_CHILDREN covers that run's processes only.
_MEASURE = ("import resource, subprocess, sys\n"
            "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
            "print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def run(folder: Path, out: Path, jobs: int) -> dict:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _MEASURE, sys.executable, "-m", "auditor", "check", str(folder),
                           "-o", str(out), "--format", "json", "--jobs", str(jobs), "--fail-on", "never"],
                          capture_output=True, text=True)
    seconds = time.perf_counter() - start
    code, peak_kb = (int(x) for x in proc.stdout.split())
    if code != 0:
        raise SystemExit(f"auditor failed ({code}): {proc.stderr[-2000:]}")
    lines = (out / "results.jsonl").read_text(encoding="utf-8").count("\n")
    return {"jobs": jobs, "reports": lines, "seconds": round(seconds, 2), "reports_per_s": round(lines / seconds, 1),
            "peak_rss_mb": round(peak_kb / 1024, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work, "in")
        folder.mkdir()
        counts = generate(folder, args.reports)
        runs = [run(folder, Path(work, f"out{jobs}"), jobs) for jobs in (1, 2)]
    print(f"批量 {args.reports} 份（{counts}），JSON 输出，含 index.html、findings.csv/.xlsx、results.jsonl：")
    for r in runs:
        print(f"  --jobs {r['jobs']}: {r['seconds']} 秒，{r['reports_per_s']} 份/秒，峰值内存（单个进程的最大常驻内存）{r['peak_rss_mb']} MB")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"machine": platform.platform(), "formats": counts, "runs": runs},
                                        ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
