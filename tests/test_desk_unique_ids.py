"""Every id on a desk page is used once: labels, skip links and screen readers find the
element by its id, and a repeated one (each form's CSRF field was "csrf_token") points to
the first only."""

from __future__ import annotations

import re
from collections import Counter

from tests.factories import make_article, make_claim, make_outlet
from tracker.models import ClaimStatus, Role

_ID = re.compile(r'\sid="([^"]+)"')


def repeated_ids(page: str) -> list[str]:
    return [name for name, n in Counter(_ID.findall(page)).items() if n > 1]


def test_desk_pages_use_each_id_once(app, client, db, login_as):
    app.config["WTF_CSRF_ENABLED"] = True  # off in tests; its fields are what repeated
    login_as(Role.ADMIN)
    claim = make_claim(db, status=ClaimStatus.IN_REVIEW, url="https://news.example/1")
    outlet = make_outlet(db, "Daily Star")
    article = make_article(db)
    db.commit()
    pages = [
        "/desk/",
        f"/desk/claims/{claim.id}",
        f"/desk/claims/{claim.id}/edit",
        "/desk/claims/new",
        "/desk/users",
        "/desk/tokens",
        "/desk/outlets/",
        f"/desk/outlets/{outlet.id}/edit",
        f"/desk/articles/{article.id}",
        "/desk/review",
        "/account/",
    ]
    repeated = {path: repeated_ids(client.get(path).get_data(as_text=True)) for path in pages}
    assert repeated == {path: [] for path in pages}


def test_password_boxes_say_which_password_they_want(client, db, login_as):
    # Password managers filled the admin's own password into a new user's form.
    login_page = client.get("/login").get_data(as_text=True)
    assert 'autocomplete="current-password"' in login_page
    login_as(Role.ADMIN)
    assert 'autocomplete="new-password"' in client.get("/desk/users").get_data(as_text=True)
    account = client.get("/account/").get_data(as_text=True)
    assert account.count('autocomplete="new-password"') == 2
