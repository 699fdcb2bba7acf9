"""The one permission map: who may reach each endpoint, for reading (GET) and writing.

Every endpoint of the app is listed here. `enforce` runs before every request, so a view's
own `@requires` is a second line, not the only one. tests/test_trust_permissions.py walks
`app.url_map` and fails, naming the endpoint, when a route is missing from this map; it then
requests every staff route as every role and checks the answer against this table.

To add a route: add `"blueprint.endpoint": <rule>` below, where the rule is
- PUBLIC (no sign-in: the link or the page is the credential),
- SIGNED_IN (any active staff account, e.g. one's own password page),
- a Permission (the same for reading and writing), or
- Access(read=Permission.X, write=Permission.Y) when reading needs less than writing.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, abort, request
from flask_login import current_user

from campaign.auth.roles import Permission
from campaign.extensions import login_manager


@dataclass(frozen=True)
class Access:
    read: Permission | None
    write: Permission | None


PUBLIC = Access(None, None)
SIGNED_IN = Access(Permission.VIEW, Permission.VIEW)
_V, _E, _M, _P, _A = (
    Permission.VIEW,
    Permission.EDIT,
    Permission.MODERATE,
    Permission.PRESS,
    Permission.ADMIN,
)
READ_EDIT = Access(_V, _E)
DIRECTORY = Access(_M, _E)

ENDPOINTS: dict[str, Access | Permission] = {
    "static": PUBLIC,
    "favicon": PUBLIC,
    # Accounts
    "auth.login": PUBLIC,
    "auth.forgot": PUBLIC,
    "auth.reset_password": PUBLIC,
    "auth.accept_invitation": PUBLIC,
    "two_factor.verify": PUBLIC,
    "auth.logout": SIGNED_IN,
    "auth.password": SIGNED_IN,
    "two_factor.setup": SIGNED_IN,
    "two_factor.disable": SIGNED_IN,
    "users.index": _A,
    "users.role": _A,
    "users.active": _A,
    "audit.index": _A,
    "audit.export": _A,
    "notify.index": SIGNED_IN,
    "notify.profile": SIGNED_IN,
    "site.settings": _A,
    # Campaigns and statements (the workflow checks each action's own permission)
    "campaigns.index": _V,
    "campaigns.show": _V,
    "campaigns.new": _E,
    "statements.new": _E,
    "statements.show": _V,
    "statements.edit": _E,
    "statements.preview": _E,
    "statements.preview_document": _E,
    "statements.merge": _E,
    "statements.history": _V,
    "statements.version": _V,
    "statements.compare_versions": _V,
    "statements.restore": _E,
    "statements.transition": _V,
    "review.version": _V,
    "review.create_link": _E,
    "review.revoke": _E,
    "review.resolve": _E,
    "targets.index": _V,
    "targets.add": _E,
    "targets.edit": _E,
    "targets.delete": _E,
    "targets.deliver": Permission.PUBLISH,
    "targets.confirm_delivery": Permission.PUBLISH,
    "targets.delivery": _V,
    "targets.delivered_file": _V,
    "pdfs.download": _V,
    "pdfs.print_preview": _V,
    "pdfs.asset": _V,
    "pdfs.export_all_versions": _V,
    "pdfs.job": _V,
    "pdfs.job_file": _V,
    # Sign-on: signers' contact data and moderation only for MODERATE
    "signon.settings": READ_EDIT,
    "signon.table": _M,
    "signon.decide": _M,
    "signon.rename": _M,
    "signon.clear_flag": _M,
    "signon.export_all": _M,
    "signon.export_public": _V,
    "signon.import_list": _M,
    # Journalists' personal data: PRESS only; others see a distribution's counts and status
    "contacts.index": _P,
    "contacts.show": _P,
    "contacts.new": _P,
    "contacts.edit": _P,
    "contacts.delete": _P,
    "contacts.export": _P,
    "contacts.add_to_list": _P,
    "contacts.add_matches_to_list": _P,
    "contact_lists.index": _P,
    "contact_lists.show": _P,
    "contact_lists.new": _P,
    "contact_lists.rename": _P,
    "contact_lists.add_members": _P,
    "contact_lists.remove_member": _P,
    "contact_lists.update_filter": _P,
    "contact_lists.delete": _P,
    "contact_imports.upload": _P,
    "contact_imports.columns": _P,
    "contact_imports.preview": _P,
    "contact_imports.errors_csv": _P,
    "contact_imports.cancel": _P,
    "contact_imports.job": _P,
    "contact_imports.job_progress": _P,
    "distribution.index": _V,
    "distribution.show": _V,
    "distribution.progress": _V,
    "distribution.document": _V,
    "distribution.new": _P,
    "distribution.act": _P,
    "distribution.report_csv": _P,
    "distribution.submit": _P,
    "distribution.preview_email": _P,
    "suppressions.index": _P,
    "suppressions.export": _P,
    "suppressions.add": _P,
    "suppressions.import_csv": _P,
    "suppressions.lift": _P,
    "deliverability.index": _P,
    "distribution.resend": _P,
    "mail.troubled": _A,
    # Public pages and emailed links
    "public.statement": PUBLIC,
    "review_public.draft": PUBLIC,
    "signon_public.sign": PUBLIC,
    "signon_public.embed": PUBLIC,
    "signon_public.resend": PUBLIC,
    "signon_public.confirm": PUBLIC,
    "signon_public.renew": PUBLIC,
    "signon_public.withdraw": PUBLIC,
    "signon_public.reconfirm": PUBLIC,
    "signon_public.logo": PUBLIC,
    "unsubscribe.page": PUBLIC,
    "site_public.logo": PUBLIC,
    "bounce_webhook.receive": PUBLIC,
    # Embargoed publication and the newsroom
    "embargo.cancel": Permission.PUBLISH,
    "embargo.reschedule": Permission.PUBLISH,
    "embargo.lift": Permission.PUBLISH,
    "embargo.preview_links": _P,  # names the journalists who got a preview link
    "embargo.revoke": _P,
    "newsroom.feature": Permission.PUBLISH,
    "embargo_public.page": PUBLIC,
    "embargo_public.pdf": PUBLIC,
    "public.pdf": PUBLIC,
    "newsroom.index": PUBLIC,
    "newsroom.press_kit": PUBLIC,
    "newsroom.boilerplate": PUBLIC,
    "newsroom.theme": PUBLIC,
    "newsroom.rss": PUBLIC,
    "newsroom.atom": PUBLIC,
    "newsroom.sitemap": PUBLIC,
    "newsroom.robots": PUBLIC,
    "newsroom.og_image": PUBLIC,
    # Coverage: items name the journalist who got which version, so press only; the impact
    # report holds counts and outlets, for every staff member
    "coverage.index": _P,
    "coverage.add_url": _P,
    "coverage.new": _P,
    "coverage.import_csv": _P,
    "coverage.export_csv": _P,
    "coverage.show": _P,
    "coverage.state": _P,
    "coverage.confirm": _P,
    "coverage.dismiss": _P,
    "coverage.public": _P,
    "coverage_feeds.index": _P,
    "coverage_feeds.add": _P,
    "coverage_feeds.poll": _P,
    "coverage_feeds.delete": _P,
    "contact_notes.add": _P,
    "impact.show": _V,
    "impact.chart": _V,
    "impact.pdf": _V,
    "impact.csv": _V,
    # Coalition directory: contact people and emails are signers' data (moderators only)
    "directory.index": DIRECTORY,
    "directory.export": DIRECTORY,
    "directory.import_file": DIRECTORY,
    "directory.new": DIRECTORY,
    "directory.show": DIRECTORY,
    "directory.edit": DIRECTORY,
    "directory.add_contact": DIRECTORY,
    "directory.remove_contact": DIRECTORY,
    "directory.merge_suggestions": DIRECTORY,
    "directory.merge": DIRECTORY,
    "directory.undo_merge": DIRECTORY,
    "recruitment.show": DIRECTORY,
    "recruitment.invite": DIRECTORY,
    "partners.show": READ_EDIT,
    "partners.add": READ_EDIT,
    "comments.index": _M,
    "comments.decide": _M,
    "sheet.show": _M,
    "sheet.pdf": _V,
    "sheet.add": _M,
    "questions.index": READ_EDIT,
    "questions.add": READ_EDIT,
    "questions.remove": READ_EDIT,
    "directory_public.invited": PUBLIC,
    "directory_public.decline": PUBLIC,
    "coalition_public.badge": PUBLIC,
    "coalition_public.qr": PUBLIC,
    "coalition_public.cosponsor_logo": PUBLIC,
    # Verifiable letters: the proofs are public by design
    "attest.keys": PUBLIC,
    "attest.chain": PUBLIC,
    "attest.root": PUBLIC,
    "attest.text": PUBLIC,
    "attest.receipt": PUBLIC,
    "attest.verify": PUBLIC,
    "attest.domain": PUBLIC,  # the provider signs each call (BOUNCE_WEBHOOK_SECRET)
}

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def access_for(endpoint: str) -> Access | None:
    rule = ENDPOINTS.get(endpoint)
    return Access(rule, rule) if isinstance(rule, Permission) else rule


def needed(endpoint: str, method: str) -> Permission | None:
    """The permission a request needs, None for public endpoints."""
    access = access_for(endpoint)
    if access is None:
        return None
    return access.read if method in READ_METHODS else access.write


def enforce() -> None:
    """Before every request: sign-in and the mapped permission.

    A blueprint endpoint missing from the map is refused outright (403): an unlisted route
    is a bug, and the permission test names it. Rules added straight on the app (no
    blueprint: a test's or a bench's helper route) are left to themselves.
    """
    endpoint = request.endpoint
    if endpoint is None:  # no route matched; the 404 handler answers
        return
    if access_for(endpoint) is None:
        if "." not in endpoint and endpoint != "static":
            return
        abort(403, description=f"Endpoint {endpoint} is not in the permission map.")
    permission = needed(endpoint, request.method)
    if permission is None:
        return
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not current_user.can(permission):
        abort(403)


def user_may(permission_endpoint: str, method: str = "GET") -> bool:
    """For templates: whether the current user may reach an endpoint (to show a link)."""
    permission = needed(permission_endpoint, method)
    if permission is None:
        return True
    return current_user.is_authenticated and current_user.can(permission)


def init_permissions(app: Flask) -> None:
    app.before_request(enforce)
    app.jinja_env.globals["may"] = user_may
