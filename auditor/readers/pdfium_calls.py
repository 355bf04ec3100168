"""PDFium calls that a time limit's alarm must not cut short.

Two kinds of PDFium call go wrong when the alarm (which fires every few milliseconds once the
time is up) raises in the middle of them:
- loading or rendering a page calls back into Python for fonts (readers.pdf_fonts); an
  exception there is dropped at the C boundary and the callback answers 0 where PDFium
  expected the font's data, and PDFium aborts the whole process;
- pypdfium2 closes a page or document in two steps, the PDFium call and its own bookkeeping;
  an alarm between them leaves a handle freed but listed as open, and closing the document
  frees it again (a crash).
So these calls run with SIGALRM held back. An alarm that arrives meanwhile is delivered right
after, in plain Python code, where it stops the audit as it should.
"""
from __future__ import annotations

import signal
from contextlib import contextmanager


@contextmanager
def uninterrupted():
    block = getattr(signal, "pthread_sigmask", None)
    if block is None or not hasattr(signal, "SIGALRM"):  # Windows: no alarm to hold back
        yield
        return
    previous = block(signal.SIG_BLOCK, {signal.SIGALRM})
    try:
        yield
    finally:
        block(signal.SIG_SETMASK, previous)


def close_uninterrupted(*handles) -> None:
    """Close the handles in the order given (children before their parent)."""
    with uninterrupted():
        for handle in handles:
            handle.close()
