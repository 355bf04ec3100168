"""Scan benchmark: how exactly the auditor reads reports that arrive as scans (OCR extra).

    pip install ".[test,ocr]"
    python -m tests.bench.scans                        # --reports 4 per resolution, plus the real PDFs
    python -m tests.bench.scans --reports 10 --dpi 150,200,300 --out bench-scans.json

Generated reports (tests/support/corpus, both formats, ruled tables from both PDF writers) are
rendered to page images at each resolution (tests/support/writers/scan_writer: Chinese drawn in a
real CJK font), spoilt like scans (skew up to ±3°, grey noise and speckles, JPEG artefacts,
a red stamp over the table on every other report) and saved alternately as image-only PDFs
and multi-page TIFF files. The real PDFs of shared/corpus/peers and examples/ are rendered
and spoilt the same way and compared with the reading of their own text layer.

It prints and (--out) writes: cells exact per resolution (表二、表三、表四, every cell against
the generated value, or against the text-layer reading for the real PDFs), findings raised on
clean reports (errors must be none: findings resting on OCR'd cells are warnings), and the
recognition time per page. Every figure is what was measured on this run.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

from tests.support.paths import TESTS as HERE

from auditor import audit_file  # noqa: E402
from auditor.engine import load_catalogue  # noqa: E402
from tests.support.corpus.rich import rich_report  # noqa: E402
from tests.support.corpus.scoring import table_cells, wrong_cells  # noqa: E402
from tests.support.writers.pdf_writer import write_pdf  # noqa: E402
from tests.support.writers.pdf_writer2 import write_pdf2  # noqa: E402
from tests.support.writers.scan_writer import render_pdf, save_scan, spoil  # noqa: E402

TARGETS = {"cells_exact_200": 0.98, "seconds_per_page": 6.0}

def _writer2(rep, path: Path) -> Path:
    habits = random.Random(path.stem)  # as corpus.variants, but the font one PDFium draws with real glyphs
    return write_pdf2(rep, path, borders="rects", label_width=habits.uniform(0.25, 0.45),
                      header_chars=habits.choice([None, None, 2, 3, 4, 6]), font="cid")


# Ruled tables (lines; LibreOffice/WPS-like cell boxes) and a borderless one, rebuilt from the
# positions of the recognised text. (The corpus's embedded-font PDFs draw every glyph as a box.)
LAYOUTS = {"ruled": lambda rep, p: write_pdf(rep, p, borders="lines"), "writer2-ruled": _writer2,
           "borderless": lambda rep, p: write_pdf(rep, p, borders="none")}
REAL = [HERE.parent / "examples" / "淮安市人民政府-2024.pdf", HERE.parent / "examples" / "洪泽区人民政府-2023.pdf"]
PEERS = HERE.parent.parent / "shared" / "corpus" / "peers"


def _spoilt(pdf: Path, dpi: int, seed: int, target: Path) -> Path:
    rng = random.Random(seed)
    stamp = seed % 2 == 1
    pages = [spoil(page, seed * 100 + i, dpi, skew=rng.uniform(-3, 3), noise=0.002, jpeg=rng.randint(50, 80),
                   stamp=stamp and i == 1)
             for i, page in enumerate(render_pdf(pdf, dpi))]
    return save_scan(pages, target, dpi)[0]


def _cells_of(result) -> dict:
    out = {}
    if result.report is None:
        return out
    for tid, table in result.report.tables.items():
        for key in table.numbers:
            out[(tid, *key)] = table.numbers[key]
    return out


def _findings(result) -> dict:
    counts = {"error": 0, "warning": 0}
    for f in result.findings:
        if f.severity in counts:
            counts[f.severity] += 1
    return counts


def generated(dpi: int, reports: int, work: Path, rules) -> dict:
    cells = exact = pages = 0
    seconds = wall = cpu = 0.0
    errors = warnings = 0
    misread: list[str] = []
    wrong_kinds = {"misread": 0, "blank": 0}
    by_layout: dict[str, list[int]] = {}
    for i in range(reports):
        rep = rich_report("2019" if i % 3 == 0 else "2021", seed=1000 + i)
        layout = list(LAYOUTS)[i % len(LAYOUTS)]
        pdf = LAYOUTS[layout](rep, work / f"gen-{dpi}-{i}.pdf")
        suffix = ".pdf" if i % 2 == 0 else ".tif"
        scan = _spoilt(pdf, dpi, i, work / f"scan-{dpi}-{i}{suffix}")
        start, cpu_start = time.perf_counter(), time.process_time()
        result = audit_file(scan, rules)
        wall += time.perf_counter() - start
        cpu += time.process_time() - cpu_start
        doc_pages, doc_seconds = _ocr_time(result)
        pages += doc_pages
        seconds += doc_seconds
        if result.report is None:
            misread.append(f"{scan.name}: {result.error}")
        wrong = wrong_cells(rep, result) if result.report else [(c, v, None) for c, v in table_cells(rep).items()]
        total = len(table_cells(rep))
        cells += total
        exact += total - len(wrong)
        tally = by_layout.setdefault(layout, [0, 0])
        tally[0] += total
        tally[1] += total - len(wrong)
        for cell, want, got in wrong:
            wrong_kinds["blank" if got is None else "misread"] += 1
            if len(misread) < 12:
                misread.append(f"{scan.name} {'/'.join(cell)}: 应为 {want}，读作 {got}")
        counted = _findings(result)
        errors += counted["error"]
        warnings += counted["warning"]
    return {"dpi": dpi, "reports": reports, "pages": pages, "cells": cells, "cells_exact": exact / max(cells, 1),
            "wrong": wrong_kinds, "errors_on_clean": errors, "warnings_on_clean": warnings,
            "ocr_seconds_per_page": seconds / max(pages, 1), "audit_seconds_per_page": wall / max(pages, 1),
            "cpu_seconds_per_page": cpu / max(pages, 1),
            "by_layout": {k: v[1] / max(v[0], 1) for k, v in by_layout.items()}, "examples": misread}


def _ocr_time(result) -> tuple[int, float]:
    report = result.report
    if report is None:
        return 0, 0.0
    return len(report.document.ocr_pages), report.document.ocr_seconds


def real(dpi: int, work: Path, rules) -> dict:
    files = [p for p in REAL if p.exists()] + sorted(PEERS.glob("*/*.pdf"))
    cells = exact = pages = 0
    seconds = 0.0
    errors = 0
    misread: list[str] = []
    for i, pdf in enumerate(files):
        reference = _cells_of(audit_file(pdf, rules))
        scan = _spoilt(pdf, dpi, i, work / f"real-{dpi}-{i}.pdf")
        result = audit_file(scan, rules)
        got = _cells_of(result)
        doc_pages, doc_seconds = _ocr_time(result)
        pages += doc_pages
        seconds += doc_seconds
        errors += _findings(result)["error"]
        for key, want in reference.items():
            cells += 1
            if got.get(key, "missing") == want:
                exact += 1
            elif len(misread) < 12:
                misread.append(f"{pdf.name} {'/'.join(key)}: 文字层 {want}，扫描读作 {got.get(key)}")
    return {"dpi": dpi, "files": len(files), "pages": pages, "cells": cells, "cells_exact": exact / max(cells, 1),
            "errors": errors, "ocr_seconds_per_page": seconds / max(pages, 1), "examples": misread}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=4, help="generated reports per resolution")
    parser.add_argument("--dpi", default="150,200", help="resolutions, comma-separated")
    parser.add_argument("--no-real", action="store_true", help="skip the real PDFs")
    parser.add_argument("--out", help="write the figures as JSON")
    args = parser.parse_args()
    rules = load_catalogue()
    out = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "load": os.getloadavg()},
           "generated": [], "real": []}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for dpi in (int(d) for d in args.dpi.split(",")):
            row = generated(dpi, args.reports, work, rules)
            out["generated"].append(row)
            print(f"生成报告 {dpi} dpi：{row['reports']} 份 {row['pages']} 页，单元格完全一致 {row['cells_exact']:.2%}"
                  f"（{row['cells']} 格，误读 {row['wrong']['misread']}，读成空白 {row['wrong']['blank']}），"
                  f"干净报告上的错误 {row['errors_on_clean']} 条、警告 {row['warnings_on_clean']} 条，"
                  f"识别 {row['ocr_seconds_per_page']:.1f} 秒/页（审查 {row['audit_seconds_per_page']:.1f} 秒/页，"
                  f"CPU 时间 {row['cpu_seconds_per_page']:.1f} 秒/页）；"
                  + "，".join(f"{k} {v:.2%}" for k, v in row["by_layout"].items()), flush=True)
            for line in row["examples"]:
                print("   ", line)
            if not args.no_real:
                row = real(dpi, work, rules)
                out["real"].append(row)
                print(f"真实 PDF {dpi} dpi：{row['files']} 份 {row['pages']} 页，单元格与文字层读数一致 {row['cells_exact']:.2%}"
                      f"（{row['cells']} 格），错误 {row['errors']} 条，识别 {row['ocr_seconds_per_page']:.1f} 秒/页", flush=True)
                for line in row["examples"]:
                    print("   ", line)
    out["machine"]["load_after"] = os.getloadavg()
    if args.out:
        Path(args.out).write_text(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
