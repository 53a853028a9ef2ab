"""How every back-office list page draws its rows, shared by all the portal's ModelAdmins.

The lists hold up to 100,000s of rows and are opened all day, so each page costs what its rows cost: 25 rows a
page rather than Django's 100, the row checkbox written as HTML rather than through the form-widget templates,
the page's rows read with only the columns the list shows (`list_only`), country filters that offer the
countries in use rather than all 250, and related-row filters over big tables cached (the "admin-filter-choices"
entry of core/caches.py). Nothing rendered is cached: rows hold names and e-mail addresses.
"""

from urllib.parse import quote_plus

from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.views.main import ChangeList
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_countries.filters import CountryFilter

from . import caches


class CountryListFilter(CountryFilter):
    """django-countries' filter of the countries in use, read from the table that holds the country.

    For `("organisation__country", CountryListFilter)` on the applications that is the organisations' table, not
    a join over every application on each page view; a country whose organisations have no applications yet
    still shows, with an empty list.
    """

    template = "admin/filter_choices.html"  # Django's markup, drawn by a tag (core/templatetags/admin_navigation.py)

    def lookup_choices(self, changelist):
        in_use = set(self.field.model._default_manager.order_by().values_list(self.field.name, flat=True).distinct())
        # The field's countries, sorted by their names in this language once per process by django-countries (the
        # field's get_choices translates and sorts all 250 on every view of the list: 0.9 against 0.06 ms).
        return [(code, name) for code, name in self.field.countries if code in in_use]

    def choices(self, changelist):
        """django-countries' choices, each link made from one built for a placeholder (`_choice_link`)."""
        link = None if self.field.multiple else _choice_link(changelist, self.field_path, [])
        if link is None:
            yield from super().choices(changelist)
            return
        value = self.used_parameters.get(self.field_path)
        if isinstance(value, list) and len(value) == 1:
            value = value[0]
        yield {
            "selected": value is None,
            "query_string": changelist.get_query_string({}, [self.field_path]),
            "display": _("All"),
        }
        for code, name in self.lookup_choices(changelist):
            yield {"selected": value is not None and code == value, "query_string": link(code), "display": name}


def _choice_link(changelist, lookup_kwarg: str, remove: list[str]):
    """A function giving the list's query string with `lookup_kwarg` set to a value and `remove` left out, as
    `changelist.get_query_string` does, made from one query string built for a placeholder rather than built for
    each choice (about 10 µs a link: the registrations' event filter lists 300 events). None where that cannot be
    done (the list shows facets, or the placeholder is not found once)."""
    each = changelist.get_query_string({lookup_kwarg: _KEY}, remove).split(str(_KEY))
    if changelist.add_facets or len(each) != 2:
        return None
    before, after = each
    return lambda value: f"{before}{quote_plus(str(value))}{after}"


class _CachedChoices:
    """Related-row choices (clusters, events) cached per language until a cluster or an event changes (the
    "admin-filter-choices" entry of core/caches.py): reading them loads every related row to name it, on
    every view of the list. The choices must not depend on who looks. Drawn by a tag rather than a template node
    per choice (templates/admin/filter_choices.html)."""

    template = "admin/filter_choices.html"

    def field_choices(self, field, request, model_admin):
        name = f"{type(self).__name__}:{model_admin.opts.label_lower}:{self.field_path}"
        return caches.kept(
            "admin-filter-choices",
            f"{name}:{get_language()}",
            lambda: list(super(_CachedChoices, self).field_choices(field, request, model_admin)),
        )

    def choices(self, changelist):
        """Django's choices, each link made from one built for a placeholder (`_choice_link`)."""
        link = _choice_link(changelist, self.lookup_kwarg, [self.lookup_kwarg_isnull])
        if link is None:
            yield from super().choices(changelist)
            return
        yield {
            "selected": self.lookup_val is None and not self.lookup_val_isnull,
            "query_string": changelist.get_query_string(remove=[self.lookup_kwarg, self.lookup_kwarg_isnull]),
            "display": _("All"),
        }
        for pk_val, val in self.lookup_choices:
            yield {
                "selected": self.lookup_val is not None and str(pk_val) in self.lookup_val,
                "query_string": link(pk_val),
                "display": val,
            }
        if self.include_empty_choice:
            yield {
                "selected": bool(self.lookup_val_isnull),
                "query_string": changelist.get_query_string({self.lookup_kwarg_isnull: "True"}, [self.lookup_kwarg]),
                "display": self.empty_value_display,
            }


# A key no row has: the links of a filter's choices are made from the one built for it.
_KEY = 987654321987654321


class CachedRelatedFieldListFilter(_CachedChoices, admin.RelatedFieldListFilter):
    """Django's RelatedFieldListFilter (every related row) with its choices cached."""


class CachedRelatedOnlyFieldListFilter(_CachedChoices, admin.RelatedOnlyFieldListFilter):
    """Django's RelatedOnlyFieldListFilter with its choices cached.

    Finding the related rows in use reads the list's whole table (30,000 registrations for the 300 events); for
    lists whose tables grow with the portal's use.
    """


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
        url = self._change_url(result)
        return f"{url}?{self.row_link_query}" if self.row_link_query else url

    def _change_url(self, result) -> str:
        """Django's url_for_result, the change page's URL reversed once per list rather than once a row."""
        if not hasattr(self, "_change_url_parts"):
            placeholder = self.model_admin.model(**{self.pk_attname: _KEY})
            parts = super().url_for_result(placeholder).split(str(_KEY))
            self._change_url_parts = parts if len(parts) == 2 else None
        pk = getattr(result, self.pk_attname)
        if self._change_url_parts is None or not isinstance(pk, int):  # a text key may need the URL's quoting
            return super().url_for_result(result)
        before, after = self._change_url_parts
        return f"{before}{pk}{after}"

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

    def get_changelist(self, request, **kwargs):
        return ShownColumnsChangeList

    def action_checkbox(self, obj):
        """Django's row checkbox, the same markup and label, without rendering a CheckboxInput per row."""
        label = format_html(_("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            str(obj.pk),
            label,
        )
