"""The links of a claim: which appearances a save keeps, and the snapshot each one shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from tracker.capture import platform_domain
from tracker.errors import ValidationFailed
from tracker.models import Appearance, Claim, Outlet, Snapshot
from tracker.services.validation import canonical_url, row_id

# Links one save takes (desk form or API request); a claim can get more by saving again.
APPEARANCE_LIMIT = 50

# The platforms a link's domain shows (codes of `models.appearance.PLATFORMS`); other
# spellings of these domains (twitter.com, telegram.me, ...) are `platform_domain`'s.
_PLATFORM_DOMAINS = {
    "t.me": "telegram",
    "x.com": "x",
    "facebook.com": "facebook",
    "vk.com": "vk",
    "youtube.com": "youtube",
    "youtu.be": "youtube",
    "tiktok.com": "tiktok",
}


def platform_of(url: str) -> str | None:
    """'https://t.me/rian_ru/5' -> 'telegram'; None for a domain that is not a platform's."""
    return _PLATFORM_DOMAINS.get(platform_domain(url))


@dataclass
class AppearanceInput:
    url: str
    appeared_on: date | None = None
    outlet_id: int | None = None
    platform: str | None = None
    language: str | None = None
    title: str | None = None
    snapshot_id: int | None = None

    def __post_init__(self) -> None:
        self.url = canonical_url(self.url)
        # A Telegram post left as "Web page" (the form's default) or sent without a
        # platform is a Telegram post; TV and "Other" are the analyst's word.
        if self.platform in (None, "", "web"):
            self.platform = platform_of(self.url) or self.platform or "web"


def sync_appearances(session: Session, claim: Claim, wanted: list[AppearanceInput]) -> None:
    """Make WANTED the claim's links: existing ones (by URL) are updated, others created."""
    by_url = {canonical_url(a.url): a for a in claim.appearances}
    keep = []
    for item in wanted:
        appearance = by_url.get(item.url) or Appearance(url=item.url)
        appearance.appeared_on = item.appeared_on
        appearance.platform = item.platform or appearance.platform
        appearance.language = item.language or appearance.language
        appearance.title = item.title or appearance.title
        if item.outlet_id is not None:
            problem = outlet_problem(session, item.outlet_id)
            if problem:
                raise ValidationFailed({"appearances": [problem]})
            appearance.outlet_id = item.outlet_id
        # The form echoes the snapshot it was opened with; a newer good copy made since
        # (by "Fetch again") is not replaced by it.
        current = appearance.snapshot
        if item.snapshot_id is not None and (current is None or not current.ok):
            attach_snapshot(session, appearance, item.snapshot_id)
        keep.append(appearance)
    claim.appearances = keep


def outlet_problem(session: Session, outlet_id: int | None) -> str | None:
    """Why OUTLET_ID cannot be a link's outlet: there is no such outlet."""
    if outlet_id is None:
        return None
    if row_id(outlet_id) is None or session.get(Outlet, outlet_id) is None:
        return f"There is no outlet {outlet_id}."
    return None


def attach_snapshot(session: Session, appearance: Appearance, snapshot_id: int) -> None:
    """Point the appearance at the snapshot made when its link was pasted, and take the
    page's title and language from it (the page is not fetched a second time)."""
    from tracker.services.snapshots import fill_from_snapshot

    snapshot = session.get(Snapshot, snapshot_id)
    if snapshot is None:
        raise ValidationFailed({"appearances": [f"There is no snapshot {snapshot_id}."]})
    appearance.snapshot = snapshot
    fill_from_snapshot(appearance, snapshot)
