"""The production WSGI server (gunicorn), started from the `tracker` command."""

from __future__ import annotations

import gc
import logging
import os
import sys
from collections.abc import Callable, Mapping
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication

from tracker.extensions import db

# Python collects its youngest objects after 700 more container allocations than frees by
# default: nine collections in one search of 2,000 ranked hits, and every tenth of those
# walks the older generations too, up to 120 ms inside some request (measured with
# gc.callbacks on the filtered searches of bench_public.py). Requests free almost everything
# they make by reference counting, so collecting less often costs little memory.
GC_THRESHOLDS = (50_000, 20, 100)


def leave_worker(_arbiter: Any, worker: Any) -> None:
    """gunicorn's worker_exit hook: close the database connections, flush the logs, and
    leave the worker process without the exit handlers of the interpreter and of C++
    libraries. A worker forked from a process that had loaded the embedding model (`tracker
    demo` computes cross-references before it serves) inherits OpenVINO's thread pool
    without its threads, and its static destructors crashed the worker on the way out
    (SIGSEGV or SIGABRT in the log at each stop). Every request is finished by now."""
    app = getattr(worker, "wsgi", None)
    if isinstance(app, Flask):
        with app.app_context():
            db.dispose()
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    os._exit(0)


class TrackerServer(BaseApplication):
    """gunicorn with the app built inside each worker (never shared across a fork)."""

    def __init__(self, factory: Callable[[], Flask], options: Mapping[str, Any]) -> None:
        self.factory = factory
        self.options = dict(options)
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings and value is not None:
                self.cfg.set(key, value)

    def load(self) -> Flask:
        app = self.factory()
        # What start-up built (modules, the analyser's tables, templates) lives as long as the
        # worker. Frozen, it is left out of every garbage collection; otherwise each full
        # collection walks all of it in the middle of some request.
        gc.freeze()
        gc.set_threshold(*GC_THRESHOLDS)
        return app


def serve(
    factory: Callable[[], Flask],
    *,
    host: str = "127.0.0.1",
    port: int = 5000,
    workers: int = 2,
    threads: int = 4,
    access_log: bool = True,
) -> None:
    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread" if threads > 1 else "sync",
        "accesslog": "-" if access_log else None,
        "timeout": 60,
        "graceful_timeout": 10,
        "max_requests": 10000,
        "worker_exit": leave_worker,
        "max_requests_jitter": 1000,
        # A search may carry a 10,000-character query in its URL (60,000 bytes of Cyrillic
        # once percent-encoded), so the request line cannot be held to gunicorn's default of
        # 4,094 bytes, nor to 8,190, the most it accepts short of no limit (0). Reading a
        # request is still bounded by `timeout`, and a proxy in front should cap it too.
        "limit_request_line": 0,
        # The Referer of a click on a search result repeats that URL.
        "limit_request_field_size": 65536,
    }
    TrackerServer(factory, options).run()
