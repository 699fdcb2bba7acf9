"""Campaigns: the folder that groups statements, signatories, contacts and distributions."""
