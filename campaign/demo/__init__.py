"""Demo data for a first look at the app (`flask seed-demo`)."""

from campaign.demo.cli import cli

__all__ = ["cli"]
