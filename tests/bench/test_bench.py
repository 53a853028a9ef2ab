"""The benchmark's pieces, quickly: the dataset command at a tiny scale and the shape of bench/results.json.

`make bench` itself (minutes, a quiet machine) is not part of the suite; no timing is asserted here.
"""

import importlib.util
import io
import json
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from accounts.models import Organisation, User
from applications.models import Kpi, ProjectApplication, SolutionRegistration
from clusters.models import Cluster
from events.models import Event, Registration
from notifications.models import OutboundEmail
from wego_portal.management.commands.bench_dataset import (
    BENCH_PASSWORD,
    OFFICIAL_EMAIL,
    SIZES,
    STAFF_EMAIL,
    SUBMITTER_EMAIL,
)

SCALE = 0.005
RESULTS = Path(settings.BASE_DIR) / "bench" / "results.json"


def _bench_script():
    spec = importlib.util.spec_from_file_location("bench", Path(settings.BASE_DIR) / "scripts" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def dataset(db):
    call_command("bench_dataset", scale=SCALE, stdout=io.StringIO())


def test_the_dataset_has_every_table_at_the_asked_scale(dataset):
    drafts = int(SIZES["drafts"] * SCALE)
    assert Organisation.objects.count() == int(SIZES["organisations"] * SCALE)
    assert User.objects.count() == int(SIZES["users"] * SCALE)
    assert ProjectApplication.objects.count() == int(SIZES["applications"] * SCALE) + drafts
    assert Kpi.objects.count() >= ProjectApplication.objects.count()
    assert SolutionRegistration.objects.count() == int(SIZES["solutions"] * SCALE)
    assert OutboundEmail.objects.count() == int(SIZES["outbox"] * SCALE)
    assert Event.objects.exclude(slug__startswith="bench-").exists()  # the programme's own events too
    assert Registration.objects.exists()
    assert Cluster.objects.count() >= 8


def test_cluster_and_event_names_show_in_every_language(dataset):
    """COPY bypasses django-modeltranslation, so the loader writes the English column itself."""
    with translation.override("fr"):
        assert all(event.name for event in Event.objects.all())
        assert all(cluster.name for cluster in Cluster.objects.all())


def test_the_dataset_people_can_sign_in_and_the_staff_has_an_authenticator(dataset, client):
    assert client.login(email=OFFICIAL_EMAIL, password=BENCH_PASSWORD)
    assert Authenticator.objects.filter(user__email=STAFF_EMAIL, type=Authenticator.Type.TOTP).exists()


def test_the_submitter_has_complete_drafts_ready_to_submit(dataset):
    submitter = User.objects.get(email=SUBMITTER_EMAIL)
    drafts = ProjectApplication.objects.filter(organisation=submitter.organisation, status="draft")
    assert drafts.count() >= int(SIZES["drafts"] * SCALE)
    assert all(not draft.submission_problems() for draft in drafts)


def test_new_rows_after_the_dataset_get_fresh_ids(dataset):
    organisation = Organisation.objects.create(name="After the benchmark", kind="city", country="KR")
    assert organisation.pk > Organisation.objects.exclude(pk=organisation.pk).order_by("-pk").first().pk


def test_results_json_has_the_issues_shape():
    results = json.loads(RESULTS.read_text())
    assert set(results["floor"]) >= {"rps", "p95_ms"}
    page_keys = {"name", "path", "audience", "rps", "p50_ms", "p95_ms", "p99_ms", "queries", "queries_at_100_rows"}
    assert results["pages"] and all(set(page) >= page_keys for page in results["pages"])
    assert {page["audience"] for page in results["pages"]} == {"public", "signed-in", "admin"}
    assert set(results["export"]) >= {"rows", "seconds", "peak_mb"}
    assert set(results["submissions"]) >= {"count", "per_second", "emails_expected", "emails_sent"}
    assert "dataset_seconds" in results


def test_the_report_flags_a_slow_public_page_and_a_page_with_too_many_queries():
    bench = _bench_script()
    page = {"name": "Home", "path": "/", "audience": "public", "rps": 100.0, "p50_ms": 20.0, "p95_ms": 80.0}
    page |= {"p99_ms": 90.0, "queries": 12, "queries_at_100_rows": 12, "floor_ratio": 0.1, "errors": 0}
    results = {
        "floor": {"rps": 1000.0, "p50_ms": 1.0, "p95_ms": 2.0, "p99_ms": 3.0},
        "pages": [page],
        "export": {"rows": 20000, "seconds": 3.0, "peak_mb": 90.0},
        "submissions": {"count": 10, "attempted": 10, "emails_expected": 20, "emails_sent": 20},
    }
    missed = bench.check_targets(results)
    assert any("p95 80.0 ms" in line for line in missed)
    assert any("12 queries" in line for line in missed)
    assert any("floor" in line for line in missed)
    assert "Home" in bench.table(results)
