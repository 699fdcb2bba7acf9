"""The organization's public newsroom: published items, feeds, sitemap, press kit."""
