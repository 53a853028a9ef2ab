"""Production settings for the benchmark (scripts/bench.py), which serves plain HTTP on 127.0.0.1.

Everything is production's: DEBUG off, the cached template loader, the Redis cache, manifest static files.
scripts/bench.py turns off through the environment only what plain-http localhost needs (the HTTPS
redirect, secure-only cookies, HSTS); this module adds the benchmark's floor view to the URLs.
"""

from .settings import *  # noqa: F403

ROOT_URLCONF = "wego_portal.bench_urls"
