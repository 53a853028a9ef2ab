"""The benchmark's pieces, quickly: the dataset command at a tiny scale, the mixed phase's writers against a live
server, and the shape of bench/results.json.

`make bench` itself (minutes, a quiet machine) is not part of the suite; no timing is asserted here.
"""

import importlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from accounts.models import Organisation, User
from applications.models import Kpi, Message, ProgressReport, ProjectApplication, SolutionRegistration
from bench.management.commands.bench_dataset import (
    BENCH_PASSWORD,
    OFFICIAL_EMAIL,
    SIZES,
    STAFF_EMAIL,
    SUBMITTER_EMAIL,
    WRITER_EMAILS,
    writer_plan,
)
from bench.management.commands.bench_dataset import Command as BenchDataset
from clusters.models import Cluster, ClusterMembership
from events.models import Event, Registration
from notifications.models import OutboundEmail
from teams.models import Team, TeamMembership

SCALE = 0.005
RESULTS = Path(settings.BASE_DIR) / "bench" / "results.json"


def _bench_script():
    return importlib.import_module("bench.run")


# The bench app is installed only by bench/settings.py: the suite runs its dataset command object directly.
@pytest.fixture
def dataset(db):
    call_command(BenchDataset(), scale=SCALE, stdout=io.StringIO())


def test_the_dataset_has_every_table_at_the_asked_scale(dataset):
    drafts = int(SIZES["drafts"] * SCALE)
    writers = len(WRITER_EMAILS)  # at every scale, beside the sized rows: a city, its administrator and a draft each
    assert Organisation.objects.count() == int(SIZES["organisations"] * SCALE) + writers
    assert User.objects.count() == int(SIZES["users"] * SCALE) + writers
    assert ProjectApplication.objects.count() == int(SIZES["applications"] * SCALE) + drafts + writers
    assert Kpi.objects.count() >= ProjectApplication.objects.count()
    # Projects under way report quarterly, so the KPI benchmark pages rank measured values, not only baselines.
    assert ProgressReport.objects.filter(kpi__application__status="accepted").exists()
    assert SolutionRegistration.objects.count() == int(SIZES["solutions"] * SCALE)
    assert Message.objects.count() == int(SIZES["messages"] * SCALE)
    assert Message.objects.filter(internal=True, side="secretariat").exists()
    assert OutboundEmail.objects.count() == int(SIZES["outbox"] * SCALE)
    assert Team.objects.count() == int(SIZES["teams"] * SCALE)
    assert TeamMembership.objects.filter(role="lead_city").count() == Team.objects.count()
    assert Event.objects.exclude(slug__startswith="bench-").exists()  # the programme's own events too
    assert Registration.objects.exists()
    assert Cluster.objects.count() >= 8


def test_every_public_page_of_the_benchmark_answers_with_what_it_is_about(dataset, client):
    pages = {page["name"]: page for page in _bench_script().resolve_pages() if page["audience"] == "public"}
    for page in pages.values():
        assert client.get(page["path"]).status_code == 200, page["name"]
    benchmark = client.get(pages["KPI benchmark"]["path"]).text
    assert "<svg" in benchmark and "<table" in benchmark
    assert client.get(pages["API: cases"]["path"]).json()["results"]


def test_every_signed_in_page_of_the_benchmark_opens_for_its_account(dataset, client):
    for page in _bench_script().resolve_pages():
        if "as" not in page or page["audience"] == "admin":  # the admin's lists: test_admin_rows_... below
            continue
        client.force_login(User.objects.get(email=page["as"]))
        response = client.get(page["path"])
        assert response.status_code == 200, page["name"]
        if page["name"] == "Cluster page, signed in":
            assert 'id="membership-heading"' in response.text  # the reader's own panel, beside the kept column


def test_cluster_and_event_names_show_in_every_language(dataset):
    """COPY bypasses django-modeltranslation, so the loader writes the English column itself."""
    with translation.override("fr"):
        assert all(event.name for event in Event.objects.all())
        assert all(cluster.name for cluster in Cluster.objects.all())


def test_people_wait_only_for_full_events(dataset):
    """As the portal does it: a waiting list only where the confirmed places reach the capacity, so a writer's
    cancellation frees one place for one person, as in production."""
    from django.db.models import Count, Q

    from events.models import Event

    events = Event.objects.annotate(
        confirmed=Count("registrations", filter=Q(registrations__status="confirmed")),
        waiting=Count("registrations", filter=Q(registrations__status="waitlisted")),
    )
    for event in events.filter(waiting__gt=0):
        assert event.capacity is not None and event.confirmed >= event.capacity


