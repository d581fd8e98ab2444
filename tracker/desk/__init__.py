"""The analysts' and editors' workspace."""

from flask import Blueprint

bp = Blueprint("desk", __name__, url_prefix="/desk")

# The view modules register their routes on `bp` when imported.
from tracker.desk.views import (  # noqa: E402
    admin,
    articles,
    capture,
    claim_page,
    claims,
    figures,
    home,
    jobs,
    outlets,
    tokens,
    withdrawal,
    xref,
)

__all__ = [
    "admin",
    "articles",
    "bp",
    "capture",
    "claim_page",
    "claims",
    "figures",
    "home",
    "jobs",
    "outlets",
    "tokens",
    "withdrawal",
    "xref",
]
