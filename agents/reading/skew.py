"""The skew angle of a page image from the ink's row profile (cheaper than Tesseract's layout pass).

Text lines make the horizontal projection of the ink peaky when they are level: for each candidate
angle the ink pixels of a downscaled page are sheared by it and counted per row, and the angle whose
profile has the largest sum of squares wins (coarse steps first, then fine steps around the best).
"""

from __future__ import annotations

import numpy as np
from PIL import Image

#: Width the page is reduced to first (about 100 dpi for A4): enough ink for the profile, fast.
WORK_WIDTH = 1000
#: Angles searched, in degrees either way, and the steps of the two passes.
MAX_DEGREES = 5.0
COARSE_STEP = 0.25
FINE_STEP = 0.025
#: Pixels darker than this count as ink.
INK_BELOW = 128


def skew_degrees(grey: Image.Image) -> tuple[float, bool]:
    """Degrees to turn the image counter-clockwise (PIL `rotate`) so its text lines are level, and
    whether the lines run up and down instead (the page lies sideways: its columns profile is peakier)."""
    scale = min(1.0, WORK_WIDTH / max(grey.width, grey.height))
    size = (max(1, int(grey.width * scale)), max(1, int(grey.height * scale)))
    small = grey.resize(size, Image.Resampling.BOX)
    ys, xs = np.nonzero(np.asarray(small) < INK_BELOW)
    if len(xs) < 100:
        return 0.0, False
    # Each pixel is spread over its own height: otherwise every pixel row falls into one bin at
    # exactly 0 degrees and nowhere else, and the profile favours 0 over the true angle.
    jitter = np.random.default_rng(0).uniform(-0.5, 0.5, (2, len(xs)))
    xs = xs - small.width / 2 + jitter[0]
    ys = ys - small.height / 2 + jitter[1]
    degrees, across = _search(xs, ys)
    _, down = _search(ys, xs)
    return degrees, down > across


def _search(xs: np.ndarray, ys: np.ndarray) -> tuple[float, float]:
    """The best angle for rows of `ys` (coarse, then fine) and its profile's score."""
    coarse, _ = _best(xs, ys, np.arange(-MAX_DEGREES, MAX_DEGREES + COARSE_STEP / 2, COARSE_STEP))
    fine = np.arange(coarse - COARSE_STEP, coarse + COARSE_STEP + FINE_STEP / 2, FINE_STEP)
    degrees, score = _best(xs, ys, fine)
    return round(degrees, 3), score


def _best(xs: np.ndarray, ys: np.ndarray, angles: np.ndarray) -> tuple[float, float]:
    scores = []
    for degrees in angles:
        # Turning the image counter-clockwise by `degrees` moves a point right of the centre up by
        # x * tan(angle) (image rows grow downwards); count each ink pixel in its row after that.
        rows = np.round(ys - xs * np.tan(np.radians(degrees))).astype(np.int64)
        counts = np.bincount(rows - rows.min())
        scores.append(float(np.dot(counts, counts)))
    best = int(np.argmax(scores))
    return float(angles[best]), scores[best]
