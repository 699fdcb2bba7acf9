"""Statements: drafting, versions, comparison, merge and the review-and-publish workflow.

The host of the statement pages; other features hang their panels on them through template
hooks (campaign/hooks.py).
"""
