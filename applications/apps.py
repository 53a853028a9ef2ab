from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Applications and solutions")

    def ready(self) -> None:
        from accounts.services import organisation_verified

        from .services import held_submissions_release

        organisation_verified.connect(held_submissions_release, dispatch_uid="applications-held-submissions-release")
        # The projects and solutions on cluster pages and the leader page (clusters imports no applications).
        from clusters import page_sections

        from .cluster_pages import cluster_page_section, leader_page_section

        page_sections.cluster_page_section_register(cluster_page_section)
        page_sections.leader_page_section_register(leader_page_section)
