"""Solution registrations move through the one review workflow: every transition, role and e-mail."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from applications.models import SolutionHistory
from applications.workflow import TRANSITIONS, Action, Status, TransitionRefused, submission_transition
from clusters.models import ClusterEmailPreference
from notifications.models import OutboundEmail
from notifications.services import digests_send
from tests.applications.solution_factories import SolutionFactory
from tests.factories import ClusterFactory, OrganisationFactory, OrganisationMembershipFactory, UserFactory
from tests.notifications.digests import A_DAY_LATER

pytestmark = pytest.mark.django_db


def _actor(transition, provider, staff_user):
    return staff_user if transition.by == "staff" else provider


@pytest.mark.parametrize("action", list(TRANSITIONS))
@pytest.mark.parametrize("status", list(Status))
def test_every_transition_from_every_status(action, status, solution, provider, staff_user):
    transition = TRANSITIONS[action]
    solution.status = status
    solution.save(update_fields=["status"])
    by = _actor(transition, provider, staff_user)
    if status in transition.sources:
        moved = submission_transition(solution, action, by=by, note="Say which cities use it.")
        assert moved.status == transition.target
        entry = SolutionHistory.objects.get(solution=solution)
        assert (entry.action, entry.from_status, entry.to_status, entry.actor) == (
            action,
            status,
            transition.target,
            by,
        )
    else:
        with pytest.raises(TransitionRefused):
            submission_transition(solution, action, by=by, note="x")
        solution.refresh_from_db()
        assert solution.status == status
        assert not SolutionHistory.objects.exists()


@pytest.mark.parametrize("action", [Action.START_REVIEW, Action.ACCEPT, Action.REQUEST_CHANGES, Action.DECLINE])
def test_only_staff_decide(action, solution, provider, leader, official):
    solution.status = next(iter(TRANSITIONS[action].sources))
    solution.save(update_fields=["status"])
    for person in (provider, leader, official):
        with pytest.raises(PermissionDenied):
            submission_transition(solution, action, by=person, note="x")


@pytest.mark.parametrize("action", [Action.SUBMIT, Action.WITHDRAW])
def test_only_people_of_the_company_submit_or_withdraw(action, solution, official, leader, staff_user):
    other_company = OrganisationMembershipFactory(organisation=OrganisationFactory(kind="company")).user
    for person in (other_company, official, leader, staff_user):
        with pytest.raises(PermissionDenied):
            submission_transition(solution, action, by=person)
    solution.refresh_from_db()
    assert solution.status == Status.DRAFT


def test_a_colleague_of_the_company_may_submit(solution, company):
    colleague = OrganisationMembershipFactory(organisation=company, role="contact").user
    assert submission_transition(solution, Action.SUBMIT, by=colleague).status == Status.SUBMITTED


def test_incomplete_solution_cannot_be_submitted_and_says_what_is_missing(company, provider):
    solution = SolutionFactory(organisation=company, created_by=provider, description="", maturity="")
    with pytest.raises(ValidationError) as refused:
        submission_transition(solution, Action.SUBMIT, by=provider)
    text = " ".join(refused.value.messages)
    assert "description" in text and "maturity" in text and "at least one thematic cluster" in text
    solution.refresh_from_db()
    assert solution.status == Status.DRAFT


def test_a_closed_cluster_cannot_be_chosen_for_submission(company, provider):
    closed = ClusterFactory(name="Old Theme", status="closed")
    solution = SolutionFactory(organisation=company, created_by=provider, clusters=[closed])
    with pytest.raises(ValidationError, match="Old Theme"):
        submission_transition(solution, Action.SUBMIT, by=provider)


def test_submission_emails_the_leaders_of_each_selected_cluster_once(
    company, provider, django_capture_on_commit_callbacks
):
    first, second, both = UserFactory(), UserFactory(), UserFactory()
    mobility = ClusterFactory(name="Smart Mobility", leaders=[first, both])
    utility = ClusterFactory(name="Smart Utility", leaders=[second, both, UserFactory(is_active=False)])
    solution = SolutionFactory(organisation=company, created_by=provider, clusters=[mobility, utility])
    with django_capture_on_commit_callbacks(execute=True):
        submission_transition(solution, Action.SUBMIT, by=provider)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.email, second.email, both.email])
    assert all(solution.name in m.subject and "New solution" in m.subject for m in mail.outbox)
    assert all(solution.get_absolute_url() in m.body for m in mail.outbox)


def test_a_leader_who_chose_the_daily_digest_gets_the_solution_in_it(
    company, provider, django_capture_on_commit_callbacks
):
    daily, immediate = UserFactory(), UserFactory()
    mobility = ClusterFactory(leaders=[daily, immediate])
    ClusterEmailPreference.objects.create(
        user=daily, cluster=mobility, frequency=ClusterEmailPreference.Frequency.DAILY
    )
    solution = SolutionFactory(organisation=company, created_by=provider, clusters=[mobility])
    with django_capture_on_commit_callbacks(execute=True):
        submission_transition(solution, Action.SUBMIT, by=provider)
    assert [m.to for m in mail.outbox] == [[immediate.email]]
    held = OutboundEmail.objects.get(recipient=daily.email)
    assert (held.status, held.topic) == (OutboundEmail.Status.HELD, mobility.name)
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send(now=A_DAY_LATER()) == 1
    assert solution.name in mail.outbox[-1].body and mail.outbox[-1].to == [daily.email]


def test_clusters_without_leaders_send_the_submission_to_the_secretariat(
    company, provider, settings, django_capture_on_commit_callbacks
):
    solution = SolutionFactory(organisation=company, created_by=provider, clusters=[ClusterFactory()])
    with django_capture_on_commit_callbacks(execute=True):
        submission_transition(solution, Action.SUBMIT, by=provider)
    [message] = mail.outbox
    assert message.to == [settings.SECRETARIAT_EMAIL]
    assert reverse("admin:applications_solutionregistration_change", args=[solution.pk]) in message.body


def test_resubmission_tells_the_leaders_again(solution, provider, leader, django_capture_on_commit_callbacks):
    solution.status = Status.CHANGES_REQUESTED
    solution.save(update_fields=["status"])
    with django_capture_on_commit_callbacks(execute=True):
        submission_transition(solution, Action.RESUBMIT, by=provider)
    [message] = mail.outbox
    assert message.to == [leader.email] and "Resubmitted" in message.subject


def test_every_decision_emails_the_company_with_the_note(
    solution, provider, staff_user, django_capture_on_commit_callbacks
):
    submission_transition(solution, Action.SUBMIT, by=provider)
    mail.outbox.clear()
    steps = [
        (Action.START_REVIEW, "", "Under review"),
        (Action.REQUEST_CHANGES, "List the cities that use it.", "Changes requested"),
    ]
    for action, note, label in steps:
        with django_capture_on_commit_callbacks(execute=True):
            submission_transition(solution, action, by=staff_user, note=note)
        message = mail.outbox[-1]
        assert message.to == [provider.email]
        assert label in message.subject and note in message.body
    submission_transition(solution, Action.RESUBMIT, by=provider)
    submission_transition(solution, Action.START_REVIEW, by=staff_user)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        submission_transition(solution, Action.ACCEPT, by=staff_user)
    [message] = mail.outbox
    assert message.to == [provider.email] and "Accepted" in message.subject
    assert "public solutions directory" in message.body


def test_withdrawing_a_draft_emails_nobody(solution, provider, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submission_transition(solution, Action.WITHDRAW, by=provider)
    assert mail.outbox == []


def test_withdrawing_a_sent_solution_tells_the_leaders_of_each_cluster(
    solution, provider, leader, django_capture_on_commit_callbacks
):
    other_leader = UserFactory(full_name="Omar Other")
    solution.clusters.add(ClusterFactory(leaders=[other_leader]))
    submission_transition(solution, Action.SUBMIT, by=provider)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        submission_transition(solution, Action.WITHDRAW, by=provider)

    assert sorted(message.to[0] for message in mail.outbox) == sorted([leader.email, other_leader.email])
    assert all(f"Withdrawn solution: {solution.name}" == message.subject for message in mail.outbox)
    assert "has withdrawn its solution" in mail.outbox[0].body
