"""file → Document → Report → Findings, for one file or many."""
from __future__ import annotations

import gc
import io
import os
import shutil
import sys
import traceback
from array import array
from collections import deque
from collections.abc import Sequence
from itertools import islice
import signal
import threading
import time
from contextlib import contextmanager
from dataclasses import replace
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

import regex as re

from .engine import Rule, load_catalogue, run_rules
from .errors import (MAX_WORKER_MEMORY, InputError, internal_error_message, out_of_memory_message,
                     worker_died_message)
from . import ocr_findings
from .extraction import extract
from .model import AuditResult, Report
from .readers import SUPPORTED_SUFFIXES, native_calls, read_document


class _TimeUp(Exception):
    pass


_ALARM_REPEAT = 0.01  # seconds


def alarm_available() -> bool:
    """Whether this process can interrupt itself after a while (SIGALRM: Unix, main thread).
    Where it cannot (Windows, a thread), the time limit is kept by a parent process that
    ends the worker auditing the file instead (see _Watched)."""
    return (hasattr(signal, "SIGALRM") and hasattr(signal, "setitimer")
            and threading.current_thread() is threading.main_thread())


def _workers_have_alarm() -> bool:
    """Whether worker processes can keep the time limit themselves (they run their tasks in
    their main thread, so only the platform decides)."""
    return hasattr(signal, "SIGALRM") and hasattr(signal, "setitimer")


@contextmanager
def _time_limit(seconds: Optional[float]):
    """Interrupt the audit of one file after `seconds` (where alarm_available; elsewhere the
    caller keeps the limit from outside, see audit_file).
    Yields a list that holds True once the time is up: an exception raised by the alarm inside
    a C callback (PDFium calling back into Python) is dropped at the C boundary, so the caller
    also checks the flag after the work is done."""
    expired: list[bool] = []
    usable = seconds and alarm_available()
    if not usable:
        yield expired
        return

    def stop(signum, frame):
        expired.append(True)
        # The alarm is set again: inside a callback from native code (PDFium's font lookup) it
        # must not raise (see readers.native_calls), and an exception raised just as such a
        # callback starts is dropped by ctypes; the next alarm raises it in plain Python code.
        signal.setitimer(signal.ITIMER_REAL, _ALARM_REPEAT)
        if not native_calls.in_callback():
            raise _TimeUp

    def quiet(unraisable):  # an alarm dropped at a C boundary: the next one stops the file
        if not isinstance(unraisable.exc_value, _TimeUp):
            hook(unraisable)

    previous, hook = signal.signal(signal.SIGALRM, stop), sys.unraisablehook
    sys.unraisablehook = quiet
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield expired
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        sys.unraisablehook = hook


def audit_file(path: str | Path, rules: Optional[list[Rule]] = None, timeout: Optional[float] = None,
               debug: bool = False) -> AuditResult:
    """Audit one file. A file that cannot be read (or takes longer than `timeout` seconds)
    gives a result with `error` set, never an exception: a failure of the program itself on
    this file is that file's error too (with debug, its traceback goes to stderr).

    Where the process cannot interrupt itself (no SIGALRM: Windows), a time limit is kept by
    auditing the file in a worker process that is ended when the time is up."""
    rules = load_catalogue() if rules is None else rules
    if timeout and not alarm_available():
        return next(_Watched(rules, 1, timeout, debug, keep_blocks=True).run([Path(path)]))
    expired: list[bool] = []
    try:
        with _time_limit(timeout) as expired:
            result = _audit(path, rules)
        if not expired:
            return result
    except _TimeUp:
        pass
    except MemoryError:
        return failed(path, out_of_memory_message(str(path)))
    except Exception as exc:  # noqa: BLE001 - one file's failure must not stop a batch
        if not expired:
            return failed(path, internal_error(path, exc, debug))
        # The time was up: the alarm's exception can come out as another one, e.g. ctypes'
        # ArgumentError when it strikes while a native call's arguments are converted.
    return timed_out(path, timeout)


