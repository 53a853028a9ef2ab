"""What the public API shows of each thing: the fields its public web page shows, nothing more.

Texts entered per language (cluster and event names and descriptions) come in the language of the request,
English where a translation is missing; choice labels (`kind_label`...) are translated too.
"""

from django.urls import reverse
from rest_framework import serializers

from accounts.models import Organisation
from applications.models import (
    Call,
    Deployment,
    Kpi,
    PartnerSought,
    ProjectApplication,
    SolutionRegistration,
    TeamMember,
)
from applications.models.project import WORKSHEET_FIELDS
from clusters.models import Cluster, Round
from events.models import Event, Registration
from kpis.models import Indicator
from teams.models import Milestone, OpenRole, Team, TeamMembership


def _absolute(serializer, path: str) -> str:
    request = serializer.context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


class ChoiceLabelField(serializers.CharField):
    """The label of a choice field, in the answer's language: `ChoiceLabelField("kind")` is what
    `instance.get_kind_display()` says. (A CharField with `source="get_kind_display"` says the same, but DRF
    reads the signature of every method it calls, to see whether it takes arguments: 30 microseconds a row and
    field, a tenth of a list's time.)"""

    def __init__(self, choice_field: str, **kwargs):
        self.choice_field = choice_field
        super().__init__(read_only=True, **kwargs)

    def get_attribute(self, instance):
        return getattr(instance, f"get_{self.choice_field}_display")()


class ErrorSerializer(serializers.Serializer):
    """Every error of the API (api/errors.py)."""

    class FieldError(serializers.Serializer):
        field = serializers.CharField(allow_null=True, help_text="The parameter or field at fault; null: the request.")
        message = serializers.CharField()

    detail = serializers.CharField(help_text="One line saying what went wrong.")
    errors = FieldError(many=True)


class OrganisationSerializer(serializers.ModelSerializer):
    kind_label = ChoiceLabelField("kind")
    country_name = serializers.CharField(source="country.name", read_only=True)

    class Meta:
        model = Organisation
        fields = ["name", "kind", "kind_label", "city", "country", "country_name"]


class LeaderSerializer(serializers.Serializer):
    name = serializers.CharField(source="full_name")
    job_title = serializers.CharField()


class ClusterSerializer(serializers.ModelSerializer):
    kind_label = ChoiceLabelField("kind")
    status_label = ChoiceLabelField("status")
    member_count = serializers.IntegerField(read_only=True, help_text="Active member organisations.")
    leaders = LeaderSerializer(many=True, read_only=True)
    supercluster = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    url = serializers.SerializerMethodField(help_text="The cluster's page, in the language of the answer.")
    events = serializers.SerializerMethodField(help_text="This API's list of the cluster's upcoming events.")

    class Meta:
        model = Cluster
        fields = [
            "slug",
            "name",
            "kind",
            "kind_label",
            "status",
            "status_label",
            "summary",
            "description",
            "member_count",
            "leaders",
            "supercluster",
            "url",
            "events",
        ]

    def get_url(self, cluster) -> str:
        return _absolute(self, cluster.get_absolute_url())

    def get_events(self, cluster) -> str:
        return _absolute(self, f"{reverse('api:event-list')}?cluster={cluster.slug}")


class EventSerializer(serializers.ModelSerializer):
    kind_label = ChoiceLabelField("kind")
    country_name = serializers.CharField(source="country.name", read_only=True)
    clusters = serializers.SlugRelatedField(source="related_clusters", slug_field="slug", many=True, read_only=True)
    registration = serializers.SerializerMethodField(
        help_text="Whether the portal takes registrations now: not_offered, not_yet_open, open, closed or past."
    )
    places_left = serializers.IntegerField(read_only=True, allow_null=True, help_text="Null: no limit.")
    url = serializers.SerializerMethodField(help_text="The event's page, in the language of the answer.")
    ical_url = serializers.SerializerMethodField(
        help_text="The event as an iCalendar (RFC 5545) file; null while its date is to be announced."
    )

    class Meta:
        model = Event
        fields = [
            "slug",
            "name",
            "kind",
            "kind_label",
            "starts_at",
            "ends_at",
            "date_to_be_announced",
            "expected_period",
            "time_zone",
            "venue",
            "city",
            "country",
            "country_name",
            "host",
            "co_located_with",
            "description",
            "clusters",
            "external_url",
            "registration",
            "places_left",
            "url",
            "ical_url",
        ]

    def get_registration(self, event) -> str:
        return event.registration_state().value

    def get_url(self, event) -> str:
        return _absolute(self, event.get_absolute_url())

    def get_ical_url(self, event) -> str | None:
        if event.date_to_be_announced:
            return None
        return _absolute(self, reverse("calendar:event", kwargs={"slug": event.slug}))


