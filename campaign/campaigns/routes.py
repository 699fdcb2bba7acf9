"""The staff home page (campaign list) and campaign pages."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from campaign.auth.access import require_login_for, requires
from campaign.auth.roles import Permission
from campaign.campaigns.forms import CampaignForm
from campaign.campaigns.models import Campaign
from campaign.campaigns.services import CampaignError, create_campaign, list_campaigns
from campaign.extensions import db
from campaign.formdata import add_error, required
from campaign.notify.home import needs_me

bp = Blueprint("campaigns", __name__)
require_login_for(bp)


@bp.get("/")
def index() -> str:
    """Home: what needs the signed-in user first, then every campaign."""
    return render_template(
        "campaigns/index.html", campaigns=list_campaigns(), needs=needs_me(current_user)
    )


@bp.route("/campaigns/new", methods=["GET", "POST"])
@requires(Permission.EDIT)
def new() -> ResponseReturnValue:
    form = CampaignForm()
    if form.validate_on_submit():
        try:
            created = create_campaign(
                required(form.name.data), form.description.data or "", current_user
            )
        except CampaignError as error:
            add_error(form.name, str(error))
        else:
            flash(f"Campaign “{created.name}” created.", "success")
            return redirect(url_for("campaigns.show", campaign_id=created.id))
    return render_template("campaigns/new.html", form=form)


@bp.get("/campaigns/<int:campaign_id>")
def show(campaign_id: int) -> str:
    return render_template("campaigns/show.html", campaign=db.get_or_404(Campaign, campaign_id))
