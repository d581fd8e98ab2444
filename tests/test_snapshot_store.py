"""Archived page bodies in the database, a folder, or an S3-compatible bucket (a setting).

The S3 tests talk to moto's S3 server, a real HTTP server started on loopback.
"""

from __future__ import annotations

import gzip
import hashlib
import socket
from pathlib import Path

import pytest

from tests.capture_support import standard_server
from tests.factories import make_user, put_in_session
from tracker.capture.store import (
    DatabaseStore,
    DirectoryStore,
    S3Store,
    StoreError,
    open_store,
    read_body,
)
from tracker.models import Role, Snapshot
from tracker.services.snapshots import raw_html

BUCKET = "tracker-snapshots"


def _gz(text: bytes) -> tuple[str, bytes]:
    return hashlib.sha256(text).hexdigest(), gzip.compress(text, mtime=0)


@pytest.fixture(scope="module")
def pages():
    server = standard_server()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def s3_endpoint():
    """moto's S3 server on a free loopback port, with one empty bucket."""
    boto3 = pytest.importorskip("boto3")
    from moto.server import ThreadedMotoServer

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    boto3.client("s3", **_s3_options(endpoint)).create_bucket(Bucket=BUCKET)
    yield endpoint
    server.stop()


def _s3_options(endpoint: str) -> dict[str, str]:
    return {
        "endpoint_url": endpoint,
        "region_name": "us-east-1",
        "aws_access_key_id": "test-key",
        "aws_secret_access_key": "test-secret",
    }


def test_the_setting_names_the_store():
    assert isinstance(open_store("database"), DatabaseStore)
    assert open_store("file:///var/lib/tracker/raw") == DirectoryStore(Path("/var/lib/tracker/raw"))
    s3 = open_store("s3://bucket/raw/pages")
    assert isinstance(s3, S3Store) and (s3.bucket, s3.prefix) == ("bucket", "/raw/pages")


@pytest.mark.parametrize("spec", ["ftp://host/x", "s3://", "file://", "/just/a/path", "memory"])
def test_an_unknown_store_is_refused_with_the_choices(spec):
    with pytest.raises(StoreError, match="use 'database'"):
        open_store(spec)


def test_a_folder_keeps_each_body_once_under_its_digest(tmp_path):
    store = DirectoryStore(tmp_path / "raw")
    digest, body = _gz(b"<html>page</html>")
    location = store.put(digest, body)
    assert location == store.put(digest, body)
    assert location.startswith("file://") and location.endswith(f"{digest}.gz")
    assert read_body(location) == body
    assert [p.name for p in (tmp_path / "raw").rglob("*") if p.is_file()] == [f"{digest}.gz"]


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="cannot be read"):
        read_body((tmp_path / "gone.gz").as_uri())


def test_a_bucket_keeps_the_body_under_the_prefix(s3_endpoint):
    import boto3

    store = open_store(f"s3://{BUCKET}/raw", _s3_options(s3_endpoint))
    digest, body = _gz(b"<html>bucket page</html>")
    location = store.put(digest, body)
    assert location == f"s3://{BUCKET}/raw/{digest[:2]}/{digest}.gz"
    assert read_body(location, _s3_options(s3_endpoint)) == body
    listed = boto3.client("s3", **_s3_options(s3_endpoint)).list_objects_v2(Bucket=BUCKET)
    assert f"raw/{digest[:2]}/{digest}.gz" in [item["Key"] for item in listed["Contents"]]


def test_an_unreachable_bucket_is_a_store_error():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    store = S3Store(BUCKET, "", _s3_options(closed))
    with pytest.raises(StoreError, match="could not be written"):
        store.put(*_gz(b"x"))


# --- the desk, with each setting ------------------------------------------------------------


def _capture(app, client, db, url):
    user = make_user(db, Role.ANALYST)
    db.commit()
    with client.session_transaction() as session:
        put_in_session(session, user)
    app.config["CAPTURE_ALLOW_PRIVATE"] = True
    answer = client.post("/desk/capture", data={"url": url}).get_json()
    assert answer["ok"], answer
    return db.get(Snapshot, answer["snapshot_id"])


def test_the_default_keeps_the_body_in_the_row(app, client, db, pages):
    snapshot = _capture(app, client, db, pages.url("/russian"))
    assert snapshot.raw_location is None and snapshot.raw_compressed is not None
    assert raw_html(snapshot).startswith(b"<!")


def test_a_folder_setting_writes_the_body_there(app, client, db, pages, tmp_path):
    app.config["SNAPSHOT_STORE"] = (tmp_path / "archive").as_uri()
    snapshot = _capture(app, client, db, pages.url("/russian"))
    assert snapshot.raw_compressed is None
    assert snapshot.raw_location.startswith((tmp_path / "archive").as_uri())
    assert snapshot.raw_size == len(raw_html(snapshot))
    assert hashlib.sha256(raw_html(snapshot)).hexdigest() == snapshot.sha256


def test_an_s3_setting_writes_the_body_to_the_bucket(app, client, db, pages, s3_endpoint):
    app.config.update(
        SNAPSHOT_STORE=f"s3://{BUCKET}/pages",
        S3_ENDPOINT_URL=s3_endpoint,
        S3_REGION="us-east-1",
        S3_ACCESS_KEY_ID="test-key",
        S3_SECRET_ACCESS_KEY="test-secret",
    )
    snapshot = _capture(app, client, db, pages.url("/article"))
    assert snapshot.raw_compressed is None
    assert (
        snapshot.raw_location == f"s3://{BUCKET}/pages/{snapshot.sha256[:2]}/{snapshot.sha256}.gz"
    )
    assert b"ClaimReview" in raw_html(snapshot, _s3_options(s3_endpoint))


def test_the_article_form_reads_claimreview_back_from_the_bucket(
    app, client, db, pages, s3_endpoint
):
    app.config.update(
        SNAPSHOT_STORE=f"s3://{BUCKET}/articles",
        S3_ENDPOINT_URL=s3_endpoint,
        S3_REGION="us-east-1",
        S3_ACCESS_KEY_ID="test-key",
        S3_SECRET_ACCESS_KEY="test-secret",
    )
    from tracker.desk.views.articles import _claimreview_of

    snapshot = _capture(app, client, db, pages.url("/article"))
    with app.test_request_context():
        reviews = _claimreview_of(str(snapshot.id))
    assert reviews and reviews[0]["@type"] == "ClaimReview"


def test_a_bucket_that_cannot_be_reached_loses_nothing(app, client, db, pages):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    app.config.update(
        SNAPSHOT_STORE=f"s3://{BUCKET}",
        S3_ENDPOINT_URL=closed,
        S3_REGION="us-east-1",
        S3_ACCESS_KEY_ID="test-key",
        S3_SECRET_ACCESS_KEY="test-secret",
    )
    snapshot = _capture(app, client, db, pages.url("/russian"))
    assert snapshot.raw_location is None
    assert raw_html(snapshot).startswith(b"<!")
