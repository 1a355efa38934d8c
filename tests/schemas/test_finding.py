"""Finding codes form a closed set: every code written in `agents/` or `app/` is a `FindingCode`, or is
made by `coded()` from a rule id; none is spelled out as a formatted string."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from schemas.finding import Finding, FindingCode, coded

ROOT = Path(__file__).resolve().parent.parent.parent
#: Calls that take a finding code: the model, its constructor, and the booking agent's family helper.
CONSTRUCTORS = {"Finding", "of", "problem"}


def _code_arguments(tree: ast.AST) -> Iterator[ast.expr]:
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name not in CONSTRUCTORS:
            continue
        keyword = next((k.value for k in node.keywords if k.arg == "code"), None)
        if keyword is not None:
            yield keyword
        elif node.args and name != "Finding":
            yield node.args[0]


def _written_codes() -> Iterator[tuple[str, ast.expr]]:
    for path in sorted([*(ROOT / "agents").rglob("*.py"), *(ROOT / "app").rglob("*.py")]):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for argument in _code_arguments(tree):
            yield f"{path.relative_to(ROOT)}:{argument.lineno}", argument


def test_every_literal_code_is_a_finding_code() -> None:
    known = {code.value for code in FindingCode}
    written = list(_written_codes())
    assert len(written) > 40  # the walk found the findings
    unknown = [
        f"{where} {argument.value!r}"
        for where, argument in written
        if isinstance(argument, ast.Constant) and argument.value not in known
    ]
    assert unknown == []


def test_no_code_is_a_formatted_string() -> None:
    assert [where for where, argument in _written_codes() if isinstance(argument, ast.JoinedStr)] == []


def test_codes_keep_their_stored_spelling() -> None:
    finding = Finding.of(FindingCode.ARITHMETIC_GROSS_MISMATCH, "error", "does not add up", "gross_total")
    assert finding.model_dump(mode="json") == {
        "code": "arithmetic.gross_mismatch",
        "severity": "error",
        "message": "does not add up",
        "fields": ["gross_total"],
    }
    assert FindingCode.BANK_CHANGED.family == "bank"
    assert coded("einvoice", "BR-CO-15") == "einvoice.BR-CO-15"
