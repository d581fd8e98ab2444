"""The figures the issue asks for, counted from the tests themselves, with their minimums.

The hostile inputs tried (by kind), the endpoints x roles checked and the schemathesis
example budget are printed on one line (see it with `pytest -rA`) and written to
`security-summary.txt` in pytest's base temporary folder. They are counted from the lists
the attacking tests use, so the note cannot drift from what the suite does.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests import (
    test_access_walk,
    test_api_schemathesis,
    test_interop_csv_injection,
    test_security_web,
    test_security_xss,
)
from tests.test_capture_safety import _blocked_urls
from tests.test_public_hostile import HOSTILE
from tests.xss_support import PAYLOADS
from tracker.auth.access import ENDPOINT_ACCESS


def parametrized_cases(test) -> int:
    [mark] = [m for m in getattr(test, "pytestmark", []) if m.name == "parametrize"]
    return len(mark.args[1])


def xss_pages() -> int:
    record = SimpleNamespace(id=1, slug="x")
    fake = {name: record for name in ("claim", "article", "figure", "outlet", "narrative")}
    return len(test_security_xss.pages(fake))


@pytest.fixture
def report(tmp_path_factory):
    return tmp_path_factory.getbasetemp() / "security-summary.txt"


def test_the_security_figures_meet_the_issue(app, report):
    operations = [
        (path, method)
        for path, item in app.test_client().get("/api/openapi.json").get_json()["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    ]
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    roles = test_access_walk.ROLES
    hostile = {
        "XSS payloads": len(PAYLOADS),
        "hostile next targets": len(test_security_web.HOSTILE_NEXT),
        "hostile search queries": len(HOSTILE),
        "blocked capture addresses": len(_blocked_urls(1)),
        "CSV formula cells": parametrized_cases(test_interop_csv_injection.test_protect_cell),
    }
    figures = {
        **hostile,
        "XSS pages per payload": xss_pages(),
        "next targets through the sign-in form": parametrized_cases(
            test_security_web.test_sign_in_never_redirects_off_site
        ),
        "endpoints": len(endpoints),
        "roles": len(roles),
        "endpoint x role pairs": len(endpoints) * len(roles),
        "API operations": len(operations),
        "schemathesis examples per operation": test_api_schemathesis.EXAMPLES_PER_OPERATION,
    }
    line = "security figures: " + "; ".join(f"{name} {count}" for name, count in figures.items())
    print(line)
    report.write_text(line + "\n", encoding="utf-8")

    assert hostile["XSS payloads"] >= 30
    assert hostile["hostile next targets"] >= 12
    assert figures["next targets through the sign-in form"] >= 12
    assert endpoints == set(ENDPOINT_ACCESS)  # every endpoint is in the walked table
    assert set(roles) == {"anonymous", "analyst", "editor", "admin", "deactivated"}
    assert len(operations) >= 15
    assert test_api_schemathesis.EXAMPLES_PER_OPERATION >= 25
