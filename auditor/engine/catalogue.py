"""The rule catalogue: rules/*.toml read into Rule objects and checked for mistakes.

Each rule documents itself ([doc]: what, why, fix) with examples ([[doc.examples]]): a
verdict, the situation in words, and the edits that produce it on a clean generated report.
The examples are data the tests run and `auditor explain` prints, so they are checked here
as strictly as the rule itself: a typo in an edit must not silently make an example empty.
"""
from __future__ import annotations

import re
import string
import tomllib
from pathlib import Path
from typing import Any, Iterable, Optional

from ..model import SEVERITIES
from ..resources import rules_dir
from ..spec import format_spec
from . import kinds as _kinds, pinpoint as _pinpoint  # noqa: F401  importing them registers every kind
from .kind import Kind, registered_kinds
from .rule import Rule, RuleDoc, RuleExample

RULE_KEYS = {"id", "title", "severity", "formats", "kind", "message", "params", "doc"}
DOC_KEYS = {"what", "why", "fix", "examples"}
VERDICTS = ("pass", "fail")
SECTION_IDS = ("s1", "s2", "s3", "s4", "s5", "s6")
EXAMPLE_KEYS = {"verdict", "template", "says", "message", "runnable"}
# Edits applied to a clean generated report (auditor/rule_examples.py, auditor/sample_report.py).
EDIT_KEYS = {"set", "subtotals", "sentence", "section", "replace", "drop_sections", "drop_rows", "drop_t4",
             "year", "title_year", "period_year", "cut_after", "keep_from", "one_line"}
_RELATIVE = re.compile(r"^[+-]\d+$")


class CatalogueError(Exception):
    """A rule file is malformed; the message names the file and the problem (in Chinese)."""


# ---------------------------------------------------------------- rule


def _check_params(declared: Kind, params: Any, formats: tuple[str, ...], path: Path, rule_id: str) -> None:
    """The rule's [params] against its kind's schema: known names, the required ones present,
    each of its type, and whatever else the kind checks (tables, rows and columns that exist)."""
    where = f"{path}：规则 {rule_id}"
    if not isinstance(params, dict):
        raise CatalogueError(f"{where}：params 应写作 [params] 一节")
    unknown = sorted(set(params) - set(declared.params))
    if unknown:
        allowed = "、".join(declared.params) if declared.params else "（该规则类型没有参数）"
        raise CatalogueError(f"{where}：params 中的 {'、'.join(unknown)} 不是规则类型 {declared.name} 的参数；可用的有：{allowed}")
    missing = [k for k, p in declared.params.items() if p.required and k not in params]
    if missing:
        raise CatalogueError(f"{where}：规则类型 {declared.name} 需要参数 {'、'.join(missing)}（写在 [params] 中）")
    for key, value in params.items():
        problem = declared.params[key].problem(value)
        if problem:
            raise CatalogueError(f"{where}：params.{key} {problem}")
    problem = declared.validate(params, formats) if declared.validate else None
    if problem:
        raise CatalogueError(f"{where}：{problem}")


def _placeholders(template: Any, where: str) -> set[str]:
    """The {names} a message template uses; a template str.format cannot read is an error."""
    if not isinstance(template, str) or not template.strip():
        raise CatalogueError(f"{where} 必须是非空的文字")
    try:
        return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError as exc:  # "{" without "}" and the like
        raise CatalogueError(f"{where} 中的花括号写法有误（{exc}）；要显示花括号本身请写 {{{{ 或 }}}}") from None


def _check_placeholders(declared: Kind, message: Any, params: dict[str, Any], path: Path, rule_id: str) -> None:
    """Every {placeholder} of the message, and of the params that are messages, is a field the
    kind fills: a misspelt one fails here, when the rules load, not in the middle of a batch."""
    templates = [("message", message, declared.fields)]
    templates += [(f"params.{k}", params[k], declared.fields if p.message is True else p.message)
                  for k, p in declared.params.items() if p.message is not False and k in params]
    for key, template, fields in templates:
        unknown = sorted(_placeholders(template, f"{path}：规则 {rule_id} 的 {key}") - set(fields))  # "" is a bare {}
        if unknown:
            named = "、".join("{" + u + "}" for u in unknown)
            allowed = "、".join("{" + f + "}" for f in fields) or "（没有，不能写 {占位}）"
            raise CatalogueError(f"{path}：规则 {rule_id} 的 {key} 中的 {named} 不是规则类型 {declared.name} 提供的内容；"
                                 f"可用的有：{allowed}")


