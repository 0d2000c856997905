"""Writes of the email ledger, one module per concern: dispatch and catch-up, sending, unsubscribe, preferences.

How exactly-once holds:
- every email has a ledger row (Notification) unique on (recipient, cohort, kind, occasion);
- a chunk first *claims* rows: it inserts them with its own token, ignoring rows that exist, and takes
  over only rows whose claim has expired (the lease), then sends only the rows carrying its token;
- each row is marked sent straight after its message is accepted by the mail backend.
So a second beat, a retried task or a second worker finds the rows and sends nothing, and a crash
leaves claimed rows that the catch-up hands out again once the lease is over: nobody is skipped.

The one window that remains: a crash after the mail server accepted a message and before its row was
marked sent. That message is sent again after the lease, under the same Message-ID (one per ledger row),
so the recipient's mail client shows one email. Marking row by row keeps the window to that single message.
"""
