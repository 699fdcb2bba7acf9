"""Verifiable letters: signed Merkle roots over a letter's text and its signatories.

Anyone holding the published keys can check a receipt, a published root or a delivered PDF
without trusting the server; docs/VERIFY.md specifies the format for independent verifiers.
"""
