"""Coalition sign-on: public signature pages, confirmation, moderation and signatory lists."""
