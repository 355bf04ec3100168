"""The national template's instructions left in the published text: the placeholder
"（文字描述）", the notice's writing guidance ("编写说明", "可先适当综述"), or a table's
"（指……）" filling hint copied into a sentence. The phrases are the rule's data (params.phrases)."""
from __future__ import annotations

from functools import lru_cache
from typing import Optional

import regex as re

from ...model import Finding, Report
from ...textnorm import shorten
from ..rule import Rule
from ..kind import Param, kind


def _patterns(rule: Rule) -> tuple[re.Pattern, ...]:
    return _compiled(tuple(rule.params["phrases"]))


@lru_cache(maxsize=16)  # a rule's phrases, compiled once: `regex` looks its own cache up slowly
def _compiled(phrases: tuple[str, ...]) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p) for p in phrases)


def _residue(text: str, patterns: tuple[re.Pattern, ...]) -> Optional[re.Match]:
    """The first phrase's match in the sentence (phrases in the rule's order)."""
    for pattern in patterns:
        m = pattern.search(text)
        if m is not None:
            return m
    return None


def phrases_problem(params: dict, formats: tuple[str, ...]) -> str | None:
    """Each phrase is a regular expression (compiled for every report: a bad one fails at load)."""
    for phrase in params["phrases"]:
        try:
            re.compile(phrase)
        except re.error as exc:
            return f"params.phrases 中的 {phrase!r} 不是正确的正则表达式（{exc}）"
    return None


@kind("template_residue", params={"phrases": Param(list[str], required=True)}, fields=("residue", "sentence"),
      validate=phrases_problem,
      doc="No filling instructions of the report template (params.phrases) are left in the text.")
def check_template_residue(report: Report, rule: Rule) -> list[Finding]:
    patterns = _patterns(rule)
    findings = []
    for sentence in report.sentences:
        hit = _residue(sentence.text, patterns)
        if hit is None:
            continue
        findings.append(Finding(
            rule.id, rule.severity, "fail",
            rule.render(residue=shorten(hit.group(0), 30), sentence=shorten(sentence.text, 60)),
            line=sentence.line, page=sentence.page, excerpt=sentence.text, key=f"residue:{hit.group(0)}",
        ))
    return findings
