"""Whole public pages cached for visitors who are not signed in.

The home page, the cluster catalogue and cluster pages, the best-practice library, the solution directory and
the events are the same for everyone who is not signed in, and they carry most of the portal's traffic. Such a
visit is answered by Django's own cache middleware from the web process's memory (the "pages" cache), without
touching the database. Anyone with a session (signed in, a message waiting, a form under way) always gets a
freshly built page, and a page that hands out a form token is never stored.

Freshness: every row the portal's own apps save or delete renews a version stamp that is part of each page's
key. The stamp lives in the shared cache (Redis in production), so every web process sees it at once, and it
is renewed at once and again when the transaction commits, so a page built from the old rows in between is
never served. PUBLIC_PAGE_CACHE_SECONDS bounds the age of what changes with the clock alone (an event's
registration closing) or through bulk updates that send no signal. While Redis is unreachable there is no
stamp to read (settings.DJANGO_REDIS_IGNORE_EXCEPTIONS) and every page is built. Browsers and proxies see the
same headers as for any other page: the cache is invisible outside the server.
"""

from functools import wraps

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.middleware.cache import CacheMiddleware

from . import cache_versions

# The apps whose rows the public pages show; notifications (the outbox) and sessions change nothing visible.
CONTENT_APPS = frozenset({"accounts", "clusters", "applications", "events"})
# Signing in saves the person's last_login: no public page shows it.
INVISIBLE_UPDATES = frozenset({"last_login"})


def public_pages_version() -> str | None:
    return cache_versions.current(cache_versions.PUBLIC_PAGES)


def content_changed(sender, update_fields=None, action="post_", **kwargs) -> None:
    """post_save, post_delete and m2m_changed: pages cached before this change are not served again."""
    if sender._meta.app_label not in CONTENT_APPS or not action.startswith("post_"):
        return  # m2m_changed also sends pre_add, pre_remove and pre_clear before the change
    if update_fields and set(update_fields) <= INVISIBLE_UPDATES:
        return
    cache_versions.renew(cache_versions.PUBLIC_PAGES)
    cache_versions.renew_after_commit(cache_versions.PUBLIC_PAGES)


def _has_session(request) -> bool:
    return settings.SESSION_COOKIE_NAME in request.COOKIES or CookieStorage.cookie_name in request.COOKIES


def _may_store(request, response) -> bool:
    """Never store a page that gives out a form token or sets a cookie: the next visitor would share it."""
    return not request.META.get("CSRF_COOKIE_NEEDS_UPDATE") and not response.cookies


def cache_public_page(view):
    """Serve `view` from the cache to visitors without a session; see the module's docstring."""

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        seconds = settings.PUBLIC_PAGE_CACHE_SECONDS
        if not seconds or request.method not in ("GET", "HEAD") or _has_session(request):
            return view(request, *args, **kwargs)
        version = public_pages_version()
        if version is None:  # the shared cache is unreachable: nothing says whether a kept page is current
            return view(request, *args, **kwargs)
        pages = CacheMiddleware(view, page_timeout=seconds, key_prefix=f"public:{version}", cache_alias="pages")
        response = pages.process_request(request)
        if response is None:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response.render()  # a template response uses the form token, if at all, while it renders
            if _may_store(request, response):
                response = pages.process_response(request, response)
        # The cache middleware adds Expires, Cache-Control: max-age and Age for downstream caches; this cache
        # serves visitors without a session only, so no browser or proxy may reuse the page for anyone else.
        for header in ("Expires", "Cache-Control", "Age"):
            del response[header]
        return response

    return cached_view
