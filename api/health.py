"""/health/live and /health/ready for load balancers and monitoring (django-health-check).

live: the process answers (no dependency is asked, so a database outage never gets web processes restarted).
ready: the database, the shared cache, the Celery broker (Redis), the file storage of uploads, and the
outbox: the oldest e-mail still waiting to leave must be younger than HEALTH_OUTBOX_MAX_AGE_MINUTES. Each check
runs in parallel with its own timeout; the answer is JSON, 200 when all pass, 503 when any fails, naming it.
"""

import dataclasses
import datetime as dt

from asgiref.sync import sync_to_async
from django.conf import settings
from health_check.base import HealthCheck
from health_check.checks import Cache, Database, Storage
from health_check.contrib.redis import Redis
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView
from redis.asyncio import Redis as RedisClient

from notifications.selectors import oldest_undelivered_email_age

BROKER_TIMEOUT_SECONDS = 2


@dataclasses.dataclass
class OutboxBacklog(HealthCheck):
    """E-mails leave within `max_age`: an older one waiting means no worker delivers (or the mail server
    refuses everything). Read-only: one aggregate over the outbox."""

    max_age: dt.timedelta = dataclasses.field(default=dt.timedelta(hours=1))

    async def run(self):
        # In the request's own thread, with its database connection (closed with the request as usual).
        age = await sync_to_async(oldest_undelivered_email_age)()
        if age is not None and age > self.max_age:
            raise ServiceUnavailable(
                f"The oldest e-mail waiting to leave was queued {int(age.total_seconds() // 60)} minutes ago"
            )


def _broker_check() -> HealthCheck | None:
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://")):
        return None  # tasks run in-process (the zero-setup run): no broker to ask
    return Redis(
        client_factory=lambda: RedisClient.from_url(
            url, socket_connect_timeout=BROKER_TIMEOUT_SECONDS, socket_timeout=BROKER_TIMEOUT_SECONDS
        )
    )


class JsonHealthCheckView(HealthCheckView):
    """The library's view answering JSON whatever the client accepts, and 503 (not 500) when unhealthy."""

    async def dispatch(self, request, *args, **kwargs):
        response = await super().dispatch(request, *args, **kwargs)
        if response.status_code == 500:
            response.status_code = 503
        return response

    def render_to_response(self, context, **response_kwargs):
        return self.render_to_response_json(response_kwargs.get("status", 200))


class LiveView(JsonHealthCheckView):
    checks = ()


class ReadyView(JsonHealthCheckView):
    def get_checks(self):
        checks = [Database(), Cache(), Storage()]
        broker = _broker_check()
        if broker is not None:
            checks.append(broker)
        if settings.HEALTH_OUTBOX_MAX_AGE_MINUTES:
            checks.append(OutboxBacklog(max_age=dt.timedelta(minutes=settings.HEALTH_OUTBOX_MAX_AGE_MINUTES)))
        yield from checks


live = LiveView.as_view()
ready = ReadyView.as_view()
