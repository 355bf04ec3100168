"""Whether Python code is running inside a callback from native code (PDFium's font lookup).

An exception raised there cannot reach the caller: ctypes drops it at the C boundary and the
callback returns 0. A time limit's alarm therefore must not raise inside one; it notes that the
time is up and raises once the callback has returned (pipeline's alarm handler asks here).
Kept free of imports, so asking costs nothing on paths that never load PDFium.
"""
from __future__ import annotations

_depth = [0]


def in_callback() -> bool:
    return _depth[0] > 0


def entered() -> None:
    _depth[0] += 1


def left() -> None:
    _depth[0] -= 1
