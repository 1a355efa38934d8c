"""One mail run at a time across every process and machine: a lease row in the database.

A run inserts the row (the primary key makes that atomic), renews it as it goes and deletes it at
the end. A crashed run leaves its row behind; the next run takes it over when the lease has run out
or, on the same machine, as soon as the holder's process is gone.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from app.db import session_scope
from app.errors import ConflictError
from app.mail.models import MailRunLock
from app.models import utcnow

#: Holders of this process, so that a second run in another thread sees the first as alive.
_HELD: set[str] = set()


class MailRunLockedError(ConflictError):
    error = "mail_run_locked"


class LockLostError(ConflictError):
    """The lease ran out and another run took over: this run must stop."""

    error = "mail_run_lock_lost"


@dataclass
class Lease:
    factory: sessionmaker[Session]
    name: str
    holder: str
    ttl: timedelta

    def renew(self) -> None:
        with session_scope(self.factory) as session:
            result = session.execute(
                update(MailRunLock)
                .where(MailRunLock.name == self.name, MailRunLock.holder == self.holder)
                .values(expires_at=utcnow() + self.ttl)
            )
            if cast(CursorResult[Any], result).rowcount != 1:
                raise LockLostError(f"the {self.name} lock was taken over by another run")


@contextmanager
def hold(factory: sessionmaker[Session], name: str, *, ttl: timedelta) -> Iterator[Lease]:
    """Hold the lock for the body; raises `MailRunLockedError` when another live run has it."""
    lease = acquire(factory, name, ttl=ttl)
    try:
        yield lease
    finally:
        release(lease)


def acquire(factory: sessionmaker[Session], name: str, *, ttl: timedelta) -> Lease:
    lease = Lease(factory, name, f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:12]}", ttl)
    for _attempt in range(3):
        if _insert(lease) or _take_over(lease):
            _HELD.add(lease.holder)
            return lease
    raise MailRunLockedError(f"The {name} lock is contended; try again.")


def release(lease: Lease) -> None:
    _HELD.discard(lease.holder)
    with session_scope(lease.factory) as session:
        session.execute(
            delete(MailRunLock).where(MailRunLock.name == lease.name, MailRunLock.holder == lease.holder)
        )


def _insert(lease: Lease) -> bool:
    now = utcnow()
    try:
        with session_scope(lease.factory) as session:
            session.add(
                MailRunLock(name=lease.name, holder=lease.holder, acquired_at=now, expires_at=now + lease.ttl)
            )
    except IntegrityError:
        return False
    return True


def _take_over(lease: Lease) -> bool:
    """Replace a dead holder's row; False when the row vanished meanwhile (insert again)."""
    now = utcnow()
    with session_scope(lease.factory) as session:
        current = session.get(MailRunLock, lease.name)
        if current is None:
            return False
        if is_alive(current, now):
            raise MailRunLockedError(
                f"Another mail run is in progress (started {current.acquired_at:%Y-%m-%d %H:%M:%S} UTC "
                f"by {current.holder}); this one does nothing. Try again when it has finished."
            )
        # Compare-and-set on the old holder: of two runs taking over at once, one wins.
        result = session.execute(
            update(MailRunLock)
            .where(MailRunLock.name == lease.name, MailRunLock.holder == current.holder)
            .values(holder=lease.holder, acquired_at=now, expires_at=now + lease.ttl)
        )
        if cast(CursorResult[Any], result).rowcount != 1:
            raise MailRunLockedError(f"Another mail run took the {lease.name} lock just now.")
    return True


def is_alive(lock: MailRunLock, now: datetime) -> bool:
    if lock.expires_at <= now:
        return False
    host, _sep, rest = lock.holder.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return True  # another machine: only the lease can tell
    pid = int(pid_text)
    if pid == os.getpid():
        return lock.holder in _HELD
    return _running(pid)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
