"""The applications app's sections of the clusters app's pages (registered in apps.py: clusters/page_sections.py)."""

from clusters.models import Cluster

from .matching import leader_page_submissions
from .selectors import cluster_projects
from .solution_selectors import cluster_solutions


def cluster_page_section(cluster: Cluster) -> dict:
    """Cities apply to, and companies offer solutions in, WeGO's thematic clusters only."""
    if cluster.kind != Cluster.Kind.THEMATIC:
        return {}
    return {"projects": cluster_projects(cluster), "solutions": cluster_solutions(cluster)}


def leader_page_section(cluster: Cluster) -> None:
    """The led cluster's newest sent applications (each with its best matches) and solutions."""
    leader_page_submissions(cluster)
