"""What a web process does once, after Django is set up and before it serves a request (wego_portal/wsgi.py and
asgi.py)."""

import gc

from django.urls import get_resolver


def freeze_startup_objects() -> None:
    """Load every view (through the URL patterns), then hand everything loaded so far to the garbage collector's
    permanent generation, which its collections never walk again.

    Those objects (Django, every app's modules, models, forms and views: about 175,000) live as long as the process,
    yet a full collection walked them all: 55 to 80 ms during which the request in hand waited, about once every
    200 requests of a signed-in page (gen2 collections seen while building the benchmark's signed-in pages in one
    process; docs/performance.md). Frozen, a full collection walks what requests left behind: at most 19 ms.
    This is the freeze the documentation of `gc.freeze()` describes for servers; nothing that is frozen is
    garbage, so no memory is kept that a collection would have freed.
    """
    get_resolver().url_patterns  # noqa: B018 (imports the URL configuration, and with it every view)
    gc.collect()
    gc.freeze()
