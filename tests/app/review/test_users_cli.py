"""`kontor users`: adding, listing and disabling the people who log in to the review pages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import get_sessionmaker, session_scope
from app.errors import ConflictError
from app.review.auth import authenticate_user, disable_user
from app.review.models import User, UserRole
from tests.app.review.factories import PASSWORD, create_user
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
    last_admin = kontor("users", "disable", "anna", env=env)
    assert last_admin.returncode == 1
    assert "last active admin" in last_admin.stderr
    second = kontor(
        "users", "add", "bea", "--role", "admin", "--password-stdin", env=env, stdin=f"{PASSWORD}\n"
    )
    assert second.returncode == 0, second.stderr
    assert kontor("users", "disable", "anna", env=env).returncode == 0
    with session_scope(get_sessionmaker(live_database_url)) as session:
        assert session.scalar(select(User.disabled).where(User.username == "anna")) is True


def test_the_last_active_admin_cannot_be_disabled(session: Session) -> None:
    adam = create_user(session, username="adam", role=UserRole.ADMIN)
    create_user(session, username="old-admin", role=UserRole.ADMIN).disabled = True
    create_user(session, username="rita", role=UserRole.REVIEWER)
    with pytest.raises(ConflictError, match="last active admin"):
        disable_user(session, "adam", actor="test")
    assert adam.disabled is False
    disable_user(session, "rita", actor="test")
    create_user(session, username="bea", role=UserRole.ADMIN)
    assert disable_user(session, "adam", actor="test").disabled is True