class MeasureField(serializers.DecimalField):
    """A KPI's number as written: "12000", "3.5" (stored with six decimals)."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=20, decimal_places=6, **kwargs)

    def to_representation(self, value):
        return None if value is None else f"{value.normalize():f}"


class KpiSerializer(serializers.ModelSerializer):
    """A KPI row: `name` is its indicator's (from the catalogue, or proposed by a new name; docs/kpis.md)."""

    name = serializers.CharField(source="indicator.name", max_length=200)
    baseline = MeasureField()
    target = MeasureField()

    class Meta:
        model = Kpi
        fields = ["name", "unit", "baseline", "target", "how_measured"]


class CaseSerializer(serializers.ModelSerializer):
    """A published case as the case library lists it."""

    organisation = OrganisationSerializer(read_only=True)
    cluster = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    stage_label = ChoiceLabelField("stage")
    kpis = KpiSerializer(many=True, read_only=True)
    url = serializers.SerializerMethodField(help_text="The case's page, in the language of the answer.")

    class Meta:
        model = ProjectApplication
        fields = [
            "id",
            "title",
            "summary",
            "stage",
            "stage_label",
            "start_date",
            "end_date",
            "organisation",
            "cluster",
            "kpis",
            "published_at",
            "url",
        ]

    def get_url(self, case) -> str:
        return _absolute(self, reverse("cases:detail", kwargs={"pk": case.pk}))


class TeamMemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = TeamMember
        fields = ["name", "organisation", "role"]


class PartnerSoughtSerializer(serializers.ModelSerializer):
    kind_label = ChoiceLabelField("kind")

    class Meta:
        model = PartnerSought
        fields = ["kind", "kind_label", "expertise"]


class CaseDetailSerializer(CaseSerializer):
    """A case's page: the whole public worksheet. The parts the city did not agree to publish (cybersecurity
    and privacy, budget and funding, contact) are empty or null, as on the page."""

    team = TeamMemberSerializer(many=True, read_only=True)
    partners_sought = PartnerSoughtSerializer(many=True, read_only=True)
    round = serializers.SlugRelatedField(slug_field="slug", read_only=True, help_text="A GCTC round's short name.")

    class Meta(CaseSerializer.Meta):
        fields = [
            *CaseSerializer.Meta.fields,
            # The rest of the worksheet, in its order (a case names no action cluster).
            *(field for field in WORKSHEET_FIELDS if field not in [*CaseSerializer.Meta.fields, "action_cluster"]),
            "team",
            "partners_sought",
        ]


class SolutionSerializer(serializers.ModelSerializer):
    """An approved solution as the directory lists it."""

    organisation = OrganisationSerializer(read_only=True)
    clusters = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    offering_label = ChoiceLabelField("offering")
    maturity_label = ChoiceLabelField("maturity")
    approved_at = serializers.DateTimeField(source="decided_at", read_only=True)
    url = serializers.SerializerMethodField(help_text="The solution's page, in the language of the answer.")

    class Meta:
        model = SolutionRegistration
        fields = [
            "id",
            "name",
            "summary",
            "offering",
            "offering_label",
            "maturity",
            "maturity_label",
            "website",
            "organisation",
            "clusters",
            "approved_at",
            "url",
        ]

    def get_url(self, solution) -> str:
        return _absolute(self, reverse("solutions:detail", kwargs={"pk": solution.pk}))


class DeploymentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Deployment
        fields = ["city", "country", "year", "result"]


class SolutionDetailSerializer(SolutionSerializer):
    deployments = DeploymentSerializer(many=True, read_only=True)

    class Meta(SolutionSerializer.Meta):
        fields = [*SolutionSerializer.Meta.fields, "description", "standards", "deployments"]


class ApplicationSummarySerializer(serializers.ModelSerializer):
    """One of the organisation's applications as its "my applications" list shows it."""

    status_label = ChoiceLabelField("status")
    cluster = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    url = serializers.SerializerMethodField(help_text="The application's page.")

    class Meta:
        model = ProjectApplication
        fields = ["id", "title", "status", "status_label", "cluster", "submitted_at", "updated_at", "url"]

    def get_url(self, application) -> str:
        return _absolute(self, reverse("applications:detail", kwargs={"pk": application.pk}))


