"""Where the archived bodies of captured pages live.

A snapshot's metadata and extracted text are always rows in the database; the raw body (gzip)
is either kept in the same row (``database``, the default: one file to back up) or written
to a folder or an S3-compatible bucket, which keeps the database small when many pages are
archived and lets several machines share the archive. The setting is one string:

    database                      the body stays in the snapshot row
    file:///var/lib/tracker/raw   a folder on this machine (or a shared mount)
    s3://bucket/some/prefix       an S3-compatible bucket (AWS, MinIO, Ceph, ...)

Bodies are stored under their sha256, so the same page fetched twice is stored once. A
snapshot records where its body went as a location string with its own scheme, so a body can
still be read after the setting changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit


class StoreError(RuntimeError):
    """The body store is misconfigured or cannot be reached; the message says which."""


class BodyStore(Protocol):
    def put(self, digest: str, compressed: bytes) -> str | None:
        """Keep a gzip body; return its location, or None when the row itself keeps it."""
        ...

    def get(self, location: str) -> bytes:
        """The gzip body stored at `location`."""
        ...


class DatabaseStore:
    """The body stays in the snapshot row (``raw_compressed``)."""

    def put(self, digest: str, compressed: bytes) -> str | None:
        return None

    def get(self, location: str) -> bytes:
        raise StoreError(f"The database store holds no body at {location!r}.")


@dataclass(frozen=True)
class DirectoryStore:
    """Bodies as files ``<root>/<ab>/<sha256>.gz``; two levels keep folders small."""

    root: Path

    def _path(self, digest: str) -> Path:
        return self.root / digest[:2] / f"{digest}.gz"

    def put(self, digest: str, compressed: bytes) -> str | None:
        path = self._path(digest)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            # Write then rename, so a reader never sees half a file.
            partial = path.with_suffix(".part")
            partial.write_bytes(compressed)
            partial.replace(path)
        return path.resolve().as_uri()

    def get(self, location: str) -> bytes:
        try:
            return Path(unquote(urlsplit(location).path)).read_bytes()
        except OSError as error:
            raise StoreError(f"The archived body at {location} cannot be read: {error}") from error


@dataclass(frozen=True)
class S3Store:
    """Bodies as objects ``<prefix>/<ab>/<sha256>.gz`` in an S3-compatible bucket."""

    bucket: str
    prefix: str = ""
    options: Mapping[str, Any] = field(default_factory=dict)

    def _client(self) -> Any:
        try:
            import boto3  # an optional extra: pip install 'disinfo-tracker[s3]'
            from botocore.config import Config
        except ImportError as error:
            raise StoreError(
                "Snapshots are set to go to S3, but boto3 is not installed: "
                "pip install 'disinfo-tracker[s3]'."
            ) from error
        settings = {key: value for key, value in self.options.items() if value}
        # A capture waits for this, so an unreachable bucket must fail fast (then the body
        # is kept in the database instead).
        limits = Config(connect_timeout=5, read_timeout=30, retries={"max_attempts": 2})
        return boto3.client("s3", config=limits, **settings)

    def _key(self, digest: str) -> str:
        name = f"{digest[:2]}/{digest}.gz"
        return f"{self.prefix.strip('/')}/{name}" if self.prefix.strip("/") else name

    def put(self, digest: str, compressed: bytes) -> str | None:
        key = self._key(digest)
        try:
            self._client().put_object(
                Bucket=self.bucket, Key=key, Body=compressed, ContentType="application/gzip"
            )
        except StoreError:
            raise
        except Exception as error:  # botocore raises many kinds; all mean "not stored"
            message = f"The body could not be written to s3://{self.bucket}: {error}"
            raise StoreError(message) from error
        return f"s3://{self.bucket}/{key}"

    def get(self, location: str) -> bytes:
        parts = urlsplit(location)
        try:
            answer = self._client().get_object(Bucket=parts.netloc, Key=parts.path.lstrip("/"))
            return bytes(answer["Body"].read())
        except StoreError:
            raise
        except Exception as error:
            raise StoreError(f"The archived body at {location} cannot be read: {error}") from error


def store_problem(spec: str | None) -> str | None:
    """Why SPEC names no store we have, or None (checked when the app starts)."""
    spec = (spec or "database").strip()
    parts = urlsplit(spec)
    if spec == "database" or (parts.scheme == "file" and parts.path):
        return None
    if parts.scheme == "s3" and parts.netloc:
        return None
    return (
        f"Unknown snapshot store {spec!r}: use 'database', 'file:///a/folder' or "
        "'s3://bucket/prefix'."
    )


def open_store(spec: str, s3_options: Mapping[str, Any] | None = None) -> BodyStore:
    """The store a setting (or a stored location) names; raises StoreError when it is wrong."""
    if problem := store_problem(spec):
        raise StoreError(problem)
    spec = (spec or "database").strip()
    parts = urlsplit(spec)
    if spec == "database":
        return DatabaseStore()
    if parts.scheme == "file" and parts.path:
        return DirectoryStore(Path(unquote(parts.path)))
    return S3Store(parts.netloc, parts.path, dict(s3_options or {}))  # s3://bucket/prefix


def read_body(location: str, s3_options: Mapping[str, Any] | None = None) -> bytes:
    """The gzip body at a stored location, whatever the store is set to now."""
    return open_store(location, s3_options).get(location)
