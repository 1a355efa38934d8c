"""Charts of accounts as data: DATEV SKR03 and SKR04 ship with Kontor, a company chart is a CSV file.

The CSV format is the one of `charts/skr03.csv`: `;`-separated, UTF-8, `#` comment lines, a header row
`account;kind;category;rate;name;keywords` and optionally `;label` and `;automatic`. A chart SHALL hold one
`other` expense account (the default), a `payable` account, and the input VAT accounts for 19 % and 7 %.
`automatic` = 1 marks a DATEV Automatikkonto: DATEV derives its VAT from the account itself, so rows on it
carry no tax key. When some accounts have a `label`, those are the model's short list (a 270M model cannot
weigh hundreds of accounts); the others are reached by their keywords, the reviewer and the asset rule.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal, get_args

from agents.errors import ConfigurationError

AccountKind = Literal[
    "expense",
    "asset",
    "input_vat",
    "input_vat_13b",
    "output_vat_13b",
    "input_vat_eu",
    "output_vat_eu",
    "payable",
    # The range's other VAT and payables accounts, and accounts no invoice line is booked to (wages,
    # depreciation): listed so a chart is complete, never chosen by Kontor.
    "tax",
    "liability",
    "ledger",
]
#: What a line of a supplier invoice can be booked to.
BOOKABLE: frozenset[str] = frozenset({"expense", "asset"})
BUILTIN = ("skr03", "skr04")
#: The category of the account for movable goods over the § 6 (2) EStG limit.
FIXED_ASSET = "fixed_asset"
COLUMNS = ("account", "kind", "category", "rate", "name", "keywords")
OPTIONAL = ("label", "automatic")


@dataclass(frozen=True)
class Account:
    number: str
    kind: AccountKind
    name: str
    category: str = ""
    rate: Decimal | None = None
    keywords: tuple[str, ...] = ()
    #: The short name the model chooses among.
    label: str = ""
    #: The chart gave a label: the account is on the model's short list.
    labelled: bool = False
    #: A DATEV Automatikkonto: its rows carry no BU key.
    automatic: bool = False
    #: The keywords compiled (see `keyword_pattern`).
    patterns: tuple[re.Pattern[str], ...] = field(default=(), compare=False, repr=False)

    @property
    def bookable(self) -> bool:
        return self.kind in BOOKABLE


@dataclass(frozen=True)
class Chart:
    name: str
    accounts: tuple[Account, ...]

    def get(self, number: str) -> Account | None:
        return next((a for a in self.accounts if a.number == number), None)

    @property
    def bookable(self) -> tuple[Account, ...]:
        return tuple(a for a in self.accounts if a.bookable)

    @property
    def choosable(self) -> tuple[Account, ...]:
        """What keywords and the model choose among: fixed assets are a rule's decision (§ 6 (2) EStG)."""
        return tuple(a for a in self.bookable if a.category != FIXED_ASSET)

    @property
    def model_choices(self) -> tuple[Account, ...]:
        """What the model chooses among when no keyword narrows it: the labelled accounts, else all."""
        labelled = tuple(a for a in self.choosable if a.labelled)
        return labelled or self.choosable

    def by_category(self, category: str) -> Account | None:
        return next((a for a in self.bookable if a.category == category), None)

    @property
    def default(self) -> Account:
        found = next((a for a in self.bookable if a.category == "other"), None)
        if found is None:
            raise ConfigurationError(f"chart {self.name} has no account of category 'other' (the default)")
        return found

    @property
    def account_length(self) -> int:
        return len(self.default.number)

    def tax_account(self, kind: AccountKind, rate: Decimal) -> Account | None:
        return next((a for a in self.accounts if a.kind == kind and a.rate == rate), None)

    def payable(self) -> Account:
        found = next((a for a in self.accounts if a.kind == "payable"), None)
        if found is None:
            raise ConfigurationError(f"chart {self.name} has no payable account")
        return found


def normalize(text: str) -> str:
    """Lower case, accents and punctuation gone, words separated by one space."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(re.findall(r"[^\W_]+", plain))


def keyword_pattern(keyword: str) -> re.Pattern[str]:
    """`word` matches a whole word (or phrase), `word*` a word's start, `*word` a word's end."""
    prefix, suffix = keyword.endswith("*"), keyword.startswith("*")
    core = re.escape(normalize(keyword.strip("*")))
    start = "" if suffix else r"\b"
    end = "" if prefix else r"\b"
    return re.compile(f"{start}{core}{end}")


def _account(row: dict[str, str], source: str) -> Account:
    kind = row["kind"].strip()
    if kind not in get_args(AccountKind):
        raise ConfigurationError(f"{source}: account {row['account']} has unknown kind {kind!r}")
    try:
        rate = Decimal(row["rate"]) if row["rate"].strip() else None
    except InvalidOperation as exc:
        raise ConfigurationError(f"{source}: account {row['account']} has rate {row['rate']!r}") from exc
    keywords = tuple(k.strip() for k in row["keywords"].split(",") if k.strip())
    return Account(
        number=row["account"].strip(),
        kind=kind,  # type: ignore[arg-type]  # checked against AccountKind above
        name=row["name"].strip(),
        category=row["category"].strip(),
        rate=rate,
        keywords=keywords,
        label=row.get("label", "").strip() or row["name"].strip(),
        labelled=bool(row.get("label", "").strip()),
        automatic=row.get("automatic", "").strip().lower() in ("1", "true", "yes", "ja"),
        patterns=tuple(keyword_pattern(k) for k in keywords),
    )


def parse_chart(text: str, name: str) -> Chart:
    """A chart from CSV text; raises `ConfigurationError` naming the problem."""
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(lines)), delimiter=";")
    if tuple(reader.fieldnames or ()) not in (COLUMNS, COLUMNS + OPTIONAL[:1], COLUMNS + OPTIONAL):
        raise ConfigurationError(f"{name}: the header must be {';'.join(COLUMNS)}[;{';'.join(OPTIONAL)}]")
    accounts = tuple(_account({k: v or "" for k, v in row.items()}, name) for row in reader)
    chart = Chart(name=name, accounts=accounts)
    _check(chart)
    return chart


def _check(chart: Chart) -> None:
    numbers = [a.number for a in chart.accounts]
    if len(set(numbers)) != len(numbers):
        raise ConfigurationError(f"chart {chart.name} lists an account twice")
    if any(not n.isdigit() for n in numbers):
        raise ConfigurationError(f"chart {chart.name}: account numbers are digits only")
    chart.payable()
    for rate in (Decimal(19), Decimal(7)):
        if chart.tax_account("input_vat", rate) is None:
            raise ConfigurationError(f"chart {chart.name} has no input VAT account for {rate} %")
    if any(len(a.number) != chart.account_length for a in chart.accounts):
        raise ConfigurationError(f"chart {chart.name}: all accounts must have the same number of digits")


@lru_cache(maxsize=8)
def load_chart(name: str = "skr03", csv_path: Path | None = None) -> Chart:
    """A built-in chart by name, or the company chart at `csv_path` (which then wins)."""
    if csv_path is not None:
        try:
            text = csv_path.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise ConfigurationError(f"cannot read the chart of accounts {csv_path}: {exc}") from exc
        return parse_chart(text, csv_path.stem)
    if name not in BUILTIN:
        raise ConfigurationError(f"unknown chart {name!r}; choose one of {', '.join(BUILTIN)} or a CSV file")
    text = resources.files("agents.booking").joinpath("charts", f"{name}.csv").read_text(encoding="utf-8")
    return parse_chart(text, name)
