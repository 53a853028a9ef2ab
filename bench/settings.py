"""Production settings for the benchmark (bench/run.py), which serves plain HTTP on 127.0.0.1.

Everything is production's: DEBUG off, the cached template loader, the Redis cache, manifest static files.
bench/run.py turns off through the environment only what plain-http localhost needs (the HTTPS
redirect, secure-only cookies, HSTS); this module adds the benchmark's floor view to the URLs and installs
the `bench` app, whose `manage.py bench_dataset` loads the dataset (the portal never installs or imports it).
"""

from wego_portal.settings import *  # noqa: F403
from wego_portal.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]

ROOT_URLCONF = "bench.urls"
