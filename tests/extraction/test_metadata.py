"""Report year, agency and recognition of real openings: the title, the report named in the
preamble, the 统计期限 in its several wordings, "截至……12月31日" and the sentences that open
with the year all give the year; agency names are organisations, never sentence fragments.

Texts are small openings written here (a preamble, section 一 and little else), the shape of
copies cut off by the sites that publish them."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from tests.support.auditing import audit_text_result

YEARS = st.integers(2019, 2025)
AGENCIES = ["甲市教育局", "乙县人民政府办公室", "丙区丁街道办事处", "戊省生态环境厅", "己市退役军人事务局", "庚县辛镇人民政府"]
BODY = "全年通过门户网站主动公开政府信息120条，及时回应社会关切。"


def _audit(text: str):
    result = audit_text_result(text)
    assert result.error is None, result.error
    return result


def _section_one(*lines: str) -> str:
    return "\n".join(["一、总体情况", *lines, BODY]) + "\n"


# ---------------------------------------------------------------- the year in each of its forms
# Each form is the only place the text states its year, so the year comes from that form.

def _title_nianbao(year: int, agency: str) -> str:
    return f"{agency}{year}年政务公开年报\n" + _section_one("本局认真贯彻落实《中华人民共和国政府信息公开条例》。")


def _title_in_sentence(year: int, agency: str) -> str:
    return (f"根据《中华人民共和国政府信息公开条例》规定，现将{agency}{year}年政府信息公开工作年度报告公布如下。\n"
            + _section_one("本机关认真贯彻落实《条例》要求。"))


def _compiled_title_in_sentence(year: int, agency: str) -> str:
    return (f"按照上级要求，某某工作领导小组办公室编制了{agency}{year}年度政府信息公开工作年度报告。"
            "如对本报告有疑问，请与办公室联系。\n" + _section_one("本机关认真贯彻落实《条例》要求。"))


def _period_before_the_word(year: int, agency: str) -> str:
    return (f"本报告所列数据自{year}年1月1日至{year}年12月31日统计，电子版可在门户网站下载。\n"
            + _section_one("本机关认真贯彻落实《条例》要求。"))


def _period_traditional(year: int, agency: str) -> str:
    return (f"本年度報告中所列數據統計期限從{year}年1月1日起至{year}年12月31日止。\n一、總體情況\n"
            "本機關深入貫徹落實《中華人民共和國政府信息公開條例》，不斷完善政府信息公開工作機制。\n")


def _period_without_second_year(year: int, agency: str) -> str:
    return (f"本年度报告根据《中华人民共和国政府信息公开条例》编制。报告所列数据统计期限为{year}年1月1日至12月31日。\n"
            + _section_one("本机关认真贯彻落实《条例》要求。"))


def _period_with_dotted_dates(year: int, agency: str) -> str:
    return (f"本年度报告根据《中华人民共和国政府信息公开条例》编制，统计期限为{year}.1.1-{year}.12.31。\n"
            + _section_one("本机关认真贯彻落实《条例》要求。"))


def _whole_year_span(year: int, agency: str) -> str:
    return _section_one(f"{year}年1月1日至12月31日，我局共受理政府信息公开申请2件，均已按时答复。")


def _year_end(year: int, agency: str) -> str:
    return _section_one(f"截至{year}年12月31日，我局通过官方网站发布政务类信息34条。")


def _body_without_comma(year: int, agency: str) -> str:
    return (f"{agency}政府信息公开工作年度报告\n"
            + _section_one(f"（一）依申请公开情况\n{year}年度我街办未接到政府信息公开申请。",
                           f"（二）行政复议情况\n{year}年度我街办未发生行政复议和行政诉讼案件。"))


def _run_in_headings(year: int, agency: str) -> str:
    return _section_one(f"(一)主动公开情况{year}年,我局主动公开政府信息52条。",
                        f"(二)依申请公开情况{year}年,我局未收到政府信息公开申请。")


FORMS = [_title_nianbao, _title_in_sentence, _compiled_title_in_sentence, _period_before_the_word,
         _period_traditional, _period_without_second_year, _period_with_dotted_dates, _year_end, _whole_year_span,
         _body_without_comma, _run_in_headings]


@settings(max_examples=40, deadline=None)
@given(form=st.sampled_from(FORMS), year=YEARS, agency=st.sampled_from(AGENCIES))
def test_each_form_gives_the_year(form, year, agency):
    assert _audit(form(year, agency)).report.year == year


def _under_section_one_heading(text: str, line: str) -> str:
    lines = text.split("\n")
    at = next(i for i, ln in enumerate(lines) if ln.startswith("一、"))
    return "\n".join(lines[:at + 1] + [line] + lines[at + 1:])


@settings(max_examples=40, deadline=None)
@given(form=st.sampled_from(FORMS), year=YEARS, agency=st.sampled_from(AGENCIES), back=st.integers(1, 3))
def test_one_stale_sentence_never_changes_the_year(form, year, agency, back):
    """A sentence left over from an older report is reported, and the year stays the one the
    title, the period or the other sentences name."""
    stale = f"{year - back}年，我局开展政务公开业务培训2次。"
    result = _audit(_under_section_one_heading(form(year, agency), stale))
    assert result.report.year == year
    assert [f.actual for f in result.findings if f.rule == "YEAR-BODY"] == [year - back]


@settings(max_examples=15, deadline=None)
@given(year=YEARS)
def test_digits_stripped_by_the_page_are_not_read_as_years(year):
    """"自201911日起至20191231日止" and a date "2020119日": the page lost 年 and 月, so these
    say nothing about the year; the title and the body still do."""
    text = (f"{year}年度政府信息公开年度报告\n{year + 1}119日)\n"
            f"编制说明：本年度报告中所列数据的统计期限自{year}11日起至{year}1231日止。\n"
            + _section_one(f"{year}年，我委的政府信息公开工作取得了新的进展。"))
    result = _audit(text)
    assert result.report.year == year
    assert not [f for f in result.findings if f.rule in ("YEAR-PERIOD", "YEAR-SIGNOFF", "YEAR-TITLE")]


@pytest.mark.parametrize("title", ["甲市教育局2022年政府信息公开工作年度报告", "2022年甲市教育局政府信息公开工作年度报告"])
def test_title_period_and_body_outvote_a_stale_title_together(audit_json, write_report, title):
    text = (f"{title}\n"
            "本报告中所列数据统计期限自2023年1月1日起至2023年12月31日止。\n"
            + _section_one("2023年，甲市教育局认真贯彻落实《条例》。"))
    result = audit_json(write_report(text))
    assert result["report"]["year"] == 2023
    assert [f["actual"] for f in result["findings"] if f["rule"] == "YEAR-TITLE"] == [2022]


@pytest.mark.parametrize("head", [
    "甲市统计局二〇二三年政府信息公开工作年度报告",
    "首页 > 政务公开 > 政府信息公开年报\n甲市统计局\n2023年政府信息公开工作年度报告",
    "政府信息公开年报\n甲市统计局2023年政府信息公开工作年度报告",
    "【字体：大 中 小】打印\n2023年度甲市统计局政府信息公开工作年度报告\n来源：甲市统计局 发布时间：2024-01-20",
    "甲市统计局关于2023年政府信息公开工作年度报告",
    "【甲市统计局】2023年政府信息公开工作年度报告",
])
def test_the_title_among_a_web_pages_lines(head):
    """Breadcrumbs and a page heading without a year are not the title; a year in Chinese
    numerals is a year."""
    report = _audit(head + "\n" + _section_one("我局认真贯彻落实《条例》。")).report
    assert (report.year, report.title_year, report.agency) == (2023, 2023, "甲市统计局")


def test_an_early_year_signoff_gives_the_year_only_when_the_text_names_none():
    body = ("六、其他需要报告的事项\n本年度未收取信息处理费。\n甲市统计局\n2024年1月20日\n")
    alone = "政府信息公开工作年度报告\n" + _section_one("本年度我局认真贯彻落实《条例》。") + body
    assert _audit(alone).report.year == 2023
    stale = "2021年政府信息公开工作年度报告\n" + _section_one("2021年，我局认真贯彻落实《条例》。") + body
    assert _audit(stale).report.year == 2021


# ---------------------------------------------------------------- recognition

OPENINGS_WITHOUT_TITLE = {
    "preamble names the report": lambda y: (
        f"根据《中华人民共和国政府信息公开条例》（以下简称《条例》）规定，现公布甲省人民政府办公厅{y}年政府信息公开工作年度报告。"
        f"本报告由总体情况、主动公开政府信息情况等六部分组成。\n{y}年，甲省人民政府办公厅坚持以人民为中心，准确执行《条例》。\n"
        "（一）主动公开方面。通过门户网站主动公开政府信"),
    "preamble states the period": lambda y: (
        "本年度报告根据《中华人民共和国政府信息公开条例》相关要求编制，内容包括总体情况、主动公开政府信息情况等6部分。"
        f"报告所列数据统计期限为{y}年1月1日至12月31日。\n一、总体情况\n{y}年，乙市人民政府办公厅依法履行公开职责。\n"
        "（一）主动公开方面\n全年发布政府动态类信息1464条，其中文"),
    "section 一 with a year": lambda y: (
        f"一、概述\n{y}年，我乡严格按照《中华人民共和国政府信息公开条例》要求，保障公民依法获取政府信息。\n"
        "（一）主动公开情况。全年主动公开信息"),
    "one line of run-in headings": lambda y: (
        f"一、总体情况 根据《中华人民共和国政府信息公开条例》要求，特向社会公布{y}年丙市农业农村局政府信息公开工作年度报告。"
        f"本报告中所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。 二、主动公开政府信息情况 三、收到和处理政府信息公开申请情况"),
}


@pytest.mark.parametrize("name", sorted(OPENINGS_WITHOUT_TITLE))
def test_a_cut_off_opening_is_audited_as_far_as_it_goes(audit_json, write_report, name):
    result = audit_json(write_report(OPENINGS_WITHOUT_TITLE[name](2023)))
    assert result["error"] is None and result["report"]["year"] == 2023
    # what the cut removed is reported: once where the text stops, or as missing tables
    assert any(f["rule"] in ("READ-TRUNCATED", "STRUCT-TABLES") for f in result["findings"])


NOT_REPORTS = {
    "a line of text": "只有一行字，不是年报。",
    "a notice about writing reports": (
        "关于做好2023年度政府信息公开工作年度报告编制发布工作的通知\n各单位：\n"
        "为做好2023年度政府信息公开工作年度报告编制发布工作，现将有关事项通知如下。\n请于2024年1月31日前报送。\n"),
    "news about open government": "2023年，我市政府信息公开工作取得新进展，全年主动公开信息5000余条。\n",
    "a company's annual report": "某某股份有限公司2023年年度报告\n本公司董事会保证本报告内容真实、准确、完整。\n",
}


@pytest.mark.parametrize("name", sorted(NOT_REPORTS))
def test_texts_that_are_not_reports_stay_refused(name):
    result = audit_text_result(NOT_REPORTS[name])
    assert result.report is None and "未识别为政府信息公开工作年度报告" in result.error


# ---------------------------------------------------------------- agency

@settings(max_examples=30, deadline=None)
@given(year=YEARS, agency=st.sampled_from(AGENCIES))
def test_the_subject_of_the_years_work_is_the_agency(year, agency):
    text = f"{year}年政府信息公开工作年度报告\n" + _section_one(f"{year}年，{agency}认真贯彻落实《条例》，扎实推进政务公开。")
    assert _audit(text).report.agency == agency


FRAGMENT_STARTS = ["我", "在", "全", "本", "各", "该"]
FRAGMENT_UNITS = ["委", "局", "镇", "区委", "街", "省", "区"]
FRAGMENT_TAILS = ["的政府", "按照全区政府", "政府", "深化推进新时代政府", "办"]


@settings(max_examples=40, deadline=None)
@given(year=YEARS, start=st.sampled_from(FRAGMENT_STARTS), unit=st.sampled_from(FRAGMENT_UNITS),
       tail=st.sampled_from(FRAGMENT_TAILS))
def test_a_sentence_fragment_is_never_the_agency(year, start, unit, tail):
    """"2019年，我委的政府信息公开工作……", "在区委的领导下", "全镇政府信息公开……": no name."""
    text = (f"{year}年政府信息公开工作年度报告\n"
            + _section_one(f"{year}年，{start}{unit}{tail}信息公开工作取得新进展。"))
    assert _audit(text).report.agency is None


def test_a_place_that_deepens_work_is_not_an_agency():
    text = "2025年政府信息公开工作年度报告\n" + _section_one("2025年，西山区深化推进新时代政府信息公开，始终坚持以人民为中心。")
    assert _audit(text).report.agency is None


def test_a_title_without_a_year_does_not_take_the_next_heading(audit_json, write_report):
    text = "丙区丁街道办事处政府信息公开工作年度报告\n\n一、总体情况\n\n（一）主动公开政府信息情况\n\n2020年度我街办未接到申请。\n"
    report = audit_json(write_report(text))["report"]
    assert report["title"] == "丙区丁街道办事处政府信息公开工作年度报告"
    assert report["agency"] == "丙区丁街道办事处" and report["year"] == 2020


def test_a_page_header_is_not_part_of_the_agency():
    text = "Page 8 - 甲市教育局\n2023年政府信息公开工作年度报告\n" + _section_one("2023年，我局认真贯彻落实《条例》。")
    assert _audit(text).report.agency == "甲市教育局"


@pytest.mark.parametrize("place, title", [
    ("四川省", "四川省2019年政府信息公开工作年度报告"),
    ("上海市", "2019年上海市政府信息公开工作年度报告"),
    ("乙县辛镇", "2019年度乙县辛镇政府信息公开工作年度报告"),
    ("本溪市", "本溪市2019年政府信息公开工作年度报告"),
    ("全椒县", "全椒县2019年政务公开年报"),
])
def test_a_title_names_a_whole_government_by_its_place(place, title):
    text = title + "\n" + _section_one("2019年，全省政府信息公开工作以服务群众为着力点。")
    assert _audit(text).report.agency == place


@pytest.mark.parametrize("agency", AGENCIES)
def test_the_report_named_in_the_preamble_gives_the_agency(agency):
    assert _audit(_title_in_sentence(2023, agency)).report.agency == agency


@pytest.mark.parametrize("agency", AGENCIES)
def test_who_compiled_the_report_is_the_agency(agency):
    text = (f"本年度报告由{agency}根据《中华人民共和国政府信息公开条例》要求编制而成。"
            "本年度报告中所列数据统计期限从2021年1月1日起至2021年12月31日止。\n" + _section_one("2021年，本机关深入贯彻落实《条例》。"))
    assert _audit(text).report.agency == agency


def test_the_name_over_the_signoff_date_is_the_agency():
    text = ("2023年政府信息公开工作年度报告\n" + _section_one("2023年，我局认真贯彻落实《条例》。")
            + "六、其他需要报告的事项\n本年度未收取信息处理费。\n甲市统计局\n2024年1月20日\n")
    assert _audit(text).report.agency == "甲市统计局"
