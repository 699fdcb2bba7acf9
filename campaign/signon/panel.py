"""What the public statement page shows about signatures: list, count, goal, sign link."""

from __future__ import annotations

from dataclasses import dataclass, field

from campaign.signon.listing import (
    ListedSignatory,
    grouped,
    listed_signatories,
    split_signers,
)
from campaign.signon.models import Grouping, SignOnSettings
from campaign.signon.services import accepting, settings_for
from campaign.statements.models import Statement
from press.documents import count_label


@dataclass(frozen=True)
class PublicPanel:
    count: int
    groups: list[tuple[str, list[ListedSignatory]]]
    published_number: int
    goal: int | None
    min_count_to_show: int
    accepting: bool
    individuals: list[ListedSignatory] = field(default_factory=list)

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
        return count_label(self.count - len(self.individuals), len(self.individuals))


def public_panel(statement: Statement) -> PublicPanel | None:
    """The panel for `statement`, or None if it never took signatures."""
    settings: SignOnSettings | None = settings_for(statement.id)
    if settings is None or statement.published_version is None:
        return None
    signatories = listed_signatories(statement.id)
    organizations, individuals = split_signers(signatories)
    return PublicPanel(
        count=len(signatories),
        groups=grouped(organizations, settings.grouping or Grouping.NONE),
        individuals=individuals,
        published_number=statement.published_version.number,
        goal=settings.goal,
        min_count_to_show=settings.min_count_to_show,
        accepting=accepting(statement),
    )
