"""Login throttling: too many failed logins for one user name or from one address, and logins wait.

The failures live in the database (`login_failures`), so every worker process behind it counts the
same ones. Counting and recording are two statements, not one: a burst of parallel guesses can pass
the limit by a few, which does not matter for a limit meant to stop thousands of them.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.orm import Session

from app.config import LoginSettings
from app.errors import TooManyRequestsError
from app.models import AuditEvent, utcnow
from app.review.models import LoginFailure

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attempt:
    """Who tried to log in: the name as typed (normalised) and the client's address."""

    username: str
    address: str

    @classmethod
    def of(cls, username: str, address: str | None) -> Attempt:
        return cls(username.strip().lower()[:64], (address or "unknown")[:64])

    def limits(self, settings: LoginSettings) -> list[tuple[str, ColumnElement[bool], int]]:
        """Each counter this attempt falls under: (what it counts by, the rows it counts, the limit)."""
        return [
            ("user", LoginFailure.username == self.username, settings.max_failures_per_user),
            ("address", LoginFailure.address == self.address, settings.max_failures_per_address),
        ]


def check(session: Session, attempt: Attempt, settings: LoginSettings) -> None:
    """Raise `TooManyRequestsError` while the name or the address has used up its failed logins."""
    now = utcnow()
    window = timedelta(seconds=settings.window_seconds)
    for by, rows, limit in attempt.limits(settings):
        recent = session.scalars(
            select(LoginFailure.at)
            .where(rows, LoginFailure.at > now - window)
            .order_by(LoginFailure.at.desc())
            .limit(limit)
        ).all()
        if len(recent) >= limit:
            # Once the oldest of the last `limit` failures leaves the window, a login counts again.
            retry_after = _seconds_until(recent[-1] + window, now)
            log.warning(
                "login refused: too many failures",
                extra={"by": by, "username": attempt.username, "address": attempt.address},
            )
            raise TooManyRequestsError(
                f"Too many failed logins. Try again in {retry_after} seconds.", retry_after=retry_after
            )


def record_failure(session: Session, attempt: Attempt, settings: LoginSettings) -> None:
    """Count a failed login; the one that reaches a limit is audited."""
    now = utcnow()
    since = now - timedelta(seconds=settings.window_seconds)
    # Failures older than the window no longer count for anybody.
    session.execute(delete(LoginFailure).where(LoginFailure.at <= since))
    session.add(LoginFailure(at=now, username=attempt.username, address=attempt.address))
    session.flush()
    for by, rows, limit in attempt.limits(settings):
        failures = session.scalar(
            select(func.count()).select_from(LoginFailure).where(rows, LoginFailure.at > since)
        )
        if failures == limit:
            _audit_throttle(session, attempt, by, failures, settings)


def clear(session: Session, attempt: Attempt) -> None:
    """A successful login forgets the failures of its user name (not those of the address)."""
    session.execute(delete(LoginFailure).where(LoginFailure.username == attempt.username))
    session.flush()


def _audit_throttle(
    session: Session, attempt: Attempt, by: str, failures: int, settings: LoginSettings
) -> None:
    log.warning(
        "login throttled",
        extra={"by": by, "username": attempt.username, "address": attempt.address, "failures": failures},
    )
    session.add(
        AuditEvent(
            actor=f"address:{attempt.address}",
            action="login.throttled",
            after={
                "by": by,
                "username": attempt.username,
                "address": attempt.address,
                "failures": failures,
                "window_seconds": settings.window_seconds,
            },
        )
    )
    session.flush()


def _seconds_until(moment: datetime, now: datetime) -> int:
    return max(1, math.ceil((moment - now).total_seconds()))
