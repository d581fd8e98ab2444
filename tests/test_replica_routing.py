"""Public reads go to the replica database when DATABASE_REPLICA_URL is set.

Two real PostgreSQL databases stand in for a primary and its read replica. Replication
itself is PostgreSQL's job; here each gets different rows, so the page shows which one
answered.
"""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.factories import make_claim, make_user, put_in_session
from tracker import create_app
from tracker.database import make_engine, make_sessionmaker
from tracker.migrate import upgrade
from tracker.models import ClaimStatus, Rating, Role


@pytest.fixture
def two_databases():
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        pytest.skip("needs PostgreSQL (TEST_DATABASE_URL)")
    url = make_url(base).set(drivername="postgresql+psycopg")
    names = [f"tracker_{role}_{uuid.uuid4().hex[:8]}" for role in ("primary", "replica")]
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        for name in names:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    urls = [url.set(database=name).render_as_string(hide_password=False) for name in names]
    yield urls
    with admin.connect() as connection:
        for name in names:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def seed(url: str, text_of_claim: str) -> None:
    engine = make_engine(url)
    upgrade(engine)
    session = make_sessionmaker(engine)()
    make_claim(
        session,
        text_of_claim,
        status=ClaimStatus.PUBLISHED,
        rating=Rating.FALSE,
        rationale="Because.",
    )
    session.commit()
    session.close()
    engine.dispose()


def test_public_pages_read_from_the_replica_and_the_desk_from_the_primary(
    two_databases, tmp_path, monkeypatch
):
    primary, replica = two_databases
    seed(primary, "Claim that exists on the primary.")
    seed(replica, "Claim that exists on the replica.")
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path))
    app = create_app(
        {
            "ENV_NAME": "testing",
            "DATABASE_URL": primary,
            "DATABASE_REPLICA_URL": replica,
            "SECRET_KEY": "x" * 40,
            "WTF_CSRF_ENABLED": False,
        }
    )
    client = app.test_client()
    public = client.get("/").get_data(as_text=True)
    assert "Claim that exists on the replica." in public
    assert "Claim that exists on the primary." not in public

    engine = make_engine(primary)
    session = make_sessionmaker(engine)()
    editor = make_user(session, Role.EDITOR)
    session.commit()
    with client.session_transaction() as cookie:
        put_in_session(cookie, editor)
    desk = client.get("/desk/?status=published").get_data(as_text=True)
    assert "Claim that exists on the primary." in desk
    assert "Claim that exists on the replica." not in desk
    session.close()
    engine.dispose()

    ready = client.get("/readyz").get_json()
    assert ready["replica"] == "ok" and ready["database"] == "ok"
    with app.app_context():
        from tracker.extensions import db

        db.dispose()
