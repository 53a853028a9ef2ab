"""Every allowed and refused transition of the review workflow, with its audit row and e-mails."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from applications.models import ApplicationHistory
from applications.workflow import TRANSITIONS, Action, Status, TransitionRefused, submission_transition
from tests.factories import OrganisationMembershipFactory, ProjectApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db

ALL_STATUSES = list(Status)


def _app(city, cluster, status=Status.DRAFT):
    return ProjectApplicationFactory(organisation=city, cluster=cluster, status=status)


def _actor(transition, official, staff_user):
    return staff_user if transition.by == "staff" else official


@pytest.mark.parametrize("action", list(TRANSITIONS))
@pytest.mark.parametrize("status", ALL_STATUSES)
def test_every_transition_from_every_status(action, status, city, cluster, official, staff_user):
    transition = TRANSITIONS[action]
    application = _app(city, cluster, status)
    note = "Please add the budget breakdown."
    if status in transition.sources:
        moved = submission_transition(application, action, by=_actor(transition, official, staff_user), note=note)
        assert moved.status == transition.target
        entry = ApplicationHistory.objects.get(application=application)
        assert (entry.action, entry.from_status, entry.to_status) == (action, status, transition.target)
        assert entry.actor == _actor(transition, official, staff_user)
    else:
        with pytest.raises(TransitionRefused):
            submission_transition(application, action, by=_actor(transition, official, staff_user), note=note)
        application.refresh_from_db()
        assert application.status == status
        assert not ApplicationHistory.objects.exists()


@pytest.mark.parametrize("action", [Action.START_REVIEW, Action.ACCEPT, Action.REQUEST_CHANGES, Action.DECLINE])
def test_applicants_and_leaders_cannot_decide(action, city, cluster, official, leader):
    application = _app(city, cluster, TRANSITIONS[action].sources and next(iter(TRANSITIONS[action].sources)))
    for person in (official, leader):
        with pytest.raises(PermissionDenied):
            submission_transition(application, action, by=person, note="x")
    application.refresh_from_db()
    assert application.status in TRANSITIONS[action].sources


def test_only_the_city_submits_or_withdraws(city, cluster, other_official, leader, staff_user):
    application = _app(city, cluster)
    for person in (other_official, leader, staff_user):
        for action in (Action.SUBMIT, Action.WITHDRAW):
            with pytest.raises(PermissionDenied):
                submission_transition(application, action, by=person)


def test_incomplete_application_cannot_be_submitted(city, cluster, official):
    application = ProjectApplicationFactory(organisation=city, cluster=cluster, problem="", budget=None, kpis=False)
    with pytest.raises(ValidationError) as refused:
        submission_transition(application, Action.SUBMIT, by=official)
    text = " ".join(refused.value.messages)
    assert "The city problem" in text and "Budget and funding" in text and "KPIs" in text
    application.refresh_from_db()
    assert application.status == Status.DRAFT


def test_a_note_is_required_to_request_changes_or_decline(city, cluster, staff_user):
    application = _app(city, cluster, Status.UNDER_REVIEW)
    for action in (Action.REQUEST_CHANGES, Action.DECLINE):
        with pytest.raises(ValidationError):
            submission_transition(application, action, by=staff_user, note="   ")
    application.refresh_from_db()
    assert application.status == Status.UNDER_REVIEW


def test_submission_emails_every_leader_of_the_cluster_once(
    city, cluster, official, leader, django_capture_on_commit_callbacks
):
    second = UserFactory(full_name="Second Leader")
    cluster.leaders.add(second, UserFactory(is_active=False))
    application = _app(city, cluster)
    with django_capture_on_commit_callbacks(execute=True):
        submission_transition(application, Action.SUBMIT, by=official)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([leader.email, second.email])
    assert all(application.title in m.subject for m in mail.outbox)


def test_resubmission_tells_the_leaders_again(city, cluster, official, leader, django_capture_on_commit_callbacks):
    application = _app(city, cluster, Status.CHANGES_REQUESTED)
    with django_capture_on_commit_callbacks(execute=True):
        submission_transition(application, Action.RESUBMIT, by=official)
    [message] = mail.outbox
    assert message.to == [leader.email] and "Resubmitted" in message.subject


def test_a_cluster_without_leader_sends_to_the_secretariat(
    city, official, settings, django_capture_on_commit_callbacks
):
    application = ProjectApplicationFactory(organisation=city)
    with django_capture_on_commit_callbacks(execute=True):
        submission_transition(application, Action.SUBMIT, by=official)
    assert [m.to for m in mail.outbox] == [[settings.SECRETARIAT_EMAIL]]


def test_every_decision_emails_the_applicant_with_the_note(
    city, cluster, official, staff_user, django_capture_on_commit_callbacks
):
    application = ProjectApplicationFactory(organisation=city, cluster=cluster, created_by=official)
    submission_transition(application, Action.SUBMIT, by=official)
    mail.outbox.clear()
    steps = [
        (Action.START_REVIEW, ""),
        (Action.REQUEST_CHANGES, "Add the KPI baselines."),
    ]
    for action, note in steps:
        with django_capture_on_commit_callbacks(execute=True):
            submission_transition(application, action, by=staff_user, note=note)
    assert [m.to for m in mail.outbox] == [[official.email], [official.email]]
    assert "Changes requested" in mail.outbox[1].subject
    assert "Add the KPI baselines." in mail.outbox[1].body
    assert "Add the KPI baselines." in mail.outbox[1].alternatives[0][0]


def test_a_rolled_back_transition_leaves_nothing(city, cluster, official, django_capture_on_commit_callbacks):
    from django.db import transaction

    application = _app(city, cluster)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        submission_transition(application, Action.SUBMIT, by=official)
        raise RuntimeError("the surrounding work failed")
    application.refresh_from_db()
    assert application.status == Status.DRAFT
    assert not ApplicationHistory.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("action", "note", "subject"),
    [
        (Action.ACCEPT, "", "Accepted"),
        (Action.REQUEST_CHANGES, "Add the KPI baselines.", "Changes requested"),
        (Action.DECLINE, "Outside the round's themes.", "Declined"),
    ],
)
def test_a_submission_is_decided_in_one_step_with_one_email(
    action, note, subject, city, cluster, official, staff_user, django_capture_on_commit_callbacks
):
    application = ProjectApplicationFactory(organisation=city, cluster=cluster, created_by=official)
    submission_transition(application, Action.SUBMIT, by=official)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        decided = submission_transition(application, action, by=staff_user, note=note)

    assert decided.status == TRANSITIONS[action].target
    last = application.history.order_by("-at", "-pk").first()
    assert (last.action, last.from_status, last.to_status) == (action, Status.SUBMITTED, decided.status)
    [message] = mail.outbox
    assert message.to == [official.email] and subject in message.subject


def test_withdrawing_a_submitted_application_tells_the_leaders_once(
    city, cluster, official, leader, django_capture_on_commit_callbacks
):
    application = _app(city, cluster)
    submission_transition(application, Action.SUBMIT, by=official)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        submission_transition(application, Action.WITHDRAW, by=official)

    [message] = mail.outbox
    assert message.to == [leader.email]
    assert message.subject == f"Withdrawn project application: {application.title}"
    assert "no longer waits for a review" in message.body


def test_withdrawing_a_draft_or_a_held_submission_tells_nobody(
    city, cluster, official, django_capture_on_commit_callbacks
):
    draft = _app(city, cluster)
    unverified = ProjectApplicationFactory(
        organisation=OrganisationMembershipFactory(organisation__is_verified=False, role="admin").organisation,
        cluster=cluster,
    )
    submission_transition(
        unverified, Action.SUBMIT, by=unverified.organisation.memberships.get().user
    )  # held: the leaders never heard of it
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        submission_transition(draft, Action.WITHDRAW, by=official)
        submission_transition(unverified, Action.WITHDRAW, by=unverified.organisation.memberships.get().user)

    assert mail.outbox == []
