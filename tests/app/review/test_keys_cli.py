"""`kontor keys create --user NAME`: a key that acts for a person, who is then compared as that person."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from app.db import get_sessionmaker, session_scope
from app.models import ApiKey
from app.review.approval import person_of
from app.review.models import User
from tests.app.review.factories import PASSWORD
from tests.app.review.test_users_cli import kontor


def test_a_key_created_for_a_user_acts_as_that_user(tmp_path: Path, live_database_url: str) -> None:
    env = {"KONTOR_DATABASE_URL": live_database_url, "KONTOR_DATA_DIR": str(tmp_path)}
    added = kontor("users", "add", "anna", "--role", "reviewer", "--password-stdin", env=env, stdin=PASSWORD)
    assert added.returncode == 0, added.stderr
    created = kontor("keys", "create", "--role", "reviewer", "--user", "anna", env=env)
    assert created.returncode == 0, created.stderr
    prefix = created.stdout.strip().splitlines()[-1].split("_")[1]
    with session_scope(get_sessionmaker(live_database_url)) as session:
        key = session.scalar(select(ApiKey).where(ApiKey.prefix == prefix))
        assert key is not None
        owner = session.get(User, key.user_id)
        assert owner is not None
        assert owner.username == "anna"
        assert person_of(session, f"key:{prefix}") == "user:anna"


def test_a_key_for_an_unknown_user_is_refused(tmp_path: Path, live_database_url: str) -> None:
    env = {"KONTOR_DATABASE_URL": live_database_url, "KONTOR_DATA_DIR": str(tmp_path)}
    refused = kontor("keys", "create", "--role", "reviewer", "--user", "nobody", env=env)
    assert refused.returncode == 1
    assert "No user 'nobody'" in refused.stderr
