"""Running the Alembic migrations from code (`tracker init`, tests, backups)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from tracker import PROJECT_ROOT

MIGRATIONS = PROJECT_ROOT / "migrations"


class MigrationError(RuntimeError):
    """A migration that would have left the database inconsistent; it was rolled back."""


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["configure_logger"] = False
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@contextmanager
def migration_connection(engine: Engine) -> Iterator[Connection]:
    """A connection in one transaction for running migrations, committed at the end.

    On SQLite, Alembic's batch mode changes a table by copying it, dropping the old one and
    renaming the copy. With foreign keys enforced (the app turns them on for every
    connection), dropping `claims` or `figures` cascades: appearances, verdicts, links and
    figure parts are deleted. So foreign keys are switched off for the migration (which
    SQLite only allows outside a transaction), checked with `foreign_key_check` before the
    commit, and switched on again. The driver is also told to leave transactions to us, so
    that the DDL is inside the transaction too and a failed migration changes nothing.
    """
    with engine.connect() as connection:
        if connection.dialect.name != "sqlite":
            with connection.begin():
                yield connection
            return
        driver = connection.connection.driver_connection
        if driver is None:  # never for an open connection; the type allows it
            raise RuntimeError("the SQLite connection has no driver connection")
        saved_isolation = driver.isolation_level
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.commit()
        driver.isolation_level = None
        try:
            connection.exec_driver_sql("BEGIN")
            try:
                yield connection
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    tables = sorted({row[0] for row in broken})
                    raise MigrationError(
                        f"the migration would leave {len(broken)} rows pointing at missing "
                        f"rows (in {', '.join(tables)}); nothing was changed"
                    )
            except BaseException:
                connection.exec_driver_sql("ROLLBACK")
                raise
            connection.exec_driver_sql("COMMIT")
        finally:
            connection.rollback()  # SQLAlchemy's own bookkeeping; the driver has nothing open
            driver.isolation_level = saved_isolation
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()


def upgrade(engine: Engine, revision: str = "head") -> None:
    with migration_connection(engine) as connection:
        command.upgrade(alembic_config(connection), revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    with migration_connection(engine) as connection:
        command.downgrade(alembic_config(connection), revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()
