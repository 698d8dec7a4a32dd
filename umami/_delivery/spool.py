"""The optional durable spool: events on disk (SQLite, WAL) from the call until the server took them.

Each process writes its events under an owner token of its own. A process that opens the spool
adopts the events of owners whose process is gone (killed, crashed, exited before delivering), so
nothing written is lost: the next process with the same spool sends what is left. At least once:
a batch the server stored but whose answer was lost is sent again.

WAL with ``synchronous=NORMAL``: a committed event survives the process being killed (``kill -9``)
or crashing; only a power loss or an OS crash can lose the last commits. The spool file must be on
a local disk (owners are told apart by process id on this host).
"""

from __future__ import annotations

import os
import sqlite3
import threading
import uuid
from collections.abc import Iterable
from pathlib import Path

__all__ = ["Spool", "SpooledEvent"]

_SCHEMA = """
create table if not exists events (
    id integer primary key,
    owner text not null,
    created real not null,
    target text not null,
    item blob not null
);
create index if not exists events_owner on events (owner, id);
create table if not exists owners (
    token text primary key,
    pid integer not null
);
"""

SpooledEvent = tuple[int, float, str, bytes]  # (row id, created, batch URL, encoded item)


#: Connections a forked child inherited from its parent, kept unused.
_inherited: list[sqlite3.Connection] = []

#: Owner tokens of the spools open in this process: a token of this process not among them was
#: left by a spool closed earlier, and may be adopted.
_open_here: set[str] = set()


def _alive(token: str, pid: int) -> bool:
    if pid == os.getpid():
        return token in _open_here
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


class Spool:
    """One process's handle on a spool file; thread-safe (one connection behind a lock)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._open()

    def _open(self) -> None:
        self.token = uuid.uuid4().hex
        self._db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None, check_same_thread=False)
        with self._lock:
            self._db.execute("pragma journal_mode=wal")
            self._db.execute("pragma synchronous=normal")
            self._db.executescript(_SCHEMA)
            self._db.execute("insert into owners (token, pid) values (?, ?)", (self.token, os.getpid()))
        _open_here.add(self.token)

    def reopen_after_fork(self) -> None:
        """In a forked child: a connection and an owner token of its own (SQLite connections do not survive fork)."""
        _open_here.discard(self.token)  # the parent's token: its events are the parent's to deliver
        _inherited.append(self._db)  # never used nor closed here: closing it could touch the parent's WAL
        self._lock = threading.Lock()
        self._open()

    def add(self, created: float, target: str, item: bytes) -> int:
        """Write one event; it is on disk when this returns. Returns its row id."""
        with self._lock:
            cursor = self._db.execute(
                "insert into events (owner, created, target, item) values (?, ?, ?, ?)", (self.token, created, target, item)
            )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def remove(self, rows: Iterable[int]) -> None:
        """Forget events the server took (or refused for good, or that were given up)."""
        ids = [(row,) for row in rows]
        if ids:
            with self._lock:
                self._db.executemany("delete from events where id = ?", ids)

    def adopt(self) -> list[SpooledEvent]:
        """Take over the events of owners whose process is gone; returns them, oldest first."""
        with self._lock:
            self._db.execute("begin immediate")
            try:
                owners = self._db.execute("select token, pid from owners").fetchall()
                gone = [token for token, pid in owners if not _alive(token, pid)]
                for token in gone:
                    self._db.execute("update events set owner = ? where owner = ?", (self.token, token))
                    self._db.execute("delete from owners where token = ?", (token,))
                self._db.execute("commit")
            except BaseException:
                self._db.execute("rollback")
                raise
            rows = self._db.execute("select id, created, target, item from events where owner = ? order by id", (self.token,)).fetchall()
        return [(row, created, target, bytes(item)) for row, created, target, item in rows]

    def count(self) -> int:
        """Events in the spool, whoever owns them."""
        with self._lock:
            (count,) = self._db.execute("select count(*) from events").fetchone()
        return int(count)

    def close(self) -> None:
        """Close the connection; this owner's events stay, for whoever adopts them."""
        with self._lock:
            self._db.execute("delete from owners where token = ? and not exists (select 1 from events where owner = ?)", (self.token,) * 2)
            self._db.close()
        _open_here.discard(self.token)
