"""Reader benchmark: per input format, how fast files are read and audited, side by side in
one run with what bounds and rivals that: PDFium's bare text extraction (the floor: no
reader can be faster than getting the characters out), pdfplumber's `extract_tables` and
PyMuPDF's `find_tables` on the same files, and the one-file command's start-up against
`python -c "import pandas"`.

    python -m tests.bench.readers                 # 20 generated reports per format
    python -m tests.bench.readers --reports 100 --real examples /path/to/more/pdfs --json out/bench-readers.json

Per format it gives the read (file → Document) and the full audit (`audit_file`: read,
extraction, rules) in ms per report,
- cold: the first file in a fresh process (after `import auditor`; the reader's own imports,
  font set-up and caches all start empty), the median over a few files;
- warm: the same process going on, caches filled; the best of --rounds passes over all files.
Both are CPU time of the process (PDFium, pdfplumber and PyMuPDF all run on one thread):
on an idle machine the same as wall time, on a shared one far steadier.
All timings of one format are interleaved round by round, so a busy machine slows each tool
alike and the ratios stay fair. One process, one core. pdfplumber and PyMuPDF are optional
(pip install ".[bench]"). It also checks what it measures: every generated file must give
the generator's 表三 exactly.
"""
from __future__ import annotations

import argparse
import inspect
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Optional

from tests.support.paths import TESTS as HERE
ROOT = HERE.parent

ONE_FILE = ROOT / "examples" / "兴庆区民政局-2019-seed000.txt"
COLD_FILES = 3  # fresh processes per format for the cold figures


def _text(rep, path: Path) -> Path:
    from tests.support.reportgen import render

    path.write_text(render(rep, "tabs"), encoding="utf-8")
    return path


def _formats() -> dict[str, tuple[str, Callable]]:
    from tests.support.writers.docx_writer import write_docx
    from tests.support.writers.html_writer import write_html
    from tests.support.writers.pdf_writer import write_pdf

    return {
        "text": (".txt", _text),
        "html-gbk": (".html", lambda rep, p: write_html(rep, p, encoding="gb18030", declared="gb2312", spans=True)),
        "docx": (".docx", lambda rep, p: write_docx(rep, p, split_runs=True)),
        "pdf-lines": (".pdf", lambda rep, p: write_pdf(rep, p, borders="lines")),
        "pdf-rects": (".pdf", lambda rep, p: write_pdf(rep, p, borders="rects", split=True)),
        "pdf-borderless": (".pdf", lambda rep, p: write_pdf(rep, p, borders="none")),
    }


# ---------------------------------------------------------------- the tools timed


def _pdfium_text(path: Path) -> None:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    for page in pdf:
        page.get_textpage().get_text_range()
    pdf.close()


def _pdfplumber_tables() -> Optional[Callable]:
    try:
        import pdfplumber
    except ImportError:
        return None

    def run(path: Path) -> None:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_tables()
    return run


def _pymupdf_tables() -> Optional[Callable]:
    """PyMuPDF's table finder on its line strategy alone: without the layout model where the
    installed version has one (use_layout=False), so it does what pdfplumber and this tool do."""
    try:
        import pymupdf
        from pymupdf import table as mupdf_table
    except ImportError:
        return None
    options = {"use_layout": False} if "use_layout" in inspect.signature(mupdf_table.find_tables).parameters else {}

    def run(path: Path) -> None:
        with pymupdf.open(path) as doc:
            for page in doc:
                for table in page.find_tables(**options).tables:
                    table.extract()
    return run


def _best_interleaved(tools: dict[str, Callable], paths: list[Path], rounds: int) -> dict[str, float]:
    """ms per file of each tool: the best of `rounds` passes, the tools taking turns."""
    best = {name: float("inf") for name in tools}  # CPU time: a busy machine does not count against a tool
    for _ in range(rounds):
        for name, fn in tools.items():
            start = time.process_time()
            for p in paths:
                fn(p)
            best[name] = min(best[name], time.process_time() - start)
    return {name: 1000 * s / len(paths) for name, s in best.items()}


# ---------------------------------------------------------------- cold: a fresh process per file


_COLD_PROBE = """
import sys, time
import auditor
from auditor import audit_file
from auditor.readers import read_document
fn = read_document if sys.argv[1] == "read" else audit_file
start = time.process_time()
fn(sys.argv[2])
print(1000 * (time.process_time() - start))
"""


def _cold_ms(what: str, paths: list[Path], env: dict) -> float:
    times = []
    subprocess.run([sys.executable, "-c", _COLD_PROBE, what, str(paths[0])], capture_output=True, env=env, cwd=ROOT,
                   check=True)  # untimed: the reader's byte-code written, as on an installed copy
    for path in paths[:COLD_FILES]:
        done = subprocess.run([sys.executable, "-c", _COLD_PROBE, what, str(path)], capture_output=True, text=True,
                              env=env, cwd=ROOT, check=True)
        times.append(float(done.stdout.strip().splitlines()[-1]))
    return statistics.median(times)


