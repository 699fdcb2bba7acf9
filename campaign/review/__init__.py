"""Partner review: signed links to a draft version, and comments anchored to its paragraphs."""
