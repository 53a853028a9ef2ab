"""The teams on a thematic cluster's page (clusters imports no teams: clusters/page_sections.py)."""

from .selectors import teams_of_cluster


def cluster_page_section(cluster) -> dict:
    if cluster.kind != "thematic":
        return {}
    return {"cluster_teams": teams_of_cluster(cluster)}
