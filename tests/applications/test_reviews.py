"""Issue 25's scores: a call's criteria with weights; staff assign reviewers (staff, or leaders of the cluster, none
from the applicant or a partner in its team); reviewers score each criterion 1-5 with a comment; staff see the
weighted mean and the spread and sort by them; applicants never see scores or reviewers' names; reminders."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications.models import Criterion, ReviewAssignment, Score
from applications.services import (
    call_criteria_start,
    review_reminders_send,
    review_save,
    reviewer_assign,
)
from tests.applications.solution_factories import SolutionFactory
from tests.factories import (
    CallFactory,
    ClusterFactory,
    OrganisationMembershipFactory,
    SubmittedApplicationFactory,
    UserFactory,
)
from tests.teams.factories import TeamFactory, TeamMembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def call():
    call = CallFactory(review_deadline=timezone.now() + dt.timedelta(days=20))
    call_criteria_start(call)
    return call


@pytest.fixture
def application(city, cluster, call):
    return SubmittedApplicationFactory(organisation=city, cluster=cluster, call=call, title="Bus priority lanes")


def _score_all(application, reviewer, values, comment=""):
    criteria = list(application.call.criteria.all())
    return review_save(
        submission=application,
        by=reviewer,
        scores={criterion: (value, comment) for criterion, value in zip(criteria, values, strict=True)},
    )


def test_a_new_call_starts_with_the_gctc_criteria_and_their_weights(call):
    assert [(c.name, c.weight) for c in call.criteria.all()] == [
        ("Impact and measurable benefits", 3),
        ("Replicability and scalability", 2),
        ("Interoperability and standards", 2),
        ("Cybersecurity and privacy", 2),
        ("Partnership", 1),
    ]
    call_criteria_start(call)  # never twice
    assert call.criteria.count() == 5


def test_a_call_for_solutions_asks_the_same_of_what_companies_offer(solution_call):
    criteria = list(solution_call.criteria.all())
    assert [c.weight for c in criteria] == [3, 2, 2, 2, 1] and criteria[0].name == "Impact and measurable benefits"
    assert criteria[0].description.startswith("Does the solution solve a real city problem")


# --- Who may review ----------------------------------------------------------------------------------------


def test_staff_assign_staff_and_the_clusters_leader_who_are_emailed(
    application, staff_user, leader, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reviewer_assign(submission=application, reviewer=leader, by=staff_user)
        reviewer_assign(submission=application, reviewer=staff_user, by=staff_user)
        reviewer_assign(submission=application, reviewer=leader, by=staff_user)  # again: nothing new
    assert set(application.review_assignments.values_list("reviewer", flat=True)) == {leader.pk, staff_user.pk}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([leader.email, staff_user.email])
    assert mail.outbox[0].subject == "Please review “Bus priority lanes”"
    assert "never sees your scores" in mail.outbox[0].body


def test_reviewers_with_a_conflict_or_no_place_are_refused_with_the_reason(application, staff_user, city):
    other_leader = UserFactory(full_name="Otto Other")
    ClusterFactory(leaders=[other_leader])
    with pytest.raises(ValidationError, match="neither secretariat staff nor a leader"):
        reviewer_assign(submission=application, reviewer=other_leader, by=staff_user)

    own = OrganisationMembershipFactory(organisation=city, user__full_name="Ada Own").user
    application.cluster.leaders.add(own)
    with pytest.raises(ValidationError, match="acts for City of Daejeon, the applicant"):
        reviewer_assign(submission=application, reviewer=own, by=staff_user)

    partner = OrganisationMembershipFactory(organisation__name="Sensor Partner", user__full_name="Pat Partner").user
    application.cluster.leaders.add(partner)
    team = TeamFactory(lead_organisation=city, application=application)
    TeamMembershipFactory(team=team, organisation=partner.organisation)
    with pytest.raises(ValidationError, match="acts for Sensor Partner, a partner in the project's team"):
        reviewer_assign(submission=application, reviewer=partner, by=staff_user)
    assert not ReviewAssignment.objects.exists()


def test_only_staff_assign_and_only_applications_for_a_call(application, leader, city, cluster, staff_user):
    with pytest.raises(PermissionDenied):
        reviewer_assign(submission=application, reviewer=leader, by=leader)
    outside = SubmittedApplicationFactory(organisation=city, cluster=cluster)
    with pytest.raises(ValidationError, match="made for a call"):
        reviewer_assign(submission=outside, reviewer=leader, by=staff_user)


# --- Scoring -----------------------------------------------------------------------------------------------


def test_scores_give_each_reviewers_weighted_mean_their_mean_and_spread(application, staff_user, leader):
    for reviewer in (leader, staff_user):
        reviewer_assign(submission=application, reviewer=reviewer, by=staff_user)
    # weights 3, 2, 2, 2, 1
    first = _score_all(application, leader, [5, 4, 4, 3, 2], comment="Clear KPIs")  # (15+8+8+6+2)/10 = 3.9
    _score_all(application, staff_user, [3, 3, 3, 3, 3])  # 3.0

    application.refresh_from_db()
    assert (application.review_score, application.review_spread, application.review_count) == (3.45, 0.9, 2)
    assert first.completed_at is not None
    assert Score.objects.filter(assignment=first, comment="Clear KPIs").count() == 5

    _score_all(application, staff_user, [4, 4, 4, 4, 4])  # changed their mind: 4.0
    application.refresh_from_db()
    assert (application.review_score, application.review_spread) == (3.95, 0.1)


def test_a_reviewer_who_scored_part_is_not_done(application, staff_user, leader):
    reviewer_assign(submission=application, reviewer=leader, by=staff_user)
    first = application.call.criteria.first()
    assignment = review_save(submission=application, by=leader, scores={first: (4, "")})
    assert assignment.completed_at is None
    application.refresh_from_db()
    assert (application.review_score, application.review_count) == (4.0, 1)


def test_nobody_unassigned_scores_and_nobody_scores_a_decided_application(application, staff_user, leader, official):
    for person in (leader, official, staff_user):
        with pytest.raises(PermissionDenied):
            _score_all(application, person, [3] * 5)
    reviewer_assign(submission=application, reviewer=leader, by=staff_user)
    application.status = "accepted"
    application.save()
    with pytest.raises(PermissionDenied):
        _score_all(application, leader, [3] * 5)


# --- Pages -------------------------------------------------------------------------------------------------


def _score_form(application, values, comment="") -> dict:
    data = {}
    for criterion, value in zip(application.call.criteria.all(), values, strict=True):
        data[f"score_{criterion.pk}"] = value
        data[f"comment_{criterion.pk}"] = comment
    return data


def test_the_reviewer_scores_on_the_application_page(client, application, staff_user, leader):
    reviewer_assign(submission=application, reviewer=leader, by=staff_user)
    client.force_login(leader)
    page = client.get(application.get_absolute_url()).text
    assert "Your scores" in page and "5 · excellent" in page

    incomplete = _score_form(application, ["4", "", "3", "3", "2"], comment="Typed before the mistake")
    response = client.post(reverse("applications:review", args=[application.pk]), incomplete)
    assert response.status_code == 400
    assert "Choose a score from 1 (weak) to 5 (excellent)." in response.text
    assert "Typed before the mistake" in response.text
    assert not Score.objects.exists()

    response = client.post(reverse("applications:review", args=[application.pk]), _score_form(application, [4] * 5))
    assert response.status_code == 302
    assert Score.objects.filter(assignment__reviewer=leader).count() == 5
    assert 'value="4" class="form-check-input" id="id_score_' in client.get(application.get_absolute_url()).text or (
        "checked" in client.get(application.get_absolute_url()).text
    )


def test_the_applicant_never_sees_scores_or_reviewers(client, application, staff_user, leader, official):
    leader.full_name = "Lea Leader"
    leader.save()
    reviewer_assign(submission=application, reviewer=leader, by=staff_user)
    _score_all(application, leader, [5, 5, 5, 5, 5], comment="Secret praise")
    client.force_login(official)
    page = client.get(application.get_absolute_url()).text
    assert "Review scores" not in page and "Secret praise" not in page and "Lea Leader" not in page
    response = client.post(reverse("applications:review", args=[application.pk]), _score_form(application, [1] * 5))
    assert response.status_code == 403
    assert Score.objects.filter(value=1).count() == 0


def test_staff_read_every_reviewer_and_score(client, application, staff_user, leader):
    leader.full_name = "Lea Leader"
    leader.save()
    reviewer_assign(submission=application, reviewer=leader, by=staff_user)
    _score_all(application, leader, [5, 4, 4, 3, 2], comment="Clear KPIs")
    client.force_login(staff_user)
    page = client.get(application.get_absolute_url()).text
    assert "Lea Leader" in page and "Clear KPIs" in page and "Weighted mean 3.90 of 5 from one reviewer." in page


def test_the_staff_view_of_scores_costs_the_same_queries_with_more_reviewers(client, city, cluster, call, staff_user):
    def page_queries(reviewers: int) -> int:
        application = SubmittedApplicationFactory(organisation=city, cluster=cluster, call=call)
        for _ in range(reviewers):
            leader = UserFactory()
            cluster.leaders.add(leader)
            reviewer_assign(submission=application, reviewer=leader, by=staff_user)
            _score_all(application, leader, [3, 4, 5, 4, 3], comment="Fine")
        client.force_login(staff_user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(application.get_absolute_url()).status_code == 200
        return len(queries)

    assert page_queries(1) == page_queries(6)


def test_my_reviews_lists_what_waits_first_in_constant_queries(client, city, cluster, call, staff_user, leader):
    def listed(count: int) -> int:
        for _ in range(count):
            application = SubmittedApplicationFactory(organisation=city, cluster=cluster, call=call)
            reviewer_assign(submission=application, reviewer=leader, by=staff_user)
        client.force_login(leader)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("applications:reviews"))
        assert response.status_code == 200
        return len(queries)

    assert listed(1) == listed(10)
    scored = ReviewAssignment.objects.filter(reviewer=leader).first()
    _score_all(scored.application, leader, [3] * 5)
    page = client.get(reverse("applications:reviews")).text
    assert page.count(">to score<") == 10 and page.rindex(">to score<") < page.index(">scored<")


def test_the_back_office_list_sorts_by_score(client, city, cluster, call, staff_user, leader):
    for title, values in (("Low", [1] * 5), ("High", [5] * 5), ("Middle", [3] * 5)):
        application = SubmittedApplicationFactory(organisation=city, cluster=cluster, call=call, title=title)
        reviewer_assign(submission=application, reviewer=leader, by=staff_user)
        _score_all(application, leader, values)
    client.force_login(staff_user)
    changelist = reverse("admin:applications_projectapplication_changelist")
    response = client.get(changelist)
    column = response.context["cl"].list_display.index("review_score")
    ordered = client.get(changelist, {"o": f"-{column}"}).context["cl"].result_list
    assert [application.title for application in ordered][:3] == ["High", "Middle", "Low"]


def test_a_call_added_in_the_back_office_gets_the_starting_criteria(client, staff_user):
    from applications.models import Call

    client.force_login(staff_user)
    data = {
        "kind": "applications",
        "title": "Scored call",
        "slug": "scored-call",
        "time_zone": "UTC",
        "opens_at_0": "2027-01-01",
        "opens_at_1": "09:00",
        "closes_at_0": "2027-02-01",
        "closes_at_1": "17:00",
        "criteria-TOTAL_FORMS": 0,
        "criteria-INITIAL_FORMS": 0,
        "extensions-TOTAL_FORMS": 0,
        "extensions-INITIAL_FORMS": 0,
    }
    response = client.post(reverse("admin:applications_call_add"), data)
    assert response.status_code == 302, response.text[:2000]
    assert Criterion.objects.filter(call=Call.objects.get()).count() == 5


# --- Reminders ---------------------------------------------------------------------------------------------


def test_reviewers_hear_three_days_before_reviews_are_due_once(
    application, call, staff_user, leader, django_capture_on_commit_callbacks
):
    call.review_deadline = timezone.now() + dt.timedelta(days=2)
    call.save()
    done = UserFactory()
    application.cluster.leaders.add(done)
    with django_capture_on_commit_callbacks(execute=True):
        reviewer_assign(submission=application, reviewer=leader, by=staff_user)
        reviewer_assign(submission=application, reviewer=done, by=staff_user)
    _score_all(application, done, [3] * 5)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert review_reminders_send() == 1
        assert review_reminders_send() == 0  # the scheduler again: nothing more
    [reminder] = mail.outbox
    assert reminder.to == [leader.email]
    assert reminder.subject == "Your review of “Bus priority lanes” is due soon"


def test_no_reminder_while_the_deadline_is_far(
    application, call, staff_user, leader, django_capture_on_commit_callbacks
):
    reviewer_assign(submission=application, reviewer=leader, by=staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        assert review_reminders_send() == 0


def _admin_form_data(response) -> dict:
    """What the admin change page's form and inline formsets would post back unchanged."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            if isinstance(value, list | tuple):
                data[field.html_name] = [str(v) for v in value]
            else:
                data[field.html_name] = value
    return data