def timed_out(path: str | Path, timeout: float) -> AuditResult:
    return failed(path, f"{path}：审查超时（超过 {timeout:g} 秒），已跳过；文件可能过大或版式异常，请单独审查")


def failed(path: str | Path, message: str) -> AuditResult:
    """The result of a file that could not be audited."""
    return AuditResult(str(path), None, None, None, [], error=message)


def internal_error(path: str | Path, exc: BaseException, debug: bool) -> str:
    """The user's message for a failure of the program on one file; with debug, the traceback
    is printed to stderr for the maintainer."""
    if debug:
        print(f"--- {path}", file=sys.stderr)
        traceback.print_exception(exc, file=sys.stderr)
        sys.stderr.flush()
    return internal_error_message(str(path), exc)


def _audit(path: str | Path, rules: list[Rule]) -> AuditResult:
    try:
        doc = read_document(path)
    except InputError as exc:
        return AuditResult(str(path), None, None, None, [], error=str(exc))
    report = extract(doc)
    if not _looks_like_annual_report(report):
        problem = ("未识别为政府信息公开工作年度报告：没有找到报告标题、六个部分的标题或三张统计表，"
                   "也没有写明年度的“政府信息公开工作年度报告”或“本报告”字样")
        return AuditResult(doc.path, doc.format, doc.sha256, None, [], error=f"{doc.path}：{problem}")
    return AuditResult(doc.path, doc.format, doc.sha256, report, ocr_findings.mark(report, run_rules(report, rules)))


def _looks_like_annual_report(report: Report) -> bool:
    has_sections = sum(s.heading is not None for s in report.sections.values()) >= 2
    has_tables = any(t.rows_found for t in report.tables.values())
    if has_sections or has_tables:
        return True
    text = "\n".join([report.title or ""] + [s.text for s in report.sentences])
    about_open_government = bool(_SUBJECT.search(text))  # not a company's 年度报告
    return (bool(report.title) and about_open_government) or _says_it_is_one(report, text, about_open_government)


_SUBJECT = re.compile(r"政府信息公开|政务公开")
# The text calls itself the report ("本年度报告……", "制作本报告", "……工作年度报告公布如下"); a
# mention that is the object of an instruction ("年度报告编制工作的通知") or the name of
# another document (in 《》) is no such sign.
_SELF_REFERENCE = re.compile(
    r"本(?:年度)?报告|本年报|(?:年度报告|年报)(?!编制|(?:发布|公布)(?!如下)|工作|格式|模板|的通知|有关)"
)
_BOOK_TITLE = re.compile(r"《[^《》]*》")


def _says_it_is_one(report: Report, text: str, about_open_government: bool) -> bool:
    """A copy that lost its title, its tables or most headings (a preamble and section 一 cut
    off mid-sentence) still shows it is an annual report: a year or 统计期限 with the words
    政府信息公开 and 年度报告/本报告, or the heading of section 一 with a year."""
    if report.year is None and report.period is None:
        return False
    if report.sections["s1"].heading is not None:
        return True
    return about_open_government and bool(_SELF_REFERENCE.search(_BOOK_TITLE.sub("", text)))


def collect_inputs(paths: Iterable[str | Path]) -> list[Path]:
    """Files named directly, and supported files found recursively in folders, in a stable order."""
    return [Path(f) for f in input_files(paths)]


def input_files(paths: Iterable[str | Path]) -> "InputList":
    """collect_inputs as plain strings, found without a Path per file (a batch of thousands
    keeps its list to the end): the same files in the same order."""
    def found() -> Iterator[str]:
        for p in map(Path, paths):
            if p.is_dir():
                yield from _walk(str(p))
            else:
                yield str(p)

    return InputList(found())


