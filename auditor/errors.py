"""Errors that stop one file from being audited; messages are shown to users as they are."""
from __future__ import annotations


class InputError(Exception):
    """The file cannot be read as a report. The message is Simplified Chinese and names the file."""

    def __init__(self, path: str, problem: str):
        self.path = path
        self.problem = problem
        super().__init__(f"{path}：{problem}")


class LimitExceeded(Exception):
    """A file goes past one of the resource limits below (raised deep in a reader, which does
    not know the file's name; read_document turns it into an InputError naming the file)."""

    def __init__(self, problem: str):
        self.problem = problem
        super().__init__(problem)


# Resource limits, far above any real report (≤ 100 pages, ≤ 2 MB of text), so that a hostile
# or broken file is refused with a clear message instead of exhausting memory or time.
MAX_FILE_BYTES = 300 * 1024 * 1024
MAX_PDF_PAGES = 2000
MAX_TEXT_CHARS = 10_000_000
MAX_NESTING_DEPTH = 2048  # elements inside one another in HTML or Word's XML (libxml2's own limit)
MAX_TABLE_NESTING = 50  # Word tables inside table cells (real reports: 1 or 2)
MAX_SPAN = 1000  # colspan / gridSpan (as browsers); rowspan is bounded by the rows of the table
MAX_TABLE_POSITIONS = 200_000  # rows × columns of one table once merged cells are expanded
MAX_ZIP_MEMBERS = 20_000
MAX_ZIP_UNCOMPRESSED = 1024 * 1024 * 1024
MAX_WORKER_MEMORY = 4 * 1024 * 1024 * 1024  # address space a worker process may add while auditing


def out_of_memory_message(path: str) -> str:
    return (f"{path}：审查此文件所需内存超过上限（{MAX_WORKER_MEMORY // 1024 ** 3} GB），已跳过；"
            "文件可能已损坏或版式异常，其他文件不受影响；请将此文件反馈给维护者")


def table_too_large(table_index: int) -> str:
    return (f"第 {table_index + 1} 张表格展开合并单元格后超过 {MAX_TABLE_POSITIONS} 个单元格（行数×列数），"
            "远大于年报的统计表；文件可能已损坏或由异常程序生成，请用 Word 或 WPS 打开后另存再审查")


def internal_error_message(path: str, exc: BaseException) -> str:
    """What a user sees when the program itself failed on a file: the kind of failure, its
    message in short, and a request to send the file (never a traceback)."""
    detail = " ".join(str(exc).split())[:200] or "无详细信息"
    return (f"{path}：审查程序内部错误（{type(exc).__name__}）：{detail}。"
            "此文件未能审查，其他文件不受影响；请将此文件反馈给维护者")


def worker_died_message(path: str) -> str:
    return (f"{path}：审查进程意外退出（可能是文件触发了 PDF 解析库崩溃，或内存不足被系统终止），"
            "此文件未能审查，其他文件不受影响；请将此文件反馈给维护者，或单独审查此文件")
