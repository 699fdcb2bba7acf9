"""Staff pages of the feeds polled for a campaign's coverage."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select

from campaign.auth.access import require_login_for, requires
from campaign.auth.roles import Permission
from campaign.campaigns.models import Campaign
from campaign.coverage import feeds
from campaign.coverage.forms import ActionForm, FeedForm
from campaign.coverage.models import CoverageFeed
from campaign.coverage.services import CoverageError
from campaign.errors import bad_request
from campaign.extensions import db
from campaign.formdata import add_error, required
from campaign.jobs import enqueue

bp = Blueprint("coverage_feeds", __name__)
require_login_for(bp)


def _page(campaign: Campaign, form: FeedForm | None = None) -> str:
    rows = db.session.scalars(
        select(CoverageFeed)
        .where(CoverageFeed.campaign_id == campaign.id)
        .order_by(CoverageFeed.id)
    ).all()
    return render_template(
        "coverage/feeds.html",
        campaign=campaign,
        feeds=rows,
        form=form or FeedForm(),
        action_form=ActionForm(),
    )


@bp.get("/campaigns/<int:campaign_id>/coverage/feeds")
def index(campaign_id: int) -> str:
    return _page(db.get_or_404(Campaign, campaign_id))


@bp.post("/campaigns/<int:campaign_id>/coverage/feeds")
@requires(Permission.PRESS)
def add(campaign_id: int) -> ResponseReturnValue:
    campaign = db.get_or_404(Campaign, campaign_id)
    form = FeedForm()
    if form.validate_on_submit():
        try:
            feeds.add_feed(campaign, required(form.url.data), form.title.data or "", current_user)
        except CoverageError as error:
            add_error(form.url, str(error))
        else:
            flash("Feed added; its first poll is queued.", "success")
            return redirect(url_for("coverage_feeds.index", campaign_id=campaign.id))
    return _page(campaign, form), 422


def _checked_feed(feed_id: int) -> CoverageFeed:
    feed = db.get_or_404(CoverageFeed, feed_id)
    if not ActionForm().validate_on_submit():
        bad_request()
    return feed


@bp.post("/coverage/feeds/<int:feed_id>/poll")
@requires(Permission.PRESS)
def poll(feed_id: int) -> ResponseReturnValue:
    """Poll now instead of waiting for the scheduler (a worker does it: a feed may bring
    dozens of articles to read)."""
    feed = _checked_feed(feed_id)
    if enqueue(feeds.POLL_TASK, feed.id):
        flash("Poll queued; new candidates appear on the coverage page.", "success")
    else:
        flash("The task queue is unreachable; the scheduler will poll the feed later.", "error")
    return redirect(url_for("coverage_feeds.index", campaign_id=feed.campaign_id))


@bp.post("/coverage/feeds/<int:feed_id>/delete")
@requires(Permission.PRESS)
def delete(feed_id: int) -> ResponseReturnValue:
    feed = _checked_feed(feed_id)
    campaign_id = feed.campaign_id
    feeds.remove_feed(feed, current_user)
    flash("Feed removed; the items it found stay.", "success")
    return redirect(url_for("coverage_feeds.index", campaign_id=campaign_id))
