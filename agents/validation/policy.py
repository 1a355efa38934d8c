"""The decision: a person looks at anything with an error or a warning from the review set."""

from __future__ import annotations

from collections.abc import Sequence
from fnmatch import fnmatchcase
from typing import Literal

from pydantic import BaseModel, Field

from schemas.finding import Finding

DecisionStatus = Literal["ready", "needs_review"]


class Decision(BaseModel):
    status: DecisionStatus
    #: Finding codes that sent it to review, errors first; empty when ready.
    reasons: list[str] = Field(default_factory=list)


def decide(findings: Sequence[Finding], review_warnings: Sequence[str]) -> Decision:
    errors = [f.code for f in findings if f.severity == "error"]
    warnings = [
        f.code
        for f in findings
        if f.severity == "warning" and any(fnmatchcase(f.code, pattern) for pattern in review_warnings)
    ]
    reasons = list(dict.fromkeys(errors + warnings))
    return Decision(status="needs_review" if reasons else "ready", reasons=reasons)
