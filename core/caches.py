"""Every cache the portal keeps, what it holds, what retires it and how long it lives: the inventory.

There are two kinds. Whole public pages for visitors without a session (`cache_public_page`), one group of pages
per entry of PAGES; and a few shared reads (SHARED). Each entry names the rows it shows (`Shows`): a saved or
deleted row of one of them renews the entry's stamp, which is part of every key of the entry, so nothing built
from the old rows is served again. A row retires an entry only when it changes what the entry shows: `when` says
whether the entry shows a row at all (a draft application is in no public page, a pending request to join adds
no member), judged on the values the row had when it was read and on those it is saved with, and `fields`, the
columns the entry shows of the row, lets an update that changes none of them pass. Nothing here imports a domain
app: rows are named by their model's label.

What is NOT cached, on purpose: anything per person (navigation, My applications, the application page, the
leader page: they are fast by reading little; the application page keeps only two public parts, its matches and
its guidance, and a signed-in person's cluster page its public column, each the same for every reader), any
permission decision, and any private data (names, e-mail addresses, motivations, drafts). Outside this
inventory only process-wide constants are memoised (accounts.models.time_zone_names and
events.calendar._vtimezone: read off the machine's tz database; the signed-in person's query object, not its
rows: wego_portal.authentication._people), Django keeps sessions in the cache (SESSION_ENGINE cached_db,
keyed by the person's secret session key), allauth its rate-limit counters, and the public API its count of
each client's requests in the current window (api/base.py `count_request`: a number per client address or
token, which decides nothing but the rate).

A stamp is renewed at once and again when the transaction commits: a page built in between from the old rows is
never served. Bulk updates (QuerySet.update) send no signal: the lifetimes bound how long they take to show,
and services that update in bulk call `retire_all()`. While the shared cache is unreachable nothing is read
from it (the pages are built) and a renewal that fails is logged as an error.
"""

import hashlib
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial, wraps

from django.apps import apps
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save
from django.middleware.cache import CacheMiddleware

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Where:
    """A row is shown while `test(its value of column)` holds."""

    column: str
    test: Callable[[object], bool]


@dataclass(frozen=True)
class Shows:
    """Rows of `model` (its label; a many-to-many link is its through model, "clusters.Cluster_leaders") that an
    entry shows.

    `fields`: the columns shown (attribute names: "cluster_id"); an update that changes none of them retires
    nothing. Empty: every update retires. `when`: whether the entry shows the row at all; a row shown neither
    before nor after its change retires nothing. `new_rows`: whether a row just created can be shown (a person
    signing up leads no cluster yet).
    """

    model: str
    fields: tuple[str, ...] = ()
    when: Where | None = None
    new_rows: bool = True


@dataclass(frozen=True)
class Cache:
    name: str
    key: str
    holds: str
    shows: tuple[Shows, ...]
    seconds: int | str  # a number, or the name of the setting that holds it
    # Rows read to decide what a visitor may see, of which nothing is shown (a solution's author: a visitor is
    # never its author): their changes alter no cached copy.
    reads_unshown: tuple[str, ...] = ()

    def lifetime(self) -> int:
        return getattr(settings, self.seconds) if isinstance(self.seconds, str) else self.seconds

    @property
    def stamp_key(self) -> str:
        return f"stamp:{self.name}"


def _with_parent(model: str, **shown) -> Callable[[object], bool]:
    """For rows shown only with their parent row (a published case's KPIs): one query, on their saves only."""

    def test(parent_id) -> bool:
        return apps.get_model(model).objects.filter(pk=parent_id, **shown).exists()

    return test


_published = Where("published_at", lambda value: value is not None)
_accepted = Where("status", "accepted".__eq__)
_active = Where("status", "active".__eq__)
_of_published_case = Where(
    "application_id", _with_parent("applications.ProjectApplication", published_at__isnull=False)
)
_of_published_case_kpi = Where("kpi_id", _with_parent("applications.Kpi", application__published_at__isnull=False))
_of_approved_solution = Where("solution_id", _with_parent("applications.SolutionRegistration", status="accepted"))
_a_leader = Where(
    "id", lambda user_id: apps.get_model("clusters.Cluster_leaders").objects.filter(user_id=user_id).exists()
)


