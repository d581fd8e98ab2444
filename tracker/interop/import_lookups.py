"""What an import looks up again and again, asked for once: outlets, narratives, countries,
and the claims and articles a batch of records may match.

Outlets (by handle and by name) and narratives (by name and slug) are loaded whole on
first use: even a large database has a few thousand of them. Claims and articles are
looked up per batch, in one query per kind, by the external ids and URLs the batch
carries. Everything created during the import is remembered as it is made, so two records
of one batch that share an outlet, a narrative or a claim find the first one's.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from tracker.audit import Actor
from tracker.capture import registrable_domain
from tracker.interop.textnorm import outlet_name
from tracker.models import (
    Appearance,
    Article,
    Claim,
    ClaimArticleLink,
    Narrative,
    Outlet,
    OutletHandle,
)
from tracker.services import narratives as narrative_service
from tracker.services import outlets as outlet_service
from tracker.services.countries import resolve_country

# Platforms, shorteners and archives: a domain that is not one outlet's own.
SHARED_DOMAINS = frozenset(
    {
        "youtube.com", "youtu.be", "facebook.com", "fb.com", "twitter.com", "x.com", "t.me",
        "telegram.me", "vk.com", "ok.ru", "instagram.com", "tiktok.com", "bit.ly", "goo.gl",
        "livejournal.com", "archive.is", "archive.ph", "archive.org", "google.com",
        "blogspot.com", "wordpress.com", "medium.com", "reddit.com", "rutube.ru", "dzen.ru",
        "whatsapp.com", "linkedin.com", "substack.com",
    }
)  # fmt: skip
NAME_LIMIT = 200


def _chunks(values: list[str], size: int = 500) -> Iterable[list[str]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


class Lookups:
    """Caches of one import run (cleared when a batch is rolled back)."""

    def __init__(self, session: Session, by: Actor, created: Counter[str] | None = None) -> None:
        self.session = session
        self.by = by
        self.created: Counter[str] = created if created is not None else Counter()
        self.reset()

    def reset(self) -> None:
        self._handles: dict[str, int] | None = None
        self._outlet_names: dict[str, int] = {}
        self._narrative_names: dict[str, int] | None = None
        self._narrative_slugs: dict[str, int] = {}
        self.claims_by_external: dict[str, int] = {}
        self.claims_by_url: dict[tuple[str, str], int] = {}
        self.articles_by_url: dict[str, int] = {}
        self.articles_by_external: dict[str, int] = {}
        self.claims_by_article: dict[tuple[int, str], int] = {}

    # --- outlets ----------------------------------------------------------------------

    def _load_outlets(self) -> dict[str, int]:
        if self._handles is None:
            live = Outlet.deleted_at.is_(None)
            rows = self.session.execute(
                select(OutletHandle.value, OutletHandle.outlet_id).join(Outlet).where(live)
            )
            self._handles = {value: outlet_id for value, outlet_id in rows}
            names = self.session.execute(select(Outlet.name, Outlet.id).where(live))
            self._outlet_names = {}
            for name, outlet_id in names.all():
                self._outlet_names.setdefault(name.strip().lower(), outlet_id)
        return self._handles

    def find_outlet(
        self, url: str | None = None, name: str | None = None, domain: str | None = None
    ) -> int | None:
        """The outlet of URL (its handle or host), else of DOMAIN, else named NAME."""
        handles = self._load_outlets()
        if url:
            for candidate in outlet_service.url_candidates(url):
                if candidate in handles:
                    return handles[candidate]
        if domain:
            _kind, value = outlet_service.normalise_handle(domain)
            if value in handles:
                return handles[value]
        if name and name.strip():
            return self._outlet_names.get(name.strip().lower())
        return None

    def outlet_for(
        self, url: str | None, name: str | None, domain: str | None = None, **fields: object
    ) -> int | None:
        """The matching outlet, or a new one named NAME (None without a name).

        DOMAIN becomes the new outlet's handle unless it is a platform's, a shortener's or
        already another outlet's: a platform's domain would claim every account on it.
        """
        name = outlet_name(name) if name else name
        found = self.find_outlet(url, name, domain)
        if found is not None or not name or not name.strip():
            return found
        handles = []
        if domain:
            _kind, value = outlet_service.normalise_handle(domain)
            shared = (registrable_domain(f"https://{value}") or value) in SHARED_DOMAINS
            if value not in self._load_outlets() and (not shared or "/" in value):
                handles.append(value)
        data = outlet_service.OutletInput(name=name.strip()[:NAME_LIMIT], handles=handles)
        for key, given in fields.items():
            setattr(data, key, given)
        outlet = outlet_service.create_outlet(self.session, data, by=self.by)
        self.created["outlets"] += 1
        self.remember_outlet(outlet)
        return outlet.id

    def remember_outlet(self, outlet: Outlet) -> None:
        handles = self._load_outlets()
        for handle in outlet.handles:
            handles[handle.value] = outlet.id
        self._outlet_names.setdefault(outlet.name.strip().lower(), outlet.id)

    # --- narratives and countries -------------------------------------------------------

    def _load_narratives(self) -> dict[str, int]:
        if self._narrative_names is None:
            rows = self.session.execute(select(Narrative.name, Narrative.slug, Narrative.id))
            self._narrative_names = {}
            self._narrative_slugs = {}
            for name, slug, narrative_id in rows:
                self._narrative_names.setdefault(name.strip().lower(), narrative_id)
                self._narrative_slugs[slug] = narrative_id
        return self._narrative_names

    def narrative_ids(self, names: Iterable[str], notes: list[str] | None = None) -> list[int]:
        """The narratives with these names (or slugs), created when missing."""
        known = self._load_narratives()
        found: list[int] = []
        for raw in names:
            name = " ".join(raw.split())
            if not name or len(name) > NAME_LIMIT:
                if notes is not None and name:
                    notes.append(f"narrative name over {NAME_LIMIT} characters left out")
                continue
            narrative_id = known.get(name.lower()) or self._narrative_slugs.get(name)
            if narrative_id is None:
                narrative = narrative_service.create_narrative(self.session, name, by=self.by)
                self.created["narratives"] += 1
                narrative_id = self.remember_narrative(narrative)
            if narrative_id not in found:
                found.append(narrative_id)
        return found

    def remember_narrative(self, narrative: Narrative) -> int:
        self._load_narratives()[narrative.name.strip().lower()] = narrative.id
        self._narrative_slugs[narrative.slug] = narrative.id
        return narrative.id

    def narrative_by_name(self, name: str) -> int | None:
        return self._load_narratives().get(" ".join(name.split()).lower())

    def narrative_by_slug(self, slug: str) -> int | None:
        self._load_narratives()
        return self._narrative_slugs.get(slug)

    @staticmethod
    def country_codes(names: Iterable[str]) -> tuple[list[str], list[str]]:
        """ISO codes for country names or codes, and the names that are not countries."""
        codes: list[str] = []
        unknown: list[str] = []
        for name in names:
            code = resolve_country(name)
            if code is None:
                unknown.append(name)
            elif code not in codes:
                codes.append(code)
        return codes, unknown

    # --- claims --------------------------------------------------------------------------

    def prefetch_claims(
        self, external_ids: Iterable[str | None], urls: Iterable[str | None]
    ) -> None:
        """Load the claims that have these external ids or appeared at these URLs."""
        wanted = sorted({e for e in external_ids if e} - set(self.claims_by_external))
        for chunk in _chunks(wanted):
            found = self.session.execute(
                select(Claim.external_id, Claim.id).where(Claim.external_id.in_(chunk))
            )
            self.claims_by_external.update({ext: claim_id for ext, claim_id in found if ext})
        links = sorted({u for u in urls if u})
        for chunk in _chunks(links):
            rows = self.session.execute(
                select(Appearance.url, Claim.fingerprint, Claim.id)
                .join(Claim, Claim.id == Appearance.claim_id)
                .where(Appearance.url.in_(chunk))
            )
            for url, fingerprint, claim_id in rows:
                self.claims_by_url.setdefault((url, fingerprint or ""), claim_id)

    def find_claim(
        self, external_id: str | None, urls: Iterable[str], fingerprint: str
    ) -> int | None:
        """A claim with this external id, or one that said the same at one of these URLs."""
        if external_id and external_id in self.claims_by_external:
            return self.claims_by_external[external_id]
        for url in urls:
            found = self.claims_by_url.get((url, fingerprint))
            if found is not None:
                return found
        return None

    def remember_claim(
        self, claim_id: int, external_id: str | None, urls: Iterable[str], fingerprint: str
    ) -> None:
        if external_id:
            self.claims_by_external[external_id] = claim_id
        for url in urls:
            self.claims_by_url.setdefault((url, fingerprint), claim_id)

    # --- articles ------------------------------------------------------------------------

    def prefetch_articles(self, keys: Iterable[str | None]) -> None:
        """Load the articles whose URL or external id is one of KEYS."""
        wanted = sorted(
            {k for k in keys if k} - set(self.articles_by_url) - set(self.articles_by_external)
        )
        for chunk in _chunks(wanted):
            rows = self.session.execute(
                select(Article.id, Article.url, Article.external_id).where(
                    or_(Article.url.in_(chunk), Article.external_id.in_(chunk))
                )
            )
            for article_id, url, external_id in rows:
                self.remember_article(article_id, url, external_id)

    def find_article(self, *keys: str | None) -> int | None:
        for key in keys:
            if not key:
                continue
            found = self.articles_by_url.get(key) or self.articles_by_external.get(key)
            if found is not None:
                return found
        return None

    def remember_article(self, article_id: int, url: str | None, external_id: str | None) -> None:
        if url:
            self.articles_by_url[url] = article_id
        if external_id:
            self.articles_by_external[external_id] = article_id

    def prefetch_article_claims(self, article_ids: Iterable[int]) -> None:
        """Load which claims (by text fingerprint) are linked to these articles."""
        ids = sorted(set(article_ids))
        for start in range(0, len(ids), 500):
            rows = self.session.execute(
                select(ClaimArticleLink.article_id, Claim.fingerprint, Claim.id)
                .join(Claim, Claim.id == ClaimArticleLink.claim_id)
                .where(ClaimArticleLink.article_id.in_(ids[start : start + 500]))
            )
            for article_id, fingerprint, claim_id in rows:
                self.claims_by_article.setdefault((article_id, fingerprint or ""), claim_id)
