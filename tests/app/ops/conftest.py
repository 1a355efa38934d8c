from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.db import get_engine
from tests.conftest import _create_postgres_database, _drop_postgres_database


@pytest.fixture
def empty_database_url(live_database_url: str, tmp_path: Path) -> Iterator[str]:
    """A second database of the same kind as `live_database_url`, without any tables."""
    if live_database_url.startswith("sqlite"):
        url = f"sqlite:///{(tmp_path / 'elsewhere' / 'kontor.db').as_posix()}"
        yield url
        get_engine(url).dispose()
    else:
        url = _create_postgres_database()
        yield url
        _drop_postgres_database(url)