def _bytecode_env() -> dict:
    """Python as installed: byte-code caches written once and then used (this tool's and
    pandas' alike), in a scratch folder so the work tree stays clean."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="bench-pycache-")
    return env


# ---------------------------------------------------------------- start-up


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def startup(env: dict, runs: int) -> dict:
    """The one-file command (start-up included) beside `import pandas` and an empty
    interpreter: fresh processes taking turns, the median of `runs` each, as CPU time of the
    process (steady on a shared machine) and as wall time. With byte-code caches (as
    installed), and without (PYTHONDONTWRITEBYTECODE, as in some CI set-ups: this tool's
    sources are compiled on every start, pandas' come compiled with the wheel)."""
    out = _startup(env, runs)
    bare = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    bare.pop("PYTHONPYCACHEPREFIX", None)
    out["without_bytecode_cache"] = _startup(bare, runs)
    return out


def _startup(env: dict, runs: int) -> dict:
    commands = {
        "check_one_file": [sys.executable, "-m", "auditor", "check", str(ONE_FILE)],
        "import_pandas": [sys.executable, "-c", "import pandas"],
        "empty_python": [sys.executable, "-c", "pass"],
    }
    for command in commands.values():  # byte-code caches written: what every later run finds
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    wall: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            cpu_before, start = _child_cpu(), time.perf_counter()
            subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
            wall[name].append(1000 * (time.perf_counter() - start))
            cpu[name].append(1000 * (_child_cpu() - cpu_before))
    out: dict = {"runs": runs}
    for name in commands:
        out[f"{name}_cpu_ms"] = statistics.median(cpu[name])
        out[f"{name}_wall_ms"] = statistics.median(wall[name])
    out["check_over_pandas_cpu"] = out["check_one_file_cpu_ms"] / out["import_pandas_cpu_ms"]
    out["check_over_pandas_wall"] = out["check_one_file_wall_ms"] / out["import_pandas_wall_ms"]
    return out


# ---------------------------------------------------------------- per format


def _exact(reps, paths) -> float:
    """Share of 表三 cells read exactly, so a fast but wrong reader cannot look good."""
    from auditor import audit_file
    from tests.support.reportgen import ORG

    right = total = 0
    for rep, path in zip(reps, paths):
        result = audit_file(path)
        t3 = result.report.tables.get("t3") if result.report else None
        for row, cols in rep.t3.items():
            for col in ORG + ["tot"]:
                total += 1
                right += t3 is not None and t3.value(row, col) == cols[col]
    return right / total if total else 0.0


def measure(n: int, work: Path, real: list[Path], rounds: int, env: dict) -> dict:
    from auditor import audit_file
    from auditor.readers import read_document
    from tests.support.reportgen import make_report

    reps = [make_report("2021" if i % 2 else "2019", year=None if i % 2 else 2020, seed=i) for i in range(n)]
    rivals = {"pdfplumber": _pdfplumber_tables(), "pymupdf": _pymupdf_tables()}
    groups = {name: [writer(rep, work / f"{name}-{i}{suffix}") for i, rep in enumerate(reps)]
              for name, (suffix, writer) in _formats().items()}
    if real:
        groups["pdf-real"] = real
    rows = {}
    for name, paths in groups.items():
        row: dict = {"files": len(paths), "cold_read_ms": _cold_ms("read", paths, env),
                     "cold_audit_ms": _cold_ms("audit", paths, env)}
        tools: dict[str, Callable] = {"read": read_document, "audit": audit_file}
        if name.startswith("pdf"):
            tools["pdfium_text"] = _pdfium_text
            tools.update({rival: fn for rival, fn in rivals.items() if fn is not None})
        for p in paths:  # one pass to fill the caches: what follows is warm
            for fn in tools.values():
                fn(p)
        warm = _best_interleaved(tools, paths, rounds)
        row["read_ms"], row["audit_ms"] = warm["read"], warm["audit"]
        row["reports_per_s"] = 1000 / warm["audit"]
        if name != "pdf-real":
            row["t3_cells_exact"] = _exact(reps, paths)
        if "pdfium_text" in warm:
            row["pdfium_text_ms"] = warm["pdfium_text"]
            row["audit_over_floor"] = warm["audit"] / warm["pdfium_text"]
            row["read_over_floor"] = warm["read"] / warm["pdfium_text"]
        for rival in rivals:
            if rival in warm:
                row[f"{rival}_tables_ms"] = warm[rival]
                row[f"{rival}_over_read"] = warm[rival] / warm["read"]
                row[f"{rival}_over_audit"] = warm[rival] / warm["audit"]
        rows[name] = row
    return rows


def _print(rows: dict, start: dict) -> None:
    def f(r: dict, key: str, fmt: str = ".1f", suffix: str = "") -> str:
        return f"{r[key]:{fmt}}{suffix}" if key in r else "-"

    head = (f"{'格式':<15}{'文件':>4}{'冷读取':>8}{'冷审查':>8}{'读取':>7}{'审查':>7}{'份/秒':>7}{'表三准确':>8}"
            f"{'PDFium':>8}{'审查/下限':>9}{'pdfplumber':>16}{'PyMuPDF':>16}")
    print("ms/份；冷：新进程的第一份文件；读取、审查：缓存已热；pdfplumber、PyMuPDF 括号内为其耗时除以本工具读取耗时")
    print(head)
    for name, r in rows.items():
        exact = f"{100 * r['t3_cells_exact']:.1f}%" if "t3_cells_exact" in r else "-"
        plumb = f"{f(r, 'pdfplumber_tables_ms')} ({f(r, 'pdfplumber_over_read', suffix='×')})" \
            if "pdfplumber_tables_ms" in r else "-"
        mupdf = f"{f(r, 'pymupdf_tables_ms')} ({f(r, 'pymupdf_over_read', suffix='×')})" if "pymupdf_tables_ms" in r else "-"
        print(f"{name:<15}{r['files']:>4}{f(r, 'cold_read_ms'):>8}{f(r, 'cold_audit_ms'):>8}{f(r, 'read_ms'):>7}"
              f"{f(r, 'audit_ms'):>7}{f(r, 'reports_per_s', '.0f'):>7}{exact:>8}{f(r, 'pdfium_text_ms'):>8}"
              f"{f(r, 'audit_over_floor', '.2f', '×'):>9}{plumb:>16}{mupdf:>16}")
    print(f"\n启动（{start['runs']} 次中位数，CPU 时间 / 墙钟时间）：auditor check {ONE_FILE.name} "
          f"{start['check_one_file_cpu_ms']:.0f} / {start['check_one_file_wall_ms']:.0f} ms；"
          f"python -c \"import pandas\" {start['import_pandas_cpu_ms']:.0f} / {start['import_pandas_wall_ms']:.0f} ms；"
          f"前者为后者的 {start['check_over_pandas_cpu']:.2f} / {start['check_over_pandas_wall']:.2f} 倍；"
          f"空解释器 {start['empty_python_cpu_ms']:.0f} / {start['empty_python_wall_ms']:.0f} ms")
    _print_targets(rows, start)
    bare = start["without_bytecode_cache"]
    print(f"不用字节码缓存时（PYTHONDONTWRITEBYTECODE=1）：auditor check {bare['check_one_file_cpu_ms']:.0f} ms，"
          f"import pandas {bare['import_pandas_cpu_ms']:.0f} ms（CPU 时间），前者为后者的 {bare['check_over_pandas_cpu']:.2f} 倍")


TARGET_AUDIT_OVER_FLOOR = 2.5  # issue 17: a real PDF's full audit within 2.5x PDFium's bare text extraction


def _print_targets(rows: dict, start: dict) -> None:
    """The issue's targets this benchmark measures, each with its verdict."""
    def verdict(ok: bool) -> str:
        return "达到" if ok else "未达到"

    real = rows.get("pdf-real", {})
    if "audit_over_floor" in real:
        ratio = real["audit_over_floor"]
        print(f"目标：真实 PDF 完整审查 ≤ PDFium 仅取文字的 {TARGET_AUDIT_OVER_FLOOR} 倍：{ratio:.2f} 倍，"
              f"{verdict(ratio <= TARGET_AUDIT_OVER_FLOOR)}")
    ratio = start["check_over_pandas_cpu"]
    print(f"目标：auditor check 单个文件快于 python -c \"import pandas\"：{ratio:.2f} 倍，{verdict(ratio < 1)}")


def _real_pdfs(places: list[Path]) -> list[Path]:
    found: list[Path] = []
    for place in places:
        found.extend(sorted(place.rglob("*.pdf")) if place.is_dir() else [place])
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=20, help="generated reports per format (default 20)")
    parser.add_argument("--real", type=Path, nargs="*", default=[ROOT / "examples"],
                        help="real PDFs, or folders searched for them (default: examples/)")
    parser.add_argument("--rounds", type=int, default=5, help="warm passes per tool, the best counts (default 5)")
    parser.add_argument("--startup-runs", type=int, default=9, help="fresh processes per start-up figure (default 9)")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args()
    env = _bytecode_env()
    start = startup(env, args.startup_runs)
    with tempfile.TemporaryDirectory() as work:
        rows = measure(args.reports, Path(work), _real_pdfs(args.real), args.rounds, env)
    _print(rows, start)
    for rival, found in (("pdfplumber", _pdfplumber_tables()), ("PyMuPDF", _pymupdf_tables())):
        if found is None:
            print(f"{rival} 未安装，未比较其速度（pip install \".[bench]\"）")
    out = {"machine": {"python": platform.python_version(), "platform": platform.platform(),
                       "processor": platform.processor(), "cpus": os.cpu_count()},
           "single_process": True, "rounds": args.rounds, "startup": start, "formats": rows}
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
