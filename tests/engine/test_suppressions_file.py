"""The suppression file written for the self-check page reads back as written."""
from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.suppressions import Suppression, load_suppressions, suppressions_toml

_text = st.text(min_size=1, max_size=40).filter(lambda s: s.strip() and s == s.strip())
_entries = st.lists(st.builds(
    Suppression,
    fingerprint=st.text("0123456789abcdef", min_size=16, max_size=16),
    reason=_text, by=st.none() | _text, date=st.none() | st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)),
    file=st.none() | _text, rule=st.none() | st.from_regex(r"[A-Z][A-Z0-9-]{2,20}", fullmatch=True),
), max_size=5, unique_by=lambda e: (e.fingerprint, e.file, e.rule))


@settings(max_examples=150, deadline=None)
@given(_entries)
def test_written_entries_read_back_unchanged(tmp_path_factory, entries):
    path = tmp_path_factory.mktemp("supp") / "suppressions.toml"
    path.write_text(suppressions_toml(entries), encoding="utf-8")
    back = load_suppressions(path).entries
    keys = ("fingerprint", "reason", "by", "date", "file", "rule")
    assert [tuple(getattr(e, k) for k in keys) for e in back] == [tuple(getattr(e, k) for k in keys) for e in entries]
