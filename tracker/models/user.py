"""People who sign in: analysts, editors and admins."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from tracker.models.base import Base, utcnow
from tracker.models.enums import Role
from tracker.models.types import enum_type


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_type(Role, "user_role"), default=Role.ANALYST)
    active: Mapped[bool] = mapped_column(default=True)
    # Part of the login cookie: replacing it ends every session and remember-me cookie
    # of this user at once (sign-out everywhere, password change, deactivation).
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    password_changed_at: Mapped[datetime | None]

    # Flask-Login protocol, written out so the model does not depend on Flask.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    def has_role(self, role: Role) -> bool:
        """True when this user's role is `role` or above it."""
        return self.active and self.role.rank >= role.rank

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email} {self.role}>"
