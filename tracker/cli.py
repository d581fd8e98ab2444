"""The `tracker` command (also reachable as `flask --app tracker ...`)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, ScriptInfo, with_appcontext
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError, ProgrammingError

from tracker.config import ConfigError
from tracker.extensions import db

# SQLSTATEs (PostgreSQL) and SQLite messages that mean the schema is older than the code.
_MISSING_SCHEMA_STATES = {"42P01", "42703"}  # undefined table, undefined column
_MISSING_SCHEMA_MESSAGES = ("no such table", "no such column")


def _database_label() -> str:
    return make_url(current_app.config["DATABASE_URL"]).render_as_string(hide_password=True)


def _first_line(exc: DBAPIError) -> str:
    return str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)


def _schema_is_missing(exc: DBAPIError) -> bool:
    if getattr(exc.orig, "sqlstate", None) in _MISSING_SCHEMA_STATES:
        return True
    return _first_line(exc).lower().startswith(_MISSING_SCHEMA_MESSAGES)


@contextmanager
def reporting_database_errors() -> Iterator[None]:
    """Turn the database errors a user can fix into one line instead of a traceback."""
    try:
        yield
    except (OperationalError, ProgrammingError) as exc:
        if _schema_is_missing(exc):
            raise click.ClickException(
                f"the database {_database_label()} is not set up ({_first_line(exc)}): "
                "run `tracker init` to create or upgrade it"
            ) from exc
        if not isinstance(exc, OperationalError):
            raise  # a bug, not a setting: the traceback is what a developer needs
        # Errors while connecting carry no statement; errors of a statement do.
        problem = "cannot reach the database" if exc.statement is None else "database error on"
        raise click.ClickException(f"{problem} {_database_label()}: {_first_line(exc)}") from exc


def _reports_database_errors(command: click.Command) -> click.Command:
    """Wrap a command (and so every subcommand of a group) in reporting_database_errors.

    Done where commands are registered so that commands defined in other modules get it
    too; the flag keeps a second create_app from wrapping the same command twice. The app
    context is pushed here, outside the error handler, so that the handler can still name
    the database once a command's own context has ended.
    """
    if getattr(command, "_reports_database_errors", False):
        return command
    invoke = command.invoke

    def invoke_reporting(ctx: click.Context) -> object:
        app = ctx.ensure_object(ScriptInfo).load_app()
        with app.app_context(), reporting_database_errors():
            return invoke(ctx)

    # Wrapping this one command object (not its class), and marking it as wrapped: click's
    # types have neither an assignable method nor the marker.
    command.invoke = invoke_reporting  # type: ignore[method-assign]
    command._reports_database_errors = True  # type: ignore[attr-defined]
    return command


def init_database() -> None:
    """Create or upgrade the database schema to the newest migration."""
    from alembic.util.exc import CommandError

    from tracker.migrate import current_revision, upgrade

    try:
        upgrade(db.engine)
    except CommandError as exc:
        # As after going back to an older version of the code: it knows no newer revision.
        raise click.ClickException(
            f"The database is at schema revision {current_revision(db.engine)!r}, which this "
            "version of Disinfo Tracker does not know (a newer version made it). Run that "
            f"version, or restore a backup this version made. ({exc})"
        ) from None


@click.command("init")
@with_appcontext
def init_command() -> None:
    """Create or upgrade the database (alembic upgrade head)."""
    init_database()
    click.echo(f"Database ready: {_database_label()}")


@click.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-serve", is_flag=True, help="Load the demo data and exit.")
@with_appcontext
def demo_command(host: str, port: int, no_serve: bool) -> None:
    """Create the database, load demo data and users, and serve the app."""
    from tracker.demo import ensure_demo_users, load_demo_data

    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException("the demo refuses to run with TRACKER_ENV=production")
    init_database()
    credentials = Path(current_app.instance_path) / "demo-credentials.json"
    accounts = ensure_demo_users(db.session, credentials)
    loaded = load_demo_data(db.session)
    db.session.commit()
    click.echo("Demo data " + ("loaded." if loaded else "already present."))
    if loaded:
        from tracker.extensions import xref_engine
        from tracker.xref.engine import rebuild

        counts = rebuild(db.session, xref_engine())
        click.echo(f"Cross-references computed: {counts['suggestions']} suggestions.")
    click.echo(f"\nDisinfo Tracker demo on http://{host}:{port}/  — sign in at /login with:")
    for account in accounts:
        click.echo(f"  {account.role:8} {account.email:24} password: {account.password}")
    click.echo(f"(Saved in {credentials}.)\n")
    if not no_serve:
        _serve(host, port, env="development", workers=2, threads=4)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=click.IntRange(min=1))
@click.option("--threads", default=4, show_default=True, type=click.IntRange(min=1))
@click.option("--no-access-log", is_flag=True)
def serve_command(host: str, port: int, workers: int, threads: int, no_access_log: bool) -> None:
    """Serve the app with the production server (gunicorn).

    Without REDIS_URL, one worker (with the threads of all of them) is started: each
    worker process would otherwise keep its own count of sign-in attempts.
    """
    _serve(host, port, workers=workers, threads=threads, access_log=not no_access_log)


def worker_plan(workers: int, threads: int, redis_url: str | None) -> tuple[int, int, str | None]:
    """The workers and threads to start, and a note when they differ from those asked for.

    Rate limits (sign-in attempts per account and per address) are counted in Redis when
    REDIS_URL is set; otherwise in each process's memory, where two workers would allow
    twice the attempts. Threads share one process's count, so they are safe.
    """
    if workers <= 1 or redis_url:
        return workers, threads, None
    total = workers * threads
    return (
        1,
        total,
        f"REDIS_URL is not set: serving with 1 worker and {total} threads so that sign-in "
        f"limits hold (set REDIS_URL to run {workers} workers).",
    )


def _serve(
    host: str,
    port: int,
    *,
    workers: int,
    threads: int,
    env: str = "production",
    access_log: bool = True,
) -> None:
    """Like wsgi.py, production mode unless TRACKER_ENV says otherwise (the demo says so)."""
    from tracker import create_app
    from tracker.config import environment_settings
    from tracker.server import serve

    settings = {"ENV_NAME_DEFAULT": env}
    try:
        # Once here, so that bad settings stop the command with one message instead of
        # a traceback from every gunicorn worker.
        create_app(settings)
    except ConfigError as exc:
        raise click.ClickException(f"{exc}") from exc
    workers, threads, note = worker_plan(workers, threads, environment_settings().get("REDIS_URL"))
    if note:
        click.echo(note, err=True)
    serve(
        lambda: create_app(settings),
        host=host,
        port=port,
        workers=workers,
        threads=threads,
        access_log=access_log,
    )


def log_cli_event(event: str, **fields: object) -> None:
    """The security log of changes made from the command line (the audit trail has them
    too, by 'system'): the actor is the operating-system account that ran the command."""
    import getpass

    from tracker.security import log_security_event

    try:
        operator = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (some containers)
        operator = "unknown"
    log_security_event(event, actor=f"cli:{operator}", **fields)


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(path: Path) -> None:
    """Back up the database to PATH (with a manifest for checking the restore)."""
    from tracker.backup import BackupError, backup

    try:
        checks = backup(db.engine, path)
    except (BackupError, OSError) as exc:  # OSError: a folder we may not write in
        raise click.ClickException(str(exc)) from exc
    rows = sum(c.rows for c in checks.values())
    click.echo(f"Backed up {len(checks)} tables ({rows:,} rows) to {path}")


@click.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore_command(path: Path, yes: bool) -> None:
    """Replace the database's contents with the backup at PATH, then verify every table.

    The backup is checked against its manifest first; the database as it was is saved to
    the instance folder's backups/ before anything is replaced.
    """
    from tracker.backup import BackupError, restore, safety_backup_path

    if not yes:
        click.confirm(f"This replaces everything in {_database_label()}. Continue?", abort=True)
    folder = Path(current_app.instance_path) / "backups"
    safety = safety_backup_path(folder, db.engine.dialect.name)
    try:
        checks = restore(db.engine, path, safety_path=safety)
    except (BackupError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc
    log_cli_event("database_restored", backup=path.name, safety=str(safety))
    for name, check in checks.items():
        click.echo(f"  {name:24} {check.rows:>10,} rows  verified")
    click.echo("Restore complete; every table matches the backup (recorded in the audit trail).")
    if safety.exists():
        click.echo(f"The database as it was before is kept in {safety}.")
    else:
        click.echo("The database had no tables of ours before, so there was nothing to keep.")


@click.command("worker")
@click.option("--burst", is_flag=True, help="Run the queued jobs, then exit.")
@with_appcontext
def worker_command(burst: bool) -> None:
    """Run background jobs from Redis (captures, cross-references, imports)."""
    from redis import Redis
    from rq import Queue, Worker

    from tracker.jobs import QUEUE_NAME

    url = current_app.config.get("REDIS_URL")
    if not url:
        raise click.ClickException(
            "REDIS_URL is not set. Without Redis there is no queue: jobs run inline in the "
            "web process, and no worker is needed."
        )
    from redis.exceptions import RedisError

    connection = Redis.from_url(url)
    try:
        connection.ping()
    except RedisError as exc:
        raise click.ClickException(f"Redis at REDIS_URL cannot be reached: {exc}") from None
    worker = Worker([Queue(QUEUE_NAME, connection=connection)], connection=connection)
    worker.work(with_scheduler=True, burst=burst)


def init_app(app: Flask) -> None:
    from tracker.cli_interop import COMMANDS as INTEROP_COMMANDS
    from tracker.cli_users import users_group
    from tracker.cli_xref import COMMANDS as XREF_COMMANDS

    for command in (
        *INTEROP_COMMANDS,
        *XREF_COMMANDS,
        init_command,
        demo_command,
        serve_command,
        users_group,
        backup_command,
        restore_command,
        worker_command,
    ):
        app.cli.add_command(_reports_database_errors(command))


def _create_app_or_exit() -> Flask:
    """The app for the `tracker` command; settings that cannot work end it with one line.

    Exiting here, not in main(), also covers `tracker --help`, where Flask would print the
    traceback of any other exception and carry on.
    """
    from tracker import create_app

    try:
        return create_app()
    except ConfigError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)


def tracker_group() -> FlaskGroup:
    return FlaskGroup(create_app=_create_app_or_exit, help="Disinfo Tracker commands.")


def main() -> None:
    """Entry point of the `tracker` console script."""
    tracker_group().main(prog_name="tracker")
