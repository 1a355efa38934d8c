"""The journal: posted entries and their creditors, posting and reversing, exchange rates, and the exports
that carry the journal to others (DATEV, GoBD, JSON)."""
