"""factory-boy factories for every model; tests build exactly the rows they talk about."""

import datetime as dt

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import Organisation, OrganisationMembership, User
from clusters.models import Cluster, ClusterMembership, ThemeSuggestion
from events.models import Event, Registration

TEST_PASSWORD = "a-long-test-password-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    job_title = factory.Faker("job")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or TEST_PASSWORD)
        if create:
            self.save(update_fields=["password"])

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """Users log in only with a verified address; pass verified=False for one who has not confirmed."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"City of Example {n}")
    kind = Organisation.Kind.CITY
    country = "KR"
    city = factory.Faker("city")
    is_verified = True


class OrganisationMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationMembership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = OrganisationMembership.Role.CONTACT
    status = OrganisationMembership.Status.ACTIVE
    decided_at = factory.LazyFunction(timezone.now)


class ClusterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cluster
        skip_postgeneration_save = True

    kind = Cluster.Kind.THEMATIC
    name = factory.Sequence(lambda n: f"Smart Theme {n}")
    slug = factory.Sequence(lambda n: f"smart-theme-{n}")
    summary = "Cities and partners working on one smart-city theme."
    status = Cluster.Status.ACTIVE
    discussion_url = factory.LazyAttribute(lambda cluster: f"https://groups.google.com/g/{cluster.slug}")

    @factory.post_generation
    def leaders(self, create, extracted, **kwargs):
        if create and extracted:
            self.leaders.add(*extracted)


class ClusterMembershipFactory(factory.django.DjangoModelFactory):
    """An active membership unless told otherwise; pass status="pending" for a request."""

    class Meta:
        model = ClusterMembership

    cluster = factory.SubFactory(ClusterFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    status = ClusterMembership.Status.ACTIVE
    motivation = "We run an ongoing project on this theme and want to compare notes."
    decided_at = factory.LazyFunction(timezone.now)


class ThemeSuggestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ThemeSuggestion

    title = factory.Sequence(lambda n: f"Urban Resilience {n}")
    rationale = "Cities face floods and heat waves and want to share early-warning systems."
    participants = "Coastal cities, sensor companies and climate researchers."
    suggested_by = factory.SubFactory(UserFactory)


class IndicatorFactory(factory.django.DjangoModelFactory):
    """A catalogue indicator; the same name gives the same indicator (the catalogue's names are unique)."""

    class Meta:
        model = "kpis.Indicator"
        django_get_or_create = ("name_en", "status")

    name = factory.Sequence(lambda n: f"Indicator {n}")
    name_en = factory.SelfAttribute("name")
    definition = "What the project measures."
    unit = "kWh"
    direction = "higher"
    status = "catalogue"


class ProjectApplicationFactory(factory.django.DjangoModelFactory):
    """A complete draft, ready to submit: every worksheet section filled in and one KPI."""

    class Meta:
        model = "applications.ProjectApplication"
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    cluster = factory.SubFactory(ClusterFactory)
    title = factory.Sequence(lambda n: f"Smart street lighting {n}")
    summary = "Sensors dim the street lights when nobody is around."
    problem = "Street lighting uses a third of the city's electricity."
    approach = "Replace lamps with LED and add motion sensors on a city-wide network."
    technologies = "LED, LoRaWAN motion sensors, a central management system."
    stage = "ongoing"
    start_date = factory.LazyFunction(lambda: timezone.localdate().replace(month=1, day=1))
    standards = "TALQ, IEEE 802.15.4"
    interoperability = "Open protocol between lamps and the management system."
    replicability = "Any city with a lighting grid can follow the published playbook."
    scalability = "Gateways are added district by district."
    cybersecurity = "Encrypted radio links and signed firmware updates."
    privacy = "Motion sensors count movement and record no images."
    budget = 250000
    funding_sources = "City budget and a national energy-efficiency grant."
    contact_name = "Jane Official"
    contact_email = "jane@city.example"

    @factory.post_generation
    def kpis(self, create, extracted, **kwargs):
        if create and extracted is not False:
            self.kpis.create(
                indicator=IndicatorFactory(name="Electricity used", unit="MWh per year", direction="lower"),
                unit="MWh per year",
                baseline=12000,
                target=7000,
                how_measured="Meters",
            )


class SubmittedApplicationFactory(ProjectApplicationFactory):
    status = "submitted"
    submitted_at = factory.LazyFunction(timezone.now)


class CallFactory(factory.django.DjangoModelFactory):
    """A call for project applications, open since yesterday and closing in ten days, in Seoul's time."""

    class Meta:
        model = "applications.Call"
        skip_postgeneration_save = True

    kind = "applications"
    title = factory.Sequence(lambda n: f"Call for smart mobility projects {n}")
    slug = factory.Sequence(lambda n: f"call-{n}")
    description = "Projects that make moving around the city cleaner and safer."
    time_zone = "Asia/Seoul"
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=10))

    @factory.post_generation
    def clusters(self, create, extracted, **kwargs):
        if create and extracted:
            self.clusters.set(extracted)


class EventFactory(factory.django.DjangoModelFactory):
    """An upcoming event in Seoul, open for registration, with room for 50 people."""

    class Meta:
        model = Event
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Smart City Summit {n}")
    slug = factory.Sequence(lambda n: f"smart-city-summit-{n}")
    kind = Event.Kind.SUMMIT
    time_zone = "Asia/Seoul"
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=30))
    ends_at = factory.LazyAttribute(lambda event: event.starts_at + dt.timedelta(hours=9))
    venue = "Seoul City Hall"
    city = "Seoul"
    country = "KR"
    host = "Seoul Metropolitan Government"
    description = "City leaders share digital government practice."
    registration_opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    capacity = 50

    @factory.post_generation
    def related_clusters(self, create, extracted, **kwargs):
        if create and extracted:
            self.related_clusters.add(*extracted)


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A confirmed registration by a member of an organisation; written directly, without the service."""

    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    user = factory.SubFactory(UserFactory)
    organisation = factory.LazyAttribute(
        lambda registration: (
            registration.user.organisation or OrganisationMembershipFactory(user=registration.user).organisation
        )
    )
    attendance = Registration.Attendance.IN_PERSON
    status = Registration.Status.CONFIRMED
