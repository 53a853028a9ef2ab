from django import template
from django.template.defaultfilters import date
from django.urls import reverse, translate_url
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext

from core.messages import messages_id, place_of

register = template.Library()


@register.inclusion_tag("includes/messages.html", takes_context=True)
def top_messages(context) -> dict:
    """`{% top_messages %}` (base.html): the messages that belong to no part of the page, at its top."""
    return {"shown_messages": [message for message in context.get("messages", ()) if not place_of(message)]}


@register.inclusion_tag("includes/messages.html", takes_context=True)
def messages_at(context, place: str) -> dict:
    """`{% messages_at "section-kpis" %}` inside the element with that id: the messages queued for it with
    core.messages.message_at, where the page opens."""
    shown = [message for message in context.get("messages", ()) if place_of(message) == place]
    for message in shown:
        message.shown_in_place = True
    return {"shown_messages": shown, "messages_id": messages_id(place)}


@register.inclusion_tag("includes/messages.html", takes_context=True)
def messages_left_over(context) -> dict:
    """`{% messages_left_over %}` (base.html, after the content): placed messages whose part this page did not
    show (the page changed between the action and the redirect), so none is lost."""
    return {
        "shown_messages": [
            message
            for message in context.get("messages", ())
            if place_of(message) and not getattr(message, "shown_in_place", False)
        ]
    }


@register.simple_tag(takes_context=True)
def page_in_language(context, language: str) -> str:
    """This page's address in another language (/en/clusters/?page=2 -> /ko/clusters/?page=2)."""
    return translate_url(context["request"].get_full_path(), language)


# A submission's status as a coloured badge; any other status (submitted, under review) is blue.
STATUS_BADGE_CLASSES = {
    "accepted": "text-bg-success",
    "declined": "text-bg-danger",
    "changes_requested": "text-bg-warning",
    "draft": "text-bg-secondary",
    "withdrawn": "text-bg-secondary",
    # A team membership (teams.TeamMembership.State): in the team, or invited and asked (the default).
    "active": "text-bg-success",
}


@register.simple_tag
def status_badge(status: str, label: str) -> str:
    """`{% status_badge application.status application.get_status_display %}`: a tag rather than an included
    template, because lists show one per row and an include costs twenty times as much to render."""
    return format_html(
        '<span class="badge rounded-pill {}">{}</span>', STATUS_BADGE_CLASSES.get(status, "text-bg-primary"), label
    )


# A primary key no row has, to reverse a row's URL once per list and fill each row's key in with string operations.
_KEY = 987654321987654321


def url_of_each(viewname: str, context=None):
    """`url = url_of_each("solutions:detail")`, then `url(pk)` per row: `reverse(viewname, args=[pk])` for a view
    whose only argument is an integer key, reversed once rather than once a row (25 µs each). Given a template's
    `context`, once for the whole page being drawn (its render_context lives as long as that one rendering)."""
    if context is not None:
        made = context.render_context.setdefault(url_of_each, {})
        if viewname not in made:
            made[viewname] = url_of_each(viewname)
        return made[viewname]
    before, after = reverse(viewname, args=[_KEY]).split(str(_KEY))
    return lambda pk: f"{before}{pk}{after}"


@register.simple_tag(takes_context=True)
def match_list(context, matches, may_introduce=False, application_pk=""):
    """`{% match_list matches may_introduce application.pk %}`: matching solutions (applications/matching.py), each
    with its reason and, for those who may introduce (`may_introduce`), when the city was introduced or the button
    that posts the page's one introduce form (applications/includes/introduce_form.html) for `application_pk`.

    Python rather than a template: the leader page shows three for each of its ten newest applications, and the
    included template cost it a fifth of its time.
    """
    if not matches:
        return format_html(
            '<ul class="list-unstyled mb-0">\n  <li class="small text-body-secondary">{}</li>\n</ul>',
            gettext("No approved solution fits this project yet."),
        )
    detail_url, introduce_url = url_of_each("solutions:detail", context), url_of_each("solutions:introduce", context)
    rows = []
    for match in matches:
        solution = match.solution
        provider = solution.organisation.name
        row = format_html(
            '<a href="{}"><strong>{}</strong></a>\n      <span class="small text-body-secondary">· {}</span><br>'
            '\n      <span class="small">{}</span>',
            detail_url(solution.pk),
            solution.name,
            provider,
            match.reason,
        )
        if may_introduce and match.introduced_at:
            introduced = gettext("Introduced on %(date)s") % {
                "date": conditional_escape(date(template_localtime(match.introduced_at), "DATE_FORMAT"))
            }
            row += format_html('\n      <br><span class="small text-success-emphasis">{}</span>', mark_safe(introduced))  # nosec B308, B703: the translation's own markup, the date escaped
        elif may_introduce:
            label = gettext('Introduce<span class="visually-hidden"> the city to %(provider)s</span>') % {
                "provider": conditional_escape(provider)
            }
            row += format_html(
                '\n      <br><button type="submit" form="introduce-form" formaction="{}" name="application" value="{}" '
                'class="btn btn-sm btn-outline-primary mt-1">{}</button>',
                introduce_url(solution.pk),
                application_pk,
                mark_safe(label),  # nosec B308, B703: the translation's own markup, the provider's name escaped
            )
        rows.append((row,))
    return format_html(
        '<ul class="list-unstyled mb-0">\n{}\n</ul>',
        format_html_join("\n", '    <li class="mb-3 match">\n      {}\n    </li>', rows),
    )
