"""Issue 25's calls: staff open a call with a deadline in a named time zone; applications are made for it; a first
submission after the close is refused with the draft kept; extensions; public pages; the reminders before the close."""

import datetime as dt
import zoneinfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from applications.models import ApplicationHistory, CallExtension, ProjectApplication
from applications.services import application_start, call_deadline_reminders_send
from applications.workflow import Action, CallClosed, Status, submission_transition
from clusters.models import Round
from tests.applications.solution_factories import SolutionFactory
from tests.factories import CallFactory, ClusterFactory, OrganisationFactory, ProjectApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def _draft(city, cluster, call, **fields):
    return ProjectApplicationFactory(organisation=city, cluster=cluster, call=call, **fields)


def _close(call, *, ago=dt.timedelta(hours=1)):
    call.opens_at = timezone.now() - dt.timedelta(days=30)
    call.closes_at = timezone.now() - ago
    call.save()


# --- Submitting for a call ---------------------------------------------------------------------------------


def test_a_draft_for_an_open_call_is_submitted(city, cluster, official):
    application = _draft(city, cluster, CallFactory())
    assert submission_transition(application, Action.SUBMIT, by=official).status == Status.SUBMITTED


def test_after_the_close_submitting_is_refused_and_the_draft_kept(city, cluster, official, settings):
    call = CallFactory(title="Smart mobility 2027", time_zone="Asia/Seoul")
    application = _draft(city, cluster, call, summary="What the city typed")
    _close(call)

    with pytest.raises(CallClosed) as refused:
        submission_transition(application, Action.SUBMIT, by=official)

    message = " ".join(refused.value.messages)
    assert "Smart mobility 2027" in message and "Asia/Seoul" in message and "Your draft is kept" in message
    assert settings.SECRETARIAT_EMAIL in message
    application.refresh_from_db()
    assert (application.status, application.summary) == (Status.DRAFT, "What the city typed")
    assert not ApplicationHistory.objects.exists()


def test_a_resubmission_after_the_close_is_not_refused(city, cluster, official):
    """Changes the secretariat asked for answer the review, not the call."""
    call = CallFactory()
    application = _draft(city, cluster, call, status=Status.CHANGES_REQUESTED)
    _close(call)
    assert submission_transition(application, Action.RESUBMIT, by=official).status == Status.SUBMITTED


def test_an_extension_lets_one_organisation_submit_after_the_close(city, cluster, official, other_official, staff_user):
    call = CallFactory()
    ours = _draft(city, cluster, call)
    theirs = _draft(other_official.organisation, cluster, call)
    _close(call)
    CallExtension.objects.create(
        call=call, organisation=city, closes_at=timezone.now() + dt.timedelta(days=2), granted_by=staff_user
    )

    assert submission_transition(ours, Action.SUBMIT, by=official).status == Status.SUBMITTED
    with pytest.raises(CallClosed):
        submission_transition(theirs, Action.SUBMIT, by=other_official)


def test_the_deadline_is_a_moment_in_the_calls_zone_across_a_daylight_saving_change(city, cluster, official):
    """Opened in Paris winter time (UTC+1), closing at 17:00 Paris summer time (UTC+2): 15:00 UTC."""
    call = CallFactory(
        time_zone="Europe/Paris",
        opens_at=dt.datetime(2027, 3, 1, 9, 0, tzinfo=PARIS),
        closes_at=dt.datetime(2027, 3, 29, 17, 0, tzinfo=PARIS),
    )
    call.refresh_from_db()
    assert call.opens_at == dt.datetime(2027, 3, 1, 8, 0, tzinfo=dt.UTC)
    assert call.closes_at == dt.datetime(2027, 3, 29, 15, 0, tzinfo=dt.UTC)
    application = _draft(city, cluster, call)

    assert call.submission_refusal(city.pk, dt.datetime(2027, 3, 29, 14, 59, tzinfo=dt.UTC)) is None
    refusal = call.submission_refusal(city.pk, dt.datetime(2027, 3, 29, 15, 0, tzinfo=dt.UTC))
    assert "March 29, 2027, 5 p.m. (Europe/Paris time)" in refusal
    assert application.status == Status.DRAFT


def test_the_call_must_name_the_cluster(city, official):
    mobility, governance = ClusterFactory(name="Smart Mobility"), ClusterFactory(name="Smart Governance")
    call = CallFactory(clusters=[mobility])
    application = _draft(city, governance, call)
    with pytest.raises(Exception) as refused:
        submission_transition(application, Action.SUBMIT, by=official)
    assert "is for the clusters “Smart Mobility”" in " ".join(refused.value.messages)


