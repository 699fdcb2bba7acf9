"""The events a staff member can be told about, and how by default."""

from __future__ import annotations

from campaign.enums import LabeledEnum


class Event(LabeledEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    CHANGES_REQUESTED = "changes_requested"
    PUBLISHED = "published"
    COMMENT_ADDED = "comment_added"
    DISTRIBUTION_FINISHED = "distribution_finished"
    GOAL_REACHED = "goal_reached"
    DEADLINE_TOMORROW = "deadline_tomorrow"


class Channel(LabeledEnum):
    BOTH = "both"
    APP = "app"
    EMAIL = "email"
    NONE = "none"


DESCRIPTIONS: dict[Event, str] = {
    Event.SUBMITTED: "A statement is submitted for review (approvers)",
    Event.APPROVED: "A statement I wrote is approved",
    Event.CHANGES_REQUESTED: "Changes are requested on a statement I wrote",
    Event.PUBLISHED: "A statement I wrote is published",
    Event.COMMENT_ADDED: "A partner comments on my draft",
    Event.DISTRIBUTION_FINISHED: "A distribution I started finishes",
    Event.GOAL_REACHED: "A sign-on reaches its goal",
    Event.DEADLINE_TOMORROW: "A sign-on deadline is tomorrow",
}

# Everything shows in the app; email is each user's choice (profile page), so nobody gets
# mail they did not ask for.
DEFAULTS: dict[Event, Channel] = dict.fromkeys(Event, Channel.APP)
