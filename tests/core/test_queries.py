"""core.queries: child rows with their parent's query (with_child_rows)."""

import pytest

pytestmark = pytest.mark.django_db


def test_child_rows_come_with_the_parents_query_and_read_as_prefetched(django_assert_num_queries):
    from applications.models import PartnerSought, ProjectApplication, TeamMember
    from core.queries import child_rows_attach, with_child_rows
    from tests.factories import ProjectApplicationFactory

    application = ProjectApplicationFactory()
    TeamMember.objects.create(application=application, name="Ji-won Park", organisation="Seoul", role="Lead")
    TeamMember.objects.create(application=application, name="Ana Ruiz", organisation="Bilbao")
    PartnerSought.objects.create(application=application, kind="academia", expertise="Air quality models")

    with django_assert_num_queries(1):
        loaded = with_child_rows(ProjectApplication.objects.all(), "team", "partners_sought").get(pk=application.pk)
        child_rows_attach(loaded, "team", "partners_sought")
        team = [(member.name, member.organisation, member.role) for member in loaded.team.all()]
        partners = [(partner.get_kind_display(), partner.expertise) for partner in loaded.partners_sought.all()]
        assert all(member.application is loaded for member in loaded.team.all())

    assert team == [("Ji-won Park", "Seoul", "Lead"), ("Ana Ruiz", "Bilbao", "")]
    assert partners == [(PartnerSought.Kind.ACADEMIA.label, "Air quality models")]
    # They are the stored rows: changed and saved, they stay two.
    member = loaded.team.all()[1]
    member.role = "Partner city"
    member.save()
    assert list(TeamMember.objects.filter(application=application).values_list("role", flat=True)) == [
        "Lead",
        "Partner city",
    ]
