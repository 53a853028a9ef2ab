from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClustersConfig(AppConfig):
    name = "clusters"
    verbose_name = _("Clusters")

    def ready(self) -> None:
        from accounts.services import organisation_merge_checking, organisation_verified

        from .services import held_join_requests_release, organisation_merge_refusal

        organisation_verified.connect(held_join_requests_release, dispatch_uid="clusters-held-join-requests-release")
        organisation_merge_checking.connect(organisation_merge_refusal, dispatch_uid="clusters-merge-refusal")