def _names_alone(model: str, column: str) -> Where:
    """For a back-office filter offering the related rows that a table's rows name (Django's RelatedOnly filter:
    the events that have registrations): a row changes its choices only when no other row names the same one, as
    the first, just created, or the last, just deleted (or the one before last: one query of the column's index
    cannot tell those apart, and retiring once too often is safe). A registration for an event the filter already
    offers changes nothing: rebuilding the registrations' event filter reads the whole table."""

    def test(value) -> bool:
        return not apps.get_model(model)._default_manager.filter(**{column: value})[1:2].exists()

    return Where(column, test)


# What a public page shows of its cluster leaders.
LEADERS = (
    Shows("clusters.Cluster_leaders"),
    Shows("accounts.User", fields=("full_name", "job_title"), when=_a_leader, new_rows=False),
)
ACCEPTED_PROJECT = Shows(
    "applications.ProjectApplication",
    fields=("status", "title", "summary", "stage", "cluster_id", "organisation_id", "decided_at", "published_at"),
    when=_accepted,
)
# A GCTC team as a cluster page and a profile list it: its name, its lead and whether it was merged away.
TEAM = Shows("teams.Team", fields=("name", "lead_organisation_id", "cluster_id", "merged_into_id", "round_id"))
# The case pages show every column of a published case but the full-text index's copy: any change of one.
PUBLISHED_CASE = Shows("applications.ProjectApplication", when=_published)
APPROVED_SOLUTION = Shows("applications.SolutionRegistration", when=_accepted)
# A membership is shown (counted, listed) while active: a request, a decline, an e-mail choice change nothing.
ACTIVE_MEMBERSHIP = Shows(
    "clusters.ClusterMembership", fields=("status", "cluster_id", "organisation_id", "decided_at"), when=_active
)
EVENTS = (Shows("events.Event"), Shows("events.Event_related_clusters"))
# An event's page shows its places left, only when it has a capacity: confirmed registrations count there.
_of_event_with_capacity = Where("event_id", _with_parent("events.Event", capacity__gt=0))
REGISTRATIONS = Shows("events.Registration", fields=("status", "event_id"), when=_of_event_with_capacity)

# What a cluster's page shows to everyone: its visitors' copy, and the public column of anyone's.
CLUSTER_PAGE = (
    Shows("clusters.Cluster"),
    *LEADERS,
    ACTIVE_MEMBERSHIP,
    Shows("accounts.Organisation", new_rows=False),
    ACCEPTED_PROJECT,
    APPROVED_SOLUTION,
    Shows("applications.SolutionRegistration_clusters"),
    *EVENTS,
    TEAM,
)