class InputList(Sequence[str]):
    """Input paths kept as one string and where each ends: a batch keeps its inputs to its end,
    and a string object per path costs about twice its characters again."""

    def __init__(self, paths: Iterable[str]):
        text = io.StringIO()
        self._ends = array("q")
        end = 0
        for path in paths:
            text.write(path)
            end += len(path)
            self._ends.append(end)
        self._text = text.getvalue()

    def __len__(self) -> int:
        return len(self._ends)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        end = self._ends[index]  # IndexError past the end, negative indexes from the end
        index = index % len(self._ends)
        return self._text[self._ends[index - 1] if index else 0:end]

    def __iter__(self) -> Iterator[str]:
        start = 0
        for end in self._ends:
            yield self._text[start:end]
            start = end


def _walk(folder: str) -> Iterator[str]:
    """The supported files below a folder in the order of their sorted Paths: the entries of
    each folder by name, a sub-folder's files in its place (a Path sorts by its parts); links
    to folders are not followed, links to files are kept, as Path.rglob does."""
    names: list[str] = []
    folders: set[str] = set()
    try:
        with os.scandir(folder) as found:
            for entry in found:
                names.append(entry.name)
                if entry.is_dir(follow_symlinks=False):
                    folders.add(entry.name)
    except OSError:  # unreadable folder: skipped, as rglob skips it
        return
    names.sort(key=os.path.normcase)
    for name in names:
        path = name if folder == "." else os.path.join(folder, name)
        if name in folders:
            yield from _walk(path)
        elif _suffix(name).lower() in SUPPORTED_SUFFIXES and os.path.isfile(path):
            yield path


def _suffix(name: str) -> str:
    """Path.suffix of a file name ("" for ".txt" or "a.")."""
    i = name.rfind(".")
    return name[i:] if 0 < i < len(name) - 1 else ""


# A step run on each result where it was made (the worker process), given the input path as
# given and the result: a batch renders the report's pages there (outputs.ReportOutputs).
Finish = Callable[[Path, AuditResult], object]

_CHUNK = 8  # files per task sent to a worker process
_WINDOW = 2  # tasks in flight per worker
_WORKER_RULES: Optional[list[Rule]] = None
_WORKER_TIMEOUT: Optional[float] = None
_WORKER_DEBUG = False
_WORKER_FINISH: Optional[Finish] = None


def _init_worker(rules: list[Rule], timeout: Optional[float], debug: bool = False,
                 finish: Optional[Finish] = None) -> None:
    global _WORKER_RULES, _WORKER_TIMEOUT, _WORKER_DEBUG, _WORKER_FINISH
    _WORKER_RULES, _WORKER_TIMEOUT, _WORKER_DEBUG, _WORKER_FINISH = rules, timeout, debug, finish
    _bound_memory(MAX_WORKER_MEMORY)
    signal.signal(signal.SIGTERM, _stop_on_terminate)
    gc.freeze()  # the modules and rules live as long as the worker (see _long_lived_objects_frozen)
    _collect_less_often()


def _stop_on_terminate(signum, frame):
    """A pool that breaks ends its other workers with SIGTERM: remove the temporary folders of
    conversions under way, then go at once. (Raising instead would not end the worker: the
    pool's worker loop sends any exception back as the task's result and carries on.)"""
    doc = sys.modules.get("auditor.readers.doc")
    for folder in list(doc.WORK_FOLDERS) if doc else []:
        shutil.rmtree(folder, ignore_errors=True)
    os._exit(128 + signum)


def _bound_memory(extra: int) -> None:
    """Let the worker grow by at most `extra` bytes of address space (Unix): a file that
    would take more fails with MemoryError, its own error, before the machine runs out of
    memory and the system kills processes of its choosing."""
    try:
        import resource

        with open("/proc/self/statm") as statm:
            now = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = now + extra if hard == resource.RLIM_INFINITY else min(now + extra, hard)
        if soft == resource.RLIM_INFINITY or soft > limit:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, OSError, ValueError):
        pass  # no such limit on this system: the worker may grow as before