# --- Starting a draft for a call ---------------------------------------------------------------------------


def test_a_draft_started_for_a_call_takes_its_round_and_its_one_cluster(official):
    mobility = ClusterFactory(name="Smart Mobility")
    gctc = Round.objects.create(year=2027, name="GCTC 2027", slug="gctc-2027")
    call = CallFactory(clusters=[mobility], round=gctc)
    application = application_start(by=official, title="Bus lanes", call=call)
    assert (application.call, application.round, application.cluster) == (call, gctc, mobility)


def test_a_call_takes_only_what_it_asks_for(official, provider):
    from django.core.exceptions import ValidationError

    from applications.services import solution_start

    closed = CallFactory(
        closes_at=timezone.now() - dt.timedelta(minutes=1), opens_at=timezone.now() - dt.timedelta(days=9)
    )
    for_companies = CallFactory(kind="solutions", eligible_kinds=["company"])
    with pytest.raises(ValidationError, match="takes no more submissions"):
        application_start(by=official, title="Late", call=closed)
    with pytest.raises(ValidationError, match="not for this kind"):
        application_start(by=official, title="Wrong", call=for_companies)
    assert solution_start(by=provider, name="Sensors", call=for_companies).call == for_companies
    nonprofit = UserFactory()
    from tests.factories import OrganisationMembershipFactory

    OrganisationMembershipFactory(user=nonprofit, organisation=OrganisationFactory(kind="nonprofit"), role="admin")
    with pytest.raises(ValidationError, match="is for Company only"):
        solution_start(by=nonprofit, name="Open data", call=for_companies)


def test_the_new_page_offers_open_calls_and_keeps_the_title_when_one_has_closed(client, official, cluster):
    call = CallFactory(title="Open call")
    page = client.get(reverse("applications:new") + f"?call={call.slug}")
    client.force_login(official)
    page = client.get(reverse("applications:new") + f"?call={call.slug}")
    assert page.context["form"]["call"].value() == call.slug
    _close(call)
    response = client.post(
        reverse("applications:new"), {"title": "My bus project", "cluster": cluster.pk, "call": call.slug}
    )
    assert response.status_code == 400
    assert ProjectApplication.objects.count() == 0
    assert "My bus project" in response.text


def test_starting_for_an_open_call_from_the_new_page(client, official, cluster):
    call = CallFactory(title="Open call")
    client.force_login(official)
    response = client.post(
        reverse("applications:new"), {"title": "Bus lanes", "cluster": cluster.pk, "call": call.slug}
    )
    application = ProjectApplication.objects.get()
    assert response.status_code == 302 and application.call == call


