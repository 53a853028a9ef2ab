import factory

from clusters.models import Round
from teams.models import OpenRole, Team, TeamMembership
from tests.factories import ClusterFactory, OrganisationFactory


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Round

    year = 2018
    name = factory.Sequence(lambda n: f"GCTC 2018 ({n})")
    slug = factory.Sequence(lambda n: f"gctc-2018-{n}")


class TeamFactory(factory.django.DjangoModelFactory):
    """A team with its lead organisation as its active lead city."""

    class Meta:
        model = Team
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Smart lighting team {n}")
    summary = "Cities and partners dim street lights when nobody is around."
    lead_organisation = factory.SubFactory(OrganisationFactory)
    round = factory.SubFactory(RoundFactory)
    cluster = factory.SubFactory(ClusterFactory)
    discussion_url = "https://groups.google.com/g/lighting-team"

    @factory.post_generation
    def lead(self, create, extracted, **kwargs):
        if create:
            TeamMembership.objects.create(
                team=self, organisation=self.lead_organisation, role="lead_city", state="active"
            )


class OpenRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpenRole

    team = factory.SubFactory(TeamFactory)
    role = "technology"
    expertise = "IoT sensors and their network"


class TeamMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMembership

    team = factory.SubFactory(TeamFactory)
    organisation = factory.SubFactory(OrganisationFactory, kind="company")
    role = "technology"
    state = "active"
