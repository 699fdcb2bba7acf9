"""Fictional demo documents: every organization, person and number here is invented."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from campaign.statements.content import Content
from campaign.statements.models import ReleaseType

CAMPAIGN_NAME = "Sentencing Reform Now"
CAMPAIGN_DESCRIPTION = (
    "A coalition effort against the proposed Safer Streets Sentencing Act, which would bring "
    "back mandatory minimum sentences for low-level drug offences."
)

LETTER = Content(
    title="Over 140 organizations urge Congress to reject the Safer Streets Sentencing Act",
    subtitle="A coalition of treatment, justice and public-health groups speaks with one voice",
    addressee="To the Members of the House Judiciary Committee",
    body="""\
We, the undersigned organizations, write to ask you to vote against the Safer Streets
Sentencing Act when it comes before the committee. The bill would restore mandatory minimum
prison terms for possession and small-scale sale of controlled substances, a policy our
country has already tried and abandoned.

Our members run clinics, shelters, legal-aid offices and recovery programs in every region.
They see every day what long sentences do to families: children placed in care, jobs and
housing lost, and people returning home with fewer supports than when they left.

**The evidence is settled.** Decades of research show that the length of a sentence does
little to deter drug selling, while the certainty of treatment and support reduces harm.
States that shortened sentences and invested the savings in treatment saw crime fall
faster than states that did not.

The bill also shifts power from judges to prosecutors. When a charge carries a fixed
minimum, the charging decision becomes the sentence, and the person in court loses the
chance to be judged as an individual.

We ask the committee to:

1. Reject the mandatory minimum provisions of the bill in full;
2. Fund community treatment and overdose prevention at the levels proposed by the
   Department of Health;
3. Hold a public hearing that includes people directly affected by drug sentencing.

As one of our members, Dana Whitfield of the Riverbend Recovery Network, put it: "Nobody in
our programs got well because a sentence got longer. They got well because someone
offered help and kept offering it."
""",
    closing="Respectfully,\n\nThe undersigned organizations",
    release_type=ReleaseType.IMMEDIATE,
    release_date=date(2026, 11, 18),
)

# The letter as first drafted, so the demo has a history to browse and compare.
LETTER_FIRST_DRAFT = replace(
    LETTER,
    title="Organizations urge Congress to reject the Safer Streets Sentencing Act",
    body=LETTER.body.replace(
        "write to ask you to vote against", "write to urge you to oppose"
    ).replace(
        "3. Hold a public hearing that includes people directly affected by drug sentencing.\n",
        "",
    ),
)

PRESS_RELEASE = Content(
    title="Coalition of 140+ groups calls on Congress to drop mandatory minimums",
    subtitle="Letter delivered to every member of the House Judiciary Committee",
    body="""\
A coalition of more than 140 treatment, civil-rights and public-health organizations today
delivered a letter to the House Judiciary Committee urging members to reject the Safer
Streets Sentencing Act.

"Mandatory minimums filled our prisons and emptied our clinics," said Marisol Okafor,
executive director of the Justice Forward Project. "Congress has a choice between a policy
that failed and one that works. We are asking it to choose treatment."

The letter points to state-level reforms that reduced both incarceration and overdose
deaths, and asks the committee to hold a public hearing with people directly affected by
drug sentencing.

"Every family we serve has a story about a sentence that made things worse," said Theo
Lindqvist, policy director at the Harbor Families Alliance. "This bill would write more of
those stories."

The full letter and the list of signatories are available on the coalition's website.
""",
    release_type=ReleaseType.EMBARGOED,
    embargo_until=datetime(2026, 12, 3, 14, 0, tzinfo=UTC),
    embargo_timezone="America/New_York",
    release_date=date(2026, 12, 3),
    dateline="WASHINGTON",
    media_contacts=(
        ("Jordan Reyes", "+12125550147", "press@justiceforward.example.org"),
        ("Priya Natarajan", "+12025550183", "media@harborfamilies.example.org"),
    ),
    boilerplate=(
        "**About the Justice Forward Project.** The Justice Forward Project is a fictional "
        "national organization that works to end mass incarceration and to treat drug use as "
        "a health issue. It exists only in Campaign Desk's demo data."
    ),
)

# Approved and scheduled to publish at its embargo lift (the lift is set when seeding).
EMBARGOED_RELEASE = Content(
    title="Coalition to release statewide survey of treatment waiting lists",
    subtitle="Findings to be presented at the Judiciary Committee hearing",
    body="""\
A survey of 212 treatment programs in 38 states, conducted by the coalition over the past
six months, finds that the median wait for a residential treatment bed is 23 days, and that
one in four programs turned people away last year for lack of funding.

"People ask for help on a Monday and are told to come back next month," said Dana Whitfield
of the Riverbend Recovery Network. "Longer sentences will not shorten that line."

The full survey and its state-by-state tables will be published with this release.
""",
    release_type=ReleaseType.EMBARGOED,
    dateline="CHICAGO",
    media_contacts=(("Jordan Reyes", "+12125550147", "press@justiceforward.example.org"),),
    boilerplate=PRESS_RELEASE.boilerplate,
)
