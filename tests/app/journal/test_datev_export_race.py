"""Two DATEV exports of the same period started at once, on real SQLite and PostgreSQL databases of their own:
threads sharing the process's engine, and two `kontor export datev` processes. Whatever the order, no booking
is exported twice, every booking is exported once, and the ledger agrees with the files it recorded."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from agents.booking import propose
from app.db import get_sessionmaker, session_scope
from app.journal.datev import NothingToExportError, create_export
from app.journal.export_ledger import DatevBatch, DatevBatchEntry, DatevExport
from app.journal.models import JournalEntry
from app.journal.posting import post_booking
from tests.booking_factories import create_invoice_document, make_invoice, skr03_policy
from tests.conftest import make_settings
from tests.corpus import REPO_ROOT
from tests.datev_reader import read_extf, signed_total

NUMBERS = {"consultant_number": 29098, "client_number": 55003}
MARCH = (date(2026, 3, 1), date(2026, 3, 31))
INVOICES = 12


def _post_invoices(url: str) -> Decimal:
    total = Decimal(0)
    with session_scope(get_sessionmaker(url)) as session:
        for n in range(INVOICES):
            invoice = make_invoice(number=f"R-{n}", issued=date(2026, 3, 1 + n))
            document = create_invoice_document(session, invoice=invoice)
            post_booking(session, document, propose(invoice, skr03_policy()), "key:test")
            total += invoice.gross_total or Decimal(0)
    return total


def _check_ledger(session: Session, expected_gross: Decimal) -> None:
    """Every entry in exactly one batch; the batches' files hold exactly their entries' rows."""
    carried = Counter(session.scalars(select(DatevBatchEntry.entry_id)))
    entries = set(session.scalars(select(JournalEntry.id)))
    assert set(carried) == entries
    assert max(carried.values()) == 1  # nobody exported twice
    batches = session.scalars(select(DatevBatch).where(DatevBatch.kind == "bookings")).all()
    files = [read_extf(b.content) for b in batches]
    assert sum((signed_total(f) for f in files), Decimal(0)) == expected_gross
    guids = [r["Buchungs GUID"] for f in files for r in f.rows]
    assert len(guids) == len(set(guids))
    assert sum(b.entries for b in batches) == len(entries)
    # An export that found nothing left no trace in the ledger.
    assert session.scalar(select(func.count()).select_from(DatevExport)) == len(
        {b.export_id for b in batches}
    )


def test_two_concurrent_exports_in_threads_never_export_a_booking_twice(
    tmp_path: Path, live_database_url: str
) -> None:
    settings = make_settings(tmp_path, live_database_url, booking={"datev": NUMBERS})
    gross = _post_invoices(live_database_url)
    start = threading.Barrier(2)
    outcome: list[str] = []

    def run(actor: str) -> None:
        start.wait()
        try:
            with session_scope(get_sessionmaker(live_database_url)) as session:
                made = create_export(session, settings, *MARCH, actor=actor)
                outcome.append(f"exported {sum(b.entries for b in made.batches)}")
        except NothingToExportError:
            outcome.append("nothing")

    threads = [threading.Thread(target=run, args=(f"key:t{i}",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcome) == [f"exported {INVOICES}", "nothing"]
    with session_scope(get_sessionmaker(live_database_url)) as session:
        _check_ledger(session, gross)


def test_two_concurrent_cli_exports_never_export_a_booking_twice(
    tmp_path: Path, live_database_url: str
) -> None:
    gross = _post_invoices(live_database_url)
    env = {
        "KONTOR_DATABASE_URL": live_database_url,
        "KONTOR_DATA_DIR": str(tmp_path),
        "KONTOR_BOOKING__DATEV__CONSULTANT_NUMBER": "29098",
        "KONTOR_BOOKING__DATEV__CLIENT_NUMBER": "55003",
    }
    args = ["export", "datev", "--from", "2026-03-01", "--to", "2026-03-31"]
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "app.cli", *args, "--out", str(tmp_path / f"out{i}")],
            cwd=REPO_ROOT,
            env={**os.environ, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(2)
    ]
    outputs = [p.communicate(timeout=300) for p in processes]
    results = [(p.returncode, err) for p, (_out, err) in zip(processes, outputs, strict=True)]
    assert [code for code, _ in results] == [0, 0], results
    assert sorted("Nothing new" in err for _, err in results) == [False, True], results
    written = sorted(tmp_path.glob("out*/EXTF_Buchungsstapel_*.csv"))
    assert len(written) == 1
    assert signed_total(read_extf(written[0].read_bytes())) == gross
    with session_scope(get_sessionmaker(live_database_url)) as session:
        _check_ledger(session, gross)
