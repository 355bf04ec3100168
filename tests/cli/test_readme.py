"""The README's rule table and examples table follow the catalogue and examples/."""
from __future__ import annotations

from auditor.engine import load_catalogue
from tests.support.paths import EXAMPLES, ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_rule_is_in_the_readme_rule_table():
    table = README.split("## 规则目录", 1)[1].split("\n## ", 1)[0]
    missing = [r.id for r in load_catalogue() if r.id not in table]
    assert missing == []


def test_every_example_file_is_described():
    assert [p.name for p in sorted(EXAMPLES.iterdir()) if f"`{p.name}`" not in README] == []
