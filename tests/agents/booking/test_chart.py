from __future__ import annotations

from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest

from agents.booking.accounts import keyword_matches
from agents.booking.chart import load_chart, parse_chart
from app.errors import ConfigurationError

COMPANY_CHART = """\
# A company's own chart, five-digit accounts
account;kind;category;rate;name;keywords
49300;expense;office;;Büromaterial;papier,toner*
49000;expense;other;;Sonstiges;
15760;input_vat;;19;Vorsteuer 19 %;
15710;input_vat;;7;Vorsteuer 7 %;
16000;payable;;;Verbindlichkeiten;
"""


@pytest.mark.parametrize("name", ["skr03", "skr04"])
def test_the_built_in_charts_cover_the_common_supplier_invoices(name: str) -> None:
    chart = load_chart(name)
    categories = {a.category for a in chart.bookable}
    expected = {"goods", "office", "rent", "telecom", "software", "travel", "vehicle", "advertising"}
    assert expected | {"consulting", "repairs", "insurance", "freight", "other"} <= categories
    assert chart.tax_account("input_vat", Decimal(19)) is not None
    assert chart.tax_account("input_vat", Decimal(7)) is not None
    assert chart.payable().kind == "payable"
    assert chart.account_length == 4


#: Well-known accounts of DATEV's published charts, by number: (name, kind, automatic).
KNOWN = {
    "skr03": {
        "3400": ("Wareneingang 19 % Vorsteuer", "expense", True),
        "4520": ("Kfz-Versicherungen", "expense", False),
        "0420": ("Büroeinrichtung", "asset", False),
        "1577": ("Abziehbare Vorsteuer nach § 13b UStG 19 %", "input_vat_13b", False),
        "4830": ("Abschreibungen auf Sachanlagen (ohne AfA auf Kfz und Gebäude)", "ledger", False),
        "4120": ("Gehälter", "ledger", False),
    },
    "skr04": {
        "5400": ("Wareneingang 19 % Vorsteuer", "expense", True),
        "6520": ("Kfz-Versicherungen", "expense", False),
        "0650": ("Büroeinrichtung", "asset", False),
        "1407": ("Abziehbare Vorsteuer nach § 13b UStG 19 %", "input_vat_13b", False),
        "6220": ("Abschreibungen auf Sachanlagen (ohne AfA auf Kfz und Gebäude)", "ledger", False),
        "6020": ("Gehälter", "ledger", False),
    },
}


@pytest.mark.parametrize("name", ["skr03", "skr04"])
def test_the_built_in_charts_hold_the_full_ranges_with_datevs_names(name: str) -> None:
    chart = load_chart(name)
    assert len(chart.accounts) >= 400
    assert len(chart.bookable) >= 200
    assert all(a.name.strip() and "  " not in a.name for a in chart.accounts)
    for number, (account_name, kind, automatic) in KNOWN[name].items():
        account = chart.get(number)
        assert account is not None
        assert (account.name, account.kind, account.automatic) == (account_name, kind, automatic)
    # Wages and depreciation are listed, but no invoice line is ever booked to them.
    assert not any(a.kind == "ledger" for a in chart.bookable)
    header = resources.files("agents.booking").joinpath("charts", f"{name}.csv").read_text(encoding="utf-8")
    assert "Source of the account numbers and names" in header


def test_skr03_and_skr04_have_the_same_categories_and_different_numbers() -> None:
    skr03, skr04 = load_chart("skr03"), load_chart("skr04")
    by_category = {a.category: a.number for a in skr04.bookable}
    assert {a.category for a in skr03.bookable} == set(by_category)
    assert skr03.default.number == "4900"
    assert skr04.default.number == "6300"
    assert all(by_category[a.category] != a.number for a in skr03.bookable)


def test_the_same_account_has_the_same_keywords_in_skr03_and_skr04() -> None:
    skr04: dict[tuple[str, str], list[tuple[str, ...]]] = {}
    for account in load_chart("skr04").bookable:
        skr04.setdefault((account.name, account.kind), []).append(account.keywords)
    pairs = [(a, skr04[(a.name, a.kind)]) for a in load_chart("skr03").bookable if (a.name, a.kind) in skr04]
    assert len(pairs) >= 150
    assert [a.number for a, theirs in pairs if a.keywords not in theirs] == []


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # The corpus languages beside German and English: Dutch, French, Italian, Spanish, Polish, Czech.
        ("Kantoorartikelen diversen", "office"),
        ("Licenza annuale gestionale", "software"),
        ("Frais de transport", "freight"),
        ("Consultoría fiscal", "consulting"),
        ("Paliwo ON 50 l", "vehicle"),
        ("Czynsz za lokal biurowy", "rent"),
        ("Školení BOZP", "training"),
        ("Elektriciteit levering", "energy"),
        ("Odvoz odpadu", "waste"),
        ("Reparatie koffieautomaat", "repairs"),
    ],
)
def test_keywords_cover_the_corpus_languages(text: str, category: str) -> None:
    for chart in ("skr03", "skr04"):
        assert [a.category for a, _ in keyword_matches(text, load_chart(chart))] == [category]


