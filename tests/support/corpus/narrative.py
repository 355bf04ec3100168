"""A report body that reads like a real one and states the tables' figures correctly.

Each paragraph part is a `Line`: a sentence template with named facts. A defect changes a
fact and the sentence follows (tests/support/corpus/defects.py). Lines that state a table figure
name the cells each fact adds up (`cells`), so a benchmark knows which sentence should
disagree with which cell.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Optional

from auditor.spec import format_spec

Cell = tuple[str, str, str]  # (table, row, column)

PLACES = ["淮安市洪泽区", "宁波市镇海区", "银川市兴庆区", "宿迁市沭阳县", "南京市江宁区", "苏州市吴江区", "杭州市余杭区",
          "成都市武侯区", "长沙市岳麓区", "青岛市黄岛区", "合肥市蜀山区", "福州市鼓楼区", "济南市历下区", "郑州市金水区",
          "武汉市江汉区", "西安市雁塔区", "昆明市五华区", "南宁市青秀区", "石家庄市长安区", "太原市小店区"]
OFFICES = ["人民政府", "人民政府办公室", "民政局", "教育局", "自然资源和规划局", "人力资源和社会保障局", "卫生健康委员会",
           "住房和城乡建设局", "市场监督管理局", "生态环境局", "交通运输局", "财政局", "应急管理局", "农业农村局", "司法局"]

_PUBLISH_KINDS = [("政策文件", 0.15), ("工作动态", 0.55), ("通知公告", 0.2), ("人事信息", 0.1)]
_INTERPRET_KINDS = [("文字解读", 0.6), ("图片图解", 0.3), ("视频解读", 0.1)]
_GROUPS_2021 = [("予以公开", ("open",)), ("部分公开", ("partial",)),
                ("不予公开", tuple(f"deny_{i}" for i in range(1, 9))), ("无法提供", ("unable_1", "unable_2", "unable_3")),
                ("不予处理", tuple(f"noproc_{i}" for i in range(1, 6))), ("其他处理", ("other_1", "other_2", "other_3"))]
_T4_PARTS = [("结果维持", "maintained"), ("结果纠正", "corrected"), ("其他结果", "other"), ("尚未审结", "pending")]
ORG_COLUMNS = ("biz", "sci", "pub", "law", "oth")

# Ways real reports say the same thing; each report picks one of each.
_RECEIVED = ("共收到政府信息公开申请", "新收政府信息公开申请", "共受理政府信息公开申请")
_HANDLED = ("全年办结", "本年度共办结", "全年共答复")
_FORWARD = ("；结转下年度继续办理 {forward} 件。", "；另有 {forward} 件结转下年度继续办理。")
_SHARE = ("予以公开和部分公开的共 {disclosed} 件，占办结总数的 {share}%。", "予以公开和部分公开的共 {disclosed} 件（占 {share}%）。")
_REVIEW = ("本机关共发生政府信息公开行政复议案件", "本机关因政府信息公开被申请行政复议")
_SUITS = ("行政诉讼案件", "被提起政府信息公开行政诉讼")
_MADE = ("全年制发", "全年印发", "本年度制定")


@dataclass
class Line:
    """A sentence from a template; `cells` says which table cells each fact adds up."""

    kind: str
    template: str
    facts: dict
    cells: dict = field(default_factory=dict)  # fact -> list of Cell
    joins_previous: bool = False  # printed in the same paragraph as the line before

    @property
    def text(self) -> str:
        return self.template.format(**self.facts)

    def __str__(self) -> str:
        return self.text


def agency_name(rng: random.Random) -> str:
    return rng.choice(PLACES) + rng.choice(OFFICES)


def percent(part: float, whole: float) -> str:
    """One decimal, rounded half up as people do ("46.7")."""
    value = Decimal(str(100 * part / whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{value}"


def _parts(total: int, kinds: list[tuple[str, float]], rng: random.Random) -> list[tuple[str, int]]:
    """total spread over named kinds (each at least 0); the parts add up to total exactly."""
    out, left = [], total
    for name, share in kinds[:-1]:
        n = min(left, int(round(total * share * rng.uniform(0.6, 1.4))))
        out.append((name, n))
        left -= n
    out.append((kinds[-1][0], left))
    return out


def _sum_line(kind: str, head: str, unit: str, total: int, parts: list[tuple[str, int]], tail: str = "。",
              cells: Optional[dict] = None) -> Line:
    """"<head> N 条，其中甲 a 条，乙 b 条。" with every figure a named fact."""
    facts = {"total": total}
    clauses = []
    for i, (name, n) in enumerate(parts):
        facts[f"p{i}"] = n
        clauses.append(f"{name} {{p{i}}} {unit}")
    return Line(kind, f"{head} {{total}} {unit}，其中" + "，".join(clauses) + tail, facts, cells or {})


def _change(now: int, before: int) -> str:
    if before == now:
        return "持平"
    word = "增长" if now > before else "下降"
    return f"{word} {percent(abs(now - before), before)}%"


# ---------------------------------------------------------------- sections


def overview(rep, rng: random.Random, site: str) -> list[Line]:
    y = rep.year
    lines = [
        Line("opening", "{year}年，{agency}坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《中华人民共和国政府信息公开条例》"
             "（以下简称《条例》），围绕中心工作深化政务公开，各项工作取得新进展。", {"year": y, "agency": rep.agency}),
        Line("subheading", "（一）主动公开情况", {}),
    ]
    published = rng.randint(80, 3000)
    lines.append(_sum_line("publish_parts", f"全年通过{site}主动公开政府信息", "条", published,
                           _parts(published, _PUBLISH_KINDS, rng)))
    before = max(1, int(published / rng.uniform(0.7, 1.3)))
    lines.append(Line("publish_compare", "主动公开数量较{prev_year}年" + _change(published, before) + "。",
                      {"prev_year": y - 1}, joins_previous=True))
    explained = rng.randint(3, 90)
    lines.append(_sum_line("interpret_parts", "围绕重要政策发布解读材料", "篇", explained, _parts(explained, _INTERPRET_KINDS, rng)))
    lines.append(Line("weibo", "{year}年度共发布政务微博 {posts} 条，回复网民留言 {replies} 条。",
                      {"year": y, "posts": rng.randint(20, 900), "replies": rng.randint(0, 200)}, joins_previous=True))
    lines += _documents(rep, rng)
    lines.append(Line("subheading", "（二）依申请公开情况", {}))
    lines += _requests(rep, rng)
    lines.append(Line("subheading", "（三）平台建设和监督保障", {}))
    lines.append(Line("training", "全年组织政务公开业务培训 {courses} 次，参训 {people} 人次，开展政府开放日活动 {days} 次。",
                      {"courses": rng.randint(1, 12), "people": rng.randint(20, 600), "days": rng.randint(0, 6)}))
    if rep.agency.endswith("人民政府"):  # 条例第五十条: a government also reports these (no random draw)
        lines.append(Line("supervision", "本年度将政务公开工作纳入政府绩效考核，开展政务公开社会评议，未发生政府信息公开工作责任追究情况。", {}))
    return lines


def _documents(rep, rng: random.Random) -> list[Line]:
    made, repealed, valid = (int(rep.t2[("art20_1", "normative_docs")][i]) for i in range(3))
    cell = lambda col: [("t2.art20_1", "normative_docs", col)]  # noqa: E731
    if rep.template == "2021":
        return [Line("t2_docs", rng.choice(_MADE) + "行政规范性文件 {made} 件，废止 {repealed} 件，截至{year}年底现行有效 {valid} 件，均已在门户网站公开。",
                     {"made": made, "repealed": repealed, "valid": valid, "year": rep.year},
                     {"made": cell("made"), "repealed": cell("repealed"), "valid": cell("valid")})]
    return [Line("t2_docs", "全年新制作规范性文件 {made} 件，新公开 {published} 件，对外公开总数量 {valid} 件。",
                 {"made": made, "published": repealed, "valid": valid},
                 {"made": cell("new_made"), "published": cell("new_published"), "valid": cell("total_published")})]


def _groups(template: str) -> list[tuple[str, tuple[str, ...]]]:
    if template == "2021":
        return _GROUPS_2021
    return [*_GROUPS_2021[:5], ("其他处理", ("other",))]


def _requests(rep, rng: random.Random) -> list[Line]:
    t3, y = rep.t3, rep.year
    new, carried, handled, forward = (t3[r]["tot"] for r in ("new", "carried", "handled_total", "carry_fwd"))
    org = sum(t3["new"][c] for c in ORG_COLUMNS)
    tot = lambda row: [("t3", row, "tot")]  # noqa: E731
    received = rng.choice(_RECEIVED)
    lines = []
    if new == 0:
        lines.append(Line("t3_received", "{year}年，本机关未收到政府信息公开申请，上年结转申请 {carried} 件。",
                          {"year": y, "carried": carried}, {"carried": tot("carried")}))
    elif org == 0:
        lines.append(Line("t3_received", "{year}年，本机关" + received + " {new} 件，均为自然人申请；另有上年结转申请 {carried} 件。",
                          {"year": y, "new": new, "carried": carried}, {"new": tot("new"), "carried": tot("carried")}))
    else:
        lines.append(Line("t3_received", "{year}年，本机关" + received + " {new} 件，其中自然人申请 {np} 件，"
                          "法人或其他组织申请 {org} 件；另有上年结转申请 {carried} 件。",
                          {"year": y, "new": new, "np": t3["new"]["np"], "org": org, "carried": carried},
                          {"new": tot("new"), "np": [("t3", "new", "np")], "org": [("t3", "new", c) for c in ORG_COLUMNS],
                           "carried": tot("carried")}))
    if new:
        before = max(1, int(new / rng.uniform(0.6, 1.4)))
        lines.append(Line("t3_compare", "新收申请数量较{prev_year}年" + _change(new, before) + "。", {"prev_year": y - 1},
                          joins_previous=True))
    if handled == 0:
        lines.append(Line("t3_handled", "本年度没有办结的申请，结转下年度继续办理 {forward} 件。", {"forward": forward},
                          {"forward": tot("carry_fwd")}))
        return lines
    facts, cells, clauses = {"handled": handled, "forward": forward}, {"handled": tot("handled_total"), "forward": tot("carry_fwd")}, []
    omit_nil = rng.random() < 0.5  # many reports leave out the outcomes that did not occur
    for i, (name, rows) in enumerate(_groups(rep.template)):
        n = sum(t3[r]["tot"] for r in rows)
        if n == 0 and omit_nil:
            continue
        facts[f"g{i}"] = n
        cells[f"g{i}"] = [("t3", r, "tot") for r in rows]
        clauses.append(f"{name} {{g{i}}} 件")
    lines.append(Line("t3_handled", rng.choice(_HANDLED) + " {handled} 件，其中" + "，".join(clauses) + rng.choice(_FORWARD),
                      facts, cells))
    disclosed = t3["open"]["tot"] + t3["partial"]["tot"]
    if disclosed:
        lines.append(Line("t3_share", rng.choice(_SHARE),
                          {"disclosed": disclosed, "share": percent(disclosed, handled)},
                          {"disclosed": tot("open") + tot("partial")}, joins_previous=True))
    return lines


def cases(rep, rng: random.Random) -> list[Line]:
    """Section 四's sentence on reviews and lawsuits, from 表四."""
    t4, y = rep.t4, rep.year
    review = t4["review"]["total"]
    suits = t4["suit_direct"]["total"] + t4["suit_after_review"]["total"]
    if review == 0 and suits == 0:
        return [Line("t4_none", "{year}年，本机关未发生政府信息公开行政复议、行政诉讼案件。", {"year": y})]
    facts: dict = {"year": y, "review": review, "suits": suits}
    cells: dict = {"review": [("t4", "review", "total")],
                   "suits": [("t4", "suit_direct", "total"), ("t4", "suit_after_review", "total")]}
    if review:
        parts = []
        for name, col in _T4_PARTS:
            if t4["review"][col]:
                facts[f"r_{col}"] = t4["review"][col]
                cells[f"r_{col}"] = [("t4", "review", col)]
                parts.append(f"{name} {{r_{col}}} 件")
        first = "{year}年，" + rng.choice(_REVIEW) + " {review} 件，其中" + "，".join(parts)
    else:
        first = "{year}年，本机关未发生政府信息公开行政复议案件"
    if suits:
        facts.update(direct=t4["suit_direct"]["total"], after=t4["suit_after_review"]["total"])
        cells.update(direct=[("t4", "suit_direct", "total")], after=[("t4", "suit_after_review", "total")])
        second = rng.choice(_SUITS) + " {suits} 件，其中未经复议直接起诉 {direct} 件，复议后起诉 {after} 件。"
    else:
        second = "未发生政府信息公开行政诉讼案件。"
    return [Line("t4_cases", first + "；" + second, facts, cells)]


