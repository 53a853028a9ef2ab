"""Security log: every failed sign-in is written to the `wego.security` logger (never the password)."""

import logging

from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

logger = logging.getLogger("wego.security")


@receiver(user_login_failed)
def log_failed_sign_in(sender, credentials, request=None, **kwargs) -> None:
    identifier = credentials.get("email") or credentials.get("username") or "?"
    address = request.META.get("REMOTE_ADDR", "?") if request is not None else "?"
    logger.warning("Failed sign-in for %r from %s", identifier, address)
