from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import select

from app.db import get_sessionmaker, session_scope
from app.models import AuditEvent
from app.ops.audit_chain import GENESIS
from app.ops.integrity import check_integrity
from tests.conftest import make_settings
from tests.factories import create_document, text_pdf


def test_each_audit_row_carries_the_hash_of_the_one_before(live_database_url: str) -> None:
    with session_scope(get_sessionmaker(live_database_url)) as session:
        session.add_all([AuditEvent(actor="a", action="one"), AuditEvent(actor="b", action="two")])
    with session_scope(get_sessionmaker(live_database_url)) as session:
        rows = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [row.prev_sha256 for row in rows] == [GENESIS, rows[0].sha256]
    assert rows[0].sha256 != rows[1].sha256


def test_concurrent_writers_keep_one_unbroken_chain(tmp_path: Path, live_database_url: str) -> None:
    factory = get_sessionmaker(live_database_url)

    def upload(n: int) -> None:
        with session_scope(factory) as session:
            create_document(session, data=text_pdf(f"Rechnung {n}"))

    with ThreadPoolExecutor(max_workers=3) as pool:
        list(pool.map(upload, range(12)))
    report = check_integrity(make_settings(tmp_path, live_database_url))
    assert report.problems == []
    assert report.audit_rows == 12
