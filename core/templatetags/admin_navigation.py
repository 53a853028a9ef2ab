"""The back office's navigation sidebar and list filters, rendered in Python.

Django's admin draws the sidebar on every page from `admin/app_list.html`: a dozen template nodes for each of the
22 models, rendered inside the page's full context. With the app list's building, that took about 6.5 ms of a
changelist's 30 on the benchmark's data (the back office's lists are what staff open all day); with this tag
about 3, most of it Django building the list. `{% nav_app_list available_apps %}` writes the same markup as
that template with `show_changelinks=False`, as `admin/nav_sidebar.html` includes it; a test renders both for the
same apps and compares them (tests/backoffice/test_admin_pages.py), so a Django upgrade that changes the markup
fails the suite instead of drifting.

`{% admin_filter_choices title choices %}` does the same for `admin/filter.html`, for the list filters whose choices
are the rows of another table (core/admin_lists.py: the registrations' 300 events cost 4 ms of their list's 26).
"""

from urllib.parse import quote

from django import template
from django.utils.encoding import iri_to_uri
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

register = template.Library()

_ARIA_CURRENT = mark_safe(' aria-current="page"')  # nosec B308, B703: a constant
_SELECTED = mark_safe(' class="selected"')  # nosec B308, B703: a constant


@register.simple_tag(takes_context=True)
def nav_app_list(context, app_list) -> SafeString:
    if not app_list:
        nothing = gettext("You don’t have permission to view or edit anything.")  # noqa: RUF001 (Django's text)
        return format_html("<p>{}</p>", nothing)
    request = context.get("request")
    # Django's template tests `url in request.path|urlencode` for each app and model.
    path = quote(request.path, safe="/") if request is not None else ""
    add = gettext("Add")
    header = format_html(
        '<thead class="visually-hidden"><tr><th scope="col">{}</th><th scope="col">{}</th>'
        '<th scope="col">{}</th></tr></thead>',
        gettext("Model name"),
        gettext("Add link"),
        gettext("Change or view list link"),
    )
    apps = []
    for app in app_list:
        rows = []
        for model in app["models"]:
            model_name = model["object_name"].lower()
            row_id = f"{app['app_label']}-{model_name}"
            admin_url = model.get("admin_url")
            current = bool(admin_url) and admin_url in path
            if admin_url:
                name = format_html('<a href="{}"{}>{}</a>', admin_url, _ARIA_CURRENT if current else "", model["name"])
            else:
                name = format_html("{}", model["name"])
            add_link = (
                format_html('<a href="{}" class="addlink" aria-describedby="{}">{}</a>', model["add_url"], row_id, add)
                if model.get("add_url")
                else ""
            )
            rows.append(
                (model_name, " current-model" if current else "", row_id, name, add_link),
            )
        apps.append(
            format_html(
                '<div class="app-{} module{}"><table><caption><a href="{}" class="section" title="{}">{}</a>'
                "</caption>{}{}</table></div>",
                app["app_label"],
                " current-app" if app["app_url"] in path else "",
                app["app_url"],
                gettext("Models in the %(name)s application") % {"name": app["name"]},
                app["name"],
                header,
                format_html_join("", '<tr class="model-{}{}"><th scope="row" id="{}">{}</th><td>{}</td></tr>', rows),
            )
        )
    return format_html_join("", "{}", ((app,) for app in apps))


@register.simple_tag
def admin_filter_choices(title, choices) -> SafeString:
    """Django's `admin/filter.html` for one filter: its title and a link for each choice."""
    heading = gettext(" By %(filter_title)s ") % {"filter_title": conditional_escape(title)}
    # Joined as text, each value escaped, rather than a format_html per choice: the events' filter has 300.
    items = mark_safe(  # nosec B308, B703: every value escaped
        "".join(f"<li{_SELECTED if choice['selected'] else ''}>{_link(choice)}</li>" for choice in choices)
    )
    return format_html(
        '<details data-filter-title="{}" open><summary>{}</summary><ul>{}</ul></details>',
        title,
        mark_safe(heading),  # nosec B308, B703: the translation's text with the title escaped
        items,
    )


def _link(choice: dict) -> str:
    href = conditional_escape(iri_to_uri(choice["query_string"]))
    return f'<a href="{href}">{conditional_escape(choice["display"])}</a>'
