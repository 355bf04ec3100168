"""Reader benchmark: per input format, how fast files are read and audited, and for PDFs
how that compares with pdfplumber's table finder and with PDFium's bare text extraction
(the floor: no reader can be faster than getting the characters out).

    python tests/bench_readers.py                 # 20 generated reports per format
    python tests/bench_readers.py --reports 100 --json out/bench-readers.json

Runs in one process, one core; pdfplumber is optional (pip install ".[bench]"). It also
checks what it measures: every generated file must give the generator's 表三 exactly.
"""
from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Optional

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import pypdfium2 as pdfium  # noqa: E402

from auditor import audit_file  # noqa: E402
from auditor.readers import read_document  # noqa: E402
from reportgen import ORG, make_report, render  # noqa: E402
from writers.docx_writer import write_docx  # noqa: E402
from writers.html_writer import write_html  # noqa: E402
from writers.pdf_writer import write_pdf  # noqa: E402


def _text(rep, path: Path) -> Path:
    path.write_text(render(rep, "tabs"), encoding="utf-8")
    return path


FORMATS: dict[str, tuple[str, Callable]] = {
    "text": (".txt", _text),
    "html-gbk": (".html", lambda rep, p: write_html(rep, p, encoding="gb18030", declared="gb2312", spans=True)),
    "docx": (".docx", lambda rep, p: write_docx(rep, p, split_runs=True)),
    "pdf-lines": (".pdf", lambda rep, p: write_pdf(rep, p, borders="lines")),
    "pdf-rects": (".pdf", lambda rep, p: write_pdf(rep, p, borders="rects", split=True)),
    "pdf-borderless": (".pdf", lambda rep, p: write_pdf(rep, p, borders="none")),
}


def _timed(fn: Callable, paths: list[Path]) -> float:
    start = time.perf_counter()
    for p in paths:
        fn(p)
    return time.perf_counter() - start


def _pdfium_text(path: Path) -> None:
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


def _exact(reps, paths) -> float:
    """Share of 表三 cells read exactly, so a fast but wrong reader cannot look good."""
    right = total = 0
    for rep, path in zip(reps, paths):
        result = audit_file(path)
        t3 = result.report.tables.get("t3") if result.report else None
        for row, cols in rep.t3.items():
            for col in ORG + ["tot"]:
                total += 1
                right += t3 is not None and t3.value(row, col) == cols[col]
    return right / total if total else 0.0


def measure(n: int, work: Path, real: list[Path]) -> dict:
    reps = [make_report("2021" if i % 2 else "2019", year=None if i % 2 else 2020, seed=i) for i in range(n)]
    plumber = _pdfplumber_tables()
    rows = {}
    groups = {name: [writer(rep, work / f"{name}-{i}{suffix}") for i, rep in enumerate(reps)]
              for name, (suffix, writer) in FORMATS.items()}
    if real:
        groups["pdf-real"] = real
    for name, paths in groups.items():
        read_s = _timed(read_document, paths)
        audit_s = _timed(audit_file, paths)
        row = {"files": len(paths), "read_ms": 1000 * read_s / len(paths), "audit_ms": 1000 * audit_s / len(paths),
               "reports_per_s": len(paths) / audit_s}
        if name != "pdf-real":
            row["t3_cells_exact"] = _exact(reps, paths)
        if name.startswith("pdf"):
            row["pdfium_text_ms"] = 1000 * _timed(_pdfium_text, paths) / len(paths)
            row["audit_over_floor"] = row["audit_ms"] / row["pdfium_text_ms"]
            if plumber:
                row["pdfplumber_tables_ms"] = 1000 * _timed(plumber, paths) / len(paths)
                row["pdfplumber_over_ours"] = row["pdfplumber_tables_ms"] / row["read_ms"]
        rows[name] = row
    return rows


def _print(rows: dict) -> None:
    head = f"{'格式':<16}{'文件':>5}{'读取ms':>9}{'审查ms':>9}{'份/秒':>8}{'表三准确':>9}{'PDFium文字ms':>14}{'pdfplumber表格ms':>17}{'倍数':>7}"
    print(head)
    for name, r in rows.items():
        exact = f"{100 * r['t3_cells_exact']:.1f}%" if "t3_cells_exact" in r else "-"
        floor = f"{r['pdfium_text_ms']:.1f}" if "pdfium_text_ms" in r else "-"
        plumb = f"{r['pdfplumber_tables_ms']:.1f}" if "pdfplumber_tables_ms" in r else "-"
        ratio = f"{r['pdfplumber_over_ours']:.1f}×" if "pdfplumber_over_ours" in r else "-"
        print(f"{name:<16}{r['files']:>5}{r['read_ms']:>9.1f}{r['audit_ms']:>9.1f}{r['reports_per_s']:>8.1f}{exact:>9}{floor:>14}{plumb:>17}{ratio:>7}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=20, help="generated reports per format (default 20)")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args()
    real = sorted((HERE.parent / "examples").glob("*.pdf"))
    with tempfile.TemporaryDirectory() as work:
        rows = measure(args.reports, Path(work), real)
    _print(rows)
    if _pdfplumber_tables() is None:
        print("pdfplumber 未安装，未比较其速度（pip install \".[bench]\"）")
    out = {"machine": {"python": platform.python_version(), "platform": platform.platform(), "processor": platform.processor()},
           "single_process": True, "formats": rows}
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