def test_submitting_from_the_worksheet_after_the_close_says_why_and_keeps_the_answers(client, city, cluster, official):
    call = CallFactory(title="Closed call")
    application = _draft(city, cluster, call)
    _close(call)
    client.force_login(official)
    edit = reverse("applications:edit", args=[application.pk])
    form = client.get(edit).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update({"summary": "Typed just now", "submit": "1"})
    for prefix in ("team", "partners", "kpis"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    data.update({"kpis-TOTAL_FORMS": 1, "kpis-INITIAL_FORMS": 1})
    kpi = application.kpis.get()
    data.update(
        {
            "kpis-0-id": kpi.pk,
            "kpis-0-name": kpi.indicator.name,
            "kpis-0-unit": kpi.unit,
            "kpis-0-baseline": "12000",
            "kpis-0-target": "7000",
            "kpis-0-how_measured": kpi.how_measured,
        }
    )
    response = client.post(edit, data)
    assert response.status_code == 400, response.text[:2000]
    assert "closed on" in response.text and "Your draft is kept" in response.text
    application.refresh_from_db()
    assert (application.status, application.summary) == (Status.DRAFT, "Typed just now")


# --- Public pages ------------------------------------------------------------------------------------------


def test_the_calls_page_lists_open_announced_and_recently_closed_calls(client):
    CallFactory(title="Open now")
    CallFactory(
        title="Announced",
        opens_at=timezone.now() + dt.timedelta(days=3),
        closes_at=timezone.now() + dt.timedelta(days=30),
    )
    CallFactory(
        title="Closed last week",
        opens_at=timezone.now() - dt.timedelta(days=30),
        closes_at=timezone.now() - dt.timedelta(days=7),
    )
    page = client.get(reverse("calls:list")).text
    assert (
        page.index("Open now")
        < page.index("Announced")
        < page.index("Recently closed")
        < page.index("Closed last week")
    )


@pytest.mark.parametrize("size", [1, 25])
def test_the_calls_page_queries_stay_constant(client, django_assert_num_queries, size):
    clusters = ClusterFactory.create_batch(2)
    for _ in range(size):
        CallFactory(clusters=clusters, round=Round.objects.get_or_create(year=2027, name="GCTC 2027", slug="g27")[0])
        CallFactory(opens_at=timezone.now() - dt.timedelta(days=40), closes_at=timezone.now() - dt.timedelta(days=1))
    # the count, the page of calls, their clusters, the recently closed, their clusters
    with django_assert_num_queries(5):
        response = client.get(reverse("calls:list"))
    assert response.status_code == 200


def test_a_visitor_reads_the_close_in_the_calls_zone_and_the_browser_adds_their_own(client):
    call = CallFactory(
        title="Seoul call", time_zone="Asia/Seoul", closes_at=dt.datetime(2099, 1, 15, 9, 0, tzinfo=dt.UTC)
    )
    page = client.get(call.get_absolute_url()).text
    assert "Jan. 15, 2099, 6 p.m. (Asia/Seoul)" in page
    assert 'datetime="2099-01-15T09:00:00Z"' in page and "data-local=" in page
    assert "js/local-times.js" in page
    assert "Sign in" in page and "Start an application for this call" not in page


def test_a_signed_in_official_reads_their_own_zone_and_starts_from_the_call(client, official):
    official.time_zone = "America/New_York"
    official.save()
    call = CallFactory(time_zone="Asia/Seoul", closes_at=dt.datetime(2099, 1, 15, 9, 0, tzinfo=dt.UTC))
    client.force_login(official)
    page = client.get(call.get_absolute_url()).text
    assert "In your time zone (America/New_York): Jan. 15, 2099, 4 a.m." in page
    assert f"/applications/new/?call={call.slug}" in page


def test_a_company_is_told_a_call_for_cities_is_not_for_it(client, company_user):
    call = CallFactory()
    client.force_login(company_user)
    page = client.get(call.get_absolute_url()).text
    assert "Start an application" not in page and "cities apply with projects" in page


def test_an_unknown_call_is_not_found(client):
    assert client.get(reverse("calls:detail", args=["no-such-call"])).status_code == 404


# --- Reminders ---------------------------------------------------------------------------------------------


def test_drafts_hear_seven_days_and_one_day_before_the_close_once_each(
    city, cluster, official, django_capture_on_commit_callbacks
):
    now = timezone.now()
    call = CallFactory(title="Mobility call", closes_at=now + dt.timedelta(days=6))
    _draft(city, cluster, call, created_by=official, title="Bus lanes")
    _draft(city, cluster, call, created_by=official, title="Sent already", status=Status.SUBMITTED)
    _draft(city, cluster, CallFactory(closes_at=now + dt.timedelta(days=20)), created_by=official, title="Far away")

    with django_capture_on_commit_callbacks(execute=True):
        assert call_deadline_reminders_send(now=now) == 1
        assert call_deadline_reminders_send(now=now + dt.timedelta(hours=1)) == 0  # the scheduler again: nothing
    [week] = mail.outbox
    assert week.to == [official.email]
    assert week.subject == "The call “Mobility call” closes within 7 days: your draft is not submitted"
    assert "Bus lanes" in week.body

    with django_capture_on_commit_callbacks(execute=True):
        call_deadline_reminders_send(now=now + dt.timedelta(days=5, hours=2))
        call_deadline_reminders_send(now=now + dt.timedelta(days=5, hours=2))
    assert [m.subject for m in mail.outbox[1:]] == [
        "The call “Mobility call” closes within a day: your draft is not submitted"
    ]


def test_an_extended_organisation_is_reminded_of_its_own_close(
    city, cluster, official, django_capture_on_commit_callbacks
):
    now = timezone.now()
    call = CallFactory(closes_at=now - dt.timedelta(hours=2), opens_at=now - dt.timedelta(days=20))
    _draft(city, cluster, call, created_by=official)
    CallExtension.objects.create(call=call, organisation=city, closes_at=now + dt.timedelta(hours=20))
    with django_capture_on_commit_callbacks(execute=True):
        assert call_deadline_reminders_send(now=now) == 1
    assert "within a day" in mail.outbox[0].subject


def test_solution_drafts_for_a_call_are_reminded_too(company, provider, cluster, django_capture_on_commit_callbacks):
    call = CallFactory(kind="solutions", closes_at=timezone.now() + dt.timedelta(hours=5))
    SolutionFactory(organisation=company, created_by=provider, clusters=[cluster], call=call, status="draft")
    with django_capture_on_commit_callbacks(execute=True):
        assert call_deadline_reminders_send() == 1
    assert mail.outbox[0].to == [provider.email]
    assert f"/solutions/{call.solutionregistrations.get().pk}/edit/" in mail.outbox[0].body


def test_beat_runs_the_reminders_hourly():
    from wego_portal.celery import app

    entry = app.conf.beat_schedule["call-deadline-reminders"]
    assert entry["task"] == "applications.tasks.send_call_deadline_reminders"


# --- The back office ---------------------------------------------------------------------------------------


def _call_form(**fields) -> dict:
    return {
        "kind": "applications",
        "title": "Smart mobility 2027",
        "slug": "smart-mobility-2027",
        "description": "",
        "time_zone": "Europe/Paris",
        "opens_at_0": "2027-03-01",
        "opens_at_1": "09:00",
        "closes_at_0": "2027-03-29",
        "closes_at_1": "17:00",
        "review_deadline_0": "",
        "review_deadline_1": "",
        "extensions-TOTAL_FORMS": 0,
        "extensions-INITIAL_FORMS": 0,
        "criteria-TOTAL_FORMS": 0,
        "criteria-INITIAL_FORMS": 0,
        **fields,
    }


def test_staff_type_the_moments_in_the_calls_zone_whatever_their_own(client, staff_user):
    from applications.models import Call

    staff_user.time_zone = "Asia/Seoul"
    staff_user.save()
    client.force_login(staff_user)
    response = client.post(reverse("admin:applications_call_add"), _call_form(eligible_kinds=["city"]))
    assert response.status_code == 302, response.text[:3000]
    call = Call.objects.get()
    # Winter time at the opening (UTC+1), summer time at the close (UTC+2).
    assert call.opens_at == dt.datetime(2027, 3, 1, 8, 0, tzinfo=dt.UTC)
    assert call.closes_at == dt.datetime(2027, 3, 29, 15, 0, tzinfo=dt.UTC)
    assert call.eligible_kinds == ["city"]
    page = client.get(reverse("admin:applications_call_change", args=[call.pk])).text
    assert 'value="17:00:00"' in page and "In the call&#x27;s time zone." in page


def test_a_time_the_clocks_skip_is_refused_with_the_reason(client, staff_user):
    client.force_login(staff_user)
    response = client.post(
        reverse("admin:applications_call_add"), _call_form(closes_at_0="2027-03-28", closes_at_1="02:30")
    )
    assert response.status_code == 200
    assert "2027-03-28 02:30 does not exist in Europe/Paris" in response.text
    assert "Smart mobility 2027" in response.text


def test_staff_grant_one_organisation_an_extension(client, staff_user, city):
    call = CallFactory(time_zone="Europe/Paris", closes_at=dt.datetime(2027, 3, 29, 15, 0, tzinfo=dt.UTC))
    client.force_login(staff_user)
    data = _call_form(
        slug=call.slug,
        **{
            "extensions-TOTAL_FORMS": 1,
            "extensions-0-organisation": city.pk,
            "extensions-0-closes_at_0": "2027-04-02",
            "extensions-0-closes_at_1": "12:00",
            "extensions-0-note": "Council vote moved",
        },
    )
    response = client.post(reverse("admin:applications_call_change", args=[call.pk]), data)
    assert response.status_code == 302, response.text[:3000]
    extension = CallExtension.objects.get()
    assert extension.closes_at == dt.datetime(2027, 4, 2, 10, 0, tzinfo=dt.UTC)
    assert extension.granted_by == staff_user
    assert call.closes_for(city.pk) == extension.closes_at


def test_a_company_registers_a_solution_for_a_solutions_call_from_its_page(client, provider, cluster):
    from applications.models import SolutionRegistration

    call = CallFactory(kind="solutions", title="Open data solutions", eligible_kinds=["company"])
    client.force_login(provider)
    page = client.get(call.get_absolute_url()).text
    assert f"/solutions/new/?call={call.slug}" in page and "Register a solution for this call" in page
    form = client.get(reverse("solutions:new") + f"?call={call.slug}").context["form"]
    assert form["call"].value() == call.slug
    response = client.post(reverse("solutions:new"), {"name": "Open data hub", "call": call.slug})
    solution = SolutionRegistration.objects.get(name="Open data hub")
    assert response.status_code == 302 and solution.call == call
    edit = client.get(reverse("solutions:edit", args=[solution.pk])).text
    assert "For the call" in edit and "Open data solutions" in edit
