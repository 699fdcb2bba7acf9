"""Pages anyone can read without an account."""
