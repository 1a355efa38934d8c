"""The review pages under `/review`: people log in, work the queue of flagged invoices, fix and decide."""