def test_the_dataset_people_can_sign_in_and_the_staff_has_an_authenticator(dataset, client):
    assert client.login(email=OFFICIAL_EMAIL, password=BENCH_PASSWORD)
    assert Authenticator.objects.filter(user__email=STAFF_EMAIL, type=Authenticator.Type.TOTP).exists()


def test_the_submitter_has_complete_drafts_ready_to_submit(dataset):
    submitter = User.objects.get(email=SUBMITTER_EMAIL)
    drafts = ProjectApplication.objects.filter(organisation=submitter.organisation, status="draft")
    assert drafts.count() >= int(SIZES["drafts"] * SCALE)
    assert all(not draft.submission_problems() for draft in drafts)


def test_admin_rows_top_the_admin_lists_up_without_touching_the_portal_pages(db):
    call_command(BenchDataset(), scale=SCALE, admin_rows=600, stdout=io.StringIO())
    assert ProjectApplication.objects.count() == 600
    assert Registration.objects.count() == 600
    assert OutboundEmail.objects.count() == 600
    # The extra applications are withdrawn ideas: never on a public page, nor the benchmark official's or submitter's.
    official, submitter = User.objects.get(email=OFFICIAL_EMAIL), User.objects.get(email=SUBMITTER_EMAIL)
    extra = ProjectApplication.objects.filter(title__endswith=", withdrawn")
    assert extra.count() == 600 - int(SIZES["applications"] * SCALE) - int(SIZES["drafts"] * SCALE) - len(WRITER_EMAILS)
    assert set(extra.values_list("status", flat=True)) == {"withdrawn"}
    assert not extra.filter(organisation__in=[official.organisation, submitter.organisation]).exists()


def test_every_writer_has_a_draft_an_event_taking_registrations_and_an_open_cluster(dataset):
    plan = writer_plan()
    assert [row["email"] for row in plan] == WRITER_EMAILS
    for row in plan:
        draft = ProjectApplication.objects.get(pk=row["draft"])
        assert draft.status == "draft" and draft.created_by.email == row["email"]
        assert Event.objects.upcoming().filter(slug=row["event"]).exists()
        assert Cluster.objects.get(slug=row["cluster"]).status == "active"


@pytest.fixture
def live_dataset(transactional_db):
    call_command(BenchDataset(), scale=SCALE, stdout=io.StringIO())


def test_a_writer_makes_every_kind_of_write_through_the_real_forms_and_can_repeat(live_dataset, live_server):
    bench = _bench_script()
    plan = writer_plan()[0]
    draft_before = ProjectApplication.objects.get(pk=plan["draft"])
    browser = bench.sign_in(live_server.url, plan["email"], BENCH_PASSWORD, login_path=reverse("account_login"))
    writer = bench.Writer(browser, plan)

    kinds = [writer.write_next() for _ in range(2 * len(writer.CYCLE))]

    cycle = ["draft", "register", "join", "draft", "cancel", "withdraw"]
    assert kinds == cycle * 2
    draft = ProjectApplication.objects.get(pk=plan["draft"])
    assert draft.summary == "Saved by the benchmark's writer, time 4."
    # The worksheet went back as the page showed it: nothing else changed.
    assert (draft.status, draft.title, draft.problem, draft.approach, draft.cluster_id) == (
        "draft",
        draft_before.title,
        draft_before.problem,
        draft_before.approach,
        draft_before.cluster_id,
    )
    registrations = Registration.objects.filter(user__email=plan["email"], event__slug=plan["event"])
    assert list(registrations.values_list("status", flat=True)) == ["cancelled", "cancelled"]
    memberships = ClusterMembership.objects.filter(cluster__slug=plan["cluster"], organisation=draft.organisation)
    assert list(memberships.values_list("status", flat=True)) == ["withdrawn", "withdrawn"]


def _two_writers(live_server, *, rate: float):
    """A started (switched off) pool of the dataset's first two writers, signed in to the live server."""
    bench = _bench_script()
    login = reverse("account_login")
    writers = [
        bench.Writer(bench.sign_in(live_server.url, row["email"], BENCH_PASSWORD, login_path=login), row)
        for row in writer_plan()[:2]
    ]
    pool = bench.WriterPool(writers, rate=rate)
    pool.start()
    return pool