PAGES = (
    Cache(
        "home",
        "public:home:<stamp>:<address, language>",
        "The home page: open thematic clusters, the counts of organisations and clusters, the next events.",
        (Shows("clusters.Cluster"), Shows("accounts.Organisation", fields=("kind",)), *EVENTS),
        "PUBLIC_PAGE_CACHE_SECONDS",
    ),
    Cache(
        "catalogue",
        "public:catalogue:<stamp>:<address, language>",
        "The cluster catalogue: clusters, their leaders, active member counts, headline figures.",
        (Shows("clusters.Cluster"), *LEADERS, ACTIVE_MEMBERSHIP, Shows("accounts.Organisation", fields=("kind",))),
        "PUBLIC_PAGE_CACHE_SECONDS",
    ),
    Cache(
        "cluster-pages",
        "public:cluster-pages:<stamp>:<address, language>",
        "A cluster's page: leaders, active members, accepted projects, approved solutions, upcoming events, the "
        "GCTC teams on its theme.",
        CLUSTER_PAGE,
        "PUBLIC_PAGE_CACHE_SECONDS",
    ),
    Cache(
        "cases",
        "public:cases:<stamp>:<address, language>",
        "The best-practice library and case pages: published cases, their KPIs, teams and partners sought.",
        (
            PUBLISHED_CASE,
            Shows("applications.Kpi", when=_of_published_case),
            # The names and units of the indicators the KPIs measure; a new one shows only once a KPI uses it.
            Shows("kpis.Indicator", new_rows=False),
            Shows("applications.TeamMember", when=_of_published_case),
            Shows("applications.PartnerSought", when=_of_published_case),
            Shows("accounts.Organisation", new_rows=False),
            Shows("clusters.Cluster"),
        ),
        "PUBLIC_PAGE_CACHE_SECONDS",
    ),
    Cache(
        "solutions",
        "public:solutions:<stamp>:<address, language>",
        "The solution directory and solution pages: approved solutions, their deployments, brochures, clusters, "
        "the call each answered.",
        (
            APPROVED_SOLUTION,
            Shows("applications.SolutionRegistration_clusters"),
            Shows("applications.Deployment", when=_of_approved_solution),
            Shows("applications.SolutionBrochure", fields=("original_name", "size"), when=_of_approved_solution),
            Shows("accounts.Organisation", new_rows=False),
            Shows("clusters.Cluster"),
            # A solution's page names the call it answered (a new call is on no solution's page yet).
            Shows("applications.Call", fields=("title", "slug"), new_rows=False),
        ),
        "PUBLIC_PAGE_CACHE_SECONDS",
        reads_unshown=("accounts.User",),
    ),
    Cache(
        "organisations",
        "public:organisations:<stamp>:<address, language>",
        "An organisation's public profile: the organisation, its active cluster memberships, published cases and "
        "approved solutions with their clusters, the GCTC teams it is an active member of.",
        (
            Shows("accounts.Organisation", new_rows=False),
            ACTIVE_MEMBERSHIP,
            Shows("clusters.Cluster"),
            PUBLISHED_CASE,
            APPROVED_SOLUTION,
            Shows("applications.SolutionRegistration_clusters"),
            TEAM,
            Shows("teams.TeamMembership", fields=("state", "role", "team_id"), when=Where("state", "active".__eq__)),
            Shows("clusters.Round", fields=("name",), new_rows=False),
        ),
        "PUBLIC_PAGE_CACHE_SECONDS",
    ),
    Cache(
        "take-part",
        "public:take-part:<stamp>:<address, language>",
        "How to take part: the steps for cities and for companies, the worksheet downloads, the programme's "
        "contacts (staff edit them in the back office).",
        (Shows("frontoffice.ProgrammeContacts"),),
        "PUBLIC_PAGE_CACHE_SECONDS",
    ),
    Cache(
        "benchmarks",
        "public:benchmarks:<stamp>:<address, language>",
        "The KPI benchmark pages (an indicator's ranking, chart and CSV; a cluster's benchmarked indicators) and "
        "the indicator catalogue of the API, as visitors see them: published cases' KPIs and progress reports.",
        (
            PUBLISHED_CASE,
            Shows("applications.Kpi", when=_of_published_case),
            Shows("applications.ProgressReport", when=_of_published_case_kpi),
            Shows("kpis.Indicator"),
            Shows("kpis.Indicator_clusters"),
            Shows("accounts.Organisation", new_rows=False),
            Shows("clusters.Cluster"),
        ),
        "PUBLIC_PAGE_CACHE_SECONDS",
    ),
    Cache(
        "teams",
        "public:teams:<stamp>:<address, language>",
        "GCTC teams as visitors see them: the directory of teams looking for partners (its filters too), team "
        "pages (active members, open roles, milestones, the published KPIs of the project) and a round's page "
        "(its key events and figures: who sent it applications or is in its teams).",
        (
            Shows("teams.Team"),
            Shows(
                "teams.TeamMembership",
                fields=("state", "role", "team_id", "organisation_id", "open_role_id"),
                when=Where("state", "active".__eq__),
            ),
            Shows("teams.OpenRole"),
            Shows("teams.Milestone"),
            Shows("accounts.Organisation", new_rows=False),
            Shows("clusters.Cluster"),
            Shows("clusters.Round"),
            Shows("events.Event"),
            # A round counts the organisations that sent it an application; a team links its published case.
            Shows(
                "applications.ProjectApplication",
                fields=("status", "round_id", "organisation_id", "published_at"),
                when=Where("status", {"submitted", "under_review", "changes_requested", "accepted"}.__contains__),
            ),
            PUBLISHED_CASE,
            Shows("applications.Kpi", when=_of_published_case),
            Shows("kpis.Indicator", new_rows=False),
        ),
        "PUBLIC_PAGE_CACHE_SECONDS",
        # Who asked for a membership is read with it and shown to the team's lead only, never to a visitor.
        reads_unshown=("accounts.User",),
    ),
    Cache(
        "events",
        "public:events:<stamp>:<address, language>",
        "The event lists (upcoming, past, a cluster's) and event pages with their places left.",
        (*EVENTS, REGISTRATIONS, Shows("clusters.Cluster")),
        "PUBLIC_PAGE_CACHE_SECONDS",
    ),
)

