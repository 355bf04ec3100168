"""Write a generated report as a web page, the way reports reach auditors: plain HTML, pages
with text split over tags, Word-exported HTML, and CMS pages full of menus and scripts."""
from __future__ import annotations

import html
from pathlib import Path
from typing import Optional

import regex as re

from tests.support import docgen
from tests.support.docgen import Grid, Span
from tests.support.reportgen import GenReport

_NUMBER = re.compile(r"\d{2,}")
_LONG_HAN = re.compile(r"\p{Han}{6,}")
_ASCII_RUN = re.compile(r"([\x00-\x7f]+)")
_WORD_WRAP = 20  # Word breaks source lines inside Chinese text; so do we, every this many characters


def write_html(rep: GenReport, path, encoding: str = "utf-8", declared: Optional[str] = None,
               spans: bool = False, word: bool = False, chrome: bool = False) -> Path:
    """declared: the charset named in the page (default: encoding; "" names none)."""
    charset = encoding if declared is None else declared
    body = "\n".join(_block(b, spans, word) for b in docgen.blocks(rep))
    if chrome:
        body = _cms_content(body, rep)
    page = _word_page(body, charset) if word else _plain_page(body, charset, rep, chrome)
    path = Path(path)
    path.write_bytes(page.encode(encoding))
    return path


# ---------------------------------------------------------------- inline text


def _inline(text: str, spans: bool, word: bool, in_cell: bool) -> str:
    """Text as HTML: Word's language runs, numbers split over tags, labels broken."""
    out = []
    for run in (r for r in _ASCII_RUN.split(text) if r):
        is_ascii = run.isascii()
        piece = _split(run, in_cell) if spans else html.escape(run)
        if word:
            piece = _word_wrap(piece) if not is_ascii else piece
            style = "font-size:12.0pt" if is_ascii else "font-size:12.0pt;font-family:宋体;mso-ascii-font-family:\"Times New Roman\""
            lang = " lang=EN-US" if is_ascii else ""
            piece = f"<span{lang} style='{style}'>{piece}</span>"
        out.append(piece)
    return "".join(out)


def _split(run: str, in_cell: bool) -> str:
    """'2023' → '<span>20</span><span>23</span>'; a long Chinese label broken in the middle:
    by <br> inside a cell, by a source line break between two spans in a paragraph."""
    out, last = [], 0
    for m in re.finditer(rf"{_NUMBER.pattern}|{_LONG_HAN.pattern}", run):
        out.append(html.escape(run[last:m.start()]))
        token, half = m.group(), len(m.group()) // 2
        if token[0].isdigit():
            out.append(f"<span>{token[:half]}</span><span>{token[half:]}</span>")
        elif in_cell:
            out.append(f"{token[:half]}<br>{token[half:]}")
        else:
            out.append(f"<span>{token[:half]}</span>\n<span>{token[half:]}</span>")
        last = m.end()
    out.append(html.escape(run[last:]))
    return "".join(out)


def _word_wrap(piece: str) -> str:
    """Word's HTML export wraps long lines, also between two Chinese characters."""
    return re.sub(rf"(\p{{Han}}{{{_WORD_WRAP}}})(?=\p{{Han}})", "\\1\r\n", piece)


# ---------------------------------------------------------------- blocks


def _block(block, spans: bool, word: bool) -> str:
    if isinstance(block, str):
        return _paragraph(block, spans, word)
    return _table(block, spans, word)


def _paragraph(text: str, spans: bool, word: bool) -> str:
    if not word:
        return f"<p>{_inline(text, spans, False, False)}</p>"
    marker = re.match(r"^[一二三四五六七八九十]+、", text)
    if marker:  # Word writes list numbers inside downlevel-revealed conditional comments
        rest = _inline(text[marker.end():], spans, True, False)
        return (f"<p class=MsoListParagraph style='margin-left:0cm;mso-list:l0 level1 lfo1'><![if !supportLists]>"
                f"<b><span style='font-family:黑体;mso-list:Ignore'>{marker.group()}</span></b><![endif]>"
                f"<b>{rest}</b><span lang=EN-US><o:p></o:p></span></p>\n"
                "<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>")
    return (f"<p class=MsoNormal style='text-indent:24.0pt;line-height:150%'>{_inline(text, spans, True, False)}"
            "<span lang=EN-US><o:p></o:p></span></p>")


def _table(grid: Grid, spans: bool, word: bool) -> str:
    rows = []
    for r, row in enumerate(grid):
        attrs = f" style='mso-yfti-irow:{r}'" if word else ""
        rows.append(f"<tr{attrs}>" + "".join(_cell(span, spans, word) for span in row) + "</tr>")
    if not word:
        return "<table border=\"1\" cellspacing=\"0\">\n" + "\n".join(rows) + "\n</table>"
    width = len(docgen.expand(grid)[0])
    spacer = ("<![if !supportMisalignedColumns]><tr height=0>"
              + "<td width=56 style='border:none'></td>" * width + "</tr><![endif]>")
    return ("<div align=center><table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 "
            "style='border-collapse:collapse;mso-table-layout-alt:fixed;mso-yfti-tbllook:1184'>\n"
            + "\n".join(rows) + "\n" + spacer + "\n</table></div>")