def _rule_from(data: dict[str, Any], path: Path, kinds: dict[str, Kind]) -> Rule:
    unknown = set(data) - RULE_KEYS
    if unknown:
        raise CatalogueError(f"{path}：未知的键 {sorted(unknown)}")
    missing = RULE_KEYS - {"params"} - set(data)
    if missing:
        raise CatalogueError(f"{path}：缺少键 {sorted(missing)}")
    rule_id = data["id"]
    if data["severity"] not in SEVERITIES:
        raise CatalogueError(f"{path}：规则 {rule_id} 的 severity 必须是 {SEVERITIES} 之一，而不是 {data['severity']!r}")
    declared = kinds.get(data["kind"]) if isinstance(data["kind"], str) else None
    if declared is None:
        raise CatalogueError(f"{path}：规则 {rule_id}：未知的规则类型 kind={data['kind']!r}（可用的有：{'、'.join(sorted(kinds))}）")
    formats = data["formats"]
    if not isinstance(formats, list) or not formats or any(str(f) not in ("2019", "2021") for f in formats):
        raise CatalogueError(f"{path}：formats 必须是 \"2019\"、\"2021\" 中的一个或两个，而不是 {formats!r}")
    formats = tuple(str(f) for f in formats)
    params = data.get("params", {})
    _check_params(declared, params, formats, path, rule_id)
    _check_placeholders(declared, data["message"], params, path, rule_id)
    describe_only = declared.described_only is not None  # may have examples with runnable = false
    return Rule(
        id=data["id"],
        title=data["title"],
        severity=data["severity"],
        formats=formats,
        kind=data["kind"],
        message=data["message"],
        params=declared.with_defaults(dict(params)),
        doc=_doc_from(data["doc"], path, formats, describe_only),
        path=str(path),
    )


def _doc_from(doc: Any, path: Path, formats: tuple[str, ...], describe_only: bool) -> RuleDoc:
    if not isinstance(doc, dict):
        raise CatalogueError(f"{path}：[doc] 必须是一个表")
    unknown = set(doc) - DOC_KEYS
    if unknown:
        raise CatalogueError(f"{path}：[doc] 中有未知的键 {sorted(unknown)}（说明只能有 {sorted(DOC_KEYS)}）")
    for key in ("what", "why", "fix"):
        if not isinstance(doc.get(key), str) or not doc[key].strip():
            raise CatalogueError(f"{path}：[doc] 缺少 {key}（须是非空的中文说明）")
    raw = doc.get("examples")
    if not isinstance(raw, list) or not raw:
        raise CatalogueError(f"{path}：[doc] 缺少例子：请用 [[doc.examples]] 写至少一个通过和一个不通过的例子")
    examples = tuple(_example_from(e, f"{path}：第 {i} 个例子（[[doc.examples]]）", formats, describe_only)
                     for i, e in enumerate(raw, start=1))
    verdicts = {e.verdict for e in examples}
    for verdict, word in (("pass", "通过"), ("fail", "不通过")):
        if verdict not in verdicts:
            raise CatalogueError(f"{path}：[doc] 至少要有一个{word}的例子（verdict = \"{verdict}\"）")
    return RuleDoc(doc["what"], doc["why"], doc["fix"], examples)


# ---------------------------------------------------------------- examples


