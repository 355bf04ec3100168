"""The office's roster (--roster units.csv): encodings and headers Excel writes, and a roster the
run cannot use stopping it with a message that names the file and the line."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from auditor.roster import RosterError, load_roster
from tests.support.paths import FIXTURES

OFFICE = FIXTURES / "office"
ROSTER = "单位,层级,上级,发布日期,汇总\n甲县人民政府,县级政府,,2025年3月20日,是\n甲县民政局,部门,甲县人民政府,2025/1/20,否\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_a_roster_saved_by_excel_in_any_of_its_encodings(tmp_path, encoding):
    path = tmp_path / "units.csv"
    path.write_bytes(ROSTER.encode(encoding))
    roster = load_roster(path)
    assert [(u.name, u.level, u.parent, u.published, u.rollup) for u in roster.units] == [
        ("甲县人民政府", "县级政府", None, dt.date(2025, 3, 20), True),
        ("甲县民政局", "部门", "甲县人民政府", dt.date(2025, 1, 20), False)]
    assert roster.children(roster.units[0]) == [roster.units[1]]


def test_english_headers_and_optional_columns(tmp_path):
    path = tmp_path / "units.csv"
    path.write_text("unit,level,parent\n淮安市甲县民政局,部门,甲县人民政府\n", encoding="utf-8")
    roster = load_roster(path)
    assert roster.units[0].published is None and not roster.units[0].rollup
    assert roster.match("甲县民政局", None, "x.txt").name == "淮安市甲县民政局"  # the normalised name
    assert roster.match(None, None, "报告/甲县民政局2024年年报.pdf").name == "淮安市甲县民政局"  # by file name


@pytest.mark.parametrize("text,says", [
    ("名称,级别\n甲县民政局,部门\n", "第 1 行（表头）缺少列：单位、上级"),
    ("单位,层级,上级\n,部门,甲县人民政府\n", "第 2 行：“单位”为空"),
    ("单位,层级,上级,发布日期\n甲县民政局,部门,甲县人民政府,一月底\n", "第 2 行（甲县民政局）：发布日期“一月底”不是日期"),
    ("单位,层级,上级,汇总\n甲县民政局,部门,甲县人民政府,也许\n", "汇总应填“是”或“否”"),
    ("单位,层级,上级\n甲县民政局,部门,\n淮安市甲县民政局,部门,\n", "第 3 行：单位“淮安市甲县民政局”与第 2 行“甲县民政局”是同一单位"),
    ("单位,层级,上级\n甲县民政局,,\n", "第 2 行（甲县民政局）：“层级”为空"),
])
def test_a_bad_roster_is_a_usage_error_naming_file_and_line(run_cli, tmp_path, text, says):
    path = tmp_path / "units.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RosterError, match=says):
        load_roster(path)
    code, out = run_cli("check", OFFICE / "甲县民政局-2024.txt", "-o", tmp_path / "out", "--roster", path)
    assert code == 2 and says in out and str(path) in out


def test_a_missing_or_unreadable_roster_is_a_usage_error(run_cli, tmp_path):
    code, out = run_cli("check", OFFICE / "甲县民政局-2024.txt", "--roster", tmp_path / "无此文件.csv")
    assert code == 2 and "名册文件" in out and "不存在" in out
    (tmp_path / "bad.csv").write_bytes(b"\xff\xfe\x00\xd8\x00\x00garbage\x81")
    code, out = run_cli("check", OFFICE / "甲县民政局-2024.txt", "--roster", tmp_path / "bad.csv")
    assert code == 2 and "名册" in out


def test_a_bad_published_date_is_a_usage_error(run_cli):
    code, out = run_cli("check", OFFICE / "甲县民政局-2024.txt", "--published", "明天")
    assert code == 2 and "--published" in out


def test_published_on_the_command_line_is_the_strongest_evidence(audit_json, run_cli):
    import json

    code, out = run_cli("check", OFFICE / "甲县民政局-2024.txt", "--format", "json", "--published", "2025-02-05",
                        "--fail-on", "never")
    late = [f for f in json.loads(out)["findings"] if f["rule"] == "PUB-DEADLINE"]
    assert [(f["severity"], "命令行 --published 给出的发布日期为 2025年2月5日" in f["message"]) for f in late] == [("error", True)]


def test_local_deadlines_from_the_configuration(run_cli, tmp_path):
    import json

    (tmp_path / "auditor.toml").write_text('[deadlines]\n"部门" = "01-15"\n', encoding="utf-8")
    code, out = run_cli("check", OFFICE / "甲县民政局-2024.txt", "--format", "json", "--fail-on", "never",
                        "--config", tmp_path / "auditor.toml")
    lines = out.splitlines()  # the runner mixes in stderr: "使用配置 …" comes first
    assert lines[0].startswith("使用配置")
    late = [f for f in json.loads(lines[-1])["findings"] if f["rule"] == "PUB-DEADLINE"]
    assert len(late) == 1 and "本地规定" in late[0]["message"] and "2025年1月15日" in late[0]["message"]
    (tmp_path / "auditor.toml").write_text('[deadlines]\n"部门" = "13-45"\n', encoding="utf-8")
    code, out = run_cli("check", OFFICE / "甲县民政局-2024.txt", "--config", tmp_path / "auditor.toml")
    assert code == 2 and "deadlines" in out


def test_the_copied_text_threshold_is_set_in_the_configuration(run_cli, tmp_path):
    from auditor.config import ConfigError, apply_config, load_config
    from auditor.engine import load_catalogue

    (tmp_path / "auditor.toml").write_text('[params."XYEAR-COPIED-TEXT"]\nthreshold = 0.3\n', encoding="utf-8")
    rules = {r.id: r for r in apply_config(load_catalogue(), load_config(tmp_path / "auditor.toml"))}
    assert rules["XYEAR-COPIED-TEXT"].params["threshold"] == 0.3
    for bad, says in (('[params."XYEAR-COPIED-TEXT"]\nlimit = 0.3\n', "没有参数 'limit'"),
                      ('[params."XYEAR-COPIED-TEXT"]\nthreshold = "高"\n', "应为数"),
                      ('[params."NO-SUCH-RULE"]\nthreshold = 0.3\n', "不是规则编号")):
        (tmp_path / "auditor.toml").write_text(bad, encoding="utf-8")
        with pytest.raises(ConfigError, match=says):
            apply_config(load_catalogue(), load_config(tmp_path / "auditor.toml"))
        code, out = run_cli("check", OFFICE / "甲县民政局-2024.txt", "--config", tmp_path / "auditor.toml")
        assert code == 2 and says.strip("'") in out


def test_the_year_under_review_is_the_batch_s_commonest():
    from auditor.engine.kinds.office import Submission
    from auditor.office import review_year

    subs = [Submission(f"{i}.txt", None, "", None, year, None) for i, year in enumerate([2024, 2024, 2023, 2025, None])]
    assert review_year(subs, None) == 2024 and review_year(subs, 2023) == 2023
    assert review_year(subs[2:4], None) == 2025 and review_year([], None) is None


def test_the_dashboard_ranks_only_thirty_reports_or_more():
    from auditor.indicators import ranks
    from auditor.render.dashboard import ReportRow, render_index

    def page(n: int) -> str:
        rows = [ReportRow(f"r{i}.txt", f"r{i}.html", f"单位{i}", 2024, "txt", "2021", level="部门", parent="乙县人民政府",
                          indicators={"disclosed": i / 100}) for i in range(n)]
        for row, rank in zip(rows, ranks([r.indicators["disclosed"] for r in rows])):
            row.rank = rank
        return render_index(rows)

    few, many = page(29), page(30)
    assert "实质公开率位次" not in few and "不排名次" in few
    assert "实质公开率位次</th>" in many and "按实质公开率从高到低排列" in many
    assert '<option value="乙县人民政府">' in many and '<option value="部门">' in many