def _cell(span: Span, spans: bool, word: bool) -> str:
    attrs = (f" rowspan={span.rowspan}" if span.rowspan > 1 else "") + (f" colspan={span.colspan}" if span.colspan > 1 else "")
    if not word:
        return f"<td{attrs}>{_inline(span.text, spans, False, True)}</td>"
    content = (_inline(span.text, spans, True, True) + "<span lang=EN-US><o:p></o:p></span>") if span.text \
        else "<span lang=EN-US><o:p>&nbsp;</o:p></span>"
    return (f"<td width=64{attrs} valign=center style='border:solid windowtext 1.0pt;padding:0cm 5.4pt 0cm 5.4pt'>"
            f"<p class=MsoNormal align=center style='text-align:center'>{content}</p></td>")


# ---------------------------------------------------------------- page shells


def _plain_page(body: str, charset: str, rep: GenReport, chrome: bool) -> str:
    meta = f"<meta charset=\"{charset}\">" if charset else ""
    scripts = ""
    if chrome:
        meta = f"<meta http-equiv=\"Content-Type\" content=\"text/html; charset={charset}\">" if charset else ""
        scripts = ("<script>var siteName = \"测试市人民政府门户网站\"; var visits = 20231234;"
                   f" document.title = \"{rep.year - 1}年政府信息公开工作年度报告\";</script>\n"
                   "<style>.nav li { float: left; } /* 导航 2020 */</style>\n")
    title = f"{rep.agency}{rep.title_year or rep.year}年政府信息公开工作年度报告"  # as the document's own title
    return (f"<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n{meta}\n<title>{title}</title>\n{scripts}</head>\n"
            f"<body>\n{body}\n</body>\n</html>\n")


def _cms_content(body: str, rep: GenReport) -> str:
    """A government CMS page: header, menu, breadcrumbs, a layout table with a sidebar and the
    article, share bar, scripts and a footer with 版权所有 and the ICP number."""
    y = rep.year
    title = f"{rep.agency}{rep.title_year or y}年政府信息公开工作年度报告"  # the editor copies the document's title
    return f"""<div class="header"><div class="logo">测试市人民政府</div>
<form class="search-form"><input name="q" value="请输入关键字"><button>搜索</button></form></div>
<nav class="main-nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li>
<li><a href="/nb">政府信息公开年报</a></li><li><a href="/hd">互动交流</a></li></ul></nav>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; 年度报告</div>
<table class="layout" width="1000" cellpadding="0" cellspacing="0"><tr>
<td class="sidebar" width="200" valign="top"><div class="menu-title">政府信息公开</div>
<ul class="related"><li><a>{y - 1}年政府信息公开工作年度报告</a></li><li><a>{y - 2}年政府信息公开工作年度报告</a></li></ul></td>
<td width="800" valign="top"><div class="article">
<h1 class="article-title">{title}</h1>
<div class="info">发布时间：{y + 1}-01-20　来源：{rep.agency}</div>
<div id="zoom" class="TRS_Editor">
{body}
</div>
<div class="share bdsharebuttonbox">分享到：<a>微信</a> <a>微博</a></div>
<script>document.write("阅读次数：" + 12345 + " {y - 3}年政府信息公开工作年度报告");</script>
</div></td></tr></table>
<aside class="float-window">政务服务热线 12345</aside>
<div style="display:none">{y - 4}年政府信息公开工作年度报告 统计 99 件</div>
<div class="footer"><p>版权所有：测试市人民政府办公室　主办单位：测试市人民政府</p>
<p>ICP备案号：京ICP备12345678号-1　网站标识码：1100000001</p></div>"""


def _word_page(body: str, charset: str) -> str:
    meta = f"<meta http-equiv=Content-Type content=\"text/html; charset={charset}\">\n" if charset else ""
    return f"""<html xmlns:v="urn:schemas-microsoft-com:vml"
xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:w="urn:schemas-microsoft-com:office:word"
xmlns="http://www.w3.org/TR/REC-html40">

<head>
{meta}<meta name=ProgId content=Word.Document>
<meta name=Generator content="Microsoft Word 15">
<!--[if gte mso 9]><xml>
 <o:DocumentProperties>
  <o:Author>张三</o:Author>
  <o:Pages>3</o:Pages>
  <o:Words>2023</o:Words>
 </o:DocumentProperties>
</xml><![endif]-->
<style>
<!--
 /* Font Definitions */
 @font-face {{font-family:宋体; panose-1:2 1 6 0 3 1 1 1 1 1;}}
p.MsoNormal, li.MsoNormal, div.MsoNormal {{margin:0cm; text-align:justify; font-size:10.5pt;}}
-->
</style>
</head>

<body lang=ZH-CN style='tab-interval:21.0pt;text-justify-trim:punctuation'>

<div class=WordSection1 style='layout-grid:15.6pt'>

{body}

</div>

</body>

</html>
"""
