"""Build a `ReadResult` from plain text lines: each line a row of words, `|` marking a column gap."""

from __future__ import annotations

from schemas.document import Page, ReadResult, Word

_CHAR = 5.0
_LINE = 14.0
_COLUMN_GAP = 40.0


def make_read(*pages: str) -> ReadResult:
    return ReadResult(
        kind="pdf", page_count=len(pages), pages=[_page(i + 1, text) for i, text in enumerate(pages)]
    )


def _page(number: int, text: str) -> Page:
    words: list[Word] = []
    for row, line in enumerate(text.strip("\n").splitlines()):
        top = 40.0 + row * _LINE
        x = 40.0
        for column, cell in enumerate(line.split("|")):
            if column:
                x += _COLUMN_GAP
            for token in cell.split():
                words.append(Word(text=token, x0=x, top=top, x1=x + len(token) * _CHAR, bottom=top + 10.0))
                x += (len(token) + 1) * _CHAR
    plain = "\n".join(" ".join(cell.split()) for cell in text.strip("\n").replace("|", " ").splitlines())
    return Page(number=number, width=595.0, height=842.0, text=plain, words=words)