SHARED = (
    Cache(
        "matches",
        "matches:<release>:<application>:<its updated_at>:<limit>:<stamp>",
        "The approved solutions that fit a project application and when each was introduced to it "
        "(applications/matching.py), ranked from every approved solution's text: the leader page and the "
        "application page show them. The same for everyone who may see the application's matches.",
        (
            Shows("applications.SolutionRegistration"),
            Shows("applications.SolutionRegistration_clusters"),
            Shows("applications.Introduction"),
            Shows("accounts.Organisation", new_rows=False),
            Shows("clusters.Cluster", new_rows=False),
        ),
        15 * 60,
    ),
    Cache(
        "guidance",
        "guidance:<release>:<application>:<its updated_at>:<its indicators>:<stamp>",
        "The guidance on a city's own application page (applications/benchmarks.py `guidance_for`): the "
        "published cases of its cluster most like it and the cities whose published cases measure its indicators, "
        "as (id, title, city) and (city, indicator id). Public data, the same for every reader.",
        (
            PUBLISHED_CASE,
            Shows("applications.Kpi", when=_of_published_case),
            Shows("accounts.Organisation", fields=("name",), new_rows=False),
        ),
        15 * 60,
    ),
    Cache(
        "cluster-page-parts",
        "cluster-page-parts:<release>:<cluster>:<language>:<time zone>:<query string>:<stamp>",
        "The public column of a cluster's page as HTML (clusters/views.py `_public_part`): its theme, active "
        "members, upcoming events, GCTC teams, accepted projects and approved solutions. The same for every reader "
        "in a language and time zone; what is the reader's own (membership, discussion link, requests to decide) "
        "is built for each request beside it.",
        CLUSTER_PAGE,
        "PUBLIC_PAGE_CACHE_SECONDS",
    ),
    Cache(
        "admin-filter-choices",
        "admin-filter-choices:<release>:<filter>:<language>:<stamp>",
        "The clusters, events and GCTC rounds offered by the back-office list filters (core/admin_lists.py): "
        "every one, or those the list's rows name (memberships, registrations, e-mail choices, teams and their "
        "members).",
        (
            Shows("clusters.Cluster"),
            Shows("events.Event"),
            Shows("clusters.Round"),
            Shows(
                "clusters.ClusterMembership",
                fields=("cluster_id",),
                when=_names_alone("clusters.ClusterMembership", "cluster_id"),
            ),
            Shows("events.Registration", fields=("event_id",), when=_names_alone("events.Registration", "event_id")),
            Shows(
                "clusters.ClusterEmailPreference",
                fields=("cluster_id",),
                when=_names_alone("clusters.ClusterEmailPreference", "cluster_id"),
            ),
            # Few and rarely changed: any new one, or one moved, retires the choices.
            Shows("teams.Team", fields=("round_id", "cluster_id", "supercluster_id")),
            Shows("teams.TeamMembership", fields=("team_id",)),
        ),
        5 * 60,
    ),
    Cache(
        "outbox-templates",
        "outbox-templates:<release>:all:<stamp>",
        "The e-mail templates in use, offered by the outbox's filter (notifications/admin.py): read from the "
        "whole outbox, a new template shows after at most this long.",
        (),
        10 * 60,
    ),
)

