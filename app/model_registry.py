"""Every module that defines tables, imported so that `Base.metadata` knows them all (migrations, tests)."""

from __future__ import annotations

from types import ModuleType

from app import models
from app.journal import export_ledger, rates
from app.journal import models as journal_models
from app.mail import models as mail_models
from app.ops import models as ops_models
from app.review import models as review_models
from app.scans import models as scan_models
from app.vendors import models as vendor_models

MODEL_MODULES: tuple[ModuleType, ...] = (
    models,
    mail_models,
    vendor_models,
    journal_models,
    review_models,
    export_ledger,
    rates,
    ops_models,
    scan_models,
)