def _write_until(pool, *, writes: int) -> None:
    """Switch the pool on until it has made `writes` writes, then off."""
    pool.switch_on()
    with pool.condition:
        assert pool.condition.wait_for(lambda: pool.counts["writes"] >= writes, timeout=60)
    pool.switch_off()


def test_the_writer_pool_counts_writes_and_leaves_no_write_running_when_switched_off(live_dataset, live_server):
    pool = _two_writers(live_server, rate=50)
    writers = pool.writers
    try:
        _write_until(pool, writes=6)
        written = pool.counts["writes"]
        saved = ProjectApplication.objects.filter(pk__in=[w.plan["draft"] for w in writers]).values_list(
            "summary", flat=True
        )
        assert pool.in_flight == 0 and pool.counts["writes"] == written
    finally:
        pool.stop()
    report = pool.report()
    assert report["failed"] == 0 and report["refused"] == 0, report["problems"]
    assert report["writes"] == written and sum(report["by_kind"].values()) == written
    assert report["per_second"] > 0 and report["writers"] == 2
    assert all(summary.startswith("Saved by the benchmark's writer") for summary in saved)


def test_switching_the_writers_off_does_not_wait_for_writes_not_yet_due(live_dataset, live_server):
    """The writers' rate is writes / seconds switched on: a writer waiting for a write due 10 s later must not hold
    switching off (and count those seconds), since that write is dropped, not made."""
    pool = _two_writers(live_server, rate=0.1)  # the first write at once, the second 10 s later
    try:
        _write_until(pool, writes=1)
        assert pool.in_flight == 0
    finally:
        pool.stop()
    report = pool.report()
    assert report["writes"] == 1 and report["failed"] == 0 and report["refused"] == 0, report["problems"]
    assert report["seconds"] < 9, report


def test_new_rows_after_the_dataset_get_fresh_ids(dataset):
    organisation = Organisation.objects.create(name="After the benchmark", kind="city", country="KR")
    assert organisation.pk > Organisation.objects.exclude(pk=organisation.pk).order_by("-pk").first().pk


def test_results_json_has_the_issues_shape():
    results = json.loads(RESULTS.read_text())
    assert set(results["floor"]) >= {"rps", "p95_ms"}
    page_keys = {"name", "path", "audience", "rps", "p50_ms", "p95_ms", "p99_ms", "queries", "queries_at_100_rows"}
    page_keys |= {"cpu_ms"}
    assert results["pages"] and all(set(page) >= page_keys for page in results["pages"])
    assert {page["audience"] for page in results["pages"]} == {"public", "signed-in", "token", "admin"}
    assert set(results["export"]) >= {"rows", "seconds", "peak_mb"}
    assert set(results["submissions"]) >= {"count", "per_second", "emails_expected", "emails_sent"}
    assert "dataset_seconds" in results
    assert set(results["mixed"]) == {page["name"] for page in results["pages"]}
    mixed_keys = {"audience", "rps", "p50_ms", "p95_ms", "requests", "rps_no_writes", "ratio", "writes_per_second"}
    mixed_keys |= {"cpu_ms"}
    assert all(set(page["cpu_ms"]) == {"web", "database"} for page in [*results["pages"], *results["mixed"].values()])
    assert all(set(page) >= mixed_keys for page in results["mixed"].values())
    assert set(results["mixed_writes"]) >= {"writes", "failed", "refused", "per_second", "target_per_second"}


def test_the_cpu_of_a_web_worker_that_ended_still_counts():
    """A process that ended during a page's run (a database connection closed, a worker replaced) leaves its
    CPU in its parent's count of ended children: the figures never go down."""
    bench = _bench_script()
    before = bench.cpu_seconds(os.getpid())  # this process stands for gunicorn's master: its children are workers

    subprocess.run(
        [sys.executable, "-c", "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass"],
        check=True,
    )

    assert bench.cpu_seconds(os.getpid())["web"] - before["web"] >= 0.25


