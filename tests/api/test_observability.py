"""Metrics, request ids in JSON log lines and Sentry: each off unless its setting asks for it."""

import io
import json
import logging
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.http import HttpResponse
from django.test import Client, RequestFactory
from pythonjsonlogger.json import JsonFormatter

from api.observability import RequestIdFilter, RequestIdMiddleware, install_metrics
from notifications.models import OutboundEmail

pytestmark = pytest.mark.django_db

PROMETHEUS_MIDDLEWARE = (
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
)


@pytest.fixture
def metrics_on(settings):
    settings.PROMETHEUS_METRICS = True
    settings.MIDDLEWARE = [PROMETHEUS_MIDDLEWARE[0], *django_settings.MIDDLEWARE, PROMETHEUS_MIDDLEWARE[1]]
    install_metrics()
    return settings


def test_metrics_are_not_served_unless_asked_for(client):
    assert client.get("/metrics").status_code == 404


def test_metrics_count_requests_and_show_the_outbox(metrics_on):
    OutboundEmail.objects.create(
        recipient="leader@city.example", language="en", template="t", subject="s", text="t", dedup_key="m-1"
    )
    client = Client()
    client.get("/api/v1/clusters/")

    response = client.get("/metrics")
    text = response.content.decode()

    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    assert "django_http_requests_total_by_method_total" in text
    assert "django_http_requests_latency_seconds_by_view_method" in text
    assert "wego_outbox_undelivered 1.0" in text and "wego_outbox_failed 0.0" in text
    assert "wego_outbox_oldest_undelivered_seconds" in text


def test_metrics_answer_only_the_allowed_addresses(metrics_on):
    assert Client(REMOTE_ADDR="192.0.2.10").get("/metrics").status_code == 404


def _json_logger():
    """A logger with a JSON handler like the settings' LOG_JSON one, writing to a string."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s"))
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("tests.observability")
    logger.addHandler(handler)
    return stream, logger, handler


@pytest.mark.parametrize(("sent", "kept"), [("proxy-7f3a:1", True), ("no spaces\nor newlines", False), ("", False)])
def test_every_log_line_of_a_request_carries_its_id(sent, kept):
    stream, logger, handler = _json_logger()

    def view(request):
        logger.warning("Something worth a look")
        return HttpResponse("ok")

    try:
        request = RequestFactory().get("/", HTTP_X_REQUEST_ID=sent) if sent else RequestFactory().get("/")
        response = RequestIdMiddleware(view)(request)
    finally:
        logger.removeHandler(handler)

    line = json.loads(stream.getvalue().splitlines()[0])
    assert line["message"] == "Something worth a look" and line["levelname"] == "WARNING"
    assert line["request_id"] == response["X-Request-ID"]
    assert (response["X-Request-ID"] == sent) is kept
    if not kept:
        assert len(response["X-Request-ID"]) == 32


def test_outside_a_request_log_lines_say_so():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "m", (), None)
    RequestIdFilter().filter(record)
    assert record.request_id == "-"


def _settings_in_a_fresh_process(code: str, **environment) -> str:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "wego_portal.settings",
        "SECRET_KEY": "x" * 50,
        "DATABASE_URL": "sqlite:////tmp/unused.sqlite3",
        **environment,
    }
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=django_settings.BASE_DIR,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_sentry_is_set_up_only_with_a_dsn_and_sends_no_personal_data():
    code = "import sentry_sdk; c = sentry_sdk.get_client(); print(c.is_active(), c.options['send_default_pii'])"

    assert _settings_in_a_fresh_process(code, SENTRY_DSN="http://key@127.0.0.1:9/1") == "True False"
    assert _settings_in_a_fresh_process(code, SENTRY_DSN="").startswith("False")


def test_log_json_puts_the_request_id_middleware_first():
    code = (
        "from django.conf import settings; "
        "print(settings.MIDDLEWARE[0], settings.LOGGING['handlers']['console']['formatter'])"
    )

    assert _settings_in_a_fresh_process(code, LOG_JSON="true") == "api.observability.RequestIdMiddleware json"
