"""The inputs of a batch: the files found in folders in a stable order (the order of the
outputs), their page names, and what they cost the main process, which keeps them to the end."""
from __future__ import annotations

import os
import tracemalloc
from pathlib import Path

import pytest

from auditor.batch import PageNames, output_names
from auditor.pipeline import collect_inputs, input_files
from auditor.readers import SUPPORTED_SUFFIXES

TREE = ["b.txt", "b/x.txt", "b-c.txt", "b/c/y.PDF", "a b.txt", ".txt", ".h.txt", "z.", "区县/洪泽区.pdf", "区县.txt",
        "B.txt", "b0/q.doc", "b/.hid/k.txt", "n.md", "b/c.docx", "note.xyz"]


def _sorted_rglob(paths) -> list[str]:
    """The order batches always had: sorted Paths of each folder's supported files."""
    files = []
    for p in map(Path, paths):
        if p.is_dir():
            files += sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES)
        else:
            files.append(p)
    return [str(f) for f in files]


@pytest.fixture
def tree(tmp_path):
    for rel in TREE:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x", encoding="utf-8")
    (tmp_path / "folder.txt").mkdir()
    if hasattr(os, "symlink"):
        try:
            os.symlink(tmp_path / "b", tmp_path / "link-to-folder")
            os.symlink(tmp_path / "b.txt", tmp_path / "link.txt")
            os.symlink(tmp_path / "missing.txt", tmp_path / "broken.txt")
        except OSError:  # no right to make links (Windows)
            pass
    return tmp_path


def test_the_files_found_in_folders_come_in_the_order_of_their_sorted_paths(tree, monkeypatch):
    for given in ([tree], [f"{tree}{os.sep}"], [tree / "b", tree / "区县.txt"], [tree / "n.md", tree]):
        assert list(input_files(given)) == _sorted_rglob(given) == [str(f) for f in collect_inputs(given)]
    monkeypatch.chdir(tree)
    for given in (["."], ["b"], [f".{os.sep}b{os.sep}"]):
        assert list(input_files(given)) == _sorted_rglob(given)


def test_page_names_are_those_of_output_names(tree):
    inputs = input_files([tree, tree / "b.txt"])  # one file given twice: its pages take the last name
    names = PageNames(inputs)
    expected = dict(zip(inputs, output_names(list(inputs))))
    assert [names[p] for p in inputs] == [expected[p] for p in inputs]
    assert names[str(tree / "b.txt")] == "b-3" and names[str(tree / "区县" / "洪泽区.pdf")] == "区县_洪泽区"


def _kept(folder: Path, n: int) -> tuple[int, int]:
    """Bytes a batch's inputs and page names keep in the main process, and their characters."""
    folder.mkdir()
    for i in range(n):
        (folder / f"{i:05d}.txt").write_bytes(b"")
    tracemalloc.start()
    try:
        inputs = input_files([folder])
        names = PageNames(inputs)
        kept, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(inputs) == n and names[inputs[-1]] == f"{n - 1:05d}"
    return kept, sum(len(p) for p in inputs)


def test_a_batch_keeps_its_inputs_in_little_more_than_their_characters(tmp_path):
    # tracemalloc counts Python's own allocations: exact, whatever else runs on the machine. The
    # growth from 2,000 to 6,000 inputs leaves out what does not grow (caches, free lists), once
    # a first small batch has filled what is made only once.
    _kept(tmp_path / "first", 50)
    small, small_chars = _kept(tmp_path / "small", 2000)
    large, large_chars = _kept(tmp_path / "large", 6000)
    per_input = (large - small - (large_chars - small_chars)) / 4000
    assert per_input < 24, f"{per_input:.0f} bytes per input beyond its characters"  # a str per path: about 60
