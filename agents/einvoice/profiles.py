"""Profiles: what a specification identifier (BT-24) promises about the document's content."""

from __future__ import annotations

from typing import Literal

#: Factur-X / ZUGFeRD 2.x levels, smallest first. XRechnung, Peppol and plain EN 16931 are `en16931`.
Level = Literal["minimum", "basicwl", "basic", "en16931", "extended"]

LEVELS: tuple[Level, ...] = ("minimum", "basicwl", "basic", "en16931", "extended")


def level_of(profile: str | None) -> Level:
    """The level a guideline or customization id claims; unknown ids are read as EN 16931 itself.

    `#conformant#` marks an extension of EN 16931 (it may carry more than the norm), `#compliant#` a
    restriction (CIUS) such as XRechnung or Peppol, which carries no more than the norm.
    """
    urn = (profile or "").lower()
    if "minimum" in urn:
        return "minimum"
    if "basicwl" in urn or "basic-wl" in urn:
        return "basicwl"
    if "extended" in urn or "#conformant#" in urn:
        return "extended"
    if urn.endswith(":basic"):
        return "basic"
    return "en16931"


def has_lines(level: Level) -> bool:
    """MINIMUM and BASIC WL carry no invoice lines; every other level must."""
    return LEVELS.index(level) >= LEVELS.index("basic")