INVENTORY = {entry.name: entry for entry in (*PAGES, *SHARED)}


def entry(name: str) -> Cache:
    return INVENTORY[name]


def release() -> str:
    """A digest of every model's columns: part of the key of any cached model instance, so a deploy that changes
    the schema never unpickles rows of the old one."""
    global _release
    if _release is None:
        columns = sorted(
            f"{model._meta.label}.{column.attname}:{column.get_internal_type()}"
            for model in apps.get_models()
            for column in model._meta.concrete_fields
        )
        _release = hashlib.sha256("|".join(columns).encode()).hexdigest()[:12]
    return _release


_release: str | None = None


# Stamps


def current(name: str) -> str | None:
    """The entry's stamp, made on first use; None while the cache is unreachable (its errors are ignored)."""
    key = entry(name).stamp_key
    stamp = cache.get(key)
    if stamp is None:
        cache.add(key, uuid.uuid4().hex, timeout=None)
        stamp = cache.get(key)
    return stamp


def _renew(name: str) -> None:
    """Give the entry a new stamp. django-redis ignores (and returns None for) an unreachable server; its own
    client raises, so a failed renewal is logged here as the error it is: the entry may be served stale."""
    key, stamp = entry(name).stamp_key, uuid.uuid4().hex
    try:
        if hasattr(cache, "_ignore_exceptions"):  # django-redis
            cache.client.set(key, stamp, timeout=None)
        else:
            cache.set(key, stamp, timeout=None)
    except Exception:
        logger.error(
            "Could not retire the cache %r: it may show old data for up to %s seconds.",
            name,
            entry(name).lifetime(),
            exc_info=True,
        )


def retire(name: str) -> None:
    """Nothing cached under the entry so far is served again: now, and once the transaction commits."""
    _renew(name)
    transaction.on_commit(partial(_renew, name), robust=True)


def retire_all() -> None:
    """For bulk changes, which send no signal (merging organisations)."""
    for name in INVENTORY:
        retire(name)


# Which saved rows retire what


_SHOWN_BY: dict[str, list[tuple[str, Shows]]] = {}
_WATCHED: dict[str, tuple[str, ...]] = {}
_SNAPSHOT = "_cache_inventory_values"
# Signing in saves the person's last_login: no cache shows it.
INVISIBLE_UPDATES = frozenset({"last_login"})


def _watched_fields(label: str) -> tuple[str, ...]:
    """The columns whose values tell whether a save of a `label` row changes what an entry shows (worked out once)."""
    if label not in _WATCHED:
        _WATCHED[label] = tuple(
            dict.fromkeys(name for _entry, shows in _SHOWN_BY[label] for name in (*shows.fields, *_when_fields(shows)))
        )
    return _WATCHED[label]


def _when_fields(shows: Shows) -> tuple[str, ...]:
    return (shows.when.column,) if shows.when else ()


def _values(instance, names) -> dict:
    """The loaded values of `names` (a deferred column is not loaded: it stays unknown)."""
    loaded = instance.__dict__
    return {name: loaded[name] for name in names if name in loaded}


def _remember(sender, instance, **kwargs) -> None:
    """post_init: the values a row had when read, to tell later whether a save changed what an entry shows. Every
    row of a watched model read on any page passes here (some 200 on a cluster page): a copy of its loaded values,
    made in C, costs less than picking the watched ones out; a save compares only those."""
    instance.__dict__[_SNAPSHOT] = instance.__dict__.copy()