def problems(rep, rng: random.Random) -> list[Line]:
    y = rep.year
    lines = []
    if rng.random() < 0.5:  # a legitimate heading with last year's year (the Shanghai trap)
        lines += [Line("subheading", "（一）{prev_year}年度工作中存在问题的改进情况", {"prev_year": y - 1}),
                  Line("fixed", "针对上年度报告中指出的栏目更新不及时等问题，已逐项整改到位。", {})]
    lines += [
        Line("problems", "{year}年，本机关政务公开工作仍存在一些不足：一是政策解读的形式还不够丰富；二是依申请公开办理的规范化水平有待提升。",
             {"year": y}),
        Line("plans", "下一步，本机关将在{next_year}年进一步完善公开工作机制，加强业务培训，持续提升政务公开质量。",
             {"next_year": y + 1}),
    ]
    return lines


def other_matters(rep, rng: random.Random) -> list[Line]:
    y = rep.year
    lines = []
    if rep.template == "2021":
        lines.append(Line("fees_s6", "依据《政府信息公开信息处理费管理办法》，本机关{year}年度未收取信息处理费。", {"year": y}))
    else:
        lines.append(Line("fees_s6", "本年度未收取政府信息公开相关费用。", {}))
    lines.append(Line("proposals", "全年办理人大代表建议 {motions} 件、政协提案 {proposals} 件，均已按期办结并公开答复情况。",
                      {"motions": rng.randint(0, 40), "proposals": rng.randint(0, 40)}))
    if rep.template == "2021":  # the 2021 format's section 六 also reports this (no random draw)
        lines.append(Line("work_points", "本机关认真落实上级年度政务公开工作要点，各项任务均已按期完成。", {}))
    return lines


