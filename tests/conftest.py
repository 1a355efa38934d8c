"""Real databases for every test: SQLite and PostgreSQL, migrated once with Alembic.

Each test runs inside an outer transaction that is rolled back. Tests that need data visible to
other threads or processes (the queue, `kontor worker`) use `live_settings` instead: a database
of their own.
"""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from huey import MemoryHuey
from sqlalchemy import Connection, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.db import get_engine
from app.migrate import upgrade
from app.worker import Queue, create_queue

POSTGRES_URL = os.environ.get("KONTOR_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("KONTOR_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _create_postgres_database() -> str:
    """A fresh database on the test server; the server must be there (CI fails, not skips)."""
    name = f"kontor_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)


def _drop_postgres_database(url: str) -> None:
    get_engine(url).dispose()
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    admin.dispose()


def new_database(kind: str, directory: Path) -> str:
    url = (
        f"sqlite:///{(directory / 'kontor.db').as_posix()}"
        if kind == "sqlite"
        else _create_postgres_database()
    )
    upgrade(url)
    return url


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = new_database(request.param, tmp_path_factory.mktemp("db"))
    yield url
    if request.param == "postgresql":
        _drop_postgres_database(url)
    else:
        get_engine(url).dispose()


@pytest.fixture
def connection(database_url: str) -> Iterator[Connection]:
    with get_engine(database_url).connect() as conn:
        outer = conn.begin()
        yield conn
        outer.rollback()


@pytest.fixture
def session_factory(connection: Connection) -> sessionmaker[Session]:
    return sessionmaker(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)


@pytest.fixture
def session(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    with session_factory() as session:
        yield session


def make_settings(tmp_path: Path, database_url: str, **overrides: object) -> Settings:
    return Settings(
        _env_file=None,
        environment="test",
        data_dir=tmp_path,
        database_url=database_url,
        model={"backend": "fake"},
        **overrides,  # type: ignore[arg-type]
    )


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return make_settings(tmp_path, database_url, max_upload_mb=1)


@pytest.fixture
def memory_queue(settings: Settings) -> Queue:
    """A real Huey whose tasks wait in memory: what the API enqueues, unprocessed."""
    return create_queue(settings, MemoryHuey("kontor-test", immediate=False))


@pytest.fixture(params=["sqlite", "postgresql"])
def live_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database of the test's own, for work that crosses threads or processes."""
    url = new_database(request.param, tmp_path)
    yield url
    if request.param == "postgresql":
        _drop_postgres_database(url)
    else:
        get_engine(url).dispose()


_EXIT: dict[str, int] = {}


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _EXIT["status"] = int(exitstatus)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """Leave with the session's status once everything is reported and torn down.

    The full suite loads llama.cpp, PDFium, Chromium's driver and spawned readers into one process; in
    that combination (never in either half of the suite alone) a native finalizer has crashed the
    interpreter's own shutdown after every test had passed, turning a green run into exit 139. Nothing
    runs after this hook but those finalizers, so skipping them loses nothing and keeps the exit status
    the tests' own.
    """
    if "status" in _EXIT:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(_EXIT["status"])
