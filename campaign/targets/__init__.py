"""Delivery of a coalition letter to its targets (for example, members of a committee)."""
