"""The Kind contract (auditor/engine/kind.py): every kind registered with its scope, params and
message fields; rules checked against it when they load (a local pack's mistake is exit 2
naming the file, the rule and the key); `auditor rules --test` running a pack's examples."""
from __future__ import annotations

import importlib
import json
import re
import sys
import tempfile
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from auditor import audit_file
from auditor.engine import CatalogueError, load_catalogue
from auditor.engine import kind as kind_module
from auditor.engine.kind import SCOPES, kind_named, registered_kinds
from auditor.sample_report import render, sample_report
from tests.support.paths import ROOT
from tests.support.rule_packs import t3_total_rule, write_pack

EXAMPLE_PACK = ROOT / "example-rule-pack"
README = ROOT / "README.md"

BASE_RULE = t3_total_rule(
    "LOCAL-T3-NEW", "本市：本年新收加上年结转等于办理结果总计",
    "warning", '["2021"]',
    "{table}“{line}”列：{left_terms} = {left_sum}，而 {right_terms} = {right_sum}，相差 {diff}。",
    '''[doc]
what = "表三总计列：本年新收加上年结转等于办理结果总计。"
why = "本市要求当年办结。"
fix = "办结结转的申请。"

[[doc.examples]]
verdict = "pass"
says = "结转的申请改为当年办结。"
set = { "t3.carry_fwd.tot" = 0, "t3.handled_total.tot" = "+36" }

[[doc.examples]]
verdict = "fail"
says = "有申请结转下年度。"
message = "相差 36"
''')


# ---------------------------------------------------------------- the registry


def test_every_kind_declares_a_scope_docs_and_fields_and_every_shipped_rule_names_a_kind():
    catalogue = load_catalogue()  # loading validates every shipped rule against its kind
    kinds = registered_kinds()
    assert {rule.kind for rule in catalogue} <= set(kinds)
    for declared in kinds.values():
        assert declared.scope in SCOPES, declared.name
        assert declared.doc, f"kind {declared.name} says nowhere what it checks"
        assert declared.fields, f"kind {declared.name} declares no message fields"
    used = {rule.kind for rule in catalogue}
    assert set(kinds) <= used, f"kinds no shipped rule uses: {sorted(set(kinds) - used)}"


def test_every_shipped_message_param_uses_only_the_names_its_kind_fills():
    from auditor.engine.catalogue import _placeholders

    for rule in load_catalogue():
        declared = kind_named(rule.kind)
        for key, param in declared.params.items():
            if param.message is not False and key in rule.params:
                names = declared.fields if param.message is True else param.message
                assert _placeholders(rule.params[key], rule.id) <= set(names), (rule.id, key)


def test_year_over_year_and_office_kinds_are_declared_with_their_scopes():
    scopes = {name: kind_named(name).scope for name in ("carry_over", "valid_documents", "copied_text",
                                                         "publication_deadline", "unit_name", "roster_missing",
                                                         "duplicate_unit_year", "rollup_sum", "pinpoint",
                                                         "blank_cells", "identity")}
    assert scopes == {"carry_over": "pair", "valid_documents": "pair", "copied_text": "pair",
                      "publication_deadline": "office", "unit_name": "office", "roster_missing": "batch",
                      "duplicate_unit_year": "batch", "rollup_sum": "batch", "pinpoint": "catalogue",
                      "blank_cells": "catalogue", "identity": "report"}


def test_a_param_default_is_given_to_rules_that_leave_it_out(tmp_path):
    copied = next(r for r in load_catalogue() if r.kind == "copied_text")
    text = Path(copied.path).read_text(encoding="utf-8")
    pack = write_pack(tmp_path / "pack", {"LOCAL-COPY.toml": text.replace(copied.id, "LOCAL-COPY")
                                     .replace("threshold = 0.5\n", "")})
    local = next(r for r in load_catalogue([pack]) if r.id == "LOCAL-COPY")
    assert "threshold = 0.5" in text and local.params["threshold"] == 0.5


# ---------------------------------------------------------------- a new kind: one decorated function


TOY_KIND = '''
from auditor.engine.kind import Param, kind
from auditor.model import Finding


@kind("toy_agency_word", params={"word": Param(str, required=True)}, fields=("agency", "word"),
      doc="The agency's name contains params.word.")
def check_toy(report, rule):
    if rule.params["word"] in (report.agency or ""):
        return []
    return [Finding(rule.id, rule.severity, "fail", rule.render(agency=report.agency, word=rule.params["word"]))]
'''

