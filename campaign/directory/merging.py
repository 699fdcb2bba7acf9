"""Merging two organization records into one, and undoing it.

One action moves every signature, invitation, contact and alias of the absorbed record to
the survivor and keeps the absorbed name as an alias. Nothing is deleted: the absorbed row
points at the survivor and the merge row lists the ids it moved, so undo moves exactly
those back, even after other merges.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from campaign import clock
from campaign.audit.services import record
from campaign.directory.models import Invitation, OrgAlias, Organization, OrgContact, OrgMerge
from campaign.extensions import db
from campaign.signon.models import Signature

MOVABLE = {"signatures": Signature, "invitations": Invitation, "contacts": OrgContact}


class MergeError(ValueError):
    """A merge or undo that cannot be done, in words for staff."""


def _ids(model: Any, organization_id: int) -> list[int]:
    return list(
        db.session.scalars(select(model.id).where(model.organization_id == organization_id))
    )


def _move(model: Any, ids: list[int], organization_id: int) -> None:
    if ids:
        db.session.execute(
            update(model)
            .where(model.id.in_(ids))
            .values(organization_id=organization_id)
            .execution_options(synchronize_session=False)
        )


def merge(survivor: Organization, absorbed: Organization, actor: Any) -> OrgMerge:
    """Fold `absorbed` into `survivor`; returns the merge record (for undo)."""
    if survivor.id == absorbed.id:
        raise MergeError("An organization cannot be merged into itself.")
    if not survivor.active or not absorbed.active:
        raise MergeError("One of these organizations was already merged; reload the page.")
    moved = {name: _ids(model, absorbed.id) for name, model in MOVABLE.items()}
    moved["aliases"] = _ids(OrgAlias, absorbed.id)
    for name, model in (*MOVABLE.items(), ("aliases", OrgAlias)):
        _move(model, moved[name], survivor.id)
    kept = OrgAlias(
        organization_id=survivor.id, name=absorbed.name, normalized_name=absorbed.normalized_name
    )
    db.session.add(kept)
    absorbed.merged_into_id = survivor.id
    survivor.updated_at = absorbed.updated_at = clock.now()
    db.session.flush()
    moved["kept_alias"] = [kept.id]
    merge_row = OrgMerge(
        survivor_id=survivor.id, merged_id=absorbed.id, moved=moved, actor_id=actor.id
    )
    db.session.add(merge_row)
    db.session.flush()
    record(actor, "organization.merged", survivor, _details(merge_row, absorbed))
    db.session.commit()
    db.session.expire_all()
    return merge_row


def _details(merge_row: OrgMerge, absorbed: Organization) -> dict[str, Any]:
    counts = {name: len(ids) for name, ids in merge_row.moved.items() if name != "kept_alias"}
    return {"merge": merge_row.id, "absorbed": absorbed.id, "name": absorbed.name, **counts}


def undo(merge_row: OrgMerge, actor: Any) -> None:
    """Put back what `merge_row` moved; refused if later merges involve either record."""
    if merge_row.undone_at is not None:
        raise MergeError("This merge was already undone.")
    absorbed, survivor = merge_row.merged, merge_row.survivor
    if not survivor.active or absorbed.merged_into_id != survivor.id:
        raise MergeError("Undo the later merge of these organizations first.")
    for name, model in (*MOVABLE.items(), ("aliases", OrgAlias)):
        _move(model, merge_row.moved.get(name, []), absorbed.id)
    for alias_id in merge_row.moved.get("kept_alias", []):
        alias = db.session.get(OrgAlias, alias_id)
        if alias is not None:
            db.session.delete(alias)
    absorbed.merged_into_id = None
    merge_row.undone_at = survivor.updated_at = absorbed.updated_at = clock.now()
    record(actor, "organization.merge_undone", survivor, _details(merge_row, absorbed))
    db.session.commit()
    db.session.expire_all()


def merges_of(organization: Organization) -> list[OrgMerge]:
    """Merges into this record, newest first (the organization page offers undo)."""
    return list(
        db.session.scalars(
            select(OrgMerge)
            .where(OrgMerge.survivor_id == organization.id)
            .order_by(OrgMerge.id.desc())
        )
    )