def _shown(shows: Shows, values: dict) -> bool:
    if shows.when is None:
        return True
    if shows.when.column not in values:
        return True  # not known: assume it is shown
    return bool(shows.when.test(values[shows.when.column]))


def _changes(shows: Shows, before: dict | None, after: dict, *, created: bool, deleted: bool) -> bool:
    if created:
        return shows.new_rows and _shown(shows, after)
    if deleted:
        return _shown(shows, after) or (before is not None and _shown(shows, before))
    if before is None:
        return True
    column = shows.when.column if shows.when else None
    if column is None or (column in before and column in after and before[column] == after[column]):
        # Shown before exactly when shown after (the same test of the same value): an update that changes none of
        # the shown columns needs no test at all (a registration cancelled, a request declined), others one.
        if shows.fields and all(name in before and before[name] == after.get(name) for name in shows.fields):
            return False
        return _shown(shows, after)
    was, now = _shown(shows, before), _shown(shows, after)
    if not (was or now):
        return False
    if shows.fields and was == now:
        return any(name not in before or before[name] != after.get(name) for name in shows.fields)
    return True


def row_changed(sender, instance=None, created=False, update_fields=None, signal=None, **kwargs) -> None:
    """post_save and post_delete: retire every entry whose shown rows this change touches."""
    found = _SHOWN_BY.get(sender._meta.label)
    if not found:
        return
    if update_fields and set(update_fields) <= INVISIBLE_UPDATES:
        return
    before = instance.__dict__.get(_SNAPSHOT)
    after = _values(instance, _watched_fields(sender._meta.label))
    deleted = signal is post_delete
    for name in dict.fromkeys(
        name
        for name, shows in found
        if not (update_fields and shows.fields and not set(update_fields) & {*shows.fields, *_when_fields(shows)})
        and _changes(shows, before, after, created=created, deleted=deleted)
    ):
        retire(name)
    instance.__dict__[_SNAPSHOT] = after


def link_changed(sender, action="", **kwargs) -> None:
    """m2m_changed: a many-to-many link added or removed (its through model is the sender)."""
    if action.startswith("post_"):
        for name in dict.fromkeys(name for name, _shows in _SHOWN_BY.get(sender._meta.label, ())):
            retire(name)


def connect() -> None:
    """Called once from CoreConfig.ready() (core/apps.py)."""
    for cached in INVENTORY.values():
        for shows in cached.shows:
            _SHOWN_BY.setdefault(shows.model, []).append((cached.name, shows))
    for label, found in _SHOWN_BY.items():
        if any(shows.fields or shows.when for _name, shows in found):
            post_init.connect(_remember, sender=apps.get_model(label), dispatch_uid=f"cache-inventory:{label}")
    post_save.connect(row_changed, dispatch_uid="cache-inventory")
    post_delete.connect(row_changed, dispatch_uid="cache-inventory")
    m2m_changed.connect(link_changed, dispatch_uid="cache-inventory")


# Shared reads


def kept_many(name: str, keys: dict, read_missing: Callable[[list], dict]) -> dict:
    """The values of `keys` ({item: key part}) kept under the entry `name`; `read_missing(items)` reads those
    not kept ({item: value}). Everything is read afresh, and nothing kept, while the cache is unreachable."""
    stamp = current(name)
    if stamp is None:
        return read_missing(list(keys))
    full = {item: f"{name}:{release()}:{part}:{stamp}" for item, part in keys.items()}
    found = cache.get_many(full.values())
    values = {item: found[key] for item, key in full.items() if key in found}
    missing = [item for item in keys if item not in values]
    if missing:
        fresh = read_missing(missing)
        cache.set_many({full[item]: value for item, value in fresh.items()}, entry(name).lifetime())
        values.update(fresh)
    return values


def kept(name: str, part: str, read: Callable[[], object]) -> object:
    """What `read()` returns, kept under the entry `name` (and `part`) until it is retired or its lifetime ends."""
    return kept_many(name, {None: part}, lambda _missing: {None: read()})[None]


