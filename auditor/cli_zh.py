"""Click in Chinese: the words click itself prints (Usage, Options, its help option, its error
messages) for bureau staff who read no English.

Click looks each of these texts up through gettext at the moment it prints it; its modules
bind `gettext` as `_` (and `ngettext`) when imported. `ChineseContext` gives the commands a
help formatter whose headings are Chinese, and `install()` points click's lookups at the
table below (texts not in it stay as click wrote them), once, before the command line runs.
"""
from __future__ import annotations

import re
import unicodedata

import click

# click's message ids (as in its source) → what the user reads.
MESSAGES = {
    "Usage:": "用法：",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "参数",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本号并退出。",
    "%(prog)s, version %(version)s": "%(prog)s，版本 %(version)s",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行 '{command} {option}' 查看帮助。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing command.": "缺少命令（可用的命令见下）。",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "No such option: {name}": "没有选项：{name}",
    "Option {name!r} does not take a value.": "选项 {name!r} 不接受值。",
    "Option {name!r} requires an argument.": "选项 {name!r} 需要一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 需要 {nargs} 个值。",
    "Argument {name!r} takes {nargs} values.": "参数 {name!r} 需要 {nargs} 个值。",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "Got unexpected extra argument ({args})": "多余的参数（{args}）",
    "Got unexpected extra arguments ({args})": "多余的参数（{args}）",
    "Did you mean {possibility}?": "是否想用 {possibility}？",
    "(Possible options: {possibilities})": "（可能的选项：{possibilities}）",
    "{value!r} is not {choice}.": "{value!r} 不是 {choice}。",
    "{value!r} is not one of {choices}.": "{value!r} 不是 {choices} 之一。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "integer": "整数",
    "float": "数",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是文件夹。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 不可读。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 不可写。",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "default: {default}": "默认：{default}",
    "required": "必填",
    "env var: {var}": "环境变量：{var}",
    "Aborted!": "已中止。",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
}


def gettext(message: str) -> str:
    return MESSAGES.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return gettext(singular if n == 1 else plural)


def install() -> None:
    """Point click's message lookups at MESSAGES (idempotent)."""
    import click.core
    import click.decorators
    import click.exceptions
    import click.formatting
    import click.parser
    import click.types

    for module in (click.core, click.decorators, click.exceptions, click.formatting, click.parser, click.types):
        if hasattr(module, "_"):
            module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext
    # Names click puts into messages without looking them up ("'x' 不是有效的整数").
    click.types.IntParamType.name = "整数"
    click.types.FloatParamType.name = "数"
    missing = click.exceptions.MissingParameter
    if not getattr(missing.format_message, "chinese", False):
        english = missing.format_message

        def format_message(self) -> str:  # "缺少参数 '规则编号'." ends with a full stop of its own
            return re.sub(r"(?<=['\"])\.", "。", english(self), count=1)

        format_message.chinese = True
        missing.format_message = format_message


def width(text: str) -> int:
    """Columns the text takes on a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


_TOKENS = re.compile(r"[\x21-\x7e]+|\s|.", re.S)  # an ASCII word, a space, or one other character


_NO_LINE_START = set("，。；：、）」』”’！？")  # punctuation that never starts a line


def wrap(text: str, columns: int) -> list[str]:
    """Lines of at most `columns` display columns: ASCII words stay whole, Chinese text
    breaks between any two characters (it has no spaces to break at)."""
    lines, line = [], ""
    for token in _TOKENS.findall(" ".join(text.split())):
        if line and width(line) + width(token) > columns and token not in _NO_LINE_START:
            lines.append(line.rstrip())
            line = "" if token.isspace() else token
        else:
            line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines


class ChineseFormatter(click.HelpFormatter):
    """Help text laid out for Chinese: "用法：", headings with a full-width colon, and lines
    measured in display columns (a Chinese character takes two), so columns line up and
    lines do not run past the terminal."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix if prefix is not None else "用法：")

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    def write_text(self, text: str) -> None:
        """Paragraphs rewrapped; a paragraph marked with \\b (examples) is kept line by line."""
        indent = " " * self.current_indent
        for i, paragraph in enumerate(p for p in re.split(r"\n\s*\n", text.strip("\n")) if p.strip()):
            if i:
                self.write("\n")
            if paragraph.lstrip(" ").startswith("\b"):
                kept = paragraph.lstrip(" ")[1:].lstrip("\n").splitlines()
                self.write("".join(f"{indent}{line.rstrip()}\n" for line in kept))
            else:
                columns = max(self.width - self.current_indent, 20)
                self.write("".join(f"{indent}{line}\n" for line in wrap(paragraph, columns)))

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        first_col = min(max((width(a) for a, _ in rows), default=0), col_max) + col_spacing
        text_columns = max(self.width - first_col - self.current_indent, 16)
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            lines = wrap(second, text_columns) if second else []
            if not lines:
                self.write("\n")
                continue
            if width(first) <= first_col - col_spacing:
                self.write(" " * (first_col - width(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            self.write(lines[0] + "\n")
            for line in lines[1:]:
                self.write(" " * (first_col + self.current_indent) + line + "\n")


class ChineseContext(click.Context):
    formatter_class = ChineseFormatter


class ChineseCommand(click.Command):
    context_class = ChineseContext

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[选项]")
        super().__init__(*args, **kwargs)


class ChineseGroup(click.Group):
    context_class = ChineseContext
    command_class = ChineseCommand

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[选项]")
        kwargs.setdefault("subcommand_metavar", "命令 [参数]...")
        super().__init__(*args, **kwargs)
