"""Settings: the only module that reads environment variables.

Everything the application reads from the environment is collected here into a plain dict
that `create_app` loads into `app.config`. An explicit mapping passed to `create_app` wins
over the environment, so tests and scripts never have to mutate `os.environ`.
"""

from __future__ import annotations

import math
import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ENVIRONMENTS = ("development", "testing", "production")


class ConfigError(RuntimeError):
    """The settings cannot work; the message says how to fix them."""


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def _seconds(variable: str, value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not seconds >= 0:  # also refuses NaN
        raise ConfigError(f"{variable} must be a number of seconds (0 or more), not {value!r}.")
    return seconds


def _base_url(value: str) -> str:
    """The public address of the site, checked: scheme and host, optionally a path."""
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ConfigError(
            "TRACKER_PUBLIC_BASE_URL must be the site's public address, such as "
            f"https://tracker.example.org, not {value!r}."
        )
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


def default_instance_path() -> Path:
    """The folder for the local database and generated secret: `instance/` in the checkout."""
    configured = os.environ.get("TRACKER_INSTANCE_PATH")
    if configured:
        return Path(configured).resolve()
    return Path(__file__).resolve().parent.parent / "instance"


# Session lifetimes from the environment; numbers, fractions allowed ("0.5" hours).
SESSION_LIMITS = {
    "TRACKER_SESSION_IDLE_MINUTES": "SESSION_IDLE_MINUTES",
    "TRACKER_SESSION_ABSOLUTE_HOURS": "SESSION_ABSOLUTE_HOURS",
}


def environment_settings() -> dict[str, Any]:
    """The settings that come from environment variables, only those that are set."""
    env = os.environ
    found: dict[str, Any] = {}
    simple = {
        "TRACKER_ENV": "ENV_NAME",
        "DATABASE_URL": "DATABASE_URL",
        "DATABASE_REPLICA_URL": "DATABASE_REPLICA_URL",
        "SECRET_KEY": "SECRET_KEY",
        "REDIS_URL": "REDIS_URL",
        "TRACKER_SNAPSHOT_STORE": "SNAPSHOT_STORE",
        "TRACKER_S3_ENDPOINT_URL": "S3_ENDPOINT_URL",
        "TRACKER_S3_REGION": "S3_REGION",
        "TRACKER_S3_ACCESS_KEY_ID": "S3_ACCESS_KEY_ID",
        "TRACKER_S3_SECRET_ACCESS_KEY": "S3_SECRET_ACCESS_KEY",
        "TRACKER_EMBEDDING_BACKEND": "EMBEDDING_BACKEND",
    }
    for variable, key in simple.items():
        if env.get(variable):
            found[key] = env[variable]
    if env.get("TRACKER_PUBLIC_BASE_URL"):
        found["PUBLIC_BASE_URL"] = env["TRACKER_PUBLIC_BASE_URL"]
    # bench/README.md documents the short name; the TRACKER_ one wins when both are set.
    for variable in ("PUBLIC_CACHE_SECONDS", "TRACKER_PUBLIC_CACHE_SECONDS"):
        if env.get(variable) is not None:
            found["PUBLIC_CACHE_SECONDS"] = _seconds(variable, env[variable])
    if env.get("TRACKER_PROXY_HOPS", "").strip():
        hops = env["TRACKER_PROXY_HOPS"].strip()
        if not hops.isdigit():
            raise ConfigError(f"TRACKER_PROXY_HOPS must be a whole number such as 1, not {hops!r}.")
        found["PROXY_HOPS"] = int(hops)
    for variable, key in SESSION_LIMITS.items():
        if env.get(variable, "").strip():
            found[key] = env[variable].strip()
    if "TRACKER_CAPTURE_ALLOW_PRIVATE" in env:
        found["CAPTURE_ALLOW_PRIVATE"] = _flag(env["TRACKER_CAPTURE_ALLOW_PRIVATE"])
    if env.get("TRACKER_FOUR_EYES", "").strip():
        found["FOUR_EYES"] = _strict_flag("TRACKER_FOUR_EYES", env["TRACKER_FOUR_EYES"])
    if env.get("TRACKER_CAPTURE_INLINE_BUDGET_SECONDS"):
        try:
            found["CAPTURE_INLINE_BUDGET_SECONDS"] = float(
                env["TRACKER_CAPTURE_INLINE_BUDGET_SECONDS"]
            )
        except ValueError as exc:
            raise ConfigError(
                "TRACKER_CAPTURE_INLINE_BUDGET_SECONDS must be a number of seconds, such as 4."
            ) from exc
    found.update(xref_settings(env))
    return found


# Cross-referencing settings an operator may set as TRACKER_XREF_<NAME> (read as XREF_<NAME>):
# the type of each, and for numbers the smallest value that makes sense. The defaults are the
# measured ones in tracker/xref/matching.py, semantic.py and _figure_model.py.
XREF_SETTINGS: dict[str, tuple[type, float | None]] = {
    "LEXICAL_WEIGHT": (float, 0.0),
    "SEMANTIC_WEIGHT": (float, 0.0),
    "CANDIDATES": (int, 1),
    "MIN_SCORE": (float, None),
    "SUGGEST_MIN_SCORE": (float, None),
    "FIGURE_MIN_SIMILARITY": (float, None),
    "MAX_CHARS": (int, 1),
    "LONG_QUERY_CHARS": (int, 1),
    "LONG_STRATEGY": (str, None),
    "MAX_SENTENCES": (int, 1),
    "SEMANTIC_MAX_CHARS": (int, 1),
    "CENTER_SHORT": (bool, None),
    "CENTER_LONG": (bool, None),
    "CROSS_LANGUAGE_NAMES": (bool, None),
    "RARE_NAME_SHARE": (float, 0.0),
    "TOLERANCE_EXACT": (float, 0.0),
    "TOLERANCE_ABOUT": (float, 0.0),
    "TOLERANCE_MORE_THAN_FACTOR": (float, 1.0),
    "TOLERANCE_LESS_THAN_FACTOR": (float, 1.0),
    "REFRESH_SECONDS": (float, 0.0),
}
XREF_LONG_STRATEGIES = ("whole", "max", "top2", "max_whole", "window2")
_FLAG_WORDS = {"1", "true", "yes", "on", "0", "false", "no", "off"}


def xref_settings(env: Mapping[str, str]) -> dict[str, Any]:
    """TRACKER_XREF_* variables as typed XREF_* settings; a bad name or value is an error."""
    found: dict[str, Any] = {}
    for variable, raw in env.items():
        if not variable.startswith("TRACKER_XREF_") or not raw.strip():
            continue
        name = variable.removeprefix("TRACKER_XREF_")
        if name not in XREF_SETTINGS:
            known = ", ".join(f"TRACKER_XREF_{n}" for n in XREF_SETTINGS)
            raise ConfigError(f"{variable} is not a setting; the known ones are: {known}.")
        kind, minimum = XREF_SETTINGS[name]
        value: Any = raw.strip()
        if kind is bool:
            if value.lower() not in _FLAG_WORDS:
                raise ConfigError(f"{variable} must be on or off (1/0, true/false), not {raw!r}.")
            value = _flag(value)
        elif kind is str:
            if name == "LONG_STRATEGY" and value not in XREF_LONG_STRATEGIES:
                allowed = ", ".join(XREF_LONG_STRATEGIES)
                raise ConfigError(f"{variable} must be one of {allowed}, not {raw!r}.")
        else:
            try:
                value = kind(value)
            except ValueError:
                raise ConfigError(f"{variable} must be a number, not {raw!r}.") from None
            if minimum is not None and value < minimum:
                raise ConfigError(f"{variable} must be at least {minimum:g}, not {raw!r}.")
        found[f"XREF_{name}"] = value
    return found


MIN_SECRET_KEY_CHARS = 32
_REDIS_SCHEMES = ("redis", "rediss", "unix")


def _check_names(settings: dict[str, Any]) -> None:
    """Settings that name something we must have: a typo is refused when the app starts,
    not found out on the first capture (an unknown store failed each one three times) or
    never (an unknown embedding backend quietly left matching lexical)."""
    from tracker.capture.store import store_problem

    redis_url = settings.get("REDIS_URL")
    if redis_url and urlsplit(redis_url).scheme not in _REDIS_SCHEMES:
        raise ConfigError(
            f"REDIS_URL must start with redis://, rediss:// or unix://, not {redis_url!r} "
            "(for example redis://127.0.0.1:6379/0)."
        )
    if problem := store_problem(settings.get("SNAPSHOT_STORE")):
        raise ConfigError(f"TRACKER_SNAPSHOT_STORE: {problem}")
    backend = settings.get("EMBEDDING_BACKEND")
    if backend:
        from tracker.xref.embeddings import get_encoder

        try:
            get_encoder(backend)  # only looks the name up; the model loads when first used
        except ValueError as exc:
            raise ConfigError(f"TRACKER_EMBEDDING_BACKEND: {exc}.") from None


def _limits_storage(redis_url: str | None) -> str:
    """The rate limits' storage: the limits package names a Redis socket redis+unix://."""
    if not redis_url:
        return "memory://"
    if redis_url.startswith("unix://"):
        return "redis+unix://" + redis_url.removeprefix("unix://")
    return redis_url


def _strict_flag(variable: str, value: str) -> bool:
    """On or off, and nothing else: a typo must not switch a safeguard off unnoticed."""
    word = value.strip().lower()
    if word in {"1", "true", "yes", "on"}:
        return True
    if word in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{variable} must be on or off (1/0, true/false, yes/no), not {value!r}.")


def defaults(instance_path: Path) -> dict[str, Any]:
    """Settings used when neither the caller nor the environment gives one."""
    return {
        "ENV_NAME": "development",
        "DATABASE_URL": f"sqlite:///{instance_path / 'tracker.sqlite3'}",
        "DATABASE_REPLICA_URL": None,
        "REDIS_URL": None,
        "SECRET_KEY": None,
        "CAPTURE_ALLOW_PRIVATE": False,
        "CAPTURE_MAX_BYTES": 5 * 1024 * 1024,
        "CAPTURE_TIMEOUT_SECONDS": 15.0,
        "CAPTURE_MAX_REDIRECTS": 10,
        # Without Redis, captures run inside the save: all of a save's links share this
        # many seconds; the rest stay "not archived yet" for "Archive now".
        "CAPTURE_INLINE_BUDGET_SECONDS": 4.0,
        # Where archived page bodies go: database, file:///folder or s3://bucket/prefix
        # (tracker/capture/store.py). S3_* settings left empty fall back to boto3's own
        # credential chain (instance roles, ~/.aws).
        "SNAPSHOT_STORE": "database",
        "S3_ENDPOINT_URL": None,
        "S3_REGION": None,
        "S3_ACCESS_KEY_ID": None,
        "S3_SECRET_ACCESS_KEY": None,
        "EMBEDDING_BACKEND": "default",
        # Cross-referencing thresholds and weights: XREF_* settings (TRACKER_XREF_* in the
        # environment, see xref_settings) override the measured defaults of tracker/xref/.
        # An editor may not publish a claim they wrote while another editor is active
        # (TRACKER_FOUR_EYES=off lets a small team publish its own claims).
        "FOUR_EYES": True,
        "SESSION_IDLE_MINUTES": 60,
        "SESSION_ABSOLUTE_HOURS": 12,
        # Per client address, every attempt; per account, failed attempts only.
        "LOGIN_RATE_LIMIT": "20 per minute",
        "LOGIN_ACCOUNT_RATE_LIMIT": "5 per 15 minutes",
        "CHECK_RATE_LIMIT": "30 per minute",
        "WTF_CSRF_TIME_LIMIT": None,
        "PAGE_SIZE": 20,
        # The public address used in every absolute URL the public site, feeds and API give
        # out (canonical links, ClaimReview, Atom ids, API links). Unset, they follow the
        # request's Host header: fine in development, but in production anyone can make a
        # page name another host, so set it there (TRACKER_PUBLIC_BASE_URL).
        "PUBLIC_BASE_URL": None,
        # How long each worker keeps search candidates and public aggregates (seconds).
        "PUBLIC_CACHE_SECONDS": 60,
        # How many reverse proxies (load balancer, TLS terminator) sit in front of the app:
        # their X-Forwarded-For/-Proto headers are trusted for that many hops, no more.
        "PROXY_HOPS": 0,
    }


def _secret_key_file(instance_path: Path) -> str:
    """Read the local secret key, generating it on first use (development only)."""
    path = instance_path / "secret_key"
    try:
        if not path.exists():
            # Its owner's only: the SQLite database, the reports and backups go in it too.
            instance_path.mkdir(mode=0o700, parents=True, exist_ok=True)
            # Created readable by its owner only, before the key is written into it.
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
                stream.write(secrets.token_urlsafe(48))
        return path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ConfigError(
            f"The secret key cannot be kept in {path} ({exc.strerror}). Make the instance "
            "folder writable, point TRACKER_INSTANCE_PATH at one that is, or set SECRET_KEY."
        ) from None


def _positive_number(settings: dict[str, Any], key: str, variable: str) -> float:
    value = settings[key]
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = float("nan")
    if not math.isfinite(number) or number <= 0:
        raise ConfigError(f"{variable} must be a number above 0, not {value!r}.")
    return number


def _session_limits(settings: dict[str, Any]) -> None:
    """Idle and absolute session limits as numbers; the remember-me cookie lasts no longer.
    (An idle limit longer than the absolute one is allowed: the absolute limit comes first.)"""
    variables = {key: variable for variable, key in SESSION_LIMITS.items()}
    idle = _positive_number(settings, "SESSION_IDLE_MINUTES", variables["SESSION_IDLE_MINUTES"])
    absolute = _positive_number(
        settings, "SESSION_ABSOLUTE_HOURS", variables["SESSION_ABSOLUTE_HOURS"]
    )
    settings["SESSION_IDLE_MINUTES"] = idle
    settings["SESSION_ABSOLUTE_HOURS"] = absolute
    settings["REMEMBER_COOKIE_DURATION"] = timedelta(hours=absolute)


def load_settings(overrides: Mapping[str, Any] | None, instance_path: Path) -> dict[str, Any]:
    """Merge defaults, environment and explicit overrides, then check they can work."""
    overrides = dict(overrides or {})
    settings = defaults(instance_path)
    # wsgi.py asks for production unless TRACKER_ENV says otherwise.
    settings["ENV_NAME"] = overrides.pop("ENV_NAME_DEFAULT", settings["ENV_NAME"])
    settings.update(environment_settings())
    settings.update(overrides)

    env_name = settings["ENV_NAME"]
    if env_name not in ENVIRONMENTS:
        allowed = ", ".join(ENVIRONMENTS)
        raise ConfigError(f"TRACKER_ENV must be one of {allowed}, not {env_name!r}.")
    if settings["CAPTURE_ALLOW_PRIVATE"] and env_name not in ("testing", "development"):
        # It opens every private range to captures, cloud metadata services included.
        raise ConfigError(
            "TRACKER_CAPTURE_ALLOW_PRIVATE lets pasted links reach private and loopback "
            f"addresses; it is for tests and development only, not for {env_name}. "
            "Unset it (or set it to 0)."
        )
    if env_name == "production" and _flag(os.environ.get("FLASK_DEBUG")):
        # `tracker run --debug` served the Werkzeug debugger, which runs any code it is sent.
        raise ConfigError(
            "Debug mode (--debug or FLASK_DEBUG) is refused in production: its debugger runs "
            "any code a visitor sends. Debug with TRACKER_ENV=development."
        )
    if not settings.get("SECRET_KEY"):
        if env_name == "production":
            raise ConfigError(
                "SECRET_KEY is not set. In production the secret key must come from the "
                "environment, for example:\n"
                "  export SECRET_KEY=$(python3 -c "
                "'import secrets; print(secrets.token_urlsafe(48))')"
            )
        settings["SECRET_KEY"] = _secret_key_file(instance_path)

    elif env_name == "production" and len(settings["SECRET_KEY"].strip()) < MIN_SECRET_KEY_CHARS:
        raise ConfigError(
            f"SECRET_KEY is {len(settings['SECRET_KEY'].strip())} characters long (spaces at its "
            f"ends not counted); in production it "
            f"must be a random text of at least {MIN_SECRET_KEY_CHARS}, for example:\n"
            "  export SECRET_KEY=$(python3 -c "
            "'import secrets; print(secrets.token_urlsafe(48))')"
        )

    if settings.get("PUBLIC_BASE_URL"):
        settings["PUBLIC_BASE_URL"] = _base_url(settings["PUBLIC_BASE_URL"])
    _check_names(settings)
    settings["TESTING"] = env_name == "testing"
    settings.setdefault("RATELIMIT_STORAGE_URI", _limits_storage(settings["REDIS_URL"]))
    # If Redis goes away the limits fall back to this process's memory instead of failing.
    settings.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    settings.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    _session_limits(settings)
    settings["SQLALCHEMY_ECHO"] = _flag(os.environ.get("TRACKER_SQL_ECHO"))
    settings["SESSION_COOKIE_HTTPONLY"] = True
    settings["SESSION_COOKIE_SAMESITE"] = "Lax"
    settings["SESSION_COOKIE_SECURE"] = env_name == "production"
    settings["REMEMBER_COOKIE_HTTPONLY"] = True
    settings["REMEMBER_COOKIE_SAMESITE"] = "Lax"
    settings["REMEMBER_COOKIE_SECURE"] = env_name == "production"
    return settings
