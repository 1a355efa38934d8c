"""The highest confidence the chain's unsure sources may claim, and the posting threshold it implies.

The learned classifier and the small model choosing among several keyword matches are right far less often
than the 98 % a line posted without a person needs, so their confidence is capped below the posting
threshold: they fill in the proposal and a person confirms it. A threshold at or below a cap would let
those proposals post alone, so such a setting is refused (`check_threshold`). Kept here, free of heavy
imports, because the settings check it when they are read (`app.config`) as well as the booking policy.
"""

from __future__ import annotations

#: A model choice among several keyword matches counts for at most this much: below the default threshold,
#: so it fills in the proposal and a person confirms it (on the labelled lines the embedded model picked the
#: right one of the matched accounts 4 times in 7).
MATCHED_MODEL_CAP = 0.7
#: The learned classifier's choice counts for at most this much: below the default threshold, so it fills in
#: the proposal and a person confirms it (held out by vendor it is right far less often than 98 %).
LEARNED_CAP = 0.7
#: The highest capped confidence: a posting threshold must lie above it.
HIGHEST_CAP = max(MATCHED_MODEL_CAP, LEARNED_CAP)


def check_threshold(threshold: float) -> float:
    """`threshold` when it lies above every cap and at most 1; else ValueError saying why."""
    if not HIGHEST_CAP < threshold <= 1.0:
        raise ValueError(
            f"The posting threshold {threshold:g} must be above {HIGHEST_CAP:g} and at most 1: the learned "
            f"classifier's and the model's proposals are capped at {HIGHEST_CAP:g} because they are not "
            "reliable enough to post without a person, and a threshold at or below that cap would post them "
            "alone."
        )
    return threshold