TOY_RULE = '''id = "LOCAL-TOY"
title = "机关名称含有指定的字"
severity = "warning"
formats = ["2019", "2021"]
kind = "toy_agency_word"
message = "机关名称“{agency}”中没有“{word}”。"

[params]
word = "测试"

[doc]
what = "机关名称含有指定的字。"
why = "演示新的规则类型。"
fix = "核对机关名称。"

[[doc.examples]]
verdict = "pass"
template = "2021"
says = "生成的报告的机关是测试市测试局。"

[[doc.examples]]
verdict = "fail"
template = "2021"
says = "把机关名称改为别的单位。"
replace = [["测试市测试局", "某某县某某办"]]
message = "没有“测试”"
'''


@pytest.fixture
def toy_kind(tmp_path, monkeypatch):
    """A kind defined in a module of its own, registered by importing it (then forgotten)."""
    monkeypatch.setattr(kind_module, "_KINDS", dict(kind_module._KINDS))
    (tmp_path / "toy_kinds.py").write_text(TOY_KIND, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    sys.modules.pop("toy_kinds", None)
    importlib.import_module("toy_kinds")
    yield kind_named("toy_agency_word")
    sys.modules.pop("toy_kinds", None)


def test_a_kind_added_by_one_decorated_function_runs_in_a_local_pack(toy_kind, tmp_path, run_cli):
    assert toy_kind.scope == "report" and toy_kind.params["word"].required
    pack = write_pack(tmp_path / "pack", {"LOCAL-TOY.toml": TOY_RULE})
    rules = load_catalogue([pack])
    report = tmp_path / "report.txt"
    report.write_text(render(sample_report("2021", seed=7)).replace("测试市测试局", "某某县某某办"), encoding="utf-8")
    hits = [f for f in audit_file(report, rules).findings if f.rule == "LOCAL-TOY"]
    assert [f.message for f in hits] == ["机关名称“某某县某某办”中没有“测试”。"]

    code, out = run_cli("rules", "--test", pack)
    assert code == 0 and "LOCAL-TOY：通过（2 个例子）" in out, out


def test_a_toy_rule_with_a_field_its_kind_does_not_fill_fails_at_load(toy_kind, tmp_path, run_cli):
    rule = TOY_RULE.replace("{agency}", "{unit}")
    code, out = run_cli("rules", "--rules", write_pack(tmp_path / "pack", {"LOCAL-TOY.toml": rule}))
    assert code == 2 and "LOCAL-TOY 的 message 中的 {unit} 不是规则类型 toy_agency_word 提供的内容" in out, out


# ---------------------------------------------------------------- mistakes in a local pack: exit 2 at load


@pytest.mark.parametrize("change, key, words", [
    (("{left_sum}", "{left_totl}"), "message", "message 中的 {left_totl} 不是规则类型 identity 提供的内容"),
    (("lines = [", "line = ["), "line", "params 中的 line 不是规则类型 identity 的参数"),
    (('left = ["new", "carried"]', 'left = "new"'), "left", "params.left 应为文字的列表"),
    (('lines = ["tot"]', 'lines = ["tot"]\ntolerance = "1"'), "tolerance", "params.tolerance 应为数，而不是 '1'"),
    (('lines = ["tot"]', 'lines = ["tot"]\neach_group = "yes"'), "each_group", "params.each_group 应为布尔值 true 或 false（不加引号），而不是 'yes'"),
    (('table = "t3"\n', ""), "table", "规则类型 identity 需要参数 table"),
    (('right = ["handled_total"]', 'right = ["handled"]'), "handled", "2021 年格式的 t3 中没有 ['handled']"),
])
def test_a_mistake_in_a_local_pack_fails_at_load_naming_file_rule_and_key(run_cli, tmp_path, change, key, words):
    old, new = change
    assert old in BASE_RULE
    pack = write_pack(tmp_path / "pack", {"LOCAL-T3-NEW.toml": BASE_RULE.replace(old, new)})
    report = tmp_path / "report.txt"
    report.write_text(render(sample_report("2021", seed=7)), encoding="utf-8")
    for args in (("check", report, "--rules", pack), ("rules", "--test", pack), ("rules", "--rules", pack)):
        code, out = run_cli(*args)
        assert code == 2 and "规则目录有误" in out, out
        assert str(pack / "LOCAL-T3-NEW.toml") in out and "规则 LOCAL-T3-NEW" in out and key in out, out
        assert words in out, out


def test_a_publication_deadline_that_is_no_date_fails_at_load(run_cli, tmp_path):
    deadline = next(r for r in load_catalogue() if r.kind == "publication_deadline")
    text = Path(deadline.path).read_text(encoding="utf-8").replace(deadline.id, "LOCAL-DEADLINE")
    assert 'department = "01-31"' in text
    pack = write_pack(tmp_path / "pack", {"LOCAL-DEADLINE.toml": text.replace('department = "01-31"', 'department = "1月31日"')})
    code, out = run_cli("rules", "--rules", pack)
    assert code == 2 and "规则 LOCAL-DEADLINE：params.department 应为“月-日”" in out, out


def test_a_template_phrase_that_is_no_regular_expression_fails_at_load(run_cli, tmp_path):
    residue = next(r for r in load_catalogue() if r.kind == "template_residue")
    text = Path(residue.path).read_text(encoding="utf-8").replace(residue.id, "LOCAL-RESIDUE")
    pack = write_pack(tmp_path / "pack", {"LOCAL-RESIDUE.toml": text.replace("phrases = [", 'phrases = ["(未闭合", ', 1)})
    code, out = run_cli("rules", "--rules", pack)
    assert code == 2 and "规则 LOCAL-RESIDUE：params.phrases 中的 '(未闭合' 不是正确的正则表达式" in out, out


def test_a_mistake_in_a_batch_stops_before_any_report_is_audited(run_cli, tmp_path):
    pack = write_pack(tmp_path / "pack", {"LOCAL-T3-NEW.toml": BASE_RULE.replace('left = ["new", "carried"]', "left = 1")})
    src = tmp_path / "in"
    src.mkdir()
    for seed in range(2):
        (src / f"r{seed}.txt").write_text(render(sample_report("2021", seed=seed)), encoding="utf-8")
    code, out = run_cli("check", src, "-o", tmp_path / "out", "--rules", pack)
    assert code == 2 and "params.left 应为文字的列表" in out and not (tmp_path / "out").exists(), out


# ---------------------------------------------------------------- auditor rules --test


def test_the_readme_example_pack_is_the_example_folder_and_passes_its_own_examples(run_cli):
    readme = README.read_text(encoding="utf-8")
    section = readme[readme.index("### 本地规则包"):]
    block = re.search(r"```toml\n# example-rule-pack/(\S+\.toml)\n(.*?)```", section, re.S)
    assert block, "the README's 本地规则包 section shows example-rule-pack/…toml"
    assert (EXAMPLE_PACK / block.group(1)).read_text(encoding="utf-8") == block.group(2)
    assert sorted(p.name for p in EXAMPLE_PACK.glob("*.toml")) == [block.group(1)]

    code, out = run_cli("rules", "--test", EXAMPLE_PACK)
    assert code == 0, out
    shown = re.search(r"```bash\nauditor rules --test example-rule-pack\n(.*?)```", section, re.S)
    assert shown, "the README shows the run of the example pack"
    assert [ln.removeprefix("# ") for ln in shown.group(1).splitlines()] == out.replace(str(EXAMPLE_PACK), "example-rule-pack").splitlines()


def test_a_pack_whose_example_does_not_behave_as_documented_exits_1_naming_rule_and_example(run_cli, tmp_path):
    wrong = BASE_RULE.replace('message = "相差 36"', 'message = "相差 99"')
    other = BASE_RULE.replace("LOCAL-T3-NEW", "LOCAL-T3-OK")
    pack = write_pack(tmp_path / "pack", {"LOCAL-T3-NEW.toml": wrong, "LOCAL-T3-OK.toml": other})
    code, out = run_cli("rules", "--test", pack)
    assert code == 1, out
    assert "LOCAL-T3-OK：通过（2 个例子）" in out
    assert "LOCAL-T3-NEW：未通过（1/2 个例子不符）" in out
    assert "第 2 个例子（不通过：有申请结转下年度。）：应当不通过并给出包含“相差 99”的审查意见，实际：" in out
    assert "相差 36" in out  # what the rule did say
    assert "共 2 条规则：1 条通过，1 条未通过" in out


def test_a_pass_example_that_fires_and_an_edit_that_cannot_be_made_are_reported(run_cli, tmp_path):
    fires = BASE_RULE.replace('set = { "t3.carry_fwd.tot" = 0, "t3.handled_total.tot" = "+36" }', "")
    cannot = BASE_RULE.replace("LOCAL-T3-NEW", "LOCAL-T3-CUT").replace(
        'message = "相差 36"', 'message = "相差 36"\ncut_after = "这句话不在报告中"')
    pack = write_pack(tmp_path / "pack", {"A.toml": fires, "B.toml": cannot})
    code, out = run_cli("rules", "--test", pack)
    assert code == 1, out
    assert "第 1 个例子（通过：结转的申请改为当年办结。）：应当通过，却得到审查意见：表三" in out
    assert "例子无法生成：cut_after 中的“这句话不在报告中”不在生成的报告中" in out


def test_rules_test_on_the_shipped_catalogue_runs_every_runnable_example(run_cli):
    code, out = run_cli("rules", "--test", ROOT / "rules")
    assert code == 0, out
    rules = load_catalogue()
    described = [r for r in rules if not any(e.runnable for e in r.doc.examples)]
    assert described and f"共 {len(rules)} 条规则：{len(rules) - len(described)} 条通过，0 条未通过，" \
                         f"{len(described)} 条没有可以自动运行的例子" in out
    assert "XYEAR-CARRY-OVER：没有可以自动运行的例子（2 个例子只作说明：此例需要同一机关相邻两年的报告" in out


def test_rules_test_on_a_folder_without_rules_or_that_is_missing_is_exit_2(run_cli, tmp_path):
    (tmp_path / "empty").mkdir()
    code, out = run_cli("rules", "--test", tmp_path / "empty")
    assert code == 2 and "中没有规则文件" in out
    code, out = run_cli("rules", "--test", tmp_path / "nowhere")
    assert code == 2 and "不存在" in out


@pytest.mark.parametrize("setting, words", [
    ('[params."T3-BALANCE"]\ntolerance = 1\n', None),
    ('[params."T3-BALANCE"]\ntolerance = "1"\n', "规则 T3-BALANCE 的参数 tolerance 应为数，而不是 '1'"),
    ('[params."T3-BALANCE"]\nleft = ["nothing"]\n', "规则 T3-BALANCE 的 2019 年格式的 t3 中没有 ['nothing']"),
    ('[params."YEAR-SIGNOFF"]\nlate = "{yeer}"\n', "规则 YEAR-SIGNOFF 的参数 late 是提示文字，不能在配置中修改"),
])
def test_the_configuration_s_params_are_checked_against_the_kind(run_cli, tmp_path, setting, words):
    config = tmp_path / "auditor.toml"
    config.write_text(setting, encoding="utf-8")
    code, out = run_cli("rules", "--config", config)
    assert (code, words is None or words in out) == ((0, True) if words is None else (2, True)), out


# ---------------------------------------------------------------- property: any wrong type fails at load

_WRONG = {  # values of any type but the declared one
    str: st.one_of(st.integers(), st.booleans(), st.lists(st.integers(), min_size=1, max_size=3)),
    float: st.one_of(st.text(max_size=5), st.booleans(), st.lists(st.floats(allow_nan=False), min_size=1, max_size=3)),
    bool: st.one_of(st.text(max_size=5), st.integers(), st.floats(allow_nan=False, allow_infinity=False)),
    list[str]: st.one_of(st.text(max_size=5), st.integers(), st.lists(st.integers(), min_size=1, max_size=3)),
}


def _toml(value) -> str:
    """A value written as TOML (a JSON string is a TOML basic string)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):  # JSON escapes every control character TOML forbids but DEL
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007F")
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return "{ " + ", ".join(f"{json.dumps(k, ensure_ascii=False)} = {_toml(v)}" for k, v in value.items()) + " }"


def _rule_file(data: dict) -> str:
    lines = [f"{k} = {_toml(v)}" for k, v in data.items() if k not in ("params", "doc")]
    lines += ["[params]"] + [f"{k} = {_toml(v)}" for k, v in data.get("params", {}).items()]
    doc = data["doc"]
    lines += ["[doc]"] + [f"{k} = {_toml(doc[k])}" for k in ("what", "why", "fix")]
    for example in doc["examples"]:
        lines += ["[[doc.examples]]"] + [f"{k} = {_toml(v)}" for k, v in example.items()]
    return "\n".join(lines) + "\n"


_SHIPPED = {Path(r.path).name: tomllib.loads(Path(r.path).read_text(encoding="utf-8")) for r in load_catalogue()}
_TYPED = [(name, key) for name, data in _SHIPPED.items()
          for key, param in kind_named(data["kind"]).params.items() if param.type in _WRONG]


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(_TYPED), st.data())
def test_any_param_of_the_wrong_type_fails_at_load_naming_file_rule_and_key(typed, data):
    name, key = typed
    rule = _SHIPPED[name]
    wrong = data.draw(_WRONG[kind_named(rule["kind"]).params[key].type])
    changed = {**rule, "id": "LOCAL-" + rule["id"], "params": {**rule.get("params", {}), key: wrong}}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_text(_rule_file(changed), encoding="utf-8")
        assert tomllib.loads(path.read_text(encoding="utf-8"))["params"][key] == wrong
        with pytest.raises(CatalogueError) as error:
            load_catalogue([Path(folder)])
    assert f"{path}：规则 LOCAL-{rule['id']}：params.{key} 应为" in str(error.value)


def test_a_shipped_rule_written_back_loads_unchanged(tmp_path):
    """The writer above keeps a rule as it is (so the property changes only the one param)."""
    for name, data in _SHIPPED.items():
        (tmp_path / name).write_text(_rule_file({**data, "id": "LOCAL-" + data["id"]}), encoding="utf-8")
    local = {r.id: r for r in load_catalogue([tmp_path]) if r.id.startswith("LOCAL-")}
    for rule in load_catalogue():
        twin = local["LOCAL-" + rule.id]
        assert (twin.params, twin.message, twin.doc) == (rule.params, rule.message, rule.doc)
