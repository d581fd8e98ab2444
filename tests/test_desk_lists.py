"""Long desk lists come by pages of 50 and can be searched."""

from __future__ import annotations

from tests.desk_support import page_text
from tests.factories import make_narrative, make_outlet
from tracker.desk.listing import PAGE_SIZE
from tracker.models import Role


def test_the_outlet_list_comes_by_pages_and_finds_a_name_or_a_domain(client, db, login_as):
    login_as(Role.ANALYST)
    for n in range(PAGE_SIZE + 5):
        make_outlet(db, f"Outlet {n:03d}", f"outlet{n:03d}.example")
    make_outlet(db, "Военкор Z", "voenkor.example")
    db.commit()
    first = page_text(client.get("/desk/outlets/"))
    assert f"{PAGE_SIZE + 6} outlets; {PAGE_SIZE} on this page." in first
    assert "Outlet 000" in first and f"Outlet {PAGE_SIZE:03d}" not in first
    assert 'href="/desk/outlets/?page=2"' in first
    second = page_text(client.get("/desk/outlets/?page=2"))
    assert f"Outlet {PAGE_SIZE:03d}" in second and "Previous" in second
    assert "Военкор Z" in page_text(client.get("/desk/outlets/?q=военкор"))
    by_domain = page_text(client.get("/desk/outlets/?q=outlet007.example"))
    assert "1 outlet matches “outlet007.example”." in by_domain and "Outlet 007" in by_domain
    assert "No outlet matches." in page_text(client.get("/desk/outlets/?q=100%"))


def test_the_narrative_list_can_be_searched(client, db, login_as):
    login_as(Role.ANALYST)
    make_narrative(db, "Western fatigue")
    make_narrative(db, "Biolabs in Ukraine")
    db.commit()
    page = page_text(client.get("/desk/narratives/?q=BIOLABS"))
    assert "Biolabs in Ukraine" in page and "Western fatigue" not in page
