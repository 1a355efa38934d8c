"""Consistent copies of the database while Kontor runs, and putting them back.

SQLite: the online backup API (a consistent snapshot even while the worker writes). PostgreSQL:
`pg_dump` in the custom format, at least as new as the server, and `pg_restore`.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

from sqlalchemy import inspect, text
from sqlalchemy.engine import URL, make_url

from app.db import ensure_sqlite_dir, get_engine
from app.ops.errors import BackupError, RestoreRefusedError

SQLITE_NAME = "database/kontor.sqlite"
POSTGRES_NAME = "database/kontor.pgdump"


def dialect_of(url: str) -> str:
    return "sqlite" if url.startswith("sqlite") else "postgresql"


def dump_name(url: str) -> str:
    return SQLITE_NAME if dialect_of(url) == "sqlite" else POSTGRES_NAME


def sqlite_path(url: str) -> Path:
    return Path(make_url(url).database or "")


#: What the manifest records about the copy, read from the same snapshot as the copy itself.
SNAPSHOT_FACTS = {
    "documents": ("documents", "SELECT count(*) FROM documents"),
    "audit_events": ("audit_events", "SELECT count(*) FROM audit_events"),
    "journal_entries": ("journal_entries", "SELECT count(*) FROM journal_entries"),
    "audit_head": ("audit_chain", "SELECT head_sha256 FROM audit_chain"),
    "schema_revision": ("alembic_version", "SELECT version_num FROM alembic_version"),
}
SQLITE_TABLES = "SELECT name FROM sqlite_master WHERE type = 'table'"
POSTGRES_TABLES = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"


def _facts(query: Callable[[str], Any]) -> dict[str, Any]:
    """The counts and revision; None where a table is missing (a database of an older schema)."""
    tables = set(query("tables"))
    return {name: query(sql) if table in tables else None for name, (table, sql) in SNAPSHOT_FACTS.items()}


def dump_database(url: str, target: Path) -> dict[str, Any]:
    """Copy the database to `target`; returns the counts and revision of exactly that copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if dialect_of(url) == "sqlite":
        _copy_sqlite(sqlite_path(url), target)
        with closing(sqlite3.connect(f"file:{target}?mode=ro", uri=True)) as copy:

            def ask_sqlite(sql: str) -> Any:
                if sql == "tables":
                    return [row[0] for row in copy.execute(SQLITE_TABLES)]
                return copy.execute(sql).fetchone()[0]

            return _facts(ask_sqlite)
    check_pg_dump_version(url)
    with get_engine(url).connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()

            def ask_postgres(sql: str) -> Any:
                if sql == "tables":
                    return list(conn.execute(text(POSTGRES_TABLES)).scalars())
                return conn.execute(text(sql)).scalar_one()

            facts = _facts(ask_postgres)
            _pg_dump(url, target, snapshot)
    return facts


def _copy_sqlite(source: Path, target: Path) -> None:
    if not source.exists():
        raise BackupError(f"{source}: no such database")
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        with dst:
            src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    finally:
        dst.close()
        src.close()


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"`{name}` is not installed; install the PostgreSQL client (postgresql-client)")
    return path


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """A libpq connection URI without the password, and the environment that carries it."""
    parsed: URL = make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    uri = parsed.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return uri, env


def _major(version_text: str) -> int:
    # "pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)" -> 15
    match = re.search(r"\)\s*(\d+)", version_text)
    if match is None:
        raise BackupError(f"cannot read a version from {version_text!r}")
    return int(match.group(1))


def check_pg_dump_version(url: str) -> None:
    """pg_dump refuses (or worse, silently misses features of) a newer server."""
    version = subprocess.run([_pg_tool("pg_dump"), "--version"], capture_output=True, text=True, check=True)
    tool = _major(version.stdout)
    with get_engine(url).connect() as conn:
        server = int(conn.execute(text("SHOW server_version_num")).scalar_one()) // 10000
    if tool < server:
        raise BackupError(
            f"pg_dump {tool} is older than the PostgreSQL {server} server; install a newer client"
        )


def _pg_dump(url: str, target: Path, snapshot: str) -> None:
    uri, env = _libpq(url)
    command = [
        _pg_tool("pg_dump"),
        "--format=custom",
        "--no-owner",
        "--no-privileges",
        f"--snapshot={snapshot}",
        f"--file={target}",
        uri,
    ]
    _run(command, env, "pg_dump")


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{what} failed: {result.stderr.strip()[-2000:]}")


def database_is_empty(url: str) -> bool:
    if dialect_of(url) == "sqlite" and not sqlite_path(url).exists():
        return True
    with get_engine(url).connect() as conn:
        return not inspect(conn).get_table_names()


def restore_database(dump: Path, url: str, *, force: bool) -> None:
    """Put a dump into the database at `url`; a database with tables only with `force`."""
    if not database_is_empty(url):
        if not force:
            raise RestoreRefusedError(
                f"the database is not empty ({_redacted(url)}); use --force to replace it"
            )
        _wipe(url)
    if dialect_of(url) == "sqlite":
        _restore_sqlite(dump, sqlite_path(url))
    else:
        uri, env = _libpq(url)
        command = [
            _pg_tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={uri}",
            str(dump),
        ]
        _run(command, env, "pg_restore")
    get_engine(url).dispose()


def _wipe(url: str) -> None:
    engine = get_engine(url)
    if dialect_of(url) == "sqlite":
        engine.dispose()
        return  # the backup API below overwrites the whole file
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def _restore_sqlite(dump: Path, target: Path) -> None:
    ensure_sqlite_dir(f"sqlite:///{target.as_posix()}")
    src = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        with dst:
            src.backup(dst)
    finally:
        dst.close()
        src.close()


def _redacted(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)