def rich_body(rep, rng: random.Random) -> dict[str, list[Line]]:
    """Sections 一 to 六 (without their headings) for a report whose tables are filled in."""
    site = rep.agency.split("市")[0] + "市人民政府门户网站" if "市" in rep.agency else "门户网站"
    return {
        "s1": overview(rep, rng, site),
        "s2": [],
        "s3": [],
        "s4": cases(rep, rng),
        "s5": problems(rep, rng),
        "s6": other_matters(rep, rng),
    }


def _paragraphs(lines: list) -> list[str]:
    out: list[str] = []
    for line in lines:
        if out and getattr(line, "joins_previous", False):
            out[-1] += str(line)
        else:
            out.append(str(line))
    return out


def rich_narrative(rep) -> list[tuple[str, str]]:
    """The rich report in reading order, as reportgen.narrative gives it."""
    spec = format_spec(rep.template)
    ty, py, y = rep.title_year or rep.year, rep.period_year or rep.year, rep.year
    notice = "国办公开办函〔2021〕30号" if rep.template == "2021" else "国办公开办函〔2019〕60号"
    title = f"{ty}年政府信息公开工作年度报告"
    out = [("p", f"{rep.agency}{title}")] if rep.title_with_agency else [("p", rep.agency), ("p", title)]
    out.append(("p", f"本报告根据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》（{notice}）编制。"
                     f"本报告中所列数据的统计期限自{py}年1月1日起至{py}年12月31日止。"
                     f"本报告电子版可在{rep.agency}门户网站查阅或下载。"))
    for section in spec.sections:
        sid = section["id"]
        if sid not in rep.drop_sections:
            out.append(("p", f"{section['no']}、{section['title']}"))
        body = list(rep.body.get(sid, []))
        if sid == "s1":
            body += rep.extra_s1
        if sid == "s4" and rep.cases_after_table:  # some reports explain 表四 under it, others above
            out.append(("table", sid))
            out.extend(("p", text) for text in _paragraphs(body))
            continue
        out.extend(("p", text) for text in _paragraphs(body))
        if sid in ("s2", "s3", "s4"):
            out.append(("table", sid))
    out += [("p", rep.agency), ("p", f"{y + 1}年1月{rep.sign_day}日")]
    return out
