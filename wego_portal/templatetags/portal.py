from django import template
from django.urls import translate_url

register = template.Library()


@register.simple_tag(takes_context=True)
def page_in_language(context, language: str) -> str:
    """This page's address in another language (/en/clusters/?page=2 -> /ko/clusters/?page=2)."""
    return translate_url(context["request"].get_full_path(), language)
