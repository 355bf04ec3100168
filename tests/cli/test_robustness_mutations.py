"""Damaged files never stop a batch: a few hundred seeded mutations of real and generated
reports of every format (byte flips, truncation, repeated chunks, inserted junk, damaged zip
directories and inner XML, damaged PDF trailers), audited as ONE batch through the command
line. Every file gets a result or a clear Chinese error, no traceback reaches the user, and
the exit code says that files could be audited."""
from __future__ import annotations

import io
import json
import os
import random
import re
import struct
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from auditor.readers import SUPPORTED_SUFFIXES
from tests.support.paths import EXAMPLES, ROOT
from tests.support.reportgen import make_report, render
from tests.support.writers.docx_writer import write_docx
from tests.support.writers.html_writer import write_html
from tests.support.writers.pdf_writer import write_pdf

SEED = 18
TEMPLATE_FIXTURES = ROOT / "tests" / "fixtures" / "template"
CJK = re.compile(r"[\u4e00-\u9fff]")


# ---------------------------------------------------------------- mutations of any file

def flip_bytes(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 12)):
        i = rng.randrange(len(out))
        out[i] ^= 1 << rng.randrange(8)
    return bytes(out)


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[:rng.randint(1, max(1, len(data) - 1))]


def repeat_chunk(data: bytes, rng: random.Random) -> bytes:
    start = rng.randrange(len(data))
    chunk = data[start:start + rng.randint(1, 4096)]
    return data[:start] + chunk * rng.randint(2, 20) + data[start:]


def insert_junk(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data))
    junk = bytes(rng.randrange(256) for _ in range(rng.randint(1, 600)))
    return data[:at] + junk + data[at:]


GENERIC = [flip_bytes, truncate, repeat_chunk, insert_junk]


# ---------------------------------------------------------------- zip packages (.docx)

def damage_central_directory(data: bytes, rng: random.Random) -> bytes:
    """Change one field of a central-directory entry (versions, method, sizes, offset) or of
    the end record, as a bad download or a careless tool does."""
    out = bytearray(data)
    entries = [m.start() for m in re.finditer(rb"PK\x01\x02", data)]
    end = data.rfind(b"PK\x05\x06")
    if entries and (end < 0 or rng.random() < 0.75):
        at = rng.choice(entries)
        field, size = rng.choice([(4, 2), (6, 2), (10, 2), (16, 4), (20, 4), (24, 4), (28, 2), (42, 4)])
    elif end >= 0:
        at = end
        field, size = rng.choice([(8, 2), (10, 2), (12, 4), (16, 4), (20, 2)])
    else:
        return flip_bytes(data, rng)
    value = rng.choice([0, 0xFF, 0xFFFF, 0x7FFFFFFF, 0xFFFFFFFF, rng.randrange(1 << (8 * size))]) % (1 << (8 * size))
    out[at + field:at + field + size] = value.to_bytes(size, "little")
    return bytes(out)


