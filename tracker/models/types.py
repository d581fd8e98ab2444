"""Column types shared by several models."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import Enum

from tracker.models.enums import enum_values


def enum_type(enum: type[StrEnum], name: str) -> Enum:
    """A portable enum column: VARCHAR with a CHECK constraint on both databases.

    Native PostgreSQL enum types are avoided because adding a value to them needs a
    migration that cannot run inside a transaction; a CHECK constraint can be altered freely.
    """
    return Enum(
        enum,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(v) for v in enum_values(enum)) + 8,
        values_callable=enum_values,
        validate_strings=True,
    )
