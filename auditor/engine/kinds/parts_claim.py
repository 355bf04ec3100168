"""A claim about the report's own outline ("本报告包括总体情况、……六个部分", "由……等六部分组成",
"内容包括：……等五项内容") checked against the items it lists, and, when the items are the
report's sections, against the six sections the format prescribes.

Pieces split at 、 that together form one section title ("政府信息公开行政复议、行政诉讼情况")
are one item."""
from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Optional

import regex as re

from ...model import Finding, Report
from ...textnorm import shorten
from ..rule import Rule
from ..kind import Param, kind
from .structure import CONNECTIVES, title_key

_NUMBER_WORD = r"[一二两三四五六七八九十]{1,3}|\d{1,2}"
_PARTS = re.compile(
    rf"(?P<etc>等)?\s*(?:共|在内的)?\s*(?P<n>{_NUMBER_WORD})\s*个?\s*(?P<unit>部分|方面|板块|项内容|项)"
)
_TRIGGER = re.compile(r"包括|包含|分为|分成|涵盖")
_COMPOSED = re.compile(r"^\s*(?:内容)?\s*(?:组成|构成)")  # "由A、B……等五个部分组成"
_COMPOSED_TRIGGER = re.compile(r"由")
_ABOUT_REPORT = re.compile(r"报告|年报")  # the sentence lists the report's own parts
_AFTER_LIST = re.compile(r"^[^，,。；;：:、]{0,10}[：:](?P<list>[^。]+)")
_ITEM_SPLIT = re.compile(r"以及|[、，,；;]")
_ORDINALS = re.compile(r"(?:^|[；;，,。])\s*(?:[一二三四五六七八九十]是|（[一二三四五六七八九十]）)")
_MAX_ITEM_CHARS = 40
_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def number_word(text: str) -> Optional[int]:
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, units = text.partition("十")
        value = (_DIGITS.get(tens, 1) if tens else 1) * 10 + (_DIGITS.get(units, 0) if units else 0)
        return value if (not tens or tens in _DIGITS) and (not units or units in _DIGITS) else None
    return _DIGITS.get(text) if len(text) == 1 else None


def _official_titles(report: Report) -> list[str]:
    return [title_key(s.title) for s in report.sections.values()]


def _is_one_item(item: str, titles: _Titles) -> bool:
    """"政府信息公开行政复议和行政诉讼情况" is one section's name, not two items."""
    return titles.match(item) >= 0.75  # (the best ratio is one, any ratio is)


class _Titles:
    """The report's section titles (as keys), with how close an item comes to one of them (the
    best SequenceMatcher ratio) kept per item for one report: merging, splitting and matching the
    listed items ask about the same pieces again and again."""

    def __init__(self, keys: list[str]):
        self.keys = keys
        self._scores: dict[str, float] = {}
        # A matcher indexes its second sequence when given it: each title's index is made once.
        self._matchers = [SequenceMatcher(None, "", key) for key in keys]

    def match(self, item: str) -> float:
        """_title_match(item, keys)."""
        score = self._scores.get(item)
        if score is None:
            key = title_key(item)
            score = 0.0
            for matcher in self._matchers:
                matcher.set_seq1(key)
                score = max(score, matcher.ratio())
            self._scores[item] = score
        return score


@dataclass
class ListedParts:
    claimed: int
    claimed_text: str  # the number as printed: "六", "6"
    unit: str  # 部分 | 方面 | 板块
    items: list[str]
    fewest: int  # items split at 、，；以及 only
    most: int  # also split at 和/及/与, except inside a section's name
    open_ended: bool  # "A、B等三个方面": the list may be incomplete
    about_report: bool = False  # "本报告由……组成": the items should be the report's sections

    @property
    def mismatched(self) -> bool:
        return self.claimed < self.fewest or (self.claimed > self.most and not self.open_ended)


_CONJUNCTION = re.compile(r"^(?:和|及|与|并|还有)")


def _pieces(listing: str) -> list[str]:
    pieces = [_CONJUNCTION.sub("", p.strip(" ：:")) for p in _ITEM_SPLIT.split(listing)]
    return [p for p in pieces if p]


def _title_match(item: str, titles: list[str]) -> float:
    key = title_key(item)
    return max((SequenceMatcher(None, key, t).ratio() for t in titles), default=0.0)


def _split_titles(piece: str, titles: _Titles) -> list[str]:
    """'存在的主要问题及改进情况及其他需要报告的事项': two titles joined by 及/和, split where
    both halves are titles and the whole is not."""
    if titles.match(piece) >= 0.75:
        return [piece]
    for m in CONNECTIVES.finditer(piece):
        left, right = piece[:m.start()], piece[m.end():]
        if titles.match(left) >= 0.75 and titles.match(right) >= 0.75:
            return [left, right]
    return [piece]


def merge_titles(pieces: list[str], titles: _Titles) -> list[str]:
    """Neighbouring pieces that together are one section's title, closer to it than either
    alone ("政府信息公开行政复议" + "行政诉讼情况"), joined back into one item."""
    merged: list[str] = []
    for piece in (half for p in pieces for half in _split_titles(p, titles)):
        if merged:
            joined = merged[-1] + "、" + piece
            if titles.match(joined) > max(titles.match(merged[-1]), titles.match(piece)) \
                    and titles.match(joined) >= 0.75:
                merged[-1] = joined
                continue
        merged.append(piece)
    return merged


