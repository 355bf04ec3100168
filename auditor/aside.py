"""Work done beside the main process, in a forked copy of it, so that the end of a batch uses a
second core: the main process writes the dashboard while the copy finishes the Excel file.

A copy is made only where that is safe: Linux (macOS's system libraries are not fork-safe,
Windows has no fork) and a process with one thread (a fork copies only the calling thread,
and a lock another thread held would stay locked in the copy). Elsewhere, or when no copy can
be made, the main process does the work itself when it waits for it.
"""
from __future__ import annotations

import os
import pickle
import sys
import threading
from typing import Callable, Optional


class Aside:
    """`work` started beside this process; wait() returns once it is done, and raises what the
    work raised (sent back from the copy). The work is told whether it runs in a copy (which
    must open its own connections: one must not be used on both sides of a fork)."""

    def __init__(self, work: Callable[[bool], None]):
        self._work = work
        self._copy: Optional[tuple[int, int]] = _forked(lambda: work(True)) if _can_fork() else None  # (pid, pipe)
        self._done = False

    def wait(self) -> None:
        if self._done:
            return
        self._done = True
        if self._copy is None:
            self._work(False)
            return
        pid, pipe = self._copy
        with os.fdopen(pipe, "rb") as reader:
            report = reader.read()  # empty when the work was done
        _, status = os.waitpid(pid, 0)
        if report:
            raise _exception(report)
        if os.waitstatus_to_exitcode(status) != 0:  # ended from outside (killed, out of memory)
            raise RuntimeError(f"写出文件的子进程异常结束（{os.waitstatus_to_exitcode(status)}）")


def _can_fork() -> bool:
    return sys.platform.startswith("linux") and hasattr(os, "fork") and threading.active_count() == 1


def _forked(work: Callable[[], None]) -> Optional[tuple[int, int]]:
    """(process id, read end of a pipe) of a copy that does `work`, writes what it raised to the
    pipe, and ends without running anything else of this process (no exit handlers, no buffers
    of the parent's files flushed twice). None when no copy can be made."""
    sys.stdout.flush()
    sys.stderr.flush()
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:  # no memory or processes left for a copy: the work is done here
        os.close(read_end)
        os.close(write_end)
        return None
    if pid:
        os.close(write_end)
        return pid, read_end
    os.close(read_end)
    try:
        work()
    except BaseException as exc:  # noqa: BLE001 - raised again in the main process
        _send(write_end, exc)
    finally:
        os._exit(0)


def _send(pipe: int, exc: BaseException) -> None:
    try:
        report = pickle.dumps(exc)
    except Exception:  # noqa: BLE001 - an exception that cannot be sent is sent as its words
        report = pickle.dumps(RuntimeError(f"{type(exc).__name__}: {exc}"))
    with os.fdopen(pipe, "wb") as writer:
        writer.write(report)


def _exception(report: bytes) -> BaseException:
    try:
        exc = pickle.loads(report)
    except Exception:  # noqa: BLE001
        return RuntimeError("写出文件的子进程出错")
    return exc if isinstance(exc, BaseException) else RuntimeError(str(exc))
