"""What a batch keeps of each report until its end (dashboard line, fingerprints, year record,
roster submission), on disk: a SQLite file in a temporary folder inside the output folder,
removed when the batch closes. The main process's memory so stays flat however many reports
a batch holds; the end of the batch reads the reports back one at a time or one agency at a time.
"""
from __future__ import annotations

import pickle
import sqlite3
import tempfile
from itertools import groupby
from pathlib import Path
from typing import Any, Iterator, Optional

_COMMIT_EVERY = 500  # rows per transaction: few commits, and a small page cache


class BatchStore:
    def __init__(self, out: Path):
        self._folder = tempfile.TemporaryDirectory(prefix=".auditor-batch-", dir=out)
        self._db = sqlite3.connect(Path(self._folder.name) / "batch.sqlite")
        self._db.execute("PRAGMA journal_mode=OFF")
        self._db.execute("PRAGMA synchronous=OFF")
        self._db.executescript("""
            CREATE TABLE kept (idx INTEGER PRIMARY KEY, path TEXT, key TEXT, year INTEGER, data BLOB);
            CREATE TABLE records (idx INTEGER PRIMARY KEY, key TEXT, year INTEGER, path TEXT, data BLOB);
            CREATE TABLE submissions (idx INTEGER PRIMARY KEY, data BLOB);
            CREATE TABLE late_json (path TEXT PRIMARY KEY, line TEXT);
            CREATE INDEX kept_by_year ON kept (key, year);
            CREATE INDEX records_by_year ON records (key, year);
        """)
        self._count = 0
        self._pending = 0

    # ------------------------------------------------------------ during the batch

    def add(self, kept: Any, record: Any, submission: Any) -> None:
        """One report's Kept, its crossyear.YearRecord (or None) and its roster Submission."""
        key, year = (record.key, record.year) if record is not None else (None, None)
        self._db.execute("INSERT INTO kept VALUES (?, ?, ?, ?, ?)", (self._count, kept.path, key, year, _dump(kept)))
        if record is not None:
            self._db.execute("INSERT INTO records VALUES (?, ?, ?, ?, ?)",
                             (self._count, record.key, record.year, record.path, _dump(record)))
        self._db.execute("INSERT INTO submissions VALUES (?, ?)", (self._count, _dump(submission)))
        self._count += 1
        self._pending += 1
        if self._pending >= _COMMIT_EVERY:
            self._db.commit()
            self._pending = 0

    def __len__(self) -> int:
        return self._count

    def commit(self) -> None:
        self._db.commit()
        self._pending = 0

    def reopened(self) -> "BatchStore":
        """The store through a connection of its own, for reading in a forked copy of this
        process (a connection must not be used on both sides of a fork), after commit().
        Never closed: the folder is this store's to remove."""
        other = object.__new__(BatchStore)
        other._folder, other._count, other._pending = self._folder, self._count, 0
        other._db = sqlite3.connect(Path(self._folder.name) / "batch.sqlite")
        return other

    # ------------------------------------------------------------ at the end

    def __getitem__(self, idx: int) -> Any:
        if not 0 <= idx < self._count:
            raise IndexError(idx)
        return pickle.loads(self._db.execute("SELECT data FROM kept WHERE idx = ?", (idx,)).fetchone()[0])

    def __iter__(self) -> Iterator[Any]:
        """Every report's Kept, in input order."""
        for (data,) in self._db.execute("SELECT data FROM kept ORDER BY idx"):
            yield pickle.loads(data)

    def put(self, idx: int, kept: Any) -> None:
        """A report's Kept changed at the end of the batch."""
        self._db.execute("UPDATE kept SET data = ? WHERE idx = ?", (_dump(kept), idx))

    def first_of(self, key: str, year: int) -> Optional[int]:
        """The first report (in input order) with this agency key and year."""
        row = self._db.execute("SELECT min(idx) FROM kept WHERE key = ? AND year = ?", (key, year)).fetchone()
        return row[0]

    def year_of(self, idx: int) -> Optional[tuple[str, int]]:
        """The report's (agency key, year) when it has a year record."""
        row = self._db.execute("SELECT key, year FROM kept WHERE idx = ?", (idx,)).fetchone()
        return None if row is None or row[0] is None else (row[0], row[1])

    def records_by_agency(self) -> Iterator[list]:
        """The year records, one agency (key) at a time."""
        rows = self._db.execute("SELECT key, data FROM records ORDER BY key, idx")
        for _, group in groupby(rows, key=lambda r: r[0]):
            yield [pickle.loads(data) for _, data in group]

    def record(self, key: str, year: int, name: str) -> Optional[Any]:
        """The first year record of this agency key and year whose file has this name."""
        for path, data in self._db.execute("SELECT path, data FROM records WHERE key = ? AND year = ? ORDER BY idx",
                                           (key, year)):
            if Path(path).name == name:
                return pickle.loads(data)
        return None

    def submissions(self) -> "Submissions":
        """Every report's roster Submission, in input order, read again at each pass."""
        return Submissions(self._db)

    def indexed_paths(self) -> Iterator[tuple[int, str]]:
        """(index, input path) of every report, in input order."""
        yield from self._db.execute("SELECT idx, path FROM kept ORDER BY idx")

    def set_late_json(self, path: str, line: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO late_json VALUES (?, ?)", (path, line))

    def any_late_json(self) -> bool:
        return self._db.execute("SELECT 1 FROM late_json LIMIT 1").fetchone() is not None

    def late_json(self, path: str) -> Optional[str]:
        row = self._db.execute("SELECT line FROM late_json WHERE path = ?", (path,)).fetchone()
        return row[0] if row else None

    def close(self) -> None:
        self._db.close()
        self._folder.cleanup()


class Submissions:
    """The batch's Submissions as the batch checks read them: one pass after another over the
    store, one at a time, never all in memory at once."""

    def __init__(self, db: sqlite3.Connection):
        self._db = db

    def __iter__(self) -> Iterator[Any]:
        for (data,) in self._db.execute("SELECT data FROM submissions ORDER BY idx"):
            yield pickle.loads(data)


def _dump(value: Any) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
