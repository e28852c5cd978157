"""Staged uploads (the staged_upload table): import files waiting for confirmation."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import Round, StagedUpload


def add(session: Session, staged: StagedUpload) -> None:
    session.add(staged)
    session.flush()


def live_upload(upload_id: str, user_id: int, round_id: int, organisation_id: int | None,
                now: datetime) -> StagedUpload | None:
    """The upload without its file, if ``user_id`` made it for ``round_id`` of
    ``organisation_id`` and it has not expired."""
    query = select(StagedUpload).join(Round, Round.id == StagedUpload.round_id).where(
        StagedUpload.id == upload_id, StagedUpload.user_id == user_id,
        StagedUpload.round_id == round_id, Round.organisation_id == organisation_id,
        StagedUpload.expires_at > now,
    )
    return db.session.scalars(query).first()


def get_upload(upload_id: str) -> StagedUpload | None:
    return db.session.get(StagedUpload, upload_id)


def upload_file(upload_id: str) -> bytes | None:
    query = select(StagedUpload.file_data).where(StagedUpload.id == upload_id)
    return db.session.scalars(query).first()


def update_upload(session: Session, upload_id: str, **values: Any) -> None:
    session.execute(update(StagedUpload).where(StagedUpload.id == upload_id).values(**values))


def delete_upload(session: Session, upload_id: str) -> None:
    session.execute(delete(StagedUpload).where(StagedUpload.id == upload_id))


def delete_expired(session: Session, now: datetime) -> int:
    result = session.execute(delete(StagedUpload).where(StagedUpload.expires_at <= now))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
