"""Tables beside a document: copies derived from its original, and the page turns a reviewer chose."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, string_enum
from app.models import utcnow


class RenditionKind(enum.StrEnum):
    #: An image upload as a PDF: what the pipeline reads and the review page shows.
    PDF = "pdf"
    #: The searchable archive copy: the scanned pages with the OCR text as an invisible layer.
    SEARCHABLE = "searchable"


class Rendition(Base):
    """A copy made from a document's original; the original itself is never replaced.

    Deterministic copies only: made again from the same original they are the same bytes, so a rerun
    may replace one (the `sha256` tells whether it changed).
    """

    __tablename__ = "document_renditions"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    kind: Mapped[RenditionKind] = mapped_column(string_enum(RenditionKind, "rendition_kind"))
    media_type: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("document_id", "kind"),)


class PageRotation(Base):
    """How a reviewer turned one page (clockwise, in quarter turns); the read step applies it.

    Changed in place, with every change in the audit trail (`page.rotate`).
    """

    __tablename__ = "page_rotations"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    page: Mapped[int]
    degrees: Mapped[int]
    set_by: Mapped[str] = mapped_column(String(128))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("document_id", "page"),)
