"""The fixed vocabularies of the domain (DESIGN.md, "The words")."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ANALYST = "analyst"
    EDITOR = "editor"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        """Roles are ordered: an editor may do what an analyst may, an admin what an editor may."""
        return list(Role).index(self) + 1


class ClaimStatus(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    RETURNED = "returned"
    PUBLISHED = "published"
    RETRACTED = "retracted"


class Rating(StrEnum):
    """The verdict scale. Numbers follow ClaimReview: worst 1, best 5; two ratings have none."""

    FALSE = "false"
    MISLEADING = "misleading"
    MISSING_CONTEXT = "missing_context"
    UNPROVEN = "unproven"
    ACCURATE = "accurate"
    SATIRE = "satire"

    @property
    def value_number(self) -> int | None:
        return RATING_NUMBERS[self]

    @property
    def label(self) -> str:
        return RATING_LABELS[self]


RATING_NUMBERS: dict[Rating, int | None] = {
    Rating.FALSE: 1,
    Rating.MISLEADING: 2,
    Rating.MISSING_CONTEXT: 3,
    Rating.UNPROVEN: None,
    Rating.ACCURATE: 5,
    Rating.SATIRE: None,
}
RATING_LABELS: dict[Rating, str] = {
    Rating.FALSE: "False",
    Rating.MISLEADING: "Misleading",
    Rating.MISSING_CONTEXT: "Missing context",
    Rating.UNPROVEN: "Unproven",
    Rating.ACCURATE: "Accurate",
    Rating.SATIRE: "Satire",
}
BEST_RATING = 5
WORST_RATING = 1


class LinkStatus(StrEnum):
    """A cross-reference is proposed by the app, then confirmed or rejected by a person."""

    SUGGESTED = "suggested"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


class OutletKind(StrEnum):
    STATE_MEDIA = "state_media"
    NEWS_SITE = "news_site"
    TV_CHANNEL = "tv_channel"
    TELEGRAM_CHANNEL = "telegram_channel"
    SOCIAL_ACCOUNT = "social_account"
    BLOG = "blog"
    OFFICIAL = "official"
    OTHER = "other"

    @property
    def label(self) -> str:
        return OUTLET_KIND_LABELS[self]


OUTLET_KIND_LABELS: dict[OutletKind, str] = {
    OutletKind.STATE_MEDIA: "State media", OutletKind.NEWS_SITE: "News site",
    OutletKind.TV_CHANNEL: "TV channel", OutletKind.TELEGRAM_CHANNEL: "Telegram channel",
    OutletKind.SOCIAL_ACCOUNT: "Social media account", OutletKind.BLOG: "Blog",
    OutletKind.OFFICIAL: "Official source", OutletKind.OTHER: "Other",
}  # fmt: skip


class HandleKind(StrEnum):
    DOMAIN = "domain"
    HANDLE = "handle"


class FigureQualifier(StrEnum):
    EXACT = "exact"
    MORE_THAN = "more_than"
    LESS_THAN = "less_than"
    ABOUT = "about"


class FigureKind(StrEnum):
    COUNT = "count"
    PERCENT = "percent"
    MONEY = "money"


class FigureRelation(StrEnum):
    CONSISTENT = "consistent"
    OVERSTATES = "overstates"
    UNDERSTATES = "understates"
    NOT_COMPARABLE = "not_comparable"


class TokenScope(StrEnum):
    READ = "read"
    WRITE = "write"


def enum_values(enum: type[StrEnum]) -> list[str]:
    """Store enum values (not member names) in the database."""
    return [member.value for member in enum]
