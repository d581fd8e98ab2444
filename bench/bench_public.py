"""Load-test the public site with the production server and wrk; print latency per kind.

    python bench/bench_public.py                       # SQLite, 100,000 claims
    python bench/bench_public.py --backend postgresql  # PostgreSQL (TEST_DATABASE_URL)
    python bench/bench_public.py --claims 20000 --duration 10 --reuse

For each backend: generate the data (bench/generate.py; --reuse keeps an existing copy),
start `tracker serve` (gunicorn, 2 workers x 4 threads, production settings) on a free
loopback port, then drive it with wrk (Debian package `wrk`), one fixed mix of requests per
kind, each for --duration seconds with --connections connections. A non-2xx answer, and a
search that finds nothing, count as errors. Prints requests/s and p50/p95/p99 per kind
against the targets: search p95 < 100 ms, claim page p95 < 50 ms, worst case p95 < 200 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_vocab import EN, RU, UK
from generate import generate, prepare_database
from sqlalchemy import func, select

from tracker.database import make_engine
from tracker.models import Claim, Narrative, Outlet

ROOT = Path(__file__).resolve().parent.parent
TARGETS_MS = {"claim page": 50, "worst case": 200}
SEARCH_TARGET_MS = 100
LUA = r"""
-- counters are globals so that done() can read them from each thread
threads = {}
local paths, index = {}, 0
errors, empty = 0, 0
function setup(thread) table.insert(threads, thread) end
function init(args)
  for line in io.lines(args[1]) do table.insert(paths, line) end
  index = math.random(#paths)
end
function request()
  index = index % #paths + 1
  return wrk.format("GET", paths[index])
end
function response(status, headers, body)
  if status < 200 or status > 299 then errors = errors + 1
  elseif string.find(body, "No claims found", 1, true) then empty = empty + 1 end
end
function done(summary, latency, requests)
  local e, m = 0, 0
  for _, t in ipairs(threads) do e = e + t:get("errors"); m = m + t:get("empty") end
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "p50": %d, "p95": %d, "p99": %d, "max": %d, ' ..
    '"errors": %d, "empty": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50),
    latency:percentile(95), latency:percentile(99), latency.max, e, m,
    summary.errors.connect + summary.errors.read + summary.errors.write +
    summary.errors.timeout))
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_ready(base: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server at {base} did not start")


def search_paths(q: list[str], extra: dict[str, str] | None = None) -> list[str]:
    return ["/search?" + urlencode({"q": term, **(extra or {})}) for term in q]


def request_mix(url: str, rng: random.Random) -> dict[str, list[str]]:
    """The fixed mix of requests per kind, drawn from the generated data."""
    engine = make_engine(url)
    with engine.connect() as connection:
        ids = list(
            connection.scalars(
                select(Claim.id).where(Claim.status == "published").order_by(func.random())
                .limit(2_000)
            )
        )  # fmt: skip
        outlets = list(connection.scalars(select(Outlet.id).limit(50)))
        narratives = list(connection.scalars(select(Narrative.slug).limit(10)))
    engine.dispose()
    rare = EN[120:] + RU[120:] + UK[120:]
    mid = EN[20:80] + RU[20:80] + UK[20:80]
    kinds = {
        "search selective": search_paths(rng.sample(rare, min(150, len(rare)))),
        "search common": search_paths(EN[1:6] + RU[1:6] + UK[1:6]),
        "search multi-word": search_paths(
            [f"{rng.choice(EN[:60])} {rng.choice(EN[20:120])}" for _ in range(100)]
            + [f"{rng.choice(RU[:60])} {rng.choice(RU[20:120])}" for _ in range(100)]
        ),
        "search Cyrillic": search_paths(rng.sample(RU[10:150] + UK[10:150], 150)),
        "search filtered": [
            "/search?" + urlencode(params)
            for params in (
                {"q": rng.choice(mid), "verdict": "false"},
                {"q": rng.choice(EN[:40]), "language": "en"},
                {"q": rng.choice(RU[:40]), "narrative": rng.choice(narratives)},
                {"q": rng.choice(mid), "from": "2019-01-01", "to": "2023-12-31"},
                {"q": rng.choice(EN[:10]), "outlet": str(rng.choice(outlets[:5]))},
            )
            for _ in range(30)
        ],
        "worst case": search_paths([EN[0], RU[0], UK[0]]),
        "claim page": [f"/claims/{i}" for i in ids],
    }
    return kinds


def run_wrk(base: str, paths: list[str], duration: int, connections: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        script, listing = Path(folder) / "mix.lua", Path(folder) / "paths.txt"
        script.write_text(LUA)
        listing.write_text("\n".join(paths) + "\n")
        result = subprocess.run(
            ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "10s",
             "-s", str(script), base, "--", str(listing)],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
    line = [ln for ln in result.stdout.splitlines() if ln.startswith("{")][-1]
    return json.loads(line)


def serve(url: str, port: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ, DATABASE_URL=url, TRACKER_ENV="production",
               SECRET_KEY=secrets.token_urlsafe(32))  # fmt: skip
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "tracker", "serve", "--port", str(port),
         "--workers", "2", "--threads", "4", "--no-access-log"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip


def bench_backend(backend: str, args: argparse.Namespace) -> list[tuple[str, dict]]:
    if backend == "sqlite":
        url = f"sqlite:///{args.data_dir}/bench-public-{args.claims}.sqlite3"
        exists = Path(url.split("///", 1)[1]).exists()
        schema = None
    else:
        url = os.environ.get("TEST_DATABASE_URL",
                             "postgresql+psycopg://postgres@127.0.0.1:5432/test")  # fmt: skip
        schema = f"bench_public_{args.claims}"
        exists = False
        if args.reuse:
            from tests.db_support import pg_url_with_schema

            probe = make_engine(pg_url_with_schema(url, schema))
            try:
                with probe.connect() as connection:
                    exists = bool(connection.scalar(select(func.count()).select_from(Claim)))
            except Exception:
                exists = False
            probe.dispose()
    if exists and args.reuse:
        if schema:
            from tests.db_support import pg_url_with_schema

            url = pg_url_with_schema(url, schema)
        print(f"[{backend}] reusing {args.claims:,} claims", flush=True)
    else:
        print(f"[{backend}] generating {args.claims:,} claims ...", flush=True)
        url = prepare_database(url, schema)
        engine = make_engine(url)
        generate(engine, args.claims)
        engine.dispose()
    mix = request_mix(url, random.Random(11))
    if args.kinds:
        wanted = {k.strip() for k in args.kinds.split(",")}
        mix = {kind: paths for kind, paths in mix.items() if kind in wanted}
    port = free_port()
    server = serve(url, port)
    base = f"http://127.0.0.1:{port}"
    results = []
    try:
        wait_ready(base)
        for paths in mix.values():  # warm up every worker's caches and connections
            for path in paths[:20]:
                urllib.request.urlopen(base + path, timeout=30).read()  # noqa: S310
        for kind, paths in mix.items():
            stats = run_wrk(base, paths, args.duration, args.connections)
            results.append((kind, stats))
            print(f"[{backend}] {report_line(kind, stats)}", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=20)
    return results


def target_for(kind: str) -> int:
    return TARGETS_MS.get(kind, SEARCH_TARGET_MS)


def report_line(kind: str, stats: dict) -> str:
    rps = stats["requests"] / stats["seconds"]
    p95 = stats["p95"] / 1000
    verdict = "ok" if p95 < target_for(kind) else "SLOW"
    errors = stats["errors"] + stats["empty"] + stats["socket_errors"]
    return (
        f"{kind:18} {rps:8.1f} req/s  p50 {stats['p50'] / 1000:7.1f} ms  p95 {p95:7.1f} ms  "
        f"p99 {stats['p99'] / 1000:7.1f} ms  errors {errors:4d} of {stats['requests']:6d}  "
        f"(p95 target {target_for(kind)} ms: {verdict})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=15, help="seconds per kind")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--data-dir", default=tempfile.gettempdir())
    parser.add_argument("--reuse", action="store_true", help="keep generated data if present")
    parser.add_argument("--kinds", default="", help="comma-separated subset, e.g. 'claim page'")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    summary = {backend: bench_backend(backend, args) for backend in backends}
    print(f"\nPublic site, {args.claims:,} published claims, gunicorn 2x4, wrk "
          f"{args.connections} connections, {args.duration}s per kind:")  # fmt: skip
    for backend, results in summary.items():
        for kind, stats in results:
            print(f"{backend:10} {report_line(kind, stats)}")


if __name__ == "__main__":
    main()
