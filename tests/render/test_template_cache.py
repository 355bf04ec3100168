"""Compiled templates are kept between runs (Jinja2's bytecode cache, in the user's private
folder of the temporary directory), and a page from the cache is the page compiled afresh."""
import os
import subprocess
import sys

from tests.support.paths import EXAMPLES

REPORT = EXAMPLES / "镇海区民政局-2019-seed003.txt"
PROBE = ("import sys\nfrom auditor import audit_file\nfrom auditor.render.html import render_html\n"
         "sys.stdout.write(render_html(audit_file(sys.argv[1])))\n")


def _page(tmp_path, **env_changes) -> str:
    env = {**os.environ, "TMPDIR": str(tmp_path), **env_changes}
    env = {k: v for k, v in env.items() if v is not None}
    done = subprocess.run([sys.executable, "-c", PROBE, str(REPORT)], capture_output=True, text=True, env=env,
                          timeout=120, check=True)
    return done.stdout


def _cached(tmp_path) -> list:
    return sorted(p.name for folder in tmp_path.glob("_jinja2-cache*") for p in folder.iterdir())


def test_the_second_run_uses_the_compiled_page(tmp_path):
    compiled = _page(tmp_path, PYTHONDONTWRITEBYTECODE=None)
    kept = _cached(tmp_path)
    assert kept, "no compiled template was kept"
    assert _page(tmp_path, PYTHONDONTWRITEBYTECODE=None) == compiled
    assert _cached(tmp_path) == kept


def test_nothing_is_kept_where_python_writes_no_bytecode(tmp_path):
    _page(tmp_path, PYTHONDONTWRITEBYTECODE="1")
    assert _cached(tmp_path) == []


def test_a_damaged_cache_entry_is_compiled_again(tmp_path):
    compiled = _page(tmp_path, PYTHONDONTWRITEBYTECODE=None)
    for folder in tmp_path.glob("_jinja2-cache*"):
        for entry in folder.iterdir():
            entry.write_bytes(entry.read_bytes()[:20])  # cut short after the header
    assert _page(tmp_path, PYTHONDONTWRITEBYTECODE=None) == compiled


def test_a_cache_folder_that_cannot_be_written_costs_nothing_but_the_cache(tmp_path):
    probe = ("import shutil, sys\nfrom auditor.render.html import template_environment\n"
             "shutil.rmtree(template_environment().bytecode_cache.directory)\n"  # gone before the first page
             "from auditor import audit_file\nfrom auditor.render.html import render_html\n"
             "sys.stdout.write(render_html(audit_file(sys.argv[1])))\n")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["TMPDIR"] = str(tmp_path)
    done = subprocess.run([sys.executable, "-c", probe, str(REPORT)], capture_output=True, text=True, env=env,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout == _page(tmp_path / "fresh", PYTHONDONTWRITEBYTECODE="1")
