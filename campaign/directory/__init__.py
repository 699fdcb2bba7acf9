"""The coalition directory: organizations across letters, merges and recruitment."""
