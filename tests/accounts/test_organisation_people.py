"""An organisation's administrators manage its people (promote, demote, remove), people leave, and the back office
makes the same changes through the same services: the person concerned is told each time, and no organisation
ever loses its last administrator."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts import services
from notifications.models import OutboundEmail
from tests.factories import OrganisationMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_membership(organisation):
    return OrganisationMembershipFactory(
        organisation=organisation, role="admin", user=UserFactory(full_name="Ana Reyes")
    )


@pytest.fixture
def contact_membership(organisation):
    return OrganisationMembershipFactory(
        organisation=organisation, role="contact", user=UserFactory(full_name="Jae-won Kim")
    )


@pytest.fixture
def back_office(client, staff_user):
    client.force_login(staff_user)
    return client


def _emails_to(user, template):
    return OutboundEmail.objects.filter(recipient=user.email, template=template)


def _state(membership):
    membership.refresh_from_db()
    return membership.role, membership.status


def test_administrator_promotes_a_contact_from_the_organisation_page_and_they_are_told(
    client, admin_membership, contact_membership, django_capture_on_commit_callbacks
):
    client.force_login(admin_membership.user)
    page = client.get(reverse("accounts:organisation")).content.decode()
    assert "Make Jae-won Kim an administrator" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:membership_role", args=[contact_membership.pk]), {"role": "admin"})

    assert response.status_code == 302
    assert _state(contact_membership) == ("admin", "active")
    assert contact_membership.user.email in mail.outbox[-1].to[0]
    assert "administrator of" in mail.outbox[-1].subject
    assert "Ana Reyes made you an administrator" in mail.outbox[-1].body


def test_the_last_administrator_cannot_be_made_a_contact(admin_membership, contact_membership, staff_user):
    with pytest.raises(ValidationError, match="only administrator"):
        services.membership_role_set(membership=admin_membership, by=staff_user, role="contact")

    assert _state(admin_membership) == ("admin", "active")
    assert not OutboundEmail.objects.exists()


def test_with_two_administrators_one_can_step_down_and_is_told(admin_membership, organisation):
    other = OrganisationMembershipFactory(organisation=organisation, role="admin")

    services.membership_role_set(membership=other, by=admin_membership.user, role="contact")

    assert _state(other) == ("contact", "active")
    assert _emails_to(other.user, "organisation_role_changed").count() == 1


def test_a_contact_may_not_change_roles_or_remove_anyone(client, admin_membership, contact_membership):
    with pytest.raises(PermissionDenied):
        services.membership_role_set(membership=admin_membership, by=contact_membership.user, role="contact")
    with pytest.raises(PermissionDenied):
        services.membership_remove(membership=admin_membership, by=contact_membership.user)

    client.force_login(contact_membership.user)
    page = client.get(reverse("accounts:organisation")).content.decode()
    assert "Make Ana Reyes" not in page and "Remove Ana Reyes" not in page
    assert (
        client.post(reverse("accounts:membership_role", args=[admin_membership.pk]), {"role": "contact"}).status_code
        == 404
    )
    assert client.get(reverse("accounts:membership_remove", args=[admin_membership.pk])).status_code == 404
    assert _state(admin_membership) == ("admin", "active")


def test_an_administrator_of_another_organisation_finds_nothing(client, contact_membership):
    outsider = OrganisationMembershipFactory(role="admin").user
    client.force_login(outsider)

    assert client.get(reverse("accounts:membership_remove", args=[contact_membership.pk])).status_code == 404
    assert client.post(reverse("accounts:membership_remove", args=[contact_membership.pk])).status_code == 404
    assert (
        client.post(reverse("accounts:membership_role", args=[contact_membership.pk]), {"role": "admin"}).status_code
        == 404
    )
    assert _state(contact_membership) == ("contact", "active")


def test_a_forged_role_gets_a_message_not_an_error(client, admin_membership, contact_membership):
    client.force_login(admin_membership.user)

    response = client.post(
        reverse("accounts:membership_role", args=[contact_membership.pk]), {"role": "owner"}, follow=True
    )

    assert response.status_code == 200
    assert "Choose administrator or contact." in response.content.decode()
    assert _state(contact_membership) == ("contact", "active")


def test_administrator_removes_a_person_after_confirming_and_the_person_is_told(
    client, admin_membership, contact_membership, django_capture_on_commit_callbacks
):
    client.force_login(admin_membership.user)
    url = reverse("accounts:membership_remove", args=[contact_membership.pk])
    confirm = client.get(url).content.decode()
    assert "Remove Jae-won Kim from" in confirm
    assert _state(contact_membership) == ("contact", "active")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)

    contact_membership.refresh_from_db()
    assert contact_membership.status == "removed"
    assert contact_membership.ended_by == admin_membership.user and contact_membership.ended_at is not None
    assert "You no longer represent" in mail.outbox[-1].subject
    assert contact_membership.user.email in mail.outbox[-1].to[0]
    contact_membership.user.refresh_from_db()
    assert contact_membership.user.active_membership is None
    assert "Jae-won Kim no longer belongs" in client.get(reverse("accounts:organisation")).content.decode()
    assert "Jae-won Kim" not in client.get(reverse("accounts:organisation")).content.decode()


def test_the_removed_person_may_ask_to_join_again(admin_membership, contact_membership):
    services.membership_remove(membership=contact_membership, by=admin_membership.user)

    again = services.membership_request(user=contact_membership.user, organisation=admin_membership.organisation)

    assert again.status == "pending"


def test_nobody_removes_themselves_or_the_last_administrator(admin_membership, contact_membership, staff_user):
    with pytest.raises(ValidationError, match="Leave the organisation"):
        services.membership_remove(membership=admin_membership, by=admin_membership.user)
    with pytest.raises(ValidationError, match="only administrator"):
        services.membership_remove(membership=admin_membership, by=staff_user)

    assert _state(admin_membership) == ("admin", "active")


def test_a_contact_leaves_and_the_administrators_are_told(
    client, admin_membership, contact_membership, django_capture_on_commit_callbacks
):
    client.force_login(contact_membership.user)
    assert "Leave the organisation</button>" in client.get(reverse("accounts:organisation_leave")).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:organisation_leave"))

    assert response.status_code == 302 and response.url == reverse("accounts:organisation_start")
    assert _state(contact_membership) == ("contact", "left")
    assert "Jae-won Kim left" in mail.outbox[-1].subject
    assert admin_membership.user.email in mail.outbox[-1].to[0]


def test_the_only_administrator_is_asked_to_hand_over_before_leaving(client, admin_membership, contact_membership):
    client.force_login(admin_membership.user)

    page = client.get(reverse("accounts:organisation_leave")).content.decode()
    assert "Make someone else an administrator before you leave" in page
    assert "Leave the organisation</button>" not in page

    response = client.post(reverse("accounts:organisation_leave"), follow=True)
    assert "Make someone else an administrator before you leave" in response.content.decode()
    assert _state(admin_membership) == ("admin", "active")


def test_an_administrator_alone_may_leave(client, admin_membership):
    client.force_login(admin_membership.user)

    client.post(reverse("accounts:organisation_leave"))

    assert _state(admin_membership) == ("admin", "left")


def test_staff_change_roles_and_remove_people_in_the_back_office_through_the_same_services(
    back_office, admin_membership, contact_membership, organisation, django_capture_on_commit_callbacks
):
    changelist = reverse("admin:accounts_organisationmembership_changelist")

    def act(action, *memberships):
        with django_capture_on_commit_callbacks(execute=True):
            return back_office.post(
                changelist,
                {"action": action, "_selected_action": [m.pk for m in memberships]},
                follow=True,
            )

    act("make_administrator", contact_membership)
    assert _state(contact_membership) == ("admin", "active")
    assert _emails_to(contact_membership.user, "organisation_role_changed").count() == 1

    act("make_contact", admin_membership)
    assert _state(admin_membership) == ("contact", "active")

    response = act("make_contact", contact_membership)
    assert "only administrator" in response.content.decode()
    assert _state(contact_membership) == ("admin", "active")

    act("remove", admin_membership)
    assert _state(admin_membership) == ("contact", "removed")
    assert _emails_to(admin_membership.user, "organisation_member_removed").count() == 1


def test_the_back_office_offers_no_way_around_the_services(back_office, contact_membership, organisation):
    change = back_office.get(reverse("admin:accounts_organisationmembership_change", args=[contact_membership.pk]))
    assert change.status_code == 200
    assert 'name="role"' not in change.content.decode() and 'name="status"' not in change.content.decode()
    assert back_office.get(reverse("admin:accounts_organisationmembership_add")).status_code == 403

    organisation_page = back_office.get(reverse("admin:accounts_organisation_change", args=[organisation.pk]))
    assert 'name="memberships-0-role"' not in organisation_page.content.decode()


def test_the_organisation_page_keeps_its_query_count_as_people_grow(
    client, admin_membership, organisation, django_assert_max_num_queries
):
    client.force_login(admin_membership.user)
    OrganisationMembershipFactory.create_batch(3, organisation=organisation)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("accounts:organisation"))
    OrganisationMembershipFactory.create_batch(20, organisation=organisation)

    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("accounts:organisation"))
