"""Document rendering: plain data in, HTML or PDF bytes out. Knows nothing of Flask."""
