"""`kontor users`: adding, listing and disabling the people who log in to the review pages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from app.db import get_sessionmaker, session_scope
from app.review.auth import authenticate_user
from app.review.models import User, UserRole
from tests.app.review.factories import PASSWORD
from tests.corpus import REPO_ROOT


def kontor(*args: str, env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        cwd=REPO_ROOT,
        env={**os.environ, **env},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_users_add_list_disable(tmp_path: Path, live_database_url: str) -> None:
    env = {"KONTOR_DATABASE_URL": live_database_url, "KONTOR_DATA_DIR": str(tmp_path)}
    added = kontor(
        "users", "add", "Anna", "--role", "admin", "--password-stdin", env=env, stdin=f"{PASSWORD}\n"
    )
    assert added.returncode == 0, added.stderr
    listed = kontor("users", "list", env=env)
    assert "anna" in listed.stdout
    assert "admin" in listed.stdout
    assert PASSWORD not in listed.stdout
    with session_scope(get_sessionmaker(live_database_url)) as session:
        user = authenticate_user(session, "anna", PASSWORD)
        assert user.role == UserRole.ADMIN
        assert user.password_hash.startswith("$argon2id$")
    assert kontor("users", "disable", "anna", env=env).returncode == 0
    with session_scope(get_sessionmaker(live_database_url)) as session:
        assert session.scalar(select(User.disabled).where(User.username == "anna")) is True
