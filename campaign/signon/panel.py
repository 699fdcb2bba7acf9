"""What the public statement page shows about signatures: list, count, goal, sign link."""

from __future__ import annotations

from dataclasses import dataclass

from campaign.signon.listing import ListedSignatory, grouped, listed_signatories
from campaign.signon.models import Grouping, SignOnSettings
from campaign.signon.services import accepting, settings_for
from campaign.statements.models import Statement


@dataclass(frozen=True)
class PublicPanel:
    count: int
    groups: list[tuple[str, list[ListedSignatory]]]
    published_number: int
    goal: int | None
    min_count_to_show: int
    accepting: bool

    @property
    def list_hidden(self) -> bool:
        """Hide the names until the minimum is reached, so a new letter does not look thin."""
        return self.count < self.min_count_to_show

    @property
    def goal_percent(self) -> int:
        if not self.goal:
            return 0
        return min(100, round(100 * self.count / self.goal))

    @property
    def count_label(self) -> str:
        return f"{self.count:,} organization{'' if self.count == 1 else 's'}"


def public_panel(statement: Statement) -> PublicPanel | None:
    """The panel for `statement`, or None if it never took signatures."""
    settings: SignOnSettings | None = settings_for(statement.id)
    if settings is None or statement.published_version is None:
        return None
    signatories = listed_signatories(statement.id)
    return PublicPanel(
        count=len(signatories),
        groups=grouped(signatories, settings.grouping or Grouping.NONE),
        published_number=statement.published_version.number,
        goal=settings.goal,
        min_count_to_show=settings.min_count_to_show,
        accepting=accepting(statement),
    )
