"""`python -m bench.synth OUT --count N --seed S [--locale de] [--layout din5008]`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from bench.synth.invoice import LAYOUTS, draw
from bench.synth.locales import LOCALES
from bench.synth.render import render


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.synth", description=__doc__)
    parser.add_argument("out", type=Path, help="folder for <id>.pdf + <id>.json pairs")
    parser.add_argument("--count", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1, help="first seed; invoice i uses seed + i")
    parser.add_argument("--locale", choices=sorted(LOCALES))
    parser.add_argument("--layout", choices=LAYOUTS)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for seed in range(args.seed, args.seed + args.count):
        invoice = draw(seed, locale=args.locale, layout=args.layout)
        pdf = render(invoice)
        name = f"synth-{seed:05d}"
        (args.out / f"{name}.pdf").write_bytes(pdf)
        truth = json.dumps(invoice.truth(), ensure_ascii=False, indent=2)
        (args.out / f"{name}.json").write_text(truth + "\n", encoding="utf-8")
    print(f"{args.count} invoices in {args.out}")


if __name__ == "__main__":
    main()
