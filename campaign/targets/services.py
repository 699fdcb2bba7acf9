"""Keeping the list of targets of a coalition letter."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from campaign.audit.services import record
from campaign.auth.models import User
from campaign.extensions import db
from campaign.statements.models import Kind, Statement
from campaign.targets.models import Target


class TargetError(ValueError):
    """A user-facing reason why a change to the targets was refused."""


@dataclass(frozen=True)
class TargetDetails:
    name: str
    office: str
    email: str


def _check_letter(statement: Statement) -> None:
    if statement.kind is not Kind.COALITION_LETTER:
        raise TargetError("Only a coalition letter has targets to deliver it to.")


def targets_of(statement_id: int) -> list[Target]:
    """A letter's targets, in the order they were added."""
    return list(
        db.session.scalars(
            select(Target).where(Target.statement_id == statement_id).order_by(Target.id)
        )
    )


def target_count(statement_id: int) -> int:
    return db.session.scalars(
        select(func.count()).select_from(Target).where(Target.statement_id == statement_id)
    ).one()


def _save(target: Target, staff: User, action: str) -> Target:
    try:
        db.session.flush()
    except IntegrityError as error:
        db.session.rollback()
        raise TargetError(f"{target.email} is already a target of this letter.") from error
    record(staff, action, target, {"name": target.name, "email": target.email})
    db.session.commit()
    return target


def add_target(statement: Statement, details: TargetDetails, staff: User) -> Target:
    """Add a target; each address once per letter, so nobody is sent two copies."""
    _check_letter(statement)
    target = Target(
        statement_id=statement.id,
        name=details.name,
        office=details.office,
        email=details.email.lower(),
    )
    db.session.add(target)
    return _save(target, staff, "target.added")


def update_target(target: Target, details: TargetDetails, staff: User) -> Target:
    """Correct a target; past deliveries keep the name and address they were sent to."""
    target.name, target.office = details.name, details.office
    target.email = details.email.lower()
    return _save(target, staff, "target.updated")


def delete_target(target: Target, staff: User) -> None:
    """Remove a target from future deliveries (past delivery records keep them)."""
    record(staff, "target.removed", target, {"name": target.name, "email": target.email})
    db.session.delete(target)
    db.session.commit()
