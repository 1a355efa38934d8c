from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.main import create_app
from app.models import Role
from app.worker import Queue
from tests.factories import create_api_key


@pytest.fixture
def client(
    settings: Settings, memory_queue: Queue, session_factory: sessionmaker[Session]
) -> Iterator[TestClient]:
    app = create_app(settings, queue=memory_queue)
    # Every request's unit of work commits into a savepoint of the test's rolled-back transaction.
    app.state.sessionmaker = session_factory
    with TestClient(app) as client:
        yield client


def _headers(session: Session, role: Role) -> dict[str, str]:
    return {"Authorization": f"Bearer {create_api_key(session, role=role)}"}


@pytest.fixture
def uploader(session: Session) -> dict[str, str]:
    return _headers(session, Role.UPLOADER)


@pytest.fixture
def reviewer(session: Session) -> dict[str, str]:
    return _headers(session, Role.REVIEWER)


@pytest.fixture
def admin(session: Session) -> dict[str, str]:
    return _headers(session, Role.ADMIN)
