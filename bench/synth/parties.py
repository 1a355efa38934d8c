"""Made-up companies: names, addresses, VAT IDs and IBANs with valid check digits, from a seeded random."""

from __future__ import annotations

import random
import string
from dataclasses import dataclass

from schwifty import IBAN
from stdnum import iban as iban_check
from stdnum.ch import uid
from stdnum.eu import vat
from stdnum.gb import vat as gb_vat

from bench.synth.locales import Locale

SYLLABLES = (
    "ka",
    "lo",
    "ver",
    "stein",
    "mar",
    "tin",
    "bel",
    "ra",
    "no",
    "vik",
    "sol",
    "dor",
    "fen",
    "ta",
    "lin",
    "gor",
    "mi",
    "sa",
    "tor",
    "wen",
    "bra",
    "cel",
    "dan",
    "ek",
    "fri",
    "hal",
    "jur",
    "kos",
)
TRADES = (
    "Technik",
    "Systems",
    "Consult",
    "Logistik",
    "Print",
    "Solutions",
    "Media",
    "Bau",
    "Trade",
    "Service",
)
FIRST_NAMES = (
    "Anna",
    "Jan",
    "Marie",
    "Tomás",
    "Lena",
    "Paul",
    "Eva",
    "Marek",
    "Sofia",
    "Luca",
    "Inès",
    "Kees",
)
#: Domestic account lengths (bank code + account, digits) per country, for schwifty's BBAN layout.
BBAN_DIGITS = {"DE": 18, "CH": 17, "GB": None, "FR": 23, "NL": None, "IT": None, "ES": 20, "PL": 24, "CZ": 20}
#: VAT ID bodies: how many digits, and the printed prefix, per country (the US has none).
VAT_DIGITS = {"DE": 9, "FR": 11, "NL": 9, "IT": 11, "ES": 9, "PL": 10, "CZ": 8, "GB": 9}


@dataclass(frozen=True)
class Party:
    name: str
    street: str
    postcode: str
    city: str
    country: str
    vat_id: str | None
    iban: str | None
    phone: str

    def address_lines(self) -> list[str]:
        return [self.name, self.street, f"{self.postcode} {self.city}"]


def word(rng: random.Random, parts: int = 2) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def company(rng: random.Random, locale: Locale, *, with_iban: bool = True) -> Party:
    style = rng.randrange(3)
    if style == 0:
        name = f"{word(rng)} {rng.choice(TRADES)} {rng.choice(locale.legal_forms)}"
    elif style == 1:
        name = f"{word(rng, 3)} {rng.choice(locale.legal_forms)}"
    else:
        name = f"{word(rng)} & {word(rng)} {rng.choice(locale.legal_forms)}"
    return _party(rng, locale, name, with_vat=locale.country != "US", with_iban=with_iban)


def person(rng: random.Random, locale: Locale) -> Party:
    return _party(rng, locale, f"{rng.choice(FIRST_NAMES)} {word(rng)}", with_vat=False, with_iban=False)


def _party(rng: random.Random, locale: Locale, name: str, *, with_vat: bool, with_iban: bool) -> Party:
    return Party(
        name=name,
        street=_street(rng, locale),
        postcode=_postcode(rng, locale.country),
        city=word(rng, rng.choice((2, 3))),
        country=locale.country,
        vat_id=vat_id(rng, locale.country) if with_vat else None,
        iban=iban(rng, locale.country) if with_iban else None,
        phone=f"+{rng.randint(30, 49)} {rng.randint(100, 999)} {rng.randint(100000, 9999999)}",
    )


def _street(rng: random.Random, locale: Locale) -> str:
    suffix, number = rng.choice(locale.street_words), rng.randint(1, 180)
    if locale.country in ("DE", "CH", "NL"):
        return f"{word(rng)}{suffix} {number}"
    if locale.country in ("US", "GB"):
        return f"{number} {word(rng)} {suffix}"
    if locale.country == "FR":
        return f"{number} {suffix} {word(rng)}"
    return f"{suffix} {word(rng)} {number}"


def _postcode(rng: random.Random, country: str) -> str:
    if country == "GB":
        letters = string.ascii_uppercase
        area = f"{rng.choice(letters)}{rng.choice(letters)}{rng.randint(1, 20)}"
        return f"{area} {rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"
    if country == "PL":
        return f"{rng.randint(10, 99)}-{rng.randint(100, 999)}"
    if country == "CZ":
        return f"{rng.randint(100, 799)} {rng.randint(10, 99)}"
    if country in ("CH", "NL"):
        return str(rng.randint(1000, 9999)) + (
            f" {rng.choice('ABCDEFGH')}{rng.choice('JKLMNPRS')}" if country == "NL" else ""
        )
    return f"{rng.randint(1000, 99999):05d}"


def vat_id(rng: random.Random, country: str) -> str | None:
    """A VAT ID that passes its country's check digits (stdnum), drawn until one does."""
    if country == "CH":
        for _ in range(10_000):
            digits = "".join(rng.choice(string.digits) for _ in range(9))
            candidate = f"CHE{digits}"
            if uid.is_valid(candidate):
                return f"CHE-{digits[:3]}.{digits[3:6]}.{digits[6:]} MWST"
        return None
    length = VAT_DIGITS.get(country)
    if length is None:
        return None
    prefix = country
    for _ in range(10_000):
        body = str(rng.randint(1, 9)) + "".join(rng.choice(string.digits) for _ in range(length - 1))
        if country == "ES":
            body = rng.choice("ABCDEFGHJ") + body[1:]
        if country == "NL":
            body += "B01"
        if (gb_vat if country == "GB" else vat).is_valid(prefix + body):
            return prefix + body
    return None


def iban(rng: random.Random, country: str) -> str | None:
    """A syntactically valid IBAN of `country` (national check digits included), or None (US)."""
    if country == "US":
        return None
    for _ in range(20_000):
        candidate = _random_bban(rng, country)
        check = iban_check.calc_check_digits(f"{country}00{candidate}")
        number = f"{country}{check}{candidate}"
        if iban_check.is_valid(number) and _schwifty_valid(number):
            return number
    return None


def _random_bban(rng: random.Random, country: str) -> str:
    if country == "GB":
        return "".join(rng.choice(string.ascii_uppercase) for _ in range(4)) + _digits(rng, 14)
    if country == "NL":
        return "".join(rng.choice(string.ascii_uppercase) for _ in range(4)) + _digits(rng, 10)
    if country == "IT":
        return rng.choice(string.ascii_uppercase) + _digits(rng, 10) + _digits(rng, 12)
    return _digits(rng, BBAN_DIGITS.get(country) or 18)


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def _schwifty_valid(number: str) -> bool:
    try:
        IBAN(number)
    except ValueError:
        return False
    return True


def printed_iban(number: str) -> str:
    return " ".join(number[i : i + 4] for i in range(0, len(number), 4))