def _listing(text: str, match: re.Match) -> Optional[tuple[list[str], bool]]:
    """The items the sentence lists for its count: before it after 包括/分为 ("包括A、B、C
    等三个部分"), or after it behind a colon ("分为以下三个方面：A、B、C")."""
    triggers = list(_TRIGGER.finditer(text, 0, match.start()))
    if not triggers and _COMPOSED.match(text[match.end():]):
        triggers = list(_COMPOSED_TRIGGER.finditer(text, 0, match.start()))
    if triggers:
        listing = text[triggers[-1].end():match.start()]
        if "、" in listing:
            return _pieces(listing), bool(match.group("etc"))
    after = _AFTER_LIST.match(text[match.end():])
    if not after:
        return None
    listing = after.group("list")
    ordinals = _ORDINALS.findall(listing)
    if len(ordinals) >= 2:
        return [o.strip("；;，,。 ") for o in ordinals], False
    separator = "；" if "；" in listing else "、"
    pieces = [p.strip() for p in listing.split(separator) if p.strip()]
    return (pieces, False) if len(pieces) >= 2 else None


_UNIT_WORDS = ("部分", "方面", "板块", "项")  # a unit _PARTS reads is one of these ("项内容" holds "项")


def listed_parts(text: str, titles: _Titles) -> Optional[ListedParts]:
    if not any(map(text.__contains__, _UNIT_WORDS)):
        return None  # most sentences: _PARTS, which has no fixed start, would try every position
    for match in _PARTS.finditer(text):
        claimed = number_word(match.group("n"))
        found = _listing(text, match) if claimed and claimed >= 2 else None
        if not found:
            continue
        items, open_ended = found
        items = merge_titles(items, titles)
        if len(items) < 2 or any(len(i) > _MAX_ITEM_CHARS for i in items):
            continue  # not a clear enumeration
        most = sum(1 if _is_one_item(i, titles) else 1 + len(CONNECTIVES.findall(i)) for i in items)
        about_report = bool(_ABOUT_REPORT.search(text[:match.start()]))
        return ListedParts(claimed, match.group("n"), match.group("unit"), items, len(items), most, open_ended,
                           about_report)
    return None


def _sections_listed(listed: ListedParts, titles: _Titles) -> bool:
    """Are the items the report's sections (most of them a section's title)?"""
    return listed.about_report and sum(titles.match(i) >= 0.75 for i in listed.items) >= 2


def _unlisted(listed: ListedParts, report: Report) -> list[str]:
    """Official sections no item names, when every item is a section (else we cannot tell)."""
    titles = {s.title: title_key(s.title) for s in report.sections.values()}
    if any(_title_match(i, list(titles.values())) < 0.75 for i in listed.items):
        return []
    seen = {max(titles, key=lambda t: SequenceMatcher(None, title_key(i), titles[t]).ratio()) for i in listed.items}
    return [t for t in titles if t not in seen]


@kind("parts_claim",
      params={"format_message": Param(str, required=True, message=("claimed", "unit", "official", "missing", "sentence")),
              "unlisted": Param(str, required=True, message=("titles",))},
      fields=("claimed", "count", "items", "missing", "sentence", "unit"),
      doc="“包括……N个部分”: the number said agrees with the parts listed, and with the format's six.")
def check_parts_claim(report: Report, rule: Rule) -> list[Finding]:
    titles = _Titles(_official_titles(report))
    findings = []
    for sentence in report.finished_sentences:  # a list the text stops in is not all there
        listed = listed_parts(sentence.text, titles)
        if listed is None:
            continue
        if not listed.mismatched:
            finding = _against_format(report, rule, listed, sentence, titles)
            if finding is not None:
                findings.append(finding)
            continue
        count = listed.fewest if listed.claimed < listed.fewest else listed.most
        findings.append(Finding(
            rule.id, rule.severity, "fail",
            rule.render(claimed=listed.claimed_text, unit=listed.unit, count=count, items="".join(f"“{i}”" for i in listed.items),
                        sentence=shorten(sentence.text)),
            line=sentence.line, page=sentence.page, excerpt=sentence.text, expected=count, actual=listed.claimed,
            value_names=_VALUE_NAMES,
        ))
    return findings



_VALUE_NAMES = ("正文所说的部分数", "实际列出的部分数")  # what actual and expected are, for the report page


def _against_format(report: Report, rule: Rule, listed: ListedParts, sentence, titles: _Titles) -> Optional[Finding]:
    """'本报告由……等五个部分组成' where the format has six sections: a part was left out."""
    official = len(report.sections)
    if not _sections_listed(listed, titles) or listed.claimed == official:
        return None
    unlisted = _unlisted(listed, report)
    missing = rule.params["unlisted"].format(titles="、".join(f"“{t}”" for t in unlisted)) if unlisted else ""
    message = rule.params["format_message"].format(
        claimed=listed.claimed_text, unit=listed.unit, official=official, missing=missing,
        sentence=shorten(sentence.text))
    return Finding(rule.id, rule.severity, "fail", message, line=sentence.line, page=sentence.page,
                   excerpt=sentence.text, expected=official, actual=listed.claimed, value_names=_VALUE_NAMES)
