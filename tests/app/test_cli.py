from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from app.db import get_sessionmaker, session_scope
from app.models import ApiKey
from tests.corpus import REPO_ROOT


def kontor(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        cwd=REPO_ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_keys_create_list_revoke(tmp_path: Path, live_database_url: str) -> None:
    env = {"KONTOR_DATABASE_URL": live_database_url, "KONTOR_DATA_DIR": str(tmp_path)}
    created = kontor("keys", "create", "--role", "reviewer", "--name", "anna", env=env)
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip().splitlines()[-1]
    assert key.startswith("ktr_")
    prefix = key.split("_")[1]
    listed = kontor("keys", "list", env=env)
    assert prefix in listed.stdout
    assert "reviewer" in listed.stdout
    assert key not in listed.stdout
    assert kontor("keys", "revoke", prefix, env=env).returncode == 0
    assert kontor("keys", "revoke", "nosuchkey", env=env).returncode == 1


def test_keys_revoke_refuses_the_last_admin_key(tmp_path: Path, live_database_url: str) -> None:
    env = {"KONTOR_DATABASE_URL": live_database_url, "KONTOR_DATA_DIR": str(tmp_path)}
    prefixes = []
    for _ in range(2):
        created = kontor("keys", "create", "--role", "admin", env=env)
        assert created.returncode == 0, created.stderr
        prefixes.append(created.stdout.strip().splitlines()[-1].split("_")[1])
    assert kontor("keys", "revoke", prefixes[0], env=env).returncode == 0
    refused = kontor("keys", "revoke", prefixes[1], env=env)
    assert refused.returncode == 1
    assert "last active admin key" in refused.stderr
    with session_scope(get_sessionmaker(live_database_url)) as session:
        revoked = session.scalar(select(ApiKey.revoked_at).where(ApiKey.prefix == prefixes[1]))
    assert revoked is None


def test_keys_create_refuses_an_unknown_role(tmp_path: Path, live_database_url: str) -> None:
    env = {"KONTOR_DATABASE_URL": live_database_url, "KONTOR_DATA_DIR": str(tmp_path)}
    result = kontor("keys", "create", "--role", "root", env=env)
    assert result.returncode == 2
    assert "uploader" in result.stderr


def test_serve_refuses_an_unmigrated_database(tmp_path: Path) -> None:
    result = kontor("serve", env={"KONTOR_DATA_DIR": str(tmp_path), "KONTOR_DATABASE_URL": ""})
    assert result.returncode == 2
    assert "kontor migrate" in result.stderr
