"""The rule catalogue: rules/*.toml read into Rule objects and checked for mistakes."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from ..model import SEVERITIES
from ..resources import rules_dir

RULE_KEYS = {"id", "title", "severity", "formats", "kind", "message", "params", "doc"}
DOC_KEYS = {"what", "why", "fix", "pass_example", "fail_example"}


class CatalogueError(Exception):
    """A rule file is malformed; the message names the file and the problem (in Chinese)."""


@dataclass(frozen=True)
class RuleDoc:
    what: str
    why: str
    fix: str
    pass_example: str
    fail_example: str


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    severity: str
    formats: tuple[str, ...]
    kind: str
    message: str
    params: dict[str, Any]
    doc: RuleDoc
    path: str = field(default="", compare=False)

    def applies_to(self, template: str | None) -> bool:
        return template is None or template in self.formats

    def render(self, **values: Any) -> str:
        return self.message.format_map(values)


def _rule_from(data: dict[str, Any], path: Path, kinds: Iterable[str]) -> Rule:
    unknown = set(data) - RULE_KEYS
    if unknown:
        raise CatalogueError(f"{path}：未知的键 {sorted(unknown)}")
    missing = RULE_KEYS - {"params"} - set(data)
    if missing:
        raise CatalogueError(f"{path}：缺少键 {sorted(missing)}")
    if data["severity"] not in SEVERITIES:
        raise CatalogueError(f"{path}：severity 必须是 {SEVERITIES} 之一，而不是 {data['severity']!r}")
    if data["kind"] not in kinds:
        raise CatalogueError(f"{path}：未知的规则类型 kind={data['kind']!r}")
    doc = data["doc"]
    if set(doc) != DOC_KEYS:
        raise CatalogueError(f"{path}：doc 必须正好包含 {sorted(DOC_KEYS)}")
    return Rule(
        id=data["id"],
        title=data["title"],
        severity=data["severity"],
        formats=tuple(str(f) for f in data["formats"]),
        kind=data["kind"],
        message=data["message"],
        params=dict(data.get("params", {})),
        doc=RuleDoc(**doc),
        path=str(path),
    )


def load_catalogue(extra_dirs: Iterable[Path] = ()) -> list[Rule]:
    from .kinds import KINDS
    from .kinds.crossyear import PAIR_KINDS

    rules: dict[str, Rule] = {}
    for folder in [rules_dir(), *extra_dirs]:
        for path in sorted(Path(folder).glob("*.toml")):
            try:
                data = tomllib.loads(path.read_text(encoding="utf-8"))
            except tomllib.TOMLDecodeError as exc:
                raise CatalogueError(f"{path}：TOML 格式错误（{exc}）") from None
            rule = _rule_from(data, path, {*KINDS, *PAIR_KINDS})
            if rule.id in rules:
                raise CatalogueError(f"{path}：规则编号 {rule.id} 与 {rules[rule.id].path} 重复")
            rules[rule.id] = rule
    return sorted(rules.values(), key=lambda r: r.id)
