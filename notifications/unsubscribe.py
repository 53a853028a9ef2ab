"""Unsubscribe links that work without signing in: a signed, expiring token naming a person and what to turn off.

The token is Django's signing of {"u": user id, "s": [scopes]} with its own salt, so no other signed value of the
portal can stand in for it, and it expires after EMAIL_UNSUBSCRIBE_MAX_AGE_DAYS. A scope ("cluster:5") is opaque
here: the app that owns the preference it turns off reads it (clusters.views.unsubscribe). The page it opens is the
project-level URL named "unsubscribe" (wego_portal/urls.py).
"""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation

SALT = "notifications.unsubscribe"


@dataclass(frozen=True)
class UnsubscribeRequest:
    user_id: int
    scopes: tuple[str, ...]


def unsubscribe_token(*, user_id: int, scopes: list[str] | tuple[str, ...]) -> str:
    return signing.dumps({"u": user_id, "s": sorted(set(scopes))}, salt=SALT, compress=True)


def unsubscribe_read(token: str) -> UnsubscribeRequest | None:
    """What the token asks to turn off, or None when it was altered, made for something else or expired."""
    max_age = settings.EMAIL_UNSUBSCRIBE_MAX_AGE_DAYS * 24 * 60 * 60
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    try:
        return UnsubscribeRequest(user_id=int(data["u"]), scopes=tuple(str(scope) for scope in data["s"]))
    except (KeyError, TypeError, ValueError):
        return None


def unsubscribe_url(*, user_id: int, scopes: list[str] | tuple[str, ...], language: str) -> str:
    """The absolute address of the page (and RFC 8058 one-click target) that turns `scopes` off for the user."""
    with translation.override(language):
        path = reverse("unsubscribe", kwargs={"token": unsubscribe_token(user_id=user_id, scopes=scopes)})
    return f"{settings.SITE_URL}{path}"
