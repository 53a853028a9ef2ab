"""Event registrations over the API, with an organisation token (docs/api.md): the token's creator's own
registrations, as their "My events" page lists them; registering and cancelling through the same services as the
event page (capacity, waiting list, closed registration), with the same rules. A read-only token reads."""

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from events import selectors, services
from events.forms import RegistrationForm
from events.models import Registration
from events.rules import is_registrant

from . import serializers
from .organisation import SLUG, TokenViewSet, form_errors, form_text, json_body, refuse

ERRORS = {400: serializers.ErrorSerializer, 403: serializers.ErrorSerializer}


@extend_schema_view(
    list=extend_schema(summary="Your event registrations (the token's creator's)", tags=["organisation"]),
    retrieve=extend_schema(summary="One of your event registrations", tags=["organisation"]),
    create=extend_schema(
        summary="Register for an event (on the waiting list when it is full)",
        tags=["organisation"],
        request=serializers.RegistrationCreateSerializer,
        responses={
            201: serializers.RegistrationSerializer,
            **ERRORS,
            409: OpenApiResponse(
                serializers.ErrorSerializer, description="Registration is not open, or you are already registered."
            ),
        },
    ),
    cancel=extend_schema(
        summary="Cancel a registration (a place freed goes to the waiting list)",
        tags=["organisation"],
        request=None,
        responses={
            200: serializers.RegistrationSerializer,
            403: serializers.ErrorSerializer,
            409: OpenApiResponse(serializers.ErrorSerializer, description="Already cancelled, or the event is over."),
        },
    ),
)
class OrganisationRegistrationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, TokenViewSet
):
    serializer_class = serializers.RegistrationSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return selectors.registrations_of(self.request.user)

    def get_object(self):
        try:
            registration = self.get_queryset().get(pk=int(self.kwargs["pk"]))
        except (Registration.DoesNotExist, ValueError, OverflowError):
            raise Http404 from None
        if not is_registrant(self.request.user, registration):
            raise Http404
        return registration

    def _answer(self, pk: int, code=status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=pk)).data, status=code)

    def create(self, request, *args, **kwargs):
        body = json_body(request)
        slug = body.get("event")
        if not isinstance(slug, str) or not slug:
            raise exceptions.ValidationError({"event": _("Name the event by its short name (slug).")})
        event = selectors.event_for_page(slug).first() if SLUG.fullmatch(slug) else None
        if event is None:
            raise exceptions.ValidationError({"event": _("No event has this short name.")})
        form = RegistrationForm({"attendance": form_text("attendance", body.get("attendance"))})
        if not form.is_valid():
            raise exceptions.ValidationError(form_errors(form))
        try:
            registration = services.registration_create(
                event=event, user=request.user, attendance=form.cleaned_data["attendance"]
            )
        except (PermissionDenied, ValidationError) as error:
            # Not open (not yet, closed, past), or already registered: the event page's own words.
            refuse(error)
        return self._answer(registration.pk, status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        registration = self.get_object()
        if not rules.test_rule("events.cancel_registration", request.user, registration):
            raise Http404
        try:
            services.registration_cancel(registration=registration, by=request.user)
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            refuse(error)
        return self._answer(registration.pk)
