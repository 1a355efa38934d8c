"""Documents: taking them in, a person's decisions on them, and the history earlier invoices make."""