def _repacked(data: bytes, change) -> bytes:
    """The package with word/document.xml changed by `change` (other parts as they were)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            part = src.read(info)
            dst.writestr(info.filename, change(part) if info.filename == "word/document.xml" else part)
    return buffer.getvalue()


def damage_inner_xml(data: bytes, rng: random.Random) -> bytes:
    def change(xml: bytes) -> bytes:
        kind = rng.randrange(6)
        if kind == 0:  # cut off mid-document
            return xml[:rng.randrange(len(xml))]
        if kind == 1:  # a stray tag
            at = rng.randrange(len(xml))
            return xml[:at] + b"<w:p><w:r>" + xml[at:]
        if kind == 2:  # entity declarations and references (no expansion, no network)
            return (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY x SYSTEM "file:///etc/passwd">]>'
                    + xml.split(b"?>", 1)[-1].replace(b"<w:t>", b"<w:t>&a;&x;", 5))
        if kind == 3:  # absurd spans and grid offsets
            return re.sub(rb'w:gridSpan w:val="\d+"', b'w:gridSpan w:val="99999999"', xml).replace(
                b"<w:trPr>", b'<w:trPr><w:gridBefore w:val="2147483647"/>', 3)
        if kind == 4:  # tables nested far deeper than any report
            depth = rng.choice([60, 800, 3000])
            nest = b"<w:tbl><w:tr><w:tc>" * depth + b"<w:p/>" + b"</w:tc></w:tr></w:tbl>" * depth
            return xml.replace(b"<w:body>", b"<w:body>" + nest, 1)
        return flip_bytes(xml, rng)

    try:
        return _repacked(data, change)
    except (zipfile.BadZipFile, KeyError):
        return flip_bytes(data, rng)


# ---------------------------------------------------------------- PDF

def damage_pdf_trailer(data: bytes, rng: random.Random) -> bytes:
    kind = rng.randrange(5)
    if kind == 0:  # startxref points elsewhere
        return re.sub(rb"startxref\s+\d+", b"startxref\n" + str(rng.randrange(1 << 31)).encode(), data)
    if kind == 1:  # no end marker, no trailer
        return data.replace(b"%%EOF", b"").replace(b"trailer", b"trai1er")
    if kind == 2:  # the xref table's offsets shifted
        return re.sub(rb"(\d{10}) (\d{5}) n", lambda m: b"%010d %s n" % (int(m.group(1)) + rng.randint(1, 99), m.group(2)),
                      data)
    if kind == 3:  # object counts and the root reference wrong
        return re.sub(rb"/Size \d+", b"/Size 999999999", data).replace(b"/Root", b"/Rot", 1)
    # a stream's declared length far too long
    return re.sub(rb"/Length \d+", lambda m: b"/Length " + str(rng.randrange(1 << 31)).encode(), data, count=3)


def mutations_for(suffix: str) -> list:
    special = {".docx": [damage_central_directory, damage_central_directory, damage_inner_xml, damage_inner_xml],
               ".pdf": [damage_pdf_trailer, damage_pdf_trailer]}
    return GENERIC + special.get(suffix, [])


# ---------------------------------------------------------------- the corpus

def originals(folder: Path) -> list[Path]:
    """Real files (examples, the template fixtures) and generated reports of every format."""
    real = [p for d in (EXAMPLES, TEMPLATE_FIXTURES) for p in sorted(d.iterdir()) if p.suffix.lower() in SUPPORTED_SUFFIXES]
    made = []
    for i, template in enumerate(("2021", "2019")):
        rep = make_report(template, seed=180 + i)
        text = folder / f"gen-{template}.txt"
        text.write_text(render(rep, "tabs"), encoding="utf-8")
        made += [text, write_html(rep, folder / f"gen-{template}.html"), write_docx(rep, folder / f"gen-{template}.docx"),
                 write_pdf(rep, folder / f"gen-{template}.pdf")]
    return real + made


def mutated_corpus(src: Path, per_file: int) -> list[Path]:
    rng = random.Random(SEED)
    made_from = src / "originals"
    made_from.mkdir()
    out = src / "mutated"
    out.mkdir()
    files = []
    for n, original in enumerate(originals(made_from)):
        data = original.read_bytes()
        kinds = mutations_for(original.suffix.lower())
        # Large real PDFs take longest to audit: fewer mutants of them keep the test fast.
        count = per_file // 3 if original.suffix.lower() == ".pdf" and len(data) > 150_000 else per_file
        for k in range(count):
            mutate = kinds[k % len(kinds)]
            target = out / f"{n:02d}-{k:02d}-{mutate.__name__}{original.suffix}"
            target.write_bytes(mutate(data, rng) or b"x")
            files.append(target)
    return files


def test_hundreds_of_damaged_files_as_one_batch(tmp_path):
    files = mutated_corpus(tmp_path, per_file=18)
    assert len(files) >= 300
    out = tmp_path / "out"
    started = time.monotonic()
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    proc = subprocess.run([sys.executable, "-m", "auditor", "check", str(tmp_path / "mutated"), "-o", str(out),
                           "--format", "json", "--format", "html", "--jobs", "2", "--timeout", "30", "--fail-on", "never"],
                          capture_output=True, text=True, encoding="utf-8", env=env, timeout=300)
    elapsed = time.monotonic() - started
    assert "Traceback" not in proc.stderr + proc.stdout, proc.stderr[-3000:]
    assert proc.returncode == 0, proc.stderr[-3000:]  # some files audited: neither 2 nor a crash

    lines = [json.loads(line) for line in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sorted(r["source"]["path"] for r in lines) == sorted(map(str, files))
    audited = [r for r in lines if r["error"] is None]
    refused = [r for r in lines if r["error"] is not None]
    assert audited and refused
    for r in refused:
        assert r["error"].startswith(r["source"]["path"] + "：") and CJK.search(r["error"]), r["error"]
        assert "Traceback" not in r["error"]
    internal = [r["error"] for r in refused if "审查程序内部错误" in r["error"]]
    assert not internal, "\n".join(internal)  # every kind of damage tried has its own message
    assert len(list(out.glob("*.html"))) == len(files) + 1  # each file's page and index.html
    print(f"{len(files)} files in {elapsed:.1f}s: {len(audited)} audited, {len(refused)} refused")
    assert elapsed < 120
