"""The booking settings refuse a posting threshold that would let capped proposals post alone."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from app.config import Settings
from schemas.proposal_caps import HIGHEST_CAP


@pytest.mark.parametrize("threshold", ["0.5", str(HIGHEST_CAP)])
def test_a_threshold_at_or_below_the_caps_is_refused_with_the_reason(
    threshold: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KONTOR_BOOKING__CONFIDENCE_THRESHOLD", threshold)
    with pytest.raises(ValidationError) as refused:
        Settings(_env_file=None)
    message = str(refused.value)
    assert "confidence_threshold" in message
    assert f"must be above {HIGHEST_CAP:g}" in message
    assert "post them alone" in message


def test_a_threshold_above_the_caps_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KONTOR_BOOKING__CONFIDENCE_THRESHOLD", "0.75")
    assert Settings(_env_file=None).booking.confidence_threshold == 0.75
    monkeypatch.delenv("KONTOR_BOOKING__CONFIDENCE_THRESHOLD")
    assert Settings(_env_file=None).booking.confidence_threshold == 0.8