def _example_from(data: Any, where: str, formats: tuple[str, ...], describe_only: bool) -> RuleExample:
    """One [[doc.examples]] entry checked and completed (template defaults to the rule's first
    format). `where` names the entry in error messages."""
    if not isinstance(data, dict):
        raise CatalogueError(f"{where}：必须是一个表")
    unknown = set(data) - EXAMPLE_KEYS - EDIT_KEYS
    if unknown:
        allowed = "、".join(sorted(EXAMPLE_KEYS | EDIT_KEYS))
        raise CatalogueError(f"{where}：未知的键 {'、'.join(sorted(unknown))}（可用的键：{allowed}）")
    verdict = data.get("verdict")
    if verdict not in VERDICTS:
        raise CatalogueError(f"{where}：verdict 必须是 \"pass\"（通过）或 \"fail\"（不通过），而不是 {verdict!r}")
    says = data.get("says")
    if not isinstance(says, str) or not says.strip():
        raise CatalogueError(f"{where}：缺少 says（用中文说明这个例子是什么情况）")
    template = str(data.get("template", formats[0]))
    if template not in formats:
        raise CatalogueError(f"{where}：template = {template!r} 不在本规则适用的格式 {list(formats)} 之中")
    message = data.get("message")
    if message is not None and (not isinstance(message, str) or not message.strip()):
        raise CatalogueError(f"{where}：message 必须是非空的文字（不通过时审查意见应包含的内容）")
    if message is not None and verdict == "pass":
        raise CatalogueError(f"{where}：通过的例子不会产生审查意见，不能写 message")
    runnable = data.get("runnable", True)
    if not isinstance(runnable, bool):
        raise CatalogueError(f"{where}：runnable 必须是 true 或 false，而不是 {runnable!r}")
    edits = {k: v for k, v in data.items() if k in EDIT_KEYS}
    if not runnable:
        if not describe_only:
            raise CatalogueError(f"{where}：runnable = false 只用于跨年度规则和图片页规则（这些例子无法用一份生成的文本报告演示）；"
                                 "本规则的例子必须写出可以运行的改动")
        if edits or message is not None:
            raise CatalogueError(f"{where}：runnable = false 的例子只有 says，不能有改动或 message（{'、'.join(sorted(edits)) or 'message'}）")
    else:
        _check_edits(edits, template, where)
    return RuleExample(verdict, template, says.strip(), edits, message, runnable)


def _check_edits(edits: dict[str, Any], template: str, where: str) -> None:
    spec = format_spec(template)
    for key, value in _table(edits, "set", where).items():
        _check_cell(key, spec, f"{where}：set 中的 {key!r}")
        _check_value(value, f"{where}：set 中 {key!r} 的值")
    for key, value in _table(edits, "subtotals", where).items():
        # "deny.np" = "+1": the printed subtotal off by one in that column; "deny" alone: printed correct.
        group, dot, col = key.partition(".")
        if group not in spec.t3_group_items or (dot and col not in spec.t3_columns):
            raise CatalogueError(f"{where}：subtotals 中的 {key!r} 应为“分类”或“分类.列”，分类是 {'、'.join(spec.t3_group_items)} 之一，"
                                 f"列是 {'、'.join(spec.t3_columns)} 之一（{template} 年格式）")
        _check_value(value, f"{where}：subtotals 中 {key!r} 的值", text_allowed=False)
    if "sentence" in edits and (not isinstance(edits["sentence"], str) or not edits["sentence"].strip()):
        raise CatalogueError(f"{where}：sentence 必须是非空的一句话")
    if "section" in edits:
        if "sentence" not in edits:
            raise CatalogueError(f"{where}：section 只说明 sentence 加在哪一部分，没有 sentence 时不能单独写")
        if edits["section"] not in SECTION_IDS:
            raise CatalogueError(f"{where}：section 必须是 {'、'.join(SECTION_IDS)} 之一，而不是 {edits['section']!r}")
    if "replace" in edits:
        pairs = edits["replace"]
        if not isinstance(pairs, list) or not pairs or not all(
                isinstance(p, list) and len(p) == 2 and all(isinstance(s, str) for s in p) and p[0] for p in pairs):
            raise CatalogueError(f"{where}：replace 应为 [[\"原文\", \"改为\"], …]，原文不能为空")
    if "cut_after" in edits and (not isinstance(edits["cut_after"], str) or not edits["cut_after"].strip()):
        raise CatalogueError(f"{where}：cut_after 必须是报告中的一段文字（文本在它之后截断）")
    if "keep_from" in edits and (not isinstance(edits["keep_from"], str) or not edits["keep_from"].strip()):
        raise CatalogueError(f"{where}：keep_from 必须是报告中的一段文字（文本从它开始）")
    if "one_line" in edits and not isinstance(edits["one_line"], bool):
        raise CatalogueError(f"{where}：one_line 必须是 true 或 false")
    _check_ids(edits, "drop_sections", SECTION_IDS, where)
    _check_ids(edits, "drop_rows", tuple(spec.t3_rows), where)
    if "drop_t4" in edits and not isinstance(edits["drop_t4"], bool):
        raise CatalogueError(f"{where}：drop_t4 必须是 true 或 false")
    for key in ("year", "title_year", "period_year"):
        value = edits.get(key)
        if key in edits and (not isinstance(value, int) or isinstance(value, bool) or not 1990 <= value <= 2100):
            raise CatalogueError(f"{where}：{key} 必须是四位年份（整数），而不是 {value!r}")


