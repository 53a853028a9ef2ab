from django import template
from django.urls import translate_url
from django.utils.html import format_html

register = template.Library()


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
}


@register.simple_tag
def status_badge(status: str, label: str) -> str:
    """`{% status_badge application.status application.get_status_display %}`: a tag rather than an included
    template, because lists show one per row and an include costs twenty times as much to render."""
    return format_html(
        '<span class="badge rounded-pill {}">{}</span>', STATUS_BADGE_CLASSES.get(status, "text-bg-primary"), label
    )
