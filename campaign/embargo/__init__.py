"""Embargo-safe publishing: publication at the embargo lift, early lifts with a reason, and
personal preview links for journalists who received an embargoed release.

One question decides every public surface: `services.public_version(statement)`.
"""
