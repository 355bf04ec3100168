"""Office settings without code: `auditor.toml`, or `[tool.auditor]` in pyproject.toml.

    select = ["T3-", "T4-", "YEAR-BODY"]   # only these rules (ids or prefixes)
    ignore = ["NARR-PARTS-SUM"]            # not these (ids or prefixes)
    tolerance = 1                          # arithmetic tolerance of identity rules
    rules = ["本地规则"]                    # extra rule folders, relative to this file
    suppressions = "豁免.toml"              # suppression file, relative to this file

    [severity]                             # rule id (or prefix) → error | warning | info
    "NARR-PARTS-SUM" = "info"

The file is looked up in the current folder, then in each parent folder; the first found
wins (a pyproject.toml without [tool.auditor] does not count). The settings turn the
catalogue into the effective one the pipeline gets: rules are frozen, so each changed rule
is a copy (dataclasses.replace).
"""
from __future__ import annotations

import datetime as dt
import math
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Optional

from .engine import Rule
from .engine.kind import kind_named
from .labels import SEVERITY_LABELS
from .model import SEVERITIES

CONFIG_FILE = "auditor.toml"
PYPROJECT = "pyproject.toml"
CONFIG_KEYS = ("select", "ignore", "severity", "tolerance", "rules", "suppressions", "deadlines", "params")


class ConfigError(Exception):
    """The settings cannot be used; the message names the file and the key (in Chinese)."""


@dataclass(frozen=True)
class Config:
    path: Optional[Path] = None  # None: no configuration file, the catalogue as shipped
    where: str = ""  # the file (and table) for messages: "x/pyproject.toml [tool.auditor]"
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: dict[str, str] = field(default_factory=dict)
    tolerance: Optional[float] = None
    rules: tuple[Path, ...] = ()  # absolute folders
    suppressions: Optional[Path] = None
    # Local publication deadlines (PUB-DEADLINE): level, unit name or 部门/政府/乡镇 → (month, day)
    deadlines: dict[str, tuple[int, int]] = field(default_factory=dict)
    # [params."XYEAR-COPIED-TEXT"] threshold = 0.6: a rule's own parameters, changed (existing keys only)
    params: dict[str, dict[str, Any]] = field(default_factory=dict)


# ---------------------------------------------------------------- finding and reading


def find_config(start: Optional[Path] = None) -> Optional[Path]:
    """auditor.toml, or a pyproject.toml with [tool.auditor], in `start` or the nearest parent."""
    start = (start or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        own = folder / CONFIG_FILE
        if own.is_file():
            return own
        pyproject = folder / PYPROJECT
        if pyproject.is_file() and "auditor" in _read_toml(pyproject, pyproject).get("tool", {}):
            return pyproject
    return None


def load_config(path: Optional[Path] = None, start: Optional[Path] = None) -> Config:
    """The settings in `path`, or in the file find_config finds; Config() when there is none."""
    if path is None:
        path = find_config(start)
        if path is None:
            return Config()
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"配置文件 {path} 不存在")
    data = _read_toml(path, path)
    where = str(path)
    if path.name == PYPROJECT:
        data = data.get("tool", {}).get("auditor")
        where = f"{path} [tool.auditor]"
        if not isinstance(data, dict):
            raise ConfigError(f"{path} 中没有 [tool.auditor] 一节；请在其中写审查设置，或改用 {CONFIG_FILE}")
    return _config_from(data, path, where)


def _read_toml(path: Path, shown: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8-sig"))  # Notepad writes a BOM
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"配置文件 {shown} 无法读取（{exc}）；请保存为 UTF-8 编码") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"配置文件 {shown} 不是有效的 TOML（{exc}）") from None


def _config_from(data: dict[str, Any], path: Path, where: str) -> Config:
    unknown = sorted(set(data) - set(CONFIG_KEYS))
    if unknown:
        raise ConfigError(f"配置文件 {where}：未知的键 {'、'.join(unknown)}（可用的键：{'、'.join(CONFIG_KEYS)}）")
    base = path.resolve().parent
    return Config(
        path=path,
        where=where,
        select=_names(data, "select", where),
        ignore=_names(data, "ignore", where),
        severity=_severities(data, where),
        tolerance=_tolerance(data, where),
        rules=_folders(data, base, where),
        suppressions=_suppression_file(data, base, where),
        deadlines=_deadlines(data, where),
        params=_params(data, where),
    )


