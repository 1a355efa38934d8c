"""Who sends invoices: the vendor directory validation checks against (built from approved invoices) and
the creditors' master data for DATEV (numbers taken over from the advisor)."""
