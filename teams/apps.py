from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamsConfig(AppConfig):
    name = "teams"
    verbose_name = _("GCTC teams")

    def ready(self) -> None:
        from accounts.services import organisation_merge_checking

        from .services import organisation_merge_refusal

        organisation_merge_checking.connect(organisation_merge_refusal, dispatch_uid="teams-merge-refusal")
        # A thematic cluster's page lists the teams working on its theme (clusters imports no teams).
        from clusters import page_sections

        from .cluster_pages import cluster_page_section

        page_sections.cluster_page_section_register(cluster_page_section)
