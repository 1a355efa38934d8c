from __future__ import annotations

import pytest

from agents.booking.line_kind import names_a_service


@pytest.mark.parametrize(
    "text",
    [
        "Arbeitszeit Geselle",
        "Montagearbeiten Küche",
        "Hourly rate senior engineer",
        "Einrichtungspauschale",
        "Bearbeitungsgebühr",
        "Service fee",
        "Hosting 01.03.2026 - 31.03.2026",
        "Premium plan, monthly",
        "Inbetriebnahme der Anlage",
    ],
)
def test_work_time_fees_and_periods_name_a_service(text: str) -> None:
    assert names_a_service(text)


@pytest.mark.parametrize(
    "text", ["Gartenschlauch 20 m", "Schrauben M8 x 40, 100 Stück", "Espresso beans 1 kg", "Widget XL blue"]
)
def test_things_name_no_service(text: str) -> None:
    assert not names_a_service(text)
