"""PDFium is not thread-safe, not even across different documents: every call into it, from any thread
of a process (upload pre-flight, page images for the review pages, the reader), holds this one lock."""

from __future__ import annotations

import threading

#: Re-entrant, so a helper that takes it may call another that takes it too.
PDFIUM_LOCK = threading.RLock()
