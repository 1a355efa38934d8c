"""Which language a page is written in, guessed from a first OCR reading, to read it again with its model.

The configured models (`deu+eng`) read every Latin-script page, but without the right model the
letters of other languages come out wrong (`ę` as `e`, `ř` as `r`, `é` as `e`) and so do the names and
numbers beside them. A page's common words tell its language even when read with the wrong model:
each language here has a short list of its frequent function words and invoice words, compared with
accents folded away (the first reading has none). The language with the most hits wins when it has
enough of them and clearly more than the runner-up. The languages already read with do not count as
runners-up: a page in two languages (Czech beside English) is read again with the one missing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


#: Tesseract model name → frequent words of that language (lower case, accents folded).
COMMON_WORDS: dict[str, frozenset[str]] = {
    "deu": _set(
        "der die das und mit von fur den dem des ist nicht auf bei wir ihre ihr sie zu im "
        "rechnung rechnungsnummer datum betrag gesamt summe netto brutto mwst ust steuer zahlbar "
        "bitte uberweisen menge preis einzelpreis lieferung kunde kundennummer"
    ),
    "eng": _set(
        "the and of to for with by is are your you our we this please from on at in "
        "invoice date due total amount subtotal tax paid payment bill number price quantity "
        "description balance thank"
    ),
    "fra": _set(
        "le la les des du de et en pour par au aux sur une un est vous nous votre "
        "facture date montant total tva ht ttc prix quantite client reglement paiement echeance "
        "designation unitaire remise"
    ),
    "nld": _set(
        "de het een van en voor met op te is bij uw wij ons naar aan "
        "factuur factuurnummer factuurdatum datum bedrag totaal btw excl incl prijs aantal "
        "omschrijving betaling vervaldatum klant"
    ),
    "ita": _set(
        "il la le di del della dei delle e per con da al alla un una che sono "
        "fattura data importo totale iva imponibile prezzo quantita cliente pagamento scadenza "
        "descrizione partita"
    ),
    "spa": _set(
        "el la los las de del y en para por con al un una que su sus "
        "factura fecha importe total iva base precio cantidad cliente pago vencimiento "
        "descripcion"
    ),
    "pol": _set(
        "i w z na do od za jest sie oraz nie dla przez po "
        "faktura vat data sprzedawca nabywca razem netto brutto kwota cena ilosc wartosc "
        "stawka zaplaty platnosci termin sprzedazy nazwa towaru slownie"
    ),
    "ces": _set(
        "a v z na do od za je se ve pro po nebo "
        "faktura datum dodavatel odberatel celkem cena castka dph zaklad splatnosti "
        "vystaveni mnozstvi polozka uhrady"
    ),
}
#: A guess needs this many hits and this many times the runner-up's.
MIN_HITS = 8
MIN_LEAD = 1.5

_WORD = re.compile(r"[^\W\d_]+")


def guess_language(words: Iterable[str], read_with: Collection[str] = ()) -> str | None:
    """The Tesseract model name of the page's language, or None when the words do not say clearly.

    Languages in `read_with` (the models of the first reading) must be outnumbered, but not by
    `MIN_LEAD`: their words are read right anyway, so they need no second reading to compete with.
    """
    folded = [_fold(m) for text in words for m in _WORD.findall(text)]
    hits = {lang: sum(1 for w in folded if w in vocab) for lang, vocab in COMMON_WORDS.items()}
    ranked = sorted(hits.items(), key=lambda item: item[1], reverse=True)
    best, most = ranked[0]
    second = max((n for lang, n in ranked[1:] if lang not in read_with), default=0)
    if most < MIN_HITS or most < MIN_LEAD * second:
        return None
    return best


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
