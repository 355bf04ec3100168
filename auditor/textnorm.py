"""Text normalisation shared by readers and extraction: full-width forms, label keys."""
from __future__ import annotations

import re as stdlib_re
import unicodedata
from functools import lru_cache

import regex as re

_FULLWIDTH = {chr(0xFF10 + i): str(i) for i in range(10)}
_FULLWIDTH.update({"\u3000": " ", "\u00a0": " ", "\u2002": " ", "\u2003": " ", "\u200b": "", "\ufeff": ""})
_FULLWIDTH.update({"＋": "+", "．": ".", "％": "%", "／": "/", "－": "-"})
_TRANSLATE = str.maketrans(_FULLWIDTH)
# str.translate looks every character up in a dict (8 µs for a sentence); finding out first
# that nothing needs it is fifteen times faster, and most text has nothing to change.
_TO_TRANSLATE = stdlib_re.compile("[" + "".join(stdlib_re.escape(c) for c in _FULLWIDTH) + "]")


def normalise_text(text: str) -> str:
    """Full-width digits, signs and spaces to ASCII; Chinese punctuation is kept as printed."""
    return text.translate(_TRANSLATE) if _TO_TRANSLATE.search(text) else text


_NUMBERING = re.compile(
    r"^\s*(?:(?P<cn>[一二三四五六七八九十]+)\s*[、.．]"
    r"|[（(]\s*(?P<paren>[一二三四五六七八九十]+)\s*[)）]"
    r"|(?P<digit>\d{1,2})\s*[.、．](?!\d))"
)


_LABEL_LENGTH = 64  # table labels are shorter; longer text is a line of prose, seen once


def numbering(text: str) -> tuple[str | None, str]:
    """Split a leading list marker ("一、", "（三）", "2.", "1、") from a label."""
    return _label_numbering(text) if len(text) <= _LABEL_LENGTH else _numbering(text)


def _numbering(text: str) -> tuple[str | None, str]:
    m = _NUMBERING.match(text)
    if not m:
        return None, text
    kind = "cn" if m.group("cn") else "paren" if m.group("paren") else "digit"
    value = m.group("cn") or m.group("paren") or m.group("digit")
    return f"{kind}:{value}", text[m.end():]


_KEY_DROP = re.compile(r"[\s\p{P}\p{S}]+")


def label_key(text: str) -> str:
    """A comparison key for labels: NFKC, no spaces, no punctuation."""
    return _label_key(text) if len(text) <= _LABEL_LENGTH else _key(text)


def _key(text: str) -> str:
    return _KEY_DROP.sub("", unicodedata.normalize("NFKC", text))


# Labels recur in every report of a batch, so their results are kept; only short texts are,
# because keeping every line of prose that passes through would hold memory for nothing.
_label_numbering = lru_cache(maxsize=2048)(_numbering)
_label_key = lru_cache(maxsize=2048)(_key)


_HAN = re.compile(r"\p{Han}")


def has_cjk(text: str) -> bool:
    return _HAN.search(text) is not None


def shorten(text: str, limit: int = 80) -> str:
    """A long sentence cut for a message; the excerpt keeps it whole."""
    return text if len(text) <= limit else text[:limit] + "……"
