"""How every back-office list page draws its rows, shared by all the portal's ModelAdmins.

The lists hold up to 100,000s of rows and are opened all day, so each page costs what its rows cost: 25 rows a
page rather than Django's 100, the row checkbox written as HTML rather than through the form-widget templates,
the page's rows read with only the columns the list shows (`list_only`), country filters that offer the
countries in use rather than all 250, related-row filters over big tables cached for a few minutes, and the
filter sidebar (hundreds of links, each with its own query string) rendered once and kept until the portal's
content changes (templates/admin/change_list.html).
"""

import hashlib

from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.options import IS_FACETS_VAR, ShowFacets
from django.contrib.admin.views.main import ChangeList
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_countries.filters import CountryFilter

from . import cache_versions


class CountryListFilter(CountryFilter):
    """django-countries' filter of the countries in use, read from the table that holds the country.

    For `("organisation__country", CountryListFilter)` on the applications that is the organisations' table, not
    a join over every application on each page view; a country whose organisations have no applications yet
    still shows, with an empty list.
    """

    def lookup_choices(self, changelist):
        in_use = set(self.field.model._default_manager.order_by().values_list(self.field.name, flat=True).distinct())
        return [(code, name) for code, name in self.field.get_choices(include_blank=False) if code in in_use]


class _CachedChoices:
    """Related-row choices cached, per language, until the portal's content changes (the public pages' stamp) or
    CACHE_SECONDS pass: reading them loads every related row to name it, on every view of the list. The choices
    must not depend on who looks."""

    CACHE_SECONDS = 5 * 60

    def field_choices(self, field, request, model_admin):
        name = f"{type(self).__name__}:{model_admin.opts.label_lower}:{self.field_path}"
        return cache_versions.kept(
            f"admin-filter:{name}:{get_language()}",
            [cache_versions.PUBLIC_PAGES],
            lambda: list(super(_CachedChoices, self).field_choices(field, request, model_admin)),
            self.CACHE_SECONDS,
        )


class CachedRelatedFieldListFilter(_CachedChoices, admin.RelatedFieldListFilter):
    """Django's RelatedFieldListFilter (every related row) with its choices cached."""


class CachedRelatedOnlyFieldListFilter(_CachedChoices, admin.RelatedOnlyFieldListFilter):
    """Django's RelatedOnlyFieldListFilter with its choices cached.

    Finding the related rows in use reads the list's whole table (30,000 registrations for the 300 events); for
    lists whose tables grow with the portal's use.
    """


def _loaded_values(row) -> tuple:
    """Every value read from the database for `row` (a model instance) and for the related rows read with it."""
    values = tuple((name, value) for name, value in row.__dict__.items() if not name.startswith("_"))
    related = tuple(
        (name, _loaded_values(other)) for name, other in row._state.fields_cache.items() if other is not None
    )
    return values, related


class ShownColumnsChangeList(ChangeList):
    """Reads the rows of the page with `.only(*model_admin.list_only)`, and links them without a URL lookup each.

    Only the page's rows are narrowed: actions and exports build their own querysets (`get_queryset`) and read
    every column.
    """

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        # A row's link carries the list's filters to the change page and back (`_changelist_filters`). Django's
        # add_preserved_filters works that out by resolving every row's URL to see whether it is the list itself;
        # a change page never is, so the links get the filters here, once, and the tag finds none left to add.
        self.row_link_query, self.preserved_filters = self.preserved_filters, ""

    def url_for_result(self, result) -> str:
        url = super().url_for_result(result)
        return f"{url}?{self.row_link_query}" if self.row_link_query else url

    def get_results(self, request):
        if self.model_admin.list_only:
            self.queryset = self.queryset.only(*self.model_admin.list_only)
        super().get_results(request)


