"""The office's roster of units (units.csv): who must publish a report, at which level, under
which parent, when it was published and whether it is a roll-up (汇总) of its children.

    单位,层级,上级,发布日期,汇总
    洪泽区人民政府,县级政府,淮安市人民政府,2025-03-20,是
    洪泽区民政局,部门,洪泽区人民政府,2025-01-25,否

English headers (unit, level, parent, published, rollup) are accepted too. The file may be
UTF-8 with or without BOM, or GBK/GB18030 as Excel saves a CSV on a Chinese Windows. A roster
the run cannot use stops it with a message naming the file and the line (exit 2).

Reports are matched to units by a normalised name (auditor.year_record.agency_key: "淮安市洪泽区
人民政府" and "洪泽区人民政府" are one unit), else by the unit's name in the report's title or
file name.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Optional

import regex as re

from .year_record import agency_key

HEADERS = {  # column → the names a roster may give it
    "unit": ("单位", "单位名称", "机关", "unit", "name"),
    "level": ("层级", "级别", "level"),
    "parent": ("上级", "上级单位", "parent"),
    "published": ("发布日期", "公布日期", "published"),
    "rollup": ("汇总", "是否汇总", "rollup"),
}
REQUIRED = ("unit", "level", "parent")
_YES = {"是", "y", "yes", "true", "1", "汇总"}
_NO = {"否", "n", "no", "false", "0", ""}
_DATE = re.compile(r"^\s*(\d{4})\s*(?:[-/.年])\s*(\d{1,2})\s*(?:[-/.月])\s*(\d{1,2})\s*日?\s*(?:\d{1,2}:\d{2}(?::\d{2})?)?\s*$")


class RosterError(Exception):
    """The roster cannot be used; the message names the file and the line (in Chinese)."""


@dataclass(frozen=True)
class Unit:
    name: str
    level: str
    parent: Optional[str]
    published: Optional[dt.date]
    rollup: bool
    line: int  # in the roster file, for messages

    @property
    def key(self) -> str:
        return agency_key(self.name)


@dataclass
class Roster:
    path: Optional[Path]
    units: list[Unit]
    _by_key: dict[str, Unit] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._by_key = {u.key: u for u in self.units}

    def unit(self, name: str) -> Optional[Unit]:
        return self._by_key.get(agency_key(name)) if name else None

    def children(self, unit: Unit) -> list[Unit]:
        return [u for u in self.units if u.parent and agency_key(u.parent) == unit.key]

    def match(self, agency: Optional[str], title: Optional[str], path: str) -> Optional[Unit]:
        """The unit a report belongs to: by its agency's normalised name, else the longest unit
        name written in its title or file name."""
        found = self.unit(agency or "")
        if found is not None:
            return found
        texts = [_compact(title or ""), _compact(PurePath(path.replace("\\", "/")).name)]
        hits = [u for u in self.units if any(u.key and u.key in t for t in texts)]
        return max(hits, key=lambda u: len(u.key), default=None)


def _compact(text: str) -> str:
    return agency_key(text) if text else ""


def parse_date(text: str) -> Optional[dt.date]:
    """2025-01-20, 2025/1/20, 2025.1.20, 2025年1月20日 (a time after it is ignored); None if not a date."""
    m = _DATE.match(text or "")
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _decode(raw: bytes, path: Path) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RosterError(f"名册 {path} 既不是 UTF-8 也不是 GBK 编码，无法读取；请在 Excel 中另存为“CSV UTF-8（逗号分隔）”")


def load_roster(path: str | Path) -> Roster:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise RosterError(f"名册文件 {path} 不存在") from None
    except OSError as exc:
        raise RosterError(f"名册文件 {path} 无法读取（{exc.strerror or exc}）") from None
    rows = list(csv.reader(io.StringIO(_decode(raw, path))))
    while rows and not any(cell.strip() for cell in rows[0]):
        rows.pop(0)
    if not rows:
        raise RosterError(f"名册 {path} 是空的；第一行应为表头：单位,层级,上级,发布日期,汇总")
    columns = _columns(rows[0], path)
    units: list[Unit] = []
    seen: dict[str, Unit] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        unit = _unit(row, columns, path, number)
        if unit.key in seen:
            raise RosterError(f"名册 {path} 第 {number} 行：单位“{unit.name}”与第 {seen[unit.key].line} 行"
                              f"“{seen[unit.key].name}”是同一单位，请删去其中一行")
        seen[unit.key] = unit
        units.append(unit)
    if not units:
        raise RosterError(f"名册 {path} 只有表头，没有单位")
    return Roster(path, units)


def _columns(header: list[str], path: Path) -> dict[str, int]:
    names = [cell.strip().lower() for cell in header]
    columns: dict[str, int] = {}
    for column, aliases in HEADERS.items():
        at = [i for i, name in enumerate(names) if name in aliases]
        if len(at) > 1:
            raise RosterError(f"名册 {path} 第 1 行：表头中“{header[at[1]]}”重复")
        if at:
            columns[column] = at[0]
    missing = [HEADERS[c][0] for c in REQUIRED if c not in columns]
    if missing:
        raise RosterError(f"名册 {path} 第 1 行（表头）缺少列：{'、'.join(missing)}。表头应为：单位,层级,上级,发布日期,汇总"
                          f"（发布日期、汇总可省略；也可用英文 unit,level,parent,published,rollup），而现在是：{','.join(header)}")
    return columns


def _unit(row: list[str], columns: dict[str, int], path: Path, number: int) -> Unit:
    def cell(column: str) -> str:
        at = columns.get(column)
        return row[at].strip() if at is not None and at < len(row) else ""

    where = f"名册 {path} 第 {number} 行"
    name = cell("unit")
    if not name:
        raise RosterError(f"{where}：“单位”为空，请填写单位全称或删去这一行")
    level = cell("level")
    if not level:
        raise RosterError(f"{where}（{name}）：“层级”为空，请填写如“部门”“县级政府”“乡镇”")
    published_text = cell("published")
    published = parse_date(published_text) if published_text else None
    if published_text and published is None:
        raise RosterError(f"{where}（{name}）：发布日期“{published_text}”不是日期，请写作 2025-01-20 或 2025年1月20日")
    rollup_text = cell("rollup").lower()
    if rollup_text not in _YES | _NO:
        raise RosterError(f"{where}（{name}）：汇总应填“是”或“否”（或留空），而不是“{cell('rollup')}”")
    return Unit(name, level, cell("parent") or None, published, rollup_text in _YES, number)
