"""Who reaches the back office: staff with two-factor authentication only."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.conftest import activate_totp
from tests.factories import SubmittedApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_is_sent_to_the_portal_login(client):
    response = client.get(reverse("admin:index"), follow=True)

    assert response.redirect_chain[-1][0] == f"{reverse('account_login')}?next=%2Fadmin%2F"


def test_non_staff_member_cannot_reach_admin(client, user):
    client.force_login(user)

    response = client.get(reverse("admin:applications_projectapplication_changelist"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    refusal = client.get(response["Location"])
    assert refusal.status_code == 403
    assert "not a secretariat account" in refusal.content.decode()


def test_admin_password_form_never_logs_anyone_in(client):
    staff = UserFactory(is_staff=True, is_superuser=True, email="staff@wego.example")
    staff.set_password("a-long-password-1")
    staff.save()

    response = client.post(reverse("admin:login"), {"username": "staff@wego.example", "password": "a-long-password-1"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


def test_staff_without_two_factor_are_sent_to_set_it_up(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.get(reverse("admin:index"), follow=True)

    assert response.redirect_chain[0] == (reverse("mfa_activate_totp"), 302)
    assert "needs two-factor authentication" in response.content.decode()


def test_staff_with_an_authenticator_app_reach_the_dashboard(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    activate_totp(staff)
    client.force_login(staff)

    assert client.get(reverse("admin:index")).status_code == 200


def test_the_two_factor_requirement_can_be_switched_off(client, settings):
    settings.ADMIN_REQUIRE_MFA = False
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    assert client.get(reverse("admin:index")).status_code == 200


def test_staff_group_may_review_but_not_delete(client, django_capture_on_commit_callbacks):
    reviewer = UserFactory(is_staff=True)
    reviewer.groups.add(Group.objects.get(name="Secretariat staff"))
    activate_totp(reviewer)
    client.force_login(reviewer)
    application = SubmittedApplicationFactory()
    changelist = reverse("admin:applications_projectapplication_changelist")

    response = client.get(changelist)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(changelist, {"action": "start_review", "_selected_action": [application.pk]})

    assert response.status_code == 200
    assert "delete_selected" not in response.content.decode()
    application.refresh_from_db()
    assert application.status == "under_review"
    assert client.get(reverse("admin:applications_projectapplication_delete", args=[application.pk])).status_code == 403


def test_staff_group_permissions_come_from_the_migration():
    group = Group.objects.get(name="Secretariat staff")
    codenames = set(group.permissions.values_list("content_type__app_label", "codename"))

    assert {
        ("applications", "change_projectapplication"),
        ("clusters", "change_clustermembership"),
        ("accounts", "change_organisation"),
        ("events", "view_registration"),
        # Moved from the notifications app with its model (clusters/migrations/0006): the permission followed.
        ("clusters", "view_clusteremailpreference"),
        # Staff open calls and give one organisation more time (applications/migrations/0019).
        ("applications", "add_call"),
        ("applications", "change_callextension"),
    } <= codenames
    assert not any(codename.startswith("delete_") for _app, codename in codenames)


def test_user_list_shows_who_has_two_factor_set_up(admin_client, staff_user):
    UserFactory(email="no-2fa@wego.example", is_staff=True)

    response = admin_client.get(reverse("admin:accounts_user_changelist"))

    shown = {user.email: user.has_authenticator for user in response.context["cl"].result_list}
    assert shown[staff_user.email] is True
    assert shown["no-2fa@wego.example"] is False
