"""Outlets and their domains/handles: find, create, edit and merge."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from typing import cast
from urllib.parse import urlsplit

from sqlalchemy import CursorResult, func, or_, select, update
from sqlalchemy.orm import Session

from tracker.audit import Actor, changed, record_event, values_of
from tracker.capture import registrable_domain, social_handle
from tracker.errors import DomainError, EditConflict, NotFound, PermissionDenied, ValidationFailed
from tracker.models import (
    Appearance,
    HandleKind,
    Outlet,
    OutletHandle,
    OutletKind,
    Role,
    utcnow,
)
from tracker.services import validation
from tracker.services.countries import is_country_code
from tracker.services.indexing import reindex_claims

OUTLET_FIELDS = [
    "name",
    "kind",
    "country",
    "state_affiliated",
    "description",
    "deleted_at",
    "merged_into_id",
]


@dataclass
class OutletInput:
    name: str
    kind: OutletKind = OutletKind.OTHER
    country: str | None = None
    state_affiliated: bool = False
    description: str | None = None
    handles: list[str] = field(default_factory=list)


def _host(url: str) -> str | None:
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    return host.removeprefix("www.") or None


PLATFORM_ALIASES = {
    "twitter.com": "x.com",
    "fb.com": "facebook.com",
    "youtu.be": "youtube.com",
    "telegram.me": "t.me",
}


def platform_handle(url: str) -> str | None:
    """'https://t.me/s/Channel/12' -> 't.me/channel': an account, named with its platform."""
    handle = social_handle(url)
    if not handle:
        return None
    platform = (registrable_domain(url) or _host(url) or "").lower()
    platform = PLATFORM_ALIASES.get(platform, platform)
    return f"{platform}/{handle.lower()}"


def normalise_handle(value: str) -> tuple[HandleKind, str]:
    """'https://www.RT.com/news' -> (domain, 'rt.com'); 't.me/s/Channel' -> (handle, ...).

    Sub-domains are kept ("de.rt.com" is its own outlet); only "www." is dropped.
    """
    value = value.strip()
    url = value if "://" in value else f"https://{value}"
    handle = platform_handle(url)
    if handle:
        return HandleKind.HANDLE, handle
    host = _host(url)
    if host:
        return HandleKind.DOMAIN, host
    return HandleKind.DOMAIN, value.lower().removeprefix("www.")


def url_candidates(url: str) -> list[str]:
    """Handles and domains that could identify the outlet of a URL, most specific first."""
    candidates = []
    handle = platform_handle(url)
    if handle:
        candidates.append(handle)
    host = _host(url)
    registrable = (registrable_domain(url) or "").lower()
    if host:
        parts = host.split(".")
        for start in range(len(parts) - 1):
            candidate = ".".join(parts[start:])
            candidates.append(candidate)
            if candidate == registrable:
                break
    return list(dict.fromkeys(candidates))


def outlet_values(outlet: Outlet) -> dict[str, object]:
    values = values_of(outlet, OUTLET_FIELDS)
    values["handles"] = [h.value for h in outlet.handles]
    return values


def claims_of_outlet(session: Session, outlet_id: int) -> list[int]:
    return list(
        session.scalars(
            select(Appearance.claim_id).where(Appearance.outlet_id == outlet_id).distinct()
        )
    )


def get_outlet(session: Session, outlet_id: int) -> Outlet:
    outlet = session.get(Outlet, outlet_id)
    if outlet is None:
        raise NotFound(f"There is no outlet {outlet_id}.")
    return outlet


def merge_destination(session: Session, outlet: Outlet) -> Outlet:
    """The outlet OUTLET became through merges, later merges too (itself when it was not
    merged). The one walk of the chain, for the desk, imports and old public links."""
    seen = {outlet.id}
    while outlet.merged_into_id is not None and outlet.merged_into_id not in seen:
        seen.add(outlet.merged_into_id)
        outlet = get_outlet(session, outlet.merged_into_id)
    return outlet


def find_by_url(session: Session, url: str) -> Outlet | None:
    """The outlet whose handle or domain matches a URL (t.me/x before t.me, host before domain)."""
    for value in url_candidates(url):
        outlet = session.scalar(
            select(Outlet)
            .join(OutletHandle)
            .where(OutletHandle.value == value, Outlet.deleted_at.is_(None))
        )
        if outlet is not None:
            return merge_destination(session, outlet)
    return None


def find_by_name_or_handle(session: Session, text: str) -> Outlet | None:
    text = text.strip()
    if not text:
        return None
    outlet = session.scalar(
        select(Outlet).where(func.lower(Outlet.name) == text.lower(), Outlet.deleted_at.is_(None))
    )
    if outlet is None:
        _kind, value = normalise_handle(text)
        outlet = session.scalar(
            select(Outlet)
            .join(OutletHandle)
            .where(OutletHandle.value == value, Outlet.deleted_at.is_(None))
        )
    return merge_destination(session, outlet) if outlet else None


def lookup(session: Session, text: str, limit: int = 10) -> list[Outlet]:
    """Outlets whose name or a handle starts with the typed text (for the as-you-type list)."""
    text = text.strip().lower()
    if not text:
        return []
    prefix = f"{text}%"
    return list(
        session.scalars(
            select(Outlet)
            .outerjoin(OutletHandle)
            .where(
                Outlet.deleted_at.is_(None),
                Outlet.merged_into_id.is_(None),
                or_(func.lower(Outlet.name).like(prefix), OutletHandle.value.like(prefix)),
            )
            .distinct()
            .order_by(Outlet.name)
            .limit(limit)
        )
    )


_DOMAIN_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_ACCOUNT = re.compile(r"^[^\s<>\"'/]{1,200}(/[^\s<>\"']*)?$")


def handle_problem(kind: HandleKind, value: str) -> str | None:
    """Why a normalised domain or handle cannot identify an outlet, or None."""
    if kind == HandleKind.HANDLE:
        platform, _slash, account = value.partition("/")
        if handle_problem(HandleKind.DOMAIN, platform) or not _ACCOUNT.match(account):
            return f"“{value}” is not an account address such as t.me/channel or x.com/name."
        return None
    if _is_ip(value):
        return None
    try:
        ascii_host = value.encode("idna").decode("ascii")  # россия.рф is a domain too
    except UnicodeError:
        ascii_host = value
    labels = ascii_host.split(".")
    if len(ascii_host) > 253 or len(labels) < 2 or labels[-1].isdigit():
        return f"“{value}” is not a domain such as rt.com or a handle such as t.me/channel."
    if not all(_DOMAIN_LABEL.match(label) for label in labels):
        return f"“{value}” is not a domain such as rt.com or a handle such as t.me/channel."
    return None


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value.strip("[]"))
    except ValueError:
        return False
    return True


def _same_name(session: Session, name: str, outlet: Outlet | None) -> Outlet | None:
    query = select(Outlet).where(
        func.lower(Outlet.name) == name.strip().lower(), Outlet.deleted_at.is_(None)
    )
    if outlet is not None:
        query = query.where(Outlet.id != outlet.id)
    return session.scalar(query.limit(1))


def _validate(session: Session, data: OutletInput, outlet: Outlet | None) -> list[tuple]:
    errors: dict[str, list[str]] = {}
    if not data.name.strip():
        errors["name"] = ["Enter the outlet's name."]
    elif problem := validation.length_problem(data.name, 200, "The name"):
        errors["name"] = [problem]
    elif (other := _same_name(session, data.name, outlet)) is not None:
        # Two outlets of one name cannot be told apart in the as-you-type list.
        errors["name"] = [f"Outlet {other.id} is already called “{other.name}”."]
    if problem := validation.length_problem(data.description, 5000, "The description"):
        errors["description"] = [problem]
    if data.country and not is_country_code(data.country):
        errors["country"] = [
            f"“{data.country}” is not a country: use its name (Ukraine) or two-letter code (UA)."
        ]
    handles = []
    for raw in data.handles:
        if not raw.strip():
            continue
        kind, value = normalise_handle(raw)
        if problem := handle_problem(kind, value):
            errors.setdefault("handles", []).append(problem)
            continue
        owner = session.scalar(select(OutletHandle).where(OutletHandle.value == value))
        if owner is not None and (outlet is None or owner.outlet_id != outlet.id):
            errors.setdefault("handles", []).append(
                f"{value} already belongs to outlet {owner.outlet_id}."
            )
        handles.append((kind, value))
    if errors:
        raise ValidationFailed(errors)
    return list(dict.fromkeys(handles))


def create_outlet(session: Session, data: OutletInput, *, by: Actor) -> Outlet:
    handles = _validate(session, data, None)
    outlet = Outlet(
        name=data.name.strip(),
        kind=data.kind,
        country=(data.country or None),
        state_affiliated=data.state_affiliated,
        description=(data.description or "").strip() or None,
    )
    outlet.handles = [OutletHandle(kind=k, value=v) for k, v in handles]
    session.add(outlet)
    session.flush()
    record_event(session, "create", "outlet", outlet.id, by=by, after=outlet_values(outlet))
    return outlet


def update_outlet(
    session: Session,
    outlet: Outlet,
    data: OutletInput,
    *,
    expected_version: int | None = None,
    by: Actor,
) -> Outlet:

    handles = _validate(session, data, outlet)
    if expected_version is not None and outlet.version != expected_version:
        raise EditConflict(
            "Someone else saved this outlet after you opened it.", current=outlet_values(outlet)
        )
    before = outlet_values(outlet)
    outlet.name = data.name.strip()
    outlet.kind = data.kind
    outlet.country = data.country or None
    outlet.state_affiliated = data.state_affiliated
    outlet.description = (data.description or "").strip() or None
    existing = {h.value: h for h in outlet.handles}
    outlet.handles = [existing.get(v) or OutletHandle(kind=k, value=v) for k, v in handles]
    session.flush()
    old, new = changed(before, outlet_values(outlet))
    record_event(session, "update", "outlet", outlet.id, by=by, before=old, after=new)
    if "name" in new:  # outlet names are part of their claims' search documents
        reindex_claims(session, claims_of_outlet(session, outlet.id))
    return outlet


def merge_outlets(session: Session, source: Outlet, target: Outlet, *, by: Actor) -> Outlet:
    """Move `source`'s appearances and handles to `target`; `source` stays as a pointer."""
    if by.user is None or not by.user.has_role(Role.EDITOR):
        raise PermissionDenied("Only editors can merge outlets.")
    if source.id == target.id:
        raise DomainError("Choose two different outlets to merge.")
    if target.merged_into_id is not None or target.deleted_at is not None:
        raise DomainError(f"{target.name} was itself merged or deleted; pick the surviving one.")
    affected = claims_of_outlet(session, source.id)
    # Session.execute is typed as returning a plain Result; an UPDATE's is a CursorResult.
    moved = cast(
        CursorResult,
        session.execute(
            update(Appearance).where(Appearance.outlet_id == source.id).values(outlet_id=target.id)
        ),
    ).rowcount
    before = outlet_values(source)  # with its handles, before they move
    moving = [(h.kind, h.value) for h in source.handles]
    handles = [value for _, value in moving]
    # Moved as new rows, after the target's own: its first handle stays its address.
    source.handles.clear()
    session.flush()
    target.handles.extend(OutletHandle(kind=kind, value=value) for kind, value in moving)
    source.merged_into_id = target.id
    source.deleted_at = utcnow()
    session.flush()
    record_event(
        session,
        "merge",
        "outlet",
        source.id,
        by=by,
        before=before,
        after={"merged_into_id": target.id, "appearances_moved": moved, "handles_moved": handles},
        detail=f"merged '{source.name}' into '{target.name}'",
    )
    reindex_claims(session, affected)
    return target
