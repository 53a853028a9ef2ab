"""An organisation's name, linked to its public profile where it has one (accounts.rules.has_public_profile)."""

from django import template
from django.urls import reverse

from accounts.rules import has_public_profile

register = template.Library()


@register.filter
def public_profile_url(organisation) -> str:
    """The address of the organisation's public profile; empty when it has none."""
    if not has_public_profile(organisation):
        return ""
    return reverse("organisation_profile", args=[organisation.pk])


@register.inclusion_tag("includes/organisation_name.html")
def organisation_name(organisation):
    """The name, as a link to the public profile when there is one: `{% organisation_name case.organisation %}`."""
    return {"organisation": organisation, "url": public_profile_url(organisation)}