def _add_reviewer_in_back_office(client, change: str, reviewer, *, row: int):
    """Post the submission's back-office page unchanged but for one more reviewer in its Reviewers part."""
    data = _admin_form_data(client.get(change))
    data.update({"review_assignments-TOTAL_FORMS": row + 1, f"review_assignments-{row}-reviewer": reviewer.pk})
    return client.post(change, data)


def test_staff_assign_a_reviewer_on_the_back_office_page_and_a_conflict_is_refused(
    client, application, staff_user, leader, city, django_capture_on_commit_callbacks
):
    change = reverse("admin:applications_projectapplication_change", args=[application.pk])
    client.force_login(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = _add_reviewer_in_back_office(client, change, leader, row=0)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    assignment = ReviewAssignment.objects.get()
    assert (assignment.reviewer, assignment.assigned_by) == (leader, staff_user)
    assert [m.to for m in mail.outbox] == [[leader.email]]

    own = OrganisationMembershipFactory(organisation=city, user__full_name="Ada Own").user
    application.cluster.leaders.add(own)
    response = _add_reviewer_in_back_office(client, change, own, row=1)
    assert response.status_code == 200
    assert "Ada Own acts for City of Daejeon, the applicant." in response.text
    assert ReviewAssignment.objects.count() == 1


def test_no_reviewers_part_for_an_application_outside_a_call(client, city, cluster, staff_user):
    outside = SubmittedApplicationFactory(organisation=city, cluster=cluster)
    client.force_login(staff_user)
    page = client.get(reverse("admin:applications_projectapplication_change", args=[outside.pk])).text
    assert "review_assignments-TOTAL_FORMS" not in page


# --- Solutions made for a call are scored the same way ------------------------------------------------------


@pytest.fixture
def solution_call():
    call = CallFactory(kind="solutions", review_deadline=timezone.now() + dt.timedelta(days=2))
    call_criteria_start(call)
    return call


@pytest.fixture
def scored_solution(company, provider, cluster, solution_call):
    return SolutionFactory(
        organisation=company,
        created_by=provider,
        clusters=[cluster],
        call=solution_call,
        status="submitted",
        submitted_at=timezone.now(),
        name="Leak listener",
    )


def test_a_solution_for_a_call_is_assigned_scored_and_summed_up_as_an_application_is(
    client, scored_solution, staff_user, leader, provider, django_capture_on_commit_callbacks
):
    leader.full_name = "Lea Leader"
    leader.save()
    with django_capture_on_commit_callbacks(execute=True):
        reviewer_assign(submission=scored_solution, reviewer=leader, by=staff_user)
    [invitation] = mail.outbox
    assert invitation.to == [leader.email] and invitation.subject == "Please review “Leak listener”"
    assert "review the solution “Leak listener” of Urban Sensors Ltd" in invitation.body
    assert f"/solutions/{scored_solution.pk}/#scores" in invitation.body

    client.force_login(leader)
    page = client.get(scored_solution.get_absolute_url()).text
    assert "Your scores" in page and reverse("solutions:review", args=[scored_solution.pk]) in page
    review = reverse("solutions:review", args=[scored_solution.pk])
    refused = client.post(review, _score_form(scored_solution, ["5", "", "4", "4", "3"], comment="Kept on error"))
    assert refused.status_code == 400 and "Kept on error" in refused.text
    scored = client.post(review, _score_form(scored_solution, [5, 4, 4, 3, 2], comment="Proven in Lyon"))
    assert scored.status_code == 302
    scored_solution.refresh_from_db()
    assert (scored_solution.review_score, scored_solution.review_count) == (3.9, 1)
    assert ReviewAssignment.objects.get(solution=scored_solution).completed_at is not None

    client.force_login(staff_user)
    page = client.get(scored_solution.get_absolute_url()).text
    assert "Lea Leader" in page and "Proven in Lyon" in page and "Weighted mean 3.90 of 5 from one reviewer." in page

    client.force_login(provider)
    page = client.get(scored_solution.get_absolute_url()).text
    assert "Review scores" not in page and "Proven in Lyon" not in page and "Lea Leader" not in page
    assert client.post(review, _score_form(scored_solution, [1] * 5)).status_code == 403


def test_solution_reviewers_come_from_the_secretariat_or_its_clusters_never_from_the_company(
    scored_solution, staff_user, company, cluster
):
    outsider = UserFactory(full_name="Otto Other")
    ClusterFactory(leaders=[outsider])
    with pytest.raises(ValidationError, match="neither secretariat staff nor a leader"):
        reviewer_assign(submission=scored_solution, reviewer=outsider, by=staff_user)
    own = OrganisationMembershipFactory(organisation=company, user__full_name="Ada Own").user
    cluster.leaders.add(own)
    with pytest.raises(ValidationError, match="Ada Own acts for Urban Sensors Ltd, the applicant"):
        reviewer_assign(submission=scored_solution, reviewer=own, by=staff_user)
    with pytest.raises(PermissionDenied):
        reviewer_assign(submission=scored_solution, reviewer=staff_user, by=own)
    assert not ReviewAssignment.objects.exists()


def test_my_reviews_lists_applications_and_solutions(client, application, scored_solution, staff_user, leader):
    reviewer_assign(submission=application, reviewer=leader, by=staff_user)
    reviewer_assign(submission=scored_solution, reviewer=leader, by=staff_user)
    client.force_login(leader)
    page = client.get(reverse("applications:reviews")).text
    assert "Bus priority lanes" in page and "Leak listener" in page and "Urban Sensors Ltd" in page
    assert page.count(">to score<") == 2


def test_solution_reviewers_are_reminded_once(scored_solution, staff_user, leader, django_capture_on_commit_callbacks):
    reviewer_assign(submission=scored_solution, reviewer=leader, by=staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        assert review_reminders_send() == 1
        assert review_reminders_send() == 0
    [reminder] = mail.outbox
    assert reminder.subject == "Your review of “Leak listener” is due soon"
    assert "scores of the solution “Leak listener”" in reminder.body


def test_staff_assign_solution_reviewers_in_the_back_office_and_sort_solutions_by_score(
    client, scored_solution, staff_user, leader, company, cluster, solution_call, django_capture_on_commit_callbacks
):
    change = reverse("admin:applications_solutionregistration_change", args=[scored_solution.pk])
    client.force_login(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = _add_reviewer_in_back_office(client, change, leader, row=0)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    assert ReviewAssignment.objects.get().solution == scored_solution
    assert [m.to for m in mail.outbox] == [[leader.email]]

    own = OrganisationMembershipFactory(organisation=company, user__full_name="Ada Own").user
    cluster.leaders.add(own)
    response = _add_reviewer_in_back_office(client, change, own, row=1)
    assert response.status_code == 200 and "Ada Own acts for Urban Sensors Ltd, the applicant." in response.text

    _score_all(scored_solution, leader, [2] * 5)
    better = SolutionFactory(clusters=[cluster], call=solution_call, status="submitted", name="Better listener")
    reviewer_assign(submission=better, reviewer=leader, by=staff_user)
    _score_all(better, leader, [4] * 5)
    changelist = reverse("admin:applications_solutionregistration_changelist")
    column = client.get(changelist).context["cl"].list_display.index("review_score")
    ordered = client.get(changelist, {"o": f"-{column}"}).context["cl"].result_list
    assert [solution.name for solution in ordered][:2] == ["Better listener", "Leak listener"]


def test_no_reviewers_part_for_a_solution_outside_a_call(client, solution, staff_user):
    client.force_login(staff_user)
    page = client.get(reverse("admin:applications_solutionregistration_change", args=[solution.pk])).text
    assert "review_assignments-TOTAL_FORMS" not in page
