"""Version stamps kept in the cache: cached reads are keyed on a stamp, and every change they show renews it.

Saved and deleted rows renew the stamps of RENEWED_BY through model signals (wego_portal/apps.py). A stamp is
renewed after the change commits, so no one caches what the old rows said in between, and a
cache outage must not fail the change. Bulk updates (QuerySet.update) renew nothing: the cached reads expire
on their own to bound how long such a change takes to show.
"""

import uuid
from collections.abc import Callable, Sequence
from functools import partial
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")

# Every saved or deleted solution: cached matchmaking (applications/matching.py).
SOLUTIONS = "applications:solutions-version"
# Every saved or deleted project application and introduction: the leader page's newest submissions.
APPLICATIONS = "applications:applications-version"
# Every saved or deleted cluster membership and leader's e-mail choice: the leader page's clusters, their requests
# and their newest members.
MEMBERSHIPS = "clusters:memberships-version"
# Every saved or deleted row of the portal's own apps: the public pages cached for visitors (page_cache.py).
PUBLIC_PAGES = "public-pages:version"

EVERY_STAMP = (SOLUTIONS, APPLICATIONS, MEMBERSHIPS, PUBLIC_PAGES)

# The stamps a saved or deleted row of each model renews (PUBLIC_PAGES: page_cache.content_changed).
RENEWED_BY = {
    "applications.SolutionRegistration": (SOLUTIONS,),
    "applications.ProjectApplication": (APPLICATIONS,),
    # The leader page shows who was introduced already.
    "applications.Introduction": (APPLICATIONS,),
    "clusters.ClusterMembership": (MEMBERSHIPS,),
    "notifications.ClusterEmailPreference": (MEMBERSHIPS,),
}


def current(key: str) -> str | None:
    """The stamp, made on first use; None while the cache is unreachable (its errors are ignored)."""
    version = cache.get(key)
    if version is None:
        cache.add(key, uuid.uuid4().hex, timeout=None)
        version = cache.get(key)
    return version


def kept(key: str, stamps: Sequence[str], read: Callable[[], T], seconds: int) -> T:
    """What `read()` returns, kept in the cache under `key` until one of `stamps` is renewed or `seconds` pass.

    Read afresh, and not kept, while the cache is unreachable. `read` must not return None.
    """
    versions = [current(stamp) for stamp in stamps]
    if None in versions:
        return read()
    full_key = ":".join([key, *versions])
    value = cache.get(full_key)
    if value is None:
        value = read()
        cache.set(full_key, value, seconds)
    return value


def renew(key: str) -> None:
    cache.set(key, uuid.uuid4().hex, timeout=None)


def renew_after_commit(key: str) -> None:
    transaction.on_commit(partial(renew, key), robust=True)


def row_changed(sender, **kwargs) -> None:
    """post_save and post_delete: renew the stamps of what the row's model shows."""
    for key in RENEWED_BY.get(sender._meta.label, ()):
        renew_after_commit(key)
