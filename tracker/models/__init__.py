"""All models, importable from one place; importing this registers every table."""

from tracker.models.appearance import Appearance, Snapshot
from tracker.models.article import Article
from tracker.models.audit import AuditEvent
from tracker.models.base import Base, utcnow
from tracker.models.claim import Claim
from tracker.models.comment import Comment
from tracker.models.enums import (
    ClaimStatus,
    FigureKind,
    FigureQualifier,
    FigureRelation,
    HandleKind,
    LinkStatus,
    OutletKind,
    Rating,
    Role,
    TokenScope,
)
from tracker.models.figure import Figure
from tracker.models.job import Job, JobStatus
from tracker.models.narrative import Country, Narrative, claim_countries, claim_narratives
from tracker.models.outlet import Outlet, OutletHandle
from tracker.models.token import ApiToken
from tracker.models.user import User
from tracker.models.vector import Vector
from tracker.models.verdict import CHANGE_EVENTS, Verdict, VerdictEvent
from tracker.models.xref import ClaimArticleLink, ClaimFigureLink, ClaimLink

__all__ = [
    "CHANGE_EVENTS",
    "ApiToken",
    "Appearance",
    "Article",
    "AuditEvent",
    "Base",
    "Claim",
    "ClaimArticleLink",
    "ClaimFigureLink",
    "ClaimLink",
    "ClaimStatus",
    "Comment",
    "Country",
    "Figure",
    "FigureKind",
    "FigureQualifier",
    "FigureRelation",
    "HandleKind",
    "Job",
    "JobStatus",
    "LinkStatus",
    "Narrative",
    "Outlet",
    "OutletHandle",
    "OutletKind",
    "Rating",
    "Role",
    "Snapshot",
    "TokenScope",
    "User",
    "Vector",
    "Verdict",
    "VerdictEvent",
    "claim_countries",
    "claim_narratives",
    "utcnow",
]
