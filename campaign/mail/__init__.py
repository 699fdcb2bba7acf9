"""Outgoing email: a transport (SMTP or an outbox folder) and a queue of single messages."""
