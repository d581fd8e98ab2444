"""Sentence vectors of claims, debunk articles and figures, computed once and stored.

`model` names the encoder and its version, so vectors made by another model are detected
and recomputed; `text_hash` is the hash of the text that was encoded, so an edit triggers a
new vector and an unchanged record is skipped (that is what makes a rebuild resumable).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tracker.models.base import Base, utcnow


class Vector(Base):
    __tablename__ = "vectors"
    __table_args__ = (
        UniqueConstraint("entity_type", "entity_id"),
        Index("ix_vectors_entity_type_updated_at", "entity_type", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_type: Mapped[str] = mapped_column(String(20))
    entity_id: Mapped[int]
    model: Mapped[str] = mapped_column(String(120))
    lang: Mapped[str | None] = mapped_column(String(8))
    text_hash: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
