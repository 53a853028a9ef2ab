"""Where a benchmarked page spends its time: `python -m bench.profile "Application page"` (`make profile PAGE=...`).

Reads the benchmark's database as `make bench` left it (BENCH_DATABASE_URL; run `make bench` once to create it),
with the settings the benchmark's gunicorn uses (bench.settings: DEBUG off, cached templates, the Redis cache), signs
in as the page's account with Django's test client, builds the page a few times to warm every cache, then builds it
`--requests` times under cProfile. It prints the time per request (one process, no concurrency: under the benchmark's
8 connections on 2 cores a page's p95 is about four times this), the queries of one request, and the functions that
took the most time. `--list` prints every page's time per request and queries, without the profile.

What it shows is the work of building the page in Python and the database; wrk's figures add the network, gunicorn
and waiting for a core, so compare pages here by their milliseconds, and the benchmark's runs by their ratios.
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
import types
from pathlib import Path

from bench.run import manage, portal_environment, resolve_pages, setup_django


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("page", nargs="?", help='a page of the benchmark, by its name ("Application page")')
    parser.add_argument("--list", action="store_true", help="every page's time per request and queries")
    parser.add_argument("--requests", type=int, default=30, help="requests profiled (after 3 to warm the caches)")
    parser.add_argument("--sort", default="cumulative", choices=["cumulative", "tottime"], help="profile order")
    parser.add_argument("--limit", type=int, default=40, help="functions shown")
    parser.add_argument("--filter", default="", help="only functions whose file or name contains this")
    parser.add_argument(
        "--queries", action="store_true", help="instead of the profile: each query of one request, its time and SQL"
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/wego_bench_data"),
    )
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12"))
    args = parser.parse_args()
    if not args.list and not args.page:
        parser.error('name a page ("Application page") or ask for --list')
    return args


def client_for(page: dict, clients: dict):
    """A test client signed in as the page's account (or a token's bearer, or a visitor), and its headers."""
    from django.test import Client

    from accounts.models import User
    from bench.run import bench_token

    email = page.get("as", "")
    if email not in clients:
        clients[email] = Client()
        if email:
            clients[email].force_login(User.objects.get(email=email))
    headers = {"Authorization": f"Bearer {bench_token(page['token_of'])}"} if "token_of" in page else {}
    return clients[email], headers


def build(page: dict, clients: dict, requests: int, profiler: cProfile.Profile | None = None) -> tuple[float, list]:
    """Milliseconds per request over `requests` builds of the page (caches warm), and one request's queries (each a
    dict of "sql" and "time", in seconds)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client, headers = client_for(page, clients)
    for _ in range(3):
        response = client.get(page["path"], headers=headers)
        if response.status_code != 200:
            sys.exit(f"{page['name']} ({page['path']}) answered {response.status_code}.")
    with CaptureQueriesContext(connection) as queries:
        client.get(page["path"], headers=headers)
    captured = list(queries)  # now: the next request empties the connection's log that `queries` reads
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    for _ in range(requests):
        client.get(page["path"], headers=headers)
    if profiler:
        profiler.disable()
    return (time.perf_counter() - started) * 1000 / requests, captured


def main() -> None:
    args = parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="wego-profile-"))
    settings = types.SimpleNamespace(secret_key="profile-" + "x" * 50, port=8131, redis_url=args.redis_url)
    env = portal_environment(settings, args.database_url, workdir)
    # The public page cache would serve visitors' pages from Redis: what is measured is building them.
    env["PUBLIC_PAGE_CACHE_SECONDS"] = "0"
    manage(env, "collectstatic", "--noinput", quiet=True)  # the manifest that {% static %} reads
    setup_django(env)
    pages = resolve_pages()
    clients: dict = {}
    if args.list:
        print(f"{'page':<32} {'ms/request':>10} {'queries':>8}")
        for page in pages:
            milliseconds, queries = build(page, clients, args.requests)
            print(f"{page['name']:<32} {milliseconds:>10.1f} {len(queries):>8}")
        return
    page = next((page for page in pages if page["name"].lower() == args.page.lower()), None)
    if page is None:
        sys.exit(f"No page named {args.page!r}; the pages: " + ", ".join(page["name"] for page in pages))
    if args.queries:
        milliseconds, queries = build(page, clients, args.requests)
        total = sum(float(query["time"]) for query in queries) * 1000
        print(f"{page['name']} ({page['path']}): {milliseconds:.1f} ms a request, {len(queries)} queries")
        print(f"taking {total:.1f} ms in the database (one request, as the client waited for each):")
        for query in queries:
            print(f"\n{float(query['time']) * 1000:7.2f} ms  {query['sql']}")
        return
    profiler = cProfile.Profile()
    milliseconds, queries = build(page, clients, args.requests, profiler)
    print(f"{page['name']} ({page['path']}): {milliseconds:.1f} ms a request (profiled), {len(queries)} queries.")
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats(args.sort)
    if args.filter:
        stats.print_stats(args.filter, args.limit)
    else:
        stats.print_stats(args.limit)
    print(out.getvalue().replace(str(Path(sys.prefix)), "<venv>").replace(str(Path.cwd()) + "/", ""))


if __name__ == "__main__":
    main()
