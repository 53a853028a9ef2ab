from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Applications and solutions")

    def ready(self) -> None:
        from accounts.services import organisation_verified

        from .services import held_submissions_release

        organisation_verified.connect(held_submissions_release, dispatch_uid="applications-held-submissions-release")
