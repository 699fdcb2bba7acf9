"""Sending a statement version to media-contact lists, exactly once per recipient."""
