"""Migrations down and up again on a database full of demo data, on both databases."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.test_migrations import schema_differences
from tracker.database import make_engine
from tracker.migrate import downgrade, upgrade
from tracker.models import Claim


def test_downgrade_and_upgrade_with_demo_data(app):
    result = app.test_cli_runner().invoke(args=["demo", "--no-serve"])
    assert result.exit_code == 0, result.output
    engine = make_engine(app.config["DATABASE_URL"])
    try:
        downgrade(engine, "base")
        upgrade(engine)
        assert schema_differences(engine) == []
        with engine.connect() as connection:
            assert connection.execute(select(func.count()).select_from(Claim)).scalar() == 0
        # The demo loads again into the re-created schema.
        again = app.test_cli_runner().invoke(args=["demo", "--no-serve"])
        assert again.exit_code == 0, again.output
        with engine.connect() as connection:
            assert connection.execute(select(func.count()).select_from(Claim)).scalar() == 24
    finally:
        engine.dispose()
