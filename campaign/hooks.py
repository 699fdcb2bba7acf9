"""Template hooks: named places in shared pages where features add their own panels.

The statement pages belong to `statements/`, but sign-on, review, targets, embargo, PDFs and
distribution each show something there. Instead of the page including every feature's
template by name (so removing a feature meant editing `statements/`), a page calls
`{{ template_hook("statement-panels") }}` and each feature registers its template for that
hook from its own blueprint (`add_panel(bp, ...)`). This is Indico's `template_hook`, kept
to what this app needs: templates, rendered in order with the page's own context.

The registry lives on the app (`app.extensions`), so every `create_app()` (each test builds
its own) gets exactly the panels of the blueprints it registered.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Flask
from flask.sansio.app import App
from flask.sansio.blueprints import BlueprintSetupState
from jinja2.runtime import Context
from jinja2.utils import pass_context
from markupsafe import Markup

# The hooks pages call, and what each is for; a panel for an unknown hook is a typo.
HOOKS = {
    "statement-publish-choice": "fields inside the statement page's Publish form",
    "statement-panels": "panels under the workflow section of a statement's page",
    "statement-edit-panels": "panels beside the editor",
    "version-panels": "panels on the page of one past version",
    "public-statement-signatories": "what follows the text on a statement's public page",
    "contact-panels": "sections at the end of a media contact's page",
    "newsroom-sidebar": "sections of the public newsroom's sidebar, before its press contacts",
}
_KEY = "template_hooks"


@dataclass(frozen=True, order=True)
class Panel:
    """One template shown at a hook; lower `order` comes first."""

    order: int
    template: str


def add_panel(bp: Blueprint, hook: str, template: str, order: int = 50) -> None:
    """Show `template` at `hook` on every app that registers `bp`."""
    if hook not in HOOKS:
        raise ValueError(f"unknown template hook {hook!r}; known: {', '.join(HOOKS)}")

    def record(state: BlueprintSetupState) -> None:
        register_panel(state.app, hook, Panel(order, template))

    bp.record_once(record)


def register_panel(app: App, hook: str, panel: Panel) -> None:
    """Add a panel to one app's registry, kept sorted by order."""
    panels = app.extensions.setdefault(_KEY, {}).setdefault(hook, [])
    panels.append(panel)
    panels.sort()


def panels_for(app: Flask, hook: str) -> list[Panel]:
    """The panels registered for `hook`, in display order (for pages and tests)."""
    return list(app.extensions.get(_KEY, {}).get(hook, ()))


@pass_context
def template_hook(context: Context, hook: str, **extra: Any) -> Markup:
    """Render every panel of `hook` with the calling page's context, like an include."""
    from flask import current_app

    values = {**context.get_all(), **extra}
    parts = [
        context.environment.get_template(panel.template).render(values)
        for panel in panels_for(current_app, hook)
    ]
    return Markup("".join(parts))


def init_hooks(app: Flask) -> None:
    """Make `template_hook` callable from every template."""
    app.add_template_global(template_hook, "template_hook")