def _names(data: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"配置文件 {where}：{key} 应为规则编号或前缀的列表，如 {key} = [\"T3-\", \"YEAR-BODY\"]，"
                          f"而不是 {value!r}")
    return tuple(v.strip().upper() for v in value)


_SEVERITY_WORDS = [f"{s}（{SEVERITY_LABELS[s]}）" for s in SEVERITIES]
_SEVERITY_CHOICES = "、".join(_SEVERITY_WORDS[:-1]) + "或 " + _SEVERITY_WORDS[-1]  # error（错误）、warning（警告）或 info（提示）


def _severities(data: dict[str, Any], where: str) -> dict[str, str]:
    value = data.get("severity", {})
    if not isinstance(value, dict):
        raise ConfigError(f"配置文件 {where}：severity 应为一节 [severity]，每行写 \"规则编号\" = \"error\"、\"warning\" 或 \"info\"")
    for rule_id, level in value.items():
        if level not in SEVERITIES:
            raise ConfigError(f"配置文件 {where}：severity 中 {rule_id} 的级别应为 {_SEVERITY_CHOICES}，"
                              f"而不是 {level!r}")
    return {k.strip().upper(): v for k, v in value.items()}


def _tolerance(data: dict[str, Any], where: str) -> Optional[float]:
    if "tolerance" not in data:
        return None
    value = data["tolerance"]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        raise ConfigError(f"配置文件 {where}：tolerance 应为不小于 0 的数（如 tolerance = 1，允许表格合计差 1），而不是 {value!r}")
    return float(value)


def _folders(data: dict[str, Any], base: Path, where: str) -> tuple[Path, ...]:
    value = data.get("rules", [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"配置文件 {where}：rules 应为规则文件夹的列表，如 rules = [\"本地规则\"]，而不是 {value!r}")
    folders = tuple(base / v for v in value)
    for given, folder in zip(value, folders):
        if not folder.is_dir():
            raise ConfigError(f"配置文件 {where}：rules 中的文件夹 {given!r} 不存在（相对于配置文件所在的 {base}）")
    return folders


def _suppression_file(data: dict[str, Any], base: Path, where: str) -> Optional[Path]:
    if "suppressions" not in data:
        return None
    value = data["suppressions"]
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"配置文件 {where}：suppressions 应为豁免文件的路径，如 suppressions = \"豁免.toml\"，而不是 {value!r}")
    target = base / value
    if not target.is_file():
        raise ConfigError(f"配置文件 {where}：suppressions 指向的豁免文件 {value!r} 不存在（相对于配置文件所在的 {base}）")
    return target


_MONTH_DAY = re.compile(r"^\s*(\d{1,2})\s*(?:-|/|月)\s*(\d{1,2})\s*日?\s*$")


def _deadlines(data: dict[str, Any], where: str) -> dict[str, tuple[int, int]]:
    """[deadlines] "部门" = "01-25": the date (in the year after the report's) by which a level,
    or a unit named in the roster, must publish."""
    value = data.get("deadlines", {})
    if not isinstance(value, dict):
        raise ConfigError(f"配置文件 {where}：deadlines 应为一节 [deadlines]，每行写 \"部门\" = \"01-25\"（层级、单位名称，"
                          "或 部门/政府/乡镇）")
    out = {}
    for name, text in value.items():
        m = _MONTH_DAY.match(text) if isinstance(text, str) else None
        try:
            out[name.strip()] = (int(m.group(1)), int(m.group(2)))
            dt.date(2024, *out[name.strip()])  # a leap year: 02-29 is allowed
        except (AttributeError, ValueError):
            raise ConfigError(f"配置文件 {where}：deadlines 中 {name} 的日期应写作 \"01-25\" 或 \"1月25日\"，而不是 {text!r}") from None
    return out


def _params(data: dict[str, Any], where: str) -> dict[str, dict[str, Any]]:
    value = data.get("params", {})
    if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
        raise ConfigError(f"配置文件 {where}：params 应写作 [params.\"规则编号\"] 一节，如 [params.\"XYEAR-COPIED-TEXT\"] "
                          "下写 threshold = 0.6")
    return {k.strip().upper(): dict(v) for k, v in value.items()}


