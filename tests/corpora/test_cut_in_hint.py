"""A copy cut inside a table row's filling hint ("其他对外管理服务事项(指行政许可以外的政务服务
事项,含行政确认、" and nothing after it) stops at that row: the row is not missing, it is where
the text stops. Every hinted row label of the real openings is cut that way."""
import regex as re
import pytest

from auditor import audit_file
from tests.support.paths import FIXTURES

REAL_OPENINGS = FIXTURES / "real-openings"

# a row label (2-30 characters at the start of its line) and its bracketed hint, which may
# go on over the next lines
_HINTED_LABEL = re.compile(r"^[|\s]*(?P<label>[^|\t\n。]{2,30}?)[（(](?P<hint>[^（）()\n]{8,})", re.M)


def _cuts_in_hints():
    for path in sorted(REAL_OPENINGS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for m in _HINTED_LABEL.finditer(text):
            # a few words in, after a comma (the cut text ends like a clause), or at the line's end
            commas = [m.start("hint") + i + 1 for i, ch in enumerate(m.group("hint")) if ch in ",，、"]
            for stop in sorted({m.end("label") + 7, *commas[:2], *commas[-1:], m.end("hint")}):
                yield pytest.param(path, stop, id=f"{path.stem}-{m.group('label')[:12]}-{stop}")


@pytest.mark.parametrize("path, stop", list(_cuts_in_hints()))
def test_a_cut_inside_a_label_hint_is_the_cut_not_a_missing_row(tmp_path, path, stop):
    copy = tmp_path / path.name
    copy.write_text(path.read_text(encoding="utf-8")[:stop], encoding="utf-8")
    result = audit_file(copy)
    if result.error is not None:
        return  # cut before anything shows it is a report
    assert not [f.message for f in result.findings if f.rule == "STRUCT-ROWS" and f.severity == "error"]
