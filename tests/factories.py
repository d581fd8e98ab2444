"""Small factory functions for test data. Each returns a flushed model instance."""

from __future__ import annotations

import itertools
from collections.abc import MutableMapping
from datetime import date
from functools import cache

from sqlalchemy.orm import Session

from tracker.auth import sessions
from tracker.auth.passwords import hash_password
from tracker.models import (
    Appearance,
    Article,
    Claim,
    ClaimStatus,
    Figure,
    Narrative,
    Outlet,
    OutletHandle,
    Rating,
    Role,
    User,
)
from tracker.xref.fingerprint import claim_fingerprint

PASSWORD = "correct horse battery staple 42"
_counter = itertools.count(1)


@cache
def password_hash() -> str:
    """Hashing is deliberately slow; hash the shared test password once."""
    return hash_password(PASSWORD)


def make_user(session: Session, role: Role | str = Role.ANALYST, **fields: object) -> User:
    n = next(_counter)
    values: dict[str, object] = {
        "email": f"user{n}@example.org",
        "name": f"Test User {n}",
        "password_hash": password_hash(),
        "role": Role(role),
    }
    values.update(fields)
    user = User(**values)
    session.add(user)
    session.flush()
    return user


def put_in_session(cookie_session: MutableMapping[str, object], user: User) -> None:
    """Sign `user` into a test client's session as the sign-in page does, start times
    included (a session without them is expired)."""
    cookie_session["_user_id"] = user.get_id()
    cookie_session["_fresh"] = True
    cookie_session["_started"] = cookie_session["_seen"] = sessions.now()


def make_outlet(
    session: Session, name: str | None = None, domain: str | None = None, **fields: object
) -> Outlet:
    n = next(_counter)
    outlet = Outlet(name=name or f"Outlet {n}", **fields)
    outlet.handles.append(OutletHandle(value=domain or f"outlet{n}.example"))
    session.add(outlet)
    session.flush()
    return outlet


def make_claim(
    session: Session,
    text: str | None = None,
    *,
    language: str = "en",
    status: ClaimStatus | str = ClaimStatus.DRAFT,
    rating: Rating | str | None = None,
    author: User | None = None,
    outlet: Outlet | None = None,
    url: str | None = None,
    **fields: object,
) -> Claim:
    n = next(_counter)
    text = text or f"Claim number {n} says something false."
    claim = Claim(
        text=text,
        language=language,
        fingerprint=claim_fingerprint(text),
        status=ClaimStatus(status),
        rating=Rating(rating) if rating else None,
        created_by=author,
        **fields,
    )
    if outlet is not None or url is not None:
        claim.appearances.append(
            Appearance(
                url=url or f"https://example.org/claims/{n}",
                outlet=outlet,
                appeared_on=date(2024, 1, 1),
            )
        )
    session.add(claim)
    session.flush()
    return claim


def make_narrative(session: Session, name: str | None = None) -> Narrative:
    n = next(_counter)
    name = name or f"Narrative {n}"
    narrative = Narrative(slug=f"narrative-{n}", name=name)
    session.add(narrative)
    session.flush()
    return narrative


def make_article(session: Session, title: str | None = None, **fields: object) -> Article:
    n = next(_counter)
    values: dict[str, object] = {
        "title": title or f"Debunk {n}",
        "url": f"https://factcheck.example/{n}",
        "language": "en",
    }
    values.update(fields)
    article = Article(**values)
    session.add(article)
    session.flush()
    return article


def make_figure(session: Session, value: float = 1500, **fields: object) -> Figure:
    values: dict[str, object] = {"subject": "foreign recruits", "value": value}
    values.update(fields)
    figure = Figure(**values)
    session.add(figure)
    session.flush()
    return figure
