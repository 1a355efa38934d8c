"""The scorer's reasons in words: the features that pushed the chosen option up most (tree SHAP values)."""

from __future__ import annotations

from collections.abc import Callable

from agents.extraction.scorer.features import FEATURES, LABEL_DIRECTIONS, SOURCE_KINDS, Option

TOP_REASONS = 3

Describe = Callable[[Option, dict[str, float]], str]


def _label(option: Option, row: dict[str, float]) -> str:
    label = option.source.removeprefix("label:").strip()
    direction = LABEL_DIRECTIONS[int(row["label_dir"])]
    if direction == "none":
        return f"label '{label}'"
    return f"label '{label}' {direction}"


def _zone(option: Option, row: dict[str, float]) -> str:
    y = row["y_rel"]
    zone = "top" if y < 0.25 else "bottom" if y > 0.75 else "middle"
    return f"in the {zone} of page {option.page}"


_DESCRIBE: dict[str, Describe] = {
    "source_kind": lambda o, r: f"found by {SOURCE_KINDS[int(r['source_kind'])].rstrip(':')}",
    "prior": lambda o, r: f"rule strength {r['prior']:.2f}",
    "prior_rank": lambda o, r: f"rules rank it #{int(r['prior_rank']) + 1}",
    "prior_gap": lambda o, r: f"rules rank it #{int(r['prior_rank']) + 1}",
    "label_dir": _label,
    "label_dx": _label,
    "label_dy": _label,
    "label_len": _label,
    "y_rel": _zone,
    "x_rel": lambda o, r: "left half" if r["x_rel"] < 0.5 else "right half",
    "line_rel": _zone,
    "page_first": lambda o, r: f"on page {o.page}",
    "page_last": lambda o, r: f"on page {o.page}",
    "height_ratio": lambda o, r: f"font {r['height_ratio']:.1f}x the body text",
    "height_rank": lambda o, r: f"font size rank {int(r['height_rank']) + 1} on page 1",
    "in_window": lambda o, r: "in the address window" if r["in_window"] else "outside the address window",
    "repeats": lambda o, r: f"printed {int(r['repeats'])} time(s)",
    "domain_match": lambda o, r: "matches a web/e-mail domain" if r["domain_match"] else "no domain match",
    "legal_form": lambda o, r: "carries a legal form" if r["legal_form"] else "no legal form",
    "date_rank": lambda o, r: f"date #{int(r['date_rank']) + 1} in time order",
    "date_span": lambda o, r: f"{int(r['date_span'])} days after the earliest date",
}


def reasons(option: Option, row: list[float], contributions: list[float]) -> tuple[str, ...]:
    """Up to `TOP_REASONS` distinct phrases for the features that raised this option's score most."""
    named = dict(zip(FEATURES, row, strict=True))
    ranked = sorted(
        ((c, name) for name, c in zip(FEATURES, contributions, strict=False) if c > 0),
        reverse=True,
    )
    out: list[str] = []
    for weight, name in ranked:
        phrase = _DESCRIBE.get(name, lambda o, r, n=name: f"value shape ({n})")(option, named)
        if phrase not in {p.rsplit(" (+", 1)[0] for p in out}:
            out.append(f"{phrase} (+{weight:.2f})")
        if len(out) == TOP_REASONS:
            break
    return tuple(out)
