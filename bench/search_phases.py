"""Where the time of one public search goes, in process, one request at a time.

    python bench/search_phases.py --claims 1000000            # the record bench_public.py made
    python bench/search_phases.py --database-url sqlite:////tmp/other.sqlite3

The load runner (bench_public.py) says how fast the server answers; this says why. It asks
`/search` through Flask's test client (no HTTP server, no concurrency, search cache off)
for the same kinds of query as the load runner, and prints, per kind, the milliseconds per
request spent finding and ranking the candidates (the full-text index and the filters),
counting the facets, loading the rows shown with their highlighted snippets, and rendering
the page, then the time per claim page. With two cores, a server answers at most about
2000 / (milliseconds per request) requests per second.
"""

from __future__ import annotations

import argparse
import functools
import os
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_vocab import EN, RU, UK
from generate import bench_database_url
from rare_words import rare_words

KINDS = {  # as in bench_public.py; "search selective" is filled in from the record
    "search selective": [],
    "search common": EN[1:6] + RU[1:6] + UK[1:6],
    "worst case": [EN[0], RU[0], UK[0]] * 3,
}
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

    spent: Counter[str] = Counter()
    for module_name, name, label in PHASES:
        module = importlib.import_module(module_name)
        setattr(module, name, timed(spent, label, getattr(module, name)))
    KINDS["search selective"] = rare_words(url, args.claims, random.Random(5), wanted=40)
    client = create_app().test_client()
    print(f"== where a search's time goes ({url.split('://')[0]}, ms per request, in process)")
    for kind, words in KINDS.items():
        for word in words[:2]:  # warm up
            client.get("/search", query_string={"q": word})
        spent.clear()
        started = time.perf_counter()
        for word in words:
            status = client.get("/search", query_string={"q": word}).status_code
            if status != 200:
                raise SystemExit(f"/search?q={word} answered {status}")
        total = (time.perf_counter() - started) * 1000 / len(words)
        parts = "  ".join(
            f"{label} {spent[label] * 1000 / len(words):5.1f}" for _, _, label in PHASES
        )
        print(f"{kind:18} total {total:6.1f}   {parts}")
    started = time.perf_counter()
    for claim_id in range(2_000, 2_200):
        client.get(f"/claims/{claim_id}")
    print(f"{'claim page':18} total {(time.perf_counter() - started) * 1000 / 200:6.1f}")


if __name__ == "__main__":
    main()