def _audit_in_worker(paths: list[Path]) -> list:
    return [_finished(_WORKER_FINISH, p, _batch_result(audit_file(p, _WORKER_RULES, _WORKER_TIMEOUT, _WORKER_DEBUG)))
            for p in paths]


def _finished(finish: Optional[Finish], path: Path, result: AuditResult):
    return result if finish is None else finish(path, result)


def _audit_whole_in_worker(path: Path) -> AuditResult:
    """One file with its Document's blocks (audit_file's result, audited in a worker)."""
    return audit_file(path, _WORKER_RULES, _WORKER_TIMEOUT, _WORKER_DEBUG)


def _batch_result(result: AuditResult) -> AuditResult:
    """The result without the file's content (Document.blocks): every output is made from the
    report and the findings, and the blocks are most of what a worker would send back."""
    if result.report is not None:
        result.report.document = replace(result.report.document, blocks=[])
    return result


def audit_paths(files: list[Path], rules: Optional[list[Rule]] = None, jobs: int = 1,
                timeout: Optional[float] = None, debug: bool = False, isolate: bool = False,
                finish: Optional[Finish] = None) -> Iterator:
    """Results in input order whatever the parallelism. Only a small window of files is in
    flight at once, so finished results do not pile up in memory ahead of the writer.

    This is the batch path: each result keeps its report (tables, sentences, metadata) and
    findings, but its Document comes without blocks (the file's content, read again with
    `readers.read_document` when needed), with one process or many alike.

    Every file gets a result: one the program fails on, or whose worker process dies (a
    crash inside a native library, the out-of-memory killer), gets an error result. With
    isolate, files are audited in a worker process even when jobs is 1, so that such a crash
    costs only its file and not the whole batch.

    With finish, each result is replaced by finish(path, result), made in the process that
    audited the file (also for a file whose worker died, in this process)."""
    rules = load_catalogue() if rules is None else rules
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(files) or 1))
    with _long_lived_objects_frozen():
        if timeout and not alarm_available():  # Windows: the parent keeps the time limit
            yield from _Watched(rules, jobs, timeout, debug, finish=finish).run(files)
        elif jobs == 1 and not (isolate and len(files) > 1):
            yield from _serial(files, rules, timeout, debug, finish)
        else:
            yield from _Parallel(rules, jobs, timeout, debug, finish).run(files)


def _serial(files: list[Path], rules: list[Rule], timeout: Optional[float], debug: bool,
            finish: Optional[Finish] = None) -> Iterator:
    for f in files:
        yield _finished(finish, f, _batch_result(audit_file(f, rules, timeout, debug)))


