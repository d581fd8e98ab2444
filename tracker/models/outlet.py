"""Outlets: where claims are published, with their domains and handles."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.base import Base, utcnow
from tracker.models.enums import HandleKind, OutletKind
from tracker.models.types import enum_type


class Outlet(Base):
    __tablename__ = "outlets"
    __table_args__ = (CheckConstraint("length(name) > 0", name="name_not_empty"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[OutletKind] = mapped_column(
        enum_type(OutletKind, "outlet_kind"), default=OutletKind.OTHER
    )
    country: Mapped[str | None] = mapped_column(String(2))
    state_affiliated: Mapped[bool] = mapped_column(default=False)
    description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    deleted_at: Mapped[datetime | None]
    # Set when this outlet was merged into another; the record stays for the audit trail.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("outlets.id"))
    version: Mapped[int] = mapped_column(default=1)

    # In the order they were recorded: the first is the outlet's own address (ClaimReview's
    # organisation URL), not a handle moved in from a merged outlet that sorts before it.
    handles: Mapped[list[OutletHandle]] = relationship(
        back_populates="outlet", cascade="all, delete-orphan", order_by="OutletHandle.id"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def domains(self) -> list[str]:
        return [h.value for h in self.handles if h.kind == HandleKind.DOMAIN]

    def __repr__(self) -> str:
        return f"<Outlet {self.id} {self.name!r}>"


class OutletHandle(Base):
    """A domain ("rt.com") or a handle ("t.me/rian_ru") that identifies an outlet."""

    __tablename__ = "outlet_handles"

    id: Mapped[int] = mapped_column(primary_key=True)
    outlet_id: Mapped[int] = mapped_column(ForeignKey("outlets.id", ondelete="CASCADE"), index=True)
    kind: Mapped[HandleKind] = mapped_column(
        enum_type(HandleKind, "handle_kind"), default=HandleKind.DOMAIN
    )
    value: Mapped[str] = mapped_column(String(255), unique=True)

    outlet: Mapped[Outlet] = relationship(back_populates="handles")
