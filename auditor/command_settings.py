"""What a command runs with: the configuration in force and the rule catalogue (shipped
rules, local packs), or a Chinese message and exit 2 when either cannot be used. Shared by
`auditor check` and `auditor serve`."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Iterable, NoReturn, Optional

import click

from .config import Config, ConfigError, apply_config, load_config
from .engine import CatalogueError, Rule, load_catalogue


def colour() -> Optional[bool]:
    """None lets click colour a terminal and print plain text into a pipe or file; NO_COLOR
    (any value, see no-color.org) turns colour off everywhere."""
    return False if os.environ.get("NO_COLOR") else None


def note(text: str) -> None:
    """A line about the run itself (configuration, outputs), on stderr: stdout stays the findings."""
    click.echo(text, err=True, color=colour())


def usage_error(message: str) -> NoReturn:
    """A setting, rule pack or suppression file the run cannot use: say why, exit 2."""
    click.echo(message, err=True)
    sys.exit(2)


def settings(config_file: Optional[Path], rule_dirs: Iterable[Path]) -> tuple[Config, list[Rule]]:
    """The configuration and the whole catalogue (shipped rules, the configuration's rule
    folders, then --rules folders)."""
    try:
        config = load_config(config_file)
    except ConfigError as exc:
        usage_error(str(exc))
    if config.path is not None:
        note(f"使用配置 {config.where}")
    for folder in rule_dirs:
        if not folder.is_dir():
            usage_error(f"--rules 指定的规则文件夹 {folder} 不存在")
    try:
        return config, load_catalogue([*config.rules, *rule_dirs])
    except CatalogueError as exc:
        usage_error(f"规则目录有误：{exc}")


def effective_rules(config: Config, catalogue: list[Rule]) -> list[Rule]:
    try:
        return apply_config(catalogue, config)
    except ConfigError as exc:
        usage_error(str(exc))
