"""Forms that e-mail someone accept only so many sends per person: settings.FORM_RATE_LIMITS.

The counting is allauth's rate limiter (already a dependency, and what guards our log-in and sign-up): a sliding
window per person and form, kept in the "default" cache under a lock, so every web process shares it when the
cache is Redis. Only a form that passed validation counts; one the service then refused is given back.
"""

import math
import time
from dataclasses import dataclass
from datetime import timedelta

from allauth.core.internal import ratelimit
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.timesince import timeuntil
from django.utils.translation import gettext as _

APP = "wego_portal"


@dataclass
class FormRateLimit:
    """One attempt to send `action`: allowed (and counted) or refused with the seconds until the next chance."""

    action: str
    usage: ratelimit.RateLimitUsage | None
    retry_after: int = 0

    @property
    def refused(self) -> bool:
        return self.usage is None

    def rollback(self) -> None:
        """The form was not sent after all (the service refused it): this attempt does not count."""
        if self.usage is not None:
            self.usage.rollback()

    @property
    def wait(self) -> str:
        """ "12 minutes", "1 hour, 5 minutes": rounded up to the minute, so never "0 minutes"."""
        now = timezone.now()
        return timeuntil(now + timedelta(seconds=math.ceil(self.retry_after / 60) * 60), now)

    @property
    def message(self) -> str:
        return _(
            "You have sent this form as often as the portal accepts in a short time. Please try again in %(wait)s; "
            "what you wrote is still below."
        ) % {"wait": self.wait}

    def respond(self, response: HttpResponse) -> HttpResponse:
        """The page with the form, answered 429 Too Many Requests and when to come back (Retry-After)."""
        response.status_code = 429
        response["Retry-After"] = str(self.retry_after)
        return response


def _config(request: HttpRequest, action: str) -> dict[str, str]:
    rate = settings.FORM_RATE_LIMITS.get(action, "")
    if not rate:
        return {}
    return {action: f"{rate}/{'user' if request.user.is_authenticated else 'ip'}"}


def _retry_after(request: HttpRequest, action: str, config: dict[str, str]) -> int:
    """Seconds until the oldest send in the window leaves it (allauth keeps the sends' times, newest first)."""
    rate = ratelimit.parse_rate(config[action])
    key = ratelimit.get_cache_key(request, app=APP, action=action, rate=rate)
    history = cache.get(key) or []
    oldest = history[-1] if history else time.time()
    return max(1, math.ceil(oldest + rate.duration - time.time()))


def form_rate_limit_consume(request: HttpRequest, action: str) -> FormRateLimit:
    """Count one send of the form `action` (a key of settings.FORM_RATE_LIMITS) by the person making `request`."""
    config = _config(request, action)
    usage = ratelimit.consume(request, app=APP, action=action, config=config)
    if usage is not None:
        return FormRateLimit(action=action, usage=usage)
    return FormRateLimit(action=action, usage=None, retry_after=_retry_after(request, action, config))
