"""Spanish invoice vocabulary."""

from agents.extraction.vocab import Vocabulary

VOCAB = Vocabulary(
    language="es",
    labels={
        "invoice_number": (
            (
                r"n[ºo°]\.?\s*(?:de\s+)?factura|número\s+(?:de\s+)?factura|factura\s*(?:n[ºo°]\.?|número|num\.?|#)",
                1.0,
            ),
            (r"^factura\s*(?:#|n[ºo°]\.?)?(?:[:\s]*(?=\S*\d)|$)", 0.6),
        ),
        "issue_date": (
            (r"fecha\s+(?:de\s+)?(?:la\s+)?(?:factura|emisión|expedición)", 1.0),
            (r"(?<!\w)fecha\s*:", 0.6),
        ),
        "due_date": ((r"(?:fecha\s+de\s+)?vencimiento|fecha\s+límite\s+de\s+pago", 1.0),),
        "delivery_date": ((r"fecha\s+de\s+(?:entrega|operación|servicio)", 1.0),),
        "gross_total": (
            (r"total\s+factura|importe\s+total|total\s+(?:con\s+)?iva\s+incluido", 1.0),
            (r"^total\s*(?:€|eur)?\s*:?$", 0.5),
        ),
        "net_total": ((r"base\s+imponible|total\s+neto|importe\s+neto", 0.9), (r"subtotal", 0.4)),
        "tax_total": (
            (r"cuota\s+(?:de\s+)?iva|total\s+iva|importe\s+iva", 1.0),
            (r"(?<![\w.])iva\b(?!\s*intracomunitari)", 0.5),
        ),
        "amount_due": ((r"total\s+a\s+pagar|importe\s+a\s+pagar|(?<!\w)a\s+pagar", 1.0),),
        "prepaid_amount": ((r"anticipo|ya\s+pagado|pagado", 0.9),),
        "allowance_total": ((r"descuento", 0.8),),
        "currency": ((r"moneda|divisa", 1.0),),
    },
    months={
        "enero": 1,
        "ene": 1,
        "febrero": 2,
        "marzo": 3,
        "abril": 4,
        "abr": 4,
        "mayo": 5,
        "junio": 6,
        "julio": 7,
        "agosto": 8,
        "ago": 8,
        "septiembre": 9,
        "setiembre": 9,
        "octubre": 10,
        "noviembre": 11,
        "diciembre": 12,
        "dic": 12,
    },
    seller_headers=(r"emisor", r"proveedor", r"vendedor", r"datos\s+del\s+emisor"),
    buyer_headers=(
        r"cliente",
        r"destinatario",
        r"facturar\s+a",
        r"receptor",
        r"comprador",
        r"datos\s+del\s+cliente",
    ),
    buyer_hints=(r"cliente", r"su"),
    vat_labels=(r"cif", r"nif", r"n\.i\.f\.?", r"c\.i\.f\.?"),
    credit_note_words=(r"factura\s+rectificativa", r"abono"),
    countries={"españa": "ES", "alemania": "DE", "francia": "FR", "portugal": "PT"},
    page_words=(r"página",),
    position_words=(r"línea",),
    payment_days=(r"(?:a|en)\s+(?P<days>\d{1,3})\s+días",),
    payment_now=(r"al\s+contado", r"pago\s+inmediato"),
)
