"""The organisation's own project applications over the API, with an organisation token (docs/api.md).

The same forms validate what is sent, the same services write it and `submission_transition()` submits it, as on
the web pages; the same rules decide, for the token's creator. A read-only token reads; a read-and-write token
also creates drafts, changes them and submits them. Another organisation's application is 404.
"""

import re

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import model_to_dict
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from applications import selectors as application_selectors
from applications.forms import KpiFormSet, PartnerSoughtFormSet, ProjectApplicationForm, ProjectStartForm, TeamFormSet
from applications.kinds import APPLICATION
from applications.models import ProjectApplication
from applications.rules import refusal
from applications.services import submission_save
from applications.workflow import Action, Status, TransitionRefused, submission_transition
from clusters.models import Cluster

from . import serializers
from .authentication import OrganisationTokenAuthentication
from .base import ClientRateThrottle, Cursor, activate_requested_language
from .models import OrganisationToken

# The worksheet's rows, as the API names them, with their formset and its prefix on the web page.
ROWS = {
    "team": (TeamFormSet, "team"),
    "partners_sought": (PartnerSoughtFormSet, "partners"),
    "kpis": (KpiFormSet, "kpis"),
}
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,80}")


class Conflict(exceptions.APIException):
    """Theirs to do, but not possible now: the application's status does not allow it."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def _raise(error) -> None:
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
        if request.method not in permissions.SAFE_METHODS and not token.may_write:
            raise exceptions.PermissionDenied(
                _("This API token is read-only. Create a read-and-write token to change applications.")
            )
        return True


def _cluster_pks(data: dict, kinds: dict) -> dict:
    """Clusters are named by slug in the API and by primary key in the forms; an unknown slug stays unknown."""
    data = dict(data)
    for field, kind in kinds.items():
        if field not in data or data[field] in (None, ""):
            continue
        if not isinstance(data[field], str):
            raise exceptions.ValidationError({field: _("Name the cluster by its short name (slug).")})
        pk = None
        if SLUG.fullmatch(data[field]):
            pk = Cluster.objects.filter(slug=data[field], kind=kind).values_list("pk", flat=True).first()
        # An unknown cluster is left to the form, which says it is not one of the choices.
        data[field] = pk if pk is not None else "unknown"
    return data


def _text(field: str, value) -> str:
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
            data[f"{prefix}-{len(existing) + offset}-{key}"] = _text(f"{name}.{offset}.{key}", value)
    return data


def _form_errors(form) -> dict:
    return {field: [str(message) for message in messages] for field, messages in form.errors.items()}


def _body(request) -> dict:
    if not isinstance(request.data, dict):
        raise exceptions.ValidationError({"non_field_errors": [_("Send a JSON object.")]})
    return request.data


@extend_schema_view(
    list=extend_schema(summary="The organisation's project applications", tags=["organisation"]),
    retrieve=extend_schema(summary="One of the organisation's applications, whole", tags=["organisation"]),
    create=extend_schema(
        summary="Start a draft",
        tags=["organisation"],
        request=serializers.ApplicationStartSerializer,
        responses={201: serializers.ApplicationSerializer, 400: serializers.ErrorSerializer},
    ),
    partial_update=extend_schema(
        summary="Change a draft's sections (the rows sent replace the existing ones)",
        tags=["organisation"],
        request=serializers.ApplicationChangeSerializer,
        responses={
            200: serializers.ApplicationSerializer,
            400: serializers.ErrorSerializer,
            409: OpenApiResponse(serializers.ErrorSerializer, description="No longer a draft: not changed."),
        },
    ),
)
class OrganisationApplicationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    authentication_classes = [OrganisationTokenAuthentication]
    permission_classes = [TokenAccess]
    throttle_classes = [ClientRateThrottle]
    pagination_class = Cursor
    lookup_value_regex = r"[0-9]{1,18}"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_cursor_ordering(self):
        return ("-pk",)

    def initial(self, request, *args, **kwargs):
        activate_requested_language(request)
        super().initial(request, *args, **kwargs)

    def get_serializer_class(self):
        return serializers.ApplicationSummarySerializer if self.action == "list" else serializers.ApplicationSerializer

    def get_queryset(self):
        return APPLICATION.mine(self.request.auth.organisation)

    def get_object(self):
        try:
            application = application_selectors.application_for_page(int(self.kwargs["pk"]))
        except (ProjectApplication.DoesNotExist, ValueError, OverflowError):
            raise Http404 from None
        # The token's organisation only, and what its creator may read on the web (the whole worksheet).
        if application.organisation_id != self.request.auth.organisation_id or not rules.test_rule(
            "applications.read_whole_projectapplication", self.request.user, application
        ):
            raise Http404
        return application

    def _answer(self, pk: int, code=status.HTTP_200_OK) -> Response:
        application = application_selectors.application_for_page(pk)
        return Response(self.get_serializer(application).data, status=code)

    def create(self, request, *args, **kwargs):
        data = _cluster_pks(_body(request), {"cluster": Cluster.Kind.THEMATIC})
        form = ProjectStartForm({"title": _text("title", data.get("title")), "cluster": data.get("cluster") or ""})
        if not form.is_valid():
            raise exceptions.ValidationError(_form_errors(form))
        try:
            application = APPLICATION.start(by=request.user, **form.cleaned_data)
        except PermissionDenied as error:
            raise exceptions.PermissionDenied(str(error)) from None
        return self._answer(application.pk, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        if not kwargs.get("partial"):
            raise exceptions.MethodNotAllowed(request.method)
        application = self.get_object()
        error = refusal(APPLICATION.edit_rule, request.user, application)
        if error is not None:
            _raise(error)
        body = _body(request)
        fields = ProjectApplicationForm.base_fields
        unknown = sorted(key for key in body if key not in fields and key not in ROWS)
        if unknown:
            raise exceptions.ValidationError({key: _("This is not a field of the worksheet.") for key in unknown})
        kinds = {"cluster": Cluster.Kind.THEMATIC, "action_cluster": Cluster.Kind.ACTION}
        current = model_to_dict(application, fields=list(fields))
        sent = {key: _text(key, body[key]) for key in body if key in fields}
        data = {**current, **_cluster_pks(sent, kinds)}
        data = {key: "" if value is None else value for key, value in data.items()}
        for name, (formset_class, prefix) in ROWS.items():
            columns = set(formset_class.form.base_fields) - {"id", "DELETE", "application"}
            existing = [row.pk for row in getattr(application, name).all()]
            if name in body:
                data.update(_row_data(name, prefix, columns, existing, body[name]))
            else:
                data.update(_row_data(name, prefix, columns, [], []))
        form = ProjectApplicationForm(data, instance=application)
        formsets = [formset_class(data, instance=application, prefix=prefix) for formset_class, prefix in ROWS.values()]
        errors = _form_errors(form) if not form.is_valid() else {}
        for name, formset in zip(ROWS, formsets, strict=True):
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
            submission_save(submission=application, by=request.user, form=form, formsets=formsets)
        except (PermissionDenied, ValidationError) as error:
            # Submitted or withdrawn meanwhile (another program, a colleague on the web page): nothing was written.
            _raise(error)
        return self._answer(application.pk)

    @extend_schema(
        summary="Submit a draft (or resubmit after a request for changes)",
        tags=["organisation"],
        request=None,
        responses={
            200: serializers.ApplicationSerializer,
            400: OpenApiResponse(serializers.ErrorSerializer, description="Incomplete: what is missing."),
            403: serializers.ErrorSerializer,
            409: OpenApiResponse(serializers.ErrorSerializer, description="Not possible in its status."),
        },
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        application = self.get_object()
        move = Action.RESUBMIT if application.status == Status.CHANGES_REQUESTED else Action.SUBMIT
        try:
            submission_transition(application, move, by=request.user)
        except PermissionDenied as error:
            _raise(error)
        except TransitionRefused as error:
            _raise(error)
        except ValidationError as error:
            # Incomplete: what is missing, one message per section.
            raise exceptions.ValidationError({"non_field_errors": error.messages}) from None
        return self._answer(application.pk)