class _Parallel:
    """Files audited by a pool of worker processes. When a worker dies, the pool is broken
    and every task in flight fails with it; the tasks that finished keep their results, the
    files of the others are audited again one by one in a pool of their own to find the file
    that kills its worker (marked as failed), and the batch goes on with a new pool."""

    def __init__(self, rules: list[Rule], jobs: int, timeout: Optional[float], debug: bool,
                 finish: Optional[Finish] = None, context=None):
        self.rules, self.jobs, self.timeout, self.debug, self.finish = rules, jobs, timeout, debug, finish
        self.context = context  # how worker processes start (None: the platform's default)
        self._allowance: Optional[float] = None

    def _pool(self, workers: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=workers, mp_context=self.context, initializer=_init_worker,
                                   initargs=(self.rules, self.timeout, self.debug, self.finish))

    def run(self, files: list[Path]) -> Iterator[AuditResult]:
        # Files go to the workers a few at a time: each task costs the parent process about a
        # millisecond of its own, which is a tenth of a small report's audit.
        chunks = _chunks(files, self.jobs)
        pool = self._pool(self.jobs)
        pending: deque[tuple[list[Path], Future]] = deque()
        try:
            for c in islice(chunks, self.jobs * _WINDOW):
                pending.append((c, _submit(pool, c)))
            while pending:
                paths, future = pending.popleft()
                try:
                    results = future.result(timeout=self._backstop(len(paths)))
                except (BrokenProcessPool, FutureTimeout) as exc:
                    # A worker died, or is stuck where its own alarm cannot reach (inside native
                    # code): every task in flight fails with the pool, and is audited again.
                    if isinstance(exc, FutureTimeout):
                        _end(pool)
                    pool.shutdown(wait=True, cancel_futures=True)
                    in_flight = [(paths, future), *pending]
                    pending.clear()
                    for paths_, future_ in in_flight:
                        yield from self._salvaged(paths_, future_)
                    pool = self._pool(self.jobs)
                    results, refill = [], self.jobs * _WINDOW
                except Exception:  # noqa: BLE001 - e.g. a result that could not be sent back
                    results, refill = list(self._salvaged(paths, future)), 1
                else:
                    refill = 1
                for c in islice(chunks, refill):
                    pending.append((c, _submit(pool, c)))
                yield from results
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def _backstop(self, files: int) -> Optional[float]:
        """How long to wait for a task before its worker counts as stuck where its own alarm
        cannot reach (inside native code): far past the time limit of its files, each of
        which its alarm normally ends. None without a limit."""
        if not self.timeout:
            return None
        if self._allowance is None:  # looked up once: it asks the import system for three packages
            self._allowance = _recognition_allowance()
        return files * self.timeout + _STUCK_GRACE + self._allowance

    def _salvaged(self, paths: list[Path], future: Future) -> Iterator[AuditResult]:
        """The results of a task caught in a broken pool: as they came if it had finished,
        else each file audited again on its own (in one single-worker pool, replaced when
        a file kills it)."""
        if future.done() and not future.cancelled() and future.exception() is None:
            yield from future.result()
            return
        alone = self._pool(1)
        try:
            for path in paths:
                try:
                    limit = self._backstop(1)
                    yield alone.submit(_audit_in_worker, [path]).result(timeout=limit)[0]
                except FutureTimeout:  # stuck past its own alarm: this file is what holds it
                    yield _finished(self.finish, path, timed_out(path, self.timeout))
                    _end(alone)
                    alone = self._pool(1)
                except BrokenProcessPool:
                    yield _finished(self.finish, path, failed(path, worker_died_message(str(path))))
                    alone.shutdown(wait=True)
                    alone = self._pool(1)
                except Exception as exc:  # noqa: BLE001 - e.g. a result that cannot be sent back
                    yield _finished(self.finish, path, failed(path, internal_error(path, exc, self.debug)))
        finally:
            alone.shutdown(wait=True, cancel_futures=True)


_STUCK_GRACE = 30.0  # seconds past the time limit before a worker that did not stop counts as stuck
_RECOGNITION_ALLOWANCE = 1800.0  # scanned pages push a file's limit back (OCR): up to half an hour more


def _recognition_allowance() -> float:
    from .readers import ocr

    return _RECOGNITION_ALLOWANCE if ocr.available() else 0.0


_START_GRACE = 60.0  # seconds a new worker process may take to start (Windows imports afresh)


def _ready() -> None:
    """A first task for a new worker: done once the process has started and loaded."""


class _Worker:
    """A single-worker pool and the moment its process was ready (None while it starts)."""

    def __init__(self, pool: ProcessPoolExecutor):
        self.pool = pool
        self.ready_at: list[float] = []
        self.ready = pool.submit(_ready)
        self.ready.add_done_callback(lambda _: self.ready_at.append(time.monotonic()))


