"""What the back office exports, read with a staff token (docs/api.md): one read-only list per export, with the
export's own columns (the ModelAdmin's `get_export_columns()`, core/admin_exports.py) and its rows (the
ModelAdmin's queryset), in cursor pages. Each list asks, on every request, the back office's own question of the
token's creator: `staff_holding("<app>.view_<model>")` (staff, the second factor, the model permission)."""

from functools import cache

from django.contrib import admin
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, permissions, serializers

from accounts.models import Organisation, OrganisationMembership
from accounts.rules import needs_two_factor, staff_holding
from applications.models import ProjectApplication, SolutionRegistration
from clusters.models import ClusterMembership
from events.models import Registration

from .models import OrganisationToken
from .organisation import TokenViewSet

# The API's name of each export -> its model (registered in the back office with ExportAdminMixin).
EXPORTS = {
    "organisations": Organisation,
    "memberships": OrganisationMembership,
    "cluster-memberships": ClusterMembership,
    "applications": ProjectApplication,
    "solutions": SolutionRegistration,
    "registrations": Registration,
}


def view_permission(model) -> str:
    return f"{model._meta.app_label}.view_{model._meta.model_name}"


class StaffTokenAccess(permissions.BasePermission):
    """A staff token whose creator may read the export in the back office now."""

    def has_permission(self, request, view):
        token = request.auth
        if not isinstance(token, OrganisationToken):
            raise exceptions.NotAuthenticated(_("Send a staff API token: Authorization: Bearer wego_…"))
        if not token.is_staff_token:
            raise exceptions.PermissionDenied(
                _("An organisation token does not read the back office's exports. Use a staff token.")
            )
        user = request.user
        # Asked first, and apart: the API answers in JSON, not with the web pages' way to the activation page.
        if needs_two_factor(user):
            raise exceptions.PermissionDenied(
                _(
                    "The person who created this staff token has not activated two-factor authentication, "
                    "which every staff power needs."
                )
            )
        if not staff_holding(view_permission(view.model))(user):
            raise exceptions.PermissionDenied(
                _("The person who created this staff token may not read %(what)s in the back office.")
                % {"what": view.model._meta.verbose_name_plural}
            )
        return True


def _model_admin(model):
    return admin.site.get_model_admin(model)


def column_key(column) -> str:
    """A column's name in the API: its English heading, as a slug ("registered (UTC)" -> "registered_utc")."""
    with translation.override("en"):
        return slugify(str(column.header)).replace("-", "_")


@cache
def _row_serializer(model) -> type[serializers.Serializer]:
    """A row of the export: one field per column, named by column_key, its heading as the field's title."""
    fields = {
        column_key(column): serializers.JSONField(read_only=True, label=str(column.header))
        for column in _model_admin(model).get_export_columns()
    }
    return type(f"Staff{model.__name__}ExportRow", (serializers.Serializer,), fields)


def _json(value):
    """An export's value as JSON: numbers, text, true/false and times stay themselves; anything else is its text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


class StaffExportViewSet(mixins.ListModelMixin, TokenViewSet):
    permission_classes = [StaffTokenAccess]
    http_method_names = ["get", "head", "options"]
    model = None

    def get_serializer_class(self):
        return _row_serializer(self.model)

    def get_queryset(self):
        model_admin = _model_admin(self.model)
        # The back office's rows, with the relations its list page joins (as its export of the list does); the list
        # page's column restriction (list_only) is lifted: exports read more columns.
        queryset = model_admin.get_queryset(self.request)
        related = model_admin.list_select_related
        if related is True:
            queryset = queryset.select_related()
        elif related:
            queryset = queryset.select_related(*related)
        return model_admin.export_queryset(queryset).defer(None)

    def paginate_queryset(self, queryset):
        columns = [(column_key(column), column) for column in _model_admin(self.model).get_export_columns()]
        page = super().paginate_queryset(queryset)
        return [{key: _json(column.read(row)) for key, column in columns} for row in page]


def export_viewsets():
    """(name, viewset) for each export, each with its own schema entry."""
    for name, model in EXPORTS.items():
        plural = str(model._meta.verbose_name_plural)
        viewset = type(f"Staff{model.__name__}ExportViewSet", (StaffExportViewSet,), {"model": model})
        yield (
            name,
            extend_schema_view(
                list=extend_schema(
                    summary=f"Export: {plural}",
                    description=(
                        f"The back office's export of {plural}, the same columns (named by their English heading), "
                        f"in cursor pages. The token's creator needs `{view_permission(model)}` and the second factor."
                    ),
                    tags=["staff"],
                )
            )(viewset),
        )
