"""Mail ingest: invoices from IMAP mailboxes and Maildirs, each message exactly once.

Configured with `KONTOR_MAIL_SOURCES` (JSON list of `MailSource`) and `KONTOR_MAIL_SCHEDULE` (cron,
default `0 2 * * *`), e.g.

    KONTOR_MAIL_SOURCES='[{"name": "invoices", "url": "imaps://rechnung@mail.example:993/INBOX",
                           "password_file": "/run/secrets/imap", "processed_folder": "Kontor"}]'

`kontor serve`/`kontor worker` run it on the schedule; `kontor ingest-mail` runs it now. The
modules: `config` (settings), `sources` (the `Mailbox` protocol; `imap`, `maildir`), `parts` (MIME
walk and ZIP limits), `headers` (ledger key, sender metadata), `message` (one message to documents),
`ledger` and `models` (what was seen and what became of it), `lock` (one run at a time), `run`.
"""
