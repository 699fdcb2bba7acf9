"""Bounces that come back after the SMTP conversation: VERP addresses, the DSN reader, the
providers' webhook, and what a bounce does to the recipient row and the suppression list."""
