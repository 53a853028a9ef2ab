"""What the apps above clusters add to its pages, without clusters importing them (clusters sits below
applications: docs/architecture.md). An app registers its sections in its AppConfig.ready().

- A cluster page section is called with the cluster and returns context for templates/clusters/cluster_detail.html
  (applications adds the accepted projects and approved solutions of a thematic cluster).
- A leader page section is called with the led cluster that templates/clusters/leader_page.html shows and sets
  what it shows on it (applications sets the newest applications with their matches, and solutions), in a
  constant number of queries.
"""

from collections.abc import Callable, Mapping

cluster_page_sections: list[Callable[..., Mapping]] = []
leader_page_sections: list[Callable[..., None]] = []


def cluster_page_section_register(section: Callable[..., Mapping]) -> None:
    if section not in cluster_page_sections:
        cluster_page_sections.append(section)


def leader_page_section_register(section: Callable[..., None]) -> None:
    if section not in leader_page_sections:
        leader_page_sections.append(section)


def cluster_page_context(cluster) -> dict:
    context: dict = {}
    for section in cluster_page_sections:
        context.update(section(cluster))
    return context


def leader_page_annotate(cluster) -> None:
    for section in leader_page_sections:
        section(cluster)
