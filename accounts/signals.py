"""Security log: every failed sign-in is written to the `wego.security` logger (never the password).
Signing in switches the portal to the person's preferred language."""

import logging

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from core.client_address import client_address

from .middleware import LANGUAGE_AFTER_SIGN_IN

logger = logging.getLogger("wego.security")


@receiver(user_login_failed)
def log_failed_sign_in(sender, credentials, request=None, **kwargs) -> None:
    identifier = credentials.get("email") or credentials.get("username") or "?"
    address = client_address(request) if request is not None else "?"
    logger.warning("Failed sign-in for %r from %s", identifier, address)


@receiver(user_logged_in)
def switch_to_preferred_language(sender, request, user, **kwargs) -> None:
    """Signing in switches the portal to the person's preferred language (the cookie is set on the way out)."""
    if request is not None and user.preferred_language:
        setattr(request, LANGUAGE_AFTER_SIGN_IN, user.preferred_language)