# Public pages


def _has_session(request) -> bool:
    return settings.SESSION_COOKIE_NAME in request.COOKIES or CookieStorage.cookie_name in request.COOKIES


def _may_store(request, response) -> bool:
    """Never store a page that gives out a form token or sets a cookie: the next visitor would share it."""
    return not request.META.get("CSRF_COOKIE_NEEDS_UPDATE") and not response.cookies


def cache_public_page(name: str):
    """Serve the view from the page cache `name` (an entry of PAGES) to visitors without a session.

    Such a visit is answered from the web process's memory (the "pages" cache) without touching the database;
    anyone with a session (signed in, a message waiting, a form under way) gets a freshly built page, and a page
    that hands out a form token is never stored. Browsers and proxies see the headers of any other page.
    """
    if name not in {page.name for page in PAGES}:
        raise ValueError(f"{name!r} is not a page cache of core/caches.py: declare it in PAGES first.")

    def decorator(view):
        @wraps(view)
        def cached_view(request, *args, **kwargs):
            return serve_public_page(name, view, request, args, kwargs)

        cached_view.page_cache = name
        return cached_view

    return decorator


def serve_public_page(name: str, view, request, args: tuple, kwargs: dict, *, stamp: str | None = None):
    """The work of `cache_public_page`, for a caller that may have read the entry's `stamp` already
    (`count_reading_stamp`); without it the stamp is read here."""
    seconds = entry(name).lifetime()
    if not seconds or request.method not in ("GET", "HEAD") or _has_session(request):
        return view(request, *args, **kwargs)
    stamp = stamp or current(name)
    if stamp is None:  # the shared cache is unreachable: nothing says whether a kept page is current
        return view(request, *args, **kwargs)
    pages = CacheMiddleware(view, page_timeout=seconds, key_prefix=f"public:{name}:{stamp}", cache_alias="pages")
    response = pages.process_request(request)
    if response is None:
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response.render()  # a template response uses the form token, if at all, while it renders
        if _may_store(request, response):
            response = pages.process_response(request, response)
    # The cache middleware adds Expires, Cache-Control: max-age and Age for downstream caches; this cache serves
    # visitors without a session only, so no browser or proxy may reuse the page for anyone else.
    for header in ("Expires", "Cache-Control", "Age"):
        del response[header]
    return response


def count_reading_stamp(counter: str, seconds: int, name: str | None = None) -> tuple[int | None, str | None]:
    """Add one to the shared count `counter` (made by its first request, to live `seconds`) and read the stamp of
    the entry `name`, in one round trip to Redis: the public API counts every client's requests and reads its
    page cache's stamp for each, and a round trip each cost its kept answers a fifth of their throughput.

    (count, stamp); (None, None) while the cache is unreachable: nothing counted, nothing served from the cache.
    """
    try:
        if not hasattr(cache, "_ignore_exceptions"):  # not django-redis (a cache of this process, in development)
            try:
                count = cache.incr(counter)
            except ValueError:  # the first request (the add fails if another one just made the count)
                count = 1 if cache.add(counter, 1, timeout=seconds) else cache.incr(counter)
            return count, current(name) if name else None
        client = cache.client
        pipeline = client.get_client(write=True).pipeline(transaction=False)
        key = client.make_key(counter)
        pipeline.set(key, 0, ex=seconds, nx=True)  # a plain number, as django-redis keeps the ones it counts
        pipeline.incr(key)
        if name:
            pipeline.get(client.make_key(entry(name).stamp_key))
        _made, count, *read = pipeline.execute()
    except Exception:  # django-redis ignores an unreachable server in its own calls only; this pipeline is ours
        logger.warning("Could not count a request: the shared cache is unreachable.", exc_info=True)
        return None, None
    if not name:
        return count, None
    stamp = client.decode(read[0]) if read[0] is not None else current(name)  # made by the entry's first use
    return count, stamp