def _check_params(catalogue: list[Rule], config: Config) -> None:
    """Each [params."RULE"] names a rule and params its kind takes, each of the declared type
    (the same contract the rule files are checked against, engine/kind.py)."""
    by_id = {r.id: r for r in catalogue}
    for rule_id, params in config.params.items():
        rule = by_id.get(rule_id)
        if rule is None:
            raise ConfigError(f"配置文件 {config.where}：params 中的 {rule_id!r} 不是规则编号（auditor rules 列出全部规则）")
        declared = kind_named(rule.kind)
        for key, value in params.items():
            param = declared.params.get(key)
            if param is None:
                known = "、".join(declared.params) or "（该规则没有参数）"
                raise ConfigError(f"配置文件 {config.where}：规则 {rule_id} 没有参数 {key!r}；可用的参数：{known}")
            if param.message is not False:  # wording is the rule file's, where its {placeholders} are checked
                raise ConfigError(f"配置文件 {config.where}：规则 {rule_id} 的参数 {key} 是提示文字，不能在配置中修改；"
                                  "请复制规则文件到本地规则包中修改（见 README“本地规则包”）")
            problem = param.problem(value)
            if problem:
                raise ConfigError(f"配置文件 {config.where}：规则 {rule_id} 的参数 {key} {problem}")
        problem = declared.validate({**rule.params, **params}, rule.formats) if declared.validate else None
        if problem:
            raise ConfigError(f"配置文件 {config.where}：规则 {rule_id} 的 {problem}")


# ---------------------------------------------------------------- the effective catalogue


def matches(rule_id: str, name: str) -> bool:
    """A rule id, or a prefix of ids: "T3-" and "T3" both name T3-BALANCE, T3-ROW-TOTAL, …"""
    name = name.upper()
    return rule_id == name or rule_id.startswith(name if name.endswith("-") else name + "-")


def apply_config(catalogue: list[Rule], config: Config) -> list[Rule]:
    """The rules the pipeline runs: selected, not ignored, with the configured severities and
    tolerance. Names that match no rule are errors: a typo must not silently drop a setting."""
    ids = [r.id for r in catalogue]
    for key, names in (("select", config.select), ("ignore", config.ignore), ("severity", tuple(config.severity))):
        _check_names(names, ids, key, config.where)
    _check_params(catalogue, config)
    chosen = [r for r in catalogue
              if (not config.select or _any_match(r.id, config.select)) and not _any_match(r.id, config.ignore)]
    if not chosen:
        raise ConfigError(f"配置文件 {config.where}：按 select 和 ignore 选择后没有剩下任何规则，请检查这两个键")
    return [_configured(r, config) for r in chosen]


def _any_match(rule_id: str, names: Iterable[str]) -> bool:
    return any(matches(rule_id, n) for n in names)


def _check_names(names: Iterable[str], ids: list[str], key: str, where: str) -> None:
    for name in names:
        if not any(matches(i, name) for i in ids):
            raise ConfigError(f"配置文件 {where}：{key} 中的 {name!r} 不是任何规则的编号或前缀。"
                              f"可用的规则：{'、'.join(ids)}（auditor rules 列出全部规则）")


def _configured(rule: Rule, config: Config) -> Rule:
    severity = _severity_of(rule.id, config.severity) or rule.severity
    params = rule.params
    if config.tolerance is not None and _takes_tolerance(rule) and "tolerance" not in params:
        params = {**params, "tolerance": config.tolerance}  # the rule's own tolerance wins
    if rule.id in config.params:
        params = {**params, **config.params[rule.id]}
    if severity == rule.severity and params is rule.params:
        return rule
    return replace(rule, severity=severity, params=params)


def _takes_tolerance(rule: Rule) -> bool:
    """The rule's kind checks sums that a tolerance loosens (it declares the param)."""
    declared = kind_named(rule.kind)
    return declared is not None and "tolerance" in declared.params


def _severity_of(rule_id: str, levels: dict[str, str]) -> Optional[str]:
    """The level of the most specific name that matches: an exact id beats a prefix."""
    named = [(len(name), level) for name, level in levels.items() if matches(rule_id, name)]
    return max(named)[1] if named else None
