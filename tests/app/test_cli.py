from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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


def test_keys_create_refuses_an_unknown_role(tmp_path: Path, live_database_url: str) -> None:
    env = {"KONTOR_DATABASE_URL": live_database_url, "KONTOR_DATA_DIR": str(tmp_path)}
    result = kontor("keys", "create", "--role", "root", env=env)
    assert result.returncode == 2
    assert "uploader" in result.stderr


def test_serve_refuses_an_unmigrated_database(tmp_path: Path) -> None:
    result = kontor("serve", env={"KONTOR_DATA_DIR": str(tmp_path), "KONTOR_DATABASE_URL": ""})
    assert result.returncode == 2
    assert "kontor migrate" in result.stderr