def test_a_company_chart_is_loaded_from_csv(tmp_path: Path) -> None:
    path = tmp_path / "firma.csv"
    path.write_text(COMPANY_CHART, encoding="utf-8")
    chart = load_chart("skr03", path)
    assert chart.name == "firma"
    assert chart.account_length == 5
    assert chart.default.number == "49000"
    assert [a.number for a, _ in keyword_matches("Tonerkartusche schwarz", chart)] == ["49300"]
    assert chart.model_choices == chart.choosable  # no labels: the model sees every account


def test_the_model_sees_only_the_labelled_accounts_of_a_large_chart() -> None:
    chart = load_chart("skr03")
    assert len(chart.bookable) >= 90
    short = chart.model_choices
    assert set(short) < set(chart.choosable)
    assert len({a.category for a in short}) == len(short) < 25  # one account per kind of cost


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Kfz-Versicherung Transporter", "4520"),  # the longer keyword wins over "versicherung" and "kfz"
        ("Bürobedarf Sammelbestellung", "4930"),  # "*bürobedarf" holds "*bedarf" of Betriebsbedarf
        ("Customs clearance Hamburg", "3800"),  # the clearance is a service; the duty itself is 3850
    ],
)
def test_the_most_specific_keyword_decides(text: str, number: str) -> None:
    assert [a.number for a, _ in keyword_matches(text, load_chart("skr03"))] == [number]


@pytest.mark.parametrize(
    ("text", "number"),
    [
        # Invented lines, German and English, for the costs a small company books most (SKR03 numbers).
        ("Tintenpatronen schwarz XL", "4930"),
        ("Office supplies assorted", "4930"),
        ("SIM-Karte Ersatz", "4920"),
        ("vServer M monthly", "4925"),
        ("SSL certificate 1 year", "4925"),
        ("Fernwartung Server 2 Std.", "4806"),
        ("Kilometerpauschale 0,30 EUR x 120 km", "4663"),
        ("Mileage allowance 240 km", "4663"),
        ("Kurtaxe 3 Nächte", "4666"),
        ("Messestand Aufbau", "4600"),
        ("Geschäftsgebühr Nr. 2300 VV RVG", "4950"),
        ("Law firm fees litigation", "4950"),
        ("Jahresabschluss 2025", "4957"),
        ("Malerarbeiten Büro 2. OG", "4260"),
        ("Electrician call-out and labour", "4260"),
        ("Schlüsseldienst Türöffnung", "4260"),
        ("Disinfectant wipes", "4250"),
        ("Auslandseinsatzentgelt 1,75 %", "4970"),
        ("Paketmarke national", "4910"),
        ("Dieselzuschlag", "3800"),
        ("Sicherheitsschuhe S3", "4980"),
        ("Power strip 5 sockets", "4985"),
        ("Zeitarbeit Lagerhelfer KW 12", "4909"),
    ],
)
def test_keywords_name_the_usual_costs_of_a_small_company(text: str, number: str) -> None:
    skr03, skr04 = load_chart("skr03"), load_chart("skr04")
    assert [a.number for a, _ in keyword_matches(text, skr03)] == [number]
    expected = skr03.get(number)
    assert [a.name for a, _ in keyword_matches(text, skr04)] == [expected.name if expected else ""]


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        # Keywords too broad to decide alone: a word start, or an English word with other meanings.
        ("Simulationssoftware Jahreslizenz", ["4964"]),  # not "sim*" of the telephone account
        ("Premium-Abo monatlich", ["4964"]),  # a "premium" is no insurance premium
        ("Preisabschlag 5 %", []),  # a discount, not an energy instalment
        ("Production planning", []),  # not the goods of "product*"
        ("Müllbeutel 120 l", ["4980"]),  # bin bags are supplies, not waste disposal
    ],
)
def test_broad_words_do_not_decide_a_line(text: str, numbers: list[str]) -> None:
    assert [a.number for a, _ in keyword_matches(text, load_chart("skr03"))] == numbers


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("account;kind\n4900;expense\n", "header"),
        (COMPANY_CHART.replace("payable", "debt"), "unknown kind"),
        (COMPANY_CHART.replace("15710;input_vat;;7", "15710;input_vat;;8"), "7 %"),
        (COMPANY_CHART.replace("49300", "4930"), "same number of digits"),
        (COMPANY_CHART + "49300;expense;office;;Doppelt;\n", "twice"),
    ],
)
def test_a_broken_chart_is_refused_with_the_reason(text: str, problem: str) -> None:
    with pytest.raises(ConfigurationError, match=problem):
        parse_chart(text, "broken")


def test_an_unknown_chart_name_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="skr03"):
        load_chart("skr99")


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Porto", "postage"),
        ("Kopierpapier A4", "office"),  # "*papier" matches the end of a compound
        ("Versandkosten", "freight"),  # "versand*" matches its start
        ("Übernachtung 2 Nächte", "travel"),  # accents and case do not matter
        ("Mineralwasser 12 x 1,0l", None),  # "wasser" is a whole word only
        ("Gasflasche", None),
    ],
)
def test_keywords_match_whole_words_or_marked_compounds(text: str, category: str | None) -> None:
    found = [a.category for a, _ in keyword_matches(text, load_chart("skr03"))]
    assert found == ([category] if category else [])