class ApplicationSerializer(ApplicationSummarySerializer):
    """The whole worksheet, as its applicant reads it, with what still stops it from being submitted."""

    action_cluster = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    round = serializers.SlugRelatedField(slug_field="slug", read_only=True, help_text="A GCTC round's short name.")
    stage_label = ChoiceLabelField("stage")
    kpis = KpiSerializer(many=True, read_only=True)
    team = TeamMemberSerializer(many=True, read_only=True)
    partners_sought = PartnerSoughtSerializer(many=True, read_only=True)
    problems = serializers.SerializerMethodField(help_text="Why it cannot be submitted yet; empty when it can.")

    class Meta(ApplicationSummarySerializer.Meta):
        fields = [
            *ApplicationSummarySerializer.Meta.fields,
            # The rest of the worksheet, in its order, then its rows.
            *(field for field in WORKSHEET_FIELDS if field not in ApplicationSummarySerializer.Meta.fields),
            "stage_label",
            "kpis",
            "team",
            "partners_sought",
            "decided_at",
            "problems",
        ]

    def get_problems(self, application) -> list[str]:
        return [str(problem) for problem in application.submission_problems()] if application.is_editable else []


class ApplicationStartSerializer(serializers.Serializer):
    """A new draft: a title, and the thematic cluster (its slug) if already chosen."""

    title = serializers.CharField(max_length=200)
    cluster = serializers.CharField(required=False, help_text="A thematic cluster's slug.")


class ApplicationChangeSerializer(serializers.ModelSerializer):
    """The worksheet's fields to change; `kpis`, `team` and `partners_sought`, when sent, replace the rows."""

    cluster = serializers.CharField(required=False, help_text="A thematic cluster's slug.")
    action_cluster = serializers.CharField(required=False, allow_blank=True, help_text="An action cluster's slug.")
    round = serializers.CharField(required=False, allow_blank=True, help_text="A GCTC round's short name (slug).")
    kpis = KpiSerializer(many=True, required=False)
    team = TeamMemberSerializer(many=True, required=False)
    partners_sought = PartnerSoughtSerializer(many=True, required=False)

    class Meta:
        model = ProjectApplication
        fields = [
            field
            for field in ApplicationSerializer.Meta.fields
            if field
            not in (
                "id",
                "status",
                "status_label",
                "submitted_at",
                "updated_at",
                "url",
                "stage_label",
                "decided_at",
                "problems",
            )
        ]
        extra_kwargs = {field: {"required": False} for field in fields}


class OwnSolutionSummarySerializer(serializers.ModelSerializer):
    """One of the organisation's solutions as its "my solutions" list shows it."""

    status_label = ChoiceLabelField("status")
    clusters = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    url = serializers.SerializerMethodField(help_text="The solution's page.")

    class Meta:
        model = SolutionRegistration
        fields = ["id", "name", "status", "status_label", "clusters", "submitted_at", "updated_at", "url"]

    def get_url(self, solution) -> str:
        return _absolute(self, reverse("solutions:detail", kwargs={"pk": solution.pk}))


class OwnSolutionSerializer(OwnSolutionSummarySerializer):
    """The whole solution, as its provider reads it, with what still stops it from being submitted."""

    offering_label = ChoiceLabelField("offering")
    maturity_label = ChoiceLabelField("maturity")
    deployments = DeploymentSerializer(many=True, read_only=True)
    problems = serializers.SerializerMethodField(help_text="Why it cannot be submitted yet; empty when it can.")

    class Meta(OwnSolutionSummarySerializer.Meta):
        fields = [
            *OwnSolutionSummarySerializer.Meta.fields,
            "summary",
            "description",
            "offering",
            "offering_label",
            "maturity",
            "maturity_label",
            "standards",
            "website",
            "deployments",
            "decided_at",
            "problems",
        ]

    def get_problems(self, solution) -> list[str]:
        return [str(problem) for problem in solution.submission_problems()] if solution.is_editable else []


class SolutionStartSerializer(serializers.Serializer):
    """A new draft: the solution's name."""

    name = serializers.CharField(max_length=200)


