"""Operations, each behind a setting (docs/settings.md): Prometheus metrics, JSON log lines with a request id.
Error reporting to Sentry is set up in the settings themselves when SENTRY_DSN is set.

- PROMETHEUS_METRICS: django-prometheus counts requests and their latencies (its two middlewares); the outbox's
  backlog, its oldest waiting e-mail and its failed e-mails are read at each scrape (a read-only query), and
  Celery task durations are observed in the workers. /metrics answers only METRICS_ALLOWED_IPS.
- LOG_JSON: every log line is one JSON object, with the request's id (the X-Request-ID the proxy sent, when it is
  a plausible one, else a new one), which the response carries back in X-Request-ID.
"""

import contextvars
import logging
import re
import time
import uuid

from django.conf import settings
from django.http import Http404

from core.client_address import client_address

REQUEST_ID_HEADER = "X-Request-ID"
PLAUSIBLE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
request_id = contextvars.ContextVar("request_id", default="-")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        sent = request.headers.get(REQUEST_ID_HEADER, "")
        current = sent if PLAUSIBLE_REQUEST_ID.fullmatch(sent) else uuid.uuid4().hex
        token = request_id.set(current)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response[REQUEST_ID_HEADER] = current
        return response


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on every log record (`-` outside a request)."""

    def filter(self, record):
        record.request_id = request_id.get()
        return True


class OutboxCollector:
    """The outbox as gauges, read when Prometheus scrapes (one aggregate query, read-only)."""

    def collect(self):
        from prometheus_client.core import GaugeMetricFamily

        from notifications.selectors import oldest_undelivered_email_age, outbox_figures

        figures = outbox_figures()
        age = oldest_undelivered_email_age()
        yield GaugeMetricFamily("wego_outbox_undelivered", "E-mails waiting to leave.", value=figures["undelivered"])
        yield GaugeMetricFamily("wego_outbox_failed", "E-mails that failed for good.", value=figures["failed"])
        yield GaugeMetricFamily(
            "wego_outbox_oldest_undelivered_seconds",
            "How long the oldest e-mail waiting to leave has waited (0: none waits).",
            value=age.total_seconds() if age else 0,
        )


_task_started: dict[str, float] = {}


def _task_prerun(task_id=None, **kwargs):
    _task_started[task_id] = time.monotonic()


def _task_postrun(task_id=None, task=None, state=None, **kwargs):
    started = _task_started.pop(task_id, None)
    if started is not None:
        TASK_SECONDS.labels(task=task.name if task else "?", state=state or "?").observe(time.monotonic() - started)


TASK_SECONDS = None


def install_metrics() -> None:
    """Called once at start-up (ApiConfig.ready) when PROMETHEUS_METRICS is on."""
    global TASK_SECONDS
    from celery import signals
    from prometheus_client import REGISTRY, Histogram

    if TASK_SECONDS is not None:
        return
    REGISTRY.register(OutboxCollector())
    TASK_SECONDS = Histogram("wego_celery_task_seconds", "Celery task durations.", ["task", "state"])
    signals.task_prerun.connect(_task_prerun, weak=False)
    signals.task_postrun.connect(_task_postrun, weak=False)


def metrics(request):
    """/metrics for Prometheus: only with PROMETHEUS_METRICS, only to METRICS_ALLOWED_IPS (else 404)."""
    if not settings.PROMETHEUS_METRICS or client_address(request) not in settings.METRICS_ALLOWED_IPS:
        raise Http404
    from django_prometheus.exports import ExportToDjangoView

    response = ExportToDjangoView(request)
    response["Cache-Control"] = "no-store"
    return response