class ListPageAdminMixin:
    """Put first in a ModelAdmin's bases: `class ClusterAdmin(ListPageAdminMixin, TranslationAdmin)`.

    `list_only` names the fields the list shows, including those its rows' __str__ reads and, for every relation
    in `list_select_related`, the fields shown of it ("organisation__name"; every language's column of a
    translated one). A field left out is read with one query per row, which the query-count tests catch.
    """

    list_per_page = 25
    list_only: tuple[str, ...] | list[str] = ()
    # How long a rendered filter sidebar is kept at most; 0 renders it on every view. Filters must not depend on
    # who looks (none of the portal's do).
    filters_cache_seconds = 5 * 60
    # How long a page of rendered rows is kept at most; 0 renders them on every view (see results_cache_key).
    results_cache_seconds = 5 * 60

    def get_changelist(self, request, **kwargs):
        return ShownColumnsChangeList

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "filters_cache_key": self.filters_cache_key(request)}
        extra_context["filters_cache_seconds"] = self.filters_cache_seconds
        response = super().changelist_view(request, extra_context)
        context = getattr(response, "context_data", None)  # None: a redirect, or an action's own response
        if context and context.get("action_form") is not None:
            context["action_form_cache_key"] = self.action_form_cache_key(context["action_form"])
        if context and context.get("cl") is not None:
            actions = context.get("action_form_cache_key", "")
            context["results_cache_key"] = self.results_cache_key(request, context["cl"], actions)
            context["results_cache_seconds"] = self.results_cache_seconds
        return response

    def results_cache_key(self, request, changelist, actions: str) -> str | None:
        """What the rows of this view (with the action bar above them) depend on, or None to render them afresh.

        The key holds the page's rows themselves as they were just read (every loaded value of each row and of
        the related rows read with it, `_loaded_values`), with the number of rows the list holds, the columns and
        the action menu this person gets (`actions`, action_form_cache_key), the address (filters, search, sort,
        page), language and time zone. So a page is drawn again whenever anything it shows changed, however it
        changed: bulk updates (the outbox's, as e-mails go out) and renames included. What is saved is Django's
        rendering of each cell, about two thirds of a list's work.
        """
        if not self.results_cache_seconds or request.method != "GET" or changelist.formset is not None:
            return None  # rows with fields of a form to fill in, or a form sent back with its errors
        rows = repr([_loaded_values(row) for row in changelist.result_list])
        columns = ",".join(str(column) for column in changelist.list_display)
        parts = [self.opts.label_lower, get_language(), timezone.get_current_timezone_name(), columns, actions]
        counts = f"{changelist.result_count}/{changelist.full_result_count}"
        digest = hashlib.sha256(rows.encode()).hexdigest()
        return "|".join([*parts, counts, digest, request.get_full_path()])

    def action_form_cache_key(self, action_form) -> str:
        """The action menu's HTML is all in its choices (the actions this person may run) and their language: the
        rendered menu (templates/admin/actions.html) is kept under them, each option otherwise a template of its
        own on every view of the list."""
        choices = "|".join(f"{name}={label}" for name, label in action_form.fields["action"].choices)
        return f"{get_language()}|{action_form.fields['action'].label}|{choices}"

    def filters_cache_key(self, request) -> str | None:
        """What the filter sidebar of this view depends on, or None to render it afresh.

        Its links carry the address's other parameters, its labels the language, its date choices today's date,
        and its choices the rows of the portal's own apps (the public pages' stamp, renewed by every change
        there). Counts (facets) are never cached: they change with every row.
        """
        if not self.filters_cache_seconds or self.show_facets is ShowFacets.ALWAYS or IS_FACETS_VAR in request.GET:
            return None
        stamp = cache_versions.current(cache_versions.PUBLIC_PAGES)
        if stamp is None:
            return None
        day = timezone.localdate().isoformat()
        parts = [self.opts.label_lower, stamp, get_language(), timezone.get_current_timezone_name(), day]
        return "|".join([*parts, request.get_full_path()])

    def action_checkbox(self, obj):
        """Django's row checkbox, the same markup and label, without rendering a CheckboxInput per row."""
        label = format_html(_("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            str(obj.pk),
            label,
        )