class SolutionChangeSerializer(serializers.ModelSerializer):
    """The solution's fields to change; `deployments`, when sent, replace the rows."""

    clusters = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Open thematic clusters' slugs."
    )
    deployments = DeploymentSerializer(many=True, required=False)

    class Meta:
        model = SolutionRegistration
        fields = [
            "name",
            "summary",
            "description",
            "clusters",
            "offering",
            "maturity",
            "standards",
            "website",
            "deployments",
        ]
        extra_kwargs = {field: {"required": False} for field in fields}


class RegistrationSerializer(serializers.ModelSerializer):
    """A registration as "My events" shows it."""

    event = serializers.SlugRelatedField(slug_field="slug", read_only=True, help_text="The event's slug.")
    event_name = serializers.CharField(source="event.name", read_only=True)
    starts_at = serializers.DateTimeField(source="event.starts_at", read_only=True)
    ends_at = serializers.DateTimeField(source="event.ends_at", read_only=True)
    status_label = ChoiceLabelField("status")
    attendance_label = ChoiceLabelField("attendance")
    organisation = serializers.CharField(source="organisation.name", read_only=True, allow_null=True, default=None)
    # Declared, not derived from the model: the schema must not depend on the database the command runs with.
    waitlist_position = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Its order on the waiting list; null unless waitlisted."
    )
    event_url = serializers.SerializerMethodField(help_text="This API's event.")

    class Meta:
        model = Registration
        fields = [
            "id",
            "event",
            "event_name",
            "starts_at",
            "ends_at",
            "status",
            "status_label",
            "attendance",
            "attendance_label",
            "waitlist_position",
            "organisation",
            "created_at",
            "promoted_at",
            "cancelled_at",
            "event_url",
        ]

    def get_event_url(self, registration) -> str:
        return _absolute(self, reverse("api:event-detail", kwargs={"slug": registration.event.slug}))


class RegistrationCreateSerializer(serializers.Serializer):
    event = serializers.CharField(help_text="The event's slug.")
    attendance = serializers.ChoiceField(choices=Registration.Attendance.choices)


class IndicatorSerializer(serializers.ModelSerializer):
    """An indicator of the catalogue that projects measure and compare (docs/kpis.md)."""

    direction_label = ChoiceLabelField("direction")
    clusters = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    url = serializers.SerializerMethodField(help_text="The indicator's benchmark page.")
    benchmark = serializers.SerializerMethodField(help_text="This API's benchmark figures of the indicator.")

    class Meta:
        model = Indicator
        fields = [
            "id",
            "name",
            "definition",
            "unit",
            "direction",
            "direction_label",
            "source",
            "clusters",
            "url",
            "benchmark",
        ]

    def get_url(self, indicator) -> str:
        return _absolute(self, reverse("benchmarks:indicator", kwargs={"pk": indicator.pk}))

    def get_benchmark(self, indicator) -> str:
        return _absolute(self, reverse("api:indicator-benchmark", kwargs={"pk": indicator.pk}))


class BenchmarkRowSerializer(serializers.Serializer):
    """One published project measuring the indicator. Values are in the indicator's unit, converted from the
    project's own (`unit`); `improvement` and `progress` are percentages; null where not measured yet."""

    rank = serializers.IntegerField()
    project = serializers.CharField()
    city = serializers.CharField()
    country = serializers.CharField()
    case = serializers.SerializerMethodField(help_text="This API's published case.")
    unit = serializers.CharField(help_text="The unit the project measures in.")
    baseline = serializers.FloatField(allow_null=True)
    target = serializers.FloatField(allow_null=True)
    latest = serializers.FloatField(allow_null=True, help_text="The latest value the city reported.")
    latest_on = serializers.DateField(allow_null=True)
    improvement = serializers.FloatField(allow_null=True, help_text="From the baseline to the latest value, in %.")
    progress = serializers.FloatField(allow_null=True, help_text="Of the way from the baseline to the target, in %.")

    def get_case(self, row) -> str:
        return _absolute(self, reverse("api:case-detail", kwargs={"pk": row.application_id}))


class RoundSerializer(serializers.ModelSerializer):
    """A round of the Global City Teams Challenge."""

    # Declared: the model's small positive integer has a different maximum on each database, and the committed
    # schema must not depend on the one it was generated with.
    year = serializers.IntegerField(read_only=True, help_text="The year of the round, such as 2018.")
    url = serializers.SerializerMethodField(help_text="The round's page, in the language of the answer.")
    teams = serializers.SerializerMethodField(help_text="This API's teams of the round looking for partners.")

    class Meta:
        model = Round
        fields = ["slug", "year", "name", "summary", "url", "teams"]

    def get_url(self, round_) -> str:
        return _absolute(self, round_.get_absolute_url())

    def get_teams(self, round_) -> str:
        return _absolute(self, f"{reverse('api:team-list')}?round={round_.slug}")


