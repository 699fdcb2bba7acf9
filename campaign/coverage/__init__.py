"""Coverage tracking: articles about a campaign, matched to the exact versions they quote and
to the journalists and distributions that brought them; journalist timelines; impact report."""

from __future__ import annotations

from flask import Flask


def register_template_helpers(app: Flask) -> None:
    """The contact page shows a timeline; the newsroom an "In the news" list."""
    from campaign.coverage.forms import NoteForm
    from campaign.coverage.services import public_coverage_items
    from campaign.coverage.timeline import contact_timeline

    app.jinja_env.globals.update(
        contact_timeline=contact_timeline,
        coverage_note_form=NoteForm,
        public_coverage_items=public_coverage_items,
    )
