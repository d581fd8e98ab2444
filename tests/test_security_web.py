"""Headers, redirects, error pages and the security log."""

from __future__ import annotations

import logging
import re

import pytest

from tests.factories import PASSWORD, make_user, put_in_session
from tracker.auth.redirects import safe_next
from tracker.models import Role

HOSTILE_NEXT = [
    "//evil.example",
    "//evil.example/desk/",
    "/\\evil.example",
    "\\\\evil.example",
    "https:evil.example",
    "https://evil.example/",
    "http://evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "%2F%2Fevil.example",
    "/%2F%2Fevil.example",
    "%2F%5Cevil.example",
    "/%5Cevil.example",
    "%252F%252Fevil.example",
    " //evil.example",
    "\t//evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "\x00//evil.example",
    "///evil.example",
    "ftp://evil.example",
    "evil.example",
    "@evil.example",
]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_hostile_next_targets_fall_back_to_the_default(target):
    assert safe_next(target, "/desk/") == "/desk/"


@pytest.mark.parametrize("target", ["/desk/", "/desk/claims/3?tab=history", "/search?q=a%20b"])
def test_paths_on_this_site_are_followed(target):
    assert safe_next(target, "/desk/") == target


@pytest.mark.parametrize("target", HOSTILE_NEXT[:12])
def test_sign_in_never_redirects_off_site(client, db, target):
    user = make_user(db)
    db.commit()
    response = client.post(
        "/login", query_string={"next": target}, data={"email": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/desk/"


def test_every_response_carries_the_security_headers(client):
    for path in ("/", "/login", "/no-such-page", "/healthz"):
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_hsts_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/").headers
    secure = client.get("/", base_url="https://tracker.example")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")


def test_signed_in_pages_are_not_cached(client, login_as):
    login_as(Role.ANALYST)
    assert client.get("/desk/").headers["Cache-Control"] == "no-store"


def test_templates_contain_no_inline_script_or_style(app):
    from pathlib import Path

    from tracker import TEMPLATE_FOLDER

    for template in Path(TEMPLATE_FOLDER).rglob("*.html"):
        text = template.read_text()
        for bad in ("<script>", "onclick=", "onload=", "onerror=", "javascript:", ' style="'):
            assert bad not in text, f"{template.name} contains {bad!r}"


def test_error_pages_show_no_stack_trace_or_sql(tmp_path, monkeypatch, database):
    from tests.conftest import app_config
    from tracker import create_app

    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path))
    app = create_app(app_config(database, tmp_path) | {"ENV_NAME": "development"})

    @app.get("/boom")
    def boom():
        from sqlalchemy import text

        from tracker.extensions import db

        db.session.execute(text("SELECT no_such_column FROM no_such_table"))

    from tracker.auth.access import ENDPOINT_ACCESS, Access

    ENDPOINT_ACCESS["boom"] = Access.PUBLIC
    try:
        response = app.test_client().get("/boom")
    finally:
        del ENDPOINT_ACCESS["boom"]
    page = response.get_data(as_text=True)
    assert response.status_code in (500, 503)
    for leak in ("Traceback", "no_such_table", "SELECT", "sqlalchemy", 'File "'):
        assert leak not in page
    with app.app_context():
        from tracker.extensions import db

        db.engine.dispose()


def test_security_events_are_logged_on_one_line_with_actor_and_ip(client, db, caplog):
    make_user(db, email="real@example.org")
    db.commit()
    with caplog.at_level(logging.INFO, logger="tracker.security"):
        client.post(
            "/login",
            data={
                "email": "evil\r\nevent=login actor=admin@example.org ip=10.0.0.1",
                "password": "wrong password guess",
            },
        )
        client.post("/login", data={"email": "real@example.org", "password": PASSWORD})
    lines = [r.getMessage() for r in caplog.records if r.name == "tracker.security"]
    assert len(lines) == 2
    assert all("\n" not in line and "\r" not in line for line in lines)
    # No second event, actor or ip: what is no email address is not logged at all (the
    # quoting of values that are is tested in test_security_log.py).
    failed = parse_logfmt(lines[0])
    assert [key for key, _ in failed] == ["event", "actor", "ip"]
    assert dict(failed) == {
        "event": "login_failed",
        "actor": "(not an email address)",
        "ip": "127.0.0.1",
    }
    assert lines[1] == "event=login actor=real@example.org ip=127.0.0.1"


LOGFMT_FIELD = re.compile(r'([a-z0-9_]+)=("(?:[^"\\]|\\.)*"|[^\s"]*)(?: |$)')


def _unescape(match: re.Match) -> str:
    code = match.group(1)
    return code if code in ('"', "\\") else chr(int(code[1:], 16))


def parse_logfmt(line: str) -> list[tuple[str, str]]:
    """The fields of a logfmt line, in order; fails on anything that is not key=value."""
    fields, position = [], 0
    while position < len(line):
        match = LOGFMT_FIELD.match(line, position)
        assert match, f"not logfmt at {position}: {line[position:]!r}"
        value = match.group(2)
        if value.startswith('"'):
            value = re.sub(r'\\(["\\]|x[0-9a-f]{2}|u[0-9a-f]{4})', _unescape, value[1:-1])
        fields.append((match.group(1), value))
        position = match.end()
    return fields


def test_the_security_log_is_in_utc():
    import time

    from tracker.security import UTCFormatter

    record = logging.LogRecord("tracker.security", logging.INFO, "", 0, "x", None, None)
    record.created = 0.0
    formatted = UTCFormatter().format(record)
    assert formatted.startswith("1970-01-01T00:00:00Z") or time.timezone == 0


def test_permission_denials_are_logged(client, login_as, caplog):
    login_as(Role.ANALYST)
    with caplog.at_level(logging.INFO, logger="tracker.security"):
        assert client.get("/desk/audit").status_code == 403
    assert any(
        "event=access_denied" in r.getMessage() and "desk.audit" in r.getMessage()
        for r in caplog.records
    )


def test_no_state_change_on_get(app, db):
    """Every GET route, called as an admin on the demo data, leaves every table as it was
    (row counts and content hashes, compared after each request)."""
    from tests.test_access_walk import url_values
    from tracker.backup import table_checks
    from tracker.extensions import db as database

    result = app.test_cli_runner().invoke(args=["demo", "--no-serve"])
    assert result.exit_code == 0, result.output
    values = url_values(db)
    admin = make_user(db, Role.ADMIN)
    db.commit()
    client = app.test_client()
    with client.session_transaction() as session:
        put_in_session(session, admin)

    def contents():
        with app.app_context(), database.engine.connect() as connection:
            return table_checks(connection)

    before = contents()
    called, changed = [], []
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or set()):
            continue
        path = rule.build({a: values[a] for a in rule.arguments}, append_unknown=False)[1]
        response = client.get(path)
        assert response.status_code < 500, (path, response.status_code)
        response.close()
        called.append(rule.endpoint)
        after = contents()
        changed += [(rule.endpoint, name) for name in after if after[name] != before[name]]
        before = after
    assert changed == []
    # The walk reached the pages most likely to write by mistake.
    for endpoint in ("desk.claim_edit", "desk.claim_new", "desk.outlet_merge", "desk.users"):
        assert endpoint in called
    assert len(called) >= 50
    print(f"no state change on GET: {len(called)} GET routes walked as admin")