class _Watched:
    """Files audited one per worker process while the parent keeps the time limit: for systems
    where a process cannot interrupt itself (no SIGALRM: Windows). Each worker has a pool of
    its own and one file at a time; a file that runs past the limit has its worker ended (and
    replaced) and is marked as timed out, a worker that dies marks its file, and the batch
    goes on. Results come in input order."""

    def __init__(self, rules: list[Rule], jobs: int, timeout: float, debug: bool, keep_blocks: bool = False,
                 finish: Optional[Finish] = None):
        self.rules, self.jobs, self.timeout, self.debug, self.finish = rules, jobs, timeout, debug, finish
        self.task = _audit_whole_in_worker if keep_blocks else _audit_in_worker

    def _worker(self) -> _Worker:
        # timeout None in the worker: it has no alarm, the parent watches the clock
        return _Worker(ProcessPoolExecutor(max_workers=1, initializer=_init_worker,
                                           initargs=(self.rules, None, self.debug, self.finish)))

    def _submit(self, pool: ProcessPoolExecutor, path: Path) -> Future:
        arg = path if self.task is _audit_whole_in_worker else [path]
        try:
            return pool.submit(self.task, arg)
        except BrokenProcessPool as exc:
            refused: Future = Future()
            refused.set_exception(exc)
            return refused

    def run(self, files: list[Path]) -> Iterator[AuditResult]:
        idle = [self._worker() for _ in range(min(self.jobs, len(files)))]
        pending: deque = deque()  # (path, worker, future, submitted)
        queue = iter(files)
        try:
            while True:
                while idle:
                    path = next(queue, None)
                    if path is None:
                        break
                    worker = idle.pop()
                    pending.append((path, worker, self._submit(worker.pool, path), time.monotonic()))
                if not pending:
                    return
                path, worker, future, submitted = pending.popleft()
                result, reusable = self._outcome(path, worker, future, submitted)
                if not reusable:
                    _end(worker.pool)
                    worker = self._worker()
                idle.append(worker)
                yield result
        finally:
            for worker in [*idle, *(p[1] for p in pending)]:
                _end(worker.pool)

    def _outcome(self, path: Path, worker: _Worker, future: Future, submitted: float) -> tuple[object, bool]:
        """The file's result, and whether its worker can take the next file. The clock starts
        when the file was handed over, or when its new worker had started, if later."""
        try:
            worker.ready.result(timeout=max(submitted + _START_GRACE - time.monotonic(), 0.001))
            started = max(submitted, worker.ready_at[0] if worker.ready_at else time.monotonic())
            result = future.result(timeout=max(started + self.timeout - time.monotonic(), 0.001))
        except FutureTimeout:
            return _finished(self.finish, path, timed_out(path, self.timeout)), False
        except BrokenProcessPool:
            return _finished(self.finish, path, failed(path, worker_died_message(str(path)))), False
        except Exception as exc:  # noqa: BLE001 - e.g. a result that cannot be sent back
            return _finished(self.finish, path, failed(path, internal_error(path, exc, self.debug))), True
        return (result[0] if isinstance(result, list) else result), True


def _end(pool: ProcessPoolExecutor) -> None:
    """Stop a single-worker pool now, even in the middle of a file: its process is ended."""
    for process in list(getattr(pool, "_processes", {}).values()):
        if process.is_alive():
            process.terminate()
    pool.shutdown(wait=True, cancel_futures=True)


def _submit(pool: ProcessPoolExecutor, paths: list[Path]) -> Future:
    """The task's future; a pool that broke since its last result (a worker died just now)
    refuses new tasks at once, and that refusal is handled like any task the death broke."""
    try:
        return pool.submit(_audit_in_worker, paths)
    except BrokenProcessPool as exc:
        refused: Future = Future()
        refused.set_exception(exc)
        return refused