def _stretch(requests: int, seconds: float, latencies_ms: list[float], web: float = 0.0) -> dict:
    """A wrk run as bench.wrk() returns it: 200 quantiles, cycling through `latencies_ms` in order."""
    quantiles = sorted(int(latencies_ms[k * len(latencies_ms) // 200] * 1000) for k in range(200))
    return {"requests": requests, "seconds": seconds, "errors": 0, "quantiles_us": quantiles}


def test_stretches_combine_into_one_page_figure_weighted_by_their_requests():
    """The mixed phase alternates short stretches with and without writes; each side's figures are those of all
    its requests together, so a slow stretch with few requests weighs what its requests weigh."""
    bench = _bench_script()
    fast = _stretch(900, 2.0, [10.0]) | {"cpu": {"web": 0.9, "database": 0.18}}
    slow = _stretch(100, 2.0, [50.0]) | {"cpu": {"web": 0.3, "database": 0.02}}

    combined = bench.combine_runs([fast, slow])

    assert combined["rps"] == 250.0  # 1,000 requests in 4 seconds
    assert combined["requests"] == 1000
    assert combined["p50_ms"] == 10.0  # nine in ten requests took 10 ms
    assert combined["p95_ms"] == 50.0  # the slowest tenth, all from the slow stretch
    assert combined["cpu_ms"] == {"web": 1.2, "database": 0.2}  # CPU seconds per request, in milliseconds


def test_one_stretch_combines_into_its_own_percentiles():
    bench = _bench_script()
    latencies = [float(ms) for ms in range(1, 201)]  # 1 ms to 200 ms, one quantile each
    combined = bench.combine_runs([_stretch(2000, 10.0, latencies) | {"cpu": {"web": 2.0, "database": 0.0}}])

    assert (combined["p50_ms"], combined["p95_ms"], combined["p99_ms"]) == (100.0, 190.0, 198.0)
    assert combined["rps"] == 200.0


def test_wrk_reports_the_quantiles_that_stretches_combine_from(live_server):
    """Against a live server, with the reporter `make bench` uses (wrk comes with .ci/run)."""
    bench = _bench_script()

    run = bench.wrk(live_server.url + "/robots.txt", cookie="", seconds=1, connections=2)

    assert run["requests"] > 0 and run["errors"] == 0
    assert len(run["quantiles_us"]) == 200 and run["quantiles_us"] == sorted(run["quantiles_us"])
    assert run["quantiles_us"][0] <= run["p50_ms"] * 1000 <= run["quantiles_us"][-1]


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


def test_the_report_flags_the_mixed_phase_targets():
    bench = _bench_script()
    mixed = {
        "Home": {"audience": "public", "ratio": 0.5, "p95_ms": 9.0},
        "Cluster page": {"audience": "public", "ratio": 0.9, "p95_ms": 9.0},
        "Leader page": {"audience": "signed-in", "ratio": 0.9, "p95_ms": 130.0},
        "Admin: outbox": {"audience": "admin", "ratio": 0.9, "p95_ms": 160.0},
        "My applications": {"audience": "signed-in", "ratio": 0.0, "p95_ms": 0.0, "requests": 0},
    }
    for page in mixed.values():
        page |= {"rps": 100.0, "p50_ms": 5.0, "rps_no_writes": 120.0, "writes_per_second": 10.0, "errors": 0}
    writes = {"target_per_second": 10, "per_second": 7.5, "failed": 2, "refused": 0, "problems": ["POST /x: 500"]}
    writes |= {"writes": 300, "writers": 4, "seconds": 40.0, "by_kind": {"draft": 300}}

    missed = bench.check_mixed_targets({"mixed": mixed, "mixed_writes": writes})

    assert any(line.startswith("Home with writes: 0.50") for line in missed)
    assert not any(line.startswith("Cluster page") for line in missed)
    assert any(line.startswith("Leader page with writes: p95 130.0 ms") for line in missed)
    assert any(line.startswith("Admin: outbox with writes: p95 160.0 ms") for line in missed)
    assert any("2 writes failed" in line and "POST /x: 500" in line for line in missed)
    assert any("7.5 writes/s of the 10 asked" in line for line in missed)
    assert "My applications with writes: no request answered within the run" in missed
    assert "Leader page" in bench.mixed_table({"mixed": mixed})


def test_the_token_pages_are_counted_with_the_citys_token(dataset):
    """The organisation token's lists (issue 26) are measured as a program calls them, with a read-only token."""
    bench = _bench_script()
    pages = [page for page in bench.resolve_pages() if page["audience"] == "token"]

    counts = bench.count_queries(pages)

    assert {page["name"] for page in pages} == {"API token: applications", "API token: registrations"}
    assert all(0 < count <= 10 for count in counts.values())