class RoundFiguresSerializer(serializers.Serializer):
    cities = serializers.IntegerField(help_text="Participating cities.")
    countries = serializers.IntegerField(help_text="Their countries.")
    action_clusters = serializers.IntegerField(help_text="Action-cluster teams.")
    superclusters = serializers.IntegerField()
    partners_by_kind = serializers.DictField(child=serializers.IntegerField(), help_text="Partner organisations.")


class RoundDetailSerializer(RoundSerializer):
    figures = serializers.SerializerMethodField(help_text="Counted from the data, as the round's page shows them.")
    key_events = serializers.SerializerMethodField(help_text="This API's kickoff, Tech Jam, Expo... of the round.")

    class Meta(RoundSerializer.Meta):
        fields = [*RoundSerializer.Meta.fields, "figures", "key_events"]

    def get_figures(self, round_) -> RoundFiguresSerializer:
        figures = dict(round_.figures)
        figures["partners_by_kind"] = {str(label): count for label, count in figures["partners_by_kind"]}
        return RoundFiguresSerializer(figures).data

    def get_key_events(self, round_) -> list[str]:
        return [_absolute(self, reverse("api:event-detail", kwargs={"slug": slug})) for slug in round_.key_event_slugs]


class OpenRoleSerializer(serializers.ModelSerializer):
    role_label = ChoiceLabelField("role")

    class Meta:
        model = OpenRole
        fields = ["role", "role_label", "expertise"]


class TeamSerializer(serializers.ModelSerializer):
    """A GCTC action-cluster team's public part (members' contacts and its discussion link are for members)."""

    lead_organisation = OrganisationSerializer(read_only=True)
    round = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    cluster = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    supercluster = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    open_roles = OpenRoleSerializer(source="unfilled_roles", many=True, read_only=True)
    url = serializers.SerializerMethodField(help_text="The team's page, in the language of the answer.")

    class Meta:
        model = Team
        fields = ["id", "name", "summary", "lead_organisation", "round", "cluster", "supercluster", "open_roles", "url"]

    def get_url(self, team) -> str:
        return _absolute(self, team.get_absolute_url())


class TeamMembershipSerializer(serializers.ModelSerializer):
    organisation = OrganisationSerializer(read_only=True)
    role_label = ChoiceLabelField("role")

    class Meta:
        model = TeamMembership
        fields = ["organisation", "role", "role_label"]


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["title", "planned_on", "done_on"]


class TeamDetailSerializer(TeamSerializer):
    members = serializers.SerializerMethodField(help_text="The active members, with their roles.")
    milestones = MilestoneSerializer(source="milestone_list", many=True, read_only=True)

    class Meta(TeamSerializer.Meta):
        fields = [*TeamSerializer.Meta.fields, "members", "milestones"]

    def get_members(self, team) -> TeamMembershipSerializer(many=True):
        active = [member for member in team.open_memberships if member.state == TeamMembership.State.ACTIVE]
        return TeamMembershipSerializer(active, many=True, context=self.context).data


class CallSerializer(serializers.ModelSerializer):
    """A call for project applications or solutions, with its moments in UTC and the zone they were set in."""

    kind_label = ChoiceLabelField("kind")
    round = serializers.SlugRelatedField(slug_field="slug", read_only=True, help_text="The GCTC round's short name.")
    clusters = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True, help_text="The thematic clusters it names; empty: any."
    )
    eligible_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=Organisation.Kind.choices),
        read_only=True,
        help_text="The kinds of organisation it invites; empty: every kind that submits what it asks for.",
    )
    status = serializers.SerializerMethodField(help_text="announced, open or closed, now.")
    url = serializers.SerializerMethodField(help_text="The call's page, in the language of the answer.")

    class Meta:
        model = Call
        fields = [
            "slug",
            "title",
            "kind",
            "kind_label",
            "description",
            "round",
            "clusters",
            "eligible_kinds",
            "time_zone",
            "opens_at",
            "closes_at",
            "status",
            "url",
        ]

    def get_status(self, call) -> str:
        if not call.has_opened:
            return "announced"
        return "open" if call.is_open else "closed"

    def get_url(self, call) -> str:
        return _absolute(self, call.get_absolute_url())
