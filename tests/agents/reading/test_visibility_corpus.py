"""No false alarms: the shared corpora hide no payment data, so reading them gives no `text.hidden`.

White text on coloured table headers, text over shaded cells, turned side notes and footnotes are
visible and must stay in the words. (The few words some generators really hide, such as an invisible
"Powered by" tag or a page number under a banner, are dropped without a finding.)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from agents.reading.pdf import read_pdf
from agents.reading.visibility import hidden_text_finding
from tests.corpus import corpus_dir

CORPUS_PDFS = sorted(
    path for folder in ("invoices", "real") for path in (corpus_dir() / folder).glob("*.pdf")
)


@pytest.mark.parametrize("path", CORPUS_PDFS, ids=lambda path: f"{path.parent.name}/{path.stem}")
def test_corpus_pdf_has_no_hidden_payment_text(path: Path) -> None:
    result = read_pdf(path.read_bytes())
    assert result.char_count > 0
    assert hidden_text_finding(result.pages) is None, [h for page in result.pages for h in page.hidden]