def _chunks(files: list[Path], jobs: int) -> Iterator[list[Path]]:
    """Up to _CHUNK files at a time, fewer as the end nears so that no worker is left with
    a long last task while the others wait."""
    start = 0
    while start < len(files):
        size = max(1, min(_CHUNK, (len(files) - start) // (jobs * _WINDOW)))
        yield files[start:start + size]
        start += size


@contextmanager
def _long_lived_objects_frozen():
    """A batch makes thousands of short-lived objects per report, and every full pass of the
    collector also walks the modules loaded before it (pandas alone is large); that walk was
    about a twentieth of a batch's time. The objects are handed back to the collector after,
    and the collector's settings are put back as they were."""
    threshold = gc.get_threshold()
    gc.freeze()
    _collect_less_often()
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


# The collector runs whenever this many more objects are alive than at its last run. Python's
# 700 made it run about five times per report, finding nothing: an audit makes thousands of
# objects at once (a page's characters, a table's cells) and frees them itself as it goes.
# That was 4-5% of a batch worker's time. Objects in reference cycles are still collected, later.
_YOUNG_OBJECTS_PER_COLLECTION = 10_000


def _collect_less_often() -> None:
    young, older, oldest = gc.get_threshold()
    if young:  # 0: collection turned off by whoever runs us, left so
        gc.set_threshold(max(young, _YOUNG_OBJECTS_PER_COLLECTION), older, oldest)


def _server_context():
    """Worker processes for a server: started by a fork server where there is one (Unix).
    A server replaces its pool, or starts a worker for one file, while other threads answer
    requests; a process forked then can inherit a lock another thread held at that moment and
    hang for good. The fork server is a fresh single-threaded process that forks the workers,
    with the auditor already imported so that a new worker starts at once."""
    import multiprocessing

    if "forkserver" not in multiprocessing.get_all_start_methods():
        return None  # Windows: workers are spawned afresh anyway
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["auditor.pipeline"])
    return context


class AuditPool:
    """A long-lived pool of worker processes auditing one file per request (the self-check
    page): the same workers, memory bound and per-file time limit as a batch. A worker that
    dies breaks the pool and every audit in flight with it; the pool is replaced and each of
    those files is audited again alone, so only the file that kills its worker again is
    marked as failed. Safe to call from many threads at once."""

    def __init__(self, rules: list[Rule], jobs: int = 0, timeout: Optional[float] = None, debug: bool = False):
        self._parallel = _Parallel(rules, max(1, jobs or os.cpu_count() or 1), timeout, debug, context=_server_context())
        self._lock = threading.Lock()
        self._pool = self._parallel._pool(self._parallel.jobs)
        # Start the workers now, while the server has no other threads yet (a process forked
        # while other threads hold locks can hang), and so that the first upload does not wait.
        self._pool.submit(os.getpid).result()

    def audit(self, path: Path) -> AuditResult:
        """The result of one file, never an exception (blocks the calling thread)."""
        if self._parallel.timeout and not _workers_have_alarm():
            # Windows: a worker cannot interrupt itself, so the file gets a worker of its own
            # that is ended when its time is up (as a batch does there).
            parallel = self._parallel
            return next(_Watched(parallel.rules, 1, parallel.timeout, parallel.debug).run([path]))
        pool = self._current()
        try:
            return _submit(pool, [path]).result()[0]
        except BrokenProcessPool:
            self._replace(pool)
            return self._alone(path)
        except Exception as exc:  # noqa: BLE001 - e.g. a result that could not be sent back
            return failed(path, internal_error(path, exc, self._parallel.debug))

    def _current(self) -> ProcessPoolExecutor:
        with self._lock:
            return self._pool

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        """A new pool for later requests, once, however many requests saw the old one break."""
        with self._lock:
            if self._pool is broken:
                broken.shutdown(wait=False, cancel_futures=True)
                self._pool = self._parallel._pool(self._parallel.jobs)

    def _alone(self, path: Path) -> AuditResult:
        """A file caught in a broken pool, audited again in a worker of its own: if that one
        dies too, this file is what killed it."""
        alone = self._parallel._pool(1)
        try:
            return alone.submit(_audit_in_worker, [path]).result()[0]
        except BrokenProcessPool:
            return failed(path, worker_died_message(str(path)))
        except Exception as exc:  # noqa: BLE001 - e.g. a result that could not be sent back
            return failed(path, internal_error(path, exc, self._parallel.debug))
        finally:
            alone.shutdown(wait=True, cancel_futures=True)

    def close(self) -> None:
        with self._lock:
            self._pool.shutdown(wait=True, cancel_futures=True)
