"""Where the time of one public search goes, in process, one request at a time.

    python bench/search_phases.py --claims 1000000            # the record bench_public.py made
    python bench/search_phases.py --database-url sqlite:////tmp/other.sqlite3

The load runner (bench_public.py) says how fast the server answers; this says why. It asks
`/search` through Flask's test client (no HTTP server, no concurrency, search cache off)
for the load runner's own mix of requests (`--kinds` picks some), and prints, per kind, the
p50 and p95 of a request and the mean milliseconds spent finding and ranking the candidates
(the full-text index and the filters), counting the facets, loading the rows shown with their
highlighted snippets, and rendering the page, then the time per claim page. With two cores,
a server answers at most about 2000 / (mean milliseconds per request) requests per second.
"""

from __future__ import annotations

import argparse
import functools
import gc
import os
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_public import request_mix
from generate import bench_database_url

PHASES = [  # module, function, label
    ("tracker.public.listing", "find_candidates", "find and rank"),
    ("tracker.public.listing", "facet_counts", "facets"),
    ("tracker.public.listing", "load_rows", "rows and snippets"),
    ("tracker.public.views", "render_template", "render"),
]


def timed(spent: Counter[str], label: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[label] += time.perf_counter() - started

    return wrapper


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--data-dir", default=tempfile.gettempdir())
    parser.add_argument("--database-url", help="instead of the one for --backend/--claims")
    parser.add_argument("--kinds", default="", help="comma-separated subset, e.g. 'worst case'")
    args = parser.parse_args()
    url = args.database_url or bench_database_url(args.backend, args.claims, args.data_dir)
    os.environ.update(
        DATABASE_URL=url,
        TRACKER_ENV="production",
        SECRET_KEY="bench-search-phases-" + "x" * 32,
        TRACKER_PUBLIC_CACHE_SECONDS="0",
    )
    import importlib

    from tracker import create_app
    from tracker.server import GC_THRESHOLDS

    spent: Counter[str] = Counter()
    for module_name, name, label in PHASES:
        module = importlib.import_module(module_name)
        setattr(module, name, timed(spent, label, getattr(module, name)))
    mix = request_mix(url, args.claims, random.Random(11))  # bench_public.py's seed
    claim_ids = mix.pop("claim page")
    wanted = [kind.strip() for kind in args.kinds.split(",") if kind.strip()] or list(mix)
    client = create_app().test_client()
    gc.freeze()  # as the server's workers do (tracker/server.py)
    gc.set_threshold(*GC_THRESHOLDS)
    print(f"== where a search's time goes ({url.split('://')[0]}, ms per request, in process)")
    for kind in wanted:
        requests = mix[kind]
        for params in requests[:2]:  # warm up
            client.get("/search", query_string=params)
        spent.clear()
        times = []
        for params in requests:
            started = time.perf_counter()
            status = client.get("/search", query_string=params).status_code
            times.append((time.perf_counter() - started) * 1000)
            if status != 200:
                raise SystemExit(f"/search?{params} answered {status}")
        p50, p95 = (statistics.quantiles(times, n=100)[q - 1] for q in (50, 95))
        parts = "  ".join(
            f"{label} {spent[label] * 1000 / len(requests):5.1f}" for _, _, label in PHASES
        )
        print(f"{kind:18} p50 {p50:6.1f} p95 {p95:6.1f} mean {statistics.fmean(times):6.1f}"
              f"   {parts}")  # fmt: skip
    started = time.perf_counter()
    for claim_id in claim_ids[:200]:
        client.get(f"/claims/{claim_id}")
    print(f"{'claim page':18} mean {(time.perf_counter() - started) * 1000 / 200:6.1f}")


if __name__ == "__main__":
    main()