def _table(edits: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    if key in edits and (not isinstance(edits[key], dict) or not edits[key]):
        raise CatalogueError(f"{where}：{key} 应为非空的表，如 {key} = {{ \"t3.carried.np\" = 35 }}")
    return edits.get(key, {})


def _check_cell(key: str, spec, where: str) -> None:
    """t3.<row>.<col> | t4.<block>.<col> | t2.<block>.<row>.<col>, ids of templates.json."""
    parts = key.split(".")
    ok = False
    if parts[0] == "t3" and len(parts) == 3:
        ok = parts[1] in spec.t3_rows and parts[2] in spec.t3_columns
    elif parts[0] == "t4" and len(parts) == 3:
        ok = parts[1] in spec.t4_blocks and parts[2] in spec.t4_columns
    elif parts[0] == "t2" and len(parts) == 4:
        block = next((b for b in spec.t2_blocks if b.id == parts[1]), None)
        ok = block is not None and parts[2] in block.rows and parts[3] in block.columns
    if not ok:
        raise CatalogueError(f"{where} 不是 {spec.id} 年格式中的单元格：应为 t3.行.列、t4.栏.列 或 t2.块.行.列，"
                             "编号见 auditor/templates.json（如 t3.carried.np、t4.review.total、t2.art20_1.regulations."
                             f"{next(iter(spec.t2_blocks[0].columns))}）")


def _check_value(value: Any, where: str, text_allowed: bool = True) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise CatalogueError(f"{where} 应为数字、\"+n\"/\"-n\" 或印在表中的文字，而不是 {value!r}")
    if isinstance(value, str) and not text_allowed and not _RELATIVE.match(value):
        raise CatalogueError(f"{where} 应为数字或 \"+n\"/\"-n\"，而不是 {value!r}")


def is_relative(value: Any) -> bool:
    """"+2" / "-1": a change of the generated value rather than a value."""
    return isinstance(value, str) and bool(_RELATIVE.match(value))


def _check_ids(edits: dict[str, Any], key: str, allowed: tuple[str, ...], where: str) -> None:
    if key not in edits:
        return
    value = edits[key]
    if not isinstance(value, list) or not value or any(v not in allowed for v in value):
        raise CatalogueError(f"{where}：{key} 应为非空列表，每项是 {'、'.join(allowed)} 之一，而不是 {value!r}")


# ---------------------------------------------------------------- catalogue


def load_catalogue(extra_dirs: Iterable[Path] = ()) -> list[Rule]:
    """The rules of rules/ and of any extra folders, sorted by id. Parsing them takes a few
    milliseconds, as long as auditing a text report, so the last catalogue is kept and given
    again while the files' bytes are the same (`audit_file(path)` loads it on every call)."""
    files = [path for folder in [rules_dir(), *extra_dirs] for path in sorted(Path(folder).glob("*.toml"))]
    try:
        contents = tuple((path, path.read_bytes()) for path in files)
    except OSError:
        contents = None  # _parse_catalogue says which file and why
    global _last_catalogue
    if contents is None or _last_catalogue[0] != contents:
        rules = _parse_catalogue(files)
        if contents is None:
            return rules
        _last_catalogue = (contents, rules)
    return list(_last_catalogue[1])


_last_catalogue: tuple[Optional[tuple], list[Rule]] = (None, [])


def _parse_catalogue(files: list[Path]) -> list[Rule]:
    kinds = registered_kinds()
    rules: dict[str, Rule] = {}
    for path in files:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8-sig"))  # Notepad writes a BOM
        except tomllib.TOMLDecodeError as exc:
            raise CatalogueError(f"{path}：TOML 格式错误（{exc}）") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise CatalogueError(f"{path}：无法读取（{exc}）；规则文件须为 UTF-8 编码的 TOML") from None
        rule = _rule_from(data, path, kinds)
        if rule.id in rules:
            raise CatalogueError(f"{path}：规则编号 {rule.id} 与 {rules[rule.id].path} 重复")
        rules[rule.id] = rule
    return sorted(rules.values(), key=lambda r: r.id)
