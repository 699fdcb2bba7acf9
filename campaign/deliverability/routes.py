"""The deliverability page (staff, read-only)."""

from __future__ import annotations

from flask import Blueprint, render_template

from campaign.auth.access import require_login_for
from campaign.deliverability.checks import check_sender_domain

bp = Blueprint("deliverability", __name__)
require_login_for(bp)


@bp.get("/deliverability")
def index() -> str:
    domain, checks = check_sender_domain()
    return render_template("deliverability/index.html", domain=domain, checks=checks)
