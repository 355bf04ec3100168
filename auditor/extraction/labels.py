"""Matching printed row labels to the template's labels.

Printed labels are broken over lines, split per character, missing words ("其他法律行政止公开")
or carry a group label in front ("（三）不予公开1.属于国家秘密"). A label is compared on its
key (no spaces or punctuation) with its list marker ("1.", "（三）") scored separately.
"""
from __future__ import annotations

from difflib import SequenceMatcher
from functools import lru_cache

from ..textnorm import label_key, numbering

MIN_MATCH = 0.5


@lru_cache(maxsize=4096)
def _parts(label: str) -> tuple[str | None, str]:
    marker, rest = numbering(label)
    return marker, label_key(rest)


@lru_cache(maxsize=65536)
def similarity(printed: str, official: str) -> float:
    """0..1.15: how well a printed label matches an official one (markers agreeing add a little)."""
    p_marker, p_core = _parts(printed)
    o_marker, o_core = _parts(official)
    if not p_core or not o_core:
        return 0.0
    if p_core == o_core:
        score = 1.0
    elif len(o_core) >= 4 and o_core in p_core and len(p_core) <= 2 * len(o_core):
        score = 0.95
    elif len(p_core) >= 4 and p_core in o_core:
        score = 0.9
    else:
        matcher = SequenceMatcher(None, p_core, o_core, autojunk=False)
        if matcher.real_quick_ratio() < 0.4 or matcher.quick_ratio() < 0.4:
            return 0.0
        score = matcher.ratio()
    if p_marker and o_marker:
        score += 0.15 if p_marker == o_marker else -0.3
    return score


def own_label(fragments: list[str]) -> str:
    """The row's own label: from the last numbered fragment on (earlier ones are group labels)."""
    for i in range(len(fragments) - 1, -1, -1):
        if numbering(fragments[i])[0]:
            return "".join(fragments[i:])
    return "".join(fragments[-1:])


def best_label_score(candidates: list[str], official: str) -> float:
    return max((similarity(c, official) for c in candidates if c), default=0.0)


@lru_cache(maxsize=4096)
def label_scores(candidates: tuple[str, ...], official: tuple[str, ...]) -> tuple[float, ...]:
    """best_label_score against each official label in turn. Reports print the same labels,
    so a row's scores against a table's labels are worked out once per process."""
    return tuple(best_label_score(list(candidates), label) for label in official)
