"""The organisation's own project applications and solutions over the API, with an organisation token
(docs/api.md).

One implementation for both, as the web pages share submission_views.py: each viewset names the SubmissionKind
(applications/kinds.py) it serves and how the API names its rows and clusters. The same forms validate what is
sent, the same services write it and `submission_transition()` submits it, as on the web pages; the same rules
decide, for the token's creator. A read-only token reads; a read-and-write token also creates drafts, changes
them and submits them. Another organisation's submission is 404.
"""

import re

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import model_to_dict
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from applications.kinds import APPLICATION, SOLUTION, SubmissionKind
from applications.rules import refusal
from applications.services import submission_save
from applications.workflow import Action, Status, TransitionRefused, submission_transition
from clusters.models import Cluster, Round

from . import serializers
from .authentication import OrganisationTokenAuthentication
from .base import ClientRateThrottle, Cursor, activate_requested_language
from .models import OrganisationToken

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,80}")
# A primary key no cluster has: an unknown slug, for the form to say it is not one of the choices.
NO_CLUSTER = "0"


class Conflict(exceptions.APIException):
    """Theirs to do, but not possible now: the submission's status (or the event's) does not allow it."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def refuse(error) -> None:
    """A refusal of the apps (rules.refusal, a service's exception) as the API's answer."""
    if isinstance(error, PermissionDenied):
        raise exceptions.PermissionDenied(str(error)) from None
    raise Conflict(" ".join(error.messages)) from None


class TokenAccess(permissions.BasePermission):
    """An organisation token is required; writing needs a read-and-write one."""

    def has_permission(self, request, view):
        token = request.auth
        if not isinstance(token, OrganisationToken):
            raise exceptions.NotAuthenticated(_("Send an organisation API token: Authorization: Bearer wego_…"))
        if token.is_staff_token:
            raise exceptions.PermissionDenied(
                _("A staff token reads the back office's exports (/api/v1/staff/) only. Use an organisation token.")
            )
        if request.method not in permissions.SAFE_METHODS and not token.may_write:
            raise exceptions.PermissionDenied(
                _("This API token is read-only. Create a read-and-write token to make changes.")
            )
        return True


def _cluster_pk(field: str, value, kind: str):
    if not isinstance(value, str):
        raise exceptions.ValidationError({field: _("Name the cluster by its short name (slug).")})
    pk = None
    if SLUG.fullmatch(value):
        pk = Cluster.objects.filter(slug=value, kind=kind).values_list("pk", flat=True).first()
    # An unknown cluster is left to the form, which says it is not one of the choices.
    return str(pk) if pk is not None else NO_CLUSTER


def _round_pks(data: dict, fields) -> dict:
    """GCTC rounds are named by slug in the API and by primary key in the forms; an unknown one is left to the form,
    which says it is not one of the choices."""
    data = dict(data)
    for field in fields:
        value = data.get(field)
        if value in (None, ""):
            continue
        pk = Round.objects.filter(slug=value).values_list("pk", flat=True).first() if SLUG.fullmatch(value) else None
        data[field] = str(pk) if pk is not None else NO_CLUSTER
    return data


def _cluster_pks(data: dict, kinds: dict, many: frozenset = frozenset()) -> dict:
    """Clusters are named by slug in the API and by primary key in the forms; `many`: fields taking a list."""
    data = dict(data)
    for field, kind in kinds.items():
        if field not in data or data[field] in (None, ""):
            continue
        if field in many:
            if not isinstance(data[field], list):
                raise exceptions.ValidationError({field: _("Send a list of clusters' short names (slugs).")})
            data[field] = [_cluster_pk(field, value, kind) for value in data[field]]
        else:
            data[field] = _cluster_pk(field, data[field], kind)
    return data


def form_text(field: str, value) -> str:
    """A JSON value as the text a form field reads (as from a web form); a list or an object is refused."""
    if isinstance(value, dict | list):
        raise exceptions.ValidationError({field: _("Send a single value, not a list or an object.")})
    return "" if value is None else str(value)


def _row_data(name: str, prefix: str, columns, existing: list[int], rows) -> dict:
    """Formset data that deletes the existing rows and adds `rows` (a list of objects with the row's `columns`):
    the list replaces them."""
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise exceptions.ValidationError({name: _("Send a list of objects.")})
    unknown = sorted({key for row in rows for key in row if key not in columns})
    if unknown:
        raise exceptions.ValidationError({f"{name}.{key}": _("This is not a field of this row.") for key in unknown})
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(existing) + len(rows)),
        f"{prefix}-INITIAL_FORMS": str(len(existing)),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, pk in enumerate(existing):
        data.update({f"{prefix}-{index}-id": str(pk), f"{prefix}-{index}-DELETE": "on"})
    for offset, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{len(existing) + offset}-{key}"] = form_text(f"{name}.{offset}.{key}", value)
    return data


def form_errors(form) -> dict:
    return {field: [str(message) for message in messages] for field, messages in form.errors.items()}


def json_body(request) -> dict:
    if not isinstance(request.data, dict):
        raise exceptions.ValidationError({"non_field_errors": [_("Send a JSON object.")]})
    return request.data


def _form_value(value):
    """A model_to_dict value as a form reads it: related rows by primary key."""
    if isinstance(value, list):
        return [str(getattr(item, "pk", item)) for item in value]
    return "" if value is None else value


class TokenViewSet(viewsets.GenericViewSet):
    """What every organisation endpoint shares: the token, the language asked for, cursor pages, throttling."""

    authentication_classes = [OrganisationTokenAuthentication]
    permission_classes = [TokenAccess]
    throttle_classes = [ClientRateThrottle]
    pagination_class = Cursor
    lookup_value_regex = r"[0-9]{1,18}"
    http_method_names = ["get", "post", "patch", "head", "options"]
    cursor_ordering: tuple[str, ...] = ("-pk",)

    def get_cursor_ordering(self):
        return self.cursor_ordering

    def initial(self, request, *args, **kwargs):
        activate_requested_language(request)
        super().initial(request, *args, **kwargs)


class SubmissionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    TokenViewSet,
):
    """The organisation's submissions of one kind: its "my" list, one whole, a new draft, changes, submission."""

    kind: SubmissionKind
    # The rows, as the API names them (the submission's related name) -> their formset's prefix (kind.formsets).
    rows: dict[str, str] = {}
    # Fields naming clusters (by slug in the API) -> the kind of cluster; `many_clusters`: those taking a list.
    clusters: dict[str, str] = {}
    many_clusters: frozenset[str] = frozenset()
    # Fields naming a GCTC round (by slug in the API).
    rounds: frozenset[str] = frozenset()
    summary_serializer_class = None
    unknown_field = None  # the message for a field the submission does not have

    def get_serializer_class(self):
        return self.summary_serializer_class if self.action == "list" else self.serializer_class

    def get_queryset(self):
        return self.kind.mine(self.request.auth.organisation)

    def list(self, request, *args, **kwargs):
        # Whoever may not see the "my" list on the web (a city's administrator asking for solutions) is told why.
        error = self.kind.list_refusal(request.user)
        if error is not None:
            refuse(error)
        return super().list(request, *args, **kwargs)

    def get_object(self):
        try:
            submission = self.kind.for_page(int(self.kwargs["pk"]))
        except (self.kind.model.DoesNotExist, ValueError, OverflowError):
            raise Http404 from None
        # The token's organisation only, and what its creator may read whole on the web (its printable copy).
        if submission.organisation_id != self.request.auth.organisation_id or not rules.test_rule(
            self.kind.print_rule, self.request.user, submission
        ):
            raise Http404
        return submission

    def _answer(self, pk: int, code=status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.kind.for_page(pk)).data, status=code)

    def create(self, request, *args, **kwargs):
        error = refusal(self.kind.start_rule, request.user)
        if error is not None:
            refuse(error)
        fields = self.kind.start_form.base_fields
        body = json_body(request)
        sent = {
            name: body[name] if name in self.clusters else form_text(name, body[name])
            for name in fields
            if name in body
        }
        data = _cluster_pks(sent, self.clusters, self.many_clusters)
        form = self.kind.start_form({name: data.get(name) or "" for name in fields})
        if not form.is_valid():
            raise exceptions.ValidationError(form_errors(form))
        try:
            submission = self.kind.start(by=request.user, **form.cleaned_data)
        except PermissionDenied as error:
            raise exceptions.PermissionDenied(str(error)) from None
        return self._answer(submission.pk, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        if not kwargs.get("partial"):
            raise exceptions.MethodNotAllowed(request.method)
        submission = self.get_object()
        error = refusal(self.kind.edit_rule, request.user, submission)
        if error is not None:
            refuse(error)
        body = json_body(request)
        fields = self.kind.edit_form.base_fields
        unknown = sorted(key for key in body if key not in fields and key not in self.rows)
        if unknown:
            raise exceptions.ValidationError({key: str(self.unknown_field) for key in unknown})
        current = {key: _form_value(value) for key, value in model_to_dict(submission, fields=list(fields)).items()}
        sent = {
            key: body[key] if key in self.many_clusters else form_text(key, body[key]) for key in body if key in fields
        }
        data = {**current, **_round_pks(_cluster_pks(sent, self.clusters, self.many_clusters), self.rounds)}
        for name, prefix in self.rows.items():
            formset_class = self.kind.formsets[prefix]
            columns = set(formset_class.form.base_fields) - {"id", "DELETE", formset_class.fk.name}
            existing = [row.pk for row in getattr(submission, name).all()] if name in body else []
            data.update(_row_data(name, prefix, columns, existing, body.get(name, [])))
        form = self.kind.edit_form(data, instance=submission)
        formsets = [
            self.kind.formsets[prefix](data, instance=submission, prefix=prefix) for prefix in self.rows.values()
        ]
        errors = form_errors(form) if not form.is_valid() else {}
        for name, formset in zip(self.rows, formsets, strict=True):
            if not formset.is_valid():
                for index, row_errors in enumerate(formset.errors):
                    for field, messages in row_errors.items():
                        # The rows deleted to be replaced are not in formset.errors: `index` is the row sent.
                        errors[f"{name}.{index}.{field}"] = messages
                if formset.non_form_errors():
                    errors[name] = [str(message) for message in formset.non_form_errors()]
        if errors:
            raise exceptions.ValidationError(errors)
        try:
            submission_save(submission=submission, by=request.user, form=form, formsets=formsets)
        except (PermissionDenied, ValidationError) as error:
            # Submitted or withdrawn meanwhile (another program, a colleague on the web page): nothing was written.
            refuse(error)
        return self._answer(submission.pk)

    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        submission = self.get_object()
        move = Action.RESUBMIT if submission.status == Status.CHANGES_REQUESTED else Action.SUBMIT
        try:
            submission_transition(submission, move, by=request.user)
        except (PermissionDenied, TransitionRefused) as error:
            refuse(error)
        except ValidationError as error:
            # Incomplete: what is missing, one message per section.
            raise exceptions.ValidationError({"non_field_errors": error.messages}) from None
        return self._answer(submission.pk)


def _schema(noun: str, tag: str, full, start, change):
    """The OpenAPI description of a SubmissionViewSet serving `noun`s."""
    return extend_schema_view(
        list=extend_schema(summary=f"The organisation's {noun}s", tags=[tag]),
        retrieve=extend_schema(summary=f"One of the organisation's {noun}s, whole", tags=[tag]),
        create=extend_schema(
            summary="Start a draft",
            tags=[tag],
            request=start,
            responses={201: full, 400: serializers.ErrorSerializer, 403: serializers.ErrorSerializer},
        ),
        partial_update=extend_schema(
            summary="Change a draft (the rows sent replace the existing ones)",
            tags=[tag],
            request=change,
            responses={
                200: full,
                400: serializers.ErrorSerializer,
                409: OpenApiResponse(serializers.ErrorSerializer, description="No longer a draft: not changed."),
            },
        ),
        submit=extend_schema(
            summary="Submit a draft (or resubmit after a request for changes)",
            tags=[tag],
            request=None,
            responses={
                200: full,
                400: OpenApiResponse(serializers.ErrorSerializer, description="Incomplete: what is missing."),
                403: serializers.ErrorSerializer,
                409: OpenApiResponse(serializers.ErrorSerializer, description="Not possible in its status."),
            },
        ),
    )


@_schema(
    "project application",
    "organisation",
    serializers.ApplicationSerializer,
    serializers.ApplicationStartSerializer,
    serializers.ApplicationChangeSerializer,
)
class OrganisationApplicationViewSet(SubmissionViewSet):
    kind = APPLICATION
    rows = {"team": "team", "partners_sought": "partners", "kpis": "kpis"}
    clusters = {"cluster": Cluster.Kind.THEMATIC, "action_cluster": Cluster.Kind.ACTION}
    rounds = frozenset({"round"})
    summary_serializer_class = serializers.ApplicationSummarySerializer
    serializer_class = serializers.ApplicationSerializer
    unknown_field = gettext_lazy("This is not a field of the worksheet.")


@_schema(
    "solution",
    "organisation",
    serializers.OwnSolutionSerializer,
    serializers.SolutionStartSerializer,
    serializers.SolutionChangeSerializer,
)
class OrganisationSolutionViewSet(SubmissionViewSet):
    kind = SOLUTION
    rows = {"deployments": "deployments"}
    clusters = {"clusters": Cluster.Kind.THEMATIC}
    many_clusters = frozenset({"clusters"})
    summary_serializer_class = serializers.OwnSolutionSummarySerializer
    serializer_class = serializers.OwnSolutionSerializer
    unknown_field = gettext_lazy("This is not a field of the solution.")
