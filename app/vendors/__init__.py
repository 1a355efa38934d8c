"""Who sends invoices: one vendor per seller, the directory validation checks against (taught by approved
invoices) and whose creditor account the journal posts to, and the creditors' master data for DATEV
(numbers taken over from the advisor)."""
